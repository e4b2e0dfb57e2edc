# A completed job: the spooled PDF is byte-identical, the job name has no
# file name in it, progress is shown; a low toner still prints; not a PDF
# and an unreachable printer give their exit codes without a hang.
. "$(dirname "$0")/common.shlib"
start_printer /bin/true
make_pdf "$tmp/Siti_Rahmawati.pdf"

run_print 0 "$tmp/Siti_Rahmawati.pdf" "$uri"
grep -qx "document: ok" "$tmp/out" || fail "not ok: $(cat "$tmp/out")"
for w in connecting checking sending completed; do
	grep -q "] $w\$" "$tmp/err" || fail "no progress '$w'"
done
set -- "$tmp"/spool/*.pdf
[ $# -eq 1 ] && [ -f "$1" ] || fail "want one spooled PDF, have: $*"
cmp "$tmp/Siti_Rahmawati.pdf" "$1" || fail "spooled PDF differs"
case "$1" in *Siti* | *Rahmawati*) fail "the job name holds the file name: $1" ;; esac

# Toner low is a warning, not a reason to refuse.
curl -sf -o /dev/null "$web/supplies?supply0=95&supply1=5"
run_print 0 "$tmp/Siti_Rahmawati.pdf" "$uri"
set -- "$tmp"/spool/*.pdf
[ $# -eq 2 ] || fail "want two spooled PDFs, have $#"

printf 'not a pdf\n' >"$tmp/x.pdf"
run_print 65 "$tmp/x.pdf" "$uri"
set -- "$tmp"/spool/*.pdf
[ $# -eq 2 ] || fail "a non-PDF was sent"

run_print 64 "$tmp/x.pdf" "ipp://127.0.0.1:$port/ipp/print?timeout=zero"

kill "$printer_pid"
wait "$printer_pid" 2>/dev/null || true
start=$(date +%s)
run_print 69 "$tmp/Siti_Rahmawati.pdf" "$uri"
[ $(($(date +%s) - start)) -le 10 ] || fail "unreachable printer took too long"
echo "ok"
