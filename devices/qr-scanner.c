/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <zbar.h>

#include "qr-decode.h"
#include "qr-finder.h"
#include "qr-scanner.h"
#include "queue.h"

/* Rows apart the finder check looks (in the image zbar scans). */
#define FINDER_STEP 2

/* One byte beyond the longest token: enough to tell "too long". */
#define TEXT_MAX (SESSION_TOKEN_MAX + 1)

enum pass {
	PASS_PLAIN,
	PASS_STRETCH,
	PASS_INVERT,
	PASS_FULL, /* the full resolution of a downscaled frame */
	N_PASSES,
};

struct qr_scanner {
	struct qr_scanner_params p;

	pthread_mutex_t decode_lock; /* the zbar scanner and work buffers */
	zbar_image_scanner_t *zbar;
	uint8_t *work, *small, *retry;
	size_t work_size, small_size, retry_size;
	unsigned cycle;

	pthread_mutex_t lock; /* all below */
	pthread_cond_t cond;
	pthread_t thread;
	bool running, stopping, busy;
	struct station_queue *queue;
	const struct qr_keyring *keys;
	uint8_t *pending; /* the frame waiting for the thread */
	size_t pending_size;
	int pending_w, pending_h;
	bool pending_still, have_pending;
	struct qr_scanner_stats stats;

	/* Debounce, thread only: a hash of the last payload (not the text:
	 * no token lingers in memory) and when it was last seen. */
	uint8_t last_hash[crypto_generichash_BYTES];
	int64_t last_seen_ms;
	bool have_last;
};

void qr_scanner_params_default(struct qr_scanner_params *ret_params)
{
	*ret_params = (struct qr_scanner_params){
		.debounce_ms = 3000, .downscale_min_width = 960, .finder_check = true};
}

static int ensure(uint8_t **buf, size_t *size, size_t need)
{
	uint8_t *n;

	if (*size >= need)
		return 0;
	n = realloc(*buf, need);
	if (!n)
		return -ENOMEM;
	*buf = n;
	*size = need;
	return 0;
}

