/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "backend-http.h"
#include "camera-preview.h"
#include "escpos.h"
#include "confirm-queue.h"
#include "diag-test.h"
#include "diag.h"
#include "fault-log.h"
#include "metrics.h"
#include "journal.h"
#include "log.h"
#include "macro.h"
#include "receipt.h"
#include "recovery.h"
#include "technician.h"
#include "usb-reset.h"
#include "version.h"
#include "station.h"
#include "worker.h"

struct station {
	struct station_config config;
	struct station_secrets secrets;
	struct station_queue *queue;
	struct session session;
	struct station_devices dev;
	struct worker *backend_worker;
	struct worker *print_worker;
	struct worker *auth_worker;
	struct station_counters counters;
	/* The job the session gave up on: a print task checks it before it
	 * sends anything to a printer. Written by the owner, read by the
	 * print worker. */
	atomic_uint cancelled_job;
	/* Technician PIN lockout (owner thread). */
	unsigned pin_failures_in_row;
	uint64_t pin_locked_until_ms;
	station_cmd_observer_t observer;
	void *observer_data;
	/* The print journal (journal.h), NULL when state_dir is not a
	 * writable directory. Used only on the print worker: its fsync'ed
	 * writes never hold up the owner thread. */
	struct journal *journal;
	/* Collected-document confirmations not yet acknowledged
	 * (confirm-queue.h), NULL without a writable state_dir. Used on the
	 * backend worker only. */
	struct confirm_queue *confirms;
	/* Device faults and recoveries (fault-log.h), NULL without a
	 * writable state_dir. Owner thread only. */
	struct fault_log *faults;
	/* Prometheus counters (metrics.h), not owned; NULL: off. */
	struct metrics *metrics;
	char boot_id[17];
	/* Heartbeats (owner thread): when the station started and when the
	 * next is due, on the tick clock. */
	uint64_t started_ms, next_heartbeat_ms; /* names this run's sessions in the journal */
	/* Idle printer probes: when the next is due (owner thread, tick
	 * clock); whether one is queued (set by the owner, cleared by the
	 * print worker when it is done). */
	uint64_t next_probe_ms;
	atomic_bool probe_queued;
	/* Each device's recovery ladder (recovery.h). Owner thread. */
	struct recovery recovery[_SESSION_DEVICE_MAX];
};

/* ---- tasks run on workers ------------------------------------------------
 * A task holds the queue (station_queue_hold) from submission until its
 * answer is pushed, so the queue is quiescent only when all work is done.
 * Tasks may carry personal data: their free functions wipe it. */

struct task_base {
	struct station *st; /* read-only use of immutable parts + queue */
};

/* A dropped event still owns its payload (a lookup's personal data, a
 * report): wiped and freed here. */
static void push(struct station *st, struct station_event *ev)
{
	if (station_queue_push(st->queue, ev) < 0) {
		log_error("event queue full: %s dropped", station_event_type_to_string(ev->type));
		station_event_clear(ev);
	}
}

/* Submits a task; on failure the task is freed (its free function
 * releases the hold) and the failure is returned. */
static int submit(struct station *st, struct worker *w, worker_fn_t fn, void *task,
		  worker_fn_t free_fn)
{
	station_queue_hold(st->queue);
	return worker_submit(w, fn, task, free_fn);
}

/* -- lookup -- */

struct lookup_task {
	struct station *st;
	unsigned request;
	bool by_qr;
	struct station_event_card card;
	char token[SESSION_TOKEN_MAX + 1];
};

static void lookup_run(void *arg)
{
	struct lookup_task *t = arg;
	struct backend *b = t->st->dev.backend;
	struct station_event ev = {.request = t->request};
	struct session_lookup_result *res = calloc(1, sizeof(*res));
	int r;

	if (!res)
		r = -ENOMEM;
	else if (!b)
		r = -EHOSTUNREACH;
	else if (t->by_qr)
		r = b->ops->lookup_qr(b, t->token, res);
	else
		r = b->ops->lookup_card(b, t->card.uid, t->card.uid_len,
					t->card.nik[0] ? t->card.nik : NULL, res);
	if (r >= 0) {
		ev.type = STATION_EVENT_LOOKUP_DONE;
		ev.lookup = TAKE_PTR(res);
	} else {
		log_debug("lookup failed: %s", strerror(-r));
		ev.type = STATION_EVENT_LOOKUP_FAILED;
		ev.lookup_error =
			r == -ENOENT ? SESSION_ERROR_NOT_FOUND : SESSION_ERROR_BACKEND_UNREACHABLE;
		free(res);
	}
	push(t->st, &ev);
}

static void lookup_free(void *arg)
{
	struct lookup_task *t = arg;
	struct station_queue *q = t->st->queue;

	sodium_memzero(t, sizeof(*t));
	free(t);
	station_queue_release(q);
}

/* -- printing -- */

struct print_task {
	struct station *st;
	unsigned job;
	enum session_print_kind kind;
	bool english;
	struct session_lookup_result result; /* receipt content */
	char document_id[SESSION_ID_MAX + 1];
};

static enum session_print_result receipt_result_from_status(unsigned flags)
{
	if (flags & RECEIPT_STATUS_PAPER_END)
		return SESSION_PRINT_PAPER_OUT;
	if (flags & RECEIPT_STATUS_COVER_OPEN)
		return SESSION_PRINT_COVER_OPEN;
	if (flags & (RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_ERROR))
		return SESSION_PRINT_OFFLINE;
	return SESSION_PRINT_OK;
}

static enum session_device_state receipt_device_state(unsigned flags)
{
	if (flags & (RECEIPT_STATUS_PAPER_END | RECEIPT_STATUS_COVER_OPEN | RECEIPT_STATUS_OFFLINE |
		     RECEIPT_STATUS_ERROR))
		return SESSION_DEVICE_FAILED;
	if (flags & RECEIPT_STATUS_PAPER_NEAR_END)
		return SESSION_DEVICE_DEGRADED;
	return SESSION_DEVICE_OK;
}

static enum session_device_state document_device_state(unsigned flags)
{
	if (flags &
	    (DOCUMENT_STATUS_OFFLINE | DOCUMENT_STATUS_MEDIA_EMPTY | DOCUMENT_STATUS_COVER_OPEN))
		return SESSION_DEVICE_FAILED;
	if (flags & DOCUMENT_STATUS_TONER_LOW)
		return SESSION_DEVICE_DEGRADED;
	return SESSION_DEVICE_OK;
}

static void push_device(struct station *st, enum session_device d, enum session_device_state s)
{
	struct station_event ev = {.type = STATION_EVENT_DEVICE_STATE,
				   .device = {.device = d, .state = s}};
	push(st, &ev);
}

