/*
 * equity.h - learner outcome and equity metrics, read from the aggregates.
 *
 * A query names a scope (national, area:CODE, province:CODE, school:CODE),
 * optionally narrowed to pilot schools or not (pilot=Y|N) or to one pilot
 * cohort, and an academic year, term and instrument.  The answer (a JSON
 * object, the names of docs/equity.md and of the API) is computed from the
 * sums of agg.h: national, area and province scopes read the rollup (a few
 * hundred rows), a school its own rows.
 *
 * Definitions (every value from exact integer sums, rounded at the end:
 * means, SDs, gaps of means, medians and quartiles to 2 decimals, shares and
 * gaps of shares to 4):
 *   students                distinct students with at least one result
 *   knowledge.n, .mean, .sd (sample), .below_pass_share (score < 50),
 *     .median, .q1, .q3     from the one-point bins: b + (p n - C(b-1)) / h(b)
 *                           for the first bin b whose cumulative count C(b)
 *                           reaches p n
 *     .mean_by_disadvantage {"0","1","2"}, .gap (0 minus 1 or 2),
 *     .gap_extreme (0 minus 2), .effect_size (gap / pooled SD of the two
 *     groups), .disadvantaged_below_pass_share, .students;
 *     .by_learning_area.CODE the same per learning area
 *   skills.n, .proficient_share (level >= 3), .gap, .levels, .students;
 *     .by_competency.CODE
 *   attitude.n, .good_share (level >= 2), .gap, .levels, .students;
 *     .by_characteristic.CODE
 *
 * Small groups: when suppress is set (researchers, public views), a value
 * that rests on a group of 1-4 students is null, and its object says
 * "suppressed": true.  Groups are the students of each disadvantage, the
 * disadvantaged together, and everyone, per object (the domain, each
 * subject).  What stays shown never lets a set of 1-4 students be worked
 * out by adding and subtracting values: neither within the answer
 * (complementary suppression) nor with an answer that encloses it (the
 * nation, the area or the province, all schools, pilot schools or not, a
 * cohort, whichever takes in every school with results in it): of two
 * nested answers the smaller one hides what their difference would give
 * away.
 */
#ifndef NAWAT_EQUITY_H
#define NAWAT_EQUITY_H

#include <jansson.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../domain/compliance.h"
#include "../store/store.h"

enum eq_kind { EQ_NATIONAL = 0, EQ_AREA, EQ_PROVINCE, EQ_SCHOOL };

struct eq_scope {
	enum eq_kind kind;
	char code[16];            /* area, province or school code */
};

struct eq_query {
	struct eq_scope scope;
	int64_t year;             /* academic year (B.E.); 0 = the latest there is */
	int64_t term;             /* -1 = the latest of the year */
	char instrument[8];       /* "" = the one with most results */
	char pilot;               /* 0 any, 'Y' pilot schools, 'N' the others */
	int64_t cohort;           /* 0 any; else pilot schools of that cohort */
	int suppress;             /* small groups hidden (researchers, public) */
};

/* "national", "area:50", "province:50", "school:1050140101": 0, or
 * NAWAT_EINVAL (with err set). */
int eq_scope_parse(const char *s, struct eq_scope *out, struct nw_err *err);
/* The scope as text ("area:50"), into buf[n]. */
const char *eq_scope_text(const struct eq_scope *sc, char *buf, size_t n);

/* Fills in a query's missing year, term and instrument from the data
 * (the latest year, its latest term, the instrument with most results):
 * 0, or NAWAT_ENOTFOUND when the scope has no results at all. */
int eq_defaults(struct store *st, struct eq_query *q);

/* The metrics of a query, as a new JSON object (*out; the caller owns it):
 * 0 or NAWAT_E* with st->err. */
int eq_metrics(struct store *st, const struct eq_query *q, json_t **out);

/* Every academic year the scope has results for that term and instrument,
 * each with its metrics and the change from the year before:
 * {"years": [{"academic_year": Y, ...metrics..., "change": {...}}]}. */
int eq_trend(struct store *st, const struct eq_query *q, json_t **out);

/* The one-point bins of the knowledge scores of a query (every learning
 * area): h[0..100].  For views without small groups hidden only. */
int eq_histogram(struct store *st, const struct eq_query *q, int64_t *h);

/* KPIs bound to a metric fill themselves in: for each KPI of d with a
 * metric, every year of its plan that has results in the KPI's area and no
 * value recorded gets the metric's value (a row appended to d->values, in
 * mem; marked computed).  suppress: as for the caller's answers. */
int eq_kpi_fill(struct store *st, struct arena *mem, int suppress, struct cmp_data *d);
/* The dotted path of a KPI's metric ("knowledge.by_learning_area.MAT.mean"),
 * into out[n]; 0 when the binding makes no path. */
int eq_kpi_path(const struct cmp_kpi *k, char *out, size_t n);

/* A number inside an answer by its dotted path ("knowledge.gap",
 * "knowledge.by_learning_area.MAT.mean"): 1 and *v, or 0 when it is null
 * or missing. */
int eq_path_number(const json_t *answer, const char *path, double *v);

#endif
