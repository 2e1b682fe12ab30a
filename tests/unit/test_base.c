/*
 * test_base.c - unit tests of src/base: growable buffers (buf), the arena,
 * civil dates and the Buddhist era (date), and the allocator's failure
 * injection (mem).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/err.h"
#include "base/mem.h"

/* ---- buf ---- */

static void test_buf_limit(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "12345678", 8), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(buf_putc(&b, 'x'), NAWAT_ELIMIT);
	assert_int_equal(buf_puts(&b, "yz"), NAWAT_ELIMIT);
	assert_int_equal(buf_printf(&b, "%d", 1), NAWAT_ELIMIT);
	/* a refused append leaves the content as it was */
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_str(&b), "12345678");
	/* sizes that would overflow are refused, not wrapped */
	assert_int_equal(buf_reserve(&b, (size_t)-1), NAWAT_ELIMIT);
	assert_int_equal(buf_reserve(&b, (size_t)-1 - 4), NAWAT_ELIMIT);
	buf_release(&b);

	/* exactly at the limit from printf is fine, one more is not */
	buf_init(&b, 5);
	assert_int_equal(buf_printf(&b, "%s", "abcde"), 0);
	assert_string_equal(buf_str(&b), "abcde");
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%s", "abcdef"), NAWAT_ELIMIT);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_buf_printf_growth(void **state)
{
	static char expect[65536];
	struct buf b;
	size_t elen = 0;
	int i;

	(void)state;
	buf_init(&b, BUF_UNLIMITED);
	assert_string_equal(buf_str(&b), "");
	for (i = 0; i < 2000; i++) {
		assert_int_equal(buf_printf(&b, "%d:%s,", i, i % 2 ? "odd" : "even"), 0);
		assert_true(elen < sizeof expect - 32);
		elen += (size_t)snprintf(expect + elen, sizeof expect - elen, "%d:%s,", i,
					 i % 2 ? "odd" : "even");
	}
	assert_int_equal(b.len, elen);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, expect, elen);
	assert_int_equal(strlen(buf_str(&b)), elen);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_buf_reset_keeps_memory(void **state)
{
	struct buf b;
	char *mem;

	(void)state;
	buf_init(&b, BUF_UNLIMITED);
	assert_int_equal(buf_puts(&b, "hello"), 0);
	mem = b.data;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.data, mem);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "x"), 0);
	assert_ptr_equal(b.data, mem);
	assert_string_equal(buf_str(&b), "x");
	buf_release(&b);
}

static void test_buf_detach(void **state)
{
	struct buf b;
	char *p, *mem;
	size_t len = 99;

	(void)state;
	buf_init(&b, BUF_UNLIMITED);
	assert_int_equal(buf_append(&b, "ab\0cd", 5), 0);
	mem = b.data;
	p = buf_detach(&b, &len);
	assert_ptr_equal(p, mem);
	assert_int_equal(len, 5);
	assert_memory_equal(p, "ab\0cd", 6);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	nw_free(p);

	/* the buffer is usable again after a detach */
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_string_equal(buf_str(&b), "again");
	buf_release(&b);

	/* a buffer that never allocated detaches as "" */
	buf_init(&b, BUF_UNLIMITED);
	len = 99;
	p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	nw_free(p);
}

static void test_buf_enomem(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, BUF_UNLIMITED);
	mem_fail_after(1);
	assert_int_equal(buf_puts(&b, "x"), NAWAT_ENOMEM);
	mem_fail_after(0);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_puts(&b, "x"), 0);
	assert_string_equal(buf_str(&b), "x");
	buf_release(&b);
}

/* ---- arena ---- */

