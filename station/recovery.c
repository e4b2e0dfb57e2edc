/* SPDX-License-Identifier: MIT */
#include <stddef.h>

#include "recovery.h"

static const struct recovery_policy card_reader_usb = {
	.rungs = {RECOVERY_REOPEN, RECOVERY_NEW_CONTEXT, RECOVERY_USB_RESET},
	.n_rungs = 3,
	.attempts = 2,
	.first_ms = 1000,
	.max_ms = 30000,
};

static const struct recovery_policy card_reader = {
	.rungs = {RECOVERY_REOPEN, RECOVERY_NEW_CONTEXT},
	.n_rungs = 2,
	.attempts = 2,
	.first_ms = 1000,
	.max_ms = 30000,
};

static const struct recovery_policy usb_device = {
	.rungs = {RECOVERY_REOPEN, RECOVERY_USB_RESET},
	.n_rungs = 2,
	.attempts = 3,
	.first_ms = 1000,
	.max_ms = 30000,
};

/* Network printers, the backend, the camera: they reconnect by
 * themselves or on a probe; after a good while a person must look. */
static const struct recovery_policy other = {
	.rungs = {RECOVERY_REOPEN},
	.n_rungs = 1,
	.attempts = 6,
	.first_ms = 2000,
	.max_ms = 60000,
};

const struct recovery_policy *recovery_policy_for(enum session_device d, bool usb)
{
	if (d == SESSION_DEVICE_CARD_READER)
		return usb ? &card_reader_usb : &card_reader;
	if (usb)
		return &usb_device;
	return &other;
}

void recovery_init(struct recovery *r, const struct recovery_policy *p)
{
	*r = (struct recovery){.policy = p, .state = SESSION_DEVICE_OK};
}

bool recovery_report(struct recovery *r, enum session_device_state s, uint64_t now_ms)
{
	enum session_device_state before = r->state;

	switch (s) {
	case SESSION_DEVICE_OK:
	case SESSION_DEVICE_DEGRADED:
		/* It works (degraded: works, needs paper): the ladder is done. */
		if (before == SESSION_DEVICE_FAILED || before == SESSION_DEVICE_RECOVERING)
			r->recoveries++;
		r->state = s;
		r->rung = 0;
		r->tried = 0;
		r->next_ms = 0;
		r->restart_needed = false;
		break;
	case SESSION_DEVICE_FAILED:
		if (before == SESSION_DEVICE_FAILED || before == SESSION_DEVICE_RECOVERING) {
			/* Still failed: a remedy did not help. Keep climbing; a
			 * device that reports failure again after "restart" was
			 * said stays there. */
			r->state = r->restart_needed ? SESSION_DEVICE_FAILED
						     : SESSION_DEVICE_RECOVERING;
			break;
		}
		r->faults++;
		r->state = SESSION_DEVICE_RECOVERING;
		r->rung = 0;
		r->tried = 0;
		r->pause_ms = r->policy->first_ms;
		r->next_ms = now_ms + r->pause_ms;
		r->restart_needed = false;
		break;
	default:
		return false;
	}
	return r->state != before;
}

enum recovery_action recovery_next(struct recovery *r, uint64_t now_ms)
{
	enum recovery_action a;

	if (r->next_ms == 0 || now_ms < r->next_ms)
		return RECOVERY_NONE;
	if (r->rung >= r->policy->n_rungs) {
		/* Every remedy tried: say so, once, and stop trying. */
		r->next_ms = 0;
		r->restart_needed = true;
		r->state = SESSION_DEVICE_FAILED;
		r->attempts[RECOVERY_RESTART_NEEDED]++;
		return RECOVERY_RESTART_NEEDED;
	}
	a = r->policy->rungs[r->rung];
	r->attempts[a]++;
	if (++r->tried >= r->policy->attempts) {
		r->rung++;
		r->tried = 0;
	}
	r->pause_ms = r->pause_ms * 2 > r->policy->max_ms ? r->policy->max_ms : r->pause_ms * 2;
	r->next_ms = now_ms + r->pause_ms;
	return a;
}

uint64_t recovery_deadline(const struct recovery *r)
{
	return r->next_ms;
}

const char *recovery_action_to_string(enum recovery_action a)
{
	static const char *const names[_RECOVERY_ACTION_MAX] = {
		[RECOVERY_NONE] = "none",
		[RECOVERY_REOPEN] = "reopen",
		[RECOVERY_NEW_CONTEXT] = "new-context",
		[RECOVERY_USB_RESET] = "usb-reset",
		[RECOVERY_RESTART_NEEDED] = "restart-needed",
	};

	return (int)a >= 0 && a < _RECOVERY_ACTION_MAX ? names[a] : NULL;
}
