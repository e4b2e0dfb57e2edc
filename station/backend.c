/* SPDX-License-Identifier: MIT */
/*
 * What every backend shares: its release. The back ends themselves live
 * in backend-sim.c and backend-http.c.
 */
#include <stdlib.h>

#include "backend.h"

/* Releases the back end's context and the handle. Accepts NULL; returns
 * NULL. Call it once no worker uses the backend any more. */
struct backend *backend_free(struct backend *b)
{
	if (!b)
		return NULL;
	if (b->ops && b->ops->free_ctx)
		b->ops->free_ctx(b->ctx);
	free(b);
	return NULL;
}
