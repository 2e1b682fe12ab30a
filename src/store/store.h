/*
 * store.h - the backend-neutral store.
 *
 * A store is a handle with a table of function pointers (as SQLite's VFS or
 * redis's event loops): a SQLite backend for a file and a PostgreSQL backend
 * for a server, chosen by the database URL.  Everything above this layer uses
 * the functions below and never SQL.
 *
 * Data-set tables are generated from the standard (schema.h): one column per
 * field (two for personal data: a keyed hash and a sealed copy), the natural
 * key as primary key, and two bookkeeping columns: nw_seq (change number,
 * new on every insert or update) and nw_sub (the submission that last
 * brought the row).  Beside each, a table of its deleted rows (nw_del_NAME,
 * the last values by key) feeds the change feed's deletions.
 *
 * The change feed: every change is a submission (an import, a deletion, a
 * relink), numbered in commit order (commit_seq: the counter in nawat_meta,
 * moved under a row lock held to the commit, so that a reader who sees
 * number N has seen every number below it).  The rows changed after N are
 * those whose submission has a number above N.
 *
 * Errors: functions return 0 or a negative NAWAT_E* code; the message is in
 * st->err.
 */
#ifndef NAWAT_STORE_H
#define NAWAT_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/err.h"
#include "../standard/std.h"
#include "../standard/validate.h"

struct store;
struct schema_dialect;
struct schema_sums;
struct store_row;

/* Handles; each backend's own struct starts with one of these. */
struct store_writer {
	struct store *st;
	const struct std_dataset *ds;
	void *old_digest;     /* SHA-256 of the old values this writer replaced */
	int64_t replaced;
};
struct store_ref {
	struct store *st;
	const struct std_dataset *target;
	size_t nfetch;
	void *many_mem;       /* the store layer's copies for ref_lookup_many */
	const int *near;      /* store_ref_near: fields of target, nnear of them */
	size_t nnear;
};
struct store_scan {
	struct store *st;
	int64_t seq;          /* the change number of the last row (q->changes) */
};

/* What happened to a row given to the writer. */
enum store_result {
	STORE_PENDING = 0,
	STORE_INSERTED,
	STORE_UPDATED,
	STORE_UNCHANGED,
	STORE_DUPLICATE, /* key already written by the same submission */
	STORE_DELETED,   /* removed (store_delete) */
	STORE_ABSENT,    /* no such row in the scope (store_delete) */
	STORE_REFERENCED /* not removed: rows of another data set refer to it */
};

/* A row for the writer: one value per field of the data set, in field
 * order.  Personal-data fields carry the hash in s/n and the sealed copy in
 * blob/blob_n (struct val_value). */
struct store_row {
	size_t line;
	struct val_value *vals;
	enum store_result result;
	/* set by the writer for an UPDATED row when the store has an observer:
	 * the stored values it replaced (valid until the next put) */
	const struct val_value *old;
	/* set by a writer's caller that looked up the row's referenced row
	 * already (the import's reference check): the values of the fields the
	 * observer asked for with store_obs_ref_fields, valid for the put;
	 * NULL when not looked up (the observer looks them up itself) */
	const struct val_value *ref;
};

/* An equality filter for scans; personal-data fields compare by hash. */
struct store_filter {
	int field;
	struct val_value value;
};

/* Whose rows a caller may see: all, an area's or a school's.  Every scan and
 * count applies it, so that no handler can forget it. */
enum store_scope_kind { SCOPE_ALL = 0, SCOPE_AREA, SCOPE_SCHOOL, SCOPE_NONE };

struct store_scope {
	enum store_scope_kind kind;
	const char *code;         /* the area or school code */
};

