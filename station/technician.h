/* SPDX-License-Identifier: MIT */
/*
 * Technician cards: an e-KTP (or any card the reader reads as one) whose
 * UID is on the allow-list of the secrets file opens the maintenance
 * screen instead of a citizen's lookup. The list holds hashes, never
 * UIDs: BLAKE2b-256 (libsodium's crypto_generichash) of the UID, keyed
 * with a fixed label of ours so the values mean nothing elsewhere. The
 * same hash on every station: a technician's card works fleet-wide, and
 * one `station maintenance hash-card UID` line goes into every secrets
 * file.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define TECHNICIAN_HASH_BYTES 32

/* The allow-list hash of a UID. 0 or -EINVAL (no UID, longer than 10). */
int technician_card_hash(const uint8_t *uid, size_t len, uint8_t out[TECHNICIAN_HASH_BYTES]);
/* Whether the UID is on the secrets' list (constant time per entry). */
bool technician_card_allowed(const struct station_secrets *s, const uint8_t *uid, size_t len);
/* "04A1B2C3D4E5F6" or with ':' / ' ' between bytes, into uid (up to 10
 * bytes). Returns its length or -EINVAL. */
int technician_uid_parse(const char *text, uint8_t uid[10]);
