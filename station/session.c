/* SPDX-License-Identifier: MIT */
/*
 * The session state machine. See session.h for the contract; this file
 * keeps to it: no clock, no I/O, no allocation, no logging.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "session.h"

/* ---- helpers ------------------------------------------------------------ */

static void emit(struct session_cmds *cmds, enum session_cmd_type type, unsigned request,
		 unsigned job, const char *text, const char *text2)
{
	struct session_cmd *c;

	/* SESSION_CMDS_MAX covers the longest sequence any transition makes
	 * (STOP_SCAN + LOOKUP_QR, CANCEL_PRINT, ...); never more than 2. */
	if (cmds->n >= SESSION_CMDS_MAX)
		return;
	c = &cmds->cmd[cmds->n++];
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->request = request;
	c->job = job;
	if (text)
		snprintf(c->text, sizeof(c->text), "%s", text);
	if (text2)
		snprintf(c->text2, sizeof(c->text2), "%s", text2);
}

static unsigned next_id(struct session *s)
{
	s->last_id++;
	if (s->last_id == 0) /* 0 means "none": skip it on wrap-around */
		s->last_id++;
	return s->last_id;
}

static bool identification_down(const struct session *s)
{
	return s->devices[SESSION_DEVICE_CARD_READER] == SESSION_DEVICE_FAILED &&
	       s->devices[SESSION_DEVICE_CAMERA] == SESSION_DEVICE_FAILED;
}

static void enter(struct session *s, enum session_state state, uint64_t timeout_ms)
{
	s->state = state;
	s->deadline_ms = timeout_ms ? s->now_ms + timeout_ms : 0;
}

/* The resting state when no session runs. */
static void enter_rest(struct session *s)
{
	enter(s, identification_down(s) ? SESSION_OUT_OF_SERVICE : SESSION_WELCOME, 0);
}

void session_wipe(struct session *s)
{
	explicit_bzero(&s->personal, sizeof(s->personal));
	s->personal.english = s->english_default;
}

/* Maintenance: ask the owner for the diagnostic report (one at a time). */
static void run_diag(struct session *s, struct session_cmds *cmds)
{
	s->diag_pending = true;
	emit(cmds, SESSION_CMD_RUN_DIAG, 0, 0, NULL, NULL);
}

/* ---- active tests (maintenance; session.h) ------------------------------ */

static void test_clear(struct session *s)
{
	s->test_device = -1;
	s->test_id = 0;
	s->test_deadline_ms = 0;
}

/* Keeps a result for device d: technical words only (the report's
 * language, as `station diag test` prints them). */
