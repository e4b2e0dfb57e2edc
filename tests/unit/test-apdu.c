/* SPDX-License-Identifier: MIT */
/*
 * APDU building, response checking and the 61xx / 6Cxx handling of
 * apdu_transceive() against a scripted transport.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "apdu.h"

static void test_build(void **state)
{
	uint8_t out[APDU_CMD_MAX];
	const uint8_t data[] = {0x7f, 0x0a};

	assert_int_equal(apdu_build(0x00, 0xa4, 0x00, 0x00, NULL, 0, -1, out, sizeof(out)), 4);
	assert_int_equal(apdu_build(0xff, 0xca, 0x00, 0x00, NULL, 0, 0, out, sizeof(out)), 5);
	assert_int_equal(out[4], 0x00);
	assert_int_equal(apdu_build(0x00, 0xb0, 0x00, 0x00, NULL, 0, 256, out, sizeof(out)), 5);
	assert_int_equal(out[4], 0x00);
	assert_int_equal(apdu_build(0x00, 0xa4, 0x00, 0x00, data, 2, -1, out, sizeof(out)), 7);
	assert_memory_equal(out, ((const uint8_t[]){0x00, 0xa4, 0x00, 0x00, 0x02, 0x7f, 0x0a}), 7);
	assert_int_equal(apdu_build(0x00, 0xf1, 0x00, 0x00, data, 2, 0x28, out, sizeof(out)), 8);
	assert_int_equal(out[7], 0x28);
	/* Out of range, or no room. */
	assert_int_equal(apdu_build(0, 0, 0, 0, data, 256, -1, out, sizeof(out)), -EINVAL);
	assert_int_equal(apdu_build(0, 0, 0, 0, NULL, 0, 257, out, sizeof(out)), -EINVAL);
	assert_int_equal(apdu_build(0, 0, 0, 0, NULL, 2, -1, out, sizeof(out)), -EINVAL);
	assert_int_equal(apdu_build(0, 0, 0, 0, data, 2, 0, out, 7), -EINVAL);
}

static void test_parse(void **state)
{
	const uint8_t ok[] = {0x01, 0x02, 0x90, 0x00};
	uint8_t big[APDU_RESP_MAX + 1] = {0};
	struct apdu_response r = {0};

	assert_int_equal(apdu_response_parse(ok, 4, &r), 0);
	assert_int_equal(r.len, 2);
	assert_int_equal(r.sw, 0x9000);
	assert_ptr_equal(r.data, ok);
	assert_int_equal(apdu_response_parse(ok + 2, 2, &r), 0);
	assert_int_equal(r.len, 0);
	/* No SW at all, one byte of it, or more than a short APDU holds. */
	assert_int_equal(apdu_response_parse(ok, 0, &r), -EBADMSG);
	assert_int_equal(apdu_response_parse(ok, 1, &r), -EBADMSG);
	assert_int_equal(apdu_response_parse(big, sizeof(big), &r), -EBADMSG);
	assert_int_equal(apdu_response_parse(big, sizeof(big) - 1, &r), 0);
}

static void test_sw(void **state)
{
	assert_int_equal(apdu_sw_to_errno(0x9000), 0);
	assert_int_equal(apdu_sw_to_errno(0x6a82), -ENOENT);
	assert_int_equal(apdu_sw_to_errno(0x6982), -EACCES);
	assert_int_equal(apdu_sw_to_errno(0x6b00), -ERANGE);
	assert_int_equal(apdu_sw_to_errno(0x6d00), -EOPNOTSUPP);
	assert_int_equal(apdu_sw_to_errno(0x6700), -EINVAL);
	/* A warning is not success. */
	assert_int_equal(apdu_sw_to_errno(0x6283), -EIO);
	assert_int_equal(apdu_sw_to_errno(0x6f00), -EIO);
	assert_string_equal(apdu_sw_to_string(0x6a82), "file not found");
	assert_string_equal(apdu_sw_to_string(0x6100), "more data available");
	assert_non_null(apdu_sw_to_string(0x1234));
}

/* A transport that replays scripted responses and records commands. */
struct script {
	const uint8_t *resp[8];
	size_t resp_len[8];
	size_t n, next;
	uint8_t last_cmd[APDU_CMD_MAX];
	size_t last_cmd_len;
	int fail_with;
};

static int script_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
			   size_t resp_size, size_t *ret_len)
{
	struct script *s = ctx;

	if (s->fail_with)
		return s->fail_with;
	memcpy(s->last_cmd, cmd, cmd_len);
	s->last_cmd_len = cmd_len;
	if (s->next >= s->n)
		return -EIO;
	if (s->resp_len[s->next] > resp_size)
		return -EBADMSG;
	memcpy(resp, s->resp[s->next], s->resp_len[s->next]);
	*ret_len = s->resp_len[s->next];
	s->next++;
	return 0;
}

