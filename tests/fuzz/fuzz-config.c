/* SPDX-License-Identifier: MIT */
/*
 * config_parse() on any bytes: no crash, no overread (the input is not
 * NUL-terminated), and the result is consistent: a valid file gives a
 * config within the documented bounds, an invalid one leaves *ret alone and
 * lists errors on lines the input has.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_string(const char *s, size_t size)
{
	check(memchr(s, '\0', size) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct station_config c, pattern;
	static struct config_errors errs;
	unsigned lines = 1;
	int r;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	memset(&c, 0x5a, sizeof(c));
	memset(&pattern, 0x5a, sizeof(pattern));

	r = config_parse((const char *)data, size, &c, &errs);
	check(r == 0 || r == -EINVAL);
	check(errs.n <= CONFIG_ERRORS_MAX);
	for (size_t i = 0; i < errs.n; i++) {
		check_string(errs.e[i].message, sizeof(errs.e[i].message));
		check(errs.e[i].message[0] != '\0');
		check(errs.e[i].line <= lines);
	}
	if (r < 0) {
		check(errs.n > 0);
		check(memcmp(&c, &pattern, sizeof(c)) == 0);
		return 0;
	}

	check(errs.n == 0 && errs.n_dropped == 0);
	check_string(c.station_id, sizeof(c.station_id));
	check(c.station_id[0] != '\0');
	check_string(c.state_dir, sizeof(c.state_dir));
	check(c.state_dir[0] == '/');
	check_string(c.secrets_file, sizeof(c.secrets_file));
	check(c.log_level >= CONFIG_LOG_ERROR && c.log_level <= CONFIG_LOG_DEBUG);
	const uint64_t *t = &c.timeouts.card_timeout_ms;
	for (size_t i = 0; i < sizeof(c.timeouts) / sizeof(*t); i++)
		check(t[i] >= 1000 && t[i] <= 3600 * 1000 && t[i] % 1000 == 0);
	check((c.width == 0) == (c.height == 0));
	check(c.width == 0 || (c.width >= 320 && c.width <= 7680));
	check(c.height == 0 || (c.height >= 320 && c.height <= 7680));
	check(strcmp(c.card_backend, "pcsc") == 0 || strcmp(c.card_backend, "sim") == 0);
	check_string(c.card_reader, sizeof(c.card_reader));
	check_string(c.sam_reader, sizeof(c.sam_reader));
	check_string(c.camera_backend, sizeof(c.camera_backend));
	check_string(c.camera_device, sizeof(c.camera_device));
	check_string(c.receipt_printer, sizeof(c.receipt_printer));
	check(c.receipt_width_dots == 384 || c.receipt_width_dots == 576);
	check_string(c.document_printer, sizeof(c.document_printer));
	check_string(c.backend_url, sizeof(c.backend_url));
	check(c.backend_connect_timeout_ms >= 1000 && c.backend_timeout_ms >= 1000);
	check_string(c.backend_ca_file, sizeof(c.backend_ca_file));
	check(c.n_qr_keys <= CONFIG_QR_KEYS_MAX);
	for (size_t i = 0; i < c.n_qr_keys; i++) {
		check_string(c.qr_keys[i].id, sizeof(c.qr_keys[i].id));
		check(c.qr_keys[i].id[0] != '\0');
		for (size_t j = 0; j < i; j++)
			check(strcmp(c.qr_keys[i].id, c.qr_keys[j].id) != 0);
	}
	check(c.qr_clock_skew_s <= 3600);
	check(c.pin_max_failures >= 1 && c.pin_max_failures <= 100);
	check(c.pin_lockout_s >= 1 && c.pin_lockout_s <= 86400);
	return 0;
}
