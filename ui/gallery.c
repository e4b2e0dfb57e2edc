/* SPDX-License-Identifier: MIT */
/*
 * The gallery's sample sessions and the greyscale PNG helpers of the
 * golden-image test. The sessions are set up field by field rather than
 * driven through session_handle(): a golden image must show one screen
 * exactly, whatever path the state machine takes to reach it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "gallery.h"
#include "ui.h"

#define GALLERY_NOW_MS 1000000u

static const struct session_timeouts gallery_timeouts = {
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

/* Invented sample data: the NIK is not a real one (the demo-data set uses
 * the same shape) and only ever reaches the screen masked. */
static const struct {
	const char *agency, *service, *next, *doc;
	enum session_stage stage;
} sample_apps[] = {
	{"Disdukcapil", "Penggantian KTP-el karena rusak",
	 "Dokumen siap. Ambil di anjungan ini atau di loket 3.", "DOC-KTP-001",
	 SESSION_STAGE_READY},
	{"Kantor Imigrasi", "Paspor baru (48 halaman)",
	 "Datang untuk foto dan wawancara pada 2 Desember, pukul 09.00, loket 7.", NULL,
	 SESSION_STAGE_PROCESSING},
	{"Samsat", "Pajak kendaraan tahunan", "Bayar di loket Bank Jateng atau lewat aplikasi.",
	 NULL, SESSION_STAGE_AWAITING_PAYMENT},
	{"DPMPTSP", "Persetujuan Bangunan Gedung (PBG) untuk rumah tinggal dua lantai",
	 "Perbaiki gambar denah: ukuran kamar tidak sesuai dengan gambar tampak. Unggah ulang "
	 "paling lambat 30 November.",
	 NULL, SESSION_STAGE_NEEDS_FIX},
	{"Polres", "SKCK", "Sudah diambil pada 3 Oktober.", NULL, SESSION_STAGE_COLLECTED},
	{"BPJS Kesehatan", "Perubahan data peserta", "Berkas sedang diperiksa petugas.", NULL,
	 SESSION_STAGE_VERIFYING},
	{"Disdukcapil", "Akta kelahiran", "Akta asli siap diambil.", "DOC-AKTA-002",
	 SESSION_STAGE_READY},
	{"Kantor Pertanahan", "Pengecekan sertifikat", "Permohonan diterima.", NULL,
	 SESSION_STAGE_RECEIVED},
	{"KPP Pratama", "NPWP", "Ditolak: NIK pada formulir tidak sesuai KTP-el.", NULL,
	 SESSION_STAGE_REJECTED},
	{"Disnaker", "Kartu pencari kerja (AK/1)", "Kartu siap dicetak di anjungan ini.",
	 "DOC-AK1-003", SESSION_STAGE_READY},
};

#define SAMPLE_NIK  "3374015505900007"
#define SAMPLE_NAME "Sri Rahayu Lestari"

static void with_result(struct session *s, size_t n)
{
	struct session_lookup_result *r = &s->personal.result;

	s->personal.method = SESSION_ID_CARD;
	snprintf(s->personal.card.nik, sizeof(s->personal.card.nik), "%s", SAMPLE_NIK);
	snprintf(s->personal.card.name, sizeof(s->personal.card.name), "%s", SAMPLE_NAME);
	snprintf(r->holder_name, sizeof(r->holder_name), "%s", SAMPLE_NAME);
	snprintf(r->nik, sizeof(r->nik), "%s", SAMPLE_NIK);
	for (size_t i = 0; i < n && i < sizeof(sample_apps) / sizeof(sample_apps[0]); i++) {
		struct session_app *a = &r->apps[r->n_apps];

		snprintf(a->id, sizeof(a->id), "APP-%03zu", i + 1);
		snprintf(a->agency, sizeof(a->agency), "%s", sample_apps[i].agency);
		snprintf(a->service, sizeof(a->service), "%s", sample_apps[i].service);
		a->stage = sample_apps[i].stage;
		snprintf(a->updated_at, sizeof(a->updated_at), "2026-11-23T09:41:00+07:00");
		snprintf(a->next_step, sizeof(a->next_step), "%s", sample_apps[i].next);
		snprintf(a->document_id, sizeof(a->document_id), "%s",
			 sample_apps[i].doc ? sample_apps[i].doc : "");
		r->n_apps++;
	}
	s->personal.have_result = true;
}

