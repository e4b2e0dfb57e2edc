/* SPDX-License-Identifier: MIT */
/*
 * The e-KTP biodata parser (ektp-biodata.h, which documents the assumed
 * layout). Every length is checked against what is left of the input
 * before it is used.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "ektp-biodata.h"

enum {
	TAG_NIK = 0x01,
	TAG_NAME,
	TAG_BIRTH_PLACE,
	TAG_BIRTH_DATE,
	TAG_SEX,
	TAG_ADDRESS,
	TAG_RT_RW,
	TAG_VILLAGE,
	TAG_DISTRICT,
	TAG_REGENCY,
	TAG_PROVINCE,
	TAG_LAST = TAG_PROVINCE,
};

/* Reads a BER length at buf[*pos]; advances *pos. 0 or -EBADMSG. */
static int ber_len(const uint8_t *buf, size_t len, size_t *pos, size_t *ret)
{
	size_t p = *pos, n;

	if (p >= len)
		return -EBADMSG;
	if (buf[p] < 0x80) {
		n = buf[p];
		p += 1;
	} else if (buf[p] == 0x81) {
		if (len - p < 2 || buf[p + 1] < 0x80) /* not minimal: refuse */
			return -EBADMSG;
		n = buf[p + 1];
		p += 2;
	} else if (buf[p] == 0x82) {
		if (len - p < 3)
			return -EBADMSG;
		n = (size_t)buf[p + 1] << 8 | buf[p + 2];
		if (n < 0x100)
			return -EBADMSG;
		p += 3;
	} else {
		return -EBADMSG;
	}
	*pos = p;
	*ret = n;
	return 0;
}

int ektp_biodata_total_len(const uint8_t *buf, size_t len)
{
	size_t pos = 1, n;

	if (!buf || len < 2)
		return buf && len == 1 && buf[0] != EKTP_BIODATA_TAG ? -EBADMSG : -EAGAIN;
	if (buf[0] != EKTP_BIODATA_TAG)
		return -EBADMSG;
	if ((buf[1] == 0x81 && len < 3) || (buf[1] == 0x82 && len < 4))
		return -EAGAIN;
	if (ber_len(buf, len, &pos, &n) < 0)
		return -EBADMSG;
	return (int)(pos + n);
}

/* Valid UTF-8 (no overlongs, no surrogates) without C0/C1 controls or
 * DEL: what a name or address on a card may hold. */
static bool text_ok(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		uint32_t cp;
		size_t k;

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i <= k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return false;
		i += k + 1;
	}
	return true;
}

static int put_text(char *dst, size_t size, const uint8_t *v, size_t n)
{
	if (n == 0 || n >= size || !text_ok(v, n))
		return -EBADMSG;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return 0;
}

static int two_digits(const uint8_t *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* "DD-MM-YYYY" */
static int parse_date(const uint8_t *v, size_t n, struct nik_date *ret)
{
	int d, m, y1, y2;

	if (n != 10 || v[2] != '-' || v[5] != '-')
		return -EBADMSG;
	d = two_digits(v);
	m = two_digits(v + 3);
	y1 = two_digits(v + 6);
	y2 = two_digits(v + 8);
	if (d < 0 || m < 0 || y1 < 0 || y2 < 0)
		return -EBADMSG;
	*ret = (struct nik_date){.year = y1 * 100 + y2, .month = m, .day = d};
	return nik_date_is_valid(ret) ? 0 : -EBADMSG;
}

static int parse_sex(const uint8_t *v, size_t n, enum nik_sex *ret)
{
	if (n == 9 && memcmp(v, "LAKI-LAKI", 9) == 0)
		*ret = NIK_SEX_MALE;
	else if (n == 9 && memcmp(v, "PEREMPUAN", 9) == 0)
		*ret = NIK_SEX_FEMALE;
	else
		return -EBADMSG;
	return 0;
}

static int parse_field(struct ektp_biodata *b, uint8_t tag, const uint8_t *v, size_t n)
{
	switch (tag) {
	case TAG_NIK:
		if (n != NIK_LEN)
			return -EBADMSG;
		memcpy(b->nik, v, NIK_LEN);
		b->nik[NIK_LEN] = '\0';
		return 0;
	case TAG_NAME:
		return put_text(b->name, sizeof(b->name), v, n);
	case TAG_BIRTH_PLACE:
		return put_text(b->birth_place, sizeof(b->birth_place), v, n);
	case TAG_BIRTH_DATE:
		return parse_date(v, n, &b->birth);
	case TAG_SEX:
		return parse_sex(v, n, &b->sex);
	case TAG_ADDRESS:
		return put_text(b->address, sizeof(b->address), v, n);
	case TAG_RT_RW:
		return put_text(b->rt_rw, sizeof(b->rt_rw), v, n);
	case TAG_VILLAGE:
		return put_text(b->village, sizeof(b->village), v, n);
	case TAG_DISTRICT:
		return put_text(b->district, sizeof(b->district), v, n);
	case TAG_REGENCY:
		return put_text(b->regency, sizeof(b->regency), v, n);
	case TAG_PROVINCE:
		return put_text(b->province, sizeof(b->province), v, n);
	default:
		return 0; /* skipped on purpose: see the header */
	}
}

static int parse_into(const uint8_t *buf, size_t len, const struct nik_date *today,
		      struct ektp_biodata *b)
{
	const unsigned required =
		1u << TAG_NIK | 1u << TAG_NAME | 1u << TAG_BIRTH_DATE | 1u << TAG_SEX;
	struct nik_info info;
	unsigned seen = 0;
	size_t pos = 1, end, n;
	int r;

	if (!buf || len < 2 || buf[0] != EKTP_BIODATA_TAG)
		return -EBADMSG;
	r = ber_len(buf, len, &pos, &n);
	if (r < 0 || n > len - pos)
		return -EBADMSG;
	end = pos + n;
	while (pos < end) {
		uint8_t tag = buf[pos++];
		size_t vlen;

		r = ber_len(buf, end, &pos, &vlen);
		if (r < 0 || vlen > end - pos)
			return -EBADMSG;
		if (tag >= TAG_NIK && tag <= TAG_LAST) {
			if (seen & 1u << tag)
				return -EBADMSG;
			seen |= 1u << tag;
		}
		r = parse_field(b, tag, buf + pos, vlen);
		if (r < 0)
			return r;
		pos += vlen;
	}
	if ((seen & required) != required)
		return -EBADMSG;
	if (nik_parse(b->nik, NIK_LEN, today, &info) < 0)
		return -EBADMSG;
	r = info.birth.year == b->birth.year && info.birth.month == b->birth.month &&
			    info.birth.day == b->birth.day && info.sex == b->sex
		    ? 0
		    : -EBADMSG;
	sodium_memzero(&info, sizeof(info));
	return r;
}

int ektp_biodata_parse(const uint8_t *buf, size_t len, const struct nik_date *today,
		       struct ektp_biodata *ret)
{
	struct ektp_biodata b = {0};
	int r;

	if (!ret)
		return -EINVAL;
	r = parse_into(buf, len, today, &b);
	if (r == 0)
		*ret = b;
	sodium_memzero(&b, sizeof(b));
	return r;
}

void ektp_biodata_wipe(struct ektp_biodata *b)
{
	if (b)
		sodium_memzero(b, sizeof(*b));
}
