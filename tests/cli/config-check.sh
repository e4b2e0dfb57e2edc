#!/bin/sh
# `station config check` and `show`: exit codes and errors with their lines.
set -eu
: "${STATION:?}" "${SRCDIR:?}"
fx="$SRCDIR/tests/fixtures/config"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-config.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() { # CODE CMD...
	want=$1
	shift
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || { cat "$tmp/out" "$tmp/err"; fail "'$*' exited $got, not $want"; }
}
expect_err() { # TEXT: stderr must contain it
	grep -qF -- "$1" "$tmp/err" || { cat "$tmp/err"; fail "stderr lacks '$1'"; }
}

# Valid files, the shipped one included.
for f in "$SRCDIR/config/station.conf" "$fx/good.conf" "$fx/minimal.conf" "$fx/card-atr.conf"; do
	expect_exit 0 "$STATION" config check "$f"
	grep -qxF "$f: ok" "$tmp/out" || fail "no '$f: ok'"
	[ ! -s "$tmp/err" ] || { cat "$tmp/err"; fail "$f: errors on a valid file"; }
done

# Invalid files: exit 78, every error with FILE:LINE.
expect_exit 78 "$STATION" config check "$fx/bad-unknown.conf"
expect_err "$fx/bad-unknown.conf:3: unknown key 'colour' in [station]"
expect_err "$fx/bad-unknown.conf:5: unknown section [printer]"
grep -q ': ok' "$tmp/out" && fail "invalid file reported ok"

expect_exit 78 "$STATION" config check "$fx/bad-values.conf"
expect_err "$fx/bad-values.conf:2: bad value for 'id'"
expect_err "$fx/bad-values.conf:3: bad value for 'log_level' in [station]: expected error, warning, info or debug"
expect_err "$fx/bad-values.conf:6: bad value for 'card_timeout'"
expect_err "$fx/bad-values.conf:7: bad value for 'scan_timeout'"
expect_err "$fx/bad-values.conf:10: bad value for 'width_dots'"
[ "$(wc -l <"$tmp/err")" -eq 5 ] || { cat "$tmp/err"; fail "bad-values: not 5 errors"; }

# [camera]: a bad value, and a region of interest outside the frame.
expect_exit 78 "$STATION" config check "$fx/bad-camera.conf"
expect_err "$fx/bad-camera.conf:8: bad value for 'fps' in [camera]: expected a whole number of frames a second from 0 to 240, got '1000'"
expect_err "$fx/bad-camera.conf:9: 'roi' in [camera] (400,0 320x480) does not fit in the 640x480 frame"
[ "$(wc -l <"$tmp/err")" -eq 2 ] || { cat "$tmp/err"; fail "bad-camera: not 2 errors"; }

# [card]: bad ATR patterns (hex, half-byte wildcard), more than 16
# patterns, bad read_photo and read_timeout.
expect_exit 78 "$STATION" config check "$fx/bad-card.conf"
expect_err "$fx/bad-card.conf:5: bad value for 'atr' in [card]: expected 2 to 33 hex bytes, xx for a byte that varies, got '3B 8C 80 01 5G'"
expect_err "$fx/bad-card.conf:6: bad value for 'atr' in [card]"
expect_err "$fx/bad-card.conf:23: too many 'atr' patterns in [card] (at most 16)"
expect_err "$fx/bad-card.conf:24: bad value for 'read_photo' in [card]: expected yes or no"
expect_err "$fx/bad-card.conf:25: bad value for 'read_timeout' in [card]: expected a whole number of seconds from 1 to 60"
[ "$(wc -l <"$tmp/err")" -eq 5 ] || { cat "$tmp/err"; fail "bad-card: not 5 errors"; }

expect_exit 78 "$STATION" config check "$fx/bad-syntax.conf"
expect_err "$fx/bad-syntax.conf:3:"
expect_err "$fx/bad-syntax.conf:5:"

# A missing required key is not tied to a line: FILE: message.
expect_exit 78 "$STATION" config check "$fx/missing-id.conf"
expect_err "$fx/missing-id.conf: missing required key 'id' in [station]"

# Unreadable input, bad command lines.
expect_exit 66 "$STATION" config check "$tmp/missing.conf"
expect_err "$tmp/missing.conf: cannot open"
expect_exit 66 "$STATION" config check "$tmp"
expect_exit 64 "$STATION" config
expect_exit 64 "$STATION" config check
expect_exit 64 "$STATION" config check a b
expect_exit 64 "$STATION" config frobnicate "$fx/good.conf"
expect_exit 64 "$STATION" config check --bogus "$fx/good.conf"
expect_exit 0 "$STATION" config --help
grep -qi usage "$tmp/out" || fail "config --help has no usage"
expect_exit 0 "$STATION" config check --help
grep -qi usage "$tmp/out" || fail "config check --help has no usage"