struct store_query {
	const struct store_filter *filters;
	size_t nfilters;
	struct store_scope scope;
	const struct val_value *after; /* keyset paging: key values, rows after them */
	int64_t limit;            /* 0 = all */
	int64_t offset;           /* rows to skip (pages of a sorted list) */
	int order_by;             /* field index + 1 (text in Thai order), then the key; 0 = key order */
	const char *search;       /* a substring of any of the search fields, any case */
	const int *search_fields;
	size_t nsearch;
	/* the change feed: only the rows changed by the submissions committed
	 * in (since, upto], after change number after_seq, in change order
	 * (scan->seq has each row's); with deleted = 1, the rows deleted so */
	int changes;
	int deleted;
	int64_t since, upto, after_seq;
};

/* A prepared statement of fixed SQL text (never built from input) with
 * '?' parameters, for the system tables (users, sessions, audit ...). */
struct store_stmt {
	struct store *st;
	int bind_rc;  /* the first bind that failed since the last reset: the
	                 statement then refuses to run (store_step), rather
	                 than run with a missing value */
};

/* A submission: one imported file, or one deletion or relink. */
struct store_sub {
	int64_t id;
	const char *kind;         /* import (NULL), delete, relink */
	const char *created_at;   /* ISO 8601 UTC */
	const char *user_name;
	const char *dataset;
	const char *file_name;
	const char *sha256;       /* hex */
	const char *format;       /* csv, json, ndjson, xlsx */
	const char *encoding;
	const char *status;       /* accepted, partial, rejected */
	int64_t inserted, updated, unchanged, rejected, errors, warnings, deleted;
};

struct store_issue {
	int64_t row;
	const char *column;
	const char *value;        /* never personal data */
	const char *code;
	const char *severity;
};

struct store_ops {
	const char *name;
	const struct schema_dialect *dialect;
	size_t batch_rows;        /* rows per writer call that suit the backend (0 = 512) */
	size_t sums_rows;         /* pending rows of sums a write should carry (0 = 4000): a
				   * backend that pays a round trip per statement wants more */
	void (*close)(struct store *st);
	/* Fixed SQL only (migrations); never text derived from input. */
	int (*exec)(struct store *st, const char *sql);
	/* Column names of a table, NUL-separated in out; *exists = 0 when none. */
	int (*table_columns)(struct store *st, const char *table, struct buf *out, int *exists);
	int (*begin)(struct store *st, int flags);
	/* A read-only transaction: the scans in it see one snapshot. */
	int (*begin_read)(struct store *st);
	int (*commit)(struct store *st);
	int (*rollback)(struct store *st);
	int (*savepoint)(struct store *st, const char *name);
	int (*release)(struct store *st, const char *name);
	int (*rollback_to)(struct store *st, const char *name);
	int (*meta_get)(struct store *st, const char *name, char *out, size_t n);
	int (*meta_set)(struct store *st, const char *name, const char *value);
	/* A lock held until the transaction ends (NULL: one writer at a time anyway). */
	int (*lock)(struct store *st, const char *name);
	/* 0 when the store can be used now, connecting again to a server that
	 * closed the connection (NULL: a file is always there). */
	int (*ready)(struct store *st);
	/* Bytes the store takes now (NULL: not known). */
	int64_t (*size)(struct store *st);

	int (*writer_open)(struct store *st, const struct std_dataset *ds, int64_t sub_id,
			   struct store_writer **w);
	int (*writer_put)(struct store_writer *w, struct store_row *rows, size_t n);
	/* Every row given: what the writer put off is done now (NULL: nothing). */
	int (*writer_finish)(struct store_writer *w);
	void (*writer_close)(struct store_writer *w);
	/* Removes the rows with the keys of rows[i].vals (key fields only are
	 * read) within scope, keeping their last values as deletions of
	 * submission sub_id: result STORE_DELETED, STORE_ABSENT, or
	 * STORE_REFERENCED for a row that others still refer to (left alone). */
	int (*delete_rows)(struct store *st, const struct std_dataset *ds, int64_t sub_id,
			   const struct store_scope *scope, struct store_row *rows, size_t n);

