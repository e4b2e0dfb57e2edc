/* SPDX-License-Identifier: MIT */
/*
 * diag_run() on simulated devices in a scratch state directory: the
 * report's shape, verdicts, the worst-of-required rule, URIs without
 * credentials, and the text form.
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
#include <linux/videodev2.h>

#include "config.h"
#include "confirm-queue.h"
#include "diag.h"
#include "fault-log.h"
#include "journal.h"
#include "session.h"
#include "station.h"

struct fixture {
	char dir[64];
	struct station_config cfg;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test-diag.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	config_defaults(&f->cfg);
	snprintf(f->cfg.station_id, sizeof(f->cfg.station_id), "diag-unit");
	snprintf(f->cfg.state_dir, sizeof(f->cfg.state_dir), "%s", f->dir);
	snprintf(f->cfg.receipt_printer, sizeof(f->cfg.receipt_printer), "sim:%s/r", f->dir);
	snprintf(f->cfg.document_printer, sizeof(f->cfg.document_printer), "sim:%s/d", f->dir);
	/* Whatever pcscd runs here, the client looks where none listens. */
	setenv("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm", 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static const char *verdict_of(json_t *report, const char *section)
{
	return json_string_value(json_object_get(
		json_object_get(json_object_get(report, "sections"), section), "verdict"));
}

static void test_verdicts(void **state)
{
	assert_string_equal(diag_verdict_to_string(DIAG_OK), "ok");
	assert_string_equal(diag_verdict_to_string(DIAG_DEGRADED), "degraded");
	assert_string_equal(diag_verdict_to_string(DIAG_FAILED), "failed");
	assert_null(diag_verdict_to_string(_DIAG_VERDICT_MAX));
	assert_null(diag_verdict_to_string(_DIAG_VERDICT_INVALID));
	assert_int_equal(diag_verdict_to_exit_code(DIAG_OK), 0);
	assert_int_equal(diag_verdict_to_exit_code(DIAG_DEGRADED), 1);
	assert_int_equal(diag_verdict_to_exit_code(DIAG_FAILED), 2);
}

static void test_all_simulated(void **state)
{
	struct fixture *f = *state;
	const struct diag_options opt = {.config_path = "unit.conf", .config = &f->cfg};
	const char *names[] = {"build",		  "config",	      "pcscd",	 "usb",
			       "cameras",	  "state_dir",	      "journal", "faults",
			       "receipt_printer", "document_printer", "backend"};
	enum diag_verdict v = DIAG_FAILED;
	json_t *report = NULL, *sections;
	const char *key;
	json_t *s;
	size_t i = 0;

	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_OK);
	assert_string_equal(json_string_value(json_object_get(report, "verdict")), "ok");
	assert_string_equal(json_string_value(json_object_get(report, "format")),
			    "anjungan-diag/1");
	sections = json_object_get(report, "sections");
	assert_int_equal(json_object_size(sections), 11);
	/* In the documented order, each with its three common fields. */
	json_object_foreach(sections, key, s)
	{
		assert_string_equal(key, names[i++]);
		assert_non_null(json_string_value(json_object_get(s, "verdict")));
		assert_true(json_is_boolean(json_object_get(s, "required")));
		assert_non_null(json_string_value(json_object_get(s, "summary")));
	}
	/* pcscd is down, but the simulated reader does not need it. */
	assert_string_equal(verdict_of(report, "pcscd"), "failed");
	assert_true(json_is_false(json_object_get(json_object_get(sections, "pcscd"), "required")));
	assert_string_equal(verdict_of(report, "state_dir"), "ok");
	assert_string_equal(verdict_of(report, "receipt_printer"), "ok");
	assert_string_equal(verdict_of(report, "backend"), "ok");
	json_decref(report);

	/* The same configuration needing pcscd: the report fails. */
	snprintf(f->cfg.card_backend, sizeof(f->cfg.card_backend), "pcsc");
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_FAILED);
	assert_string_equal(verdict_of(report, "pcscd"), "failed");
	json_decref(report);
}

