/* SPDX-License-Identifier: MIT */
/*
 * Masking of personal data (privacy.h). Every function writes a complete,
 * NUL-terminated string that fits in size bytes: a piece that would not fit
 * whole (a bullet, a UTF-8 character) is left out rather than cut, so the
 * result is always valid UTF-8.
 */
#include <stdbool.h>
#include <string.h>

#include "privacy.h"

#define BULLET	   "\xe2\x80\xa2" /* U+2022 */
#define NIK_DIGITS 16
/* Names longer than this are not names: stop reading (bounds the work on
 * hostile input that has no NUL where it should). */
#define NAME_SCAN_MAX 256

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_init(struct out *o, char *buf, size_t size)
{
	*o = (struct out){.buf = buf, .size = size};
	if (size > 0)
		buf[0] = '\0';
}

/* Appends n bytes if they fit whole (with the NUL); returns whether they
 * did. */
static bool out_put(struct out *o, const char *s, size_t n)
{
	if (o->size == 0 || n > o->size - 1 - o->len)
		return false;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return true;
}

static bool out_str(struct out *o, const char *s)
{
	return out_put(o, s, strlen(s));
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

char *privacy_mask_nik(const char *nik, char *buf, size_t size)
{
	struct out o;
	size_t len = nik ? strnlen(nik, NIK_DIGITS + 1) : 0;
	bool ok = len == NIK_DIGITS;

	out_init(&o, buf, size);
	for (size_t i = 0; ok && i < len; i++)
		ok = is_digit(nik[i]);
	if (!ok) {
		/* Nothing of a malformed value is shown: it may be a NIK
		 * with a typo, still personal. */
		for (int i = 0; i < 4; i++)
			out_str(&o, BULLET);
		return buf;
	}
	out_put(&o, nik, 4);
	for (int i = 0; i < 8; i++)
		out_str(&o, BULLET);
	out_put(&o, nik + 12, 4);
	return buf;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Length of the UTF-8 sequence starting at s (at most avail bytes): 1 for
 * ASCII or a stray byte, so a malformed name still advances. */
static size_t utf8_char_len(const unsigned char *s, size_t avail)
{
	size_t n = 1;

	if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else if (s[0] >= 0xe0)
		n = 3;
	else if (s[0] >= 0xc2 && s[0] < 0xe0)
		n = 2;
	if (n > avail)
		return 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

char *privacy_mask_name(const char *name, char *buf, size_t size)
{
	struct out o;
	const unsigned char *s = (const unsigned char *)name;
	size_t len = name ? strnlen(name, NAME_SCAN_MAX) : 0;
	size_t i = 0;
	bool first = true;

	out_init(&o, buf, size);
	while (i < len) {
		size_t start, end;

		while (i < len && is_space(s[i]))
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && !is_space(s[i]))
			i++;
		end = i;

		if (first) {
			/* The first word in full, as far as whole
			 * characters fit. */
			for (size_t j = start; j < end;) {
				size_t n = utf8_char_len(s + j, end - j);
				if (!out_put(&o, name + j, n))
					break;
				j += n;
			}
			first = false;
			continue;
		}
		/* Then " X." per further word, or nothing if it does not
		 * fit whole. */
		size_t n = utf8_char_len(s + start, end - start);
		size_t mark = o.len;
		if (!out_str(&o, " ") || !out_put(&o, name + start, n) || !out_str(&o, ".")) {
			o.len = mark;
			if (o.size > 0)
				o.buf[mark] = '\0';
			break;
		}
	}
	return buf;
}

char *privacy_mask_uid(const uint8_t *uid, size_t len, char *buf, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	struct out o;

	out_init(&o, buf, size);
	if (!uid)
		return buf;
	for (size_t i = 0; i < len; i++) {
		char byte[3] = {hex[uid[i] >> 4], hex[uid[i] & 0xf], '\0'};
		/* A UID of 2 bytes or fewer would be shown whole: mask it
		 * all. */
		bool shown = len > 2 && i + 2 >= len;

		size_t mark = o.len;

		if ((i > 0 && !out_str(&o, ":")) ||
		    !(shown ? out_str(&o, byte) : out_str(&o, BULLET BULLET))) {
			/* No dangling separator. */
			o.len = mark;
			if (o.size > 0)
				o.buf[mark] = '\0';
			break;
		}
	}
	return buf;
}
