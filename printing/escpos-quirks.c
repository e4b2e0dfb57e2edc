/* SPDX-License-Identifier: MIT */
/*
 * ESC/POS quirks table and stream rewriting (escpos-quirks.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "escpos-quirks.h"
#include "escpos.h"

#define ESC 0x1b
#define GS  0x1d
#define LF  0x0a

/* The first entry is the default. Band heights are what the models'
 * receive buffers hold without stalling the USB link; a model listed with
 * status false has no bulk IN answer to DLE EOT (it would time out). */
static const struct escpos_quirks quirks_table[] = {
	{0x0000, 0x0000, "ESC/POS (Epson compatible)", ESCPOS_BAND_ROWS, ESCPOS_CUT_FEED_PARTIAL, 0,
	 true},
	{0x04b8, 0x0202, "Epson TM-T88 series", ESCPOS_BAND_ROWS, ESCPOS_CUT_FEED_PARTIAL, 0, true},
	/* Winbond-bridge 80 mm printers sold under many names: a 4 KiB
	 * buffer, so 576-dot bands of 256 rows (18 KiB) overflow it. */
	{0x0416, 0x5011, "Winbond-bridge POS-80", 48, ESCPOS_CUT_FEED_PARTIAL, 0, true},
	/* STM32-bridge 58 mm printers: no cutter, no status channel. */
	{0x0483, 0x5743, "STM32-bridge POS-58", 64, ESCPOS_CUT_NONE, 96, false},
	/* Older mechanisms that know only the plain "GS V 1". */
	{0x0fe6, 0x811e, "ICS-bridge POS-80", 128, ESCPOS_CUT_PARTIAL, 96, true},
};

const struct escpos_quirks *escpos_quirks_lookup(uint16_t vid, uint16_t pid)
{
	for (size_t i = 1; i < sizeof(quirks_table) / sizeof(quirks_table[0]); i++)
		if (quirks_table[i].vid == vid && quirks_table[i].pid == pid)
			return &quirks_table[i];
	return &quirks_table[0];
}

struct out {
	uint8_t *buf;
	size_t len, cap;
};

static int out_put(struct out *o, const uint8_t *p, size_t n)
{
	if (o->cap - o->len < n) {
		size_t ncap = o->cap ? o->cap : 4096;
		uint8_t *nb;

		while (ncap - o->len < n) {
			if (ncap > SIZE_MAX / 2)
				return -ENOMEM;
			ncap *= 2;
		}
		nb = realloc(o->buf, ncap);
		if (!nb)
			return -ENOMEM;
		o->buf = nb;
		o->cap = ncap;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return 0;
}

/* Writes a cut in q's form. A cut that does not feed by itself gets the
 * head-to-cutter feed first, in ESC J steps of at most 255 dots. */
static int put_cut(const struct escpos_quirks *q, struct out *o)
{
	static const uint8_t feed_partial[] = {GS, 'V', 66, 0};
	static const uint8_t feed_full[] = {GS, 'V', 65, 0};
	static const uint8_t partial[] = {GS, 'V', 1};
	int r;

	for (int left = q->cut == ESCPOS_CUT_FEED_PARTIAL || q->cut == ESCPOS_CUT_FEED_FULL
				? 0
				: q->extra_feed_dots;
	     left > 0; left -= 255) {
		uint8_t feed[3] = {ESC, 'J', (uint8_t)(left > 255 ? 255 : left)};

		r = out_put(o, feed, sizeof(feed));
		if (r < 0)
			return r;
	}
	switch (q->cut) {
	case ESCPOS_CUT_FEED_PARTIAL:
		return out_put(o, feed_partial, sizeof(feed_partial));
	case ESCPOS_CUT_FEED_FULL:
		return out_put(o, feed_full, sizeof(feed_full));
	case ESCPOS_CUT_PARTIAL:
		return out_put(o, partial, sizeof(partial));
	case ESCPOS_CUT_NONE:
		return 0;
	}
	return -EINVAL;
}

/* One "GS v 0 m xL xH yL yH data" block at buf (n bytes left), split into
 * bands of at most max_rows. *ret_used: the block's length. */
static int put_raster(const struct escpos_quirks *q, struct out *o, const uint8_t *buf, size_t n,
		      size_t *ret_used)
{
	size_t bpr, rows, total;
	int r;

	if (n < 8 || buf[3] > 3)
		return -EBADMSG;
	bpr = (size_t)buf[4] | (size_t)buf[5] << 8;
	rows = (size_t)buf[6] | (size_t)buf[7] << 8;
	if (bpr == 0 || rows == 0)
		return -EBADMSG;
	total = bpr * rows;
	if (n - 8 < total)
		return -EBADMSG;
	for (size_t y = 0; y < rows; y += (size_t)q->max_band_rows) {
		size_t band =
			rows - y < (size_t)q->max_band_rows ? rows - y : (size_t)q->max_band_rows;
		uint8_t head[8] = {GS,
				   'v',
				   '0',
				   buf[3],
				   buf[4],
				   buf[5],
				   (uint8_t)(band & 0xff),
				   (uint8_t)(band >> 8)};

		r = out_put(o, head, sizeof(head));
		if (r < 0)
			return r;
		r = out_put(o, buf + 8 + y * bpr, band * bpr);
		if (r < 0)
			return r;
	}
	*ret_used = 8 + total;
	return 0;
}

int escpos_quirks_apply(const struct escpos_quirks *q, const uint8_t *buf, size_t len,
			uint8_t **ret_buf, size_t *ret_len)
{
	struct out o = {0};
	size_t i = 0;
	int r = 0;

	if (!q || (!buf && len > 0) || !ret_buf || !ret_len || q->max_band_rows < 1 ||
	    q->max_band_rows > ESCPOS_BAND_ROWS || q->extra_feed_dots < 0)
		return -EINVAL;

	while (i < len) {
		size_t left = len - i, used;
		const uint8_t *p = buf + i;

		if (p[0] == LF) {
			used = 1;
			r = out_put(&o, p, used);
		} else if (p[0] == ESC && left >= 2 && p[1] == '@') {
			used = 2;
			r = out_put(&o, p, used);
		} else if (p[0] == ESC && left >= 3 && (p[1] == 'd' || p[1] == 'J')) {
			used = 3;
			r = out_put(&o, p, used);
		} else if (p[0] == GS && left >= 3 && p[1] == 'v' && p[2] == '0') {
			r = put_raster(q, &o, p, left, &used);
		} else if (p[0] == GS && left >= 3 && p[1] == 'V') {
			/* GS V m: m 0/1/48/49 take no argument, 65/66 one. */
			if (p[2] == 0 || p[2] == 1 || p[2] == 48 || p[2] == 49)
				used = 3;
			else if ((p[2] == 65 || p[2] == 66) && left >= 4)
				used = 4;
			else
				r = -EBADMSG;
			if (r == 0)
				r = put_cut(q, &o);
		} else {
			r = -EBADMSG;
		}
		if (r < 0)
			goto fail;
		i += used;
	}
	*ret_buf = o.buf;
	*ret_len = o.len;
	return 0;
fail:
	free(o.buf);
	return r;
}
