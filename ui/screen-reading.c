/* SPDX-License-Identifier: MIT */
/*
 * Identifying the citizen: a card being read (nothing to press: the
 * citizen only has to keep the card still), or the camera waiting for a
 * QR code inside a guide frame, where the live preview is shown.
 */
#include <math.h>
#include <stdint.h>

#include "draw.h"

void ui_screen_reading(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	struct ui_message msg = {
		.icon = UI_ICON_CARD,
		.icon_color = p->theme->accent,
		.progress = true,
		.phase_ms = s->now_ms,
		.title = ui_t(p, UI_TEXT_READING_TITLE),
		.text = ui_t(p, UI_TEXT_READING_HINT),
	};

	ui_paint_message(p, ui_inset(body, p->m.margin), &msg);
}

/* The camera's picture filling r (cropped to cover it, mirrored like a
 * looking glass so a phone moved left moves left on screen), dimmed
 * outside the guide so the brackets and the hint stay readable on any
 * picture. The grey bytes are widened to RGB24 first: pixman scales
 * xRGB with its fast bilinear paths, a 3x scaled A8 mask it does not
 * (10 ms against 2 ms a frame at 1080p, ui-gallery time). */
static void paint_preview(struct ui_painter *p, struct ui_rect r, const struct ui_gray_image *img,
			  struct ui_rect guide)
{
	const struct ui_metrics *m = &p->m;
	cairo_t *cr = p->cr;
	cairo_surface_t *rgb;
	cairo_pattern_t *pat;
	uint32_t *px;
	int stride;
	double scale;

	if (!img->gray || img->width < 1 || img->height < 1 || img->stride < img->width)
		return;
	rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img->width, img->height);
	if (cairo_surface_status(rgb) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(rgb);
		return;
	}
	cairo_surface_flush(rgb);
	px = (uint32_t *)(void *)cairo_image_surface_get_data(rgb);
	stride = cairo_image_surface_get_stride(rgb) / 4;
	for (int y = 0; y < img->height; y++) {
		const uint8_t *g = img->gray + (size_t)y * img->stride;
		uint32_t *out = px + (size_t)y * stride;

		for (int x = 0; x < img->width; x++)
			out[x] = 0x010101u * g[x];
	}
	cairo_surface_mark_dirty(rgb);
	scale = fmax(r.w / img->width, r.h / img->height);

	cairo_save(cr);
	ui_rounded_rect(p, r, m->radius);
	cairo_clip(cr);
	cairo_save(cr);
	cairo_translate(cr, r.x + r.w / 2, r.y + r.h / 2);
	cairo_scale(cr, -scale, scale);
	cairo_translate(cr, -img->width / 2.0, -img->height / 2.0);
	pat = cairo_pattern_create_for_surface(rgb);
	cairo_pattern_set_filter(pat, CAIRO_FILTER_BILINEAR);
	cairo_set_source(cr, pat);
	cairo_paint(cr);
	cairo_pattern_destroy(pat);
	cairo_restore(cr);
	/* Dim all but the guide (even-odd: the frame minus its inside). */
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_rectangle(cr, r.x, r.y, r.w, r.h);
	cairo_rectangle(cr, guide.x, guide.y, guide.w, guide.h);
	cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
	cairo_fill(cr);
	cairo_restore(cr);
	cairo_surface_destroy(rgb);
}

/* The dark area the camera preview fills, with corner brackets showing
 * where to hold the code. */
static void paint_guide(struct ui_painter *p, struct ui_rect r)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *st = &p->theme->style[UI_STYLE_PREVIEW];
	struct ui_font f = {.px = m->text_body, .align = UI_ALIGN_CENTER, .max_lines = 2};
	double arm = r.w * 0.16, in = r.w * 0.12, lw = fmax(4, round(10 * m->u));
	double x0 = r.x + in, y0 = r.y + in, x1 = r.x + r.w - in, y1 = r.y + r.h - in;
	cairo_t *cr = p->cr;

	ui_rounded_rect(p, r, m->radius);
	ui_set_color(p, st->bg);
	cairo_fill(cr);
	if (p->ctx && p->ctx->preview)
		paint_preview(p, r, p->ctx->preview, (struct ui_rect){x0, y0, x1 - x0, y1 - y0});

	cairo_save(cr);
	cairo_set_line_width(cr, lw);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	ui_set_color(p, st->fg);
	cairo_move_to(cr, x0, y0 + arm);
	cairo_line_to(cr, x0, y0);
	cairo_line_to(cr, x0 + arm, y0);
	cairo_move_to(cr, x1 - arm, y0);
	cairo_line_to(cr, x1, y0);
	cairo_line_to(cr, x1, y0 + arm);
	cairo_move_to(cr, x1, y1 - arm);
	cairo_line_to(cr, x1, y1);
	cairo_line_to(cr, x1 - arm, y1);
	cairo_move_to(cr, x0 + arm, y1);
	cairo_line_to(cr, x0, y1);
	cairo_line_to(cr, x0, y1 - arm);
	cairo_stroke(cr);
	cairo_restore(cr);

	ui_paint_text_in(p, ui_t(p, UI_TEXT_SCAN_FRAME),
			 (struct ui_rect){r.x + m->gap, y1 + lw, r.w - 2 * m->gap, in - lw}, &f,
			 st->fg);
}

void ui_screen_scanning(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	struct ui_font title = {.px = m->text_title, .bold = true};
	struct ui_font text = {.px = m->text_body};
	struct ui_rect in = ui_inset(body, m->margin), lang, textr;
	struct ui_button_spec back = {
		.label = ui_t(p, UI_TEXT_BACK),
		.icon = UI_ICON_ARROW_LEFT,
		.kind = UI_BUTTON_SECONDARY,
		.enabled = true,
		.button = SESSION_BUTTON_BACK,
	};
	double side, y;

	lang = ui_paint_language_button(p, in.x + in.w, in.y);
	if (m->portrait) {
		side = fmin(in.w * 0.8, in.h * 0.5);
		paint_guide(p, (struct ui_rect){in.x + (in.w - side) / 2,
						lang.y + lang.h + m->margin, side, side});
		textr = (struct ui_rect){in.x, lang.y + lang.h + 2 * m->margin + side, in.w, 0};
		title.align = text.align = UI_ALIGN_CENTER;
	} else {
		side = fmin(in.h, in.w * 0.45);
		paint_guide(p, (struct ui_rect){in.x, in.y + (in.h - side) / 2, side, side});
		textr = (struct ui_rect){in.x + side + 2 * m->margin, lang.y + lang.h + m->margin,
					 in.w - side - 2 * m->margin, 0};
	}
	y = textr.y;
	y += ui_paint_text(p, ui_t(p, UI_TEXT_SCAN_TITLE), textr.x, y, textr.w, &title, page->fg);
	y += m->gap;
	ui_paint_text(p, ui_t(p, UI_TEXT_SCAN_HINT), textr.x, y, textr.w, &text, muted->fg);
	textr.h = in.y + in.h - textr.y;
	ui_paint_button_row(p, textr, &back, 1);
	(void)s;
}
