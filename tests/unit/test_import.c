/*
 * test_import.c - the import pipeline and the SQLite store, end to end in
 * one process: upsert counts, duplicates across chunks, the all-or-nothing
 * batch, migrations that add a column, and injected allocation failures that
 * must end in an error and an untouched store, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analytics/agg.h"
#include "base/mem.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "standard/pii.h"
#include "standard/std.h"
#include "store/schema.h"
#include "store/store.h"
#include "storetest.h"
#include "xlsxmake.h"

static const char *schools_csv =
	"school_code,name_th,affiliation_code,province_code,pilot\n"
	"1050140101,โรงเรียนหนึ่ง,10,50,N\n"
	"1050140102,โรงเรียนสอง,10,50,N\n";

/* n students of school 1050140101 with valid, distinct IDs */
#define BIG 10000 /* rows: more than two batches of either backend */

/* Students from..to-1 of school 1050140101; the row at line
 * dup_of_first_at (counting rows from 1) repeats student `from`. */
static void write_students_range(const char *name, int from, int to, int dup_of_first_at)
{
	FILE *fp = fopen(path_of(name), "w");
	char id[14];
	int i;

	assert_non_null(fp);
	fputs("citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n", fp);
	for (i = from; i < to; i++) {
		student_id(i - from + 1 == dup_of_first_at ? from : i, id);
		fprintf(fp, "%s,1050140101,2567,214,%d,2014-03-02,%d,0\n", id, 1 + i % 2, i % 3);
	}
	fclose(fp);
}

static void write_students(const char *name, int n, int dup_of_first_at)
{
	write_students_range(name, 0, n, dup_of_first_at);
}

/* Whether the last import's report has a line holding text. */
static int report_has(const char *text)
{
	FILE *fp = fopen(path_of("report.csv"), "r");
	char line[512];
	int found = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof line, fp))
		if (strstr(line, text))
			found = 1;
	fclose(fp);
	return found;
}

