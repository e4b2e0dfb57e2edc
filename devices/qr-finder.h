/* SPDX-License-Identifier: MIT */
/*
 * A cheap test for QR finder patterns (the three 1:1:3:1:1 squares of a
 * QR code) in a gray image, run before zbar on a streamed camera frame:
 * a frame with no finder-like structure (the common case: nobody is
 * showing a code) skips zbar, whose cost on a busy frame without a code
 * is several times that on a frame with one.
 *
 * Every step-th row is binarised against a running local mean with some
 * hysteresis (noise on a flat background makes no runs), its runs are
 * matched against 1:1:3:1:1 in both polarities (dark-on-light codes and
 * dark-mode ones), and each match is confirmed by the same ratio down the
 * column through its centre. Rotation, perspective and blur keep the
 * ratios close enough; the tolerances are those zbar's own finder allows.
 *
 * Pure; any thread; never logs.
 */
#pragma once

#include <stdint.h>

/* The number of confirmed finder candidates in the image (stride bytes per
 * row), counting at most max_count (> 0): 0 means zbar would find no QR
 * code in it. step: scan every step-th row (1 to 16). Returns -EINVAL for
 * bad arguments. */
int qr_finder_count(const uint8_t *gray, int width, int height, int stride, int step,
		    int max_count);
