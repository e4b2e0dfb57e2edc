#!/bin/sh
# Every scenario in tests/scenarios/ runs headless to its end with every
# expectation met.
set -eu
: "${STATION:?}" "${SRCDIR:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-scn.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
for f in "$SRCDIR"/tests/scenarios/*.scn; do
	name=$(basename "$f" .scn)
	if ! "$STATION" demo --headless --out "$tmp/$name" --scenario "$f" >"$tmp/$name.log" 2>&1; then
		cat "$tmp/$name.log"
		echo "FAIL: scenario $name" >&2
		exit 1
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no scenarios" >&2; exit 1; }
echo "scenarios: $n passed"
