/* SPDX-License-Identifier: MIT */
/*
 * Active tests (diag-test.h): test pages drawn with Cairo (an image for the
 * receipt printer, a PDF for the document printer), and the backend round
 * trip of diag.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <sodium.h>

#include "camera.h"
#include "card-read.h"
#include "diag-test.h"
#include "document-printer.h"
#include "escpos.h"
#include "qr-decode.h"
#include "qr-image.h"
#include "receipt-printer.h"
#include "receipt.h"
#include "session.h"
#include "version.h"

static const char *const test_names[_DIAG_TEST_MAX] = {
	[DIAG_TEST_CAMERA] = "camera",	   [DIAG_TEST_RECEIPT] = "receipt",
	[DIAG_TEST_DOCUMENT] = "document", [DIAG_TEST_BACKEND] = "backend",
	[DIAG_TEST_CARD] = "card",
};

const char *diag_test_to_string(enum diag_test t)
{
	return t >= 0 && t < _DIAG_TEST_MAX ? test_names[t] : NULL;
}

enum diag_test diag_test_from_string(const char *s)
{
	for (int t = 0; s && t < _DIAG_TEST_MAX; t++)
		if (strcmp(s, test_names[t]) == 0)
			return (enum diag_test)t;
	return _DIAG_TEST_INVALID;
}

/* What a test page says: lines of text, then the QR code. */
struct page {
	char lines[5][128];
	char qr[96];
};

static void page_init(struct page *p, const struct station_config *c, const char *device,
		      const char *uri)
{
	const char *id = c->station_id[0] ? c->station_id : "-";
	time_t now = time(NULL);
	struct tm tm;
	char when[32];

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(p->lines[0], sizeof(p->lines[0]), "Anjungan test page: %s", device);
	snprintf(p->lines[1], sizeof(p->lines[1]), "station %s", id);
	snprintf(p->lines[2], sizeof(p->lines[2]), "%s", when);
	/* The URI without any user:password part. */
	snprintf(p->lines[3], sizeof(p->lines[3]), "%.*s", (int)strcspn(uri, "@?"), uri);
	snprintf(p->lines[4], sizeof(p->lines[4]), "station " STATION_VERSION);
	snprintf(p->qr, sizeof(p->qr), DIAG_TEST_QR_PREFIX "%s:%lld", id, (long long)now);
}

/* Draws the page into cr, width units wide, starting at the top; returns
 * the height used, or -errno from the QR code. */
static double page_draw(cairo_t *cr, const struct page *p, double width, double font)
{
	double y = font * 1.5;

	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, font);
	for (size_t i = 0; i < sizeof(p->lines) / sizeof(p->lines[0]); i++) {
		cairo_move_to(cr, font * 0.5, y);
		cairo_show_text(cr, p->lines[i]);
		y += font * 1.4;
	}
	if (qr_image_draw(cr, p->qr, (width - width / 2) / 2, y, width / 2) < 0)
		return -EINVAL;
	return y + width / 2 + font;
}

static json_t *result(enum diag_verdict v, const char *summary, const char *uri, const char *qr)
{
	json_t *s = json_pack("{ss sb ss}", "verdict", diag_verdict_to_string(v), "required", true,
			      "summary", summary);

	if (s && uri)
		json_object_set_new(s, "uri", json_stringn(uri, strcspn(uri, "?")));
	if (s && qr)
		json_object_set_new(s, "qr", json_string(qr));
	return s;
}

/* ---- camera ---------------------------------------------------------------- */

