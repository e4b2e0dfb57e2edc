/* SPDX-License-Identifier: MIT */
/*
 * Integration tests of the PC/SC card reader (devices/card-reader-pcsc.c)
 * and of `station card read` against a real pcscd, vsmartcard-vpcd and
 * our virtual e-KTP (tests/vcard), in private namespaces (pcsc-env.h).
 *
 *   pcsc-test TEST VCARD STATION
 *
 * Every wait is on an event (the station queue, a line from the vcard, a
 * process ending) with a generous timeout that only fails the test.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "card-reader-pcsc.h"
#include "event.h"
#include "pcsc-env.h"
#include "queue.h"
#include "vcard-emu.h"

#define WAIT_MS	 15000 /* any single expected event */
#define TEST_NIK "3201011506870001"

struct t {
	struct pcsc_env env;
	const char *vcard_path;
	const char *station_path;
	const char *mpp_sim_path; /* run only */
	struct station_queue *q;
	struct card_reader *reader;
	int last_state; /* last DEVICE_STATE seen, -1 none */
};

static struct t *current;

static void cleanup(void)
{
	if (!current)
		return;
	current->reader = card_reader_free(current->reader);
	current->q = station_queue_free(current->q);
	pcsc_env_free(&current->env);
	current = NULL;
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	if (current && current->env.dir[0]) {
		char path[128], line[256];
		FILE *f;

		snprintf(path, sizeof(path), "%s/pcscd.log", current->env.dir);
		f = fopen(path, "r");
		for (int i = 0; f && i < 30 && fgets(line, sizeof(line), f); i++)
			fprintf(stderr, "pcscd: %s", line);
		if (f)
			fclose(f);
	}
	cleanup();
	exit(1);
}

