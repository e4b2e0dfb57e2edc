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
	/* Nothing personal: no NIK (16 digits in a row). */
	for (const char *p = out; *p; p++)
		check(strspn(p, "0123456789") < 16);

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

	vcard(t, "remove", "removed");
	expect(t, STATION_EVENT_CARD_REMOVED, NULL);

	vcard(t, "type other", "ok");
	vcard(t, "insert", "inserted");
	expect(t, STATION_EVENT_CARD_INSERTED, NULL);
	expect_failed(t, SESSION_ERROR_CARD_UNKNOWN);
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

	if (argc != 4) {
		fprintf(stderr, "usage: pcsc-test TEST VCARD STATION\n");
		return 2;
	}
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
	else if (strcmp(name, "diag") == 0)
		test_diag(&t);
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
