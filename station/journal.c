/* SPDX-License-Identifier: MIT */
/*
 * The print journal (journal.h). Every change is one statement or one
 * IMMEDIATE transaction, committed with synchronous=FULL in WAL mode: when
 * a call returns 0 the change survives a power cut; when the process dies
 * inside a call, the change is wholly there or wholly not.
 */
#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "sqlite-ro.h"

#define BUSY_TIMEOUT_MS 5000

/* The SQL below spells these numbers out. */
_Static_assert(JOURNAL_QUEUED == 0 && JOURNAL_SENT == 1 && JOURNAL_PRINTING == 2 &&
		       JOURNAL_COMPLETED == 3 && JOURNAL_CANCELLED == 5,
	       "journal states are stored by number");
_Static_assert(SESSION_PRINT_DOCUMENT == 1, "print kinds are stored by number");

struct journal {
	sqlite3 *db;
	uint8_t key[JOURNAL_KEY_BYTES];
};

static const char *const state_names[_JOURNAL_STATE_MAX] = {
	[JOURNAL_QUEUED] = "queued",	 [JOURNAL_SENT] = "sent",
	[JOURNAL_PRINTING] = "printing", [JOURNAL_COMPLETED] = "completed",
	[JOURNAL_FAILED] = "failed",	 [JOURNAL_CANCELLED] = "cancelled",
};

const char *journal_state_to_string(enum journal_state s)
{
	return (unsigned)s < _JOURNAL_STATE_MAX ? state_names[s] : NULL;
}

static bool is_terminal(enum journal_state s)
{
	return s == JOURNAL_COMPLETED || s == JOURNAL_FAILED || s == JOURNAL_CANCELLED;
}

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS jobs ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" kind INTEGER NOT NULL,"
	" document_id TEXT NOT NULL,"
	" session_id TEXT NOT NULL,"
	" state INTEGER NOT NULL,"
	" printer_job_id INTEGER NOT NULL DEFAULT 0,"
	" confirmation_recorded INTEGER NOT NULL DEFAULT 0,"
	" created INTEGER NOT NULL,"
	" updated INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);"
	"CREATE TABLE IF NOT EXISTS ended_sessions (session_id TEXT PRIMARY KEY);"
	"CREATE TABLE IF NOT EXISTS audit ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" at INTEGER NOT NULL,"
	" event TEXT NOT NULL,"
	" nik_hash TEXT,"
	" detail TEXT NOT NULL);";

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

