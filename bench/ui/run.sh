#!/bin/sh
# The UI's figures (reported, never asserted):
#  - render time of every screen of the gallery at 1920x1080, median;
#  - display open -> first frame, and input event -> new frame presented
#    (bench-ui-latency: a click pushed into SDL's queue, hit test, session,
#    draw, present);
#  - `station run` on simulators (and `station demo` with its stand-ins)
#    in a window: start-up -> first frame presented (READY=1 to systemd,
#    startup.py), and steady-state RSS/PSS after it has idled, also with
#    the texture display path (STATION_DISPLAY_TEXTURE=1) for comparison.
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

	# `station run` on simulators (a configuration naming no device:
	# every back end is the simulator), in a 1920x1080 window.
	mkdir -p "$tmp/state"
	printf '[station]\nid = bench-1\nstate_dir = %s/state\n[ui]\nwidth = 1920\nheight = 1080\nfullscreen = no\n' \
		"$tmp" >"$tmp/station.conf"

	# Start-up: exec -> first frame presented (the station says READY=1
	# to systemd right after it), five runs.
	echo "station run (simulators): start-up -> first frame:" \
		"$(python3 "$(dirname "$0")/startup.py" 5 "$station" run --config "$tmp/station.conf")"
	echo "station demo (mpp-sim and printer stand-ins started): start-up -> first frame:" \
		"$(python3 "$(dirname "$0")/startup.py" 5 "$station" demo --size 1920x1080)"

	# Steady-state memory, idle on the welcome screen.
	measure() { # LABEL COMMAND...: RSS, PSS, peak and idle CPU
		label=$1
		shift
		"$@" >"$tmp/station.log" 2>&1 &
		spid=$!
		for _ in $(seq 150); do
			xdotool search --onlyvisible --name '^Anjungan' >/dev/null 2>&1 && break
			sleep 0.2
		done
		sleep "${SETTLE:-5}"
		if ! kill -0 "$spid" 2>/dev/null; then
			echo "$label: exited early" >&2
			cat "$tmp/station.log" >&2
			spid=""
			return 0
		fi
		rss=$(awk '/^VmRSS/ {print $2}' "/proc/$spid/status")
		hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$spid/status")
		anon=$(awk '/^RssAnon/ {print $2}' "/proc/$spid/status")
		pss=$(awk '/^Pss:/ {print $2}' "/proc/$spid/smaps_rollup")
		echo "$label, idle on welcome: RSS $((rss / 1024)) MB (anonymous" \
			"$((anon / 1024)) MB, PSS $((pss / 1024)) MB), peak $((hwm / 1024)) MB"
		cpu0=$(awk '{print $14 + $15}' "/proc/$spid/stat")
		sleep 5
		cpu1=$(awk '{print $14 + $15}' "/proc/$spid/stat")
		echo "$label idle CPU: $(((cpu1 - cpu0) * 100 / $(getconf CLK_TCK) / 5)) % of a core over 5 s"
		kill "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
		spid=""
	}
	measure "station run (simulators)" "$station" run --config "$tmp/station.conf"
	STATION_DISPLAY_TEXTURE=1 measure "station run (simulators, texture display path)" \
		"$station" run --config "$tmp/station.conf"
	measure "station demo (stand-ins)" "$station" demo --size 1920x1080
else
	echo "(no Xvfb: display figures from SDL's offscreen driver; station figures skipped)"
	SDL_VIDEODRIVER=offscreen "$latency" --rounds "${ROUNDS:-200}"
fi
