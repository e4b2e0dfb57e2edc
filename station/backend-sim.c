/* SPDX-License-Identifier: MIT */
/*
 * The simulated backend: the demo data (demo-data.h) served in-process,
 * with the behaviour of the real contract (DESIGN.md "Backend contract"):
 * lookups by card or QR token, documents with their SHA-256, idempotent
 * collection confirmations. Scriptable for the demo and the tests: down,
 * slow, or serving documents whose hash does not match.
 *
 * The station calls it on its backend and print workers while a scenario
 * scripts it from another thread, so all mutable state sits behind one
 * mutex. Rendering a PDF and the scripted delay happen outside it.
 */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "demo-data.h"
#include "document-pdf.h"
#include "macro.h"
#include "qr-token.h"

#define KEY_MAX	     255 /* longest idempotency key accepted */
#define CLOCK_SKEW_S 300

struct cached_document {
	uint8_t *pdf; /* NULL until first fetched */
	size_t len;
	uint8_t sha256[32];
};

struct confirmation_key {
	char *key;
	size_t app_index; /* the document it confirmed */
};

struct sim {
	pthread_mutex_t lock;
	bool down;
	unsigned delay_ms;
	bool corrupt_documents;

	/* Indexed like demo_applications. */
	bool *collected;
	struct cached_document *documents;

	struct confirmation_key *keys;
	size_t n_keys, cap_keys;
	unsigned confirmations; /* distinct documents confirmed */

	struct qr_key qr_key;
};

static const struct backend_ops sim_ops;

static struct sim *sim_of(struct backend *b)
{
	if (!b || b->ops != &sim_ops)
		return NULL;
	return b->ctx;
}

