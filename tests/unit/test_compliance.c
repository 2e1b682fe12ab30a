/*
 * test_compliance.c - the governance rule checks (src/domain/compliance.c),
 * table-driven: each case builds a small set of rows from a valid base,
 * breaks (or keeps) one rule, and names the findings expected of the check
 * under test, by subject key.  Every check has passing and failing cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "domain/compliance.h"

static int64_t D(const char *iso)
{
	struct date d;
	enum date_form f;

	if (!iso)
		return CMP_NODATE;
	assert_int_equal(date_parse(iso, strlen(iso), &d, &f), DATE_OK);
	return date_to_days(d);
}

#define MAXROWS 40

/* A fixture: room for rows of every kind. */
struct fx {
	struct cmp_data d;
	struct cmp_committee committees[8];
	struct cmp_member members[MAXROWS];
	struct cmp_meeting meetings[MAXROWS];
	struct cmp_resolution resolutions[8];
	struct cmp_plan plans[2];
	struct cmp_kpi kpis[4];
	struct cmp_kpi_value values[8];
	struct cmp_pilot pilots[4];
	struct cmp_school schools[4];
	char names[MAXROWS][32];
};

static struct cmp_committee *committee(struct fx *x, const char *code, const char *type, const char *area,
				       const char *appointed, int64_t seats)
{
	struct cmp_committee *c = &x->committees[x->d.ncommittees++];

	memset(c, 0, sizeof *c);
	c->code = code;
	c->type = type;
	c->area = area;
	c->parent = "";
	c->appointed = D(appointed);
	c->dissolved = CMP_NODATE;
	c->seats = seats;
	return c;
}

static struct cmp_member *member(struct fx *x, const char *committee, const char *name, const char *seat,
				 const char *office, const char *start, const char *end)
{
	struct cmp_member *m = &x->members[x->d.nmembers];

	memset(m, 0, sizeof *m);
	m->no = (int64_t)++x->d.nmembers;
	m->committee = committee;
	m->area = "50";
	m->name = name;
	m->seat = seat;
	m->office = office;
	m->start = D(start);
	m->end = D(end);
	m->left = CMP_NODATE;
	return m;
}

static struct cmp_meeting *meeting(struct fx *x, const char *committee, const char *status, const char *day,
				   int64_t total, int64_t present)
{
	struct cmp_meeting *m = &x->meetings[x->d.nmeetings++];

	memset(m, 0, sizeof *m);
	m->committee = committee;
	m->area = "50";
	m->status = status;
	m->held_on = D(day);
	m->year = date_from_days(m->held_on).y + BE_OFFSET;
	m->number = (int64_t)x->d.nmeetings;
	m->total = total;
	m->present = present;
	m->quorum = -1;
	return m;
}

/* A valid driving committee of area 50 (seats 7, all required seats, the
 * governor in the chair and the provincial education officer as secretary),
 * the policy committee without experts, a plan with one KPI, one active
 * pilot school with every approval. */
static void base(struct fx *x)
{
	static const char *seats[] = { "chair", "ex_officio", "school_rep", "university", "private", "expert",
				       "secretary" };
	size_t i;

	memset(x, 0, sizeof *x);
	x->d.committees = x->committees;
	x->d.members = x->members;
	x->d.meetings = x->meetings;
	x->d.resolutions = x->resolutions;
	x->d.plans = x->plans;
	x->d.kpis = x->kpis;
	x->d.values = x->values;
	x->d.pilots = x->pilots;
	x->d.schools = x->schools;
	committee(x, "50-DRIVE", "driving", "50", "2023-01-01", 7);
	committee(x, "POLICY", "policy", "", "2024-01-01", CMP_NONE);
	for (i = 0; i < 7; i++) {
		snprintf(x->names[i], sizeof x->names[i], "member %zu", i + 1);
		member(x, "50-DRIVE", x->names[i], seats[i], i == 0 ? "03" : i == 6 ? "05" : "09", "2023-01-01",
		       "2026-12-31");
	}
	x->plans[0] = (struct cmp_plan){ "50-PLAN", "50", 2565, 2569 };
	x->d.nplans = 1;
	x->kpis[0] = (struct cmp_kpi){ "50-PLAN", "50", "KPI", "up", 1, 1, 1, 50, 70, 2564, "", "", "", CMP_NONE };
	x->d.nkpis = 1;
	x->pilots[0] = (struct cmp_pilot){ "1050140101", "50", "active", D("2020-02-01"), D("2020-03-01"),
					   D("2020-04-01") };
	x->d.npilots = 1;
	x->schools[0] = (struct cmp_school){ "1050140101", "50", "โรงเรียนบ้านพุย", 1 };
	x->d.nschools = 1;
}

