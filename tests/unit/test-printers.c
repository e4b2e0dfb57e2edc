/* SPDX-License-Identifier: MIT */
/*
 * Printer back ends: URIs, the sim and file receipt printers, the dir and
 * sim document printers; status scripting, job counting, refusals, and
 * several threads printing at once.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "document-printer.h"
#include "receipt-printer.h"

struct fixture {
	char dir[256];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test-printers.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[512];
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	return rmdir(dir);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	remove_tree(f->dir);
	free(f);
	return 0;
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The file's bytes, or NULL if it does not exist. */
static uint8_t *slurp(const char *path, size_t *ret_len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!fp)
		return NULL;
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*ret_len = (size_t)len;
	return buf;
}

static void assert_file(const char *dir, const char *name, const void *want, size_t want_len)
{
	char path[512];
	uint8_t *got;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	got = slurp(path, &len);
	assert_non_null(got);
	assert_int_equal(len, want_len);
	assert_memory_equal(got, want, want_len);
	free(got);
}

static const uint8_t job_a[] = {0x1b, 0x40, 0x0a, 0x1d, 0x56, 0x42, 0x00};
static const uint8_t job_b[] = {0x1b, 0x40, 0x1b, 0x64, 0x02};

/* ---- URIs ---------------------------------------------------------------- */