static void sleep_ms(unsigned ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* What every call does first: wait as long as the script says, then fail
 * if the backend is "down" (a slow and down backend is a timeout). */
static int enter(struct sim *s)
{
	unsigned delay;
	bool down;

	pthread_mutex_lock(&s->lock);
	delay = s->delay_ms;
	pthread_mutex_unlock(&s->lock);
	if (delay > 0)
		sleep_ms(delay);

	pthread_mutex_lock(&s->lock);
	down = s->down;
	pthread_mutex_unlock(&s->lock);
	return down ? -EHOSTUNREACH : 0;
}

/* Copies src into dst[size], cutting at a character boundary so that a
 * truncated string stays valid UTF-8. */
static void copy_utf8(char *dst, size_t size, const char *src)
{
	size_t n;

	if (size == 0)
		return;
	if (!src)
		src = "";
	n = strnlen(src, size);
	if (n >= size) {
		n = size - 1;
		/* Back off over continuation bytes (10xxxxxx) to the lead
		 * byte of the character that did not fit, and drop it. */
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static size_t app_index(const struct demo_application *app)
{
	return (size_t)(app - demo_applications);
}

static void fill_app(const struct sim *s, struct session_app *out, size_t i)
{
	const struct demo_application *app = &demo_applications[i];

	copy_utf8(out->id, sizeof(out->id), app->id);
	copy_utf8(out->agency, sizeof(out->agency), app->agency);
	copy_utf8(out->service, sizeof(out->service), app->service);
	copy_utf8(out->updated_at, sizeof(out->updated_at), app->updated_at);
	if (s->collected[i]) {
		out->stage = SESSION_STAGE_COLLECTED;
		copy_utf8(out->next_step, sizeof(out->next_step),
			  "Dokumen sudah dicetak dan diambil melalui anjungan layanan mandiri.");
		out->document_id[0] = '\0';
	} else {
		out->stage = app->stage;
		copy_utf8(out->next_step, sizeof(out->next_step), app->next_step);
		copy_utf8(out->document_id, sizeof(out->document_id),
			  app->stage == SESSION_STAGE_READY ? app->document_id : NULL);
	}
}

/* Fills *res with the citizen and their applications (only the one at
 * only_index if it is not SIZE_MAX). Called with the lock held. */
static void fill_result(const struct sim *s, const struct demo_citizen *c, size_t only_index,
			struct session_lookup_result *res)
{
	memset(res, 0, sizeof(*res));
	copy_utf8(res->holder_name, sizeof(res->holder_name), c->full_name);
	copy_utf8(res->nik, sizeof(res->nik), c->nik);
	for (size_t i = 0; i < demo_n_applications && res->n_apps < SESSION_MAX_APPS; i++) {
		if (only_index != SIZE_MAX && i != only_index)
			continue;
		if (strcmp(demo_applications[i].citizen_key, c->key) != 0)
			continue;
		fill_app(s, &res->apps[res->n_apps++], i);
	}
}

static int sim_lookup_card(struct backend *b, const uint8_t *uid, size_t uid_len, const char *nik,
			   struct session_lookup_result *ret_result)
{
	struct sim *s = b->ctx;
	const struct demo_citizen *c;
	int r;

	r = enter(s);
	if (r < 0)
		return r;
	if (!uid || uid_len == 0 || !ret_result)
		return -EINVAL;
	c = demo_citizen_by_uid(uid, uid_len);
	if (!c)
		return -ENOENT;
	/* A SAM-read NIK that disagrees with the card's holder: a cloned
	 * UID, or a card re-issued to someone else. Treat as unknown. */
	if (nik && *nik && strcmp(nik, c->nik) != 0)
		return -ENOENT;

	pthread_mutex_lock(&s->lock);
	fill_result(s, c, SIZE_MAX, ret_result);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int sim_lookup_qr(struct backend *b, const char *token,
			 struct session_lookup_result *ret_result)
{
	struct sim *s = b->ctx;
	const struct qr_keyring ring = {.n = 1, .keys = &s->qr_key, .clock_skew_s = CLOCK_SKEW_S};
	const struct demo_application *app;
	const struct demo_citizen *c;
	struct qr_token t;
	int r;

	r = enter(s);
	if (r < 0)
		return r;
	if (!token || !ret_result)
		return -EINVAL;
	/* The station verified it already; a backend trusts no client. The
	 * token's document id is not checked against the application: the
	 * application's current state is what the citizen is shown. */
	if (qr_token_verify(token, strnlen(token, SESSION_TOKEN_MAX + 1), &ring, time(NULL), &t) !=
	    QR_VALID)
		r = -EACCES;
	else if (!(app = demo_application_by_id(t.application_id)))
		r = -ENOENT;
	else if (!(c = demo_citizen_by_key(app->citizen_key)))
		r = -ENOENT;
	else {
		pthread_mutex_lock(&s->lock);
		fill_result(s, c, app_index(app), ret_result);
		pthread_mutex_unlock(&s->lock);
	}
	sodium_memzero(&t, sizeof(t));
	return r;
}

static int render(const struct demo_application *app, struct cached_document *ret_doc)
{
	uint8_t *pdf;
	size_t len;
	int r;

	r = demo_document_render(app, &pdf, &len);
	if (r < 0)
		return r;
	ret_doc->pdf = pdf;
	ret_doc->len = len;
	crypto_hash_sha256(ret_doc->sha256, pdf, len);
	return 0;
}

static void wipe_document(struct cached_document *d)
{
	if (d->pdf) {
		sodium_memzero(d->pdf, d->len);
		free(d->pdf);
	}
	*d = (struct cached_document){0};
}

static int sim_fetch_document(struct backend *b, const char *document_id, uint8_t **ret_pdf,
			      size_t *ret_len, uint8_t ret_sha256[32])
{
	struct sim *s = b->ctx;
	const struct demo_application *app;
	struct cached_document fresh = {0}, *doc;
	uint8_t *copy;
	size_t i;
	bool cached;
	int r;

	r = enter(s);
	if (r < 0)
		return r;
	if (!ret_pdf || !ret_len || !ret_sha256)
		return -EINVAL;
	app = demo_application_by_document(document_id);
	if (!app)
		return -ENOENT;
	i = app_index(app);

	pthread_mutex_lock(&s->lock);
	cached = s->documents[i].pdf != NULL;
	pthread_mutex_unlock(&s->lock);
	/* Rendered outside the lock: it takes milliseconds, and the scripting
	 * calls must not wait on it. Two first fetches may both render; the
	 * second result is dropped. */
	if (!cached) {
		r = render(app, &fresh);
		if (r < 0)
			return r;
	}

	pthread_mutex_lock(&s->lock);
	doc = &s->documents[i];
	if (!doc->pdf) {
		*doc = fresh;
		fresh = (struct cached_document){0};
	}
	copy = malloc(doc->len);
	if (!copy) {
		r = -ENOMEM;
	} else {
		memcpy(copy, doc->pdf, doc->len);
		memcpy(ret_sha256, doc->sha256, 32);
		/* The stated hash stays the true one; the bytes change after
		 * hashing, as a transfer corrupted in transit would. */
		if (s->corrupt_documents)
			copy[doc->len / 2] ^= 0x5a;
		*ret_pdf = copy;
		*ret_len = doc->len;
	}
	pthread_mutex_unlock(&s->lock);
	wipe_document(&fresh);
	return r;
}

static int sim_confirm_collected(struct backend *b, const char *document_id, const char *job,
				 const char *idempotency_key)
{
	struct sim *s = b->ctx;
	const struct demo_application *app;
	size_t i;
	int r;

	r = enter(s);
	if (r < 0)
		return r;
	if (!idempotency_key || !*idempotency_key ||
	    strnlen(idempotency_key, KEY_MAX + 1) > KEY_MAX)
		return -EINVAL;
	app = demo_application_by_document(document_id);
	if (!app)
		return -ENOENT;
	i = app_index(app);

	pthread_mutex_lock(&s->lock);
	for (size_t k = 0; k < s->n_keys; k++) {
		if (strcmp(s->keys[k].key, idempotency_key) != 0)
			continue;
		/* A replay is a no-op; the same key for another document
		 * is a client bug, refused as HTTP APIs answer 422. */
		r = s->keys[k].app_index == i ? 0 : -EINVAL;
		goto out;
	}
	if (s->n_keys == s->cap_keys) {
		size_t cap = s->cap_keys ? s->cap_keys * 2 : 16;
		struct confirmation_key *p = realloc(s->keys, cap * sizeof(*p));

		if (!p) {
			r = -ENOMEM;
			goto out;
		}
		s->keys = p;
		s->cap_keys = cap;
	}
	s->keys[s->n_keys].key = strdup(idempotency_key);
	if (!s->keys[s->n_keys].key) {
		r = -ENOMEM;
		goto out;
	}
	s->keys[s->n_keys++].app_index = i;
	/* A second collection of the same document under a new key (a
	 * reprint) is accepted, and counted once per document. */
	if (!s->collected[i]) {
		s->collected[i] = true;
		s->confirmations++;
	}
	r = 0;
out:
	pthread_mutex_unlock(&s->lock);
	return r;
}

static void sim_free_ctx(void *ctx)
{
	struct sim *s = ctx;

	if (!s)
		return;
	for (size_t i = 0; s->documents && i < demo_n_applications; i++)
		wipe_document(&s->documents[i]);
	for (size_t k = 0; k < s->n_keys; k++)
		free(s->keys[k].key);
	free(s->keys);
	free(s->documents);
	free(s->collected);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static const struct backend_ops sim_ops = {
	.name = "sim",
	.lookup_card = sim_lookup_card,
	.lookup_qr = sim_lookup_qr,
	.fetch_document = sim_fetch_document,
	.confirm_collected = sim_confirm_collected,
	.free_ctx = sim_free_ctx,
};

/* Returns 0 and a new simulated backend in *ret_backend (free it with
 * backend_free), or -ENOMEM. Any thread; does not block. Each instance
 * starts with nothing collected. */
int backend_sim_new(struct backend **ret_backend)
{
	struct backend *b = NULL;
	struct sim *s = NULL;
	uint8_t secret[64];

	if (!ret_backend)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	b = calloc(1, sizeof(*b));
	if (!s || !b)
		goto fail;
	s->collected = calloc(demo_n_applications, sizeof(*s->collected));
	s->documents = calloc(demo_n_applications, sizeof(*s->documents));
	if (!s->collected || !s->documents)
		goto fail;
	if (pthread_mutex_init(&s->lock, NULL) != 0)
		goto fail;

	demo_qr_keypair(s->qr_key.public_key, secret);
	sodium_memzero(secret, sizeof(secret));
	copy_utf8(s->qr_key.id, sizeof(s->qr_key.id), DEMO_QR_KEY_ID);

	b->ops = &sim_ops;
	b->ctx = TAKE_PTR(s);
	*ret_backend = b;
	return 0;
fail:
	if (s) {
		free(s->collected);
		free(s->documents);
		free(s);
	}
	free(b);
	return -ENOMEM;
}

/* The scripting calls below accept any backend and ignore one that is not
 * the simulator, so a scenario can run against either. Any thread. */

void backend_sim_set_down(struct backend *b, bool down)
{
	struct sim *s = sim_of(b);

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->down = down;
	pthread_mutex_unlock(&s->lock);
}

void backend_sim_set_delay(struct backend *b, unsigned delay_ms)
{
	struct sim *s = sim_of(b);

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->delay_ms = delay_ms;
	pthread_mutex_unlock(&s->lock);
}

void backend_sim_set_corrupt_documents(struct backend *b, bool corrupt)
{
	struct sim *s = sim_of(b);

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->corrupt_documents = corrupt;
	pthread_mutex_unlock(&s->lock);
}

/* Returns the number of distinct documents confirmed collected (replays
 * and reprints under new keys count once); 0 for a non-sim backend. */
unsigned backend_sim_confirmations(struct backend *b)
{
	struct sim *s = sim_of(b);
	unsigned n;

	if (!s)
		return 0;
	pthread_mutex_lock(&s->lock);
	n = s->confirmations;
	pthread_mutex_unlock(&s->lock);
	return n;
}
