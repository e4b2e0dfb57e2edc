/* SPDX-License-Identifier: MIT */
/*
 * The QR decoder (camera side): zbar, QR only, on gray frames, with
 *  - a 2x2 box downscale of large frames (zbar's cost at 1280x720 falls
 *    from ~30 ms to ~6 ms with no lost decodes on our test set);
 *  - retries on a miss: a contrast stretch (dim phone screens), the
 *    inverted image (dark-mode codes) and, for a downscaled frame, the
 *    full resolution (small modules). A still image gets every retry at
 *    once; a stream gets one pass per frame, cycling through them, so a
 *    frame without a code (the common case) costs at most one zbar pass;
 *  - on a streamed frame, a finder-pattern check first (qr-finder.h): a
 *    frame with no finder-like structure skips zbar altogether (1280x720
 *    without a code: 7.9 M instructions instead of 45.8 M, bench/qr);
 *  - an optional region of interest;
 *  - on its own thread: the newest frame wins (a frame still waiting when
 *    the next comes is dropped), a code shown continuously is one event
 *    (debounce), and each code is verified as an MPP token (qr-token.h)
 *    and pushed to the station queue as QR_TOKEN or QR_REFUSED.
 * Never logs; payloads are never printed.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "camera.h"
#include "qr-token.h"

struct station_queue;
struct qr_scanner;

struct qr_scanner_params {
	/* The same payload seen again within this long after it was last
	 * seen is the same showing: no new event. 0: every sighting. */
	int64_t debounce_ms;
	/* Region of interest in frame pixels; w or h 0: the whole frame. */
	int roi_x, roi_y, roi_w, roi_h;
	/* Frames (or regions) at least this wide are downscaled 2x2 first;
	 * 0: never. */
	int downscale_min_width;
	/* zbar scans every n-th row and column (ZBAR_CFG_X/Y_DENSITY); 0 or
	 * 1: every one. */
	int density;
	/* A streamed frame (not a still) in which qr_finder_count() finds no
	 * finder pattern skips zbar (qr-finder.h). */
	bool finder_check;
};

/* debounce 3 s, no ROI, downscale from 960 px wide, finder check on. */
void qr_scanner_params_default(struct qr_scanner_params *ret_params);

/* p NULL: the defaults. 0, -EINVAL, -ENOMEM. Any thread. */
int qr_scanner_new(const struct qr_scanner_params *p, struct qr_scanner **ret_scanner);
/* Stops the thread if started. Accepts NULL, returns NULL. */
struct qr_scanner *qr_scanner_free(struct qr_scanner *sc);

/* Decodes one frame in the calling thread (serialised with the scanner's
 * own thread), every pass at once when all_passes, otherwise the next pass
 * of the cycle. Copies the first code's text into ret_text as
 * qr_decode_gray() does. Returns the number of codes found (>= 1),
 * -ENOMSG (none), -EINVAL, -EFBIG, -ENOMEM. Blocks for the decode. */
int qr_scanner_decode(struct qr_scanner *sc, const uint8_t *gray, int width, int height, int stride,
		      bool all_passes, char *ret_text, size_t size, size_t *ret_len);

/* One code of a frame: its payload (malloc'd, NUL-terminated after len
 * bytes, which may hold any byte) and the top-left corner of its outline
 * in frame pixels. */
struct qr_scanner_code {
	char *data;
	size_t len;
	int x, y;
};

#define QR_SCANNER_CODES_MAX 16

/* Every code in a still image: runs every pass (not stopping at the first
 * find) and keeps each distinct payload once (two identical codes in one
 * frame are one), at most QR_SCANNER_CODES_MAX, ordered top to bottom,
 * then left to right. Returns how many were stored in ret_codes (>= 1;
 * free them with qr_scanner_codes_free()), -ENOMSG (none), -EINVAL,
 * -EFBIG, -ENOMEM. Blocks for the decode (several zbar passes). */
int qr_scanner_decode_all(struct qr_scanner *sc, const uint8_t *gray, int width, int height,
			  int stride, struct qr_scanner_code ret_codes[QR_SCANNER_CODES_MAX]);
/* Wipes and frees the payloads of n codes. */
void qr_scanner_codes_free(struct qr_scanner_code *codes, size_t n);

/* Starts the decoder thread, which pushes to q (not owned) the verdicts on
 * codes verified against keys (not owned; both must outlive the thread).
 * 0, -EALREADY, -EINVAL, -ENOMEM, or pthread's error. */
int qr_scanner_start(struct qr_scanner *sc, struct station_queue *q, const struct qr_keyring *keys);
/* Hands a frame to the thread (copied; any thread, does not block beyond
 * the copy). still: decode with every pass (an image file, not a stream).
 * A frame not yet taken is replaced (counted as dropped). 0, -EINVAL,
 * -EFBIG, -ENOMEM, -ESHUTDOWN (not started). */
int qr_scanner_submit(struct qr_scanner *sc, const struct camera_frame *f, bool still);
/* Blocks until the thread holds no frame and is idle, or timeout_ms
 * passed (-ETIMEDOUT). For tests and the sim. */
int qr_scanner_wait_idle(struct qr_scanner *sc, int timeout_ms);
/* Ends the thread (a waiting frame is dropped). Blocks. Idempotent. */
void qr_scanner_stop(struct qr_scanner *sc);

struct qr_scanner_stats {
	uint64_t submitted, dropped, decoded, codes, debounced, pushed;
};
void qr_scanner_get_stats(struct qr_scanner *sc, struct qr_scanner_stats *ret_stats);