/* Asks both printers how they are and tells the session. Print worker. */
static void probe_printers(struct station *st)
{
	unsigned flags = 0;

	if (st->dev.receipt) {
		int r = st->dev.receipt->ops->get_status(st->dev.receipt, &flags);
		push_device(st, SESSION_DEVICE_RECEIPT_PRINTER,
			    r < 0 ? SESSION_DEVICE_FAILED : receipt_device_state(flags));
	}
	if (st->dev.document) {
		flags = 0;
		int r = st->dev.document->ops->get_status(st->dev.document, &flags);
		push_device(st, SESSION_DEVICE_DOCUMENT_PRINTER,
			    r < 0 ? SESSION_DEVICE_FAILED : document_device_state(flags));
	}
}

static enum session_print_result print_receipt(struct print_task *t)
{
	struct station *st = t->st;
	struct receipt_printer *p = st->dev.receipt;
	cairo_surface_t *surface = NULL;
	uint8_t *bytes = NULL;
	size_t len = 0;
	unsigned flags = 0;
	char reference[96];
	enum session_print_result result = SESSION_PRINT_FAILED;
	struct receipt_info info = {
		.station_id = st->config.station_id,
		.when = time(NULL),
		.english = t->english,
		.reference = reference,
		.width_dots = st->config.receipt_width_dots,
	};
	int r;

	if (!p)
		return SESSION_PRINT_OFFLINE;
	/* The reference names the station and job only: no personal data
	 * in a code anyone can scan off a discarded receipt. */
	snprintf(reference, sizeof(reference), "MPP-RCPT:%s:%u:%lld", st->config.station_id, t->job,
		 (long long)info.when);
	r = p->ops->get_status(p, &flags);
	if (r < 0)
		return SESSION_PRINT_OFFLINE;
	result = receipt_result_from_status(flags);
	if (result != SESSION_PRINT_OK)
		return result;
	r = receipt_render(&info, &t->result, &surface);
	if (r < 0) {
		log_error("receipt: cannot render: %s", strerror(-r));
		return SESSION_PRINT_FAILED;
	}
	r = escpos_encode_raster(surface, &bytes, &len);
	cairo_surface_destroy(surface);
	if (r < 0) {
		log_error("receipt: cannot encode: %s", strerror(-r));
		return SESSION_PRINT_FAILED;
	}
	if (atomic_load(&st->cancelled_job) == t->job) {
		free(bytes);
		return SESSION_PRINT_CANCELLED;
	}
	r = p->ops->write_job(p, bytes, len);
	free(bytes);
	if (r < 0) {
		/* Ask why: paper or cover show in the status. */
		flags = 0;
		if (p->ops->get_status(p, &flags) >= 0 &&
		    receipt_result_from_status(flags) != SESSION_PRINT_OK)
			return receipt_result_from_status(flags);
		return SESSION_PRINT_OFFLINE;
	}
	return SESSION_PRINT_OK;
}

struct document_run {
	struct print_task *t;
	int64_t journal_id;
};

/* document_printer_hooks.cancelled: the session gave up on this job. */
static bool print_task_cancelled(void *userdata)
{
	const struct document_run *run = userdata;

	return atomic_load(&run->t->st->cancelled_job) == run->t->job;
}

/* document_printer_hooks.job_created: the printer has it; from here on
 * a restart asks the printer, never sends again. */
static void print_task_job_created(void *userdata, int printer_job_id)
{
	const struct document_run *run = userdata;
	struct journal *j = run->t->st->journal;

	if (!j || run->journal_id <= 0)
		return;
	if (journal_job_set_printer_job(j, run->journal_id, printer_job_id) < 0 ||
	    journal_job_set_state(j, run->journal_id, JOURNAL_PRINTING) < 0)
		log_error("journal: cannot record printer job %d", printer_job_id);
}

static enum journal_state journal_state_from_result(enum session_print_result r)
{
	switch (r) {
	case SESSION_PRINT_OK:
		return JOURNAL_COMPLETED;
	case SESSION_PRINT_CANCELLED:
		return JOURNAL_CANCELLED;
	default:
		return JOURNAL_FAILED;
	}
}

/* Journals the job as queued then sent. 0 to go on printing;
 * -ECANCELED when the session gave up; other -errno when the journal
 * cannot record it (then nothing is printed: an unjournaled job could
 * come out twice). */
static int journal_begin(struct document_run *run)
{
	struct print_task *t = run->t;
	struct journal *j = t->st->journal;
	char session_id[SESSION_ID_MAX + 1];
	int r;

	if (!j)
		return 0;
	snprintf(session_id, sizeof(session_id), "%s-%u", t->st->boot_id, t->job);
	r = journal_job_add(j, SESSION_PRINT_DOCUMENT, t->document_id, session_id,
			    &run->journal_id);
	if (r < 0)
		return r;
	if (print_task_cancelled(run))
		journal_session_end(j, session_id);
	return journal_job_begin_send(j, run->journal_id);
}

/* The verdict into the journal; for a completed job, the confirmation is
 * recorded here, before PRINT_DONE makes the owner send it. */
static void journal_end(struct document_run *run, enum session_print_result result)
{
	struct journal *j = run->t->st->journal;

	if (!j || run->journal_id <= 0)
		return;
	if (journal_job_set_state(j, run->journal_id, journal_state_from_result(result)) < 0 ||
	    (result == SESSION_PRINT_OK && journal_job_record_confirmation(j, run->journal_id) < 0))
		log_error("journal: cannot record the end of job %u", run->t->job);
}

static enum session_print_result print_document(struct print_task *t)
{
	struct station *st = t->st;
	struct backend *b = st->dev.backend;
	struct document_printer *p = st->dev.document;
	uint8_t *pdf = NULL;
	size_t len = 0;
	uint8_t stated[32], actual[32];
	enum session_print_result result = SESSION_PRINT_FAILED;
	struct document_run run = {.t = t};
	char job_name[96];
	int r;

	if (!p)
		return SESSION_PRINT_OFFLINE;
	if (!b)
		return SESSION_PRINT_FAILED;
	r = b->ops->fetch_document(b, t->document_id, &pdf, &len, stated);
	if (r < 0) {
		log_warning("document: cannot fetch: %s", strerror(-r));
		return SESSION_PRINT_FAILED;
	}
	/* Print only what the backend vouched for. */
	crypto_hash_sha256(actual, pdf, len);
	if (sodium_memcmp(actual, stated, sizeof(actual)) != 0) {
		log_error("document: SHA-256 does not match the backend's: refused");
		goto out;
	}
	if (atomic_load(&st->cancelled_job) == t->job) {
		result = SESSION_PRINT_CANCELLED;
		goto out;
	}
	/* The job name shows in printer queues: station and job only. */
	snprintf(job_name, sizeof(job_name), "%s-job-%u", st->config.station_id, t->job);
	/* A session abort reaches a job the printer already has: the back
	 * end polls this and cancels it there (ipp: Cancel-Job). The
	 * printer is used only on this worker, so the hooks are ours. */
	r = journal_begin(&run);
	if (r < 0) {
		if (r != -ECANCELED)
			log_error("journal: cannot record job %u: %s", t->job, strerror(-r));
		result = r == -ECANCELED ? SESSION_PRINT_CANCELLED : SESSION_PRINT_FAILED;
		goto out;
	}
	p->hooks = (struct document_printer_hooks){.cancelled = print_task_cancelled,
						   .job_created = print_task_job_created,
						   .userdata = &run};
	r = p->ops->print_job(p, job_name, pdf, len, &result);
	p->hooks = (struct document_printer_hooks){0};
	if (r < 0) {
		log_warning("document: printer unreachable: %s", strerror(-r));
		result = SESSION_PRINT_OFFLINE;
	}
	journal_end(&run, result);
out:
	sodium_memzero(pdf, len);
	free(pdf);
	return result;
}

