/* SPDX-License-Identifier: MIT */
/*
 * `station print`: render a status receipt (to PNG, to ESC/POS bytes, or
 * to a printer), send a PDF to a document printer, and decode ESC/POS
 * bytes back to an image. For technicians and tests; the kiosk prints
 * through its print worker, not through this.
 *
 * A --json lookup file holds personal data: its bytes and the parsed
 * result are wiped when done, and error messages name the field, never
 * its value.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "commands.h"
#include "document-printer.h"
#include "escpos.h"
#include "receipt-printer.h"
#include "receipt.h"
#include "session.h"

#define JSON_MAX_BYTES	 (1 << 20)
#define ESCPOS_MAX_BYTES (64 << 20)
#define PDF_MAX_BYTES	 (256 << 20)

#define DEFAULT_STATION "MPP-DEMO-01"

static void print_usage(FILE *f)
{
	fprintf(f, "Usage: station print receipt (--sample | --json FILE)\n"
		   "                             (--png OUT | --escpos OUT | --printer URI)\n"
		   "                             [--width 384|576] [--lang id|en]\n"
		   "                             [--station ID] [--reference TEXT]\n"
		   "       station print document FILE.pdf --printer URI\n"
		   "       station print decode FILE.escpos --png OUT\n"
		   "\n"
		   "receipt   lay out a status receipt, as the kiosk prints it\n"
		   "document  send a PDF to a document printer and report the job's end state\n"
		   "decode    turn ESC/POS bytes back into the image a printer would print\n"
		   "\n"
		   "Run 'station print COMMAND --help' for the options of each.\n");
}

static void receipt_usage(FILE *f)
{
	fprintf(f,
		"Usage: station print receipt (--sample | --json FILE)\n"
		"                             (--png OUT | --escpos OUT | --printer URI)\n"
		"                             [--width 384|576] [--lang id|en]\n"
		"                             [--station ID] [--reference TEXT]\n"
		"\n"
		"Lays out a status receipt for a lookup result and writes it.\n"
		"\n"
		"Input:\n"
		"  --sample           a built-in, invented citizen with applications at\n"
		"                     three agencies\n"
		"  --json FILE        a lookup result: {\"holder_name\", \"nik\", "
		"\"applications\":\n"
		"                     [{\"id\", \"agency\", \"service\", \"stage\", "
		"\"updated_at\",\n"
		"                     \"next_step\", \"document_id\"}]}; stage is one of "
		"received,\n"
		"                     verifying, needs_fix, processing, awaiting_payment, ready,\n"
		"                     collected, rejected\n"
		"Output:\n"
		"  --png OUT          the receipt image\n"
		"  --escpos OUT       the ESC/POS bytes a printer would get\n"
		"  --printer URI      print it: usb://VID:PID[/SERIAL] (USB printer class;\n"
		"                     usb:// alone takes the first one), tcp://HOST[:9100],\n"
		"                     file:PATH or sim:DIR\n"
		"Options:\n"
		"  --width DOTS       384 (58 mm paper) or 576 (80 mm, default)\n"
		"  --lang id|en       language of the receipt (default: id)\n"
		"  --station ID       station id printed on it (default: " DEFAULT_STATION ")\n"
		"  --reference TEXT   text of the QR code (default: MPP-RCPT:ID:0:TIME)\n"
		"  -h, --help         this help\n"
		"\n"
		"The name and NIK are printed masked. Exit status: 0, 64 bad command line,\n"
		"65 bad lookup file, 66 file missing, 69 printer not available, 73 cannot\n"
		"create OUT, 74 write failed.\n");
}

static void document_usage(FILE *f)
{
	fprintf(f, "Usage: station print document FILE.pdf --printer URI\n"
		   "\n"
		   "Sends a PDF to a document printer, waits for the job to end and prints\n"
		   "its state (ok, paper-out, cover-open, offline, failed, cancelled).\n"
		   "The job's progress (connecting, sending, pending, processing,\n"
		   "media-needed, ...) goes to stderr as it changes.\n"
		   "\n"
		   "  --printer URI      ipp://HOST:PORT/PATH[?timeout=SECONDS], ipps://...,\n"
		   "                     cups:QUEUE, dir:PATH or sim:DIR\n"
		   "  -h, --help         this help\n"
		   "\n"
		   "Exit status: 0 printed, 64 bad command line, 65 not a PDF, 66 file\n"
		   "missing, 69 printer not available or not ready, 74 the job failed.\n");
}

static void decode_usage(FILE *f)
{
	fprintf(f, "Usage: station print decode FILE.escpos --png OUT\n"
		   "\n"
		   "Renders ESC/POS bytes (the raster subset the station sends) as the\n"
		   "printer would print them, black on white.\n"
		   "\n"
		   "  --png OUT          the image to write\n"
		   "  -h, --help         this help\n"
		   "\n"
		   "Exit status: 0, 64 bad command line, 65 bytes that are not a stream we\n"
		   "can decode, 66 file missing, 73 cannot create OUT.\n");
}

/* ---- files -------------------------------------------------------------- */