static void test_upsert_counts(void **state)
{
	struct store *st = new_store();
	struct run r;

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 2);
	assert_true(r.res.committed);
	imp_result_free(&r.res);

	import(st, "schools", "schools.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 0);
	assert_int_equal(r.res.total.unchanged, 2);
	imp_result_free(&r.res);

	write_text("schools2.csv", "school_code,name_th,affiliation_code,province_code,pilot\n"
				   "1050140101,โรงเรียนหนึ่ง (ใหม่),10,50,N\n"
				   "1050140103,โรงเรียนสาม,10,50,N\n");
	import(st, "schools", "schools2.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 1);
	assert_int_equal(r.res.total.updated, 1);
	assert_int_equal(r.res.total.unchanged, 0);
	imp_result_free(&r.res);
	store_close(st);
}

/* A duplicate key 1,100 rows after its first occurrence (another chunk). */
static void test_duplicate_across_chunks(void **state)
{
	struct store *st = new_store();
	struct run r;
	char *before, *after;

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);
	before = snapshot(st, "students");
	write_students("students.csv", 1200, 1101);
	import(st, "students", "students.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.rolled_back);
	assert_int_equal(r.res.total.errors, 1);
	imp_result_free(&r.res);
	assert_true(report_has("students.csv,1102,citizen_id,,duplicate,error"));
	after = snapshot(st, "students");
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* with --accept-valid the first occurrence stays, the second is rejected */
	import(st, "students", "students.csv", 1, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 1199);
	assert_int_equal(r.res.total.rejected, 1);
	imp_result_free(&r.res);
	store_close(st);
}

/* Stored keys met in the middle of a batch that goes straight into the
 * table (on PostgreSQL: after the first batch found none stored, and after
 * more than one send of COPY lines): the batch is written again the slow
 * way, and every count and row comes out right. */
static void test_stored_keys_mid_batch(void **state)
{
	struct store *st = new_store();
	struct run r;
	char *snap, *p;
	int rows = 0;

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);
	write_students_range("late.csv", 6000, 7000, 0);
	import(st, "students", "late.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 1000);
	imp_result_free(&r.res);

	write_students("students.csv", BIG, 0);
	import(st, "students", "students.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.committed);
	assert_int_equal(r.res.total.errors, 0);
	assert_int_equal(r.res.total.inserted, BIG - 1000);
	assert_int_equal(r.res.total.unchanged, 1000);
	assert_int_equal(r.res.total.updated, 0);
	imp_result_free(&r.res);
	snap = snapshot(st, "students");
	for (p = snap; (p = strchr(p, '\n')); p++)
		rows++;
	assert_int_equal(rows, BIG);
	free(snap);
	store_close(st);
}

/* The first column of sql's first row, an integer. */
static int64_t count_of(struct store *st, const char *sql)
{
	struct store_stmt *q;
	int64_t n;

	assert_int_equal(store_prepare(st, sql, &q), 0);
	assert_int_equal(store_step(q), 1);
	n = store_col_int(q, 0);
	store_finalize(q);
	return n;
}

/* Imports file into dataset, which must go in whole. */
static void import_ok(struct store *st, const char *dataset, const char *file)
{
	struct run r;

	import(st, dataset, file, 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.errors, 0);
	imp_result_free(&r.res);
}

/* A batch of new rows goes in at once until a stored key (on SQLite one
 * INSERT ... SELECT, which keeps the rows before it), then a row at a time:
 * an updated row, an unchanged one and new ones mixed within batches come
 * out with the counts, values and change numbers of a row at a time. */
static void test_batch_meets_stored(void **state)
{
	struct store *st = new_store();
	struct run r;
	int64_t before;
	char id[14], id2[14], sql[128], two[256];

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);
	/* student 300 stored with another disadvantage, 600 as the file has it */
	student_id(300, id);
	student_id(600, id2);
	snprintf(two, sizeof two,
		 "citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n"
		 "%s,1050140101,2567,214,1,2014-03-02,2,0\n%s,1050140101,2567,214,1,2014-03-02,0,0\n",
		 id, id2);
	write_text("two.csv", two);
	import(st, "students", "two.csv", 0, &r);
	assert_int_equal(r.res.total.inserted, 2);
	imp_result_free(&r.res);
	before = count_of(st, "SELECT max(nw_seq) FROM students");

	write_students("students.csv", 1100, 0);
	import(st, "students", "students.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.committed);
	assert_int_equal(r.res.total.inserted, 1098);
	assert_int_equal(r.res.total.updated, 1);
	assert_int_equal(r.res.total.unchanged, 1);
	imp_result_free(&r.res);
	assert_int_equal(count_of(st, "SELECT count(*) FROM students"), 1100);
	assert_int_equal(count_of(st, "SELECT count(DISTINCT nw_seq) FROM students"), 1100);
	assert_int_equal(count_of(st, "SELECT sum(disadvantage) FROM students"), 1099);
	/* the new and the updated rows took new change numbers, the unchanged
	 * one kept its own; on SQLite the numbers follow on with no gap */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM students WHERE nw_seq > %lld", (long long)before);
	assert_int_equal(count_of(st, sql), 1099);
	if (!on_pg()) {
		assert_int_equal(count_of(st, "SELECT max(nw_seq) FROM students"), before + 1099);
		/* (numbered by SQLite after a batch's first row: the store's
		 * own count follows, and the next change takes the next number) */
		assert_int_equal(count_of(st, "SELECT value FROM nawat_meta WHERE name = 'seq'"), before + 1099);
		import(st, "students", "two.csv", 0, &r);
		assert_int_equal(r.res.total.updated, 1);
		imp_result_free(&r.res);
		assert_int_equal(count_of(st, "SELECT max(nw_seq) FROM students"), before + 1100);
	}
	store_close(st);
}

/* Two results for each of students 0..n-1 (write_students); the row at
 * line dup_at (counting rows from 1) repeats the first. */
static void write_outcomes(const char *name, int n, int dup_at)
{
	FILE *fp = fopen(path_of(name), "w");
	char id[14];
	int i, k, row = 0;

	assert_non_null(fp);
	fputs("citizen_id,school_code,academic_year,term,domain,subject_code,instrument,score,level\n", fp);
	for (i = 0; i < n; i++)
		for (k = 0; k < 2; k++) {
			student_id(++row == dup_at ? 0 : i, id);
			fprintf(fp, "%s,1050140101,2567,1,K,%s,SCH,%d,\n", id, row == dup_at || !k ? "THA" : "MAT",
				row == dup_at ? 40 : 40 + (i + k) % 50);
		}
	fclose(fp);
}

static void import_first_load(struct store *st, struct run *r)
{
	import_load(st, (const char *const[]){ "students", "outcomes" },
		    (const char *const[]){ "students.csv", "outcomes.csv" }, 2, r);
}

/* The catalogue's number of the index of outcomes' keys: on PostgreSQL a
 * new one when the index was made again (0 on SQLite, where it never is). */
static int64_t key_index_id(struct store *st)
{
	return on_pg()
		       ? count_of(st, "SELECT oid::bigint FROM pg_class WHERE relname = 'outcomes_pkey'")
		       : 0;
}

/* ... of the index of students' keys, which outcomes' foreign key needs */
static int64_t student_key_index_id(struct store *st)
{
	return on_pg()
		       ? count_of(st, "SELECT oid::bigint FROM pg_class WHERE relname = 'students_pkey'")
		       : 0;
}

/* The foreign keys of outcomes (to students), as the catalogue has them */
static int64_t outcome_fks(struct store *st)
{
	return on_pg() ? count_of(st, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'outcomes'::regclass "
				      "AND contype = 'f' AND confrelid = 'students'::regclass")
		       : 1;
}

static int64_t outcome_indexes(struct store *st)
{
	return on_pg()
		       ? count_of(st, "SELECT count(*) FROM pg_indexes WHERE tablename = 'outcomes'")
		       : count_of(st, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outcomes'");
}

/* A first load of results: PostgreSQL builds their indexes after the last
 * row (STORE_REDO), and those of the students' keys after the students
 * (outcomes' foreign key to them goes meanwhile, and comes back).  A key
 * met twice far apart, which only the index could tell, sends the import
 * round again the ordinary way: the report names the line, nothing is
 * stored, the indexes and the foreign key are as they were.  Without it,
 * every row is stored, the indexes are made again (a new one on
 * PostgreSQL), the foreign key is back, and they work: the same results
 * again are all unchanged. */
static void test_first_load_indexes_last(void **state)
{
	struct store *st = new_store();
	struct run r;
	int64_t idx, nidx, sidx;

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);
	idx = key_index_id(st);
	sidx = student_key_index_id(st);
	nidx = outcome_indexes(st);
	assert_true(nidx >= 1);
	assert_int_equal(outcome_fks(st), 1);
	write_students("students.csv", BIG, 0);

	write_outcomes("outcomes.csv", BIG, 15000);
	import_first_load(st, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.rolled_back);
	assert_int_equal(r.res.total.errors, 1);
	imp_result_free(&r.res);
	assert_true(report_has("outcomes.csv,15001,citizen_id,,duplicate,error"));
	assert_int_equal(count_of(st, "SELECT count(*) FROM outcomes"), 0);
	assert_int_equal(count_of(st, "SELECT count(*) FROM students"), 0);
	assert_int_equal(key_index_id(st), idx);
	assert_int_equal(student_key_index_id(st), sidx);
	assert_int_equal(outcome_indexes(st), nidx);
	assert_int_equal(outcome_fks(st), 1);

	write_outcomes("outcomes.csv", BIG, 0);
	import_first_load(st, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.committed);
	assert_int_equal(r.res.total.errors, 0);
	assert_int_equal(r.res.total.inserted, 3 * BIG);
	imp_result_free(&r.res);
	assert_int_equal(count_of(st, "SELECT count(*) FROM outcomes"), 2 * BIG);
	assert_int_equal(outcome_indexes(st), nidx);
	assert_int_equal(outcome_fks(st), 1);
	if (idx)
		assert_true(key_index_id(st) != idx);
	if (sidx)
		assert_true(student_key_index_id(st) != sidx);

	import(st, "outcomes", "outcomes.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.unchanged, 2 * BIG);
	assert_int_equal(r.res.total.inserted, 0);
	imp_result_free(&r.res);
	store_close(st);
}

/* On PostgreSQL a first load does not wait for the result of its COPYs
 * and of its sums: the next statement reads it.  A failure seen that late
 * still fails the import whole: nothing is stored, the indexes and the
 * foreign key are as they were, the error names what failed.  A check
 * the sums cannot meet, then one the results cannot, each fails a load;
 * without them the same load goes in. */
static void test_late_failure_loses_nothing(void **state)
{
	static const char *const checks[][2] = {
		{ "ALTER TABLE eq_cells ADD CONSTRAINT nw_test CHECK (n < 500)", "ALTER TABLE eq_cells DROP CONSTRAINT nw_test" },
		{ "ALTER TABLE outcomes ADD CONSTRAINT nw_test CHECK (score < 85)", "ALTER TABLE outcomes DROP CONSTRAINT nw_test" },
	};
	struct store *st;
	struct run r;
	int64_t nidx;
	size_t i;

	(void)state;
	if (!on_pg()) {
		print_message("only PostgreSQL reads a statement's result later\n");
		skip();
	}
	store_set_observer(&agg_observer); /* (the sums; this test only) */
	st = new_store();
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);
	nidx = outcome_indexes(st);
	write_students("students.csv", BIG, 0);
	write_outcomes("outcomes.csv", BIG, 0);
	for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		assert_int_equal(st->ops->exec(st, checks[i][0]), 0);
		import_first_load(st, &r);
		assert_int_equal(r.rc, NAWAT_ESTORE);
		assert_non_null(strstr(r.err.en, "nw_test"));
		assert_int_equal(count_of(st, "SELECT count(*) FROM students"), 0);
		assert_int_equal(count_of(st, "SELECT count(*) FROM outcomes"), 0);
		assert_int_equal(count_of(st, "SELECT count(*) FROM eq_cells"), 0);
		assert_int_equal(outcome_indexes(st), nidx);
		assert_int_equal(outcome_fks(st), 1);
		assert_int_equal(st->ops->exec(st, checks[i][1]), 0);
	}
	import_first_load(st, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.committed);
	assert_int_equal(r.res.total.inserted, 3 * BIG);
	imp_result_free(&r.res);
	assert_int_equal(count_of(st, "SELECT count(*) FROM outcomes"), 2 * BIG);
	assert_true(count_of(st, "SELECT count(*) FROM eq_cells") > 0);
	assert_int_equal(outcome_indexes(st), nidx);
	store_close(st);
	store_set_observer(NULL);
}

/* A sheet's rows: the students header and n students of school 1050140101
 * (as write_students), into rows[cap]. */
static void xlsx_students_rows(char *rows, size_t cap, int n)
{
	size_t k;
	char id[14];
	int i;

	k = (size_t)snprintf(rows, cap, "<row r=\"1\">");
	for (i = 0; i < 8; i++)
		k += (size_t)snprintf(rows + k, cap - k, "<c t=\"inlineStr\"><is><t>%s</t></is></c>",
				      (const char *[]){ "citizen_id", "school_code", "academic_year", "grade_code",
							"gender", "birth_date", "disadvantage", "disability" }[i]);
	k += (size_t)snprintf(rows + k, cap - k, "</row>");
	for (i = 0; i < n; i++) {
		student_id(i, id);
		k += (size_t)snprintf(rows + k, cap - k,
				      "<row r=\"%d\"><c t=\"inlineStr\"><is><t>%s</t></is></c><c><v>1050140101</v></c>"
				      "<c><v>2567</v></c><c t=\"inlineStr\"><is><t>214</t></is></c><c><v>%d</v></c>"
				      "<c t=\"inlineStr\"><is><t>2014-03-02</t></is></c><c><v>%d</v></c><c><v>0</v></c></row>",
				      i + 2, id, 1 + i % 2, i % 3);
		assert_true(k < cap);
	}
}

/* The same students as CSV, JSON and XLSX (n rows). */
static void write_students_formats(int n)
{
	static char rows[1 << 16];
	unsigned char *zip;
	size_t len;
	char id[14];
	FILE *fp;
	int i;

	write_students("students.csv", n, 0);
	fp = fopen(path_of("students.json"), "w");
	assert_non_null(fp);
	fputs("[\n", fp);
	for (i = 0; i < n; i++) {
		student_id(i, id);
		fprintf(fp, "%s{\"citizen_id\": \"%s\", \"school_code\": \"1050140101\", \"academic_year\": 2567, "
			"\"grade_code\": \"214\", \"gender\": \"%d\", \"birth_date\": \"2014-03-02\", "
			"\"disadvantage\": \"%d\", \"disability\": \"0\"}\n", i ? "," : "", id, 1 + i % 2, i % 3);
	}
	fputs("]\n", fp);
	fclose(fp);
	xlsx_students_rows(rows, sizeof rows, n);
	zip = xm_book("students", "", rows, NULL, NULL, 0, &len);
	assert_non_null(zip);
	write_bytes("students.xlsx", zip, len);
	free(zip);
}

/* Takes the rows of file back out (a deletion by key), injection off. */
static void unimport(struct store *st, const char *dataset, const char *file)
{
	struct run r;

	import_as(st, dataset, file, 0, 1, &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.res.committed);
	imp_result_free(&r.res);
}

/* One import with allocation n failing (once: that one alone; else that one
 * and every later one).  What must hold: a failure is a negative code with
 * a Thai and an English message and leaves the data set as it was
 * (`before`); a run that got through wrote exactly the file (`full`) and is
 * taken back out.  Returns the allocations the run made, 0 when it got
 * through. */
static unsigned long inject(struct store *st, const char *file, unsigned long n, int once,
			    const char *before, const char *full)
{
	unsigned long made;
	struct run r;
	char *after;

	if (once)
		mem_fail_once(n);
	else
		mem_fail_after(n);
	import(st, "students", file, 0, &r);
	made = mem_fail_after(0);
	after = snapshot(st, "students");
	if (r.rc == 0) {
		/* nothing failed, or the failure was worked around: the valid
		 * file imports whole, never as if it had bad rows */
		if (!r.res.committed || r.res.total.errors || r.res.total.inserted != 20)
			fail_msg("%s, allocation %lu failing%s: the import reported %lld errors, %lld inserted",
				 file, n, once ? " (once)" : "", (long long)r.res.total.errors,
				 (long long)r.res.total.inserted);
		imp_result_free(&r.res);
		assert_string_equal(after, full);
		unimport(st, "students", file);
		free(after);
		after = snapshot(st, "students");
		assert_string_equal(after, before);
		free(after);
		return 0;
	}
	if (r.rc >= 0 || !r.err.th[0] || !r.err.en[0])
		fail_msg("%s, allocation %lu failing%s: rc %d without a message", file, n, once ? " (once)" : "",
			 r.rc);
	if (strcmp(after, before))
		fail_msg("%s, allocation %lu failing%s (%s): the store changed", file, n, once ? " (once)" : "",
			 r.err.en);
	free(after);
	if (getenv("NAWAT_TEST_VERBOSE"))
		print_message("%s, allocation %lu failing%s after %lu: %s\n", file, n, once ? " (once)" : "", made,
			      r.err.en);
	return made ? made : 1;
}

/* Every allocation of an import fails in turn, for a CSV, a JSON and an
 * XLSX file, into the store under test (SQLite's own allocations included;
 * on PostgreSQL those nawat makes as a client): first that allocation and
 * every later one, then that one alone.  Always a clear error and an
 * untouched store, or the whole file imported; never a crash, and no leak
 * (the sanitizer build). */
static void test_allocation_failures(void **state)
{
	static const char *const files[] = { "students.csv", "students.json", "students.xlsx" };
	struct store *st = new_store();
	unsigned long n, total;
	struct run r;
	char *before, *full;
	size_t k;
	int once;

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);
	write_students_formats(20);
	before = snapshot(st, "students");
	import(st, "students", "students.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 20);
	imp_result_free(&r.res);
	full = snapshot(st, "students");
	unimport(st, "students", "students.csv");
	for (k = 0; k < sizeof files / sizeof files[0]; k++) {
		unsigned long failures = 0;

		/* from the first allocation on, until one run gets through:
		 * then n has passed the number of allocations of an import */
		/* NAWAT_TEST_ALLOC_FROM=N starts at N, to look at one failure */
		n = getenv("NAWAT_TEST_ALLOC_FROM") ? strtoul(getenv("NAWAT_TEST_ALLOC_FROM"), NULL, 10) : 1;
		for (;; n++) {
			unsigned long made = inject(st, files[k], n, 0, before, full);

			if (!made)
				break;
			if (made < n)
				fail_msg("%s: failed at allocation %lu of %lu", files[k], n, made);
			failures++;
		}
		total = n;
		assert_true(failures > 20);
		for (n = 1, once = 0; n <= total; n++)
			once += inject(st, files[k], n, 1, before, full) != 0;
		print_message("%s: %lu allocations, each failing: %lu errors (that one and the later ones), "
			      "%d errors (that one alone)\n", files[k], total, failures, once);
	}
	free(before);
	free(full);
	store_close(st);
}

/* A report that cannot be written fails the batch before anything is
 * committed (it used to be written after the commit: an error, and yet
 * the rows were in). */
static void test_report_unwritable(void **state)
{
	struct store *st = new_store();
	struct imp_opts o;
	struct imp_file f;
	struct imp_result res;
	struct nw_err e;
	char *before, *after;
	int rc;

	(void)state;
	write_text("schools.csv", schools_csv);
	before = snapshot(st, "schools");
	memset(&o, 0, sizeof o);
	memset(&f, 0, sizeof f);
	o.user = "test";
	o.report_path = path_of("no-such-dir/report.csv");
	f.path = path_of("schools.csv");
	f.name = "schools.csv";
	f.ds = std_dataset(pkg, "schools");
	f.fmt = REC_CSV;
	err_clear(&e);
	rc = imp_run(st, key, &f, 1, &o, &res, &e);
	assert_int_equal(rc, NAWAT_EIO);
	assert_true(e.th[0] && e.en[0]);
	after = snapshot(st, "schools");
	assert_string_equal(before, after);
	free(before);
	free(after);
	store_close(st);
}

/* An XLSX sheet found damaged only at its end (the CRC of the entry is
 * checked when it has been read, after chunks of rows went to the writer,
 * on either backend):
 * the whole file is rejected and nothing is written, with or without
 * accept_valid; the same file undamaged imports. */
static void test_xlsx_damaged_late(void **state)
{
	static char rows[1 << 21];
	struct store *st = new_store();
	struct run r;
	char *before, *after;
	unsigned char *zip, *last = NULL;
	size_t len, i;
	int accept;

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);
	xlsx_students_rows(rows, sizeof rows, 5000);
	zip = xm_book("students", "", rows, NULL, NULL, 1, &len);
	assert_non_null(zip);
	for (i = 0; i + 10 < len; i++)
		if (!memcmp(zip + i, "2014-03-02", 10))
			last = zip + i;
	assert_non_null(last);
	last[9] = '3'; /* the last row's birth date: the bytes no longer match their CRC */
	write_bytes("damaged.xlsx", zip, len);
	before = snapshot(st, "students");
	for (accept = 0; accept < 2; accept++) {
		import(st, "students", "damaged.xlsx", accept, &r);
		assert_int_equal(r.rc, 0);
		assert_false(r.res.committed && r.res.total.inserted);
		assert_int_equal(r.res.total.inserted, 0);
		assert_int_equal(r.res.total.rejected, 5000);
		assert_int_equal(r.res.total.errors, 1);
		imp_result_free(&r.res);
		after = snapshot(st, "students");
		assert_string_equal(before, after);
		free(after);
	}
	last[9] = '2';
	write_bytes("students.xlsx", zip, len);
	import(st, "students", "students.xlsx", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 5000);
	assert_int_equal(r.res.total.errors, 0);
	imp_result_free(&r.res);
	free(before);
	free(zip);
	store_close(st);
}

