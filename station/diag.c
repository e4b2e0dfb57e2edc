/* SPDX-License-Identifier: MIT */
/*
 * The diagnostics report (diag.h). One static function per section, each
 * returning its JSON object with "verdict", "required" and "summary"
 * first, then the section's own fields (docs/diag.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/videodev2.h>

#include <SDL.h>
#include <cairo.h>
#include <cups/cups.h>
#include <curl/curl.h>
#include <libusb.h>
#include <microhttpd.h>
#include <pango/pango.h>
#include <qrencode.h>
#include <sodium.h>
#include <sqlite3.h>
#include <zbar.h>

#include <PCSC/pcsclite.h>
#include <PCSC/winscard.h>

#include "backend-http.h"
#include "backend.h"
#include "confirm-queue.h"
#include "diag.h"
#include "document-printer.h"
#include "ektp.h"
#include "fault-log.h"
#include "journal.h"
#include "receipt-printer.h"
#include "version.h"

/* Below this much free space in the state directory the journal and the
 * audit trail may soon fail to grow. */
#define STATE_DIR_MIN_FREE_BYTES (100ull << 20)
#define STATE_DIR_MIN_FREE_PCT	 5
/* A lookup slower than this breaks the 1 s promise of DESIGN.md. */
#define BACKEND_SLOW_MS 1000
/* A print job unfinished for longer than this is stuck, not printing. */
#define JOURNAL_STUCK_S (10 * 60)
/* The fault log entries the report shows, newest first. */
#define FAULTS_SHOWN 20
/* A backend certificate that expires sooner than this needs renewing. */
#define CERT_WARN_DAYS 14
/* A clock this far from the backend's breaks QR token expiry. */
#define CLOCK_SKEW_MAX_S 120
/* A card no backend knows: 4 bytes of zero, which no ISO 14443 card gives
 * as its UID. Asking for it tells "reachable" (-ENOENT) from the rest. */
static const uint8_t unknown_uid[4] = {0, 0, 0, 0};

static const char *const verdict_names[_DIAG_VERDICT_MAX] = {
	[DIAG_OK] = "ok",
	[DIAG_DEGRADED] = "degraded",
	[DIAG_FAILED] = "failed",
};

const char *diag_verdict_to_string(enum diag_verdict v)
{
	if (v < 0 || v >= _DIAG_VERDICT_MAX)
		return NULL;
	return verdict_names[v];
}

enum diag_verdict diag_section_verdict(const json_t *section)
{
	const char *vs = json_string_value(json_object_get(section, "verdict"));

	for (int v = DIAG_OK; vs && v < _DIAG_VERDICT_MAX; v++)
		if (strcmp(vs, verdict_names[v]) == 0)
			return (enum diag_verdict)v;
	return _DIAG_VERDICT_INVALID;
}

int diag_verdict_to_exit_code(enum diag_verdict v)
{
	return v == DIAG_OK ? 0 : v == DIAG_DEGRADED ? 1 : 2;
}

/* A section object: the common fields first, so that they lead the text
 * form too. NULL on ENOMEM. */
static json_t *section_new(enum diag_verdict v, bool required, const char *summary)
{
	return json_pack("{ss sb ss}", "verdict", diag_verdict_to_string(v), "required", required,
			 "summary", summary);
}

static void section_set(json_t *s, enum diag_verdict v, const char *summary)
{
	json_object_set_new(s, "verdict", json_string(diag_verdict_to_string(v)));
	json_object_set_new(s, "summary", json_string(summary));
}

/* A URI without its user:password@ part (an ipp:// or https:// URI may
 * carry credentials). */
static json_t *uri_json(const char *uri)
{
	const char *scheme = strstr(uri, "://"), *at, *end;
	char buf[CONFIG_PATH_MAX + 8];

	if (!*uri)
		return json_null();
	if (!scheme)
		return json_string(uri);
	end = scheme + 3 + strcspn(scheme + 3, "/?#");
	at = memchr(scheme + 3, '@', (size_t)(end - (scheme + 3)));
	if (!at)
		return json_string(uri);
	snprintf(buf, sizeof(buf), "%.*s***@%s", (int)(scheme + 3 - uri), uri, at + 1);
	return json_string(buf);
}

/* ---- build and versions ------------------------------------------------ */

static json_t *section_build(void)
{
	json_t *s = section_new(DIAG_OK, true, "station " STATION_VERSION);
	json_t *libs = json_object();
	char buf[64];
	unsigned zmaj = 0, zmin = 0, zpatch = 0;
	SDL_version sdl;
	const struct libusb_version *usb = libusb_get_version();
	const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);

	if (!s || !libs) {
		json_decref(s);
		json_decref(libs);
		return NULL;
	}
	/* Run-time versions where the library can tell (a package upgrade
	 * changes them without a rebuild), else the ones built against. */
	json_object_set_new(libs, "pcsc-lite", json_string(PCSCLITE_VERSION_NUMBER));
	zbar_version(&zmaj, &zmin, &zpatch);
	snprintf(buf, sizeof(buf), "%u.%u.%u", zmaj, zmin, zpatch);
	json_object_set_new(libs, "zbar", json_string(buf));
	json_object_set_new(libs, "cairo", json_string(cairo_version_string()));
	json_object_set_new(libs, "pango", json_string(pango_version_string()));
	SDL_GetVersion(&sdl);
	snprintf(buf, sizeof(buf), "%u.%u.%u", sdl.major, sdl.minor, sdl.patch);
	json_object_set_new(libs, "sdl", json_string(buf));
	json_object_set_new(libs, "libcurl", json_string(curl ? curl->version : "unknown"));
	json_object_set_new(libs, "ssl",
			    json_string(curl && curl->ssl_version ? curl->ssl_version : "none"));
	json_object_set_new(libs, "jansson", json_string(jansson_version_str()));
	json_object_set_new(libs, "sqlite", json_string(sqlite3_libversion()));
	json_object_set_new(libs, "libsodium", json_string(sodium_version_string()));
	snprintf(buf, sizeof(buf), "%u.%u.%u", usb->major, usb->minor, usb->micro);
	json_object_set_new(libs, "libusb", json_string(buf));
	snprintf(buf, sizeof(buf), "%d.%d.%d", CUPS_VERSION_MAJOR, CUPS_VERSION_MINOR,
		 CUPS_VERSION_PATCH);
	json_object_set_new(libs, "libcups", json_string(buf));
	json_object_set_new(libs, "libmicrohttpd", json_string(MHD_get_version()));
	json_object_set_new(libs, "libqrencode", json_string(QRcode_APIVersionString()));
	json_object_set_new(s, "version", json_string(STATION_VERSION));
	json_object_set_new(s, "compiler", json_string(__VERSION__));
	json_object_set_new(s, "libraries", libs);
	return s;
}

