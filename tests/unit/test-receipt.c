/* SPDX-License-Identifier: MIT */
/*
 * Receipt layout: both paper widths render, the QR reads back (with zbar,
 * as a phone or the counter's scanner would), the personal data that
 * reaches the paper is only ever the masked form, and more applications
 * make a longer receipt.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zbar.h>

#include "escpos.h"
#include "qr-image.h"
#include "receipt.h"

#define REFERENCE "MPP-RCPT:TEST-STATION-07:42:1767225600"

static void add_app(struct session_lookup_result *r, const char *agency, const char *service,
		    enum session_stage stage, const char *next_step)
{
	struct session_app *a = &r->apps[r->n_apps];

	snprintf(a->id, sizeof(a->id), "APP-T-%03zu", r->n_apps);
	snprintf(a->agency, sizeof(a->agency), "%s", agency);
	snprintf(a->service, sizeof(a->service), "%s", service);
	a->stage = stage;
	snprintf(a->updated_at, sizeof(a->updated_at), "2026-01-%02zu", r->n_apps + 1);
	snprintf(a->next_step, sizeof(a->next_step), "%s", next_step);
	r->n_apps++;
}

static void lookup(struct session_lookup_result *r, size_t n_apps)
{
	static const char *const agencies[] = {"Disdukcapil", "BPJS Kesehatan", "Samsat",
					       "Kantor Pertanahan"};

	*r = (struct session_lookup_result){0};
	snprintf(r->holder_name, sizeof(r->holder_name), "Agus Salim Wibowo");
	snprintf(r->nik, sizeof(r->nik), "3578010101800003");
	for (size_t i = 0; i < n_apps; i++)
		add_app(r, agencies[i % 4], "Layanan uji coba dengan nama yang cukup panjang",
			(enum session_stage)(i % _SESSION_STAGE_MAX),
			i % 2 ? "Bawa dokumen asli ke loket 2 pada hari kerja." : "");
}

static struct receipt_info info_for(int width, bool english)
{
	return (struct receipt_info){
		.station_id = "TEST-STATION-07",
		.when = 1767225600, /* 2026-01-01 */
		.english = english,
		.reference = REFERENCE,
		.width_dots = width,
	};
}

/* The QR codes zbar finds on an RGB24 surface, as Y800 (8-bit grey). */
static int scan_qr(cairo_surface_t *s, char *text, size_t size)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *data;
	zbar_image_scanner_t *scanner;
	zbar_image_t *img;
	unsigned char *grey;
	int n;

	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	grey = malloc((size_t)w * (size_t)h);
	assert_non_null(grey);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t p;

			memcpy(&p, data + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
			grey[(size_t)y * (size_t)w + (size_t)x] =
				(unsigned char)((((p >> 16) & 0xff) * 299 +
						 ((p >> 8) & 0xff) * 587 + (p & 0xff) * 114) /
						1000);
		}
	scanner = zbar_image_scanner_create();
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, grey, (unsigned long)w * (unsigned long)h, NULL);
	n = zbar_scan_image(scanner, img);
	text[0] = '\0';
	if (n > 0) {
		const zbar_symbol_t *sym = zbar_image_first_symbol(img);

		snprintf(text, size, "%s", zbar_symbol_get_data(sym));
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(scanner);
	free(grey);
	return n;
}

static void check_width(int width, bool english)
{
	struct session_lookup_result r;
	struct receipt_info info = info_for(width, english);
	cairo_surface_t *s = NULL;
	char text[256];

	lookup(&r, 3);
	assert_int_equal(receipt_render(&info, &r, &s), 0);
	assert_non_null(s);
	assert_int_equal(cairo_image_surface_get_format(s), CAIRO_FORMAT_RGB24);
	assert_int_equal(cairo_image_surface_get_width(s), width);
	/* Header, 3 applications and a QR: well over the QR alone. */
	assert_true(cairo_image_surface_get_height(s) > 600);
	assert_int_equal(scan_qr(s, text, sizeof(text)), 1);
	assert_string_equal(text, REFERENCE);

	/* What the printer gets still scans after the 50 % threshold. */
	{
		uint8_t *buf = NULL;
		size_t len = 0;
		cairo_surface_t *d = NULL;

		assert_int_equal(escpos_encode_raster(s, &buf, &len), 0);
		assert_int_equal(escpos_decode(buf, len, &d), 0);
		assert_int_equal(scan_qr(d, text, sizeof(text)), 1);
		assert_string_equal(text, REFERENCE);
		cairo_surface_destroy(d);
		free(buf);
	}
	cairo_surface_destroy(s);
}

