/* SPDX-License-Identifier: MIT */
/*
 * The technician's screens: the PIN pad (the digits typed are shown as
 * dots only, never as digits), and the device table with each state
 * colour-coded, a Test button a device, the test running or its result,
 * and the live diagnostic report.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

/* Dots for the digits typed, hollow rings for the next ones (a PIN has
 * at least 4). Drawn as shapes: no text that could carry a digit. */
static void paint_dots(struct ui_painter *p, double cx, double y, size_t typed)
{
	const struct ui_metrics *m = &p->m;
	size_t slots = typed > 4 ? typed : 4;
	double r = round(14 * m->u), step = round(48 * m->u);
	double x = cx - (slots - 1) * step / 2;
	cairo_t *cr = p->cr;

	cairo_set_line_width(cr, fmax(2, round(3 * m->u)));
	for (size_t i = 0; i < slots; i++) {
		cairo_new_sub_path(cr);
		cairo_arc(cr, x + i * step, y + r, r, 0, 2 * M_PI);
		ui_set_color(p, p->theme->style[UI_STYLE_PAGE].fg);
		if (i < typed)
			cairo_fill(cr);
		else
			cairo_stroke(cr);
	}
}

static double keypad_key(const struct ui_painter *p, double w, double h)
{
	double k = fmin(round(160 * p->m.u), fmin((w - 2 * p->m.gap) / 3, (h - 3 * p->m.gap) / 4));

	return fmax(72, floor(k));
}

static void paint_keypad(struct ui_painter *p, double x, double y, double k, size_t typed,
			 bool pending)
{
	const struct ui_metrics *m = &p->m;
	bool digits_ok = !pending && typed < SESSION_PIN_MAX;

	for (int row = 0; row < 4; row++) {
		for (int col = 0; col < 3; col++) {
			struct ui_rect r = {x + col * (k + m->gap), y + row * (k + m->gap), k, k};
			char label[2] = {0};

			if (row < 3) {
				label[0] = (char)('1' + row * 3 + col);
				ui_paint_button(p, r, label, -1, UI_BUTTON_SECONDARY, digits_ok,
						SESSION_BUTTON_PIN_DIGIT, row * 3 + col + 1);
			} else if (col == 0) {
				ui_paint_button(p, r, ui_t(p, UI_TEXT_PIN_CLEAR), -1,
						UI_BUTTON_SECONDARY, true, SESSION_BUTTON_PIN_CLEAR,
						0);
			} else if (col == 1) {
				label[0] = '0';
				ui_paint_button(p, r, label, -1, UI_BUTTON_SECONDARY, digits_ok,
						SESSION_BUTTON_PIN_DIGIT, 0);
			} else {
				ui_paint_button(p, r, ui_t(p, UI_TEXT_PIN_ENTER), -1,
						UI_BUTTON_PRIMARY, !pending && typed >= 4,
						SESSION_BUTTON_PIN_ENTER, 0);
			}
		}
	}
}