static void print_run(void *arg)
{
	struct print_task *t = arg;
	struct station_event ev = {.type = STATION_EVENT_PRINT_DONE,
				   .print = {.job = t->job, .kind = t->kind}};

	if (atomic_load(&t->st->cancelled_job) == t->job)
		ev.print.result = SESSION_PRINT_CANCELLED;
	else if (t->kind == SESSION_PRINT_RECEIPT)
		ev.print.result = print_receipt(t);
	else
		ev.print.result = print_document(t);
	log_info("print job %u (%s): %s", t->job,
		 t->kind == SESSION_PRINT_RECEIPT ? "receipt" : "document",
		 session_print_result_to_string(ev.print.result));
	push(t->st, &ev);
	probe_printers(t->st);
}

static void print_free(void *arg)
{
	struct print_task *t = arg;
	struct station_queue *q = t->st->queue;

	sodium_memzero(t, sizeof(*t));
	free(t);
	station_queue_release(q);
}

static void probe_run(void *arg)
{
	probe_printers(arg);
}

static void probe_free(void *arg)
{
	struct station *st = arg;
	station_queue_release(st->queue);
}

/* -- confirmation of a collected document -- */

struct confirm_task {
	struct station *st;
	unsigned job;
	char document_id[SESSION_ID_MAX + 1];
	char key[33];
	bool ok;
};

static void confirm_run(void *arg)
{
	struct confirm_task *t = arg;
	struct station *st = t->st;
	struct backend *b = st->dev.backend;
	char job[32], key[CONFIRM_QUEUE_KEY_MAX + 1];
	int r = -EHOSTUNREACH;

	snprintf(job, sizeof(job), "%u", t->job);
	if (st->confirms) {
		/* Durable first, then sent with its key until acknowledged:
		 * now, at the next start-up, or after any later session. */
		r = confirm_queue_add(st->confirms, t->document_id, job, key);
		if (r >= 0) {
			r = b ? confirm_queue_flush(st->confirms, b) : 1;
			t->ok = r == 0;
			if (r > 0)
				log_warning("confirmations: %d not acknowledged yet, retried later",
					    r);
			else if (r == 0)
				log_info("job %u confirmed collected", t->job);
			else
				log_error("confirmations: flush failed: %s", strerror(-r));
			return;
		}
		log_error("confirmations: cannot record job %u: %s", t->job, strerror(-r));
	}
	/* No queue: a few tries with growing pauses. */
	for (unsigned attempt = 0; b && attempt < 3; attempt++) {
		r = b->ops->confirm_collected(b, t->document_id, job, t->key);
		if (r >= 0 || r == -ENOENT || r == -EACCES)
			break;
		struct timespec pause = {.tv_nsec = (long)(100000000L << attempt)};
		nanosleep(&pause, NULL);
	}
	t->ok = r >= 0;
	if (r < 0)
		log_warning("confirmation of job %u failed: %s", t->job, strerror(-r));
	else
		log_info("job %u confirmed collected", t->job);
}

/* Sends what earlier sessions or runs could not (backend worker). */
static void flush_run(void *arg)
{
	struct station *st = arg;
	int r;

	if (!st->confirms || !st->dev.backend)
		return;
	r = confirm_queue_flush(st->confirms, st->dev.backend);
	if (r > 0)
		log_warning("confirmations: %d still not acknowledged", r);
	else if (r < 0)
		log_error("confirmations: flush failed: %s", strerror(-r));
}

static void flush_free(void *arg)
{
	struct station *st = arg;
	station_queue_release(st->queue);
}

static void confirm_free(void *arg)
{
	struct confirm_task *t = arg;
	struct station *st = t->st;

	/* Counters are owner-thread data: the result travels back as a
	 * device state of the backend, which the owner counts. */
	push_device(st, SESSION_DEVICE_BACKEND,
		    t->ok ? SESSION_DEVICE_OK : SESSION_DEVICE_DEGRADED);
	free(t);
	station_queue_release(st->queue);
}

/* -- heartbeat -- */

struct heartbeat_task {
	struct station *st;
	uint64_t uptime_s;
	enum session_device_state states[_SESSION_DEVICE_MAX];
};

/* Backend worker: the confirmation queue is this worker's to read. */
static void heartbeat_run(void *arg)
{
	struct heartbeat_task *t = arg;
	struct station *st = t->st;
	unsigned pending = 0;
	int r;

	if (st->confirms)
		(void)confirm_queue_pending(st->confirms, &pending);
	r = backend_http_heartbeat(st->dev.backend, STATION_VERSION, t->uptime_s, pending,
				   t->states);
	if (r < 0)
		log_debug("heartbeat: %s", strerror(-r));
}

static void heartbeat_free(void *arg)
{
	struct heartbeat_task *t = arg;

	station_queue_release(t->st->queue);
	free(t);
}

/* On a tick: a heartbeat when one is due and none is on its way. */
static void maybe_heartbeat(struct station *st, uint64_t now_ms)
{
	struct heartbeat_task *t;

	if (!st->config.backend_heartbeat_s || !st->dev.backend || now_ms < st->next_heartbeat_ms)
		return;
	st->next_heartbeat_ms = now_ms + st->config.backend_heartbeat_s * 1000;
	t = calloc(1, sizeof(*t));
	if (!t)
		return;
	t->st = st;
	t->uptime_s = (now_ms - st->started_ms) / 1000;
	memcpy(t->states, st->session.devices, sizeof(t->states));
	if (submit(st, st->backend_worker, heartbeat_run, t, heartbeat_free) < 0)
		log_warning("heartbeat: cannot queue");
}

uint64_t station_next_heartbeat(const struct station *st)
{
	return st->config.backend_heartbeat_s && st->dev.backend ? st->next_heartbeat_ms
								 : UINT64_MAX;
}

/* -- idle printer probe -- */

static void idle_probe_free(void *arg)
{
	struct station *st = arg;

	atomic_store(&st->probe_queued, false);
	station_queue_release(st->queue);
}

/* Whether the kiosk waits for nobody: no citizen, no technician. */
static bool idle(const struct station *st)
{
	return st->session.state == SESSION_WELCOME || st->session.state == SESSION_OUT_OF_SERVICE;
}

