/* SPDX-License-Identifier: MIT */
/*
 * The simulated backend against the demo data: card and QR lookups,
 * documents and their hashes, idempotent confirmations, the scripted
 * failure modes; and the demo PDF itself, read back with poppler's tools.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "backend.h"
#include "demo-data.h"
#include "document-pdf.h"
#include "qr-token.h"

static int setup(void **state)
{
	struct backend *b = NULL;

	assert_int_equal(backend_sim_new(&b), 0);
	assert_non_null(b);
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	assert_null(backend_free(*state));
	return 0;
}

static const struct demo_citizen *citizen(const char *key)
{
	const struct demo_citizen *c = demo_citizen_by_key(key);

	assert_non_null(c);
	return c;
}

static size_t apps_of(const char *key)
{
	size_t n = 0;

	for (size_t i = 0; i < demo_n_applications; i++)
		n += strcmp(demo_applications[i].citizen_key, key) == 0;
	return n;
}

static int lookup(struct backend *b, const char *key, const char *nik,
		  struct session_lookup_result *res)
{
	const struct demo_citizen *c = citizen(key);

	return b->ops->lookup_card(b, c->card_uid, c->card_uid_len, nik, res);
}

static const struct session_app *find_app(const struct session_lookup_result *res, const char *id)
{
	for (size_t i = 0; i < res->n_apps; i++)
		if (strcmp(res->apps[i].id, id) == 0)
			return &res->apps[i];
	return NULL;
}

static void test_lookup_known_card(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;
	const struct demo_citizen *budi = citizen("budi");
	size_t ready = 0;

	assert_string_equal(b->ops->name, "sim");
	assert_int_equal(lookup(b, "budi", NULL, &res), 0);
	assert_string_equal(res.holder_name, budi->full_name);
	assert_string_equal(res.nik, budi->nik);
	assert_int_equal(res.n_apps, apps_of("budi"));
	for (size_t i = 0; i < res.n_apps; i++) {
		const struct demo_application *a = demo_application_by_id(res.apps[i].id);

		assert_non_null(a);
		assert_string_equal(a->citizen_key, "budi");
		assert_string_equal(res.apps[i].agency, a->agency);
		assert_string_equal(res.apps[i].service, a->service);
		assert_string_equal(res.apps[i].next_step, a->next_step);
		assert_string_equal(res.apps[i].updated_at, a->updated_at);
		assert_int_equal(res.apps[i].stage, a->stage);
		if (a->stage == SESSION_STAGE_READY) {
			assert_string_equal(res.apps[i].document_id, a->document_id);
			ready++;
		} else {
			assert_string_equal(res.apps[i].document_id, "");
		}
	}
	assert_true(ready >= 1);

	/* The SAM's NIK, when given and right, changes nothing. */
	assert_int_equal(lookup(b, "budi", budi->nik, &res), 0);
	assert_int_equal(res.n_apps, apps_of("budi"));
	assert_int_equal(lookup(b, "budi", "", &res), 0);
}

static void test_lookup_unknown_card(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;
	static const uint8_t stranger[7] = {0x04, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06};

	memset(&res, 0xaa, sizeof(res));
	assert_int_equal(b->ops->lookup_card(b, stranger, sizeof(stranger), NULL, &res), -ENOENT);
	/* Untouched on failure. */
	assert_int_equal(((const uint8_t *)&res)[0], 0xaa);

	for (size_t i = 0; i < demo_n_cards; i++)
		if (demo_cards[i].kind != CARD_SIM_EKTP)
			assert_int_equal(b->ops->lookup_card(b, demo_cards[i].uid,
							     demo_cards[i].uid_len, NULL, &res),
					 -ENOENT);
}

static void test_lookup_nik_mismatch(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;

	assert_int_equal(lookup(b, "budi", citizen("siti")->nik, &res), -ENOENT);
	assert_int_equal(lookup(b, "budi", "3273051203850009", &res), -ENOENT);
}

static void test_lookup_no_applications(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;

	assert_int_equal(lookup(b, "fajar", NULL, &res), 0);
	assert_int_equal(res.n_apps, 0);
	assert_string_equal(res.holder_name, citizen("fajar")->full_name);
}

