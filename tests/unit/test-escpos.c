/* SPDX-License-Identifier: MIT */
/*
 * ESC/POS: raster encoding round-trips through the decoder pixel for
 * pixel; status bytes parse per Epson's bit layout; the decoder refuses
 * what it does not know and every truncation.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "escpos.h"
#include "receipt-printer.h"

/* A small deterministic generator: the pattern is the same every run. */
static uint32_t next_rand(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

/* An RGB24 image of black, white and greys well away from the threshold;
 * *ink says which pixels must print. */
static cairo_surface_t *pattern(int w, int h, uint32_t seed, bool **ret_ink)
{
	static const uint32_t dark[] = {0x000000, 0x202020, 0x401010, 0x103050};
	static const uint32_t light[] = {0xffffff, 0xd0d0d0, 0xf0c0c0, 0xc0e0ff};
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	bool *ink = calloc((size_t)w * (size_t)h, sizeof(bool));
	unsigned char *data;
	int stride;

	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_non_null(ink);
	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * (size_t)stride);

		for (int x = 0; x < w; x++) {
			uint32_t r = next_rand(&seed);
			bool on = r & 1;

			row[x] = on ? dark[(r >> 1) & 3] : light[(r >> 1) & 3];
			ink[(size_t)y * (size_t)w + (size_t)x] = on;
		}
	}
	cairo_surface_mark_dirty(s);
	*ret_ink = ink;
	return s;
}

static bool decoded_ink(cairo_surface_t *s, int x, int y)
{
	const unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	uint32_t p;

	memcpy(&p, data + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
	p &= 0xffffff;
	assert_true(p == 0 || p == 0xffffff); /* only black and white */
	return p == 0;
}

static void test_round_trip(void **state)
{
	/* Not a multiple of 8 wide, and more than one band tall. */
	const int w = 101, h = 300;
	cairo_surface_t *s, *d = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	bool *ink;

	(void)state;
	s = pattern(w, h, 42, &ink);
	assert_int_equal(escpos_encode_raster(s, &buf, &len), 0);
	assert_int_equal(escpos_decode(buf, len, &d), 0);
	/* Padded to whole bytes; the feed before the cut is paper too. */
	assert_int_equal(cairo_image_surface_get_width(d), 104);
	assert_int_equal(cairo_image_surface_get_height(d), h + 3 * ESCPOS_DEFAULT_LINE_DOTS);
	for (int y = 0; y < cairo_image_surface_get_height(d); y++)
		for (int x = 0; x < 104; x++) {
			bool want = x < w && y < h && ink[(size_t)y * (size_t)w + (size_t)x];

			assert_int_equal(decoded_ink(d, x, y), want);
		}
	cairo_surface_destroy(d);
	cairo_surface_destroy(s);
	free(buf);
	free(ink);
}

static void test_stream_layout(void **state)
{
	const int w = 576, h = 300;
	const size_t bpr = 72;
	cairo_surface_t *s;
	uint8_t *buf = NULL;
	size_t len = 0, second;
	bool *ink;

	(void)state;
	s = pattern(w, h, 7, &ink);
	assert_int_equal(escpos_encode_raster(s, &buf, &len), 0);
	assert_int_equal(len, 2 + 2 * 8 + bpr * h + 3 + 4);
	/* ESC @ */
	assert_memory_equal(buf, "\x1b\x40", 2);
	/* GS v 0, m=0, 72 bytes wide, 256 rows */
	assert_memory_equal(buf + 2, "\x1d\x76\x30\x00\x48\x00\x00\x01", 8);
	second = 2 + 8 + bpr * 256;
	assert_memory_equal(buf + second, "\x1d\x76\x30\x00\x48\x00\x2c\x00", 8);
	/* ESC d 3, GS V 66 0 */
	assert_memory_equal(buf + len - 7, "\x1b\x64\x03\x1d\x56\x42\x00", 7);
	/* First data byte: MSB is the leftmost dot. */
	{
		uint8_t want = 0;

		for (int x = 0; x < 8; x++)
			if (ink[x])
				want |= (uint8_t)(0x80 >> x);
		assert_int_equal(buf[10], want);
	}
	cairo_surface_destroy(s);
	free(buf);
	free(ink);
}

/* A8, A1 and ARGB32 encode to the same bytes as the RGB24 image that
 * looks the same. */
static void test_formats(void **state)
{
	const int w = 40, h = 20;
	cairo_format_t formats[] = {CAIRO_FORMAT_A8, CAIRO_FORMAT_A1, CAIRO_FORMAT_ARGB32};
	cairo_surface_t *ref;
	uint8_t *want = NULL;
	size_t want_len = 0;
	bool *ink;

	(void)state;
	ref = pattern(w, h, 99, &ink);
	assert_int_equal(escpos_encode_raster(ref, &want, &want_len), 0);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		cairo_surface_t *s = cairo_image_surface_create(formats[i], w, h);
		cairo_t *cr = cairo_create(s);
		uint8_t *got = NULL;
		size_t got_len = 0;

		cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
		if (formats[i] == CAIRO_FORMAT_ARGB32) {
			/* Transparent is paper; opaque black is ink. */
			cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
			cairo_set_source_rgba(cr, 0, 0, 0, 0);
			cairo_paint(cr);
		}
		cairo_set_source_rgba(cr, 0, 0, 0, 1);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (ink[y * w + x])
					cairo_rectangle(cr, x, y, 1, 1);
		cairo_fill(cr);
		cairo_destroy(cr);
		assert_int_equal(escpos_encode_raster(s, &got, &got_len), 0);
		assert_int_equal(got_len, want_len);
		assert_memory_equal(got, want, want_len);
		free(got);
		cairo_surface_destroy(s);
	}
	free(want);
	free(ink);
	cairo_surface_destroy(ref);
}

