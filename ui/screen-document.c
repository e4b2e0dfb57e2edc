/* SPDX-License-Identifier: MIT */
/*
 * Collecting a document: confirm which one, wait while it prints, then
 * "take your document" (the receipt path shares the last two screens).
 */
#include <math.h>

#include "draw.h"

static const struct session_app *selected_app(const struct session *s)
{
	if (s->selected < 0 || (size_t)s->selected >= s->personal.result.n_apps ||
	    (size_t)s->selected >= SESSION_MAX_APPS)
		return NULL;
	return &s->personal.result.apps[s->selected];
}

/* The card naming the document: pictogram, service, agency. */
static double document_card_height(struct ui_painter *p, const struct session_app *a, double w)
{
	const struct ui_metrics *m = &p->m;
	struct ui_font svc = {.px = m->text_heading, .bold = true, .max_lines = 3};
	struct ui_font ag = {.px = m->text_body, .max_lines = 2};
	double icon = round(112 * m->u), tw = w - 3 * m->gap - icon, h1, h2;

	ui_measure_text(p, a->service, tw, &svc, NULL, &h1);
	ui_measure_text(p, a->agency, tw, &ag, NULL, &h2);
	return fmax(icon, h1 + round(8 * m->u) + h2) + 2 * m->gap + round(8 * m->u);
}

static void paint_document_card(struct ui_painter *p, const struct session_app *a, struct ui_rect r)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *card = &p->theme->style[UI_STYLE_CARD];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_CARD_MUTED];
	struct ui_font svc = {.px = m->text_heading, .bold = true, .max_lines = 3};
	struct ui_font ag = {.px = m->text_body, .max_lines = 2};
	double icon = round(112 * m->u), tx = r.x + 2 * m->gap + icon, tw = r.w - 3 * m->gap - icon;
	double h1, h2, y;

	ui_paint_card(p, r, card->bg);
	ui_paint_icon(p, UI_ICON_DOCUMENT, r.x + m->gap, r.y + (r.h - icon) / 2, icon,
		      p->theme->accent);
	ui_measure_text(p, a->service, tw, &svc, NULL, &h1);
	ui_measure_text(p, a->agency, tw, &ag, NULL, &h2);
	y = r.y + (r.h - h1 - round(8 * m->u) - h2) / 2;
	y += ui_paint_text(p, a->service, tx, y, tw, &svc, card->fg) + round(8 * m->u);
	ui_paint_text(p, a->agency, tx, y, tw, &ag, muted->fg);
}

