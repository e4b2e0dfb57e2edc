/* SPDX-License-Identifier: MIT */
/*
 * sd_notify(3) from the owner loop (notify.h). libsystemd checks
 * $NOTIFY_SOCKET itself, so a station started by hand pays one getenv per
 * call and nothing else.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "notify.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t station_notify_watchdog_interval_ms(void)
{
	uint64_t usec = 0;

	/* unset_environment = 0: a re-exec of the loop keeps its watchdog. */
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return 0;
	/* Half the interval, as sd_watchdog_enabled(3) advises: one late
	 * frame must not get the station killed. At least 1 ms. */
	return usec / 2000u ? usec / 2000u : 1;
}

int station_notify_loop(struct station_notify *n, const char *status, int timeout_ms)
{
	uint64_t now = now_ms();

	if (!n->started) {
		n->watchdog_ms = station_notify_watchdog_interval_ms();
		n->last_ping_ms = now;
		n->started = true;
	}
	if (!n->ready) {
		/* The first frame is up: the kiosk is usable from here on. */
		sd_notify(0, "READY=1");
		n->ready = true;
	}
	if (status && strcmp(status, n->last_status) != 0) {
		snprintf(n->last_status, sizeof(n->last_status), "%s", status);
		sd_notifyf(0, "STATUS=%s", n->last_status);
	}
	if (n->watchdog_ms == 0)
		return timeout_ms;
	if (now - n->last_ping_ms >= n->watchdog_ms) {
		sd_notify(0, "WATCHDOG=1");
		n->last_ping_ms = now;
	}
	{
		uint64_t due = n->last_ping_ms + n->watchdog_ms;
		uint64_t left = due > now ? due - now : 0;

		if (timeout_ms < 0 || (uint64_t)timeout_ms > left)
			return left > (uint64_t)0x7fffffff ? 0x7fffffff : (int)left;
	}
	return timeout_ms;
}

void station_notify_stopping(struct station_notify *n, const char *status)
{
	(void)n;
	sd_notifyf(0, "STOPPING=1\nSTATUS=%s", status ? status : "stopping");
}
