/* SPDX-License-Identifier: MIT */
/*
 * mpp-sim: the reference backend. Implements docs/api/openapi.yaml on the
 * demo data (demo-data.h) for the demo and the tests; not for production.
 *
 *   mpp-sim [serve] [--listen ADDR:PORT] [--db FILE] [--port-file F] ...
 *   mpp-sim list
 *   mpp-sim issue-token --application ID [--expired] [--ttl S] [--key FILE]
 *   mpp-sim keygen --id KID --out FILE
 *
 * Exit codes per sysexits(3).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "demo-data.h"
#include "privacy.h"
#include "session.h"
#include "sim.h"

#define PEM_MAX (64 * 1024)

/* A QR signing key: id and libsodium's 64-byte secret (whose second half
 * is the public key). */
struct signing_key {
	char id[QR_KEY_ID_MAX + 1];
	uint8_t secret[64];
};

static void demo_key(struct signing_key *k)
{
	uint8_t pub[32];

	demo_qr_keypair(pub, k->secret);
	snprintf(k->id, sizeof(k->id), "%s", DEMO_QR_KEY_ID);
}

/* A key file holds one line: "<kid> <base64 of the 64-byte secret>". */
static int load_key(const char *path, struct signing_key *ret)
{
	char line[256], b64[200];
	struct signing_key k = {0};
	size_t len = 0;
	FILE *f = fopen(path, "re");
	int r = -EINVAL;

	if (!f)
		return -errno;
	if (fgets(line, sizeof(line), f) && sscanf(line, "%32s %199s", k.id, b64) == 2 &&
	    sodium_base642bin(k.secret, sizeof(k.secret), b64, strlen(b64), NULL, &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) == 0 &&
	    len == sizeof(k.secret)) {
		*ret = k;
		r = 0;
	}
	sodium_memzero(line, sizeof(line));
	sodium_memzero(b64, sizeof(b64));
	sodium_memzero(&k, sizeof(k));
	fclose(f);
	return r;
}

static int read_file(const char *path, char **ret)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return -errno;
	buf = malloc(PEM_MAX + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, PEM_MAX, f);
	fclose(f);
	if (n == 0 || n == PEM_MAX) {
		free(buf);
		return -EINVAL;
	}
	buf[n] = '\0';
	*ret = buf;
	return 0;
}

/* ---- serve -------------------------------------------------------------- */

static void serve_usage(FILE *f)
{
	fprintf(f,
		"Usage: mpp-sim [serve] [OPTIONS]\n"
		"\n"
		"Serves the station-backend contract (docs/api/openapi.yaml) on the demo data.\n"
		"\n"
		"  --listen ADDR:PORT   address (default 127.0.0.1:8080; port 0 = any free port,\n"
		"                       printed on stdout)\n"
		"  --db FILE            SQLite database (default: in memory); seeded when empty\n"
		"  --port-file FILE     write the port there once listening\n"
		"  --tls-cert PEM       serve HTTPS with this certificate ...\n"
		"  --tls-key PEM        ... and this key\n"
		"  --token-file FILE    require 'Authorization: Bearer <first line of FILE>'\n"
		"  --key FILE           QR signing key (mpp-sim keygen); default: the demo key\n"
		"  --quiet              no request log on stderr\n"
		"  --parent PID         stop when PID, the process that started this one, ends\n"
		"Faults (also POST /admin/faults with the same names in JSON):\n"
		"  --latency MS  --status CODE  --malformed  --truncate  --drip MS\n"
		"  --content-type TYPE  --expired-tokens  --pad BYTES\n");
}

static int parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || *s == '-')
		return -EINVAL;
	*ret = v;
	return 0;
}

static int parse_listen(const char *s, char *addr, size_t size, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	unsigned long p;

	if (!colon || (size_t)(colon - s) >= size || colon == s ||
	    parse_uint(colon + 1, 65535, &p) < 0)
		return -EINVAL;
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	*port = (uint16_t)p;
	return 0;
}

