/* SPDX-License-Identifier: MIT */
/*
 * Tests of the session state machine (station/session.c), written from its
 * specification: the header comment of session.h (timeouts, idle, wipe,
 * stale replies) and the transition list the architecture lead fixed.
 *
 * Most of it is one table: each row names a setup path (the events that
 * take a fresh session to the state under test), one event, and what must
 * follow: the state, the error, the commands emitted in order, and the
 * deadline. The harness also checks, after every event of every row, the
 * invariants that hold everywhere (a session end wipes all personal data
 * and emits END once; ids of awaited replies; deadlines). Then whole
 * flows, and a randomised run of 100000 events against the invariants.
 *
 * Time is a fake clock: STATION_EVENT_TICK events with now_ms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "session.h"

/* ---- fixtures ------------------------------------------------------------ */

/* Distinct timeouts so a deadline says which one was armed. */
static const struct session_timeouts timeouts = {
	.card_timeout_ms = 5000,
	.scan_timeout_ms = 30000,
	.lookup_timeout_ms = 8000,
	.idle_timeout_ms = 60000,
	.countdown_ms = 10000,
	.print_timeout_ms = 45000,
	.done_timeout_ms = 15000,
	.error_timeout_ms = 20000,
	.maintenance_idle_ms = 120000,
};

#define T0	 1000000u /* the clock at session_init */
#define STEP_MS	 1000u	  /* time that passes before the event under test */
#define PER_PAGE 2u	  /* apps_per_page the "UI" sets */

static const uint8_t card_uid[7] = {0x04, 0x5a, 0x21, 0x3c, 0x8e, 0x61, 0x80};
#define CARD_UID_HEX "045A213C8E6180"
#define CARD_NIK     "3273051203850001"
#define QR_TEXT	     "MPP1.cGF5bG9hZA.c2lnbmF0dXJl"

/* Which lookup result a LOOKUP_DONE carries. */
enum lookup_fixture {
	L_STD,	 /* 5 apps; 0 and 3 hold a document */
	L_EMPTY, /* no application */
	L_NODOC, /* 1 app, nothing to collect */
	L_FULL,	 /* SESSION_MAX_APPS apps, all with documents */
};

/* Which token a QR_TOKEN carries. */
enum qr_fixture {
	Q_DOC3,	  /* application APP-3, document DOC-3 (in L_STD) */
	Q_DOC0,	  /* APP-0, DOC-0 */
	Q_STATUS, /* APP-1, no document: a status check */
	Q_GONE,	  /* APP-9, DOC-9: not in the result */
};

static void fill_app(struct session_app *a, const char *id, enum session_stage stage,
		     const char *doc)
{
	snprintf(a->id, sizeof(a->id), "%s", id);
	snprintf(a->agency, sizeof(a->agency), "Disdukcapil");
	snprintf(a->service, sizeof(a->service), "Kartu Keluarga");
	a->stage = stage;
	snprintf(a->updated_at, sizeof(a->updated_at), "2026-03-02");
	snprintf(a->next_step, sizeof(a->next_step), "Bawa KTP-el.");
	snprintf(a->document_id, sizeof(a->document_id), "%s", doc);
}

static struct session_lookup_result *make_lookup(enum lookup_fixture f)
{
	struct session_lookup_result *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	snprintf(r->holder_name, sizeof(r->holder_name), "Budi Santoso");
	snprintf(r->nik, sizeof(r->nik), CARD_NIK);
	switch (f) {
	case L_STD:
		r->n_apps = 5;
		fill_app(&r->apps[0], "APP-0", SESSION_STAGE_READY, "DOC-0");
		fill_app(&r->apps[1], "APP-1", SESSION_STAGE_PROCESSING, "");
		fill_app(&r->apps[2], "APP-2", SESSION_STAGE_NEEDS_FIX, "");
		fill_app(&r->apps[3], "APP-3", SESSION_STAGE_READY, "DOC-3");
		fill_app(&r->apps[4], "APP-4", SESSION_STAGE_REJECTED, "");
		break;
	case L_EMPTY:
		break;
	case L_NODOC:
		r->n_apps = 1;
		fill_app(&r->apps[0], "APP-1", SESSION_STAGE_PROCESSING, "");
		break;
	case L_FULL:
		r->n_apps = SESSION_MAX_APPS;
		for (int i = 0; i < SESSION_MAX_APPS; i++) {
			char id[16], doc[16];
			snprintf(id, sizeof(id), "APP-%d", i);
			snprintf(doc, sizeof(doc), "DOC-%d", i);
			fill_app(&r->apps[i], id, SESSION_STAGE_READY, doc);
		}
		break;
	}
	return r;
}

static void fill_qr(struct station_event_qr *q, enum qr_fixture f)
{
	static const char *const app[] = {"APP-3", "APP-0", "APP-1", "APP-9"};
	static const char *const doc[] = {"DOC-3", "DOC-0", "", "DOC-9"};
	memset(q, 0, sizeof(*q));
	snprintf(q->token, sizeof(q->token), QR_TEXT);
	snprintf(q->application_id, sizeof(q->application_id), "%s", app[f]);
	snprintf(q->document_id, sizeof(q->document_id), "%s", doc[f]);
}

static void fill_card(struct station_event_card *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->uid, card_uid, sizeof(card_uid));
	c->uid_len = sizeof(card_uid);
	snprintf(c->nik, sizeof(c->nik), CARD_NIK);
	snprintf(c->name, sizeof(c->name), "Budi Santoso");
}

/* ---- event specs --------------------------------------------------------- */

enum ev_kind {
	E_END_OF_PATH,
	E_TICK_DEADLINE, /* a tick exactly at the deadline (1 h on if none) */
	E_TICK_EARLY,	 /* a tick 1 ms before the deadline */
	E_TICK_STEP,	 /* STEP_MS pass */
	E_TOUCH,	 /* .a = button, .b = index */
	E_CARD_INSERTED,
	E_CARD_READ,
	E_CARD_FAILED, /* .a = error */
	E_CARD_REMOVED,
	E_QR_TOKEN,	 /* .a = qr fixture */
	E_QR_REFUSED,	 /* .a = error */
	E_LOOKUP_DONE,	 /* .a = lookup fixture, .b = id choice */
	E_LOOKUP_FAILED, /* .a = error, .b = id choice */
	E_PRINT_DONE,	 /* .a = print result, .b = id choice */
	E_PIN_RESULT,	 /* .a = verdict */
	E_DEVICE,	 /* .a = device, .b = state */
	E_TEST_DONE,	 /* .a = verdict, .b = id choice */
	E_QUIT,
};

/* Which id a reply carries. */
enum id_choice {
	ID_LAST,  /* the id of the last LOOKUP_* / PRINT_* command seen */
	ID_PREV,  /* the one before it */
	ID_STALE, /* an id never handed out */
};

struct ev_spec {
	enum ev_kind kind;
	int a, b;
};

#define END_PATH                      \
	{                             \
		.kind = E_END_OF_PATH \
	}
#define TIMEOUT                         \
	{                               \
		.kind = E_TICK_DEADLINE \
	}
#define EARLY                        \
	{                            \
		.kind = E_TICK_EARLY \
	}
#define STEP                        \
	{                           \
		.kind = E_TICK_STEP \
	}
#define TOUCH(btn)                                                  \
	{                                                           \
		.kind = E_TOUCH, .a = SESSION_BUTTON_##btn, .b = -1 \
	}
#define TOUCHI(btn, i)                                               \
	{                                                            \
		.kind = E_TOUCH, .a = SESSION_BUTTON_##btn, .b = (i) \
	}
#define CARD_IN                         \
	{                               \
		.kind = E_CARD_INSERTED \
	}
#define CARD_READ                   \
	{                           \
		.kind = E_CARD_READ \
	}
#define CARD_FAILED(e)                                        \
	{                                                     \
		.kind = E_CARD_FAILED, .a = SESSION_ERROR_##e \
	}
#define CARD_OUT                       \
	{                              \
		.kind = E_CARD_REMOVED \
	}
#define QR(f)                                \
	{                                    \
		.kind = E_QR_TOKEN, .a = (f) \
	}
#define QR_REFUSED(e)                                        \
	{                                                    \
		.kind = E_QR_REFUSED, .a = SESSION_ERROR_##e \
	}
#define LOOKUP(f)                                             \
	{                                                     \
		.kind = E_LOOKUP_DONE, .a = (f), .b = ID_LAST \
	}
#define LOOKUP_ID(f, id)                                   \
	{                                                  \
		.kind = E_LOOKUP_DONE, .a = (f), .b = (id) \
	}
#define LOOKUP_FAIL(e)                                                        \
	{                                                                     \
		.kind = E_LOOKUP_FAILED, .a = SESSION_ERROR_##e, .b = ID_LAST \
	}
#define LOOKUP_FAIL_ID(e, id)                                              \
	{                                                                  \
		.kind = E_LOOKUP_FAILED, .a = SESSION_ERROR_##e, .b = (id) \
	}
#define PRINTED(r)                                                         \
	{                                                                  \
		.kind = E_PRINT_DONE, .a = SESSION_PRINT_##r, .b = ID_LAST \
	}
#define PRINTED_ID(r, id)                                               \
	{                                                               \
		.kind = E_PRINT_DONE, .a = SESSION_PRINT_##r, .b = (id) \
	}
#define PIN(r)                                             \
	{                                                  \
		.kind = E_PIN_RESULT, .a = SESSION_PIN_##r \
	}
#define DEV(d, st)                                                                  \
	{                                                                           \
		.kind = E_DEVICE, .a = SESSION_DEVICE_##d, .b = SESSION_DEVICE_##st \
	}

/* ---- the harness --------------------------------------------------------- */

struct harness {
	struct session s;
	unsigned requests[2];		      /* last two LOOKUP_* ids: [0] last, [1] previous */
	unsigned jobs[2];		      /* last two PRINT_* jobs */
	unsigned tests[2];		      /* last two RUN_TEST ids */
	bool scanning;			      /* START_SCAN sent, STOP_SCAN not yet */
	unsigned tested[_SESSION_DEVICE_MAX]; /* test results kept, by device */
	enum session_print_kind job_kind;
	unsigned ends, confirms;
	struct session_cmds cmds; /* of the last event */
	bool changed;
	char where[160]; /* for messages: row and step */
};

/* Names of the command types, the test's own, so a failure reads well and
 * does not depend on the code under test. */
static const char *cmd_name(enum session_cmd_type t)
{
	static const char *const names[_SESSION_CMD_TYPE_MAX] = {
		[SESSION_CMD_LOOKUP_CARD] = "lookup-card",
		[SESSION_CMD_LOOKUP_QR] = "lookup-qr",
		[SESSION_CMD_START_SCAN] = "start-scan",
		[SESSION_CMD_STOP_SCAN] = "stop-scan",
		[SESSION_CMD_PRINT_RECEIPT] = "print-receipt",
		[SESSION_CMD_PRINT_DOCUMENT] = "print-document",
		[SESSION_CMD_CANCEL_PRINT] = "cancel-print",
		[SESSION_CMD_CONFIRM_COLLECTED] = "confirm-collected",
		[SESSION_CMD_CHECK_PIN] = "check-pin",
		[SESSION_CMD_END] = "end",
		[SESSION_CMD_RUN_DIAG] = "run-diag",
		[SESSION_CMD_RUN_TEST] = "run-test",
	};
	if (t < 0 || t >= _SESSION_CMD_TYPE_MAX)
		return "?";
	return names[t];
}

static const char *state_name(enum session_state st)
{
	static const char *const names[_SESSION_STATE_MAX] = {
		"WELCOME",
		"READING_CARD",
		"SCANNING_QR",
		"LOOKING_UP",
		"SHOWING_STATUS",
		"CHOOSING_DOCUMENT",
		"PRINTING_RECEIPT",
		"PRINTING_DOCUMENT",
		"DONE",
		"ERROR",
		"IDLE_COUNTDOWN",
		"MAINTENANCE_LOGIN",
		"MAINTENANCE",
		"OUT_OF_SERVICE",
	};
	if (st < 0 || st >= _SESSION_STATE_MAX)
		return "(invalid)";
	return names[st];
}

static void cmds_string(const struct session_cmds *c, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < c->n && i < SESSION_CMDS_MAX && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "",
				      cmd_name(c->cmd[i].type));
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* The personal part as a session end must leave it: nothing but the
 * default language. */
static bool personal_wiped(const struct session *s)
{
	struct session_personal want;
	memset(&want, 0, sizeof(want));
	want.english = s->english_default;
	return memcmp(&want, &s->personal, sizeof(want)) == 0;
}

/* Between sessions the citizen about to start may pick the language and
 * the contrast on the welcome screen; nothing else personal is there. */
static bool personal_empty(const struct session *s)
{
	struct session_personal want;
	memset(&want, 0, sizeof(want));
	want.english = s->personal.english;
	want.high_contrast = s->personal.high_contrast;
	return memcmp(&want, &s->personal, sizeof(want)) == 0;
}

/* Preferences picked on the welcome screen, kept for a while. */
static bool preferences_picked(const struct session *s)
{
	return s->personal.english != s->english_default || s->personal.high_contrast;
}

static uint64_t timeout_of(enum session_state st)
{
	switch (st) {
	case SESSION_READING_CARD:
		return timeouts.card_timeout_ms;
	case SESSION_SCANNING_QR:
		return timeouts.scan_timeout_ms;
	case SESSION_LOOKING_UP:
		return timeouts.lookup_timeout_ms;
	case SESSION_SHOWING_STATUS:
	case SESSION_CHOOSING_DOCUMENT:
		return timeouts.idle_timeout_ms;
	case SESSION_IDLE_COUNTDOWN:
		return timeouts.countdown_ms;
	case SESSION_PRINTING_RECEIPT:
	case SESSION_PRINTING_DOCUMENT:
		return timeouts.print_timeout_ms;
	case SESSION_DONE:
		return timeouts.done_timeout_ms;
	case SESSION_ERROR:
		return timeouts.error_timeout_ms;
	case SESSION_MAINTENANCE_LOGIN:
	case SESSION_MAINTENANCE:
		return timeouts.maintenance_idle_ms;
	default:
		return 0;
	}
}

static void harness_init(struct harness *h, bool english_default)
{
	memset(h, 0, sizeof(*h));
	session_init(&h->s, &timeouts, english_default, T0);
	h->s.apps_per_page = PER_PAGE;
}

