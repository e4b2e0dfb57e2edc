/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <cmocka.h>
#include <sodium.h>

#include "qr-decode.h"
#include "qr-source.h"
#include "queue.h"

struct fixture {
	char dir[64];
	uint8_t pk[32], sk[64];
	struct qr_key key;
	struct qr_keyring ring;
	struct station_queue *q;
	struct qr_source *s;
};

static int setup(void **state)
{
	static struct fixture f;
	uint8_t seed[32];

	memset(&f, 0, sizeof(f));
	assert_true(sodium_init() >= 0);
	memset(seed, 0x42, sizeof(seed));
	crypto_sign_seed_keypair(f.pk, f.sk, seed);
	snprintf(f.key.id, sizeof(f.key.id), "test-1");
	memcpy(f.key.public_key, f.pk, sizeof(f.pk));
	f.ring = (struct qr_keyring){.n = 1, .keys = &f.key, .clock_skew_s = 60};
	snprintf(f.dir, sizeof(f.dir), "/tmp/test-qr-sim.XXXXXX");
	assert_non_null(mkdtemp(f.dir));
	assert_int_equal(station_queue_new(64, &f.q), 0);
	assert_int_equal(qr_source_sim_new(f.q, &f.ring, &f.s), 0);
	assert_int_equal(qr_source_start(f.s), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	assert_null(qr_source_free(f->s));
	station_queue_free(f->q);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Every event until the queue is quiescent; fails after 10 s. */
static size_t drain(struct station_queue *q, struct station_event *evs, size_t max)
{
	int64_t deadline = now_ms() + 10000;
	size_t n = 0;

	for (;;) {
		struct station_event ev;
		while (station_queue_pop(q, &ev) == 1) {
			assert_true(n < max);
			evs[n++] = ev;
		}
		if (station_queue_quiescent(q))
			return n;
		assert_true(now_ms() < deadline);
		assert_true(station_queue_wait(q, 1000) >= 0);
	}
}

static void issue(struct fixture *f, const char *app, int64_t exp, char *buf, size_t size)
{
	struct qr_token t = {.version = 1, .expires = exp};

	snprintf(t.application_id, sizeof(t.application_id), "%s", app);
	snprintf(t.document_id, sizeof(t.document_id), "DOC-%s", app);
	snprintf(t.nonce, sizeof(t.nonce), "abcdefgh12345678");
	snprintf(t.key_id, sizeof(t.key_id), "%s", f->key.id);
	assert_true(qr_token_issue(&t, f->sk, buf, size) > 0);
}

/* One event expected from the last scripting call. */
static struct station_event one_event(struct fixture *f)
{
	struct station_event evs[4];

	assert_int_equal(drain(f->q, evs, 4), 1);
	return evs[0];
}

static void test_text_valid(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_MAX + 1];
	struct station_event ev;

	issue(f, "APP-1", (int64_t)time(NULL) + 3600, token, sizeof(token));
	assert_int_equal(qr_source_sim_show_text(f->s, token), 0);
	assert_false(station_queue_quiescent(f->q)); /* held until pushed */
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_QR_TOKEN);
	assert_string_equal(ev.qr.token, token);
	assert_string_equal(ev.qr.application_id, "APP-1");
	assert_string_equal(ev.qr.document_id, "DOC-APP-1");
	station_event_clear(&ev);
}

static void test_text_refused(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_MAX + 1], big[SESSION_TOKEN_MAX * 2];
	struct station_event ev;

	/* Expired beyond the 60 s allowance. */
	issue(f, "APP-2", (int64_t)time(NULL) - 3600, token, sizeof(token));
	assert_int_equal(qr_source_sim_show_text(f->s, token), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_QR_REFUSED);
	assert_int_equal(ev.qr_refused, SESSION_ERROR_QR_EXPIRED);

	/* Forged: last signature character before the end changed. */
	issue(f, "APP-3", (int64_t)time(NULL) + 3600, token, sizeof(token));
	size_t at = strlen(token) - 5;
	token[at] = token[at] == 'x' ? 'y' : 'x';
	assert_int_equal(qr_source_sim_show_text(f->s, token), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_QR_REFUSED);
	assert_int_equal(ev.qr_refused, SESSION_ERROR_QR_INVALID);

	assert_int_equal(qr_source_sim_show_text(f->s, "https://example.org/promo"), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_QR_REFUSED);
	assert_int_equal(ev.qr_refused, SESSION_ERROR_QR_NOT_MPP);

	assert_int_equal(qr_source_sim_show_text(f->s, "MPP1.garbage"), 0);
	ev = one_event(f);
	assert_int_equal(ev.qr_refused, SESSION_ERROR_QR_INVALID);

	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "MPP1.", 5);
	assert_int_equal(qr_source_sim_show_text(f->s, big), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_QR_REFUSED);
	assert_int_equal(ev.qr_refused, SESSION_ERROR_QR_INVALID);
	assert_int_equal(qr_source_sim_show_text(f->s, NULL), -EINVAL);
}