static void test_result(struct session *s, int d, int verdict, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void test_result(struct session *s, int d, int verdict, const char *fmt, ...)
{
	va_list ap;

	memset(&s->test, 0, sizeof(s->test));
	snprintf(s->test.name, sizeof(s->test.name), "%s",
		 session_device_to_string((enum session_device)d));
	s->test.verdict = verdict;
	va_start(ap, fmt);
	vsnprintf(s->test.summary, sizeof(s->test.summary), fmt, ap);
	va_end(ap);
	s->tested_device = d;
	/* Time to read it: the idle timer starts again. */
	s->deadline_ms = s->now_ms + s->timeouts.maintenance_idle_ms;
}

static bool card_test_waiting(const struct session *s)
{
	return s->state == SESSION_MAINTENANCE && s->test_device == SESSION_DEVICE_CARD_READER;
}

static bool camera_test_waiting(const struct session *s)
{
	return s->state == SESSION_MAINTENANCE && s->test_device == SESSION_DEVICE_CAMERA;
}

/* The card reader or the camera, in a result's words. */
static const char *test_device_words(int d)
{
	return d == SESSION_DEVICE_CAMERA ? "camera" : "card reader";
}

/* The running test is over: the camera goes back to its idle watch. */
static void test_stop(struct session *s, struct session_cmds *cmds)
{
	if (s->test_device == SESSION_DEVICE_CAMERA)
		emit(cmds, SESSION_CMD_STOP_SCAN, 0, 0, NULL, NULL);
	test_clear(s);
}

static bool test_start(struct session *s, int d, struct session_cmds *cmds)
{
	if (s->test_device >= 0 || d < 0 || d >= _SESSION_DEVICE_MAX)
		return false;
	switch (d) {
	case SESSION_DEVICE_CARD_READER:
	case SESSION_DEVICE_CAMERA:
		if (s->devices[d] == SESSION_DEVICE_FAILED) {
			test_result(s, d, 2,
				    "the %s is failed: nothing to test with (see the report)",
				    test_device_words(d));
			return true;
		}
		if (d == SESSION_DEVICE_CAMERA)
			emit(cmds, SESSION_CMD_START_SCAN, 0, 0, NULL, NULL);
		s->test_deadline_ms = s->now_ms + SESSION_TEST_WAIT_MS;
		break;
	default:
		s->test_id = next_id(s);
		emit(cmds, SESSION_CMD_RUN_TEST, s->test_id, (unsigned)d, NULL, NULL);
		s->test_deadline_ms = s->now_ms + SESSION_TEST_ANSWER_MS;
		break;
	}
	s->test_device = d;
	return true;
}

static void test_timeout(struct session *s, struct session_cmds *cmds)
{
	int d = s->test_device;

	if (d == SESSION_DEVICE_CARD_READER)
		test_result(s, d, 2, "no card read within %u s: tap a card on the reader",
			    SESSION_TEST_WAIT_MS / 1000);
	else if (d == SESSION_DEVICE_CAMERA)
		/* `station diag test camera`'s verdict for frames without a
		 * code: the camera may work, nobody held one up. */
		test_result(s, d, 1, "no QR code seen within %u s: hold one in front of the camera",
			    SESSION_TEST_WAIT_MS / 1000);
	else
		test_result(s, d, 2, "no answer within %u s", SESSION_TEST_ANSWER_MS / 1000);
	test_stop(s, cmds);
}

/* A card read (or failed) while the card test waits: its result keeps the
 * UID's length and whether an identity came, nothing of either. */
static void test_card(struct session *s, const struct station_event *ev, struct session_cmds *cmds)
{
	if (ev->type == STATION_EVENT_CARD_READ)
		test_result(s, SESSION_DEVICE_CARD_READER, 0, "a card read: UID of %zu bytes, %s%s",
			    ev->card.uid_len,
			    ev->card.nik[0] ? "NIK and name read through the SAM"
					    : "no NIK (no SAM, or the SAM refused)",
			    ev->card.technician ? " (a technician card)" : "");
	else if (ev->card_error == SESSION_ERROR_CARD_UNKNOWN)
		test_result(s, SESSION_DEVICE_CARD_READER, 2,
			    "a card, but not an e-KTP: no [card] atr pattern matches its ATR");
	else
		test_result(s, SESSION_DEVICE_CARD_READER, 2, "the card could not be read (%s)",
			    session_error_to_string(ev->card_error));
	test_stop(s, cmds);
}

/* A QR code decoded while the camera test waits: the camera works, valid
 * token or not. Of the code, only whether it verified. */
static void test_qr(struct session *s, const struct station_event *ev, struct session_cmds *cmds)
{
	if (ev->type == STATION_EVENT_QR_TOKEN)
		test_result(s, SESSION_DEVICE_CAMERA, 0,
			    "a QR code decoded: an MPP token that verifies");
	else
		test_result(s, SESSION_DEVICE_CAMERA, 0,
			    "a QR code decoded, not a valid MPP token (%s)",
			    session_error_to_string(ev->qr_refused));
	test_stop(s, cmds);
}

/* The owner's answer to RUN_TEST. */
static bool test_done(struct session *s, const struct station_event *ev)
{
	if (s->state != SESSION_MAINTENANCE || !s->test_id || ev->request != s->test_id ||
	    !ev->diag || ev->diag->n < 1)
		return false;
	{
		const struct session_diag_section *r = &ev->diag->sections[0];

		/* The summary may come unterminated: cut at its size. */
		test_result(s, s->test_device, r->verdict >= 0 && r->verdict <= 2 ? r->verdict : 2,
			    "%.*s", (int)sizeof(r->summary), r->summary);
	}
	test_clear(s);
	return true;
}

/* Ends the running session: everything personal goes, the owner is told. */
static void end_session(struct session *s, struct session_cmds *cmds)
{
	test_stop(s, cmds);
	s->tested_device = -1;
	memset(&s->test, 0, sizeof(s->test));
	session_wipe(s);
	s->request = 0;
	s->job = 0;
	s->error = SESSION_ERROR_NONE;
	s->selected = -1;
	s->page = 0;
	s->pin_pending = false;
	s->diag_pending = false;
	s->have_diag = false;
	s->show_faults = false;
	memset(&s->diag, 0, sizeof(s->diag));
	s->pin_feedback = _SESSION_PIN_RESULT_INVALID;
	emit(cmds, SESSION_CMD_END, 0, 0, NULL, NULL);
	enter_rest(s);
}

static void fail(struct session *s, enum session_error e)
{
	s->error = e;
	s->request = 0;
	enter(s, SESSION_ERROR, s->timeouts.error_timeout_ms);
}

/* A failed card read: "tap again", or, when the reads keep failing, the
 * chip is probably damaged (session.h). */
static void card_failed(struct session *s)
{
	if (s->card_failures > 0 && s->now_ms - s->card_failure_ms > SESSION_CARD_FAILURE_WINDOW_MS)
		s->card_failures = 0;
	if (s->card_failures < SESSION_CARD_DAMAGED_FAILURES)
		s->card_failures++;
	s->card_failure_ms = s->now_ms;
	fail(s, s->card_failures >= SESSION_CARD_DAMAGED_FAILURES ? SESSION_ERROR_CARD_DAMAGED
								  : SESSION_ERROR_CARD_UNREADABLE);
}

static void show_status(struct session *s)
{
	s->selected = -1;
	enter(s, SESSION_SHOWING_STATUS, s->timeouts.idle_timeout_ms);
}

unsigned session_apps_per_page(const struct session *s)
{
	unsigned per = s->apps_per_page;

	if (s->personal.high_contrast && s->apps_per_page_large)
		per = s->apps_per_page_large;
	return per ? per : 1;
}

static unsigned page_count(const struct session *s)
{
	unsigned per = session_apps_per_page(s);
	size_t n = s->personal.result.n_apps;

	return n == 0 ? 1 : (unsigned)((n + per - 1) / per);
}

static bool app_has_document(const struct session *s, int i)
{
	return i >= 0 && (size_t)i < s->personal.result.n_apps &&
	       s->personal.result.apps[i].document_id[0] != '\0';
}

static void hex_uid(const struct station_event_card *c, char *buf, size_t size)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t n = c->uid_len < sizeof(c->uid) ? c->uid_len : sizeof(c->uid);
	size_t j = 0;

	for (size_t i = 0; i < n && j + 2 < size; i++) {
		buf[j++] = digits[c->uid[i] >> 4];
		buf[j++] = digits[c->uid[i] & 0xf];
	}
	buf[j] = '\0';
}

