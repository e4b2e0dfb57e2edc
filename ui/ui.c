/* SPDX-License-Identifier: MIT */
/*
 * ui_draw(): the frame every screen shares (the blue header band with the
 * station's name and the clock, the footer or the demo hint bar), then the
 * screen of the session's state in the body between them. Also hit
 * testing and the stable screen names used by the demo summary.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "draw.h"

/* The hidden corner that opens the technician PIN pad on the welcome
 * screen: a fixed size in pixels, large enough to find on purpose and in
 * a place no citizen taps by accident. */
#define MAINTENANCE_CORNER_PX 120.0

struct ui_rect ui_body_rect(int width, int height)
{
	struct ui_metrics m;

	ui_metrics_for(width, height, &m);
	return (struct ui_rect){0, m.header_h, width, height - m.header_h - m.footer_h};
}

unsigned ui_apps_per_page(int width, int height, bool large)
{
	return ui_status_apps_per_page(width, height, large);
}

static void paint_header(struct ui_painter *p)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *st = &p->theme->style[UI_STYLE_HEADER];
	cairo_t *cr = p->cr;
	double h = m->header_h, icon = round(h * 0.5);
	double x = m->margin + icon + m->gap, right = p->width - m->margin;
	/* The band keeps its height in large text, so its texts keep their
	 * size too. */
	double k = m->large ? 1 / UI_LARGE_TEXT : 1;
	struct ui_font big = {.px = round(m->text_body * k), .bold = true, .max_lines = 1};
	struct ui_font small = {.px = round(m->text_small * k), .max_lines = 1};
	struct ui_font clock = {
		.px = round(m->text_small * k), .max_lines = 1, .align = UI_ALIGN_RIGHT};
	const char *clock_text = p->ctx && p->ctx->clock_text ? p->ctx->clock_text : "";
	char title[160];
	double cw = 0, tw, th, th2;

	ui_set_color(p, st->bg);
	cairo_rectangle(cr, 0, 0, p->width, h);
	cairo_fill(cr);
	/* A thin gold rule under the band, as on official signage. */
	cairo_set_source_rgb(cr, 0.949, 0.718, 0.02);
	cairo_rectangle(cr, 0, h - fmax(2, round(5 * m->u)), p->width, fmax(2, round(5 * m->u)));
	cairo_fill(cr);

	ui_paint_icon(p, UI_ICON_BUILDING, m->margin, (h - icon) / 2, icon, st->fg);
	if (*clock_text) {
		/* A narrow (portrait) header gives the clock two lines. */
		double cmax = round(p->width * 0.36);

		ui_measure_text(p, clock_text, -1, &clock, &cw, &th);
		if (cw > cmax) {
			clock.max_lines = 2;
			ui_measure_text(p, clock_text, cmax, &clock, NULL, &th);
			cw = cmax;
		}
		cw = ceil(cw) + 1;
		ui_paint_text(p, clock_text, right - cw, (h - th) / 2, cw, &clock, st->fg);
		cw += m->gap;
	}

	ui_text_format(title, sizeof(title), "{1} · {2}", ui_t(p, UI_TEXT_HEADER_NAME),
		       ui_t(p, UI_TEXT_HEADER_PLACE));
	ui_measure_text(p, title, -1, &big, &tw, &th);
	if (x + tw <= right - cw) {
		ui_paint_text(p, title, x, (h - th) / 2, right - cw - x, &big, st->fg);
		return;
	}
	/* Not enough room on one line (portrait): name over place. */
	ui_measure_text(p, ui_t(p, UI_TEXT_HEADER_NAME), right - cw - x, &big, NULL, &th);
	ui_measure_text(p, ui_t(p, UI_TEXT_HEADER_PLACE), right - cw - x, &small, NULL, &th2);
	ui_paint_text(p, ui_t(p, UI_TEXT_HEADER_NAME), x, (h - th - th2) / 2, right - cw - x, &big,
		      st->fg);
	ui_paint_text(p, ui_t(p, UI_TEXT_HEADER_PLACE), x, (h - th - th2) / 2 + th, right - cw - x,
		      &small, st->fg);
}

