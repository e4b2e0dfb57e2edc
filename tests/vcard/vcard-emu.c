/* SPDX-License-Identifier: MIT */
/*
 * The virtual e-KTP and SAM (vcard-emu.h). Written from the description
 * in the header and in devices/ektp.c, independently of the station's
 * parser: the biodata is encoded here by its own code.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "vcard-emu.h"

const uint8_t vcard_test_key[VCARD_KEY_LEN] = {
	0x4b, 0x54, 0x50, 0x2d, 0x54, 0x45, 0x53, 0x54, 0x2d, 0x4b, 0x45,
	0x59, 0x2d, 0x30, 0x31, 0x00, 0x10, 0x32, 0x54, 0x76, 0x98, 0xba,
	0xdc, 0xfe, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
};
const uint8_t vcard_test_unlock[32] = {
	0x53, 0x41, 0x4d, 0x2d, 0x55, 0x4e, 0x4c, 0x4f, 0x43, 0x4b, 0x2d,
	0x54, 0x45, 0x53, 0x54, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
	0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
};

static const uint8_t atr_a[] = {0x3b, 0x8b, 0x80, 0x01, 0x65, 0x4b, 0x54, 0x50,
				0x30, 0x44, 0x32, 0x65, 0x4b, 0x54, 0x50, 0x4c};
static const uint8_t atr_b[] = {0x3b, 0x8c, 0x80, 0x01, 0x50, 0x00, 0x00, 0x00, 0x00,
				0x30, 0xaa, 0xaa, 0x01, 0x77, 0x81, 0xd7, 0x00};
static const uint8_t atr_other[] = {0x3b, 0x8f, 0x80, 0x01, 0x80, 0x4f, 0x0c, 0xa0, 0x00, 0x00,
				    0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6a};

static const char *const fault_names[_VCARD_FAULT_MAX] = {
	[VCARD_FAULT_NONE] = "none",
	[VCARD_FAULT_UID_SW] = "uid-sw",
	[VCARD_FAULT_TRUNCATED] = "truncated",
	[VCARD_FAULT_EMPTY] = "empty",
	[VCARD_FAULT_OVERSIZED] = "oversized",
	[VCARD_FAULT_READ_TOO_LONG] = "read-too-long",
	[VCARD_FAULT_READ_SW] = "read-sw",
	[VCARD_FAULT_BAD_MAC] = "bad-mac",
	[VCARD_FAULT_BAD_AUTH] = "bad-auth",
	[VCARD_FAULT_BAD_BIODATA] = "bad-biodata",
	[VCARD_FAULT_HUGE_BIODATA] = "huge-biodata",
	[VCARD_FAULT_MUTE] = "mute",
	[VCARD_FAULT_SLOW] = "slow",
	[VCARD_FAULT_REMOVE] = "remove",
};

int vcard_fault_from_string(const char *s, enum vcard_fault *ret)
{
	for (int i = 0; i < _VCARD_FAULT_MAX; i++)
		if (s && strcmp(s, fault_names[i]) == 0) {
			*ret = (enum vcard_fault)i;
			return 0;
		}
	return -EINVAL;
}

const char *vcard_fault_to_string(enum vcard_fault f)
{
	return (int)f >= 0 && f < _VCARD_FAULT_MAX ? fault_names[f] : "invalid";
}

/* ---- building the files --------------------------------------------------- */

struct enc {
	uint8_t *buf;
	size_t len, size;
	bool overflow;
};

static void put_bytes(struct enc *e, const void *p, size_t n)
{
	if (n > e->size - e->len) {
		e->overflow = true;
		return;
	}
	memcpy(e->buf + e->len, p, n);
	e->len += n;
}

static void put_len(struct enc *e, size_t n)
{
	uint8_t b[3];

	if (n < 0x80) {
		b[0] = (uint8_t)n;
		put_bytes(e, b, 1);
	} else if (n < 0x100) {
		b[0] = 0x81;
		b[1] = (uint8_t)n;
		put_bytes(e, b, 2);
	} else {
		b[0] = 0x82;
		b[1] = (uint8_t)(n >> 8);
		b[2] = (uint8_t)n;
		put_bytes(e, b, 3);
	}
}

