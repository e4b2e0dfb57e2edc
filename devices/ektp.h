/* SPDX-License-Identifier: MIT */
/*
 * The e-KTP card profile, on top of any APDU transport (apdu.h):
 *
 *  - recognition by ATR, against a table of value + mask patterns (from
 *    the config; the defaults are the public ATRs of pcsc-tools'
 *    smartcard_list.txt), never by exact value;
 *  - the UID (PC/SC part 3 GET DATA, FF CA 00 00 00), which any reader
 *    gets without a SAM;
 *  - with a SAM and the deployment's unlock credentials: mutual
 *    authentication between card and SAM, relayed by the station, then
 *    the biodata file (DF 7F0A, EF 6FF1) read through commands the SAM
 *    wraps and unwraps. The station never holds a card key.
 *
 * The SAM flow (see ektp.c for the exact bytes): unlock the SAM
 * (00 F0 00 00 20 + 32 bytes), GET CHALLENGE to the card (00 84 00 00 08),
 * the SAM's answer to it (00 F1), EXTERNAL AUTHENTICATE to the card
 * (00 82 00 00 28), the SAM checks the card's reply (00 F2); from then on
 * every card command goes through 00 F3 (wrap) and every reply through
 * 00 F4 (unwrap).
 *
 * Photo (EF 6FF2) is read only when asked, held in memory only, and wiped
 * with the rest by ektp_identity_clear(). Fingerprints (6FF4/6FF5) and the
 * signature files are never read.
 *
 * Functions here never log; any thread; ektp_read() blocks in the
 * transports.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apdu.h"
#include "ektp-biodata.h"
#include "nik.h"

#define EKTP_ATR_MAX	  33 /* ISO 7816-3 */
#define EKTP_UNLOCK_LEN	  32 /* SAM unlock credentials */
#define EKTP_PHOTO_MAX	  (32 * 1024)
#define EKTP_BIODATA_MAX  4096
#define EKTP_READ_CHUNK	  200 /* fits a wrapped reply in a short APDU */
#define EKTP_ATR_NAME_MAX 32

/* File identifiers (public, see the issue). */
#define EKTP_DF		  0x7f0a
#define EKTP_EF_CONTROL	  0x6ff0
#define EKTP_EF_BIODATA	  0x6ff1
#define EKTP_EF_PHOTO	  0x6ff2
#define EKTP_EF_SIGNATURE 0x6ff3

/* An ATR pattern: atr matches when len is equal and, for every byte,
 * (atr[i] & mask[i]) == value[i]. */
struct ektp_atr_pattern {
	uint8_t value[EKTP_ATR_MAX];
	uint8_t mask[EKTP_ATR_MAX];
	size_t len;
	char name[EKTP_ATR_NAME_MAX]; /* "type B", for diagnostics */
};

/* ISO 7816-3 structure of an ATR. */
struct ektp_atr_info {
	uint8_t historical[15];
	size_t n_historical;
	unsigned protocols; /* bit n: T=n offered (T=0 when no TD1) */
	bool has_tck;
	bool tck_ok; /* XOR of T0..TCK is 0 (true when there is no TCK) */
};

/* Parses a pattern from its text form: hex bytes, optionally separated
 * by spaces or colons, "xx" (or "XX", "..", "??") for a byte that may be
 * anything, and a single hex digit next to a wildcard half ("5x") is not
 * accepted: masks are per byte. name is copied (cut to fit).
 * Returns 0 and fills *ret, or -EINVAL. */
int ektp_atr_pattern_parse(const char *text, const char *name, struct ektp_atr_pattern *ret);

/* The built-in table (static, never NULL) and its size: the public
 * e-KTP ATRs (type A "eKTP" historical bytes, type B with 4 per-card
 * bytes), used when the config gives none. */
const struct ektp_atr_pattern *ektp_atr_default_table(size_t *ret_n);

/* Index of the first pattern in table that atr matches, or -ENOENT. */
int ektp_atr_match(const struct ektp_atr_pattern *table, size_t n, const uint8_t *atr, size_t len);

/* Parses the structure (TS, T0, interface bytes, historical bytes, TCK).
 * Returns 0 and fills *ret, or -EBADMSG for anything that is not a
 * well-formed ATR (wrong TS, truncated, trailing bytes, over 33 bytes).
 * A wrong TCK is reported in tck_ok, not refused. */
int ektp_atr_parse(const uint8_t *atr, size_t len, struct ektp_atr_info *ret);

struct ektp_options {
	const struct ektp_atr_pattern *atr_table; /* NULL: the default table */
	size_t n_atr;
	/* SAM unlock credentials: the read goes through the SAM when both
	 * these and a SAM transport are given. */
	const uint8_t *sam_unlock; /* EKTP_UNLOCK_LEN bytes, or NULL */
	bool read_photo;
	const struct nik_date *today; /* NULL: the system clock */
};

/* What a read found. Personal data: clear with ektp_identity_clear(). */
struct ektp_identity {
	int atr_index; /* in the table used */
	char atr_name[EKTP_ATR_NAME_MAX];
	uint8_t atr[EKTP_ATR_MAX];
	size_t atr_len;
	uint8_t uid[10];
	size_t uid_len;
	bool has_biodata;
	struct ektp_biodata bio;
	uint8_t *photo; /* malloc'd when read_photo; wiped and freed by clear */
	size_t photo_len;
	unsigned card_apdus, sam_apdus; /* commands sent, for the benchmark */
};

/* Recognises the card by its ATR and reads it: UID always; biodata (and
 * the photo if asked) when sam and opt->sam_unlock are given.
 * Returns 0 and fills *ret (clear it after use), or:
 *   -EMEDIUMTYPE  not an e-KTP (ATR matches no pattern);
 *   -EBADMSG      a malformed, truncated or oversized answer;
 *   -EPROTO       an unexpected status word from the card;
 *   -EACCES       the SAM refused its credentials, or card and SAM did
 *                 not authenticate each other;
 *   the transport's -ENOMEDIUM, -ENODEV, -ETIMEDOUT, -ECANCELED, -EIO.
 * On failure *ret is untouched and nothing read stays in memory. Blocks
 * in the transports; any thread. */
int ektp_read(const uint8_t *atr, size_t atr_len, struct apdu_transport *card,
	      struct apdu_transport *sam, const struct ektp_options *opt,
	      struct ektp_identity *ret);

/* Wipes id (photo included, which is freed). Accepts NULL. */
void ektp_identity_clear(struct ektp_identity *id);

/* Hex of an ATR into buf ("3B8C8001..."); buf >= 2 * len + 1. Returns buf.
 * An ATR is not personal data; a UID is (privacy.h). */
char *ektp_hex(const uint8_t *bytes, size_t len, char *buf, size_t size);
