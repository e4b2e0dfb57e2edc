/* SPDX-License-Identifier: MIT */
/*
 * The `station` subcommands, one file each (cmd-*.c). Each takes the
 * arguments after its own name (argv[0] is the subcommand name, so
 * getopt_long works as usual), prints its own --help, and returns a
 * sysexits(3) code: EX_OK, EX_USAGE for a bad command line, EX_DATAERR for
 * bad input data, EX_CONFIG for a bad config, EX_NOINPUT for a missing
 * file, EX_UNAVAILABLE for a device or service not there, EX_SOFTWARE for
 * a bug, EX_IOERR, EX_CANTCREAT.
 */
#pragma once

int cmd_run(int argc, char **argv);    /* cmd-run.c: the kiosk (and demo) */
int cmd_demo(int argc, char **argv);   /* cmd-run.c */
int cmd_config(int argc, char **argv); /* cmd-config.c: config check */
int cmd_print(int argc, char **argv);  /* cmd-print.c: receipt, document, decode */
int cmd_lookup(int argc, char **argv); /* cmd-lookup.c: ask the backend */
int cmd_card(int argc, char **argv);   /* cmd-card.c: card watch, card read */
int cmd_diag(int argc, char **argv);   /* cmd-diag.c: the health report */
int cmd_scan(int argc, char **argv);
int cmd_maintenance(int argc, char **argv);
/* cmd-maintenance.c: technician cards */ /* cmd-scan.c: decode and verify QR images */
