/* SPDX-License-Identifier: MIT */
/*
 * Shared drawing helpers: Pango text, buttons with hit areas, cards,
 * pills, and pictograms as Cairo paths in a 100x100 design box.
 */
#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "draw.h"

const char *ui_t(const struct ui_painter *p, enum ui_text_id id)
{
	return ui_text(id, p->english);
}

void ui_set_color(struct ui_painter *p, struct ui_color c)
{
	cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

void ui_rounded_rect(struct ui_painter *p, struct ui_rect r, double radius)
{
	cairo_t *cr = p->cr;
	double rad = fmin(radius, fmin(r.w, r.h) / 2);

	cairo_new_sub_path(cr);
	cairo_arc(cr, r.x + r.w - rad, r.y + rad, rad, -M_PI / 2, 0);
	cairo_arc(cr, r.x + r.w - rad, r.y + r.h - rad, rad, 0, M_PI / 2);
	cairo_arc(cr, r.x + rad, r.y + r.h - rad, rad, M_PI / 2, M_PI);
	cairo_arc(cr, r.x + rad, r.y + rad, rad, M_PI, 3 * M_PI / 2);
	cairo_close_path(cr);
}

void ui_paint_card(struct ui_painter *p, struct ui_rect r, struct ui_color fill)
{
	cairo_t *cr = p->cr;
	double off = fmax(1, round(3 * p->m.u));
	struct ui_rect sh = {r.x, r.y + off, r.w, r.h};
	struct ui_color s = p->theme->shadow;

	ui_rounded_rect(p, sh, p->m.radius);
	cairo_set_source_rgba(cr, s.r, s.g, s.b, 0.08);
	cairo_fill(cr);
	ui_rounded_rect(p, r, p->m.radius);
	ui_set_color(p, fill);
	cairo_fill_preserve(cr);
	ui_set_color(p, p->theme->border);
	cairo_set_line_width(cr, fmax(1, p->m.u * 1.5));
	cairo_stroke(cr);
}

/* ---- text ------------------------------------------------------------------ */

/* Text from outside (backend answers) may not be UTF-8; Pango would warn
 * and drop it, so invalid bytes become U+FFFD here. Returns a string to
 * g_free, or NULL when text is valid and can be used as it is. */
static char *valid_utf8(const char *text)
{
	if (g_utf8_validate(text, -1, NULL))
		return NULL;
	return g_utf8_make_valid(text, -1);
}

static PangoLayout *layout_new(struct ui_painter *p, const char *text, double w,
			       const struct ui_font *f)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *d = pango_font_description_from_string(p->theme->font_family);
	char *fixed = valid_utf8(text ? text : "");
	static const PangoAlignment align[] = {
		[UI_ALIGN_LEFT] = PANGO_ALIGN_LEFT,
		[UI_ALIGN_CENTER] = PANGO_ALIGN_CENTER,
		[UI_ALIGN_RIGHT] = PANGO_ALIGN_RIGHT,
	};

	pango_font_description_set_absolute_size(d, fmax(1, f->px) * PANGO_SCALE);
	pango_font_description_set_weight(d, f->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, d);
	pango_font_description_free(d);
	if (w > 0) {
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		if (f->max_lines > 0) {
			pango_layout_set_height(l, -f->max_lines);
			pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		}
	}
	pango_layout_set_alignment(l, align[f->align <= UI_ALIGN_RIGHT ? f->align : 0]);
	pango_layout_set_text(l, fixed ? fixed : (text ? text : ""), -1);
	g_free(fixed);
	return l;
}

void ui_measure_text(struct ui_painter *p, const char *text, double w, const struct ui_font *f,
		     double *ret_w, double *ret_h)
{
	PangoLayout *l = layout_new(p, text, w, f);
	int pw, ph;

	pango_layout_get_pixel_size(l, &pw, &ph);
	g_object_unref(l);
	if (ret_w)
		*ret_w = pw;
	if (ret_h)
		*ret_h = ph;
}

