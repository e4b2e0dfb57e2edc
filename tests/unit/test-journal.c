/* SPDX-License-Identifier: MIT */
/*
 * The print journal: job states and their rules (terminal is final, sent
 * only once and only while the session lives, confirmation only after
 * completed), recovery at start-up, persistence across re-opening, and
 * the audit trail keeping no NIK in clear.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "journal.h"

#define NIK "3273014507900002"

struct fixture {
	char dir[256];
	char path[300];
	uint8_t key[JOURNAL_KEY_BYTES];
	struct journal *j;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "%s/test-journal-XXXXXX", TEST_BINARY_DIR);
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/journal.db", f->dir);
	for (size_t i = 0; i < sizeof(f->key); i++)
		f->key[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(journal_open(f->path, f->key, &f->j), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[400];

	journal_free(f->j);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void reopen(struct fixture *f)
{
	f->j = journal_free(f->j);
	assert_int_equal(journal_open(f->path, f->key, &f->j), 0);
}

static enum journal_state state_of(struct fixture *f, int64_t id)
{
	struct journal_job job;

	assert_int_equal(journal_job_get(f->j, id, &job), 0);
	return job.state;
}

static void test_life_cycle(void **state)
{
	struct fixture *f = *state;
	struct journal_job job;
	int64_t id;

	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "DOC-1", "S-1", &id), 0);
	assert_int_equal(state_of(f, id), JOURNAL_QUEUED);
	/* Not completed: no confirmation, no printing before sending. */
	assert_int_equal(journal_job_record_confirmation(f->j, id), -EPERM);
	assert_int_equal(journal_job_set_state(f->j, id, JOURNAL_PRINTING), -EPERM);
	assert_int_equal(journal_job_set_state(f->j, id, JOURNAL_COMPLETED), -EPERM);
	assert_int_equal(journal_job_begin_send(f->j, id), 0);
	assert_int_equal(journal_job_begin_send(f->j, id), -EALREADY);
	assert_int_equal(journal_job_set_printer_job(f->j, id, 42), 0);
	assert_int_equal(journal_job_set_state(f->j, id, JOURNAL_PRINTING), 0);
	assert_int_equal(journal_job_set_state(f->j, id, JOURNAL_COMPLETED), 0);
	/* Terminal is final. */
	assert_int_equal(journal_job_set_state(f->j, id, JOURNAL_FAILED), -EPERM);
	assert_int_equal(journal_job_set_state(f->j, id, JOURNAL_CANCELLED), -EPERM);
	assert_int_equal(journal_confirmations_owed(f->j, (int64_t[4]){0}, 4), 1);
	assert_int_equal(journal_job_record_confirmation(f->j, id), 0);
	assert_int_equal(journal_job_record_confirmation(f->j, id), -EALREADY);
	assert_int_equal(journal_confirmations_owed(f->j, (int64_t[4]){0}, 4), 0);

	reopen(f);
	assert_int_equal(journal_job_get(f->j, id, &job), 0);
	assert_int_equal(job.state, JOURNAL_COMPLETED);
	assert_int_equal(job.printer_job_id, 42);
	assert_true(job.confirmation_recorded);
	assert_string_equal(job.document_id, "DOC-1");
	assert_string_equal(job.session_id, "S-1");
	assert_int_equal(job.kind, SESSION_PRINT_DOCUMENT);
	assert_int_equal(journal_job_get(f->j, id + 100, &job), -ENOENT);
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;
	int64_t id;

	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "DOC", "", &id), -EINVAL);
	assert_int_equal(journal_job_add(f->j, (enum session_print_kind)7, "DOC", "S", &id),
			 -EINVAL);
	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_RECEIPT, "", "S", &id), 0);
	assert_int_equal(journal_job_set_state(f->j, id, JOURNAL_QUEUED), -EINVAL);
	assert_int_equal(journal_job_set_printer_job(f->j, id, 0), -EINVAL);
	assert_int_equal(journal_job_begin_send(f->j, id + 9), -ENOENT);
	assert_null(journal_free(NULL));
	assert_string_equal(journal_state_to_string(JOURNAL_CANCELLED), "cancelled");
	assert_null(journal_state_to_string(_JOURNAL_STATE_MAX));
}

static void test_session_end(void **state)
{
	struct fixture *f = *state;
	int64_t a, b, c;

	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "DOC-A", "S-1", &a), 0);
	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "DOC-B", "S-1", &b), 0);
	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "DOC-C", "S-2", &c), 0);
	assert_int_equal(journal_job_begin_send(f->j, a), 0);
	assert_int_equal(journal_session_end(f->j, "S-1"), 0);
	/* The queued job of the ended session is cancelled and stays so;
	 * the one already sent is left to finish; S-2 is untouched. */
	assert_int_equal(state_of(f, b), JOURNAL_CANCELLED);
	assert_int_equal(journal_job_begin_send(f->j, b), -ECANCELED);
	assert_int_equal(state_of(f, a), JOURNAL_SENT);
	assert_int_equal(journal_job_begin_send(f->j, c), 0);
}

