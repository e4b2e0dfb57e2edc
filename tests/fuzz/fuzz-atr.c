/* SPDX-License-Identifier: MIT */
/*
 * The ATR parser and the pattern matcher on any bytes, and the pattern
 * text parser on the same bytes as text: no crash, no overread, and what
 * parses is consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ektp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ektp_atr_info info;
	struct ektp_atr_pattern p;
	const struct ektp_atr_pattern *table;
	char text[128];
	size_t n_table, n;
	int idx;

	if (ektp_atr_parse(data, size, &info) == 0) {
		check(size >= 2 && size <= EKTP_ATR_MAX);
		check(info.n_historical == (data[1] & 0x0fu));
		check(info.n_historical <= size - 2);
		check(memcmp(info.historical, data + size - info.n_historical - info.has_tck,
			     info.n_historical) == 0);
	}
	table = ektp_atr_default_table(&n_table);
	idx = ektp_atr_match(table, n_table, data, size);
	if (idx >= 0) {
		check((size_t)idx < n_table && table[idx].len == size);
		for (size_t i = 0; i < size; i++)
			check((data[i] & table[idx].mask[i]) == table[idx].value[i]);
	}

	n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	memcpy(text, data, n);
	text[n] = '\0';
	if (ektp_atr_pattern_parse(text, text, &p) == 0) {
		check(p.len >= 2 && p.len <= EKTP_ATR_MAX);
		check(strlen(p.name) < sizeof(p.name));
		/* The pattern's own value (wildcards as 00) matches it. */
		check(ektp_atr_match(&p, 1, p.value, p.len) == 0);
	}
	return 0;
}
