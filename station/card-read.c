/* SPDX-License-Identifier: MIT */
/*
 * One masked e-KTP read through the PC/SC driver (card-read.h), shared by
 * `station card read` and `station diag test card`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <sodium.h>

#include "card-read.h"
#include "nik.h"
#include "privacy.h"
#include "queue.h"

int card_read_parse_key(const char *s, uint8_t *out)
{
	size_t n = 0;

	for (; *s && n < 2 * EKTP_UNLOCK_LEN; s++) {
		int v;

		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == ':')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -EINVAL;
		if (n % 2 == 0)
			out[n / 2] = (uint8_t)(v << 4);
		else
			out[n / 2] |= (uint8_t)v;
		n++;
	}
	while (*s == ' ' || *s == '\n' || *s == '\t')
		s++;
	return n == 2 * EKTP_UNLOCK_LEN && *s == '\0' ? 0 : -EINVAL;
}

int card_read_options_from_config(const struct station_config *cfg, struct card_read_options *o,
				  struct config_errors *errs)
{
	struct station_secrets *sec = NULL;
	int r = 0;

	snprintf(o->reader, sizeof(o->reader), "%s", cfg->card_reader);
	snprintf(o->sam_reader, sizeof(o->sam_reader), "%s", cfg->sam_reader);
	o->n_atr = cfg->n_card_atr;
	memcpy(o->atr, cfg->card_atr, sizeof(o->atr));
	o->photo = o->photo || cfg->card_read_photo;
	o->read_timeout_ms = (unsigned)cfg->card_read_timeout_ms;
	if (!cfg->secrets_file[0] || !cfg->sam_reader[0])
		return 0;
	sec = calloc(1, sizeof(*sec));
	if (!sec)
		return -ENOMEM;
	r = config_load_secrets(cfg->secrets_file, sec, errs);
	if (r >= 0 && sec->sam_credentials[0]) {
		r = card_read_parse_key(sec->sam_credentials, o->unlock);
		if (r < 0)
			fprintf(stderr, "station card: sam_credentials: expected %d hex digits\n",
				2 * EKTP_UNLOCK_LEN);
		else
			o->have_unlock = true;
	}
	config_secrets_wipe(sec);
	free(sec);
	return r;
}

void card_read_mask_report(struct card_read_result *res, const struct card_pcsc_report *rep)
{
	const struct ektp_identity *id = rep->identity;

	snprintf(res->reader, sizeof(res->reader), "%s", rep->reader ? rep->reader : "");
	ektp_hex(rep->atr, rep->atr ? rep->atr_len : 0, res->atr, sizeof(res->atr));
	res->read_ms = (double)rep->read_us / 1000.0;
	res->transmit_ms = (double)rep->transmit_us / 1000.0;
	res->apdus = rep->apdus;
	res->error = rep->error;
	res->has_identity = false;
	res->photo_len = 0;
	res->type[0] = res->uid[0] = '\0';
	if (!id)
		return;
	snprintf(res->type, sizeof(res->type), "%s", id->atr_name);
	privacy_mask_uid(id->uid, id->uid_len, res->uid, sizeof(res->uid));
	res->photo_len = id->photo ? id->photo_len : 0;
	if (id->has_biodata) {
		struct nik_info info;

		res->has_identity = true;
		privacy_mask_nik(id->bio.nik, res->nik, sizeof(res->nik));
		privacy_mask_name(id->bio.name, res->name, sizeof(res->name));
		snprintf(res->sex, sizeof(res->sex), "%s", nik_sex_to_string(id->bio.sex));
		if (nik_parse(id->bio.nik, NIK_LEN, NULL, &info) == 0)
			snprintf(res->province, sizeof(res->province), "%s", info.province_name);
		else
			res->province[0] = '\0';
		sodium_memzero(&info, sizeof(info));
	}
}

json_t *card_read_result_json(const struct card_read_result *res, const char *event)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (event)
		json_object_set_new(o, "event", json_string(event));
	json_object_set_new(o, "reader", json_string(res->reader));
	json_object_set_new(o, "atr", json_string(res->atr));
	json_object_set_new(o, "type", res->type[0] ? json_string(res->type) : json_null());
	json_object_set_new(o, "uid", res->uid[0] ? json_string(res->uid) : json_null());
	if (res->has_identity) {
		json_t *id = json_object();

		json_object_set_new(id, "nik", json_string(res->nik));
		json_object_set_new(id, "name", json_string(res->name));
		json_object_set_new(id, "sex", json_string(res->sex));
		json_object_set_new(id, "province", json_string(res->province));
		json_object_set_new(id, "photo_bytes", json_integer((json_int_t)res->photo_len));
		json_object_set_new(o, "identity", id);
	} else {
		json_object_set_new(o, "identity", json_null());
	}
	if (res->error)
		json_object_set_new(o, "error", json_string(strerror(-res->error)));
	json_object_set_new(o, "read_ms", json_real(res->read_ms));
	json_object_set_new(o, "transmit_ms", json_real(res->transmit_ms));
	json_object_set_new(o, "apdus", json_integer(res->apdus));
	return o;
}

/* The first read or failure only. The driver's thread. */
static void read_observe(void *userdata, const struct card_pcsc_report *rep)
{
	struct card_read_result *res = userdata;

	if (rep->kind != CARD_PCSC_CARD_READ && rep->kind != CARD_PCSC_CARD_FAILED)
		return;
	pthread_mutex_lock(&res->lock);
	if (!res->done) {
		card_read_mask_report(res, rep);
		res->done = true;
	}
	pthread_mutex_unlock(&res->lock);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The events of the read; returns the exit code. */
static int wait_read(struct station_queue *q, const struct card_read_options *o)
{
	long long deadline = now_ms() + o->timeout_s * 1000;
	int state = -1, code = -1;
	bool inserted = false;

	while (code < 0) {
		struct station_event ev;
		long long left = deadline - now_ms();

		if (station_queue_pop(q, &ev) != 1) {
			if (left <= 0)
				break;
			station_queue_wait(q, (int)left);
			continue;
		}
		switch (ev.type) {
		case STATION_EVENT_DEVICE_STATE:
			state = ev.device.state;
			break;
		case STATION_EVENT_CARD_INSERTED:
			/* The read has its own deadline (read_timeout): give
			 * it that, and time to report. */
			if (!inserted)
				deadline = now_ms() +
					   (o->read_timeout_ms ? o->read_timeout_ms : 5000) + 10000;
			inserted = true;
			break;
		case STATION_EVENT_CARD_READ:
			code = EX_OK;
			break;
		case STATION_EVENT_CARD_FAILED:
			code = ev.card_error == SESSION_ERROR_CARD_UNKNOWN ? EX_DATAERR : EX_IOERR;
			break;
		default:
			break;
		}
		station_event_clear(&ev);
	}
	if (code >= 0)
		return code;
	return state == SESSION_DEVICE_OK || state == SESSION_DEVICE_DEGRADED ? EX_NOINPUT
									      : EX_UNAVAILABLE;
}

int card_read_once(const struct card_read_options *o, struct card_read_result *res)
{
	struct station_queue *q = NULL;
	struct card_reader *reader = NULL;
	struct card_reader_pcsc_config cfg = {
		.reader_pattern = o->reader,
		.sam_reader_pattern = o->sam_reader,
		.sam_unlock = o->have_unlock ? o->unlock : NULL,
		.atr_table = o->n_atr ? o->atr : NULL,
		.n_atr = o->n_atr,
		.read_photo = o->photo,
		.read_timeout_ms = o->read_timeout_ms,
		.observe = read_observe,
		.userdata = res,
	};
	int code = EX_OSERR;

	memset(res, 0, sizeof(*res));
	pthread_mutex_init(&res->lock, NULL);
	if (station_queue_new(64, &q) >= 0 && card_reader_pcsc_new(q, &cfg, &reader) >= 0 &&
	    card_reader_start(reader) >= 0)
		code = wait_read(q, o);
	/* The driver's thread has ended when this returns: res is ours. */
	card_reader_free(reader);
	station_queue_free(q);
	pthread_mutex_destroy(&res->lock);
	return code;
}

void card_read_explain(int code, const struct card_read_result *res, long timeout_s, char *buf,
		       size_t size)
{
	switch (code) {
	case EX_OK:
		snprintf(buf, size, "read");
		break;
	case EX_DATAERR:
		snprintf(buf, size,
			 "not an e-KTP (ATR %s; if it is one, add an 'atr =' pattern to [card])",
			 res->atr[0] ? res->atr : "unknown");
		break;
	case EX_NOINPUT:
		snprintf(buf, size, "no card within %ld s", timeout_s);
		break;
	case EX_UNAVAILABLE:
		snprintf(buf, size, "no card reader (is pcscd running?)");
		break;
	case EX_IOERR:
		snprintf(buf, size,
			 "the card could not be read (Kartu tidak terbaca, tempelkan "
			 "kembali)");
		break;
	default:
		snprintf(buf, size, "the card reader driver could not be started");
		break;
	}
}

void card_read_result_wipe(struct card_read_result *res)
{
	sodium_memzero(res, sizeof(*res));
}
