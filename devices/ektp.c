/* SPDX-License-Identifier: MIT */
/*
 * The e-KTP card profile (ektp.h).
 *
 * ATRs: pcsc-tools' smartcard_list.txt lists, for "Indonesian ektp":
 *   3B 8B 80 01 65 4B 54 50 30 44 32 65 4B 54 50 4C    NXP, type A ("eKTP0D2eKTP")
 *   3B 8C 80 01 50 53 81 57 36 30 AA AA 01 77 81 D7 FE type B
 *   3B 8C 80 01 50 5C F5 A9 45 30 AA AA 01 77 81 D7 08 type B
 *   3B 8B 80 01 50 33 30 38 47 30 50 33 5F 31 30 2B    type B
 * In the type B ATRs (PC/SC part 3) the 4 bytes after 50 are the
 * application data of the ATQB and vary per card; TCK follows from them.
 *
 * SAM exchange, byte for byte (the SAM's own commands are proprietary; this
 * is the shape public readers use, and what tests/vcard implements):
 *   SAM  00 F0 00 00 20 <32 unlock bytes>          -> 9000
 *   card 00 A4 00 00 02 7F 0A                      -> 9000 (select DF)
 *   card 00 84 00 00 08                            -> RND.ICC(8) 9000
 *   SAM  00 F1 00 00 08 <RND.ICC> 28               -> cryptogram(40) 9000
 *   card 00 82 00 00 28 <cryptogram>               -> card reply(n) 9000
 *   SAM  00 F2 00 00 n <card reply>                -> 9000
 *   then for each plain command C:
 *   SAM  00 F3 00 00 |C| <C> 00                    -> protected C' 9000
 *   card C'                                        -> protected R'
 *   SAM  00 F4 00 00 |R'| <R'> 00                  -> plain R (data SW) 9000
 * A card that refuses a protected command answers a bare status word,
 * which is not sent to the SAM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ektp.h"

#define CHALLENGE_LEN  8
#define CRYPTOGRAM_LEN 0x28

static const struct ektp_atr_pattern default_table[] = {
	{
		.value = {0x3b, 0x8b, 0x80, 0x01, 0x65, 0x4b, 0x54, 0x50},
		.mask = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		.len = 16,
		.name = "e-KTP type A",
	},
	{
		.value = {0x3b, 0x8c, 0x80, 0x01, 0x50, 0x00, 0x00, 0x00, 0x00, 0x30, 0xaa, 0xaa,
			  0x01, 0x77, 0x81, 0xd7, 0x00},
		.mask = {0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
			 0xff, 0xff, 0xff, 0xff, 0x00},
		.len = 17,
		.name = "e-KTP type B",
	},
	{
		.value = {0x3b, 0x8b, 0x80, 0x01, 0x50, 0x33, 0x30, 0x38, 0x47, 0x30, 0x50, 0x33,
			  0x5f, 0x31, 0x30, 0x00},
		.mask = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			 0xff, 0xff, 0xff, 0x00},
		.len = 16,
		.name = "e-KTP type B (P308G0P3)",
	},
};

const struct ektp_atr_pattern *ektp_atr_default_table(size_t *ret_n)
{
	if (ret_n)
		*ret_n = sizeof(default_table) / sizeof(default_table[0]);
	return default_table;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_wild(char c)
{
	return c == 'x' || c == 'X' || c == '.' || c == '?';
}

int ektp_atr_pattern_parse(const char *text, const char *name, struct ektp_atr_pattern *ret)
{
	struct ektp_atr_pattern p = {0};
	const char *s = text;

	if (!text || !ret)
		return -EINVAL;
	while (*s) {
		int hi, lo;

		if (*s == ' ' || *s == ':' || *s == '\t') {
			s++;
			continue;
		}
		if (!s[1] || p.len == EKTP_ATR_MAX)
			return -EINVAL;
		if (is_wild(s[0]) && is_wild(s[1])) {
			p.value[p.len] = 0;
			p.mask[p.len] = 0;
		} else {
			hi = hexval(s[0]);
			lo = hexval(s[1]);
			if (hi < 0 || lo < 0)
				return -EINVAL;
			p.value[p.len] = (uint8_t)(hi << 4 | lo);
			p.mask[p.len] = 0xff;
		}
		p.len++;
		s += 2;
	}
	/* The shortest ATR is TS T0. */
	if (p.len < 2)
		return -EINVAL;
	if (name) {
		size_t n = strnlen(name, sizeof(p.name) - 1);

		memcpy(p.name, name, n);
		p.name[n] = '\0';
	}
	*ret = p;
	return 0;
}

