/* SPDX-License-Identifier: MIT */
/*
 * Private to printing/: the back-end constructors that
 * receipt_printer_open() and document_printer_open() dispatch to, and the
 * spool directory the file-writing back ends share. Not for other folders:
 * they open printers by URI.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "document-printer.h"
#include "receipt-printer.h"

/* "file:PATH": each job appended to PATH (a file, or a device node such as
 * /dev/usb/lp0). path non-empty. 0 or -EINVAL, -ENOMEM. */
int receipt_printer_file_new(const char *path, struct receipt_printer **ret_printer);

/* "sim:DIR": jobs to DIR/receipt-NNN.escpos, or only counted when dir is
 * "". 0 or -ENOMEM, or printer_spool_prepare()'s errors. */
int receipt_printer_sim_new(const char *dir, struct receipt_printer **ret_printer);

/* "usb://TARGET", TARGET "" (first USB printer-class device), "VID:PID"
 * or "VID:PID/SERIAL" (hex ids), optionally "?timeout_ms=N" (1..600000,
 * default 5000: the longest any transfer waits). Finds no device yet: the
 * printer is opened on first use and again after an unplug. 0 or -EINVAL,
 * -ENOMEM, or libusb_init()'s error as -errno. */
int receipt_printer_usb_new(const char *target, struct receipt_printer **ret_printer);

/* "tcp://TARGET", TARGET "HOST[:PORT]" or "[V6ADDR][:PORT]" (port 9100 by
 * default), optionally "?timeout_ms=N" as for usb. Connects on first use.
 * 0 or -EINVAL, -ENOMEM. */
int receipt_printer_tcp_new(const char *target, struct receipt_printer **ret_printer);

/* "dir:PATH" (scriptable false) and "sim:DIR" (true; dir may be "" to
 * count only): PDFs to DIR/document-NNN.pdf. 0 or -EINVAL, -ENOMEM, or
 * printer_spool_prepare()'s errors. */
int document_printer_dir_new(const char *dir, bool scriptable,
			     struct document_printer **ret_printer);

/* Makes sure dir is a directory, creating it (one level) if missing.
 * 0, -ENOTDIR, or mkdir(2)'s -errno. Blocks on the file system. */
int printer_spool_prepare(const char *dir);

/* Writes one job to dir/PREFIX-NNN.EXT, NNN the first free number from
 * *next_number on (three digits at least), never overwriting a file; then
 * sets *next_number past it. A failed write leaves no file behind.
 * 0 or -errno (-ENAMETOOLONG, -EIO, open(2)'s). Not thread-safe on one
 * counter: callers hold their own lock. Blocks on the file system. */
int printer_spool_write(const char *dir, const char *prefix, const char *ext, unsigned *next_number,
			const uint8_t *buf, size_t len);

/* "ipp://HOST[:PORT]/PATH[?timeout=SECONDS]", "ipps://..." and
 * "cups:QUEUE". Only parses and stores: nothing is contacted until a job or
 * a status request. 0 or -EINVAL (malformed URI), -ENOMEM. */
int document_printer_ipp_new(const char *uri, struct document_printer **ret_printer);