/* ---- configuration ----------------------------------------------------- */

static json_t *section_config(const struct diag_options *opt)
{
	const struct station_config *c = opt->config;
	json_t *s;
	char summary[CONFIG_PATH_MAX + 128];
	enum diag_verdict v = DIAG_OK;

	if (opt->config_error) {
		snprintf(summary, sizeof(summary), "%s: %s",
			 opt->config_path ? opt->config_path : CONFIG_DEFAULT_PATH,
			 opt->config_error == -EINVAL ? "invalid (station config check lists why)"
						      : strerror(-opt->config_error));
		v = DIAG_FAILED;
	} else if (!opt->config_path) {
		snprintf(summary, sizeof(summary),
			 "no configuration file: the defaults (simulators)");
		v = DIAG_DEGRADED;
	} else {
		snprintf(summary, sizeof(summary), "%s, station %s", opt->config_path,
			 c->station_id);
	}
	s = section_new(v, true, summary);
	if (!s)
		return NULL;
	json_object_set_new(s, "path",
			    opt->config_path ? json_string(opt->config_path) : json_null());
	json_object_set_new(s, "station_id",
			    c->station_id[0] ? json_string(c->station_id) : json_null());
	json_object_set_new(s, "state_dir", json_string(c->state_dir));
	json_object_set_new(s, "log_level", json_string(config_log_level_to_string(c->log_level)));
	json_object_set_new(s, "language", json_string(c->english ? "en" : "id"));
	json_object_set_new(s, "card_backend", json_string(c->card_backend));
	json_object_set_new(s, "card_reader", json_string(c->card_reader));
	json_object_set_new(s, "sam_reader", json_string(c->sam_reader));
	/* 0: the built-in e-KTP ATRs. Whether photos are read is a privacy
	 * setting an auditor asks about. */
	json_object_set_new(s, "card_atr_patterns", json_integer((json_int_t)c->n_card_atr));
	json_object_set_new(s, "card_read_photo", json_boolean(c->card_read_photo));
	json_object_set_new(s, "card_read_timeout_s",
			    json_integer((json_int_t)(c->card_read_timeout_ms / 1000)));
	json_object_set_new(s, "camera_backend", json_string(c->camera_backend));
	json_object_set_new(s, "camera_device", json_string(c->camera_device));
	json_object_set_new(s, "receipt_printer", uri_json(c->receipt_printer));
	json_object_set_new(s, "document_printer", uri_json(c->document_printer));
	json_object_set_new(s, "backend_url", uri_json(c->backend_url));
	json_object_set_new(s, "qr_keys", json_integer((json_int_t)c->n_qr_keys));
	/* Where the secrets are, and whether that file is safe: never what
	 * is in it. */
	json_object_set_new(s, "secrets_file",
			    c->secrets_file[0] ? json_string(c->secrets_file) : json_null());
	if (!opt->config_error && c->secrets_file[0]) {
		struct stat st;

		if (stat(c->secrets_file, &st) < 0) {
			section_set(s, DIAG_FAILED, "the secrets file is missing");
		} else if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
			section_set(s, DIAG_FAILED,
				    "the secrets file is readable by others (chmod 600 it)");
		}
	}
	return s;
}

/* ---- pcscd ----------------------------------------------------------------- */

static void hex(const uint8_t *b, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 3 <= size; i++)
		o += (size_t)snprintf(out + o, size - o, "%02X", b[i]);
	if (size)
		out[o < size ? o : size - 1] = '\0';
}

