#!/bin/sh
# `station lookup` against mpp-sim: the documented exit codes, masked
# output, and the QR token checked offline before any network call.
. "$(dirname "$0")/common.shlib"

start_sim sim
u=$sim_url
app=APP-2026-000110

# The "done when" of the backend issue: a token from mpp-sim, its status.
expect_exit 0 "$STATION" lookup --backend "$u" --qr "$("$MPP_SIM" issue-token --application $app)"
grep -q "$app" "$tmp/out" || fail "lookup --qr does not show $app"
grep -q "stage: *ready" "$tmp/out" || fail "no stage"
# Masked: no full name, no full NIK, anywhere.
! grep -q "Nurhaliza" "$tmp/out" "$tmp/err" || fail "full name printed"
! grep -q "3578104708900002" "$tmp/out" "$tmp/err" || fail "full NIK printed"
grep -q "3578••••••••0002" "$tmp/out" || fail "masked NIK missing"

expect_exit 0 "$STATION" lookup --backend "$u" --card-uid 045A213C8E6180 --json
grep -q '"stage": "awaiting_payment"' "$tmp/out" || fail "json lookup"
! grep -q "3273051203850001" "$tmp/out" || fail "full NIK in json"
expect_exit 0 "$STATION" lookup --backend "$u" --card-uid 04:5a:21:3c:8e:61:80

# Not found, token refused (offline: expired, forged), bad usage.
expect_exit 67 "$STATION" lookup --backend "$u" --card-uid 045A213C8E6181
expect_exit 65 "$STATION" lookup --backend "$u" --qr "$("$MPP_SIM" issue-token --application $app --expired)"
"$MPP_SIM" keygen --id other --out "$tmp/other.key" >/dev/null
expect_exit 65 "$STATION" lookup --backend "$u" --qr "$("$MPP_SIM" issue-token --application $app --key "$tmp/other.key")"
grep -q "unknown" "$tmp/err" || fail "forged token reason"
expect_exit 65 "$STATION" lookup --backend "$u" --qr "https://example.com/pay"
expect_exit 64 "$STATION" lookup --backend "$u"
expect_exit 64 "$STATION" lookup --backend "$u" --card-uid 0x12 
expect_exit 0 "$STATION" lookup --help
expect_exit 78 "$STATION" lookup --backend http://backend.example.org --card-uid 045A213C8E6180

# The backend refuses a token the station accepted (its own expiry rule).
curl -fsS -X POST -d '{"expired_tokens":true}' "$u/admin/faults" >/dev/null
expect_exit 65 "$STATION" lookup --backend "$u" --qr "$("$MPP_SIM" issue-token --application $app)"
# Unreachable, invalid answers, not authorised.
curl -fsS -X POST -d '{"status":503}' "$u/admin/faults" >/dev/null
expect_exit 69 "$STATION" lookup --backend "$u" --card-uid 045A213C8E6180
curl -fsS -X POST -d '{"malformed":true}' "$u/admin/faults" >/dev/null
expect_exit 76 "$STATION" lookup --backend "$u" --card-uid 045A213C8E6180
curl -fsS -X POST -d '{"status":401}' "$u/admin/faults" >/dev/null
expect_exit 77 "$STATION" lookup --backend "$u" --card-uid 045A213C8E6180
curl -fsS -X POST -d '{"latency_ms":2000}' "$u/admin/faults" >/dev/null
expect_exit 69 "$STATION" lookup --backend "$u" --card-uid 045A213C8E6180 --timeout 300
curl -fsS -X DELETE "$u/admin/faults" >/dev/null

# A bearer token from a file.
printf 'tok-123\n' >"$tmp/token"
start_sim auth --token-file "$tmp/token"
expect_exit 77 "$STATION" lookup --backend "$auth_url" --card-uid 045A213C8E6180
expect_exit 0 "$STATION" lookup --backend "$auth_url" --card-uid 045A213C8E6180 --token-file "$tmp/token"

# mpp-sim list names what a tester can pick, masked.
"$MPP_SIM" list >"$tmp/list"
grep -q "045A213C8E6180" "$tmp/list" || fail "list shows no card UID"
grep -q "APP-2026-000110 *ready" "$tmp/list" || fail "list shows no stage"
! grep -q "3273051203850001" "$tmp/list" || fail "list shows a full NIK"

stop_sim "$sim_pid"
stop_sim "$auth_pid"
echo "lookup-cli: ok"
