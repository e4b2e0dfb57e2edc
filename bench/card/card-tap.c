/* SPDX-License-Identifier: MIT */
/*
 * Benchmark: e-KTP taps through the real driver, a real pcscd and vpcd,
 * and the virtual e-KTP + SAM (tests/vcard), in private namespaces.
 *
 *   bench-card-tap [--taps N] [--no-sam] VCARD
 *
 * For each tap: the card is inserted, the station's reader reads it
 * (UID, SAM authentication, biodata through secure messaging) and the
 * identity lands on the station queue; then the card is removed. Prints
 * the median and p95 of
 *   - detected -> identity on the queue (the driver's own measure: from
 *     pcscd reporting the card to the CARD_READ event pushed),
 *   - of which inside SCardTransmit (pcscd, vpcd, the virtual card),
 *   - our own overhead per APDU (the rest, divided by the APDU count),
 *   - tap -> identity popped (adds pcscd's ~400 ms reader polling),
 * and the APDUs per read. Needs root (namespaces), pcscd and vpcd.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card-reader-pcsc.h"
#include "pcsc-env.h"
#include "queue.h"
#include "vcard-emu.h"

#define WAIT_MS 15000

struct sample {
	double read_ms, transmit_ms, tap_ms;
	unsigned apdus;
};

struct bench {
	pthread_mutex_t lock;
	struct sample last; /* from the driver's report */
	bool have_last;
};

static void observe(void *userdata, const struct card_pcsc_report *rep)
{
	struct bench *b = userdata;

	if (rep->kind != CARD_PCSC_CARD_READ)
		return;
	pthread_mutex_lock(&b->lock);
	b->last = (struct sample){
		.read_ms = (double)rep->read_us / 1000.0,
		.transmit_ms = (double)rep->transmit_us / 1000.0,
		.apdus = rep->apdus,
	};
	b->have_last = true;
	pthread_mutex_unlock(&b->lock);
}

static int wait_for(struct station_queue *q, enum station_event_type type,
		    struct station_event *ret)
{
	long long until = pcsc_env_now_ms() + WAIT_MS;

