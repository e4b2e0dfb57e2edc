/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "speech.h"

/* Appends a sentence: the text, a full stop unless it ends in one (or in
 * an ellipsis), and a space. */
static void add(char *buf, size_t size, size_t *len, const char *text)
{
	size_t n = strlen(text);
	const char *end = "";
	int w;

	if (n == 0 || *len >= size)
		return;
	if (!strchr(".!?", text[n - 1]) && !(n >= 3 && strcmp(text + n - 3, "…") == 0))
		end = ".";
	w = snprintf(buf + *len, size - *len, "%s%s%s", *len ? " " : "", text, end);
	if (w > 0)
		*len = (size_t)w >= size - *len ? size - 1 : *len + (size_t)w;
}

size_t ui_speech_prompt(const struct session *s, char *buf, size_t size, uint32_t *ret_key,
			bool *ret_english)
{
	bool en = s->personal.english;
	char num[24], line[160];
	size_t len = 0;

#define SAY(id) add(buf, size, &len, ui_text(UI_TEXT_##id, en))
	if (size == 0)
		return 0;
	buf[0] = '\0';
	switch (s->state) {
	case SESSION_WELCOME:
		SAY(WELCOME_TITLE);
		/* "Tap your e-KTP on the card reader, or scan a QR code." */
		snprintf(line, sizeof(line), "%s, %s %s", ui_text(UI_TEXT_WELCOME_CARD, en),
			 ui_text(UI_TEXT_WELCOME_OR, en), ui_text(UI_TEXT_WELCOME_QR, en));
		add(buf, size, &len, line);
		break;
	case SESSION_READING_CARD:
		SAY(READING_TITLE);
		SAY(READING_HINT);
		break;
	case SESSION_SCANNING_QR:
		SAY(SCAN_TITLE);
		SAY(SCAN_HINT);
		break;
	case SESSION_LOOKING_UP:
		SAY(LOOKUP_TITLE);
		SAY(LOOKUP_HINT);
		break;
	case SESSION_SHOWING_STATUS:
		if (!s->personal.have_result || s->personal.result.n_apps == 0) {
			SAY(STATUS_NONE);
		} else if (s->personal.result.n_apps == 1) {
			SAY(STATUS_COUNT_ONE);
		} else {
			snprintf(num, sizeof(num), "%zu", s->personal.result.n_apps);
			ui_text_format(line, sizeof(line), ui_text(UI_TEXT_STATUS_COUNT, en), num,
				       NULL);
			add(buf, size, &len, line);
		}
		break;
	case SESSION_CHOOSING_DOCUMENT:
		SAY(DOC_TITLE);
		SAY(DOC_HINT);
		break;
	case SESSION_PRINTING_RECEIPT:
		SAY(PRINTING_RECEIPT);
		SAY(PRINTING_HINT);
		break;
	case SESSION_PRINTING_DOCUMENT:
		SAY(PRINTING_DOCUMENT);
		SAY(PRINTING_HINT);
		break;
	case SESSION_DONE:
		if (s->printing == SESSION_PRINT_DOCUMENT)
			SAY(DONE_DOCUMENT);
		else
			SAY(DONE_RECEIPT);
		SAY(DONE_THANKS);
		break;
	case SESSION_ERROR:
		add(buf, size, &len, ui_text(ui_text_error_title(s->error), en));
		add(buf, size, &len, ui_text(ui_text_error_action(s->error), en));
		break;
	case SESSION_IDLE_COUNTDOWN:
		/* The seconds at the start; the countdown is not read out. */
		snprintf(num, sizeof(num), "%u", session_countdown_left_s(s));
		ui_text_format(line, sizeof(line), ui_text(UI_TEXT_COUNTDOWN_TITLE, en), num, NULL);
		add(buf, size, &len, line);
		SAY(COUNTDOWN_HINT);
		break;
	case SESSION_OUT_OF_SERVICE:
		SAY(OOS_TITLE);
		SAY(OOS_HINT);
		break;
	case SESSION_MAINTENANCE_LOGIN:
	case SESSION_MAINTENANCE:
	default:
		break;
	}
#undef SAY
	if (ret_key)
		*ret_key = len == 0 ? 0
				    : ((uint32_t)s->state + 1) << 16 |
					      (uint32_t)(s->error & 0xFF) << 8 |
					      (uint32_t)(s->printing & 0x7F) << 1 | (en ? 1u : 0u);
	if (ret_english)
		*ret_english = en;
	return len;
}
