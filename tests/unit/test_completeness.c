/*
 * test_completeness.c - the parts of submissions and completeness that need
 * no store: the rounds' deadlines and the default year and term of a day
 * (domain/completeness.c), the UTC bounds of days in Thailand
 * (domain/submissions.c), the tally of rows per school, year and term
 * (store/tally.c), and the kind of an ID (exchange/samechild.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "domain/completeness.h"
#include "domain/submissions.h"
#include "exchange/samechild.h"
#include "standard/std.h"
#include "store/tally.h"

static struct date day(const char *iso)
{
	struct date d;
	enum date_form f;

	assert_int_equal(date_parse(iso, strlen(iso), &d, &f), DATE_OK);
	return d;
}

static void assert_day(struct date d, const char *iso)
{
	char buf[16];

	assert_string_equal(date_iso(d, buf, sizeof buf), iso);
}

static void test_round_deadlines(void **state)
{
	(void)state;
	/* academic year 2567 starts on 16 May 2024 */
	assert_day(cpl_round_deadline(2567, 1), "2024-06-10");
	assert_day(cpl_round_deadline(2567, 2), "2024-11-10");
	assert_day(cpl_round_deadline(2567, 3), "2025-03-31");
	assert_int_equal(cpl_round_of_term(1), 1);
	assert_int_equal(cpl_round_of_term(2), 2);
	assert_int_equal(cpl_round_of_term(0), 3);
}

static void test_default_year_and_term(void **state)
{
	static const struct {
		const char *day;
		int64_t year;
		int term;
	} cases[] = {
		{ "2024-05-15", 2566, 0 }, /* the last day of 2566 */
		{ "2024-05-16", 2567, 1 },
		{ "2024-09-30", 2567, 1 },
		{ "2024-10-01", 2567, 2 }, /* round 2's window opens */
		{ "2025-01-31", 2567, 2 },
		{ "2025-02-01", 2567, 0 }, /* round 3's */
		{ "2025-05-15", 2567, 0 },
	};
	size_t i;
	int64_t y;
	int t;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cpl_default(day(cases[i].day), &y, &t);
		assert_int_equal(y, cases[i].year);
		assert_int_equal(t, cases[i].term);
	}
	assert_string_equal(cpl_status_name(CPL_LATE), "late");
	assert_string_equal(cpl_status_name(CPL_PENDING), "pending");
}

static void test_day_bounds(void **state)
{
	char buf[32];

	(void)state;
	/* a day in Thailand runs from 17:00 UTC the day before to 17:00 UTC */
	assert_string_equal(subs_day_bound(day("2024-06-10"), 1, buf, sizeof buf), "2024-06-09T17:00:00Z");
	assert_string_equal(subs_day_bound(day("2024-06-10"), 0, buf, sizeof buf), "2024-06-10T17:00:00Z");
	assert_string_equal(subs_day_bound(day("2024-03-01"), 1, buf, sizeof buf), "2024-02-29T17:00:00Z");
}

static int ok_all(void *ctx, int field)
{
	(void)ctx;
	(void)field;
	return 1;
}

static int not_term(void *ctx, int field)
{
	return field != *(int *)ctx;
}

static void set_text(struct val_value *v, const char *s)
{
	memset(v, 0, sizeof *v);
	v->state = VAL_SET;
	v->s = s;
	v->n = strlen(s);
}

static void set_int(struct val_value *v, int64_t i)
{
	memset(v, 0, sizeof *v);
	v->state = VAL_SET;
	v->i = i;
}

static void test_tally(void **state)
{
	const struct std_dataset *ds = *state;
	int fs = std_field_index(ds, "school_code", 11), fy = std_field_index(ds, "academic_year", 13);
	int ft = std_field_index(ds, "term", 4);
	struct val_value vals[16];
	char codes[300][11];
	struct tally t;
	size_t i;
	int64_t sum;
	int k;

	assert_true(ds->nfields <= 16);
	memset(vals, 0, sizeof vals);
	tally_init(&t, ds);
	assert_int_equal(t.area_f, -1); /* outcomes: the area comes from the school */
	/* 300 schools x 2 terms: the table grows; each counted where it belongs */
	for (i = 0; i < 300; i++) {
		snprintf(codes[i], sizeof codes[i], "10500%05zu", i);
		set_text(&vals[fs], codes[i]);
		set_int(&vals[fy], 2567);
		set_int(&vals[ft], 1);
		tally_add(&t, ds, vals, ok_all, NULL, TALLY_INSERTED);
		tally_add(&t, ds, vals, ok_all, NULL, TALLY_INSERTED);
		set_int(&vals[ft], 2);
		tally_add(&t, ds, vals, ok_all, NULL, i % 2 ? TALLY_UPDATED : TALLY_REJECTED);
	}
	/* a row whose term is not valid counts under no term */
	set_text(&vals[fs], codes[7]);
	tally_add(&t, ds, vals, not_term, &ft, TALLY_REJECTED);
	assert_false(t.failed);
	assert_int_equal(t.n, 601);
	for (i = 0, sum = 0; i < t.n; i++) {
		const struct tally_entry *e = &t.e[i];

		for (k = 0; k < TALLY_N; k++)
			sum += e->n[k];
		assert_int_equal(e->year, 2567);
		if (e->term == 1)
			assert_int_equal(e->n[TALLY_INSERTED], 2);
		if (e->term == -1) {
			assert_string_equal(e->school, codes[7]);
			assert_int_equal(e->n[TALLY_REJECTED], 1);
		}
	}
	assert_int_equal(sum, 901);
	tally_reject_all(&t);
	for (i = 0, sum = 0; i < t.n; i++) {
		sum += t.e[i].n[TALLY_REJECTED];
		assert_int_equal(t.e[i].n[TALLY_INSERTED] + t.e[i].n[TALLY_UPDATED], 0);
	}
	assert_int_equal(sum, 901);
	tally_release(&t);
}

static void test_id_kind(void **state)
{
	(void)state;
	assert_int_equal(same_kind("G000012345678", 13), SAME_GCODE);
	assert_int_equal(same_kind("1101700123456", 13), SAME_ID);
	assert_int_equal(same_kind("", 0), SAME_NONE);
}

static struct std_package *pkg;

static int setup(void **state)
{
	struct nw_err e;

	if (std_load_embedded(&pkg, &e))
		return -1;
	*state = (void *)std_dataset(pkg, "outcomes");
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	std_free(pkg);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_deadlines),
		cmocka_unit_test(test_default_year_and_term),
		cmocka_unit_test(test_day_bounds),
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_id_kind),
	};

	return cmocka_run_group_tests_name("completeness", tests, setup, teardown);
}
