#!/bin/sh
# The demo in a real window: an X server (Xvfb), real input events from
# xdotool (XTEST: as from a mouse and keyboard; with no window manager the
# window sits at 0,0 and the keyboard focus follows the pointer), the
# screen read back with ImageMagick's import. A click on the
# hidden maintenance corner must open the PIN pad; the key 1 (the demo's
# stand-in for Budi's e-KTP) must bring up his applications; Esc quits.
set -eu
: "${STATION:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-window.XXXXXX")
xpid=""
spid=""
cleanup() {
	[ -z "$spid" ] || kill "$spid" 2>/dev/null || true
	[ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
	rm -rf "$tmp"
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
differs() { # A B: more than 1000 pixels differ
	n=$(compare -metric AE "$1" "$2" null: 2>&1 || true)
	[ "${n%%.*}" -gt 1000 ] 2>/dev/null
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
xdotool mousemove 640 400 key 1
wait_change "$tmp/welcome.png" "$tmp/status.png" || fail "a card tap changed nothing"
differs "$tmp/pinpad.png" "$tmp/status.png" || fail "status looks like the PIN pad"
stop
echo "window: click and key input reach the station"
