/* SPDX-License-Identifier: MIT */
/*
 * The screens: every state drawn at 1920x1080, 1280x800 and 1080x1920 in
 * both languages; the buttons each screen must offer (present, >= 72 px,
 * on screen, found by hit testing, not overlapping); the string table;
 * WCAG contrast of the theme; personal data only ever laid out masked;
 * and the SDL display back end under the offscreen/dummy video driver.
 *
 * Every screen is also written to $TEST_BINARY_DIR/ui-screens/ for a
 * human to look at.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "draw.h"
#include "i18n.h"
#include "mo.h"
#include "privacy.h"
#include "session.h"
#include "theme.h"
#include "ui.h"

#define NIK  "3201011505900001"
#define NAME "Budi Santoso Wibowo"
#define PIN  "4321"

static const struct session_timeouts timeouts = {
	.card_timeout_ms = 10000,
	.scan_timeout_ms = 60000,
	.lookup_timeout_ms = 8000,
	.idle_timeout_ms = 60000,
	.countdown_ms = 10000,
	.print_timeout_ms = 120000,
	.done_timeout_ms = 15000,
	.error_timeout_ms = 20000,
	.maintenance_idle_ms = 120000,
};

static const struct {
	int w, h;
} sizes[] = {{1920, 1080}, {1280, 800}, {1080, 1920}, {1366, 768}};

static void add_app(struct session *s, const char *agency, const char *service,
		    enum session_stage stage, const char *updated, const char *next,
		    const char *doc)
{
	struct session_lookup_result *r = &s->personal.result;
	struct session_app *a = &r->apps[r->n_apps];

	snprintf(a->id, sizeof(a->id), "APP-%03zu", r->n_apps + 1);
	snprintf(a->agency, sizeof(a->agency), "%s", agency);
	snprintf(a->service, sizeof(a->service), "%s", service);
	a->stage = stage;
	snprintf(a->updated_at, sizeof(a->updated_at), "%s", updated);
	snprintf(a->next_step, sizeof(a->next_step), "%s", next);
	snprintf(a->document_id, sizeof(a->document_id), "%s", doc ? doc : "");
	r->n_apps++;
}

/* A citizen with n applications (n <= 10), looked up by card. */
static void fill_result(struct session *s, size_t n)
{
	static const struct {
		const char *agency, *service, *next, *doc;
		enum session_stage stage;
	} apps[] = {
		{"Disdukcapil", "Penggantian KTP-el karena rusak",
		 "Dokumen siap. Ambil di anjungan ini atau di loket 3.", "DOC-KTP-001",
		 SESSION_STAGE_READY},
		{"Kantor Imigrasi", "Paspor baru (48 halaman)",
		 "Datang untuk foto dan wawancara pada 2 Desember, pukul 09.00, loket 7.", NULL,
		 SESSION_STAGE_PROCESSING},
		{"Samsat", "Pajak kendaraan tahunan",
		 "Bayar di loket Bank Jateng atau lewat aplikasi SIGNAL.", NULL,
		 SESSION_STAGE_AWAITING_PAYMENT},
		{"DPMPTSP", "Persetujuan Bangunan Gedung (PBG) untuk rumah tinggal dua lantai",
		 "Perbaiki gambar denah: ukuran kamar tidak sesuai dengan gambar tampak. Unggah "
		 "ulang lewat SIMBG paling lambat 30 November.",
		 NULL, SESSION_STAGE_NEEDS_FIX},
		{"Polres", "SKCK", "Sudah diambil pada 3 Oktober.", NULL, SESSION_STAGE_COLLECTED},
		{"BPJS Kesehatan", "Perubahan data peserta", "Berkas sedang diperiksa petugas.",
		 NULL, SESSION_STAGE_VERIFYING},
		{"Disdukcapil", "Akta kelahiran", "Akta asli siap diambil.", "DOC-AKTA-002",
		 SESSION_STAGE_READY},
		{"Kantor Pertanahan", "Pengecekan sertifikat", "Permohonan diterima.", NULL,
		 SESSION_STAGE_RECEIVED},
		{"KPP Pratama", "NPWP", "Ditolak: NIK pada formulir tidak sesuai KTP-el.", NULL,
		 SESSION_STAGE_REJECTED},
		{"Disnaker", "Kartu pencari kerja (AK/1)", "Kartu siap dicetak di anjungan ini.",
		 "DOC-AK1-003", SESSION_STAGE_READY},
	};

	s->personal.method = SESSION_ID_CARD;
	snprintf(s->personal.card.nik, sizeof(s->personal.card.nik), "%s", NIK);
	snprintf(s->personal.card.name, sizeof(s->personal.card.name), "%s", NAME);
	snprintf(s->personal.result.holder_name, sizeof(s->personal.result.holder_name), "%s",
		 NAME);
	snprintf(s->personal.result.nik, sizeof(s->personal.result.nik), "%s", NIK);
	for (size_t i = 0; i < n && i < sizeof(apps) / sizeof(apps[0]); i++)
		add_app(s, apps[i].agency, apps[i].service, apps[i].stage,
			"2026-11-23T09:41:00+07:00", apps[i].next, apps[i].doc);
	s->personal.have_result = true;
}

/* ---- one case per screen ------------------------------------------------ */

#define MAX_BUTTONS 8

struct screen_case {
	const char *name;
	void (*setup)(struct session *s);
	enum session_button expect[MAX_BUTTONS]; /* terminated by _SESSION_BUTTON_INVALID */
	enum session_button forbid[MAX_BUTTONS];
};

