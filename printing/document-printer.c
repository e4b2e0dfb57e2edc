/* SPDX-License-Identifier: MIT */
/*
 * Document printers by URI (document-printer.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "document-printer.h"
#include "printer-backends.h"

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int document_printer_open(const char *uri, struct document_printer **ret_printer)
{
	if (!uri || !ret_printer)
		return -EINVAL;
	if (has_prefix(uri, "dir:")) {
		if (!uri[4])
			return -EINVAL;
		return document_printer_dir_new(uri + 4, false, ret_printer);
	}
	if (has_prefix(uri, "sim:"))
		return document_printer_dir_new(uri + 4, true, ret_printer);
	if (has_prefix(uri, "ipp://") || has_prefix(uri, "ipps://") || has_prefix(uri, "cups:"))
		return document_printer_ipp_new(uri, ret_printer);
	return -EINVAL;
}

struct document_printer *document_printer_free(struct document_printer *p)
{
	if (!p)
		return NULL;
	if (p->ops && p->ops->free_ctx)
		p->ops->free_ctx(p->ctx);
	free(p);
	return NULL;
}
