/* relink.c - a student's history moved to another citizen ID (see relink.h). */
#include "relink.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/arena.h"
#include "audit.h"
#include "tally.h"

static store_relink_fn hook_fn;
static void *hook_arg;

void store_relink_hook(store_relink_fn fn, void *arg)
{
	hook_fn = fn;
	hook_arg = arg;
}

/* The data set of persons: one with a personal-data key field that is not
 * part of a reference (students' citizen_id); its index in *field. */
static const struct std_dataset *person_set(const struct std_package *pkg, int *field)
{
	size_t i, j, k, m;

	for (i = 0; i < pkg->ndatasets; i++) {
		const struct std_dataset *ds = &pkg->datasets[i];

		for (j = 0; j < ds->nkey; j++) {
			int f = ds->key[j], in_fk = 0;

			if (!ds->fields[f].pii)
				continue;
			for (k = 0; k < ds->nfk && !in_fk; k++)
				for (m = 0; m < ds->fks[k].n; m++)
					in_fk |= ds->fks[k].fields[m] == f;
			if (!in_fk) {
				*field = f;
				return ds;
			}
		}
	}
	return NULL;
}

/* The data sets that move: the persons', then those whose reference to it
 * carries the ID, in the package's order. */
static int find_sets(const struct std_package *pkg, struct relink_result *res)
{
	const struct std_dataset *p;
	int pf;
	size_t i, k, m;

	if (!(p = person_set(pkg, &pf)))
		return NAWAT_ENOTFOUND;
	res->sets[0].ds = p;
	res->sets[0].field = pf;
	res->nsets = 1;
	for (i = 0; i < pkg->ndatasets; i++) {
		const struct std_dataset *ds = &pkg->datasets[i];

		for (k = 0; k < ds->nfk; k++) {
			if (ds->fks[k].target != p)
				continue;
			for (m = 0; m < ds->fks[k].n; m++)
				if (ds->fks[k].target_fields[m] == pf && res->nsets < RELINK_MAX_SETS) {
					res->sets[res->nsets].ds = ds;
					res->sets[res->nsets].field = ds->fks[k].fields[m];
					res->nsets++;
				}
		}
	}
	return 0;
}

/* ---- rows in memory ---- */

struct rows {
	struct val_value *v;      /* n rows of nfields values */
	size_t n, cap;
};

static int keep_value(struct arena *a, struct val_value *v)
{
	if (v->s && !(v->s = arena_strndup(a, v->s, v->n)))
		return NAWAT_ENOMEM;
	if (v->blob && !(v->blob = (const unsigned char *)arena_strndup(a, (const char *)v->blob, v->blob_n)))
		return NAWAT_ENOMEM;
	return 0;
}

/* A query of the rows whose field is the ID with this hash. */
static void id_query(struct store_query *q, struct store_filter *f, int field, const unsigned char *hash)
{
	memset(q, 0, sizeof *q);
	memset(f, 0, sizeof *f);
	f->field = field;
	f->value.state = VAL_SET;
	f->value.s = (const char *)hash;
	f->value.n = PII_HASH_LEN;
	q->filters = f;
	q->nfilters = 1;
}

/* The rows of ds whose field is hash, copied into a. */
static int load(struct store *st, const struct std_dataset *ds, int field, const unsigned char *hash,
		struct arena *a, struct rows *out)
{
	struct store_filter f;
	struct store_query q;
	struct store_scan *sc = NULL;
	struct val_value *vals;
	size_t i;
	int rc;

