/* SPDX-License-Identifier: MIT */
/*
 * mpp-sim's HTTP server: the contract of docs/api/openapi.yaml over
 * libmicrohttpd, one thread per connection (so an injected pause or a
 * slow drip blocks only its own connection), and an admin endpoint on the
 * same port for tests:
 *
 *   POST   /admin/faults   {"latency_ms", "status", "malformed", "truncate",
 *                           "drip_ms", "content_type", "expired_tokens",
 *                           "pad_bytes", "corrupt_documents", "count"}:
 *                          replaces the faults
 *   DELETE /admin/faults   clears them
 *   GET    /admin/stats    {"documents_collected", "confirmation_keys",
 *                           "heartbeats", "requests"}
 *
 * The admin endpoint is neither authenticated nor faulty: it is for the
 * tests on this machine (mpp-sim binds 127.0.0.1 by default).
 */
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backend-json.h"
#include "sim.h"

#define UPLOAD_MAX (64 * 1024)

struct sim_server {
	struct MHD_Daemon *daemon;
	struct sim_db *db;
	char *token;
	struct qr_key qr_key;
	bool quiet;
	uint16_t port;
	atomic_bool stopping; /* cuts injected pauses short on shutdown */

	pthread_mutex_t lock; /* guards faults and requests */
	struct sim_faults faults;
	unsigned requests;
};

/* One request's upload, gathered across calls of the handler. */
struct upload {
	char *buf;
	size_t len;
	bool too_big;
};

/* An answer before faults are applied to it. */
struct answer {
	unsigned status;
	char *body; /* malloc'ed */
	size_t len;
	const char *content_type;
	char digest[80]; /* Repr-Digest value, "" for none */
};

static void sleep_ms(unsigned ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* An injected pause, in slices, so stopping the server does not wait for
 * a minute-long latency fault to run out. */
static void pause_ms(struct sim_server *s, unsigned ms)
{
	while (ms > 0 && !atomic_load(&s->stopping)) {
		unsigned slice = ms < 50 ? ms : 50;

		sleep_ms(slice);
		ms -= slice;
	}
}

/* ---- faults ------------------------------------------------------------- */

int sim_faults_from_json(const char *buf, size_t len, struct sim_faults *ret)
{
	struct sim_faults f = {0};
	json_error_t jerr;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr), *v;
	const char *key;
	int r = -EINVAL;

	if (!json_is_object(root))
		goto out;
	json_object_foreach(root, key, v)
	{
		json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;

		if (strcmp(key, "latency_ms") == 0 && n >= 0 && n <= 600000)
			f.latency_ms = (unsigned)n;
		else if (strcmp(key, "status") == 0 && (n == 0 || (n >= 100 && n <= 599)))
			f.status = (unsigned)n;
		else if (strcmp(key, "drip_ms") == 0 && n >= 0 && n <= 60000)
			f.drip_ms = (unsigned)n;
		else if (strcmp(key, "pad_bytes") == 0 && n >= 0 && n <= (64 << 20))
			f.pad_bytes = (size_t)n;
		else if (strcmp(key, "count") == 0 && n >= 0 && n <= 1000000)
			f.count = (unsigned)n;
		else if (strcmp(key, "malformed") == 0 && json_is_boolean(v))
			f.malformed = json_is_true(v);
		else if (strcmp(key, "truncate") == 0 && json_is_boolean(v))
			f.truncate = json_is_true(v);
		else if (strcmp(key, "expired_tokens") == 0 && json_is_boolean(v))
			f.expired_tokens = json_is_true(v);
		else if (strcmp(key, "corrupt_documents") == 0 && json_is_boolean(v))
			f.corrupt = json_is_true(v);
		else if (strcmp(key, "content_type") == 0 && json_is_string(v) &&
			 json_string_length(v) < sizeof(f.content_type) &&
			 strcspn(json_string_value(v), "\r\n") == json_string_length(v))
			snprintf(f.content_type, sizeof(f.content_type), "%s",
				 json_string_value(v));
		else
			goto out;
	}
	*ret = f;
	r = 0;
out:
	json_decref(root);
	return r;
}

/* Takes this request's share of the faults: a copy, and one use of a
 * counted set. */
