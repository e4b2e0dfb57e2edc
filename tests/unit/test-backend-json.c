/* SPDX-License-Identifier: MIT */
/*
 * The contract's JSON parsers (station/backend-json.c): every demo lookup
 * survives encode -> parse unchanged, and each way a hostile or broken
 * backend can get a field wrong is refused with -EBADMSG, leaving the
 * out-param untouched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend-json.h"
#include "backend.h"
#include "demo-data.h"

/* A valid answer with one application; tests break one thing at a time. */
static const char valid_app[] =
	"{\"id\":\"APP-1\",\"agency\":\"Disdukcapil\",\"service\":\"KK\",\"stage\":\"ready\","
	"\"updated_at\":\"2026-03-02\",\"next_step\":\"Ambil.\",\"document_ready\":true,"
	"\"document_id\":\"DOC-1\"}";

static int parse(const char *text, struct session_lookup_result *res)
{
	return backend_json_parse_lookup(text, strlen(text), res);
}

static char *lookup_with_app(const char *app)
{
	static const char fmt[] = "{\"holder_name\":\"Budi Santoso\",\"nik\":\"3273051203850001\","
				  "\"applications\":[%s]}";
	size_t n = sizeof(fmt) + strlen(app);
	char *s = malloc(n);

	assert_non_null(s);
	snprintf(s, n, fmt, app);
	return s;
}

/* Replaces the first occurrence of from in valid_app by to. */
static char *mutate(const char *from, const char *to)
{
	const char *p = strstr(valid_app, from);
	char app[1024];

	assert_non_null(p);
	snprintf(app, sizeof(app), "%.*s%s%s", (int)(p - valid_app), valid_app, to,
		 p + strlen(from));
	return lookup_with_app(app);
}

static void test_valid(void **state)
{
	struct session_lookup_result res;
	char *s = lookup_with_app(valid_app);

	assert_int_equal(parse(s, &res), 0);
	assert_string_equal(res.holder_name, "Budi Santoso");
	assert_string_equal(res.nik, "3273051203850001");
	assert_int_equal(res.n_apps, 1);
	assert_string_equal(res.apps[0].id, "APP-1");
	assert_int_equal(res.apps[0].stage, SESSION_STAGE_READY);
	assert_string_equal(res.apps[0].document_id, "DOC-1");
	free(s);
}

/* Every citizen of the demo data, as the sim backend answers: encoding
 * and parsing are inverse, so mpp-sim and the client agree. */
static void test_demo_round_trip(void **state)
{
	struct backend *b = NULL;

	assert_int_equal(backend_sim_new(&b), 0);
	for (size_t i = 0; i < demo_n_citizens; i++) {
		const struct demo_citizen *c = &demo_citizens[i];
		struct session_lookup_result in, out;
		char *text;

		assert_int_equal(b->ops->lookup_card(b, c->card_uid, c->card_uid_len, NULL, &in),
				 0);
		text = backend_json_encode_lookup(&in);
		assert_non_null(text);
		memset(&out, 0x55, sizeof(out));
		assert_int_equal(parse(text, &out), 0);
		assert_string_equal(out.holder_name, in.holder_name);
		assert_string_equal(out.nik, in.nik);
		assert_int_equal(out.n_apps, in.n_apps);
		for (size_t k = 0; k < in.n_apps; k++) {
			assert_string_equal(out.apps[k].id, in.apps[k].id);
			assert_string_equal(out.apps[k].agency, in.apps[k].agency);
			assert_string_equal(out.apps[k].service, in.apps[k].service);
			assert_int_equal(out.apps[k].stage, in.apps[k].stage);
			assert_string_equal(out.apps[k].updated_at, in.apps[k].updated_at);
			assert_string_equal(out.apps[k].next_step, in.apps[k].next_step);
			assert_string_equal(out.apps[k].document_id, in.apps[k].document_id);
		}
		free(text);
	}
	backend_free(b);
}

