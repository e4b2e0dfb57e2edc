/* SPDX-License-Identifier: MIT */
/*
 * The fault log (fault-log.h) over SQLite: one table, trimmed on insert.
 */
#include <errno.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault-log.h"
#include "sqlite-ro.h"

struct fault_log {
	sqlite3 *db;
};

static const char schema[] = "PRAGMA journal_mode=WAL;"
			     "PRAGMA synchronous=NORMAL;"
			     "CREATE TABLE IF NOT EXISTS faults("
			     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
			     " at INTEGER NOT NULL,"
			     " device TEXT NOT NULL,"
			     " from_state TEXT NOT NULL,"
			     " state TEXT NOT NULL);";

int fault_log_open(const char *path, struct fault_log **ret)
{
	struct fault_log *fl;

	if (!path || !ret)
		return -EINVAL;
	fl = calloc(1, sizeof(*fl));
	if (!fl)
		return -ENOMEM;
	if (sqlite3_open_v2(path, &fl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_busy_timeout(fl->db, 1000) != SQLITE_OK ||
	    sqlite3_exec(fl->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		fault_log_free(fl);
		return -EIO;
	}
	*ret = fl;
	return 0;
}

struct fault_log *fault_log_free(struct fault_log *fl)
{
	if (!fl)
		return NULL;
	sqlite3_close(fl->db);
	free(fl);
	return NULL;
}

static bool name_ok(const char *s)
{
	return s && *s && strlen(s) < FAULT_LOG_NAME_MAX;
}

int fault_log_add(struct fault_log *fl, int64_t at, const char *device, const char *from,
		  const char *state)
{
	sqlite3_stmt *st = NULL;
	int r = -EIO;

	if (!fl || !name_ok(device) || !name_ok(from) || !name_ok(state))
		return -EINVAL;
	if (sqlite3_prepare_v2(fl->db,
			       "INSERT INTO faults(at, device, from_state, state)"
			       " VALUES(?1, ?2, ?3, ?4)",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 1, at) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, device, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(fl->db,
			       "DELETE FROM faults WHERE id <= (SELECT max(id) FROM faults) - ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_int(st, 1, FAULT_LOG_KEEP) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
		goto out;
	r = 0;
out:
	sqlite3_finalize(st);
	return r;
}

static void column_copy(sqlite3_stmt *st, int col, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(buf, size, "%s", t ? (const char *)t : "");
}

int fault_log_read(const char *path, struct fault_log_entry *entries, size_t max)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int r = -EIO, rc;

	if (!path || (!entries && max))
		return -EINVAL;
	r = sqlite_ro_open(path, &db);
	if (r < 0)
		return r;
	r = -EIO;
	if (sqlite3_prepare_v2(db,
			       "SELECT at, device, from_state, state FROM faults"
			       " ORDER BY id DESC LIMIT ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 1, (sqlite3_int64)max) != SQLITE_OK)
		goto out;
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fault_log_entry *e = &entries[n++];

		e->at = sqlite3_column_int64(st, 0);
		column_copy(st, 1, e->device, sizeof(e->device));
		column_copy(st, 2, e->from, sizeof(e->from));
		column_copy(st, 3, e->state, sizeof(e->state));
	}
	r = (int)n;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}
