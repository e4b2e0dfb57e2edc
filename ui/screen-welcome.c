/* SPDX-License-Identifier: MIT */
/*
 * Welcome: the two ways in. Tapping the e-KTP needs no button (the reader
 * starts the session), so it is a plain panel; scanning a QR code is one
 * big button. Side by side in landscape, stacked in portrait.
 */
#include <math.h>

#include "draw.h"

/* The contents of one choice panel, centred vertically in r. */
static void paint_choice(struct ui_painter *p, struct ui_rect r, enum ui_icon icon,
			 const char *title, const char *hint, const char *button)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *card = &p->theme->style[UI_STYLE_CARD];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_CARD_MUTED];
	struct ui_font tf = {.px = m->text_heading, .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_font hf = {.px = m->text_body, .align = UI_ALIGN_CENTER};
	struct ui_rect in = ui_inset(r, m->margin * 0.75);
	double th, hh, isz, total, y;

	ui_measure_text(p, title, in.w, &tf, NULL, &th);
	ui_measure_text(p, hint, in.w, &hf, NULL, &hh);
	total = th + m->gap + hh + (button ? 1.5 * m->gap + m->button_h : 0);
	isz = fmin(m->icon * 1.2, in.h - total - 1.5 * m->gap);
	if (isz < m->icon * 0.4)
		isz = 0;
	total += isz > 0 ? isz + 1.5 * m->gap : 0;
	y = in.y + fmax(0, (in.h - total) / 2);
	if (isz > 0) {
		ui_paint_icon(p, icon, in.x + (in.w - isz) / 2, y, isz, p->theme->accent);
		y += isz + 1.5 * m->gap;
	}
	y += ui_paint_text(p, title, in.x, y, in.w, &tf, card->fg);
	y += m->gap;
	y += ui_paint_text(p, hint, in.x, y, in.w, &hf, muted->fg);
	if (button) {
		double bw = fmin(in.w, fmax(ui_button_width(p, button, true), in.w * 0.7));

		y += 1.5 * m->gap;
		/* The whole panel is the hit area: this is only its look. */
		ui_paint_button(p, (struct ui_rect){in.x + (in.w - bw) / 2, y, bw, m->button_h},
				button, UI_ICON_QR, UI_BUTTON_PRIMARY, true,
				_SESSION_BUTTON_INVALID, 0);
	}
}

void ui_screen_welcome(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	struct ui_font title = {.px = m->text_title, .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_font sub = {.px = m->text_body, .align = UI_ALIGN_CENTER};
	struct ui_font orf = {.px = m->text_body, .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_rect in = ui_inset(body, m->margin);
	struct ui_rect card, qr, lang;
	double y = in.y, bottom, orsz = round(120 * m->u);

	y += ui_paint_text(p, ui_t(p, UI_TEXT_WELCOME_TITLE), in.x, y, in.w, &title, page->fg);
	y += round(8 * m->u);
	y += ui_paint_text(p, ui_t(p, UI_TEXT_WELCOME_SUBTITLE), in.x, y, in.w, &sub, muted->fg);
	y += m->margin;

	/* The language switch sits at the bottom, away from the hidden
	 * technician corner at the top right. */
	lang = ui_paint_language_button(p, in.x + in.w, in.y + in.h - m->button_h);
	bottom = lang.y - m->gap;

	if (m->portrait) {
		double ph = (bottom - y - orsz) / 2;

		card = (struct ui_rect){in.x, y, in.w, ph};
		qr = (struct ui_rect){in.x, y + ph + orsz, in.w, ph};
	} else {
		double pw = (in.w - orsz) / 2;

		card = (struct ui_rect){in.x, y, pw, bottom - y};
		qr = (struct ui_rect){in.x + pw + orsz, y, pw, bottom - y};
	}

	ui_paint_card(p, card, p->theme->style[UI_STYLE_CARD].bg);
	paint_choice(p, card, UI_ICON_CARD, ui_t(p, UI_TEXT_WELCOME_CARD),
		     ui_t(p, UI_TEXT_WELCOME_CARD_HINT), NULL);

	ui_paint_card(p, qr, p->theme->style[UI_STYLE_CARD].bg);
	ui_rounded_rect(p, qr, m->radius);
	ui_set_color(p, p->theme->accent);
	cairo_set_line_width(p->cr, fmax(2, round(4 * m->u)));
	cairo_stroke(p->cr);
	paint_choice(p, qr, UI_ICON_QR, ui_t(p, UI_TEXT_WELCOME_QR),
		     ui_t(p, UI_TEXT_WELCOME_QR_HINT), ui_t(p, UI_TEXT_WELCOME_QR));
	ui_add_hit(p, qr, SESSION_BUTTON_SCAN_QR, 0);

	/* "or" in a ring between the two panels. */
	{
		double cx = m->portrait ? in.x + in.w / 2 : card.x + card.w + orsz / 2;
		double cy = m->portrait ? card.y + card.h + orsz / 2 : card.y + card.h / 2;
		double rad = orsz * 0.42;

		cairo_new_sub_path(p->cr);
		cairo_arc(p->cr, cx, cy, rad, 0, 2 * M_PI);
		ui_set_color(p, page->bg);
		cairo_fill_preserve(p->cr);
		ui_set_color(p, p->theme->border);
		cairo_set_line_width(p->cr, fmax(1, round(2 * m->u)));
		cairo_stroke(p->cr);
		/* The word inside the small circle keeps its normal size in
		 * large text ("atau" must not wrap in it). */
		orf.px = m->large ? round(m->text_small / UI_LARGE_TEXT) : m->text_small;
		ui_paint_text_in(p, ui_t(p, UI_TEXT_WELCOME_OR),
				 (struct ui_rect){cx - rad, cy - rad, 2 * rad, 2 * rad}, &orf,
				 muted->fg);
	}
	(void)s;
}
