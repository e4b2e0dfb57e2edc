/* SPDX-License-Identifier: MIT */
/*
 * The .mo reader (ui/mo.h): the catalogue msgfmt built from po/en.po, and
 * catalogues written here byte by byte, in both byte orders, well-formed
 * and each way broken.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "i18n.h"
#include "mo.h"

#define HEADER_UTF8 "Content-Type: text/plain; charset=UTF-8\n"

struct msg {
	const char *id, *str;
	size_t id_len, str_len; /* 0: strlen (a plural holds NULs) */
};

static void put32(unsigned char *p, uint32_t v, bool big)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (big ? 24 - 8 * i : 8 * i));
}

/* Writes a .mo of the messages, in the given order, into buf: the header
 * words, the two tables, then every string with its NUL, the last
 * translation last. Returns its size. */
static size_t build(unsigned char *buf, size_t size, const struct msg *m, size_t n, bool big)
{
	uint32_t orig = 28, trans = 28 + 8 * (uint32_t)n, pos = 28 + 16 * (uint32_t)n;

	assert_true(pos <= size);
	memset(buf, 0, pos);
	put32(buf, 0x950412de, big);
	put32(buf + 4, 0, big);
	put32(buf + 8, (uint32_t)n, big);
	put32(buf + 12, orig, big);
	put32(buf + 16, trans, big);
	for (int table = 0; table < 2; table++) {
		for (size_t i = 0; i < n; i++) {
			const char *s = table ? m[i].str : m[i].id;
			size_t len = table ? m[i].str_len : m[i].id_len;

			if (!len)
				len = strlen(s);
			assert_true(pos + len + 1 <= size);
			put32(buf + (table ? trans : orig) + 8 * i, (uint32_t)len, big);
			put32(buf + (table ? trans : orig) + 8 * i + 4, pos, big);
			memcpy(buf + pos, s, len);
			buf[pos + len] = '\0';
			pos += (uint32_t)len + 1;
		}
	}
	return pos;
}

static const struct msg sample[] = {
	{"", "Project-Id-Version: x\n" HEADER_UTF8, 0, 0},
	{"Kembali", "Back", 0, 0},
	{"Baik", "Good", 0, 0},
	{"device state\004Baik", "OK", 0, 0},
	{"apel\0apel-apel", "apple\0apples", 14, 12},
	{"Kosong", "", 0, 0},
	{"Halaman {1} dari {2}", "Page {1} of {2}", 0, 0},
	{"Keluar", "Éxit ✓", 0, 0},
};

static void test_sample(void **state)
{
	unsigned char buf[1024];
	const char *id, *str, *prev = NULL;

	for (int big = 0; big < 2; big++) {
		size_t size = build(buf, sizeof(buf), sample, 8, big);
		struct ui_mo *mo = NULL;

		assert_int_equal(ui_mo_parse(buf, size, &mo), 0);
		/* A copy: the bytes may go. */
		memset(buf, 0xff, size);
		assert_int_equal(ui_mo_count(mo), 7);
		assert_string_equal(ui_mo_lookup(mo, "Kembali"), "Back");
		assert_string_equal(ui_mo_lookup(mo, "Baik"), "Good");
		assert_string_equal(ui_mo_lookup(mo, "device state\004Baik"), "OK");
		assert_string_equal(ui_mo_lookup(mo, "apel"), "apple");
		assert_string_equal(ui_mo_lookup(mo, "Halaman {1} dari {2}"), "Page {1} of {2}");
		assert_string_equal(ui_mo_lookup(mo, "Keluar"), "Éxit ✓");
		/* Untranslated, unknown, and the header are not translations. */
		assert_null(ui_mo_lookup(mo, "Kosong"));
		assert_null(ui_mo_lookup(mo, "Tidak ada"));
		assert_null(ui_mo_lookup(mo, ""));
		assert_null(ui_mo_lookup(mo, NULL));
		/* The entries in msgid order, the header left out. */
		for (size_t i = 0; i < ui_mo_count(mo); i++) {
			assert_int_equal(ui_mo_entry(mo, i, &id, &str), 0);
			assert_true(*id);
			if (prev)
				assert_true(strcmp(prev, id) < 0);
			prev = id;
		}
		prev = NULL;
		id = str = "untouched";
		assert_int_equal(ui_mo_entry(mo, 7, &id, &str), -ERANGE);
		assert_string_equal(id, "untouched");
		assert_null(ui_mo_free(mo));
	}
	assert_null(ui_mo_free(NULL));
	assert_int_equal(ui_mo_count(NULL), 0);
	assert_null(ui_mo_lookup(NULL, "Kembali"));
}

