/* tally.c - rows per school, area, year and term of a submission (see tally.h). */
#include "tally.h"

#include <string.h>

#include "../base/hash.h"
#include "../base/mem.h"

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
	h = key_hash(school, ns, area, na, year, term);
	if (t->nslot) {
		for (pos = h % t->nslot; t->slot[pos] >= 0; pos = (pos + 1) % t->nslot) {
			e = &t->e[t->slot[pos]];
			if (e->year == year && e->term == term && same_str(e->school, school, ns) &&
			    same_str(e->area, area, na)) {
				e->n[kind]++;
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

int tally_store(struct tally *t, struct store *st, int64_t sub_id)
{
	const struct std_dataset *schools = std_dataset(st->pkg, "schools");
	int by_school = schools && std_field_index(schools, "area_code", 9) >= 0;
	struct store_stmt *s = NULL;
	size_t i;
	int rc, k;

	if (t->failed)
		return err_generic(&st->err, NAWAT_ENOMEM);
	if (!t->n)
		return 0;
	/* a school's rows take its area as the store has it now (the batch's
	 * own schools included) */
	rc = by_school
		     ? store_prepare(st, "INSERT INTO submission_schools (sub_id, school_code, area_code, academic_year, "
					 "term, inserted, updated, unchanged, rejected, deleted) VALUES (?, ?, coalesce(?, "
					 "(SELECT area_code FROM schools WHERE school_code = ?)), ?, ?, ?, ?, ?, ?, ?)", &s)
		     : store_prepare(st, "INSERT INTO submission_schools (sub_id, school_code, area_code, academic_year, "
					 "term, inserted, updated, unchanged, rejected, deleted) VALUES (?, ?, coalesce(?, ?), "
					 "?, ?, ?, ?, ?, ?, ?)", &s);
	if (rc)
		return rc;
	for (i = 0; i < t->n && !rc; i++) {
		const struct tally_entry *e = &t->e[i];

		rc = store_bind_int(s, 1, sub_id) || store_bind_str(s, 2, e->school) ||
		     store_bind_str(s, 3, t->area_f >= 0 ? e->area : NULL) ||
		     store_bind_str(s, 4, t->area_f >= 0 || !by_school ? NULL : e->school) ||
		     (e->year >= 0 ? store_bind_int(s, 5, e->year) : store_bind_null(s, 5)) ||
		     (e->term >= 0 ? store_bind_int(s, 6, e->term) : store_bind_null(s, 6));
		for (k = 0; k < TALLY_N && !rc; k++)
			rc = store_bind_int(s, 7 + k, e->n[k]);
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
