/* SPDX-License-Identifier: MIT */
/*
 * The configuration and secrets files: defaults, the shipped station.conf,
 * every key's good and bad values, errors with their lines, secrets file
 * permissions.
 */
#include <errno.h>
#include <fcntl.h>
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
#include <sodium.h>

#include "config.h"

#define HEAD "[station]\nid = test-1\n" /* lines 1-2 */

static int parse(const char *text, struct station_config *ret, struct config_errors *errs)
{
	return config_parse(text, strlen(text), ret, errs);
}

/* Whether errs holds an error on line whose message contains needle. */
static bool has_error(const struct config_errors *errs, unsigned line, const char *needle)
{
	for (size_t i = 0; i < errs->n; i++)
		if (errs->e[i].line == line && strstr(errs->e[i].message, needle))
			return true;
	return false;
}

static void print_errors(const struct config_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		print_message("  line %u: %s\n", errs->e[i].line, errs->e[i].message);
}

/* Parses HEAD + "[section]\nkey = value\n": the key is on line 4. */
static int parse_key(const char *section, const char *key, const char *value,
		     struct station_config *ret, struct config_errors *errs)
{
	char text[1024];

	snprintf(text, sizeof(text), HEAD "[%s]\n%s = %s\n", section, key, value);
	return parse(text, ret, errs);
}

static void assert_ok(const char *section, const char *key, const char *value,
		      struct station_config *ret)
{
	struct config_errors errs;
	int r = parse_key(section, key, value, ret, &errs);

	if (r != 0) {
		print_message("[%s] %s = %s\n", section, key, value);
		print_errors(&errs);
	}
	assert_int_equal(r, 0);
	assert_int_equal(errs.n, 0);
}

static void assert_bad(const char *section, const char *key, const char *value)
{
	struct config_errors errs;
	struct station_config c;
	int r = parse_key(section, key, value, &c, &errs);

	if (r != -EINVAL || errs.n != 1 || !has_error(&errs, 4, "bad value") ||
	    !has_error(&errs, 4, key) || !has_error(&errs, 4, "expected")) {
		print_message("[%s] %s = %s (r=%d)\n", section, key, value, r);
		print_errors(&errs);
		fail();
	}
}

/* ---- defaults and the shipped file -------------------------------------- */

static void assert_defaults(const struct station_config *c)
{
	assert_string_equal(c->state_dir, "/var/lib/station");
	assert_string_equal(c->secrets_file, "");
	assert_int_equal(c->log_level, CONFIG_LOG_INFO);
	assert_int_equal(c->timeouts.card_timeout_ms, 10000);
	assert_int_equal(c->timeouts.scan_timeout_ms, 30000);
	assert_int_equal(c->timeouts.lookup_timeout_ms, 10000);
	assert_int_equal(c->timeouts.idle_timeout_ms, 60000);
	assert_int_equal(c->timeouts.countdown_ms, 10000);
	assert_int_equal(c->timeouts.print_timeout_ms, 120000);
	assert_int_equal(c->timeouts.done_timeout_ms, 10000);
	assert_int_equal(c->timeouts.error_timeout_ms, 15000);
	assert_int_equal(c->timeouts.maintenance_idle_ms, 120000);
	assert_false(c->english);
	assert_int_equal(c->width, 0);
	assert_int_equal(c->height, 0);
	assert_true(c->fullscreen);
	assert_string_equal(c->card_backend, "sim");
	assert_string_equal(c->card_reader, "");
	assert_string_equal(c->sam_reader, "");
	assert_int_equal(c->n_card_atr, 0);
	assert_false(c->card_read_photo);
	assert_int_equal(c->card_read_timeout_ms, 5000);
	assert_string_equal(c->camera_backend, "sim");
	assert_string_equal(c->camera_device, "/dev/video0");
	assert_int_equal(c->camera_width, 1280);
	assert_int_equal(c->camera_height, 720);
	assert_int_equal(c->camera_fps, 30);
	assert_false(c->camera_loop);
	assert_false(c->speech);
	assert_int_equal(c->speech_rate, 140);
	assert_int_equal(c->speech_volume, 100);
	assert_int_equal(c->camera_roi.x, 0);
	assert_int_equal(c->camera_roi.y, 0);
	assert_int_equal(c->camera_roi.w, 0);
	assert_int_equal(c->camera_roi.h, 0);
	assert_string_equal(c->receipt_printer, "sim:");
	assert_int_equal(c->receipt_width_dots, 576);
	assert_string_equal(c->document_printer, "sim:");
	assert_string_equal(c->backend_url, "sim:");
	assert_int_equal(c->backend_connect_timeout_ms, 5000);
	assert_int_equal(c->backend_timeout_ms, 10000);
	assert_string_equal(c->backend_ca_file, "");
	assert_int_equal(c->qr_clock_skew_s, 120);
	assert_int_equal(c->pin_max_failures, 5);
	assert_int_equal(c->pin_lockout_s, 900);
	assert_string_equal(c->metrics_listen, "");
	assert_int_equal(c->backend_heartbeat_s, 0);
	assert_int_equal(c->probe_interval_s, 30);
}

static void test_defaults(void **state)
{
	struct station_config c;

	memset(&c, 0x5a, sizeof(c));
	config_defaults(&c);
	assert_string_equal(c.station_id, "");
	assert_int_equal(c.n_qr_keys, 0);
	assert_defaults(&c);
}