static json_t *section_pcscd(const struct station_config *c)
{
	bool required = strcmp(c->card_backend, "pcsc") == 0;
	SCARDCONTEXT ctx = 0;
	DWORD len = 0;
	LPSTR names = NULL;
	json_t *s, *readers;
	char summary[256];
	LONG rv;

	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv != SCARD_S_SUCCESS) {
		snprintf(summary, sizeof(summary), "pcscd unreachable: %s",
			 pcsc_stringify_error(rv));
		return section_new(DIAG_FAILED, required, summary);
	}
	readers = json_array();
	rv = SCardListReaders(ctx, NULL, NULL, &len);
	if (rv == SCARD_S_SUCCESS && len > 0) {
		names = calloc(1, len);
		if (!names || SCardListReaders(ctx, NULL, names, &len) != SCARD_S_SUCCESS)
			len = 0;
	}
	for (const char *p = names; p && len && *p; p += strlen(p) + 1) {
		SCARD_READERSTATE st = {.szReader = p, .dwCurrentState = SCARD_STATE_UNAWARE};
		json_t *r = json_pack("{ss}", "name", p);
		char atr[2 * MAX_ATR_SIZE + 1] = "";

		/* Timeout 0: the state as pcscd knows it now. The ATR names
		 * the card type; it carries nothing personal. */
		if (SCardGetStatusChange(ctx, 0, &st, 1) == SCARD_S_SUCCESS) {
			bool present = st.dwEventState & SCARD_STATE_PRESENT;

			json_object_set_new(r, "card_present", json_boolean(present));
			if (present && st.cbAtr) {
				size_t n_table;
				const struct ektp_atr_pattern *table =
					ektp_atr_default_table(&n_table);
				int idx = ektp_atr_match(table, n_table, st.rgbAtr, st.cbAtr);

				hex(st.rgbAtr, st.cbAtr, atr, sizeof(atr));
				json_object_set_new(r, "atr", json_string(atr));
				/* The ATR patterns the reader accepts as an e-KTP. */
				json_object_set_new(r, "card_type",
						    json_string(idx >= 0 ? "ektp" : "unknown"));
				if (idx >= 0)
					json_object_set_new(r, "card_model",
							    json_string(table[idx].name));
			}
		}
		json_array_append_new(readers, r);
	}
	free(names);
	SCardReleaseContext(ctx);
	if (json_array_size(readers) == 0) {
		s = section_new(required ? DIAG_FAILED : DIAG_DEGRADED, required,
				"pcscd is running, no reader is connected");
	} else {
		snprintf(summary, sizeof(summary), "pcscd is running, %zu reader(s)",
			 json_array_size(readers));
		s = section_new(DIAG_OK, required, summary);
	}
	if (s)
		json_object_set_new(s, "readers", readers);
	else
		json_decref(readers);
	return s;
}

/* ---- USB ------------------------------------------------------------------- */

static const char *speed_to_string(int speed)
{
	switch (speed) {
	case LIBUSB_SPEED_LOW:
		return "low";
	case LIBUSB_SPEED_FULL:
		return "full";
	case LIBUSB_SPEED_HIGH:
		return "high";
	case LIBUSB_SPEED_SUPER:
		return "super";
	case LIBUSB_SPEED_SUPER_PLUS:
		return "super+";
	default:
		return "unknown";
	}
}

/* The configured usb://VID:PID of the receipt printer, if it is one. */
static bool configured_usb(const char *uri, unsigned *ret_vid, unsigned *ret_pid)
{
	unsigned vid, pid;

	if (strncmp(uri, "usb://", 6) != 0 || sscanf(uri + 6, "%4x:%4x", &vid, &pid) != 2)
		return false;
	*ret_vid = vid;
	*ret_pid = pid;
	return true;
}

static json_t *usb_device_json(libusb_device *dev, const struct libusb_device_descriptor *d,
			       bool *ret_printer)
{
	struct libusb_config_descriptor *cfg = NULL;
	uint8_t ports[8];
	char path[64], id[16];
	int n, o;
	bool printer = d->bDeviceClass == LIBUSB_CLASS_PRINTER, reader = false, camera = false;
	json_t *classes = json_array(), *r;

	o = snprintf(path, sizeof(path), "%u", libusb_get_bus_number(dev));
	n = libusb_get_port_numbers(dev, ports, (int)sizeof(ports));
	for (int i = 0; i < n && o > 0 && (size_t)o < sizeof(path); i++)
		o += snprintf(path + o, sizeof(path) - (size_t)o, "%c%u", i ? '.' : '-', ports[i]);
	json_array_append_new(classes, json_integer(d->bDeviceClass));
	/* The class of a composite device is in its interfaces; the config
	 * descriptor comes from sysfs, without opening the device. */
	if (libusb_get_active_config_descriptor(dev, &cfg) == 0) {
		for (unsigned i = 0; i < cfg->bNumInterfaces; i++) {
			for (int a = 0; a < cfg->interface[i].num_altsetting; a++) {
				uint8_t k = cfg->interface[i].altsetting[a].bInterfaceClass;

				printer |= k == LIBUSB_CLASS_PRINTER;
				reader |= k == LIBUSB_CLASS_SMART_CARD;
				camera |= k == LIBUSB_CLASS_VIDEO;
				if (a == 0)
					json_array_append_new(classes, json_integer(k));
			}
		}
		libusb_free_config_descriptor(cfg);
	}
	snprintf(id, sizeof(id), "%04x:%04x", d->idVendor, d->idProduct);
	r = json_pack("{ss ss so ss sb sb sb}", "id", id, "bus_path", path, "classes", classes,
		      "speed", speed_to_string(libusb_get_device_speed(dev)), "printer", printer,
		      "card_reader", reader, "camera", camera);
	*ret_printer = printer;
	return r;
}

