/* SPDX-License-Identifier: MIT */
/*
 * The display path timed in process: display open -> first frame shown,
 * and a touch (an SDL mouse click pushed into SDL's queue, as the driver
 * would) -> hit test -> session_handle -> ui_draw -> present, i.e. input
 * event -> new frame on screen. The click toggles the language button of
 * the welcome screen, so every round really changes the picture.
 *
 *   ui-latency [--rounds N] [--size WxH]
 *
 * Runs under any SDL video driver (run.sh uses X11 on Xvfb when it can,
 * else the offscreen driver). Prints figures; asserts nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>

#include "event.h"
#include "session.h"
#include "ui.h"

#define MAX_ROUNDS 2000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int frame(struct ui_display *disp, const struct session *s, struct ui_frame *f)
{
	const struct ui_context ctx = {.station_id = "BENCH-01"};
	int w, h, r;
	cairo_surface_t *surf = ui_display_surface(disp, &w, &h);
	cairo_t *cr = cairo_create(surf);

	r = ui_draw(cr, w, h, s, &ctx, f);
	cairo_destroy(cr);
	cairo_surface_flush(surf);
	return r < 0 ? r : ui_display_present(disp);
}

static void push_click(double x, double y)
{
	SDL_Event ev = {0};

	ev.type = SDL_MOUSEBUTTONDOWN;
	ev.button.button = SDL_BUTTON_LEFT;
	ev.button.state = SDL_PRESSED;
	ev.button.x = (int)x;
	ev.button.y = (int)y;
	SDL_PushEvent(&ev);
	ev.type = SDL_MOUSEBUTTONUP;
	ev.button.state = SDL_RELEASED;
	SDL_PushEvent(&ev);
}

int main(int argc, char **argv)
{
	static double t[MAX_ROUNDS];
	const struct session_timeouts to = {10000,  60000, 8000,  60000, 10000,
					    120000, 15000, 20000, 120000};
	long rounds = 200;
	int width = 1920, height = 1080, r;
	struct ui_display *disp = NULL;
	struct session s;
	struct ui_frame f;
	double t0, t_open, t_first;

	for (int i = 1; i + 1 < argc; i += 2) {
		char *end;

		if (strcmp(argv[i], "--rounds") == 0) {
			rounds = strtol(argv[i + 1], &end, 10);
			if (*end || rounds < 1 || rounds > MAX_ROUNDS)
				return 64;
		} else if (strcmp(argv[i], "--size") == 0) {
			if (sscanf(argv[i + 1], "%dx%d", &width, &height) != 2 || width < 64 ||
			    height < 64)
				return 64;
		} else {
			fprintf(stderr, "usage: ui-latency [--rounds N] [--size WxH]\n");
			return 64;
		}
	}

	session_init(&s, &to, false, 1000);
	t0 = now_ms();
	r = ui_display_open("Anjungan bench", width, height, false, &disp);
	if (r < 0) {
		fprintf(stderr, "ui-latency: no display: %s\n", strerror(-r));
		return 69;
	}
	t_open = now_ms();
	r = frame(disp, &s, &f);
	t_first = now_ms();
	if (r < 0)
		goto out;
	printf("video driver: %s, %dx%d\n", SDL_GetCurrentVideoDriver(), width, height);
	printf("display open: %.1f ms; open -> first frame presented: %.1f ms (total %.1f ms)\n",
	       t_open - t0, t_first - t_open, t_first - t0);

	for (long k = 0; k < rounds && r >= 0; k++) {
		struct ui_input in = {0};
		double start;
		size_t i;

		for (i = 0; i < f.n_hits; i++)
			if (f.hits[i].button == SESSION_BUTTON_LANGUAGE)
				break;
		if (i == f.n_hits) {
			fprintf(stderr, "ui-latency: no language button on screen\n");
			r = -ENOENT;
			break;
		}
		start = now_ms();
		push_click(f.hits[i].x + f.hits[i].w / 2, f.hits[i].y + f.hits[i].h / 2);
		/* Skip what is not a touch (the button release, expose). */
		do {
			r = ui_display_wait(disp, 1000, &in);
		} while (r > 0 && in.type != UI_INPUT_TOUCH);
		if (r <= 0) {
			fprintf(stderr, "ui-latency: the click did not arrive\n");
			r = r < 0 ? r : -ETIMEDOUT;
			break;
		}
		{
			struct station_event ev = {.type = STATION_EVENT_TOUCH};
			struct session_cmds cmds = {0};

			if (!ui_hit_test(&f, in.x, in.y, &ev.touch.button, &ev.touch.index)) {
				fprintf(stderr, "ui-latency: the click hit nothing\n");
				r = -ENOENT;
				break;
			}
			session_handle(&s, &ev, &cmds);
		}
		r = frame(disp, &s, &f);
		t[k] = now_ms() - start;
		/* Drain the release so the next round starts clean. */
		while (ui_display_wait(disp, 0, &in) > 0)
			;
	}
	if (r >= 0) {
		qsort(t, (size_t)rounds, sizeof(t[0]), cmp_double);
		printf("input event -> new frame presented, %ld rounds: median %.2f ms, p95 %.2f "
		       "ms, max %.2f ms\n",
		       rounds, t[rounds / 2], t[rounds * 95 / 100], t[rounds - 1]);
	}
out:
	ui_display_close(disp);
	return r < 0 ? 1 : 0;
}
