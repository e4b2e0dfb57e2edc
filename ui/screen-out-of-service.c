/* SPDX-License-Identifier: MIT */
/*
 * Out of service: no way to identify a citizen works. The screen says so
 * plainly, sends people to the counters, and names the failed devices so
 * a passing technician knows where to look. Nothing to press.
 */
#include <string.h>

#include "draw.h"

void ui_screen_out_of_service(struct ui_painter *p, const struct session *s, struct ui_rect body)
{
	char list[256] = "", line[320];
	size_t len = 0;
	struct ui_message msg = {
		.icon = UI_ICON_WRENCH,
		.icon_color = p->theme->accent,
		.title = ui_t(p, UI_TEXT_OOS_TITLE),
		.text = ui_t(p, UI_TEXT_OOS_HINT),
	};

	for (int d = 0; d < _SESSION_DEVICE_MAX; d++) {
		const char *name;

		if (s->devices[d] != SESSION_DEVICE_FAILED)
			continue;
		name = ui_t(p, ui_text_device((enum session_device)d));
		len = strlen(ui_text_format(list + len, sizeof(list) - len, len ? ", {1}" : "{1}",
					    name, NULL)) +
		      len;
	}
	if (len > 0) {
		ui_text_format(line, sizeof(line), ui_t(p, UI_TEXT_OOS_DEVICES), list, NULL);
		msg.note = line;
	}
	ui_paint_message(p, ui_inset(body, p->m.margin), &msg);
}