double ui_paint_text(struct ui_painter *p, const char *text, double x, double y, double w,
		     const struct ui_font *f, struct ui_color color)
{
	PangoLayout *l;
	int pw, ph;

	if (!text || !*text)
		return 0;
	if (p->trace)
		p->trace(p->trace_data, text);
	l = layout_new(p, text, w, f);
	pango_layout_get_pixel_size(l, &pw, &ph);
	ui_set_color(p, color);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	return ph;
}

void ui_paint_text_in(struct ui_painter *p, const char *text, struct ui_rect r,
		      const struct ui_font *f, struct ui_color color)
{
	double th;

	ui_measure_text(p, text, r.w, f, NULL, &th);
	ui_paint_text(p, text, r.x, r.y + (r.h - th) / 2, r.w, f, color);
}

/* ---- buttons ----------------------------------------------------------- */

void ui_add_hit(struct ui_painter *p, struct ui_rect r, enum session_button b, int index)
{
	struct ui_frame *f = p->frame;

	if (f->n_hits >= UI_HITS_MAX)
		return;
	f->hits[f->n_hits++] = (struct ui_hit){
		.button = b, .index = index, .x = r.x, .y = r.y, .w = r.w, .h = r.h};
}

static double button_pad(const struct ui_painter *p)
{
	return round(32 * p->m.u);
}

double ui_button_width(struct ui_painter *p, const char *label, bool icon)
{
	struct ui_font f = {.px = p->m.text_button, .bold = true};
	double tw;

	ui_measure_text(p, label, -1, &f, &tw, NULL);
	return ceil(tw + 2 * button_pad(p) + (icon ? p->m.text_button * 1.5 : 0));
}

void ui_paint_button(struct ui_painter *p, struct ui_rect r, const char *label, int icon,
		     enum ui_button_kind kind, bool enabled, enum session_button b, int index)
{
	const struct ui_style *st;
	struct ui_font f = {
		.px = p->m.text_button, .bold = true, .max_lines = 2, .align = UI_ALIGN_CENTER};
	double pad = fmin(button_pad(p), round(r.w * 0.08));
	double isz = icon >= 0 ? round(p->m.text_button * 1.1) : 0;
	double igap = icon >= 0 && label && *label ? round(p->m.text_button * 0.4) : 0;
	double avail = r.w - 2 * pad - isz - igap, tw, th;
	cairo_t *cr = p->cr;

	if (!enabled)
		st = &p->theme->style[UI_STYLE_BUTTON_DISABLED];
	else if (kind == UI_BUTTON_PRIMARY)
		st = &p->theme->style[UI_STYLE_BUTTON_PRIMARY];
	else
		st = &p->theme->style[UI_STYLE_BUTTON_SECONDARY];

	ui_rounded_rect(p, r, p->m.radius);
	ui_set_color(p, st->bg);
	if (enabled && kind == UI_BUTTON_SECONDARY) {
		cairo_fill_preserve(cr);
		ui_set_color(p, p->theme->accent);
		cairo_set_line_width(cr, fmax(2, round(3 * p->m.u)));
		cairo_stroke(cr);
	} else {
		cairo_fill(cr);
	}

