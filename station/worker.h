/* SPDX-License-Identifier: MIT */
/*
 * A worker: one thread that runs submitted tasks in order. Blocking work
 * (backend calls, printing, PIN hashing, simulated devices) runs here so
 * the owner thread never blocks (libuv's pool, in its simplest form).
 */
#pragma once

struct worker;

typedef void (*worker_fn_t)(void *arg);

/* Starts the thread. name shows in diagnostics (15 chars at most). */
int worker_new(const char *name, struct worker **ret_worker);

/* Queues fn(arg). After fn ran, free_arg(arg) is called if not NULL; if
 * the worker is stopped first, only free_arg(arg). Any thread; never
 * blocks beyond a mutex. 0 or -ENOMEM / -ESHUTDOWN. */
int worker_submit(struct worker *w, worker_fn_t fn, void *arg, worker_fn_t free_arg);

/* Finishes the task under way, drops the rest (free_arg each), joins the
 * thread and frees. Accepts NULL; returns NULL. Not from the worker
 * itself. */
struct worker *worker_free(struct worker *w);