/* A field added to the package becomes a column of the existing table. */
static const char *read_embedded_codelist(void *ctx, const char *path, size_t *len)
{
	const struct std_codelist *cl;
	size_t i;

	(void)ctx;
	for (i = 0; i < pkg->ncodelists; i++) {
		cl = &pkg->codelists[i];
		if (!strcmp(cl->path, path)) {
			*len = cl->csv_len;
			return cl->csv;
		}
	}
	return NULL;
}

static void test_migration_adds_column(void **state)
{
	struct store *st = new_store();
	struct std_package *pkg2;
	struct store *st2;
	struct nw_err e;
	struct buf cols;
	char *json, *at, *text;
	const char *field = "{\"name\":\"nickname\",\"type\":\"string\",\"title\":\"ชื่อเล่น\",\"x-title-en\":\"Nickname\"},";
	size_t len;
	int exists;

	(void)state;
	json = std_to_json(pkg, 0, &e);
	assert_non_null(json);
	/* insert the field first in the students schema */
	at = strstr(json, "\"name\": \"students\"");
	assert_non_null(at);
	at = strstr(at, "\"fields\": [");
	assert_non_null(at);
	at += strlen("\"fields\": [");
	len = strlen(json) + strlen(field) + 1;
	text = malloc(len);
	snprintf(text, len, "%.*s%s%s", (int)(at - json), json, field, at);
	assert_int_equal(std_load(text, strlen(text), read_embedded_codelist, NULL, &pkg2, &e), 0);
	store_close(st);
	assert_int_equal(store_open(store_url(1) /* an earlier store */, pkg2, 0, &st2, &e), 0);
	assert_int_equal(store_migrate(st2), 0);
	buf_init(&cols, 1 << 16);
	assert_int_equal(st2->ops->table_columns(st2, "students", &cols, &exists), 0);
	assert_true(exists);
	{
		const char *p = cols.data;
		int seen = 0;

		while (p < cols.data + cols.len) {
			if (!strcmp(p, "nickname"))
				seen = 1;
			p += strlen(p) + 1;
		}
		assert_true(seen);
	}
	/* and migrating again changes nothing */
	assert_int_equal(store_migrate(st2), 0);
	buf_release(&cols);
	store_close(st2);
	std_free(pkg2);
	free(text);
	nw_free(json);
}

