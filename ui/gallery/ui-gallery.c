/* SPDX-License-Identifier: MIT */
/*
 * ui-gallery: every screen of the gallery (gallery.h), offscreen.
 *
 *   ui-gallery write DIR [--color]       render into DIR/<W>x<H>-<lang>/<screen>.png
 *   ui-gallery check DIR [--diff OUT]    compare fresh renders with DIR
 *   ui-gallery time [--runs N]           median render time per screen
 *   ui-gallery list                      the screens' names, one per line
 *   ui-gallery texts [--lang id|en]      every text as "<lang>\t<id>\t<text>"
 *
 * --size WxH and --lang id|en (repeatable) narrow the set; the default is
 * 1920x1080, 1280x800 and 1080x1920 in both languages. write stores 8-bit
 * greyscale (the golden format) unless --color asks for full colour for a
 * human to look at. check exits 1 when an image is missing or more than
 * --max-fraction of its pixels differ by more than --threshold grey
 * levels, and writes the differing pixels to OUT/<W>x<H>-<lang>/ as
 * <screen>.diff.png next to <screen>.actual.png.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "gallery.h"
#include "i18n.h"

#define MAX_SIZES 8
#define MAX_RUNS  1000

struct size {
	int w, h;
};

struct options {
	const char *command, *dir, *diff_dir;
	struct size sizes[MAX_SIZES];
	size_t n_sizes;
	bool lang[2]; /* [0] id, [1] en */
	bool color;
	unsigned threshold;
	double max_fraction;
	long runs;
};

static int usage(void)
{
	fputs("usage: ui-gallery write DIR [--color] [--size WxH]... [--lang id|en]...\n"
	      "       ui-gallery check DIR [--diff OUT] [--threshold N] [--max-fraction F]\n"
	      "                            [--size WxH]... [--lang id|en]...\n"
	      "       ui-gallery time [--runs N] [--size WxH]\n"
	      "       ui-gallery list\n"
	      "       ui-gallery texts [--lang id|en]\n",
	      stderr);
	return 64;
}

static bool parse_long(const char *s, long min, long max, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*ret = v;
	return true;
}

static bool parse_size(const char *s, struct size *ret)
{
	char buf[32], *x;
	long w, h;

	if (strlen(s) >= sizeof(buf))
		return false;
	memcpy(buf, s, strlen(s) + 1);
	x = strchr(buf, 'x');
	if (!x)
		return false;
	*x = '\0';
	if (!parse_long(buf, 64, 8192, &w) || !parse_long(x + 1, 64, 8192, &h))
		return false;
	*ret = (struct size){(int)w, (int)h};
	return true;
}

