/* SPDX-License-Identifier: MIT */
/*
 * Tests of the scenario parser (station/scenario.c): every step with its
 * fields, comments and blanks, every kind of mistake with its line and
 * message, the bounds, and the example scenarios in tests/scenarios/.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scenario.h"
#include "session.h"

static struct scenario *parse_ok(const char *text)
{
	struct scenario *s = NULL;
	struct scenario_error err;
	int r = scenario_parse(text, strlen(text), &s, &err);
	if (r < 0)
		fail_msg("parse failed (%d): %s\n--- input:\n%s", r, err.message, text);
	assert_non_null(s);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.message, "");
	return s;
}

/* Parses text expecting failure r on line `line` with a message that
 * contains `needle`; checks *ret_scenario is left alone. */
static void parse_bad(const char *text, int r, unsigned line, const char *needle)
{
	struct scenario *sentinel = (struct scenario *)&sentinel;
	struct scenario *s = sentinel;
	struct scenario_error err;
	int got = scenario_parse(text, strlen(text), &s, &err);
	if (got != r)
		fail_msg("expected %d, got %d (%s) for:\n%s", r, got, err.message, text);
	assert_ptr_equal(s, sentinel);
	assert_int_equal(err.line, line);
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "line %u: ", line);
	if (strncmp(err.message, prefix, strlen(prefix)) != 0)
		fail_msg("message '%s' does not start with '%s'", err.message, prefix);
	if (!strstr(err.message, needle))
		fail_msg("message '%s' does not mention '%s'", err.message, needle);
}

static void test_op_names(void **state)
{
	static const char *const want[_SCENARIO_OP_MAX] = {
		"tap-card",	  "remove-card",      "show-qr",
		"touch",	  "type-pin",	      "wait",
		"printer",	  "unplug",	      "plug",
		"backend",	  "expect-screen",    "expect-error",
		"expect-printed", "expect-confirmed", "expect-test",
	};
	for (int i = 0; i < _SCENARIO_OP_MAX; i++)
		assert_string_equal(scenario_op_to_string((enum scenario_op)i), want[i]);
	assert_null(scenario_op_to_string(_SCENARIO_OP_MAX));
	assert_null(scenario_op_to_string(_SCENARIO_OP_INVALID));
}

static void test_empty(void **state)
{
	struct scenario *s = parse_ok("");
	assert_int_equal(s->n_steps, 0);
	scenario_free(s);

	s = parse_ok("\n\n   \t\n# only a comment\n\t# indented comment\n");
	assert_int_equal(s->n_steps, 0);
	scenario_free(s);

	/* A NULL buffer of length 0 is an empty scenario. */
	struct scenario_error err;
	s = NULL;
	assert_int_equal(scenario_parse(NULL, 0, &s, &err), 0);
	assert_non_null(s);
	assert_int_equal(s->n_steps, 0);
	scenario_free(s);
}

