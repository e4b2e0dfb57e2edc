#!/bin/sh
# `station scan` on codes made by qrencode from tokens that `mpp-sim
# issue-token` signed: valid (text and JSON), expired, forged, a URL, an
# image without a code, a missing file; and the exit codes.
set -eu
: "${STATION:?}" "${MPPSIM:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

"$MPPSIM" issue-token --application APP-2026-000101 | tr -d '\n' >valid.txt
"$MPPSIM" issue-token --application APP-2026-000101 --expired | tr -d '\n' >expired.txt
# Forged: the payload of one token with the signature of another.
"$MPPSIM" issue-token --application APP-2026-000102 | tr -d '\n' >other.txt
printf '%s.%s' "$(cut -d. -f1,2 valid.txt)" "$(cut -d. -f3 other.txt)" >forged.txt
for t in valid expired forged; do
	qrencode -s 5 -r $t.txt -o $t.png
done
qrencode -s 4 -o url.png 'https://example.com/bayar?id=1'
convert valid.png -quality 85 valid.jpg
convert valid.png -depth 8 valid.pgm
convert -size 320x240 xc:gray80 blank.png

out=$("$STATION" scan valid.png valid.jpg valid.pgm) || fail "valid codes: exit $?"
[ "$(echo "$out" | grep -c ': valid: application APP-2026-000101, document DOC-2026-000101')" -eq 3 ] ||
	fail "valid output: $out"
# The token itself is never printed.
echo "$out" | grep -q "$(cut -d. -f3 valid.txt)" && fail "token printed"

json=$("$STATION" scan --json valid.png)
echo "$json" | grep -q '"verdict":"valid"' || fail "json: $json"
echo "$json" | grep -q '"application_id":"APP-2026-000101"' || fail "json: $json"

check() { # FILE VERDICT
	set +e
	o=$("$STATION" scan "$1")
	rc=$?
	set -e
	[ "$rc" -eq 65 ] || fail "$1: exit $rc, want 65"
	[ "$o" = "$1: $2" ] || fail "$1: '$o', want '$1: $2'"
}
check expired.png "expired"
check forged.png "bad signature"
check url.png "not an MPP code"
check blank.png "no code found"

# One bad file fails the run; a missing one is 66.
set +e
"$STATION" scan valid.png blank.png >/dev/null
rc=$?
"$STATION" scan valid.png missing.png >/dev/null 2>&1
rc2=$?
"$STATION" scan >/dev/null 2>&1
rc3=$?
"$STATION" scan --key nokey valid.png >/dev/null 2>&1
rc4=$?
set -e
[ "$rc" -eq 65 ] || fail "valid + blank: exit $rc"
[ "$rc2" -eq 66 ] || fail "missing file: exit $rc2"
[ "$rc3" -eq 64 ] || fail "no file: exit $rc3"
[ "$rc4" -eq 64 ] || fail "bad --key: exit $rc4"

# A key given on the command line replaces the demo key: unknown key.
o=$("$STATION" scan --key other=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= valid.png || true)
[ "$o" = "valid.png: unknown key" ] || fail "--key: $o"
o=$("$STATION" scan --demo-key --key other=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= valid.png)
echo "$o" | grep -q ': valid:' || fail "--demo-key: $o"
echo "scan-cli: ok"
