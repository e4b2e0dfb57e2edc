/* SPDX-License-Identifier: MIT */
/*
 * ESC/POS back to an image (escpos.h): the "printer" of the tests and the
 * demo. The input is hostile (a fuzz target feeds it): every length is
 * checked against what is left before it is read, and the paper is bounded
 * in both directions before anything is allocated.
 *
 * The paper is kept as 1-bit rows, MSB first, as wide as the widest raster
 * seen so far; a wider raster later re-lays the rows already printed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escpos.h"

#define ESC 0x1b
#define GS  0x1d
#define DLE 0x10
#define EOT 0x04
#define LF  0x0a
#define CR  0x0d

struct paper {
	uint8_t *bits;
	size_t stride; /* bytes per row */
	size_t rows;
	size_t cap_rows;
	unsigned line_dots;
};

struct reader {
	const uint8_t *buf;
	size_t len;
	size_t pos;
};

static int take(struct reader *rd, size_t n, const uint8_t **ret)
{
	if (n > rd->len - rd->pos)
		return -EBADMSG; /* truncated */
	*ret = rd->buf + rd->pos;
	rd->pos += n;
	return 0;
}

static int take_byte(struct reader *rd, uint8_t *ret)
{
	const uint8_t *p;
	int r = take(rd, 1, &p);

	if (r < 0)
		return r;
	*ret = *p;
	return 0;
}

/* Makes the paper at least stride bytes wide and room for rows more rows;
 * the new rows are blank and already counted. */
static int paper_grow(struct paper *pp, size_t stride, size_t rows)
{
	size_t new_stride = stride > pp->stride ? stride : pp->stride;
	size_t need = pp->rows + rows;

	if (new_stride * 8 > ESCPOS_MAX_WIDTH_DOTS)
		return -EFBIG;
	if (rows > ESCPOS_MAX_HEIGHT_DOTS || need > ESCPOS_MAX_HEIGHT_DOTS)
		return -EFBIG;
	if (new_stride * 8 * need > ESCPOS_MAX_AREA_DOTS)
		return -EFBIG;

	if (new_stride != pp->stride || need > pp->cap_rows) {
		size_t cap = pp->cap_rows;
		uint8_t *bits;

		if (need > cap) {
			cap = cap ? cap : 256;
			while (cap < need)
				cap *= 2;
			if (cap > ESCPOS_MAX_HEIGHT_DOTS)
				cap = ESCPOS_MAX_HEIGHT_DOTS;
		}
		/* Both factors are bounded above: no overflow. */
		bits = calloc(cap, new_stride ? new_stride : 1);
		if (!bits)
			return -ENOMEM;
		for (size_t y = 0; y < pp->rows && pp->stride > 0; y++)
			memcpy(bits + y * new_stride, pp->bits + y * pp->stride, pp->stride);
		free(pp->bits);
		pp->bits = bits;
		pp->stride = new_stride;
		pp->cap_rows = cap;
	}
	if (pp->bits)
		memset(pp->bits + pp->rows * pp->stride, 0, rows * pp->stride);
	pp->rows = need;
	return 0;
}

static int paper_feed(struct paper *pp, size_t dots)
{
	return paper_grow(pp, 0, dots);
}

/* GS v 0 m xL xH yL yH d1...dk */
static int raster(struct paper *pp, struct reader *rd)
{
	const uint8_t *hdr, *data;
	unsigned sx, sy;
	size_t xbytes, height, out_bytes, first;
	uint8_t zero;
	int r;

	r = take_byte(rd, &zero);
	if (r < 0)
		return r;
	if (zero != '0' && zero != 0)
		return -EBADMSG;
	r = take(rd, 5, &hdr);
	if (r < 0)
		return r;
	if (!(hdr[0] <= 3 || (hdr[0] >= 48 && hdr[0] <= 51)))
		return -EBADMSG;
	sx = (hdr[0] & 1) ? 2 : 1;
	sy = (hdr[0] & 2) ? 2 : 1;
	xbytes = (size_t)hdr[1] | (size_t)hdr[2] << 8;
	height = (size_t)hdr[3] | (size_t)hdr[4] << 8;
	if (xbytes == 0 || height == 0)
		return -EBADMSG;
	if (xbytes * 8 * sx > ESCPOS_MAX_WIDTH_DOTS || height * sy > ESCPOS_MAX_HEIGHT_DOTS)
		return -EFBIG;
	r = take(rd, xbytes * height, &data);
	if (r < 0)
		return r;

	out_bytes = xbytes * sx;
	first = pp->rows;
	r = paper_grow(pp, out_bytes, height * sy);
	if (r < 0)
		return r;
	for (size_t y = 0; y < height; y++) {
		const uint8_t *src = data + y * xbytes;

		for (unsigned dy = 0; dy < sy; dy++) {
			uint8_t *dst = pp->bits + (first + y * sy + dy) * pp->stride;

			if (sx == 1) {
				memcpy(dst, src, xbytes);
				continue;
			}
			for (size_t x = 0; x < xbytes * 8; x++) {
				if (!(src[x / 8] & (0x80 >> (x % 8))))
					continue;
				for (unsigned dx = 0; dx < sx; dx++) {
					size_t ox = x * sx + dx;

					dst[ox / 8] |= (uint8_t)(0x80 >> (ox % 8));
				}
			}
		}
	}
	return 0;
}