static void put_tlv(struct enc *e, uint8_t tag, const char *s)
{
	size_t n;

	if (!s || !*s)
		return;
	n = strlen(s);
	put_bytes(e, &tag, 1);
	put_len(e, n);
	put_bytes(e, s, n);
}

static int build_biodata(struct vcard_card *c, const struct vcard_identity *id)
{
	uint8_t body[2048];
	struct enc e = {.buf = body, .size = sizeof(body)};
	struct enc f = {.buf = c->biodata, .size = sizeof(c->biodata)};
	char date[16];
	const char *nik = id->nik;
	unsigned day;

	if (!nik || strlen(nik) != 16)
		return -EINVAL;
	day = (unsigned)((nik[6] - '0') * 10 + (nik[7] - '0')) % 100;
	if (day > 40)
		day -= 40;
	if (c->fault == VCARD_FAULT_BAD_BIODATA)
		day = day == 1 ? 2 : 1;
	/* 20yy or 19yy as the station decides; a card from 19xx here. */
	snprintf(date, sizeof(date), "%02u-%c%c-%s%c%c", day, nik[8], nik[9],
		 nik[10] <= '2' ? "20" : "19", nik[10], nik[11]);
	put_tlv(&e, 0x01, nik);
	put_tlv(&e, 0x02, id->name);
	put_tlv(&e, 0x03, id->birth_place);
	date[10] = '\0';
	put_tlv(&e, 0x04, date);
	put_tlv(&e, 0x05, nik[6] >= '4' ? "PEREMPUAN" : "LAKI-LAKI");
	put_tlv(&e, 0x06, id->address);
	put_tlv(&e, 0x07, id->rt_rw);
	put_tlv(&e, 0x08, id->village);
	put_tlv(&e, 0x09, id->district);
	put_tlv(&e, 0x0a, id->regency);
	put_tlv(&e, 0x0b, id->province);
	put_tlv(&e, 0x0c, "ISLAM");	   /* religion: the station skips it */
	put_tlv(&e, 0x0e, "WNI");	   /* nationality: likewise */
	put_tlv(&e, 0x0f, "SEUMUR HIDUP"); /* validity */
	if (e.overflow)
		return -EINVAL;
	put_bytes(&f, (const uint8_t[]){0x70}, 1);
	put_len(&f, c->fault == VCARD_FAULT_HUGE_BIODATA ? 6000 : e.len);
	put_bytes(&f, body, e.len);
	/* The EF is fixed-size: padding after the template. */
	for (int i = 0; i < 37 && !f.overflow; i++)
		put_bytes(&f, (const uint8_t[]){0xff}, 1);
	if (f.overflow)
		return -EINVAL;
	c->biodata_len = f.len;
	return 0;
}

int vcard_card_init(struct vcard_card *c, enum vcard_type type, const struct vcard_identity *id,
		    const uint8_t *uid, size_t uid_len)
{
	enum vcard_fault fault = c->fault;

	memset(c, 0, sizeof(*c));
	c->fault = fault;
	c->type = type;
	switch (type) {
	case VCARD_TYPE_A:
		memcpy(c->atr, atr_a, sizeof(atr_a));
		c->atr_len = sizeof(atr_a);
		break;
	case VCARD_TYPE_B: {
		uint8_t x = 0;

		memcpy(c->atr, atr_b, sizeof(atr_b));
		c->atr_len = sizeof(atr_b);
		randombytes_buf(c->atr + 5, 4); /* varies per card */
		for (size_t i = 1; i < c->atr_len - 1; i++)
			x ^= c->atr[i];
		c->atr[c->atr_len - 1] = x;
		break;
	}
	default:
		memcpy(c->atr, atr_other, sizeof(atr_other));
		c->atr_len = sizeof(atr_other);
		break;
	}
	if (uid) {
		if (uid_len == 0 || uid_len > sizeof(c->uid))
			return -EINVAL;
		memcpy(c->uid, uid, uid_len);
		c->uid_len = uid_len;
	} else {
		c->uid_len = type == VCARD_TYPE_B ? 4 : 7;
		randombytes_buf(c->uid, c->uid_len);
	}
	memcpy(c->key, vcard_test_key, sizeof(c->key));
	/* A photo-sized blob (JPEG 2000 magic, then a pattern). */
	c->photo_len = 3000;
	for (size_t i = 0; i < c->photo_len; i++)
		c->photo[i] = (uint8_t)(i * 7 + 3);
	memcpy(c->photo, "\x00\x00\x00\x0cjP  ", 8);
	return id ? build_biodata(c, id) : 0;
}

