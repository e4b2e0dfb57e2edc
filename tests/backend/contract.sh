#!/bin/sh
# Contract test: real traffic between the client and mpp-sim goes through
# Prism as a validating proxy for docs/api/openapi.yaml. Prism answers any
# request or response that breaks the contract with an error of its own
# (and logs it), so every call must succeed and the log must show no
# violation, in either direction. Needs `npm ci` at the top (package.json).
. "$(dirname "$0")/common.shlib"
prism=$SRCDIR/node_modules/.bin/prism
[ -x "$prism" ] || { echo "FAIL: no $prism: run tools/install-deps (it runs npm ci)" >&2; exit 1; }
command -v node >/dev/null || { echo "FAIL: no node: run tools/install-deps" >&2; exit 1; }

printf 'contract-token\n' >"$tmp/token"
start_sim sim --token-file "$tmp/token"

mkfifo "$tmp/prism.fifo"
"$prism" proxy "$SRCDIR/docs/api/openapi.yaml" "$sim_url" --errors --host 127.0.0.1 --port 0 \
	>"$tmp/prism.fifo" 2>&1 &
prism_pid=$!
pids="$pids $prism_pid"
# Prism logs the routes, then "Prism is listening on URL": read up to it.
purl=""
while IFS= read -r line; do
	printf '%s\n' "$line" >>"$tmp/prism.log"
	case "$line" in
	*"listening on http://127.0.0.1:"*) purl=${line##*listening on } && break ;;
	esac
done <"$tmp/prism.fifo"
[ -n "$purl" ] || { cat "$tmp/prism.log" >&2; fail "prism did not start"; }
# Keep draining its log so it never blocks on a full pipe.
cat "$tmp/prism.fifo" >>"$tmp/prism.log" &
drain_pid=$!
pids="$pids $drain_pid"

tf="$tmp/token"
client=$HELPERDIR/backend-helper-client

# Every operation, and the error answers the contract lists.
expect_exit 0 "$STATION" lookup --backend "$purl" --token-file "$tf" --card-uid 045A213C8E6180
expect_exit 0 "$STATION" lookup --backend "$purl" --token-file "$tf" --card-uid 04117D529A2B81 --json
# fajar: a holder with no applications at all.
expect_exit 0 "$STATION" lookup --backend "$purl" --token-file "$tf" --card-uid 0419F0668C2D80
expect_exit 0 "$STATION" lookup --backend "$purl" --token-file "$tf" \
	--qr "$("$MPP_SIM" issue-token --application APP-2026-000130)"
expect_exit 0 "$STATION" lookup --backend "$purl" --token-file "$tf" \
	--qr "$("$MPP_SIM" issue-token --application APP-2026-000102)"
expect_exit 67 "$STATION" lookup --backend "$purl" --token-file "$tf" --card-uid 086E3FA1
# Prism re-encodes the binary body it proxies (so the bytes differ from
# the digest); the digest itself is checked end to end in
# test-backend-http. Here: status, content type, Repr-Digest header.
expect_exit 0 "$client" "$purl" "$tf" fetch DOC-2026-000130
expect_exit 1 "$client" "$purl" "$tf" fetch DOC-0000
grep -q ENOENT "$tmp/out" || fail "unknown document: $(cat "$tmp/out")"
expect_exit 0 "$client" "$purl" "$tf" confirm DOC-2026-000130 41 contract-key-1
expect_exit 0 "$client" "$purl" "$tf" confirm DOC-2026-000130 41 contract-key-1
expect_exit 1 "$client" "$purl" "$tf" confirm DOC-2026-000120 42 contract-key-1
grep -q EEXIST "$tmp/out" || fail "key reuse: $(cat "$tmp/out")"
expect_exit 0 "$client" "$purl" "$tf" heartbeat
# After the collection the lookup shows stage collected: still valid.
expect_exit 0 "$STATION" lookup --backend "$purl" --token-file "$tf" --card-uid 0428C46F079E81
# An expired token (the backend's verdict) is a contract 403.
curl -fsS -X POST -d '{"expired_tokens":true}' "$sim_url/admin/faults" >/dev/null
expect_exit 65 "$STATION" lookup --backend "$purl" --token-file "$tf" \
	--qr "$("$MPP_SIM" issue-token --application APP-2026-000130)"
curl -fsS -X DELETE "$sim_url/admin/faults" >/dev/null

# The proxy itself catches a violation: a response that breaks the
# contract (no JSON) must show up as one, or this test proves nothing.
# Prism turns it into a 500 of its own: "unreachable" to the station.
curl -fsS -X POST -d '{"content_type":"text/plain","count":1}' "$sim_url/admin/faults" >/dev/null
expect_exit 69 "$STATION" lookup --backend "$purl" --token-file "$tf" --card-uid 045A213C8E6180

# Prism logs asynchronously and the drain copies it on: wait (bounded)
# for the injected violation to reach the log before stopping Prism, then
# for the drain to end, so the count below sees every line.
for _ in $(seq 100); do
	grep -q -i -E 'violation|Request terminated with error' "$tmp/prism.log" && break
	sleep 0.1
done
kill "$prism_pid"
wait "$prism_pid" 2>/dev/null || true
wait "$drain_pid" 2>/dev/null || true
n=$(grep -c -i -E 'violation|Request terminated with error' "$tmp/prism.log" || true)
if [ "$n" -ne 1 ]; then
	grep -i -E -B2 'violation|error' "$tmp/prism.log" >&2 || true
	fail "prism saw $n contract violation(s), expected exactly the injected one"
fi
stop_sim "$sim_pid"
echo "contract: ok"
