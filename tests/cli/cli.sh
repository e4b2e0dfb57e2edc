#!/bin/sh
# The command line: help, version, and clear errors with sysexits codes.
set -eu
: "${STATION:?}" "${SRCDIR:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-cli.XXXXXX")
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

expect_exit 0 "$STATION" --help
grep -q 'demo' "$tmp/out" || fail "--help lists no demo"
expect_exit 0 "$STATION" --version
grep -q '^station [0-9]' "$tmp/out" || fail "--version"
expect_exit 64 "$STATION"
expect_exit 64 "$STATION" frobnicate
grep -q "unknown command 'frobnicate'" "$tmp/err" || fail "unknown command message"
for c in demo run config print; do
	expect_exit 0 "$STATION" "$c" --help
	grep -qi 'usage' "$tmp/out" || fail "$c --help has no usage"
done
expect_exit 64 "$STATION" demo --size 12x
grep -q -- '--size' "$tmp/err" || fail "bad --size message"
expect_exit 64 "$STATION" demo --lang fr
expect_exit 64 "$STATION" demo --bogus

# A malformed scenario names its line, exits 65, runs nothing.
printf 'tap-card budi\ntouch prnt-receipt\n' >"$tmp/bad.scn"
expect_exit 65 "$STATION" demo --headless --out "$tmp/o" --scenario "$tmp/bad.scn"
grep -q 'line 2: unknown button' "$tmp/err" || fail "scenario error does not name line 2: $(cat "$tmp/err")"
expect_exit 66 "$STATION" demo --headless --out "$tmp/o" --scenario "$tmp/missing.scn"

# A failed expectation fails the run with the line.
printf 'tap-card budi\nexpect-screen welcome\n' >"$tmp/wrong.scn"
expect_exit 65 "$STATION" demo --headless --out "$tmp/o2" --scenario "$tmp/wrong.scn"
grep -q "line 2: expected screen 'welcome'" "$tmp/out" || fail "expectation message"

# Pressing a button the screen does not show is refused.
printf 'touch print-receipt\n' >"$tmp/nobutton.scn"
expect_exit 65 "$STATION" demo --headless --out "$tmp/o3" --scenario "$tmp/nobutton.scn"
grep -q "no 'print-receipt' button" "$tmp/out" || fail "button check message"

# station run refuses a broken config with its line.
printf '[station]\nid = x\n[session]\nidle_timeout = soon\n' >"$tmp/bad.conf"
expect_exit 78 "$STATION" run --config "$tmp/bad.conf"
grep -q ':4:' "$tmp/err" || fail "run does not name the config line"
expect_exit 66 "$STATION" run --config "$tmp/none.conf"

# A camera standing in from files refuses, at start-up and saying why, a
# Y4M video of more than 8 bits a sample (it would be misread as 8-bit).
printf 'YUV4MPEG2 W4 H2 F30:1 C420p10\nFRAME\n' >"$tmp/deep.y4m"
head -c 24 /dev/zero >>"$tmp/deep.y4m"
printf '[station]\nid = x\nstate_dir = %s/state\n[camera]\nbackend = files\ndevice = %s/deep.y4m\n' \
	"$tmp" "$tmp" >"$tmp/deep.conf"
expect_exit 70 "$STATION" run --config "$tmp/deep.conf"
grep -qF "camera '$tmp/deep.y4m': unsupported format" "$tmp/err" ||
	fail "run does not say why the 10-bit Y4M is refused"
grep -qF "8-bit C420" "$tmp/err" || fail "run does not name the Y4M formats it takes"

# Technician cards: the secrets line for a UID is its keyed BLAKE2b hash
# (checked against Python's own BLAKE2b); test-config loads such lines.
line=$("$STATION" maintenance hash-card 04:5A:21:3C:8E:61:80)
want=$(python3 -c 'import hashlib; print(hashlib.blake2b(bytes.fromhex("045a213c8e6180"), key=b"anjungan technician card v1".ljust(32, b"\0"), digest_size=32).hexdigest())')
[ "$line" = "technician_card = $want" ] || fail "hash-card printed '$line'"
expect_exit 64 "$STATION" maintenance hash-card 04:5A:2
expect_exit 64 "$STATION" maintenance
echo "cli: ok"