static void test_arena_alignment(void **state)
{
	static const size_t sizes[] = { 1, 3, 7, 15, 16, 17, 33, 100, 5, 1 };
	unsigned char *p[sizeof sizes / sizeof sizes[0]];
	struct arena a;
	size_t i, k;

	(void)state;
	arena_init(&a, 256, 0);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		p[i] = arena_alloc(&a, sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	/* no allocation overwrote another */
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		for (k = 0; k < sizes[i]; k++)
			assert_int_equal(p[i][k], i + 1);
	/* rounded up to 16 each */
	assert_int_equal(a.used_total, 16 + 16 + 16 + 16 + 16 + 32 + 48 + 112 + 16 + 16);
	arena_release(&a);
	assert_null(a.head);
}

static void test_arena_limit(void **state)
{
	struct arena a;
	void *p;

	(void)state;
	arena_init(&a, 1024, 100);
	assert_non_null(arena_alloc(&a, 64));
	assert_non_null(arena_alloc(&a, 20)); /* 32 counted: 96 */
	assert_int_equal(a.used_total, 96);
	assert_null(arena_alloc(&a, 1));      /* 16 more would be 112 > 100 */
	assert_int_equal(a.used_total, 96);
	assert_null(arena_alloc(&a, 1000));
	assert_null(arena_alloc(&a, (size_t)-1));
	assert_null(arena_alloc(&a, (size_t)-8));
	arena_reset(&a);
	assert_int_equal(a.used_total, 0);
	p = arena_alloc(&a, 96);
	assert_non_null(p);
	assert_null(arena_alloc(&a, 5));
	arena_release(&a);
}

static void test_arena_reset_reuse(void **state)
{
	struct arena a;
	char *first, *p;
	int i;

	(void)state;
	arena_init(&a, 128, 0);
	first = arena_alloc(&a, 32);
	assert_non_null(first);
	arena_reset(&a);
	assert_int_equal(a.used_total, 0);
	p = arena_alloc(&a, 32);
	assert_ptr_equal(p, first); /* the block is reused, not reallocated */

	/* many blocks and a big one-off, then reset: everything still works
	 * and nothing leaks (valgrind) */
	for (i = 0; i < 50; i++)
		assert_non_null(arena_alloc(&a, 48));
	p = arena_alloc(&a, 4096);
	assert_non_null(p);
	memset(p, 'x', 4096);
	arena_reset(&a);
	assert_int_equal(a.used_total, 0);
	assert_non_null(a.head);
	p = arena_strdup(&a, "ปีการศึกษา");
	assert_string_equal(p, "ปีการศึกษา");
	p = arena_strndup(&a, "abcdef", 3);
	assert_string_equal(p, "abc");
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.used_total, 0);
}

static void test_arena_big_allocation(void **state)
{
	struct arena a;
	char *small1, *big, *small2;

	(void)state;
	arena_init(&a, 64, 0);
	small1 = arena_alloc(&a, 16);
	big = arena_alloc(&a, 1000);
	small2 = arena_alloc(&a, 16);
	assert_non_null(small1);
	assert_non_null(big);
	assert_non_null(small2);
	memset(big, 'b', 1000);
	memset(small1, 'a', 16);
	memset(small2, 'c', 16);
	assert_int_equal(big[0], 'b');
	assert_int_equal(big[999], 'b');
	/* the big block did not take the place of the current one */
	assert_ptr_equal(small2, small1 + 16);
	arena_release(&a);
}

static void test_arena_enomem(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 64, 0);
	mem_fail_after(1);
	assert_null(arena_alloc(&a, 8));
	mem_fail_after(0);
	assert_non_null(arena_alloc(&a, 8));
	arena_release(&a);
}

/* ---- date ---- */

struct parse_case {
	const char *s;
	enum date_status st;
	int y, m, d;
	enum date_form form;
};

