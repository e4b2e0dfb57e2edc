/* SPDX-License-Identifier: MIT */
/*
 * The camera preview handoff (devices/camera-preview.h): the scaling, the
 * newest-frame-wins exchange between a producer and the UI thread, the
 * wipe when the QR screen goes, and the camera QR source feeding it from
 * image files. Run under TSan too (tools/test --tsan).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "camera-preview.h"
#include "camera.h"
#include "qr-source-camera.h"
#include "queue.h"

static void test_fit(void **state)
{
	int w, h;

	(void)state;
	camera_preview_fit(1280, 720, 320, &w, &h);
	assert_int_equal(w, 320);
	assert_int_equal(h, 180);
	camera_preview_fit(720, 1280, 320, &w, &h);
	assert_int_equal(w, 180);
	assert_int_equal(h, 320);
	/* Never scaled up. */
	camera_preview_fit(100, 50, 320, &w, &h);
	assert_int_equal(w, 100);
	assert_int_equal(h, 50);
	/* A sliver stays at least a pixel. */
	camera_preview_fit(16000, 2, 320, &w, &h);
	assert_int_equal(w, 320);
	assert_int_equal(h, 1);
}

static void test_scale(void **state)
{
	/* 4x4 into 2x2: each output the rounded mean of a 2x2 block. */
	const uint8_t src[16] = {0, 10, 100, 100, 20, 30, 100, 101, 255, 255, 0, 1, 255, 254, 2, 3};
	uint8_t dst[2 * 4];
	/* 3 into 2: boxes [0,1) and [1,3). */
	const uint8_t row3[3] = {9, 10, 20};
	uint8_t out2[2];

	(void)state;
	memset(dst, 0xAA, sizeof(dst));
	assert_int_equal(camera_preview_scale(src, 4, 4, 4, dst, 2, 2, 4), 0);
	assert_int_equal(dst[0], 15);	/* (0+10+20+30)/4 */
	assert_int_equal(dst[1], 100);	/* (100+100+100+101)/4 = 100.25 */
	assert_int_equal(dst[4], 255);	/* (255+255+255+254)/4 = 254.75 */
	assert_int_equal(dst[5], 2);	/* (0+1+2+3)/4 = 1.5, rounded up */
	assert_int_equal(dst[2], 0xAA); /* padding untouched */
	assert_int_equal(camera_preview_scale(row3, 3, 1, 3, out2, 2, 1, 2), 0);
	assert_int_equal(out2[0], 9);
	assert_int_equal(out2[1], 15);
	/* Up-scaling and bad strides are refused. */
	assert_int_equal(camera_preview_scale(src, 4, 4, 4, dst, 5, 2, 8), -EINVAL);
	assert_int_equal(camera_preview_scale(src, 4, 4, 3, dst, 2, 2, 4), -EINVAL);
	assert_int_equal(camera_preview_scale(NULL, 4, 4, 4, dst, 2, 2, 4), -EINVAL);
}

static void test_handoff(void **state)
{
	struct camera_preview *p = NULL;
	struct camera_preview_image img;
	uint8_t frame[640 * 480];

	(void)state;
	assert_int_equal(camera_preview_new(0, &p), -EINVAL);
	assert_int_equal(camera_preview_new(CAMERA_PREVIEW_MAX_SIDE + 1, &p), -EINVAL);
	assert_int_equal(camera_preview_new(160, &p), 0);
	memset(frame, 200, sizeof(frame));

	/* Off at first: frames are dropped, nothing to take. */
	assert_false(camera_preview_wanted(p));
	assert_int_equal(camera_preview_put(p, frame, 640, 480, 640), 0);
	assert_false(camera_preview_take(p, &img));

	camera_preview_enable(p, true);
	assert_true(camera_preview_wanted(p));
	assert_int_equal(camera_preview_put(p, frame, 640, 480, 639), -EINVAL);
	assert_int_equal(camera_preview_put(p, frame, 640, 480, 640), 1);
	assert_true(camera_preview_take(p, &img));
	assert_int_equal(img.width, 160);
	assert_int_equal(img.height, 120);
	assert_int_equal(img.stride % 4, 0);
	assert_int_equal(img.gray[0], 200);
	assert_int_equal(img.gray[(size_t)119 * img.stride + 159], 200);
	assert_int_equal(img.sequence, 1);
	/* Taken once: nothing new until the next put. */
	assert_false(camera_preview_take(p, &img));

	/* Two puts before a take: the newest wins. */
	memset(frame, 10, sizeof(frame));
	assert_int_equal(camera_preview_put(p, frame, 640, 480, 640), 1);
	memset(frame, 20, sizeof(frame));
	assert_int_equal(camera_preview_put(p, frame, 640, 480, 640), 1);
	assert_true(camera_preview_take(p, &img));
	assert_int_equal(img.sequence, 3);
	assert_int_equal(img.gray[0], 20);

	/* Off wipes what is held, taken or not, and drops what comes. */
	assert_int_equal(camera_preview_put(p, frame, 640, 480, 640), 1);
	camera_preview_enable(p, false);
	assert_int_equal(img.gray[0], 0); /* the consumer's buffer, wiped */
	assert_false(camera_preview_take(p, &img));
	assert_int_equal(camera_preview_put(p, frame, 640, 480, 640), 0);
	camera_preview_enable(p, true);
	assert_false(camera_preview_take(p, &img)); /* nothing from before */
	assert_int_equal(camera_preview_put(p, frame, 640, 480, 640), 1);
	assert_true(camera_preview_take(p, &img));
	assert_int_equal(img.gray[0], 20);
	camera_preview_free(p);
	assert_null(camera_preview_free(NULL));
}

