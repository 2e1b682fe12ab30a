/* equity.c - learner outcome and equity metrics from the aggregates (see equity.h). */
#include "equity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "../store/schema.h"

#define NDIS 3                    /* disadvantage 0, 1, 2 */
#define SMALL 5                   /* groups of fewer students are suppressed */

/* ---- scopes ---- */

static int digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int eq_scope_parse(const char *s, struct eq_scope *out, struct nw_err *err)
{
	memset(out, 0, sizeof *out);
	if (!strcmp(s, "national")) {
		out->kind = EQ_NATIONAL;
		return 0;
	}
	if (!strncmp(s, "area:", 5) && digits(s + 5, 2, 2)) {
		out->kind = EQ_AREA;
		snprintf(out->code, sizeof out->code, "%s", s + 5);
		return 0;
	}
	if (!strncmp(s, "province:", 9) && digits(s + 9, 2, 2)) {
		out->kind = EQ_PROVINCE;
		snprintf(out->code, sizeof out->code, "%s", s + 9);
		return 0;
	}
	if (!strncmp(s, "school:", 7) && digits(s + 7, 10, 10)) {
		out->kind = EQ_SCHOOL;
		snprintf(out->code, sizeof out->code, "%s", s + 7);
		return 0;
	}
	return err_msg(err, NAWAT_EINVAL,
		       "scope ต้องเป็น national, area:รหัสพื้นที่ 2 หลัก, province:รหัสจังหวัด 2 หลัก หรือ school:รหัสสถานศึกษา 10 หลัก",
		       "scope must be national, area:CODE (2 digits), province:CODE (2 digits) or school:CODE (10 digits)");
}

const char *eq_scope_text(const struct eq_scope *sc, char *buf, size_t n)
{
	static const char *const kind[] = { "national", "area", "province", "school" };

	if (sc->kind == EQ_NATIONAL)
		snprintf(buf, n, "national");
	else
		snprintf(buf, n, "%s:%s", kind[sc->kind], sc->code);
	return buf;
}

/* ---- the sums of a query ---- */

struct sums {
	int64_t n, s1, s2, l[SCHEMA_LEVELS], h[SCHEMA_HIST_BINS];
};

/* An object of the answer: everyone ("*" "*"), a domain (D "*") or a
 * subject (D CODE), with its sums and its students per disadvantage. */
struct obj {
	char domain[4], subject[8];
	struct sums d[NDIS];
	int64_t c[NDIS];
};

struct data {
	struct obj *o;
	size_t n, cap;
};

static struct obj *obj_get(struct data *dt, const char *domain, const char *subject, int add)
{
	size_t i;

	for (i = 0; i < dt->n; i++)
		if (!strcmp(dt->o[i].domain, domain) && !strcmp(dt->o[i].subject, subject))
			return &dt->o[i];
	if (!add || strlen(domain) >= sizeof dt->o->domain || strlen(subject) >= sizeof dt->o->subject)
		return NULL;
	if (dt->n == dt->cap) {
		size_t nc = dt->cap ? dt->cap * 2 : 64;
		struct obj *no = nw_realloc(dt->o, nc * sizeof *no);

		if (!no)
			return NULL;
		dt->o = no;
		dt->cap = nc;
	}
	memset(&dt->o[dt->n], 0, sizeof dt->o[dt->n]);
	snprintf(dt->o[dt->n].domain, sizeof dt->o->domain, "%s", domain);
	snprintf(dt->o[dt->n].subject, sizeof dt->o->subject, "%s", subject);
	return &dt->o[dt->n++];
}

static void sums_add(struct sums *a, const struct sums *b)
{
	size_t i;

	a->n += b->n;
	a->s1 += b->s1;
	a->s2 += b->s2;
	for (i = 0; i < SCHEMA_LEVELS; i++)
		a->l[i] += b->l[i];
	for (i = 0; i < SCHEMA_HIST_BINS; i++)
		a->h[i] += b->h[i];
}

/* The objects every answer has, in their order (subjects follow as read). */
static int data_init(struct data *dt)
{
	memset(dt, 0, sizeof *dt);
	return obj_get(dt, "*", "*", 1) && obj_get(dt, "K", "*", 1) && obj_get(dt, "S", "*", 1) &&
			       obj_get(dt, "A", "*", 1)
		       ? 0
		       : NAWAT_ENOMEM;
}

static void data_free(struct data *dt)
{
	nw_free(dt->o);
	memset(dt, 0, sizeof *dt);
}

/* Domain objects from their subjects; group sizes of the subjects. */
static void data_finish(struct data *dt)
{
	size_t i, d;

	for (i = 0; i < dt->n; i++) {
		struct obj *o = &dt->o[i], *dom;

		if (!strcmp(o->subject, "*"))
			continue;
		for (d = 0; d < NDIS; d++)
			o->c[d] = o->d[d].n; /* one result per student and subject */
		if ((dom = obj_get(dt, o->domain, "*", 0)))
			for (d = 0; d < NDIS; d++)
				sums_add(&dom->d[d], &o->d[d]);
	}
}

static const char *col_str(struct store_stmt *q, int i, char *buf, size_t n)
{
	size_t len;
	const char *t = store_col_text(q, i, &len);

	if (!t)
		len = 0;
	if (len >= n)
		len = n - 1;
	memcpy(buf, t ? t : "", len);
	buf[len] = '\0';
	return buf;
}

/* Reads rows (domain, subject, disadvantage, n, s1, s2, l0..l4, h0..h100 —
 * or fewer, as `what` says) into the data. */
enum { R_N = 1, R_SUMS = 2, R_HIST = 4, R_STUDENTS = 8 };

static int read_rows(struct store *st, struct store_stmt *q, struct data *dt, int what, const char *fixed_domain)
{
	char dom[8], subj[16];
	int rc, col, i;

	while ((rc = store_step(q)) == 1) {
		struct obj *o;
		int64_t d;

		col = 0;
		if (fixed_domain)
			snprintf(dom, sizeof dom, "%s", fixed_domain);
		else
			col_str(q, col++, dom, sizeof dom);
		col_str(q, col++, subj, sizeof subj);
		d = store_col_int(q, col++);
		if (d < 0 || d >= NDIS)
			continue;
		if (!(o = obj_get(dt, dom, subj, 1)))
			return err_generic(&st->err, NAWAT_ENOMEM);
		if (what & R_STUDENTS) {
			o->c[d] += store_col_int(q, col++);
			continue;
		}
		if (what & R_N)
			o->d[d].n += store_col_int(q, col++);
		if (what & R_SUMS) {
			o->d[d].s1 += store_col_int(q, col++);
			o->d[d].s2 += store_col_int(q, col++);
			for (i = 0; i < SCHEMA_LEVELS; i++)
				o->d[d].l[i] += store_col_int(q, col++);
		}
		if (what & R_HIST)
			for (i = 0; i < SCHEMA_HIST_BINS; i++)
				o->d[d].h[i] += store_col_int(q, col++);
	}
	return rc < 0 ? rc : 0;
}