static void start_card_lookup(struct session *s, const struct station_event_card *card,
			      struct session_cmds *cmds)
{
	char uid[2 * sizeof(card->uid) + 1];

	s->personal.method = SESSION_ID_CARD;
	s->personal.card = *card;
	/* Values from outside: make sure the strings end. */
	s->personal.card.nik[sizeof(s->personal.card.nik) - 1] = '\0';
	s->personal.card.name[sizeof(s->personal.card.name) - 1] = '\0';
	if (s->personal.card.uid_len > sizeof(s->personal.card.uid))
		s->personal.card.uid_len = sizeof(s->personal.card.uid);
	hex_uid(&s->personal.card, uid, sizeof(uid));
	s->request = next_id(s);
	emit(cmds, SESSION_CMD_LOOKUP_CARD, s->request, 0, uid, s->personal.card.nik);
	explicit_bzero(uid, sizeof(uid));
	enter(s, SESSION_LOOKING_UP, s->timeouts.lookup_timeout_ms);
}

static void start_qr_lookup(struct session *s, const struct station_event_qr *qr,
			    struct session_cmds *cmds)
{
	s->personal.method = SESSION_ID_QR;
	s->personal.qr = *qr;
	s->personal.qr.token[sizeof(s->personal.qr.token) - 1] = '\0';
	s->personal.qr.application_id[sizeof(s->personal.qr.application_id) - 1] = '\0';
	s->personal.qr.document_id[sizeof(s->personal.qr.document_id) - 1] = '\0';
	s->request = next_id(s);
	emit(cmds, SESSION_CMD_LOOKUP_QR, s->request, 0, s->personal.qr.token, NULL);
	enter(s, SESSION_LOOKING_UP, s->timeouts.lookup_timeout_ms);
}

static void lookup_done(struct session *s, const struct session_lookup_result *r)
{
	struct session_lookup_result *mine = &s->personal.result;

	s->request = 0;
	*mine = *r;
	if (mine->n_apps > SESSION_MAX_APPS)
		mine->n_apps = SESSION_MAX_APPS;
	/* Strings from the backend: terminate every one. */
	mine->holder_name[sizeof(mine->holder_name) - 1] = '\0';
	mine->nik[sizeof(mine->nik) - 1] = '\0';
	for (size_t i = 0; i < mine->n_apps; i++) {
		struct session_app *a = &mine->apps[i];
		a->id[sizeof(a->id) - 1] = '\0';
		a->agency[sizeof(a->agency) - 1] = '\0';
		a->service[sizeof(a->service) - 1] = '\0';
		a->updated_at[sizeof(a->updated_at) - 1] = '\0';
		a->next_step[sizeof(a->next_step) - 1] = '\0';
		a->document_id[sizeof(a->document_id) - 1] = '\0';
		if (a->stage < 0 || a->stage >= _SESSION_STAGE_MAX)
			a->stage = SESSION_STAGE_PROCESSING;
	}
	s->personal.have_result = true;
	s->page = 0;

	if (mine->n_apps == 0) {
		fail(s, SESSION_ERROR_NOT_FOUND);
		return;
	}
	if (s->personal.method == SESSION_ID_QR && s->personal.qr.document_id[0]) {
		for (size_t i = 0; i < mine->n_apps; i++) {
			if (strcmp(mine->apps[i].document_id, s->personal.qr.document_id) == 0) {
				s->selected = (int)i;
				enter(s, SESSION_CHOOSING_DOCUMENT, s->timeouts.idle_timeout_ms);
				return;
			}
		}
	}
	show_status(s);
}

static enum session_error print_error(enum session_print_result r)
{
	switch (r) {
	case SESSION_PRINT_PAPER_OUT:
		return SESSION_ERROR_PRINTER_PAPER_OUT;
	case SESSION_PRINT_COVER_OPEN:
		return SESSION_ERROR_PRINTER_COVER_OPEN;
	case SESSION_PRINT_OFFLINE:
		return SESSION_ERROR_PRINTER_OFFLINE;
	default:
		return SESSION_ERROR_PRINT_FAILED;
	}
}

static bool printer_error(enum session_error e)
{
	return e == SESSION_ERROR_PRINTER_PAPER_OUT || e == SESSION_ERROR_PRINTER_COVER_OPEN ||
	       e == SESSION_ERROR_PRINTER_OFFLINE || e == SESSION_ERROR_PRINT_FAILED;
}

static void print_done(struct session *s, const struct station_event_print *p,
		       struct session_cmds *cmds)
{
	s->job = 0;
	if (p->result != SESSION_PRINT_OK) {
		fail(s, print_error(p->result));
		return;
	}
	if (s->state == SESSION_PRINTING_DOCUMENT && app_has_document(s, s->selected)) {
		struct session_app *a = &s->personal.result.apps[s->selected];
		emit(cmds, SESSION_CMD_CONFIRM_COLLECTED, 0, p->job, a->document_id, a->id);
		a->stage = SESSION_STAGE_COLLECTED;
		a->document_id[0] = '\0';
	}
	s->printing = s->state == SESSION_PRINTING_DOCUMENT ? SESSION_PRINT_DOCUMENT
							    : SESSION_PRINT_RECEIPT;
	enter(s, SESSION_DONE, s->timeouts.done_timeout_ms);
}

/* ---- per-state handlers --------------------------------------------------
 * Each returns true when it consumed the event (and changed something
 * visible); false leaves the event ignored. */

