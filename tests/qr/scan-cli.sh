#!/bin/sh
# `station scan` on codes made by qrencode from tokens that `mpp-sim
# issue-token` signed: valid (text and JSON), expired, forged, a URL, an
# image without a code, two codes in one image, a missing file; and the
# exit codes.
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
qrencode -s 5 -r other.txt -o other.png
# Two codes side by side: two valid tokens; a valid token and a URL (the
# URL on the left, tops aligned: codes are listed left to right); the same
# token twice.
convert -background white -gravity center valid.png other.png +append two-valid.png
convert -background white -gravity north url.png valid.png +append two-mixed.png
convert -background white valid.png valid.png +append same-twice.png

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

# Every code in a frame gets its own verdict; the run passes only when
# every code of every file is valid.
out=$("$STATION" scan two-valid.png) || fail "two valid codes: exit $?"
[ "$(echo "$out" | wc -l)" -eq 2 ] || fail "two valid codes: $out"
echo "$out" | grep -qxF 'two-valid.png [1/2]: valid: application APP-2026-000101, document DOC-2026-000101, expires '"$(echo "$out" | sed -n '1s/.*expires \([0-9]*\),.*/\1/p')"', key demo-2026' ||
	fail "two valid codes, first: $out"
echo "$out" | grep -q '^two-valid.png \[2/2\]: valid: application APP-2026-000102,' ||
	fail "two valid codes, second: $out"
set +e
out=$("$STATION" scan two-mixed.png)
rc=$?
set -e
[ "$rc" -eq 65 ] || fail "valid + URL in one frame: exit $rc, want 65"
[ "$(echo "$out" | sed -n 1p)" = "two-mixed.png [1/2]: not an MPP code" ] || fail "mixed: $out"
echo "$out" | sed -n 2p | grep -q '^two-mixed.png \[2/2\]: valid: application APP-2026-000101,' ||
	fail "mixed: $out"
out=$("$STATION" scan same-twice.png) || fail "the same code twice: exit $?"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "the same code twice is one: $out"
echo "$out" | grep -q '^same-twice.png: valid:' || fail "same twice: $out"

# JSON: one line per file, its codes in an array.
set +e
json=$("$STATION" scan --json two-valid.png two-mixed.png blank.png)
rc=$?
set -e
[ "$rc" -eq 65 ] || fail "json run: exit $rc"
[ "$(echo "$json" | wc -l)" -eq 3 ] || fail "json: not one line per file: $json"
l1=$(echo "$json" | sed -n 1p)
echo "$l1" | jq -e '.file == "two-valid.png" and .verdict == "valid" and (.codes | length) == 2 and
	.codes[0].application_id == "APP-2026-000101" and .codes[1].application_id == "APP-2026-000102" and
	(.codes[0].x < .codes[1].x)' >/dev/null || fail "json two valid: $l1"
l2=$(echo "$json" | sed -n 2p)
echo "$l2" | jq -e '.verdict == "mixed" and (.codes | length) == 2 and
	.codes[0].verdict == "not an MPP code" and .codes[1].verdict == "valid" and
	(.codes[0] | has("application_id") | not)' >/dev/null || fail "json mixed: $l2"
l3=$(echo "$json" | sed -n 3p)
echo "$l3" | jq -e '.file == "blank.png" and .verdict == "no code found" and .codes == []' \
	>/dev/null || fail "json no code: $l3"
echo "$json" | grep -q "$(cut -d. -f3 valid.txt)" && fail "token printed in json"

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
