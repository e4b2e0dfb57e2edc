/* SPDX-License-Identifier: MIT */
/*
 * The http backend (backend-http.h): libcurl's easy interface on the
 * calling worker thread, one pooled handle per call in flight.
 *
 * The backend is outside the trust boundary: every answer is capped in
 * size, bounded in time, checked for its status and content type, and
 * parsed strictly (backend-json.c). curl's codes are mapped to negative
 * errno here, once (STYLE.md rule 5); the original goes to the debug log.
 * Bodies may hold personal data, so their buffers are wiped before they
 * are freed, and nothing personal is logged.
 */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backend-http.h"
#include "backend-json.h"
#include "log.h"
#include "macro.h"
#include "session.h"

#define POOL_MAX 4 /* idle handles kept; more callers get fresh ones */

struct http {
	char *url; /* base, no trailing slash */
	char *station_id;
	char *ca_file, *client_cert, *client_key;
	char *auth_header; /* "Authorization: Bearer ...", wiped on free */
	long connect_timeout_ms, timeout_ms;
	unsigned retries, backoff_ms;
	size_t max_response, max_document;

	pthread_mutex_t lock; /* guards the pool */
	CURL *pool[POOL_MAX];
	size_t n_pool;

	atomic_bool have_skew;
	atomic_llong skew_s;
	/* The notAfter of the server's certificate, from the last new TLS
	 * connection; 0: none seen. */
	atomic_llong cert_not_after;
};

/* What one attempt brought back. */
struct response {
	uint8_t *body;
	size_t len, cap, max;
	bool too_big;
	long status;
	char content_type[96];
	char digest[160];
	bool have_digest;
	time_t date; /* -1: no Date header */
};

struct request {
	const char *method; /* "GET" or "POST" */
	char path[160];
	const char *body; /* NULL for GET */
	const char *idempotency_key;
	const char *accept;
	size_t max;
	bool idempotent;
};

static const struct backend_ops http_ops;

static struct http *http_of(struct backend *b)
{
	if (!b || b->ops != &http_ops)
		return NULL;
	return b->ctx;
}

static void response_reset(struct response *r)
{
	if (r->body) {
		sodium_memzero(r->body, r->cap);
		free(r->body);
	}
	*r = (struct response){.date = -1};
}

/* Grows by copying, not realloc(), so no stale copy of a body holding
 * personal data is left behind in freed memory. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct response *r = userdata;
	size_t n = size * nmemb;

	if (n > r->max - r->len) {
		r->too_big = true;
		return 0; /* curl aborts with CURLE_WRITE_ERROR */
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		uint8_t *p;

		while (cap < r->len + n + 1)
			cap *= 2;
		p = malloc(cap);
		if (!p)
			return 0;
		if (r->body) {
			memcpy(p, r->body, r->len);
			sodium_memzero(r->body, r->cap);
			free(r->body);
		}
		r->body = p;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

/* Copies a header's value (after "Name:") without the line end. */
static void header_value(const char *line, size_t n, size_t name_len, char *dst, size_t size)
{
	size_t i = name_len, end = n;

	while (i < end && (line[i] == ' ' || line[i] == '\t'))
		i++;
	while (end > i && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' ' ||
			   line[end - 1] == '\t'))
		end--;
	if (end - i >= size)
		end = i + size - 1;
	memcpy(dst, line + i, end - i);
	dst[end - i] = '\0';
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *userdata)
{
	struct response *r = userdata;
	size_t n = size * nmemb;

	/* A new status line (after a 100 Continue) starts over. */
	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		r->have_digest = false;
		r->date = -1;
	} else if (n > 12 && strncasecmp(line, "Repr-Digest:", 12) == 0) {
		header_value(line, n, 12, r->digest, sizeof(r->digest));
		r->have_digest = true;
	} else if (n > 5 && strncasecmp(line, "Date:", 5) == 0) {
		char date[64];

		header_value(line, n, 5, date, sizeof(date));
		r->date = curl_getdate(date, NULL);
	}
	return n;
}

