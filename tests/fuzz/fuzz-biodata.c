/* SPDX-License-Identifier: MIT */
/*
 * The biodata parser (devices/ektp-biodata.c) on any bytes: no crash, no
 * overread; what parses is a valid, self-consistent identity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ektp-biodata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nik_date today = {2026, 1, 15};
	struct ektp_biodata b;
	struct nik_info info;
	int total;

	total = ektp_biodata_total_len(data, size);
	if (ektp_biodata_parse(data, size, &today, &b) == 0) {
		check(total > 0 && (size_t)total <= size);
		check(nik_parse(b.nik, NIK_LEN, &today, &info) == 0);
		check(info.sex == b.sex);
		check(info.birth.year == b.birth.year && info.birth.month == b.birth.month &&
		      info.birth.day == b.birth.day);
		check(b.name[0] != '\0' && strlen(b.name) < sizeof(b.name));
		check(strlen(b.address) < sizeof(b.address));
		check(strlen(b.province) < sizeof(b.province));
		ektp_biodata_wipe(&b);
	}
	return 0;
}