static int fake_printer(void *userdata, int printer_job_id, enum journal_state *ret_state)
{
	unsigned *asked = userdata;

	(*asked)++;
	switch (printer_job_id) {
	case 1:
		*ret_state = JOURNAL_COMPLETED;
		return 0;
	case 2:
		*ret_state = JOURNAL_FAILED;
		return 0;
	case 3:
		*ret_state = JOURNAL_PRINTING;
		return 0;
	default:
		return -EHOSTUNREACH;
	}
}

static void test_recover(void **state)
{
	struct fixture *f = *state;
	struct journal_recovery rec;
	int64_t queued, no_id, done, aborted, going, unknown, owed[4];
	unsigned asked = 0;

	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "D0", "S", &queued), 0);
	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "D1", "S", &no_id), 0);
	assert_int_equal(journal_job_begin_send(f->j, no_id), 0);
	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "D2", "S", &done), 0);
	assert_int_equal(journal_job_begin_send(f->j, done), 0);
	assert_int_equal(journal_job_set_printer_job(f->j, done, 1), 0);
	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "D3", "S", &aborted), 0);
	assert_int_equal(journal_job_begin_send(f->j, aborted), 0);
	assert_int_equal(journal_job_set_printer_job(f->j, aborted, 2), 0);
	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "D4", "S", &going), 0);
	assert_int_equal(journal_job_begin_send(f->j, going), 0);
	assert_int_equal(journal_job_set_printer_job(f->j, going, 3), 0);
	assert_int_equal(journal_job_set_state(f->j, going, JOURNAL_PRINTING), 0);
	assert_int_equal(journal_job_add(f->j, SESSION_PRINT_DOCUMENT, "D5", "S", &unknown), 0);
	assert_int_equal(journal_job_begin_send(f->j, unknown), 0);
	assert_int_equal(journal_job_set_printer_job(f->j, unknown, 9), 0);

	reopen(f);
	assert_int_equal(journal_recover(f->j, fake_printer, &asked, &rec), 0);
	assert_int_equal(asked, 4); /* never for a job without a printer id */
	assert_int_equal(rec.cancelled, 2);
	assert_int_equal(rec.completed, 1);
	assert_int_equal(rec.failed, 2);
	assert_int_equal(rec.unresolved, 1);
	assert_int_equal(rec.confirmations_owed, 1);
	assert_int_equal(state_of(f, queued), JOURNAL_CANCELLED);
	assert_int_equal(state_of(f, no_id), JOURNAL_FAILED);
	assert_int_equal(state_of(f, done), JOURNAL_COMPLETED);
	assert_int_equal(state_of(f, aborted), JOURNAL_FAILED);
	assert_int_equal(state_of(f, going), JOURNAL_CANCELLED);
	assert_int_equal(state_of(f, unknown), JOURNAL_SENT);
	assert_int_equal(journal_confirmations_owed(f->j, owed, 4), 1);
	assert_int_equal(owed[0], done);
	/* The queued job's session is over: it can never be sent. */
	assert_int_equal(journal_job_begin_send(f->j, queued), -ECANCELED);

	/* A second start asks only about what is still open. */
	asked = 0;
	assert_int_equal(journal_recover(f->j, fake_printer, &asked, &rec), 0);
	assert_int_equal(asked, 1);
	assert_int_equal(rec.unresolved, 1);
	assert_int_equal(rec.cancelled + rec.completed + rec.failed, 0);
}

static bool file_contains(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	char buf[1 << 16];
	size_t n, len = strlen(needle);
	bool found = false;

	if (!fp)
		return false;
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	for (size_t i = 0; i + len <= n && !found; i++)
		found = memcmp(buf + i, needle, len) == 0;
	return found;
}

static void test_audit(void **state)
{
	struct fixture *f = *state;
	uint8_t other_key[JOURNAL_KEY_BYTES] = {9};
	struct journal *other;
	char h1[33], h2[33], h3[33], wal[400];

	assert_int_equal(journal_audit(f->j, "lookup", NIK, "card"), 0);
	assert_int_equal(journal_audit(f->j, "technician-login", NULL, "ok"), 0);
	assert_int_equal(journal_audit(f->j, "", NULL, "x"), -EINVAL);
	journal_nik_hash(f->j, NIK, h1);
	journal_nik_hash(f->j, NIK, h2);
	assert_string_equal(h1, h2);
	assert_int_equal(strlen(h1), 32);
	assert_int_equal(journal_open(f->path, other_key, &other), 0);
	journal_nik_hash(other, NIK, h3);
	journal_free(other);
	assert_string_not_equal(h1, h3);
	/* The hash is stored; the NIK is in neither the database nor its
	 * write-ahead log. */
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_true(file_contains(wal, h1) || file_contains(f->path, h1));
	assert_false(file_contains(wal, NIK));
	assert_false(file_contains(f->path, NIK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_life_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
