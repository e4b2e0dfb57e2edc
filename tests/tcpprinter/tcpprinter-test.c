/* SPDX-License-Identifier: MIT */
/*
 * tcp:// receipt printer (printing/receipt-printer-tcp.c) against a
 * stand-in ESC/POS printer on 127.0.0.1: a thread that accepts
 * connections, records every byte and answers DLE EOT n with the status
 * bytes a test chose, or misbehaves (answers garbage, stays silent, stops
 * reading).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "escpos.h"
#include "receipt-printer.h"

enum mode {
	MODE_ANSWER,  /* record, answer DLE EOT n with answer[n] */
	MODE_SILENT,  /* record, never answer */
	MODE_NO_READ, /* accept, then never read */
	MODE_HANG_UP, /* accept and close at once */
};

struct standin {
	int listen_fd;
	int stop_pipe[2];
	unsigned short port;
	pthread_t thread;
	pthread_mutex_t lock;
	enum mode mode;
	uint8_t answer[5]; /* by n; [0] unused */
	uint8_t *rec;
	size_t rec_len, rec_cap;
	unsigned connections;
};

static void record(struct standin *s, const uint8_t *p, size_t n)
{
	pthread_mutex_lock(&s->lock);
	if (s->rec_cap - s->rec_len < n) {
		size_t cap = s->rec_cap ? s->rec_cap : 65536;

		while (cap - s->rec_len < n)
			cap *= 2;
		s->rec = realloc(s->rec, cap);
		assert_non_null(s->rec);
		s->rec_cap = cap;
	}
	memcpy(s->rec + s->rec_len, p, n);
	s->rec_len += n;
	pthread_mutex_unlock(&s->lock);
}

/* One connection until the peer closes or the test stops. */
static void serve(struct standin *s, int fd)
{
	/* Where we are in a DLE EOT n that may span reads. */
	int state = 0;
	enum mode mode;

	pthread_mutex_lock(&s->lock);
	mode = s->mode;
	s->connections++;
	pthread_mutex_unlock(&s->lock);
	if (mode == MODE_HANG_UP)
		return;
	for (;;) {
		struct pollfd pfd[2] = {{.fd = fd, .events = POLLIN},
					{.fd = s->stop_pipe[0], .events = POLLIN}};
		uint8_t buf[8192];
		ssize_t got;

		if (mode == MODE_NO_READ)
			pfd[0].events = 0;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pfd[1].revents)
			return;
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		got = read(fd, buf, sizeof(buf));
		if (got <= 0)
			return;
		record(s, buf, (size_t)got);
		for (ssize_t i = 0; i < got; i++) {
			uint8_t b = buf[i];

			if (state == 0 && b == 0x10)
				state = 1;
			else if (state == 1 && b == 0x04)
				state = 2;
			else if (state == 2) {
				state = 0;
				if (mode == MODE_ANSWER && b >= 1 && b <= 4) {
					uint8_t a;

					pthread_mutex_lock(&s->lock);
					a = s->answer[b];
					pthread_mutex_unlock(&s->lock);
					if (write(fd, &a, 1) != 1)
						return;
				}
			} else
				state = b == 0x10 ? 1 : 0;
		}
	}
}

static void *standin_main(void *arg)
{
	struct standin *s = arg;

	for (;;) {
		struct pollfd pfd[2] = {{.fd = s->listen_fd, .events = POLLIN},
					{.fd = s->stop_pipe[0], .events = POLLIN}};
		int fd;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		fd = accept(s->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		serve(s, fd);
		close(fd);
	}
	return NULL;
}

static int setup(void **state)
{
	struct standin *s = calloc(1, sizeof(*s));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int small = 4096;

	if (!s)
		return -1;
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* A small receive buffer, so that a stand-in that stops reading
	 * pushes back quickly. */
	setsockopt(s->listen_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s->listen_fd, 4) < 0 ||
	    getsockname(s->listen_fd, (struct sockaddr *)&a, &alen) < 0 || pipe(s->stop_pipe) < 0)
		return -1;
	s->port = ntohs(a.sin_port);
	s->mode = MODE_ANSWER;
	/* Paper and printer fine: the fixed bits only. */
	memset(s->answer, 0x12, sizeof(s->answer));
	pthread_mutex_init(&s->lock, NULL);
	if (pthread_create(&s->thread, NULL, standin_main, s) != 0)
		return -1;
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct standin *s = *state;

	if (write(s->stop_pipe[1], "x", 1) != 1)
		return -1;
	pthread_join(s->thread, NULL);
	close(s->listen_fd);
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	pthread_mutex_destroy(&s->lock);
	free(s->rec);
	free(s);
	return 0;
}