/* What a screen needs beyond its state. */
enum gallery_extra {
	EXTRA_NONE,
	EXTRA_RESULT_3,	      /* three applications looked up by card */
	EXTRA_RESULT_10,      /* ten: two pages or more */
	EXTRA_RESULT_10_PAGE, /* ten, second page shown */
	EXTRA_RESULT_0,
	EXTRA_NO_PRINTERS,  /* three applications, both printers down */
	EXTRA_QR_COLLECTED, /* identified by QR: no result held */
	EXTRA_PIN_TYPED,
	EXTRA_PIN_WRONG,
	EXTRA_PIN_LOCKED,
	EXTRA_PIN_CHECKING,
	EXTRA_DEVICES_MIXED, /* one device in every state */
	EXTRA_READERS_DOWN,  /* card reader and camera failed */
	EXTRA_PREVIEW,	     /* a camera picture in the guide frame */
	EXTRA_DIAG_PENDING,  /* maintenance: the report still being made */
	EXTRA_TESTING_CARD,  /* maintenance: the card test waits for a card */
	EXTRA_TESTED,	     /* maintenance: a receipt test's result */
	EXTRA_FAULTS,	     /* maintenance: the recent faults shown */
};

struct gallery_case {
	const char *name;
	enum session_state state;
	enum session_error error;
	enum session_print_kind printing;
	enum gallery_extra extra;
};

#define ERR(n, e, x)                                                                   \
	{                                                                              \
		"error-" n, SESSION_ERROR, SESSION_ERROR_##e, SESSION_PRINT_RECEIPT, x \
	}

static const struct gallery_case cases[] = {
	{"welcome", SESSION_WELCOME, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT, EXTRA_NONE},
	{"reading-card", SESSION_READING_CARD, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_NONE},
	{"scanning-qr", SESSION_SCANNING_QR, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT, EXTRA_NONE},
	{"scanning-qr-preview", SESSION_SCANNING_QR, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_PREVIEW},
	{"looking-up", SESSION_LOOKING_UP, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT, EXTRA_NONE},
	{"status", SESSION_SHOWING_STATUS, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_RESULT_3},
	{"status-page-1", SESSION_SHOWING_STATUS, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_RESULT_10},
	{"status-page-2", SESSION_SHOWING_STATUS, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_RESULT_10_PAGE},
	{"status-no-printer", SESSION_SHOWING_STATUS, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_NO_PRINTERS},
	{"status-empty", SESSION_SHOWING_STATUS, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_RESULT_0},
	{"choosing-document", SESSION_CHOOSING_DOCUMENT, SESSION_ERROR_NONE, SESSION_PRINT_DOCUMENT,
	 EXTRA_RESULT_3},
	{"choosing-document-no-printer", SESSION_CHOOSING_DOCUMENT, SESSION_ERROR_NONE,
	 SESSION_PRINT_DOCUMENT, EXTRA_NO_PRINTERS},
	{"printing-receipt", SESSION_PRINTING_RECEIPT, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_RESULT_3},
	{"printing-document", SESSION_PRINTING_DOCUMENT, SESSION_ERROR_NONE, SESSION_PRINT_DOCUMENT,
	 EXTRA_RESULT_3},
	{"done-receipt", SESSION_DONE, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT, EXTRA_RESULT_3},
	{"done-document", SESSION_DONE, SESSION_ERROR_NONE, SESSION_PRINT_DOCUMENT,
	 EXTRA_QR_COLLECTED},
	ERR("card-unreadable", CARD_UNREADABLE, EXTRA_NONE),
	ERR("card-unknown", CARD_UNKNOWN, EXTRA_NONE),
	ERR("card-damaged", CARD_DAMAGED, EXTRA_NONE),
	ERR("qr-invalid", QR_INVALID, EXTRA_NONE),
	ERR("qr-expired", QR_EXPIRED, EXTRA_NONE),
	ERR("qr-not-mpp", QR_NOT_MPP, EXTRA_NONE),
	ERR("not-found", NOT_FOUND, EXTRA_NONE),
	ERR("backend-unreachable", BACKEND_UNREACHABLE, EXTRA_NONE),
	ERR("printer-paper-out", PRINTER_PAPER_OUT, EXTRA_RESULT_3),
	ERR("printer-cover-open", PRINTER_COVER_OPEN, EXTRA_RESULT_3),
	ERR("printer-offline", PRINTER_OFFLINE, EXTRA_RESULT_3),
	ERR("print-failed", PRINT_FAILED, EXTRA_RESULT_3),
	{"idle-countdown", SESSION_IDLE_COUNTDOWN, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_RESULT_3},
	{"maintenance-login", SESSION_MAINTENANCE_LOGIN, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_NONE},
	{"maintenance-login-typed", SESSION_MAINTENANCE_LOGIN, SESSION_ERROR_NONE,
	 SESSION_PRINT_RECEIPT, EXTRA_PIN_TYPED},
	{"maintenance-login-checking", SESSION_MAINTENANCE_LOGIN, SESSION_ERROR_NONE,
	 SESSION_PRINT_RECEIPT, EXTRA_PIN_CHECKING},
	{"maintenance-login-wrong", SESSION_MAINTENANCE_LOGIN, SESSION_ERROR_NONE,
	 SESSION_PRINT_RECEIPT, EXTRA_PIN_WRONG},
	{"maintenance-login-locked", SESSION_MAINTENANCE_LOGIN, SESSION_ERROR_NONE,
	 SESSION_PRINT_RECEIPT, EXTRA_PIN_LOCKED},
	{"maintenance", SESSION_MAINTENANCE, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_DEVICES_MIXED},
	{"maintenance-collecting", SESSION_MAINTENANCE, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_DIAG_PENDING},
	{"maintenance-testing", SESSION_MAINTENANCE, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_TESTING_CARD},
	{"maintenance-tested", SESSION_MAINTENANCE, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_TESTED},
	{"maintenance-faults", SESSION_MAINTENANCE, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_FAULTS},
	{"out-of-service", SESSION_OUT_OF_SERVICE, SESSION_ERROR_NONE, SESSION_PRINT_RECEIPT,
	 EXTRA_READERS_DOWN},
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* After the cases, each citizen screen again in the high-contrast,
 * large-text mode, named "contrast-<name>" (technician screens do not
 * change with it). */
static struct {
	size_t n;
	size_t of[N_CASES]; /* the case each is a twin of */
	char name[N_CASES][64];
} contrast;

static void contrast_init(void)
{
	for (size_t i = 0; i < N_CASES; i++) {
		if (cases[i].state == SESSION_MAINTENANCE ||
		    cases[i].state == SESSION_MAINTENANCE_LOGIN)
			continue;
		contrast.of[contrast.n] = i;
		snprintf(contrast.name[contrast.n], sizeof(contrast.name[0]), "contrast-%s",
			 cases[i].name);
		contrast.n++;
	}
}

static void contrast_ready(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, contrast_init);
}

