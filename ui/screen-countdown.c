/* SPDX-License-Identifier: MIT */
/*
 * The idle countdown: a calm dark overlay with the seconds left. The
 * whole screen is one target (SESSION_BUTTON_ANY): any touch continues.
 */
#include <math.h>
#include <stdio.h>

#include "draw.h"

void ui_screen_countdown(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *st = &p->theme->style[UI_STYLE_OVERLAY];
	struct ui_font num = {.px = round(96 * m->u), .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_font title = {.px = m->text_title, .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_font text = {.px = m->text_body, .align = UI_ALIGN_CENTER};
	unsigned left = session_countdown_left_s(s);
	double w = fmin(body.w - 2 * m->margin, round(1200 * m->u)), x = body.x + (body.w - w) / 2;
	double r = round(110 * m->u), th1, th2, th3, h, y;
	char secs[16], line[160];
	cairo_t *cr = p->cr;

	snprintf(secs, sizeof(secs), "%u", left);
	ui_text_format(line, sizeof(line), ui_t(p, UI_TEXT_COUNTDOWN_TITLE), secs, NULL);

	ui_set_color(p, st->bg);
	cairo_rectangle(cr, body.x, body.y, body.w, body.h);
	cairo_fill(cr);

	ui_measure_text(p, line, w, &title, NULL, &th1);
	ui_measure_text(p, ui_t(p, UI_TEXT_COUNTDOWN_HINT), w, &text, NULL, &th2);
	ui_measure_text(p, ui_t(p, UI_TEXT_COUNTDOWN_PRIVACY), w, &text, NULL, &th3);
	h = 2 * r + 2 * m->margin + th1 + m->gap + th2 + m->gap + th3;
	y = body.y + fmax(0, (body.h - h) / 2);

	/* A ring that empties as the seconds run out. */
	{
		double cx = body.x + body.w / 2, cy = y + r;
		double total = s->timeouts.countdown_ms ? s->timeouts.countdown_ms / 1000.0 : 10;
		double frac = fmin(1, left / fmax(1, total));

		cairo_set_line_width(cr, round(14 * m->u));
		cairo_set_source_rgba(cr, 1, 1, 1, 0.25);
		cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
		cairo_stroke(cr);
		ui_set_color(p, st->fg);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
		if (frac > 0) {
			cairo_arc(cr, cx, cy, r, -M_PI / 2, -M_PI / 2 + 2 * M_PI * frac);
			cairo_stroke(cr);
		}
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
		ui_paint_text_in(p, secs, (struct ui_rect){cx - r, cy - r, 2 * r, 2 * r}, &num,
				 st->fg);
	}
	y += 2 * r + 2 * m->margin;
	y += ui_paint_text(p, line, x, y, w, &title, st->fg) + m->gap;
	y += ui_paint_text(p, ui_t(p, UI_TEXT_COUNTDOWN_HINT), x, y, w, &text, st->fg) + m->gap;
	ui_paint_text(p, ui_t(p, UI_TEXT_COUNTDOWN_PRIVACY), x, y, w, &text, st->fg);

	ui_add_hit(p, (struct ui_rect){0, 0, p->width, p->height}, SESSION_BUTTON_ANY, 0);
}
