/* SPDX-License-Identifier: MIT */
/*
 * `station lookup`: ask the backend what the kiosk would ask after a card
 * tap or a QR scan, and print the answer, masked. For technicians and
 * tests: it goes through the same back ends (backend-http.c, or sim:) and
 * the same offline QR check as the kiosk.
 *
 * Exit codes (sysexits): 0 found; 64 bad command line; 65 a QR token
 * refused (offline or by the backend); 67 nothing found; 69 backend
 * unreachable (down, timed out, TLS failed); 76 the backend's answer was
 * invalid or it refused our request; 77 the station is not authorised;
 * 78 a bad configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>

#include "backend-http.h"
#include "backend-json.h"
#include "backend.h"
#include "commands.h"
#include "config.h"
#include "demo-data.h"
#include "privacy.h"
#include "qr-token.h"
#include "session.h"

#define DEFAULT_RETRIES 2

struct lookup_args {
	const char *qr;
	const char *card_uid;
	const char *backend;
	const char *config;
	const char *token_file;
	const char *ca_file;
	const char *client_cert, *client_key;
	unsigned long timeout_ms;
	bool json;
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: station lookup (--qr TOKEN | --card-uid HEX) [--backend URL] [--json]\n"
		   "                      [--config FILE] [--token-file FILE] [--ca-file PEM]\n"
		   "                      [--client-cert PEM --client-key PEM] [--timeout MS]\n"
		   "\n"
		   "Asks the backend for the applications of a card holder, or the one a QR token\n"
		   "names, and prints them with the holder's name and NIK masked.\n"
		   "\n"
		   "  --qr TOKEN          an MPP QR token; checked offline first against the\n"
		   "                      configured keys (the demo key when there is no config)\n"
		   "  --card-uid HEX      an e-KTP UID, 4, 7 or 10 bytes in hex (colons allowed)\n"
		   "  --backend URL       https://..., http://127.0.0.1:PORT (mpp-sim) or sim:;\n"
		   "                      default: [backend] url of the configuration\n"
		   "  --json              {\"holder_name\", \"nik\", \"applications\": [{\"id\",\n"
		   "                      \"agency\", \"service\", \"stage\", \"updated_at\",\n"
		   "                      \"next_step\", \"document_ready\", \"document_id\"}]}, "
		   "name\n"
		   "                      and NIK masked\n"
		   "  --config FILE       default: " CONFIG_DEFAULT_PATH " if it exists\n"
		   "  --token-file FILE   bearer token (first line); default: the secrets file's\n"
		   "  --ca-file PEM       CAs to trust; default: [backend] ca_file\n"
		   "  --client-cert PEM   client certificate (mTLS) and its --client-key\n"
		   "  --timeout MS        per attempt; default: [backend] timeout\n"
		   "\n"
		   "Exit: 0 found, 65 QR token refused, 67 not found, 69 backend unreachable,\n"
		   "76 invalid answer, 77 not authorised, 78 bad configuration.\n");
}

static int parse_uid(const char *s, uint8_t *uid, size_t *ret_len)
{
	size_t n = 0;

	for (const char *p = s; *p;) {
		unsigned hi, lo;

		if (*p == ':' && p != s) {
			p++;
			continue;
		}
		if (n >= 10 || sscanf(p, "%1x%1x", &hi, &lo) != 2)
			return -EINVAL;
		uid[n++] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	if (n != 4 && n != 7 && n != 10)
		return -EINVAL;
	*ret_len = n;
	return 0;
}

static int read_token(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	int r = -EINVAL;

	if (!f)
		return -errno;
	if (fgets(buf, (int)size, f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		r = *buf ? 0 : -EINVAL;
	}
	fclose(f);
	return r;
}

static int exit_code(int r)
{
	switch (r) {
	case -ENOENT:
		return EX_NOUSER;
	case -EACCES:
		return EX_NOPERM;
	case -EKEYREJECTED:
	case -EKEYEXPIRED:
		return EX_DATAERR;
	case -EBADMSG:
	case -EPROTO:
	case -EEXIST:
		return EX_PROTOCOL;
	case -ENOMEM:
		return EX_OSERR;
	default:
		return EX_UNAVAILABLE;
	}
}

static const char *error_text(int r)
{
	switch (r) {
	case -ENOENT:
		return "not found";
	case -EACCES:
		return "this station is not authorised by the backend";
	case -EKEYREJECTED:
		return "the backend refused the QR token";
	case -EKEYEXPIRED:
		return "the backend says the QR token has expired";
	case -EBADMSG:
		return "the backend's answer is invalid";
	case -EPROTO:
		return "the backend refused the request";
	case -ECONNABORTED:
		return "TLS failed (certificate not trusted, or ours refused)";
	case -ETIMEDOUT:
		return "the backend did not answer in time";
	case -ECONNREFUSED:
	case -EHOSTUNREACH:
		return "the backend is unreachable";
	default:
		return strerror(-r);
	}
}

static void print_text(const struct session_lookup_result *res)
{
	char name[64], nik[64];

	printf("Holder: %s\n", privacy_mask_name(res->holder_name, name, sizeof(name)));
	printf("NIK:    %s\n", res->nik[0] ? privacy_mask_nik(res->nik, nik, sizeof(nik)) : "-");
	printf("Applications: %zu\n", res->n_apps);
	for (size_t i = 0; i < res->n_apps; i++) {
		const struct session_app *a = &res->apps[i];

		printf("\n%s  %s: %s\n", a->id, a->agency, a->service);
		printf("  stage:    %s (updated %s)\n", session_stage_to_string(a->stage),
		       a->updated_at);
		if (a->next_step[0])
			printf("  next:     %s\n", a->next_step);
		if (a->document_id[0])
			printf("  document: %s, ready to collect\n", a->document_id);
	}
}

static int print_json(const struct session_lookup_result *res)
{
	char name[64], nik[64], *text;
	json_t *apps = json_array(), *o;

	o = json_pack("{ss so so}", "holder_name",
		      privacy_mask_name(res->holder_name, name, sizeof(name)), "nik",
		      res->nik[0] ? json_string(privacy_mask_nik(res->nik, nik, sizeof(nik)))
				  : json_null(),
		      "applications", apps);
	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < res->n_apps; i++) {
		const struct session_app *a = &res->apps[i];
		bool ready = a->document_id[0] != '\0';

		if (json_array_append_new(
			    apps, json_pack("{ss ss ss ss ss ss sb so}", "id", a->id, "agency",
					    a->agency, "service", a->service, "stage",
					    session_stage_to_string(a->stage), "updated_at",
					    a->updated_at, "next_step", a->next_step,
					    "document_ready", ready, "document_id",
					    ready ? json_string(a->document_id) : json_null())) <
		    0) {
			json_decref(o);
			return -ENOMEM;
		}
	}
	text = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
	if (!text)
		return -ENOMEM;
	printf("%s\n", text);
	free(text);
	return 0;
}

static int parse_args(int argc, char **argv, struct lookup_args *a)
{
	static const struct option opts[] = {
		{"qr", required_argument, NULL, 'q'},
		{"card-uid", required_argument, NULL, 'u'},
		{"backend", required_argument, NULL, 'b'},
		{"json", no_argument, NULL, 'j'},
		{"config", required_argument, NULL, 'c'},
		{"token-file", required_argument, NULL, 't'},
		{"ca-file", required_argument, NULL, 'A'},
		{"client-cert", required_argument, NULL, 'C'},
		{"client-key", required_argument, NULL, 'K'},
		{"timeout", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	char *end;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			a->qr = optarg;
			break;
		case 'u':
			a->card_uid = optarg;
			break;
		case 'b':
			a->backend = optarg;
			break;
		case 'j':
			a->json = true;
			break;
		case 'c':
			a->config = optarg;
			break;
		case 't':
			a->token_file = optarg;
			break;
		case 'A':
			a->ca_file = optarg;
			break;
		case 'C':
			a->client_cert = optarg;
			break;
		case 'K':
			a->client_key = optarg;
			break;
		case 'T':
			errno = 0;
			a->timeout_ms = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || a->timeout_ms == 0 ||
			    a->timeout_ms > 3600000) {
				fprintf(stderr, "station lookup: --timeout wants milliseconds\n");
				return EX_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return EX_OK + 1000; /* done, success */
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc || !a->qr == !a->card_uid || !a->client_cert != !a->client_key) {
		usage(stderr);
		return EX_USAGE;
	}
	return -1;
}

