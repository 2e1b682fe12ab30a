/* store.c - opening a store by URL and migrating it (see store.h). */
#include "store.h"

#include <string.h>

#include "../base/arena.h"
#include "../base/mem.h"
#include "../base/sha256.h"
#include "../standard/validate.h"
#include "schema.h"

static const struct store_observer *observer;

void store_set_observer(const struct store_observer *obs)
{
	observer = obs;
}

size_t store_obs_ref_fields(struct store *st, const struct std_dataset *ds, const struct std_fk *fk, int *fields,
			    size_t max)
{
	return st->obs && st->obs->ref_fields ? st->obs->ref_fields(st, ds, fk, fields, max) : 0;
}

int store_open(const char *url, const struct std_package *pkg, int create,
	       struct store **out, struct nw_err *err)
{
	int rc;

	*out = NULL;
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
		(void)create; /* a server database is made by its administrator */
		rc = store_pg_open(url, pkg, out, err);
	} else {
		if (!strncmp(url, "sqlite:", 7))
			url += 7;
		rc = store_sqlite_open(url, pkg, create, out, err);
	}
	if (!rc)
		(*out)->obs = observer;
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->obs && st->obs->close)
		st->obs->close(st);
	st->ops->close(st);
}

/* ---- transactions and writes, with the observer ---- */

int store_begin_flags(struct store *st, int flags)
{
	if (st->obs)
		st->obs->discard(st); /* nothing left over from an earlier one */
	return st->ops->begin(st, flags);
}

int store_commit(struct store *st)
{
	int rc;

	if (st->obs && (rc = st->obs->flush(st, 1)))
		return rc;
	return st->ops->commit(st);
}

int store_rollback(struct store *st)
{
	if (st->obs)
		st->obs->discard(st);
	return st->ops->rollback(st);
}

int store_savepoint(struct store *st, const char *n)
{
	int rc;

	/* what is pending belongs before the savepoint */
	if (st->obs && (rc = st->obs->flush(st, 0)))
		return rc;
	return st->ops->savepoint(st, n);
}

int store_rollback_to(struct store *st, const char *n)
{
	/* what is pending came after the savepoint (store_savepoint flushed) */
	if (st->obs)
		st->obs->discard(st);
	return st->ops->rollback_to(st, n);
}

int store_writer_put(struct store_writer *w, struct store_row *rows, size_t n)
{
	struct store *st = w->st;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		rows[i].old = NULL;
	if (st->obs && (rc = st->obs->before(st, w->ds, rows, n, 0)))
		return rc;
	if ((rc = st->ops->writer_put(w, rows, n)))
		return rc;
	return st->obs ? st->obs->after(st, w->ds, rows, n, 0) : 0;
}

int store_delete(struct store *st, const struct std_dataset *ds, int64_t sub_id,
		 const struct store_scope *scope, struct store_row *rows, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		rows[i].old = NULL;
	if (st->obs && (rc = st->obs->before(st, ds, rows, n, 1)))
		return rc;
	if ((rc = st->ops->delete_rows(st, ds, sub_id, scope, rows, n)))
		return rc;
	return st->obs ? st->obs->after(st, ds, rows, n, 1) : 0;
}

int store_touch_before(struct store *st, const struct std_dataset *ds, const struct store_row *rows, size_t n)
{
	return st->obs ? st->obs->touch(st, ds, rows, n, 0) : 0;
}

int store_touch_after(struct store *st, const struct std_dataset *ds, const struct store_row *rows, size_t n)
{
	return st->obs ? st->obs->touch(st, ds, rows, n, 1) : 0;
}

static int has_col(const struct buf *cols, const char *name)
{
	const char *p = cols->data, *end = cols->data + cols->len;

	while (p && p < end) {
		if (!strcmp(p, name))
			return 1;
		p += strlen(p) + 1;
	}
	return 0;
}

static int log_migration(struct store *st, const char *name)
{
	struct buf sql;
	int rc;
	size_t i;

	/* the name is built from package identifiers and fixed text; quote it anyway */
	buf_init(&sql, 4096);
	rc = buf_puts(&sql, "INSERT INTO nawat_migrations (name, applied_at) VALUES ('");
	for (i = 0; name[i] && !rc; i++)
		rc = name[i] == '\'' ? buf_puts(&sql, "''") : buf_putc(&sql, name[i]);
	if (!rc)
		rc = buf_puts(&sql, "', CURRENT_TIMESTAMP)");
	if (!rc)
		rc = st->ops->exec(st, buf_str(&sql));
	else
		rc = err_generic(&st->err, rc);
	buf_release(&sql);
	return rc;
}