static void test_failures_and_masking(void **state)
{
	struct fixture *f = *state;
	struct diag_options opt = {.config_path = "unit.conf", .config = &f->cfg};
	enum diag_verdict v = DIAG_OK;
	json_t *report = NULL;
	char *text;

	snprintf(f->cfg.receipt_printer, sizeof(f->cfg.receipt_printer),
		 "tcp://tech:hunter2@127.0.0.1:1");
	snprintf(f->cfg.state_dir, sizeof(f->cfg.state_dir), "%s/missing", f->dir);
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_FAILED);
	assert_string_equal(verdict_of(report, "state_dir"), "failed");
	assert_string_equal(verdict_of(report, "receipt_printer"), "failed");
	text = json_dumps(report, 0);
	assert_non_null(text);
	assert_null(strstr(text, "hunter2"));
	assert_non_null(strstr(text, "tcp://***@127.0.0.1:1"));
	free(text);
	json_decref(report);

	/* A configuration that could not be loaded fails its section. */
	opt.config_error = -ENOENT;
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_FAILED);
	assert_string_equal(verdict_of(report, "config"), "failed");
	json_decref(report);
}

static void test_no_config_is_degraded(void **state)
{
	struct fixture *f = *state;
	const struct diag_options opt = {.config = &f->cfg};
	enum diag_verdict v = DIAG_FAILED;
	json_t *report = NULL;

	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_DEGRADED);
	assert_string_equal(verdict_of(report, "config"), "degraded");
	json_decref(report);
}

static void test_text(void **state)
{
	struct fixture *f = *state;
	const struct diag_options opt = {.config_path = "unit.conf", .config = &f->cfg};
	enum diag_verdict v;
	json_t *report = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	assert_int_equal(diag_run(&opt, &report, &v), 0);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(diag_print_text(report, out), 0);
	fclose(out);
	assert_true(strncmp(buf, "station diag: ok (", 18) == 0);
	assert_non_null(strstr(buf, "\n  state_dir         ok "));
	assert_non_null(strstr(buf, "[not used]"));
	assert_non_null(strstr(buf, "libsodium"));
	free(buf);
	json_decref(report);
}

static json_t *section_of(json_t *report, const char *name)
{
	return json_object_get(json_object_get(report, "sections"), name);
}

/* The journal, the confirmation queue and the fault log in the state
 * directory, as a kiosk leaves them, read back by diag. */
