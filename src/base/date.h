/*
 * date.h - civil dates, the Buddhist era and Thai date text.
 *
 * Dates are proleptic Gregorian.  B.E. = C.E. + 543.  The academic year (B.E.)
 * starts on 16 May; the fiscal year runs 1 Oct - 30 Sep and is named by the
 * B.E. year it ends in.
 */
#ifndef NAWAT_DATE_H
#define NAWAT_DATE_H

#include <stddef.h>
#include <stdint.h>

struct date { int y, m, d; }; /* C.E. */

#define BE_OFFSET 543

enum date_form {
	DATE_ISO = 1, /* YYYY-MM-DD, C.E. */
	DATE_DMY_BE   /* D/M/YYYY, B.E. year 2400-2700 */
};

/* Outcome of date_parse. */
enum date_status {
	DATE_OK = 0,
	DATE_BAD_FORM,   /* not a date shape we accept */
	DATE_BAD_DAY,    /* right shape, impossible day or month */
	DATE_BAD_YEAR    /* implausible year for the form (e.g. B.E. in ISO) */
};

/* Parses s[0..n).  Accepts ISO C.E. with a year 1900-2199, or D/M/YYYY with a
 * B.E. year 2400-2700.  On DATE_OK fills *out (C.E.) and *form. */
enum date_status date_parse(const char *s, size_t n, struct date *out, enum date_form *form);

int date_valid(int y, int m, int d);
int date_days_in_month(int y, int m);
/* Days since 1970-01-01 (negative before). */
int64_t date_to_days(struct date dt);
struct date date_from_days(int64_t days);
/* Whole years of age on date `on`. */
int date_age(struct date birth, struct date on);

/* "2024-05-16" into buf (>= 11 bytes). */
char *date_iso(struct date dt, char *buf, size_t n);
/* "16 พ.ค. 2567" (short month) or "16 พฤษภาคม 2567" (long). */
char *date_thai(struct date dt, int long_month, char *buf, size_t n);
/* Today's date (UTC+7, Thailand). */
struct date date_today(void);
/* Academic year (B.E.) of a date: starts 16 May. */
int date_academic_year(struct date dt);
/* Fiscal year (B.E.) of a date: 1 Oct - 30 Sep, named by its end year. */
int date_fiscal_year(struct date dt);

#endif
