/* SPDX-License-Identifier: MIT */
/*
 * mpp-sim's store: SQLite, seeded from the same demo data (demo-data.h)
 * as the in-process simulator, so the demo and the tests agree whichever
 * backend they use. Collections persist when --db names a file, so a
 * restarted mpp-sim still knows every idempotency key it acknowledged.
 */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo-data.h"
#include "document-pdf.h"
#include "session.h"
#include "sim.h"

#define COLLECTED_STEP "Dokumen sudah dicetak dan diambil melalui anjungan layanan mandiri."

struct sim_db {
	pthread_mutex_t lock;
	sqlite3 *db;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS citizens(key TEXT PRIMARY KEY, full_name TEXT NOT NULL,"
	" nik TEXT NOT NULL, card_uid TEXT NOT NULL UNIQUE);"
	"CREATE TABLE IF NOT EXISTS applications(id TEXT PRIMARY KEY, seq INTEGER NOT NULL,"
	" citizen_key TEXT NOT NULL REFERENCES citizens(key), agency TEXT NOT NULL,"
	" service TEXT NOT NULL, stage TEXT NOT NULL, updated_at TEXT NOT NULL,"
	" next_step TEXT NOT NULL, document_id TEXT UNIQUE);"
	"CREATE TABLE IF NOT EXISTS documents(id TEXT PRIMARY KEY,"
	" application_id TEXT NOT NULL REFERENCES applications(id), pdf BLOB NOT NULL,"
	" sha256 BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS confirmations(idempotency_key TEXT PRIMARY KEY,"
	" document_id TEXT NOT NULL, station TEXT NOT NULL, job TEXT NOT NULL,"
	" printed_at TEXT NOT NULL, received_at TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS heartbeats(station TEXT NOT NULL, received_at TEXT NOT NULL,"
	" body TEXT NOT NULL);";

static void now_rfc3339(char buf[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void uid_to_hex(const uint8_t *uid, size_t len, char *hex)
{
	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02X", uid[i]);
	hex[2 * len] = '\0';
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src ? (const char *)src : "");
}

static int exec_bind(sqlite3 *db, const char *sql, int n, const char *const *args)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	for (int i = 0; rc == SQLITE_OK && i < n; i++)
		rc = args[i] ? sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_TRANSIENT)
			     : sqlite3_bind_null(st, i + 1);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

static int render_document(sqlite3 *db, const struct demo_application *app)
{
	sqlite3_stmt *st = NULL;
	uint8_t sha[32], *pdf = NULL;
	size_t len = 0;
	int r;

	r = demo_document_render(app, &pdf, &len);
	if (r < 0)
		return r;
	crypto_hash_sha256(sha, pdf, len);
	r = -EIO;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO documents(id, application_id, pdf, sha256)"
			       " VALUES(?, ?, ?, ?)",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, app->document_id, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_text(st, 2, app->id, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_blob(st, 3, pdf, (int)len, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_blob(st, 4, sha, sizeof(sha), SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_DONE)
		r = 0;
	sqlite3_finalize(st);
	free(pdf);
	return r;
}

static int seed(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int n = 0, r = -EIO;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM citizens", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return -EIO;
	}
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (n > 0)
		return 0;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return -EIO;
	for (size_t i = 0; i < demo_n_citizens; i++) {
		const struct demo_citizen *c = &demo_citizens[i];
		char hex[2 * sizeof(c->card_uid) + 1];
		const char *args[] = {c->key, c->full_name, c->nik, hex};

		uid_to_hex(c->card_uid, c->card_uid_len, hex);
		if (exec_bind(db, "INSERT INTO citizens VALUES(?, ?, ?, ?)", 4, args) < 0)
			goto out;
	}
	for (size_t i = 0; i < demo_n_applications; i++) {
		const struct demo_application *a = &demo_applications[i];
		char seq[24];
		const char *args[] = {a->id,
				      seq,
				      a->citizen_key,
				      a->agency,
				      a->service,
				      session_stage_to_string(a->stage),
				      a->updated_at,
				      a->next_step ? a->next_step : "",
				      a->stage == SESSION_STAGE_READY ? a->document_id : NULL};

		snprintf(seq, sizeof(seq), "%zu", i);
		if (exec_bind(db, "INSERT INTO applications VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)", 9,
			      args) < 0)
			goto out;
		if (a->stage == SESSION_STAGE_READY && a->document_id && render_document(db, a) < 0)
			goto out;
	}
	r = 0;
out:
	if (sqlite3_exec(db, r == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		r = -EIO;
	return r;
}

int sim_db_open(const char *path, struct sim_db **ret)
{
	struct sim_db *d;
	int r;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	if (pthread_mutex_init(&d->lock, NULL) != 0) {
		free(d);
		return -ENOMEM;
	}
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_busy_timeout(d->db, 5000) != SQLITE_OK ||
	    sqlite3_exec(d->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		sim_db_free(d);
		return -EIO;
	}
	r = seed(d->db);
	if (r < 0) {
		sim_db_free(d);
		return r;
	}
	*ret = d;
	return 0;
}

struct sim_db *sim_db_free(struct sim_db *d)
{
	if (!d)
		return NULL;
	sqlite3_close(d->db);
	pthread_mutex_destroy(&d->lock);
	free(d);
	return NULL;
}

/* Fills res with the citizen key's name, NIK and applications (only
 * application_id's if not NULL). Called with the lock held. */
static int fill(struct sim_db *d, const char *citizen_key, const char *application_id,
		struct session_lookup_result *res)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	if (sqlite3_prepare_v2(d->db, "SELECT full_name, nik FROM citizens WHERE key = ?", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, citizen_key, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -EIO;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_text(res->holder_name, sizeof(res->holder_name), sqlite3_column_text(st, 0));
		copy_text(res->nik, sizeof(res->nik), sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? -ENOENT : -EIO;

	if (sqlite3_prepare_v2(
		    d->db,
		    "SELECT id, agency, service, stage, updated_at, next_step, document_id"
		    " FROM applications WHERE citizen_key = ?1"
		    " AND (?2 IS NULL OR id = ?2) ORDER BY seq LIMIT ?3",
		    -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, citizen_key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, application_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, SESSION_MAX_APPS) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -EIO;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct session_app *a = &res->apps[res->n_apps++];

		copy_text(a->id, sizeof(a->id), sqlite3_column_text(st, 0));
		copy_text(a->agency, sizeof(a->agency), sqlite3_column_text(st, 1));
		copy_text(a->service, sizeof(a->service), sqlite3_column_text(st, 2));
		a->stage = session_stage_from_string((const char *)sqlite3_column_text(st, 3));
		copy_text(a->updated_at, sizeof(a->updated_at), sqlite3_column_text(st, 4));
		copy_text(a->next_step, sizeof(a->next_step), sqlite3_column_text(st, 5));
		if (a->stage == SESSION_STAGE_READY)
			copy_text(a->document_id, sizeof(a->document_id),
				  sqlite3_column_text(st, 6));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -EIO;
	return application_id && res->n_apps == 0 ? -ENOENT : 0;
}

/* Returns the citizen key a query on one text argument names. */
static int find_key(struct sim_db *d, const char *sql, const char *arg, char *key, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -EIO;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		copy_text(key, size, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : -EIO;
}

int sim_db_lookup_card(struct sim_db *d, const char *uid_hex, const char *nik,
		       struct session_lookup_result *ret)
{
	char key[64], card_nik[17];
	int r;

	pthread_mutex_lock(&d->lock);
	r = find_key(d, "SELECT key FROM citizens WHERE card_uid = ?", uid_hex, key, sizeof(key));
	if (r == 0 && nik && *nik) {
		/* A NIK from the SAM that is not the card holder's: a cloned
		 * UID or a re-issued card. Unknown, as the contract says. */
		r = find_key(d, "SELECT nik FROM citizens WHERE card_uid = ?", uid_hex, card_nik,
			     sizeof(card_nik));
		if (r == 0 && strcmp(card_nik, nik) != 0)
			r = -ENOENT;
	}
	if (r == 0)
		r = fill(d, key, NULL, ret);
	pthread_mutex_unlock(&d->lock);
	return r;
}

int sim_db_lookup_application(struct sim_db *d, const char *application_id,
			      struct session_lookup_result *ret)
{
	char key[64];
	int r;

	pthread_mutex_lock(&d->lock);
	r = find_key(d, "SELECT citizen_key FROM applications WHERE id = ?", application_id, key,
		     sizeof(key));
	if (r == 0)
		r = fill(d, key, application_id, ret);
	pthread_mutex_unlock(&d->lock);
	return r;
}

int sim_db_document(struct sim_db *d, const char *document_id, uint8_t **ret_pdf, size_t *ret_len,
		    uint8_t ret_sha256[32])
{
	sqlite3_stmt *st = NULL;
	int rc, r = -EIO;

	pthread_mutex_lock(&d->lock);
	if (sqlite3_prepare_v2(d->db, "SELECT pdf, sha256 FROM documents WHERE id = ?", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, document_id, -1, SQLITE_STATIC) != SQLITE_OK)
		goto out;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		r = -ENOENT;
	} else if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32 &&
		   sqlite3_column_bytes(st, 0) > 0) {
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		uint8_t *pdf = malloc(len);

		if (!pdf) {
			r = -ENOMEM;
			goto out;
		}
		memcpy(pdf, sqlite3_column_blob(st, 0), len);
		memcpy(ret_sha256, sqlite3_column_blob(st, 1), 32);
		*ret_pdf = pdf;
		*ret_len = len;
		r = 0;
	}
out:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&d->lock);
	return r;
}

int sim_db_confirm(struct sim_db *d, const char *document_id, const char *key, const char *station,
		   const char *job, const char *printed_at, bool *ret_replayed,
		   char ret_collected_at[32])
{
	sqlite3_stmt *st = NULL;
	char known_doc[64], at[32];
	int rc, r = -EIO;

	pthread_mutex_lock(&d->lock);
	if (sqlite3_exec(d->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto unlock;
	if (sqlite3_prepare_v2(d->db,
			       "SELECT document_id, received_at FROM confirmations"
			       " WHERE idempotency_key = ?",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
		goto out;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_text(known_doc, sizeof(known_doc), sqlite3_column_text(st, 0));
		copy_text(at, sizeof(at), sqlite3_column_text(st, 1));
		/* A replay answers like the first call; the same key for
		 * another document is the client's bug. */
		if (strcmp(known_doc, document_id) != 0) {
			r = -EEXIST;
		} else {
			*ret_replayed = true;
			memcpy(ret_collected_at, at, 32);
			r = 0;
		}
		goto out;
	}
	if (rc != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (find_key(d, "SELECT id FROM documents WHERE id = ?", document_id, known_doc,
		     sizeof(known_doc)) < 0) {
		r = -ENOENT;
		goto out;
	}
	now_rfc3339(at);
	{
		const char *args[] = {key, document_id, station, job, printed_at, at};
		const char *upd[] = {COLLECTED_STEP, document_id};

		if (exec_bind(d->db, "INSERT INTO confirmations VALUES(?, ?, ?, ?, ?, ?)", 6,
			      args) < 0 ||
		    exec_bind(d->db,
			      "UPDATE applications SET stage = 'collected', next_step = ?"
			      " WHERE document_id = ?",
			      2, upd) < 0)
			goto out;
	}
	*ret_replayed = false;
	memcpy(ret_collected_at, at, 32);
	r = 0;
out:
	sqlite3_finalize(st);
	if (sqlite3_exec(d->db, r == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		r = -EIO;
unlock:
	pthread_mutex_unlock(&d->lock);
	return r;
}

int sim_db_heartbeat(struct sim_db *d, const char *station, const char *body)
{
	char at[32];
	const char *args[] = {station, at, body};
	int r;

	now_rfc3339(at);
	pthread_mutex_lock(&d->lock);
	r = exec_bind(d->db, "INSERT INTO heartbeats VALUES(?, ?, ?)", 3, args);
	pthread_mutex_unlock(&d->lock);
	return r;
}

static int count(sqlite3 *db, const char *sql, unsigned *ret)
{
	sqlite3_stmt *st = NULL;
	int r = -EIO;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*ret = (unsigned)sqlite3_column_int(st, 0);
		r = 0;
	}
	sqlite3_finalize(st);
	return r;
}

int sim_db_stats(struct sim_db *d, unsigned *ret_documents, unsigned *ret_keys,
		 unsigned *ret_heartbeats)
{
	int r;

	pthread_mutex_lock(&d->lock);
	r = count(d->db, "SELECT count(DISTINCT document_id) FROM confirmations", ret_documents);
	if (r == 0)
		r = count(d->db, "SELECT count(*) FROM confirmations", ret_keys);
	if (r == 0)
		r = count(d->db, "SELECT count(*) FROM heartbeats", ret_heartbeats);
	pthread_mutex_unlock(&d->lock);
	return r;
}