static void test_every_step(void **state)
{
	struct scenario *s = parse_ok("tap-card budi\n"
				      "remove-card\n"
				      "show-qr issue APP-2026-000110\n"
				      "show-qr expired APP-1\n"
				      "show-qr forged APP-2\n"
				      "show-qr text https://example.org/pay?x=1#frag  \n"
				      "show-qr file tests/fixtures/qr.png\n"
				      "touch print-receipt\n"
				      "touch document 3\n"
				      "touch pin-digit 9\n"
				      "type-pin 246810\n"
				      "wait 2\n"
				      "wait 0.5\n"
				      "printer receipt paper-out\n"
				      "printer document cover-open\n"
				      "unplug camera\n"
				      "plug card-reader\n"
				      "backend down\n"
				      "backend slow 2500\n"
				      "expect-screen showing-status\n"
				      "expect-error qr-expired\n"
				      "expect-printed document 2\n"
				      "expect-confirmed 1\n");
	assert_int_equal(s->n_steps, 23);
	const struct scenario_step *t = s->steps;

	assert_int_equal(t[0].op, SCENARIO_TAP_CARD);
	assert_string_equal(t[0].arg, "budi");
	assert_int_equal(t[0].line, 1);
	assert_int_equal(t[0].index, -1);

	assert_int_equal(t[1].op, SCENARIO_REMOVE_CARD);
	assert_int_equal(t[1].line, 2);

	assert_int_equal(t[2].op, SCENARIO_SHOW_QR);
	assert_int_equal(t[2].qr_kind, SCENARIO_QR_ISSUE);
	assert_string_equal(t[2].arg, "APP-2026-000110");
	assert_int_equal(t[3].qr_kind, SCENARIO_QR_EXPIRED);
	assert_string_equal(t[3].arg, "APP-1");
	assert_int_equal(t[4].qr_kind, SCENARIO_QR_FORGED);
	assert_string_equal(t[4].arg, "APP-2");
	assert_int_equal(t[5].qr_kind, SCENARIO_QR_TEXT);
	/* The payload is the rest of the line, '#' included, blanks trimmed. */
	assert_string_equal(t[5].arg, "https://example.org/pay?x=1#frag");
	assert_int_equal(t[6].qr_kind, SCENARIO_QR_FILE);
	assert_string_equal(t[6].arg, "tests/fixtures/qr.png");

	assert_int_equal(t[7].op, SCENARIO_TOUCH);
	assert_int_equal(t[7].button, SESSION_BUTTON_PRINT_RECEIPT);
	assert_int_equal(t[7].index, -1);
	assert_int_equal(t[8].button, SESSION_BUTTON_DOCUMENT);
	assert_int_equal(t[8].index, 3);
	assert_int_equal(t[9].button, SESSION_BUTTON_PIN_DIGIT);
	assert_int_equal(t[9].index, 9);

	assert_int_equal(t[10].op, SCENARIO_TYPE_PIN);
	assert_string_equal(t[10].arg, "246810");

	assert_int_equal(t[11].op, SCENARIO_WAIT);
	assert_int_equal(t[11].ms, 2000);
	assert_int_equal(t[12].ms, 500);

	assert_int_equal(t[13].op, SCENARIO_PRINTER);
	assert_int_equal(t[13].printer, SESSION_PRINT_RECEIPT);
	assert_int_equal(t[13].printer_condition, SCENARIO_PRINTER_PAPER_OUT);
	assert_int_equal(t[14].printer, SESSION_PRINT_DOCUMENT);
	assert_int_equal(t[14].printer_condition, SCENARIO_PRINTER_COVER_OPEN);

	assert_int_equal(t[15].op, SCENARIO_UNPLUG);
	assert_int_equal(t[15].device, SESSION_DEVICE_CAMERA);
	assert_int_equal(t[16].op, SCENARIO_PLUG);
	assert_int_equal(t[16].device, SESSION_DEVICE_CARD_READER);

	assert_int_equal(t[17].op, SCENARIO_BACKEND);
	assert_int_equal(t[17].backend_mode, SCENARIO_BACKEND_DOWN);
	assert_int_equal(t[18].backend_mode, SCENARIO_BACKEND_SLOW);
	assert_int_equal(t[18].ms, 2500);

	assert_int_equal(t[19].op, SCENARIO_EXPECT_SCREEN);
	assert_int_equal(t[19].state, SESSION_SHOWING_STATUS);
	assert_int_equal(t[20].op, SCENARIO_EXPECT_ERROR);
	assert_int_equal(t[20].error, SESSION_ERROR_QR_EXPIRED);
	assert_int_equal(t[21].op, SCENARIO_EXPECT_PRINTED);
	assert_int_equal(t[21].printer, SESSION_PRINT_DOCUMENT);
	assert_int_equal(t[21].count, 2);
	assert_int_equal(t[22].op, SCENARIO_EXPECT_CONFIRMED);
	assert_int_equal(t[22].count, 1);
	assert_int_equal(t[22].line, 23);

	assert_null(scenario_free(s));
	assert_null(scenario_free(NULL));
}

