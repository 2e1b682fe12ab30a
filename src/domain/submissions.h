/*
 * submissions.h - who sent what: the submissions (imports, deletions,
 * relinks) a user may see, filtered by school, area, data set and date, and
 * one submission with what it brought per school, academic year and term.
 *
 * Who sees a submission: the centre every one; everyone their own; an area
 * those that brought rows of its area (of its schools, or its own rows); a
 * school or a teacher those that brought rows of its school.  Researchers
 * see only their own (they import nothing).
 *
 * Who sees a submission whole (its totals, every school's counts, its
 * validation report): the centre, its owner, and anyone whose scope holds
 * every row it brought.  Others see only the counts of their own schools
 * (the totals become the sums of those).
 *
 * Dates given as filters are days in Thailand (UTC+7); stored times are UTC.
 */
#ifndef NAWAT_SUBMISSIONS_H
#define NAWAT_SUBMISSIONS_H

#include <stdint.h>

#include "../base/arena.h"
#include "../base/date.h"
#include "auth.h"

#define SUBS_LIMIT_MAX 200

struct subs_filter {
	const char *school, *area, *dataset; /* NULL: any */
	struct date from, to;      /* days in Thailand; y = 0: open */
	int64_t before;            /* ids below this (paging); 0: from the newest */
	int64_t limit;             /* 1 .. SUBS_LIMIT_MAX */
};

struct subs_counts {
	int64_t inserted, updated, unchanged, rejected, deleted;
};

struct subs_row {
	int64_t id;
	const char *created_at, *user, *dataset, *file, *kind, *status, *format, *encoding, *sha256;
	struct subs_counts counts;       /* whole: the submission's; else the caller's schools' */
	int64_t errors, warnings;        /* of the whole file (0 when not whole) */
	int64_t schools;                 /* distinct schools it brought rows of (that the caller sees) */
	int whole;
};

/* One school (or area, academic year, term) of a submission. */
struct subs_school {
	const char *school_code, *area_code;  /* NULL: none */
	int64_t academic_year, term;          /* -1: none */
	struct subs_counts counts;
};

/* The submissions u may see, newest first; fn is called for each (strings
 * valid during the call); *more = 1 when there are more after the last. */
int subs_list(struct store *st, const struct user *u, const struct subs_filter *f,
	      int (*fn)(void *ctx, const struct subs_row *r), void *ctx, int *more);

/* Submission id as u may see it: 1 and *out (strings in a), 0 when u may not
 * see it (or there is none); then its schools that u may see, school order,
 * through fn.  NAWAT_E* on failure (message in st->err). */
int subs_get(struct store *st, const struct user *u, int64_t id, struct arena *a, struct subs_row *out,
	     int (*fn)(void *ctx, const struct subs_school *s), void *ctx);

/* The UTC bound of a day in Thailand: "YYYY-MM-DDT17:00:00Z" of the day
 * before (start = 1, the day's first moment) or of the day (start = 0, the
 * moment after its end), into buf (>= 24 bytes). */
const char *subs_day_bound(struct date d, int start, char *buf, size_t n);

#endif
