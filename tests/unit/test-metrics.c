/* SPDX-License-Identifier: MIT */
/*
 * metrics.c: counters, failures by cause, device states with faults and
 * recoveries, the text exposition; [metrics] listen parsing; feeding from
 * several threads at once.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "metrics.h"

static char *render(struct metrics *m)
{
	char *text = NULL;
	size_t len = 0;

	assert_int_equal(metrics_render(m, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	return text;
}

static void assert_line(const char *text, const char *line)
{
	char want[256];
	const char *p;

	snprintf(want, sizeof(want), "%s\n", line);
	p = strstr(text, want);
	if (!p || (p != text && p[-1] != '\n'))
		fail_msg("no line '%s' in:\n%s", line, text);
}

static void test_counters_and_states(void **state)
{
	struct metrics *m = NULL;
	char *text;

	(void)state;
	assert_int_equal(metrics_new(&m), 0);
	text = render(m);
	assert_line(text, "# TYPE station_sessions_total counter");
	assert_line(text, "station_sessions_total 0");
	assert_line(text, "station_device_state{device=\"receipt-printer\"} 0");
	free(text);

	metrics_inc(m, METRICS_SESSIONS);
	metrics_inc(m, METRICS_SESSIONS);
	metrics_inc(m, METRICS_CARD_READS);
	metrics_inc(m, _METRICS_COUNTER_MAX); /* ignored */
	metrics_failure(m, SESSION_ERROR_PRINTER_PAPER_OUT);
	metrics_failure(m, SESSION_ERROR_NONE); /* not a failure */
	metrics_device_state(m, SESSION_DEVICE_RECEIPT_PRINTER, SESSION_DEVICE_FAILED);
	metrics_device_state(m, SESSION_DEVICE_RECEIPT_PRINTER, SESSION_DEVICE_RECOVERING);
	metrics_device_state(m, SESSION_DEVICE_RECEIPT_PRINTER, SESSION_DEVICE_OK);
	metrics_device_state(m, SESSION_DEVICE_BACKEND, SESSION_DEVICE_DEGRADED);
	text = render(m);
	assert_line(text, "station_sessions_total 2");
	assert_line(text, "station_card_reads_total 1");
	assert_line(text, "station_failures_total{cause=\"printer-paper-out\"} 1");
	assert_line(text, "station_failures_total{cause=\"card-unknown\"} 0");
	assert_null(strstr(text, "cause=\"none\""));
	assert_line(text, "station_device_state{device=\"receipt-printer\"} 0");
	assert_line(text, "station_device_faults_total{device=\"receipt-printer\"} 1");
	assert_line(text, "station_device_recoveries_total{device=\"receipt-printer\"} 1");
	assert_line(text, "station_device_state{device=\"backend\"} 1");
	assert_line(text, "station_device_faults_total{device=\"backend\"} 1");
	assert_line(text, "station_device_recoveries_total{device=\"backend\"} 0");
	free(text);

	/* Metrics off: feeding NULL does nothing. */
	metrics_inc(NULL, METRICS_SESSIONS);
	metrics_device_state(NULL, SESSION_DEVICE_BACKEND, SESSION_DEVICE_FAILED);
	assert_int_equal(metrics_render(NULL, &text, NULL), -EINVAL);
	metrics_free(m);
}

static void *feed(void *arg)
{
	for (int i = 0; i < 100000; i++)
		metrics_inc(arg, METRICS_QR_SCANS);
	return NULL;
}

static void test_threads(void **state)
{
	struct metrics *m = NULL;
	pthread_t t[4];
	char *text;

	(void)state;
	assert_int_equal(metrics_new(&m), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, feed, m), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	text = render(m);
	assert_line(text, "station_qr_scans_total 400000");
	free(text);
	metrics_free(m);
}

static void test_listen(void **state)
{
	uint32_t addr = 0;
	uint16_t port = 0;
	static const char *const bad[] = {"",
					  "127.0.0.1",
					  "127.0.0.1:",
					  "127.0.0.1:0",
					  "127.0.0.1:65536",
					  "127.0.0.1:-1",
					  "127.0.0.1:+80",
					  "0.0.0.0:9464",
					  "10.1.2.3:9464",
					  "localhost:9464",
					  ":9464",
					  "127.0.0.1:94x"};

	(void)state;
	assert_int_equal(config_listen_parse("127.0.0.1:9464", &addr, &port), 0);
	assert_int_equal(addr, 0x7f000001);
	assert_int_equal(port, 9464);
	assert_int_equal(config_listen_parse("127.1.2.3:1", &addr, &port), 0);
	assert_int_equal(port, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (config_listen_parse(bad[i], &addr, &port) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters_and_states),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_listen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
