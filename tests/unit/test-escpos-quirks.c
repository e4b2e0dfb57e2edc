/* SPDX-License-Identifier: MIT */
/*
 * ESC/POS quirks: the table lookup, and the stream rewriting (smaller
 * bands, other cuts) that must leave the printed image unchanged.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "escpos-quirks.h"
#include "escpos.h"

static cairo_surface_t *image(int w, int h)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int y = 0; y < h; y += 23)
		cairo_rectangle(cr, y % 60, y, w / 3 + y % 70, 7);
	cairo_fill(cr);
	cairo_destroy(cr);
	return s;
}

/* Counts GS v 0 blocks and checks none is taller than max_rows. */
static int count_bands(const uint8_t *b, size_t len, int max_rows)
{
	int n = 0;

	for (size_t i = 0; i + 8 <= len;) {
		if (b[i] == 0x1d && b[i + 1] == 'v' && b[i + 2] == '0') {
			size_t bpr = b[i + 4] | (size_t)b[i + 5] << 8;
			int rows = b[i + 6] | b[i + 7] << 8;

			assert_true(rows >= 1 && rows <= max_rows);
			n++;
			i += 8 + bpr * (size_t)rows;
		} else {
			i++;
		}
	}
	return n;
}

static bool contains(const uint8_t *b, size_t len, const void *needle, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(b + i, needle, n) == 0)
			return true;
	return false;
}

static void assert_same_image(cairo_surface_t *a, cairo_surface_t *b)
{
	int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);

	assert_int_equal(w, cairo_image_surface_get_width(b));
	assert_true(cairo_image_surface_get_height(b) >= h);
	for (int y = 0; y < h; y++)
		assert_memory_equal(cairo_image_surface_get_data(a) +
					    (size_t)y * (size_t)cairo_image_surface_get_stride(a),
				    cairo_image_surface_get_data(b) +
					    (size_t)y * (size_t)cairo_image_surface_get_stride(b),
				    (size_t)w * 4);
}

static void test_lookup(void **state)
{
	const struct escpos_quirks *d = escpos_quirks_lookup(0x1234, 0x5678);

	(void)state;
	assert_non_null(d);
	assert_int_equal(d->vid, 0);
	assert_int_equal(d->max_band_rows, ESCPOS_BAND_ROWS);
	assert_int_equal(d->cut, ESCPOS_CUT_FEED_PARTIAL);
	assert_true(d->status);
	assert_int_equal(escpos_quirks_lookup(0x0416, 0x5011)->pid, 0x5011);
	assert_true(escpos_quirks_lookup(0x0416, 0x5011)->max_band_rows < ESCPOS_BAND_ROWS);
	assert_false(escpos_quirks_lookup(0x0483, 0x5743)->status);
	/* Same VID, other PID: the default. */
	assert_ptr_equal(escpos_quirks_lookup(0x0416, 0x5012), d);
}

static void test_default_is_identity(void **state)
{
	cairo_surface_t *s = image(576, 700);
	uint8_t *in = NULL, *out = NULL;
	size_t in_len, out_len;

	(void)state;
	assert_int_equal(escpos_encode_raster(s, &in, &in_len), 0);
	assert_int_equal(
		escpos_quirks_apply(escpos_quirks_lookup(0, 0), in, in_len, &out, &out_len), 0);
	assert_int_equal(out_len, in_len);
	assert_memory_equal(out, in, in_len);
	free(in);
	free(out);
	cairo_surface_destroy(s);
}

static void test_rebands_same_image(void **state)
{
	cairo_surface_t *s = image(384, 1000), *d1 = NULL, *d2 = NULL;
	const struct escpos_quirks *q = escpos_quirks_lookup(0x0416, 0x5011);
	uint8_t *in = NULL, *out = NULL;
	size_t in_len, out_len;

	(void)state;
	assert_int_equal(escpos_encode_raster(s, &in, &in_len), 0);
	assert_int_equal(escpos_quirks_apply(q, in, in_len, &out, &out_len), 0);
	assert_int_equal(count_bands(in, in_len, ESCPOS_BAND_ROWS), 4);
	/* 256-row bands of 48: 6 each; the last 232 rows: 5. */
	assert_int_equal(count_bands(out, out_len, q->max_band_rows), 3 * 6 + 5);
	assert_int_equal(escpos_decode(in, in_len, &d1), 0);
	assert_int_equal(escpos_decode(out, out_len, &d2), 0);
	assert_int_equal(cairo_image_surface_get_height(d1), cairo_image_surface_get_height(d2));
	assert_same_image(d1, d2);
	cairo_surface_destroy(d1);
	cairo_surface_destroy(d2);
	free(in);
	free(out);
	cairo_surface_destroy(s);
}