static int write_port_file(const char *path, uint16_t port)
{
	char tmp[4096];
	FILE *f;

	/* Written whole and renamed, so a waiting test never reads half. */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%u\n", port);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		return -errno;
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"db", required_argument, NULL, 'd'},
		{"port-file", required_argument, NULL, 'p'},
		{"tls-cert", required_argument, NULL, 'c'},
		{"tls-key", required_argument, NULL, 'k'},
		{"token-file", required_argument, NULL, 't'},
		{"key", required_argument, NULL, 'K'},
		{"quiet", no_argument, NULL, 'q'},
		{"latency", required_argument, NULL, 1},
		{"status", required_argument, NULL, 2},
		{"malformed", no_argument, NULL, 3},
		{"truncate", no_argument, NULL, 4},
		{"drip", required_argument, NULL, 5},
		{"content-type", required_argument, NULL, 6},
		{"expired-tokens", no_argument, NULL, 7},
		{"pad", required_argument, NULL, 8},
		{"parent", required_argument, NULL, 9},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct sim_server_config cfg = {.address = "127.0.0.1", .port = 8080};
	const char *db_path = ":memory:", *port_file = NULL, *cert = NULL, *key = NULL;
	const char *token_file = NULL, *key_file = NULL;
	char addr[64], *token = NULL;
	struct signing_key sk;
	struct sim_db *db = NULL;
	struct sim_server *srv = NULL;
	unsigned long v, parent = 0;
	sigset_t set;
	int c, sig, r, ret = EX_SOFTWARE;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (parse_listen(optarg, addr, sizeof(addr), &cfg.port) < 0) {
				fprintf(stderr, "mpp-sim: --listen wants ADDR:PORT\n");
				return EX_USAGE;
			}
			cfg.address = addr;
			break;
		case 'd':
			db_path = optarg;
			break;
		case 'p':
			port_file = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 'K':
			key_file = optarg;
			break;
		case 'q':
			cfg.quiet = true;
			break;
		case 1:
		case 2:
		case 5:
		case 8:
			if (parse_uint(optarg, c == 8 ? (64ul << 20) : 600000, &v) < 0 ||
			    (c == 2 && (v < 100 || v > 599))) {
				fprintf(stderr, "mpp-sim: bad number '%s'\n", optarg);
				return EX_USAGE;
			}
			if (c == 1)
				cfg.faults.latency_ms = (unsigned)v;
			else if (c == 2)
				cfg.faults.status = (unsigned)v;
			else if (c == 5)
				cfg.faults.drip_ms = (unsigned)v;
			else
				cfg.faults.pad_bytes = v;
			break;
		case 3:
			cfg.faults.malformed = true;
			break;
		case 4:
			cfg.faults.truncate = true;
			break;
		case 6:
			snprintf(cfg.faults.content_type, sizeof(cfg.faults.content_type), "%s",
				 optarg);
			break;
		case 7:
			cfg.faults.expired_tokens = true;
			break;
		case 9:
			if (parse_uint(optarg, INT32_MAX, &parent) < 0 || parent < 2) {
				fprintf(stderr, "mpp-sim: bad process id '%s'\n", optarg);
				return EX_USAGE;
			}
			break;
		case 'h':
			serve_usage(stdout);
			return EX_OK;
		default:
			serve_usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc || !cert != !key) {
		serve_usage(stderr);
		return EX_USAGE;
	}

	if (key_file ? load_key(key_file, &sk) < 0 : (demo_key(&sk), false)) {
		fprintf(stderr, "mpp-sim: cannot read key file %s\n", key_file);
		return EX_NOINPUT;
	}
	snprintf(cfg.qr_key.id, sizeof(cfg.qr_key.id), "%s", sk.id);
	memcpy(cfg.qr_key.public_key, sk.secret + 32, 32);
	sodium_memzero(&sk, sizeof(sk));

	if (token_file) {
		if (read_file(token_file, &token) < 0) {
			fprintf(stderr, "mpp-sim: cannot read %s\n", token_file);
			return EX_NOINPUT;
		}
		token[strcspn(token, "\r\n")] = '\0';
		cfg.token = token;
	}
	if (cert &&
	    (read_file(cert, &cfg.tls_cert_pem) < 0 || read_file(key, &cfg.tls_key_pem) < 0)) {
		fprintf(stderr, "mpp-sim: cannot read the TLS certificate or key\n");
		ret = EX_NOINPUT;
		goto out;
	}

	r = sim_db_open(db_path, &db);
	if (r < 0) {
		fprintf(stderr, "mpp-sim: database %s: %s\n", db_path, strerror(-r));
		ret = EX_CANTCREAT;
		goto out;
	}
	/* The server's threads inherit this mask; only sigwait() below sees
	 * the signals that stop it. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Started by `station demo`: a demo killed outright must not leave
	 * its backend running. The kernel sends SIGTERM (seen by sigwait
	 * below) when the parent goes; one gone already is caught here. */
	if (parent) {
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != (pid_t)parent) {
			ret = EX_OK;
			goto out;
		}
	}

	r = sim_server_start(&cfg, db, &srv);
	if (r < 0) {
		fprintf(stderr, "mpp-sim: cannot listen on %s:%u\n", cfg.address, cfg.port);
		ret = EX_UNAVAILABLE;
		goto out;
	}
	printf("mpp-sim: listening on %s://%s:%u\n", cert ? "https" : "http", cfg.address,
	       sim_server_port(srv));
	fflush(stdout);
	if (port_file && write_port_file(port_file, sim_server_port(srv)) < 0) {
		fprintf(stderr, "mpp-sim: cannot write %s\n", port_file);
		ret = EX_CANTCREAT;
		goto out;
	}
	while (sigwait(&set, &sig) != 0)
		;
	ret = EX_OK;
