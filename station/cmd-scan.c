/* SPDX-License-Identifier: MIT */
/*
 * `station scan`: decode every QR code in image files with the camera's
 * own decoder (qr-scanner.h: downscale, retries) and verify each offline
 * as an MPP token, as the kiosk would. The token text itself is never
 * printed.
 *
 * Exit codes (sysexits): 0 every file held at least one code and every
 * code was valid; 64 bad command line; 65 some file held no code, or a
 * code that is not a valid MPP token; 66 a file could not be read.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "camera.h"
#include "commands.h"
#include "demo-data.h"
#include "qr-scanner.h"
#include "qr-token.h"

#define MAX_KEYS 8

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: station scan [--json] [--key ID=BASE64 ...] [--demo-key] FILE...\n"
		"\n"
		"Decodes every QR code in each image (PNG, JPEG or PGM) and verifies each\n"
		"offline as an MPP token. Prints one verdict per code, \"FILE: VERDICT\" (or\n"
		"\"FILE [I/N]: VERDICT\" when a file holds N > 1 codes, top to bottom, then\n"
		"left to right): valid (with the application, document, expiry and key id),\n"
		"expired, bad signature, unknown key, malformed, too long, not an MPP code;\n"
		"or \"FILE: no code found\". The same payload twice in a file counts once.\n"
		"The token is never printed.\n"
		"\n"
		"  --json              one JSON object per file and line: {\"file\", \"verdict\",\n"
		"                      \"codes\": [...]}, codes an array (empty when none) of\n"
		"                      {\"verdict\", \"x\", \"y\" (the code's top-left pixel), "
		"and\n"
		"                      for a valid code \"application_id\", \"document_id\",\n"
		"                      \"expires\", \"key_id\"}; the file's verdict is its\n"
		"                      codes' when they agree, otherwise \"mixed\"\n"
		"  --key ID=BASE64     a public key (32-byte Ed25519, base64) tokens may name;\n"
		"                      repeat for several (at most 8)\n"
		"  --demo-key          also accept the demo key (" DEMO_QR_KEY_ID "); the default\n"
		"                      when no --key is given\n"
		"  --clock-skew S      expiry allowance in seconds (default 0)\n"
		"\n"
		"Exit: 0 when every file held at least one code and every code was valid;\n"
		"65 otherwise (no code, or any code not valid); 66 a file unreadable.\n");
}

static int parse_key(const char *arg, struct qr_key *ret_key)
{
	const char *eq = strchr(arg, '=');
	struct qr_key k = {0};
	size_t id_len, bin_len = 0;
	static const int variants[] = {
		sodium_base64_VARIANT_ORIGINAL,
		sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
		sodium_base64_VARIANT_URLSAFE,
		sodium_base64_VARIANT_URLSAFE_NO_PADDING,
	};

	if (!eq)
		return -EINVAL;
	id_len = (size_t)(eq - arg);
	if (id_len == 0 || id_len > QR_KEY_ID_MAX)
		return -EINVAL;
	memcpy(k.id, arg, id_len);
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		if (sodium_base642bin(k.public_key, sizeof(k.public_key), eq + 1, strlen(eq + 1),
				      NULL, &bin_len, NULL, variants[i]) == 0 &&
		    bin_len == sizeof(k.public_key)) {
			*ret_key = k;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *verdict_text(enum qr_verdict v)
{
	switch (v) {
	case QR_VALID:
		return "valid";
	case QR_NOT_MPP:
		return "not an MPP code";
	case QR_MALFORMED:
		return "malformed";
	case QR_TOO_LONG:
		return "too long";
	case QR_UNKNOWN_KEY:
		return "unknown key";
	case QR_BAD_SIGNATURE:
		return "bad signature";
	case QR_EXPIRED:
		return "expired";
	default:
		return "invalid";
	}
}

/* A file-level outcome: no code, unreadable, too large. */
static void print_file_result(bool json, const char *file, const char *verdict)
{
	if (json) {
		json_t *o =
			json_pack("{s:s, s:s, s:[]}", "file", file, "verdict", verdict, "codes");
		char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(o);
		return;
	}
	printf("%s: %s\n", file, verdict);
}

static void print_code_text(const char *file, int i, int n, enum qr_verdict v,
			    const struct qr_token *t)
{
	char which[32] = "";

	if (n > 1)
		snprintf(which, sizeof(which), " [%d/%d]", i + 1, n);
	if (v == QR_VALID)
		printf("%s%s: valid: application %s, document %s, expires %lld, key %s\n", file,
		       which, t->application_id, t->document_id[0] ? t->document_id : "-",
		       (long long)t->expires, t->key_id);
	else
		printf("%s%s: %s\n", file, which, verdict_text(v));
}

