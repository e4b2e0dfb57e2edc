#!/bin/sh
# `station print receipt --printer tcp://...` end to end against the TCP
# stand-in: the bytes on the wire are the status requests and the job,
# the job decodes to a receipt whose QR carries our reference; a printer
# out of paper refuses with exit 69; a closed port is exit 69 too.
set -eu
: "${STATION:?}" "${STANDIN:?}"
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || { exec 3>&-; wait "$pid" 2>/dev/null || true; }
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# start_standin STATUS1,STATUS2,STATUS4: sets $port; stdin kept open on fd 3.
start_standin() {
	rm -rf "$tmp/fifo" "$tmp/port" "$tmp/spool"
	mkdir "$tmp/spool"
	mkfifo "$tmp/fifo"
	"$STANDIN" --out "$tmp/wire.bin" --spool "$tmp/spool" --status "$1" <"$tmp/fifo" >"$tmp/port" &
	pid=$!
	exec 3>"$tmp/fifo"
	i=0
	while ! grep -q '^port ' "$tmp/port" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "stand-in did not start"
		sleep 0.05
	done
	port=$(sed -n 's/^port //p' "$tmp/port")
}
stop_standin() {
	exec 3>&-
	wait "$pid" || fail "stand-in failed"
	pid=
}

ref="MPP-RCPT:TCP-TEST:42:1700000000"
start_standin 12,12,12
"$STATION" print receipt --sample --reference "$ref" \
	--printer "tcp://127.0.0.1:$port?timeout_ms=3000" >"$tmp/out" || fail "print over tcp"
grep -q 'printed .* bytes to tcp' "$tmp/out" || fail "no confirmation: $(cat "$tmp/out")"
stop_standin
# Status requests (DLE EOT 1, 2, 4) before and after the job.
req=$(printf '\020\004\001\020\004\002\020\004\004' | od -An -tx1 | tr -d ' \n')
[ "$(head -c 9 "$tmp/wire.bin" | od -An -tx1 | tr -d ' \n')" = "$req" ] || fail "status before"
[ "$(tail -c 9 "$tmp/wire.bin" | od -An -tx1 | tr -d ' \n')" = "$req" ] || fail "status after"
size=$(wc -c <"$tmp/wire.bin")
tail -c +10 "$tmp/wire.bin" | head -c $((size - 18)) >"$tmp/job.escpos"
"$STATION" print decode "$tmp/job.escpos" --png "$tmp/job.png" || fail "job does not decode"
[ "$(zbarimg --nodbus --raw -q "$tmp/job.png")" = "$ref" ] || fail "QR on the printed job"
# The stand-in's spool holds that one job, the status requests left out.
[ "$(ls "$tmp/spool")" = receipt-001.escpos ] || fail "spool: $(ls "$tmp/spool")"
cmp -s "$tmp/spool/receipt-001.escpos" "$tmp/job.escpos" || fail "spooled job differs"

# A status change on the stand-in's stdin: paper end, then printed nothing.
start_standin 12,12,12
echo "status 12 32 72" >&3
if "$STATION" print receipt --sample --printer "tcp://127.0.0.1:$port?timeout_ms=3000" \
	>"$tmp/out" 2>"$tmp/err"; then
	fail "printed after the paper ran out"
fi
stop_standin
[ -z "$(ls "$tmp/spool")" ] || fail "a job was spooled without paper"

# Paper end: refused before anything is sent.
start_standin 1a,32,72
if "$STATION" print receipt --sample --printer "tcp://127.0.0.1:$port?timeout_ms=3000" \
	>"$tmp/out" 2>"$tmp/err"; then
	fail "printed with paper out"
else
	[ $? -eq 69 ] || fail "paper out: exit status"
fi
grep -q 'paper end' "$tmp/err" || fail "paper out message: $(cat "$tmp/err")"
stop_standin
[ "$(wc -c <"$tmp/wire.bin")" -eq 9 ] || fail "bytes sent to a printer without paper"

# Nobody listening any more on that port.
if "$STATION" print receipt --sample --printer "tcp://127.0.0.1:$port?timeout_ms=1000" \
	2>"$tmp/err"; then
	fail "printed to a closed port"
else
	[ $? -eq 69 ] || fail "closed port: exit status"
fi
echo "tcp cli: ok"
