/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "qr-token.h"

#define NOW INT64_C(1767225600) /* 2026-01-01T00:00:00Z */
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

struct keys {
	uint8_t pk[2][32];
	uint8_t sk[2][64];
	struct qr_key ring[2];
};

static struct keys K;

static int setup(void **state)
{
	assert_true(sodium_init() >= 0);
	for (int i = 0; i < 2; i++) {
		uint8_t seed[32];
		memset(seed, 0x11 * (i + 1), sizeof(seed));
		crypto_sign_seed_keypair(K.pk[i], K.sk[i], seed);
		snprintf(K.ring[i].id, sizeof(K.ring[i].id), "k%d", 2025 + i);
		memcpy(K.ring[i].public_key, K.pk[i], 32);
	}
	return 0;
}

static struct qr_token sample(const char *kid, int64_t exp)
{
	struct qr_token t = {.version = 1, .expires = exp};

	snprintf(t.application_id, sizeof(t.application_id), "APP-2026-000123");
	snprintf(t.document_id, sizeof(t.document_id), "DOC-2026-000045");
	snprintf(t.nonce, sizeof(t.nonce), "n0nce-abc_123");
	snprintf(t.key_id, sizeof(t.key_id), "%s", kid);
	return t;
}

static enum qr_verdict verify(const char *text, const struct qr_keyring *ring, int64_t now,
			      struct qr_token *ret)
{
	return qr_token_verify(text, strlen(text), ring, now, ret);
}

/* A token around any JSON text, signed with sk: the JSON is the only thing
 * wrong in it, if anything. */
static void make_raw(const char *json, const uint8_t *sk, char *buf, size_t size)
{
	uint8_t sig[64];
	size_t n;

	assert_true(size > 5 + sodium_base64_ENCODED_LEN(strlen(json), B64) + 90);
	memcpy(buf, "MPP1.", 5);
	sodium_bin2base64(buf + 5, size - 5, (const unsigned char *)json, strlen(json), B64);
	n = strlen(buf);
	crypto_sign_detached(sig, NULL, (const unsigned char *)buf, n, sk);
	buf[n] = '.';
	sodium_bin2base64(buf + n + 1, size - n - 1, sig, sizeof(sig), B64);
}

static void test_roundtrip(void **state)
{
	struct qr_keyring ring = {.n = 1, .keys = K.ring};
	struct qr_token t = sample("k2025", NOW + 3600), got;
	char text[SESSION_TOKEN_MAX + 1], again[SESSION_TOKEN_MAX + 1];
	int len = qr_token_issue(&t, K.sk[0], text, sizeof(text));

	assert_true(len > 0);
	assert_int_equal((size_t)len, strlen(text));
	assert_true(len <= SESSION_TOKEN_MAX);
	assert_memory_equal(text, "MPP1.", 5);
	assert_int_equal(verify(text, &ring, NOW, &got), QR_VALID);
	assert_int_equal(got.version, 1);
	assert_string_equal(got.application_id, t.application_id);
	assert_string_equal(got.document_id, t.document_id);
	assert_string_equal(got.nonce, t.nonce);
	assert_string_equal(got.key_id, "k2025");
	assert_int_equal(got.expires, NOW + 3600);
	/* NULL ret_token is allowed. */
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_VALID);
	/* Stable: the same token gives the same text. */
	assert_int_equal(qr_token_issue(&t, K.sk[0], again, sizeof(again)), len);
	assert_string_equal(text, again);

	/* Longest fields still fit a token. */
	memset(t.application_id, 'A', SESSION_ID_MAX);
	t.application_id[SESSION_ID_MAX] = '\0';
	memset(t.document_id, 'D', SESSION_ID_MAX);
	t.document_id[SESSION_ID_MAX] = '\0';
	memset(t.nonce, 'n', 32);
	t.nonce[32] = '\0';
	memset(t.key_id, 'k', QR_KEY_ID_MAX);
	t.key_id[QR_KEY_ID_MAX] = '\0';
	t.expires = INT64_MIN;
	len = qr_token_issue(&t, K.sk[0], text, sizeof(text));
	assert_true(len > 0 && len <= SESSION_TOKEN_MAX);
	struct qr_key long_key = K.ring[0];
	memcpy(long_key.id, t.key_id, sizeof(long_key.id));
	struct qr_keyring long_ring = {.n = 1, .keys = &long_key};
	assert_int_equal(verify(text, &long_ring, INT64_MIN, &got), QR_VALID);
	assert_int_equal(got.expires, INT64_MIN);
	assert_string_equal(got.key_id, t.key_id);
}