void ui_screen_pin(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	const struct ui_style *alert = &p->theme->style[UI_STYLE_ALERT];
	struct ui_font title = {.px = m->text_title, .bold = true, .align = UI_ALIGN_CENTER};
	struct ui_font text = {.px = m->text_body, .align = UI_ALIGN_CENTER};
	struct ui_rect in = ui_inset(body, m->margin), info, pad;
	size_t typed = strnlen(s->personal.pin, sizeof(s->personal.pin));
	const char *feedback = NULL;
	const struct ui_style *fb_style = muted;
	struct ui_button_spec back = {.label = ui_t(p, UI_TEXT_BACK),
				      .icon = UI_ICON_ARROW_LEFT,
				      .kind = UI_BUTTON_SECONDARY,
				      .enabled = true,
				      .button = SESSION_BUTTON_BACK};
	double k, icon = round(96 * m->u), th, ph, fh = 0, h, y;

	if (s->pin_pending) {
		feedback = ui_t(p, UI_TEXT_PIN_CHECKING);
	} else if (s->pin_feedback == SESSION_PIN_WRONG) {
		feedback = ui_t(p, UI_TEXT_PIN_WRONG);
		fb_style = alert;
	} else if (s->pin_feedback == SESSION_PIN_LOCKED) {
		feedback = ui_t(p, UI_TEXT_PIN_LOCKED);
		fb_style = alert;
	}

	if (m->portrait) {
		double bh = m->button_h;

		k = keypad_key(p, in.w, in.h * 0.5);
		pad = (struct ui_rect){in.x + (in.w - 3 * k - 2 * m->gap) / 2,
				       in.y + in.h - bh - m->margin - 4 * k - 3 * m->gap,
				       3 * k + 2 * m->gap, 4 * k + 3 * m->gap};
		info = (struct ui_rect){in.x, in.y, in.w, pad.y - m->margin - in.y};
		ui_paint_button_row(p, (struct ui_rect){in.x, in.y, in.w, in.h}, &back, 1);
	} else {
		/* Info on the left half, the pad on the right half, both
		 * leaning towards the middle. */
		double half = in.w / 2;

		k = keypad_key(p, half - m->margin, in.h);
		pad = (struct ui_rect){in.x + half + m->margin,
				       in.y + (in.h - 4 * k - 3 * m->gap) / 2, 3 * k + 2 * m->gap,
				       4 * k + 3 * m->gap};
		info = (struct ui_rect){in.x, in.y, half - m->margin, in.h - m->button_h - m->gap};
		ui_paint_button(p,
				(struct ui_rect){in.x, in.y + in.h - m->button_h,
						 fmin(info.w, ui_button_width(p, back.label, true)),
						 m->button_h},
				back.label, back.icon, back.kind, true, back.button, 0);
	}
	paint_keypad(p, pad.x, pad.y, k, typed, s->pin_pending);

	ui_measure_text(p, ui_t(p, UI_TEXT_PIN_TITLE), info.w, &title, NULL, &th);
	ui_measure_text(p, ui_t(p, UI_TEXT_PIN_PROMPT), info.w, &text, NULL, &ph);
	if (feedback)
		ui_measure_text(p, feedback, info.w, &text, NULL, &fh);
	h = icon + m->gap + th + m->gap + ph + m->margin + round(28 * m->u) + m->margin + fh;
	y = info.y + fmax(0, (info.h - h) / 2);
	ui_paint_icon(p, UI_ICON_LOCK, info.x + (info.w - icon) / 2, y, icon, p->theme->accent);
	y += icon + m->gap;
	y += ui_paint_text(p, ui_t(p, UI_TEXT_PIN_TITLE), info.x, y, info.w, &title, page->fg);
	y += m->gap;
	y += ui_paint_text(p, ui_t(p, UI_TEXT_PIN_PROMPT), info.x, y, info.w, &text, muted->fg);
	y += m->margin;
	paint_dots(p, info.x + info.w / 2, y, typed);
	y += round(28 * m->u) + m->margin;
	if (feedback) {
		text.bold = fb_style == alert;
		ui_paint_text(p, feedback, info.x, y, info.w, &text, fb_style->fg);
	}
}

/* The widest pill of the states up to last, h high with px text: a
 * column that fits any of them. */
static double widest_state(struct ui_painter *p, enum session_device_state last, double h,
			   double px)
{
	double widest = 0;

	for (int st = 0; st <= (int)last; st++)
		widest = fmax(widest, ui_pill_width(p, ui_t(p, ui_text_device_state(st)), h, px));
	return widest;
}

/* A diag verdict (0 ok, 1 degraded, 2 failed) in the device states' words
 * and colours. */
static enum session_device_state verdict_state(int verdict)
{
	return verdict == 0   ? SESSION_DEVICE_OK
	       : verdict == 1 ? SESSION_DEVICE_DEGRADED
			      : SESSION_DEVICE_FAILED;
}

/* The offset of the state column in a device table w wide: the names
 * get what the widest state and the Test button leave. */
static double state_column(struct ui_painter *p, double w, double pill_h)
{
	return w - widest_state(p, _SESSION_DEVICE_STATE_MAX - 1, pill_h, p->m.text_small) -
	       ui_button_width(p, ui_t(p, UI_TEXT_MAINT_TEST), false) - 2 * p->m.gap;
}

/* The row height the device names need in a table w wide (one line or
 * two). */
