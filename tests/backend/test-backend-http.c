/* SPDX-License-Identifier: MIT */
/*
 * The http backend (station/backend-http.c) against a running mpp-sim:
 * every endpoint, and every injected fault giving its typed error within
 * a bound. The answers are compared with the in-process simulator's on the
 * same demo data, so the two backends cannot drift apart.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "backend-http.h"
#include "backend.h"
#include "demo-data.h"
#include "qr-token.h"
#include "sim-process.h"

/* Loose on purpose: a bound that catches a hang, not a slow machine. */
#define HANG_BOUND_S 30

struct fixture {
	struct sim_process sim;
	struct backend *http;
	struct backend *fast; /* short timeouts, no retries */
	struct backend *sim_backend;
};

static struct backend *client(const struct sim_process *p, uint64_t timeout_ms, unsigned retries,
			      const char *token)
{
	const struct backend_http_config cfg = {
		.url = p->url,
		.station_id = "MPP-TEST-01",
		.connect_timeout_ms = 5000,
		.timeout_ms = timeout_ms,
		.retries = retries,
		.backoff_ms = 20,
		.bearer_token = token,
	};
	struct backend *b = NULL;

	assert_int_equal(backend_http_new(&cfg, &b), 0);
	return b;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(sim_process_start(&f->sim, NULL, 60000), 0);
	f->http = client(&f->sim, 30000, 2, NULL);
	f->fast = client(&f->sim, 400, 0, NULL);
	assert_int_equal(backend_sim_new(&f->sim_backend), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int status;

	backend_free(f->http);
	backend_free(f->fast);
	backend_free(f->sim_backend);
	status = sim_process_stop(&f->sim);
	free(f);
	assert_int_equal(status, 0); /* mpp-sim stopped cleanly, no leaks */
	return 0;
}

static void faults(struct fixture *f, const char *json)
{
	if (json)
		assert_int_equal(sim_admin(&f->sim, "POST", "/admin/faults", json, NULL, 0), 200);
	else
		assert_int_equal(sim_admin(&f->sim, "DELETE", "/admin/faults", NULL, NULL, 0), 200);
}

static const uint8_t budi_uid[7] = {0x04, 0x5a, 0x21, 0x3c, 0x8e, 0x61, 0x80};

static void assert_same_result(const struct session_lookup_result *a,
			       const struct session_lookup_result *b)
{
	assert_string_equal(a->holder_name, b->holder_name);
	assert_string_equal(a->nik, b->nik);
	assert_int_equal(a->n_apps, b->n_apps);
	for (size_t i = 0; i < a->n_apps; i++) {
		assert_string_equal(a->apps[i].id, b->apps[i].id);
		assert_string_equal(a->apps[i].agency, b->apps[i].agency);
		assert_string_equal(a->apps[i].service, b->apps[i].service);
		assert_int_equal(a->apps[i].stage, b->apps[i].stage);
		assert_string_equal(a->apps[i].updated_at, b->apps[i].updated_at);
		assert_string_equal(a->apps[i].next_step, b->apps[i].next_step);
		assert_string_equal(a->apps[i].document_id, b->apps[i].document_id);
	}
}

static void test_lookup_every_card(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < demo_n_citizens; i++) {
		const struct demo_citizen *c = &demo_citizens[i];
		struct session_lookup_result got, want;

		assert_int_equal(f->http->ops->lookup_card(f->http, c->card_uid, c->card_uid_len,
							   NULL, &got),
				 0);
		assert_int_equal(f->sim_backend->ops->lookup_card(f->sim_backend, c->card_uid,
								  c->card_uid_len, NULL, &want),
				 0);
		assert_same_result(&got, &want);
	}
}