static void test_date_parse(void **state)
{
	static const struct parse_case cases[] = {
		/* ISO, C.E., 1900-2199 */
		{ "2024-05-16", DATE_OK, 2024, 5, 16, DATE_ISO },
		{ "1900-01-01", DATE_OK, 1900, 1, 1, DATE_ISO },
		{ "2199-12-31", DATE_OK, 2199, 12, 31, DATE_ISO },
		{ "1899-12-31", DATE_BAD_YEAR, 0, 0, 0, 0 },
		{ "2200-01-01", DATE_BAD_YEAR, 0, 0, 0, 0 },
		/* D/M/YYYY, B.E. 2400-2700, converted */
		{ "16/5/2567", DATE_OK, 2024, 5, 16, DATE_DMY_BE },
		{ "16/05/2567", DATE_OK, 2024, 5, 16, DATE_DMY_BE },
		{ "1/1/2400", DATE_OK, 1857, 1, 1, DATE_DMY_BE },
		{ "31/12/2700", DATE_OK, 2157, 12, 31, DATE_DMY_BE },
		{ "1/1/2399", DATE_BAD_YEAR, 0, 0, 0, 0 },
		{ "1/1/2701", DATE_BAD_YEAR, 0, 0, 0, 0 },
		/* impossible days and months */
		{ "2017-02-30", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "30/2/2560", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "2017-13-01", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "2017-00-10", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "2017-04-31", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "2017-01-00", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "32/1/2560", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "1/13/2560", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "0/1/2560", DATE_BAD_DAY, 0, 0, 0, 0 },
		/* the wrong era for the form */
		{ "2560-05-16", DATE_BAD_YEAR, 0, 0, 0, 0 },
		{ "16/5/2017", DATE_BAD_YEAR, 0, 0, 0, 0 },
		/* leap years */
		{ "2024-02-29", DATE_OK, 2024, 2, 29, DATE_ISO },
		{ "2023-02-29", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "1900-02-29", DATE_BAD_DAY, 0, 0, 0, 0 },
		{ "2000-02-29", DATE_OK, 2000, 2, 29, DATE_ISO },
		{ "29/2/2567", DATE_OK, 2024, 2, 29, DATE_DMY_BE },
		{ "29/2/2566", DATE_BAD_DAY, 0, 0, 0, 0 },
		/* shapes we do not accept */
		{ "", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "abc", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "garbage!!!", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "2017/05/16", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "2017-5-16", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "2017-05-1x", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "16-5-2560", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "16/5/60", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "16/5/25600", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "16/5/2560 ", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "/5/2560", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "16//2560", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "16/5", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "16/5/", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ "123/5/2560", DATE_BAD_FORM, 0, 0, 0, 0 },
		{ " 2024-05-16", DATE_BAD_FORM, 0, 0, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct parse_case *c = &cases[i];
		struct date dt = { -1, -1, -1 };
		enum date_form form = 0;
		enum date_status st;

		st = date_parse(c->s, strlen(c->s), &dt, &form);
		if (st != c->st)
			fail_msg("date_parse(\"%s\") = %d, expected %d", c->s, st, c->st);
		if (st != DATE_OK)
			continue;
		if (dt.y != c->y || dt.m != c->m || dt.d != c->d || form != c->form)
			fail_msg("date_parse(\"%s\") = %04d-%02d-%02d form %d, expected %04d-%02d-%02d form %d",
				 c->s, dt.y, dt.m, dt.d, form, c->y, c->m, c->d, c->form);
	}
}

static void test_date_parse_uses_length(void **state)
{
	struct date dt;
	enum date_form form;

	(void)state;
	/* only s[0..n) is read: the rest of a cell buffer does not matter */
	assert_int_equal(date_parse("2024-05-16,1", 10, &dt, &form), DATE_OK);
	assert_int_equal(dt.y, 2024);
	assert_int_equal(date_parse("16/5/2567,x", 9, &dt, &form), DATE_OK);
	assert_int_equal(dt.y, 2024);
	assert_int_equal(dt.m, 5);
	assert_int_equal(dt.d, 16);
}

static void test_date_days_round_trip(void **state)
{
	struct date first = { 1900, 1, 1 }, last = { 2199, 12, 31 }, dt, prev;
	int64_t d, lo, hi;

	(void)state;
	assert_int_equal(date_to_days((struct date){ 1970, 1, 1 }), 0);
	assert_int_equal(date_to_days((struct date){ 1969, 12, 31 }), -1);
	assert_int_equal(date_to_days((struct date){ 2000, 2, 29 }), 11016);
	assert_int_equal(date_to_days((struct date){ 2000, 3, 1 }), 11017);
	assert_int_equal(date_to_days((struct date){ 2024, 5, 16 }), 19859);
	lo = date_to_days(first);
	hi = date_to_days(last);
	assert_int_equal(lo, -25567);
	assert_int_equal(hi, 84005);
	prev = date_from_days(lo - 1);
	assert_int_equal(prev.y, 1899);
	assert_int_equal(prev.m, 12);
	assert_int_equal(prev.d, 31);
	for (d = lo; d <= hi; d++) {
		dt = date_from_days(d);
		if (!date_valid(dt.y, dt.m, dt.d) || date_to_days(dt) != d)
			fail_msg("day %lld -> %04d-%02d-%02d does not round-trip", (long long)d,
				 dt.y, dt.m, dt.d);
		/* each day follows the one before */
		if (!((dt.y == prev.y && dt.m == prev.m && dt.d == prev.d + 1) ||
		      (dt.d == 1 && prev.d == date_days_in_month(prev.y, prev.m) &&
		       ((dt.y == prev.y && dt.m == prev.m + 1) ||
			(dt.y == prev.y + 1 && dt.m == 1 && prev.m == 12)))))
			fail_msg("%04d-%02d-%02d does not follow %04d-%02d-%02d",
				 dt.y, dt.m, dt.d, prev.y, prev.m, prev.d);
		prev = dt;
	}
	assert_int_equal(prev.y, 2199);
	assert_int_equal(prev.m, 12);
	assert_int_equal(prev.d, 31);
}

static void test_date_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2023, 2), 28);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(2024, 4), 30);
	assert_int_equal(date_days_in_month(2024, 12), 31);
	assert_int_equal(date_days_in_month(2024, 0), 0);
	assert_int_equal(date_days_in_month(2024, 13), 0);
}

