#!/bin/sh
# Prometheus metrics and sd_notify from a running station: the demo in a real window
# (Xvfb) with --metrics on a loopback port, scraped with curl. The text is
# checked strictly (prom-check.py); the counters move as a card is read
# (key 1: Budi's e-KTP) and an unknown card fails (key U); each device's
# state is a gauge; only GET /metrics is served.
set -eu
: "${STATION:?}" "${SRCDIR:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-metrics.XXXXXX")
xpid=""
spid=""
npid=""
cleanup() {
	[ -z "$spid" ] || kill "$spid" 2>/dev/null || true
	[ -z "$npid" ] || kill "$npid" 2>/dev/null || true
	[ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	[ -f "$tmp/station.log" ] && cat "$tmp/station.log" >&2
	exit 1
}
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" # SDL's X11 modules: see window.sh

# Bad addresses are refused before anything starts.
for bad in 0.0.0.0:9464 10.0.0.1:9464 127.0.0.1:0 127.0.0.1 localhost:9464; do
	set +e
	"$STATION" demo --headless --metrics "$bad" --out "$tmp/x" >/dev/null 2>&1
	got=$?
	set -e
	[ "$got" -eq 64 ] || fail "--metrics $bad: exit $got, not 64"
done

. "$(dirname "$0")/xvfb.shlib"
start_xvfb

# A free port: curl gets no connection there.
port=$((20000 + $$ % 20000))
while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; do port=$((port + 1)); done
url="http://127.0.0.1:$port/metrics"

# sd_notify: a datagram socket that records what the station says.
python3 - "$tmp/notify.sock" "$tmp/notify.log" <<'EOP' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
with open(sys.argv[2], "a") as log:
    try:
        while True:
            msg = s.recv(4096).decode()
            log.write(msg.replace("\n", " ") + "\n")
            log.flush()
            if "STOPPING=1" in msg:
                break
    except socket.timeout:
        pass
EOP
npid=$!
for _ in $(seq 50); do [ -S "$tmp/notify.sock" ] && break; sleep 0.1; done
[ -S "$tmp/notify.sock" ] || fail "the notify listener did not start"

NOTIFY_SOCKET="$tmp/notify.sock" "$STATION" demo --size 1280x800 --backend sim \
	--metrics "127.0.0.1:$port" >"$tmp/station.log" 2>&1 &
spid=$!
wait_window || fail "no window appeared"

scrape() { # NAME: the checked samples in $tmp/NAME
	curl -sf --max-time 5 -D "$tmp/$1.headers" -o "$tmp/$1.txt" "$url" || fail "scrape $1"
	python3 "$SRCDIR/tests/cli/prom-check.py" "$tmp/$1.txt" >"$tmp/$1" || fail "format ($1)"
}
value() { # NAME SAMPLE: its value
	v=$(awk -v s="$2" '$1 == s { print $2 }' "$tmp/$1")
	[ -n "$v" ] || fail "no sample $2 in $1"
	echo "$v"
}
# wait_value SAMPLE WANT: scrapes until SAMPLE reads WANT (up to 10 s).
wait_value() {
	for _ in $(seq 50); do
		scrape now
		[ "$(value now "$1")" = "$2" ] && return 0
		sleep 0.2
	done
	fail "$1 is $(value now "$1"), not $2"
}

scrape first
grep -qi '^content-type: text/plain; version=0.0.4' "$tmp/first.headers" || fail "content type"
[ "$(value first station_card_reads_total)" = 0 ] || fail "card reads before any card"
[ "$(value first station_sessions_total)" = 0 ] || fail "sessions before any"
for d in card-reader camera receipt-printer document-printer backend; do
	[ "$(value first "station_device_state{device=\"$d\"}")" = 0 ] || fail "$d not ok"
	[ "$(value first "station_device_faults_total{device=\"$d\"}")" = 0 ] || fail "$d fault"
done
grep -q '^station_failures_total{cause="card-unknown"} 0$' "$tmp/first" || fail "failure causes"
grep -q '^station_info{version="' "$tmp/first" || fail "station_info"

# An unknown card first: a failure, counted by its cause; then it is taken
# away and the error screen dismissed with a touch.
xdotool mousemove 640 400 key u
wait_value 'station_failures_total{cause="card-unknown"}' 1
wait_value station_card_failures_total 1
xdotool key r
sleep 0.5
# The error screen's one button spans the bottom of the screen.
for y in 760 720 680; do
	xdotool mousemove 640 $y click 1
	sleep 0.3
done
xdotool mousemove 640 400
# Budi's e-KTP: a card read and a lookup.
xdotool key 1
wait_value station_card_reads_total 1
wait_value station_lookups_total 1
# No NIK, no name in the metrics.
! grep -Eq '[0-9]{16}|Budi|BUDI' "$tmp/now.txt" || fail "personal data in the metrics"

# Only GET /metrics.
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
[ "$code" = 404 ] || fail "/ gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url")
[ "$code" = 405 ] || fail "POST gave $code"

xdotool key Escape
for _ in $(seq 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$spid" 2>/dev/null && fail "Esc did not quit the demo"
wait "$spid" || fail "the demo exited $?"
spid=""
! curl -s -o /dev/null --max-time 1 "$url" || fail "still serving after the station quit"
# systemd was told READY=1 first, and STOPPING=1 on the way out.
wait "$npid" || true
head -n 1 "$tmp/notify.log" | grep -q '^READY=1' || fail "no READY=1 first: $(cat "$tmp/notify.log")"
grep -q '^STOPPING=1 STATUS=quit' "$tmp/notify.log" || fail "no STOPPING=1: $(cat "$tmp/notify.log")"
echo "metrics: ok"
