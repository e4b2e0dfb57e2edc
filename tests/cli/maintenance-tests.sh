#!/bin/sh
# The maintenance screen's active tests, run through the station's own
# devices (tests/scenarios/maintenance-tests.scn, headless, simulators):
# the scenario itself asserts each verdict (expect-test). Here: the test
# pages really came out (the receipt's QR code decodes to the test text,
# the PDF reads as the test page), each test is logged with its verdict,
# the card test started no lookup, and no personal data reached the log.
set -eu
: "${STATION:?}" "${SRCDIR:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-mtests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
"$STATION" demo --headless --backend sim --printers sim --size 1280x800 --out "$tmp/out" \
	--log-level debug --scenario "$SRCDIR/tests/scenarios/maintenance-tests.scn" \
	>"$tmp/log" 2>&1 || fail "scenario failed: $(tail -20 "$tmp/log")"

for want in "test receipt-printer: ok: test page printed" \
	"test document-printer: ok: test page printed (PDF" \
	"test backend: ok: reachable" \
	"test card-reader: ok: a card read: UID of 7 bytes" \
	"test card-reader: failed: a card, but not an e-KTP" \
	"test camera: ok: a QR code decoded" \
	"test camera: degraded: no QR code seen within 20 s" \
	"test receipt-printer: failed: the printer is not ready (paper end), nothing sent" \
	"test backend: failed: unreachable"; do
	grep -Fq "maintenance: $want" "$tmp/log" || fail "not logged: $want"
done

# One receipt and one document: the two test pages, nothing else.
[ "$(ls "$tmp/out/receipts" | grep -c '\.escpos$')" = 1 ] || fail "receipts: $(ls "$tmp/out/receipts")"
[ "$(ls "$tmp/out/documents" | grep -c '\.pdf$')" = 1 ] || fail "documents: $(ls "$tmp/out/documents")"
qr=$(zbarimg -q --raw "$tmp/out/receipts/"*.png 2>/dev/null) || fail "no QR code on the receipt"
case "$qr" in
ANJUNGAN-TEST:DEMO-01:*) ;;
*) fail "receipt QR code: $qr" ;;
esac
pdftotext "$tmp/out/documents/"*.pdf "$tmp/doc.txt"
grep -q "Anjungan test page: document printer" "$tmp/doc.txt" || fail "PDF: $(cat "$tmp/doc.txt")"
grep -q "station DEMO-01" "$tmp/doc.txt" || fail "PDF without the station id"

# The card test looked nothing up; the session was the technician's only.
if grep -q "session: maintenance -> looking-up" "$tmp/log"; then
	fail "the card test started a lookup"
fi
# The demo citizens' NIKs, names and card UIDs never reach the log.
if grep -Eiq "3273051203850001|Budi Santoso|04:?5A:?21:?3C" "$tmp/log"; then
	fail "personal data in the log"
fi
echo "maintenance tests: receipt, document, backend, card and camera tested through the station's own devices, verdicts and pages checked"
