/* SPDX-License-Identifier: MIT */
/*
 * The screen gallery: one sample session for every screen the station can
 * show (every state, each error, paging, PIN feedback, the countdown, out
 * of service), rendered offscreen at any size in either language. The
 * golden-image test (tests/cli/golden.sh), tools/update-golden and the UI
 * benchmark all draw the same list, so a new screen added here is checked
 * and timed everywhere.
 *
 * The images are deterministic: a fixed clock, station id and animation
 * phase, and sample data that is invented (no real person).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "session.h"

/* How many screens the gallery has (> 0). Any thread. */
size_t ui_gallery_count(void);

/* The file name of screen i ("welcome", "error-qr-expired"), or NULL when
 * i >= ui_gallery_count(). Static storage. Any thread. */
const char *ui_gallery_name(size_t i);

/* Index of the screen called name. Returns the index or -ENOENT. */
int ui_gallery_find(const char *name);

/* Fills *ret_session with the sample session of screen i in the language.
 * Returns 0, or -EINVAL for an index out of range. Any thread. */
int ui_gallery_session(size_t i, bool english, struct session *ret_session);

/* Draws screen i at width x height into a new RGB24 image surface. The
 * caller owns *ret_surface (cairo_surface_destroy). Returns 0, -EINVAL for
 * a bad index or size, -ENOMEM when cairo cannot allocate. Any thread
 * (each call uses its own surface); does not block. */
int ui_gallery_render(size_t i, int width, int height, bool english, cairo_surface_t **ret_surface);

/* ---- golden images ---------------------------------------------------------
 * Goldens are stored as 8-bit greyscale PNGs: a tenth of the size of full
 * colour, and layout, text and contrast changes all change luminance. */

/* An 8-bit luminance image. */
struct ui_gray {
	int width, height;
	uint8_t *pixels; /* width * height, row after row */
};

/* Converts an RGB24/ARGB32 surface to luminance (BT.709 weights).
 * *ret_gray owns a malloc'd buffer: free with ui_gray_free(). Returns 0,
 * -EINVAL for another format, -ENOMEM. */
int ui_gray_from_surface(cairo_surface_t *surface, struct ui_gray *ret_gray);
/* Frees the pixels; accepts a zeroed struct. */
void ui_gray_free(struct ui_gray *g);

/* Writes g as an 8-bit greyscale PNG. Returns 0 or -EIO. Blocks on I/O. */
int ui_gray_write_png(const struct ui_gray *g, const char *path);
/* Reads any PNG as 8-bit greyscale. Returns 0, -ENOENT when there is no
 * file, -EIO when it is not a readable PNG, -ENOMEM. Blocks on I/O. */
int ui_gray_read_png(const char *path, struct ui_gray *ret_gray);

struct ui_gray_diff {
	size_t differing;   /* pixels differing by more than the threshold */
	size_t total;	    /* pixels compared */
	unsigned max_delta; /* largest difference seen, 0..255 */
};

/* Compares two images of the same size pixel by pixel: a pixel differs
 * when |a - b| > threshold. When ret_mask is not NULL it receives a
 * caller-freed image, the expected image dimmed with differing pixels
 * black on white highlights (for a human to look at). Returns 0, -EINVAL
 * when the sizes differ, -ENOMEM. */
int ui_gray_compare(const struct ui_gray *expected, const struct ui_gray *actual,
		    unsigned threshold, struct ui_gray_diff *ret_diff, struct ui_gray *ret_mask);
