/* SPDX-License-Identifier: MIT */
/*
 * The configuration and secrets files: INI text read by inih, checked key by
 * key against one table, every problem collected with its line.
 *
 * inih is fed through our own line reader rather than ini_parse_string()
 * because the buffer need not be NUL-terminated, and because the reader
 * sees every physical line before inih does: it counts lines (the handler of
 * the inih Debian ships gets no line number), and it reports the lines inih
 * would only count as "the first error" (bad section header, no '=', too
 * long, NUL byte), then hands inih a blank line instead, so one bad line
 * never hides the next. The reader also strips leading blanks, which turns
 * off inih's multi-line values: an indented "key = value" is a key, not a
 * continuation of the previous value.
 *
 * inih's global switches (ini_max_line and friends) are left alone: they are
 * process-wide, and the defaults (200-byte lines, ';' comments) suit us.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <ini.h>
#include <sodium.h>

#include "config.h"
#include "macro.h"

#define CONFIG_FILE_SIZE_MAX  (1024 * 1024)
#define SECRETS_FILE_SIZE_MAX (64 * 1024)
#define SHOWN_MAX	      40 /* characters of a bad value or name quoted back */
#define KEYS_MAX	      48
#define CAMERA_SIDE_MAX	      16384 /* CAMERA_MAX_SIDE in devices/camera.h */

/* ---- errors ------------------------------------------------------------- */

