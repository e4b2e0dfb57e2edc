/* SPDX-License-Identifier: MIT */
/*
 * Image files as a camera (camera.h), for tests, `station scan` and the
 * demo: one PNG/JPEG/PGM file, a directory of them (name order) or a Y4M
 * video (luma planes read, chroma skipped). The parsers are pure and
 * bounded: hostile files give -EINVAL or -EFBIG, never an allocation
 * beyond QR_DECODE_MAX_PIXELS.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cairo.h>

#include "camera.h"
#include "qr-decode.h"

/* A still image file larger than this is not a photo of a QR code. */
#define IMAGE_FILE_MAX (64u * 1024 * 1024)
#define Y4M_HEADER_MAX 1024

static bool dims_ok(long w, long h)
{
	return w > 0 && h > 0 && w <= CAMERA_MAX_SIDE && h <= CAMERA_MAX_SIDE &&
	       (size_t)w * (size_t)h <= QR_DECODE_MAX_PIXELS;
}

/* ---- PGM ------------------------------------------------------------------ */

/* Skips blanks and '#' comments; reads a decimal number <= max. */
static int pgm_number(const uint8_t *buf, size_t len, size_t *pos, long max, long *ret)
{
	size_t p = *pos;
	long v = 0;
	bool any = false;

	for (;;) {
		while (p < len && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\n' ||
				   buf[p] == '\r' || buf[p] == '\v' || buf[p] == '\f'))
			p++;
		if (p < len && buf[p] == '#') {
			while (p < len && buf[p] != '\n')
				p++;
			continue;
		}
		break;
	}
	while (p < len && buf[p] >= '0' && buf[p] <= '9') {
		v = v * 10 + (buf[p] - '0');
		if (v > max)
			return -EFBIG;
		any = true;
		p++;
	}
	if (!any)
		return -EINVAL;
	*pos = p;
	*ret = v;
	return 0;
}

/* Bytes per sample of a binary PGM. */
static size_t bps(long maxval)
{
	return maxval > 255 ? 2 : 1;
}

int camera_pgm_parse(const uint8_t *buf, size_t len, uint8_t **ret_gray, int *ret_width,
		     int *ret_height)
{
	size_t pos = 2, npix;
	long w, h, maxval;
	bool ascii;
	uint8_t *gray;
	int r;

	if (!buf || !ret_gray || !ret_width || !ret_height)
		return -EINVAL;
	if (len < 2 || buf[0] != 'P' || (buf[1] != '5' && buf[1] != '2'))
		return -EINVAL;
	ascii = buf[1] == '2';
	r = pgm_number(buf, len, &pos, CAMERA_MAX_SIDE, &w);
	if (r == 0)
		r = pgm_number(buf, len, &pos, CAMERA_MAX_SIDE, &h);
	if (r == 0)
		r = pgm_number(buf, len, &pos, 65535, &maxval);
	if (r < 0)
		return r == -EFBIG ? -EFBIG : -EINVAL;
	if (!dims_ok(w, h))
		return w > 0 && h > 0 ? -EFBIG : -EINVAL;
	if (maxval < 1)
		return -EINVAL;
	npix = (size_t)w * (size_t)h;
	/* An ASCII sample takes a digit and a separator: refuse a header
	 * that promises more than the file holds before allocating. */
	if (ascii && (len - pos + 1) / 2 < npix)
		return -EINVAL;
	if (!ascii) {
		/* Exactly one whitespace byte before the raster. */
		if (pos >= len)
			return -EINVAL;
		pos++;
		if ((len - pos) / bps(maxval) < npix)
			return -EINVAL;
	}
	gray = malloc(npix);
	if (!gray)
		return -ENOMEM;
	for (size_t i = 0; i < npix; i++) {
		long v;

		if (ascii) {
			r = pgm_number(buf, len, &pos, maxval, &v);
			if (r < 0) {
				free(gray);
				return -EINVAL;
			}
		} else if (maxval > 255) {
			/* 16-bit samples, most significant byte first. */
			v = (long)buf[pos + 2 * i] << 8 | buf[pos + 2 * i + 1];
		} else {
			v = buf[pos + i];
		}
		if (v > maxval)
			v = maxval;
		gray[i] = maxval == 255 ? (uint8_t)v : (uint8_t)((v * 255 + maxval / 2) / maxval);
	}
	*ret_gray = gray;
	*ret_width = (int)w;
	*ret_height = (int)h;
	return 0;
}