static struct sim_faults take_faults(struct sim_server *s)
{
	struct sim_faults f;

	pthread_mutex_lock(&s->lock);
	f = s->faults;
	s->requests++;
	if (s->faults.count > 0 && --s->faults.count == 0)
		s->faults = (struct sim_faults){0};
	pthread_mutex_unlock(&s->lock);
	return f;
}

/* ---- answers ------------------------------------------------------------ */

/* Dumps a built object and drops it; NULL stays NULL. */
static char *dump(json_t *o)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return text;
}

static void answer_json(struct answer *a, unsigned status, char *body)
{
	a->status = body ? status : 500;
	a->body = body ? body : strdup("{}");
	a->len = a->body ? strlen(a->body) : 0;
	a->content_type = "application/json";
}

static void answer_error(struct answer *a, unsigned status, enum backend_error_code code,
			 const char *id, const char *en)
{
	answer_json(a, status, backend_json_encode_error(code, id, en));
}

static void answer_status_fault(struct answer *a, unsigned status)
{
	enum backend_error_code code = status >= 500   ? BACKEND_ERROR_UNAVAILABLE
				       : status == 401 ? BACKEND_ERROR_UNAUTHORIZED
				       : status == 404 ? BACKEND_ERROR_NOT_FOUND
						       : BACKEND_ERROR_BAD_REQUEST;

	answer_error(a, status, code, "Layanan sedang tidak tersedia (gangguan disimulasikan).",
		     "Service unavailable (simulated fault).");
}

static bool hex_uid_valid(const char *s)
{
	size_t n = strlen(s);

	if (n != 8 && n != 14 && n != 20)
		return false;
	return strspn(s, "0123456789ABCDEF") == n;
}

static void do_lookup(struct sim_server *s, const struct upload *up, const struct sim_faults *f,
		      struct answer *a)
{
	struct session_lookup_result *res = calloc(1, sizeof(*res));
	json_error_t jerr;
	json_t *req = NULL, *card, *nik, *qr;
	int r = -EINVAL;

	if (!res) {
		answer_error(a, 500, BACKEND_ERROR_INTERNAL, "Kesalahan internal.",
			     "Internal error.");
		return;
	}
	req = json_loadb(up->buf ? up->buf : "", up->len, JSON_REJECT_DUPLICATES, &jerr);
	card = json_object_get(req, "card_uid");
	nik = json_object_get(req, "nik");
	qr = json_object_get(req, "qr");
	if (!json_is_object(req) || json_object_size(req) != (size_t)(!!card + !!nik + !!qr) ||
	    (!card == !qr) || (qr && nik)) {
		r = -EINVAL;
	} else if (card) {
		if (json_is_string(card) && hex_uid_valid(json_string_value(card)) &&
		    (!nik || (json_is_string(nik) && json_string_length(nik) == 16 &&
			      strspn(json_string_value(nik), "0123456789") == 16)))
			r = sim_db_lookup_card(s->db, json_string_value(card),
					       nik ? json_string_value(nik) : NULL, res);
	} else if (json_is_string(qr) && json_string_length(qr) <= SESSION_TOKEN_MAX) {
		const struct qr_keyring ring = {.n = 1, .keys = &s->qr_key, .clock_skew_s = 60};
		struct qr_token t;
		enum qr_verdict v = qr_token_verify(json_string_value(qr), json_string_length(qr),
						    &ring, time(NULL), &t);

		if (v == QR_VALID && f->expired_tokens)
			v = QR_EXPIRED;
		if (v == QR_EXPIRED)
			r = -EKEYEXPIRED;
		else if (v != QR_VALID)
			r = -EKEYREJECTED;
		else
			r = sim_db_lookup_application(s->db, t.application_id, res);
		sodium_memzero(&t, sizeof(t));
	}
	json_decref(req);