	int (*ref_open)(struct store *st, const struct std_dataset *target, const int *fetch,
			size_t nfetch, struct store_ref **r);
	int (*ref_lookup)(struct store_ref *r, const struct val_value *key, int *found,
			  struct val_value *fetched);
	/* n lookups at once (a server backend makes them one round trip); NULL
	 * = the store layer loops ref_lookup.  near: NULL, or each key's values
	 * of r->near (see store_ref_near). */
	int (*ref_lookup_many)(struct store_ref *r, size_t n, const struct val_value *keys,
			       const struct val_value *near, int *found, struct val_value *fetched);
	void (*ref_close)(struct store_ref *r);

	int (*scan_open)(struct store *st, const struct std_dataset *ds, const struct store_query *q,
			 struct store_scan **sc);
	int (*scan_next)(struct store_scan *sc, struct val_value *vals);
	void (*scan_close)(struct store_scan *sc);
	int (*count)(struct store *st, const struct std_dataset *ds, const struct store_query *q,
		     int64_t *n);

	int (*data_version)(struct store *st, uint64_t *v);
	/* A consistent copy of the whole store into path (which must not
	 * exist), and back: restore fills an empty store from such a copy. */
	int (*backup)(struct store *st, const char *path);
	int (*restore)(struct store *st, const char *path);
	int (*prepare)(struct store *st, const char *sql, struct store_stmt **out);
	void (*finalize)(struct store_stmt *s);
	int (*bind_int)(struct store_stmt *s, int i, int64_t v);
	int (*bind_text)(struct store_stmt *s, int i, const char *v, size_t n);
	int (*bind_blob)(struct store_stmt *s, int i, const void *v, size_t n);
	int (*bind_null)(struct store_stmt *s, int i);
	int (*step)(struct store_stmt *s);
	int (*reset)(struct store_stmt *s);
	int (*col_null)(struct store_stmt *s, int i);
	int64_t (*col_int)(struct store_stmt *s, int i);
	const char *(*col_text)(struct store_stmt *s, int i, size_t *n);
	const void *(*col_blob)(struct store_stmt *s, int i, size_t *n);

	/* Rows of ds whose first nprefix key fields equal one of n prefixes
	 * (prefixes[i * nprefix + k] is key field k of prefix i): fn(ctx, i,
	 * vals) for each, every field in vals (valid during the call), in
	 * any order.  One round trip on a server. */
	int (*scan_prefix_many)(struct store *st, const struct std_dataset *ds, size_t nprefix, size_t n,
				const struct val_value *prefixes,
				int (*fn)(void *ctx, size_t i, const struct val_value *vals), void *ctx);
	/* Adds n rows to a table of sums (schema.h): keys[i * nkey + k] is
	 * key column k of row i as text, vals[i * nval + v] value v; each row's
	 * values are added to the stored row with its key (made when missing)
	 * and a row left with every value 0 is removed.  The keys of one call
	 * are distinct. */
	int (*sums_add)(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
			const int64_t *vals);
	/* The stored rows of n keys (as sums_add's) of a table of sums:
	 * fn(ctx, i, vals, text) for each one there, in any order. */
	int (*sums_get_many)(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
			     int (*fn)(void *ctx, size_t i, const int64_t *vals, const char *text), void *ctx);
	/* Sets n rows (distinct keys) to these values and texts (texts NULL
	 * when the table has none); a row whose values are all 0 is removed. */
	int (*sums_put)(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
			const int64_t *vals, const char *const *texts);

	int (*sub_create)(struct store *st, struct store_sub *s);
	int (*sub_finish)(struct store *st, const struct store_sub *s);
	int (*sub_issue)(struct store *st, int64_t sub_id, const struct store_issue *is);
};

/*
 * An observer keeps data derived from the data sets (the analytics
 * aggregates) in step with every write, inside the writing transaction: a
 * higher layer registers one at start-up (store_set_observer) and every
 * store opened afterwards calls it.  Each function returns 0 or NAWAT_E*
 * (with st->err set), which fails the write.
 */
