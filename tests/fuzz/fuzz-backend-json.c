/* SPDX-License-Identifier: MIT */
/*
 * Every parser of a backend answer (station/backend-json.c) on arbitrary
 * bytes. The first byte picks the parser, the rest is the answer. A parse
 * that succeeds must yield a result that re-encodes and parses back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session_lookup_result res, again;
	struct backend_json_error err;
	struct backend_json_ack ack;
	uint8_t sha[32];
	const char *text;
	char *enc;

	if (size < 1)
		return 0;
	text = (const char *)data + 1;
	size--;
	switch (data[0] % 5) {
	case 0:
		if (backend_json_parse_lookup(text, size, &res) == 0) {
			enc = backend_json_encode_lookup(&res);
			if (!enc || backend_json_parse_lookup(enc, strlen(enc), &again) != 0 ||
			    again.n_apps != res.n_apps)
				abort();
			free(enc);
		}
		break;
	case 1:
		if (backend_json_parse_error(text, size, &err) == 0 &&
		    !backend_error_code_to_string(err.code))
			abort();
		break;
	case 2:
		(void)backend_json_parse_ack(text, size, "DOC-2026-000101", &ack);
		break;
	case 3:
		(void)backend_json_parse_heartbeat_ack(text, size);
		break;
	default:
		(void)backend_json_parse_digest(text, size, sha);
		break;
	}
	return 0;
}