/* Invariants that hold after every event, whatever it was. */
static void check_invariants(struct harness *h, const struct session *before,
			     const struct station_event *ev)
{
	const struct session *s = &h->s;
	const struct session_cmds *c = &h->cmds;
	unsigned ends = 0;

	if (s->state < 0 || s->state >= _SESSION_STATE_MAX)
		fail_msg("%s: invalid state %d", h->where, s->state);
	if (c->n > SESSION_CMDS_MAX)
		fail_msg("%s: %zu commands", h->where, c->n);

	for (size_t i = 0; i < c->n; i++) {
		const struct session_cmd *cmd = &c->cmd[i];
		if (memchr(cmd->text, '\0', sizeof(cmd->text)) == NULL ||
		    memchr(cmd->text2, '\0', sizeof(cmd->text2)) == NULL)
			fail_msg("%s: command text not terminated", h->where);
		switch (cmd->type) {
		case SESSION_CMD_END:
			ends++;
			break;
		case SESSION_CMD_LOOKUP_CARD:
		case SESSION_CMD_LOOKUP_QR:
			if (cmd->request == 0 || cmd->request == before->request ||
			    cmd->request == h->requests[0])
				fail_msg("%s: lookup request id %u not fresh", h->where,
					 cmd->request);
			if (s->state != SESSION_LOOKING_UP || s->request != cmd->request)
				fail_msg("%s: lookup %u sent but awaiting %u in %s", h->where,
					 cmd->request, s->request, state_name(s->state));
			h->requests[1] = h->requests[0];
			h->requests[0] = cmd->request;
			break;
		case SESSION_CMD_PRINT_RECEIPT:
		case SESSION_CMD_PRINT_DOCUMENT:
			if (cmd->job == 0 || cmd->job == h->jobs[0])
				fail_msg("%s: print job id %u not fresh", h->where, cmd->job);
			if (s->job != cmd->job)
				fail_msg("%s: job %u sent but awaiting %u", h->where, cmd->job,
					 s->job);
			h->jobs[1] = h->jobs[0];
			h->jobs[0] = cmd->job;
			h->job_kind = cmd->type == SESSION_CMD_PRINT_RECEIPT
					      ? SESSION_PRINT_RECEIPT
					      : SESSION_PRINT_DOCUMENT;
			break;
		case SESSION_CMD_CONFIRM_COLLECTED:
			/* Only for a document the printer said it completed. */
			if (ev->type != STATION_EVENT_PRINT_DONE ||
			    ev->print.result != SESSION_PRINT_OK ||
			    before->state != SESSION_PRINTING_DOCUMENT ||
			    ev->print.job != before->job || cmd->job != before->job)
				fail_msg("%s: CONFIRM_COLLECTED without a completed document print",
					 h->where);
			h->confirms++;
			break;
		case SESSION_CMD_CANCEL_PRINT:
			if (cmd->job == 0 || cmd->job != before->job)
				fail_msg("%s: cancel of job %u, awaited %u", h->where, cmd->job,
					 before->job);
			break;
		case SESSION_CMD_RUN_TEST:
			if (cmd->request == 0 || cmd->request == h->tests[0] ||
			    cmd->request != s->test_id || (int)cmd->job != s->test_device ||
			    s->state != SESSION_MAINTENANCE)
				fail_msg("%s: run-test %u of device %u, awaiting %u of %d in %s",
					 h->where, cmd->request, cmd->job, s->test_id,
					 s->test_device, state_name(s->state));
			if (cmd->job != SESSION_DEVICE_RECEIPT_PRINTER &&
			    cmd->job != SESSION_DEVICE_DOCUMENT_PRINTER &&
			    cmd->job != SESSION_DEVICE_BACKEND)
				fail_msg("%s: run-test for device %u", h->where, cmd->job);
			h->tests[1] = h->tests[0];
			h->tests[0] = cmd->request;
			break;
		case SESSION_CMD_START_SCAN:
			if (h->scanning)
				fail_msg("%s: start-scan twice", h->where);
			h->scanning = true;
			break;
		case SESSION_CMD_STOP_SCAN:
			if (!h->scanning)
				fail_msg("%s: stop-scan without start-scan", h->where);
			h->scanning = false;
			break;
		default:
			break;
		}
	}
	/* The camera runs at full rate only for the QR screen or its test. */
	if (h->scanning !=
	    (s->state == SESSION_SCANNING_QR ||
	     (s->state == SESSION_MAINTENANCE && s->test_device == SESSION_DEVICE_CAMERA)))
		fail_msg("%s: camera %s in %s (test of %d)", h->where,
			 h->scanning ? "scanning" : "idle", state_name(s->state), s->test_device);
	/* Active tests: only on the maintenance screen, each with its timer;
	 * their results go with it. */
	if (s->test_device >= 0 &&
	    (s->state != SESSION_MAINTENANCE || s->test_deadline_ms <= s->now_ms ||
	     s->test_device >= _SESSION_DEVICE_MAX))
		fail_msg("%s: test of %d in %s, due %llu", h->where, s->test_device,
			 state_name(s->state), (unsigned long long)s->test_deadline_ms);
	if (s->test_device < 0 && (s->test_id || s->test_deadline_ms))
		fail_msg("%s: test id %u / timer without a test", h->where, s->test_id);
	if (s->state != SESSION_MAINTENANCE && s->show_faults)
		fail_msg("%s: the fault list shown in %s", h->where, state_name(s->state));
	if (s->state != SESSION_MAINTENANCE && (s->test_device != -1 || s->tested_device != -1))
		fail_msg("%s: test state (%d, %d) left in %s", h->where, s->test_device,
			 s->tested_device, state_name(s->state));
	if (memchr(s->test.summary, '\0', sizeof(s->test.summary)) == NULL)
		fail_msg("%s: test summary not terminated", h->where);
	if (s->tested_device >= 0 && s->test.name[0] == '\0')
		fail_msg("%s: a test result without a name", h->where);
	if (before->test_device >= 0 && s->test_device < 0 && s->tested_device >= 0)
		h->tested[s->tested_device]++;
	/* And a completed document print is always confirmed, once. */
	if (ev->type == STATION_EVENT_PRINT_DONE && ev->print.result == SESSION_PRINT_OK &&
	    before->state == SESSION_PRINTING_DOCUMENT && before->job != 0 &&
	    ev->print.job == before->job) {
		unsigned confirms = 0;
		for (size_t i = 0; i < c->n; i++)
			confirms += c->cmd[i].type == SESSION_CMD_CONFIRM_COLLECTED;
		if (confirms != 1)
			fail_msg("%s: document printed, %u confirmations", h->where, confirms);
	}
	h->ends += ends;
	if (ends > 1)
		fail_msg("%s: END emitted %u times", h->where, ends);
	if (ends == 1) {
		if (c->cmd[c->n - 1].type != SESSION_CMD_END)
			fail_msg("%s: END is not the last command", h->where);
		if (s->state != SESSION_WELCOME && s->state != SESSION_OUT_OF_SERVICE)
			fail_msg("%s: session ended in %s", h->where, state_name(s->state));
		if (!personal_wiped(s))
			fail_msg("%s: personal data (or the language) left after END", h->where);
	}

	/* No session: nothing personal, nothing awaited, no timer. */
	if (s->state == SESSION_WELCOME || s->state == SESSION_OUT_OF_SERVICE) {
		if (!personal_empty(s))
			fail_msg("%s: personal data left in %s", h->where, state_name(s->state));
		if (s->request != 0 || s->job != 0)
			fail_msg("%s: still awaiting request %u / job %u in %s", h->where,
				 s->request, s->job, state_name(s->state));
		/* ...but for the timer that forgets the language and contrast
		 * picked on the welcome screen when nobody comes on. */
		if (session_deadline(s) != 0 &&
		    !(s->state == SESSION_WELCOME && preferences_picked(s) &&
		      session_deadline(s) > s->now_ms &&
		      session_deadline(s) <= s->now_ms + timeouts.idle_timeout_ms))
			fail_msg("%s: deadline %llu in %s", h->where,
				 (unsigned long long)session_deadline(s), state_name(s->state));
	} else if (session_deadline(s) <= s->now_ms) {
		fail_msg("%s: deadline %llu not after now %llu in %s", h->where,
			 (unsigned long long)session_deadline(s), (unsigned long long)s->now_ms,
			 state_name(s->state));
	}
	if (session_deadline(s) !=
	    (s->test_deadline_ms && (!s->deadline_ms || s->test_deadline_ms < s->deadline_ms)
		     ? s->test_deadline_ms
		     : s->deadline_ms))
		fail_msg("%s: session_deadline() is not the earlier of the two timers", h->where);
	if ((s->state == SESSION_LOOKING_UP) != (s->request != 0))
		fail_msg("%s: request %u in %s", h->where, s->request, state_name(s->state));
	if ((s->state == SESSION_PRINTING_RECEIPT || s->state == SESSION_PRINTING_DOCUMENT) !=
	    (s->job != 0))
		fail_msg("%s: job %u in %s", h->where, s->job, state_name(s->state));
	if (s->state == SESSION_IDLE_COUNTDOWN && s->interrupted != SESSION_SHOWING_STATUS &&
	    s->interrupted != SESSION_CHOOSING_DOCUMENT)
		fail_msg("%s: countdown interrupted %s", h->where, state_name(s->interrupted));
	if (s->state == SESSION_CHOOSING_DOCUMENT ||
	    (s->state == SESSION_IDLE_COUNTDOWN && s->interrupted == SESSION_CHOOSING_DOCUMENT)) {
		if (s->selected < 0 || (size_t)s->selected >= s->personal.result.n_apps ||
		    s->personal.result.apps[s->selected].document_id[0] == '\0')
			fail_msg("%s: choosing app %d which has no document", h->where,
				 s->selected);
	}
	if (s->state == SESSION_SHOWING_STATUS || s->state == SESSION_CHOOSING_DOCUMENT ||
	    s->state == SESSION_PRINTING_RECEIPT || s->state == SESSION_PRINTING_DOCUMENT) {
		if (!s->personal.have_result || s->personal.result.n_apps == 0)
			fail_msg("%s: %s without a result", h->where, state_name(s->state));
	}
	if (s->state == SESSION_SHOWING_STATUS) {
		size_t pages =
			(s->personal.result.n_apps + s->apps_per_page - 1) / s->apps_per_page;
		if (s->page >= pages)
			fail_msg("%s: page %u of %zu", h->where, s->page, pages);
	}
	size_t pin = strnlen(s->personal.pin, sizeof(s->personal.pin));
	if (pin > SESSION_PIN_MAX || strspn(s->personal.pin, "0123456789") != pin)
		fail_msg("%s: PIN buffer holds something else than digits", h->where);
	if (s->state != SESSION_MAINTENANCE_LOGIN && pin != 0)
		fail_msg("%s: PIN digits kept in %s", h->where, state_name(s->state));

	/* Replies for someone else change nothing at all. */
	bool stale = (ev->type == STATION_EVENT_LOOKUP_DONE ||
		      ev->type == STATION_EVENT_LOOKUP_FAILED) &&
		     (before->request == 0 || ev->request != before->request);
	stale |= ev->type == STATION_EVENT_PRINT_DONE &&
		 (before->job == 0 || ev->print.job != before->job);
	if (stale) {
		if (c->n != 0 || h->changed || memcmp(before, s, sizeof(*s)) != 0)
			fail_msg("%s: a stale reply changed the session", h->where);
	}
	if (h->changed && s->version == before->version)
		fail_msg("%s: changed but version not bumped", h->where);
	if (!h->changed && s->version != before->version)
		fail_msg("%s: version bumped but not reported as changed", h->where);
	if (s->state != before->state && !h->changed)
		fail_msg("%s: state changed %s -> %s but not reported", h->where,
			 state_name(before->state), state_name(s->state));
}

/* Builds the event of a spec against the harness's current ids. The
 * caller clears it. */
static void build_event(struct harness *h, const struct ev_spec *sp, struct station_event *ev)
{
	const struct session *s = &h->s;
	memset(ev, 0, sizeof(*ev));
	switch (sp->kind) {
	case E_TICK_DEADLINE:
		ev->type = STATION_EVENT_TICK;
		ev->now_ms = session_deadline(s) ? session_deadline(s) : s->now_ms + 3600000;
		break;
	case E_TICK_EARLY:
		ev->type = STATION_EVENT_TICK;
		ev->now_ms = session_deadline(s) ? session_deadline(s) - 1 : s->now_ms + 1;
		break;
	case E_TICK_STEP:
		ev->type = STATION_EVENT_TICK;
		ev->now_ms = s->now_ms + STEP_MS;
		break;
	case E_TOUCH:
		ev->type = STATION_EVENT_TOUCH;
		ev->touch.button = (enum session_button)sp->a;
		ev->touch.index = sp->b;
		break;
	case E_CARD_INSERTED:
		ev->type = STATION_EVENT_CARD_INSERTED;
		break;
	case E_CARD_READ:
		ev->type = STATION_EVENT_CARD_READ;
		fill_card(&ev->card);
		break;
	case E_CARD_FAILED:
		ev->type = STATION_EVENT_CARD_FAILED;
		ev->card_error = (enum session_error)sp->a;
		break;
	case E_CARD_REMOVED:
		ev->type = STATION_EVENT_CARD_REMOVED;
		break;
	case E_QR_TOKEN:
		ev->type = STATION_EVENT_QR_TOKEN;
		fill_qr(&ev->qr, (enum qr_fixture)sp->a);
		break;
	case E_QR_REFUSED:
		ev->type = STATION_EVENT_QR_REFUSED;
		ev->qr_refused = (enum session_error)sp->a;
		break;
	case E_LOOKUP_DONE:
	case E_LOOKUP_FAILED:
		ev->type = sp->kind == E_LOOKUP_DONE ? STATION_EVENT_LOOKUP_DONE
						     : STATION_EVENT_LOOKUP_FAILED;
		ev->request = sp->b == ID_LAST	 ? h->requests[0]
			      : sp->b == ID_PREV ? h->requests[1]
						 : h->requests[0] + 1000;
		if (sp->kind == E_LOOKUP_DONE)
			ev->lookup = make_lookup((enum lookup_fixture)sp->a);
		else
			ev->lookup_error = (enum session_error)sp->a;
		break;
	case E_PRINT_DONE:
		ev->type = STATION_EVENT_PRINT_DONE;
		ev->print.job = sp->b == ID_LAST   ? h->jobs[0]
				: sp->b == ID_PREV ? h->jobs[1]
						   : h->jobs[0] + 1000;
		ev->print.kind = h->job_kind;
		ev->print.result = (enum session_print_result)sp->a;
		break;
	case E_PIN_RESULT:
		ev->type = STATION_EVENT_PIN_RESULT;
		ev->pin = (enum session_pin_result)sp->a;
		break;
	case E_DEVICE:
		ev->type = STATION_EVENT_DEVICE_STATE;
		ev->device.device = (enum session_device)sp->a;
		ev->device.state = (enum session_device_state)sp->b;
		break;
	case E_TEST_DONE:
		ev->type = STATION_EVENT_TEST_DONE;
		ev->request = sp->b == ID_LAST	 ? h->tests[0]
			      : sp->b == ID_PREV ? h->tests[1]
						 : h->tests[0] + 1000;
		ev->diag = calloc(1, sizeof(*ev->diag));
		assert_non_null(ev->diag);
		ev->diag->n = 1;
		ev->diag->verdict = ev->diag->sections[0].verdict = sp->a;
		snprintf(ev->diag->sections[0].name, sizeof(ev->diag->sections[0].name), "receipt");
		/* Unterminated: the session must cut it. */
		memset(ev->diag->sections[0].summary, 'x', sizeof(ev->diag->sections[0].summary));
		break;
	case E_QUIT:
		ev->type = STATION_EVENT_QUIT;
		break;
	case E_END_OF_PATH:
		break;
	}
}

/* Feeds one event, checks the invariants, keeps the commands in h->cmds. */
static void feed_event(struct harness *h, struct station_event *ev)
{
	struct session before;
	memcpy(&before, &h->s, sizeof(before));
	memset(&h->cmds, 0, sizeof(h->cmds));
	h->changed = session_handle(&h->s, ev, &h->cmds);
	check_invariants(h, &before, ev);
	/* Whatever the session kept, the event is the caller's to clear. */
	station_event_clear(ev);
}

static void feed(struct harness *h, const struct ev_spec *sp)
{
	struct station_event ev;
	build_event(h, sp, &ev);
	feed_event(h, &ev);
}

static void feed_path(struct harness *h, const struct ev_spec *path)
{
	for (size_t i = 0; path && path[i].kind != E_END_OF_PATH; i++) {
		size_t n = strlen(h->where);
		snprintf(h->where + n, sizeof(h->where) - n, " [setup %zu]", i);
		feed(h, &path[i]);
		h->where[n] = '\0';
	}
}

/* ---- the table ----------------------------------------------------------- */

enum deadline_want {
	DL_FRESH, /* default: now + the timeout of the resulting state, or none */
	DL_KEEP,  /* unchanged by the event */
	DL_ANY,
};

struct row {
	const char *name;
	const struct ev_spec *path;
	enum session_state from;
	struct ev_spec ev;
	enum session_state to;
	enum session_error error; /* checked when .to is ERROR */
	const char *cmds;	  /* expected command types, in order */
	enum deadline_want deadline;
	bool ignored; /* the event must change nothing but the clock */
	void (*check)(const struct session *s, const struct session_cmds *c);
};

/* Setup paths. */
static const struct ev_spec P_WELCOME[] = {END_PATH};
static const struct ev_spec P_ENGLISH[] = {TOUCH(LANGUAGE), END_PATH};
static const struct ev_spec P_CONTRAST[] = {TOUCH(CONTRAST), END_PATH};
static const struct ev_spec P_READING[] = {CARD_IN, END_PATH};
static const struct ev_spec P_SCANNING[] = {TOUCH(SCAN_QR), END_PATH};
static const struct ev_spec P_LOOKUP_CARD[] = {CARD_IN, CARD_READ, END_PATH};
static const struct ev_spec P_LOOKUP_QR3[] = {QR(Q_DOC3), END_PATH};
static const struct ev_spec P_LOOKUP_QR0[] = {QR(Q_DOC0), END_PATH};
static const struct ev_spec P_LOOKUP_QRSTATUS[] = {QR(Q_STATUS), END_PATH};
static const struct ev_spec P_LOOKUP_QRGONE[] = {QR(Q_GONE), END_PATH};
static const struct ev_spec P_LOOKUP_SCANNED[] = {TOUCH(SCAN_QR), QR(Q_DOC3), END_PATH};
static const struct ev_spec P_FINISHED_LOOKUP[] = {CARD_IN, CARD_READ, TOUCH(FINISH), END_PATH};
static const struct ev_spec P_RELOOKUP[] = {CARD_IN, CARD_READ, TOUCH(FINISH),
					    CARD_IN, CARD_READ, END_PATH};
static const struct ev_spec P_STATUS[] = {CARD_IN, CARD_READ, LOOKUP(L_STD), END_PATH};
static const struct ev_spec P_STATUS_PAGE1[] = {CARD_IN, CARD_READ, LOOKUP(L_STD), TOUCH(NEXT_PAGE),
						END_PATH};
static const struct ev_spec P_STATUS_PAGE2[] = {CARD_IN,	  CARD_READ,	    LOOKUP(L_STD),
						TOUCH(NEXT_PAGE), TOUCH(NEXT_PAGE), END_PATH};
