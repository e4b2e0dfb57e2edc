/* SPDX-License-Identifier: MIT */
/*
 * For resolve.sh: asks the printer at URI where its job JOBID stands, as
 * the station does at start-up for a job its journal left unfinished.
 * Prints the result word; exit 0 on an answer, 69 when unreachable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document-printer.h"
#include "session.h"

int main(int argc, char **argv)
{
	struct document_printer *p;
	enum session_print_result result;
	char *end;
	long id;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: ipp-helper-resolve URI JOBID\n");
		return 64;
	}
	errno = 0;
	id = strtol(argv[2], &end, 10);
	if (errno || *end || id < 1 || id > 1000000)
		return 64;
	if (document_printer_open(argv[1], &p) < 0 || !p->ops->resolve_job)
		return 64;
	r = p->ops->resolve_job(p, (int)id, &result);
	document_printer_free(p);
	if (r < 0) {
		fprintf(stderr, "resolve_job: %s\n", strerror(-r));
		return 69;
	}
	printf("%s\n", session_print_result_to_string(result));
	return 0;
}