/* Every name the session knows is accepted where it belongs. */
static void test_all_names(void **state)
{
	char buf[128];
	for (int i = 0; i < _SESSION_STATE_MAX; i++) {
		snprintf(buf, sizeof(buf), "expect-screen %s\n",
			 session_state_to_string((enum session_state)i));
		struct scenario *s = parse_ok(buf);
		assert_int_equal(s->steps[0].state, i);
		scenario_free(s);
	}
	for (int i = 0; i < _SESSION_ERROR_MAX; i++) {
		snprintf(buf, sizeof(buf), "expect-error %s\n",
			 session_error_to_string((enum session_error)i));
		struct scenario *s = parse_ok(buf);
		assert_int_equal(s->steps[0].error, i);
		scenario_free(s);
	}
	for (int i = 0; i < _SESSION_BUTTON_MAX; i++) {
		bool indexed = i == SESSION_BUTTON_DOCUMENT || i == SESSION_BUTTON_PIN_DIGIT ||
			       i == SESSION_BUTTON_DIAG_TEST;
		snprintf(buf, sizeof(buf), "touch %s%s\n",
			 session_button_to_string((enum session_button)i),
			 !indexed			 ? ""
			 : i == SESSION_BUTTON_DIAG_TEST ? " card-reader"
							 : " 0");
		struct scenario *s = parse_ok(buf);
		assert_int_equal(s->steps[0].button, i);
		assert_int_equal(s->steps[0].index, indexed ? 0 : -1);
		scenario_free(s);
	}
	for (int i = 0; i < _SESSION_DEVICE_MAX; i++) {
		snprintf(buf, sizeof(buf), "touch diag-test %s\nexpect-test %s degraded\n",
			 session_device_to_string((enum session_device)i),
			 session_device_to_string((enum session_device)i));
		{
			struct scenario *t = parse_ok(buf);

			assert_int_equal(t->steps[0].index, i);
			assert_int_equal(t->steps[1].op, SCENARIO_EXPECT_TEST);
			assert_int_equal(t->steps[1].device, i);
			assert_int_equal(t->steps[1].count, 1);
			scenario_free(t);
		}
		if (i == SESSION_DEVICE_BACKEND)
			continue;
		snprintf(buf, sizeof(buf), "unplug %s\nplug %s\n",
			 session_device_to_string((enum session_device)i),
			 session_device_to_string((enum session_device)i));
		struct scenario *s = parse_ok(buf);
		assert_int_equal(s->steps[0].device, i);
		assert_int_equal(s->steps[1].device, i);
		scenario_free(s);
	}
	static const struct {
		const char *w;
		enum scenario_printer_condition c;
	} conds[] = {
		{"ok", SCENARIO_PRINTER_OK},
		{"paper-out", SCENARIO_PRINTER_PAPER_OUT},
		{"paper-low", SCENARIO_PRINTER_PAPER_LOW},
		{"cover-open", SCENARIO_PRINTER_COVER_OPEN},
		{"offline", SCENARIO_PRINTER_OFFLINE},
	};
	for (size_t i = 0; i < sizeof(conds) / sizeof(conds[0]); i++) {
		snprintf(buf, sizeof(buf), "printer document %s\n", conds[i].w);
		struct scenario *s = parse_ok(buf);
		assert_int_equal(s->steps[0].printer_condition, conds[i].c);
		scenario_free(s);
	}
	struct scenario *s =
		parse_ok("backend up\nbackend down\nbackend corrupt\nbackend slow 1\n");
	assert_int_equal(s->steps[0].backend_mode, SCENARIO_BACKEND_UP);
	assert_int_equal(s->steps[1].backend_mode, SCENARIO_BACKEND_DOWN);
	assert_int_equal(s->steps[2].backend_mode, SCENARIO_BACKEND_CORRUPT);
	assert_int_equal(s->steps[3].backend_mode, SCENARIO_BACKEND_SLOW);
	assert_int_equal(s->steps[3].ms, 1);
	scenario_free(s);
}

