/* schema.c - SQL text generated from the standard (see schema.h). */
#include "schema.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

const struct schema_dialect schema_sqlite = {
	.name = "sqlite",
	.t_text = "TEXT", .t_int = "INTEGER", .t_real = "REAL", .t_date = "TEXT", .t_blob = "BLOB",
	.serial_pk = "INTEGER PRIMARY KEY",
	/* Rowid tables whose rowid is the change number: rows are appended
	 * in the order they change (an import's rows stay together, and the
	 * change feed reads the table itself in order), and the natural key is
	 * a separate, smaller UNIQUE index. */
	.table_suffix = "",
	.numbered_params = 0,
	.limit_all = "-1",
	.seq_default = "",
	.seq_rowid = 1,
	.extra_setup = "SELECT 1",
	.seq_cache = "SELECT 1", /* (numbered in the process: struct sq.seq) */
	/* one B-tree by the key instead of a table and an index: half the
	 * pages written for the same sums */
	.sums_suffix = " WITHOUT ROWID",
};

const struct schema_dialect schema_pg = {
	.name = "postgresql",
	.t_text = "TEXT", .t_int = "BIGINT", .t_real = "DOUBLE PRECISION", .t_date = "DATE",
	.t_blob = "BYTEA",
	.serial_pk = "BIGSERIAL PRIMARY KEY",
	.table_suffix = "",
	.numbered_params = 1,
	.limit_all = "ALL",
	.seq_default = " DEFAULT nextval('nawat_seq')",
	/* a sequence for change numbers, Thai ordering, and a counter that moves
	 * with every committed write (for answer caches) */
	.extra_setup = "CREATE SEQUENCE IF NOT EXISTS nawat_seq;\n"
		       "CREATE COLLATION IF NOT EXISTS thai (provider = icu, locale = 'th-TH');\n"
		       "INSERT INTO nawat_meta (name, value) VALUES ('data_version', '0') ON CONFLICT DO NOTHING",
	/* Each connection takes change numbers from the sequence a block at a
	 * time and hands them out itself: nextval without a write to the
	 * sequence's page for every row (a tenth of a COPY of new rows).  A
	 * connection's numbers still rise, so a submission's rows stay above
	 * its first_seq; numbers left in a block when a connection closes are
	 * never used (gaps, as a rollback leaves). */
	.seq_cache = "ALTER SEQUENCE nawat_seq CACHE 1024",
	.sums_suffix = "",
};

/* ---- tables of sums (the analytics aggregates) ---- */

#define H10(d) "h" #d "0", "h" #d "1", "h" #d "2", "h" #d "3", "h" #d "4", "h" #d "5", "h" #d "6", \
	       "h" #d "7", "h" #d "8", "h" #d "9"
#define HIST_COLS "h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", H10(1), H10(2), H10(3), \
	H10(4), H10(5), H10(6), H10(7), H10(8), H10(9), "h100"
#define LEVEL_COLS "l0", "l1", "l2", "l3", "l4"
#define ONES10 1, 1, 1, 1, 1, 1, 1, 1, 1, 1

static const char *const cells_key[] = { "school_code", "academic_year", "term", "instrument", "domain",
					  "subject_code", "disadvantage" };
static const unsigned char cells_key_int[] = { 0, 1, 1, 0, 0, 0, 1 };
static const char *const cells_val[] = { "n", "s1", "s2", LEVEL_COLS };
static const unsigned char cells_val_small[] = { 0, 0, 0, 1, 1, 1, 1, 1 };

static const char *const hist_key[] = { "school_code", "academic_year", "term", "instrument", "subject_code",
					 "disadvantage" };
static const unsigned char hist_key_int[] = { 0, 1, 1, 0, 0, 1 };
static const char *const hist_val[] = { "n", HIST_COLS };
static const unsigned char hist_val_small[] = { 0, ONES10, ONES10, ONES10, ONES10, ONES10, ONES10, ONES10,
						ONES10, ONES10, ONES10, 1 };

static const char *const rollup_key[] = { "level", "code", "academic_year", "term", "instrument", "pilot",
					   "cohort", "domain", "subject_code", "disadvantage" };
