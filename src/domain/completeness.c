/* completeness.c - who has sent what for a year and term (see completeness.h). */
#include "completeness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "submissions.h"

static const char *status_names[CPL_NSTATUS] = { "sent", "late", "missing", "pending", "held" };
static const char *status_th[CPL_NSTATUS] = { "ส่งแล้ว", "ส่งช้า", "ยังไม่ส่ง", "ยังไม่ถึงกำหนด",
					      "มีข้อมูล ไม่พบบันทึกการส่ง" };

const char *cpl_status_name(enum cpl_status s)
{
	return s < CPL_NSTATUS ? status_names[s] : "";
}

const char *cpl_status_th(enum cpl_status s)
{
	return s < CPL_NSTATUS ? status_th[s] : "";
}

int cpl_round_of_term(int term)
{
	return term == 1 ? 1 : term == 2 ? 2 : 3;
}

static struct date day(int y, int m, int d)
{
	struct date t = { y, m, d };

	return t;
}

/* The C.E. year in which academic year `year` (B.E.) starts. */
static int ce_start(int64_t year)
{
	return (int)year - BE_OFFSET;
}

struct date cpl_round_deadline(int64_t year, int round)
{
	int y = ce_start(year);

	return round == 1 ? day(y, 6, 10) : round == 2 ? day(y, 11, 10) : day(y + 1, 3, 31);
}

void cpl_default(struct date d, int64_t *year, int *term)
{
	int y;

	*year = date_academic_year(d);
	y = ce_start(*year);
	if (date_to_days(d) < date_to_days(day(y, 10, 1)))
		*term = 1;
	else if (date_to_days(d) < date_to_days(day(y + 1, 2, 1)))
		*term = 2;
	else
		*term = 0;
}

/* The rules of each data set for a year and term. */
static void set_rules(struct cpl_set *s, int which, int64_t year, int term)
{
	int y = ce_start(year), round = cpl_round_of_term(term);

	memset(s, 0, sizeof *s);
	if (which == 0) {
		s->dataset = "students";
		s->round = round;
		s->deadline = cpl_round_deadline(year, round);
		/* a round's window: from the first day of the month before its
		 * deadline (the first round's from the start) to the next's */
		if (round == 2)
			s->opens = day(y, 10, 1);
		else if (round == 3)
			s->opens = day(y + 1, 2, 1);
		if (round == 1)
			s->closes = day(y, 10, 1);
		else if (round == 2)
			s->closes = day(y + 1, 2, 1);
	} else {
		/* results come with the round after their term */
		s->dataset = "outcomes";
		s->round = term == 1 ? 2 : 3;
		s->deadline = cpl_round_deadline(year, s->round);
	}
}

/* ---- the schools ---- */

static const char *text(struct arena *a, const struct val_value *v)
{
	return v->state == VAL_SET && v->s ? arena_strndup(a, v->s, v->n) : NULL;
}

static void filter_text(struct store_filter *f, int field, const char *s)
{
	memset(f, 0, sizeof *f);
	f->field = field;
	f->value.state = VAL_SET;
	f->value.s = s;
	f->value.n = strlen(s);
}

/* The schools of the view, in Thai order of name. */
static int load_schools(struct store *st, const struct store_scope *sc, const char *area, const char *school,
			struct arena *a, struct cpl_result *out)
{
	const struct std_dataset *ds = std_dataset(st->pkg, "schools");
	struct store_query q;
	struct store_filter f[2];
	struct store_scan *scan = NULL;
	struct val_value *vals;
	int fcode, fname, farea, fpilot, rc;
	int64_t n = 0;
	size_t nf = 0;

	if (!ds || (fcode = std_field_index(ds, "school_code", 11)) < 0 || (fname = std_field_index(ds, "name_th", 7)) < 0 ||
	    (farea = std_field_index(ds, "area_code", 9)) < 0 || (fpilot = std_field_index(ds, "pilot", 5)) < 0)
		return err_msg(&st->err, NAWAT_EINVAL, "มาตรฐานข้อมูลไม่มีชุดข้อมูลสถานศึกษา", "the standard lacks schools");
	memset(&q, 0, sizeof q);
	q.scope = *sc;
	if (area)
		filter_text(&f[nf++], farea, area);
	if (school)
		filter_text(&f[nf++], fcode, school);
	q.filters = f;
	q.nfilters = nf;
	if ((rc = store_count(st, ds, &q, &n)))
		return rc;
	out->schools = arena_alloc(a, (n ? (size_t)n : 1) * sizeof *out->schools);
	vals = arena_alloc(a, ds->nfields * sizeof *vals);
	if (!out->schools || !vals)
		return err_generic(&st->err, NAWAT_ENOMEM);
	q.order_by = fname + 1;
	if ((rc = store_scan_open(st, ds, &q, &scan)))
		return rc;
	while (out->nschools < (size_t)n && (rc = store_scan_next(scan, vals)) == 1) {
		struct cpl_school *s = &out->schools[out->nschools];

		/* every area in scope: the schools that belong to an area */
		if (!area && !school && sc->kind != SCOPE_SCHOOL && vals[farea].state != VAL_SET)
			continue;
		memset(s, 0, sizeof *s);
		s->school_code = text(a, &vals[fcode]);
		s->name_th = text(a, &vals[fname]);
		s->area_code = text(a, &vals[farea]);
		s->pilot = text(a, &vals[fpilot]);
		if (!s->school_code || !s->name_th) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		out->nschools++;
	}
	store_scan_close(scan);
	return rc < 0 ? rc : 0;
}

