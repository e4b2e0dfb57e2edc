/* SPDX-License-Identifier: MIT */
/*
 * station maintenance hash-card UID: the line to add to the secrets file
 * so that card opens the maintenance screen (technician.h). The UID is
 * what `station card read` shows the technician on their own card, or the
 * card's printed UID; it is read from the command line and never logged.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <sodium.h>

#include "commands.h"
#include "technician.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: station maintenance hash-card UID\n"
		   "\n"
		   "Prints the [secrets] line that lets the card with this UID (hex, as\n"
		   "04A1B2C3D4E5F6 or 04:A1:B2:...) open the maintenance screen. Add it to\n"
		   "the secrets file of each station (up to 16 cards); the file keeps the\n"
		   "hash only.\n");
}

int cmd_maintenance(int argc, char **argv)
{
	uint8_t uid[10], h[TECHNICIAN_HASH_BYTES];
	char hex[2 * TECHNICIAN_HASH_BYTES + 1];
	int n;

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return EX_OK;
	}
	if (argc != 3 || strcmp(argv[1], "hash-card") != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	n = technician_uid_parse(argv[2], uid);
	if (n < 0) {
		fprintf(stderr, "station maintenance: a UID is 1 to 10 bytes in hex\n");
		return EX_USAGE;
	}
	technician_card_hash(uid, (size_t)n, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	printf("technician_card = %s\n", hex);
	sodium_memzero(uid, sizeof(uid));
	return EX_OK;
}