out:
	srv = sim_server_free(srv);
	db = sim_db_free(db);
	if (token) {
		sodium_memzero(token, strlen(token));
		free(token);
	}
	free(cfg.tls_cert_pem);
	if (cfg.tls_key_pem) {
		sodium_memzero(cfg.tls_key_pem, strlen(cfg.tls_key_pem));
		free(cfg.tls_key_pem);
	}
	return ret;
}

/* ---- list --------------------------------------------------------------- */

/* The seeded data a tester picks from. Names and NIKs are masked even
 * though they are invented: output gets pasted into tickets and logs. The
 * card UID is shown whole, because `station lookup --card-uid` needs it. */
static int cmd_list(int argc, char **argv)
{
	if (argc > 1) {
		bool help = strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0;

		fprintf(help ? stdout : stderr, "Usage: mpp-sim list\n\n"
						"The seeded citizens (card UIDs) and their "
						"applications (ids, stages, documents).\n");
		return help ? EX_OK : EX_USAGE;
	}
	for (size_t i = 0; i < demo_n_citizens; i++) {
		const struct demo_citizen *c = &demo_citizens[i];
		char name[64], nik[64], uid[32];

		for (size_t k = 0; k < c->card_uid_len; k++)
			snprintf(uid + 2 * k, 3, "%02X", c->card_uid[k]);
		printf("%-8s card %s  %s  NIK %s\n", c->key, uid,
		       privacy_mask_name(c->full_name, name, sizeof(name)),
		       privacy_mask_nik(c->nik, nik, sizeof(nik)));
		for (size_t a = 0; a < demo_n_applications; a++) {
			const struct demo_application *app = &demo_applications[a];

			if (strcmp(app->citizen_key, c->key) != 0)
				continue;
			printf("    %s  %-16s  %-20s  %s%s%s\n", app->id,
			       session_stage_to_string(app->stage), app->agency, app->service,
			       app->stage == SESSION_STAGE_READY ? "  document " : "",
			       app->stage == SESSION_STAGE_READY ? app->document_id : "");
		}
	}
	return EX_OK;
}

/* ---- issue-token -------------------------------------------------------- */

static void token_usage(FILE *f)
{
	fprintf(f, "Usage: mpp-sim issue-token --application ID [--expired] [--ttl SECONDS]\n"
		   "                           [--key FILE]\n"
		   "\n"
		   "Prints a signed QR token (MPP1.payload.signature) for a seeded application.\n"
		   "  --expired       one that expired an hour ago\n"
		   "  --ttl SECONDS   validity (default 30 days)\n"
		   "  --key FILE      signing key from 'mpp-sim keygen' (default: the demo key)\n");
}