/* How long the camera test waits for a frame with a QR code. */
#define CAMERA_TEST_MS 3000

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static json_t *test_camera(const struct station_config *c, enum diag_verdict *ret_v)
{
	struct camera *cam = NULL;
	struct camera_frame f = {0};
	char text[512], summary[CONFIG_PATH_MAX + 160];
	size_t len = 0;
	unsigned frames = 0;
	int found = -ENOMSG, w = 0, h = 0, r;
	enum diag_verdict v = DIAG_FAILED;
	json_t *s;

	if (strcmp(c->camera_backend, "v4l2") == 0) {
		const struct camera_v4l2_params p = {
			.device = c->camera_device, .width = 1280, .height = 720};

		r = camera_v4l2_new(&p, &cam);
	} else if (strcmp(c->camera_backend, "files") == 0) {
		r = camera_files_new(c->camera_device, &cam);
	} else {
		*ret_v = DIAG_FAILED;
		return result(DIAG_FAILED, "the camera is simulated: nothing to capture", NULL,
			      NULL);
	}
	if (r >= 0)
		r = camera_open(cam);
	if (r >= 0)
		r = camera_start(cam);
	if (r < 0) {
		snprintf(summary, sizeof(summary), "%s cannot be opened: %s", c->camera_device,
			 strerror(-r));
		goto out;
	}
	/* Frames until one holds a QR code, the source ends, or time is up. */
	for (int64_t end = mono_ms() + CAMERA_TEST_MS; found < 0 && mono_ms() < end;) {
		r = camera_read(cam, &f);
		if (r == -EAGAIN) {
			struct timespec t = {.tv_nsec = 10 * 1000 * 1000};

			nanosleep(&t, NULL);
			continue;
		}
		if (r < 0)
			break;
		frames++;
		w = f.width;
		h = f.height;
		found = qr_decode_gray(f.gray, f.width, f.height, f.stride, text, sizeof(text),
				       &len);
	}
	if (frames == 0) {
		snprintf(summary, sizeof(summary), "no frame from %s%s%s", c->camera_device,
			 r < 0 && r != -EAGAIN ? ": " : "",
			 r < 0 && r != -EAGAIN ? strerror(-r) : "");
	} else if (found < 0) {
		v = DIAG_DEGRADED;
		snprintf(summary, sizeof(summary),
			 "%u frame(s) of %dx%d, no QR code seen (hold one in front of it)", frames,
			 w, h);
	} else {
		v = DIAG_OK;
		snprintf(summary, sizeof(summary), "%u frame(s) of %dx%d, a QR code decoded",
			 frames, w, h);
	}
out:
	camera_free(cam);
	*ret_v = v;
	s = result(v, summary, NULL, NULL);
	if (s) {
		json_object_set_new(s, "device", json_string(c->camera_device));
		json_object_set_new(s, "frames", json_integer(frames));
		json_object_set_new(s, "width", json_integer(w));
		json_object_set_new(s, "height", json_integer(h));
		/* The code's content may be a citizen's token: its length and
		 * kind only. */
		json_object_set_new(s, "qr_length",
				    found > 0 ? json_integer((json_int_t)len) : json_null());
		json_object_set_new(
			s, "qr_test_page",
			json_boolean(found > 0 && strncmp(text, DIAG_TEST_QR_PREFIX,
							  strlen(DIAG_TEST_QR_PREFIX)) == 0));
	}
	sodium_memzero(text, sizeof(text));
	return s;
}

/* ---- receipt --------------------------------------------------------------- */

static int receipt_page(const struct station_config *c, const struct page *p, uint8_t **ret,
			size_t *ret_len)
{
	int width = c->receipt_width_dots == RECEIPT_WIDTH_58MM ? RECEIPT_WIDTH_58MM
								: RECEIPT_WIDTH_80MM;
	cairo_surface_t *probe, *s;
	cairo_t *cr;
	double h;
	int r;

	/* Lay out once to learn the height, then draw for real. */
	probe = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, 10);
	cr = cairo_create(probe);
	h = page_draw(cr, p, width, width / 20.0);
	cairo_destroy(cr);
	cairo_surface_destroy(probe);
	if (h < 0)
		return (int)h;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, (int)h);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	h = page_draw(cr, p, width, width / 20.0);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	r = h < 0 ? (int)h : escpos_encode_raster(s, ret, ret_len);
	cairo_surface_destroy(s);
	return r;
}

static json_t *test_receipt(const struct station_config *c, struct receipt_printer *own,
			    enum diag_verdict *ret_v)
{
	struct receipt_printer *rp = own;
	struct page p;
	uint8_t *bytes = NULL;
	size_t len = 0;
	unsigned flags = 0;
	char summary[256];
	enum diag_verdict v = DIAG_FAILED;
	int r;

