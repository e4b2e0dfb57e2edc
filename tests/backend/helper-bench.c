/* SPDX-License-Identifier: MIT */
/*
 * The lookup round trip on loopback, for bench/lookup.sh: N lookups by
 * card through the http backend (request building, TLS-less HTTP, size
 * cap, strict parsing), and N of the same request with a bare libcurl
 * handle that only receives the bytes. Both reuse one connection. Prints
 * median and p95 of each in microseconds and their ratio.
 *
 *   backend-helper-bench URL N
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend-http.h"

static const uint8_t uid[7] = {0x04, 0x5a, 0x21, 0x3c, 0x8e, 0x61, 0x80};

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static size_t sink(char *d, size_t s, size_t n, void *u)
{
	(void)d;
	(void)u;
	return s * n;
}

static void report(const char *what, double *v, size_t n, double *ret_median)
{
	qsort(v, n, sizeof(*v), cmp);
	*ret_median = v[n / 2];
	printf("%-8s median %8.1f us   p95 %8.1f us\n", what, v[n / 2], v[(n * 95) / 100]);
}

int main(int argc, char **argv)
{
	const struct backend_http_config cfg = {
		.url = argc > 1 ? argv[1] : "",
		.station_id = "MPP-BENCH-01",
		.timeout_ms = 30000,
	};
	struct session_lookup_result res;
	struct curl_slist *h = NULL;
	struct backend *b = NULL;
	double *ours, *bare, m_ours, m_bare;
	char url[256];
	size_t n;
	CURL *c;

	if (argc != 3 || (n = strtoul(argv[2], NULL, 10)) < 20 || n > 1000000) {
		fprintf(stderr, "usage: %s URL N (N >= 20)\n", argv[0]);
		return 2;
	}
	ours = calloc(n, sizeof(*ours));
	bare = calloc(n, sizeof(*bare));
	if (!ours || !bare || backend_http_new(&cfg, &b) < 0)
		return 1;
	snprintf(url, sizeof(url), "%s/v1/lookup", argv[1]);
	c = curl_easy_init();
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"card_uid\":\"045A213C8E6180\"}");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);

	/* Warm both connections, then interleave so drift hits both alike. */
	if (b->ops->lookup_card(b, uid, 7, NULL, &res) < 0 || curl_easy_perform(c) != CURLE_OK) {
		fprintf(stderr, "backend not reachable at %s\n", argv[1]);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		double t0 = now_us();

		if (b->ops->lookup_card(b, uid, 7, NULL, &res) < 0)
			return 1;
		ours[i] = now_us() - t0;
		t0 = now_us();
		if (curl_easy_perform(c) != CURLE_OK)
			return 1;
		bare[i] = now_us() - t0;
	}
	report("client", ours, n, &m_ours);
	report("bare", bare, n, &m_bare);
	printf("ratio    %.2f (client median / bare libcurl median)\n", m_ours / m_bare);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	backend_free(b);
	free(ours);
	free(bare);
	return 0;
}