static void value(struct fx *x, int64_t year, int has_target, double target, double v)
{
	struct cmp_kpi_value *k = &x->values[x->d.nvalues++];

	*k = (struct cmp_kpi_value){ "50-PLAN", 1, 1, year, has_target, 1, target, v, 0 };
}

static void resolution(struct fx *x, const char *status, const char *due)
{
	struct cmp_resolution *r = &x->resolutions[x->d.nresolutions];

	memset(r, 0, sizeof *r);
	r->committee = "50-DRIVE";
	r->area = "50";
	r->status = status;
	r->owner = "ศึกษาธิการจังหวัด";
	r->year = 2567;
	r->meeting_no = 1;
	r->no = (int64_t)++x->d.nresolutions;
	r->due = D(due);
	r->closed = CMP_NODATE;
}

/* ---- the cases ---- */

static void ok(struct fx *x) { (void)x; }

static void drv_22(struct fx *x)
{
	int i;

	for (i = 0; i < 15; i++)
		member(x, "50-DRIVE", "extra", "expert", "09", "2023-01-01", "2026-12-31");
}

static void drv_21(struct fx *x)
{
	int i;

	for (i = 0; i < 14; i++)
		member(x, "50-DRIVE", "extra", "expert", "09", "2023-01-01", "2026-12-31");
	/* those who left do not count */
	member(x, "50-DRIVE", "gone", "expert", "09", "2023-01-01", "2026-12-31")->left = D("2024-01-01");
}

static void drv_no_university(struct fx *x) { x->members[3].seat = "expert"; }
static void drv_university_left(struct fx *x) { x->members[3].left = D("2024-05-01"); }
static void drv_deputy_chair(struct fx *x) { x->members[0].office = "04"; }
static void drv_other_secretary(struct fx *x) { x->members[6].office = "06"; }

static void pol_experts(struct fx *x, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		snprintf(x->names[10 + i], sizeof x->names[10 + i], "expert %d", i + 1);
		member(x, "POLICY", x->names[10 + i], "expert", "09", "2022-08-01", "2026-07-31");
	}
}
static void pol_8(struct fx *x) { pol_experts(x, 8); }
static void pol_9(struct fx *x) { pol_experts(x, 9); }
static void pol_9_one_left(struct fx *x)
{
	pol_experts(x, 9);
	x->members[x->d.nmembers - 1].left = D("2024-01-31");
}

static void pol_term_4y(struct fx *x) { member(x, "POLICY", "ศ.ก", "expert", "09", "2019-08-01", "2023-07-31"); }
static void pol_term_over(struct fx *x) { member(x, "POLICY", "ศ.ก", "expert", "09", "2019-08-01", "2023-08-02"); }

static void pol_two_terms(struct fx *x)
{
	member(x, "POLICY", "ศ.ก", "expert", "09", "2016-08-01", "2020-07-31");
	member(x, "POLICY", "ศ.ก", "expert", "09", "2020-08-01", "2024-07-31");
}
static void pol_three_terms(struct fx *x)
{
	member(x, "POLICY", "ศ.ก", "expert", "09", "2012-08-01", "2016-07-31");
	pol_two_terms(x);
}
static void pol_three_with_gap(struct fx *x)
{
	member(x, "POLICY", "ศ.ก", "expert", "09", "2010-08-01", "2014-07-31");
	pol_two_terms(x); /* 2016 is two years after 2014: a new run */
}
static void pol_three_names(struct fx *x)
{
	member(x, "POLICY", "ศ.ข", "expert", "09", "2012-08-01", "2016-07-31");
	pol_two_terms(x);
}

/* 2563 (2020) is the only whole year between 2019-08 and 2021-06 */
static void pol_meet(struct fx *x, int n, const char *status)
{
	static const char *days[] = { "2020-02-01", "2020-05-01", "2020-08-01", "2020-11-01" };
	int i;

	x->committees[1].appointed = D("2019-08-01");
	for (i = 0; i < n; i++)
		meeting(x, "POLICY", status, days[i], 15, 10);
	meeting(x, "POLICY", "held", "2019-12-01", 15, 10);
	meeting(x, "POLICY", "held", "2021-01-15", 15, 10);
}
static void pol_meet_4(struct fx *x) { pol_meet(x, 4, "held"); }
static void pol_meet_3(struct fx *x) { pol_meet(x, 3, "held"); }
static void pol_meet_4_cancelled(struct fx *x) { pol_meet(x, 4, "cancelled"); }

