/* SPDX-License-Identifier: MIT */
/*
 * The citizen's applications: a greeting with the masked name and NIK,
 * one card per application (agency, service, stage badge, next step,
 * date, and "collect" when a document is ready), pages, and the bottom
 * bar (print a status receipt, finish).
 *
 * The layout depends on the screen size only, so ui_apps_per_page() and
 * the drawing agree: landscape screens get a grid of two columns and the
 * page controls in the bottom bar; portrait ones a single column with the
 * page controls on a row of their own.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "privacy.h"

/* Line height used for fixed layouts, as a multiple of the font size;
 * a little above the fonts' own (DejaVu Sans: 1.16) so text never spills. */
#define LINE 1.2

struct status_layout {
	struct ui_rect top, grid, paging, bottom;
	bool paging_row; /* page controls on their own row (portrait) */
	unsigned cols, rows;
	double card_w, card_h;
	double pad, right_w; /* card padding, width of its right column */
	double pill_h;	     /* stage badge */
};

static void status_layout(int width, int height, bool large, struct status_layout *L)
{
	struct ui_metrics m;
	struct ui_rect body = ui_body_rect(width, height), in;
	double bottom_y, grid_bottom;

	ui_metrics_for_mode(width, height, large, &m);
	/* Vertical insets are the small gap: the cards need the height. */
	in = (struct ui_rect){body.x + m.margin, body.y + m.gap, fmax(1, body.w - 2 * m.margin),
			      fmax(1, body.h - 2 * m.gap)};
	memset(L, 0, sizeof(*L));
	/* Landscape: the greeting left, the preference buttons (contrast,
	 * language) right. Portrait: the buttons on a row of their own above
	 * the greeting, which gets the whole width (its second line may still
	 * wrap once). */
	L->top = (struct ui_rect){
		in.x, in.y, in.w,
		m.portrait ? ceil(m.button_h + m.gap + (m.text_heading + 2 * m.text_small) * LINE)
			   : ceil(fmax(m.button_h, (m.text_heading + m.text_small) * LINE))};
	bottom_y = in.y + in.h - m.button_h;
	L->bottom = (struct ui_rect){in.x, bottom_y, in.w, m.button_h};
	L->paging_row = m.portrait;
	grid_bottom = bottom_y - m.gap;
	if (L->paging_row) {
		L->paging = (struct ui_rect){in.x, bottom_y - m.gap - m.button_h, in.w, m.button_h};
		grid_bottom = L->paging.y - m.gap;
	} else {
		L->paging = L->bottom;
	}
	L->grid = (struct ui_rect){in.x, L->top.y + L->top.h + m.gap, in.w, 0};
	L->grid.h = fmax(0, grid_bottom - L->grid.y);

	L->pad = round(20 * m.u);
	L->cols = !m.portrait && in.w >= 2 * 700 * m.u + m.gap ? 2 : 1;
	L->card_w = (in.w - (L->cols - 1) * m.gap) / L->cols;
	L->right_w = fmin(round(400 * m.u), L->card_w * 0.46);
	L->pill_h = round(48 * m.u);
	/* agency and badge, service (2 lines), next step (2 lines), date */
	L->card_h = ceil(2 * L->pad + fmax(m.text_small * LINE, L->pill_h) +
			 2 * (m.text_body + 2) * LINE + 2 * m.text_small * LINE +
			 m.text_small * LINE + 3 * round(8 * m.u));
	L->card_h = fmax(L->card_h, 2 * L->pad + L->pill_h + m.gap + m.button_h);
	L->rows = (unsigned)fmax(1, floor((L->grid.h + m.gap) / (L->card_h + m.gap)));
}

unsigned ui_status_apps_per_page(int width, int height, bool large)
{
	struct status_layout L;

	status_layout(width, height, large, &L);
	return L.rows * L.cols;
}