static void st_welcome(struct session *s)
{
	s->state = SESSION_WELCOME;
}
static void st_reading(struct session *s)
{
	s->state = SESSION_READING_CARD;
}
static void st_scanning(struct session *s)
{
	s->state = SESSION_SCANNING_QR;
}
static void st_lookup(struct session *s)
{
	s->state = SESSION_LOOKING_UP;
}
static void st_status(struct session *s)
{
	fill_result(s, 3);
	s->state = SESSION_SHOWING_STATUS;
}
static void st_status_paged(struct session *s)
{
	fill_result(s, 10);
	s->state = SESSION_SHOWING_STATUS;
	s->page = 1;
}
static void st_status_no_printer(struct session *s)
{
	fill_result(s, 2);
	s->devices[SESSION_DEVICE_RECEIPT_PRINTER] = SESSION_DEVICE_FAILED;
	s->state = SESSION_SHOWING_STATUS;
}
static void st_status_empty(struct session *s)
{
	fill_result(s, 0);
	s->state = SESSION_SHOWING_STATUS;
}
static void st_choosing(struct session *s)
{
	fill_result(s, 3);
	s->selected = 0;
	s->state = SESSION_CHOOSING_DOCUMENT;
}
static void st_choosing_no_printer(struct session *s)
{
	st_choosing(s);
	s->devices[SESSION_DEVICE_DOCUMENT_PRINTER] = SESSION_DEVICE_FAILED;
}
static void st_printing_receipt(struct session *s)
{
	fill_result(s, 3);
	s->printing = SESSION_PRINT_RECEIPT;
	s->state = SESSION_PRINTING_RECEIPT;
}
static void st_printing_document(struct session *s)
{
	fill_result(s, 3);
	s->printing = SESSION_PRINT_DOCUMENT;
	s->state = SESSION_PRINTING_DOCUMENT;
}
static void st_done_receipt(struct session *s)
{
	fill_result(s, 3);
	s->printing = SESSION_PRINT_RECEIPT;
	s->state = SESSION_DONE;
}
static void st_done_document_qr(struct session *s)
{
	/* Collected by QR: no lookup result held, so no way back. */
	s->personal.method = SESSION_ID_QR;
	s->printing = SESSION_PRINT_DOCUMENT;
	s->state = SESSION_DONE;
}
static void st_countdown(struct session *s)
{
	fill_result(s, 3);
	s->interrupted = SESSION_SHOWING_STATUS;
	s->state = SESSION_IDLE_COUNTDOWN;
	s->deadline_ms = s->now_ms + 10000;
}
static void st_pin(struct session *s)
{
	s->state = SESSION_MAINTENANCE_LOGIN;
	snprintf(s->personal.pin, sizeof(s->personal.pin), "%s", PIN);
}
static void st_pin_wrong(struct session *s)
{
	s->state = SESSION_MAINTENANCE_LOGIN;
	s->pin_feedback = SESSION_PIN_WRONG;
}
static void st_pin_locked(struct session *s)
{
	s->state = SESSION_MAINTENANCE_LOGIN;
	s->pin_feedback = SESSION_PIN_LOCKED;
}
static void st_maintenance(struct session *s)
{
	s->state = SESSION_MAINTENANCE;
	s->devices[SESSION_DEVICE_CAMERA] = SESSION_DEVICE_RECOVERING;
	s->devices[SESSION_DEVICE_RECEIPT_PRINTER] = SESSION_DEVICE_DEGRADED;
	s->devices[SESSION_DEVICE_DOCUMENT_PRINTER] = SESSION_DEVICE_FAILED;
}
static void st_out_of_service(struct session *s)
{
	s->state = SESSION_OUT_OF_SERVICE;
	s->devices[SESSION_DEVICE_CARD_READER] = SESSION_DEVICE_FAILED;
	s->devices[SESSION_DEVICE_CAMERA] = SESSION_DEVICE_FAILED;
}

#define END  _SESSION_BUTTON_INVALID
#define B(x) SESSION_BUTTON_##x

static const struct screen_case cases[] = {
	{"welcome", st_welcome, {B(SCAN_QR), B(LANGUAGE), B(MAINTENANCE), END}, {B(BACK), END}},
	{"reading-card", st_reading, {END}, {B(MAINTENANCE), END}},
	{"scanning-qr", st_scanning, {B(BACK), B(LANGUAGE), END}, {END}},
	{"looking-up", st_lookup, {B(FINISH), END}, {END}},
	{"status",
	 st_status,
	 {B(PRINT_RECEIPT), B(FINISH), B(LANGUAGE), B(DOCUMENT), END},
	 {B(NEXT_PAGE), B(PREV_PAGE), END}},
	{"status-paged",
	 st_status_paged,
	 {B(PRINT_RECEIPT), B(FINISH), B(LANGUAGE), B(PREV_PAGE), END},
	 {END}},
	{"status-no-printer", st_status_no_printer, {B(FINISH), END}, {B(PRINT_RECEIPT), END}},
	{"status-empty", st_status_empty, {B(FINISH), END}, {B(DOCUMENT), END}},
	{"choosing-document", st_choosing, {B(CONFIRM), B(BACK), B(LANGUAGE), END}, {END}},
	{"choosing-document-no-printer", st_choosing_no_printer, {B(BACK), END}, {B(CONFIRM), END}},
	{"printing-receipt", st_printing_receipt, {END}, {B(FINISH), END}},
	{"printing-document", st_printing_document, {END}, {B(FINISH), END}},
	{"done-receipt", st_done_receipt, {B(FINISH), B(BACK), END}, {END}},
	{"done-document", st_done_document_qr, {B(FINISH), END}, {B(BACK), END}},
	{"idle-countdown", st_countdown, {B(ANY), END}, {B(FINISH), END}},
	{"maintenance-login",
	 st_pin,
	 {B(PIN_DIGIT), B(PIN_CLEAR), B(PIN_ENTER), B(BACK), END},
	 {B(MAINTENANCE), END}},
	{"maintenance-login-wrong",
	 st_pin_wrong,
	 {B(PIN_DIGIT), B(PIN_CLEAR), B(BACK), END},
	 {B(PIN_ENTER), END}},
	{"maintenance-login-locked", st_pin_locked, {B(PIN_DIGIT), B(BACK), END}, {END}},
	{"maintenance", st_maintenance, {B(FINISH), END}, {B(MAINTENANCE), END}},
	{"out-of-service", st_out_of_service, {END}, {B(MAINTENANCE), B(SCAN_QR), END}},
};