static bool on_timeout(struct session *s, struct session_cmds *cmds)
{
	switch (s->state) {
	case SESSION_WELCOME:
		/* Language or contrast chosen and nobody came on: back to the
		 * station's own for the next citizen. */
		session_wipe(s);
		s->deadline_ms = 0;
		return true;
	case SESSION_READING_CARD:
		card_failed(s);
		return true;
	case SESSION_SCANNING_QR:
		emit(cmds, SESSION_CMD_STOP_SCAN, 0, 0, NULL, NULL);
		end_session(s, cmds);
		return true;
	case SESSION_LOOKING_UP:
		fail(s, SESSION_ERROR_BACKEND_UNREACHABLE);
		return true;
	case SESSION_SHOWING_STATUS:
	case SESSION_CHOOSING_DOCUMENT:
		s->interrupted = s->state;
		enter(s, SESSION_IDLE_COUNTDOWN, s->timeouts.countdown_ms);
		return true;
	case SESSION_PRINTING_RECEIPT:
	case SESSION_PRINTING_DOCUMENT:
		emit(cmds, SESSION_CMD_CANCEL_PRINT, 0, s->job, NULL, NULL);
		s->job = 0;
		fail(s, SESSION_ERROR_PRINT_FAILED);
		return true;
	case SESSION_DONE:
	case SESSION_ERROR:
	case SESSION_IDLE_COUNTDOWN:
	case SESSION_MAINTENANCE_LOGIN:
	case SESSION_MAINTENANCE:
		end_session(s, cmds);
		return true;
	default:
		s->deadline_ms = 0;
		return false;
	}
}

/* The language or contrast picked on the welcome screen lasts while
 * someone is there: an idle timeout from the last pick puts the station's
 * own back (on_timeout); back to those by hand, no timer. */
static void welcome_preferences_timer(struct session *s)
{
	bool picked = s->personal.english != s->english_default || s->personal.high_contrast;

	s->deadline_ms = picked ? s->now_ms + s->timeouts.idle_timeout_ms : 0;
}

bool session_offers_preferences(enum session_state state)
{
	switch (state) {
	case SESSION_WELCOME:
	case SESSION_SCANNING_QR:
	case SESSION_SHOWING_STATUS:
	case SESSION_CHOOSING_DOCUMENT:
	case SESSION_ERROR:
		return true;
	default:
		return false;
	}
}

static bool on_touch(struct session *s, const struct station_event_touch *t,
		     struct session_cmds *cmds)
{
	enum session_button b = t->button;