	/* Long labels (English, narrow portrait columns) shrink a little
	 * before they wrap: a button reads best on one line. */
	ui_measure_text(p, label, -1, &f, &tw, NULL);
	while (tw > avail && f.px > p->m.text_button * 0.8) {
		f.px -= 1;
		ui_measure_text(p, label, -1, &f, &tw, NULL);
	}
	if (tw > avail)
		tw = avail;
	ui_measure_text(p, label, avail, &f, NULL, &th);
	{
		/* Icon before the label; a forward arrow goes after it. */
		bool after = icon == UI_ICON_ARROW_RIGHT;
		double content = isz + igap + tw;
		double x0 = r.x + (r.w - content) / 2;
		double tx = after ? x0 : x0 + isz + igap;

		if (icon >= 0)
			ui_paint_icon(p, (enum ui_icon)icon, after ? x0 + tw + igap : x0,
				      r.y + (r.h - isz) / 2, isz, st->fg);
		f.align = icon >= 0 ? UI_ALIGN_LEFT : UI_ALIGN_CENTER;
		ui_paint_text(p, label, icon >= 0 ? tx : r.x + pad, r.y + (r.h - th) / 2,
			      icon >= 0 ? tw + 1 : r.w - 2 * pad, &f, st->fg);
	}
	if (enabled && b != _SESSION_BUTTON_INVALID)
		ui_add_hit(p, r, b, index);
}

double ui_pill_width(struct ui_painter *p, const char *label, double h, double px)
{
	struct ui_font f = {.px = px, .bold = true};
	double tw;

	ui_measure_text(p, label, -1, &f, &tw, NULL);
	return ceil(tw + h);
}

double ui_paint_pill(struct ui_painter *p, const char *label, double x, double y, double h,
		     double px, const struct ui_style *st)
{
	struct ui_font f = {.px = px, .bold = true};
	double w = ui_pill_width(p, label, h, px), th;

	ui_rounded_rect(p, (struct ui_rect){x, y, w, h}, h / 2);
	ui_set_color(p, st->bg);
	cairo_fill(p->cr);
	ui_measure_text(p, label, -1, &f, NULL, &th);
	ui_paint_text(p, label, x + h / 2, y + (h - th) / 2, -1, &f, st->fg);
	return w;
}

struct ui_rect ui_paint_language_button(struct ui_painter *p, double right, double y)
{
	const char *label = ui_t(p, UI_TEXT_LANGUAGE_SWITCH);
	const char *contrast = ui_t(p, UI_TEXT_CONTRAST_SWITCH);
	double w = ui_button_width(p, label, true), cw = ui_button_width(p, contrast, true);
	struct ui_rect r = {right - w, y, w, p->m.button_h};
	struct ui_rect c = {r.x - p->m.gap - cw, y, cw, p->m.button_h};

	ui_paint_button(p, c, contrast, UI_ICON_CONTRAST, UI_BUTTON_SECONDARY, true,
			SESSION_BUTTON_CONTRAST, 0);
	ui_paint_button(p, r, label, UI_ICON_GLOBE, UI_BUTTON_SECONDARY, true,
			SESSION_BUTTON_LANGUAGE, 0);
	return (struct ui_rect){c.x, y, right - c.x, p->m.button_h};
}

/* ---- pictograms ---------------------------------------------------------- */

static void box_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
	cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
	cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
	cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
	cairo_close_path(cr);
}

static void icon_card(cairo_t *cr)
{
	cairo_set_line_width(cr, 5);
	box_rect(cr, 6, 26, 72, 50, 7);
	cairo_stroke(cr);
	box_rect(cr, 15, 40, 16, 13, 2.5); /* chip */
	cairo_fill(cr);
	cairo_set_line_width(cr, 4);
	cairo_move_to(cr, 40, 42);
	cairo_line_to(cr, 68, 42);
	cairo_move_to(cr, 40, 53);
	cairo_line_to(cr, 62, 53);
	cairo_move_to(cr, 15, 65);
	cairo_line_to(cr, 55, 65);
	cairo_stroke(cr);
	/* Contactless waves above the card's corner. */
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	for (int i = 1; i <= 3; i++) {
		cairo_new_sub_path(cr);
		cairo_arc(cr, 80, 22, 5.0 * i, -M_PI / 2.6, M_PI / 6);
	}
	cairo_stroke(cr);
}

static void finder(cairo_t *cr, double x, double y)
{
	cairo_set_line_width(cr, 6);
	cairo_rectangle(cr, x + 3, y + 3, 26, 26);
	cairo_stroke(cr);
	cairo_rectangle(cr, x + 10, y + 10, 12, 12);
	cairo_fill(cr);
}

