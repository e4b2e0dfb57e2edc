/* SPDX-License-Identifier: MIT */
/*
 * The event queue and the worker: ordering, capacity, wake-up coalescing,
 * quiescence, and many producers against one consumer (also run under
 * ThreadSanitizer by .ci/run).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "queue.h"
#include "worker.h"

static struct station_event touch_event(int index)
{
	struct station_event ev = {.type = STATION_EVENT_TOUCH,
				   .touch = {.button = SESSION_BUTTON_ANY, .index = index}};
	return ev;
}

static bool fd_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 1;
}

static void test_fifo_and_capacity(void **state)
{
	struct station_queue *q;
	struct station_event ev;

	assert_int_equal(station_queue_new(4, &q), 0);
	assert_int_equal(station_queue_pop(q, &ev), 0);
	for (int i = 0; i < 4; i++) {
		ev = touch_event(i);
		assert_int_equal(station_queue_push(q, &ev), 0);
	}
	ev = touch_event(99);
	assert_int_equal(station_queue_push(q, &ev), -ENOBUFS);
	assert_int_equal(station_queue_dropped(q), 1);
	assert_int_equal(station_queue_pushed(q), 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(station_queue_pop(q, &ev), 1);
		assert_int_equal(ev.type, STATION_EVENT_TOUCH);
		assert_int_equal(ev.touch.index, i);
	}
	assert_int_equal(station_queue_pop(q, &ev), 0);
	/* Wrap-around keeps the order. */
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 3; i++) {
			ev = touch_event(round * 10 + i);
			assert_int_equal(station_queue_push(q, &ev), 0);
		}
		for (int i = 0; i < 3; i++) {
			assert_int_equal(station_queue_pop(q, &ev), 1);
			assert_int_equal(ev.touch.index, round * 10 + i);
		}
	}
	station_queue_free(q);
}

static void test_owned_payload_freed(void **state)
{
	struct station_queue *q;
	struct station_event ev = {.type = STATION_EVENT_LOOKUP_DONE};

	assert_int_equal(station_queue_new(1, &q), 0);
	ev.lookup = calloc(1, sizeof(*ev.lookup));
	assert_non_null(ev.lookup);
	assert_int_equal(station_queue_push(q, &ev), 0);
	assert_null(ev.lookup); /* moved into the queue */
	/* Full: the payload of a refused event is freed (ASan checks). */
	ev.type = STATION_EVENT_LOOKUP_DONE;
	ev.lookup = calloc(1, sizeof(*ev.lookup));
	assert_int_equal(station_queue_push(q, &ev), -ENOBUFS);
	assert_null(ev.lookup);
	/* Freeing the queue frees what is still in it. */
	station_queue_free(q);
}

static void test_eventfd_wakeup(void **state)
{
	struct station_queue *q;
	struct station_event ev;
	int fd;

	assert_int_equal(station_queue_new(8, &q), 0);
	fd = station_queue_get_fd(q);
	assert_false(fd_readable(fd));
	ev = touch_event(1);
	station_queue_push(q, &ev);
	assert_true(fd_readable(fd));
	assert_int_equal(station_queue_pop(q, &ev), 1);
	/* Still readable until a pop finds the queue empty and re-arms. */
	assert_int_equal(station_queue_pop(q, &ev), 0);
	assert_false(fd_readable(fd));
	station_queue_free(q);
}

static void count_waker(void *userdata)
{
	(*(int *)userdata)++;
}

static void test_waker_coalesces(void **state)
{
	struct station_queue *q;
	struct station_event ev;
	int calls = 0;

	assert_int_equal(station_queue_new(256, &q), 0);
	station_queue_set_waker(q, count_waker, &calls);
	for (int i = 0; i < 100; i++) {
		ev = touch_event(i);
		station_queue_push(q, &ev);
	}
	assert_int_equal(calls, 1);
	while (station_queue_pop(q, &ev) > 0)
		;
	ev = touch_event(0);
	station_queue_push(q, &ev);
	assert_int_equal(calls, 2);
	station_queue_free(q);
}

static void test_hold_release_quiescent(void **state)
{
	struct station_queue *q;
	struct station_event ev;

	assert_int_equal(station_queue_new(8, &q), 0);
	assert_true(station_queue_quiescent(q));
	assert_int_equal(station_queue_wait(q, 1000), 0); /* quiescent: returns at once */
	station_queue_hold(q);
	assert_false(station_queue_quiescent(q));
	assert_int_equal(station_queue_wait(q, 10), 0); /* held, nothing came: timeout */
	ev = touch_event(7);
	station_queue_push(q, &ev);
	station_queue_release(q);
	assert_false(station_queue_quiescent(q));
	assert_int_equal(station_queue_wait(q, 1000), 1);
	assert_int_equal(station_queue_pop(q, &ev), 1);
	assert_true(station_queue_quiescent(q));
	station_queue_free(q);
}

/* ---- many producers, one consumer ---------------------------------------- */

#define PRODUCERS    4
#define PER_PRODUCER 20000