#define check(cond)                                                   \
	do {                                                          \
		if (!(cond))                                          \
			fail("%s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

static const char *ev_name(const struct station_event *ev)
{
	return station_event_type_to_string(ev->type);
}

/* The next event that is not a DEVICE_STATE (those are recorded). */
static int next_event(struct t *t, int timeout_ms, struct station_event *ret)
{
	long long until = pcsc_env_now_ms() + timeout_ms;

	for (;;) {
		struct station_event ev;

		while (station_queue_pop(t->q, &ev) == 1) {
			if (ev.type == STATION_EVENT_DEVICE_STATE &&
			    ev.device.device == SESSION_DEVICE_CARD_READER) {
				fprintf(stderr, "  event device-state %d\n", ev.device.state);
				t->last_state = ev.device.state;
				station_event_clear(&ev);
				continue;
			}
			fprintf(stderr, "  event %s\n", ev_name(&ev));
			*ret = ev;
			return 0;
		}
		long long left = until - pcsc_env_now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		station_queue_wait(t->q, (int)left);
	}
}

static void expect(struct t *t, enum station_event_type type, struct station_event *ret)
{
	struct station_event ev;

	if (next_event(t, WAIT_MS, &ev) < 0)
		fail("no %s within %d ms", station_event_type_to_string(type), WAIT_MS);
	if (ev.type != type)
		fail("expected %s, got %s", station_event_type_to_string(type), ev_name(&ev));
	if (ret)
		*ret = ev;
	else
		station_event_clear(&ev);
}

static void expect_failed(struct t *t, enum session_error err)
{
	struct station_event ev;

	expect(t, STATION_EVENT_CARD_FAILED, &ev);
	check(ev.card_error == err);
}

static void wait_state(struct t *t, enum session_device_state st)
{
	long long until = pcsc_env_now_ms() + WAIT_MS;

	while (t->last_state != (int)st) {
		struct station_event ev;
		long long left = until - pcsc_env_now_ms();

		if (left <= 0)
			fail("reader state %d not reached (last %d)", st, t->last_state);
		if (station_queue_pop(t->q, &ev) != 1) {
			station_queue_wait(t->q, (int)left);
			continue;
		}
		/* Card events are not expected while waiting for a state. */
		if (ev.type != STATION_EVENT_DEVICE_STATE)
			fail("unexpected %s while waiting for state %d", ev_name(&ev), st);
		fprintf(stderr, "  event device-state %d\n", ev.device.state);
		t->last_state = ev.device.state;
		station_event_clear(&ev);
	}
}

/* Nothing more arrives within ms (used after a sequence is complete). */
static void expect_quiet(struct t *t, int ms)
{
	struct station_event ev;

	if (next_event(t, ms, &ev) == 0)
		fail("unexpected %s", ev_name(&ev));
}

static void vcard(struct t *t, const char *cmd, const char *want)
{
	char line[128];

	if (pcsc_env_vcard(&t->env, cmd, line, sizeof(line), WAIT_MS) < 0)
		fail("vcard did not answer '%s'", cmd);
	if (strcmp(line, want) != 0)
		fail("vcard answered '%s' to '%s'", line, cmd);
}

static void start_pcscd(struct t *t)
{
	int r = pcsc_env_start_pcscd(&t->env, WAIT_MS);

	if (r < 0)
		fail("pcscd did not start: %s (is it installed? tools/install-deps)", strerror(-r));
}

static void start_vcard(struct t *t, const char *const *args)
{
	if (pcsc_env_start_vcard(&t->env, t->vcard_path, args) < 0)
		fail("vcard did not start");
}

struct reader_opts {
	bool no_sam;
	bool wrong_unlock;
	bool photo;
	unsigned read_timeout_ms;
};

static void start_reader(struct t *t, const struct reader_opts *o)
{
	static const uint8_t wrong[32] = {1, 2, 3};
	struct card_reader_pcsc_config cfg = {
		.reader_pattern = "Virtual PCD * 00",
		.sam_reader_pattern = o && o->no_sam ? NULL : "Virtual PCD * 01",
		.sam_unlock = o && o->no_sam	     ? NULL
			      : o && o->wrong_unlock ? wrong
						     : vcard_test_unlock,
		.read_photo = o && o->photo,
		.read_timeout_ms = o && o->read_timeout_ms ? o->read_timeout_ms : 4000,
		.backoff_min_ms = 100,
		.backoff_max_ms = 800,
	};

	check(station_queue_new(256, &t->q) == 0);
	check(card_reader_pcsc_new(t->q, &cfg, &t->reader) == 0);
	check(card_reader_start(t->reader) == 0);
}

/* pcscd + vcard (type a, SAM attached) + the reader, up and OK. */
static void setup(struct t *t, const struct reader_opts *o, const char *const *vargs)
{
	static const char *const dflt[] = {"--port", "35963", "--sam-port", "35964", NULL};

	start_pcscd(t);
	start_vcard(t, vargs ? vargs : dflt);
	start_reader(t, o);
	wait_state(t, SESSION_DEVICE_OK);
}

static void read_ok(struct t *t, const char *nik, size_t uid_len)
{
	struct station_event ev;

	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect(t, STATION_EVENT_CARD_READ, &ev);
	check(ev.card.uid_len == uid_len);
	check(strcmp(ev.card.nik, nik) == 0);
	if (nik[0])
		check(strcmp(ev.card.name, "BUDI SANTOSO WIBOWO") == 0);
	else
		check(ev.card.name[0] == '\0');
	station_event_clear(&ev);
	vcard(t, "remove", "removed");
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);
}

/* ---- the tests ------------------------------------------------------------ */

static void test_read(struct t *t)
{
	setup(t, NULL, NULL);
	read_ok(t, TEST_NIK, 7);
	vcard(t, "type b", "ok");
	read_ok(t, TEST_NIK, 4);
	/* The same card again: a second session reads it afresh. */
	read_ok(t, TEST_NIK, 4);
	expect_quiet(t, 500);
}

static void test_no_sam(struct t *t)
{
	struct reader_opts o = {.no_sam = true};

	setup(t, &o, NULL);
	read_ok(t, "", 7);
}

static void test_photo(struct t *t)
{
	struct reader_opts o = {.photo = true};

	setup(t, &o, NULL);
	read_ok(t, TEST_NIK, 7);
}

static void test_unknown(struct t *t)
{
	setup(t, NULL, NULL);
	vcard(t, "type other", "ok");
	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect_failed(t, SESSION_ERROR_CARD_UNKNOWN);
	vcard(t, "remove", "removed");
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);
}

static void test_wrong_unlock(struct t *t)
{
	struct reader_opts o = {.wrong_unlock = true};

	setup(t, &o, NULL);
	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect_failed(t, SESSION_ERROR_CARD_UNREADABLE);
	vcard(t, "remove", "removed");
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);
}

/* One misbehaviour: a clean CARD_FAILED, then the card leaves, then a
 * good card still reads (nothing stuck). */
static void test_fault(struct t *t, const char *fault)
{
	struct reader_opts o = {.read_timeout_ms = 2500};
	char cmd[64];
	long long t0;

	setup(t, &o, NULL);
	snprintf(cmd, sizeof(cmd), "fault %s%s", fault, strcmp(fault, "remove") == 0 ? " 5" : "");
	vcard(t, cmd, "ok");
	t0 = pcsc_env_now_ms();
	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	if (strcmp(fault, "remove") == 0) {
		char line[64];

		/* The card leaves by itself at the first READ BINARY (its 6th
		 * APDU: UID, SELECT DF, challenge, authenticate, SELECT EF). */
		check(pcsc_env_vcard_line(&t->env, line, sizeof(line), WAIT_MS) == 0);
		check(strcmp(line, "removed-mid-read") == 0);
		expect_failed(t, SESSION_ERROR_CARD_UNREADABLE);
		expect(t, STATION_EVENT_CARD_REMOVED, NULL);
	} else {
		expect_failed(t, SESSION_ERROR_CARD_UNREADABLE);
		/* Bounded by the read timeout (+ grace), never a hang. */
		check(pcsc_env_now_ms() - t0 < 2500 + 500 + 2000);
		vcard(t, "remove", "removed");
		expect(t, STATION_EVENT_CARD_REMOVED, NULL);
	}
	vcard(t, "fault none", "ok");
	read_ok(t, TEST_NIK, 7);
}

