/* SPDX-License-Identifier: MIT */
/*
 * Backend: the agencies' system the station asks (STYLE.md rule 2).
 * Operations block; the station calls them on its backend worker thread,
 * never on the owner thread.
 *
 * Errors (negative errno): -ENOENT not found, -EACCES unauthorised,
 * -EHOSTUNREACH / -ECONNREFUSED / -ETIMEDOUT unreachable, -EBADMSG a
 * malformed or invalid answer, -ENOMEM.
 *
 * Back ends: "sim" (backend-sim.c, in-process demo data, scriptable) and
 * "http" (libcurl + jansson, the backend issue).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

struct backend;

struct backend_ops {
	const char *name;
	/* The applications of the holder of a card (uid, and nik if the
	 * SAM gave one, else NULL). */
	int (*lookup_card)(struct backend *b, const uint8_t *uid, size_t uid_len, const char *nik,
			   struct session_lookup_result *ret_result);
	/* The application a verified QR token names. */
	int (*lookup_qr)(struct backend *b, const char *token,
			 struct session_lookup_result *ret_result);
	/* The PDF of a ready document and its SHA-256 as the backend states
	 * it. *ret_pdf is malloc'ed; the caller frees it. */
	int (*fetch_document)(struct backend *b, const char *document_id, uint8_t **ret_pdf,
			      size_t *ret_len, uint8_t ret_sha256[32]);
	/* Idempotent: the same key twice is one confirmation. */
	int (*confirm_collected)(struct backend *b, const char *document_id, const char *job,
				 const char *idempotency_key);
	void (*free_ctx)(void *ctx);
};

struct backend {
	const struct backend_ops *ops;
	void *ctx;
};

struct backend *backend_free(struct backend *b);

/* ---- the simulator ------------------------------------------------------ */

/* An in-process backend on the demo data (demo-data.h). */
int backend_sim_new(struct backend **ret_backend);

/* Scripting, any thread. down: every call fails -EHOSTUNREACH. delay_ms:
 * each call sleeps that long first (a slow backend). corrupt_documents:
 * fetch_document returns a PDF whose hash does not match. */
void backend_sim_set_down(struct backend *b, bool down);
void backend_sim_set_delay(struct backend *b, unsigned delay_ms);
void backend_sim_set_corrupt_documents(struct backend *b, bool corrupt);
/* Documents confirmed collected, each counted once whatever the keys. */
unsigned backend_sim_confirmations(struct backend *b);
