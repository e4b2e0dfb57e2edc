/* SPDX-License-Identifier: MIT */
/*
 * The card reader front end: dispatch to the back end's ops (card-reader.h).
 * Back ends allocate struct card_reader with malloc in their _new() and
 * hand it over; card_reader_free() is the only way to end one.
 */
#include <errno.h>
#include <stdlib.h>

#include "card-reader.h"

/* 0 or the back end's -errno (-EINVAL without a back end). Owner thread;
 * does not block beyond starting a thread. */
int card_reader_start(struct card_reader *r)
{
	if (!r || !r->ops)
		return -EINVAL;
	return r->ops->start ? r->ops->start(r) : 0;
}

int card_reader_recover(struct card_reader *r, int how)
{
	if (!r || !r->ops || (how != CARD_RECOVER_REOPEN && how != CARD_RECOVER_NEW_CONTEXT))
		return -EINVAL;
	return r->ops->recover ? r->ops->recover(r, how) : -EOPNOTSUPP;
}

/* Stops the back end (blocks until its thread ended: after this nothing is
 * pushed to the queue any more), frees its context and r. Owner thread. */
struct card_reader *card_reader_free(struct card_reader *r)
{
	if (!r)
		return NULL;
	if (r->ops && r->ops->stop)
		r->ops->stop(r);
	if (r->ops && r->ops->free_ctx)
		r->ops->free_ctx(r->ctx);
	free(r);
	return NULL;
}