static void make_session(struct session *s, const struct screen_case *c, bool english)
{
	session_init(s, &timeouts, false, 1000000);
	s->personal.english = english;
	c->setup(s);
	s->personal.english = english;
}

/* ---- drawing helpers --------------------------------------------------- */

struct trace {
	size_t n;
	char text[256][512];
};

static void trace_text(void *userdata, const char *text)
{
	struct trace *t = userdata;

	if (t->n < sizeof(t->text) / sizeof(t->text[0]))
		snprintf(t->text[t->n++], sizeof(t->text[0]), "%s", text);
}

static bool traced(const struct trace *t, const char *needle)
{
	for (size_t i = 0; i < t->n; i++)
		if (strstr(t->text[i], needle))
			return true;
	return false;
}

static cairo_surface_t *draw(const struct session *s, int w, int h, bool demo,
			     struct ui_frame *frame, struct trace *t)
{
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(surf);
	struct ui_context ctx = {
		.station_id = "MPP-SMG-01",
		.demo = demo,
		.clock_text = s->personal.english ? "Monday, 23 November 2026 09:41"
						  : "Senin, 23 November 2026 09:41",
	};
	int r;

	assert_int_equal(cairo_surface_status(surf), CAIRO_STATUS_SUCCESS);
	if (t) {
		t->n = 0;
		r = ui_draw_traced(cr, w, h, s, &ctx, trace_text, t, frame);
	} else {
		r = ui_draw(cr, w, h, s, &ctx, frame);
	}
	assert_int_equal(r, 0);
	assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_flush(surf);
	return surf;
}

/* Pixels of r that differ from the page background. */
static size_t count_ink(cairo_surface_t *surf, struct ui_rect r)
{
	const struct ui_color bg = ui_theme_default()->style[UI_STYLE_PAGE].bg;
	uint32_t want = (uint32_t)(bg.r * 255 + 0.5) << 16 | (uint32_t)(bg.g * 255 + 0.5) << 8 |
			(uint32_t)(bg.b * 255 + 0.5);
	int stride = cairo_image_surface_get_stride(surf);
	const unsigned char *data = cairo_image_surface_get_data(surf);
	size_t n = 0;

	for (int y = (int)r.y; y < (int)(r.y + r.h); y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
		for (int x = (int)r.x; x < (int)(r.x + r.w); x++)
			if ((row[x] & 0xffffff) != want)
				n++;
	}
	return n;
}

static bool frame_has(const struct ui_frame *f, enum session_button b)
{
	for (size_t i = 0; i < f->n_hits; i++)
		if (f->hits[i].button == b)
			return true;
	return false;
}

static void check_frame(const struct ui_frame *f, int w, int h, const char *what)
{
	assert_true(f->n_hits <= UI_HITS_MAX);
	for (size_t i = 0; i < f->n_hits; i++) {
		const struct ui_hit *a = &f->hits[i];
		enum session_button b;
		int index;

		if (a->w < 72 || a->h < 72 || a->x < 0 || a->y < 0 || a->x + a->w > w + 0.01 ||
		    a->y + a->h > h + 0.01)
			fail_msg("%s: hit %zu (%s) at %.0f,%.0f %.0fx%.0f too small or off screen",
				 what, i, session_button_to_string(a->button), a->x, a->y, a->w,
				 a->h);
		assert_true(ui_hit_test(f, a->x + a->w / 2, a->y + a->h / 2, &b, &index));
		assert_int_equal(b, a->button);
		assert_int_equal(index, a->index);
		for (size_t j = i + 1; j < f->n_hits; j++) {
			const struct ui_hit *c = &f->hits[j];
			double ox = fmin(a->x + a->w, c->x + c->w) - fmax(a->x, c->x);
			double oy = fmin(a->y + a->h, c->y + c->h) - fmax(a->y, c->y);

			if (ox > 0.01 && oy > 0.01)
				fail_msg("%s: hits %s and %s overlap", what,
					 session_button_to_string(a->button),
					 session_button_to_string(c->button));
		}
	}
}

static void out_dir(char *buf, size_t size)
{
	snprintf(buf, size, "%s/ui-screens", TEST_BINARY_DIR);
	mkdir(buf, 0755);
}

/* ---- tests ------------------------------------------------------------- */

