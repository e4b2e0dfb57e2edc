/* SPDX-License-Identifier: MIT */
/*
 * APDU response handling on hostile cards: the input is split into a
 * sequence of responses (a length byte, then that many bytes, repeated)
 * that a fake transport hands out one per command. apdu_transceive() and
 * the whole e-KTP read (with a SAM that answers from the same script) must
 * end cleanly, and what they accept must be within bounds.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apdu.h"
#include "ektp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct feed {
	const uint8_t *data;
	size_t size, pos;
};

static void check(int ok)
{
	if (!ok)
		abort();
}

static int feed_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			 size_t resp_size, size_t *ret_len)
{
	struct feed *f = ctx;
	size_t n;

	check(cmd_len >= 4 && cmd_len <= APDU_CMD_MAX);
	if (f->pos >= f->size)
		return -ENOMEDIUM; /* the card left */
	n = f->data[f->pos++];
	/* Lengths beyond 255 come from a flag in the top of the byte. */
	if (n == 0xff && f->pos < f->size)
		n = 255 + f->data[f->pos++];
	if (n > f->size - f->pos)
		n = f->size - f->pos;
	if (n > resp_size)
		return -EBADMSG;
	memcpy(resp, f->data + f->pos, n);
	f->pos += n;
	*ret_len = n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t atr[] = {0x3b, 0x8b, 0x80, 0x01, 0x65, 0x4b, 0x54, 0x50,
				      0x30, 0x44, 0x32, 0x65, 0x4b, 0x54, 0x50, 0x4c};
	static const uint8_t cmd[] = {0x00, 0xb0, 0x00, 0x00, 0x10};
	static const uint8_t unlock[EKTP_UNLOCK_LEN] = {1};
	static const struct nik_date today = {2026, 1, 15};
	struct feed f = {.data = data, .size = size};
	struct apdu_transport t = {.transmit = feed_transmit, .ctx = &f};
	struct apdu_transport sam = {.transmit = feed_transmit, .ctx = &f};
	struct ektp_options opt = {.sam_unlock = unlock, .read_photo = true, .today = &today};
	struct ektp_identity id;
	struct apdu_response r;
	uint8_t buf[APDU_RESP_MAX];

	if (apdu_transceive(&t, cmd, sizeof(cmd), buf, sizeof(buf), &r) == 0) {
		check(r.len <= sizeof(buf) - 2);
		check(r.data == buf);
	}
	if (apdu_response_parse(data, size, &r) == 0)
		check(r.len + 2 == size);

	f.pos = 0;
	if (ektp_read(atr, sizeof(atr), &t, &sam, &opt, &id) == 0) {
		check(id.uid_len == 4 || id.uid_len == 7 || id.uid_len == 10);
		if (id.has_biodata)
			check(nik_valid(id.bio.nik, &today));
		check(id.photo_len <= EKTP_PHOTO_MAX);
		ektp_identity_clear(&id);
	}
	return 0;
}
