/* SPDX-License-Identifier: MIT */
/*
 * The JSON of the station–backend contract (docs/api/openapi.yaml): the
 * request bodies the station sends and strict parsers for the answers it
 * gets. The backend is outside the trust boundary, so every parser checks
 * every field: a missing field, a wrong type, an enum value it does not
 * know, an oversized string or array, invalid UTF-8 or a control
 * character is -EBADMSG, and the out-param is left untouched. Unknown
 * extra properties are ignored (the contract lets backends add fields).
 *
 * Pure functions: no I/O, no logging, any thread. The fuzz target
 * tests/fuzz/fuzz-backend-json.c feeds them arbitrary bytes.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

/* The largest JSON answer the station reads (a full lookup is ~8 KiB). */
#define BACKEND_JSON_MAX_BYTES (256 * 1024)
#define BACKEND_JSON_KEY_MAX   64 /* Idempotency-Key characters */

/* The machine codes of an error body. */
enum backend_error_code {
	BACKEND_ERROR_BAD_REQUEST,
	BACKEND_ERROR_UNAUTHORIZED,
	BACKEND_ERROR_TOKEN_INVALID,
	BACKEND_ERROR_TOKEN_EXPIRED,
	BACKEND_ERROR_NOT_FOUND,
	BACKEND_ERROR_IDEMPOTENCY_KEY_REUSED,
	BACKEND_ERROR_PAYLOAD_TOO_LARGE,
	BACKEND_ERROR_UNSUPPORTED_MEDIA_TYPE,
	BACKEND_ERROR_UNAVAILABLE,
	BACKEND_ERROR_INTERNAL,
	_BACKEND_ERROR_MAX,
	_BACKEND_ERROR_INVALID = -22,
};

struct backend_json_error {
	enum backend_error_code code;
	char message_id[256]; /* Indonesian */
	char message_en[256];
};

struct backend_json_ack {
	char document_id[SESSION_ID_MAX + 1];
	char collected_at[32];
	bool replayed;
};

/* ---- validation helpers ------------------------------------------------ */

/* True if s is an identifier the contract allows in a URL path:
 * ^[A-Za-z0-9._-]{1,39}$. */
bool backend_json_id_valid(const char *s);
/* True if s is a valid Idempotency-Key: ^[A-Za-z0-9_-]{1,64}$. */
bool backend_json_key_valid(const char *s);

/* ---- answers ------------------------------------------------------------ */

/* A LookupResult body (len bytes, need not be NUL-terminated). Returns 0
 * and fills *ret_result, or -EBADMSG. The result holds personal data: the
 * caller wipes it. */
int backend_json_parse_lookup(const char *buf, size_t len,
			      struct session_lookup_result *ret_result);

/* An Error body. Returns 0 and fills *ret_error, or -EBADMSG. */
int backend_json_parse_error(const char *buf, size_t len, struct backend_json_error *ret_error);

/* A CollectedAck body. It must name document_id (the one confirmed), else
 * -EBADMSG. */
int backend_json_parse_ack(const char *buf, size_t len, const char *document_id,
			   struct backend_json_ack *ret_ack);

/* A HeartbeatAck body. Returns 0 or -EBADMSG. */
int backend_json_parse_heartbeat_ack(const char *buf, size_t len);

/* A Repr-Digest header value (RFC 9530) holding a sha-256 entry, e.g.
 * "sha-256=:<base64 of 32 bytes>:" (other algorithms in the list are
 * skipped). Returns 0 and the hash, or -EBADMSG. */
int backend_json_parse_digest(const char *value, size_t len, uint8_t ret_sha256[32]);

/* The negative errno an HTTP error answer means for the caller
 * (backend.h): 404 -ENOENT, 401 -EACCES, token_invalid -EKEYREJECTED,
 * token_expired -EKEYEXPIRED, 422 / 409 -EEXIST, 5xx -EHOSTUNREACH, other
 * 4xx -EPROTO (the station sent something the backend refused). err may
 * be NULL when the body was not a valid Error. */
int backend_json_status_to_errno(long http_status, const struct backend_json_error *err);

const char *backend_error_code_to_string(enum backend_error_code c);
enum backend_error_code backend_error_code_from_string(const char *s);

/* ---- requests and the reference backend's answers ----------------------- */

/* Each returns a malloc'ed NUL-terminated JSON text (the caller frees it;
 * wipe lookup requests, they hold personal data) or NULL on -ENOMEM or
 * invalid arguments. */
char *backend_json_lookup_card_request(const uint8_t *uid, size_t uid_len, const char *nik);
char *backend_json_lookup_qr_request(const char *token);
char *backend_json_collected_request(const char *station, const char *job, const char *printed_at);

/* The LookupResult body for a result (used by mpp-sim and the tests, so
 * both ends of the contract share one encoding). */
char *backend_json_encode_lookup(const struct session_lookup_result *r);
/* An Error body. */
char *backend_json_encode_error(enum backend_error_code code, const char *message_id,
				const char *message_en);