/* Reads a whole file of at most max bytes. 0 with a malloc'ed buffer
 * (NUL-terminated, for text) or -errno; -EFBIG if larger. */
static int read_file(const char *path, size_t max, uint8_t **ret_buf, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int r = 0;

	if (!f)
		return -errno;
	for (;;) {
		size_t got;

		if (cap - len < 2) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *n;

			if (cap > max + 1) {
				r = -EFBIG;
				goto out;
			}
			n = realloc(buf, ncap);
			if (!n) {
				r = -ENOMEM;
				goto out;
			}
			buf = n;
			cap = ncap;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (len > max) {
			r = -EFBIG;
			goto out;
		}
		if (got == 0) {
			if (ferror(f))
				r = -EIO;
			break;
		}
	}
out:
	fclose(f);
	if (r < 0) {
		if (buf)
			explicit_bzero(buf, len);
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

static int read_error(const char *what, const char *path, int r)
{
	fprintf(stderr, "station print %s: %s: %s\n", what, path,
		r == -EFBIG ? "file too large" : strerror(-r));
	if (r == -ENOENT || r == -EACCES || r == -EISDIR)
		return EX_NOINPUT;
	if (r == -EFBIG)
		return EX_DATAERR;
	return EX_IOERR;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "station print: cannot create %s: %s\n", path, strerror(errno));
		return EX_CANTCREAT;
	}
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "station print: cannot write %s: %s\n", path, strerror(errno));
		return EX_IOERR;
	}
	return EX_OK;
}

/* ---- lookup results ----------------------------------------------------- */

static void sample_app(struct session_app *a, const char *id, const char *agency,
		       const char *service, enum session_stage stage, const char *updated_at,
		       const char *next_step, const char *document_id)
{
	snprintf(a->id, sizeof(a->id), "%s", id);
	snprintf(a->agency, sizeof(a->agency), "%s", agency);
	snprintf(a->service, sizeof(a->service), "%s", service);
	a->stage = stage;
	snprintf(a->updated_at, sizeof(a->updated_at), "%s", updated_at);
	snprintf(a->next_step, sizeof(a->next_step), "%s", next_step);
	snprintf(a->document_id, sizeof(a->document_id), "%s", document_id);
}

/* An invented citizen (the NIK is well-formed, the person does not
 * exist) with the kinds of applications an MPP handles. */
static void sample_result(struct session_lookup_result *r)
{
	*r = (struct session_lookup_result){0};
	snprintf(r->holder_name, sizeof(r->holder_name), "Siti Rahmawati Putri");
	snprintf(r->nik, sizeof(r->nik), "3273014507900002");
	sample_app(&r->apps[r->n_apps++], "APP-2026-000101", "Disdukcapil Kota Bandung",
		   "Kartu Keluarga (perubahan data)", SESSION_STAGE_READY, "2026-03-02",
		   "Dokumen dapat dicetak di anjungan ini dengan kode QR pengambilan.",
		   "DOC-2026-000101");
	sample_app(&r->apps[r->n_apps++], "APP-2026-000102", "Disdukcapil Kota Bandung",
		   "Akta Kelahiran", SESSION_STAGE_VERIFYING, "2026-03-04T09:15:00+07:00",
		   "Tunggu pemberitahuan melalui SMS.", "");
	sample_app(&r->apps[r->n_apps++], "APP-2026-000231", "DPMPTSP Kota Bandung",
		   "Nomor Induk Berusaha (NIB)", SESSION_STAGE_NEEDS_FIX, "2026-02-27",
		   "Unggah ulang foto KTP-el yang terbaca jelas dan surat keterangan "
		   "domisili usaha.",
		   "");
	sample_app(&r->apps[r->n_apps++], "APP-2026-000345", "Kantor Imigrasi Kelas I Bandung",
		   "Paspor biasa 48 halaman", SESSION_STAGE_AWAITING_PAYMENT, "2026-03-05",
		   "Bayar PNBP melalui bank persepsi, lalu datang untuk foto dan wawancara.", "");
}

