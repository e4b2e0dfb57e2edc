/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "card-reader.h"
#include "queue.h"

#define LONG_NAME "Raden Mas Bagus Hadiningrat Kusumawardhana Suryaningprang Wicaksono Prawiro"

static const struct card_sim_card cards[] = {
	{.name = "budi",
	 .kind = CARD_SIM_EKTP,
	 .uid = {0x04, 0x11, 0x22, 0x33, 0x44, 0x0b, 0xc0},
	 .uid_len = 7,
	 .nik = "3201011505900001",
	 .full_name = "Budi Santoso"},
	{.name = "siti",
	 .kind = CARD_SIM_EKTP,
	 .uid = {0xde, 0xad, 0xbe, 0xef},
	 .uid_len = 4,
	 .nik = "3174024708850003",
	 .full_name = LONG_NAME},
	{.name = "nosam", .kind = CARD_SIM_EKTP, .uid = {1, 2, 3, 4}, .uid_len = 4},
	{.name = "badnik",
	 .kind = CARD_SIM_EKTP,
	 .uid = {9, 9, 9, 9},
	 .uid_len = 4,
	 .nik = "3201013002900001", /* 30 February */
	 .full_name = "Tono"},
	{.name = "biguid",
	 .kind = CARD_SIM_EKTP,
	 .uid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
	 .uid_len = 99, /* lies: clamped */
	 .nik = "",
	 .full_name = "Big"},
	{.name = "atm", .kind = CARD_SIM_UNKNOWN, .uid = {5, 5, 5, 5}, .uid_len = 4},
	{.name = "damaged", .kind = CARD_SIM_UNREADABLE},
};

struct fixture {
	struct station_queue *q;
	struct card_reader *r;
};

static int setup(void **state)
{
	static struct fixture f;

	assert_int_equal(station_queue_new(64, &f.q), 0);
	assert_int_equal(card_reader_sim_new(f.q, cards, sizeof(cards) / sizeof(cards[0]), &f.r),
			 0);
	assert_int_equal(card_reader_start(f.r), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	f->r = card_reader_free(f->r);
	assert_null(f->r);
	f->q = station_queue_free(f->q);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Takes every event until the queue is quiescent (all held work in);
 * fails after 5 s. Returns how many. */
static size_t drain(struct station_queue *q, struct station_event *evs, size_t max)
{
	int64_t deadline = now_ms() + 5000;
	size_t n = 0;

	for (;;) {
		struct station_event ev;
		while (station_queue_pop(q, &ev) == 1) {
			assert_true(n < max);
			evs[n++] = ev;
		}
		if (station_queue_quiescent(q))
			return n;
		assert_true(now_ms() < deadline);
		assert_true(station_queue_wait(q, 1000) >= 0);
	}
}

static void clear_all(struct station_event *evs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		station_event_clear(&evs[i]);
}

static void test_tap_ektp(void **state)
{
	struct fixture *f = *state;
	struct station_event evs[8];
	size_t n;

	assert_int_equal(card_reader_sim_tap(f->r, "budi"), 0);
	/* Held from the tap until the events are in. */
	assert_false(station_queue_quiescent(f->q));
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 2);
	assert_int_equal(evs[0].type, STATION_EVENT_CARD_INSERTED);
	assert_int_equal(evs[1].type, STATION_EVENT_CARD_READ);
	assert_int_equal(evs[1].card.uid_len, 7);
	assert_memory_equal(evs[1].card.uid, cards[0].uid, 7);
	assert_string_equal(evs[1].card.nik, "3201011505900001");
	assert_string_equal(evs[1].card.name, "Budi Santoso");
	clear_all(evs, n);

	assert_int_equal(card_reader_sim_remove(f->r), 0);
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 1);
	assert_int_equal(evs[0].type, STATION_EVENT_CARD_REMOVED);
	assert_int_equal(card_reader_sim_remove(f->r), -ENOMEDIUM);
	assert_true(station_queue_quiescent(f->q));
}