/* By area, then in the order the scan gave (Thai order of name). */
struct ord {
	const char *area;
	size_t pos;
};

static int by_area(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	int c = strcmp(x->area ? x->area : "", y->area ? y->area : "");

	return c ? c : x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int sort_schools(struct cpl_result *out, struct arena *a)
{
	struct cpl_school *copy;
	struct ord *o;
	size_t i;

	if (out->nschools < 2)
		return 0;
	o = arena_alloc(a, out->nschools * sizeof *o);
	copy = arena_alloc(a, out->nschools * sizeof *copy);
	if (!o || !copy)
		return NAWAT_ENOMEM;
	for (i = 0; i < out->nschools; i++) {
		o[i].area = out->schools[i].area_code;
		o[i].pos = i;
	}
	qsort(o, out->nschools, sizeof *o, by_area);
	for (i = 0; i < out->nschools; i++)
		copy[i] = out->schools[o[i].pos];
	memcpy(out->schools, copy, out->nschools * sizeof *copy);
	return 0;
}

/* A school's index by its code (the codes sorted once). */
struct sidx {
	const char *code;
	size_t i;
};

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct sidx *)a)->code, ((const struct sidx *)b)->code);
}

static struct cpl_school *find(const struct cpl_result *r, const struct sidx *idx, const char *code)
{
	struct sidx key = { code, 0 }, *hit;

	if (!code)
		return NULL;
	hit = bsearch(&key, idx, r->nschools, sizeof *idx, by_code);
	return hit ? &r->schools[hit->i] : NULL;
}

/* ---- rows held and imports ---- */

struct count_ctx {
	const struct cpl_result *r;
	const struct sidx *idx;
	int set;
};

static int add_count(void *ctx, const char *const *vals, int64_t n)
{
	struct count_ctx *k = ctx;
	struct cpl_school *s = find(k->r, k->idx, vals[0]);

	if (s)
		s->cell[k->set].rows += n;
	return 0;
}

static cpl_counter counter;

void cpl_set_counter(cpl_counter fn)
{
	counter = fn;
}

static int add_school_count(void *ctx, const char *school, int64_t n)
{
	const char *v[1] = { school };

	return add_count(ctx, v, n);
}

/* The rows each school holds of a set for the year (and term). */
static int count_rows(struct store *st, const struct store_scope *sc, const char *area, const char *school,
		      const struct cpl_result *r, const struct sidx *idx, int set)
{
	const struct std_dataset *ds = std_dataset(st->pkg, r->sets[set].dataset);
	struct store_filter f[3];
	struct store_query q;
	struct count_ctx k = { r, idx, set };
	int fs, fy, ft, nf = 0;

	if (!ds || (fs = std_field_index(ds, "school_code", 11)) < 0 || (fy = std_field_index(ds, "academic_year", 13)) < 0)
		return 0; /* a package without it: nothing held */
	ft = std_field_index(ds, "term", 4);
	if (set == 1 && ft >= 0 && counter) {
		int rc = counter(st, ds->name, sc, area, school, r->year, r->term, add_school_count, &k);

		if (rc)
			return rc < 0 ? rc : 0;
	}
	memset(&q, 0, sizeof q);
	memset(f, 0, sizeof f);
	f[nf].field = fy;
	f[nf].value.state = VAL_SET;
	f[nf++].value.i = r->year;
	if (set == 1 && ft >= 0) {
		f[nf].field = ft;
		f[nf].value.state = VAL_SET;
		f[nf++].value.i = r->term;
	}
	if (school)
		filter_text(&f[nf++], fs, school);
	q.filters = f;
	q.nfilters = (size_t)nf;
	/* an area's schools, in the caller's scope (checked by the caller) */
	q.scope = *sc;
	if (area && sc->kind == SCOPE_ALL) {
		q.scope.kind = SCOPE_AREA;
		q.scope.code = area;
	}
	return store_count_groups(st, ds, &q, &fs, 1, add_count, &k);
}

/* When each school's imports of a set for the year (and term) came: the
 * first within the window and the latest at any time. */
