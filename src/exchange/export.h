/*
 * export.h - writing a data set out in the exchange format (CSV, JSON array,
 * NDJSON, XLSX), rows in key order, streamed.
 *
 * Personal data: the operator gets the real citizen IDs (opened from the
 * sealed copy: of the row itself, or of the data set the row refers to);
 * with pseudonymise, stable pseudonyms instead.  Files written here
 * re-import with zero changes.
 */
#ifndef NAWAT_EXPORT_H
#define NAWAT_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "../base/arena.h"
#include "../base/err.h"
#include "../standard/pii.h"
#include "../store/store.h"

enum exp_format { EXP_CSV, EXP_JSON, EXP_NDJSON, EXP_XLSX };

struct exp_opts {
	enum exp_format format;
	int pseudonymise;
	int bom;                          /* CSV: a UTF-8 BOM, for spreadsheet programs */
	const struct store_filter *filters;
	size_t nfilters;
	struct store_scope scope;         /* whose rows (zero: all) */
	/* the change feed: the rows changed after change number `since` (an
	 * "op" column or member says upsert or delete; deletions carry their
	 * key) and, in *mark, the number to ask from next time */
	int feed;
	int64_t since;
	int64_t *mark;
};

int exp_format_parse(const char *name, enum exp_format *out);

/* Parses "FIELD=VALUE" into a filter on ds (values typed by the field; personal
 * data hashed with key).  Strings are allocated from a. */
int exp_filter_parse(const struct std_dataset *ds, const struct pii_key *key, const char *expr,
		     struct arena *a, struct store_filter *out, struct nw_err *err);

int exp_run(struct store *st, const struct pii_key *key, const struct std_dataset *ds,
	    const struct exp_opts *o, FILE *out, int64_t *nrows, struct nw_err *err);

/* Values of stored rows as the exchange format writes them (the API and the
 * pages use it too): numbers in their shortest form, dates ISO, personal data
 * opened from its sealed copy, or a pseudonym. */
struct exp_values;
int exp_values_open(struct store *st, const struct pii_key *key, const struct std_dataset *ds,
		    int pseudonymise, struct exp_values **out, struct nw_err *err);
void exp_values_close(struct exp_values *x);
/* *s is NULL for a missing value; quoted = 0 for numbers.  s stays valid
 * until the next call. */
int exp_value(struct exp_values *x, const struct val_value *vals, int field, const char **s,
	      size_t *n, int *quoted, struct nw_err *err);

#endif