	/* High contrast and large text: the citizen's choice for this
	 * session, wherever the button is shown; it keeps the place (and
	 * counts as activity where the idle timer runs). */
	if (b == SESSION_BUTTON_CONTRAST) {
		if (!session_offers_preferences(s->state))
			return false;
		{
			/* The page that shows the same first application. */
			unsigned first = s->page * session_apps_per_page(s);

			s->personal.high_contrast = !s->personal.high_contrast;
			s->page = first / session_apps_per_page(s);
			if (s->page >= page_count(s))
				s->page = page_count(s) - 1;
		}
		if (s->state == SESSION_SHOWING_STATUS || s->state == SESSION_CHOOSING_DOCUMENT)
			s->deadline_ms = s->now_ms + s->timeouts.idle_timeout_ms;
		else if (s->state == SESSION_WELCOME)
			welcome_preferences_timer(s);
		return true;
	}
	switch (s->state) {
	case SESSION_WELCOME:
		if (b == SESSION_BUTTON_SCAN_QR) {
			emit(cmds, SESSION_CMD_START_SCAN, 0, 0, NULL, NULL);
			enter(s, SESSION_SCANNING_QR, s->timeouts.scan_timeout_ms);
			return true;
		}
		if (b == SESSION_BUTTON_MAINTENANCE) {
			s->pin_feedback = _SESSION_PIN_RESULT_INVALID;
			explicit_bzero(s->personal.pin, sizeof(s->personal.pin));
			enter(s, SESSION_MAINTENANCE_LOGIN, s->timeouts.maintenance_idle_ms);
			return true;
		}
		if (b == SESSION_BUTTON_LANGUAGE) {
			s->personal.english = !s->personal.english;
			welcome_preferences_timer(s);
			return true;
		}
		return false;

	case SESSION_SCANNING_QR:
		if (b == SESSION_BUTTON_BACK || b == SESSION_BUTTON_FINISH) {
			emit(cmds, SESSION_CMD_STOP_SCAN, 0, 0, NULL, NULL);
			end_session(s, cmds);
			return true;
		}
		if (b == SESSION_BUTTON_LANGUAGE) {
			s->personal.english = !s->personal.english;
			return true;
		}
		return false;

	case SESSION_LOOKING_UP:
		if (b == SESSION_BUTTON_FINISH) {
			end_session(s, cmds);
			return true;
		}
		return false;

	case SESSION_SHOWING_STATUS:
		s->deadline_ms = s->now_ms + s->timeouts.idle_timeout_ms;
		switch (b) {
		case SESSION_BUTTON_PRINT_RECEIPT:
			if (!session_can_print(s, SESSION_PRINT_RECEIPT))
				return false;
			s->job = next_id(s);
			s->printing = SESSION_PRINT_RECEIPT;
			emit(cmds, SESSION_CMD_PRINT_RECEIPT, 0, s->job, NULL, NULL);
			enter(s, SESSION_PRINTING_RECEIPT, s->timeouts.print_timeout_ms);
			return true;
		case SESSION_BUTTON_DOCUMENT:
			if (!app_has_document(s, t->index))
				return false;
			s->selected = t->index;
			enter(s, SESSION_CHOOSING_DOCUMENT, s->timeouts.idle_timeout_ms);
			return true;
		case SESSION_BUTTON_NEXT_PAGE:
			if (s->page + 1 >= page_count(s))
				return false;
			s->page++;
			return true;
		case SESSION_BUTTON_PREV_PAGE:
			if (s->page == 0)
				return false;
			s->page--;
			return true;
		case SESSION_BUTTON_LANGUAGE:
			s->personal.english = !s->personal.english;
			return true;
		case SESSION_BUTTON_FINISH:
			end_session(s, cmds);
			return true;
		default:
			return false;
		}

	case SESSION_CHOOSING_DOCUMENT:
		s->deadline_ms = s->now_ms + s->timeouts.idle_timeout_ms;
		switch (b) {
		case SESSION_BUTTON_CONFIRM: {
			const struct session_app *a;
			if (!app_has_document(s, s->selected) ||
			    !session_can_print(s, SESSION_PRINT_DOCUMENT))
				return false;
			a = &s->personal.result.apps[s->selected];
			s->job = next_id(s);
			s->printing = SESSION_PRINT_DOCUMENT;
			emit(cmds, SESSION_CMD_PRINT_DOCUMENT, 0, s->job, a->document_id, a->id);
			enter(s, SESSION_PRINTING_DOCUMENT, s->timeouts.print_timeout_ms);
			return true;
		}
		case SESSION_BUTTON_BACK:
			show_status(s);
			return true;
		case SESSION_BUTTON_LANGUAGE:
			s->personal.english = !s->personal.english;
			return true;
		case SESSION_BUTTON_FINISH:
			end_session(s, cmds);
			return true;
		default:
			return false;
		}

	case SESSION_DONE:
		if (b == SESSION_BUTTON_BACK && s->personal.have_result) {
			show_status(s);
			return true;
		}
		if (b == SESSION_BUTTON_FINISH || b == SESSION_BUTTON_OK ||
		    b == SESSION_BUTTON_ANY) {
			end_session(s, cmds);
			return true;
		}
		return false;

	case SESSION_ERROR:
		if (b == SESSION_BUTTON_LANGUAGE) {
			s->personal.english = !s->personal.english;
			return true;
		}
		if (b != SESSION_BUTTON_OK && b != SESSION_BUTTON_FINISH)
			return false;
		if (b == SESSION_BUTTON_OK && s->personal.have_result && printer_error(s->error) &&
		    s->personal.result.n_apps > 0) {
			s->error = SESSION_ERROR_NONE;
			show_status(s);
			return true;
		}
		end_session(s, cmds);
		return true;

	case SESSION_IDLE_COUNTDOWN:
		if (s->interrupted == SESSION_CHOOSING_DOCUMENT)
			enter(s, SESSION_CHOOSING_DOCUMENT, s->timeouts.idle_timeout_ms);
		else
			enter(s, SESSION_SHOWING_STATUS, s->timeouts.idle_timeout_ms);
		return true;

	case SESSION_MAINTENANCE_LOGIN: {
		size_t n = strnlen(s->personal.pin, sizeof(s->personal.pin));
		s->deadline_ms = s->now_ms + s->timeouts.maintenance_idle_ms;
		switch (b) {
		case SESSION_BUTTON_PIN_DIGIT:
			if (t->index < 0 || t->index > 9 || n >= SESSION_PIN_MAX || s->pin_pending)
				return false;
			s->personal.pin[n] = (char)('0' + t->index);
			s->personal.pin[n + 1] = '\0';
			s->pin_feedback = _SESSION_PIN_RESULT_INVALID;
			return true;
		case SESSION_BUTTON_PIN_CLEAR:
			explicit_bzero(s->personal.pin, sizeof(s->personal.pin));
			return true;
		case SESSION_BUTTON_PIN_ENTER:
			if (n < 4 || s->pin_pending)
				return false;
			emit(cmds, SESSION_CMD_CHECK_PIN, 0, 0, s->personal.pin, NULL);
			explicit_bzero(s->personal.pin, sizeof(s->personal.pin));
			s->pin_pending = true;
			return true;
		case SESSION_BUTTON_BACK:
		case SESSION_BUTTON_FINISH:
			end_session(s, cmds);
			return true;
		default:
			return false;
		}
	}

	case SESSION_MAINTENANCE:
		s->deadline_ms = s->now_ms + s->timeouts.maintenance_idle_ms;
		if (b == SESSION_BUTTON_BACK || b == SESSION_BUTTON_FINISH) {
			end_session(s, cmds);
			return true;
		}
		if (b == SESSION_BUTTON_DIAG_REFRESH && !s->diag_pending) {
			run_diag(s, cmds);
			return true;
		}
		if (b == SESSION_BUTTON_DIAG_TEST)
			return test_start(s, t->index, cmds);
		if (b == SESSION_BUTTON_DIAG_FAULTS) {
			s->show_faults = !s->show_faults;
			return true;
		}
		return false;

	default:
		return false;
	}
}