static int sum_cols(struct buf *b, const char *prefix, int levels, int hist)
{
	int rc = buf_printf(b, ", SUM(%sn), SUM(%ss1), SUM(%ss2)", prefix, prefix, prefix);
	size_t i;

	for (i = 0; levels && i < SCHEMA_LEVELS && !rc; i++)
		rc = buf_printf(b, ", SUM(%sl%zu)", prefix, i);
	for (i = 0; hist && i < SCHEMA_HIST_BINS && !rc; i++)
		rc = buf_printf(b, ", SUM(%sh%zu)", prefix, i);
	return rc;
}

/* Binds level, code, year, term, instrument, then the optional pilot and cohort. */
static int bind_rollup(struct store_stmt *q, const char *level, const char *code, const struct eq_query *x)
{
	char pilot[2] = { x->pilot, 0 };
	int rc;

	if ((rc = store_bind_str(q, 1, level)) || (rc = store_bind_str(q, 2, code)) ||
	    (rc = store_bind_int(q, 3, x->year)) || (rc = store_bind_int(q, 4, x->term)) ||
	    (rc = store_bind_str(q, 5, x->instrument)) || (rc = store_bind_str(q, 6, pilot)) ||
	    (rc = store_bind_str(q, 7, pilot)) || (rc = store_bind_int(q, 8, x->cohort)))
		return rc;
	return store_bind_int(q, 9, x->cohort);
}

static const char *level_of(enum eq_kind k)
{
	return k == EQ_NATIONAL ? "N" : k == EQ_AREA ? "A" : "P";
}

#define ROLLUP_WHERE " FROM eq_rollup WHERE level = ? AND code = ? AND academic_year = ? AND term = ? " \
		     "AND instrument = ? AND (? = '' OR pilot = ?) AND (? = 0 OR cohort = ?)"

