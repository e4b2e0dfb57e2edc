/* SPDX-License-Identifier: MIT */
/*
 * MPP QR tokens: MPP1.<base64url payload>.<base64url Ed25519 signature>.
 * The payload is JSON: {"v":1,"app":"...","doc":"...","exp":<unix s>,
 * "nonce":"...","kid":"..."}. The signature covers the bytes
 * "MPP1." + <base64url payload> (the text before the second dot).
 *
 * Verified offline, before any network call, against the configured
 * public keys (several, chosen by kid, for key rotation).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

#define QR_KEY_ID_MAX 32

enum qr_verdict {
	QR_VALID,
	QR_NOT_MPP,	/* not an MPP token at all (URL, payment code) */
	QR_MALFORMED,	/* starts like one but does not parse */
	QR_TOO_LONG,	/* longer than SESSION_TOKEN_MAX */
	QR_UNKNOWN_KEY, /* kid not among the configured keys */
	QR_BAD_SIGNATURE,
	QR_EXPIRED,
	_QR_VERDICT_MAX,
	_QR_VERDICT_INVALID = -22,
};

struct qr_key {
	char id[QR_KEY_ID_MAX + 1];
	uint8_t public_key[32];
};

struct qr_keyring {
	size_t n;
	const struct qr_key *keys;
	int64_t clock_skew_s; /* expiry allowance */
};

struct qr_token {
	int version;
	char application_id[SESSION_ID_MAX + 1];
	char document_id[SESSION_ID_MAX + 1];
	int64_t expires; /* unix seconds */
	char nonce[33];
	char key_id[QR_KEY_ID_MAX + 1];
};

/* Verifies text (len bytes, any content) at time now (unix s). Returns the
 * verdict; fills *ret_token only for QR_VALID. Pure; any thread. */
enum qr_verdict qr_token_verify(const char *text, size_t len, const struct qr_keyring *keys,
				int64_t now, struct qr_token *ret_token);

/* Signs a token with a 64-byte libsodium secret key. Writes the
 * NUL-terminated token text into buf. Returns its length or -ENOBUFS /
 * -EINVAL. Used by the reference backend and the demo. */
int qr_token_issue(const struct qr_token *t, const uint8_t secret_key[64], char *buf, size_t size);

/* The session error a refused verdict shows the citizen. */
enum session_error qr_verdict_to_error(enum qr_verdict v);
const char *qr_verdict_to_string(enum qr_verdict v);