/* Every proper prefix of a catalogue is refused (the last byte is the NUL
 * of the last translation), and the result pointer is left alone. */
static void test_truncated(void **state)
{
	unsigned char buf[1024];
	size_t size = build(buf, sizeof(buf), sample, 8, false);
	struct ui_mo *mo = (struct ui_mo *)buf;

	for (size_t n = 0; n < size; n++)
		assert_int_equal(ui_mo_parse(buf, n, &mo), -EBADMSG);
	assert_ptr_equal(mo, (struct ui_mo *)buf);
	assert_int_equal(ui_mo_parse(NULL, 0, &mo), -EBADMSG);
}

static int parse_one(const struct msg *m, size_t n)
{
	unsigned char buf[1024];
	size_t size = build(buf, sizeof(buf), m, n, false);
	struct ui_mo *mo = NULL;
	int r = ui_mo_parse(buf, size, &mo);

	ui_mo_free(mo);
	return r;
}

static void test_refused(void **state)
{
	unsigned char buf[1024];
	size_t size;
	struct ui_mo *mo = NULL;

	/* Strings that are not UTF-8: an overlong '/', a surrogate, a lone
	 * continuation byte, a cut sequence, a code point past U+10FFFF. */
	static const char *const bad[] = {"\xc0\xaf", "\xed\xa0\x80", "a\x80", "\xe2\x9c",
					  "\xf4\x90\x80\x80"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct msg m[2] = {{"", HEADER_UTF8, 0, 0}, {"Kembali", bad[i], 0, 0}};

		assert_int_equal(parse_one(m, 2), -EBADMSG);
		m[1] = (struct msg){bad[i], "Back", 0, 0};
		assert_int_equal(parse_one(m, 2), -EBADMSG);
	}
	/* Another charset, and the same msgid twice. */
	static const struct msg latin1[] = {
		{"", "Content-Type: text/plain; charset=ISO-8859-1\n", 0, 0},
		{"Kembali", "Back", 0, 0},
	};
	static const struct msg twice[] = {{"Kembali", "Back", 0, 0}, {"Kembali", "Again", 0, 0}};
	assert_int_equal(parse_one(latin1, 2), -EBADMSG);
	assert_int_equal(parse_one(twice, 2), -EBADMSG);
	/* No header, or one without a charset, is UTF-8; no entries at all is
	 * an empty catalogue. */
	assert_int_equal(parse_one(twice, 1), 0);
	assert_int_equal(parse_one((const struct msg[]){{"", "Language: en\n", 0, 0}}, 1), 0);
	assert_int_equal(parse_one(NULL, 0), 0);

	size = build(buf, sizeof(buf), sample, 8, false);
	/* Not the magic; a revision this reader does not know. */
	buf[0] ^= 1;
	assert_int_equal(ui_mo_parse(buf, size, &mo), -EBADMSG);
	buf[0] ^= 1;
	put32(buf + 4, 2U << 16, false);
	assert_int_equal(ui_mo_parse(buf, size, &mo), -EBADMSG);
	put32(buf + 4, 1U << 16 | 1, false);
	assert_int_equal(ui_mo_parse(buf, size, &mo), 0);
	mo = ui_mo_free(mo);
	put32(buf + 4, 0, false);
	/* More entries than the tables hold; a table past the end. */
	put32(buf + 8, 0x20000000, false);
	assert_int_equal(ui_mo_parse(buf, size, &mo), -EBADMSG);
	put32(buf + 8, 8, false);
	put32(buf + 16, (uint32_t)size - 8, false);
	assert_int_equal(ui_mo_parse(buf, size, &mo), -EBADMSG);
	put32(buf + 16, 28 + 8 * 8, false);
	/* A string past the end, and one whose NUL is not where its length
	 * says. */
	put32(buf + 28 + 4, (uint32_t)size, false);
	assert_int_equal(ui_mo_parse(buf, size, &mo), -EBADMSG);
	put32(buf + 28 + 4, 28 + 16 * 8, false);
	assert_int_equal(ui_mo_parse(buf, size, &mo), 0);
	mo = ui_mo_free(mo);
	put32(buf + 28, 1, false);
	assert_int_equal(ui_mo_parse(buf, size, &mo), -EBADMSG);
	assert_null(mo);
}