/* Checks the token offline as the kiosk does, before any network call. */
static int verify_qr(const char *token, const struct station_config *cfg, bool have_config)
{
	struct qr_key keys[CONFIG_QR_KEYS_MAX];
	struct qr_keyring ring = {.keys = keys, .clock_skew_s = (int64_t)cfg->qr_clock_skew_s};
	struct qr_token t;
	enum qr_verdict v;
	uint8_t secret[64];

	for (size_t i = 0; i < cfg->n_qr_keys; i++) {
		snprintf(keys[i].id, sizeof(keys[i].id), "%s", cfg->qr_keys[i].id);
		memcpy(keys[i].public_key, cfg->qr_keys[i].public_key, 32);
	}
	ring.n = cfg->n_qr_keys;
	if (ring.n == 0 && !have_config) {
		/* A developer's machine with no station.conf: the demo key,
		 * so that mpp-sim's tokens work out of the box. */
		demo_qr_keypair(keys[0].public_key, secret);
		sodium_memzero(secret, sizeof(secret));
		snprintf(keys[0].id, sizeof(keys[0].id), "%s", DEMO_QR_KEY_ID);
		ring.n = 1;
		fprintf(stderr, "station lookup: no configuration: QR tokens are checked against "
				"the demo key\n");
	}
	v = qr_token_verify(token, strlen(token), &ring, time(NULL), &t);
	sodium_memzero(&t, sizeof(t));
	if (v != QR_VALID) {
		fprintf(stderr, "station lookup: QR token refused: %s\n", qr_verdict_to_string(v));
		return EX_DATAERR;
	}
	return 0;
}

