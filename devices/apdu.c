/* SPDX-License-Identifier: MIT */
/*
 * APDU building and response checking (apdu.h). ISO/IEC 7816-4 short
 * APDUs; status words as in its section 5.6.
 */
#include <errno.h>
#include <string.h>

#include "apdu.h"

/* A card that answers 61xx or 6Cxx more often than this is looping. */
#define CHAIN_MAX 8

int apdu_build(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, const uint8_t *data, size_t lc,
	       int le, uint8_t *out, size_t size)
{
	size_t n = 4;

	if (lc > 255 || le > 256 || (lc > 0 && !data) || !out)
		return -EINVAL;
	if (size < 4 + (lc ? 1 + lc : 0) + (le >= 0 ? 1 : 0))
		return -EINVAL;
	out[0] = cla;
	out[1] = ins;
	out[2] = p1;
	out[3] = p2;
	if (lc > 0) {
		out[n++] = (uint8_t)lc;
		memcpy(out + n, data, lc);
		n += lc;
	}
	if (le >= 0)
		out[n++] = (uint8_t)(le & 0xff); /* 256 is encoded as 00 */
	return (int)n;
}

int apdu_response_parse(const uint8_t *buf, size_t len, struct apdu_response *ret)
{
	if (!buf || len < 2 || len > APDU_RESP_MAX)
		return -EBADMSG;
	*ret = (struct apdu_response){
		.data = buf,
		.len = len - 2,
		.sw = (uint16_t)(buf[len - 2] << 8 | buf[len - 1]),
	};
	return 0;
}

int apdu_sw_to_errno(uint16_t sw)
{
	switch (sw) {
	case 0x9000:
		return 0;
	case 0x6a82:
	case 0x6a83:
		return -ENOENT;
	case 0x6982:
	case 0x6983:
	case 0x6985:
	case 0x6988:
		return -EACCES;
	case 0x6b00:
	case 0x6282:
		return -ERANGE;
	case 0x6d00:
	case 0x6e00:
		return -EOPNOTSUPP;
	case 0x6700:
	case 0x6a80:
	case 0x6a86:
		return -EINVAL;
	default:
		return -EIO;
	}
}

const char *apdu_sw_to_string(uint16_t sw)
{
	switch (apdu_sw_to_errno(sw)) {
	case 0:
		return "ok";
	case -ENOENT:
		return "file not found";
	case -EACCES:
		return "security status not satisfied";
	case -ERANGE:
		return "offset beyond the end of the file";
	case -EOPNOTSUPP:
		return "instruction not supported";
	case -EINVAL:
		return "wrong length or parameters";
	default:
		break;
	}
	switch (sw >> 8) {
	case 0x61:
		return "more data available";
	case 0x6c:
		return "wrong Le";
	case 0x62:
	case 0x63:
		return "warning";
	case 0x64:
	case 0x65:
		return "execution error";
	default:
		return "error";
	}
}

static int send_one(struct apdu_transport *t, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
		    size_t resp_size, size_t *ret_len)
{
	size_t got = 0;
	int r;

	t->n_apdus++;
	r = t->transmit(t->ctx, cmd, cmd_len, resp, resp_size, &got);
	if (r < 0)
		return r;
	/* A transport that reports more than it was given room for is as
	 * broken as a card that answers too much. */
	if (got > resp_size)
		return -EBADMSG;
	*ret_len = got;
	return 0;
}

int apdu_transceive(struct apdu_transport *t, const uint8_t *cmd, size_t cmd_len, uint8_t *buf,
		    size_t buf_size, struct apdu_response *ret)
{
	uint8_t again[APDU_CMD_MAX];
	uint8_t part[APDU_RESP_MAX];
	struct apdu_response r;
	size_t have = 0, got;
	int e;

	if (!t || !t->transmit || !cmd || cmd_len < 4 || cmd_len > APDU_CMD_MAX || !buf ||
	    buf_size < APDU_RESP_MAX || !ret)
		return -EINVAL;

	e = send_one(t, cmd, cmd_len, part, sizeof(part), &got);
	if (e < 0)
		return e;
	e = apdu_response_parse(part, got, &r);
	if (e < 0)
		return e;

	/* 6Cxx: "wrong Le, use xx": re-send with that Le. */
	for (int i = 0; (r.sw >> 8) == 0x6c && r.len == 0 && i < CHAIN_MAX; i++) {
		size_t n = cmd_len;

		/* Only a case 2 command (header + Le) can take a new Le. */
		if (cmd_len != 5)
			break;
		memcpy(again, cmd, n);
		again[4] = (uint8_t)(r.sw & 0xff);
		e = send_one(t, again, n, part, sizeof(part), &got);
		if (e < 0)
			return e;
		e = apdu_response_parse(part, got, &r);
		if (e < 0)
			return e;
	}

	/* 61xx: data waiting: GET RESPONSE until 9000 or an error, with the
	 * pieces appended in buf (bounded by buf_size - 2 for the final SW). */
	for (int i = 0;; i++) {
		if (r.len > buf_size - 2 - have)
			return -EBADMSG;
		memmove(buf + have, r.data, r.len);
		have += r.len;
		if ((r.sw >> 8) != 0x61)
			break;
		if (i == CHAIN_MAX)
			return -EBADMSG;
		uint8_t get_response[5] = {cmd[0] & 0x03, 0xc0, 0x00, 0x00, (uint8_t)(r.sw & 0xff)};
		e = send_one(t, get_response, sizeof(get_response), part, sizeof(part), &got);
		if (e < 0)
			return e;
		e = apdu_response_parse(part, got, &r);
		if (e < 0)
			return e;
	}
	buf[have] = (uint8_t)(r.sw >> 8);
	buf[have + 1] = (uint8_t)(r.sw & 0xff);
	*ret = (struct apdu_response){.data = buf, .len = have, .sw = r.sw};
	return 0;
}