static void test_only_id(void **state)
{
	struct station_config c;
	struct config_errors errs;

	assert_int_equal(parse(HEAD, &c, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(c.station_id, "test-1");
	assert_defaults(&c);
}

static char *read_text(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static void test_shipped_file(void **state)
{
	struct station_config c;
	struct config_errors errs;
	int r = config_load(TEST_SOURCE_DIR "/config/station.conf", &c, &errs);

	print_errors(&errs);
	assert_int_equal(r, 0);
	assert_string_equal(c.station_id, "station-01");
	assert_int_equal(c.n_qr_keys, 0);
	assert_defaults(&c);
}

/* Every "; key = value" line of the shipped file, uncommented, must still
 * give a valid file and the very defaults: the documented defaults are
 * the real ones. */
static void test_shipped_defaults_documented(void **state)
{
	static const char *const keys[] = {
		"id",
		"state_dir",
		"secrets_file",
		"log_level",
		"probe_interval",
		"card_timeout",
		"scan_timeout",
		"lookup_timeout",
		"idle_timeout",
		"countdown",
		"print_timeout",
		"done_timeout",
		"error_timeout",
		"maintenance_idle",
		"language",
		"width",
		"height",
		"fullscreen",
		"backend",
		"reader",
		"sam_reader",
		"atr",
		"read_photo",
		"read_timeout",
		"device",
		"fps",
		"roi",
		"loop",
		"speech",
		"speech_rate",
		"speech_volume",
		"printer",
		"width_dots",
		"url",
		"connect_timeout",
		"timeout",
		"ca_file",
		"key.",
		"clock_skew",
		"pin_max_failures",
		"pin_lockout",
		"listen",
		"heartbeat",
	};
	struct station_config c;
	struct config_errors errs;
	size_t len, n_uncommented = 0;
	char *text = read_text(TEST_SOURCE_DIR "/config/station.conf", &len);
	char *out = malloc(len + 1), *o = out;

	assert_non_null(out);
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
		size_t k = 0;
		/* "; name = " with name of [a-z0-9_.-] */
		if (n > 2 && line[0] == ';' && line[1] == ' ') {
			k = 2;
			while (k < n &&
			       (strchr("abcdefghijklmnopqrstuvwxyz0123456789_.-", line[k]) &&
				line[k]))
				k++;
			if (!(k > 2 && k + 1 < n && line[k] == ' ' && line[k + 1] == '='))
				k = 0;
		}
		if (k) {
			memcpy(o, line + 2, n - 2);
			o += n - 2;
			n_uncommented++;
		} else {
			memcpy(o, line, n);
			o += n;
		}
		line += n;
	}
	*o = '\0';

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char needle[64];
		snprintf(needle, sizeof(needle), "\n%s", keys[i]);
		if (!strstr(out, needle))
			fail_msg("station.conf does not document '%s'", keys[i]);
	}

	int r = parse(out, &c, &errs);
	print_errors(&errs);
	assert_int_equal(r, 0);
	/* All keys but id (set), plus the example QR key, ATR and metrics address. */
	assert_int_equal(n_uncommented, 46);
	/* Metrics are off by default; the example turns them on. */
	assert_string_equal(c.metrics_listen, "127.0.0.1:9464");
	c.metrics_listen[0] = '\0';
	/* The example ATR is the built-in type B pattern: take it out to
	 * compare the rest with the defaults. */
	size_t n_default;
	const struct ektp_atr_pattern *def = ektp_atr_default_table(&n_default);
	assert_int_equal(c.n_card_atr, 1);
	assert_true(n_default >= 2);
	assert_int_equal(c.card_atr[0].len, def[1].len);
	assert_memory_equal(c.card_atr[0].value, def[1].value, def[1].len);
	assert_memory_equal(c.card_atr[0].mask, def[1].mask, def[1].len);
	c.n_card_atr = 0;
	assert_defaults(&c);
	assert_int_equal(c.n_qr_keys, 1);
	assert_string_equal(c.qr_keys[0].id, "2026-01");
	/* RFC 8032, test 1 public key */
	assert_int_equal(c.qr_keys[0].public_key[0], 0xd7);
	assert_int_equal(c.qr_keys[0].public_key[31], 0x1a);
	free(out);
	free(text);
}

/* ---- keys: good values ---------------------------------------------------- */

static void test_station_keys(void **state)
{
	struct station_config c;

	assert_ok("station", "state_dir", "/srv/station", &c);
	assert_string_equal(c.state_dir, "/srv/station");
	assert_ok("station", "secrets_file", "/etc/station/secrets.conf", &c);
	assert_string_equal(c.secrets_file, "/etc/station/secrets.conf");
	assert_ok("station", "secrets_file", "", &c);
	assert_string_equal(c.secrets_file, "");
	assert_ok("station", "log_level", "debug", &c);
	assert_int_equal(c.log_level, CONFIG_LOG_DEBUG);
	assert_ok("station", "log_level", "error", &c);
	assert_int_equal(c.log_level, CONFIG_LOG_ERROR);
	assert_ok("station", "log_level", "warning", &c);
	assert_int_equal(c.log_level, CONFIG_LOG_WARNING);

	/* id: the longest allowed, every allowed character */
	char id[64];
	memset(id, 'a', 63);
	id[63] = '\0';
	char text[256];
	snprintf(text, sizeof(text), "[station]\nid = %s\n", id);
	assert_int_equal(parse(text, &c, NULL), 0);
	assert_string_equal(c.station_id, id);
	assert_int_equal(parse("[station]\nid = MPP_Jkt-01.a\n", &c, NULL), 0);
	assert_string_equal(c.station_id, "MPP_Jkt-01.a");
}

static void test_session_keys(void **state)
{
	static const char *const keys[] = {
		"card_timeout",	 "scan_timeout", "lookup_timeout", "idle_timeout",     "countdown",
		"print_timeout", "done_timeout", "error_timeout",  "maintenance_idle",
	};
	struct station_config c;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		assert_ok("session", keys[i], "1", &c);
		assert_ok("session", keys[i], "3600", &c);
		assert_bad("session", keys[i], "0");
		assert_bad("session", keys[i], "3601");
		assert_bad("session", keys[i], "-5");
		assert_bad("session", keys[i], "10s");
		assert_bad("session", keys[i], "");
		assert_bad("session", keys[i], "1.5");
		assert_bad("session", keys[i], "0x10");
		assert_bad("session", keys[i], "99999999999999999999999");
	}
	assert_ok("session", "card_timeout", "7", &c);
	assert_int_equal(c.timeouts.card_timeout_ms, 7000);
	assert_ok("session", "scan_timeout", "45", &c);
	assert_int_equal(c.timeouts.scan_timeout_ms, 45000);
	assert_ok("session", "lookup_timeout", "3", &c);
	assert_int_equal(c.timeouts.lookup_timeout_ms, 3000);
	assert_ok("session", "idle_timeout", "90", &c);
	assert_int_equal(c.timeouts.idle_timeout_ms, 90000);
	assert_ok("session", "countdown", "5", &c);
	assert_int_equal(c.timeouts.countdown_ms, 5000);
	assert_ok("session", "print_timeout", "300", &c);
	assert_int_equal(c.timeouts.print_timeout_ms, 300000);
	assert_ok("session", "done_timeout", "20", &c);
	assert_int_equal(c.timeouts.done_timeout_ms, 20000);
	assert_ok("session", "error_timeout", "25", &c);
	assert_int_equal(c.timeouts.error_timeout_ms, 25000);
	assert_ok("session", "maintenance_idle", "600", &c);
	assert_int_equal(c.timeouts.maintenance_idle_ms, 600000);
	/* Only the key set changes. */
	assert_int_equal(c.timeouts.card_timeout_ms, 10000);
}