int store_migrate(struct store *st)
{
	const struct schema_dialect *d = st->ops->dialect;
	const struct std_package *pkg = st->pkg;
	struct buf sql, cols, name;
	const char *mname, *text;
	char col[64], key[64], have[32];
	int rc, exists, n, del, rebuild = 0;
	size_t i, j, w;

	buf_init(&sql, 1 << 20);
	buf_init(&cols, 1 << 20);
	buf_init(&name, 4096);
	/* (foreign keys off where tables may be made again: their rows are
	 * copied as they are) */
	rc = d->seq_rowid ? store_begin_flags(st, STORE_REFS_CHECKED) : store_begin(st);
	if (rc)
		goto out;
	if ((rc = st->ops->table_columns(st, "nawat_migrations", &cols, &exists)))
		goto fail;
	if (!exists) {
		buf_reset(&sql);
		if ((rc = buf_printf(&sql, "CREATE TABLE nawat_migrations (id %s, name TEXT NOT NULL, "
				     "applied_at TEXT NOT NULL)", d->serial_pk)))
			goto nomem;
		if ((rc = st->ops->exec(st, buf_str(&sql))))
			goto fail;
	}
	/* system migrations, each once */
	for (n = 1;; n++) {
		buf_reset(&sql);
		text = schema_system_migration(d, n, &mname, &sql);
		if (!text)
			break;
		snprintf(key, sizeof key, "system_migration_%d", n);
		if (exists && store_meta_get(st, key, have, sizeof have) == 0)
			continue;
		if ((rc = st->ops->exec(st, text)) || (rc = log_migration(st, mname)) ||
		    (rc = store_meta_set(st, key, "applied")))
			goto fail;
	}
	/* a store whose tables were made before nw_seq became the rowid */
	if (d->seq_rowid && exists && store_meta_get(st, "seq_rowid", have, sizeof have) != 0)
		rebuild = 1;
	/* data sets: create, or add what the package added */
	for (i = 0; i < pkg->ndatasets; i++) {
		const struct std_dataset *ds = &pkg->datasets[i];

		for (del = 0; del < 2; del++) {
			char tbuf[80];
			const char *tname = schema_table(ds, del, tbuf, sizeof tbuf);

			buf_reset(&cols);
			if ((rc = st->ops->table_columns(st, tname, &cols, &exists)))
				goto fail;
			if (!exists) {
				buf_reset(&sql);
				buf_reset(&name);
				/* (a data set's table made before deletions were kept
				 * gets the index of change numbers with them) */
				if ((del ? schema_create_deletions(d, ds, &sql) : schema_create_table(d, ds, &sql)) ||
				    (del && schema_seq_index(d, ds, 0, &sql)) ||
				    buf_printf(&name, "%s: create table (standard %s)", tname, pkg->version))
					goto nomem;
				if ((rc = st->ops->exec(st, buf_str(&sql))) ||
				    (rc = log_migration(st, buf_str(&name))))
					goto fail;
				continue;
			}
			for (j = 0; j < ds->nfields; j++) {
				for (w = 0; w < schema_ncols(&ds->fields[j]); w++) {
					if (has_col(&cols, schema_col(&ds->fields[j], (int)w, col, sizeof col)))
						continue;
					buf_reset(&sql);
					buf_reset(&name);
					if (schema_add_column(d, ds, del, &ds->fields[j], (int)w, &sql) ||
					    buf_printf(&name, "%s: add column %s (standard %s)", tname, col,
						       pkg->version))
						goto nomem;
					if ((rc = st->ops->exec(st, buf_str(&sql))) ||
					    (rc = log_migration(st, buf_str(&name))))
						goto fail;
				}
			}
			if (rebuild) {
				buf_reset(&sql);
				buf_reset(&name);
				if (schema_rebuild_table(d, ds, del, &sql) ||
				    buf_printf(&name, "%s: change number as the rowid", tname))
					goto nomem;
				if ((rc = st->ops->exec(st, buf_str(&sql))) ||
				    (rc = log_migration(st, buf_str(&name))))
					goto fail;
			}
		}
	}
	if (d->seq_rowid && (rc = store_meta_set(st, "seq_rowid", "1")))
		goto fail;
	/* nawat's own indexes, once the data sets' tables are there */
	for (i = 0;; i++) {
		buf_reset(&sql);
		n = schema_own_index(pkg, i, &sql);
		if (n == 0)
			break;
		if (n < 0)
			goto nomem;
		if (n == 2 && (rc = st->ops->exec(st, buf_str(&sql))))
			goto fail;
	}
	if ((rc = store_meta_set(st, "standard_version", pkg->version)))
		goto fail;
	if (st->obs && st->obs->migrated && (rc = st->obs->migrated(st)))
		goto fail;
	rc = store_commit(st);
	goto out;
nomem:
	rc = err_generic(&st->err, NAWAT_ENOMEM);
fail:
	store_rollback(st);
out:
	buf_release(&sql);
	buf_release(&cols);
	buf_release(&name);
	return rc;
}