static void test_bounded_copies(void **state)
{
	struct fixture *f = *state;
	struct station_event evs[8];
	size_t n;

	assert_int_equal(card_reader_sim_tap(f->r, "siti"), 0);
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 2);
	assert_int_equal(evs[1].type, STATION_EVENT_CARD_READ);
	assert_string_equal(evs[1].card.nik, "3174024708850003");
	assert_int_equal(strlen(evs[1].card.name), sizeof(evs[1].card.name) - 1);
	assert_memory_equal(evs[1].card.name, LONG_NAME, sizeof(evs[1].card.name) - 1);
	clear_all(evs, n);

	/* A new card on the reader: the old one was taken away first. */
	assert_int_equal(card_reader_sim_tap(f->r, "biguid"), 0);
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 3);
	assert_int_equal(evs[0].type, STATION_EVENT_CARD_REMOVED);
	assert_int_equal(evs[1].type, STATION_EVENT_CARD_INSERTED);
	assert_int_equal(evs[2].type, STATION_EVENT_CARD_READ);
	assert_int_equal(evs[2].card.uid_len, 10);
	assert_memory_equal(evs[2].card.uid, cards[4].uid, 10);
	assert_string_equal(evs[2].card.nik, "");
	clear_all(evs, n);

	/* No SAM: identity empty, UID still there. */
	assert_int_equal(card_reader_sim_tap(f->r, "nosam"), 0);
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 3);
	assert_int_equal(evs[2].type, STATION_EVENT_CARD_READ);
	assert_int_equal(evs[2].card.uid_len, 4);
	assert_string_equal(evs[2].card.nik, "");
	assert_string_equal(evs[2].card.name, "");
	clear_all(evs, n);
}

static void test_failed_cards(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *name;
		enum session_error error;
	} cases[] = {
		{"atm", SESSION_ERROR_CARD_UNKNOWN},
		{"damaged", SESSION_ERROR_CARD_UNREADABLE},
		{"badnik", SESSION_ERROR_CARD_UNREADABLE},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct station_event evs[8];
		size_t n;

		assert_int_equal(card_reader_sim_tap(f->r, cases[i].name), 0);
		n = drain(f->q, evs, 8);
		assert_int_equal(n, 2);
		assert_int_equal(evs[0].type, STATION_EVENT_CARD_INSERTED);
		assert_int_equal(evs[1].type, STATION_EVENT_CARD_FAILED);
		assert_int_equal(evs[1].card_error, cases[i].error);
		assert_int_equal(card_reader_sim_remove(f->r), 0);
		n = drain(f->q, evs, 8);
		assert_int_equal(n, 1);
		assert_int_equal(evs[0].type, STATION_EVENT_CARD_REMOVED);
	}
}

static void test_unknown_name(void **state)
{
	struct fixture *f = *state;
	unsigned long pushed = station_queue_pushed(f->q);

	assert_int_equal(card_reader_sim_tap(f->r, "nobody"), -ENOENT);
	assert_int_equal(card_reader_sim_tap(f->r, NULL), -EINVAL);
	assert_int_equal(card_reader_sim_tap(NULL, "budi"), -EINVAL);
	assert_true(station_queue_quiescent(f->q));
	assert_int_equal(station_queue_pushed(f->q), pushed);
}

