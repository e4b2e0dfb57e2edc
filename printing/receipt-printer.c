/* SPDX-License-Identifier: MIT */
/*
 * Receipt printers by URI (receipt-printer.h), and the spool directory
 * shared by the back ends that write jobs as files (printer-backends.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "printer-backends.h"
#include "receipt-printer.h"

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int receipt_printer_open(const char *uri, struct receipt_printer **ret_printer)
{
	if (!uri || !ret_printer)
		return -EINVAL;
	if (has_prefix(uri, "file:")) {
		if (!uri[5])
			return -EINVAL;
		return receipt_printer_file_new(uri + 5, ret_printer);
	}
	if (has_prefix(uri, "sim:"))
		return receipt_printer_sim_new(uri + 4, ret_printer);
	if (has_prefix(uri, "usb://"))
		return receipt_printer_usb_new(uri + 6, ret_printer);
	if (has_prefix(uri, "tcp://"))
		return receipt_printer_tcp_new(uri + 6, ret_printer);
	return -EINVAL;
}

struct receipt_printer *receipt_printer_free(struct receipt_printer *p)
{
	if (!p)
		return NULL;
	if (p->ops && p->ops->free_ctx)
		p->ops->free_ctx(p->ctx);
	free(p);
	return NULL;
}

int printer_spool_prepare(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int printer_spool_write(const char *dir, const char *prefix, const char *ext, unsigned *next_number,
			const uint8_t *buf, size_t len)
{
	char path[4096];
	unsigned n = *next_number ? *next_number : 1;
	int fd = -1, r;

	/* Files left by an earlier run keep their numbers: skip past them
	 * rather than overwrite what someone may still want to look at. */
	for (;; n++) {
		r = snprintf(path, sizeof(path), "%s/%s-%03u.%s", dir, prefix, n, ext);
		if (r < 0 || (size_t)r >= sizeof(path))
			return -ENAMETOOLONG;
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0)
			break;
		if (errno != EEXIST || n == UINT32_MAX)
			return -errno;
	}
	r = write_all(fd, buf, len);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		unlink(path);
		return r == -ENOSPC ? -ENOSPC : -EIO;
	}
	*next_number = n + 1;
	return 0;
}

const char *receipt_status_words(unsigned flags, char *buf, size_t size)
{
	static const struct {
		unsigned flag;
		const char *word;
	} words[] = {
		{RECEIPT_STATUS_OFFLINE, "offline"},
		{RECEIPT_STATUS_COVER_OPEN, "cover open"},
		{RECEIPT_STATUS_PAPER_END, "paper end"},
		{RECEIPT_STATUS_PAPER_NEAR_END, "paper near end"},
		{RECEIPT_STATUS_ERROR, "error"},
	};
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		int n;

		if (!(flags & words[i].flag))
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", words[i].word);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	if (!buf[0])
		snprintf(buf, size, "ready");
	return buf;
}
