/* SPDX-License-Identifier: MIT */
/*
 * `station scan`: decode the QR code in image files with the camera's own
 * decoder (qr-scanner.h: downscale, retries) and verify it offline as an
 * MPP token, as the kiosk would. The token text itself is never printed.
 *
 * Exit codes (sysexits): 0 every file held a valid code; 64 bad command
 * line; 65 some file held no code, or a code that is not a valid MPP
 * token; 66 a file could not be read.
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
		"Decodes the QR code in each image (PNG, JPEG or PGM) and verifies it offline\n"
		"as an MPP token. Prints one verdict per file: valid (with the application,\n"
		"document, expiry and key id), expired, bad signature, unknown key, malformed,\n"
		"too long, not an MPP code, or no code found. The token is never printed.\n"
		"\n"
		"  --json              one JSON object per line: {\"file\", \"verdict\", "
		"\"codes\",\n"
		"                      and for a valid code \"application_id\", \"document_id\",\n"
		"                      \"expires\", \"key_id\"}\n"
		"  --key ID=BASE64     a public key (32-byte Ed25519, base64) tokens may name;\n"
		"                      repeat for several (at most 8)\n"
		"  --demo-key          also accept the demo key (" DEMO_QR_KEY_ID "); the default\n"
		"                      when no --key is given\n"
		"  --clock-skew S      expiry allowance in seconds (default 0)\n"
		"\n"
		"Exit: 0 every file held a valid code, 65 otherwise, 66 a file unreadable.\n");
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

static void print_result(bool json, const char *file, const char *verdict, int codes,
			 const struct qr_token *t)
{
	if (json) {
		json_t *o = json_object();
		char *s;

		json_object_set_new(o, "file", json_string(file));
		json_object_set_new(o, "verdict", json_string(verdict));
		json_object_set_new(o, "codes", json_integer(codes));
		if (t) {
			json_object_set_new(o, "application_id", json_string(t->application_id));
			json_object_set_new(o, "document_id", json_string(t->document_id));
			json_object_set_new(o, "expires", json_integer(t->expires));
			json_object_set_new(o, "key_id", json_string(t->key_id));
		}
		s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(o);
		return;
	}
	if (t)
		printf("%s: valid: application %s, document %s, expires %lld, key %s\n", file,
		       t->application_id, t->document_id[0] ? t->document_id : "-",
		       (long long)t->expires, t->key_id);
	else
		printf("%s: %s\n", file, verdict);
}

/* 0 valid, EX_DATAERR, EX_NOINPUT. */
static int scan_file(struct qr_scanner *sc, const struct qr_keyring *ring, bool json,
		     const char *file)
{
	char text[SESSION_TOKEN_MAX + 2];
	uint8_t *gray = NULL;
	size_t len = 0;
	int w, h, r, status;
	struct qr_token t;
	enum qr_verdict v;

	r = camera_load_image(file, &gray, &w, &h);
	if (r < 0) {
		if (json)
			print_result(json, file, r == -EFBIG ? "too large" : "unreadable", 0, NULL);
		else
			fprintf(stderr, "station scan: %s: %s\n", file,
				r == -EIO ? "not a PNG, JPEG or PGM image" : strerror(-r));
		return r == -EFBIG || r == -EIO ? EX_DATAERR : EX_NOINPUT;
	}
	r = qr_scanner_decode(sc, gray, w, h, w, true, text, sizeof(text), &len);
	free(gray);
	if (r == -ENOMSG) {
		print_result(json, file, "no code found", 0, NULL);
		return EX_DATAERR;
	}
	if (r < 0) {
		fprintf(stderr, "station scan: %s: %s\n", file, strerror(-r));
		return EX_DATAERR;
	}
	/* A longer code was cut: still too long, which the verdict says. */
	if (len > SESSION_TOKEN_MAX + 1)
		len = SESSION_TOKEN_MAX + 1;
	v = qr_token_verify(text, len, ring, (int64_t)time(NULL), &t);
	sodium_memzero(text, sizeof(text));
	print_result(json, file, verdict_text(v), r, v == QR_VALID ? &t : NULL);
	status = v == QR_VALID ? EX_OK : EX_DATAERR;
	sodium_memzero(&t, sizeof(t));
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
