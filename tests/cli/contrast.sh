#!/bin/sh
# High contrast and large text, switched on by the citizen
# (tests/scenarios/high-contrast.scn, headless): the screens of her
# session are dark (white and yellow on black), the welcome screens before
# and after it the normal light ones (the next citizen starts normal).
# Layout in that mode (paging, buttons, every screen at every size) is
# checked by test-ui and the contrast-* goldens.
set -eu
: "${STATION:?}" "${SRCDIR:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-contrast.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

"$STATION" demo --headless --backend sim --printers sim --size 1280x800 --out "$tmp/out" \
	--scenario "$SRCDIR/tests/scenarios/high-contrast.scn" >"$tmp/log" 2>&1 ||
	fail "scenario failed: $(cat "$tmp/log")"
cd "$tmp/out/screens"
ls >"$tmp/screens"
# The body (below the header band) is dark or light.
mean() { convert "$1" -crop 1280x600+0+120 -colorspace Gray -format '%[fx:mean]' info:; }
dark() { awk -v m="$(mean "$1")" 'BEGIN { exit !(m < 0.3) }'; }
light() { awk -v m="$(mean "$1")" 'BEGIN { exit !(m > 0.7) }'; }
first=$(head -1 "$tmp/screens")
last=$(tail -1 "$tmp/screens")
case "$first" in *-welcome.png) ;; *) fail "first screen $first" ;; esac
case "$last" in *-welcome.png) ;; *) fail "last screen $last" ;; esac
light "$first" || fail "the first welcome screen is not the normal one ($(mean "$first"))"
light "$last" || fail "the next citizen's welcome is not back to normal ($(mean "$last"))"
n=0
for f in $(sed '1d;$d' "$tmp/screens"); do
	dark "$f" || fail "$f is not in high contrast ($(mean "$f"))"
	n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n screens in high contrast: $(cat "$tmp/screens")"

echo "contrast: $n screens of the session in high contrast, normal before and after"