/* On a tick: while idle, every probe_interval, the printers asked how they
 * are, so that faults and recoveries reach the session, the fault log and
 * the metrics without waiting for a citizen. On the print worker: after
 * any job queued there, never beside one, and the owner never blocks; one
 * probe queued at most. */
static void maybe_probe(struct station *st, uint64_t now_ms)
{
	if (station_next_probe(st) > now_ms)
		return;
	st->next_probe_ms = now_ms + st->config.probe_interval_s * 1000;
	if (atomic_exchange(&st->probe_queued, true))
		return;
	if (submit(st, st->print_worker, probe_run, st, idle_probe_free) < 0)
		log_warning("printer probe: cannot queue");
}

uint64_t station_next_probe(const struct station *st)
{
	if (!st->config.probe_interval_s || (!st->dev.receipt && !st->dev.document) || !idle(st))
		return UINT64_MAX;
	return st->next_probe_ms;
}

uint64_t station_next_timer(const struct station *st)
{
	uint64_t h = station_next_heartbeat(st), p = station_next_probe(st);
	uint64_t r = station_next_recovery(st);

	h = h < p ? h : p;
	return h < r ? h : r;
}

/* -- the diagnostic report for the maintenance screen -- */

/* The report of `station diag`, cut down to what the screen shows (each
 * section's line, and the fault log's newest lines). Pure
 * apart from the allocation; exported for the tests (station.h). */
int station_diag_summary(const json_t *report, struct session_diag *ret)
{
	const json_t *sections = json_object_get(report, "sections"), *sec;
	const char *name;

	memset(ret, 0, sizeof(*ret));
	if (!json_is_object(sections))
		return -EINVAL;
	ret->verdict = DIAG_OK;
	json_object_foreach((json_t *)(uintptr_t)sections, name, sec)
	{
		struct session_diag_section *d;
		const char *summary = json_string_value(json_object_get(sec, "summary"));
		enum diag_verdict v = diag_section_verdict(sec);

		if (ret->n >= SESSION_DIAG_SECTIONS_MAX)
			break;
		d = &ret->sections[ret->n++];
		snprintf(d->name, sizeof(d->name), "%s", name);
		d->verdict = v < 0 ? DIAG_FAILED : (int)v;
		snprintf(d->summary, sizeof(d->summary), "%s", summary ? summary : "");
		if (d->verdict > ret->verdict)
			ret->verdict = d->verdict;
	}
	/* The fault log's newest lines, for the screen's fault list. */
	sec = json_object_get(json_object_get(sections, "faults"), "entries");
	for (size_t i = 0; json_is_array(sec) && i < json_array_size(sec) &&
			   ret->n_faults < SESSION_DIAG_FAULTS_MAX;
	     i++) {
		const json_t *e = json_array_get(sec, i);
		struct session_diag_fault *f = &ret->faults[ret->n_faults];
		const char *time = json_string_value(json_object_get(e, "time"));
		const char *device = json_string_value(json_object_get(e, "device"));
		const char *from = json_string_value(json_object_get(e, "from"));
		const char *state = json_string_value(json_object_get(e, "state"));

		if (!time || !device || !from || !state)
			continue;
		snprintf(f->time, sizeof(f->time), "%s", time);
		snprintf(f->device, sizeof(f->device), "%s", device);
		snprintf(f->from, sizeof(f->from), "%s", from);
		snprintf(f->state, sizeof(f->state), "%s", state);
		ret->n_faults++;
	}
	return 0;
}

static void diag_task_run(void *arg)
{
	struct station *st = arg;
	struct diag_options opt = {.config = &st->config, .backend_timeout_ms = 3000};
	struct station_event ev = {.type = STATION_EVENT_DIAG_DONE};
	enum diag_verdict v;
	json_t *report = NULL;

	ev.diag = calloc(1, sizeof(*ev.diag));
	if (!ev.diag)
		return;
	if (diag_run(&opt, &report, &v) < 0 || station_diag_summary(report, ev.diag) < 0) {
		ev.diag->n = 1;
		ev.diag->verdict = DIAG_FAILED;
		snprintf(ev.diag->sections[0].name, sizeof(ev.diag->sections[0].name), "diag");
		ev.diag->sections[0].verdict = DIAG_FAILED;
		snprintf(ev.diag->sections[0].summary, sizeof(ev.diag->sections[0].summary),
			 "the report could not be made (out of memory)");
	}
	json_decref(report);
	log_info("maintenance: diagnostic report: %s",
		 diag_verdict_to_string((enum diag_verdict)ev.diag->verdict));
	push(st, &ev);
}

static void diag_task_free(void *arg)
{
	struct station *st = arg;

	station_queue_release(st->queue);
}

/* -- the active tests of the maintenance screen -- */

struct test_task {
	struct station *st;
	unsigned id;		    /* the RUN_TEST's */
	enum session_device device; /* a printer or the backend */
};

/* `station diag test receipt|document|backend` on the station's own
 * devices (a claimed USB printer cannot be opened twice; the demo's
 * backend is the simulator it scripts), then a probe of the printers, so
 * that the device table shows what the test found. The print worker for
 * the printers, the backend worker for the backend. */
static void test_task_run(void *arg)
{
	struct test_task *t = arg;
	struct station *st = t->st;
	struct diag_options opt = {.config = &st->config, .backend_timeout_ms = 3000};
	struct diag_test_devices devs = {.receipt = st->dev.receipt,
					 .document = st->dev.document,
					 .backend = st->dev.backend};
	struct station_event ev = {.type = STATION_EVENT_TEST_DONE, .request = t->id};
	enum diag_test which = t->device == SESSION_DEVICE_RECEIPT_PRINTER    ? DIAG_TEST_RECEIPT
			       : t->device == SESSION_DEVICE_DOCUMENT_PRINTER ? DIAG_TEST_DOCUMENT
									      : DIAG_TEST_BACKEND;
	enum diag_verdict v = DIAG_FAILED;
	struct session_diag_section *d;
	const char *summary = NULL;
	json_t *sec = NULL;
	int r;

	ev.diag = calloc(1, sizeof(*ev.diag));
	if (!ev.diag) {
		log_error("maintenance: test %s: out of memory", diag_test_to_string(which));
		return;
	}
	r = diag_test_run_on(which, &opt, &devs, &sec, &v);
	if (r >= 0)
		summary = json_string_value(json_object_get(sec, "summary"));
	d = &ev.diag->sections[0];
	ev.diag->n = 1;
	ev.diag->verdict = d->verdict = r < 0 ? DIAG_FAILED : (int)v;
	snprintf(d->name, sizeof(d->name), "%s", diag_test_to_string(which));
	snprintf(d->summary, sizeof(d->summary), "%s",
		 summary ? summary
		 : r < 0 ? strerror(-r)
			 : "");
	json_decref(sec);
	if (which != DIAG_TEST_BACKEND)
		probe_printers(st);
	push(st, &ev);
}

static void test_task_free(void *arg)
{
	struct test_task *t = arg;
	struct station_queue *q = t->st->queue;

	free(t);
	station_queue_release(q);
}

