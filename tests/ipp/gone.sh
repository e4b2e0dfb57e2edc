# The printer dies (kill -9) while our job is processing: "offline" within
# seconds, not a hang.
. "$(dirname "$0")/common.shlib"
start_printer "$tmp/hold.sh"
make_pdf "$tmp/doc.pdf"
start=$(date +%s)
"$STATION" print document "$tmp/doc.pdf" --printer "$uri" >"$tmp/out" 2>"$tmp/err" &
station_pid=$!
pids="$station_pid $pids"
wait_for "$tmp/hold.pids" . 10
kill -9 "$printer_pid"
st=0
wait "$station_pid" || st=$?
[ "$st" -eq 69 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "exit $st, not 69"; }
grep -qx "document: offline" "$tmp/out" || fail "not offline: $(cat "$tmp/out")"
[ $(($(date +%s) - start)) -le 20 ] || fail "took too long"
echo "ok"