/* A store made before the change number became the rowid (SQLite): its
 * tables, put back into that layout here, are made again by store_migrate
 * with the same rows, the same change feed and no index of change numbers. */
static void test_migration_seq_rowid(void **state)
{
	struct schema_dialect old = schema_sqlite;
	struct store *st;
	struct nw_err e;
	struct run r;
	struct buf sql;
	char *before, *feed_before, *after, *feed_after, have[8];
	size_t i;
	int del, n;

	(void)state;
	if (on_pg()) {
		print_message("PostgreSQL keeps the key as primary key and an index of change numbers\n");
		skip();
	}
	st = new_store();
	write_text("rs.csv", schools_csv);
	import_ok(st, "schools", "rs.csv");
	write_students("rst.csv", 50, 0);
	import_ok(st, "students", "rst.csv");
	before = snapshot(st, "students");
	feed_before = snapshot_of(st, "students", 1);

	/* every table put back into the layout of before: the key the primary
	 * key, nw_seq an indexed column */
	old.seq_rowid = 0;
	buf_init(&sql, 1 << 16);
	assert_int_equal(st->ops->exec(st, "PRAGMA foreign_keys = OFF"), 0);
	assert_int_equal(store_begin(st), 0);
	for (i = 0; i < pkg->ndatasets; i++)
		for (del = 0; del < 2; del++) {
			buf_reset(&sql);
			assert_int_equal(schema_rebuild_table(&old, &pkg->datasets[i], del, &sql), 0);
			assert_int_equal(schema_seq_index(&old, &pkg->datasets[i], del, &sql), 0);
			assert_int_equal(st->ops->exec(st, buf_str(&sql)), 0);
		}
	assert_int_equal(st->ops->exec(st, "DELETE FROM nawat_meta WHERE name = 'seq_rowid'"), 0);
	assert_int_equal(store_commit(st), 0);
	store_close(st);
	assert_int_equal(store_open(store_url(nstore), pkg, 0, &st, &e), 0);
	assert_int_equal(store_meta_get(st, "seq_rowid", have, sizeof have), NAWAT_ENOTFOUND);
	assert_int_equal(count_of(st, "SELECT count(*) FROM sqlite_master WHERE name = 'students_seq'"), 1);

	/* made again: the same rows, the same feed, no index of change numbers */
	for (n = 0; n < 2; n++) { /* (and a second time changes nothing) */
		assert_int_equal(store_migrate(st), 0);
		assert_int_equal(store_meta_get(st, "seq_rowid", have, sizeof have), 0);
		after = snapshot(st, "students");
		feed_after = snapshot_of(st, "students", 1);
		assert_string_equal(before, after);
		assert_string_equal(feed_before, feed_after);
		free(after);
		free(feed_after);
	}
	assert_int_equal(count_of(st, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
				   "AND name LIKE '%\\_seq' ESCAPE '\\'"), 0);
	assert_int_equal(count_of(st, "SELECT count(*) FROM sqlite_master WHERE name = 'students' "
				   "AND sql LIKE '%nw_seq INTEGER PRIMARY KEY%'"), 1);

	/* and it takes changes: 10 new rows, 50 unchanged */
	write_students("rst2.csv", 60, 0);
	import(st, "students", "rst2.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 10);
	assert_int_equal(r.res.total.unchanged, 50);
	imp_result_free(&r.res);
	assert_int_equal(count_of(st, "SELECT count(*) FROM students"), 60);
	buf_release(&sql);
	store_close(st);
	free(before);
	free(feed_before);
}

/* What a submission brought per school and academic year: more (school,
 * year) pairs than one statement writes (80: forty schools, two years). */
static void test_submission_schools_many(void **state)
{
	struct store *st = new_store();
	struct run r;
	FILE *fp;
	char id[14];
	int i;

	(void)state;
	fp = fopen(path_of("ms.csv"), "w");
	assert_non_null(fp);
	fputs("school_code,name_th,affiliation_code,province_code,pilot\n", fp);
	for (i = 1; i <= 40; i++)
		fprintf(fp, "10501401%02d,โรงเรียน %d,10,50,N\n", i, i);
	fclose(fp);
	import(st, "schools", "ms.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 40);
	imp_result_free(&r.res);
	fp = fopen(path_of("mst.csv"), "w");
	assert_non_null(fp);
	fputs("citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n", fp);
	for (i = 0; i < 200; i++) {
		student_id(i, id);
		fprintf(fp, "%s,10501401%02d,%d,214,1,2014-03-02,0,0\n", id, 1 + i % 40, 2566 + (i / 40) % 2);
	}
	fclose(fp);
	import(st, "students", "mst.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 200);
	assert_int_equal(count_of(st, "SELECT count(*) FROM submission_schools s JOIN submissions u ON u.id = s.sub_id "
				  "WHERE u.dataset = 'students'"), 80);
	assert_int_equal(count_of(st, "SELECT sum(s.inserted) FROM submission_schools s JOIN submissions u ON "
				  "u.id = s.sub_id WHERE u.dataset = 'students'"), 200);
	/* (school 40: rows 39, 79, 119, 159, 199; years 2566, 2567, 2566, 2567, 2566) */
	assert_int_equal(count_of(st, "SELECT count(*) FROM submission_schools s JOIN submissions u ON u.id = s.sub_id "
				  "WHERE u.dataset = 'students' AND school_code = '1050140140' AND academic_year = 2566 "
				  "AND s.inserted = 3"), 1);
	imp_result_free(&r.res);
	store_close(st);
}

/* ---- two imports at once, on two connections ---- */

/* One import on its own thread, reading fp (a pipe the test feeds, or a file). */
struct job {
	struct store *st;
	FILE *fp;
	char report[512];
	struct run r;
	pthread_t t;
	atomic_int done;
};

static void *job_main(void *p)
{
	struct job *j = p;
	struct imp_opts o;
	struct imp_file f;

	memset(&o, 0, sizeof o);
	memset(&f, 0, sizeof f);
	o.user = "test";
	o.report_path = j->report;
	o.rejected_dir = dir;
	f.fp = j->fp;
	f.name = "students.csv";
	f.ds = std_dataset(pkg, "students");
	f.fmt = REC_CSV;
	err_clear(&j->r.err);
	j->r.rc = imp_run(j->st, key, &f, 1, &o, &j->r.res, &j->r.err);
	fclose(j->fp);
	atomic_store(&j->done, 1);
	return NULL;
}

static void job_start(struct job *j, struct store *st, FILE *fp, const char *report)
{
	memset(&j->r, 0, sizeof j->r);
	j->st = st;
	j->fp = fp;
	snprintf(j->report, sizeof j->report, "%s", path_of(report));
	atomic_store(&j->done, 0);
	assert_int_equal(pthread_create(&j->t, NULL, job_main, j), 0);
}

/* Waits up to `seconds` for the job: 1 when it ended. */
static int job_wait(struct job *j, int seconds)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < seconds * 50 && !atomic_load(&j->done); i++)
		nanosleep(&ts, NULL);
	return atomic_load(&j->done);
}

/* Students first..first+n-1 of a school, in a grade. */
static void put_students(FILE *fp, int header, int first, int n, const char *school, const char *grade)
{
	char d12[24];
	int i, k, sum;

	if (header)
		fputs("citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n", fp);
	for (i = first; i < first + n; i++) {
		snprintf(d12, sizeof d12, "11018%07d", i);
		for (k = 0, sum = 0; k < 12; k++)
			sum += (d12[k] - '0') * (13 - k);
		fprintf(fp, "%s%d,%s,2567,%s,%d,2014-03-02,0,0\n", d12, (11 - sum % 11) % 10, school, grade,
			1 + i % 2);
	}
}

/* A second connection to the store of `st` (the last one made). */
static struct store *same_store(void)
{
	struct store *st;
	struct nw_err e;

	assert_int_equal(store_open(store_url(nstore), pkg, 0, &st, &e), 0);
	return st;
}

/* Every student's grade: the one grade all of them have, or "mixed". */
static const char *one_grade(struct store *st, int64_t *count)
{
	char *snap = snapshot(st, "students"), *p;
	static char grade[16];
	int64_t n = 0;

	grade[0] = '\0';
	for (p = snap; (p = strstr(p, "\"grade_code\":\"")); n++) {
		p += 14;
		if (!grade[0])
			snprintf(grade, sizeof grade, "%.3s", p);
		else if (strncmp(grade, p, 3))
			snprintf(grade, sizeof grade, "mixed");
	}
	free(snap);
	*count = n;
	return grade;
}

/*
 * Two imports of the same keys with different values at once: A has written
 * part of its rows (uncommitted) when B starts.  Both end committed, one after
 * the other: the first inserts every row, the second updates every row, and
 * the store holds the second's values for all rows, never a mix.
 */
static void test_concurrent_same_keys(void **state)
{
	struct store *st = new_store(), *st2 = same_store();
	struct job a, b;
	int fds[2];
	FILE *w, *fb;
	int64_t n;
	const char *grade, *last;
	struct run r;

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);

	assert_int_equal(pipe(fds), 0);
	w = fdopen(fds[1], "w");
	job_start(&a, st, fdopen(fds[0], "r"), "report-a.csv");
	/* (the reader takes 64 KiB blocks: send enough for a whole batch) */
	put_students(w, 1, 0, BIG * 4 / 5, "1050140101", "214");
	fflush(w);
	sleep(1); /* A reads and writes its first batch, then waits for more */

	fb = fopen(path_of("same-b.csv"), "w");
	put_students(fb, 1, 0, BIG, "1050140101", "215");
	fclose(fb);
	job_start(&b, st2, fopen(path_of("same-b.csv"), "r"), "report-b.csv");
	sleep(1);
	put_students(w, 0, BIG * 4 / 5, BIG / 5, "1050140101", "214");
	fclose(w);
	assert_true(job_wait(&a, 120));
	assert_true(job_wait(&b, 120));
	pthread_join(a.t, NULL);
	pthread_join(b.t, NULL);

	assert_int_equal(a.r.rc, 0);
	assert_int_equal(b.r.rc, 0);
	assert_true(a.r.res.committed && b.r.res.committed);
	/* one inserted everything, the other updated everything */
	assert_int_equal(a.r.res.total.inserted + b.r.res.total.inserted, BIG);
	assert_int_equal(a.r.res.total.updated + b.r.res.total.updated, BIG);
	assert_true(a.r.res.total.inserted == BIG || b.r.res.total.inserted == BIG);
	last = a.r.res.total.updated == BIG ? "214" : "215";
	grade = one_grade(st, &n);
	assert_int_equal(n, BIG);
	assert_string_equal(grade, last);
	print_message("the %s import committed last: every row has its grade %s\n",
		      a.r.res.total.updated == BIG ? "first" : "second", last);
	imp_result_free(&a.r.res);
	imp_result_free(&b.r.res);
	store_close(st2);
	store_close(st);
}

