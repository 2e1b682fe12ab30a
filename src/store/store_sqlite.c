/*
 * store_sqlite.c - the SQLite backend of the store (see store.h).
 *
 * One connection per store handle, WAL journal, foreign keys on.  Writes go
 * through prepared statements with bound parameters; the only SQL text is
 * generated from the package (schema.c).  The change sequence lives in
 * nawat_meta ("seq") and is advanced in memory inside a transaction.
 */
#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/arena.h"
#include "../base/mem.h"
#include "../base/thai.h"
#include "schema.h"

#define STMT_CACHE 48
/* how long a statement waits for another connection's lock */
#define BUSY_MS 10000
/* columns of nw_rows: a data set's columns, then nw_seq and nw_sub */
#define ROWS_COLS 64

struct rows_src;

/* Prepared statements kept for reuse: the web server asks the same few
 * questions thousands of times a second. */
struct stmt_slot {
	char *sql;
	sqlite3_stmt *s;
	int busy;
	uint64_t used;
};

struct sq {
	sqlite3 *db;
	struct stmt_slot cache[STMT_CACHE];
	uint64_t tick;
	int64_t seq;         /* last sequence number used */
	int seq_loaded;
	int fk_off;          /* foreign_keys turned off for this transaction */
	int bulk;            /* a bulk load's rollback journal, to give back (STORE_BULK) */
	int64_t *tx_subs;    /* the submissions made in this transaction */
	size_t ntx_subs, cap_tx_subs;
	sqlite3_stmt *meta_get, *meta_set, *issue;
	/* prepared before a transaction begins: a rollback then needs no new
	 * memory, and so still works when memory has run out */
	sqlite3_stmt *rollback;
	const struct rows_src *src; /* the batch nw_rows shows, while a writer steps */
};

static struct sq *SQ(struct store *st)
{
	return st->impl;
}

static int settle(struct store *st);

/* A statement for sql from the cache, or freshly prepared; release with
 * cache_put. */
static int cache_get(struct store *st, const char *sql, sqlite3_stmt **out)
{
	struct sq *q = SQ(st);
	struct stmt_slot *free_slot = NULL, *lru = NULL;
	size_t i;

	if (settle(st))
		return -1;
	for (i = 0; i < STMT_CACHE; i++) {
		struct stmt_slot *e = &q->cache[i];

		if (e->s && !e->busy && !strcmp(e->sql, sql)) {
			e->busy = 1;
			e->used = ++q->tick;
			*out = e->s;
			return 0;
		}
		if (!e->s && !free_slot)
			free_slot = e;
		if (e->s && !e->busy && (!lru || e->used < lru->used))
			lru = e;
	}
	if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return -1;
	}
	if (!free_slot && lru) {
		sqlite3_finalize(lru->s);
		nw_free(lru->sql);
		lru->s = NULL;
		lru->sql = NULL;
		free_slot = lru;
	}
	if (free_slot && (free_slot->sql = nw_strdup(sql))) {
		free_slot->s = *out;
		free_slot->busy = 1;
		free_slot->used = ++q->tick;
	}
	return 0;
}

static void cache_put(struct store *st, sqlite3_stmt *s)
{
	struct sq *q = SQ(st);
	size_t i;

	if (!s)
		return;
	for (i = 0; i < STMT_CACHE; i++)
		if (q->cache[i].s == s) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			q->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(s);
}

static int sqerr(struct store *st, const char *what)
{
	sqlite3 *db = SQ(st)->db;
	int code = sqlite3_errcode(db);
	int rc = NAWAT_ESTORE;

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		rc = NAWAT_EBUSY;
	else if (code == SQLITE_NOMEM)
		rc = NAWAT_ENOMEM;
	return err_set(&st->err, rc, "ฐานข้อมูลผิดพลาด (%s): %s", "database error (%s): %s", what,
		       sqlite3_errmsg(db));
}