static void test_receipt_uris(void **state)
{
	struct receipt_printer *p = (struct receipt_printer *)0x1;

	(void)state;
	/* Malformed usb:// and tcp:// targets; well-formed ones are opened
	 * in tests/umockdev and tests/tcpprinter. */
	assert_int_equal(receipt_printer_open("usb://04b8", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("usb://04b8:02", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("usb://04g8:0202", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("usb://04b8:0202/", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("usb://04b8:0202?timeout_ms=0", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("tcp://", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("tcp://:9100", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("tcp://host:70000", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("tcp://host:91a0", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("tcp://[::1", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("tcp://host?timeout_ms=x", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("lpd://printer/queue", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("/dev/usb/lp0", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("file:", &p), -EINVAL);
	assert_int_equal(receipt_printer_open("", &p), -EINVAL);
	assert_int_equal(receipt_printer_open(NULL, &p), -EINVAL);
	assert_ptr_equal(p, (struct receipt_printer *)0x1);
	assert_null(receipt_printer_free(NULL));
}

static void test_document_uris(void **state)
{
	struct document_printer *p = (struct document_printer *)0x1;

	(void)state;
	/* ipp/cups only parse at open: nothing is contacted. */
	assert_int_equal(document_printer_open("ipp://127.0.0.1:8631/ipp/print?timeout=5", &p), 0);
	assert_string_equal(p->ops->name, "ipp");
	p = document_printer_free(p);
	assert_int_equal(document_printer_open("cups:Office", &p), 0);
	p = document_printer_free(p);
	p = (struct document_printer *)0x1;
	assert_int_equal(document_printer_open("ipp://127.0.0.1:8631/x?timeout=0", &p), -EINVAL);
	assert_int_equal(document_printer_open("ipp://127.0.0.1:8631/x?color=1", &p), -EINVAL);
	assert_int_equal(document_printer_open("cups:", &p), -EINVAL);
	assert_int_equal(document_printer_open("cups:a/b", &p), -EINVAL);
	assert_int_equal(document_printer_open("dir:", &p), -EINVAL);
	assert_int_equal(document_printer_open("file:/tmp/x", &p), -EINVAL);
	assert_int_equal(document_printer_open(NULL, &p), -EINVAL);
	assert_ptr_equal(p, (struct document_printer *)0x1);
	assert_null(document_printer_free(NULL));
}

/* ---- receipt sim ----------------------------------------------------------- */

static void test_receipt_sim(void **state)
{
	struct fixture *f = *state;
	struct receipt_printer *p = NULL;
	char uri[320], dir[300];
	unsigned flags = 99;

	snprintf(dir, sizeof(dir), "%s/receipts", f->dir); /* created on open */
	snprintf(uri, sizeof(uri), "sim:%s", dir);
	assert_int_equal(receipt_printer_open(uri, &p), 0);
	assert_string_equal(p->ops->name, "sim");
	assert_int_equal(p->ops->get_status(p, &flags), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(receipt_printer_sim_jobs(p), 0);

	assert_int_equal(p->ops->write_job(p, job_a, sizeof(job_a)), 0);
	assert_int_equal(p->ops->write_job(p, job_b, sizeof(job_b)), 0);
	assert_int_equal(receipt_printer_sim_jobs(p), 2);
	assert_file(dir, "receipt-001.escpos", job_a, sizeof(job_a));
	assert_file(dir, "receipt-002.escpos", job_b, sizeof(job_b));

	/* Each status that stops a printer: -EIO, nothing written. */
	{
		const unsigned stops[] = {RECEIPT_STATUS_PAPER_END, RECEIPT_STATUS_COVER_OPEN,
					  RECEIPT_STATUS_OFFLINE,
					  RECEIPT_STATUS_PAPER_END | RECEIPT_STATUS_PAPER_NEAR_END};

		for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
			assert_int_equal(receipt_printer_sim_set_status(p, stops[i]), 0);
			assert_int_equal(p->ops->get_status(p, &flags), 0);
			assert_int_equal(flags, stops[i]);
			assert_int_equal(p->ops->write_job(p, job_a, sizeof(job_a)), -EIO);
		}
	}
	assert_int_equal(receipt_printer_sim_jobs(p), 2);
	assert_int_equal(count_files(dir), 2);

	/* Paper near its end still prints. */
	assert_int_equal(receipt_printer_sim_set_status(p, RECEIPT_STATUS_PAPER_NEAR_END), 0);
	assert_int_equal(p->ops->write_job(p, job_a, sizeof(job_a)), 0);
	assert_file(dir, "receipt-003.escpos", job_a, sizeof(job_a));
	assert_int_equal(receipt_printer_sim_jobs(p), 3);

	/* Unknown flag bits are a scripting mistake. */
	assert_int_equal(receipt_printer_sim_set_status(p, 1u << 12), -EINVAL);
	assert_int_equal(p->ops->get_status(p, &flags), 0);
	assert_int_equal(flags, RECEIPT_STATUS_PAPER_NEAR_END);
	receipt_printer_free(p);

	/* A second printer on the same directory does not overwrite. */
	assert_int_equal(receipt_printer_open(uri, &p), 0);
	assert_int_equal(p->ops->write_job(p, job_b, sizeof(job_b)), 0);
	assert_int_equal(receipt_printer_sim_jobs(p), 1);
	assert_file(dir, "receipt-001.escpos", job_a, sizeof(job_a));
	assert_file(dir, "receipt-004.escpos", job_b, sizeof(job_b));
	receipt_printer_free(p);
}

static void test_receipt_sim_memory(void **state)
{
	struct fixture *f = *state;
	struct receipt_printer *p = NULL;

	assert_int_equal(receipt_printer_open("sim:", &p), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(p->ops->write_job(p, job_a, sizeof(job_a)), 0);
	assert_int_equal(receipt_printer_sim_set_status(p, RECEIPT_STATUS_OFFLINE), 0);
	assert_int_equal(p->ops->write_job(p, job_a, sizeof(job_a)), -EIO);
	assert_int_equal(receipt_printer_sim_jobs(p), 5);
	assert_int_equal(count_files(f->dir), 0);
	receipt_printer_free(p);
}

static void test_receipt_sim_not_a_dir(void **state)
{
	struct fixture *f = *state;
	struct receipt_printer *p = (struct receipt_printer *)0x1;
	char path[300], uri[310];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/plain-file", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(uri, sizeof(uri), "sim:%s", path);
	assert_int_equal(receipt_printer_open(uri, &p), -ENOTDIR);
	snprintf(uri, sizeof(uri), "sim:%s/no/such/dir", f->dir);
	assert_int_equal(receipt_printer_open(uri, &p), -ENOENT);
	assert_ptr_equal(p, (struct receipt_printer *)0x1);
}

/* ---- receipt file ----------------------------------------------------------- */

static void test_receipt_file(void **state)
{
	struct fixture *f = *state;
	struct receipt_printer *p = NULL;
	char path[300], uri[310];
	uint8_t want[sizeof(job_a) + sizeof(job_b) + sizeof(job_a)];
	unsigned flags = 99;
	uint8_t *got;
	size_t len;

	snprintf(path, sizeof(path), "%s/out.escpos", f->dir);
	snprintf(uri, sizeof(uri), "file:%s", path);
	assert_int_equal(receipt_printer_open(uri, &p), 0);
	assert_string_equal(p->ops->name, "file");
	assert_int_equal(p->ops->get_status(p, &flags), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(p->ops->write_job(p, job_a, sizeof(job_a)), 0);
	assert_int_equal(p->ops->write_job(p, job_b, sizeof(job_b)), 0);
	assert_int_equal(p->ops->write_job(p, job_a, sizeof(job_a)), 0);
	memcpy(want, job_a, sizeof(job_a));
	memcpy(want + sizeof(job_a), job_b, sizeof(job_b));
	memcpy(want + sizeof(job_a) + sizeof(job_b), job_a, sizeof(job_a));
	got = slurp(path, &len);
	assert_non_null(got);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	free(got);

	/* Not a sim: no scripting, no counting. */
	assert_int_equal(receipt_printer_sim_set_status(p, RECEIPT_STATUS_OFFLINE), -EINVAL);
	assert_int_equal(receipt_printer_sim_jobs(p), 0);
	receipt_printer_free(p);

	/* A place that is not there: offline, and a job finds it gone. */
	snprintf(uri, sizeof(uri), "file:%s/unplugged/lp0", f->dir);
	assert_int_equal(receipt_printer_open(uri, &p), 0);
	assert_int_equal(p->ops->get_status(p, &flags), 0);
	assert_int_equal(flags, RECEIPT_STATUS_OFFLINE);
	assert_int_equal(p->ops->write_job(p, job_a, sizeof(job_a)), -ENODEV);
	receipt_printer_free(p);
}

/* ---- threads ----------------------------------------------------------------- */

#define THREADS		4
#define JOBS_PER_THREAD 10

static void *writer(void *arg)
{
	struct receipt_printer *p = arg;
	uintptr_t ok = 0;

	for (int i = 0; i < JOBS_PER_THREAD; i++)
		if (p->ops->write_job(p, job_b, sizeof(job_b)) == 0)
			ok++;
	return (void *)ok;
}

static void *toggler(void *arg)
{
	struct receipt_printer *p = arg;

	for (int i = 0; i < 200; i++) {
		unsigned flags;

		receipt_printer_sim_set_status(p, i % 2 ? RECEIPT_STATUS_COVER_OPEN : 0);
		p->ops->get_status(p, &flags);
	}
	receipt_printer_sim_set_status(p, 0);
	return NULL;
}

static void test_receipt_sim_threads(void **state)
{
	struct fixture *f = *state;
	struct receipt_printer *p = NULL;
	pthread_t t[THREADS + 1];
	uintptr_t ok = 0;
	char uri[320];

	snprintf(uri, sizeof(uri), "sim:%s", f->dir);
	assert_int_equal(receipt_printer_open(uri, &p), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, writer, p), 0);
	assert_int_equal(pthread_create(&t[THREADS], NULL, toggler, p), 0);
	for (int i = 0; i < THREADS; i++) {
		void *r;

		assert_int_equal(pthread_join(t[i], &r), 0);
		ok += (uintptr_t)r;
	}
	assert_int_equal(pthread_join(t[THREADS], NULL), 0);
	/* Every job that succeeded is counted and has a file of its own. */
	assert_true(ok <= THREADS * JOBS_PER_THREAD);
	assert_int_equal(receipt_printer_sim_jobs(p), ok);
	assert_int_equal(count_files(f->dir), ok);
	receipt_printer_free(p);
}

/* ---- documents ----------------------------------------------------------------- */

static const char pdf[] = "%PDF-1.7\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static enum session_print_result print_doc(struct document_printer *p, const void *data, size_t len)
{
	enum session_print_result res = _SESSION_PRINT_RESULT_INVALID;

	assert_int_equal(p->ops->print_job(p, "test job", data, len, &res), 0);
	return res;
}

static void test_document_dir(void **state)
{
	struct fixture *f = *state;
	struct document_printer *p = NULL;
	char uri[320];
	unsigned flags = 99;

	snprintf(uri, sizeof(uri), "dir:%s", f->dir);
	assert_int_equal(document_printer_open(uri, &p), 0);
	assert_string_equal(p->ops->name, "dir");
	assert_int_equal(p->ops->get_status(p, &flags), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(print_doc(p, pdf, sizeof(pdf) - 1), SESSION_PRINT_OK);
	assert_int_equal(print_doc(p, pdf, sizeof(pdf) - 1), SESSION_PRINT_OK);
	assert_file(f->dir, "document-001.pdf", pdf, sizeof(pdf) - 1);
	assert_file(f->dir, "document-002.pdf", pdf, sizeof(pdf) - 1);

	/* Not a PDF: a verdict, not an error, and nothing written. */
	assert_int_equal(print_doc(p, "<html>", 6), SESSION_PRINT_FAILED);
	assert_int_equal(print_doc(p, "%PDF", 4), SESSION_PRINT_FAILED);
	assert_int_equal(print_doc(p, "", 0), SESSION_PRINT_FAILED);
	assert_int_equal(document_printer_sim_jobs(p), 2);
	assert_int_equal(count_files(f->dir), 2);

	assert_int_equal(document_printer_sim_set_status(p, DOCUMENT_STATUS_OFFLINE), -EINVAL);
	document_printer_free(p);
}

static void test_document_sim(void **state)
{
	struct fixture *f = *state;
	struct document_printer *p = NULL;
	char uri[320];
	unsigned flags;
	const struct {
		unsigned flags;
		enum session_print_result want;
	} cases[] = {
		{DOCUMENT_STATUS_MEDIA_EMPTY, SESSION_PRINT_PAPER_OUT},
		{DOCUMENT_STATUS_COVER_OPEN, SESSION_PRINT_COVER_OPEN},
		{DOCUMENT_STATUS_OFFLINE, SESSION_PRINT_OFFLINE},
		{DOCUMENT_STATUS_OFFLINE | DOCUMENT_STATUS_MEDIA_EMPTY, SESSION_PRINT_OFFLINE},
		{DOCUMENT_STATUS_COVER_OPEN | DOCUMENT_STATUS_MEDIA_EMPTY,
		 SESSION_PRINT_COVER_OPEN},
	};

	snprintf(uri, sizeof(uri), "sim:%s", f->dir);
	assert_int_equal(document_printer_open(uri, &p), 0);
	assert_string_equal(p->ops->name, "sim");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(document_printer_sim_set_status(p, cases[i].flags), 0);
		assert_int_equal(p->ops->get_status(p, &flags), 0);
		assert_int_equal(flags, cases[i].flags);
		assert_int_equal(print_doc(p, pdf, sizeof(pdf) - 1), cases[i].want);
	}
	assert_int_equal(document_printer_sim_jobs(p), 0);
	assert_int_equal(count_files(f->dir), 0);

	/* Toner low still prints. */
	assert_int_equal(document_printer_sim_set_status(p, DOCUMENT_STATUS_TONER_LOW), 0);
	assert_int_equal(print_doc(p, pdf, sizeof(pdf) - 1), SESSION_PRINT_OK);
	assert_file(f->dir, "document-001.pdf", pdf, sizeof(pdf) - 1);
	assert_int_equal(document_printer_sim_jobs(p), 1);
	assert_int_equal(document_printer_sim_set_status(p, 1u << 9), -EINVAL);
	document_printer_free(p);

	/* "sim:" alone counts without writing. */
	assert_int_equal(document_printer_open("sim:", &p), 0);
	assert_int_equal(print_doc(p, pdf, sizeof(pdf) - 1), SESSION_PRINT_OK);
	assert_int_equal(print_doc(p, "junk", 4), SESSION_PRINT_FAILED);
	assert_int_equal(document_printer_sim_jobs(p), 1);
	assert_int_equal(count_files(f->dir), 1);
	document_printer_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_receipt_uris),
		cmocka_unit_test(test_document_uris),
		cmocka_unit_test_setup_teardown(test_receipt_sim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receipt_sim_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receipt_sim_not_a_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receipt_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receipt_sim_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_document_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_document_sim, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
