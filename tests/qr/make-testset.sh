#!/bin/sh
# Makes the QR test set: codes made by qrencode (several versions and
# module sizes), rendered by ImageMagick into 640x480, 1280x720 and
# 1920x1080 gray frames, one class of damage each. Nothing is hand-picked:
# every frame the script makes is in the manifest and is counted.
#
#   make-testset.sh OUTDIR
#
# Writes OUTDIR/manifest.tsv: class, width x height, frame, payload file
# ("-" for a frame without a code). Frames are PGM (binary), plus JPEG for
# the "jpeg" class. Remakes nothing when the manifest is newer than this
# script.
set -eu
out=${1:?usage: make-testset.sh OUTDIR}
self=$0
if [ -f "$out/manifest.tsv" ] && [ -z "$(find "$self" -newer "$out/manifest.tsv")" ]; then
	exit 0
fi
command -v qrencode >/dev/null || { echo "make-testset: qrencode missing" >&2; exit 1; }
command -v convert >/dev/null || { echo "make-testset: ImageMagick convert missing" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/codes" "$out/frames"

bg='#c8c8c8'

# Payloads of three sizes (QR versions ~3, ~7 and ~12 at level L): a URL
# (as a payment or a web code would be), a short token-like text and one
# as long as an MPP token. Fixed text: the set is the same on every run.
printf 'https://sipp.example.go.id/c/48213' >"$out/codes/p1.txt"
printf 'MPP1.eyJ2IjoxLCJhcHAiOiJBUFAtMjAyNi0wMDAxMDEiLCJkb2MiOiJE.c2lnbmF0dXJlLXRleHQ' \
	>"$out/codes/p2.txt"
{
	printf 'MPP1.eyJ2IjoxLCJhcHAiOiJBUFAtMjAyNi0wMDAxMDEiLCJkb2MiOiJET0MtMjAyNi0wMDAxMDEiLCJleHAiOjE3OTc5NzcyNjEs'
	printf 'Im5vbmNlIjoiYWJjZGVmZ2hpamtsbW5vcCIsImtpZCI6ImRlbW8tMjAyNiJ9.'
	printf 'aGVsbG8td29ybGQtc2lnbmF0dXJlLWJ5dGVzLWFyZS1oZXJlLTY0LWJ5dGVzLWxvbmctYWJjZGVmZ2hpams'
} >"$out/codes/p3.txt"

# code PAYLOAD MODULE -> codes/pP-sM.png (quiet zone 4 modules).
code() {
	f="$out/codes/$1-s$2.png"
	[ -f "$f" ] || qrencode -l M -m 4 -s "$2" -r "$out/codes/$1.txt" -o "$f"
	echo "$f"
}

manifest="$out/manifest.tsv.tmp"
: >"$manifest"
# Two convert processes make every frame (ImageMagick's start-up costs
# more than a frame here): each frame is one "( ... -write FILE ) +delete"
# group of jobs0.sh or jobs1.sh, which run in parallel below.
echo "convert \\" >"$out/jobs0.sh"
echo "convert \\" >"$out/jobs1.sh"

# frame CLASS W H PAYLOAD MODULE: one group and one manifest line.
n=0
frame() {
	class=$1 w=$2 h=$3 p=$4 s=$5
	n=$((n + 1))
	name="$class-${w}x$h-$n"
	ext=pgm
	[ "$class" = jpeg ] && ext=jpg
	dst="$out/frames/$name.$ext"
	c=$(code "$p" "$s")
	# The damage is done on the code tile (cheap), the frame-wide part
	# (noise, contrast) on the frame. Offsets move the code off centre.
	dx=$(((n * 37) % 120 - 60))
	dy=$(((n * 53) % 80 - 40))
	geo=$(printf '%+d%+d' "$dx" "$dy")
	tile="'(' '$c' -bordercolor white -border 8 -background '$bg'"
	post=""
	case $class in
	clean | jpeg) tile="$tile ')'" ;;
	blur-mild) tile="$tile -blur 0x0.8 ')'" ;;
	blur-strong) tile="$tile -blur 0x$(echo "$s" | awk '{print $1 * 0.3}') ')'" ;;
	noise) tile="$tile ')'"; post="-attenuate 0.6 +noise Gaussian" ;;
	rotate) tile="$tile -rotate $((n % 2 == 0 ? 23 : -38)) ')'" ;;
	perspective)
		tile="$tile -virtual-pixel background +distort Perspective '0,0 %[fx:w*0.05],%[fx:h*0.03]  0,%h 0,%h  %w,0 %[fx:w*0.95],%[fx:h*0.03]  %w,%h %w,%h' ')'"
		;;
	low-contrast) tile="$tile ')'"; post="+level 38%,62%" ;;
	inverted) tile="$tile -negate ')'" ;;
	glare)
		tile="$tile '(' -size 300x300 radial-gradient:white-none ')' -gravity northeast -compose screen -composite -compose over ')'"
		;;
	esac
	jobs="$out/jobs$((n % 2)).sh"
	if [ "$class" = two ]; then
		c2=$(code p1 "$s")
		echo "'(' -size ${w}x$h 'xc:$bg' -gravity center '$c' -geometry -$((w / 5))+0 -composite '$c2' -geometry +$((w / 5))+0 -composite -colorspace gray -depth 8 -write '$dst' ')' +delete \\" >>"$jobs"
	elif [ "$class" = none ]; then
		# Clutter: boxes, a disc, a bar, noise; but no code.
		echo "'(' -size ${w}x$h 'xc:$bg' -fill black -draw 'rectangle $((w / 4)),$((h / 4)) $((w / 3)),$((h / 2))' -fill gray30 -draw 'circle $((w / 2)),$((h / 2)) $((w / 2 + h / 6)),$((h / 2))' -fill gray60 -draw 'rectangle 20,$((h - 90)) $((w - 20)),$((h - 40))' -fill black -draw 'rectangle $((w * 2 / 3)),30 $((w * 2 / 3 + 40)),70' -attenuate 0.3 +noise Gaussian -colorspace gray -depth 8 -write '$dst' ')' +delete \\" >>"$jobs"
	else
		echo "'(' -size ${w}x$h 'xc:$bg' $tile -gravity center -geometry $geo -composite $post -colorspace gray -depth 8 -quality 80 -write '$dst' ')' +delete \\" >>"$jobs"
	fi
	if [ "$class" = none ]; then
		printf '%s\t%sx%s\t%s\t-\n' "$class" "$w" "$h" "$dst" >>"$manifest"
	elif [ "$class" = two ]; then
		printf '%s\t%sx%s\t%s\t%s|%s\n' "$class" "$w" "$h" "$dst" "$out/codes/$p.txt" \
			"$out/codes/p1.txt" >>"$manifest"
	else
		printf '%s\t%sx%s\t%s\t%s\n' "$class" "$w" "$h" "$dst" "$out/codes/$p.txt" >>"$manifest"
	fi
}

# Module sizes per resolution: what a code held 20-40 cm from the lens
# gives at that resolution (the smaller is the harder).
for res in "640 480 3 5" "1280 720 4 6" "1920 1080 5 8"; do
	# shellcheck disable=SC2086 # four numbers, split on purpose
	set -- $res
	w=$1 h=$2 s1=$3 s2=$4
	for class in clean blur-mild jpeg blur-strong noise rotate perspective low-contrast \
		inverted glare two none; do
		frame "$class" "$w" "$h" p3 "$s1"
		frame "$class" "$w" "$h" p2 "$s2"
	done
	frame clean "$w" "$h" p1 "$s1"
done

echo "-size 1x1 xc:white null:" >>"$out/jobs0.sh"
echo "-size 1x1 xc:white null:" >>"$out/jobs1.sh"
sh -e "$out/jobs0.sh" &
pid0=$!
sh -e "$out/jobs1.sh" || { echo "make-testset: convert failed" >&2; exit 1; }
wait "$pid0" || { echo "make-testset: convert failed" >&2; exit 1; }
mv "$manifest" "$out/manifest.tsv"
echo "make-testset: $(wc -l <"$out/manifest.tsv") frames in $out"
