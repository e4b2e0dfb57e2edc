/* SPDX-License-Identifier: MIT */
/*
 * Document printer: where A4 PDFs go (STYLE.md rule 2). print_job blocks
 * until the printer says the job completed, was aborted or was cancelled;
 * the station calls it on its print worker.
 *
 * Back ends by URI: "dir:PATH" (PATH/document-NNN.pdf), "sim:DIR" (same,
 * scriptable status), later "ipp://HOST:PORT/PATH" and "cups:QUEUE".
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "session-types.h"

enum {
	DOCUMENT_STATUS_OFFLINE = 1 << 0,
	DOCUMENT_STATUS_MEDIA_EMPTY = 1 << 1,
	DOCUMENT_STATUS_COVER_OPEN = 1 << 2,
	DOCUMENT_STATUS_TONER_LOW = 1 << 3,
};

struct document_printer;

struct document_printer_ops {
	const char *name;
	/* Prints one PDF. job_name carries no personal data. Returns 0 with
	 * *ret_result (OK, PAPER_OUT, ...) when the printer gave a verdict,
	 * -errno when it could not be reached. */
	int (*print_job)(struct document_printer *p, const char *job_name, const uint8_t *pdf,
			 size_t len, enum session_print_result *ret_result);
	int (*get_status)(struct document_printer *p, unsigned *ret_flags);
	void (*free_ctx)(void *ctx);
};

struct document_printer {
	const struct document_printer_ops *ops;
	void *ctx;
};

int document_printer_open(const char *uri, struct document_printer **ret_printer);
struct document_printer *document_printer_free(struct document_printer *p);

int document_printer_sim_set_status(struct document_printer *p, unsigned flags);
unsigned document_printer_sim_jobs(struct document_printer *p);