	if (!own && !c->receipt_printer[0]) {
		*ret_v = DIAG_FAILED;
		return result(DIAG_FAILED, "no receipt printer is configured", NULL, NULL);
	}
	page_init(&p, c, "receipt printer", c->receipt_printer);
	r = receipt_page(c, &p, &bytes, &len);
	if (r < 0) {
		snprintf(summary, sizeof(summary), "cannot lay out the test page: %s",
			 strerror(-r));
		goto out;
	}
	r = rp ? 0 : receipt_printer_open(c->receipt_printer, &rp);
	if (r >= 0)
		r = rp->ops->get_status(rp, &flags);
	if (r < 0) {
		snprintf(summary, sizeof(summary), "the printer cannot be reached: %s",
			 strerror(-r));
		goto out;
	}
	if (flags & (RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_COVER_OPEN | RECEIPT_STATUS_PAPER_END |
		     RECEIPT_STATUS_ERROR)) {
		char words[96];

		snprintf(summary, sizeof(summary), "the printer is not ready (%s), nothing sent",
			 receipt_status_words(flags & ~RECEIPT_STATUS_PAPER_NEAR_END, words,
					      sizeof(words)));
		goto out;
	}
	r = rp->ops->write_job(rp, bytes, len);
	if (r < 0) {
		snprintf(summary, sizeof(summary), "printing failed: %s", strerror(-r));
		goto out;
	}
	flags = 0;
	(void)rp->ops->get_status(rp, &flags);
	v = flags & RECEIPT_STATUS_PAPER_NEAR_END ? DIAG_DEGRADED : DIAG_OK;
	snprintf(summary, sizeof(summary), "test page printed (%zu bytes)%s", len,
		 v == DIAG_OK ? "" : ", paper near its end");
out:
	if (rp != own)
		receipt_printer_free(rp);
	free(bytes);
	*ret_v = v;
	return result(v, summary, c->receipt_printer, p.qr);
}

/* ---- document ------------------------------------------------------------- */

struct buffer {
	uint8_t *data;
	size_t len, cap;
};

static cairo_status_t buffer_write(void *closure, const unsigned char *data, unsigned int n)
{
	struct buffer *b = closure;

	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap * 2 : 16384;
		uint8_t *d;

		while (cap - b->len < n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d)
			return CAIRO_STATUS_NO_MEMORY;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return CAIRO_STATUS_SUCCESS;
}

/* One A4 page (595 x 842 pt) with the test page at its top. */
static int document_page(const struct page *p, struct buffer *ret)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(buffer_write, ret, 595, 842);
	cairo_t *cr = cairo_create(s);
	double h;
	int r;

	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Anjungan test page");
	cairo_translate(cr, 60, 60);
	h = page_draw(cr, p, 475, 18);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	r = h < 0 ? (int)h : cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? 0 : -EIO;
	cairo_surface_destroy(s);
	return r;
}

static json_t *test_document(const struct station_config *c, struct document_printer *own,
			     enum diag_verdict *ret_v)
{
	struct document_printer *dp = own;
	enum session_print_result res = SESSION_PRINT_OK;
	struct buffer pdf = {0};
	struct page p;
	char summary[256];
	enum diag_verdict v = DIAG_FAILED;
	int r;

	if (!own && !c->document_printer[0]) {
		*ret_v = DIAG_FAILED;
		return result(DIAG_FAILED, "no document printer is configured", NULL, NULL);
	}
	page_init(&p, c, "document printer", c->document_printer);
	r = document_page(&p, &pdf);
	if (r < 0) {
		snprintf(summary, sizeof(summary), "cannot make the test page: %s", strerror(-r));
		goto out;
	}
	r = dp ? 0 : document_printer_open(c->document_printer, &dp);
	if (r >= 0)
		r = dp->ops->print_job(dp, "station diag test page", pdf.data, pdf.len, &res);
	if (r < 0) {
		snprintf(summary, sizeof(summary), "the printer cannot be reached: %s",
			 strerror(-r));
		goto out;
	}
	if (res != SESSION_PRINT_OK) {
		snprintf(summary, sizeof(summary), "the test page did not print: %s",
			 session_print_result_to_string(res));
		goto out;
	}
	v = DIAG_OK;
	snprintf(summary, sizeof(summary), "test page printed (PDF, %zu bytes)", pdf.len);
out:
	if (dp != own)
		document_printer_free(dp);
	free(pdf.data);
	*ret_v = v;
	return result(v, summary, c->document_printer, p.qr);
}

/* ---- card ------------------------------------------------------------------ */

/* How long the card test waits for a card on the reader. */
#define CARD_TEST_WAIT_S 10

static const char *card_outcome(int code)
{
	switch (code) {
	case EX_OK:
		return "read";
	case EX_DATAERR:
		return "unknown-card";
	case EX_NOINPUT:
		return "no-card";
	case EX_UNAVAILABLE:
		return "no-reader";
	case EX_IOERR:
		return "read-error";
	default:
		return "driver-error";
	}
}

