/* SPDX-License-Identifier: MIT */
/*
 * ESC/POS: the byte stream a thermal receipt printer understands (Epson's
 * command set, which nearly every 58/80 mm printer follows).
 *
 * We print only raster images ("GS v 0"): the receipt is laid out with
 * Cairo and Pango, so Indonesian text, the QR code and the layout look the
 * same on every printer model, with no code pages or printer fonts.
 *
 * All functions are pure (no I/O), any thread, never block.
 */
#pragma once

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

/* Raster limits: the widest head we know is 832 dots (112 mm); a receipt
 * longer than 4 m is a bug or an attack. The height is also Cairo's
 * largest image side. */
#define ESCPOS_MAX_WIDTH_DOTS  4096
#define ESCPOS_MAX_HEIGHT_DOTS 32767
/* ...and not both at once: the decoder's image stays under 64 MiB. */
#define ESCPOS_MAX_AREA_DOTS (16 << 20)
/* Rows per "GS v 0" block: many printers buffer no more. */
#define ESCPOS_BAND_ROWS 256
/* Dots one LF advances when no ESC 3 set the spacing (Epson's default
 * 1/6 inch at 180 dpi). */
#define ESCPOS_DEFAULT_LINE_DOTS 30

/* Encodes the image s as one whole job: ESC @ (reset), the image as
 * "GS v 0" raster bands of at most ESCPOS_BAND_ROWS rows, a few lines of
 * feed, then "GS V 66 0" (feed to the cutter and cut partially).
 *
 * Pixels darker than 50 % grey print. Formats: RGB24, ARGB32 (composed
 * over white paper), A8 (alpha is ink), A1 (a set bit is ink). The width
 * is padded to whole bytes with white.
 *
 * Returns 0 with a malloc'ed buffer in *ret_buf (the caller frees it) and
 * its length in *ret_len; -EINVAL for a NULL or failed surface, another
 * format, or an empty image; -EFBIG for one wider than
 * ESCPOS_MAX_WIDTH_DOTS or taller than ESCPOS_MAX_HEIGHT_DOTS; -ENOMEM. */
int escpos_encode_raster(cairo_surface_t *s, uint8_t **ret_buf, size_t *ret_len);

/* The 3 bytes of the real-time status request "DLE EOT n": n = 1 printer
 * status, 2 offline cause, 3 error cause, 4 roll paper sensor. Returns 0,
 * or -EINVAL for another n. */
int escpos_status_request(uint8_t n, uint8_t ret_cmd[3]);

/* Parses the one byte a printer answers to "DLE EOT n" into
 * RECEIPT_STATUS_* flags (receipt-printer.h); the caller ORs the answers
 * to several requests together. Returns 0; -EINVAL for an n that
 * escpos_status_request() refuses; -EBADMSG for a byte whose fixed bits
 * are wrong (bits 1 and 4 set, 0 and 7 clear), such as a stray data byte
 * or a printer answering something else. */
int escpos_parse_status(uint8_t n, uint8_t byte, unsigned *ret_flags);

/* Renders an ESC/POS stream back to an image, as a printer would print it:
 * an RGB24 surface, black dots on white paper, as wide as the widest
 * raster (in whole bytes) and as long as the paper fed. Understands ESC @,
 * GS v 0 (all four scalings), LF, CR, ESC d n, ESC J n, ESC 2, ESC 3 n, GS V
 * (every cut form), DLE EOT n, and skips the common one-to-three-argument
 * formatting commands (ESC a/E/!/-/M/t/R/G/{/V/=, ESC p, GS !/L/W/a/B/H/h/
 * w/f). Meant for tests and the demo: any input is safe.
 *
 * Returns 0 with a new surface in *ret_surface (the caller destroys it);
 * -EBADMSG for an unknown or truncated command, text (we never print
 * printer fonts) or a bad argument; -EFBIG past the width, height or area
 * limits; -ENODATA for a stream that feeds no paper; -ENOMEM. */
int escpos_decode(const uint8_t *buf, size_t len, cairo_surface_t **ret_surface);
