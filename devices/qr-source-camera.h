/* SPDX-License-Identifier: MIT */
/*
 * The "camera" QR source (qr-source.h): a frame source (camera.h: V4L2,
 * or files for tests and the demo) read on a capture thread, its newest
 * frames handed to the scanner's decoder thread (qr-scanner.h), which
 * verifies the codes and pushes QR_TOKEN / QR_REFUSED. The camera's own
 * state goes to the queue as DEVICE_STATE CAMERA FAILED / OK: a device
 * that vanishes is reopened with backoff (0.1 s doubling to 5 s).
 *
 * set_active(false) scans about two frames a second (a code held up to the
 * idle screen is still seen); true scans every frame.
 */
#pragma once

#include "camera.h"
#include "qr-scanner.h"
#include "qr-source.h"

/* Takes cam (freed with the source, also on failure). scan NULL: the
 * defaults. Returns 0 and a source (qr_source_free()), or -EINVAL /
 * -ENOMEM. q and keys must outlive it. Any thread; does not block. */
int qr_source_camera_new(struct station_queue *q, const struct qr_keyring *keys, struct camera *cam,
			 const struct qr_scanner_params *scan, struct qr_source **ret_source);

/* The scanner's counters (frames handed over, dropped, decoded...). */
int qr_source_camera_get_stats(struct qr_source *s, struct qr_scanner_stats *ret_stats);