/* ---- Y4M ------------------------------------------------------------------- */

static bool token_is(const char *tok, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(tok, word, n) == 0;
}

int camera_y4m_parse_header(const uint8_t *buf, size_t len, struct camera_y4m_info *ret_info)
{
	static const char magic[] = "YUV4MPEG2";
	struct camera_y4m_info info = {.fps_num = 25, .fps_den = 1};
	const uint8_t *nl;
	size_t pos = sizeof(magic) - 1, end, npix, chroma;
	long w = 0, h = 0;
	int csp = 420; /* the format's default */

	if (!buf || !ret_info)
		return -EINVAL;
	if (len < pos) {
		if (memcmp(buf, magic, len) != 0)
			return -EINVAL;
		return -EAGAIN;
	}
	if (memcmp(buf, magic, pos) != 0)
		return -EINVAL;
	nl = memchr(buf, '\n', len < Y4M_HEADER_MAX ? len : Y4M_HEADER_MAX);
	if (!nl)
		return len < Y4M_HEADER_MAX ? -EAGAIN : -EINVAL;
	end = (size_t)(nl - buf);
	while (pos < end) {
		size_t tok_end;
		uint8_t tag;

		if (buf[pos] != ' ')
			return -EINVAL;
		pos++;
		if (pos >= end)
			break;
		tag = buf[pos++];
		tok_end = pos;
		while (tok_end < end && buf[tok_end] != ' ')
			tok_end++;
		if (tag == 'W' || tag == 'H') {
			size_t p = pos;
			long v;

			if (pgm_number(buf, tok_end, &p, CAMERA_MAX_SIDE, &v) < 0 || p != tok_end ||
			    buf[pos] < '0' || buf[pos] > '9')
				return -EINVAL;
			if (tag == 'W')
				w = v;
			else
				h = v;
		} else if (tag == 'F') {
			size_t p = pos;
			long num, den;

			if (pgm_number(buf, tok_end, &p, INT_MAX, &num) < 0 || p >= tok_end ||
			    buf[p] != ':')
				return -EINVAL;
			p++;
			if (pgm_number(buf, tok_end, &p, INT_MAX, &den) < 0 || p != tok_end)
				return -EINVAL;
			if (num > 0 && den > 0) {
				info.fps_num = (int)num;
				info.fps_den = (int)den;
			}
		} else if (tag == 'C') {
			size_t n = tok_end - pos;
			const char *c = (const char *)buf + pos;

			if (token_is(c, n, "mono"))
				csp = 400;
			else if (token_is(c, n, "420") || token_is(c, n, "420jpeg") ||
				 token_is(c, n, "420paldv") || token_is(c, n, "420mpeg2"))
				csp = 420;
			else if (token_is(c, n, "422"))
				csp = 422;
			else if (token_is(c, n, "444"))
				csp = 444;
			else if (n >= 3 && (memcmp(c, "420", 3) == 0 || memcmp(c, "422", 3) == 0 ||
					    memcmp(c, "444", 3) == 0 || memcmp(c, "411", 3) == 0 ||
					    (n >= 4 && memcmp(c, "mono", 4) == 0)))
				/* 420p10, mono16, 444alpha...: more than 8 bits
				 * a sample, or a layout we would misread. */
				return -EOPNOTSUPP;
			else
				return -EINVAL;
		}
		/* I (interlacing), A (aspect), X (comments): irrelevant here. */
		pos = tok_end;
	}
	if (w <= 0 || h <= 0)
		return -EINVAL;
	if (!dims_ok(w, h))
		return -EFBIG;
	npix = (size_t)w * (size_t)h;
	switch (csp) {
	case 400:
		chroma = 0;
		break;
	case 420:
		chroma = 2 * ((size_t)(w + 1) / 2) * ((size_t)(h + 1) / 2);
		break;
	case 422:
		chroma = 2 * ((size_t)(w + 1) / 2) * (size_t)h;
		break;
	default:
		chroma = 2 * npix;
		break;
	}
	info.width = (int)w;
	info.height = (int)h;
	info.frame_size = npix + chroma;
	info.header_size = end + 1;
	*ret_info = info;
	return 0;
}