/* Fast remove/insert cycles, faster than pcscd polls: whatever pcscd
 * saw, the events stay well-formed, and the last card reads. */
static void test_races(struct t *t)
{
	struct station_event ev;
	bool present = false, result_due = false;
	int reads = 0;

	setup(t, NULL, NULL);
	for (int i = 0; i < 8; i++) {
		vcard(t, "insert", "inserted");
		vcard(t, "remove", "removed");
	}
	vcard(t, "insert", "inserted");
	/* Drain until the last card was read and nothing else comes. */
	for (;;) {
		if (next_event(t, present && !result_due ? 3000 : WAIT_MS, &ev) < 0) {
			check(present && !result_due);
			break;
		}
		switch (ev.type) {
		case STATION_EVENT_CARD_INSERTED:
			check(!present);
			present = result_due = true;
			break;
		case STATION_EVENT_CARD_READ:
			check(present && result_due);
			check(strcmp(ev.card.nik, TEST_NIK) == 0);
			result_due = false;
			reads++;
			break;
		case STATION_EVENT_CARD_FAILED:
			check(present && result_due);
			check(ev.card_error == SESSION_ERROR_CARD_UNREADABLE);
			result_due = false;
			break;
		case STATION_EVENT_CARD_REMOVED:
			check(present && !result_due);
			present = false;
			break;
		default:
			fail("unexpected %s", ev_name(&ev));
		}
		station_event_clear(&ev);
	}
	check(reads >= 1);
	vcard(t, "remove", "removed");
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);
	read_ok(t, TEST_NIK, 7);
}

static void test_restart(struct t *t, bool kill_it)
{
	setup(t, NULL, NULL);
	read_ok(t, TEST_NIK, 7);
	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect(t, STATION_EVENT_CARD_READ, NULL);
	pcsc_env_stop_pcscd(&t->env, kill_it);
	/* The card goes with pcscd; the reader is down. */
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);
	wait_state(t, SESSION_DEVICE_FAILED);
	vcard(t, "remove", "removed");
	start_pcscd(t);
	vcard(t, "attach-sam", "ok");
	wait_state(t, SESSION_DEVICE_OK);
	read_ok(t, TEST_NIK, 7);
}

/* The station starts before pcscd (and so before any reader). */
static void test_late_reader(struct t *t)
{
	static const char *const args[] = {"--port", "35963", "--sam-port", "35964", NULL};

	start_reader(t, NULL);
	wait_state(t, SESSION_DEVICE_FAILED);
	start_pcscd(t);
	start_vcard(t, args);
	wait_state(t, SESSION_DEVICE_OK);
	read_ok(t, TEST_NIK, 7);
}

/* Tools no one here wrote see the virtual card as a card. */
static void test_tools(struct t *t)
{
	static const char *const args[] = {"--port", "35963",	   "--sam-port",
					   "35964",  "--inserted", NULL};
	const char *atr[] = {"opensc-tool", "--reader", "0", "--atr", NULL};
	const char *uid[] = {"opensc-tool", "--reader", "0", "--send-apdu", "FF:CA:00:00:00", NULL};
	const char *scan[] = {"pcsc_scan", "-t", "3", NULL};
	char out[16384];
	int r;

	start_pcscd(t);
	start_vcard(t, args);
	/* pcscd polls its readers: wait until it has seen the card, through
	 * our own reader's events. */
	start_reader(t, NULL);
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect(t, STATION_EVENT_CARD_READ, NULL);
	r = pcsc_env_run(atr, out, sizeof(out), WAIT_MS);
	fprintf(stderr, "%s", out);
	check(r == 0);
	check(strstr(out, "3b:8b:80:01:65:4b:54:50:30:44:32:65:4b:54:50:4c") != NULL);
	r = pcsc_env_run(uid, out, sizeof(out), WAIT_MS);
	check(r == 0);
	check(strstr(out, "SW1=0x90, SW2=0x00") != NULL);
	r = pcsc_env_run(scan, out, sizeof(out), WAIT_MS);
	check(r == 0 || r == -ETIMEDOUT);
	check(strstr(out, "Virtual PCD 00 00") != NULL);
	check(strstr(out, "Card inserted") != NULL);
	check(strstr(out, "ektp") != NULL);
}

/* The report is checked as text: its layout (jansson, indent 2) is fixed. */
static bool has(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/* Nothing personal: no NIK (16 digits in a row). */
static void check_no_nik(const char *out)
{
	for (const char *p = out; *p; p++)
		check(strspn(p, "0123456789") < 16);
}

/* The card on the reader away, a card that is not an e-KTP on it. */
static void swap_to_unknown_card(struct t *t)
{
	vcard(t, "remove", "removed");
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);
	vcard(t, "type other", "ok");
	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect_failed(t, SESSION_ERROR_CARD_UNKNOWN);
}