static void test_lookup_many_applications(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;
	const char *busiest = NULL;
	size_t most = 0;

	for (size_t i = 0; i < demo_n_citizens; i++) {
		size_t n = apps_of(demo_citizens[i].key);

		if (n > most) {
			most = n;
			busiest = demo_citizens[i].key;
		}
	}
	assert_true(most > 8);
	assert_int_equal(lookup(b, busiest, NULL, &res), 0);
	assert_int_equal(res.n_apps, most);
	/* Every application appears once. */
	for (size_t i = 0; i < res.n_apps; i++)
		for (size_t j = i + 1; j < res.n_apps; j++)
			assert_string_not_equal(res.apps[i].id, res.apps[j].id);
}

static int issue(const char *app, const char *doc, int64_t expires, const uint8_t sk[64], char *buf,
		 size_t size)
{
	struct qr_token t = {.version = 1, .expires = expires};

	snprintf(t.application_id, sizeof(t.application_id), "%s", app);
	snprintf(t.document_id, sizeof(t.document_id), "%s", doc);
	snprintf(t.nonce, sizeof(t.nonce), "n0nce-%08x", randombytes_random());
	snprintf(t.key_id, sizeof(t.key_id), "%s", DEMO_QR_KEY_ID);
	return qr_token_issue(&t, sk, buf, size);
}

static void test_lookup_qr(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;
	uint8_t pk[32], sk[64], other_pk[32], other_sk[64];
	char token[SESSION_TOKEN_MAX + 1];
	const int64_t now = (int64_t)time(NULL);
	int len;

	demo_qr_keypair(pk, sk);
	len = issue("APP-2026-000110", "DOC-2026-000110", now + 600, sk, token, sizeof(token));
	assert_true(len > 0);
	assert_int_equal(b->ops->lookup_qr(b, token, &res), 0);
	assert_int_equal(res.n_apps, 1);
	assert_string_equal(res.apps[0].id, "APP-2026-000110");
	assert_int_equal(res.apps[0].stage, SESSION_STAGE_READY);
	assert_string_equal(res.apps[0].document_id, "DOC-2026-000110");
	assert_string_equal(res.holder_name, citizen("siti")->full_name);

	/* Only that application, even for a citizen with many. */
	assert_true(issue("APP-2026-000145", "DOC-2026-000145", now + 600, sk, token,
			  sizeof(token)) > 0);
	assert_int_equal(b->ops->lookup_qr(b, token, &res), 0);
	assert_int_equal(res.n_apps, 1);
	assert_string_equal(res.apps[0].id, "APP-2026-000145");
	assert_string_equal(res.apps[0].document_id, "");

	/* Forged: one signature character changed. */
	len = issue("APP-2026-000110", "DOC-2026-000110", now + 600, sk, token, sizeof(token));
	token[len - 3] = token[len - 3] == 'A' ? 'B' : 'A';
	assert_int_equal(b->ops->lookup_qr(b, token, &res), -EACCES);
	/* Signed, but by another key under the demo key's name. */
	crypto_sign_keypair(other_pk, other_sk);
	assert_true(issue("APP-2026-000110", "DOC-2026-000110", now + 600, other_sk, token,
			  sizeof(token)) > 0);
	assert_int_equal(b->ops->lookup_qr(b, token, &res), -EACCES);
	/* Expired long ago. */
	assert_true(issue("APP-2026-000110", "DOC-2026-000110", now - 86400, sk, token,
			  sizeof(token)) > 0);
	assert_int_equal(b->ops->lookup_qr(b, token, &res), -EACCES);
	/* Not a token at all. */
	assert_int_equal(b->ops->lookup_qr(b, "https://example.com/", &res), -EACCES);
	assert_int_equal(b->ops->lookup_qr(b, "", &res), -EACCES);

	/* Well signed, but no such application. */
	assert_true(issue("APP-2026-999999", "DOC-2026-999999", now + 600, sk, token,
			  sizeof(token)) > 0);
	assert_int_equal(b->ops->lookup_qr(b, token, &res), -ENOENT);
}