static void test_date_age(void **state)
{
	(void)state;
	assert_int_equal(date_age((struct date){ 2017, 5, 16 }, (struct date){ 2024, 5, 16 }), 7);
	assert_int_equal(date_age((struct date){ 2017, 5, 16 }, (struct date){ 2024, 5, 15 }), 6);
	assert_int_equal(date_age((struct date){ 2017, 5, 17 }, (struct date){ 2024, 5, 16 }), 6);
	assert_int_equal(date_age((struct date){ 2017, 6, 1 }, (struct date){ 2024, 5, 16 }), 6);
	assert_int_equal(date_age((struct date){ 2017, 4, 30 }, (struct date){ 2024, 5, 16 }), 7);
	assert_int_equal(date_age((struct date){ 2024, 5, 16 }, (struct date){ 2024, 5, 16 }), 0);
	/* born on 29 February */
	assert_int_equal(date_age((struct date){ 2016, 2, 29 }, (struct date){ 2017, 2, 28 }), 0);
	assert_int_equal(date_age((struct date){ 2016, 2, 29 }, (struct date){ 2017, 3, 1 }), 1);
	assert_int_equal(date_age((struct date){ 2016, 2, 29 }, (struct date){ 2020, 2, 29 }), 4);
	assert_int_equal(date_age((struct date){ 1984, 5, 16 }, (struct date){ 2024, 5, 16 }), 40);
}

static void test_date_academic_year(void **state)
{
	(void)state;
	assert_int_equal(date_academic_year((struct date){ 2024, 5, 15 }), 2566);
	assert_int_equal(date_academic_year((struct date){ 2024, 5, 16 }), 2567);
	assert_int_equal(date_academic_year((struct date){ 2024, 5, 1 }), 2566);
	assert_int_equal(date_academic_year((struct date){ 2024, 4, 30 }), 2566);
	assert_int_equal(date_academic_year((struct date){ 2024, 6, 1 }), 2567);
	assert_int_equal(date_academic_year((struct date){ 2024, 12, 31 }), 2567);
	assert_int_equal(date_academic_year((struct date){ 2025, 1, 1 }), 2567);
	assert_int_equal(date_academic_year((struct date){ 2025, 5, 15 }), 2567);
	assert_int_equal(date_academic_year((struct date){ 2025, 5, 16 }), 2568);
}