	if (r == 0)
		answer_json(a, 200, backend_json_encode_lookup(res));
	else if (r == -ENOENT)
		answer_error(a, 404, BACKEND_ERROR_NOT_FOUND, "Data permohonan tidak ditemukan.",
			     "No application found.");
	else if (r == -EKEYEXPIRED)
		answer_error(a, 403, BACKEND_ERROR_TOKEN_EXPIRED, "Kode QR sudah kedaluwarsa.",
			     "The QR code has expired.");
	else if (r == -EKEYREJECTED)
		answer_error(a, 403, BACKEND_ERROR_TOKEN_INVALID, "Kode QR tidak sah.",
			     "The QR code is not valid.");
	else if (r == -EINVAL)
		answer_error(a, 400, BACKEND_ERROR_BAD_REQUEST, "Permintaan tidak sesuai.",
			     "The request does not follow the contract.");
	else
		answer_error(a, 500, BACKEND_ERROR_INTERNAL, "Kesalahan internal.",
			     "Internal error.");
	sodium_memzero(res, sizeof(*res));
	free(res);
}

static void do_document(struct sim_server *s, const char *id, struct answer *a)
{
	uint8_t *pdf = NULL, sha[32];
	size_t len = 0;
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	int r = sim_db_document(s->db, id, &pdf, &len, sha);

	if (r == -ENOENT) {
		answer_error(a, 404, BACKEND_ERROR_NOT_FOUND, "Dokumen tidak ditemukan.",
			     "No such document.");
		return;
	}
	if (r < 0) {
		answer_error(a, 500, BACKEND_ERROR_INTERNAL, "Kesalahan internal.",
			     "Internal error.");
		return;
	}
	sodium_bin2base64(b64, sizeof(b64), sha, sizeof(sha), sodium_base64_VARIANT_ORIGINAL);
	snprintf(a->digest, sizeof(a->digest), "sha-256=:%s:", b64);
	a->status = 200;
	a->body = (char *)pdf;
	a->len = len;
	a->content_type = "application/pdf";
}

