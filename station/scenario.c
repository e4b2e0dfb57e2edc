/* SPDX-License-Identifier: MIT */
/*
 * The scenario parser (format in scenario.h).
 *
 * A scenario file is written by hand and run unattended, so the parser is
 * strict: every word is checked (names against the session's own
 * *_to_string tables, numbers against ranges, extra words refused) and the
 * first problem is reported with its line. It is also hostile input for the
 * fuzzer, so every length is bounded before anything is copied.
 *
 * Comments: a '#' at the start of a word starts a comment that runs to the
 * end of the line. The one exception is `show-qr text`, whose payload is
 * the rest of the line verbatim (payloads such as URLs may hold '#'), with
 * trailing blanks removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "scenario.h"
#include "session.h"

#define MAX_STEPS      100000
#define LINE_MAX_BYTES 2048 /* > SCENARIO_ARG_MAX plus the words before */
#define MAX_WORDS      8
#define MAX_WAIT_MS    (3600ULL * 1000ULL)
#define MAX_SLOW_MS    (3600ULL * 1000ULL)
#define MAX_COUNT      100000U
#define MAX_FILE_BYTES (16U * 1024U * 1024U)
#define QUOTE_MAX      40 /* bytes of a bad word quoted in a message */

static const char *const op_names[_SCENARIO_OP_MAX] = {
	[SCENARIO_TAP_CARD] = "tap-card",
	[SCENARIO_REMOVE_CARD] = "remove-card",
	[SCENARIO_SHOW_QR] = "show-qr",
	[SCENARIO_TOUCH] = "touch",
	[SCENARIO_TYPE_PIN] = "type-pin",
	[SCENARIO_WAIT] = "wait",
	[SCENARIO_PRINTER] = "printer",
	[SCENARIO_UNPLUG] = "unplug",
	[SCENARIO_PLUG] = "plug",
	[SCENARIO_BACKEND] = "backend",
	[SCENARIO_EXPECT_SCREEN] = "expect-screen",
	[SCENARIO_EXPECT_ERROR] = "expect-error",
	[SCENARIO_EXPECT_PRINTED] = "expect-printed",
	[SCENARIO_EXPECT_CONFIRMED] = "expect-confirmed",
	[SCENARIO_EXPECT_TEST] = "expect-test",
};

static const char *const verdict_names[] = {"ok", "degraded", "failed"};

static const char *const qr_kind_names[] = {
	[SCENARIO_QR_ISSUE] = "issue",	 [SCENARIO_QR_EXPIRED] = "expired",
	[SCENARIO_QR_FORGED] = "forged", [SCENARIO_QR_TEXT] = "text",
	[SCENARIO_QR_FILE] = "file",
};

static const char *const condition_names[] = {
	[SCENARIO_PRINTER_OK] = "ok",
	[SCENARIO_PRINTER_PAPER_OUT] = "paper-out",
	[SCENARIO_PRINTER_PAPER_LOW] = "paper-low",
	[SCENARIO_PRINTER_COVER_OPEN] = "cover-open",
	[SCENARIO_PRINTER_OFFLINE] = "offline",
};

static const char *const backend_names[] = {
	[SCENARIO_BACKEND_UP] = "up",
	[SCENARIO_BACKEND_DOWN] = "down",
	[SCENARIO_BACKEND_SLOW] = "slow",
	[SCENARIO_BACKEND_CORRUPT] = "corrupt",
};

static const char *const print_kind_names[_SESSION_PRINT_KIND_MAX] = {
	[SESSION_PRINT_RECEIPT] = "receipt",
	[SESSION_PRINT_DOCUMENT] = "document",
};

const char *scenario_op_to_string(enum scenario_op op)
{
	if (op < 0 || op >= _SCENARIO_OP_MAX)
		return NULL;
	return op_names[op];
}

/* One line cut into words. Words point into the line buffer. */
struct line {
	char *words[MAX_WORDS];
	size_t n_words;
	bool too_many_words;
	const char *rest_after[MAX_WORDS]; /* raw text after word i's blanks */
};

