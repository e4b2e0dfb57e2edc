# The tray is emptied while our job waits its turn: the job waits
# (media-needed), times out, is cancelled at the printer and never runs.
# (ippeveprinter keeps media-empty after a refill through its web form, so
# "never runs" is checked as: the printer got Cancel-Job and its print
# command ran only for the job ahead.)
. "$(dirname "$0")/common.shlib"
start_printer "$tmp/hold.sh"
make_pdf "$tmp/doc.pdf"

# Job A (ipptool) holds the printer, which takes one job at a time: ours
# waits its turn ("busy"), the tray empties, then A ends.
ipptool -d filetype=application/pdf -f "$tmp/doc.pdf" "$uri" print-job.test >"$tmp/a.log" 2>&1 ||
	{ cat "$tmp/a.log" >&2; fail "ipptool print-job"; }
wait_for "$tmp/hold.pids" . 10
"$STATION" print document "$tmp/doc.pdf" --printer "$uri?timeout=3" >"$tmp/out" 2>"$tmp/err" &
station_pid=$!
pids="$station_pid $pids"
wait_for "$tmp/err" "] printer-busy$" 10
set_tray 0
: >"$tmp/release"
st=0
wait "$station_pid" || st=$?
[ "$st" -eq 69 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "exit $st, not 69"; }
grep -qx "document: paper-out" "$tmp/out" || fail "not paper-out: $(cat "$tmp/out")"
grep -q "] media-needed\$" "$tmp/err" || fail "no progress 'media-needed'"
grep -q "] timed-out\$" "$tmp/err" || fail "no progress 'timed-out'"
grep -q "Cancel-Job successful-ok" "$tmp/printer.log" || fail "the job was not cancelled"
sleep 1
[ "$(hold_runs)" -eq 1 ] || fail "the timed-out job was printed after all"
echo "ok"