void vcard_sam_init(struct vcard_sam *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->key, vcard_test_key, sizeof(s->key));
	memcpy(s->unlock, vcard_test_unlock, sizeof(s->unlock));
}

void vcard_card_reset(struct vcard_card *c)
{
	c->df_selected = c->authenticated = c->challenged = false;
	c->ef = 0;
	c->counter = 0;
	sodium_memzero(c->k_enc, sizeof(c->k_enc));
	sodium_memzero(c->k_mac, sizeof(c->k_mac));
}

void vcard_sam_reset(struct vcard_sam *s)
{
	s->unlocked = s->authenticated = false;
	s->counter = 0;
	sodium_memzero(s->k_enc, sizeof(s->k_enc));
	sodium_memzero(s->k_mac, sizeof(s->k_mac));
}

/* ---- crypto shared by both sides ----------------------------------------- */

static void hmac(const uint8_t key[32], const char *label, const uint8_t a[8], const uint8_t b[8],
		 uint8_t out[32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)label, strlen(label));
	crypto_auth_hmacsha256_update(&st, a, 8);
	crypto_auth_hmacsha256_update(&st, b, 8);
	crypto_auth_hmacsha256_final(&st, out);
}

static void derive(const uint8_t key[32], const uint8_t icc[8], const uint8_t sam[8],
		   uint8_t k_enc[32], uint8_t k_mac[32])
{
	hmac(key, "ENC", icc, sam, k_enc);
	hmac(key, "MAC", icc, sam, k_mac);
}

/* Protects n bytes: out = counter | ChaCha20(in) | MAC8. dir 'C' or 'R'. */
static size_t protect(const uint8_t k_enc[32], const uint8_t k_mac[32], uint32_t ctr, char dir,
		      const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t nonce[8] = {
		(uint8_t)dir,	     0,		  0, 0, (uint8_t)(ctr >> 24), (uint8_t)(ctr >> 16),
		(uint8_t)(ctr >> 8), (uint8_t)ctr};
	uint8_t mac[32];
	crypto_auth_hmacsha256_state st;

	memcpy(out, nonce + 4, 4);
	crypto_stream_chacha20_xor(out + 4, in, n, nonce, k_enc);
	crypto_auth_hmacsha256_init(&st, k_mac, 32);
	crypto_auth_hmacsha256_update(&st, nonce, 8);
	crypto_auth_hmacsha256_update(&st, out + 4, n);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out + 4 + n, mac, 8);
	return 4 + n + 8;
}

/* Checks and opens a protected blob; returns the plain length or -1. */
static int unprotect(const uint8_t k_enc[32], const uint8_t k_mac[32], uint32_t ctr, char dir,
		     const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t nonce[8] = {
		(uint8_t)dir,	     0,		  0, 0, (uint8_t)(ctr >> 24), (uint8_t)(ctr >> 16),
		(uint8_t)(ctr >> 8), (uint8_t)ctr};
	uint8_t mac[32];
	crypto_auth_hmacsha256_state st;

	if (n < 12 || memcmp(in, nonce + 4, 4) != 0)
		return -1;
	crypto_auth_hmacsha256_init(&st, k_mac, 32);
	crypto_auth_hmacsha256_update(&st, nonce, 8);
	crypto_auth_hmacsha256_update(&st, in + 4, n - 12);
	crypto_auth_hmacsha256_final(&st, mac);
	if (sodium_memcmp(mac, in + n - 8, 8) != 0)
		return -1;
	crypto_stream_chacha20_xor(out, in + 4, n - 12, nonce, k_enc);
	return (int)(n - 12);
}

static size_t sw(uint8_t *resp, size_t n, uint16_t s)
{
	resp[n] = (uint8_t)(s >> 8);
	resp[n + 1] = (uint8_t)s;
	return n + 2;
}

/* ---- the card ------------------------------------------------------------- */