int ektp_atr_match(const struct ektp_atr_pattern *table, size_t n, const uint8_t *atr, size_t len)
{
	if (!table || !atr)
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		const struct ektp_atr_pattern *p = &table[i];
		size_t j;

		if (p->len != len || len > EKTP_ATR_MAX)
			continue;
		for (j = 0; j < len; j++)
			if ((atr[j] & p->mask[j]) != (p->value[j] & p->mask[j]))
				break;
		if (j == len)
			return (int)i;
	}
	return -ENOENT;
}

int ektp_atr_parse(const uint8_t *atr, size_t len, struct ektp_atr_info *ret)
{
	struct ektp_atr_info info = {.tck_ok = true};
	size_t pos = 2, k;
	uint8_t y, x = 0;
	bool tck_needed = false, have_td1 = false;

	if (!atr || !ret || len < 2 || len > EKTP_ATR_MAX)
		return -EBADMSG;
	if (atr[0] != 0x3b && atr[0] != 0x3f)
		return -EBADMSG;
	k = atr[1] & 0x0f;
	y = atr[1] >> 4;
	/* Interface bytes: Y says which of TA TB TC TD follow; TD's low
	 * nibble names a protocol and its high nibble the next Y. */
	for (int i = 1; y; i++) {
		for (int b = 0; b < 3; b++)
			if (y & (1u << b))
				pos++;
		if (!(y & 0x8)) {
			y = 0;
			break;
		}
		if (pos >= len)
			return -EBADMSG;
		uint8_t td = atr[pos++];
		unsigned t = td & 0x0f;

		if (i == 1)
			have_td1 = true;
		info.protocols |= 1u << t;
		if (t != 0)
			tck_needed = true;
		y = td >> 4;
	}
	if (!have_td1)
		info.protocols |= 1u; /* T=0 is implied */
	if (pos > len || len - pos < k)
		return -EBADMSG;
	memcpy(info.historical, atr + pos, k);
	info.n_historical = k;
	pos += k;
	if (tck_needed) {
		if (pos + 1 != len)
			return -EBADMSG;
		info.has_tck = true;
		for (size_t i = 1; i < len; i++)
			x ^= atr[i];
		info.tck_ok = x == 0;
	} else if (pos != len) {
		return -EBADMSG;
	}
	*ret = info;
	return 0;
}

char *ektp_hex(const uint8_t *bytes, size_t len, char *buf, size_t size)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	if (!buf || size == 0)
		return buf;
	for (i = 0; i < len && 2 * i + 2 < size; i++) {
		buf[2 * i] = digits[bytes[i] >> 4];
		buf[2 * i + 1] = digits[bytes[i] & 0xf];
	}
	buf[2 * i] = '\0';
	return buf;
}

/* ---- the read ----------------------------------------------------------- */

struct reader {
	struct apdu_transport *card;
	struct apdu_transport *sam; /* NULL: no secure messaging */
	const struct ektp_options *opt;
};

/* An unexpected card status word: security ones mean the card did not
 * accept who we are; everything else is a protocol error. */
static int card_sw_error(uint16_t sw)
{
	return apdu_sw_to_errno(sw) == -EACCES || (sw >> 8) == 0x63 ? -EACCES : -EPROTO;
}