static const unsigned char rollup_key_int[] = { 0, 0, 1, 1, 0, 0, 1, 0, 0, 1 };
static const char *const rollup_val[] = { "n", "s1", "s2", LEVEL_COLS, HIST_COLS };
static const unsigned char rollup_val_small[] = { 0, 0, 0, 1, 1, 1, 1, 1, ONES10, ONES10, ONES10, ONES10,
						  ONES10, ONES10, ONES10, ONES10, ONES10, ONES10, 1 };

#define SUMS(name, k, v, text) { name, sizeof k##_key / sizeof k##_key[0], sizeof v##_val / sizeof v##_val[0], \
				 k##_key, k##_key_int, v##_val, v##_val_small, text }

const struct schema_sums schema_eq_cells = SUMS("eq_cells", cells, cells, "detail");
const struct schema_sums schema_eq_hist = SUMS("eq_hist", hist, hist, NULL);
const struct schema_sums schema_eq_rollup = SUMS("eq_rollup", rollup, rollup, NULL);
const struct schema_sums schema_eq_journal = SUMS("eq_journal", rollup, rollup, NULL);

int schema_sums_may_empty(const struct schema_sums *t, const int64_t *vals, int put)
{
	size_t v;
	int down = 0, empty = 1;

	for (v = 0; v < t->nval; v++) {
		down |= vals[v] < 0;
		empty &= vals[v] == 0;
	}
	return put ? empty : down;
}

int schema_sums_create(const struct schema_dialect *d, const struct schema_sums *t, int temp, struct buf *out)
{
	size_t i;
	int rc = buf_printf(out, "CREATE %sTABLE %s%s (", temp ? "TEMP " : "", temp ? "IF NOT EXISTS " : "",
			    t->name);

	for (i = 0; i < t->nkey && !rc; i++)
		rc = buf_printf(out, "%s %s NOT NULL, ", t->key[i], t->key_int[i] ? d->t_int : d->t_text);
	for (i = 0; i < t->nval && !rc; i++)
		rc = buf_printf(out, "%s %s NOT NULL DEFAULT 0, ", t->val[i], t->val_small[i] ? "INTEGER" : d->t_int);
	if (!rc && t->text)
		rc = buf_printf(out, "%s TEXT NOT NULL DEFAULT '', ", t->text);
	for (i = 0; i < t->nkey && !rc; i++)
		rc = buf_printf(out, "%s%s", i ? ", " : "PRIMARY KEY (", t->key[i]);
	return rc ? rc : buf_printf(out, "))%s", d->sums_suffix);
}

size_t schema_ncols(const struct std_field *f)
{
	return f->pii ? (f->pii_seal ? 2 : 1) : 1;
}

const char *schema_col(const struct std_field *f, int which, char *buf, size_t n)
{
	if (!f->pii)
		snprintf(buf, n, "%s", f->name);
	else
		snprintf(buf, n, "%s_%s", f->name, which ? "sealed" : "hash");
	return buf;
}

const char *schema_col_type(const struct schema_dialect *d, const struct std_field *f, int which)
{
	(void)which;
	if (f->pii)
		return d->t_blob;
	switch (f->type) {
	case STD_INTEGER: return d->t_int;
	case STD_NUMBER: return d->t_real;
	case STD_DATE: return d->t_date;
	default: return d->t_text;
	}
}

int schema_param(const struct schema_dialect *d, struct buf *out, int n)
{
	return d->numbered_params ? buf_printf(out, "$%d", n) : buf_putc(out, '?');
}

int schema_key_where(const struct schema_dialect *d, const struct std_dataset *ds, struct buf *out,
		     int first)
{
	char col[64];
	size_t i;
	int rc = 0;

	for (i = 0; i < ds->nkey && !rc; i++) {
		rc = buf_printf(out, "%s%s = ", i ? " AND " : "",
				schema_col(&ds->fields[ds->key[i]], 0, col, sizeof col));
		if (!rc)
			rc = schema_param(d, out, first + (int)i);
	}
	return rc;
}

int schema_field_list(const struct std_dataset *ds, struct buf *out)
{
	char col[64];
	size_t i, w;
	int rc = 0, n = 0;

	for (i = 0; i < ds->nfields && !rc; i++)
		for (w = 0; w < schema_ncols(&ds->fields[i]) && !rc; w++)
			rc = buf_printf(out, "%s%s", n++ ? ", " : "",
					schema_col(&ds->fields[i], (int)w, col, sizeof col));
	return rc;
}

