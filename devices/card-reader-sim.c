/* SPDX-License-Identifier: MIT */
/*
 * The simulated card reader (card-reader.h): a scripted reader holding a
 * fixed set of cards. Scripting calls decide, under the sim's lock, what
 * happens and in which order; the events themselves are pushed by the
 * sim's own worker thread, as a real reader's thread would, with the queue
 * held from the scripting call until the last event is in.
 *
 * The e-KTP profile applies to simulated cards too: a NIK that does not
 * parse (nik.h) makes the read fail, as it would on a real card.
 *
 * Scripting calls return -ESHUTDOWN before card_reader_start() and after
 * the reader stopped, -ENODEV while it is unplugged.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "card-reader.h"
#include "nik.h"
#include "queue.h"
#include "worker.h"

#define BATCH_MAX 3

struct sim {
	pthread_mutex_t lock;
	struct worker *worker; /* NULL unless started */
	const struct card_sim_card *cards;
	size_t n_cards;
	bool plugged;
	const struct card_sim_card *present; /* the card on the reader */
};

/* The events of one scripting call, pushed in order by the worker. */
struct batch {
	struct station_queue *queue;
	bool delivered;
	size_t n;
	struct station_event events[BATCH_MAX];
};

static const struct card_reader_ops sim_ops;

static void batch_deliver(void *arg)
{
	struct batch *b = arg;

	for (size_t i = 0; i < b->n; i++)
		/* A full queue drops (and wipes) the event; the queue counts
		 * it, nothing else to do from a device thread. */
		(void)station_queue_push(b->queue, &b->events[i]);
	b->delivered = true;
	station_queue_release(b->queue);
}

/* Runs after batch_deliver, or instead of it when the worker stopped
 * first: then the hold taken for the batch is given back here. */
static void batch_free(void *arg)
{
	struct batch *b = arg;

	if (!b->delivered)
		station_queue_release(b->queue);
	for (size_t i = 0; i < b->n; i++)
		station_event_clear(&b->events[i]);
	sodium_memzero(b, sizeof(*b));
	free(b);
}

static struct station_event *batch_add(struct batch *b, enum station_event_type type)
{
	struct station_event *ev = &b->events[b->n++];

	*ev = (struct station_event){.type = type};
	return ev;
}

/* Hands the batch to the worker; the queue is held from here until its
 * events are in. Called with the sim's lock held, so that batches reach
 * the worker in the order their effects were decided. Consumes b. */
static int batch_submit(struct sim *sim, struct batch *b)
{
	station_queue_hold(b->queue);
	return worker_submit(sim->worker, batch_deliver, b, batch_free);
}

/* Copies at most size - 1 bytes of src, not cutting a UTF-8 character. */
static void copy_utf8(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size) : 0;

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void read_card(const struct card_sim_card *c, struct batch *b)
{
	struct station_event *ev;

	if (c->kind == CARD_SIM_UNKNOWN || c->kind == CARD_SIM_UNREADABLE) {
		ev = batch_add(b, STATION_EVENT_CARD_FAILED);
		ev->card_error = c->kind == CARD_SIM_UNKNOWN ? SESSION_ERROR_CARD_UNKNOWN
							     : SESSION_ERROR_CARD_UNREADABLE;
		return;
	}
	/* No NIK is fine (no SAM: the backend identifies by UID); a wrong
	 * one means the identity file did not read right. */
	if (c->nik && c->nik[0] && !nik_valid(c->nik, NULL)) {
		ev = batch_add(b, STATION_EVENT_CARD_FAILED);
		ev->card_error = SESSION_ERROR_CARD_UNREADABLE;
		return;
	}
	ev = batch_add(b, STATION_EVENT_CARD_READ);
	ev->card.uid_len = c->uid_len < sizeof(ev->card.uid) ? c->uid_len : sizeof(ev->card.uid);
	memcpy(ev->card.uid, c->uid, ev->card.uid_len);
	copy_utf8(ev->card.nik, sizeof(ev->card.nik), c->nik);
	copy_utf8(ev->card.name, sizeof(ev->card.name), c->full_name);
}

static struct sim *sim_of(struct card_reader *r)
{
	return r && r->ops == &sim_ops ? r->ctx : NULL;
}

/* The lock is held; returns 0 if scripting may go on. */
static int check_running(const struct sim *sim)
{
	if (!sim->worker)
		return -ESHUTDOWN;
	if (!sim->plugged)
		return -ENODEV;
	return 0;
}

