#!/bin/sh
# The whole headless demo scenario at the other supported screen sizes
# in both languages (demo.sh runs it at 1920x1080 in Bahasa Indonesia): every
# step must pass (buttons found where the layout put them) and every
# screen written must have the size asked for.
set -eu
: "${STATION:?}"
out=$(mktemp -d "${TMPDIR:-/tmp}/station-demo-sizes.XXXXXX")
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for variant in 1280x800:en 1080x1920:id; do
	size=${variant%:*}
	lang=${variant#*:}
	dir="$out/$size-$lang"
	"$STATION" demo --headless --out "$dir" --size "$size" --lang "$lang" \
		>"$dir.stdout" 2>"$dir.stderr" ||
		{ cat "$dir.stdout" "$dir.stderr"; fail "demo at $size $lang exited $?"; }
	grep -q '^result: OK' "$dir/summary.txt" || fail "$size $lang: summary does not say OK"
	n=$(cd "$dir/screens" && for f in *.png; do echo "$f"; done | grep -c .)
	[ "$n" -ge 15 ] || fail "$size $lang: only $n screens"
	sizes=$(cd "$dir/screens" && identify -format '%wx%h\n' ./*.png | sort -u)
	[ "$sizes" = "$size" ] || fail "$size $lang: screens of size $sizes"
	echo "demo at $size in $lang: $n screens"
done