/* A plain command to the card; the response must end in 9000. */
static int card_plain(struct reader *rd, const uint8_t *cmd, size_t n, uint8_t *buf,
		      struct apdu_response *ret)
{
	int r = apdu_transceive(rd->card, cmd, n, buf, APDU_RESP_MAX, ret);

	if (r < 0)
		return r;
	return ret->sw == APDU_SW_OK ? 0 : card_sw_error(ret->sw);
}

/* A SAM command (00 ins 00 00 [data] [le]); the response must end in
 * 9000: a SAM that says no is a refusal (-EACCES). */
static int sam_cmd(struct reader *rd, uint8_t ins, const uint8_t *data, size_t lc, int le,
		   uint8_t *buf, struct apdu_response *ret)
{
	uint8_t cmd[APDU_CMD_MAX];
	int n, r;

	n = apdu_build(0x00, ins, 0x00, 0x00, data, lc, le, cmd, sizeof(cmd));
	if (n < 0)
		return -EBADMSG;
	r = apdu_transceive(rd->sam, cmd, (size_t)n, buf, APDU_RESP_MAX, ret);
	sodium_memzero(cmd, sizeof(cmd));
	if (r < 0)
		return r;
	if (ret->sw == APDU_SW_OK)
		return 0;
	return apdu_sw_to_errno(ret->sw) == -EACCES || (ret->sw >> 8) == 0x63 ? -EACCES : -EPROTO;
}

/* One plain command to the card through the SAM's secure messaging.
 * The plain response (data + SW) lands in out, parsed into *ret. */
static int card_wrapped(struct reader *rd, const uint8_t *plain, size_t plain_len, uint8_t *out,
			struct apdu_response *ret)
{
	uint8_t sam_buf[APDU_RESP_MAX], cmd[APDU_CMD_MAX], card_buf[APDU_RESP_MAX];
	struct apdu_response s, c;
	size_t rlen;
	int r;

	r = sam_cmd(rd, 0xf3, plain, plain_len, 256, sam_buf, &s);
	if (r < 0)
		goto out;
	if (s.len < 4 || s.len > sizeof(cmd)) {
		r = -EBADMSG;
		goto out;
	}
	memcpy(cmd, s.data, s.len);
	r = apdu_transceive(rd->card, cmd, s.len, card_buf, sizeof(card_buf), &c);
	if (r < 0)
		goto out;
	if (c.len == 0 && c.sw != APDU_SW_OK) {
		r = card_sw_error(c.sw);
		goto out;
	}
	rlen = c.len + 2; /* data and SW: the SAM checks both */
	if (rlen > 255) {
		r = -EBADMSG;
		goto out;
	}
	r = sam_cmd(rd, 0xf4, card_buf, rlen, 256, sam_buf, &s);
	if (r < 0)
		goto out;
	memcpy(out, s.data, s.len);
	r = apdu_response_parse(out, s.len, ret);
out:
	sodium_memzero(sam_buf, sizeof(sam_buf));
	sodium_memzero(card_buf, sizeof(card_buf));
	sodium_memzero(cmd, sizeof(cmd));
	return r;
}

static int read_uid(struct reader *rd, uint8_t *uid, size_t *ret_len)
{
	static const uint8_t get_uid[] = {0xff, 0xca, 0x00, 0x00, 0x00};
	uint8_t buf[APDU_RESP_MAX];
	struct apdu_response resp;
	int r;

	r = card_plain(rd, get_uid, sizeof(get_uid), buf, &resp);
	if (r < 0)
		goto out;
	/* ISO 14443: 4, 7 or 10 bytes (type B: a 4-byte PUPI). */
	if (resp.len != 4 && resp.len != 7 && resp.len != 10) {
		r = -EBADMSG;
		goto out;
	}
	memcpy(uid, resp.data, resp.len);
	*ret_len = resp.len;
out:
	sodium_memzero(buf, sizeof(buf));
	return r;
}

