/* SPDX-License-Identifier: MIT */
/*
 * "tcp://HOST[:PORT][?timeout_ms=N]": an ESC/POS printer's raw TCP port
 * (9100 unless given). One connection, opened on first use and kept; a
 * failed one is closed and the next call connects again, so a printer
 * that was switched off works again once it is back.
 *
 * Every wait is bounded: connect, each write and each status answer wait
 * at most timeout_ms (default 5000). A printer that stops reading (paper
 * out on models that do not answer, a wedged firmware) fills the socket
 * buffer; the job then fails with -ETIMEDOUT instead of hanging the print
 * worker.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "escpos.h"
#include "printer-backends.h"

#define DEFAULT_PORT	   "9100"
#define DEFAULT_TIMEOUT_MS 5000
#define MAX_TIMEOUT_MS	   600000

struct tcp_ctx {
	pthread_mutex_t lock; /* one job or status query at a time */
	char *host;
	char port[8];
	int timeout_ms;
	int fd; /* -1: not connected */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or deadline (CLOCK_MONOTONIC ms).
 * 0, -ETIMEDOUT, or poll(2)'s -errno. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = events};
		int64_t left = deadline - now_ms();
		int n;

		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n > 0)
			return 0;
	}
}

static void tcp_disconnect(struct tcp_ctx *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Connects c->fd if it is not. 0 or -errno (-ECONNREFUSED, -ETIMEDOUT,
 * -EHOSTUNREACH, -ENXIO for a name that does not resolve). */
static int tcp_connect(struct tcp_ctx *c)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	int r = -EHOSTUNREACH;

	if (c->fd >= 0)
		return 0;
	if (getaddrinfo(c->host, c->port, &hints, &res) != 0)
		return -ENXIO;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		int64_t deadline = now_ms() + c->timeout_ms;
		socklen_t elen = sizeof(int);
		int fd, err = 0;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0) {
			r = -errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			if (errno != EINPROGRESS) {
				r = -errno;
				close(fd);
				continue;
			}
			r = wait_fd(fd, POLLOUT, deadline);
			if (r == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
				err = errno;
			if (r == 0 && err)
				r = -err;
			if (r < 0) {
				close(fd);
				continue;
			}
		}
		c->fd = fd;
		r = 0;
		break;
	}
	freeaddrinfo(res);
	return r;
}

/* A peer that went away is "gone" (-ENODEV) for the callers, like an
 * unplugged USB printer. */
static int map_io_errno(int e)
{
	return e == EPIPE || e == ECONNRESET || e == ENOTCONN ? -ENODEV : -e;
}

