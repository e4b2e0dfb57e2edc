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

# Same scenario, same screens: the headless demo is deterministic.
out2="$out/again"
"$STATION" demo --headless --out "$out2" >/dev/null 2>&1 || fail "second run failed"
[ "$(ls "$out/screens")" = "$(ls "$out2/screens")" ] || fail "second run showed other screens"
echo "demo: $n screens, receipt and document verified"