/* `station diag --json` against real pcscd + vpcd + the virtual e-KTP:
 * pcscd down (failed, exit 2), up with the reader (ok, exit 0), a card
 * present (its ATR and type, nothing personal), pcscd killed (failed),
 * back (ok: healed). */
static void test_diag(struct t *t)
{
	static const char *const args[] = {"--port", "35963", "--sam-port", "35964", NULL};
	char conf[128], out[65536];
	const char *argv[] = {t->station_path, "diag", "--json", "--config", conf, NULL};
	FILE *f;
	int r;

	snprintf(conf, sizeof(conf), "%s/diag.conf", t->env.dir);
	f = fopen(conf, "w");
	check(f != NULL);
	fprintf(f,
		"[station]\nid = diag-pcsc-01\nstate_dir = %s\n[card]\nbackend = pcsc\n"
		"reader = Virtual PCD * 00\nsam_reader = Virtual PCD * 01\n[camera]\nbackend = "
		"sim\n"
		"[receipt]\nprinter = sim:%s/r\n[document]\nprinter = sim:%s/d\n"
		"[backend]\nurl = sim:\n",
		t->env.dir, t->env.dir, t->env.dir);
	fclose(f);

	r = pcsc_env_run(argv, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == 2);
	check(has(out, "\"verdict\": \"failed\",\n      \"required\": true,\n      \"summary\": "
		       "\"pcscd unreachable"));

	start_pcscd(t);
	start_vcard(t, args);
	start_reader(t, NULL);
	wait_state(t, SESSION_DEVICE_OK);
	r = pcsc_env_run(argv, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == 0);
	check(has(out, "\"summary\": \"pcscd is running, 2 reader(s)\""));
	check(has(out,
		  "\"name\": \"" PCSC_ENV_CARD_READER "\",\n          \"card_present\": false"));

	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect(t, STATION_EVENT_CARD_READ, NULL);
	r = pcsc_env_run(argv, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == 0);
	check(has(out,
		  "\"name\": \"" PCSC_ENV_CARD_READER "\",\n          \"card_present\": true,\n"
		  "          \"atr\": \"3B8B8001654B5450304432654B54504C\",\n"
		  "          \"card_type\": \"ektp\""));
	check_no_nik(out);

	vcard(t, "remove", "removed");
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);
	pcsc_env_stop_pcscd(&t->env, true);
	r = pcsc_env_run(argv, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == 2);
	check(has(out, "pcscd unreachable"));

	/* Back: vpcd's reader returns once the card reconnects to it. */
	start_pcscd(t);
	for (int i = 0; i < 50; i++) {
		r = pcsc_env_run(argv, out, sizeof(out), WAIT_MS * 2);
		if (r == 0)
			break;
		usleep(100 * 1000);
	}
	fprintf(stderr, "%s", out);
	check(r == 0);
}

