/* SPDX-License-Identifier: MIT */
/*
 * `station config check FILE [--secrets FILE]` and `station config show
 * FILE`: every error of a configuration with its line, exit 0 only if valid;
 * the effective values (defaults filled in) as an INI file that itself
 * passes the check. Secrets are checked, never shown.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <sodium.h>

#include "commands.h"
#include "config.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: station config check FILE [--secrets FILE]\n"
		   "       station config show FILE\n"
		   "\n"
		   "check  Lists every error of the configuration FILE as FILE:LINE: message\n"
		   "       and exits 0 only if it is valid. It also checks the secrets file\n"
		   "       (its syntax, and that only its owner may read it): the one given\n"
		   "       with --secrets, else the one secrets_file names when this user\n"
		   "       can read it.\n"
		   "show   Prints the values in force, defaults included, as a configuration\n"
		   "       file. Secrets are never shown.\n"
		   "\n"
		   "Options:\n"
		   "  --secrets FILE   also check this secrets file\n"
		   "  -h, --help       show this help\n"
		   "\n"
		   "Exit status: 0 valid, 78 invalid, 66 a file cannot be read, 64 bad usage.\n"
		   "The default configuration is " CONFIG_DEFAULT_PATH ".\n");
}

static void print_errors(const char *path, const struct config_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		if (errs->e[i].line)
			fprintf(stderr, "%s:%u: %s\n", path, errs->e[i].line, errs->e[i].message);
		else
			fprintf(stderr, "%s: %s\n", path, errs->e[i].message);
	if (errs->n_dropped)
		fprintf(stderr, "%s: %zu more errors not shown\n", path, errs->n_dropped);
}

/* A file that was read but is wrong is a configuration error; one that
 * could not be read at all is missing input. */
static int exit_code(int r)
{
	if (r >= 0)
		return EX_OK;
	if (r == -EINVAL || r == -EPERM || r == -EFBIG)
		return EX_CONFIG;
	return EX_NOINPUT;
}

static int check(const char *path, const char *secrets_path)
{
	struct config_errors errs;
	struct station_config config;
	bool named;
	int r, ret;

	r = config_load(path, &config, &errs);
	print_errors(path, &errs);
	if (r >= 0)
		printf("%s: ok\n", path);
	ret = exit_code(r);

	/* Without --secrets, the secrets file the configuration names: a bad
	 * line there would stop the station at start just the same. One
	 * this user cannot open (it is the station user's, mode 0600; or it
	 * lives on the kiosk only) is said, not counted as an error. */
	named = !secrets_path && r >= 0 && config.secrets_file[0];
	if (named)
		secrets_path = config.secrets_file;
	if (secrets_path) {
		struct station_secrets secrets;

		r = config_load_secrets(secrets_path, &secrets, &errs);
		if (named && (r == -ENOENT || r == -EACCES)) {
			printf("%s: not checked: %s (check it as its owner, or with --secrets)\n",
			       secrets_path, strerror(-r));
			return ret;
		}
		print_errors(secrets_path, &errs);
		if (r >= 0) {
			config_secrets_wipe(&secrets);
			printf("%s: ok\n", secrets_path);
		}
		if (ret == EX_OK)
			ret = exit_code(r);
	}
	return ret;
}

static uint64_t secs(uint64_t ms)
{
	return ms / 1000;
}

/* "key = value", or "key =" for an empty value: no trailing blank. */
static void put(const char *key, const char *value)
{
	printf("%s =%s%s\n", key, value[0] ? " " : "", value);
}

static void put_u64(const char *key, uint64_t value)
{
	printf("%s = %" PRIu64 "\n", key, value);
}

/* "atr = 3B 8C 80 01 50 xx ...": the form the file takes. */
static void put_atr(const struct ektp_atr_pattern *p)
{
	printf("atr =");
	for (size_t i = 0; i < p->len; i++) {
		if (p->mask[i])
			printf(" %02X", p->value[i]);
		else
			printf(" xx");
	}
	printf("\n");
}

