/* SPDX-License-Identifier: MIT */
/*
 * Receipt printer: where ESC/POS bytes go (STYLE.md rule 2). Operations
 * block; the station calls them on its print worker, never on the owner
 * thread.
 *
 * Back ends by URI: "file:PATH" (appends the bytes to PATH), "sim:DIR"
 * (each job to DIR/receipt-NNN.escpos, scriptable status),
 * "usb://VID:PID[/SERIAL]" (libusb, USB printer class) and
 * "tcp://HOST[:9100]" (raw TCP); see printer-backends.h for the forms.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status flags, as DLE EOT n reports them. */
enum {
	RECEIPT_STATUS_OFFLINE = 1 << 0,
	RECEIPT_STATUS_COVER_OPEN = 1 << 1,
	RECEIPT_STATUS_PAPER_NEAR_END = 1 << 2,
	RECEIPT_STATUS_PAPER_END = 1 << 3,
	RECEIPT_STATUS_ERROR = 1 << 4,
};

struct receipt_printer;

struct receipt_printer_ops {
	const char *name;
	/* Writes one whole job. 0 or -errno (-EIO, -ENODEV: gone). */
	int (*write_job)(struct receipt_printer *p, const uint8_t *buf, size_t len);
	/* Current status flags into *ret_flags. 0 or -errno. */
	int (*get_status)(struct receipt_printer *p, unsigned *ret_flags);
	void (*free_ctx)(void *ctx);
};

struct receipt_printer {
	const struct receipt_printer_ops *ops;
	void *ctx;
};

/* Opens the back end a URI names. -EINVAL for a URI no back end takes,
 * -EPROTONOSUPPORT for a scheme not built in. */
/* RECEIPT_STATUS_* flags as words, in a fixed order, joined with ", "
 * ("paper end, cover open"); "ready" for none. Returns buf. */
const char *receipt_status_words(unsigned flags, char *buf, size_t size);

int receipt_printer_open(const char *uri, struct receipt_printer **ret_printer);
struct receipt_printer *receipt_printer_free(struct receipt_printer *p);

/* sim: scripting, any thread. The status a later get_status reports; a
 * write_job while PAPER_END/COVER_OPEN/OFFLINE is set fails with -EIO and
 * writes nothing. */
int receipt_printer_sim_set_status(struct receipt_printer *p, unsigned flags);
/* sim: how many jobs were written so far. */
unsigned receipt_printer_sim_jobs(struct receipt_printer *p);