static void test_lookup_not_found(void **state)
{
	struct fixture *f = *state;
	struct session_lookup_result res;
	static const uint8_t stranger[4] = {0x08, 0x6e, 0x3f, 0xa1};

	assert_int_equal(f->http->ops->lookup_card(f->http, stranger, 4, NULL, &res), -ENOENT);
	/* The SAM's NIK is not the card holder's: a cloned UID. */
	assert_int_equal(f->http->ops->lookup_card(f->http, budi_uid, 7, "3578104708900002", &res),
			 -ENOENT);
	assert_int_equal(f->http->ops->lookup_card(f->http, budi_uid, 7, "3273051203850001", &res),
			 0);
	assert_string_equal(res.nik, "3273051203850001");
}

static void issue(const char *app, int64_t expires, char *buf, size_t size, bool forge)
{
	struct qr_token t = {.version = 1,
			     .expires = expires,
			     .nonce = "dGVzdG5vbmNlMTIz",
			     .key_id = DEMO_QR_KEY_ID};
	const struct demo_application *a = demo_application_by_id(app);
	uint8_t pk[32], sk[64];

	assert_non_null(a);
	snprintf(t.application_id, sizeof(t.application_id), "%s", a->id);
	snprintf(t.document_id, sizeof(t.document_id), "%s", a->document_id ? a->document_id : "");
	demo_qr_keypair(pk, sk);
	if (forge)
		crypto_sign_keypair(pk, sk); /* a key the backend does not know */
	assert_true(qr_token_issue(&t, sk, buf, size) > 0);
}

static void test_lookup_qr(void **state)
{
	struct fixture *f = *state;
	struct session_lookup_result res;
	char token[SESSION_TOKEN_MAX + 1];
	time_t now = time(NULL);

	issue("APP-2026-000120", now + 3600, token, sizeof(token), false);
	assert_int_equal(f->http->ops->lookup_qr(f->http, token, &res), 0);
	assert_int_equal(res.n_apps, 1);
	assert_string_equal(res.apps[0].id, "APP-2026-000120");
	assert_string_equal(res.apps[0].document_id, "DOC-2026-000120");

	issue("APP-2026-000120", now - 3600, token, sizeof(token), false);
	assert_int_equal(f->http->ops->lookup_qr(f->http, token, &res), -EKEYEXPIRED);
	issue("APP-2026-000120", now + 3600, token, sizeof(token), true);
	assert_int_equal(f->http->ops->lookup_qr(f->http, token, &res), -EKEYREJECTED);

	/* The admin "expired tokens" fault: a valid token reads as expired. */
	issue("APP-2026-000120", now + 3600, token, sizeof(token), false);
	faults(f, "{\"expired_tokens\":true,\"count\":1}");
	assert_int_equal(f->http->ops->lookup_qr(f->http, token, &res), -EKEYEXPIRED);
	assert_int_equal(f->http->ops->lookup_qr(f->http, token, &res), 0);
}

static void test_document(void **state)
{
	struct fixture *f = *state;
	uint8_t *pdf = NULL, stated[32], actual[32];
	size_t len = 0;

	assert_int_equal(
		f->http->ops->fetch_document(f->http, "DOC-2026-000130", &pdf, &len, stated), 0);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	crypto_hash_sha256(actual, pdf, len);
	assert_memory_equal(actual, stated, 32);
	free(pdf);
	assert_int_equal(f->http->ops->fetch_document(f->http, "DOC-9999", &pdf, &len, stated),
			 -ENOENT);
	/* Ids go into URL paths: anything else is refused before sending. */
	assert_int_equal(
		f->http->ops->fetch_document(f->http, "../admin/stats", &pdf, &len, stated),
		-EINVAL);
}

static unsigned stat_of(struct fixture *f, const char *name)
{
	char out[512], *at;
	unsigned v = 0;

	memset(out, 0, sizeof(out));
	assert_int_equal(sim_admin(&f->sim, "GET", "/admin/stats", NULL, out, sizeof(out) - 1),
			 200);
	at = strstr(out, name);
	assert_non_null(at);
	assert_int_equal(sscanf(at + strlen(name) + 2, "%u", &v), 1);
	return v;
}

