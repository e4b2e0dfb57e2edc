/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <espeak-ng/speak_lib.h>

#include "log.h"
#include "speaker.h"

#define QUEUE_MAX      32
#define NAME_MAX_BYTES 48

struct utterance {
	char text[SPEAKER_TEXT_MAX];
	char name[NAME_MAX_BYTES];
	bool english;
};

struct speaker {
	struct speaker_params params;
	char wav_dir[4096];
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct utterance queue[QUEUE_MAX]; /* ring, under lock */
	size_t head, count;
	bool stopping; /* under lock */
	atomic_uint spoken;
	atomic_bool newer; /* PLAYBACK: a newer prompt waits: cut this one */
	int sample_rate;
	int started; /* 0 starting, 1 running, <0 -errno */
	/* SPEAKER_WAV: the samples of the prompt being made. */
	short *pcm;
	size_t n_pcm, cap_pcm;
	unsigned files;
	bool thread_done; /* joined by speaker_free_wait() */
};

static void put_le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v & 0xFFFF);
	put_le16(p + 2, v >> 16);
}

int speaker_write_wav(const char *path, const short *samples, size_t n, int rate)
{
	uint8_t h[44];
	uint32_t bytes;
	FILE *f;
	int r = 0;

	if (!path || (!samples && n) || rate <= 0 || n > (UINT32_MAX - 36) / 2)
		return -EINVAL;
	bytes = (uint32_t)n * 2;
	memcpy(h, "RIFF", 4);
	put_le32(h + 4, 36 + bytes);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le32(h + 16, 16);		      /* fmt chunk size */
	put_le16(h + 20, 1);		      /* PCM */
	put_le16(h + 22, 1);		      /* mono */
	put_le32(h + 24, (uint32_t)rate);     /* samples a second */
	put_le32(h + 28, (uint32_t)rate * 2); /* bytes a second */
	put_le16(h + 32, 2);		      /* block align */
	put_le16(h + 34, 16);		      /* bits a sample */
	memcpy(h + 36, "data", 4);
	put_le32(h + 40, bytes);
	f = fopen(path, "wbe");
	if (!f)
		return -errno;
	if (fwrite(h, 1, sizeof(h), f) != sizeof(h))
		r = -EIO;
	/* Little-endian samples: this is x86/ARM; a big-endian host would
	 * swap here. */
	for (size_t i = 0; r == 0 && i < n; i++) {
		uint8_t b[2];

		put_le16(b, (uint16_t)samples[i]);
		if (fwrite(b, 1, 2, f) != 2)
			r = -EIO;
	}
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

/* eSpeak's callback (on our thread): samples to keep (WAV), or a chance
 * to cut a stale prompt (non-zero return aborts the synthesis). */
static int on_synth(short *wav, int n, espeak_EVENT *events)
{
	struct speaker *sp = events ? events->user_data : NULL;

	if (!sp)
		return 0;
	if (sp->params.output == SPEAKER_PLAYBACK)
		return atomic_load(&sp->newer) ? 1 : 0;
	if (wav && n > 0) {
		if (sp->n_pcm + (size_t)n > sp->cap_pcm) {
			size_t cap = (sp->cap_pcm ? sp->cap_pcm * 2 : 65536) + (size_t)n;
			short *p = realloc(sp->pcm, cap * sizeof(*p));

			if (!p)
				return 1;
			sp->pcm = p;
			sp->cap_pcm = cap;
		}
		memcpy(sp->pcm + sp->n_pcm, wav, (size_t)n * sizeof(*wav));
		sp->n_pcm += (size_t)n;
	}
	return 0;
}

static void speak(struct speaker *sp, const struct utterance *u)
{
	espeak_ERROR e;

	if (espeak_SetVoiceByName(u->english ? "en" : "id") != EE_OK)
		log_warning("speech: no %s voice", u->english ? "English" : "Indonesian");
	espeak_SetParameter(espeakRATE, sp->params.rate, 0);
	espeak_SetParameter(espeakVOLUME, sp->params.volume, 0);
	sp->n_pcm = 0;
	e = espeak_Synth(u->text, strlen(u->text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL,
			 sp);
	if (e != EE_OK) {
		log_warning("speech: cannot say '%s' (eSpeak error %d)", u->name, (int)e);
		return;
	}
	if (sp->params.output == SPEAKER_WAV) {
		char path[4200];
		int r;

		snprintf(path, sizeof(path), "%s/%03u-%s-%s.wav", sp->wav_dir, ++sp->files, u->name,
			 u->english ? "en" : "id");
		r = speaker_write_wav(path, sp->pcm, sp->n_pcm, sp->sample_rate);
		if (r < 0) {
			log_warning("speech: cannot write %s: %s", path, strerror(-r));
			return;
		}
	} else {
		/* Playback runs on while we wait for the next prompt; a new
		 * one cuts it (espeak_Cancel) below. */
	}
	atomic_fetch_add(&sp->spoken, 1);
	log_debug("speech: said '%s' (%s)", u->name, u->english ? "en" : "id");
}

/* Whether there is anything to play on: an ALSA playback device, or a
 * PulseAudio / PipeWire server. eSpeak NG starts without one and then
 * fails every prompt with ALSA errors on stderr; a kiosk without sound is
 * better told once at start-up. */
static bool sound_device_present(void)
{
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	char path[4200];
	glob_t g = {0};
	bool found;

	if (getenv("PULSE_SERVER"))
		return true;
	if (runtime && *runtime) {
		snprintf(path, sizeof(path), "%s/pulse/native", runtime);
		if (access(path, F_OK) == 0)
			return true;
	}
	found = glob("/dev/snd/pcmC*D*p", 0, NULL, &g) == 0 && g.gl_pathc > 0;
	globfree(&g);
	return found;
}

static void *speaker_main(void *arg)
{
	struct speaker *sp = arg;
	espeak_AUDIO_OUTPUT out =
		sp->params.output == SPEAKER_WAV ? AUDIO_OUTPUT_SYNCHRONOUS : AUDIO_OUTPUT_PLAYBACK;
	int rate;

	/* DONT_EXIT: without it eSpeak NG exits the process when its data
	 * are missing. */
	if (out == AUDIO_OUTPUT_PLAYBACK && !sound_device_present())
		rate = 0;
	else
		rate = espeak_Initialize(out, 200, NULL, espeakINITIALIZE_DONT_EXIT);
	pthread_mutex_lock(&sp->lock);
	sp->started = rate > 0 ? 1 : -ENODEV;
	sp->sample_rate = rate;
	pthread_cond_broadcast(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
	if (rate <= 0)
		return NULL;
	espeak_SetSynthCallback(on_synth);

	for (;;) {
		struct utterance u;

		pthread_mutex_lock(&sp->lock);
		while (sp->count == 0 && !sp->stopping)
			pthread_cond_wait(&sp->cond, &sp->lock);
		if (sp->count == 0 || (sp->stopping && sp->params.output == SPEAKER_PLAYBACK)) {
			pthread_mutex_unlock(&sp->lock);
			break;
		}
		u = sp->queue[sp->head];
		sp->head = (sp->head + 1) % QUEUE_MAX;
		sp->count--;
		atomic_store(&sp->newer, false);
		pthread_mutex_unlock(&sp->lock);
		if (sp->params.output == SPEAKER_PLAYBACK)
			espeak_Cancel(); /* whatever still plays is stale */
		speak(sp, &u);
		explicit_bzero(&u, sizeof(u));
	}
	if (sp->params.output == SPEAKER_PLAYBACK)
		espeak_Cancel();
	espeak_Terminate();
	return NULL;
}

int speaker_new(const struct speaker_params *p, struct speaker **ret_speaker)
{
	struct speaker *sp;
	int r;

	if (!p || !ret_speaker || (p->output != SPEAKER_PLAYBACK && p->output != SPEAKER_WAV) ||
	    (p->output == SPEAKER_WAV && (!p->wav_dir || !*p->wav_dir)) ||
	    (p->rate && (p->rate < espeakRATE_MINIMUM || p->rate > espeakRATE_MAXIMUM)) ||
	    p->volume < 0 || p->volume > 200)
		return -EINVAL;
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->params = *p;
	if (!sp->params.rate)
		sp->params.rate = 140;
	if (!sp->params.volume)
		sp->params.volume = 100;
	if (p->wav_dir)
		snprintf(sp->wav_dir, sizeof(sp->wav_dir), "%s", p->wav_dir);
	sp->params.wav_dir = sp->wav_dir;
	pthread_mutex_init(&sp->lock, NULL);
	pthread_cond_init(&sp->cond, NULL);
	atomic_init(&sp->spoken, 0);
	atomic_init(&sp->newer, false);
	r = -pthread_create(&sp->thread, NULL, speaker_main, sp);
	if (r < 0) {
		pthread_cond_destroy(&sp->cond);
		pthread_mutex_destroy(&sp->lock);
		free(sp);
		return r;
	}
	/* Wait for the engine: a kiosk without voice data or sound device
	 * is told so at start-up, not at the first prompt. */
	pthread_mutex_lock(&sp->lock);
	while (sp->started == 0)
		pthread_cond_wait(&sp->cond, &sp->lock);
	r = sp->started < 0 ? sp->started : 0;
	pthread_mutex_unlock(&sp->lock);
	if (r < 0) {
		pthread_join(sp->thread, NULL);
		pthread_cond_destroy(&sp->cond);
		pthread_mutex_destroy(&sp->lock);
		free(sp);
		return r;
	}
	*ret_speaker = sp;
	return 0;
}

void speaker_free_wait(struct speaker *sp, unsigned *ret_spoken)
{
	if (!sp) {
		if (ret_spoken)
			*ret_spoken = 0;
		return;
	}
	pthread_mutex_lock(&sp->lock);
	sp->stopping = true;
	pthread_cond_broadcast(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
	pthread_join(sp->thread, NULL);
	if (ret_spoken)
		*ret_spoken = atomic_load(&sp->spoken);
	sp->thread_done = true;
	speaker_free(sp);
}

struct speaker *speaker_free(struct speaker *sp)
{
	if (!sp)
		return NULL;
	if (sp->thread_done)
		goto freeing;
	pthread_mutex_lock(&sp->lock);
	sp->stopping = true;
	atomic_store(&sp->newer, true);
	pthread_cond_broadcast(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
	pthread_join(sp->thread, NULL);
freeing:
	explicit_bzero(sp->queue, sizeof(sp->queue));
	free(sp->pcm);
	pthread_cond_destroy(&sp->cond);
	pthread_mutex_destroy(&sp->lock);
	free(sp);
	return NULL;
}

static bool good_name(const char *name)
{
	size_t n = 0;

	for (; name[n]; n++)
		if (n >= NAME_MAX_BYTES - 1 ||
		    !strchr("abcdefghijklmnopqrstuvwxyz0123456789-", name[n]))
			return false;
	return n > 0;
}

int speaker_say(struct speaker *sp, const char *text, bool english, const char *name)
{
	struct utterance *u;

	if (!sp || !text || !*text || strlen(text) >= SPEAKER_TEXT_MAX || !name || !good_name(name))
		return -EINVAL;
	pthread_mutex_lock(&sp->lock);
	if (sp->params.output == SPEAKER_PLAYBACK) {
		/* Newest wins: drop what waits, cut what speaks. */
		sp->count = 0;
		atomic_store(&sp->newer, true);
	} else if (sp->count == QUEUE_MAX) {
		pthread_mutex_unlock(&sp->lock);
		return -ENOBUFS;
	}
	u = &sp->queue[(sp->head + sp->count) % QUEUE_MAX];
	snprintf(u->text, sizeof(u->text), "%s", text);
	snprintf(u->name, sizeof(u->name), "%s", name);
	u->english = english;
	sp->count++;
	pthread_cond_signal(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
	return 0;
}

unsigned speaker_spoken(struct speaker *sp)
{
	return sp ? atomic_load(&sp->spoken) : 0;
}