static int cmd_issue_token(int argc, char **argv)
{
	static const struct option opts[] = {
		{"application", required_argument, NULL, 'a'},
		{"expired", no_argument, NULL, 'e'},
		{"ttl", required_argument, NULL, 't'},
		{"key", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const struct demo_application *app = NULL;
	const char *key_file = NULL;
	unsigned long ttl = 30ul * 24 * 3600;
	bool expired = false;
	struct signing_key sk;
	struct qr_token t = {.version = 1};
	uint8_t nonce[12];
	char text[SESSION_TOKEN_MAX + 1];
	int c, r;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			app = demo_application_by_id(optarg);
			if (!app) {
				fprintf(stderr, "mpp-sim: no application '%s' (see mpp-sim list)\n",
					optarg);
				return EX_DATAERR;
			}
			break;
		case 'e':
			expired = true;
			break;
		case 't':
			if (parse_uint(optarg, 10ul * 365 * 24 * 3600, &ttl) < 0 || ttl == 0) {
				fprintf(stderr, "mpp-sim: bad --ttl\n");
				return EX_USAGE;
			}
			break;
		case 'k':
			key_file = optarg;
			break;
		case 'h':
			token_usage(stdout);
			return EX_OK;
		default:
			token_usage(stderr);
			return EX_USAGE;
		}
	}
	if (!app || optind < argc) {
		token_usage(stderr);
		return EX_USAGE;
	}
	if (sodium_init() < 0)
		return EX_SOFTWARE;
	if (key_file ? load_key(key_file, &sk) < 0 : (demo_key(&sk), false)) {
		fprintf(stderr, "mpp-sim: cannot read key file %s\n", key_file);
		return EX_NOINPUT;
	}
	snprintf(t.application_id, sizeof(t.application_id), "%s", app->id);
	snprintf(t.document_id, sizeof(t.document_id), "%s",
		 app->document_id ? app->document_id : "");
	t.expires = expired ? (int64_t)time(NULL) - 3600 : (int64_t)time(NULL) + (int64_t)ttl;
	randombytes_buf(nonce, sizeof(nonce));
	sodium_bin2base64(t.nonce, sizeof(t.nonce), nonce, sizeof(nonce),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(t.key_id, sizeof(t.key_id), "%s", sk.id);
	r = qr_token_issue(&t, sk.secret, text, sizeof(text));
	sodium_memzero(&sk, sizeof(sk));
	if (r < 0) {
		fprintf(stderr, "mpp-sim: cannot sign the token: %s\n", strerror(-r));
		return EX_SOFTWARE;
	}
	printf("%s\n", text);
	return EX_OK;
}

/* ---- keygen ------------------------------------------------------------- */

static int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{"id", required_argument, NULL, 'i'},
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *id = NULL, *out = NULL;
	uint8_t pk[32], sk[64];
	char sk64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
	char pk64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	FILE *f;
	int c, fd, ret = EX_OK;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			id = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			printf("Usage: mpp-sim keygen --id KID --out FILE\n\n"
			       "Makes an Ed25519 QR signing key: the secret goes to FILE (mode "
			       "0600),\nthe station.conf line with the public key to stdout.\n");
			return EX_OK;
		default:
			return EX_USAGE;
		}
	}
	if (!id || !out || optind < argc || strlen(id) > QR_KEY_ID_MAX || !*id ||
	    strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
		    strlen(id)) {
		fprintf(stderr, "Usage: mpp-sim keygen --id KID --out FILE\n");
		return EX_USAGE;
	}
	if (sodium_init() < 0)
		return EX_SOFTWARE;
	crypto_sign_keypair(pk, sk);
	sodium_bin2base64(sk64, sizeof(sk64), sk, sizeof(sk), sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "mpp-sim: cannot create %s: %s\n", out, strerror(errno));
		if (fd >= 0)
			close(fd);
		ret = EX_CANTCREAT;
	} else {
		fprintf(f, "%s %s\n", id, sk64);
		if (fclose(f) != 0)
			ret = EX_IOERR;
		else
			printf("key.%s = %s\n", id, pk64);
	}
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(sk64, sizeof(sk64));
	return ret;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "issue-token") == 0)
		return cmd_issue_token(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "keygen") == 0)
		return cmd_keygen(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (argc >= 2 && argv[1][0] != '-') {
		fprintf(stderr,
			"mpp-sim: unknown command '%s' (serve, list, issue-token, "
			"keygen)\n",
			argv[1]);
		return EX_USAGE;
	}
	return cmd_serve(argc, argv);
}
