/*
 * test_agg.c - the equity aggregates under failure: every allocation of an
 * import that the aggregates follow fails in turn (that one and every later
 * one, then that one alone), for a first load of results (the fast path),
 * changed results, students changing groups and a deletion.  What must
 * hold: a clear error (Thai and English) and an untouched store whose
 * aggregates still equal their recomputation from the raw rows
 * (agg_check), or the whole file written and the aggregates equal again.
 * On PostgreSQL (PG_DIR) the same, for the allocations nawat makes.
 *
 * An import makes some ten thousand allocations on SQLite (SQLite's among
 * them; on PostgreSQL far fewer) and each run is checked against a
 * recomputation: by default one allocation in (a clean run's count / 100)
 * fails, from a different first one in each scenario;
 * NAWAT_TEST_ALLOC_STRIDE=1 fails every one (some 20 minutes on SQLite).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analytics/agg.h"
#include "base/mem.h"
#include "storetest.h"

#define STUDENTS 24

static void import_ok(struct store *st, const char *dataset, const char *file, int remove)
{
	struct run r;

	import_as(st, dataset, file, 0, remove, &r);
	if (r.rc || !r.res.committed)
		fail_msg("%s %s: rc %d, %lld errors (%s)", remove ? "deleting" : "importing", file, r.rc,
			 (long long)r.res.total.errors, r.err.en);
	imp_result_free(&r.res);
}

/* The rows of students and outcomes: a fingerprint of the store. */
static char *rows_of(struct store *st)
{
	char *a = snapshot(st, "students"), *b = snapshot(st, "outcomes");
	size_t n = strlen(a) + strlen(b) + 1;
	char *both = malloc(n);

	assert_non_null(both);
	snprintf(both, n, "%s%s", a, b);
	free(a);
	free(b);
	return both;
}

static void assert_aggregates_agree(struct store *st, const char *what)
{
	int64_t differences = -1;

	if (agg_check(st, &differences, NULL))
		fail_msg("%s: analytics check failed: %s", what, st->err.en);
	if (differences)
		fail_msg("%s: %lld aggregate rows differ from their recomputation", what, (long long)differences);
}

/* STUDENTS students in two schools; shift moves their disadvantage, gender
 * and grade (a new year's record of the same children). */
static void write_students(const char *name, int shift)
{
	FILE *fp = fopen(path_of(name), "w");
	char id[14];
	int i;

	assert_non_null(fp);
	fputs("citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n", fp);
	for (i = 0; i < STUDENTS; i++) {
		student_id(i, id);
		fprintf(fp, "%s,%s,2567,%s,%d,2014-03-02,%d,0\n", id, i % 2 ? "1050140102" : "1050140101",
			(i + shift) % 4 ? "214" : "215", 1 + (i + shift) % 2, (i + shift) % 3);
	}
	fclose(fp);
}

/* Each student's results: two scores, a competency and a characteristic
 * level; version changes the values; only rows i % every == 0. */
static void write_outcomes(const char *name, int version, int every)
{
	FILE *fp = fopen(path_of(name), "w");
	char id[14];
	int i;

	assert_non_null(fp);
	fputs("citizen_id,school_code,academic_year,term,domain,subject_code,instrument,score,level\n", fp);
	for (i = 0; i < STUDENTS; i++) {
		const char *school = i % 2 ? "1050140102" : "1050140101";

		if (i % every)
			continue;
		student_id(i, id);
		fprintf(fp, "%s,%s,2567,1,K,THA,SCH,%d.%02d,\n", id, school, 30 + (i * 7 + version * 13) % 70,
			(i * 31 + version) % 100);
		fprintf(fp, "%s,%s,2567,1,K,MAT,SCH,%d.5,\n", id, school, 20 + (i * 11 + version * 5) % 80);
		fprintf(fp, "%s,%s,2567,1,S,202,SCH,,%d\n", id, school, 1 + (i + version) % 4);
		fprintf(fp, "%s,%s,2567,1,A,303,SCH,,%d\n", id, school, (i + version * 2) % 4);
	}
	fclose(fp);
}

