/*
 * compliance.h - the rule checks of sandbox governance: what breaks the Act's
 * rules on committees, meetings, resolutions, plans and pilot schools, or is
 * late.
 *
 * The checks are data: cmp_checks[] holds each check's code, severity and
 * Thai/English title and rule (docs/standard.md lists them).  cmp_run() is
 * pure: it takes the rows (struct cmp_data, dates as day numbers) and a day
 * "today", and calls back once per finding, in a fixed order.  cmp_load()
 * fills a struct cmp_data from the store through scans with the caller's
 * scope, so nobody sees findings about rows they may not read.
 *
 * Strings and arrays of a cmp_data loaded by cmp_load live in the arena
 * given to it; findings passed to the callback are valid during the call.
 */
#ifndef NAWAT_COMPLIANCE_H
#define NAWAT_COMPLIANCE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"

#define CMP_NODATE INT64_MIN   /* a missing date */
#define CMP_NONE (-1)          /* a missing integer */

enum cmp_severity { CMP_ERROR = 0, CMP_WARNING };

enum cmp_code {
	CMP_DRV_SIZE = 0,
	CMP_DRV_SEATS,
	CMP_DRV_CHAIR,
	CMP_DRV_SECRETARY,
	CMP_POL_EXPERTS,
	CMP_POL_TERM,
	CMP_POL_CONSECUTIVE,
	CMP_POL_MEETINGS,
	CMP_TERM_ENDED,
	CMP_VACANCY,
	CMP_PARENT,
	CMP_QUORUM,
	CMP_MEETING_UNRECORDED,
	CMP_RES_OVERDUE,
	CMP_KPI_BEHIND,
	CMP_PILOT_S27,
	CMP_PILOT_RECORD,
	CMP_COUNT
};

struct cmp_check {
	enum cmp_code id;
	const char *code;           /* "GOV-DRV-SIZE" */
	enum cmp_severity severity;
	const char *title_th, *title_en;
	const char *rule_th, *rule_en;
};

extern const struct cmp_check cmp_checks[CMP_COUNT];
const char *cmp_severity_name(enum cmp_severity s);   /* "error", "warning" */

/* The rows the checks read (a subset of each data set's fields). */
struct cmp_committee {
	const char *code, *type, *area, *parent;
	int64_t appointed, dissolved;   /* days */
	int64_t seats;                  /* CMP_NONE when not given */
};

struct cmp_member {
	const char *committee, *area, *name, *office, *seat;
	int64_t no;
	int64_t start, end, left;       /* days; end and left may be CMP_NODATE */
};

struct cmp_meeting {
	const char *committee, *area, *status;
	int64_t year, number, held_on;
	int64_t total, present;         /* CMP_NONE when not given */
	int quorum;                     /* 1 Y, 0 N, -1 not recorded */
};

struct cmp_resolution {
	const char *committee, *area, *status, *owner;
	int64_t year, meeting_no, no;
	int64_t due, closed;            /* days or CMP_NODATE */
};

struct cmp_plan {
	const char *code, *area;
	int64_t first_year, last_year;
};

struct cmp_kpi {
	const char *plan, *area, *name, *direction;
	int64_t goal_no, kpi_no;
	int has_baseline;
	double baseline, target;
	int64_t baseline_year;          /* CMP_NONE: the year before the plan */
	/* bound to an outcome metric ("" when not): its yearly values come
	 * from the learner results (analytics/equity.h, eq_kpi_fill) */
	const char *metric, *metric_subject, *metric_instrument;
	int64_t metric_term;            /* CMP_NONE: the latest of the year */
};

struct cmp_kpi_value {
	const char *plan;
	int64_t goal_no, kpi_no, year;
	int has_target, has_value;
	double target, value;
	int computed;                   /* from the learner results (a bound KPI) */
};

struct cmp_pilot {
	const char *school, *area, *status;
	int64_t board, supervisor, committee;   /* approval days or CMP_NODATE */
};

struct cmp_school {
	const char *code, *area, *name;
	int pilot;                      /* schools.pilot = Y */
};

struct cmp_data {
	struct cmp_committee *committees; size_t ncommittees;
	struct cmp_member *members; size_t nmembers;
	struct cmp_meeting *meetings; size_t nmeetings;
	struct cmp_resolution *resolutions; size_t nresolutions;
	struct cmp_plan *plans; size_t nplans;
	struct cmp_kpi *kpis; size_t nkpis;
	struct cmp_kpi_value *values; size_t nvalues;
	struct cmp_pilot *pilots; size_t npilots;      /* pilot_status rows */
	struct cmp_school *schools; size_t nschools;   /* schools in scope */
};

struct cmp_finding {
	const struct cmp_check *check;
	const char *area;               /* "" for the policy committee */
	const char *dataset;            /* the data set the subject is in */
	const char *subject;            /* its key, parts joined by "/" */
	const char *message_th, *message_en;
};

/* Runs every check; fn returns non-zero to stop (returned by cmp_run). */
int cmp_run(const struct cmp_data *d, int64_t today,
	    int (*fn)(void *ctx, const struct cmp_finding *f), void *ctx);

/* The member is in office on day `on`. */
int cmp_in_office(const struct cmp_member *m, int64_t on);

/* A KPI's status in a year: its target (the year's own, or the straight line
 * from the baseline to the final target), the latest value up to that year
 * and how they compare. */
enum cmp_kpi_status { KPI_NO_DATA = 0, KPI_ON_TRACK, KPI_CLOSE, KPI_BEHIND };
struct cmp_kpi_eval {
	enum cmp_kpi_status status;
	int has_target;
	double target;
	int64_t value_year;             /* year of the latest value, CMP_NONE */
	double value;
};
void cmp_kpi_eval(const struct cmp_kpi *k, const struct cmp_plan *plan, const struct cmp_kpi_value *vals,
		  size_t nvals, int64_t year, struct cmp_kpi_eval *out);
/* The target of a year (1 when there is one). */
int cmp_kpi_target(const struct cmp_kpi *k, const struct cmp_plan *plan, const struct cmp_kpi_value *vals,
		   size_t nvals, int64_t year, double *out);
const char *cmp_kpi_status_th(enum cmp_kpi_status s);
const char *cmp_kpi_status_en(enum cmp_kpi_status s);
const char *cmp_kpi_status_class(enum cmp_kpi_status s); /* "ok", "close", "behind", "none" */

/* Reads the rows of every governance data set (and the schools) in scope
 * sc.  NAWAT_E* with the message in st->err. */
int cmp_load(struct store *st, const struct store_scope *sc, struct arena *mem, struct cmp_data *out);

#endif