static int import_times(struct store *st, const struct store_scope *sc, const char *school, const struct cpl_result *r,
			const struct sidx *idx, int set, struct arena *a)
{
	const struct cpl_set *cs = &r->sets[set];
	struct store_stmt *s = NULL;
	struct buf sql;
	char open_at[32] = "", close_at[32] = "";
	int rc, p = 0;

	if (cs->opens.y)
		subs_day_bound(cs->opens, 1, open_at, sizeof open_at);
	if (cs->closes.y)
		subs_day_bound(cs->closes, 1, close_at, sizeof close_at);
	buf_init(&sql, 8192);
	/* rows that came by import (not rejected) count; an import's time is
	 * when it was recorded */
	rc = buf_puts(&sql, "SELECT ss.school_code, min(CASE WHEN s.created_at >= ? AND s.created_at < ? "
			    "THEN s.created_at END), max(s.created_at), max(s.id) "
			    "FROM submission_schools ss JOIN submissions s ON s.id = ss.sub_id "
			    "WHERE s.dataset = ? AND s.kind = 'import' AND ss.academic_year = ? "
			    "AND ss.inserted + ss.updated + ss.unchanged > 0 AND ss.school_code IS NOT NULL");
	if (!rc && set == 1)
		rc = buf_puts(&sql, " AND ss.term = ?");
	/* one school, or all of them (the schools of the view are picked here) */
	if (!rc && (school || sc->kind == SCOPE_SCHOOL))
		rc = buf_puts(&sql, " AND ss.school_code = ?");
	if (!rc)
		rc = buf_puts(&sql, " GROUP BY ss.school_code");
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if ((rc = store_prepare(st, buf_str(&sql), &s)))
		goto out;
	rc = store_bind_str(s, ++p, open_at[0] ? open_at : "0") ||
	     store_bind_str(s, ++p, close_at[0] ? close_at : "9") ||
	     store_bind_str(s, ++p, cs->dataset) || store_bind_int(s, ++p, r->year);
	if (!rc && set == 1)
		rc = store_bind_int(s, ++p, r->term);
	if (!rc && (school || sc->kind == SCOPE_SCHOOL))
		rc = store_bind_str(s, ++p, school ? school : sc->code);
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	while ((rc = store_step(s)) == 1) {
		struct cpl_school *sch = find(r, idx, store_col_text(s, 0, NULL));
		struct cpl_cell *c;

		if (!sch)
			continue;
		c = &sch->cell[set];
		c->first_at = store_col_null(s, 1) ? NULL : arena_strdup(a, store_col_text(s, 1, NULL));
		c->last_at = store_col_null(s, 2) ? NULL : arena_strdup(a, store_col_text(s, 2, NULL));
		c->last_sub = store_col_int(s, 3);
	}
out:
	store_finalize(s);
	buf_release(&sql);
	return rc < 0 ? rc : 0;
}

int cpl_load(struct store *st, const struct store_scope *sc, const char *area, const char *school,
	     int64_t year, int term, struct date as_of, struct arena *a, struct cpl_result *out)
{
	struct sidx *idx;
	char due[32];
	size_t i;
	int rc, k;

	memset(out, 0, sizeof *out);
	out->year = year;
	out->term = term;
	out->as_of = as_of;
	for (k = 0; k < CPL_NSETS; k++) {
		const struct std_dataset *ds;

		set_rules(&out->sets[k], k, year, term);
		ds = std_dataset(st->pkg, out->sets[k].dataset);
		out->sets[k].title_th = ds ? ds->title_th : out->sets[k].dataset;
		out->sets[k].title_en = ds ? ds->title_en : out->sets[k].dataset;
	}
	if ((rc = load_schools(st, sc, area, school, a, out)))
		return rc;
	if (sort_schools(out, a))
		return err_generic(&st->err, NAWAT_ENOMEM);
	idx = arena_alloc(a, (out->nschools ? out->nschools : 1) * sizeof *idx);
	if (!idx)
		return err_generic(&st->err, NAWAT_ENOMEM);
	for (i = 0; i < out->nschools; i++) {
		idx[i].code = out->schools[i].school_code;
		idx[i].i = i;
	}
	qsort(idx, out->nschools, sizeof *idx, by_code);
	for (k = 0; k < CPL_NSETS && out->nschools; k++)
		if ((rc = count_rows(st, sc, area, school, out, idx, k)) ||
		    (rc = import_times(st, sc, school, out, idx, k, a)))
			return rc;
	for (k = 0; k < CPL_NSETS; k++) {
		struct cpl_set *cs = &out->sets[k];
		int passed = date_to_days(as_of) > date_to_days(cs->deadline);

		subs_day_bound(cs->deadline, 0, due, sizeof due);
		for (i = 0; i < out->nschools; i++) {
			struct cpl_cell *c = &out->schools[i].cell[k];

			if (c->rows > 0 && c->first_at)
				c->status = strcmp(c->first_at, due) < 0 ? CPL_SENT : CPL_LATE;
			else if (c->rows > 0 && !c->last_at)
				c->status = CPL_HELD;
			else
				c->status = passed ? CPL_MISSING : CPL_PENDING;
			cs->count[c->status]++;
		}
	}
	return 0;
}