void store_writer_note_old(struct store_writer *w, const struct std_dataset *ds,
			   const struct val_value *old)
{
	struct sha256 *h = w->old_digest;
	char num[VAL_NUMBER_MAX];
	size_t i;
	int n;

	if (!h) {
		h = nw_calloc(1, sizeof *h);
		if (!h || sha256_init(h)) {
			nw_free(h);
			return;
		}
		w->old_digest = h;
	}
	w->replaced++;
	for (i = 0; i < ds->nfields; i++) {
		const struct val_value *v = &old[i];

		if (v->state != VAL_SET) {
			sha256_update(h, "\0", 1);
			continue;
		}
		if (ds->fields[i].pii || (ds->fields[i].type != STD_INTEGER && ds->fields[i].type != STD_NUMBER)) {
			n = snprintf(num, sizeof num, "%zu:", v->n);
			sha256_update(h, num, (size_t)n);
			sha256_update(h, v->s, v->n);
		} else {
			n = ds->fields[i].type == STD_INTEGER
				    ? snprintf(num, sizeof num, "%lld", (long long)v->i)
				    : (int)val_format_number(v->d, num, sizeof num);
			sha256_update(h, num, (size_t)n);
		}
		sha256_update(h, ";", 1);
	}
}

void store_writer_old_digest(struct store_writer *w, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];
	struct sha256 h0;
	int i;

	if (!w->old_digest) {
		if (sha256_init(&h0)) {
			out[0] = '\0';
			return;
		}
		sha256_final(&h0, d);
	} else {
		sha256_final(w->old_digest, d);
		nw_free(w->old_digest);
		w->old_digest = NULL;
	}
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

void store_writer_release(struct store_writer *w)
{
	if (w->old_digest) {
		sha256_release(w->old_digest);
		nw_free(w->old_digest);
		w->old_digest = NULL;
	}
}

static int keep_copy(struct arena *a, struct val_value *v)
{
	if (v->state == VAL_SET && v->s && !(v->s = arena_strndup(a, v->s, v->n)))
		return NAWAT_ENOMEM;
	if (v->blob_n && !(v->blob = (const unsigned char *)arena_strndup(a, (const char *)v->blob, v->blob_n)))
		return NAWAT_ENOMEM;
	return 0;
}

int store_ref_lookup_many(struct store_ref *r, size_t n, const struct val_value *keys,
			  const struct val_value *near, int *found, struct val_value *fetched)
{
	struct arena *a = r->many_mem;
	size_t i, j, nkey = r->target->nkey;
	int rc;

	if (r->st->ops->ref_lookup_many)
		return r->st->ops->ref_lookup_many(r, n, keys, near, found, fetched);
	/* one lookup at a time (by key: near is no help); the answers are copied, as the next overwrites */
	if (!a) {
		if (!(a = nw_malloc(sizeof *a)))
			return err_generic(&r->st->err, NAWAT_ENOMEM);
		arena_init(a, 16 * 1024, 0);
		r->many_mem = a;
	}
	arena_reset(a);
	for (i = 0; i < n; i++) {
		if ((rc = r->st->ops->ref_lookup(r, &keys[i * nkey], &found[i], &fetched[i * r->nfetch])))
			return rc;
		for (j = 0; found[i] && j < r->nfetch; j++)
			if (keep_copy(a, &fetched[i * r->nfetch + j]))
				return err_generic(&r->st->err, NAWAT_ENOMEM);
	}
	return 0;
}