static const struct ev_spec P_STATUS_NODOC[] = {CARD_IN, CARD_READ, LOOKUP(L_NODOC), END_PATH};
static const struct ev_spec P_STATUS_FULL[] = {CARD_IN, CARD_READ, LOOKUP(L_FULL), END_PATH};
static const struct ev_spec P_STATUS_NORECEIPT[] = {DEV(RECEIPT_PRINTER, FAILED), CARD_IN,
						    CARD_READ, LOOKUP(L_STD), END_PATH};
static const struct ev_spec P_STATUS_LOWPAPER[] = {DEV(RECEIPT_PRINTER, DEGRADED), CARD_IN,
						   CARD_READ, LOOKUP(L_STD), END_PATH};
static const struct ev_spec P_STATUS_CONTRAST[] = {CARD_IN, CARD_READ, LOOKUP(L_STD),
						   TOUCH(CONTRAST), END_PATH};
static const struct ev_spec P_STATUS_ENGLISH[] = {TOUCH(LANGUAGE), CARD_IN, CARD_READ,
						  LOOKUP(L_STD), END_PATH};
static const struct ev_spec P_STATUS_QRSTATUS[] = {QR(Q_STATUS), LOOKUP(L_STD), END_PATH};
static const struct ev_spec P_CHOOSING[] = {CARD_IN, CARD_READ, LOOKUP(L_STD), TOUCHI(DOCUMENT, 0),
					    END_PATH};
static const struct ev_spec P_CHOOSING_QR[] = {QR(Q_DOC3), LOOKUP(L_STD), END_PATH};
static const struct ev_spec P_PRINTING_RECEIPT[] = {CARD_IN, CARD_READ, LOOKUP(L_STD),
						    TOUCH(PRINT_RECEIPT), END_PATH};
static const struct ev_spec P_PRINTING_DOC[] = {
	CARD_IN, CARD_READ, LOOKUP(L_STD), TOUCHI(DOCUMENT, 0), TOUCH(CONFIRM), END_PATH};
static const struct ev_spec P_PRINTING_DOC_QR[] = {QR(Q_DOC3), LOOKUP(L_STD), TOUCH(CONFIRM),
						   END_PATH};
static const struct ev_spec P_PRINT_TIMED_OUT[] = {
	CARD_IN, CARD_READ, LOOKUP(L_STD), TOUCHI(DOCUMENT, 0), TOUCH(CONFIRM), TIMEOUT, END_PATH};
static const struct ev_spec P_DONE_RECEIPT[] = {
	CARD_IN, CARD_READ, LOOKUP(L_STD), TOUCH(PRINT_RECEIPT), PRINTED(OK), END_PATH};
static const struct ev_spec P_DONE_DOC[] = {
	CARD_IN,	CARD_READ,   LOOKUP(L_STD), TOUCHI(DOCUMENT, 0),
	TOUCH(CONFIRM), PRINTED(OK), END_PATH};
static const struct ev_spec P_ERROR_CARD[] = {CARD_IN, CARD_FAILED(CARD_UNKNOWN), END_PATH};
/* Two failed reads (one refused, one timing out), each error screen
 * timing out, then a third tap. */
static const struct ev_spec P_READING_FAILED_TWICE[] = {
	CARD_IN, CARD_FAILED(CARD_UNREADABLE), TIMEOUT, CARD_IN, TIMEOUT, TIMEOUT, CARD_IN,
	END_PATH};
/* Three failed reads: the third already said "damaged"; back to welcome. */
static const struct ev_spec P_DAMAGED[] = {CARD_IN, CARD_FAILED(CARD_UNREADABLE), TIMEOUT,
					   CARD_IN, CARD_FAILED(CARD_UNREADABLE), TIMEOUT,
					   CARD_IN, CARD_FAILED(CARD_UNREADABLE), TIMEOUT,
					   END_PATH};
static const struct ev_spec P_ERROR_QR[] = {QR_REFUSED(QR_EXPIRED), END_PATH};
static const struct ev_spec P_ERROR_NOTFOUND[] = {CARD_IN, CARD_READ, LOOKUP(L_EMPTY), END_PATH};
static const struct ev_spec P_ERROR_BACKEND[] = {CARD_IN, CARD_READ, TIMEOUT, END_PATH};
static const struct ev_spec P_ERROR_PAPER[] = {
	CARD_IN, CARD_READ, LOOKUP(L_STD), TOUCH(PRINT_RECEIPT), PRINTED(PAPER_OUT), END_PATH};
static const struct ev_spec P_ERROR_DOC_OFFLINE[] = {
	CARD_IN,	CARD_READ,	  LOOKUP(L_STD), TOUCHI(DOCUMENT, 0),
	TOUCH(CONFIRM), PRINTED(OFFLINE), END_PATH};
static const struct ev_spec P_ERROR_PRINT_TIMEOUT[] = {
	CARD_IN, CARD_READ, LOOKUP(L_STD), TOUCH(PRINT_RECEIPT), TIMEOUT, END_PATH};
static const struct ev_spec P_IDLE_STATUS[] = {CARD_IN, CARD_READ, LOOKUP(L_STD), TIMEOUT,
					       END_PATH};
static const struct ev_spec P_IDLE_STATUS_PAGE1[] = {CARD_IN,	       CARD_READ, LOOKUP(L_STD),
						     TOUCH(NEXT_PAGE), TIMEOUT,	  END_PATH};
static const struct ev_spec P_IDLE_CHOOSING[] = {
	CARD_IN, CARD_READ, LOOKUP(L_STD), TOUCHI(DOCUMENT, 3), TIMEOUT, END_PATH};
static const struct ev_spec P_LOGIN[] = {TOUCH(MAINTENANCE), END_PATH};
static const struct ev_spec P_LOGIN_3[] = {TOUCH(MAINTENANCE), TOUCHI(PIN_DIGIT, 1),
					   TOUCHI(PIN_DIGIT, 2), TOUCHI(PIN_DIGIT, 3), END_PATH};
static const struct ev_spec P_LOGIN_4[] = {TOUCH(MAINTENANCE),	 TOUCHI(PIN_DIGIT, 2),
					   TOUCHI(PIN_DIGIT, 4), TOUCHI(PIN_DIGIT, 6),
					   TOUCHI(PIN_DIGIT, 8), END_PATH};
static const struct ev_spec P_LOGIN_8[] = {TOUCH(MAINTENANCE),	 TOUCHI(PIN_DIGIT, 1),
					   TOUCHI(PIN_DIGIT, 2), TOUCHI(PIN_DIGIT, 3),
					   TOUCHI(PIN_DIGIT, 4), TOUCHI(PIN_DIGIT, 5),
					   TOUCHI(PIN_DIGIT, 6), TOUCHI(PIN_DIGIT, 7),
					   TOUCHI(PIN_DIGIT, 8), END_PATH};
static const struct ev_spec P_LOGIN_PENDING[] = {TOUCH(MAINTENANCE),
						 TOUCHI(PIN_DIGIT, 2),
						 TOUCHI(PIN_DIGIT, 4),
						 TOUCHI(PIN_DIGIT, 6),
						 TOUCHI(PIN_DIGIT, 8),
						 TOUCH(PIN_ENTER),
						 END_PATH};
static const struct ev_spec P_LOGIN_WRONG[] = {
	TOUCH(MAINTENANCE),   TOUCHI(PIN_DIGIT, 2), TOUCHI(PIN_DIGIT, 4), TOUCHI(PIN_DIGIT, 6),
	TOUCHI(PIN_DIGIT, 8), TOUCH(PIN_ENTER),	    PIN(WRONG),		  END_PATH};
static const struct ev_spec P_MAINT[] = {TOUCH(MAINTENANCE),
					 TOUCHI(PIN_DIGIT, 2),
					 TOUCHI(PIN_DIGIT, 4),
					 TOUCHI(PIN_DIGIT, 6),
					 TOUCHI(PIN_DIGIT, 8),
					 TOUCH(PIN_ENTER),
					 PIN(OK),
					 END_PATH};
static const struct ev_spec P_READER_DOWN[] = {DEV(CARD_READER, FAILED), END_PATH};
static const struct ev_spec P_OOS[] = {DEV(CARD_READER, FAILED), DEV(CAMERA, FAILED), END_PATH};
static const struct ev_spec P_READING_DEVICES_DOWN[] = {CARD_IN, DEV(CARD_READER, FAILED),
							DEV(CAMERA, FAILED), END_PATH};
static const struct ev_spec P_STATUS_DEVICES_DOWN[] = {
	CARD_IN, CARD_READ, LOOKUP(L_STD), DEV(CARD_READER, FAILED), DEV(CAMERA, FAILED), END_PATH};
static const struct ev_spec P_ERROR_DEVICES_DOWN[] = {CARD_IN, CARD_FAILED(CARD_UNREADABLE),
						      DEV(CARD_READER, FAILED), DEV(CAMERA, FAILED),
						      END_PATH};

/* Row checks beyond state, commands and deadline. */

static void chk_no_failures(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->card_failures, 0);
}

static void chk_two_failures(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->card_failures, 2);
}

static void chk_three_failures(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->card_failures, SESSION_CARD_DAMAGED_FAILURES);
	assert_int_equal(s->card_failure_ms, s->now_ms);
}

static void chk_not_english(const struct session *s, const struct session_cmds *c)
{
	assert_false(s->personal.english);
}

static void chk_english_kept_a_while(const struct session *s, const struct session_cmds *c)
{
	assert_true(s->personal.english);
	assert_int_equal(session_deadline(s), s->now_ms + timeouts.idle_timeout_ms);
}

static void chk_not_english_no_timer(const struct session *s, const struct session_cmds *c)
{
	assert_false(s->personal.english);
	assert_int_equal(session_deadline(s), 0);
}

static void chk_contrast(const struct session *s, const struct session_cmds *c)
{
	assert_true(s->personal.high_contrast);
}

static void chk_contrast_kept_a_while(const struct session *s, const struct session_cmds *c)
{
	assert_true(s->personal.high_contrast);
	assert_int_equal(session_deadline(s), s->now_ms + timeouts.idle_timeout_ms);
}

static void chk_no_contrast(const struct session *s, const struct session_cmds *c)
{
	assert_false(s->personal.high_contrast);
	if (s->state == SESSION_WELCOME && !s->personal.english)
		assert_int_equal(session_deadline(s), 0);
}

static void chk_lookup_card(const struct session *s, const struct session_cmds *c)
{
	/* .text = upper-case hex UID without separators, .text2 = NIK */
	assert_string_equal(c->cmd[0].text, CARD_UID_HEX);
	assert_string_equal(c->cmd[0].text2, CARD_NIK);
	assert_int_equal(c->cmd[0].request, s->request);
	assert_int_equal(s->personal.method, SESSION_ID_CARD);
	assert_memory_equal(s->personal.card.uid, card_uid, sizeof(card_uid));
}

static void chk_lookup_qr(const struct session *s, const struct session_cmds *c)
{
	const struct session_cmd *q = &c->cmd[c->n - 1];
	assert_int_equal(q->type, SESSION_CMD_LOOKUP_QR);
	assert_string_equal(q->text, QR_TEXT);
	assert_int_equal(q->request, s->request);
	assert_int_equal(s->personal.method, SESSION_ID_QR);
	assert_string_equal(s->personal.qr.token, QR_TEXT);
}

static void chk_login_fresh(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(s->personal.pin, "");
	assert_false(s->pin_pending);
	assert_int_equal(s->pin_feedback, _SESSION_PIN_RESULT_INVALID);
}

static void chk_status_result(const struct session *s, const struct session_cmds *c)
{
	assert_true(s->personal.have_result);
	assert_int_equal(s->personal.result.n_apps, 5);
	assert_string_equal(s->personal.result.apps[3].id, "APP-3");
	assert_string_equal(s->personal.result.apps[3].document_id, "DOC-3");
	assert_string_equal(s->personal.result.holder_name, "Budi Santoso");
	assert_int_equal(s->page, 0);
}

static void chk_selected0(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->selected, 0);
}

static void chk_selected3(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->selected, 3);
}

static void chk_selected15(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->selected, SESSION_MAX_APPS - 1);
}

static void chk_page0(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->page, 0);
}

static void chk_page1(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->page, 1);
}

static void chk_page2(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->page, 2);
}

static void chk_print_receipt(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(c->cmd[0].job, s->job);
	assert_int_equal(s->printing, SESSION_PRINT_RECEIPT);
}

static void chk_print_doc0(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(c->cmd[0].job, s->job);
	assert_string_equal(c->cmd[0].text, "DOC-0");
	assert_string_equal(c->cmd[0].text2, "APP-0");
	assert_int_equal(s->printing, SESSION_PRINT_DOCUMENT);
}

static void chk_print_doc3(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(c->cmd[0].job, s->job);
	assert_string_equal(c->cmd[0].text, "DOC-3");
	assert_string_equal(c->cmd[0].text2, "APP-3");
}

static void chk_collected0(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(c->cmd[0].text, "DOC-0");
	assert_int_not_equal(c->cmd[0].job, 0);
	assert_int_equal(s->personal.result.apps[0].stage, SESSION_STAGE_COLLECTED);
	assert_string_equal(s->personal.result.apps[0].document_id, "");
	/* The other ready document is untouched. */
	assert_string_equal(s->personal.result.apps[3].document_id, "DOC-3");
	assert_int_equal(s->printing, SESSION_PRINT_DOCUMENT);
}

static void chk_collected3(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(c->cmd[0].text, "DOC-3");
	assert_int_equal(s->personal.result.apps[3].stage, SESSION_STAGE_COLLECTED);
	assert_string_equal(s->personal.result.apps[3].document_id, "");
}

static void chk_still_ready0(const struct session *s, const struct session_cmds *c)
{
	/* A failed print leaves the document to be collected. */
	assert_int_equal(s->personal.result.apps[0].stage, SESSION_STAGE_READY);
	assert_string_equal(s->personal.result.apps[0].document_id, "DOC-0");
}

static void chk_done_receipt(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->printing, SESSION_PRINT_RECEIPT);
	assert_true(s->personal.have_result);
}

static void chk_cancel(const struct session *s, const struct session_cmds *c)
{
	assert_int_not_equal(c->cmd[0].job, 0);
}

static void chk_result_kept(const struct session *s, const struct session_cmds *c)
{
	assert_true(s->personal.have_result);
	assert_int_equal(s->personal.result.n_apps, 5);
}

static void chk_countdown_status(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->interrupted, SESSION_SHOWING_STATUS);
	assert_int_equal(session_countdown_left_s(s), timeouts.countdown_ms / 1000);
}

static void chk_countdown_choosing(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->interrupted, SESSION_CHOOSING_DOCUMENT);
	assert_int_equal(s->selected, 0);
}

static void chk_pin_1(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(s->personal.pin, "1");
}

static void chk_pin_123(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(s->personal.pin, "123");
	assert_false(s->pin_pending);
}

static void chk_pin_12345678(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(s->personal.pin, "12345678");
}

static void chk_pin_empty(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(s->personal.pin, "");
}

static void chk_check_pin_2468(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(c->cmd[0].text, "2468");
	assert_string_equal(s->personal.pin, "");
	assert_true(s->pin_pending);
}

static void chk_check_pin_8(const struct session *s, const struct session_cmds *c)
{
	assert_string_equal(c->cmd[0].text, "12345678");
	assert_string_equal(s->personal.pin, "");
	assert_true(s->pin_pending);
}

static void chk_pin_wrong(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->pin_feedback, SESSION_PIN_WRONG);
	assert_false(s->pin_pending);
	assert_string_equal(s->personal.pin, "");
}

static void chk_pin_locked(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->pin_feedback, SESSION_PIN_LOCKED);
	assert_false(s->pin_pending);
}

static void chk_not_pending(const struct session *s, const struct session_cmds *c)
{
	assert_false(s->pin_pending);
}

static void chk_receipt_failed(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->devices[SESSION_DEVICE_RECEIPT_PRINTER], SESSION_DEVICE_FAILED);
	assert_false(session_can_print(s, SESSION_PRINT_RECEIPT));
	assert_true(session_can_print(s, SESSION_PRINT_DOCUMENT));
}

static void chk_reader_failed(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->devices[SESSION_DEVICE_CARD_READER], SESSION_DEVICE_FAILED);
}

static void chk_camera_ok(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->devices[SESSION_DEVICE_CAMERA], SESSION_DEVICE_OK);
}

static void chk_collected0_status(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(s->personal.result.apps[0].stage, SESSION_STAGE_COLLECTED);
	assert_string_equal(s->personal.result.apps[0].document_id, "");
	assert_int_equal(s->page, 0);
}

static void chk_countdown_gone(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(session_countdown_left_s(s), 0);
}

static void chk_countdown_1s(const struct session *s, const struct session_cmds *c)
{
	assert_int_equal(session_countdown_left_s(s), 1);
}

#define R(...)              \
	{                   \
		__VA_ARGS__ \
	}

