/* SPDX-License-Identifier: MIT */
/*
 * QR code -> Cairo. Each run of dark modules in a row becomes one
 * rectangle: fewer path elements than one square per module, and no
 * anti-aliased hairlines between neighbours in vector output.
 */
#include <errno.h>
#include <math.h>
#include <qrencode.h>
#include <string.h>

#include "qr-image.h"

#define QUIET_MODULES 4

static int encode(const char *text, QRcode **ret_code)
{
	QRcode *code;

	errno = 0;
	code = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (!code) {
		int e = errno;

		if (e == ERANGE)
			return -ERANGE;
		if (e == ENOMEM)
			return -ENOMEM;
		return -EINVAL;
	}
	*ret_code = code;
	return 0;
}

/* Module size and origin in user units. On an image surface both are
 * rounded to whole device pixels, so that every module covers the same
 * number of pixels and its edges are hard. */
static int place(cairo_t *cr, int n_modules, double x, double y, double size, double *ret_module,
		 double *ret_x0, double *ret_y0)
{
	cairo_surface_t *target = cairo_get_target(cr);
	double module = size / n_modules;
	double x0, y0;

	if (cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE) {
		double dx = module, dy = 0, ox = x, oy = y, ux, uy;
		double dev_module;

		cairo_user_to_device_distance(cr, &dx, &dy);
		dev_module = floor(hypot(dx, dy));
		if (dev_module < 1)
			return -EINVAL;
		module = module * dev_module / hypot(dx, dy);
		/* Centre, then snap the corner to the pixel grid. */
		ox = x + (size - module * n_modules) / 2;
		oy = y + (size - module * n_modules) / 2;
		cairo_user_to_device(cr, &ox, &oy);
		ux = round(ox);
		uy = round(oy);
		cairo_device_to_user(cr, &ux, &uy);
		x0 = ux;
		y0 = uy;
	} else {
		x0 = x;
		y0 = y;
	}
	*ret_module = module;
	*ret_x0 = x0;
	*ret_y0 = y0;
	return 0;
}

int qr_image_draw(cairo_t *cr, const char *text, double x, double y, double size)
{
	QRcode *code = NULL;
	double module, x0, y0;
	int n, r;

	if (!cr || !text || !*text || !(size > 0) || !isfinite(x) || !isfinite(y))
		return -EINVAL;
	r = encode(text, &code);
	if (r < 0)
		return r;
	n = code->width + 2 * QUIET_MODULES;
	r = place(cr, n, x, y, size, &module, &x0, &y0);
	if (r < 0)
		goto out;

	cairo_save(cr);
	cairo_new_path(cr);
	/* The whole square white: the quiet zone must be light whatever
	 * lies beneath. */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);

	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int row = 0; row < code->width; row++) {
		const unsigned char *line = code->data + (size_t)row * (size_t)code->width;
		int col = 0;

		while (col < code->width) {
			int start;

			if (!(line[col] & 1)) {
				col++;
				continue;
			}
			start = col;
			while (col < code->width && (line[col] & 1))
				col++;
			cairo_rectangle(cr, x0 + (QUIET_MODULES + start) * module,
					y0 + (QUIET_MODULES + row) * module, (col - start) * module,
					module);
		}
	}
	cairo_fill(cr);
	cairo_restore(cr);
	r = 0;
out:
	QRcode_free(code);
	return r;
}