/* The case of gallery screen i, and whether it is a high-contrast twin. */
static const struct gallery_case *case_of(size_t i, bool *ret_contrast)
{
	contrast_ready();
	*ret_contrast = i >= N_CASES;
	if (i < N_CASES)
		return &cases[i];
	if (i - N_CASES < contrast.n)
		return &cases[contrast.of[i - N_CASES]];
	return NULL;
}

size_t ui_gallery_count(void)
{
	contrast_ready();
	return N_CASES + contrast.n;
}

const char *ui_gallery_name(size_t i)
{
	contrast_ready();
	if (i < N_CASES)
		return cases[i].name;
	return i - N_CASES < contrast.n ? contrast.name[i - N_CASES] : NULL;
}

int ui_gallery_find(const char *name)
{
	for (size_t i = 0; name && i < ui_gallery_count(); i++)
		if (strcmp(ui_gallery_name(i), name) == 0)
			return (int)i;
	return -ENOENT;
}

/* A made-up `station diag` report matching the mixed device states. */
static void with_diag(struct session *s)
{
	static const struct {
		const char *name;
		int verdict;
		const char *summary;
	} rows[] = {
		{"build", 0, "anjungan 0.11.0, every library found"},
		{"config", 0, "/etc/station/station.conf, 0 errors"},
		{"pcscd", 0, "running, 2 readers, a SAM in the SAM reader"},
		{"cameras", 1, "/dev/video0 reopened 3 times in the last hour"},
		{"usb", 0, "4 devices: 1 card reader, 1 printer, 1 camera"},
		{"receipt_printer", 1, "online, paper near end"},
		{"document_printer", 2, "ipp://10.0.0.20/ipp/print: stopped, media-empty"},
		{"backend", 0, "reachable, 84 ms, certificate valid 212 days"},
		{"state_dir", 0, "/var/lib/station: 12.4 GB free"},
		{"journal", 0, "0 pending jobs, 0 unsent confirmations"},
		{"faults", 2, "3 in the last day: document-printer failed 09:12"},
	};

	s->have_diag = true;
	s->diag.n = sizeof(rows) / sizeof(rows[0]);
	s->diag.verdict = 2;
	for (size_t i = 0; i < s->diag.n; i++) {
		snprintf(s->diag.sections[i].name, sizeof(s->diag.sections[i].name), "%s",
			 rows[i].name);
		s->diag.sections[i].verdict = rows[i].verdict;
		snprintf(s->diag.sections[i].summary, sizeof(s->diag.sections[i].summary), "%s",
			 rows[i].summary);
	}
}

