/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "queue.h"

struct station_queue {
	pthread_mutex_t lock;
	struct station_event *ring;
	unsigned capacity;
	unsigned head; /* next to pop */
	unsigned count;
	unsigned holds;
	bool signalled; /* the eventfd holds a wake-up not yet drained */
	int efd;
	station_queue_waker_t waker;
	void *waker_data;
	unsigned long pushed, dropped;
};

int station_queue_new(unsigned capacity, struct station_queue **ret_queue)
{
	struct station_queue *q;

	if (capacity == 0)
		return -EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->ring = calloc(capacity, sizeof(*q->ring));
	if (!q->ring) {
		free(q);
		return -ENOMEM;
	}
	q->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q->efd < 0) {
		int r = -errno;
		free(q->ring);
		free(q);
		return r;
	}
	pthread_mutex_init(&q->lock, NULL);
	q->capacity = capacity;
	*ret_queue = q;
	return 0;
}

struct station_queue *station_queue_free(struct station_queue *q)
{
	if (!q)
		return NULL;
	for (unsigned i = 0; i < q->count; i++)
		station_event_clear(&q->ring[(q->head + i) % q->capacity]);
	explicit_bzero(q->ring, sizeof(*q->ring) * q->capacity);
	free(q->ring);
	close(q->efd);
	pthread_mutex_destroy(&q->lock);
	free(q);
	return NULL;
}

/* Called with the lock held. Returns whether the waker must run. */
static bool signal_locked(struct station_queue *q)
{
	uint64_t one = 1;

	if (q->signalled)
		return false;
	q->signalled = true;
	/* Cannot fail short of a counter overflow, which one pending
	 * wake-up at a time rules out. */
	(void)!write(q->efd, &one, sizeof(one));
	return q->waker != NULL;
}

static void wake(struct station_queue *q, bool call)
{
	if (call)
		q->waker(q->waker_data);
}

int station_queue_push(struct station_queue *q, struct station_event *ev)
{
	bool call = false;
	int r = 0;

	pthread_mutex_lock(&q->lock);
	if (q->count == q->capacity) {
		q->dropped++;
		r = -ENOBUFS;
	} else {
		q->ring[(q->head + q->count) % q->capacity] = *ev;
		q->count++;
		q->pushed++;
		call = signal_locked(q);
	}
	pthread_mutex_unlock(&q->lock);

	if (r < 0)
		station_event_clear(ev);
	else
		/* The queue owns the payload now: forget it here. */
		explicit_bzero(ev, sizeof(*ev));
	wake(q, call);
	return r;
}

int station_queue_pop(struct station_queue *q, struct station_event *ret_ev)
{
	int r = 0;

	pthread_mutex_lock(&q->lock);
	if (q->count > 0) {
		struct station_event *slot = &q->ring[q->head];
		*ret_ev = *slot;
		explicit_bzero(slot, sizeof(*slot));
		q->head = (q->head + 1) % q->capacity;
		q->count--;
		r = 1;
	} else if (q->signalled) {
		uint64_t v;
		/* Empty: re-arm, so the next push wakes the owner again. */
		(void)!read(q->efd, &v, sizeof(v));
		q->signalled = false;
	}
	pthread_mutex_unlock(&q->lock);
	return r;
}

int station_queue_get_fd(const struct station_queue *q)
{
	return q->efd;
}

int station_queue_wait(struct station_queue *q, int timeout_ms)
{
	struct pollfd p = {.fd = q->efd, .events = POLLIN};
	bool waiting, quiescent;

	pthread_mutex_lock(&q->lock);
	waiting = q->count > 0;
	quiescent = q->count == 0 && q->holds == 0;
	pthread_mutex_unlock(&q->lock);
	if (waiting || quiescent)
		return waiting;
	if (poll(&p, 1, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	pthread_mutex_lock(&q->lock);
	waiting = q->count > 0;
	pthread_mutex_unlock(&q->lock);
	return waiting;
}

void station_queue_set_waker(struct station_queue *q, station_queue_waker_t waker, void *userdata)
{
	pthread_mutex_lock(&q->lock);
	q->waker = waker;
	q->waker_data = userdata;
	pthread_mutex_unlock(&q->lock);
}

void station_queue_hold(struct station_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->holds++;
	pthread_mutex_unlock(&q->lock);
}

void station_queue_release(struct station_queue *q)
{
	bool call = false;

	pthread_mutex_lock(&q->lock);
	if (q->holds > 0)
		q->holds--;
	if (q->holds == 0 && q->count == 0)
		call = signal_locked(q);
	pthread_mutex_unlock(&q->lock);
	wake(q, call);
}

bool station_queue_quiescent(struct station_queue *q)
{
	bool r;

	pthread_mutex_lock(&q->lock);
	r = q->count == 0 && q->holds == 0;
	pthread_mutex_unlock(&q->lock);
	return r;
}

unsigned long station_queue_pushed(struct station_queue *q)
{
	unsigned long r;

	pthread_mutex_lock(&q->lock);
	r = q->pushed;
	pthread_mutex_unlock(&q->lock);
	return r;
}

unsigned long station_queue_dropped(struct station_queue *q)
{
	unsigned long r;

	pthread_mutex_lock(&q->lock);
	r = q->dropped;
	pthread_mutex_unlock(&q->lock);
	return r;
}
