/* SPDX-License-Identifier: MIT */
/*
 * The station's configuration: an INI file (inih), parsed once into an
 * immutable struct. Every key, its default and its meaning are documented
 * in config/station.conf, which is the file shipped to /etc/station/.
 *
 * Errors are collected, not stopped at: config_load() reports every bad
 * line (file:line: message) so `station config check` can list them all.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ektp.h"
#include "session.h"

#define CONFIG_DEFAULT_PATH "/etc/station/station.conf"
#define CONFIG_PATH_MAX	    4096
#define CONFIG_QR_KEYS_MAX  8
#define CONFIG_CARD_ATR_MAX 16

enum config_log_level {
	CONFIG_LOG_ERROR,
	CONFIG_LOG_WARNING,
	CONFIG_LOG_INFO,
	CONFIG_LOG_DEBUG,
};

/* A rectangle in frame pixels; w == 0 (and h == 0): none. */
struct config_roi {
	int x, y, w, h;
};

struct config_qr_key {
	char id[33];		/* key id carried in tokens */
	uint8_t public_key[32]; /* Ed25519 */
};

struct station_config {
	/* [station] */
	char station_id[64];		    /* required: no default */
	char state_dir[CONFIG_PATH_MAX];    /* /var/lib/station */
	char secrets_file[CONFIG_PATH_MAX]; /* "" = none */
	enum config_log_level log_level;    /* info */
	/* Seconds between printer status probes while the kiosk is idle;
	 * 0 = none (only after jobs and sessions). */
	uint64_t probe_interval_s; /* 30 */

	/* [session]: seconds in the file, milliseconds here */
	struct session_timeouts timeouts;

	/* [ui] */
	bool english;	   /* language=id|en; id by default */
	int width, height; /* 0 = the display's size */
	bool fullscreen;   /* true */
	bool speech;	   /* spoken guidance (eSpeak NG): false */
	int speech_rate;   /* words a minute: 140 */
	int speech_volume; /* 0..200: 100 */

	/* [card] */
	char card_backend[16]; /* pcsc | sim */
	char card_reader[128]; /* reader name pattern (fnmatch), "" = first */
	char sam_reader[128];  /* "" = no SAM */
	/* atr = ... (repeatable): e-KTP ATR patterns, value + mask ("xx" for a
	 * byte that varies per card); none = ektp_atr_default_table(). */
	size_t n_card_atr;
	struct ektp_atr_pattern card_atr[CONFIG_CARD_ATR_MAX];
	bool card_read_photo;	       /* read_photo = no */
	uint64_t card_read_timeout_ms; /* read_timeout = 5 (seconds) */

	/* [camera] */
	char camera_backend[16]; /* v4l2 | files | sim */
	char camera_device[CONFIG_PATH_MAX];
	int camera_width, camera_height; /* asked of the driver: 1280x720 */
	int camera_fps;			 /* 30; 0 = the driver's default */
	struct config_roi camera_roi;	 /* frame pixels; w = 0: whole frame */
	bool camera_loop;		 /* files: start again at the end (no) */

	/* [receipt] */
	char receipt_printer[CONFIG_PATH_MAX]; /* URI: usb:// tcp:// file: sim: */
	int receipt_width_dots;		       /* 576 (80 mm) or 384 (58 mm) */

	/* [document] */
	char document_printer[CONFIG_PATH_MAX]; /* URI: ipp:// cups: dir: sim: */

	/* [backend] */
	char backend_url[512]; /* https://... or sim: */
	uint64_t backend_connect_timeout_ms;
	uint64_t backend_timeout_ms;
	char backend_ca_file[CONFIG_PATH_MAX];
	uint64_t backend_heartbeat_s; /* 0: no heartbeats */

	/* [metrics] listen: "127.0.0.1:9464" serves /metrics; "" (the
	 * default): off. Loopback addresses only. */
	char metrics_listen[32];

	/* [qr] */
	size_t n_qr_keys;
	struct config_qr_key qr_keys[CONFIG_QR_KEYS_MAX]; /* key.<id> = base64 */
	uint64_t qr_clock_skew_s;

	/* [maintenance] */
	unsigned pin_max_failures; /* 5 */
	uint64_t pin_lockout_s;	   /* 900 */
};

/* Secrets live in their own file (secrets_file), readable by the station
 * user only. Wiped by config_secrets_wipe(). */
#define CONFIG_TECHNICIAN_CARDS_MAX 16

struct station_secrets {
	char backend_token[256];
	char sam_credentials[129];     /* hex of the SAM unlock key */
	char technician_pin_hash[256]; /* crypto_pwhash_str() output */
	/* technician_card = HASH (repeatable): the allow-list of technician
	 * cards, each the 32-byte hash of a card UID (station/technician.h),
	 * never the UID itself. */
	size_t n_technician_cards;
	uint8_t technician_cards[CONFIG_TECHNICIAN_CARDS_MAX][32];
};

/* One problem found in a file. */
struct config_error {
	unsigned line; /* 0: not tied to a line (e.g. missing key) */
	char message[200];
};

#define CONFIG_ERRORS_MAX 64
struct config_errors {
	size_t n;	  /* errors recorded (at most CONFIG_ERRORS_MAX) */
	size_t n_dropped; /* errors beyond that */
	struct config_error e[CONFIG_ERRORS_MAX];
};

/* Fills *ret with every default (what an empty file gives). */
void config_defaults(struct station_config *ret);

/* Parses the INI text in buf (len bytes, need not be NUL-terminated) on top
 * of the defaults. Returns 0 and fills *ret when valid; -EINVAL when any
 * error was found (all listed in *errs, *ret untouched). Never logs. */
int config_parse(const char *buf, size_t len, struct station_config *ret,
		 struct config_errors *errs);

/* Reads and parses the file at path. -ENOENT etc. when it cannot be read
 * (errs then holds one line-0 error saying why). */
/* "A.B.C.D:PORT" with A.B.C.D in 127.0.0.0/8 and PORT 1..65535: 0 and the
 * address and port in host order, or -EINVAL. */
int config_listen_parse(const char *value, uint32_t *ret_addr, uint16_t *ret_port);

int config_load(const char *path, struct station_config *ret, struct config_errors *errs);

/* Loads the secrets file. Refuses (-EPERM, with an error naming the mode)
 * a file that group or others can read, or that is not a regular file. */
int config_load_secrets(const char *path, struct station_secrets *ret, struct config_errors *errs);

void config_secrets_wipe(struct station_secrets *s);

const char *config_log_level_to_string(enum config_log_level l);