int ui_gallery_session(size_t i, bool english, struct session *ret_session)
{
	const struct gallery_case *c;
	bool high_contrast;
	struct session s;

	if (!ret_session || !(c = case_of(i, &high_contrast)))
		return -EINVAL;
	session_init(&s, &gallery_timeouts, english, GALLERY_NOW_MS);
	s.personal.english = english;
	s.personal.high_contrast = high_contrast;
	s.error = c->error;
	s.printing = c->printing;
	switch (c->extra) {
	case EXTRA_NONE:
	case EXTRA_PREVIEW: /* not the session's: ui_gallery_render() */
		break;
	case EXTRA_RESULT_3:
		with_result(&s, 3);
		break;
	case EXTRA_RESULT_10:
		with_result(&s, 10);
		break;
	case EXTRA_RESULT_10_PAGE:
		with_result(&s, 10);
		s.page = 1;
		break;
	case EXTRA_RESULT_0:
		with_result(&s, 0);
		break;
	case EXTRA_NO_PRINTERS:
		with_result(&s, 3);
		s.devices[SESSION_DEVICE_RECEIPT_PRINTER] = SESSION_DEVICE_FAILED;
		s.devices[SESSION_DEVICE_DOCUMENT_PRINTER] = SESSION_DEVICE_FAILED;
		break;
	case EXTRA_QR_COLLECTED:
		s.personal.method = SESSION_ID_QR;
		break;
	case EXTRA_PIN_TYPED:
		snprintf(s.personal.pin, sizeof(s.personal.pin), "%s", "483");
		break;
	case EXTRA_PIN_CHECKING:
		snprintf(s.personal.pin, sizeof(s.personal.pin), "%s", "4832");
		s.pin_pending = true;
		break;
	case EXTRA_PIN_WRONG:
		s.pin_feedback = SESSION_PIN_WRONG;
		break;
	case EXTRA_PIN_LOCKED:
		s.pin_feedback = SESSION_PIN_LOCKED;
		break;
	case EXTRA_DEVICES_MIXED:
		s.devices[SESSION_DEVICE_CAMERA] = SESSION_DEVICE_RECOVERING;
		s.devices[SESSION_DEVICE_RECEIPT_PRINTER] = SESSION_DEVICE_DEGRADED;
		s.devices[SESSION_DEVICE_DOCUMENT_PRINTER] = SESSION_DEVICE_FAILED;
		with_diag(&s);
		break;
	case EXTRA_DIAG_PENDING:
		s.diag_pending = true;
		break;
	case EXTRA_TESTING_CARD:
		with_diag(&s);
		s.test_device = SESSION_DEVICE_CARD_READER;
		s.test_deadline_ms = s.now_ms + SESSION_TEST_WAIT_MS;
		break;
	case EXTRA_FAULTS: {
		static const struct session_diag_fault faults[] = {
			{"2026-11-23T09:12:40Z", "document-printer", "ok", "failed"},
			{"2026-11-23T08:55:03Z", "receipt-printer", "degraded", "ok"},
			{"2026-11-23T08:31:17Z", "receipt-printer", "ok", "degraded"},
			{"2026-11-23T07:02:51Z", "camera", "recovering", "ok"},
			{"2026-11-23T07:02:44Z", "camera", "failed", "recovering"},
			{"2026-11-23T07:02:40Z", "camera", "ok", "failed"},
			{"2026-11-22T18:20:09Z", "backend", "failed", "ok"},
			{"2026-11-22T18:19:31Z", "backend", "ok", "failed"},
		};

		s.devices[SESSION_DEVICE_DOCUMENT_PRINTER] = SESSION_DEVICE_FAILED;
		with_diag(&s);
		s.show_faults = true;
		s.diag.n_faults = sizeof(faults) / sizeof(faults[0]);
		memcpy(s.diag.faults, faults, sizeof(faults));
		break;
	}
	case EXTRA_TESTED:
		s.devices[SESSION_DEVICE_RECEIPT_PRINTER] = SESSION_DEVICE_DEGRADED;
		with_diag(&s);
		s.tested_device = SESSION_DEVICE_RECEIPT_PRINTER;
		s.test.verdict = 1;
		snprintf(s.test.name, sizeof(s.test.name), "receipt-printer");
		snprintf(s.test.summary, sizeof(s.test.summary),
			 "test page printed (18432 bytes), paper near its end");
		break;
	case EXTRA_READERS_DOWN:
		s.devices[SESSION_DEVICE_CARD_READER] = SESSION_DEVICE_FAILED;
		s.devices[SESSION_DEVICE_CAMERA] = SESSION_DEVICE_FAILED;
		break;
	}
	if (c->state == SESSION_CHOOSING_DOCUMENT)
		s.selected = 0;
	if (c->state == SESSION_IDLE_COUNTDOWN) {
		s.interrupted = SESSION_SHOWING_STATUS;
		s.deadline_ms = s.now_ms + gallery_timeouts.countdown_ms;
	}
	s.state = c->state;
	*ret_session = s;
	return 0;
}