static int send_all(struct tcp_ctx *c, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL);

		if (n < 0) {
			int r;

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return map_io_errno(errno);
			/* The timeout is for progress, not for the whole job:
			 * a long receipt on a slow printer is fine as long as
			 * it keeps taking bytes. */
			r = wait_fd(c->fd, POLLOUT, now_ms() + c->timeout_ms);
			if (r < 0)
				return r;
			continue;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int tcp_write_job(struct receipt_printer *p, const uint8_t *buf, size_t len)
{
	struct tcp_ctx *c = p->ctx;
	int r;

	if (!buf && len > 0)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	r = tcp_connect(c);
	if (r == 0)
		r = send_all(c, buf, len);
	if (r < 0)
		tcp_disconnect(c);
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* Drops bytes that arrived unasked (a late answer to an earlier request
 * that timed out), so they are not taken for the next answer. */
static int drain(struct tcp_ctx *c)
{
	uint8_t junk[64];

	for (;;) {
		ssize_t n = recv(c->fd, junk, sizeof(junk), MSG_DONTWAIT);

		if (n > 0)
			continue;
		if (n == 0)
			return -ENODEV;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return map_io_errno(errno);
	}
}

static int query(struct tcp_ctx *c, uint8_t n, unsigned *ret_flags)
{
	uint8_t cmd[3], byte;
	int64_t deadline;
	int r;

	r = escpos_status_request(n, cmd);
	if (r < 0)
		return r;
	r = send_all(c, cmd, sizeof(cmd));
	if (r < 0)
		return r;
	deadline = now_ms() + c->timeout_ms;
	for (;;) {
		ssize_t got;

		r = wait_fd(c->fd, POLLIN, deadline);
		if (r < 0)
			return r;
		got = recv(c->fd, &byte, 1, MSG_DONTWAIT);
		if (got == 1)
			break;
		if (got == 0)
			return -ENODEV;
		if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			return map_io_errno(errno);
	}
	return escpos_parse_status(n, byte, ret_flags);
}

static int tcp_get_status(struct receipt_printer *p, unsigned *ret_flags)
{
	static const uint8_t requests[] = {1, 2, 4};
	struct tcp_ctx *c = p->ctx;
	unsigned all = 0;
	int r;

	pthread_mutex_lock(&c->lock);
	r = tcp_connect(c);
	if (r == 0)
		r = drain(c);
	for (size_t i = 0; r == 0 && i < sizeof(requests); i++) {
		unsigned flags = 0;

		r = query(c, requests[i], &flags);
		all |= flags;
	}
	/* After a garbled or missing answer the stream is out of step: start
	 * the next call on a fresh connection. */
	if (r < 0)
		tcp_disconnect(c);
	pthread_mutex_unlock(&c->lock);
	if (r == 0)
		*ret_flags = all;
	return r;
}

static void tcp_free_ctx(void *ctx)
{
	struct tcp_ctx *c = ctx;

	if (!c)
		return;
	tcp_disconnect(c);
	pthread_mutex_destroy(&c->lock);
	free(c->host);
	free(c);
}

static const struct receipt_printer_ops tcp_ops = {
	.name = "tcp",
	.write_job = tcp_write_job,
	.get_status = tcp_get_status,
	.free_ctx = tcp_free_ctx,
};

/* "HOST", "HOST:PORT", "[V6]" or "[V6]:PORT", then "?timeout_ms=N". */
static int parse_target(const char *target, struct tcp_ctx *c)
{
	const char *query_part = strchr(target, '?');
	const char *host_end, *port = NULL;
	size_t tlen = query_part ? (size_t)(query_part - target) : strlen(target);

	c->timeout_ms = DEFAULT_TIMEOUT_MS;
	if (query_part) {
		char *end;
		long v;

		if (strncmp(query_part, "?timeout_ms=", 12) != 0)
			return -EINVAL;
		errno = 0;
		v = strtol(query_part + 12, &end, 10);
		if (errno || *end || end == query_part + 12 || v < 1 || v > MAX_TIMEOUT_MS)
			return -EINVAL;
		c->timeout_ms = (int)v;
	}
	if (tlen == 0)
		return -EINVAL;
	if (target[0] == '[') {
		const char *close_b = memchr(target, ']', tlen);

		if (!close_b || close_b == target + 1)
			return -EINVAL;
		c->host = strndup(target + 1, (size_t)(close_b - target - 1));
		host_end = close_b + 1;
		if (host_end < target + tlen) {
			if (*host_end != ':')
				return -EINVAL;
			port = host_end + 1;
		}
	} else {
		const char *colon = memchr(target, ':', tlen);

		host_end = colon ? colon : target + tlen;
		if (host_end == target)
			return -EINVAL;
		c->host = strndup(target, (size_t)(host_end - target));
		if (colon)
			port = colon + 1;
	}
	if (!c->host)
		return -ENOMEM;
	if (port) {
		size_t plen = (size_t)(target + tlen - port);
		long v = 0;

		if (plen == 0 || plen > 5)
			return -EINVAL;
		for (size_t i = 0; i < plen; i++) {
			if (port[i] < '0' || port[i] > '9')
				return -EINVAL;
			v = v * 10 + (port[i] - '0');
		}
		if (v < 1 || v > 65535)
			return -EINVAL;
		snprintf(c->port, sizeof(c->port), "%ld", v);
	} else {
		snprintf(c->port, sizeof(c->port), "%s", DEFAULT_PORT);
	}
	return 0;
}

int receipt_printer_tcp_new(const char *target, struct receipt_printer **ret_printer)
{
	struct receipt_printer *p = NULL;
	struct tcp_ctx *c = NULL;
	int r;

	if (!target || !ret_printer)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = -1;
	r = parse_target(target, c);
	if (r < 0)
		goto fail;
	p = calloc(1, sizeof(*p));
	if (!p) {
		r = -ENOMEM;
		goto fail;
	}
	pthread_mutex_init(&c->lock, NULL);
	*p = (struct receipt_printer){.ops = &tcp_ops, .ctx = c};
	*ret_printer = p;
	return 0;
fail:
	free(c->host);
	free(c);
	return r;
}