/* On PostgreSQL change numbers come from the sequence 1,024 at a time for
 * each connection (system migration 8), also on a store made before that
 * migration; numbers still rise within a submission. */
static void test_seq_block(void **state)
{
	static const char *cache = "SELECT seqcache FROM pg_sequence WHERE seqrelid = 'nawat_seq'::regclass";
	struct store *st;

	(void)state;
	if (!on_pg()) {
		print_message("SQLite numbers changes in the process, not with a sequence\n");
		skip();
	}
	st = new_store();
	assert_int_equal(count_of(st, cache), 1024);
	/* a store made before: a cache of one, migration 8 not applied */
	assert_int_equal(st->ops->exec(st, "ALTER SEQUENCE nawat_seq CACHE 1"), 0);
	assert_int_equal(st->ops->exec(st, "DELETE FROM nawat_meta WHERE name = 'system_migration_8'"), 0);
	assert_int_equal(count_of(st, cache), 1);
	assert_int_equal(store_migrate(st), 0);
	assert_int_equal(count_of(st, cache), 1024);
	/* a submission's rows: numbers above its first_seq, one each */
	write_text("schools.csv", schools_csv);
	import_ok(st, "schools", "schools.csv");
	write_students("students.csv", 100, 0);
	import_ok(st, "students", "students.csv");
	assert_int_equal(count_of(st, "SELECT count(DISTINCT nw_seq) FROM students s JOIN submissions b ON "
				      "b.id = s.nw_sub WHERE s.nw_seq > b.first_seq"), 100);
	store_close(st);
}

