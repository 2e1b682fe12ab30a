/* date.c - civil dates and Thai date text (see date.h). */
#include "date.h"

#include <stdio.h>
#include <time.h>

int date_days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return dm[m - 1] + (m == 2 && leap);
}

int date_valid(int y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

/* Reads 1..maxd digits; returns digits read, 0 if none. */
static size_t digits(const char *s, size_t n, size_t maxd, int *v)
{
	size_t i = 0;

	*v = 0;
	while (i < n && i < maxd && s[i] >= '0' && s[i] <= '9') {
		*v = *v * 10 + (s[i] - '0');
		i++;
	}
	return i;
}

enum date_status date_parse(const char *s, size_t n, struct date *out, enum date_form *form)
{
	int y, m, d;
	size_t k;

	/* ISO: YYYY-MM-DD exactly */
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		if (digits(s, 4, 4, &y) != 4 || digits(s + 5, 2, 2, &m) != 2 ||
		    digits(s + 8, 2, 2, &d) != 2)
			return DATE_BAD_FORM;
		if (!date_valid(y, m, d))
			return DATE_BAD_DAY;
		if (y < 1900 || y > 2199)
			return DATE_BAD_YEAR;
		out->y = y; out->m = m; out->d = d;
		*form = DATE_ISO;
		return DATE_OK;
	}
	/* D/M/YYYY, B.E. */
	k = digits(s, n, 2, &d);
	if (k == 0 || k >= n || s[k] != '/')
		return DATE_BAD_FORM;
	s += k + 1; n -= k + 1;
	k = digits(s, n, 2, &m);
	if (k == 0 || k >= n || s[k] != '/')
		return DATE_BAD_FORM;
	s += k + 1; n -= k + 1;
	k = digits(s, n, 4, &y);
	if (k != 4 || n != 4)
		return DATE_BAD_FORM;
	if (y < 2400 || y > 2700)
		return DATE_BAD_YEAR;
	y -= BE_OFFSET;
	if (!date_valid(y, m, d))
		return DATE_BAD_DAY;
	out->y = y; out->m = m; out->d = d;
	*form = DATE_DMY_BE;
	return DATE_OK;
}

/* Howard Hinnant's days_from_civil. */
int64_t date_to_days(struct date dt)
{
	int64_t y = dt.y - (dt.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (dt.m + (dt.m > 2 ? -3 : 9)) + 2) / 5 + dt.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct date date_from_days(int64_t z)
{
	struct date dt;
	int64_t era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dt.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	dt.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	dt.y = (int)(y + (dt.m <= 2));
	return dt;
}

int date_age(struct date birth, struct date on)
{
	int age = on.y - birth.y;

	if (on.m < birth.m || (on.m == birth.m && on.d < birth.d))
		age--;
	return age;
}

/* Digits by hand for the dates of the data (years 0-9999): an import
 * writes one a row, and snprintf was a visible share of reading students. */
char *date_iso(struct date dt, char *buf, size_t n)
{
	if (n < 11 || dt.y < 0 || dt.y > 9999 || dt.m < 0 || dt.m > 99 || dt.d < 0 || dt.d > 99) {
		snprintf(buf, n, "%04d-%02d-%02d", dt.y, dt.m, dt.d);
		return buf;
	}
	buf[0] = (char)('0' + dt.y / 1000);
	buf[1] = (char)('0' + dt.y / 100 % 10);
	buf[2] = (char)('0' + dt.y / 10 % 10);
	buf[3] = (char)('0' + dt.y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + dt.m / 10);
	buf[6] = (char)('0' + dt.m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + dt.d / 10);
	buf[9] = (char)('0' + dt.d % 10);
	buf[10] = '\0';
	return buf;
}

static const char *month_short[] = {
	"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
	"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."
};
static const char *month_long[] = {
	"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
	"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"
};

char *date_thai(struct date dt, int long_month, char *buf, size_t n)
{
	if (dt.m < 1 || dt.m > 12) {
		snprintf(buf, n, "-");
		return buf;
	}
	snprintf(buf, n, "%d %s %d", dt.d,
		 long_month ? month_long[dt.m - 1] : month_short[dt.m - 1], dt.y + BE_OFFSET);
	return buf;
}

struct date date_today(void)
{
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	struct date dt;

	gmtime_r(&now, &tm);
	dt.y = tm.tm_year + 1900;
	dt.m = tm.tm_mon + 1;
	dt.d = tm.tm_mday;
	return dt;
}

int date_academic_year(struct date dt)
{
	int y = dt.y + BE_OFFSET;

	if (dt.m < 5 || (dt.m == 5 && dt.d < 16))
		y--;
	return y;
}

int date_fiscal_year(struct date dt)
{
	return dt.y + BE_OFFSET + (dt.m >= 10);
}
