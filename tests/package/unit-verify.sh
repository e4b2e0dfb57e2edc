#!/bin/sh
# systemd-analyze verify on config/station.service (pointed at the built
# binary, as verify checks that ExecStart= is executable), then its
# exposure score offline. The score is printed for CI logs and must stay
# at or below MAX_EXPOSURE: a hardening option dropped by mistake fails.
set -eu
MAX_EXPOSURE=2.5

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "unit-verify: systemd-analyze not installed (apt-get install systemd)" >&2
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|^ExecStart=/usr/bin/station |ExecStart=$STATION |" "$SRCDIR/config/station.service" \
	>"$tmp/station.service"
grep -q "^ExecStart=$STATION run" "$tmp/station.service"

# --man=no: the man page is installed by the package, not on this machine.
systemd-analyze verify --man=no "$tmp/station.service" >"$tmp/verify.log" 2>&1 || {
	cat "$tmp/verify.log" >&2
	echo "unit-verify: systemd-analyze verify failed" >&2
	exit 1
}
if [ -s "$tmp/verify.log" ]; then
	cat "$tmp/verify.log" >&2
	echo "unit-verify: systemd-analyze verify warned" >&2
	exit 1
fi

# The directives the design requires are there as written.
for d in Type=notify WatchdogSec=30s Restart=on-failure User=station StateDirectory=station \
	ProtectSystem=strict PrivateTmp=yes NoNewPrivileges=yes DevicePolicy=closed \
	CapabilityBoundingSet= MemoryDenyWriteExecute=yes; do
	grep -qx "$d" "$tmp/station.service" || {
		echo "unit-verify: $d missing" >&2
		exit 1
	}
done

systemd-analyze security --offline=yes --no-pager "$tmp/station.service" >"$tmp/security.log" 2>&1 || true
score=$(sed -n 's/.*Overall exposure level for station.service: \([0-9.]*\).*/\1/p' "$tmp/security.log")
if [ -z "$score" ]; then
	cat "$tmp/security.log" >&2
	echo "unit-verify: no exposure score from systemd-analyze security" >&2
	exit 1
fi
echo "station.service exposure level: $score (at most $MAX_EXPOSURE)"
grep '^✗' "$tmp/security.log" || true
awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }' || {
	echo "unit-verify: exposure $score above $MAX_EXPOSURE" >&2
	exit 1
}
