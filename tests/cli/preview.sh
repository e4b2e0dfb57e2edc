#!/bin/sh
# The live camera preview in a real window: `station run` under Xvfb on a
# files camera playing a looped Y4M video (a bright square moving across a
# dark room) standing in for a webcam. A click on "Pindai kode QR" opens
# the QR screen: the guide frame must show the picture (lit, not the dark
# empty frame) and it must move (two screenshots differ there). "Kembali"
# goes back: the welcome screen must be as before, with no trace of the
# picture; and scanning again must not show the old picture first.
set -eu
: "${STATION:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-preview.XXXXXX")
xpid=""
spid=""
cleanup() {
	[ -z "$spid" ] || kill "$spid" 2>/dev/null || true
	[ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	[ -f "$tmp/station.log" ] && cat "$tmp/station.log" >&2
	exit 1
}
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" # SDL's X11 modules: see window.sh

# 160x120 grey (Cmono), 30 frames a second: a 30-pixel white square moving
# 4 pixels a frame over a dark background.
python3 - "$tmp/cam.y4m" <<'EOP'
import sys
w, h = 160, 120
with open(sys.argv[1], "wb") as f:
    f.write(b"YUV4MPEG2 W%d H%d F30:1 Ip A1:1 Cmono\n" % (w, h))
    for i in range(30):
        x0 = (i * 4) % (w - 30)
        rows = bytearray()
        for y in range(h):
            for x in range(w):
                rows.append(230 if x0 <= x < x0 + 30 and 45 <= y < 75 else 30)
        f.write(b"FRAME\n" + bytes(rows))
EOP
mkdir -p "$tmp/state"
cat >"$tmp/station.conf" <<EOF
[station]
id = preview-1
state_dir = $tmp/state
[ui]
width = 1280
height = 800
fullscreen = no
[camera]
backend = files
device = $tmp/cam.y4m
loop = yes
EOF

. "$(dirname "$0")/xvfb.shlib"
start_xvfb

shot() { import -window root "$1"; }
# The guide frame of the QR screen at 1280x800 (inside its brackets).
guide="360x360+100+190"
pixels_differ() { # A B [GEOMETRY]: how many pixels differ
	g=${3:-}
	n=$(compare -metric AE "$1${g:+[$g]}" "$2${g:+[$g]}" null: 2>&1 || true)
	# A count, possibly as 1.2e+06: printed as a whole number.
	awk -v n="$n" 'BEGIN { printf "%d\n", n + 0 }'
}

"$STATION" run --config "$tmp/station.conf" >"$tmp/station.log" 2>&1 &
spid=$!
wait_window || fail "no window appeared"
for _ in $(seq 100); do
	shot "$tmp/welcome.png"
	lit=$(convert "$tmp/welcome.png" -format '%[fx:mean>0.2?1:0]' info:)
	[ "$lit" = 1 ] && break
	sleep 0.2
done
[ "$lit" = 1 ] || fail "the window stayed dark"

# Welcome -> the QR screen.
xdotool mousemove 963 571 click 1
ok=0
for _ in $(seq 100); do
	shot "$tmp/scan1.png"
	# Dark empty frame: mean ~0.07; the picture, dimmed around the
	# guide, is lit inside it where the square passes.
	n=$(pixels_differ "$tmp/welcome.png" "$tmp/scan1.png")
	if [ "$n" -gt 1000 ]; then
		ok=1
		break
	fi
	sleep 0.2
done
[ "$ok" = 1 ] || fail "a click on the scan button changed nothing"

# The picture moves: within a few seconds the guide area changes.
moved=0
for _ in $(seq 50); do
	sleep 0.2
	shot "$tmp/scan2.png"
	n=$(pixels_differ "$tmp/scan1.png" "$tmp/scan2.png" "$guide")
	if [ "$n" -gt 500 ]; then
		moved=1
		break
	fi
done
[ "$moved" = 1 ] || fail "the preview does not move (guide area unchanged)"
# ...and it is the camera's picture: the square's white is there.
max=$(convert "$tmp/scan2.png[$guide]" -colorspace Gray -format '%[fx:maxima]' info:)
awk -v m="$max" 'BEGIN { exit !(m > 0.8) }' || fail "no bright square in the guide (max $max)"

# Back: the welcome screen as it was (the clock may have ticked: the
# header is left out).
xdotool mousemove 1000 700 click 1
back=0
for _ in $(seq 100); do
	shot "$tmp/back.png"
	n=$(pixels_differ "$tmp/welcome.png" "$tmp/back.png" "1280x700+0+80")
	if [ "$n" -lt 100 ]; then
		back=1
		break
	fi
	sleep 0.2
done
[ "$back" = 1 ] || fail "Back did not return to the same welcome screen"

kill "$spid"
wait "$spid" || fail "station run exited $? on SIGTERM"
spid=""
echo "preview: the QR screen shows the moving camera picture, and it is gone after"
