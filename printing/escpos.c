/* SPDX-License-Identifier: MIT */
/*
 * ESC/POS encoding and status parsing (escpos.h). Command bytes follow
 * Epson's "ESC/POS Application Programming Guide"; the constants are named
 * where they are used so the stream can be read against it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escpos.h"
#include "receipt-printer.h"

#define ESC 0x1b
#define GS  0x1d
#define DLE 0x10
#define EOT 0x04

/* Lines fed between the image and the cut: the gap between the print head
 * and the cutter is about 3 lines on common 80 mm mechanisms; without it
 * the last rows of the QR end up on the next receipt. */
#define FEED_LINES 3

/* Packs one row of 32-bit pixels into bits, MSB first (1 = ink): a pixel
 * prints when its Rec. 601 luma over white paper is under 50 % grey. This
 * runs for every dot of every receipt, so it is specialised per format
 * (always inlined with a constant `alpha`) and skips runs of paper eight
 * pixels at a time. */
static inline __attribute__((always_inline)) void pack_row_32(const unsigned char *row, int width,
							      uint8_t *out, bool alpha)
{
	const uint64_t mask = alpha ? UINT64_MAX : 0x00ffffff00ffffffull;

	for (int x0 = 0; x0 < width; x0 += 8) {
		int n = width - x0 < 8 ? width - x0 : 8;
		unsigned byte = 0;

		if (n == 8) {
			uint64_t w[4];

			memcpy(w, row + (size_t)x0 * 4, sizeof(w));
			if ((w[0] & w[1] & w[2] & w[3] & mask) == mask) {
				out[x0 / 8] = 0; /* eight opaque white pixels */
				continue;
			}
		}
		for (int i = 0; i < n; i++) {
			uint32_t p;
			unsigned white;

			memcpy(&p, row + (size_t)(x0 + i) * 4, sizeof(p));
			/* Premultiplied colour over white paper: add the white
			 * that shows through. */
			white = alpha ? 0xff - (p >> 24) : 0;
			byte |= (unsigned)((((p >> 16) & 0xff) + white) * 299 +
						   (((p >> 8) & 0xff) + white) * 587 +
						   ((p & 0xff) + white) * 114 <
					   128u * 1000u)
				<< (7 - i);
		}
		out[x0 / 8] = (uint8_t)byte;
	}
}