static double device_row_min(struct ui_painter *p, double w)
{
	const struct ui_metrics *m = &p->m;
	struct ui_font text = {.px = m->text_body, .max_lines = 2};
	double name_w = state_column(p, w, round(56 * m->u)) - 2 * m->gap, h = 0, th;

	for (int d = 0; d < _SESSION_DEVICE_MAX; d++) {
		ui_measure_text(p, ui_t(p, ui_text_device((enum session_device)d)), name_w, &text,
				NULL, &th);
		h = fmax(h, th);
	}
	/* ...and never less than a button a finger hits (44 px). */
	return fmax(44 + round(16 * m->u), ceil(h + round(16 * m->u)));
}

/* The device table: each device, the state it reports and its Test
 * button. Returns the height used. */
static double paint_devices(struct ui_painter *p, const struct session *s, struct ui_rect r,
			    double row)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	const struct ui_style *card = &p->theme->style[UI_STYLE_CARD];
	struct ui_font text = {.px = m->text_body, .max_lines = 2};
	struct ui_font head = {.px = m->text_small, .bold = true};
	const char *test = ui_t(p, UI_TEXT_MAINT_TEST);
	double pill_h = fmin(round(56 * m->u), row - 8), y = r.y;
	double bh = fmax(8, row - round(16 * m->u)), bw = ui_button_width(p, test, false);
	double col2 = r.x + state_column(p, r.w, pill_h);

	ui_paint_text(p, ui_t(p, UI_TEXT_MAINT_DEVICE), r.x + m->gap, y, col2 - r.x - m->gap, &head,
		      muted->fg);
	y += ui_paint_text(p, ui_t(p, UI_TEXT_MAINT_STATE), col2, y, r.x + r.w - col2, &head,
			   muted->fg);
	y += round(12 * m->u);
	ui_paint_card(p, (struct ui_rect){r.x, y, r.w, row * _SESSION_DEVICE_MAX}, card->bg);
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++) {
		enum session_device_state st = s->devices[d];
		struct ui_rect rr = {r.x, y + d * row, r.w, row};

		if (d > 0) {
			ui_set_color(p, p->theme->border);
			cairo_rectangle(p->cr, r.x + m->gap, rr.y, r.w - 2 * m->gap, fmax(1, m->u));
			cairo_fill(p->cr);
		}
		ui_paint_text_in(p, ui_t(p, ui_text_device((enum session_device)d)),
				 (struct ui_rect){r.x + m->gap, rr.y, col2 - r.x - 2 * m->gap, row},
				 &text, card->fg);
		ui_paint_pill(p, ui_t(p, ui_text_device_state(st)), col2, rr.y + (row - pill_h) / 2,
			      pill_h, m->text_small, ui_theme_device(p->theme, st));
		/* One test at a time: the others wait while one runs. The
		 * finger's target is the whole row's height around it (at
		 * least 72 px both ways), the button drawn inside. */
		ui_paint_button(
			p, (struct ui_rect){r.x + r.w - m->gap - bw, rr.y + (row - bh) / 2, bw, bh},
			test, -1, UI_BUTTON_SECONDARY, s->test_device < 0, _SESSION_BUTTON_INVALID,
			d);
		if (s->test_device < 0) {
			double hw = fmax(72, bw + 2 * m->gap);

			ui_add_hit(p, (struct ui_rect){r.x + r.w - hw, rr.y, hw, row},
				   SESSION_BUTTON_DIAG_TEST, d);
		}
	}
	return y + row * _SESSION_DEVICE_MAX - r.y;
}

/* What an active test asks of the technician while it runs. */
static enum ui_text_id test_prompt(int device)
{
	switch (device) {
	case SESSION_DEVICE_CARD_READER:
		return UI_TEXT_MAINT_TEST_CARD;
	case SESSION_DEVICE_CAMERA:
		return UI_TEXT_MAINT_TEST_QR;
	case SESSION_DEVICE_BACKEND:
		return UI_TEXT_MAINT_TEST_BACKEND;
	default:
		return UI_TEXT_MAINT_TEST_PRINT;
	}
}

/* The active test: how to start one, the one running (and what it waits
 * for), or the last result with its verdict. */
