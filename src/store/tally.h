/*
 * tally.h - what one submission brought per school, area, academic year and
 * term: the rows of a file counted by the values of those fields (inserted,
 * updated, unchanged, rejected, deleted), kept in memory while the file is
 * read (one entry per distinct combination: schools x years x terms) and
 * written to the store's submission_schools with the submission.
 *
 * A data set counts by the fields it has: school_code, area_code,
 * academic_year, term.  A cell that is missing or not valid counts as
 * "none" (NULL).  Rows of a school whose data set has no area_code get the
 * school's area from the store when written (tally_store).
 */
#ifndef NAWAT_TALLY_H
#define NAWAT_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "../standard/std.h"
#include "../standard/validate.h"
#include "store.h"

enum tally_kind { TALLY_INSERTED = 0, TALLY_UPDATED, TALLY_UNCHANGED, TALLY_REJECTED, TALLY_DELETED, TALLY_N };

struct tally_entry {
	char *school, *area;     /* NULL: none */
	int64_t year, term;      /* -1: none */
	int64_t n[TALLY_N];
};

struct tally {
	int school_f, area_f, year_f, term_f; /* the data set's fields, -1 when absent */
	struct tally_entry *e;
	size_t n, cap;
	int *slot;               /* open addressing over e, -1 empty */
	size_t nslot;
	size_t last;             /* the entry counted last, when n > 0 (rows come by school) */
	int failed;              /* out of memory: the tally is incomplete */
};

void tally_init(struct tally *t, const struct std_dataset *ds);
void tally_release(struct tally *t);
/* Counts one row: vals are its values (a field with valid = 0 counts as
 * none). */
void tally_add(struct tally *t, const struct std_dataset *ds, const struct val_value *vals,
	       int (*valid)(void *ctx, int field), void *ctx, enum tally_kind kind);
/* Every row counted becomes rejected (a file or batch that wrote nothing). */
void tally_reject_all(struct tally *t);
/* Writes the entries as submission sub_id's rows of submission_schools,
 * inside the caller's transaction.  0 or NAWAT_E* (message in st->err). */
int tally_store(struct tally *t, struct store *st, int64_t sub_id);

#endif
