/* SPDX-License-Identifier: MIT */
/*
 * "ipp://HOST:PORT/PATH", "ipps://..." and "cups:QUEUE": documents to an
 * IPP Everywhere printer (or a local CUPS queue) through libcups.
 *
 * A job goes: connect (bounded), Get-Printer-Attributes (refuse when the
 * printer is stopped, offline, out of paper or open: nothing is queued
 * that would come out later for the next citizen), Print-Job, then
 * Get-Job-Attributes until the job is completed, aborted or canceled.
 * A job that does not end in time, or that the caller cancels, is
 * cancelled at the printer for the same reason.
 */
#include <cups/cups.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "printer-backends.h"

#define CONNECT_TIMEOUT_MS    5000
#define IO_TIMEOUT_S	      10.0
#define DEFAULT_JOB_TIMEOUT_S 300
#define MAX_JOB_TIMEOUT_S     86400
/* How long a printer that stopped answering mid-job may stay silent
 * before the job is reported offline. */
#define LOST_GRACE_MS 5000
#define POLL_MIN_MS   30
#define POLL_MAX_MS   500
#define WRITE_CHUNK   65536
/* Our own bit next to DOCUMENT_STATUS_*: printer-state is stopped. */
#define STATUS_STOPPED	   (1u << 16)
#define MARKER_LOW_PERCENT 10

struct ipp_ctx {
	char *printer_uri; /* the printer-uri attribute */
	char host[256];	   /* or a domain socket path (cups:) */
	int port;
	char resource[1024];
	http_encryption_t encryption;
	unsigned timeout_s;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void progress(struct document_printer *p, const char *state)
{
	if (p->hooks.progress)
		p->hooks.progress(p->hooks.userdata, state);
}

static bool cancel_requested(struct document_printer *p)
{
	return p->hooks.cancelled && p->hooks.cancelled(p->hooks.userdata);
}

static int connect_printer(const struct ipp_ctx *c, http_t **ret_http)
{
	http_t *http;

	errno = 0;
	http = httpConnect2(c->host, c->port, NULL, AF_UNSPEC, c->encryption, 1, CONNECT_TIMEOUT_MS,
			    NULL);
	if (!http)
		return errno > 0 ? -errno : -EHOSTUNREACH;
	/* With no callback, an I/O wait longer than this fails the request
	 * rather than blocking the print worker for good. */
	httpSetTimeout(http, IO_TIMEOUT_S, NULL, NULL);
	*ret_http = http;
	return 0;
}

static ipp_t *new_request(const struct ipp_ctx *c, ipp_op_t op)
{
	ipp_t *req = ippNewRequest(op);

	if (!req)
		return NULL;
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, c->printer_uri);
	/* A fixed user: the OS account name is no business of the printer. */
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, "station");
	return req;
}

static bool ipp_ok(ipp_t *resp)
{
	return resp && ippGetStatusCode(resp) <= IPP_STATUS_OK_CONFLICTING;
}

/* The keyword without its "-error", "-warning" or "-report" suffix. A
 * "-report" is kept as meaningful: ippeveprinter, like some real printers,
 * says "media-empty-report" for a tray it cannot print from. */
static void reason_base(const char *reason, char *buf, size_t size)
{
	static const char *const suffixes[] = {"-error", "-warning", "-report"};
	size_t n = strlen(reason);

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t s = strlen(suffixes[i]);

		if (n > s && strcmp(reason + n - s, suffixes[i]) == 0) {
			n -= s;
			break;
		}
	}
	if (n >= size)
		return;
	memcpy(buf, reason, n);
	buf[n] = '\0';
}

