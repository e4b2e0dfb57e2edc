/* SPDX-License-Identifier: MIT */
/*
 * The confirmation queue (confirm-queue.h) over SQLite. A row is written
 * and committed (synchronous=FULL) before the first send; it is marked
 * done only after the backend's acknowledgement. A crash in between
 * leaves the row pending, and the next flush sends the same key again.
 */
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend-json.h"
#include "confirm-queue.h"
#include "sqlite-ro.h"
#include "log.h"

struct confirm_queue {
	sqlite3 *db;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS confirmations("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" idempotency_key TEXT NOT NULL UNIQUE,"
	" document_id TEXT NOT NULL,"
	" job TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" state TEXT NOT NULL DEFAULT 'pending'" /* pending | acked | refused */
	");";

int confirm_queue_open(const char *path, struct confirm_queue **ret)
{
	struct confirm_queue *q;

	if (!path || !ret)
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_busy_timeout(q->db, 5000) != SQLITE_OK ||
	    sqlite3_exec(q->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		confirm_queue_free(q);
		return -EIO;
	}
	*ret = q;
	return 0;
}

struct confirm_queue *confirm_queue_free(struct confirm_queue *q)
{
	if (!q)
		return NULL;
	sqlite3_close(q->db);
	free(q);
	return NULL;
}

int confirm_queue_add(struct confirm_queue *q, const char *document_id, const char *job,
		      char ret_key[CONFIRM_QUEUE_KEY_MAX + 1])
{
	char key[CONFIRM_QUEUE_KEY_MAX + 1];
	uint8_t rnd[CONFIRM_QUEUE_KEY_MAX / 2];
	sqlite3_stmt *st = NULL;
	int r = -EIO;

	if (!q || !ret_key || !backend_json_id_valid(document_id) || !backend_json_id_valid(job))
		return -EINVAL;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(key, sizeof(key), rnd, sizeof(rnd));
	if (sqlite3_prepare_v2(q->db,
			       "INSERT INTO confirmations(idempotency_key, document_id, job,"
			       " created_at) VALUES(?, ?, ?, ?)",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_text(st, 2, document_id, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_text(st, 3, job, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_DONE)
		r = 0;
	sqlite3_finalize(st);
	if (r == 0)
		memcpy(ret_key, key, sizeof(key));
	return r;
}

static int mark(struct confirm_queue *q, sqlite3_int64 seq, const char *state)
{
	sqlite3_stmt *st = NULL;
	int r = -EIO;

	if (sqlite3_prepare_v2(q->db,
			       "UPDATE confirmations SET state = ?, attempts = attempts + 1"
			       " WHERE seq = ?",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 2, seq) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE)
		r = 0;
	sqlite3_finalize(st);
	return r;
}

int confirm_queue_flush(struct confirm_queue *q, struct backend *b)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 after = 0;
	unsigned pending = 0;
	int rc;

	if (!q || !b)
		return -EINVAL;
	/* One row at a time, re-querying after each send: no statement is
	 * held open across the network call. */
	for (;;) {
		char key[CONFIRM_QUEUE_KEY_MAX + 1], doc[SESSION_ID_MAX + 1],
			job[SESSION_ID_MAX + 1];
		sqlite3_int64 seq;
		int r;

		if (sqlite3_prepare_v2(q->db,
				       "SELECT seq, idempotency_key, document_id, job FROM"
				       " confirmations WHERE state = 'pending' AND seq > ?"
				       " ORDER BY seq LIMIT 1",
				       -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 1, after) != SQLITE_OK) {
			sqlite3_finalize(st);
			return -EIO;
		}
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			sqlite3_finalize(st);
			return rc == SQLITE_DONE ? (int)pending : -EIO;
		}
		seq = sqlite3_column_int64(st, 0);
		snprintf(key, sizeof(key), "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(doc, sizeof(doc), "%s", (const char *)sqlite3_column_text(st, 2));
		snprintf(job, sizeof(job), "%s", (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
		st = NULL;
		after = seq;

		r = b->ops->confirm_collected(b, doc, job, key);
		if (r >= 0) {
			if (mark(q, seq, "acked") < 0)
				return -EIO;
		} else if (r == -ENOENT || r == -EEXIST || r == -EINVAL) {
			/* Never going to succeed: keep the row for the audit,
			 * stop sending it. */
			log_error("confirmation of job %s refused by the backend: %s", job,
				  strerror(-r));
			if (mark(q, seq, "refused") < 0)
				return -EIO;
		} else {
			log_warning("confirmation of job %s not delivered yet: %s", job,
				    strerror(-r));
			pending++;
		}
	}
}

int confirm_queue_pending(struct confirm_queue *q, unsigned *ret)
{
	sqlite3_stmt *st = NULL;
	int r = -EIO;

	if (!q || !ret)
		return -EINVAL;
	if (sqlite3_prepare_v2(q->db, "SELECT count(*) FROM confirmations WHERE state = 'pending'",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*ret = (unsigned)sqlite3_column_int(st, 0);
		r = 0;
	}
	sqlite3_finalize(st);
	return r;
}

int confirm_queue_count_pending(const char *path, unsigned *ret)
{
	struct confirm_queue q = {0};
	int r;

	if (!path || !ret)
		return -EINVAL;
	r = sqlite_ro_open(path, &q.db);
	if (r < 0)
		return r;
	r = confirm_queue_pending(&q, ret);
	sqlite3_close(q.db);
	return r;
}