static void test_refused(void **state)
{
	static const struct {
		const char *from, *to;
	} cases[] = {
		{"\"id\":\"APP-1\",", ""},				 /* missing */
		{"\"APP-1\"", "17"},					 /* wrong type */
		{"\"APP-1\"", "\"APP 1\""},				 /* bad id */
		{"\"APP-1\"", "\"\""},					 /* empty id */
		{"\"ready\"", "\"lost\""},				 /* unknown enum */
		{"\"ready\"", "\"READY\""},				 /* enums are exact */
		{"\"2026-03-02\"", "\"yesterday\""},			 /* bad date */
		{"\"2026-03-02\"", "\"2026-03-02T10:00\""},		 /* half a time */
		{"true", "\"yes\""},					 /* bool as string */
		{"true", "false"},					 /* id but not ready */
		{"\"DOC-1\"", "null"},					 /* ready, no id */
		{"\"DOC-1\"", "\"../etc/passwd\""},			 /* path in an id */
		{"\"Ambil.\"", "\"line\\nbreak\""},			 /* control char */
		{"\"Ambil.\"", "\"nul\\u0000byte\""},			 /* NUL */
		{"\"Disdukcapil\"", "\"Disdukcapil\",\"agency\":\"x\""}, /* duplicate */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct session_lookup_result res, before;
		char *s = mutate(cases[i].from, cases[i].to);

		memset(&res, 0xa5, sizeof(res));
		before = res;
		if (parse(s, &res) != -EBADMSG)
			fail_msg("case %zu accepted: %s", i, s);
		assert_memory_equal(&res, &before, sizeof(res));
		free(s);
	}
}

static void test_sizes(void **state)
{
	struct session_lookup_result res;
	char big[300], app[1024], *s;
	char *apps;
	size_t n;

	/* agency holds 63 bytes: 63 pass, 64 are refused, not cut. */
	memset(big, 'A', sizeof(big));
	big[63] = '\0';
	snprintf(app, sizeof(app),
		 "{\"id\":\"A\",\"agency\":\"%s\",\"service\":\"s\","
		 "\"stage\":\"received\",\"updated_at\":\"2026-01-01T10:00:00Z\","
		 "\"next_step\":\"\",\"document_ready\":false,\"document_id\":null}",
		 big);
	s = lookup_with_app(app);
	assert_int_equal(parse(s, &res), 0);
	assert_int_equal(strlen(res.apps[0].agency), 63);
	free(s);
	big[63] = 'A';
	big[64] = '\0';
	snprintf(app, sizeof(app),
		 "{\"id\":\"A\",\"agency\":\"%s\",\"service\":\"s\","
		 "\"stage\":\"received\",\"updated_at\":\"2026-01-01\",\"next_step\":\"\","
		 "\"document_ready\":false,\"document_id\":null}",
		 big);
	s = lookup_with_app(app);
	assert_int_equal(parse(s, &res), -EBADMSG);
	free(s);

	/* 16 applications fit, 17 are refused. */
	for (size_t count = 16; count <= 17; count++) {
		n = count * (sizeof(valid_app) + 1) + 1;
		apps = calloc(1, n);
		assert_non_null(apps);
		for (size_t i = 0; i < count; i++) {
			strcat(apps, i ? "," : "");
			strcat(apps, valid_app);
		}
		s = lookup_with_app(apps);
		assert_int_equal(parse(s, &res), count == 16 ? 0 : -EBADMSG);
		free(s);
		free(apps);
	}
	/* A bad NIK, an unknown extra property (allowed), trailing junk. */
	assert_int_equal(parse("{\"holder_name\":\"B\",\"nik\":\"123\",\"applications\":[]}", &res),
			 -EBADMSG);
	assert_int_equal(parse("{\"holder_name\":\"B\",\"nik\":null,\"applications\":[],"
			       "\"extra\":{\"a\":[1,2]}}",
			       &res),
			 0);
	assert_int_equal(parse("{\"holder_name\":\"B\",\"nik\":null,\"applications\":[]} x", &res),
			 -EBADMSG);
	assert_int_equal(parse("[]", &res), -EBADMSG);
	assert_int_equal(backend_json_parse_lookup("", 0, &res), -EBADMSG);
}