static unsigned flags_from_reason(const char *reason)
{
	static const struct {
		const char *keyword;
		unsigned flag;
	} map[] = {
		{"media-empty", DOCUMENT_STATUS_MEDIA_EMPTY},
		{"media-needed", DOCUMENT_STATUS_MEDIA_EMPTY},
		{"input-tray-missing", DOCUMENT_STATUS_MEDIA_EMPTY},
		{"cover-open", DOCUMENT_STATUS_COVER_OPEN},
		{"door-open", DOCUMENT_STATUS_COVER_OPEN},
		{"interlock-open", DOCUMENT_STATUS_COVER_OPEN},
		{"toner-low", DOCUMENT_STATUS_TONER_LOW},
		{"marker-supply-low", DOCUMENT_STATUS_TONER_LOW},
		{"offline", DOCUMENT_STATUS_OFFLINE},
		{"shutdown", DOCUMENT_STATUS_OFFLINE},
		{"timed-out", DOCUMENT_STATUS_OFFLINE},
		{"connecting-to-device", DOCUMENT_STATUS_OFFLINE},
	};
	char base[64];

	reason_base(reason, base, sizeof(base));
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(base, map[i].keyword) == 0)
			return map[i].flag;
	return 0;
}

/* printer-state, printer-state-reasons and marker-levels as
 * DOCUMENT_STATUS_* | STATUS_STOPPED. 0 or -EIO (no valid answer). */
static int query_printer(http_t *http, const struct ipp_ctx *c, unsigned *ret_flags)
{
	static const char *const wanted[] = {"printer-state", "printer-state-reasons",
					     "marker-levels"};
	ipp_t *req = new_request(c, IPP_OP_GET_PRINTER_ATTRIBUTES), *resp;
	ipp_attribute_t *a;
	unsigned flags = 0;

	if (!req)
		return -ENOMEM;
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof(wanted) / sizeof(wanted[0])), NULL, wanted);
	resp = cupsDoRequest(http, req, c->resource);
	if (!ipp_ok(resp)) {
		ippDelete(resp);
		return -EIO;
	}
	a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM);
	if (a && ippGetInteger(a, 0) == IPP_PSTATE_STOPPED)
		flags |= STATUS_STOPPED;
	a = ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD);
	for (int i = 0; a && i < ippGetCount(a); i++) {
		const char *reason = ippGetString(a, i, NULL);

		if (reason)
			flags |= flags_from_reason(reason);
	}
	/* Levels in percent; -1 .. -3 mean unknown / unavailable. */
	a = ippFindAttribute(resp, "marker-levels", IPP_TAG_INTEGER);
	for (int i = 0; a && i < ippGetCount(a); i++) {
		int level = ippGetInteger(a, i);

		if (level >= 0 && level < MARKER_LOW_PERCENT)
			flags |= DOCUMENT_STATUS_TONER_LOW;
	}
	ippDelete(resp);
	*ret_flags = flags;
	return 0;
}

/* What a job meets on a printer in this state: the most fundamental cause
 * first. A stopped printer with no cause we know of is offline. */
static enum session_print_result verdict(unsigned flags)
{
	if (flags & DOCUMENT_STATUS_OFFLINE)
		return SESSION_PRINT_OFFLINE;
	if (flags & DOCUMENT_STATUS_COVER_OPEN)
		return SESSION_PRINT_COVER_OPEN;
	if (flags & DOCUMENT_STATUS_MEDIA_EMPTY)
		return SESSION_PRINT_PAPER_OUT;
	if (flags & STATUS_STOPPED)
		return SESSION_PRINT_OFFLINE;
	return SESSION_PRINT_OK;
}

/* Print-Job with the whole document. 0 with the job id, or the verdict
 * in *ret_result when the printer refused (job id 0); *ret_busy says the
 * refusal was "busy with another job" (worth another try). */
static int send_job(struct document_printer *p, http_t *http, const char *job_name,
		    const uint8_t *pdf, size_t len, int *ret_job_id,
		    enum session_print_result *ret_result, bool *ret_busy)
{
	const struct ipp_ctx *c = p->ctx;
	ipp_t *req = new_request(c, IPP_OP_PRINT_JOB), *resp;
	http_status_t status;
	ipp_attribute_t *a;
	ipp_status_t code;
	size_t off = 0;

