/* SPDX-License-Identifier: MIT */
/*
 * For cancel.sh: prints FILE.pdf to URI through document_printer_open(),
 * as the station's print worker does, with a cancelled hook that turns
 * true once the file FLAG exists (the session gave up). Prints the result
 * word; exit 0 when the printer gave a verdict.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document-printer.h"
#include "session.h"

static bool flag_exists(void *userdata)
{
	return access(userdata, F_OK) == 0;
}

static void show(void *userdata, const char *state)
{
	(void)userdata;
	fprintf(stderr, "%s\n", state);
}

int main(int argc, char **argv)
{
	struct document_printer *p = NULL;
	enum session_print_result result;
	uint8_t *pdf = NULL;
	size_t len = 0;
	FILE *f;
	long size;
	int r;

	if (argc != 4) {
		fprintf(stderr, "usage: ipp-helper-cancel URI FILE.pdf FLAG\n");
		return 64;
	}
	f = fopen(argv[2], "rb");
	if (!f || fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) < 0 || !(pdf = malloc((size_t)size)) ||
	    fread(pdf, 1, (size_t)size, f) != (size_t)size) {
		if (f)
			fclose(f);
		free(pdf);
		return 66;
	}
	fclose(f);
	len = (size_t)size;
	r = document_printer_open(argv[1], &p);
	if (r < 0) {
		free(pdf);
		return 69;
	}
	p->hooks = (struct document_printer_hooks){
		.progress = show, .cancelled = flag_exists, .userdata = argv[3]};
	r = p->ops->print_job(p, "station-test-cancel", pdf, len, &result);
	document_printer_free(p);
	free(pdf);
	if (r < 0) {
		fprintf(stderr, "print_job: %s\n", strerror(-r));
		return 1;
	}
	printf("%s\n", session_print_result_to_string(result));
	return 0;
}