static int open_backend(const struct lookup_args *a, const struct station_config *cfg,
			const char *url, struct backend **ret)
{
	struct station_secrets *secrets = NULL;
	struct config_errors *errs = NULL;
	char token[256] = "";
	int r;

	if (strncmp(url, "sim:", 4) == 0)
		return backend_sim_new(ret);
	if (a->token_file) {
		r = read_token(a->token_file, token, sizeof(token));
		if (r < 0) {
			fprintf(stderr, "station lookup: cannot read token file %s\n",
				a->token_file);
			return EX_NOINPUT;
		}
	} else if (cfg->secrets_file[0]) {
		secrets = calloc(1, sizeof(*secrets));
		errs = calloc(1, sizeof(*errs));
		r = !secrets || !errs ? -ENOMEM
				      : config_load_secrets(cfg->secrets_file, secrets, errs);
		if (r == 0)
			snprintf(token, sizeof(token), "%s", secrets->backend_token);
		if (secrets) {
			config_secrets_wipe(secrets);
			free(secrets);
		}
		free(errs);
		if (r < 0) {
			fprintf(stderr, "station lookup: secrets file %s: %s\n", cfg->secrets_file,
				strerror(-r));
			return EX_CONFIG;
		}
	}
	{
		const struct backend_http_config hc = {
			.url = url,
			.station_id = cfg->station_id[0] ? cfg->station_id : "station-lookup",
			.connect_timeout_ms = cfg->backend_connect_timeout_ms,
			.timeout_ms = a->timeout_ms ? a->timeout_ms : cfg->backend_timeout_ms,
			.retries = DEFAULT_RETRIES,
			.ca_file = a->ca_file ? a->ca_file : cfg->backend_ca_file,
			.client_cert = a->client_cert,
			.client_key = a->client_key,
			.bearer_token = token,
		};

		r = backend_http_new(&hc, ret);
	}
	sodium_memzero(token, sizeof(token));
	if (r < 0) {
		fprintf(stderr, "station lookup: backend '%s': %s\n", url,
			r == -EINVAL ? "not https://, nor http:// to this machine, nor sim:"
				     : strerror(-r));
		return EX_CONFIG;
	}
	return 0;
}

/* Returns a sysexits code. Blocks on the network for up to the configured
 * timeouts; the main thread (a CLI has no owner loop to protect). */
int cmd_lookup(int argc, char **argv)
{
	struct lookup_args a = {0};
	struct station_config *cfg = calloc(1, sizeof(*cfg));
	struct config_errors *errs = calloc(1, sizeof(*errs));
	struct session_lookup_result *res = calloc(1, sizeof(*res));
	struct backend *b = NULL;
	const char *path;
	bool have_config = false;
	uint8_t uid[10];
	size_t uid_len = 0;
	struct stat sb;
	int ret, r;

	if (!cfg || !errs || !res) {
		ret = EX_OSERR;
		goto out;
	}
	ret = parse_args(argc, argv, &a);
	if (ret >= 0) {
		ret = ret == EX_OK + 1000 ? EX_OK : ret;
		goto out;
	}
	if (a.card_uid && parse_uid(a.card_uid, uid, &uid_len) < 0) {
		fprintf(stderr, "station lookup: --card-uid wants 4, 7 or 10 bytes in hex\n");
		ret = EX_USAGE;
		goto out;
	}
	if (a.qr && strlen(a.qr) > SESSION_TOKEN_MAX) {
		fprintf(stderr, "station lookup: QR token refused: too long\n");
		ret = EX_DATAERR;
		goto out;
	}

	path = a.config ? a.config
			: (stat(CONFIG_DEFAULT_PATH, &sb) == 0 ? CONFIG_DEFAULT_PATH : NULL);
	if (path) {
		r = config_load(path, cfg, errs);
		if (r < 0) {
			for (size_t i = 0; i < errs->n; i++)
				fprintf(stderr, "%s:%u: %s\n", path, errs->e[i].line,
					errs->e[i].message);
			ret = r == -ENOENT ? EX_NOINPUT : EX_CONFIG;
			goto out;
		}
		have_config = true;
	} else {
		config_defaults(cfg);
	}

	if (a.qr) {
		ret = verify_qr(a.qr, cfg, have_config);
		if (ret != 0)
			goto out;
	}
	ret = open_backend(&a, cfg, a.backend ? a.backend : cfg->backend_url, &b);
	if (ret != 0)
		goto out;

	r = a.qr ? b->ops->lookup_qr(b, a.qr, res)
		 : b->ops->lookup_card(b, uid, uid_len, NULL, res);
	if (r < 0) {
		fprintf(stderr, "station lookup: %s\n", error_text(r));
		ret = exit_code(r);
		goto out;
	}
	if (a.json)
		r = print_json(res);
	else
		print_text(res);
	ret = r < 0 ? EX_OSERR : EX_OK;
out:
	b = backend_free(b);
	if (res) {
		sodium_memzero(res, sizeof(*res));
		free(res);
	}
	sodium_memzero(uid, sizeof(uid));
	free(errs);
	free(cfg);
	return ret;
}
