/* SPDX-License-Identifier: MIT */
/*
 * The demo data: citizens, their e-KTP cards and their applications across
 * MPP agencies. Used by the simulated backend, the simulated card reader,
 * the demo and the tests (which grep logs for every personal datum here).
 * Invented people; NIKs are well-formed (region, date, +40 for women) but
 * made up.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "card-reader.h"
#include "session-types.h"

struct demo_citizen {
	const char *key; /* scenario name: "budi" */
	const char *full_name;
	const char *nik;
	uint8_t card_uid[7];
	size_t card_uid_len;
};

struct demo_application {
	const char *id; /* "APP-2026-000123" */
	const char *citizen_key;
	const char *agency;
	const char *service;
	enum session_stage stage;
	const char *updated_at;
	const char *next_step;
	const char *document_id; /* NULL unless READY */
	const char *document_title;
};

extern const struct demo_citizen demo_citizens[];
extern const size_t demo_n_citizens;
extern const struct demo_application demo_applications[];
extern const size_t demo_n_applications;

/* Card table for the simulated reader: every citizen's e-KTP plus a
 * non-e-KTP card "unknown" and a damaged one "damaged". */
extern const struct card_sim_card demo_cards[];
extern const size_t demo_n_cards;

const struct demo_citizen *demo_citizen_by_key(const char *key);
const struct demo_citizen *demo_citizen_by_uid(const uint8_t *uid, size_t len);
const struct demo_application *demo_application_by_id(const char *id);
const struct demo_application *demo_application_by_document(const char *document_id);

/* The PDF of a ready application's document, as the demo backends (the
 * in-process simulator and mpp-sim) hand it out. *ret_pdf is malloc'ed,
 * the caller frees it. Returns 0 or document_pdf_render()'s -errno. */
int demo_document_render(const struct demo_application *app, uint8_t **ret_pdf, size_t *ret_len);

/* The demo's QR signing key pair (derived from a fixed, public seed: it
 * signs demo tokens only; never configure it on a real station). */
void demo_qr_keypair(uint8_t ret_public[32], uint8_t ret_secret[64]);
#define DEMO_QR_KEY_ID "demo-2026"
