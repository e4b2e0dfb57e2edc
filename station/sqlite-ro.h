/* SPDX-License-Identifier: MIT */
/*
 * Read-only access to the station's SQLite files (journal, confirmation
 * queue, fault log) for reports such as `station diag`, while a running
 * kiosk may hold them open for writing.
 */
#pragma once

#include <sqlite3.h>

/* Opens path read-only, waiting up to 1 s for a writer. 0 and *ret_db
 * (sqlite3_close() it), -ENOENT (no file there), -EIO. Any thread. */
int sqlite_ro_open(const char *path, sqlite3 **ret_db);
