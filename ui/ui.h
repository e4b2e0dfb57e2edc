/* SPDX-License-Identifier: MIT */
/*
 * The screens. ui_draw() paints the screen for the session's state with
 * Cairo + Pango, and records where its buttons are so a touch can be
 * mapped back to a session button. Drawing reads the session only; owner
 * thread only; never blocks.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "session.h"

#define UI_HITS_MAX 48

struct ui_hit {
	enum session_button button;
	int index;
	double x, y, w, h;
};

/* What the last ui_draw() laid out. */
struct ui_frame {
	size_t n_hits;
	struct ui_hit hits[UI_HITS_MAX];
};

/* An 8-bit grey picture (the camera preview), rows of stride bytes, stride
 * a multiple of 4. */
struct ui_gray_image {
	const uint8_t *gray;
	int width, height, stride;
};

/* Non-session facts a screen may show. */
struct ui_context {
	const char *station_id;
	bool demo;		/* show the demo hint bar (keys to tap cards) */
	const char *clock_text; /* "Senin, 23 November 2026 09:41" or NULL */
	/* The camera's newest picture for the QR screen's guide frame, or
	 * NULL (no camera preview: the frame stays dark). */
	const struct ui_gray_image *preview;
};

/* Draws the whole screen into cr (width x height pixels). Fills *ret_frame
 * with the buttons drawn. Returns 0 or -errno. */
int ui_draw(cairo_t *cr, int width, int height, const struct session *s,
	    const struct ui_context *ctx, struct ui_frame *ret_frame);

/* The button at (x, y), if any: true and *ret_button, *ret_index. */
bool ui_hit_test(const struct ui_frame *f, double x, double y, enum session_button *ret_button,
		 int *ret_index);

/* How many applications fit on one status page at this size (>= 1), in
 * the large-text mode when large. */
unsigned ui_apps_per_page(int width, int height, bool large);

/* A human title of the screen a state shows, for the demo summary. */
const char *ui_screen_name(const struct session *s);

/* ---- display back end: SDL2 window ---------------------------------------
 * ui_display_* run on the owner thread, except ui_display_wake (any). */

struct ui_display;

enum ui_input_type {
	UI_INPUT_NONE,
	UI_INPUT_TOUCH, /* .x, .y in surface pixels */
	UI_INPUT_KEY,	/* .key: ASCII of the key, or 0x1b for Escape */
	UI_INPUT_QUIT,	/* window closed */
	UI_INPUT_WAKE,	/* ui_display_wake() was called */
	UI_INPUT_EXPOSE,
};

struct ui_input {
	enum ui_input_type type;
	double x, y;
	int key;
};

/* Opens a window (or the full screen). width/height 0 = the display's
 * size. Returns 0 or -errno (-ENODEV: no display). */
int ui_display_open(const char *title, int width, int height, bool fullscreen,
		    struct ui_display **ret_display);
struct ui_display *ui_display_close(struct ui_display *d);
/* The surface to draw the next frame into, and its size. */
cairo_surface_t *ui_display_surface(struct ui_display *d, int *ret_width, int *ret_height);
/* Shows what was drawn into the surface. */
int ui_display_present(struct ui_display *d);
/* Waits up to timeout_ms (-1 = forever) for input or a wake. Returns 1 with
 * *ret_input, 0 on timeout, -errno. */
int ui_display_wait(struct ui_display *d, int timeout_ms, struct ui_input *ret_input);
/* Wakes a ui_display_wait() from any thread. Coalesced by the caller. */
void ui_display_wake(struct ui_display *d);
