/* SPDX-License-Identifier: MIT */
/*
 * The event queue: many producers (device and backend threads), one
 * consumer (the owner thread). Producers never block for long (a mutex
 * around a ring); the consumer sleeps on an eventfd (poll(2)) or, in the
 * SDL loop, is woken through a waker callback. Both wake-ups coalesce: one
 * wake-up for any number of events pushed while the consumer was busy.
 *
 * "Work in flight": a producer that accepted a request which will end in
 * an event calls station_queue_hold() when it accepts it and
 * station_queue_release() after pushing its last event. The queue is
 * quiescent when it is empty and nothing is held; the headless demo and
 * the tests use that to step through a scenario without sleeping.
 */
#pragma once

#include <stdbool.h>

#include "event.h"

struct station_queue;

/* Called (from the producer's thread) when the queue goes from empty to
 * non-empty, and when the last hold is released. Must be thread-safe and
 * must not call back into the queue. */
typedef void (*station_queue_waker_t)(void *userdata);

/* Returns 0 and *ret_queue, or -errno. capacity is the most events held at
 * once; a push on a full queue fails with -ENOBUFS (the event is cleared). */
int station_queue_new(unsigned capacity, struct station_queue **ret_queue);

/* Frees the queue, clearing every event still in it. Accepts NULL; returns
 * NULL. Only when no producer can push any more. */
struct station_queue *station_queue_free(struct station_queue *q);

/* Moves *ev into the queue (the queue owns its payload from now on, even on
 * failure, when it is cleared). Any thread; does not block beyond the
 * mutex. Returns 0 or -ENOBUFS. */
int station_queue_push(struct station_queue *q, struct station_event *ev);

/* Takes the oldest event into *ret_ev (the caller then owns it and calls
 * station_event_clear()). Returns 1 when an event was taken, 0 when the
 * queue was empty. Owner thread only; never blocks. */
int station_queue_pop(struct station_queue *q, struct station_event *ret_ev);

/* The eventfd that is readable while events are waiting (or a release made
 * the queue quiescent). Owner thread: poll() it, then call
 * station_queue_pop() until it returns 0. The queue drains the fd itself. */
int station_queue_get_fd(const struct station_queue *q);

/* Waits until an event is waiting, the queue is quiescent, or timeout_ms
 * passes (-1 = no limit). Returns 1 if events wait, 0 otherwise. Owner
 * thread only; blocks. */
int station_queue_wait(struct station_queue *q, int timeout_ms);

void station_queue_set_waker(struct station_queue *q, station_queue_waker_t waker, void *userdata);

void station_queue_hold(struct station_queue *q);
void station_queue_release(struct station_queue *q);

/* True when the queue is empty and nothing is held. Any thread. */
bool station_queue_quiescent(struct station_queue *q);

/* Events pushed / dropped since creation (for metrics and tests). */
unsigned long station_queue_pushed(struct station_queue *q);
unsigned long station_queue_dropped(struct station_queue *q);
