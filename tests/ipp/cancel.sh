# The session gives up while the printer holds our job: the back end sends
# Cancel-Job and reports "cancelled"; the job is not printed.
. "$(dirname "$0")/common.shlib"
start_printer "$tmp/hold.sh"
make_pdf "$tmp/doc.pdf"
"$HELPERDIR/ipp-helper-cancel" "$uri" "$tmp/doc.pdf" "$tmp/cancel" >"$tmp/out" 2>"$tmp/err" &
helper_pid=$!
pids="$helper_pid $pids"
wait_for "$tmp/hold.pids" . 10
wait_for "$tmp/err" "^processing\$" 10
: >"$tmp/cancel"
st=0
wait "$helper_pid" || st=$?
[ "$st" -eq 0 ] || { cat "$tmp/out" "$tmp/err" >&2; fail "helper exited $st"; }
grep -qx "cancelled" "$tmp/out" || fail "not cancelled: $(cat "$tmp/out")"
grep -q "Cancel-Job successful-ok" "$tmp/printer.log" || fail "no Cancel-Job at the printer"
echo ok
