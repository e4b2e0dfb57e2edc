/* SPDX-License-Identifier: MIT */
/*
 * MPP QR tokens (qr-token.h). The text comes from a camera pointed at
 * anything: every step is bounded and checked before the next one, and the
 * JSON is only parsed once the shape and the base64 are right.
 *
 * "doc" may be empty: the QR code on an application receipt is printed
 * before any document exists, and still identifies the application.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "qr-token.h"

#define PREFIX	   "MPP1."
#define PREFIX_LEN (sizeof(PREFIX) - 1)
#define SIG_LEN	   crypto_sign_BYTES
#define NONCE_MIN  8
#define NONCE_MAX  32
/* The payload, decoded, is at most 3/4 of the longest token. */
#define PAYLOAD_MAX (SESSION_TOKEN_MAX / 4 * 3 + 3)
#define B64	    sodium_base64_VARIANT_URLSAFE_NO_PADDING

static bool is_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

/* Nonces are random strings the backend makes: base64 (either alphabet) or
 * hex, nothing that needs escaping anywhere. */
static bool is_nonce_char(char c)
{
	return is_id_char(c) || c == '+' || c == '/' || c == '=';
}

static bool is_kid_char(char c)
{
	return is_id_char(c) || c == '.';
}

static bool check_chars(const char *s, size_t min, size_t max, bool (*ok)(char))
{
	size_t n = strnlen(s, max + 1);

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ok(s[i]))
			return false;
	return true;
}

static bool token_fields_valid(const struct qr_token *t)
{
	return t->version == 1 && check_chars(t->application_id, 1, SESSION_ID_MAX, is_id_char) &&
	       check_chars(t->document_id, 0, SESSION_ID_MAX, is_id_char) &&
	       check_chars(t->nonce, NONCE_MIN, NONCE_MAX, is_nonce_char) &&
	       check_chars(t->key_id, 1, QR_KEY_ID_MAX, is_kid_char);
}

/* Copies a JSON string member into buf (size > max) if it is a string of
 * min..max allowed characters. */
static bool take_string(json_t *obj, const char *key, size_t min, size_t max, bool (*ok)(char),
			char *buf, size_t size)
{
	json_t *v = json_object_get(obj, key);
	size_t n;

	if (!json_is_string(v))
		return false;
	n = json_string_length(v);
	if (n < min || n > max || n >= size)
		return false;
	memcpy(buf, json_string_value(v), n);
	buf[n] = '\0';
	/* json_string_length counts embedded NULs (jansson refuses them by
	 * default, but do not rely on a flag): the check runs on n bytes. */
	for (size_t i = 0; i < n; i++)
		if (!ok(buf[i]))
			return false;
	return true;
}

static bool parse_payload(const uint8_t *data, size_t len, struct qr_token *t)
{
	json_error_t error;
	json_t *root = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &error);
	json_t *v, *exp;
	bool ok = false;

	if (!json_is_object(root))
		goto out;
	v = json_object_get(root, "v");
	exp = json_object_get(root, "exp");
	/* Unknown members are ignored: a later backend may add some. */
	if (!json_is_integer(v) || json_integer_value(v) != 1 || !json_is_integer(exp))
		goto out;
	t->version = 1;
	t->expires = json_integer_value(exp);
	ok = take_string(root, "app", 1, SESSION_ID_MAX, is_id_char, t->application_id,
			 sizeof(t->application_id)) &&
	     take_string(root, "doc", 0, SESSION_ID_MAX, is_id_char, t->document_id,
			 sizeof(t->document_id)) &&
	     take_string(root, "nonce", NONCE_MIN, NONCE_MAX, is_nonce_char, t->nonce,
			 sizeof(t->nonce)) &&
	     take_string(root, "kid", 1, QR_KEY_ID_MAX, is_kid_char, t->key_id, sizeof(t->key_id));
out:
	json_decref(root);
	return ok;
}

static const struct qr_key *find_key(const struct qr_keyring *keys, const char *kid)
{
	if (!keys || !keys->keys)
		return NULL;
	for (size_t i = 0; i < keys->n; i++)
		if (strncmp(keys->keys[i].id, kid, sizeof(keys->keys[i].id)) == 0)
			return &keys->keys[i];
	return NULL;
}

static bool decode_b64(const char *b64, size_t b64_len, uint8_t *bin, size_t bin_max,
		       size_t *ret_len)
{
	/* No b64_end: libsodium then fails unless it used every
	 * character, and it refuses non-zero trailing bits, so only the
	 * canonical encoding decodes. */
	return b64_len > 0 &&
	       sodium_base642bin(bin, bin_max, b64, b64_len, NULL, ret_len, NULL, B64) == 0;
}

