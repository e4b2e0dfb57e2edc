/* SPDX-License-Identifier: MIT */
/*
 * mpp-sim, the reference backend: its store (sim-db.c, SQLite seeded from
 * the demo data) and its HTTP server (sim-server.c, libmicrohttpd) with
 * fault injection for tests. Private to station/sim/.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qr-token.h"
#include "session-types.h"

/* ---- the store ---------------------------------------------------------- */

struct sim_db;

/* Opens (creating) the database at path (":memory:" for none) and seeds
 * it from demo-data.h if it is empty, rendering each ready document's PDF
 * once. Returns 0 and *ret, or -EIO / -ENOMEM. Blocks. */
int sim_db_open(const char *path, struct sim_db **ret);
struct sim_db *sim_db_free(struct sim_db *db);

/* Every call below may come from any server thread; one mutex serialises
 * them. Each returns 0, -ENOENT, or -EIO. Results hold (invented)
 * personal data. */
int sim_db_lookup_card(struct sim_db *db, const char *uid_hex, const char *nik,
		       struct session_lookup_result *ret);
int sim_db_lookup_application(struct sim_db *db, const char *application_id,
			      struct session_lookup_result *ret);
/* *ret_pdf is malloc'ed; the caller frees it. */
int sim_db_document(struct sim_db *db, const char *document_id, uint8_t **ret_pdf, size_t *ret_len,
		    uint8_t ret_sha256[32]);
/* Records a collection once per key. -EEXIST: the key confirmed another
 * document. *ret_replayed: the key was seen before. */
int sim_db_confirm(struct sim_db *db, const char *document_id, const char *key, const char *station,
		   const char *job, const char *printed_at, bool *ret_replayed,
		   char ret_collected_at[32]);
int sim_db_heartbeat(struct sim_db *db, const char *station, const char *body);
/* Distinct documents confirmed, confirmation keys recorded, heartbeats. */
int sim_db_stats(struct sim_db *db, unsigned *ret_documents, unsigned *ret_keys,
		 unsigned *ret_heartbeats);

/* ---- faults ------------------------------------------------------------- */

/* What the next /v1 answers suffer. All zero: none. */
struct sim_faults {
	unsigned latency_ms;   /* pause after handling, before answering */
	unsigned status;       /* answer this status (with an Error body) instead */
	bool malformed;	       /* a body that is not JSON */
	bool truncate;	       /* send half the body, then close */
	unsigned drip_ms;      /* send the body one byte per drip_ms */
	char content_type[64]; /* answer with this Content-Type */
	bool expired_tokens;   /* every QR token reads as expired */
	size_t pad_bytes;      /* add an unknown "padding" property this long */
	bool corrupt;	       /* documents' bytes no longer match their digest */
	unsigned count;	       /* apply to this many requests, 0: until cleared */
};

/* Parses {"latency_ms":..,"status":..,...} (every key optional, unknown
 * keys refused). Returns 0 or -EINVAL. */
int sim_faults_from_json(const char *buf, size_t len, struct sim_faults *ret);

/* ---- the server --------------------------------------------------------- */

struct sim_server_config {
	const char *address; /* "127.0.0.1" */
	uint16_t port;	     /* 0: the kernel picks */
	char *tls_cert_pem;  /* NULL: plain HTTP */
	char *tls_key_pem;
	const char *token;	  /* bearer token required on /v1, NULL: none */
	struct qr_key qr_key;	  /* tokens are verified against it */
	struct sim_faults faults; /* from the command line */
	bool quiet;		  /* no request log on stderr */
};

struct sim_server;

int sim_server_start(const struct sim_server_config *cfg, struct sim_db *db,
		     struct sim_server **ret);
uint16_t sim_server_port(const struct sim_server *s);
struct sim_server *sim_server_free(struct sim_server *s);