const char *schema_table(const struct std_dataset *ds, int deleted, char *buf, size_t n)
{
	if (!deleted)
		return ds->name;
	snprintf(buf, n, "nw_del_%s", ds->name);
	return buf;
}

/* The table of a data set (deleted = 0) or of its deletions (1: the last
 * values of each deleted row, by key, without references), and the index
 * of change numbers that the change feed reads in order. */
static int create_table(const struct schema_dialect *d, const struct std_dataset *ds, int deleted,
			const char *as, struct buf *out)
{
	char col[64], name[80];
	const char *t = as ? as : schema_table(ds, deleted, name, sizeof name);
	size_t i, w;
	int rc;

	rc = buf_printf(out, "CREATE TABLE %s (\n", t);
	for (i = 0; i < ds->nfields && !rc; i++) {
		const struct std_field *f = &ds->fields[i];

		for (w = 0; w < schema_ncols(f) && !rc; w++)
			rc = buf_printf(out, "  %s %s%s,\n", schema_col(f, (int)w, col, sizeof col),
					schema_col_type(d, f, (int)w),
					f->required || f->key_pos >= 0 ? " NOT NULL" : "");
	}
	if (!rc && d->seq_rowid)
		rc = buf_printf(out, "  nw_seq INTEGER PRIMARY KEY,\n  nw_sub %s NOT NULL,\n  UNIQUE (", d->t_int);
	else if (!rc)
		rc = buf_printf(out, "  nw_seq %s NOT NULL%s,\n  nw_sub %s NOT NULL,\n  PRIMARY KEY (",
				d->t_int, d->seq_default, d->t_int);
	for (i = 0; i < ds->nkey && !rc; i++)
		rc = buf_printf(out, "%s%s", i ? ", " : "",
				schema_col(&ds->fields[ds->key[i]], 0, col, sizeof col));
	if (!rc)
		rc = buf_printf(out, ")");
	/* references to other data sets are real foreign keys */
	for (i = 0; i < ds->nfk && !rc && !deleted; i++) {
		const struct std_fk *fk = &ds->fks[i];
		size_t j;

		rc = buf_printf(out, ",\n  FOREIGN KEY (");
		for (j = 0; j < fk->n && !rc; j++)
			rc = buf_printf(out, "%s%s", j ? ", " : "",
					schema_col(&ds->fields[fk->fields[j]], 0, col, sizeof col));
		if (!rc)
			rc = buf_printf(out, ") REFERENCES %s (", fk->target->name);
		for (j = 0; j < fk->n && !rc; j++)
			rc = buf_printf(out, "%s%s", j ? ", " : "",
					schema_col(&fk->target->fields[fk->target_fields[j]], 0, col, sizeof col));
		if (!rc)
			rc = buf_printf(out, ")");
	}
	if (!rc)
		rc = buf_printf(out, "\n)%s", d->table_suffix);
	if (!rc && !as)
		rc = schema_seq_index(d, ds, deleted, out);
	return rc;
}

int schema_seq_index(const struct schema_dialect *d, const struct std_dataset *ds, int deleted,
		     struct buf *out)
{
	char name[80];
	const char *t = schema_table(ds, deleted, name, sizeof name);

	if (d->seq_rowid)
		return 0; /* the rowid is the order */
	return buf_printf(out, ";\nCREATE INDEX IF NOT EXISTS %s_seq ON %s (nw_seq)", t, t);
}

int schema_create_table(const struct schema_dialect *d, const struct std_dataset *ds, struct buf *out)
{
	return create_table(d, ds, 0, NULL, out);
}

int schema_rebuild_table(const struct schema_dialect *d, const struct std_dataset *ds, int deleted,
			 struct buf *out)
{
	char name[80];
	const char *t = schema_table(ds, deleted, name, sizeof name);
	int rc;

	rc = buf_puts(out, "DROP TABLE IF EXISTS nw_rebuild;\n") || create_table(d, ds, deleted, "nw_rebuild", out) ||
	     buf_puts(out, ";\nINSERT INTO nw_rebuild (") || schema_field_list(ds, out) ||
	     buf_puts(out, ", nw_seq, nw_sub) SELECT ") || schema_field_list(ds, out) ||
	     buf_printf(out, ", nw_seq, nw_sub FROM %s ORDER BY nw_seq;\nDROP TABLE %s;\n"
			     "ALTER TABLE nw_rebuild RENAME TO %s", t, t, t);
	return rc;
}

