/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "privacy.h"

#define B "\xe2\x80\xa2" /* U+2022 */

/* Well-formed UTF-8 (no overlongs checked: the masks only cut, never
 * re-encode). */
static bool utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc2 ? 2 : 0;
		if (n == 0)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

static void test_nik(void **state)
{
	char buf[64];

	assert_string_equal(privacy_mask_nik("3201011505900001", buf, sizeof(buf)),
			    "3201" B B B B B B B B "0001");
	assert_ptr_equal(privacy_mask_nik("3174024708850003", buf, sizeof(buf)), buf);
	assert_string_equal(buf, "3174" B B B B B B B B "0003");
	/* Nothing of a malformed value shows. */
	assert_string_equal(privacy_mask_nik("320101150590000", buf, sizeof(buf)), B B B B);
	assert_string_equal(privacy_mask_nik("32010115059000011", buf, sizeof(buf)), B B B B);
	assert_string_equal(privacy_mask_nik("32010115059000A1", buf, sizeof(buf)), B B B B);
	assert_string_equal(privacy_mask_nik("", buf, sizeof(buf)), B B B B);
	assert_string_equal(privacy_mask_nik(NULL, buf, sizeof(buf)), B B B B);
}

static void test_nik_small_buffers(void **state)
{
	char buf[64];

	/* Whole pieces only: a bullet is 3 bytes and is never cut. */
	assert_string_equal(privacy_mask_nik("3201011505900001", buf, 5), "3201");
	assert_string_equal(privacy_mask_nik("3201011505900001", buf, 7), "3201");
	assert_string_equal(privacy_mask_nik("3201011505900001", buf, 8), "3201" B);
	assert_string_equal(privacy_mask_nik("3201011505900001", buf, 10), "3201" B);
	assert_string_equal(privacy_mask_nik("3201011505900001", buf, 11), "3201" B B);
	/* 4 + 24 + 4 bytes + NUL = 33: one short drops the last digits. */
	assert_string_equal(privacy_mask_nik("3201011505900001", buf, 32), "3201" B B B B B B B B);
	assert_string_equal(privacy_mask_nik("3201011505900001", buf, 33),
			    "3201" B B B B B B B B "0001");
	assert_string_equal(privacy_mask_nik("3201011505900001", buf, 1), "");
	memset(buf, 'x', sizeof(buf));
	privacy_mask_nik("3201011505900001", buf, 0);
	assert_int_equal(buf[0], 'x'); /* nothing written */
}

static void test_name(void **state)
{
	char buf[64];

	assert_string_equal(privacy_mask_name("Budi Santoso Wibowo", buf, sizeof(buf)),
			    "Budi S. W.");
	assert_string_equal(privacy_mask_name("Budi", buf, sizeof(buf)), "Budi");
	assert_string_equal(privacy_mask_name("SITI AMINAH", buf, sizeof(buf)), "SITI A.");
	assert_string_equal(privacy_mask_name("  budi   santoso  ", buf, sizeof(buf)), "budi s.");
	assert_string_equal(privacy_mask_name("Budi\tSantoso\nWibowo", buf, sizeof(buf)),
			    "Budi S. W.");
	assert_string_equal(privacy_mask_name("", buf, sizeof(buf)), "");
	assert_string_equal(privacy_mask_name("    ", buf, sizeof(buf)), "");
	assert_string_equal(privacy_mask_name(NULL, buf, sizeof(buf)), "");
	assert_string_equal(privacy_mask_name("I Gusti Ngurah Rai", buf, sizeof(buf)),
			    "I G. N. R.");
	/* Initials keep whole UTF-8 characters. */
	assert_string_equal(privacy_mask_name("Ni \xc3\x89ka \xc3\x91oman", buf, sizeof(buf)),
			    "Ni \xc3\x89. \xc3\x91.");
	assert_true(utf8_ok(buf));
}

static void test_name_bounds(void **state)
{
	char buf[64], name[300];

	assert_string_equal(privacy_mask_name("Budi Santoso Wibowo", buf, 8), "Budi S.");
	assert_string_equal(privacy_mask_name("Budi Santoso Wibowo", buf, 7), "Budi");
	assert_string_equal(privacy_mask_name("Budi Santoso Wibowo", buf, 3), "Bu");
	assert_string_equal(privacy_mask_name("Budi", buf, 1), "");

	/* A first word longer than the buffer is cut at a character. */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	privacy_mask_name(name, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);

	/* Two-byte characters across the end: never half of one. */
	for (size_t i = 0; i + 2 < sizeof(name); i += 2)
		memcpy(name + i, "\xc3\xa9", 2);
	name[sizeof(name) - 2] = '\0';
	privacy_mask_name(name, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 62);
	assert_true(utf8_ok(buf));

	/* Many words: as many initials as fit, each whole. */
	char many[200];
	size_t n = 0;
	many[n++] = 'X';
	for (int i = 0; i < 60; i++) {
		many[n++] = ' ';
		many[n++] = 'y';
	}
	many[n] = '\0';
	privacy_mask_name(many, buf, sizeof(buf));
	assert_true(strlen(buf) < sizeof(buf));
	assert_int_equal(buf[strlen(buf) - 1], '.');
	assert_int_equal((strlen(buf) - 1) % 3, 0);

	/* A stray continuation byte or a lone lead byte still advances. */
	privacy_mask_name("\x80\x80 \xe2", buf, sizeof(buf));
	assert_string_equal(buf, "\x80\x80 \xe2.");
}

static void test_uid(void **state)
{
	char buf[64];
	const uint8_t uid4[] = {0xde, 0xad, 0x3f, 0xa1};
	const uint8_t uid7[] = {0x04, 0x11, 0x22, 0x33, 0x44, 0x0b, 0xc0};
	const uint8_t uid10[] = {1, 2, 3, 4, 5, 6, 7, 8, 0xfe, 0x01};

	assert_string_equal(privacy_mask_uid(uid4, sizeof(uid4), buf, sizeof(buf)),
			    B B ":" B B ":3F:A1");
	assert_string_equal(privacy_mask_uid(uid7, sizeof(uid7), buf, sizeof(buf)),
			    B B ":" B B ":" B B ":" B B ":" B B ":0B:C0");
	privacy_mask_uid(uid10, sizeof(uid10), buf, sizeof(buf));
	assert_non_null(strstr(buf, ":FE:01"));
	assert_int_equal(strlen(buf), 8 * 6 + 4 + 9);
	/* Short UIDs would show whole: fully masked. */
	assert_string_equal(privacy_mask_uid(uid4, 2, buf, sizeof(buf)), B B ":" B B);
	assert_string_equal(privacy_mask_uid(uid4, 1, buf, sizeof(buf)), B B);
	assert_string_equal(privacy_mask_uid(uid4, 0, buf, sizeof(buf)), "");
	assert_string_equal(privacy_mask_uid(NULL, 4, buf, sizeof(buf)), "");
	/* No dangling separator when cut. */
	assert_string_equal(privacy_mask_uid(uid4, sizeof(uid4), buf, 14), B B ":" B B);
	assert_string_equal(privacy_mask_uid(uid4, sizeof(uid4), buf, 17), B B ":" B B ":3F");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nik),  cmocka_unit_test(test_nik_small_buffers),
		cmocka_unit_test(test_name), cmocka_unit_test(test_name_bounds),
		cmocka_unit_test(test_uid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