char *ui_status_greeting(const struct session *s, bool english, char *buf, size_t size)
{
	const char *name = s->personal.result.holder_name;
	char masked[96];

	if (!name[0] && s->personal.method == SESSION_ID_CARD)
		name = s->personal.card.name;
	if (!name[0])
		return ui_text_format(buf, size, ui_text(UI_TEXT_STATUS_HELLO_ANONYMOUS, english),
				      NULL, NULL);
	privacy_mask_name(name, masked, sizeof(masked));
	ui_text_format(buf, size, ui_text(UI_TEXT_STATUS_HELLO, english), masked, NULL);
	explicit_bzero(masked, sizeof(masked));
	return buf;
}

char *ui_status_nik(const struct session *s, bool english, char *buf, size_t size)
{
	const char *nik = s->personal.result.nik;
	char masked[96];

	if (!nik[0] && s->personal.method == SESSION_ID_CARD)
		nik = s->personal.card.nik;
	if (!nik[0]) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	privacy_mask_nik(nik, masked, sizeof(masked));
	ui_text_format(buf, size, ui_text(UI_TEXT_STATUS_NIK, english), masked, NULL);
	explicit_bzero(masked, sizeof(masked));
	return buf;
}

static void paint_app(struct ui_painter *p, const struct status_layout *L,
		      const struct session_app *a, int index, struct ui_rect r)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *card = &p->theme->style[UI_STYLE_CARD];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_CARD_MUTED];
	const struct ui_style *badge = ui_theme_stage(p->theme, a->stage);
	struct ui_font agency = {.px = m->text_small, .max_lines = 1};
	struct ui_font service = {.px = m->text_body + 2, .bold = true, .max_lines = 2};
	struct ui_font next = {.px = m->text_small, .max_lines = 2};
	struct ui_font date = {.px = m->text_small, .max_lines = 1};
	const char *stage = ui_t(p, ui_text_stage(a->stage));
	bool doc = a->document_id[0] != '\0';
	double x = r.x + L->pad, y = r.y + L->pad, full = r.w - 2 * L->pad;
	/* Beside the "collect" button (bottom right) text keeps to the left. */
	double lw = doc ? r.w - 3 * L->pad - L->right_w : full;
	double small_gap = round(8 * m->u), pill_px = m->text_small, pw;
	double row1 = fmax(m->text_small * LINE, L->pill_h), date_y, lh;
	char when[64], updated[128];

	ui_paint_card(p, r, card->bg);
	/* A stripe in the stage's colour along the card's left edge (the
	 * darker of the badge's two colours). */
	cairo_save(p->cr);
	ui_rounded_rect(p, r, m->radius);
	cairo_clip(p->cr);
	ui_set_color(p, ui_color_luminance(badge->bg) > ui_color_luminance(badge->fg) ? badge->fg
										      : badge->bg);
	cairo_rectangle(p->cr, r.x, r.y, round(8 * m->u), r.h);
	cairo_fill(p->cr);
	cairo_restore(p->cr);

	/* Row 1: agency, and the stage badge at the right. */
	while (ui_pill_width(p, stage, L->pill_h, pill_px) > L->right_w &&
	       pill_px > m->text_small * 0.75)
		pill_px -= 1;
	pw = ui_pill_width(p, stage, L->pill_h, pill_px);
	ui_paint_pill(p, stage, r.x + r.w - L->pad - pw, y, L->pill_h, pill_px, badge);
	ui_paint_text_in(p, a->agency, (struct ui_rect){x, y, full - pw - L->pad, row1}, &agency,
			 muted->fg);
	y += row1 + small_gap;
	y += ui_paint_text(p, a->service, x, y, full, &service, card->fg) + small_gap;
	/* The next step takes the lines a short service name left over. */
	date_y = r.y + r.h - L->pad - m->text_small * LINE;
	ui_measure_text(p, "Ag", -1, &next, NULL, &lh);
	next.max_lines = (int)fmax(1, fmin(4, floor((date_y - small_gap - y) / fmax(1, lh))));
	ui_paint_text(p, a->next_step, x, y, lw, &next, card->fg);

	/* The date sits on the card's last line. */
	ui_text_date(when, sizeof(when), a->updated_at, p->english);
	ui_text_format(updated, sizeof(updated), ui_t(p, UI_TEXT_STATUS_UPDATED), when, NULL);
	ui_paint_text(p, updated, x, date_y, lw, &date, muted->fg);
	if (doc)
		ui_paint_button(p,
				(struct ui_rect){r.x + r.w - L->pad - L->right_w,
						 r.y + r.h - L->pad - m->button_h, L->right_w,
						 m->button_h},
				ui_t(p, UI_TEXT_STATUS_COLLECT), UI_ICON_DOCUMENT,
				UI_BUTTON_PRIMARY, true, SESSION_BUTTON_DOCUMENT, index);
}