int qr_scanner_new(const struct qr_scanner_params *p, struct qr_scanner **ret_scanner)
{
	struct qr_scanner *sc;

	if (!ret_scanner)
		return -EINVAL;
	if (p && (p->debounce_ms < 0 || p->roi_x < 0 || p->roi_y < 0 || p->roi_w < 0 ||
		  p->roi_h < 0 || p->downscale_min_width < 0 || p->density < 0 || p->density > 8))
		return -EINVAL;
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return -ENOMEM;
	if (p)
		sc->p = *p;
	else
		qr_scanner_params_default(&sc->p);
	sc->zbar = zbar_image_scanner_create();
	if (!sc->zbar) {
		free(sc);
		return -ENOMEM;
	}
	/* QR only: faster, and no false EAN reads off a printed page. */
	zbar_image_scanner_set_config(sc->zbar, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc->zbar, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	if (sc->p.density > 1) {
		zbar_image_scanner_set_config(sc->zbar, ZBAR_NONE, ZBAR_CFG_X_DENSITY,
					      sc->p.density);
		zbar_image_scanner_set_config(sc->zbar, ZBAR_NONE, ZBAR_CFG_Y_DENSITY,
					      sc->p.density);
	}
	pthread_mutex_init(&sc->decode_lock, NULL);
	pthread_mutex_init(&sc->lock, NULL);
	pthread_cond_init(&sc->cond, NULL);
	*ret_scanner = sc;
	return 0;
}

/* Called for each QR symbol of a pass, with its data and the top-left
 * corner of its outline in the pass's image; < 0 stops the pass. */
typedef int (*symbol_fn)(const char *data, size_t len, int x, int y, void *userdata);

/* One zbar pass over a packed Y800 image: fn for every QR symbol. Returns
 * the number of symbols, -ENOMSG (none), -ENOMEM or fn's error. */
static int zbar_pass(struct qr_scanner *sc, const uint8_t *img, int w, int h, symbol_fn fn,
		     void *userdata)
{
	zbar_image_t *image = zbar_image_create();
	const zbar_symbol_t *sym;
	int found = 0, r = 0;

	if (!image)
		return -ENOMEM;
	zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(image, (unsigned)w, (unsigned)h);
	zbar_image_set_data(image, img, (unsigned long)w * (unsigned long)h, NULL);
	if (zbar_scan_image(sc->zbar, image) < 0) {
		zbar_image_destroy(image);
		return -ENOMEM;
	}
	/* Count symbols: the scan's return value has said 0 after a decode. */
	for (sym = zbar_image_first_symbol(image); sym && r >= 0; sym = zbar_symbol_next(sym)) {
		int x = INT_MAX, y = INT_MAX;

		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
			continue;
		for (unsigned i = 0; i < zbar_symbol_get_loc_size(sym); i++) {
			int px = zbar_symbol_get_loc_x(sym, i), py = zbar_symbol_get_loc_y(sym, i);
			x = px < x ? px : x;
			y = py < y ? py : y;
		}
		found++;
		r = fn(zbar_symbol_get_data(sym), zbar_symbol_get_data_length(sym),
		       x == INT_MAX ? 0 : x, y == INT_MAX ? 0 : y, userdata);
	}
	zbar_image_destroy(image);
	if (r < 0)
		return r;
	return found > 0 ? found : -ENOMSG;
}

/* The first symbol's text, as qr_decode_gray() gives it. */
struct first_text {
	char *text;
	size_t size, *len;
	bool done;
};

static int copy_first(const char *data, size_t len, int x, int y, void *userdata)
{
	struct first_text *f = userdata;
	size_t n = len < f->size - 1 ? len : f->size - 1;

	if (f->done)
		return 0;
	if (n > 0)
		memcpy(f->text, data, n);
	f->text[n] = '\0';
	*f->len = len;
	f->done = true;
	return 0;
}

static void downscale(const uint8_t *src, int w, int h, uint8_t *dst)
{
	int dw = w / 2, dh = h / 2;

	for (int y = 0; y < dh; y++) {
		const uint8_t *a = src + (size_t)(2 * y) * (size_t)w;
		const uint8_t *b = a + w;
		uint8_t *d = dst + (size_t)y * (size_t)dw;

		for (int x = 0; x < dw; x++)
			d[x] = (uint8_t)((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >>
					 2);
	}
}

/* Stretches the 1st..99th percentile to 0..255. False when the image is
 * flat (nothing to stretch). */
static bool stretch(const uint8_t *src, size_t n, uint8_t *dst)
{
	size_t hist[256] = {0}, acc = 0, cut = n / 100;
	int lo = 0, hi = 255;
	uint8_t lut[256];

	for (size_t i = 0; i < n; i++)
		hist[src[i]]++;
	while (lo < 255 && acc + hist[lo] <= cut)
		acc += hist[lo++];
	acc = 0;
	while (hi > 0 && acc + hist[hi] <= cut)
		acc += hist[hi--];
	if (hi - lo < 4 || (lo < 8 && hi > 247))
		return false;
	for (int v = 0; v < 256; v++) {
		int s = v <= lo ? 0 : v >= hi ? 255 : (v - lo) * 255 / (hi - lo);
		lut[v] = (uint8_t)s;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = lut[src[i]];
	return true;
}

static void invert(const uint8_t *src, size_t n, uint8_t *dst)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)(255 - src[i]);
}

/* *ret_scale: how many frame pixels one pixel of the pass's image is. */
static int run_pass(struct qr_scanner *sc, enum pass pass, int fw, int fh, bool small, symbol_fn fn,
		    void *userdata, int *ret_scale)
{
	const uint8_t *img = small ? sc->small : sc->work;
	int w = small ? fw / 2 : fw, h = small ? fh / 2 : fh;
	size_t n = (size_t)w * (size_t)h;

	*ret_scale = small ? 2 : 1;

	switch (pass) {
	case PASS_PLAIN:
		break;
	case PASS_STRETCH:
		if (ensure(&sc->retry, &sc->retry_size, n) < 0)
			return -ENOMEM;
		if (!stretch(img, n, sc->retry))
			return -ENOMSG;
		img = sc->retry;
		break;
	case PASS_INVERT:
		if (ensure(&sc->retry, &sc->retry_size, n) < 0)
			return -ENOMEM;
		invert(img, n, sc->retry);
		img = sc->retry;
		break;
	case PASS_FULL:
		if (!small)
			return -ENOMSG; /* the plain pass already saw it */
		img = sc->work;
		w = fw;
		h = fh;
		*ret_scale = 1;
		break;
	default:
		return -EINVAL;
	}
	return zbar_pass(sc, img, w, h, fn, userdata);
}

/* Copies the frame's region of interest into sc->work (packed: what zbar
 * wants) and its 2x2 downscale into sc->small when large. Returns 0 with
 * the region's origin, size and whether it was downscaled; -ENOMSG when
 * the region lies outside the frame. decode_lock held. */
static int prepare(struct qr_scanner *sc, const uint8_t *gray, int width, int height, int stride,
		   int *ret_x0, int *ret_y0, int *ret_w, int *ret_h, bool *ret_small)
{
	int x0 = 0, y0 = 0, w = width, h = height;
	bool small;

	if (sc->p.roi_w > 0 && sc->p.roi_h > 0) {
		/* Clamp the region to the frame; outside it entirely: none. */
		if (sc->p.roi_x >= width || sc->p.roi_y >= height)
			return -ENOMSG;
		x0 = sc->p.roi_x;
		y0 = sc->p.roi_y;
		w = sc->p.roi_w < width - x0 ? sc->p.roi_w : width - x0;
		h = sc->p.roi_h < height - y0 ? sc->p.roi_h : height - y0;
	}
	small = sc->p.downscale_min_width > 0 && w >= sc->p.downscale_min_width && h >= 2;
	if (ensure(&sc->work, &sc->work_size, (size_t)w * (size_t)h) < 0 ||
	    (small && ensure(&sc->small, &sc->small_size, (size_t)(w / 2) * (size_t)(h / 2)) < 0))
		return -ENOMEM;
	/* zbar wants packed rows; the copy doubles as the ROI crop. */
	for (int y = 0; y < h; y++)
		memcpy(sc->work + (size_t)y * (size_t)w,
		       gray + (size_t)(y0 + y) * (size_t)stride + (size_t)x0, (size_t)w);
	if (small)
		downscale(sc->work, w, h, sc->small);
	*ret_x0 = x0;
	*ret_y0 = y0;
	*ret_w = w;
	*ret_h = h;
	*ret_small = small;
	return 0;
}

static int check_frame(const struct qr_scanner *sc, const uint8_t *gray, int width, int height,
		       int stride)
{
	if (!sc || !gray || width <= 0 || height <= 0 || stride < width)
		return -EINVAL;
	if (width > CAMERA_MAX_SIDE || height > CAMERA_MAX_SIDE ||
	    (size_t)width * (size_t)height > QR_DECODE_MAX_PIXELS)
		return -EFBIG;
	return 0;
}

/* A stream: the plain pass every other frame, the retries in turn on the
 * frames between, so a code on a dim screen is still found within a few
 * frames. decode_lock held. */
static enum pass next_stream_pass(struct qr_scanner *sc)
{
	static const enum pass order[] = {PASS_PLAIN,  PASS_STRETCH, PASS_PLAIN,
					  PASS_INVERT, PASS_PLAIN,   PASS_FULL};

	return order[sc->cycle++ % (sizeof(order) / sizeof(order[0]))];
}

int qr_scanner_decode(struct qr_scanner *sc, const uint8_t *gray, int width, int height, int stride,
		      bool all_passes, char *ret_text, size_t size, size_t *ret_len)
{
	struct first_text first = {.text = ret_text, .size = size, .len = ret_len};
	int x0, y0, w, h, scale, r;
	bool small;

	r = check_frame(sc, gray, width, height, stride);
	if (r < 0)
		return r;
	if (!ret_text || size == 0 || !ret_len)
		return -EINVAL;

	pthread_mutex_lock(&sc->decode_lock);
	r = prepare(sc, gray, width, height, stride, &x0, &y0, &w, &h, &small);
	if (r < 0)
		goto out;
	r = -ENOMSG;
	if (all_passes) {
		for (int pass = 0; pass < N_PASSES && r == -ENOMSG; pass++)
			r = run_pass(sc, (enum pass)pass, w, h, small, copy_first, &first, &scale);
	} else {
		enum pass pass = next_stream_pass(sc);

		/* No finder pattern where zbar would look first: no code
		 * zbar could read in this frame (the common case). */
		if (sc->p.finder_check &&
		    qr_finder_count(small ? sc->small : sc->work, small ? w / 2 : w,
				    small ? h / 2 : h, small ? w / 2 : w, FINDER_STEP, 1) == 0)
			goto out;
		r = run_pass(sc, pass, w, h, small, copy_first, &first, &scale);
		if (r == -ENOMSG && pass == PASS_FULL && !small)
			r = run_pass(sc, PASS_PLAIN, w, h, small, copy_first, &first, &scale);
	}
out:
	pthread_mutex_unlock(&sc->decode_lock);
	return r;
}

/* Every distinct payload of a still image, over all passes. */
struct all_codes {
	struct qr_scanner_code codes[QR_SCANNER_CODES_MAX];
	uint8_t hash[QR_SCANNER_CODES_MAX][crypto_generichash_BYTES];
	size_t n;
	int x0, y0, scale;
};

static int collect(const char *data, size_t len, int x, int y, void *userdata)
{
	struct all_codes *a = userdata;
	uint8_t hash[crypto_generichash_BYTES];
	struct qr_scanner_code *c;

	crypto_generichash(hash, sizeof(hash), (const uint8_t *)data, len, NULL, 0);
	for (size_t i = 0; i < a->n; i++)
		if (memcmp(a->hash[i], hash, sizeof(hash)) == 0)
			return 0;
	if (a->n >= QR_SCANNER_CODES_MAX)
		return 0;
	c = &a->codes[a->n];
	c->data = malloc(len + 1);
	if (!c->data)
		return -ENOMEM;
	memcpy(c->data, data, len);
	c->data[len] = '\0';
	c->len = len;
	c->x = a->x0 + x * a->scale;
	c->y = a->y0 + y * a->scale;
	memcpy(a->hash[a->n++], hash, sizeof(hash));
	return 0;
}

static int cmp_position(const void *a, const void *b)
{
	const struct qr_scanner_code *p = a, *q = b;

	if (p->y / 16 != q->y / 16) /* the same row give or take a few pixels */
		return p->y < q->y ? -1 : 1;
	return (p->x > q->x) - (p->x < q->x);
}

int qr_scanner_decode_all(struct qr_scanner *sc, const uint8_t *gray, int width, int height,
			  int stride, struct qr_scanner_code ret_codes[QR_SCANNER_CODES_MAX])
{
	struct all_codes *a;
	int w, h, r;
	bool small;

	r = check_frame(sc, gray, width, height, stride);
	if (r < 0)
		return r;
	if (!ret_codes)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;

	pthread_mutex_lock(&sc->decode_lock);
	r = prepare(sc, gray, width, height, stride, &a->x0, &a->y0, &w, &h, &small);
	for (int pass = 0; pass < N_PASSES && r >= 0; pass++) {
		r = run_pass(sc, (enum pass)pass, w, h, small, collect, a, &a->scale);
		/* run_pass() sets the scale before zbar calls collect(). */
		if (r == -ENOMSG)
			r = 0;
	}
	pthread_mutex_unlock(&sc->decode_lock);

	if (r < 0) {
		qr_scanner_codes_free(a->codes, a->n);
	} else if (a->n == 0) {
		r = -ENOMSG;
	} else {
		qsort(a->codes, a->n, sizeof(a->codes[0]), cmp_position);
		memcpy(ret_codes, a->codes, a->n * sizeof(a->codes[0]));
		r = (int)a->n;
	}
	sodium_memzero(a, sizeof(*a));
	free(a);
	return r;
}

void qr_scanner_codes_free(struct qr_scanner_code *codes, size_t n)
{
	if (!codes)
		return;
	for (size_t i = 0; i < n; i++) {
		if (codes[i].data)
			sodium_memzero(codes[i].data, codes[i].len);
		free(codes[i].data);
		codes[i].data = NULL;
		codes[i].len = 0;
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* True when the payload is a new showing (not debounced). Thread only. */
static bool fresh(struct qr_scanner *sc, const char *text, size_t len)
{
	uint8_t hash[crypto_generichash_BYTES];
	int64_t now = now_ms();
	bool same;

	crypto_generichash(hash, sizeof(hash), (const uint8_t *)text, len, NULL, 0);
	same = sc->have_last && memcmp(hash, sc->last_hash, sizeof(hash)) == 0 &&
	       now - sc->last_seen_ms < sc->p.debounce_ms;
	memcpy(sc->last_hash, hash, sizeof(hash));
	sc->last_seen_ms = now;
	sc->have_last = true;
	return !same;
}

static void push_verdict(struct qr_scanner *sc, const char *text, size_t len)
{
	struct station_event ev = {0};
	struct qr_token t;
	enum qr_verdict v = qr_token_verify(text, len, sc->keys, (int64_t)time(NULL), &t);

	if (v == QR_VALID) {
		ev.type = STATION_EVENT_QR_TOKEN;
		/* A valid token is at most SESSION_TOKEN_MAX bytes. */
		memcpy(ev.qr.token, text, len);
		memcpy(ev.qr.application_id, t.application_id, sizeof(ev.qr.application_id));
		memcpy(ev.qr.document_id, t.document_id, sizeof(ev.qr.document_id));
		sodium_memzero(&t, sizeof(t));
	} else {
		ev.type = STATION_EVENT_QR_REFUSED;
		ev.qr_refused = qr_verdict_to_error(v);
	}
	/* A full queue drops and wipes the event; it counts the drop. */
	(void)station_queue_push(sc->queue, &ev);
}

static void *thread_main(void *arg)
{
	struct qr_scanner *sc = arg;
	uint8_t *frame = NULL;
	size_t frame_size = 0;
	char text[TEXT_MAX + 1];

	pthread_mutex_lock(&sc->lock);
	for (;;) {
		int w, h, r;
		bool still;
		size_t len = 0;

		while (!sc->have_pending && !sc->stopping)
			pthread_cond_wait(&sc->cond, &sc->lock);
		if (sc->stopping)
			break;
		/* Take the frame by swapping buffers: the producer keeps
		 * copying into the other one meanwhile. */
		{
			uint8_t *tb = frame;
			size_t ts = frame_size;

			frame = sc->pending;
			frame_size = sc->pending_size;
			sc->pending = tb;
			sc->pending_size = ts;
		}
		w = sc->pending_w;
		h = sc->pending_h;
		still = sc->pending_still;
		sc->have_pending = false;
		sc->busy = true;
		pthread_mutex_unlock(&sc->lock);

		r = qr_scanner_decode(sc, frame, w, h, w, still, text, sizeof(text), &len);
		if (r > 0) {
			size_t n = len < TEXT_MAX ? len : TEXT_MAX;
			bool f = fresh(sc, text, n);

			if (f)
				push_verdict(sc, text, n);
			sodium_memzero(text, sizeof(text));
			pthread_mutex_lock(&sc->lock);
			sc->stats.codes++;
			if (f)
				sc->stats.pushed++;
			else
				sc->stats.debounced++;
		} else {
			pthread_mutex_lock(&sc->lock);
		}
		sc->stats.decoded++;
		sc->busy = false;
		pthread_cond_broadcast(&sc->cond);
	}
	pthread_mutex_unlock(&sc->lock);
	free(frame);
	return NULL;
}

int qr_scanner_start(struct qr_scanner *sc, struct station_queue *q, const struct qr_keyring *keys)
{
	int r;

	if (!sc || !q || !keys)
		return -EINVAL;
	pthread_mutex_lock(&sc->lock);
	if (sc->running) {
		pthread_mutex_unlock(&sc->lock);
		return -EALREADY;
	}
	sc->queue = q;
	sc->keys = keys;
	sc->stopping = false;
	r = -pthread_create(&sc->thread, NULL, thread_main, sc);
	if (r == 0)
		sc->running = true;
	pthread_mutex_unlock(&sc->lock);
	return r;
}

int qr_scanner_submit(struct qr_scanner *sc, const struct camera_frame *f, bool still)
{
	size_t n;
	int r = 0;

	if (!sc || !f || !f->gray || f->width <= 0 || f->height <= 0 || f->stride < f->width)
		return -EINVAL;
	if (f->width > CAMERA_MAX_SIDE || f->height > CAMERA_MAX_SIDE ||
	    (size_t)f->width * (size_t)f->height > QR_DECODE_MAX_PIXELS)
		return -EFBIG;
	n = (size_t)f->width * (size_t)f->height;
	pthread_mutex_lock(&sc->lock);
	if (!sc->running || sc->stopping) {
		r = -ESHUTDOWN;
		goto out;
	}
	if (ensure(&sc->pending, &sc->pending_size, n) < 0) {
		r = -ENOMEM;
		goto out;
	}
	if (sc->have_pending)
		sc->stats.dropped++;
	for (int y = 0; y < f->height; y++)
		memcpy(sc->pending + (size_t)y * (size_t)f->width,
		       f->gray + (size_t)y * (size_t)f->stride, (size_t)f->width);
	sc->pending_w = f->width;
	sc->pending_h = f->height;
	sc->pending_still = still;
	sc->have_pending = true;
	sc->stats.submitted++;
	pthread_cond_broadcast(&sc->cond);
out:
	pthread_mutex_unlock(&sc->lock);
	return r;
}

int qr_scanner_wait_idle(struct qr_scanner *sc, int timeout_ms)
{
	struct timespec deadline;
	int r = 0;

	if (!sc || timeout_ms < 0)
		return -EINVAL;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&sc->lock);
	while (sc->running && (sc->have_pending || sc->busy) && r == 0)
		r = -pthread_cond_timedwait(&sc->cond, &sc->lock, &deadline);
	pthread_mutex_unlock(&sc->lock);
	return r == 0 ? 0 : -ETIMEDOUT;
}

void qr_scanner_stop(struct qr_scanner *sc)
{
	bool join;

	if (!sc)
		return;
	pthread_mutex_lock(&sc->lock);
	join = sc->running && !sc->stopping;
	if (join) {
		sc->stopping = true;
		if (sc->have_pending)
			sc->stats.dropped++;
		sc->have_pending = false;
		pthread_cond_broadcast(&sc->cond);
	}
	pthread_mutex_unlock(&sc->lock);
	if (!join)
		return;
	pthread_join(sc->thread, NULL);
	pthread_mutex_lock(&sc->lock);
	sc->running = false;
	sc->stopping = false;
	pthread_cond_broadcast(&sc->cond);
	pthread_mutex_unlock(&sc->lock);
}

void qr_scanner_get_stats(struct qr_scanner *sc, struct qr_scanner_stats *ret_stats)
{
	if (!sc || !ret_stats)
		return;
	pthread_mutex_lock(&sc->lock);
	*ret_stats = sc->stats;
	pthread_mutex_unlock(&sc->lock);
}

struct qr_scanner *qr_scanner_free(struct qr_scanner *sc)
{
	if (!sc)
		return NULL;
	qr_scanner_stop(sc);
	zbar_image_scanner_destroy(sc->zbar);
	pthread_cond_destroy(&sc->cond);
	pthread_mutex_destroy(&sc->lock);
	pthread_mutex_destroy(&sc->decode_lock);
	if (sc->pending)
		sodium_memzero(sc->pending, sc->pending_size);
	free(sc->pending);
	free(sc->work);
	free(sc->small);
	free(sc->retry);
	free(sc);
	return NULL;
}