/* '#' starts a comment only at the start of a word. */
static void test_hash_in_word(void **state)
{
	parse_bad("wait 1#x\n", -EINVAL, 1, "bad duration '1#x'");
	parse_bad("tap-card budi#1\n", -EINVAL, 1, "bad card name 'budi#1'");
	struct scenario *s = parse_ok("wait 1 #x\nwait 2\t#y z\n");
	assert_int_equal(s->n_steps, 2);
	assert_int_equal(s->steps[0].ms, 1000);
	assert_int_equal(s->steps[1].ms, 2000);
	scenario_free(s);
}

static void test_layout_details(void **state)
{
	struct scenario *s = parse_ok("# demo\r\n"
				      "\ttap-card\t budi   # the first citizen\r\n"
				      "\r\n"
				      "   wait 1.25 # comment\n"
				      "expect-screen welcome");
	assert_int_equal(s->n_steps, 3);
	assert_int_equal(s->steps[0].line, 2);
	assert_string_equal(s->steps[0].arg, "budi");
	assert_int_equal(s->steps[1].line, 4);
	assert_int_equal(s->steps[1].ms, 1250);
	assert_int_equal(s->steps[2].line, 5);
	assert_int_equal(s->steps[2].state, SESSION_WELCOME);
	scenario_free(s);
}

/* The buffer need not end in NUL: bytes past len are never read. */
static void test_not_terminated(void **state)
{
	char buf[64];
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "remove-card\nwait 3", 18);
	struct scenario *s = NULL;
	struct scenario_error err;
	assert_int_equal(scenario_parse(buf, 18, &s, &err), 0);
	assert_int_equal(s->n_steps, 2);
	assert_int_equal(s->steps[1].ms, 3000);
	scenario_free(s);

	/* Cut in the middle of a word: that word is what was given. */
	assert_int_equal(scenario_parse(buf, 13, &s, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "unknown step 'w'"));
}

static void test_wait_values(void **state)
{
	static const struct {
		const char *w;
		uint64_t ms;
	} good[] = {
		{"0", 0},	{"1", 1000},	   {"0.5", 500},      {"0.05", 50},
		{"0.005", 5},	{"2.250", 2250},   {"3600", 3600000}, {"3600.000", 3600000},
		{"0007", 7000}, {"59.999", 59999},
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "wait %s\n", good[i].w);
		struct scenario *s = parse_ok(buf);
		assert_int_equal(s->steps[0].ms, good[i].ms);
		scenario_free(s);
	}
	static const char *const bad[] = {
		"3600.001", "3601",   "99999999999999999999",
		"-1",	    "+1",     "1.",
		".5",	    "0.0001", "1e3",
		"0x10",	    "1,5",    "inf",
		"nan",	    "1.2.3",  "1s",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "wait %s\n", bad[i]);
		parse_bad(buf, -EINVAL, 1, bad[i][0] ? "wait: bad duration" : "missing argument");
	}
}

