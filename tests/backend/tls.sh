#!/bin/sh
# TLS between the client (station lookup, backend-http.c) and mpp-sim,
# with certificates made now by the openssl CLI: a good chain, a server
# certificate from another CA, and an expired one.
. "$(dirname "$0")/common.shlib"
command -v openssl >/dev/null || { echo "FAIL: openssl CLI missing: run tools/install-deps" >&2; exit 1; }
cd "$tmp"

ca() { # NAME: a self-signed CA
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=Test CA $1" -keyout "$1.key" -out "$1.pem" 2>/dev/null
}
csr() { # NAME: a server key and request for 127.0.0.1
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=127.0.0.1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
}
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >ext.cnf

ca good
ca other
csr server
openssl x509 -req -in server.csr -CA good.pem -CAkey good.key -CAcreateserial -days 2 \
	-extfile ext.cnf -out server.pem 2>/dev/null

# Expired: `openssl ca` is the one that takes explicit dates in OpenSSL 3.0.
mkdir -p db
: >db/index.txt
echo 01 >db/serial
cat >ca.cnf <<CNF
[ca]
default_ca = test
[test]
database = db/index.txt
serial = db/serial
new_certs_dir = db
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[any]
commonName = supplied
[ext]
subjectAltName = IP:127.0.0.1
basicConstraints = CA:FALSE
CNF
csr old
openssl ca -batch -config ca.cnf -cert good.pem -keyfile good.key -in old.csr -out old.pem \
	-startdate 20200101000000Z -enddate 20200102000000Z -extensions ext >/dev/null 2>&1 ||
	fail "openssl ca could not make the expired certificate"

uid=045A213C8E6180
start_sim good --tls-cert server.pem --tls-key server.key
start_sim expired --tls-cert old.pem --tls-key old.key
case "$good_url" in https://*) ;; *) fail "mpp-sim did not serve https: $good_url" ;; esac

# The right CA: the answer.
expect_exit 0 "$STATION" lookup --backend "$good_url" --ca-file good.pem --card-uid $uid
grep -q APP-2026-000101 out || fail "no answer over TLS"
# Another CA, the system's CAs, an expired certificate: refused, and
# reported as unreachable with the TLS reason.
expect_exit 69 "$STATION" lookup --backend "$good_url" --ca-file other.pem --card-uid $uid
grep -q TLS err || fail "wrong CA not reported as TLS: $(cat err)"
expect_exit 69 "$STATION" lookup --backend "$good_url" --card-uid $uid
expect_exit 69 "$STATION" lookup --backend "$expired_url" --ca-file good.pem --card-uid $uid
grep -q TLS err || fail "expired certificate not reported as TLS: $(cat err)"
# Plain HTTP to a TLS port is no answer either.
expect_exit 69 "$STATION" lookup --backend "http://127.0.0.1:${good_url##*:}" --card-uid $uid

stop_sim "$good_pid"
stop_sim "$expired_pid"
echo "tls: ok"