static json_t *test_card(const struct station_config *c, enum diag_verdict *ret_v)
{
	struct card_read_options *o = calloc(1, sizeof(*o));
	struct card_read_result res = {0};
	struct config_errors errs = {0};
	enum diag_verdict v = DIAG_FAILED;
	char summary[512];
	int code = EX_UNAVAILABLE;
	json_t *s, *files;

	if (!o)
		return NULL;
	if (strcmp(c->card_backend, "pcsc") != 0) {
		snprintf(summary, sizeof(summary),
			 "the card reader is simulated ([card] backend = %s): nothing to read",
			 c->card_backend);
		goto out;
	}
	if (sodium_init() < 0 || card_read_options_from_config(c, o, &errs) < 0) {
		code = EX_CONFIG;
		snprintf(summary, sizeof(summary), "the SAM credentials cannot be read: %s",
			 errs.n ? errs.e[0].message : "bad secrets file");
		goto out;
	}
	o->timeout_s = CARD_TEST_WAIT_S;
	code = card_read_once(o, &res);
	if (code != EX_OK) {
		card_read_explain(code, &res, o->timeout_s, summary, sizeof(summary));
		goto out;
	}
	/* UID only while a SAM is configured: the SAM is missing or refused. */
	v = !res.has_identity && o->sam_reader[0] ? DIAG_DEGRADED : DIAG_OK;
	snprintf(summary, sizeof(summary),
		 "%s, ATR %s, UID %s, NIK %s, files %s%s, %u APDUs in %.1f ms", res.type, res.atr,
		 res.uid, res.has_identity ? res.nik : "(no SAM)",
		 res.has_identity ? "uid+biodata" : "uid", res.photo_len ? "+photo" : "", res.apdus,
		 res.read_ms);
out:
	*ret_v = v;
	s = result(v, summary, NULL, NULL);
	files = json_array();
	if (s && files) {
		if (res.uid[0])
			json_array_append_new(files, json_string("uid"));
		if (res.has_identity)
			json_array_append_new(files, json_string("biodata"));
		if (res.photo_len)
			json_array_append_new(files, json_string("photo"));
		json_object_set_new(s, "outcome", json_string(card_outcome(code)));
		json_object_set_new(s, "exit_code", json_integer(code));
		json_object_set_new(s, "reader",
				    res.reader[0] ? json_string(res.reader) : json_null());
		json_object_set_new(s, "atr", res.atr[0] ? json_string(res.atr) : json_null());
		json_object_set_new(s, "card_type",
				    res.type[0] ? json_string(res.type) : json_null());
		json_object_set_new(s, "uid", res.uid[0] ? json_string(res.uid) : json_null());
		json_object_set_new(s, "nik",
				    res.has_identity ? json_string(res.nik) : json_null());
		json_object_set_new(s, "files", json_incref(files));
		json_object_set_new(s, "photo_bytes", json_integer((json_int_t)res.photo_len));
		json_object_set_new(s, "apdus", json_integer(res.apdus));
		json_object_set_new(s, "read_ms", json_real(res.read_ms));
		json_object_set_new(s, "transmit_ms", json_real(res.transmit_ms));
	}
	json_decref(files);
	card_read_result_wipe(&res);
	sodium_memzero(o, sizeof(*o));
	free(o);
	return s;
}

int diag_test_run_on(enum diag_test t, const struct diag_options *opt,
		     const struct diag_test_devices *devs, json_t **ret_section,
		     enum diag_verdict *ret_verdict)
{
	enum diag_verdict v = DIAG_FAILED;
	json_t *s;

	if (devs && (t == DIAG_TEST_CAMERA || t == DIAG_TEST_CARD))
		return -EOPNOTSUPP;
	switch (t) {
	case DIAG_TEST_CAMERA:
		s = test_camera(opt->config, &v);
		break;
	case DIAG_TEST_RECEIPT:
		s = test_receipt(opt->config, devs ? devs->receipt : NULL, &v);
		break;
	case DIAG_TEST_DOCUMENT:
		s = test_document(opt->config, devs ? devs->document : NULL, &v);
		break;
	case DIAG_TEST_BACKEND:
		s = diag_section_backend_on(opt, devs ? devs->backend : NULL);
		if (s)
			v = diag_section_verdict(s);
		break;
	case DIAG_TEST_CARD:
		s = test_card(opt->config, &v);
		break;
	default:
		return -EINVAL;
	}
	if (!s)
		return -ENOMEM;
	*ret_section = s;
	*ret_verdict = v;
	return 0;
}

int diag_test_run(enum diag_test t, const struct diag_options *opt, json_t **ret_section,
		  enum diag_verdict *ret_verdict)
{
	return diag_test_run_on(t, opt, NULL, ret_section, ret_verdict);
}