static bool on_device(struct session *s, const struct station_event_device *d,
		      struct session_cmds *cmds)
{
	if (d->device < 0 || d->device >= _SESSION_DEVICE_MAX || d->state < 0 ||
	    d->state >= _SESSION_DEVICE_STATE_MAX)
		return false;
	if (s->devices[d->device] == d->state)
		return false;
	s->devices[d->device] = d->state;
	/* The card reader or camera under test went: that is the result. */
	if ((card_test_waiting(s) || camera_test_waiting(s)) && (int)d->device == s->test_device &&
	    d->state == SESSION_DEVICE_FAILED) {
		test_result(s, s->test_device, 2, "the %s failed during the test",
			    test_device_words(s->test_device));
		test_stop(s, cmds);
	}
	if (s->state == SESSION_WELCOME && identification_down(s))
		enter(s, SESSION_OUT_OF_SERVICE, 0);
	else if (s->state == SESSION_OUT_OF_SERVICE && !identification_down(s))
		enter(s, SESSION_WELCOME, 0);
	return true;
}

/* ---- the machine -------------------------------------------------------- */

void session_init(struct session *s, const struct session_timeouts *t, bool english_default,
		  uint64_t now_ms)
{
	memset(s, 0, sizeof(*s));
	s->timeouts = *t;
	s->english_default = english_default;
	s->personal.english = english_default;
	s->now_ms = now_ms;
	s->selected = -1;
	s->apps_per_page = 4;
	s->pin_feedback = _SESSION_PIN_RESULT_INVALID;
	s->interrupted = SESSION_SHOWING_STATUS;
	s->state = SESSION_WELCOME;
	s->test_device = -1;
	s->tested_device = -1;
}

bool session_handle(struct session *s, const struct station_event *ev, struct session_cmds *cmds)
{
	bool changed = false;

	switch (ev->type) {
	case STATION_EVENT_TICK:
		if (ev->now_ms > s->now_ms)
			s->now_ms = ev->now_ms;
		if (s->state == SESSION_MAINTENANCE && s->test_deadline_ms &&
		    s->now_ms >= s->test_deadline_ms) {
			test_timeout(s, cmds);
			changed = true;
		}
		if (s->deadline_ms && s->now_ms >= s->deadline_ms)
			changed = on_timeout(s, cmds);
		else
			/* Countdowns show seconds left: redraw each tick. */
			changed = changed || s->state == SESSION_IDLE_COUNTDOWN ||
				  s->state == SESSION_LOOKING_UP ||
				  s->state == SESSION_READING_CARD ||
				  s->state == SESSION_PRINTING_RECEIPT ||
				  s->state == SESSION_PRINTING_DOCUMENT;
		break;

	case STATION_EVENT_TOUCH:
		changed = on_touch(s, &ev->touch, cmds);
		break;

	case STATION_EVENT_CARD_INSERTED:
		if (s->state == SESSION_WELCOME) {
			enter(s, SESSION_READING_CARD, s->timeouts.card_timeout_ms);
			changed = true;
		}
		break;

	case STATION_EVENT_CARD_READ:
		if (card_test_waiting(s)) {
			test_card(s, ev, cmds);
			changed = true;
			break;
		}
		if ((s->state == SESSION_WELCOME || s->state == SESSION_READING_CARD) &&
		    ev->card.technician) {
			/* A technician's card: maintenance, not a lookup; nothing
			 * of the card is kept. */
			s->card_failures = 0;
			s->pin_feedback = _SESSION_PIN_RESULT_INVALID;
			enter(s, SESSION_MAINTENANCE, s->timeouts.maintenance_idle_ms);
			run_diag(s, cmds);
			changed = true;
			break;
		}
		if (s->state == SESSION_WELCOME || s->state == SESSION_READING_CARD) {
			s->card_failures = 0;
			start_card_lookup(s, &ev->card, cmds);
			changed = true;
		}
		break;

	case STATION_EVENT_CARD_FAILED:
		if (card_test_waiting(s)) {
			test_card(s, ev, cmds);
			changed = true;
			break;
		}
		if (s->state == SESSION_WELCOME || s->state == SESSION_READING_CARD) {
			if (ev->card_error == SESSION_ERROR_CARD_UNKNOWN)
				fail(s, SESSION_ERROR_CARD_UNKNOWN);
			else
				card_failed(s);
			changed = true;
		}
		break;

	case STATION_EVENT_CARD_REMOVED:
		if (s->state == SESSION_READING_CARD) {
			fail(s, SESSION_ERROR_CARD_UNREADABLE);
			changed = true;
		}
		break;

	case STATION_EVENT_QR_TOKEN:
		if (camera_test_waiting(s)) {
			test_qr(s, ev, cmds);
			changed = true;
			break;
		}
		if (s->state == SESSION_WELCOME || s->state == SESSION_SCANNING_QR) {
			if (s->state == SESSION_SCANNING_QR)
				emit(cmds, SESSION_CMD_STOP_SCAN, 0, 0, NULL, NULL);
			start_qr_lookup(s, &ev->qr, cmds);
			changed = true;
		}
		break;

	case STATION_EVENT_QR_REFUSED:
		if (camera_test_waiting(s)) {
			test_qr(s, ev, cmds);
			changed = true;
			break;
		}
		if (s->state == SESSION_WELCOME || s->state == SESSION_SCANNING_QR) {
			enum session_error e = ev->qr_refused;
			if (e != SESSION_ERROR_QR_EXPIRED && e != SESSION_ERROR_QR_NOT_MPP)
				e = SESSION_ERROR_QR_INVALID;
			if (s->state == SESSION_SCANNING_QR)
				emit(cmds, SESSION_CMD_STOP_SCAN, 0, 0, NULL, NULL);
			fail(s, e);
			changed = true;
		}
		break;

	case STATION_EVENT_LOOKUP_DONE:
		if (s->state == SESSION_LOOKING_UP && ev->request == s->request && s->request &&
		    ev->lookup) {
			lookup_done(s, ev->lookup);
			changed = true;
		}
		break;

	case STATION_EVENT_LOOKUP_FAILED:
		if (s->state == SESSION_LOOKING_UP && ev->request == s->request && s->request) {
			enum session_error e = ev->lookup_error;
			if (e != SESSION_ERROR_NOT_FOUND)
				e = SESSION_ERROR_BACKEND_UNREACHABLE;
			fail(s, e);
			changed = true;
		}
		break;

	case STATION_EVENT_PRINT_DONE:
		if ((s->state == SESSION_PRINTING_RECEIPT ||
		     s->state == SESSION_PRINTING_DOCUMENT) &&
		    ev->print.job == s->job && s->job) {
			print_done(s, &ev->print, cmds);
			changed = true;
		}
		break;

	case STATION_EVENT_PIN_RESULT:
		if (s->state == SESSION_MAINTENANCE_LOGIN && s->pin_pending) {
			s->pin_pending = false;
			if (ev->pin == SESSION_PIN_OK) {
				s->pin_feedback = _SESSION_PIN_RESULT_INVALID;
				enter(s, SESSION_MAINTENANCE, s->timeouts.maintenance_idle_ms);
				/* The technician sees the report as soon as it is in. */
				run_diag(s, cmds);
			} else {
				s->pin_feedback = ev->pin == SESSION_PIN_LOCKED ? SESSION_PIN_LOCKED
										: SESSION_PIN_WRONG;
			}
			changed = true;
		}
		break;

	case STATION_EVENT_DEVICE_STATE:
		changed = on_device(s, &ev->device, cmds);
		break;

	case STATION_EVENT_DIAG_DONE:
		if (s->state == SESSION_MAINTENANCE && s->diag_pending && ev->diag) {
			s->diag = *ev->diag;
			s->diag_pending = false;
			s->have_diag = true;
			changed = true;
		}
		break;

	case STATION_EVENT_TEST_DONE:
		changed = test_done(s, ev);
		break;

	default:
		break;
	}
	if (changed)
		s->version++;
	return changed;
}