/* Previous / "page x of y" / next, centred in r. Labelled arrows when
 * the row is wide, arrows alone in the bottom bar. */
static void paint_paging(struct ui_painter *p, struct ui_rect r, unsigned page, unsigned pages,
			 bool labels)
{
	const struct ui_metrics *m = &p->m;
	struct ui_font f = {
		.px = m->text_body, .bold = true, .align = UI_ALIGN_CENTER, .max_lines = 1};
	char a[16], b[16], text[64];
	const char *prev = labels ? ui_t(p, UI_TEXT_STATUS_PREV) : "";
	const char *next = labels ? ui_t(p, UI_TEXT_STATUS_NEXT) : "";
	double tw, bw, x;

	snprintf(a, sizeof(a), "%u", page + 1);
	snprintf(b, sizeof(b), "%u", pages);
	ui_text_format(text, sizeof(text), ui_t(p, UI_TEXT_STATUS_PAGE), a, b);
	ui_measure_text(p, text, -1, &f, &tw, NULL);
	tw += 2 * m->gap;
	if (labels)
		bw = fmax(ui_button_width(p, prev, true), ui_button_width(p, next, true));
	else
		bw = m->button_h;
	if (labels && bw > (r.w - tw) / 2) {
		/* The words do not fit (large text): the arrows alone. */
		prev = next = "";
		bw = m->button_h;
	}
	bw = fmax(m->button_h, fmin(bw, (r.w - tw) / 2));
	x = r.x + (r.w - tw - 2 * bw) / 2;
	ui_paint_button(p, (struct ui_rect){x, r.y, bw, r.h}, prev, UI_ICON_ARROW_LEFT,
			UI_BUTTON_SECONDARY, page > 0, SESSION_BUTTON_PREV_PAGE, 0);
	ui_paint_text_in(p, text, (struct ui_rect){x + bw, r.y, tw, r.h}, &f,
			 p->theme->style[UI_STYLE_PAGE].fg);
	ui_paint_button(p, (struct ui_rect){x + bw + tw, r.y, bw, r.h}, next, UI_ICON_ARROW_RIGHT,
			UI_BUTTON_SECONDARY, page + 1 < pages, SESSION_BUTTON_NEXT_PAGE, 0);
}