int camera_y4m_frame_header(const uint8_t *buf, size_t len)
{
	const uint8_t *nl;

	if (!buf)
		return -EINVAL;
	if (len < 5)
		return memcmp(buf, "FRAME", len) == 0 ? -EAGAIN : -EINVAL;
	if (memcmp(buf, "FRAME", 5) != 0)
		return -EINVAL;
	nl = memchr(buf, '\n', len < Y4M_HEADER_MAX ? len : Y4M_HEADER_MAX);
	if (!nl)
		return len < Y4M_HEADER_MAX ? -EAGAIN : -EINVAL;
	if (nl - buf > 5 && buf[5] != ' ')
		return -EINVAL;
	return (int)(nl - buf) + 1;
}

/* ---- still images ---------------------------------------------------------- */

static int read_file(const char *path, uint8_t **ret_buf, size_t *ret_len)
{
	FILE *f = fopen(path, "rbe");
	struct stat st;
	uint8_t *buf;
	size_t n;

	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return -EIO;
	}
	if ((uintmax_t)st.st_size > IMAGE_FILE_MAX) {
		fclose(f);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	*ret_buf = buf;
	*ret_len = n;
	return 0;
}

struct png_reader {
	const uint8_t *buf;
	size_t len, pos;
};

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int length)
{
	struct png_reader *rd = closure;

	if (rd->len - rd->pos < length)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, rd->buf + rd->pos, length);
	rd->pos += length;
	return CAIRO_STATUS_SUCCESS;
}

/* Reads the PNG's size from its IHDR before cairo allocates anything. */
static int png_to_gray(const uint8_t *buf, size_t len, uint8_t **ret_gray, int *ret_width,
		       int *ret_height)
{
	struct png_reader rd = {.buf = buf, .len = len};
	cairo_surface_t *png;
	uint8_t *gray = NULL;
	uint32_t w, h;
	int r = 0;

	if (len < 24 || memcmp(buf + 12, "IHDR", 4) != 0)
		return -EIO;
	w = (uint32_t)buf[16] << 24 | (uint32_t)buf[17] << 16 | (uint32_t)buf[18] << 8 | buf[19];
	h = (uint32_t)buf[20] << 24 | (uint32_t)buf[21] << 16 | (uint32_t)buf[22] << 8 | buf[23];
	if (w == 0 || h == 0)
		return -EIO;
	if (!dims_ok(w > CAMERA_MAX_SIDE ? CAMERA_MAX_SIDE + 1 : (long)w,
		     h > CAMERA_MAX_SIDE ? CAMERA_MAX_SIDE + 1 : (long)h))
		return -EFBIG;
	png = cairo_image_surface_create_from_png_stream(png_read, &rd);
	if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS) {
		r = cairo_surface_status(png) == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
		goto out;
	}
	{
		int width = cairo_image_surface_get_width(png);
		int height = cairo_image_surface_get_height(png);
		int stride = cairo_image_surface_get_stride(png);
		cairo_format_t fmt = cairo_image_surface_get_format(png);
		const uint8_t *px;

		cairo_surface_flush(png);
		px = cairo_image_surface_get_data(png);
		if (!dims_ok(width, height) || !px ||
		    (fmt != CAIRO_FORMAT_ARGB32 && fmt != CAIRO_FORMAT_RGB24)) {
			r = -EIO;
			goto out;
		}
		gray = malloc((size_t)width * (size_t)height);
		if (!gray) {
			r = -ENOMEM;
			goto out;
		}
		for (int y = 0; y < height; y++) {
			const uint32_t *row =
				(const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
			uint8_t *o = gray + (size_t)y * (size_t)width;

			for (int x = 0; x < width; x++) {
				uint32_t p = row[x];
				unsigned a = fmt == CAIRO_FORMAT_ARGB32 ? p >> 24 : 255;
				unsigned luma = (((p >> 16) & 0xff) * 299 +
						 ((p >> 8) & 0xff) * 587 + (p & 0xff) * 114) /
						1000;
				/* Premultiplied: composing on white adds 255 - a. */
				o[x] = (uint8_t)(luma + (255 - a) > 255 ? 255 : luma + (255 - a));
			}
		}
		*ret_gray = gray;
		*ret_width = width;
		*ret_height = height;
	}
out:
	cairo_surface_destroy(png);
	return r;
}

