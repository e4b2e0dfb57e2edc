/* SPDX-License-Identifier: MIT */
/*
 * The simulated QR camera (qr-source.h): payloads are given as text, or as
 * image files (PNG, JPEG, PGM) decoded in the calling thread by the
 * camera's own scanner code (qr-scanner.h: downscale, retries). The
 * verdict is reached and pushed on the sim's own worker thread, as the
 * camera's thread would, with the queue held from the scripting call until
 * the event is in.
 *
 * Scripting calls return -ESHUTDOWN before qr_source_start() and after the
 * source stopped, -ENODEV while the camera is unplugged.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "camera.h"
#include "qr-scanner.h"
#include "qr-source.h"
#include "queue.h"
#include "worker.h"

/* One byte beyond the longest token: enough for the verdict to say
 * "too long" without keeping the rest. */
#define TEXT_MAX (SESSION_TOKEN_MAX + 1)

struct sim {
	pthread_mutex_t lock;
	struct worker *worker; /* NULL unless started */
	bool plugged;
	struct qr_scanner *scanner; /* decodes show_file's images */
};

struct job {
	struct station_queue *queue;
	const struct qr_keyring *keys;
	bool delivered;
	bool is_state; /* a DEVICE_STATE rather than a payload to verify */
	enum session_device_state state;
	size_t len;
	char text[TEXT_MAX + 1];
};

static const struct qr_source_ops sim_ops;

static void job_run(void *arg)
{
	struct job *j = arg;
	struct station_event ev = {0};

	if (j->is_state) {
		ev.type = STATION_EVENT_DEVICE_STATE;
		ev.device.device = SESSION_DEVICE_CAMERA;
		ev.device.state = j->state;
	} else {
		struct qr_token t;
		enum qr_verdict v =
			qr_token_verify(j->text, j->len, j->keys, (int64_t)time(NULL), &t);

		if (v == QR_VALID) {
			ev.type = STATION_EVENT_QR_TOKEN;
			/* A valid token is at most SESSION_TOKEN_MAX bytes. */
			memcpy(ev.qr.token, j->text, j->len);
			memcpy(ev.qr.application_id, t.application_id,
			       sizeof(ev.qr.application_id));
			memcpy(ev.qr.document_id, t.document_id, sizeof(ev.qr.document_id));
			sodium_memzero(&t, sizeof(t));
		} else {
			ev.type = STATION_EVENT_QR_REFUSED;
			ev.qr_refused = qr_verdict_to_error(v);
		}
	}
	/* A full queue drops and wipes the event; it counts the drop. */
	(void)station_queue_push(j->queue, &ev);
	j->delivered = true;
	station_queue_release(j->queue);
}

/* After job_run, or instead of it when the worker stopped first: then the
 * hold taken for the job is given back here. */
static void job_free(void *arg)
{
	struct job *j = arg;

	if (!j->delivered)
		station_queue_release(j->queue);
	sodium_memzero(j, sizeof(*j));
	free(j);
}

static struct sim *sim_of(struct qr_source *s)
{
	return s && s->ops == &sim_ops ? s->ctx : NULL;
}

/* Takes the lock, checks that the sim runs and (for payloads) is plugged,
 * and hands j to the worker; under the lock, so that jobs reach the worker
 * in the order their effects were decided. Consumes j. */
static int submit(struct qr_source *s, struct job *j)
{
	struct sim *sim = s->ctx;
	bool is_state = j->is_state;
	bool plugged = j->state == SESSION_DEVICE_OK;
	int r = 0;

	pthread_mutex_lock(&sim->lock);
	if (!sim->worker)
		r = -ESHUTDOWN;
	else if (!is_state && !sim->plugged)
		r = -ENODEV;
	else if (is_state && sim->plugged == plugged)
		r = 1; /* no change, nothing to push */
	if (r != 0) {
		pthread_mutex_unlock(&sim->lock);
		j->delivered = true; /* nothing held */
		job_free(j);
		return r < 0 ? r : 0;
	}
	station_queue_hold(j->queue);
	/* j belongs to the worker from here (freed even on failure). */
	r = worker_submit(sim->worker, job_run, j, job_free);
	if (r >= 0 && is_state)
		sim->plugged = plugged;
	pthread_mutex_unlock(&sim->lock);
	return r;
}