static void test_encode_rejects(void **state)
{
	uint8_t *buf = (uint8_t *)0x1;
	size_t len = 7;
	cairo_surface_t *s;

	(void)state;
	assert_int_equal(escpos_encode_raster(NULL, &buf, &len), -EINVAL);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 0, 0);
	assert_int_equal(escpos_encode_raster(s, &buf, &len), -EINVAL);
	cairo_surface_destroy(s);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB16_565, 8, 8);
	assert_int_equal(escpos_encode_raster(s, &buf, &len), -EINVAL);
	cairo_surface_destroy(s);
	s = cairo_image_surface_create(CAIRO_FORMAT_A1, ESCPOS_MAX_WIDTH_DOTS + 1, 1);
	assert_int_equal(escpos_encode_raster(s, &buf, &len), -EFBIG);
	cairo_surface_destroy(s);
	/* Out-params untouched on failure. */
	assert_ptr_equal(buf, (uint8_t *)0x1);
	assert_int_equal(len, 7);
}

static void test_status_request(void **state)
{
	uint8_t cmd[3] = {0xaa, 0xaa, 0xaa};

	(void)state;
	for (uint8_t n = 1; n <= 4; n++) {
		assert_int_equal(escpos_status_request(n, cmd), 0);
		assert_int_equal(cmd[0], 0x10);
		assert_int_equal(cmd[1], 0x04);
		assert_int_equal(cmd[2], n);
	}
	assert_int_equal(escpos_status_request(0, cmd), -EINVAL);
	assert_int_equal(escpos_status_request(5, cmd), -EINVAL);
	assert_int_equal(cmd[2], 4);
}

static unsigned parse(uint8_t n, uint8_t byte)
{
	unsigned flags = 0xdead;

	assert_int_equal(escpos_parse_status(n, byte, &flags), 0);
	return flags;
}

