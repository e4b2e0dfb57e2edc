/* SPDX-License-Identifier: MIT */
/*
 * qr_token_verify() on any bytes, against a fixed key ring whose first key
 * signed the valid seeds in corpus/qr-token/ (seed 0x4d repeated, kid
 * "fuzz-1"; tokens expiring in 2100), so mutations of them reach the JSON
 * and signature checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "qr-token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW INT64_C(1767225600) /* 2026-01-01 */

static void check(int ok)
{
	if (!ok)
		abort();
}

static int valid_id(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	return n >= 1 && n <= max;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qr_key keys[2] = {{.id = "fuzz-1"}, {.id = "fuzz-2"}};
	uint8_t seed[32], sk[64];
	struct qr_keyring ring = {.n = 2, .keys = keys, .clock_skew_s = 120};
	struct qr_token t;
	enum qr_verdict v;

	if (sodium_init() < 0)
		abort();
	memset(seed, 0x4d, sizeof(seed));
	crypto_sign_seed_keypair(keys[0].public_key, sk, seed);
	memset(seed, 0x4e, sizeof(seed));
	crypto_sign_seed_keypair(keys[1].public_key, sk, seed);

	v = qr_token_verify((const char *)data, size, &ring, NOW, &t);
	check(v >= 0 && v < _QR_VERDICT_MAX);
	check(qr_verdict_to_string(v) != NULL);
	if (v == QR_VALID) {
		check(size <= SESSION_TOKEN_MAX && size > 5);
		check(memcmp(data, "MPP1.", 5) == 0);
		check(t.version == 1);
		check(valid_id(t.application_id, SESSION_ID_MAX));
		check(strlen(t.document_id) <= SESSION_ID_MAX);
		check(valid_id(t.key_id, QR_KEY_ID_MAX));
		check(strlen(t.nonce) >= 8 && strlen(t.nonce) <= 32);
		check(t.expires >= NOW - 120);
	}
	return 0;
}
