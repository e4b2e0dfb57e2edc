/* SPDX-License-Identifier: MIT */
/*
 * Per-model ESC/POS quirks, by USB VID:PID: how many raster rows one
 * "GS v 0" block may carry, which cut command the mechanism understands,
 * and whether the printer answers "DLE EOT n" on its bulk IN endpoint.
 *
 * escpos_encode_raster() writes the stream every Epson-compatible printer
 * takes; escpos_quirks_apply() rewrites that stream for a model that
 * needs less (smaller bands, another cut). Pure functions, any thread,
 * never block.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum escpos_cut {
	ESCPOS_CUT_FEED_PARTIAL, /* GS V 66 0: feed to the cutter, partial cut (default) */
	ESCPOS_CUT_FEED_FULL,	 /* GS V 65 0: feed to the cutter, full cut */
	ESCPOS_CUT_PARTIAL,	 /* GS V 1 after extra feed: no "feed to cutter" form */
	ESCPOS_CUT_NONE,	 /* tear-off bar only: feed, no cut command */
};

struct escpos_quirks {
	uint16_t vid, pid; /* 0:0 for the default entry */
	const char *model; /* for logs and `station print` output */
	int max_band_rows; /* rows per GS v 0 block, 1..ESCPOS_BAND_ROWS */
	enum escpos_cut cut;
	int extra_feed_dots; /* fed before a cut that does not feed itself */
	bool status;	     /* answers DLE EOT n on bulk IN */
};

/* The quirks for vid:pid, or the default entry (Epson behaviour, status
 * supported) for a model not in the table. Never NULL; static storage. */
const struct escpos_quirks *escpos_quirks_lookup(uint16_t vid, uint16_t pid);

/* Rewrites a stream that escpos_encode_raster() produced for model q:
 * raster bands split to q->max_band_rows, the cut replaced by q->cut.
 * Decodes to the same image (escpos_decode) apart from the feed a
 * non-feeding cut needs.
 *
 * Returns 0 with a malloc'ed buffer in *ret_buf (the caller frees it) and
 * its length in *ret_len; -EINVAL for NULL arguments or a bad q;
 * -EBADMSG for bytes that are not a stream our encoder writes (only
 * ESC @, GS v 0, ESC d n, ESC J n, LF and GS V are expected); -ENOMEM. */
int escpos_quirks_apply(const struct escpos_quirks *q, const uint8_t *buf, size_t len,
			uint8_t **ret_buf, size_t *ret_len);
