/* SPDX-License-Identifier: MIT */
/*
 * Counters as relaxed atomics (each is independent; a scrape may see one
 * event counted in one metric and not yet in another, as Prometheus
 * allows), rendered into the text exposition format.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "metrics.h"
#include "recovery.h"
#include "session.h"
#include "version.h"

struct metrics {
	atomic_ullong counters[_METRICS_COUNTER_MAX];
	atomic_ullong failures[_SESSION_ERROR_MAX];
	atomic_int device_state[_SESSION_DEVICE_MAX];
	atomic_ullong faults[_SESSION_DEVICE_MAX];
	atomic_ullong recoveries[_SESSION_DEVICE_MAX];
	/* The recovery ladder (recovery.h): remedies tried, and whether every
	 * one was tried in vain. */
	atomic_ullong remedies[_SESSION_DEVICE_MAX][_RECOVERY_ACTION_MAX];
	atomic_int restart_needed[_SESSION_DEVICE_MAX];
};

static const struct {
	const char *name, *help;
} counter_info[_METRICS_COUNTER_MAX] = {
	[METRICS_SESSIONS] = {"station_sessions_total", "Sessions ended."},
	[METRICS_CARD_READS] = {"station_card_reads_total", "e-KTP cards read."},
	[METRICS_CARD_FAILURES] = {"station_card_failures_total", "Cards that could not be read."},
	[METRICS_QR_SCANS] = {"station_qr_scans_total", "QR tokens that verified."},
	[METRICS_QR_REFUSED] = {"station_qr_refused_total",
				"QR codes refused (forged, expired, not MPP)."},
	[METRICS_LOOKUPS] = {"station_lookups_total", "Backend lookups started."},
	[METRICS_RECEIPTS_PRINTED] = {"station_receipts_printed_total", "Receipts printed."},
	[METRICS_DOCUMENTS_PRINTED] = {"station_documents_printed_total", "Documents printed."},
	[METRICS_PRINT_FAILURES] = {"station_print_failures_total", "Print jobs that failed."},
	[METRICS_PIN_FAILURES] = {"station_pin_failures_total", "Wrong technician PINs."},
};

int metrics_new(struct metrics **ret)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	for (int i = 0; i < _METRICS_COUNTER_MAX; i++)
		atomic_init(&m->counters[i], 0);
	for (int i = 0; i < _SESSION_ERROR_MAX; i++)
		atomic_init(&m->failures[i], 0);
	for (int i = 0; i < _SESSION_DEVICE_MAX; i++) {
		atomic_init(&m->device_state[i], SESSION_DEVICE_OK);
		atomic_init(&m->faults[i], 0);
		atomic_init(&m->recoveries[i], 0);
		atomic_init(&m->restart_needed[i], 0);
		for (int a = 0; a < _RECOVERY_ACTION_MAX; a++)
			atomic_init(&m->remedies[i][a], 0);
	}
	*ret = m;
	return 0;
}

struct metrics *metrics_free(struct metrics *m)
{
	free(m);
	return NULL;
}

void metrics_inc(struct metrics *m, enum metrics_counter c)
{
	if (m && c >= 0 && c < _METRICS_COUNTER_MAX)
		atomic_fetch_add_explicit(&m->counters[c], 1, memory_order_relaxed);
}

void metrics_failure(struct metrics *m, enum session_error cause)
{
	if (m && cause > SESSION_ERROR_NONE && cause < _SESSION_ERROR_MAX)
		atomic_fetch_add_explicit(&m->failures[cause], 1, memory_order_relaxed);
}

void metrics_device_state(struct metrics *m, enum session_device d, enum session_device_state s)
{
	int old;

	if (!m || d < 0 || d >= _SESSION_DEVICE_MAX || s < 0 || s >= _SESSION_DEVICE_STATE_MAX)
		return;
	old = atomic_exchange(&m->device_state[d], (int)s);
	if (old == SESSION_DEVICE_OK && s != SESSION_DEVICE_OK)
		atomic_fetch_add_explicit(&m->faults[d], 1, memory_order_relaxed);
	else if (old != SESSION_DEVICE_OK && s == SESSION_DEVICE_OK)
		atomic_fetch_add_explicit(&m->recoveries[d], 1, memory_order_relaxed);
}