void store_ref_base_release(struct store_ref *r)
{
	if (r->many_mem) {
		arena_release(r->many_mem);
		nw_free(r->many_mem);
		r->many_mem = NULL;
	}
}

int store_err_referenced(struct store *st, const struct std_dataset *ds)
{
	const struct std_package *pkg = st->pkg;
	char names[256] = "";
	size_t i, k, len = 0;

	for (i = 0; i < pkg->ndatasets; i++)
		for (k = 0; k < pkg->datasets[i].nfk; k++)
			if (pkg->datasets[i].fks[k].target == ds && len + 64 < sizeof names) {
				len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
							pkg->datasets[i].name);
				break;
			}
	return err_set(&st->err, NAWAT_ECONFLICT,
		       "ลบ %s ไม่ได้: ยังมีข้อมูลใน %s อ้างถึงแถวนี้ (ลบข้อมูลเหล่านั้นก่อน)",
		       "cannot delete from %s: rows of %s still refer to it (delete those first)", ds->name,
		       names[0] ? names : "?");
}

/* Binds v, a value of field f, as the comparison with its (first) column. */
static int bind_value(struct store_stmt *q, int i, const struct std_field *f, const struct val_value *v)
{
	char num[VAL_NUMBER_MAX];

	if (v->state != VAL_SET)
		return store_bind_null(q, i);
	if (f->pii)
		return store_bind_blob(q, i, v->s, v->n);
	switch (f->type) {
	case STD_INTEGER:
		return store_bind_int(q, i, v->i);
	case STD_NUMBER:
		return store_bind_text(q, i, num, val_format_number(v->d, num, sizeof num));
	default:
		return store_bind_text(q, i, v->s, v->n);
	}
}

int store_referenced_by(struct store *st, const struct std_dataset *ds, const struct val_value *key_vals,
			const char **by)
{
	const struct std_package *pkg = st->pkg;
	struct store_stmt *q;
	struct buf sql;
	char col[64];
	size_t i, k, j;
	int rc = 0, found = 0;

	*by = NULL;
	buf_init(&sql, 1 << 16);
	for (i = 0; i < pkg->ndatasets && !rc && !found; i++) {
		const struct std_dataset *r = &pkg->datasets[i];

		for (k = 0; k < r->nfk && !rc && !found; k++) {
			const struct std_fk *fk = &r->fks[k];

			if (fk->target != ds)
				continue;
			/* a reference to the key (as the standard's are) */
			for (j = 0; j < fk->n; j++)
				if (ds->fields[fk->target_fields[j]].key_pos < 0)
					break;
			if (j < fk->n)
				continue;
			buf_reset(&sql);
			if (buf_printf(&sql, "SELECT 1 FROM %s WHERE ", r->name)) {
				rc = err_generic(&st->err, NAWAT_ENOMEM);
				break;
			}
			for (j = 0; j < fk->n && !rc; j++)
				rc = buf_printf(&sql, "%s%s = ?", j ? " AND " : "",
						schema_col(&r->fields[fk->fields[j]], 0, col, sizeof col));
			if (rc || buf_puts(&sql, " LIMIT 1")) {
				rc = err_generic(&st->err, NAWAT_ENOMEM);
				break;
			}
			if ((rc = store_prepare(st, buf_str(&sql), &q)))
				break;
			for (j = 0; j < fk->n && !rc; j++)
				rc = bind_value(q, (int)j + 1, &ds->fields[fk->target_fields[j]],
						&key_vals[fk->target_fields[j]]);
			if (!rc) {
				rc = store_step(q);
				if (rc == 1) {
					found = 1;
					*by = r->name;
					rc = 0;
				}
			}
			store_finalize(q);
		}
	}
	buf_release(&sql);
	return rc < 0 ? rc : found;
}