struct store_observer {
	/* rows of ds are about to be written (deleting = 0) or deleted (1) */
	int (*before)(struct store *st, const struct std_dataset *ds, struct store_row *rows, size_t n,
		      int deleting);
	/* ... and were: each row's result is set, and old for UPDATED rows */
	int (*after)(struct store *st, const struct std_dataset *ds, struct store_row *rows, size_t n,
		     int deleting);
	/* rows with these keys are about to change, or have changed, other
	 * than through the writer or store_delete (store_touch_before/after) */
	int (*touch)(struct store *st, const struct std_dataset *ds, const struct store_row *rows, size_t n,
		     int after);
	/* write what is pending: before a savepoint (committing = 0) and
	 * before a commit (1) */
	int (*flush)(struct store *st, int committing);
	/* the transaction, or a savepoint's part of it, was rolled back */
	void (*discard)(struct store *st);
	/* store_migrate brought the tables up to date (in its transaction) */
	int (*migrated)(struct store *st);
	/* the store closes: free what the observer keeps in st->obs_state */
	void (*close)(struct store *st);
	/* the fields of fk's target (indexes, at most max) the observer reads
	 * for rows of ds written through fk; their number, 0 for none */
	size_t (*ref_fields)(struct store *st, const struct std_dataset *ds, const struct std_fk *fk, int *fields,
			     size_t max);
};

struct store {
	const struct store_ops *ops;
	const struct std_package *pkg;
	struct nw_err err;
	char *url;
	int in_tx;
	void *impl;
	const struct store_observer *obs;
	void *obs_state;          /* the observer's, per store */
	/* the data set whose key index the open writer builds at its finish
	 * (STORE_REDO): until then nothing of it can be read by key */
	const struct std_dataset *keys_later;
};

/* The observer of every store opened from now on (NULL: none). */
void store_set_observer(const struct store_observer *obs);

/* The fields of fk's target the observer would look up for rows of ds (at
 * most max, into fields): a caller that looks the referenced rows up anyway
 * fetches them too and passes them in store_row.ref; 0 when none. */
size_t store_obs_ref_fields(struct store *st, const struct std_dataset *ds, const struct std_fk *fk, int *fields,
			    size_t max);

/* Opens the store at url: a file path or sqlite:PATH (SQLite), or
 * postgresql://... / postgres://... .  create = 1 creates a missing SQLite
 * file; otherwise a missing file is NAWAT_ENOTFOUND. */
int store_open(const char *url, const struct std_package *pkg, int create,
	       struct store **out, struct nw_err *err);
void store_close(struct store *st);

/* Everything below returns 0 or NAWAT_E*; the message is in st->err. */
/* Brings the store's tables up to the package: system migrations, then a
 * table per data set and any column the package added since. */
int store_migrate(struct store *st);
/* A write transaction.  STORE_REFS_CHECKED: the caller has checked every
 * reference it writes (the import pipeline does, to report them), so the
 * backend may skip its own foreign-key checks for this transaction.  A
 * transaction that removes rows or changes keys must first take
 * store_lock(st, STORE_LOCK_REFS): it then waits for such imports. */
#define STORE_REFS_CHECKED 1
/* STORE_BULK: the caller loads more than the store holds (a first load) and
 * runs alone on it.  A backend may then take the store for itself until the
 * transaction ends, if no one else has it open: SQLite takes an exclusive
 * lock and a rollback journal, which writes new pages once, not to the WAL
 * and again at the checkpoint.  Others wait, or get NAWAT_EBUSY. */
#define STORE_BULK 2
/* STORE_REDO: the caller can give every row again.  With STORE_BULK, a
 * backend may then load a table that is empty and that no other table
 * refers to without its indexes, and build them once after the last row
 * (store_writer_finish): PostgreSQL does, since sorting every key once
 * costs less than keeping an index through every row.  A key met twice
 * (which only the index would have told) then fails the finish with
 * NAWAT_EREDO: the caller rolls the transaction back and writes again
 * without this flag. */
