/*
 * schema.h - SQL text generated from the standard, for every backend.
 *
 * Identifiers come from the package, whose loader allows only
 * [a-z][a-z0-9_]* names, never from input.  What differs between backends is
 * in a struct schema_dialect.
 */
#ifndef NAWAT_SCHEMA_H
#define NAWAT_SCHEMA_H

#include <stddef.h>

#include "../base/buf.h"
#include "../standard/std.h"

struct schema_dialect {
	const char *name;
	const char *t_text, *t_int, *t_real, *t_date, *t_blob;
	const char *serial_pk;      /* an auto-increment primary key column type */
	const char *table_suffix;   /* after the closing parenthesis */
	int numbered_params;        /* $1 ($2 ...) instead of ? */
	const char *limit_all;      /* LIMIT without a limit, for OFFSET */
	const char *seq_default;    /* nw_seq's default (where the database numbers changes) */
	int seq_rowid;              /* nw_seq is the rowid (the table in change order), the
				     * natural key a UNIQUE constraint; else the key is the
				     * primary key and nw_seq has an index */
	const char *extra_setup;    /* run once by the system migrations */
	const char *seq_cache;      /* change numbers handed out a block at a time (migration 8) */
	const char *sums_suffix;    /* tables of sums: clustered by their key where the backend can */
};

extern const struct schema_dialect schema_sqlite;
extern const struct schema_dialect schema_pg;

/* Columns of a field: 1, or 2 for personal data (hash, sealed). */
size_t schema_ncols(const struct std_field *f);
/* Name of a field's column `which` (0 = value or hash, 1 = sealed). */
const char *schema_col(const struct std_field *f, int which, char *buf, size_t n);
const char *schema_col_type(const struct schema_dialect *d, const struct std_field *f, int which);

/* The name of a data set's table, or of its deletions' ("nw_del_NAME"). */
const char *schema_table(const struct std_dataset *ds, int deleted, char *buf, size_t n);
/* CREATE TABLE for a data set and its indexes (statements separated by ";\n"). */
int schema_create_table(const struct schema_dialect *d, const struct std_dataset *ds, struct buf *out);
/* A data set's table (or its deletions') made again in the dialect's layout
 * with the same rows: a new table, the rows copied in change order, the old
 * one dropped (with its indexes) and the new one renamed.  For stores made
 * before nw_seq became the rowid; the caller turns foreign keys off. */
int schema_rebuild_table(const struct schema_dialect *d, const struct std_dataset *ds, int deleted,
			 struct buf *out);
/* The same for the data set's deletions: the last values of every deleted
 * row, by key, and when it was deleted (nw_seq, nw_sub). */
int schema_create_deletions(const struct schema_dialect *d, const struct std_dataset *ds, struct buf *out);
/* ";\n" and the index of change numbers (IF NOT EXISTS, for stores made
 * before it), after a statement; nothing where nw_seq is the rowid. */
int schema_seq_index(const struct schema_dialect *d, const struct std_dataset *ds, int deleted,
		     struct buf *out);
/* ALTER TABLE ... ADD COLUMN for column `which` of field f. */
int schema_add_column(const struct schema_dialect *d, const struct std_dataset *ds, int deleted,
		      const struct std_field *f, int which, struct buf *out);
/* The fixed system tables, numbered; returns NULL past the last. */
const char *schema_system_migration(const struct schema_dialect *d, int n, const char **name,
				    struct buf *out);
/* Index n of nawat's own indexes on data-set tables (CREATE INDEX IF NOT
 * EXISTS) into out: 2 when written, 1 when the package lacks its data set
 * or fields (skip it), 0 past the last, -1 out of memory. */
int schema_own_index(const struct std_package *pkg, size_t n, struct buf *out);

/* Tables of sums (the analytics aggregates, system migration 5): key
 * columns, then integer value columns that writers add to (store_sums_add).
 * A row whose values are all 0 does not exist.  Names are fixed here. */
