/* SPDX-License-Identifier: MIT */
/*
 * Drawing helpers shared by the screens (private to ui/): text laid out
 * with Pango, buttons that record their hit area, cards, and pictograms
 * drawn as Cairo paths (no image files to ship or lose).
 *
 * Every string reaches the screen through ui_paint_text(), so a test can
 * watch what is laid out (ui_draw_traced) and check that personal data
 * only ever appears masked. Owner thread only; nothing here blocks.
 */
#pragma once

#include <stdbool.h>

#include <cairo.h>

#include "i18n.h"
#include "theme.h"
#include "ui.h"

struct ui_rect {
	double x, y, w, h;
};

/* Called with every string laid out, in drawing order. */
typedef void (*ui_text_trace_fn)(void *userdata, const char *text);

struct ui_painter {
	cairo_t *cr;
	int width, height;
	struct ui_metrics m;
	const struct ui_theme *theme;
	const struct ui_context *ctx;
	bool english;
	bool large;		/* high contrast, large text (theme and metrics set so) */
	struct ui_frame *frame; /* hits recorded so far */
	ui_text_trace_fn trace;
	void *trace_data;
};

enum ui_align {
	UI_ALIGN_LEFT,
	UI_ALIGN_CENTER,
	UI_ALIGN_RIGHT,
};

struct ui_font {
	double px; /* absolute size in pixels */
	bool bold;
	int max_lines; /* 0: as many as it takes; else ellipsize after */
	enum ui_align align;
};

enum ui_button_kind {
	UI_BUTTON_PRIMARY,
	UI_BUTTON_SECONDARY,
};

enum ui_icon {
	UI_ICON_CARD, /* an e-KTP with contactless waves */
	UI_ICON_QR,
	UI_ICON_PRINTER,
	UI_ICON_DOCUMENT,
	UI_ICON_CHECK,
	UI_ICON_WARNING,
	UI_ICON_WRENCH,
	UI_ICON_GLOBE,
	UI_ICON_BUILDING, /* the emblem in the header */
	UI_ICON_ARROW_LEFT,
	UI_ICON_ARROW_RIGHT,
	UI_ICON_CLOCK,
	UI_ICON_LOCK,
	UI_ICON_CONTRAST, /* a circle half black, half white */
};

/* Same as ui_draw(), with every laid-out string also passed to trace
 * (may be NULL). For tests: the public entry point is ui_draw(). */
int ui_draw_traced(cairo_t *cr, int width, int height, const struct session *s,
		   const struct ui_context *ctx, ui_text_trace_fn trace, void *userdata,
		   struct ui_frame *ret_frame);

/* ---- primitives ---------------------------------------------------------- */

void ui_set_color(struct ui_painter *p, struct ui_color c);
void ui_rounded_rect(struct ui_painter *p, struct ui_rect r, double radius);
/* A white card with a soft shadow and a hairline border. */
void ui_paint_card(struct ui_painter *p, struct ui_rect r, struct ui_color fill);

/* Size text would take in a box w wide. */
void ui_measure_text(struct ui_painter *p, const char *text, double w, const struct ui_font *f,
		     double *ret_w, double *ret_h);
/* Lays text out from (x, y) in a box w wide; returns the height used. */
double ui_paint_text(struct ui_painter *p, const char *text, double x, double y, double w,
		     const struct ui_font *f, struct ui_color color);
/* Same, centred vertically in r. */
void ui_paint_text_in(struct ui_painter *p, const char *text, struct ui_rect r,
		      const struct ui_font *f, struct ui_color color);

/* Records a hit area (ignored when UI_HITS_MAX are recorded already). */
void ui_add_hit(struct ui_painter *p, struct ui_rect r, enum session_button b, int index);

/* A button with a label (and an optional icon, < 0 for none). A disabled
 * button is drawn greyed and records no hit; b == _SESSION_BUTTON_INVALID
 * draws the look only (inside a larger hit area). */