static json_t *section_usb(const struct station_config *c)
{
	unsigned want_vid = 0, want_pid = 0;
	bool want = configured_usb(c->receipt_printer, &want_vid, &want_pid), found = false;
	libusb_context *usb = NULL;
	libusb_device **list = NULL;
	ssize_t n;
	size_t printers = 0;
	json_t *s, *devices;
	char summary[160];
	int r;

	r = libusb_init(&usb);
	if (r < 0) {
		snprintf(summary, sizeof(summary), "libusb cannot start: %s", libusb_strerror(r));
		return section_new(DIAG_FAILED, want, summary);
	}
	n = libusb_get_device_list(usb, &list);
	if (n < 0) {
		snprintf(summary, sizeof(summary), "cannot list USB devices: %s",
			 libusb_strerror((int)n));
		libusb_exit(usb);
		return section_new(DIAG_FAILED, want, summary);
	}
	devices = json_array();
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		bool printer = false;

		if (libusb_get_device_descriptor(list[i], &d) < 0)
			continue;
		json_array_append_new(devices, usb_device_json(list[i], &d, &printer));
		printers += printer;
		found |= want && d.idVendor == want_vid && d.idProduct == want_pid;
	}
	libusb_free_device_list(list, 1);
	libusb_exit(usb);
	if (want && !found) {
		snprintf(summary, sizeof(summary),
			 "the receipt printer %04x:%04x is not connected (%zu device(s))", want_vid,
			 want_pid, json_array_size(devices));
		s = section_new(DIAG_FAILED, true, summary);
	} else {
		snprintf(summary, sizeof(summary), "%zu device(s), %zu printer(s)",
			 json_array_size(devices), printers);
		s = section_new(DIAG_OK, want, summary);
	}
	if (s)
		json_object_set_new(s, "devices", devices);
	else
		json_decref(devices);
	return s;
}

/* ---- cameras --------------------------------------------------------------- */

const char *diag_fourcc(uint32_t fourcc, char buf[static 5])
{
	for (int i = 0; i < 4; i++) {
		char c = (char)((fourcc >> (8 * i)) & 0xFF);

		buf[i] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	buf[4] = '\0';
	/* Big-endian variants set the top bit; the name is the same. */
	if (fourcc & (1u << 31))
		buf[3] = (char)((fourcc >> 24) & 0x7F);
	return buf;
}

bool diag_camera_format_usable(uint32_t fourcc)
{
	/* What camera-v4l2.c negotiates: grey, YUYV (its luma) or MJPEG. */
	return fourcc == V4L2_PIX_FMT_GREY || fourcc == V4L2_PIX_FMT_YUYV ||
	       fourcc == V4L2_PIX_FMT_MJPEG;
}

/* The sizes of one format: "640x480" each when the driver lists them
 * (at most 16), or "WxH-WxH" for a range. */
static json_t *camera_sizes(int fd, uint32_t fourcc)
{
	json_t *sizes = json_array();
	char buf[64];

	for (uint32_t i = 0; i < 16; i++) {
		struct v4l2_frmsizeenum fs = {.index = i, .pixel_format = fourcc};

		if (ioctl(fd, VIDIOC_ENUM_FRAMESIZES, &fs) < 0)
			break;
		if (fs.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
			snprintf(buf, sizeof(buf), "%ux%u", fs.discrete.width, fs.discrete.height);
		} else {
			snprintf(buf, sizeof(buf), "%ux%u-%ux%u", fs.stepwise.min_width,
				 fs.stepwise.min_height, fs.stepwise.max_width,
				 fs.stepwise.max_height);
			json_array_append_new(sizes, json_string(buf));
			break;
		}
		json_array_append_new(sizes, json_string(buf));
	}
	return sizes;
}

/* Every capture format the driver offers, and whether the station can
 * read it; true in *ret_usable when one is. */
static json_t *camera_formats(int fd, bool *ret_usable)
{
	json_t *formats = json_array();

	*ret_usable = false;
	for (uint32_t i = 0; i < 64; i++) {
		struct v4l2_fmtdesc fd_ = {.index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE};
		char cc[5];
		bool usable;

		if (ioctl(fd, VIDIOC_ENUM_FMT, &fd_) < 0)
			break;
		usable = diag_camera_format_usable(fd_.pixelformat);
		*ret_usable |= usable;
		json_array_append_new(
			formats,
			json_pack("{ss s:s% sb so}", "fourcc", diag_fourcc(fd_.pixelformat, cc),
				  "description", (const char *)fd_.description,
				  strnlen((const char *)fd_.description, sizeof(fd_.description)),
				  "usable", usable, "sizes", camera_sizes(fd, fd_.pixelformat)));
	}
	return formats;
}

static json_t *camera_json(const char *path, bool *ret_capture)
{
	struct v4l2_capability cap = {0};
	json_t *o = json_pack("{ss}", "device", path);
	int fd;

	*ret_capture = false;
	/* Non-blocking: a camera busy with another process must not hang
	 * the report. QUERYCAP does not start streaming. */
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		json_object_set_new(o, "error", json_string(strerror(errno)));
		return o;
	}
	if (ioctl(fd, VIDIOC_QUERYCAP, &cap) == 0) {
		uint32_t caps = cap.capabilities & V4L2_CAP_DEVICE_CAPS ? cap.device_caps
									: cap.capabilities;

		*ret_capture = caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE);
		if (*ret_capture) {
			bool usable;

			json_object_set_new(o, "formats", camera_formats(fd, &usable));
			json_object_set_new(o, "usable", json_boolean(usable));
			/* A camera we cannot read is no camera for the station. */
			*ret_capture = usable;
		}
		json_object_set_new(
			o, "card",
			json_stringn((const char *)cap.card,
				     strnlen((const char *)cap.card, sizeof(cap.card))));
		json_object_set_new(
			o, "driver",
			json_stringn((const char *)cap.driver,
				     strnlen((const char *)cap.driver, sizeof(cap.driver))));
	} else {
		json_object_set_new(o, "error", json_string(strerror(errno)));
	}
	json_object_set_new(o, "capture", json_boolean(*ret_capture));
	close(fd);
	return o;
}