/* `station card read --json` end to end, and its exit codes. */
static void test_cli(struct t *t)
{
	static const char *const args[] = {"--port", "35963", "--sam-port", "35964", NULL};
	char key[128], hex[80], out[8192];
	const char *rd[] = {t->station_path,
			    "card",
			    "read",
			    "--json",
			    "--reader",
			    "Virtual PCD * 00",
			    "--sam-reader",
			    "Virtual PCD * 01",
			    "--sam-key-file",
			    key,
			    "--timeout",
			    "3",
			    NULL};
	FILE *f;
	int r;

	/* pcscd not running: no reader. */
	snprintf(key, sizeof(key), "%s/sam.key", t->env.dir);
	f = fopen(key, "w");
	check(f != NULL);
	for (size_t i = 0; i < sizeof(vcard_test_unlock); i++)
		snprintf(hex + 2 * i, sizeof(hex) - 2 * i, "%02x", vcard_test_unlock[i]);
	fprintf(f, "%s\n", hex);
	fclose(f);
	check(chmod(key, 0600) == 0);
	r = pcsc_env_run(rd, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == EX_UNAVAILABLE);

	start_pcscd(t);
	start_vcard(t, args);
	/* Our own reader runs beside the CLI: its events say when pcscd has
	 * seen each insertion and removal, so the CLI never races them. */
	start_reader(t, NULL);
	wait_state(t, SESSION_DEVICE_OK);
	/* No card. */
	r = pcsc_env_run(rd, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == EX_NOINPUT);

	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect(t, STATION_EVENT_CARD_READ, NULL);
	r = pcsc_env_run(rd, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == EX_OK);
	check(strstr(out, "\"nik\": \"3201\xe2\x80\xa2") != NULL);
	check(strstr(out, "0001\"") != NULL);
	check(strstr(out, TEST_NIK) == NULL);
	check(strstr(out, "BUDI SANTOSO WIBOWO") == NULL);
	check(strstr(out, "\"name\": \"BUDI S. W.\"") != NULL);
	check(strstr(out, "\"type\": \"e-KTP type A\"") != NULL);
	check(strstr(out, "\"atr\": \"3B8B8001654B5450") != NULL);

	/* watch: the card already on the reader is reported, masked; SIGINT
	 * ends it with 0. */
	const char *watch[] = {"timeout",
			       "--preserve-status",
			       "-s",
			       "INT",
			       "4",
			       t->station_path,
			       "card",
			       "watch",
			       "--reader",
			       "Virtual PCD * 00",
			       "--sam-reader",
			       "Virtual PCD * 01",
			       "--sam-key-file",
			       key,
			       NULL};
	r = pcsc_env_run(watch, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s(exit %d)\n", out, r);
	check(r == 0);
	check(strstr(out, "reader-found") != NULL);
	check(strstr(out, "card-inserted") != NULL);
	check(strstr(out, "card-read") != NULL);
	check(strstr(out, "nik=3201\xe2\x80\xa2") != NULL);
	check(strstr(out, TEST_NIK) == NULL);
	check(strstr(out, "BUDI SANTOSO WIBOWO") == NULL);

	swap_to_unknown_card(t);
	r = pcsc_env_run(rd, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == EX_DATAERR);
	vcard(t, "remove", "removed");
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);

	vcard(t, "type a", "ok");
	vcard(t, "fault bad-mac", "ok");
	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect_failed(t, SESSION_ERROR_CARD_UNREADABLE);
	r = pcsc_env_run(rd, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s", out);
	check(r == EX_IOERR);
}

static void write_file(const char *path, mode_t mode, const char *text)
{
	FILE *f = fopen(path, "w");

	check(f != NULL);
	check(fputs(text, f) >= 0);
	check(fclose(f) == 0);
	check(chmod(path, mode) == 0);
}

/* A station config for `card read --config`: the virtual readers, the
 * SAM credentials through a secrets file, and extra [card] lines. */
static void write_config(struct t *t, const char *name, const char *card_extra, char *path,
			 size_t size)
{
	char secrets[512], hex[80], text[2048];

	snprintf(secrets, sizeof(secrets), "%s/secrets.conf", t->env.dir);
	for (size_t i = 0; i < sizeof(vcard_test_unlock); i++)
		snprintf(hex + 2 * i, sizeof(hex) - 2 * i, "%02x", vcard_test_unlock[i]);
	snprintf(text, sizeof(text), "[secrets]\nsam_credentials = %s\n", hex);
	write_file(secrets, 0600, text);
	snprintf(path, size, "%s/%s.conf", t->env.dir, name);
	snprintf(text, sizeof(text),
		 "[station]\nid = pcsc-test\nsecrets_file = %s\n\n"
		 "[card]\nbackend = pcsc\nreader = Virtual PCD * 00\n"
		 "sam_reader = Virtual PCD * 01\n%s",
		 secrets, card_extra);
	write_file(path, 0644, text);
}

/* `station card read --json --config conf` into out; checks its exit. */
static void read_with_config(struct t *t, const char *conf, int want, char *out, size_t size)
{
	const char *rd[] = {t->station_path, "card", "read", "--json", "--config", conf,
			    "--timeout",     "5",    NULL};
	int r = pcsc_env_run(rd, out, size, WAIT_MS * 2);

	fprintf(stderr, "%s(exit %d)\n", out, r);
	check(r == want);
	check(strstr(out, TEST_NIK) == NULL);
}

/* [card] atr, read_photo and read_timeout through `card read --config`:
 * a table that leaves the card out makes it "unknown" (65), the built-in
 * table reads it, read_photo reads the photo (its size shown only). */
static void test_cli_config(struct t *t)
{
	static const char *const args[] = {"--port", "35963", "--sam-port", "35964", NULL};
	char dflt[512], other[512], photo[512], bad[512], out[8192];

	/* Type B patterns only: the type A card is not in the table. */
	write_config(t, "other",
		     "atr = 3B 8C 80 01 50 xx xx xx xx 30 AA AA 01 77 81 D7 xx\n"
		     "atr = 3B 8B 80 01 50 33 30 38 47 30 50 33 5F 31 30 xx\n",
		     other, sizeof(other));
	write_config(t, "default", "read_timeout = 10\n", dflt, sizeof(dflt));
	write_config(t, "photo",
		     "atr = 3B 8B 80 01 65 4B 54 50 xx xx xx xx xx xx xx xx\n"
		     "read_photo = yes\nread_timeout = 10\n",
		     photo, sizeof(photo));
	write_config(t, "bad", "atr = 3B 8C zz\n", bad, sizeof(bad));

	start_pcscd(t);
	start_vcard(t, args);
	start_reader(t, NULL);
	wait_state(t, SESSION_DEVICE_OK);
	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect(t, STATION_EVENT_CARD_READ, NULL);

	read_with_config(t, other, EX_DATAERR, out, sizeof(out));
	check(strstr(out, "\"type\": null") != NULL);
	/* The ATR to add to the table is shown. */
	check(strstr(out, "\"atr\": \"3B8B8001654B5450304432654B54504C\"") != NULL);
	check(strstr(out, "not an e-KTP (ATR 3B8B8001654B5450304432654B54504C;") != NULL);
	check(strstr(out, "\"identity\": null") != NULL);

	read_with_config(t, dflt, EX_OK, out, sizeof(out));
	check(strstr(out, "\"type\": \"e-KTP type A\"") != NULL);
	check(strstr(out, "\"nik\": \"3201\xe2\x80\xa2") != NULL);
	check(strstr(out, "\"photo_bytes\": 0") != NULL);

	read_with_config(t, photo, EX_OK, out, sizeof(out));
	check(strstr(out, "\"type\": \"config 1\"") != NULL);
	check(strstr(out, "\"photo_bytes\": 3000") != NULL);

	/* A bad config is refused before any reader is touched. */
	read_with_config(t, bad, EX_CONFIG, out, sizeof(out));
	check(strstr(out, "bad.conf:9: bad value for 'atr' in [card]") != NULL);
}

/* `station diag test card` (--json and text) against real pcscd + vpcd +
 * the virtual e-KTP: pcscd down (69), no card (66), the card read through
 * the config's readers and SAM credentials (0, masked: no NIK, name or
 * UID in full), a card that is not an e-KTP (65). */
static void test_diag_card(struct t *t)
{
	static const char *const args[] = {"--port", "35963", "--sam-port", "35964", NULL};
	char conf[512], out[8192];
	const char *js[] = {t->station_path, "diag",	 "test", "card",
			    "--json",	     "--config", conf,	 NULL};
	const char *text[] = {t->station_path, "diag", "test", "card", "--config", conf, NULL};
	int r;

	write_config(t, "diag-card", "read_timeout = 10\n", conf, sizeof(conf));
	r = pcsc_env_run(js, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s(exit %d)\n", out, r);
	check(r == EX_UNAVAILABLE);
	check(has(out, "\"outcome\": \"no-reader\""));
	check(has(out, "\"summary\": \"no card reader (is pcscd running?)\""));

	start_pcscd(t);
	start_vcard(t, args);
	start_reader(t, NULL);
	wait_state(t, SESSION_DEVICE_OK);
	r = pcsc_env_run(text, out, sizeof(out), WAIT_MS * 4);
	fprintf(stderr, "%s(exit %d)\n", out, r);
	check(r == EX_NOINPUT);
	check(has(out, "card: failed: no card within 10 s"));

	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect(t, STATION_EVENT_CARD_READ, NULL);
	r = pcsc_env_run(js, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s(exit %d)\n", out, r);
	check(r == EX_OK);
	check(has(out, "\"verdict\": \"ok\""));
	check(has(out, "\"outcome\": \"read\""));
	check(has(out, "\"card_type\": \"e-KTP type A\""));
	check(has(out, "\"atr\": \"3B8B8001654B5450304432654B54504C\""));
	check(has(out, "\"nik\": \"3201\xe2\x80\xa2"));
	check(has(out, "\"files\": [\n    \"uid\",\n    \"biodata\"\n  ]"));
	check(has(out, "\"uid\": \"\xe2\x80\xa2"));
	check(!has(out, TEST_NIK));
	check(!has(out, "BUDI"));
	check_no_nik(out);
	/* At least the UID command and the biodata's reads. */
	{
		const char *a = strstr(out, "\"apdus\": ");

		check(a && atoi(a + 9) > 2);
	}
	r = pcsc_env_run(text, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s(exit %d)\n", out, r);
	check(r == EX_OK);
	check(has(out, "card: ok: e-KTP type A, ATR 3B8B8001654B5450304432654B54504C, UID "));
	check(has(out, ", NIK 3201\xe2\x80\xa2"));
	check(has(out, ", files uid+biodata, "));
	check(has(out, " APDUs in "));
	check(!has(out, TEST_NIK));
	swap_to_unknown_card(t);
	r = pcsc_env_run(js, out, sizeof(out), WAIT_MS * 2);
	fprintf(stderr, "%s(exit %d)\n", out, r);
	check(r == EX_DATAERR);
	check(has(out, "\"outcome\": \"unknown-card\""));
	check(has(out, "\"summary\": \"not an e-KTP (ATR "));
}

/* ---- station run ----------------------------------------------------------- */

/* Budi of the demo data, whom mpp-sim knows by this card UID and NIK. */
#define RUN_UID	 "045A213C8E6180"
#define RUN_NIK	 "3273051203850001"
#define RUN_NAME "BUDI SANTOSO"

struct run_log {
	char path[256];
	size_t seen; /* bytes of the log already matched */
};

/* Whether the log line [line, end) is the one wanted: it holds needle and,
 * when tail is given, ends with it. */
static bool line_matches(const char *line, const char *end, const char *needle, const char *tail)
{
	size_t n = (size_t)(end - line), nt = tail ? strlen(tail) : 0;

	if (!memmem(line, n, needle, strlen(needle)))
		return false;
	return !tail || (n >= nt && memcmp(end - nt, tail, nt) == 0);
}

/* Waits (up to WAIT_MS * 2) for a new line of the station's log holding
 * needle (and ending with tail, if given); later waits start after it. */
static void wait_log(struct t *t, struct run_log *l, const char *needle, const char *tail)
{
	long long until = pcsc_env_now_ms() + WAIT_MS * 2;
	static char buf[1 << 20];

	for (;;) {
		FILE *f = fopen(l->path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = '\0';
		for (char *line = buf + l->seen, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
			if (line_matches(line, nl, needle, tail)) {
				l->seen = (size_t)(nl + 1 - buf);
				fprintf(stderr, "  log: %.*s\n", (int)(nl - line), line);
				return;
			}
		}
		if (pcsc_env_now_ms() > until) {
			fprintf(stderr, "%s", buf);
			fail("no '%s...%s' in the station's log", needle, tail ? tail : "");
		}
		usleep(20 * 1000);
	}
}

/* The whole log must hold none of the citizen's personal data. */
static void check_log_private(const char *path)
{
	static char buf[1 << 20];
	static const char *const secrets[] = {RUN_NIK,		RUN_NAME,   RUN_UID,
					      "045a213c8e6180", "04:5A:21", "04:5a:21"};
	FILE *f = fopen(path, "r");
	size_t n;

	check(f != NULL);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		if (strstr(buf, secrets[i]))
			fail("the station's log holds personal data ('%s')", secrets[i]);
}

/* Starts mpp-sim on a free loopback port; returns the port. */
static unsigned start_mpp_sim(struct t *t)
{
	char port_file[256], log[256], pid[32], text[16] = "";
	const char *argv[] = {t->mpp_sim_path, "serve",	   "--listen", "127.0.0.1:0", "--port-file",
			      port_file,       "--parent", pid,	       NULL};
	long long until = pcsc_env_now_ms() + WAIT_MS * 2;

	snprintf(port_file, sizeof(port_file), "%s/mpp-sim.port", t->env.dir);
	snprintf(log, sizeof(log), "%s/mpp-sim.log", t->env.dir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	check(pcsc_env_start(&t->env, argv, log) >= 0);
	for (;;) {
		FILE *f = fopen(port_file, "r");
		unsigned port = 0;

		if (f) {
			if (fgets(text, sizeof(text), f) && sscanf(text, "%u", &port) == 1 &&
			    port > 0 && port < 65536) {
				fclose(f);
				return port;
			}
			fclose(f);
		}
		if (pcsc_env_now_ms() > until)
			fail("mpp-sim did not say its port");
		usleep(20 * 1000);
	}
}

/* `station run` with [card] backend = pcsc, on a real pcscd + vpcd with
 * the virtual e-KTP and SAM, against mpp-sim over HTTP, drawing with SDL's
 * "dummy" video driver (a window in memory: "offscreen" loads EGL, whose
 * unloaded allocations LeakSanitizer cannot place). Watched through its debug log: the
 * card's tap leads to the lookup and Budi's status screen; pcscd killed
 * and restarted are a device-state change each way; SIGTERM ends it with
 * 0. No personal data in its log. */
static void test_run(struct t *t)
{
	static const char *const args[] = {"--port", "35963",  "--sam-port", "35964",
					   "--uid",  RUN_UID,  "--nik",	     RUN_NIK,
					   "--name", RUN_NAME, NULL};
	char conf[256], secrets[256], hex[80], text[2048];
	const char *argv[] = {t->station_path, "run", "--config", conf, NULL};
	struct run_log l = {0};
	unsigned port;
	int station, r;

	if (!t->mpp_sim_path)
		fail("run needs the path of mpp-sim");
	port = start_mpp_sim(t);
	start_pcscd(t);
	start_vcard(t, args);

	snprintf(secrets, sizeof(secrets), "%s/secrets.conf", t->env.dir);
	for (size_t i = 0; i < sizeof(vcard_test_unlock); i++)
		snprintf(hex + 2 * i, sizeof(hex) - 2 * i, "%02x", vcard_test_unlock[i]);
	snprintf(text, sizeof(text), "[secrets]\nsam_credentials = %s\n", hex);
	write_file(secrets, 0600, text);
	snprintf(text, sizeof(text), "%s/state", t->env.dir);
	check(mkdir(text, 0700) == 0);
	snprintf(conf, sizeof(conf), "%s/run.conf", t->env.dir);
	snprintf(text, sizeof(text),
		 "[station]\nid = pcsc-run\nstate_dir = %s/state\nsecrets_file = %s\n"
		 "log_level = debug\n\n"
		 "[ui]\nwidth = 640\nheight = 480\nfullscreen = no\n\n"
		 "[card]\nbackend = pcsc\nreader = Virtual PCD * 00\n"
		 "sam_reader = Virtual PCD * 01\nread_timeout = 10\n\n"
		 "[receipt]\nprinter = sim:%s/receipts\n\n"
		 "[document]\nprinter = sim:%s/documents\n\n"
		 "[backend]\nurl = http://127.0.0.1:%u\n",
		 t->env.dir, secrets, t->env.dir, t->env.dir, port);
	write_file(conf, 0644, text);
	snprintf(l.path, sizeof(l.path), "%s/station.log", t->env.dir);
	check(setenv("SDL_VIDEODRIVER", "dummy", 1) == 0);
	station = pcsc_env_start(&t->env, argv, l.path);
	check(station >= 0);

	/* The reader and its SAM found: the card reader is up. */
	wait_log(t, &l, "device card-reader: ", "ok");
	/* A tap: read through the SAM, looked up at mpp-sim, shown. */
	vcard(t, "insert", "inserted");
	wait_log(t, &l, "session: welcome -> reading-card", NULL);
	wait_log(t, &l, "session: reading-card -> looking-up", NULL);
	wait_log(t, &l, "event lookup-done in looking-up", NULL);
	wait_log(t, &l, "session: looking-up -> showing-status", NULL);
	vcard(t, "remove", "removed");
	wait_log(t, &l, "event card-removed in showing-status", NULL);

	/* pcscd dies: the reader is down; it comes back: the reader is up. */
	pcsc_env_stop_pcscd(&t->env, true);
	wait_log(t, &l, "device card-reader: ok -> ", "failed");
	/* The recovery ladder climbs while it stays down: the readers listed
	 * again twice, then a new PC/SC context (1 s, 2 s, 4 s apart). */
	wait_log(t, &l, "recovery card-reader: reopen (attempt 1)", NULL);
	wait_log(t, &l, "recovery card-reader: new-context (attempt 1)", NULL);
	start_pcscd(t);
	vcard(t, "attach-sam", "ok");
	wait_log(t, &l, "device card-reader: ", "-> ok");

	r = pcsc_env_stop(&t->env, station, WAIT_MS);
	fprintf(stderr, "station run exited %d\n", r);
	if (r != 0) {
		const char *cat[] = {"cat", l.path, NULL};
		static char out[1 << 16];

		pcsc_env_run(cat, out, sizeof(out), WAIT_MS);
		fprintf(stderr, "%s", out);
		fail("station run exited %d, not 0", r);
	}
	check_log_private(l.path);
	/* mpp-sim answered the station (its log masks the paths). */
	struct run_log sim = {.seen = 0};
	snprintf(sim.path, sizeof(sim.path), "%s/mpp-sim.log", t->env.dir);
	wait_log(t, &sim, "mpp-sim: POST /v1/... -> ", "200");
}

int main(int argc, char **argv)
{
	static const char *const faults[] = {
		"uid-sw",  "truncated", "empty",    "oversized",   "read-too-long",
		"read-sw", "bad-mac",	"bad-auth", "bad-biodata", "huge-biodata",
		"mute",	   "slow",	"remove",
	};
	struct t t = {.last_state = -1};
	const char *name;
	int r;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: pcsc-test TEST VCARD STATION [MPP-SIM]\n");
		return 2;
	}
	t.mpp_sim_path = argc == 5 ? argv[4] : NULL;
	name = argv[1];
	t.vcard_path = argv[2];
	t.station_path = argv[3];
	setvbuf(stderr, NULL, _IOLBF, 0);
	r = pcsc_env_init(&t.env);
	if (r < 0) {
		fprintf(stderr, "FAIL: cannot make the test namespace: %s (root needed)\n",
			strerror(-r));
		return 1;
	}
	current = &t;
	if (strcmp(name, "read") == 0)
		test_read(&t);
	else if (strcmp(name, "no-sam") == 0)
		test_no_sam(&t);
	else if (strcmp(name, "photo") == 0)
		test_photo(&t);
	else if (strcmp(name, "unknown") == 0)
		test_unknown(&t);
	else if (strcmp(name, "wrong-unlock") == 0)
		test_wrong_unlock(&t);
	else if (strcmp(name, "races") == 0)
		test_races(&t);
	else if (strcmp(name, "restart") == 0)
		test_restart(&t, false);
	else if (strcmp(name, "kill") == 0)
		test_restart(&t, true);
	else if (strcmp(name, "late-reader") == 0)
		test_late_reader(&t);
	else if (strcmp(name, "tools") == 0)
		test_tools(&t);
	else if (strcmp(name, "cli") == 0)
		test_cli(&t);
	else if (strcmp(name, "cli-config") == 0)
		test_cli_config(&t);
	else if (strcmp(name, "run") == 0)
		test_run(&t);
	else if (strcmp(name, "diag") == 0)
		test_diag(&t);
	else if (strcmp(name, "diag-test-card") == 0)
		test_diag_card(&t);
	else if (strncmp(name, "fault-", 6) == 0) {
		bool known = false;

		for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
			known |= strcmp(name + 6, faults[i]) == 0;
		if (!known)
			fail("unknown fault test %s", name);
		test_fault(&t, name + 6);
	} else {
		fail("unknown test %s", name);
	}
	cleanup();
	fprintf(stderr, "PASS: %s\n", name);
	return 0;
}
