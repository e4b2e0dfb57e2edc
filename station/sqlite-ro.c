/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <unistd.h>

#include "sqlite-ro.h"

int sqlite_ro_open(const char *path, sqlite3 **ret_db)
{
	sqlite3 *db = NULL;

	if (!path || !ret_db)
		return -EINVAL;
	/* Read-only would not create it, but says "cannot open" for both. */
	if (access(path, F_OK) < 0)
		return -errno;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, 1000) != SQLITE_OK) {
		sqlite3_close(db);
		return -EIO;
	}
	*ret_db = db;
	return 0;
}
