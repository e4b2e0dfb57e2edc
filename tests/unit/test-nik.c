/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "nik.h"

/* A fixed "today" so the tests do not depend on the clock. */
static const struct nik_date today = {.year = 2026, .month = 1, .day = 15};

static int parse(const char *s, const struct nik_date *t, struct nik_info *ret)
{
	return nik_parse(s, strlen(s), t, ret);
}

static void test_male(void **state)
{
	struct nik_info info;

	assert_int_equal(parse("3201011505900001", &today, &info), 0);
	assert_int_equal(info.province, 32);
	assert_string_equal(info.province_name, "Jawa Barat");
	assert_int_equal(info.regency, 1);
	assert_int_equal(info.district, 1);
	assert_int_equal(info.birth.year, 1990);
	assert_int_equal(info.birth.month, 5);
	assert_int_equal(info.birth.day, 15);
	assert_int_equal(info.sex, NIK_SEX_MALE);
	assert_int_equal(info.serial, 1);
	assert_string_equal(nik_sex_to_string(info.sex), "male");
}

static void test_female_plus_40(void **state)
{
	struct nik_info info;

	/* 47 = 7 + 40: a woman born on 7 August 1985 in Jakarta Selatan. */
	assert_int_equal(parse("3174024708850003", &today, &info), 0);
	assert_int_equal(info.province, 31);
	assert_string_equal(info.province_name, "DKI Jakarta");
	assert_int_equal(info.regency, 74);
	assert_int_equal(info.district, 2);
	assert_int_equal(info.birth.day, 7);
	assert_int_equal(info.birth.month, 8);
	assert_int_equal(info.birth.year, 1985);
	assert_int_equal(info.sex, NIK_SEX_FEMALE);
	assert_int_equal(info.serial, 3);
	assert_string_equal(nik_sex_to_string(info.sex), "female");

	/* Last day of a month, +40. */
	assert_int_equal(parse("3201017112990001", &today, &info), 0);
	assert_int_equal(info.birth.day, 31);
	assert_int_equal(info.sex, NIK_SEX_FEMALE);
	/* 72 = 32 + 40: no such day. */
	assert_int_equal(parse("3201017212990001", &today, NULL), -EINVAL);
	/* 32..40 are neither a man's day nor a woman's. */
	for (int d = 32; d <= 40; d++) {
		char nik[17];
		snprintf(nik, sizeof(nik), "320101%02d0190%04d", d, 1);
		assert_int_equal(parse(nik, &today, NULL), -EINVAL);
	}
}

static void test_all_provinces(void **state)
{
	unsigned accepted = 0;

	assert_int_equal(nik_province_count(), 38);
	for (size_t i = 0; i < nik_province_count(); i++) {
		unsigned code = nik_province_code(i);
		char nik[17];
		struct nik_info info;

		assert_non_null(nik_province_name(code));
		if (i > 0)
			assert_true(code > nik_province_code(i - 1));
		snprintf(nik, sizeof(nik), "%02u0101010180%04u", code, 42u);
		assert_int_equal(parse(nik, &today, &info), 0);
		assert_int_equal(info.province, code);
		assert_string_equal(info.province_name, nik_province_name(code));
		assert_int_equal(info.serial, 42);
	}
	assert_int_equal(nik_province_code(nik_province_count()), 0);

	/* Exactly the 38 codes are accepted among 00..99. */
	for (unsigned code = 0; code < 100; code++) {
		char nik[17];
		snprintf(nik, sizeof(nik), "%02u0101010180%04u", code, 1u);
		if (parse(nik, &today, NULL) == 0) {
			accepted++;
			assert_non_null(nik_province_name(code));
		} else {
			assert_null(nik_province_name(code));
		}
	}
	assert_int_equal(accepted, 38);
	assert_string_equal(nik_province_name(11), "Aceh");
	assert_string_equal(nik_province_name(96), "Papua Barat Daya");
	assert_string_equal(nik_province_name(65), "Kalimantan Utara");
}

static void test_leap_years(void **state)
{
	struct nik_info info;

	/* 2000 is a leap year (divisible by 400). */
	assert_int_equal(parse("3201012902000001", &today, &info), 0);
	assert_int_equal(info.birth.year, 2000);
	assert_int_equal(info.birth.month, 2);
	assert_int_equal(info.birth.day, 29);
	/* Women too: 69 = 29 + 40. */
	assert_int_equal(parse("3201016902000001", &today, &info), 0);
	assert_int_equal(info.sex, NIK_SEX_FEMALE);
	assert_int_equal(info.birth.day, 29);
	/* 1996 leap; 2001/1901 not. */
	assert_int_equal(parse("3201012902960001", &today, &info), 0);
	assert_int_equal(info.birth.year, 1996);
	assert_int_equal(parse("3201012902010001", &today, NULL), -EINVAL);
	assert_int_equal(parse("3201016902010001", &today, NULL), -EINVAL);
	assert_int_equal(parse("3201013002000001", &today, NULL), -EINVAL);
	/* Seen from 1999, "00" can only be 1900, which is not a leap year
	 * (2000 would be in the future). */
	const struct nik_date y1999 = {1999, 12, 31};
	assert_int_equal(parse("3201012902000001", &y1999, NULL), -EINVAL);
	assert_int_equal(parse("3201012802000001", &y1999, &info), 0);
	assert_int_equal(info.birth.year, 1900);
}

