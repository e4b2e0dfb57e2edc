/* SPDX-License-Identifier: MIT */
/*
 * qr_finder_count() on any frame: the first two bytes give the width (1 to
 * 256) and the row step, the rest is the raster (rows beyond it are not
 * made up). No crash, no read outside the raster (ASan), and a count
 * within 0..max_count.
 */
#include <stdint.h>
#include <stdlib.h>

#include "qr-finder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int width, height, step, r;
	uint8_t *copy;

	if (size < 3)
		return 0;
	width = data[0] + 1;
	step = data[1] % 16 + 1;
	data += 2;
	size -= 2;
	height = (int)(size / (size_t)width);
	if (height == 0)
		return 0;
	/* An exact-size copy: ASan sees any read past the last row. */
	copy = malloc((size_t)width * (size_t)height);
	if (!copy)
		return 0;
	for (size_t i = 0; i < (size_t)width * (size_t)height; i++)
		copy[i] = data[i];
	r = qr_finder_count(copy, width, height, width, step, 4);
	if (r < 0 || r > 4)
		abort();
	free(copy);
	return 0;
}