static json_t *section_cameras(const struct station_config *c)
{
	bool required = strcmp(c->camera_backend, "v4l2") == 0, configured_ok = false;
	glob_t g = {0};
	json_t *s, *list = json_array();
	size_t capture = 0;
	char summary[CONFIG_PATH_MAX + 128];

	if (glob("/dev/video*", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			bool cap;

			json_array_append_new(list, camera_json(g.gl_pathv[i], &cap));
			capture += cap;
			configured_ok |= cap && strcmp(g.gl_pathv[i], c->camera_device) == 0;
		}
	}
	globfree(&g);
	if (required && !configured_ok) {
		snprintf(summary, sizeof(summary),
			 "the configured camera %s is missing or cannot capture (%zu camera(s))",
			 c->camera_device, capture);
		s = section_new(DIAG_FAILED, required, summary);
	} else if (capture == 0) {
		s = section_new(required ? DIAG_FAILED : DIAG_DEGRADED, required,
				"no V4L2 camera that can capture");
	} else {
		snprintf(summary, sizeof(summary), "%zu camera(s) that can capture", capture);
		s = section_new(DIAG_OK, required, summary);
	}
	if (s)
		json_object_set_new(s, "devices", list);
	else
		json_decref(list);
	return s;
}

/* ---- state directory ------------------------------------------------------- */

static json_t *section_state_dir(const struct station_config *c)
{
	struct statvfs vfs;
	struct stat st;
	uint64_t free_b, total_b;
	unsigned pct;
	char summary[CONFIG_PATH_MAX + 128];
	json_t *s;

	if (stat(c->state_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		int e = errno;

		snprintf(summary, sizeof(summary), "%s: %s", c->state_dir,
			 stat(c->state_dir, &st) < 0 ? strerror(e) : "not a directory");
		return section_new(DIAG_FAILED, true, summary);
	}
	if (statvfs(c->state_dir, &vfs) < 0) {
		snprintf(summary, sizeof(summary), "%s: %s", c->state_dir, strerror(errno));
		return section_new(DIAG_FAILED, true, summary);
	}
	free_b = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	total_b = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	pct = total_b ? (unsigned)(free_b * 100 / total_b) : 0;
	if (access(c->state_dir, W_OK | X_OK) < 0) {
		snprintf(summary, sizeof(summary), "%s is not writable: %s", c->state_dir,
			 strerror(errno));
		s = section_new(DIAG_FAILED, true, summary);
	} else if (free_b < STATE_DIR_MIN_FREE_BYTES || pct < STATE_DIR_MIN_FREE_PCT) {
		snprintf(summary, sizeof(summary), "%s: only %llu MiB (%u %%) free", c->state_dir,
			 (unsigned long long)(free_b >> 20), pct);
		s = section_new(DIAG_DEGRADED, true, summary);
	} else {
		snprintf(summary, sizeof(summary), "%s: %llu MiB (%u %%) free", c->state_dir,
			 (unsigned long long)(free_b >> 20), pct);
		s = section_new(DIAG_OK, true, summary);
	}
	if (s) {
		json_object_set_new(s, "path", json_string(c->state_dir));
		json_object_set_new(s, "free_bytes", json_integer((json_int_t)free_b));
		json_object_set_new(s, "total_bytes", json_integer((json_int_t)total_b));
		json_object_set_new(s, "free_percent", json_integer(pct));
	}
	return s;
}

/* ---- journal and confirmations --------------------------------------------- */

static void iso_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "1970-01-01T00:00:00Z");
}

static json_t *section_journal(const struct station_config *c)
{
	struct journal_summary sum = {0};
	char path[CONFIG_PATH_MAX + 32], summary[256], when[32];
	unsigned confirms = 0;
	int rj, rc;
	enum diag_verdict v = DIAG_OK;
	json_t *s, *states;

	snprintf(path, sizeof(path), "%s/print-journal.db", c->state_dir);
	rj = journal_summarize(path, &sum);
	snprintf(path, sizeof(path), "%s/confirmations.db", c->state_dir);
	rc = confirm_queue_count_pending(path, &confirms);
	if ((rj < 0 && rj != -ENOENT) || (rc < 0 && rc != -ENOENT)) {
		snprintf(summary, sizeof(summary), "the %s cannot be read: %s",
			 rj < 0 && rj != -ENOENT ? "print journal" : "confirmation queue",
			 strerror(-(rj < 0 && rj != -ENOENT ? rj : rc)));
		v = DIAG_FAILED;
	} else if (rj == -ENOENT && rc == -ENOENT) {
		snprintf(summary, sizeof(summary), "no journal yet (the station has not run)");
	} else {
		bool stuck =
			sum.pending && (int64_t)time(NULL) - sum.oldest_pending_s > JOURNAL_STUCK_S;

		if (stuck || confirms > 0)
			v = DIAG_DEGRADED;
		snprintf(summary, sizeof(summary),
			 "%u print job(s) pending%s, %u confirmation(s) not acknowledged",
			 sum.pending, stuck ? " (stuck for over 10 min)" : "", confirms);
	}
	s = section_new(v, true, summary);
	states = json_object();
	if (!s || !states) {
		json_decref(s);
		json_decref(states);
		return NULL;
	}
	for (int i = 0; i < _JOURNAL_STATE_MAX; i++)
		json_object_set_new(states, journal_state_to_string((enum journal_state)i),
				    json_integer(sum.by_state[i]));
	json_object_set_new(s, "present", json_boolean(rj >= 0));
	json_object_set_new(s, "pending_jobs", json_integer(sum.pending));
	json_object_set_new(s, "jobs", states);
	if (sum.pending) {
		iso_time(sum.oldest_pending_s, when, sizeof(when));
		json_object_set_new(s, "oldest_pending", json_string(when));
	} else {
		json_object_set_new(s, "oldest_pending", json_null());
	}
	json_object_set_new(s, "confirmations_owed", json_integer(sum.confirmations_owed));
	json_object_set_new(s, "unsent_confirmations", json_integer(confirms));
	return s;
}

