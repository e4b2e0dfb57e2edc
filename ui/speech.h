/* SPDX-License-Identifier: MIT */
/*
 * What the audio guidance says on each screen: a short prompt made of the
 * screen's own texts (its title and what to do), in the session's
 * language, so what is heard is what is shown. Pure; any thread.
 *
 * Nothing personal is ever spoken: no name, NIK, application or
 * document, only the fixed texts (and, on the status list, how many
 * applications there are). Technician screens say nothing.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"

/* The prompt for the screen s shows, into buf. Returns its length (0: this
 * screen says nothing) and *ret_key, which changes exactly when another
 * prompt is due (another screen, error or language; not the countdown's
 * ticking seconds). *ret_english: the language to speak it in. */
size_t ui_speech_prompt(const struct session *s, char *buf, size_t size, uint32_t *ret_key,
			bool *ret_english);