static void test_journal_and_faults(void **state)
{
	struct fixture *f = *state;
	const struct diag_options opt = {.config_path = "unit.conf", .config = &f->cfg};
	const uint8_t key[JOURNAL_KEY_BYTES] = {1};
	struct fault_log_entry e[4];
	struct journal *j = NULL;
	struct confirm_queue *q = NULL;
	struct fault_log *fl = NULL;
	char path[128], ckey[CONFIRM_QUEUE_KEY_MAX + 1];
	enum diag_verdict v;
	json_t *report = NULL, *s, *entries;
	int64_t id;

	/* Nothing yet: ok, and says so. */
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_string_equal(verdict_of(report, "journal"), "ok");
	assert_true(json_is_false(json_object_get(section_of(report, "journal"), "present")));
	assert_int_equal(json_array_size(json_object_get(section_of(report, "faults"), "entries")),
			 0);
	json_decref(report);

	snprintf(path, sizeof(path), "%s/print-journal.db", f->dir);
	assert_int_equal(journal_open(path, key, &j), 0);
	assert_int_equal(journal_job_add(j, SESSION_PRINT_RECEIPT, "", "s1", &id), 0);
	assert_int_equal(journal_job_add(j, SESSION_PRINT_RECEIPT, "", "s1", &id), 0);
	assert_int_equal(journal_job_begin_send(j, id), 0);
	assert_int_equal(journal_job_set_state(j, id, JOURNAL_COMPLETED), 0);
	snprintf(path, sizeof(path), "%s/faults.db", f->dir);
	assert_int_equal(fault_log_open(path, &fl), 0);
	assert_int_equal(fault_log_add(fl, 1000, "receipt-printer", "ok", "failed"), 0);
	assert_int_equal(fault_log_add(fl, 2000, "receipt-printer", "failed", "ok"), 0);
	assert_int_equal(fault_log_add(fl, 3000, "backend", "ok", "degraded"), 0);

	/* Read while the kiosk holds them open. */
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	s = section_of(report, "journal");
	assert_string_equal(verdict_of(report, "journal"), "ok");
	assert_true(json_is_true(json_object_get(s, "present")));
	assert_int_equal(json_integer_value(json_object_get(s, "pending_jobs")), 1);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(s, "jobs"), "completed")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "confirmations_owed")), 1);
	assert_true(json_is_string(json_object_get(s, "oldest_pending")));
	entries = json_object_get(section_of(report, "faults"), "entries");
	assert_int_equal(json_array_size(entries), 3);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(entries, 0), "device")),
		"backend");
	assert_string_equal(json_string_value(json_object_get(json_array_get(entries, 0), "time")),
			    "1970-01-01T00:50:00Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(entries, 1), "state")),
			    "ok");
	/* What the maintenance screen takes of it: each section's line, and
	 * the fault log's newest lines in order. */
	{
		struct session_diag *sd = calloc(1, sizeof(*sd));

		assert_non_null(sd);
		assert_int_equal(station_diag_summary(report, sd), 0);
		assert_int_equal(sd->n, json_object_size(json_object_get(report, "sections")));
		assert_int_equal(sd->n_faults, 3);
		assert_string_equal(sd->faults[0].time, "1970-01-01T00:50:00Z");
		assert_string_equal(sd->faults[0].device, "backend");
		assert_string_equal(sd->faults[0].from, "ok");
		assert_string_equal(sd->faults[0].state, "degraded");
		assert_string_equal(sd->faults[2].device, "receipt-printer");
		assert_string_equal(sd->faults[2].state, "failed");
		assert_int_equal(station_diag_summary(json_object_get(report, "build"), sd),
				 -EINVAL);
		free(sd);
	}
	json_decref(report);

	/* A confirmation the backend has not acknowledged: degraded. */
	snprintf(path, sizeof(path), "%s/confirmations.db", f->dir);
	assert_int_equal(confirm_queue_open(path, &q), 0);
	assert_int_equal(confirm_queue_add(q, "DOC-2026-000001", "job-1", ckey), 0);
	assert_int_equal(diag_run(&opt, &report, &v), 0);
	assert_int_equal(v, DIAG_DEGRADED);
	assert_string_equal(verdict_of(report, "journal"), "degraded");
	assert_int_equal(json_integer_value(json_object_get(section_of(report, "journal"),
							    "unsent_confirmations")),
			 1);
	json_decref(report);

	/* The log keeps the newest FAULT_LOG_KEEP entries. */
	for (int i = 0; i < FAULT_LOG_KEEP + 5; i++)
		assert_int_equal(fault_log_add(fl, 4000 + i, "camera", "ok", "failed"), 0);
	snprintf(path, sizeof(path), "%s/faults.db", f->dir);
	assert_int_equal(fault_log_read(path, e, 4), 4);
	assert_int_equal(e[0].at, 4000 + FAULT_LOG_KEEP + 4);
	assert_int_equal(fault_log_read(path, NULL, 0), 0);
	assert_int_equal(fault_log_add(fl, 1, "", "ok", "failed"), -EINVAL);
	assert_int_equal(fault_log_add(fl, 1, "a-device-name-far-too-long", "ok", "failed"),
			 -EINVAL);
	snprintf(path, sizeof(path), "%s/none.db", f->dir);
	assert_int_equal(fault_log_read(path, e, 4), -ENOENT);
	{
		struct fault_log_entry all[FAULT_LOG_KEEP + 10];

		snprintf(path, sizeof(path), "%s/faults.db", f->dir);
		assert_int_equal(fault_log_read(path, all, FAULT_LOG_KEEP + 10), FAULT_LOG_KEEP);
	}
	fault_log_free(fl);
	confirm_queue_free(q);
	journal_free(j);
}

/* Camera formats as the report names them, and which the station reads. */
static void test_camera_formats(void **state)
{
	char cc[5];

	(void)state;
	assert_string_equal(diag_fourcc(V4L2_PIX_FMT_YUYV, cc), "YUYV");
	assert_string_equal(diag_fourcc(V4L2_PIX_FMT_MJPEG, cc), "MJPG");
	assert_string_equal(diag_fourcc(V4L2_PIX_FMT_GREY, cc), "GREY");
	assert_string_equal(diag_fourcc(V4L2_PIX_FMT_H264, cc), "H264");
	/* A big-endian variant: the same letters. */
	assert_string_equal(diag_fourcc(V4L2_PIX_FMT_RGB565 | (1u << 31), cc), "RGBP");
	assert_string_equal(diag_fourcc(0x00010203, cc), "????");
	assert_true(diag_camera_format_usable(V4L2_PIX_FMT_YUYV));
	assert_true(diag_camera_format_usable(V4L2_PIX_FMT_MJPEG));
	assert_true(diag_camera_format_usable(V4L2_PIX_FMT_GREY));
	assert_false(diag_camera_format_usable(V4L2_PIX_FMT_H264));
	assert_false(diag_camera_format_usable(V4L2_PIX_FMT_NV12));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_camera_formats),
		cmocka_unit_test_setup_teardown(test_all_simulated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures_and_masking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_config_is_degraded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_and_faults, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