#define STORE_REDO 4
#define STORE_LOCK_REFS "nawat-refs"
int store_begin_flags(struct store *st, int flags);
static inline int store_begin(struct store *st) { return store_begin_flags(st, 0); }
/* 0 when the store can be used now (a server backend connects again if it must). */
static inline int store_ready(struct store *st) { return st->ops->ready ? st->ops->ready(st) : 0; }
/* Bytes the store takes now, -1 when the backend cannot tell. */
static inline int64_t store_size(struct store *st) { return st->ops->size ? st->ops->size(st) : -1; }
/* The observer's pending work is written first. */
int store_commit(struct store *st);
int store_rollback(struct store *st);
int store_savepoint(struct store *st, const char *n);
static inline int store_release(struct store *st, const char *n) { return st->ops->release(st, n); }
int store_rollback_to(struct store *st, const char *n);
/* NAWAT_ENOTFOUND when the name is not set. */
static inline int store_meta_get(struct store *st, const char *name, char *out, size_t n)
{
	return st->ops->meta_get(st, name, out, n);
}
static inline int store_meta_set(struct store *st, const char *name, const char *value)
{
	return st->ops->meta_set(st, name, value);
}

/* Upserts by natural key inside the current transaction.  For each row sets
 * result.  A key written earlier by the same submission is a DUPLICATE and
 * nothing is written for it.  Absent values (VAL_ABSENT) keep the stored
 * value on update. */
static inline int store_writer_open(struct store *st, const struct std_dataset *ds, int64_t sub_id,
				    struct store_writer **w)
{
	return st->ops->writer_open(st, ds, sub_id, w);
}
int store_writer_put(struct store_writer *w, struct store_row *rows, size_t n);
/* After the last put, before the commit: see STORE_REDO. */
static inline int store_writer_finish(struct store_writer *w)
{
	return w && w->st->ops->writer_finish ? w->st->ops->writer_finish(w) : 0;
}
static inline void store_writer_close(struct store_writer *w)
{
	if (w)
		w->st->ops->writer_close(w);
}
/* For backends: fold the old values of a row being updated into the digest. */
void store_writer_note_old(struct store_writer *w, const struct std_dataset *ds,
			   const struct val_value *old);
/* Hex SHA-256 of every old value the writer replaced, in order (the audit
 * log's "old values" of an import); of nothing when it replaced none. */
void store_writer_old_digest(struct store_writer *w, char out[65]);
/* Frees the digest state (backends call it when closing a writer). */
void store_writer_release(struct store_writer *w);

/* Lookups by a data set's whole primary key (values in key order), fetching
 * some of its fields.  Fetched strings stay valid until the next lookup. */
static inline int store_ref_open(struct store *st, const struct std_dataset *target,
				 const int *fetch, size_t nfetch, struct store_ref **r)
{
	return st->ops->ref_open(st, target, fetch, nfetch, r);
}
static inline int store_ref_lookup(struct store_ref *r, const struct val_value *key, int *found,
				   struct val_value *fetched)
{
	return r->st->ops->ref_lookup(r, key, found, fetched);
}
/* n keys (n * nkey values, key after key); found[i] and fetched (n * nfetch
 * values) are filled.  Fetched values stay valid until the next call.
 * near: NULL, or n * r->nnear values, each key's values of the fields named
 * by store_ref_near (unset: not known). */
void store_ref_base_release(struct store_ref *r);
int store_ref_lookup_many(struct store_ref *r, size_t n, const struct val_value *keys,
			  const struct val_value *near, int *found, struct val_value *fetched);
/* The rows a lookup asks for at once usually share their values of these
 * fields of the target with many others asked for with them (a school's
 * results come together, and so ask for that school's students): the
 * caller gives each key's values of them (store_ref_lookup_many's near),
 * and a backend may read the rows that have those values first, from one
 * range of an index, instead of a key at a time.  The answers are the same.
 * fields stays the caller's until the ref is closed. */
static inline void store_ref_near(struct store_ref *r, const int *fields, size_t n)
{
	r->near = fields;
	r->nnear = n;
}
static inline void store_ref_close(struct store_ref *r)
{
	if (r)
		r->st->ops->ref_close(r);
}

