/* SPDX-License-Identifier: MIT */
/*
 * The QR test set's judge (tests/qr) and benchmark (bench/qr).
 *
 *   qr-rate MANIFEST           decode every frame with the station's
 *                              scanner (still mode: every pass), print the
 *                              rate per class, fail below the class's floor
 *   qr-rate --bench MANIFEST   also time it: ms per frame per resolution,
 *                              with and without a code, in stream mode (one
 *                              pass per frame, with and without the finder
 *                              check) and still mode, and the same for zbar
 *                              with its default configuration
 *   qr-rate --frames N [--no-finder-check] MANIFEST
 *                              decode only the first N frames, each as the
 *                              first frame of a stream (for callgrind)
 *
 * A frame counts as decoded when the text found is one of its payloads;
 * a frame without a code counts when nothing is found.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zbar.h>

#include "camera.h"
#include "qr-finder.h"
#include "qr-scanner.h"

#define MAX_FRAMES 512
#define TEXT_SIZE  4096

struct frame {
	char class[32];
	int w, h;
	char path[512];
	char want[2][TEXT_SIZE]; /* the payloads; both empty: no code */
	uint8_t *gray;
};

/* Floors in percent. Clean, mild blur and JPEG must always decode; the
 * others are what the set gives today, less a margin for zbar versions;
 * "none" is the share of code-less frames with no false decode. */
static const struct {
	const char *class;
	int floor;
} floors[] = {
	{"clean", 100},	     {"blur-mild", 100}, {"jpeg", 100},	    {"none", 100},
	{"noise", 100},	     {"rotate", 100},	 {"inverted", 100}, {"low-contrast", 100},
	{"perspective", 80}, {"glare", 80},	 {"two", 100},	    {"blur-strong", 80},
};

static int floor_of(const char *class)
{
	for (size_t i = 0; i < sizeof(floors) / sizeof(floors[0]); i++)
		if (strcmp(floors[i].class, class) == 0)
			return floors[i].floor;
	return 100;
}

static int read_text(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rbe");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return 0;
}

/* Splits line at sep into at most max fields (in place). */
static int split(char *line, char sep, char **fields, int max)
{
	int n = 0;

	while (n < max) {
		char *end = strchr(line, sep);

		fields[n++] = line;
		if (!end)
			break;
		*end = '\0';
		line = end + 1;
	}
	return n;
}

static int load_manifest(const char *path, struct frame *frames, size_t *ret_n)
{
	FILE *f = fopen(path, "re");
	char line[2048];
	size_t n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && n < MAX_FRAMES) {
		struct frame *fr = &frames[n];
		char *fields[4], *want[2];
		int nw;

		/* class \t WxH \t path \t payload-file[|payload-file] or - */
		line[strcspn(line, "\n")] = '\0';
		memset(fr, 0, sizeof(*fr));
		if (split(line, '\t', fields, 4) != 4 ||
		    sscanf(fields[1], "%dx%d", &fr->w, &fr->h) != 2)
			goto bad;
		snprintf(fr->class, sizeof(fr->class), "%s", fields[0]);
		snprintf(fr->path, sizeof(fr->path), "%s", fields[2]);
		if (strcmp(fields[3], "-") != 0) {
			nw = split(fields[3], '|', want, 2);
			for (int k = 0; k < nw; k++)
				if (read_text(want[k], fr->want[k], TEXT_SIZE) < 0)
					goto bad;
		}
		n++;
	}
	fclose(f);
	*ret_n = n;
	return 0;
bad:
	fclose(f);
	return -EINVAL;
}

static bool judge(const struct frame *fr, int r, const char *text, size_t len)
{
	if (!fr->want[0][0])
		return r == -ENOMSG;
	if (r <= 0)
		return false;
	for (int i = 0; i < 2; i++)
		if (fr->want[i][0] && strlen(fr->want[i]) == len &&
		    memcmp(fr->want[i], text, len) == 0)
			return true;
	return false;
}