int card_reader_sim_tap(struct card_reader *r, const char *card_name)
{
	struct sim *sim = sim_of(r);
	const struct card_sim_card *card = NULL;
	struct batch *b;
	int ret;

	if (!sim || !card_name)
		return -EINVAL;
	pthread_mutex_lock(&sim->lock);
	for (size_t i = 0; i < sim->n_cards && !card; i++)
		if (sim->cards[i].name && strcmp(sim->cards[i].name, card_name) == 0)
			card = &sim->cards[i];
	ret = card ? check_running(sim) : -ENOENT;
	if (ret < 0)
		goto out;
	b = calloc(1, sizeof(*b));
	if (!b) {
		ret = -ENOMEM;
		goto out;
	}
	b->queue = r->queue;
	/* A new card on the reader means the previous one was taken away. */
	if (sim->present)
		batch_add(b, STATION_EVENT_CARD_REMOVED);
	batch_add(b, STATION_EVENT_CARD_INSERTED);
	read_card(card, b);
	ret = batch_submit(sim, b);
	if (ret >= 0)
		sim->present = card;
out:
	pthread_mutex_unlock(&sim->lock);
	return ret;
}

/* -ENOMEDIUM when no card is on the reader. */
int card_reader_sim_remove(struct card_reader *r)
{
	struct sim *sim = sim_of(r);
	struct batch *b;
	int ret;

	if (!sim)
		return -EINVAL;
	pthread_mutex_lock(&sim->lock);
	ret = check_running(sim);
	if (ret < 0)
		goto out;
	if (!sim->present) {
		ret = -ENOMEDIUM;
		goto out;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		ret = -ENOMEM;
		goto out;
	}
	b->queue = r->queue;
	batch_add(b, STATION_EVENT_CARD_REMOVED);
	ret = batch_submit(sim, b);
	if (ret >= 0)
		sim->present = NULL;
out:
	pthread_mutex_unlock(&sim->lock);
	return ret;
}

/* Setting the state it already has pushes nothing. */
int card_reader_sim_set_plugged(struct card_reader *r, bool plugged)
{
	struct sim *sim = sim_of(r);
	struct station_event *ev;
	struct batch *b;
	int ret = 0;

	if (!sim)
		return -EINVAL;
	pthread_mutex_lock(&sim->lock);
	if (!sim->worker) {
		ret = -ESHUTDOWN;
		goto out;
	}
	if (sim->plugged == plugged)
		goto out;
	b = calloc(1, sizeof(*b));
	if (!b) {
		ret = -ENOMEM;
		goto out;
	}
	b->queue = r->queue;
	/* The card goes with the reader. */
	if (!plugged && sim->present)
		batch_add(b, STATION_EVENT_CARD_REMOVED);
	ev = batch_add(b, STATION_EVENT_DEVICE_STATE);
	ev->device.device = SESSION_DEVICE_CARD_READER;
	ev->device.state = plugged ? SESSION_DEVICE_OK : SESSION_DEVICE_FAILED;
	ret = batch_submit(sim, b);
	if (ret >= 0) {
		sim->plugged = plugged;
		if (!plugged)
			sim->present = NULL;
	}
out:
	pthread_mutex_unlock(&sim->lock);
	return ret;
}

static int sim_start(struct card_reader *r)
{
	struct sim *sim = r->ctx;
	int ret = 0;

	pthread_mutex_lock(&sim->lock);
	if (!sim->worker)
		ret = worker_new("card-sim", &sim->worker);
	pthread_mutex_unlock(&sim->lock);
	return ret;
}

static void sim_stop(struct card_reader *r)
{
	struct sim *sim = r->ctx;
	struct worker *w;

	pthread_mutex_lock(&sim->lock);
	w = sim->worker;
	sim->worker = NULL;
	sim->present = NULL;
	pthread_mutex_unlock(&sim->lock);
	/* Outside the lock: the batch under way does not take it, but the
	 * join must not hold up scripting threads either. */
	worker_free(w);
}

static void sim_free_ctx(void *ctx)
{
	struct sim *sim = ctx;

	if (!sim)
		return;
	pthread_mutex_destroy(&sim->lock);
	free(sim);
}

static const struct card_reader_ops sim_ops = {
	.name = "sim",
	.start = sim_start,
	.stop = sim_stop,
	.free_ctx = sim_free_ctx,
};

/* Returns 0 and a reader (free with card_reader_free()) that is plugged
 * and empty, or -EINVAL / -ENOMEM. Any thread; does not block. */
int card_reader_sim_new(struct station_queue *q, const struct card_sim_card *cards, size_t n_cards,
			struct card_reader **ret_reader)
{
	struct card_reader *r;
	struct sim *sim;

	if (!q || (!cards && n_cards > 0) || !ret_reader)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	sim = calloc(1, sizeof(*sim));
	if (!r || !sim) {
		free(r);
		free(sim);
		return -ENOMEM;
	}
	pthread_mutex_init(&sim->lock, NULL);
	sim->cards = cards;
	sim->n_cards = n_cards;
	sim->plugged = true;
	*r = (struct card_reader){.ops = &sim_ops, .ctx = sim, .queue = q};
	*ret_reader = r;
	return 0;
}