static void paint_test(struct ui_painter *p, const struct session *s, struct ui_rect r)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	struct ui_font bold = {.px = m->text_small, .bold = true, .max_lines = 1};
	struct ui_font line = {.px = m->text_small};
	double y = r.y, pill_h = round(m->text_small * 1.6);
	char buf[160];

	if (r.h < pill_h)
		return;
	/* As many lines as fit under the first, at most three. */
	line.max_lines = (int)fmax(
		1, fmin(3, floor((r.h - pill_h - round(6 * m->u)) / (m->text_small * 1.3))));
	if (s->test_device >= 0) {
		ui_text_format(buf, sizeof(buf), ui_t(p, UI_TEXT_MAINT_TESTING),
			       ui_t(p, ui_text_device((enum session_device)s->test_device)), NULL);
		ui_paint_text_in(p, buf, (struct ui_rect){r.x, y, r.w, pill_h}, &bold, page->fg);
		y += pill_h + round(6 * m->u);
		ui_paint_text(p, ui_t(p, test_prompt(s->test_device)), r.x, y, r.w, &line,
			      muted->fg);
	} else if (s->tested_device >= 0 && s->tested_device < _SESSION_DEVICE_MAX) {
		enum session_device_state st = verdict_state(s->test.verdict);
		double x = r.x;

		/* Its verdict, the device, then its words. */
		x += ui_paint_pill(p, ui_t(p, ui_text_device_state(st)), x, y, pill_h,
				   fmin(m->text_small, pill_h * 0.6),
				   ui_theme_device(p->theme, st));
		x += m->gap;
		ui_paint_text_in(p, ui_t(p, ui_text_device((enum session_device)s->tested_device)),
				 (struct ui_rect){x, y, r.x + r.w - x, pill_h}, &bold, page->fg);
		y += pill_h + round(6 * m->u);
		ui_paint_text(p, s->test.summary, r.x, y, r.w, &line, page->fg);
	} else {
		ui_paint_text(p, ui_t(p, UI_TEXT_MAINT_HINT), r.x, y, r.w, &line, muted->fg);
	}
}

/* The live `station diag` report: a line a section, its verdict as a
 * coloured pill, then its name and summary (the report's own words, as
 * the command prints them). */
static void paint_diag(struct ui_painter *p, const struct session *s, struct ui_rect r)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	const struct ui_style *card = &p->theme->style[UI_STYLE_CARD];
	struct ui_font head = {.px = m->text_heading, .bold = true, .max_lines = 1};
	struct ui_font name = {.px = m->text_small, .bold = true, .max_lines = 1};
	struct ui_font line = {.px = m->text_small, .max_lines = 1};
	double y = r.y, row, pill_h, pill_w, name_w = fmin(round(300 * m->u), r.w * 0.25);
	const struct session_diag *d = &s->diag;

	y += ui_paint_text(p, ui_t(p, UI_TEXT_MAINT_DIAG_TITLE), r.x, y, r.w, &head, page->fg);
	y += round(12 * m->u);
	if (!s->have_diag) {
		ui_paint_text(p, ui_t(p, UI_TEXT_MAINT_DIAG_PENDING), r.x, y, r.w, &line,
			      muted->fg);
		return;
	}
	row = d->n ? fmin(round(56 * m->u), (r.y + r.h - y) / (double)d->n) : 0;
	pill_h = fmax(8, fmin(row - round(12 * m->u), row * 0.85));
	pill_w = widest_state(p, SESSION_DEVICE_FAILED, pill_h, fmin(m->text_small, pill_h * 0.6)) +
		 m->gap;
	ui_paint_card(p, (struct ui_rect){r.x, y, r.w, row * (double)d->n}, card->bg);
	for (size_t i = 0; i < d->n; i++) {
		const struct session_diag_section *sec = &d->sections[i];
		enum session_device_state st = verdict_state(sec->verdict);
		double ry = y + (double)i * row, x = r.x + m->gap;

		ui_paint_pill(p, ui_t(p, ui_text_device_state(st)), x, ry + (row - pill_h) / 2,
			      pill_h, fmin(m->text_small, pill_h * 0.6),
			      ui_theme_device(p->theme, st));
		x += pill_w;
		ui_paint_text_in(p, sec->name, (struct ui_rect){x, ry, name_w - m->gap, row}, &name,
				 card->fg);
		x += name_w;
		ui_paint_text_in(p, sec->summary,
				 (struct ui_rect){x, ry, r.x + r.w - m->gap - x, row}, &line,
				 card->fg);
	}
	if (s->diag_pending)
		ui_paint_text(p, ui_t(p, UI_TEXT_MAINT_DIAG_PENDING), r.x,
			      y + row * (double)d->n + round(8 * m->u), r.w, &line, muted->fg);
}