struct json_ctx {
	const char *path;
	char where[64];
};

static int json_fail(const struct json_ctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "FILE: applications[2].stage: what" and returns -EBADMSG. */
static int json_fail(const struct json_ctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "station print receipt: %s: %s%s%s: ", c->path, c->where,
		c->where[0] && key[0] ? "." : "", key);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EBADMSG;
}

/* Copies the string member key of obj into dst (size bytes with the
 * NUL). A missing optional member leaves dst "". Too long is an error,
 * not a truncation: a cut NIK or id would print something else. */
static int json_string_field(const struct json_ctx *c, json_t *obj, const char *key, bool required,
			     char *dst, size_t size)
{
	json_t *v = json_object_get(obj, key);
	size_t len;

	dst[0] = '\0';
	if (!v)
		return required ? json_fail(c, key, "missing") : 0;
	if (!json_is_string(v))
		return json_fail(c, key, "must be a string");
	len = json_string_length(v);
	if (len >= size)
		return json_fail(c, key, "longer than %zu bytes", size - 1);
	memcpy(dst, json_string_value(v), len + 1);
	return 0;
}

static int json_only_keys(const struct json_ctx *c, json_t *obj, const char *const *keys)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		bool known = false;

		for (size_t i = 0; keys[i]; i++)
			known = known || strcmp(key, keys[i]) == 0;
		if (!known)
			return json_fail(c, key, "unknown member");
	}
	return 0;
}

static int json_app(struct json_ctx *c, json_t *obj, struct session_app *a)
{
	static const char *const keys[] = {"id",	 "agency",    "service",     "stage",
					   "updated_at", "next_step", "document_id", NULL};
	char stage[32];
	int r;

	if (!json_is_object(obj))
		return json_fail(c, "", "must be an object");
	r = json_only_keys(c, obj, keys);
	if (r >= 0)
		r = json_string_field(c, obj, "id", true, a->id, sizeof(a->id));
	if (r >= 0)
		r = json_string_field(c, obj, "agency", true, a->agency, sizeof(a->agency));
	if (r >= 0)
		r = json_string_field(c, obj, "service", true, a->service, sizeof(a->service));
	if (r >= 0)
		r = json_string_field(c, obj, "stage", true, stage, sizeof(stage));
	if (r >= 0)
		r = json_string_field(c, obj, "updated_at", false, a->updated_at,
				      sizeof(a->updated_at));
	if (r >= 0)
		r = json_string_field(c, obj, "next_step", false, a->next_step,
				      sizeof(a->next_step));
	if (r >= 0)
		r = json_string_field(c, obj, "document_id", false, a->document_id,
				      sizeof(a->document_id));
	if (r < 0)
		return r;
	a->stage = session_stage_from_string(stage);
	if ((int)a->stage < 0)
		return json_fail(c, "stage",
				 "unknown stage '%s' (received, verifying, needs_fix, processing, "
				 "awaiting_payment, ready, collected, rejected)",
				 stage);
	return 0;
}

static int json_result(struct json_ctx *c, json_t *root, struct session_lookup_result *res)
{
	static const char *const keys[] = {"holder_name", "nik", "applications", NULL};
	json_t *apps, *v;
	size_t i;
	int r;

	if (!json_is_object(root))
		return json_fail(c, "", "the top level must be an object");
	r = json_only_keys(c, root, keys);
	if (r >= 0)
		r = json_string_field(c, root, "holder_name", true, res->holder_name,
				      sizeof(res->holder_name));
	if (r >= 0)
		r = json_string_field(c, root, "nik", false, res->nik, sizeof(res->nik));
	if (r < 0)
		return r;
	if (res->nik[0]) {
		bool digits = strlen(res->nik) == 16;

		for (i = 0; digits && i < 16; i++)
			digits = res->nik[i] >= '0' && res->nik[i] <= '9';
		if (!digits)
			return json_fail(c, "nik", "must be 16 digits or empty");
	}
	apps = json_object_get(root, "applications");
	if (!apps)
		return json_fail(c, "applications", "missing");
	if (!json_is_array(apps))
		return json_fail(c, "applications", "must be an array");
	if (json_array_size(apps) > SESSION_MAX_APPS)
		return json_fail(c, "applications", "more than %d entries", SESSION_MAX_APPS);
	json_array_foreach(apps, i, v)
	{
		snprintf(c->where, sizeof(c->where), "applications[%zu]", i);
		r = json_app(c, v, &res->apps[i]);
		if (r < 0)
			return r;
		res->n_apps = i + 1;
	}
	return 0;
}

