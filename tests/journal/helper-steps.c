/* SPDX-License-Identifier: MIT */
/*
 * Drives the print journal through a document job's steps against a fake
 * printer (a file: one line per job it accepted, holding the journal's job
 * id; a job it accepted counts as printed), for the kill -9 tests.
 *
 *   journal-helper-steps run DB PRINTER STOP   one job; SIGKILL itself
 *                                              right after step STOP (1-8,
 *                                              0 = never)
 *   journal-helper-steps loop DB PRINTER       jobs until killed from outside
 *   journal-helper-steps check DB PRINTER      start-up recovery, then the
 *                                              invariants; exit 1 if broken
 *
 * Steps: 1 queued, 2 marked sent, 3 the printer accepts, 4 its job id
 * recorded, 5 printing, 6 completed, 7 confirmation recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"

#define MAX_JOBS 4096

static const uint8_t key[JOURNAL_KEY_BYTES] = {1, 2, 3};

static void step_done(int step, int stop)
{
	if (step == stop)
		kill(getpid(), SIGKILL);
}

/* The printer accepts a job: one fsync'ed line; its job id is the line
 * number (one writer at a time in these tests). */
static int printer_accept(const char *printer, int64_t id, int *ret_printer_job)
{
	FILE *f = fopen(printer, "r");
	char line[32];
	int lines = 0, c, fd, n;

	if (f) {
		while ((c = fgetc(f)) != EOF)
			lines += c == '\n';
		fclose(f);
	}
	fd = open(printer, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd < 0)
		return -errno;
	n = snprintf(line, sizeof(line), "%lld\n", (long long)id);
	if (write(fd, line, (size_t)n) != n || fsync(fd) < 0) {
		close(fd);
		return -EIO;
	}
	close(fd);
	*ret_printer_job = lines + 1;
	return 0;
}

/* The printer's jobs: ids[k] = journal id of printer job k + 1. */
static int printer_jobs(const char *printer, long long *ids, int max)
{
	FILE *f = fopen(printer, "r");
	int n = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (n < max && fscanf(f, "%lld", &ids[n]) == 1)
		n++;
	fclose(f);
	return n;
}

static int one_job(struct journal *j, const char *printer, int stop, int serial)
{
	char session[32];
	int64_t id;
	int pj = 0, r;

	snprintf(session, sizeof(session), "S-%d-%d", (int)getpid(), serial);
	r = journal_job_add(j, SESSION_PRINT_DOCUMENT, "DOC-1", session, &id);
	if (r < 0)
		return r;
	step_done(1, stop);
	r = journal_job_begin_send(j, id);
	if (r < 0)
		return r;
	step_done(2, stop);
	r = printer_accept(printer, id, &pj);
	if (r < 0)
		return r;
	step_done(3, stop);
	r = journal_job_set_printer_job(j, id, pj);
	if (r < 0)
		return r;
	step_done(4, stop);
	r = journal_job_set_state(j, id, JOURNAL_PRINTING);
	if (r < 0)
		return r;
	step_done(5, stop);
	r = journal_job_set_state(j, id, JOURNAL_COMPLETED);
	if (r < 0)
		return r;
	step_done(6, stop);
	r = journal_job_record_confirmation(j, id);
	if (r < 0)
		return r;
	step_done(7, stop);
	r = journal_session_end(j, session);
	step_done(8, stop);
	return r;
}

struct resolver {
	long long ids[MAX_JOBS];
	int n;
};

/* The fake printer completed every job it accepted; it knows no other. */
static int resolve(void *userdata, int printer_job_id, enum journal_state *ret_state)
{
	const struct resolver *res = userdata;

	*ret_state = printer_job_id >= 1 && printer_job_id <= res->n ? JOURNAL_COMPLETED
								     : JOURNAL_FAILED;
	return 0;
}

static int fail(const char *what)
{
	fprintf(stderr, "journal check: %s\n", what);
	return 1;
}

static int check(struct journal *j, const char *printer)
{
	static struct resolver res;
	struct journal_recovery rec;
	struct journal_job job;
	int64_t id;
	unsigned jobs = 0, completed = 0;

	res.n = printer_jobs(printer, res.ids, MAX_JOBS);
	if (res.n < 0)
		return fail("cannot read the printer");
	if (journal_recover(j, resolve, &res, &rec) < 0)
		return fail("recovery failed");
	/* Printed twice: the printer holds a journal job twice. */
	for (int a = 0; a < res.n; a++)
		for (int b = a + 1; b < res.n; b++)
			if (res.ids[a] == res.ids[b])
				return fail("a job was printed twice");
	for (id = 1; journal_job_get(j, id, &job) == 0; id++) {
		bool on_printer = false;

		jobs++;
		for (int k = 0; k < res.n; k++)
			on_printer |= res.ids[k] == id;
		if (job.state != JOURNAL_COMPLETED && job.state != JOURNAL_FAILED &&
		    job.state != JOURNAL_CANCELLED)
			return fail("a job left unfinished after recovery");
		if (journal_job_begin_send(j, id) == 0)
			return fail("a recovered job could be sent again");
		if (job.state == JOURNAL_COMPLETED) {
			completed++;
			if (!on_printer)
				return fail("completed but the printer never had it");
		}
		/* Printed with its id recorded: must be known completed. */
		if (on_printer && job.printer_job_id > 0 && job.state != JOURNAL_COMPLETED)
			return fail("printed, id known, yet not completed");
		/* Never printed: never completed nor confirmed. */
		if (!on_printer && job.confirmation_recorded)
			return fail("confirmation for a job that never printed");
	}
	/* Nothing lost: every job the printer has is in the journal. */
	for (int k = 0; k < res.n; k++)
		if (res.ids[k] < 1 || res.ids[k] >= id)
			return fail("the printer has a job the journal lost");
	printf("jobs=%u printed=%d completed=%u cancelled=%u failed=%u owed=%u\n", jobs, res.n,
	       completed, rec.cancelled, rec.failed, rec.confirmations_owed);
	return 0;
}

int main(int argc, char **argv)
{
	struct journal *j;
	int r, ret = 1;

	if (argc < 4 || (strcmp(argv[1], "run") == 0 && argc != 5)) {
		fprintf(stderr, "usage: journal-helper-steps run|loop|check DB PRINTER [STOP]\n");
		return 64;
	}
	r = journal_open(argv[2], key, &j);
	if (r < 0) {
		fprintf(stderr, "journal: %s\n", strerror(-r));
		return 1;
	}
	if (strcmp(argv[1], "run") == 0) {
		char *end;
		long stop = strtol(argv[4], &end, 10);

		if (*end || stop < 0 || stop > 8)
			ret = 64;
		else
			ret = one_job(j, argv[3], (int)stop, 0) < 0;
	} else if (strcmp(argv[1], "loop") == 0) {
		for (int i = 0; i < 100000; i++)
			if (one_job(j, argv[3], 0, i) < 0)
				break;
	} else if (strcmp(argv[1], "check") == 0) {
		ret = check(j, argv[3]);
	}
	journal_free(j);
	return ret;
}