/* A state's name in the fault log as the device states' words. */
static enum session_device_state fault_state(const char *name)
{
	for (int st = 0; st < _SESSION_DEVICE_STATE_MAX; st++)
		if (strcmp(name, session_device_state_to_string((enum session_device_state)st)) ==
		    0)
			return (enum session_device_state)st;
	return SESSION_DEVICE_FAILED;
}

/* The fault log's newest lines: when (UTC, month-day hour:minute), the
 * device and the state it went to. */
static void paint_faults(struct ui_painter *p, const struct session *s, struct ui_rect r)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	const struct ui_style *card = &p->theme->style[UI_STYLE_CARD];
	struct ui_font head = {.px = m->text_heading, .bold = true, .max_lines = 1};
	struct ui_font line = {.px = m->text_small, .max_lines = 1};
	struct ui_font bold = {.px = m->text_small, .bold = true, .max_lines = 1};
	const struct session_diag *d = &s->diag;
	double y = r.y, row, pill_h, pill_w, time_w, dev_w;
	size_t n;

	y += ui_paint_text(p, ui_t(p, UI_TEXT_MAINT_FAULTS_TITLE), r.x, y, r.w, &head, page->fg);
	y += round(12 * m->u);
	if (!s->have_diag || d->n_faults == 0) {
		ui_paint_text(p,
			      ui_t(p, s->have_diag ? UI_TEXT_MAINT_FAULTS_NONE
						   : UI_TEXT_MAINT_DIAG_PENDING),
			      r.x, y, r.w, &line, muted->fg);
		return;
	}
	row = fmin(round(56 * m->u), (r.y + r.h - y) / (double)d->n_faults);
	/* Rows a line of text high at least: the oldest ones give way. */
	row = fmax(row, m->text_small * 1.4);
	n = (size_t)fmin((double)d->n_faults, floor((r.y + r.h - y) / row));
	pill_h = fmax(8, fmin(row - round(12 * m->u), row * 0.85));
	pill_w = widest_state(p, _SESSION_DEVICE_STATE_MAX - 1, pill_h,
			      fmin(m->text_small, pill_h * 0.6)) +
		 m->gap;
	ui_measure_text(p, "11-23 07:41", -1, &line, &time_w, NULL);
	time_w += m->gap * 2;
	dev_w = r.w - time_w - pill_w - m->gap;
	ui_paint_card(p, (struct ui_rect){r.x, y, r.w, row * (double)n}, card->bg);
	for (size_t i = 0; i < n; i++) {
		const struct session_diag_fault *f = &d->faults[i];
		enum session_device dev = session_device_from_string(f->device);
		enum session_device_state to = fault_state(f->state);
		double ry = y + (double)i * row, x = r.x + m->gap;
		char when[24];

		/* "2026-11-23T07:41:02Z" -> "11-23 07:41" (UTC). */
		snprintf(when, sizeof(when), "%.5s %.5s", strlen(f->time) > 5 ? f->time + 5 : "",
			 strlen(f->time) > 11 ? f->time + 11 : "");
		ui_paint_text_in(p, when, (struct ui_rect){x, ry, time_w - m->gap, row}, &line,
				 card->fg);
		x += time_w;
		ui_paint_text_in(p,
				 dev >= 0 && dev < _SESSION_DEVICE_MAX
					 ? ui_t(p, ui_text_device(dev))
					 : f->device,
				 (struct ui_rect){x, ry, dev_w - m->gap, row}, &bold, card->fg);
		x += dev_w;
		ui_paint_pill(p, ui_t(p, ui_text_device_state(to)), x, ry + (row - pill_h) / 2,
			      pill_h, fmin(m->text_small, pill_h * 0.6),
			      ui_theme_device(p->theme, to));
	}
}

