/* SPDX-License-Identifier: MIT */
/*
 * One e-KTP read through the PC/SC driver (card-reader-pcsc.c), run
 * exactly as the kiosk runs it, for `station card read` (cmd-card.c) and
 * `station diag test card` (diag-test.c). Everything personal is masked
 * (privacy.h) on the driver's thread, in the report callback, before it
 * reaches the result: the result never holds a full NIK, name or UID.
 *
 * The outcome is a sysexits(3) code, the same for both commands:
 *   EX_OK          read (identity when a SAM is configured, else UID only)
 *   EX_DATAERR     not an e-KTP (its ATR is in no pattern)
 *   EX_NOINPUT     no card within the timeout
 *   EX_UNAVAILABLE no reader (or pcscd not running)
 *   EX_IOERR       the card could not be read
 *   EX_OSERR       the driver could not be started
 */
#pragma once

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card-reader-pcsc.h"
#include "config.h"

#define CARD_READ_MASK_MAX 96

struct card_read_options {
	char reader[128];     /* fnmatch(3) pattern; "" = the first */
	char sam_reader[128]; /* "" = no SAM */
	bool have_unlock;
	uint8_t unlock[EKTP_UNLOCK_LEN];
	size_t n_atr; /* 0 = the built-in table */
	struct ektp_atr_pattern atr[CONFIG_CARD_ATR_MAX];
	bool photo;
	unsigned read_timeout_ms; /* the read itself; 0 = the driver's 5 s */
	long timeout_s;		  /* the wait for a card */
};

/* What a read gives, all masked. */
struct card_read_result {
	pthread_mutex_t lock; /* while the driver runs (card_read_once's own) */
	bool done;
	int error;
	char reader[256];
	char atr[2 * EKTP_ATR_MAX + 1];
	char type[EKTP_ATR_NAME_MAX];
	char uid[CARD_READ_MASK_MAX];
	bool has_identity;
	char nik[CARD_READ_MASK_MAX];
	char name[CARD_READ_MASK_MAX];
	char sex[16];
	char province[64];
	size_t photo_len; /* only its size ever leaves the driver */
	double read_ms, transmit_ms;
	unsigned apdus;
};

/* 64 hex digits (spaces, colons, new lines ignored) into out. 0 or -EINVAL. */
int card_read_parse_key(const char *s, uint8_t *out);

/* The [card] keys of cfg, and the SAM credentials of its secrets file
 * when a SAM reader is configured, into o (timeout_s untouched). 0, or
 * -errno with the secrets file's problems in errs (or on stderr for a
 * malformed key). */
int card_read_options_from_config(const struct station_config *cfg, struct card_read_options *o,
				  struct config_errors *errs);

/* Fills the masked fields of res from a report. Any thread; res->lock
 * held. */
void card_read_mask_report(struct card_read_result *res, const struct card_pcsc_report *rep);

/* Waits up to o->timeout_s for a card on the reader (or takes the one on
 * it), reads it once and fills res (initialised here; wipe it with
 * card_read_result_wipe()). Returns the exit code above. Blocks; any
 * thread, signals are the caller's business. */
int card_read_once(const struct card_read_options *o, struct card_read_result *res);

/* The reason for a code other than EX_OK, one line, into buf. */
void card_read_explain(int code, const struct card_read_result *res, long timeout_s, char *buf,
		       size_t size);

/* The result as `card read --json` prints it; event: a "event" member
 * first, or NULL. */
json_t *card_read_result_json(const struct card_read_result *res, const char *event);

void card_read_result_wipe(struct card_read_result *res);