static void fetch_ok(struct backend *b, const char *doc, uint8_t **ret_pdf, size_t *ret_len,
		     bool expect_match)
{
	uint8_t stated[32], actual[32];

	assert_int_equal(b->ops->fetch_document(b, doc, ret_pdf, ret_len, stated), 0);
	assert_non_null(*ret_pdf);
	assert_true(*ret_len > 1000);
	assert_memory_equal(*ret_pdf, "%PDF-", 5);
	crypto_hash_sha256(actual, *ret_pdf, *ret_len);
	if (expect_match)
		assert_memory_equal(actual, stated, 32);
	else
		assert_memory_not_equal(actual, stated, 32);
}

static void test_fetch_document(void **state)
{
	struct backend *b = *state;
	uint8_t *pdf1 = NULL, *pdf2 = NULL, sha[32];
	size_t len1 = 0, len2 = 0;

	fetch_ok(b, "DOC-2026-000101", &pdf1, &len1, true);
	fetch_ok(b, "DOC-2026-000101", &pdf2, &len2, true);
	/* The same document is the same bytes each time. */
	assert_int_equal(len1, len2);
	assert_memory_equal(pdf1, pdf2, len1);
	free(pdf2);

	/* Another document is another PDF. */
	fetch_ok(b, "DOC-2026-000110", &pdf2, &len2, true);
	assert_false(len1 == len2 && memcmp(pdf1, pdf2, len1) == 0);
	free(pdf1);
	free(pdf2);

	pdf1 = NULL;
	assert_int_equal(b->ops->fetch_document(b, "DOC-2026-999999", &pdf1, &len1, sha), -ENOENT);
	assert_int_equal(b->ops->fetch_document(b, "", &pdf1, &len1, sha), -ENOENT);
	assert_null(pdf1);
}

static void test_fetch_corrupt(void **state)
{
	struct backend *b = *state;
	uint8_t *pdf = NULL;
	size_t len = 0;

	backend_sim_set_corrupt_documents(b, true);
	fetch_ok(b, "DOC-2026-000120", &pdf, &len, false);
	free(pdf);
	backend_sim_set_corrupt_documents(b, false);
	fetch_ok(b, "DOC-2026-000120", &pdf, &len, true);
	free(pdf);
}

static void test_confirm(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;
	const struct session_app *app;
	struct backend *fresh = NULL;
	uint8_t *pdf = NULL;
	size_t len = 0;

	assert_int_equal(backend_sim_confirmations(b), 0);
	assert_int_equal(b->ops->confirm_collected(b, "DOC-2026-000101", "1", "key-1"), 0);
	assert_int_equal(backend_sim_confirmations(b), 1);
	/* The same key again: a no-op. */
	assert_int_equal(b->ops->confirm_collected(b, "DOC-2026-000101", "1", "key-1"), 0);
	assert_int_equal(backend_sim_confirmations(b), 1);
	/* A new key for the same document: accepted, counted once. */
	assert_int_equal(b->ops->confirm_collected(b, "DOC-2026-000101", "2", "key-2"), 0);
	assert_int_equal(backend_sim_confirmations(b), 1);
	/* Another document. */
	assert_int_equal(b->ops->confirm_collected(b, "DOC-2026-000110", "3", "key-3"), 0);
	assert_int_equal(backend_sim_confirmations(b), 2);
	/* A key reused for another document is refused. */
	assert_int_equal(b->ops->confirm_collected(b, "DOC-2026-000120", "4", "key-1"), -EINVAL);
	assert_int_equal(b->ops->confirm_collected(b, "DOC-2026-000120", "4", ""), -EINVAL);
	assert_int_equal(b->ops->confirm_collected(b, "DOC-2026-999999", "4", "key-4"), -ENOENT);
	assert_int_equal(backend_sim_confirmations(b), 2);

	/* A later lookup shows it collected, with nothing left to collect. */
	assert_int_equal(lookup(b, "budi", NULL, &res), 0);
	app = find_app(&res, "APP-2026-000101");
	assert_non_null(app);
	assert_int_equal(app->stage, SESSION_STAGE_COLLECTED);
	assert_string_equal(app->document_id, "");
	/* The document itself stays available (a reprint at a counter). */
	fetch_ok(b, "DOC-2026-000101", &pdf, &len, true);
	free(pdf);

	/* State is per instance. */
	assert_int_equal(backend_sim_new(&fresh), 0);
	assert_int_equal(backend_sim_confirmations(fresh), 0);
	assert_int_equal(lookup(fresh, "budi", NULL, &res), 0);
	app = find_app(&res, "APP-2026-000101");
	assert_non_null(app);
	assert_int_equal(app->stage, SESSION_STAGE_READY);
	assert_string_equal(app->document_id, "DOC-2026-000101");
	backend_free(fresh);
}

