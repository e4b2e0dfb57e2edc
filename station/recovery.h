/* SPDX-License-Identifier: MIT */
/*
 * The recovery ladder of a device (issue 8): when a device fails, the
 * station tries ever stronger remedies, each a few times with a growing
 * pause, until one works or none is left:
 *
 *   reopen       -> open the device again (printers: a status probe that
 *                   reopens them; the card reader: list its readers again)
 *   new-context  -> the card reader only: a fresh PC/SC context
 *   usb-reset    -> a USB port reset of the device (libusb), for USB ones
 *   restart      -> nothing more to try here: a technician must restart
 *                   the station or the device ("restart needed")
 *
 * Pure: time comes in as arguments, actions go out as return values; the
 * owner (station.c) carries them out and feeds back what the device says.
 * A degraded device (paper low) works and is not treated. Owner thread.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

enum recovery_action {
	RECOVERY_NONE,
	RECOVERY_REOPEN,
	RECOVERY_NEW_CONTEXT,
	RECOVERY_USB_RESET,
	RECOVERY_RESTART_NEEDED,
	_RECOVERY_ACTION_MAX,
};

#define RECOVERY_RUNGS_MAX 4

struct recovery_policy {
	enum recovery_action rungs[RECOVERY_RUNGS_MAX]; /* before "restart" */
	size_t n_rungs;
	unsigned attempts; /* per rung, >= 1 */
	uint64_t first_ms; /* pause before the first attempt */
	uint64_t max_ms;   /* the pause doubles up to this */
};

struct recovery {
	const struct recovery_policy *policy;
	enum session_device_state state; /* ok, degraded, failed, recovering */
	size_t rung;			 /* index into policy->rungs */
	unsigned tried;			 /* attempts on this rung */
	uint64_t pause_ms;		 /* before the next attempt */
	uint64_t next_ms;		 /* when it is due; 0: nothing due */
	bool restart_needed;
	/* Counters since start. */
	uint64_t faults, recoveries;
	uint64_t attempts[_RECOVERY_ACTION_MAX];
};

/* The policy for a device: card reader (reopen, new context, USB reset),
 * USB receipt printer (reopen, USB reset), others (reopen). usb: the
 * device is on USB (a reset can be tried). Static storage. */
const struct recovery_policy *recovery_policy_for(enum session_device d, bool usb);

void recovery_init(struct recovery *r, const struct recovery_policy *p);
/* What the device said. Returns true when the state changed. */
bool recovery_report(struct recovery *r, enum session_device_state s, uint64_t now_ms);
/* The remedy due at now_ms, if any (and the ladder moves on): NONE when
 * nothing is due. RESTART_NEEDED once, when every rung failed. */
enum recovery_action recovery_next(struct recovery *r, uint64_t now_ms);
/* When recovery_next() has something next; 0: nothing pending. */
uint64_t recovery_deadline(const struct recovery *r);

const char *recovery_action_to_string(enum recovery_action a);