/* Rows of a data set in key order, filtered, scoped and paged by q (NULL =
 * all rows).  scan_next returns 1 with a row (values valid until the next
 * call), 0 at the end, or an error. */
static inline int store_scan_open(struct store *st, const struct std_dataset *ds,
				  const struct store_query *q, struct store_scan **sc)
{
	return st->ops->scan_open(st, ds, q, sc);
}
static inline int store_scan_next(struct store_scan *sc, struct val_value *vals)
{
	return sc->st->ops->scan_next(sc, vals);
}
static inline void store_scan_close(struct store_scan *sc)
{
	if (sc)
		sc->st->ops->scan_close(sc);
}
static inline int store_count(struct store *st, const struct std_dataset *ds,
			      const struct store_query *q, int64_t *n)
{
	return st->ops->count(st, ds, q, n);
}

/* Rows of ds counted by the values of some fields (SELECT f..., count(*)
 * ... GROUP BY f...), filtered and scoped by q (its limit, order and
 * paging are ignored).  fn gets each group's values as text (NULL for a
 * missing value; personal data never) and its count, in no set order. */
int store_count_groups(struct store *st, const struct std_dataset *ds, const struct store_query *q,
		       const int *fields, size_t nfields,
		       int (*fn)(void *ctx, const char *const *vals, int64_t n), void *ctx);

/* A number that changes whenever anything was written to the store, by this
 * connection or any other (for caches of this connection's answers). */
static inline int store_data_version(struct store *st, uint64_t *v)
{
	return st->ops->data_version(st, v);
}

/* Statements: step returns 1 with a row, 0 when done, or an error.  Text and
 * blob parameters are copied; column values are valid until the next step. */
static inline int store_prepare(struct store *st, const char *sql, struct store_stmt **out)
{
	return st->ops->prepare(st, sql, out);
}
static inline void store_finalize(struct store_stmt *s)
{
	if (s)
		s->st->ops->finalize(s);
}
/* Binds return 0 or NAWAT_E*; a caller may leave the code unchecked: a
 * failed bind (no memory for the value) is remembered and the next step
 * returns it. */
static inline int store_bind_rc(struct store_stmt *s, int rc)
{
	if (rc && !s->bind_rc)
		s->bind_rc = rc;
	return rc;
}
static inline int store_bind_int(struct store_stmt *s, int i, int64_t v)
{
	return store_bind_rc(s, s->st->ops->bind_int(s, i, v));
}
static inline int store_bind_text(struct store_stmt *s, int i, const char *v, size_t n)
{
	return store_bind_rc(s, v ? s->st->ops->bind_text(s, i, v, n) : s->st->ops->bind_null(s, i));
}
static inline int store_bind_str(struct store_stmt *s, int i, const char *v)
{
	return store_bind_rc(s, v ? s->st->ops->bind_text(s, i, v, strlen(v)) : s->st->ops->bind_null(s, i));
}
static inline int store_bind_blob(struct store_stmt *s, int i, const void *v, size_t n)
{
	return store_bind_rc(s, s->st->ops->bind_blob(s, i, v, n));
}
static inline int store_bind_null(struct store_stmt *s, int i)
{
	return store_bind_rc(s, s->st->ops->bind_null(s, i));
}
static inline int store_step(struct store_stmt *s)
{
	if (s->bind_rc)
		return err_generic(&s->st->err, s->bind_rc);
	return s->st->ops->step(s);
}
static inline int store_reset(struct store_stmt *s)
{
	s->bind_rc = 0;
	return s->st->ops->reset(s);
}
static inline int store_col_null(struct store_stmt *s, int i) { return s->st->ops->col_null(s, i); }
static inline int64_t store_col_int(struct store_stmt *s, int i) { return s->st->ops->col_int(s, i); }
static inline const char *store_col_text(struct store_stmt *s, int i, size_t *n)
{
	return s->st->ops->col_text(s, i, n);
}
static inline const void *store_col_blob(struct store_stmt *s, int i, size_t *n)
{
	return s->st->ops->col_blob(s, i, n);
}