static void term_ended(struct fx *x) { member(x, "50-DRIVE", "old", "expert", "09", "2020-01-01", "2023-12-31"); }
static void term_ended_renewed(struct fx *x)
{
	term_ended(x);
	member(x, "50-DRIVE", "old", "expert", "09", "2024-01-01", "2027-12-31");
}
static void term_ended_left(struct fx *x)
{
	member(x, "50-DRIVE", "old", "expert", "09", "2020-01-01", "2023-12-31")->left = D("2023-12-31");
}

static void vacancy(struct fx *x) { x->committees[0].seats = 9; }
static void vacancy_end_near(struct fx *x)
{
	size_t i;

	x->committees[0].seats = 9;
	for (i = 0; i < x->d.nmembers; i++)
		x->members[i].end = D("2024-08-01"); /* 61 days after 1 June 2024 */
}
static void no_seats(struct fx *x) { x->committees[0].seats = CMP_NONE; }

static void parent_ok(struct fx *x) { committee(x, "50-SUB", "subcommittee", "50", "2023-02-01", CMP_NONE)->parent = "50-DRIVE"; }
static void parent_missing(struct fx *x) { committee(x, "50-SUB", "subcommittee", "50", "2023-02-01", CMP_NONE)->parent = "NOSUCH"; }

static void quorum_11_of_21(struct fx *x) { meeting(x, "50-DRIVE", "held", "2024-03-01", 21, 11); }
static void quorum_10_of_21(struct fx *x) { meeting(x, "50-DRIVE", "held", "2024-03-01", 21, 10); }
static void quorum_recorded_no(struct fx *x) { meeting(x, "50-DRIVE", "held", "2024-03-01", 21, 15)->quorum = 0; }
static void quorum_counted_4(struct fx *x) { meeting(x, "50-DRIVE", "held", "2024-03-01", CMP_NONE, 4); }
static void quorum_counted_3(struct fx *x) { meeting(x, "50-DRIVE", "held", "2024-03-01", CMP_NONE, 3); }

static void sched_past(struct fx *x) { meeting(x, "50-DRIVE", "scheduled", "2024-05-31", CMP_NONE, CMP_NONE); }
static void sched_today(struct fx *x) { meeting(x, "50-DRIVE", "scheduled", "2024-06-01", CMP_NONE, CMP_NONE); }
static void cancelled_past(struct fx *x) { meeting(x, "50-DRIVE", "cancelled", "2024-05-31", CMP_NONE, CMP_NONE); }

static void res_open_late(struct fx *x) { resolution(x, "open", "2024-05-31"); }
static void res_progress_late(struct fx *x) { resolution(x, "in_progress", "2024-01-31"); }
static void res_done_late(struct fx *x) { resolution(x, "done", "2024-05-31"); }
static void res_open_due_today(struct fx *x) { resolution(x, "open", "2024-06-01"); }
static void res_open_no_due(struct fx *x) { resolution(x, "open", NULL); }

/* interpolated target for 2566: 50 + 20 * 2/5 = 58; today is in 2567 */
static void kpi_on_line(struct fx *x) { value(x, 2566, 0, 0, 58); }
static void kpi_behind(struct fx *x) { value(x, 2566, 0, 0, 55); }
static void kpi_close(struct fx *x) { value(x, 2566, 0, 0, 57.5); }
static void kpi_own_target(struct fx *x) { value(x, 2566, 1, 54, 55); }
static void kpi_latest_counts(struct fx *x)
{
	value(x, 2565, 0, 0, 40);
	value(x, 2567, 0, 0, 62);
}
static void kpi_down_behind(struct fx *x)
{
	x->kpis[0].direction = "down";
	x->kpis[0].baseline = 20;
	x->kpis[0].target = 10;
	value(x, 2566, 0, 0, 19); /* target 16 */
}
static void kpi_down_ok(struct fx *x)
{
	kpi_down_behind(x);
	x->values[0].value = 15;
}
static void kpi_future_only(struct fx *x) { value(x, 2568, 0, 0, 10); }

