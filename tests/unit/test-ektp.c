/* SPDX-License-Identifier: MIT */
/*
 * The e-KTP profile (devices/ektp.c, devices/ektp-biodata.c) against the
 * virtual e-KTP and SAM of tests/vcard, in-process: ATR patterns, the
 * ATR structure, the SAM flow, the biodata parser and every card
 * misbehaviour the emulator knows.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "ektp.h"

/* The emulator is test code of its own folder; compiled in here. */
#include "../vcard/vcard-emu.c"

static const struct nik_date today = {2026, 1, 15};

static const struct vcard_identity budi = {
	.nik = "3201011506870001",
	.name = "BUDI SANTOSO WIBOWO",
	.birth_place = "BOGOR",
	.address = "JL. PAJAJARAN NO. 10",
	.rt_rw = "003/007",
	.village = "BARANANGSIANG",
	.district = "BOGOR TIMUR",
	.regency = "KOTA BOGOR",
	.province = "JAWA BARAT",
};

static const struct vcard_identity siti = {
	.nik = "3578016203050002", /* Surabaya, woman, 22-03-2005 */
	.name = "SITI NURHALIZA",
};

static int card_tx(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t size,
		   size_t *ret_len)
{
	uint8_t out[VCARD_RESP_MAX + 2];
	size_t len = vcard_card_apdu(ctx, cmd, n, out);

	/* As SCardTransmit does with a buffer too small. */
	if (len > size)
		return -EBADMSG;
	memcpy(resp, out, len);
	*ret_len = len;
	return 0;
}

static int sam_tx(void *ctx, const uint8_t *cmd, size_t n, uint8_t *resp, size_t size,
		  size_t *ret_len)
{
	uint8_t out[VCARD_RESP_MAX + 2];
	size_t len = vcard_sam_apdu(ctx, cmd, n, out);

	if (len > size)
		return -EBADMSG;
	memcpy(resp, out, len);
	*ret_len = len;
	return 0;
}

struct rig {
	struct vcard_card card;
	struct vcard_sam sam;
	struct apdu_transport card_t, sam_t;
};

static void rig_init(struct rig *r, enum vcard_type type, enum vcard_fault fault,
		     const struct vcard_identity *id)
{
	memset(r, 0, sizeof(*r));
	r->card.fault = fault;
	assert_int_equal(vcard_card_init(&r->card, type, id, NULL, 0), 0);
	vcard_sam_init(&r->sam);
	r->card_t = (struct apdu_transport){.transmit = card_tx, .ctx = &r->card};
	r->sam_t = (struct apdu_transport){.transmit = sam_tx, .ctx = &r->sam};
}

