#!/bin/sh
# The headless demo end to end: it runs the built-in tour, and what it
# writes is read back with tools we did not write (ImageMagick's identify,
# zbarimg, pdftotext).
set -eu
: "${STATION:?}" "${BUILDDIR:?}"
out=$(mktemp -d "${TMPDIR:-/tmp}/station-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$STATION" demo --headless --out "$out" >"$out/stdout" 2>"$out/stderr" ||
	{ cat "$out/stdout" "$out/stderr"; fail "demo exited $?"; }

grep -q '^result: OK' "$out/summary.txt" || fail "summary does not say OK"

# Screens: numbered PNGs at the default size, the three flows' screens there.
n=$(ls "$out/screens" | grep -c '\.png$')
[ "$n" -ge 15 ] || fail "only $n screens"
for s in welcome reading-card looking-up status done-receipt choosing-document printing-document done-document error-qr-expired idle-countdown maintenance-login maintenance; do
	ls "$out/screens" | grep -q -- "-$s" || fail "no '$s' screen in $(ls "$out/screens")"
done
first=$(ls "$out/screens" | head -n 1)
[ "$(identify -format '%wx%h' "$out/screens/$first")" = 1920x1080 ] ||
	fail "screen size is not 1920x1080"

# The receipt: ESC/POS bytes and the PNG decoded from them; its QR scans.
[ -s "$out/receipts/receipt-001.escpos" ] || fail "no receipt bytes"
[ -s "$out/receipts/receipt-001.png" ] || fail "no receipt image"
qr=$(zbarimg --nodbus --raw -q "$out/receipts/receipt-001.png") || fail "receipt QR does not scan"
case "$qr" in MPP-RCPT:DEMO-01:*) ;; *) fail "receipt QR says '$qr'" ;; esac

# The document: a real PDF with the document's text.
[ -s "$out/documents/document-001.pdf" ] || fail "no document printed"
pdftotext "$out/documents/document-001.pdf" - | grep -q 'DOC-' || fail "document text missing"

# Printed through the real paths: the receipt is the job the TCP stand-in
# stored, the document the file ippeveprinter spooled, byte for byte.
grep -q '^printers: receipts over tcp:// to escpos-printer-sim, documents over ipp:// to ippeveprinter$' \
	"$out/summary.txt" || fail "not printed through the stand-ins: $(grep '^printers' "$out/summary.txt")"
set -- "$out"/printers/ipp-spool/*.pdf
[ $# -eq 1 ] && [ -f "$1" ] || fail "ippeveprinter spooled $# PDFs"
cmp -s "$1" "$out/documents/document-001.pdf" || fail "document differs from what ippeveprinter got"
grep -q 'Print-Job successful-ok' "$out/printers/ippeveprinter.log" ||
	fail "ippeveprinter's log shows no job"
[ "$(ls "$out/receipts" | grep -c '\.escpos$')" -eq 1 ] || fail "receipt jobs: $(ls "$out/receipts")"
if pgrep -f "escpos-printer-sim --spool $out/" >/dev/null || pgrep -f "ippeveprinter .*-d $out/" >/dev/null; then
	fail "a printer stand-in outlived the demo"
fi

# --printers sim: the in-process simulators, the same receipt (its time
# and reference carry the wall clock, so the same size, not the same pixels).
sim="$out/sim"
"$STATION" demo --headless --printers sim --out "$sim" >/dev/null 2>&1 || fail "--printers sim failed"
grep -q '^printers: sim (in process)$' "$sim/summary.txt" || fail "--printers sim not said"
[ ! -e "$sim/printers" ] || fail "--printers sim started stand-ins"
[ -s "$sim/documents/document-001.pdf" ] || fail "--printers sim: no document"
[ "$(wc -c <"$sim/receipts/receipt-001.escpos")" -eq "$(wc -c <"$out/receipts/receipt-001.escpos")" ] ||
	fail "the stand-in's receipt and the simulator's differ in size"
[ "$(identify -format '%wx%h' "$sim/receipts/receipt-001.png")" = \
	"$(identify -format '%wx%h' "$out/receipts/receipt-001.png")" ] || fail "receipt image sizes differ"

# A document printer condition ippeveprinter cannot show: documents go to
# the simulator for that run, and the summary says so.
printf 'printer document cover-open\nprinter document ok\n' >"$out/cover.scn"
"$STATION" demo --headless --scenario "$out/cover.scn" --out "$out/cover" >/dev/null 2>&1 ||
	fail "cover-open scenario failed"
grep -q '^printers: receipts over tcp:// to escpos-printer-sim, documents to the simulator (sim:)$' \
	"$out/cover/summary.txt" || fail "cover-open: $(grep '^printers' "$out/cover/summary.txt")"

# No ippeveprinter on this machine: documents to the simulator, said in
# one line, and the tour still runs to its end.
IPPEVEPRINTER=/nonexistent/ippeveprinter "$STATION" demo --headless --out "$out/noipp" \
	>"$out/noipp.out" 2>&1 || fail "demo without ippeveprinter failed"
[ "$(grep -c 'ippeveprinter (cups-ipp-utils) or dbus-daemon is not installed' "$out/noipp.out")" -eq 1 ] ||
	fail "no one-line notice without ippeveprinter"
[ -s "$out/noipp/documents/document-001.pdf" ] || fail "without ippeveprinter: no document"

# Same scenario, same screens: the headless demo is deterministic.
out2="$out/again"
"$STATION" demo --headless --out "$out2" >/dev/null 2>&1 || fail "second run failed"
[ "$(ls "$out/screens")" = "$(ls "$out2/screens")" ] || fail "second run showed other screens"
# And the same summary (printers and backend named without their ports).
sed "s|$out2|OUT|g" "$out2/summary.txt" >"$out/s2"
sed "s|$out|OUT|g" "$out/summary.txt" >"$out/s1"
cmp -s "$out/s1" "$out/s2" || fail "second run's summary differs: $(diff "$out/s1" "$out/s2")"
echo "demo: $n screens, receipt and document verified"