static void test_ui_keys(void **state)
{
	static const char *const yes[] = {"yes", "true", "1", "on", "YES", "True"};
	static const char *const no[] = {"no", "false", "0", "off", "No"};
	struct station_config c;

	assert_ok("ui", "language", "en", &c);
	assert_true(c.english);
	assert_ok("ui", "language", "id", &c);
	assert_false(c.english);
	assert_bad("ui", "language", "fr");
	assert_bad("ui", "language", "EN");
	assert_bad("ui", "language", "");

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_ok("ui", "fullscreen", yes[i], &c);
		assert_true(c.fullscreen);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_ok("ui", "fullscreen", no[i], &c);
		assert_false(c.fullscreen);
	}
	assert_bad("ui", "fullscreen", "maybe");
	assert_bad("ui", "fullscreen", "2");
	assert_bad("ui", "fullscreen", "");

	assert_int_equal(parse(HEAD "[ui]\nwidth = 1080\nheight = 1920\n", &c, NULL), 0);
	assert_int_equal(c.width, 1080);
	assert_int_equal(c.height, 1920);
	assert_int_equal(parse(HEAD "[ui]\nwidth = 320\nheight = 7680\n", &c, NULL), 0);
	assert_int_equal(c.width, 320);
	assert_int_equal(c.height, 7680);
	assert_int_equal(parse(HEAD "[ui]\nwidth = 0\nheight = 0\n", &c, NULL), 0);
	assert_int_equal(c.width, 0);
	for (int i = 0; i < 2; i++) {
		const char *k = i ? "height" : "width";
		assert_bad("ui", k, "319");
		assert_bad("ui", k, "7681");
		assert_bad("ui", k, "-1");
		assert_bad("ui", k, "1080px");
	}
}

static void test_ui_width_needs_height(void **state)
{
	struct station_config c;
	struct config_errors errs;

	assert_int_equal(parse(HEAD "[ui]\nwidth = 800\n", &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 4, "height"));
	assert_int_equal(parse(HEAD "[ui]\nfullscreen = no\nheight = 600\n", &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 5, "width"));
}

static void test_camera_keys(void **state)
{
	struct station_config c;
	struct config_errors errs;

	assert_ok("camera", "width", "640", &c);
	assert_int_equal(c.camera_width, 640);
	assert_int_equal(c.camera_height, 720);
	assert_ok("camera", "height", "1080", &c);
	assert_int_equal(c.camera_height, 1080);
	assert_ok("camera", "fps", "15", &c);
	assert_int_equal(c.camera_fps, 15);
	assert_ok("camera", "fps", "0", &c);
	assert_int_equal(c.camera_fps, 0);
	assert_bad("camera", "width", "0");
	assert_bad("camera", "width", "15");
	assert_bad("camera", "width", "16385");
	assert_bad("camera", "height", "-720");
	assert_bad("camera", "height", "720p");
	assert_bad("camera", "fps", "241");
	assert_bad("camera", "fps", "29.97");
	assert_ok("ui", "speech", "yes", &c);
	assert_true(c.speech);
	assert_ok("ui", "speech_rate", "100", &c);
	assert_int_equal(c.speech_rate, 100);
	assert_ok("ui", "speech_volume", "0", &c);
	assert_int_equal(c.speech_volume, 0);
	assert_bad("ui", "speech_rate", "79");
	assert_bad("ui", "speech_rate", "451");
	assert_bad("ui", "speech_volume", "201");
	assert_bad("ui", "speech", "loud");
	assert_ok("camera", "loop", "yes", &c);
	assert_true(c.camera_loop);
	assert_ok("camera", "loop", "off", &c);
	assert_false(c.camera_loop);
	assert_bad("camera", "loop", "sometimes");

	assert_ok("camera", "roi", "320,0,640,720", &c);
	assert_int_equal(c.camera_roi.x, 320);
	assert_int_equal(c.camera_roi.y, 0);
	assert_int_equal(c.camera_roi.w, 640);
	assert_int_equal(c.camera_roi.h, 720);
	assert_ok("camera", "roi", " 0 , 10,\t1280 ,16", &c);
	assert_int_equal(c.camera_roi.x, 0);
	assert_int_equal(c.camera_roi.y, 10);
	assert_int_equal(c.camera_roi.w, 1280);
	assert_int_equal(c.camera_roi.h, 16);
	assert_ok("camera", "roi", "", &c);
	assert_int_equal(c.camera_roi.w, 0);
	assert_int_equal(c.camera_roi.h, 0);
	assert_bad("camera", "roi", "320,0,640");
	assert_bad("camera", "roi", "320,0,640,720,1");
	assert_bad("camera", "roi", "320,0,640,720,");
	assert_bad("camera", "roi", ",0,640,720");
	assert_bad("camera", "roi", "0,0,15,720");
	assert_bad("camera", "roi", "0,0,640,0");
	assert_bad("camera", "roi", "-1,0,640,720");
	assert_bad("camera", "roi", "0.25,0,0.5,1");
	assert_bad("camera", "roi", "0;0;640;720");
	assert_bad("camera", "roi", "0,0,640,99999999999999999999999999");
	assert_bad("camera", "roi", "0,0,16385,720");

	/* Inside the frame set by width and height, reported on roi's line. */
	assert_int_equal(parse(HEAD "[camera]\nroi = 640,360,641,360\n", &c, &errs), -EINVAL);
	print_errors(&errs);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 4, "does not fit in the 1280x720 frame"));
	assert_int_equal(
		parse(HEAD "[camera]\nroi = 0,0,640,480\nwidth = 800\nheight = 480\n", &c, &errs),
		0);
	assert_int_equal(c.camera_roi.w, 640);
	assert_int_equal(
		parse(HEAD "[camera]\nwidth = 640\nheight = 480\n\nroi = 0,0,640,481\n", &c, &errs),
		-EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 7, "does not fit in the 640x480 frame"));
	assert_int_equal(parse(HEAD "[camera]\nroi = 0,0,1280,720\n", &c, &errs), 0);
}