static void s27_missing_committee(struct fx *x) { x->pilots[0].committee = CMP_NODATE; }
static void s27_missing_all(struct fx *x)
{
	x->pilots[0].board = x->pilots[0].supervisor = x->pilots[0].committee = CMP_NODATE;
}
static void s27_applied(struct fx *x)
{
	s27_missing_all(x);
	x->pilots[0].status = "applied";
	x->schools[0].pilot = 0;
}

static void rec_no_lifecycle(struct fx *x) { x->d.npilots = 0; }
static void rec_exited(struct fx *x) { x->pilots[0].status = "exited"; }
static void rec_exited_registry_n(struct fx *x)
{
	x->pilots[0].status = "exited";
	x->schools[0].pilot = 0;
}
static void rec_active_registry_n(struct fx *x) { x->schools[0].pilot = 0; }

struct tcase {
	const char *name;
	enum cmp_code check;
	void (*build)(struct fx *x);
	const char *today;
	const char *expect;       /* subjects of that check's findings, comma-separated */
};

static const struct tcase cases[] = {
	{ "valid driving committee", CMP_DRV_SIZE, ok, "2024-06-01", "" },
	{ "21 in office (one left)", CMP_DRV_SIZE, drv_21, "2024-06-01", "" },
	{ "22 members", CMP_DRV_SIZE, drv_22, "2024-06-01", "50-DRIVE" },
	{ "every required seat", CMP_DRV_SEATS, ok, "2024-06-01", "" },
	{ "no university member", CMP_DRV_SEATS, drv_no_university, "2024-06-01", "50-DRIVE" },
	{ "university member left", CMP_DRV_SEATS, drv_university_left, "2024-06-01", "50-DRIVE" },
	{ "seats before the terms began", CMP_DRV_SEATS, ok, "2022-06-01", "50-DRIVE" },
	{ "governor chairs", CMP_DRV_CHAIR, ok, "2024-06-01", "" },
	{ "deputy governor chairs", CMP_DRV_CHAIR, drv_deputy_chair, "2024-06-01", "50-DRIVE/1" },
	{ "PEO is secretary", CMP_DRV_SECRETARY, ok, "2024-06-01", "" },
	{ "ESA director is secretary", CMP_DRV_SECRETARY, drv_other_secretary, "2024-06-01", "50-DRIVE/7" },
	{ "8 experts", CMP_POL_EXPERTS, pol_8, "2024-06-01", "" },
	{ "9 experts", CMP_POL_EXPERTS, pol_9, "2024-06-01", "POLICY" },
	{ "9 experts, one left", CMP_POL_EXPERTS, pol_9_one_left, "2024-06-01", "" },
	{ "term of 4 years", CMP_POL_TERM, pol_term_4y, "2024-06-01", "" },
	{ "term over 4 years", CMP_POL_TERM, pol_term_over, "2024-06-01", "POLICY/8" },
	{ "two consecutive terms", CMP_POL_CONSECUTIVE, pol_two_terms, "2024-06-01", "" },
	{ "three consecutive terms", CMP_POL_CONSECUTIVE, pol_three_terms, "2024-06-01", "POLICY/10" },
	{ "three terms with a gap", CMP_POL_CONSECUTIVE, pol_three_with_gap, "2024-06-01", "" },
	{ "three terms, two people", CMP_POL_CONSECUTIVE, pol_three_names, "2024-06-01", "" },
	{ "4 meetings in 2563", CMP_POL_MEETINGS, pol_meet_4, "2021-06-01", "" },
	{ "3 meetings in 2563", CMP_POL_MEETINGS, pol_meet_3, "2021-06-01", "POLICY/2563" },
	{ "4 meetings cancelled", CMP_POL_MEETINGS, pol_meet_4_cancelled, "2021-06-01", "POLICY/2563" },
	{ "every term current", CMP_TERM_ENDED, ok, "2024-06-01", "" },
	{ "a term ended", CMP_TERM_ENDED, term_ended, "2024-06-01", "50-DRIVE/8" },
	{ "a term ended, left recorded", CMP_TERM_ENDED, term_ended_left, "2024-06-01", "" },
	{ "a term ended, reappointed", CMP_TERM_ENDED, term_ended_renewed, "2024-06-01", "" },
	{ "every seat filled", CMP_VACANCY, ok, "2024-06-01", "" },
	{ "seats unknown", CMP_VACANCY, no_seats, "2024-06-01", "" },
	{ "2 of 9 seats vacant", CMP_VACANCY, vacancy, "2024-06-01", "50-DRIVE" },
	{ "vacant, term ends within 90 days", CMP_VACANCY, vacancy_end_near, "2024-06-01", "" },
	{ "parent exists", CMP_PARENT, parent_ok, "2024-06-01", "" },
	{ "parent missing", CMP_PARENT, parent_missing, "2024-06-01", "50-SUB" },
	{ "11 of 21 present", CMP_QUORUM, quorum_11_of_21, "2024-06-01", "" },
	{ "10 of 21 present", CMP_QUORUM, quorum_10_of_21, "2024-06-01", "50-DRIVE/2567/1" },
	{ "minutes say no quorum", CMP_QUORUM, quorum_recorded_no, "2024-06-01", "50-DRIVE/2567/1" },
	{ "4 of 7 counted members", CMP_QUORUM, quorum_counted_4, "2024-06-01", "" },
	{ "3 of 7 counted members", CMP_QUORUM, quorum_counted_3, "2024-06-01", "50-DRIVE/2567/1" },
	{ "scheduled for today", CMP_MEETING_UNRECORDED, sched_today, "2024-06-01", "" },
	{ "scheduled yesterday", CMP_MEETING_UNRECORDED, sched_past, "2024-06-01", "50-DRIVE/2567/1" },
	{ "cancelled yesterday", CMP_MEETING_UNRECORDED, cancelled_past, "2024-06-01", "" },
	{ "open, due yesterday", CMP_RES_OVERDUE, res_open_late, "2024-06-01", "50-DRIVE/2567/1/1" },
	{ "in progress, late", CMP_RES_OVERDUE, res_progress_late, "2024-06-01", "50-DRIVE/2567/1/1" },
	{ "done, due yesterday", CMP_RES_OVERDUE, res_done_late, "2024-06-01", "" },
	{ "open, due today", CMP_RES_OVERDUE, res_open_due_today, "2024-06-01", "" },
	{ "open, no due date", CMP_RES_OVERDUE, res_open_no_due, "2024-06-01", "" },
	{ "no KPI value", CMP_KPI_BEHIND, ok, "2024-06-01", "" },
	{ "on the straight line", CMP_KPI_BEHIND, kpi_on_line, "2024-06-01", "" },
	{ "below the line", CMP_KPI_BEHIND, kpi_behind, "2024-06-01", "50-PLAN/1/1" },
	{ "close to the line", CMP_KPI_BEHIND, kpi_close, "2024-06-01", "50-PLAN/1/1" },
	{ "the year's own target", CMP_KPI_BEHIND, kpi_own_target, "2024-06-01", "" },
	{ "latest value counts", CMP_KPI_BEHIND, kpi_latest_counts, "2024-06-01", "" },
	{ "lower is better, too high", CMP_KPI_BEHIND, kpi_down_behind, "2024-06-01", "50-PLAN/1/1" },
	{ "lower is better, low", CMP_KPI_BEHIND, kpi_down_ok, "2024-06-01", "" },
	{ "a future value is ignored", CMP_KPI_BEHIND, kpi_future_only, "2024-06-01", "" },
	{ "every approval", CMP_PILOT_S27, ok, "2024-06-01", "" },
	{ "no driving-committee approval", CMP_PILOT_S27, s27_missing_committee, "2024-06-01", "1050140101" },
	{ "no approval at all", CMP_PILOT_S27, s27_missing_all, "2024-06-01", "1050140101" },
	{ "applied, not yet approved", CMP_PILOT_S27, s27_applied, "2024-06-01", "" },
	{ "registry and lifecycle agree", CMP_PILOT_RECORD, ok, "2024-06-01", "" },
	{ "pilot without lifecycle", CMP_PILOT_RECORD, rec_no_lifecycle, "2024-06-01", "1050140101" },
	{ "pilot in registry, exited", CMP_PILOT_RECORD, rec_exited, "2024-06-01", "1050140101" },
	{ "exited and not pilot", CMP_PILOT_RECORD, rec_exited_registry_n, "2024-06-01", "" },
	{ "active, registry says not pilot", CMP_PILOT_RECORD, rec_active_registry_n, "2024-06-01", "1050140101" },
};

