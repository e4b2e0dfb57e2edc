/* SPDX-License-Identifier: MIT */
/*
 * GET /metrics over HTTP (libmicrohttpd, its own thread) on a loopback
 * address: the text of metrics_render(). Anything else is 404; methods
 * other than GET and HEAD are 405.
 */
#pragma once

#include "metrics.h"

struct metrics_http;

/* Starts serving m (not owned; it must outlive the server) on listen
 * ("127.0.0.1:PORT", config_listen_parse()). 0 and *ret, -EINVAL (a bad
 * or non-loopback address), -EADDRINUSE or -EIO (cannot listen), -ENOMEM.
 * Any thread; returns once the socket listens. */
int metrics_http_start(struct metrics *m, const char *listen, struct metrics_http **ret);
/* Stops (waits for its thread); accepts NULL; returns NULL. */
struct metrics_http *metrics_http_stop(struct metrics_http *h);
