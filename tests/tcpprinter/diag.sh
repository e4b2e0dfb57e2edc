#!/bin/sh
# `station diag` against the TCP 9100 receipt printer stand-in: ready (ok),
# paper near its end (degraded, exit 1), paper end (failed, exit 2), the
# printer gone (failed, unreachable), back (ok: healed). Each report is
# validated against docs/diag.schema.json.
set -eu
: "${STATION:?}" "${STANDIN:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || { exec 3>&-; wait "$pid" 2>/dev/null || true; }
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export PCSCLITE_CSOCK_NAME="$tmp/pcscd.comm" # not used: the card is simulated

# start_standin STATUS1 STATUS2 STATUS4: sets $port; stdin kept open on fd 3.
start_standin() {
	rm -f "$tmp/fifo" "$tmp/port"
	mkfifo "$tmp/fifo"
	"$STANDIN" --out "$tmp/wire.bin" --status "$1,$2,$3" <"$tmp/fifo" >"$tmp/port" &
	pid=$!
	exec 3>"$tmp/fifo"
	i=0
	while ! grep -q '^port ' "$tmp/port" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "stand-in did not start"
		sleep 0.05
	done
	port=$(sed -n 's/^port //p' "$tmp/port")
	mkdir -p "$tmp/state"
	cat >"$tmp/diag.conf" <<EOC
[station]
id = diag-tcp-01
state_dir = $tmp/state
[card]
backend = sim
[camera]
backend = sim
[receipt]
printer = tcp://127.0.0.1:$port?timeout_ms=2000
[document]
printer = sim:$tmp/spool-doc
[backend]
url = sim:
EOC
}
stop_standin() {
	exec 3>&-
	wait "$pid" || fail "stand-in failed"
	pid=
}
diag() { # EXPECTED_EXIT
	set +e
	"$STATION" diag --json --config "$tmp/diag.conf" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" -eq "$1" ] || { cat "$tmp/out" "$tmp/err" >&2; fail "diag exited $got, not $1"; }
	"$SRCDIR/tools/validate-json" "$SRCDIR/docs/diag.schema.json" "$tmp/out" || fail "schema"
}
is() { # FILTER VALUE
	got=$(jq -r "$1" "$tmp/out")
	[ "$got" = "$2" ] || { jq .sections.receipt_printer "$tmp/out" >&2; fail "$1 is '$got', not '$2'"; }
}

start_standin 12 12 12
diag 0
is .sections.receipt_printer.verdict ok
is .sections.receipt_printer.reachable true
is '.sections.receipt_printer.status | length' 0
stop_standin
# diag asked for the status (DLE EOT 1, 2, 4) and printed nothing.
req=$(printf '\020\004\001\020\004\002\020\004\004' | od -An -tx1 | tr -d ' \n')
[ "$(od -An -tx1 "$tmp/wire.bin" | tr -d ' \n')" = "$req" ] || fail "diag sent more than status requests"

# Paper near its end (DLE EOT 4 bits 2-3): degraded.
start_standin 12 12 1e
diag 1
is .verdict degraded
is .sections.receipt_printer.verdict degraded
is '.sections.receipt_printer.status | join(",")' paper-near-end
stop_standin

# Paper end (bits 5-6): failed.
start_standin 1a 32 72
diag 2
is .verdict failed
is .sections.receipt_printer.verdict failed
jq -e '.sections.receipt_printer.status | index("paper-end")' "$tmp/out" >/dev/null ||
	fail "paper-end not in $(jq -c .sections.receipt_printer.status "$tmp/out")"
jq -e '.sections.receipt_printer.summary | test("paper-end")' "$tmp/out" >/dev/null ||
	fail "the summary does not say why"
stop_standin

# Gone: nobody listens on that port any more.
diag 2
is .sections.receipt_printer.verdict failed
is .sections.receipt_printer.reachable false

# Back, with paper: ok.
start_standin 12 12 12
diag 0
is .sections.receipt_printer.verdict ok
stop_standin

# `station diag test receipt`: a test page on the wire, which decodes
# (station print decode) to an image whose QR code zbarimg reads back.
start_standin 12 12 12
"$STATION" diag test receipt --json --config "$tmp/diag.conf" >"$tmp/out" ||
	fail "diag test receipt: exit $?"
is .verdict ok
qr=$(jq -r .qr "$tmp/out")
case "$qr" in ANJUNGAN-TEST:diag-tcp-01:[0-9]*) ;; *) fail "test page QR '$qr'" ;; esac
stop_standin
size=$(wc -c <"$tmp/wire.bin")
[ "$size" -gt 18 ] || fail "no test page on the wire"
tail -c +10 "$tmp/wire.bin" | head -c $((size - 18)) >"$tmp/page.escpos"
"$STATION" print decode "$tmp/page.escpos" --png "$tmp/page.png" || fail "test page does not decode"
[ "$(zbarimg --nodbus --raw -q "$tmp/page.png")" = "$qr" ] || fail "QR on the test page"

# Paper end: nothing sent, exit 2.
start_standin 1a 32 72
set +e
"$STATION" diag test receipt --config "$tmp/diag.conf" >"$tmp/out" 2>&1
got=$?
set -e
[ "$got" -eq 2 ] || fail "diag test receipt with paper end: exit $got"
grep -q '^receipt: failed: the printer is not ready (.*paper end' "$tmp/out" || fail "$(cat "$tmp/out")"
stop_standin
[ "$(wc -c <"$tmp/wire.bin")" -eq 9 ] || fail "bytes sent to a printer without paper"
echo "tcp diag: ok"
