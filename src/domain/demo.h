/*
 * demo.h - deterministic generator of realistic demo data.
 *
 * Writes the four core data sets of the exchange format (spec/exchange.md)
 * as CSV: the 20 real sandbox areas, schools in area and comparison
 * provinces (including the 13 pilot schools of สพป.เชียงใหม่ เขต 5 named in
 * the seeds), students of one academic year and their outcomes in the three
 * domains, with a planted equity gap.  Every row is valid against the
 * standard, so the files import with no errors and no warnings.  The same
 * options give byte-identical files; memory does not grow with the number of
 * students (rows are streamed).
 */
#ifndef NAWAT_DEMO_H
#define NAWAT_DEMO_H

#include "../base/err.h"

/* Largest accepted student count: citizen IDs stay unique up to here. */
#define DEMO_MAX_STUDENTS 100000000L

struct demo_opts {
	long students;      /* student rows (one academic year each); 0 = default 2000 */
	unsigned long seed; /* 0 = default 1 */
};

struct demo_stats {
	long areas, schools, students, outcomes;
};

/* Writes areas.csv, schools.csv, students.csv, outcomes.csv into dir (which
 * exists), replacing files of those names.  o may be NULL (defaults), stats
 * may be NULL.  Prints nothing.  Returns 0 or NAWAT_EINVAL (bad options),
 * NAWAT_ENOMEM, NAWAT_EIO with a message in err. */
int demo_write_csv(const char *dir, const struct demo_opts *o, struct demo_stats *stats,
		   struct nw_err *err);

#endif