void ui_screen_document(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	const struct ui_style *notice = &p->theme->style[UI_STYLE_NOTICE];
	const struct session_app *a = selected_app(s);
	bool can = a && session_can_print(s, SESSION_PRINT_DOCUMENT);
	struct ui_font title = {.px = m->text_title, .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_font text = {.px = m->text_body, .align = UI_ALIGN_CENTER};
	struct ui_rect in = ui_inset(body, m->margin), lang;
	struct ui_button_spec buttons[] = {
		{.label = ui_t(p, UI_TEXT_BACK),
		 .icon = UI_ICON_ARROW_LEFT,
		 .kind = UI_BUTTON_SECONDARY,
		 .enabled = true,
		 .button = SESSION_BUTTON_BACK},
		{.label = ui_t(p, UI_TEXT_DOC_CONFIRM),
		 .icon = UI_ICON_PRINTER,
		 .kind = UI_BUTTON_PRIMARY,
		 .enabled = can,
		 .button = SESSION_BUTTON_CONFIRM},
	};
	/* Large text takes the whole width: a narrower column would wrap the
	 * title and push the hint into the buttons. */
	double w = m->large ? in.w : fmin(in.w, round(1200 * m->u)), x = in.x + (in.w - w) / 2;
	double bh, th, ch = 0, hh, nh = 0, h, y, top, avail, sp = m->margin;

	lang = ui_paint_language_button(p, in.x + in.w, in.y);
	bh = ui_paint_button_row(p, in, buttons, 2);
	top = lang.y + lang.h;
	avail = in.y + in.h - bh - m->gap - top;

	ui_measure_text(p, ui_t(p, UI_TEXT_DOC_TITLE), w, &title, NULL, &th);
	if (a)
		ch = document_card_height(p, a, w);
	ui_measure_text(p, ui_t(p, UI_TEXT_DOC_HINT), w, &text, NULL, &hh);
	if (!can)
		ui_measure_text(p, ui_t(p, UI_TEXT_DOC_UNAVAILABLE), w - 2 * m->gap, &text, NULL,
				&nh);
	h = th + 2 * sp + ch + hh + (can ? 0 : nh + 3 * m->gap);
	if (h > avail) {
		/* Tight (large text on a small screen): closer together. */
		h -= 2 * (sp - m->gap);
		sp = m->gap;
	}
	y = top + fmax(0, (avail - h) / 2);

	y += ui_paint_text(p, ui_t(p, UI_TEXT_DOC_TITLE), x, y, w, &title, page->fg) + sp;
	if (a) {
		paint_document_card(p, a, (struct ui_rect){x, y, w, ch});
		y += ch + sp;
	}
	y += ui_paint_text(p, ui_t(p, UI_TEXT_DOC_HINT), x, y, w, &text, muted->fg);
	if (!can) {
		y += m->gap;
		ui_rounded_rect(p, (struct ui_rect){x, y, w, nh + 2 * m->gap}, m->radius);
		ui_set_color(p, notice->bg);
		cairo_fill(p->cr);
		ui_paint_text(p, ui_t(p, UI_TEXT_DOC_UNAVAILABLE), x + m->gap, y + m->gap,
			      w - 2 * m->gap, &text, notice->fg);
	}
}

void ui_screen_printing(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	bool doc = s->state == SESSION_PRINTING_DOCUMENT;
	char text[256];
	struct ui_message msg = {
		.icon = doc ? UI_ICON_DOCUMENT : UI_ICON_PRINTER,
		.icon_color = p->theme->accent,
		.progress = true,
		.phase_ms = s->now_ms,
		.title = ui_t(p, UI_TEXT_PRINTING_TITLE),
		.text = ui_text_format(
			text, sizeof(text), "{1}\n{2}",
			ui_t(p, doc ? UI_TEXT_PRINTING_DOCUMENT : UI_TEXT_PRINTING_RECEIPT),
			ui_t(p, UI_TEXT_PRINTING_HINT)),
	};

	ui_paint_message(p, ui_inset(body, p->m.margin), &msg);
}

void ui_screen_done(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	struct ui_rect in = ui_inset(body, m->margin);
	bool doc = s->printing == SESSION_PRINT_DOCUMENT;
	struct ui_message msg = {
		.icon = UI_ICON_CHECK,
		.icon_color = p->theme->success,
		.title = ui_t(p, doc ? UI_TEXT_DONE_DOCUMENT : UI_TEXT_DONE_RECEIPT),
		.text = ui_t(p, UI_TEXT_DONE_THANKS),
	};
	struct ui_button_spec buttons[2];
	size_t n = 0;
	double bh;

	if (s->personal.have_result)
		buttons[n++] = (struct ui_button_spec){.label = ui_t(p, UI_TEXT_DONE_BACK),
						       .icon = UI_ICON_ARROW_LEFT,
						       .kind = UI_BUTTON_SECONDARY,
						       .enabled = true,
						       .button = SESSION_BUTTON_BACK};
	buttons[n++] = (struct ui_button_spec){.label = ui_t(p, UI_TEXT_FINISH),
					       .icon = -1,
					       .kind = UI_BUTTON_PRIMARY,
					       .enabled = true,
					       .button = SESSION_BUTTON_FINISH};
	bh = ui_paint_button_row(p, in, buttons, n);
	in.h -= bh + m->gap;
	ui_paint_message(p, in, &msg);
}