static void test_every_screen(void **state)
{
	char dir[512];

	out_dir(dir, sizeof(dir));
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			for (int lang = 0; lang < 2; lang++) {
				int w = sizes[z].w, h = sizes[z].h;
				struct session s;
				struct ui_frame f;
				cairo_surface_t *surf;
				struct ui_rect body;
				char what[256], path[1024];

				make_session(&s, &cases[c], lang);
				snprintf(what, sizeof(what), "%s %dx%d %s", cases[c].name, w, h,
					 lang ? "en" : "id");
				memset(&f, 0xa5, sizeof(f));
				surf = draw(&s, w, h, z == 0 && c == 0, &f, NULL);
				/* The header is there, and the body is not blank. */
				body = ui_body_rect(w, h);
				if (count_ink(surf, (struct ui_rect){0, 0, w, body.y}) <
				    w * body.y * 0.9)
					fail_msg("%s: no header band", what);
				if (count_ink(surf, body) < body.w * body.h / 100)
					fail_msg("%s: body nearly blank (%zu)", what,
						 count_ink(surf, body));
				check_frame(&f, w, h, what);
				for (int i = 0; cases[c].expect[i] != END; i++)
					if (!frame_has(&f, cases[c].expect[i]))
						fail_msg("%s: no %s button", what,
							 session_button_to_string(
								 cases[c].expect[i]));
				for (int i = 0; cases[c].forbid[i] != END; i++)
					if (frame_has(&f, cases[c].forbid[i]))
						fail_msg("%s: unexpected %s button", what,
							 session_button_to_string(
								 cases[c].forbid[i]));
				/* Landscape and portrait full HD to look at. */
				if (w == 1920 || h == 1920) {
					snprintf(path, sizeof(path), "%s/%s-%dx%d-%s.png", dir,
						 cases[c].name, w, h, lang ? "en" : "id");
					assert_int_equal(cairo_surface_write_to_png(surf, path),
							 CAIRO_STATUS_SUCCESS);
				}
				cairo_surface_destroy(surf);
			}
		}
	}
}

static void test_every_error(void **state)
{
	char dir[512];

	out_dir(dir, sizeof(dir));
	for (int e = 0; e < _SESSION_ERROR_MAX; e++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			for (int lang = 0; lang < 2; lang++) {
				struct session s;
				struct ui_frame f;
				static struct trace t;
				cairo_surface_t *surf;
				char path[1024], what[128];
				int w = sizes[z].w, h = sizes[z].h;

				session_init(&s, &timeouts, lang, 5000);
				s.state = SESSION_ERROR;
				s.error = (enum session_error)e;
				snprintf(what, sizeof(what), "%s %dx%d", ui_screen_name(&s), w, h);
				surf = draw(&s, w, h, false, &f, &t);
				check_frame(&f, w, h, what);
				assert_true(frame_has(&f, SESSION_BUTTON_OK));
				/* The screen says what happened and what to do. */
				assert_true(
					traced(&t, ui_text(ui_text_error_title(s.error), lang)));
				assert_true(
					traced(&t, ui_text(ui_text_error_action(s.error), lang)));
				if (z == 0) {
					snprintf(path, sizeof(path), "%s/%s-%s.png", dir,
						 ui_screen_name(&s), lang ? "en" : "id");
					assert_int_equal(cairo_surface_write_to_png(surf, path),
							 CAIRO_STATUS_SUCCESS);
				}
				cairo_surface_destroy(surf);
			}
		}
	}
	/* Each error has its own title. */
	for (int a = 1; a < _SESSION_ERROR_MAX; a++)
		for (int b = a + 1; b < _SESSION_ERROR_MAX; b++)
			assert_string_not_equal(ui_text(ui_text_error_title(a), false),
						ui_text(ui_text_error_title(b), false));
}

/* The {n} parameters a text takes, as a set of n. */
static unsigned placeholders(const char *s)
{
	unsigned set = 0;

	for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{'))
		if (p[1] >= '0' && p[1] <= '9' && p[2] == '}')
			set |= 1U << (p[1] - '0');
	return set;
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\n")] == '\0';
}

/* Every entry of a built catalogue (po/<lang>.po) is a non-blank text
 * with exactly its msgid's parameters, and every text of the table has
 * one. */
static void check_catalog(const char *lang)
{
	char path[512];
	struct ui_mo *mo = NULL;
	const char *msgid, *msgstr;
	size_t n;

	snprintf(path, sizeof(path), "%s/share/locale/%s/LC_MESSAGES/anjungan.mo", TEST_BINARY_DIR,
		 lang);
	if (ui_mo_load(path, &mo) < 0)
		fail_msg("cannot load %s", path);
	n = ui_mo_count(mo);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ui_mo_entry(mo, i, &msgid, &msgstr), 0);
		if (blank(msgstr))
			fail_msg("%s: \"%s\" has a blank translation", lang, msgid);
		if (placeholders(msgid) != placeholders(msgstr))
			fail_msg("%s: \"%s\" -> \"%s\": the parameters differ", lang, msgid,
				 msgstr);
	}
	assert_int_equal(ui_mo_entry(mo, n, &msgid, &msgstr), -ERANGE);
	for (int id = 0; id < _UI_TEXT_MAX; id++) {
		const char *t = ui_mo_lookup(mo, ui_text((enum ui_text_id)id, false));

		if (!t)
			fail_msg("%s: text %d \"%s\" is not translated", lang, id,
				 ui_text((enum ui_text_id)id, false));
		/* What the English screens show is the English catalogue's. */
		if (strcmp(lang, "en") == 0)
			assert_string_equal(ui_text((enum ui_text_id)id, true), t);
	}
	ui_mo_free(mo);
}