/* ---- the fault log ----------------------------------------------------------- */

static json_t *section_faults(const struct station_config *c)
{
	struct fault_log_entry e[FAULTS_SHOWN];
	char path[CONFIG_PATH_MAX + 32], summary[256], when[32];
	json_t *s, *list;
	int n;

	snprintf(path, sizeof(path), "%s/faults.db", c->state_dir);
	n = fault_log_read(path, e, FAULTS_SHOWN);
	if (n < 0 && n != -ENOENT) {
		snprintf(summary, sizeof(summary), "the fault log cannot be read: %s",
			 strerror(-n));
		return section_new(DIAG_DEGRADED, true, summary);
	}
	if (n <= 0) {
		snprintf(summary, sizeof(summary), "no device fault recorded");
	} else {
		iso_time(e[0].at, when, sizeof(when));
		snprintf(summary, sizeof(summary), "last: %s %s at %s (%d shown)", e[0].device,
			 strcmp(e[0].state, "ok") == 0 ? "recovered" : e[0].state, when, n);
	}
	/* Past faults inform; the device sections say how things are now. */
	s = section_new(DIAG_OK, true, summary);
	list = json_array();
	if (!s || !list) {
		json_decref(s);
		json_decref(list);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		iso_time(e[i].at, when, sizeof(when));
		json_array_append_new(list, json_pack("{ss ss ss ss}", "time", when, "device",
						      e[i].device, "from", e[i].from, "state",
						      e[i].state));
	}
	json_object_set_new(s, "entries", list);
	return s;
}

/* ---- printers -------------------------------------------------------------- */

struct flag_name {
	unsigned flag;
	const char *name;
	enum diag_verdict verdict;
};

static const struct flag_name receipt_flags[] = {
	{RECEIPT_STATUS_OFFLINE, "offline", DIAG_FAILED},
	{RECEIPT_STATUS_COVER_OPEN, "cover-open", DIAG_FAILED},
	{RECEIPT_STATUS_PAPER_END, "paper-end", DIAG_FAILED},
	{RECEIPT_STATUS_ERROR, "error", DIAG_FAILED},
	{RECEIPT_STATUS_PAPER_NEAR_END, "paper-near-end", DIAG_DEGRADED},
	{0, NULL, DIAG_OK},
};

static const struct flag_name document_flags[] = {
	{DOCUMENT_STATUS_OFFLINE, "offline", DIAG_FAILED},
	{DOCUMENT_STATUS_COVER_OPEN, "cover-open", DIAG_FAILED},
	{DOCUMENT_STATUS_MEDIA_EMPTY, "media-empty", DIAG_FAILED},
	{DOCUMENT_STATUS_TONER_LOW, "toner-low", DIAG_DEGRADED},
	{0, NULL, DIAG_OK},
};

/* The section of a printer from its open and get_status results;
 * answered: false when get_status said nothing answered at all. */
static json_t *printer_section(const char *what, const char *uri, int r_open, int r_status,
			       bool answered, unsigned flags, const struct flag_name *names)
{
	enum diag_verdict v = DIAG_OK;
	json_t *s, *list = json_array();
	char summary[256];
	size_t o = 0;

	if (!*uri) {
		json_decref(list);
		return section_new(DIAG_OK, false, "not configured");
	}
	if (r_open < 0 || r_status < 0) {
		snprintf(summary, sizeof(summary), "the %s printer %s: %s", what,
			 r_open < 0 ? "cannot be opened" : "does not answer",
			 strerror(-(r_open < 0 ? r_open : r_status)));
		v = DIAG_FAILED;
	} else if (!answered) {
		snprintf(summary, sizeof(summary), "the %s printer does not answer", what);
		json_array_append_new(list, json_string("unreachable"));
		v = DIAG_FAILED;
	} else {
		o = (size_t)snprintf(summary, sizeof(summary), "the %s printer is ", what);
		for (const struct flag_name *f = names; f->name; f++) {
			if (!(flags & f->flag))
				continue;
			json_array_append_new(list, json_string(f->name));
			if (f->verdict > v)
				v = f->verdict;
			if (o < sizeof(summary))
				o += (size_t)snprintf(summary + o, sizeof(summary) - o, "%s%s",
						      json_array_size(list) > 1 ? ", " : "",
						      f->name);
		}
		if (json_array_size(list) == 0)
			snprintf(summary + o, sizeof(summary) - o, "ready");
	}
	s = section_new(v, true, summary);
	if (!s) {
		json_decref(list);
		return NULL;
	}
	json_object_set_new(s, "uri", uri_json(uri));
	json_object_set_new(s, "reachable", json_boolean(r_open >= 0 && r_status >= 0 && answered));
	json_object_set_new(s, "status", list);
	if (r_open < 0 || r_status < 0)
		json_object_set_new(s, "error",
				    json_string(strerror(-(r_open < 0 ? r_open : r_status))));
	return s;
}

static json_t *section_receipt(const struct station_config *c)
{
	struct receipt_printer *p = NULL;
	unsigned flags = 0;
	int r_open = 0, r_status = 0;

	if (c->receipt_printer[0]) {
		r_open = receipt_printer_open(c->receipt_printer, &p);
		if (r_open >= 0)
			r_status = p->ops->get_status(p, &flags);
		p = receipt_printer_free(p);
	}
	return printer_section("receipt", c->receipt_printer, r_open, r_status, true, flags,
			       receipt_flags);
}