static void test_issue_errors(void **state)
{
	struct qr_token t = sample("k2025", NOW);
	char text[SESSION_TOKEN_MAX + 1];
	int len = qr_token_issue(&t, K.sk[0], text, sizeof(text));

	assert_true(len > 0);
	assert_int_equal(qr_token_issue(&t, K.sk[0], text, (size_t)len), -ENOBUFS);
	assert_int_equal(qr_token_issue(&t, K.sk[0], text, (size_t)len + 1), len);
	assert_int_equal(qr_token_issue(NULL, K.sk[0], text, sizeof(text)), -EINVAL);
	assert_int_equal(qr_token_issue(&t, NULL, text, sizeof(text)), -EINVAL);

	struct qr_token bad = t;
	bad.version = 2;
	assert_int_equal(qr_token_issue(&bad, K.sk[0], text, sizeof(text)), -EINVAL);
	bad = t;
	bad.application_id[0] = '\0';
	assert_int_equal(qr_token_issue(&bad, K.sk[0], text, sizeof(text)), -EINVAL);
	/* No document yet (application receipt): fine. */
	bad = t;
	bad.document_id[0] = '\0';
	struct qr_token got;
	struct qr_keyring ring = {.n = 1, .keys = K.ring};
	assert_true(qr_token_issue(&bad, K.sk[0], text, sizeof(text)) > 0);
	assert_int_equal(verify(text, &ring, NOW, &got), QR_VALID);
	assert_string_equal(got.document_id, "");
	bad = t;
	memcpy(bad.document_id, "DOC 1", 6);
	assert_int_equal(qr_token_issue(&bad, K.sk[0], text, sizeof(text)), -EINVAL);
	bad = t;
	memcpy(bad.nonce, "short", 6);
	assert_int_equal(qr_token_issue(&bad, K.sk[0], text, sizeof(text)), -EINVAL);
	bad = t;
	bad.key_id[0] = '\0';
	assert_int_equal(qr_token_issue(&bad, K.sk[0], text, sizeof(text)), -EINVAL);
}

static void test_forged(void **state)
{
	struct qr_keyring ring = {.n = 1, .keys = K.ring};
	struct qr_token t = sample("k2025", NOW + 3600), got, before;
	char text[SESSION_TOKEN_MAX + 1], forged[SESSION_TOKEN_MAX + 1];
	int len = qr_token_issue(&t, K.sk[0], text, sizeof(text));
	char *sig = strrchr(text, '.') + 1;

	assert_true(len > 0);
	/* One character of the signature changed (mid-string, where every
	 * base64url letter is canonical). */
	memcpy(forged, text, (size_t)len + 1);
	size_t at = (size_t)(sig - text) + 10;
	forged[at] = forged[at] == 'A' ? 'B' : 'A';
	memset(&got, 0x5a, sizeof(got));
	before = got;
	assert_int_equal(verify(forged, &ring, NOW, &got), QR_BAD_SIGNATURE);
	assert_memory_equal(&got, &before, sizeof(got)); /* untouched */

	/* Another document id under the original signature. */
	struct qr_token other = t;
	char other_text[SESSION_TOKEN_MAX + 1];
	memcpy(other.document_id, "DOC-2026-999999", 16);
	assert_true(qr_token_issue(&other, K.sk[0], other_text, sizeof(other_text)) > 0);
	char *dot = strrchr(other_text, '.');
	snprintf(dot, sizeof(other_text) - (size_t)(dot - other_text), ".%s", sig);
	assert_int_equal(verify(other_text, &ring, NOW, NULL), QR_BAD_SIGNATURE);

	/* Signed by someone else's key under our kid. */
	assert_true(qr_token_issue(&t, K.sk[1], forged, sizeof(forged)) > 0);
	assert_int_equal(verify(forged, &ring, NOW, NULL), QR_BAD_SIGNATURE);
	assert_int_equal(qr_verdict_to_error(QR_BAD_SIGNATURE), SESSION_ERROR_QR_INVALID);
}