static void wipe_json_string(json_t *v)
{
	if (json_is_string(v))
		explicit_bzero((char *)(uintptr_t)json_string_value(v), json_string_length(v));
}

/* Loads and strictly checks a lookup file. 0, or a sysexits code after
 * printing why. */
static int load_json(const char *path, struct session_lookup_result *res)
{
	struct json_ctx c = {.path = path};
	json_error_t err;
	uint8_t *buf = NULL;
	size_t len = 0;
	json_t *root;
	int r;

	r = read_file(path, JSON_MAX_BYTES, &buf, &len);
	if (r < 0)
		return read_error("receipt", path, r);
	root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &err);
	explicit_bzero(buf, len);
	free(buf);
	if (!root) {
		/* jansson quotes the offending token ("near '...'"), which
		 * may be a piece of a name: keep the message, drop the quote. */
		char *near = strstr(err.text, " near '");

		if (near)
			*near = '\0';
		fprintf(stderr, "station print receipt: %s:%d:%d: %s\n", path, err.line, err.column,
			err.text);
		return EX_DATAERR;
	}
	*res = (struct session_lookup_result){0};
	r = json_result(&c, root, res);
	/* jansson keeps its own copies of the strings: wipe those too. */
	wipe_json_string(json_object_get(root, "holder_name"));
	wipe_json_string(json_object_get(root, "nik"));
	json_decref(root);
	if (r < 0) {
		explicit_bzero(res, sizeof(*res));
		return EX_DATAERR;
	}
	return EX_OK;
}

/* ---- receipt ------------------------------------------------------------ */

static int receipt_to_printer(const char *uri, const uint8_t *bytes, size_t len)
{
	struct receipt_printer *p = NULL;
	unsigned flags = 0;
	char words[96];
	int r, ret;

	r = receipt_printer_open(uri, &p);
	if (r < 0) {
		fprintf(stderr, "station print receipt: printer '%s': %s\n", uri,
			r == -EPROTONOSUPPORT ? "not available in this build"
			: r == -EINVAL	      ? "not a receipt printer URI"
					      : strerror(-r));
		return r == -EINVAL ? EX_USAGE : EX_UNAVAILABLE;
	}
	r = p->ops->get_status(p, &flags);
	if (r < 0) {
		fprintf(stderr, "station print receipt: printer status: %s\n",
			r == -ENODEV	  ? "printer not found (unplugged or switched off?)"
			: r == -EBADMSG	  ? "the printer's answer is not an ESC/POS status"
			: r == -ETIMEDOUT ? "the printer does not answer"
					  : strerror(-r));
		ret = EX_UNAVAILABLE;
		goto out;
	}
	if (flags & (RECEIPT_STATUS_OFFLINE | RECEIPT_STATUS_COVER_OPEN | RECEIPT_STATUS_PAPER_END |
		     RECEIPT_STATUS_ERROR)) {
		fprintf(stderr, "station print receipt: printer not ready: %s\n",
			receipt_status_words(flags, words, sizeof(words)));
		ret = EX_UNAVAILABLE;
		goto out;
	}
	r = p->ops->write_job(p, bytes, len);
	if (r < 0) {
		fprintf(stderr, "station print receipt: printing failed: %s\n", strerror(-r));
		ret = EX_IOERR;
		goto out;
	}
	flags = 0;
	(void)p->ops->get_status(p, &flags);
	printf("receipt: printed %zu bytes to %s (printer %s)\n", len, p->ops->name,
	       receipt_status_words(flags, words, sizeof(words)));
	ret = EX_OK;
out:
	receipt_printer_free(p);
	return ret;
}

