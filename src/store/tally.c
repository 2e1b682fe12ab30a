/* tally.c - rows per school, area, year and term of a submission (see tally.h). */
#include "tally.h"

#include <string.h>

#include "../base/buf.h"
#include "../base/hash.h"
#include "../base/mem.h"
#include "schema.h"

void tally_init(struct tally *t, const struct std_dataset *ds)
{
	memset(t, 0, sizeof *t);
	t->school_f = std_field_index(ds, "school_code", 11);
	t->area_f = std_field_index(ds, "area_code", 9);
	t->year_f = std_field_index(ds, "academic_year", 13);
	t->term_f = std_field_index(ds, "term", 4);
	if (t->year_f >= 0 && ds->fields[t->year_f].type != STD_INTEGER)
		t->year_f = -1;
	if (t->term_f >= 0 && ds->fields[t->term_f].type != STD_INTEGER)
		t->term_f = -1;
}

void tally_release(struct tally *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		nw_free(t->e[i].school);
		nw_free(t->e[i].area);
	}
	nw_free(t->e);
	nw_free(t->slot);
	memset(t, 0, sizeof *t);
}

static int same_str(const char *a, const char *s, size_t n)
{
	return a ? s && strlen(a) == n && !memcmp(a, s, n) : !s;
}

static int same_entry(const struct tally_entry *e, const char *school, size_t ns, const char *area, size_t na,
		      int64_t year, int64_t term)
{
	return e->year == year && e->term == term && same_str(e->school, school, ns) && same_str(e->area, area, na);
}

static uint64_t key_hash(const char *school, size_t ns, const char *area, size_t na, int64_t year, int64_t term)
{
	uint64_t h = NW_HASH_INIT;

	h = nw_hash_mix(h, school ? school : "", school ? ns : 0);
	h = nw_hash_mix(h, school ? "s" : "", school ? 1 : 0);
	h = nw_hash_mix(h, area ? area : "", area ? na : 0);
	h = nw_hash_mix(h, area ? "a" : "", area ? 1 : 0);
	h = nw_hash_mix(h, &year, sizeof year);
	return nw_hash_mix(h, &term, sizeof term);
}

static int grow(struct tally *t)
{
	size_t i, nslot = t->nslot ? t->nslot * 2 : 64;
	int *slot = nw_malloc(nslot * sizeof *slot);
	struct tally_entry *e = nw_realloc(t->e, (nslot / 2) * sizeof *e);

	if (!slot || !e) {
		nw_free(slot);
		if (e)
			t->e = e;
		return NAWAT_ENOMEM;
	}
	t->e = e;
	t->cap = nslot / 2;
	for (i = 0; i < nslot; i++)
		slot[i] = -1;
	for (i = 0; i < t->n; i++) {
		uint64_t h = key_hash(e[i].school, e[i].school ? strlen(e[i].school) : 0, e[i].area,
				      e[i].area ? strlen(e[i].area) : 0, e[i].year, e[i].term);
		size_t pos;

		for (pos = h % nslot; slot[pos] >= 0; pos = (pos + 1) % nslot)
			;
		slot[pos] = (int)i;
	}
	nw_free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return 0;
}

static void text_of(const struct val_value *vals, int f, int (*valid)(void *, int), void *ctx,
		    const char **s, size_t *n)
{
	*s = NULL;
	*n = 0;
	if (f >= 0 && vals[f].state == VAL_SET && vals[f].s && valid(ctx, f)) {
		*s = vals[f].s;
		*n = vals[f].n;
	}
}