static int load_rollup(struct store *st, const struct eq_query *x, struct data *dt)
{
	struct store_stmt *q;
	struct buf sql;
	int rc;

	buf_init(&sql, 1 << 16);
	rc = buf_puts(&sql, "SELECT domain, subject_code, disadvantage") || sum_cols(&sql, "", 1, 1) ||
	     buf_puts(&sql, ROLLUP_WHERE " AND subject_code <> '*' GROUP BY domain, subject_code, disadvantage");
	if (rc) {
		buf_release(&sql);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	if (!(rc = store_prepare(st, buf_str(&sql), &q))) {
		if (!(rc = bind_rollup(q, level_of(x->scope.kind), x->scope.code, x)))
			rc = read_rows(st, q, dt, R_N | R_SUMS | R_HIST, NULL);
		store_finalize(q);
	}
	buf_release(&sql);
	if (rc)
		return rc;
	if ((rc = store_prepare(st, "SELECT domain, subject_code, disadvantage, SUM(n)" ROLLUP_WHERE
				" AND subject_code = '*' GROUP BY domain, subject_code, disadvantage", &q)))
		return rc;
	if (!(rc = bind_rollup(q, level_of(x->scope.kind), x->scope.code, x)))
		rc = read_rows(st, q, dt, R_STUDENTS, NULL);
	store_finalize(q);
	return rc;
}

/* 1 when the school is there and passes the query's pilot and cohort filters. */
static int school_passes(struct store *st, const struct eq_query *x, int *rc)
{
	struct store_stmt *q;
	char pilot[4];
	int pass = 0;

	if ((*rc = store_prepare(st, "SELECT pilot, coalesce(pilot_cohort, 0) FROM schools WHERE school_code = ?", &q)))
		return 0;
	if (!(*rc = store_bind_str(q, 1, x->scope.code)) && (*rc = store_step(q)) == 1) {
		col_str(q, 0, pilot, sizeof pilot);
		pass = (!x->pilot || pilot[0] == x->pilot) && (!x->cohort || store_col_int(q, 1) == x->cohort);
		*rc = 0;
	}
	store_finalize(q);
	return pass;
}

#define SCHOOL_WHERE " WHERE school_code = ? AND academic_year = ? AND term = ? AND instrument = ?"

static int bind_school(struct store_stmt *q, const struct eq_query *x)
{
	int rc;

	if ((rc = store_bind_str(q, 1, x->scope.code)) || (rc = store_bind_int(q, 2, x->year)) ||
	    (rc = store_bind_int(q, 3, x->term)))
		return rc;
	return store_bind_str(q, 4, x->instrument);
}

static int load_school(struct store *st, const struct eq_query *x, struct data *dt)
{
	static const struct {
		const char *sql_head, *sql_tail, *domain;
		int what;
	} parts[] = {
		{ "SELECT domain, subject_code, disadvantage", " FROM eq_cells" SCHOOL_WHERE
		  " AND subject_code <> '*' GROUP BY domain, subject_code, disadvantage", NULL, R_N | R_SUMS },
		{ "SELECT subject_code, disadvantage", " FROM eq_hist" SCHOOL_WHERE
		  " GROUP BY subject_code, disadvantage", "K", R_HIST },
		{ "SELECT domain, subject_code, disadvantage, SUM(n)", " FROM eq_cells" SCHOOL_WHERE
		  " AND subject_code = '*' GROUP BY domain, subject_code, disadvantage", NULL, R_STUDENTS },
	};
	struct store_stmt *q;
	struct buf sql;
	size_t i, h;
	int rc = 0;

	if (!school_passes(st, x, &rc) || rc)
		return rc;
	buf_init(&sql, 1 << 16);
	for (i = 0; i < 3 && !rc; i++) {
		buf_reset(&sql);
		rc = buf_puts(&sql, parts[i].sql_head);
		if (!rc && i == 0)
			rc = sum_cols(&sql, "", 1, 0);
		for (h = 0; i == 1 && h < SCHEMA_HIST_BINS && !rc; h++)
			rc = buf_printf(&sql, ", SUM(h%zu)", h);
		if (rc || buf_puts(&sql, parts[i].sql_tail)) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		if ((rc = store_prepare(st, buf_str(&sql), &q)))
			break;
		if (!(rc = bind_school(q, x)))
			rc = read_rows(st, q, dt, parts[i].what, parts[i].domain);
		store_finalize(q);
	}
	buf_release(&sql);
	return rc;
}

static int load(struct store *st, const struct eq_query *x, struct data *dt)
{
	int rc;

	if ((rc = data_init(dt)))
		return err_generic(&st->err, rc);
	rc = x->scope.kind == EQ_SCHOOL ? load_school(st, x, dt) : load_rollup(st, x, dt);
	if (rc)
		data_free(dt);
	else
		data_finish(dt);
	return rc;
}

/* ---- statistics of sums ---- */

static double round_to(double v, int places)
{
	double f = places == 2 ? 100.0 : 10000.0;

	return round(v * f) / f;
}

static json_t *num(double v, int places, int ok)
{
	return ok && isfinite(v) ? json_real(round_to(v, places)) : json_null();
}

static void merge(struct sums *out, const struct sums *d, int mask)
{
	size_t i;

	memset(out, 0, sizeof *out);
	for (i = 0; i < NDIS; i++)
		if (mask & (1 << i))
			sums_add(out, &d[i]);
}

static double mean(const struct sums *s, double unit)
{
	return (double)s->s1 / (double)s->n / unit;
}

/* Sample variance (in units squared), from exact integer sums. */
static double var(const struct sums *s, double unit)
{
	__int128 num = (__int128)s->n * s->s2 - (__int128)s->s1 * s->s1;

	return (double)num / ((double)s->n * (double)(s->n - 1)) / (unit * unit);
}

static int64_t hist_below(const struct sums *s, int bins)
{
	int64_t n = 0;
	int i;

	for (i = 0; i < bins; i++)
		n += s->h[i];
	return n;
}

/* The p-quantile of the scores from the one-point bins (grouped data). */
static double quantile(const struct sums *s, double p)
{
	double t = p * (double)s->n, below = 0;
	int b;

	for (b = 0; b < SCHEMA_HIST_BINS; b++) {
		if (s->h[b] && below + (double)s->h[b] >= t) {
			double v = b + (t - below) / (double)s->h[b];

			return v > 100 ? 100 : v;
		}
		below += (double)s->h[b];
	}
	return NAN;
}

static int64_t levels_at_least(const struct sums *s, int from)
{
	int64_t n = 0;
	int i;

	for (i = from; i < SCHEMA_LEVELS; i++)
		n += s->l[i];
	return n;
}

/* ---- what may be shown (small groups) ----
 *
 * The aggregates of an object: everyone, each disadvantage, and 1 or 2
 * together, as sets of the three disadvantage groups (bit masks).  What is
 * shown must not let any set of 1-4 students be worked out by adding and
 * subtracting values (with the sizes known).  Within one answer the sets
 * are of its three groups; with a related answer that encloses it (or that
 * it encloses) there are six: the smaller answer's three groups and the
 * three of the students only the larger one has.  The smaller answer's
 * aggregates are then vectors (a, 0) and the larger one's (a, a); a set is
 * worked out when its vector lies in the span of the shown ones. */
enum { AG_ALL, AG_D0, AG_D1, AG_D2, AG_D12, AG_COUNT };
static const int ag_mask[AG_COUNT] = { 7, 1, 2, 4, 6 };
#define DIMS 6

static int64_t size_of(const int64_t *c, int mask)
{
	int64_t n = 0;
	int i;

	for (i = 0; i < NDIS; i++)
		if (mask & (1 << i))
			n += c[i];
	return n;
}

/* The span of 6-bit vectors: a reduced echelon basis (real elimination). */
struct span {
	double b[DIMS][DIMS];
	int piv[DIMS];
	int n;
};

static void reduce(const struct span *sp, double *x)
{
	int r, j;

	for (r = 0; r < sp->n; r++) {
		double f = x[sp->piv[r]];

		if (fabs(f) > 1e-9)
			for (j = 0; j < DIMS; j++)
				x[j] -= f * sp->b[r][j];
	}
}

static void span_of(const int *v, int n, struct span *sp)
{
	int r, j, c;

	sp->n = 0;
	for (r = 0; r < n && sp->n < DIMS; r++) {
		double x[DIMS];

		for (j = 0; j < DIMS; j++)
			x[j] = (v[r] >> j) & 1;
		reduce(sp, x);
		for (c = 0; c < DIMS && fabs(x[c]) <= 1e-9; c++)
			;
		if (c == DIMS)
			continue;
		for (j = 0; j < DIMS; j++)
			x[j] /= x[c];
		/* keep the basis reduced: clear column c in the rows before */
		for (j = 0; j < sp->n; j++) {
			double f = sp->b[j][c];
			int k;

			if (fabs(f) > 1e-9)
				for (k = 0; k < DIMS; k++)
					sp->b[j][k] -= f * x[k];
		}
		memcpy(sp->b[sp->n], x, sizeof x);
		sp->piv[sp->n++] = c;
	}
}

static int in_span_of(const struct span *sp, int target)
{
	double x[DIMS];
	int j;

	for (j = 0; j < DIMS; j++)
		x[j] = (target >> j) & 1;
	reduce(sp, x);
	for (j = 0; j < DIMS; j++)
		if (fabs(x[j]) > 1e-9)
			return 0;
	return 1;
}

static int in_span(const int *v, int n, int target)
{
	struct span sp;

	span_of(v, n, &sp);
	return in_span_of(&sp, target);
}

/* Two answers: the query's shown aggregates, and (when other is set) those
 * a related one may show.  sizes[6]: the smaller answer's groups, then the
 * larger one's extra groups. */
struct pair {
	const int *shown;         /* the query's, AG_COUNT */
	int other;                /* a related answer is there */
	int q_small;              /* the query is the smaller of the two */
	int r_shown[AG_COUNT];    /* the related one's that may be shown */
	int64_t sizes[DIMS];
};

static int vectors(const struct pair *pr, int *v)
{
	int n = 0, k;

	for (k = 0; k < AG_COUNT; k++) {
		int m = ag_mask[k];

		if (pr->shown[k])
			v[n++] = !pr->other || pr->q_small ? m : m | m << 3;
		if (pr->other && pr->r_shown[k])
			v[n++] = pr->q_small ? m | m << 3 : m;
	}
	return n;
}

/* A set of 1-4 students that the shown aggregates give away, or 0. */
static int leak(const struct pair *pr)
{
	int v[2 * AG_COUNT], n = vectors(pr, v), mask, top = pr->other ? 64 : 8, k, nr = 0, w[AG_COUNT] = { 0 };
	struct span sp, rsp;

	span_of(v, n, &sp);
	/* what the related answer gives away alone is its own to hide */
	for (k = 0; pr->other && k < AG_COUNT; k++)
		if (pr->r_shown[k])
			w[nr++] = pr->q_small ? ag_mask[k] | ag_mask[k] << 3 : ag_mask[k];
	span_of(w, nr, &rsp);
	for (mask = 1; mask < top; mask++) {
		int64_t size = 0;
		int i;

		for (i = 0; i < DIMS; i++)
			if (mask & (1 << i))
				size += pr->sizes[i];
		if (size > 0 && size < SMALL && in_span_of(&sp, mask) && (!pr->other || !in_span_of(&rsp, mask)))
			return mask;
	}
	return 0;
}

struct plan {
	int shown[AG_COUNT];
	int any_hidden;
};

/* The query's aggregate to hide against a leak of mask: the smallest shown
 * one whose hiding stops it, else the smallest shown one; -1 when none. */
static int to_hide(struct plan *p, struct pair *pr, const int64_t *c, int mask)
{
	int k, best = -1, stops = -1, v[2 * AG_COUNT], n;

	for (k = 0; k < AG_COUNT; k++) {
		int64_t size = size_of(c, ag_mask[k]);

		if (!p->shown[k] || size == 0)
			continue;
		if (best < 0 || size < size_of(c, ag_mask[best]))
			best = k;
		p->shown[k] = 0;
		n = vectors(pr, v);
		if (!in_span(v, n, mask) && (stops < 0 || size < size_of(c, ag_mask[stops])))
			stops = k;
		p->shown[k] = 1;
	}
	return stops >= 0 ? stops : best;
}

/* One related answer's groups, per disadvantage, and whether it encloses
 * the query's. */
struct rel_one {
	const int64_t *c;
	int encloses;
	int shown[AG_COUNT];      /* what it shows, by its own groups alone */
};

static void pair_of(const struct plan *p, const int64_t *c, const struct rel_one *r, struct pair *pr)
{
	int k, i;

	memset(pr, 0, sizeof *pr);
	pr->shown = p->shown;
	if (!r) {
		for (i = 0; i < NDIS; i++)
			pr->sizes[i] = c[i];
		return;
	}
	pr->other = 1;
	pr->q_small = r->encloses;
	for (i = 0; i < NDIS; i++) {
		int64_t small = r->encloses ? c[i] : r->c[i], big = r->encloses ? r->c[i] : c[i];

		pr->sizes[i] = small;
		pr->sizes[NDIS + i] = big - small > 0 ? big - small : 0;
	}
	/* what the related answer may show: what it shows on its own */
	memcpy(pr->r_shown, r->shown, sizeof pr->r_shown);
	(void)k;
}

/* c: the object's students per disadvantage; rel: the related answers'. */
static void plan_of(const int64_t *c, int suppress, const struct rel_one *rel, size_t nrel, struct plan *p)
{
	struct pair pr;
	int k, mask, hide;
	size_t r;

	memset(p, 0, sizeof *p);
	for (k = 0; k < AG_COUNT; k++)
		p->shown[k] = 1;
	if (!suppress)
		return;
	for (k = 0; k < AG_COUNT; k++) {
		int64_t n = size_of(c, ag_mask[k]);

		if (n > 0 && n < SMALL)
			p->shown[k] = 0;
	}
	for (;;) {
		pair_of(p, c, NULL, &pr);
		mask = leak(&pr);
		for (r = 0; r < nrel && !mask; r++) {
			/* the smaller of two answers does the hiding: the enclosing
			 * one counts on it (and nothing to difference when equal) */
			if (!rel[r].encloses || !memcmp(rel[r].c, c, NDIS * sizeof *c))
				continue;
			pair_of(p, c, &rel[r], &pr);
			mask = leak(&pr);
		}
		if (!mask || (hide = to_hide(p, &pr, c, mask)) < 0)
			break;
		p->shown[hide] = 0;
	}
	/* what the shown ones give away anyway is shown too */
	for (k = 0; k < AG_COUNT; k++) {
		int v[AG_COUNT], n = 0, j;

		for (j = 0; j < AG_COUNT; j++)
			if (p->shown[j])
				v[n++] = ag_mask[j];
		if (!p->shown[k] && size_of(c, ag_mask[k]) >= SMALL && in_span(v, n, ag_mask[k]))
			p->shown[k] = 1;
	}
	for (k = 0; k < AG_COUNT; k++)
		if (!p->shown[k] && size_of(c, ag_mask[k]) > 0)
			p->any_hidden = 1;
}

/* ---- the answer ---- */

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *count(int64_t n, int ok)
{
	return ok ? json_integer(n) : json_null();
}

/* knowledge, or one learning area */
static json_t *knowledge(const struct obj *o, const struct plan *p, int with_students)
{
	struct sums all, g0, g12, g2;
	json_t *j = json_object(), *byd = json_object();
	int sa = p->shown[AG_ALL], s0 = p->shown[AG_D0], s12 = p->shown[AG_D12], s2 = p->shown[AG_D2];
	double sd0, sd12, pooled;
	int i;

	if (!j || !byd) {
		json_decref(j);
		json_decref(byd);
		return NULL;
	}
	merge(&all, o->d, 7);
	merge(&g0, o->d, 1);
	merge(&g12, o->d, 6);
	merge(&g2, o->d, 4);
	if (with_students)
		set(j, "students", count(size_of(o->c, 7), sa));
	set(j, "n", count(all.n, sa));
	set(j, "mean", num(mean(&all, 100), 2, sa && all.n > 0));
	set(j, "sd", num(sqrt(var(&all, 100)), 2, sa && all.n > 1));
	set(j, "below_pass_share", num((double)hist_below(&all, 50) / (double)all.n, 4, sa && all.n > 0));
	set(j, "median", num(quantile(&all, 0.5), 2, sa && all.n > 0));
	set(j, "q1", num(quantile(&all, 0.25), 2, sa && all.n > 0));
	set(j, "q3", num(quantile(&all, 0.75), 2, sa && all.n > 0));
	for (i = 0; i < NDIS; i++) {
		char k[2] = { (char)('0' + i), 0 };

		set(byd, k, num(mean(&o->d[i], 100), 2, p->shown[AG_D0 + i] && o->d[i].n > 0));
	}
	set(j, "mean_by_disadvantage", byd);
	set(j, "gap", num(mean(&g0, 100) - mean(&g12, 100), 2, s0 && s12 && g0.n > 0 && g12.n > 0));
	set(j, "gap_extreme", num(mean(&g0, 100) - mean(&g2, 100), 2, s0 && s2 && g0.n > 0 && g2.n > 0));
	sd0 = g0.n > 1 ? var(&g0, 100) : NAN;
	sd12 = g12.n > 1 ? var(&g12, 100) : NAN;
	pooled = sqrt(((double)(g0.n - 1) * sd0 + (double)(g12.n - 1) * sd12) / (double)(g0.n + g12.n - 2));
	set(j, "effect_size", num((mean(&g0, 100) - mean(&g12, 100)) / pooled, 2,
				  s0 && s12 && g0.n > 1 && g12.n > 1 && pooled > 0));
	set(j, "disadvantaged_below_pass_share",
	    num((double)hist_below(&g12, 50) / (double)g12.n, 4, s12 && g12.n > 0));
	if (p->any_hidden)
		set(j, "suppressed", json_true());
	return j;
}

/* skills (level >= 3 proficient) or attitude (level >= 2 good), or one subject */
static json_t *levels(const struct obj *o, const struct plan *p, const char *share_name, int from, int lo, int hi,
		      int with_students)
{
	struct sums all, g0, g12;
	json_t *j = json_object(), *lv = json_object(), *byd = json_object();
	int sa = p->shown[AG_ALL], s0 = p->shown[AG_D0], s12 = p->shown[AG_D12];
	int i;

	if (!j || !lv || !byd) {
		json_decref(j);
		json_decref(lv);
		json_decref(byd);
		return NULL;
	}
	merge(&all, o->d, 7);
	merge(&g0, o->d, 1);
	merge(&g12, o->d, 6);
	if (with_students)
		set(j, "students", count(size_of(o->c, 7), sa));
	set(j, "n", count(all.n, sa));
	set(j, share_name, num((double)levels_at_least(&all, from) / (double)all.n, 4, sa && all.n > 0));
	for (i = 0; i < NDIS; i++) {
		char k[2] = { (char)('0' + i), 0 };

		set(byd, k, num((double)levels_at_least(&o->d[i], from) / (double)o->d[i].n, 4,
				p->shown[AG_D0 + i] && o->d[i].n > 0));
	}
	set(j, "share_by_disadvantage", byd);
	set(j, "gap", num((double)levels_at_least(&g0, from) / (double)g0.n -
				  (double)levels_at_least(&g12, from) / (double)g12.n,
			  4, s0 && s12 && g0.n > 0 && g12.n > 0));
	for (i = lo; i <= hi; i++) {
		char k[2] = { (char)('0' + i), 0 };

		set(lv, k, count(all.l[i], sa));
	}
	set(j, "levels", lv);
	if (p->any_hidden)
		set(j, "suppressed", json_true());
	return j;
}

/* ---- related answers (for differencing) ----
 *
 * The answers whose data holds all of the query's: every scope (the nation,
 * an area, a province) and filter (all schools, pilot or not, a cohort)
 * that takes in each school with results in the query's.  Of two nested
 * answers the smaller one hides what differencing would give away, so each
 * answer looks only at those that enclose it.
 */

struct related {
	int64_t (*c)[NDIS];       /* per answer and object: students per disadvantage */
	size_t n;                 /* answers */
	size_t nobj;
};

/* The slot of a related answer (zeroed), or NULL. */
static int64_t (*rel_add(struct related *r))[NDIS]
{
	int64_t(*nc)[NDIS] = nw_realloc(r->c, (r->n + 1) * r->nobj * sizeof *nc);

	if (!nc)
		return NULL;
	r->c = nc;
	memset(r->c + r->n * r->nobj, 0, r->nobj * sizeof *nc);
	return r->c + r->n++ * r->nobj;
}

static size_t obj_index(const struct data *dt, const char *domain, const char *subject)
{
	size_t i;

	for (i = 0; i < dt->n; i++)
		if (!strcmp(dt->o[i].domain, domain) && !strcmp(dt->o[i].subject, subject))
			return i;
	return (size_t)-1;
}

/* Whether a school with (pilot, cohort) passes a filter (fp, fc). */
static int passes(char fp, int64_t fc, const char *pilot, int64_t cohort)
{
	return (!fp || pilot[0] == fp) && (!fc || (pilot[0] == 'Y' && cohort == fc));
}

/* A school with results in the query's answer. */
struct qschool {
	char area[16], province[16], pilot[4];
	int64_t cohort;
};

/* The filters every school of the query's passes: all schools, pilot or
 * not, each cohort. */
static size_t common_filters(const struct qschool *qs, size_t nq, const int64_t *cohorts, size_t ncohorts,
			     char *fp, int64_t *fc)
{
	char p[64];
	int64_t c[64];
	size_t n = 0, m = 0, i, j;

	p[n] = 0, c[n++] = 0;
	p[n] = 'Y', c[n++] = 0;
	p[n] = 'N', c[n++] = 0;
	for (i = 0; i < ncohorts && n < 64; i++)
		p[n] = 'Y', c[n++] = cohorts[i];
	for (i = 0; i < n; i++) {
		for (j = 0; j < nq && passes(p[i], c[i], qs[j].pilot, qs[j].cohort); j++)
			;
		if (j == nq)
			fp[m] = p[i], fc[m++] = c[i];
	}
	return m;
}

/* Rows (pilot, cohort, domain, subject, disadvantage, n) of one scope into
 * related answers, one per filter. */
static int read_related(struct store *st, struct store_stmt *q, const struct data *dt, struct related *r,
			const char *fp, const int64_t *fc, size_t nf)
{
	char pilot[4], dom[8], subj[16];
	size_t first = r->n, f, o;
	int rc;

	for (f = 0; f < nf; f++)
		if (!rel_add(r))
			return err_generic(&st->err, NAWAT_ENOMEM);
	while ((rc = store_step(q)) == 1) {
		int64_t cohort, d, n;

		col_str(q, 0, pilot, sizeof pilot);
		cohort = store_col_int(q, 1);
		col_str(q, 2, dom, sizeof dom);
		col_str(q, 3, subj, sizeof subj);
		d = store_col_int(q, 4);
		n = store_col_int(q, 5);
		if (d < 0 || d >= NDIS || (o = obj_index(dt, dom, subj)) == (size_t)-1)
			continue;
		for (f = 0; f < nf; f++)
			if (passes(fp[f], fc[f], pilot, cohort))
				r->c[(first + f) * r->nobj + o][d] += n;
	}
	return rc < 0 ? rc : 0;
}

/* The cohorts there are. */
static int cohorts_of(struct store *st, int64_t *out, size_t cap, size_t *n)
{
	struct store_stmt *q;
	int rc;

	*n = 0;
	if ((rc = store_prepare(st, "SELECT DISTINCT pilot_cohort FROM schools WHERE pilot_cohort IS NOT NULL "
				    "ORDER BY pilot_cohort",
				&q)))
		return rc;
	while ((rc = store_step(q)) == 1)
		if (*n < cap)
			out[(*n)++] = store_col_int(q, 0);
	store_finalize(q);
	return rc < 0 ? rc : 0;
}

#define QSCHOOLS "SELECT DISTINCT coalesce(sc.area_code, ''), sc.province_code, sc.pilot, coalesce(sc.pilot_cohort, 0) " \
		 "FROM eq_cells c JOIN schools sc ON sc.school_code = c.school_code WHERE c.academic_year = ? AND " \
		 "c.term = ? AND c.instrument = ? AND (? = '' OR sc.area_code = ?) AND (? = '' OR sc.province_code = ?) " \
		 "AND (? = '' OR sc.school_code = ?) AND (? = '' OR sc.pilot = ?) AND (? = 0 OR sc.pilot_cohort = ?)"

/* The schools with results in the query's answer (their places and kinds). */
static int qschools_of(struct store *st, const struct eq_query *x, struct qschool **out, size_t *n)
{
	const char *code = x->scope.code;
	const char *area = x->scope.kind == EQ_AREA ? code : "", *prov = x->scope.kind == EQ_PROVINCE ? code : "";
	const char *school = x->scope.kind == EQ_SCHOOL ? code : "";
	char pilot[2] = { x->pilot, 0 };
	struct store_stmt *q;
	int rc, i = 1;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(st, QSCHOOLS, &q)))
		return rc;
	if ((rc = store_bind_int(q, i++, x->year)) || (rc = store_bind_int(q, i++, x->term)) ||
	    (rc = store_bind_str(q, i++, x->instrument)) || (rc = store_bind_str(q, i++, area)) ||
	    (rc = store_bind_str(q, i++, area)) || (rc = store_bind_str(q, i++, prov)) ||
	    (rc = store_bind_str(q, i++, prov)) || (rc = store_bind_str(q, i++, school)) ||
	    (rc = store_bind_str(q, i++, school)) || (rc = store_bind_str(q, i++, pilot)) ||
	    (rc = store_bind_str(q, i++, pilot)) || (rc = store_bind_int(q, i++, x->cohort)) ||
	    (rc = store_bind_int(q, i, x->cohort)))
		goto out;
	while ((rc = store_step(q)) == 1) {
		struct qschool *nq = nw_realloc(*out, (*n + 1) * sizeof **out);

		if (!nq) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		*out = nq;
		col_str(q, 0, nq[*n].area, sizeof nq->area);
		col_str(q, 1, nq[*n].province, sizeof nq->province);
		col_str(q, 2, nq[*n].pilot, sizeof nq->pilot);
		nq[*n].cohort = store_col_int(q, 3);
		(*n)++;
	}