static void do_collected(struct sim_server *s, struct MHD_Connection *conn, const char *id,
			 const struct upload *up, struct answer *a)
{
	const char *key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key");
	json_error_t jerr;
	json_t *req = json_loadb(up->buf ? up->buf : "", up->len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *station = json_object_get(req, "station"), *job = json_object_get(req, "job");
	json_t *printed = json_object_get(req, "printed_at");
	char at[32];
	bool replayed = false;
	int r;

	if (!backend_json_key_valid(key) || !json_is_object(req) || json_object_size(req) != 3 ||
	    !backend_json_id_valid(json_string_value(station)) ||
	    !backend_json_id_valid(json_string_value(job)) || !json_is_string(printed) ||
	    json_string_length(printed) > 40) {
		json_decref(req);
		answer_error(a, 400, BACKEND_ERROR_BAD_REQUEST, "Permintaan tidak sesuai.",
			     "The request does not follow the contract.");
		return;
	}
	r = sim_db_confirm(s->db, id, key, json_string_value(station), json_string_value(job),
			   json_string_value(printed), &replayed, at);
	json_decref(req);
	if (r == 0)
		answer_json(a, 200,
			    dump(json_pack("{ss ss sb}", "document_id", id, "collected_at", at,
					   "replayed", replayed)));
	else if (r == -ENOENT)
		answer_error(a, 404, BACKEND_ERROR_NOT_FOUND, "Dokumen tidak ditemukan.",
			     "No such document.");
	else if (r == -EEXIST)
		answer_error(a, 422, BACKEND_ERROR_IDEMPOTENCY_KEY_REUSED,
			     "Kunci idempotensi sudah dipakai untuk dokumen lain.",
			     "The idempotency key was used for another document.");
	else
		answer_error(a, 500, BACKEND_ERROR_INTERNAL, "Kesalahan internal.",
			     "Internal error.");
}

static bool heartbeat_valid(const json_t *o)
{
	const json_t *devs = json_object_get(o, "devices"), *d;
	size_t i;

	if (!json_is_object(o) || json_object_size(o) != 4 ||
	    !json_is_string(json_object_get(o, "version")) ||
	    !json_is_integer(json_object_get(o, "uptime_s")) ||
	    !json_is_integer(json_object_get(o, "pending_confirmations")) || !json_is_array(devs) ||
	    json_array_size(devs) > 8)
		return false;
	json_array_foreach(devs, i, d)
	{
		if (!json_is_object(d) || !json_is_string(json_object_get(d, "device")) ||
		    !json_is_string(json_object_get(d, "state")))
			return false;
	}
	return true;
}

static void do_heartbeat(struct sim_server *s, const char *station, const struct upload *up,
			 struct answer *a)
{
	json_error_t jerr;
	json_t *req = json_loadb(up->buf ? up->buf : "", up->len, JSON_REJECT_DUPLICATES, &jerr);
	char at[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!backend_json_id_valid(station) || !heartbeat_valid(req)) {
		json_decref(req);
		answer_error(a, 400, BACKEND_ERROR_BAD_REQUEST, "Permintaan tidak sesuai.",
			     "The request does not follow the contract.");
		return;
	}
	json_decref(req);
	if (sim_db_heartbeat(s->db, station, up->buf) < 0) {
		answer_error(a, 500, BACKEND_ERROR_INTERNAL, "Kesalahan internal.",
			     "Internal error.");
		return;
	}
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	answer_json(a, 200, dump(json_pack("{ss}", "received_at", at)));
}

static void do_admin(struct sim_server *s, const char *method, const char *url,
		     const struct upload *up, struct answer *a)
{
	if (strcmp(url, "/admin/faults") == 0 && strcmp(method, "POST") == 0) {
		struct sim_faults f;

		if (sim_faults_from_json(up->buf ? up->buf : "", up->len, &f) < 0) {
			answer_error(a, 400, BACKEND_ERROR_BAD_REQUEST, "Gangguan tidak dikenal.",
				     "Unknown fault.");
			return;
		}
		pthread_mutex_lock(&s->lock);
		s->faults = f;
		pthread_mutex_unlock(&s->lock);
		answer_json(a, 200, strdup("{}"));
	} else if (strcmp(url, "/admin/faults") == 0 && strcmp(method, "DELETE") == 0) {
		pthread_mutex_lock(&s->lock);
		s->faults = (struct sim_faults){0};
		pthread_mutex_unlock(&s->lock);
		answer_json(a, 200, strdup("{}"));
	} else if (strcmp(url, "/admin/stats") == 0 && strcmp(method, "GET") == 0) {
		unsigned docs = 0, keys = 0, beats = 0, requests;

		pthread_mutex_lock(&s->lock);
		requests = s->requests;
		pthread_mutex_unlock(&s->lock);
		if (sim_db_stats(s->db, &docs, &keys, &beats) < 0) {
			answer_error(a, 500, BACKEND_ERROR_INTERNAL, "Kesalahan internal.",
				     "Internal error.");
			return;
		}
		answer_json(a, 200,
			    dump(json_pack("{sI sI sI sI}", "documents_collected", (json_int_t)docs,
					   "confirmation_keys", (json_int_t)keys, "heartbeats",
					   (json_int_t)beats, "requests", (json_int_t)requests)));
	} else {
		answer_error(a, 404, BACKEND_ERROR_NOT_FOUND, "Tidak ada.", "Not found.");
	}
}

/* Splits /v1/documents/{id}[/collected] and /v1/stations/{id}/heartbeat;
 * returns the id's length, or 0 if path does not start with prefix. */
static size_t path_id(const char *url, const char *prefix, char *id, size_t size,
		      const char **ret_rest)
{
	size_t n = strlen(prefix), len;

	if (strncmp(url, prefix, n) != 0)
		return 0;
	len = strcspn(url + n, "/");
	if (len == 0 || len >= size)
		return 0;
	memcpy(id, url + n, len);
	id[len] = '\0';
	*ret_rest = url + n + len;
	return len;
}

static bool authorised(const struct sim_server *s, struct MHD_Connection *conn)
{
	const char *h;
	size_t n;

	if (!s->token)
		return true;
	h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h || strncmp(h, "Bearer ", 7) != 0)
		return false;
	n = strlen(s->token);
	return strlen(h + 7) == n && sodium_memcmp(h + 7, s->token, n) == 0;
}

static bool json_request(struct MHD_Connection *conn)
{
	const char *ct =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);

	return ct && strncasecmp(ct, "application/json", 16) == 0 &&
	       (ct[16] == '\0' || ct[16] == ';');
}