/* The one place curl's codes become errno values. transient: worth
 * another attempt for an idempotent call. */
static int map_curl(CURLcode c, const struct response *resp, bool *ret_transient)
{
	*ret_transient = false;
	switch (c) {
	case CURLE_OK:
		return 0;
	case CURLE_COULDNT_CONNECT:
		*ret_transient = true;
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		*ret_transient = true;
		return -EHOSTUNREACH;
	case CURLE_OPERATION_TIMEDOUT:
		*ret_transient = true;
		return -ETIMEDOUT;
	case CURLE_PARTIAL_FILE:
		/* A cut transfer: the network, or a broken backend. */
		*ret_transient = true;
		return -EBADMSG;
	case CURLE_WRITE_ERROR:
		return resp->too_big ? -EBADMSG : -ENOMEM;
	case CURLE_FILESIZE_EXCEEDED:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return -EBADMSG;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		return -ECONNABORTED;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

static CURL *pool_get(struct http *h)
{
	CURL *c = NULL;

	pthread_mutex_lock(&h->lock);
	if (h->n_pool > 0)
		c = h->pool[--h->n_pool];
	pthread_mutex_unlock(&h->lock);
	if (c)
		curl_easy_reset(c); /* options go; live connections stay */
	else
		c = curl_easy_init();
	return c;
}

static void pool_put(struct http *h, CURL *c)
{
	pthread_mutex_lock(&h->lock);
	if (h->n_pool < POOL_MAX) {
		h->pool[h->n_pool++] = c;
		c = NULL;
	}
	pthread_mutex_unlock(&h->lock);
	if (c)
		curl_easy_cleanup(c);
}

static bool media_type_is(const char *content_type, const char *want)
{
	size_t n = strlen(want);

	return strncasecmp(content_type, want, n) == 0 &&
	       (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ');
}

static void note_date(struct http *h, time_t date)
{
	long long skew;

	if (date < 0)
		return;
	skew = (long long)date - (long long)time(NULL);
	atomic_store(&h->skew_s, skew);
	atomic_store(&h->have_skew, true);
	if (skew > 60 || skew < -60)
		log_debug("backend: clock skew %lld s", skew);
}

/* "Expire date:Jan  1 00:00:00 2030 GMT" (OpenSSL) or
 * "Expire date:2030-01-01 00:00:00 GMT" (GnuTLS) as epoch seconds. */
static time_t parse_expire(const char *v)
{
	static const char *const formats[] = {"%b %d %H:%M:%S %Y GMT", "%Y-%m-%d %H:%M:%S GMT"};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct tm tm = {0};
		const char *end = strptime(v, formats[i], &tm);

		if (end && *end == '\0')
			return timegm(&tm);
	}
	return 0;
}

/* The leaf certificate's expiry, when this transfer made a new TLS
 * connection (a reused one reports no certificates). */
static void note_certificate(struct http *h, CURL *c)
{
	struct curl_certinfo *ci = NULL;

	if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
		return;
	for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
		if (strncmp(l->data, "Expire date:", 12) == 0) {
			time_t t = parse_expire(l->data + 12);

			if (t > 0)
				atomic_store(&h->cert_not_after, (long long)t);
			return;
		}
	}
}

/* One attempt. Returns 0 with resp filled (any HTTP status), or a
 * negative errno with *ret_transient set. */
static int attempt(struct http *h, const struct request *req, struct response *resp,
		   bool *ret_transient)
{
	struct curl_slist *headers = NULL, *tmp;
	char url[1024], line[128];
	char *ct = NULL;
	CURLcode cc = CURLE_OUT_OF_MEMORY;
	CURL *c;
	int r;

	*ret_transient = false;
	response_reset(resp);
	resp->max = req->max;
	if ((size_t)snprintf(url, sizeof(url), "%s%s", h->url, req->path) >= sizeof(url))
		return -EINVAL;
	c = pool_get(h);
	if (!c)
		return -ENOMEM;

	snprintf(line, sizeof(line), "Accept: %s", req->accept);
	headers = curl_slist_append(headers, line);
	if (req->body && headers)
		headers = (tmp = curl_slist_append(headers, "Content-Type: application/json"))
				  ? tmp
				  : (curl_slist_free_all(headers), NULL);
	if (req->idempotency_key && headers) {
		snprintf(line, sizeof(line), "Idempotency-Key: %s", req->idempotency_key);
		headers = (tmp = curl_slist_append(headers, line))
				  ? tmp
				  : (curl_slist_free_all(headers), NULL);
	}
	if (h->auth_header && headers)
		headers = (tmp = curl_slist_append(headers, h->auth_header))
				  ? tmp
				  : (curl_slist_free_all(headers), NULL);
	/* No "Expect: 100-continue" round trip for small bodies. */
	if (headers)
		headers = (tmp = curl_slist_append(headers, "Expect:"))
				  ? tmp
				  : (curl_slist_free_all(headers), NULL);
	if (!headers)
		goto out;

	if (curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->connect_timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, resp) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HEADERDATA, resp) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CERTINFO, 1L) != CURLE_OK)
		goto out;
	if (h->ca_file && curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_file) != CURLE_OK)
		goto out;
	if (h->client_cert && (curl_easy_setopt(c, CURLOPT_SSLCERT, h->client_cert) != CURLE_OK ||
			       curl_easy_setopt(c, CURLOPT_SSLKEY, h->client_key) != CURLE_OK))
		goto out;
	if (req->body && (curl_easy_setopt(c, CURLOPT_POST, 1L) != CURLE_OK ||
			  curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body) != CURLE_OK))
		goto out;

	cc = curl_easy_perform(c);
	if (cc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
		if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
			snprintf(resp->content_type, sizeof(resp->content_type), "%s", ct);
		note_certificate(h, c);
	}
