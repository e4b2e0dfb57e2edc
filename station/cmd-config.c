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
		   "       and exits 0 only if it is valid. With --secrets, also checks a\n"
		   "       secrets file (its syntax, and that only its owner may read it).\n"
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
	int r, ret;

	r = config_load(path, &config, &errs);
	print_errors(path, &errs);
	if (r >= 0)
		printf("%s: ok\n", path);
	ret = exit_code(r);

	if (secrets_path) {
		struct station_secrets secrets;
		r = config_load_secrets(secrets_path, &secrets, &errs);
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

static void show_config(const struct station_config *c)
{
	const struct session_timeouts *t = &c->timeouts;
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];

	printf("[station]\n"
	       "id = %s\n"
	       "state_dir = %s\n"
	       "secrets_file = %s\n"
	       "log_level = %s\n",
	       c->station_id, c->state_dir, c->secrets_file,
	       config_log_level_to_string(c->log_level));
	printf("\n[session]\n"
	       "card_timeout = %" PRIu64 "\n"
	       "scan_timeout = %" PRIu64 "\n"
	       "lookup_timeout = %" PRIu64 "\n"
	       "idle_timeout = %" PRIu64 "\n"
	       "countdown = %" PRIu64 "\n"
	       "print_timeout = %" PRIu64 "\n"
	       "done_timeout = %" PRIu64 "\n"
	       "error_timeout = %" PRIu64 "\n"
	       "maintenance_idle = %" PRIu64 "\n",
	       secs(t->card_timeout_ms), secs(t->scan_timeout_ms), secs(t->lookup_timeout_ms),
	       secs(t->idle_timeout_ms), secs(t->countdown_ms), secs(t->print_timeout_ms),
	       secs(t->done_timeout_ms), secs(t->error_timeout_ms), secs(t->maintenance_idle_ms));
	printf("\n[ui]\n"
	       "language = %s\n"
	       "width = %d\n"
	       "height = %d\n"
	       "fullscreen = %s\n",
	       c->english ? "en" : "id", c->width, c->height, c->fullscreen ? "yes" : "no");
	printf("\n[card]\n"
	       "backend = %s\n"
	       "reader = %s\n"
	       "sam_reader = %s\n",
	       c->card_backend, c->card_reader, c->sam_reader);
	printf("\n[camera]\n"
	       "backend = %s\n"
	       "device = %s\n",
	       c->camera_backend, c->camera_device);
	printf("\n[receipt]\n"
	       "printer = %s\n"
	       "width_dots = %d\n",
	       c->receipt_printer, c->receipt_width_dots);
	printf("\n[document]\n"
	       "printer = %s\n",
	       c->document_printer);
	printf("\n[backend]\n"
	       "url = %s\n"
	       "connect_timeout = %" PRIu64 "\n"
	       "timeout = %" PRIu64 "\n"
	       "ca_file = %s\n",
	       c->backend_url, secs(c->backend_connect_timeout_ms), secs(c->backend_timeout_ms),
	       c->backend_ca_file);
	printf("\n[qr]\n");
	for (size_t i = 0; i < c->n_qr_keys; i++) {
		sodium_bin2base64(b64, sizeof(b64), c->qr_keys[i].public_key,
				  sizeof(c->qr_keys[i].public_key),
				  sodium_base64_VARIANT_ORIGINAL);
		printf("key.%s = %s\n", c->qr_keys[i].id, b64);
	}
	printf("clock_skew = %" PRIu64 "\n", c->qr_clock_skew_s);
	printf("\n[maintenance]\n"
	       "pin_max_failures = %u\n"
	       "pin_lockout = %" PRIu64 "\n",
	       c->pin_max_failures, c->pin_lockout_s);
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
