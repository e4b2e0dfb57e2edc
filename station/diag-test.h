/* SPDX-License-Identifier: MIT */
/*
 * `station diag test DEVICE`: active tests a technician runs on a station
 * out of service, beside the passive report of diag.h. Each acts on the
 * device the configuration names: captures frames from the camera until
 * one decodes as a QR code (or 3 s pass), prints a test page on the
 * receipt or the document printer (station id, time, the device, a QR
 * code), makes one backend round trip, or reads one card. The result is a diag section (verdict, summary,
 * details), so that scripts read it the same way as the report.
 *
 * No personal data: test pages carry only the station id, the time and
 * the device; the backend is asked about a card no backend knows; of a QR
 * code the camera saw, only its length and whether it is an MPP token are
 * told; of a card read (card-read.h, the code of `station card read`),
 * its type, ATR, masked UID and NIK, the files read and the timings.
 *
 * The card test's section carries "exit_code": the code of `station card
 * read` for the same outcome, which `station diag test card` exits with.
 */
#pragma once

#include <jansson.h>

#include "diag.h"

enum diag_test {
	DIAG_TEST_CAMERA,
	DIAG_TEST_RECEIPT,
	DIAG_TEST_DOCUMENT,
	DIAG_TEST_BACKEND,
	DIAG_TEST_CARD,
	_DIAG_TEST_MAX,
	_DIAG_TEST_INVALID = -22,
};

const char *diag_test_to_string(enum diag_test t);
enum diag_test diag_test_from_string(const char *s);

/* The QR text of a test page: "ANJUNGAN-TEST:<station id>:<unix time>". */
#define DIAG_TEST_QR_PREFIX "ANJUNGAN-TEST:"

/* Runs test t against opt->config's device and returns its section in
 * *ret_section (json_decref() it) and its verdict in *ret_verdict. 0, or
 * -ENOMEM. A device that fails the test is a verdict, not an error.
 * Blocks, each step bounded by the device's own timeout; any thread but a
 * running kiosk's owner thread. */
int diag_test_run(enum diag_test t, const struct diag_options *opt, json_t **ret_section,
		  enum diag_verdict *ret_verdict);

/* The devices a running station already holds, for its maintenance
 * screen: a claimed USB printer cannot be opened twice. Not owned; used
 * only on the calling thread, which must be the one that uses them (the
 * print worker). NULL: the configured device is opened. */
struct receipt_printer;
struct document_printer;
struct backend;
struct diag_test_devices {
	struct receipt_printer *receipt;
	struct document_printer *document;
	struct backend *backend; /* on the thread that uses it */
};

/* diag_test_run() on devs' devices when devs is given (a NULL member: the
 * configured one is opened). The card and
 * camera tests are not run this way (-EOPNOTSUPP): a running station has
 * them streaming, and its session tests them with the next card or code
 * (session.h). */
int diag_test_run_on(enum diag_test t, const struct diag_options *opt,
		     const struct diag_test_devices *devs, json_t **ret_section,
		     enum diag_verdict *ret_verdict);