struct parser {
	struct scenario_error *err;
	unsigned line;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies at most QUOTE_MAX bytes of w into buf for a message, replacing
 * anything unprintable so an error message is always one clean line. */
static void quote(const char *w, char *buf, size_t size)
{
	size_t n = 0;
	for (; w[n] && n < QUOTE_MAX && n + 4 < size; n++) {
		unsigned char c = (unsigned char)w[n];
		buf[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (w[n] && n + 4 < size) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

__attribute__((format(printf, 2, 3))) static int fail(struct parser *p, const char *fmt, ...)
{
	if (p->err) {
		int n = snprintf(p->err->message, sizeof(p->err->message), "line %u: ", p->line);
		if (n < 0)
			n = 0;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err->message + n, sizeof(p->err->message) - (size_t)n, fmt, ap);
		va_end(ap);
		p->err->line = p->line;
	}
	return -EINVAL;
}

/* Index of w in names[0..n), or -1. */
static int lookup_name(const char *const *names, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], w) == 0)
			return (int)i;
	return -1;
}

/* Parses an unsigned decimal of at most 9 digits ("007" is fine, "+7",
 * "-1", "0x7", " 7" are not) no larger than max. */
static int parse_uint(const char *w, unsigned long max, unsigned long *ret)
{
	unsigned long v = 0;
	size_t n = 0;
	for (; w[n]; n++) {
		if (w[n] < '0' || w[n] > '9' || n >= 9)
			return -EINVAL;
		v = v * 10 + (unsigned long)(w[n] - '0');
	}
	if (n == 0)
		return -EINVAL;
	if (v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* Seconds with up to three decimals ("2", "0.5", "1.250") to ms. */
static int parse_seconds(const char *w, uint64_t *ret_ms)
{
	uint64_t whole = 0, frac = 0;
	size_t n = 0;
	for (; w[n] >= '0' && w[n] <= '9'; n++) {
		if (n >= 7)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(w[n] - '0');
	}
	if (n == 0)
		return -EINVAL;
	if (w[n] == '.') {
		const char *f = w + n + 1;
		size_t k = 0;
		for (; f[k] >= '0' && f[k] <= '9'; k++) {
			if (k >= 3)
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(f[k] - '0');
		}
		if (k == 0 || f[k] != '\0')
			return -EINVAL;
		for (; k < 3; k++)
			frac *= 10;
	} else if (w[n] != '\0') {
		return -EINVAL;
	}
	uint64_t ms = whole * 1000 + frac;
	if (ms > MAX_WAIT_MS)
		return -ERANGE;
	*ret_ms = ms;
	return 0;
}

/* Names of demo cards and ids of applications: letters, digits, '-', '_',
 * '.', as the demo data uses; anything else is most likely a typo. */
static bool is_name(const char *w, size_t max)
{
	size_t n = 0;
	for (; w[n]; n++) {
		char c = w[n];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
		if (!ok || n >= max)
			return false;
	}
	return n > 0;
}

static int copy_arg(struct parser *p, struct scenario_step *st, const char *what, const char *w,
		    size_t len)
{
	if (len == 0)
		return fail(p, "%s is empty", what);
	if (len >= SCENARIO_ARG_MAX)
		return fail(p, "%s is too long (%zu bytes, at most %d)", what, len,
			    SCENARIO_ARG_MAX - 1);
	memcpy(st->arg, w, len);
	st->arg[len] = '\0';
	return 0;
}

/* Checks the number of words: op plus between min and max arguments. */
static int want_args(struct parser *p, const struct line *l, size_t min, size_t max,
		     const char *usage)
{
	size_t n = l->n_words - 1;
	if (n < min)
		return fail(p, "%s: missing argument (usage: %s)", l->words[0], usage);
	if (n > max || l->too_many_words) {
		char q[QUOTE_MAX + 8];
		quote(l->words[max + 1], q, sizeof(q));
		return fail(p, "%s: unexpected '%s' (usage: %s)", l->words[0], q, usage);
	}
	return 0;
}

static int parse_state(struct parser *p, const char *w, enum session_state *ret)
{
	for (int i = 0; i < _SESSION_STATE_MAX; i++) {
		const char *name = session_state_to_string((enum session_state)i);
		if (name && strcmp(name, w) == 0) {
			*ret = (enum session_state)i;
			return 0;
		}
	}
	char q[QUOTE_MAX + 8];
	quote(w, q, sizeof(q));
	return fail(p, "unknown screen '%s'", q);
}

static int parse_error_name(struct parser *p, const char *w, enum session_error *ret)
{
	for (int i = 0; i < _SESSION_ERROR_MAX; i++) {
		const char *name = session_error_to_string((enum session_error)i);
		if (name && strcmp(name, w) == 0) {
			*ret = (enum session_error)i;
			return 0;
		}
	}
	char q[QUOTE_MAX + 8];
	quote(w, q, sizeof(q));
	return fail(p, "unknown error '%s'", q);
}

static int parse_device(struct parser *p, const char *w, enum session_device *ret)
{
	char q[QUOTE_MAX + 8];
	enum session_device d = session_device_from_string(w);
	if (d < 0 || d >= _SESSION_DEVICE_MAX) {
		quote(w, q, sizeof(q));
		return fail(p, "unknown device '%s'", q);
	}
	/* The backend is not plugged: it has its own `backend down|up`. */
	if (d == SESSION_DEVICE_BACKEND)
		return fail(p, "device 'backend' cannot be unplugged or plugged (use 'backend "
			       "down' / 'backend up')");
	*ret = d;
	return 0;
}

static int parse_print_kind(struct parser *p, const char *w, enum session_print_kind *ret)
{
	int k = lookup_name(print_kind_names, ELEMENTSOF(print_kind_names), w);
	if (k < 0) {
		char q[QUOTE_MAX + 8];
		quote(w, q, sizeof(q));
		return fail(p, "unknown printer '%s' (receipt or document)", q);
	}
	*ret = (enum session_print_kind)k;
	return 0;
}

static int parse_count(struct parser *p, const char *w, unsigned *ret)
{
	unsigned long v;
	if (parse_uint(w, MAX_COUNT, &v) < 0) {
		char q[QUOTE_MAX + 8];
		quote(w, q, sizeof(q));
		return fail(p, "bad count '%s' (a whole number 0..%u)", q, MAX_COUNT);
	}
	*ret = (unsigned)v;
	return 0;
}

static int parse_touch(struct parser *p, const struct line *l, struct scenario_step *st)
{
	char q[QUOTE_MAX + 8];
	int r = want_args(p, l, 1, 2, "touch BUTTON [INDEX]");
	if (r < 0)
		return r;
	enum session_button b = session_button_from_string(l->words[1]);
	if (b < 0 || b >= _SESSION_BUTTON_MAX) {
		quote(l->words[1], q, sizeof(q));
		return fail(p, "unknown button '%s'", q);
	}
	st->button = b;

	unsigned long max;
	if (b == SESSION_BUTTON_DIAG_TEST) {
		enum session_device d;

		if (l->n_words < 3)
			return fail(p, "button 'diag-test' needs a device");
		d = session_device_from_string(l->words[2]);
		if (d < 0 || d >= _SESSION_DEVICE_MAX) {
			quote(l->words[2], q, sizeof(q));
			return fail(p, "unknown device '%s'", q);
		}
		st->index = (int)d;
		return 0;
	}
	if (b == SESSION_BUTTON_DOCUMENT)
		max = SESSION_MAX_APPS - 1;
	else if (b == SESSION_BUTTON_PIN_DIGIT)
		max = 9;
	else if (l->n_words > 2)
		return fail(p, "button '%s' takes no index", l->words[1]);
	else
		return 0;

	if (l->n_words < 3)
		return fail(p, "button '%s' needs an index (0..%lu)", l->words[1], max);
	unsigned long v;
	if (parse_uint(l->words[2], max, &v) < 0) {
		quote(l->words[2], q, sizeof(q));
		return fail(p, "bad index '%s' for button '%s' (0..%lu)", q, l->words[1], max);
	}
	st->index = (int)v;
	return 0;
}

static int parse_show_qr(struct parser *p, const struct line *l, struct scenario_step *st)
{
	char q[QUOTE_MAX + 8];
	if (l->n_words < 2)
		return fail(p, "show-qr: missing argument (usage: show-qr "
			       "issue|expired|forged|text|file ...)");
	int k = lookup_name(qr_kind_names, ELEMENTSOF(qr_kind_names), l->words[1]);
	if (k < 0) {
		quote(l->words[1], q, sizeof(q));
		return fail(p, "show-qr: unknown kind '%s' (issue, expired, forged, text, file)",
			    q);
	}
	st->qr_kind = (enum scenario_qr_kind)k;

	if (st->qr_kind == SCENARIO_QR_TEXT) {
		const char *rest = l->rest_after[1];
		size_t len = strlen(rest);
		while (len > 0 && is_blank(rest[len - 1]))
			len--;
		if (len == 0)
			return fail(p, "show-qr text: missing payload");
		return copy_arg(p, st, "show-qr text: payload", rest, len);
	}

	int r = want_args(p, l, 2, 2,
			  st->qr_kind == SCENARIO_QR_FILE ? "show-qr file PATH"
							  : "show-qr issue|expired|forged APP-ID");
	if (r < 0)
		return r;
	const char *w = l->words[2];
	if (st->qr_kind == SCENARIO_QR_FILE)
		return copy_arg(p, st, "show-qr file: path", w, strlen(w));
	if (!is_name(w, SESSION_ID_MAX)) {
		quote(w, q, sizeof(q));
		return fail(p,
			    "show-qr: bad application id '%s' (letters, digits, '-', '_', "
			    "'.'; at most %d)",
			    q, SESSION_ID_MAX);
	}
	return copy_arg(p, st, "application id", w, strlen(w));
}

static int parse_step(struct parser *p, const struct line *l, struct scenario_step *st)
{
	char q[QUOTE_MAX + 8];
	const char *op = l->words[0];
	int k = lookup_name(op_names, _SCENARIO_OP_MAX, op);
	if (k < 0) {
		quote(op, q, sizeof(q));
		return fail(p, "unknown step '%s'", q);
	}
	st->op = (enum scenario_op)k;

	int r;
	switch (st->op) {
	case SCENARIO_TAP_CARD:
		r = want_args(p, l, 1, 1, "tap-card NAME");
		if (r < 0)
			return r;
		if (!is_name(l->words[1], SCENARIO_ARG_MAX - 1)) {
			quote(l->words[1], q, sizeof(q));
			return fail(p, "tap-card: bad card name '%s'", q);
		}
		return copy_arg(p, st, "card name", l->words[1], strlen(l->words[1]));

	case SCENARIO_REMOVE_CARD:
		return want_args(p, l, 0, 0, "remove-card");

	case SCENARIO_SHOW_QR:
		return parse_show_qr(p, l, st);

	case SCENARIO_TOUCH:
		return parse_touch(p, l, st);

	case SCENARIO_TYPE_PIN: {
		r = want_args(p, l, 1, 1, "type-pin DIGITS");
		if (r < 0)
			return r;
		const char *w = l->words[1];
		size_t n = 0;
		for (; w[n]; n++)
			if (w[n] < '0' || w[n] > '9' || n >= SESSION_PIN_MAX)
				return fail(p, "type-pin: the PIN must be 1 to %d digits",
					    SESSION_PIN_MAX);
		return copy_arg(p, st, "PIN", w, n);
	}

	case SCENARIO_WAIT:
		r = want_args(p, l, 1, 1, "wait SECONDS");
		if (r < 0)
			return r;
		if (parse_seconds(l->words[1], &st->ms) < 0) {
			quote(l->words[1], q, sizeof(q));
			return fail(p,
				    "wait: bad duration '%s' (seconds 0..3600, up to 3 "
				    "decimals, as 0.5)",
				    q);
		}
		return 0;

	case SCENARIO_PRINTER: {
		r = want_args(p, l, 2, 2, "printer receipt|document CONDITION");
		if (r < 0)
			return r;
		r = parse_print_kind(p, l->words[1], &st->printer);
		if (r < 0)
			return r;
		int c = lookup_name(condition_names, ELEMENTSOF(condition_names), l->words[2]);
		if (c < 0) {
			quote(l->words[2], q, sizeof(q));
			return fail(p,
				    "unknown printer condition '%s' (paper-out, paper-low, "
				    "cover-open, offline, ok)",
				    q);
		}
		st->printer_condition = (enum scenario_printer_condition)c;
		return 0;
	}

	case SCENARIO_UNPLUG:
	case SCENARIO_PLUG:
		r = want_args(p, l, 1, 1,
			      st->op == SCENARIO_PLUG ? "plug DEVICE" : "unplug DEVICE");
		if (r < 0)
			return r;
		return parse_device(p, l->words[1], &st->device);

	case SCENARIO_BACKEND: {
		r = want_args(p, l, 1, 2, "backend down|up|corrupt|slow MS");
		if (r < 0)
			return r;
		int m = lookup_name(backend_names, ELEMENTSOF(backend_names), l->words[1]);
		if (m < 0) {
			quote(l->words[1], q, sizeof(q));
			return fail(p, "unknown backend mode '%s' (down, up, corrupt, slow MS)", q);
		}
		st->backend_mode = (enum scenario_backend_mode)m;
		if (st->backend_mode != SCENARIO_BACKEND_SLOW) {
			if (l->n_words > 2)
				return fail(p, "backend %s takes no argument", l->words[1]);
			return 0;
		}
		if (l->n_words < 3)
			return fail(p, "backend slow: missing delay in ms");
		unsigned long v;
		if (parse_uint(l->words[2], MAX_SLOW_MS, &v) < 0 || v == 0) {
			quote(l->words[2], q, sizeof(q));
			return fail(p, "backend slow: bad delay '%s' (ms, 1..%llu)", q,
				    (unsigned long long)MAX_SLOW_MS);
		}
		st->ms = v;
		return 0;
	}

	case SCENARIO_EXPECT_SCREEN:
		r = want_args(p, l, 1, 1, "expect-screen STATE");
		if (r < 0)
			return r;
		return parse_state(p, l->words[1], &st->state);

	case SCENARIO_EXPECT_ERROR:
		r = want_args(p, l, 1, 1, "expect-error ERROR");
		if (r < 0)
			return r;
		return parse_error_name(p, l->words[1], &st->error);

	case SCENARIO_EXPECT_PRINTED:
		r = want_args(p, l, 2, 2, "expect-printed receipt|document N");
		if (r < 0)
			return r;
		r = parse_print_kind(p, l->words[1], &st->printer);
		if (r < 0)
			return r;
		return parse_count(p, l->words[2], &st->count);

	case SCENARIO_EXPECT_CONFIRMED:
		r = want_args(p, l, 1, 1, "expect-confirmed N");
		if (r < 0)
			return r;
		return parse_count(p, l->words[1], &st->count);

	case SCENARIO_EXPECT_TEST: {
		enum session_device d;
		int v;

		r = want_args(p, l, 2, 2, "expect-test DEVICE ok|degraded|failed");
		if (r < 0)
			return r;
		d = session_device_from_string(l->words[1]);
		if (d < 0 || d >= _SESSION_DEVICE_MAX) {
			quote(l->words[1], q, sizeof(q));
			return fail(p, "unknown device '%s'", q);
		}
		v = lookup_name(verdict_names, ELEMENTSOF(verdict_names), l->words[2]);
		if (v < 0) {
			quote(l->words[2], q, sizeof(q));
			return fail(p, "unknown verdict '%s' (ok, degraded, failed)", q);
		}
		st->device = d;
		st->count = (unsigned)v;
		return 0;
	}

	case _SCENARIO_OP_MAX:
	case _SCENARIO_OP_INVALID:
		break;
	}
	return fail(p, "unknown step");
}

/* Cuts buf (NUL-terminated, no '\n') into words in place. Stops at a '#'
 * that starts a word. rest_after[i] keeps the raw text after word i and
 * its blanks, read before any NUL is written there. */
static void split(char *buf, struct line *l)
{
	char *c = buf;
	l->n_words = 0;
	l->too_many_words = false;
	for (;;) {
		while (is_blank(*c))
			c++;
		if (l->n_words > 0)
			l->rest_after[l->n_words - 1] = c;
		if (*c == '\0' || *c == '#')
			break;
		if (l->n_words == MAX_WORDS) {
			l->too_many_words = true;
			break;
		}
		l->words[l->n_words++] = c;
		while (*c && !is_blank(*c))
			c++;
		if (*c == '\0') {
			l->rest_after[l->n_words - 1] = c;
			break;
		}
		*c++ = '\0';
	}
}

/* The payload of `show-qr text` is raw: split() ends words at NULs it
 * wrote, so rebuild the rest of the line from the original text. */
static void fix_rest(const char *orig, const char *buf, struct line *l)
{
	for (size_t i = 0; i < l->n_words; i++)
		l->rest_after[i] = orig + (l->rest_after[i] - buf);
}

static int grow(struct scenario *s, size_t *cap)
{
	if (s->n_steps < *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 16;
	if (n > MAX_STEPS)
		n = MAX_STEPS;
	struct scenario_step *steps = realloc(s->steps, n * sizeof(*steps));
	if (!steps)
		return -ENOMEM;
	s->steps = steps;
	*cap = n;
	return 0;
}

int scenario_parse(const char *buf, size_t len, struct scenario **ret_scenario,
		   struct scenario_error *err)
{
	struct parser p = {.err = err};
	struct scenario *s = NULL;
	size_t cap = 0;
	int r;

	if (err)
		*err = (struct scenario_error){0};
	if (!buf && len > 0)
		return -EINVAL;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;

	/* Two copies of the line: split() writes NULs into one, the raw text
	 * of `show-qr text` is read from the other. */
	char orig[LINE_MAX_BYTES + 1], work[LINE_MAX_BYTES + 1];
	size_t pos = 0;
	while (pos < len) {
		p.line++;
		const char *start = buf + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		pos += n + (nl ? 1 : 0);
		if (n > 0 && start[n - 1] == '\r')
			n--;
		if (n > LINE_MAX_BYTES) {
			r = fail(&p, "line too long (%zu bytes, at most %d)", n, LINE_MAX_BYTES);
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)start[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				r = fail(&p, "control character 0x%02x at column %zu", c, i + 1);
				goto out;
			}
		}
		memcpy(orig, start, n);
		orig[n] = '\0';
		memcpy(work, orig, n + 1);

		struct line l = {0};
		split(work, &l);
		if (l.n_words == 0)
			continue;
		fix_rest(orig, work, &l);

		if (s->n_steps >= MAX_STEPS) {
			fail(&p, "too many steps (at most %d)", MAX_STEPS);
			r = -E2BIG;
			goto out;
		}
		r = grow(s, &cap);
		if (r < 0)
			goto out;
		struct scenario_step *st = &s->steps[s->n_steps];
		*st = (struct scenario_step){.line = p.line, .index = -1};
		r = parse_step(&p, &l, st);
		if (r < 0)
			goto out;
		s->n_steps++;
	}

	*ret_scenario = s;
	return 0;
out:
	scenario_free(s);
	return r;
}

int scenario_load(const char *path, struct scenario **ret_scenario, struct scenario_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int r, fd;

	if (err)
		*err = (struct scenario_error){0};
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (err)
			snprintf(err->message, sizeof(err->message), "cannot open: %s",
				 strerror(-r));
		return r;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		if (err)
			snprintf(err->message, sizeof(err->message), "not a regular file");
		goto out;
	}
	if (st.st_size > (off_t)MAX_FILE_BYTES) {
		r = -EFBIG;
		goto out;
	}
	/* Sized from fstat, grown if the file grows while read, and read up
	 * to one byte past the limit to notice a file that is too large. */
	size_t cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap * 2 > MAX_FILE_BYTES + 1 ? MAX_FILE_BYTES + 1 : cap * 2;
			char *n = ncap > cap ? realloc(buf, ncap) : NULL;
			if (!n) {
				r = ncap > cap ? -ENOMEM : -EFBIG;
				goto out;
			}
			buf = n;
			cap = ncap;
		}
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
		if (len > MAX_FILE_BYTES) {
			r = -EFBIG;
			goto out;
		}
	}
	r = scenario_parse(buf, len, ret_scenario, err);
out:
	if (r == -EFBIG && err)
		snprintf(err->message, sizeof(err->message), "file too large (at most %u bytes)",
			 MAX_FILE_BYTES);
	else if (r < 0 && err && err->message[0] == '\0')
		snprintf(err->message, sizeof(err->message), "cannot read: %s", strerror(-r));
	free(buf);
	close(fd);
	return r;
}

struct scenario *scenario_free(struct scenario *s)
{
	if (!s)
		return NULL;
	/* Steps can hold card names and QR payloads: wipe before freeing. */
	if (s->steps)
		explicit_bzero(s->steps, s->n_steps * sizeof(*s->steps));
	free(s->steps);
	free(s);
	return NULL;
}