/* A made-up camera picture, the same every time: a dim room (a vertical
 * gradient) and a phone held up, its bright screen showing a blocky
 * pattern where a code would be. Stands in for a real frame so the
 * preview's cropping, mirroring and dimming are checked by the goldens. */
#define PREVIEW_W 320
#define PREVIEW_H 240
static uint8_t preview_pixels[PREVIEW_W * PREVIEW_H];
static const struct ui_gray_image preview_image = {
	.gray = preview_pixels, .width = PREVIEW_W, .height = PREVIEW_H, .stride = PREVIEW_W};

static void preview_init(void)
{
	for (int y = 0; y < PREVIEW_H; y++) {
		for (int x = 0; x < PREVIEW_W; x++) {
			uint8_t v = (uint8_t)(40 + y * 60 / PREVIEW_H);
			/* The phone: 100x170 at (110, 40); its screen 84x84 inset. */
			if (x >= 110 && x < 210 && y >= 40 && y < 210)
				v = 25;
			if (x >= 118 && x < 202 && y >= 70 && y < 154) {
				int cx = (x - 118) / 12, cy = (y - 70) / 12;
				bool finder = (cx < 2 && cy < 2) || (cx > 4 && cy < 2) ||
					      (cx < 2 && cy > 4);
				v = (finder || ((cx * 7 + cy * 3) % 5) < 2) ? 30 : 235;
			}
			preview_pixels[y * PREVIEW_W + x] = v;
		}
	}
}

int ui_gallery_render(size_t i, int width, int height, bool english, cairo_surface_t **ret_surface)
{
	static pthread_once_t preview_once = PTHREAD_ONCE_INIT;
	struct ui_context ctx = {
		.station_id = "MPP-SMG-01",
		.demo = false,
		.clock_text = english ? "Monday, 23 November 2026 09:41"
				      : "Senin, 23 November 2026 09:41",
	};
	struct session s;
	struct ui_frame frame;
	cairo_surface_t *surf;
	cairo_t *cr;
	int r;

	if (width <= 0 || height <= 0 || width > 8192 || height > 8192)
		return -EINVAL;
	r = ui_gallery_session(i, english, &s);
	if (r < 0)
		return r;
	s.apps_per_page = ui_apps_per_page(width, height, false);
	s.apps_per_page_large = ui_apps_per_page(width, height, true);
	if (case_of(i, &(bool){false})->extra == EXTRA_PREVIEW) {
		pthread_once(&preview_once, preview_init);
		ctx.preview = &preview_image;
	}
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surf);
		return -ENOMEM;
	}
	cr = cairo_create(surf);
	r = ui_draw(cr, width, height, &s, &ctx, &frame);
	if (r >= 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		r = -ENOMEM;
	cairo_destroy(cr);
	session_wipe(&s);
	if (r < 0) {
		cairo_surface_destroy(surf);
		return r;
	}
	cairo_surface_flush(surf);
	*ret_surface = surf;
	return 0;
}

/* ---- greyscale images --------------------------------------------------- */