/* -- the recovery ladder -- */

struct usb_reset_task {
	struct station *st;
	struct usb_match match;
	enum session_device device;
};

static void usb_reset_run(void *arg)
{
	struct usb_reset_task *t = arg;
	int r = usb_reset_matching(&t->match);

	if (r < 0)
		log_warning("recovery %s: USB reset: %s", session_device_to_string(t->device),
			    strerror(-r));
	/* How it went shows as the device's next state: ask the printers. */
	probe_printers(t->st);
}

static void usb_reset_free(void *arg)
{
	struct usb_reset_task *t = arg;
	struct station_queue *q = t->st->queue;

	free(t);
	station_queue_release(q);
}

/* What the device said, for its ladder. */
static void recovery_feed(struct station *st, enum session_device d, enum session_device_state s)
{
	struct recovery *r = &st->recovery[d];
	bool was_failing =
		r->state == SESSION_DEVICE_FAILED || r->state == SESSION_DEVICE_RECOVERING;

	if (!r->policy)
		return;
	recovery_report(r, s, st->session.now_ms);
	if (was_failing && (s == SESSION_DEVICE_OK || s == SESSION_DEVICE_DEGRADED))
		metrics_recovered(st->metrics, d);
}

/* Carries out one remedy. Nothing here blocks the owner: the card reader
 * acts on its own thread, probes and USB resets run on the print worker. */
static void recovery_act(struct station *st, enum session_device d, enum recovery_action a)
{
	const char *name = session_device_to_string(d);
	struct usb_reset_task *t;
	int r = 0;

	metrics_recovery(st->metrics, d, a);
	if (a == RECOVERY_RESTART_NEEDED) {
		log_error("recovery %s: every remedy tried and it is still failed: restart needed",
			  name);
		if (st->faults)
			/* The ladder's end: "recovering -> failed". */
			(void)fault_log_add(st->faults, (int64_t)time(NULL), name, "recovering",
					    "failed");
		return;
	}
	log_warning("recovery %s: %s (attempt %llu)", name, recovery_action_to_string(a),
		    (unsigned long long)st->recovery[d].attempts[a]);
	switch (a) {
	case RECOVERY_REOPEN:
	case RECOVERY_NEW_CONTEXT:
		if (d == SESSION_DEVICE_CARD_READER && st->dev.card) {
			r = card_reader_recover(st->dev.card, a == RECOVERY_REOPEN
								      ? CARD_RECOVER_REOPEN
								      : CARD_RECOVER_NEW_CONTEXT);
		} else if ((d == SESSION_DEVICE_RECEIPT_PRINTER ||
			    d == SESSION_DEVICE_DOCUMENT_PRINTER) &&
			   !atomic_exchange(&st->probe_queued, true)) {
			/* A probe opens the printer again. */
			r = submit(st, st->print_worker, probe_run, st, idle_probe_free);
		}
		/* The camera and the backend reconnect by themselves
		 * (qr-source-camera.c, each request): the attempt is counted
		 * and the ladder keeps time for "restart needed". */
		break;
	case RECOVERY_USB_RESET:
		t = calloc(1, sizeof(*t));
		if (!t) {
			r = -ENOMEM;
			break;
		}
		t->st = st;
		t->device = d;
		if (d == SESSION_DEVICE_CARD_READER)
			t->match = (struct usb_match){.iface_class = USB_CLASS_SMART_CARD_};
		else if (usb_match_from_uri(st->config.receipt_printer, &t->match) < 0)
			t->match = (struct usb_match){.iface_class = USB_CLASS_PRINTER_};
		r = submit(st, st->print_worker, usb_reset_run, t, usb_reset_free);
		break;
	default:
		break;
	}
	if (r < 0 && r != -EOPNOTSUPP)
		log_warning("recovery %s: %s: %s", name, recovery_action_to_string(a),
			    strerror(-r));
}

static void maybe_recover(struct station *st, uint64_t now_ms)
{
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++) {
		enum recovery_action a;

		if (!st->recovery[d].policy)
			continue;
		a = recovery_next(&st->recovery[d], now_ms);
		if (a != RECOVERY_NONE)
			recovery_act(st, (enum session_device)d, a);
	}
}

uint64_t station_next_recovery(const struct station *st)
{
	uint64_t next = UINT64_MAX;

	for (int d = 0; d < _SESSION_DEVICE_MAX; d++) {
		uint64_t t = recovery_deadline(&st->recovery[d]);

		if (t && t < next)
			next = t;
	}
	return next;
}

const struct recovery *station_recovery(const struct station *st, enum session_device d)
{
	return d >= 0 && d < _SESSION_DEVICE_MAX ? &st->recovery[d] : NULL;
}

/* -- technician PIN -- */

struct pin_task {
	struct station *st;
	char pin[SESSION_PIN_MAX + 1];
};

static void pin_run(void *arg)
{
	struct pin_task *t = arg;
	const char *hash = t->st->secrets.technician_pin_hash;
	struct station_event ev = {.type = STATION_EVENT_PIN_RESULT, .pin = SESSION_PIN_WRONG};

	if (hash[0] && crypto_pwhash_str_verify(hash, t->pin, strlen(t->pin)) == 0)
		ev.pin = SESSION_PIN_OK;
	push(t->st, &ev);
}

static void pin_free(void *arg)
{
	struct pin_task *t = arg;
	struct station_queue *q = t->st->queue;

	sodium_memzero(t, sizeof(*t));
	free(t);
	station_queue_release(q);
}

/* ---- commands ----------------------------------------------------------- */