/* A plain command inside secure messaging: SELECT EF, READ BINARY. */
static size_t card_inner(struct vcard_card *c, const uint8_t *cmd, size_t n, uint8_t *resp)
{
	const uint8_t *file;
	size_t flen, off, le, give;

	if (n >= 7 && cmd[1] == 0xa4 && cmd[4] == 2) {
		uint16_t fid = (uint16_t)(cmd[5] << 8 | cmd[6]);

		if (fid != 0x6ff1 && fid != 0x6ff2)
			return sw(resp, 0, 0x6a82);
		c->ef = fid;
		return sw(resp, 0, 0x9000);
	}
	if (n == 5 && cmd[1] == 0xb0) {
		if (c->fault == VCARD_FAULT_READ_SW)
			return sw(resp, 0, 0x6982);
		if (!c->ef)
			return sw(resp, 0, 0x6986);
		file = c->ef == 0x6ff1 ? c->biodata : c->photo;
		flen = c->ef == 0x6ff1 ? c->biodata_len : c->photo_len;
		off = (size_t)(cmd[2] & 0x7f) << 8 | cmd[3];
		le = cmd[4] ? cmd[4] : 256;
		if (off >= flen)
			return sw(resp, 0, 0x6b00);
		give = flen - off < le ? flen - off : le;
		if (c->fault == VCARD_FAULT_READ_TOO_LONG)
			give = le + 10 <= 230 ? le + 10 : 230;
		memset(resp, 0xee, give);
		memcpy(resp, file + off, give < flen - off ? give : flen - off);
		return sw(resp, give, give < le ? 0x6282 : 0x9000);
	}
	return sw(resp, 0, 0x6d00);
}

static size_t card_protected(struct vcard_card *c, const uint8_t *cmd, size_t n, uint8_t *resp)
{
	uint8_t plain[256], inner[VCARD_RESP_MAX];
	size_t lc, rn, out;
	int pn;

	if (!c->authenticated)
		return sw(resp, 0, 0x6982);
	if (n < 6)
		return sw(resp, 0, 0x6700);
	lc = cmd[4];
	if (n < 5 + lc)
		return sw(resp, 0, 0x6700);
	c->counter++;
	pn = unprotect(c->k_enc, c->k_mac, c->counter, 'C', cmd + 5, lc, plain);
	if (pn < 4)
		return sw(resp, 0, 0x6988);
	rn = card_inner(c, plain, (size_t)pn, inner);
	if (rn > 240)
		rn = 240;
	out = protect(c->k_enc, c->k_mac, c->counter, 'R', inner, rn, resp);
	if (c->fault == VCARD_FAULT_BAD_MAC)
		resp[out - 1] ^= 0x5a;
	return sw(resp, out, 0x9000);
}

size_t vcard_card_apdu(struct vcard_card *c, const uint8_t *cmd, size_t n, uint8_t *resp)
{
	uint8_t expect[32];

	c->apdus++;
	if (n < 4)
		return sw(resp, 0, 0x6700);
	if (c->type == VCARD_TYPE_OTHER && cmd[0] != 0xff)
		return sw(resp, 0, 0x6e00);
	if (cmd[0] == 0xff && cmd[1] == 0xca) {
		switch (c->fault) {
		case VCARD_FAULT_UID_SW:
			return sw(resp, 0, 0x6a81);
		case VCARD_FAULT_TRUNCATED:
			resp[0] = c->uid[0];
			return 1;
		case VCARD_FAULT_EMPTY:
			return 0;
		case VCARD_FAULT_OVERSIZED:
			memset(resp, 0xa5, 288);
			return sw(resp, 288, 0x9000);
		default:
			memcpy(resp, c->uid, c->uid_len);
			return sw(resp, c->uid_len, 0x9000);
		}
	}
	if (cmd[0] == 0x0c)
		return card_protected(c, cmd, n, resp);
	if (cmd[0] != 0x00)
		return sw(resp, 0, 0x6e00);
	switch (cmd[1]) {
	case 0xa4: /* SELECT DF */
		if (n >= 7 && cmd[4] == 2 && cmd[5] == 0x7f && cmd[6] == 0x0a) {
			c->df_selected = true;
			return sw(resp, 0, 0x9000);
		}
		return sw(resp, 0, 0x6a82);
	case 0x84: /* GET CHALLENGE */
		if (n != 5 || cmd[4] != 8)
			return sw(resp, 0, 0x6700);
		randombytes_buf(c->rnd_icc, 8);
		c->challenged = true;
		c->authenticated = false;
		memcpy(resp, c->rnd_icc, 8);
		return sw(resp, 8, 0x9000);
	case 0x82: /* EXTERNAL AUTHENTICATE */
		if (!c->challenged || !c->df_selected)
			return sw(resp, 0, 0x6985);
		c->challenged = false;
		if (n < 5 + 40 || cmd[4] != 40)
			return sw(resp, 0, 0x6700);
		memcpy(c->rnd_sam, cmd + 5, 8);
		hmac(c->key, "EXT", c->rnd_icc, c->rnd_sam, expect);
		if (c->fault == VCARD_FAULT_BAD_AUTH || sodium_memcmp(expect, cmd + 13, 32) != 0)
			return sw(resp, 0, 0x6300);
		derive(c->key, c->rnd_icc, c->rnd_sam, c->k_enc, c->k_mac);
		c->counter = 0;
		c->authenticated = true;
		hmac(c->key, "INT", c->rnd_sam, c->rnd_icc, resp);
		return sw(resp, 32, 0x9000);
	case 0xb0:
		return sw(resp, 0, 0x6982); /* files only through SM */
	default:
		return sw(resp, 0, 0x6d00);
	}
}