static const struct row rows[] = {
	/* ---- WELCOME ---- */
	R(.name = "welcome: card inserted", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = CARD_IN, .to = SESSION_READING_CARD, .cmds = ""),
	R(.name = "welcome: card read without insert", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = CARD_READ, .to = SESSION_LOOKING_UP, .cmds = "lookup-card",
	  .check = chk_lookup_card),
	R(.name = "welcome: qr token", .path = P_WELCOME, .from = SESSION_WELCOME, .ev = QR(Q_DOC3),
	  .to = SESSION_LOOKING_UP, .cmds = "lookup-qr", .check = chk_lookup_qr),
	R(.name = "welcome: qr expired", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = QR_REFUSED(QR_EXPIRED), .to = SESSION_ERROR, .error = SESSION_ERROR_QR_EXPIRED,
	  .cmds = ""),
	R(.name = "welcome: qr invalid", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = QR_REFUSED(QR_INVALID), .to = SESSION_ERROR, .error = SESSION_ERROR_QR_INVALID,
	  .cmds = ""),
	R(.name = "welcome: qr not mpp", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = QR_REFUSED(QR_NOT_MPP), .to = SESSION_ERROR, .error = SESSION_ERROR_QR_NOT_MPP,
	  .cmds = ""),
	R(.name = "welcome: scan-qr", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCH(SCAN_QR), .to = SESSION_SCANNING_QR, .cmds = "start-scan"),
	R(.name = "welcome: maintenance", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCH(MAINTENANCE), .to = SESSION_MAINTENANCE_LOGIN, .cmds = "",
	  .check = chk_login_fresh),
	R(.name = "welcome: language on", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCH(LANGUAGE), .to = SESSION_WELCOME, .cmds = "", .deadline = DL_ANY,
	  .check = chk_english_kept_a_while),
	R(.name = "welcome: language off", .path = P_ENGLISH, .from = SESSION_WELCOME,
	  .ev = TOUCH(LANGUAGE), .to = SESSION_WELCOME, .cmds = "", .deadline = DL_ANY,
	  .check = chk_not_english_no_timer),
	R(.name = "welcome: language forgotten", .path = P_ENGLISH, .from = SESSION_WELCOME,
	  .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "", .check = chk_not_english),
	R(.name = "welcome: contrast on", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCH(CONTRAST), .to = SESSION_WELCOME, .cmds = "", .deadline = DL_ANY,
	  .check = chk_contrast_kept_a_while),
	R(.name = "welcome: contrast off", .path = P_CONTRAST, .from = SESSION_WELCOME,
	  .ev = TOUCH(CONTRAST), .to = SESSION_WELCOME, .cmds = "", .deadline = DL_ANY,
	  .check = chk_no_contrast),
	R(.name = "welcome: contrast forgotten", .path = P_CONTRAST, .from = SESSION_WELCOME,
	  .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "", .check = chk_no_contrast),
	R(.name = "status: contrast on", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCH(CONTRAST), .to = SESSION_SHOWING_STATUS, .cmds = "", .check = chk_contrast),
	R(.name = "status: finish resets contrast", .path = P_STATUS_CONTRAST,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "end",
	  .check = chk_no_contrast),
	R(.name = "reading: contrast ignored", .path = P_READING, .from = SESSION_READING_CARD,
	  .ev = TOUCH(CONTRAST), .to = SESSION_READING_CARD, .cmds = "", .ignored = true),
	R(.name = "welcome: touch any", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCH(ANY), .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: touch finish", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: touch ok", .path = P_WELCOME, .from = SESSION_WELCOME, .ev = TOUCH(OK),
	  .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: touch print-receipt", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCH(PRINT_RECEIPT), .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: touch confirm", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCH(CONFIRM), .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: touch document 0", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCHI(DOCUMENT, 0), .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: touch pin-digit", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = TOUCHI(PIN_DIGIT, 1), .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: card removed", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = CARD_OUT, .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: pin result unasked", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = PIN(OK), .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: no timeout", .path = P_WELCOME, .from = SESSION_WELCOME, .ev = TIMEOUT,
	  .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: late lookup reply after finish", .path = P_FINISHED_LOOKUP,
	  .from = SESSION_WELCOME, .ev = LOOKUP(L_STD), .to = SESSION_WELCOME, .cmds = "",
	  .ignored = true),
	R(.name = "welcome: late lookup failure after finish", .path = P_FINISHED_LOOKUP,
	  .from = SESSION_WELCOME, .ev = LOOKUP_FAIL(BACKEND_UNREACHABLE), .to = SESSION_WELCOME,
	  .cmds = "", .ignored = true),
	R(.name = "welcome: unasked print done", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = PRINTED_ID(OK, ID_STALE), .to = SESSION_WELCOME, .cmds = "", .ignored = true),
	R(.name = "welcome: reader failed (camera still up)", .path = P_WELCOME,
	  .from = SESSION_WELCOME, .ev = DEV(CARD_READER, FAILED), .to = SESSION_WELCOME,
	  .cmds = "", .check = chk_reader_failed, .deadline = DL_ANY),
	R(.name = "welcome: reader and camera failed", .path = P_READER_DOWN,
	  .from = SESSION_WELCOME, .ev = DEV(CAMERA, FAILED), .to = SESSION_OUT_OF_SERVICE,
	  .cmds = ""),
	R(.name = "welcome: receipt printer failed", .path = P_WELCOME, .from = SESSION_WELCOME,
	  .ev = DEV(RECEIPT_PRINTER, FAILED), .to = SESSION_WELCOME, .cmds = "",
	  .check = chk_receipt_failed, .deadline = DL_ANY),

	/* ---- READING_CARD ---- */
	R(.name = "reading: card read", .path = P_READING, .from = SESSION_READING_CARD,
	  .ev = CARD_READ, .to = SESSION_LOOKING_UP, .cmds = "lookup-card",
	  .check = chk_lookup_card),
	R(.name = "reading: card unknown", .path = P_READING, .from = SESSION_READING_CARD,
	  .ev = CARD_FAILED(CARD_UNKNOWN), .to = SESSION_ERROR, .error = SESSION_ERROR_CARD_UNKNOWN,
	  .cmds = ""),
	R(.name = "reading: card unreadable", .path = P_READING, .from = SESSION_READING_CARD,
	  .ev = CARD_FAILED(CARD_UNREADABLE), .to = SESSION_ERROR,
	  .error = SESSION_ERROR_CARD_UNREADABLE, .cmds = ""),
	R(.name = "reading: card removed", .path = P_READING, .from = SESSION_READING_CARD,
	  .ev = CARD_OUT, .to = SESSION_ERROR, .error = SESSION_ERROR_CARD_UNREADABLE, .cmds = ""),
	R(.name = "reading: timeout", .path = P_READING, .from = SESSION_READING_CARD,
	  .ev = TIMEOUT, .to = SESSION_ERROR, .error = SESSION_ERROR_CARD_UNREADABLE, .cmds = ""),
	R(.name = "reading: third failure in a row: damaged", .path = P_READING_FAILED_TWICE,
	  .from = SESSION_READING_CARD, .ev = CARD_FAILED(CARD_UNREADABLE), .to = SESSION_ERROR,
	  .error = SESSION_ERROR_CARD_DAMAGED, .cmds = "", .check = chk_three_failures),
	R(.name = "reading: third failure in a row (timeout): damaged",
	  .path = P_READING_FAILED_TWICE, .from = SESSION_READING_CARD, .ev = TIMEOUT,
	  .to = SESSION_ERROR, .error = SESSION_ERROR_CARD_DAMAGED, .cmds = "",
	  .check = chk_three_failures),
	R(.name = "reading: pulled too soon after two failures: not counted",
	  .path = P_READING_FAILED_TWICE, .from = SESSION_READING_CARD, .ev = CARD_OUT,
	  .to = SESSION_ERROR, .error = SESSION_ERROR_CARD_UNREADABLE, .cmds = "",
	  .check = chk_two_failures),
	R(.name = "reading: unknown card after two failures: not counted",
	  .path = P_READING_FAILED_TWICE, .from = SESSION_READING_CARD,
	  .ev = CARD_FAILED(CARD_UNKNOWN), .to = SESSION_ERROR, .error = SESSION_ERROR_CARD_UNKNOWN,
	  .cmds = "", .check = chk_two_failures),
	R(.name = "reading: read after two failures: count reset", .path = P_READING_FAILED_TWICE,
	  .from = SESSION_READING_CARD, .ev = CARD_READ, .to = SESSION_LOOKING_UP,
	  .cmds = "lookup-card", .check = chk_no_failures),
	R(.name = "welcome: fourth failure still damaged", .path = P_DAMAGED,
	  .from = SESSION_WELCOME, .ev = CARD_FAILED(CARD_UNREADABLE), .to = SESSION_ERROR,
	  .error = SESSION_ERROR_CARD_DAMAGED, .cmds = "", .check = chk_three_failures),
	R(.name = "welcome: a good card after a damaged one", .path = P_DAMAGED,
	  .from = SESSION_WELCOME, .ev = CARD_READ, .to = SESSION_LOOKING_UP, .cmds = "lookup-card",
	  .check = chk_no_failures),
	R(.name = "reading: 1 ms before timeout", .path = P_READING, .from = SESSION_READING_CARD,
	  .ev = EARLY, .to = SESSION_READING_CARD, .cmds = "", .ignored = true),
	R(.name = "reading: devices fail mid-session", .path = P_READING,
	  .from = SESSION_READING_CARD, .ev = DEV(CARD_READER, FAILED), .to = SESSION_READING_CARD,
	  .cmds = "", .deadline = DL_KEEP),
	R(.name = "reading: both devices down, stays", .path = P_READING_DEVICES_DOWN,
	  .from = SESSION_READING_CARD, .ev = CARD_READ, .to = SESSION_LOOKING_UP,
	  .cmds = "lookup-card"),

	/* ---- SCANNING_QR ---- */
	R(.name = "scanning: qr token", .path = P_SCANNING, .from = SESSION_SCANNING_QR,
	  .ev = QR(Q_DOC3), .to = SESSION_LOOKING_UP, .cmds = "stop-scan lookup-qr",
	  .check = chk_lookup_qr),
	R(.name = "scanning: qr expired", .path = P_SCANNING, .from = SESSION_SCANNING_QR,
	  .ev = QR_REFUSED(QR_EXPIRED), .to = SESSION_ERROR, .error = SESSION_ERROR_QR_EXPIRED,
	  .cmds = "stop-scan"),
	R(.name = "scanning: qr forged", .path = P_SCANNING, .from = SESSION_SCANNING_QR,
	  .ev = QR_REFUSED(QR_INVALID), .to = SESSION_ERROR, .error = SESSION_ERROR_QR_INVALID,
	  .cmds = "stop-scan"),
	R(.name = "scanning: back", .path = P_SCANNING, .from = SESSION_SCANNING_QR,
	  .ev = TOUCH(BACK), .to = SESSION_WELCOME, .cmds = "stop-scan end"),
	R(.name = "scanning: finish", .path = P_SCANNING, .from = SESSION_SCANNING_QR,
	  .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "stop-scan end"),
	R(.name = "scanning: timeout", .path = P_SCANNING, .from = SESSION_SCANNING_QR,
	  .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "stop-scan end"),
	R(.name = "scanning: 1 ms before timeout", .path = P_SCANNING, .from = SESSION_SCANNING_QR,
	  .ev = EARLY, .to = SESSION_SCANNING_QR, .cmds = "", .ignored = true),

	/* ---- LOOKING_UP ---- */
	R(.name = "lookup: card, found", .path = P_LOOKUP_CARD, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP(L_STD), .to = SESSION_SHOWING_STATUS, .cmds = "",
	  .check = chk_status_result),
	R(.name = "lookup: card, nothing", .path = P_LOOKUP_CARD, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP(L_EMPTY), .to = SESSION_ERROR, .error = SESSION_ERROR_NOT_FOUND, .cmds = ""),
	R(.name = "lookup: card, ready docs -> status", .path = P_LOOKUP_CARD,
	  .from = SESSION_LOOKING_UP, .ev = LOOKUP(L_FULL), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .check = chk_page0),
	R(.name = "lookup: qr with its document", .path = P_LOOKUP_QR3, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP(L_STD), .to = SESSION_CHOOSING_DOCUMENT, .cmds = "", .check = chk_selected3),
	R(.name = "lookup: qr with document 0", .path = P_LOOKUP_QR0, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP(L_STD), .to = SESSION_CHOOSING_DOCUMENT, .cmds = "", .check = chk_selected0),
	R(.name = "lookup: scanned qr with its document", .path = P_LOOKUP_SCANNED,
	  .from = SESSION_LOOKING_UP, .ev = LOOKUP(L_STD), .to = SESSION_CHOOSING_DOCUMENT,
	  .cmds = "", .check = chk_selected3),
	R(.name = "lookup: qr without document", .path = P_LOOKUP_QRSTATUS,
	  .from = SESSION_LOOKING_UP, .ev = LOOKUP(L_STD), .to = SESSION_SHOWING_STATUS, .cmds = "",
	  .check = chk_status_result),
	R(.name = "lookup: qr document not in result", .path = P_LOOKUP_QRGONE,
	  .from = SESSION_LOOKING_UP, .ev = LOOKUP(L_STD), .to = SESSION_SHOWING_STATUS,
	  .cmds = ""),
	R(.name = "lookup: qr document no longer ready", .path = P_LOOKUP_QR3,
	  .from = SESSION_LOOKING_UP, .ev = LOOKUP(L_NODOC), .to = SESSION_SHOWING_STATUS,
	  .cmds = ""),
	R(.name = "lookup: qr, nothing", .path = P_LOOKUP_QR3, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP(L_EMPTY), .to = SESSION_ERROR, .error = SESSION_ERROR_NOT_FOUND, .cmds = ""),
	R(.name = "lookup: failed unreachable", .path = P_LOOKUP_CARD, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP_FAIL(BACKEND_UNREACHABLE), .to = SESSION_ERROR,
	  .error = SESSION_ERROR_BACKEND_UNREACHABLE, .cmds = ""),
	R(.name = "lookup: failed not found", .path = P_LOOKUP_QR3, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP_FAIL(NOT_FOUND), .to = SESSION_ERROR, .error = SESSION_ERROR_NOT_FOUND,
	  .cmds = ""),
	R(.name = "lookup: timeout", .path = P_LOOKUP_CARD, .from = SESSION_LOOKING_UP,
	  .ev = TIMEOUT, .to = SESSION_ERROR, .error = SESSION_ERROR_BACKEND_UNREACHABLE,
	  .cmds = ""),
	R(.name = "lookup: 1 ms before timeout", .path = P_LOOKUP_CARD, .from = SESSION_LOOKING_UP,
	  .ev = EARLY, .to = SESSION_LOOKING_UP, .cmds = "", .ignored = true),
	R(.name = "lookup: stale reply", .path = P_LOOKUP_CARD, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP_ID(L_STD, ID_STALE), .to = SESSION_LOOKING_UP, .cmds = "", .ignored = true),
	R(.name = "lookup: stale failure", .path = P_LOOKUP_CARD, .from = SESSION_LOOKING_UP,
	  .ev = LOOKUP_FAIL_ID(BACKEND_UNREACHABLE, ID_STALE), .to = SESSION_LOOKING_UP, .cmds = "",
	  .ignored = true),
	R(.name = "lookup: reply of the previous session", .path = P_RELOOKUP,
	  .from = SESSION_LOOKING_UP, .ev = LOOKUP_ID(L_EMPTY, ID_PREV), .to = SESSION_LOOKING_UP,
	  .cmds = "", .ignored = true),
	R(.name = "lookup: reply of this session after a stale one", .path = P_RELOOKUP,
	  .from = SESSION_LOOKING_UP, .ev = LOOKUP(L_STD), .to = SESSION_SHOWING_STATUS,
	  .cmds = ""),
	R(.name = "lookup: finish", .path = P_LOOKUP_CARD, .from = SESSION_LOOKING_UP,
	  .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "end"),

	/* ---- SHOWING_STATUS ---- */
	R(.name = "status: print receipt", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCH(PRINT_RECEIPT), .to = SESSION_PRINTING_RECEIPT, .cmds = "print-receipt",
	  .check = chk_print_receipt),
	R(.name = "status: print receipt, paper low", .path = P_STATUS_LOWPAPER,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(PRINT_RECEIPT),
	  .to = SESSION_PRINTING_RECEIPT, .cmds = "print-receipt"),
	R(.name = "status: print receipt, printer failed", .path = P_STATUS_NORECEIPT,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(PRINT_RECEIPT), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .deadline = DL_ANY),
	R(.name = "status: document 0", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCHI(DOCUMENT, 0), .to = SESSION_CHOOSING_DOCUMENT, .cmds = "",
	  .check = chk_selected0),
	R(.name = "status: document 3", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCHI(DOCUMENT, 3), .to = SESSION_CHOOSING_DOCUMENT, .cmds = "",
	  .check = chk_selected3),
	R(.name = "status: document 15 of 16", .path = P_STATUS_FULL,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCHI(DOCUMENT, SESSION_MAX_APPS - 1),
	  .to = SESSION_CHOOSING_DOCUMENT, .cmds = "", .check = chk_selected15),
	R(.name = "status: document of app without one", .path = P_STATUS,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCHI(DOCUMENT, 1), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .deadline = DL_ANY),
	R(.name = "status: document past the list", .path = P_STATUS,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCHI(DOCUMENT, 5), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .deadline = DL_ANY),
	R(.name = "status: document -1", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCHI(DOCUMENT, -1), .to = SESSION_SHOWING_STATUS, .cmds = "", .deadline = DL_ANY),
	R(.name = "status: document 1000", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCHI(DOCUMENT, 1000), .to = SESSION_SHOWING_STATUS, .cmds = "",
	  .deadline = DL_ANY),
	R(.name = "status: no document at all", .path = P_STATUS_NODOC,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCHI(DOCUMENT, 0), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .deadline = DL_ANY),
	R(.name = "status: next page", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCH(NEXT_PAGE), .to = SESSION_SHOWING_STATUS, .cmds = "", .check = chk_page1),
	R(.name = "status: next page to the last", .path = P_STATUS_PAGE1,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(NEXT_PAGE), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .check = chk_page2),
	R(.name = "status: next page past the last", .path = P_STATUS_PAGE2,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(NEXT_PAGE), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .check = chk_page2),
	R(.name = "status: prev page", .path = P_STATUS_PAGE1, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCH(PREV_PAGE), .to = SESSION_SHOWING_STATUS, .cmds = "", .check = chk_page0),
	R(.name = "status: prev page on the first", .path = P_STATUS,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(PREV_PAGE), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .check = chk_page0),
	R(.name = "status: next page with one page", .path = P_STATUS_NODOC,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(NEXT_PAGE), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .check = chk_page0),
	R(.name = "status: finish", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "status: finish resets language", .path = P_STATUS_ENGLISH,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "end",
	  .check = chk_not_english),
	R(.name = "status (by qr): finish", .path = P_STATUS_QRSTATUS,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(FINISH), .to = SESSION_WELCOME,
	  .cmds = "end"),
	R(.name = "status: touch any restarts idle", .path = P_STATUS,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(ANY), .to = SESSION_SHOWING_STATUS,
	  .cmds = ""),
	R(.name = "status: touch ok restarts idle", .path = P_STATUS,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(OK), .to = SESSION_SHOWING_STATUS,
	  .cmds = ""),
	R(.name = "status: touch confirm restarts idle", .path = P_STATUS,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(CONFIRM), .to = SESSION_SHOWING_STATUS,
	  .cmds = ""),
	R(.name = "status: timeout -> countdown", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = TIMEOUT, .to = SESSION_IDLE_COUNTDOWN, .cmds = "", .check = chk_countdown_status),
	R(.name = "status: 1 ms before idle", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = EARLY, .to = SESSION_SHOWING_STATUS, .cmds = "", .ignored = true),
	R(.name = "status: card pulled after the tap", .path = P_STATUS,
	  .from = SESSION_SHOWING_STATUS, .ev = CARD_OUT, .to = SESSION_SHOWING_STATUS, .cmds = "",
	  .check = chk_result_kept, .deadline = DL_ANY),
	R(.name = "status: stale lookup reply", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = LOOKUP(L_EMPTY), .to = SESSION_SHOWING_STATUS, .cmds = "", .ignored = true),
	R(.name = "status: unasked print done", .path = P_STATUS, .from = SESSION_SHOWING_STATUS,
	  .ev = PRINTED_ID(OK, ID_STALE), .to = SESSION_SHOWING_STATUS, .cmds = "",
	  .ignored = true),
	R(.name = "status: devices fail mid-session", .path = P_STATUS_DEVICES_DOWN,
	  .from = SESSION_SHOWING_STATUS, .ev = TOUCH(PRINT_RECEIPT),
	  .to = SESSION_PRINTING_RECEIPT, .cmds = "print-receipt"),

	/* ---- CHOOSING_DOCUMENT ---- */
	R(.name = "choosing: confirm", .path = P_CHOOSING, .from = SESSION_CHOOSING_DOCUMENT,
	  .ev = TOUCH(CONFIRM), .to = SESSION_PRINTING_DOCUMENT, .cmds = "print-document",
	  .check = chk_print_doc0),
	R(.name = "choosing (by qr): confirm", .path = P_CHOOSING_QR,
	  .from = SESSION_CHOOSING_DOCUMENT, .ev = TOUCH(CONFIRM), .to = SESSION_PRINTING_DOCUMENT,
	  .cmds = "print-document", .check = chk_print_doc3),
	R(.name = "choosing: back", .path = P_CHOOSING, .from = SESSION_CHOOSING_DOCUMENT,
	  .ev = TOUCH(BACK), .to = SESSION_SHOWING_STATUS, .cmds = "", .check = chk_result_kept),
	R(.name = "choosing (by qr): back", .path = P_CHOOSING_QR,
	  .from = SESSION_CHOOSING_DOCUMENT, .ev = TOUCH(BACK), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .check = chk_page0),
	R(.name = "choosing: finish", .path = P_CHOOSING, .from = SESSION_CHOOSING_DOCUMENT,
	  .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "choosing (by qr): finish", .path = P_CHOOSING_QR,
	  .from = SESSION_CHOOSING_DOCUMENT, .ev = TOUCH(FINISH), .to = SESSION_WELCOME,
	  .cmds = "end"),
	R(.name = "choosing: touch any restarts idle", .path = P_CHOOSING,
	  .from = SESSION_CHOOSING_DOCUMENT, .ev = TOUCH(ANY), .to = SESSION_CHOOSING_DOCUMENT,
	  .cmds = "", .check = chk_selected0),
	R(.name = "choosing: timeout -> countdown", .path = P_CHOOSING,
	  .from = SESSION_CHOOSING_DOCUMENT, .ev = TIMEOUT, .to = SESSION_IDLE_COUNTDOWN,
	  .cmds = "", .check = chk_countdown_choosing),
	R(.name = "choosing: 1 ms before idle", .path = P_CHOOSING,
	  .from = SESSION_CHOOSING_DOCUMENT, .ev = EARLY, .to = SESSION_CHOOSING_DOCUMENT,
	  .cmds = "", .ignored = true),

	/* ---- PRINTING_RECEIPT ---- */
	R(.name = "receipt: printed", .path = P_PRINTING_RECEIPT, .from = SESSION_PRINTING_RECEIPT,
	  .ev = PRINTED(OK), .to = SESSION_DONE, .cmds = "", .check = chk_done_receipt),
	R(.name = "receipt: paper out", .path = P_PRINTING_RECEIPT,
	  .from = SESSION_PRINTING_RECEIPT, .ev = PRINTED(PAPER_OUT), .to = SESSION_ERROR,
	  .error = SESSION_ERROR_PRINTER_PAPER_OUT, .cmds = ""),
	R(.name = "receipt: cover open", .path = P_PRINTING_RECEIPT,
	  .from = SESSION_PRINTING_RECEIPT, .ev = PRINTED(COVER_OPEN), .to = SESSION_ERROR,
	  .error = SESSION_ERROR_PRINTER_COVER_OPEN, .cmds = ""),
	R(.name = "receipt: offline", .path = P_PRINTING_RECEIPT, .from = SESSION_PRINTING_RECEIPT,
	  .ev = PRINTED(OFFLINE), .to = SESSION_ERROR, .error = SESSION_ERROR_PRINTER_OFFLINE,
	  .cmds = ""),
	R(.name = "receipt: failed", .path = P_PRINTING_RECEIPT, .from = SESSION_PRINTING_RECEIPT,
	  .ev = PRINTED(FAILED), .to = SESSION_ERROR, .error = SESSION_ERROR_PRINT_FAILED,
	  .cmds = ""),
	R(.name = "receipt: cancelled", .path = P_PRINTING_RECEIPT,
	  .from = SESSION_PRINTING_RECEIPT, .ev = PRINTED(CANCELLED), .to = SESSION_ERROR,
	  .error = SESSION_ERROR_PRINT_FAILED, .cmds = ""),
	R(.name = "receipt: stale job", .path = P_PRINTING_RECEIPT,
	  .from = SESSION_PRINTING_RECEIPT, .ev = PRINTED_ID(OK, ID_STALE),
	  .to = SESSION_PRINTING_RECEIPT, .cmds = "", .ignored = true),
	R(.name = "receipt: timeout", .path = P_PRINTING_RECEIPT, .from = SESSION_PRINTING_RECEIPT,
	  .ev = TIMEOUT, .to = SESSION_ERROR, .error = SESSION_ERROR_PRINT_FAILED,
	  .cmds = "cancel-print", .check = chk_cancel),
	R(.name = "receipt: 1 ms before timeout", .path = P_PRINTING_RECEIPT,
	  .from = SESSION_PRINTING_RECEIPT, .ev = EARLY, .to = SESSION_PRINTING_RECEIPT, .cmds = "",
	  .ignored = true),

	/* ---- PRINTING_DOCUMENT ---- */
	R(.name = "document: printed -> confirm", .path = P_PRINTING_DOC,
	  .from = SESSION_PRINTING_DOCUMENT, .ev = PRINTED(OK), .to = SESSION_DONE,
	  .cmds = "confirm-collected", .check = chk_collected0),
	R(.name = "document (by qr): printed -> confirm", .path = P_PRINTING_DOC_QR,
	  .from = SESSION_PRINTING_DOCUMENT, .ev = PRINTED(OK), .to = SESSION_DONE,
	  .cmds = "confirm-collected", .check = chk_collected3),
	R(.name = "document: paper out", .path = P_PRINTING_DOC, .from = SESSION_PRINTING_DOCUMENT,
	  .ev = PRINTED(PAPER_OUT), .to = SESSION_ERROR, .error = SESSION_ERROR_PRINTER_PAPER_OUT,
	  .cmds = "", .check = chk_still_ready0),
	R(.name = "document: cover open", .path = P_PRINTING_DOC, .from = SESSION_PRINTING_DOCUMENT,
	  .ev = PRINTED(COVER_OPEN), .to = SESSION_ERROR, .error = SESSION_ERROR_PRINTER_COVER_OPEN,
	  .cmds = "", .check = chk_still_ready0),
	R(.name = "document: offline", .path = P_PRINTING_DOC, .from = SESSION_PRINTING_DOCUMENT,
	  .ev = PRINTED(OFFLINE), .to = SESSION_ERROR, .error = SESSION_ERROR_PRINTER_OFFLINE,
	  .cmds = "", .check = chk_still_ready0),
	R(.name = "document: failed", .path = P_PRINTING_DOC, .from = SESSION_PRINTING_DOCUMENT,
	  .ev = PRINTED(FAILED), .to = SESSION_ERROR, .error = SESSION_ERROR_PRINT_FAILED,
	  .cmds = "", .check = chk_still_ready0),
	R(.name = "document: cancelled", .path = P_PRINTING_DOC, .from = SESSION_PRINTING_DOCUMENT,
	  .ev = PRINTED(CANCELLED), .to = SESSION_ERROR, .error = SESSION_ERROR_PRINT_FAILED,
	  .cmds = "", .check = chk_still_ready0),
	R(.name = "document: stale job", .path = P_PRINTING_DOC, .from = SESSION_PRINTING_DOCUMENT,
	  .ev = PRINTED_ID(OK, ID_STALE), .to = SESSION_PRINTING_DOCUMENT, .cmds = "",
	  .ignored = true),
	R(.name = "document: timeout", .path = P_PRINTING_DOC, .from = SESSION_PRINTING_DOCUMENT,
	  .ev = TIMEOUT, .to = SESSION_ERROR, .error = SESSION_ERROR_PRINT_FAILED,
	  .cmds = "cancel-print", .check = chk_still_ready0),
	R(.name = "document: 1 ms before timeout", .path = P_PRINTING_DOC,
	  .from = SESSION_PRINTING_DOCUMENT, .ev = EARLY, .to = SESSION_PRINTING_DOCUMENT,
	  .cmds = "", .ignored = true),
	R(.name = "document: completion after the timeout never confirms",
	  .path = P_PRINT_TIMED_OUT, .from = SESSION_ERROR, .ev = PRINTED(OK), .to = SESSION_ERROR,
	  .error = SESSION_ERROR_PRINT_FAILED, .cmds = "", .ignored = true),

	/* ---- DONE ---- */
	R(.name = "done: finish", .path = P_DONE_RECEIPT, .from = SESSION_DONE, .ev = TOUCH(FINISH),
	  .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "done: ok", .path = P_DONE_RECEIPT, .from = SESSION_DONE, .ev = TOUCH(OK),
	  .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "done: any", .path = P_DONE_RECEIPT, .from = SESSION_DONE, .ev = TOUCH(ANY),
	  .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "done: back to status", .path = P_DONE_RECEIPT, .from = SESSION_DONE,
	  .ev = TOUCH(BACK), .to = SESSION_SHOWING_STATUS, .cmds = "", .check = chk_result_kept),
	R(.name = "done (document): back shows it collected", .path = P_DONE_DOC,
	  .from = SESSION_DONE, .ev = TOUCH(BACK), .to = SESSION_SHOWING_STATUS, .cmds = "",
	  .check = chk_collected0_status),
	R(.name = "done: timeout", .path = P_DONE_RECEIPT, .from = SESSION_DONE, .ev = TIMEOUT,
	  .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "done (document): timeout", .path = P_DONE_DOC, .from = SESSION_DONE,
	  .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "done: 1 ms before timeout", .path = P_DONE_RECEIPT, .from = SESSION_DONE,
	  .ev = EARLY, .to = SESSION_DONE, .cmds = "", .ignored = true),
	R(.name = "done: the same job reported again", .path = P_DONE_DOC, .from = SESSION_DONE,
	  .ev = PRINTED(OK), .to = SESSION_DONE, .cmds = "", .ignored = true),

	/* ---- ERROR ---- */
	R(.name = "error (card): ok", .path = P_ERROR_CARD, .from = SESSION_ERROR, .ev = TOUCH(OK),
	  .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "error (card): timeout", .path = P_ERROR_CARD, .from = SESSION_ERROR,
	  .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "error (qr): ok", .path = P_ERROR_QR, .from = SESSION_ERROR, .ev = TOUCH(OK),
	  .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "error (qr): timeout", .path = P_ERROR_QR, .from = SESSION_ERROR, .ev = TIMEOUT,
	  .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "error (not found): ok", .path = P_ERROR_NOTFOUND, .from = SESSION_ERROR,
	  .ev = TOUCH(OK), .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "error (backend): ok", .path = P_ERROR_BACKEND, .from = SESSION_ERROR,
	  .ev = TOUCH(OK), .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "error (backend): late reply", .path = P_ERROR_BACKEND, .from = SESSION_ERROR,
	  .ev = LOOKUP(L_STD), .to = SESSION_ERROR, .error = SESSION_ERROR_BACKEND_UNREACHABLE,
	  .cmds = "", .ignored = true),
	R(.name = "error (paper, result held): ok -> status", .path = P_ERROR_PAPER,
	  .from = SESSION_ERROR, .ev = TOUCH(OK), .to = SESSION_SHOWING_STATUS, .cmds = "",
	  .check = chk_result_kept),
	R(.name = "error (paper): timeout", .path = P_ERROR_PAPER, .from = SESSION_ERROR,
	  .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "error (document offline): ok -> status", .path = P_ERROR_DOC_OFFLINE,
	  .from = SESSION_ERROR, .ev = TOUCH(OK), .to = SESSION_SHOWING_STATUS, .cmds = "",
	  .check = chk_still_ready0),
	R(.name = "error (print timed out): ok -> status", .path = P_ERROR_PRINT_TIMEOUT,
	  .from = SESSION_ERROR, .ev = TOUCH(OK), .to = SESSION_SHOWING_STATUS, .cmds = ""),
	R(.name = "error: 1 ms before timeout", .path = P_ERROR_CARD, .from = SESSION_ERROR,
	  .ev = EARLY, .to = SESSION_ERROR, .error = SESSION_ERROR_CARD_UNKNOWN, .cmds = "",
	  .ignored = true),
	R(.name = "error: devices down -> out of service at the end", .path = P_ERROR_DEVICES_DOWN,
	  .from = SESSION_ERROR, .ev = TOUCH(OK), .to = SESSION_OUT_OF_SERVICE, .cmds = "end"),

	/* ---- IDLE_COUNTDOWN ---- */
	R(.name = "countdown (status): touch any", .path = P_IDLE_STATUS,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = TOUCH(ANY), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .check = chk_result_kept),
	R(.name = "countdown (status): touch keeps the page", .path = P_IDLE_STATUS_PAGE1,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = TOUCH(ANY), .to = SESSION_SHOWING_STATUS,
	  .cmds = "", .check = chk_page1),
	R(.name = "countdown (status): touch finish resumes", .path = P_IDLE_STATUS,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = TOUCH(FINISH), .to = SESSION_SHOWING_STATUS,
	  .cmds = ""),
	R(.name = "countdown (status): touch ok resumes", .path = P_IDLE_STATUS,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = TOUCH(OK), .to = SESSION_SHOWING_STATUS,
	  .cmds = ""),
	R(.name = "countdown (choosing): touch any", .path = P_IDLE_CHOOSING,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = TOUCH(ANY), .to = SESSION_CHOOSING_DOCUMENT,
	  .cmds = "", .check = chk_selected3),
	R(.name = "countdown (status): timeout", .path = P_IDLE_STATUS,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "countdown (choosing): timeout", .path = P_IDLE_CHOOSING,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "end",
	  .check = chk_countdown_gone),
	R(.name = "countdown: 1 ms before the end", .path = P_IDLE_STATUS,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = EARLY, .to = SESSION_IDLE_COUNTDOWN, .cmds = "",
	  .ignored = true, .check = chk_countdown_1s),
	R(.name = "countdown: stale lookup reply", .path = P_IDLE_STATUS,
	  .from = SESSION_IDLE_COUNTDOWN, .ev = LOOKUP(L_EMPTY), .to = SESSION_IDLE_COUNTDOWN,
	  .cmds = "", .ignored = true),

	/* ---- MAINTENANCE_LOGIN ---- */
	R(.name = "login: digit", .path = P_LOGIN, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = TOUCHI(PIN_DIGIT, 1), .to = SESSION_MAINTENANCE_LOGIN, .cmds = "",
	  .check = chk_pin_1),
	R(.name = "login: ninth digit dropped", .path = P_LOGIN_8,
	  .from = SESSION_MAINTENANCE_LOGIN, .ev = TOUCHI(PIN_DIGIT, 9),
	  .to = SESSION_MAINTENANCE_LOGIN, .cmds = "", .check = chk_pin_12345678),
	R(.name = "login: digit 10 refused", .path = P_LOGIN_3, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = TOUCHI(PIN_DIGIT, 10), .to = SESSION_MAINTENANCE_LOGIN, .cmds = "",
	  .check = chk_pin_123, .deadline = DL_ANY),
	R(.name = "login: digit -1 refused", .path = P_LOGIN_3, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = TOUCHI(PIN_DIGIT, -1), .to = SESSION_MAINTENANCE_LOGIN, .cmds = "",
	  .check = chk_pin_123, .deadline = DL_ANY),
	R(.name = "login: clear", .path = P_LOGIN_3, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = TOUCH(PIN_CLEAR), .to = SESSION_MAINTENANCE_LOGIN, .cmds = "",
	  .check = chk_pin_empty),
	R(.name = "login: enter with 3 digits", .path = P_LOGIN_3,
	  .from = SESSION_MAINTENANCE_LOGIN, .ev = TOUCH(PIN_ENTER),
	  .to = SESSION_MAINTENANCE_LOGIN, .cmds = "", .check = chk_not_pending,
	  .deadline = DL_ANY),
	R(.name = "login: enter with 4 digits", .path = P_LOGIN_4,
	  .from = SESSION_MAINTENANCE_LOGIN, .ev = TOUCH(PIN_ENTER),
	  .to = SESSION_MAINTENANCE_LOGIN, .cmds = "check-pin", .check = chk_check_pin_2468,
	  .deadline = DL_ANY),
	R(.name = "login: enter with 8 digits", .path = P_LOGIN_8,
	  .from = SESSION_MAINTENANCE_LOGIN, .ev = TOUCH(PIN_ENTER),
	  .to = SESSION_MAINTENANCE_LOGIN, .cmds = "check-pin", .check = chk_check_pin_8,
	  .deadline = DL_ANY),
	R(.name = "login: pin ok", .path = P_LOGIN_PENDING, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = PIN(OK), .to = SESSION_MAINTENANCE, .cmds = "run-diag"),
	R(.name = "login: pin wrong", .path = P_LOGIN_PENDING, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = PIN(WRONG), .to = SESSION_MAINTENANCE_LOGIN, .cmds = "", .check = chk_pin_wrong,
	  .deadline = DL_ANY),
	R(.name = "login: pin locked", .path = P_LOGIN_PENDING, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = PIN(LOCKED), .to = SESSION_MAINTENANCE_LOGIN, .cmds = "", .check = chk_pin_locked,
	  .deadline = DL_ANY),
	R(.name = "login: verdict nobody asked for", .path = P_LOGIN_4,
	  .from = SESSION_MAINTENANCE_LOGIN, .ev = PIN(OK), .to = SESSION_MAINTENANCE_LOGIN,
	  .cmds = "", .ignored = true),
	R(.name = "login: second verdict after wrong", .path = P_LOGIN_WRONG,
	  .from = SESSION_MAINTENANCE_LOGIN, .ev = PIN(OK), .to = SESSION_MAINTENANCE_LOGIN,
	  .cmds = "", .ignored = true),
	R(.name = "login: back", .path = P_LOGIN_3, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = TOUCH(BACK), .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "login: finish", .path = P_LOGIN_3, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "login: timeout", .path = P_LOGIN_3, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "login: timeout while checking", .path = P_LOGIN_PENDING,
	  .from = SESSION_MAINTENANCE_LOGIN, .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "login: 1 ms before timeout", .path = P_LOGIN, .from = SESSION_MAINTENANCE_LOGIN,
	  .ev = EARLY, .to = SESSION_MAINTENANCE_LOGIN, .cmds = "", .ignored = true),

	/* ---- MAINTENANCE ---- */
	R(.name = "maintenance: finish", .path = P_MAINT, .from = SESSION_MAINTENANCE,
	  .ev = TOUCH(FINISH), .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "maintenance: back", .path = P_MAINT, .from = SESSION_MAINTENANCE,
	  .ev = TOUCH(BACK), .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "maintenance: timeout", .path = P_MAINT, .from = SESSION_MAINTENANCE,
	  .ev = TIMEOUT, .to = SESSION_WELCOME, .cmds = "end"),
	R(.name = "maintenance: touch restarts idle", .path = P_MAINT, .from = SESSION_MAINTENANCE,
	  .ev = TOUCH(ANY), .to = SESSION_MAINTENANCE, .cmds = ""),
	R(.name = "maintenance: 1 ms before timeout", .path = P_MAINT, .from = SESSION_MAINTENANCE,
	  .ev = EARLY, .to = SESSION_MAINTENANCE, .cmds = "", .ignored = true),

	/* ---- OUT_OF_SERVICE ---- */
	R(.name = "out of service: reader back", .path = P_OOS, .from = SESSION_OUT_OF_SERVICE,
	  .ev = DEV(CARD_READER, OK), .to = SESSION_WELCOME, .cmds = ""),
	R(.name = "out of service: camera back", .path = P_OOS, .from = SESSION_OUT_OF_SERVICE,
	  .ev = DEV(CAMERA, OK), .to = SESSION_WELCOME, .cmds = "", .check = chk_camera_ok),
	R(.name = "out of service: camera degraded", .path = P_OOS, .from = SESSION_OUT_OF_SERVICE,
	  .ev = DEV(CAMERA, DEGRADED), .to = SESSION_WELCOME, .cmds = ""),
	R(.name = "out of service: printer back, still out", .path = P_OOS,
	  .from = SESSION_OUT_OF_SERVICE, .ev = DEV(RECEIPT_PRINTER, OK),
	  .to = SESSION_OUT_OF_SERVICE, .cmds = "", .deadline = DL_ANY),
	R(.name = "out of service: no timeout", .path = P_OOS, .from = SESSION_OUT_OF_SERVICE,
	  .ev = TIMEOUT, .to = SESSION_OUT_OF_SERVICE, .cmds = "", .ignored = true),
	R(.name = "out of service: stale lookup", .path = P_OOS, .from = SESSION_OUT_OF_SERVICE,
	  .ev = LOOKUP_ID(L_STD, ID_STALE), .to = SESSION_OUT_OF_SERVICE, .cmds = "",
	  .ignored = true),
};

