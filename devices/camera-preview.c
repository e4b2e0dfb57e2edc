/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "camera-preview.h"
#include "camera.h"

struct buffer {
	uint8_t *gray;
	int width, height, stride;
	uint64_t sequence;
};

struct camera_preview {
	pthread_mutex_t lock;
	int max_side;
	size_t size; /* bytes of each buffer */
	/* back: the producer's; shared: under lock; front: the consumer's. */
	struct buffer back, shared, front;
	uint64_t next_sequence; /* under lock */
	uint64_t taken;		/* consumer only */
	bool enabled;		/* under lock */
	atomic_bool wanted;	/* a copy of enabled, read without the lock */
	camera_preview_wake_fn wake;
	void *wake_data;
	/* The producer's column sums for the area average: one a source
	 * column, so as wide as the widest frame a camera may give. */
	uint32_t *sums;
};

void camera_preview_fit(int width, int height, int max_side, int *ret_width, int *ret_height)
{
	int w = width > 0 ? width : 1, h = height > 0 ? height : 1;

	if (max_side < 1)
		max_side = 1;
	if (w > max_side || h > max_side) {
		if (w >= h) {
			h = (int)((int64_t)h * max_side / w);
			w = max_side;
		} else {
			w = (int)((int64_t)w * max_side / h);
			h = max_side;
		}
	}
	*ret_width = w > 0 ? w : 1;
	*ret_height = h > 0 ? h : 1;
}

/* The boxes: destination pixel i covers source [i*s/d, (i+1)*s/d), at
 * least one source pixel wide as d <= s. */
static int scale_with(const uint8_t *src, int sw, int sh, int sstride, uint8_t *dst, int dw, int dh,
		      int dstride, uint32_t *sums)
{
	if (!src || !dst || !sums || sw < 1 || sh < 1 || dw < 1 || dh < 1 || dw > sw || dh > sh ||
	    sstride < sw || dstride < dw)
		return -EINVAL;
	for (int y = 0; y < dh; y++) {
		int y0 = (int)((int64_t)y * sh / dh), y1 = (int)((int64_t)(y + 1) * sh / dh);
		uint8_t *out = dst + (size_t)y * dstride;

		memset(sums, 0, (size_t)sw * sizeof(*sums));
		for (int sy = y0; sy < y1; sy++) {
			const uint8_t *row = src + (size_t)sy * sstride;

			for (int sx = 0; sx < sw; sx++)
				sums[sx] += row[sx];
		}
		for (int x = 0; x < dw; x++) {
			int x0 = (int)((int64_t)x * sw / dw),
			    x1 = (int)((int64_t)(x + 1) * sw / dw);
			uint64_t sum = 0, n = (uint64_t)(x1 - x0) * (uint64_t)(y1 - y0);

			for (int sx = x0; sx < x1; sx++)
				sum += sums[sx];
			out[x] = (uint8_t)((sum + n / 2) / n);
		}
	}
	return 0;
}

int camera_preview_scale(const uint8_t *src, int sw, int sh, int sstride, uint8_t *dst, int dw,
			 int dh, int dstride)
{
	uint32_t *sums;
	int r;

	if (sw < 1 || sw > CAMERA_MAX_SIDE)
		return -EINVAL;
	sums = malloc((size_t)sw * sizeof(*sums));
	if (!sums)
		return -ENOMEM;
	r = scale_with(src, sw, sh, sstride, dst, dw, dh, dstride, sums);
	free(sums);
	return r;
}

static void wipe(struct camera_preview *p, struct buffer *b)
{
	explicit_bzero(b->gray, p->size);
	b->width = b->height = b->stride = 0;
	b->sequence = 0;
}