static struct receipt_printer *open_printer(const struct standin *s, int timeout_ms)
{
	struct receipt_printer *p = NULL;
	char uri[96];

	snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%u?timeout_ms=%d", s->port, timeout_ms);
	assert_int_equal(receipt_printer_open(uri, &p), 0);
	assert_non_null(p);
	assert_string_equal(p->ops->name, "tcp");
	return p;
}

static void set_mode(struct standin *s, enum mode mode)
{
	pthread_mutex_lock(&s->lock);
	s->mode = mode;
	pthread_mutex_unlock(&s->lock);
}

/* Waits until the stand-in has recorded at least n bytes (the socket
 * may still hold the tail when write_job returns). */
static size_t wait_recorded(struct standin *s, size_t n)
{
	for (int i = 0; i < 2000; i++) {
		size_t len;

		pthread_mutex_lock(&s->lock);
		len = s->rec_len;
		pthread_mutex_unlock(&s->lock);
		if (len >= n)
			return len;
		usleep(1000);
	}
	pthread_mutex_lock(&s->lock);
	n = s->rec_len;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A receipt-like image: bars, a diagonal and a checker block. */
static cairo_surface_t *test_image(int width, int height)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	cairo_t *cr = cairo_create(img);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int y = 10; y < height; y += 37)
		cairo_rectangle(cr, 8, y, width - 16 - y % 50, 6);
	cairo_fill(cr);
	cairo_set_line_width(cr, 3);
	cairo_move_to(cr, 0, 0);
	cairo_line_to(cr, width, height);
	cairo_stroke(cr);
	for (int y = 0; y < 64; y += 8)
		for (int x = (y / 8) % 2 * 8; x < 64; x += 16)
			cairo_rectangle(cr, width / 2 + x, height / 3 + y, 8, 8);
	cairo_fill(cr);
	cairo_destroy(cr);
	return img;
}

/* Every pixel of img (thresholded) equals the decoded surface's. */
static void assert_same_ink(cairo_surface_t *img, cairo_surface_t *dec)
{
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	const unsigned char *a = cairo_image_surface_get_data(img);
	const unsigned char *b = cairo_image_surface_get_data(dec);
	int sa = cairo_image_surface_get_stride(img), sb = cairo_image_surface_get_stride(dec);
	long diff = 0;

	assert_true(cairo_image_surface_get_width(dec) >= w);
	assert_true(cairo_image_surface_get_height(dec) >= h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t pa, pb;

			memcpy(&pa, a + (size_t)y * (size_t)sa + (size_t)x * 4, 4);
			memcpy(&pb, b + (size_t)y * (size_t)sb + (size_t)x * 4, 4);
			diff += ((pa & 0xff) < 128) != ((pb & 0xff) < 128);
		}
	assert_int_equal(diff, 0);
}

static void test_job_byte_exact(void **state)
{
	struct standin *s = *state;
	cairo_surface_t *img = test_image(576, 700), *dec = NULL;
	struct receipt_printer *p = open_printer(s, 5000);
	uint8_t *job = NULL;
	size_t len = 0;

	assert_int_equal(escpos_encode_raster(img, &job, &len), 0);
	assert_int_equal(p->ops->write_job(p, job, len), 0);
	/* A second job on the same connection follows the first. */
	assert_int_equal(p->ops->write_job(p, job, len), 0);
	assert_int_equal(wait_recorded(s, 2 * len), 2 * len);
	pthread_mutex_lock(&s->lock);
	assert_memory_equal(s->rec, job, len);
	assert_memory_equal(s->rec + len, job, len);
	assert_int_equal(s->connections, 1);
	assert_int_equal(escpos_decode(s->rec, len, &dec), 0);
	pthread_mutex_unlock(&s->lock);
	assert_same_ink(img, dec);
	cairo_surface_destroy(dec);
	cairo_surface_destroy(img);
	free(job);
	receipt_printer_free(p);
}

struct status_case {
	uint8_t a1, a2, a4;
	unsigned want;
};

