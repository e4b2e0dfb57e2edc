/* SPDX-License-Identifier: MIT */
/*
 * `station`: one executable, one subcommand per task (DESIGN.md "Command
 * line"). Each subcommand lives in its own cmd-*.c.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "commands.h"
#include "version.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"run", cmd_run, "the kiosk itself (what systemd starts)"},
	{"demo", cmd_demo, "the whole station on simulators, in a window or headless"},
	{"config", cmd_config, "check a configuration file"},
	{"print", cmd_print, "print or render a receipt or a document, decode ESC/POS"},
	{"lookup", cmd_lookup, "ask the backend about a card or a QR token, masked"},
	{"card", cmd_card, "watch the card reader, read one e-KTP (masked)"},
	{"diag", cmd_diag, "health report of every device and service (--json)"},
	{"scan", cmd_scan, "decode the QR code in image files and verify it offline"},
	{"maintenance", cmd_maintenance, "the secrets line for a technician card"},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: station COMMAND [OPTIONS]\n"
		   "\n"
		   "Anjungan: the self-service station of a Mal Pelayanan Publik.\n"
		   "\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n"
		   "Options:\n"
		   "  -h, --help     this help\n"
		   "  --version      the version\n"
		   "\n"
		   "Run 'station COMMAND --help' for the options of a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EX_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("station %s\n", STATION_VERSION);
		return EX_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "station: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EX_USAGE;
}
