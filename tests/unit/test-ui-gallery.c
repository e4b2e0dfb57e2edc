/* SPDX-License-Identifier: MIT */
/*
 * The screen gallery behind the golden images: its list of screens, the
 * sample sessions, and the greyscale PNG write/read/compare helpers the
 * golden check relies on (a check that cannot see a difference would pass
 * everything).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gallery.h"
#include "ui.h"

static void test_names(void **state)
{
	size_t n = ui_gallery_count();
	bool errors[_SESSION_ERROR_MAX] = {false};

	(void)state;
	assert_true(n >= 30);
	assert_null(ui_gallery_name(n));
	assert_int_equal(ui_gallery_find("no-such-screen"), -ENOENT);
	assert_int_equal(ui_gallery_find(NULL), -ENOENT);
	for (size_t i = 0; i < n; i++) {
		const char *name = ui_gallery_name(i);
		struct session s;

		assert_non_null(name);
		assert_int_equal(ui_gallery_find(name), (int)i);
		/* File-name safe: lower case, digits and dashes. */
		assert_int_equal(strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-"),
				 strlen(name));
		assert_int_equal(ui_gallery_session(i, true, &s), 0);
		assert_true(s.personal.english);
		assert_int_equal(ui_gallery_session(i, false, &s), 0);
		assert_false(s.personal.english);
		assert_true(s.state >= 0 && s.state < _SESSION_STATE_MAX);
		if (s.state == SESSION_ERROR)
			errors[s.error] = true;
	}
	/* Every error of the state machine has its screen. */
	for (int e = SESSION_ERROR_NONE + 1; e < _SESSION_ERROR_MAX; e++)
		if (!errors[e])
			fail_msg("no gallery screen for %s", session_error_to_string(e));
	assert_int_equal(ui_gallery_session(n, false, &(struct session){0}), -EINVAL);
}

static void render(size_t i, int w, int h, bool english, struct ui_gray *ret)
{
	cairo_surface_t *surf = NULL;

	assert_int_equal(ui_gallery_render(i, w, h, english, &surf), 0);
	assert_int_equal(cairo_image_surface_get_width(surf), w);
	assert_int_equal(cairo_image_surface_get_height(surf), h);
	assert_int_equal(ui_gray_from_surface(surf, ret), 0);
	cairo_surface_destroy(surf);
}

static size_t differing(const struct ui_gray *a, const struct ui_gray *b)
{
	struct ui_gray_diff d;

	assert_int_equal(ui_gray_compare(a, b, 64, &d, NULL), 0);
	return d.differing;
}

/* Each screen looks like itself: rendering twice gives the same pixels,
 * and no two screens (nor the two languages) share an image. */
static void test_screens_distinct(void **state)
{
	size_t n = ui_gallery_count();
	struct ui_gray *img = calloc(n, sizeof(*img));
	struct ui_gray again = {0}, en = {0};
	cairo_surface_t *surf = NULL;

	(void)state;
	assert_non_null(img);
	for (size_t i = 0; i < n; i++)
		render(i, 640, 400, false, &img[i]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (differing(&img[i], &img[j]) < 50)
				fail_msg("%s and %s look the same", ui_gallery_name(i),
					 ui_gallery_name(j));
	render(0, 640, 400, false, &again);
	assert_int_equal(memcmp(again.pixels, img[0].pixels, 640 * 400), 0);
	render(0, 640, 400, true, &en);
	assert_true(differing(&img[0], &en) > 50);
	for (size_t i = 0; i < n; i++)
		ui_gray_free(&img[i]);
	free(img);
	ui_gray_free(&again);
	ui_gray_free(&en);
	assert_int_equal(ui_gallery_render(n, 640, 400, false, &surf), -EINVAL);
	assert_int_equal(ui_gallery_render(0, 0, 400, false, &surf), -EINVAL);
	assert_null(surf);
}

static void test_png_round_trip(void **state)
{
	char path[] = "/tmp/test-ui-gallery.XXXXXX";
	struct ui_gray g = {0}, back = {0};
	int fd;

	(void)state;
	render((size_t)ui_gallery_find("status"), 320, 200, false, &g);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ui_gray_write_png(&g, path), 0);
	assert_int_equal(ui_gray_read_png(path, &back), 0);
	assert_int_equal(back.width, 320);
	assert_int_equal(back.height, 200);
	/* Stored as 16 levels: every pixel within half a step. */
	for (size_t i = 0; i < 320 * 200; i++) {
		int d = (int)g.pixels[i] - (int)back.pixels[i];
		if (d < -9 || d > 9)
			fail_msg("pixel %zu: %u became %u", i, g.pixels[i], back.pixels[i]);
	}
	ui_gray_free(&back);

	/* Not a PNG: refused; no file: -ENOENT. */
	{
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs("not a png\n", f);
		fclose(f);
	}
	assert_int_equal(ui_gray_read_png(path, &back), -EIO);
	unlink(path);
	assert_int_equal(ui_gray_read_png(path, &back), -ENOENT);
	assert_null(back.pixels);
	ui_gray_free(&g);
	ui_gray_free(NULL);
}

static void test_compare(void **state)
{
	uint8_t pa[100 * 50], pb[100 * 50], pc[50 * 100];
	struct ui_gray a = {100, 50, pa}, b = {100, 50, pb}, c = {50, 100, pc}, mask = {0};
	struct ui_gray_diff d;

	(void)state;
	for (size_t i = 0; i < sizeof(pa); i++)
		pa[i] = (uint8_t)(i * 7);
	memcpy(pb, pa, sizeof(pb));
	assert_int_equal(ui_gray_compare(&a, &b, 0, &d, NULL), 0);
	assert_int_equal(d.differing, 0);
	assert_int_equal(d.total, 5000);
	assert_int_equal(d.max_delta, 0);

	/* A 10x10 block moved by 100 levels, a few pixels by 20. */
	for (int y = 10; y < 20; y++)
		for (int x = 30; x < 40; x++)
			pb[y * 100 + x] = (uint8_t)(pa[y * 100 + x] > 127 ? pa[y * 100 + x] - 100
									  : pa[y * 100 + x] + 100);
	pb[0] = (uint8_t)(pa[0] + 20);
	pb[4999] = (uint8_t)(pa[4999] - 20);
	assert_int_equal(ui_gray_compare(&a, &b, 64, &d, &mask), 0);
	assert_int_equal(d.differing, 100);
	assert_int_equal(d.max_delta, 100);
	assert_int_equal(mask.width, 100);
	assert_int_equal(mask.pixels[15 * 100 + 35], 0); /* marked */
	assert_true(mask.pixels[0] >= 160);		 /* below threshold */
	ui_gray_free(&mask);
	assert_int_equal(ui_gray_compare(&a, &b, 10, &d, NULL), 0);
	assert_int_equal(d.differing, 102);
	assert_int_equal(ui_gray_compare(&a, &c, 10, &d, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_screens_distinct),
		cmocka_unit_test(test_png_round_trip),
		cmocka_unit_test(test_compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
