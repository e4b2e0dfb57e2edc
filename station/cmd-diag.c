/* SPDX-License-Identifier: MIT */
/*
 * `station diag`: the technician's health report (diag.h, docs/diag.md).
 *
 * Exit codes: 0 every section the configuration needs is ok, 1 one is
 * degraded, 2 one failed; 64 bad command line; 70 out of memory.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "commands.h"
#include "config.h"
#include "diag-test.h"
#include "diag.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: station diag [--json] [--config FILE] [--timeout MS]\n"
		   "       station diag test camera|receipt|document|backend|card [--json]\n"
		   "                 [--config FILE]\n"
		   "\n"
		   "One health report of the station: build and library versions, the\n"
		   "configuration (no secrets), pcscd and its readers, the USB devices,\n"
		   "the cameras, the state directory's free space, the receipt and document\n"
		   "printers, the backend. Each section has a verdict: ok, degraded or failed;\n"
		   "sections the configuration does not use are shown as [not used] and do\n"
		   "not count.\n"
		   "\n"
		   "  --json          the report as JSON (docs/diag.md, docs/diag.schema.json)\n"
		   "  --config FILE   default: " CONFIG_DEFAULT_PATH " if it exists, else the\n"
		   "                  defaults (simulators)\n"
		   "  --timeout MS    bound of the backend probe; default: [backend] timeout\n"
		   "\n"
		   "diag test acts on one device: reads camera frames until a QR code decodes\n"
		   "(3 s), prints a test page (station id, time, the\n"
		   "printer, a QR code) on the receipt or the document printer, or makes one\n"
		   "round trip to the backend, or reads one card (waits 10 s for it) and\n"
		   "shows it masked: type, ATR, UID and NIK, the files read, APDUs, time.\n"
		   "\n"
		   "Exit: 0 ok, 1 degraded, 2 failed. diag test card exits as station card\n"
		   "read: 0 read, 65 not an e-KTP, 66 no card, 69 no reader (pcscd down or\n"
		   "a simulated reader), 74 the card could not be read, 78 bad config.\n");
}

/* One line for a person, or the section as JSON. 0 or -EIO. */
static int print_test(enum diag_test t, json_t *s, bool json)
{
	if (json) {
		char *text = json_dumps(s, JSON_INDENT(2) | JSON_REAL_PRECISION(6));

		if (!text)
			return -ENOMEM;
		printf("%s\n", text);
		free(text);
	} else {
		printf("%s: %s: %s\n", diag_test_to_string(t),
		       json_string_value(json_object_get(s, "verdict")),
		       json_string_value(json_object_get(s, "summary")));
	}
	return ferror(stdout) ? -EIO : 0;
}

/* Returns the exit code. Blocks while each device and the backend are
 * asked; the main thread. */
int cmd_diag(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"config", required_argument, NULL, 'c'},
		{"timeout", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct station_config *cfg = calloc(1, sizeof(*cfg));
	struct config_errors *errs = calloc(1, sizeof(*errs));
	struct diag_options opt = {0};
	enum diag_verdict verdict = DIAG_FAILED;
	enum diag_test test = _DIAG_TEST_INVALID;
	json_t *report = NULL;
	bool json = false;
	struct stat st;
	char *end;
	int c, r, ret = EX_SOFTWARE;

	if (!cfg || !errs) {
		fprintf(stderr, "station diag: out of memory\n");
		goto out;
	}
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'c':
			opt.config_path = optarg;
			break;
		case 'T':
			errno = 0;
			opt.backend_timeout_ms = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || opt.backend_timeout_ms == 0 ||
			    opt.backend_timeout_ms > 600000) {
				fprintf(stderr, "station diag: --timeout wants milliseconds\n");
				ret = EX_USAGE;
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			ret = EX_OK;
			goto out;
		default:
			usage(stderr);
			ret = EX_USAGE;
			goto out;
		}
	}
	if (optind < argc && strcmp(argv[optind], "test") == 0) {
		test = diag_test_from_string(optind + 1 < argc ? argv[optind + 1] : NULL);
		if (test < 0) {
			fprintf(stderr, "station diag test: give camera, receipt, document, "
					"backend or card\n");
			ret = EX_USAGE;
			goto out;
		}
		optind += 2;
	}
	if (optind < argc) {
		fprintf(stderr, "station diag: unexpected argument '%s'\n", argv[optind]);
		ret = EX_USAGE;
		goto out;
	}
	if (!opt.config_path && stat(CONFIG_DEFAULT_PATH, &st) == 0)
		opt.config_path = CONFIG_DEFAULT_PATH;
	/* A bad file is a verdict of the report, not a refusal: the other
	 * sections are probed on the defaults so the technician sees them. */
	config_defaults(cfg);
	if (opt.config_path) {
		r = config_load(opt.config_path, cfg, errs);
		if (r < 0) {
			opt.config_error = r;
			config_defaults(cfg);
		}
	}
	opt.config = cfg;
	if (test >= 0) {
		/* A test on an unreadable configuration would test the
		 * simulators: refuse. */
		if (opt.config_error) {
			fprintf(stderr, "station diag test: %s: %s\n",
				opt.config_path ? opt.config_path : CONFIG_DEFAULT_PATH,
				strerror(-opt.config_error));
			ret = EX_CONFIG;
			goto out;
		}
		r = diag_test_run(test, &opt, &report, &verdict);
		if (r < 0) {
			fprintf(stderr, "station diag test: %s\n", strerror(-r));
			ret = EX_SOFTWARE;
			goto out;
		}
		r = print_test(test, report, json);
		ret = diag_verdict_to_exit_code(verdict);
		/* The card test exits as `station card read` would. */
		if (json_is_integer(json_object_get(report, "exit_code")))
			ret = (int)json_integer_value(json_object_get(report, "exit_code"));
		if (r < 0)
			ret = EX_IOERR;
		goto out;
	}
	r = diag_run(&opt, &report, &verdict);
	if (r < 0) {
		fprintf(stderr, "station diag: %s\n", strerror(-r));
		ret = EX_SOFTWARE;
		goto out;
	}
	if (json) {
		char *text = json_dumps(report, JSON_INDENT(2));

		if (!text) {
			fprintf(stderr, "station diag: out of memory\n");
			goto out;
		}
		printf("%s\n", text);
		free(text);
	} else if (diag_print_text(report, stdout) < 0) {
		fprintf(stderr, "station diag: cannot write the report\n");
		ret = EX_IOERR;
		goto out;
	}
	ret = diag_verdict_to_exit_code(verdict);
out:
	json_decref(report);
	free(errs);
	free(cfg);
	return ret;
}