	if (!req)
		return -ENOMEM;
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL, job_name);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", NULL,
		     "application/pdf");
	/* The HTTP body is the IPP request followed by the document. */
	status = cupsSendRequest(http, req, c->resource, ippLength(req) + len);
	while (status == HTTP_STATUS_CONTINUE && off < len) {
		size_t n = len - off < WRITE_CHUNK ? len - off : WRITE_CHUNK;

		status = cupsWriteRequestData(http, (const char *)pdf + off, n);
		off += n;
	}
	resp = cupsGetResponse(http, c->resource);
	ippDelete(req);
	code = resp ? ippGetStatusCode(resp) : cupsLastError();
	*ret_busy = code == IPP_STATUS_ERROR_BUSY;
	if (!ipp_ok(resp)) {
		ippDelete(resp);
		*ret_job_id = 0;
		switch (code) {
		case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
		case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE:
		case IPP_STATUS_ERROR_INTERNAL:
			/* INTERNAL is also what libcups reports for a
			 * connection that broke during the request. */
			*ret_result = SESSION_PRINT_OFFLINE;
			break;
		default:
			*ret_result = SESSION_PRINT_FAILED;
			break;
		}
		return 0;
	}
	a = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER);
	*ret_job_id = a ? ippGetInteger(a, 0) : 0;
	ippDelete(resp);
	if (*ret_job_id <= 0) {
		*ret_job_id = 0;
		*ret_result = SESSION_PRINT_FAILED;
	}
	return 0;
}

static ipp_t *job_request(const struct ipp_ctx *c, ipp_op_t op, int job_id)
{
	ipp_t *req = new_request(c, op);

	if (req)
		ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
	return req;
}

/* Best effort: a job we gave up on must not come out later. */
static void cancel_job(http_t *http, const struct ipp_ctx *c, int job_id)
{
	ipp_t *req = job_request(c, IPP_OP_CANCEL_JOB, job_id);

	if (req)
		ippDelete(cupsDoRequest(http, req, c->resource));
}

/* job-state, or 0 when the printer did not answer. */
static ipp_jstate_t query_job(http_t *http, const struct ipp_ctx *c, int job_id)
{
	static const char *const wanted[] = {"job-state", "job-state-reasons"};
	ipp_t *req = job_request(c, IPP_OP_GET_JOB_ATTRIBUTES, job_id), *resp;
	ipp_attribute_t *a;
	ipp_jstate_t state = 0;

	if (!req)
		return 0;
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof(wanted) / sizeof(wanted[0])), NULL, wanted);
	resp = cupsDoRequest(http, req, c->resource);
	if (ipp_ok(resp)) {
		a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
		if (a)
			state = (ipp_jstate_t)ippGetInteger(a, 0);
	}
	ippDelete(resp);
	return state;
}

static const char *waiting_word(ipp_jstate_t state, unsigned flags)
{
	if (flags & DOCUMENT_STATUS_MEDIA_EMPTY)
		return "media-needed";
	if (flags & DOCUMENT_STATUS_COVER_OPEN)
		return "cover-open";
	if (flags & DOCUMENT_STATUS_OFFLINE)
		return "printer-offline";
	switch (state) {
	case IPP_JSTATE_PENDING:
		return "pending";
	case IPP_JSTATE_HELD:
		return "held";
	case IPP_JSTATE_STOPPED:
		return "stopped";
	default:
		return "processing";
	}
}

/* Follows the job to its end, or until deadline (now_ms()). Always gives a
 * verdict. */
