#!/bin/sh
# station print: a receipt as PNG whose QR reads back, ESC/POS bytes that
# decode back to an image, printers by URI, and the lookup file checks.
set -eu
: "${STATION:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-print.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() { # CODE CMD...
	want=$1
	shift
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || { cat "$tmp/out" "$tmp/err"; fail "'$*' exited $got, not $want"; }
}
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

ref="MPP-RCPT:CLI-TEST:7:1767225600"

# PNG: the QR on it reads back as the reference.
expect_exit 0 "$STATION" print receipt --sample --png "$tmp/r.png" --reference "$ref"
is_png "$tmp/r.png" || fail "receipt PNG is not a PNG"
got=$(zbarimg --nodbus --raw -q "$tmp/r.png")
[ "$got" = "$ref" ] || fail "QR reads '$got', not '$ref'"
# Without --reference, the default names the station only.
expect_exit 0 "$STATION" print receipt --sample --png "$tmp/d.png" --station KIOSK-9 --lang en --width 384
got=$(zbarimg --nodbus --raw -q "$tmp/d.png")
case $got in MPP-RCPT:KIOSK-9:0:[0-9]*) ;; *) fail "default reference '$got'" ;; esac

# ESC/POS bytes, then decoded back: a PNG whose QR still reads.
expect_exit 0 "$STATION" print receipt --sample --escpos "$tmp/r.escpos" --reference "$ref"
[ "$(head -c 2 "$tmp/r.escpos" | od -An -tx1 | tr -d ' \n')" = 1b40 ] || fail "no ESC @"
expect_exit 0 "$STATION" print decode "$tmp/r.escpos" --png "$tmp/back.png"
is_png "$tmp/back.png" || fail "decoded PNG is not a PNG"
got=$(zbarimg --nodbus --raw -q "$tmp/back.png")
[ "$got" = "$ref" ] || fail "decoded QR reads '$got'"

# Bad bytes and missing files.
printf 'hello' >"$tmp/bad.escpos"
expect_exit 65 "$STATION" print decode "$tmp/bad.escpos" --png "$tmp/bad.png"
head -c 100 "$tmp/r.escpos" >"$tmp/cut.escpos"
expect_exit 65 "$STATION" print decode "$tmp/cut.escpos" --png "$tmp/bad.png"
[ ! -e "$tmp/bad.png" ] || fail "a PNG was written for bad bytes"
expect_exit 66 "$STATION" print decode "$tmp/none.escpos" --png "$tmp/x.png"

# Printers by URI.
expect_exit 0 "$STATION" print receipt --sample --printer "sim:$tmp/spool"
[ -s "$tmp/spool/receipt-001.escpos" ] || fail "sim printer wrote no job"
expect_exit 0 "$STATION" print receipt --sample --printer "file:$tmp/lp.bin"
[ -s "$tmp/lp.bin" ] || fail "file printer wrote nothing"
expect_exit 69 "$STATION" print receipt --sample --printer "usb://04b8:0202"
expect_exit 64 "$STATION" print receipt --sample --printer "lpd://x"

# Lookup files: good, and each kind of bad one.
cat >"$tmp/good.json" <<'JSON'
{"holder_name": "Rina Marlina", "nik": "3201234567890001",
 "applications": [
  {"id": "APP-1", "agency": "Disdukcapil", "service": "KTP-el", "stage": "ready",
   "updated_at": "2026-03-01", "next_step": "Ambil di loket 1", "document_id": "DOC-1"},
  {"id": "APP-2", "agency": "Samsat", "service": "Pajak kendaraan", "stage": "awaiting_payment"}]}
JSON
expect_exit 0 "$STATION" print receipt --json "$tmp/good.json" --png "$tmp/j.png" --reference "$ref"
[ "$(zbarimg --nodbus --raw -q "$tmp/j.png")" = "$ref" ] || fail "json receipt QR"

bad() { # NAME JSON EXPECTED-MESSAGE-PART
	printf '%s' "$2" >"$tmp/$1.json"
	expect_exit 65 "$STATION" print receipt --json "$tmp/$1.json" --png "$tmp/$1.png"
	grep -q -- "$3" "$tmp/err" || fail "$1: message '$(cat "$tmp/err")' lacks '$3'"
	! grep -q "Secretname" "$tmp/err" || fail "$1: message shows personal data"
}
bad syntax '{"holder_name": "Secretname" "nik": ""}' "$tmp/syntax.json:1:"
bad stage '{"holder_name": "Secretname", "applications": [{"id": "A", "agency": "B", "service": "C", "stage": "done"}]}' "applications\[0\].stage: unknown stage 'done'"
bad type '{"holder_name": "Secretname", "applications": [{"id": 5, "agency": "B", "service": "C", "stage": "ready"}]}' "applications\[0\].id: must be a string"
bad nik '{"holder_name": "Secretname", "nik": "12345", "applications": []}' "nik: must be 16 digits"
bad long "{\"holder_name\": \"Secretname\", \"applications\": [{\"id\": \"$(printf '%050d' 1)\", \"agency\": \"B\", \"service\": \"C\", \"stage\": \"ready\"}]}" "id: longer than 39 bytes"
bad unknown '{"holder_name": "Secretname", "applications": [], "ktp_photo": "x"}' "ktp_photo: unknown member"
bad missing '{"holder_name": "Secretname"}' "applications: missing"
bad dup '{"holder_name": "Secretname", "holder_name": "Secretname", "applications": []}' "duplicate"
expect_exit 66 "$STATION" print receipt --json "$tmp/none.json" --png "$tmp/x.png"

# Command-line mistakes.
expect_exit 64 "$STATION" print receipt --png "$tmp/x.png"
expect_exit 64 "$STATION" print receipt --sample
expect_exit 64 "$STATION" print receipt --sample --png a.png --escpos b.escpos
expect_exit 64 "$STATION" print receipt --sample --png "$tmp/x.png" --width 500
expect_exit 64 "$STATION" print receipt --sample --png "$tmp/x.png" --lang fr
expect_exit 64 "$STATION" print frobnicate
expect_exit 64 "$STATION" print
for c in receipt decode document; do
	expect_exit 0 "$STATION" print "$c" --help
	grep -q 'Usage: station print' "$tmp/out" || fail "print $c --help"
done

# Documents: a PDF to a directory printer, junk refused.
printf '%%PDF-1.4\n%%demo\n%%%%EOF\n' >"$tmp/doc.pdf"
expect_exit 0 "$STATION" print document "$tmp/doc.pdf" --printer "dir:$tmp/docs"
grep -q '^document: ok$' "$tmp/out" || fail "document state: $(cat "$tmp/out")"
cmp -s "$tmp/doc.pdf" "$tmp/docs/document-001.pdf" || fail "document not written as is"
expect_exit 65 "$STATION" print document "$tmp/bad.escpos" --printer "dir:$tmp/docs"
grep -q '^document: failed$' "$tmp/out" || fail "junk document state"
[ ! -e "$tmp/docs/document-002.pdf" ] || fail "junk was printed"
expect_exit 69 "$STATION" print document "$tmp/doc.pdf" --printer "ipp://127.0.0.1:1/ipp/print"
expect_exit 66 "$STATION" print document "$tmp/none.pdf" --printer "dir:$tmp/docs"
echo "print-receipt: ok"
