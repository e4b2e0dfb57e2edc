/* SPDX-License-Identifier: MIT */
/*
 * `station card watch` and `station card read`: the PC/SC reader and the
 * e-KTP profile from the command line, for technicians and fleet tools.
 * Everything personal is masked (privacy.h) before it is printed.
 *
 * Both run the real driver (card-reader-pcsc.c) exactly as the kiosk does:
 * events come through the station queue; the details (reader names, ATR,
 * timings) through the driver's report callback, on the driver's thread,
 * where they are masked at once.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "card-read.h"
#include "card-reader-pcsc.h"
#include "commands.h"
#include "config.h"
#include "queue.h"

struct options {
	bool json;
	struct card_read_options r;
};

/* watch: the last report, masked, on the driver's thread. */
struct watch {
	struct card_read_result res;
	bool json;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: station card watch [OPTIONS]\n"
		"       station card read [--json] [--timeout S] [OPTIONS]\n"
		"\n"
		"watch: reader and card events as they happen (like pcsc_scan), until\n"
		"       interrupted; card type and masked UID/NIK.\n"
		"read:  waits for one card (or takes the one on the reader), reads it and\n"
		"       prints its type, ATR, masked UID and masked identity.\n"
		"\n"
		"Options:\n"
		"  --config FILE        take [card] reader patterns, ATR table, read_photo,\n"
		"                       read_timeout and the SAM credentials (secrets file)\n"
		"                       from the station config\n"
		"  --reader PATTERN     contactless reader, fnmatch(3) pattern (default: first)\n"
		"  --sam-reader PATTERN reader holding the SAM (default: none)\n"
		"  --sam-key-file FILE  SAM unlock credentials, 64 hex digits, mode 0600\n"
		"  --photo              also read the photo file (its size is shown, never it)\n"
		"  --timeout S          read: seconds to wait for a card (default 10)\n"
		"  --json               machine-readable output (read: one object; watch: one\n"
		"                       object per line)\n"
		"  -h, --help           this help\n"
		"\n"
		"Exit codes of read: 0 read, 64 usage, 65 not an e-KTP, 66 no card within the\n"
		"timeout, 69 no reader (or pcscd not running), 74 the card could not be\n"
		"read, 78 bad config or key file.\n");
}

static int load_key_file(const char *path, uint8_t *out)
{
	char buf[256];
	struct stat st;
	size_t n;
	FILE *f;
	int r;

	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "station card: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	/* A secret readable by others is refused, as config_load_secrets()
	 * does for the secrets file. */
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		fprintf(stderr, "station card: %s: must be a regular file of mode 0600\n", path);
		fclose(f);
		return -EPERM;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	r = card_read_parse_key(buf, out);
	sodium_memzero(buf, sizeof(buf));
	if (r < 0)
		fprintf(stderr, "station card: %s: expected %d hex digits\n", path,
			2 * EKTP_UNLOCK_LEN);
	return r;
}

static int load_config(const char *path, struct options *o)
{
	struct config_errors errs = {0};
	struct station_config *cfg = calloc(1, sizeof(*cfg));
	int r;

	if (!cfg)
		return -ENOMEM;
	r = config_load(path, cfg, &errs);
	if (r >= 0)
		r = card_read_options_from_config(cfg, &o->r, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s:%u: %s\n", path, errs.e[i].line, errs.e[i].message);
	free(cfg);
	return r;
}

/* Returns EX_OK to go on, or the exit code; -1 for --help. */
static int parse_options(int argc, char **argv, bool is_read, struct options *o)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"reader", required_argument, NULL, 'r'},
		{"sam-reader", required_argument, NULL, 's'},
		{"sam-key-file", required_argument, NULL, 'k'},
		{"timeout", required_argument, NULL, 't'},
		{"photo", no_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *key_file = NULL, *config = NULL, *reader = NULL, *sam = NULL;
	char *end;
	int c;

	o->r.timeout_s = 10;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'r':
			reader = optarg;
			break;
		case 's':
			sam = optarg;
			break;
		case 'k':
			key_file = optarg;
			break;
		case 't':
			errno = 0;
			o->r.timeout_s = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o->r.timeout_s < 1 ||
			    o->r.timeout_s > 86400 || !is_read) {
				fprintf(stderr, "station card: bad --timeout '%s'\n", optarg);
				return EX_USAGE;
			}
			break;
		case 'p':
			o->r.photo = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (config && load_config(config, o) < 0)
		return EX_CONFIG;
	if (reader)
		snprintf(o->r.reader, sizeof(o->r.reader), "%s", reader);
	if (sam)
		snprintf(o->r.sam_reader, sizeof(o->r.sam_reader), "%s", sam);
	if (key_file) {
		if (load_key_file(key_file, o->r.unlock) < 0)
			return EX_CONFIG;
		o->r.have_unlock = true;
	}
	return EX_OK;
}

static void print_json(json_t *o, size_t flags)
{
	char *s = json_dumps(o, flags | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));

	if (s) {
		printf("%s\n", s);
		free(s);
	}
	json_decref(o);
}

/* ---- read ----------------------------------------------------------------- */

static void print_read(const struct card_read_result *res, bool json)
{
	if (json) {
		print_json(card_read_result_json(res, NULL), JSON_INDENT(2));
		return;
	}
	printf("reader:   %s\n", res->reader);
	printf("card:     %s\n", res->type);
	printf("atr:      %s\n", res->atr);
	printf("uid:      %s\n", res->uid);
	if (res->has_identity) {
		printf("nik:      %s\n", res->nik);
		printf("name:     %s\n", res->name);
		printf("sex:      %s\n", res->sex);
		printf("province: %s\n", res->province);
		if (res->photo_len)
			printf("photo:    %zu bytes (not shown)\n", res->photo_len);
	} else {
		printf("identity: (no SAM: UID only)\n");
	}
	printf("read:     %.1f ms, %u APDUs\n", res->read_ms, res->apdus);
}