void ui_screen_maintenance(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	const struct ui_style *page = &p->theme->style[UI_STYLE_PAGE];
	const struct ui_style *muted = &p->theme->style[UI_STYLE_PAGE_MUTED];
	struct ui_font title = {.px = m->text_title, .bold = true, .max_lines = 1};
	struct ui_font text = {.px = m->text_body, .max_lines = 1};
	struct ui_rect in = ui_inset(body, m->margin);
	struct ui_button_spec buttons[] = {
		{.label = ui_t(p, UI_TEXT_MAINT_DIAG_REFRESH),
		 .icon = -1,
		 .kind = UI_BUTTON_SECONDARY,
		 .enabled = !s->diag_pending,
		 .button = SESSION_BUTTON_DIAG_REFRESH},
		{.label = ui_t(p, s->show_faults ? UI_TEXT_MAINT_REPORT : UI_TEXT_MAINT_FAULTS),
		 .icon = -1,
		 .kind = UI_BUTTON_SECONDARY,
		 .enabled = true,
		 .button = SESSION_BUTTON_DIAG_FAULTS},
		{.label = ui_t(p, UI_TEXT_MAINT_EXIT),
		 .icon = -1,
		 .kind = UI_BUTTON_PRIMARY,
		 .enabled = true,
		 .button = SESSION_BUTTON_FINISH},
	};
	double bh, y = in.y, row, th, test_h, left, row_min;
	struct ui_rect area;
	char station[96];

	bh = ui_paint_button_row(p, in, buttons, 3);
	ui_measure_text(p, ui_t(p, UI_TEXT_MAINT_TITLE), in.w, &title, NULL, &th);
	ui_paint_text(p, ui_t(p, UI_TEXT_MAINT_TITLE), in.x, y, in.w, &title, page->fg);
	if (p->ctx->station_id && *p->ctx->station_id) {
		struct ui_font right = text;

		right.align = UI_ALIGN_RIGHT;
		ui_text_format(station, sizeof(station), ui_t(p, UI_TEXT_FOOTER_STATION),
			       p->ctx->station_id, NULL);
		ui_paint_text(p, station, in.x, y + th - m->text_body * 1.3, in.w, &right,
			      muted->fg);
	}
	y += th + m->gap;
	area = (struct ui_rect){in.x, y, in.w, in.y + in.h - bh - m->gap - y};
	/* The test panel: its first line and two more (three in
	 * portrait). */
	test_h = m->text_small * 1.6 + round(6 * m->u) +
		 (m->portrait ? 3 : 2) * m->text_small * 1.3 + 1;
	left = m->portrait ? area.w : round(area.w * 0.45);
	row_min = fmax(72, device_row_min(p, left));

	if (m->portrait) {
		row = fmax(row_min,
			   fmin(fmax(m->button_h * 0.8, round(72 * m->u)), area.h * 0.35 / 5));
		y = area.y + paint_devices(p, s, (struct ui_rect){area.x, area.y, area.w, 0}, row) +
		    m->margin;
		paint_test(p, s, (struct ui_rect){area.x, y, area.w, test_h});
		y += test_h + m->margin;
		(s->show_faults ? paint_faults : paint_diag)(
			p, s, (struct ui_rect){area.x, y, area.w, area.y + area.h - y});
	} else {
		/* Devices on the left, each row a finger's height; the report
		 * on the right with the test panel under it. */
		double rx = area.x + left + m->margin, rw = area.w - left - m->margin;

		row = fmax(row_min, fmin(round(88 * m->u),
					 (area.h - m->text_small * 1.6 - round(12 * m->u)) /
						 _SESSION_DEVICE_MAX));
		paint_devices(p, s, (struct ui_rect){area.x, area.y, left, 0}, row);
		(s->show_faults ? paint_faults : paint_diag)(
			p, s, (struct ui_rect){rx, area.y, rw, area.h - test_h - m->gap});
		paint_test(p, s, (struct ui_rect){rx, area.y + area.h - test_h, rw, test_h});
	}
}