static void run_row(void **state)
{
	const struct row *r = &rows[(uintptr_t)*state];
	struct harness h;
	struct session before;
	char got[128];

	harness_init(&h, false);
	snprintf(h.where, sizeof(h.where), "row '%s'", r->name);
	feed_path(&h, r->path);
	if (h.s.state != r->from)
		fail_msg("%s: the setup path reached %s, not %s", h.where, state_name(h.s.state),
			 state_name(r->from));

	/* Let time pass so a restarted deadline differs from a kept one. */
	const struct ev_spec step = STEP;
	feed(&h, &step);
	if (h.s.state != r->from)
		fail_msg("%s: %u ms of time left %s", h.where, STEP_MS, state_name(r->from));

	memcpy(&before, &h.s, sizeof(before));
	feed(&h, &r->ev);
	const struct session *s = &h.s;

	if (s->state != r->to)
		fail_msg("%s: state %s, expected %s", h.where, state_name(s->state),
			 state_name(r->to));
	if (r->to == SESSION_ERROR && s->error != r->error)
		fail_msg("%s: error %d (%s), expected %d (%s)", h.where, s->error,
			 session_error_to_string(s->error), r->error,
			 session_error_to_string(r->error));
	cmds_string(&h.cmds, got, sizeof(got));
	if (strcmp(got, r->cmds) != 0)
		fail_msg("%s: commands \"%s\", expected \"%s\"", h.where, got, r->cmds);

	uint64_t want = 0;
	enum deadline_want dl = r->deadline;
	if (r->ignored && dl == DL_FRESH)
		dl = DL_KEEP;
	switch (dl) {
	case DL_FRESH:
		want = timeout_of(r->to) ? s->now_ms + timeout_of(r->to) : 0;
		break;
	case DL_KEEP:
		want = before.deadline_ms;
		break;
	case DL_ANY:
		want = session_deadline(s);
		break;
	}
	if (session_deadline(s) != want)
		fail_msg("%s: deadline now+%lld, expected now+%lld", h.where,
			 (long long)(session_deadline(s) - s->now_ms),
			 (long long)(want - s->now_ms));

	if (r->ignored) {
		/* A tick moves the clock and may redraw (seconds shown), nothing
		 * else. */
		bool tick = r->ev.kind == E_TICK_EARLY || r->ev.kind == E_TICK_DEADLINE;
		before.now_ms = s->now_ms;
		if (tick) {
			before.version = s->version;
			h.changed = false;
		}
		if (h.changed || memcmp(&before, s, sizeof(before)) != 0)
			fail_msg("%s: the event should change nothing%s", h.where,
				 h.changed ? " (reported a change)" : "");
	}
	if (r->check)
		r->check(s, &h.cmds);
}

