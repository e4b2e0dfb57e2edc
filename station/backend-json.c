/* SPDX-License-Identifier: MIT */
/*
 * The contract's JSON, both ways (backend-json.h). Parsing is field by
 * field into the fixed-size session structs: a value that does not fit is
 * refused, never cut, so the citizen never sees half a next step and a
 * hostile backend cannot overrun anything.
 */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend-json.h"
#include "session.h"

static const char *const error_codes[_BACKEND_ERROR_MAX] = {
	[BACKEND_ERROR_BAD_REQUEST] = "bad_request",
	[BACKEND_ERROR_UNAUTHORIZED] = "unauthorized",
	[BACKEND_ERROR_TOKEN_INVALID] = "token_invalid",
	[BACKEND_ERROR_TOKEN_EXPIRED] = "token_expired",
	[BACKEND_ERROR_NOT_FOUND] = "not_found",
	[BACKEND_ERROR_IDEMPOTENCY_KEY_REUSED] = "idempotency_key_reused",
	[BACKEND_ERROR_PAYLOAD_TOO_LARGE] = "payload_too_large",
	[BACKEND_ERROR_UNSUPPORTED_MEDIA_TYPE] = "unsupported_media_type",
	[BACKEND_ERROR_UNAVAILABLE] = "unavailable",
	[BACKEND_ERROR_INTERNAL] = "internal",
};

/* Returns the code's name, or NULL for a value out of range. */
const char *backend_error_code_to_string(enum backend_error_code c)
{
	if (c < 0 || c >= _BACKEND_ERROR_MAX)
		return NULL;
	return error_codes[c];
}

/* Returns the code named s, or _BACKEND_ERROR_INVALID. */
enum backend_error_code backend_error_code_from_string(const char *s)
{
	if (!s)
		return _BACKEND_ERROR_INVALID;
	for (int i = 0; i < _BACKEND_ERROR_MAX; i++)
		if (strcmp(error_codes[i], s) == 0)
			return (enum backend_error_code)i;
	return _BACKEND_ERROR_INVALID;
}

static bool id_char(char c, bool allow_dot)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || (allow_dot && c == '.');
}

static bool token_valid(const char *s, size_t max, bool allow_dot)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++)
		if (n >= max || !id_char(s[n], allow_dot))
			return false;
	return n > 0;
}

/* True for ^[A-Za-z0-9._-]{1,39}$. Pure. */
bool backend_json_id_valid(const char *s)
{
	return token_valid(s, SESSION_ID_MAX, true);
}

/* True for ^[A-Za-z0-9_-]{1,64}$. Pure. */
bool backend_json_key_valid(const char *s)
{
	return token_valid(s, BACKEND_JSON_KEY_MAX, false);
}

/* ---- parsing ------------------------------------------------------------ */

/* Loads a whole document: trailing bytes, duplicate keys and NUL escapes
 * are refused; so is anything but an object at the top. */
static json_t *load_object(const char *buf, size_t len)
{
	json_error_t jerr;
	json_t *root;

	if (!buf || len == 0 || len > BACKEND_JSON_MAX_BYTES)
		return NULL;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root && !json_is_object(root)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* Copies the string member key of obj into dst[size]. It must exist, be a
 * string shorter than size, hold no control character, and be non-empty
 * if required. nullable: JSON null reads as "". */
static int get_string(const json_t *obj, const char *key, char *dst, size_t size, bool nonempty,
		      bool nullable)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;
	size_t n;

	if (!v)
		return -EBADMSG;
	if (nullable && json_is_null(v)) {
		dst[0] = '\0';
		return 0;
	}
	if (!json_is_string(v))
		return -EBADMSG;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n >= size || (nonempty && n == 0))
		return -EBADMSG;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -EBADMSG;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* YYYY-MM-DD, or an RFC 3339 date-time (seconds, optional fraction, Z or
 * an offset). Shape only: the calendar is the backend's business. */