static int print_receipt(int argc, char **argv)
{
	static const struct option options[] = {
		{"sample", no_argument, NULL, 'S'},
		{"json", required_argument, NULL, 'j'},
		{"png", required_argument, NULL, 'p'},
		{"escpos", required_argument, NULL, 'e'},
		{"printer", required_argument, NULL, 'P'},
		{"width", required_argument, NULL, 'w'},
		{"lang", required_argument, NULL, 'l'},
		{"station", required_argument, NULL, 's'},
		{"reference", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	static struct session_lookup_result empty;
	struct session_lookup_result *res = NULL;
	const char *json = NULL, *png = NULL, *escpos = NULL, *printer = NULL;
	const char *station = DEFAULT_STATION, *reference = NULL;
	bool sample = false, english = false;
	int width = RECEIPT_WIDTH_80MM, n_out, c, r, ret;
	char default_ref[128];
	cairo_surface_t *surface = NULL;
	uint8_t *bytes = NULL;
	size_t len = 0;
	time_t now = time(NULL);

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
		switch (c) {
		case 'S':
			sample = true;
			break;
		case 'j':
			json = optarg;
			break;
		case 'p':
			png = optarg;
			break;
		case 'e':
			escpos = optarg;
			break;
		case 'P':
			printer = optarg;
			break;
		case 'w':
			if (strcmp(optarg, "384") == 0) {
				width = RECEIPT_WIDTH_58MM;
			} else if (strcmp(optarg, "576") == 0) {
				width = RECEIPT_WIDTH_80MM;
			} else {
				fprintf(stderr,
					"station print receipt: --width must be 384 or "
					"576, not '%s'\n",
					optarg);
				return EX_USAGE;
			}
			break;
		case 'l':
			if (strcmp(optarg, "id") != 0 && strcmp(optarg, "en") != 0) {
				fprintf(stderr, "station print receipt: --lang must be id or en\n");
				return EX_USAGE;
			}
			english = strcmp(optarg, "en") == 0;
			break;
		case 's':
			station = optarg;
			break;
		case 'r':
			reference = optarg;
			break;
		case 'h':
			receipt_usage(stdout);
			return EX_OK;
		default:
			receipt_usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "station print receipt: unexpected argument '%s'\n", argv[optind]);
		return EX_USAGE;
	}
	if (sample == !!json) {
		fprintf(stderr, "station print receipt: give one of --sample or --json FILE\n");
		return EX_USAGE;
	}
	n_out = !!png + !!escpos + !!printer;
	if (n_out != 1) {
		fprintf(stderr,
			"station print receipt: give one of --png, --escpos or --printer\n");
		return EX_USAGE;
	}
	if (!reference) {
		/* Like the kiosk's: station and time, nothing about the person. */
		snprintf(default_ref, sizeof(default_ref), "MPP-RCPT:%s:0:%lld", station,
			 (long long)now);
		reference = default_ref;
	}

	res = malloc(sizeof(*res));
	if (!res) {
		ret = EX_OSERR;
		goto out;
	}
	*res = empty;
	if (sample) {
		sample_result(res);
	} else {
		ret = load_json(json, res);
		if (ret != EX_OK)
			goto out;
	}

	{
		struct receipt_info info = {
			.station_id = station,
			.when = now,
			.english = english,
			.reference = reference,
			.width_dots = width,
		};

		r = receipt_render(&info, res, &surface);
	}
	if (r < 0) {
		fprintf(stderr, "station print receipt: cannot lay out the receipt: %s\n",
			r == -ERANGE ? "reference too long for a QR code" : strerror(-r));
		ret = r == -ERANGE ? EX_USAGE : EX_SOFTWARE;
		goto out;
	}
	if (png) {
		cairo_status_t st = cairo_surface_write_to_png(surface, png);

		if (st != CAIRO_STATUS_SUCCESS) {
			fprintf(stderr, "station print receipt: cannot write %s: %s\n", png,
				cairo_status_to_string(st));
			ret = EX_CANTCREAT;
			goto out;
		}
		ret = EX_OK;
		goto out;
	}
	r = escpos_encode_raster(surface, &bytes, &len);
	if (r < 0) {
		fprintf(stderr, "station print receipt: cannot encode: %s\n", strerror(-r));
		ret = EX_SOFTWARE;
		goto out;
	}
	if (escpos)
		ret = write_file(escpos, bytes, len);
	else
		ret = receipt_to_printer(printer, bytes, len);
out:
	if (surface)
		cairo_surface_destroy(surface);
	free(bytes);
	if (res)
		explicit_bzero(res, sizeof(*res));
	free(res);
	return ret;
}

/* ---- decode -------------------------------------------------------------- */

static int print_decode(int argc, char **argv)
{
	static const struct option options[] = {
		{"png", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *png = NULL, *in;
	cairo_surface_t *surface = NULL;
	cairo_status_t st;
	uint8_t *buf = NULL;
	size_t len = 0;
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
		switch (c) {
		case 'p':
			png = optarg;
			break;
		case 'h':
			decode_usage(stdout);
			return EX_OK;
		default:
			decode_usage(stderr);
			return EX_USAGE;
		}
	}
	if (argc - optind != 1 || !png) {
		fprintf(stderr, "station print decode: give one FILE.escpos and --png OUT\n");
		return EX_USAGE;
	}
	in = argv[optind];
	r = read_file(in, ESCPOS_MAX_BYTES, &buf, &len);
	if (r < 0)
		return read_error("decode", in, r);
	r = escpos_decode(buf, len, &surface);
	free(buf);
	if (r < 0) {
		fprintf(stderr, "station print decode: %s: %s\n", in,
			r == -EBADMSG	? "unknown or truncated ESC/POS command"
			: r == -EFBIG	? "image larger than a receipt can be"
			: r == -ENODATA ? "nothing printed"
					: strerror(-r));
		return r == -ENOMEM ? EX_OSERR : EX_DATAERR;
	}
	st = cairo_surface_write_to_png(surface, png);
	cairo_surface_destroy(surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "station print decode: cannot write %s: %s\n", png,
			cairo_status_to_string(st));
		return EX_CANTCREAT;
	}
	return EX_OK;
}

/* ---- document ------------------------------------------------------------ */

/* Progress on stderr, so that stdout carries only the final state. */
static void document_progress(void *userdata, const char *state)
{
	const struct timespec *start = userdata;
	struct timespec now;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - start->tv_sec) * 1e3 +
	     (double)(now.tv_nsec - start->tv_nsec) / 1e6;
	fprintf(stderr, "[%8.1f ms] %s\n", ms, state);
}

