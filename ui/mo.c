/* SPDX-License-Identifier: MIT */
/*
 * The .mo layout (GNU gettext manual, "The Format of GNU MO Files"): a
 * header of 32-bit words in the writer's byte order (magic 0x950412de,
 * revision, N, offset of the originals' table, offset of the
 * translations' table, hash size, hash offset), then two tables of N
 * (length, offset) pairs, each string followed by a NUL. The hash table is
 * optional and not used: the entries are sorted here and searched by
 * bisection.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mo.h"

#define MO_MAGIC    0x950412deU
#define MO_MAX_SIZE (16U << 20)

struct mo_entry {
	const char *msgid, *msgstr;
};

struct ui_mo {
	char *data;
	size_t n;
	struct mo_entry *entries; /* sorted by msgid, header left out */
};

struct reader {
	const unsigned char *p;
	size_t size;
	bool swap;
};

static bool read_u32(const struct reader *r, uint64_t off, uint32_t *ret)
{
	const unsigned char *b;

	if (off > r->size || r->size - off < 4)
		return false;
	b = r->p + off;
	if (r->swap)
		*ret = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	else
		*ret = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
	return true;
}

/* Well-formed UTF-8 (no overlong forms, surrogates or values past
 * U+10FFFF); NUL bytes allowed, they separate plural forms. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* The i-th string of the table at off: inside the file, NUL-terminated,
 * UTF-8. */
static const char *string_at(const struct reader *r, uint32_t table, uint32_t i)
{
	uint32_t len, off;

	if (!read_u32(r, (uint64_t)table + 8ULL * i, &len) ||
	    !read_u32(r, (uint64_t)table + 8ULL * i + 4, &off))
		return NULL;
	if ((uint64_t)off + len >= r->size || r->p[(uint64_t)off + len] != '\0')
		return NULL;
	if (!utf8_valid(r->p + off, len))
		return NULL;
	return (const char *)r->p + off;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct mo_entry *)a)->msgid, ((const struct mo_entry *)b)->msgid);
}

/* The header's Content-Type names the charset of every string; anything
 * but UTF-8 would reach Pango as garbage. No header, or no charset in it,
 * is taken as UTF-8 (the strings are checked anyway). */
static bool header_charset_ok(const char *header)
{
	const char *ct = strstr(header, "Content-Type:");
	const char *cs;
	size_t len;

	if (!ct)
		return true;
	cs = strstr(ct, "charset=");
	if (!cs || cs > ct + strcspn(ct, "\n"))
		return true;
	cs += strlen("charset=");
	len = strcspn(cs, " \t;\n");
	return len == 5 && strncasecmp(cs, "UTF-8", 5) == 0;
}

int ui_mo_parse(const void *data, size_t size, struct ui_mo **ret_mo)
{
	struct reader r = {.p = data, .size = size};
	uint32_t magic, revision, n, originals, translations;
	struct ui_mo *mo;
	int r_err = -EBADMSG;

	if (!data || !read_u32(&r, 0, &magic))
		return -EBADMSG;
	if (magic != MO_MAGIC) {
		r.swap = true;
		if (!read_u32(&r, 0, &magic) || magic != MO_MAGIC)
			return -EBADMSG;
	}
	/* Major revisions 0 and 1 share this layout (1 adds system-dependent
	 * strings, which sit in tables of their own and are ignored). */
	if (!read_u32(&r, 4, &revision) || revision >> 16 > 1 || !read_u32(&r, 8, &n) ||
	    !read_u32(&r, 12, &originals) || !read_u32(&r, 16, &translations))
		return -EBADMSG;
	/* Both tables inside the file: this also bounds n by size / 8. */
	if ((uint64_t)originals + 8ULL * n > size || (uint64_t)translations + 8ULL * n > size)
		return -EBADMSG;

	mo = calloc(1, sizeof(*mo));
	if (!mo)
		return -ENOMEM;
	mo->data = malloc(size + 1);
	mo->entries = calloc(n ? n : 1, sizeof(*mo->entries));
	if (!mo->data || !mo->entries) {
		r_err = -ENOMEM;
		goto fail;
	}
	memcpy(mo->data, data, size);
	mo->data[size] = '\0';
	r.p = (const unsigned char *)mo->data;

	for (uint32_t i = 0; i < n; i++) {
		const char *msgid = string_at(&r, originals, i);
		const char *msgstr = string_at(&r, translations, i);

		if (!msgid || !msgstr)
			goto fail;
		if (!*msgid) {
			if (!header_charset_ok(msgstr))
				goto fail;
			continue;
		}
		mo->entries[mo->n++] = (struct mo_entry){.msgid = msgid, .msgstr = msgstr};
	}
	qsort(mo->entries, mo->n, sizeof(*mo->entries), compare_entries);
	/* One translation per msgid, or a lookup would depend on the sort. */
	for (size_t i = 1; i < mo->n; i++)
		if (strcmp(mo->entries[i - 1].msgid, mo->entries[i].msgid) == 0)
			goto fail;
	*ret_mo = mo;
	return 0;

fail:
	ui_mo_free(mo);
	return r_err;
}

int ui_mo_load(const char *path, struct ui_mo **ret_mo)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EBADMSG;
		goto out;
	}
	if (st.st_size > (off_t)MO_MAX_SIZE) {
		r = -EFBIG;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = -errno;
			goto out;
		}
		if (k == 0)
			break; /* shrank under us: parse what is there */
		got += (size_t)k;
	}
	r = ui_mo_parse(buf, got, ret_mo);
out:
	free(buf);
	close(fd);
	return r;
}

struct ui_mo *ui_mo_free(struct ui_mo *mo)
{
	if (!mo)
		return NULL;
	free(mo->entries);
	free(mo->data);
	free(mo);
	return NULL;
}

const char *ui_mo_lookup(const struct ui_mo *mo, const char *key)
{
	const struct mo_entry want = {.msgid = key}, *e;

	if (!mo || !key || !*key)
		return NULL;
	e = bsearch(&want, mo->entries, mo->n, sizeof(*mo->entries), compare_entries);
	return e && *e->msgstr ? e->msgstr : NULL;
}

size_t ui_mo_count(const struct ui_mo *mo)
{
	return mo ? mo->n : 0;
}

int ui_mo_entry(const struct ui_mo *mo, size_t i, const char **ret_msgid, const char **ret_msgstr)
{
	if (!mo || i >= mo->n)
		return -ERANGE;
	if (ret_msgid)
		*ret_msgid = mo->entries[i].msgid;
	if (ret_msgstr)
		*ret_msgstr = mo->entries[i].msgstr;
	return 0;
}