static enum session_print_result follow_job(struct document_printer *p, http_t *http, int job_id,
					    uint64_t deadline)
{
	const struct ipp_ctx *c = p->ctx;
	uint64_t lost_since = 0;
	unsigned flags = 0, interval = POLL_MIN_MS;
	const char *shown = NULL;

	for (;;) {
		ipp_jstate_t state;
		const char *word;
		uint64_t t;

		if (cancel_requested(p)) {
			progress(p, "cancelling");
			cancel_job(http, c, job_id);
			return SESSION_PRINT_CANCELLED;
		}
		state = query_job(http, c, job_id);
		t = now_ms();
		if (state == 0) {
			/* The printer went away: give it a short grace (a
			 * restart of its web server), then report it. */
			if (!lost_since)
				lost_since = t;
			if (t - lost_since >= LOST_GRACE_MS || t >= deadline)
				return SESSION_PRINT_OFFLINE;
			if (shown != (word = "printer-lost"))
				progress(p, shown = word);
			sleep_ms(POLL_MAX_MS);
			continue;
		}
		lost_since = 0;
		switch (state) {
		case IPP_JSTATE_COMPLETED:
			progress(p, "completed");
			return SESSION_PRINT_OK;
		case IPP_JSTATE_ABORTED:
			progress(p, "aborted");
			return SESSION_PRINT_FAILED;
		case IPP_JSTATE_CANCELED:
			progress(p, "canceled");
			return SESSION_PRINT_CANCELLED;
		default:
			break;
		}
		if (query_printer(http, c, &flags) < 0)
			flags = 0;
		word = waiting_word(state, flags);
		if (word != shown)
			progress(p, shown = word);
		if (t >= deadline) {
			enum session_print_result r = verdict(flags);

			progress(p, "timed-out");
			cancel_job(http, c, job_id);
			return r == SESSION_PRINT_OK ? SESSION_PRINT_FAILED : r;
		}
		sleep_ms(interval);
		if (interval < POLL_MAX_MS)
			interval = interval * 2 > POLL_MAX_MS ? POLL_MAX_MS : interval * 2;
	}
}

static int ipp_print_job(struct document_printer *p, const char *job_name, const uint8_t *pdf,
			 size_t len, enum session_print_result *ret_result)
{
	struct ipp_ctx *c = p->ctx;
	enum session_print_result result = SESSION_PRINT_FAILED;
	http_t *http = NULL;
	uint64_t deadline;
	unsigned flags;
	bool busy;
	int job_id, r;

	if (!ret_result || !job_name || (!pdf && len > 0))
		return -EINVAL;
	if (len < 5 || memcmp(pdf, "%PDF-", 5) != 0) {
		*ret_result = SESSION_PRINT_FAILED;
		return 0;
	}
	progress(p, "connecting");
	r = connect_printer(c, &http);
	if (r < 0)
		return r;
	progress(p, "checking");
	r = query_printer(http, c, &flags);
	if (r < 0)
		goto out;
	result = verdict(flags);
	if (result != SESSION_PRINT_OK) {
		progress(p, "refused");
		goto done;
	}
	if (cancel_requested(p)) {
		result = SESSION_PRINT_CANCELLED;
		goto done;
	}
	progress(p, "sending");
	/* A printer that takes one job at a time (ippeveprinter, many
	 * small printers) says "busy" while another job prints: wait our
	 * turn within the job's time, as a queue would. */
	deadline = now_ms() + (uint64_t)c->timeout_s * 1000u;
	for (unsigned interval = POLL_MIN_MS;;
	     interval = interval * 2 > POLL_MAX_MS ? POLL_MAX_MS : interval * 2) {
		r = send_job(p, http, job_name, pdf, len, &job_id, &result, &busy);
		if (r < 0)
			goto out;
		if (!busy || now_ms() >= deadline)
			break;
		if (cancel_requested(p)) {
			result = SESSION_PRINT_CANCELLED;
			goto done;
		}
		progress(p, "printer-busy");
		sleep_ms(interval);
	}
	if (job_id == 0)
		goto done;
	if (p->hooks.job_created)
		p->hooks.job_created(p->hooks.userdata, job_id);
	result = follow_job(p, http, job_id, deadline);
done:
	*ret_result = result;
	r = 0;
out:
	httpClose(http);
	return r;
}