static void icon_qr(cairo_t *cr)
{
	static const unsigned char mods[][2] = {{0, 0}, {2, 0}, {1, 1}, {3, 1}, {0, 2},
						{2, 2}, {3, 3}, {1, 3}, {0, 4}, {4, 0},
						{4, 2}, {4, 4}, {2, 4}};

	finder(cr, 4, 4);
	finder(cr, 64, 4);
	finder(cr, 4, 64);
	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		cairo_rectangle(cr, 60 + mods[i][0] * 8, 60 + mods[i][1] * 8, 7, 7);
	cairo_rectangle(cr, 42, 8, 8, 8);
	cairo_rectangle(cr, 42, 26, 8, 8);
	cairo_rectangle(cr, 8, 44, 8, 8);
	cairo_rectangle(cr, 26, 44, 8, 8);
	cairo_rectangle(cr, 44, 44, 8, 8);
	cairo_fill(cr);
}

static void icon_printer(cairo_t *cr, struct ui_color c)
{
	cairo_set_line_width(cr, 5);
	cairo_rectangle(cr, 28, 10, 44, 24);
	cairo_stroke(cr);
	box_rect(cr, 8, 34, 84, 38, 7);
	cairo_fill(cr);
	/* The sheet coming out: white, outlined in the icon's colour. */
	cairo_rectangle(cr, 26, 58, 48, 34);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 4);
	cairo_move_to(cr, 34, 70);
	cairo_line_to(cr, 66, 70);
	cairo_move_to(cr, 34, 80);
	cairo_line_to(cr, 58, 80);
	cairo_stroke(cr);
}

static void icon_document(cairo_t *cr)
{
	cairo_set_line_width(cr, 5);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_move_to(cr, 20, 6);
	cairo_line_to(cr, 62, 6);
	cairo_line_to(cr, 82, 26);
	cairo_line_to(cr, 82, 94);
	cairo_line_to(cr, 20, 94);
	cairo_close_path(cr);
	cairo_move_to(cr, 62, 6);
	cairo_line_to(cr, 62, 26);
	cairo_line_to(cr, 82, 26);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 4);
	for (int i = 0; i < 4; i++) {
		cairo_move_to(cr, 32, 42 + i * 12);
		cairo_line_to(cr, i == 3 ? 56 : 70, 42 + i * 12);
	}
	cairo_stroke(cr);
}

static void icon_check(cairo_t *cr)
{
	cairo_arc(cr, 50, 50, 46, 0, 2 * M_PI);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, 10);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_move_to(cr, 28, 52);
	cairo_line_to(cr, 44, 68);
	cairo_line_to(cr, 73, 36);
	cairo_stroke(cr);
}

static void icon_warning(cairo_t *cr)
{
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_width(cr, 10);
	cairo_move_to(cr, 50, 8);
	cairo_line_to(cr, 94, 88);
	cairo_line_to(cr, 6, 88);
	cairo_close_path(cr);
	cairo_fill_preserve(cr);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	box_rect(cr, 45, 32, 10, 34, 4);
	cairo_fill(cr);
	cairo_arc(cr, 50, 77, 6, 0, 2 * M_PI);
	cairo_fill(cr);
}

static void icon_wrench(cairo_t *cr)
{
	/* Head: a ring of radius 20 opened by a notch 14 wide. */
	double a = atan2(-sqrt(400 - 49), 7);

	cairo_translate(cr, 50, 50);
	cairo_rotate(cr, M_PI / 4);
	cairo_move_to(cr, 7, -18 - sqrt(400 - 49));
	cairo_arc(cr, 0, -18, 20, a, M_PI - a);
	cairo_line_to(cr, -7, -16);
	cairo_line_to(cr, 7, -16);
	cairo_close_path(cr);
	cairo_fill(cr);
	box_rect(cr, -8, -4, 16, 50, 7);
	cairo_fill(cr);
}

