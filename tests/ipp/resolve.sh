# After a restart the station asks the printer about jobs its journal left
# unfinished, by job id: completed -> ok, unknown -> failed, still going
# -> cancelled there (nobody waits for it), printer gone -> no answer.
. "$(dirname "$0")/common.shlib"
start_printer "$tmp/hold.sh"
make_pdf "$tmp/doc.pdf"
: >"$tmp/release"
run_print 0 "$tmp/doc.pdf" "$uri"
r() { "$HELPERDIR/ipp-helper-resolve" "$uri" "$1"; }
[ "$(r 1)" = ok ] || fail "job 1 not ok"
[ "$(r 99)" = failed ] || fail "unknown job not failed"
rm "$tmp/release"
ipptool -d filetype=application/pdf -f "$tmp/doc.pdf" "$uri" print-job.test >"$tmp/a.log" 2>&1 ||
	{ cat "$tmp/a.log" >&2; fail "ipptool print-job"; }
wait_for "$tmp/hold.pids" . 10
[ "$(r 2)" = cancelled ] || fail "held job not cancelled"
grep -q "Cancel-Job successful-ok" "$tmp/printer.log" || fail "no Cancel-Job"
kill "$printer_pid"
wait "$printer_pid" 2>/dev/null || true
st=0
r 1 >/dev/null 2>&1 || st=$?
[ "$st" -eq 69 ] || fail "unreachable printer: exit $st"
echo ok
