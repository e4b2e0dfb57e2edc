/* SPDX-License-Identifier: MIT */
/*
 * Spoken guidance: what each screen says (ui/speech.h) and the eSpeak NG
 * speaker writing real WAV files (devices/speaker.h).
 *  - every citizen screen of the gallery, in both languages, has a prompt
 *    and technician screens have none;
 *  - no prompt carries the citizen's name, NIK, applications or
 *    documents (the gallery sessions hold them);
 *  - a prompt is due again only when the screen, error or language
 *    changes, not as the countdown ticks;
 *  - WAV files are well formed, and the speaker writes one per prompt.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gallery.h"
#include "speaker.h"
#include "speech.h"

static bool technician(const struct session *s)
{
	return s->state == SESSION_MAINTENANCE || s->state == SESSION_MAINTENANCE_LOGIN;
}

static void test_every_screen(void **state)
{
	(void)state;
	for (int lang = 0; lang < 2; lang++) {
		for (size_t i = 0; i < ui_gallery_count(); i++) {
			struct session s;
			char text[SPEAKER_TEXT_MAX];
			uint32_t key;
			bool english = !lang;
			size_t len;

			assert_int_equal(ui_gallery_session(i, lang == 1, &s), 0);
			len = ui_speech_prompt(&s, text, sizeof(text), &key, &english);
			assert_int_equal(english, lang == 1);
			assert_int_equal(strlen(text), len);
			if (technician(&s)) {
				if (len)
					fail_msg("%s says '%s'", ui_gallery_name(i), text);
				assert_int_equal(key, 0);
				continue;
			}
			if (len == 0)
				fail_msg("%s (%s) says nothing", ui_gallery_name(i),
					 lang ? "en" : "id");
			assert_int_not_equal(key, 0);
			/* Nothing personal. */
			if (s.personal.result.holder_name[0] &&
			    strstr(text, s.personal.result.holder_name))
				fail_msg("%s speaks the name", ui_gallery_name(i));
			if (s.personal.result.nik[0] && strstr(text, s.personal.result.nik))
				fail_msg("%s speaks the NIK", ui_gallery_name(i));
			for (size_t a = 0; a < s.personal.result.n_apps; a++) {
				const struct session_app *app = &s.personal.result.apps[a];
				if (strstr(text, app->service) || strstr(text, app->agency) ||
				    (app->document_id[0] && strstr(text, app->document_id)))
					fail_msg("%s speaks application %zu", ui_gallery_name(i),
						 a);
			}
			/* Sentences, ending in a full stop (or an ellipsis). */
			assert_true(strchr(".!?", text[len - 1]) || strstr(text, "…"));
		}
	}
}

