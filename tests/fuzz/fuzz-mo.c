/* SPDX-License-Identifier: MIT */
/*
 * ui_mo_parse() on any bytes (a .mo catalogue is read from the disk at
 * start-up): no crash, no overread, and what parses is consistent: every
 * entry is found again by its msgid, in strictly ascending order, with
 * NUL-terminated strings inside the catalogue's copy.
 *
 * The seeds in corpus/mo/ were made with msgfmt (gettext 0.21): en.mo is
 * po/en.po compiled, en-big-endian.mo the same with --endianness=big,
 * small-context-plural.mo a four-message catalogue (--no-hash) with a
 * msgctxt, a plural and a non-ASCII translation; broken on purpose:
 * truncated.mo (en.mo's first 40 bytes), magic-only.mo, offset-past-end.mo
 * (a msgid's offset moved past the end), latin1-string.mo (a translation
 * in ISO-8859-1). tests/unit/test-mo.c reads the first three as well.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ui_mo *mo = NULL;
	const char *msgid, *msgstr, *prev = NULL;
	size_t n;

	if (ui_mo_parse(data, size, &mo) < 0) {
		check(mo == NULL);
		return 0;
	}
	n = ui_mo_count(mo);
	/* Each entry takes two 8-byte table slots. */
	check(n <= size / 16);
	for (size_t i = 0; i < n; i++) {
		const char *found;

		check(ui_mo_entry(mo, i, &msgid, &msgstr) == 0);
		check(*msgid != '\0');
		check(!prev || strcmp(prev, msgid) < 0);
		check(strlen(msgid) < size && strlen(msgstr) < size);
		found = ui_mo_lookup(mo, msgid);
		check(*msgstr ? found == msgstr : found == NULL);
		prev = msgid;
	}
	check(ui_mo_entry(mo, n, &msgid, &msgstr) < 0);
	check(ui_mo_lookup(mo, "") == NULL);
	check(ui_mo_free(mo) == NULL);
	return 0;
}
