#!/bin/sh
# QR decoding figures on the generated test set: decode rate per class
# (station scanner vs zbar's default configuration), median ms per frame
# at 640x480 / 1280x720 / 1920x1080 with and without a code, and
# instructions per frame under callgrind (one stream frame, as the camera
# thread pays it, with and without the finder check) when valgrind is
# installed. Prints, asserts nothing.
set -eu
: "${BUILDDIR:?}" "${SRCDIR:?}"
rate=$BUILDDIR/tests/qr/qr-rate
set_dir=$BUILDDIR/qr-testset
if [ ! -x "$rate" ]; then
	echo "bench/qr: $rate not built (ninja -C $BUILDDIR qr-rate)" >&2
	exit 1
fi
sh "$SRCDIR/tests/qr/make-testset.sh" "$set_dir"
echo "-- decode rate and time per frame ($(grep -c . "$set_dir/manifest.tsv") frames)"
"$rate" --bench "$set_dir/manifest.tsv"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "-- callgrind: valgrind not installed, skipped"
	exit 0
fi
echo "-- instructions per frame (callgrind, qr_scanner_decode only, first 3 frames of each kind,"
echo "   each decoded as the first frame of a stream: finder check, then zbar's plain pass)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-10s %-12s %16s %16s\n' resolution frame "finder check" "without check"
for res in 640x480 1280x720 1920x1080; do
	for kind in clean none; do
		grep "^$kind	$res	" "$set_dir/manifest.tsv" | head -n 3 >"$tmp/m.tsv"
		n=$(grep -c . "$tmp/m.tsv" || true)
		[ "$n" -gt 0 ] || continue
		line=""
		for opt in "" --no-finder-check; do
			# shellcheck disable=SC2086 # an option or nothing
			valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
				--toggle-collect=qr_scanner_decode "$rate" --frames "$n" $opt \
				"$tmp/m.tsv" >/dev/null 2>"$tmp/cg.log" || { tail -n 5 "$tmp/cg.log"; continue 2; }
			ir=$(sed -n 's/^summary: *//p' "$tmp/cg.out" | head -n 1)
			line="$line $(printf '%16s' $((ir / n)))"
		done
		label=$([ "$kind" = clean ] && echo "with a code" || echo "no code")
		printf '%-10s %-12s%s  instructions per frame\n' "$res" "$label" "$line"
	done
done
