/* SPDX-License-Identifier: MIT */
/*
 * camera_pgm_parse() on any bytes: no crash, no overread, no allocation
 * beyond the limit, and what parses has sane dimensions and a raster the
 * input could hold.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "camera.h"
#include "qr-decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *gray = NULL;
	int w = 0, h = 0, r;

	r = camera_pgm_parse(data, size, &gray, &w, &h);
	if (r == 0) {
		size_t n = (size_t)w * (size_t)h;
		unsigned sum = 0;

		check(w > 0 && h > 0 && w <= CAMERA_MAX_SIDE && h <= CAMERA_MAX_SIDE);
		check(n <= QR_DECODE_MAX_PIXELS);
		/* A binary raster is in the input; an ASCII one takes at
		 * least two bytes a sample. */
		check(n <= size);
		for (size_t i = 0; i < n; i++)
			sum += gray[i]; /* every byte written (MSan, valgrind) */
		(void)sum;
		free(gray);
	} else {
		check(r == -EINVAL || r == -EFBIG || r == -ENOMEM);
		check(gray == NULL);
	}
	return 0;
}