struct producer {
	struct station_queue *q;
	int id;
};

static void *produce(void *arg)
{
	struct producer *p = arg;

	for (int i = 0; i < PER_PRODUCER; i++) {
		for (;;) {
			struct station_event ev = {.type = STATION_EVENT_TOUCH,
						   .request = (unsigned)p->id,
						   .touch = {.index = i}};
			if (station_queue_push(p->q, &ev) == 0)
				break;
			sched_yield(); /* full: the consumer is behind */
		}
	}
	station_queue_release(p->q);
	return NULL;
}

static void test_many_producers(void **state)
{
	struct station_queue *q;
	pthread_t threads[PRODUCERS];
	struct producer prod[PRODUCERS];
	int next[PRODUCERS] = {0};
	long total = 0;

	assert_int_equal(station_queue_new(64, &q), 0);
	for (int i = 0; i < PRODUCERS; i++) {
		prod[i] = (struct producer){.q = q, .id = i};
		station_queue_hold(q);
		assert_int_equal(pthread_create(&threads[i], NULL, produce, &prod[i]), 0);
	}
	/* The consumer sleeps in poll() on the eventfd, as the owner does. */
	for (;;) {
		struct station_event ev;
		while (station_queue_pop(q, &ev) > 0) {
			assert_true(ev.request < PRODUCERS);
			/* Each producer's events arrive in its order. */
			assert_int_equal(ev.touch.index, next[ev.request]);
			next[ev.request]++;
			total++;
		}
		if (station_queue_quiescent(q))
			break;
		struct pollfd p = {.fd = station_queue_get_fd(q), .events = POLLIN};
		assert_true(poll(&p, 1, 10000) >= 0);
	}
	for (int i = 0; i < PRODUCERS; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(next[i], PER_PRODUCER);
	}
	assert_int_equal(total, (long)PRODUCERS * PER_PRODUCER);
	assert_int_equal(station_queue_pushed(q), (unsigned long)total);
	station_queue_free(q);
}

/* ---- worker ------------------------------------------------------------- */

struct tally {
	pthread_mutex_t lock;
	int ran, freed, last;
	bool in_order;
	struct worker *self; /* for the task that checks its thread */
};

struct job {
	int n;
	struct tally *t;
};

static void job_run(void *arg)
{
	struct job *j = arg;
	pthread_mutex_lock(&j->t->lock);
	if (j->n != j->t->last + 1)
		j->t->in_order = false;
	j->t->last = j->n;
	j->t->ran++;
	pthread_mutex_unlock(&j->t->lock);
}

static void job_free(void *arg)
{
	struct job *j = arg;
	pthread_mutex_lock(&j->t->lock);
	j->t->freed++;
	pthread_mutex_unlock(&j->t->lock);
	free(j);
}

static void test_worker_runs_in_order(void **state)
{
	struct worker *w;
	struct tally t = {.in_order = true};

	pthread_mutex_init(&t.lock, NULL);
	assert_int_equal(worker_new("test", &w), 0);
	for (int i = 1; i <= 1000; i++) {
		struct job *j = malloc(sizeof(*j));
		assert_non_null(j);
		*j = (struct job){.n = i, .t = &t};
		assert_int_equal(worker_submit(w, job_run, j, job_free), 0);
	}
	worker_free(w);
	/* Every task either ran or was dropped at stop; each freed once. */
	assert_int_equal(t.freed, 1000);
	assert_true(t.ran <= 1000);
	assert_true(t.in_order);
	assert_int_equal(t.last, t.ran);
	pthread_mutex_destroy(&t.lock);
}

static void gate_run(void *arg)
{
	struct station_queue *q = arg;
	struct station_event ev = touch_event(42);
	station_queue_push(q, &ev);
}

static void gate_free(void *arg)
{
	station_queue_release(arg);
}

static void test_worker_answers_through_queue(void **state)
{
	struct worker *w;
	struct station_queue *q;
	struct station_event ev;

	assert_int_equal(station_queue_new(8, &q), 0);
	assert_int_equal(worker_new("test", &w), 0);
	for (int i = 0; i < 5; i++) {
		station_queue_hold(q);
		assert_int_equal(worker_submit(w, gate_run, q, gate_free), 0);
	}
	int got = 0;
	while (!station_queue_quiescent(q) || got < 5) {
		assert_true(station_queue_wait(q, 10000) >= 0);
		while (station_queue_pop(q, &ev) > 0) {
			assert_int_equal(ev.touch.index, 42);
			got++;
		}
	}
	assert_int_equal(got, 5);
	worker_free(w);
	station_queue_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_and_capacity),
		cmocka_unit_test(test_owned_payload_freed),
		cmocka_unit_test(test_eventfd_wakeup),
		cmocka_unit_test(test_waker_coalesces),
		cmocka_unit_test(test_hold_release_quiescent),
		cmocka_unit_test(test_many_producers),
		cmocka_unit_test(test_worker_runs_in_order),
		cmocka_unit_test(test_worker_answers_through_queue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