struct schema_sums {
	const char *name;
	size_t nkey, nval;
	const char *const *key;     /* key column names */
	const unsigned char *key_int; /* 1: an integer key column, 0: text */
	const char *const *val;     /* value column names */
	const unsigned char *val_small; /* 1: a count that fits 32 bits (INTEGER) */
	const char *text;           /* a text column after the values (NULL: none) */
};

#define SCHEMA_HIST_BINS 101 /* one-point score bins 0..99, and 100 */
#define SCHEMA_LEVELS 5      /* levels 0..4 */

/* eq_cells: per school, academic year, term, instrument, domain, subject
 * and disadvantage: n, s1, s2 (sums of values and of squares: scores in
 * hundredths, levels as they are), l0..l4 (level counts), and `detail`: the
 * same sums per grade and gender, as text ("grade,gender,n,s1,s2,l0,l1,l2,
 * l3,l4;" in grade and gender order, groups with results only).  Rows with
 * subject "*" count students (n) with results in the domain, and domain
 * "*" with any.  eq_hist: per school, year, term, instrument, learning area
 * and disadvantage: n, h0..h100 (scores by one-point bin).  eq_rollup: the
 * same sums per level (N national, A area, P province) and code, year,
 * term, instrument, pilot, cohort, domain, subject and disadvantage (n, s1,
 * s2, l0..l4, h0..h100); eq_journal is a session's pending changes to it (a
 * temporary table of the same shape). */
extern const struct schema_sums schema_eq_cells, schema_eq_hist, schema_eq_rollup, schema_eq_journal;

/* Whether a row of sums written with vals may be empty afterwards, so
 * that the backend removes it when it is: added to (put = 0), when a value
 * goes down; put (set to vals), when every value is 0. */
int schema_sums_may_empty(const struct schema_sums *t, const int64_t *vals, int put);

/* CREATE [TEMP] TABLE [IF NOT EXISTS] for a table of sums. */
int schema_sums_create(const struct schema_dialect *d, const struct schema_sums *t, int temp, struct buf *out);

/* The WHERE condition that keeps a scope's rows of a data set, with one
 * parameter (the code) at index `param`; "1 = 1" for SCOPE_ALL and "1 = 0"
 * for SCOPE_NONE.  Data sets reach a scope through a school_code field
 * (rows of a school, or of the schools of an area) or an area_code field. */
struct store_scope;
int schema_scope_where(const struct schema_dialect *d, const struct std_dataset *ds,
		       const struct store_scope *sc, int param, struct buf *out, int *nparams);

/* A query of a data set (store_query) as SQL text and the list of what to
 * bind, in parameter order. */
enum qparam_kind { QP_FILTER, QP_SCOPE, QP_SEARCH, QP_AFTER, QP_SINCE, QP_UPTO, QP_AFTER_SEQ };
struct qparam {
	enum qparam_kind kind;
	int index;                /* filter number, or key part for QP_AFTER */
};
#define QPARAM_MAX 256 /* parameters of one statement (a submission's schools go 23 rows a statement) */
struct store_query;
int schema_query(const struct schema_dialect *d, const struct std_dataset *ds,
		 const struct store_query *q, const char *what, int ordered, struct buf *sql,
		 struct qparam *params, int *nparams);
/* "%text%" for LIKE, with % _ and \ escaped by a backslash. */
int schema_like_pattern(const char *text, struct buf *out);

/* Helpers for statement text. */
int schema_param(const struct schema_dialect *d, struct buf *out, int n);
/* "a = ? AND b = ?" over the key columns, parameters from `first`. */
int schema_key_where(const struct schema_dialect *d, const struct std_dataset *ds, struct buf *out,
		     int first);
/* "a, b_hash, b_sealed, ..." over all field columns. */
int schema_field_list(const struct std_dataset *ds, struct buf *out);

#endif