static bool timestamp_valid(const char *s)
{
	size_t n = strlen(s), i = 10;

	if (n < 10 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) || s[7] != '-' ||
	    !all_digits(s + 8, 2))
		return false;
	if (n == 10)
		return true;
	if (n < 20 || s[10] != 'T' || !all_digits(s + 11, 2) || s[13] != ':' ||
	    !all_digits(s + 14, 2) || s[16] != ':' || !all_digits(s + 17, 2))
		return false;
	i = 19;
	if (s[i] == '.') {
		size_t digits = 0;

		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits < 1 || digits > 6)
			return false;
	}
	if (s[i] == 'Z')
		return s[i + 1] == '\0';
	if ((s[i] == '+' || s[i] == '-') && n - i == 6)
		return all_digits(s + i + 1, 2) && s[i + 3] == ':' && all_digits(s + i + 4, 2);
	return false;
}

static int get_bool(const json_t *obj, const char *key, bool *ret)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_boolean(v))
		return -EBADMSG;
	*ret = json_is_true(v);
	return 0;
}

static int parse_app(const json_t *o, struct session_app *app)
{
	char stage[24];
	bool ready;
	int r;

	if (!json_is_object(o))
		return -EBADMSG;
	if ((r = get_string(o, "id", app->id, sizeof(app->id), true, false)) < 0 ||
	    (r = get_string(o, "agency", app->agency, sizeof(app->agency), true, false)) < 0 ||
	    (r = get_string(o, "service", app->service, sizeof(app->service), true, false)) < 0 ||
	    (r = get_string(o, "stage", stage, sizeof(stage), true, false)) < 0 ||
	    (r = get_string(o, "updated_at", app->updated_at, sizeof(app->updated_at), true,
			    false)) < 0 ||
	    (r = get_string(o, "next_step", app->next_step, sizeof(app->next_step), false, false)) <
		    0 ||
	    (r = get_string(o, "document_id", app->document_id, sizeof(app->document_id), false,
			    true)) < 0 ||
	    (r = get_bool(o, "document_ready", &ready)) < 0)
		return r;
	if (!backend_json_id_valid(app->id) || !timestamp_valid(app->updated_at))
		return -EBADMSG;
	app->stage = session_stage_from_string(stage);
	if (app->stage < 0 || app->stage >= _SESSION_STAGE_MAX)
		return -EBADMSG;
	/* document_id is set exactly when a document is ready: a station
	 * must never offer to print something the backend did not vouch
	 * for, nor hide one it did. */
	if (ready != (app->document_id[0] != '\0'))
		return -EBADMSG;
	if (ready && !backend_json_id_valid(app->document_id))
		return -EBADMSG;
	return 0;
}

/* Fills a scratch result and copies it out only when all of it is valid,
 * so *ret_result is untouched on failure (STYLE.md rule 8). */
int backend_json_parse_lookup(const char *buf, size_t len, struct session_lookup_result *ret_result)
{
	struct session_lookup_result *res = NULL;
	json_t *root = load_object(buf, len), *apps;
	int r = -EBADMSG;

	if (!root || !ret_result)
		goto out;
	res = calloc(1, sizeof(*res));
	if (!res) {
		r = -ENOMEM;
		goto out;
	}
	if (get_string(root, "holder_name", res->holder_name, sizeof(res->holder_name), true,
		       false) < 0 ||
	    get_string(root, "nik", res->nik, sizeof(res->nik), false, true) < 0)
		goto out;
	if (res->nik[0] && (strlen(res->nik) != 16 || !all_digits(res->nik, 16)))
		goto out;
	apps = json_object_get(root, "applications");
	if (!json_is_array(apps) || json_array_size(apps) > SESSION_MAX_APPS)
		goto out;
	for (size_t i = 0; i < json_array_size(apps); i++)
		if (parse_app(json_array_get(apps, i), &res->apps[i]) < 0)
			goto out;
	res->n_apps = json_array_size(apps);
	memcpy(ret_result, res, sizeof(*res));
	r = 0;
out:
	if (res) {
		sodium_memzero(res, sizeof(*res));
		free(res);
	}
	json_decref(root);
	return r;
}

