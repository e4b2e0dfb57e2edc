/* SPDX-License-Identifier: MIT */
/*
 * Receipt layout (receipt.h). The layout runs twice: once on a scratch
 * surface to measure how tall the paper must be, once to draw. Both passes
 * use the same code, so the measure cannot disagree with the drawing.
 *
 * Dates use our own month and day names rather than strftime(): the
 * station's locale is whatever the kiosk image has, the receipt's language
 * is what the citizen chose.
 */
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privacy.h"
#include "qr-image.h"
#include "receipt.h"

#define FONT_FAMILY "DejaVu Sans"

/* Sizes in dots (203 dpi). The 58 mm head gets smaller type, not a
 * scaled-down copy: below ~16 dots thermal print stops being legible. */
struct metrics {
	int width;
	double margin;
	double title_px;
	double body_px;
	double small_px;
	double gap;
	double qr;
};

static const struct metrics metrics_80mm = {
	.width = RECEIPT_WIDTH_80MM,
	.margin = 8,
	.title_px = 30,
	.body_px = 22,
	.small_px = 18,
	.gap = 10,
	.qr = 232,
};

static const struct metrics metrics_58mm = {
	.width = RECEIPT_WIDTH_58MM,
	.margin = 4,
	.title_px = 24,
	.body_px = 18,
	.small_px = 16,
	.gap = 8,
	.qr = 200,
};

enum font {
	FONT_TITLE,
	FONT_BODY,
	FONT_BOLD,
	FONT_SMALL,
	_FONT_MAX,
};

struct pen {
	const struct metrics *m;
	cairo_t *cr;
	PangoLayout *layout;
	PangoFontDescription *font[_FONT_MAX];
	bool draw; /* false: measuring */
	double y;
	double qr_y; /* where the QR goes: drawn on the final surface */
	int error;   /* first failure, negative errno */
};

/* ---- words ------------------------------------------------------------ */

static const char *const month_id[12] = {"Januari",   "Februari", "Maret",    "April",
					 "Mei",	      "Juni",	  "Juli",     "Agustus",
					 "September", "Oktober",  "November", "Desember"};
static const char *const month_en[12] = {"January",   "February", "March",    "April",
					 "May",	      "June",	  "July",     "August",
					 "September", "October",  "November", "December"};
static const char *const month_short_id[12] = {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
					       "Jul", "Agu", "Sep", "Okt", "Nov", "Des"};
static const char *const month_short_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const day_id[7] = {"Minggu", "Senin", "Selasa", "Rabu",
				      "Kamis",	"Jumat", "Sabtu"};
static const char *const day_en[7] = {"Sunday",	  "Monday", "Tuesday", "Wednesday",
				      "Thursday", "Friday", "Saturday"};

static const char *const stage_id[_SESSION_STAGE_MAX] = {
	[SESSION_STAGE_RECEIVED] = "Diterima",
	[SESSION_STAGE_VERIFYING] = "Verifikasi berkas",
	[SESSION_STAGE_NEEDS_FIX] = "Perlu perbaikan",
	[SESSION_STAGE_PROCESSING] = "Diproses",
	[SESSION_STAGE_AWAITING_PAYMENT] = "Menunggu pembayaran",
	[SESSION_STAGE_READY] = "Selesai - siap diambil",
	[SESSION_STAGE_COLLECTED] = "Sudah diambil",
	[SESSION_STAGE_REJECTED] = "Ditolak",
};

static const char *const stage_en[_SESSION_STAGE_MAX] = {
	[SESSION_STAGE_RECEIVED] = "Received",
	[SESSION_STAGE_VERIFYING] = "Checking documents",
	[SESSION_STAGE_NEEDS_FIX] = "Needs correction",
	[SESSION_STAGE_PROCESSING] = "In process",
	[SESSION_STAGE_AWAITING_PAYMENT] = "Awaiting payment",
	[SESSION_STAGE_READY] = "Done - ready for collection",
	[SESSION_STAGE_COLLECTED] = "Collected",
	[SESSION_STAGE_REJECTED] = "Rejected",
};

const char *receipt_stage_label(enum session_stage stage, bool english)
{
	if ((int)stage < 0 || stage >= _SESSION_STAGE_MAX)
		return "?";
	return english ? stage_en[stage] : stage_id[stage];
}

/* "Senin, 2 Maret 2026, 14.05 WIB": Indonesian writes the time with a
 * dot (PUEBI); English with a colon. */