static void test_i18n_complete(void **state)
{
	char line[64];
	FILE *linguas;
	int langs = 0;

	/* The build tree's catalogues, found beside <builddir>/tests/. */
	assert_int_equal(ui_text_init(), 0);
	for (int id = 0; id < _UI_TEXT_MAX; id++) {
		for (int lang = 0; lang < 2; lang++) {
			const char *s = ui_text((enum ui_text_id)id, lang);

			assert_non_null(s);
			if (blank(s))
				fail_msg("text %d is blank in %s", id, lang ? "en" : "id");
		}
		/* Both languages take the same parameters. */
		if (placeholders(ui_text((enum ui_text_id)id, false)) !=
		    placeholders(ui_text((enum ui_text_id)id, true)))
			fail_msg("text %d: the parameters differ between the languages", id);
	}
	assert_int_equal(placeholders("Halaman {1} dari {2}"), 0x6);
	assert_int_equal(placeholders("{2} {x} {1"), 0x4);

	linguas = fopen(TEST_SOURCE_DIR "/po/LINGUAS", "re");
	assert_non_null(linguas);
	while (fgets(line, sizeof(line), linguas)) {
		line[strcspn(line, " \t\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		check_catalog(line);
		langs++;
	}
	fclose(linguas);
	assert_true(langs >= 1);
	assert_string_equal(ui_text(_UI_TEXT_MAX, false), "");
	assert_string_equal(ui_text(UI_TEXT_WELCOME_CARD, false),
			    "Tempelkan e-KTP pada pembaca kartu");
	assert_string_equal(ui_text(UI_TEXT_LANGUAGE_SWITCH, false), "English");
	assert_string_equal(ui_text(UI_TEXT_LANGUAGE_SWITCH, true), "Bahasa Indonesia");
	/* Every enum maps to its own entry. */
	for (int i = 0; i < _SESSION_STAGE_MAX; i++)
		for (int j = i + 1; j < _SESSION_STAGE_MAX; j++)
			assert_int_not_equal(ui_text_stage(i), ui_text_stage(j));
	assert_string_equal(ui_text(ui_text_stage(SESSION_STAGE_READY), false), "Siap diambil");
	assert_string_equal(ui_text(ui_text_error_title(SESSION_ERROR_CARD_UNREADABLE), false),
			    "Kartu tidak terbaca");
	/* A damaged chip sends the citizen to Dukcapil, in both languages. */
	assert_string_equal(ui_text(ui_text_error_title(SESSION_ERROR_CARD_DAMAGED), false),
			    "Chip kartu tampaknya rusak");
	assert_string_equal(ui_text(ui_text_error_title(SESSION_ERROR_CARD_DAMAGED), true),
			    "The card's chip seems to be damaged");
	assert_non_null(strstr(ui_text(ui_text_error_action(SESSION_ERROR_CARD_DAMAGED), false),
			       "Dukcapil"));
	assert_non_null(strstr(ui_text(ui_text_error_action(SESSION_ERROR_CARD_DAMAGED), true),
			       "Dukcapil"));
	assert_string_equal(ui_text(ui_text_error_title(SESSION_ERROR_PRINT_FAILED), true),
			    "Printing failed");
	assert_string_equal(ui_text(ui_text_device(SESSION_DEVICE_BACKEND), false),
			    "Server layanan");
	assert_string_equal(ui_text(ui_text_device_state(SESSION_DEVICE_DEGRADED), true),
			    "Needs attention");
}

static void test_text_format(void **state)
{
	char buf[64], small[8];

	assert_string_equal(ui_text_format(buf, sizeof(buf), "Halaman {1} dari {2}", "1", "3"),
			    "Halaman 1 dari 3");
	assert_string_equal(ui_text_format(buf, sizeof(buf), "{2}/{1}", "a", "b"), "b/a");
	assert_string_equal(ui_text_format(buf, sizeof(buf), "{1} {x} {3}", NULL, NULL),
			    " {x} {3}");
	/* "é" is 2 bytes: cut before it, never inside it. */
	assert_string_equal(ui_text_format(small, sizeof(small), "{1}", "abcdé!", NULL), "abcdé!");
	assert_string_equal(ui_text_format(small, 6, "{1}", "abcdé!", NULL), "abcd");
	assert_string_equal(ui_text_format(small, 7, "{1}", "abcdeé", NULL), "abcde");
	assert_string_equal(ui_text_date(buf, sizeof(buf), "2026-11-23T09:41:00+07:00", false),
			    "23 November 2026");
	assert_string_equal(ui_text_date(buf, sizeof(buf), "2026-05-02", true), "2 May 2026");
	assert_string_equal(ui_text_date(buf, sizeof(buf), "2026-08-09", false), "9 Agustus 2026");
	assert_string_equal(ui_text_date(buf, sizeof(buf), "kemarin", false), "kemarin");
	assert_string_equal(ui_text_date(buf, sizeof(buf), "2026-13-01", false), "2026-13-01");
}

static void test_contrast(void **state)
{
	const struct ui_theme *t = ui_theme_default();
	struct ui_color black = {0, 0, 0}, white = {1, 1, 1};

	assert_true(fabs(ui_color_contrast(black, white) - 21.0) < 1e-9);
	assert_true(fabs(ui_color_contrast(white, white) - 1.0) < 1e-9);
	/* #777777 on white is the textbook 4.48:1. */
	assert_true(
		fabs(ui_color_contrast((struct ui_color){0x77 / 255.0, 0x77 / 255.0, 0x77 / 255.0},
				       white) -
		     4.48) < 0.01);
	for (int i = 0; i < _UI_STYLE_MAX; i++) {
		double c = ui_color_contrast(t->style[i].fg, t->style[i].bg);

		if (c < 4.5)
			fail_msg("style %d: contrast %.2f < 4.5", i, c);
	}
	/* Card text also sits on the page's background in places. */
	assert_true(ui_color_contrast(t->style[UI_STYLE_CARD_MUTED].fg,
				      t->style[UI_STYLE_PAGE].bg) >= 4.5);
	for (int st = 0; st < _SESSION_STAGE_MAX; st++)
		assert_ptr_equal(ui_theme_stage(t, st), &t->style[UI_STYLE_STAGE_FIRST + st]);

	/* The high-contrast theme: WCAG AAA (7:1) for every pair, and for
	 * card text on the page and the accent on the page. */
	t = ui_theme_high_contrast();
	for (int i = 0; i < _UI_STYLE_MAX; i++) {
		double c = ui_color_contrast(t->style[i].fg, t->style[i].bg);

		if (c < 7)
			fail_msg("high contrast style %d: contrast %.2f < 7", i, c);
	}
	assert_true(ui_color_contrast(t->style[UI_STYLE_CARD_MUTED].fg,
				      t->style[UI_STYLE_PAGE].bg) >= 7);
	assert_true(ui_color_contrast(t->accent, t->style[UI_STYLE_PAGE].bg) >= 7);
	assert_true(ui_color_contrast(t->border, t->style[UI_STYLE_PAGE].bg) >= 7);
}

/* Large text: every text at least 1.4 times the normal size, buttons still
 * touch targets, at each supported size. */
static void test_large_metrics(void **state)
{
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct ui_metrics n, l;

		ui_metrics_for_mode(sizes[z].w, sizes[z].h, false, &n);
		ui_metrics_for_mode(sizes[z].w, sizes[z].h, true, &l);
		assert_false(n.large);
		assert_true(l.large);
		assert_true(l.text_body >= 1.4 * n.text_body - 0.5);
		assert_true(l.text_title >= 1.4 * n.text_title - 0.5);
		assert_true(l.text_small >= 1.4 * n.text_small - 0.5);
		assert_true(l.text_button >= 1.4 * n.text_button - 0.5);
		assert_true(l.button_h >= n.button_h && l.button_h >= 72);
		/* The body rectangle is the same: header and footer keep. */
		assert_true(l.header_h == n.header_h && l.footer_h == n.footer_h);
	}
}

static void test_metrics(void **state)
{
	struct ui_metrics m;

	ui_metrics_for(1920, 1080, &m);
	assert_true(m.text_body >= 28);
	assert_true(m.button_h >= 72);
	assert_false(m.portrait);
	ui_metrics_for(1080, 1920, &m);
	assert_true(m.portrait);
	assert_true(m.text_body >= 28);
	ui_metrics_for(1280, 800, &m);
	assert_true(m.button_h >= 72);
	ui_metrics_for(320, 240, &m);
	assert_true(m.button_h >= 72);
}

static void test_status_masks_personal_data(void **state)
{
	char masked_nik[64], masked_name[64], buf[128];

	privacy_mask_nik(NIK, masked_nik, sizeof(masked_nik));
	privacy_mask_name(NAME, masked_name, sizeof(masked_name));
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		for (int lang = 0; lang < 2; lang++) {
			static struct trace t;
			struct session s;
			struct ui_frame f;

			session_init(&s, &timeouts, false, 1000);
			s.personal.english = lang;
			fill_result(&s, 3);
			s.state = SESSION_SHOWING_STATUS;
			cairo_surface_destroy(draw(&s, sizes[z].w, sizes[z].h, true, &f, &t));
			assert_true(t.n > 10);
			for (size_t i = 0; i < t.n; i++) {
				assert_null(strstr(t.text[i], NIK));
				assert_null(strstr(t.text[i], "Santoso"));
				assert_null(strstr(t.text[i], "Wibowo"));
				assert_null(strstr(t.text[i], "0115059")); /* middle of the NIK */
			}
			assert_true(traced(&t, masked_nik));
			assert_true(traced(&t, masked_name));
			/* The applications themselves are shown. */
			assert_true(traced(&t, "Penggantian KTP-el karena rusak"));
			assert_true(traced(&t, ui_text(ui_text_stage(SESSION_STAGE_READY), lang)));
			assert_true(traced(&t, lang ? "23 November 2026" : "23 November 2026"));
		}
	}
	/* The text producers themselves. */
	{
		struct session s;

		session_init(&s, &timeouts, false, 1000);
		fill_result(&s, 1);
		assert_string_equal(ui_status_greeting(&s, false, buf, sizeof(buf)),
				    "Halo, Budi S. W.");
		assert_string_equal(ui_status_greeting(&s, true, buf, sizeof(buf)),
				    "Hello, Budi S. W.");
		ui_status_nik(&s, false, buf, sizeof(buf));
		assert_string_equal(buf + 4, masked_nik);
		assert_memory_equal(buf, "NIK ", 4);
		/* No name from the backend: the card's, masked likewise. */
		s.personal.result.holder_name[0] = '\0';
		assert_string_equal(ui_status_greeting(&s, false, buf, sizeof(buf)),
				    "Halo, Budi S. W.");
		s.personal.card.name[0] = '\0';
		assert_string_equal(ui_status_greeting(&s, false, buf, sizeof(buf)),
				    "Status permohonan Anda");
		s.personal.result.nik[0] = s.personal.card.nik[0] = '\0';
		assert_string_equal(ui_status_nik(&s, false, buf, sizeof(buf)), "");
	}
}