/* Supply levels and printer-state-reasons, where the back end can tell. */
static void document_details(struct document_printer *p, json_t *s)
{
	struct document_printer_details d;
	json_t *supplies, *reasons;

	if (!p->ops->get_details || p->ops->get_details(p, &d) < 0)
		return;
	supplies = json_array();
	reasons = json_array();
	for (size_t i = 0; i < d.n_supplies; i++)
		json_array_append_new(supplies,
				      json_pack("{ss ss so}", "name", d.supplies[i].name, "type",
						d.supplies[i].type, "level_percent",
						d.supplies[i].level >= 0
							? json_integer(d.supplies[i].level)
							: json_null()));
	for (size_t i = 0; i < d.n_reasons; i++)
		json_array_append_new(reasons, json_string(d.reasons[i]));
	json_object_set_new(s, "supplies", supplies);
	json_object_set_new(s, "state_reasons", reasons);
}

static json_t *section_document(const struct station_config *c)
{
	struct document_printer *p = NULL;
	unsigned flags = 0;
	int r_open = 0, r_status = 0;
	json_t *s;

	if (c->document_printer[0]) {
		r_open = document_printer_open(c->document_printer, &p);
		if (r_open >= 0)
			r_status = p->ops->get_status(p, &flags);
	}
	s = printer_section("document", c->document_printer, r_open, r_status,
			    !(flags & DOCUMENT_STATUS_UNREACHABLE), flags, document_flags);
	if (s && p && r_status >= 0 && !(flags & DOCUMENT_STATUS_OFFLINE))
		document_details(p, s);
	document_printer_free(p);
	return s;
}

/* ---- backend --------------------------------------------------------------- */

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int open_backend(const struct diag_options *opt, struct backend **ret)
{
	const struct station_config *c = opt->config;
	struct station_secrets *secrets = NULL;
	struct config_errors *errs = NULL;
	int r = 0;

	if (strncmp(c->backend_url, "sim:", 4) == 0)
		return backend_sim_new(ret);
	if (c->secrets_file[0]) {
		secrets = calloc(1, sizeof(*secrets));
		errs = calloc(1, sizeof(*errs));
		r = !secrets || !errs ? -ENOMEM
				      : config_load_secrets(c->secrets_file, secrets, errs);
	}
	if (r >= 0) {
		const struct backend_http_config hc = {
			.url = c->backend_url,
			.station_id = c->station_id[0] ? c->station_id : "station-diag",
			.connect_timeout_ms = c->backend_connect_timeout_ms,
			.timeout_ms = opt->backend_timeout_ms ? opt->backend_timeout_ms
							      : c->backend_timeout_ms,
			.retries = 0, /* the report says how the first attempt went */
			.ca_file = c->backend_ca_file,
			.bearer_token = secrets ? secrets->backend_token : NULL,
		};

		r = backend_http_new(&hc, ret);
	}
	if (secrets) {
		config_secrets_wipe(secrets);
		free(secrets);
	}
	free(errs);
	return r;
}

static const char *backend_error_text(int r)
{
	switch (r) {
	case -EACCES:
		return "reachable, but this station is not authorised";
	case -ECONNABORTED:
		return "TLS failed (certificate not trusted, or ours refused)";
	case -ETIMEDOUT:
		return "no answer in time";
	case -ECONNREFUSED:
	case -EHOSTUNREACH:
		return "unreachable";
	case -EBADMSG:
		return "reachable, but its answer is invalid";
	case -EPROTO:
		return "reachable, but it refused the request";
	default:
		return strerror(-r);
	}
}

json_t *diag_section_backend(const struct diag_options *opt)
{
	return diag_section_backend_on(opt, NULL);
}

json_t *diag_section_backend_on(const struct diag_options *opt, struct backend *own)
{
	const struct station_config *c = opt->config;
	struct session_lookup_result *res;
	struct backend *b = own;
	uint64_t t0, ms = 0;
	int64_t skew = 0, not_after = 0;
	bool have_skew = false, have_cert = false;
	long long cert_days = 0;
	enum diag_verdict v;
	char summary[256];
	json_t *s;
	int r;

	if (!own && !c->backend_url[0])
		return section_new(DIAG_OK, false, "not configured");
	res = calloc(1, sizeof(*res));
	if (!res)
		return NULL;
	r = own ? 0 : open_backend(opt, &b);
	if (r < 0) {
		snprintf(summary, sizeof(summary), "cannot set up the backend client: %s",
			 strerror(-r));
		v = DIAG_FAILED;
	} else {
		t0 = monotonic_ms();
		r = b->ops->lookup_card(b, unknown_uid, sizeof(unknown_uid), NULL, res);
		ms = monotonic_ms() - t0;
		have_skew = strncmp(c->backend_url, "sim:", 4) != 0 &&
			    backend_http_clock_skew(b, &skew) == 0;
		have_cert = strncmp(c->backend_url, "sim:", 4) != 0 &&
			    backend_http_cert_expiry(b, &not_after) == 0;
		/* Whole days left, rounded down: "0" is the last day. */
		if (have_cert)
			cert_days = ((long long)not_after - (long long)time(NULL)) / 86400;
		if (r == -ENOENT || r >= 0) {
			const char *why = "";

			v = DIAG_OK;
			if (ms > BACKEND_SLOW_MS) {
				v = DIAG_DEGRADED;
				why = " (slow)";
			} else if (have_skew &&
				   (skew > CLOCK_SKEW_MAX_S || skew < -CLOCK_SKEW_MAX_S)) {
				v = DIAG_DEGRADED;
				why = " (the station's clock is off: check NTP)";
			} else if (have_cert && cert_days < CERT_WARN_DAYS) {
				v = DIAG_DEGRADED;
				why = " (its TLS certificate expires soon)";
			}
			snprintf(summary, sizeof(summary), "reachable, %llu ms%s",
				 (unsigned long long)ms, why);
			r = 0;
		} else {
			snprintf(summary, sizeof(summary), "%s", backend_error_text(r));
			v = DIAG_FAILED;
		}
	}
	/* The lookup result of an unknown card holds nothing, but wipe it
	 * the way every lookup result is wiped. */
	sodium_memzero(res, sizeof(*res));
	free(res);
	if (b != own)
		backend_free(b);
	s = section_new(v, true, summary);
	if (!s)
		return NULL;
	json_object_set_new(s, "url", uri_json(c->backend_url));
	json_object_set_new(s, "reachable", json_boolean(r == 0));
	json_object_set_new(s, "latency_ms", r == 0 ? json_integer((json_int_t)ms) : json_null());
	json_object_set_new(s, "clock_skew_s", have_skew ? json_integer(skew) : json_null());
	if (have_cert) {
		char when[32];

		iso_time(not_after, when, sizeof(when));
		json_object_set_new(s, "cert_not_after", json_string(when));
		json_object_set_new(s, "cert_days_left", json_integer(cert_days));
	} else {
		json_object_set_new(s, "cert_not_after", json_null());
		json_object_set_new(s, "cert_days_left", json_null());
	}
	if (r < 0)
		json_object_set_new(s, "error", json_string(strerror(-r)));
	return s;
}