/* A student's key (citizen ID number v, 2567) for the lookups, its hash in h. */
static void student_key(int v, unsigned char h[PII_HASH_LEN], struct val_value *k)
{
	char id[14];

	student_id(v, id);
	pii_hash(key, id, 13, h);
	memset(k, 0, 2 * sizeof *k);
	k[0].state = VAL_SET;
	k[0].s = (const char *)h;
	k[0].n = PII_HASH_LEN;
	k[1].state = VAL_SET;
	k[1].i = 2567;
	k[1].d = 2567;
}

static void text_val(const char *s, struct val_value *v)
{
	memset(v, 0, sizeof *v);
	v->state = VAL_SET;
	v->s = s;
	v->n = strlen(s);
}

/* A lookup told where its rows are (store_ref_near: a student's school)
 * answers as one by key, batch after batch (the rows read stay for the
 * next): keys where their rows say, keys at another school (a school that
 * mismatches), keys not stored, keys whose school is not known, and last a
 * batch spread over more schools than the read near pays for.  On
 * PostgreSQL the first two batches are read near, the rest by key. */
static void test_lookup_near(void **state)
{
	enum { N = 64 };
	static const char *const school[2] = { "1050140101", "1050140102" };
	static char places[N][24];
	const struct std_dataset *ds;
	struct store *st = new_store();
	struct store_ref *ref, *plain;
	struct val_value keys[2 * N], near[N], got[2 * N], want[2 * N];
	unsigned char hash[N][PII_HASH_LEN];
	int fetch[2], nearf, found[N], found_plain[N], i, b, nfound;
	char id[14];
	struct run r;
	FILE *fp;

	(void)state;
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	imp_result_free(&r.res);
	/* 60 students at each school: numbers 0..59, and 1000..1059 */
	fp = fopen(path_of("students.csv"), "w");
	assert_non_null(fp);
	fputs("citizen_id,school_code,academic_year,grade_code,gender,birth_date,disadvantage,disability\n", fp);
	for (i = 0; i < 120; i++) {
		student_id(i < 60 ? i : 940 + i, id);
		fprintf(fp, "%s,%s,2567,214,%d,2014-03-02,%d,0\n", id, school[i >= 60], 1 + i % 2, i % 3);
	}
	fclose(fp);
	import(st, "students", "students.csv", 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.total.inserted, 120);
	imp_result_free(&r.res);

	ds = std_dataset(pkg, "students");
	fetch[0] = std_field_index(ds, "school_code", 11);
	fetch[1] = std_field_index(ds, "disadvantage", 12);
	nearf = fetch[0];
	assert_int_equal(store_ref_open(st, ds, fetch, 2, &ref), 0);
	store_ref_near(ref, &nearf, 1);
	assert_int_equal(store_ref_open(st, ds, fetch, 2, &plain), 0);
	for (b = 0; b < 4; b++) {
		for (i = 0; i < N; i++) {
			int v = b == 1 ? 1000 + i : i;
			const char *at = school[b == 1];

			if (i >= 60) { /* the other school's first four */
				v = b == 1 ? i - 60 : 1000 + i - 60;
				at = school[b != 1];
			}
			if (b == 0 && i >= 48 && i < 56)
				v = 1000 + i - 30; /* at the other school */
			if (b == 0 && i >= 56 && i < 60)
				v = 5000 + i; /* not stored */
			if (b == 3) { /* each its own place */
				snprintf(places[i], sizeof places[i], "10501499%02d", i);
				at = places[i];
			}
			student_key(v, hash[i], &keys[2 * i]);
			text_val(at, &near[i]);
			if (b == 0 && i >= 60)
				near[i].state = VAL_ABSENT; /* not known */
		}
		assert_int_equal(store_ref_lookup_many(ref, N, keys, near, found, got), 0);
		assert_int_equal(store_ref_lookup_many(plain, N, keys, NULL, found_plain, want), 0);
		for (i = 0, nfound = 0; i < N; i++) {
			assert_int_equal(found[i], found_plain[i]);
			if (!found[i])
				continue;
			nfound++;
			assert_int_equal(got[2 * i].n, want[2 * i].n);
			assert_memory_equal(got[2 * i].s, want[2 * i].s, want[2 * i].n);
			assert_int_equal(got[2 * i + 1].i, want[2 * i + 1].i);
		}
		assert_int_equal(nfound, b == 0 ? N - 4 : N);
		if (b == 0) { /* the students of school two told school one */
			assert_true(found[50]);
			assert_int_equal(got[2 * 50].n, 10);
			assert_memory_equal(got[2 * 50].s, school[1], 10);
			assert_false(found[57]);
		}
	}
	store_ref_close(ref);
	store_ref_close(plain);
	store_close(st);
}