/* zbar as shipped: every symbology, full resolution, one pass. */
static int zbar_default(const struct frame *fr, char *text, size_t size, size_t *ret_len)
{
	zbar_image_scanner_t *s = zbar_image_scanner_create();
	zbar_image_t *img = zbar_image_create();
	const zbar_symbol_t *sym;
	int found = 0;

	zbar_image_scanner_set_config(s, ZBAR_NONE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)fr->w, (unsigned)fr->h);
	zbar_image_set_data(img, fr->gray, (unsigned long)fr->w * (unsigned long)fr->h, NULL);
	zbar_scan_image(s, img);
	for (sym = zbar_image_first_symbol(img); sym; sym = zbar_symbol_next(sym)) {
		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
			continue;
		if (found++ == 0) {
			size_t len = zbar_symbol_get_data_length(sym);
			size_t n = len < size - 1 ? len : size - 1;

			memcpy(text, zbar_symbol_get_data(sym), n);
			text[n] = '\0';
			*ret_len = len;
		}
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(s);
	return found ? found : -ENOMSG;
}

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

static double median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

enum mode { MODE_STILL, MODE_STREAM, MODE_STREAM_NO_CHECK, MODE_ZBAR_DEFAULT, N_MODES };
static const char *const mode_names[] = {"station still", "station stream", "stream, no check",
					 "zbar default"};

/* Decodes frame i in a mode; returns whether it was judged right, and the
 * time taken in *ret_ms. */
static bool run_one(struct qr_scanner *sc, const struct frame *fr, enum mode m, double *ret_ms)
{
	static char text[TEXT_SIZE];
	size_t len = 0;
	double t0 = now_ms();
	int r;

	if (m == MODE_ZBAR_DEFAULT)
		r = zbar_default(fr, text, sizeof(text), &len);
	else
		r = qr_scanner_decode(sc, fr->gray, fr->w, fr->h, fr->w, m == MODE_STILL, text,
				      sizeof(text), &len);
	*ret_ms = now_ms() - t0;
	return judge(fr, r, text, len);
}

/* The camera's view of a frame held up for six frames: a fresh stream
 * scanner (finder check included) through its whole cycle of passes. A
 * frame with a code is right when some pass finds it; one without when
 * none finds anything. */
static bool finder_check = true;
/* --bench: a stream scanner without the finder check, for comparison. */
static struct qr_scanner *stream_no_check;

static bool run_stream(const struct frame *fr)
{
	struct qr_scanner_params p;
	struct qr_scanner *sc = NULL;
	bool has = fr->want[0][0] != '\0', right = !has;

	qr_scanner_params_default(&p);
	if (qr_scanner_new(&p, &sc) < 0)
		return false;
	for (int k = 0; k < 6; k++) {
		double ms;
		bool ok = run_one(sc, fr, MODE_STREAM, &ms);

		right = has ? right || ok : right && ok;
	}
	qr_scanner_free(sc);
	return right;
}

/* The finder check (qr-finder.h) on the image the stream pass scans
 * (downscaled from 960 px wide): a frame with a code it misses is a code
 * the camera thread would never decode, so there must be none. Frames
 * without a code it lets through are reported (they cost a zbar pass).
 * Returns 1 when a code was missed. */
static int check_finder(const struct frame *frames, size_t n)
{
	int with = 0, with_seen = 0, without = 0, without_seen = 0;

	for (size_t i = 0; i < n; i++) {
		const struct frame *fr = &frames[i];
		bool small = fr->w >= 960;
		int w = small ? fr->w / 2 : fr->w, h = small ? fr->h / 2 : fr->h, r;
		uint8_t *img = fr->gray;

		if (small) {
			img = malloc((size_t)w * (size_t)h);
			if (!img)
				return 1;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					const uint8_t *a =
						fr->gray + (size_t)(2 * y) * (size_t)fr->w;
					const uint8_t *b = a + fr->w;
					img[(size_t)y * (size_t)w + (size_t)x] =
						(uint8_t)((a[2 * x] + a[2 * x + 1] + b[2 * x] +
							   b[2 * x + 1] + 2) >>
							  2);
				}
		}
		r = qr_finder_count(img, w, h, w, 2, 1);
		if (small)
			free(img);
		if (fr->want[0][0]) {
			with++;
			with_seen += r > 0;
			if (r <= 0)
				printf("finder check missed the code in %s\n", fr->path);
		} else {
			without++;
			without_seen += r > 0;
		}
	}
	printf("finder check: a candidate in %d/%d frames with a code, %d/%d without "
	       "(those pay a zbar pass)\n",
	       with_seen, with, without_seen, without);
	return with_seen < with;
}

