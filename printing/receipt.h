/* SPDX-License-Identifier: MIT */
/*
 * The status receipt: what a citizen takes home after looking up their
 * applications. Laid out with Cairo and Pango into an image as wide as the
 * printer's head; escpos_encode_raster() turns it into printer bytes.
 *
 * The holder's name and NIK are printed masked only (privacy.h): a receipt
 * is a piece of paper that gets left on the counter.
 */
#pragma once

#include <cairo.h>
#include <stdbool.h>
#include <time.h>

#include "session-types.h"

#define RECEIPT_WIDTH_58MM 384 /* dots, 203 dpi, 48 mm printable */
#define RECEIPT_WIDTH_80MM 576 /* dots, 203 dpi, 72 mm printable */

struct receipt_info {
	const char *station_id; /* printed as is; NULL prints "-" */
	time_t when;		/* printed in the station's local time */
	bool english;		/* false: Bahasa Indonesia */
	const char *reference;	/* QR text; no personal data. NULL/"": no QR */
	int width_dots;		/* 384 or 576 */
};

/* Renders the receipt for r. The surface is CAIRO_FORMAT_RGB24, black on
 * white, info->width_dots wide and as tall as the content.
 *
 * Returns 0 with a new surface in *ret_surface (the caller destroys it
 * with cairo_surface_destroy()); -EINVAL for NULL arguments, a width other
 * than 384 or 576, or more than SESSION_MAX_APPS applications; -ERANGE for
 * a reference too long for a QR code; -ENOMEM. Any thread (Pango's font
 * map is per thread); blocks for the tens of milliseconds layout takes.
 * Backend strings are shown as plain text (never Pango markup); invalid
 * UTF-8 is repaired, not rejected. */
int receipt_render(const struct receipt_info *info, const struct session_lookup_result *r,
		   cairo_surface_t **ret_surface);

/* The printed name of a stage, "Diproses" / "In process". Never NULL
 * (an out-of-range stage reads "?"). */
const char *receipt_stage_label(enum session_stage stage, bool english);