static void test_expiry(void **state)
{
	struct qr_keyring ring = {.n = 1, .keys = K.ring};
	struct qr_token t = sample("k2025", NOW - 10);
	char text[SESSION_TOKEN_MAX + 1];

	assert_true(qr_token_issue(&t, K.sk[0], text, sizeof(text)) > 0);
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_EXPIRED);
	assert_int_equal(verify(text, &ring, NOW - 10, NULL), QR_VALID); /* at exp */
	assert_int_equal(verify(text, &ring, NOW - 9, NULL), QR_EXPIRED);
	ring.clock_skew_s = 30;
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_VALID);
	assert_int_equal(verify(text, &ring, NOW + 20, NULL), QR_VALID);
	assert_int_equal(verify(text, &ring, NOW + 21, NULL), QR_EXPIRED);
	/* A negative allowance is no allowance. */
	ring.clock_skew_s = -1000;
	assert_int_equal(verify(text, &ring, NOW - 10, NULL), QR_VALID);
	assert_int_equal(verify(text, &ring, NOW - 9, NULL), QR_EXPIRED);
	assert_int_equal(qr_verdict_to_error(QR_EXPIRED), SESSION_ERROR_QR_EXPIRED);

	/* exp + skew beyond int64 does not wrap into the past. */
	t.expires = INT64_MAX - 5;
	ring.clock_skew_s = 3600;
	assert_true(qr_token_issue(&t, K.sk[0], text, sizeof(text)) > 0);
	assert_int_equal(verify(text, &ring, INT64_MAX, NULL), QR_VALID);
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_VALID);
}

static void test_keys(void **state)
{
	struct qr_keyring one = {.n = 1, .keys = K.ring};
	struct qr_keyring both = {.n = 2, .keys = K.ring};
	struct qr_keyring none = {.n = 0, .keys = NULL};
	struct qr_token t1 = sample("k2025", NOW + 60), t2 = sample("k2026", NOW + 60), got;
	char a[SESSION_TOKEN_MAX + 1], b[SESSION_TOKEN_MAX + 1];

	assert_true(qr_token_issue(&t1, K.sk[0], a, sizeof(a)) > 0);
	assert_true(qr_token_issue(&t2, K.sk[1], b, sizeof(b)) > 0);
	/* Rotation: both keys configured, either token verifies. */
	assert_int_equal(verify(a, &both, NOW, &got), QR_VALID);
	assert_string_equal(got.key_id, "k2025");
	assert_int_equal(verify(b, &both, NOW, &got), QR_VALID);
	assert_string_equal(got.key_id, "k2026");
	/* Old key only: the new token is unknown. */
	assert_int_equal(verify(b, &one, NOW, NULL), QR_UNKNOWN_KEY);
	assert_int_equal(verify(a, &none, NOW, NULL), QR_UNKNOWN_KEY);
	assert_int_equal(verify(a, NULL, NOW, NULL), QR_UNKNOWN_KEY);
	/* A kid is matched whole, not by prefix. */
	struct qr_token t3 = sample("k20", NOW + 60);
	assert_true(qr_token_issue(&t3, K.sk[0], a, sizeof(a)) > 0);
	assert_int_equal(verify(a, &both, NOW, NULL), QR_UNKNOWN_KEY);
	/* The kid picks the key: new kid, old key's signature. */
	assert_true(qr_token_issue(&t2, K.sk[0], a, sizeof(a)) > 0);
	assert_int_equal(verify(a, &both, NOW, NULL), QR_BAD_SIGNATURE);
	assert_int_equal(qr_verdict_to_error(QR_UNKNOWN_KEY), SESSION_ERROR_QR_INVALID);
}