	for (;;) {
		struct station_event ev;

		while (station_queue_pop(q, &ev) == 1) {
			if (ev.type == type) {
				if (ret)
					*ret = ev;
				else
					station_event_clear(&ev);
				return 0;
			}
			if (ev.type == STATION_EVENT_CARD_FAILED) {
				station_event_clear(&ev);
				return -EIO;
			}
			station_event_clear(&ev);
		}
		long long left = until - pcsc_env_now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		station_queue_wait(q, (int)left);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median and p95 (nearest rank) of n values; sorts v. */
static void stats(double *v, size_t n, double *ret_median, double *ret_p95)
{
	size_t k95 = (95 * n + 99) / 100;

	qsort(v, n, sizeof(*v), cmp_double);
	*ret_median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	*ret_p95 = v[k95 ? k95 - 1 : 0];
}

static int vcard(struct pcsc_env *e, const char *cmd, const char *want)
{
	char line[128];

	if (pcsc_env_vcard(e, cmd, line, sizeof(line), WAIT_MS) < 0 || strcmp(line, want) != 0) {
		fprintf(stderr, "bench: vcard did not answer '%s' to '%s'\n", want, cmd);
		return -EPROTO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"taps", required_argument, NULL, 't'},
		{"no-sam", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	static const char *const vargs[] = {"--port", "35963", "--sam-port", "35964", NULL};
	struct bench b = {0};
	struct pcsc_env env;
	struct station_queue *q = NULL;
	struct card_reader *reader = NULL;
	struct sample *s = NULL;
	double *v = NULL, med, p95;
	long taps = 200;
	bool no_sam = false;
	int c, code = 1;
	char *end;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			taps = strtol(optarg, &end, 10);
			if (*end || taps < 1 || taps > 100000)
				return 64;
			break;
		case 'n':
			no_sam = true;
			break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"usage: bench-card-tap [--taps N] [--no-sam] VCARD\n");
			return c == 'h' ? 0 : 64;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: bench-card-tap [--taps N] [--no-sam] VCARD\n");
		return 64;
	}
	if (pcsc_env_init(&env) < 0) {
		fprintf(stderr, "bench: cannot make the namespaces (root needed)\n");
		return 1;
	}
	pthread_mutex_init(&b.lock, NULL);
	s = calloc((size_t)taps, sizeof(*s));
	v = calloc((size_t)taps, sizeof(*v));
	if (!s || !v)
		goto out;
	if (pcsc_env_start_pcscd(&env, WAIT_MS) < 0 ||
	    pcsc_env_start_vcard(&env, argv[optind], vargs) < 0) {
		fprintf(stderr, "bench: pcscd or the vcard did not start\n");
		goto out;
	}
	struct card_reader_pcsc_config cfg = {
		.reader_pattern = PCSC_ENV_CARD_READER,
		.sam_reader_pattern = no_sam ? NULL : PCSC_ENV_SAM_READER,
		.sam_unlock = no_sam ? NULL : vcard_test_unlock,
		.observe = observe,
		.userdata = &b,
	};
	if (station_queue_new(64, &q) < 0 || card_reader_pcsc_new(q, &cfg, &reader) < 0 ||
	    card_reader_start(reader) < 0)
		goto out;

	for (long i = 0; i < taps; i++) {
		struct station_event ev;
		long long t0;

		t0 = pcsc_env_now_ms();
		if (vcard(&env, "insert", "inserted") < 0)
			goto out;
		if (wait_for(q, STATION_EVENT_CARD_READ, &ev) < 0) {
			fprintf(stderr, "bench: tap %ld: no identity\n", i);
			goto out;
		}
		station_event_clear(&ev);
		pthread_mutex_lock(&b.lock);
		s[i] = b.last;
		b.have_last = false;
		pthread_mutex_unlock(&b.lock);
		s[i].tap_ms = (double)(pcsc_env_now_ms() - t0);
		if (vcard(&env, "remove", "removed") < 0 ||
		    wait_for(q, STATION_EVENT_CARD_REMOVED, NULL) < 0)
			goto out;
	}

	printf("e-KTP taps through pcscd + vpcd + vcard: %ld taps, %s\n", taps,
	       no_sam ? "no SAM (UID only)" : "SAM + biodata");
	for (long i = 0; i < taps; i++)
		v[i] = s[i].read_ms;
	stats(v, (size_t)taps, &med, &p95);
	printf("  detected -> identity on queue   median %8.3f ms   p95 %8.3f ms\n", med, p95);
	for (long i = 0; i < taps; i++)
		v[i] = s[i].transmit_ms;
	stats(v, (size_t)taps, &med, &p95);
	printf("  of which in SCardTransmit       median %8.3f ms   p95 %8.3f ms\n", med, p95);
	for (long i = 0; i < taps; i++)
		v[i] = s[i].apdus ? (s[i].read_ms - s[i].transmit_ms) * 1000.0 / s[i].apdus : 0;
	stats(v, (size_t)taps, &med, &p95);
	printf("  our overhead per APDU           median %8.1f us   p95 %8.1f us\n", med, p95);
	for (long i = 0; i < taps; i++)
		v[i] = s[i].apdus;
	stats(v, (size_t)taps, &med, &p95);
	printf("  APDUs per read (card + SAM)     median %8.0f      p95 %8.0f\n", med, p95);
	for (long i = 0; i < taps; i++)
		v[i] = s[i].tap_ms;
	stats(v, (size_t)taps, &med, &p95);
	printf("  tap -> identity popped          median %8.1f ms   p95 %8.1f ms"
	       "   (includes pcscd's reader polling)\n",
	       med, p95);
	code = 0;
out:
	reader = card_reader_free(reader);
	q = station_queue_free(q);
	pcsc_env_free(&env);
	pthread_mutex_destroy(&b.lock);
	free(s);
	free(v);
	return code;
}
