/* SPDX-License-Identifier: MIT */
/*
 * `station demo` and `station run`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "commands.h"
#include "config.h"
#include "demo.h"
#include "log.h"

static int parse_size(const char *s, int *ret_w, int *ret_h)
{
	char *end;
	long w, h;

	errno = 0;
	w = strtol(s, &end, 10);
	if (errno || end == s || (*end != 'x' && *end != 'X'))
		return -EINVAL;
	s = end + 1;
	h = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	if (w < 320 || w > 7680 || h < 320 || h > 7680)
		return -ERANGE;
	*ret_w = (int)w;
	*ret_h = (int)h;
	return 0;
}

static int parse_level(const char *s, enum config_log_level *ret)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*ret = (enum config_log_level)i;
			return 0;
		}
	return -EINVAL;
}

static void demo_usage(FILE *f)
{
	fprintf(f, "Usage: station demo [OPTIONS]\n"
		   "\n"
		   "The whole station on simulated devices and the demo data: in a window\n"
		   "(click the screen; keys 1-9 tap the e-KTP of demo citizens, U an unknown\n"
		   "card, D a damaged one, R takes the card away, Q shows a QR code, Esc\n"
		   "quits), or headless, writing every screen, receipt and document to DIR.\n"
		   "\n"
		   "Options:\n"
		   "  --headless          no window: run the scenario and write files\n"
		   "  --out DIR           where the headless demo writes (default: demo-out)\n"
		   "  --scenario FILE     the scenario to play (default: the built-in tour)\n"
		   "  --size WxH          screen size (default: 1920x1080)\n"
		   "  --lang id|en        language (default: id)\n"
		   "  --log-level LEVEL   error, warning, info (default) or debug\n"
		   "  --backend B         mpp-sim (default: the reference backend, started\n"
		   "                      beside this binary; MPP_SIM names another), sim\n"
		   "                      (in-process), or the URL of a running mpp-sim\n"
		   "  --printers P        stand-ins (default: receipts over tcp:// to\n"
		   "                      escpos-printer-sim, documents over ipp:// to\n"
		   "                      ippeveprinter, both started by the demo on\n"
		   "                      127.0.0.1) or sim (in-process simulators).\n"
		   "                      Without ippeveprinter, documents go to the\n"
		   "                      simulator (said in one line); so do they for a\n"
		   "                      scenario that sets a document printer cover-open\n"
		   "                      or offline, or unplugs it (ippeveprinter cannot\n"
		   "                      show those; paper-out and paper-low it can)\n"
		   "  --metrics ADDR:PORT serve Prometheus metrics on http://ADDR:PORT/metrics\n"
		   "                      (a loopback address, e.g. 127.0.0.1:9464)\n"
		   "  --speak             spoken guidance (eSpeak NG): played in a window,\n"
		   "                      written as DIR/speech/NNN-SCREEN-LANG.wav headless\n"
		   "  -h, --help          this help\n"
		   "\n"
		   "Exit status: 0 when every step of the scenario ran and every expectation\n"
		   "held, 65 when the scenario failed or is malformed, 64 for a bad command\n"
		   "line, 69 when no window can be opened or mpp-sim or escpos-printer-sim\n"
		   "is missing.\n");
}

int cmd_demo(int argc, char **argv)
{
	static const struct option options[] = {
		{"headless", no_argument, NULL, 'H'},
		{"out", required_argument, NULL, 'o'},
		{"scenario", required_argument, NULL, 's'},
		{"size", required_argument, NULL, 'S'},
		{"lang", required_argument, NULL, 'l'},
		{"log-level", required_argument, NULL, 'L'},
		{"backend", required_argument, NULL, 'B'},
		{"printers", required_argument, NULL, 'P'},
		{"metrics", required_argument, NULL, 'M'},
		{"speak", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct demo_options opt = {
		.out_dir = "demo-out", .width = 1920, .height = 1080, .log_level = CONFIG_LOG_INFO};
	bool out_given = false;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
		switch (c) {
		case 'H':
			opt.headless = true;
			break;
		case 'o':
			opt.out_dir = optarg;
			out_given = true;
			break;
		case 's':
			opt.scenario_path = optarg;
			break;
		case 'S':
			if (parse_size(optarg, &opt.width, &opt.height) < 0) {
				fprintf(stderr,
					"station demo: --size wants WxH between 320 and "
					"7680, e.g. 1920x1080, not '%s'\n",
					optarg);
				return EX_USAGE;
			}
			break;
		case 'l':
			if (strcmp(optarg, "id") != 0 && strcmp(optarg, "en") != 0) {
				fprintf(stderr, "station demo: --lang is id or en, not '%s'\n",
					optarg);
				return EX_USAGE;
			}
			opt.english = strcmp(optarg, "en") == 0;
			break;
		case 'L':
			if (parse_level(optarg, &opt.log_level) < 0) {
				fprintf(stderr,
					"station demo: --log-level is error, warning, info "
					"or debug, not '%s'\n",
					optarg);
				return EX_USAGE;
			}
			break;
		case 'B':
			if (strcmp(optarg, "mpp-sim") != 0 && strcmp(optarg, "sim") != 0 &&
			    strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0) {
				fprintf(stderr,
					"station demo: --backend is mpp-sim, sim or an "
					"http(s):// URL, not '%s'\n",
					optarg);
				return EX_USAGE;
			}
			opt.backend = optarg;
			break;
		case 'P':
			if (strcmp(optarg, "stand-ins") != 0 && strcmp(optarg, "sim") != 0) {
				fprintf(stderr,
					"station demo: --printers is stand-ins or sim, not '%s'\n",
					optarg);
				return EX_USAGE;
			}
			opt.sim_printers = strcmp(optarg, "sim") == 0;
			break;
		case 'M': {
			uint32_t addr;
			uint16_t port;

			if (config_listen_parse(optarg, &addr, &port) < 0) {
				fprintf(stderr,
					"station demo: --metrics wants 127.0.0.1:PORT (loopback), "
					"not '%s'\n",
					optarg);
				return EX_USAGE;
			}
			opt.metrics_listen = optarg;
			break;
		}
		case 'V':
			opt.speak = true;
			break;
		case 'h':
			demo_usage(stdout);
			return EX_OK;
		default:
			demo_usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "station demo: unexpected argument '%s'\n", argv[optind]);
		return EX_USAGE;
	}
	if (out_given && !opt.headless) {
		fprintf(stderr, "station demo: --out goes with --headless\n");
		return EX_USAGE;
	}
	if (!opt.headless)
		opt.out_dir = NULL;
	log_set_level(opt.log_level);
	return demo_run(&opt);
}

static void run_usage(FILE *f)
{
	fprintf(f, "Usage: station run [--config FILE]\n"
		   "\n"
		   "The kiosk: full screen, on the devices the configuration names.\n"
		   "\n"
		   "Options:\n"
		   "  --config FILE       the configuration (default: " CONFIG_DEFAULT_PATH ")\n"
		   "  -h, --help          this help\n");
}

int cmd_run(int argc, char **argv)
{
	static const struct option options[] = {
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *path = CONFIG_DEFAULT_PATH;
	struct station_config config;
	struct station_secrets secrets = {0};
	struct config_errors errs = {0};
	struct demo_options opt = {0};
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			run_usage(stdout);
			return EX_OK;
		default:
			run_usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "station run: unexpected argument '%s'\n", argv[optind]);
		return EX_USAGE;
	}
	r = config_load(path, &config, &errs);
	if (r < 0) {
		for (size_t i = 0; i < errs.n; i++)
			if (errs.e[i].line)
				fprintf(stderr, "%s:%u: %s\n", path, errs.e[i].line,
					errs.e[i].message);
			else
				fprintf(stderr, "%s: %s\n", path, errs.e[i].message);
		return r == -EINVAL ? EX_CONFIG : EX_NOINPUT;
	}
	if (config.secrets_file[0]) {
		struct config_errors serrs = {0};
		r = config_load_secrets(config.secrets_file, &secrets, &serrs);
		if (r < 0) {
			for (size_t i = 0; i < serrs.n; i++)
				fprintf(stderr, "%s: %s\n", config.secrets_file,
					serrs.e[i].message);
			return EX_CONFIG;
		}
	}
	log_set_level(config.log_level);
	opt.config = &config;
	opt.secrets = &secrets;
	opt.width = config.width;
	opt.height = config.height;
	opt.fullscreen = config.fullscreen;
	opt.speak = config.speech;
	opt.english = config.english;
	r = demo_run(&opt);
	config_secrets_wipe(&secrets);
	return r;
}
