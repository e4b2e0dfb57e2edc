/* SPDX-License-Identifier: MIT */
/*
 * Masking of personal data for screens, receipts and logs (UU 27/2022):
 * a NIK shows its first 4 and last 4 digits, a name its first word and the
 * initials of the rest, a card UID its last 2 bytes only.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* "3201••••••••0001" (U+2022 bullets); buf >= 64 bytes. Anything that is
 * not 16 digits becomes "••••". Returns buf. */
char *privacy_mask_nik(const char *nik, char *buf, size_t size);
/* "Budi S. W."; buf >= 64 bytes. Returns buf. */
char *privacy_mask_name(const char *name, char *buf, size_t size);
/* "••:••:3F:A1"-style, only the last 2 bytes shown. Returns buf. */
char *privacy_mask_uid(const uint8_t *uid, size_t len, char *buf, size_t size);
