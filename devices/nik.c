/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "nik.h"

struct province {
	unsigned code;
	const char *name;
};

/* The 38 provinces and their NIK codes (DOMAIN.md; Kemendagri region
 * codes, Papua split of 2022 included). Ascending by code. */
static const struct province provinces[] = {
	{11, "Aceh"},
	{12, "Sumatera Utara"},
	{13, "Sumatera Barat"},
	{14, "Riau"},
	{15, "Jambi"},
	{16, "Sumatera Selatan"},
	{17, "Bengkulu"},
	{18, "Lampung"},
	{19, "Kepulauan Bangka Belitung"},
	{21, "Kepulauan Riau"},
	{31, "DKI Jakarta"},
	{32, "Jawa Barat"},
	{33, "Jawa Tengah"},
	{34, "DI Yogyakarta"},
	{35, "Jawa Timur"},
	{36, "Banten"},
	{51, "Bali"},
	{52, "Nusa Tenggara Barat"},
	{53, "Nusa Tenggara Timur"},
	{61, "Kalimantan Barat"},
	{62, "Kalimantan Tengah"},
	{63, "Kalimantan Selatan"},
	{64, "Kalimantan Timur"},
	{65, "Kalimantan Utara"},
	{71, "Sulawesi Utara"},
	{72, "Sulawesi Tengah"},
	{73, "Sulawesi Selatan"},
	{74, "Sulawesi Tenggara"},
	{75, "Gorontalo"},
	{76, "Sulawesi Barat"},
	{81, "Maluku"},
	{82, "Maluku Utara"},
	{91, "Papua"},
	{92, "Papua Barat"},
	{93, "Papua Selatan"},
	{94, "Papua Tengah"},
	{95, "Papua Pegunungan"},
	{96, "Papua Barat Daya"},
};

#define N_PROVINCES (sizeof(provinces) / sizeof(provinces[0]))

const char *nik_province_name(unsigned code)
{
	for (size_t i = 0; i < N_PROVINCES; i++)
		if (provinces[i].code == code)
			return provinces[i].name;
	return NULL;
}

unsigned nik_province_code(size_t n)
{
	return n < N_PROVINCES ? provinces[n].code : 0;
}

size_t nik_province_count(void)
{
	return N_PROVINCES;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool nik_date_is_valid(const struct nik_date *d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (!d || d->month < 1 || d->month > 12 || d->day < 1)
		return false;
	if (d->month == 2 && is_leap(d->year))
		return d->day <= 29;
	return d->day <= days[d->month - 1];
}

static int date_cmp(const struct nik_date *a, const struct nik_date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

int nik_today(struct nik_date *ret)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1)
		return -errno;
	if (!localtime_r(&now, &tm))
		return -EOVERFLOW;
	*ret = (struct nik_date){
		.year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday};
	return 0;
}

static unsigned digits(const char *s, size_t n)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

int nik_parse(const char *s, size_t len, const struct nik_date *today, struct nik_info *ret)
{
	struct nik_info info = {0};
	struct nik_date now;
	unsigned dd, mm, yy;
	bool found = false;

	if (!s || len != NIK_LEN)
		return -EINVAL;
	for (size_t i = 0; i < NIK_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;

	if (today) {
		now = *today;
	} else if (nik_today(&now) < 0) {
		return -EINVAL;
	}
	if (!nik_date_is_valid(&now))
		return -EINVAL;

	info.province = digits(s, 2);
	info.province_name = nik_province_name(info.province);
	if (!info.province_name)
		return -EINVAL;
	info.regency = digits(s + 2, 2);
	info.district = digits(s + 4, 2);
	if (info.regency == 0 || info.district == 0)
		return -EINVAL;

	dd = digits(s + 6, 2);
	mm = digits(s + 8, 2);
	yy = digits(s + 10, 2);
	info.sex = dd > 40 ? NIK_SEX_FEMALE : NIK_SEX_MALE;
	if (dd > 40)
		dd -= 40;

	/* Two digits of year: 20yy unless that is after today, then 19yy
	 * (everyone alive with a NIK was born in one of the two). 29 Feb is
	 * checked in the year it resolves to: 2000 is a leap year, 1900 is
	 * not. */
	for (int century = 2000; century >= 1900 && !found; century -= 100) {
		struct nik_date d = {.year = century + (int)yy, .month = (int)mm, .day = (int)dd};
		if (nik_date_is_valid(&d) && date_cmp(&d, &now) <= 0) {
			info.birth = d;
			found = true;
		}
	}
	if (!found)
		return -EINVAL;

	info.serial = digits(s + 12, 4);
	if (info.serial == 0)
		return -EINVAL;

	if (ret)
		*ret = info;
	return 0;
}

bool nik_valid(const char *s, const struct nik_date *today)
{
	if (!s)
		return false;
	return nik_parse(s, strnlen(s, NIK_LEN + 1), today, NULL) == 0;
}

const char *nik_sex_to_string(enum nik_sex s)
{
	switch (s) {
	case NIK_SEX_MALE:
		return "male";
	case NIK_SEX_FEMALE:
		return "female";
	default:
		return NULL;
	}
}