static void test_cut_forms(void **state)
{
	static const uint8_t feed_cut[] = {0x1d, 'V', 66, 0};
	static const uint8_t full_cut[] = {0x1d, 'V', 65, 0};
	cairo_surface_t *s = image(576, 100), *d = NULL;
	struct escpos_quirks q = *escpos_quirks_lookup(0, 0);
	uint8_t *in = NULL, *out = NULL;
	size_t in_len, out_len;
	int plain_height;

	(void)state;
	assert_int_equal(escpos_encode_raster(s, &in, &in_len), 0);
	assert_true(contains(in, in_len, feed_cut, sizeof(feed_cut)));

	q.cut = ESCPOS_CUT_FEED_FULL;
	assert_int_equal(escpos_quirks_apply(&q, in, in_len, &out, &out_len), 0);
	assert_true(contains(out, out_len, full_cut, sizeof(full_cut)));
	assert_false(contains(out, out_len, feed_cut, sizeof(feed_cut)));
	assert_int_equal(out_len, in_len);
	free(out);

	q.cut = ESCPOS_CUT_NONE;
	q.extra_feed_dots = 0;
	assert_int_equal(escpos_quirks_apply(&q, in, in_len, &out, &out_len), 0);
	assert_int_equal(out_len, in_len - sizeof(feed_cut));
	assert_int_equal(escpos_decode(out, out_len, &d), 0);
	plain_height = cairo_image_surface_get_height(d);
	cairo_surface_destroy(d);
	free(out);

	/* 300 dots of feed before a plain cut: ESC J 255, ESC J 45. */
	q.cut = ESCPOS_CUT_PARTIAL;
	q.extra_feed_dots = 300;
	assert_int_equal(escpos_quirks_apply(&q, in, in_len, &out, &out_len), 0);
	assert_true(contains(out, out_len, "\x1bJ\xff\x1bJ\x2d\x1dV\x01", 9));
	assert_int_equal(escpos_decode(out, out_len, &d), 0);
	assert_int_equal(cairo_image_surface_get_height(d), plain_height + 300);
	cairo_surface_destroy(d);
	free(out);
	free(in);
	cairo_surface_destroy(s);
}

static void test_refusals(void **state)
{
	const struct escpos_quirks *q = escpos_quirks_lookup(0, 0);
	struct escpos_quirks bad = *q;
	uint8_t *out = (uint8_t *)0x1;
	size_t out_len = 7;

	(void)state;
	/* Text, a truncated raster, an unknown cut form, a lone ESC. */
	assert_int_equal(escpos_quirks_apply(q, (const uint8_t *)"\x1b@hi", 4, &out, &out_len),
			 -EBADMSG);
	assert_int_equal(escpos_quirks_apply(q, (const uint8_t *)"\x1dv0\x00\x01\x00\x02\x00\xff",
					     9, &out, &out_len),
			 -EBADMSG);
	assert_int_equal(escpos_quirks_apply(q, (const uint8_t *)"\x1dV\x07", 3, &out, &out_len),
			 -EBADMSG);
	assert_int_equal(escpos_quirks_apply(q, (const uint8_t *)"\x1b", 1, &out, &out_len),
			 -EBADMSG);
	bad.max_band_rows = 0;
	assert_int_equal(escpos_quirks_apply(&bad, (const uint8_t *)"\x1b@", 2, &out, &out_len),
			 -EINVAL);
	assert_int_equal(escpos_quirks_apply(NULL, (const uint8_t *)"\x1b@", 2, &out, &out_len),
			 -EINVAL);
	assert_ptr_equal(out, (uint8_t *)0x1);
	assert_int_equal(out_len, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_default_is_identity),
		cmocka_unit_test(test_rebands_same_image),
		cmocka_unit_test(test_cut_forms),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
