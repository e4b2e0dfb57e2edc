/* SPDX-License-Identifier: MIT */
/*
 * escpos_decode() on arbitrary bytes: no crash, no overread, no unbounded
 * allocation; what it accepts is an image within the documented limits.
 */
#include <stdint.h>
#include <stdlib.h>

#include "escpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cairo_surface_t *s = NULL;

	if (escpos_decode(data, size, &s) < 0)
		return 0;
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
	    cairo_image_surface_get_width(s) > ESCPOS_MAX_WIDTH_DOTS ||
	    cairo_image_surface_get_height(s) > ESCPOS_MAX_HEIGHT_DOTS ||
	    (size_t)cairo_image_surface_get_width(s) * (size_t)cairo_image_surface_get_height(s) >
		    ESCPOS_MAX_AREA_DOTS)
		abort();
	cairo_surface_destroy(s);
	return 0;
}