static int run_read(const struct options *o)
{
	struct card_read_result res;
	char why[256];
	int code = card_read_once(&o->r, &res);

	if (code == EX_OK) {
		print_read(&res, o->json);
	} else {
		if (o->json && (code == EX_DATAERR || code == EX_IOERR))
			print_json(card_read_result_json(&res, NULL), JSON_INDENT(2));
		card_read_explain(code, &res, o->r.timeout_s, why, sizeof(why));
		fprintf(stderr, "station card: %s\n", why);
	}
	card_read_result_wipe(&res);
	return code;
}

/* ---- watch ---------------------------------------------------------------- */

static void watch_observe(void *userdata, const struct card_pcsc_report *rep)
{
	struct watch *wt = userdata;
	struct card_read_result *res = &wt->res;
	const char *what = card_pcsc_report_kind_to_string(rep->kind);
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	pthread_mutex_lock(&res->lock);
	card_read_mask_report(res, rep);
	if (wt->json) {
		json_t *o = card_read_result_json(res, what);

		json_object_set_new(o, "time", json_string(when));
		print_json(o, JSON_COMPACT);
	} else {
		printf("%s.%03ld %-14s", when, ts.tv_nsec / 1000000, what);
		if (rep->reader)
			printf(" \"%s\"", rep->reader);
		if (rep->kind == CARD_PCSC_CARD_INSERTED)
			printf(" atr=%s", res->atr);
		if (rep->kind == CARD_PCSC_CARD_READ) {
			printf(" type=\"%s\" uid=%s", res->type, res->uid);
			if (res->has_identity)
				printf(" nik=%s name=\"%s\"", res->nik, res->name);
			printf(" %.1fms %u-apdus", res->read_ms, res->apdus);
		}
		if (rep->kind == CARD_PCSC_CARD_FAILED || rep->kind == CARD_PCSC_SERVICE_DOWN)
			printf(" error=\"%s\"", strerror(-rep->error));
		printf("\n");
	}
	fflush(stdout);
	sodium_memzero(res->nik, sizeof(res->nik));
	sodium_memzero(res->name, sizeof(res->name));
	pthread_mutex_unlock(&res->lock);
}

static int run_watch(struct station_queue *q, int sfd)
{
	for (;;) {
		struct pollfd pfd[2] = {
			{.fd = station_queue_get_fd(q), .events = POLLIN},
			{.fd = sfd, .events = POLLIN},
		};
		struct station_event ev;

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			return EX_OSERR;
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			/* Consumed, so that it is not delivered when the mask
			 * is restored. */
			if (read(sfd, &si, sizeof(si)) < 0)
				return EX_OSERR;
			return EX_OK;
		}
		/* The details were printed by the report callback; the queue
		 * only needs draining. */
		while (station_queue_pop(q, &ev) == 1)
			station_event_clear(&ev);
	}
}

int cmd_card(int argc, char **argv)
{
	struct options o = {0};
	struct watch wt = {0};
	struct station_queue *q = NULL;
	struct card_reader *reader = NULL;
	struct card_reader_pcsc_config cfg;
	bool is_read;
	sigset_t mask;
	int code, sfd = -1;

	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EX_OK;
	}
	if (strcmp(argv[1], "read") != 0 && strcmp(argv[1], "watch") != 0) {
		fprintf(stderr, "station card: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return EX_USAGE;
	}
	is_read = strcmp(argv[1], "read") == 0;
	code = parse_options(argc - 1, argv + 1, is_read, &o);
	if (code != EX_OK)
		goto out_wipe;
	if (sodium_init() < 0) {
		code = EX_SOFTWARE;
		goto out_wipe;
	}
	/* Signals for watch are taken through a signalfd, before any thread
	 * starts, so that the driver's threads never see them. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	if (is_read) {
		code = run_read(&o);
		goto out_wipe;
	}
	pthread_mutex_init(&wt.res.lock, NULL);
	wt.json = o.json;
	cfg = (struct card_reader_pcsc_config){
		.reader_pattern = o.r.reader,
		.sam_reader_pattern = o.r.sam_reader,
		.sam_unlock = o.r.have_unlock ? o.r.unlock : NULL,
		.atr_table = o.r.n_atr ? o.r.atr : NULL,
		.n_atr = o.r.n_atr,
		.read_photo = o.r.photo,
		.read_timeout_ms = o.r.read_timeout_ms,
		.observe = watch_observe,
		.userdata = &wt,
	};
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0 || station_queue_new(64, &q) < 0 ||
	    card_reader_pcsc_new(q, &cfg, &reader) < 0 || card_reader_start(reader) < 0) {
		code = EX_OSERR;
		goto out;
	}
	code = run_watch(q, sfd);
out:
	reader = card_reader_free(reader);
	q = station_queue_free(q);
	if (sfd >= 0)
		close(sfd);
	/* A second SIGINT (timeout(1) signals the child and then its group)
	 * may be pending, or still on its way: the mask is left as it is, so
	 * that it is never delivered. The command is the whole process and
	 * exits next; draining and restoring the mask left a window in which
	 * a late signal killed it (exit 130, seen once in CI). */
	pthread_mutex_destroy(&wt.res.lock);
	card_read_result_wipe(&wt.res);
out_wipe:
	sodium_memzero(&o, sizeof(o));
	return code < 0 ? EX_OK : code;
}