enum qr_verdict qr_token_verify(const char *text, size_t len, const struct qr_keyring *keys,
				int64_t now, struct qr_token *ret_token)
{
	uint8_t payload[PAYLOAD_MAX];
	uint8_t sig[SIG_LEN];
	struct qr_token t = {0};
	const struct qr_key *key;
	const char *dot, *sig_b64;
	size_t payload_len = 0, sig_len = 0, signed_len;
	enum qr_verdict verdict;
	int64_t skew;

	if (!text || len < PREFIX_LEN || memcmp(text, PREFIX, PREFIX_LEN) != 0)
		/* Looked at first, so that a long URL or payment code is
		 * told apart from an MPP token. */
		return QR_NOT_MPP;
	if (len > SESSION_TOKEN_MAX)
		return QR_TOO_LONG;
	if (sodium_init() < 0)
		return QR_MALFORMED;

	dot = memchr(text + PREFIX_LEN, '.', len - PREFIX_LEN);
	if (!dot)
		return QR_MALFORMED;
	signed_len = (size_t)(dot - text);
	sig_b64 = dot + 1;
	/* Exactly three parts; base64url has no dots, so a third one is
	 * refused by the decoder too, but say it plainly. */
	if (memchr(sig_b64, '.', len - signed_len - 1))
		return QR_MALFORMED;
	if (!decode_b64(text + PREFIX_LEN, signed_len - PREFIX_LEN, payload, sizeof(payload),
			&payload_len) ||
	    !decode_b64(sig_b64, len - signed_len - 1, sig, sizeof(sig), &sig_len) ||
	    sig_len != SIG_LEN)
		return QR_MALFORMED;
	if (!parse_payload(payload, payload_len, &t)) {
		verdict = QR_MALFORMED;
		goto out;
	}

	key = find_key(keys, t.key_id);
	if (!key) {
		verdict = QR_UNKNOWN_KEY;
		goto out;
	}
	if (crypto_sign_verify_detached(sig, (const unsigned char *)text, signed_len,
					key->public_key) != 0) {
		verdict = QR_BAD_SIGNATURE;
		goto out;
	}

	skew = keys->clock_skew_s > 0 ? keys->clock_skew_s : 0;
	/* exp + skew without overflow: a token that far out never expires
	 * within int64. */
	if (t.expires <= INT64_MAX - skew && now > t.expires + skew) {
		verdict = QR_EXPIRED;
		goto out;
	}

	verdict = QR_VALID;
	if (ret_token)
		*ret_token = t;
out:
	sodium_memzero(&t, sizeof(t));
	sodium_memzero(payload, sizeof(payload));
	return verdict;
}

int qr_token_issue(const struct qr_token *t, const uint8_t secret_key[64], char *buf, size_t size)
{
	uint8_t sig[SIG_LEN];
	char *json = NULL;
	json_t *root = NULL;
	size_t json_len, b64_len, len;
	int r = -EINVAL;

	if (!t || !secret_key || !buf || !token_fields_valid(t))
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;

	root = json_pack("{s:i, s:s, s:s, s:I, s:s, s:s}", "v", t->version, "app",
			 t->application_id, "doc", t->document_id, "exp", (json_int_t)t->expires,
			 "nonce", t->nonce, "kid", t->key_id);
	if (!root) {
		r = -ENOMEM;
		goto out;
	}
	/* Sorted and compact: the same token always gives the same text. */
	json = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	if (!json) {
		r = -ENOMEM;
		goto out;
	}
	json_len = strlen(json);

	b64_len = sodium_base64_ENCODED_LEN(json_len, B64) - 1;
	len = PREFIX_LEN + b64_len + 1 + (sodium_base64_ENCODED_LEN(SIG_LEN, B64) - 1);
	if (len > SESSION_TOKEN_MAX) {
		r = -EINVAL;
		goto out;
	}
	if (len + 1 > size) {
		r = -ENOBUFS;
		goto out;
	}

	memcpy(buf, PREFIX, PREFIX_LEN);
	sodium_bin2base64(buf + PREFIX_LEN, size - PREFIX_LEN, (const unsigned char *)json,
			  json_len, B64);
	crypto_sign_detached(sig, NULL, (const unsigned char *)buf, PREFIX_LEN + b64_len,
			     secret_key);
	buf[PREFIX_LEN + b64_len] = '.';
	sodium_bin2base64(buf + PREFIX_LEN + b64_len + 1, size - PREFIX_LEN - b64_len - 1, sig,
			  SIG_LEN, B64);
	r = (int)len;
out:
	free(json);
	json_decref(root);
	return r;
}

enum session_error qr_verdict_to_error(enum qr_verdict v)
{
	switch (v) {
	case QR_VALID:
		return SESSION_ERROR_NONE;
	case QR_NOT_MPP:
		return SESSION_ERROR_QR_NOT_MPP;
	case QR_EXPIRED:
		return SESSION_ERROR_QR_EXPIRED;
	default:
		return SESSION_ERROR_QR_INVALID;
	}
}

static const char *const verdict_table[_QR_VERDICT_MAX] = {
	[QR_VALID] = "valid",
	[QR_NOT_MPP] = "not-mpp",
	[QR_MALFORMED] = "malformed",
	[QR_TOO_LONG] = "too-long",
	[QR_UNKNOWN_KEY] = "unknown-key",
	[QR_BAD_SIGNATURE] = "bad-signature",
	[QR_EXPIRED] = "expired",
};

const char *qr_verdict_to_string(enum qr_verdict v)
{
	if (v < 0 || v >= _QR_VERDICT_MAX)
		return NULL;
	return verdict_table[v];
}