# Secrets: 0600 accepted, group/other bits refused with the mode named.
cp "$fx/secrets.conf" "$tmp/secrets.conf"
chmod 600 "$tmp/secrets.conf"
expect_exit 0 "$STATION" config check "$fx/good.conf" --secrets "$tmp/secrets.conf"
grep -qxF "$tmp/secrets.conf: ok" "$tmp/out" || fail "secrets not reported ok"
chmod 640 "$tmp/secrets.conf"
expect_exit 78 "$STATION" config check --secrets "$tmp/secrets.conf" "$fx/good.conf"
expect_err "$tmp/secrets.conf: mode 0640"
expect_err "chmod 600"
cp "$fx/bad-secrets.conf" "$tmp/bad-secrets.conf"
chmod 600 "$tmp/bad-secrets.conf"
expect_exit 78 "$STATION" config check "$fx/good.conf" --secrets "$tmp/bad-secrets.conf"
expect_err "$tmp/bad-secrets.conf:2: bad value for 'technician_pin_hash'"
grep -q 1234 "$tmp/err" && fail "a secret value was printed"
expect_exit 66 "$STATION" config check "$fx/good.conf" --secrets "$tmp/none.conf"
# Without --secrets, the file secrets_file names is checked too; one that
# is not there (a config written for a kiosk) is said, not an error.
expect_exit 0 "$STATION" config check "$fx/good.conf"
grep -qF "/etc/station/secrets.conf: not checked: No such file or directory" "$tmp/out" ||
	fail "the missing secrets file is not said: $(cat "$tmp/out")"
printf '[station]\nid = named-1\nsecrets_file = %s\n' "$tmp/bad-secrets.conf" >"$tmp/named.conf"
expect_exit 78 "$STATION" config check "$tmp/named.conf"
expect_err "$tmp/bad-secrets.conf:2: bad value for 'technician_pin_hash'"
grep -q 1234 "$tmp/err" && fail "a secret value was printed"
printf '[station]\nid = named-1\nsecrets_file = %s\n' "$tmp/secrets.conf" >"$tmp/named.conf"
chmod 600 "$tmp/secrets.conf"
expect_exit 0 "$STATION" config check "$tmp/named.conf"
grep -qxF "$tmp/secrets.conf: ok" "$tmp/out" || fail "named secrets not reported ok"
chmod 644 "$tmp/secrets.conf"
expect_exit 78 "$STATION" config check "$tmp/named.conf"
expect_err "$tmp/secrets.conf: mode 0644"

# show: the values in force, as a file that passes the check itself.
expect_exit 0 "$STATION" config show "$fx/minimal.conf"
cp "$tmp/out" "$tmp/shown.conf"
grep -qxF 'id = minimal-1' "$tmp/shown.conf" || fail "show lacks the id"
grep -qxF 'card_timeout = 10' "$tmp/shown.conf" || fail "show lacks a default"
grep -qxF 'fps = 30' "$tmp/shown.conf" || fail "show lacks the camera's rate"
grep -qxF 'roi =' "$tmp/shown.conf" || fail "show lacks the (empty) camera roi"
expect_exit 0 "$STATION" config check "$tmp/shown.conf"
expect_exit 0 "$STATION" config show "$fx/card-atr.conf"
cp "$tmp/out" "$tmp/shown.conf"
grep -qxF 'atr = 3B 8C 80 01 50 xx xx xx xx 30 AA AA 01 77 81 D7 xx' "$tmp/shown.conf" ||
	fail "show lacks the first ATR"
grep -qxF 'atr = 3B 8B 80 01 65 4B 54 50 xx xx xx xx xx xx xx xx' "$tmp/shown.conf" ||
	fail "show lacks the second ATR"
grep -qxF 'read_photo = yes' "$tmp/shown.conf" || fail "show lacks read_photo"
grep -qxF 'read_timeout = 8' "$tmp/shown.conf" || fail "show lacks read_timeout"
expect_exit 0 "$STATION" config check "$tmp/shown.conf"
expect_exit 0 "$STATION" config show "$fx/good.conf"
cp "$tmp/out" "$tmp/shown.conf"
grep -qxF 'roi = 480,0,960,1080' "$tmp/shown.conf" || fail "show lacks the camera roi"
grep -qxF 'width = 1920' "$tmp/shown.conf" || fail "show lacks the camera width"
grep -qxF 'key.2026-07 = PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=' "$tmp/shown.conf" ||
	fail "show lacks a QR key"
expect_exit 0 "$STATION" config check "$tmp/shown.conf"
expect_exit 78 "$STATION" config show "$fx/bad-values.conf"
expect_err "$fx/bad-values.conf:3:"

echo "config-check: ok"
