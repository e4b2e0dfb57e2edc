#!/bin/sh
# The man pages format without a warning, and station(1) names every
# command `station --help` lists.
set -eu
if ! command -v groff >/dev/null 2>&1; then
	echo "man-pages: groff not installed" >&2
	exit 77
fi
for page in station mpp-sim; do
	out=$(groff -man -Tutf8 -ww -z "$SRCDIR/docs/man/$page.1" 2>&1)
	if [ -n "$out" ]; then
		echo "$out" >&2
		echo "man-pages: $page.1 has warnings" >&2
		exit 1
	fi
done
"$STATION" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' >commands.$$
trap 'rm -f commands.$$' EXIT
test -s commands.$$
while read -r cmd; do
	grep -q "^\.B $cmd\( \|$\)" "$SRCDIR/docs/man/station.1" || {
		echo "man-pages: station.1 does not describe '$cmd'" >&2
		exit 1
	}
done <commands.$$