/* Unreachable is a status (offline), not an error. */
static int ipp_get_status(struct document_printer *p, unsigned *ret_flags)
{
	struct ipp_ctx *c = p->ctx;
	http_t *http = NULL;
	unsigned flags = DOCUMENT_STATUS_OFFLINE | DOCUMENT_STATUS_UNREACHABLE;

	if (!ret_flags)
		return -EINVAL;
	if (connect_printer(c, &http) >= 0) {
		if (query_printer(http, c, &flags) < 0)
			flags = DOCUMENT_STATUS_OFFLINE | DOCUMENT_STATUS_UNREACHABLE;
		else if (flags & STATUS_STOPPED)
			flags = (flags & ~STATUS_STOPPED) | DOCUMENT_STATUS_OFFLINE;
		httpClose(http);
	}
	*ret_flags = flags;
	return 0;
}

static int ipp_resolve_job(struct document_printer *p, int printer_job_id,
			   enum session_print_result *ret_result)
{
	struct ipp_ctx *c = p->ctx;
	enum session_print_result result;
	http_t *http = NULL;
	ipp_jstate_t state;
	ipp_t *req, *resp;
	int r;

	if (printer_job_id <= 0 || !ret_result)
		return -EINVAL;
	r = connect_printer(c, &http);
	if (r < 0)
		return r;
	req = job_request(c, IPP_OP_GET_JOB_ATTRIBUTES, printer_job_id);
	if (!req) {
		r = -ENOMEM;
		goto out;
	}
	resp = cupsDoRequest(http, req, c->resource);
	if (!resp) {
		r = -EIO;
		goto out;
	}
	if (ippGetStatusCode(resp) == IPP_STATUS_ERROR_NOT_FOUND) {
		/* Purged from its history, or from before a printer
		 * restart: what became of it cannot be known. */
		result = SESSION_PRINT_FAILED;
	} else if (!ipp_ok(resp)) {
		ippDelete(resp);
		r = -EIO;
		goto out;
	} else {
		ipp_attribute_t *a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);

		state = a ? (ipp_jstate_t)ippGetInteger(a, 0) : IPP_JSTATE_PENDING;
		if (state == IPP_JSTATE_COMPLETED) {
			result = SESSION_PRINT_OK;
		} else if (state == IPP_JSTATE_ABORTED) {
			result = SESSION_PRINT_FAILED;
		} else {
			if (state != IPP_JSTATE_CANCELED)
				cancel_job(http, c, printer_job_id);
			result = SESSION_PRINT_CANCELLED;
		}
	}
	ippDelete(resp);
	*ret_result = result;
	r = 0;
out:
	httpClose(http);
	return r;
}

static void ipp_free_ctx(void *ctx)
{
	struct ipp_ctx *c = ctx;

	if (!c)
		return;
	free(c->printer_uri);
	free(c);
}

static void copy_string(ipp_attribute_t *a, int i, char *buf, size_t size)
{
	const char *v = a && i < ippGetCount(a) ? ippGetString(a, i, NULL) : NULL;

	snprintf(buf, size, "%s", v ? v : "");
}

/* The value of key in a "k=v;k=v;" list, or NULL; *ret_len its length. */
static const char *supply_field(const char *v, size_t len, const char *key, size_t *ret_len)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		size_t end = i;

		while (end < len && v[end] != ';')
			end++;
		if (end - i > klen && memcmp(v + i, key, klen) == 0 && v[i + klen] == '=') {
			*ret_len = end - i - klen - 1;
			return v + i + klen + 1;
		}
		i = end + 1;
	}
	return NULL;
}

/* A decimal integer of at most 9 digits, optionally negative; false for
 * anything else. */
static bool supply_int(const char *v, size_t len, long *ret)
{
	long n = 0;
	bool neg = len > 0 && v[0] == '-';

	if (neg) {
		v++;
		len--;
	}
	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		n = n * 10 + (v[i] - '0');
	}
	*ret = neg ? -n : n;
	return true;
}