static void test_not_mpp(void **state)
{
	struct qr_keyring ring = {.n = 1, .keys = K.ring};
	char url[1001];

	assert_int_equal(verify("https://mpp.jakarta.go.id/status?id=1", &ring, NOW, NULL),
			 QR_NOT_MPP);
	assert_int_equal(verify("00020101021126610014COM.GO-JEK.WWW", &ring, NOW, NULL),
			 QR_NOT_MPP);
	assert_int_equal(verify("", &ring, NOW, NULL), QR_NOT_MPP);
	assert_int_equal(verify("MPP1", &ring, NOW, NULL), QR_NOT_MPP);
	assert_int_equal(verify("mpp1.abc.def", &ring, NOW, NULL), QR_NOT_MPP);
	assert_int_equal(verify("MPP2.abc.def", &ring, NOW, NULL), QR_NOT_MPP);
	assert_int_equal(qr_token_verify(NULL, 10, &ring, NOW, NULL), QR_NOT_MPP);
	/* A long URL is some other code, not a long token. */
	memset(url, 'x', sizeof(url) - 1);
	url[sizeof(url) - 1] = '\0';
	memcpy(url, "https://", 8);
	assert_int_equal(verify(url, &ring, NOW, NULL), QR_NOT_MPP);
	assert_int_equal(qr_verdict_to_error(QR_NOT_MPP), SESSION_ERROR_QR_NOT_MPP);
}

static void test_too_long(void **state)
{
	struct qr_keyring ring = {.n = 1, .keys = K.ring};
	char text[SESSION_TOKEN_MAX + 100];

	memset(text, 'A', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "MPP1.", 5);
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_TOO_LONG);
	/* One over the limit. */
	text[SESSION_TOKEN_MAX + 1] = '\0';
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_TOO_LONG);
	/* At the limit it is judged on its content. */
	text[SESSION_TOKEN_MAX] = '\0';
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_MALFORMED);
	assert_int_equal(qr_verdict_to_error(QR_TOO_LONG), SESSION_ERROR_QR_INVALID);
}

static void test_malformed_structure(void **state)
{
	struct qr_keyring ring = {.n = 1, .keys = K.ring};
	struct qr_token t = sample("k2025", NOW + 60);
	char good[SESSION_TOKEN_MAX + 1], text[SESSION_TOKEN_MAX + 40];
	int len = qr_token_issue(&t, K.sk[0], good, sizeof(good));
	size_t dot = (size_t)(strrchr(good, '.') - good);

	assert_true(len > 0);
	static const char *const bad[] = {
		"MPP1.",	  "MPP1..",	"MPP1.abc",	 "MPP1.abc.",
		"MPP1..abc",	  "MPP1.a.b.c", "MPP1.e30.AAAA", /* "{}" and a 3-byte signature */
		"MPP1.e30=.AAAA",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(verify(bad[i], &ring, NOW, NULL), QR_MALFORMED);

	/* A third part. */
	snprintf(text, sizeof(text), "%s.AAAA", good);
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_MALFORMED);
	/* Padding, standard-alphabet and stray characters. */
	snprintf(text, sizeof(text), "%s=", good);
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_MALFORMED);
	memcpy(text, good, (size_t)len + 1);
	text[8] = '+';
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_MALFORMED);
	memcpy(text, good, (size_t)len + 1);
	text[dot + 5] = ' ';
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_MALFORMED);
	/* A signature one character short (63 bytes, or garbage bits). */
	memcpy(text, good, (size_t)len + 1);
	text[len - 1] = '\0';
	assert_int_equal(verify(text, &ring, NOW, NULL), QR_MALFORMED);
	/* An embedded NUL, with the length covering it. */
	memcpy(text, good, (size_t)len + 1);
	text[10] = '\0';
	assert_int_equal(qr_token_verify(text, (size_t)len, &ring, NOW, NULL), QR_MALFORMED);
	/* Only part of a good token. */
	assert_int_equal(qr_token_verify(good, (size_t)len - 1, &ring, NOW, NULL), QR_MALFORMED);
	assert_int_equal(qr_token_verify(good, dot, &ring, NOW, NULL), QR_MALFORMED);
	assert_int_equal(qr_verdict_to_error(QR_MALFORMED), SESSION_ERROR_QR_INVALID);
}