int backend_json_parse_error(const char *buf, size_t len, struct backend_json_error *ret_error)
{
	struct backend_json_error e = {0};
	json_t *root = load_object(buf, len), *err, *msg;
	char code[40];
	int r = -EBADMSG;

	if (!root || !ret_error)
		goto out;
	err = json_object_get(root, "error");
	if (!json_is_object(err))
		goto out;
	msg = json_object_get(err, "message");
	if (!json_is_object(msg) || get_string(err, "code", code, sizeof(code), true, false) < 0 ||
	    get_string(msg, "id", e.message_id, sizeof(e.message_id), false, false) < 0 ||
	    get_string(msg, "en", e.message_en, sizeof(e.message_en), false, false) < 0)
		goto out;
	e.code = backend_error_code_from_string(code);
	if (e.code < 0)
		goto out;
	*ret_error = e;
	r = 0;
out:
	json_decref(root);
	return r;
}

int backend_json_parse_ack(const char *buf, size_t len, const char *document_id,
			   struct backend_json_ack *ret_ack)
{
	struct backend_json_ack a = {0};
	json_t *root = load_object(buf, len);
	int r = -EBADMSG;

	if (!root || !ret_ack || !document_id)
		goto out;
	if (get_string(root, "document_id", a.document_id, sizeof(a.document_id), true, false) <
		    0 ||
	    get_string(root, "collected_at", a.collected_at, sizeof(a.collected_at), true, false) <
		    0 ||
	    get_bool(root, "replayed", &a.replayed) < 0)
		goto out;
	/* An acknowledgement of another document acknowledges nothing. */
	if (strcmp(a.document_id, document_id) != 0 || !timestamp_valid(a.collected_at))
		goto out;
	*ret_ack = a;
	r = 0;
out:
	json_decref(root);
	return r;
}

int backend_json_parse_heartbeat_ack(const char *buf, size_t len)
{
	json_t *root = load_object(buf, len);
	char at[32];
	int r = -EBADMSG;

	if (root && get_string(root, "received_at", at, sizeof(at), true, false) == 0 &&
	    timestamp_valid(at))
		r = 0;
	json_decref(root);
	return r;
}

/* RFC 9530 Repr-Digest is a structured-field dictionary: key=:base64:
 * entries separated by commas and optional spaces. Only sha-256 is
 * wanted; the others are skipped by shape. */
int backend_json_parse_digest(const char *value, size_t len, uint8_t ret_sha256[32])
{
	size_t i = 0;

	if (!value || !ret_sha256 || len > 1024)
		return -EBADMSG;
	while (i < len) {
		size_t key_start, key_end, b64_start, b64_end;

		while (i < len && (value[i] == ' ' || value[i] == '\t'))
			i++;
		key_start = i;
		while (i < len && ((value[i] >= 'a' && value[i] <= 'z') ||
				   (value[i] >= '0' && value[i] <= '9') || value[i] == '-' ||
				   value[i] == '_' || value[i] == '*' || value[i] == '.'))
			i++;
		key_end = i;
		if (key_end == key_start || i + 1 >= len || value[i] != '=' || value[i + 1] != ':')
			return -EBADMSG;
		i += 2;
		b64_start = i;
		while (i < len && value[i] != ':')
			i++;
		if (i >= len)
			return -EBADMSG;
		b64_end = i++;
		if (key_end - key_start == 7 && memcmp(value + key_start, "sha-256", 7) == 0) {
			char b64[48];
			uint8_t bin[32];
			size_t bin_len = 0;

			/* 32 bytes are exactly 44 base64 characters, padded. */
			if (b64_end - b64_start != 44)
				return -EBADMSG;
			memcpy(b64, value + b64_start, 44);
			b64[44] = '\0';
			if (sodium_base642bin(bin, sizeof(bin), b64, 44, NULL, &bin_len, NULL,
					      sodium_base64_VARIANT_ORIGINAL) != 0 ||
			    bin_len != 32)
				return -EBADMSG;
			memcpy(ret_sha256, bin, 32);
			return 0;
		}
		while (i < len && (value[i] == ' ' || value[i] == '\t'))
			i++;
		if (i < len && value[i++] != ',')
			return -EBADMSG;
	}
	return -EBADMSG;
}

