/* SPDX-License-Identifier: MIT */
/*
 * Colours chosen for a calm, official look (the deep blue of government
 * service signage) with every text pair at WCAG AA (>= 4.5:1) or better;
 * test-ui.c checks each pair with the WCAG formula below.
 */
#include <math.h>

#include "theme.h"

#define HEX(v)                                                                   \
	{                                                                        \
		.r = ((v) >> 16 & 0xff) / 255.0, .g = ((v) >> 8 & 0xff) / 255.0, \
		.b = ((v)&0xff) / 255.0                                          \
	}
#define PAIR(f, b)                         \
	{                                  \
		.fg = HEX(f), .bg = HEX(b) \
	}

static const struct ui_theme theme = {
	.style =
		{
			[UI_STYLE_PAGE] = PAIR(0x18212f, 0xf3f5f9),
			[UI_STYLE_PAGE_MUTED] = PAIR(0x465163, 0xf3f5f9),
			[UI_STYLE_HEADER] = PAIR(0xffffff, 0x0b3a82),
			[UI_STYLE_CARD] = PAIR(0x18212f, 0xffffff),
			[UI_STYLE_CARD_MUTED] = PAIR(0x465163, 0xffffff),
			[UI_STYLE_BUTTON_PRIMARY] = PAIR(0xffffff, 0x0b57a4),
			[UI_STYLE_BUTTON_SECONDARY] = PAIR(0x0b3a82, 0xffffff),
			[UI_STYLE_BUTTON_DISABLED] = PAIR(0x515b6a, 0xe1e5eb),
			[UI_STYLE_FOOTER] = PAIR(0x3a4454, 0xe4e8ef),
			[UI_STYLE_DEMO] = PAIR(0x3b2d00, 0xffe49a),
			[UI_STYLE_NOTICE] = PAIR(0x5c3a00, 0xfff3d6),
			[UI_STYLE_ALERT] = PAIR(0xa3201a, 0xf3f5f9),
			[UI_STYLE_OVERLAY] = PAIR(0xffffff, 0x0d2a5c),
			[UI_STYLE_PREVIEW] = PAIR(0xffffff, 0x1b2433),
			/* Stage badges: the ready stage stands out (solid green),
			 * the others are soft tints with dark text of their hue. */
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_RECEIVED] = PAIR(0x1d3f73, 0xe3ebf7),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_VERIFYING] = PAIR(0x0b4a9e, 0xe2eeff),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_NEEDS_FIX] = PAIR(0x6e4200, 0xffefcc),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_PROCESSING] =
				PAIR(0x00564c, 0xdcf2ef),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_AWAITING_PAYMENT] =
				PAIR(0x7f3300, 0xfde6d3),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_READY] = PAIR(0xffffff, 0x17692c),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_COLLECTED] = PAIR(0x3a4454, 0xe6e9ee),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_REJECTED] = PAIR(0x971a16, 0xfde3e1),
			[UI_STYLE_DEVICE_FIRST + SESSION_DEVICE_OK] = PAIR(0xffffff, 0x17692c),
			[UI_STYLE_DEVICE_FIRST + SESSION_DEVICE_DEGRADED] =
				PAIR(0x5c3a00, 0xffd98a),
			[UI_STYLE_DEVICE_FIRST + SESSION_DEVICE_FAILED] = PAIR(0xffffff, 0xa3201a),
			[UI_STYLE_DEVICE_FIRST + SESSION_DEVICE_RECOVERING] =
				PAIR(0xffffff, 0x0b57a4),
		},
	.accent = HEX(0x0b57a4),
	.success = HEX(0x17692c),
	.danger = HEX(0xb3261e),
	.border = HEX(0xc9d0db),
	.shadow = HEX(0x0b1a33),
	/* DejaVu Sans first (fonts-dejavu-core, on every Debian): the same
	 * metrics everywhere, so layouts (and golden images) do not change
	 * with what else is installed; it covers Indonesian and the bullets
	 * of masked numbers. The others only fill in missing glyphs. */
	.font_family = "DejaVu Sans, Noto Sans, Sans",
};

/* High contrast, chosen by the citizen: white and yellow on black, every
 * text pair at WCAG AAA (>= 7:1; test-ui.c checks), stage and device
 * colours as light tints under black text so they stay told apart. */