static void test_pin_shows_dots_only(void **state)
{
	static struct trace t;
	struct session s;
	struct ui_frame f;
	int digits = 0;

	session_init(&s, &timeouts, false, 1000);
	st_pin(&s);
	cairo_surface_destroy(draw(&s, 1920, 1080, false, &f, &t));
	for (size_t i = 0; i < t.n; i++) {
		assert_null(strstr(t.text[i], PIN));
		assert_null(strstr(t.text[i], "43"));
	}
	/* All ten digits are on the pad, each mapped to its value. */
	for (size_t i = 0; i < f.n_hits; i++) {
		if (f.hits[i].button != SESSION_BUTTON_PIN_DIGIT)
			continue;
		assert_in_range(f.hits[i].index, 0, 9);
		digits |= 1 << f.hits[i].index;
	}
	assert_int_equal(digits, 0x3ff);
	/* A pending check disables the pad's digits and enter. */
	s.pin_pending = true;
	cairo_surface_destroy(draw(&s, 1920, 1080, false, &f, &t));
	assert_false(frame_has(&f, SESSION_BUTTON_PIN_DIGIT));
	assert_false(frame_has(&f, SESSION_BUTTON_PIN_ENTER));
	assert_true(traced(&t, ui_text(UI_TEXT_PIN_CHECKING, false)));
}