static void test_device_keys(void **state)
{
	struct station_config c;

	assert_ok("card", "backend", "pcsc", &c);
	assert_string_equal(c.card_backend, "pcsc");
	assert_ok("card", "backend", "sim", &c);
	assert_string_equal(c.card_backend, "sim");
	assert_bad("card", "backend", "usb");
	assert_bad("card", "backend", "");
	assert_ok("card", "reader", "ACS ACR1252*PICC*", &c);
	assert_string_equal(c.card_reader, "ACS ACR1252*PICC*");
	assert_ok("card", "sam_reader", "Identiv uTrust 2700 R [SAM] 00 00", &c);
	assert_string_equal(c.sam_reader, "Identiv uTrust 2700 R [SAM] 00 00");
	char long_name[180];
	memset(long_name, 'r', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	struct config_errors errs;
	assert_int_equal(parse_key("card", "reader", long_name, &c, &errs), -EINVAL);
	assert_true(has_error(&errs, 4, "too long"));
	assert_int_equal(parse_key("card", "reader",
				   "a\x01"
				   "b",
				   &c, &errs),
			 -EINVAL);
	assert_true(has_error(&errs, 4, "control"));

	assert_ok("camera", "backend", "v4l2", &c);
	assert_string_equal(c.camera_backend, "v4l2");
	assert_ok("camera", "backend", "files", &c);
	assert_string_equal(c.camera_backend, "files");
	assert_bad("camera", "backend", "webcam");
	assert_ok("camera", "device", "/dev/video2", &c);
	assert_string_equal(c.camera_device, "/dev/video2");
	assert_int_equal(parse_key("camera", "device", "", &c, &errs), -EINVAL);
	assert_true(has_error(&errs, 4, "empty"));

	assert_ok("receipt", "printer", "usb://0416:5011", &c);
	assert_string_equal(c.receipt_printer, "usb://0416:5011");
	assert_ok("receipt", "printer", "tcp://192.0.2.7:9100", &c);
	assert_ok("receipt", "printer", "file:/tmp/receipts.escpos", &c);
	assert_ok("receipt", "printer", "sim:", &c);
	assert_ok("receipt", "printer", "sim:/tmp/receipts", &c);
	assert_string_equal(c.receipt_printer, "sim:/tmp/receipts");
	assert_bad("receipt", "printer", "ipp://printer/ipp/print");
	assert_bad("receipt", "printer", "usb://");
	assert_bad("receipt", "printer", "file:");
	assert_bad("receipt", "printer", "/dev/usb/lp0");
	assert_bad("receipt", "printer", "");
	assert_ok("receipt", "width_dots", "384", &c);
	assert_int_equal(c.receipt_width_dots, 384);
	assert_ok("receipt", "width_dots", "576", &c);
	assert_int_equal(c.receipt_width_dots, 576);
	assert_bad("receipt", "width_dots", "512");
	assert_bad("receipt", "width_dots", "0");

	assert_ok("document", "printer", "ipp://192.0.2.8:631/ipp/print", &c);
	assert_string_equal(c.document_printer, "ipp://192.0.2.8:631/ipp/print");
	assert_ok("document", "printer", "ipps://printer.local/ipp/print", &c);
	assert_ok("document", "printer", "cups:A4_Lobby", &c);
	assert_ok("document", "printer", "dir:/var/spool/station", &c);
	assert_ok("document", "printer", "sim:", &c);
	assert_bad("document", "printer", "usb://0416:5011");
	assert_bad("document", "printer", "cups:");
	assert_bad("document", "printer", "lpr");
}

/* [card] atr repeats: each line one more pattern, in order. */
static void test_card_atr(void **state)
{
	static const uint8_t type_b[] = {0x3b, 0x8c, 0x80, 0x01, 0x50, 0x53, 0x81, 0x57, 0x36,
					 0x30, 0xaa, 0xaa, 0x01, 0x77, 0x81, 0xd7, 0xfe};
	static const uint8_t other[] = {0x3b, 0x8c, 0x80, 0x01, 0x50, 0x53, 0x81, 0x57, 0x36,
					0x30, 0xaa, 0xab, 0x01, 0x77, 0x81, 0xd7, 0xfe};
	struct station_config c;
	struct config_errors errs;

	assert_ok("card", "atr", "3B 8C 80 01 50 xx xx xx xx 30 AA AA 01 77 81 D7 xx", &c);
	assert_int_equal(c.n_card_atr, 1);
	assert_int_equal(c.card_atr[0].len, 17);
	assert_int_equal(c.card_atr[0].value[0], 0x3b);
	assert_int_equal(c.card_atr[0].mask[0], 0xff);
	assert_int_equal(c.card_atr[0].mask[5], 0x00);
	assert_string_equal(c.card_atr[0].name, "config 1");
	assert_int_equal(ektp_atr_match(c.card_atr, c.n_card_atr, type_b, sizeof(type_b)), 0);
	assert_int_equal(ektp_atr_match(c.card_atr, c.n_card_atr, other, sizeof(other)), -ENOENT);
	assert_int_equal(ektp_atr_match(c.card_atr, c.n_card_atr, type_b, sizeof(type_b) - 1),
			 -ENOENT);
	/* Colons, lower case, other wildcards. */
	assert_ok("card", "atr", "3b:8b:80:01:65:4b:54:50:??:..:XX:xx", &c);
	assert_int_equal(c.card_atr[0].len, 12);
	assert_int_equal(c.card_atr[0].value[7], 0x50);
	assert_int_equal(c.card_atr[0].mask[8], 0x00);

	/* Several lines, in order; the last of 16 still taken. */
	char text[4096];
	int n = snprintf(text, sizeof(text), HEAD "[card]\n");
	for (int i = 0; i < CONFIG_CARD_ATR_MAX; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "atr = 3B 02 %02X xx\n", i);
	assert_int_equal(parse(text, &c, &errs), 0);
	assert_int_equal(c.n_card_atr, CONFIG_CARD_ATR_MAX);
	for (int i = 0; i < CONFIG_CARD_ATR_MAX; i++) {
		char name[EKTP_ATR_NAME_MAX];
		snprintf(name, sizeof(name), "config %d", i + 1);
		assert_int_equal(c.card_atr[i].value[2], i);
		assert_string_equal(c.card_atr[i].name, name);
	}
	/* A 17th is refused, on its own line (4 + 16 = 20). */
	snprintf(text + n, sizeof(text) - (size_t)n, "atr = 3B 02 FF xx\n");
	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 20, "too many 'atr' patterns in [card] (at most 16)"));

	/* Bad patterns: bad hex, half wildcard, odd digit, too short, too
	 * long (34 bytes), empty. */
	static const char *const bad[] = {
		"3B 8C 80 01 5G",
		"3B 8C 80 01 5x",
		"3B 8C 80 01 5",
		"3B",
		"3B 8C 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
		"00 00 00 00 00 00 00 00",
		"",
		"3B-8C-80",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_key("card", "atr", bad[i], &c, &errs), -EINVAL);
		if (errs.n != 1 || !has_error(&errs, 4, "bad value for 'atr' in [card]") ||
		    !has_error(&errs, 4, "hex bytes")) {
			print_message("atr = %s\n", bad[i]);
			print_errors(&errs);
			fail();
		}
	}
	/* A bad line among good ones: only it is reported. */
	assert_int_equal(
		parse(HEAD "[card]\natr = 3B 00\natr = zz 00\natr = 3B 01 xx\n", &c, &errs),
		-EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 5, "bad value for 'atr'"));
}

