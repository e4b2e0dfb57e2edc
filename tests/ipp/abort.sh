# A job the printer aborts (its print command fails): "failed", exit 74.
. "$(dirname "$0")/common.shlib"
start_printer /bin/false
make_pdf "$tmp/doc.pdf"
run_print 74 "$tmp/doc.pdf" "$uri"
grep -qx "document: failed" "$tmp/out" || fail "not failed: $(cat "$tmp/out")"
grep -q "] aborted\$" "$tmp/err" || fail "no progress 'aborted'"
echo "ok"