int backend_json_status_to_errno(long http_status, const struct backend_json_error *err)
{
	if (err) {
		switch (err->code) {
		case BACKEND_ERROR_TOKEN_INVALID:
			return -EKEYREJECTED;
		case BACKEND_ERROR_TOKEN_EXPIRED:
			return -EKEYEXPIRED;
		default:
			break;
		}
	}
	if (http_status == 404)
		return -ENOENT;
	if (http_status == 401)
		return -EACCES;
	if (http_status == 403)
		return err ? -EKEYREJECTED : -EACCES;
	if (http_status == 409 || http_status == 422)
		return -EEXIST;
	if (http_status >= 500 && http_status <= 599)
		return -EHOSTUNREACH;
	return -EPROTO;
}

/* ---- encoding ----------------------------------------------------------- */

/* Takes a reference to a built object, dumps it, and drops it. */
static char *dump(json_t *o)
{
	char *s = NULL;

	if (o)
		s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

char *backend_json_lookup_card_request(const uint8_t *uid, size_t uid_len, const char *nik)
{
	char hex[2 * 10 + 1];
	json_t *o;

	if (!uid || (uid_len != 4 && uid_len != 7 && uid_len != 10))
		return NULL;
	for (size_t i = 0; i < uid_len; i++)
		snprintf(hex + 2 * i, 3, "%02X", uid[i]);
	if (nik && *nik && (strlen(nik) != 16 || !all_digits(nik, 16)))
		return NULL;
	o = json_pack("{ss}", "card_uid", hex);
	if (o && nik && *nik && json_object_set_new(o, "nik", json_string(nik)) < 0) {
		json_decref(o);
		o = NULL;
	}
	sodium_memzero(hex, sizeof(hex));
	return dump(o);
}

char *backend_json_lookup_qr_request(const char *token)
{
	if (!token || strnlen(token, SESSION_TOKEN_MAX + 1) > SESSION_TOKEN_MAX)
		return NULL;
	return dump(json_pack("{ss}", "qr", token));
}

char *backend_json_collected_request(const char *station, const char *job, const char *printed_at)
{
	if (!backend_json_id_valid(station) || !backend_json_id_valid(job) || !printed_at)
		return NULL;
	return dump(
		json_pack("{ss ss ss}", "station", station, "printed_at", printed_at, "job", job));
}

static json_t *encode_app(const struct session_app *a)
{
	const char *stage = session_stage_to_string(a->stage);
	bool ready = a->document_id[0] != '\0';

	if (!stage)
		return NULL;
	return json_pack("{ss ss ss ss ss ss sb so}", "id", a->id, "agency", a->agency, "service",
			 a->service, "stage", stage, "updated_at", a->updated_at, "next_step",
			 a->next_step, "document_ready", ready, "document_id",
			 ready ? json_string(a->document_id) : json_null());
}

char *backend_json_encode_lookup(const struct session_lookup_result *r)
{
	json_t *o, *apps;

	if (!r || r->n_apps > SESSION_MAX_APPS)
		return NULL;
	apps = json_array();
	o = json_pack("{ss so so}", "holder_name", r->holder_name, "nik",
		      r->nik[0] ? json_string(r->nik) : json_null(), "applications", apps);
	if (!o)
		return NULL;
	for (size_t i = 0; i < r->n_apps; i++)
		if (json_array_append_new(apps, encode_app(&r->apps[i])) < 0) {
			json_decref(o);
			return NULL;
		}
	return dump(o);
}

char *backend_json_encode_error(enum backend_error_code code, const char *message_id,
				const char *message_en)
{
	const char *name = backend_error_code_to_string(code);

	if (!name)
		return NULL;
	return dump(json_pack("{s{ss s{ss ss}}}", "error", "code", name, "message", "id",
			      message_id ? message_id : "", "en", message_en ? message_en : ""));
}
