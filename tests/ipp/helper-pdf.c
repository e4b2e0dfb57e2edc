/* SPDX-License-Identifier: MIT */
/*
 * For the IPP tests and the benchmark: writes a demo A4 PDF (an invented
 * citizen) to FILE, or with "--bench N" renders it N times and prints the
 * median and p95 render time and the size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "document-pdf.h"

static const struct document_pdf_info sample = {
	.title = "Kartu Keluarga",
	.agency = "Disdukcapil Kota Bandung",
	.service = "Kartu Keluarga (perubahan data)",
	.holder_name = "Siti Rahmawati Putri",
	.nik = "3273014507900002",
	.application_id = "APP-2026-000101",
	.document_id = "DOC-2026-000101",
	.issued_on = "2026-03-02",
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int bench(long n)
{
	double *ms = calloc((size_t)n, sizeof(*ms));
	size_t bytes = 0;

	if (!ms)
		return 1;
	for (long i = 0; i < n; i++) {
		struct timespec a, b;
		uint8_t *pdf;
		size_t len;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (document_pdf_render(&sample, &pdf, &len) < 0) {
			free(ms);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		bytes = len;
		free(pdf);
	}
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	printf("a4-pdf-render: n=%ld median=%.2f ms p95=%.2f ms bytes=%zu\n", n, ms[n / 2],
	       ms[(size_t)((double)(n - 1) * 0.95)], bytes);
	free(ms);
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t *pdf;
	size_t len;
	FILE *f;
	int r;

	if (argc == 3 && strcmp(argv[1], "--bench") == 0) {
		char *end;
		long n;

		errno = 0;
		n = strtol(argv[2], &end, 10);
		if (errno || *end || n < 1 || n > 100000)
			return 64;
		return bench(n);
	}
	if (argc != 2) {
		fprintf(stderr, "usage: ipp-helper-pdf FILE | --bench N\n");
		return 64;
	}
	r = document_pdf_render(&sample, &pdf, &len);
	if (r < 0) {
		fprintf(stderr, "render: %s\n", strerror(-r));
		return 1;
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(pdf, 1, len, f) != len || fclose(f) != 0) {
		free(pdf);
		return 1;
	}
	free(pdf);
	return 0;
}
