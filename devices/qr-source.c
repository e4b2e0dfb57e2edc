/* SPDX-License-Identifier: MIT */
/*
 * The QR source front end: dispatch to the back end's ops (qr-source.h).
 * Back ends allocate struct qr_source with malloc in their _new() and hand
 * it over; qr_source_free() is the only way to end one.
 */
#include <errno.h>
#include <stdlib.h>

#include "camera-preview.h"
#include "qr-source.h"

/* 0 or the back end's -errno (-EINVAL without a back end). Owner thread;
 * does not block beyond starting a thread. */
int qr_source_start(struct qr_source *s)
{
	if (!s || !s->ops)
		return -EINVAL;
	return s->ops->start ? s->ops->start(s) : 0;
}

int qr_source_set_active(struct qr_source *s, bool active)
{
	if (!s || !s->ops)
		return -EINVAL;
	return s->ops->set_active ? s->ops->set_active(s, active) : 0;
}

/* Stops the back end (blocks until its thread ended: nothing more is
 * pushed), frees its context and s. Accepts NULL; returns NULL. Owner
 * thread. */
struct qr_source *qr_source_free(struct qr_source *s)
{
	if (!s)
		return NULL;
	if (s->ops && s->ops->stop)
		s->ops->stop(s);
	if (s->ops && s->ops->free_ctx)
		s->ops->free_ctx(s->ctx);
	camera_preview_free(s->preview);
	free(s);
	return NULL;
}

struct camera_preview *qr_source_get_preview(struct qr_source *s)
{
	return s ? s->preview : NULL;
}