static void test_status_flags(void **state)
{
	(void)state;
	/* The idle answer: only the fixed bits. */
	for (uint8_t n = 1; n <= 4; n++)
		assert_int_equal(parse(n, 0x12), 0);

	/* n = 1: printer status. Drawer pin, waiting, feed button: no flag. */
	assert_int_equal(parse(1, 0x12 | 0x08), RECEIPT_STATUS_OFFLINE);
	assert_int_equal(parse(1, 0x12 | 0x04 | 0x20 | 0x40), 0);
	/* n = 2: offline cause. */
	assert_int_equal(parse(2, 0x12 | 0x04), RECEIPT_STATUS_COVER_OPEN);
	assert_int_equal(parse(2, 0x12 | 0x20), RECEIPT_STATUS_PAPER_END);
	assert_int_equal(parse(2, 0x12 | 0x40), RECEIPT_STATUS_ERROR);
	assert_int_equal(parse(2, 0x12 | 0x08), 0); /* paper being fed by button */
	assert_int_equal(parse(2, 0x76), RECEIPT_STATUS_COVER_OPEN | RECEIPT_STATUS_PAPER_END |
						 RECEIPT_STATUS_ERROR);
	/* n = 3: error cause. */
	assert_int_equal(parse(3, 0x12 | 0x08), RECEIPT_STATUS_ERROR);
	assert_int_equal(parse(3, 0x12 | 0x20), RECEIPT_STATUS_ERROR);
	assert_int_equal(parse(3, 0x12 | 0x40), RECEIPT_STATUS_ERROR);
	/* n = 4: roll paper sensor, both bits of a sensor or either. */
	assert_int_equal(parse(4, 0x12 | 0x0c), RECEIPT_STATUS_PAPER_NEAR_END);
	assert_int_equal(parse(4, 0x12 | 0x04), RECEIPT_STATUS_PAPER_NEAR_END);
	assert_int_equal(parse(4, 0x12 | 0x60), RECEIPT_STATUS_PAPER_END);
	assert_int_equal(parse(4, 0x12 | 0x6c),
			 RECEIPT_STATUS_PAPER_END | RECEIPT_STATUS_PAPER_NEAR_END);
}

static void test_status_malformed(void **state)
{
	unsigned valid = 0;

	(void)state;
	for (uint8_t n = 1; n <= 4; n++)
		for (unsigned b = 0; b < 256; b++) {
			unsigned flags = 0xdead;
			int r = escpos_parse_status(n, (uint8_t)b, &flags);
			bool fixed_ok = (b & 0x02) && (b & 0x10) && !(b & 0x01) && !(b & 0x80);

			if (fixed_ok) {
				assert_int_equal(r, 0);
				valid++;
			} else {
				assert_int_equal(r, -EBADMSG);
				assert_int_equal(flags, 0xdead);
			}
		}
	/* 4 free bits per byte, 4 requests. */
	assert_int_equal(valid, 4 * 16);
	{
		unsigned flags;

		assert_int_equal(escpos_parse_status(0, 0x12, &flags), -EINVAL);
		assert_int_equal(escpos_parse_status(5, 0x12, &flags), -EINVAL);
		assert_int_equal(escpos_parse_status(1, 0x12, NULL), -EINVAL);
	}
}

static int decode(const uint8_t *buf, size_t len, cairo_surface_t **ret)
{
	return escpos_decode(buf, len, ret);
}

/* A stream with every command the decoder knows; boundaries[] lists the
 * offsets where one command ends. */
