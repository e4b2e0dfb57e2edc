/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "camera-preview.h"
#include "log.h"
#include "qr-source-camera.h"
#include "queue.h"

#define BACKOFF_MIN_MS	 100
#define BACKOFF_MAX_MS	 5000
#define IDLE_INTERVAL_MS 500
/* Sources without an fd (files) are read at about 30 frames a second. */
#define POLL_MS 33
/* The preview is refreshed at most about 15 times a second: smooth enough
 * to aim a phone, and a quarter of a 60 fps camera's scaling work. */
#define PREVIEW_INTERVAL_MS 66

struct cam_src {
	struct camera *cam;
	struct qr_scanner *scanner;
	struct station_queue *queue;
	struct camera_preview *preview; /* the source's, not owned here */
	pthread_t thread;
	bool started;
	atomic_bool stopping;
	atomic_bool active;
};

static const struct qr_source_ops camera_ops;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Sleeps up to ms in short steps; false when asked to stop meanwhile. */
static bool wait_or_stop(struct cam_src *c, int ms)
{
	while (ms > 0 && !atomic_load(&c->stopping)) {
		int step = ms < 50 ? ms : 50;

		sleep_ms(step);
		ms -= step;
	}
	return !atomic_load(&c->stopping);
}

static void push_state(struct cam_src *c, bool ok)
{
	struct station_event ev = {.type = STATION_EVENT_DEVICE_STATE};

	ev.device.device = SESSION_DEVICE_CAMERA;
	ev.device.state = ok ? SESSION_DEVICE_OK : SESSION_DEVICE_FAILED;
	(void)station_queue_push(c->queue, &ev);
}

static void *capture_main(void *arg)
{
	struct cam_src *c = arg;
	int backoff = BACKOFF_MIN_MS;
	bool open = false, failed = false, ended = false;
	int64_t last_submit = 0, last_preview = 0;

	while (!atomic_load(&c->stopping)) {
		struct camera_frame f;
		int fd, r;

		if (!open) {
			r = camera_open(c->cam);
			if (r == 0)
				r = camera_start(c->cam);
			if (r < 0) {
				camera_stop(c->cam);
				if (!failed) {
					log_warning("camera: cannot open: %s", camera_strerror(r));
					push_state(c, false);
				}
				failed = true;
				if (!wait_or_stop(c, backoff))
					break;
				backoff =
					backoff * 2 < BACKOFF_MAX_MS ? backoff * 2 : BACKOFF_MAX_MS;
				continue;
			}
			open = true;
			backoff = BACKOFF_MIN_MS;
			if (failed)
				push_state(c, true);
			failed = false;
		}
		if (ended) {
			/* A file source ran out: nothing more to show. */
			if (!wait_or_stop(c, 200))
				break;
			continue;
		}
		fd = camera_get_fd(c->cam);
		if (fd >= 0) {
			struct pollfd p = {.fd = fd, .events = POLLIN};

			r = poll(&p, 1, 200);
			if (r == 0)
				continue;
			if (r < 0 && errno != EINTR)
				r = -ENODEV;
		} else {
			sleep_ms(POLL_MS);
		}
		r = camera_read(c->cam, &f);
		if (r == -EAGAIN)
			continue;
		if (r == -ENODATA) {
			ended = true;
			continue;
		}
		if (r < 0) {
			/* Vanished or broken: close, report, reopen later. */
			camera_stop(c->cam);
			open = false;
			if (!failed)
				push_state(c, false);
			failed = true;
			if (!wait_or_stop(c, backoff))
				break;
			continue;
		}
		if (camera_preview_wanted(c->preview) &&
		    now_ms() - last_preview >= PREVIEW_INTERVAL_MS) {
			last_preview = now_ms();
			(void)camera_preview_put(c->preview, f.gray, f.width, f.height, f.stride);
		}
		if (!atomic_load(&c->active) && now_ms() - last_submit < IDLE_INTERVAL_MS)
			continue;
		last_submit = now_ms();
		(void)qr_scanner_submit(c->scanner, &f, false);
	}
	camera_stop(c->cam);
	return NULL;
}

static int camera_src_start(struct qr_source *s)
{
	struct cam_src *c = s->ctx;
	int r;

	if (c->started)
		return 0;
	r = qr_scanner_start(c->scanner, s->queue, s->keys);
	if (r < 0)
		return r;
	atomic_store(&c->stopping, false);
	r = -pthread_create(&c->thread, NULL, capture_main, c);
	if (r < 0) {
		qr_scanner_stop(c->scanner);
		return r;
	}
	c->started = true;
	return 0;
}

static void camera_src_stop(struct qr_source *s)
{
	struct cam_src *c = s->ctx;

	if (!c->started)
		return;
	atomic_store(&c->stopping, true);
	pthread_join(c->thread, NULL);
	qr_scanner_stop(c->scanner);
	c->started = false;
}

static int camera_src_set_active(struct qr_source *s, bool active)
{
	struct cam_src *c = s->ctx;

	atomic_store(&c->active, active);
	return 0;
}

static void camera_src_free_ctx(void *ctx)
{
	struct cam_src *c = ctx;

	if (!c)
		return;
	qr_scanner_free(c->scanner);
	camera_free(c->cam);
	free(c);
}

static const struct qr_source_ops camera_ops = {
	.name = "camera",
	.start = camera_src_start,
	.stop = camera_src_stop,
	.set_active = camera_src_set_active,
	.free_ctx = camera_src_free_ctx,
};

int qr_source_camera_new(struct station_queue *q, const struct qr_keyring *keys, struct camera *cam,
			 const struct qr_scanner_params *scan, struct qr_source **ret_source)
{
	struct qr_source *s = NULL;
	struct cam_src *c = NULL;
	int r;

	if (!q || !keys || !cam || !ret_source) {
		camera_free(cam);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	c = calloc(1, sizeof(*c));
	if (!s || !c) {
		r = -ENOMEM;
		goto fail;
	}
	r = qr_scanner_new(scan, &c->scanner);
	if (r < 0)
		goto fail;
	r = camera_preview_new(CAMERA_PREVIEW_MAX_SIDE, &c->preview);
	if (r < 0) {
		qr_scanner_free(c->scanner);
		goto fail;
	}
	c->cam = cam;
	c->queue = q;
	atomic_init(&c->stopping, false);
	atomic_init(&c->active, true);
	*s = (struct qr_source){
		.ops = &camera_ops, .ctx = c, .queue = q, .keys = keys, .preview = c->preview};
	*ret_source = s;
	return 0;
fail:
	camera_free(cam);
	free(c);
	free(s);
	return r;
}

int qr_source_camera_get_stats(struct qr_source *s, struct qr_scanner_stats *ret_stats)
{
	if (!s || s->ops != &camera_ops || !ret_stats)
		return -EINVAL;
	qr_scanner_get_stats(((struct cam_src *)s->ctx)->scanner, ret_stats);
	return 0;
}
