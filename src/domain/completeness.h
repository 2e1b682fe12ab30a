/*
 * completeness.h - which school has sent which data set for an academic
 * year and term, which are missing or late, by the national data-collection
 * rounds (10 June, 10 November, 31 March).  docs/completeness.md says, in
 * Thai and English, what "sent" means for each data set; in short:
 *
 *   students (a row per student per year): the round of the term: term 1 the
 *     round of 10 June, term 2 that of 10 November, term 0 (the whole year)
 *     that of 31 March.  A round's window opens on the first day of the month
 *     before its deadline (the first round's is open from the start) and
 *     closes when the next one opens.  Sent = an import of the school's
 *     students of that year within the window, and the store holds them;
 *     on time when the first such import was on or before the deadline.
 *   outcomes (rows per term): sent = the store holds the school's results of
 *     that year and term and they came by import; due with the round after
 *     the term (term 1: 10 November; term 2 and the whole year: 31 March).
 *
 * Dates are days in Thailand (UTC+7).  Everything is read in the caller's
 * scope: a school sees its own row, an area its schools, the centre all.
 */
#ifndef NAWAT_COMPLETENESS_H
#define NAWAT_COMPLETENESS_H

#include <stdint.h>

#include "../base/arena.h"
#include "../base/date.h"
#include "../store/store.h"

enum cpl_status {
	CPL_SENT = 0,   /* on time */
	CPL_LATE,       /* sent, after the deadline */
	CPL_MISSING,    /* nothing, and the deadline has passed */
	CPL_PENDING,    /* nothing yet, the deadline has not passed */
	CPL_HELD,       /* rows held, but no import of them is recorded (stores older than the records) */
	CPL_NSTATUS
};

#define CPL_NSETS 2   /* students, outcomes */

struct cpl_set {
	const char *dataset;      /* "students" */
	const char *title_th, *title_en;
	int round;                /* 1, 2, 3: the round whose deadline applies */
	struct date deadline;
	struct date opens;        /* y = 0: open from the start */
	struct date closes;       /* the window ends before this day; y = 0: never */
	int64_t count[CPL_NSTATUS];
};

struct cpl_cell {
	enum cpl_status status;
	int64_t rows;             /* held now */
	const char *first_at;     /* the first counted import in the window (UTC), NULL none */
	const char *last_at;      /* the latest import of these rows at any time, NULL none */
	int64_t last_sub;         /* its submission */
};

struct cpl_school {
	const char *school_code, *name_th, *area_code, *pilot;
	struct cpl_cell cell[CPL_NSETS];
};

struct cpl_result {
	int64_t year;
	int term;
	struct date as_of;
	struct cpl_set sets[CPL_NSETS];
	struct cpl_school *schools;   /* area, then Thai name order */
	size_t nschools;
};

/* The round of a term (1 -> 1, 2 -> 2, 0 -> 3) and its deadline. */
int cpl_round_of_term(int term);
struct date cpl_round_deadline(int64_t year, int round);
const char *cpl_status_name(enum cpl_status s);  /* "sent", "late", ... */
const char *cpl_status_th(enum cpl_status s);
/* The default academic year and term on a day: its academic year, and the
 * term whose round is under way (term 1 until the end of September, term 2
 * until the end of January, then 0). */
void cpl_default(struct date day, int64_t *year, int *term);

/* A faster source of the results each school holds for a year and term
 * than counting the rows of `dataset` (outcomes): the aggregates register
 * one at start-up (analytics/agg.c), as the lower layer cannot call the
 * higher one.  It calls add(ctx, school, n) for each school, of `area`
 * (NULL: every one in scope sc) or only `school`, and returns 1, or 0 when
 * it cannot answer (the rows are then counted), or NAWAT_E*. */
typedef int (*cpl_counter)(struct store *st, const char *dataset, const struct store_scope *sc, const char *area,
			   const char *school, int64_t year, int term,
			   int (*add)(void *ctx, const char *school, int64_t n), void *ctx);
void cpl_set_counter(cpl_counter fn);

/* Fills *out for the schools of `area` (NULL: every area in scope) or one
 * `school` (NULL: all), in scope sc, as of a day.  Strings and arrays live
 * in a.  0 or NAWAT_E* (message in st->err). */
int cpl_load(struct store *st, const struct store_scope *sc, const char *area, const char *school,
	     int64_t year, int term, struct date as_of, struct arena *a, struct cpl_result *out);

#endif