static const uint8_t full_stream[] = {
	0x1b, 0x40,					/* ESC @ */
	0x1b, 0x61, 0x01,				/* ESC a 1 */
	0x1d, 0x21, 0x00,				/* GS ! 0 */
	0x1d, 0x4c, 0x00, 0x00,				/* GS L 0 0 */
	0x1b, 0x70, 0x00, 0x19, 0xfa,			/* ESC p 0 25 250 */
	0x10, 0x04, 0x01,				/* DLE EOT 1 */
	0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00, /* GS v 0: 2 x 2 bytes */
	0xf0, 0x0f, 0xaa, 0x55,				/* data */
	0x0d, 0x0a,					/* CR LF */
	0x1b, 0x33, 0x10,				/* ESC 3 16 */
	0x1b, 0x64, 0x02,				/* ESC d 2 */
	0x1b, 0x4a, 0x05,				/* ESC J 5 */
	0x1b, 0x32,					/* ESC 2 */
	0x1d, 0x56, 0x42, 0x00,				/* GS V 66 0 */
	0x1d, 0x56, 0x01,				/* GS V 1 */
};
static const size_t boundaries[] = {0, 2, 5, 8, 12, 17, 20, 32, 33, 34, 37, 40, 43, 45, 49, 52};

static void test_decode_commands(void **state)
{
	cairo_surface_t *s = NULL;

	(void)state;
	assert_int_equal(boundaries[sizeof(boundaries) / sizeof(boundaries[0]) - 1],
			 sizeof(full_stream));
	assert_int_equal(decode(full_stream, sizeof(full_stream), &s), 0);
	assert_int_equal(cairo_image_surface_get_width(s), 16);
	/* 2 raster rows, LF at 30, ESC d 2 at 16, ESC J 5. */
	assert_int_equal(cairo_image_surface_get_height(s), 2 + 30 + 32 + 5);
	for (int x = 0; x < 16; x++) {
		assert_int_equal(decoded_ink(s, x, 0), (x < 4) || (x >= 12));
		assert_int_equal(decoded_ink(s, x, 1), x % 2 == (x < 8 ? 0 : 1));
		assert_false(decoded_ink(s, x, 2));
	}
	cairo_surface_destroy(s);
}

static void test_decode_truncated(void **state)
{
	size_t next = 0;

	(void)state;
	for (size_t len = 0; len <= sizeof(full_stream); len++) {
		cairo_surface_t *s = NULL;
		bool boundary = boundaries[next] == len;
		int r = decode(full_stream, len, &s);

		if (!boundary)
			assert_int_equal(r, -EBADMSG);
		else if (len < 32)
			assert_int_equal(r, -ENODATA); /* no paper moved yet */
		else
			assert_int_equal(r, 0);
		if (r == 0)
			cairo_surface_destroy(s);
		if (boundary)
			next++;
	}
}

static void test_decode_unknown(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
	} bad[] = {
		{"A", 1},				     /* text */
		{"\x1b\x5a", 2},			     /* ESC Z */
		{"\x1d\x51", 2},			     /* GS Q */
		{"\x10\x05\x01", 3},			     /* DLE ENQ */
		{"\x10\x04\x07", 3},			     /* DLE EOT 7 */
		{"\x1d\x76\x31\x00\x01\x00\x01\x00\xff", 9}, /* GS v 1 */
		{"\x1d\x76\x30\x04\x01\x00\x01\x00\xff", 9}, /* m = 4 */
		{"\x1d\x76\x30\x00\x00\x00\x01\x00", 8},     /* zero width */
		{"\x1d\x76\x30\x00\x01\x00\x00\x00", 8},     /* zero height */
		{"\x1d\x56\x07", 3},			     /* GS V 7 */
		{"\x00", 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cairo_surface_t *s = (cairo_surface_t *)0x1;

		assert_int_equal(decode((const uint8_t *)bad[i].bytes, bad[i].len, &s), -EBADMSG);
		assert_ptr_equal(s, (cairo_surface_t *)0x1);
	}
	{
		cairo_surface_t *s;

		assert_int_equal(escpos_decode(NULL, 1, &s), -EINVAL);
		assert_int_equal(escpos_decode(NULL, 0, &s), -ENODATA);
	}
}