static void run_command(struct station *st, const struct session_cmd *c)
{
	const struct session *s = &st->session;
	int r = 0;

	switch (c->type) {
	case SESSION_CMD_LOOKUP_CARD:
	case SESSION_CMD_LOOKUP_QR: {
		struct lookup_task *t = calloc(1, sizeof(*t));
		if (!t) {
			r = -ENOMEM;
			break;
		}
		t->st = st;
		t->request = c->request;
		t->by_qr = c->type == SESSION_CMD_LOOKUP_QR;
		t->card = s->personal.card;
		memcpy(t->token, s->personal.qr.token, sizeof(t->token));
		st->counters.lookups++;
		metrics_inc(st->metrics, METRICS_LOOKUPS);
		r = submit(st, st->backend_worker, lookup_run, t, lookup_free);
		break;
	}
	case SESSION_CMD_START_SCAN:
	case SESSION_CMD_STOP_SCAN:
		if (st->dev.qr) {
			/* The preview only while the QR screen is up; off wipes it
			 * (the citizen's face). */
			camera_preview_enable(qr_source_get_preview(st->dev.qr),
					      c->type == SESSION_CMD_START_SCAN);
			r = qr_source_set_active(st->dev.qr, c->type == SESSION_CMD_START_SCAN);
		}
		break;
	case SESSION_CMD_PRINT_RECEIPT:
	case SESSION_CMD_PRINT_DOCUMENT: {
		struct print_task *t = calloc(1, sizeof(*t));
		if (!t) {
			r = -ENOMEM;
			break;
		}
		t->st = st;
		t->job = c->job;
		t->english = s->personal.english;
		if (c->type == SESSION_CMD_PRINT_RECEIPT) {
			t->kind = SESSION_PRINT_RECEIPT;
			t->result = s->personal.result;
		} else {
			t->kind = SESSION_PRINT_DOCUMENT;
			snprintf(t->document_id, sizeof(t->document_id), "%s", c->text);
		}
		r = submit(st, st->print_worker, print_run, t, print_free);
		break;
	}
	case SESSION_CMD_CANCEL_PRINT:
		atomic_store(&st->cancelled_job, c->job);
		break;
	case SESSION_CMD_CONFIRM_COLLECTED: {
		struct confirm_task *t = calloc(1, sizeof(*t));
		uint8_t key[16];
		if (!t) {
			r = -ENOMEM;
			break;
		}
		t->st = st;
		t->job = c->job;
		snprintf(t->document_id, sizeof(t->document_id), "%s", c->text);
		/* One key per collection: retries reuse it, so the backend
		 * counts the collection once. */
		randombytes_buf(key, sizeof(key));
		sodium_bin2hex(t->key, sizeof(t->key), key, sizeof(key));
		st->counters.documents_printed++;
		metrics_inc(st->metrics, METRICS_DOCUMENTS_PRINTED);
		st->counters.confirmations_sent++;
		r = submit(st, st->backend_worker, confirm_run, t, confirm_free);
		break;
	}
	case SESSION_CMD_CHECK_PIN: {
		struct pin_task *t;
		struct station_event ev = {.type = STATION_EVENT_PIN_RESULT,
					   .pin = SESSION_PIN_LOCKED};
		if (st->pin_locked_until_ms > s->now_ms) {
			log_warning("audit: technician login refused: locked out");
			push(st, &ev);
			break;
		}
		t = calloc(1, sizeof(*t));
		if (!t) {
			r = -ENOMEM;
			break;
		}
		t->st = st;
		snprintf(t->pin, sizeof(t->pin), "%s", c->text);
		r = submit(st, st->auth_worker, pin_run, t, pin_free);
		break;
	}
	case SESSION_CMD_RUN_DIAG:
		/* On the print worker: it asks the printers too, never beside
		 * a job. */
		r = submit(st, st->print_worker, diag_task_run, st, diag_task_free);
		break;
	case SESSION_CMD_RUN_TEST: {
		/* Each device on the worker that uses it: the printers on the
		 * print worker (never beside a job), the backend on its own. */
		struct test_task *t = calloc(1, sizeof(*t));

		if (!t) {
			r = -ENOMEM;
			break;
		}
		t->st = st;
		t->id = c->request;
		t->device = (enum session_device)c->job;
		r = submit(st,
			   t->device == SESSION_DEVICE_BACKEND ? st->backend_worker
							       : st->print_worker,
			   test_task_run, t, test_task_free);
		break;
	}
	case SESSION_CMD_END:
		st->counters.sessions++;
		metrics_inc(st->metrics, METRICS_SESSIONS);
		log_info("session ended");
		station_queue_hold(st->queue);
		r = worker_submit(st->print_worker, probe_run, st, probe_free);
		if (r >= 0 && st->confirms) {
			station_queue_hold(st->queue);
			r = worker_submit(st->backend_worker, flush_run, st, flush_free);
		}
		break;
	default:
		break;
	}
	if (r < 0)
		log_error("command %s failed: %s", session_cmd_type_to_string(c->type),
			  strerror(-r));
	if (st->observer)
		st->observer(st->observer_data, c->type);
}

/* A device changed state: the fault log keeps it for the technician.
 * Owner thread; the device and state names carry nothing personal. */
static void record_device(struct station *st, enum session_device d, enum session_device_state from,
			  enum session_device_state to)
{
	int r;

	if (from == to)
		return;
	if (to == SESSION_DEVICE_OK)
		log_info("device %s recovered (was %s)", session_device_to_string(d),
			 session_device_state_to_string(from));
	else
		log_warning("device %s is %s (was %s)", session_device_to_string(d),
			    session_device_state_to_string(to),
			    session_device_state_to_string(from));
	if (!st->faults)
		return;
	r = fault_log_add(st->faults, (int64_t)time(NULL), session_device_to_string(d),
			  session_device_state_to_string(from), session_device_state_to_string(to));
	if (r < 0)
		log_warning("fault log: %s", strerror(-r));
}

/* Events the station itself looks at before the session does. */
static void intercept(struct station *st, struct station_event *ev)
{
	if (ev->type == STATION_EVENT_DEVICE_STATE && ev->device.device >= 0 &&
	    ev->device.device < _SESSION_DEVICE_MAX) {
		record_device(st, ev->device.device, st->session.devices[ev->device.device],
			      ev->device.state);
		metrics_device_state(st->metrics, ev->device.device, ev->device.state);
		recovery_feed(st, ev->device.device, ev->device.state);
	}
	if (ev->type == STATION_EVENT_CARD_READ &&
	    technician_card_allowed(&st->secrets, ev->card.uid, ev->card.uid_len)) {
		/* Audited like a PIN, without the UID; the card's data go now. */
		log_info("audit: maintenance opened with a technician card");
		sodium_memzero(ev->card.nik, sizeof(ev->card.nik));
		sodium_memzero(ev->card.name, sizeof(ev->card.name));
		ev->card.technician = true;
	} else if (ev->type == STATION_EVENT_CARD_READ) {
		metrics_inc(st->metrics, METRICS_CARD_READS);
	} else if (ev->type == STATION_EVENT_CARD_FAILED)
		metrics_inc(st->metrics, METRICS_CARD_FAILURES);
	else if (ev->type == STATION_EVENT_QR_TOKEN)
		metrics_inc(st->metrics, METRICS_QR_SCANS);
	else if (ev->type == STATION_EVENT_QR_REFUSED)
		metrics_inc(st->metrics, METRICS_QR_REFUSED);
	if (ev->type == STATION_EVENT_PIN_RESULT) {
		if (ev->pin == SESSION_PIN_OK) {
			st->pin_failures_in_row = 0;
			log_info("audit: technician login");
		} else if (ev->pin == SESSION_PIN_WRONG) {
			st->counters.pin_failures++;
			metrics_inc(st->metrics, METRICS_PIN_FAILURES);
			st->pin_failures_in_row++;
			log_warning("audit: technician login failed (%u in a row)",
				    st->pin_failures_in_row);
			if (st->pin_failures_in_row >= st->config.pin_max_failures) {
				st->pin_failures_in_row = 0;
				st->pin_locked_until_ms =
					st->session.now_ms + st->config.pin_lockout_s * 1000;
				ev->pin = SESSION_PIN_LOCKED;
				log_warning("audit: technician login locked for %llu s",
					    (unsigned long long)st->config.pin_lockout_s);
			}
		}
	} else if (ev->type == STATION_EVENT_PRINT_DONE) {
		if (ev->print.result == SESSION_PRINT_OK &&
		    ev->print.kind == SESSION_PRINT_RECEIPT) {
			st->counters.receipts_printed++;
			metrics_inc(st->metrics, METRICS_RECEIPTS_PRINTED);
		} else if (ev->print.result != SESSION_PRINT_OK) {
			st->counters.print_failures++;
			metrics_inc(st->metrics, METRICS_PRINT_FAILURES);
		}
	} else if (ev->type == STATION_EVENT_DEVICE_STATE &&
		   ev->device.device == SESSION_DEVICE_BACKEND &&
		   ev->device.state == SESSION_DEVICE_DEGRADED) {
		st->counters.confirmation_failures++;
	}
}