static void test_unplug_replug(void **state)
{
	struct fixture *f = *state;
	struct station_event evs[8];
	size_t n;

	assert_int_equal(card_reader_sim_tap(f->r, "budi"), 0);
	clear_all(evs, drain(f->q, evs, 8));

	assert_int_equal(card_reader_sim_set_plugged(f->r, false), 0);
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 2);
	assert_int_equal(evs[0].type, STATION_EVENT_CARD_REMOVED);
	assert_int_equal(evs[1].type, STATION_EVENT_DEVICE_STATE);
	assert_int_equal(evs[1].device.device, SESSION_DEVICE_CARD_READER);
	assert_int_equal(evs[1].device.state, SESSION_DEVICE_FAILED);

	assert_int_equal(card_reader_sim_tap(f->r, "budi"), -ENODEV);
	assert_int_equal(card_reader_sim_remove(f->r), -ENODEV);
	/* Already unplugged: nothing new. */
	assert_int_equal(card_reader_sim_set_plugged(f->r, false), 0);
	assert_int_equal(drain(f->q, evs, 8), 0);

	assert_int_equal(card_reader_sim_set_plugged(f->r, true), 0);
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 1);
	assert_int_equal(evs[0].type, STATION_EVENT_DEVICE_STATE);
	assert_int_equal(evs[0].device.device, SESSION_DEVICE_CARD_READER);
	assert_int_equal(evs[0].device.state, SESSION_DEVICE_OK);
	/* The card went with the reader: a tap is a fresh insert. */
	assert_int_equal(card_reader_sim_remove(f->r), -ENOMEDIUM);
	assert_int_equal(card_reader_sim_tap(f->r, "budi"), 0);
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 2);
	assert_int_equal(evs[0].type, STATION_EVENT_CARD_INSERTED);
	assert_int_equal(evs[1].type, STATION_EVENT_CARD_READ);
	clear_all(evs, n);

	/* Unplugged with no card: only the state. */
	assert_int_equal(card_reader_sim_remove(f->r), 0);
	clear_all(evs, drain(f->q, evs, 8));
	assert_int_equal(card_reader_sim_set_plugged(f->r, false), 0);
	n = drain(f->q, evs, 8);
	assert_int_equal(n, 1);
	assert_int_equal(evs[0].type, STATION_EVENT_DEVICE_STATE);
}

static void test_ordering_many(void **state)
{
	struct fixture *f = *state;
	struct station_event evs[64];
	size_t n;

	/* Twenty taps from this thread: events in the order decided. */
	for (int i = 0; i < 10; i++) {
		assert_int_equal(card_reader_sim_tap(f->r, "budi"), 0);
		assert_int_equal(card_reader_sim_tap(f->r, "atm"), 0);
	}
	n = drain(f->q, evs, 64);
	assert_int_equal(n, 2 + 19 * 3);
	assert_int_equal(evs[0].type, STATION_EVENT_CARD_INSERTED);
	assert_int_equal(evs[1].type, STATION_EVENT_CARD_READ);
	for (size_t i = 2; i < n; i += 3) {
		assert_int_equal(evs[i].type, STATION_EVENT_CARD_REMOVED);
		assert_int_equal(evs[i + 1].type, STATION_EVENT_CARD_INSERTED);
		assert_int_equal(evs[i + 2].type, ((i - 2) / 3) % 2 == 0 ? STATION_EVENT_CARD_FAILED
									 : STATION_EVENT_CARD_READ);
	}
	clear_all(evs, n);
}

static void test_lifecycle(void **state)
{
	struct station_queue *q;
	struct card_reader *r;
	struct station_event ev;

	assert_int_equal(station_queue_new(256, &q), 0);
	assert_int_equal(card_reader_sim_new(q, cards, 2, &r), 0);
	assert_int_equal(card_reader_sim_tap(r, "budi"), -ESHUTDOWN); /* not started */
	assert_int_equal(card_reader_sim_set_plugged(r, false), -ESHUTDOWN);
	assert_int_equal(card_reader_start(r), 0);
	assert_int_equal(card_reader_start(r), 0); /* again: no second thread */
	for (int i = 0; i < 50; i++)
		assert_int_equal(card_reader_sim_tap(r, i % 2 ? "budi" : "siti"), 0);
	/* Stopped with work queued: what did not run gives its hold back. */
	assert_null(card_reader_free(r));
	while (station_queue_pop(q, &ev) == 1)
		station_event_clear(&ev);
	assert_true(station_queue_quiescent(q));
	station_queue_free(q);

	assert_null(card_reader_free(NULL));
	assert_int_equal(card_reader_start(NULL), -EINVAL);
	assert_int_equal(card_reader_sim_new(NULL, cards, 1, &r), -EINVAL);
}

static void test_not_a_sim(void **state)
{
	static const struct card_reader_ops other = {.name = "other"};
	struct card_reader fake = {.ops = &other};

	assert_int_equal(card_reader_sim_tap(&fake, "budi"), -EINVAL);
	assert_int_equal(card_reader_sim_remove(&fake), -EINVAL);
	assert_int_equal(card_reader_sim_set_plugged(&fake, true), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tap_ektp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_cards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unplug_replug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ordering_many, setup, teardown),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_not_a_sim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