uint64_t session_deadline(const struct session *s)
{
	uint64_t d = s->deadline_ms;

	if (s->test_deadline_ms && (!d || s->test_deadline_ms < d))
		d = s->test_deadline_ms;
	return d;
}

unsigned session_countdown_left_s(const struct session *s)
{
	uint64_t left;

	if (s->state != SESSION_IDLE_COUNTDOWN || s->deadline_ms <= s->now_ms)
		return 0;
	left = s->deadline_ms - s->now_ms;
	return (unsigned)((left + 999) / 1000);
}

bool session_can_print(const struct session *s, enum session_print_kind kind)
{
	enum session_device d = kind == SESSION_PRINT_DOCUMENT ? SESSION_DEVICE_DOCUMENT_PRINTER
							       : SESSION_DEVICE_RECEIPT_PRINTER;
	return s->devices[d] == SESSION_DEVICE_OK || s->devices[d] == SESSION_DEVICE_DEGRADED;
}

/* ---- names -------------------------------------------------------------- */

#define NAME_TABLE(prefix, type, max, ...)                            \
	static const char *const prefix##_table[max] = {__VA_ARGS__}; \
	const char *prefix##_to_string(type v)                        \
	{                                                             \
		if ((int)v < 0 || (int)v >= (int)(max))               \
			return NULL;                                  \
		return prefix##_table[v];                             \
	}

