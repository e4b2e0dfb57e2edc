/* SPDX-License-Identifier: MIT */
/*
 * Spoken guidance through eSpeak NG (libespeak-ng): short prompts in
 * Bahasa Indonesia or English for citizens who cannot read the screen
 * well (a headphone jack beside the screen, or a speaker).
 *
 * One thread of its own owns the synthesizer (eSpeak NG is one global
 * engine per process, not thread-safe): speaker_say() only hands text
 * over and never blocks the UI.
 *  - SPEAKER_PLAYBACK: plays on the default sound device; a newer prompt
 *    cuts the one being spoken (the screen changed: the old words are
 *    stale), so at most one is pending.
 *  - SPEAKER_WAV: writes each prompt, none dropped, as a WAV file
 *    (16-bit mono PCM at eSpeak's rate) into a directory: the headless
 *    demo and the tests, where there is nothing to hear.
 * Logs only the prompt's name, never its text.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum speaker_output {
	SPEAKER_PLAYBACK,
	SPEAKER_WAV,
};

struct speaker_params {
	enum speaker_output output;
	const char *wav_dir; /* SPEAKER_WAV: existing directory */
	int rate;	     /* words a minute, 80..450; 0: 140 */
	int volume;	     /* 0..200, 100 normal; 0: 100 */
};

struct speaker;

/* Starts the synthesizer on its thread. Returns 0, -EINVAL, -ENOMEM, or
 * -ENODEV when eSpeak NG cannot start (no voice data, no sound device for
 * playback). */
int speaker_new(const struct speaker_params *p, struct speaker **ret_speaker);
/* Drains (SPEAKER_WAV: every prompt is written first; PLAYBACK: the one
 * speaking is cut), stops the thread, frees. Accepts NULL; returns NULL. */
struct speaker *speaker_free(struct speaker *sp);

/* speaker_free(), telling how many prompts were spoken in all (for the
 * WAV output: written, once every one waiting has been). */
void speaker_free_wait(struct speaker *sp, unsigned *ret_spoken);

/* Says text (UTF-8, at most SPEAKER_TEXT_MAX - 1 bytes) in English or
 * Bahasa Indonesia. name: a short label for the log and the WAV file name
 * ([a-z0-9-], e.g. "welcome"). Any thread; never blocks. 0, -EINVAL,
 * -ENOBUFS (SPEAKER_WAV: too many waiting). */
#define SPEAKER_TEXT_MAX 512
int speaker_say(struct speaker *sp, const char *text, bool english, const char *name);

/* Prompts spoken (played or written) so far. Any thread. */
unsigned speaker_spoken(struct speaker *sp);

/* Writes a 16-bit mono PCM WAV file. Pure apart from the write; exported
 * for the tests. 0 or -errno. */
int speaker_write_wav(const char *path, const short *samples, size_t n, int rate);
