/* SPDX-License-Identifier: MIT */
/*
 * APDUs (ISO/IEC 7816-4): building short command APDUs, checking what a
 * card or reader sends back, and mapping status words to errno classes.
 *
 * Everything a card returns is hostile: a response is only ever looked at
 * through apdu_response_parse(), which refuses anything without SW1 SW2
 * (SCardTransmit can succeed with 0 bytes from a broken card) and anything
 * longer than the caller's buffer.
 *
 * The transport is a function pointer so that the e-KTP profile runs over
 * PC/SC (card-reader-pcsc.c), over an in-process fake card in the unit
 * tests, and over anything else that moves bytes.
 *
 * Pure functions except apdu_transceive() (which blocks in the transport);
 * any thread; never log.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Short APDUs only: Lc and Le up to 255 / 256 bytes. */
#define APDU_CMD_MAX  (5 + 255 + 1)
#define APDU_RESP_MAX (256 + 2)

#define APDU_SW_OK 0x9000

/* Moves one command to the card and its response back. Writes at most
 * resp_size bytes to resp and their count to *ret_len. Returns 0, or
 * -ENOMEDIUM (card gone), -ENODEV (reader gone), -ETIMEDOUT, -ECANCELED,
 * -EIO (anything else). Blocks for as long as the card takes. */
typedef int (*apdu_transmit_fn)(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
				size_t resp_size, size_t *ret_len);

struct apdu_transport {
	apdu_transmit_fn transmit;
	void *ctx;
	/* Counted by apdu_transceive(): commands sent, including the GET
	 * RESPONSE / Le-retry commands it adds itself. */
	unsigned n_apdus;
};

/* A parsed response: data points into the caller's buffer. */
struct apdu_response {
	const uint8_t *data;
	size_t len; /* data bytes, without SW1 SW2 */
	uint16_t sw;
};

/* Encodes a short command APDU into out (size bytes). data may be NULL
 * when lc is 0; le < 0 means no Le field, le 256 is encoded as 00.
 * Returns the encoded length, or -EINVAL (lc > 255, le > 256, out too
 * small). */
int apdu_build(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, const uint8_t *data, size_t lc,
	       int le, uint8_t *out, size_t size);

/* Splits len bytes into data and SW. Returns 0 and fills *ret, or
 * -EBADMSG when there is no SW (len < 2) or more than APDU_RESP_MAX bytes
 * (no short APDU answers that much). */
int apdu_response_parse(const uint8_t *buf, size_t len, struct apdu_response *ret);

/* The errno class of a status word: 0 for 9000 (and 62xx/63xx warnings
 * are NOT success: -EIO), -ENOENT for 6A82/6A83 (file or record not
 * found), -EACCES for 6982/6983/6985/6988 (security: not authenticated,
 * blocked, conditions), -ERANGE for 6B00/6282 (offset beyond the file),
 * -EOPNOTSUPP for 6D00/6E00 (instruction / class not supported),
 * -EINVAL for 6700/6A86/6A80 (wrong length / parameters), -EIO for the
 * rest. */
int apdu_sw_to_errno(uint16_t sw);

/* A short English description of a status word class ("file not found"),
 * static; never NULL. */
const char *apdu_sw_to_string(uint16_t sw);

/* Sends cmd over t and returns the checked response in *ret (data in
 * buf, buf_size >= APDU_RESP_MAX). Follows 61xx with GET RESPONSE and
 * 6Cxx with the command re-sent with the Le the card asked for (each at
 * most 8 times: a card that keeps asking is broken). Never fails on a
 * status word: the caller decides what 6A82 means for it.
 * Returns 0, the transport's -errno, or -EBADMSG for a malformed
 * response. Blocks in the transport. */
int apdu_transceive(struct apdu_transport *t, const uint8_t *cmd, size_t cmd_len, uint8_t *buf,
		    size_t buf_size, struct apdu_response *ret);
