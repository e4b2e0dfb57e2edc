/* SPDX-License-Identifier: MIT */
/*
 * QR source: the camera side of the station (STYLE.md rule 2). A back end
 * produces decoded QR payloads on its own thread, verifies each as an MPP
 * token offline (qr-token.h) and pushes QR_TOKEN or QR_REFUSED to the
 * station queue, plus DEVICE_STATE for the camera itself.
 *
 * Back ends: "sim" (below, scripted; payloads given as text or as image
 * files decoded with zbar) and "camera" (qr-source-camera.h: a frame
 * source, V4L2 or files, and the decoder thread of qr-scanner.h).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qr-token.h"

struct camera_preview;
struct station_queue;
struct qr_source;

struct qr_source_ops {
	const char *name;
	int (*start)(struct qr_source *s);
	void (*stop)(struct qr_source *s); /* blocks until its thread ended */
	/* Optional (NULL: always scanning). Full-rate scanning with preview
	 * on (true) or a slow watch for a code held up to the camera
	 * (false). Owner thread; does not block. */
	int (*set_active)(struct qr_source *s, bool active);
	void (*free_ctx)(void *ctx);
};

struct qr_source {
	const struct qr_source_ops *ops;
	void *ctx;
	struct station_queue *queue;   /* not owned */
	const struct qr_keyring *keys; /* not owned */
	/* The live picture for the QR screen (camera-preview.h), owned;
	 * NULL for back ends without one (the simulator). */
	struct camera_preview *preview;
};

int qr_source_start(struct qr_source *s);
/* Calls ops->set_active when the back end has it; 0 otherwise. */
int qr_source_set_active(struct qr_source *s, bool active);
struct qr_source *qr_source_free(struct qr_source *s);
/* The back end's preview, or NULL. Owner thread. */
struct camera_preview *qr_source_get_preview(struct qr_source *s);

/* ---- the simulator ------------------------------------------------------ */

int qr_source_sim_new(struct station_queue *q, const struct qr_keyring *keys,
		      struct qr_source **ret_source);

/* Scripting, any thread; the verdict follows asynchronously (queue held
 * until it is in). show_text: a payload as if the camera had decoded it.
 * show_file: an image file (PNG, JPEG, PGM) decoded by the scanner (no code: nothing is
 * pushed; -ENOMSG returned at once is fine too). */
int qr_source_sim_show_text(struct qr_source *s, const char *payload);
int qr_source_sim_show_file(struct qr_source *s, const char *path);
int qr_source_sim_set_plugged(struct qr_source *s, bool plugged);
