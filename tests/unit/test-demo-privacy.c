/* SPDX-License-Identifier: MIT */
/*
 * No personal datum in any log line: the whole demo runs at debug level,
 * everything it writes to stdout and stderr is captured, and every NIK,
 * name, card UID of the demo data and every QR token is searched for.
 */
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

#include "demo-data.h"
#include "demo.h"
#include "log.h"

static char *read_all(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static void assert_absent(const char *haystack, const char *needle, const char *what)
{
	if (needle[0] && strcasestr(haystack, needle))
		fail_msg("the log holds %s '%s'", what, needle);
}

/* Runs the demo with the scenario at path (NULL: built-in), returns
 * everything it printed. */
static char *run_captured(const char *scenario, size_t *ret_len)
{
	char dir[] = "/tmp/station-privacy.XXXXXX";
	char log[256], out[256];
	struct demo_options opt = {.width = 1280,
				   .height = 800,
				   .headless = true,
				   .log_level = CONFIG_LOG_DEBUG,
				   .scenario_path = scenario};
	int saved_out, saved_err, fd, r;

	assert_non_null(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/log", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	opt.out_dir = out;
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	log_set_level(CONFIG_LOG_DEBUG);
	r = demo_run(&opt);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	char *text = read_all(log, ret_len);
	if (r != 0)
		fail_msg("demo failed (%d):\n%s", r, text);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return text;
}

static void check_no_personal_data(const char *text)
{
	/* The debug level was on: the log is not trivially empty. */
	assert_non_null(strstr(text, "debug"));
	assert_absent(text, "MPP1.", "a QR token");
	for (size_t i = 0; i < demo_n_citizens; i++) {
		const struct demo_citizen *c = &demo_citizens[i];
		char hex[32] = "", hexc[40] = "";
		size_t j = 0, k = 0;

		assert_absent(text, c->nik, "a NIK");
		assert_absent(text, c->full_name, "a name");
		/* The first name alone (what a masked name keeps) neither. */
		char first[64];
		snprintf(first, sizeof(first), "%s", c->full_name);
		first[strcspn(first, " ")] = '\0';
		if (strlen(first) >= 4)
			assert_absent(text, first, "a first name");
		for (size_t b = 0; b < c->card_uid_len; b++) {
			j += (size_t)snprintf(hex + j, sizeof(hex) - j, "%02X", c->card_uid[b]);
			k += (size_t)snprintf(hexc + k, sizeof(hexc) - k, b ? ":%02X" : "%02X",
					      c->card_uid[b]);
		}
		assert_absent(text, hex, "a card UID");
		assert_absent(text, hexc, "a card UID");
	}
}

static void test_builtin_demo_logs_nothing_personal(void **state)
{
	size_t len;
	char *text = run_captured(NULL, &len);
	check_no_personal_data(text);
	free(text);
}

static void test_error_scenario_logs_nothing_personal(void **state)
{
	size_t len;
	char *text = run_captured(TEST_SOURCE_DIR "/tests/scenarios/errors.scn", &len);
	check_no_personal_data(text);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_demo_logs_nothing_personal),
		cmocka_unit_test(test_error_scenario_logs_nothing_personal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