static void test_render_80mm(void **state)
{
	(void)state;
	check_width(RECEIPT_WIDTH_80MM, false);
	check_width(RECEIPT_WIDTH_80MM, true);
}

static void test_render_58mm(void **state)
{
	(void)state;
	check_width(RECEIPT_WIDTH_58MM, false);
	check_width(RECEIPT_WIDTH_58MM, true);
}

static bool same_pixels(cairo_surface_t *a, cairo_surface_t *b)
{
	int h = cairo_image_surface_get_height(a);

	if (cairo_image_surface_get_width(a) != cairo_image_surface_get_width(b) ||
	    h != cairo_image_surface_get_height(b))
		return false;
	cairo_surface_flush(a);
	cairo_surface_flush(b);
	return memcmp(cairo_image_surface_get_data(a), cairo_image_surface_get_data(b),
		      (size_t)cairo_image_surface_get_stride(a) * (size_t)h) == 0;
}

static cairo_surface_t *render_person(const char *name, const char *nik)
{
	struct session_lookup_result r;
	struct receipt_info info = info_for(RECEIPT_WIDTH_80MM, false);
	cairo_surface_t *s = NULL;

	lookup(&r, 2);
	snprintf(r.holder_name, sizeof(r.holder_name), "%s", name);
	snprintf(r.nik, sizeof(r.nik), "%s", nik);
	assert_int_equal(receipt_render(&info, &r, &s), 0);
	return s;
}

/* The hidden digits and the rest of the name cannot reach the paper: two
 * people whose masked forms agree get pixel-identical receipts, while
 * a difference in what the mask shows does change the receipt. */
static void test_only_masked_data(void **state)
{
	cairo_surface_t *a, *b, *c, *d;

	(void)state;
	a = render_person("Agus Salim Wibowo", "3578010101800003");
	b = render_person("Agus Sutrisno Wijaya", "3578999999990003");
	c = render_person("Agus Salim Wibowo", "3578010101800004");
	d = render_person("Budi Salim Wibowo", "3578010101800003");
	assert_true(same_pixels(a, b));
	assert_false(same_pixels(a, c)); /* last 4 digits are shown */
	assert_false(same_pixels(a, d)); /* first name is shown */
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);
	cairo_surface_destroy(c);
	cairo_surface_destroy(d);
}

static void test_height_grows(void **state)
{
	struct session_lookup_result r;
	struct receipt_info info = info_for(RECEIPT_WIDTH_80MM, false);
	int last = 0;
	size_t counts[] = {0, 1, 2, 5, SESSION_MAX_APPS};

	(void)state;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		cairo_surface_t *s = NULL;
		int h;

		lookup(&r, counts[i]);
		assert_int_equal(receipt_render(&info, &r, &s), 0);
		h = cairo_image_surface_get_height(s);
		assert_true(h > last);
		last = h;
		cairo_surface_destroy(s);
	}
	/* A long next step wraps onto more lines instead of being cut. */
	{
		cairo_surface_t *s1 = NULL, *s2 = NULL;

		lookup(&r, 1);
		assert_int_equal(receipt_render(&info, &r, &s1), 0);
		memset(r.apps[0].next_step, 'x', sizeof(r.apps[0].next_step) - 1);
		for (size_t k = 7; k < sizeof(r.apps[0].next_step) - 1; k += 8)
			r.apps[0].next_step[k] = ' ';
		r.apps[0].next_step[sizeof(r.apps[0].next_step) - 1] = '\0';
		assert_int_equal(receipt_render(&info, &r, &s2), 0);
		assert_true(cairo_image_surface_get_height(s2) >
			    cairo_image_surface_get_height(s1) + 3 * 20);
		cairo_surface_destroy(s1);
		cairo_surface_destroy(s2);
	}
}

