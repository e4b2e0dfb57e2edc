/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <zbar.h>

#include "qr-decode.h"

int qr_decode_gray(const uint8_t *gray, int width, int height, int stride, char *ret_text,
		   size_t size, size_t *ret_len)
{
	zbar_image_scanner_t *scanner = NULL;
	zbar_image_t *image = NULL;
	const zbar_symbol_t *sym, *first = NULL;
	uint8_t *packed = NULL;
	size_t npix;
	int found = 0, r;

	if (!gray || width <= 0 || height <= 0 || stride < width || !ret_text || size == 0 ||
	    !ret_len)
		return -EINVAL;
	npix = (size_t)width * (size_t)height;
	if (npix > QR_DECODE_MAX_PIXELS)
		return -EFBIG;

	/* zbar's Y800 wants rows back to back. */
	packed = malloc(npix);
	if (!packed)
		return -ENOMEM;
	for (int y = 0; y < height; y++)
		memcpy(packed + (size_t)y * (size_t)width, gray + (size_t)y * (size_t)stride,
		       (size_t)width);

	scanner = zbar_image_scanner_create();
	image = zbar_image_create();
	if (!scanner || !image) {
		r = -ENOMEM;
		goto out;
	}
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(image, (unsigned)width, (unsigned)height);
	zbar_image_set_data(image, packed, npix, NULL);

	if (zbar_scan_image(scanner, image) < 0) {
		r = -ENOMEM;
		goto out;
	}
	/* Count the symbols rather than trust the scan's return value
	 * (TESTBED.md: it has been seen to say 0 after a decode). */
	for (sym = zbar_image_first_symbol(image); sym; sym = zbar_symbol_next(sym)) {
		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
			continue;
		if (!first)
			first = sym;
		found++;
	}
	if (!first) {
		r = -ENOMSG;
		goto out;
	}

	{
		const char *data = zbar_symbol_get_data(first);
		size_t len = zbar_symbol_get_data_length(first);
		size_t n = len < size - 1 ? len : size - 1;

		if (n > 0)
			memcpy(ret_text, data, n);
		ret_text[n] = '\0';
		*ret_len = len;
	}
	r = found;
out:
	if (image)
		zbar_image_destroy(image);
	if (scanner)
		zbar_image_scanner_destroy(scanner);
	free(packed);
	return r;
}

static int cairo_to_errno(cairo_status_t st)
{
	switch (st) {
	case CAIRO_STATUS_SUCCESS:
		return 0;
	case CAIRO_STATUS_NO_MEMORY:
		return -ENOMEM;
	case CAIRO_STATUS_FILE_NOT_FOUND:
		return -ENOENT;
	case CAIRO_STATUS_INVALID_SIZE:
		return -EFBIG;
	default:
		return -EIO;
	}
}

/* cairo reports a missing file, a directory and a text file alike (the
 * last as "out of memory"): look first, for a precise answer. */
static int check_png(const char *path)
{
	static const uint8_t magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	uint8_t head[8];
	FILE *f = fopen(path, "rbe");
	size_t n;

	if (!f)
		return -errno;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return n == sizeof(head) && memcmp(head, magic, sizeof(magic)) == 0 ? 0 : -EIO;
}

int qr_decode_png(const char *path, char *ret_text, size_t size, size_t *ret_len)
{
	cairo_surface_t *png = NULL, *flat = NULL;
	cairo_t *cr = NULL;
	uint8_t *gray = NULL;
	int width, height, r;

	if (!path || !ret_text || size == 0 || !ret_len)
		return -EINVAL;
	r = check_png(path);
	if (r < 0)
		return r;

	png = cairo_image_surface_create_from_png(path);
	r = cairo_to_errno(cairo_surface_status(png));
	if (r < 0)
		goto out;
	width = cairo_image_surface_get_width(png);
	height = cairo_image_surface_get_height(png);
	if (width <= 0 || height <= 0) {
		r = -EIO;
		goto out;
	}
	if ((size_t)width * (size_t)height > QR_DECODE_MAX_PIXELS) {
		r = -EFBIG;
		goto out;
	}

	/* Whatever the PNG's format (gray, palette, alpha), compose it on
	 * white in RGB24: a transparent background reads as paper. */
	flat = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	r = cairo_to_errno(cairo_surface_status(flat));
	if (r < 0)
		goto out;
	cr = cairo_create(flat);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_surface(cr, png, 0, 0);
	cairo_paint(cr);
	r = cairo_to_errno(cairo_status(cr));
	if (r < 0)
		goto out;
	cairo_surface_flush(flat);

	gray = malloc((size_t)width * (size_t)height);
	if (!gray) {
		r = -ENOMEM;
		goto out;
	}
	{
		const uint8_t *px = cairo_image_surface_get_data(flat);
		int stride = cairo_image_surface_get_stride(flat);

		for (int y = 0; y < height; y++) {
			const uint32_t *row =
				(const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
			uint8_t *out = gray + (size_t)y * (size_t)width;
			for (int x = 0; x < width; x++) {
				uint32_t p = row[x];
				unsigned red = (p >> 16) & 0xff, green = (p >> 8) & 0xff,
					 blue = p & 0xff;
				/* ITU-R BT.601 luma, in integers. */
				out[x] = (uint8_t)((red * 299 + green * 587 + blue * 114) / 1000);
			}
		}
	}
	r = qr_decode_gray(gray, width, height, width, ret_text, size, ret_len);
out:
	free(gray);
	if (cr)
		cairo_destroy(cr);
	if (flat)
		cairo_surface_destroy(flat);
	if (png)
		cairo_surface_destroy(png);
	return r;
}