static void test_card_read_keys(void **state)
{
	struct station_config c;

	assert_ok("card", "read_photo", "yes", &c);
	assert_true(c.card_read_photo);
	assert_ok("card", "read_photo", "false", &c);
	assert_false(c.card_read_photo);
	assert_bad("card", "read_photo", "photo");
	assert_bad("card", "read_photo", "");
	assert_ok("card", "read_timeout", "1", &c);
	assert_int_equal(c.card_read_timeout_ms, 1000);
	assert_ok("card", "read_timeout", "60", &c);
	assert_int_equal(c.card_read_timeout_ms, 60000);
	assert_bad("card", "read_timeout", "0");
	assert_bad("card", "read_timeout", "61");
	assert_bad("card", "read_timeout", "5s");
	assert_bad("card", "read_timeout", "-1");
}

static void test_backend_keys(void **state)
{
	struct station_config c;

	assert_ok("backend", "url", "https://mpp.example.go.id/api", &c);
	assert_string_equal(c.backend_url, "https://mpp.example.go.id/api");
	assert_ok("backend", "url", "http://127.0.0.1:8080", &c);
	assert_ok("backend", "url", "sim:", &c);
	assert_bad("backend", "url", "ftp://example.org");
	assert_bad("backend", "url", "https://");
	assert_bad("backend", "url", "mpp.example.go.id");
	assert_ok("backend", "connect_timeout", "300", &c);
	assert_int_equal(c.backend_connect_timeout_ms, 300000);
	assert_bad("backend", "connect_timeout", "301");
	assert_bad("backend", "connect_timeout", "0");
	assert_ok("backend", "timeout", "30", &c);
	assert_int_equal(c.backend_timeout_ms, 30000);
	assert_bad("backend", "timeout", "0");
	assert_bad("backend", "timeout", "ten");
	assert_ok("backend", "ca_file", "/etc/station/ca.pem", &c);
	assert_string_equal(c.backend_ca_file, "/etc/station/ca.pem");
	assert_bad("backend", "ca_file", "ca.pem");
	assert_bad("station", "state_dir", "var/lib/station");
	assert_bad("station", "state_dir", "");
	assert_bad("station", "secrets_file", "secrets.conf");
	assert_bad("station", "log_level", "verbose");
	assert_bad("station", "log_level", "INFO");
}

static void test_qr_and_maintenance_keys(void **state)
{
	struct station_config c;

	assert_ok("qr", "clock_skew", "0", &c);
	assert_int_equal(c.qr_clock_skew_s, 0);
	assert_ok("qr", "clock_skew", "3600", &c);
	assert_int_equal(c.qr_clock_skew_s, 3600);
	assert_bad("qr", "clock_skew", "3601");
	assert_ok("maintenance", "pin_max_failures", "3", &c);
	assert_int_equal(c.pin_max_failures, 3);
	assert_bad("maintenance", "pin_max_failures", "0");
	assert_bad("maintenance", "pin_max_failures", "101");
	assert_ok("maintenance", "pin_lockout", "86400", &c);
	assert_int_equal(c.pin_lockout_s, 86400);
	assert_bad("maintenance", "pin_lockout", "0");
	assert_bad("maintenance", "pin_lockout", "86401");
	assert_ok("metrics", "listen", "127.0.0.1:9464", &c);
	assert_string_equal(c.metrics_listen, "127.0.0.1:9464");
	assert_ok("metrics", "listen", "", &c);
	assert_bad("metrics", "listen", "0.0.0.0:9464");
	assert_bad("metrics", "listen", "127.0.0.1:0");
	assert_ok("backend", "heartbeat", "60", &c);
	assert_int_equal(c.backend_heartbeat_s, 60);
	assert_bad("backend", "heartbeat", "86401");
	assert_ok("station", "probe_interval", "0", &c);
	assert_int_equal(c.probe_interval_s, 0);
	assert_ok("station", "probe_interval", "1", &c);
	assert_int_equal(c.probe_interval_s, 1);
	assert_ok("station", "probe_interval", "3600", &c);
	assert_bad("station", "probe_interval", "3601");
	assert_bad("station", "probe_interval", "-1");
	assert_bad("station", "probe_interval", "5s");
}

static void test_bad_id(void **state)
{
	static const char *const bad[] = {
		"[station]\nid = \n",
		"[station]\nid = has space\n",
		"[station]\nid = slash/no\n",
		"[station]\nid = "
		"0123456789012345678901234567890123456789012345678901234567890123\n",
		"[station]\nid = stasiun-\xc3\xa9\n",
	};
	struct station_config c;
	struct config_errors errs;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &c, &errs), -EINVAL);
		assert_true(has_error(&errs, 2, "bad value for 'id' in [station]"));
		assert_true(has_error(&errs, 2, "expected 1 to 63 characters"));
		assert_int_equal(errs.n, 1);
	}
}

/* ---- errors and their lines ------------------------------------------- */

static void test_missing_id(void **state)
{
	struct station_config c;
	struct config_errors errs;

	assert_int_equal(parse("", &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 0, "missing required key 'id' in [station]"));
	assert_int_equal(parse("[ui]\nlanguage = en\n", &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 0, "'id'"));
}

static void test_unknown_key_and_section(void **state)
{
	struct station_config c;
	struct config_errors errs;
	const char *text = "; comment\n"
			   "[station]\n"
			   "id = x\n"
			   "colour = blue\n"
			   "\n"
			   "[printer]\n"
			   "width = 3\n"
			   "anything = goes\n"
			   "[session]\n"
			   "card_timeout = 5\n"
			   "id = 3\n";

	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 3);
	assert_true(has_error(&errs, 4, "unknown key 'colour' in [station]"));
	/* Reported once, at its header; its keys are not listed again. */
	assert_true(has_error(&errs, 6, "unknown section [printer]"));
	assert_true(has_error(&errs, 11, "unknown key 'id' in [session]"));
}

static void test_duplicate_key(void **state)
{
	struct station_config c;
	struct config_errors errs;

	assert_int_equal(parse(HEAD "[ui]\nlanguage = en\n[station]\nid = other\n", &c, &errs),
			 -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 6, "duplicate key 'id' in [station] (first on line 2)"));
}