static void add_error(struct config_errors *errs, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_error(struct config_errors *errs, unsigned line, const char *fmt, ...)
{
	va_list ap;

	if (errs->n >= CONFIG_ERRORS_MAX) {
		errs->n_dropped++;
		return;
	}
	struct config_error *e = &errs->e[errs->n++];
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

static bool has_error_on_line(const struct config_errors *errs, unsigned line)
{
	for (size_t i = 0; i < errs->n; i++)
		if (errs->e[i].line == line)
			return true;
	return false;
}

/* ---- value checks ------------------------------------------------------- */

/* What inih's isspace() skips, without the locale. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static bool is_id(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_id_char(s[i]))
			return false;
	return true;
}

static bool has_control_char(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Decimal digits only: no sign, no blanks, no 0x, no overflow. */
static int parse_u64(const char *s, uint64_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

/* ---- the key table ------------------------------------------------------ */

struct key;

/* Stores value into the field k names inside target. On failure writes
 * what was expected into why (no value quoted: the caller decides whether
 * the value may be shown) and returns -EINVAL. */
typedef int (*key_setter)(const struct key *k, const char *value, void *target, char *why,
			  size_t why_size);

struct key {
	const char *section;
	const char *name;
	key_setter set;
	size_t offset;
	size_t size;		    /* strings: the buffer's size */
	uint64_t min, max;	    /* numbers; strings: min 1 = must not be empty */
	const char *const *choices; /* NULL-terminated */
	const char *expected;	    /* for choices and URIs */
	bool secret;		    /* never quote the value back */
};

static void *field(const struct key *k, void *target)
{
	return (char *)target + k->offset;
}

static int store_string(const struct key *k, const char *value, void *target, char *why,
			size_t why_size)
{
	size_t n = strlen(value);

	if (n == 0 && k->min > 0) {
		snprintf(why, why_size, "must not be empty");
		return -EINVAL;
	}
	if (n >= k->size) {
		snprintf(why, why_size, "too long (at most %zu characters)", k->size - 1);
		return -EINVAL;
	}
	if (has_control_char(value)) {
		snprintf(why, why_size, "must not contain control characters");
		return -EINVAL;
	}
	memcpy(field(k, target), value, n + 1);
	return 0;
}

static int set_text(const struct key *k, const char *value, void *target, char *why,
		    size_t why_size)
{
	return store_string(k, value, target, why, why_size);
}

static int set_station_id(const struct key *k, const char *value, void *target, char *why,
			  size_t why_size)
{
	if (!is_id(value, k->size - 1)) {
		snprintf(why, why_size, "expected 1 to %zu characters of A-Z a-z 0-9 . _ -",
			 k->size - 1);
		return -EINVAL;
	}
	return store_string(k, value, target, why, why_size);
}

/* Paths the station opens itself must be absolute: systemd starts it in /,
 * and `station config check` is run from anywhere. */
static int set_path(const struct key *k, const char *value, void *target, char *why,
		    size_t why_size)
{
	if (value[0] != '/' && (value[0] || k->min > 0)) {
		snprintf(why, why_size, "expected an absolute path%s",
			 k->min > 0 ? "" : " (or nothing)");
		return -EINVAL;
	}
	return store_string(k, value, target, why, why_size);
}

static int find_choice(const struct key *k, const char *value)
{
	for (int i = 0; k->choices[i]; i++)
		if (strcmp(value, k->choices[i]) == 0)
			return i;
	return -1;
}

static int set_choice(const struct key *k, const char *value, void *target, char *why,
		      size_t why_size)
{
	if (find_choice(k, value) < 0) {
		snprintf(why, why_size, "expected %s", k->expected);
		return -EINVAL;
	}
	return store_string(k, value, target, why, why_size);
}

static int set_log_level(const struct key *k, const char *value, void *target, char *why,
			 size_t why_size)
{
	int i = find_choice(k, value);

	if (i < 0) {
		snprintf(why, why_size, "expected %s", k->expected);
		return -EINVAL;
	}
	*(enum config_log_level *)field(k, target) = (enum config_log_level)i;
	return 0;
}

/* language = id | en, stored as "English?" */
static int set_language(const struct key *k, const char *value, void *target, char *why,
			size_t why_size)
{
	int i = find_choice(k, value);

	if (i < 0) {
		snprintf(why, why_size, "expected %s", k->expected);
		return -EINVAL;
	}
	*(bool *)field(k, target) = i == 1;
	return 0;
}

static int set_bool(const struct key *k, const char *value, void *target, char *why,
		    size_t why_size)
{
	static const char *const yes[] = {"yes", "true", "1", "on"};
	static const char *const no[] = {"no", "false", "0", "off"};

	for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*(bool *)field(k, target) = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*(bool *)field(k, target) = false;
			return 0;
		}
	}
	snprintf(why, why_size, "expected yes or no (true/false, 1/0, on/off)");
	return -EINVAL;
}

static int get_number(const struct key *k, const char *value, const char *unit, uint64_t *ret,
		      char *why, size_t why_size)
{
	uint64_t v;

	if (parse_u64(value, &v) < 0 || v < k->min || v > k->max) {
		snprintf(why, why_size, "expected a whole number%s%s from %llu to %llu",
			 unit[0] ? " of " : "", unit, (unsigned long long)k->min,
			 (unsigned long long)k->max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* Seconds in the file, milliseconds in the struct. */
static int set_seconds_ms(const struct key *k, const char *value, void *target, char *why,
			  size_t why_size)
{
	uint64_t v;
	int r = get_number(k, value, "seconds", &v, why, why_size);

	if (r < 0)
		return r;
	*(uint64_t *)field(k, target) = v * 1000;
	return 0;
}

static int set_seconds(const struct key *k, const char *value, void *target, char *why,
		       size_t why_size)
{
	uint64_t v;
	int r = get_number(k, value, "seconds", &v, why, why_size);

	if (r < 0)
		return r;
	*(uint64_t *)field(k, target) = v;
	return 0;
}

static int set_unsigned(const struct key *k, const char *value, void *target, char *why,
			size_t why_size)
{
	uint64_t v;
	int r = get_number(k, value, "", &v, why, why_size);

	if (r < 0)
		return r;
	*(unsigned *)field(k, target) = (unsigned)v;
	return 0;
}

static int set_int(const struct key *k, const char *value, void *target, char *why, size_t why_size)
{
	uint64_t v;
	int r = get_number(k, value, k->expected ? k->expected : "", &v, why, why_size);

	if (r < 0)
		return r;
	*(int *)field(k, target) = (int)v;
	return 0;
}

/* "X,Y,W,H" in frame pixels (blanks around the numbers allowed), W and H
 * at least k->min; or "" for the whole frame. That it lies inside the
 * frame is checked with width and height, in check_config(). */
static int set_roi(const struct key *k, const char *value, void *target, char *why, size_t why_size)
{
	struct config_roi roi = {0};
	int *parts[] = {&roi.x, &roi.y, &roi.w, &roi.h};
	const char *s = value;

	if (!*value) {
		*(struct config_roi *)field(k, target) = roi;
		return 0;
	}
	for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
		char num[24];
		size_t n = 0;
		uint64_t v;

		while (is_blank(*s))
			s++;
		while (*s >= '0' && *s <= '9' && n < sizeof(num) - 1)
			num[n++] = *s++;
		num[n] = '\0';
		while (is_blank(*s))
			s++;
		if (parse_u64(num, &v) < 0 || v > k->max || (i >= 2 && v < k->min) ||
		    *s != (i + 1 < ELEMENTSOF(parts) ? ',' : '\0'))
			goto bad;
		*parts[i] = (int)v;
		if (*s)
			s++;
	}
	*(struct config_roi *)field(k, target) = roi;
	return 0;
bad:
	snprintf(why, why_size,
		 "expected X,Y,W,H in frame pixels (W and H at least %llu, each at most %llu), "
		 "or nothing for the whole frame",
		 (unsigned long long)k->min, (unsigned long long)k->max);
	return -EINVAL;
}

/* Screen sizes: 0 (the display's own) or min..max pixels. */
static int set_dimension(const struct key *k, const char *value, void *target, char *why,
			 size_t why_size)
{
	uint64_t v;

	if (parse_u64(value, &v) < 0 || (v != 0 && (v < k->min || v > k->max))) {
		snprintf(why, why_size, "expected 0 (the display's size) or %llu to %llu pixels",
			 (unsigned long long)k->min, (unsigned long long)k->max);
		return -EINVAL;
	}
	*(int *)field(k, target) = (int)v;
	return 0;
}

static int set_width_dots(const struct key *k, const char *value, void *target, char *why,
			  size_t why_size)
{
	uint64_t v;

	if (parse_u64(value, &v) < 0 || (v != 384 && v != 576)) {
		snprintf(why, why_size, "expected 576 (80 mm paper) or 384 (58 mm paper)");
		return -EINVAL;
	}
	*(int *)field(k, target) = (int)v;
	return 0;
}

/* A URI whose scheme is one of k->choices. Only "sim:" may stand alone:
 * every other scheme needs a device, host, path or queue after it. */
static int set_uri(const struct key *k, const char *value, void *target, char *why, size_t why_size)
{
	for (size_t i = 0; k->choices[i]; i++) {
		const char *scheme = k->choices[i];
		if (!has_prefix(value, scheme))
			continue;
		if (!value[strlen(scheme)] && strcmp(scheme, "sim:") != 0)
			break;
		return store_string(k, value, target, why, why_size);
	}
	snprintf(why, why_size, "expected %s", k->expected);
	return -EINVAL;
}

int config_listen_parse(const char *value, uint32_t *ret_addr, uint16_t *ret_port)
{
	const char *colon = value ? strrchr(value, ':') : NULL;
	char host[INET_ADDRSTRLEN];
	struct in_addr a;
	unsigned long port;
	char *end;

	if (!colon || colon == value || (size_t)(colon - value) >= sizeof(host))
		return -EINVAL;
	memcpy(host, value, (size_t)(colon - value));
	host[colon - value] = '\0';
	if (inet_pton(AF_INET, host, &a) != 1 || (ntohl(a.s_addr) >> 24) != 127)
		return -EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || colon[1] == '+' || colon[1] == '-' || port == 0 ||
	    port > 65535)
		return -EINVAL;
	*ret_addr = ntohl(a.s_addr);
	*ret_port = (uint16_t)port;
	return 0;
}

static int set_listen(const struct key *k, const char *value, void *target, char *why,
		      size_t why_size)
{
	uint32_t addr;
	uint16_t port;

	if (value[0] && config_listen_parse(value, &addr, &port) < 0) {
		snprintf(why, why_size, "expected 127.0.0.1:PORT (a loopback address), or empty");
		return -EINVAL;
	}
	return store_string(k, value, target, why, why_size);
}

static int set_secret_text(const struct key *k, const char *value, void *target, char *why,
			   size_t why_size)
{
	return store_string(k, value, target, why, why_size);
}

static int set_hex(const struct key *k, const char *value, void *target, char *why, size_t why_size)
{
	size_t n = strlen(value);
	bool ok = n > 0 && n % 2 == 0 && n < k->size;

	for (size_t i = 0; ok && i < n; i++) {
		char c = value[i];
		ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}
	if (!ok) {
		snprintf(why, why_size, "expected an even number (2 to %zu) of hex digits",
			 k->size - 1);
		return -EINVAL;
	}
	return store_string(k, value, target, why, why_size);
}

static int set_pin_hash(const struct key *k, const char *value, void *target, char *why,
			size_t why_size)
{
	if (!has_prefix(value, "$argon2id$")) {
		snprintf(why, why_size,
			 "expected an Argon2id hash starting with $argon2id$ "
			 "(crypto_pwhash_str output)");
		return -EINVAL;
	}
	return store_string(k, value, target, why, why_size);
}

#define AT(type, member) .offset = offsetof(type, member), .size = sizeof(((type *)0)->member)
#define CFG(member)	 AT(struct station_config, member)
#define TIMEOUT(member)	 .offset = offsetof(struct station_config, timeouts.member)
#define SEC(member)	 AT(struct station_secrets, member)

static const char *const log_levels[] = {"error", "warning", "info", "debug", NULL};
static const char *const languages[] = {"id", "en", NULL};
static const char *const card_backends[] = {"pcsc", "sim", NULL};
static const char *const camera_backends[] = {"v4l2", "files", "sim", NULL};
static const char *const receipt_schemes[] = {"usb://", "tcp://", "file:", "sim:", NULL};
static const char *const document_schemes[] = {"ipp://", "ipps://", "cups:", "dir:", "sim:", NULL};
static const char *const backend_schemes[] = {"https://", "http://", "sim:", NULL};

static const struct key config_keys[] = {
	{"station", "id", set_station_id, CFG(station_id)},
	{"station", "state_dir", set_path, CFG(state_dir), .min = 1},
	{"station", "secrets_file", set_path, CFG(secrets_file)},
	{"station", "log_level", set_log_level,
	 .offset = offsetof(struct station_config, log_level), .choices = log_levels,
	 .expected = "error, warning, info or debug"},
	{"station", "probe_interval", set_seconds,
	 .offset = offsetof(struct station_config, probe_interval_s), .min = 0, .max = 3600},

	{"session", "card_timeout", set_seconds_ms, TIMEOUT(card_timeout_ms), .min = 1,
	 .max = 3600},
	{"session", "scan_timeout", set_seconds_ms, TIMEOUT(scan_timeout_ms), .min = 1,
	 .max = 3600},
	{"session", "lookup_timeout", set_seconds_ms, TIMEOUT(lookup_timeout_ms), .min = 1,
	 .max = 3600},
	{"session", "idle_timeout", set_seconds_ms, TIMEOUT(idle_timeout_ms), .min = 1,
	 .max = 3600},
	{"session", "countdown", set_seconds_ms, TIMEOUT(countdown_ms), .min = 1, .max = 3600},
	{"session", "print_timeout", set_seconds_ms, TIMEOUT(print_timeout_ms), .min = 1,
	 .max = 3600},
	{"session", "done_timeout", set_seconds_ms, TIMEOUT(done_timeout_ms), .min = 1,
	 .max = 3600},
	{"session", "error_timeout", set_seconds_ms, TIMEOUT(error_timeout_ms), .min = 1,
	 .max = 3600},
	{"session", "maintenance_idle", set_seconds_ms, TIMEOUT(maintenance_idle_ms), .min = 1,
	 .max = 3600},

	{"ui", "language", set_language, .offset = offsetof(struct station_config, english),
	 .choices = languages, .expected = "id or en"},
	{"ui", "width", set_dimension, .offset = offsetof(struct station_config, width), .min = 320,
	 .max = 7680},
	{"ui", "height", set_dimension, .offset = offsetof(struct station_config, height),
	 .min = 320, .max = 7680},
	{"ui", "fullscreen", set_bool, .offset = offsetof(struct station_config, fullscreen)},
	{"ui", "speech", set_bool, .offset = offsetof(struct station_config, speech)},
	{"ui", "speech_rate", set_int, CFG(speech_rate), .min = 80, .max = 450,
	 .expected = "words a minute"},
	{"ui", "speech_volume", set_int, CFG(speech_volume), .min = 0, .max = 200,
	 .expected = "0 to 200, 100 normal"},

	{"card", "backend", set_choice, CFG(card_backend), .choices = card_backends,
	 .expected = "pcsc or sim"},
	{"card", "reader", set_text, CFG(card_reader)},
	{"card", "sam_reader", set_text, CFG(sam_reader)},
	/* [card] atr is handled apart (card_atr_key()): it repeats. */
	{"card", "read_photo", set_bool,
	 .offset = offsetof(struct station_config, card_read_photo)},
	{"card", "read_timeout", set_seconds_ms,
	 .offset = offsetof(struct station_config, card_read_timeout_ms), .min = 1, .max = 60},

	{"camera", "backend", set_choice, CFG(camera_backend), .choices = camera_backends,
	 .expected = "v4l2, files or sim"},
	{"camera", "device", set_text, CFG(camera_device), .min = 1},
	{"camera", "width", set_int, CFG(camera_width), .min = 16, .max = CAMERA_SIDE_MAX,
	 .expected = "pixels"},
	{"camera", "height", set_int, CFG(camera_height), .min = 16, .max = CAMERA_SIDE_MAX,
	 .expected = "pixels"},
	{"camera", "fps", set_int, CFG(camera_fps), .min = 0, .max = 240,
	 .expected = "frames a second"},
	{"camera", "roi", set_roi, CFG(camera_roi), .min = 16, .max = CAMERA_SIDE_MAX},
	{"camera", "loop", set_bool, .offset = offsetof(struct station_config, camera_loop)},

	{"receipt", "printer", set_uri, CFG(receipt_printer), .choices = receipt_schemes,
	 .expected = "usb://VID:PID[/SERIAL], tcp://HOST[:PORT], file:PATH or sim:[DIR]"},
	{"receipt", "width_dots", set_width_dots,
	 .offset = offsetof(struct station_config, receipt_width_dots)},

	{"document", "printer", set_uri, CFG(document_printer), .choices = document_schemes,
	 .expected = "ipp://HOST[:PORT]/PATH, ipps://..., cups:QUEUE, dir:PATH or sim:[DIR]"},

	{"backend", "url", set_uri, CFG(backend_url), .choices = backend_schemes,
	 .expected = "https://HOST[:PORT][/PATH], http://... or sim:"},
	{"backend", "connect_timeout", set_seconds_ms,
	 .offset = offsetof(struct station_config, backend_connect_timeout_ms), .min = 1,
	 .max = 300},
	{"backend", "timeout", set_seconds_ms,
	 .offset = offsetof(struct station_config, backend_timeout_ms), .min = 1, .max = 3600},
	{"backend", "ca_file", set_path, CFG(backend_ca_file)},
	{"backend", "heartbeat", set_seconds,
	 .offset = offsetof(struct station_config, backend_heartbeat_s), .min = 0, .max = 86400},

	{"metrics", "listen", set_listen, CFG(metrics_listen)},

	/* [qr] key.<id> are handled apart (qr_key()): their names vary. */
	{"qr", "clock_skew", set_seconds,
	 .offset = offsetof(struct station_config, qr_clock_skew_s), .min = 0, .max = 3600},

	{"maintenance", "pin_max_failures", set_unsigned,
	 .offset = offsetof(struct station_config, pin_max_failures), .min = 1, .max = 100},
	{"maintenance", "pin_lockout", set_seconds,
	 .offset = offsetof(struct station_config, pin_lockout_s), .min = 1, .max = 86400},
};

static const struct key secrets_keys[] = {
	{"secrets", "backend_token", set_secret_text, SEC(backend_token), .min = 1, .secret = true},
	{"secrets", "sam_credentials", set_hex, SEC(sam_credentials), .secret = true},
	{"secrets", "technician_pin_hash", set_pin_hash, SEC(technician_pin_hash), .secret = true},
};

_Static_assert(ELEMENTSOF(config_keys) <= KEYS_MAX, "raise KEYS_MAX");
_Static_assert(ELEMENTSOF(secrets_keys) <= KEYS_MAX, "raise KEYS_MAX");

/* ---- the parser ----------------------------------------------------------- */

enum section_state {
	SECTION_NONE,	 /* before any [section] */
	SECTION_KNOWN,	 /* keys are checked against the table */
	SECTION_IGNORED, /* unknown or malformed header, already reported */
};

struct parser {
	const char *buf;
	size_t len, pos;
	unsigned line; /* the physical line inih is working on */

	const struct key *keys;
	size_t n_keys;
	unsigned seen[KEYS_MAX]; /* line each key was set on, 0 = not yet */
	void *target;
	struct station_config *config;	      /* NULL for the secrets file */
	unsigned qr_line[CONFIG_QR_KEYS_MAX]; /* line of each QR key */
	unsigned dimension_line[2];	      /* width, height */

	enum section_state state;
	char section[32];

	struct config_errors *errs;
};

static bool section_is_known(const struct parser *p, const char *name)
{
	for (size_t i = 0; i < p->n_keys; i++)
		if (strcmp(p->keys[i].section, name) == 0)
			return true;
	return false;
}

/* inih's find_chars_or_comment(): the first of chars, or the start of an
 * inline comment (';' after a blank), or the end. Mirrored so the reader
 * agrees with inih on what a line is. */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
	bool was_blank = false;

	while (*s && !strchr(chars, *s) && !(was_blank && *s == ';')) {
		was_blank = is_blank(*s);
		s++;
	}
	return s;
}

/* Looks at one trimmed line before inih does. Returns false for a line
 * inih must not see (already reported). */
static bool classify_line(struct parser *p, const char *line)
{
	if (!line[0] || line[0] == ';' || line[0] == '#')
		return true;

	if (line[0] == '[') {
		const char *end = find_chars_or_comment(line + 1, "]");
		if (*end != ']') {
			add_error(p->errs, p->line, "expected ']' to close the section name");
			p->state = SECTION_IGNORED;
			return false;
		}
		size_t n = (size_t)(end - (line + 1));
		const char *after = end + 1;
		while (is_blank(*after))
			after++;
		if (*after && *after != ';' && *after != '#') {
			add_error(p->errs, p->line, "unexpected text after ']'");
			p->state = SECTION_IGNORED;
			return false;
		}
		if (n >= sizeof(p->section)) {
			add_error(p->errs, p->line, "unknown section [%.*s...]", SHOWN_MAX,
				  line + 1);
			p->state = SECTION_IGNORED;
			return true;
		}
		memcpy(p->section, line + 1, n);
		p->section[n] = '\0';
		if (section_is_known(p, p->section)) {
			p->state = SECTION_KNOWN;
		} else {
			add_error(p->errs, p->line, "unknown section [%s]", p->section);
			p->state = SECTION_IGNORED;
		}
		return true;
	}

	const char *end = find_chars_or_comment(line, "=:");
	if (*end != '=' && *end != ':') {
		add_error(p->errs, p->line, "expected 'key = value', a [section] or a comment");
		return false;
	}
	if (end == line) {
		add_error(p->errs, p->line, "missing key name before '%c'", *end);
		return false;
	}
	return true;
}

/* The ini_reader: one physical line of buf per call, trimmed, with '\n'. */
static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;

	if (p->pos >= p->len || num < 3)
		return NULL;

	const char *start = p->buf + p->pos;
	size_t rest = p->len - p->pos;
	const char *nl = memchr(start, '\n', rest);
	size_t n = nl ? (size_t)(nl - start) : rest;
	p->pos += nl ? n + 1 : n;
	p->line++;

	if (p->line == 1 && n >= 3 && memcmp(start, "\xef\xbb\xbf", 3) == 0) {
		start += 3;
		n -= 3;
	}
	while (n > 0 && is_blank(start[0])) {
		start++;
		n--;
	}
	while (n > 0 && is_blank(start[n - 1]))
		n--;

	str[0] = '\n';
	str[1] = '\0';
	if (memchr(start, '\0', n)) {
		add_error(p->errs, p->line, "contains a NUL byte");
		return str;
	}
	/* inih needs room for the line, '\n' and '\0' (and a '\r' we cut). */
	if (n + 3 > (size_t)num) {
		add_error(p->errs, p->line, "line too long (at most %d characters)", num - 3);
		return str;
	}
	memcpy(str, start, n);
	str[n] = '\0';
	if (!classify_line(p, str)) {
		str[0] = '\0';
		n = 0;
	}
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

static void qr_key(struct parser *p, const char *id, const char *value)
{
	struct station_config *c = p->config;
	unsigned char bin[160];
	size_t bin_len = 0;
	static const int variants[] = {
		sodium_base64_VARIANT_ORIGINAL,
		sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
		sodium_base64_VARIANT_URLSAFE,
		sodium_base64_VARIANT_URLSAFE_NO_PADDING,
	};
	bool decoded = false;

	if (!is_id(id, sizeof(c->qr_keys[0].id) - 1)) {
		add_error(p->errs, p->line,
			  "bad QR key id '%.*s' in key.<id>: expected 1 to %zu characters of "
			  "A-Z a-z 0-9 . _ -",
			  SHOWN_MAX, id, sizeof(c->qr_keys[0].id) - 1);
		return;
	}
	for (size_t i = 0; i < c->n_qr_keys; i++)
		if (strcmp(c->qr_keys[i].id, id) == 0) {
			add_error(p->errs, p->line,
				  "duplicate key 'key.%s' in [qr] (first on line %u)", id,
				  p->qr_line[i]);
			return;
		}
	if (c->n_qr_keys >= CONFIG_QR_KEYS_MAX) {
		add_error(p->errs, p->line, "too many QR keys (at most %d)", CONFIG_QR_KEYS_MAX);
		return;
	}
	for (size_t i = 0; i < ELEMENTSOF(variants) && !decoded; i++)
		decoded = sodium_base642bin(bin, sizeof(bin), value, strlen(value), NULL, &bin_len,
					    NULL, variants[i]) == 0;
	if (!decoded) {
		add_error(p->errs, p->line,
			  "bad value for 'key.%s' in [qr]: expected base64 (standard or URL-safe) "
			  "of a 32-byte Ed25519 public key",
			  id);
		return;
	}
	if (bin_len != sizeof(c->qr_keys[0].public_key)) {
		add_error(p->errs, p->line,
			  "bad value for 'key.%s' in [qr]: expected a 32-byte Ed25519 public key, "
			  "got %zu bytes",
			  id, bin_len);
		return;
	}
	struct config_qr_key *k = &c->qr_keys[c->n_qr_keys];
	snprintf(k->id, sizeof(k->id), "%s", id);
	memcpy(k->public_key, bin, sizeof(k->public_key));
	p->qr_line[c->n_qr_keys++] = p->line;
}

/* [card] atr = PATTERN, once per pattern, in the order given: the first
 * that matches names the card type. */
static void card_atr_key(struct parser *p, const char *value)
{
	struct station_config *c = p->config;
	char name[EKTP_ATR_NAME_MAX];

	if (c->n_card_atr >= CONFIG_CARD_ATR_MAX) {
		add_error(p->errs, p->line, "too many 'atr' patterns in [card] (at most %d)",
			  CONFIG_CARD_ATR_MAX);
		return;
	}
	snprintf(name, sizeof(name), "config %zu", c->n_card_atr + 1);
	if (ektp_atr_pattern_parse(value, name, &c->card_atr[c->n_card_atr]) < 0) {
		add_error(
			p->errs, p->line,
			"bad value for 'atr' in [card]: expected 2 to %d hex bytes, xx for a byte "
			"that varies, got '%.*s%s'",
			EKTP_ATR_MAX, SHOWN_MAX, value, strlen(value) > SHOWN_MAX ? "..." : "");
		return;
	}
	c->n_card_atr++;
}

/* [secrets] technician_card = 64 hex digits, once per card. The value is
 * a hash: an error may say how it is wrong, never quote it. */
static void technician_card_key(struct parser *p, const char *value)
{
	struct station_secrets *s = p->target;
	size_t n = strlen(value);

	if (s->n_technician_cards >= CONFIG_TECHNICIAN_CARDS_MAX) {
		add_error(p->errs, p->line,
			  "too many 'technician_card' lines in [secrets] (at most %d)",
			  CONFIG_TECHNICIAN_CARDS_MAX);
		return;
	}
	if (n != 64 || strspn(value, "0123456789abcdefABCDEF") != 64) {
		add_error(p->errs, p->line,
			  "bad value for 'technician_card' in [secrets]: expected 64 hex digits "
			  "(station maintenance hash-card UID), got %zu characters",
			  n);
		return;
	}
	for (size_t i = 0; i < 32; i++) {
		unsigned v;

		sscanf(value + 2 * i, "%2x", &v);
		s->technician_cards[s->n_technician_cards][i] = (uint8_t)v;
	}
	s->n_technician_cards++;
}

/* The ini_handler. Always returns 1: errors are collected here, not by
 * inih, which would only keep the first one's line. */
static int handle_key(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	char why[160];

	if (p->state == SECTION_IGNORED)
		return 1;
	/* A secrets file's "names" may be a mistyped secret: never quote them. */
	if (p->state == SECTION_NONE) {
		if (p->config)
			add_error(p->errs, p->line, "key '%.*s' is outside any [section]",
				  SHOWN_MAX, name);
		else
			add_error(p->errs, p->line, "key outside any [section]");
		return 1;
	}
	if (p->config && strcmp(p->section, "qr") == 0 && has_prefix(name, "key.")) {
		qr_key(p, name + 4, value);
		return 1;
	}
	if (p->config && strcmp(p->section, "card") == 0 && strcmp(name, "atr") == 0) {
		card_atr_key(p, value);
		return 1;
	}
	if (!p->config && strcmp(p->section, "secrets") == 0 &&
	    strcmp(name, "technician_card") == 0) {
		technician_card_key(p, value);
		return 1;
	}

	for (size_t i = 0; i < p->n_keys; i++) {
		const struct key *k = &p->keys[i];
		if (strcmp(k->section, p->section) != 0 || strcmp(k->name, name) != 0)
			continue;
		if (p->seen[i]) {
			add_error(p->errs, p->line, "duplicate key '%s' in [%s] (first on line %u)",
				  name, p->section, p->seen[i]);
			return 1;
		}
		p->seen[i] = p->line;
		if (k->set(k, value, p->target, why, sizeof(why)) < 0) {
			if (k->secret)
				add_error(p->errs, p->line, "bad value for '%s' in [%s]: %s", name,
					  p->section, why);
			else
				add_error(p->errs, p->line,
					  "bad value for '%s' in [%s]: %s, got '%.*s%s'", name,
					  p->section, why, SHOWN_MAX, value,
					  strlen(value) > SHOWN_MAX ? "..." : "");
		}
		return 1;
	}
	if (p->config)
		add_error(p->errs, p->line, "unknown key '%.*s' in [%s]", SHOWN_MAX, name,
			  p->section);
	else
		add_error(p->errs, p->line, "unknown key in [%s]", p->section);
	return 1;
}

static int run_parser(struct parser *p)
{
	int r = ini_parse_stream(read_line, p, handle_key, p);

	if (r < 0) {
		add_error(p->errs, 0, "out of memory");
		return -ENOMEM;
	}
	/* The reader hands inih only lines it accepts; this is the net under
	 * any disagreement between the two. */
	if (r > 0 && !has_error_on_line(p->errs, (unsigned)r))
		add_error(p->errs, (unsigned)r, "cannot parse this line");
	return 0;
}

static unsigned config_key_line(const struct parser *p, const char *section, const char *name)
{
	for (size_t i = 0; i < p->n_keys; i++)
		if (strcmp(p->keys[i].section, section) == 0 && strcmp(p->keys[i].name, name) == 0)
			return p->seen[i];
	return 0;
}

/* Checks that need the whole file. */
static void check_config(struct parser *p)
{
	const struct station_config *c = p->config;

	/* A bad id was reported where it stands: not "missing" as well. */
	if (!c->station_id[0] && !config_key_line(p, "station", "id"))
		add_error(p->errs, 0, "missing required key 'id' in [station]");
	if ((c->width == 0) != (c->height == 0)) {
		const char *set = c->width ? "width" : "height";
		add_error(p->errs, config_key_line(p, "ui", set),
			  "'width' and 'height' in [ui] go together: set both, or neither (0 = "
			  "the display's size)");
	}
	const struct config_roi *roi = &c->camera_roi;
	if (roi->w > 0 && ((int64_t)roi->x + roi->w > c->camera_width ||
			   (int64_t)roi->y + roi->h > c->camera_height))
		add_error(p->errs, config_key_line(p, "camera", "roi"),
			  "'roi' in [camera] (%d,%d %dx%d) does not fit in the %dx%d frame set by "
			  "'width' and 'height'",
			  roi->x, roi->y, roi->w, roi->h, c->camera_width, c->camera_height);
}

/* ---- public ------------------------------------------------------------- */

void config_defaults(struct station_config *ret)
{
	*ret = (struct station_config){
		.state_dir = "/var/lib/station",
		.log_level = CONFIG_LOG_INFO,
		.probe_interval_s = 30,
		.timeouts =
			{
				.card_timeout_ms = 10 * 1000,
				.scan_timeout_ms = 30 * 1000,
				.lookup_timeout_ms = 10 * 1000,
				.idle_timeout_ms = 60 * 1000,
				.countdown_ms = 10 * 1000,
				.print_timeout_ms = 120 * 1000,
				.done_timeout_ms = 10 * 1000,
				.error_timeout_ms = 15 * 1000,
				.maintenance_idle_ms = 120 * 1000,
			},
		.english = false,
		.fullscreen = true,
		.speech_rate = 140,
		.speech_volume = 100,
		.card_backend = "sim",
		.card_read_timeout_ms = 5 * 1000,
		.camera_backend = "sim",
		.camera_device = "/dev/video0",
		.camera_width = 1280,
		.camera_height = 720,
		.camera_fps = 30,
		.receipt_printer = "sim:",
		.receipt_width_dots = 576,
		.document_printer = "sim:",
		.backend_url = "sim:",
		.backend_connect_timeout_ms = 5 * 1000,
		.backend_timeout_ms = 10 * 1000,
		.qr_clock_skew_s = 120,
		.pin_max_failures = 5,
		.pin_lockout_s = 900,
	};
}

int config_parse(const char *buf, size_t len, struct station_config *ret,
		 struct config_errors *errs)
{
	struct config_errors scratch;
	struct station_config c;
	struct parser p = {
		.buf = buf,
		.len = buf ? len : 0,
		.keys = config_keys,
		.n_keys = ELEMENTSOF(config_keys),
		.target = &c,
		.config = &c,
		.errs = errs ? errs : &scratch,
	};
	int r;

	p.errs->n = p.errs->n_dropped = 0;
	config_defaults(&c);
	r = run_parser(&p);
	if (r < 0)
		return r;
	check_config(&p);
	if (p.errs->n > 0 || p.errs->n_dropped > 0)
		return -EINVAL;
	*ret = c;
	return 0;
}

/* Opens path and reads it whole into a new buffer (freed by the caller,
 * wiped first if secret). open() then fstat() on the same descriptor, so
 * what is checked is what is read. O_NONBLOCK: a FIFO must not hang us
 * before fstat() tells it apart. */
static int read_whole_file(const char *path, bool secret, size_t size_max, char **ret_buf,
			   size_t *ret_len, struct config_errors *errs)
{
	char ebuf[128];
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		add_error(errs, 0, "cannot open: %s", strerror_r(-r, ebuf, sizeof(ebuf)));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		add_error(errs, 0, "cannot stat: %s", strerror_r(-r, ebuf, sizeof(ebuf)));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = secret ? -EPERM : S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		add_error(errs, 0, "not a regular file");
		goto out;
	}
	if (secret && (st.st_mode & 077)) {
		r = -EPERM;
		add_error(errs, 0,
			  "mode %04o lets group or others read the secrets: run chmod 600 on it",
			  (unsigned)(st.st_mode & 07777));
		goto out;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > size_max) {
		r = -EFBIG;
		add_error(errs, 0, "file too large (at most %zu bytes)", size_max);
		goto out;
	}
	/* At least one byte, so malloc(0) never decides for us. */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		r = -ENOMEM;
		add_error(errs, 0, "out of memory");
		goto out;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			add_error(errs, 0, "cannot read: %s", strerror_r(-r, ebuf, sizeof(ebuf)));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*ret_buf = TAKE_PTR(buf);
	*ret_len = len;
	r = 0;
out:
	if (buf) {
		if (secret)
			sodium_memzero(buf, (size_t)st.st_size + 1);
		free(buf);
	}
	close(fd);
	return r;
}

