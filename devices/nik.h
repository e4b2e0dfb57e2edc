/* SPDX-License-Identifier: MIT */
/*
 * NIK (Nomor Induk Kependudukan), the 16-digit number of an e-KTP:
 *
 *   PP RR DD ddmmyy SSSS
 *   province, regency/city, district (where first issued), birth date
 *   (day + 40 for women), serial.
 *
 * There is no check digit; what can be checked is the shape, the province
 * code, the calendar date and that the birth is not in the future. Every
 * NIK that comes from outside (card, backend, scenario) goes through
 * nik_parse() before it is used. Source of the rules and the province
 * table: /work/shared/DOMAIN.md (Permendagri on Dukcapil numbering; the 38
 * provinces as of 2022, Papua split included).
 *
 * Regency/city codes are checked for 01..99 only, on purpose: a NIK keeps
 * the codes of where it was first issued, and regions have been split and
 * renumbered since NIKs began (Kalimantan Utara out of 64 in 2012, the
 * Papua provinces renumbered in 2022), so a table of today's regencies
 * would refuse real, older NIKs. A correct table would be the union of
 * every Kepmendagri edition since then; none is at hand here.
 *
 * Pure functions, any thread, never block, never log.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define NIK_LEN 16

enum nik_sex {
	NIK_SEX_MALE,
	NIK_SEX_FEMALE, /* day of birth + 40 */
	_NIK_SEX_MAX,
	_NIK_SEX_INVALID = -22,
};

/* A calendar date (proleptic Gregorian). */
struct nik_date {
	int year;  /* e.g. 1987 */
	int month; /* 1..12 */
	int day;   /* 1..31 */
};

struct nik_info {
	unsigned province;	   /* 11..96 */
	const char *province_name; /* static, never NULL */
	unsigned regency;	   /* 1..99: 01..69 regencies, 71..99 cities */
	unsigned district;	   /* 1..99 */
	struct nik_date birth;	   /* real day (the +40 taken off) */
	enum nik_sex sex;
	unsigned serial; /* 1..9999 */
};

/* Parses len bytes of s (need not be NUL-terminated): exactly 16 ASCII
 * digits, a known province, non-zero regency and district codes, a real
 * calendar date, serial not 0000. The two-digit year is resolved against
 * today: 20yy, or 19yy when 20yy would be after today; a birth after today
 * either way is refused. today NULL means the local date of the system
 * clock.
 * Returns 0 and fills *ret (if not NULL), or -EINVAL (*ret untouched). */
int nik_parse(const char *s, size_t len, const struct nik_date *today, struct nik_info *ret);

/* nik_parse(s, strnlen(s, 17), today, NULL) == 0; s may be NULL (false). */
bool nik_valid(const char *s, const struct nik_date *today);

/* The province of a two-digit code ("Jawa Barat" for 32), or NULL when the
 * code is not one of the 38 provinces. Static string. */
const char *nik_province_name(unsigned code);

/* The n-th known province code, for n in 0..nik_province_count()-1
 * (ascending); 0 beyond. */
unsigned nik_province_code(size_t n);
size_t nik_province_count(void);

/* Today's date from the system clock (local time). 0 or -errno. */
int nik_today(struct nik_date *ret);

bool nik_date_is_valid(const struct nik_date *d);

const char *nik_sex_to_string(enum nik_sex s);