void metrics_recovery(struct metrics *m, enum session_device d, enum recovery_action a)
{
	if (!m || d < 0 || d >= _SESSION_DEVICE_MAX || a <= RECOVERY_NONE ||
	    a >= _RECOVERY_ACTION_MAX)
		return;
	if (a != RECOVERY_RESTART_NEEDED)
		atomic_fetch_add_explicit(&m->remedies[d][a], 1, memory_order_relaxed);
	atomic_store(&m->restart_needed[d], a == RECOVERY_RESTART_NEEDED);
}

void metrics_recovered(struct metrics *m, enum session_device d)
{
	if (m && d >= 0 && d < _SESSION_DEVICE_MAX)
		atomic_store(&m->restart_needed[d], 0);
}

struct out {
	char *buf;
	size_t len, cap;
	bool failed;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->failed = true;
			return;
		}
		if ((size_t)n < o->cap - o->len) {
			o->len += (size_t)n;
			return;
		}
		char *b = realloc(o->buf, o->cap * 2 + (size_t)n);

		if (!b) {
			o->failed = true;
			return;
		}
		o->buf = b;
		o->cap = o->cap * 2 + (size_t)n;
	}
}

static void per_device(struct out *o, const char *name, const char *type, const char *help,
		       atomic_ullong *v)
{
	put(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++)
		put(o, "%s{device=\"%s\"} %llu\n", name,
		    session_device_to_string((enum session_device)d),
		    (unsigned long long)atomic_load_explicit(&v[d], memory_order_relaxed));
}

int metrics_render(struct metrics *m, char **ret_text, size_t *ret_len)
{
	struct out o = {.cap = 4096};

	if (!m || !ret_text)
		return -EINVAL;
	o.buf = malloc(o.cap);
	if (!o.buf)
		return -ENOMEM;
	o.buf[0] = '\0';
	put(&o, "# HELP station_info The station's version.\n# TYPE station_info gauge\n");
	put(&o, "station_info{version=\"%s\"} 1\n", STATION_VERSION);
	for (int i = 0; i < _METRICS_COUNTER_MAX; i++)
		put(&o, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", counter_info[i].name,
		    counter_info[i].help, counter_info[i].name, counter_info[i].name,
		    (unsigned long long)atomic_load_explicit(&m->counters[i],
							     memory_order_relaxed));
	put(&o, "# HELP station_failures_total Sessions that ended on an error screen, by "
		"cause.\n# TYPE station_failures_total counter\n");
	for (int e = SESSION_ERROR_NONE + 1; e < _SESSION_ERROR_MAX; e++)
		put(&o, "station_failures_total{cause=\"%s\"} %llu\n",
		    session_error_to_string((enum session_error)e),
		    (unsigned long long)atomic_load_explicit(&m->failures[e],
							     memory_order_relaxed));
	put(&o, "# HELP station_device_state Each device's state: 0 ok, 1 degraded, 2 failed, 3 "
		"recovering.\n# TYPE station_device_state gauge\n");
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++)
		put(&o, "station_device_state{device=\"%s\"} %d\n",
		    session_device_to_string((enum session_device)d),
		    atomic_load(&m->device_state[d]));
	per_device(&o, "station_device_faults_total", "counter",
		   "Times a device left the ok state.", m->faults);
	per_device(&o, "station_device_recoveries_total", "counter",
		   "Times a device returned to the ok state.", m->recoveries);
	put(&o, "# HELP station_device_recovery_attempts_total Remedies the recovery ladder "
		"tried, by device and action.\n# TYPE station_device_recovery_attempts_total "
		"counter\n");
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++)
		for (int a = RECOVERY_REOPEN; a < RECOVERY_RESTART_NEEDED; a++)
			put(&o,
			    "station_device_recovery_attempts_total{device=\"%s\",action=\"%s\"} "
			    "%llu\n",
			    session_device_to_string((enum session_device)d),
			    recovery_action_to_string((enum recovery_action)a),
			    (unsigned long long)atomic_load_explicit(&m->remedies[d][a],
								     memory_order_relaxed));
	put(&o, "# HELP station_device_restart_needed 1 when every remedy was tried and the "
		"device is still failed: a technician must restart it or the station.\n# TYPE "
		"station_device_restart_needed gauge\n");
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++)
		put(&o, "station_device_restart_needed{device=\"%s\"} %d\n",
		    session_device_to_string((enum session_device)d),
		    atomic_load(&m->restart_needed[d]));
	if (o.failed) {
		free(o.buf);
		return -ENOMEM;
	}
	*ret_text = o.buf;
	if (ret_len)
		*ret_len = o.len;
	return 0;
}