out:
	store_finalize(q);
	return rc < 0 ? rc : 0;
}

#define REL_ROLLUP "SELECT pilot, cohort, domain, subject_code, disadvantage, SUM(n) FROM eq_rollup " \
		   "WHERE level = ? AND code = ? AND academic_year = ? AND term = ? AND instrument = ? " \
		   "GROUP BY pilot, cohort, domain, subject_code, disadvantage"

static int load_related(struct store *st, const struct eq_query *x, const struct data *dt, struct related *r)
{
	struct qschool *qs = NULL;
	int64_t co[60], fc[64];
	char fp[64];
	size_t nco, nq, nf, i, lvl;
	int rc;

	r->nobj = dt->n;
	if ((rc = cohorts_of(st, co, 60, &nco)) || (rc = qschools_of(st, x, &qs, &nq)))
		return rc;
	nf = nq ? common_filters(qs, nq, co, nco, fp, fc) : 0;
	/* the nation, the area and the province that hold every one of them */
	for (lvl = 0; nf && lvl < 3 && !rc; lvl++) {
		const char *code = lvl == 0 ? "" : lvl == 1 ? qs[0].area : qs[0].province;
		struct store_stmt *q;

		for (i = 1; i < nq && lvl; i++)
			if (strcmp(lvl == 1 ? qs[i].area : qs[i].province, code))
				break;
		if ((lvl && i < nq) || (lvl == 1 && !*code))
			continue;
		if ((rc = store_prepare(st, REL_ROLLUP, &q)))
			break;
		if (!(rc = store_bind_str(q, 1, lvl == 0 ? "N" : lvl == 1 ? "A" : "P")) && !(rc = store_bind_str(q, 2, code)) &&
		    !(rc = store_bind_int(q, 3, x->year)) && !(rc = store_bind_int(q, 4, x->term)) &&
		    !(rc = store_bind_str(q, 5, x->instrument)))
			rc = read_related(st, q, dt, r, fp, fc, nf);
		store_finalize(q);
	}
	nw_free(qs);
	return rc;
}