static int image_to_gray(const uint8_t *buf, size_t len, uint8_t **ret_gray, int *ret_width,
			 int *ret_height)
{
	static const uint8_t png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	int r;

	if (len >= 8 && memcmp(buf, png_magic, 8) == 0)
		return png_to_gray(buf, len, ret_gray, ret_width, ret_height);
	if (len >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff) {
		r = camera_jpeg_to_gray(buf, len, 0, 0, ret_gray, ret_width, ret_height);
		return r == -EINVAL ? -EIO : r;
	}
	if (len >= 2 && buf[0] == 'P' && (buf[1] == '5' || buf[1] == '2')) {
		r = camera_pgm_parse(buf, len, ret_gray, ret_width, ret_height);
		return r == -EINVAL ? -EIO : r;
	}
	return -EIO;
}

int camera_load_image(const char *path, uint8_t **ret_gray, int *ret_width, int *ret_height)
{
	uint8_t *buf = NULL, *gray = NULL;
	size_t len = 0;
	int w = 0, h = 0, r;

	if (!path || !ret_gray || !ret_width || !ret_height)
		return -EINVAL;
	r = read_file(path, &buf, &len);
	if (r < 0)
		return r;
	r = image_to_gray(buf, len, &gray, &w, &h);
	free(buf);
	if (r < 0)
		return r;
	*ret_gray = gray;
	*ret_width = w;
	*ret_height = h;
	return 0;
}

/* ---- the source ------------------------------------------------------------ */

struct files {
	char *path;
	bool is_dir, is_y4m;
	char **names; /* directory entries, sorted */
	size_t n_names, next;
	FILE *y4m;
	struct camera_y4m_info info;
	uint8_t *gray;
	uint64_t sequence;
	bool loop; /* start again from the first frame at the end */
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(struct files *f)
{
	for (size_t i = 0; i < f->n_names; i++)
		free(f->names[i]);
	free(f->names);
	f->names = NULL;
	f->n_names = 0;
}

static int list_dir(struct files *f)
{
	DIR *d = opendir(f->path);
	struct dirent *e;
	size_t cap = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char **grown;

		if (e->d_name[0] == '.')
			continue;
		if (f->n_names == cap) {
			cap = cap ? 2 * cap : 64;
			grown = realloc(f->names, cap * sizeof(*grown));
			if (!grown)
				goto nomem;
			f->names = grown;
		}
		f->names[f->n_names] = strdup(e->d_name);
		if (!f->names[f->n_names])
			goto nomem;
		f->n_names++;
	}
	closedir(d);
	if (f->n_names)
		qsort(f->names, f->n_names, sizeof(*f->names), cmp_names);
	return 0;
nomem:
	closedir(d);
	free_names(f);
	return -ENOMEM;
}

static int y4m_open(struct files *f)
{
	uint8_t head[Y4M_HEADER_MAX];
	size_t n;
	int r;

	f->y4m = fopen(f->path, "rbe");
	if (!f->y4m)
		return -errno;
	n = fread(head, 1, sizeof(head), f->y4m);
	r = camera_y4m_parse_header(head, n, &f->info);
	if (r < 0)
		goto fail;
	if (fseek(f->y4m, (long)f->info.header_size, SEEK_SET) < 0) {
		r = -EIO;
		goto fail;
	}
	f->gray = malloc((size_t)f->info.width * (size_t)f->info.height);
	if (!f->gray) {
		r = -ENOMEM;
		goto fail;
	}
	return 0;
fail:
	fclose(f->y4m);
	f->y4m = NULL;
	return r == -EAGAIN ? -EINVAL : r;
}

static int files_open(struct camera *c)
{
	struct files *f = c->ctx;
	struct stat st;

	free_names(f);
	if (f->y4m)
		fclose(f->y4m);
	f->y4m = NULL;
	free(f->gray);
	f->gray = NULL;
	f->next = 0;
	if (stat(f->path, &st) < 0)
		return -errno;
	f->is_dir = S_ISDIR(st.st_mode);
	if (f->is_dir)
		return list_dir(f);
	{
		FILE *fp = fopen(f->path, "rbe");
		char magic[9] = {0};

		if (!fp)
			return -errno;
		f->is_y4m = fread(magic, 1, 9, fp) == 9 && memcmp(magic, "YUV4MPEG2", 9) == 0;
		fclose(fp);
	}
	return f->is_y4m ? y4m_open(f) : 0;
}