static int exec(struct journal *j, const char *sql)
{
	return sqlite3_exec(j->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -EIO;
}

int journal_open(const char *path, const uint8_t key[JOURNAL_KEY_BYTES],
		 struct journal **ret_journal)
{
	struct journal *j;
	const char *mode = NULL;
	sqlite3_stmt *st = NULL;
	int r = -EIO;

	if (!path || !path[0] || !key || !ret_journal)
		return -EINVAL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	memcpy(j->key, key, JOURNAL_KEY_BYTES);
	if (sqlite3_open_v2(path, &j->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(j->db, BUSY_TIMEOUT_MS);
	if (exec(j, schema) < 0)
		goto fail;
	/* WAL needs a file system that supports it; refuse silently
	 * weaker durability. */
	if (sqlite3_prepare_v2(j->db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	mode = (const char *)sqlite3_column_text(st, 0);
	if (!mode || strcmp(mode, "wal") != 0)
		goto fail;
	sqlite3_finalize(st);
	*ret_journal = j;
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite3_close(j->db);
	sodium_memzero(j, sizeof(*j));
	free(j);
	return r;
}

struct journal *journal_free(struct journal *j)
{
	if (!j)
		return NULL;
	sqlite3_close(j->db);
	sodium_memzero(j, sizeof(*j));
	free(j);
	return NULL;
}

static int prepare(struct journal *j, const char *sql, sqlite3_stmt **ret)
{
	return sqlite3_prepare_v2(j->db, sql, -1, ret, NULL) == SQLITE_OK ? 0 : -EIO;
}

/* Runs a statement that returns no rows. 0, or -EIO. */
static int step_done(sqlite3_stmt *st)
{
	int r = sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;

	sqlite3_finalize(st);
	return r;
}

int journal_job_add(struct journal *j, enum session_print_kind kind, const char *document_id,
		    const char *session_id, int64_t *ret_id)
{
	sqlite3_stmt *st;
	int64_t t = now_s();
	int r;

	if (!j || (unsigned)kind >= _SESSION_PRINT_KIND_MAX || !document_id || !session_id ||
	    !session_id[0] || strlen(document_id) > SESSION_ID_MAX ||
	    strlen(session_id) > SESSION_ID_MAX || !ret_id)
		return -EINVAL;
	r = prepare(j,
		    "INSERT INTO jobs (kind, document_id, session_id, state, created, updated)"
		    " VALUES (?, ?, ?, ?, ?, ?)",
		    &st);
	if (r < 0)
		return r;
	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_text(st, 2, document_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, session_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, JOURNAL_QUEUED);
	sqlite3_bind_int64(st, 5, t);
	sqlite3_bind_int64(st, 6, t);
	r = step_done(st);
	if (r < 0)
		return r;
	*ret_id = sqlite3_last_insert_rowid(j->db);
	return 0;
}

int journal_job_get(struct journal *j, int64_t id, struct journal_job *ret_job)
{
	sqlite3_stmt *st;
	struct journal_job job = {0};
	int r;

	if (!j || !ret_job)
		return -EINVAL;
	r = prepare(j,
		    "SELECT kind, document_id, session_id, state, printer_job_id,"
		    " confirmation_recorded, created, updated FROM jobs WHERE id = ?",
		    &st);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		job.id = id;
		job.kind = (enum session_print_kind)sqlite3_column_int(st, 0);
		snprintf(job.document_id, sizeof(job.document_id), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(job.session_id, sizeof(job.session_id), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		job.state = (enum journal_state)sqlite3_column_int(st, 3);
		job.printer_job_id = sqlite3_column_int(st, 4);
		job.confirmation_recorded = sqlite3_column_int(st, 5) != 0;
		job.created = sqlite3_column_int64(st, 6);
		job.updated = sqlite3_column_int64(st, 7);
		r = (unsigned)job.state < _JOURNAL_STATE_MAX ? 0 : -EIO;
		break;
	case SQLITE_DONE:
		r = -ENOENT;
		break;
	default:
		r = -EIO;
		break;
	}
	sqlite3_finalize(st);
	if (r == 0)
		*ret_job = job;
	return r;
}

/* UPDATE jobs SET <set> WHERE id = ?1 with ?2 = the time: 0, or -EIO. */
static int update(struct journal *j, int64_t id, const char *sql, int a)
{
	sqlite3_stmt *st;
	int r = prepare(j, sql, &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now_s());
	sqlite3_bind_int(st, 3, a);
	return step_done(st);
}

static int session_ended(struct journal *j, const char *session_id, bool *ret_ended)
{
	sqlite3_stmt *st;
	int r = prepare(j, "SELECT 1 FROM ended_sessions WHERE session_id = ?", &st), s;

	if (r < 0)
		return r;
	sqlite3_bind_text(st, 1, session_id, -1, SQLITE_STATIC);
	s = sqlite3_step(st);
	sqlite3_finalize(st);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return -EIO;
	*ret_ended = s == SQLITE_ROW;
	return 0;
}

/* Runs body inside BEGIN IMMEDIATE ... COMMIT, so that checking a state
 * and changing it is one step even with another connection around. */
#define IN_TRANSACTION(j, r, body)                  \
	do {                                        \
		(r) = exec((j), "BEGIN IMMEDIATE"); \
		if ((r) < 0)                        \
			break;                      \
		body;                               \
		if ((r) < 0)                        \
			exec((j), "ROLLBACK");      \
		else if (exec((j), "COMMIT") < 0) { \
			exec((j), "ROLLBACK");      \
			(r) = -EIO;                 \
		}                                   \
	} while (0)

static int begin_send_locked(struct journal *j, int64_t id)
{
	struct journal_job job;
	bool ended;
	int r = journal_job_get(j, id, &job);

	if (r < 0)
		return r;
	if (job.state == JOURNAL_CANCELLED)
		return -ECANCELED;
	if (job.state != JOURNAL_QUEUED)
		return -EALREADY;
	r = session_ended(j, job.session_id, &ended);
	if (r < 0)
		return r;
	if (ended) {
		r = update(j, id, "UPDATE jobs SET state = ?3, updated = ?2 WHERE id = ?1",
			   JOURNAL_CANCELLED);
		return r < 0 ? r : -ECANCELED;
	}
	return update(j, id, "UPDATE jobs SET state = ?3, updated = ?2 WHERE id = ?1",
		      JOURNAL_SENT);
}

int journal_job_begin_send(struct journal *j, int64_t id)
{
	int r;

	if (!j)
		return -EINVAL;
	IN_TRANSACTION(j, r, r = begin_send_locked(j, id));
	/* A session that ended cancels the job: that must stick even
	 * though the call reports failure. */
	if (r == -ECANCELED) {
		struct journal_job job;

		if (journal_job_get(j, id, &job) == 0 && job.state == JOURNAL_QUEUED)
			update(j, id, "UPDATE jobs SET state = ?3, updated = ?2 WHERE id = ?1",
			       JOURNAL_CANCELLED);
	}
	return r;
}

int journal_job_set_printer_job(struct journal *j, int64_t id, int printer_job_id)
{
	struct journal_job job;
	int r;

	if (!j || printer_job_id <= 0)
		return -EINVAL;
	r = journal_job_get(j, id, &job);
	if (r < 0)
		return r;
	return update(j, id, "UPDATE jobs SET printer_job_id = ?3, updated = ?2 WHERE id = ?1",
		      printer_job_id);
}

static int set_state_locked(struct journal *j, int64_t id, enum journal_state state)
{
	struct journal_job job;
	int r = journal_job_get(j, id, &job);

	if (r < 0)
		return r;
	if (is_terminal(job.state) || state <= job.state ||
	    (state == JOURNAL_PRINTING && job.state != JOURNAL_SENT) ||
	    (state == JOURNAL_COMPLETED && job.state == JOURNAL_QUEUED))
		return -EPERM;
	return update(j, id, "UPDATE jobs SET state = ?3, updated = ?2 WHERE id = ?1", state);
}

int journal_job_set_state(struct journal *j, int64_t id, enum journal_state state)
{
	int r;

	if (!j || state <= JOURNAL_SENT || state >= _JOURNAL_STATE_MAX)
		return -EINVAL;
	IN_TRANSACTION(j, r, r = set_state_locked(j, id, state));
	return r;
}

static int record_confirmation_locked(struct journal *j, int64_t id)
{
	struct journal_job job;
	int r = journal_job_get(j, id, &job);

	if (r < 0)
		return r;
	if (job.state != JOURNAL_COMPLETED)
		return -EPERM;
	if (job.confirmation_recorded)
		return -EALREADY;
	return update(j, id,
		      "UPDATE jobs SET confirmation_recorded = ?3, updated = ?2 WHERE id = ?1", 1);
}

int journal_job_record_confirmation(struct journal *j, int64_t id)
{
	int r;

	if (!j)
		return -EINVAL;
	IN_TRANSACTION(j, r, r = record_confirmation_locked(j, id));
	return r;
}

static int end_session_locked(struct journal *j, const char *session_id)
{
	sqlite3_stmt *st;
	int r = prepare(j, "INSERT OR IGNORE INTO ended_sessions VALUES (?)", &st);

	if (r < 0)
		return r;
	sqlite3_bind_text(st, 1, session_id, -1, SQLITE_STATIC);
	r = step_done(st);
	if (r < 0)
		return r;
	r = prepare(j, "UPDATE jobs SET state = ?, updated = ? WHERE session_id = ? AND state = ?",
		    &st);
	if (r < 0)
		return r;
	sqlite3_bind_int(st, 1, JOURNAL_CANCELLED);
	sqlite3_bind_int64(st, 2, now_s());
	sqlite3_bind_text(st, 3, session_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, JOURNAL_QUEUED);
	return step_done(st);
}

int journal_session_end(struct journal *j, const char *session_id)
{
	int r;

	if (!j || !session_id || !session_id[0])
		return -EINVAL;
	IN_TRANSACTION(j, r, r = end_session_locked(j, session_id));
	return r;
}

/* Ids of jobs matching a WHERE clause (no parameters), oldest first. */
static int select_ids(struct journal *j, const char *sql, int64_t *ids, size_t max)
{
	sqlite3_stmt *st;
	size_t n = 0;
	int r = prepare(j, sql, &st), s = SQLITE_DONE;

	if (r < 0)
		return r;
	while (n < max && (s = sqlite3_step(st)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (n < max && s != SQLITE_DONE)
		n = SIZE_MAX;
	sqlite3_finalize(st);
	return n == SIZE_MAX ? -EIO : (int)n;
}

#define RECOVER_BATCH 64

int journal_recover(struct journal *j, journal_resolve_fn resolve, void *userdata,
		    struct journal_recovery *ret_recovery)
{
	struct journal_recovery rec = {0};
	int64_t ids[RECOVER_BATCH];
	int n, r;

	if (!j || !ret_recovery)
		return -EINVAL;
	/* Every session before this start is over. */
	IN_TRANSACTION(j, r, {
		r = exec(j, "INSERT OR IGNORE INTO ended_sessions"
			    " SELECT DISTINCT session_id FROM jobs");
		if (r >= 0)
			r = exec(j, "UPDATE jobs SET state = 5, updated = strftime('%s','now')"
				    " WHERE state = 0");
		if (r >= 0)
			rec.cancelled = (unsigned)sqlite3_changes(j->db);
	});
	if (r < 0)
		return r;
	n = select_ids(j, "SELECT id FROM jobs WHERE state IN (1, 2) ORDER BY id", ids,
		       RECOVER_BATCH);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		struct journal_job job;
		enum journal_state verdict;

		r = journal_job_get(j, ids[i], &job);
		if (r < 0)
			return r;
		if (job.printer_job_id <= 0) {
			/* Sent, but whether the printer took it is unknown:
			 * never send again. */
			verdict = JOURNAL_FAILED;
		} else if (!resolve || resolve(userdata, job.printer_job_id, &verdict) < 0) {
			rec.unresolved++;
			continue;
		} else if (verdict == JOURNAL_PRINTING || !is_terminal(verdict)) {
			verdict = JOURNAL_CANCELLED;
		}
		r = journal_job_set_state(j, ids[i], verdict);
		if (r < 0)
			return r;
		if (verdict == JOURNAL_COMPLETED)
			rec.completed++;
		else if (verdict == JOURNAL_FAILED)
			rec.failed++;
		else
			rec.cancelled++;
	}
	n = select_ids(j,
		       "SELECT id FROM jobs WHERE state = 3 AND confirmation_recorded = 0"
		       " AND kind = 1",
		       ids, RECOVER_BATCH);
	if (n < 0)
		return n;
	rec.confirmations_owed = (unsigned)n;
	*ret_recovery = rec;
	return 0;
}

int journal_confirmations_owed(struct journal *j, int64_t *ids, size_t max)
{
	if (!j || (!ids && max > 0))
		return -EINVAL;
	if (max > INT32_MAX)
		max = INT32_MAX;
	return select_ids(j,
			  "SELECT id FROM jobs WHERE state = 3 AND confirmation_recorded = 0"
			  " AND kind = 1 ORDER BY id",
			  ids, max);
}

void journal_nik_hash(const struct journal *j, const char *nik, char ret_hex[33])
{
	uint8_t h[16];

	crypto_generichash(h, sizeof(h), (const uint8_t *)nik, strlen(nik), j->key, sizeof(j->key));
	sodium_bin2hex(ret_hex, 33, h, sizeof(h));
}

int journal_audit(struct journal *j, const char *event, const char *nik, const char *detail)
{
	sqlite3_stmt *st;
	char hex[33];
	int r;

	if (!j || !event || !event[0] || !detail)
		return -EINVAL;
	r = prepare(j, "INSERT INTO audit (at, event, nik_hash, detail) VALUES (?, ?, ?, ?)", &st);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now_s());
	sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	if (nik && nik[0]) {
		journal_nik_hash(j, nik, hex);
		sqlite3_bind_text(st, 3, hex, -1, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(st, 3);
	}
	sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	return step_done(st);
}

int journal_summarize(const char *path, struct journal_summary *ret_summary)
{
	struct journal_summary sum = {0};
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int r = -EIO, rc;

	if (!path || !ret_summary)
		return -EINVAL;
	r = sqlite_ro_open(path, &db);
	if (r < 0)
		return r;
	r = -EIO;
	if (sqlite3_prepare_v2(db,
			       "SELECT state, count(*), min(created),"
			       " sum(state = 3 AND confirmation_recorded = 0)"
			       " FROM jobs GROUP BY state",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int s = sqlite3_column_int(st, 0);
		unsigned n = (unsigned)sqlite3_column_int(st, 1);
		int64_t oldest = sqlite3_column_int64(st, 2);

		if (s < 0 || s >= _JOURNAL_STATE_MAX)
			goto out;
		sum.by_state[s] = n;
		sum.confirmations_owed += (unsigned)sqlite3_column_int(st, 3);
		if (!is_terminal((enum journal_state)s)) {
			sum.pending += n;
			if (!sum.oldest_pending_s || oldest < sum.oldest_pending_s)
				sum.oldest_pending_s = oldest;
		}
	}
	if (rc != SQLITE_DONE)
		goto out;
	*ret_summary = sum;
	r = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}