static const struct ui_theme theme_high_contrast = {
	.style =
		{
			[UI_STYLE_PAGE] = PAIR(0xffffff, 0x000000),
			[UI_STYLE_PAGE_MUTED] = PAIR(0xffff99, 0x000000),
			[UI_STYLE_HEADER] = PAIR(0x000000, 0xffd500),
			[UI_STYLE_CARD] = PAIR(0xffffff, 0x141414),
			[UI_STYLE_CARD_MUTED] = PAIR(0xffff99, 0x141414),
			[UI_STYLE_BUTTON_PRIMARY] = PAIR(0x000000, 0xffd500),
			[UI_STYLE_BUTTON_SECONDARY] = PAIR(0xffd500, 0x000000),
			[UI_STYLE_BUTTON_DISABLED] = PAIR(0xb3b3b3, 0x1a1a1a),
			[UI_STYLE_FOOTER] = PAIR(0xffffff, 0x000000),
			[UI_STYLE_DEMO] = PAIR(0x000000, 0xffd500),
			[UI_STYLE_NOTICE] = PAIR(0x000000, 0xffd500),
			[UI_STYLE_ALERT] = PAIR(0xff8080, 0x000000),
			[UI_STYLE_OVERLAY] = PAIR(0xffffff, 0x000000),
			[UI_STYLE_PREVIEW] = PAIR(0xffffff, 0x000000),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_RECEIVED] = PAIR(0x000000, 0xcfe0ff),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_VERIFYING] = PAIR(0x000000, 0x99ccff),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_NEEDS_FIX] = PAIR(0x000000, 0xffb347),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_PROCESSING] =
				PAIR(0x000000, 0x80e5d9),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_AWAITING_PAYMENT] =
				PAIR(0x000000, 0xffcc99),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_READY] = PAIR(0x000000, 0x66ff66),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_COLLECTED] = PAIR(0x000000, 0xd9d9d9),
			[UI_STYLE_STAGE_FIRST + SESSION_STAGE_REJECTED] = PAIR(0x000000, 0xff9999),
			[UI_STYLE_DEVICE_FIRST + SESSION_DEVICE_OK] = PAIR(0x000000, 0x66ff66),
			[UI_STYLE_DEVICE_FIRST + SESSION_DEVICE_DEGRADED] =
				PAIR(0x000000, 0xffd500),
			[UI_STYLE_DEVICE_FIRST + SESSION_DEVICE_FAILED] = PAIR(0x000000, 0xff9999),
			[UI_STYLE_DEVICE_FIRST + SESSION_DEVICE_RECOVERING] =
				PAIR(0x000000, 0x99ccff),
		},
	.accent = HEX(0xffd500),
	.success = HEX(0x66ff66),
	.danger = HEX(0xff8080),
	.border = HEX(0xffd500),
	.shadow = HEX(0x000000),
	.font_family = "DejaVu Sans, Noto Sans, Sans",
};

const struct ui_theme *ui_theme_default(void)
{
	return &theme;
}

const struct ui_theme *ui_theme_high_contrast(void)
{
	return &theme_high_contrast;
}

const struct ui_style *ui_theme_stage(const struct ui_theme *t, enum session_stage stage)
{
	if ((int)stage < 0 || stage >= _SESSION_STAGE_MAX)
		stage = SESSION_STAGE_RECEIVED;
	return &t->style[UI_STYLE_STAGE_FIRST + stage];
}

const struct ui_style *ui_theme_device(const struct ui_theme *t, enum session_device_state st)
{
	if ((int)st < 0 || st >= _SESSION_DEVICE_STATE_MAX)
		st = SESSION_DEVICE_FAILED;
	return &t->style[UI_STYLE_DEVICE_FIRST + st];
}

static double linear(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double ui_color_luminance(struct ui_color c)
{
	return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double ui_color_contrast(struct ui_color a, struct ui_color b)
{
	double la = ui_color_luminance(a), lb = ui_color_luminance(b);

	if (la < lb) {
		double t = la;
		la = lb;
		lb = t;
	}
	return (la + 0.05) / (lb + 0.05);
}

void ui_metrics_for(int width, int height, struct ui_metrics *ret_metrics)
{
	ui_metrics_for_mode(width, height, false, ret_metrics);
}

void ui_metrics_for_mode(int width, int height, bool large, struct ui_metrics *ret_metrics)
{
	double w = width > 0 ? width : 1, h = height > 0 ? height : 1;
	double u = (w < h ? w : h) / 1080.0;

	*ret_metrics = (struct ui_metrics){
		.u = u,
		.margin = round(48 * u),
		.gap = round(24 * u),
		.radius = round(18 * u),
		.header_h = round(fmax(64, 104 * u)),
		.footer_h = round(fmax(36, 52 * u)),
		.text_title = round(54 * u),
		.text_heading = round(40 * u),
		.text_body = round(30 * u),
		.text_small = round(28 * u),
		.text_button = round(32 * u),
		.text_hint = round(24 * u),
		.button_h = round(fmax(72, 96 * u)),
		.icon = round(160 * u),
		.portrait = h > w * 1.1,
	};
	if (large) {
		/* Large text: every text UI_LARGE_TEXT times bigger, buttons
		 * taller to hold it, pictograms smaller to make room. The
		 * header and footer keep their height (the body rectangle
		 * is the same in both modes). */
		struct ui_metrics *m = ret_metrics;

		m->text_title = round(m->text_title * UI_LARGE_TEXT);
		m->text_heading = round(m->text_heading * UI_LARGE_TEXT);
		m->text_body = round(m->text_body * UI_LARGE_TEXT);
		m->text_small = round(m->text_small * UI_LARGE_TEXT);
		m->text_button = round(m->text_button * UI_LARGE_TEXT);
		m->button_h = round(fmax(72, 120 * u));
		m->icon = round(112 * u);
		m->large = true;
	}
}