int config_load(const char *path, struct station_config *ret, struct config_errors *errs)
{
	struct config_errors scratch;
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (!errs)
		errs = &scratch;
	errs->n = errs->n_dropped = 0;
	r = read_whole_file(path, false, CONFIG_FILE_SIZE_MAX, &buf, &len, errs);
	if (r < 0)
		return r;
	r = config_parse(buf, len, ret, errs);
	free(buf);
	return r;
}

int config_load_secrets(const char *path, struct station_secrets *ret, struct config_errors *errs)
{
	struct config_errors scratch;
	struct station_secrets s = {0};
	struct parser p = {
		.keys = secrets_keys,
		.n_keys = ELEMENTSOF(secrets_keys),
		.target = &s,
		.errs = errs ? errs : &scratch,
	};
	char *buf = NULL;
	size_t len = 0;
	int r;

	p.errs->n = p.errs->n_dropped = 0;
	r = read_whole_file(path, true, SECRETS_FILE_SIZE_MAX, &buf, &len, p.errs);
	if (r < 0)
		return r;
	p.buf = buf;
	p.len = len;
	r = run_parser(&p);
	sodium_memzero(buf, len);
	free(buf);
	if (r >= 0 && (p.errs->n > 0 || p.errs->n_dropped > 0))
		r = -EINVAL;
	if (r >= 0)
		*ret = s;
	sodium_memzero(&s, sizeof(s));
	return r;
}

void config_secrets_wipe(struct station_secrets *s)
{
	if (s)
		sodium_memzero(s, sizeof(*s));
}

const char *config_log_level_to_string(enum config_log_level l)
{
	if ((unsigned)l >= ELEMENTSOF(log_levels) - 1)
		return NULL;
	return log_levels[l];
}