static void test_decode_limits(void **state)
{
	/* 513 bytes wide is 4104 dots: over the cap, refused before the
	 * data is even looked for. */
	static const uint8_t wide[] = {0x1d, 0x76, 0x30, 0x00, 0x01, 0x02, 0x01, 0x00};
	/* 256 x 2 rows at double height is fine; double width of 257 bytes
	 * is not. */
	static const uint8_t wide2[] = {0x1d, 0x76, 0x30, 0x01, 0x01, 0x01, 0x01, 0x00};
	/* 255 lines of 128 dots, then one more line: more paper than any
	 * receipt. */
	static const uint8_t tall[] = {0x1b, 0x33, 0x80, 0x1b, 0x64, 0xff, 0x0a};
	cairo_surface_t *s;
	uint8_t *big;
	size_t n = 0;

	(void)state;
	/* As wide as allowed and long: too much paper in all. */
	big = calloc(1, 8 + 512 + 6);
	assert_non_null(big);
	memcpy(big, "\x1d\x76\x30\x00\x00\x02\x01\x00", 8);
	n = 8 + 512;
	memcpy(big + n, "\x1b\x33\xff\x1b\x64\x10", 6);
	assert_int_equal(decode(big, n + 6, &s), 0); /* 4096 x 4081 */
	assert_int_equal(cairo_image_surface_get_width(s), ESCPOS_MAX_WIDTH_DOTS);
	cairo_surface_destroy(s);
	big[n + 5] = 0x11; /* 4096 x 4336 */
	assert_int_equal(decode(big, n + 6, &s), -EFBIG);
	free(big);

	assert_int_equal(decode(wide, sizeof(wide), &s), -EFBIG);
	assert_int_equal(decode(wide2, sizeof(wide2), &s), -EFBIG);
	assert_int_equal(decode(tall, sizeof(tall), &s), -EFBIG);
	/* Without the last line it fits, just. */
	assert_int_equal(decode(tall, sizeof(tall) - 1, &s), 0);
	assert_int_equal(cairo_image_surface_get_height(s), 255 * 128);
	assert_true(255 * 128 + 128 > ESCPOS_MAX_HEIGHT_DOTS);
	cairo_surface_destroy(s);
}

static void test_decode_scaled(void **state)
{
	/* m = 3: double width and height of one byte 0x81. */
	static const uint8_t quad[] = {0x1d, 0x76, 0x30, 0x03, 0x01, 0x00, 0x01, 0x00, 0x81};
	/* Then a wider image: the earlier rows keep their pixels. */
	static const uint8_t wider[] = {0x1d, 0x76, 0x30, 0x03, 0x01, 0x00, 0x01,
					0x00, 0x81, 0x1d, 0x76, 0x30, 0x00, 0x04,
					0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01};
	cairo_surface_t *s;

	(void)state;
	assert_int_equal(decode(quad, sizeof(quad), &s), 0);
	assert_int_equal(cairo_image_surface_get_width(s), 16);
	assert_int_equal(cairo_image_surface_get_height(s), 2);
	for (int y = 0; y < 2; y++)
		for (int x = 0; x < 16; x++)
			assert_int_equal(decoded_ink(s, x, y), x < 2 || x >= 14);
	cairo_surface_destroy(s);

	assert_int_equal(decode(wider, sizeof(wider), &s), 0);
	assert_int_equal(cairo_image_surface_get_width(s), 32);
	assert_int_equal(cairo_image_surface_get_height(s), 3);
	for (int x = 0; x < 32; x++) {
		assert_int_equal(decoded_ink(s, x, 1), x < 2 || (x >= 14 && x < 16));
		assert_int_equal(decoded_ink(s, x, 2), x == 31);
	}
	cairo_surface_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),	 cmocka_unit_test(test_stream_layout),
		cmocka_unit_test(test_formats),		 cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_status_request),	 cmocka_unit_test(test_status_flags),
		cmocka_unit_test(test_status_malformed), cmocka_unit_test(test_decode_commands),
		cmocka_unit_test(test_decode_truncated), cmocka_unit_test(test_decode_unknown),
		cmocka_unit_test(test_decode_limits),	 cmocka_unit_test(test_decode_scaled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