/* 1 when rows of another data set refer to the row of ds with the key in
 * key_vals (*by names that data set), 0 when none does; or NAWAT_E*. */
int store_referenced_by(struct store *st, const struct std_dataset *ds, const struct val_value *key_vals,
			const char **by);
/* A sealed copy of personal-data field `field` of ds with this hash, from
 * the data set's rows or its deletions (the copy depends on the value
 * alone): 1 and out[0..*n), 0 when there is none, or NAWAT_E*. */
int store_sealed_copy(struct store *st, const struct std_dataset *ds, int field, const unsigned char *hash,
		      size_t hash_n, unsigned char *out, size_t cap, size_t *n);
/* For backends: NAWAT_ECONFLICT, naming the data sets that refer to ds. */
int store_err_referenced(struct store *st, const struct std_dataset *ds);

static inline int store_begin_read(struct store *st) { return st->ops->begin_read(st); }
int store_delete(struct store *st, const struct std_dataset *ds, int64_t sub_id,
		 const struct store_scope *scope, struct store_row *rows, size_t n);

/* For code that changes rows other than through the writer or store_delete
 * (a student relink moving outcomes from one citizen ID to another): call
 * store_touch_before with the rows' keys (rows[i].vals, key fields set)
 * before the change and store_touch_after with the same rows after it, in
 * the same transaction, so that observers follow.  For students, give the
 * keys (citizen_id, academic_year) of every student-year whose rows or
 * outcomes change, on both sides of the move. */
int store_touch_before(struct store *st, const struct std_dataset *ds, const struct store_row *rows, size_t n);
int store_touch_after(struct store *st, const struct std_dataset *ds, const struct store_row *rows, size_t n);

/* See store_ops.scan_prefix_many and sums_add. */
static inline int store_scan_prefix_many(struct store *st, const struct std_dataset *ds, size_t nprefix, size_t n,
					 const struct val_value *prefixes,
					 int (*fn)(void *ctx, size_t i, const struct val_value *vals), void *ctx)
{
	return st->ops->scan_prefix_many(st, ds, nprefix, n, prefixes, fn, ctx);
}
static inline int store_sums_add(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
				 const int64_t *vals)
{
	return st->ops->sums_add(st, t, n, keys, vals);
}
static inline int store_sums_get_many(struct store *st, const struct schema_sums *t, size_t n,
				      const char *const *keys,
				      int (*fn)(void *ctx, size_t i, const int64_t *vals, const char *text), void *ctx)
{
	return st->ops->sums_get_many(st, t, n, keys, fn, ctx);
}
static inline int store_sums_put(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
				 const int64_t *vals, const char *const *texts)
{
	return st->ops->sums_put(st, t, n, keys, vals, texts);
}
static inline int store_sub_create(struct store *st, struct store_sub *s) { return st->ops->sub_create(st, s); }
static inline int store_sub_finish(struct store *st, const struct store_sub *s) { return st->ops->sub_finish(st, s); }
static inline int store_sub_issue(struct store *st, int64_t id, const struct store_issue *is)
{
	return st->ops->sub_issue(st, id, is);
}

static inline int store_backup(struct store *st, const char *path) { return st->ops->backup(st, path); }
static inline int store_restore(struct store *st, const char *path) { return st->ops->restore(st, path); }

static inline int store_lock(struct store *st, const char *name)
{
	return st->ops->lock ? st->ops->lock(st, name) : 0;
}

static inline size_t store_batch_rows(const struct store *st)
{
	return st->ops->batch_rows ? st->ops->batch_rows : 512;
}

static inline size_t store_sums_rows(const struct store *st)
{
	return st->ops->sums_rows ? st->ops->sums_rows : 4000;
}

/* Backends. */
int store_sqlite_open(const char *path, const struct std_package *pkg, int create,
		      struct store **out, struct nw_err *err);
int store_pg_open(const char *url, const struct std_package *pkg, struct store **out,
		  struct nw_err *err);

#endif