int document_supply_parse(const char *value, size_t len, struct document_supply *ret)
{
	struct document_supply s = {.level = -1};
	const char *type, *f;
	size_t tlen, flen;
	long level, max = 100;

	if (!value || !ret)
		return -EINVAL;
	type = supply_field(value, len, "type", &tlen);
	if (!type || tlen == 0 || tlen >= sizeof(s.type))
		return -EINVAL;
	for (size_t i = 0; i < tlen; i++)
		if ((unsigned char)type[i] < 0x21 || (unsigned char)type[i] > 0x7e)
			return -EINVAL;
	memcpy(s.type, type, tlen);
	f = supply_field(value, len, "maxcapacity", &flen);
	if (f && (!supply_int(f, flen, &max) || max <= 0))
		max = -1;
	f = supply_field(value, len, "level", &flen);
	/* Negative levels are "unknown", "unavailable" or "some left". */
	if (f && max > 0 && supply_int(f, flen, &level) && level >= 0 && level <= max)
		s.level = (int)(level * 100 / max);
	*ret = s;
	return 0;
}

static int ipp_get_details(struct document_printer *p, struct document_printer_details *ret)
{
	static const char *const wanted[] = {
		"printer-state-reasons", "printer-supply", "printer-supply-description",
		"marker-names",		 "marker-types",   "marker-levels"};
	struct ipp_ctx *c = p->ctx;
	struct document_printer_details d = {0};
	http_t *http = NULL;
	ipp_attribute_t *a, *names, *types;
	ipp_t *req, *resp;
	int r;

	if (!ret)
		return -EINVAL;
	r = connect_printer(c, &http);
	if (r < 0)
		return r;
	req = new_request(c, IPP_OP_GET_PRINTER_ATTRIBUTES);
	if (!req) {
		httpClose(http);
		return -ENOMEM;
	}
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof(wanted) / sizeof(wanted[0])), NULL, wanted);
	resp = cupsDoRequest(http, req, c->resource);
	httpClose(http);
	if (!ipp_ok(resp)) {
		ippDelete(resp);
		return -EIO;
	}
	a = ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD);
	for (int i = 0; a && i < ippGetCount(a) && d.n_reasons < DOCUMENT_REASON_MAX; i++) {
		const char *reason = ippGetString(a, i, NULL);

		if (reason && strcmp(reason, "none") != 0)
			snprintf(d.reasons[d.n_reasons++], sizeof(d.reasons[0]), "%s", reason);
	}
	/* printer-supply (PWG 5100.13, what ippeveprinter and IPP
	 * Everywhere printers send) first; the older marker-* otherwise. */
	a = ippFindAttribute(resp, "printer-supply", IPP_TAG_STRING);
	names = ippFindAttribute(resp, "printer-supply-description", IPP_TAG_ZERO);
	for (int i = 0; a && i < ippGetCount(a) && d.n_supplies < DOCUMENT_SUPPLY_MAX; i++) {
		int len = 0;
		const char *v = ippGetOctetString(a, i, &len);

		if (!v || len <= 0 ||
		    document_supply_parse(v, (size_t)len, &d.supplies[d.n_supplies]) < 0)
			continue;
		copy_string(names, i, d.supplies[d.n_supplies].name, sizeof(d.supplies[0].name));
		d.n_supplies++;
	}
	if (d.n_supplies > 0)
		goto done;
	/* marker-names and marker-types are name / keyword lists the same
	 * length as marker-levels; a printer may send either tag. */
	names = ippFindAttribute(resp, "marker-names", IPP_TAG_ZERO);
	types = ippFindAttribute(resp, "marker-types", IPP_TAG_ZERO);
	a = ippFindAttribute(resp, "marker-levels", IPP_TAG_INTEGER);
	for (int i = 0; a && i < ippGetCount(a) && d.n_supplies < DOCUMENT_SUPPLY_MAX; i++) {
		struct document_supply *s = &d.supplies[d.n_supplies++];
		int level = ippGetInteger(a, i);

		s->level = level >= 0 && level <= 100 ? level : -1;
		copy_string(names, i, s->name, sizeof(s->name));
		copy_string(types, i, s->type, sizeof(s->type));
	}