static int prepare(struct store *st, const char *sql, sqlite3_stmt **out)
{
	if (settle(st)) {
		*out = NULL;
		return st->err.code;
	}
	if (sqlite3_prepare_v3(SQ(st)->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return sqerr(st, "prepare");
	}
	return 0;
}

static int exec_raw(struct store *st, const char *sql)
{
	sqlite3 *db = SQ(st)->db;
	char *msg = NULL;
	int rc, code;

	if ((code = sqlite3_exec(db, sql, NULL, NULL, &msg)) != SQLITE_OK) {
		/* out of memory, SQLite has no room for its message: its own */
		rc = code == SQLITE_NOMEM ? NAWAT_ENOMEM : NAWAT_ESTORE;
		err_set(&st->err, rc, "ฐานข้อมูลผิดพลาด: %s", "database error: %s",
			msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int sq_rollback(struct store *st);

/* A transaction open in SQLite that the store does not know of is left
 * over from a rollback that failed (SQLite may need memory to roll back):
 * it is rolled back before anything else reads through this connection,
 * which would see its rows. */
static int settle(struct store *st)
{
	sqlite3 *db = SQ(st)->db;

	if (!db)
		return 0;
	if (!st->in_tx && !sqlite3_get_autocommit(db))
		return sq_rollback(st);
	/* The other way round: SQLite rolled the transaction back by itself
	 * (it may, on running out of memory or disk): whatever comes next
	 * must not be written outside it, one statement at a time. */
	if (st->in_tx && sqlite3_get_autocommit(db))
		return err_msg(&st->err, NAWAT_ESTORE,
			       "ฐานข้อมูลยกเลิกธุรกรรมไปแล้ว (หน่วยความจำหรือดิสก์ไม่พอ) ไม่มีการบันทึกข้อมูลใด ๆ",
			       "the database rolled the transaction back (out of memory or disk): nothing was written");
	return 0;
}

static int sq_exec(struct store *st, const char *sql)
{
	int rc = settle(st);

	return rc ? rc : exec_raw(st, sql);
}

static int sq_table_columns(struct store *st, const char *table, struct buf *out, int *exists)
{
	sqlite3_stmt *s;
	int rc, n = 0;

	if (sqlite3_prepare_v2(SQ(st)->db, "SELECT name FROM pragma_table_info(?1)", -1, &s, NULL))
		return sqerr(st, "table_info");
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);

		if (buf_append(out, name, strlen(name) + 1)) {
			sqlite3_finalize(s);
			return err_generic(&st->err, NAWAT_ENOMEM);
		}
		n++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sqerr(st, "table_info");
	*exists = n > 0;
	return 0;
}

static int sq_meta_get(struct store *st, const char *name, char *out, size_t n)
{
	struct sq *q = SQ(st);
	int rc;

	if (!q->meta_get && prepare(st, "SELECT value FROM nawat_meta WHERE name = ?1", &q->meta_get))
		return NAWAT_ESTORE;
	sqlite3_bind_text(q->meta_get, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q->meta_get);
	if (rc == SQLITE_ROW) {
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(q->meta_get, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = NAWAT_ENOTFOUND;
	} else {
		rc = sqerr(st, "meta");
	}
	sqlite3_reset(q->meta_get);
	return rc;
}

static int sq_meta_set(struct store *st, const char *name, const char *value)
{
	struct sq *q = SQ(st);
	int rc;

	if (!q->meta_set &&
	    prepare(st, "INSERT INTO nawat_meta (name, value) VALUES (?1, ?2) "
			"ON CONFLICT (name) DO UPDATE SET value = excluded.value", &q->meta_set))
		return NAWAT_ESTORE;
	sqlite3_bind_text(q->meta_set, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q->meta_set, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(q->meta_set) == SQLITE_DONE ? 0 : sqerr(st, "meta");
	sqlite3_reset(q->meta_set);
	return rc;
}

/* Foreign keys back on (outside a transaction, where the pragma works); a
 * failure leaves fk_off set, to be tried again before the next BEGIN. */
static int fk_restore(struct store *st)
{
	if (SQ(st)->fk_off && sqlite3_get_autocommit(SQ(st)->db)) {
		if (exec_raw(st, "PRAGMA foreign_keys = ON"))
			return st->err.code;
		SQ(st)->fk_off = 0;
	}
	return 0;
}

static int bulk_give_back(struct store *st);

/* A bulk load (STORE_BULK) takes the store for itself.  A rollback journal
 * writes the new pages of a first load once, into the file; the WAL writes
 * them twice, into the log and again at the checkpoint.  SQLite switches
 * from WAL only when no other connection has the store open: otherwise the
 * load runs as any other.  No waiting for others here (busy timeout 0). */
static int bulk_take(struct store *st)
{
	sqlite3 *db = SQ(st)->db;
	sqlite3_stmt *s;
	int ok;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = DELETE", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_busy_timeout(db, 0);
	ok = sqlite3_step(s) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(s, 0), "delete");
	sqlite3_finalize(s);
	sqlite3_busy_timeout(db, BUSY_MS);
	if (!ok)
		return 0;
	SQ(st)->bulk = 1;
	/* a rollback journal needs FULL to be safe against power loss at
	 * every step (NORMAL is, with the WAL) */
	if (exec_raw(st, "PRAGMA synchronous = FULL")) {
		bulk_give_back(st);
		return 0;
	}
	return 1;
}

/* The WAL back after a bulk load (outside a transaction, where the pragma
 * works); a failure leaves bulk set, to be tried again before the next
 * transaction (and every opening of the store asks for the WAL too). */
static int bulk_give_back(struct store *st)
{
	if (SQ(st)->bulk && sqlite3_get_autocommit(SQ(st)->db)) {
		if (exec_raw(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"))
			return st->err.code;
		SQ(st)->bulk = 0;
	}
	return 0;
}

/* Before a transaction: any leftover one rolled back, foreign keys on, the
 * WAL back, and the rollback prepared, so that it needs no memory when it
 * is needed. */
static int rollback_ready(struct store *st)
{
	struct sq *q = SQ(st);
	int rc;

	if ((rc = settle(st)) || (rc = fk_restore(st)) || (rc = bulk_give_back(st)))
		return rc;
	if (!q->rollback && prepare(st, "ROLLBACK", &q->rollback))
		return st->err.code;
	return 0;
}

static int sq_begin(struct store *st, int flags)
{
	int rc;

	if ((rc = rollback_ready(st)))
		return rc;
	/* The pragma is a no-op inside a transaction: set it before BEGIN.
	 * BEGIN IMMEDIATE holds the write lock, so no one can remove a
	 * referenced row between the caller's check and its write. */
	if ((flags & STORE_REFS_CHECKED) && !sq_exec(st, "PRAGMA foreign_keys = OFF"))
		SQ(st)->fk_off = 1;
	/* a bulk load's lock is exclusive from the start: no reader can then
	 * make it wait (and fail) when its pages spill into the file */
	if (sq_exec(st, (flags & STORE_BULK) && bulk_take(st) ? "BEGIN EXCLUSIVE" : "BEGIN IMMEDIATE")) {
		fk_restore(st);
		bulk_give_back(st);
		return sqlite3_errcode(SQ(st)->db) == SQLITE_BUSY ? NAWAT_EBUSY : NAWAT_ESTORE;
	}
	st->in_tx = 1;
	SQ(st)->seq_loaded = 0;
	SQ(st)->ntx_subs = 0;
	return 0;
}

static int sq_begin_read(struct store *st)
{
	int rc;

	if ((rc = rollback_ready(st)))
		return rc;
	if (sq_exec(st, "BEGIN"))
		return NAWAT_ESTORE;
	st->in_tx = 1;
	SQ(st)->seq_loaded = 0;
	SQ(st)->ntx_subs = 0;
	return 0;
}

/* The submissions of the transaction take the next commit number (one
 * writer at a time: numbers follow commits). */
static int number_subs(struct store *st)
{
	struct sq *q = SQ(st);
	sqlite3_stmt *s;
	int64_t n;
	size_t i;
	int rc;

	if (!q->ntx_subs)
		return 0;
	if (prepare(st, "UPDATE nawat_meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'commit_seq' "
			"RETURNING CAST(value AS INTEGER)", &s))
		return NAWAT_ESTORE;
	rc = sqlite3_step(s);
	n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	rc = rc == SQLITE_ROW ? 0 : sqerr(st, "commit number");
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if (prepare(st, "UPDATE submissions SET commit_seq = ? WHERE id = ?", &s))
		return NAWAT_ESTORE;
	for (i = 0; i < q->ntx_subs && !rc; i++) {
		sqlite3_bind_int64(s, 1, n);
		sqlite3_bind_int64(s, 2, q->tx_subs[i]);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = sqerr(st, "commit number");
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

static int sq_commit(struct store *st)
{
	struct sq *q = SQ(st);
	char v[32];
	int rc;

	if (q->seq_loaded) {
		snprintf(v, sizeof v, "%lld", (long long)q->seq);
		if ((rc = sq_meta_set(st, "seq", v)))
			return rc;
	}
	if ((rc = number_subs(st)))
		return rc;
	if (sq_exec(st, "COMMIT"))
		return NAWAT_ESTORE;
	st->in_tx = 0;
	q->seq_loaded = 0;
	q->ntx_subs = 0;
	fk_restore(st);
	bulk_give_back(st);
	return 0;
}

static int sq_rollback(struct store *st)
{
	int rc = 0;

	st->in_tx = 0;
	SQ(st)->seq_loaded = 0;
	SQ(st)->ntx_subs = 0;
	if (!sqlite3_get_autocommit(SQ(st)->db)) {
		sqlite3_stmt *r = SQ(st)->rollback;

		if (!r || sqlite3_step(r) != SQLITE_DONE)
			rc = exec_raw(st, "ROLLBACK");
		if (r)
			sqlite3_reset(r);
	}
	fk_restore(st);
	bulk_give_back(st);
	return rc;
}

static int savepoint_sql(struct store *st, const char *verb, const char *name)
{
	char sql[128];
	size_t i;

	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_' || (name[i] >= '0' && name[i] <= '9')))
			return err_msg(&st->err, NAWAT_EINVAL, "ชื่อ savepoint ไม่ถูกต้อง", "bad savepoint name");
	snprintf(sql, sizeof sql, verb, name);
	return sq_exec(st, sql);
}

static int sq_savepoint(struct store *st, const char *name)
{
	return savepoint_sql(st, "SAVEPOINT %s", name);
}

static int sq_release(struct store *st, const char *name)
{
	return savepoint_sql(st, "RELEASE %s", name);
}

static int sq_rollback_to(struct store *st, const char *name)
{
	int rc = savepoint_sql(st, "ROLLBACK TO %s", name);

	return rc ? rc : savepoint_sql(st, "RELEASE %s", name);
}

static int next_seq(struct store *st, int64_t *out)
{
	struct sq *q = SQ(st);
	char v[32];
	int rc;

	if (!q->seq_loaded) {
		rc = sq_meta_get(st, "seq", v, sizeof v);
		if (rc == NAWAT_ENOTFOUND)
			q->seq = 0;
		else if (rc)
			return rc;
		else
			q->seq = strtoll(v, NULL, 10);
		q->seq_loaded = 1;
	}
	*out = ++q->seq;
	return 0;
}

/* ---- values ---- */

/* What column `which` of field f holds for a value: NULL, an integer, a
 * number, or bytes (text, or a blob for personal data: its hash, then its
 * sealed copy) at *p, *n. */
enum col_kind { COL_NULL, COL_INT, COL_REAL, COL_TEXT, COL_BLOB };

static enum col_kind col_of(const struct std_field *f, int which, const struct val_value *v, const void **p,
			    int *n)
{
	if (v->state != VAL_SET)
		return COL_NULL;
	if (f->pii) {
		*p = which ? (const void *)v->blob : (const void *)v->s;
		*n = (int)(which ? v->blob_n : v->n);
		return COL_BLOB;
	}
	if (f->type == STD_INTEGER)
		return COL_INT;
	if (f->type == STD_NUMBER)
		return COL_REAL;
	*p = v->s;
	*n = (int)v->n;
	return COL_TEXT;
}

static void bind_col(sqlite3_stmt *s, int idx, const struct std_field *f, int which,
		     const struct val_value *v)
{
	const void *p = NULL;
	int n = 0;

	switch (col_of(f, which, v, &p, &n)) {
	case COL_NULL:
		sqlite3_bind_null(s, idx);
		break;
	case COL_INT:
		sqlite3_bind_int64(s, idx, v->i);
		break;
	case COL_REAL:
		sqlite3_bind_double(s, idx, v->d);
		break;
	case COL_TEXT:
		sqlite3_bind_text(s, idx, p, n, SQLITE_STATIC);
		break;
	case COL_BLOB:
		sqlite3_bind_blob(s, idx, p, n, SQLITE_STATIC);
	}
}

/* The same as a function's result (nw_rows). */
static void result_col(sqlite3_context *ctx, const struct std_field *f, int which, const struct val_value *v)
{
	const void *p = NULL;
	int n = 0;

	switch (col_of(f, which, v, &p, &n)) {
	case COL_NULL:
		break; /* NULL */
	case COL_INT:
		sqlite3_result_int64(ctx, v->i);
		break;
	case COL_REAL:
		sqlite3_result_double(ctx, v->d);
		break;
	case COL_TEXT:
		sqlite3_result_text(ctx, p, n, SQLITE_STATIC);
		break;
	case COL_BLOB:
		sqlite3_result_blob(ctx, p, n, SQLITE_STATIC);
	}
}

/* Binds every column of every field from idx; returns the next index. */
static int bind_fields(sqlite3_stmt *s, int idx, const struct std_dataset *ds,
		       const struct val_value *vals)
{
	size_t i, w;

	for (i = 0; i < ds->nfields; i++)
		for (w = 0; w < schema_ncols(&ds->fields[i]); w++)
			bind_col(s, idx++, &ds->fields[i], (int)w, &vals[i]);
	return idx;
}

static int bind_key(sqlite3_stmt *s, int idx, const struct std_dataset *ds,
		    const struct val_value *vals)
{
	size_t k;

	for (k = 0; k < ds->nkey; k++)
		bind_col(s, idx++, &ds->fields[ds->key[k]], 0, &vals[ds->key[k]]);
	return idx;
}

/* Reads field values from columns starting at col; returns the next column. */
static int read_fields(sqlite3_stmt *s, int col, const struct std_dataset *ds,
		       const int *fields, size_t nfields, struct val_value *out)
{
	size_t i, w;

	for (i = 0; i < nfields; i++) {
		const struct std_field *f = &ds->fields[fields ? fields[i] : (int)i];
		struct val_value *v = &out[i];

		memset(v, 0, sizeof *v);
		for (w = 0; w < schema_ncols(f); w++, col++) {
			int t = sqlite3_column_type(s, col);

			if (w == 0)
				v->state = t == SQLITE_NULL ? VAL_NULL : VAL_SET;
			if (t == SQLITE_NULL)
				continue;
			if (f->pii) {
				if (w) {
					v->blob = sqlite3_column_blob(s, col);
					v->blob_n = (size_t)sqlite3_column_bytes(s, col);
				} else {
					v->s = sqlite3_column_blob(s, col);
					v->n = (size_t)sqlite3_column_bytes(s, col);
				}
				continue;
			}
			switch (f->type) {
			case STD_INTEGER:
				v->i = sqlite3_column_int64(s, col);
				v->d = (double)v->i;
				break;
			case STD_NUMBER:
				v->d = sqlite3_column_double(s, col);
				break;
			default:
				v->s = (const char *)sqlite3_column_text(s, col);
				v->n = (size_t)sqlite3_column_bytes(s, col);
			}
		}
	}
	return col;
}

static int same_value(const struct std_field *f, const struct val_value *a, const struct val_value *b)
{
	if (a->state != VAL_SET || b->state != VAL_SET)
		return (a->state == VAL_SET) == (b->state == VAL_SET);
	if (f->pii)
		return a->n == b->n && !memcmp(a->s, b->s, a->n) && a->blob_n == b->blob_n &&
		       (!a->blob_n || !memcmp(a->blob, b->blob, a->blob_n));
	switch (f->type) {
	case STD_INTEGER:
		return a->i == b->i;
	case STD_NUMBER:
		return a->d == b->d;
	default:
		return a->n == b->n && !memcmp(a->s, b->s, a->n);
	}
}

/* ---- a batch of rows as a table ---- */

/*
 * nw_rows: the rows of a writer's batch as a table SQLite can read (an
 * eponymous virtual table of the connection, empty but while a writer steps
 * its insert).  A batch of new rows then goes in with one INSERT ... SELECT:
 * one statement, with its cursors open from the first row to the last,
 * instead of a statement, its cursors and its statement journal a row.
 * Columns c0, c1, ...: the data set's columns in schema order, then nw_seq
 * and nw_sub.  nw_seq is given for the first row only: the others have NULL,
 * so SQLite numbers them itself, one more than the row before (the last of
 * the table, as nw_seq only grows), as it does a table's own rowids.  Given a
 * number, it would look it up in the table first, from the root down, to
 * find it is not there, a row at a time.
 */
struct rows_src {
	const struct std_dataset *ds;
	const struct store_row *rows;
	size_t n;
	int64_t seq0, sub_id;
	int ncols;                  /* the data set's columns */
	unsigned short colf[ROWS_COLS]; /* per column: its field */
	unsigned char colw[ROWS_COLS];  /* and which of the field's columns */
};

struct rows_vtab {
	sqlite3_vtab base;
	struct sq *q;
};

struct rows_cur {
	sqlite3_vtab_cursor base;
	size_t i;
};

static int rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
			char **errp)
{
	struct rows_vtab *vt;
	char sql[16 + ROWS_COLS * 6];
	size_t len;
	int i, rc;

	(void)argc;
	(void)argv;
	(void)errp;
	len = (size_t)snprintf(sql, sizeof sql, "CREATE TABLE x(");
	for (i = 0; i < ROWS_COLS; i++)
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%sc%d", i ? "," : "", i);
	snprintf(sql + len, sizeof sql - len, ")");
	if ((rc = sqlite3_declare_vtab(db, sql)) != SQLITE_OK)
		return rc;
	vt = sqlite3_malloc(sizeof *vt);
	if (!vt)
		return SQLITE_NOMEM;
	memset(vt, 0, sizeof *vt);
	vt->q = aux;
	*out = &vt->base;
	return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

static int rows_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	(void)vt;
	info->estimatedCost = 1000;
	info->estimatedRows = 512;
	return SQLITE_OK;
}

static int rows_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct rows_cur *c = sqlite3_malloc(sizeof *c);

	(void)vt;
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*out = &c->base;
	return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int rows_filter(sqlite3_vtab_cursor *c, int idx, const char *idxstr, int argc, sqlite3_value **argv)
{
	(void)idx;
	(void)idxstr;
	(void)argc;
	(void)argv;
	((struct rows_cur *)c)->i = 0;
	return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *c)
{
	((struct rows_cur *)c)->i++;
	return SQLITE_OK;
}

static int rows_eof(sqlite3_vtab_cursor *c)
{
	const struct rows_src *src = ((struct rows_vtab *)c->pVtab)->q->src;

	return !src || ((struct rows_cur *)c)->i >= src->n;
}

static int rows_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col)
{
	const struct rows_src *src = ((struct rows_vtab *)c->pVtab)->q->src;
	size_t i = ((struct rows_cur *)c)->i;

	if (!src || i >= src->n)
		return SQLITE_OK;
	if (col < src->ncols)
		result_col(ctx, &src->ds->fields[src->colf[col]], src->colw[col], &src->rows[i].vals[src->colf[col]]);
	else if (col == src->ncols) {
		if (!i)
			sqlite3_result_int64(ctx, src->seq0);
	}
	else if (col == src->ncols + 1)
		sqlite3_result_int64(ctx, src->sub_id);
	return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *out)
{
	*out = (sqlite3_int64)((struct rows_cur *)c)->i;
	return SQLITE_OK;
}

static const sqlite3_module rows_module = {
	.xConnect = rows_connect, /* no xCreate: eponymous only */
	.xBestIndex = rows_best_index,
	.xDisconnect = rows_disconnect,
	.xDestroy = rows_disconnect,
	.xOpen = rows_open,
	.xClose = rows_close,
	.xFilter = rows_filter,
	.xNext = rows_next,
	.xEof = rows_eof,
	.xColumn = rows_column,
	.xRowid = rows_rowid,
};

/* ---- writer ---- */

struct sq_writer {
	struct store_writer base;
	const struct std_dataset *ds;
	int64_t sub_id;
	sqlite3_stmt *ins, *sel, *upd, *touch;
	sqlite3_stmt *batch;      /* the batch's rows in at once (NULL: a row at a time) */
	struct rows_src src;
	sqlite3_stmt *undelete;   /* when the data set has deletions: forget a key's */
	struct val_value *old, *merged;
	struct arena scratch;
	struct arena oldmem;      /* old values of the put's updated rows (for an observer) */
};

static void sq_writer_close(struct store_writer *bw)
{
	struct sq_writer *w = (struct sq_writer *)bw;

	if (!w)
		return;
	store_writer_release(&w->base);
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->batch);
	sqlite3_finalize(w->sel);
	sqlite3_finalize(w->upd);
	sqlite3_finalize(w->touch);
	sqlite3_finalize(w->undelete);
	arena_release(&w->scratch);
	arena_release(&w->oldmem);
	nw_free(w->old);
	nw_free(w->merged);
	nw_free(w);
}

static int sq_writer_open(struct store *st, const struct std_dataset *ds, int64_t sub_id,
			  struct store_writer **out)
{
	struct sq_writer *w;
	struct buf sql;
	char col[64];
	size_t i, nc = 0, k;
	int rc = NAWAT_ENOMEM;

	*out = NULL;
	w = nw_calloc(1, sizeof *w);
	if (!w)
		return err_generic(&st->err, NAWAT_ENOMEM);
	w->base.st = st;
	w->base.ds = ds;
	w->ds = ds;
	w->sub_id = sub_id;
	arena_init(&w->scratch, 16 * 1024, 0);
	arena_init(&w->oldmem, 16 * 1024, 0);
	w->old = nw_calloc(ds->nfields, sizeof *w->old);
	w->merged = nw_calloc(ds->nfields, sizeof *w->merged);
	buf_init(&sql, 1 << 16);
	if (!w->old || !w->merged)
		goto fail;
	for (i = 0; i < ds->nfields; i++)
		nc += schema_ncols(&ds->fields[i]);

	if (buf_printf(&sql, "INSERT INTO %s (", ds->name) || schema_field_list(ds, &sql) ||
	    buf_puts(&sql, ", nw_seq, nw_sub) VALUES ("))
		goto fail;
	for (i = 0; i < nc + 2; i++)
		if (buf_puts(&sql, i ? ", ?" : "?"))
			goto fail;
	if (buf_puts(&sql, ") ON CONFLICT DO NOTHING"))
		goto fail;
	if ((rc = prepare(st, buf_str(&sql), &w->ins)))
		goto fail;

	/* the same, for a whole batch, from nw_rows (put_batch) */
	if (nc + 2 <= ROWS_COLS) {
		w->src.ds = ds;
		w->src.sub_id = sub_id;
		w->src.ncols = (int)nc;
		for (i = 0, k = 0; i < ds->nfields; i++) {
			size_t ww;

			for (ww = 0; ww < schema_ncols(&ds->fields[i]); ww++, k++) {
				w->src.colf[k] = (unsigned short)i;
				w->src.colw[k] = (unsigned char)ww;
			}
		}
		buf_reset(&sql);
		if (buf_printf(&sql, "INSERT OR FAIL INTO %s (", ds->name) || schema_field_list(ds, &sql) ||
		    buf_puts(&sql, ", nw_seq, nw_sub) SELECT "))
			goto nomem;
		for (i = 0; i < nc + 2; i++)
			if (buf_printf(&sql, "%sc%zu", i ? ", " : "", i))
				goto nomem;
		if (buf_puts(&sql, " FROM nw_rows"))
			goto nomem;
		if ((rc = prepare(st, buf_str(&sql), &w->batch)))
			goto fail;
	}

	buf_reset(&sql);
	if (buf_puts(&sql, "SELECT nw_sub, ") || schema_field_list(ds, &sql) ||
	    buf_printf(&sql, " FROM %s WHERE ", ds->name) || schema_key_where(&schema_sqlite, ds, &sql, 1))
		goto nomem;
	if ((rc = prepare(st, buf_str(&sql), &w->sel)))
		goto fail;

	buf_reset(&sql);
	if (buf_printf(&sql, "UPDATE %s SET ", ds->name))
		goto nomem;
	for (i = 0, k = 0; i < ds->nfields; i++) {
		size_t ww;

		for (ww = 0; ww < schema_ncols(&ds->fields[i]); ww++, k++)
			if (buf_printf(&sql, "%s = ?, ", schema_col(&ds->fields[i], (int)ww, col, sizeof col)))
				goto nomem;
	}
	if (buf_puts(&sql, "nw_seq = ?, nw_sub = ? WHERE ") ||
	    schema_key_where(&schema_sqlite, ds, &sql, (int)nc + 3))
		goto nomem;
	if ((rc = prepare(st, buf_str(&sql), &w->upd)))
		goto fail;

	buf_reset(&sql);
	if (buf_printf(&sql, "UPDATE %s SET nw_sub = ? WHERE ", ds->name) ||
	    schema_key_where(&schema_sqlite, ds, &sql, 2))
		goto nomem;
	if ((rc = prepare(st, buf_str(&sql), &w->touch)))
		goto fail;

	/* a row inserted again is no longer deleted */
	buf_reset(&sql);
	if (buf_printf(&sql, "SELECT EXISTS (SELECT 1 FROM nw_del_%s)", ds->name))
		goto nomem;
	if ((rc = prepare(st, buf_str(&sql), &w->undelete)))
		goto fail;
	/* a failed step is an error (SQLite may have rolled the transaction
	 * back), not "no deletions" */
	rc = sqlite3_step(w->undelete);
	if (rc != SQLITE_ROW) {
		rc = sqerr(st, "deletions");
		goto fail;
	}
	rc = sqlite3_column_int(w->undelete, 0);
	sqlite3_finalize(w->undelete);
	w->undelete = NULL;
	if (rc) {
		buf_reset(&sql);
		if (buf_printf(&sql, "DELETE FROM nw_del_%s WHERE ", ds->name) ||
		    schema_key_where(&schema_sqlite, ds, &sql, 1))
			goto nomem;
		if ((rc = prepare(st, buf_str(&sql), &w->undelete)))
			goto fail;
	}
	buf_release(&sql);
	*out = &w->base;
	return 0;
nomem:
	rc = NAWAT_ENOMEM;
fail:
	if (rc == NAWAT_ENOMEM)
		err_generic(&st->err, rc);
	buf_release(&sql);
	sq_writer_close(&w->base);
	return rc;
}

/* Copies a value's bytes into the scratch arena (SQLite's pointers die on reset). */
static int keep(struct arena *a, struct val_value *v)
{
	if (v->state == VAL_SET && v->s) {
		v->s = arena_strndup(a, v->s, v->n);
		if (!v->s)
			return NAWAT_ENOMEM;
	}
	if (v->blob_n) {
		v->blob = (const unsigned char *)arena_strndup(a, (const char *)v->blob, v->blob_n);
		if (!v->blob)
			return NAWAT_ENOMEM;
	}
	return 0;
}

/* A copy of the old values of an updated row for the observer (row->old). */
static int keep_old(struct sq_writer *w, struct store_row *row)
{
	struct val_value *o = arena_alloc(&w->oldmem, w->ds->nfields * sizeof *o);
	size_t i;

	if (!o)
		return err_generic(&w->base.st->err, NAWAT_ENOMEM);
	for (i = 0; i < w->ds->nfields; i++) {
		o[i] = w->old[i];
		if (keep(&w->oldmem, &o[i]))
			return err_generic(&w->base.st->err, NAWAT_ENOMEM);
	}
	row->old = o;
	return 0;
}

/* Binds the insert's field parameters, skipping those equal to the previous
 * row of the same batch (bindings survive sqlite3_reset, and a batch's values
 * stay valid until it ends): rows of one student or school repeat most. */
static int bind_insert(sqlite3_stmt *s, const struct std_dataset *ds, const struct val_value *vals,
		       const struct val_value *prev)
{
	size_t i, w;
	int idx = 1;

	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];
		size_t nc = schema_ncols(f);

		if (prev && prev[i].state == vals[i].state && same_value(f, &prev[i], &vals[i])) {
			idx += (int)nc;
			continue;
		}
		for (w = 0; w < nc; w++)
			bind_col(s, idx++, f, (int)w, &vals[i]);
	}
	return idx;
}

/* A row inserted is no longer among the deletions (when the data set has any). */
static int undelete(struct sq_writer *w, const struct store_row *row)
{
	int rc;

	if (!w->undelete)
		return 0;
	bind_key(w->undelete, 1, w->ds, row->vals);
	rc = sqlite3_step(w->undelete);
	sqlite3_reset(w->undelete);
	return rc == SQLITE_DONE ? 0 : sqerr(w->base.st, "insert");
}

static int write_one(struct sq_writer *w, struct store_row *row, const struct val_value *prev)
{
	struct store *st = w->base.st;
	const struct std_dataset *ds = w->ds;
	int64_t seq, old_sub;
	int idx, rc, changed = 0;
	size_t i;

	if ((rc = next_seq(st, &seq)))
		return rc;
	idx = bind_insert(w->ins, ds, row->vals, prev);
	sqlite3_bind_int64(w->ins, idx++, seq);
	sqlite3_bind_int64(w->ins, idx, w->sub_id);
	rc = sqlite3_step(w->ins);
	sqlite3_reset(w->ins);
	if (rc != SQLITE_DONE)
		return sqerr(st, "insert");
	if (sqlite3_changes(SQ(st)->db) == 1) {
		row->result = STORE_INSERTED;
		return undelete(w, row);
	}
	/* the key exists: the same submission (a duplicate), unchanged, or an update */
	SQ(st)->seq--; /* seq not used */
	bind_key(w->sel, 1, ds, row->vals);
	rc = sqlite3_step(w->sel);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(w->sel);
		return rc == SQLITE_DONE ? err_msg(&st->err, NAWAT_ESTORE, "แถวหายระหว่างบันทึก",
						   "row vanished while writing")
					 : sqerr(st, "select");
	}
	old_sub = sqlite3_column_int64(w->sel, 0);
	if (old_sub == w->sub_id) {
		sqlite3_reset(w->sel);
		row->result = STORE_DUPLICATE;
		return 0;
	}
	read_fields(w->sel, 1, ds, NULL, ds->nfields, w->old);
	arena_reset(&w->scratch);
	for (i = 0; i < ds->nfields; i++) {
		if (row->vals[i].state == VAL_ABSENT) {
			w->merged[i] = w->old[i];
			if (keep(&w->scratch, &w->merged[i])) {
				sqlite3_reset(w->sel);
				return err_generic(&st->err, NAWAT_ENOMEM);
			}
		} else {
			w->merged[i] = row->vals[i];
			if (!same_value(&ds->fields[i], &row->vals[i], &w->old[i]))
				changed = 1;
		}
	}
	if (changed) { /* before the reset: old points into the statement */
		store_writer_note_old(&w->base, ds, w->old);
		if (st->obs && (rc = keep_old(w, row))) {
			sqlite3_reset(w->sel);
			return rc;
		}
	}
	sqlite3_reset(w->sel);
	if (!changed) {
		sqlite3_bind_int64(w->touch, 1, w->sub_id);
		bind_key(w->touch, 2, ds, row->vals);
		rc = sqlite3_step(w->touch);
		sqlite3_reset(w->touch);
		if (rc != SQLITE_DONE)
			return sqerr(st, "update");
		row->result = STORE_UNCHANGED;
		return 0;
	}
	if ((rc = next_seq(st, &seq)))
		return rc;
	idx = bind_fields(w->upd, 1, ds, w->merged);
	sqlite3_bind_int64(w->upd, idx++, seq);
	sqlite3_bind_int64(w->upd, idx++, w->sub_id);
	bind_key(w->upd, idx, ds, row->vals);
	rc = sqlite3_step(w->upd);
	sqlite3_reset(w->upd);
	if (rc != SQLITE_DONE)
		return sqerr(st, "update");
	row->result = STORE_UPDATED;
	return 0;
}

/* Inserts a batch with one statement and returns how many of its first rows
 * went in: all, or those before the first whose key is stored already (or
 * some other constraint fails): the rest go a row at a time.  OR FAIL keeps
 * the rows in before that one, and so needs no statement journal: with one,
 * the statement would copy out every page it changes (for a batch of new
 * results, a page of the key index for nearly each student). */
static int put_batch(struct sq_writer *w, struct store_row *rows, size_t n, size_t *done)
{
	struct store *st = w->base.st;
	struct sq *q = SQ(st);
	int64_t first;
	size_t i;
	int rc, changes;

	*done = 0;
	if ((rc = next_seq(st, &first)))
		return rc;
	w->src.rows = rows;
	w->src.n = n;
	w->src.seq0 = first;
	q->src = &w->src;
	rc = sqlite3_step(w->batch);
	changes = sqlite3_changes(q->db);
	q->src = NULL;
	sqlite3_reset(w->batch);
	if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT)
		return sqerr(st, "insert");
	if (changes < 0 || (size_t)changes > n || (rc == SQLITE_DONE && (size_t)changes != n))
		return err_msg(&st->err, NAWAT_ESTORE, "จำนวนแถวที่บันทึกไม่ตรง", "rows written do not match");
	q->seq = first - 1 + changes;
	/* the numbers SQLite gave follow the first unless a row of the table
	 * had a greater one: never below the last given, whatever happened */
	if (changes && sqlite3_last_insert_rowid(q->db) > q->seq)
		q->seq = sqlite3_last_insert_rowid(q->db);
	for (i = 0; i < (size_t)changes; i++) {
		rows[i].result = STORE_INSERTED;
		if ((rc = undelete(w, &rows[i])))
			return rc;
	}
	*done = (size_t)changes;
	return 0;
}

static int sq_writer_put(struct store_writer *bw, struct store_row *rows, size_t n)
{
	struct sq_writer *w = (struct sq_writer *)bw;
	size_t i, from;
	int rc;

	arena_reset(&w->oldmem);
	/* never a row outside the transaction, should SQLite have ended it */
	if ((rc = settle(bw->st)))
		return rc;
	/* a batch at once when the caller checked its references (a foreign
	 * key's check would need the statement journal) */
	from = 0;
	if (w->batch && n > 1 && SQ(bw->st)->fk_off && (rc = put_batch(w, rows, n, &from)))
		return rc;
	for (i = from; i < n; i++)
		if ((rc = write_one(w, &rows[i], i > from ? rows[i - 1].vals : NULL)))
			return rc;
	return 0;
}

/* ---- deletions ---- */

static int sq_delete_rows(struct store *st, const struct std_dataset *ds, int64_t sub_id,
			  const struct store_scope *scope, struct store_row *rows, size_t n)
{
	sqlite3_stmt *keep = NULL, *del = NULL, *exists = NULL;
	const char *by;
	struct buf sql, where;
	size_t i;
	int rc = 0, nscope = 0, step;
	int64_t seq;

	buf_init(&sql, 1 << 16);
	buf_init(&where, 1 << 16);
	/* the key, then the scope's code when it has one */
	if (schema_key_where(&schema_sqlite, ds, &where, 1) ||
	    (scope && scope->kind != SCOPE_ALL &&
	     (buf_puts(&where, " AND ") ||
	      schema_scope_where(&schema_sqlite, ds, scope, (int)ds->nkey + 1, &where, &nscope)))) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	/* the last values go to the deletions (replacing an older deletion of
	 * the key), with the change number and submission after the key */
	if (buf_printf(&sql, "INSERT OR REPLACE INTO nw_del_%s (", ds->name) || schema_field_list(ds, &sql) ||
	    buf_puts(&sql, ", nw_seq, nw_sub) SELECT ") || schema_field_list(ds, &sql) ||
	    buf_printf(&sql, ", ?1, ?2 FROM %s WHERE %s", ds->name, buf_str(&where))) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if ((rc = prepare(st, buf_str(&sql), &keep)))
		goto out;
	buf_reset(&sql);
	if (buf_printf(&sql, "DELETE FROM %s WHERE %s", ds->name, buf_str(&where))) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if ((rc = prepare(st, buf_str(&sql), &del)))
		goto out;
	buf_reset(&sql);
	if (buf_printf(&sql, "SELECT 1 FROM %s WHERE %s", ds->name, buf_str(&where))) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if ((rc = prepare(st, buf_str(&sql), &exists)))
		goto out;
	for (i = 0; i < n && !rc; i++) {
		/* a row others refer to stays (and one outside the scope is absent) */
		if ((rc = store_referenced_by(st, ds, rows[i].vals, &by)) < 0)
			break;
		if (rc) {
			rc = 0;
			bind_key(exists, 1, ds, rows[i].vals);
			if (nscope)
				sqlite3_bind_text(exists, (int)ds->nkey + 1, scope->code, -1, SQLITE_STATIC);
			step = sqlite3_step(exists);
			sqlite3_reset(exists);
			if (step != SQLITE_ROW && step != SQLITE_DONE) {
				rc = sqerr(st, "delete");
				break;
			}
			rows[i].result = step == SQLITE_ROW ? STORE_REFERENCED : STORE_ABSENT;
			continue;
		}
		if ((rc = next_seq(st, &seq)))
			break;
		/* (keep: ?1 and ?2 first, then the where's ? from 3) */
		sqlite3_bind_int64(keep, 1, seq);
		sqlite3_bind_int64(keep, 2, sub_id);
		bind_key(keep, 3, ds, rows[i].vals);
		bind_key(del, 1, ds, rows[i].vals);
		if (nscope) {
			sqlite3_bind_text(keep, (int)ds->nkey + 3, scope->code, -1, SQLITE_STATIC);
			sqlite3_bind_text(del, (int)ds->nkey + 1, scope->code, -1, SQLITE_STATIC);
		}
		step = sqlite3_step(keep);
		sqlite3_reset(keep);
		if (step != SQLITE_DONE) {
			rc = sqerr(st, "delete");
			break;
		}
		if (!sqlite3_changes(SQ(st)->db)) {
			SQ(st)->seq--;
			rows[i].result = STORE_ABSENT;
			continue;
		}
		step = sqlite3_step(del);
		sqlite3_reset(del);
		if (step == SQLITE_CONSTRAINT)
			rc = store_err_referenced(st, ds);
		else if (step != SQLITE_DONE)
			rc = sqerr(st, "delete");
		else
			rows[i].result = STORE_DELETED;
	}
out:
	sqlite3_finalize(keep);
	sqlite3_finalize(del);
	sqlite3_finalize(exists);
	buf_release(&sql);
	buf_release(&where);
	return rc;
}

/* ---- lookups ---- */

/*
 * Lookups by key.  Imports look rows up in the order another file wrote
 * them (outcomes follow their students), and a random index probe per row is
 * the slowest part of an import at scale.  So after each probe the lookup
 * reads ahead a few rows in table (rowid) order and tries those first: when
 * the order matches, lookups become a sequential read; when it does not, the
 * read-ahead switches itself off.
 */
#define RA_ROWS 8
#define RA_KEY_MAX 8
#define RA_FETCH_MAX 8

struct ra_row {
	struct val_value key[RA_KEY_MAX];
	struct val_value fetched[RA_FETCH_MAX];
};

struct sq_ref {
	struct store_ref base;
	const struct std_dataset *ds;
	const int *fetch;
	size_t nfetch;
	sqlite3_stmt *sel;        /* SELECT rowid, fetch... WHERE key */
	sqlite3_stmt *ahead;      /* SELECT rowid, key..., fetch... WHERE rowid > ? ORDER BY rowid */
	int64_t after;            /* read ahead from here; 0 = nothing to follow */
	struct ra_row rows[RA_ROWS];
	size_t pos, n;
	struct arena mem;         /* bytes of the rows read ahead */
	int misses;               /* read-ahead misses in a row */
	int probes_off;           /* probes since read-ahead was switched off */
};

static void sq_ref_close(struct store_ref *br)
{
	struct sq_ref *r = (struct sq_ref *)br;

	if (!r)
		return;
	store_ref_base_release(&r->base);
	sqlite3_finalize(r->sel);
	sqlite3_finalize(r->ahead);
	arena_release(&r->mem);
	nw_free(r);
}

static int sq_ref_open(struct store *st, const struct std_dataset *ds, const int *fetch,
		       size_t nfetch, struct store_ref **out)
{
	struct sq_ref *r;
	struct buf sql, cols;
	char col[64];
	size_t i, w;
	int rc = 0;

	*out = NULL;
	if (ds->nkey > RA_KEY_MAX || nfetch > RA_FETCH_MAX)
		return err_msg(&st->err, NAWAT_ELIMIT, "คีย์ยาวเกินไป", "key too long");
	r = nw_calloc(1, sizeof *r);
	if (!r)
		return err_generic(&st->err, NAWAT_ENOMEM);
	r->base.st = st;
	r->base.target = ds;
	r->base.nfetch = nfetch;
	r->ds = ds;
	r->fetch = fetch;
	r->nfetch = nfetch;
	arena_init(&r->mem, 4096, 0);
	buf_init(&sql, 1 << 16);
	buf_init(&cols, 1 << 16);
	for (i = 0; i < nfetch && !rc; i++)
		for (w = 0; w < schema_ncols(&ds->fields[fetch[i]]) && !rc; w++)
			rc = buf_printf(&cols, ", %s", schema_col(&ds->fields[fetch[i]], (int)w, col, sizeof col));
	if (!rc)
		rc = buf_printf(&sql, "SELECT rowid%s FROM %s WHERE ", buf_str(&cols), ds->name);
	if (!rc)
		rc = schema_key_where(&schema_sqlite, ds, &sql, 1);
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if ((rc = prepare(st, buf_str(&sql), &r->sel)))
		goto out;
	buf_reset(&sql);
	rc = buf_puts(&sql, "SELECT rowid");
	for (i = 0; i < ds->nkey && !rc; i++)
		for (w = 0; w < schema_ncols(&ds->fields[ds->key[i]]) && !rc; w++)
			rc = buf_printf(&sql, ", %s",
					schema_col(&ds->fields[ds->key[i]], (int)w, col, sizeof col));
	if (!rc)
		rc = buf_printf(&sql, "%s FROM %s WHERE rowid > ?1 ORDER BY rowid LIMIT %d", buf_str(&cols),
				ds->name, RA_ROWS);
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	rc = prepare(st, buf_str(&sql), &r->ahead);
out:
	buf_release(&sql);
	buf_release(&cols);
	if (rc) {
		sq_ref_close(&r->base);
		return rc;
	}
	*out = &r->base;
	return 0;
}

/* Keys compare by value; personal data by its hash alone. */
static int same_key(const struct std_dataset *ds, const struct val_value *a, const struct val_value *b)
{
	size_t k;

	for (k = 0; k < ds->nkey; k++) {
		const struct std_field *f = &ds->fields[ds->key[k]];

		if (f->pii ? a[k].n != b[k].n || memcmp(a[k].s, b[k].s, a[k].n)
			   : !same_value(f, &a[k], &b[k]))
			return 0;
	}
	return 1;
}

/* Reads the next rows in table order into the window. */
static int read_ahead(struct sq_ref *r)
{
	struct store *st = r->base.st;
	size_t k, i;
	int rc = SQLITE_DONE, col;

	arena_reset(&r->mem);
	r->pos = r->n = 0;
	sqlite3_reset(r->ahead);
	sqlite3_bind_int64(r->ahead, 1, r->after);
	while (r->n < RA_ROWS && (rc = sqlite3_step(r->ahead)) == SQLITE_ROW) {
		struct ra_row *row = &r->rows[r->n];

		r->after = sqlite3_column_int64(r->ahead, 0);
		col = 1;
		for (k = 0; k < r->ds->nkey; k++)
			col = read_fields(r->ahead, col, r->ds, &r->ds->key[k], 1, &row->key[k]);
		read_fields(r->ahead, col, r->ds, r->fetch, r->nfetch, row->fetched);
		for (k = 0; k < r->ds->nkey; k++)
			if (keep(&r->mem, &row->key[k]))
				return err_generic(&st->err, NAWAT_ENOMEM);
		for (i = 0; i < r->nfetch; i++)
			if (keep(&r->mem, &row->fetched[i]))
				return err_generic(&st->err, NAWAT_ENOMEM);
		r->n++;
	}
	sqlite3_reset(r->ahead);
	if (r->n < RA_ROWS && rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sqerr(st, "lookup");
	if (r->n == 0)
		r->after = 0; /* the end of the table */
	return 0;
}

static int sq_ref_lookup(struct store_ref *br, const struct val_value *key, int *found,
			 struct val_value *fetched)
{
	struct sq_ref *r = (struct sq_ref *)br;
	size_t k, j;
	int rc;

	if (r->after > 0 && r->misses < 16) {
		if (r->pos == r->n && (rc = read_ahead(r)))
			return rc;
		for (j = r->pos; j < r->n; j++)
			if (same_key(r->ds, key, r->rows[j].key)) {
				r->pos = j + 1;
				r->misses = 0;
				*found = 1;
				for (k = 0; k < r->nfetch; k++)
					fetched[k] = r->rows[j].fetched[k];
				return 0;
			}
		r->misses++;
	} else if (r->misses >= 16 && ++r->probes_off >= 1024) {
		/* try following the table order again now and then */
		r->misses = 0;
		r->probes_off = 0;
	}
	sqlite3_reset(r->sel);
	for (k = 0; k < r->ds->nkey; k++)
		bind_col(r->sel, (int)k + 1, &r->ds->fields[r->ds->key[k]], 0, &key[k]);
	rc = sqlite3_step(r->sel);
	if (rc == SQLITE_ROW) {
		*found = 1;
		r->after = sqlite3_column_int64(r->sel, 0);
		r->pos = r->n = 0;
		if (r->nfetch)
			read_fields(r->sel, 1, r->ds, r->fetch, r->nfetch, fetched);
		return 0;
	}
	*found = 0;
	if (rc != SQLITE_DONE)
		return sqerr(br->st, "lookup");
	return 0;
}

/* ---- scans ---- */

struct sq_scan {
	struct store_scan base;
	const struct std_dataset *ds;
	sqlite3_stmt *sel;
	int changes;
};

static void sq_scan_close(struct store_scan *bs)
{
	struct sq_scan *sc = (struct sq_scan *)bs;

	if (!sc)
		return;
	cache_put(bs->st, sc->sel);
	nw_free(sc);
}

/* SELECT ... WHERE filters AND scope AND key > after ORDER BY key LIMIT n,
 * with its parameters bound. */
/* A query of a data set, prepared (from the cache) and bound. */
static int query_sql(struct store *st, const struct std_dataset *ds, const struct store_query *q,
		     const char *what, int ordered, sqlite3_stmt **out)
{
	struct qparam params[QPARAM_MAX];
	struct buf sql, pat;
	int np = QPARAM_MAX, i, rc;

	buf_init(&sql, 1 << 16);
	buf_init(&pat, 4096);
	rc = schema_query(&schema_sqlite, ds, q, what, ordered, &sql, params, &np);
	if (!rc && q && q->search)
		rc = schema_like_pattern(q->search, &pat);
	if (rc) {
		rc = err_generic(&st->err, rc == NAWAT_ELIMIT ? NAWAT_ELIMIT : NAWAT_ENOMEM);
		goto out;
	}
	if (cache_get(st, buf_str(&sql), out)) {
		*out = NULL;
		rc = sqerr(st, "query");
		goto out;
	}
	for (i = 0; i < np; i++) {
		switch (params[i].kind) {
		case QP_FILTER:
			bind_col(*out, i + 1, &ds->fields[q->filters[params[i].index].field], 0,
				 &q->filters[params[i].index].value);
			break;
		case QP_SCOPE:
			/* a copy: it may fail, and a scope bound as NULL must not
			 * quietly give no rows */
			if (sqlite3_bind_text(*out, i + 1, q->scope.code, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
				rc = sqerr(st, "query");
				cache_put(st, *out);
				*out = NULL;
				goto out;
			}
			break;
		case QP_SEARCH:
			if (sqlite3_bind_text(*out, i + 1, buf_str(&pat), (int)pat.len, SQLITE_TRANSIENT) != SQLITE_OK) {
				rc = sqerr(st, "query");
				cache_put(st, *out);
				*out = NULL;
				goto out;
			}
			break;
		case QP_AFTER:
			bind_col(*out, i + 1, &ds->fields[ds->key[params[i].index]], 0, &q->after[params[i].index]);
			break;
		case QP_SINCE:
			sqlite3_bind_int64(*out, i + 1, q->since);
			break;
		case QP_UPTO:
			sqlite3_bind_int64(*out, i + 1, q->upto);
			break;
		case QP_AFTER_SEQ:
			sqlite3_bind_int64(*out, i + 1, q->after_seq);
			break;
		}
	}
out:
	buf_release(&sql);
	buf_release(&pat);
	return rc;
}

static int sq_scan_open(struct store *st, const struct std_dataset *ds, const struct store_query *q,
			struct store_scan **out)
{
	struct sq_scan *sc;
	struct buf cols;
	int rc;

	*out = NULL;
	sc = nw_calloc(1, sizeof *sc);
	if (!sc)
		return err_generic(&st->err, NAWAT_ENOMEM);
	sc->base.st = st;
	sc->ds = ds;
	sc->changes = q && q->changes;
	buf_init(&cols, 1 << 16);
	if (schema_field_list(ds, &cols)) {
		buf_release(&cols);
		nw_free(sc);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	rc = query_sql(st, ds, q, buf_str(&cols), 1, &sc->sel);
	buf_release(&cols);
	if (rc) {
		sq_scan_close(&sc->base);
		return rc;
	}
	*out = &sc->base;
	return 0;
}

static int sq_scan_next(struct store_scan *bs, struct val_value *vals)
{
	struct sq_scan *sc = (struct sq_scan *)bs;
	int rc = sqlite3_step(sc->sel);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return sqerr(bs->st, "scan");
	rc = read_fields(sc->sel, 0, sc->ds, NULL, sc->ds->nfields, vals);
	if (sc->changes)
		bs->seq = sqlite3_column_int64(sc->sel, rc);
	return 1;
}

static int sq_count(struct store *st, const struct std_dataset *ds, const struct store_query *q,
		    int64_t *n)
{
	struct store_query cq;
	sqlite3_stmt *s;
	int rc;

	if (q) {
		cq = *q;
		cq.limit = 0;
		cq.offset = 0;
		cq.after = NULL;
		q = &cq;
	}
	if ((rc = query_sql(st, ds, q, "count(*)", 0, &s)))
		return rc;
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc != SQLITE_ROW)
		rc = sqerr(st, "count");
	else
		rc = 0;
	cache_put(st, s);
	return rc;
}

/* ---- prefixes and sums (the observer's reads and writes) ---- */

static int sq_scan_prefix_many(struct store *st, const struct std_dataset *ds, size_t nprefix, size_t n,
			       const struct val_value *prefixes,
			       int (*fn)(void *ctx, size_t i, const struct val_value *vals), void *ctx)
{
	struct val_value *vals = NULL;
	sqlite3_stmt *s = NULL;
	struct buf sql;
	char col[64];
	size_t i, k;
	int rc = 0, step;

	if (nprefix > ds->nkey)
		return err_msg(&st->err, NAWAT_EINVAL, "คีย์ไม่ถูกต้อง", "bad key prefix");
	buf_init(&sql, 1 << 16);
	rc = buf_puts(&sql, "SELECT ") || schema_field_list(ds, &sql) || buf_printf(&sql, " FROM %s WHERE ", ds->name);
	for (k = 0; k < nprefix && !rc; k++)
		rc = buf_printf(&sql, "%s%s = ?", k ? " AND " : "",
				schema_col(&ds->fields[ds->key[k]], 0, col, sizeof col));
	vals = nw_calloc(ds->nfields, sizeof *vals);
	if (rc || !vals) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if (cache_get(st, buf_str(&sql), &s)) {
		rc = sqerr(st, "prefix");
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		for (k = 0; k < nprefix; k++)
			bind_col(s, (int)k + 1, &ds->fields[ds->key[k]], 0, &prefixes[i * nprefix + k]);
		while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
			read_fields(s, 0, ds, NULL, ds->nfields, vals);
			rc = fn(ctx, i, vals);
		}
		if (!rc && step != SQLITE_DONE)
			rc = sqerr(st, "prefix");
		sqlite3_reset(s);
	}
out:
	cache_put(st, s);
	nw_free(vals);
	buf_release(&sql);
	return rc;
}

/* A row's key (text) as the first parameters, integers as integers. */
static void bind_sums_key(sqlite3_stmt *s, const struct schema_sums *t, const char *const *key)
{
	size_t k;

	for (k = 0; k < t->nkey; k++) {
		if (t->key_int[k])
			sqlite3_bind_int64(s, (int)k + 1, strtoll(key[k], NULL, 10));
		else
			sqlite3_bind_text(s, (int)k + 1, key[k], -1, SQLITE_STATIC);
	}
}

/* The statements of a table of sums: the upsert (adding, or setting), the
 * removal of an empty row, the read of a row; each with the key first. */
static int sums_sql(const struct schema_sums *t, int what, struct buf *sql)
{
	size_t k, v;
	int rc = 0;

	if (what == 2) { /* read */
		rc = buf_puts(sql, "SELECT ");
		for (v = 0; v < t->nval && !rc; v++)
			rc = buf_printf(sql, "%s%s", v ? ", " : "", t->val[v]);
		if (!rc && t->text)
			rc = buf_printf(sql, ", %s", t->text);
		rc = rc || buf_printf(sql, " FROM %s WHERE ", t->name);
		for (k = 0; k < t->nkey && !rc; k++)
			rc = buf_printf(sql, "%s%s = ?", k ? " AND " : "", t->key[k]);
		return rc;
	}
	if (what == 3) { /* remove when empty */
		rc = buf_printf(sql, "DELETE FROM %s WHERE ", t->name);
		for (k = 0; k < t->nkey && !rc; k++)
			rc = buf_printf(sql, "%s = ? AND ", t->key[k]);
		for (v = 0; v < t->nval && !rc; v++)
			rc = buf_printf(sql, "%s%s = 0", v ? " AND " : "", t->val[v]);
		return rc;
	}
	rc = buf_printf(sql, "INSERT INTO %s (", t->name);
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(sql, "%s%s", k ? ", " : "", t->key[k]);
	for (v = 0; v < t->nval && !rc; v++)
		rc = buf_printf(sql, ", %s", t->val[v]);
	if (!rc && t->text && what == 1)
		rc = buf_printf(sql, ", %s", t->text);
	rc = rc || buf_puts(sql, ") VALUES (");
	for (k = 0; k < t->nkey + t->nval + (t->text && what == 1) && !rc; k++)
		rc = buf_puts(sql, k ? ", ?" : "?");
	rc = rc || buf_puts(sql, ") ON CONFLICT (");
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(sql, "%s%s", k ? ", " : "", t->key[k]);
	rc = rc || buf_puts(sql, ") DO UPDATE SET ");
	for (v = 0; v < t->nval && !rc; v++)
		rc = what ? buf_printf(sql, "%s%s = excluded.%s", v ? ", " : "", t->val[v], t->val[v])
			  : buf_printf(sql, "%s%s = %s + excluded.%s", v ? ", " : "", t->val[v], t->val[v], t->val[v]);
	if (!rc && t->text && what == 1)
		rc = buf_printf(sql, ", %s = excluded.%s", t->text, t->text);
	return rc;
}

/* Adds (put = 0) or sets (1) rows of a table of sums. */
static int sums_write(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
		      const int64_t *vals, const char *const *texts, int put)
{
	sqlite3_stmt *up = NULL, *del = NULL;
	struct buf sql;
	size_t i, v;
	int rc = 0, step;

	buf_init(&sql, 1 << 16);
	if (sums_sql(t, put, &sql)) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if (cache_get(st, buf_str(&sql), &up)) {
		rc = sqerr(st, "sums");
		goto out;
	}
	buf_reset(&sql);
	if (sums_sql(t, 3, &sql)) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if (cache_get(st, buf_str(&sql), &del)) {
		rc = sqerr(st, "sums");
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		bind_sums_key(up, t, &keys[i * t->nkey]);
		for (v = 0; v < t->nval; v++)
			sqlite3_bind_int64(up, (int)(t->nkey + v) + 1, vals[i * t->nval + v]);
		if (t->text && put)
			sqlite3_bind_text(up, (int)(t->nkey + t->nval) + 1, texts[i], -1, SQLITE_STATIC);
		step = sqlite3_step(up);
		sqlite3_reset(up);
		if (step != SQLITE_DONE) {
			rc = sqerr(st, "sums");
			break;
		}
		if (!schema_sums_may_empty(t, &vals[i * t->nval], put))
			continue;
		bind_sums_key(del, t, &keys[i * t->nkey]);
		step = sqlite3_step(del);
		sqlite3_reset(del);
		if (step != SQLITE_DONE)
			rc = sqerr(st, "sums");
	}
out:
	cache_put(st, up);
	cache_put(st, del);
	buf_release(&sql);
	return rc;
}

static int sq_sums_add(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
		       const int64_t *vals)
{
	return sums_write(st, t, n, keys, vals, NULL, 0);
}

static int sq_sums_put(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
		       const int64_t *vals, const char *const *texts)
{
	return sums_write(st, t, n, keys, vals, texts, 1);
}

static int sq_sums_get_many(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
			    int (*fn)(void *ctx, size_t i, const int64_t *vals, const char *text), void *ctx)
{
	sqlite3_stmt *q = NULL;
	struct buf sql;
	int64_t v[256];
	size_t i, k;
	int rc = 0, step;

	if (t->nval > 256)
		return err_msg(&st->err, NAWAT_ELIMIT, "คอลัมน์มากเกินไป", "too many columns");
	buf_init(&sql, 1 << 16);
	if (sums_sql(t, 2, &sql)) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if (cache_get(st, buf_str(&sql), &q)) {
		rc = sqerr(st, "sums");
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		bind_sums_key(q, t, &keys[i * t->nkey]);
		step = sqlite3_step(q);
		if (step == SQLITE_ROW) {
			for (k = 0; k < t->nval; k++)
				v[k] = sqlite3_column_int64(q, (int)k);
			rc = fn(ctx, i, v, t->text ? (const char *)sqlite3_column_text(q, (int)t->nval) : NULL);
		} else if (step != SQLITE_DONE) {
			rc = sqerr(st, "sums");
		}
		sqlite3_reset(q);
	}
out:
	cache_put(st, q);
	buf_release(&sql);
	return rc;
}

/* PRAGMA data_version moves with other connections' commits; this
 * connection's own changes are counted by total_changes. */
static int sq_data_version(struct store *st, uint64_t *v)
{
	sqlite3_stmt *s;
	int rc;

	if (cache_get(st, "PRAGMA data_version", &s))
		return sqerr(st, "data_version");
	rc = sqlite3_step(s);
	*v = ((uint64_t)sqlite3_column_int64(s, 0) << 40) ^ (uint64_t)sqlite3_total_changes64(SQ(st)->db);
	cache_put(st, s);
	return rc == SQLITE_ROW ? 0 : sqerr(st, "data_version");
}

/* ---- backup: SQLite's online backup API (readers and writers go on) ---- */

static int copy_db(struct store *st, sqlite3 *from, sqlite3 *to, int restoring)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc;

	if (!b)
		return restoring ? err_set(&st->err, NAWAT_ESTORE, "กู้คืนไม่ได้: %s", "restore failed: %s", sqlite3_errmsg(to))
				 : err_set(&st->err, NAWAT_ESTORE, "สำรองข้อมูลไม่ได้: %s", "backup failed: %s", sqlite3_errmsg(to));
	while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(rc == SQLITE_OK ? 0 : 20);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return restoring ? err_set(&st->err, NAWAT_ESTORE, "กู้คืนไม่ได้: %s", "restore failed: %s", sqlite3_errstr(rc))
				 : err_set(&st->err, NAWAT_ESTORE, "สำรองข้อมูลไม่ได้: %s", "backup failed: %s", sqlite3_errstr(rc));
	return 0;
}

static int sq_backup(struct store *st, const char *path)
{
	struct stat sb;
	sqlite3 *to;
	int rc;

	if (stat(path, &sb) == 0)
		return err_set(&st->err, NAWAT_EEXIST, "มีไฟล์ %s อยู่แล้ว (ไม่เขียนทับ)", "%s exists (not overwritten)", path);
	if (sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		sqlite3_close(to);
		return err_set(&st->err, NAWAT_EIO, "สร้างไฟล์ %s ไม่ได้", "cannot create %s", path);
	}
	rc = copy_db(st, SQ(st)->db, to, 0);
	if (!rc && sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = err_set(&st->err, NAWAT_ESTORE, "สำรองข้อมูลไม่ได้: %s", "backup failed: %s", sqlite3_errmsg(to));
	sqlite3_close(to);
	if (rc)
		unlink(path);
	return rc;
}

/* Whether the file is a whole, undamaged nawat store: its pages pass
 * quick_check and it has nawat's own table. */
static int backup_ok(sqlite3 *db)
{
	sqlite3_stmt *q;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &q, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(q, 0), "ok"))
		ok = 1;
	sqlite3_finalize(q);
	if (!ok || sqlite3_prepare_v2(db, "SELECT value FROM nawat_meta WHERE name = 'key_fingerprint'", -1, &q,
				      NULL) != SQLITE_OK)
		return 0;
	ok = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return ok;
}