void ui_screen_status(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page_st = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	const struct session_lookup_result *res = &s->personal.result;
	struct ui_font hello = {.px = m->text_heading, .bold = true, .max_lines = 1};
	struct ui_font sub = {.px = m->text_small, .max_lines = m->portrait ? 2 : 1};
	struct status_layout L;
	struct ui_rect lang;
	size_t n = res->n_apps < SESSION_MAX_APPS ? res->n_apps : SESSION_MAX_APPS;
	unsigned per, pages, page;
	char greeting[160], nik[128], count[64], num[16], line[200];
	double pw, fw, th;

	status_layout(p->width, p->height, p->large, &L);
	per = L.rows * L.cols;
	/* The session pages by what the owner told it (apps_per_page, taken
	 * from ui_apps_per_page()); follow it when it fits this layout. */
	if (session_apps_per_page(s) <= per)
		per = session_apps_per_page(s);
	pages = n == 0 ? 1 : (unsigned)((n + per - 1) / per);
	page = s->page < pages ? s->page : pages - 1;

	/* Greeting row: masked name, masked NIK and count; language switch. */
	if (m->portrait)
		lang = ui_paint_language_button(p, L.top.x + L.top.w, L.top.y);
	else
		lang = ui_paint_language_button(p, L.top.x + L.top.w,
						L.top.y + (L.top.h - m->button_h) / 2);
	ui_status_greeting(s, p->english, greeting, sizeof(greeting));
	ui_status_nik(s, p->english, nik, sizeof(nik));
	snprintf(num, sizeof(num), "%zu", n);
	ui_text_format(count, sizeof(count),
		       ui_t(p, n == 1 ? UI_TEXT_STATUS_COUNT_ONE : UI_TEXT_STATUS_COUNT), num,
		       NULL);
	ui_text_format(line, sizeof(line), nik[0] ? "{1} · {2}" : "{2}", nik, count);
	{
		/* The greeting's box: left of the buttons, or below them. */
		struct ui_rect g =
			m->portrait ? (struct ui_rect){L.top.x, lang.y + lang.h + m->gap, L.top.w,
						       L.top.y + L.top.h - lang.y - lang.h - m->gap}
				    : (struct ui_rect){L.top.x, L.top.y, lang.x - m->gap - L.top.x,
						       L.top.h};
		double sh, y;

		ui_measure_text(p, greeting, g.w, &hello, NULL, &th);
		ui_measure_text(p, line, g.w, &sub, NULL, &sh);
		y = m->portrait ? g.y : g.y + (g.h - th - sh) / 2;
		y += ui_paint_text(p, greeting, g.x, y, g.w, &hello, page_st->fg);
		explicit_bzero(greeting, sizeof(greeting));
		ui_paint_text(p, line, g.x, y, g.w, &sub, muted->fg);
		explicit_bzero(nik, sizeof(nik));
		explicit_bzero(line, sizeof(line));
	}

	/* The cards of this page. */
	if (n == 0) {
		struct ui_font f = {.px = m->text_body, .align = UI_ALIGN_CENTER};

		ui_paint_text_in(p, ui_t(p, UI_TEXT_STATUS_NONE), L.grid, &f, muted->fg);
	}
	for (unsigned i = 0; i < per && (size_t)page * per + i < n; i++) {
		size_t k = (size_t)page * per + i;
		struct ui_rect r = {L.grid.x + (i % L.cols) * (L.card_w + m->gap),
				    L.grid.y + (i / L.cols) * (L.card_h + m->gap), L.card_w,
				    L.card_h};

		paint_app(p, &L, &res->apps[k], (int)k, r);
	}

	/* Bottom bar: print receipt (left), finish (right), pages between. */
	fw = fmin(fmax(ui_button_width(p, ui_t(p, UI_TEXT_FINISH), false), round(260 * m->u)),
		  L.bottom.w * 0.3);
	pw = fmin(ui_button_width(p, ui_t(p, UI_TEXT_STATUS_PRINT), true),
		  L.paging_row ? L.bottom.w - fw - m->gap : L.bottom.w * 0.4);
	ui_paint_button(p, (struct ui_rect){L.bottom.x, L.bottom.y, pw, L.bottom.h},
			ui_t(p, UI_TEXT_STATUS_PRINT), UI_ICON_PRINTER, UI_BUTTON_SECONDARY,
			session_can_print(s, SESSION_PRINT_RECEIPT), SESSION_BUTTON_PRINT_RECEIPT,
			0);
	ui_paint_button(
		p, (struct ui_rect){L.bottom.x + L.bottom.w - fw, L.bottom.y, fw, L.bottom.h},
		ui_t(p, UI_TEXT_FINISH), -1, UI_BUTTON_PRIMARY, true, SESSION_BUTTON_FINISH, 0);
	if (pages > 1) {
		if (L.paging_row)
			paint_paging(p, L.paging, page, pages, true);
		else
			paint_paging(p,
				     (struct ui_rect){L.bottom.x + pw + m->gap, L.bottom.y,
						      L.bottom.w - pw - fw - 2 * m->gap,
						      L.bottom.h},
				     page, pages, false);
	}
}