	memset(out, 0, sizeof *out);
	id_query(&q, &f, field, hash);
	if (!(vals = arena_alloc(a, ds->nfields * sizeof *vals)))
		return err_generic(&st->err, NAWAT_ENOMEM);
	if ((rc = store_scan_open(st, ds, &q, &sc)))
		return rc;
	while ((rc = store_scan_next(sc, vals)) == 1) {
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;
			struct val_value *v = arena_alloc(a, cap * ds->nfields * sizeof *v);

			if (!v) {
				rc = err_generic(&st->err, NAWAT_ENOMEM);
				break;
			}
			if (out->n)
				memcpy(v, out->v, out->n * ds->nfields * sizeof *v);
			out->v = v;
			out->cap = cap;
		}
		memcpy(&out->v[out->n * ds->nfields], vals, ds->nfields * sizeof *vals);
		for (i = 0; i < ds->nfields; i++)
			if (keep_value(a, &out->v[out->n * ds->nfields + i])) {
				rc = err_generic(&st->err, NAWAT_ENOMEM);
				break;
			}
		if (rc < 0)
			break;
		out->n++;
	}
	store_scan_close(sc);
	return rc < 0 ? rc : 0;
}

static int same(const struct std_field *f, const struct val_value *a, const struct val_value *b)
{
	if (a->state != VAL_SET || b->state != VAL_SET)
		return (a->state == VAL_SET) == (b->state == VAL_SET);
	if (f->type == STD_INTEGER && !f->pii)
		return a->i == b->i;
	if (f->type == STD_NUMBER && !f->pii)
		return a->d == b->d;
	return a->n == b->n && !memcmp(a->s, b->s, a->n);
}

/* The other parts of a row's key, as text: "2567/1/K/MAT/SCH". */
static void key_text(const struct std_dataset *ds, int skip, const struct val_value *v, char *out, size_t n)
{
	size_t k, len = 0;

	out[0] = '\0';
	for (k = 0; k < ds->nkey && len + 1 < n; k++) {
		const struct std_field *f = &ds->fields[ds->key[k]];
		const struct val_value *x = &v[ds->key[k]];

		if (ds->key[k] == skip)
			continue;
		if (len)
			out[len++] = '/';
		if (x->state != VAL_SET)
			len += (size_t)snprintf(out + len, n - len, "-");
		else if (f->type == STD_INTEGER)
			len += (size_t)snprintf(out + len, n - len, "%lld", (long long)x->i);
		else
			len += (size_t)snprintf(out + len, n - len, "%.*s", (int)x->n, x->s);
		if (len >= n)
			len = n - 1;
	}
	out[len] = '\0';
}

/* Pairs each old row with the new ID's row of the same key: a merge when
 * every other value is the same, else a conflict.  merged[i] = 1 for the
 * old rows that merge. */
static void check_conflicts(struct relink_result *res, struct relink_set *s, const struct rows *old,
			    const struct rows *cur, unsigned char *merged)
{
	const struct std_dataset *ds = s->ds;
	size_t i, j, k, nf = ds->nfields;

	for (i = 0; i < old->n; i++) {
		const struct val_value *o = &old->v[i * nf];

		merged[i] = 0;
		for (j = 0; j < cur->n; j++) {
			const struct val_value *c = &cur->v[j * nf];
			const char *differs = NULL;

			for (k = 0; k < ds->nkey; k++)
				if (ds->key[k] != s->field && !same(&ds->fields[ds->key[k]], &o[ds->key[k]], &c[ds->key[k]]))
					break;
			if (k < ds->nkey)
				continue;
			for (k = 0; k < nf && !differs; k++)
				if (ds->fields[k].key_pos < 0 && !same(&ds->fields[k], &o[k], &c[k]))
					differs = ds->fields[k].name;
			if (!differs) {
				merged[i] = 1;
				s->merged++;
			} else {
				if (res->nconflicts < RELINK_MAX_CONFLICTS) {
					struct relink_conflict *cf = &res->conflicts[res->nconflicts++];

					cf->ds = ds;
					cf->field = differs;
					key_text(ds, s->field, o, cf->key, sizeof cf->key);
				}
				res->conflicts_total++;
			}
			break;
		}
	}
}

/* How many rows of the old ID are in scope. */
static int in_scope(struct store *st, const struct std_dataset *ds, int field, const unsigned char *hash,
		    const struct store_scope *scope, int64_t total, int64_t *n)
{
	struct store_filter f;
	struct store_query q;

	*n = total;
	if (scope->kind == SCOPE_ALL)
		return 0;
	id_query(&q, &f, field, hash);
	q.scope = *scope;
	return store_count(st, ds, &q, n);
}