static void test_error_and_ack(void **state)
{
	struct backend_json_error e;
	struct backend_json_ack ack;
	char *s =
		backend_json_encode_error(BACKEND_ERROR_TOKEN_EXPIRED, "Kedaluwarsa.", "Expired.");
	static const char ack_ok[] = "{\"document_id\":\"DOC-1\",\"collected_at\":"
				     "\"2026-03-04T10:00:00Z\",\"replayed\":true}";
	static const char teapot[] =
		"{\"error\":{\"code\":\"teapot\",\"message\":{\"id\":\"\",\"en\":\"\"}}}";

	assert_non_null(s);
	assert_int_equal(backend_json_parse_error(s, strlen(s), &e), 0);
	assert_int_equal(e.code, BACKEND_ERROR_TOKEN_EXPIRED);
	assert_string_equal(e.message_en, "Expired.");
	assert_int_equal(backend_json_status_to_errno(403, &e), -EKEYEXPIRED);
	free(s);
	assert_int_equal(backend_json_parse_error(teapot, strlen(teapot), &e), -EBADMSG);
	assert_int_equal(backend_json_status_to_errno(404, NULL), -ENOENT);
	assert_int_equal(backend_json_status_to_errno(401, NULL), -EACCES);
	assert_int_equal(backend_json_status_to_errno(503, NULL), -EHOSTUNREACH);
	assert_int_equal(backend_json_status_to_errno(422, NULL), -EEXIST);

	assert_int_equal(backend_json_parse_ack(ack_ok, strlen(ack_ok), "DOC-1", &ack), 0);
	assert_true(ack.replayed);
	/* An acknowledgement of another document acknowledges nothing. */
	assert_int_equal(backend_json_parse_ack(ack_ok, strlen(ack_ok), "DOC-2", &ack), -EBADMSG);
}

static void test_digest(void **state)
{
	uint8_t sha[32];
	/* sha-256 of "" in base64 */
	static const char d[] = "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:";
	static const char two[] = "md5=:1B2M2Y8AsgTpgAmY7PhCfg==:, "
				  "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:";

	assert_int_equal(backend_json_parse_digest(d, strlen(d), sha), 0);
	assert_int_equal(sha[0], 0xe3);
	assert_int_equal(sha[31], 0x55);
	assert_int_equal(backend_json_parse_digest(two, strlen(two), sha), 0);
	assert_int_equal(backend_json_parse_digest("sha-256=:AAAA:", 14, sha), -EBADMSG);
	assert_int_equal(backend_json_parse_digest("md5=:1B2M2Y8AsgTpgAmY7PhCfg==:", 30, sha),
			 -EBADMSG);
	assert_int_equal(backend_json_parse_digest("", 0, sha), -EBADMSG);
}

static void test_requests(void **state)
{
	static const uint8_t uid[7] = {0x04, 0x5a, 0x21, 0x3c, 0x8e, 0x61, 0x80};
	char *s = backend_json_lookup_card_request(uid, sizeof(uid), "3273051203850001");

	assert_non_null(s);
	assert_string_equal(s, "{\"card_uid\":\"045A213C8E6180\",\"nik\":\"3273051203850001\"}");
	free(s);
	assert_null(backend_json_lookup_card_request(uid, 5, NULL));
	assert_null(backend_json_lookup_card_request(uid, 7, "12"));
	assert_null(backend_json_collected_request("S 1", "1", "2026-01-01T00:00:00Z"));
	assert_true(backend_json_key_valid("abc_DEF-123"));
	assert_false(backend_json_key_valid("abc def"));
	assert_false(backend_json_id_valid("0123456789012345678901234567890123456789"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),	      cmocka_unit_test(test_demo_round_trip),
		cmocka_unit_test(test_refused),	      cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_error_and_ack), cmocka_unit_test(test_digest),
		cmocka_unit_test(test_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
