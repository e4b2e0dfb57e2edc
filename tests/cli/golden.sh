#!/bin/sh
# Golden images: every screen of the gallery (ui/gallery.c) rendered now at
# the three supported sizes in both languages must match the committed
# images in tests/golden/ within a tolerance (a pixel differs when its grey
# level moves by more than 64 of 255; an image fails when more than 0.2 %
# of its pixels differ: enough for a word, an icon or a moved button, not
# for anti-aliasing). On failure the fresh image and a diff (differences
# black) are left in $BUILDDIR/golden-diff/. Regenerate after an intended
# change with tools/update-golden.
set -eu
: "${BUILDDIR:?}" "${SRCDIR:?}"
gallery="$BUILDDIR/ui/ui-gallery"
golden="$SRCDIR/tests/golden"
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -x "$gallery" ] || fail "no $gallery"
rm -rf "$BUILDDIR/golden-diff"
"$gallery" check "$golden" --diff "$BUILDDIR/golden-diff" ||
	fail "screens differ from tests/golden (see $BUILDDIR/golden-diff)"

# No golden image left behind for a screen that no longer exists, and
# every variant directory is one the check covered.
screens=$("$gallery" list | sort)
n=$(printf '%s\n' "$screens" | grep -c .)
[ "$n" -ge 30 ] || fail "only $n screens in the gallery"
for v in 1920x1080-id 1920x1080-en 1280x800-id 1280x800-en 1080x1920-id 1080x1920-en; do
	[ -d "$golden/$v" ] || fail "no $v golden images"
	have=$(cd "$golden/$v" && for f in *.png; do echo "${f%.png}"; done | sort)
	[ "$have" = "$screens" ] || fail "$v: golden images do not match the screen list"
done
entries=$(cd "$golden" && for f in *; do echo "$f"; done | grep -c .)
[ "$entries" -eq 6 ] || fail "unexpected entries in tests/golden: $(cd "$golden" && echo *)"

# The check is not blind: a screen compared against another screen's image
# must fail.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/1280x800-en"
for s in $screens; do cp "$golden/1280x800-en/welcome.png" "$tmp/1280x800-en/$s.png"; done
if "$gallery" check "$tmp" --size 1280x800 --lang en --diff "$tmp/diff" >"$tmp/out" 2>&1; then
	fail "comparing every screen with the welcome screen passed"
fi
[ -s "$tmp/diff/1280x800-en/status.diff.png" ] || fail "no diff image written"
echo "golden: $n screens x 6 variants match"