static void test_status(void **state)
{
	static const struct status_case cases[] = {
		{0x12, 0x12, 0x12, 0},				   /* paper ok */
		{0x12, 0x12, 0x1e, RECEIPT_STATUS_PAPER_NEAR_END}, /* near end */
		{0x1a, 0x32, 0x7e,				   /* paper end */
		 RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_PAPER_END | RECEIPT_STATUS_PAPER_NEAR_END},
		{0x1a, 0x16, 0x12, RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_COVER_OPEN}, /* cover */
		{0x12, 0x52, 0x12, RECEIPT_STATUS_ERROR},
	};
	struct standin *s = *state;
	struct receipt_printer *p = open_printer(s, 2000);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned flags = 0xdead;

		pthread_mutex_lock(&s->lock);
		s->answer[1] = cases[i].a1;
		s->answer[2] = cases[i].a2;
		s->answer[4] = cases[i].a4;
		pthread_mutex_unlock(&s->lock);
		assert_int_equal(p->ops->get_status(p, &flags), 0);
		assert_int_equal(flags, cases[i].want);
	}
	/* The requests went out as DLE EOT 1, 2, 4, nothing else. */
	assert_int_equal(wait_recorded(s, 45), 45);
	pthread_mutex_lock(&s->lock);
	assert_memory_equal(s->rec, "\x10\x04\x01\x10\x04\x02\x10\x04\x04", 9);
	pthread_mutex_unlock(&s->lock);
	receipt_printer_free(p);
}

static void test_status_garbage(void **state)
{
	struct standin *s = *state;
	struct receipt_printer *p = open_printer(s, 2000);
	unsigned flags = 0xdead;

	pthread_mutex_lock(&s->lock);
	s->answer[1] = 'A'; /* a data byte, not a status */
	pthread_mutex_unlock(&s->lock);
	assert_int_equal(p->ops->get_status(p, &flags), -EBADMSG);
	assert_int_equal(flags, 0xdead);
	/* The printer comes to its senses: a fresh connection works. */
	pthread_mutex_lock(&s->lock);
	s->answer[1] = 0x12;
	pthread_mutex_unlock(&s->lock);
	assert_int_equal(p->ops->get_status(p, &flags), 0);
	assert_int_equal(flags, 0);
	receipt_printer_free(p);
}

static void test_status_silent(void **state)
{
	struct standin *s = *state;
	struct receipt_printer *p = open_printer(s, 300);
	unsigned flags = 0xdead;
	int64_t t0;

	set_mode(s, MODE_SILENT);
	t0 = now_ms();
	assert_int_equal(p->ops->get_status(p, &flags), -ETIMEDOUT);
	assert_true(now_ms() - t0 < 3000);
	assert_int_equal(flags, 0xdead);
	receipt_printer_free(p);
}

static void test_stops_reading(void **state)
{
	struct standin *s = *state;
	struct receipt_printer *p = open_printer(s, 300);
	size_t len = 64u << 20;
	uint8_t *job = calloc(1, len);
	int64_t t0;

	assert_non_null(job);
	set_mode(s, MODE_NO_READ);
	t0 = now_ms();
	assert_int_equal(p->ops->write_job(p, job, len), -ETIMEDOUT);
	assert_true(now_ms() - t0 < 5000);
	free(job);
	receipt_printer_free(p);
}

static void test_hang_up(void **state)
{
	struct standin *s = *state;
	struct receipt_printer *p = open_printer(s, 1000);
	unsigned flags = 0xdead;

	set_mode(s, MODE_HANG_UP);
	assert_int_equal(p->ops->get_status(p, &flags), -ENODEV);
	/* Back again: the next call connects anew. */
	set_mode(s, MODE_ANSWER);
	assert_int_equal(p->ops->get_status(p, &flags), 0);
	assert_int_equal(flags, 0);
	receipt_printer_free(p);
}

static void test_refused(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct receipt_printer *p = NULL;
	const uint8_t job[] = {0x1b, 0x40};
	unsigned flags = 0xdead;
	char uri[96];

	(void)state;
	/* A port that was free a moment ago and has no listener. */
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	close(fd);
	snprintf(uri, sizeof(uri), "tcp://127.0.0.1:%u?timeout_ms=1000", ntohs(a.sin_port));
	assert_int_equal(receipt_printer_open(uri, &p), 0);
	assert_int_equal(p->ops->get_status(p, &flags), -ECONNREFUSED);
	assert_int_equal(p->ops->write_job(p, job, sizeof(job)), -ECONNREFUSED);
	assert_int_equal(flags, 0xdead);
	receipt_printer_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_job_byte_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stops_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hang_up, setup, teardown),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
