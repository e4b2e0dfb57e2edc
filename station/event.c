/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "event.h"

void station_event_clear(struct station_event *ev)
{
	if (!ev)
		return;
	if ((ev->type == STATION_EVENT_LOOKUP_DONE) && ev->lookup) {
		explicit_bzero(ev->lookup, sizeof(*ev->lookup));
		free(ev->lookup);
	}
	if (ev->type == STATION_EVENT_DIAG_DONE || ev->type == STATION_EVENT_TEST_DONE)
		free(ev->diag);
	/* Card identities and tokens sit in the union by value. */
	explicit_bzero(ev, sizeof(*ev));
}

static const char *const event_type_table[_STATION_EVENT_TYPE_MAX] = {
	[STATION_EVENT_TICK] = "tick",
	[STATION_EVENT_TOUCH] = "touch",
	[STATION_EVENT_CARD_INSERTED] = "card-inserted",
	[STATION_EVENT_CARD_READ] = "card-read",
	[STATION_EVENT_CARD_FAILED] = "card-failed",
	[STATION_EVENT_CARD_REMOVED] = "card-removed",
	[STATION_EVENT_QR_TOKEN] = "qr-token",
	[STATION_EVENT_QR_REFUSED] = "qr-refused",
	[STATION_EVENT_LOOKUP_DONE] = "lookup-done",
	[STATION_EVENT_LOOKUP_FAILED] = "lookup-failed",
	[STATION_EVENT_PRINT_DONE] = "print-done",
	[STATION_EVENT_PIN_RESULT] = "pin-result",
	[STATION_EVENT_DEVICE_STATE] = "device-state",
	[STATION_EVENT_QUIT] = "quit",
	[STATION_EVENT_DIAG_DONE] = "diag-done",
	[STATION_EVENT_TEST_DONE] = "test-done",
};

const char *station_event_type_to_string(enum station_event_type t)
{
	if (t < 0 || t >= _STATION_EVENT_TYPE_MAX)
		return NULL;
	return event_type_table[t];
}