struct got {
	enum cmp_code check;
	char subjects[512];
	int all;          /* findings of every check */
};

static int collect(void *ctx, const struct cmp_finding *f)
{
	struct got *g = ctx;
	size_t n = strlen(g->subjects);

	g->all++;
	/* every finding speaks both languages */
	assert_true(f->message_th[0] && f->message_en[0]);
	if (f->check->id == g->check)
		snprintf(g->subjects + n, sizeof g->subjects - n, "%s%s", n ? "," : "", f->subject);
	return 0;
}

static void test_cases(void **state)
{
	size_t i, failed = 0, k;
	int seen_pass[CMP_COUNT] = { 0 }, seen_fail[CMP_COUNT] = { 0 };

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fx x;
		struct got g;

		base(&x);
		cases[i].build(&x);
		memset(&g, 0, sizeof g);
		g.check = cases[i].check;
		assert_int_equal(cmp_run(&x.d, D(cases[i].today), collect, &g), 0);
		if (strcmp(g.subjects, cases[i].expect)) {
			print_error("%s (%s): expected \"%s\", got \"%s\"\n", cases[i].name,
				    cmp_checks[cases[i].check].code, cases[i].expect, g.subjects);
			failed++;
		}
		(cases[i].expect[0] ? seen_fail : seen_pass)[cases[i].check] = 1;
	}
	assert_int_equal(failed, 0);
	/* the table covers every check both ways */
	for (k = 0; k < CMP_COUNT; k++) {
		if (!seen_pass[k] || !seen_fail[k])
			print_error("%s lacks a %s case\n", cmp_checks[k].code, seen_pass[k] ? "failing" : "passing");
		assert_true(seen_pass[k] && seen_fail[k]);
	}
}