/*
 * Imports into different schools do not wait for each other (PostgreSQL): B
 * starts, writes and commits while A's transaction is open and holding rows.
 * SQLite has one writer at a time, so there the imports take turns.
 */
static void test_concurrent_schools(void **state)
{
	struct store *st, *st2;
	struct job a, b;
	int fds[2];
	FILE *w, *fb;
	struct run r;
	int64_t n;

	(void)state;
	if (!on_pg()) {
		print_message("SQLite has one writer at a time: imports take turns (PostgreSQL only)\n");
		skip();
	}
	st = new_store();
	st2 = same_store();
	write_text("schools.csv", schools_csv);
	import(st, "schools", "schools.csv", 0, &r);
	imp_result_free(&r.res);

	assert_int_equal(pipe(fds), 0);
	w = fdopen(fds[1], "w");
	job_start(&a, st, fdopen(fds[0], "r"), "report-a.csv");
	put_students(w, 1, 0, BIG * 4 / 5, "1050140101", "214");
	fflush(w);
	sleep(1);

	fb = fopen(path_of("school-b.csv"), "w");
	put_students(fb, 1, BIG, BIG, "1050140102", "215");
	fclose(fb);
	job_start(&b, st2, fopen(path_of("school-b.csv"), "r"), "report-b.csv");
	/* B finishes while A is still open, waiting for the rest of its file */
	assert_true(job_wait(&b, 60));
	assert_false(atomic_load(&a.done));
	pthread_join(b.t, NULL);
	assert_int_equal(b.r.rc, 0);
	assert_true(b.r.res.committed);
	assert_int_equal(b.r.res.total.inserted, BIG);

	put_students(w, 0, BIG * 4 / 5, BIG / 5, "1050140101", "214");
	fclose(w);
	assert_true(job_wait(&a, 120));
	pthread_join(a.t, NULL);
	assert_int_equal(a.r.rc, 0);
	assert_int_equal(a.r.res.total.inserted, BIG);
	one_grade(st, &n);
	assert_int_equal(n, 2 * BIG);
	imp_result_free(&a.r.res);
	imp_result_free(&b.r.res);
	store_close(st2);
	store_close(st);
}

static int setup(void **state)
{
	(void)state;
	return unit_setup("import");
}

static int teardown(void **state)
{
	(void)state;
	return unit_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upsert_counts),
		cmocka_unit_test(test_duplicate_across_chunks),
		cmocka_unit_test(test_stored_keys_mid_batch),
		cmocka_unit_test(test_batch_meets_stored),
		cmocka_unit_test(test_first_load_indexes_last),
		cmocka_unit_test(test_late_failure_loses_nothing),
		cmocka_unit_test(test_allocation_failures),
		cmocka_unit_test(test_migration_adds_column),
		cmocka_unit_test(test_migration_seq_rowid),
		cmocka_unit_test(test_submission_schools_many),
		cmocka_unit_test(test_concurrent_same_keys),
		cmocka_unit_test(test_concurrent_schools),
		cmocka_unit_test(test_lookup_near),
		cmocka_unit_test(test_seq_block),
		cmocka_unit_test(test_xlsx_damaged_late),
		cmocka_unit_test(test_report_unwritable),
	};

	return cmocka_run_group_tests_name("import", tests, setup, teardown);
}