static int print_document(int argc, char **argv)
{
	static const struct option options[] = {
		{"printer", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *uri = NULL, *in;
	struct document_printer *p = NULL;
	enum session_print_result result;
	struct timespec start;
	uint8_t *buf = NULL;
	size_t len = 0;
	int c, r, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
		switch (c) {
		case 'P':
			uri = optarg;
			break;
		case 'h':
			document_usage(stdout);
			return EX_OK;
		default:
			document_usage(stderr);
			return EX_USAGE;
		}
	}
	if (argc - optind != 1 || !uri) {
		fprintf(stderr, "station print document: give one FILE.pdf and --printer URI\n");
		return EX_USAGE;
	}
	in = argv[optind];
	r = read_file(in, PDF_MAX_BYTES, &buf, &len);
	if (r < 0)
		return read_error("document", in, r);
	r = document_printer_open(uri, &p);
	if (r < 0) {
		fprintf(stderr, "station print document: printer '%s': %s\n", uri,
			r == -EINVAL ? "not a document printer URI" : strerror(-r));
		ret = r == -EINVAL ? EX_USAGE : EX_UNAVAILABLE;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	p->hooks =
		(struct document_printer_hooks){.progress = document_progress, .userdata = &start};
	/* The job name goes to printer queues and logs: never the file
	 * name, which may hold a citizen's name. */
	r = p->ops->print_job(p, "station print document", buf, len, &result);
	if (r < 0) {
		fprintf(stderr, "station print document: printer unreachable: %s\n", strerror(-r));
		ret = EX_UNAVAILABLE;
		goto out;
	}
	printf("document: %s\n", session_print_result_to_string(result));
	switch (result) {
	case SESSION_PRINT_OK:
		ret = EX_OK;
		break;
	case SESSION_PRINT_PAPER_OUT:
	case SESSION_PRINT_COVER_OPEN:
	case SESSION_PRINT_OFFLINE:
		ret = EX_UNAVAILABLE;
		break;
	default:
		if (len < 5 || memcmp(buf, "%PDF-", 5) != 0) {
			fprintf(stderr, "station print document: %s: not a PDF\n", in);
			ret = EX_DATAERR;
		} else {
			ret = EX_IOERR;
		}
		break;
	}
out:
	document_printer_free(p);
	free(buf);
	return ret;
}

int cmd_print(int argc, char **argv)
{
	const char *sub;

	if (argc < 2) {
		print_usage(stderr);
		return EX_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		print_usage(stdout);
		return EX_OK;
	}
	if (strcmp(sub, "receipt") == 0)
		return print_receipt(argc - 1, argv + 1);
	if (strcmp(sub, "decode") == 0)
		return print_decode(argc - 1, argv + 1);
	if (strcmp(sub, "document") == 0)
		return print_document(argc - 1, argv + 1);
	fprintf(stderr, "station print: unknown command '%s' (receipt, document, decode)\n", sub);
	return EX_USAGE;
}