static void test_confirm(void **state)
{
	struct fixture *f = *state;
	struct session_lookup_result res;
	unsigned before = stat_of(f, "documents_collected");

	assert_int_equal(f->http->ops->confirm_collected(f->http, "DOC-2026-000101", "17",
							 "key-test-confirm-1"),
			 0);
	/* The same key again: a no-op, still a success. */
	assert_int_equal(f->http->ops->confirm_collected(f->http, "DOC-2026-000101", "17",
							 "key-test-confirm-1"),
			 0);
	assert_int_equal(stat_of(f, "documents_collected"), before + 1);
	/* The same key for another document: refused. */
	assert_int_equal(f->http->ops->confirm_collected(f->http, "DOC-2026-000110", "18",
							 "key-test-confirm-1"),
			 -EEXIST);
	assert_int_equal(f->http->ops->confirm_collected(f->http, "DOC-9999", "19", "key-x"),
			 -ENOENT);
	assert_int_equal(
		f->http->ops->confirm_collected(f->http, "DOC-2026-000101", "17", "bad key"),
		-EINVAL);
	/* The lookup now shows it collected, with nothing left to collect. */
	assert_int_equal(f->http->ops->lookup_card(f->http, budi_uid, 7, NULL, &res), 0);
	assert_int_equal(res.apps[0].stage, SESSION_STAGE_COLLECTED);
	assert_string_equal(res.apps[0].document_id, "");
}

static void test_heartbeat_and_skew(void **state)
{
	struct fixture *f = *state;
	enum session_device_state st[_SESSION_DEVICE_MAX] = {0};
	unsigned before = stat_of(f, "heartbeats");
	int64_t skew = 1000;

	st[SESSION_DEVICE_RECEIPT_PRINTER] = SESSION_DEVICE_DEGRADED;
	assert_int_equal(backend_http_heartbeat(f->http, "0.1.0", 42, 1, st), 0);
	assert_int_equal(stat_of(f, "heartbeats"), before + 1);
	/* Same machine, same clock: the Date header agrees to a second or
	 * two (its resolution, plus the request's own time). */
	assert_int_equal(backend_http_clock_skew(f->http, &skew), 0);
	assert_true(skew >= -2 && skew <= 2);
	assert_int_equal(backend_http_clock_skew(f->sim_backend, &skew), -EINVAL);
}

struct fault_case {
	const char *json;
	int want;
	bool fast; /* the short-timeout client */
};

static void test_faults(void **state)
{
	static const struct fault_case cases[] = {
		{"{\"status\":503}", -EHOSTUNREACH, false},
		{"{\"status\":500}", -EHOSTUNREACH, false},
		{"{\"status\":401}", -EACCES, false},
		{"{\"status\":400}", -EPROTO, false},
		{"{\"malformed\":true}", -EBADMSG, false},
		{"{\"truncate\":true}", -EBADMSG, false},
		{"{\"content_type\":\"text/html\"}", -EBADMSG, false},
		{"{\"pad_bytes\":300000}", -EBADMSG, false}, /* over the size cap */
		{"{\"latency_ms\":3000}", -ETIMEDOUT, true},
		{"{\"drip_ms\":100}", -ETIMEDOUT, true},
		{"{\"pad_bytes\":1000}", 0, false}, /* unknown property: ignored */
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct backend *b = cases[i].fast ? f->fast : f->http;
		struct session_lookup_result res;
		time_t start = time(NULL);
		int r;

		faults(f, cases[i].json);
		r = b->ops->lookup_card(b, budi_uid, 7, NULL, &res);
		faults(f, NULL);
		if (r != cases[i].want)
			fail_msg("fault %s: got %d, want %d", cases[i].json, r, cases[i].want);
		assert_true(time(NULL) - start < HANG_BOUND_S);
	}
}

static void test_document_faults(void **state)
{
	struct fixture *f = *state;
	uint8_t *pdf = NULL, sha[32];
	size_t len = 0;

	faults(f, "{\"truncate\":true}");
	assert_int_equal(f->http->ops->fetch_document(f->http, "DOC-2026-000130", &pdf, &len, sha),
			 -EBADMSG);
	faults(f, "{\"content_type\":\"application/json\"}");
	assert_int_equal(f->http->ops->fetch_document(f->http, "DOC-2026-000130", &pdf, &len, sha),
			 -EBADMSG);
	faults(f, NULL);
	assert_null(pdf);
}