void ui_paint_button(struct ui_painter *p, struct ui_rect r, const char *label, int icon,
		     enum ui_button_kind kind, bool enabled, enum session_button b, int index);
/* The width a button needs for its label at the theme's button size. */
double ui_button_width(struct ui_painter *p, const char *label, bool icon);

/* A rounded label ("pill") with the style's colours; returns its width.
 * Drawn from (x, y) with the given height. */
double ui_paint_pill(struct ui_painter *p, const char *label, double x, double y, double h,
		     double px, const struct ui_style *st);
double ui_pill_width(struct ui_painter *p, const char *label, double h, double px);

/* A pictogram fitted in a size x size box at (x, y), in colour c. */
void ui_paint_icon(struct ui_painter *p, enum ui_icon icon, double x, double y, double size,
		   struct ui_color c);
/* A spinner centred at (cx, cy); phase_ms selects which spoke is lit so
 * a redraw on every tick animates it. */
void ui_paint_spinner(struct ui_painter *p, double cx, double cy, double radius,
		      unsigned long long phase_ms);
/* An indeterminate progress bar (a moving segment by phase_ms). */
void ui_paint_progress(struct ui_painter *p, struct ui_rect r, unsigned long long phase_ms);

/* The language switch, right-aligned at (right, y); records
 * SESSION_BUTTON_LANGUAGE. Returns its rectangle. */
/* The citizen's preference buttons, right-aligned at right: the contrast
 * switch (high contrast, large text) and the language switch. Returns the
 * rectangle of both. */
struct ui_rect ui_paint_language_button(struct ui_painter *p, double right, double y);

/* ---- composite blocks ---------------------------------------------------- */

/* A centred message: pictogram (or spinner), title, text, progress bar,
 * and a note in an amber box; each part optional. */
struct ui_message {
	int icon; /* enum ui_icon, < 0 for none */
	struct ui_color icon_color;
	bool spinner;
	bool progress;
	unsigned long long phase_ms; /* animation phase of spinner/progress */
	const char *title;
	const struct ui_style *title_style; /* NULL: page text */
	const char *text;
	const char *note;
};
void ui_paint_message(struct ui_painter *p, struct ui_rect area, const struct ui_message *msg);

struct ui_button_spec {
	const char *label;
	int icon; /* < 0: none */
	enum ui_button_kind kind;
	bool enabled;
	enum session_button button;
	int index;
};
/* Buttons at the bottom of area: in a centred row when they fit, else
 * stacked. Returns the height used. */
double ui_paint_button_row(struct ui_painter *p, struct ui_rect area,
			   const struct ui_button_spec *buttons, size_t n);

/* r shrunk by d on every side. */
struct ui_rect ui_inset(struct ui_rect r, double d);

/* Shorthand for the current language's text. */
const char *ui_t(const struct ui_painter *p, enum ui_text_id id);

/* ---- screens: one file each; body is the area between header and footer */

void ui_screen_welcome(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_reading(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_scanning(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_lookup(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_status(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_document(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_printing(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_done(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_error(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_countdown(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_pin(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_maintenance(struct ui_painter *p, const struct session *s, struct ui_rect body);
void ui_screen_out_of_service(struct ui_painter *p, const struct session *s, struct ui_rect body);

/* The body rectangle of a width x height screen (between the header band
 * and the footer), the same for every screen. */
struct ui_rect ui_body_rect(int width, int height);
/* How many application cards the status screen lays out per page. */
unsigned ui_status_apps_per_page(int width, int height, bool large);

/* The texts the status screen shows for the holder, masked
 * (privacy.h): "Halo, Budi S. W." and "NIK 3201••••••••0001" ("" when the
 * backend gave none). Returns buf. */
char *ui_status_greeting(const struct session *s, bool english, char *buf, size_t size);
char *ui_status_nik(const struct session *s, bool english, char *buf, size_t size);
