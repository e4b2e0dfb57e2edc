/* SPDX-License-Identifier: MIT */
/*
 * Exactly-once "collected" confirmations (DESIGN.md "Reliability"): a
 * confirmation is written to SQLite (WAL, synchronous=FULL) with its
 * idempotency key before anything is sent, and sent, with that same key,
 * until the backend acknowledges it, across crashes and restarts. The
 * backend treats a repeated key as a no-op, so a confirmation whose
 * acknowledgement was lost is delivered once.
 *
 * Kept in its own database file beside the print journal (the printing
 * issue's); one connection per handle, used by one thread at a time (the
 * backend worker). Calls block on disk, and flush on the network.
 */
#pragma once

#include "backend.h"

#define CONFIRM_QUEUE_KEY_MAX 32

struct confirm_queue;

/* Opens (creating) the queue database at path. Returns 0 and *ret, or
 * -EIO / -ENOMEM. */
int confirm_queue_open(const char *path, struct confirm_queue **ret);
struct confirm_queue *confirm_queue_free(struct confirm_queue *q);

/* Records that document_id was collected by print job `job`. Durable when
 * it returns 0 (only then may the citizen be told "done"); the new
 * idempotency key (hex, NUL-terminated) goes to ret_key. -EINVAL for an id
 * or job the contract refuses, -EIO. */
int confirm_queue_add(struct confirm_queue *q, const char *document_id, const char *job,
		      char ret_key[CONFIRM_QUEUE_KEY_MAX + 1]);

/* Sends every pending confirmation, oldest first, through b. Acknowledged
 * ones (and ones the backend refuses for good: unknown document, key
 * reused) leave the queue; the others stay for the next flush. Returns the
 * number still pending, or -EIO. */
int confirm_queue_flush(struct confirm_queue *q, struct backend *b);

/* The number of confirmations not yet acknowledged: 0 or -EIO. */
int confirm_queue_pending(struct confirm_queue *q, unsigned *ret);

/* The pending count of the queue database at path, opened read-only
 * (another process may hold it). 0 and *ret, -ENOENT (no database there),
 * -EIO. Any thread; blocks on disk up to about 1 s. */
int confirm_queue_count_pending(const char *path, unsigned *ret);