void tally_add(struct tally *t, const struct std_dataset *ds, const struct val_value *vals,
	       int (*valid)(void *ctx, int field), void *ctx, enum tally_kind kind)
{
	const char *school, *area;
	size_t ns, na, pos;
	int64_t year = -1, term = -1;
	uint64_t h;
	struct tally_entry *e;

	(void)ds;
	if (t->failed)
		return;
	text_of(vals, t->school_f, valid, ctx, &school, &ns);
	text_of(vals, t->area_f, valid, ctx, &area, &na);
	if (t->year_f >= 0 && vals[t->year_f].state == VAL_SET && valid(ctx, t->year_f))
		year = vals[t->year_f].i;
	if (t->term_f >= 0 && vals[t->term_f].state == VAL_SET && valid(ctx, t->term_f))
		term = vals[t->term_f].i;
	if (t->n) {
		e = &t->e[t->last];
		if (same_entry(e, school, ns, area, na, year, term)) {
			e->n[kind]++;
			return;
		}
	}
	h = key_hash(school, ns, area, na, year, term);
	if (t->nslot) {
		for (pos = h % t->nslot; t->slot[pos] >= 0; pos = (pos + 1) % t->nslot) {
			e = &t->e[t->slot[pos]];
			if (same_entry(e, school, ns, area, na, year, term)) {
				e->n[kind]++;
				t->last = (size_t)t->slot[pos];
				return;
			}
		}
	}
	if (t->n == t->cap && grow(t)) {
		t->failed = 1;
		return;
	}
	e = &t->e[t->n];
	memset(e, 0, sizeof *e);
	e->year = year;
	e->term = term;
	if ((school && !(e->school = nw_strndup(school, ns))) || (area && !(e->area = nw_strndup(area, na)))) {
		nw_free(e->school);
		t->failed = 1;
		return;
	}
	e->n[kind] = 1;
	t->last = t->n;
	for (pos = h % t->nslot; t->slot[pos] >= 0; pos = (pos + 1) % t->nslot)
		;
	t->slot[pos] = (int)t->n++;
}

void tally_reject_all(struct tally *t)
{
	size_t i;
	int k;

	for (i = 0; i < t->n; i++) {
		for (k = 0; k < TALLY_N; k++)
			if (k != TALLY_REJECTED) {
				t->e[i].n[TALLY_REJECTED] += t->e[i].n[k];
				t->e[i].n[k] = 0;
			}
	}
}

/* The INSERT of m rows of submission_schools; a school's rows take its
 * area as the store has it now (the batch's own schools included). */
static int tally_insert(struct store *st, int by_school, size_t m, struct store_stmt **s)
{
	struct buf sql;
	size_t i;
	int rc;

	buf_init(&sql, 1 << 16);
	rc = buf_puts(&sql, "INSERT INTO submission_schools (sub_id, school_code, area_code, academic_year, term, "
			    "inserted, updated, unchanged, rejected, deleted) VALUES ");
	for (i = 0; i < m && !rc; i++)
		rc = buf_printf(&sql, "%s(?, ?, coalesce(?, %s), ?, ?, ?, ?, ?, ?, ?)", i ? ", " : "",
				by_school ? "(SELECT area_code FROM schools WHERE school_code = ?)" : "?");
	rc = rc ? err_generic(&st->err, NAWAT_ENOMEM) : store_prepare(st, buf_str(&sql), s);
	buf_release(&sql);
	return rc;
}

/* rows a statement (as many as its parameters allow) */
#define TALLY_ROWS (QPARAM_MAX / (6 + TALLY_N))

int tally_store(struct tally *t, struct store *st, int64_t sub_id)
{
	const struct std_dataset *schools = std_dataset(st->pkg, "schools");
	int by_school = schools && std_field_index(schools, "area_code", 9) >= 0;
	struct store_stmt *s = NULL;
	size_t i, j, m = 0;
	int rc = 0, k, p;

	if (t->failed)
		return err_generic(&st->err, NAWAT_ENOMEM);
	for (i = 0; i < t->n && !rc; i += m) {
		size_t left = t->n - i < TALLY_ROWS ? t->n - i : TALLY_ROWS;

		if (left != m) { /* (the full size, then once the rest) */
			store_finalize(s);
			s = NULL;
			m = left;
			if ((rc = tally_insert(st, by_school, m, &s)))
				break;
		}
		for (j = 0, p = 1; j < m && !rc; j++) {
			const struct tally_entry *e = &t->e[i + j];

			rc = store_bind_int(s, p, sub_id) || store_bind_str(s, p + 1, e->school) ||
			     store_bind_str(s, p + 2, t->area_f >= 0 ? e->area : NULL) ||
			     store_bind_str(s, p + 3, t->area_f >= 0 || !by_school ? NULL : e->school) ||
			     (e->year >= 0 ? store_bind_int(s, p + 4, e->year) : store_bind_null(s, p + 4)) ||
			     (e->term >= 0 ? store_bind_int(s, p + 5, e->term) : store_bind_null(s, p + 5));
			for (k = 0; k < TALLY_N && !rc; k++)
				rc = store_bind_int(s, p + 6 + k, e->n[k]);
			p += 6 + TALLY_N;
		}
		if (rc) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		if ((rc = store_step(s)) > 0)
			rc = 0;
		store_reset(s);
	}
	store_finalize(s);
	return rc;
}
