/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "technician.h"

static const unsigned char label[crypto_generichash_KEYBYTES] = "anjungan technician card v1";

int technician_card_hash(const uint8_t *uid, size_t len, uint8_t out[TECHNICIAN_HASH_BYTES])
{
	if (!uid || len == 0 || len > 10 || !out)
		return -EINVAL;
	return crypto_generichash(out, TECHNICIAN_HASH_BYTES, uid, len, label, sizeof(label)) == 0
		       ? 0
		       : -EINVAL;
}

bool technician_card_allowed(const struct station_secrets *s, const uint8_t *uid, size_t len)
{
	uint8_t h[TECHNICIAN_HASH_BYTES];
	bool found = false;

	if (!s || technician_card_hash(uid, len, h) < 0)
		return false;
	/* Every entry compared, in constant time each. */
	for (size_t i = 0; i < s->n_technician_cards && i < CONFIG_TECHNICIAN_CARDS_MAX; i++)
		found |= sodium_memcmp(h, s->technician_cards[i], sizeof(h)) == 0;
	sodium_memzero(h, sizeof(h));
	return found;
}

int technician_uid_parse(const char *text, uint8_t uid[10])
{
	size_t n = 0;

	if (!text)
		return -EINVAL;
	for (const char *p = text; *p;) {

		if (*p == ':' || *p == ' ') {
			p++;
			continue;
		}
		if (!p[1] || n >= 10)
			return -EINVAL;
		if (sodium_hex2bin(uid + n, 1, p, 2, NULL, NULL, NULL) != 0)
			return -EINVAL;
		n++;
		p += 2;
	}
	return n ? (int)n : -EINVAL;
}