/* The area of Chiang Mai and its two schools (a pilot and another). */
static void write_area_schools(void)
{
	write_text("areas.csv", "area_code,name_th,name_en,designated_on,status\n"
				"50,พื้นที่นวัตกรรมการศึกษาจังหวัดเชียงใหม่,Chiang Mai Education Sandbox,2018-05-30,active\n");
	write_text("schools.csv", "school_code,name_th,affiliation_code,province_code,area_code,pilot,pilot_cohort,pilot_since\n"
				  "1050140101,โรงเรียนหนึ่ง,10,50,50,Y,1,2019-05-16\n"
				  "1050140102,โรงเรียนสอง,10,50,50,N,,\n");
}

/* One scenario: the change (an import or deletion of file), made from a
 * store in the state `setup` leaves, and `undo` putting that state back
 * after a run that got through. */
struct scenario {
	const char *name, *dataset, *file;
	int remove;
	const char *undo_dataset, *undo_file;
	int undo_remove;
};

/* A run with allocation n failing (once: that one alone).  Returns the
 * allocations made, 0 when the run got through. */
static unsigned long inject(struct store *st, const struct scenario *s, unsigned long n, int once,
			    const char *before)
{
	unsigned long made;
	struct run r;
	char *after, what[160];

	snprintf(what, sizeof what, "%s, allocation %lu failing%s", s->name, n, once ? " (once)" : "");
	if (once)
		mem_fail_once(n);
	else
		mem_fail_after(n);
	import_as(st, s->dataset, s->file, 0, s->remove, &r);
	made = mem_fail_after(0);
	if (r.rc == 0) {
		if (!r.res.committed || r.res.total.errors)
			fail_msg("%s: the run reported %lld errors", what, (long long)r.res.total.errors);
		imp_result_free(&r.res);
		assert_aggregates_agree(st, what);
		import_ok(st, s->undo_dataset, s->undo_file, s->undo_remove);
		after = rows_of(st);
		if (strcmp(after, before))
			fail_msg("%s: the undo did not bring the store back", what);
		free(after);
		assert_aggregates_agree(st, what);
		return 0;
	}
	if (r.rc >= 0 || !r.err.th[0] || !r.err.en[0])
		fail_msg("%s: rc %d without a message", what, r.rc);
	after = rows_of(st);
	if (strcmp(after, before))
		fail_msg("%s (%s): the store changed", what, r.err.en);
	free(after);
	assert_aggregates_agree(st, what);
	return made ? made : 1;
}

static void test_allocation_failures(void **state)
{
	static const struct scenario scenarios[] = {
		/* into outcomes that hold nothing: the observer reads no stored rows */
		{ "first load of results", "outcomes", "outcomes.csv", 0, "outcomes", "outcomes.csv", 1 },
		/* every value changed: the before-state is read and taken away */
		{ "changed results", "outcomes", "outcomes2.csv", 0, "outcomes", "outcomes.csv", 0 },
		/* students change group, gender and grade: their results move */
		{ "students changing groups", "students", "students2.csv", 0, "students", "students.csv", 0 },
		{ "deleted results", "outcomes", "some.csv", 1, "outcomes", "some.csv", 0 },
	};
	struct store *st = new_store();
	const char *env = getenv("NAWAT_TEST_ALLOC_STRIDE");
	unsigned long stride, clean, n, total;
	struct run r;
	size_t k;
	char *before;
	int once;

	(void)state;
	write_area_schools();
	write_students("students.csv", 0);
	write_students("students2.csv", 1);
	write_outcomes("outcomes.csv", 0, 1);
	write_outcomes("outcomes2.csv", 1, 1);
	write_outcomes("some.csv", 0, 3);
	import_ok(st, "areas", "areas.csv", 0);
	import_ok(st, "schools", "schools.csv", 0);
	import_ok(st, "students", "students.csv", 0);
	for (k = 0; k < sizeof scenarios / sizeof scenarios[0]; k++) {
		const struct scenario *s = &scenarios[k];
		unsigned long failures = 0;

		if (k == 1) /* the results are in from here on */
			import_ok(st, "outcomes", "outcomes.csv", 0);
		assert_aggregates_agree(st, s->name);
		before = rows_of(st);
		/* a clean run: the number of allocations it makes */
		mem_fail_after(0);
		import_as(st, s->dataset, s->file, 0, s->remove, &r);
		clean = mem_fail_after(0);
		assert_int_equal(r.rc, 0);
		assert_true(r.res.committed);
		imp_result_free(&r.res);
		assert_aggregates_agree(st, s->name);
		import_ok(st, s->undo_dataset, s->undo_file, s->undo_remove);
		stride = env && strtoul(env, NULL, 10) ? strtoul(env, NULL, 10) : clean / 100 ? clean / 100 : 1;
		for (n = 1 + (k * 7) % stride;; n += stride) {
			unsigned long made = inject(st, s, n, 0, before);

			if (!made)
				break;
			if (made < n)
				fail_msg("%s: failed at allocation %lu of %lu", s->name, n, made);
			failures++;
		}
		total = n;
		assert_true(failures >= clean / stride / 2 && failures > 10);
		for (n = 1 + (k * 11) % stride, once = 0; n <= total; n += stride)
			once += inject(st, s, n, 1, before) != 0;
		print_message("%s: %lu allocations, one in %lu failing: %lu errors (that one and the later ones), "
			      "%d errors (that one alone)\n", s->name, clean, stride, failures, once);
		free(before);
	}
	store_close(st);
}

