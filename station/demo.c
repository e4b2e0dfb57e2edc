/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <sodium.h>

#include "backend-http.h"
#include "camera-preview.h"
#include "speaker.h"
#include "speech.h"
#include "camera.h"
#include "card-reader-pcsc.h"
#include "ektp.h"
#include "qr-source-camera.h"
#include "demo-backend.h"
#include "demo-data.h"
#include "demo-printers.h"
#include "demo.h"
#include "escpos.h"
#include "log.h"
#include "macro.h"
#include "metrics-http.h"
#include "metrics.h"
#include "notify.h"
#include "ui.h"

/* Seconds a step may take in real time before the demo moves on (a
 * `backend slow` step keeps its worker busy longer than that on purpose). */
#define DEMO_STEP_REAL_TIMEOUT_MS 10000

const char demo_builtin_scenario[] =
	"# Anjungan demo: the three flows of DESIGN.md.\n"
	"# 1. Budi checks the status of his applications with his e-KTP and\n"
	"#    prints a status receipt.\n"
	"tap-card budi\n"
	"expect-screen showing-status\n"
	"touch next-page\n"
	"touch prev-page\n"
	"touch print-receipt\n"
	"expect-screen done\n"
	"expect-printed receipt 1\n"
	"remove-card\n"
	"touch finish\n"
	"expect-screen welcome\n"
	"# 2. Siti collects her finished document with the QR code from her SMS.\n"
	"show-qr issue APP-2026-000110\n"
	"expect-screen choosing-document\n"
	"touch confirm\n"
	"expect-screen done\n"
	"expect-printed document 1\n"
	"expect-confirmed 1\n"
	"wait 15\n"
	"expect-screen welcome\n"
	"# A code that expired is refused before any network call.\n"
	"show-qr expired APP-2026-000110\n"
	"expect-screen error\n"
	"expect-error qr-expired\n"
	"touch ok\n"
	"# Budi walks away mid-session: the countdown, then the welcome screen.\n"
	"tap-card budi\n"
	"remove-card\n"
	"wait 60\n"
	"expect-screen idle-countdown\n"
	"wait 10\n"
	"expect-screen welcome\n"
	"# 3. A technician opens the maintenance mode with the PIN.\n"
	"touch maintenance\n"
	"expect-screen maintenance-login\n"
	"type-pin " DEMO_TECHNICIAN_PIN "\n"
	"expect-screen maintenance\n"
	"touch finish\n"
	"expect-screen welcome\n";

struct demo {
	const struct demo_options *opt;
	char drawn_clock[32]; /* the clock text on screen */
	struct station_config config;
	struct station_secrets secrets;
	struct qr_key key;
	struct qr_key keys[CONFIG_QR_KEYS_MAX + 1];
	size_t n_keys;
	struct qr_keyring keyring;
	uint8_t secret_key[64];
	struct station_queue *queue;
	struct station *station;
	/* [metrics] listen: the counters and their HTTP endpoint. */
	struct metrics *metrics;
	struct metrics_http *metrics_http;
	/* The simulators, borrowed from the station's devices. */
	struct card_reader *card;
	struct qr_source *qr;
	struct receipt_printer *receipt;
	struct document_printer *document;
	struct backend *backend;
	/* mpp-sim (started or attached), NULL for the in-process backend. */
	struct demo_backend *server;
	char server_tmp[4096]; /* its directory when there is no out dir */
	const struct scenario *sc;
	/* The printer stand-ins, NULL with sim printers (or a configuration). */
	struct demo_printers *printers;
	bool documents_on_sim; /* receipts on the stand-in, documents on sim */
	char print_tmp[4096];  /* the stand-ins' directory when there is no out dir */
	uint64_t now_ms;       /* headless: the virtual clock */
	unsigned long drawn_version;
	/* The camera's newest picture while the QR screen is up. */
	struct ui_gray_image preview;
	bool have_preview;
	/* Spoken guidance (--speak, [ui] speech), NULL when off. */
	struct speaker *speaker;
	uint32_t spoken_key; /* the prompt last handed over */
	unsigned spoken;     /* headless: prompts written */
	char dir_speech[4096];
	unsigned screens;
	struct ui_frame frame;
	char dir_screens[4096];
	char dir_receipts[4096];
	char dir_documents[4096];
	FILE *summary;
};

