/* SPDX-License-Identifier: MIT */
/*
 * The fault log: the last device faults and recoveries of this station,
 * kept in SQLite (state_dir/faults.db) across restarts so that a
 * technician arriving later still sees what went wrong and when
 * (`station diag`, section "faults").
 *
 * An entry is a device, the state it went to, the state it came from and
 * a time: never personal data. The log keeps the newest FAULT_LOG_KEEP
 * entries and drops older ones as it grows.
 *
 * One handle per thread (the station's owner thread writes it); readers
 * open the file read-only, even while a kiosk holds it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FAULT_LOG_KEEP	   200
#define FAULT_LOG_NAME_MAX 24

struct fault_log;

struct fault_log_entry {
	int64_t at; /* epoch seconds */
	char device[FAULT_LOG_NAME_MAX];
	char state[FAULT_LOG_NAME_MAX]; /* "failed", "degraded", "ok" (recovered) */
	char from[FAULT_LOG_NAME_MAX];	/* the state before */
};

/* Opens (creating) the log at path. 0 and *ret, -EIO, -ENOMEM, -EINVAL.
 * Blocks on disk. */
int fault_log_open(const char *path, struct fault_log **ret);
/* Closes; accepts NULL; returns NULL. */
struct fault_log *fault_log_free(struct fault_log *fl);

/* Appends one transition of device from `from` to `state`, at `at`, and
 * trims the log to FAULT_LOG_KEEP entries. 0, -EINVAL (a name too long or
 * empty), -EIO. Blocks on a small write (not fsync'ed: losing the last
 * entry to a power cut is acceptable). */
int fault_log_add(struct fault_log *fl, int64_t at, const char *device, const char *from,
		  const char *state);

/* The newest entries of the log at path, newest first, opened read-only:
 * up to max into entries. Returns the number written, -ENOENT (no log
 * there), -EIO. Any thread; blocks on disk up to about 1 s. */
int fault_log_read(const char *path, struct fault_log_entry *entries, size_t max);