/* A first load of students and results, many of them (n students, four
 * results each, more than one batch); apart = 1 moves student 0's last
 * result to the end of the file, far from the rest. */
static void write_load(int n, int apart)
{
	FILE *fs = fopen(path_of("load-students.csv"), "w"), *fo = fopen(path_of("load-outcomes.csv"), "w");
	static const char *const subj[4][2] = { { "K", "THA" }, { "K", "MAT" }, { "S", "202" }, { "A", "303" } };
	char id[14], last[128] = "";
	int i, k;

	assert_non_null(fs);
	assert_non_null(fo);
	fputs("citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n", fs);
	fputs("citizen_id,school_code,academic_year,term,domain,subject_code,instrument,score,level\n", fo);
	for (i = 0; i < n; i++) {
		const char *school = i % 2 ? "1050140102" : "1050140101";

		student_id(i, id);
		fprintf(fs, "%s,%s,2567,214,%d,2014-03-02,%d,0\n", id, school, 1 + i % 2, i % 3);
		for (k = 0; k < 4; k++) {
			char row[128];

			if (k < 2)
				snprintf(row, sizeof row, "%s,%s,2567,1,%s,%s,SCH,%d,\n", id, school, subj[k][0],
					 subj[k][1], 30 + (i * 7 + k * 13) % 70);
			else
				snprintf(row, sizeof row, "%s,%s,2567,1,%s,%s,SCH,,%d\n", id, school, subj[k][0],
					 subj[k][1], (i + k) % 4 + (k == 2));
			if (apart && i == 0 && k == 3)
				snprintf(last, sizeof last, "%s", row);
			else
				fputs(row, fo);
		}
	}
	fputs(last, fo);
	assert_int_equal(fclose(fs), 0);
	assert_int_equal(fclose(fo), 0);
}

/* A first load into empty tables (on PostgreSQL the results' indexes are
 * built after the last row, and no result can be read by key meanwhile):
 * with each student's results together, and with one student's apart
 * (which such a load cannot follow, and so does again the ordinary way).
 * Every row is stored and the aggregates equal their recomputation. */
static void test_first_load(void **state)
{
	static const char *const ds[] = { "students", "outcomes" };
	static const char *const files[] = { "load-students.csv", "load-outcomes.csv" };
	struct run r;
	int apart;

	(void)state;
	for (apart = 0; apart < 2; apart++) {
		struct store *st = new_store();

		write_area_schools();
		import_ok(st, "areas", "areas.csv", 0);
		import_ok(st, "schools", "schools.csv", 0);
		write_load(4000, apart);
		import_load(st, ds, files, 2, &r);
		if (r.rc || !r.res.committed || r.res.total.errors)
			fail_msg("apart %d: rc %d, %lld errors (%s)", apart, r.rc, (long long)r.res.total.errors, r.err.en);
		assert_int_equal(r.res.total.inserted, 4000 + 4 * 4000);
		imp_result_free(&r.res);
		assert_aggregates_agree(st, apart ? "a first load, one student's results apart" : "a first load");
		store_close(st);
	}
}

static int setup(void **state)
{
	(void)state;
	if (unit_setup("agg"))
		return -1;
	agg_register();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return unit_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_load),
		cmocka_unit_test(test_allocation_failures),
	};

	return cmocka_run_group_tests_name("aggregates", tests, setup, teardown);
}