static void test_syntax_errors(void **state)
{
	struct station_config c;
	struct config_errors errs;
	char text[1024];
	const char *tail = "[ui\n"		 /* 3 */
			   "language = en\n"	 /* 4: in no known section */
			   "[ui] junk\n"	 /* 5 */
			   "[ui]\n"		 /* 6 */
			   "just words\n"	 /* 7 */
			   "= 5\n"		 /* 8 */
			   "fullscreen ; = no\n" /* 9 */
			   "width = 640\n"	 /* 10 */
			   "height = 480\n";	 /* 11 */

	snprintf(text, sizeof(text), HEAD "%s", tail);
	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 5);
	assert_true(has_error(&errs, 3, "']'"));
	assert_true(has_error(&errs, 5, "after ']'"));
	assert_true(has_error(&errs, 7, "expected 'key = value'"));
	assert_true(has_error(&errs, 8, "missing key name"));
	assert_true(has_error(&errs, 9, "expected 'key = value'"));

	assert_int_equal(parse("language = en\n" HEAD, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 1, "outside any [section]"));
}

static void test_long_line_and_nul(void **state)
{
	struct station_config c;
	struct config_errors errs;
	char text[600];
	int n;

	n = snprintf(text, sizeof(text), HEAD "[card]\nreader = ");
	memset(text + n, 'x', 300);
	snprintf(text + n + 300, sizeof(text) - (size_t)n - 300, "\nsam_reader = ok\n");
	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 4, "line too long"));

	static const char with_nul[] = HEAD "[card]\nreader = a\0b\nbogus = 1\n";
	assert_int_equal(config_parse(with_nul, sizeof(with_nul) - 1, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 2);
	assert_true(has_error(&errs, 4, "NUL"));
	assert_true(has_error(&errs, 5, "unknown key 'bogus'"));
}

static void test_many_errors(void **state)
{
	struct station_config c;
	struct config_errors errs;
	char text[8192];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n, "[session]\n");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "bogus%d = 1\n", i);
	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, CONFIG_ERRORS_MAX);
	/* 100 unknown keys and the missing id */
	assert_int_equal(errs.n_dropped, 101 - CONFIG_ERRORS_MAX);
	assert_true(has_error(&errs, 2, "unknown key 'bogus0'"));
	assert_true(has_error(&errs, 65, "unknown key 'bogus63'"));
}

static void test_multiple_errors_all_reported(void **state)
{
	struct station_config c;
	struct config_errors errs;
	const char *text = "[station]\n"
			   "log_level = loud\n" /* 2 */
			   "[session]\n"
			   "card_timeout = 0\n" /* 4 */
			   "scan_timeout = 20\n"
			   "idle_timeout = soon\n" /* 6 */
			   "[receipt]\n"
			   "width_dots = 100\n"; /* 8 */

	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 5);
	assert_int_equal(errs.n_dropped, 0);
	assert_true(has_error(&errs, 2, "'log_level'"));
	assert_true(has_error(&errs, 2, "got 'loud'"));
	assert_true(has_error(&errs, 4, "'card_timeout'"));
	assert_true(has_error(&errs, 6, "'idle_timeout'"));
	assert_true(has_error(&errs, 8, "'width_dots'"));
	assert_true(has_error(&errs, 0, "'id'"));
}

static void test_untouched_on_error(void **state)
{
	struct station_config c, pattern;
	struct config_errors errs;

	memset(&c, 0xa5, sizeof(c));
	memset(&pattern, 0xa5, sizeof(pattern));
	assert_int_equal(parse(HEAD "[ui]\nlanguage = fr\n", &c, &errs), -EINVAL);
	assert_memory_equal(&c, &pattern, sizeof(c));
	assert_int_equal(parse("[ui]\n", &c, &errs), -EINVAL);
	assert_memory_equal(&c, &pattern, sizeof(c));
	assert_int_equal(config_load("/nonexistent/station.conf", &c, &errs), -ENOENT);
	assert_memory_equal(&c, &pattern, sizeof(c));
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.e[0].line, 0);
	assert_non_null(strstr(errs.e[0].message, "cannot open"));
}

static void test_syntax_variants(void **state)
{
	struct station_config c;
	struct config_errors errs;
	/* BOM, CRLF, indentation, ':' separator, inline and '#' comments */
	const char text[] = "\xef\xbb\xbf[station]\r\n"
			    "   id = crlf-1   \r\n"
			    "# hash comment\r\n"
			    "\t[ui]\r\n"
			    "\tlanguage: en ; inline comment\r\n"
			    "  fullscreen = no\r\n";

	assert_int_equal(config_parse(text, sizeof(text) - 1, &c, &errs), 0);
	assert_string_equal(c.station_id, "crlf-1");
	assert_true(c.english);
	assert_false(c.fullscreen);
}

static void test_not_nul_terminated(void **state)
{
	struct station_config c;
	struct config_errors errs;
	const char text[] = "[station]\nid = abcdef\nlog_level = bogus\n";
	char *buf;
	size_t len = strlen("[station]\nid = abc");

	/* Exactly len bytes in a heap block, so any read past them is caught
	 * by sanitizers and valgrind. */
	buf = malloc(len);
	assert_non_null(buf);
	memcpy(buf, text, len);
	assert_int_equal(config_parse(buf, len, &c, &errs), 0);
	assert_string_equal(c.station_id, "abc");
	free(buf);
	assert_int_equal(config_parse(NULL, 0, &c, &errs), -EINVAL);
	assert_true(has_error(&errs, 0, "'id'"));
}

/* ---- [qr] keys ------------------------------------------------------------ */

static void encode_key(const uint8_t pk[32], int variant, char *out, size_t size)
{
	sodium_bin2base64(out, size, pk, 32, variant);
}

static void test_qr_keys(void **state)
{
	static const int variants[] = {
		sodium_base64_VARIANT_ORIGINAL,
		sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
		sodium_base64_VARIANT_URLSAFE,
		sodium_base64_VARIANT_URLSAFE_NO_PADDING,
	};
	uint8_t pk[4][32], sk[64];
	char text[2048], b64[64];
	size_t n;
	struct station_config c;
	struct config_errors errs;

	assert_true(sodium_init() >= 0);
	n = (size_t)snprintf(text, sizeof(text), HEAD "[qr]\nclock_skew = 60\n");
	for (int i = 0; i < 4; i++) {
		crypto_sign_keypair(pk[i], sk);
		encode_key(pk[i], variants[i], b64, sizeof(b64));
		n += (size_t)snprintf(text + n, sizeof(text) - n, "key.k%d = %s\n", i, b64);
	}
	assert_int_equal(parse(text, &c, &errs), 0);
	assert_int_equal(c.n_qr_keys, 4);
	assert_int_equal(c.qr_clock_skew_s, 60);
	for (int i = 0; i < 4; i++) {
		char id[8];
		snprintf(id, sizeof(id), "k%d", i);
		assert_string_equal(c.qr_keys[i].id, id);
		assert_memory_equal(c.qr_keys[i].public_key, pk[i], 32);
	}
	sodium_memzero(sk, sizeof(sk));
}