static void route(struct sim_server *s, struct MHD_Connection *conn, const char *method,
		  const char *url, const struct upload *up, const struct sim_faults *f,
		  struct answer *a)
{
	const char *rest = "";
	char id[64];
	bool post = strcmp(method, "POST") == 0;

	if (!authorised(s, conn)) {
		answer_error(a, 401, BACKEND_ERROR_UNAUTHORIZED, "Anjungan tidak dikenal.",
			     "Unknown station.");
		return;
	}
	if (up->too_big) {
		answer_error(a, 413, BACKEND_ERROR_PAYLOAD_TOO_LARGE, "Permintaan terlalu besar.",
			     "Request too large.");
		return;
	}
	if (post && !json_request(conn)) {
		answer_error(a, 415, BACKEND_ERROR_UNSUPPORTED_MEDIA_TYPE,
			     "Jenis isi tidak didukung.", "Unsupported content type.");
		return;
	}
	if (strcmp(url, "/v1/lookup") == 0 && post) {
		do_lookup(s, up, f, a);
	} else if (path_id(url, "/v1/documents/", id, sizeof(id), &rest) &&
		   backend_json_id_valid(id)) {
		if (*rest == '\0' && strcmp(method, "GET") == 0)
			do_document(s, id, a);
		else if (strcmp(rest, "/collected") == 0 && post)
			do_collected(s, conn, id, up, a);
		else
			answer_error(a, 404, BACKEND_ERROR_NOT_FOUND, "Tidak ada.", "Not found.");
	} else if (path_id(url, "/v1/stations/", id, sizeof(id), &rest) &&
		   strcmp(rest, "/heartbeat") == 0 && post) {
		do_heartbeat(s, id, up, a);
	} else {
		answer_error(a, 404, BACKEND_ERROR_NOT_FOUND, "Tidak ada.", "Not found.");
	}
}

/* ---- faulty bodies ------------------------------------------------------ */

struct body_reader {
	char *body;
	size_t len;	 /* bytes sent before the reader stops */
	size_t declared; /* Content-Length */
	unsigned drip_ms;
};

static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct body_reader *br = cls;
	size_t n;

	if (pos >= br->len)
		return pos >= br->declared ? MHD_CONTENT_READER_END_OF_STREAM
					   : MHD_CONTENT_READER_END_WITH_ERROR;
	n = br->len - (size_t)pos;
	if (br->drip_ms) {
		sleep_ms(br->drip_ms);
		n = 1;
	}
	if (n > max)
		n = max;
	memcpy(buf, br->body + pos, n);
	return (ssize_t)n;
}

static void free_body_reader(void *cls)
{
	struct body_reader *br = cls;

	free(br->body);
	free(br);
}

/* Adds the unknown property "padding" to a JSON object body. */
static void pad_body(struct answer *a, size_t pad)
{
	char *p;

	if (!a->body || a->len < 2 || a->body[a->len - 1] != '}')
		return;
	p = malloc(a->len + pad + 16);
	if (!p)
		return;
	memcpy(p, a->body, a->len - 1);
	memcpy(p + a->len - 1, ",\"padding\":\"", 12);
	memset(p + a->len + 11, 'x', pad);
	memcpy(p + a->len + 11 + pad, "\"}", 3);
	free(a->body);
	a->body = p;
	a->len = a->len + pad + 13;
}

