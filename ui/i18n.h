/* SPDX-License-Identifier: MIT */
/*
 * Every string the screens show, in Bahasa Indonesia (the default, and the
 * msgids of the gettext catalogue) and English (po/en.po, compiled to
 * anjungan.mo and read at run time: i18n.c). The language is the
 * session's, not the process's. Parameters are written {1}, {2} and filled
 * with ui_text_format(), so translations may reorder them; the tests check
 * that every msgid is translated and keeps its parameters.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "session-types.h"

enum ui_text_id {
	UI_TEXT_HEADER_NAME,
	UI_TEXT_HEADER_PLACE,
	UI_TEXT_FOOTER_HELP,
	UI_TEXT_FOOTER_STATION,
	UI_TEXT_DEMO_HINT,
	UI_TEXT_LANGUAGE_SWITCH,
	UI_TEXT_CONTRAST_SWITCH,
	UI_TEXT_BACK,
	UI_TEXT_CANCEL,
	UI_TEXT_FINISH,
	UI_TEXT_OK,

	UI_TEXT_WELCOME_TITLE,
	UI_TEXT_WELCOME_SUBTITLE,
	UI_TEXT_WELCOME_CARD,
	UI_TEXT_WELCOME_CARD_HINT,
	UI_TEXT_WELCOME_QR,
	UI_TEXT_WELCOME_QR_HINT,
	UI_TEXT_WELCOME_OR,

	UI_TEXT_READING_TITLE,
	UI_TEXT_READING_HINT,

	UI_TEXT_SCAN_TITLE,
	UI_TEXT_SCAN_HINT,
	UI_TEXT_SCAN_FRAME,

	UI_TEXT_LOOKUP_TITLE,
	UI_TEXT_LOOKUP_HINT,

	UI_TEXT_STATUS_HELLO,
	UI_TEXT_STATUS_HELLO_ANONYMOUS,
	UI_TEXT_STATUS_NIK,
	UI_TEXT_STATUS_COUNT_ONE,
	UI_TEXT_STATUS_COUNT,
	UI_TEXT_STATUS_NONE,
	UI_TEXT_STATUS_UPDATED,
	UI_TEXT_STATUS_COLLECT,
	UI_TEXT_STATUS_PAGE,
	UI_TEXT_STATUS_PREV,
	UI_TEXT_STATUS_NEXT,
	UI_TEXT_STATUS_PRINT,
	UI_TEXT_STATUS_PRINT_UNAVAILABLE,

	UI_TEXT_STAGE_RECEIVED,
	UI_TEXT_STAGE_VERIFYING,
	UI_TEXT_STAGE_NEEDS_FIX,
	UI_TEXT_STAGE_PROCESSING,
	UI_TEXT_STAGE_AWAITING_PAYMENT,
	UI_TEXT_STAGE_READY,
	UI_TEXT_STAGE_COLLECTED,
	UI_TEXT_STAGE_REJECTED,

	UI_TEXT_DOC_TITLE,
	UI_TEXT_DOC_HINT,
	UI_TEXT_DOC_CONFIRM,
	UI_TEXT_DOC_UNAVAILABLE,

	UI_TEXT_PRINTING_TITLE,
	UI_TEXT_PRINTING_RECEIPT,
	UI_TEXT_PRINTING_DOCUMENT,
	UI_TEXT_PRINTING_HINT,

	UI_TEXT_DONE_RECEIPT,
	UI_TEXT_DONE_DOCUMENT,
	UI_TEXT_DONE_THANKS,
	UI_TEXT_DONE_BACK,

	UI_TEXT_ERROR_NONE_TITLE,
	UI_TEXT_ERROR_NONE_ACTION,
	UI_TEXT_ERROR_CARD_UNREADABLE_TITLE,
	UI_TEXT_ERROR_CARD_UNREADABLE_ACTION,
	UI_TEXT_ERROR_CARD_UNKNOWN_TITLE,
	UI_TEXT_ERROR_CARD_UNKNOWN_ACTION,
	UI_TEXT_ERROR_CARD_DAMAGED_TITLE,
	UI_TEXT_ERROR_CARD_DAMAGED_ACTION,
	UI_TEXT_ERROR_QR_INVALID_TITLE,
	UI_TEXT_ERROR_QR_INVALID_ACTION,
	UI_TEXT_ERROR_QR_EXPIRED_TITLE,
	UI_TEXT_ERROR_QR_EXPIRED_ACTION,
	UI_TEXT_ERROR_QR_NOT_MPP_TITLE,
	UI_TEXT_ERROR_QR_NOT_MPP_ACTION,
	UI_TEXT_ERROR_NOT_FOUND_TITLE,
	UI_TEXT_ERROR_NOT_FOUND_ACTION,
	UI_TEXT_ERROR_BACKEND_UNREACHABLE_TITLE,
	UI_TEXT_ERROR_BACKEND_UNREACHABLE_ACTION,
	UI_TEXT_ERROR_PRINTER_PAPER_OUT_TITLE,
	UI_TEXT_ERROR_PRINTER_PAPER_OUT_ACTION,
	UI_TEXT_ERROR_PRINTER_COVER_OPEN_TITLE,
	UI_TEXT_ERROR_PRINTER_COVER_OPEN_ACTION,
	UI_TEXT_ERROR_PRINTER_OFFLINE_TITLE,
	UI_TEXT_ERROR_PRINTER_OFFLINE_ACTION,
	UI_TEXT_ERROR_PRINT_FAILED_TITLE,
	UI_TEXT_ERROR_PRINT_FAILED_ACTION,

	UI_TEXT_COUNTDOWN_TITLE,
	UI_TEXT_COUNTDOWN_HINT,
	UI_TEXT_COUNTDOWN_PRIVACY,

	UI_TEXT_PIN_TITLE,
	UI_TEXT_PIN_PROMPT,
	UI_TEXT_PIN_WRONG,
	UI_TEXT_PIN_LOCKED,
	UI_TEXT_PIN_CHECKING,
	UI_TEXT_PIN_CLEAR,
	UI_TEXT_PIN_ENTER,

	UI_TEXT_MAINT_TITLE,
	UI_TEXT_MAINT_HINT,
	UI_TEXT_MAINT_DEVICE,
	UI_TEXT_MAINT_STATE,
	UI_TEXT_MAINT_EXIT,
	UI_TEXT_MAINT_DIAG_TITLE,
	UI_TEXT_MAINT_DIAG_PENDING,
	UI_TEXT_MAINT_DIAG_REFRESH,
	UI_TEXT_MAINT_TEST,
	UI_TEXT_MAINT_TEST_TITLE,
	UI_TEXT_MAINT_TESTING,
	UI_TEXT_MAINT_TEST_CARD,
	UI_TEXT_MAINT_TEST_QR,
	UI_TEXT_MAINT_TEST_PRINT,
	UI_TEXT_MAINT_TEST_BACKEND,
	UI_TEXT_MAINT_FAULTS,
	UI_TEXT_MAINT_REPORT,
	UI_TEXT_MAINT_FAULTS_TITLE,
	UI_TEXT_MAINT_FAULTS_NONE,

	UI_TEXT_DEVICE_CARD_READER,
	UI_TEXT_DEVICE_CAMERA,
	UI_TEXT_DEVICE_RECEIPT_PRINTER,
	UI_TEXT_DEVICE_DOCUMENT_PRINTER,
	UI_TEXT_DEVICE_BACKEND,

	UI_TEXT_DEVSTATE_OK,
	UI_TEXT_DEVSTATE_DEGRADED,
	UI_TEXT_DEVSTATE_FAILED,
	UI_TEXT_DEVSTATE_RECOVERING,

	UI_TEXT_OOS_TITLE,
	UI_TEXT_OOS_HINT,
	UI_TEXT_OOS_DEVICES,

	UI_TEXT_MONTH_1,
	UI_TEXT_MONTH_2,
	UI_TEXT_MONTH_3,
	UI_TEXT_MONTH_4,
	UI_TEXT_MONTH_5,
	UI_TEXT_MONTH_6,
	UI_TEXT_MONTH_7,
	UI_TEXT_MONTH_8,
	UI_TEXT_MONTH_9,
	UI_TEXT_MONTH_10,
	UI_TEXT_MONTH_11,
	UI_TEXT_MONTH_12,
	_UI_TEXT_MAX,
};

/* Loads the translations, once per process (later calls return the first
 * result): 0, or the negative errno why English shows Bahasa Indonesia
 * (logged once at error level; -ENOENT when no anjungan.mo was found).
 * ui_text() calls it; calling it at start-up says so early. Any thread;
 * the first call reads a file. */
int ui_text_init(void);

/* The text of id in English or Bahasa Indonesia (the msgid when English
 * has no translation). Static storage; never NULL ("" only for an id
 * outside the table). Any thread. */
const char *ui_text(enum ui_text_id id, bool english);

/* The ids of an enum's name or message. Out-of-range values map to a
 * generic entry (never an invalid id). */
enum ui_text_id ui_text_stage(enum session_stage stage);
enum ui_text_id ui_text_error_title(enum session_error e);
enum ui_text_id ui_text_error_action(enum session_error e);
enum ui_text_id ui_text_device(enum session_device d);
enum ui_text_id ui_text_device_state(enum session_device_state st);

/* Copies tmpl into buf, replacing "{1}" with a1 and "{2}" with a2 (NULL
 * counts as ""), truncating on a UTF-8 character boundary. Returns buf. */
char *ui_text_format(char *buf, size_t size, const char *tmpl, const char *a1, const char *a2);

/* "2026-11-23" or "2026-11-23T09:41:00+07:00" -> "23 November 2026" in
 * the language; anything else is copied as it is. Returns buf. */
char *ui_text_date(char *buf, size_t size, const char *iso, bool english);