static int parse(int argc, char **argv, struct options *o)
{
	static const struct size defaults[] = {{1920, 1080}, {1280, 800}, {1080, 1920}};
	bool any_lang = false;
	int i = 1;

	*o = (struct options){.threshold = 64, .max_fraction = 0.002, .runs = 15};
	if (i >= argc)
		return -EINVAL;
	o->command = argv[i++];
	if (strcmp(o->command, "time") != 0 && strcmp(o->command, "list") != 0 &&
	    strcmp(o->command, "texts") != 0) {
		if (i >= argc)
			return -EINVAL;
		o->dir = argv[i++];
	}
	for (; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long n;

		if (strcmp(a, "--color") == 0) {
			o->color = true;
			continue;
		}
		if (!v)
			return -EINVAL;
		i++;
		if (strcmp(a, "--size") == 0) {
			if (o->n_sizes >= MAX_SIZES || !parse_size(v, &o->sizes[o->n_sizes]))
				return -EINVAL;
			o->n_sizes++;
		} else if (strcmp(a, "--lang") == 0) {
			if (strcmp(v, "id") != 0 && strcmp(v, "en") != 0)
				return -EINVAL;
			o->lang[strcmp(v, "en") == 0] = true;
			any_lang = true;
		} else if (strcmp(a, "--diff") == 0) {
			o->diff_dir = v;
		} else if (strcmp(a, "--threshold") == 0) {
			if (!parse_long(v, 0, 255, &n))
				return -EINVAL;
			o->threshold = (unsigned)n;
		} else if (strcmp(a, "--max-fraction") == 0) {
			char *end;

			errno = 0;
			o->max_fraction = strtod(v, &end);
			if (errno || end == v || *end || o->max_fraction < 0 || o->max_fraction > 1)
				return -EINVAL;
		} else if (strcmp(a, "--runs") == 0) {
			if (!parse_long(v, 1, MAX_RUNS, &o->runs))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	if (!any_lang)
		o->lang[0] = o->lang[1] = true;
	if (o->n_sizes == 0) {
		if (strcmp(o->command, "time") == 0) {
			o->sizes[0] = defaults[0];
			o->n_sizes = 1;
		} else {
			memcpy(o->sizes, defaults, sizeof(defaults));
			o->n_sizes = sizeof(defaults) / sizeof(defaults[0]);
		}
	}
	return 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static void variant_dir(char *buf, size_t size, const char *root, struct size z, bool english)
{
	snprintf(buf, size, "%s/%dx%d-%s", root, z.w, z.h, english ? "en" : "id");
}

/* Renders one screen and keeps it as luminance. */
static int render_gray(size_t i, struct size z, bool english, struct ui_gray *ret)
{
	cairo_surface_t *surf;
	int r = ui_gallery_render(i, z.w, z.h, english, &surf);

	if (r < 0)
		return r;
	r = ui_gray_from_surface(surf, ret);
	cairo_surface_destroy(surf);
	return r;
}

static int cmd_write(const struct options *o)
{
	char dir[1024], path[1100];
	unsigned n = 0;
	int r = make_dir(o->dir);

	if (r < 0) {
		fprintf(stderr, "ui-gallery: %s: %s\n", o->dir, strerror(-r));
		return 1;
	}
	for (size_t z = 0; z < o->n_sizes; z++) {
		for (int lang = 0; lang < 2; lang++) {
			if (!o->lang[lang])
				continue;
			variant_dir(dir, sizeof(dir), o->dir, o->sizes[z], lang);
			r = make_dir(dir);
			if (r < 0) {
				fprintf(stderr, "ui-gallery: %s: %s\n", dir, strerror(-r));
				return 1;
			}
			for (size_t i = 0; i < ui_gallery_count(); i++) {
				snprintf(path, sizeof(path), "%s/%s.png", dir, ui_gallery_name(i));
				if (o->color) {
					cairo_surface_t *surf;

					r = ui_gallery_render(i, o->sizes[z].w, o->sizes[z].h, lang,
							      &surf);
					if (r >= 0) {
						if (cairo_surface_write_to_png(surf, path) !=
						    CAIRO_STATUS_SUCCESS)
							r = -EIO;
						cairo_surface_destroy(surf);
					}
				} else {
					struct ui_gray g = {0};

					r = render_gray(i, o->sizes[z], lang, &g);
					if (r >= 0)
						r = ui_gray_write_png(&g, path);
					ui_gray_free(&g);
				}
				if (r < 0) {
					fprintf(stderr, "ui-gallery: %s: %s\n", path, strerror(-r));
					return 1;
				}
				n++;
			}
		}
	}
	printf("ui-gallery: wrote %u screens to %s\n", n, o->dir);
	return 0;
}

/* Writes what was drawn and where it differs, for a human to look at. */
static void write_diff(const struct options *o, struct size z, bool english, size_t i,
		       const struct ui_gray *actual, const struct ui_gray *mask)
{
	char dir[1024], path[1100];

	if (!o->diff_dir || make_dir(o->diff_dir) < 0)
		return;
	variant_dir(dir, sizeof(dir), o->diff_dir, z, english);
	if (make_dir(dir) < 0)
		return;
	snprintf(path, sizeof(path), "%s/%s.actual.png", dir, ui_gallery_name(i));
	if (ui_gray_write_png(actual, path) < 0)
		fprintf(stderr, "ui-gallery: cannot write %s\n", path);
	if (mask && mask->pixels) {
		snprintf(path, sizeof(path), "%s/%s.diff.png", dir, ui_gallery_name(i));
		if (ui_gray_write_png(mask, path) < 0)
			fprintf(stderr, "ui-gallery: cannot write %s\n", path);
	}
}

static int cmd_check(const struct options *o)
{
	unsigned checked = 0, failed = 0;

	for (size_t z = 0; z < o->n_sizes; z++) {
		for (int lang = 0; lang < 2; lang++) {
			char dir[1024], path[1100];

			if (!o->lang[lang])
				continue;
			variant_dir(dir, sizeof(dir), o->dir, o->sizes[z], lang);
			for (size_t i = 0; i < ui_gallery_count(); i++) {
				struct ui_gray want = {0}, got = {0}, mask = {0};
				struct ui_gray_diff d = {0};
				int r;

				snprintf(path, sizeof(path), "%s/%s.png", dir, ui_gallery_name(i));
				checked++;
				r = render_gray(i, o->sizes[z], lang, &got);
				if (r < 0) {
					fprintf(stderr, "FAIL %s: cannot render: %s\n", path,
						strerror(-r));
					failed++;
					continue;
				}
				r = ui_gray_read_png(path, &want);
				if (r >= 0)
					r = ui_gray_compare(&want, &got, o->threshold, &d, &mask);
				if (r < 0) {
					fprintf(stderr, "FAIL %s: %s\n", path,
						r == -ENOENT   ? "no golden image"
						: r == -EINVAL ? "size differs"
							       : strerror(-r));
					write_diff(o, o->sizes[z], lang, i, &got, NULL);
					failed++;
				} else if ((double)d.differing >
					   o->max_fraction * (double)d.total) {
					fprintf(stderr,
						"FAIL %s: %zu of %zu pixels differ (%.3f%%, "
						"max delta %u)\n",
						path, d.differing, d.total,
						100.0 * (double)d.differing / (double)d.total,
						d.max_delta);
					write_diff(o, o->sizes[z], lang, i, &got, &mask);
					failed++;
				}
				ui_gray_free(&want);
				ui_gray_free(&got);
				ui_gray_free(&mask);
			}
		}
	}
	printf("ui-gallery: %u screens checked, %u differ (threshold %u, max fraction %g)\n",
	       checked, failed, o->threshold, o->max_fraction);
	if (failed)
		fprintf(stderr, "ui-gallery: if the change is intended, regenerate with "
				"tools/update-golden and commit tests/golden/\n");
	return failed ? 1 : 0;
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

	return (x > y) - (x < y);
}

static int cmd_time(const struct options *o)
{
	static double t[MAX_RUNS];
	struct size z = o->sizes[0];
	double all = 0, worst = 0;

	printf("render time per screen at %dx%d, median of %ld (ms):\n", z.w, z.h, o->runs);
	for (size_t i = 0; i < ui_gallery_count(); i++) {
		double med;

		for (long k = 0; k < o->runs; k++) {
			cairo_surface_t *surf;
			double t0 = now_ms();
			int r = ui_gallery_render(i, z.w, z.h, k & 1, &surf);

			t[k] = now_ms() - t0;
			if (r < 0) {
				fprintf(stderr, "ui-gallery: %s: %s\n", ui_gallery_name(i),
					strerror(-r));
				return 1;
			}
			cairo_surface_destroy(surf);
		}
		qsort(t, (size_t)o->runs, sizeof(t[0]), cmp_double);
		med = t[o->runs / 2];
		all += med;
		if (med > worst)
			worst = med;
		printf("  %-30s %7.2f\n", ui_gallery_name(i), med);
	}
	printf("  %-30s %7.2f\n  %-30s %7.2f\n", "(mean of medians)",
	       all / (double)ui_gallery_count(), "(slowest screen)", worst);
	return 0;
}

/* The texts as the screens get them, for the translation tests (a missing
 * catalogue is said on stderr by i18n.c and its texts fall back to the
 * msgids). */
static int cmd_texts(const struct options *o)
{
	for (int lang = 0; lang < 2; lang++) {
		if (!o->lang[lang])
			continue;
		for (int id = 0; id < _UI_TEXT_MAX; id++)
			printf("%s\t%d\t%s\n", lang ? "en" : "id", id,
			       ui_text((enum ui_text_id)id, lang));
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;

	if (parse(argc, argv, &o) < 0)
		return usage();
	if (strcmp(o.command, "write") == 0)
		return cmd_write(&o);
	if (strcmp(o.command, "check") == 0)
		return cmd_check(&o);
	if (strcmp(o.command, "time") == 0)
		return cmd_time(&o);
	if (strcmp(o.command, "list") == 0) {
		for (size_t i = 0; i < ui_gallery_count(); i++)
			printf("%s\n", ui_gallery_name(i));
		return 0;
	}
	if (strcmp(o.command, "texts") == 0)
		return cmd_texts(&o);
	return usage();
}