/* The related answers' groups of object o, and what each shows on its own. */
static struct rel_one *rels_of(const struct related *r, size_t o, struct rel_one *out)
{
	struct plan p;
	size_t i;

	for (i = 0; i < r->n; i++) {
		out[i].c = r->c[i * r->nobj + o];
		out[i].encloses = 1;
		plan_of(out[i].c, 1, NULL, 0, &p);
		memcpy(out[i].shown, p.shown, sizeof out[i].shown);
	}
	return out;
}

/* ---- building the answer ---- */

static int by_code(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;
	int c = strcmp(x->domain, y->domain);

	return c ? c : strcmp(x->subject, y->subject);
}

static json_t *answer(const struct data *dt, const struct related *r, int suppress)
{
	static const struct {
		const char *domain, *name, *by;
	} doms[] = { { "K", "knowledge", "by_learning_area" },
		     { "S", "skills", "by_competency" },
		     { "A", "attitude", "by_characteristic" } };
	struct rel_one *diff = nw_calloc(r->n ? r->n : 1, sizeof *diff);
	json_t *j = json_object();
	struct plan p;
	size_t i, k;

	if (!j || !diff) {
		json_decref(j);
		nw_free(diff);
		return NULL;
	}
	/* everyone */
	plan_of(dt->o[0].c, suppress, rels_of(r, 0, diff), r->n, &p);
	set(j, "students", count(size_of(dt->o[0].c, 7), p.shown[AG_ALL]));
	if (!p.shown[AG_ALL] && size_of(dt->o[0].c, 7) > 0)
		set(j, "suppressed", json_true());
	for (k = 0; k < 3; k++) {
		size_t dom = obj_index(dt, doms[k].domain, "*");
		json_t *o, *by = json_object();

		plan_of(dt->o[dom].c, suppress, rels_of(r, dom, diff), r->n, &p);
		o = k == 0 ? knowledge(&dt->o[dom], &p, 1)
			   : levels(&dt->o[dom], &p, k == 1 ? "proficient_share" : "good_share", k == 1 ? 3 : 2,
				    k == 1 ? 1 : 0, k == 1 ? 4 : 3, 1);
		for (i = 0; o && by && i < dt->n; i++) {
			const struct obj *s = &dt->o[i];
			json_t *v;

			if (strcmp(s->domain, doms[k].domain) || !strcmp(s->subject, "*"))
				continue;
			plan_of(s->c, suppress, rels_of(r, i, diff), r->n, &p);
			v = k == 0 ? knowledge(s, &p, 0)
				   : levels(s, &p, k == 1 ? "proficient_share" : "good_share", k == 1 ? 3 : 2,
					    k == 1 ? 1 : 0, k == 1 ? 4 : 3, 0);
			if (!v || json_object_set_new(by, s->subject, v)) {
				json_decref(o);
				o = NULL;
			}
		}
		if (!o || !by) {
			json_decref(o);
			json_decref(by);
			json_decref(j);
			nw_free(diff);
			return NULL;
		}
		set(o, doms[k].by, by);
		set(j, doms[k].name, o);
	}
	nw_free(diff);
	return j;
}