static void icon_globe(cairo_t *cr)
{
	cairo_set_line_width(cr, 6);
	cairo_arc(cr, 50, 50, 42, 0, 2 * M_PI);
	cairo_stroke(cr);
	cairo_save(cr);
	cairo_translate(cr, 50, 50);
	cairo_scale(cr, 0.45, 1);
	cairo_arc(cr, 0, 0, 42, 0, 2 * M_PI);
	cairo_restore(cr);
	cairo_stroke(cr);
	cairo_move_to(cr, 8, 50);
	cairo_line_to(cr, 92, 50);
	cairo_move_to(cr, 16, 29);
	cairo_line_to(cr, 84, 29);
	cairo_move_to(cr, 16, 71);
	cairo_line_to(cr, 84, 71);
	cairo_stroke(cr);
}

static void icon_contrast(cairo_t *cr)
{
	cairo_set_line_width(cr, 6);
	cairo_arc(cr, 50, 50, 42, 0, 2 * M_PI);
	cairo_stroke(cr);
	/* The right half filled: dark and light side by side. */
	cairo_arc(cr, 50, 50, 42, -M_PI / 2, M_PI / 2);
	cairo_close_path(cr);
	cairo_fill(cr);
}

static void icon_building(cairo_t *cr)
{
	cairo_move_to(cr, 50, 6);
	cairo_line_to(cr, 94, 30);
	cairo_line_to(cr, 6, 30);
	cairo_close_path(cr);
	cairo_fill(cr);
	for (int i = 0; i < 4; i++)
		cairo_rectangle(cr, 14 + i * 21, 36, 10, 42);
	cairo_rectangle(cr, 6, 82, 88, 10);
	cairo_fill(cr);
}

static void icon_arrow(cairo_t *cr, bool left)
{
	cairo_set_line_width(cr, 12);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	if (left) {
		cairo_move_to(cr, 62, 16);
		cairo_line_to(cr, 28, 50);
		cairo_line_to(cr, 62, 84);
	} else {
		cairo_move_to(cr, 38, 16);
		cairo_line_to(cr, 72, 50);
		cairo_line_to(cr, 38, 84);
	}
	cairo_stroke(cr);
}

static void icon_clock(cairo_t *cr)
{
	cairo_set_line_width(cr, 7);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_arc(cr, 50, 50, 42, 0, 2 * M_PI);
	cairo_stroke(cr);
	cairo_move_to(cr, 50, 50);
	cairo_line_to(cr, 50, 22);
	cairo_move_to(cr, 50, 50);
	cairo_line_to(cr, 70, 62);
	cairo_stroke(cr);
}

static void icon_lock(cairo_t *cr)
{
	cairo_set_line_width(cr, 9);
	cairo_arc(cr, 50, 36, 20, M_PI, 2 * M_PI);
	cairo_line_to(cr, 70, 46);
	cairo_move_to(cr, 30, 46);
	cairo_line_to(cr, 30, 36);
	cairo_stroke(cr);
	box_rect(cr, 16, 44, 68, 48, 8);
	cairo_fill(cr);
}

void ui_paint_icon(struct ui_painter *p, enum ui_icon icon, double x, double y, double size,
		   struct ui_color c)
{
	cairo_t *cr = p->cr;