int schema_create_deletions(const struct schema_dialect *d, const struct std_dataset *ds, struct buf *out)
{
	return create_table(d, ds, 1, NULL, out);
}

int schema_add_column(const struct schema_dialect *d, const struct std_dataset *ds, int deleted,
		      const struct std_field *f, int which, struct buf *out)
{
	char col[64], name[80];

	/* added columns are nullable: rows stored before them have no value */
	return buf_printf(out, "ALTER TABLE %s ADD COLUMN %s %s", schema_table(ds, deleted, name, sizeof name),
			  schema_col(f, which, col, sizeof col), schema_col_type(d, f, which));
}

const char *schema_system_migration(const struct schema_dialect *d, int n, const char **name,
				    struct buf *out)
{
	switch (n) {
	case 1:
		*name = "system tables: meta, submissions, submission issues";
		if (buf_printf(out,
			       "CREATE TABLE nawat_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
			       "CREATE TABLE submissions (\n"
			       "  id %s,\n  created_at TEXT NOT NULL,\n  user_name TEXT NOT NULL,\n"
			       "  dataset TEXT NOT NULL,\n  file_name TEXT NOT NULL,\n  sha256 TEXT NOT NULL,\n"
			       "  format TEXT NOT NULL,\n  encoding TEXT,\n  status TEXT NOT NULL,\n"
			       "  inserted %s NOT NULL DEFAULT 0,\n  updated %s NOT NULL DEFAULT 0,\n"
			       "  unchanged %s NOT NULL DEFAULT 0,\n  rejected %s NOT NULL DEFAULT 0,\n"
			       "  errors %s NOT NULL DEFAULT 0,\n  warnings %s NOT NULL DEFAULT 0\n);\n"
			       "CREATE TABLE submission_issues (\n"
			       "  sub_id %s NOT NULL,\n  row_no %s NOT NULL,\n  column_name TEXT NOT NULL,\n"
			       "  value TEXT,\n  code TEXT NOT NULL,\n  severity TEXT NOT NULL\n);\n"
			       "CREATE INDEX submission_issues_sub ON submission_issues (sub_id, row_no)",
			       d->serial_pk, d->t_int, d->t_int, d->t_int, d->t_int, d->t_int, d->t_int,
			       d->t_int, d->t_int))
			return NULL;
		return buf_str(out);
	case 2:
		*name = "system tables: users, tokens, sessions, sign-in throttling, audit log";
		if (buf_printf(out,
			       "CREATE TABLE users (\n"
			       "  id %s,\n  name TEXT NOT NULL UNIQUE,\n  role TEXT NOT NULL,\n  scope TEXT,\n"
			       "  password TEXT NOT NULL,\n  disabled %s NOT NULL DEFAULT 0,\n"
			       "  created_at TEXT NOT NULL,\n  updated_at TEXT NOT NULL\n);\n"
			       "CREATE TABLE tokens (\n"
			       "  id %s,\n  user_id %s NOT NULL REFERENCES users (id),\n  name TEXT NOT NULL,\n"
			       "  token_hash %s NOT NULL UNIQUE,\n  created_at TEXT NOT NULL,\n"
			       "  revoked_at TEXT,\n  last_used_at TEXT\n);\n"
			       "CREATE TABLE sessions (\n"
			       "  token_hash %s PRIMARY KEY,\n  user_id %s NOT NULL REFERENCES users (id),\n"
			       "  csrf TEXT NOT NULL,\n  created_at %s NOT NULL,\n  expires_at %s NOT NULL,\n"
			       "  last_seen_at %s NOT NULL\n);\n"
			       "CREATE TABLE throttle (\n"
			       "  key TEXT PRIMARY KEY,\n  failures %s NOT NULL,\n  window_start %s NOT NULL,\n"
			       "  locked_until %s NOT NULL\n);\n"
			       "CREATE TABLE audit (\n"
			       "  id %s,\n  at TEXT NOT NULL,\n  user_name TEXT NOT NULL,\n  action TEXT NOT NULL,\n"
			       "  dataset TEXT,\n  item TEXT,\n  detail TEXT,\n  old_hash TEXT,\n  new_hash TEXT,\n"
			       "  prev_hash TEXT NOT NULL,\n  hash TEXT NOT NULL\n)",
			       d->serial_pk, d->t_int, d->serial_pk, d->t_int, d->t_blob, d->t_blob, d->t_int,
			       d->t_int, d->t_int, d->t_int, d->t_int, d->t_int, d->t_int, d->serial_pk))
			return NULL;
		return buf_str(out);
	case 3:
		*name = "backend setup (sequence, collation, data version)";
		if (buf_puts(out, d->extra_setup))
			return NULL;
		return buf_str(out);
	case 4:
		/* Submissions are numbered in the order they commit (commit_seq,
		 * from the counter in nawat_meta, which a writer holds from that
		 * moment to its commit) and know the lowest change number they may
		 * have used (first_seq): the change feed reads by both.  Those
		 * made before take their own order. */
		*name = "change feed: submission kinds, commit order, first change number, deletions";
		if (buf_printf(out,
			       "ALTER TABLE submissions ADD COLUMN kind TEXT NOT NULL DEFAULT 'import';\n"
			       "ALTER TABLE submissions ADD COLUMN commit_seq %s;\n"
			       "ALTER TABLE submissions ADD COLUMN first_seq %s NOT NULL DEFAULT 0;\n"
			       "ALTER TABLE submissions ADD COLUMN deleted %s NOT NULL DEFAULT 0;\n"
			       "UPDATE submissions SET commit_seq = id;\n"
			       "CREATE INDEX submissions_commit ON submissions (commit_seq);\n"
			       "INSERT INTO nawat_meta (name, value) SELECT 'commit_seq', "
			       "CAST(coalesce(max(id), 0) AS TEXT) FROM submissions",
			       d->t_int, d->t_int, d->t_int))
			return NULL;
		return buf_str(out);
	case 5:
		*name = "users: when each last wrote through the web (read-your-writes on every server)";
		if (buf_printf(out, "ALTER TABLE users ADD COLUMN wrote_at %s", d->t_int))
			return NULL;
		return buf_str(out);
	case 6:
		/* What each submission brought per school (and so per area),
		 * academic year and term: the rows of a file are tallied by the
		 * values of their school_code, area_code, academic_year and term
		 * fields (NULL where the data set has none or the cell was not
		 * valid); area_code is the row's own or its school's at the time. */
		*name = "submissions per school, area, academic year and term";
		if (buf_printf(out,
			       "CREATE TABLE submission_schools (\n"
			       "  sub_id %s NOT NULL,\n  school_code TEXT,\n  area_code TEXT,\n"
			       "  academic_year %s,\n  term %s,\n"
			       "  inserted %s NOT NULL DEFAULT 0,\n  updated %s NOT NULL DEFAULT 0,\n"
			       "  unchanged %s NOT NULL DEFAULT 0,\n  rejected %s NOT NULL DEFAULT 0,\n"
			       "  deleted %s NOT NULL DEFAULT 0\n);\n"
			       "CREATE INDEX submission_schools_sub ON submission_schools (sub_id);\n"
			       "CREATE INDEX submission_schools_school ON submission_schools (school_code, academic_year);\n"
			       "CREATE INDEX submission_schools_area ON submission_schools (area_code, academic_year)",
			       d->t_int, d->t_int, d->t_int, d->t_int, d->t_int, d->t_int, d->t_int, d->t_int))
			return NULL;
		return buf_str(out);
	case 7:
		/* filled from the stored rows by the analytics layer once the
		 * migration is done (nawat analytics rebuild does the same) */
		*name = "analytics aggregates: eq_cells, eq_hist, eq_rollup";
		if (schema_sums_create(d, &schema_eq_cells, 0, out) || buf_puts(out, ";\n") ||
		    schema_sums_create(d, &schema_eq_hist, 0, out) || buf_puts(out, ";\n") ||
		    schema_sums_create(d, &schema_eq_rollup, 0, out))
			return NULL;
		return buf_str(out);
	case 8:
		*name = "change numbers a block at a time";
		if (buf_puts(out, d->seq_cache))
			return NULL;
		return buf_str(out);
	}
	return NULL;
}