static int files_start(struct camera *c)
{
	(void)c;
	return 0;
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int y4m_next(struct files *f)
{
	uint8_t line[Y4M_HEADER_MAX];
	size_t n = 0;
	size_t npix = (size_t)f->info.width * (size_t)f->info.height;
	int c, r;

	/* The FRAME line, byte by byte up to its '\n'. */
	while (n < sizeof(line)) {
		c = fgetc(f->y4m);
		if (c == EOF)
			return n == 0 ? -ENODATA : -EIO;
		line[n++] = (uint8_t)c;
		if (c == '\n')
			break;
	}
	r = camera_y4m_frame_header(line, n);
	if (r < 0)
		return -EIO;
	if (fread(f->gray, 1, npix, f->y4m) != npix)
		return -ENODATA; /* a truncated last frame is no frame */
	if (fseek(f->y4m, (long)(f->info.frame_size - npix), SEEK_CUR) < 0)
		return -EIO;
	return 0;
}

static int files_read_once(struct camera *c, struct camera_frame *ret_frame)
{
	struct files *f = c->ctx;
	int w, h, r;

	if (f->is_y4m) {
		if (!f->y4m)
			return -ENODEV;
		r = y4m_next(f);
		if (r < 0)
			return r;
		w = f->info.width;
		h = f->info.height;
	} else {
		char *path = NULL;
		uint8_t *gray = NULL;

		for (;;) {
			if (!f->is_dir) {
				if (f->next > 0)
					return -ENODATA;
				r = camera_load_image(f->path, &gray, &w, &h);
				f->next = 1;
				if (r < 0)
					return r;
				break;
			}
			if (f->next >= f->n_names)
				return -ENODATA;
			if (asprintf(&path, "%s/%s", f->path, f->names[f->next++]) < 0)
				return -ENOMEM;
			r = camera_load_image(path, &gray, &w, &h);
			free(path);
			if (r == 0)
				break;
			if (r == -ENOMEM)
				return r;
			/* Not an image (a README next to the frames): skip it. */
		}
		free(f->gray);
		f->gray = gray;
	}
	*ret_frame = (struct camera_frame){
		.gray = f->gray,
		.width = w,
		.height = h,
		.stride = w,
		.timestamp_us = now_us(),
		.sequence = ++f->sequence,
	};
	return 0;
}

/* Back to the first frame, for a looping source. */
static int files_rewind(struct files *f)
{
	if (f->is_y4m)
		return fseek(f->y4m, (long)f->info.header_size, SEEK_SET) < 0 ? -EIO : 0;
	f->next = 0;
	return 0;
}

static int files_read(struct camera *c, struct camera_frame *ret_frame)
{
	struct files *f = c->ctx;
	int r = files_read_once(c, ret_frame);

	/* Only a source that gave a frame loops: an empty one ends. */
	if (r == -ENODATA && f->loop && f->sequence > 0) {
		r = files_rewind(f);
		if (r == 0)
			r = files_read_once(c, ret_frame);
	}
	return r;
}
static void files_free_ctx(void *ctx)
{
	struct files *f = ctx;

	if (!f)
		return;
	free_names(f);
	if (f->y4m)
		fclose(f->y4m);
	free(f->gray);
	free(f->path);
	free(f);
}

static const struct camera_ops files_ops = {
	.name = "files",
	.open = files_open,
	.start = files_start,
	.stop = NULL,
	.get_fd = NULL,
	.read = files_read,
	.free_ctx = files_free_ctx,
};

int camera_files_new(const char *path, struct camera **ret_camera)
{
	struct camera *c;
	struct files *f;

	if (!path || !*path || !ret_camera)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	f = calloc(1, sizeof(*f));
	if (!c || !f || !(f->path = strdup(path))) {
		free(c);
		free(f);
		return -ENOMEM;
	}
	*c = (struct camera){.ops = &files_ops, .ctx = f};
	*ret_camera = c;
	return 0;
}

int camera_files_set_loop(struct camera *c, bool loop)
{
	if (!c || c->ops != &files_ops)
		return -EINVAL;
	((struct files *)c->ctx)->loop = loop;
	return 0;
}
