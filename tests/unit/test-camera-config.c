/* SPDX-License-Identifier: MIT */
/*
 * [camera] in station.conf reaching the devices: the V4L2 parameters and
 * the scanner's region of interest that `station run` uses
 * (demo_camera_params()), and the region really limiting what is decoded.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <qrencode.h>

#include "camera.h"
#include "config.h"
#include "demo.h"
#include "qr-scanner.h"

static const char conf[] = "[station]\nid = cam-1\n"
			   "[camera]\nbackend = v4l2\ndevice = /dev/video3\n"
			   "width = 1920\nheight = 1080\nfps = 15\nroi = 960,0,960,1080\n";

/* A 1920x1080 frame with one code, its top-left corner at (x, y). */
static uint8_t *frame_with_code(const char *text, int x, int y, int px)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	uint8_t *g = malloc(1920 * 1080);

	assert_non_null(q);
	assert_non_null(g);
	memset(g, 210, 1920 * 1080);
	for (int my = 0; my < q->width; my++)
		for (int mx = 0; mx < q->width; mx++)
			if (q->data[my * q->width + mx] & 1)
				for (int dy = 0; dy < px; dy++)
					memset(g + (size_t)(y + my * px + dy) * 1920 +
						       (size_t)(x + mx * px),
					       20, (size_t)px);
	QRcode_free(q);
	return g;
}

static void test_params(void **state)
{
	struct station_config c;
	struct config_errors errs;
	struct camera_v4l2_params v;
	struct qr_scanner_params p, def;

	(void)state;
	assert_int_equal(config_parse(conf, sizeof(conf) - 1, &c, &errs), 0);
	demo_camera_params(&c, &v, &p);
	assert_string_equal(v.device, "/dev/video3");
	assert_int_equal(v.width, 1920);
	assert_int_equal(v.height, 1080);
	assert_int_equal(v.fps, 15);
	assert_int_equal(p.roi_x, 960);
	assert_int_equal(p.roi_y, 0);
	assert_int_equal(p.roi_w, 960);
	assert_int_equal(p.roi_h, 1080);
	/* Everything else is the scanner's default. */
	qr_scanner_params_default(&def);
	assert_int_equal(p.debounce_ms, def.debounce_ms);
	assert_int_equal(p.downscale_min_width, def.downscale_min_width);
	assert_int_equal(p.finder_check, def.finder_check);

	/* Defaults: 1280x720 at 30, the whole frame. */
	config_defaults(&c);
	demo_camera_params(&c, &v, NULL);
	demo_camera_params(&c, NULL, &p);
	assert_int_equal(v.width, 1280);
	assert_int_equal(v.height, 720);
	assert_int_equal(v.fps, 30);
	assert_int_equal(p.roi_w, 0);
	assert_int_equal(p.roi_h, 0);
}

/* The configured region decides: a code in the left half is not seen with
 * roi = the right half, one in the right half is. */
static void test_roi_limits_decoding(void **state)
{
	struct station_config c;
	struct config_errors errs;
	struct qr_scanner_params p;
	struct qr_scanner *sc = NULL;
	char text[128];
	size_t len = 0;
	uint8_t *left = frame_with_code("https://example.org/left", 200, 300, 6);
	uint8_t *right = frame_with_code("https://example.org/right", 1300, 300, 6);

	(void)state;
	assert_int_equal(config_parse(conf, sizeof(conf) - 1, &c, &errs), 0);
	demo_camera_params(&c, NULL, &p);
	assert_int_equal(qr_scanner_new(&p, &sc), 0);
	assert_int_equal(
		qr_scanner_decode(sc, left, 1920, 1080, 1920, true, text, sizeof(text), &len),
		-ENOMSG);
	assert_int_equal(
		qr_scanner_decode(sc, right, 1920, 1080, 1920, true, text, sizeof(text), &len), 1);
	assert_string_equal(text, "https://example.org/right");
	qr_scanner_free(sc);

	/* Without a region both are found. */
	config_defaults(&c);
	demo_camera_params(&c, NULL, &p);
	assert_int_equal(qr_scanner_new(&p, &sc), 0);
	assert_int_equal(
		qr_scanner_decode(sc, left, 1920, 1080, 1920, true, text, sizeof(text), &len), 1);
	assert_string_equal(text, "https://example.org/left");
	qr_scanner_free(sc);
	free(left);
	free(right);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_roi_limits_decoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
