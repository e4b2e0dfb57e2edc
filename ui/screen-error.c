/* SPDX-License-Identifier: MIT */
/*
 * One screen for every enum session_error: what happened, in plain words,
 * then what to do next, and one button to go on.
 */
#include "draw.h"

void ui_screen_error(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	struct ui_rect in = ui_inset(body, m->margin), lang;
	struct ui_message msg = {
		.icon = UI_ICON_WARNING,
		.icon_color = p->theme->danger,
		.title = ui_t(p, ui_text_error_title(s->error)),
		.title_style = &p->theme->style[UI_STYLE_ALERT],
		.text = ui_t(p, ui_text_error_action(s->error)),
	};
	struct ui_button_spec ok = {
		.label = ui_t(p, UI_TEXT_OK),
		.icon = -1,
		.kind = UI_BUTTON_PRIMARY,
		.enabled = true,
		.button = SESSION_BUTTON_OK,
	};
	double bh;

	lang = ui_paint_language_button(p, in.x + in.w, in.y);
	bh = ui_paint_button_row(p, in, &ok, 1);
	in.y = lang.y + lang.h;
	in.h = body.y + body.h - m->margin - bh - m->gap - in.y;
	ui_paint_message(p, in, &msg);
}
