/* SPDX-License-Identifier: MIT */
/*
 * escpos_quirks_apply() on arbitrary bytes, for every model's quirks: no
 * crash or overread; for a model that adds no feed, what the decoder
 * took before the rewrite it takes after.
 */
#include <stdint.h>
#include <stdlib.h>

#include "escpos-quirks.h"
#include "escpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t ids[][2] = {
		{0, 0}, {0x04b8, 0x0202}, {0x0416, 0x5011}, {0x0483, 0x5743}, {0x0fe6, 0x811e}};

	if (size > (1 << 20))
		return 0;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct escpos_quirks *q = escpos_quirks_lookup(ids[i][0], ids[i][1]);
		cairo_surface_t *a = NULL, *b = NULL;
		uint8_t *out = NULL;
		size_t out_len = 0;

		if (escpos_quirks_apply(q, data, size, &out, &out_len) < 0)
			continue;
		/* Same raster in other bands, no added feed: what decoded
		 * before decodes after. */
		if (escpos_decode(data, size, &a) == 0 && q->extra_feed_dots == 0 &&
		    escpos_decode(out, out_len, &b) != 0)
			abort();
		if (a)
			cairo_surface_destroy(a);
		if (b)
			cairo_surface_destroy(b);
		free(out);
	}
	return 0;
}