static int always(void *ctx, int field)
{
	(void)ctx;
	(void)field;
	return 1;
}

static void now_iso(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes the old rows of one set under the new ID (the writer), counting per school. */
static int write_new(struct store *st, struct relink_set *s, const struct rows *old, const unsigned char *new_hash,
		     const unsigned char *sealed, size_t sealed_n, struct arena *a, struct tally *t)
{
	const struct std_dataset *ds = s->ds;
	struct store_writer *w = NULL;
	struct store_row *rows;
	size_t i, nf = ds->nfields;
	int rc;

	if (!old->n)
		return 0;
	rows = arena_alloc(a, old->n * sizeof *rows);
	if (!rows)
		return err_generic(&st->err, NAWAT_ENOMEM);
	for (i = 0; i < old->n; i++) {
		struct val_value *v = arena_alloc(a, nf * sizeof *v);

		if (!v)
			return err_generic(&st->err, NAWAT_ENOMEM);
		memcpy(v, &old->v[i * nf], nf * sizeof *v);
		v[s->field].s = (const char *)new_hash;
		v[s->field].n = PII_HASH_LEN;
		v[s->field].blob = sealed;
		v[s->field].blob_n = sealed_n;
		rows[i].line = i + 1;
		rows[i].vals = v;
		rows[i].result = STORE_PENDING;
		rows[i].ref = NULL;
	}
	if ((rc = store_writer_open(st, ds, s->sub_id, &w)))
		return rc;
	for (i = 0; i < old->n && !rc; i += store_batch_rows(st))
		rc = store_writer_put(w, rows + i, old->n - i < store_batch_rows(st) ? old->n - i : store_batch_rows(st));
	store_writer_close(w);
	for (i = 0; i < old->n && !rc; i++) {
		if (rows[i].result != STORE_INSERTED && rows[i].result != STORE_UNCHANGED)
			return err_msg(&st->err, NAWAT_ESTORE, "ย้ายประวัติไม่สำเร็จ: แถวของรหัสใหม่เปลี่ยนระหว่างทำงาน",
				       "relink failed: a row of the new ID changed meanwhile");
		s->moved++;
		tally_add(t, ds, rows[i].vals, always, NULL,
			  rows[i].result == STORE_INSERTED ? TALLY_INSERTED : TALLY_UNCHANGED);
	}
	return rc;
}

/* Removes the old rows of one set (their keys go to the change feed's deletions). */
static int delete_old(struct store *st, struct relink_set *s, const struct rows *old, struct arena *a,
		      struct tally *t)
{
	struct store_scope all = { SCOPE_ALL, NULL };
	struct store_row *rows;
	size_t i;
	int rc;

	if (!old->n)
		return 0;
	if (!(rows = arena_alloc(a, old->n * sizeof *rows)))
		return err_generic(&st->err, NAWAT_ENOMEM);
	for (i = 0; i < old->n; i++) {
		rows[i].line = i + 1;
		rows[i].vals = &old->v[i * s->ds->nfields];
		rows[i].result = STORE_PENDING;
		rows[i].ref = NULL;
	}
	if ((rc = store_delete(st, s->ds, s->sub_id, &all, rows, old->n)))
		return rc;
	for (i = 0; i < old->n; i++) {
		if (rows[i].result != STORE_DELETED)
			return err_msg(&st->err, NAWAT_ESTORE, "ย้ายประวัติไม่สำเร็จ: ลบแถวของรหัสเดิมไม่ได้",
				       "relink failed: a row of the old ID could not be removed");
		tally_add(t, s->ds, rows[i].vals, always, NULL, TALLY_DELETED);
	}
	return 0;
}

int store_relink(struct store *st, const struct relink_args *a, struct relink_result *res)
{
	unsigned char old_h[PII_HASH_LEN], new_h[PII_HASH_LEN], sealed[PII_SEALED_MAX];
	struct rows old[RELINK_MAX_SETS], cur[RELINK_MAX_SETS];
	struct tally tallies[RELINK_MAX_SETS];
	struct store_sub subs[RELINK_MAX_SETS];
	unsigned char *merged;
	char created[32], item[64], detail[1024], hex_n[2 * PII_HASH_LEN + 1];
	size_t sealed_n = 0, i, len;
	int64_t found = 0, mine;
	struct arena mem;
	int rc, in_tx = 0;

	memset(res, 0, sizeof *res);
	memset(subs, 0, sizeof subs);
	arena_init(&mem, 64 * 1024, 0);
	if ((rc = find_sets(st->pkg, res))) {
		rc = err_msg(&st->err, NAWAT_EINVAL, "มาตรฐานข้อมูลไม่มีชุดข้อมูลที่ใช้เลขประจำตัวเป็นคีย์",
			     "the standard has no data set keyed by a personal ID");
		goto out_early;
	}
	for (i = 0; i < res->nsets; i++)
		tally_init(&tallies[i], res->sets[i].ds);
	pii_hash(a->key, a->old_id, strlen(a->old_id), old_h);
	pii_hash(a->key, a->new_id, strlen(a->new_id), new_h);
	if ((rc = pii_seal(a->key, a->new_id, strlen(a->new_id), new_h, sealed, &sealed_n))) {
		rc = err_msg(&st->err, NAWAT_ECRYPTO, "เข้ารหัสเลขประจำตัวไม่สำเร็จ", "cannot seal the ID");
		goto out;
	}
	sodium_bin2hex(res->old_hash, sizeof res->old_hash, old_h, sizeof old_h);
	sodium_bin2hex(res->new_hash, sizeof res->new_hash, new_h, sizeof new_h);
	if ((rc = store_begin(st)))
		goto out;
	in_tx = 1;
	if ((rc = store_lock(st, STORE_LOCK_REFS)))
		goto out;
	/* what moves, and whether it may */
	for (i = 0; i < res->nsets; i++) {
		struct relink_set *s = &res->sets[i];

		if ((rc = load(st, s->ds, s->field, old_h, &mem, &old[i])) ||
		    (rc = load(st, s->ds, s->field, new_h, &mem, &cur[i])))
			goto out;
		if ((rc = in_scope(st, s->ds, s->field, old_h, &a->scope, (int64_t)old[i].n, &mine)))
			goto out;
		found += mine;
		if (mine < (int64_t)old[i].n)
			res->outside_scope = 1;
		merged = arena_alloc(&mem, old[i].n ? old[i].n : 1);
		if (!merged) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			goto out;
		}
		check_conflicts(res, s, &old[i], &cur[i], merged);
	}
	if (!found) {
		rc = err_msg(&st->err, NAWAT_ENOTFOUND, "ไม่พบข้อมูลของรหัสเดิม (หรืออยู่นอกขอบเขตสิทธิ์)",
			     "no rows of the old ID (in your scope)");
		goto out;
	}
	if (res->outside_scope || res->conflicts_total || a->dry_run) {
		for (i = 0; i < res->nsets && a->dry_run; i++)
			res->sets[i].moved = (int64_t)old[i].n;
		rc = 0;
		goto out; /* nothing written */
	}
	/* the new rows, persons first; then the old ones go, the other way round */
	now_iso(created, sizeof created);
	for (i = 0; i < res->nsets; i++) {
		struct relink_set *s = &res->sets[i];

		if (!old[i].n)
			continue;
		subs[i].kind = "relink";
		subs[i].created_at = created;
		subs[i].user_name = a->user ? a->user : "";
		subs[i].dataset = s->ds->name;
		subs[i].file_name = "relink";
		subs[i].sha256 = "";
		subs[i].format = "relink";
		subs[i].encoding = "";
		subs[i].status = "pending";
		if ((rc = store_sub_create(st, &subs[i])))
			goto out;
		s->sub_id = subs[i].id;
		if ((rc = write_new(st, s, &old[i], new_h, sealed, sealed_n, &mem, &tallies[i])))
			goto out;
	}
	for (i = res->nsets; i-- > 0;)
		if ((rc = delete_old(st, &res->sets[i], &old[i], &mem, &tallies[i])))
			goto out;
	len = (size_t)snprintf(detail, sizeof detail, "old=%s new=%s", res->old_hash, res->new_hash);
	for (i = 0; i < res->nsets; i++) {
		struct relink_set *s = &res->sets[i];

		if (!s->sub_id)
			continue;
		subs[i].status = "accepted";
		subs[i].inserted = s->moved - s->merged;
		subs[i].unchanged = s->merged;
		subs[i].deleted = (int64_t)old[i].n;
		if ((rc = store_sub_finish(st, &subs[i])) || (rc = tally_store(&tallies[i], st, s->sub_id)))
			goto out;
		if (len < sizeof detail)
			len += (size_t)snprintf(detail + len, sizeof detail - len, " %s=%lld merged=%lld sub=%lld",
						s->ds->name, (long long)s->moved, (long long)s->merged,
						(long long)s->sub_id);
	}
	snprintf(item, sizeof item, "submission %lld", (long long)res->sets[0].sub_id);
	sodium_bin2hex(hex_n, sizeof hex_n, new_h, sizeof new_h);
	if ((rc = audit_append(st, a->user ? a->user : "", "relink", res->sets[0].ds->name, item, detail,
			       res->old_hash, hex_n)))
		goto out;
	if (hook_fn && (rc = hook_fn(st, old_h, new_h, res, hook_arg)))
		goto out;
	if ((rc = store_commit(st)))
		goto out;
	in_tx = 0;
	res->committed = 1;
out:
	if (in_tx)
		store_rollback(st);
	for (i = 0; i < res->nsets; i++)
		tally_release(&tallies[i]);
out_early:
	arena_release(&mem);
	sodium_memzero(sealed, sizeof sealed);
	return rc;
}

