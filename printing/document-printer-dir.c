/* SPDX-License-Identifier: MIT */
/*
 * "dir:PATH" and "sim:DIR": each PDF to DIR/document-NNN.pdf. The sim
 * flavour adds scriptable status: a printer out of paper, with its cover
 * open or offline gives that verdict and writes nothing, as a real IPP
 * printer's job would end aborted. "sim:" with no DIR only counts.
 *
 * Both refuse data that is not a PDF: a real printer would print garbage
 * pages or abort, and either way the document was not delivered.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "printer-backends.h"

#define ALL_FLAGS                                                                             \
	(DOCUMENT_STATUS_OFFLINE | DOCUMENT_STATUS_MEDIA_EMPTY | DOCUMENT_STATUS_COVER_OPEN | \
	 DOCUMENT_STATUS_TONER_LOW)

struct dir_ctx {
	pthread_mutex_t lock; /* scripting comes from any thread */
	char *dir;	      /* "" = count only (sim only) */
	bool scriptable;
	unsigned status;
	unsigned jobs;
	unsigned next_number;
};

/* The verdict a printer with these flags gives a job, most fundamental
 * first: an offline printer cannot tell about its cover, and a citizen
 * can be asked to wait for a closed cover before more paper. */
static enum session_print_result verdict(unsigned flags)
{
	if (flags & DOCUMENT_STATUS_OFFLINE)
		return SESSION_PRINT_OFFLINE;
	if (flags & DOCUMENT_STATUS_COVER_OPEN)
		return SESSION_PRINT_COVER_OPEN;
	if (flags & DOCUMENT_STATUS_MEDIA_EMPTY)
		return SESSION_PRINT_PAPER_OUT;
	return SESSION_PRINT_OK;
}

static int dir_print_job(struct document_printer *p, const char *job_name, const uint8_t *pdf,
			 size_t len, enum session_print_result *ret_result)
{
	struct dir_ctx *c = p->ctx;
	enum session_print_result result;
	int r = 0;

	if (!ret_result || (!pdf && len > 0))
		return -EINVAL;
	if (len < 5 || memcmp(pdf, "%PDF-", 5) != 0) {
		*ret_result = SESSION_PRINT_FAILED;
		return 0;
	}
	pthread_mutex_lock(&c->lock);
	result = verdict(c->status);
	if (result != SESSION_PRINT_OK)
		goto out;
	if (c->dir[0]) {
		r = printer_spool_write(c->dir, "document", "pdf", &c->next_number, pdf, len);
		if (r < 0)
			goto out;
	}
	c->jobs++;
out:
	pthread_mutex_unlock(&c->lock);
	if (r < 0)
		return r;
	*ret_result = result;
	return 0;
}

/* dir: is there or not (OFFLINE); sim: what the script set. */
static int dir_get_status(struct document_printer *p, unsigned *ret_flags)
{
	struct dir_ctx *c = p->ctx;
	unsigned flags;

	pthread_mutex_lock(&c->lock);
	flags = c->status;
	if (!c->scriptable && access(c->dir, W_OK | X_OK) < 0)
		flags |= DOCUMENT_STATUS_OFFLINE;
	pthread_mutex_unlock(&c->lock);
	*ret_flags = flags;
	return 0;
}

static void dir_free_ctx(void *ctx)
{
	struct dir_ctx *c = ctx;

	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c);
}

static const struct document_printer_ops dir_ops = {
	.name = "dir",
	.print_job = dir_print_job,
	.get_status = dir_get_status,
	.free_ctx = dir_free_ctx,
};

static const struct document_printer_ops sim_ops = {
	.name = "sim",
	.print_job = dir_print_job,
	.get_status = dir_get_status,
	.free_ctx = dir_free_ctx,
};

int document_printer_dir_new(const char *dir, bool scriptable,
			     struct document_printer **ret_printer)
{
	struct document_printer *p = NULL;
	struct dir_ctx *c = NULL;
	int r;

	if (!dir || (!scriptable && !dir[0]) || !ret_printer)
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
	c->scriptable = scriptable;
	c->next_number = 1;
	pthread_mutex_init(&c->lock, NULL);
	*p = (struct document_printer){.ops = scriptable ? &sim_ops : &dir_ops, .ctx = c};
	*ret_printer = p;
	return 0;
fail:
	free(c);
	free(p);
	return -ENOMEM;
}

static bool is_ours(const struct document_printer *p)
{
	return p && (p->ops == &sim_ops || p->ops == &dir_ops);
}

int document_printer_sim_set_status(struct document_printer *p, unsigned flags)
{
	struct dir_ctx *c;

	if (!p || p->ops != &sim_ops || (flags & ~(unsigned)ALL_FLAGS))
		return -EINVAL;
	c = p->ctx;
	pthread_mutex_lock(&c->lock);
	c->status = flags;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/* Counts for dir: too: a technician's test page is checked the same way. */
unsigned document_printer_sim_jobs(struct document_printer *p)
{
	struct dir_ctx *c;
	unsigned n;

	if (!is_ours(p))
		return 0;
	c = p->ctx;
	pthread_mutex_lock(&c->lock);
	n = c->jobs;
	pthread_mutex_unlock(&c->lock);
	return n;
}