static void test_errors(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *needle;
	} rows[] = {
		{"tap-card budi\nwait 1\n\n# x\n\nremove-card\ntouch prnt-receipt\n", 7,
		 "unknown button 'prnt-receipt'"},
		{"frobnicate\n", 1, "unknown step 'frobnicate'"},
		{"Tap-card budi\n", 1, "unknown step 'Tap-card'"},
		{"tap-card\n", 1, "missing argument"},
		{"tap-card budi siti\n", 1, "unexpected 'siti'"},
		{"tap-card bu/di\n", 1, "bad card name"},
		{"remove-card now\n", 1, "unexpected 'now'"},
		{"show-qr\n", 1, "missing argument"},
		{"show-qr issued APP-1\n", 1, "unknown kind 'issued'"},
		{"show-qr issue\n", 1, "missing argument"},
		{"show-qr issue APP-1 APP-2\n", 1, "unexpected 'APP-2'"},
		{"show-qr issue APP/1\n", 1, "bad application id"},
		{"show-qr issue APP-0123456789012345678901234567890123456789\n", 1,
		 "bad application id"},
		{"show-qr text\n", 1, "missing payload"},
		{"show-qr text   \t \n", 1, "missing payload"},
		{"show-qr file\n", 1, "missing argument"},
		{"touch\n", 1, "missing argument"},
		{"touch finish 1\n", 1, "takes no index"},
		{"touch document\n", 1, "needs an index"},
		{"touch document 16\n", 1, "bad index '16'"},
		{"touch document -1\n", 1, "bad index '-1'"},
		{"touch pin-digit 10\n", 1, "bad index '10'"},
		{"touch pin-digit x\n", 1, "bad index 'x'"},
		{"touch document 1 2\n", 1, "unexpected '2'"},
		{"touch FINISH\n", 1, "unknown button 'FINISH'"},
		{"type-pin\n", 1, "missing argument"},
		{"type-pin 123456789\n", 1, "1 to 8 digits"},
		{"type-pin 12a4\n", 1, "1 to 8 digits"},
		{"type-pin 1234 5678\n", 1, "unexpected '5678'"},
		{"wait\n", 1, "missing argument"},
		{"wait 1 2\n", 1, "unexpected '2'"},
		{"printer receipt\n", 1, "missing argument"},
		{"printer label ok\n", 1, "unknown printer 'label'"},
		{"printer receipt jammed\n", 1, "unknown printer condition 'jammed'"},
		{"printer receipt ok now\n", 1, "unexpected 'now'"},
		{"unplug\n", 1, "missing argument"},
		{"unplug scanner\n", 1, "unknown device 'scanner'"},
		{"plug backend\n", 1, "backend down"},
		{"backend\n", 1, "missing argument"},
		{"backend sideways\n", 1, "unknown backend mode 'sideways'"},
		{"backend down 5\n", 1, "takes no argument"},
		{"backend slow\n", 1, "missing delay"},
		{"backend slow 0\n", 1, "bad delay '0'"},
		{"backend slow 3600001\n", 1, "bad delay"},
		{"backend slow fast\n", 1, "bad delay 'fast'"},
		{"expect-screen\n", 1, "missing argument"},
		{"expect-screen status\n", 1, "unknown screen 'status'"},
		{"expect-screen showing_status\n", 1, "unknown screen"},
		{"expect-error paper\n", 1, "unknown error 'paper'"},
		{"expect-printed receipt\n", 1, "missing argument"},
		{"expect-printed poster 1\n", 1, "unknown printer 'poster'"},
		{"expect-printed receipt many\n", 1, "bad count 'many'"},
		{"expect-printed receipt 100001\n", 1, "bad count"},
		{"expect-confirmed -1\n", 1, "bad count"},
		{"expect-confirmed 1 2\n", 1, "unexpected '2'"},
		{"touch diag-test\n", 1, "needs a device"},
		{"touch diag-test printer\n", 1, "unknown device 'printer'"},
		{"expect-test camera\n", 1, "missing argument"},
		{"expect-test camera fine\n", 1, "unknown verdict 'fine'"},
		{"expect-test scanner ok\n", 1, "unknown device 'scanner'"},
		{"wait 1\nremove-card\x01\n", 2, "control character 0x01"},
		{"wait 1\r\rwait 2\n", 1, "control character 0x0d"},
		{"a b c d e f g h i j k\n", 1, "unknown step 'a'"},
		{"touch ok 1 2 3 4 5 6 7 8 9\n", 1, "unexpected '2'"},
		{"wait 1 2 3 4 5 6 7 8 9\n", 1, "unexpected '2'"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		parse_bad(rows[i].text, -EINVAL, rows[i].line, rows[i].needle);

	/* The exact wording of the example in the brief. */
	struct scenario *s = NULL;
	struct scenario_error err;
	const char *t = rows[0].text;
	assert_int_equal(scenario_parse(t, strlen(t), &s, &err), -EINVAL);
	assert_string_equal(err.message, "line 7: unknown button 'prnt-receipt'");

	/* err may be NULL. */
	assert_int_equal(scenario_parse("frob\n", 5, &s, NULL), -EINVAL);
	assert_null(s);
}

static void test_nul_byte(void **state)
{
	static const char text[] = "wait 1\nwait\0 2\n";
	struct scenario *s = NULL;
	struct scenario_error err;
	assert_int_equal(scenario_parse(text, sizeof(text) - 1, &s, &err), -EINVAL);
	assert_null(s);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "control character 0x00"));
}

