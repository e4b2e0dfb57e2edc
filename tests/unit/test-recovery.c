/* SPDX-License-Identifier: MIT */
/*
 * The recovery ladder (station/recovery.h) driven by injected faults:
 * escalation order and attempts per rung, the growing pauses, "restart
 * needed" at the top, a recovery anywhere on the way resetting it, the
 * counters, and a degraded device not treated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "recovery.h"
#include "usb-reset.h"

/* Runs the ladder from a fault at t0 with the device never coming back;
 * fills actions (up to max) in order and the times they were due. */
static size_t climb(struct recovery *r, uint64_t t0, enum recovery_action *actions, uint64_t *at,
		    size_t max)
{
	size_t n = 0;

	assert_true(recovery_report(r, SESSION_DEVICE_FAILED, t0));
	while (n < max && recovery_deadline(r)) {
		uint64_t due = recovery_deadline(r);

		/* Nothing before its time. */
		assert_int_equal(recovery_next(r, due - 1), RECOVERY_NONE);
		at[n] = due;
		actions[n++] = recovery_next(r, due);
		/* The remedy did not help: the device still says failed. */
		if (actions[n - 1] != RECOVERY_RESTART_NEEDED)
			assert_false(recovery_report(r, SESSION_DEVICE_FAILED, due + 10));
	}
	return n;
}

static void test_card_reader_ladder(void **state)
{
	const enum recovery_action want[] = {RECOVERY_REOPEN,	     RECOVERY_REOPEN,
					     RECOVERY_NEW_CONTEXT,   RECOVERY_NEW_CONTEXT,
					     RECOVERY_USB_RESET,     RECOVERY_USB_RESET,
					     RECOVERY_RESTART_NEEDED};
	const struct recovery_policy *p = recovery_policy_for(SESSION_DEVICE_CARD_READER, true);
	enum recovery_action got[16];
	uint64_t at[16];
	struct recovery r;
	size_t n;

	(void)state;
	recovery_init(&r, p);
	assert_int_equal(r.state, SESSION_DEVICE_OK);
	assert_int_equal(recovery_deadline(&r), 0);
	n = climb(&r, 5000, got, at, 16);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i])
			fail_msg("step %zu: %s, expected %s", i, recovery_action_to_string(got[i]),
				 recovery_action_to_string(want[i]));
	}
	/* The first after first_ms; the pauses double up to max_ms. */
	assert_int_equal(at[0], 5000 + p->first_ms);
	for (size_t i = 1; i < n; i++) {
		uint64_t gap = at[i] - at[i - 1];

		assert_true(gap <= p->max_ms);
		if (i > 1)
			assert_true(gap >= at[i - 1] - at[i - 2]);
	}
	assert_int_equal(at[1] - at[0], 2 * p->first_ms);
	/* At the top: failed, restart needed, nothing more to try. */
	assert_int_equal(r.state, SESSION_DEVICE_FAILED);
	assert_true(r.restart_needed);
	assert_int_equal(recovery_deadline(&r), 0);
	assert_int_equal(recovery_next(&r, UINT64_MAX), RECOVERY_NONE);
	assert_false(recovery_report(&r, SESSION_DEVICE_FAILED, at[n - 1] + 100));
	assert_int_equal(r.faults, 1);
	assert_int_equal(r.attempts[RECOVERY_REOPEN], 2);
	assert_int_equal(r.attempts[RECOVERY_NEW_CONTEXT], 2);
	assert_int_equal(r.attempts[RECOVERY_USB_RESET], 2);
	assert_int_equal(r.attempts[RECOVERY_RESTART_NEEDED], 1);

	/* Someone fixed it: ok, counted, the ladder cleared. */
	assert_true(recovery_report(&r, SESSION_DEVICE_OK, at[n - 1] + 1000));
	assert_int_equal(r.state, SESSION_DEVICE_OK);
	assert_false(r.restart_needed);
	assert_int_equal(r.recoveries, 1);
	assert_int_equal(recovery_deadline(&r), 0);
}

/* Healed on the way: after the first reopen; a new fault starts at the
 * bottom again. */
static void test_healed_midway(void **state)
{
	struct recovery r;
	uint64_t t;

	(void)state;
	recovery_init(&r, recovery_policy_for(SESSION_DEVICE_CARD_READER, false));
	assert_true(recovery_report(&r, SESSION_DEVICE_FAILED, 0));
	assert_int_equal(r.state, SESSION_DEVICE_RECOVERING);
	t = recovery_deadline(&r);
	assert_int_equal(recovery_next(&r, t), RECOVERY_REOPEN);
	assert_true(recovery_report(&r, SESSION_DEVICE_OK, t + 50));
	assert_int_equal(r.faults, 1);
	assert_int_equal(r.recoveries, 1);
	assert_int_equal(recovery_deadline(&r), 0);
	/* Reported ok again: nothing counted twice. */
	assert_false(recovery_report(&r, SESSION_DEVICE_OK, t + 60));
	assert_int_equal(r.recoveries, 1);
	/* The next fault: reopen first again, after first_ms. */
	assert_true(recovery_report(&r, SESSION_DEVICE_FAILED, 100000));
	assert_int_equal(recovery_deadline(&r), 100000 + r.policy->first_ms);
	assert_int_equal(recovery_next(&r, recovery_deadline(&r)), RECOVERY_REOPEN);
	assert_int_equal(r.faults, 2);
	assert_int_equal(r.attempts[RECOVERY_REOPEN], 2);
	/* Without USB there is no reset rung. */
	while (recovery_deadline(&r)) {
		enum recovery_action a = recovery_next(&r, recovery_deadline(&r));

		assert_int_not_equal(a, RECOVERY_USB_RESET);
	}
	assert_true(r.restart_needed);
}

