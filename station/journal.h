/* SPDX-License-Identifier: MIT */
/*
 * The print journal (DESIGN.md "Reliability"): every print job and its
 * state in SQLite (WAL, synchronous=FULL), so that a crash or power cut at
 * any instant loses no job and prints none twice, and the audit trail with
 * each NIK replaced by a keyed hash.
 *
 * A job's life: queued -> sent (about to go to the printer; the printer's
 * job id added once known) -> printing -> completed | failed | cancelled.
 * Terminal states are final. A job is sent only from queued and only while
 * its session is live; after a restart every session is over, so queued
 * jobs are cancelled, never printed for the next citizen. A sent job is
 * never re-sent: recovery asks the printer about it by its job id. A
 * collection is confirmed only for a completed job, and the confirmation
 * is recorded before it goes out (the backend's confirm-queue.h carries
 * it from there).
 *
 * One handle per thread at a time (the print worker); every call blocks
 * on a small fsync'ed write, a few milliseconds on a local disk.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

enum journal_state {
	JOURNAL_QUEUED,
	JOURNAL_SENT,
	JOURNAL_PRINTING,
	JOURNAL_COMPLETED,
	JOURNAL_FAILED,
	JOURNAL_CANCELLED,
	_JOURNAL_STATE_MAX,
};

#define JOURNAL_KEY_BYTES 32

struct journal_job {
	int64_t id;
	enum session_print_kind kind;
	char document_id[SESSION_ID_MAX + 1];
	char session_id[SESSION_ID_MAX + 1];
	enum journal_state state;
	int printer_job_id; /* 0: not known */
	bool confirmation_recorded;
	int64_t created; /* unix seconds */
	int64_t updated;
};

struct journal;

/* Opens (creating) the journal at path. key (JOURNAL_KEY_BYTES, per
 * station) keys the NIK hashes of the audit trail. 0 and *ret_journal, or
 * -EIO (cannot open or not a journal), -EINVAL, -ENOMEM. Blocks on disk. */
int journal_open(const char *path, const uint8_t key[JOURNAL_KEY_BYTES],
		 struct journal **ret_journal);
/* Closes; accepts NULL; returns NULL. */
struct journal *journal_free(struct journal *j);

const char *journal_state_to_string(enum journal_state s);

/* A new job, queued. document_id may be "" (receipts). 0 and its id, or
 * -EINVAL, -EIO. */
int journal_job_add(struct journal *j, enum session_print_kind kind, const char *document_id,
		    const char *session_id, int64_t *ret_id);

/* Marks the job sent, just before it goes to the printer: only from
 * queued and only while its session has not ended. 0, -ECANCELED (the
 * session ended or the job was cancelled: do not print), -EALREADY (sent
 * before: never again), -ENOENT, -EIO. */
int journal_job_begin_send(struct journal *j, int64_t id);

/* Records the printer's id for a sent job. 0, -ENOENT, -EINVAL, -EIO. */
int journal_job_set_printer_job(struct journal *j, int64_t id, int printer_job_id);

/* Moves the job on: sent -> printing, or any unfinished state -> a
 * terminal one. 0, -EPERM (the job is already in a terminal state, or the
 * move goes backwards), -ENOENT, -EINVAL, -EIO. */
int journal_job_set_state(struct journal *j, int64_t id, enum journal_state state);

/* Records that the collection is being confirmed: only for a completed
 * job, once. 0, -EPERM (not completed), -EALREADY, -ENOENT, -EIO. */
int journal_job_record_confirmation(struct journal *j, int64_t id);

int journal_job_get(struct journal *j, int64_t id, struct journal_job *ret_job);

/* The session is over: its queued jobs are cancelled and none of its jobs
 * can be sent any more. 0 or -EINVAL, -EIO. */
int journal_session_end(struct journal *j, const char *session_id);

/* Asks the printer where job printer_job_id stands: 0 with *ret_state
 * COMPLETED, FAILED, CANCELLED, or PRINTING when it is still going (it is
 * then cancelled by the resolver if it can), or -errno when the printer
 * cannot tell (the job stays unfinished for the next start). */
typedef int (*journal_resolve_fn)(void *userdata, int printer_job_id,
				  enum journal_state *ret_state);

struct journal_recovery {
	unsigned cancelled;	     /* queued: their session is gone */
	unsigned completed;	     /* the printer says it came out */
	unsigned failed;	     /* aborted, or fate unknowable */
	unsigned unresolved;	     /* printer unreachable: next start */
	unsigned confirmations_owed; /* completed, confirmation not recorded */
};

/* At start-up, before any new job: ends every session, cancels queued
 * jobs, resolves sent/printing ones through resolve (NULL: leave them
 * unresolved). A sent job with no printer id (the crash came between
 * sending and recording it) is failed: it is never re-sent. A printer
 * answer of PRINTING is recorded as cancelled (the resolver cancels it:
 * nobody is there to collect it). Returns 0 with counts, or -EIO. */
int journal_recover(struct journal *j, journal_resolve_fn resolve, void *userdata,
		    struct journal_recovery *ret_recovery);

/* Completed jobs whose confirmation is not recorded, oldest first: up to
 * max ids into ids. Returns the number written, or -EIO. */
int journal_confirmations_owed(struct journal *j, int64_t *ids, size_t max);

/* What a technician needs to know of a journal on disk, read without its
 * key and without writing (a running kiosk may hold it). */
struct journal_summary {
	unsigned by_state[_JOURNAL_STATE_MAX]; /* jobs in each state */
	unsigned pending;		       /* queued + sent + printing */
	unsigned confirmations_owed;	       /* completed, confirmation not recorded */
	int64_t oldest_pending_s; /* creation time (epoch s) of the oldest pending, 0: none */
};

/* Counts the jobs of the journal at path, opened read-only. 0 and
 * *ret_summary, -ENOENT (no journal there), -EIO (not a journal). Any
 * thread; blocks on disk (a busy database is waited for up to 1 s). */
int journal_summarize(const char *path, struct journal_summary *ret_summary);

/* Appends to the audit trail. nik (may be NULL) is stored only as a keyed
 * hash (hex); event and detail must carry no personal data. 0, -EINVAL,
 * -EIO. */
int journal_audit(struct journal *j, const char *event, const char *nik, const char *detail);

/* The keyed NIK hash the audit trail stores (hex, 32 chars + NUL). */
void journal_nik_hash(const struct journal *j, const char *nik, char ret_hex[33]);