static void format_when(time_t when, bool english, char *buf, size_t size)
{
	struct tm tm;

	if (!localtime_r(&when, &tm) || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_wday < 0 ||
	    tm.tm_wday > 6) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf, size, "%s, %d %s %d, %02d%c%02d %s",
		 english ? day_en[tm.tm_wday] : day_id[tm.tm_wday], tm.tm_mday,
		 english ? month_en[tm.tm_mon] : month_id[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		 english ? ':' : '.', tm.tm_min, tm.tm_zone ? tm.tm_zone : "");
}

static bool parse_digits(const char *s, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

/* An ISO 8601 date ("2026-03-02", optionally followed by a time) as
 * "2 Mar 2026"; anything else is shown as the backend sent it. */
static void format_date(const char *iso, size_t len, bool english, char *buf, size_t size)
{
	int y, m, d;

	if (len >= 10 && parse_digits(iso, 4, &y) && iso[4] == '-' &&
	    parse_digits(iso + 5, 2, &m) && iso[7] == '-' && parse_digits(iso + 8, 2, &d) &&
	    m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
	    (len == 10 || iso[10] == 'T' || iso[10] == ' ')) {
		snprintf(buf, size, "%d %s %d", d,
			 english ? month_short_en[m - 1] : month_short_id[m - 1], y);
		return;
	}
	snprintf(buf, size, "%.*s", (int)len, iso);
}

/* ---- drawing primitives ---------------------------------------------- */

static void pen_fail(struct pen *p, int error)
{
	if (p->error == 0)
		p->error = error;
}

/* Lays out len bytes of text (plain, never markup), the first bold_len of
 * them bold, across the line from indent, and moves down by its height. */
static void pen_text(struct pen *p, enum font font, const char *text, size_t len, size_t bold_len,
		     PangoAlignment align, double indent)
{
	const struct metrics *m = p->m;
	char *valid = NULL;
	PangoAttrList *attrs = NULL;
	int w, h;

	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		valid = g_utf8_make_valid(text, (gssize)len);
		if (!valid) {
			pen_fail(p, -ENOMEM);
			return;
		}
		text = valid;
		len = strlen(valid);
		bold_len = 0;
	}
	pango_layout_set_font_description(p->layout, p->font[font]);
	pango_layout_set_width(p->layout, (int)((m->width - 2 * m->margin - indent) * PANGO_SCALE));
	pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->layout, align);
	pango_layout_set_text(p->layout, text, (int)len);
	if (bold_len > 0) {
		PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);

		attrs = pango_attr_list_new();
		a->start_index = 0;
		a->end_index = (guint)bold_len;
		pango_attr_list_insert(attrs, a);
	}
	pango_layout_set_attributes(p->layout, attrs);
	pango_layout_get_pixel_size(p->layout, &w, &h);
	if (p->draw) {
		cairo_move_to(p->cr, m->margin + indent, p->y);
		pango_cairo_show_layout(p->cr, p->layout);
	}
	p->y += h;
	if (attrs)
		pango_attr_list_unref(attrs);
	g_free(valid);
}

static void pen_line(struct pen *p, enum font font, const char *text, PangoAlignment align)
{
	pen_text(p, font, text, strlen(text), 0, align, 0);
}

/* "Label: value" with the label bold. value may be a fixed-size field
 * without a NUL at its end: at most value_max bytes are read. */
static void pen_field(struct pen *p, const char *label, const char *value, size_t value_max)
{
	size_t llen = strlen(label), vlen = strnlen(value, value_max);
	char *line = malloc(llen + 2 + vlen + 1);

	if (!line) {
		pen_fail(p, -ENOMEM);
		return;
	}
	memcpy(line, label, llen);
	memcpy(line + llen, ": ", 2);
	memcpy(line + llen + 2, value, vlen);
	line[llen + 2 + vlen] = '\0';
	pen_text(p, FONT_BODY, line, llen + 2 + vlen, llen + 1, PANGO_ALIGN_LEFT, 0);
	/* The value may be a masked name: do not leave it in the heap. */
	explicit_bzero(line, llen + 2 + vlen);
	free(line);
}

static void pen_gap(struct pen *p, double dots)
{
	p->y += dots;
}