static void qrencode(const struct fixture *f, const char *name, const char *text, char *path,
		     size_t size)
{
	char cmd[1024];

	snprintf(path, size, "%s/%s", f->dir, name);
	/* text is base64url, dots and URL characters only: safe in quotes. */
	assert_null(strchr(text, '\''));
	snprintf(cmd, sizeof(cmd), "qrencode -s 6 -o '%s' '%s'", path, text);
	assert_int_equal(system(cmd), 0);
}

static void test_file(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_MAX + 1], path[256];
	struct station_event ev;

	issue(f, "APP-2026-000777", (int64_t)time(NULL) + 3600, token, sizeof(token));
	qrencode(f, "good.png", token, path, sizeof(path));
	assert_int_equal(qr_source_sim_show_file(f->s, path), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_QR_TOKEN);
	assert_string_equal(ev.qr.token, token);
	assert_string_equal(ev.qr.application_id, "APP-2026-000777");
	station_event_clear(&ev);

	qrencode(f, "url.png", "https://mpp.go.id/", path, sizeof(path));
	assert_int_equal(qr_source_sim_show_file(f->s, path), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_QR_REFUSED);
	assert_int_equal(ev.qr_refused, SESSION_ERROR_QR_NOT_MPP);
}

static void write_blank_png(const char *path)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 320, 240);
	cairo_t *cr = cairo_create(s);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_rectangle(cr, 40, 40, 100, 60);
	cairo_fill(cr);
	cairo_destroy(cr);
	assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

static void test_file_no_code(void **state)
{
	struct fixture *f = *state;
	char path[256];
	unsigned long pushed = station_queue_pushed(f->q);

	snprintf(path, sizeof(path), "%s/blank.png", f->dir);
	write_blank_png(path);
	assert_int_equal(qr_source_sim_show_file(f->s, path), -ENOMSG);
	snprintf(path, sizeof(path), "%s/missing.png", f->dir);
	assert_int_equal(qr_source_sim_show_file(f->s, path), -ENOENT);
	/* Not a PNG. */
	snprintf(path, sizeof(path), "%s/text.png", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("not an image\n", fp);
	fclose(fp);
	assert_int_equal(qr_source_sim_show_file(f->s, path), -EIO);
	/* Nothing pushed, nothing held. */
	assert_true(station_queue_quiescent(f->q));
	assert_int_equal(station_queue_pushed(f->q), pushed);
}

static void test_decode_direct(void **state)
{
	struct fixture *f = *state;
	char path[256], text[16];
	size_t len = 0;
	const char *payload = "https://mpp.go.id/cek-status?nomor=12345";
	uint8_t blank[64 * 48];

	qrencode(f, "trunc.png", payload, path, sizeof(path));
	/* Cut like snprintf: the full length is still reported. */
	assert_int_equal(qr_decode_png(path, text, sizeof(text), &len), 1);
	assert_int_equal(len, strlen(payload));
	assert_int_equal(strlen(text), sizeof(text) - 1);
	assert_memory_equal(text, payload, sizeof(text) - 1);

	memset(blank, 0xff, sizeof(blank));
	assert_int_equal(qr_decode_gray(blank, 64, 48, 64, text, sizeof(text), &len), -ENOMSG);
	assert_int_equal(qr_decode_gray(blank, 64, 48, 63, text, sizeof(text), &len), -EINVAL);
	assert_int_equal(qr_decode_gray(blank, 0, 48, 64, text, sizeof(text), &len), -EINVAL);
	assert_int_equal(qr_decode_gray(blank, 64, 48, 64, text, 0, &len), -EINVAL);
	assert_int_equal(qr_decode_png(NULL, text, sizeof(text), &len), -EINVAL);
}

/* Rows padded (stride > width), as camera frames often are. */
static void test_decode_stride(void **state)
{
	struct fixture *f = *state;
	char path[256], text[128];
	size_t len = 0;
	cairo_surface_t *png;
	uint8_t *gray;
	int w, h, stride;

	qrencode(f, "stride.png", "MPP1.stride-test", path, sizeof(path));
	png = cairo_image_surface_create_from_png(path);
	assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
	w = cairo_image_surface_get_width(png);
	h = cairo_image_surface_get_height(png);
	stride = w + 13;
	gray = malloc((size_t)stride * (size_t)h);
	assert_non_null(gray);
	memset(gray, 0x00, (size_t)stride * (size_t)h); /* padding is black */
	cairo_surface_flush(png);
	const uint8_t *px = cairo_image_surface_get_data(png);
	int src_stride = cairo_image_surface_get_stride(png);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t p;
			memcpy(&p, px + (size_t)y * (size_t)src_stride + (size_t)x * 4, 4);
			gray[(size_t)y * (size_t)stride + (size_t)x] = (uint8_t)(p & 0xff);
		}
	assert_int_equal(qr_decode_gray(gray, w, h, stride, text, sizeof(text), &len), 1);
	assert_string_equal(text, "MPP1.stride-test");
	assert_int_equal(len, 16);
	free(gray);
	cairo_surface_destroy(png);
}

