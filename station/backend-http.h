/* SPDX-License-Identifier: MIT */
/*
 * The "http" backend: the station–backend contract (docs/api/openapi.yaml)
 * over HTTPS with libcurl, answers parsed strictly by backend-json.c.
 *
 * Its operations block (one request, its retries and their pauses) and run
 * on the station's backend or print worker, never on the owner thread.
 * Several workers may call one instance at once: each call borrows its own
 * curl handle from a small pool, so connections are kept alive and reused.
 *
 * Errors, beyond backend.h's: -EKEYREJECTED a QR token the backend refused,
 * -EKEYEXPIRED an expired one, -ECONNABORTED TLS failed (the server's
 * certificate did not verify against the CA, or ours was refused), -EEXIST
 * an idempotency key used before for another document, -EPROTO the backend
 * refused our request as malformed (a 4xx other than 401/403/404/422).
 * An answer that is too big, truncated, of the wrong content type, or
 * invalid in any field is -EBADMSG.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "session-types.h"

#define BACKEND_HTTP_DOCUMENT_MAX (32u << 20) /* default document size cap */

struct backend_http_config {
	/* https://HOST[:PORT][/PREFIX]; http:// only for a loopback host (the
	 * reference backend on this machine). Paths /v1/... are appended. */
	const char *url;
	const char *station_id;	     /* sent with confirmations and heartbeats */
	uint64_t connect_timeout_ms; /* 0: 3000 */
	uint64_t timeout_ms;	     /* a whole attempt, 0: 10000 */
	/* Extra attempts for idempotent calls (lookups, downloads, keyed
	 * confirmations) after a transient failure: no connection, a
	 * timeout, a cut transfer, 502/503/504. Heartbeats are tried once. */
	unsigned retries;
	unsigned backoff_ms;	   /* first pause, 0: 200; doubles, +-50 % jitter */
	const char *ca_file;	   /* PEM CAs to trust; NULL or "": the system's */
	const char *client_cert;   /* PEM client certificate (mTLS), optional */
	const char *client_key;	   /* its key */
	const char *bearer_token;  /* from the secrets file; NULL or "": none */
	size_t max_response_bytes; /* JSON answers, 0: BACKEND_JSON_MAX_BYTES */
	size_t max_document_bytes; /* PDFs, 0: BACKEND_HTTP_DOCUMENT_MAX */
};

/* Creates the back end; the config's strings are copied. Returns 0 and a
 * backend in *ret (free with backend_free), -EINVAL for a bad URL (or an
 * http:// one that is not loopback) or station id, -ENOMEM, -EIO if
 * libcurl cannot start. Any thread; does not block. */
int backend_http_new(const struct backend_http_config *cfg, struct backend **ret);

/* POST /v1/stations/{id}/heartbeat: version, uptime, confirmations still
 * queued, and each device's state. One attempt (not retried). Returns 0
 * or a negative errno as above. Blocks; a worker thread. */
int backend_http_heartbeat(struct backend *b, const char *version, uint64_t uptime_s,
			   unsigned pending_confirmations,
			   const enum session_device_state states[_SESSION_DEVICE_MAX]);

/* The backend's clock minus ours, in seconds, from the Date header of the
 * last answer. Returns 0 and *ret_skew_s, -ENODATA before any answer, or
 * -EINVAL if b is not an http backend. Any thread; does not block. */
int backend_http_clock_skew(struct backend *b, int64_t *ret_skew_s);

/* The expiry (epoch seconds, notAfter) of the backend's TLS certificate,
 * as seen on the last new connection. Returns 0 and *ret_not_after,
 * -ENODATA before any TLS answer (or over plain http), -EINVAL if b is not
 * an http backend. Any thread; does not block. */
int backend_http_cert_expiry(struct backend *b, int64_t *ret_not_after);