int camera_preview_new(int max_side, struct camera_preview **ret_preview)
{
	struct camera_preview *p;
	/* Rows padded to 4 bytes, as Cairo wants for A8. */
	int stride = (max_side + 3) & ~3;

	if (!ret_preview || max_side < 1 || max_side > CAMERA_PREVIEW_MAX_SIDE)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->max_side = max_side;
	p->size = (size_t)stride * (size_t)max_side;
	p->back.gray = calloc(1, p->size);
	p->shared.gray = calloc(1, p->size);
	p->front.gray = calloc(1, p->size);
	p->sums = calloc(CAMERA_MAX_SIDE, sizeof(*p->sums));
	if (!p->back.gray || !p->shared.gray || !p->front.gray || !p->sums) {
		free(p->back.gray);
		free(p->shared.gray);
		free(p->front.gray);
		free(p->sums);
		free(p);
		return -ENOMEM;
	}
	pthread_mutex_init(&p->lock, NULL);
	atomic_init(&p->wanted, false);
	*ret_preview = p;
	return 0;
}

struct camera_preview *camera_preview_free(struct camera_preview *p)
{
	if (!p)
		return NULL;
	wipe(p, &p->back);
	wipe(p, &p->shared);
	wipe(p, &p->front);
	free(p->back.gray);
	free(p->shared.gray);
	free(p->front.gray);
	free(p->sums);
	pthread_mutex_destroy(&p->lock);
	free(p);
	return NULL;
}

void camera_preview_set_waker(struct camera_preview *p, camera_preview_wake_fn fn, void *userdata)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->wake = fn;
	p->wake_data = userdata;
	pthread_mutex_unlock(&p->lock);
}

void camera_preview_enable(struct camera_preview *p, bool on)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->enabled = on;
	atomic_store(&p->wanted, on);
	if (!on)
		wipe(p, &p->shared);
	pthread_mutex_unlock(&p->lock);
	/* The consumer's own buffer: this is the consumer's thread. The
	 * producer's is wiped by the producer when it is dropped. */
	if (!on) {
		wipe(p, &p->front);
		p->taken = 0;
	}
}

bool camera_preview_wanted(struct camera_preview *p)
{
	return p && atomic_load(&p->wanted);
}

int camera_preview_put(struct camera_preview *p, const uint8_t *gray, int width, int height,
		       int stride)
{
	struct buffer *b;
	camera_preview_wake_fn wake;
	void *wake_data;
	bool kept;
	int w, h, r;

	if (!p || !gray || width < 1 || height < 1 || width > CAMERA_MAX_SIDE ||
	    height > CAMERA_MAX_SIDE || stride < width)
		return -EINVAL;
	if (!atomic_load(&p->wanted))
		return 0;
	b = &p->back;
	camera_preview_fit(width, height, p->max_side, &w, &h);
	b->width = w;
	b->height = h;
	b->stride = (w + 3) & ~3;
	r = scale_with(gray, width, height, stride, b->gray, w, h, b->stride, p->sums);
	if (r < 0)
		return r;

	pthread_mutex_lock(&p->lock);
	kept = p->enabled;
	if (kept) {
		struct buffer t = p->shared;

		b->sequence = ++p->next_sequence;
		p->shared = *b;
		*b = t;
	}
	wake = p->wake;
	wake_data = p->wake_data;
	pthread_mutex_unlock(&p->lock);
	if (!kept) {
		/* Turned off while scaling: a face must not linger here. */
		wipe(p, b);
		return 0;
	}
	if (wake)
		wake(wake_data);
	return 1;
}

bool camera_preview_take(struct camera_preview *p, struct camera_preview_image *ret_image)
{
	bool fresh = false;

	if (!p || !ret_image)
		return false;
	pthread_mutex_lock(&p->lock);
	if (p->enabled && p->shared.sequence > p->taken) {
		struct buffer t = p->front;

		p->front = p->shared;
		p->shared = t;
		p->shared.sequence = 0;
		p->taken = p->front.sequence;
		fresh = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (fresh)
		*ret_image = (struct camera_preview_image){.gray = p->front.gray,
							   .width = p->front.width,
							   .height = p->front.height,
							   .stride = p->front.stride,
							   .sequence = p->front.sequence};
	return fresh;
}
