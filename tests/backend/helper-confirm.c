/* SPDX-License-Identifier: MIT */
/*
 * Drives the confirmation queue for confirm-kill.sh, standing in for the
 * station's backend worker:
 *
 *   backend-helper-confirm DB URL add DOC JOB   record, print the key, flush
 *   backend-helper-confirm DB URL flush         flush; print what is pending
 *
 * Exit 0 when nothing is left pending.
 */
#include <stdio.h>
#include <string.h>

#include "backend-http.h"
#include "confirm-queue.h"

int main(int argc, char **argv)
{
	const struct backend_http_config cfg = {
		.url = argc > 2 ? argv[2] : "",
		.station_id = "MPP-TEST-01",
		.timeout_ms = 60000,
		.retries = 0,
	};
	char key[CONFIRM_QUEUE_KEY_MAX + 1];
	struct confirm_queue *q = NULL;
	struct backend *b = NULL;
	unsigned pending = 1;
	int r;

	if (argc < 4 || (strcmp(argv[3], "add") == 0 && argc != 6)) {
		fprintf(stderr, "usage: %s DB URL (add DOC JOB | flush)\n", argv[0]);
		return 2;
	}
	r = confirm_queue_open(argv[1], &q);
	if (r >= 0)
		r = backend_http_new(&cfg, &b);
	if (r >= 0 && strcmp(argv[3], "add") == 0) {
		r = confirm_queue_add(q, argv[4], argv[5], key);
		if (r >= 0) {
			printf("recorded %s\n", key);
			fflush(stdout);
		}
	}
	if (r >= 0)
		r = confirm_queue_flush(q, b);
	if (r >= 0)
		r = confirm_queue_pending(q, &pending);
	printf("pending %u\n", r >= 0 ? pending : 0);
	backend_free(b);
	confirm_queue_free(q);
	return r >= 0 && pending == 0 ? 0 : 1;
}
