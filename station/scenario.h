/* SPDX-License-Identifier: MIT */
/*
 * Scenarios: a small line-oriented text format that drives the simulators,
 * for the demo and the end-to-end tests. One step per line; '#' starts a
 * comment; blank lines are skipped; words are separated by blanks.
 *
 *   tap-card NAME                   a demo card on the reader (budi, ...)
 *   remove-card
 *   show-qr issue APP-ID            a valid token the demo key signs now
 *   show-qr expired APP-ID          a token that expired an hour ago
 *   show-qr forged APP-ID           a token with a broken signature
 *   show-qr text PAYLOAD...         any payload (rest of the line)
 *   show-qr file PATH               an image file, decoded with zbar
 *   touch BUTTON [INDEX]            a button (session_button_to_string)
 *   type-pin DIGITS                 PIN digits then enter, as touches
 *   wait SECONDS                    time passes (decimals allowed, <= 3600)
 *   printer receipt|document paper-out|paper-low|cover-open|offline|ok
 *   unplug DEVICE / plug DEVICE     card-reader, camera, receipt-printer,
 *                                   document-printer
 *   backend down|up|corrupt|slow MS
 *   expect-screen STATE             fails the run unless the session is in
 *                                   STATE (session_state_to_string)
 *   expect-error ERROR              likewise for the error shown
 *   expect-printed receipt|document N   N jobs of that kind printed so far
 *   expect-confirmed N              N documents confirmed collected
 *   expect-test DEVICE ok|degraded|failed   the maintenance screen's last
 *                                   test was of DEVICE, with that verdict
 *
 * On the maintenance screen, `touch diag-test DEVICE` starts a device's
 * test (a device name as above, or backend).
 *
 * Parsing checks every word (names, numbers, ranges) so a run never stops
 * half-way on a typo.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

#define SCENARIO_ARG_MAX 1024

enum scenario_op {
	SCENARIO_TAP_CARD, /* .arg = card name */
	SCENARIO_REMOVE_CARD,
	SCENARIO_SHOW_QR,	   /* .qr_kind, .arg */
	SCENARIO_TOUCH,		   /* .button, .index */
	SCENARIO_TYPE_PIN,	   /* .arg = digits */
	SCENARIO_WAIT,		   /* .ms */
	SCENARIO_PRINTER,	   /* .printer, .printer_condition */
	SCENARIO_UNPLUG,	   /* .device */
	SCENARIO_PLUG,		   /* .device */
	SCENARIO_BACKEND,	   /* .backend_mode, .ms for slow */
	SCENARIO_EXPECT_SCREEN,	   /* .state */
	SCENARIO_EXPECT_ERROR,	   /* .error */
	SCENARIO_EXPECT_PRINTED,   /* .printer, .count */
	SCENARIO_EXPECT_CONFIRMED, /* .count */
	SCENARIO_EXPECT_TEST,	   /* .device, .count = verdict (0 ok, 1, 2) */
	_SCENARIO_OP_MAX,
	_SCENARIO_OP_INVALID = -22,
};

enum scenario_qr_kind {
	SCENARIO_QR_ISSUE,
	SCENARIO_QR_EXPIRED,
	SCENARIO_QR_FORGED,
	SCENARIO_QR_TEXT,
	SCENARIO_QR_FILE
};

enum scenario_printer_condition {
	SCENARIO_PRINTER_OK,
	SCENARIO_PRINTER_PAPER_OUT,
	SCENARIO_PRINTER_PAPER_LOW,
	SCENARIO_PRINTER_COVER_OPEN,
	SCENARIO_PRINTER_OFFLINE
};

enum scenario_backend_mode {
	SCENARIO_BACKEND_UP,
	SCENARIO_BACKEND_DOWN,
	SCENARIO_BACKEND_SLOW,
	SCENARIO_BACKEND_CORRUPT
};

struct scenario_step {
	enum scenario_op op;
	unsigned line; /* 1-based line in the file */
	char arg[SCENARIO_ARG_MAX];
	enum scenario_qr_kind qr_kind;
	enum session_button button;
	int index; /* touch index, -1 = none */
	uint64_t ms;
	enum session_print_kind printer;
	enum scenario_printer_condition printer_condition;
	enum session_device device;
	enum scenario_backend_mode backend_mode;
	enum session_state state;
	enum session_error error;
	unsigned count;
};

struct scenario {
	size_t n_steps;
	struct scenario_step *steps;
};

struct scenario_error {
	unsigned line;
	char message[256];
};

/* Parses buf (len bytes, need not be NUL-terminated). Returns 0 and a new
 * *ret_scenario (free with scenario_free), or -EINVAL with *err naming the
 * first bad line, or -ENOMEM. At most 100000 steps (-E2BIG). Never logs. */
int scenario_parse(const char *buf, size_t len, struct scenario **ret_scenario,
		   struct scenario_error *err);
int scenario_load(const char *path, struct scenario **ret_scenario, struct scenario_error *err);
struct scenario *scenario_free(struct scenario *s);

const char *scenario_op_to_string(enum scenario_op op);
