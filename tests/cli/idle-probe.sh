#!/bin/sh
# Faults heal while idle: `station run` (in an Xvfb window) with the TCP
# ESC/POS stand-in as its receipt printer and [station] probe_interval = 1.
# Nobody touches the kiosk: the stand-in is told "paper end" on its stdin,
# and the idle probes alone bring the fault to the metrics (state gauge
# failed, fault counted), the fault log (faults.db) and the session (its
# device state, which the log shows as it changes); paper back, the same
# way to ok and a recovery counted.
# Values are polled with generous bounds, never timed.
set -eu
: "${STATION:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
STANDIN=${STANDIN:-$BUILDDIR/station/sim/escpos-printer-sim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-idle-probe.XXXXXX")
xpid=""
spid=""
pid=""
cleanup() {
	for p in $spid $pid $xpid; do kill "$p" 2>/dev/null || true; done
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
[ -x "$STANDIN" ] || fail "no stand-in at $STANDIN"

# The stand-in, online with paper; its stdin kept open on fd 3.
mkfifo "$tmp/fifo"
"$STANDIN" --status 12,12,12 <"$tmp/fifo" >"$tmp/port" &
pid=$!
exec 3>"$tmp/fifo"
for _ in $(seq 100); do grep -q '^port ' "$tmp/port" 2>/dev/null && break; sleep 0.05; done
port=$(sed -n 's/^port //p' "$tmp/port")
[ -n "$port" ] || fail "the stand-in did not start"

# A free port for the metrics.
mport=$((20000 + ($$ + 7) % 20000))
while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$mport/"; do mport=$((mport + 1)); done
url="http://127.0.0.1:$mport/metrics"

mkdir -p "$tmp/state"
cat >"$tmp/station.conf" <<EOC
[station]
id = PROBE-TEST-01
state_dir = $tmp/state
log_level = debug
probe_interval = 1
[card]
backend = sim
[camera]
backend = sim
[receipt]
printer = tcp://127.0.0.1:$port?timeout_ms=3000
[document]
printer = dir:$tmp/doc
[backend]
url = sim:
[metrics]
listen = 127.0.0.1:$mport
EOC
"$STATION" config check "$tmp/station.conf" >/dev/null || fail "config: $("$STATION" config check "$tmp/station.conf" 2>&1)"
# The bounds of the key.
sed 's/^probe_interval = 1$/probe_interval = 3601/' "$tmp/station.conf" >"$tmp/bad.conf"
if "$STATION" config check "$tmp/bad.conf" >"$tmp/bad.out" 2>&1; then fail "probe_interval 3601 accepted"; fi
grep -q "bad value for 'probe_interval' in \[station\]" "$tmp/bad.out" || fail "bad.conf: $(cat "$tmp/bad.out")"

. "$(dirname "$0")/xvfb.shlib"
start_xvfb

"$STATION" run --config "$tmp/station.conf" >"$tmp/station.log" 2>&1 &
spid=$!

value() { # SAMPLE: its value in a fresh scrape, or nothing
	curl -sf --max-time 5 "$url" 2>/dev/null | awk -v s="$1" '$1 == s { print $2 }'
}
# wait_value SAMPLE WANT: scrapes until SAMPLE reads WANT (up to 20 s).
wait_value() {
	for _ in $(seq 100); do
		[ "$(value "$1")" = "$2" ] && return 0
		kill -0 "$spid" 2>/dev/null || fail "station run exited"
		sleep 0.2
	done
	fail "$1 is '$(value "$1")', not $2"
}
# wait_log TEXT: until the station's log holds TEXT (up to 20 s).
wait_log() {
	for _ in $(seq 100); do
		grep -qF -- "$1" "$tmp/station.log" && return 0
		sleep 0.2
	done
	fail "no '$1' in the log"
}
faults() {
	sqlite3 "$tmp/state/faults.db" \
		"SELECT from_state || '>' || state FROM faults WHERE device = 'receipt-printer' ORDER BY id"
}
rp='{device="receipt-printer"}'

wait_value "station_device_state$rp" 0
[ "$(value "station_device_faults_total$rp")" = 0 ] || fail "a fault before paper end"
[ -z "$(faults)" ] || fail "fault log before paper end: $(faults)"

# Paper end (DLE EOT 4: paper near end and end), nobody at the kiosk.
echo "status 12 12 72" >&3
wait_value "station_device_state$rp" 2
wait_value "station_device_faults_total$rp" 1
[ "$(value "station_device_recoveries_total$rp")" = 0 ] || fail "a recovery before the paper"
[ "$(faults)" = "ok>failed" ] || fail "fault log: '$(faults)'"
wait_log "device receipt-printer: ok -> failed"
# The recovery ladder's first rung for a network printer: open it again
# (a probe), counted; not yet at "restart needed".
wait_value "station_device_recovery_attempts_total{device=\"receipt-printer\",action=\"reopen\"}" 1
wait_log "recovery receipt-printer: reopen (attempt 1)"
[ "$(value "station_device_restart_needed$rp")" = 0 ] || fail "restart needed too soon"

# Paper back.
echo "status 12 12 12" >&3
wait_value "station_device_state$rp" 0
wait_value "station_device_recoveries_total$rp" 1
[ "$(value "station_device_faults_total$rp")" = 1 ] || fail "the fault counted twice"
[ "$(printf '%s\n' "$(faults)" | tr '\n' ' ')" = "ok>failed failed>ok " ] ||
	fail "fault log: '$(faults)'"
wait_log "device receipt-printer: failed -> ok"
# The fault log as the technician reads it.
"$STATION" diag --json --config "$tmp/station.conf" >"$tmp/diag.json" || true
jq -e '[.sections.faults.entries[] | select(.device == "receipt-printer") | .state] ==
	["ok", "failed"]' "$tmp/diag.json" >/dev/null ||
	fail "diag faults: $(jq -c .sections.faults "$tmp/diag.json")"

kill -TERM "$spid"
for _ in $(seq 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$spid" 2>/dev/null && fail "SIGTERM did not stop the station"
wait "$spid" || fail "station run exited $? on SIGTERM"
spid=""
echo "idle-probe: ok"