out:
	r = map_curl(cc, resp, ret_transient);
	if (r < 0)
		log_debug("backend: %s %s: curl %d (%s)", req->method, req->path, (int)cc,
			  curl_easy_strerror(cc));
	curl_slist_free_all(headers);
	/* A handle whose transfer failed may hold a broken connection:
	 * drop it rather than pool it. */
	if (r < 0)
		curl_easy_cleanup(c);
	else
		pool_put(h, c);
	return r;
}

static void pause_before_retry(const struct http *h, unsigned n)
{
	/* Exponential, with +-50 % jitter so a fleet of stations that lost
	 * the backend at once does not come back in lockstep. */
	uint64_t base = (uint64_t)h->backoff_ms << (n < 6 ? n : 6);
	uint64_t ms = base / 2 + randombytes_uniform((uint32_t)(base > 0 ? base : 1));
	struct timespec t = {.tv_sec = (time_t)(ms / 1000),
			     .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* Runs a request with its retries. Returns 0 for a 2xx answer of the
 * expected media type (resp holds it), or the negative errno the whole
 * exchange comes to. */
static int call(struct http *h, const struct request *req, struct response *resp)
{
	unsigned tries = req->idempotent ? h->retries + 1 : 1;
	bool transient = false;
	int r = -EIO;

	for (unsigned n = 0; n < tries; n++) {
		if (n > 0)
			pause_before_retry(h, n - 1);
		r = attempt(h, req, resp, &transient);
		if (r < 0) {
			if (transient)
				continue;
			return r;
		}
		note_date(h, resp->date);
		if (resp->status == 502 || resp->status == 503 || resp->status == 504) {
			r = -EHOSTUNREACH;
			continue;
		}
		break;
	}
	if (r < 0)
		return r;

	if (resp->status < 200 || resp->status > 299) {
		struct backend_json_error err;
		bool parsed =
			media_type_is(resp->content_type, "application/json") &&
			backend_json_parse_error((const char *)resp->body, resp->len, &err) == 0;

		log_debug("backend: %s %s: HTTP %ld%s%s", req->method, req->path, resp->status,
			  parsed ? " " : "", parsed ? backend_error_code_to_string(err.code) : "");
		return backend_json_status_to_errno(resp->status, parsed ? &err : NULL);
	}
	if (!media_type_is(resp->content_type, req->accept)) {
		log_debug("backend: %s %s: content type is not %s", req->method, req->path,
			  req->accept);
		return -EBADMSG;
	}
	return 0;
}

static int lookup(struct http *h, char *body, struct session_lookup_result *ret_result)
{
	struct request req = {
		.method = "POST",
		.path = "/v1/lookup",
		.body = body,
		.accept = "application/json",
		.max = h->max_response,
		.idempotent = true, /* read-only */
	};
	struct response resp = {.date = -1};
	int r;

	if (!body)
		return -ENOMEM;
	r = call(h, &req, &resp);
	if (r >= 0) {
		r = backend_json_parse_lookup((const char *)resp.body, resp.len, ret_result);
		if (r < 0)
			log_debug("backend: lookup answer refused: %s", strerror(-r));
	}
	response_reset(&resp);
	sodium_memzero(body, strlen(body));
	free(body);
	return r;
}

static int http_lookup_card(struct backend *b, const uint8_t *uid, size_t uid_len, const char *nik,
			    struct session_lookup_result *ret_result)
{
	if (!uid || !ret_result)
		return -EINVAL;
	if (uid_len != 4 && uid_len != 7 && uid_len != 10)
		return -EINVAL;
	if (nik && *nik && (strlen(nik) != 16 || strspn(nik, "0123456789") != 16))
		return -EINVAL;
	return lookup(b->ctx, backend_json_lookup_card_request(uid, uid_len, nik), ret_result);
}

static int http_lookup_qr(struct backend *b, const char *token,
			  struct session_lookup_result *ret_result)
{
	if (!token || !ret_result || strnlen(token, SESSION_TOKEN_MAX + 1) > SESSION_TOKEN_MAX)
		return -EINVAL;
	return lookup(b->ctx, backend_json_lookup_qr_request(token), ret_result);
}

static int http_fetch_document(struct backend *b, const char *document_id, uint8_t **ret_pdf,
			       size_t *ret_len, uint8_t ret_sha256[32])
{
	struct http *h = b->ctx;
	struct request req = {
		.method = "GET",
		.accept = "application/pdf",
		.max = h->max_document,
		.idempotent = true,
	};
	struct response resp = {.date = -1};
	uint8_t sha[32];
	int r;

	if (!ret_pdf || !ret_len || !ret_sha256 || !backend_json_id_valid(document_id))
		return -EINVAL;
	snprintf(req.path, sizeof(req.path), "/v1/documents/%s", document_id);
	r = call(h, &req, &resp);
	if (r < 0)
		goto out;
	/* A document nobody vouched for is no document: without its digest
	 * the station could not refuse a corrupted one. */
	if (!resp.have_digest ||
	    backend_json_parse_digest(resp.digest, strlen(resp.digest), sha) < 0 || resp.len == 0) {
		r = -EBADMSG;
		goto out;
	}
	memcpy(ret_sha256, sha, sizeof(sha));
	*ret_len = resp.len;
	*ret_pdf = TAKE_PTR(resp.body);
	resp.cap = 0;
out:
	response_reset(&resp);
	return r;
}

static void now_rfc3339(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int http_confirm_collected(struct backend *b, const char *document_id, const char *job,
				  const char *idempotency_key)
{
	struct http *h = b->ctx;
	struct request req = {
		.method = "POST",
		.accept = "application/json",
		.idempotency_key = idempotency_key,
		.max = h->max_response,
		.idempotent = true, /* the key makes it so */
	};
	struct response resp = {.date = -1};
	struct backend_json_ack ack;
	char printed_at[32], *body;
	int r;

	if (!backend_json_id_valid(document_id) || !backend_json_id_valid(job) ||
	    !backend_json_key_valid(idempotency_key))
		return -EINVAL;
	snprintf(req.path, sizeof(req.path), "/v1/documents/%s/collected", document_id);
	now_rfc3339(printed_at, sizeof(printed_at));
	body = backend_json_collected_request(h->station_id, job, printed_at);
	if (!body)
		return -ENOMEM;
	req.body = body;
	r = call(h, &req, &resp);
	if (r >= 0)
		r = backend_json_parse_ack((const char *)resp.body, resp.len, document_id, &ack);
	if (r >= 0 && ack.replayed)
		log_debug("backend: confirmation of %s was a replay", document_id);
	response_reset(&resp);
	free(body);
	return r;
}

int backend_http_heartbeat(struct backend *b, const char *version, uint64_t uptime_s,
			   unsigned pending_confirmations,
			   const enum session_device_state states[_SESSION_DEVICE_MAX])
{
	struct http *h = http_of(b);
	struct request req = {
		.method = "POST",
		.accept = "application/json",
		.idempotent = false,
	};
	struct response resp = {.date = -1};
	uint8_t rnd[16];
	char key[33], *body = NULL;
	json_t *o, *devs;
	int r;

	if (!h || !version || !states)
		return -EINVAL;
	req.max = h->max_response;
	devs = json_array();
	o = json_pack("{ss sI sI so}", "version", version, "uptime_s", (json_int_t)uptime_s,
		      "pending_confirmations", (json_int_t)pending_confirmations, "devices", devs);
	if (!o)
		return -ENOMEM;
	for (int d = 0; d < _SESSION_DEVICE_MAX; d++) {
		const char *state = session_device_state_to_string(states[d]);

		if (!state || json_array_append_new(devs, json_pack("{ss ss}", "device",
								    session_device_to_string(d),
								    "state", state)) < 0) {
			json_decref(o);
			return -EINVAL;
		}
	}
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!body)
		return -ENOMEM;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(key, sizeof(key), rnd, sizeof(rnd));
	snprintf(req.path, sizeof(req.path), "/v1/stations/%s/heartbeat", h->station_id);
	req.body = body;
	req.idempotency_key = key;
	r = call(h, &req, &resp);
	if (r >= 0)
		r = backend_json_parse_heartbeat_ack((const char *)resp.body, resp.len);
	response_reset(&resp);
	free(body);
	return r;
}

int backend_http_clock_skew(struct backend *b, int64_t *ret_skew_s)
{
	struct http *h = http_of(b);

	if (!h || !ret_skew_s)
		return -EINVAL;
	if (!atomic_load(&h->have_skew))
		return -ENODATA;
	*ret_skew_s = atomic_load(&h->skew_s);
	return 0;
}

int backend_http_cert_expiry(struct backend *b, int64_t *ret_not_after)
{
	struct http *h = http_of(b);
	long long t;

	if (!h || !ret_not_after)
		return -EINVAL;
	t = atomic_load(&h->cert_not_after);
	if (t == 0)
		return -ENODATA;
	*ret_not_after = t;
	return 0;
}

static void http_free_ctx(void *ctx)
{
	struct http *h = ctx;

	if (!h)
		return;
	for (size_t i = 0; i < h->n_pool; i++)
		curl_easy_cleanup(h->pool[i]);
	if (h->auth_header) {
		sodium_memzero(h->auth_header, strlen(h->auth_header));
		free(h->auth_header);
	}
	free(h->url);
	free(h->station_id);
	free(h->ca_file);
	free(h->client_cert);
	free(h->client_key);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

static const struct backend_ops http_ops = {
	.name = "http",
	.lookup_card = http_lookup_card,
	.lookup_qr = http_lookup_qr,
	.fetch_document = http_fetch_document,
	.confirm_collected = http_confirm_collected,
	.free_ctx = http_free_ctx,
};

/* http:// carries personal data in clear: only to this machine. */
static bool url_acceptable(const char *url)
{
	static const char *const loopback[] = {"http://127.0.0.1", "http://localhost",
					       "http://[::1]"};

	if (strncmp(url, "https://", 8) == 0)
		return url[8] != '\0' && url[8] != '/';
	for (size_t i = 0; i < ELEMENTSOF(loopback); i++) {
		size_t n = strlen(loopback[i]);

		if (strncmp(url, loopback[i], n) == 0 &&
		    (url[n] == '\0' || url[n] == ':' || url[n] == '/'))
			return true;
	}
	return false;
}

static char *dup_opt(const char *s, bool *ok)
{
	char *d;

	if (!s || !*s)
		return NULL;
	d = strdup(s);
	if (!d)
		*ok = false;
	return d;
}

int backend_http_new(const struct backend_http_config *cfg, struct backend **ret)
{
	struct backend *b = NULL;
	struct http *h = NULL;
	bool ok = true;
	size_t n;

	if (!cfg || !ret || !cfg->url || !url_acceptable(cfg->url) || strlen(cfg->url) > 512 ||
	    !backend_json_id_valid(cfg->station_id))
		return -EINVAL;
	if (cfg->client_cert && *cfg->client_cert && !(cfg->client_key && *cfg->client_key))
		return -EINVAL;
	if (cfg->bearer_token && *cfg->bearer_token) {
		for (const char *p = cfg->bearer_token; *p; p++)
			if ((unsigned char)*p <= 0x20 || *p == 0x7f)
				return -EINVAL; /* would split the header */
	}
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -EIO;

	h = calloc(1, sizeof(*h));
	b = calloc(1, sizeof(*b));
	if (!h || !b)
		goto nomem;
	if (pthread_mutex_init(&h->lock, NULL) != 0) {
		free(h);
		h = NULL;
		goto nomem;
	}
	h->url = strdup(cfg->url);
	h->station_id = strdup(cfg->station_id);
	if (!h->url || !h->station_id)
		goto nomem;
	n = strlen(h->url);
	while (n > 0 && h->url[n - 1] == '/')
		h->url[--n] = '\0';
	h->ca_file = dup_opt(cfg->ca_file, &ok);
	h->client_cert = dup_opt(cfg->client_cert, &ok);
	h->client_key = dup_opt(cfg->client_key, &ok);
	if (cfg->bearer_token && *cfg->bearer_token) {
		size_t len = strlen("Authorization: Bearer ") + strlen(cfg->bearer_token) + 1;

		h->auth_header = malloc(len);
		if (h->auth_header)
			snprintf(h->auth_header, len, "Authorization: Bearer %s",
				 cfg->bearer_token);
		else
			ok = false;
	}
	if (!ok)
		goto nomem;
	h->connect_timeout_ms = (long)(cfg->connect_timeout_ms ? cfg->connect_timeout_ms : 3000);
	h->timeout_ms = (long)(cfg->timeout_ms ? cfg->timeout_ms : 10000);
	h->retries = cfg->retries;
	h->backoff_ms = cfg->backoff_ms ? cfg->backoff_ms : 200;
	h->max_response =
		cfg->max_response_bytes ? cfg->max_response_bytes : BACKEND_JSON_MAX_BYTES;
	h->max_document =
		cfg->max_document_bytes ? cfg->max_document_bytes : BACKEND_HTTP_DOCUMENT_MAX;
	atomic_init(&h->have_skew, false);
	atomic_init(&h->skew_s, 0);
	atomic_init(&h->cert_not_after, 0);

	b->ops = &http_ops;
	b->ctx = TAKE_PTR(h);
	*ret = b;
	return 0;
nomem:
	http_free_ctx(h);
	free(b);
	return -ENOMEM;
}