static void test_keys(void **state)
{
	struct session a, b;
	char text[SPEAKER_TEXT_MAX], text2[SPEAKER_TEXT_MAX];
	uint32_t ka, kb;
	int welcome = ui_gallery_find("welcome");
	int countdown = ui_gallery_find("idle-countdown");
	int unreadable = ui_gallery_find("error-card-unreadable");
	int unknown = ui_gallery_find("error-card-unknown");

	(void)state;
	assert_true(welcome >= 0 && countdown >= 0 && unreadable >= 0 && unknown >= 0);
	/* Another language: another key, another text. */
	assert_int_equal(ui_gallery_session((size_t)welcome, false, &a), 0);
	assert_int_equal(ui_gallery_session((size_t)welcome, true, &b), 0);
	ui_speech_prompt(&a, text, sizeof(text), &ka, NULL);
	ui_speech_prompt(&b, text2, sizeof(text2), &kb, NULL);
	assert_int_not_equal(ka, kb);
	assert_string_not_equal(text, text2);
	/* Another error: another key. */
	assert_int_equal(ui_gallery_session((size_t)unreadable, false, &a), 0);
	assert_int_equal(ui_gallery_session((size_t)unknown, false, &b), 0);
	ui_speech_prompt(&a, text, sizeof(text), &ka, NULL);
	ui_speech_prompt(&b, text2, sizeof(text2), &kb, NULL);
	assert_int_not_equal(ka, kb);
	/* The countdown ticking: the same key. */
	assert_int_equal(ui_gallery_session((size_t)countdown, false, &a), 0);
	b = a;
	b.now_ms += 3000;
	ui_speech_prompt(&a, text, sizeof(text), &ka, NULL);
	ui_speech_prompt(&b, text2, sizeof(text2), &kb, NULL);
	assert_int_equal(ka, kb);
	/* A tiny buffer: cut, still terminated. */
	assert_int_equal(ui_gallery_session((size_t)welcome, false, &a), 0);
	assert_true(ui_speech_prompt(&a, text, 8, &ka, NULL) <= 7);
	assert_true(strlen(text) <= 7);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_wav(void **state)
{
	char path[] = "/tmp/test-speech-XXXXXX";
	const short samples[3] = {0, -2, 0x1234};
	uint8_t buf[64];
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(speaker_write_wav(path, samples, 3, 22050), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 44 + 6);
	fclose(f);
	assert_memory_equal(buf, "RIFF", 4);
	assert_int_equal(le32(buf + 4), 36 + 6);
	assert_memory_equal(buf + 8, "WAVEfmt ", 8);
	assert_int_equal(le32(buf + 24), 22050);
	assert_int_equal(buf[22], 1);  /* mono */
	assert_int_equal(buf[34], 16); /* bits */
	assert_memory_equal(buf + 36, "data", 4);
	assert_int_equal(le32(buf + 40), 6);
	assert_int_equal(buf[46], 0xFE); /* -2, little-endian */
	assert_int_equal(buf[47], 0xFF);
	assert_int_equal(buf[48], 0x34);
	assert_int_equal(buf[49], 0x12);
	unlink(path);
	assert_int_equal(speaker_write_wav(NULL, samples, 3, 22050), -EINVAL);
	assert_int_equal(speaker_write_wav(path, samples, 3, 0), -EINVAL);
}

/* The real engine: two prompts become two WAV files of speech. */
static void test_speaker(void **state)
{
	char dir[] = "/tmp/test-speaker-XXXXXX", path[128];
	struct speaker_params p = {.output = SPEAKER_WAV};
	struct speaker *sp = NULL;
	unsigned spoken = 0;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(speaker_new(&p, &sp), -EINVAL); /* no directory */
	p.wav_dir = dir;
	p.rate = 79;
	assert_int_equal(speaker_new(&p, &sp), -EINVAL);
	p.rate = 0;
	assert_int_equal(speaker_new(&p, &sp), 0);
	assert_int_equal(speaker_say(sp, "Selamat datang.", false, "Welcome"), -EINVAL);
	assert_int_equal(speaker_say(sp, "", false, "welcome"), -EINVAL);
	assert_int_equal(speaker_say(sp, "Selamat datang.", false, "welcome"), 0);
	assert_int_equal(speaker_say(sp, "Welcome.", true, "welcome"), 0);
	speaker_free_wait(sp, &spoken);
	assert_int_equal(spoken, 2);
	snprintf(path, sizeof(path), "%s/001-welcome-id.wav", dir);
	assert_int_equal(stat(path, &st), 0);
	/* Speech, not silence: over 0.3 s at eSpeak's 22050 Hz. */
	assert_true(st.st_size > 44 + 2 * 22050 * 3 / 10);
	unlink(path);
	snprintf(path, sizeof(path), "%s/002-welcome-en.wav", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 44 + 2 * 22050 * 3 / 10);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

/* Playback with nothing to play on is refused at start (-ENODEV), not
 * with an error at every prompt. This machine has no sound device unless
 * /dev/snd or a sound server says otherwise. */
static void test_playback_without_sound(void **state)
{
	struct speaker_params p = {.output = SPEAKER_PLAYBACK};
	struct speaker *sp = NULL;
	bool sound = getenv("PULSE_SERVER") || access("/dev/snd", F_OK) == 0;
	int r;

	(void)state;
	if (getenv("XDG_RUNTIME_DIR")) {
		char path[4200];

		snprintf(path, sizeof(path), "%s/pulse/native", getenv("XDG_RUNTIME_DIR"));
		sound |= access(path, F_OK) == 0;
	}
	r = speaker_new(&p, &sp);
	if (!sound) {
		assert_int_equal(r, -ENODEV);
		assert_null(sp);
	} else {
		assert_true(r == 0 || r == -ENODEV);
		speaker_free(sp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_screen),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_wav),
		cmocka_unit_test(test_speaker),
		cmocka_unit_test(test_playback_without_sound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