/* Paper low: the printer works; no ladder. From failed, degraded is a
 * recovery. */
static void test_degraded(void **state)
{
	struct recovery r;

	(void)state;
	recovery_init(&r, recovery_policy_for(SESSION_DEVICE_RECEIPT_PRINTER, true));
	assert_true(recovery_report(&r, SESSION_DEVICE_DEGRADED, 10));
	assert_int_equal(recovery_deadline(&r), 0);
	assert_int_equal(recovery_next(&r, UINT64_MAX), RECOVERY_NONE);
	assert_int_equal(r.faults, 0);
	assert_true(recovery_report(&r, SESSION_DEVICE_FAILED, 20));
	assert_int_equal(recovery_next(&r, recovery_deadline(&r)), RECOVERY_REOPEN);
	assert_true(recovery_report(&r, SESSION_DEVICE_DEGRADED, 5000));
	assert_int_equal(r.state, SESSION_DEVICE_DEGRADED);
	assert_int_equal(r.recoveries, 1);
	assert_int_equal(recovery_deadline(&r), 0);
	/* An unknown state is ignored. */
	assert_false(recovery_report(&r, (enum session_device_state)99, 6000));
}

/* Network devices: reopen a few times, then a person must look. */
static void test_other_devices(void **state)
{
	const struct recovery_policy *p = recovery_policy_for(SESSION_DEVICE_BACKEND, false);
	enum recovery_action got[16];
	uint64_t at[16];
	struct recovery r;
	size_t n;

	(void)state;
	recovery_init(&r, p);
	n = climb(&r, 0, got, at, 16);
	assert_int_equal(n, p->attempts + 1);
	for (size_t i = 0; i + 1 < n; i++)
		assert_int_equal(got[i], RECOVERY_REOPEN);
	assert_int_equal(got[n - 1], RECOVERY_RESTART_NEEDED);
	assert_ptr_equal(recovery_policy_for(SESSION_DEVICE_RECEIPT_PRINTER, true),
			 recovery_policy_for(SESSION_DEVICE_DOCUMENT_PRINTER, true));
	assert_string_equal(recovery_action_to_string(RECOVERY_NEW_CONTEXT), "new-context");
	assert_null(recovery_action_to_string(_RECOVERY_ACTION_MAX));
}

/* Which USB devices a reset rung picks. */
static void test_usb_match(void **state)
{
	const uint8_t printer[] = {0x07}, ccid[] = {0x03, 0x0B}, hub[] = {0x09};
	struct usb_match m;

	(void)state;
	assert_int_equal(usb_match_from_uri("usb://04b8:0e15/ABC123?timeout_ms=9", &m), 0);
	assert_int_equal(m.vid, 0x04b8);
	assert_int_equal(m.pid, 0x0e15);
	assert_true(usb_match_device(&m, 0x04b8, 0x0e15, hub, 1));
	assert_false(usb_match_device(&m, 0x04b8, 0x0e16, printer, 1));
	assert_int_equal(usb_match_from_uri("usb://", &m), 0);
	assert_int_equal(m.iface_class, USB_CLASS_PRINTER_);
	assert_true(usb_match_device(&m, 0x1234, 0x5678, printer, 1));
	assert_false(usb_match_device(&m, 0x1234, 0x5678, ccid, 2));
	assert_int_equal(usb_match_from_uri("usb://?timeout_ms=5", &m), 0);
	assert_int_equal(usb_match_from_uri("usb://04b8", &m), -EINVAL);
	assert_int_equal(usb_match_from_uri("usb://04b8:xyz", &m), -EINVAL);
	assert_int_equal(usb_match_from_uri("usb://12345:1", &m), -EINVAL);
	assert_int_equal(usb_match_from_uri("tcp://h:9100", &m), -EINVAL);
	m = (struct usb_match){.iface_class = USB_CLASS_SMART_CARD_};
	assert_true(usb_match_device(&m, 0x072f, 0x90cc, ccid, 2));
	assert_false(usb_match_device(&m, 0x072f, 0x90cc, printer, 1));
	/* Nothing of that kind on this machine's buses: told, not faked. */
	m = (struct usb_match){.vid = 0xffff, .pid = 0xfffe, .iface_class = -1};
	assert_true(usb_reset_matching(&m) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_card_reader_ladder), cmocka_unit_test(test_healed_midway),
		cmocka_unit_test(test_degraded),	   cmocka_unit_test(test_other_devices),
		cmocka_unit_test(test_usb_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
