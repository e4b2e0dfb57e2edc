/* SPDX-License-Identifier: MIT */
/*
 * The station: the root context the owner thread runs. It owns the
 * session state machine, the devices and the workers, feeds every event
 * to the machine and carries out the commands it returns:
 *
 *   lookups, confirmations   -> backend worker (blocking backend calls)
 *   receipts, documents      -> print worker (render, fetch, verify, print)
 *   technician PIN           -> auth worker (Argon2id is slow on purpose)
 *
 * Every worker answers with an event on the queue; nothing here blocks.
 * Owner thread only, except where noted.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "backend.h"
#include "card-reader.h"
#include "config.h"
#include "document-printer.h"
#include "qr-source.h"
#include "queue.h"
#include "receipt-printer.h"
#include "session.h"

struct station;

/* The devices a station runs on. station_new() takes ownership of every
 * non-NULL member (a missing device is reported FAILED to the session). */
struct station_devices {
	struct card_reader *card;
	struct qr_source *qr;
	struct receipt_printer *receipt;
	struct document_printer *document;
	struct backend *backend;
};

/* What the station has done, for the demo summary, tests and metrics. */
struct station_counters {
	unsigned sessions;
	unsigned lookups;
	unsigned receipts_printed;
	unsigned documents_printed;
	unsigned print_failures;
	unsigned confirmations_sent;
	unsigned confirmation_failures;
	unsigned pin_failures;
};

/* Creates the station over queue q (not owned), config and secrets (both
 * copied). *devs is taken over (and zeroed) even on failure. Returns 0 or
 * -errno. */
int station_new(const struct station_config *config, const struct station_secrets *secrets,
		struct station_devices *devs, struct station_queue *q, uint64_t now_ms,
		struct station **ret_station);

/* Stops the devices and workers (blocking until their threads end), wipes
 * and frees. Accepts NULL; returns NULL. */
struct station *station_free(struct station *st);

/* Starts the devices watching. */
int station_start(struct station *st);

/* Feeds one event to the session and carries out its commands; clears *ev.
 * Returns true when the screen must be redrawn. */
bool station_dispatch(struct station *st, struct station_event *ev);

/* Time passed (a TICK). Returns true when the screen must be redrawn. */
bool station_tick(struct station *st, uint64_t now_ms);

/* Pops and dispatches every waiting event. Returns true on a redraw. Sets
 * *ret_quit when a QUIT event came. */
bool station_drain(struct station *st, bool *ret_quit);

const struct session *station_session(const struct station *st);
const struct station_devices *station_devices(const struct station *st);
void station_get_counters(const struct station *st, struct station_counters *ret);

/* When the next heartbeat is due (tick clock, ms); UINT64_MAX when
 * heartbeats are off. The owner loop wakes for it. */
uint64_t station_next_heartbeat(const struct station *st);

/* When the next idle printer probe is due ([station] probe_interval; tick
 * clock, ms); UINT64_MAX when probes are off, there is no printer, or the
 * kiosk is not idle (welcome or out of service). Owner thread. */
uint64_t station_next_probe(const struct station *st);

/* The earlier of the two: when the owner loop must wake to tick. */
uint64_t station_next_timer(const struct station *st);

struct metrics;
/* Feeds m (metrics.h; not owned, NULL: off) from now on, starting with
 * each device's state. Owner thread. */
void station_set_metrics(struct station *st, struct metrics *m);
const struct station_config *station_config(const struct station *st);

/* The UI's layout decides how many applications fit a page. */
struct recovery;
struct session_diag;
/* A `station diag` report (diag.h) as the maintenance screen shows it:
 * each section's name, verdict and summary. 0, -EINVAL (no sections). */
int station_diag_summary(const json_t *report, struct session_diag *ret);
/* A device's recovery ladder (recovery.h), for the technician's views. */
const struct recovery *station_recovery(const struct station *st, enum session_device d);
/* When the next remedy is due (tick clock), UINT64_MAX: none. */
uint64_t station_next_recovery(const struct station *st);

void station_set_apps_per_page(struct station *st, unsigned n, unsigned n_large);

/* Observer for the demo and tests: called on the owner thread for every
 * command the session issued, after it was carried out (or handed to a
 * worker). Never gets personal data: only the command type. */
typedef void (*station_cmd_observer_t)(void *userdata, enum session_cmd_type type);
void station_set_observer(struct station *st, station_cmd_observer_t fn, void *userdata);
