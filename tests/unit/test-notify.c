/* SPDX-License-Identifier: MIT */
/*
 * station_notify_loop() against a fake service manager: a datagram socket
 * named by $NOTIFY_SOCKET, a watchdog of 200 ms in $WATCHDOG_USEC. Checks
 * READY once, STATUS on change only, WATCHDOG at half the interval, and
 * the loop's sleep shortened so the ping is never late.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "notify.h"

struct manager {
	char dir[64];
	char path[96];
	int fd;
};

static int setup(void **state)
{
	struct manager *m = calloc(1, sizeof(*m));
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char pid[32];

	assert_non_null(m);
	snprintf(m->dir, sizeof(m->dir), "/tmp/test-notify.XXXXXX");
	assert_non_null(mkdtemp(m->dir));
	snprintf(m->path, sizeof(m->path), "%s/notify", m->dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", m->path);
	m->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(m->fd >= 0);
	assert_int_equal(bind(m->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("NOTIFY_SOCKET", m->path, 1);
	setenv("WATCHDOG_USEC", "200000", 1);
	setenv("WATCHDOG_PID", pid, 1);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	struct manager *m = *state;

	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	close(m->fd);
	unlink(m->path);
	rmdir(m->dir);
	free(m);
	return 0;
}

/* The next message the manager got within timeout_ms, or "" if none. */
static const char *next_message(struct manager *m, int timeout_ms, char *buf, size_t size)
{
	struct pollfd p = {.fd = m->fd, .events = POLLIN};
	ssize_t n;

	buf[0] = '\0';
	if (poll(&p, 1, timeout_ms) <= 0)
		return buf;
	n = recv(m->fd, buf, size - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static void test_outside_systemd(void **state)
{
	struct station_notify n = {0};

	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	assert_int_equal(station_notify_watchdog_interval_ms(), 0);
	/* The loop's own sleep is left alone, "forever" included. */
	assert_int_equal(station_notify_loop(&n, "IDLE", 60000), 60000);
	assert_int_equal(station_notify_loop(&n, "IDLE", -1), -1);
	assert_true(n.ready);
	assert_int_equal(n.watchdog_ms, 0);
	station_notify_stopping(&n, "bye");
}

static void test_ready_status_watchdog(void **state)
{
	struct manager *m = *state;
	struct station_notify n = {0};
	char buf[256];
	int t;

	assert_int_equal(station_notify_watchdog_interval_ms(), 100);
	t = station_notify_loop(&n, "IDLE", 60000);
	/* A minute of idle sleep would miss the ping: cut to at most 100 ms. */
	assert_true(t >= 0 && t <= 100);
	assert_string_equal(next_message(m, 1000, buf, sizeof(buf)), "READY=1");
	assert_string_equal(next_message(m, 1000, buf, sizeof(buf)), "STATUS=IDLE");

	/* Same status, no ping due yet: nothing is sent, READY not again. */
	t = station_notify_loop(&n, "IDLE", 60000);
	assert_true(t <= 100);
	assert_string_equal(next_message(m, 0, buf, sizeof(buf)), "");

	/* Sleep as the loop would, on the manager's socket: no message comes
	 * before the ping is due, and the next iteration pings. */
	assert_string_equal(next_message(m, t, buf, sizeof(buf)), "");
	t = station_notify_loop(&n, "IDLE", 60000);
	assert_string_equal(next_message(m, 1000, buf, sizeof(buf)), "WATCHDOG=1");
	assert_true(t > 0 && t <= 100);

	/* A shorter sleep of the loop's own is kept; "forever" is bounded. */
	assert_int_equal(station_notify_loop(&n, "IDLE", 5), 5);
	t = station_notify_loop(&n, "IDLE", -1);
	assert_true(t >= 0 && t <= 100);

	/* A new status is sent once. */
	station_notify_loop(&n, "PRINTING", 10);
	assert_string_equal(next_message(m, 1000, buf, sizeof(buf)), "STATUS=PRINTING");
	station_notify_loop(&n, NULL, 10);
	assert_string_equal(next_message(m, 0, buf, sizeof(buf)), "");

	station_notify_stopping(&n, "quit");
	assert_string_equal(next_message(m, 1000, buf, sizeof(buf)), "STOPPING=1\nSTATUS=quit");
}

static void test_watchdog_for_another_process(void **state)
{
	struct station_notify n = {0};

	/* WATCHDOG_PID names someone else (a parent that forked us): the
	 * watchdog is not ours to ping. */
	setenv("WATCHDOG_PID", "1", 1);
	assert_int_equal(station_notify_watchdog_interval_ms(), 0);
	assert_int_equal(station_notify_loop(&n, NULL, 60000), 60000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outside_systemd),
		cmocka_unit_test_setup_teardown(test_ready_status_watchdog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchdog_for_another_process, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
