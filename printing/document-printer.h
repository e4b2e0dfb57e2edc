/* SPDX-License-Identifier: MIT */
/*
 * Document printer: where A4 PDFs go (STYLE.md rule 2). print_job blocks
 * until the printer says the job completed, was aborted or was cancelled;
 * the station calls it on its print worker.
 *
 * Back ends by URI: "dir:PATH" (PATH/document-NNN.pdf), "sim:DIR" (same,
 * scriptable status), "ipp://HOST:PORT/PATH" and "ipps://..." (IPP
 * Everywhere, libcups; optional "?timeout=SECONDS" bounds a job's wait,
 * default 300) and "cups:QUEUE" (a queue of the local CUPS server).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

enum {
	DOCUMENT_STATUS_OFFLINE = 1 << 0,
	DOCUMENT_STATUS_MEDIA_EMPTY = 1 << 1,
	DOCUMENT_STATUS_COVER_OPEN = 1 << 2,
	DOCUMENT_STATUS_TONER_LOW = 1 << 3,
	/* With OFFLINE: nothing answered at all (connection refused, timed
	 * out, no IPP reply), as opposed to a printer saying it is
	 * stopped. */
	DOCUMENT_STATUS_UNREACHABLE = 1 << 4,
};

struct document_printer;

#define DOCUMENT_SUPPLY_MAX	 8
#define DOCUMENT_REASON_MAX	 8
#define DOCUMENT_SUPPLY_NAME_MAX 64

/* One supply (toner, ink, drum...) as the printer names it. */
struct document_supply {
	char name[DOCUMENT_SUPPLY_NAME_MAX]; /* IPP marker-names */
	char type[32];			     /* IPP marker-types ("toner", ...), "" unknown */
	int level;			     /* percent, -1 unknown */
};

/* What the printer says of itself beyond the status flags, for a
 * technician (station diag). */
struct document_printer_details {
	size_t n_supplies;
	struct document_supply supplies[DOCUMENT_SUPPLY_MAX];
	size_t n_reasons;
	char reasons[DOCUMENT_REASON_MAX][48]; /* IPP printer-state-reasons, "none" omitted */
};

/* Parses one IPP printer-supply value (PWG 5100.13: "index=1;class=
 * supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=75;
 * colorantname=black;", as octets from the printer) into ret: type, level
 * in percent (-1 when unknown or out of range), name "" (the caller takes
 * it from printer-supply-description). 0, or -EINVAL when the value has no
 * type. Any thread; does not block. */
int document_supply_parse(const char *value, size_t len, struct document_supply *ret);

struct document_printer_ops {
	const char *name;
	/* Prints one PDF. job_name carries no personal data. Returns 0 with
	 * *ret_result (OK, PAPER_OUT, ...) when the printer gave a verdict,
	 * -errno when it could not be reached. */
	int (*print_job)(struct document_printer *p, const char *job_name, const uint8_t *pdf,
			 size_t len, enum session_print_result *ret_result);
	int (*get_status)(struct document_printer *p, unsigned *ret_flags);
	void (*free_ctx)(void *ctx);
	/* Optional (NULL for dir/sim): where a job this station sent before
	 * (a restart) stands, by the printer's job id. An unfinished job is
	 * cancelled first: nobody waits for it any more. 0 with OK
	 * (completed), FAILED (aborted, or unknown to the printer) or
	 * CANCELLED; -errno when the printer cannot be reached. Blocks. */
	int (*resolve_job)(struct document_printer *p, int printer_job_id,
			   enum session_print_result *ret_result);
	/* Optional (NULL for dir/sim): the supply levels and state reasons.
	 * 0 and *ret, -EHOSTUNREACH (not reachable), -EIO (no valid
	 * answer). Blocks, bounded by the back end's timeout. */
	int (*get_details)(struct document_printer *p, struct document_printer_details *ret);
};

/* Optional hooks a caller sets after opening, before print_job; back ends
 * that can follow a job (ipp) call them on the thread running print_job.
 * progress gets a short state word ("connecting", "checking", "sending",
 * "pending", "processing", "media-needed", "completed", ...), never
 * personal data. job_created is called once the printer has the job.
 * cancelled is polled while the job runs: true makes the
 * back end cancel the job at the printer and give SESSION_PRINT_CANCELLED.
 * Either may be NULL. */
struct document_printer_hooks {
	void (*progress)(void *userdata, const char *state);
	bool (*cancelled)(void *userdata);
	/* The printer accepted the job under this id (for the journal). */
	void (*job_created)(void *userdata, int printer_job_id);
	void *userdata;
};

struct document_printer {
	const struct document_printer_ops *ops;
	void *ctx;
	struct document_printer_hooks hooks;
};

int document_printer_open(const char *uri, struct document_printer **ret_printer);
struct document_printer *document_printer_free(struct document_printer *p);

int document_printer_sim_set_status(struct document_printer *p, unsigned flags);
unsigned document_printer_sim_jobs(struct document_printer *p);
