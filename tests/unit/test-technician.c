/* SPDX-License-Identifier: MIT */
/*
 * Technician cards (station/technician.h): the allow-list hash, the check
 * against the secrets' list, UID parsing, and the session opening the
 * maintenance screen (with its report asked for) for such a card instead
 * of a citizen's lookup, keeping nothing of the card.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "session.h"
#include "technician.h"

/* Budi's demo e-KTP UID. The hash was also computed independently:
 * python3 hashlib.blake2b(uid, key=b"anjungan technician card v1" padded
 * with zeros to 32 bytes, digest_size=32). */
static const uint8_t budi[] = {0x04, 0x5a, 0x21, 0x3c, 0x8e, 0x61, 0x80};
static const char budi_hash[] = "0f790b3b0c5019b5269bea38c9b5cd37cb9827d5398ade92107058248df97c8f";

static void test_hash_and_list(void **state)
{
	uint8_t h[TECHNICIAN_HASH_BYTES], uid[10];
	char hex[2 * TECHNICIAN_HASH_BYTES + 1];
	struct station_secrets s = {0};

	(void)state;
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(technician_card_hash(budi, sizeof(budi), h), 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(hex, budi_hash);
	assert_int_equal(technician_card_hash(budi, 0, h), -EINVAL);
	assert_int_equal(technician_card_hash(budi, 11, h), -EINVAL);

	/* Not on an empty list; on it once added; another UID is not. */
	assert_false(technician_card_allowed(&s, budi, sizeof(budi)));
	s.n_technician_cards = 2;
	memset(s.technician_cards[0], 0xAA, TECHNICIAN_HASH_BYTES);
	memcpy(s.technician_cards[1], h, sizeof(h));
	assert_true(technician_card_allowed(&s, budi, sizeof(budi)));
	assert_false(technician_card_allowed(&s, budi, sizeof(budi) - 1));
	assert_false(technician_card_allowed(NULL, budi, sizeof(budi)));

	assert_int_equal(technician_uid_parse("04:5A:21:3C:8E:61:80", uid), 7);
	assert_memory_equal(uid, budi, sizeof(budi));
	assert_int_equal(technician_uid_parse("045a213c8e6180", uid), 7);
	assert_int_equal(technician_uid_parse("04 5a 2", uid), -EINVAL);
	assert_int_equal(technician_uid_parse("zz", uid), -EINVAL);
	assert_int_equal(technician_uid_parse("", uid), -EINVAL);
	assert_int_equal(technician_uid_parse("0102030405060708090a0b", uid), -EINVAL);
}

static const struct session_timeouts timeouts = {
	.card_timeout_ms = 5000,
	.scan_timeout_ms = 30000,
	.lookup_timeout_ms = 10000,
	.idle_timeout_ms = 60000,
	.countdown_ms = 10000,
	.print_timeout_ms = 60000,
	.done_timeout_ms = 15000,
	.error_timeout_ms = 15000,
	.maintenance_idle_ms = 120000,
};

static void test_session(void **state)
{
	struct session s;
	struct session_cmds c = {0};
	struct station_event in = {.type = STATION_EVENT_CARD_INSERTED};
	struct station_event read = {.type = STATION_EVENT_CARD_READ};

	(void)state;
	session_init(&s, &timeouts, false, 1000);
	assert_true(session_handle(&s, &in, &c));
	assert_int_equal(s.state, SESSION_READING_CARD);
	c = (struct session_cmds){0};
	memcpy(read.card.uid, budi, sizeof(budi));
	read.card.uid_len = sizeof(budi);
	read.card.technician = true;
	assert_true(session_handle(&s, &read, &c));
	assert_int_equal(s.state, SESSION_MAINTENANCE);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.cmd[0].type, SESSION_CMD_RUN_DIAG);
	assert_true(s.diag_pending);
	/* Nothing of the card kept, no lookup. */
	assert_int_equal(s.personal.method, SESSION_ID_NONE);
	assert_int_equal(s.personal.card.uid_len, 0);

	/* The same card not on the list: a citizen's lookup. */
	session_init(&s, &timeouts, false, 1000);
	read.card.technician = false;
	c = (struct session_cmds){0};
	assert_true(session_handle(&s, &in, &c));
	c = (struct session_cmds){0};
	assert_true(session_handle(&s, &read, &c));
	assert_int_equal(s.state, SESSION_LOOKING_UP);
	assert_int_equal(c.cmd[0].type, SESSION_CMD_LOOKUP_CARD);
	session_wipe(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_and_list),
		cmocka_unit_test(test_session),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