/* A producer thread puts frames whose every pixel is its sequence number
 * (mod 256) while the UI side takes: each picture taken must be whole
 * (one value throughout: no torn frame) and newer than the last. */
struct producer {
	struct camera_preview *p;
	atomic_int wakes;
	int frames;
};

static void on_wake(void *userdata)
{
	struct producer *pr = userdata;

	atomic_fetch_add(&pr->wakes, 1);
}

static void *produce(void *arg)
{
	struct producer *pr = arg;
	static uint8_t frame[320 * 240];

	for (int i = 1; i <= pr->frames; i++) {
		memset(frame, i & 0xFF, sizeof(frame));
		assert_int_equal(camera_preview_put(pr->p, frame, 320, 240, 320), 1);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct producer pr = {.frames = 2000};
	struct camera_preview_image img;
	pthread_t t;
	uint64_t last = 0;
	unsigned taken = 0;

	(void)state;
	assert_int_equal(camera_preview_new(64, &pr.p), 0);
	atomic_init(&pr.wakes, 0);
	camera_preview_set_waker(pr.p, on_wake, &pr);
	camera_preview_enable(pr.p, true);
	assert_int_equal(pthread_create(&t, NULL, produce, &pr), 0);
	while (last < (uint64_t)pr.frames) {
		if (!camera_preview_take(pr.p, &img)) {
			sched_yield();
			continue;
		}
		assert_true(img.sequence > last);
		last = img.sequence;
		for (int y = 0; y < img.height; y++)
			for (int x = 0; x < img.width; x++)
				assert_int_equal(img.gray[(size_t)y * img.stride + x],
						 img.sequence & 0xFF);
		taken++;
	}
	pthread_join(t, NULL);
	assert_true(taken >= 1);
	assert_int_equal(atomic_load(&pr.wakes), pr.frames);
	camera_preview_set_waker(pr.p, NULL, NULL);
	camera_preview_free(pr.p);
}

/* The camera QR source feeds its preview from the frames it reads (here
 * PGM files standing in for a camera), only while it is enabled. */
static void test_qr_source(void **state)
{
	char dir[] = "/tmp/test-preview.XXXXXX", path[64];
	struct station_queue *q = NULL;
	struct qr_keyring ring = {0};
	struct camera *cam = NULL;
	struct qr_source *s = NULL;
	struct camera_preview *p;
	struct camera_preview_image img = {0};
	bool got = false;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.pgm", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	/* 400x200: a left half black, a right half white. */
	fprintf(f, "P5 400 200 255\n");
	for (int y = 0; y < 200; y++)
		for (int x = 0; x < 400; x++)
			fputc(x < 200 ? 0 : 255, f);
	fclose(f);

	assert_int_equal(station_queue_new(64, &q), 0);
	assert_int_equal(camera_files_new(path, &cam), 0);
	/* One image, looped: a camera that never stops showing it. */
	assert_int_equal(camera_files_set_loop(cam, true), 0);
	assert_int_equal(camera_files_set_loop(NULL, true), -EINVAL);
	assert_int_equal(qr_source_camera_new(q, &ring, cam, NULL, &s), 0);
	p = qr_source_get_preview(s);
	assert_non_null(p);
	camera_preview_enable(p, true);
	assert_int_equal(qr_source_start(s), 0);
	for (int i = 0; i < 100 && !got; i++) {
		got = camera_preview_take(p, &img);
		if (!got)
			nanosleep(&(struct timespec){.tv_nsec = 50 * 1000000L}, NULL);
	}
	assert_true(got);
	assert_int_equal(img.width, 320);
	assert_int_equal(img.height, 160);
	assert_int_equal(img.gray[0], 0);
	assert_int_equal(img.gray[319], 255);
	/* The picture keeps coming: the one image again and again. */
	{
		uint64_t first = img.sequence;

		got = false;
		for (int i = 0; i < 100 && !got; i++) {
			got = camera_preview_take(p, &img);
			if (!got)
				nanosleep(&(struct timespec){.tv_nsec = 50 * 1000000L}, NULL);
		}
		assert_true(got);
		assert_true(img.sequence > first);
	}
	camera_preview_enable(p, false);
	assert_false(camera_preview_take(p, &img));
	s = qr_source_free(s);
	station_queue_free(q);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit),	  cmocka_unit_test(test_scale),
		cmocka_unit_test(test_handoff),	  cmocka_unit_test(test_threads),
		cmocka_unit_test(test_qr_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