/* ---- whole flows --------------------------------------------------------- */

/* Feeds a path and records every command type, for flow checks. */
static void run_flow(struct harness *h, const struct ev_spec *path, char *log, size_t size)
{
	size_t n = strlen(log);
	for (size_t i = 0; path[i].kind != E_END_OF_PATH; i++) {
		snprintf(h->where, sizeof(h->where), "flow step %zu", i);
		feed(h, &path[i]);
		for (size_t k = 0; k < h->cmds.n && n < size; k++)
			n += (size_t)snprintf(log + n, size - n, "%s%s", n ? " " : "",
					      cmd_name(h->cmds.cmd[k].type));
	}
}

static void test_flow_card_receipt(void **state)
{
	static const struct ev_spec flow[] = {CARD_IN,
					      CARD_READ,
					      LOOKUP(L_STD),
					      STEP,
					      TOUCH(NEXT_PAGE),
					      TOUCH(PREV_PAGE),
					      TOUCH(PRINT_RECEIPT),
					      PRINTED(OK),
					      CARD_OUT,
					      TIMEOUT,
					      END_PATH};
	struct harness h;
	char log[256] = "";
	harness_init(&h, false);
	run_flow(&h, flow, log, sizeof(log));
	assert_string_equal(log, "lookup-card print-receipt end");
	assert_int_equal(h.s.state, SESSION_WELCOME);
	assert_int_equal(h.ends, 1);
	assert_true(personal_wiped(&h.s));
}

static void test_flow_qr_collect(void **state)
{
	static const struct ev_spec flow[] = {QR(Q_DOC3),  LOOKUP(L_STD), TOUCH(CONFIRM),
					      PRINTED(OK), TOUCH(FINISH), END_PATH};
	struct harness h;
	char log[256] = "";
	harness_init(&h, false);
	run_flow(&h, flow, log, sizeof(log));
	assert_string_equal(log, "lookup-qr print-document confirm-collected end");
	assert_int_equal(h.confirms, 1);
	assert_int_equal(h.ends, 1);
	assert_true(personal_wiped(&h.s));
}

/* Paper runs out: nothing is confirmed; the citizen goes back, retries,
 * and the document is confirmed once, for the job that completed. A late
 * completion of the first job changes nothing. */
static void test_flow_collect_retry(void **state)
{
	static const struct ev_spec first[] = {CARD_IN,	       CARD_READ,
					       LOOKUP(L_STD),  TOUCHI(DOCUMENT, 0),
					       TOUCH(CONFIRM), PRINTED(PAPER_OUT),
					       TOUCH(OK),      TOUCHI(DOCUMENT, 0),
					       TOUCH(CONFIRM), END_PATH};
	static const struct ev_spec late[] = {PRINTED_ID(OK, ID_PREV), END_PATH};
	static const struct ev_spec done[] = {PRINTED(OK), TOUCH(FINISH), END_PATH};
	struct harness h;
	char log[256] = "";
	harness_init(&h, false);
	run_flow(&h, first, log, sizeof(log));
	assert_string_equal(log, "lookup-card print-document print-document");
	assert_int_equal(h.s.state, SESSION_PRINTING_DOCUMENT);
	assert_int_equal(h.confirms, 0);
	assert_int_not_equal(h.jobs[0], h.jobs[1]);
	unsigned job = h.jobs[0];

	run_flow(&h, late, log, sizeof(log));
	assert_int_equal(h.s.state, SESSION_PRINTING_DOCUMENT);
	assert_int_equal(h.confirms, 0);

	feed(&h, &done[0]);
	assert_int_equal(h.cmds.n, 1);
	assert_int_equal(h.cmds.cmd[0].type, SESSION_CMD_CONFIRM_COLLECTED);
	assert_int_equal(h.cmds.cmd[0].job, job);
	assert_string_equal(h.cmds.cmd[0].text, "DOC-0");
	feed(&h, &done[1]);
	assert_int_equal(h.confirms, 1);
	assert_int_equal(h.ends, 1);
}

static void test_flow_maintenance(void **state)
{
	static const struct ev_spec flow[] = {TOUCH(MAINTENANCE),
					      TOUCHI(PIN_DIGIT, 9),
					      TOUCH(PIN_CLEAR),
					      TOUCHI(PIN_DIGIT, 2),
					      TOUCHI(PIN_DIGIT, 4),
					      TOUCHI(PIN_DIGIT, 6),
					      TOUCHI(PIN_DIGIT, 8),
					      TOUCHI(PIN_DIGIT, 1),
					      TOUCHI(PIN_DIGIT, 0),
					      TOUCH(PIN_ENTER),
					      END_PATH};
	static const struct ev_spec rest[] = {PIN(OK), STEP, TOUCH(ANY), TOUCH(FINISH), END_PATH};
	struct harness h;
	char log[256] = "";
	harness_init(&h, false);
	run_flow(&h, flow, log, sizeof(log));
	assert_int_equal(h.cmds.n, 1);
	assert_int_equal(h.cmds.cmd[0].type, SESSION_CMD_CHECK_PIN);
	assert_string_equal(h.cmds.cmd[0].text, "246810");
	assert_string_equal(h.s.personal.pin, "");
	run_flow(&h, rest, log, sizeof(log));
	assert_string_equal(log, "check-pin run-diag end");
	assert_int_equal(h.s.state, SESSION_WELCOME);
	assert_int_equal(h.s.pin_feedback, _SESSION_PIN_RESULT_INVALID);
	assert_false(h.s.pin_pending);
}

/* Maintenance: the report is asked for on entry, taken when it comes,
 * asked again by Refresh (not while one is out), and gone at the end. */