static int cut(struct reader *rd)
{
	uint8_t m, n;
	int r = take_byte(rd, &m);

	if (r < 0)
		return r;
	switch (m) {
	case 0:
	case 1:
	case 48:
	case 49:
		return 0;
	case 65:
	case 66:
	case 97:
	case 98:
	case 103:
	case 104:
		/* Feeding to the cutter is not paper after the image: the
		 * printer cuts what it already printed. */
		return take_byte(rd, &n);
	default:
		return -EBADMSG;
	}
}

static int skip(struct reader *rd, size_t n)
{
	const uint8_t *p;

	return take(rd, n, &p);
}

static int esc_command(struct paper *pp, struct reader *rd)
{
	uint8_t c, n;
	int r = take_byte(rd, &c);

	if (r < 0)
		return r;
	switch (c) {
	case '@':
	case '2':
		pp->line_dots = ESCPOS_DEFAULT_LINE_DOTS;
		return 0;
	case '3':
		r = take_byte(rd, &n);
		if (r >= 0)
			pp->line_dots = n;
		return r;
	case 'd':
		r = take_byte(rd, &n);
		if (r < 0)
			return r;
		return paper_feed(pp, (size_t)n * pp->line_dots);
	case 'J':
		r = take_byte(rd, &n);
		if (r < 0)
			return r;
		return paper_feed(pp, n);
	case 'a': /* justification */
	case 'E': /* emphasis */
	case '!': /* print mode */
	case '-': /* underline */
	case 'M': /* font */
	case 't': /* code page */
	case 'R': /* character set */
	case 'G': /* double strike */
	case '{': /* upside down */
	case 'V': /* rotation */
	case '=': /* peripheral select */
		return skip(rd, 1);
	case 'p': /* drawer kick: m t1 t2 */
		return skip(rd, 3);
	default:
		return -EBADMSG;
	}
}

static int gs_command(struct paper *pp, struct reader *rd)
{
	uint8_t c;
	int r = take_byte(rd, &c);

	if (r < 0)
		return r;
	switch (c) {
	case 'v':
		return raster(pp, rd);
	case 'V':
		return cut(rd);
	case '!': /* character size */
	case 'a': /* automatic status back */
	case 'B': /* reverse */
	case 'H': /* HRI position */
	case 'h': /* bar code height */
	case 'w': /* bar code width */
	case 'f': /* HRI font */
		return skip(rd, 1);
	case 'L': /* left margin */
	case 'W': /* print area width */
		return skip(rd, 2);
	default:
		return -EBADMSG;
	}
}

static int dle_command(struct reader *rd)
{
	uint8_t c, n;
	int r = take_byte(rd, &c);

	if (r < 0)
		return r;
	if (c != EOT)
		return -EBADMSG;
	r = take_byte(rd, &n);
	if (r < 0)
		return r;
	return n >= 1 && n <= 4 ? 0 : -EBADMSG;
}

static int to_surface(const struct paper *pp, cairo_surface_t **ret_surface)
{
	int width = pp->stride ? (int)(pp->stride * 8) : 8;
	int height = (int)pp->rows;
	cairo_surface_t *s;
	unsigned char *data;
	int stride;

	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return -ENOMEM;
	}
	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < height; y++) {
		uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * (size_t)stride);
		const uint8_t *bits = pp->bits ? pp->bits + (size_t)y * pp->stride : NULL;

		for (int x = 0; x < width; x++) {
			bool ink = bits && (size_t)x / 8 < pp->stride &&
				   (bits[x / 8] & (0x80 >> (x % 8)));

			row[x] = ink ? 0x000000 : 0xffffff;
		}
	}
	cairo_surface_mark_dirty(s);
	*ret_surface = s;
	return 0;
}

int escpos_decode(const uint8_t *buf, size_t len, cairo_surface_t **ret_surface)
{
	struct paper pp = {.line_dots = ESCPOS_DEFAULT_LINE_DOTS};
	struct reader rd = {.buf = buf, .len = len};
	int r = 0;

	if ((!buf && len > 0) || !ret_surface)
		return -EINVAL;
	while (rd.pos < rd.len) {
		uint8_t c = rd.buf[rd.pos++];

		switch (c) {
		case LF:
			r = paper_feed(&pp, pp.line_dots);
			break;
		case CR:
			break;
		case ESC:
			r = esc_command(&pp, &rd);
			break;
		case GS:
			r = gs_command(&pp, &rd);
			break;
		case DLE:
			r = dle_command(&rd);
			break;
		default:
			r = -EBADMSG;
			break;
		}
		if (r < 0)
			goto out;
	}
	if (pp.rows == 0) {
		r = -ENODATA;
		goto out;
	}
	r = to_surface(&pp, ret_surface);
out:
	free(pp.bits);
	return r;
}
