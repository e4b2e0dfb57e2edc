#!/bin/sh
# Lookup round trip on loopback against mpp-sim: the station's http
# backend vs a bare libcurl request of the same lookup, median and p95.
#   sh bench/backend/run.sh [N]   (default 2000; tools/bench sets $BUILDDIR)
set -eu
build=${BUILDDIR:-build}
n=${1:-2000}
sim=$build/station/sim/mpp-sim
bench=$build/tests/backend/backend-helper-bench
[ -x "$sim" ] && [ -x "$bench" ] || { echo "build first: cmake --build $build" >&2; exit 1; }
out=$(mktemp)
"$sim" serve --quiet --listen 127.0.0.1:0 >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
while ! grep -q listening "$out"; do
	kill -0 $pid || exit 1
	sleep 0.1
done
"$bench" "$(sed -n 's/.*listening on //p' "$out")" "$n"