static void test_date_fiscal_year(void **state)
{
	(void)state;
	assert_int_equal(date_fiscal_year((struct date){ 2024, 9, 30 }), 2567);
	assert_int_equal(date_fiscal_year((struct date){ 2024, 10, 1 }), 2568);
	assert_int_equal(date_fiscal_year((struct date){ 2024, 12, 31 }), 2568);
	assert_int_equal(date_fiscal_year((struct date){ 2025, 1, 1 }), 2568);
	assert_int_equal(date_fiscal_year((struct date){ 2025, 9, 30 }), 2568);
	assert_int_equal(date_fiscal_year((struct date){ 2025, 10, 1 }), 2569);
}

static void test_date_text(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(date_thai((struct date){ 2024, 5, 16 }, 0, b, sizeof b), "16 พ.ค. 2567");
	assert_string_equal(date_thai((struct date){ 2024, 5, 16 }, 1, b, sizeof b),
			    "16 พฤษภาคม 2567");
	assert_string_equal(date_thai((struct date){ 2025, 1, 1 }, 0, b, sizeof b), "1 ม.ค. 2568");
	assert_string_equal(date_thai((struct date){ 2024, 12, 31 }, 0, b, sizeof b), "31 ธ.ค. 2567");
	assert_string_equal(date_thai((struct date){ 2024, 2, 29 }, 1, b, sizeof b),
			    "29 กุมภาพันธ์ 2567");
	assert_string_equal(date_thai((struct date){ 2024, 13, 1 }, 0, b, sizeof b), "-");
	assert_string_equal(date_iso((struct date){ 2017, 5, 6 }, b, sizeof b), "2017-05-06");
	assert_string_equal(date_iso((struct date){ 1900, 12, 31 }, b, sizeof b), "1900-12-31");
	/* the digits by hand equal snprintf's, and outside them snprintf writes */
	{
		struct date ds[] = { { 5, 1, 9 }, { 999, 10, 10 }, { 9999, 99, 99 }, { 10000, 1, 1 },
				     { -1, 1, 1 }, { 2024, 100, 1 }, { 2024, 1, -3 } };
		char want[64], small[8];
		size_t i;

		for (i = 0; i < sizeof ds / sizeof ds[0]; i++) {
			snprintf(want, sizeof want, "%04d-%02d-%02d", ds[i].y, ds[i].m, ds[i].d);
			assert_string_equal(date_iso(ds[i], b, sizeof b), want);
			want[sizeof small - 1] = '\0'; /* what snprintf leaves in the short buffer */
			assert_string_equal(date_iso(ds[i], small, sizeof small), want);
		}
	}
}

static void test_date_today(void **state)
{
	struct date t = date_today();

	(void)state;
	assert_true(date_valid(t.y, t.m, t.d));
	assert_in_range(t.y, 2024, 2199);
}

/* ---- mem ---- */

/* Messages quote input and are cut by their buffers: never half a Thai
 * character (an XLSX row number of Thai letters once gave a message that
 * was not UTF-8). */
static void test_err_cut(void **state)
{
	const char *th = "กขค";  /* 3 bytes a character */
	struct nw_err e;
	char big[2 * NW_ERR_MSG];
	size_t i;

	(void)state;
	assert_int_equal(err_cut(th, 9), 9);
	assert_int_equal(err_cut(th, 8), 6);
	assert_int_equal(err_cut(th, 7), 6);
	assert_int_equal(err_cut(th, 6), 6);
	assert_int_equal(err_cut(th, 100), 9);
	assert_int_equal(err_cut("ab", 1), 1);
	assert_int_equal(err_cut("a\xF0\x9F\x98\x80", 4), 1);
	assert_int_equal(err_cut("a\xF0\x9F\x98\x80", 5), 5);
	assert_int_equal(err_cut("\xC2\xA0", 1), 0);
	/* a message longer than its buffer ends on a whole character, for
	 * every place the cut can fall */
	for (i = 0; i < 3; i++) {
		size_t n = i;

		memset(big, 'x', i);
		while (n + 3 < sizeof big) {
			memcpy(big + n, th, 3);
			n += 3;
		}
		big[n] = '\0';
		err_set(&e, NAWAT_EPARSE, "%s", "%s", big);
		assert_true(strlen(e.th) >= NW_ERR_MSG - 3);
		assert_int_equal(err_cut(e.th, strlen(e.th)), strlen(e.th));
		assert_int_equal((strlen(e.th) - i) % 3, 0);
		err_msg(&e, NAWAT_EPARSE, big, big);
		assert_int_equal((strlen(e.en) - i) % 3, 0);
	}
}

