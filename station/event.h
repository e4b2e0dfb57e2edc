/* SPDX-License-Identifier: MIT */
/*
 * Events: everything that happens to the station reaches the owner thread
 * as one of these, through the queue (queue.h). Device and backend threads
 * produce them; only the owner thread consumes them.
 *
 * An event is a plain value. The owned payloads are .lookup (a heap
 * result holding personal data) and .diag (a technical report):
 * station_event_clear() wipes and frees them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

enum station_event_type {
	STATION_EVENT_TICK,	     /* time passed; .now_ms */
	STATION_EVENT_TOUCH,	     /* .touch: a button on screen was pressed */
	STATION_EVENT_CARD_INSERTED, /* a card is on the reader, reading starts */
	STATION_EVENT_CARD_READ,     /* .card: identity read from the card */
	STATION_EVENT_CARD_FAILED,   /* .card_error: why it could not be read */
	STATION_EVENT_CARD_REMOVED,
	STATION_EVENT_QR_TOKEN,	     /* .qr: a token that verified offline */
	STATION_EVENT_QR_REFUSED,    /* .qr_refused: forged, expired, ... */
	STATION_EVENT_LOOKUP_DONE,   /* .request + .lookup (owned) */
	STATION_EVENT_LOOKUP_FAILED, /* .request + .lookup_error */
	STATION_EVENT_PRINT_DONE,    /* .print: a job ended, well or not */
	STATION_EVENT_PIN_RESULT,    /* .pin: technician PIN verdict */
	STATION_EVENT_DEVICE_STATE,  /* .device: a device changed state */
	STATION_EVENT_QUIT,	     /* stop the station (signal, end of demo) */
	STATION_EVENT_DIAG_DONE,     /* .diag (owned): the report for maintenance */
	STATION_EVENT_TEST_DONE,     /* .request = the RUN_TEST's id, .diag (owned):
				      * one section, the active test's result */
	_STATION_EVENT_TYPE_MAX,
	_STATION_EVENT_TYPE_INVALID = -22,
};

struct station_event_touch {
	enum session_button button;
	int index; /* which item, for SESSION_BUTTON_DOCUMENT/PIN_DIGIT */
};

struct station_event_card {
	uint8_t uid[10];
	size_t uid_len;
	char nik[17];	 /* "" when the card gave no NIK (no SAM) */
	char name[64];	 /* "" likewise */
	bool technician; /* the UID is on the technician card list */
};

struct station_event_qr {
	char token[SESSION_TOKEN_MAX + 1];
	char application_id[SESSION_ID_MAX + 1];
	char document_id[SESSION_ID_MAX + 1];
};

struct station_event_print {
	unsigned job;
	enum session_print_kind kind;
	enum session_print_result result;
};

struct station_event_device {
	enum session_device device;
	enum session_device_state state;
};

struct station_event {
	enum station_event_type type;
	unsigned request; /* LOOKUP_*: the request id of the command */
	union {
		uint64_t now_ms;
		struct station_event_touch touch;
		struct station_event_card card;
		enum session_error card_error;
		struct station_event_qr qr;
		enum session_error qr_refused;
		struct session_lookup_result *lookup; /* owned, wiped on clear */
		enum session_error lookup_error;
		struct station_event_print print;
		enum session_pin_result pin;
		struct station_event_device device;
		struct session_diag *diag; /* owned, freed on clear */
	};
};

/* Wipes the event (personal data included) and frees what it owns.
 * Accepts NULL. Any thread. */
void station_event_clear(struct station_event *ev);

const char *station_event_type_to_string(enum station_event_type t);
