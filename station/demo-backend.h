/* SPDX-License-Identifier: MIT */
/*
 * The demo's backend when it is mpp-sim: the reference backend started as
 * a child process (or one already running at a URL), and its admin API
 * (POST/DELETE /admin/faults, GET /admin/stats) driven over libcurl so
 * the scenario steps `backend down|up|slow MS|corrupt` and
 * `expect-confirmed N` act on it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

struct demo_backend;

/* CLOCK_MONOTONIC in milliseconds; a sleep that resumes after signals.
 * For the demo's waits on its children. */
uint64_t demo_now_ms(void);
void demo_pause_ms(unsigned ms);

/* Finds one of the project's programs: $env_var if set (and env_var not
 * NULL), else beside the running binary: "sim/NAME" (the build tree),
 * "NAME" (an install's bin/), "../station/sim/NAME" (a test binary).
 * Returns 0 with the path in buf, or -ENOPKG with the path looked for. */
int demo_find_program(const char *name, const char *env_var, char *buf, size_t size);

/* Finds the mpp-sim executable: $MPP_SIM if set, else beside the running
 * binary (/proc/self/exe's directory): "sim/mpp-sim" (the build tree),
 * "mpp-sim" (an install's bin/), "../station/sim/mpp-sim" (a test binary
 * in the build tree's tests/). Writes the path to buf. Returns 0, or
 * -ENOPKG with the path tried first (the one to name) in buf. Any
 * thread; does not block. */
int demo_backend_find(char *buf, size_t size);

/* Starts mpp-sim (serve --listen 127.0.0.1:0 --quiet, an in-memory
 * database) with its port file and log (stdout and stderr) in dir, which
 * must exist, and waits up to 30 s for it to listen. Returns 0 and *ret,
 * -ENOPKG when the executable is missing (a message naming it is printed
 * to stderr), -ETIMEDOUT, -ECHILD if it exited, or another negative
 * errno. Free with demo_backend_free. Owner thread; blocks. */
int demo_backend_spawn(const char *dir, struct demo_backend **ret);

/* Drives an mpp-sim already running at url (no child). Returns 0 and
 * *ret, -EINVAL for a URL that does not fit, -ENOMEM. Does not block. */
int demo_backend_attach(const char *url, struct demo_backend **ret);

/* The base URL the station should use, e.g. http://127.0.0.1:41234.
 * Valid until demo_backend_free. */
const char *demo_backend_url(const struct demo_backend *db);

/* Applies a scenario `backend` step: up clears the faults; down makes
 * every call answer 503 (the client reports the backend unreachable);
 * slow delays every answer by ms; corrupt changes a byte of every
 * document after its digest was taken. Returns 0, -EIO if the admin call
 * failed. Owner thread; blocks for one loopback round trip. */
int demo_backend_set_mode(struct demo_backend *db, enum scenario_backend_mode mode, uint64_t ms);

/* Distinct documents mpp-sim has recorded as collected. Returns 0 and
 * *ret_n, or -EIO. Owner thread; blocks for one loopback round trip. */
int demo_backend_confirmations(struct demo_backend *db, unsigned *ret_n);

/* Stops the child (SIGTERM, then SIGKILL after 5 s; waits for it) and
 * frees. Accepts NULL; returns NULL. Owner thread; blocks. */
struct demo_backend *demo_backend_free(struct demo_backend *db);