/* The catalogue the build compiled from po/en.po, read from its file: what
 * the English screens show. */
static void test_built(void **state)
{
	struct ui_mo *mo = NULL;
	char path[] = "/tmp/test-mo.XXXXXX";
	int fd;

	assert_int_equal(
		ui_mo_load(TEST_BINARY_DIR "/share/locale/en/LC_MESSAGES/anjungan.mo", &mo), 0);
	assert_true(ui_mo_count(mo) > 100);
	assert_int_equal(ui_text_init(), 0);
	for (int id = 0; id < _UI_TEXT_MAX; id++)
		assert_string_equal(ui_mo_lookup(mo, ui_text((enum ui_text_id)id, false)),
				    ui_text((enum ui_text_id)id, true));
	mo = ui_mo_free(mo);

	assert_int_equal(
		ui_mo_load(TEST_BINARY_DIR "/share/locale/xx/LC_MESSAGES/anjungan.mo", &mo),
		-ENOENT);
	assert_int_equal(ui_mo_load(TEST_BINARY_DIR, &mo), -EBADMSG);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ui_mo_load(path, &mo), -EBADMSG);
	assert_int_equal(write(fd, "\xde\x12\x04\x95", 4), 4);
	assert_int_equal(ui_mo_load(path, &mo), -EBADMSG);
	assert_null(mo);
	close(fd);
	unlink(path);
}

/* msgfmt's own output beyond the one catalogue: big-endian, and contexts
 * and plurals (the fuzz seeds, described in tests/fuzz/fuzz-mo.c). */
static void test_msgfmt_files(void **state)
{
	struct ui_mo *le = NULL, *be = NULL, *small = NULL;
	const char *id, *str;

	assert_int_equal(ui_mo_load(TEST_SOURCE_DIR "/tests/fuzz/corpus/mo/en.mo", &le), 0);
	assert_int_equal(ui_mo_load(TEST_SOURCE_DIR "/tests/fuzz/corpus/mo/en-big-endian.mo", &be),
			 0);
	assert_int_equal(ui_mo_count(le), ui_mo_count(be));
	assert_true(ui_mo_count(le) > 100);
	for (size_t i = 0; i < ui_mo_count(le); i++) {
		assert_int_equal(ui_mo_entry(le, i, &id, &str), 0);
		assert_string_equal(ui_mo_lookup(be, id), str);
	}
	assert_int_equal(
		ui_mo_load(TEST_SOURCE_DIR "/tests/fuzz/corpus/mo/small-context-plural.mo", &small),
		0);
	assert_int_equal(ui_mo_count(small), 4);
	assert_string_equal(ui_mo_lookup(small, "Baik"), "Good");
	assert_string_equal(ui_mo_lookup(small, "device state\004Baik"), "OK");
	assert_string_equal(ui_mo_lookup(small, "{1} permohonan"), "{1} application");
	assert_string_equal(ui_mo_lookup(small, "Keluar"), "Éxit ✓");
	ui_mo_free(le);
	ui_mo_free(be);
	ui_mo_free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),	     cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_refused),	     cmocka_unit_test(test_built),
		cmocka_unit_test(test_msgfmt_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