static int mkdir_p(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static void say(struct demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct demo *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (d->summary) {
		va_start(ap, fmt);
		vfprintf(d->summary, fmt, ap);
		va_end(ap);
		fputc('\n', d->summary);
	}
}

/* ---- set-up ------------------------------------------------------------- */

/* Opens the devices a configuration names (the demo's own set-up names
 * the simulators). A back end the build does not have is refused by name,
 * never replaced by a simulator behind the technician's back. */
/* The card reader the configuration names: the simulator, or pcsc-lite
 * with the SAM credentials of the secrets file. */
static int open_card_reader(struct demo *d, struct station_devices *devs)
{
	const struct station_config *c = &d->config;
	uint8_t unlock[EKTP_UNLOCK_LEN];
	size_t len = 0;
	int r;

	if (strcmp(c->card_backend, "sim") == 0)
		return card_reader_sim_new(d->queue, demo_cards, demo_n_cards, &devs->card);
	if (strcmp(c->card_backend, "pcsc") != 0) {
		fprintf(stderr, "station: unknown card reader back end '%s'\n", c->card_backend);
		return -EINVAL;
	}
	struct card_reader_pcsc_config pc = {
		.reader_pattern = c->card_reader,
		.sam_reader_pattern = c->sam_reader,
		.atr_table = c->n_card_atr ? c->card_atr : NULL,
		.n_atr = c->n_card_atr,
		.read_photo = c->card_read_photo,
		.read_timeout_ms = (unsigned)c->card_read_timeout_ms,
	};
	if (d->secrets.sam_credentials[0]) {
		const char *hex = d->secrets.sam_credentials;
		if (sodium_hex2bin(unlock, sizeof(unlock), hex, strlen(hex), NULL, &len, NULL) !=
			    0 ||
		    len != sizeof(unlock)) {
			fprintf(stderr, "station: sam_credentials must be %zu hex digits\n",
				2 * sizeof(unlock));
			sodium_memzero(unlock, sizeof(unlock));
			return -EINVAL;
		}
		pc.sam_unlock = unlock;
	}
	r = card_reader_pcsc_new(d->queue, &pc, &devs->card);
	sodium_memzero(unlock, sizeof(unlock));
	return r;
}

void demo_camera_params(const struct station_config *c, struct camera_v4l2_params *v4l2,
			struct qr_scanner_params *scan)
{
	if (v4l2)
		*v4l2 = (struct camera_v4l2_params){.device = c->camera_device,
						    .width = c->camera_width,
						    .height = c->camera_height,
						    .fps = c->camera_fps};
	if (scan) {
		qr_scanner_params_default(scan);
		scan->roi_x = c->camera_roi.x;
		scan->roi_y = c->camera_roi.y;
		scan->roi_w = c->camera_roi.w;
		scan->roi_h = c->camera_roi.h;
	}
}

/* The QR source: the simulator, or a camera (V4L2 device, or image
 * files standing in for one) feeding the decoder thread. */
static int open_qr_source(struct demo *d, struct station_devices *devs)
{
	const struct station_config *c = &d->config;
	struct qr_scanner_params scan;
	struct camera *cam = NULL;
	int r;

	if (strcmp(c->camera_backend, "sim") == 0)
		return qr_source_sim_new(d->queue, &d->keyring, &devs->qr);
	if (strcmp(c->camera_backend, "v4l2") == 0) {
		struct camera_v4l2_params p;

		demo_camera_params(c, &p, NULL);
		r = camera_v4l2_new(&p, &cam);
	} else if (strcmp(c->camera_backend, "files") == 0) {
		r = camera_files_new(c->camera_device, &cam);
		if (r == 0)
			r = camera_files_set_loop(cam, c->camera_loop);
		/* Files are there at start-up or never: a bad one (a 10-bit
		 * Y4M, say) is refused now, with the reason, not retried. */
		if (r == 0) {
			r = camera_open(cam);
			camera_stop(cam);
			if (r < 0) {
				fprintf(stderr, "station: camera '%s': %s\n", c->camera_device,
					camera_strerror(r));
				camera_free(cam);
				return r;
			}
		}
	} else {
		fprintf(stderr, "station: unknown camera back end '%s'\n", c->camera_backend);
		return -EINVAL;
	}
	if (r < 0) {
		fprintf(stderr, "station: camera '%s': %s\n", c->camera_device, strerror(-r));
		return r;
	}
	demo_camera_params(c, NULL, &scan);
	return qr_source_camera_new(d->queue, &d->keyring, cam, &scan, &devs->qr);
}

static int open_devices(struct demo *d, struct station_devices *devs)
{
	const struct station_config *c = &d->config;
	char uri[4200];
	int r;

	r = open_card_reader(d, devs);
	if (r >= 0)
		r = open_qr_source(d, devs);
	if (r >= 0) {
		if (d->opt->config)
			snprintf(uri, sizeof(uri), "%s", c->receipt_printer);
		else if (d->printers)
			snprintf(uri, sizeof(uri), "%s", demo_printers_receipt_uri(d->printers));
		else
			snprintf(uri, sizeof(uri), "sim:%s", d->dir_receipts);
		r = receipt_printer_open(uri, &devs->receipt);
		if (r < 0)
			fprintf(stderr, "station: receipt printer '%s': %s\n", uri, strerror(-r));
	}
	if (r >= 0) {
		if (d->opt->config)
			snprintf(uri, sizeof(uri), "%s", c->document_printer);
		else if (demo_printers_document_uri(d->printers))
			snprintf(uri, sizeof(uri), "%s", demo_printers_document_uri(d->printers));
		else
			snprintf(uri, sizeof(uri), "sim:%s", d->dir_documents);
		r = document_printer_open(uri, &devs->document);
		if (r < 0)
			fprintf(stderr, "station: document printer '%s': %s\n", uri, strerror(-r));
	}
	if (r >= 0 && strncmp(c->backend_url, "sim:", 4) == 0) {
		r = backend_sim_new(&devs->backend);
	} else if (r >= 0) {
		struct backend_http_config hc = {
			.url = c->backend_url,
			.station_id = c->station_id,
			.connect_timeout_ms = c->backend_connect_timeout_ms,
			.timeout_ms = c->backend_timeout_ms,
			.retries = 2,
			.ca_file = c->backend_ca_file,
			.bearer_token = d->secrets.backend_token,
		};
		r = backend_http_new(&hc, &devs->backend);
		if (r < 0)
			fprintf(stderr, "station: backend '%s': %s\n", c->backend_url,
				strerror(-r));
	}
	return r;
}

/* Removes the directory made for mpp-sim when the demo has no out dir. */
static void remove_server_tmp(struct demo *d)
{
	char path[4200];

	if (!d->server_tmp[0])
		return;
	snprintf(path, sizeof(path), "%s/mpp-sim.log", d->server_tmp);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mpp-sim.port", d->server_tmp);
	unlink(path);
	rmdir(d->server_tmp);
	d->server_tmp[0] = '\0';
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/* Whether the scenario sets a document printer condition ippeveprinter
 * cannot show (cover open, offline, unplugged). */
static bool needs_sim_documents(const struct scenario *sc)
{
	for (size_t i = 0; sc && i < sc->n_steps; i++) {
		const struct scenario_step *st = &sc->steps[i];
		if (st->op == SCENARIO_PRINTER && st->printer == SESSION_PRINT_DOCUMENT &&
		    (st->printer_condition == SCENARIO_PRINTER_COVER_OPEN ||
		     st->printer_condition == SCENARIO_PRINTER_OFFLINE))
			return true;
		if ((st->op == SCENARIO_UNPLUG || st->op == SCENARIO_PLUG) &&
		    st->device == SESSION_DEVICE_DOCUMENT_PRINTER)
			return true;
	}
	return false;
}

/* Starts the printer stand-ins: escpos-printer-sim for receipts and,
 * when it can show what the scenario asks of it, ippeveprinter for
 * documents. Their files go under DIR/printers (receipts straight to
 * DIR/receipts), or a temporary directory without an out dir. */
static int start_printers(struct demo *d)
{
	const char *receipts = d->dir_receipts;
	char dir[4200];
	bool want_ipp = !needs_sim_documents(d->sc), missing = false;
	int r;

	if (d->opt->out_dir) {
		snprintf(dir, sizeof(dir), "%s/printers", d->opt->out_dir);
		r = mkdir_p(dir);
		if (r < 0)
			return r;
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(d->print_tmp, sizeof(d->print_tmp), "%s/station-printers.XXXXXX",
			 tmp && tmp[0] ? tmp : "/tmp");
		if (!mkdtemp(d->print_tmp)) {
			d->print_tmp[0] = '\0';
			return -errno;
		}
		snprintf(dir, sizeof(dir), "%s", d->print_tmp);
		receipts = d->print_tmp;
	}
	r = demo_printers_start(dir, receipts, want_ipp, &d->printers, &missing);
	if (r < 0)
		return r;
	d->documents_on_sim = !demo_printers_document_uri(d->printers);
	if (missing)
		printf("station demo: ippeveprinter (cups-ipp-utils) or dbus-daemon is not "
		       "installed: documents go to the simulator\n");
	return 0;
}

/* Chooses the demo's backend and points the configuration at it. */
static int start_backend(struct demo *d)
{
	const char *which = d->opt->backend ? d->opt->backend : "mpp-sim";
	const char *dir = d->opt->out_dir;
	int r;

	if (strcmp(which, "sim") == 0) {
		snprintf(d->config.backend_url, sizeof(d->config.backend_url), "sim:");
		return 0;
	}
	if (strcmp(which, "mpp-sim") == 0) {
		if (!dir) {
			const char *tmp = getenv("TMPDIR");
			snprintf(d->server_tmp, sizeof(d->server_tmp), "%s/station-demo.XXXXXX",
				 tmp && tmp[0] ? tmp : "/tmp");
			if (!mkdtemp(d->server_tmp)) {
				d->server_tmp[0] = '\0';
				return -errno;
			}
			dir = d->server_tmp;
		}
		r = demo_backend_spawn(dir, &d->server);
	} else {
		r = demo_backend_attach(which, &d->server);
	}
	/* Failed: its log, named in the message, stays. Listening: its
	 * temporary directory is no longer needed (the log stays open in
	 * mpp-sim), so a demo killed outright leaves none behind. */
	if (r < 0)
		return r;
	remove_server_tmp(d);
	snprintf(d->config.backend_url, sizeof(d->config.backend_url), "%s",
		 demo_backend_url(d->server));
	return 0;
}

/* A scenario's `backend` step (or the backend unplugged), on whichever
 * backend the demo runs. */
static int set_backend_mode(struct demo *d, enum scenario_backend_mode mode, uint64_t ms)
{
	if (d->server)
		return demo_backend_set_mode(d->server, mode, ms);
	backend_sim_set_down(d->backend, mode == SCENARIO_BACKEND_DOWN);
	backend_sim_set_delay(d->backend, mode == SCENARIO_BACKEND_SLOW ? (unsigned)ms : 0);
	backend_sim_set_corrupt_documents(d->backend, mode == SCENARIO_BACKEND_CORRUPT);
	return 0;
}

/* Distinct documents the backend recorded as collected; 0 (with a
 * message) when it cannot tell. */
static unsigned confirmations(struct demo *d)
{
	unsigned n = 0;

	if (!d->server)
		return backend_sim_confirmations(d->backend);
	if (demo_backend_confirmations(d->server, &n) < 0)
		fprintf(stderr, "station demo: cannot read the backend's statistics\n");
	return n;
}

/* Spoken guidance: the new screen's prompt, once per screen (not again
 * for a redraw of the same one). */
static void speak_screen(struct demo *d)
{
	const struct session *s = station_session(d->station);
	char text[SPEAKER_TEXT_MAX], name[48];
	uint32_t key;
	bool english;
	size_t len;

	if (!d->speaker)
		return;
	len = ui_speech_prompt(s, text, sizeof(text), &key, &english);
	if (key == d->spoken_key)
		return;
	d->spoken_key = key;
	if (len == 0)
		return;
	snprintf(name, sizeof(name), "%s", ui_screen_name(s));
	if (speaker_say(d->speaker, text, english, name) == 0)
		d->spoken++;
}

/* [ui] speech or --speak: eSpeak NG on the sound device, or WAV files
 * headless. No sound device is not fatal: the station runs silent and
 * says so once. */
static int start_speaker(struct demo *d)
{
	struct speaker_params p = {.rate = d->config.speech_rate,
				   .volume = d->config.speech_volume};
	int r;

	if (!d->opt->speak)
		return 0;
	if (d->opt->headless) {
		snprintf(d->dir_speech, sizeof(d->dir_speech), "%s/speech", d->opt->out_dir);
		r = mkdir_p(d->dir_speech);
		if (r < 0)
			return r;
		p.output = SPEAKER_WAV;
		p.wav_dir = d->dir_speech;
	} else {
		p.output = SPEAKER_PLAYBACK;
	}
	/* The demo's own configuration has 0 for both: eSpeak's defaults. */
	if (p.volume == 0 && !d->opt->config)
		p.volume = 100;
	r = speaker_new(&p, &d->speaker);
	if (r == -ENODEV && !d->opt->headless) {
		log_warning("spoken guidance is off: no sound device (no ALSA playback device, "
			    "no PulseAudio or PipeWire server) or no eSpeak NG voice data");
		return 0;
	}
	if (r < 0)
		return r;
	log_info("spoken guidance: on (%s)", d->opt->headless ? d->dir_speech : "sound device");
	return 0;
}

static int demo_setup(struct demo *d)
{
	const struct demo_options *opt = d->opt;
	struct station_devices devs = {0};
	int r;

	if (sodium_init() < 0)
		return -EIO;
	if (opt->config) {
		d->config = *opt->config;
		if (opt->secrets)
			d->secrets = *opt->secrets;
	} else {
		config_defaults(&d->config);
		snprintf(d->config.station_id, sizeof(d->config.station_id), "DEMO-01");
		if (opt->metrics_listen)
			snprintf(d->config.metrics_listen, sizeof(d->config.metrics_listen), "%s",
				 opt->metrics_listen);
		d->config.english = opt->english;
		d->config.log_level = opt->log_level;
		/* The demo technician PIN, hashed as a secrets file holds it. */
		if (crypto_pwhash_str(d->secrets.technician_pin_hash, DEMO_TECHNICIAN_PIN,
				      strlen(DEMO_TECHNICIAN_PIN),
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			return -ENOMEM;
	}

	/* The demo key signs the demo's QR tokens; the station trusts it
	 * besides the configured keys (a real station has none of it: the
	 * run command takes only the configured keys). */
	demo_qr_keypair(d->key.public_key, d->secret_key);
	snprintf(d->key.id, sizeof(d->key.id), "%s", DEMO_QR_KEY_ID);
	d->n_keys = 0;
	if (!opt->config)
		d->keys[d->n_keys++] = d->key;
	for (size_t i = 0; i < d->config.n_qr_keys && d->n_keys < ELEMENTSOF(d->keys); i++) {
		struct qr_key *k = &d->keys[d->n_keys++];
		snprintf(k->id, sizeof(k->id), "%s", d->config.qr_keys[i].id);
		memcpy(k->public_key, d->config.qr_keys[i].public_key, sizeof(k->public_key));
	}
	d->keyring = (struct qr_keyring){.n = d->n_keys,
					 .keys = d->keys,
					 .clock_skew_s = (int64_t)d->config.qr_clock_skew_s};

	r = station_queue_new(256, &d->queue);
	if (r < 0)
		return r;

	if (opt->out_dir) {
		snprintf(d->dir_screens, sizeof(d->dir_screens), "%s/screens", opt->out_dir);
		snprintf(d->dir_receipts, sizeof(d->dir_receipts), "%s/receipts", opt->out_dir);
		snprintf(d->dir_documents, sizeof(d->dir_documents), "%s/documents", opt->out_dir);
		/* The demo's own state: print journal and confirmations. */
		if (!opt->config)
			snprintf(d->config.state_dir, sizeof(d->config.state_dir), "%s/state",
				 opt->out_dir);
		if ((!opt->config && (r = mkdir_p(d->config.state_dir)) < 0) ||
		    (r = mkdir_p(d->dir_screens)) < 0 || (r = mkdir_p(d->dir_receipts)) < 0 ||
		    (r = mkdir_p(d->dir_documents)) < 0) {
			fprintf(stderr, "station demo: cannot create %s: %s\n", opt->out_dir,
				strerror(-r));
			return r;
		}
	}
	r = start_speaker(d);
	if (r < 0) {
		fprintf(stderr, "station: cannot start the spoken guidance: %s\n", strerror(-r));
		return -ENOPKG;
	}
	if (!opt->config) {
		r = start_backend(d);
		if (r < 0)
			return r;
	}
	if (!opt->config && !opt->sim_printers) {
		r = start_printers(d);
		if (r < 0)
			return r;
	}

	r = open_devices(d, &devs);
	d->card = devs.card;
	d->qr = devs.qr;
	d->receipt = devs.receipt;
	d->document = devs.document;
	d->backend = devs.backend;
	if (r < 0) {
		struct station *none = NULL;
		/* station_new takes the devices made so far and frees them. */
		if (station_new(&d->config, NULL, &devs, d->queue, 0, &none) >= 0)
			station_free(none);
		return r;
	}
	r = station_new(&d->config, &d->secrets, &devs, d->queue, d->now_ms, &d->station);
	if (r < 0)
		return r;
	station_set_apps_per_page(d->station, ui_apps_per_page(opt->width, opt->height, false),
				  ui_apps_per_page(opt->width, opt->height, true));
	if (d->config.metrics_listen[0]) {
		r = metrics_new(&d->metrics);
		if (r >= 0)
			r = metrics_http_start(d->metrics, d->config.metrics_listen,
					       &d->metrics_http);
		if (r < 0) {
			log_error("metrics: cannot serve on %s: %s", d->config.metrics_listen,
				  strerror(-r));
			return r;
		}
		station_set_metrics(d->station, d->metrics);
		log_info("metrics: http://%s/metrics", d->config.metrics_listen);
	}
	return station_start(d->station);
}

static void demo_teardown(struct demo *d)
{
	d->speaker = speaker_free(d->speaker);
	/* The server reads the counters: stop it first. */
	d->metrics_http = metrics_http_stop(d->metrics_http);
	d->station = station_free(d->station);
	d->metrics = metrics_free(d->metrics);
	d->queue = station_queue_free(d->queue);
	/* After the station: nothing talks to mpp-sim any more. */
	d->server = demo_backend_free(d->server);
	d->printers = demo_printers_free(d->printers);
	if (d->print_tmp[0])
		nftw(d->print_tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	d->print_tmp[0] = '\0';
	config_secrets_wipe(&d->secrets);
	sodium_memzero(d->secret_key, sizeof(d->secret_key));
	if (d->summary)
		fclose(d->summary);
	d->summary = NULL;
}

/* ---- screens ------------------------------------------------------------ */

static void clock_text(const struct demo *d, char *buf, size_t size)
{
	struct tm tm;
	time_t t;

	if (!d->opt->headless) {
		/* A window, or the kiosk itself: the station's local time. */
		t = time(NULL);
		localtime_r(&t, &tm);
		snprintf(buf, size, "%02d.%02d %s", tm.tm_hour, tm.tm_min,
			 tm.tm_zone ? tm.tm_zone : "");
		return;
	}
	/* Headless, virtual time runs from a fixed instant so every run
	 * looks the same: 2026-11-26 09:00 UTC, 16.00 WIB (UTC+7). */
	t = 1795683600 + (time_t)(d->now_ms / 1000);
	gmtime_r(&t, &tm);
	snprintf(buf, size, "%02d.%02d WIB", (tm.tm_hour + 7) % 24, tm.tm_min);
}

/* Draws the current screen into a surface; headless, saves it as PNG. */
static int draw_screen(struct demo *d, cairo_surface_t *surface, int w, int h)
{
	const struct session *s = station_session(d->station);
	struct ui_context ctx = {.station_id = d->config.station_id,
				 .demo = !d->opt->headless && !d->opt->config,
				 .clock_text = d->drawn_clock};

	if (d->have_preview && s->state == SESSION_SCANNING_QR)
		ctx.preview = &d->preview;
	cairo_t *cr = cairo_create(surface);
	int r;

	clock_text(d, d->drawn_clock, sizeof(d->drawn_clock));
	r = ui_draw(cr, w, h, s, &ctx, &d->frame);
	cairo_destroy(cr);
	d->drawn_version = s->version;
	return r;
}

static int save_screen(struct demo *d)
{
	const struct session *s = station_session(d->station);
	cairo_surface_t *surface;
	char path[4400];
	int r;

	if (s->version == d->drawn_version && d->screens > 0)
		return 0;
	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, d->opt->width, d->opt->height);
	r = draw_screen(d, surface, d->opt->width, d->opt->height);
	if (r >= 0) {
		d->screens++;
		snprintf(path, sizeof(path), "%s/%03u-%s.png", d->dir_screens, d->screens,
			 ui_screen_name(s));
		if (cairo_surface_write_to_png(surface, path) != CAIRO_STATUS_SUCCESS)
			r = -EIO;
		else
			say(d, "  screen %03u: %s", d->screens, ui_screen_name(s));
		speak_screen(d);
	}
	cairo_surface_destroy(surface);
	return r;
}

/* ---- stepping ----------------------------------------------------------- */

/* Headless: dispatches events until the station is quiescent (no event
 * waiting, no work in flight), saving each new screen. */
static int settle(struct demo *d)
{
	int waited = 0;
	/* The screen the step itself led to comes first: a fast worker's
	 * answer already queued must not hide it (a document fetched from
	 * mpp-sim can be printed before this thread runs again). */
	int r0 = save_screen(d);

	if (r0 < 0)
		return r0;
	for (;;) {
		struct station_event ev;
		/* One event at a time, a screen after each: the same
		 * scenario always shows the same screens. */
		while (station_queue_pop(d->queue, &ev) > 0) {
			if (ev.type == STATION_EVENT_QUIT) {
				station_event_clear(&ev);
				continue;
			}
			station_dispatch(d->station, &ev);
			int r = save_screen(d);
			if (r < 0)
				return r;
		}
		int r = save_screen(d);
		if (r < 0)
			return r;
		if (station_queue_quiescent(d->queue))
			return 0;
		if (waited >= DEMO_STEP_REAL_TIMEOUT_MS) {
			say(d, "  (work still in flight after %d s: moving on)", waited / 1000);
			return 0;
		}
		station_queue_wait(d->queue, 100);
		waited += 100;
	}
}

/* Headless: lets virtual time pass, firing every deadline on the way. */
static int advance(struct demo *d, uint64_t ms)
{
	uint64_t target = d->now_ms + ms;

	for (;;) {
		uint64_t deadline = session_deadline(station_session(d->station));
		if (deadline > d->now_ms && deadline <= target)
			d->now_ms = deadline;
		else
			d->now_ms = target;
		station_tick(d->station, d->now_ms);
		int r = settle(d);
		if (r < 0 || d->now_ms >= target)
			return r;
	}
}

static bool on_screen(const struct demo *d, enum session_button b, int index)
{
	if (b == SESSION_BUTTON_ANY)
		return true;
	for (size_t i = 0; i < d->frame.n_hits; i++)
		if (d->frame.hits[i].button == b &&
		    (b != SESSION_BUTTON_DOCUMENT && b != SESSION_BUTTON_PIN_DIGIT
			     ? true
			     : d->frame.hits[i].index == index))
			return true;
	return false;
}

static int touch(struct demo *d, const struct scenario_step *st, enum session_button b, int index)
{
	struct station_event ev = {.type = STATION_EVENT_TOUCH,
				   .touch = {.button = b, .index = index}};

	/* A scenario can only press what a citizen could see. */
	if (d->opt->headless && !on_screen(d, b, index)) {
		say(d, "line %u: no '%s' button on the screen '%s'", st->line,
		    session_button_to_string(b), ui_screen_name(station_session(d->station)));
		return -ENOENT;
	}
	station_dispatch(d->station, &ev);
	return 0;
}

static int show_qr(struct demo *d, const struct scenario_step *st)
{
	const struct demo_application *app;
	struct qr_token t = {.version = 1};
	char text[SESSION_TOKEN_MAX + 1];
	int r;

	if (st->qr_kind == SCENARIO_QR_TEXT)
		return qr_source_sim_show_text(d->qr, st->arg);
	if (st->qr_kind == SCENARIO_QR_FILE)
		return qr_source_sim_show_file(d->qr, st->arg);

	app = demo_application_by_id(st->arg);
	if (!app) {
		say(d, "line %u: no demo application '%s'", st->line, st->arg);
		return -ENOENT;
	}
	snprintf(t.application_id, sizeof(t.application_id), "%s", app->id);
	snprintf(t.document_id, sizeof(t.document_id), "%s",
		 app->document_id ? app->document_id : "");
	snprintf(t.key_id, sizeof(t.key_id), "%s", DEMO_QR_KEY_ID);
	uint8_t nonce[8];
	randombytes_buf(nonce, sizeof(nonce));
	sodium_bin2hex(t.nonce, sizeof(t.nonce), nonce, sizeof(nonce));
	t.expires = time(NULL) + (st->qr_kind == SCENARIO_QR_EXPIRED ? -3600 : 86400);
	r = qr_token_issue(&t, d->secret_key, text, sizeof(text));
	if (r < 0)
		return r;
	if (st->qr_kind == SCENARIO_QR_FORGED) {
		/* Change one character of the signature. */
		size_t n = strlen(text);
		text[n - 2] = text[n - 2] == 'A' ? 'B' : 'A';
	}
	r = qr_source_sim_show_text(d->qr, text);
	sodium_memzero(text, sizeof(text));
	return r;
}

static unsigned printer_flags(const struct scenario_step *st)
{
	bool receipt = st->printer == SESSION_PRINT_RECEIPT;

	switch (st->printer_condition) {
	case SCENARIO_PRINTER_PAPER_OUT:
		return receipt ? RECEIPT_STATUS_PAPER_END : DOCUMENT_STATUS_MEDIA_EMPTY;
	case SCENARIO_PRINTER_PAPER_LOW:
		return receipt ? RECEIPT_STATUS_PAPER_NEAR_END : DOCUMENT_STATUS_TONER_LOW;
	case SCENARIO_PRINTER_COVER_OPEN:
		return receipt ? RECEIPT_STATUS_COVER_OPEN : DOCUMENT_STATUS_COVER_OPEN;
	case SCENARIO_PRINTER_OFFLINE:
		return receipt ? RECEIPT_STATUS_OFFLINE : DOCUMENT_STATUS_OFFLINE;
	default:
		return 0;
	}
}

/* A printer condition, on the stand-in when it runs (the receipt printer
 * answers DLE EOT with it; ippeveprinter's tray and toner change), else on
 * the simulator. */
static int set_receipt_status(struct demo *d, unsigned flags)
{
	if (d->printers)
		return demo_printers_set_receipt_status(d->printers, flags);
	return receipt_printer_sim_set_status(d->receipt, flags);
}

static int set_document_status(struct demo *d, unsigned flags)
{
	if (d->printers && !d->documents_on_sim)
		return demo_printers_set_document_status(d->printers, flags);
	return document_printer_sim_set_status(d->document, flags);
}

/* Jobs the printer received: the stand-in's spool, or the simulator's. */
static unsigned printed(struct demo *d, enum session_print_kind kind)
{
	if (kind == SESSION_PRINT_RECEIPT)
		return d->printers ? demo_printers_receipt_jobs(d->printers)
				   : receipt_printer_sim_jobs(d->receipt);
	return d->printers && !d->documents_on_sim ? demo_printers_document_jobs(d->printers)
						   : document_printer_sim_jobs(d->document);
}

static int set_plugged(struct demo *d, enum session_device dev, bool plugged)
{
	switch (dev) {
	case SESSION_DEVICE_CARD_READER:
		return card_reader_sim_set_plugged(d->card, plugged);
	case SESSION_DEVICE_CAMERA:
		return qr_source_sim_set_plugged(d->qr, plugged);
	case SESSION_DEVICE_RECEIPT_PRINTER:
		return set_receipt_status(d, plugged ? 0 : RECEIPT_STATUS_OFFLINE);
	case SESSION_DEVICE_DOCUMENT_PRINTER:
		return set_document_status(d, plugged ? 0 : DOCUMENT_STATUS_OFFLINE);
	case SESSION_DEVICE_BACKEND:
		return set_backend_mode(d, plugged ? SCENARIO_BACKEND_UP : SCENARIO_BACKEND_DOWN,
					0);
	default:
		return -EINVAL;
	}
}

/* Checks an expect-* step. Returns 0 when met, -EBADE (with a message)
 * when not. */
static int expect(struct demo *d, const struct scenario_step *st)
{
	const struct session *s = station_session(d->station);
	unsigned got;

	switch (st->op) {
	case SCENARIO_EXPECT_SCREEN:
		if (s->state == st->state)
			return 0;
		say(d, "line %u: expected screen '%s', the station shows '%s'", st->line,
		    session_state_to_string(st->state), session_state_to_string(s->state));
		return -EBADE;
	case SCENARIO_EXPECT_ERROR:
		if (s->state == SESSION_ERROR && s->error == st->error)
			return 0;
		say(d, "line %u: expected error '%s', the station shows '%s' (%s)", st->line,
		    session_error_to_string(st->error), session_state_to_string(s->state),
		    session_error_to_string(s->error));
		return -EBADE;
	case SCENARIO_EXPECT_PRINTED:
		got = printed(d, st->printer);
		if (got == st->count)
			return 0;
		say(d, "line %u: expected %u %s(s) printed, %u were", st->line, st->count,
		    st->printer == SESSION_PRINT_RECEIPT ? "receipt" : "document", got);
		return -EBADE;
	case SCENARIO_EXPECT_TEST: {
		static const char *const verdicts[] = {"ok", "degraded", "failed"};
		const char *want = verdicts[st->count < 3 ? st->count : 2];

		if ((int)st->device == s->tested_device && s->test_device < 0 &&
		    (unsigned)s->test.verdict == st->count)
			return 0;
		if (s->test_device >= 0)
			say(d, "line %u: expected the %s test to end %s; %s is still being tested",
			    st->line, session_device_to_string(st->device), want,
			    session_device_to_string((enum session_device)s->test_device));
		else
			say(d, "line %u: expected the %s test to end %s; the last test: %s %s: %s",
			    st->line, session_device_to_string(st->device), want,
			    s->tested_device >= 0 ? s->test.name : "none",
			    verdicts[s->test.verdict >= 0 && s->test.verdict < 3 ? s->test.verdict
										 : 2],
			    s->test.summary);
		return -EBADE;
	}
	case SCENARIO_EXPECT_CONFIRMED:
		got = confirmations(d);
		if (got == st->count)
			return 0;
		say(d, "line %u: expected %u confirmation(s), the backend has %u", st->line,
		    st->count, got);
		return -EBADE;
	default:
		return -EINVAL;
	}
}

/* Carries out one step. Headless, `wait` advances the virtual clock;
 * in a window the caller schedules waits itself. */
static int step(struct demo *d, const struct scenario_step *st)
{
	int r = 0;

	switch (st->op) {
	case SCENARIO_TAP_CARD:
		r = card_reader_sim_tap(d->card, st->arg);
		if (r == -ENOENT)
			say(d, "line %u: no demo card named '%s'", st->line, st->arg);
		break;
	case SCENARIO_REMOVE_CARD:
		r = card_reader_sim_remove(d->card);
		break;
	case SCENARIO_SHOW_QR:
		r = show_qr(d, st);
		if (r == -ENOMSG) {
			say(d, "line %u: no QR code found in '%s'", st->line, st->arg);
			r = 0;
		}
		break;
	case SCENARIO_TOUCH:
		r = touch(d, st, st->button, st->index);
		break;
	case SCENARIO_TYPE_PIN:
		for (const char *p = st->arg; *p && r >= 0; p++) {
			r = touch(d, st, SESSION_BUTTON_PIN_DIGIT, *p - '0');
			if (r >= 0 && d->opt->headless)
				r = settle(d);
		}
		if (r >= 0)
			r = touch(d, st, SESSION_BUTTON_PIN_ENTER, -1);
		break;
	case SCENARIO_WAIT:
		if (d->opt->headless)
			return advance(d, st->ms);
		return 0;
	case SCENARIO_PRINTER:
		if (st->printer == SESSION_PRINT_RECEIPT)
			r = set_receipt_status(d, printer_flags(st));
		else
			r = set_document_status(d, printer_flags(st));
		break;
	case SCENARIO_UNPLUG:
	case SCENARIO_PLUG:
		r = set_plugged(d, st->device, st->op == SCENARIO_PLUG);
		break;
	case SCENARIO_BACKEND:
		r = set_backend_mode(d, st->backend_mode, st->ms);
		break;
	default:
		return expect(d, st);
	}
	if (r < 0) {
		if (r != -ENOENT)
			say(d, "line %u: %s failed: %s", st->line, scenario_op_to_string(st->op),
			    strerror(-r));
		return r;
	}
	return d->opt->headless ? settle(d) : 0;
}

/* ---- outputs ------------------------------------------------------------ */

/* Turns each receipt's ESC/POS bytes back into a PNG, through the same
 * decoder the tests use: what is shown is what the printer got. */
static unsigned decode_receipts(struct demo *d)
{
	DIR *dir = opendir(d->dir_receipts);
	struct dirent *de;
	unsigned n = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		char in[4400], out[4400];
		if (len < 8 || strcmp(de->d_name + len - 7, ".escpos") != 0)
			continue;
		snprintf(in, sizeof(in), "%s/%s", d->dir_receipts, de->d_name);
		snprintf(out, sizeof(out), "%s/%.*s.png", d->dir_receipts, (int)(len - 7),
			 de->d_name);
		FILE *f = fopen(in, "rb");
		if (!f)
			continue;
		uint8_t *buf = NULL;
		size_t size = 0;
		struct stat stt;
		if (fstat(fileno(f), &stt) == 0 && stt.st_size > 0 && stt.st_size < (64 << 20)) {
			size = (size_t)stt.st_size;
			buf = malloc(size);
			if (buf && fread(buf, 1, size, f) != size) {
				free(buf);
				buf = NULL;
			}
		}
		fclose(f);
		cairo_surface_t *img = NULL;
		if (buf && escpos_decode(buf, size, &img) >= 0) {
			if (cairo_surface_write_to_png(img, out) == CAIRO_STATUS_SUCCESS)
				n++;
			cairo_surface_destroy(img);
		}
		free(buf);
	}
	closedir(dir);
	return n;
}

/* ---- the two loops ------------------------------------------------------ */

static int run_headless(struct demo *d, const struct scenario *sc)
{
	struct station_counters c;
	char path[4400];
	int r;

	snprintf(path, sizeof(path), "%s/summary.txt", d->opt->out_dir);
	d->summary = fopen(path, "w");
	if (!d->summary) {
		fprintf(stderr, "station demo: cannot write %s: %s\n", path, strerror(errno));
		return EX_CANTCREAT;
	}
	say(d, "Anjungan demo: station %s, %dx%d, %s", d->config.station_id, d->opt->width,
	    d->opt->height, d->opt->english ? "English" : "Bahasa Indonesia");
	/* Without the port, which changes from run to run. */
	if (!d->opt->config && !d->server)
		say(d, "backend: sim (in process)");
	else if (!d->opt->config)
		say(d, "backend: %s", d->opt->backend ? d->opt->backend : "mpp-sim");
	/* Without the ports either. */
	if (!d->opt->config && d->printers)
		say(d, "printers: receipts over tcp:// to escpos-printer-sim, documents %s",
		    d->documents_on_sim ? "to the simulator (sim:)"
					: "over ipp:// to ippeveprinter");
	else if (!d->opt->config)
		say(d, "printers: sim (in process)");
	r = settle(d);
	for (size_t i = 0; r >= 0 && i < sc->n_steps; i++) {
		const struct scenario_step *st = &sc->steps[i];
		say(d, "step %zu (line %u): %s", i + 1, st->line, scenario_op_to_string(st->op));
		r = step(d, st);
	}
	station_get_counters(d->station, &c);
	say(d, "screens: %u (in %s)", d->screens, d->dir_screens);
	if (d->speaker) {
		/* Every prompt written before the count is told. */
		unsigned written;

		speaker_free_wait(d->speaker, &written);
		d->speaker = NULL;
		say(d, "spoken prompts: %u of %u (WAV in %s)", written, d->spoken, d->dir_speech);
	}
	say(d, "receipts printed: %u (ESC/POS and PNG in %s)", c.receipts_printed, d->dir_receipts);
	say(d, "documents printed: %u (PDF in %s)", c.documents_printed, d->dir_documents);
	say(d, "collections confirmed to the backend: %u", confirmations(d));
	say(d, "sessions: %u, lookups: %u, print failures: %u", c.sessions, c.lookups,
	    c.print_failures);
	/* Stop the devices before reading the printers' output. */
	d->station = station_free(d->station);
	d->card = NULL;
	d->qr = NULL;
	d->receipt = NULL;
	d->document = NULL;
	d->backend = NULL;
	/* What ippeveprinter spooled, byte for byte, as document-NNN.pdf. */
	if (d->printers && !d->documents_on_sim) {
		int n = demo_printers_collect_documents(d->printers, d->dir_documents);
		if (n < 0)
			say(d, "cannot copy the printed documents: %s", strerror(-n));
	}
	decode_receipts(d);
	if (r < 0) {
		say(d, "result: FAILED");
		return r == -EBADE || r == -ENOENT ? EX_DATAERR : EX_SOFTWARE;
	}
	say(d, "result: OK, every step done");
	return EX_OK;
}

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void wake_display(void *userdata)
{
	ui_display_wake(userdata);
}

/* Keyboard shortcuts of the windowed demo: stand-ins for what a citizen
 * does with a card or a phone. */
static void demo_key(struct demo *d, int key)
{
	struct scenario_step st = {.qr_kind = SCENARIO_QR_ISSUE};

	if (key >= '1' && key <= '9' && (size_t)(key - '1') < demo_n_citizens) {
		card_reader_sim_tap(d->card, demo_citizens[key - '1'].key);
	} else if (key == 'u' || key == 'U') {
		card_reader_sim_tap(d->card, "unknown");
	} else if (key == 'd' || key == 'D') {
		card_reader_sim_tap(d->card, "damaged");
	} else if (key == 'r' || key == 'R') {
		card_reader_sim_remove(d->card);
	} else if (key == 'q' || key == 'Q') {
		/* The first application with a document to collect. */
		for (size_t i = 0; i < demo_n_applications; i++) {
			if (demo_applications[i].document_id) {
				snprintf(st.arg, sizeof(st.arg), "%s", demo_applications[i].id);
				show_qr(d, &st);
				return;
			}
		}
	}
}

/* Takes the camera's newest picture while the QR screen is up (true: a
 * new one, draw again); forgets it otherwise (the buffer it pointed to is
 * wiped when the scan stops). */
static bool take_preview(struct demo *d, struct camera_preview *preview)
{
	struct camera_preview_image img;

	if (station_session(d->station)->state != SESSION_SCANNING_QR) {
		d->have_preview = false;
		return false;
	}
	if (!camera_preview_take(preview, &img))
		return false;
	d->preview = (struct ui_gray_image){
		.gray = img.gray, .width = img.width, .height = img.height, .stride = img.stride};
	d->have_preview = true;
	return true;
}

static int run_window(struct demo *d, const struct scenario *sc)
{
	struct camera_preview *preview = qr_source_get_preview(d->qr);
	struct ui_display *disp = NULL;
	uint64_t start = monotonic_ms(), next_step_at = start;
	size_t next = 0;
	bool redraw = true, quit = false;
	struct station_notify notify = {0};
	int w, h, r;

	r = ui_display_open(d->opt->config ? "Anjungan" : "Anjungan (demo)", d->opt->width,
			    d->opt->height, d->opt->fullscreen, &disp);
	if (r < 0) {
		fprintf(stderr,
			"station demo: cannot open a window (%s); try --headless --out DIR\n",
			strerror(-r));
		return EX_UNAVAILABLE;
	}
	ui_display_surface(disp, &w, &h);
	station_set_apps_per_page(d->station, ui_apps_per_page(w, h, false),
				  ui_apps_per_page(w, h, true));
	station_queue_set_waker(d->queue, wake_display, disp);
	camera_preview_set_waker(preview, wake_display, disp);

	while (!quit) {
		struct ui_input in;
		uint64_t now = monotonic_ms() - start;
		uint64_t deadline;
		int timeout;

		d->now_ms = now;
		redraw |= station_tick(d->station, now);
		redraw |= station_drain(d->station, &quit);
		redraw |= take_preview(d, preview);
		while (sc && next < sc->n_steps && now + start >= next_step_at) {
			const struct scenario_step *st = &sc->steps[next++];
			r = step(d, st);
			if (r < 0 && r != -EBADE)
				say(d, "line %u: step failed", st->line);
			if (st->op == SCENARIO_WAIT)
				next_step_at = monotonic_ms() + st->ms;
			else
				next_step_at = monotonic_ms() + 1500; /* let a person follow */
			redraw = true;
		}
		{
			char clock[32];
			clock_text(d, clock, sizeof(clock));
			redraw |= strcmp(clock, d->drawn_clock) != 0; /* a new minute */
		}
		if (redraw) {
			cairo_surface_t *surf = ui_display_surface(disp, &w, &h);
			draw_screen(d, surf, w, h);
			ui_display_present(disp);
			speak_screen(d);
			redraw = false;
		}
		/* Sleep until the next timer: a deadline, a scenario step, or
		 * the next clock minute. Idle means idle. */
		deadline = session_deadline(station_session(d->station));
		{
			/* The clock on screen shows wall-clock minutes. */
			struct timespec wall;
			clock_gettime(CLOCK_REALTIME, &wall);
			timeout = 60000 - (int)((wall.tv_sec % 60) * 1000 + wall.tv_nsec / 1000000);
		}
		if (deadline > now && deadline - now < (uint64_t)timeout)
			timeout = (int)(deadline - now);
		deadline = station_next_timer(d->station);
		if (deadline < now + (uint64_t)timeout)
			timeout = deadline > now ? (int)(deadline - now) : 0;
		if (station_session(d->station)->state == SESSION_IDLE_COUNTDOWN ||
		    station_session(d->station)->state == SESSION_LOOKING_UP)
			timeout = timeout > 250 ? 250 : timeout;
		if (sc && next < sc->n_steps) {
			uint64_t abs_now = monotonic_ms();
			int until = next_step_at > abs_now ? (int)(next_step_at - abs_now) : 0;
			if (until < timeout)
				timeout = until;
		}
		/* READY after the first frame, WATCHDOG pings, STATUS (notify.h). */
		timeout = station_notify_loop(
			&notify, session_state_to_string(station_session(d->station)->state),
			timeout);
		r = ui_display_wait(disp, timeout, &in);
		if (r <= 0)
			continue;
		switch (in.type) {
		case UI_INPUT_QUIT:
			quit = true;
			break;
		case UI_INPUT_TOUCH: {
			struct station_event ev = {.type = STATION_EVENT_TOUCH};
			if (!ui_hit_test(&d->frame, in.x, in.y, &ev.touch.button, &ev.touch.index))
				ev.touch.button = SESSION_BUTTON_ANY;
			redraw |= station_dispatch(d->station, &ev);
			break;
		}
		case UI_INPUT_KEY:
			if (d->opt->config)
				break; /* the kiosk: no keyboard shortcuts */
			if (in.key == 0x1b) {
				quit = true;
			} else if (in.key == 'c' || in.key == 'C') {
				/* As a tap on the contrast button, where it is. */
				struct station_event ev = {.type = STATION_EVENT_TOUCH};

				ev.touch.button = SESSION_BUTTON_CONTRAST;
				redraw |= station_dispatch(d->station, &ev);
			} else
				/* Stand-ins for cards and phones: the demo only. */
				demo_key(d, in.key);
			break;
		case UI_INPUT_EXPOSE:
			redraw = true;
			break;
		default:
			break;
		}
	}
	/* systemd sees "deactivating" while the workers and devices close. */
	station_notify_stopping(&notify, "quit");
	station_queue_set_waker(d->queue, NULL, NULL);
	camera_preview_set_waker(preview, NULL, NULL);
	d->station = station_free(d->station);
	ui_display_close(disp);
	return EX_OK;
}

int demo_run(const struct demo_options *opt)
{
	struct demo d = {.opt = opt};
	struct scenario *sc = NULL;
	struct scenario_error err = {0};
	int r, ret;

	if (opt->scenario_path)
		r = scenario_load(opt->scenario_path, &sc, &err);
	else if (opt->headless)
		r = scenario_parse(demo_builtin_scenario, strlen(demo_builtin_scenario), &sc, &err);
	else
		r = 0; /* a window without a scenario: the citizen drives it */
	if (r < 0) {
		if (r == -EINVAL)
			/* The message names the line already. */
			fprintf(stderr, "%s: %s\n",
				opt->scenario_path ? opt->scenario_path : "built-in scenario",
				err.message);
		else
			fprintf(stderr, "station demo: cannot read %s: %s\n",
				opt->scenario_path ? opt->scenario_path : "scenario", strerror(-r));
		return r == -EINVAL ? EX_DATAERR : EX_NOINPUT;
	}

	d.sc = sc;
	r = demo_setup(&d);
	if (r < 0) {
		if (r != -ENOPKG) /* that one was said by name */
			fprintf(stderr, "%s: %s\n",
				opt->config ? "station run: cannot start the station"
					    : "station demo: cannot start the simulated station",
				strerror(-r));
		demo_teardown(&d);
		scenario_free(sc);
		/* No mpp-sim to run on: said by name above, never replaced. */
		return r == -ENOPKG ? EX_UNAVAILABLE : EX_SOFTWARE;
	}
	ret = opt->headless ? run_headless(&d, sc) : run_window(&d, sc);
	demo_teardown(&d);
	scenario_free(sc);
	return ret;
}