static void test_status_paging(void **state)
{
	/* Both the normal layout and the large-text one (fewer a page). */
	for (size_t z = 0; z < 2 * sizeof(sizes) / sizeof(sizes[0]); z++) {
		bool large = z % 2;
		int w = sizes[z / 2].w, h = sizes[z / 2].h;
		unsigned per = ui_apps_per_page(w, h, large), pages;
		struct session s;

		assert_true(per >= 1);
		assert_true(ui_apps_per_page(w, h, true) <= ui_apps_per_page(w, h, false));
		session_init(&s, &timeouts, false, 1000);
		fill_result(&s, 10);
		s.personal.high_contrast = large;
		s.state = SESSION_SHOWING_STATUS;
		s.apps_per_page = ui_apps_per_page(w, h, false);
		s.apps_per_page_large = ui_apps_per_page(w, h, true);
		assert_int_equal(session_apps_per_page(&s), per);
		pages = (10 + per - 1) / per;
		for (unsigned page = 0; page < pages; page++) {
			static struct trace t;
			struct ui_frame f;
			char text[64], a[16], b[16];

			s.page = page;
			cairo_surface_destroy(draw(&s, w, h, false, &f, &t));
			check_frame(&f, w, h, "paging");
			assert_int_equal(frame_has(&f, SESSION_BUTTON_PREV_PAGE), page > 0);
			assert_int_equal(frame_has(&f, SESSION_BUTTON_NEXT_PAGE), page + 1 < pages);
			snprintf(a, sizeof(a), "%u", page + 1);
			snprintf(b, sizeof(b), "%u", pages);
			ui_text_format(text, sizeof(text), ui_text(UI_TEXT_STATUS_PAGE, false), a,
				       b);
			assert_int_equal(traced(&t, text), pages > 1);
			/* Only this page's applications, and each of them. */
			for (unsigned k = 0; k < 10; k++) {
				bool on_page = k / per == page;

				assert_int_equal(traced(&t, s.personal.result.apps[k].next_step),
						 on_page);
			}
			/* "Collect" buttons carry the application's index. */
			for (size_t i = 0; i < f.n_hits; i++) {
				const struct ui_hit *hit = &f.hits[i];

				if (hit->button != SESSION_BUTTON_DOCUMENT)
					continue;
				assert_in_range(hit->index, page * per, page * per + per - 1);
				assert_true(s.personal.result.apps[hit->index].document_id[0]);
			}
		}
	}
}

static void test_hostile_text(void **state)
{
	struct session s;
	struct ui_frame f;
	char longtext[200];

	session_init(&s, &timeouts, false, 1000);
	fill_result(&s, 2);
	/* Longer than any field: each filled to the brim, no spaces. */
	memset(longtext, 'W', sizeof(longtext));
	memcpy(s.personal.result.apps[0].service, longtext,
	       sizeof(s.personal.result.apps[0].service) - 1);
	memcpy(s.personal.result.apps[0].next_step, longtext,
	       sizeof(s.personal.result.apps[0].next_step) - 1);
	/* Invalid UTF-8 and Pango markup from the backend: drawn as text. */
	snprintf(s.personal.result.apps[1].service, sizeof(s.personal.result.apps[1].service),
		 "Bad \xff\xfe bytes <b>&amp;</b> \xe2\x82");
	snprintf(s.personal.result.holder_name, sizeof(s.personal.result.holder_name),
		 "\xc3\x28 Broken");
	s.state = SESSION_SHOWING_STATUS;
	cairo_surface_destroy(draw(&s, 1280, 800, false, &f, NULL));
	check_frame(&f, 1280, 800, "hostile");
	s.state = SESSION_CHOOSING_DOCUMENT;
	s.selected = 0;
	cairo_surface_destroy(draw(&s, 1080, 1920, false, &f, NULL));
	/* A selection out of range draws without the card. */
	s.selected = 99;
	cairo_surface_destroy(draw(&s, 1920, 1080, false, &f, NULL));
	assert_false(frame_has(&f, SESSION_BUTTON_CONFIRM));
	/* Tiny screens still draw. */
	s.state = SESSION_WELCOME;
	cairo_surface_destroy(draw(&s, 320, 240, true, &f, NULL));
}

static void test_draw_errors(void **state)
{
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 100);
	cairo_t *cr = cairo_create(surf);
	struct session s;
	struct ui_frame f, before;

	session_init(&s, &timeouts, false, 1000);
	memset(&f, 0x5a, sizeof(f));
	before = f;
	assert_int_equal(ui_draw(NULL, 100, 100, &s, NULL, &f), -EINVAL);
	assert_int_equal(ui_draw(cr, 0, 100, &s, NULL, &f), -EINVAL);
	assert_int_equal(ui_draw(cr, 100, 100, NULL, NULL, &f), -EINVAL);
	s.state = _SESSION_STATE_MAX;
	assert_int_equal(ui_draw(cr, 100, 100, &s, NULL, &f), -EINVAL);
	/* Out-params untouched on failure. */
	assert_memory_equal(&f, &before, sizeof(f));
	s.state = SESSION_WELCOME;
	assert_int_equal(ui_draw(cr, 100, 100, &s, NULL, &f), 0);
	assert_true(frame_has(&f, SESSION_BUTTON_MAINTENANCE));
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
}