/* ---- defaults ---- */

static int pick(struct store *st, const struct eq_query *x, const char *sql, int what, int64_t *iv, char *sv,
		size_t svn)
{
	struct store_stmt *q;
	int rc, found = 0;

	if ((rc = store_prepare(st, sql, &q)))
		return rc;
	rc = store_bind_str(q, 1, x->scope.kind == EQ_SCHOOL ? x->scope.code : level_of(x->scope.kind));
	if (!rc)
		rc = store_bind_str(q, 2, x->scope.kind == EQ_SCHOOL ? "" : x->scope.code);
	if (!rc && what >= 1)
		rc = store_bind_int(q, 3, x->year);
	if (!rc && what >= 2)
		rc = store_bind_int(q, 4, x->term);
	if (!rc && (rc = store_step(q)) == 1) {
		if (!store_col_null(q, 0)) {
			found = 1;
			if (iv)
				*iv = store_col_int(q, 0);
			else
				col_str(q, 0, sv, svn);
		}
		rc = 0;
	}
	store_finalize(q);
	return rc < 0 ? rc : found ? 0 : NAWAT_ENOTFOUND;
}

int eq_defaults(struct store *st, struct eq_query *x)
{
	/* (a school's own rows; the rollup's national, area or province ones) */
	static const char *const sch[] = {
		"SELECT MAX(academic_year) FROM eq_cells WHERE school_code = ? AND ? = ''",
		"SELECT MAX(term) FROM eq_cells WHERE school_code = ? AND ? = '' AND academic_year = ?",
		"SELECT instrument FROM eq_cells WHERE school_code = ? AND ? = '' AND academic_year = ? AND term = ? "
		"AND subject_code <> '*' GROUP BY instrument ORDER BY SUM(n) DESC, instrument LIMIT 1",
	};
	static const char *const roll[] = {
		"SELECT MAX(academic_year) FROM eq_rollup WHERE level = ? AND code = ?",
		"SELECT MAX(term) FROM eq_rollup WHERE level = ? AND code = ? AND academic_year = ?",
		"SELECT instrument FROM eq_rollup WHERE level = ? AND code = ? AND academic_year = ? AND term = ? "
		"AND subject_code <> '*' GROUP BY instrument ORDER BY SUM(n) DESC, instrument LIMIT 1",
	};
	const char *const *sql = x->scope.kind == EQ_SCHOOL ? sch : roll;
	int rc;

	if (!x->year && (rc = pick(st, x, sql[0], 0, &x->year, NULL, 0)))
		return rc;
	if (x->term < 0 && (rc = pick(st, x, sql[1], 1, &x->term, NULL, 0)))
		return rc;
	if (!x->instrument[0] && (rc = pick(st, x, sql[2], 2, NULL, x->instrument, sizeof x->instrument)))
		return rc;
	return 0;
}

