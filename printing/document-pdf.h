/* SPDX-License-Identifier: MIT */
/*
 * Demo documents: a one-page A4 PDF that looks like what an agency issues
 * (a Kartu Keluarga, an NIB, ...), plainly marked as a demo sample. The
 * simulated backend and the reference backend serve these; a real backend
 * serves the agencies' own PDFs.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* What the page shows. Every string is UTF-8; NULL reads as "". title and
 * document_id are required. holder_name and nik are printed in full, as
 * on the real document (it is the citizen's own); the PDF metadata holds
 * only the document id. issued_on is "YYYY-MM-DD". */
struct document_pdf_info {
	const char *title;   /* "Kartu Keluarga" */
	const char *agency;  /* "Disdukcapil" */
	const char *service; /* "Kartu Keluarga (perubahan data)" */
	const char *holder_name;
	const char *nik;
	const char *application_id; /* "APP-2026-000101" */
	const char *document_id;    /* "DOC-2026-000101" */
	const char *issued_on;	    /* "2026-03-02" */
};

/* Renders the document. Returns 0 and a malloc'ed PDF in *ret_pdf (the
 * caller frees it; it holds personal data, so wipe it first), or -EINVAL
 * (no title or document id), -ENOMEM, -EIO (Cairo failed). Any thread;
 * blocks for the few milliseconds rendering takes. */
int document_pdf_render(const struct document_pdf_info *info, uint8_t **ret_pdf, size_t *ret_len);
