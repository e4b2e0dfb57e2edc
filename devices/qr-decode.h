/* SPDX-License-Identifier: MIT */
/*
 * QR codes in still images, with zbar configured for QR only (every other
 * symbology off: faster, and no false EAN reads off a printed page).
 * Used by the QR simulator, `station scan` and the camera back end.
 *
 * Pure apart from reading the file; any thread; blocks for the decode
 * (tens of milliseconds on a 720p frame). Never logs.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Decodes an 8-bit grayscale image (stride bytes per row, stride >= width).
 * The text of the first QR code found is copied into ret_text (at most
 * size - 1 bytes, NUL-terminated; the data may hold any byte, NULs too) and
 * its full length stored in *ret_len, which may exceed size - 1: the caller
 * sees a truncated code as such, as with snprintf.
 * Returns the number of QR codes found (>= 1), -ENOMSG when there is none,
 * -EINVAL for bad arguments (size must be >= 1), -ENOMEM. */
int qr_decode_gray(const uint8_t *gray, int width, int height, int stride, char *ret_text,
		   size_t size, size_t *ret_len);

/* Loads a PNG (alpha composed over white), converts it to gray and calls
 * qr_decode_gray(). Also -ENOENT (no such file), -EACCES, -EIO (unreadable
 * or not a PNG), -EFBIG (larger than QR_DECODE_MAX_PIXELS). */
int qr_decode_png(const char *path, char *ret_text, size_t size, size_t *ret_len);

/* Larger images are refused: no camera frame or scan gets near it, and a
 * hostile file must not make the station allocate without bound. */
#define QR_DECODE_MAX_PIXELS (8192 * 8192)