/* Messages quote at most a bounded, printable part of a bad word. */
static void test_quote_bounded(void **state)
{
	char text[1200];
	memcpy(text, "touch ", 6);
	memset(text + 6, 'z', 1000);
	text[6] = '\xc3'; /* a non-ASCII byte is shown as '?' */
	memcpy(text + 1006, "\n", 2);
	struct scenario *s = NULL;
	struct scenario_error err;
	assert_int_equal(scenario_parse(text, strlen(text), &s, &err), -EINVAL);
	assert_non_null(strstr(err.message, "unknown button '?zzz"));
	assert_non_null(strstr(err.message, "...'"));
	assert_true(strlen(err.message) < 100);
}

static void test_arg_lengths(void **state)
{
	/* show-qr text: up to SCENARIO_ARG_MAX - 1 bytes. */
	size_t cap = SCENARIO_ARG_MAX + 64;
	char *text = malloc(cap);
	assert_non_null(text);
	int n = snprintf(text, cap, "show-qr text ");
	memset(text + n, 'Q', SCENARIO_ARG_MAX - 1);
	text[n + SCENARIO_ARG_MAX - 1] = '\0';
	struct scenario *s = parse_ok(text);
	assert_int_equal(strlen(s->steps[0].arg), SCENARIO_ARG_MAX - 1);
	scenario_free(s);

	memset(text + n, 'Q', SCENARIO_ARG_MAX);
	text[n + SCENARIO_ARG_MAX] = '\0';
	parse_bad(text, -EINVAL, 1, "too long");

	/* A card name of SCENARIO_ARG_MAX bytes. */
	n = snprintf(text, cap, "tap-card ");
	memset(text + n, 'c', SCENARIO_ARG_MAX);
	text[n + SCENARIO_ARG_MAX] = '\0';
	parse_bad(text, -EINVAL, 1, "tap-card");

	/* A path of exactly the maximum. */
	n = snprintf(text, cap, "show-qr file ");
	memset(text + n, 'p', SCENARIO_ARG_MAX - 1);
	text[n + SCENARIO_ARG_MAX - 1] = '\0';
	s = parse_ok(text);
	assert_int_equal(strlen(s->steps[0].arg), SCENARIO_ARG_MAX - 1);
	scenario_free(s);
	free(text);

	/* An id of SESSION_ID_MAX is fine, one more is not. */
	char id[64];
	memset(id, 'A', SESSION_ID_MAX);
	id[SESSION_ID_MAX] = '\0';
	char line[128];
	snprintf(line, sizeof(line), "show-qr expired %s\n", id);
	s = parse_ok(line);
	assert_string_equal(s->steps[0].arg, id);
	scenario_free(s);
	snprintf(line, sizeof(line), "show-qr expired %sA\n", id);
	parse_bad(line, -EINVAL, 1, "bad application id");

	/* PIN of 1 and of SESSION_PIN_MAX digits. */
	s = parse_ok("type-pin 0\ntype-pin 12345678\n");
	assert_string_equal(s->steps[0].arg, "0");
	assert_string_equal(s->steps[1].arg, "12345678");
	scenario_free(s);
}

static void test_long_line(void **state)
{
	size_t len = 5000;
	char *text = malloc(len + 16);
	assert_non_null(text);
	memcpy(text, "wait 1\n# ", 9);
	memset(text + 9, 'x', len);
	memcpy(text + 9 + len, "\n", 2);
	parse_bad(text, -EINVAL, 2, "line too long");

	/* 2048 bytes is still fine (a comment). */
	memset(text + 7, ' ', 2048);
	text[7 + 2047] = '#';
	text[7 + 2048] = '\0';
	struct scenario *s = parse_ok(text);
	assert_int_equal(s->n_steps, 1);
	scenario_free(s);
	free(text);
}