/* ---- entry points ---- */

static int metrics(struct store *st, const struct eq_query *x, json_t **out)
{
	struct data dt;
	struct related r;
	int rc;

	*out = NULL;
	memset(&r, 0, sizeof r);
	if ((rc = load(st, x, &dt)))
		return rc;
	qsort(dt.o + 4, dt.n - 4, sizeof *dt.o, by_code); /* subjects in code order, after the four */
	if (x->suppress && (rc = load_related(st, x, &dt, &r))) {
		data_free(&dt);
		nw_free(r.c);
		return rc;
	}
	*out = answer(&dt, &r, x->suppress);
	data_free(&dt);
	nw_free(r.c);
	return *out ? 0 : err_generic(&st->err, NAWAT_ENOMEM);
}

static json_t *head(const struct eq_query *x)
{
	char sc[40], pilot[2] = { x->pilot, 0 };

	return json_pack("{s:s,s:I,s:I,s:s,s:o,s:o,s:b}", "scope", eq_scope_text(&x->scope, sc, sizeof sc),
			 "academic_year", (json_int_t)x->year, "term", (json_int_t)x->term, "instrument", x->instrument,
			 "pilot", x->pilot ? json_string(pilot) : json_null(), "cohort",
			 x->cohort ? json_integer(x->cohort) : json_null(), "small_groups_suppressed", x->suppress);
}