static void paint_footer(struct ui_painter *p)
{
	const struct ui_metrics *m = &p->m;
	bool demo = p->ctx && p->ctx->demo;
	const struct ui_style *st = &p->theme->style[demo ? UI_STYLE_DEMO : UI_STYLE_FOOTER];
	struct ui_rect r = {0, p->height - m->footer_h, p->width, m->footer_h};
	struct ui_font f = {.px = m->text_hint, .max_lines = 1};
	double right = p->width - m->margin;

	ui_set_color(p, st->bg);
	cairo_rectangle(p->cr, r.x, r.y, r.w, r.h);
	cairo_fill(p->cr);
	if (demo) {
		f.bold = true;
		ui_paint_text_in(p, ui_t(p, UI_TEXT_DEMO_HINT),
				 (struct ui_rect){m->margin, r.y, r.w - 2 * m->margin, r.h}, &f,
				 st->fg);
		return;
	}
	if (p->ctx && p->ctx->station_id && *p->ctx->station_id) {
		char id[96];
		struct ui_font fr = f;
		double iw;

		ui_text_format(id, sizeof(id), ui_t(p, UI_TEXT_FOOTER_STATION), p->ctx->station_id,
			       NULL);
		ui_measure_text(p, id, -1, &fr, &iw, NULL);
		iw = fmin(iw + 1, r.w / 3);
		ui_paint_text_in(p, id, (struct ui_rect){right - iw, r.y, iw, r.h}, &fr, st->fg);
		right -= iw + m->gap;
	}
	ui_paint_text_in(p, ui_t(p, UI_TEXT_FOOTER_HELP),
			 (struct ui_rect){m->margin, r.y, right - m->margin, r.h}, &f, st->fg);
}

typedef void (*screen_fn)(struct ui_painter *p, const struct session *s, struct ui_rect body);

static const screen_fn screens[_SESSION_STATE_MAX] = {
	[SESSION_WELCOME] = ui_screen_welcome,
	[SESSION_READING_CARD] = ui_screen_reading,
	[SESSION_SCANNING_QR] = ui_screen_scanning,
	[SESSION_LOOKING_UP] = ui_screen_lookup,
	[SESSION_SHOWING_STATUS] = ui_screen_status,
	[SESSION_CHOOSING_DOCUMENT] = ui_screen_document,
	[SESSION_PRINTING_RECEIPT] = ui_screen_printing,
	[SESSION_PRINTING_DOCUMENT] = ui_screen_printing,
	[SESSION_DONE] = ui_screen_done,
	[SESSION_ERROR] = ui_screen_error,
	[SESSION_IDLE_COUNTDOWN] = ui_screen_countdown,
	[SESSION_MAINTENANCE_LOGIN] = ui_screen_pin,
	[SESSION_MAINTENANCE] = ui_screen_maintenance,
	[SESSION_OUT_OF_SERVICE] = ui_screen_out_of_service,
};

int ui_draw_traced(cairo_t *cr, int width, int height, const struct session *s,
		   const struct ui_context *ctx, ui_text_trace_fn trace, void *userdata,
		   struct ui_frame *ret_frame)
{
	static const struct ui_context no_context = {0};
	struct ui_frame frame = {0};
	struct ui_painter p = {
		.cr = cr,
		.width = width,
		.height = height,
		.ctx = ctx ? ctx : &no_context,
		.frame = &frame,
		.trace = trace,
		.trace_data = userdata,
	};
	const struct ui_style *page;
	cairo_status_t status;

	if (!cr || !s || width <= 0 || height <= 0)
		return -EINVAL;
	if ((int)s->state < 0 || s->state >= _SESSION_STATE_MAX)
		return -EINVAL;
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return -ENOMEM;

	/* The citizen's high-contrast, large-text mode, on their screens
	 * only: technician screens stay as they are. */
	p.large = s->personal.high_contrast && s->state != SESSION_MAINTENANCE &&
		  s->state != SESSION_MAINTENANCE_LOGIN;
	p.theme = p.large ? ui_theme_high_contrast() : ui_theme_default();
	ui_metrics_for_mode(width, height, p.large, &p.m);
	p.english = s->personal.english;
	page = &p.theme->style[UI_STYLE_PAGE];

