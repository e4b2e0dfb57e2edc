/* SPDX-License-Identifier: MIT */
/*
 * The live camera preview of the QR screen: the capture thread hands a
 * small grey copy of its newest frame to the UI thread.
 *
 * Three buffers, swapped by pointer under a mutex, so neither side ever
 * waits for the other's copying or drawing: the producer scales into its
 * own buffer and swaps it with the shared one; the consumer swaps the
 * shared one with its own when a newer frame is there. Frames the UI was
 * too slow to draw are simply replaced (the newest wins).
 *
 * Privacy: the preview shows the citizen's face. It is kept only while
 * enabled (the QR screen is up): camera_preview_enable(false) wipes every
 * buffer, and a frame put after that is dropped under the same lock, so
 * the next citizen never sees the last one's picture.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest preview kept, in pixels a side: enough for a guide frame of
 * 900 px on a 1080p screen scaled up smoothly, and 100 KB a buffer. */
#define CAMERA_PREVIEW_MAX_SIDE 320

struct camera_preview_image {
	const uint8_t *gray; /* 8-bit grey, rows of stride bytes */
	int width, height;
	int stride;	   /* a multiple of 4: usable as a Cairo A8 surface */
	uint64_t sequence; /* 1, 2, ... in the order frames were put */
};

struct camera_preview;

/* Called by the producer after a new frame is there (any thread): wake the
 * UI loop. Must not block. */
typedef void (*camera_preview_wake_fn)(void *userdata);

/* max_side: the longest side kept (1..CAMERA_PREVIEW_MAX_SIDE). Returns 0,
 * -EINVAL or -ENOMEM. Starts disabled. */
int camera_preview_new(int max_side, struct camera_preview **ret_preview);
/* Wipes and frees. Accepts NULL; returns NULL. No producer may run. */
struct camera_preview *camera_preview_free(struct camera_preview *p);

/* Any thread. NULL fn: no wake. */
void camera_preview_set_waker(struct camera_preview *p, camera_preview_wake_fn fn, void *userdata);

/* Owner (UI) thread. Off wipes every buffer; frames put while off are
 * dropped. */
void camera_preview_enable(struct camera_preview *p, bool on);
/* Producer: whether a frame would be kept (to skip the scaling work). A
 * hint only; camera_preview_put() decides under its lock. */
bool camera_preview_wanted(struct camera_preview *p);

/* Producer thread (one at a time): scales the frame down (aspect kept)
 * and publishes it. Returns 1 when published, 0 when dropped (disabled),
 * -EINVAL for a bad frame. */
int camera_preview_put(struct camera_preview *p, const uint8_t *gray, int width, int height,
		       int stride);

/* Consumer (UI) thread: true and *ret_image when a frame newer than the
 * last taken is there. *ret_image stays valid until the next take, enable
 * or free. */
bool camera_preview_take(struct camera_preview *p, struct camera_preview_image *ret_image);

/* Pure helpers, exported for the tests. */

/* The size a width x height frame is scaled to so its longer side is at
 * most max_side (never scaled up; at least 1x1). */
void camera_preview_fit(int width, int height, int max_side, int *ret_width, int *ret_height);
/* Area-average downscale of src (sw x sh, sstride) into dst (dw x dh,
 * dstride), dw <= sw and dh <= sh. 0 or -EINVAL. */
int camera_preview_scale(const uint8_t *src, int sw, int sh, int sstride, uint8_t *dst, int dw,
			 int dh, int dstride);