/* the valid base breaks no rule at all */
static void test_base_is_clean(void **state)
{
	struct fx x;
	struct got g;

	(void)state;
	base(&x);
	memset(&g, 0, sizeof g);
	g.check = CMP_COUNT;
	assert_int_equal(cmp_run(&x.d, D("2024-06-01"), collect, &g), 0);
	assert_int_equal(g.all, 0);
}

static void test_table(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < CMP_COUNT; i++) {
		assert_int_equal(cmp_checks[i].id, i);
		assert_true(!strncmp(cmp_checks[i].code, "GOV-", 4));
		assert_non_null(cmp_checks[i].title_th);
		assert_non_null(cmp_checks[i].title_en);
		assert_non_null(cmp_checks[i].rule_th);
		assert_non_null(cmp_checks[i].rule_en);
		for (j = 0; j < i; j++)
			assert_string_not_equal(cmp_checks[i].code, cmp_checks[j].code);
	}
}

static void test_kpi_eval(void **state)
{
	struct fx x;
	struct cmp_kpi_eval e;
	double t;

	(void)state;
	base(&x);
	/* the straight line: 2565 52, 2566 58 ... 2569 70; none before the plan */
	assert_true(cmp_kpi_target(&x.kpis[0], &x.plans[0], NULL, 0, 2565, &t));
	assert_true(t > 53.99 && t < 54.01);
	assert_true(cmp_kpi_target(&x.kpis[0], &x.plans[0], NULL, 0, 2569, &t));
	assert_true(t > 69.99 && t < 70.01);
	assert_false(cmp_kpi_target(&x.kpis[0], &x.plans[0], NULL, 0, 2564, &t));
	/* without a baseline only the last year has a target */
	x.kpis[0].has_baseline = 0;
	assert_false(cmp_kpi_target(&x.kpis[0], &x.plans[0], NULL, 0, 2566, &t));
	assert_true(cmp_kpi_target(&x.kpis[0], &x.plans[0], NULL, 0, 2570, &t));
	x.kpis[0].has_baseline = 1;
	cmp_kpi_eval(&x.kpis[0], &x.plans[0], x.values, 0, 2567, &e);
	assert_int_equal(e.status, KPI_NO_DATA);
	value(&x, 2566, 0, 0, 60);
	cmp_kpi_eval(&x.kpis[0], &x.plans[0], x.values, x.d.nvalues, 2567, &e);
	assert_int_equal(e.status, KPI_ON_TRACK);
	assert_int_equal(e.value_year, 2566);
	x.values[0].value = 57.5;
	cmp_kpi_eval(&x.kpis[0], &x.plans[0], x.values, x.d.nvalues, 2567, &e);
	assert_int_equal(e.status, KPI_CLOSE);
	x.values[0].value = 51;
	cmp_kpi_eval(&x.kpis[0], &x.plans[0], x.values, x.d.nvalues, 2567, &e);
	assert_int_equal(e.status, KPI_BEHIND);
	assert_string_equal(cmp_kpi_status_class(e.status), "behind");
	assert_string_equal(cmp_kpi_status_en(e.status), "behind target");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_base_is_clean),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_kpi_eval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