static enum MHD_Result send_answer(struct MHD_Connection *conn, struct answer *a,
				   const struct sim_faults *f)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (f->pad_bytes && a->content_type && strcmp(a->content_type, "application/json") == 0)
		pad_body(a, f->pad_bytes);
	if (f->malformed) {
		static const char junk[] = "{\"holder_name\": \"Bu";

		free(a->body);
		a->body = strdup(junk);
		a->len = a->body ? sizeof(junk) - 1 : 0;
	}
	if (f->truncate || f->drip_ms) {
		struct body_reader *br = calloc(1, sizeof(*br));

		if (!br)
			return MHD_NO;
		br->body = a->body;
		br->declared = a->len;
		br->len = f->truncate ? a->len / 2 : a->len;
		br->drip_ms = f->drip_ms;
		a->body = NULL;
		resp = MHD_create_response_from_callback(br->declared, 1024, read_body, br,
							 free_body_reader);
		if (!resp) {
			free_body_reader(br);
			return MHD_NO;
		}
	} else {
		if (a->body)
			resp = MHD_create_response_from_buffer(a->len, a->body,
							       MHD_RESPMEM_MUST_FREE);
		else
			resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (!resp) {
			free(a->body);
			a->body = NULL;
			return MHD_NO;
		}
		a->body = NULL;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				f->content_type[0] ? f->content_type : a->content_type);
	if (a->digest[0])
		MHD_add_response_header(resp, "Repr-Digest", a->digest);
	ret = MHD_queue_response(conn, a->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- the handler -------------------------------------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct sim_server *s = cls;
	struct upload *up = *con_cls;
	struct answer a = {0};
	struct sim_faults f = {0};
	bool admin;

	if (!up) {
		up = calloc(1, sizeof(*up));
		if (!up)
			return MHD_NO;
		*con_cls = up;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!up->too_big && up->len + *upload_data_size <= UPLOAD_MAX) {
			char *p = realloc(up->buf, up->len + *upload_data_size + 1);

			if (!p)
				return MHD_NO;
			up->buf = p;
			memcpy(up->buf + up->len, upload_data, *upload_data_size);
			up->len += *upload_data_size;
			up->buf[up->len] = '\0';
		} else {
			up->too_big = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}

	admin = strncmp(url, "/admin/", 7) == 0;
	if (admin) {
		do_admin(s, method, url, up, &a);
	} else {
		f = take_faults(s);
		if (f.status)
			answer_status_fault(&a, f.status);
		else
			route(s, conn, method, url, up, &f, &a);
		/* One byte changed after the digest was taken, as a transfer
		 * corrupted on the way would: the station must refuse it. */
		if (f.corrupt && a.status == 200 && a.content_type &&
		    strcmp(a.content_type, "application/pdf") == 0 && a.body && a.len > 0)
			a.body[a.len / 2] ^= 0x01;
		if (f.latency_ms)
			pause_ms(s, f.latency_ms);
	}
	if (!s->quiet)
		fprintf(stderr, "mpp-sim: %s %s -> %u\n", method, admin ? url : "/v1/...",
			a.status);
	(void)version;
	if (!a.body && a.status == 0)
		answer_error(&a, 500, BACKEND_ERROR_INTERNAL, "Kesalahan internal.",
			     "Internal error.");
	return send_answer(conn, &a, &f);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;

	if (up) {
		if (up->buf) {
			sodium_memzero(up->buf, up->len);
			free(up->buf);
		}
		free(up);
	}
	*con_cls = NULL;
}

int sim_server_start(const struct sim_server_config *cfg, struct sim_db *db,
		     struct sim_server **ret)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(cfg->port)};
	unsigned flags =
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;
	struct sim_server *s;

	if (inet_pton(AF_INET, cfg->address ? cfg->address : "127.0.0.1", &addr.sin_addr) != 1)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		return -ENOMEM;
	}
	s->db = db;
	s->qr_key = cfg->qr_key;
	s->faults = cfg->faults;
	s->quiet = cfg->quiet;
	if (cfg->token && !(s->token = strdup(cfg->token))) {
		sim_server_free(s);
		return -ENOMEM;
	}
	if (cfg->tls_cert_pem) {
		flags |= MHD_USE_TLS;
		s->daemon = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &addr,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)30, MHD_OPTION_HTTPS_MEM_CERT, cfg->tls_cert_pem,
			MHD_OPTION_HTTPS_MEM_KEY, cfg->tls_key_pem, MHD_OPTION_END);
	} else {
		s->daemon = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &addr,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)30, MHD_OPTION_END);
	}
	if (!s->daemon) {
		sim_server_free(s);
		return -EADDRINUSE;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : cfg->port;
	*ret = s;
	return 0;
}

uint16_t sim_server_port(const struct sim_server *s)
{
	return s ? s->port : 0;
}

struct sim_server *sim_server_free(struct sim_server *s)
{
	if (!s)
		return NULL;
	atomic_store(&s->stopping, true);
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	free(s->token);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return NULL;
}