static void show_config(const struct station_config *c)
{
	const struct session_timeouts *t = &c->timeouts;
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];

	printf("[station]\n");
	put("id", c->station_id);
	put("state_dir", c->state_dir);
	put("secrets_file", c->secrets_file);
	put("log_level", config_log_level_to_string(c->log_level));

	printf("\n[session]\n");
	put_u64("card_timeout", secs(t->card_timeout_ms));
	put_u64("scan_timeout", secs(t->scan_timeout_ms));
	put_u64("lookup_timeout", secs(t->lookup_timeout_ms));
	put_u64("idle_timeout", secs(t->idle_timeout_ms));
	put_u64("countdown", secs(t->countdown_ms));
	put_u64("print_timeout", secs(t->print_timeout_ms));
	put_u64("done_timeout", secs(t->done_timeout_ms));
	put_u64("error_timeout", secs(t->error_timeout_ms));
	put_u64("maintenance_idle", secs(t->maintenance_idle_ms));

	printf("\n[ui]\n");
	put("language", c->english ? "en" : "id");
	put_u64("width", (uint64_t)c->width);
	put_u64("height", (uint64_t)c->height);
	put("fullscreen", c->fullscreen ? "yes" : "no");

	printf("\n[card]\n");
	put("backend", c->card_backend);
	put("reader", c->card_reader);
	put("sam_reader", c->sam_reader);
	for (size_t i = 0; i < c->n_card_atr; i++)
		put_atr(&c->card_atr[i]);
	put("read_photo", c->card_read_photo ? "yes" : "no");
	put_u64("read_timeout", secs(c->card_read_timeout_ms));

	printf("\n[camera]\n");
	put("backend", c->camera_backend);
	put("device", c->camera_device);
	put_u64("width", (uint64_t)c->camera_width);
	put_u64("height", (uint64_t)c->camera_height);
	put_u64("fps", (uint64_t)c->camera_fps);
	if (c->camera_roi.w > 0)
		printf("roi = %d,%d,%d,%d\n", c->camera_roi.x, c->camera_roi.y, c->camera_roi.w,
		       c->camera_roi.h);
	else
		put("roi", "");

	printf("\n[receipt]\n");
	put("printer", c->receipt_printer);
	put_u64("width_dots", (uint64_t)c->receipt_width_dots);

	printf("\n[document]\n");
	put("printer", c->document_printer);

	printf("\n[backend]\n");
	put("url", c->backend_url);
	put_u64("connect_timeout", secs(c->backend_connect_timeout_ms));
	put_u64("timeout", secs(c->backend_timeout_ms));
	put("ca_file", c->backend_ca_file);

	printf("\n[qr]\n");
	for (size_t i = 0; i < c->n_qr_keys; i++) {
		sodium_bin2base64(b64, sizeof(b64), c->qr_keys[i].public_key,
				  sizeof(c->qr_keys[i].public_key), sodium_base64_VARIANT_ORIGINAL);
		printf("key.%s = %s\n", c->qr_keys[i].id, b64);
	}
	put_u64("clock_skew", c->qr_clock_skew_s);

	printf("\n[maintenance]\n");
	put_u64("pin_max_failures", c->pin_max_failures);
	put_u64("pin_lockout", c->pin_lockout_s);
}

static int show(const char *path)
{
	struct config_errors errs;
	struct station_config config;
	int r;

	r = config_load(path, &config, &errs);
	print_errors(path, &errs);
	if (r < 0)
		return exit_code(r);
	show_config(&config);
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}

int cmd_config(int argc, char **argv)
{
	static const struct option options[] = {
		{"secrets", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *secrets_path = NULL;
	const char *verb;
	int c;

	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	verb = argv[1];
	if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
		usage(stdout);
		return EX_OK;
	}
	if (strcmp(verb, "check") != 0 && strcmp(verb, "show") != 0) {
		fprintf(stderr, "station config: unknown command '%s' (check or show)\n", verb);
		return EX_USAGE;
	}

	/* The verb plays argv[0] for getopt. */
	argc--;
	argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
		switch (c) {
		case 's':
			if (strcmp(verb, "check") != 0) {
				fprintf(stderr, "station config %s: --secrets goes with check\n",
					verb);
				return EX_USAGE;
			}
			secrets_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "station config %s: expected one FILE, got %d\n", verb,
			argc - optind);
		return EX_USAGE;
	}
	if (strcmp(verb, "show") == 0)
		return show(argv[optind]);
	return check(argv[optind], secrets_path);
}