	cairo_save(cr);
	cairo_reset_clip(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
	ui_set_color(&p, page->bg);
	cairo_paint(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_OVER);

	paint_header(&p);
	paint_footer(&p);
	screens[s->state](&p, s, ui_body_rect(width, height));
	if (s->state == SESSION_WELCOME)
		ui_add_hit(&p,
			   (struct ui_rect){fmax(0, width - MAINTENANCE_CORNER_PX), 0,
					    fmin(width, MAINTENANCE_CORNER_PX),
					    fmin(height, MAINTENANCE_CORNER_PX)},
			   SESSION_BUTTON_MAINTENANCE, 0);
	cairo_restore(cr);

	status = cairo_status(cr);
	if (status != CAIRO_STATUS_SUCCESS)
		return status == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
	if (ret_frame)
		*ret_frame = frame;
	return 0;
}

int ui_draw(cairo_t *cr, int width, int height, const struct session *s,
	    const struct ui_context *ctx, struct ui_frame *ret_frame)
{
	return ui_draw_traced(cr, width, height, s, ctx, NULL, NULL, ret_frame);
}

bool ui_hit_test(const struct ui_frame *f, double x, double y, enum session_button *ret_button,
		 int *ret_index)
{
	size_t n;

	if (!f)
		return false;
	n = f->n_hits < UI_HITS_MAX ? f->n_hits : UI_HITS_MAX;
	/* Later hits were drawn on top: the last one containing the point. */
	for (size_t i = n; i-- > 0;) {
		const struct ui_hit *h = &f->hits[i];

		if (x >= h->x && x < h->x + h->w && y >= h->y && y < h->y + h->h) {
			if (ret_button)
				*ret_button = h->button;
			if (ret_index)
				*ret_index = h->index;
			return true;
		}
	}
	return false;
}

static const char *const error_names[_SESSION_ERROR_MAX] = {
	[SESSION_ERROR_NONE] = "error",
	[SESSION_ERROR_CARD_UNREADABLE] = "error-card-unreadable",
	[SESSION_ERROR_CARD_UNKNOWN] = "error-card-unknown",
	[SESSION_ERROR_CARD_DAMAGED] = "error-card-damaged",
	[SESSION_ERROR_QR_INVALID] = "error-qr-invalid",
	[SESSION_ERROR_QR_EXPIRED] = "error-qr-expired",
	[SESSION_ERROR_QR_NOT_MPP] = "error-qr-not-mpp",
	[SESSION_ERROR_NOT_FOUND] = "error-not-found",
	[SESSION_ERROR_BACKEND_UNREACHABLE] = "error-backend-unreachable",
	[SESSION_ERROR_PRINTER_PAPER_OUT] = "error-printer-paper-out",
	[SESSION_ERROR_PRINTER_COVER_OPEN] = "error-printer-cover-open",
	[SESSION_ERROR_PRINTER_OFFLINE] = "error-printer-offline",
	[SESSION_ERROR_PRINT_FAILED] = "error-print-failed",
};

static const char *const state_names[_SESSION_STATE_MAX] = {
	[SESSION_WELCOME] = "welcome",
	[SESSION_READING_CARD] = "reading-card",
	[SESSION_SCANNING_QR] = "scanning-qr",
	[SESSION_LOOKING_UP] = "looking-up",
	[SESSION_SHOWING_STATUS] = "status",
	[SESSION_CHOOSING_DOCUMENT] = "choosing-document",
	[SESSION_PRINTING_RECEIPT] = "printing-receipt",
	[SESSION_PRINTING_DOCUMENT] = "printing-document",
	[SESSION_DONE] = "done",
	[SESSION_ERROR] = "error",
	[SESSION_IDLE_COUNTDOWN] = "idle-countdown",
	[SESSION_MAINTENANCE_LOGIN] = "maintenance-login",
	[SESSION_MAINTENANCE] = "maintenance",
	[SESSION_OUT_OF_SERVICE] = "out-of-service",
};

const char *ui_screen_name(const struct session *s)
{
	if (!s || (int)s->state < 0 || s->state >= _SESSION_STATE_MAX)
		return "unknown";
	if (s->state == SESSION_ERROR) {
		if ((int)s->error < 0 || s->error >= _SESSION_ERROR_MAX)
			return "error";
		return error_names[s->error];
	}
	if (s->state == SESSION_DONE)
		return s->printing == SESSION_PRINT_DOCUMENT ? "done-document" : "done-receipt";
	return state_names[s->state];
}