	/* No room left for it (a short screen): a zero scale would put the
	 * whole drawing in an error state. */
	if (!(size >= 1))
		return;
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, size / 100.0, size / 100.0);
	cairo_new_path(cr);
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
	switch (icon) {
	case UI_ICON_CARD:
		icon_card(cr);
		break;
	case UI_ICON_QR:
		icon_qr(cr);
		break;
	case UI_ICON_PRINTER:
		icon_printer(cr, c);
		break;
	case UI_ICON_DOCUMENT:
		icon_document(cr);
		break;
	case UI_ICON_CHECK:
		icon_check(cr);
		break;
	case UI_ICON_WARNING:
		icon_warning(cr);
		break;
	case UI_ICON_WRENCH:
		icon_wrench(cr);
		break;
	case UI_ICON_CONTRAST:
		icon_contrast(cr);
		break;
	case UI_ICON_GLOBE:
		icon_globe(cr);
		break;
	case UI_ICON_BUILDING:
		icon_building(cr);
		break;
	case UI_ICON_ARROW_LEFT:
	case UI_ICON_ARROW_RIGHT:
		icon_arrow(cr, icon == UI_ICON_ARROW_LEFT);
		break;
	case UI_ICON_CLOCK:
		icon_clock(cr);
		break;
	case UI_ICON_LOCK:
		icon_lock(cr);
		break;
	}
	cairo_restore(cr);
}