/* qr_scanner_decode_all() (what `station scan` uses): on a frame with two
 * codes both must come back, on one without a code none, and on every
 * other frame the code the still pass finds must be among them. Returns
 * the number of failed checks (0 or 1 per kind). */
static int check_every_code(const struct frame *frames, size_t n, struct qr_scanner *sc)
{
	int two = 0, two_ok = 0, none = 0, none_ok = 0, one = 0, one_ok = 0;

	for (size_t i = 0; i < n; i++) {
		const struct frame *fr = &frames[i];
		struct qr_scanner_code codes[QR_SCANNER_CODES_MAX];
		int r = qr_scanner_decode_all(sc, fr->gray, fr->w, fr->h, fr->w, codes);
		int want = !fr->want[0][0] ? 0 : !fr->want[1][0] ? 1 : 2, found = 0;

		for (int c = 0; c < r; c++)
			for (int k = 0; k < want; k++)
				if (strlen(fr->want[k]) == codes[c].len &&
				    memcmp(fr->want[k], codes[c].data, codes[c].len) == 0)
					found++;
		if (want == 0) {
			none++;
			none_ok += r == -ENOMSG;
		} else if (want == 2) {
			two++;
			two_ok += r == 2 && found == 2;
		} else {
			double ms;

			one++;
			/* Not a floor of its own: what the still pass finds. */
			one_ok += !run_one(sc, fr, MODE_STILL, &ms) || (r == 1 && found == 1);
		}
		if (r > 0)
			qr_scanner_codes_free(codes, (size_t)r);
	}
	printf("\nevery code (qr_scanner_decode_all): two codes %d/%d, no code %d/%d, "
	       "one code %d/%d\n",
	       two_ok, two, none_ok, none, one_ok, one);
	return (two_ok < two) + (none_ok < none) + (one_ok < one);
}

static void report(struct frame *frames, size_t n, struct qr_scanner *sc, struct qr_scanner *stream,
		   bool bench, int *ret_failed)
{
	static const int res[][2] = {{640, 480}, {1280, 720}, {1920, 1080}};
	static double times[6 * MAX_FRAMES];
	const char *classes[64];
	size_t n_classes = 0;
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		for (size_t c = 0; c < n_classes; c++)
			seen |= strcmp(classes[c], frames[i].class) == 0;
		if (!seen && n_classes < 64)
			classes[n_classes++] = frames[i].class;
	}
	printf("%-14s %6s  %-22s  %-22s%s\n", "class", "frames", "station still (floor)",
	       "stream, 6 frames", bench ? "  zbar default" : "");
	for (size_t c = 0; c < n_classes; c++) {
		int total = 0, ok = 0, ok_stream = 0, ok_default = 0, fl = floor_of(classes[c]);

		for (size_t i = 0; i < n; i++) {
			double ms;

			if (strcmp(frames[i].class, classes[c]) != 0)
				continue;
			total++;
			ok += run_one(sc, &frames[i], MODE_STILL, &ms);
			ok_stream += run_stream(&frames[i]);
			if (bench)
				ok_default += run_one(sc, &frames[i], MODE_ZBAR_DEFAULT, &ms);
		}
		printf("%-14s %6d  %3d%% (%3d%%) %-8s  %3d%% (%3d%%) %-8s", classes[c], total,
		       100 * ok / total, fl, 100 * ok < fl * total ? "FAIL" : "ok",
		       100 * ok_stream / total, fl, 100 * ok_stream < fl * total ? "FAIL" : "ok");
		if (bench)
			printf("  %3d%%", 100 * ok_default / total);
		printf("\n");
		if (100 * ok < fl * total)
			failed++;
		if (100 * ok_stream < fl * total)
			failed++;
	}
	failed += check_every_code(frames, n, sc);
	failed += check_finder(frames, n);
	*ret_failed = failed;
	if (!bench)
		return;

	printf("\nms per frame (median; stream: one pass per frame, as the camera thread; "
	       "still: every retry until found)\n");
	printf("%-11s %-7s %6s %16s %16s %16s %16s\n", "resolution", "code", "frames",
	       mode_names[0], mode_names[1], mode_names[2], mode_names[3]);
	for (size_t ri = 0; ri < sizeof(res) / sizeof(res[0]); ri++) {
		for (int with = 1; with >= 0; with--) {
			double med[N_MODES];
			size_t k = 0;

			for (int m = 0; m < N_MODES; m++) {
				k = 0;
				for (size_t i = 0; i < n; i++) {
					const struct frame *fr = &frames[i];
					bool has = fr->want[0][0] != '\0';

					if (fr->w != res[ri][0] || has != (with == 1))
						continue;
					if (with && strcmp(fr->class, "clean") != 0 &&
					    strcmp(fr->class, "blur-mild") != 0 &&
					    strcmp(fr->class, "jpeg") != 0)
						continue;
					/* Stream mode: the whole cycle of passes, as
					 * the camera thread pays them over frames. */
					for (int rep = 0; rep < 6; rep++) {
						double ms;

						run_one(m == MODE_STREAM ? stream
							: m == MODE_STREAM_NO_CHECK
								? stream_no_check
								: sc,
							fr, (enum mode)m, &ms);
						times[k++] = ms;
					}
				}
				med[m] = median(times, k);
			}
			printf("%4dx%-6d %-7s %6zu %13.2f ms %13.2f ms %13.2f ms %13.2f ms\n",
			       res[ri][0], res[ri][1], with ? "yes" : "no", k / 6, med[0], med[1],
			       med[2], med[3]);
		}
	}
}

