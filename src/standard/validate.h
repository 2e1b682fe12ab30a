/*
 * validate.h - validation of one row against a data set of the standard.
 *
 * Pure: no store, no keys, no I/O.  Checks every rule a single row can
 * decide (types, required and conditional requirements, patterns, the citizen
 * ID check digit, code lists, ranges, decimal places, dates and ages, values
 * that must be empty, code prefixes) and gives typed values.  Rules that need
 * other rows (references, duplicates) are the import pipeline's.
 *
 * A cell gets at most one error, the first that applies in the order of
 * spec/exchange.md: required, type, pattern, (checksum, code_list, range,
 * precision, date, not_allowed), (reference, mismatch).
 */
#ifndef NAWAT_VALIDATE_H
#define NAWAT_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "std.h"

enum val_code {
	VC_NONE = 0,
	VC_REQUIRED,
	VC_TYPE,
	VC_PATTERN,
	VC_CHECKSUM,
	VC_CODE_LIST,
	VC_RANGE,
	VC_PRECISION,
	VC_DATE,
	VC_NOT_ALLOWED,
	VC_REFERENCE,
	VC_MISMATCH,
	VC_DUPLICATE,
	VC_UNKNOWN_COLUMN,
	VC_ENCODING,
	VC_SCOPE,          /* reported as "reference": outside the caller's scope */
	VC_NOT_FOUND,      /* a deletion's key: no such row (in the scope) */
	VC_REFERENCED,     /* a deletion's key: rows of other data sets refer to it */
	VC_SAME_CHILD,     /* a warning: may be the same child as a stored student (a G-code and an ID) */
	VC_COUNT
};

/* The report's code for c ("required", ...). */
const char *val_code_name(enum val_code c);

/* One cell as read: s[0..n) already trimmed; present = the column exists. */
struct val_cell {
	const char *s;
	size_t n;
	int present;
};

enum val_state { VAL_ABSENT = 0, VAL_NULL, VAL_SET };

/* A typed value.  Strings point into the cell; dates are written to `date`
 * as ISO text and s points there. */
struct val_value {
	enum val_state state;
	int64_t i;
	double d;
	const char *s;
	size_t n;
	const unsigned char *blob; /* personal data: the sealed copy */
	size_t blob_n;
	char date[11];
};

struct val_issue {
	int field;
	enum val_code code;
	int warning;
};

/* Validates a row.  cells and vals have ds->nfields entries; issues needs
 * room for 2 * ds->nfields.  Returns the number of errors (warnings are in
 * issues too, with warning = 1). */
int val_row(const struct std_dataset *ds, const struct val_cell *cells,
	    struct val_value *vals, struct val_issue *issues, size_t *nissues);

/* The Thai and English message for an issue (value is the cell, may be
 * NULL; it is never quoted for personal-data fields). */
void val_message(const struct std_dataset *ds, const struct val_issue *is,
		 const char *value, size_t vlen,
		 char *th, size_t thn, char *en, size_t enn);

/* Parsers used by validation, exposed for tests and readers. */
int val_parse_int(const char *s, size_t n, int64_t *out);
/* decimals: number of decimal places written (trailing zeros ignored). */
int val_parse_number(const char *s, size_t n, double *out, int *decimals);
/* Writes a number the shortest way that reads back to the same double, in
 * plain decimals (no exponent).  buf must hold VAL_NUMBER_MAX bytes. */
#define VAL_NUMBER_MAX 400
size_t val_format_number(double d, char *buf, size_t n);
/* Decimal text of an integer into buf (>= 21 bytes); returns the length. */
size_t val_format_int(int64_t v, char *buf);
/* The same, fast, for a field with at most `decimals` places (x-decimals). */
size_t val_format_decimal(double d, int decimals, char *buf, size_t n);

#endif
