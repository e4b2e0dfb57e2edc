/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the scenario parser. Besides "no crash, no leak, no
 * overread", it checks what the parser promises: on success every step is
 * in range and its strings end; on failure the message names the line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_step(const struct scenario_step *st, unsigned prev_line)
{
	check(st->op >= 0 && st->op < _SCENARIO_OP_MAX);
	check(st->line > prev_line);
	check(memchr(st->arg, '\0', sizeof(st->arg)) != NULL);
	switch (st->op) {
	case SCENARIO_TOUCH:
		check(st->button >= 0 && st->button < _SESSION_BUTTON_MAX);
		check(st->index >= -1 && st->index < SESSION_MAX_APPS);
		break;
	case SCENARIO_WAIT:
		check(st->ms <= 3600 * 1000);
		break;
	case SCENARIO_TYPE_PIN: {
		size_t n = strlen(st->arg);
		check(n >= 1 && n <= SESSION_PIN_MAX);
		check(strspn(st->arg, "0123456789") == n);
		break;
	}
	case SCENARIO_TAP_CARD:
	case SCENARIO_SHOW_QR:
		check(st->arg[0] != '\0');
		break;
	case SCENARIO_PRINTER:
	case SCENARIO_EXPECT_PRINTED:
		check(st->printer >= 0 && st->printer < _SESSION_PRINT_KIND_MAX);
		break;
	case SCENARIO_PLUG:
	case SCENARIO_UNPLUG:
		check(st->device >= 0 && st->device < _SESSION_DEVICE_MAX);
		break;
	case SCENARIO_EXPECT_SCREEN:
		check(st->state >= 0 && st->state < _SESSION_STATE_MAX);
		break;
	case SCENARIO_EXPECT_ERROR:
		check(st->error >= 0 && st->error < _SESSION_ERROR_MAX);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *s = NULL;
	struct scenario_error err;
	int r = scenario_parse((const char *)data, size, &s, &err);

	check(memchr(err.message, '\0', sizeof(err.message)) != NULL);
	if (r < 0) {
		check(r == -EINVAL || r == -E2BIG || r == -ENOMEM);
		check(s == NULL);
		if (r != -ENOMEM)
			check(err.line >= 1 && strncmp(err.message, "line ", 5) == 0);
		return 0;
	}
	check(s != NULL);
	unsigned prev = 0;
	for (size_t i = 0; i < s->n_steps; i++) {
		check_step(&s->steps[i], prev);
		prev = s->steps[i].line;
	}
	scenario_free(s);
	return 0;
}
