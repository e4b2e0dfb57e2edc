/* SPDX-License-Identifier: MIT */
/*
 * The session state machine: pure (state, event) -> (state, commands).
 *
 * No threads, no clock, no devices, no allocation, no logging: time enters
 * as STATION_EVENT_TICK (and every event carries no time of its own; the
 * machine uses the last tick's now_ms). The owner thread feeds events with
 * session_handle() and carries out the commands it returns.
 *
 * Timers: every state that can time out has a deadline (session_deadline());
 * a TICK at or after it fires the timeout. The owner sleeps until then.
 *
 *   state              timeout (config)        on timeout
 *   READING_CARD       card_timeout_ms         ERROR(CARD_UNREADABLE)
 *   SCANNING_QR        scan_timeout_ms         end session -> WELCOME
 *   LOOKING_UP         lookup_timeout_ms       ERROR(BACKEND_UNREACHABLE)
 *   SHOWING_STATUS     idle_timeout_ms         IDLE_COUNTDOWN
 *   CHOOSING_DOCUMENT  idle_timeout_ms         IDLE_COUNTDOWN
 *   IDLE_COUNTDOWN     countdown_ms            end session -> WELCOME
 *   PRINTING_*         print_timeout_ms        CANCEL_PRINT, ERROR(PRINT_FAILED)
 *   DONE               done_timeout_ms         end session -> WELCOME
 *   ERROR              error_timeout_ms        end session -> WELCOME
 *   MAINTENANCE_LOGIN  maintenance_idle_ms     -> WELCOME
 *   MAINTENANCE        maintenance_idle_ms     -> WELCOME
 *   WELCOME, OUT_OF_SERVICE: none.
 * Any touch in SHOWING_STATUS/CHOOSING_DOCUMENT/MAINTENANCE* restarts the
 * idle deadline. A touch in IDLE_COUNTDOWN returns to the state it
 * interrupted, with a fresh idle deadline.
 *
 * Ending a session (timeout, FINISH, error dismissed) wipes every personal
 * datum held (identity, lookup result, PIN digits, language choice) and
 * emits SESSION_CMD_END so the owner wipes its own copies.
 *
 * A damaged chip: the station cannot tell one card from another when a
 * read fails (no UID is trusted from a failed read), so "the same card
 * failing again" is taken as SESSION_CARD_DAMAGED_FAILURES failed reads
 * (CARD_FAILED "unreadable", or READING_CARD timing out) in a row, each
 * within SESSION_CARD_FAILURE_WINDOW_MS of the one before, with no card
 * read in between. From that one on, the error is CARD_DAMAGED ("go to
 * the Dukcapil desk") instead of CARD_UNREADABLE ("tap again"). A card
 * read, or a pause longer than the window, starts the count afresh; a card
 * pulled too soon, an unknown card and a session end do not change it.
 * The count is not personal data: it survives session ends.
 *
 * Replies carry the id of the command that asked for them (.request,
 * print .job); a reply whose id is not the one awaited is stale and ignored
 * (a LOOKUP_DONE's payload is still freed by the caller).
 */
#pragma once

#include "event.h"
#include "session-types.h"

enum session_cmd_type {
	SESSION_CMD_LOOKUP_CARD,       /* .request; .text = card UID hex,
				       * .text2 = NIK or "" */
	SESSION_CMD_LOOKUP_QR,	       /* .request; .text = token */
	SESSION_CMD_START_SCAN,	       /* camera on (preview, decoding) */
	SESSION_CMD_STOP_SCAN,	       /* camera back to idle watching */
	SESSION_CMD_PRINT_RECEIPT,     /* .job; content = session's result */
	SESSION_CMD_PRINT_DOCUMENT,    /* .job; .text = document id,
				       * .text2 = application id */
	SESSION_CMD_CANCEL_PRINT,      /* .job */
	SESSION_CMD_CONFIRM_COLLECTED, /* .job; .text = document id: printed,
				       * tell the backend (via the journal) */
	SESSION_CMD_CHECK_PIN,	       /* .text = PIN digits (wipe after use) */
	SESSION_CMD_END,	       /* session over: wipe, audit */
	SESSION_CMD_RUN_DIAG,	       /* maintenance: collect the diag report */
	SESSION_CMD_RUN_TEST,	       /* maintenance: .request = id of the
				       * TEST_DONE awaited, .job = enum
				       * session_device to test (a printer
				       * or the backend) */
	_SESSION_CMD_TYPE_MAX,
	_SESSION_CMD_TYPE_INVALID = -22,
};

/*
 * Active tests on the maintenance screen (`station diag test` through the
 * station's own devices). The printers and the backend are tested by the
 * owner (RUN_TEST -> TEST_DONE). The card reader and the camera are tested
 * here, with the events they already send: the next card read (or failed
 * read) is the card test's result, and the next QR code decoded, valid or
 * not, the camera's (the camera runs at full rate meanwhile: START_SCAN).
 * The result keeps nothing of the card or code: its kind and sizes only.
 */
#define SESSION_TEST_WAIT_MS   (20 * 1000) /* a card or a QR code */
#define SESSION_TEST_ANSWER_MS (90 * 1000) /* the owner's TEST_DONE */

#define SESSION_CARD_DAMAGED_FAILURES  3
#define SESSION_CARD_FAILURE_WINDOW_MS (2 * 60 * 1000)