/*
 * Indexes for nawat's own questions, on data-set tables: made when the data
 * set and its fields exist (IF NOT EXISTS, so also on stores made before).
 * students (school_code, academic_year): a school's students of a year (the
 * completeness view's counts, the "may be the same child" check of
 * imports).
 */
static const struct {
	const char *dataset, *name, *fields[4];
} own_indexes[] = {
	{ "students", "students_school_year", { "school_code", "academic_year", NULL } },
};

int schema_own_index(const struct std_package *pkg, size_t n, struct buf *out)
{
	const struct std_dataset *ds;
	size_t k;
	int rc;

	if (n >= sizeof own_indexes / sizeof own_indexes[0])
		return 0;
	ds = std_dataset(pkg, own_indexes[n].dataset);
	if (!ds)
		return 1;
	for (k = 0; own_indexes[n].fields[k]; k++)
		if (std_field_index(ds, own_indexes[n].fields[k], strlen(own_indexes[n].fields[k])) < 0)
			return 1;
	rc = buf_printf(out, "CREATE INDEX IF NOT EXISTS %s ON %s (", own_indexes[n].name, ds->name);
	for (k = 0; own_indexes[n].fields[k] && !rc; k++)
		rc = buf_printf(out, "%s%s", k ? ", " : "", own_indexes[n].fields[k]);
	return rc ? -1 : buf_putc(out, ')') ? -1 : 2;
}