static void test_transceive_chain(void **state)
{
	static const uint8_t p1[] = {0xaa, 0xbb, 0x61, 0x02};
	static const uint8_t p2[] = {0xcc, 0xdd, 0x90, 0x00};
	static const uint8_t cmd[] = {0x00, 0xb0, 0x00, 0x00, 0x04};
	struct script s = {.resp = {p1, p2}, .resp_len = {4, 4}, .n = 2};
	struct apdu_transport t = {.transmit = script_transmit, .ctx = &s};
	uint8_t buf[APDU_RESP_MAX];
	struct apdu_response r;

	assert_int_equal(apdu_transceive(&t, cmd, sizeof(cmd), buf, sizeof(buf), &r), 0);
	assert_int_equal(r.sw, 0x9000);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.data, ((const uint8_t[]){0xaa, 0xbb, 0xcc, 0xdd}), 4);
	/* The GET RESPONSE asked for what 61xx announced. */
	assert_memory_equal(s.last_cmd, ((const uint8_t[]){0x00, 0xc0, 0x00, 0x00, 0x02}), 5);
	assert_int_equal(t.n_apdus, 2);
}

static void test_transceive_wrong_le(void **state)
{
	static const uint8_t p1[] = {0x6c, 0x07};
	static const uint8_t p2[] = {1, 2, 3, 4, 5, 6, 7, 0x90, 0x00};
	static const uint8_t cmd[] = {0xff, 0xca, 0x00, 0x00, 0x00};
	struct script s = {.resp = {p1, p2}, .resp_len = {2, 9}, .n = 2};
	struct apdu_transport t = {.transmit = script_transmit, .ctx = &s};
	uint8_t buf[APDU_RESP_MAX];
	struct apdu_response r;

	assert_int_equal(apdu_transceive(&t, cmd, sizeof(cmd), buf, sizeof(buf), &r), 0);
	assert_int_equal(r.len, 7);
	assert_int_equal(s.last_cmd[4], 0x07);
}

static void test_transceive_broken(void **state)
{
	static const uint8_t empty[] = {0};
	static const uint8_t more[] = {0x61, 0x10};
	static const uint8_t cmd[] = {0x00, 0x84, 0x00, 0x00, 0x08};
	uint8_t big[APDU_RESP_MAX] = {0};
	uint8_t buf[APDU_RESP_MAX];
	struct apdu_response r;

	/* Success with 0 bytes (a broken card through SCardTransmit). */
	struct script s1 = {.resp = {empty}, .resp_len = {0}, .n = 1};
	struct apdu_transport t1 = {.transmit = script_transmit, .ctx = &s1};
	assert_int_equal(apdu_transceive(&t1, cmd, sizeof(cmd), buf, sizeof(buf), &r), -EBADMSG);

	/* A card that always has "more data". */
	struct script s2 = {.resp = {more, more, more, more, more, more, more, more}, .n = 8};
	for (int i = 0; i < 8; i++)
		s2.resp_len[i] = 2;
	struct apdu_transport t2 = {.transmit = script_transmit, .ctx = &s2};
	assert_true(apdu_transceive(&t2, cmd, sizeof(cmd), buf, sizeof(buf), &r) < 0);

	/* Chained parts adding up to more than the buffer. */
	big[APDU_RESP_MAX - 2] = 0x61;
	big[APDU_RESP_MAX - 1] = 0x00;
	struct script s3 = {.resp = {big, big}, .resp_len = {APDU_RESP_MAX, APDU_RESP_MAX}, .n = 2};
	struct apdu_transport t3 = {.transmit = script_transmit, .ctx = &s3};
	assert_int_equal(apdu_transceive(&t3, cmd, sizeof(cmd), buf, sizeof(buf), &r), -EBADMSG);

	/* The transport's error comes through as it is. */
	struct script s4 = {.fail_with = -ENOMEDIUM};
	struct apdu_transport t4 = {.transmit = script_transmit, .ctx = &s4};
	assert_int_equal(apdu_transceive(&t4, cmd, sizeof(cmd), buf, sizeof(buf), &r), -ENOMEDIUM);

	/* Bad arguments. */
	assert_int_equal(apdu_transceive(&t4, cmd, 3, buf, sizeof(buf), &r), -EINVAL);
	assert_int_equal(apdu_transceive(&t4, cmd, sizeof(cmd), buf, 10, &r), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_sw),
		cmocka_unit_test(test_transceive_chain),
		cmocka_unit_test(test_transceive_wrong_le),
		cmocka_unit_test(test_transceive_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
