/* SPDX-License-Identifier: MIT */
/*
 * A tiny driver of the http backend for the shell tests (contract test
 * through prism): one operation per run.
 *
 *   backend-helper-client URL TOKEN-FILE document ID     (SHA-256 checked)
 *   backend-helper-client URL TOKEN-FILE fetch ID        (not checked: Prism
 *                                    re-encodes binary bodies it proxies)
 *   backend-helper-client URL TOKEN-FILE confirm DOC JOB KEY
 *   backend-helper-client URL TOKEN-FILE heartbeat
 *
 * Prints "ok" or the errno name and exits 0 or 1. TOKEN-FILE "-": none.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend-http.h"

static int run(struct backend *b, int argc, char **argv)
{
	if (argc == 5 && (strcmp(argv[3], "document") == 0 || strcmp(argv[3], "fetch") == 0)) {
		uint8_t *pdf = NULL, sha[32], actual[32];
		size_t len = 0;
		int r = b->ops->fetch_document(b, argv[4], &pdf, &len, sha);

		if (r < 0)
			return r;
		crypto_hash_sha256(actual, pdf, len);
		free(pdf);
		if (strcmp(argv[3], "fetch") == 0)
			return 0;
		return memcmp(sha, actual, 32) == 0 ? 0 : -EBADMSG;
	}
	if (argc == 7 && strcmp(argv[3], "confirm") == 0)
		return b->ops->confirm_collected(b, argv[4], argv[5], argv[6]);
	if (argc == 4 && strcmp(argv[3], "heartbeat") == 0) {
		enum session_device_state st[_SESSION_DEVICE_MAX] = {0};

		return backend_http_heartbeat(b, "0.1.0", 60, 0, st);
	}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	char token[256] = "";
	struct backend *b = NULL;
	int r;

	if (argc < 4) {
		fprintf(stderr, "usage: %s URL TOKEN-FILE OP ARGS...\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[2], "-") != 0) {
		FILE *f = fopen(argv[2], "re");

		if (!f || !fgets(token, sizeof(token), f)) {
			fprintf(stderr, "cannot read %s\n", argv[2]);
			if (f)
				fclose(f);
			return 2;
		}
		fclose(f);
		token[strcspn(token, "\r\n")] = '\0';
	}
	{
		const struct backend_http_config cfg = {
			.url = argv[1],
			.station_id = "MPP-TEST-01",
			.timeout_ms = 30000,
			.retries = 1,
			.bearer_token = token,
		};

		r = backend_http_new(&cfg, &b);
	}
	if (r >= 0)
		r = run(b, argc, argv);
	backend_free(b);
	printf("%s\n", r >= 0 ? "ok" : strerrorname_np(-r));
	return r >= 0 ? 0 : 1;
}