static int sq_restore(struct store *st, const char *path)
{
	sqlite3 *from;
	int rc;

	if (sqlite3_open_v2(path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(from);
		return err_set(&st->err, NAWAT_EIO, "เปิดไฟล์สำรอง %s ไม่ได้", "cannot open the backup %s", path);
	}
	if (!backup_ok(from)) {
		sqlite3_close(from);
		return err_set(&st->err, NAWAT_EINVAL, "%s ไม่ใช่ไฟล์สำรองของ nawat หรือไฟล์เสียหาย",
			       "%s is not a nawat backup, or it is damaged", path);
	}
	rc = copy_db(st, from, SQ(st)->db, 1);
	sqlite3_close(from);
	if (!rc)
		rc = sq_exec(st, "PRAGMA journal_mode = WAL");
	return rc;
}

/* ---- statements for the system tables ---- */

struct sq_stmt {
	struct store_stmt base;
	sqlite3_stmt *s;
};

static int sq_prepare(struct store *st, const char *sql, struct store_stmt **out)
{
	struct sq_stmt *q = nw_calloc(1, sizeof *q);

	*out = NULL;
	if (!q)
		return err_generic(&st->err, NAWAT_ENOMEM);
	q->base.st = st;
	if (cache_get(st, sql, &q->s)) {
		nw_free(q);
		return sqerr(st, "prepare");
	}
	*out = &q->base;
	return 0;
}

static void sq_finalize(struct store_stmt *bs)
{
	struct sq_stmt *q = (struct sq_stmt *)bs;

	cache_put(bs->st, q->s);
	nw_free(q);
}

#define SQS(bs) (((struct sq_stmt *)(bs))->s)

static int bind_rc(struct store_stmt *bs, int rc)
{
	return rc == SQLITE_OK ? 0 : sqerr(bs->st, "bind");
}

static int sq_bind_int(struct store_stmt *bs, int i, int64_t v)
{
	return bind_rc(bs, sqlite3_bind_int64(SQS(bs), i, v));
}

static int sq_bind_text(struct store_stmt *bs, int i, const char *v, size_t n)
{
	return bind_rc(bs, sqlite3_bind_text(SQS(bs), i, v, (int)n, SQLITE_TRANSIENT));
}

static int sq_bind_blob(struct store_stmt *bs, int i, const void *v, size_t n)
{
	return bind_rc(bs, sqlite3_bind_blob(SQS(bs), i, v, (int)n, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct store_stmt *bs, int i)
{
	return bind_rc(bs, sqlite3_bind_null(SQS(bs), i));
}

static int sq_step(struct store_stmt *bs)
{
	int rc = sqlite3_step(SQS(bs));

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT)
		return err_set(&bs->st->err, NAWAT_EEXIST, "ข้อมูลซ้ำหรือขัดกับข้อกำหนด: %s",
			       "duplicate or constraint failed: %s", sqlite3_errmsg(SQ(bs->st)->db));
	return sqerr(bs->st, "step");
}

static int sq_reset(struct store_stmt *bs)
{
	sqlite3_reset(SQS(bs));
	sqlite3_clear_bindings(SQS(bs));
	return 0;
}

static int sq_col_null(struct store_stmt *bs, int i)
{
	return sqlite3_column_type(SQS(bs), i) == SQLITE_NULL;
}

static int64_t sq_col_int(struct store_stmt *bs, int i)
{
	return sqlite3_column_int64(SQS(bs), i);
}

static const char *sq_col_text(struct store_stmt *bs, int i, size_t *n)
{
	const char *t = (const char *)sqlite3_column_text(SQS(bs), i);

	if (n)
		*n = t ? (size_t)sqlite3_column_bytes(SQS(bs), i) : 0;
	return t;
}

static const void *sq_col_blob(struct store_stmt *bs, int i, size_t *n)
{
	const void *b = sqlite3_column_blob(SQS(bs), i);

	if (n)
		*n = (size_t)sqlite3_column_bytes(SQS(bs), i);
	return b;
}

/* ---- submissions ---- */

static int sq_sub_create(struct store *st, struct store_sub *s)
{
	sqlite3_stmt *q;
	int rc;

	struct sq *sq = SQ(st);
	int64_t first;

	/* the lowest change number the submission may use */
	if ((rc = next_seq(st, &first)))
		return rc;
	sq->seq--;
	if (sq->ntx_subs == sq->cap_tx_subs) {
		size_t cap = sq->cap_tx_subs ? 2 * sq->cap_tx_subs : 8;
		int64_t *p = nw_realloc(sq->tx_subs, cap * sizeof *p);

		if (!p)
			return err_generic(&st->err, NAWAT_ENOMEM);
		sq->tx_subs = p;
		sq->cap_tx_subs = cap;
	}
	if (prepare(st, "INSERT INTO submissions (created_at, user_name, dataset, file_name, sha256, "
			"format, encoding, status, kind, first_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &q))
		return NAWAT_ESTORE;
	sqlite3_bind_text(q, 9, s->kind ? s->kind : "import", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 10, first);
	sqlite3_bind_text(q, 1, s->created_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, s->user_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, s->dataset, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, s->file_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, s->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, s->format, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, s->encoding, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, s->status, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : sqerr(st, "submission");
	sqlite3_finalize(q);
	if (!rc) {
		s->id = sqlite3_last_insert_rowid(sq->db);
		sq->tx_subs[sq->ntx_subs++] = s->id;
	}
	return rc;
}

static int sq_sub_finish(struct store *st, const struct store_sub *s)
{
	sqlite3_stmt *q;
	int rc;

	if (prepare(st, "UPDATE submissions SET sha256 = ?, encoding = ?, status = ?, inserted = ?, "
			"updated = ?, unchanged = ?, rejected = ?, errors = ?, warnings = ?, deleted = ? "
			"WHERE id = ?", &q))
		return NAWAT_ESTORE;
	sqlite3_bind_text(q, 1, s->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, s->encoding, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, s->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, s->inserted);
	sqlite3_bind_int64(q, 5, s->updated);
	sqlite3_bind_int64(q, 6, s->unchanged);
	sqlite3_bind_int64(q, 7, s->rejected);
	sqlite3_bind_int64(q, 8, s->errors);
	sqlite3_bind_int64(q, 9, s->warnings);
	sqlite3_bind_int64(q, 10, s->deleted);
	sqlite3_bind_int64(q, 11, s->id);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : sqerr(st, "submission");
	sqlite3_finalize(q);
	return rc;
}

static int sq_sub_issue(struct store *st, int64_t sub_id, const struct store_issue *is)
{
	sqlite3_stmt *q = SQ(st)->issue;
	int rc;

	if (!q && prepare(st, "INSERT INTO submission_issues (sub_id, row_no, column_name, value, code, "
			      "severity) VALUES (?, ?, ?, ?, ?, ?)", &SQ(st)->issue))
		return NAWAT_ESTORE;
	q = SQ(st)->issue;
	sqlite3_bind_int64(q, 1, sub_id);
	sqlite3_bind_int64(q, 2, is->row);
	sqlite3_bind_text(q, 3, is->column, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, is->value, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, is->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, is->severity, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : sqerr(st, "submission issue");
	sqlite3_reset(q);
	return rc;
}

/* ---- open / close ---- */

static void sq_close(struct store *st)
{
	struct sq *q = SQ(st);

	if (q) {
		size_t i;

		for (i = 0; i < STMT_CACHE; i++) {
			sqlite3_finalize(q->cache[i].s);
			nw_free(q->cache[i].sql);
		}
		sqlite3_finalize(q->meta_get);
		sqlite3_finalize(q->meta_set);
		sqlite3_finalize(q->issue);
		sqlite3_finalize(q->rollback);
		nw_free(q->tx_subs);
		if (q->db && !sqlite3_get_autocommit(q->db))
			sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
		if (q->db)
			bulk_give_back(st);
		sqlite3_close_v2(q->db);
		nw_free(q);
	}
	nw_free(st->url);
	nw_free(st);
}

static int64_t sq_bytes(struct store *st)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	if (sqlite3_prepare_v2(SQ(st)->db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
			       -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.dialect = &schema_sqlite,
	.close = sq_close,
	.exec = sq_exec,
	.table_columns = sq_table_columns,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.rollback_to = sq_rollback_to,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.size = sq_bytes,
	.writer_open = sq_writer_open,
	.writer_put = sq_writer_put,
	.writer_close = sq_writer_close,
	.delete_rows = sq_delete_rows,
	.ref_open = sq_ref_open,
	.ref_lookup = sq_ref_lookup,
	.ref_close = sq_ref_close,
	.scan_open = sq_scan_open,
	.scan_next = sq_scan_next,
	.scan_close = sq_scan_close,
	.count = sq_count,
	.data_version = sq_data_version,
	.backup = sq_backup,
	.restore = sq_restore,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.col_null = sq_col_null,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.scan_prefix_many = sq_scan_prefix_many,
	.sums_add = sq_sums_add,
	.sums_get_many = sq_sums_get_many,
	.sums_put = sq_sums_put,
	.sub_create = sq_sub_create,
	.sub_finish = sq_sub_finish,
	.sub_issue = sq_sub_issue,
};

static int thai_cmp(void *arg, int na, const void *a, int nb, const void *b)
{
	(void)arg;
	return thai_collate(a, (size_t)na, b, (size_t)nb);
}

/* SQLite allocates through nawat's allocator (mem.h), so that the tests
 * that make allocations fail reach SQLite's too.  Each block carries its
 * size in front (xSize), 16 bytes to keep malloc's alignment. */
#define SQ_HDR 16

static void *sq_malloc(int n)
{
	char *p = nw_malloc((size_t)n + SQ_HDR);

	if (!p)
		return NULL;
	*(size_t *)p = (size_t)n;
	return p + SQ_HDR;
}

static void sq_free(void *p)
{
	if (p)
		nw_free((char *)p - SQ_HDR);
}

static void *sq_realloc(void *p, int n)
{
	char *q;

	if (!p)
		return sq_malloc(n);
	q = nw_realloc((char *)p - SQ_HDR, (size_t)n + SQ_HDR);
	if (!q)
		return NULL;
	*(size_t *)q = (size_t)n;
	return q + SQ_HDR;
}

static int sq_size(void *p)
{
	return p ? (int)*(size_t *)((char *)p - SQ_HDR) : 0;
}

static int sq_roundup(int n)
{
	return (n + 7) & ~7;
}

static int sq_mem_init(void *ud)
{
	(void)ud;
	return SQLITE_OK;
}

static void sq_mem_shutdown(void *ud)
{
	(void)ud;
}

/* No global statistics of memory use: they put a mutex on every allocation. */
static void sq_global_init(void)
{
	static const sqlite3_mem_methods mem = {
		sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_mem_init, sq_mem_shutdown, NULL
	};

	sqlite3_config(SQLITE_CONFIG_MALLOC, &mem);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_sqlite_open(const char *path, const struct std_package *pkg, int create,
		      struct store **out, struct nw_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	struct store *st;
	struct sq *q;
	struct stat sb;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	pthread_once(&once, sq_global_init);
	*out = NULL;
	if (!create && stat(path, &sb) != 0)
		return err_set(err, NAWAT_ENOTFOUND,
			       "ไม่พบฐานข้อมูล %s (สร้างด้วย nawat init)",
			       "no store at %s (create one with nawat init)", path);
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	st = nw_calloc(1, sizeof *st);
	q = nw_calloc(1, sizeof *q);
	if (!st || !q) {
		nw_free(st);
		nw_free(q);
		return err_generic(err, NAWAT_ENOMEM);
	}
	st->ops = &sqlite_ops;
	st->pkg = pkg;
	st->impl = q;
	st->url = nw_strdup(path);
	if (!st->url) {
		sq_close(st);
		return err_generic(err, NAWAT_ENOMEM);
	}
	if (sqlite3_open_v2(path, &q->db, flags, NULL) != SQLITE_OK) {
		err_set(err, NAWAT_ESTORE, "เปิดฐานข้อมูล %s ไม่ได้: %s", "cannot open store %s: %s", path,
			q->db ? sqlite3_errmsg(q->db) : "out of memory");
		sq_close(st);
		return NAWAT_ESTORE;
	}
	sqlite3_extended_result_codes(q->db, 0);
	sqlite3_create_collation(q->db, "thai", SQLITE_UTF8, NULL, thai_cmp);
	if (sqlite3_create_module(q->db, "nw_rows", &rows_module, q) != SQLITE_OK) {
		sq_close(st);
		return err_generic(err, NAWAT_ENOMEM);
	}
	sqlite3_busy_timeout(q->db, BUSY_MS);
	/* A new store gets 16 KiB pages: a quarter of the pages (and of the WAL
	 * frames and system calls) of the default for the same rows, which
	 * imports and scans of big tables feel most.  Only possible before the
	 * first table. */
	if (create && sq_exec(st, "PRAGMA page_size = 16384")) {
		*err = st->err;
		sq_close(st);
		return NAWAT_ESTORE;
	}
	/* WAL: readers never block the writer; NORMAL is durable at each checkpoint
	 * and safe against corruption; a 32 MiB page cache keeps imports fast and
	 * memory bounded. */
	if (sq_exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
			"PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768; "
			"PRAGMA temp_store = FILE")) {
		if (sqlite3_errcode(q->db) == SQLITE_BUSY)
			err_set(&st->err, NAWAT_EBUSY,
				"ที่เก็บข้อมูล %s ถูกใช้อยู่ (อาจกำลังนำเข้าข้อมูลชุดใหญ่) ลองใหม่เมื่อเสร็จ",
				"the store %s is busy (a large import may be running): try again when it ends", path);
		*err = st->err;
		sq_close(st);
		return err->code == NAWAT_EBUSY ? NAWAT_EBUSY : NAWAT_ESTORE;
	}
	*out = st;
	return 0;
}
