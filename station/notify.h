/* SPDX-License-Identifier: MIT */
/*
 * The service manager's side of the owner loop: READY once the first frame
 * is on the screen, WATCHDOG pings at half of WatchdogSec, and a STATUS
 * line a technician sees in `systemctl status station`. Outside systemd
 * (no $NOTIFY_SOCKET) every call is a cheap no-op.
 *
 * A plain value struct the loop keeps on its stack: zero-initialise it
 * ({0}) and call station_notify_loop() once per iteration.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct station_notify {
	bool started;	       /* the watchdog interval was read */
	bool ready;	       /* READY=1 was sent */
	uint64_t watchdog_ms;  /* ping interval (half of WATCHDOG_USEC); 0 = none */
	uint64_t last_ping_ms; /* CLOCK_MONOTONIC of the last ping */
	char last_status[64];  /* the STATUS= last sent, to send changes only */
};

/* Call once per iteration of the owner loop, after the frame was drawn and
 * before it sleeps. Sends READY=1 the first time, WATCHDOG=1 when half the
 * watchdog interval has passed since the last ping, and STATUS=status when
 * status (may be NULL) changed. Returns the loop's next sleep: timeout_ms,
 * shortened so that the next ping is not late (a negative timeout_ms,
 * "forever", becomes the ping interval when a watchdog is set). Owner
 * thread; never blocks (a datagram to the manager's socket). */
int station_notify_loop(struct station_notify *n, const char *status, int timeout_ms);

/* Sends STOPPING=1 with a STATUS line; on the way out. Owner thread. */
void station_notify_stopping(struct station_notify *n, const char *status);

/* The watchdog ping interval the manager asks for, in ms (half of
 * WATCHDOG_USEC), or 0 when there is no watchdog. Any thread. */
uint64_t station_notify_watchdog_interval_ms(void);
