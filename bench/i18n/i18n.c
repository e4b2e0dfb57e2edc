/* SPDX-License-Identifier: MIT */
/*
 * bench-i18n [RUNS]: what the translations cost. Prints, never asserts:
 * the first ui_text_init() (finds and reads the English .mo), the median
 * of RUNS ui_mo_parse() + ui_mo_free() of that catalogue in memory, and
 * the mean time of a ui_mo_lookup() and of a ui_text() over every text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "mo.h"

#define LOOKUP_ROUNDS 2000

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static char *read_all(const char *path, size_t *ret_size)
{
	FILE *f = fopen(path, "rbe");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)size);
		if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
			free(buf);
			buf = NULL;
		}
		*ret_size = (size_t)size;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	long runs = argc > 1 ? strtol(argv[1], NULL, 10) : 201;
	size_t size = 0, found = 0;
	double t0, *times, sink = 0;
	struct ui_mo *mo = NULL;
	char *data;
	int r;

	if (runs < 1 || runs > 100000) {
		fprintf(stderr, "usage: bench-i18n [RUNS]\n");
		return 64;
	}
	t0 = now_us();
	r = ui_text_init();
	printf("  %-44s %9.1f us%s\n", "first ui_text_init() (find + read + parse)", now_us() - t0,
	       r < 0 ? " (failed)" : "");

	data = read_all(BENCH_MO, &size);
	times = calloc((size_t)runs, sizeof(*times));
	if (!data || !times) {
		fprintf(stderr, "bench-i18n: cannot read %s\n", BENCH_MO);
		return 66;
	}
	for (long i = 0; i < runs; i++) {
		t0 = now_us();
		if (ui_mo_parse(data, size, &mo) < 0) {
			fprintf(stderr, "bench-i18n: %s does not parse\n", BENCH_MO);
			return 65;
		}
		times[i] = now_us() - t0;
		if (i + 1 < runs)
			mo = ui_mo_free(mo);
	}
	qsort(times, (size_t)runs, sizeof(*times), compare_doubles);
	printf("  %-44s %9.1f us (%zu bytes, %zu msgids, median of %ld)\n",
	       "ui_mo_parse() of en.mo", times[runs / 2], size, ui_mo_count(mo), runs);

	t0 = now_us();
	for (int k = 0; k < LOOKUP_ROUNDS; k++)
		for (int id = 0; id < _UI_TEXT_MAX; id++)
			found += ui_mo_lookup(mo, ui_text((enum ui_text_id)id, false)) != NULL;
	printf("  %-44s %9.1f ns (%zu found)\n", "ui_mo_lookup() + ui_text(id), per text",
	       (now_us() - t0) * 1e3 / ((double)LOOKUP_ROUNDS * _UI_TEXT_MAX),
	       found / LOOKUP_ROUNDS);

	t0 = now_us();
	for (int k = 0; k < LOOKUP_ROUNDS; k++)
		for (int id = 0; id < _UI_TEXT_MAX; id++)
			sink += (double)strlen(ui_text((enum ui_text_id)id, k & 1));
	printf("  %-44s %9.1f ns (%.0f bytes of text)\n", "ui_text() per call",
	       (now_us() - t0) * 1e3 / ((double)LOOKUP_ROUNDS * _UI_TEXT_MAX),
	       sink / LOOKUP_ROUNDS);

	ui_mo_free(mo);
	free(times);
	free(data);
	return 0;
}