void store_relink_summary(const struct relink_result *res, int dry_run, char *th, size_t thn, char *en,
			  size_t enn)
{
	size_t i, lt, le;

	if (res->outside_scope) {
		snprintf(th, thn, "ย้ายประวัติไม่ได้: รหัสเดิมมีข้อมูลนอกขอบเขตสิทธิ์ของคุณ (ติดต่อเขตพื้นที่หรือส่วนกลาง)");
		snprintf(en, enn, "cannot relink: the old ID has rows outside your scope (ask the area or the centre)");
		return;
	}
	if (res->conflicts_total) {
		snprintf(th, thn, "ย้ายประวัติไม่ได้: รหัสใหม่มีแถวที่คีย์เดียวกันแต่ค่าต่างกัน %lld แถว แก้ไขหรือลบแถวเหล่านั้นก่อน",
			 (long long)res->conflicts_total);
		snprintf(en, enn, "cannot relink: the new ID has %lld rows with the same keys and other values; "
			 "correct or delete them first", (long long)res->conflicts_total);
		return;
	}
	lt = (size_t)snprintf(th, thn, "%s", dry_run ? "ตรวจสอบอย่างเดียว ไม่ได้บันทึก: จะย้าย" : "ย้ายประวัติแล้ว:");
	le = (size_t)snprintf(en, enn, "%s", dry_run ? "dry run, nothing written: would move" : "relinked:");
	for (i = 0; i < res->nsets; i++) {
		const struct relink_set *s = &res->sets[i];

		if (lt < thn)
			lt += (size_t)snprintf(th + lt, thn - lt, "%s %s %lld แถว (รวมกับแถวเดิมที่ตรงกัน %lld)", i ? "," : "",
					       s->ds->name, (long long)s->moved, (long long)s->merged);
		if (le < enn)
			le += (size_t)snprintf(en + le, enn - le, "%s %s %lld rows (%lld merged with the same rows)",
					       i ? "," : "", s->ds->name, (long long)s->moved, (long long)s->merged);
	}
}