static void test_language_and_hostile_text(void **state)
{
	struct session_lookup_result r;
	struct receipt_info id = info_for(RECEIPT_WIDTH_80MM, false);
	struct receipt_info en = info_for(RECEIPT_WIDTH_80MM, true);
	cairo_surface_t *a = NULL, *b = NULL;

	(void)state;
	lookup(&r, 2);
	assert_int_equal(receipt_render(&id, &r, &a), 0);
	assert_int_equal(receipt_render(&en, &r, &b), 0);
	assert_false(same_pixels(a, b));
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);

	/* Invalid UTF-8, markup-looking text, a stage out of range, fields
	 * filled to the last byte without a NUL, a bad date. */
	snprintf(r.apps[0].agency, sizeof(r.apps[0].agency), "Bad \xff\xfe utf8 <b>bold</b> &amp;");
	r.apps[0].stage = (enum session_stage)99;
	memset(r.apps[1].service, 'S', sizeof(r.apps[1].service));
	memset(r.apps[1].id, '9', sizeof(r.apps[1].id));
	snprintf(r.apps[1].updated_at, sizeof(r.apps[1].updated_at), "2026-13-45");
	memset(r.holder_name, 'N', sizeof(r.holder_name));
	memset(r.nik, '1', sizeof(r.nik));
	assert_int_equal(receipt_render(&id, &r, &a), 0);
	assert_true(cairo_image_surface_get_height(a) > 0);
	cairo_surface_destroy(a);
}

static void test_rejects(void **state)
{
	struct session_lookup_result r;
	struct receipt_info info = info_for(RECEIPT_WIDTH_80MM, false);
	cairo_surface_t *s = (cairo_surface_t *)0x1;
	char longref[4000];

	(void)state;
	lookup(&r, 1);
	assert_int_equal(receipt_render(NULL, &r, &s), -EINVAL);
	assert_int_equal(receipt_render(&info, NULL, &s), -EINVAL);
	assert_int_equal(receipt_render(&info, &r, NULL), -EINVAL);
	info.width_dots = 500;
	assert_int_equal(receipt_render(&info, &r, &s), -EINVAL);
	info.width_dots = RECEIPT_WIDTH_80MM;
	r.n_apps = SESSION_MAX_APPS + 1;
	assert_int_equal(receipt_render(&info, &r, &s), -EINVAL);
	r.n_apps = 1;
	memset(longref, 'R', sizeof(longref) - 1);
	longref[sizeof(longref) - 1] = '\0';
	info.reference = longref;
	assert_int_equal(receipt_render(&info, &r, &s), -ERANGE);
	assert_ptr_equal(s, (cairo_surface_t *)0x1);

	/* No reference: a receipt without a QR code. */
	info.reference = NULL;
	assert_int_equal(receipt_render(&info, &r, &s), 0);
	{
		char text[64];

		assert_true(scan_qr(s, text, sizeof(text)) <= 0);
	}
	cairo_surface_destroy(s);
}

static void test_stage_labels(void **state)
{
	(void)state;
	for (int lang = 0; lang < 2; lang++)
		for (int i = 0; i < _SESSION_STAGE_MAX; i++) {
			const char *label = receipt_stage_label((enum session_stage)i, lang);

			assert_non_null(label);
			assert_true(strlen(label) > 3);
			for (int j = 0; j < i; j++)
				assert_string_not_equal(
					label, receipt_stage_label((enum session_stage)j, lang));
		}
	assert_string_equal(receipt_stage_label(SESSION_STAGE_PROCESSING, false), "Diproses");
	assert_string_equal(receipt_stage_label(SESSION_STAGE_READY, false),
			    "Selesai - siap diambil");
	assert_string_equal(receipt_stage_label(_SESSION_STAGE_MAX, true), "?");
	assert_string_equal(receipt_stage_label(_SESSION_STAGE_INVALID, false), "?");
}

static void test_qr_image(void **state)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 300, 300);
	cairo_t *cr = cairo_create(s);
	char text[128];

	(void)state;
	/* Drawn over black: the quiet zone must come out white anyway. */
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_paint(cr);
	assert_int_equal(qr_image_draw(cr, "MPP1.test-payload", 10.5, 20.25, 270), 0);
	assert_int_equal(scan_qr(s, text, sizeof(text)), 1);
	assert_string_equal(text, "MPP1.test-payload");
	/* Too small for a dot per module, empty text. */
	assert_int_equal(qr_image_draw(cr, "MPP1.test-payload", 0, 0, 10), -EINVAL);
	assert_int_equal(qr_image_draw(cr, "", 0, 0, 100), -EINVAL);
	assert_int_equal(qr_image_draw(cr, NULL, 0, 0, 100), -EINVAL);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_80mm),
		cmocka_unit_test(test_render_58mm),
		cmocka_unit_test(test_only_masked_data),
		cmocka_unit_test(test_height_grows),
		cmocka_unit_test(test_language_and_hostile_text),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_stage_labels),
		cmocka_unit_test(test_qr_image),
	};

	/* Dates print in the station's local time: pin it. */
	setenv("TZ", "Asia/Jakarta", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