static json_t *code_json(const struct qr_scanner_code *c, enum qr_verdict v,
			 const struct qr_token *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "verdict", json_string(verdict_text(v)));
	json_object_set_new(o, "x", json_integer(c->x));
	json_object_set_new(o, "y", json_integer(c->y));
	if (v == QR_VALID) {
		json_object_set_new(o, "application_id", json_string(t->application_id));
		json_object_set_new(o, "document_id", json_string(t->document_id));
		json_object_set_new(o, "expires", json_integer(t->expires));
		json_object_set_new(o, "key_id", json_string(t->key_id));
	}
	return o;
}

/* The file-level verdict of a JSON line: the codes' own when they agree,
 * "valid" only when all are, "mixed" otherwise. */
static const char *summary_verdict(const enum qr_verdict *v, int n)
{
	for (int i = 1; i < n; i++)
		if (v[i] != v[0])
			return "mixed";
	return verdict_text(v[0]);
}

/* Every code of the file, each verified. 0 when there was at least one
 * and all are valid, EX_DATAERR, EX_NOINPUT. */
static int scan_file(struct qr_scanner *sc, const struct qr_keyring *ring, bool json,
		     const char *file)
{
	struct qr_scanner_code codes[QR_SCANNER_CODES_MAX];
	enum qr_verdict verdicts[QR_SCANNER_CODES_MAX] = {0};
	uint8_t *gray = NULL;
	json_t *arr = NULL;
	int w, h, r, n, status = EX_OK;

	r = camera_load_image(file, &gray, &w, &h);
	if (r < 0) {
		if (json)
			print_file_result(json, file, r == -EFBIG ? "too large" : "unreadable");
		else
			fprintf(stderr, "station scan: %s: %s\n", file,
				r == -EIO ? "not a PNG, JPEG or PGM image" : strerror(-r));
		return r == -EFBIG || r == -EIO ? EX_DATAERR : EX_NOINPUT;
	}
	n = qr_scanner_decode_all(sc, gray, w, h, w, codes);
	free(gray);
	if (n == -ENOMSG) {
		print_file_result(json, file, "no code found");
		return EX_DATAERR;
	}
	if (n < 0) {
		fprintf(stderr, "station scan: %s: %s\n", file, strerror(-n));
		return EX_DATAERR;
	}
	if (json)
		arr = json_array();
	for (int i = 0; i < n; i++) {
		struct qr_token t;
		/* A code longer than any token is too long, whatever it holds. */
		size_t len =
			codes[i].len > SESSION_TOKEN_MAX + 1 ? SESSION_TOKEN_MAX + 1 : codes[i].len;

		verdicts[i] = qr_token_verify(codes[i].data, len, ring, (int64_t)time(NULL), &t);
		if (json)
			json_array_append_new(arr, code_json(&codes[i], verdicts[i], &t));
		else
			print_code_text(file, i, n, verdicts[i], &t);
		if (verdicts[i] != QR_VALID)
			status = EX_DATAERR;
		sodium_memzero(&t, sizeof(t));
	}
	qr_scanner_codes_free(codes, (size_t)n);
	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:o}", "file", file, "verdict",
				      summary_verdict(verdicts, n), "codes", arr);
		char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(o);
	}
	return status;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},     {"key", required_argument, NULL, 'k'},
		{"demo-key", no_argument, NULL, 'd'}, {"clock-skew", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},     {0},
	};
	struct qr_key keys[MAX_KEYS + 1];
	struct qr_keyring ring = {.keys = keys};
	struct qr_scanner *sc = NULL;
	bool json = false, demo = false;
	int c, status = EX_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'k':
			if (ring.n >= MAX_KEYS || parse_key(optarg, &keys[ring.n]) < 0) {
				fprintf(stderr,
					"station scan: bad --key (ID=BASE64 of a 32-byte key, "
					"at most %d)\n",
					MAX_KEYS);
				return EX_USAGE;
			}
			ring.n++;
			break;
		case 'd':
			demo = true;
			break;
		case 's': {
			char *end;
			long long v;

			errno = 0;
			v = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 || v > 86400) {
				fprintf(stderr, "station scan: bad --clock-skew\n");
				return EX_USAGE;
			}
			ring.clock_skew_s = v;
			break;
		}
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (sodium_init() < 0)
		return EX_SOFTWARE;
	if (demo || ring.n == 0) {
		uint8_t secret[64];

		memset(&keys[ring.n], 0, sizeof(keys[ring.n]));
		snprintf(keys[ring.n].id, sizeof(keys[ring.n].id), "%s", DEMO_QR_KEY_ID);
		demo_qr_keypair(keys[ring.n].public_key, secret);
		sodium_memzero(secret, sizeof(secret));
		ring.n++;
	}
	if (qr_scanner_new(NULL, &sc) < 0)
		return EX_SOFTWARE;
	for (int i = optind; i < argc; i++) {
		int r = scan_file(sc, &ring, json, argv[i]);

		/* A missing file outranks a bad code. */
		if (r == EX_NOINPUT || (r != EX_OK && status == EX_OK))
			status = r;
	}
	qr_scanner_free(sc);
	return status;
}