int schema_scope_where(const struct schema_dialect *d, const struct std_dataset *ds,
		       const struct store_scope *sc, int param, struct buf *out, int *nparams)
{
	int has_school = std_field_index(ds, "school_code", 11) >= 0;
	int has_area = std_field_index(ds, "area_code", 9) >= 0;
	int rc;

	*nparams = 0;
	if (sc->kind == SCOPE_ALL)
		return buf_puts(out, "1 = 1");
	if (sc->kind == SCOPE_NONE)
		return buf_puts(out, "1 = 0");
	*nparams = 1;
	if (sc->kind == SCOPE_SCHOOL) {
		if (has_school)
			rc = buf_puts(out, "school_code = ");
		else if (has_area)
			rc = buf_puts(out, "area_code = (SELECT area_code FROM schools WHERE school_code = ");
		else
			return (*nparams = 0, buf_puts(out, "1 = 0"));
		if (!rc)
			rc = schema_param(d, out, param);
		if (!rc && !has_school)
			rc = buf_putc(out, ')');
		return rc;
	}
	/* an area: its own rows, or those of its schools */
	if (has_area)
		rc = buf_puts(out, "area_code = ");
	else if (has_school)
		rc = buf_puts(out, "school_code IN (SELECT school_code FROM schools WHERE area_code = ");
	else
		return (*nparams = 0, buf_puts(out, "1 = 0"));
	if (!rc)
		rc = schema_param(d, out, param);
	if (!rc && !has_area)
		rc = buf_putc(out, ')');
	return rc;
}

int schema_like_pattern(const char *text, struct buf *out)
{
	const char *t;
	int rc = buf_putc(out, '%');

	for (t = text; *t && !rc; t++) {
		if (*t == '%' || *t == '_' || *t == '\\')
			rc = buf_putc(out, '\\');
		if (!rc)
			rc = buf_putc(out, *t);
	}
	return rc ? rc : buf_putc(out, '%');
}

static int add_param(const struct schema_dialect *d, struct buf *sql, struct qparam *params, int *np,
		     int cap, enum qparam_kind kind, int index)
{
	if (*np >= cap)
		return NAWAT_ELIMIT;
	params[*np].kind = kind;
	params[*np].index = index;
	(*np)++;
	return schema_param(d, sql, *np);
}

static int key_list(const struct std_dataset *ds, struct buf *sql)
{
	char col[64];
	size_t i;
	int rc = 0;

	for (i = 0; i < ds->nkey && !rc; i++)
		rc = buf_printf(sql, "%s%s", i ? ", " : "", schema_col(&ds->fields[ds->key[i]], 0, col, sizeof col));
	return rc;
}

int schema_query(const struct schema_dialect *d, const struct std_dataset *ds,
		 const struct store_query *q, const char *what, int ordered, struct buf *sql,
		 struct qparam *params, int *nparams)
{
	const char *sep = " WHERE ";
	int cap = *nparams, np = 0, rc, nscope;
	char col[64], name[80];
	size_t i;