/* The same for A8 (ink from 50 % alpha) and A1 (bit for bit). */
static void pack_row_alpha(cairo_format_t fmt, const unsigned char *row, int width, uint8_t *out)
{
	memset(out, 0, ((size_t)width + 7) / 8);
	for (int x = 0; x < width; x++) {
		bool ink;

		if (fmt == CAIRO_FORMAT_A8) {
			ink = row[x] >= 128;
		} else {
			uint32_t w;

			memcpy(&w, row + (size_t)(x / 32) * 4, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			ink = (w >> (x % 32)) & 1;
#else
			ink = (w >> (31 - x % 32)) & 1;
#endif
		}
		if (ink)
			out[x / 8] |= (uint8_t)(0x80 >> (x % 8));
	}
}

static void pack_row(cairo_format_t fmt, const unsigned char *row, int width, uint8_t *out)
{
	if (fmt == CAIRO_FORMAT_RGB24)
		pack_row_32(row, width, out, false);
	else if (fmt == CAIRO_FORMAT_ARGB32)
		pack_row_32(row, width, out, true);
	else
		pack_row_alpha(fmt, row, width, out);
}

int escpos_encode_raster(cairo_surface_t *s, uint8_t **ret_buf, size_t *ret_len)
{
	cairo_format_t fmt;
	const unsigned char *data;
	int width, height, stride;
	size_t bpr, n_bands, len;
	uint8_t *buf, *p;

	if (!s || !ret_buf || !ret_len || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_get_type(s) != CAIRO_SURFACE_TYPE_IMAGE)
		return -EINVAL;
	cairo_surface_flush(s);
	fmt = cairo_image_surface_get_format(s);
	if (fmt != CAIRO_FORMAT_RGB24 && fmt != CAIRO_FORMAT_ARGB32 && fmt != CAIRO_FORMAT_A8 &&
	    fmt != CAIRO_FORMAT_A1)
		return -EINVAL;
	width = cairo_image_surface_get_width(s);
	height = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	data = cairo_image_surface_get_data(s);
	if (width <= 0 || height <= 0 || !data)
		return -EINVAL;
	if (width > ESCPOS_MAX_WIDTH_DOTS || height > ESCPOS_MAX_HEIGHT_DOTS)
		return -EFBIG;

	bpr = ((size_t)width + 7) / 8;
	n_bands = ((size_t)height + ESCPOS_BAND_ROWS - 1) / ESCPOS_BAND_ROWS;
	/* ESC @, per band GS v 0 m xL xH yL yH + data, ESC d n, GS V m n. */
	len = 2 + n_bands * 8 + bpr * (size_t)height + 3 + 4;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;

	p = buf;
	*p++ = ESC;
	*p++ = '@';
	for (int y0 = 0; y0 < height; y0 += ESCPOS_BAND_ROWS) {
		int rows = height - y0 < ESCPOS_BAND_ROWS ? height - y0 : ESCPOS_BAND_ROWS;

		*p++ = GS;
		*p++ = 'v';
		*p++ = '0';
		*p++ = 0; /* m: normal size */
		*p++ = (uint8_t)(bpr & 0xff);
		*p++ = (uint8_t)(bpr >> 8);
		*p++ = (uint8_t)(rows & 0xff);
		*p++ = (uint8_t)(rows >> 8);
		for (int y = y0; y < y0 + rows; y++) {
			const unsigned char *row = data + (size_t)y * (size_t)stride;

			pack_row(fmt, row, width, p);
			p += bpr;
		}
	}
	*p++ = ESC;
	*p++ = 'd';
	*p++ = FEED_LINES;
	*p++ = GS;
	*p++ = 'V';
	*p++ = 66; /* feed to the cut position, then partial cut */
	*p++ = 0;

	*ret_buf = buf;
	*ret_len = (size_t)(p - buf);
	return 0;
}

int escpos_status_request(uint8_t n, uint8_t ret_cmd[3])
{
	if (!ret_cmd || n < 1 || n > 4)
		return -EINVAL;
	ret_cmd[0] = DLE;
	ret_cmd[1] = EOT;
	ret_cmd[2] = n;
	return 0;
}

int escpos_parse_status(uint8_t n, uint8_t byte, unsigned *ret_flags)
{
	unsigned flags = 0;

	if (!ret_flags || n < 1 || n > 4)
		return -EINVAL;
	/* Every answer has bit 1 and bit 4 set, bits 0 and 7 clear: that is
	 * how a status byte is told apart from other data on the line. */
	if ((byte & 0x93) != 0x12)
		return -EBADMSG;

	switch (n) {
	case 1: /* printer status */
		if (byte & 0x08)
			flags |= RECEIPT_STATUS_OFFLINE;
		break;
	case 2: /* offline cause */
		if (byte & 0x04)
			flags |= RECEIPT_STATUS_COVER_OPEN;
		if (byte & 0x20)
			flags |= RECEIPT_STATUS_PAPER_END;
		if (byte & 0x40)
			flags |= RECEIPT_STATUS_ERROR;
		break;
	case 3: /* error cause: cutter, unrecoverable, auto-recoverable */
		if (byte & 0x68)
			flags |= RECEIPT_STATUS_ERROR;
		break;
	case 4: /* roll paper sensor: two bits per sensor, either may be wired */
		if (byte & 0x0c)
			flags |= RECEIPT_STATUS_PAPER_NEAR_END;
		if (byte & 0x60)
			flags |= RECEIPT_STATUS_PAPER_END;
		break;
	}
	*ret_flags = flags;
	return 0;
}