static void pen_rule(struct pen *p, bool dashed)
{
	const struct metrics *m = p->m;
	double dash[] = {8, 6};

	p->y += m->gap / 2;
	if (p->draw) {
		cairo_save(p->cr);
		cairo_set_antialias(p->cr, CAIRO_ANTIALIAS_NONE);
		cairo_set_line_width(p->cr, 2);
		if (dashed)
			cairo_set_dash(p->cr, dash, 2, 0);
		cairo_move_to(p->cr, m->margin, floor(p->y) + 1);
		cairo_line_to(p->cr, m->width - m->margin, floor(p->y) + 1);
		cairo_stroke(p->cr);
		cairo_restore(p->cr);
	}
	p->y += 2 + m->gap / 2;
}

/* ---- the receipt ------------------------------------------------------- */

static void layout_app(struct pen *p, const struct session_app *a, bool english)
{
	char date[64];

	pen_text(p, FONT_BOLD, a->agency, strnlen(a->agency, sizeof(a->agency)), 0,
		 PANGO_ALIGN_LEFT, 0);
	pen_text(p, FONT_BODY, a->service, strnlen(a->service, sizeof(a->service)), 0,
		 PANGO_ALIGN_LEFT, 0);
	if (a->id[0])
		pen_field(p, english ? "Application no." : "No. permohonan", a->id, sizeof(a->id));
	pen_field(p, english ? "Stage" : "Tahap", receipt_stage_label(a->stage, english), SIZE_MAX);
	if (a->updated_at[0]) {
		format_date(a->updated_at, strnlen(a->updated_at, sizeof(a->updated_at)), english,
			    date, sizeof(date));
		pen_field(p, english ? "Updated" : "Diperbarui", date, sizeof(date));
	}
	if (a->next_step[0])
		pen_field(p, english ? "Next step" : "Langkah berikutnya", a->next_step,
			  sizeof(a->next_step));
}

static void layout_receipt(struct pen *p, const struct receipt_info *info,
			   const struct session_lookup_result *r)
{
	const struct metrics *m = p->m;
	bool en = info->english;
	char buf[128], source[72];
	pen_gap(p, m->gap);
	pen_line(p, FONT_TITLE, "MAL PELAYANAN PUBLIK", PANGO_ALIGN_CENTER);
	pen_line(p, FONT_BODY, "Anjungan Layanan Mandiri", PANGO_ALIGN_CENTER);
	pen_gap(p, m->gap / 2);
	pen_line(p, FONT_BOLD, en ? "Application status" : "Status permohonan", PANGO_ALIGN_CENTER);
	pen_rule(p, false);

	pen_field(p, en ? "Station" : "Anjungan",
		  info->station_id && info->station_id[0] ? info->station_id : "-", SIZE_MAX);
	format_when(info->when, en, buf, sizeof(buf));
	pen_field(p, en ? "Time" : "Waktu", buf, sizeof(buf));

	/* Only masked forms reach the paper; the copies are wiped. */
	if (r->holder_name[0]) {
		snprintf(source, sizeof(source), "%.*s",
			 (int)strnlen(r->holder_name, sizeof(r->holder_name)), r->holder_name);
		privacy_mask_name(source, buf, sizeof(buf));
		pen_field(p, en ? "Name" : "Nama", buf, sizeof(buf));
	}
	if (r->nik[0]) {
		snprintf(source, sizeof(source), "%.*s", (int)strnlen(r->nik, sizeof(r->nik)),
			 r->nik);
		privacy_mask_nik(source, buf, sizeof(buf));
		pen_field(p, "NIK", buf, sizeof(buf));
	}
	explicit_bzero(source, sizeof(source));
	explicit_bzero(buf, sizeof(buf));
	pen_rule(p, false);

	if (r->n_apps == 0)
		pen_line(p, FONT_BODY,
			 en ? "No applications on record." : "Tidak ada permohonan yang tercatat.",
			 PANGO_ALIGN_LEFT);
	for (size_t i = 0; i < r->n_apps; i++) {
		if (i > 0)
			pen_rule(p, true);
		layout_app(p, &r->apps[i], en);
	}
	pen_rule(p, false);

	if (info->reference && info->reference[0]) {
		pen_gap(p, m->gap);
		/* Drawn straight onto the printer's surface afterwards,
		 * module for module, not through the recording. */
		p->qr_y = floor(p->y);
		pen_gap(p, m->qr);
		pen_line(p, FONT_SMALL, info->reference, PANGO_ALIGN_CENTER);
		pen_gap(p, m->gap);
	}
	pen_line(p, FONT_SMALL,
		 en ? "Keep this receipt. Personal data is printed masked. Thank you."
		    : "Simpan struk ini. Data pribadi dicetak tersamar. Terima kasih.",
		 PANGO_ALIGN_CENTER);
	pen_gap(p, m->gap);
}

