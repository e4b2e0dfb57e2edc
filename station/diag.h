/* SPDX-License-Identifier: MIT */
/*
 * `station diag`: one health report of the station, as a JSON document
 * (docs/diag.md, docs/diag.schema.json) that the text form is printed
 * from. Each section (build, config, pcscd, usb, cameras, state_dir,
 * receipt_printer, document_printer, backend) has a verdict; the report's
 * verdict is the worst of the sections the configuration needs
 * ("required": true). Sections are probed through the same interfaces the
 * kiosk uses (PC/SC, libusb, V4L2, printing/, backend.h).
 *
 * Never holds or prints personal data: no card UID, no NIK, no name; URIs
 * are printed without their user:password part; secrets are read only to
 * reach the backend and are wiped at once.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "config.h"

enum diag_verdict {
	DIAG_OK,
	DIAG_DEGRADED,
	DIAG_FAILED,
	_DIAG_VERDICT_MAX,
	_DIAG_VERDICT_INVALID = -22,
};

struct diag_options {
	/* The configuration file read (for the report only), or NULL when
	 * there was none and the defaults are in force. */
	const char *config_path;
	/* Why it could not be loaded (0: it was, or there was none to load). */
	int config_error;
	/* The configuration in force: the file's, or the defaults. */
	const struct station_config *config;
	/* Bounds the backend probe; 0: the configuration's timeout. */
	unsigned long backend_timeout_ms;
};

/* "ok", "degraded", "failed"; NULL for anything else. */
const char *diag_verdict_to_string(enum diag_verdict v);

/* A V4L2 pixel format as its four letters ("YUYV"; '?' for a byte that
 * is not printable). Returns buf. */
const char *diag_fourcc(uint32_t fourcc, char buf[static 5]);
/* Whether the V4L2 camera source can read this capture format (GREY,
 * YUYV, MJPG). */
bool diag_camera_format_usable(uint32_t fourcc);

/* 0 ok, 1 degraded, 2 failed: the exit code of `station diag`. */
int diag_verdict_to_exit_code(enum diag_verdict v);

/* Probes every section and returns the report in *ret_report (the caller
 * json_decref()s it) and its overall verdict in *ret_verdict. Returns 0, or
 * -ENOMEM. A device or service that is missing is a verdict in the report,
 * not an error. Blocks: pcscd, USB, the printers and the backend are asked
 * in turn, each bounded by its own timeout. Any thread but the owner
 * thread of a running kiosk. */
int diag_run(const struct diag_options *opt, json_t **ret_report, enum diag_verdict *ret_verdict);

/* The backend section alone: one lookup of a card no backend knows
 * (`station diag test backend` too). NULL on ENOMEM. Blocks up to the
 * backend timeout. */
json_t *diag_section_backend(const struct diag_options *opt);
/* The same through a backend client already made (a running station's,
 * on the thread that uses it), not freed; NULL: one is made. */
struct backend;
json_t *diag_section_backend_on(const struct diag_options *opt, struct backend *b);

/* The verdict of a section object; _DIAG_VERDICT_INVALID if it has none. */
enum diag_verdict diag_section_verdict(const json_t *section);

/* Prints the report for a person to read on f. Returns 0 or -EIO. Any
 * thread; blocks on f only. */
int diag_print_text(const json_t *report, FILE *f);
