/*
 * agg.h - the equity aggregates, kept in step with every write.
 *
 * The aggregate tables (schema.h: eq_cells, eq_hist, eq_rollup)
 * hold sums of the outcomes, each joined to its student's row of the same
 * academic year (grade, gender, disadvantage):
 *
 *   value  K: the score in hundredths (an integer: sums stay exact, in any
 *          order of additions and removals); S and A: the level
 *   bin    K: the one-point score bin, floor(score) (0..100)
 *   n, s1, s2    count, sum of values, sum of squared values
 *   l0..l4       results at each level (S, A)
 *   h0..h100     scores in each bin (K)
 *
 * A result counts when its student's row of the year exists and it has its
 * value (a score for K, a level for S and A).  Students are counted once per
 * school, year, term, instrument and domain in which they have a result
 * (eq_cells rows with subject "*"; domain "*" for any result).
 *
 * The observer (a store observer, registered at start-up) follows every
 * write of outcomes, students and schools inside the writing transaction:
 * it reads the rows of each student-year a batch touches before the write
 * (one query per batch), works out their contributions before and after in
 * memory, and adds the differences to the tables at the end of the batch
 * run (a few thousand sums at a time).  The rollup (national, area,
 * province) is changed on PostgreSQL at commit, under a lock, from a
 * temporary journal, so that writers of different schools never wait for
 * each other before their commits; on SQLite (one writer at a time) it is
 * changed directly, except in a first load of results (outcomes empty when
 * the transaction began), where it is left alone and made again from
 * eq_cells and eq_hist at commit.  agg_rebuild recomputes everything from
 * the raw rows with plain SQL; agg_check compares the two.
 *
 * A relink of a student's citizen ID (store_relink) goes through the writer
 * and store_delete, and so needs nothing more.  Code that changes outcomes
 * or students other than through them calls store_touch_before and
 * store_touch_after with the student-years on both sides.
 */
#ifndef NAWAT_AGG_H
#define NAWAT_AGG_H

#include <stdint.h>
#include <stdio.h>

#include "../store/store.h"

extern const struct store_observer agg_observer;

/* Every store opened from now on keeps the aggregates (call at start-up). */
void agg_register(void);

/* Recomputes every aggregate from the raw rows, in a transaction of its own. */
int agg_rebuild(struct store *st);

/* Recomputes the aggregates and compares them with the kept ones, changing
 * nothing: *differences is the number of rows that differ (0 when they
 * agree exactly); the first few are printed to fp (may be NULL). */
int agg_check(struct store *st, int64_t *differences, FILE *fp);

#endif