int eq_metrics(struct store *st, const struct eq_query *x, json_t **out)
{
	json_t *h, *m;
	int rc;

	*out = NULL;
	if ((rc = metrics(st, x, &m)))
		return rc;
	if (!(h = head(x)) || json_object_update(h, m)) {
		json_decref(h);
		json_decref(m);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	json_decref(m);
	*out = h;
	return 0;
}

/* Decimal places of a value by its name and its object's: shares and gaps
 * of shares 4, counts 0, means and the like 2. */
static int places_of(const char *parent, const char *key, const json_t *v)
{
	if (json_is_integer(v))
		return 0;
	if (strstr(key, "share") || strstr(parent, "share"))
		return 4;
	if (!strcmp(key, "gap") && (!strcmp(parent, "skills") || !strcmp(parent, "attitude")))
		return 4;
	return 2;
}

/* The change of every number of `now` from `before` (same shape; null
 * where either is null), without the breakdowns by subject. */
static json_t *change(const char *parent, const json_t *now, const json_t *before)
{
	const char *k;
	json_t *v, *out = json_object();

	if (!out)
		return NULL;
	json_object_foreach((json_t *)now, k, v) {
		json_t *b = before ? json_object_get(before, k) : NULL, *c = NULL;

		if (!strcmp(k, "suppressed") || !strncmp(k, "by_", 3) || !strcmp(k, "small_groups_suppressed"))
			continue;
		if (json_is_object(v)) {
			c = change(k, v, b);
		} else if (json_is_number(v) && b && json_is_number(b)) {
			double d = json_number_value(v) - json_number_value(b);
			int pl = places_of(parent, k, v);

			c = pl ? json_real(round_to(d, pl)) : json_integer((json_int_t)llround(d));
		} else if (json_is_number(v) || json_is_null(v)) {
			c = json_null();
		} else {
			continue;
		}
		if (!c || json_object_set_new(out, k, c)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

int eq_trend(struct store *st, const struct eq_query *x0, json_t **out)
{
	struct eq_query x = *x0;
	struct store_stmt *q;
	json_t *years = json_array(), *prev = NULL, *j;
	int64_t *ys = NULL;
	size_t n = 0, i;
	int rc;

	*out = NULL;
	if (!years)
		return err_generic(&st->err, NAWAT_ENOMEM);
	rc = x.scope.kind == EQ_SCHOOL
		     ? store_prepare(st, "SELECT DISTINCT academic_year FROM eq_cells WHERE school_code = ? AND "
					 "term = ? AND instrument = ? ORDER BY academic_year",
				     &q)
		     : store_prepare(st, "SELECT DISTINCT academic_year FROM eq_rollup WHERE level = ? AND code = ? AND "
					 "term = ? AND instrument = ? ORDER BY academic_year",
				     &q);
	if (rc) {
		json_decref(years);
		return rc;
	}
	{
		int p = 1;

		if (x.scope.kind != EQ_SCHOOL)
			rc = store_bind_str(q, p++, level_of(x.scope.kind));
		if (!rc && !(rc = store_bind_str(q, p++, x.scope.code)) && !(rc = store_bind_int(q, p++, x.term)))
			rc = store_bind_str(q, p, x.instrument);
	}
	while (!rc && (rc = store_step(q)) == 1) {
		int64_t *ny = nw_realloc(ys, (n + 1) * sizeof *ny);

		if (!ny) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		ys = ny;
		ys[n++] = store_col_int(q, 0);
		rc = 0;
	}
	store_finalize(q);
	for (i = 0; rc >= 0 && i < n; i++) {
		json_t *m, *c;

		x.year = ys[i];
		if ((rc = metrics(st, &x, &m)))
			break;
		c = change("", m, prev);
		if (!c || json_object_set_new(m, "change", c) ||
		    json_object_set_new(m, "academic_year", json_integer((json_int_t)ys[i])) ||
		    json_array_append(years, m)) {
			json_decref(m);
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		json_decref(prev);
		prev = m;
	}
	json_decref(prev);
	nw_free(ys);
	if (rc < 0) {
		json_decref(years);
		return rc;
	}
	x = *x0;
	if (!(j = head(&x)) || json_object_del(j, "academic_year") || json_object_set_new(j, "years", years)) {
		json_decref(j);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	*out = j;
	return 0;
}

int eq_histogram(struct store *st, const struct eq_query *q, int64_t *h)
{
	struct data dt;
	size_t i, b, d;
	int rc;

	memset(h, 0, SCHEMA_HIST_BINS * sizeof *h);
	if ((rc = load(st, q, &dt)))
		return rc;
	for (i = 0; i < dt.n; i++)
		if (!strcmp(dt.o[i].domain, "K") && !strcmp(dt.o[i].subject, "*"))
			for (d = 0; d < NDIS; d++)
				for (b = 0; b < SCHEMA_HIST_BINS; b++)
					h[b] += dt.o[i].d[d].h[b];
	data_free(&dt);
	return 0;
}

int eq_kpi_path(const struct cmp_kpi *k, char *out, size_t n)
{
	static const struct {
		const char *domain, *by;
	} by[] = { { "knowledge", "by_learning_area" }, { "skills", "by_competency" }, { "attitude", "by_characteristic" } };
	const char *m = k->metric, *dot;
	size_t i;

	if (!m || !*m)
		return 0;
	if (!k->metric_subject || !*k->metric_subject || !(dot = strchr(m, '.'))) {
		snprintf(out, n, "%s", m);
		return 1;
	}
	for (i = 0; i < 3; i++)
		if (strlen(by[i].domain) == (size_t)(dot - m) && !strncmp(m, by[i].domain, (size_t)(dot - m))) {
			snprintf(out, n, "%s.%s.%s.%s", by[i].domain, by[i].by, k->metric_subject, dot + 1);
			return 1;
		}
	return 0;
}

int eq_kpi_fill(struct store *st, struct arena *mem, int suppress, struct cmp_data *d)
{
	size_t i, j, n = d->nvalues, cap = d->nvalues;
	struct cmp_kpi_value *v = d->values;
	char path[128];
	int rc = 0;

	for (i = 0; i < d->nkpis && !rc; i++) {
		const struct cmp_kpi *k = &d->kpis[i];
		const struct cmp_plan *plan = NULL;
		int64_t y;

		if (!eq_kpi_path(k, path, sizeof path))
			continue;
		for (j = 0; j < d->nplans; j++)
			if (!strcmp(d->plans[j].code, k->plan))
				plan = &d->plans[j];
		if (!plan)
			continue;
		for (y = plan->first_year; y <= plan->last_year && !rc; y++) {
			struct eq_query q;
			json_t *a = NULL;
			double val;

			for (j = 0; j < n; j++)
				if (!strcmp(v[j].plan, k->plan) && v[j].goal_no == k->goal_no && v[j].kpi_no == k->kpi_no &&
				    v[j].year == y && v[j].has_value)
					break;
			if (j < n)
				continue; /* a recorded value stays */
			memset(&q, 0, sizeof q);
			q.scope.kind = EQ_AREA;
			snprintf(q.scope.code, sizeof q.scope.code, "%s", *k->area ? k->area : plan->area);
			q.year = y;
			q.term = k->metric_term >= 0 ? k->metric_term : -1;
			snprintf(q.instrument, sizeof q.instrument, "%s", k->metric_instrument ? k->metric_instrument : "");
			q.suppress = suppress;
			rc = eq_defaults(st, &q);
			if (rc == NAWAT_ENOTFOUND) {
				rc = 0;
				continue; /* no results that year */
			}
			if (rc || (rc = eq_metrics(st, &q, &a)))
				break;
			if (eq_path_number(a, path, &val)) {
				if (n == cap) {
					struct cmp_kpi_value *nv = arena_alloc(mem, (cap * 2 + 8) * sizeof *nv);

					if (!nv) {
						json_decref(a);
						return err_generic(&st->err, NAWAT_ENOMEM);
					}
					if (n)
						memcpy(nv, v, n * sizeof *v);
					v = nv;
					cap = cap * 2 + 8;
				}
				for (j = 0; j < n; j++) /* a recorded target of the year stays beside it */
					if (!strcmp(v[j].plan, k->plan) && v[j].goal_no == k->goal_no &&
					    v[j].kpi_no == k->kpi_no && v[j].year == y)
						break;
				if (j < n) {
					v[j].has_value = 1;
					v[j].value = val;
					v[j].computed = 1;
				} else {
					memset(&v[n], 0, sizeof v[n]);
					v[n].plan = k->plan;
					v[n].goal_no = k->goal_no;
					v[n].kpi_no = k->kpi_no;
					v[n].year = y;
					v[n].has_value = 1;
					v[n].value = val;
					v[n].computed = 1;
					n++;
				}
			}
			json_decref(a);
		}
	}
	d->values = v;
	d->nvalues = n;
	return rc;
}

int eq_path_number(const json_t *answer, const char *path, double *v)
{
	const json_t *cur = answer;
	char part[64];
	const char *p = path, *dot;

	while (cur && *p) {
		size_t n;

		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof part)
			return 0;
		memcpy(part, p, n);
		part[n] = '\0';
		cur = json_object_get(cur, part);
		p = dot ? dot + 1 : p + n;
	}
	if (!cur || !json_is_number(cur))
		return 0;
	*v = json_number_value(cur);
	return 1;
}