static void test_plug(void **state)
{
	struct fixture *f = *state;
	struct station_event ev;
	char token[SESSION_TOKEN_MAX + 1];

	assert_int_equal(qr_source_sim_set_plugged(f->s, false), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_DEVICE_STATE);
	assert_int_equal(ev.device.device, SESSION_DEVICE_CAMERA);
	assert_int_equal(ev.device.state, SESSION_DEVICE_FAILED);
	assert_int_equal(qr_source_sim_show_text(f->s, "MPP1.x.y"), -ENODEV);
	assert_int_equal(qr_source_sim_set_plugged(f->s, false), 0);
	assert_true(station_queue_quiescent(f->q));
	assert_int_equal(station_queue_pop(f->q, &ev), 0);

	assert_int_equal(qr_source_sim_set_plugged(f->s, true), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_DEVICE_STATE);
	assert_int_equal(ev.device.device, SESSION_DEVICE_CAMERA);
	assert_int_equal(ev.device.state, SESSION_DEVICE_OK);
	issue(f, "APP-9", (int64_t)time(NULL) + 60, token, sizeof(token));
	assert_int_equal(qr_source_sim_show_text(f->s, token), 0);
	ev = one_event(f);
	assert_int_equal(ev.type, STATION_EVENT_QR_TOKEN);
	station_event_clear(&ev);
	assert_int_equal(qr_source_set_active(f->s, true), 0); /* sim: no-op */
}

static void test_lifecycle(void **state)
{
	struct fixture *f = *state;
	struct station_queue *q;
	struct qr_source *s;
	struct station_event ev;

	assert_int_equal(station_queue_new(256, &q), 0);
	assert_int_equal(qr_source_sim_new(q, &f->ring, &s), 0);
	assert_int_equal(qr_source_sim_show_text(s, "hello"), -ESHUTDOWN);
	assert_int_equal(qr_source_start(s), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(qr_source_sim_show_text(s, "hello"), 0);
	/* Stopped with jobs queued: each gives its hold back. */
	assert_null(qr_source_free(s));
	while (station_queue_pop(q, &ev) == 1) {
		assert_int_equal(ev.type, STATION_EVENT_QR_REFUSED);
		station_event_clear(&ev);
	}
	assert_true(station_queue_quiescent(q));
	station_queue_free(q);
	assert_null(qr_source_free(NULL));
	assert_int_equal(qr_source_sim_new(q, NULL, &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_valid),    cmocka_unit_test(test_text_refused),
		cmocka_unit_test(test_file),	      cmocka_unit_test(test_file_no_code),
		cmocka_unit_test(test_decode_direct), cmocka_unit_test(test_decode_stride),
		cmocka_unit_test(test_plug),	      cmocka_unit_test(test_lifecycle),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
