/* SPDX-License-Identifier: MIT */
/*
 * bench-receipt [RUNS]: times what printing one receipt costs the print
 * worker before any byte reaches a printer: receipt_render() (Cairo,
 * Pango, libqrencode), escpos_encode_raster(), and escpos_quirks_apply()
 * for a model with small bands. Median and p95 of each stage and of the
 * sum, bytes per receipt, at 576 (80 mm) and 384 (58 mm) dots. Reports,
 * asserts nothing: the machines are shared.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escpos-quirks.h"
#include "escpos.h"
#include "receipt.h"
#include "session-types.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v and returns the q-quantile (nearest rank). */
static double quantile(double *v, int n, double q)
{
	int i;

	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	i = (int)(q * n + 0.999999) - 1;
	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static void add_app(struct session_lookup_result *r, const char *id, const char *agency,
		    const char *service, enum session_stage stage, const char *next_step)
{
	struct session_app *a = &r->apps[r->n_apps++];

	snprintf(a->id, sizeof(a->id), "%s", id);
	snprintf(a->agency, sizeof(a->agency), "%s", agency);
	snprintf(a->service, sizeof(a->service), "%s", service);
	a->stage = stage;
	snprintf(a->updated_at, sizeof(a->updated_at), "2026-03-02");
	snprintf(a->next_step, sizeof(a->next_step), "%s", next_step);
}

/* An invented citizen with four applications, as the demo's sample. */
static void sample(struct session_lookup_result *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->holder_name, sizeof(r->holder_name), "Dewi Kartika Sari");
	snprintf(r->nik, sizeof(r->nik), "3273014507900002");
	add_app(r, "APP-2026-000101", "Disdukcapil Kota Bandung", "Kartu Keluarga (perubahan data)",
		SESSION_STAGE_READY, "Dokumen dapat dicetak di anjungan ini.");
	add_app(r, "APP-2026-000102", "Disdukcapil Kota Bandung", "Akta Kelahiran",
		SESSION_STAGE_VERIFYING, "Tunggu pemberitahuan melalui SMS.");
	add_app(r, "APP-2026-000231", "DPMPTSP Kota Bandung", "Nomor Induk Berusaha (NIB)",
		SESSION_STAGE_NEEDS_FIX,
		"Unggah ulang foto KTP-el yang terbaca jelas dan surat keterangan domisili usaha.");
	add_app(r, "APP-2026-000345", "Kantor Imigrasi Kelas I Bandung", "Paspor biasa 48 halaman",
		SESSION_STAGE_AWAITING_PAYMENT,
		"Bayar PNBP melalui bank persepsi, lalu datang untuk foto dan wawancara.");
}

static int bench(int width, int runs)
{
	struct session_lookup_result *res = malloc(sizeof(*res));
	double *t_render = calloc((size_t)runs, sizeof(double));
	double *t_encode = calloc((size_t)runs, sizeof(double));
	double *t_quirks = calloc((size_t)runs, sizeof(double));
	double *t_total = calloc((size_t)runs, sizeof(double));
	const struct escpos_quirks *q = escpos_quirks_lookup(0x0416, 0x5011);
	size_t bytes = 0, bytes_q = 0;
	int height = 0, r = 0;

	if (!res || !t_render || !t_encode || !t_quirks || !t_total) {
		r = -ENOMEM;
		goto out;
	}
	sample(res);
	/* One warm-up run: fontconfig and Pango's caches fill on first use. */
	for (int i = -1; i < runs; i++) {
		struct receipt_info info = {
			.station_id = "MPP-BENCH-01",
			.when = 1772420400,
			.reference = "MPP-RCPT:MPP-BENCH-01:42:1772420400",
			.width_dots = width,
		};
		cairo_surface_t *s = NULL;
		uint8_t *buf = NULL, *qbuf = NULL;
		size_t len = 0, qlen = 0;
		double t0, t1, t2, t3;

		t0 = now_ms();
		r = receipt_render(&info, res, &s);
		t1 = now_ms();
		if (r == 0)
			r = escpos_encode_raster(s, &buf, &len);
		t2 = now_ms();
		if (r == 0)
			r = escpos_quirks_apply(q, buf, len, &qbuf, &qlen);
		t3 = now_ms();
		if (r == 0 && i >= 0) {
			t_render[i] = t1 - t0;
			t_encode[i] = t2 - t1;
			t_quirks[i] = t3 - t2;
			t_total[i] = t2 - t0;
			bytes = len;
			bytes_q = qlen;
			height = cairo_image_surface_get_height(s);
		}
		if (s)
			cairo_surface_destroy(s);
		free(buf);
		free(qbuf);
		if (r < 0)
			goto out;
	}
	printf("receipt %d dots x %d rows, %d runs\n", width, height, runs);
	printf("  render (Cairo+Pango+QR)   median %7.3f ms  p95 %7.3f ms\n",
	       quantile(t_render, runs, 0.5), quantile(t_render, runs, 0.95));
	printf("  raster + ESC/POS encode   median %7.3f ms  p95 %7.3f ms\n",
	       quantile(t_encode, runs, 0.5), quantile(t_encode, runs, 0.95));
	printf("  render + encode           median %7.3f ms  p95 %7.3f ms\n",
	       quantile(t_total, runs, 0.5), quantile(t_total, runs, 0.95));
	printf("  0416:5011 band rewrite    median %7.3f ms  p95 %7.3f ms\n",
	       quantile(t_quirks, runs, 0.5), quantile(t_quirks, runs, 0.95));
	printf("  bytes per receipt         %zu (%zu in %d-row bands)\n", bytes, bytes_q,
	       q->max_band_rows);
out:
	free(res);
	free(t_render);
	free(t_encode);
	free(t_quirks);
	free(t_total);
	return r;
}

int main(int argc, char **argv)
{
	long runs = 200;
	int r;

	if (argc > 1) {
		char *end;

		errno = 0;
		runs = strtol(argv[1], &end, 10);
		if (errno || *end || runs < 1 || runs > 100000) {
			fprintf(stderr, "usage: bench-receipt [RUNS]\n");
			return 64;
		}
	}
	r = bench(RECEIPT_WIDTH_80MM, (int)runs);
	if (r == 0)
		r = bench(RECEIPT_WIDTH_58MM, (int)runs);
	if (r < 0) {
		fprintf(stderr, "bench-receipt: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}
