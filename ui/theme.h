/* SPDX-License-Identifier: MIT */
/*
 * The look of the screens: colours as foreground/background pairs (every
 * pair that carries text is checked for WCAG contrast by the unit tests),
 * and sizes derived from one base unit so a layout works from 1280x800 to
 * 1920x1080 and in portrait.
 */
#pragma once

#include <stdbool.h>

#include "session-types.h"

struct ui_color {
	double r, g, b; /* 0..1, sRGB */
};

/* Text on a background. Every text the screens draw uses one of these. */
struct ui_style {
	struct ui_color fg, bg;
};

enum ui_style_id {
	UI_STYLE_PAGE,	     /* body text on the page */
	UI_STYLE_PAGE_MUTED, /* secondary text on the page */
	UI_STYLE_HEADER,     /* the deep blue band */
	UI_STYLE_CARD,	     /* text on a white card */
	UI_STYLE_CARD_MUTED,
	UI_STYLE_BUTTON_PRIMARY,
	UI_STYLE_BUTTON_SECONDARY,
	UI_STYLE_BUTTON_DISABLED,
	UI_STYLE_FOOTER,
	UI_STYLE_DEMO,	      /* the demo hint bar */
	UI_STYLE_NOTICE,      /* an amber box: something to know */
	UI_STYLE_ALERT,	      /* red text on the page: what failed */
	UI_STYLE_OVERLAY,     /* countdown: white on dark blue */
	UI_STYLE_PREVIEW,     /* text inside the camera frame */
	UI_STYLE_STAGE_FIRST, /* one per enum session_stage */
	UI_STYLE_STAGE_LAST = UI_STYLE_STAGE_FIRST + _SESSION_STAGE_MAX - 1,
	UI_STYLE_DEVICE_FIRST, /* one per enum session_device_state */
	UI_STYLE_DEVICE_LAST = UI_STYLE_DEVICE_FIRST + _SESSION_DEVICE_STATE_MAX - 1,
	_UI_STYLE_MAX,
};

struct ui_theme {
	struct ui_style style[_UI_STYLE_MAX];
	struct ui_color accent;	 /* icons, focus, progress */
	struct ui_color success; /* check marks */
	struct ui_color danger;	 /* error icons */
	struct ui_color border;	 /* card and secondary button outlines */
	struct ui_color shadow;	 /* soft card shadow (drawn with alpha) */
	const char *font_family; /* Pango family list */
};

/* The theme of the station. Static storage; never freed. Any thread. */
const struct ui_theme *ui_theme_default(void);
/* The high-contrast theme the citizen may switch to (>= 7:1 everywhere). */
const struct ui_theme *ui_theme_high_contrast(void);

/* The style of a stage badge / a device state pill. */
const struct ui_style *ui_theme_stage(const struct ui_theme *t, enum session_stage stage);
const struct ui_style *ui_theme_device(const struct ui_theme *t, enum session_device_state st);

/* WCAG 2.x relative luminance of an sRGB colour, 0..1. */
double ui_color_luminance(struct ui_color c);
/* WCAG 2.x contrast ratio between two colours, 1..21. */
double ui_color_contrast(struct ui_color a, struct ui_color b);

/*
 * Sizes in pixels for a screen of width x height. The base unit u is
 * min(width, height) / 1080, so a landscape 1080p screen and a portrait
 * 1080x1920 one use the same sizes; touch targets never drop below 72 px.
 */
struct ui_metrics {
	double u;
	double margin, gap, radius;
	double header_h, footer_h;
	double text_title, text_heading, text_body, text_small, text_button;
	double text_hint; /* footer and demo bar only */
	double button_h;  /* >= 72 */
	double icon;	  /* large pictogram */
	bool portrait;	  /* taller than wide: stack instead of side by side */
	bool large;	  /* the large-text mode */
};

/* How much larger every text is in the large-text mode. */
#define UI_LARGE_TEXT 1.4

/* Fills *ret_metrics for a screen; width, height > 0. */
void ui_metrics_for(int width, int height, struct ui_metrics *ret_metrics);
/* The same, in the large-text mode when large (with high contrast). */
void ui_metrics_for_mode(int width, int height, bool large, struct ui_metrics *ret_metrics);
