/* SPDX-License-Identifier: MIT */
/*
 * Waiting for the backend. The spinner's lit spoke follows the session's
 * clock, so the owner's redraw on each tick animates it without a timer
 * of its own. The citizen may give up (FINISH ends the session).
 */
#include "draw.h"

void ui_screen_lookup(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	const struct ui_metrics *m = &p->m;
	struct ui_rect in = ui_inset(body, m->margin);
	struct ui_message msg = {
		.icon = -1,
		.spinner = true,
		.phase_ms = s->now_ms,
		.title = ui_t(p, UI_TEXT_LOOKUP_TITLE),
		.text = ui_t(p, UI_TEXT_LOOKUP_HINT),
	};
	struct ui_button_spec cancel = {
		.label = ui_t(p, UI_TEXT_CANCEL),
		.icon = -1,
		.kind = UI_BUTTON_SECONDARY,
		.enabled = true,
		.button = SESSION_BUTTON_FINISH,
	};
	double bh = ui_paint_button_row(p, in, &cancel, 1);

	in.h -= bh + m->gap;
	ui_paint_message(p, in, &msg);
}
