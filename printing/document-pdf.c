/* SPDX-License-Identifier: MIT */
/*
 * Demo documents as PDF: Cairo's PDF surface writing into memory, Pango
 * for the text (Indonesian names need proper shaping, and Pango picks
 * fonts through fontconfig like every other screen and receipt here).
 *
 * Layout, in PDF points on A4 (595 x 842): an agency letterhead, the
 * title and number, a table of the holder's particulars, a short body, the
 * QR code of the document id for checking it, and a "demo" watermark and
 * footer so that no print can pass for a real document.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document-pdf.h"
#include "qr-image.h"

#define PAGE_W	595.276 /* A4, points */
#define PAGE_H	841.890
#define MARGIN	62.0
#define TEXT_W	(PAGE_W - 2 * MARGIN)
#define QR_SIZE 110.0

#define DEMO_MARK "DOKUMEN CONTOH \xe2\x80\x94 DEMO" /* U+2014 em dash */

struct pdf_buffer {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool failed;
};

static cairo_status_t buffer_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct pdf_buffer *b = closure;

	if (b->failed)
		return CAIRO_STATUS_WRITE_ERROR;
	if (length > SIZE_MAX - b->len)
		goto fail;
	if (b->len + length > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		uint8_t *p;

		while (cap < b->len + length) {
			if (cap > SIZE_MAX / 2)
				goto fail;
			cap *= 2;
		}
		p = realloc(b->data, cap);
		if (!p)
			goto fail;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, length);
	b->len += length;
	return CAIRO_STATUS_SUCCESS;
fail:
	b->failed = true;
	return CAIRO_STATUS_WRITE_ERROR;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Lays out text at (x, y) in a box width wide and returns its height, so
 * the caller can stack blocks. Plain text, never markup: the strings come
 * from the backend. */
static double draw_text(cairo_t *cr, PangoLayout *layout, const char *font, const char *text,
			double x, double y, double width, PangoAlignment align)
{
	PangoFontDescription *desc = pango_font_description_from_string(font);
	int w, h;

	pango_layout_set_font_description(layout, desc);
	pango_font_description_free(desc);
	pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(layout, align);
	pango_layout_set_text(layout, text, -1);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, layout);
	pango_layout_get_size(layout, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void draw_rule(cairo_t *cr, double y, double width)
{
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, MARGIN, y);
	cairo_line_to(cr, PAGE_W - MARGIN, y);
	cairo_stroke(cr);
}

/* Big, light, diagonal: visible on every print and photocopy, yet the
 * text under it stays readable. Drawn first, so it lies beneath. */
static void draw_watermark(cairo_t *cr, PangoLayout *layout)
{
	int w, h;

	cairo_save(cr);
	cairo_translate(cr, PAGE_W / 2, PAGE_H / 2);
	cairo_rotate(cr, -atan2(PAGE_H, PAGE_W)); /* along the diagonal */
	cairo_set_source_rgba(cr, 0.80, 0.10, 0.10, 0.13);
	pango_layout_set_width(layout, -1);
	pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT);
	{
		PangoFontDescription *desc = pango_font_description_from_string("Sans Bold 50");

		pango_layout_set_font_description(layout, desc);
		pango_font_description_free(desc);
	}
	pango_layout_set_text(layout, DEMO_MARK, -1);
	pango_layout_get_size(layout, &w, &h);
	cairo_move_to(cr, -(double)w / PANGO_SCALE / 2, -(double)h / PANGO_SCALE / 2);
	pango_cairo_show_layout(cr, layout);
	cairo_restore(cr);
}

/* "2026-03-02" -> "2 Maret 2026", as Indonesian letters date things;
 * anything else as given. Returns a string to g_free(). */
static char *format_date(const char *iso)
{
	static const char *const months[] = {"Januari",	  "Februari", "Maret",	  "April",
					     "Mei",	  "Juni",     "Juli",	  "Agustus",
					     "September", "Oktober",  "November", "Desember"};
	int y, m, d;
	char tail;

	if (sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31)
		return g_strdup_printf("%d %s %d", d, months[m - 1], y);
	return g_strdup(iso);
}

/* draw_text() of a formatted line. Composed with GLib, not a fixed buffer:
 * a cut would split a UTF-8 character. */
