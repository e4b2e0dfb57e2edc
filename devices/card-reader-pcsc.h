/* SPDX-License-Identifier: MIT */
/*
 * The PC/SC card reader back end (card-reader.h) on pcsc-lite.
 *
 * One thread per reader object blocks in SCardGetStatusChange() on the
 * contactless reader and the "\\?PnP?\Notification" pseudo-reader (reader
 * hotplug); card_reader_free() ends it with SCardCancel(). On a card it
 * runs the e-KTP profile (ektp.h), with the SAM reader when one is
 * configured, and pushes to the station queue exactly what the simulator
 * pushes: CARD_INSERTED, then CARD_READ or CARD_FAILED (CARD_UNKNOWN for
 * a card whose ATR is in no pattern, CARD_UNREADABLE for everything
 * else), CARD_REMOVED; DEVICE_STATE FAILED when pcscd or the reader goes
 * away, DEGRADED when the configured SAM is missing (cards then give
 * their UID only), OK when all is there again. pcscd stopping or
 * restarting is survived: the thread re-connects with exponential backoff.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card-reader.h"
#include "ektp.h"

enum card_pcsc_report_kind {
	CARD_PCSC_SERVICE_UP,	/* connected to pcscd */
	CARD_PCSC_SERVICE_DOWN, /* pcscd is not there (.error) */
	CARD_PCSC_READER_FOUND, /* .reader: the reader cards are read on */
	CARD_PCSC_READER_LOST,
	CARD_PCSC_SAM_FOUND, /* .reader: the reader holding the SAM */
	CARD_PCSC_SAM_LOST,
	CARD_PCSC_CARD_INSERTED, /* .atr */
	CARD_PCSC_CARD_READ,	 /* .identity, timings */
	CARD_PCSC_CARD_FAILED,	 /* .error (ektp_read()'s), timings */
	CARD_PCSC_CARD_REMOVED,
	_CARD_PCSC_REPORT_KIND_MAX,
	_CARD_PCSC_REPORT_KIND_INVALID = -22,
};

/* Details for diagnostics, the CLI and the benchmark. Everything points
 * into the driver's memory and is valid during the callback only. */
struct card_pcsc_report {
	enum card_pcsc_report_kind kind;
	const char *reader;
	const uint8_t *atr;
	size_t atr_len;
	/* CARD_READ: personal data. Mask before showing, never log or keep
	 * unmasked. */
	const struct ektp_identity *identity;
	int error;
	uint64_t read_us;     /* card seen present -> result */
	uint64_t transmit_us; /* of which inside SCardTransmit */
	unsigned apdus;	      /* card + SAM commands of this read */
};

struct card_reader_pcsc_config {
	/* fnmatch(3) pattern of the contactless reader; NULL or "" = the
	 * first reader that is not the SAM's. */
	const char *reader_pattern;
	/* Pattern of the reader holding the SAM; NULL or "" = no SAM. */
	const char *sam_reader_pattern;
	/* SAM unlock credentials (EKTP_UNLOCK_LEN bytes) or NULL; copied,
	 * and wiped when the reader is freed. */
	const uint8_t *sam_unlock;
	/* ATR patterns (copied); NULL = ektp_atr_default_table(). */
	const struct ektp_atr_pattern *atr_table;
	size_t n_atr;
	bool read_photo;
	unsigned read_timeout_ms; /* the whole read; 0 = 5000 */
	unsigned backoff_min_ms;  /* reconnect to pcscd; 0 = 200 */
	unsigned backoff_max_ms;  /* 0 = 5000 */
	/* Optional, called on the driver's thread for every report; must not
	 * block for long nor call back into the reader. */
	void (*observe)(void *userdata, const struct card_pcsc_report *rep);
	void *userdata;
};

/* Returns 0 and a reader (start it with card_reader_start(), free it with
 * card_reader_free()), or -EINVAL / -ENOMEM. Does not talk to pcscd yet.
 * Any thread; does not block. */
int card_reader_pcsc_new(struct station_queue *q, const struct card_reader_pcsc_config *cfg,
			 struct card_reader **ret);

/* What a read error means for the citizen: SESSION_ERROR_CARD_UNKNOWN
 * for -EMEDIUMTYPE, SESSION_ERROR_CARD_UNREADABLE otherwise. */
int card_reader_pcsc_session_error(int error);

const char *card_pcsc_report_kind_to_string(enum card_pcsc_report_kind k);
