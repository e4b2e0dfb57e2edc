#!/bin/sh
# Exactly-once confirmations: the station (here its backend worker's
# stand-in, backend-helper-confirm) is killed with SIGKILL while the
# backend has recorded a confirmation but not yet answered. On restart the
# queue sends it again with the same idempotency key, and the backend ends
# up with one confirmation, one key.
. "$(dirname "$0")/common.shlib"
helper=$HELPERDIR/backend-helper-confirm
db=$tmp/confirm.db

start_sim sim
stat() { # NAME: one number from /admin/stats
	curl -fsS "$sim_url/admin/stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# mpp-sim records, then holds the answer back for a minute.
curl -fsS -X POST -d '{"latency_ms":60000,"count":1}' "$sim_url/admin/faults" >/dev/null
"$helper" "$db" "$sim_url" add DOC-2026-000110 7 >"$tmp/first.out" 2>&1 &
hpid=$!
pids="$pids $hpid"
# Wait (bounded) until the backend holds the key: the send is under way.
i=0
while [ "$(stat confirmation_keys)" != 1 ]; do
	i=$((i + 1))
	[ $i -le 600 ] || fail "the confirmation never reached mpp-sim"
	sleep 0.1
done
kill -9 "$hpid"
wait "$hpid" 2>/dev/null || true
grep -q '^recorded ' "$tmp/first.out" || fail "no key recorded before the send"
key=$(sed -n 's/^recorded //p' "$tmp/first.out")

# Restart: the queue still holds it, and delivers it (a replay to mpp-sim).
expect_exit 0 "$helper" "$db" "$sim_url" flush
grep -q 'pending 0' "$tmp/out" || fail "still pending after restart"
[ "$(stat confirmation_keys)" = 1 ] || fail "a second key reached the backend"
[ "$(stat documents_collected)" = 1 ] || fail "not exactly one collection"
[ "$(sqlite3 "$db" "SELECT idempotency_key FROM confirmations WHERE state='acked'")" = "$key" ] ||
	fail "the acknowledged key is not the recorded one"

# Killed before anything was sent (backend down): delivered on restart.
stop_sim "$sim_pid"
expect_exit 1 "$helper" "$db" "$sim_url" add DOC-2026-000120 8
grep -q 'pending 1' "$tmp/out" || fail "an undelivered confirmation is not pending"
start_sim sim2
expect_exit 0 "$helper" "$db" "$sim2_url" flush
[ "$(curl -fsS "$sim2_url/admin/stats" | sed -n 's/.*"documents_collected":\([0-9]*\).*/\1/p')" = 1 ] ||
	fail "the queued confirmation was not delivered after the restart"
stop_sim "$sim2_pid"
echo "confirm-kill: ok"