static void test_too_many_steps(void **state)
{
	static const char line[] = "remove-card\n";
	size_t n = 100001, l = sizeof(line) - 1;
	char *text = malloc(n * l);
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		memcpy(text + i * l, line, l);

	struct scenario *s = NULL;
	struct scenario_error err;
	assert_int_equal(scenario_parse(text, (n - 1) * l, &s, &err), 0);
	assert_int_equal(s->n_steps, 100000);
	scenario_free(s);

	s = NULL;
	assert_int_equal(scenario_parse(text, n * l, &s, &err), -E2BIG);
	assert_null(s);
	assert_int_equal(err.line, 100001);
	assert_non_null(strstr(err.message, "too many steps"));
	free(text);
}

static void test_load_missing(void **state)
{
	struct scenario *s = NULL;
	struct scenario_error err;
	assert_int_equal(scenario_load("/nonexistent/x.scn", &s, &err), -ENOENT);
	assert_null(s);
	assert_non_null(strstr(err.message, "cannot open"));
	assert_int_equal(scenario_load("/tmp", &s, &err), -EINVAL);
	assert_null(s);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/test-scenario-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "tap-card siti\nexpect-screen looking-up\nwait x\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);

	struct scenario *s = NULL;
	struct scenario_error err;
	assert_int_equal(scenario_load(path, &s, &err), -EINVAL);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.message, "line 3: wait: bad duration 'x' (seconds 0..3600, up to 3 "
					 "decimals, as 0.5)");

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, 38), 38);
	close(fd);
	assert_int_equal(scenario_load(path, &s, &err), 0);
	assert_int_equal(s->n_steps, 2);
	assert_int_equal(s->steps[1].state, SESSION_LOOKING_UP);
	scenario_free(s);
	unlink(path);
}

static void test_load_sizes(void **state)
{
	struct scenario *s = NULL;
	struct scenario_error err;

	/* Too large: refused before reading (the file is sparse). */
	char path[] = "/tmp/test-scenario-big-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 16 * 1024 * 1024 + 1), 0);
	close(fd);
	assert_int_equal(scenario_load(path, &s, &err), -EFBIG);
	assert_null(s);
	assert_non_null(strstr(err.message, "too large"));
	unlink(path);

	/* A file whose size fstat does not know (0) is still read whole: the
	 * first line of /proc/self/status is "Name: ...". */
	assert_int_equal(scenario_load("/proc/self/status", &s, &err), -EINVAL);
	assert_null(s);
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.message, "unknown step 'Name:'"));
}

/* The example scenarios shipped in tests/scenarios/ all parse. */
static void test_examples(void **state)
{
	static const char *const files[] = {"status-by-card.scn", "collect-by-qr.scn",
					    "maintenance.scn", "errors.scn"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/tests/scenarios/%s", TEST_SOURCE_DIR, files[i]);
		struct scenario *s = NULL;
		struct scenario_error err;
		int r = scenario_load(path, &s, &err);
		if (r < 0)
			fail_msg("%s: %s", files[i], err.message);
		assert_true(s->n_steps >= 3);
		/* Each checks where it ends up. */
		bool expects = false;
		for (size_t k = 0; k < s->n_steps; k++)
			expects |= s->steps[k].op == SCENARIO_EXPECT_SCREEN;
		assert_true(expects);
		scenario_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_op_names),       cmocka_unit_test(test_empty),
		cmocka_unit_test(test_every_step),     cmocka_unit_test(test_all_names),
		cmocka_unit_test(test_hash_in_word),   cmocka_unit_test(test_layout_details),
		cmocka_unit_test(test_not_terminated), cmocka_unit_test(test_wait_values),
		cmocka_unit_test(test_errors),	       cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_quote_bounded),  cmocka_unit_test(test_arg_lengths),
		cmocka_unit_test(test_long_line),      cmocka_unit_test(test_too_many_steps),
		cmocka_unit_test(test_load_missing),   cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_sizes),     cmocka_unit_test(test_examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