__attribute__((format(printf, 8, 9))) static double draw_textf(cairo_t *cr, PangoLayout *layout,
							       const char *font, double x, double y,
							       double width, PangoAlignment align,
							       const char *fmt, ...)
{
	va_list ap;
	char *text;
	double h;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	h = draw_text(cr, layout, font, text, x, y, width, align);
	g_free(text);
	return h;
}

/* Sets the PDF's creation date from the issue date: the same document
 * then renders to the same bytes (hence the same SHA-256) every time. */
static void set_create_date(cairo_surface_t *surface, const char *iso)
{
	int y, m, d;
	char tail, date[40];

	if (sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return;
	snprintf(date, sizeof(date), "%04d-%02d-%02dT08:00:00+07:00", y, m, d);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
}

/* Returns 0 or -ENOMEM. */
static int draw_page(cairo_t *cr, const struct document_pdf_info *info)
{
	PangoContext *context = pango_cairo_create_context(cr);
	PangoLayout *layout;
	const struct {
		const char *label;
		const char *value;
	} rows[] = {
		{"Nama", or_empty(info->holder_name)},
		{"NIK", or_empty(info->nik)},
		{"Jenis layanan", or_empty(info->service)},
		{"Nomor permohonan", or_empty(info->application_id)},
		{"Tanggal terbit", NULL}, /* formatted below */
	};
	char *agency_upper = g_utf8_strup(or_empty(info->agency), -1);
	char *issued = format_date(or_empty(info->issued_on));
	double y = MARGIN, label_w = 130;
	int r;

	/* Font sizes in PDF points: Pango's default of 96 dpi would scale
	 * every size by 4/3 on a surface measured in points. */
	pango_cairo_context_set_resolution(context, 72);
	layout = pango_layout_new(context);
	g_object_unref(context);

	draw_watermark(cr, layout);
	cairo_set_source_rgb(cr, 0, 0, 0);

	/* Letterhead. */
	y += draw_text(cr, layout, "Serif Bold 13", "PEMERINTAH REPUBLIK INDONESIA", MARGIN, y,
		       TEXT_W, PANGO_ALIGN_CENTER);
	y += draw_text(cr, layout, "Serif Bold 18", agency_upper, MARGIN, y + 2, TEXT_W,
		       PANGO_ALIGN_CENTER) +
	     2;
	y += draw_text(cr, layout, "Serif 10",
		       "Mal Pelayanan Publik \xc2\xb7 Layanan mandiri (anjungan)", MARGIN, y + 2,
		       TEXT_W, PANGO_ALIGN_CENTER) +
	     8;
	draw_rule(cr, y, 2.0);
	draw_rule(cr, y + 3, 0.6);
	y += 28;

	/* Title and number. */
	y += draw_text(cr, layout, "Serif Bold 22", or_empty(info->title), MARGIN, y, TEXT_W,
		       PANGO_ALIGN_CENTER);
	y += draw_textf(cr, layout, "Serif 12", MARGIN, y + 4, TEXT_W, PANGO_ALIGN_CENTER,
			"Nomor: %s", or_empty(info->document_id)) +
	     30;

	/* Particulars. */
	y += draw_text(cr, layout, "Serif 12",
		       "Yang bertanda tangan di bawah ini menerangkan bahwa dokumen ini "
		       "diterbitkan untuk:",
		       MARGIN, y, TEXT_W, PANGO_ALIGN_LEFT) +
	     10;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *value = rows[i].value ? rows[i].value : issued;
		double h, value_h;

		h = draw_text(cr, layout, "Serif 12", rows[i].label, MARGIN + 20, y, label_w,
			      PANGO_ALIGN_LEFT);
		draw_text(cr, layout, "Serif 12", ":", MARGIN + 20 + label_w, y, 10,
			  PANGO_ALIGN_LEFT);
		value_h = draw_text(cr, layout, "Serif Bold 12", value, MARGIN + 36 + label_w, y,
				    TEXT_W - 36 - label_w, PANGO_ALIGN_LEFT);
		y += (value_h > h ? value_h : h) + 6;
	}
	y += 18;

	y += draw_textf(cr, layout, "Serif 12", MARGIN, y, TEXT_W, PANGO_ALIGN_LEFT,
			"Dokumen ini diterbitkan oleh %s sebagai hasil permohonan %s nomor %s, dan "
			"dicetak sendiri oleh pemohon melalui anjungan layanan mandiri Mal "
			"Pelayanan Publik. Dokumen elektronik ini sah tanpa tanda tangan basah; "
			"keasliannya dapat diperiksa dengan memindai kode QR di bawah ini.",
			or_empty(info->agency), or_empty(info->service),
			or_empty(info->application_id)) +
	     36;

	/* Signature block on the right, the QR on the left. */
	{
		double sig_x = PAGE_W - MARGIN - 220;
		double qr_y = y;

		y += draw_textf(cr, layout, "Serif 12", sig_x, y, 220, PANGO_ALIGN_LEFT,
				"Diterbitkan pada %s", issued);
		y += draw_textf(cr, layout, "Serif 12", sig_x, y, 220, PANGO_ALIGN_LEFT,
				"a.n. Kepala %s", or_empty(info->agency));
		y += draw_text(cr, layout, "Serif Italic 11", "Ditandatangani secara elektronik",
			       sig_x, y + 30, 220, PANGO_ALIGN_LEFT);

		/* The code holds the document id only: checking it asks the
		 * agency, and a photo of the page leaks nothing more. */
		r = qr_image_draw(cr, or_empty(info->document_id), MARGIN, qr_y, QR_SIZE);
		if (r == -ENOMEM)
			goto out;
		if (r >= 0)
			draw_text(cr, layout, "Sans 8", "Pindai untuk memeriksa keaslian", MARGIN,
				  qr_y + QR_SIZE + 4, QR_SIZE + 40, PANGO_ALIGN_LEFT);
	}

	/* Footer: the demo mark again, where a cropped copy still shows it. */
	cairo_set_source_rgb(cr, 0.55, 0.05, 0.05);
	draw_rule(cr, PAGE_H - MARGIN - 30, 0.8);
	draw_text(cr, layout, "Sans Bold 9",
		  DEMO_MARK " \xc2\xb7 dibuat oleh perangkat lunak Anjungan untuk peragaan; "
			    "tidak berlaku sebagai dokumen resmi.",
		  MARGIN, PAGE_H - MARGIN - 24, TEXT_W, PANGO_ALIGN_CENTER);
	r = 0;
out:
	g_object_unref(layout);
	g_free(issued);
	g_free(agency_upper);
	return r;
}

