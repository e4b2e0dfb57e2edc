/* SPDX-License-Identifier: MIT */
/*
 * QR codes drawn with Cairo (libqrencode for the symbol): the reference on
 * a receipt, the check code on a demo document.
 */
#pragma once

#include <cairo.h>

/* Draws the QR code of text (UTF-8, taken as 8-bit bytes, error correction
 * level M) into the square at (x, y) with side size, in user units: a
 * white square with the symbol centred in it and a quiet zone of at least
 * 4 modules. On an image surface the modules are snapped to whole device
 * pixels (no grey seams between modules, so a thermal printer's threshold
 * keeps every edge); on vector surfaces they fill the square exactly.
 *
 * Returns 0, or -EINVAL (NULL or empty text, size <= 0, or the square too
 * small for one device pixel per module on an image surface), -ERANGE
 * (text too long for a QR code), -ENOMEM. Draws nothing on failure. The
 * cairo state (source, antialias, path) is saved and restored. Any
 * thread that owns cr; does not block. */
int qr_image_draw(cairo_t *cr, const char *text, double x, double y, double size);