static int authenticate(struct reader *rd)
{
	static const uint8_t select_df[] = {0x00, 0xa4,		0x00,	       0x00,
					    0x02, EKTP_DF >> 8, EKTP_DF & 0xff};
	static const uint8_t challenge[] = {0x00, 0x84, 0x00, 0x00, CHALLENGE_LEN};
	uint8_t buf[APDU_RESP_MAX], cmd[APDU_CMD_MAX], rnd[CHALLENGE_LEN];
	struct apdu_response resp;
	int n, r;

	r = sam_cmd(rd, 0xf0, rd->opt->sam_unlock, EKTP_UNLOCK_LEN, -1, buf, &resp);
	if (r < 0)
		goto out;
	r = card_plain(rd, select_df, sizeof(select_df), buf, &resp);
	if (r < 0)
		goto out;
	r = card_plain(rd, challenge, sizeof(challenge), buf, &resp);
	if (r < 0)
		goto out;
	if (resp.len != CHALLENGE_LEN) {
		r = -EBADMSG;
		goto out;
	}
	memcpy(rnd, resp.data, CHALLENGE_LEN);
	r = sam_cmd(rd, 0xf1, rnd, CHALLENGE_LEN, CRYPTOGRAM_LEN, buf, &resp);
	if (r < 0)
		goto out;
	if (resp.len != CRYPTOGRAM_LEN) {
		r = -EBADMSG;
		goto out;
	}
	n = apdu_build(0x00, 0x82, 0x00, 0x00, resp.data, resp.len, -1, cmd, sizeof(cmd));
	if (n < 0) {
		r = -EBADMSG;
		goto out;
	}
	r = card_plain(rd, cmd, (size_t)n, buf, &resp);
	if (r < 0)
		goto out;
	if (resp.len == 0 || resp.len > 255) {
		r = -EBADMSG;
		goto out;
	}
	memcpy(cmd, resp.data, resp.len);
	r = sam_cmd(rd, 0xf2, cmd, resp.len, -1, buf, &resp);
out:
	sodium_memzero(buf, sizeof(buf));
	sodium_memzero(cmd, sizeof(cmd));
	sodium_memzero(rnd, sizeof(rnd));
	return r;
}

/* Selects EF fid in the DF and reads it through secure messaging into
 * out (max bytes). For the biodata the template header says where the
 * file's content ends; for other files a short or empty chunk, or an
 * end-of-file status word, does. A file that does not end within max
 * bytes is refused (-EBADMSG). */
static int read_file(struct reader *rd, uint16_t fid, bool biodata, uint8_t *out, size_t max,
		     size_t *ret_len)
{
	uint8_t select_ef[] = {0x00, 0xa4, 0x02, 0x0c, 0x02, fid >> 8, fid & 0xff};
	uint8_t buf[APDU_RESP_MAX];
	struct apdu_response resp;
	size_t have = 0, total = max;
	bool ended = false;
	int r;

	r = card_wrapped(rd, select_ef, sizeof(select_ef), buf, &resp);
	if (r < 0)
		goto out;
	if (resp.sw != APDU_SW_OK) {
		r = card_sw_error(resp.sw);
		goto out;
	}
	while (have < total && !ended) {
		size_t want = total - have < EKTP_READ_CHUNK ? total - have : EKTP_READ_CHUNK;
		uint8_t rb[5] = {0x00, 0xb0, (uint8_t)(have >> 8), (uint8_t)(have & 0xff),
				 (uint8_t)want};

		/* READ BINARY offsets are 15 bits. */
		if (have > 0x7fff) {
			r = -EBADMSG;
			goto out;
		}
		r = card_wrapped(rd, rb, sizeof(rb), buf, &resp);
		if (r < 0)
			goto out;
		if (resp.sw == 0x6b00 || (resp.sw == 0x6282 && resp.len == 0)) {
			ended = true;
			break;
		}
		if (resp.sw != APDU_SW_OK && resp.sw != 0x6282) {
			r = card_sw_error(resp.sw);
			goto out;
		}
		if (resp.len > want) {
			r = -EBADMSG;
			goto out;
		}
		memcpy(out + have, resp.data, resp.len);
		have += resp.len;
		if (resp.len < want || resp.sw == 0x6282)
			ended = true;
		if (biodata && total == max) {
			int t = ektp_biodata_total_len(out, have);

			if (t == -EBADMSG || (t > 0 && (size_t)t > max)) {
				r = -EBADMSG;
				goto out;
			}
			if (t > 0)
				total = (size_t)t;
		}
	}
	/* The biodata must hold its whole template; any other file must
	 * have ended before max. */
	if ((biodata && have < total) || (!biodata && !ended)) {
		r = -EBADMSG;
		goto out;
	}
	*ret_len = have;
out:
	sodium_memzero(buf, sizeof(buf));
	return r;
}