static void test_hit_test(void **state)
{
	struct ui_frame f = {
		.n_hits = 2,
		.hits = {{SESSION_BUTTON_ANY, 0, 0, 0, 100, 100},
			 {SESSION_BUTTON_DOCUMENT, 3, 10, 10, 20, 20}},
	};
	enum session_button b = _SESSION_BUTTON_INVALID;
	int index = -1;

	assert_true(ui_hit_test(&f, 15, 15, &b, &index));
	assert_int_equal(b, SESSION_BUTTON_DOCUMENT);
	assert_int_equal(index, 3);
	assert_true(ui_hit_test(&f, 50, 50, &b, &index));
	assert_int_equal(b, SESSION_BUTTON_ANY);
	b = _SESSION_BUTTON_INVALID;
	assert_false(ui_hit_test(&f, 100, 50, &b, &index));
	assert_false(ui_hit_test(&f, -1, 50, &b, &index));
	assert_int_equal(b, _SESSION_BUTTON_INVALID);
	assert_false(ui_hit_test(NULL, 1, 1, &b, &index));

	/* The maintenance corner is 120x120 at the top right. */
	{
		struct session s;
		struct ui_frame wf;

		session_init(&s, &timeouts, false, 1000);
		cairo_surface_destroy(draw(&s, 1920, 1080, false, &wf, NULL));
		assert_true(ui_hit_test(&wf, 1919, 0, &b, &index));
		assert_int_equal(b, SESSION_BUTTON_MAINTENANCE);
		assert_true(ui_hit_test(&wf, 1800, 119, &b, &index));
		assert_int_equal(b, SESSION_BUTTON_MAINTENANCE);
		assert_false(ui_hit_test(&wf, 1799, 10, &b, &index) &&
			     b == SESSION_BUTTON_MAINTENANCE);
	}
}

static void test_screen_names(void **state)
{
	const char *names[_SESSION_STATE_MAX + _SESSION_ERROR_MAX + 2];
	size_t n = 0;
	struct session s;

	session_init(&s, &timeouts, false, 1000);
	assert_string_equal(ui_screen_name(&s), "welcome");
	for (int st = 0; st < _SESSION_STATE_MAX; st++) {
		s.state = (enum session_state)st;
		if (st == SESSION_ERROR) {
			for (int e = 0; e < _SESSION_ERROR_MAX; e++) {
				s.error = (enum session_error)e;
				names[n++] = ui_screen_name(&s);
			}
		} else if (st == SESSION_DONE) {
			s.printing = SESSION_PRINT_RECEIPT;
			names[n++] = ui_screen_name(&s);
			s.printing = SESSION_PRINT_DOCUMENT;
			names[n++] = ui_screen_name(&s);
		} else {
			names[n++] = ui_screen_name(&s);
		}
	}
	for (size_t i = 0; i < n; i++) {
		assert_non_null(names[i]);
		assert_true(strlen(names[i]) > 0);
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(names[i], names[j]);
	}
	s.state = SESSION_ERROR;
	s.error = SESSION_ERROR_CARD_UNREADABLE;
	assert_string_equal(ui_screen_name(&s), "error-card-unreadable");
	s.error = SESSION_ERROR_CARD_DAMAGED;
	assert_string_equal(ui_screen_name(&s), "error-card-damaged");
	s.state = SESSION_SHOWING_STATUS;
	assert_string_equal(ui_screen_name(&s), "status");
	assert_string_equal(ui_screen_name(NULL), "unknown");
}

/* ---- the SDL display ----------------------------------------------------- */

static void *waker(void *arg)
{
	ui_display_wake(arg);
	return NULL;
}

static void test_display(void **state)
{
	static const char *const drivers[] = {"dummy", "offscreen"};
	struct ui_display *d = NULL;
	cairo_surface_t *surf;
	struct session s;
	struct ui_frame f;
	struct ui_input in;
	pthread_t th;
	int r = -ENODEV, w = 0, h = 0;
	bool woke = false;
	cairo_t *cr;

	for (size_t i = 0; i < 2 && r < 0; i++) {
		setenv("SDL_VIDEODRIVER", drivers[i], 1);
		r = ui_display_open("Anjungan test", 640, 400, false, &d);
	}
	/* SDL's dummy and offscreen drivers need no display: any failure
	 * here is a real one. */
	assert_int_equal(r, 0);
	assert_non_null(d);

	surf = ui_display_surface(d, &w, &h);
	assert_non_null(surf);
	assert_true(w >= 640 && h >= 400);
	assert_int_equal(cairo_image_surface_get_format(surf), CAIRO_FORMAT_RGB24);
	session_init(&s, &timeouts, false, 1000);
	cr = cairo_create(surf);
	assert_int_equal(ui_draw(cr, w, h, &s, NULL, &f), 0);
	cairo_destroy(cr);
	assert_int_equal(ui_display_present(d), 0);

	/* Nothing pending but window events: a short wait times out or
	 * returns one of those, never a wake. */
	while ((r = ui_display_wait(d, 10, &in)) == 1)
		assert_int_not_equal(in.type, UI_INPUT_WAKE);
	assert_int_equal(r, 0);

	assert_int_equal(pthread_create(&th, NULL, waker, d), 0);
	/* The timeout only fails the test; the wake ends the wait. */
	while (!woke) {
		r = ui_display_wait(d, 5000, &in);
		assert_int_equal(r, 1);
		woke = in.type == UI_INPUT_WAKE;
	}
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(ui_display_wait(d, 0, &in), 0);
	assert_null(ui_display_close(d));
	assert_null(ui_display_close(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_i18n_complete),
		cmocka_unit_test(test_text_format),
		cmocka_unit_test(test_contrast),
		cmocka_unit_test(test_large_metrics),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_hit_test),
		cmocka_unit_test(test_screen_names),
		cmocka_unit_test(test_draw_errors),
		cmocka_unit_test(test_status_masks_personal_data),
		cmocka_unit_test(test_pin_shows_dots_only),
		cmocka_unit_test(test_status_paging),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_every_error),
		cmocka_unit_test(test_every_screen),
		cmocka_unit_test(test_display),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