struct confirm_thread {
	struct backend *b;
	int id;
	int failures;
};

static void *confirm_all(void *arg)
{
	struct confirm_thread *t = arg;
	char key[64];

	for (size_t i = 0; i < demo_n_applications; i++) {
		const char *doc = demo_applications[i].document_id;

		if (!doc)
			continue;
		for (int rep = 0; rep < 3; rep++) {
			/* Threads share keys on purpose: replays race. */
			snprintf(key, sizeof(key), "%s-k%d", doc, rep + t->id % 2);
			if (t->b->ops->confirm_collected(t->b, doc, "1", key) != 0)
				t->failures++;
		}
	}
	return NULL;
}

static void test_confirm_concurrent(void **state)
{
	struct backend *b = *state;
	struct confirm_thread t[4];
	pthread_t th[4];
	unsigned docs = 0;

	for (size_t i = 0; i < demo_n_applications; i++)
		docs += demo_applications[i].document_id != NULL;
	for (int i = 0; i < 4; i++) {
		t[i] = (struct confirm_thread){.b = b, .id = i};
		assert_int_equal(pthread_create(&th[i], NULL, confirm_all, &t[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(t[i].failures, 0);
	}
	assert_int_equal(backend_sim_confirmations(b), docs);
}

static void test_down(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;
	uint8_t *pdf = NULL, sha[32], pk[32], sk[64];
	char token[SESSION_TOKEN_MAX + 1];
	size_t len = 0;

	demo_qr_keypair(pk, sk);
	assert_true(issue("APP-2026-000110", "DOC-2026-000110", (int64_t)time(NULL) + 600, sk,
			  token, sizeof(token)) > 0);

	backend_sim_set_down(b, true);
	assert_int_equal(lookup(b, "budi", NULL, &res), -EHOSTUNREACH);
	assert_int_equal(b->ops->lookup_qr(b, token, &res), -EHOSTUNREACH);
	assert_int_equal(b->ops->fetch_document(b, "DOC-2026-000101", &pdf, &len, sha),
			 -EHOSTUNREACH);
	assert_int_equal(b->ops->confirm_collected(b, "DOC-2026-000101", "1", "k"), -EHOSTUNREACH);
	assert_int_equal(backend_sim_confirmations(b), 0);

	backend_sim_set_down(b, false);
	assert_int_equal(lookup(b, "budi", NULL, &res), 0);
	assert_int_equal(b->ops->lookup_qr(b, token, &res), 0);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_delay(void **state)
{
	struct backend *b = *state;
	struct session_lookup_result res;
	int64_t start;

	backend_sim_set_delay(b, 250);
	start = now_ms();
	assert_int_equal(lookup(b, "siti", NULL, &res), 0);
	assert_true(now_ms() - start >= 250);

	/* Slow and down: the answer is late and a failure. */
	backend_sim_set_down(b, true);
	start = now_ms();
	assert_int_equal(lookup(b, "siti", NULL, &res), -EHOSTUNREACH);
	assert_true(now_ms() - start >= 250);
	backend_sim_set_down(b, false);
	backend_sim_set_delay(b, 0);
}

static void test_scripting_ignores_other_backends(void **state)
{
	struct backend other = {.ops = NULL, .ctx = NULL};

	/* Must not touch a backend that is not the simulator. */
	backend_sim_set_down(&other, true);
	backend_sim_set_delay(&other, 10);
	backend_sim_set_corrupt_documents(&other, true);
	assert_int_equal(backend_sim_confirmations(&other), 0);
	assert_int_equal(backend_sim_confirmations(NULL), 0);
	assert_null(backend_free(NULL));
}

/* Runs cmd and returns its standard output (at most size - 1 bytes). */
static void run(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	size_t n;

	assert_non_null(p);
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
}

/* The value of "Name:   value" in pdfinfo's output, or "". */
static const char *info_field(const char *out, const char *name, char *buf, size_t size)
{
	size_t name_len = strlen(name);

	buf[0] = '\0';
	for (const char *line = out; line && *line; line = strchr(line, '\n'), line += !!line) {
		const char *v = line + name_len + 1;
		size_t n;

		if (strncmp(line, name, name_len) != 0 || line[name_len] != ':')
			continue;
		v += strspn(v, " ");
		n = strcspn(v, "\n");
		snprintf(buf, size, "%.*s", (int)n, v);
		break;
	}
	return buf;
}

static void test_pdf_text(void **state)
{
	const struct document_pdf_info info = {
		.title = "Kartu Keluarga",
		.agency = "Disdukcapil",
		.service = "Kartu Keluarga (perubahan data)",
		.holder_name = "Budi Santoso",
		.nik = "3273051203850001",
		.application_id = "APP-2026-000101",
		.document_id = "DOC-2026-000101",
		.issued_on = "2026-03-02",
	};
	char path[] = "/tmp/test-document-pdf-XXXXXX";
	char cmd[256], out[16384], field[128];
	uint8_t *pdf = NULL;
	size_t len = 0;
	int fd;

	assert_int_equal(document_pdf_render(&info, &pdf, &len), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf, len), (ssize_t)len);
	close(fd);
	free(pdf);

	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
	run(cmd, out, sizeof(out));
	assert_non_null(strstr(out, "Kartu Keluarga"));
	assert_non_null(strstr(out, "Nomor: DOC-2026-000101"));
	assert_non_null(strstr(out, "DISDUKCAPIL"));
	assert_non_null(strstr(out, "3273051203850001"));
	assert_non_null(strstr(out, "DOKUMEN CONTOH"));
	assert_non_null(strstr(out, "2 Maret 2026"));

	/* One A4 page; the metadata title is the document id, and nothing
	 * personal is in the metadata. */
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
	run(cmd, out, sizeof(out));
	assert_string_equal(info_field(out, "Pages", field, sizeof(field)), "1");
	assert_string_equal(info_field(out, "Page size", field, sizeof(field)),
			    "595.276 x 841.89 pts (A4)");
	assert_string_equal(info_field(out, "Title", field, sizeof(field)), "DOC-2026-000101");
	assert_null(strstr(out, "Budi"));
	assert_null(strstr(out, "3273051203850001"));

	/* The QR code on the page, read back from a raster, is the id. */
	snprintf(cmd, sizeof(cmd),
		 "pdftoppm -r 150 -png -singlefile '%s' '%s' && zbarimg -q --raw '%s.png' "
		 "2>/dev/null",
		 path, path, path);
	run(cmd, out, sizeof(out));
	assert_string_equal(out, "DOC-2026-000101\n");
	snprintf(cmd, sizeof(cmd), "%s.png", path);
	unlink(cmd);
	unlink(path);

	/* Required fields. */
	assert_int_equal(document_pdf_render(&(struct document_pdf_info){.title = "x"}, &pdf, &len),
			 -EINVAL);
	assert_int_equal(document_pdf_render(NULL, &pdf, &len), -EINVAL);
	assert_int_equal(document_pdf_render(&(struct document_pdf_info){.title = "x\xc3",
									 .document_id = "DOC-1"},
					     &pdf, &len),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lookup_known_card, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_unknown_card, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_nik_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_no_applications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_many_applications, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_qr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confirm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confirm_concurrent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delay, setup, teardown),
		cmocka_unit_test(test_scripting_ignores_other_backends),
		cmocka_unit_test(test_pdf_text),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
