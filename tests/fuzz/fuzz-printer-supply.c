/* SPDX-License-Identifier: MIT */
/*
 * The IPP printer-supply parser on any octets (a printer sends them): no
 * crash, no overread, and what parses is in range and printable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "document-printer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct document_supply s;
	/* An exact-size copy, so that ASan sees any read past the value. */
	char *v = malloc(size ? size : 1);

	if (!v)
		return 0;
	memcpy(v, data, size);
	if (document_supply_parse(v, size, &s) == 0) {
		size_t n = strnlen(s.type, sizeof(s.type));

		check(n > 0 && n < sizeof(s.type));
		for (size_t i = 0; i < n; i++)
			check(s.type[i] > 0x20 && s.type[i] < 0x7f);
		check(s.level >= -1 && s.level <= 100);
		check(s.name[0] == '\0');
		check(memmem(v, size, s.type, n) != NULL);
	}
	free(v);
	return 0;
}
