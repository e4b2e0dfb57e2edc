#!/bin/sh
# `station diag`: each section's verdict and the exit code (0 ok, 1
# degraded, 2 failed) against what this machine has: simulators, a state
# directory, pcscd pointed at a socket nobody listens on, a closed TCP
# port, mpp-sim up, slow, down and over TLS, a state directory a headless
# demo left (journal, fault log). The JSON is checked with jq and against
# docs/diag.schema.json (python3-jsonschema).
set -eu
: "${STATION:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
MPP_SIM=${MPP_SIM:-$BUILDDIR/station/sim/mpp-sim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-diag.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v jq >/dev/null 2>&1 || fail "jq is not installed (tools/install-deps)"
python3 -c 'import jsonschema' 2>/dev/null ||
	fail "python3-jsonschema is not installed (tools/install-deps)"

# Whatever pcscd this machine or another test runs, diag's client looks
# for it here, where nothing listens: pcscd is down.
export PCSCLITE_CSOCK_NAME="$tmp/pcscd.comm"

expect_exit() { # CODE CMD...
	want=$1
	shift
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || { cat "$tmp/out" "$tmp/err" >&2; fail "'$*' exited $got, not $want"; }
}
# jq_is FILTER VALUE: the last --json report gives VALUE for FILTER.
jq_is() {
	got=$(jq -r "$1" "$tmp/out") || fail "not JSON: $(head -c 300 "$tmp/out")"
	[ "$got" = "$2" ] || { cat "$tmp/out" >&2; fail "$1 is '$got', not '$2'"; }
}
# conf NAME CARD RECEIPT BACKEND [STATE_DIR]: writes $tmp/NAME.conf.
conf() {
	mkdir -p "$tmp/state"
	cat >"$tmp/$1.conf" <<EOC
[station]
id = diag-test-01
state_dir = ${5:-$tmp/state}
[card]
backend = $2
[camera]
backend = sim
[receipt]
printer = $3
[document]
printer = sim:$tmp/spool-doc
[backend]
url = $4
timeout = 5
EOC
}
SECTIONS="build config pcscd usb cameras state_dir journal faults receipt_printer document_printer backend"
check_shape() { # the fields every report has
	jq_is .format anjungan-diag/1
	jq -e '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' "$tmp/out" >/dev/null ||
		fail "bad time"
	# Exactly these sections, in this order, each with its common fields.
	jq_is '[.sections | keys_unsorted[]] | join(" ")' "$SECTIONS"
	jq -e '[.sections[] | (.verdict | IN("ok","degraded","failed"))
		and (.required | type == "boolean") and (.summary | type == "string")] | all' \
		"$tmp/out" >/dev/null || fail "a section is malformed"
	# The verdict is the worst of the required sections.
	worst=$(jq -r '[.sections[] | select(.required) | .verdict] |
		if index("failed") then "failed" elif index("degraded") then "degraded"
		else "ok" end' "$tmp/out")
	jq_is .verdict "$worst"
	"$SRCDIR/tools/validate-json" "$SRCDIR/docs/diag.schema.json" "$tmp/out" || fail "schema"
}

# Command line.
expect_exit 0 "$STATION" diag --help
grep -q -- "--json" "$tmp/out" || fail "--help lacks --json"
expect_exit 64 "$STATION" diag --bogus
expect_exit 64 "$STATION" diag --timeout 0
expect_exit 64 "$STATION" diag extra
expect_exit 64 "$STATION" diag test
expect_exit 64 "$STATION" diag test printer
expect_exit 64 "$STATION" diag test receipt extra
expect_exit 78 "$STATION" diag test receipt --config "$tmp/missing.conf"

# 1. Everything simulated, a state directory: ok, exit 0.
conf sim sim "sim:$tmp/spool-rcpt" sim:
expect_exit 0 "$STATION" diag --json --config "$tmp/sim.conf"
check_shape
jq_is .verdict ok
for s in build config state_dir receipt_printer document_printer backend; do
	jq_is ".sections.$s.verdict" ok
done
jq_is .sections.config.station_id diag-test-01
jq_is .sections.config.card_backend sim
jq_is .sections.config.card_atr_patterns 0
jq_is .sections.config.card_read_photo false
jq_is .sections.config.card_read_timeout_s 5
jq_is .sections.receipt_printer.reachable true
jq_is '.sections.receipt_printer.status | length' 0
jq_is .sections.backend.reachable true
jq_is .sections.build.version "$("$STATION" --version | sed 's/^station //')"
jq -e '.sections.build.libraries | has("pcsc-lite") and has("libusb") and has("libcups")
	and has("sqlite") and has("libsodium") and has("sdl") and has("libmicrohttpd")' \
	"$tmp/out" >/dev/null || fail "library versions missing"
jq_is .sections.state_dir.path "$tmp/state"
jq -e '.sections.state_dir.free_bytes > 0' "$tmp/out" >/dev/null || fail "no free space"
# pcscd is down here but the simulated reader does not need it.
jq_is .sections.pcscd.verdict failed
jq_is .sections.pcscd.required false
# The text form says the same.
expect_exit 0 "$STATION" diag --config "$tmp/sim.conf"
grep -q '^station diag: ok' "$tmp/out" || fail "text verdict"
grep -Eq '^  pcscd +failed .*\[not used\]' "$tmp/out" || fail "text pcscd line"

# Active tests on the simulated printers: a test page each. The receipt
# decodes (station print decode) and its QR code reads back (zbarimg).
expect_exit 0 "$STATION" diag test receipt --json --config "$tmp/sim.conf"
jq_is .verdict ok
qr=$(jq -r .qr "$tmp/out")
"$STATION" print decode "$tmp/spool-rcpt/receipt-001.escpos" --png "$tmp/test-page.png" ||
	fail "the receipt test page does not decode"
[ "$(zbarimg --nodbus --raw -q "$tmp/test-page.png")" = "$qr" ] || fail "receipt test page QR"
# The camera test reads frames until a QR code decodes: the receipt test
# page as a one-image camera (ok), an image without a code (degraded), a
# missing file (failed), the simulated camera (nothing to capture).
sed "/^\[camera\]/,/^\[receipt\]/ s#^backend = sim\$#backend = files\ndevice = $tmp/test-page.png#" \
	"$tmp/sim.conf" >"$tmp/cam.conf"
grep -q "^device = $tmp/test-page.png" "$tmp/cam.conf" || fail "camera config: $(cat "$tmp/cam.conf")"
expect_exit 0 "$STATION" diag test camera --json --config "$tmp/cam.conf"
jq_is .verdict ok
jq_is .qr_test_page true
jq_is .qr_length "${#qr}"
jq -e '.frames >= 1 and .width > 0 and .height > 0' "$tmp/out" >/dev/null || fail "camera frames"
! grep -q "$qr" "$tmp/out" || fail "the QR content is in the report"
# A white 64x64 PGM: a frame with no code.
printf 'P5\n64 64\n255\n' >"$tmp/blank.pgm"
head -c 4096 /dev/zero | tr '\0' '\377' >>"$tmp/blank.pgm"
sed "s#$tmp/test-page.png#$tmp/blank.pgm#" "$tmp/cam.conf" >"$tmp/cam-blank.conf"
expect_exit 1 "$STATION" diag test camera --config "$tmp/cam-blank.conf"
grep -q '^camera: degraded: 1 frame(s) of 64x64, no QR code seen' "$tmp/out" || fail "$(cat "$tmp/out")"
sed "s#$tmp/test-page.png#$tmp/none.png#" "$tmp/cam.conf" >"$tmp/cam-none.conf"
expect_exit 2 "$STATION" diag test camera --config "$tmp/cam-none.conf"
grep -q '^camera: failed: ' "$tmp/out" || fail "$(cat "$tmp/out")"
expect_exit 2 "$STATION" diag test camera --config "$tmp/sim.conf"
grep -q '^camera: failed: the camera is simulated' "$tmp/out" || fail "$(cat "$tmp/out")"
expect_exit 0 "$STATION" diag test document --config "$tmp/sim.conf"
grep -q '^document: ok: test page printed (PDF, [0-9]* bytes)$' "$tmp/out" || fail "$(cat "$tmp/out")"
pdftotext "$tmp/spool-doc/document-001.pdf" - | grep -q 'station diag-test-01' ||
	fail "document test page text"
# The card test needs a real reader: the simulated one is "no reader",
# with the exit of `station card read`.
expect_exit 69 "$STATION" diag test card --json --config "$tmp/sim.conf"
jq_is .verdict failed
jq_is .outcome no-reader
jq_is .exit_code 69
expect_exit 69 "$STATION" diag test card --config "$tmp/sim.conf"
grep -q '^card: failed: the card reader is simulated' "$tmp/out" || fail "$(cat "$tmp/out")"

# 2. A PC/SC reader configured, pcscd down: failed, exit 2.
conf pcsc pcsc "sim:$tmp/spool-rcpt" sim:
expect_exit 2 "$STATION" diag --json --config "$tmp/pcsc.conf"
check_shape
jq_is .sections.pcscd.verdict failed
jq_is .sections.pcscd.required true
jq -e '.sections.pcscd.summary | test("unreachable")' "$tmp/out" >/dev/null || fail "pcscd why"
# diag test card: no reader (69), as `station card read` says it.
expect_exit 69 "$STATION" diag test card --config "$tmp/pcsc.conf"
grep -q '^card: failed: no card reader (is pcscd running?)$' "$tmp/out" || fail "$(cat "$tmp/out")"
# The [card] read settings in force, as the config gives them.
sed 's/^backend = pcsc$/backend = pcsc\natr = 3B 8C xx\natr = 3B 8B xx\nread_photo = yes\nread_timeout = 9/' \
	"$tmp/pcsc.conf" >"$tmp/pcsc-atr.conf"
expect_exit 2 "$STATION" diag --json --config "$tmp/pcsc-atr.conf"
check_shape
jq_is .sections.config.verdict ok
jq_is .sections.config.card_atr_patterns 2
jq_is .sections.config.card_read_photo true
jq_is .sections.config.card_read_timeout_s 9

# 3. A receipt printer on a closed TCP port: failed.
conf tcp sim tcp://127.0.0.1:1 sim:
expect_exit 2 "$STATION" diag --json --config "$tmp/tcp.conf"
check_shape
jq_is .sections.receipt_printer.verdict failed
jq_is .sections.receipt_printer.reachable false
jq_is .sections.receipt_printer.uri tcp://127.0.0.1:1

# 4. The state directory missing: failed.
conf nostate sim "sim:$tmp/spool-rcpt" sim: "$tmp/no-such-dir"
expect_exit 2 "$STATION" diag --json --config "$tmp/nostate.conf"
check_shape
jq_is .sections.state_dir.verdict failed

# 5. A configuration that cannot be read: config failed, the rest probed
# on the defaults.
expect_exit 2 "$STATION" diag --json --config "$tmp/missing.conf"
check_shape
jq_is .sections.config.verdict failed
jq_is .sections.config.path "$tmp/missing.conf"
printf '[station]\nid = x\nbogus = 1\n' >"$tmp/bad.conf"
expect_exit 2 "$STATION" diag --json --config "$tmp/bad.conf"
jq_is .sections.config.verdict failed

# 6. A secrets file others can read: config failed, its content never
# shown.
conf secret sim "sim:$tmp/spool-rcpt" sim:
printf 'secrets_file = %s\n' "$tmp/secrets" >"$tmp/secret.tail"
sed "/^\[station\]/r $tmp/secret.tail" "$tmp/secret.conf" >"$tmp/secret2.conf"
printf '[backend]\ntoken = diag-test-secret-token\n' >"$tmp/secrets"
chmod 644 "$tmp/secrets"
expect_exit 2 "$STATION" diag --json --config "$tmp/secret2.conf"
jq_is .sections.config.verdict failed
jq_is .sections.config.secrets_file "$tmp/secrets"
! grep -q diag-test-secret-token "$tmp/out" || fail "a secret in the report"

# 7. The backend: mpp-sim up (ok), slow (degraded, exit 1), down (failed).
start_sim() { # NAME ARGS...: sets $url and $pid
	mkfifo "$tmp/$1.fifo"
	name=$1
	shift
	"$MPP_SIM" serve --quiet --listen 127.0.0.1:0 "$@" >"$tmp/$name.fifo" 2>"$tmp/$name.err" &
	pid=$!
	pids="$pids $pid"
	line=$(head -n 1 <"$tmp/$name.fifo" || true)
	url=${line##* }
	case "$url" in
	http://127.0.0.1:* | https://127.0.0.1:*) ;;
	*) cat "$tmp/$name.err" >&2; fail "mpp-sim did not start: '$line'" ;;
	esac
}
start_sim up
conf up sim "sim:$tmp/spool-rcpt" "$url"
expect_exit 0 "$STATION" diag --json --config "$tmp/up.conf"
check_shape
jq_is .sections.backend.verdict ok
jq_is .sections.backend.reachable true
jq -e '.sections.backend.latency_ms | type == "number"' "$tmp/out" >/dev/null || fail latency
jq -e '.sections.backend.clock_skew_s | type == "number"' "$tmp/out" >/dev/null || fail skew
kill "$pid"
wait "$pid" 2>/dev/null || true
expect_exit 2 "$STATION" diag --json --config "$tmp/up.conf"
jq_is .sections.backend.verdict failed
jq_is .sections.backend.reachable false
jq_is .sections.backend.latency_ms null

# mpp-sim down, then up on the same port: failed, then ok (healed).
port=${url##*:}
conf heal sim "sim:$tmp/spool-rcpt" "http://127.0.0.1:$port"
expect_exit 2 "$STATION" diag --json --config "$tmp/heal.conf"
check_shape
jq_is .sections.backend.verdict failed
jq -e '.sections.backend.summary | test("unreachable")' "$tmp/out" >/dev/null || fail "why down"
start_sim heal --listen "127.0.0.1:$port"
expect_exit 0 "$STATION" diag --json --config "$tmp/heal.conf"
check_shape
jq_is .sections.backend.verdict ok
jq_is .sections.backend.reachable true
# `station diag test backend`: one round trip, the same verdicts.
expect_exit 0 "$STATION" diag test backend --config "$tmp/heal.conf"
grep -q '^backend: ok: reachable, [0-9]* ms$' "$tmp/out" || fail "test backend: $(cat "$tmp/out")"
kill "$pid"
wait "$pid" 2>/dev/null || true
expect_exit 2 "$STATION" diag test backend --json --config "$tmp/heal.conf"
jq_is .verdict failed
jq_is .reachable false

start_sim slow --latency 1300
conf slow sim "sim:$tmp/spool-rcpt" "$url"
expect_exit 1 "$STATION" diag --json --config "$tmp/slow.conf"
check_shape
jq_is .verdict degraded
jq_is .sections.backend.verdict degraded
# --timeout bounds the probe: shorter than the latency, it fails.
expect_exit 2 "$STATION" diag --json --timeout 300 --config "$tmp/slow.conf"
jq_is .sections.backend.verdict failed
# 8. The state directory a headless demo left: its journal and the fault
# log the station wrote when the receipt printer ran out of paper and came
# back (tests/scenarios/errors.scn).
"$STATION" demo --headless --backend sim --out "$tmp/demo" \
	--scenario "$SRCDIR/tests/scenarios/errors.scn" >/dev/null 2>"$tmp/demo.err" ||
	{ cat "$tmp/demo.err" >&2; fail "the headless demo failed"; }
conf demo sim "sim:$tmp/spool-rcpt" sim: "$tmp/demo/state"
expect_exit 0 "$STATION" diag --json --config "$tmp/demo.conf"
check_shape
jq_is .sections.journal.verdict ok
jq_is .sections.journal.present true
jq_is .sections.journal.unsent_confirmations 0
jq_is .sections.faults.verdict ok
jq_is '[.sections.faults.entries[] | select(.device == "receipt-printer") | .state] | join(",")' \
	ok,failed
jq -e '.sections.faults.summary | test("receipt-printer recovered")' "$tmp/out" >/dev/null ||
	fail "faults summary"
# No personal data in the report: no NIK of a demo citizen, no name.
! grep -Eq '[0-9]{16}|Budi|BUDI' "$tmp/out" || fail "personal data in the report"
expect_exit 0 "$STATION" diag --config "$tmp/demo.conf"
grep -Eq '^  faults +ok +last: receipt-printer recovered' "$tmp/out" || fail "text faults line"

# 9. The backend over TLS: the certificate's expiry, days left, and
# degraded when it expires within 14 days.
command -v openssl >/dev/null || fail "openssl CLI missing: run tools/install-deps"
(
	cd "$tmp"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 400 \
		-subj "/CN=Diag Test CA" -keyout ca.key -out ca.pem 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >ext.cnf
	for d in 90 3; do
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-subj "/CN=127.0.0.1" -keyout "srv$d.key" -out "srv$d.csr" 2>/dev/null
		openssl x509 -req -in "srv$d.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
			-days "$d" -extfile ext.cnf -out "srv$d.pem" 2>/dev/null
	done
) || fail "openssl could not make the test certificates"
for d in 90 3; do
	start_sim "tls$d" --tls-cert "$tmp/srv$d.pem" --tls-key "$tmp/srv$d.key"
	case "$url" in https://*) ;; *) fail "mpp-sim did not serve https: $url" ;; esac
	conf "tls$d" sim "sim:$tmp/spool-rcpt" "$url"
	printf '[backend]\nca_file = %s\n' "$tmp/ca.pem" >>"$tmp/tls$d.conf"
	sed -i '0,/^\[backend\]$/!{/^\[backend\]$/d}' "$tmp/tls$d.conf"
	want=$([ "$d" = 90 ] && echo 0 || echo 1)
	expect_exit "$want" "$STATION" diag --json --config "$tmp/tls$d.conf"
	check_shape
	jq_is .sections.backend.reachable true
	notafter=$(openssl x509 -in "$tmp/srv$d.pem" -noout -enddate | sed 's/notAfter=//')
	jq_is .sections.backend.cert_not_after "$(date -u -d "$notafter" +%Y-%m-%dT%H:%M:%SZ)"
	# Whole days left: d, or d - 1 once a second has passed since it was made.
	jq -e ".sections.backend.cert_days_left | IN($d, $((d - 1)))" "$tmp/out" >/dev/null ||
		fail "cert_days_left is $(jq .sections.backend.cert_days_left "$tmp/out"), not $d"
done
jq_is .sections.backend.verdict degraded
jq -e '.sections.backend.summary | test("certificate expires soon")' "$tmp/out" >/dev/null ||
	fail "expiry not in the summary"
echo "diag: all checks passed"