#define NAME_PARSER(prefix, type, max, invalid)                                     \
	type prefix##_from_string(const char *s)                                    \
	{                                                                           \
		if (!s)                                                             \
			return invalid;                                             \
		for (int i = 0; i < (int)(max); i++)                                \
			if (prefix##_table[i] && strcmp(prefix##_table[i], s) == 0) \
				return (type)i;                                     \
		return invalid;                                                     \
	}

NAME_TABLE(session_state, enum session_state, _SESSION_STATE_MAX, [SESSION_WELCOME] = "welcome",
	   [SESSION_READING_CARD] = "reading-card", [SESSION_SCANNING_QR] = "scanning-qr",
	   [SESSION_LOOKING_UP] = "looking-up", [SESSION_SHOWING_STATUS] = "showing-status",
	   [SESSION_CHOOSING_DOCUMENT] = "choosing-document",
	   [SESSION_PRINTING_RECEIPT] = "printing-receipt",
	   [SESSION_PRINTING_DOCUMENT] = "printing-document", [SESSION_DONE] = "done",
	   [SESSION_ERROR] = "error", [SESSION_IDLE_COUNTDOWN] = "idle-countdown",
	   [SESSION_MAINTENANCE_LOGIN] = "maintenance-login", [SESSION_MAINTENANCE] = "maintenance",
	   [SESSION_OUT_OF_SERVICE] = "out-of-service")

NAME_TABLE(session_error, enum session_error, _SESSION_ERROR_MAX, [SESSION_ERROR_NONE] = "none",
	   [SESSION_ERROR_CARD_UNREADABLE] = "card-unreadable",
	   [SESSION_ERROR_CARD_UNKNOWN] = "card-unknown",
	   [SESSION_ERROR_CARD_DAMAGED] = "card-damaged", [SESSION_ERROR_QR_INVALID] = "qr-invalid",
	   [SESSION_ERROR_QR_EXPIRED] = "qr-expired", [SESSION_ERROR_QR_NOT_MPP] = "qr-not-mpp",
	   [SESSION_ERROR_NOT_FOUND] = "not-found",
	   [SESSION_ERROR_BACKEND_UNREACHABLE] = "backend-unreachable",
	   [SESSION_ERROR_PRINTER_PAPER_OUT] = "printer-paper-out",
	   [SESSION_ERROR_PRINTER_COVER_OPEN] = "printer-cover-open",
	   [SESSION_ERROR_PRINTER_OFFLINE] = "printer-offline",
	   [SESSION_ERROR_PRINT_FAILED] = "print-failed")

NAME_TABLE(session_button, enum session_button, _SESSION_BUTTON_MAX, [SESSION_BUTTON_ANY] = "any",
	   [SESSION_BUTTON_SCAN_QR] = "scan-qr", [SESSION_BUTTON_PRINT_RECEIPT] = "print-receipt",
	   [SESSION_BUTTON_DOCUMENT] = "document", [SESSION_BUTTON_CONFIRM] = "confirm",
	   [SESSION_BUTTON_BACK] = "back", [SESSION_BUTTON_FINISH] = "finish",
	   [SESSION_BUTTON_NEXT_PAGE] = "next-page", [SESSION_BUTTON_PREV_PAGE] = "prev-page",
	   [SESSION_BUTTON_LANGUAGE] = "language", [SESSION_BUTTON_OK] = "ok",
	   [SESSION_BUTTON_CONTRAST] = "contrast", [SESSION_BUTTON_DIAG_REFRESH] = "diag-refresh",
	   [SESSION_BUTTON_DIAG_TEST] = "diag-test", [SESSION_BUTTON_DIAG_FAULTS] = "diag-faults",
	   [SESSION_BUTTON_MAINTENANCE] = "maintenance", [SESSION_BUTTON_PIN_DIGIT] = "pin-digit",
	   [SESSION_BUTTON_PIN_CLEAR] = "pin-clear", [SESSION_BUTTON_PIN_ENTER] = "pin-enter")
NAME_PARSER(session_button, enum session_button, _SESSION_BUTTON_MAX, _SESSION_BUTTON_INVALID)

NAME_TABLE(session_stage, enum session_stage, _SESSION_STAGE_MAX,
	   [SESSION_STAGE_RECEIVED] = "received", [SESSION_STAGE_VERIFYING] = "verifying",
	   [SESSION_STAGE_NEEDS_FIX] = "needs_fix", [SESSION_STAGE_PROCESSING] = "processing",
	   [SESSION_STAGE_AWAITING_PAYMENT] = "awaiting_payment", [SESSION_STAGE_READY] = "ready",
	   [SESSION_STAGE_COLLECTED] = "collected", [SESSION_STAGE_REJECTED] = "rejected")
NAME_PARSER(session_stage, enum session_stage, _SESSION_STAGE_MAX, _SESSION_STAGE_INVALID)

NAME_TABLE(session_print_result, enum session_print_result, _SESSION_PRINT_RESULT_MAX,
	   [SESSION_PRINT_OK] = "ok", [SESSION_PRINT_PAPER_OUT] = "paper-out",
	   [SESSION_PRINT_COVER_OPEN] = "cover-open", [SESSION_PRINT_OFFLINE] = "offline",
	   [SESSION_PRINT_FAILED] = "failed", [SESSION_PRINT_CANCELLED] = "cancelled")

NAME_TABLE(session_pin_result, enum session_pin_result, _SESSION_PIN_RESULT_MAX,
	   [SESSION_PIN_OK] = "ok", [SESSION_PIN_WRONG] = "wrong", [SESSION_PIN_LOCKED] = "locked")

NAME_TABLE(session_device, enum session_device,
	   _SESSION_DEVICE_MAX, [SESSION_DEVICE_CARD_READER] = "card-reader",
	   [SESSION_DEVICE_CAMERA] = "camera", [SESSION_DEVICE_RECEIPT_PRINTER] = "receipt-printer",
	   [SESSION_DEVICE_DOCUMENT_PRINTER] = "document-printer",
	   [SESSION_DEVICE_BACKEND] = "backend")
NAME_PARSER(session_device, enum session_device, _SESSION_DEVICE_MAX, _SESSION_DEVICE_INVALID)

NAME_TABLE(session_device_state, enum session_device_state, _SESSION_DEVICE_STATE_MAX,
	   [SESSION_DEVICE_OK] = "ok", [SESSION_DEVICE_DEGRADED] = "degraded",
	   [SESSION_DEVICE_FAILED] = "failed", [SESSION_DEVICE_RECOVERING] = "recovering")

NAME_TABLE(session_cmd_type, enum session_cmd_type,
	   _SESSION_CMD_TYPE_MAX, [SESSION_CMD_LOOKUP_CARD] = "lookup-card",
	   [SESSION_CMD_LOOKUP_QR] = "lookup-qr", [SESSION_CMD_START_SCAN] = "start-scan",
	   [SESSION_CMD_STOP_SCAN] = "stop-scan", [SESSION_CMD_PRINT_RECEIPT] = "print-receipt",
	   [SESSION_CMD_PRINT_DOCUMENT] = "print-document",
	   [SESSION_CMD_CANCEL_PRINT] = "cancel-print",
	   [SESSION_CMD_CONFIRM_COLLECTED] = "confirm-collected",
	   [SESSION_CMD_CHECK_PIN] = "check-pin", [SESSION_CMD_END] = "end",
	   [SESSION_CMD_RUN_DIAG] = "run-diag", [SESSION_CMD_RUN_TEST] = "run-test")