void ui_paint_spinner(struct ui_painter *p, double cx, double cy, double radius,
		      unsigned long long phase_ms)
{
	cairo_t *cr = p->cr;
	struct ui_color c = p->theme->accent;
	unsigned lit = (unsigned)(phase_ms / 125 % 12);

	cairo_save(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_width(cr, fmax(3, radius * 0.16));
	for (unsigned i = 0; i < 12; i++) {
		double a = i * M_PI / 6 - M_PI / 2;
		/* The lit spoke is solid; the ones behind it fade out. */
		unsigned age = (lit + 12 - i) % 12;
		double alpha = 1.0 - 0.8 * age / 11.0;

		cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
		cairo_move_to(cr, cx + cos(a) * radius * 0.55, cy + sin(a) * radius * 0.55);
		cairo_line_to(cr, cx + cos(a) * radius, cy + sin(a) * radius);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}

void ui_paint_progress(struct ui_painter *p, struct ui_rect r, unsigned long long phase_ms)
{
	cairo_t *cr = p->cr;
	double seg = r.w * 0.3;
	/* The segment sweeps left to right and starts over; always visible,
	 * so a still frame (a screenshot, a slow redraw) shows progress too. */
	double pos = (double)(phase_ms % 2000) / 2000.0 * (r.w - seg);

	cairo_save(cr);
	ui_rounded_rect(p, r, r.h / 2);
	ui_set_color(p, p->theme->border);
	cairo_fill_preserve(cr);
	cairo_clip(cr);
	ui_rounded_rect(p, (struct ui_rect){r.x + pos, r.y, seg, r.h}, r.h / 2);
	ui_set_color(p, p->theme->accent);
	cairo_fill(cr);
	cairo_restore(cr);
}

/* ---- composite blocks ---------------------------------------------------- */

static double message_height(struct ui_painter *p, const struct ui_message *msg, double w,
			     double icon)
{
	const struct ui_metrics *m = &p->m;
	struct ui_font title = {.px = m->text_title, .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_font body = {.px = m->text_body, .align = UI_ALIGN_CENTER};
	double h = 0, th;

	if (msg->icon >= 0 || msg->spinner)
		h += icon + 1.5 * m->gap;
	if (msg->title) {
		ui_measure_text(p, msg->title, w, &title, NULL, &th);
		h += th;
	}
	if (msg->text) {
		ui_measure_text(p, msg->text, w, &body, NULL, &th);
		h += m->gap + th;
	}
	if (msg->progress)
		h += 2 * m->gap + round(16 * m->u);
	if (msg->note) {
		ui_measure_text(p, msg->note, w - 2 * m->gap, &body, NULL, &th);
		h += 1.5 * m->gap + th + 2 * m->gap;
	}
	return h;
}

void ui_paint_message(struct ui_painter *p, struct ui_rect area, const struct ui_message *msg)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	struct ui_font title = {.px = m->text_title, .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_font body = {.px = m->text_body, .align = UI_ALIGN_CENTER};
	double w = fmin(area.w, round(1200 * m->u)), x = area.x + (area.w - w) / 2;
	double icon = fmin(m->icon, area.h * 0.3), h, y;

	h = message_height(p, msg, w, icon);
	/* A screen too short for the pictogram keeps the words. */
	if (h > area.h && (msg->icon >= 0 || msg->spinner)) {
		icon = fmax(0, icon - (h - area.h));
		h = message_height(p, msg, w, icon);
	}
	y = area.y + fmax(0, (area.h - h) / 2);
	if (msg->spinner) {
		ui_paint_spinner(p, area.x + area.w / 2, y + icon / 2, icon / 2, msg->phase_ms);
		y += icon + 1.5 * m->gap;
	} else if (msg->icon >= 0) {
		ui_paint_icon(p, (enum ui_icon)msg->icon, area.x + (area.w - icon) / 2, y, icon,
			      msg->icon_color);
		y += icon + 1.5 * m->gap;
	}
	if (msg->title)
		y += ui_paint_text(p, msg->title, x, y, w, &title,
				   msg->title_style ? msg->title_style->fg : page->fg);
	if (msg->text) {
		y += m->gap;
		y += ui_paint_text(p, msg->text, x, y, w, &body, muted->fg);
	}
	if (msg->progress) {
		double pw = fmin(w, round(560 * m->u));

		y += 2 * m->gap;
		ui_paint_progress(
			p, (struct ui_rect){area.x + (area.w - pw) / 2, y, pw, round(16 * m->u)},
			msg->phase_ms);
		y += round(16 * m->u);
	}
	if (msg->note) {
		const struct ui_style *st = &p->theme->style[UI_STYLE_NOTICE];
		double th;

		ui_measure_text(p, msg->note, w - 2 * m->gap, &body, NULL, &th);
		y += 1.5 * m->gap;
		ui_rounded_rect(p, (struct ui_rect){x, y, w, th + 2 * m->gap}, m->radius);
		ui_set_color(p, st->bg);
		cairo_fill(p->cr);
		ui_paint_text(p, msg->note, x + m->gap, y + m->gap, w - 2 * m->gap, &body, st->fg);
	}
}

double ui_paint_button_row(struct ui_painter *p, struct ui_rect area,
			   const struct ui_button_spec *buttons, size_t n)
{
	const struct ui_metrics *m = &p->m;
	double need = 0, bw = round(300 * m->u), y;
	bool stack;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		bw = fmax(bw, ui_button_width(p, buttons[i].label, buttons[i].icon >= 0));
	need = n * bw + (n - 1) * m->gap;
	/* Side by side when they fit, else one above the other (portrait),
	 * the primary choice at the bottom nearest the hand. */
	stack = need > area.w;
	if (!stack) {
		double x = area.x + (area.w - need) / 2;

		y = area.y + area.h - m->button_h;
		for (size_t i = 0; i < n; i++) {
			const struct ui_button_spec *b = &buttons[i];

			ui_paint_button(p, (struct ui_rect){x, y, bw, m->button_h}, b->label,
					b->icon, b->kind, b->enabled, b->button, b->index);
			x += bw + m->gap;
		}
		return m->button_h;
	}
	bw = fmin(area.w, fmax(bw, area.w * 0.8));
	y = area.y + area.h - n * m->button_h - (n - 1) * m->gap;
	for (size_t i = 0; i < n; i++) {
		const struct ui_button_spec *b = &buttons[i];

		ui_paint_button(p, (struct ui_rect){area.x + (area.w - bw) / 2, y, bw, m->button_h},
				b->label, b->icon, b->kind, b->enabled, b->button, b->index);
		y += m->button_h + m->gap;
	}
	return n * m->button_h + (n - 1) * m->gap;
}

struct ui_rect ui_inset(struct ui_rect r, double d)
{
	return (struct ui_rect){r.x + d, r.y + d, fmax(0, r.w - 2 * d), fmax(0, r.h - 2 * d)};
}