	*nparams = 0;
	rc = buf_printf(sql, "SELECT %s%s FROM %s", what, q && q->changes && ordered ? ", nw_seq" : "",
			schema_table(ds, q && q->deleted, name, sizeof name));
	if (!rc && q && q->changes) {
		/* the rows last changed by the submissions committed in (since,
		 * upto], by change number from the lowest such a submission may
		 * have used (the index of change numbers does the work) */
		rc = buf_puts(sql, " WHERE nw_sub IN (SELECT id FROM submissions WHERE commit_seq > ") ||
		     add_param(d, sql, params, &np, cap, QP_SINCE, 0) || buf_puts(sql, " AND commit_seq <= ") ||
		     add_param(d, sql, params, &np, cap, QP_UPTO, 0) ||
		     buf_puts(sql, ") AND nw_seq >= (SELECT coalesce(min(first_seq), 0) FROM submissions "
				   "WHERE commit_seq > ") ||
		     add_param(d, sql, params, &np, cap, QP_SINCE, 0) || buf_puts(sql, " AND commit_seq <= ") ||
		     add_param(d, sql, params, &np, cap, QP_UPTO, 0) || buf_puts(sql, ") AND nw_seq > ") ||
		     add_param(d, sql, params, &np, cap, QP_AFTER_SEQ, 0);
		sep = " AND ";
	}
	for (i = 0; q && i < q->nfilters && !rc; i++) {
		rc = buf_printf(sql, "%s%s = ", sep, schema_col(&ds->fields[q->filters[i].field], 0, col, sizeof col));
		if (!rc)
			rc = add_param(d, sql, params, &np, cap, QP_FILTER, (int)i);
		sep = " AND ";
	}
	if (!rc && q && q->scope.kind != SCOPE_ALL) {
		rc = buf_puts(sql, sep) || schema_scope_where(d, ds, &q->scope, np + 1, sql, &nscope);
		if (!rc && nscope) {
			if (np >= cap)
				return NAWAT_ELIMIT;
			params[np].kind = QP_SCOPE;
			params[np].index = 0;
			np++;
		}
		sep = " AND ";
	}
	if (!rc && q && q->search && *q->search && q->nsearch) {
		rc = buf_printf(sql, "%s(", sep);
		for (i = 0; i < q->nsearch && !rc; i++) {
			rc = buf_printf(sql, "%s%s LIKE ", i ? " OR " : "",
					schema_col(&ds->fields[q->search_fields[i]], 0, col, sizeof col));
			if (!rc)
				rc = add_param(d, sql, params, &np, cap, QP_SEARCH, (int)i);
			if (!rc)
				rc = buf_puts(sql, " ESCAPE '\\'");
		}
		if (!rc)
			rc = buf_putc(sql, ')');
		sep = " AND ";
	}
	if (!rc && q && q->after) {
		rc = buf_printf(sql, "%s(", sep) || key_list(ds, sql) || buf_puts(sql, ") > (");
		for (i = 0; i < ds->nkey && !rc; i++) {
			rc = i ? buf_puts(sql, ", ") : 0;
			if (!rc)
				rc = add_param(d, sql, params, &np, cap, QP_AFTER, (int)i);
		}
		if (!rc)
			rc = buf_putc(sql, ')');
	}
	if (!rc && ordered && q && q->changes) {
		rc = buf_puts(sql, " ORDER BY nw_seq");
	} else if (!rc && ordered && q && q->order_by > 0 && (size_t)q->order_by <= ds->nfields) {
		const struct std_field *of = &ds->fields[q->order_by - 1];

		rc = buf_printf(sql, " ORDER BY %s%s, ", schema_col(of, 0, col, sizeof col),
				of->type == STD_STRING && !of->pii ? " COLLATE thai" : "") ||
		     key_list(ds, sql);
	} else if (!rc && ordered) {
		rc = buf_puts(sql, " ORDER BY ") || key_list(ds, sql);
	}
	if (!rc && q && q->limit > 0)
		rc = buf_printf(sql, " LIMIT %lld", (long long)q->limit);
	else if (!rc && q && q->offset > 0)
		rc = buf_printf(sql, " LIMIT %s", d->limit_all);
	if (!rc && q && q->offset > 0)
		rc = buf_printf(sql, " OFFSET %lld", (long long)q->offset);
	*nparams = np;
	return rc;
}

_Static_assert(sizeof cells_val_small == sizeof cells_val / sizeof cells_val[0], "cells");
_Static_assert(sizeof hist_val_small == sizeof hist_val / sizeof hist_val[0], "hist");
_Static_assert(sizeof rollup_val_small == sizeof rollup_val / sizeof rollup_val[0], "rollup");
_Static_assert(sizeof hist_val / sizeof hist_val[0] == 1 + SCHEMA_HIST_BINS, "bins");
