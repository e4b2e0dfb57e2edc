/* SPDX-License-Identifier: MIT */
/*
 * nik_parse() on any bytes, and the maskers on the same bytes as a string:
 * no crash, no overread, and what parses is consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nik.h"
#include "privacy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nik_date today = {2026, 1, 15};
	struct nik_info info;
	char str[256], buf[64];
	size_t n = size < sizeof(str) - 1 ? size : sizeof(str) - 1;

	if (nik_parse((const char *)data, size, &today, &info) == 0) {
		check(size == NIK_LEN);
		check(info.province_name && nik_province_name(info.province) == info.province_name);
		check(nik_date_is_valid(&info.birth));
		check(info.birth.year >= 1900 && info.birth.year <= today.year);
		check(info.serial >= 1 && info.serial <= 9999);
		check(info.regency >= 1 && info.regency <= 99);
		check(info.district >= 1 && info.district <= 99);
		check(info.sex == NIK_SEX_MALE || info.sex == NIK_SEX_FEMALE);
	}

	memcpy(str, data, n);
	str[n] = '\0';
	check(strlen(privacy_mask_nik(str, buf, sizeof(buf))) < sizeof(buf));
	check(strlen(privacy_mask_name(str, buf, sizeof(buf))) < sizeof(buf));
	check(strlen(privacy_mask_name(str, buf, 9)) < 9);
	check(strlen(privacy_mask_uid(data, size < 10 ? size : 10, buf, sizeof(buf))) <
	      sizeof(buf));
	return 0;
}
