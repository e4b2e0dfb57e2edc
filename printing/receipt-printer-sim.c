/* SPDX-License-Identifier: MIT */
/*
 * "sim:DIR": the receipt printer of the demo and the tests. Each job goes
 * to DIR/receipt-NNN.escpos (escpos_decode() turns it into a PNG), or is
 * only counted when DIR is empty. Status is whatever the script last set;
 * a job sent while the printer cannot print fails the way a real one does
 * (-EIO), writing nothing, and the caller asks get_status why.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "printer-backends.h"

#define ALL_FLAGS                                                                             \
	(RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_COVER_OPEN | RECEIPT_STATUS_PAPER_NEAR_END | \
	 RECEIPT_STATUS_PAPER_END | RECEIPT_STATUS_ERROR)
/* Near end still prints. ERROR blocks too (beyond what the header
 * promises): a real printer in error prints nothing either. */
#define BLOCKING_FLAGS                                                                   \
	(RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_COVER_OPEN | RECEIPT_STATUS_PAPER_END | \
	 RECEIPT_STATUS_ERROR)

struct sim_ctx {
	pthread_mutex_t lock; /* scripting comes from any thread */
	char *dir;	      /* "" = count only */
	unsigned status;
	unsigned jobs;
	unsigned next_number;
};

static int sim_write_job(struct receipt_printer *p, const uint8_t *buf, size_t len)
{
	struct sim_ctx *c = p->ctx;
	int r = 0;

	if (!buf && len > 0)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	if (c->status & BLOCKING_FLAGS) {
		r = -EIO;
		goto out;
	}
	if (c->dir[0]) {
		r = printer_spool_write(c->dir, "receipt", "escpos", &c->next_number, buf, len);
		if (r < 0)
			goto out;
	}
	c->jobs++;
out:
	pthread_mutex_unlock(&c->lock);
	return r;
}

static int sim_get_status(struct receipt_printer *p, unsigned *ret_flags)
{
	struct sim_ctx *c = p->ctx;

	pthread_mutex_lock(&c->lock);
	*ret_flags = c->status;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

static void sim_free_ctx(void *ctx)
{
	struct sim_ctx *c = ctx;

	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c);
}

static const struct receipt_printer_ops sim_ops = {
	.name = "sim",
	.write_job = sim_write_job,
	.get_status = sim_get_status,
	.free_ctx = sim_free_ctx,
};

int receipt_printer_sim_new(const char *dir, struct receipt_printer **ret_printer)
{
	struct receipt_printer *p = NULL;
	struct sim_ctx *c = NULL;
	int r;

	if (!dir)
		return -EINVAL;
	if (dir[0]) {
		r = printer_spool_prepare(dir);
		if (r < 0)
			return r;
	}
	p = calloc(1, sizeof(*p));
	c = calloc(1, sizeof(*c));
	if (!p || !c)
		goto fail;
	c->dir = strdup(dir);
	if (!c->dir)
		goto fail;
	c->next_number = 1;
	pthread_mutex_init(&c->lock, NULL);
	*p = (struct receipt_printer){.ops = &sim_ops, .ctx = c};
	*ret_printer = p;
	return 0;
fail:
	free(c);
	free(p);
	return -ENOMEM;
}

int receipt_printer_sim_set_status(struct receipt_printer *p, unsigned flags)
{
	struct sim_ctx *c;

	if (!p || p->ops != &sim_ops || (flags & ~(unsigned)ALL_FLAGS))
		return -EINVAL;
	c = p->ctx;
	pthread_mutex_lock(&c->lock);
	c->status = flags;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

unsigned receipt_printer_sim_jobs(struct receipt_printer *p)
{
	struct sim_ctx *c;
	unsigned n;

	if (!p || p->ops != &sim_ops)
		return 0;
	c = p->ctx;
	pthread_mutex_lock(&c->lock);
	n = c->jobs;
	pthread_mutex_unlock(&c->lock);
	return n;
}