int document_pdf_render(const struct document_pdf_info *info, uint8_t **ret_pdf, size_t *ret_len)
{
	struct pdf_buffer buf = {0};
	cairo_surface_t *surface;
	cairo_status_t status;
	cairo_t *cr;
	int r;

	if (!info || !info->title || !*info->title || !info->document_id || !*info->document_id ||
	    !ret_pdf || !ret_len)
		return -EINVAL;
	/* Pango draws invalid UTF-8 as garbage and warns on stderr. */
	{
		const char *fields[] = {info->title,	   info->agency,   info->service,
					info->holder_name, info->nik,	   info->application_id,
					info->document_id, info->issued_on};

		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (fields[i] && !g_utf8_validate(fields[i], -1, NULL))
				return -EINVAL;
	}

	surface = cairo_pdf_surface_create_for_stream(buffer_write, &buf, PAGE_W, PAGE_H);
	/* Only the document id: PDF metadata travels further than the page
	 * (print queues, spool logs) and must carry no personal data. */
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, info->document_id);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Anjungan (demo)");
	set_create_date(surface, or_empty(info->issued_on));

	cr = cairo_create(surface);
	r = draw_page(cr, info);
	cairo_show_page(cr);
	status = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);

	if (r < 0)
		goto out;
	if (buf.failed && status == CAIRO_STATUS_SUCCESS)
		status = CAIRO_STATUS_WRITE_ERROR;
	if (status != CAIRO_STATUS_SUCCESS) {
		r = (status == CAIRO_STATUS_NO_MEMORY || buf.failed) ? -ENOMEM : -EIO;
		goto out;
	}
	if (buf.len == 0) {
		r = -EIO;
		goto out;
	}

	*ret_pdf = buf.data;
	*ret_len = buf.len;
	return 0;
out:
	if (buf.data)
		explicit_bzero(buf.data, buf.cap);
	free(buf.data);
	return r;
}