static int read_identity(struct reader *rd, struct ektp_identity *id)
{
	uint8_t *file;
	size_t len = 0;
	int r;

	r = authenticate(rd);
	if (r < 0)
		return r;
	file = malloc(EKTP_PHOTO_MAX > EKTP_BIODATA_MAX ? EKTP_PHOTO_MAX : EKTP_BIODATA_MAX);
	if (!file)
		return -ENOMEM;
	r = read_file(rd, EKTP_EF_BIODATA, true, file, EKTP_BIODATA_MAX, &len);
	if (r < 0)
		goto out;
	r = ektp_biodata_parse(file, len, rd->opt->today, &id->bio);
	if (r < 0)
		goto out;
	id->has_biodata = true;
	sodium_memzero(file, len);
	if (rd->opt->read_photo) {
		r = read_file(rd, EKTP_EF_PHOTO, false, file, EKTP_PHOTO_MAX, &len);
		if (r < 0)
			goto out;
		id->photo = malloc(len ? len : 1);
		if (!id->photo) {
			r = -ENOMEM;
			goto out;
		}
		memcpy(id->photo, file, len);
		id->photo_len = len;
	}
out:
	sodium_memzero(file, EKTP_PHOTO_MAX > EKTP_BIODATA_MAX ? EKTP_PHOTO_MAX : EKTP_BIODATA_MAX);
	free(file);
	return r;
}

int ektp_read(const uint8_t *atr, size_t atr_len, struct apdu_transport *card,
	      struct apdu_transport *sam, const struct ektp_options *opt, struct ektp_identity *ret)
{
	static const struct ektp_options no_options = {0};
	const struct ektp_atr_pattern *table;
	struct ektp_identity id = {0};
	struct reader rd;
	size_t n_table;
	unsigned card0, sam0;
	int idx, r;

	if (!atr || !card || !ret)
		return -EINVAL;
	if (!opt)
		opt = &no_options;
	table = opt->atr_table;
	n_table = opt->n_atr;
	if (!table)
		table = ektp_atr_default_table(&n_table);
	idx = ektp_atr_match(table, n_table, atr, atr_len);
	if (idx < 0)
		return -EMEDIUMTYPE;
	rd = (struct reader){.card = card, .sam = opt->sam_unlock ? sam : NULL, .opt = opt};
	card0 = card->n_apdus;
	sam0 = sam ? sam->n_apdus : 0;

	id.atr_index = idx;
	memcpy(id.atr_name, table[idx].name, sizeof(id.atr_name));
	id.atr_name[sizeof(id.atr_name) - 1] = '\0';
	memcpy(id.atr, atr, atr_len);
	id.atr_len = atr_len;
	r = read_uid(&rd, id.uid, &id.uid_len);
	if (r < 0)
		goto out;
	if (rd.sam) {
		r = read_identity(&rd, &id);
		if (r < 0)
			goto out;
	}
	id.card_apdus = card->n_apdus - card0;
	id.sam_apdus = sam ? sam->n_apdus - sam0 : 0;
	*ret = id;
	return 0;
out:
	ektp_identity_clear(&id);
	return r;
}

void ektp_identity_clear(struct ektp_identity *id)
{
	if (!id)
		return;
	if (id->photo) {
		sodium_memzero(id->photo, id->photo_len);
		free(id->photo);
	}
	sodium_memzero(id, sizeof(*id));
}
