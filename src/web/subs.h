/*
 * subs.h - who sent what, in the web application: the submissions API and
 * pages (per school and area), the completeness view, and the relink of a
 * student's history to another citizen ID.
 *
 *   GET  /api/v1/submissions?school=&area=&dataset=&from=&to=&limit=&cursor=
 *   GET  /api/v1/submissions/{id}              counts, who, when, file, per school
 *   GET  /api/v1/submissions/{id}/report.csv   the validation report
 *   GET  /api/v1/completeness?area=&academic_year=&term=&as_of=&format=json|csv|xlsx
 *   POST /api/v1/students/relink               {"old": ID, "new": ID, "dry_run": false}
 *   /submissions, /submissions/{id}, /completeness, /students/relink   (pages)
 *
 * Reads go through the caller's scope (domain/submissions.h,
 * domain/completeness.h); nobody sees a row or a count outside it.
 */
#ifndef NAWAT_SUBS_H
#define NAWAT_SUBS_H

#include "../domain/submissions.h"
#include "app.h"

/* /api/v1/submissions and below; rest is what follows "submissions". */
void api_submissions(struct ctx *c, const char *rest);
void api_completeness(struct ctx *c);
void api_relink(struct ctx *c);

/* Pages; return 0 when the path is not theirs. */
int subs_route(struct ctx *c);
void page_completeness(struct ctx *c);
void page_relink(struct ctx *c);
/* The submissions of f the caller may see, as a table with this caption
 * (links to each and to its report); the rows shown (-1 on failure, with a
 * notice), *more when there are more, *last the last one's id. */
int subs_table(struct ctx *c, const struct subs_filter *f, const char *cap_th, const char *cap_en, int *more,
	       int64_t *last);

/* Query-string checks shared by the API and the pages: a school code (10
 * digits) or an area code (2 digits) within the caller's scope: 0, or the
 * HTTP status to answer (400 malformed, 404 not in the scope). */
int subs_check_school(struct ctx *c, const char *code);
int subs_check_area(struct ctx *c, const char *code);

/* A refused query: the HTTP status, an error code and the messages. */
struct subs_bad {
	int status;
	const char *code, *th, *en;
};
int subs_bad_set(struct subs_bad *bad, int status, const char *code, const char *th, const char *en);
/* The area= and school= of the query string, checked (NULL when absent). */
int subs_scope_args(struct ctx *c, const char **area, const char **school, struct subs_bad *bad);
/* The filters of a submissions list from the query string (school, area,
 * dataset, from, to, limit, cursor): 0, or the status with *bad filled. */
int subs_parse_filter(struct ctx *c, struct subs_filter *f, struct subs_bad *bad);

#endif