/* What the session did with an event, for the log: device states (a
 * change at info, so operators see readers and printers come and go) and
 * screen changes (debug). Names of states and errors only, never personal
 * data. */
static void log_device(const struct station *st, const struct station_event *ev,
		       enum session_device_state before)
{
	const struct station_event_device *d = &ev->device;

	if (ev->type != STATION_EVENT_DEVICE_STATE || (int)d->device < 0 ||
	    d->device >= _SESSION_DEVICE_MAX)
		return;
	if (st->session.devices[d->device] != before)
		log_info("device %s: %s -> %s", session_device_to_string(d->device),
			 session_device_state_to_string(before),
			 session_device_state_to_string(st->session.devices[d->device]));
	else
		log_debug("device %s: %s", session_device_to_string(d->device),
			  session_device_state_to_string(before));
}

static void log_state(const struct station *st, enum session_state before)
{
	const struct session *s = &st->session;

	if (s->state == before)
		return;
	if (s->state == SESSION_ERROR)
		log_debug("session: %s -> %s (%s)", session_state_to_string(before),
			  session_state_to_string(s->state), session_error_to_string(s->error));
	else
		log_debug("session: %s -> %s", session_state_to_string(before),
			  session_state_to_string(s->state));
}

/* The maintenance screen's tests, started and ended: technical words only
 * (session.h keeps nothing of a card or code in them). */
static void log_test(const struct station *st, int testing)
{
	const struct session *s = &st->session;

	if (testing < 0 && s->test_device >= 0)
		log_info("maintenance: testing %s",
			 session_device_to_string((enum session_device)s->test_device));
	else if (testing >= 0 && s->test_device < 0 && s->tested_device == testing)
		log_info("maintenance: test %s: %s: %s", s->test.name,
			 diag_verdict_to_string((enum diag_verdict)s->test.verdict),
			 s->test.summary);
}

bool station_dispatch(struct station *st, struct station_event *ev)
{
	struct session_cmds cmds = {0};
	enum session_state state = st->session.state;
	int testing = st->session.test_device;
	enum session_device_state device = SESSION_DEVICE_OK;
	bool redraw;

	intercept(st, ev);
	if (ev->type != STATION_EVENT_TICK)
		log_debug("event %s in %s", station_event_type_to_string(ev->type),
			  session_state_to_string(st->session.state));
	if (ev->type == STATION_EVENT_DEVICE_STATE && (int)ev->device.device >= 0 &&
	    ev->device.device < _SESSION_DEVICE_MAX)
		device = st->session.devices[ev->device.device];
	redraw = session_handle(&st->session, ev, &cmds);
	log_device(st, ev, device);
	log_state(st, state);
	log_test(st, testing);
	/* An error screen shown: a failure, counted by its cause. */
	if (st->session.state == SESSION_ERROR && state != SESSION_ERROR)
		metrics_failure(st->metrics, st->session.error);
	station_event_clear(ev);
	for (size_t i = 0; i < cmds.n; i++)
		run_command(st, &cmds.cmd[i]);
	sodium_memzero(&cmds, sizeof(cmds));
	return redraw;
}

bool station_tick(struct station *st, uint64_t now_ms)
{
	struct station_event ev = {.type = STATION_EVENT_TICK, .now_ms = now_ms};

	maybe_heartbeat(st, now_ms);
	maybe_probe(st, now_ms);
	maybe_recover(st, now_ms);
	return station_dispatch(st, &ev);
}

bool station_drain(struct station *st, bool *ret_quit)
{
	struct station_event ev;
	bool redraw = false;

	while (station_queue_pop(st->queue, &ev) > 0) {
		if (ev.type == STATION_EVENT_QUIT) {
			station_event_clear(&ev);
			if (ret_quit)
				*ret_quit = true;
			continue;
		}
		redraw |= station_dispatch(st, &ev);
	}
	return redraw;
}

/* ---- life cycle --------------------------------------------------------- */

/* The per-station key of the journal's NIK hashes: state_dir/journal.key,
 * made once with 0600. 0 or -errno. Blocks on disk (start-up only). */
static int journal_key(const char *dir, uint8_t key[JOURNAL_KEY_BYTES])
{
	char path[CONFIG_PATH_MAX + 32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/journal.key", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, key, JOURNAL_KEY_BYTES);
		close(fd);
		return n == JOURNAL_KEY_BYTES ? 0 : -EIO;
	}
	if (errno != ENOENT)
		return -errno;
	randombytes_buf(key, JOURNAL_KEY_BYTES);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	n = write(fd, key, JOURNAL_KEY_BYTES);
	if (n != JOURNAL_KEY_BYTES || fsync(fd) < 0) {
		close(fd);
		unlink(path);
		return -EIO;
	}
	close(fd);
	return 0;
}

/* Opens state_dir/print-journal.db when state_dir is a writable
 * directory; without one the station runs unjournaled (development,
 * tests), and says so. */
static void open_journal(struct station *st)
{
	char path[CONFIG_PATH_MAX + 32];
	uint8_t key[JOURNAL_KEY_BYTES];
	struct stat sb;
	uint8_t boot[8];
	int r;

	randombytes_buf(boot, sizeof(boot));
	sodium_bin2hex(st->boot_id, sizeof(st->boot_id), boot, sizeof(boot));
	if (stat(st->config.state_dir, &sb) < 0 || !S_ISDIR(sb.st_mode) ||
	    access(st->config.state_dir, W_OK | X_OK) < 0) {
		log_warning("journal: state_dir %s is not a writable directory: printing "
			    "unjournaled",
			    st->config.state_dir);
		return;
	}
	r = journal_key(st->config.state_dir, key);
	if (r >= 0) {
		snprintf(path, sizeof(path), "%s/print-journal.db", st->config.state_dir);
		r = journal_open(path, key, &st->journal);
	}
	sodium_memzero(key, sizeof(key));
	if (r < 0)
		log_error("journal: cannot open in %s: %s", st->config.state_dir, strerror(-r));
	snprintf(path, sizeof(path), "%s/confirmations.db", st->config.state_dir);
	r = confirm_queue_open(path, &st->confirms);
	if (r < 0)
		log_error("confirmations: cannot open in %s: %s", st->config.state_dir,
			  strerror(-r));
	snprintf(path, sizeof(path), "%s/faults.db", st->config.state_dir);
	r = fault_log_open(path, &st->faults);
	if (r < 0)
		log_error("fault log: cannot open in %s: %s", st->config.state_dir, strerror(-r));
}