static void test_flow_maintenance_diag(void **state)
{
	const struct ev_spec *flow = P_MAINT;
	struct harness h;
	struct session_cmds c = {0};
	struct session_diag *d = calloc(1, sizeof(*d));
	struct station_event ev = {.type = STATION_EVENT_DIAG_DONE};
	struct station_event refresh = {.type = STATION_EVENT_TOUCH,
					.touch = {.button = SESSION_BUTTON_DIAG_REFRESH}};
	char log[256] = "";

	assert_non_null(d);
	harness_init(&h, false);
	run_flow(&h, flow, log, sizeof(log));
	assert_string_equal(log, "check-pin run-diag");
	assert_int_equal(h.s.state, SESSION_MAINTENANCE);
	assert_true(h.s.diag_pending);
	assert_false(h.s.have_diag);
	/* Refresh while one is out: nothing. */
	assert_false(session_handle(&h.s, &refresh, &c));
	assert_int_equal(c.n, 0);
	/* The report comes. */
	d->n = 1;
	d->verdict = 2;
	snprintf(d->sections[0].name, sizeof(d->sections[0].name), "pcscd");
	d->sections[0].verdict = 2;
	snprintf(d->sections[0].summary, sizeof(d->sections[0].summary), "pcscd is not running");
	ev.diag = d;
	assert_true(session_handle(&h.s, &ev, &c));
	assert_true(h.s.have_diag);
	assert_false(h.s.diag_pending);
	assert_int_equal(h.s.diag.n, 1);
	assert_string_equal(h.s.diag.sections[0].summary, "pcscd is not running");
	/* A second copy of it (not asked for): ignored. */
	assert_false(session_handle(&h.s, &ev, &c));
	/* Refresh: asked again, the old report shown meanwhile. */
	assert_true(session_handle(&h.s, &refresh, &c));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.cmd[0].type, SESSION_CMD_RUN_DIAG);
	assert_true(h.s.diag_pending);
	assert_true(h.s.have_diag);
	/* Leaving on idle: the report goes with the session. */
	{
		struct station_event tick = {.type = STATION_EVENT_TICK,
					     .now_ms = h.s.now_ms + timeouts.maintenance_idle_ms};

		assert_true(session_handle(&h.s, &tick, &c));
	}
	assert_int_equal(h.s.state, SESSION_WELCOME);
	assert_false(h.s.have_diag);
	assert_false(h.s.diag_pending);
	assert_int_equal(h.s.diag.n, 0);
	/* A late report after the end: ignored. */
	assert_false(session_handle(&h.s, &ev, &c));
	station_event_clear(&ev);
}

/* Maintenance: the active tests. The printers and the backend through the
 * owner (RUN_TEST -> TEST_DONE), the card reader and the camera through
 * the next card or QR code; one at a time; nothing of the card kept. */
static void maint_touch(struct harness *h, enum session_button b, int index)
{
	const struct ev_spec sp = {.kind = E_TOUCH, .a = b, .b = index};
	feed(h, &sp);
}

static void test_flow_maintenance_tests(void **state)
{
	struct harness h;
	char log[256] = "";
	unsigned id;

	harness_init(&h, false);
	run_flow(&h, P_MAINT, log, sizeof(log));
	assert_int_equal(h.s.state, SESSION_MAINTENANCE);
	assert_int_equal(h.s.tested_device, -1);

	/* The receipt printer: asked of the owner, one at a time. */
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_RECEIPT_PRINTER);
	assert_int_equal(h.cmds.n, 1);
	assert_int_equal(h.cmds.cmd[0].type, SESSION_CMD_RUN_TEST);
	assert_int_equal(h.cmds.cmd[0].job, SESSION_DEVICE_RECEIPT_PRINTER);
	id = h.cmds.cmd[0].request;
	assert_int_equal(h.s.test_device, SESSION_DEVICE_RECEIPT_PRINTER);
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_DOCUMENT_PRINTER);
	assert_false(h.changed);
	assert_int_equal(h.cmds.n, 0);
	/* An answer to another test: ignored. */
	{
		const struct ev_spec other = {.kind = E_TEST_DONE, .a = 0, .b = ID_STALE};
		feed(&h, &other);
		assert_false(h.changed);
		assert_int_equal(h.s.test_device, SESSION_DEVICE_RECEIPT_PRINTER);
	}
	{
		struct station_event ev = {.type = STATION_EVENT_TEST_DONE, .request = id};

		ev.diag = calloc(1, sizeof(*ev.diag));
		assert_non_null(ev.diag);
		ev.diag->n = 1;
		ev.diag->sections[0].verdict = 1;
		snprintf(ev.diag->sections[0].summary, sizeof(ev.diag->sections[0].summary),
			 "test page printed (5120 bytes), paper near its end");
		feed_event(&h, &ev);
	}
	assert_true(h.changed);
	assert_int_equal(h.s.test_device, -1);
	assert_int_equal(h.s.tested_device, SESSION_DEVICE_RECEIPT_PRINTER);
	assert_int_equal(h.s.test.verdict, 1);
	assert_string_equal(h.s.test.name, "receipt-printer");
	assert_string_equal(h.s.test.summary, "test page printed (5120 bytes), paper near its end");
	assert_int_equal(h.s.state, SESSION_MAINTENANCE);

	/* The card reader: the next card read is the result, no lookup, and
	 * nothing of the card is kept. */
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_CARD_READER);
	assert_int_equal(h.cmds.n, 0);
	assert_int_equal(h.s.test_device, SESSION_DEVICE_CARD_READER);
	{
		const struct ev_spec card = {.kind = E_CARD_READ};
		struct station_event_card c;

		feed(&h, &card);
		assert_int_equal(h.cmds.n, 0);
		assert_int_equal(h.s.state, SESSION_MAINTENANCE);
		assert_int_equal(h.s.tested_device, SESSION_DEVICE_CARD_READER);
		assert_int_equal(h.s.test.verdict, 0);
		assert_non_null(strstr(h.s.test.summary, "NIK and name read through the SAM"));
		fill_card(&c);
		assert_null(memmem(&h.s, sizeof(h.s), c.nik, strlen(c.nik)));
		assert_null(memmem(&h.s, sizeof(h.s), c.name, strlen(c.name)));
		assert_null(memmem(&h.s, sizeof(h.s), c.uid, c.uid_len));
	}
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_CARD_READER);
	{
		const struct ev_spec bad = {.kind = E_CARD_FAILED, .a = SESSION_ERROR_CARD_UNKNOWN};
		feed(&h, &bad);
		assert_int_equal(h.s.test.verdict, 2);
		assert_non_null(strstr(h.s.test.summary, "not an e-KTP"));
	}
	/* No card: failed after SESSION_TEST_WAIT_MS, not a millisecond early. */
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_CARD_READER);
	{
		struct station_event tick = {.type = STATION_EVENT_TICK,
					     .now_ms = h.s.now_ms + SESSION_TEST_WAIT_MS - 1};
		feed_event(&h, &tick);
		assert_int_equal(h.s.test_device, SESSION_DEVICE_CARD_READER);
		tick = (struct station_event){.type = STATION_EVENT_TICK, .now_ms = h.s.now_ms + 1};
		feed_event(&h, &tick);
		assert_int_equal(h.s.test_device, -1);
		assert_int_equal(h.s.test.verdict, 2);
		assert_non_null(strstr(h.s.test.summary, "no card read within 20 s"));
		assert_int_equal(h.s.state, SESSION_MAINTENANCE);
	}

	/* The camera: full rate while it waits, back to idle after. */
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_CAMERA);
	assert_int_equal(h.cmds.n, 1);
	assert_int_equal(h.cmds.cmd[0].type, SESSION_CMD_START_SCAN);
	{
		const struct ev_spec qr = {.kind = E_QR_REFUSED, .a = SESSION_ERROR_QR_NOT_MPP};
		feed(&h, &qr);
		assert_int_equal(h.cmds.n, 1);
		assert_int_equal(h.cmds.cmd[0].type, SESSION_CMD_STOP_SCAN);
		assert_int_equal(h.s.state, SESSION_MAINTENANCE);
		assert_int_equal(h.s.test.verdict, 0);
		assert_non_null(strstr(h.s.test.summary, "a QR code decoded"));
	}
	/* Nothing held up: degraded, as `station diag test camera` says. */
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_CAMERA);
	{
		const struct ev_spec late = {.kind = E_TICK_DEADLINE};
		feed(&h, &late);
		assert_int_equal(h.cmds.n, 1);
		assert_int_equal(h.cmds.cmd[0].type, SESSION_CMD_STOP_SCAN);
		assert_int_equal(h.s.test.verdict, 1);
		assert_int_equal(h.s.state, SESSION_MAINTENANCE);
	}
	/* A failed camera: failed at once, never switched on. */
	{
		const struct ev_spec down = {
			.kind = E_DEVICE, .a = SESSION_DEVICE_CAMERA, .b = SESSION_DEVICE_FAILED};
		feed(&h, &down);
	}
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_CAMERA);
	assert_int_equal(h.cmds.n, 0);
	assert_int_equal(h.s.test_device, -1);
	assert_int_equal(h.s.test.verdict, 2);
	/* Leaving in the middle of a camera test switches it back. */
	{
		const struct ev_spec up = {
			.kind = E_DEVICE, .a = SESSION_DEVICE_CAMERA, .b = SESSION_DEVICE_OK};
		feed(&h, &up);
	}
	maint_touch(&h, SESSION_BUTTON_DIAG_TEST, SESSION_DEVICE_CAMERA);
	maint_touch(&h, SESSION_BUTTON_FINISH, 0);
	assert_int_equal(h.cmds.n, 2);
	assert_int_equal(h.cmds.cmd[0].type, SESSION_CMD_STOP_SCAN);
	assert_int_equal(h.cmds.cmd[1].type, SESSION_CMD_END);
	assert_int_equal(h.s.state, SESSION_WELCOME);
	assert_int_equal(h.s.tested_device, -1);
	/* The fault list and back; gone with the session. */
	run_flow(&h, P_MAINT, log, sizeof(log));
	assert_int_equal(h.s.state, SESSION_MAINTENANCE);
	assert_false(h.s.show_faults);
	maint_touch(&h, SESSION_BUTTON_DIAG_FAULTS, 0);
	assert_true(h.changed);
	assert_true(h.s.show_faults);
	maint_touch(&h, SESSION_BUTTON_DIAG_FAULTS, 0);
	assert_false(h.s.show_faults);
	maint_touch(&h, SESSION_BUTTON_DIAG_FAULTS, 0);
	maint_touch(&h, SESSION_BUTTON_FINISH, 0);
	assert_int_equal(h.s.state, SESSION_WELCOME);
	assert_false(h.s.show_faults);
	/* A card on the welcome screen is a lookup again. */
	{
		const struct ev_spec card = {.kind = E_CARD_READ};
		feed(&h, &card);
		assert_int_equal(h.s.state, SESSION_LOOKING_UP);
	}
}

/* Wrong PIN, then right: each enter sends the digits typed since. */
static void test_flow_pin_retry(void **state)
{
	static const struct ev_spec flow[] = {TOUCH(MAINTENANCE),
					      TOUCHI(PIN_DIGIT, 1),
					      TOUCHI(PIN_DIGIT, 1),
					      TOUCHI(PIN_DIGIT, 1),
					      TOUCHI(PIN_DIGIT, 1),
					      TOUCH(PIN_ENTER),
					      PIN(WRONG),
					      TOUCHI(PIN_DIGIT, 5),
					      TOUCHI(PIN_DIGIT, 6),
					      TOUCHI(PIN_DIGIT, 7),
					      TOUCHI(PIN_DIGIT, 8),
					      TOUCH(PIN_ENTER),
					      END_PATH};
	struct harness h;
	char log[256] = "";
	harness_init(&h, false);
	run_flow(&h, flow, log, sizeof(log));
	assert_string_equal(log, "check-pin check-pin");
	assert_string_equal(h.cmds.cmd[0].text, "5678");
	assert_true(h.s.pin_pending);
	const struct ev_spec ok = PIN(OK);
	feed(&h, &ok);
	assert_int_equal(h.s.state, SESSION_MAINTENANCE);
}

/* Idle: countdown, resumed by a touch with a fresh idle deadline, then
 * the countdown again and the end with everything wiped. */
static void test_flow_idle(void **state)
{
	static const struct ev_spec flow[] = {TOUCH(LANGUAGE), CARD_IN, CARD_READ,
					      LOOKUP(L_STD),   TIMEOUT, END_PATH};
	struct harness h;
	char log[256] = "";
	harness_init(&h, false);
	run_flow(&h, flow, log, sizeof(log));
	assert_int_equal(h.s.state, SESSION_IDLE_COUNTDOWN);
	assert_true(h.s.personal.english);
	assert_int_equal(session_deadline(&h.s), h.s.now_ms + timeouts.countdown_ms);

	const struct ev_spec step = STEP, touch = TOUCH(ANY), timeout = TIMEOUT;
	feed(&h, &step);
	assert_int_equal(session_countdown_left_s(&h.s), (timeouts.countdown_ms - STEP_MS) / 1000);
	feed(&h, &touch);
	assert_int_equal(h.s.state, SESSION_SHOWING_STATUS);
	assert_int_equal(session_deadline(&h.s), h.s.now_ms + timeouts.idle_timeout_ms);
	assert_int_equal(session_countdown_left_s(&h.s), 0);
	feed(&h, &timeout);
	assert_int_equal(h.s.state, SESSION_IDLE_COUNTDOWN);
	feed(&h, &timeout);
	assert_int_equal(h.s.state, SESSION_WELCOME);
	assert_string_equal(log, "lookup-card");
	assert_int_equal(h.ends, 1);
	assert_false(h.s.personal.english);
	assert_true(all_zero(&h.s.personal, sizeof(h.s.personal)));
}

/* Both identification devices die during a session: it goes on, and
 * its end lands on OUT_OF_SERVICE; one coming back reopens the station. */
static void test_flow_out_of_service(void **state)
{
	static const struct ev_spec flow[] = {CARD_IN,
					      CARD_READ,
					      LOOKUP(L_STD),
					      DEV(CARD_READER, FAILED),
					      DEV(CAMERA, FAILED),
					      TOUCH(FINISH),
					      END_PATH};
	struct harness h;
	char log[256] = "";
	harness_init(&h, false);
	run_flow(&h, flow, log, sizeof(log));
	assert_string_equal(log, "lookup-card end");
	assert_int_equal(h.s.state, SESSION_OUT_OF_SERVICE);
	const struct ev_spec card = CARD_IN, back = DEV(CARD_READER, RECOVERING);
	feed(&h, &card);
	assert_int_equal(h.s.state, SESSION_OUT_OF_SERVICE);
	feed(&h, &back);
	assert_int_equal(h.s.state, SESSION_WELCOME);
}

/* ---- single functions ---------------------------------------------------- */

static void test_init(void **state)
{
	struct session s;
	memset(&s, 0xa5, sizeof(s));
	session_init(&s, &timeouts, false, T0);
	assert_int_equal(s.state, SESSION_WELCOME);
	assert_int_equal(s.now_ms, T0);
	assert_int_equal(session_deadline(&s), 0);
	assert_int_equal(s.request, 0);
	assert_int_equal(s.job, 0);
	assert_false(s.pin_pending);
	assert_true(personal_wiped(&s));
	assert_true(all_zero(&s.personal, sizeof(s.personal)));
	assert_memory_equal(&s.timeouts, &timeouts, sizeof(timeouts));
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++)
		assert_int_equal(s.devices[d], SESSION_DEVICE_OK);
	assert_true(session_can_print(&s, SESSION_PRINT_RECEIPT));
	assert_true(session_can_print(&s, SESSION_PRINT_DOCUMENT));
	assert_int_equal(session_countdown_left_s(&s), 0);
}

/* With English as the default, a session end returns to English. */
static void test_english_default(void **state)
{
	static const struct ev_spec flow[] = {TOUCH(LANGUAGE), CARD_IN, CARD_READ, LOOKUP(L_STD),
					      END_PATH};
	struct harness h;
	char log[64] = "";
	harness_init(&h, true);
	assert_true(h.s.personal.english);
	run_flow(&h, flow, log, sizeof(log));
	assert_false(h.s.personal.english);
	const struct ev_spec finish = TOUCH(FINISH);
	feed(&h, &finish);
	assert_true(h.s.personal.english);
	assert_true(personal_wiped(&h.s));
}

static void test_wipe(void **state)
{
	struct harness h;
	char log[64] = "";
	harness_init(&h, false);
	run_flow(&h, P_STATUS, log, sizeof(log));
	assert_true(h.s.personal.have_result);
	session_wipe(&h.s);
	assert_true(all_zero(&h.s.personal, sizeof(h.s.personal)));
}

static void test_can_print(void **state)
{
	static const struct {
		enum session_device_state st;
		bool can;
	} rows_[] = {
		{SESSION_DEVICE_OK, true},
		{SESSION_DEVICE_DEGRADED, true},
		{SESSION_DEVICE_FAILED, false},
		{SESSION_DEVICE_RECOVERING, false},
	};
	for (size_t i = 0; i < sizeof(rows_) / sizeof(rows_[0]); i++) {
		struct harness h;
		harness_init(&h, false);
		const struct ev_spec r = {.kind = E_DEVICE,
					  .a = SESSION_DEVICE_RECEIPT_PRINTER,
					  .b = (int)rows_[i].st};
		const struct ev_spec d = {.kind = E_DEVICE,
					  .a = SESSION_DEVICE_DOCUMENT_PRINTER,
					  .b = (int)rows_[i].st};
		feed(&h, &r);
		assert_int_equal(session_can_print(&h.s, SESSION_PRINT_RECEIPT), rows_[i].can);
		assert_true(session_can_print(&h.s, SESSION_PRINT_DOCUMENT));
		feed(&h, &d);
		assert_int_equal(session_can_print(&h.s, SESSION_PRINT_DOCUMENT), rows_[i].can);
	}
}

