#!/bin/sh
# The demo in a real window: an X server (Xvfb), real input events from
# xdotool (XTEST: as from a mouse and keyboard; with no window manager the
# window sits at 0,0 and the keyboard focus follows the pointer), the
# screen read back with ImageMagick's import. A click on the
# hidden maintenance corner must open the PIN pad; a click on "Kontras"
# must switch to high contrast; the key 1 (the demo's stand-in for Budi's
# e-KTP) must bring up his applications; Esc quits.
set -eu
: "${STATION:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-window.XXXXXX")
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
# Under AddressSanitizer, SDL's X11 back end dlopens extension libraries
# and unloads them at SDL_Quit, so LeakSanitizer reports their allocations
# from "<unknown module>" and cannot be told which library they are. Leak
# checking of our own code is done by the headless demo tests; ASan's
# memory-error checks stay on here.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"

. "$(dirname "$0")/xvfb.shlib"
start_xvfb

shot() { import -window root "$1"; }
differs() { # A B: more than 1000 pixels differ (compare may print 1.2e+06)
	n=$(compare -metric AE "$1" "$2" null: 2>&1 || true)
	awk -v n="$n" 'BEGIN { exit !(n + 0 > 1000) }'
}
# Waits until the screen differs from $1, saving it as $2.
wait_change() {
	for _ in $(seq 100); do
		shot "$2"
		differs "$1" "$2" && return 0
		sleep 0.2
	done
	return 1
}
start() {
	"$STATION" demo --size 1280x800 >"$tmp/station.log" 2>&1 &
	spid=$!
	wait_window || fail "no window appeared"
	# The first frame is drawn once the window shows; wait for non-black.
	for _ in $(seq 100); do
		shot "$tmp/welcome.png"
		lit=$(convert "$tmp/welcome.png" -format '%[fx:mean>0.2?1:0]' info:)
		[ "$lit" = 1 ] && return 0
		sleep 0.2
	done
	fail "the window stayed dark"
}
stop() {
	xdotool mousemove 640 400 key Escape
	for _ in $(seq 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$spid" 2>/dev/null && fail "Esc did not quit the demo"
	wait "$spid" || fail "the demo exited $?"
	spid=""
}

# A click on the hidden top-right corner opens the technician PIN pad.
start
xdotool mousemove 1240 40 click 1
wait_change "$tmp/welcome.png" "$tmp/pinpad.png" || fail "a click changed nothing"
stop

# Key 1 taps Budi's e-KTP: his applications appear. This run shows its
# frames through an SDL streaming texture, the display's other path (the
# first drew straight into the window's framebuffer).
export STATION_DISPLAY_TEXTURE=1
start
# First a click on "Kontras": high contrast, the page goes dark.
xdotool mousemove 950 688 click 1
wait_change "$tmp/welcome.png" "$tmp/contrast.png" || fail "a click on Kontras changed nothing"
dark=$(convert "$tmp/contrast.png" -crop 1280x600+0+120 -colorspace Gray -format '%[fx:mean<0.3?1:0]' info:)
[ "$dark" = 1 ] || fail "Kontras did not switch to high contrast"
xdotool mousemove 640 400 key 1
wait_change "$tmp/contrast.png" "$tmp/status.png" || fail "a card tap changed nothing"
differs "$tmp/pinpad.png" "$tmp/status.png" || fail "status looks like the PIN pad"
stop
echo "window: click and key input reach the station"