/* journal_resolve_fn through the document printer (ipp: by job id). */
static int resolve_through_printer(void *userdata, int printer_job_id,
				   enum journal_state *ret_state)
{
	struct document_printer *p = userdata;
	enum session_print_result result;
	int r;

	if (!p || !p->ops->resolve_job)
		return -EOPNOTSUPP;
	r = p->ops->resolve_job(p, printer_job_id, &result);
	if (r < 0)
		return r;
	*ret_state = journal_state_from_result(result);
	return 0;
}

/* On the print worker, before any job: settles what the last run left. */
static void recover_run(void *arg)
{
	struct station *st = arg;
	struct journal_recovery rec;
	int r;

	if (!st->journal)
		return;
	r = journal_recover(st->journal, resolve_through_printer, st->dev.document, &rec);
	if (r < 0) {
		log_error("journal: recovery failed: %s", strerror(-r));
		return;
	}
	if (rec.cancelled || rec.completed || rec.failed || rec.unresolved)
		log_info("journal: recovered: %u cancelled, %u completed, %u failed, %u "
			 "unresolved, %u confirmations owed",
			 rec.cancelled, rec.completed, rec.failed, rec.unresolved,
			 rec.confirmations_owed);
}

static void free_devices(struct station_devices *d)
{
	d->card = card_reader_free(d->card);
	d->qr = qr_source_free(d->qr);
	d->receipt = receipt_printer_free(d->receipt);
	d->document = document_printer_free(d->document);
	d->backend = backend_free(d->backend);
}

int station_new(const struct station_config *config, const struct station_secrets *secrets,
		struct station_devices *devs, struct station_queue *q, uint64_t now_ms,
		struct station **ret_station)
{
	struct station *st;
	int r;

	if (sodium_init() < 0) {
		free_devices(devs);
		return -EIO;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		free_devices(devs);
		return -ENOMEM;
	}
	st->config = *config;
	if (secrets)
		st->secrets = *secrets;
	st->queue = q;
	st->dev = *devs;
	memset(devs, 0, sizeof(*devs));
	session_init(&st->session, &config->timeouts, config->english, now_ms);
	st->started_ms = st->next_heartbeat_ms = now_ms;
	/* station_start() probes once; the idle probes follow. */
	st->next_probe_ms = now_ms + config->probe_interval_s * 1000;
	if (!st->dev.card)
		st->session.devices[SESSION_DEVICE_CARD_READER] = SESSION_DEVICE_FAILED;
	if (!st->dev.qr)
		st->session.devices[SESSION_DEVICE_CAMERA] = SESSION_DEVICE_FAILED;
	if (!st->dev.receipt)
		st->session.devices[SESSION_DEVICE_RECEIPT_PRINTER] = SESSION_DEVICE_FAILED;
	if (!st->dev.document)
		st->session.devices[SESSION_DEVICE_DOCUMENT_PRINTER] = SESSION_DEVICE_FAILED;
	if (!st->dev.backend)
		st->session.devices[SESSION_DEVICE_BACKEND] = SESSION_DEVICE_FAILED;
	if (!st->dev.card && !st->dev.qr)
		st->session.state = SESSION_OUT_OF_SERVICE;

	open_journal(st);
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++)
		record_device(st, (enum session_device)d, SESSION_DEVICE_OK,
			      st->session.devices[d]);
	r = worker_new("backend", &st->backend_worker);
	if (r >= 0)
		r = worker_new("print", &st->print_worker);
	if (r >= 0)
		r = worker_new("auth", &st->auth_worker);
	if (r < 0) {
		station_free(st);
		return r;
	}
	*ret_station = st;
	return 0;
}

int station_start(struct station *st)
{
	int r;

	/* A ladder for each device; USB ones may get a port reset. */
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++) {
		bool usb = false;

		if (d == SESSION_DEVICE_CARD_READER)
			usb = strcmp(st->config.card_backend, "pcsc") == 0;
		else if (d == SESSION_DEVICE_RECEIPT_PRINTER)
			usb = strncmp(st->config.receipt_printer, "usb://", 6) == 0;
		recovery_init(&st->recovery[d], recovery_policy_for((enum session_device)d, usb));
	}

	if (st->dev.card) {
		r = card_reader_start(st->dev.card);
		if (r < 0)
			return r;
	}
	if (st->dev.qr) {
		r = qr_source_start(st->dev.qr);
		if (r < 0)
			return r;
	}
	station_queue_hold(st->queue);
	r = worker_submit(st->print_worker, recover_run, st, probe_free);
	if (r < 0)
		return r;
	station_queue_hold(st->queue);
	r = worker_submit(st->print_worker, probe_run, st, probe_free);
	if (r < 0 || !st->confirms)
		return r;
	/* Confirmations an earlier run could not deliver. */
	station_queue_hold(st->queue);
	return worker_submit(st->backend_worker, flush_run, st, flush_free);
}

struct station *station_free(struct station *st)
{
	if (!st)
		return NULL;
	/* Devices first: their threads push into the queue. Then the
	 * workers, which finish the task under way. */
	if (st->dev.card)
		st->dev.card = card_reader_free(st->dev.card);
	if (st->dev.qr)
		st->dev.qr = qr_source_free(st->dev.qr);
	st->auth_worker = worker_free(st->auth_worker);
	st->backend_worker = worker_free(st->backend_worker);
	st->print_worker = worker_free(st->print_worker);
	st->journal = journal_free(st->journal);
	st->confirms = confirm_queue_free(st->confirms);
	st->faults = fault_log_free(st->faults);
	free_devices(&st->dev);
	session_wipe(&st->session);
	config_secrets_wipe(&st->secrets);
	sodium_memzero(st, sizeof(*st));
	free(st);
	return NULL;
}

const struct session *station_session(const struct station *st)
{
	return &st->session;
}

const struct station_devices *station_devices(const struct station *st)
{
	return &st->dev;
}

void station_set_metrics(struct station *st, struct metrics *m)
{
	st->metrics = m;
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++)
		metrics_device_state(m, (enum session_device)d, st->session.devices[d]);
}

void station_get_counters(const struct station *st, struct station_counters *ret)
{
	*ret = st->counters;
}

const struct station_config *station_config(const struct station *st)
{
	return &st->config;
}

void station_set_apps_per_page(struct station *st, unsigned n, unsigned n_large)
{
	st->session.apps_per_page = n ? n : 1;
	st->session.apps_per_page_large = n_large ? n_large : st->session.apps_per_page;
}

void station_set_observer(struct station *st, station_cmd_observer_t fn, void *userdata)
{
	st->observer = fn;
	st->observer_data = userdata;
}