static void test_countdown_left(void **state)
{
	struct harness h;
	char log[64] = "";
	harness_init(&h, false);
	run_flow(&h, P_IDLE_STATUS, log, sizeof(log));
	assert_int_equal(session_countdown_left_s(&h.s), 10);
	struct station_event ev = {.type = STATION_EVENT_TICK, .now_ms = h.s.now_ms + 1};
	feed_event(&h, &ev);
	assert_int_equal(session_countdown_left_s(&h.s), 10); /* 9.999 s rounds up */
	ev = (struct station_event){.type = STATION_EVENT_TICK, .now_ms = h.s.now_ms + 999};
	feed_event(&h, &ev);
	assert_int_equal(session_countdown_left_s(&h.s), 9);
	ev = (struct station_event){.type = STATION_EVENT_TICK, .now_ms = h.s.deadline_ms - 1001};
	feed_event(&h, &ev);
	assert_int_equal(session_countdown_left_s(&h.s), 2);
}

/* A clock that jumps far past a deadline fires that one timeout once. */
static void test_late_tick(void **state)
{
	struct harness h;
	char log[64] = "";
	harness_init(&h, false);
	run_flow(&h, P_READING, log, sizeof(log));
	struct station_event ev = {.type = STATION_EVENT_TICK, .now_ms = h.s.now_ms + 86400000};
	feed_event(&h, &ev);
	assert_int_equal(h.s.state, SESSION_ERROR);
	assert_int_equal(h.s.error, SESSION_ERROR_CARD_UNREADABLE);
	assert_int_equal(session_deadline(&h.s), h.s.now_ms + timeouts.error_timeout_ms);
}

/* Failed reads in a row: "tap again" twice, then "damaged chip" for as
 * long as they keep failing; every one of those sessions ends and wipes
 * the personal data, the count goes on. A pause longer than the window
 * starts afresh; a pause of exactly the window does not. */
static void test_flow_damaged_card(void **state)
{
	static const struct ev_spec fail_once[] = {CARD_IN, CARD_FAILED(CARD_UNREADABLE), END_PATH};
	static const struct ev_spec dismiss[] = {TOUCH(OK), END_PATH};
	static const enum session_error want[] = {
		SESSION_ERROR_CARD_UNREADABLE, SESSION_ERROR_CARD_UNREADABLE,
		SESSION_ERROR_CARD_DAMAGED, SESSION_ERROR_CARD_DAMAGED};
	struct harness h;
	char log[256] = "";

	harness_init(&h, false);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		run_flow(&h, fail_once, log, sizeof(log));
		assert_int_equal(h.s.state, SESSION_ERROR);
		assert_int_equal(h.s.error, want[i]);
		run_flow(&h, dismiss, log, sizeof(log));
		assert_int_equal(h.s.state, SESSION_WELCOME);
		assert_int_equal(h.ends, i + 1);
		assert_true(personal_wiped(&h.s));
	}
	assert_string_equal(log, "end end end end");

	/* Just past the window: one failure again, not "damaged". */
	struct station_event tick = {.type = STATION_EVENT_TICK,
				     .now_ms = h.s.card_failure_ms +
					       SESSION_CARD_FAILURE_WINDOW_MS + 1};
	feed_event(&h, &tick);
	run_flow(&h, fail_once, log, sizeof(log));
	assert_int_equal(h.s.error, SESSION_ERROR_CARD_UNREADABLE);
	assert_int_equal(h.s.card_failures, 1);
	run_flow(&h, dismiss, log, sizeof(log));

	/* Exactly the window after each: still in a row. */
	for (unsigned i = 2; i <= SESSION_CARD_DAMAGED_FAILURES; i++) {
		tick.now_ms = h.s.card_failure_ms + SESSION_CARD_FAILURE_WINDOW_MS;
		feed_event(&h, &tick);
		run_flow(&h, fail_once, log, sizeof(log));
		assert_int_equal(h.s.card_failures, i);
		run_flow(&h, dismiss, log, sizeof(log));
	}
	assert_int_equal(h.s.error, SESSION_ERROR_NONE);
	run_flow(&h, fail_once, log, sizeof(log));
	assert_int_equal(h.s.error, SESSION_ERROR_CARD_DAMAGED);
}

/* Each lookup and each print gets a fresh id, never 0. */
static void test_ids(void **state)
{
	static const struct ev_spec round[] = {
		CARD_IN,     CARD_READ,	    LOOKUP(L_STD), TOUCH(PRINT_RECEIPT),
		PRINTED(OK), TOUCH(FINISH), END_PATH};
	struct harness h;
	unsigned seen[64];
	size_t n = 0;
	char log[1024] = "";
	harness_init(&h, false);
	for (int i = 0; i < 32; i++) {
		run_flow(&h, round, log, sizeof(log));
		seen[n++] = h.requests[0];
		seen[n++] = h.jobs[0];
	}
	for (size_t i = 0; i < n; i++) {
		assert_int_not_equal(seen[i], 0);
		for (size_t k = i + 1; k < n; k++)
			assert_int_not_equal(seen[i], seen[k]);
	}
	assert_int_equal(h.ends, 32);
}

static void test_strings(void **state)
{
	static const char *const states[] = {"welcome",
					     "reading-card",
					     "scanning-qr",
					     "looking-up",
					     "showing-status",
					     "choosing-document",
					     "printing-receipt",
					     "printing-document",
					     "done",
					     "error",
					     "idle-countdown",
					     "maintenance-login",
					     "maintenance",
					     "out-of-service"};
	static const char *const errors[] = {"none",
					     "card-unreadable",
					     "card-unknown",
					     "card-damaged",
					     "qr-invalid",
					     "qr-expired",
					     "qr-not-mpp",
					     "not-found",
					     "backend-unreachable",
					     "printer-paper-out",
					     "printer-cover-open",
					     "printer-offline",
					     "print-failed"};
	static const char *const buttons[] = {
		"any",	    "scan-qr",	    "print-receipt", "document",   "confirm",
		"back",	    "finish",	    "next-page",     "prev-page",  "language",
		"ok",	    "maintenance",  "pin-digit",     "pin-clear",  "pin-enter",
		"contrast", "diag-refresh", "diag-test",     "diag-faults"};
	static const char *const devices[] = {"card-reader", "camera", "receipt-printer",
					      "document-printer", "backend"};
	assert_int_equal(sizeof(states) / sizeof(states[0]), _SESSION_STATE_MAX);
	assert_int_equal(sizeof(errors) / sizeof(errors[0]), _SESSION_ERROR_MAX);
	assert_int_equal(sizeof(buttons) / sizeof(buttons[0]), _SESSION_BUTTON_MAX);
	assert_int_equal(sizeof(devices) / sizeof(devices[0]), _SESSION_DEVICE_MAX);

	for (int i = 0; i < _SESSION_STATE_MAX; i++)
		assert_string_equal(session_state_to_string((enum session_state)i), states[i]);
	for (int i = 0; i < _SESSION_ERROR_MAX; i++)
		assert_string_equal(session_error_to_string((enum session_error)i), errors[i]);
	for (int i = 0; i < _SESSION_BUTTON_MAX; i++) {
		assert_string_equal(session_button_to_string((enum session_button)i), buttons[i]);
		assert_int_equal(session_button_from_string(buttons[i]), i);
	}
	for (int i = 0; i < _SESSION_DEVICE_MAX; i++) {
		assert_string_equal(session_device_to_string((enum session_device)i), devices[i]);
		assert_int_equal(session_device_from_string(devices[i]), i);
	}
	for (int i = 0; i < _SESSION_STAGE_MAX; i++) {
		const char *n = session_stage_to_string((enum session_stage)i);
		assert_non_null(n);
		assert_int_equal(session_stage_from_string(n), i);
	}
	for (int i = 0; i < _SESSION_PRINT_RESULT_MAX; i++)
		assert_non_null(session_print_result_to_string((enum session_print_result)i));
	for (int i = 0; i < _SESSION_PIN_RESULT_MAX; i++)
		assert_non_null(session_pin_result_to_string((enum session_pin_result)i));
	for (int i = 0; i < _SESSION_DEVICE_STATE_MAX; i++)
		assert_non_null(session_device_state_to_string((enum session_device_state)i));
	for (int i = 0; i < _SESSION_CMD_TYPE_MAX; i++)
		assert_non_null(session_cmd_type_to_string((enum session_cmd_type)i));

	assert_null(session_state_to_string(_SESSION_STATE_MAX));
	assert_null(session_state_to_string(_SESSION_STATE_INVALID));
	assert_null(session_error_to_string(_SESSION_ERROR_MAX));
	assert_null(session_button_to_string(_SESSION_BUTTON_INVALID));
	assert_null(session_cmd_type_to_string(_SESSION_CMD_TYPE_MAX));
	assert_int_equal(session_button_from_string("prnt-receipt"), _SESSION_BUTTON_INVALID);
	assert_int_equal(session_button_from_string(""), _SESSION_BUTTON_INVALID);
	assert_int_equal(session_device_from_string("printer"), _SESSION_DEVICE_INVALID);
	assert_int_equal(session_stage_from_string("READY"), _SESSION_STAGE_INVALID);
}

/* ---- randomised ---------------------------------------------------------- */

/* xorshift64*: small, seeded, the same on every machine. */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ULL;
}

static unsigned below(uint64_t *x, unsigned n)
{
	return (unsigned)(rnd(x) % n);
}

static void random_event(struct harness *h, uint64_t *x, struct station_event *ev)
{
	struct ev_spec sp = {0};
	unsigned k = below(x, 100);
	/* Half the time in the PIN pad, type like a technician would, or
	 * no walk would ever get past it. */
	if (h->s.state == SESSION_MAINTENANCE_LOGIN && below(x, 2)) {
		if (h->s.pin_pending) {
			sp.kind = E_PIN_RESULT;
			sp.a = (int)below(x, _SESSION_PIN_RESULT_MAX);
		} else {
			sp.kind = E_TOUCH;
			sp.a = below(x, 5) ? SESSION_BUTTON_PIN_DIGIT : SESSION_BUTTON_PIN_ENTER;
			sp.b = (int)below(x, 10);
		}
		build_event(h, &sp, ev);
		return;
	}
	/* Likewise, now and then, the reply or touch a state waits for. */
	if ((h->s.state == SESSION_PRINTING_RECEIPT || h->s.state == SESSION_PRINTING_DOCUMENT) &&
	    below(x, 3) == 0) {
		sp = (struct ev_spec){.kind = E_PRINT_DONE, .a = SESSION_PRINT_OK, .b = ID_LAST};
		build_event(h, &sp, ev);
		return;
	}
	/* On the maintenance screen, tests and their answers. */
	if (h->s.state == SESSION_MAINTENANCE && below(x, 3) == 0) {
		if (h->s.test_id && below(x, 2))
			sp = (struct ev_spec){
				.kind = E_TEST_DONE, .a = (int)below(x, 3), .b = (int)below(x, 3)};
		else
			sp = (struct ev_spec){.kind = E_TOUCH,
					      .a = SESSION_BUTTON_DIAG_TEST,
					      .b = (int)below(x, _SESSION_DEVICE_MAX + 1)};
		build_event(h, &sp, ev);
		return;
	}
	if (h->s.state == SESSION_CHOOSING_DOCUMENT && below(x, 4) == 0) {
		sp = (struct ev_spec){.kind = E_TOUCH, .a = SESSION_BUTTON_CONFIRM, .b = -1};
		build_event(h, &sp, ev);
		return;
	}
	if (k < 25) {
		unsigned t = below(x, 4);
		sp.kind = t == 0 ? E_TICK_DEADLINE : t == 1 ? E_TICK_EARLY : E_TICK_STEP;
		if (t == 3) {
			build_event(h, &sp, ev);
			ev->now_ms = h->s.now_ms + below(x, 150000);
			return;
		}
	} else if (k < 55) {
		sp.kind = E_TOUCH;
		sp.a = (int)below(x, _SESSION_BUTTON_MAX);
		unsigned i = below(x, 10);
		sp.b = i < 8 ? (int)below(x, 10) : i == 8 ? -1 : 1000;
	} else if (k < 60) {
		sp.kind = E_CARD_INSERTED;
	} else if (k < 64) {
		sp.kind = E_CARD_READ;
	} else if (k < 67) {
		sp.kind = E_CARD_FAILED;
		sp.a = below(x, 2) ? SESSION_ERROR_CARD_UNKNOWN : SESSION_ERROR_CARD_UNREADABLE;
	} else if (k < 70) {
		sp.kind = E_CARD_REMOVED;
	} else if (k < 74) {
		sp.kind = E_QR_TOKEN;
		sp.a = (int)below(x, 4);
	} else if (k < 76) {
		sp.kind = E_QR_REFUSED;
		sp.a = SESSION_ERROR_QR_INVALID + (int)below(x, 3);
	} else if (k < 83) {
		sp.kind = E_LOOKUP_DONE;
		sp.a = (int)below(x, 4);
		sp.b = (int)below(x, 3);
	} else if (k < 86) {
		sp.kind = E_LOOKUP_FAILED;
		sp.a = below(x, 2) ? SESSION_ERROR_BACKEND_UNREACHABLE : SESSION_ERROR_NOT_FOUND;
		sp.b = (int)below(x, 3);
	} else if (k < 93) {
		sp.kind = E_PRINT_DONE;
		sp.a = below(x, 2) ? SESSION_PRINT_OK : (int)below(x, _SESSION_PRINT_RESULT_MAX);
		sp.b = (int)below(x, 3);
	} else if (k < 97) {
		sp.kind = E_PIN_RESULT;
		sp.a = (int)below(x, _SESSION_PIN_RESULT_MAX);
	} else if (k < 99) {
		sp.kind = E_DEVICE;
		sp.a = (int)below(x, _SESSION_DEVICE_MAX);
		sp.b = below(x, 3) ? SESSION_DEVICE_OK : (int)below(x, _SESSION_DEVICE_STATE_MAX);
	} else {
		sp.kind = E_QUIT;
	}
	build_event(h, &sp, ev);
}

static void test_random(void **state)
{
	static const uint64_t seeds[] = {0x9e3779b97f4a7c15ULL, 42, 20260302};
	unsigned visits[_SESSION_STATE_MAX] = {0};
	for (size_t si = 0; si < sizeof(seeds) / sizeof(seeds[0]); si++) {
		uint64_t x = seeds[si];
		struct harness h;
		harness_init(&h, si == 1);
		h.s.apps_per_page = 1 + (unsigned)si * 2;
		unsigned events = si == 0 ? 100000 : 20000;
		for (unsigned i = 0; i < events; i++) {
			struct station_event ev;
			snprintf(h.where, sizeof(h.where), "random seed %zu event %u", si, i);
			random_event(&h, &x, &ev);
			feed_event(&h, &ev);
			visits[h.s.state]++;
		}
		/* The walk collected documents and ended sessions, or it
		 * proved little. */
		assert_true(h.confirms > 0);
		assert_true(h.ends > 0);
		if (si == 0)
			for (int d = 0; d < _SESSION_DEVICE_MAX; d++)
				if (h.tested[d] == 0)
					fail_msg("random walk never finished a test of %s",
						 session_device_to_string((enum session_device)d));
	}
	/* The walk went everywhere, or the invariants proved little. */
	for (int st = 0; st < _SESSION_STATE_MAX; st++)
		if (visits[st] == 0)
			fail_msg("random walk never reached %s",
				 state_name((enum session_state)st));
}

int main(void)
{
	size_t n_rows = sizeof(rows) / sizeof(rows[0]);
	static const struct CMUnitTest others[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_english_default),
		cmocka_unit_test(test_wipe),
		cmocka_unit_test(test_can_print),
		cmocka_unit_test(test_countdown_left),
		cmocka_unit_test(test_late_tick),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_flow_card_receipt),
		cmocka_unit_test(test_flow_qr_collect),
		cmocka_unit_test(test_flow_collect_retry),
		cmocka_unit_test(test_flow_maintenance),
		cmocka_unit_test(test_flow_maintenance_diag),
		cmocka_unit_test(test_flow_maintenance_tests),
		cmocka_unit_test(test_flow_pin_retry),
		cmocka_unit_test(test_flow_idle),
		cmocka_unit_test(test_flow_out_of_service),
		cmocka_unit_test(test_flow_damaged_card),
		cmocka_unit_test(test_random),
	};
	size_t n_others = sizeof(others) / sizeof(others[0]);
	struct CMUnitTest *tests = calloc(n_rows + n_others, sizeof(*tests));
	if (!tests)
		return 1;
	/* One cmocka test per row, named after it, so every disagreement
	 * shows at once. */
	for (size_t i = 0; i < n_rows; i++)
		tests[i] = (struct CMUnitTest){.name = rows[i].name,
					       .test_func = run_row,
					       .initial_state = (void *)(uintptr_t)i};
	memcpy(tests + n_rows, others, sizeof(others));
	int failed = _cmocka_run_group_tests("session", tests, n_rows + n_others, NULL, NULL);
	free(tests);
	return failed;
}