static void test_qr_key_errors(void **state)
{
	uint8_t pk[32];
	char b64[64], b64_short[64], text[4096];
	size_t n;
	struct station_config c;
	struct config_errors errs;

	for (int i = 0; i < 32; i++)
		pk[i] = (uint8_t)(i * 7 + 1);
	encode_key(pk, sodium_base64_VARIANT_ORIGINAL, b64, sizeof(b64));
	sodium_bin2base64(b64_short, sizeof(b64_short), pk, 31, sodium_base64_VARIANT_ORIGINAL);

	n = (size_t)snprintf(text, sizeof(text),
			     HEAD "[qr]\n"
				  "key.good = %s\n"	   /* 4 */
				  "key.bad = not*base64\n" /* 5 */
				  "key.short = %s\n"	   /* 6 */
				  "key.good = %s\n"	   /* 7 */
				  "key. = %s\n"		   /* 8 */
				  "key.a/b = %s\n",	   /* 9 */
			     b64, b64_short, b64, b64, b64);
	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 5);
	assert_true(has_error(&errs, 5, "expected base64"));
	assert_true(has_error(&errs, 6, "got 31 bytes"));
	assert_true(has_error(&errs, 7, "duplicate key 'key.good' in [qr] (first on line 4)"));
	assert_true(has_error(&errs, 8, "bad QR key id"));
	assert_true(has_error(&errs, 9, "bad QR key id 'a/b'"));

	/* One key more than the maximum: the extra one is refused. */
	n = (size_t)snprintf(text, sizeof(text), HEAD "[qr]\n");
	for (int i = 0; i <= CONFIG_QR_KEYS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "key.n%d = %s\n", i, b64);
	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_int_equal(errs.n, 1);
	assert_true(has_error(&errs, 4 + CONFIG_QR_KEYS_MAX, "too many QR keys"));

	/* Exactly the maximum is fine. */
	n = (size_t)snprintf(text, sizeof(text), HEAD "[qr]\n");
	for (int i = 0; i < CONFIG_QR_KEYS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "key.n%d = %s\n", i, b64);
	assert_int_equal(parse(text, &c, &errs), 0);
	assert_int_equal(c.n_qr_keys, CONFIG_QR_KEYS_MAX);

	/* An id of 32 characters is the longest. */
	snprintf(text, sizeof(text), HEAD "[qr]\nkey.%s = %s\n", "abcdefghijklmnopqrstuvwxyz012345",
		 b64);
	assert_int_equal(parse(text, &c, &errs), 0);
	assert_string_equal(c.qr_keys[0].id, "abcdefghijklmnopqrstuvwxyz012345");
	snprintf(text, sizeof(text), HEAD "[qr]\nkey.%s = %s\n",
		 "abcdefghijklmnopqrstuvwxyz0123456", b64);
	assert_int_equal(parse(text, &c, &errs), -EINVAL);
	assert_true(has_error(&errs, 4, "bad QR key id"));
}

static void test_log_level_names(void **state)
{
	assert_string_equal(config_log_level_to_string(CONFIG_LOG_ERROR), "error");
	assert_string_equal(config_log_level_to_string(CONFIG_LOG_WARNING), "warning");
	assert_string_equal(config_log_level_to_string(CONFIG_LOG_INFO), "info");
	assert_string_equal(config_log_level_to_string(CONFIG_LOG_DEBUG), "debug");
	assert_null(config_log_level_to_string((enum config_log_level)4));
	assert_null(config_log_level_to_string((enum config_log_level) - 1));
}

/* ---- files and secrets ------------------------------------------------------ */

struct tmp {
	char dir[256];
	char path[300];
};

static void tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "%s/test-config.XXXXXX", TEST_BINARY_DIR);
	assert_non_null(mkdtemp(t->dir));
}

