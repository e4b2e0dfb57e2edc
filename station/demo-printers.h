/* SPDX-License-Identifier: MIT */
/*
 * The demo's printers when they are real ones on 127.0.0.1: receipts over
 * tcp:// to escpos-printer-sim, documents over ipp:// to ippeveprinter
 * (cups-ipp-utils; $IPPEVEPRINTER names another than
 * /usr/sbin/ippeveprinter) on a private D-Bus bus. Every child is started by the
 * demo, dies with it (stdin closed, or PR_SET_PDEATHSIG), and is stopped
 * by PID in demo_printers_free(). Owner thread only; calls block briefly.
 */
#pragma once

#include <stdbool.h>

struct demo_printers;

/* Starts escpos-printer-sim spooling each receipt to
 * receipts_dir/receipt-NNN.escpos and, with want_ipp, ippeveprinter keeping
 * its jobs in dir/ipp-spool (its logs in dir). want_ipp is dropped, with
 * *ret_ipp_missing set, when ippeveprinter or dbus-daemon is not installed.
 * Returns 0 and *ret, or -ENOPKG (escpos-printer-sim missing, said by
 * name), -ETIMEDOUT, -ECHILD (a child exited at start, its log named). */
int demo_printers_start(const char *dir, const char *receipts_dir, bool want_ipp,
			struct demo_printers **ret, bool *ret_ipp_missing);

/* tcp://127.0.0.1:PORT, and ipp://127.0.0.1:PORT/ipp/print or NULL when
 * documents are not on ippeveprinter. */
const char *demo_printers_receipt_uri(const struct demo_printers *p);
const char *demo_printers_document_uri(const struct demo_printers *p);

/* The receipt printer's status (RECEIPT_STATUS_* flags) from now on, as
 * its DLE EOT answers. 0 or -EIO. */
int demo_printers_set_receipt_status(struct demo_printers *p, unsigned flags);

/* The document printer's condition through ippeveprinter's web forms:
 * 0 (paper and toner back), DOCUMENT_STATUS_MEDIA_EMPTY,
 * DOCUMENT_STATUS_TONER_LOW. -EOPNOTSUPP for any other flag (ippeveprinter
 * cannot show it), -EIO when the printer did not take it. */
int demo_printers_set_document_status(struct demo_printers *p, unsigned flags);

/* Jobs the stand-ins received so far. */
unsigned demo_printers_receipt_jobs(const struct demo_printers *p);
unsigned demo_printers_document_jobs(const struct demo_printers *p);

/* Copies ippeveprinter's spooled jobs, in job order, to
 * documents_dir/document-NNN.pdf (byte for byte). Returns how many. */
int demo_printers_collect_documents(const struct demo_printers *p, const char *documents_dir);

/* Stops the children and waits for them. Accepts NULL; returns NULL. */
struct demo_printers *demo_printers_free(struct demo_printers *p);
