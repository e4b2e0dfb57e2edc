#!/bin/sh
# kill -9 of the whole station (the headless demo, journal on in DIR/state)
# while a document job is in the printer: ippeveprinter holds the job (its
# print command waits), the demo is killed, then started again on the same
# state. From the journal (sqlite3) and the printers' spools: the document
# went to the printer once, was never sent again after the session ended,
# and is confirmed only once a job for it completed.
set -eu
: "${STATION:?}"
IPP=/usr/sbin/ippeveprinter
[ -x "$IPP" ] || { echo "SKIP: no $IPP (cups-ipp-utils)"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: no sqlite3"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/station-demo-kill9.XXXXXX")
pid=
cleanup() {
	touch "$tmp/release"
	[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true
	for f in "$tmp/hold.pids" "$tmp/ipp.pids"; do
		[ -f "$f" ] || continue
		while read -r p; do kill "$p" 2>/dev/null || true; done <"$f"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
jobs_sql() { sqlite3 "$out/state/print-journal.db" "$1"; }

# The print command holds each job until $tmp/release exists; the wrapper
# runs the real ippeveprinter with it in place of the demo's /bin/true.
cat >"$tmp/hold.sh" <<EOF
#!/bin/sh
echo \$\$ >>"$tmp/hold.pids"
touch "$tmp/held"
while [ ! -e "$tmp/release" ]; do sleep 0.05; done
exit 0
EOF
cat >"$tmp/ippeveprinter" <<EOF
#!/bin/sh
echo \$\$ >>"$tmp/ipp.pids"
prev=
for a do
	shift
	orig=\$a
	[ "\$prev" = -c ] && a="$tmp/hold.sh"
	set -- "\$@" "\$a"
	prev=\$orig
done
exec "$IPP" "\$@"
EOF
chmod +x "$tmp/hold.sh" "$tmp/ippeveprinter"
cat >"$tmp/collect.scn" <<EOF
show-qr issue APP-2026-000110
expect-screen choosing-document
touch confirm
expect-screen done
expect-printed document 1
EOF
printf 'expect-screen welcome\n' >"$tmp/idle.scn"
out="$tmp/out"

# 1. Siti collects her document; the job is in the printer; kill -9.
IPPEVEPRINTER="$tmp/ippeveprinter" "$STATION" demo --headless --out "$out" \
	--scenario "$tmp/collect.scn" >"$tmp/run1.log" 2>&1 &
pid=$!
i=0
while [ ! -e "$tmp/held" ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || { cat "$tmp/run1.log"; fail "the job never reached the printer"; }
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/run1.log"; fail "the demo ended first"; }
	sleep 0.05
done
# The journal is on for the demo, in DIR/state, and has the job in flight.
[ -s "$out/state/print-journal.db" ] || fail "no print journal in DIR/state"
# The job is at the printer: sent (1) or printing (2), with its job id.
i=0
while [ "$(jobs_sql 'SELECT count(*) FROM jobs WHERE state IN (1,2) AND printer_job_id > 0')" != 1 ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "journal while held: $(jobs_sql 'SELECT * FROM jobs')"
	sleep 0.05
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=
# The demo's printer died with it (no stand-in outlives the station).
i=0
while read -r p; do
	while kill -0 "$p" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "ippeveprinter $p outlived the killed demo"
		sleep 0.05
	done
done <"$tmp/ipp.pids"
n=$(ls "$out/printers/ipp-spool" | grep -c '\.pdf$' || true)
[ "$n" -eq 1 ] || fail "the printer received $n copies before the kill"
[ "$(jobs_sql 'SELECT count(*) FROM jobs WHERE confirmation_recorded != 0')" = 0 ] ||
	fail "a confirmation was recorded for a job that never completed"
touch "$tmp/release"

# 2. The station starts again on the same state: the job is resolved
# (the printer does not know it any more), never sent again.
"$STATION" demo --headless --out "$out" --scenario "$tmp/idle.scn" >"$tmp/run2.log" 2>&1 ||
	{ cat "$tmp/run2.log"; fail "restart failed"; }
n=$(ls "$out/printers/ipp-spool" | grep -c '\.pdf$' || true)
[ "$n" -eq 0 ] || fail "the restarted station sent $n job(s)"
[ -z "$(ls "$out/documents")" ] || fail "documents after the restart: $(ls "$out/documents")"
[ "$(jobs_sql 'SELECT count(*) FROM jobs')" = 1 ] || fail "jobs: $(jobs_sql 'SELECT * FROM jobs')"
st=$(jobs_sql 'SELECT state FROM jobs')
[ "$st" = 4 ] || [ "$st" = 5 ] || fail "unfinished job left in state $st"
[ "$(jobs_sql 'SELECT confirmation_recorded FROM jobs')" = 0 ] || fail "confirmed without a print"
[ "$(sqlite3 "$out/state/confirmations.db" 'SELECT count(*) FROM confirmations')" = 0 ] ||
	fail "a confirmation is queued for a document that did not come out"

# 3. Siti tries again: one new job, printed once, confirmed once.
"$STATION" demo --headless --out "$out" --scenario "$tmp/collect.scn" >"$tmp/run3.log" 2>&1 ||
	{ cat "$tmp/run3.log"; fail "collecting again failed"; }
n=$(ls "$out/printers/ipp-spool" | grep -c '\.pdf$' || true)
[ "$n" -eq 1 ] || fail "collecting again: $n job(s) at the printer"
cmp -s "$out/printers/ipp-spool"/*.pdf "$out/documents/document-001.pdf" || fail "document differs"
[ "$(jobs_sql 'SELECT state || ":" || confirmation_recorded FROM jobs ORDER BY id')" = "$st:0
3:1" ] || fail "journal: $(jobs_sql 'SELECT * FROM jobs')"
[ "$(sqlite3 "$out/state/confirmations.db" "SELECT count(*) FROM confirmations WHERE document_id = 'DOC-2026-000110'")" = 1 ] ||
	fail "confirmations: $(sqlite3 "$out/state/confirmations.db" 'SELECT document_id, state FROM confirmations')"
echo "demo kill -9 mid-job: sent once, resolved as $st, not re-sent; printed and confirmed once after"