static void tmp_write(struct tmp *t, const char *name, const char *text, mode_t mode)
{
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	int fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void test_load(void **state)
{
	struct tmp t;
	struct station_config c;
	struct config_errors errs;

	tmp_make(&t);
	tmp_write(&t, "station.conf", HEAD "[ui]\nlanguage = en\n", 0644);
	assert_int_equal(config_load(t.path, &c, &errs), 0);
	assert_string_equal(c.station_id, "test-1");
	assert_true(c.english);
	tmp_write(&t, "bad.conf", HEAD "[ui]\nlanguage = xx\n", 0644);
	assert_int_equal(config_load(t.path, &c, &errs), -EINVAL);
	assert_true(has_error(&errs, 4, "'language'"));
	assert_int_equal(unlink(t.path), 0);
	snprintf(t.path, sizeof(t.path), "%s/station.conf", t.dir);
	assert_int_equal(unlink(t.path), 0);
	assert_int_equal(config_load(t.dir, &c, &errs), -EISDIR);
	assert_true(has_error(&errs, 0, "not a regular file"));
	assert_int_equal(rmdir(t.dir), 0);
}

static const char good_secrets[] =
	"[secrets]\n"
	"backend_token = tok-0123456789abcdef\n"
	"sam_credentials = 00112233445566778899AABBCCDDEEFF\n"
	"technician_pin_hash = $argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g\n";

static void test_secrets(void **state)
{
	struct tmp t;
	struct station_secrets s, pattern;
	struct config_errors errs;

	tmp_make(&t);
	tmp_write(&t, "secrets.conf", good_secrets, 0600);
	assert_int_equal(config_load_secrets(t.path, &s, &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(s.backend_token, "tok-0123456789abcdef");
	assert_string_equal(s.sam_credentials, "00112233445566778899AABBCCDDEEFF");
	assert_true(strncmp(s.technician_pin_hash, "$argon2id$v=19$", 15) == 0);

	config_secrets_wipe(&s);
	static const struct station_secrets zero;
	assert_memory_equal(&s, &zero, sizeof(s));
	config_secrets_wipe(NULL);

	/* Read-only for the owner is fine too. */
	assert_int_equal(chmod(t.path, 0400), 0);
	assert_int_equal(config_load_secrets(t.path, &s, &errs), 0);

	static const mode_t refused[] = {0640, 0604, 0644, 0660, 0601, 0610};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char mode[8];
		memset(&s, 0x3c, sizeof(s));
		memset(&pattern, 0x3c, sizeof(pattern));
		assert_int_equal(chmod(t.path, refused[i]), 0);
		assert_int_equal(config_load_secrets(t.path, &s, &errs), -EPERM);
		assert_memory_equal(&s, &pattern, sizeof(s));
		snprintf(mode, sizeof(mode), "%04o", (unsigned)refused[i]);
		assert_int_equal(errs.n, 1);
		assert_true(has_error(&errs, 0, mode));
		assert_true(has_error(&errs, 0, "chmod 600"));
	}
	unlink(t.path);

	/* Not a regular file. */
	assert_int_equal(config_load_secrets(t.dir, &s, &errs), -EPERM);
	assert_true(has_error(&errs, 0, "not a regular file"));
	snprintf(t.path, sizeof(t.path), "%s/fifo", t.dir);
	assert_int_equal(mkfifo(t.path, 0600), 0);
	assert_int_equal(config_load_secrets(t.path, &s, &errs), -EPERM);
	unlink(t.path);

	assert_int_equal(config_load_secrets(t.path, &s, &errs), -ENOENT);
	assert_true(has_error(&errs, 0, "cannot open"));
	assert_int_equal(rmdir(t.dir), 0);
}

/* Technician cards: up to 16 hashes, each 64 hex digits; a bad one is
 * told by its line without being quoted. */
static void test_technician_cards(void **state)
{
	struct tmp t;
	struct station_secrets s;
	struct config_errors errs;
	char text[4096];
	size_t n = 0;

	tmp_make(&t);
	tmp_write(&t, "secrets.conf",
		  "[secrets]\n"
		  "technician_card = "
		  "0f790b3b0c5019b5269bea38c9b5cd37cb9827d5398ade92107058248df97c8f\n"
		  "technician_card = "
		  "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n",
		  0600);
	assert_int_equal(config_load_secrets(t.path, &s, &errs), 0);
	assert_int_equal(s.n_technician_cards, 2);
	assert_int_equal(s.technician_cards[0][0], 0x0f);
	assert_int_equal(s.technician_cards[0][31], 0x8f);
	assert_int_equal(s.technician_cards[1][17], 0xff);
	config_secrets_wipe(&s);
	assert_int_equal(s.n_technician_cards, 0);
	unlink(t.path);

	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "[secrets]\n"
			      "technician_card = 0f790b3b\n"
			      "technician_card = zz790b3b0c5019b5269bea38c9b5cd37cb9827d5398ade9210"
			      "7058248df97c8f\n");
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "technician_card = %064d\n", i);
	tmp_write(&t, "secrets.conf", text, 0600);
	assert_int_equal(config_load_secrets(t.path, &s, &errs), -EINVAL);
	assert_true(has_error(&errs, 2, "64 hex digits"));
	assert_true(has_error(&errs, 3, "64 hex digits"));
	assert_true(has_error(&errs, 20, "too many 'technician_card'"));
	for (size_t i = 0; i < errs.n; i++)
		assert_null(strstr(errs.e[i].message, "0f790b3b"));
	unlink(t.path);
	assert_int_equal(rmdir(t.dir), 0);
}

static void test_secrets_errors(void **state)
{
	struct tmp t;
	struct station_secrets s, pattern;
	struct config_errors errs;

	tmp_make(&t);
	tmp_write(&t, "secrets.conf",
		  "[secrets]\n"
		  "backend_token = tok\n"
		  "sam_credentials = 0g11\n"	       /* 3: not hex */
		  "technician_pin_hash = 1234-plain\n" /* 4: not argon2id */
		  "backend_token = again\n"	       /* 5: duplicate */
		  "sUpErSeCrEt = x\n"		       /* 6: unknown */
		  "[other]\n",			       /* 7: unknown section */
		  0600);
	memset(&s, 0x3c, sizeof(s));
	memset(&pattern, 0x3c, sizeof(pattern));
	assert_int_equal(config_load_secrets(t.path, &s, &errs), -EINVAL);
	assert_memory_equal(&s, &pattern, sizeof(s));
	assert_int_equal(errs.n, 5);
	assert_true(has_error(&errs, 3, "hex"));
	assert_true(has_error(&errs, 4, "$argon2id$"));
	assert_true(has_error(&errs, 5, "duplicate key 'backend_token'"));
	assert_true(has_error(&errs, 6, "unknown key"));
	assert_true(has_error(&errs, 7, "unknown section [other]"));
	/* No value, and no name that might be one, is quoted back. */
	for (size_t i = 0; i < errs.n; i++) {
		assert_null(strstr(errs.e[i].message, "0g11"));
		assert_null(strstr(errs.e[i].message, "1234-plain"));
		assert_null(strstr(errs.e[i].message, "again"));
		assert_null(strstr(errs.e[i].message, "sUpErSeCrEt"));
	}
	unlink(t.path);

	/* Odd number of hex digits, empty token. */
	tmp_write(&t, "secrets.conf", "[secrets]\nsam_credentials = abc\nbackend_token =\n", 0600);
	assert_int_equal(config_load_secrets(t.path, &s, &errs), -EINVAL);
	assert_int_equal(errs.n, 2);
	assert_true(has_error(&errs, 2, "hex"));
	assert_true(has_error(&errs, 3, "empty"));
	unlink(t.path);

	/* An empty secrets file is valid: every key is optional. */
	tmp_write(&t, "secrets.conf", "", 0600);
	assert_int_equal(config_load_secrets(t.path, &s, &errs), 0);
	assert_string_equal(s.backend_token, "");
	assert_string_equal(s.technician_pin_hash, "");
	unlink(t.path);
	assert_int_equal(rmdir(t.dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_only_id),
		cmocka_unit_test(test_shipped_file),
		cmocka_unit_test(test_shipped_defaults_documented),
		cmocka_unit_test(test_station_keys),
		cmocka_unit_test(test_session_keys),
		cmocka_unit_test(test_ui_keys),
		cmocka_unit_test(test_ui_width_needs_height),
		cmocka_unit_test(test_camera_keys),
		cmocka_unit_test(test_device_keys),
		cmocka_unit_test(test_card_atr),
		cmocka_unit_test(test_card_read_keys),
		cmocka_unit_test(test_backend_keys),
		cmocka_unit_test(test_qr_and_maintenance_keys),
		cmocka_unit_test(test_bad_id),
		cmocka_unit_test(test_missing_id),
		cmocka_unit_test(test_unknown_key_and_section),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_long_line_and_nul),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_multiple_errors_all_reported),
		cmocka_unit_test(test_untouched_on_error),
		cmocka_unit_test(test_syntax_variants),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_qr_keys),
		cmocka_unit_test(test_qr_key_errors),
		cmocka_unit_test(test_log_level_names),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_secrets),
		cmocka_unit_test(test_technician_cards),
		cmocka_unit_test(test_secrets_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
