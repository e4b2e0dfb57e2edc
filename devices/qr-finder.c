/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "camera.h"
#include "qr-finder.h"

/* Half the width of the running mean a pixel is compared with: wider than
 * a finder (7 modules) at any module size a camera frame gives. */
#define MEAN_RADIUS 48
/* Hysteresis around the mean, in gray levels: noise on a flat background
 * stays one run. */
#define HYSTERESIS 10
/* A finder narrower than this many pixels (modules under 1.5 px) is not
 * one zbar decodes. */
#define MIN_TOTAL 10

/* 1:1:3:1:1 within half a module for the outer runs and a module and a
 * half for the centre (as zbar and ZXing allow). */
static bool ratio_ok(const int r[5])
{
	int total = r[0] + r[1] + r[2] + r[3] + r[4];

	if (total < MIN_TOTAL)
		return false;
	for (int i = 0; i < 5; i++) {
		if (i == 2)
			continue;
		if (abs(14 * r[i] - 2 * total) >= total)
			return false;
	}
	return abs(14 * r[2] - 6 * total) < 3 * total;
}

static bool is_color(uint8_t v, int threshold, bool dark)
{
	return dark ? v < threshold : v > threshold;
}

/* The same ratio down the column through (x, y), the centre run being dark
 * (or light) against threshold; runs longer than limit end the walk. */
static bool column_ok(const uint8_t *gray, int height, int stride, int x, int y, int threshold,
		      bool dark, int limit)
{
	int up[3] = {0}, down[3] = {0}, r[5];
	const uint8_t *col = gray + x;

	for (int dir = 0; dir < 2; dir++) {
		int *n = dir == 0 ? up : down;
		int yy = y + (dir == 0 ? 0 : 1), d = dir == 0 ? -1 : 1;

		for (int k = 0; k < 3; k++) {
			bool want_dark = k != 1 ? dark : !dark;

			while (yy >= 0 && yy < height && n[k] <= limit &&
			       is_color(col[(size_t)yy * (size_t)stride], threshold, want_dark)) {
				n[k]++;
				yy += d;
			}
			if (n[k] == 0 || n[k] > limit)
				return false;
		}
	}
	r[0] = up[2];
	r[1] = up[1];
	r[2] = up[0] + down[0];
	r[3] = down[1];
	r[4] = down[2];
	return ratio_ok(r);
}

int qr_finder_count(const uint8_t *gray, int width, int height, int stride, int step, int max_count)
{
	uint32_t *sum;
	int count = 0;

	if (!gray || width <= 0 || height <= 0 || stride < width || step < 1 || step > 16 ||
	    max_count <= 0 || width > CAMERA_MAX_SIDE || height > CAMERA_MAX_SIDE)
		return -EINVAL;
	sum = malloc(((size_t)width + 1) * sizeof(*sum));
	if (!sum)
		return -ENOMEM;

	for (int y = step / 2; y < height && count < max_count; y += step) {
		const uint8_t *row = gray + (size_t)y * (size_t)stride;
		int runs[5] = {0}, n_runs = 0, run = 0, state = -1; /* 1 dark, 0 light */

		sum[0] = 0;
		for (int x = 0; x < width; x++)
			sum[x + 1] = sum[x] + row[x];
		for (int x = 0; x <= width && count < max_count; x++) {
			int s = state;

			if (x < width) {
				int lo = x - MEAN_RADIUS < 0 ? 0 : x - MEAN_RADIUS;
				int hi = x + MEAN_RADIUS >= width ? width - 1 : x + MEAN_RADIUS;
				int cnt = hi - lo + 1;
				int64_t m = (int64_t)(sum[hi + 1] - sum[lo]);
				int64_t v = (int64_t)row[x] * cnt;

				if (v < m - (int64_t)HYSTERESIS * cnt)
					s = 1;
				else if (v > m + (int64_t)HYSTERESIS * cnt)
					s = 0;
			} else {
				s = -2; /* the row's end closes the last run */
			}
			if (s == state) {
				run++;
				continue;
			}
			if (state >= 0) {
				/* A run of colour state ended at x - 1. */
				if (n_runs == 5)
					for (int i = 0; i < 4; i++)
						runs[i] = runs[i + 1];
				runs[n_runs < 5 ? n_runs++ : 4] = run;
				if (n_runs == 5 && ratio_ok(runs)) {
					int cx = x - runs[4] - runs[3] - (runs[2] + 1) / 2;
					int lo = cx - MEAN_RADIUS < 0 ? 0 : cx - MEAN_RADIUS;
					int hi = cx + MEAN_RADIUS >= width ? width - 1
									   : cx + MEAN_RADIUS;
					int t = (int)((sum[hi + 1] - sum[lo]) /
						      (uint32_t)(hi - lo + 1));
					int total = runs[0] + runs[1] + runs[2] + runs[3] + runs[4];

					/* The centre run has the colour of the
					 * one that just ended. */
					if (column_ok(gray, height, stride, cx, y, t, state == 1,
						      total))
						count++;
				}
			}
			state = s;
			run = 1;
		}
	}
	free(sum);
	return count;
}