static void test_mem_fail_after(void **state)
{
	void *p[4];
	char *s;
	int i;

	(void)state;
	mem_fail_after(0);
	for (i = 0; i < 3; i++) {
		p[i] = nw_malloc(16);
		assert_non_null(p[i]);
		nw_free(p[i]);
	}
	assert_int_equal(mem_fail_after(0), 3); /* counts allocations since the last call */

	/* 1 = the next allocation fails, and every one after it */
	mem_fail_after(1);
	assert_null(nw_malloc(16));
	assert_null(nw_malloc(1));
	assert_null(nw_calloc(2, 8));
	assert_null(nw_realloc(NULL, 8));
	assert_null(nw_strdup("x"));
	assert_null(nw_strndup("xyz", 2));
	assert_int_equal(mem_fail_after(0), 6);

	/* 0 turns it off */
	p[0] = nw_malloc(16);
	assert_non_null(p[0]);
	nw_free(p[0]);

	/* 3 = two succeed, the third fails */
	mem_fail_after(3);
	p[0] = nw_malloc(8);
	p[1] = nw_calloc(1, 8);
	p[2] = nw_malloc(8);
	p[3] = nw_malloc(8);
	mem_fail_after(0);
	assert_non_null(p[0]);
	assert_non_null(p[1]);
	assert_null(p[2]);
	assert_null(p[3]);
	assert_int_equal(((unsigned char *)p[1])[7], 0);
	nw_free(p[0]);
	nw_free(p[1]);

	/* a failed realloc leaves the old block alone */
	s = nw_strdup("keep");
	assert_non_null(s);
	mem_fail_after(1);
	assert_null(nw_realloc(s, 4096));
	mem_fail_after(0);
	assert_string_equal(s, "keep");
	nw_free(s);

	/* once: only the third fails, the fourth succeeds again */
	mem_fail_once(3);
	p[0] = nw_malloc(8);
	p[1] = nw_malloc(8);
	p[2] = nw_malloc(8);
	p[3] = nw_realloc(NULL, 8);
	assert_int_equal(mem_fail_once(0), 4);
	assert_non_null(p[0]);
	assert_non_null(p[1]);
	assert_null(p[2]);
	assert_non_null(p[3]);
	for (i = 0; i < 4; i++)
		nw_free(p[i]);
	/* and the next call of mem_fail_after is not "once" */
	mem_fail_after(1);
	assert_null(nw_malloc(8));
	assert_null(nw_malloc(8));
	mem_fail_after(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_limit),
		cmocka_unit_test(test_buf_printf_growth),
		cmocka_unit_test(test_buf_reset_keeps_memory),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_buf_enomem),
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_arena_limit),
		cmocka_unit_test(test_arena_reset_reuse),
		cmocka_unit_test(test_arena_big_allocation),
		cmocka_unit_test(test_arena_enomem),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_parse_uses_length),
		cmocka_unit_test(test_date_days_round_trip),
		cmocka_unit_test(test_date_days_in_month),
		cmocka_unit_test(test_date_age),
		cmocka_unit_test(test_date_academic_year),
		cmocka_unit_test(test_date_fiscal_year),
		cmocka_unit_test(test_date_text),
		cmocka_unit_test(test_date_today),
		cmocka_unit_test(test_err_cut),
		cmocka_unit_test(test_mem_fail_after),
	};

	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
