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

#include "card-reader-pcsc.h"
#include "commands.h"
#include "config.h"
#include "nik.h"
#include "privacy.h"
#include "queue.h"

#define MASK_MAX 96

struct options {
	bool json;
	bool photo;
	long timeout_s;
	char reader[128];
	char sam_reader[128];
	bool have_unlock;
	uint8_t unlock[EKTP_UNLOCK_LEN];
	/* From --config; n_atr 0 = the built-in table. */
	size_t n_atr;
	struct ektp_atr_pattern atr[CONFIG_CARD_ATR_MAX];
	unsigned read_timeout_ms;
};

/* What `card read` prints, all masked, filled on the driver's thread. */
struct result {
	pthread_mutex_t lock;
	bool done;
	int error;
	char reader[256];
	char atr[2 * EKTP_ATR_MAX + 1];
	char type[EKTP_ATR_NAME_MAX];
	char uid[MASK_MAX];
	bool has_identity;
	char nik[MASK_MAX];
	char name[MASK_MAX];
	char sex[16];
	char province[64];
	size_t photo_len; /* only its size ever leaves the driver */
	double read_ms, transmit_ms;
	unsigned apdus;
	bool json; /* for watch */
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

static int parse_hex_key(const char *s, uint8_t *out)
{
	size_t n = 0;

	for (; *s && n < 2 * EKTP_UNLOCK_LEN; s++) {
		int v;

		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == ':')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -EINVAL;
		if (n % 2 == 0)
			out[n / 2] = (uint8_t)(v << 4);
		else
			out[n / 2] |= (uint8_t)v;
		n++;
	}
	while (*s == ' ' || *s == '\n' || *s == '\t')
		s++;
	return n == 2 * EKTP_UNLOCK_LEN && *s == '\0' ? 0 : -EINVAL;
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
	r = parse_hex_key(buf, out);
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
	struct station_secrets *sec = NULL;
	int r;

	if (!cfg)
		return -ENOMEM;
	r = config_load(path, cfg, &errs);
	if (r < 0)
		goto out;
	snprintf(o->reader, sizeof(o->reader), "%s", cfg->card_reader);
	snprintf(o->sam_reader, sizeof(o->sam_reader), "%s", cfg->sam_reader);
	o->n_atr = cfg->n_card_atr;
	memcpy(o->atr, cfg->card_atr, sizeof(o->atr));
	o->photo = o->photo || cfg->card_read_photo;
	o->read_timeout_ms = (unsigned)cfg->card_read_timeout_ms;
	if (cfg->secrets_file[0] && cfg->sam_reader[0]) {
		sec = calloc(1, sizeof(*sec));
		if (!sec) {
			r = -ENOMEM;
			goto out;
		}
		r = config_load_secrets(cfg->secrets_file, sec, &errs);
		if (r < 0)
			goto out;
		if (sec->sam_credentials[0]) {
			r = parse_hex_key(sec->sam_credentials, o->unlock);
			if (r < 0) {
				fprintf(stderr,
					"station card: sam_credentials: expected %d hex "
					"digits\n",
					2 * EKTP_UNLOCK_LEN);
				goto out;
			}
			o->have_unlock = true;
		}
	}
out:
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s:%u: %s\n", path, errs.e[i].line, errs.e[i].message);
	if (sec) {
		config_secrets_wipe(sec);
		free(sec);
	}
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

	o->timeout_s = 10;
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
			o->timeout_s = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o->timeout_s < 1 ||
			    o->timeout_s > 86400 || !is_read) {
				fprintf(stderr, "station card: bad --timeout '%s'\n", optarg);
				return EX_USAGE;
			}
			break;
		case 'p':
			o->photo = true;
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
		snprintf(o->reader, sizeof(o->reader), "%s", reader);
	if (sam)
		snprintf(o->sam_reader, sizeof(o->sam_reader), "%s", sam);
	if (key_file) {
		if (load_key_file(key_file, o->unlock) < 0)
			return EX_CONFIG;
		o->have_unlock = true;
	}
	return EX_OK;
}

/* Fills the masked fields of res from a report. Driver's thread. */
static void mask_report(struct result *res, const struct card_pcsc_report *rep)
{
	const struct ektp_identity *id = rep->identity;

	snprintf(res->reader, sizeof(res->reader), "%s", rep->reader ? rep->reader : "");
	ektp_hex(rep->atr, rep->atr ? rep->atr_len : 0, res->atr, sizeof(res->atr));
	res->read_ms = (double)rep->read_us / 1000.0;
	res->transmit_ms = (double)rep->transmit_us / 1000.0;
	res->apdus = rep->apdus;
	res->error = rep->error;
	res->has_identity = false;
	res->photo_len = 0;
	res->type[0] = res->uid[0] = '\0';
	if (!id)
		return;
	snprintf(res->type, sizeof(res->type), "%s", id->atr_name);
	privacy_mask_uid(id->uid, id->uid_len, res->uid, sizeof(res->uid));
	res->photo_len = id->photo ? id->photo_len : 0;
	if (id->has_biodata) {
		struct nik_info info;

		res->has_identity = true;
		privacy_mask_nik(id->bio.nik, res->nik, sizeof(res->nik));
		privacy_mask_name(id->bio.name, res->name, sizeof(res->name));
		snprintf(res->sex, sizeof(res->sex), "%s", nik_sex_to_string(id->bio.sex));
		if (nik_parse(id->bio.nik, NIK_LEN, NULL, &info) == 0)
			snprintf(res->province, sizeof(res->province), "%s", info.province_name);
		else
			res->province[0] = '\0';
		sodium_memzero(&info, sizeof(info));
	}
}