static struct job *job_new(struct qr_source *s)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j) {
		j->queue = s->queue;
		j->keys = s->keys;
	}
	return j;
}

/* The verdict on payload follows as QR_TOKEN or QR_REFUSED. 0, or
 * -EINVAL, -ENOMEM, -ENODEV (unplugged), -ESHUTDOWN (not running). Any
 * thread; does not block. */
int qr_source_sim_show_text(struct qr_source *s, const char *payload)
{
	struct job *j;

	if (!sim_of(s) || !payload)
		return -EINVAL;
	j = job_new(s);
	if (!j)
		return -ENOMEM;
	j->len = strnlen(payload, TEXT_MAX);
	memcpy(j->text, payload, j->len);
	return submit(s, j);
}

/* Decodes the image in the calling thread (blocks for that), then as
 * qr_source_sim_show_text() with its first QR code. -ENOMSG: no QR code in
 * it, nothing pushed; also camera_load_image()'s and
 * qr_scanner_decode()'s errors. */
int qr_source_sim_show_file(struct qr_source *s, const char *path)
{
	struct sim *sim = sim_of(s);
	struct job *j;
	uint8_t *gray = NULL;
	size_t len = 0;
	int w, h, r;

	if (!sim || !path)
		return -EINVAL;
	j = job_new(s);
	if (!j)
		return -ENOMEM;
	r = camera_load_image(path, &gray, &w, &h);
	if (r == 0) {
		/* A still image: every retry at once, as `station scan`. */
		r = qr_scanner_decode(sim->scanner, gray, w, h, w, true, j->text, sizeof(j->text),
				      &len);
		free(gray);
	}
	if (r < 0) {
		j->delivered = true;
		job_free(j);
		return r;
	}
	/* A longer code was cut to TEXT_MAX bytes: still too long for the
	 * verdict, which is what it should say. */
	j->len = len < TEXT_MAX ? len : TEXT_MAX;
	return submit(s, j);
}

/* Unplug (false) / replug (true): DEVICE_STATE CAMERA FAILED / OK; the
 * state it already has pushes nothing. */
int qr_source_sim_set_plugged(struct qr_source *s, bool plugged)
{
	struct job *j;

	if (!sim_of(s))
		return -EINVAL;
	j = job_new(s);
	if (!j)
		return -ENOMEM;
	j->is_state = true;
	j->state = plugged ? SESSION_DEVICE_OK : SESSION_DEVICE_FAILED;
	return submit(s, j);
}

static int sim_start(struct qr_source *s)
{
	struct sim *sim = s->ctx;
	int r = 0;

	pthread_mutex_lock(&sim->lock);
	if (!sim->worker)
		r = worker_new("qr-sim", &sim->worker);
	pthread_mutex_unlock(&sim->lock);
	return r;
}

static void sim_stop(struct qr_source *s)
{
	struct sim *sim = s->ctx;
	struct worker *w;

	pthread_mutex_lock(&sim->lock);
	w = sim->worker;
	sim->worker = NULL;
	pthread_mutex_unlock(&sim->lock);
	worker_free(w);
}

static void sim_free_ctx(void *ctx)
{
	struct sim *sim = ctx;

	if (!sim)
		return;
	pthread_mutex_destroy(&sim->lock);
	qr_scanner_free(sim->scanner);
	free(sim);
}

static const struct qr_source_ops sim_ops = {
	.name = "sim",
	.start = sim_start,
	.stop = sim_stop,
	.set_active = NULL, /* always "scanning" */
	.free_ctx = sim_free_ctx,
};

/* Returns 0 and a plugged source (free with qr_source_free()), or -EINVAL
 * / -ENOMEM. keys must outlive the source. Any thread; does not block. */
int qr_source_sim_new(struct station_queue *q, const struct qr_keyring *keys,
		      struct qr_source **ret_source)
{
	struct qr_source *s;
	struct sim *sim;

	if (!q || !keys || !ret_source)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	sim = calloc(1, sizeof(*sim));
	if (!s || !sim || qr_scanner_new(NULL, &sim->scanner) < 0) {
		free(s);
		free(sim);
		return -ENOMEM;
	}
	pthread_mutex_init(&sim->lock, NULL);
	sim->plugged = true;
	*s = (struct qr_source){.ops = &sim_ops, .ctx = sim, .queue = q, .keys = keys};
	*ret_source = s;
	return 0;
}