int ui_gray_from_surface(cairo_surface_t *surface, struct ui_gray *ret_gray)
{
	cairo_format_t fmt = cairo_image_surface_get_format(surface);
	int w = cairo_image_surface_get_width(surface);
	int h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char *data;
	uint8_t *px;

	if ((fmt != CAIRO_FORMAT_RGB24 && fmt != CAIRO_FORMAT_ARGB32) || w <= 0 || h <= 0)
		return -EINVAL;
	cairo_surface_flush(surface);
	data = cairo_image_surface_get_data(surface);
	if (!data)
		return -EINVAL;
	px = malloc((size_t)w * (size_t)h);
	if (!px)
		return -ENOMEM;
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
		for (int x = 0; x < w; x++) {
			uint32_t v = row[x];
			uint32_t r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;

			/* BT.709 luma in 16-bit fixed point: 0.2126, 0.7152, 0.0722. */
			px[(size_t)y * w + x] =
				(uint8_t)((r * 13933 + g * 46871 + b * 4732 + 32768) >> 16);
		}
	}
	*ret_gray = (struct ui_gray){.width = w, .height = h, .pixels = px};
	return 0;
}

void ui_gray_free(struct ui_gray *g)
{
	if (!g)
		return;
	free(g->pixels);
	*g = (struct ui_gray){0};
}

int ui_gray_write_png(const struct ui_gray *g, const char *path)
{
	/* 16 grey levels as a 4-bit palette: a third of the size of 8-bit
	 * grey once compressed, and the rounding (at most 8 levels) stays far
	 * below the comparison threshold. */
	png_image img = {
		.version = PNG_IMAGE_VERSION,
		.width = (png_uint_32)g->width,
		.height = (png_uint_32)g->height,
		.format = PNG_FORMAT_GRAY | PNG_FORMAT_FLAG_COLORMAP,
		.colormap_entries = 16,
	};
	uint8_t map[16];
	size_t n = (size_t)g->width * (size_t)g->height;
	uint8_t *idx = malloc(n);
	int ok;

	if (!idx)
		return -ENOMEM;
	for (unsigned i = 0; i < 16; i++)
		map[i] = (uint8_t)(i * 17);
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint8_t)((g->pixels[i] + 8) / 17);
	ok = png_image_write_to_file(&img, path, 0, idx, g->width, map);
	free(idx);
	if (!ok) {
		png_image_free(&img);
		return -EIO;
	}
	return 0;
}

int ui_gray_read_png(const char *path, struct ui_gray *ret_gray)
{
	png_image img = {.version = PNG_IMAGE_VERSION};
	uint8_t *px;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? -ENOENT : -EIO;
	if (!png_image_begin_read_from_stdio(&img, f)) {
		fclose(f);
		return -EIO;
	}
	img.format = PNG_FORMAT_GRAY;
	if (img.width == 0 || img.height == 0 || img.width > 8192 || img.height > 8192) {
		png_image_free(&img);
		fclose(f);
		return -EIO;
	}
	px = malloc(PNG_IMAGE_SIZE(img));
	if (!px) {
		png_image_free(&img);
		fclose(f);
		return -ENOMEM;
	}
	if (!png_image_finish_read(&img, NULL, px, (png_int_32)img.width, NULL)) {
		png_image_free(&img);
		free(px);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*ret_gray =
		(struct ui_gray){.width = (int)img.width, .height = (int)img.height, .pixels = px};
	return 0;
}

int ui_gray_compare(const struct ui_gray *expected, const struct ui_gray *actual,
		    unsigned threshold, struct ui_gray_diff *ret_diff, struct ui_gray *ret_mask)
{
	struct ui_gray_diff d = {0};
	uint8_t *mask = NULL;
	size_t n;

	if (expected->width != actual->width || expected->height != actual->height)
		return -EINVAL;
	n = (size_t)expected->width * (size_t)expected->height;
	if (ret_mask) {
		mask = malloc(n);
		if (!mask)
			return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		int a = expected->pixels[i], b = actual->pixels[i];
		unsigned delta = (unsigned)(a > b ? a - b : b - a);

		if (delta > d.max_delta)
			d.max_delta = delta;
		if (delta > threshold)
			d.differing++;
		/* Differences black; the expected image faded to light grey
		 * behind them so a human can see where they are. */
		if (mask)
			mask[i] = delta > threshold ? 0 : (uint8_t)(160 + a * 95 / 255);
	}
	d.total = n;
	*ret_diff = d;
	if (ret_mask)
		*ret_mask = (struct ui_gray){
			.width = expected->width, .height = expected->height, .pixels = mask};
	return 0;
}
