/* SPDX-License-Identifier: MIT */
/*
 * "file:PATH": each job appended to PATH. Also drives a printer through
 * the kernel's usblp node (file:/dev/usb/lp0), where the printer may come
 * and go: the path is opened per job, never kept open, so a replugged
 * printer works again on the next job.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "printer-backends.h"

struct file_ctx {
	pthread_mutex_t lock; /* one job at a time: appends must not interleave */
	char *path;
};

static int file_write_job(struct receipt_printer *p, const uint8_t *buf, size_t len)
{
	struct file_ctx *c = p->ctx;
	int fd, r = 0;

	if (!buf && len > 0)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	fd = open(c->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		/* No such device (unplugged), or a directory that vanished. */
		r = errno == ENODEV || errno == ENXIO || errno == ENOENT ? -ENODEV : -EIO;
		goto out;
	}
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = errno == ENODEV || errno == ENXIO ? -ENODEV : -EIO;
			break;
		}
		buf += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0 && r == 0)
		r = -EIO;
out:
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* A file cannot report paper or cover: it is either writable (0) or not
 * (OFFLINE). A path not there yet counts as writable when its directory
 * is. */
static int file_get_status(struct receipt_printer *p, unsigned *ret_flags)
{
	struct file_ctx *c = p->ctx;
	unsigned flags = 0;

	if (access(c->path, W_OK) < 0) {
		char *copy = strdup(c->path);

		if (!copy)
			return -ENOMEM;
		if (errno != ENOENT || access(dirname(copy), W_OK | X_OK) < 0)
			flags = RECEIPT_STATUS_OFFLINE;
		free(copy);
	}
	*ret_flags = flags;
	return 0;
}

static void file_free_ctx(void *ctx)
{
	struct file_ctx *c = ctx;

	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c->path);
	free(c);
}

static const struct receipt_printer_ops file_ops = {
	.name = "file",
	.write_job = file_write_job,
	.get_status = file_get_status,
	.free_ctx = file_free_ctx,
};

int receipt_printer_file_new(const char *path, struct receipt_printer **ret_printer)
{
	struct receipt_printer *p;
	struct file_ctx *c;

	if (!path || !*path)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	c = calloc(1, sizeof(*c));
	if (!p || !c)
		goto fail;
	c->path = strdup(path);
	if (!c->path)
		goto fail;
	pthread_mutex_init(&c->lock, NULL);
	*p = (struct receipt_printer){.ops = &file_ops, .ctx = c};
	*ret_printer = p;
	return 0;
fail:
	if (c)
		free(c->path);
	free(c);
	free(p);
	return -ENOMEM;
}
