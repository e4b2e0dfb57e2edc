#!/bin/sh
# The maintenance screen's live report: after the technician's PIN the
# station runs `station diag` on its print worker and the screen shows it
# (tests/scenarios/maintenance.scn, headless). The report is made (logged
# with its verdict) and the maintenance screen is
# drawn; nothing personal in the log. What the screen shows with a report
# and while collecting is checked by the maintenance* goldens, the session
# side by test-session (test_flow_maintenance_diag).
set -eu
: "${STATION:?}" "${SRCDIR:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-maint.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
"$STATION" demo --headless --backend sim --printers sim --size 1280x800 --out "$tmp/out" \
	--log-level debug --scenario "$SRCDIR/tests/scenarios/maintenance.scn" >"$tmp/log" 2>&1 ||
	fail "scenario failed: $(cat "$tmp/log")"
grep -Eq "maintenance: diagnostic report: (ok|degraded|failed)$" "$tmp/log" ||
	fail "no report made: $(grep -i diag "$tmp/log")"
ls "$tmp/out/screens" | grep -q -- "-maintenance.png$" || fail "no maintenance screen"
# The demo citizens' NIKs and names never reach the log.
if grep -Eq "3273051203850001|Budi Santoso" "$tmp/log"; then
	fail "personal data in the log"
fi
echo "maintenance: the diagnostic report is made and shown after the PIN"