/* A transient failure of an idempotent call is retried: one 503, then
 * the answer. A heartbeat (not idempotent) is not. */
static void test_retry(void **state)
{
	struct fixture *f = *state;
	struct session_lookup_result res;
	enum session_device_state st[_SESSION_DEVICE_MAX] = {0};
	unsigned before = stat_of(f, "requests");

	faults(f, "{\"status\":503,\"count\":1}");
	assert_int_equal(f->http->ops->lookup_card(f->http, budi_uid, 7, NULL, &res), 0);
	assert_int_equal(stat_of(f, "requests"), before + 2);

	faults(f, "{\"status\":503,\"count\":1}");
	assert_int_equal(backend_http_heartbeat(f->http, "0.1.0", 1, 0, st), -EHOSTUNREACH);
	assert_int_equal(stat_of(f, "requests"), before + 3);
	faults(f, NULL);
}

static void test_unreachable(void **state)
{
	struct fixture *f = *state;
	struct sim_process gone;
	struct session_lookup_result res;
	struct backend *b;

	/* A port that was just free: nobody listens there now. */
	assert_int_equal(sim_process_start(&gone, NULL, 60000), 0);
	assert_int_equal(sim_process_stop(&gone), 0);
	b = client(&gone, 2000, 1, NULL);
	assert_int_equal(b->ops->lookup_card(b, budi_uid, 7, NULL, &res), -ECONNREFUSED);
	backend_free(b);
	(void)f;
}

static void test_bearer_token(void **state)
{
	char path[] = "/tmp/test-backend-token.XXXXXX";
	const char *extra[] = {"--token-file", path, NULL};
	struct session_lookup_result res;
	struct sim_process p;
	struct backend *none, *wrong, *right;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "s3cret-token\n", 13), 13);
	close(fd);
	assert_int_equal(sim_process_start(&p, extra, 60000), 0);
	none = client(&p, 30000, 0, NULL);
	wrong = client(&p, 30000, 0, "guess");
	right = client(&p, 30000, 0, "s3cret-token");
	assert_int_equal(none->ops->lookup_card(none, budi_uid, 7, NULL, &res), -EACCES);
	assert_int_equal(wrong->ops->lookup_card(wrong, budi_uid, 7, NULL, &res), -EACCES);
	assert_int_equal(right->ops->lookup_card(right, budi_uid, 7, NULL, &res), 0);
	backend_free(none);
	backend_free(wrong);
	backend_free(right);
	assert_int_equal(sim_process_stop(&p), 0);
	unlink(path);
	(void)state;
}

static void test_config_refused(void **state)
{
	struct backend_http_config cfg = {.url = "http://backend.example.org", .station_id = "S1"};
	struct backend *b = NULL;

	/* Personal data in clear over a network: refused. */
	assert_int_equal(backend_http_new(&cfg, &b), -EINVAL);
	cfg.url = "https://backend.example.org";
	cfg.station_id = "bad id";
	assert_int_equal(backend_http_new(&cfg, &b), -EINVAL);
	cfg.station_id = "S1";
	cfg.bearer_token = "two\r\nlines";
	assert_int_equal(backend_http_new(&cfg, &b), -EINVAL);
	cfg.bearer_token = NULL;
	assert_int_equal(backend_http_new(&cfg, &b), 0);
	assert_string_equal(b->ops->name, "http");
	backend_free(b);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_every_card),
		cmocka_unit_test(test_lookup_not_found),
		cmocka_unit_test(test_lookup_qr),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_confirm),
		cmocka_unit_test(test_heartbeat_and_skew),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_document_faults),
		cmocka_unit_test(test_retry),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_bearer_token),
		cmocka_unit_test(test_config_refused),
	};

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
