/*
 * gov.h - governance in the web application: the compliance API and the
 * pages of committees, meetings, plans, pilot schools and partners.
 *
 * Everything reads through ctx_query()/the caller's scope and writes through
 * the import pipeline (one-row imports), so that validation, scope, audit and
 * submissions are those of files.
 */
#ifndef NAWAT_GOV_H
#define NAWAT_GOV_H

#include "app.h"

/* GET /api/v1/compliance?scope=all|AREA&as_of=YYYY-MM-DD */
void api_compliance(struct ctx *c);

/* The scope a governance view asks for ("all", an area code, or NULL for
 * the caller's own), checked against the caller's: 0, or 403/400 with *out
 * untouched. */
int gov_scope(struct ctx *c, const char *want, struct store_scope *out);

/* Pages (pages_gov.c); return 0 when the path is not theirs. */
int gov_route(struct ctx *c);
/* The governance part of an area's page: committees, last and next
 * meetings, open resolutions, plan progress, pilot schools by stage, open
 * issues from the checks. */
void gov_area_section(struct ctx *c, const char *area);

#endif