static void test_calendar(void **state)
{
	assert_int_equal(parse("3201013104900001", &today, NULL), -EINVAL); /* 31 April */
	assert_int_equal(parse("3201013004900001", &today, NULL), 0);
	assert_int_equal(parse("3201010001900001", &today, NULL), -EINVAL); /* day 0 */
	assert_int_equal(parse("3201014001900001", &today, NULL), -EINVAL); /* woman, day 0 */
	assert_int_equal(parse("3201011500900001", &today, NULL), -EINVAL); /* month 0 */
	assert_int_equal(parse("3201011513900001", &today, NULL), -EINVAL); /* month 13 */
	assert_int_equal(parse("3201011512900001", &today, NULL), 0);
}

static void test_century_and_future(void **state)
{
	struct nik_info info;

	/* 20yy when that is not after today. */
	assert_int_equal(parse("3201010101260001", &today, &info), 0);
	assert_int_equal(info.birth.year, 2026);
	assert_int_equal(parse("3201011501260001", &today, &info), 0); /* today */
	assert_int_equal(info.birth.year, 2026);
	/* The day after today: a 100-year-old, not an unborn. */
	assert_int_equal(parse("3201011601260001", &today, &info), 0);
	assert_int_equal(info.birth.year, 1926);
	assert_int_equal(parse("3201010101990001", &today, &info), 0);
	assert_int_equal(info.birth.year, 1999);

	/* After today in both centuries: refused. */
	const struct nik_date y1950 = {1950, 6, 1};
	assert_int_equal(parse("3201010101700001", &y1950, NULL), -EINVAL);
	assert_int_equal(parse("3201010206500001", &y1950, NULL), -EINVAL);
	assert_int_equal(parse("3201010106500001", &y1950, &info), 0);
	assert_int_equal(info.birth.year, 1950);

	/* An impossible today is refused rather than guessed around. */
	const struct nik_date bad = {2026, 2, 30};
	assert_int_equal(parse("3201011505900001", &bad, NULL), -EINVAL);
}

static void test_shape(void **state)
{
	static const char *const bad[] = {
		"",
		"320101150590000",   /* 15 */
		"32010115059000011", /* 17 */
		"32010115059000A1",
		"3201011505900O01", /* letter O */
		" 201011505900001",
		"+201011505900001",
		"-201011505900001",
		"3201 11505900001",
		("32010115\xd9\xa0"
		 "900001"), /* Arabic-Indic zero: 16 bytes */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &today, NULL), -EINVAL);
		assert_false(nik_valid(bad[i], &today));
	}
	assert_int_equal(nik_parse(NULL, 16, &today, NULL), -EINVAL);
	assert_false(nik_valid(NULL, &today));
	/* An embedded NUL is not a digit. */
	assert_int_equal(nik_parse("3201011505\0"
				   "00001",
				   16, &today, NULL),
			 -EINVAL);
	/* len counts, not the terminator: a longer buffer is fine. */
	assert_int_equal(nik_parse("3201011505900001XYZ", 16, &today, NULL), 0);
	assert_int_equal(nik_parse("3201011505900001XYZ", 19, &today, NULL), -EINVAL);
}

static void test_codes_and_serial(void **state)
{
	struct nik_info info;

	assert_int_equal(parse("3200011505900001", &today, NULL), -EINVAL); /* regency 00 */
	assert_int_equal(parse("3201001505900001", &today, NULL), -EINVAL); /* district 00 */
	assert_int_equal(parse("3201011505900000", &today, NULL), -EINVAL); /* serial 0000 */
	assert_int_equal(parse("3299991505909999", &today, &info), 0);
	assert_int_equal(info.regency, 99);
	assert_int_equal(info.district, 99);
	assert_int_equal(info.serial, 9999);
	assert_int_equal(parse("0001011505900001", &today, NULL), -EINVAL);
	assert_int_equal(parse("2001011505900001", &today, NULL), -EINVAL);
	assert_int_equal(parse("9701011505900001", &today, NULL), -EINVAL);
}

static void test_untouched_on_failure(void **state)
{
	struct nik_info info, before;

	memset(&info, 0xa5, sizeof(info));
	before = info;
	assert_int_equal(parse("3201011505900000", &today, &info), -EINVAL);
	assert_memory_equal(&info, &before, sizeof(info));
}

static void test_system_clock(void **state)
{
	struct nik_date now;

	assert_int_equal(nik_today(&now), 0);
	assert_true(nik_date_is_valid(&now));
	assert_true(now.year >= 2024);
	/* Born 1990: valid whatever today is (after 1990). */
	assert_true(nik_valid("3201011505900001", NULL));
	assert_false(nik_valid("3201011505900000", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_male),
		cmocka_unit_test(test_female_plus_40),
		cmocka_unit_test(test_all_provinces),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_century_and_future),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_codes_and_serial),
		cmocka_unit_test(test_untouched_on_failure),
		cmocka_unit_test(test_system_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