struct session_cmd {
	enum session_cmd_type type;
	unsigned request; /* LOOKUP_*: id the reply must carry */
	unsigned job;	  /* PRINT_*, CANCEL_PRINT, CONFIRM_COLLECTED */
	char text[SESSION_TOKEN_MAX + 1];
	char text2[SESSION_ID_MAX + 1];
};

#define SESSION_CMDS_MAX 4
struct session_cmds {
	size_t n;
	struct session_cmd cmd[SESSION_CMDS_MAX];
};

/* Timeouts, all in milliseconds, > 0. */
struct session_timeouts {
	uint64_t card_timeout_ms;
	uint64_t scan_timeout_ms;
	uint64_t lookup_timeout_ms;
	uint64_t idle_timeout_ms;
	uint64_t countdown_ms;
	uint64_t print_timeout_ms;
	uint64_t done_timeout_ms;
	uint64_t error_timeout_ms;
	uint64_t maintenance_idle_ms;
};

enum session_identity_method {
	SESSION_ID_NONE,
	SESSION_ID_CARD,
	SESSION_ID_QR,
};

/* Personal data of the running session. Wiped as a whole on end. */
struct session_personal {
	enum session_identity_method method;
	struct station_event_card card; /* when method == CARD */
	struct station_event_qr qr;	/* when method == QR */
	struct session_lookup_result result;
	bool have_result;
	char pin[SESSION_PIN_MAX + 1]; /* digits typed so far */
	bool english;		       /* citizen chose English */
	bool high_contrast;	       /* citizen chose high contrast, large text */
};

/*
 * The whole state. Plain value: copyable, comparable field by field, no
 * pointers. Read it freely from the owner thread (the UI draws from it);
 * change it only through session_handle().
 */
struct session {
	struct session_timeouts timeouts;
	bool english_default;
	enum session_state state;
	enum session_state interrupted;	      /* IDLE_COUNTDOWN: where to go back */
	enum session_error error;	      /* ERROR: why */
	enum session_pin_result pin_feedback; /* LOGIN: last verdict, or
					       * _INVALID for none */
	bool pin_pending;		      /* LOGIN: a CHECK_PIN is out */
	bool diag_pending;		      /* MAINTENANCE: a RUN_DIAG is out */
	bool have_diag;			      /* MAINTENANCE: .diag holds a report */
	struct session_diag diag;	      /* the last report (technical) */
	bool show_faults;		      /* MAINTENANCE: the fault list, not
					       * the report */
	int test_device;		      /* MAINTENANCE: enum session_device
					       * under test, -1: none */
	unsigned test_id;		      /* its RUN_TEST's id, 0: none */
	uint64_t test_deadline_ms;	      /* when it gives up */
	int tested_device;		      /* the last result's device, -1: none */
	struct session_diag_section test;     /* the last result (technical) */
	uint64_t now_ms;		      /* last tick */
	uint64_t deadline_ms;		      /* 0: no timer */
	unsigned request;		      /* id of the lookup awaited, 0 none */
	unsigned job;			      /* id of the print awaited, 0 none */
	unsigned last_id;		      /* ids handed out so far */
	enum session_print_kind printing;     /* PRINTING_*, DONE: which */
	int selected;			      /* CHOOSING_DOCUMENT: app index */
	unsigned page;			      /* SHOWING_STATUS: page shown */
	unsigned apps_per_page;		      /* set by the UI for its layout, >= 1 */
	unsigned apps_per_page_large;	      /* the same in large text; 0: as above */
	enum session_device_state devices[_SESSION_DEVICE_MAX];
	unsigned card_failures;	  /* failed reads in a row (see above) */
	uint64_t card_failure_ms; /* when the last one was */
	unsigned long version;	  /* bumped on every visible change */
	struct session_personal personal;
};

/* Starts in WELCOME at time now_ms. Never fails. */
void session_init(struct session *s, const struct session_timeouts *t, bool english_default,
		  uint64_t now_ms);

/* Feeds one event. Appends the commands to carry out, in order, to *cmds
 * (which the caller zeroes first). Returns true when the visible state
 * changed (redraw). Owner thread; never blocks. The event is not consumed:
 * the caller still clears it. */
bool session_handle(struct session *s, const struct station_event *ev, struct session_cmds *cmds);

/* When the next timeout fires, in the clock of the ticks; 0 = none. */
uint64_t session_deadline(const struct session *s);

/* Seconds left on the idle countdown (for "ends in N s"), rounded up. */
unsigned session_countdown_left_s(const struct session *s);

/* Whether a printer is usable enough to offer printing. */
bool session_can_print(const struct session *s, enum session_print_kind kind);
/* Whether the screen of this state offers the language and contrast
 * buttons (the citizen's screens where there is something to read). */
bool session_offers_preferences(enum session_state state);
/* Applications a status page shows now (the large-text layout's count
 * when the citizen chose it), >= 1. */
unsigned session_apps_per_page(const struct session *s);

/* Wipes all personal data (also done by every session end). */
void session_wipe(struct session *s);

const char *session_state_to_string(enum session_state s);
const char *session_error_to_string(enum session_error e);
const char *session_button_to_string(enum session_button b);
enum session_button session_button_from_string(const char *s);
const char *session_stage_to_string(enum session_stage s);
enum session_stage session_stage_from_string(const char *s);
const char *session_print_result_to_string(enum session_print_result r);
const char *session_pin_result_to_string(enum session_pin_result r);
const char *session_device_to_string(enum session_device d);
enum session_device session_device_from_string(const char *s);
const char *session_device_state_to_string(enum session_device_state s);
const char *session_cmd_type_to_string(enum session_cmd_type t);
