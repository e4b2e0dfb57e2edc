/* SPDX-License-Identifier: MIT */
/*
 * The station's counters and device states for Prometheus: one module of
 * atomics that station.c feeds where things happen (any thread may feed
 * it, any thread may render it), and metrics-http.c serves on
 * [metrics] listen (docs/metrics.md).
 *
 * Only counts and states: no identifier, no personal data.
 */
#pragma once

#include <stddef.h>

#include "recovery.h"
#include "session-types.h"

enum metrics_counter {
	METRICS_SESSIONS,	   /* sessions ended */
	METRICS_CARD_READS,	   /* e-KTP read */
	METRICS_CARD_FAILURES,	   /* a card that could not be read */
	METRICS_QR_SCANS,	   /* a QR token that verified */
	METRICS_QR_REFUSED,	   /* forged, expired, not MPP */
	METRICS_LOOKUPS,	   /* backend lookups started */
	METRICS_RECEIPTS_PRINTED,  /* receipt pages */
	METRICS_DOCUMENTS_PRINTED, /* document jobs completed */
	METRICS_PRINT_FAILURES,
	METRICS_PIN_FAILURES,
	_METRICS_COUNTER_MAX,
};

struct metrics;

/* 0 and *ret, or -ENOMEM. Every device starts "ok". */
int metrics_new(struct metrics **ret);
/* Accepts NULL; returns NULL. No thread may use it any more. */
struct metrics *metrics_free(struct metrics *m);

/* Each accepts m == NULL (metrics off) and does nothing then. Any thread;
 * never blocks. */
void metrics_inc(struct metrics *m, enum metrics_counter c);
/* A session ended on an error screen for this cause. */
void metrics_failure(struct metrics *m, enum session_error cause);
/* A device's state now; leaving ok counts a fault, returning to ok a
 * recovery. */
void metrics_device_state(struct metrics *m, enum session_device d, enum session_device_state s);
/* A remedy of the recovery ladder tried (RESTART_NEEDED: sets the
 * device's restart-needed gauge); recovered: clears that gauge. */
void metrics_recovery(struct metrics *m, enum session_device d, enum recovery_action a);
void metrics_recovered(struct metrics *m, enum session_device d);

/* The Prometheus text exposition (format 0.0.4) of every metric, in a
 * malloc'd NUL-terminated buffer (*ret_text, the caller frees). 0 or
 * -ENOMEM. Any thread. */
int metrics_render(struct metrics *m, char **ret_text, size_t *ret_len);