static void test_malformed_payload(void **state)
{
	struct qr_keyring ring = {.n = 1, .keys = K.ring};
	char text[SESSION_TOKEN_MAX * 2];
	static const char *const bad[] = {
		"[]",
		"{\"v\":1,\"app\":\"A\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":\"k2025\"}",
		"null",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\"}",
		"{\"v\":2,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"}",
		"{\"v\":\"1\",\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"}",
		"{\"v\":1.0,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"}",
		"{\"v\":1,\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":\"k2025\"}",
		"{\"v\":1,\"app\":\"\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"}",
		"{\"v\":1,\"app\":\"A "
		"B\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":\"k2025\"}",
		"{\"v\":1,\"app\":\"A\\u0000B\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\","
		"\"kid\":\"k2025\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"0123456789012345678901234567890123456789\","
		"\"exp\":1,\"nonce\":\"12345678\",\"kid\":\"k2025\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":7,\"exp\":1,\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":\"1\",\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1.5,\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"nonce\":\"12345678\",\"kid\":\"k2025\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"1234567\",\"kid\":"
		"\"k2025\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,"
		"\"nonce\":\"123456789012345678901234567890123\",\"kid\":\"k2025\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":"
		"\"\"}",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\","
		"\"kid\":\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\"}",
		/* Duplicate member: which one would count? Neither. */
		"{\"v\":1,\"app\":\"A\",\"app\":\"B\",\"doc\":\"D\",\"exp\":1,\"nonce\":"
		"\"12345678\","
		"\"kid\":\"k2025\"}",
		/* Trailing garbage after the object. */
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"}x",
		"{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\",\"kid\":"
		"\"k2025\"",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_raw(bad[i], K.sk[0], text, sizeof(text));
		if (verify(text, &ring, 0, NULL) != QR_MALFORMED)
			fail_msg("accepted payload %zu: %s", i, bad[i]);
	}

	/* The same shape done right verifies, unknown members ignored. */
	make_raw("{\"v\":1,\"app\":\"A\",\"doc\":\"D\",\"exp\":1,\"nonce\":\"12345678\","
		 "\"kid\":\"k2025\",\"extra\":{\"x\":[1,2]}}",
		 K.sk[0], text, sizeof(text));
	assert_int_equal(verify(text, &ring, 0, NULL), QR_VALID);
}

static void test_strings(void **state)
{
	for (int v = 0; v < _QR_VERDICT_MAX; v++)
		assert_non_null(qr_verdict_to_string((enum qr_verdict)v));
	assert_string_equal(qr_verdict_to_string(QR_BAD_SIGNATURE), "bad-signature");
	assert_null(qr_verdict_to_string(_QR_VERDICT_MAX));
	assert_null(qr_verdict_to_string(_QR_VERDICT_INVALID));
	assert_int_equal(qr_verdict_to_error(QR_VALID), SESSION_ERROR_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_issue_errors),
		cmocka_unit_test(test_forged),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_not_mpp),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_malformed_structure),
		cmocka_unit_test(test_malformed_payload),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