int main(int argc, char **argv)
{
	static struct frame frames[MAX_FRAMES];
	struct qr_scanner *sc = NULL, *stream = NULL;
	struct qr_scanner_params p;
	size_t n = 0, limit = MAX_FRAMES;
	bool bench = false, one_pass = false;
	int failed = 0, i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--bench") == 0) {
			bench = true;
		} else if (strcmp(argv[i], "--no-finder-check") == 0) {
			finder_check = false;
		} else if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end || v <= 0) {
				fprintf(stderr, "qr-rate: bad --frames\n");
				return 64;
			}
			limit = (size_t)v;
			one_pass = true;
		} else {
			break;
		}
	}
	if (i != argc - 1) {
		fprintf(stderr,
			"usage: qr-rate [--bench] [--frames N [--no-finder-check]] MANIFEST\n");
		return 64;
	}
	if (load_manifest(argv[i], frames, &n) < 0 || n == 0) {
		fprintf(stderr, "qr-rate: cannot read %s\n", argv[i]);
		return 66;
	}
	for (size_t k = 0; k < n; k++) {
		int w, h;

		if (camera_load_image(frames[k].path, &frames[k].gray, &w, &h) < 0 ||
		    w != frames[k].w || h != frames[k].h) {
			fprintf(stderr, "qr-rate: bad frame %s\n", frames[k].path);
			return 66;
		}
	}
	qr_scanner_params_default(&p);
	if (qr_scanner_new(&p, &sc) < 0 || qr_scanner_new(&p, &stream) < 0)
		return 70;
	p.finder_check = false;
	if (qr_scanner_new(&p, &stream_no_check) < 0)
		return 70;
	p.finder_check = true;
	if (one_pass) {
		/* Callgrind (--toggle-collect=qr_scanner_decode): the first N
		 * frames, each decoded once as the first frame of a stream
		 * (finder check, then the plain pass), as the camera thread
		 * pays it; --no-finder-check: without the check. */
		struct qr_scanner_params op = p;

		op.finder_check = finder_check;
		for (size_t k = 0; k < limit && k < n; k++) {
			struct qr_scanner *one = NULL;
			double ms;

			if (qr_scanner_new(&op, &one) < 0)
				return 70;
			run_one(one, &frames[k], MODE_STREAM, &ms);
			qr_scanner_free(one);
		}
	} else {
		report(frames, n, sc, stream, bench, &failed);
	}
	qr_scanner_free(sc);
	qr_scanner_free(stream);
	qr_scanner_free(stream_no_check);
	for (size_t k = 0; k < n; k++)
		free(frames[k].gray);
	if (failed)
		fprintf(stderr, "qr-rate: %d class(es) below their floor\n", failed);
	return failed && !bench ? 1 : 0;
}