done:
	ippDelete(resp);
	*ret = d;
	return 0;
}

static const struct document_printer_ops ipp_ops = {
	.name = "ipp",
	.print_job = ipp_print_job,
	.get_status = ipp_get_status,
	.free_ctx = ipp_free_ctx,
	.resolve_job = ipp_resolve_job,
	.get_details = ipp_get_details,
};

/* Splits "URI?timeout=SECONDS" into the URI and the timeout. */
static int split_options(const char *uri, char *buf, size_t size, unsigned *ret_timeout)
{
	const char *q = strchr(uri, '?');
	size_t n = q ? (size_t)(q - uri) : strlen(uri);
	unsigned timeout = DEFAULT_JOB_TIMEOUT_S;

	if (n >= size)
		return -EINVAL;
	memcpy(buf, uri, n);
	buf[n] = '\0';
	if (q) {
		char *end;
		long v;

		if (strncmp(q + 1, "timeout=", 8) != 0)
			return -EINVAL;
		errno = 0;
		v = strtol(q + 9, &end, 10);
		if (errno || end == q + 9 || *end || v < 1 || v > MAX_JOB_TIMEOUT_S)
			return -EINVAL;
		timeout = (unsigned)v;
	}
	*ret_timeout = timeout;
	return 0;
}

static int parse_uri(const char *uri, struct ipp_ctx *c)
{
	char base[1024], scheme[16], user[64];
	int r;

	r = split_options(uri, base, sizeof(base), &c->timeout_s);
	if (r < 0)
		return r;
	if (strncmp(base, "cups:", 5) == 0) {
		const char *queue = base + 5;
		char local[1100];

		if (!queue[0] || strspn(queue, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
					       "WXYZ0123456789_-.") != strlen(queue))
			return -EINVAL;
		/* The local scheduler: its socket or host as cupsServer()
		 * says (CUPS_SERVER, client.conf), no TLS on loopback. */
		snprintf(c->host, sizeof(c->host), "%s", cupsServer());
		c->port = ippPort();
		c->encryption = HTTP_ENCRYPTION_IF_REQUESTED;
		r = snprintf(c->resource, sizeof(c->resource), "/printers/%s", queue);
		if (r < 0 || (size_t)r >= sizeof(c->resource))
			return -EINVAL;
		snprintf(local, sizeof(local), "ipp://localhost/printers/%s", queue);
		c->printer_uri = strdup(local);
		return c->printer_uri ? 0 : -ENOMEM;
	}
	if (httpSeparateURI(HTTP_URI_CODING_ALL, base, scheme, sizeof(scheme), user, sizeof(user),
			    c->host, sizeof(c->host), &c->port, c->resource,
			    sizeof(c->resource)) < HTTP_URI_STATUS_OK)
		return -EINVAL;
	if (!c->host[0] || c->port <= 0)
		return -EINVAL;
	if (strcmp(scheme, "ipps") == 0)
		c->encryption = HTTP_ENCRYPTION_ALWAYS;
	else if (strcmp(scheme, "ipp") == 0)
		c->encryption = HTTP_ENCRYPTION_IF_REQUESTED;
	else
		return -EINVAL;
	c->printer_uri = strdup(base);
	return c->printer_uri ? 0 : -ENOMEM;
}

int document_printer_ipp_new(const char *uri, struct document_printer **ret_printer)
{
	struct document_printer *p = NULL;
	struct ipp_ctx *c = NULL;
	int r;

	if (!uri || !ret_printer)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	p = calloc(1, sizeof(*p));
	if (!c || !p) {
		r = -ENOMEM;
		goto fail;
	}
	r = parse_uri(uri, c);
	if (r < 0)
		goto fail;
	*p = (struct document_printer){.ops = &ipp_ops, .ctx = c};
	*ret_printer = p;
	return 0;
fail:
	ipp_free_ctx(c);
	free(p);
	return r;
}
