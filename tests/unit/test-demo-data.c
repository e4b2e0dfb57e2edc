/* SPDX-License-Identifier: MIT */
/*
 * The demo data is well-formed and has what the demo and the other tests
 * rely on: valid NIKs, unique keys and ids, every stage, documents exactly
 * where applications are ready, and the named citizens' properties.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "demo-data.h"

/* The 38 province codes of DOMAIN.md, written out again here so the test
 * does not trust the code it checks. */
static const int provinces[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33,
				34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72,
				73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96};

/* The women among the demo citizens (the data has no sex field; their
 * NIK day must carry the +40). */
static const char *const women[] = {"siti", "ketut", "rina", "dewi", "nur", "maria"};

static bool is_woman(const char *key)
{
	for (size_t i = 0; i < sizeof(women) / sizeof(women[0]); i++)
		if (strcmp(women[i], key) == 0)
			return true;
	return false;
}

static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static int days_in_month(int month, int year)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		return 29;
	return days[month - 1];
}

static size_t count_apps(const char *key, enum session_stage stage, bool any_stage)
{
	size_t n = 0;

	for (size_t i = 0; i < demo_n_applications; i++)
		if (strcmp(demo_applications[i].citizen_key, key) == 0 &&
		    (any_stage || demo_applications[i].stage == stage))
			n++;
	return n;
}

static void test_niks_well_formed(void **state)
{
	assert_true(demo_n_citizens >= 12);
	for (size_t i = 0; i < demo_n_citizens; i++) {
		const struct demo_citizen *c = &demo_citizens[i];
		bool known = false;
		int day, month, year;

		assert_int_equal(strlen(c->nik), 16);
		for (size_t k = 0; k < 16; k++)
			assert_true(c->nik[k] >= '0' && c->nik[k] <= '9');
		for (size_t k = 0; k < sizeof(provinces) / sizeof(provinces[0]); k++)
			known |= two_digits(c->nik) == provinces[k];
		assert_true(known);
		assert_true(two_digits(c->nik + 2) > 0); /* regency/city */
		assert_true(two_digits(c->nik + 4) > 0); /* district */

		day = two_digits(c->nik + 6);
		month = two_digits(c->nik + 8);
		year = 1900 + two_digits(c->nik + 10);
		if (year < 1926)
			year += 100;
		if (is_woman(c->key)) {
			assert_true(day > 40);
			day -= 40;
		} else {
			assert_true(day <= 31);
		}
		assert_true(month >= 1 && month <= 12);
		assert_true(day >= 1 && day <= days_in_month(month, year));
		assert_true(year <= 2008); /* adults: old enough for an e-KTP */
		assert_true(two_digits(c->nik + 12) * 100 + two_digits(c->nik + 14) > 0);
		assert_non_null(c->full_name);
		assert_true(strlen(c->full_name) > 0 && strlen(c->full_name) < 64);
	}
}

static void test_unique_keys_uids_niks(void **state)
{
	for (size_t i = 0; i < demo_n_citizens; i++) {
		const struct demo_citizen *a = &demo_citizens[i];

		assert_int_equal(a->card_uid_len, 7);
		assert_int_equal(a->card_uid[0], 0x04);
		assert_ptr_equal(demo_citizen_by_key(a->key), a);
		assert_ptr_equal(demo_citizen_by_uid(a->card_uid, a->card_uid_len), a);
		for (size_t j = i + 1; j < demo_n_citizens; j++) {
			const struct demo_citizen *b = &demo_citizens[j];

			assert_string_not_equal(a->key, b->key);
			assert_string_not_equal(a->nik, b->nik);
			assert_false(memcmp(a->card_uid, b->card_uid, 7) == 0);
		}
	}
	assert_null(demo_citizen_by_key("nobody"));
	assert_null(demo_citizen_by_key(NULL));
	/* A prefix of a real UID is another card. */
	assert_null(demo_citizen_by_uid(demo_citizens[0].card_uid, 4));
}

