#!/bin/sh
# Heartbeats: `station run` (in an Xvfb window, on simulated devices) with
# [backend] heartbeat = 1 against mpp-sim, which keeps each heartbeat in
# its SQLite database: they arrive about once a second, carry the version,
# the uptime, the confirmations queued and each device's state, and
# nothing personal. SIGTERM stops the station cleanly.
set -eu
: "${STATION:?}" "${BUILDDIR:?}"
MPP_SIM=${MPP_SIM:-$BUILDDIR/station/sim/mpp-sim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-heartbeat.XXXXXX")
xpid=""
spid=""
mpid=""
cleanup() {
	for p in $spid $mpid $xpid; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	[ -f "$tmp/station.log" ] && cat "$tmp/station.log" >&2
	exit 1
}
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" # SDL's X11 modules: see window.sh
command -v sqlite3 >/dev/null || fail "sqlite3 CLI missing (tools/install-deps)"

mkfifo "$tmp/sim.fifo"
"$MPP_SIM" serve --quiet --listen 127.0.0.1:0 --db "$tmp/sim.db" >"$tmp/sim.fifo" 2>"$tmp/sim.err" &
mpid=$!
line=$(head -n 1 <"$tmp/sim.fifo" || true)
url=${line##* }
case "$url" in http://127.0.0.1:*) ;; *) fail "mpp-sim did not start: '$line'" ;; esac

. "$(dirname "$0")/xvfb.shlib"
start_xvfb

mkdir -p "$tmp/state"
cat >"$tmp/station.conf" <<EOC
[station]
id = HB-TEST-01
state_dir = $tmp/state
[card]
backend = sim
[camera]
backend = sim
[receipt]
printer = sim:$tmp/rcpt
[document]
printer = dir:$tmp/doc
[backend]
url = $url
heartbeat = 1
EOC
"$STATION" config check "$tmp/station.conf" >/dev/null || fail "config: $("$STATION" config check "$tmp/station.conf" 2>&1)"

"$STATION" run --config "$tmp/station.conf" >"$tmp/station.log" 2>&1 &
spid=$!
beats() { curl -sf "$url/admin/stats" | jq -r .heartbeats; }
for _ in $(seq 100); do
	[ "$(beats)" -ge 3 ] 2>/dev/null && break
	kill -0 "$spid" 2>/dev/null || fail "station run exited"
	sleep 0.1
done
[ "$(beats)" -ge 3 ] || fail "only $(beats) heartbeat(s) in 10 s"
# What the backend got: ours, with each device's state and no personal data.
sqlite3 "$tmp/sim.db" "SELECT station, body FROM heartbeats" >"$tmp/beats"
grep -q '^HB-TEST-01|' "$tmp/beats" || fail "station id: $(cat "$tmp/beats")"
last=$(tail -n 1 "$tmp/beats" | cut -d'|' -f2-)
echo "$last" | jq -e '.version != null' >/dev/null || fail "no version: $last"
echo "$last" | jq -e '.uptime_s >= 1 and .pending_confirmations == 0' >/dev/null ||
	fail "no uptime: $last"
echo "$last" | jq -e '[.devices[] | select(.state == "ok") | .device] | sort ==
	["backend","camera","card-reader","document-printer","receipt-printer"]' >/dev/null ||
	fail "device states: $last"
! grep -Eq '[0-9]{16}' "$tmp/beats" || fail "a 16-digit number in a heartbeat"

kill -TERM "$spid"
for _ in $(seq 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$spid" 2>/dev/null && fail "SIGTERM did not stop the station"
wait "$spid" || fail "station run exited $? on SIGTERM"
spid=""
echo "heartbeat: ok"