static json_t *result_json(const struct result *res, const char *event)
{
	json_t *o = json_object();

	if (event)
		json_object_set_new(o, "event", json_string(event));
	json_object_set_new(o, "reader", json_string(res->reader));
	json_object_set_new(o, "atr", json_string(res->atr));
	json_object_set_new(o, "type", res->type[0] ? json_string(res->type) : json_null());
	json_object_set_new(o, "uid", res->uid[0] ? json_string(res->uid) : json_null());
	if (res->has_identity) {
		json_t *id = json_object();

		json_object_set_new(id, "nik", json_string(res->nik));
		json_object_set_new(id, "name", json_string(res->name));
		json_object_set_new(id, "sex", json_string(res->sex));
		json_object_set_new(id, "province", json_string(res->province));
		json_object_set_new(id, "photo_bytes", json_integer((json_int_t)res->photo_len));
		json_object_set_new(o, "identity", id);
	} else {
		json_object_set_new(o, "identity", json_null());
	}
	if (res->error)
		json_object_set_new(o, "error", json_string(strerror(-res->error)));
	json_object_set_new(o, "read_ms", json_real(res->read_ms));
	json_object_set_new(o, "transmit_ms", json_real(res->transmit_ms));
	json_object_set_new(o, "apdus", json_integer(res->apdus));
	return o;
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

static void read_observe(void *userdata, const struct card_pcsc_report *rep)
{
	struct result *res = userdata;

	if (rep->kind != CARD_PCSC_CARD_READ && rep->kind != CARD_PCSC_CARD_FAILED)
		return;
	pthread_mutex_lock(&res->lock);
	if (!res->done) {
		mask_report(res, rep);
		res->done = true;
	}
	pthread_mutex_unlock(&res->lock);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_read(const struct result *res, bool json)
{
	if (json) {
		print_json(result_json(res, NULL), JSON_INDENT(2));
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

static int run_read(struct station_queue *q, struct result *res, const struct options *o)
{
	long long deadline = now_ms() + o->timeout_s * 1000;
	int state = -1, code = -1;
	bool inserted = false;

	while (code < 0) {
		struct station_event ev;
		long long left = deadline - now_ms();

		if (station_queue_pop(q, &ev) != 1) {
			if (left <= 0)
				break;
			station_queue_wait(q, (int)left);
			continue;
		}
		switch (ev.type) {
		case STATION_EVENT_DEVICE_STATE:
			state = ev.device.state;
			break;
		case STATION_EVENT_CARD_INSERTED:
			/* The read has its own deadline (read_timeout): give
			 * it that, and time to report. */
			if (!inserted)
				deadline = now_ms() +
					   (o->read_timeout_ms ? o->read_timeout_ms : 5000) + 10000;
			inserted = true;
			break;
		case STATION_EVENT_CARD_READ:
			code = EX_OK;
			break;
		case STATION_EVENT_CARD_FAILED:
			code = ev.card_error == SESSION_ERROR_CARD_UNKNOWN ? EX_DATAERR : EX_IOERR;
			break;
		default:
			break;
		}
		station_event_clear(&ev);
	}
	if (code < 0) {
		if (state != SESSION_DEVICE_OK && state != SESSION_DEVICE_DEGRADED) {
			fprintf(stderr, "station card: no card reader (is pcscd running?)\n");
			return EX_UNAVAILABLE;
		}
		fprintf(stderr, "station card: no card within %ld s\n", o->timeout_s);
		return EX_NOINPUT;
	}
	pthread_mutex_lock(&res->lock);
	if (code == EX_OK) {
		print_read(res, o->json);
	} else {
		if (o->json)
			print_json(result_json(res, NULL), JSON_INDENT(2));
		if (code == EX_DATAERR)
			fprintf(stderr,
				"station card: not an e-KTP (ATR %s; if it is one, add an 'atr =' "
				"pattern to [card])\n",
				res->atr[0] ? res->atr : "unknown");
		else
			fprintf(stderr, "station card: the card could not be read (Kartu tidak "
					"terbaca, tempelkan kembali)\n");
	}
	pthread_mutex_unlock(&res->lock);
	return code;
}

/* ---- watch ---------------------------------------------------------------- */

static void watch_observe(void *userdata, const struct card_pcsc_report *rep)
{
	struct result *res = userdata;
	const char *what = card_pcsc_report_kind_to_string(rep->kind);
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	pthread_mutex_lock(&res->lock);
	mask_report(res, rep);
	if (res->json) {
		json_t *o = result_json(res, what);

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
	struct result res = {0};
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
	pthread_mutex_init(&res.lock, NULL);
	res.json = o.json;
	cfg = (struct card_reader_pcsc_config){
		.reader_pattern = o.reader,
		.sam_reader_pattern = o.sam_reader,
		.sam_unlock = o.have_unlock ? o.unlock : NULL,
		.atr_table = o.n_atr ? o.atr : NULL,
		.n_atr = o.n_atr,
		.read_photo = o.photo,
		.read_timeout_ms = o.read_timeout_ms,
		.observe = is_read ? read_observe : watch_observe,
		.userdata = &res,
	};
	/* Signals for watch are taken through a signalfd, before any thread
	 * starts, so that the driver's threads never see them. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0 || station_queue_new(64, &q) < 0 ||
	    card_reader_pcsc_new(q, &cfg, &reader) < 0 || card_reader_start(reader) < 0) {
		code = EX_OSERR;
		goto out;
	}
	code = is_read ? run_read(q, &res, &o) : run_watch(q, sfd);
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
	pthread_mutex_destroy(&res.lock);
out_wipe:
	sodium_memzero(&o, sizeof(o));
	sodium_memzero(&res, sizeof(res));
	return code < 0 ? EX_OK : code;
}
