/*
 * eqweb.h - learner outcomes and equity in the web application: the API
 * (GET /api/v1/equity, /api/v1/equity/trend) and the dashboards (/equity).
 *
 * Both read the aggregates through analytics/equity.h, for a scope the
 * caller may see: the one scope check is eqweb_query (an area user reads
 * their area and its schools, a school its own; a school belongs to an area
 * when the caller's scoped query of schools finds it).  Researchers, and
 * anyone asking for view=public, get small groups suppressed.
 */
#ifndef NAWAT_EQWEB_H
#define NAWAT_EQWEB_H

#include "../analytics/equity.h"
#include "app.h"

/* rest: "equity" or "equity/trend". */
void api_equity(struct ctx *c, const char *rest);

/* The dashboards; 0 when the path is not theirs. */
int eqweb_route(struct ctx *c);

/* The query of a request's parameters (scope, academic_year, term,
 * instrument, pilot, cohort, view), checked against the caller's scope:
 * 0, or an HTTP status (400, 403) with the message in th/en. */
int eqweb_query(struct ctx *c, struct eq_query *q, const char **th, const char **en);

#endif
