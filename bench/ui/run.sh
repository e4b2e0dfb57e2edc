#!/bin/sh
# The UI's figures (reported, never asserted):
#  - render time of every screen of the gallery at 1920x1080, median;
#  - display open -> first frame, and input event -> new frame presented
#    (bench-ui-latency: a click pushed into SDL's queue, hit test, session,
#    draw, present);
#  - `station demo` in a window on simulators: start-up -> window mapped
#    with its first frame, and steady-state RSS after it has idled.
# Uses an Xvfb server when there is one (the real X11 path), else SDL's
# offscreen driver and skips the station figures.
set -eu
: "${BUILDDIR:?}"
gallery="$BUILDDIR/ui/ui-gallery"
latency="$BUILDDIR/bench/ui/bench-ui-latency"
station="$BUILDDIR/station/station"

"$gallery" time --runs "${RUNS:-15}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-ui.XXXXXX")
xpid=""
spid=""
cleanup() {
	[ -z "$spid" ] || kill "$spid" 2>/dev/null || true
	[ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

if command -v Xvfb >/dev/null 2>&1 && command -v xdotool >/dev/null 2>&1; then
	Xvfb -displayfd 5 -screen 0 1920x1080x24 -nolisten tcp 5>"$tmp/display" \
		>"$tmp/xvfb.log" 2>&1 &
	xpid=$!
	for _ in $(seq 150); do [ -s "$tmp/display" ] && break; sleep 0.1; done
fi
if [ -s "$tmp/display" ]; then
	DISPLAY=":$(cat "$tmp/display")"
	export DISPLAY
	"$latency" --rounds "${ROUNDS:-200}"

	# Start-up: from exec to the window being mapped (the demo maps it
	# when the first frame is presented).
	t0=$(date +%s%N)
	"$station" demo --size 1920x1080 >"$tmp/station.log" 2>&1 &
	spid=$!
	if timeout 30 xdotool search --sync --onlyvisible --name '^Anjungan' >/dev/null; then
		t1=$(date +%s%N)
		echo "station demo: start-up -> window mapped: $(((t1 - t0) / 1000000)) ms"
		sleep "${SETTLE:-5}"
		rss=$(awk '/^VmRSS/ {print $2}' "/proc/$spid/status")
		hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$spid/status")
		echo "station demo (simulators, idle on welcome): RSS $((rss / 1024)) MB," \
			"peak $((hwm / 1024)) MB"
		cpu0=$(awk '{print $14 + $15}' "/proc/$spid/stat")
		sleep 5
		cpu1=$(awk '{print $14 + $15}' "/proc/$spid/stat")
		echo "station demo idle CPU: $(((cpu1 - cpu0) * 100 / $(getconf CLK_TCK) / 5)) % of a core over 5 s"
	else
		echo "station demo: no window within 30 s" >&2
		cat "$tmp/station.log" >&2
	fi
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	spid=""
else
	echo "(no Xvfb: display figures from SDL's offscreen driver; station figures skipped)"
	SDL_VIDEODRIVER=offscreen "$latency" --rounds "${ROUNDS:-200}"
fi
