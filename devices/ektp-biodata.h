/* SPDX-License-Identifier: MIT */
/*
 * The e-KTP biodata file (EF 6FF1 under DF 7F0A), parsed.
 *
 * The record format is not public. This file is the only place that knows
 * it, so that the real layout, once a deployment has it under its PKS
 * with Dukcapil, replaces this parser and nothing else. The layout assumed
 * here (and written by our virtual e-KTP, tests/vcard/) is BER-TLV:
 *
 *   70 L                       the biodata template; L in BER form
 *                              (xx < 80, 81 xx, or 82 xx xx)
 *     01 L  NIK                16 ASCII digits                  required
 *     02 L  name               UTF-8, as printed on the card    required
 *     03 L  place of birth     UTF-8
 *     04 L  date of birth      "DD-MM-YYYY"                     required
 *     05 L  sex                "LAKI-LAKI" or "PEREMPUAN"       required
 *     06 L  address            UTF-8 (street, number)
 *     07 L  RT/RW              "001/002"
 *     08 L  kelurahan/desa     UTF-8
 *     09 L  kecamatan          UTF-8
 *     0A L  kabupaten/kota     UTF-8
 *     0B L  provinsi           UTF-8
 *     other tags (religion, marital status, occupation, nationality,
 *     validity) are skipped: the station has no use for them, so it
 *     does not keep them.
 *   then padding (00 or FF) up to the end of the file.
 *
 * Cross-checks: the NIK must pass nik_parse(); its birth date and sex
 * must agree with fields 04 and 05. A duplicated tag, a text field that
 * is not UTF-8 or holds control characters, or one longer than its slot
 * below is refused rather than cut.
 *
 * Pure functions, any thread, never block, never log.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "nik.h"

#define EKTP_BIODATA_TAG 0x70

/* Personal data: wipe with ektp_biodata_wipe() when done. */
struct ektp_biodata {
	char nik[NIK_LEN + 1];
	char name[64];
	char birth_place[48];
	struct nik_date birth;
	enum nik_sex sex;
	char address[128];
	char rt_rw[16];
	char village[48];  /* kelurahan / desa */
	char district[48]; /* kecamatan */
	char regency[48];  /* kabupaten / kota */
	char province[48];
};

/* How many bytes the biodata template takes, given the first len bytes
 * of the file (tag and length: 2 to 4 bytes are enough). Returns the
 * total (header included, > 0), -EAGAIN when len is too short to tell, or
 * -EBADMSG when the file does not start with the template. */
int ektp_biodata_total_len(const uint8_t *buf, size_t len);

/* Parses the template at the start of buf (len bytes; anything after the
 * template is ignored). today as for nik_parse() (NULL: the system clock).
 * Returns 0 and fills *ret, or -EBADMSG (*ret untouched, nothing of the
 * input left in temporaries). */
int ektp_biodata_parse(const uint8_t *buf, size_t len, const struct nik_date *today,
		       struct ektp_biodata *ret);

/* Wipes b. Accepts NULL. */
void ektp_biodata_wipe(struct ektp_biodata *b);