/* Sets a pen up on cr: fonts, hinting that suits a 1-bit printer (grey
 * anti-aliasing that the 50 % threshold turns into clean strokes). */
static int pen_begin(struct pen *p, const struct metrics *m, cairo_t *cr, bool draw)
{
	static const struct {
		const char *weight;
		int which;
	} fonts[_FONT_MAX] = {
		[FONT_TITLE] = {"Bold", 0},
		[FONT_BODY] = {"", 1},
		[FONT_BOLD] = {"Bold", 1},
		[FONT_SMALL] = {"", 2},
	};
	cairo_font_options_t *fo;

	*p = (struct pen){.m = m, .cr = cr, .draw = draw};
	p->layout = pango_cairo_create_layout(cr);
	if (!p->layout)
		return -ENOMEM;
	fo = cairo_font_options_create();
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_SLIGHT);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_ON);
	pango_cairo_context_set_font_options(pango_layout_get_context(p->layout), fo);
	cairo_font_options_destroy(fo);
	pango_layout_context_changed(p->layout);

	for (int i = 0; i < _FONT_MAX; i++) {
		double px = fonts[i].which == 0	  ? m->title_px
			    : fonts[i].which == 1 ? m->body_px
						  : m->small_px;

		p->font[i] = pango_font_description_new();
		pango_font_description_set_family(p->font[i], FONT_FAMILY);
		if (fonts[i].weight[0])
			pango_font_description_set_weight(p->font[i], PANGO_WEIGHT_BOLD);
		pango_font_description_set_absolute_size(p->font[i], px * PANGO_SCALE);
	}
	return 0;
}

static void pen_end(struct pen *p)
{
	for (int i = 0; i < _FONT_MAX; i++)
		if (p->font[i])
			pango_font_description_free(p->font[i]);
	if (p->layout)
		g_object_unref(p->layout);
	*p = (struct pen){0};
}

/* One pass of the layout on cr; returns the height used or -errno. */
static int run_pass(const struct metrics *m, cairo_t *cr, bool draw,
		    const struct receipt_info *info, const struct session_lookup_result *r,
		    double *ret_height, double *ret_qr_y)
{
	struct pen p;
	int e;

	e = pen_begin(&p, m, cr, draw);
	if (e < 0)
		return e;
	if (draw) {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	layout_receipt(&p, info, r);
	e = p.error;
	if (e == 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		e = -ENOMEM;
	if (e == 0) {
		*ret_height = p.y;
		*ret_qr_y = p.qr_y;
	}
	pen_end(&p);
	return e;
}

int receipt_render(const struct receipt_info *info, const struct session_lookup_result *r,
		   cairo_surface_t **ret_surface)
{
	const struct metrics *m;
	cairo_surface_t *s, *rec;
	cairo_t *cr;
	double height = 0, qr_y = 0;
	int e;

	if (!info || !r || !ret_surface || r->n_apps > SESSION_MAX_APPS)
		return -EINVAL;
	if (info->width_dots == RECEIPT_WIDTH_80MM)
		m = &metrics_80mm;
	else if (info->width_dots == RECEIPT_WIDTH_58MM)
		m = &metrics_58mm;
	else
		return -EINVAL;

	/* One pass, recorded: the height is known only at the end, and
	 * laying the text out twice (measure, then draw) doubled the cost of
	 * Pango's shaping, most of a receipt's time. The recording keeps the
	 * shaped glyphs; replaying it rasterises them once. */
	rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
	cr = cairo_create(rec);
	e = run_pass(m, cr, true, info, r, &height, &qr_y);
	cairo_destroy(cr);
	if (e < 0) {
		cairo_surface_destroy(rec);
		return e;
	}
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, m->width, (int)ceil(height));
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		cairo_surface_destroy(rec);
		return -ENOMEM;
	}
	cr = cairo_create(s);
	cairo_set_source_surface(cr, rec, 0, 0);
	cairo_paint(cr);
	if (info->reference && info->reference[0])
		e = qr_image_draw(cr, info->reference, (m->width - m->qr) / 2, qr_y, m->qr);
	if (e >= 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		e = -ENOMEM;
	cairo_destroy(cr);
	cairo_surface_destroy(rec);
	if (e < 0) {
		cairo_surface_destroy(s);
		return e;
	}
	cairo_surface_flush(s);
	*ret_surface = s;
	return 0;
}