int store_sealed_copy(struct store *st, const struct std_dataset *ds, int field, const unsigned char *hash,
		      size_t hash_n, unsigned char *out, size_t cap, size_t *n)
{
	const struct std_field *f = &ds->fields[field];
	struct store_stmt *q;
	char h[64], sealed[64], sql[256];
	const void *b;
	size_t len;
	int del, rc = 0;

	*n = 0;
	if (!f->pii || !f->pii_seal)
		return 0;
	schema_col(f, 0, h, sizeof h);
	schema_col(f, 1, sealed, sizeof sealed);
	for (del = 0; del < 2 && !*n && !rc; del++) {
		char t[80];

		snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s = ? LIMIT 1", sealed,
			 schema_table(ds, del, t, sizeof t), h);
		if ((rc = store_prepare(st, sql, &q)))
			break;
		if (!(rc = store_bind_blob(q, 1, hash, hash_n)) && (rc = store_step(q)) == 1) {
			rc = 0;
			b = store_col_blob(q, 0, &len);
			if (b && len <= cap) {
				memcpy(out, b, len);
				*n = len;
			}
		}
		store_finalize(q);
	}
	return rc < 0 ? rc : *n > 0;
}

int store_count_groups(struct store *st, const struct std_dataset *ds, const struct store_query *q,
		       const int *fields, size_t nfields,
		       int (*fn)(void *ctx, const char *const *vals, int64_t n), void *ctx)
{
	struct qparam params[QPARAM_MAX];
	struct store_query qq;
	struct store_stmt *s = NULL;
	struct buf sql, what, pat;
	const char *vals[8];
	char col[64];
	size_t i;
	int rc = 0, np = QPARAM_MAX;

	if (nfields > 8)
		return err_generic(&st->err, NAWAT_ELIMIT);
	for (i = 0; i < nfields; i++)
		if (ds->fields[fields[i]].pii)
			return err_generic(&st->err, NAWAT_EINVAL);
	qq = q ? *q : (struct store_query){ 0 };
	qq.limit = qq.offset = 0;
	qq.order_by = 0;
	qq.after = NULL;
	qq.changes = 0;
	buf_init(&sql, 1 << 16);
	buf_init(&what, 4096);
	buf_init(&pat, 4096);
	for (i = 0; i < nfields && !rc; i++)
		rc = buf_printf(&what, "%s, ", schema_col(&ds->fields[fields[i]], 0, col, sizeof col));
	if (!rc)
		rc = buf_puts(&what, "count(*)");
	if (!rc)
		rc = schema_query(st->ops->dialect, ds, &qq, buf_str(&what), 0, &sql, params, &np);
	for (i = 0; i < nfields && !rc; i++)
		rc = buf_printf(&sql, "%s%s", i ? ", " : " GROUP BY ",
				schema_col(&ds->fields[fields[i]], 0, col, sizeof col));
	if (!rc && qq.search)
		rc = schema_like_pattern(qq.search, &pat);
	if (rc) {
		rc = err_generic(&st->err, rc == NAWAT_ELIMIT ? NAWAT_ELIMIT : NAWAT_ENOMEM);
		goto out;
	}
	if ((rc = store_prepare(st, buf_str(&sql), &s)))
		goto out;
	for (i = 0; i < (size_t)np && !rc; i++) {
		switch (params[i].kind) {
		case QP_FILTER:
			rc = bind_value(s, (int)i + 1, &ds->fields[qq.filters[params[i].index].field],
					&qq.filters[params[i].index].value);
			break;
		case QP_SCOPE:
			rc = store_bind_str(s, (int)i + 1, qq.scope.code);
			break;
		case QP_SEARCH:
			rc = store_bind_text(s, (int)i + 1, buf_str(&pat), pat.len);
			break;
		default:
			rc = NAWAT_EINVAL;
		}
	}
	if (rc) {
		rc = err_generic(&st->err, rc);
		goto out;
	}
	while ((rc = store_step(s)) == 1) {
		for (i = 0; i < nfields; i++)
			vals[i] = store_col_null(s, (int)i) ? NULL : store_col_text(s, (int)i, NULL);
		if ((rc = fn(ctx, vals, store_col_int(s, (int)nfields))))
			break;
	}
out:
	store_finalize(s);
	buf_release(&sql);
	buf_release(&what);
	buf_release(&pat);
	return rc < 0 ? rc : 0;
}