static void test_applications(void **state)
{
	bool seen[_SESSION_STAGE_MAX] = {false};

	assert_true(demo_n_applications >= 25);
	for (size_t i = 0; i < demo_n_applications; i++) {
		const struct demo_application *a = &demo_applications[i];

		assert_int_equal(strlen(a->id), strlen("APP-2026-000000"));
		assert_memory_equal(a->id, "APP-2026-", 9);
		assert_ptr_equal(demo_application_by_id(a->id), a);
		assert_non_null(demo_citizen_by_key(a->citizen_key));
		assert_true(a->stage >= 0 && a->stage < _SESSION_STAGE_MAX);
		seen[a->stage] = true;
		assert_memory_equal(a->updated_at, "2026-", 5);

		/* Everything fits the session's buffers without truncation. */
		assert_true(strlen(a->agency) > 0 && strlen(a->agency) < 64);
		assert_true(strlen(a->service) > 0 && strlen(a->service) < 96);
		assert_true(strlen(a->next_step) > 0 && strlen(a->next_step) < 192);
		assert_true(strlen(a->updated_at) < 32);

		if (a->stage == SESSION_STAGE_READY) {
			assert_non_null(a->document_id);
			assert_non_null(a->document_title);
			assert_true(strlen(a->document_id) <= SESSION_ID_MAX);
			assert_memory_equal(a->document_id, "DOC-2026-", 9);
			assert_ptr_equal(demo_application_by_document(a->document_id), a);
		} else {
			assert_null(a->document_id);
			assert_null(a->document_title);
		}
		for (size_t j = i + 1; j < demo_n_applications; j++) {
			assert_string_not_equal(a->id, demo_applications[j].id);
			if (a->document_id && demo_applications[j].document_id)
				assert_string_not_equal(a->document_id,
							demo_applications[j].document_id);
		}
	}
	for (int s = 0; s < _SESSION_STAGE_MAX; s++)
		assert_true(seen[s]);
	assert_null(demo_application_by_id("APP-2026-999999"));
	assert_null(demo_application_by_document("DOC-2026-999999"));
	assert_null(demo_application_by_document(""));
}

static void test_named_citizens(void **state)
{
	size_t budi_stages = 0, most = 0;

	for (int s = 0; s < _SESSION_STAGE_MAX; s++)
		budi_stages += count_apps("budi", (enum session_stage)s, false) > 0;
	assert_true(budi_stages >= 5);
	assert_true(count_apps("budi", SESSION_STAGE_READY, false) >= 1);

	assert_int_equal(count_apps("siti", SESSION_STAGE_READY, false), 1);
	assert_int_equal(count_apps("fajar", 0, true), 0);
	assert_non_null(demo_citizen_by_key("fajar"));

	for (size_t i = 0; i < demo_n_citizens; i++) {
		size_t n = count_apps(demo_citizens[i].key, 0, true);

		if (n > most)
			most = n;
	}
	assert_true(most > 8);
	assert_true(most <= SESSION_MAX_APPS);
}

static void test_cards(void **state)
{
	size_t n_ektp = 0;
	bool unknown = false, damaged = false;

	for (size_t i = 0; i < demo_n_cards; i++) {
		const struct card_sim_card *card = &demo_cards[i];

		for (size_t j = i + 1; j < demo_n_cards; j++)
			assert_string_not_equal(card->name, demo_cards[j].name);
		if (card->kind == CARD_SIM_EKTP) {
			const struct demo_citizen *c = demo_citizen_by_key(card->name);

			assert_non_null(c);
			assert_int_equal(card->uid_len, c->card_uid_len);
			assert_memory_equal(card->uid, c->card_uid, c->card_uid_len);
			assert_string_equal(card->nik, c->nik);
			assert_string_equal(card->full_name, c->full_name);
			n_ektp++;
		} else if (card->kind == CARD_SIM_UNKNOWN) {
			unknown = strcmp(card->name, "unknown") == 0;
			assert_null(demo_citizen_by_uid(card->uid, card->uid_len));
		} else if (card->kind == CARD_SIM_UNREADABLE) {
			damaged = strcmp(card->name, "damaged") == 0;
			assert_null(demo_citizen_by_uid(card->uid, card->uid_len));
		}
	}
	assert_int_equal(n_ektp, demo_n_citizens);
	assert_true(unknown);
	assert_true(damaged);
}

static void test_qr_keypair(void **state)
{
	uint8_t pk1[32], sk1[64], pk2[32], sk2[64], sig[64];
	static const uint8_t msg[] = "MPP1.test";

	demo_qr_keypair(pk1, sk1);
	demo_qr_keypair(pk2, sk2);
	/* Fixed: the reference backend derives the same pair. */
	assert_memory_equal(pk1, pk2, 32);
	assert_memory_equal(sk1, sk2, 64);
	/* A real pair: what the secret signs, the public key verifies. */
	crypto_sign_detached(sig, NULL, msg, sizeof(msg) - 1, sk1);
	assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof(msg) - 1, pk1), 0);
	sig[0] ^= 1;
	assert_int_not_equal(crypto_sign_verify_detached(sig, msg, sizeof(msg) - 1, pk1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_niks_well_formed),
		cmocka_unit_test(test_unique_keys_uids_niks),
		cmocka_unit_test(test_applications),
		cmocka_unit_test(test_named_citizens),
		cmocka_unit_test(test_cards),
		cmocka_unit_test(test_qr_keypair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