/* ---- the report ------------------------------------------------------------ */

int diag_run(const struct diag_options *opt, json_t **ret_report, enum diag_verdict *ret_verdict)
{
	const struct station_config *c = opt->config;
	struct {
		const char *name;
		json_t *section;
	} sections[] = {
		{"build", section_build()},
		{"config", section_config(opt)},
		{"pcscd", section_pcscd(c)},
		{"usb", section_usb(c)},
		{"cameras", section_cameras(c)},
		{"state_dir", section_state_dir(c)},
		{"journal", section_journal(c)},
		{"faults", section_faults(c)},
		{"receipt_printer", section_receipt(c)},
		{"document_printer", section_document(c)},
		{"backend", diag_section_backend(opt)},
	};
	const size_t n = sizeof(sections) / sizeof(sections[0]);
	enum diag_verdict worst = DIAG_OK;
	json_t *report = NULL, *all = json_object();
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	int r = -ENOMEM;

	if (!all)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *s = sections[i].section;
		enum diag_verdict v;

		if (!s)
			goto out;
		v = diag_section_verdict(s);
		if (json_is_true(json_object_get(s, "required")) && v > worst)
			worst = v;
		if (json_object_set(all, sections[i].name, s) < 0)
			goto out;
	}
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	report = json_pack("{ss ss ss sO}", "format", "anjungan-diag/1", "time", now, "verdict",
			   diag_verdict_to_string(worst), "sections", all);
	if (!report)
		goto out;
	*ret_report = report;
	*ret_verdict = worst;
	r = 0;
out:
	for (size_t i = 0; i < n; i++)
		json_decref(sections[i].section);
	json_decref(all);
	return r;
}

static int print_value(FILE *f, const char *key, json_t *v)
{
	char *text;

	if (json_is_array(v) && json_array_size(v) > 0 && json_is_object(json_array_get(v, 0))) {
		size_t i;
		json_t *item;

		fprintf(f, "      %s:\n", key);
		json_array_foreach(v, i, item)
		{
			text = json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER);
			if (!text)
				return -ENOMEM;
			fprintf(f, "        %s\n", text);
			free(text);
		}
		return 0;
	}
	if (json_is_string(v)) {
		fprintf(f, "      %s: %s\n", key, json_string_value(v));
		return 0;
	}
	text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
	if (!text)
		return -ENOMEM;
	fprintf(f, "      %s: %s\n", key, text);
	free(text);
	return 0;
}

int diag_print_text(const json_t *report, FILE *f)
{
	json_t *sections = json_object_get(report, "sections"), *s;
	const char *name;

	fprintf(f, "station diag: %s (%s)\n", json_string_value(json_object_get(report, "verdict")),
		json_string_value(json_object_get(report, "time")));
	json_object_foreach(sections, name, s)
	{
		const char *key;
		json_t *v;

		fprintf(f, "\n  %-17s %-9s %s%s\n", name,
			json_string_value(json_object_get(s, "verdict")),
			json_string_value(json_object_get(s, "summary")),
			json_is_true(json_object_get(s, "required")) ? "" : " [not used]");
		json_object_foreach(s, key, v)
		{
			if (strcmp(key, "verdict") == 0 || strcmp(key, "summary") == 0 ||
			    strcmp(key, "required") == 0)
				continue;
			if (json_is_object(v)) {
				const char *k2;
				json_t *v2;

				fprintf(f, "      %s:\n", key);
				json_object_foreach(v, k2, v2)
				{
					char *text =
						json_is_string(v2)
							? NULL
							: json_dumps(v2, JSON_COMPACT |
										 JSON_ENCODE_ANY);

					fprintf(f, "        %-15s %s\n", k2,
						json_is_string(v2) ? json_string_value(v2)
						: text		   ? text
								   : "");
					free(text);
				}
				continue;
			}
			if (print_value(f, key, v) < 0)
				return -ENOMEM;
		}
	}
	return ferror(f) ? -EIO : 0;
}
