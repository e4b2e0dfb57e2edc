# An empty tray before the job: refused before anything is sent.
. "$(dirname "$0")/common.shlib"
start_printer /bin/true
make_pdf "$tmp/doc.pdf"

set_tray 0
run_print 69 "$tmp/doc.pdf" "$uri"
grep -qx "document: paper-out" "$tmp/out" || fail "not paper-out: $(cat "$tmp/out")"
grep -q "] refused\$" "$tmp/err" || fail "not refused before sending"
[ -z "$(ls "$tmp/spool")" ] || fail "a job was sent to an empty printer"
echo "ok"