static int rig_read(struct rig *r, const uint8_t *unlock, bool photo, struct ektp_identity *id)
{
	struct ektp_options opt = {.sam_unlock = unlock, .read_photo = photo, .today = &today};

	return ektp_read(r->card.atr, r->card.atr_len, &r->card_t, &r->sam_t, &opt, id);
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* ---- ATRs ----------------------------------------------------------------- */

static void test_atr_patterns(void **state)
{
	struct ektp_atr_pattern p;
	const uint8_t atr[] = {0x3b, 0x8c, 0x80, 0x01, 0x50, 0x12, 0x34, 0x56, 0x78,
			       0x30, 0xaa, 0xaa, 0x01, 0x77, 0x81, 0xd7, 0x99};

	assert_int_equal(
		ektp_atr_pattern_parse("3B 8C 80 01 50 xx xx xx xx 30 AA AA 01 77 81 D7 ..",
				       "type B", &p),
		0);
	assert_int_equal(p.len, 17);
	assert_int_equal(p.mask[5], 0x00);
	assert_int_equal(p.mask[9], 0xff);
	assert_string_equal(p.name, "type B");
	assert_int_equal(ektp_atr_match(&p, 1, atr, sizeof(atr)), 0);
	/* Same bytes, one fixed byte changed, or a different length. */
	uint8_t other[sizeof(atr)];
	memcpy(other, atr, sizeof(atr));
	other[10] = 0xab;
	assert_int_equal(ektp_atr_match(&p, 1, other, sizeof(other)), -ENOENT);
	assert_int_equal(ektp_atr_match(&p, 1, atr, sizeof(atr) - 1), -ENOENT);

	assert_int_equal(ektp_atr_pattern_parse("3b:8b:80:01", NULL, &p), 0);
	assert_int_equal(p.len, 4);
	assert_int_equal(ektp_atr_pattern_parse("3B 8", NULL, &p), -EINVAL);
	assert_int_equal(ektp_atr_pattern_parse("3B 8G", NULL, &p), -EINVAL);
	assert_int_equal(ektp_atr_pattern_parse("3B", NULL, &p), -EINVAL);
	assert_int_equal(ektp_atr_pattern_parse("5x 8B", NULL, &p), -EINVAL);
	assert_int_equal(ektp_atr_pattern_parse(
				 "3B0011223344556677889900112233445566778899001122334455667788"
				 "99AABBCC",
				 NULL, &p),
			 -EINVAL);
}

static void test_atr_default_table(void **state)
{
	size_t n;
	const struct ektp_atr_pattern *t = ektp_atr_default_table(&n);
	struct rig r;

	assert_true(n >= 2);
	for (int i = 0; i < 20; i++) {
		rig_init(&r, VCARD_TYPE_B, VCARD_FAULT_NONE, NULL);
		assert_int_equal(ektp_atr_match(t, n, r.card.atr, r.card.atr_len), 1);
	}
	rig_init(&r, VCARD_TYPE_A, VCARD_FAULT_NONE, NULL);
	assert_int_equal(ektp_atr_match(t, n, r.card.atr, r.card.atr_len), 0);
	rig_init(&r, VCARD_TYPE_OTHER, VCARD_FAULT_NONE, NULL);
	assert_int_equal(ektp_atr_match(t, n, r.card.atr, r.card.atr_len), -ENOENT);
}

static void test_atr_parse(void **state)
{
	const uint8_t a[] = {0x3b, 0x8b, 0x80, 0x01, 0x65, 0x4b, 0x54, 0x50,
			     0x30, 0x44, 0x32, 0x65, 0x4b, 0x54, 0x50, 0x4c};
	uint8_t bad[sizeof(a)];
	struct ektp_atr_info info;

	assert_int_equal(ektp_atr_parse(a, sizeof(a), &info), 0);
	assert_int_equal(info.n_historical, 11);
	assert_memory_equal(info.historical, "eKTP0D2eKTP", 11);
	assert_int_equal(info.protocols, 0x3); /* T=0 and T=1 */
	assert_true(info.has_tck);
	assert_true(info.tck_ok);
	memcpy(bad, a, sizeof(a));
	bad[15] ^= 1;
	assert_int_equal(ektp_atr_parse(bad, sizeof(bad), &info), 0);
	assert_false(info.tck_ok);
	/* Truncated anywhere, trailing bytes, wrong TS. */
	for (size_t n = 0; n < sizeof(a); n++)
		assert_int_equal(ektp_atr_parse(a, n, &info), -EBADMSG);
	bad[15] = a[15];
	bad[0] = 0x3a;
	assert_int_equal(ektp_atr_parse(bad, sizeof(bad), &info), -EBADMSG);
	assert_int_equal(ektp_atr_parse((const uint8_t[]){0x3b, 0x00}, 2, &info), 0);
	assert_int_equal(info.protocols, 0x1);
	assert_false(info.has_tck);
	assert_int_equal(ektp_atr_parse((const uint8_t[]){0x3b, 0x00, 0x00}, 3, &info), -EBADMSG);
}

/* ---- reads ---------------------------------------------------------------- */

static void test_read_with_sam(void **state)
{
	struct ektp_identity id;
	struct rig r;

	rig_init(&r, VCARD_TYPE_A, VCARD_FAULT_NONE, &budi);
	assert_int_equal(rig_read(&r, vcard_test_unlock, false, &id), 0);
	assert_int_equal(id.uid_len, 7);
	assert_memory_equal(id.uid, r.card.uid, 7);
	assert_true(id.has_biodata);
	assert_string_equal(id.bio.nik, "3201011506870001");
	assert_string_equal(id.bio.name, "BUDI SANTOSO WIBOWO");
	assert_string_equal(id.bio.birth_place, "BOGOR");
	assert_int_equal(id.bio.birth.year, 1987);
	assert_int_equal(id.bio.birth.month, 6);
	assert_int_equal(id.bio.birth.day, 15);
	assert_int_equal(id.bio.sex, NIK_SEX_MALE);
	assert_string_equal(id.bio.address, "JL. PAJAJARAN NO. 10");
	assert_string_equal(id.bio.rt_rw, "003/007");
	assert_string_equal(id.bio.province, "JAWA BARAT");
	assert_null(id.photo);
	/* UID, SELECT DF, challenge, authenticate, SELECT EF, 1 READ BINARY;
	 * the SAM: unlock, F1, F2, then F3+F4 for each protected command. */
	assert_int_equal(id.card_apdus, 6);
	assert_int_equal(id.sam_apdus, 3 + 2 * 2);
	ektp_identity_clear(&id);
	assert_true(all_zero(&id, sizeof(id)));
}

static void test_read_woman_type_b_photo(void **state)
{
	struct ektp_identity id;
	struct rig r;

	rig_init(&r, VCARD_TYPE_B, VCARD_FAULT_NONE, &siti);
	assert_int_equal(rig_read(&r, vcard_test_unlock, true, &id), 0);
	assert_int_equal(id.uid_len, 4);
	assert_string_equal(id.bio.nik, "3578016203050002");
	assert_int_equal(id.bio.sex, NIK_SEX_FEMALE);
	assert_int_equal(id.bio.birth.day, 22);
	assert_int_equal(id.bio.birth.year, 2005);
	assert_string_equal(id.atr_name, "e-KTP type B");
	assert_non_null(id.photo);
	assert_int_equal(id.photo_len, r.card.photo_len);
	assert_memory_equal(id.photo, r.card.photo, r.card.photo_len);
	ektp_identity_clear(&id);
	assert_null(id.photo);
}

static void test_read_without_sam(void **state)
{
	struct ektp_identity id;
	struct rig r;

	rig_init(&r, VCARD_TYPE_A, VCARD_FAULT_NONE, &budi);
	assert_int_equal(rig_read(&r, NULL, false, &id), 0);
	assert_false(id.has_biodata);
	assert_int_equal(id.bio.nik[0], '\0');
	assert_int_equal(id.card_apdus, 1);
	assert_int_equal(r.sam.apdus, 0);
	ektp_identity_clear(&id);
}

static void test_read_refusals(void **state)
{
	static const uint8_t wrong[32] = {0x42};
	struct ektp_identity id = {.uid_len = 99};
	struct rig r;

	rig_init(&r, VCARD_TYPE_OTHER, VCARD_FAULT_NONE, &budi);
	assert_int_equal(rig_read(&r, vcard_test_unlock, false, &id), -EMEDIUMTYPE);
	assert_int_equal(r.card.apdus, 0);
	rig_init(&r, VCARD_TYPE_A, VCARD_FAULT_NONE, &budi);
	assert_int_equal(rig_read(&r, wrong, false, &id), -EACCES);
	/* *ret untouched on failure. */
	assert_int_equal(id.uid_len, 99);
}

static void test_read_faults(void **state)
{
	static const struct {
		enum vcard_fault fault;
		int want;
	} cases[] = {
		{VCARD_FAULT_UID_SW, -EPROTO},	       {VCARD_FAULT_TRUNCATED, -EBADMSG},
		{VCARD_FAULT_EMPTY, -EBADMSG},	       {VCARD_FAULT_OVERSIZED, -EBADMSG},
		{VCARD_FAULT_READ_TOO_LONG, -EBADMSG}, {VCARD_FAULT_READ_SW, -EACCES},
		{VCARD_FAULT_BAD_MAC, -EACCES},	       {VCARD_FAULT_BAD_AUTH, -EACCES},
		{VCARD_FAULT_BAD_BIODATA, -EBADMSG},   {VCARD_FAULT_HUGE_BIODATA, -EBADMSG},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ektp_identity id;
		struct rig r;

		rig_init(&r, VCARD_TYPE_A, cases[i].fault, &budi);
		print_message("fault %s\n", vcard_fault_to_string(cases[i].fault));
		assert_int_equal(rig_read(&r, vcard_test_unlock, false, &id), cases[i].want);
	}
}

/* ---- biodata ------------------------------------------------------------- */

static void test_biodata_prefixes(void **state)
{
	struct ektp_biodata b;
	struct vcard_card c = {0};
	int total;

	assert_int_equal(vcard_card_init(&c, VCARD_TYPE_A, &budi, NULL, 0), 0);
	total = ektp_biodata_total_len(c.biodata, c.biodata_len);
	assert_true(total > 100 && (size_t)total < c.biodata_len);
	assert_int_equal(ektp_biodata_parse(c.biodata, (size_t)total, &today, &b), 0);
	assert_string_equal(b.name, "BUDI SANTOSO WIBOWO");
	ektp_biodata_wipe(&b);
	assert_true(all_zero(&b, sizeof(b)));
	/* Every cut short of the whole template is refused. */
	for (int n = 0; n < total; n++)
		assert_int_equal(ektp_biodata_parse(c.biodata, (size_t)n, &today, &b), -EBADMSG);
	assert_int_equal(ektp_biodata_total_len(c.biodata, 1), -EAGAIN);
	assert_int_equal(ektp_biodata_total_len((const uint8_t[]){0x71}, 1), -EBADMSG);
	assert_int_equal(ektp_biodata_total_len((const uint8_t[]){0x70, 0x82, 0x01}, 3), -EAGAIN);
	assert_int_equal(ektp_biodata_total_len((const uint8_t[]){0x70, 0x82, 0x01, 0x00}, 4),
			 4 + 256);
}

static size_t tlv(uint8_t *p, uint8_t tag, const char *v)
{
	size_t n = strlen(v);

	p[0] = tag;
	p[1] = (uint8_t)n;
	memcpy(p + 2, v, n);
	return n + 2;
}

/* Builds a minimal template by hand: NIK, name, date, sex (+ extra). */
static size_t build(uint8_t *out, const char *nik, const char *name, const char *date,
		    const char *sex, const uint8_t *extra, size_t extra_len)
{
	size_t n = 2;

	n += tlv(out + n, 0x01, nik);
	n += tlv(out + n, 0x02, name);
	n += tlv(out + n, 0x04, date);
	n += tlv(out + n, 0x05, sex);
	if (extra_len) {
		memcpy(out + n, extra, extra_len);
		n += extra_len;
	}
	out[0] = 0x70;
	out[1] = (uint8_t)(n - 2);
	return n;
}

static void test_biodata_checks(void **state)
{
	const char *nik = "3201011506870001";
	struct ektp_biodata b;
	uint8_t buf[256];
	size_t n;

	n = build(buf, nik, "ANI", "15-06-1987", "LAKI-LAKI", NULL, 0);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), 0);
	/* Sex or birth date disagreeing with the NIK. */
	n = build(buf, nik, "ANI", "15-06-1987", "PEREMPUAN", NULL, 0);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	n = build(buf, nik, "ANI", "16-06-1987", "LAKI-LAKI", NULL, 0);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	/* A NIK with an unknown province, a calendar-impossible date. */
	n = build(buf, "9901011506870001", "ANI", "15-06-1987", "LAKI-LAKI", NULL, 0);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	n = build(buf, nik, "ANI", "31-02-1987", "LAKI-LAKI", NULL, 0);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	/* Control characters, invalid UTF-8, a duplicated field. */
	n = build(buf, nik, "AN\nI", "15-06-1987", "LAKI-LAKI", NULL, 0);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	n = build(buf, nik, "AN\xc3", "15-06-1987", "LAKI-LAKI", NULL, 0);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	n = build(buf, nik, "ANI", "15-06-1987", "LAKI-LAKI", (const uint8_t[]){0x02, 1, 'X'}, 3);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	/* UTF-8 is fine; unknown tags are skipped. */
	n = build(buf, nik, "ANI \xc3\x89LISE", "15-06-1987", "LAKI-LAKI",
		  (const uint8_t[]){0x0c, 2, 'I', 'S'}, 4);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), 0);
	assert_string_equal(b.name, "ANI \xc3\x89LISE");
	/* A field whose length runs past the template. */
	n = build(buf, nik, "ANI", "15-06-1987", "LAKI-LAKI", (const uint8_t[]){0x06, 9, 'X'}, 3);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	/* A name too long for its slot is refused, not cut. */
	char longname[80];
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	n = build(buf, nik, longname, "15-06-1987", "LAKI-LAKI", NULL, 0);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
	/* A required field missing. */
	n = 2 + tlv(buf + 2, 0x01, nik);
	buf[0] = 0x70;
	buf[1] = (uint8_t)(n - 2);
	assert_int_equal(ektp_biodata_parse(buf, n, &today, &b), -EBADMSG);
}

static void test_hex(void **state)
{
	char buf[8];

	assert_string_equal(ektp_hex((const uint8_t[]){0x3b, 0x8f}, 2, buf, sizeof(buf)), "3B8F");
	/* Cut to whole bytes. */
	assert_string_equal(ektp_hex((const uint8_t[]){1, 2, 3, 4, 5}, 5, buf, sizeof(buf)),
			    "010203");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atr_patterns),
		cmocka_unit_test(test_atr_default_table),
		cmocka_unit_test(test_atr_parse),
		cmocka_unit_test(test_read_with_sam),
		cmocka_unit_test(test_read_woman_type_b_photo),
		cmocka_unit_test(test_read_without_sam),
		cmocka_unit_test(test_read_refusals),
		cmocka_unit_test(test_read_faults),
		cmocka_unit_test(test_biodata_prefixes),
		cmocka_unit_test(test_biodata_checks),
		cmocka_unit_test(test_hex),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