/* ---- the SAM -------------------------------------------------------------- */

size_t vcard_sam_apdu(struct vcard_sam *s, const uint8_t *cmd, size_t n, uint8_t *resp)
{
	uint8_t expect[32], plain[VCARD_RESP_MAX];
	size_t lc = n > 4 ? cmd[4] : 0;
	int pn;

	s->apdus++;
	if (n < 4 || cmd[0] != 0x00)
		return sw(resp, 0, 0x6e00);
	if (n > 4 && n < 5 + lc)
		return sw(resp, 0, 0x6700);
	if (cmd[1] != 0xf0 && !s->unlocked)
		return sw(resp, 0, 0x6982);
	switch (cmd[1]) {
	case 0xf0:
		s->unlocked = lc == 32 && sodium_memcmp(cmd + 5, s->unlock, 32) == 0;
		s->authenticated = false;
		return sw(resp, 0, s->unlocked ? 0x9000 : 0x6982);
	case 0xf1:
		if (lc != 8)
			return sw(resp, 0, 0x6700);
		memcpy(s->rnd_icc, cmd + 5, 8);
		randombytes_buf(s->rnd_sam, 8);
		memcpy(resp, s->rnd_sam, 8);
		hmac(s->key, "EXT", s->rnd_icc, s->rnd_sam, resp + 8);
		s->authenticated = false;
		return sw(resp, 40, 0x9000);
	case 0xf2:
		hmac(s->key, "INT", s->rnd_sam, s->rnd_icc, expect);
		if (lc != 32 || sodium_memcmp(expect, cmd + 5, 32) != 0)
			return sw(resp, 0, 0x6300);
		derive(s->key, s->rnd_icc, s->rnd_sam, s->k_enc, s->k_mac);
		s->counter = 0;
		s->authenticated = true;
		return sw(resp, 0, 0x9000);
	case 0xf3: {
		size_t out;

		if (!s->authenticated)
			return sw(resp, 0, 0x6985);
		if (lc < 4 || lc > 243)
			return sw(resp, 0, 0x6700);
		s->counter++;
		resp[0] = 0x0c;
		memcpy(resp + 1, cmd + 6, 3); /* INS P1 P2 of the plain command */
		out = protect(s->k_enc, s->k_mac, s->counter, 'C', cmd + 5, lc, resp + 5);
		resp[4] = (uint8_t)out;
		resp[5 + out] = 0x00; /* Le */
		return sw(resp, 6 + out, 0x9000);
	}
	case 0xf4:
		if (!s->authenticated)
			return sw(resp, 0, 0x6985);
		if (lc < 14 || cmd[5 + lc - 2] != 0x90 || cmd[5 + lc - 1] != 0x00)
			return sw(resp, 0, 0x6988);
		pn = unprotect(s->k_enc, s->k_mac, s->counter, 'R', cmd + 5, lc - 2, plain);
		if (pn < 2)
			return sw(resp, 0, 0x6988);
		memcpy(resp, plain, (size_t)pn);
		return sw(resp, (size_t)pn, 0x9000);
	default:
		return sw(resp, 0, 0x6d00);
	}
}
