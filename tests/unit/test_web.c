/*
 * test_web.c - the pieces of the web layer that need no server: HTML built
 * with escaping by construction, numbers written the fast way for fields
 * with a fixed number of decimals, Thai collation, and the audit chain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/thai.h"
#include "standard/validate.h"
#include "web/html.h"

static void test_html_escapes_arguments(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 20);
	html_f(&b, "<a href=\"/schools/%s\" title=\"%s\">%s</a>", "1\"><script>", "a&b'c",
	       "<b>โรงเรียน</b>");
	assert_string_equal(buf_str(&b), "<a href=\"/schools/1&quot;&gt;&lt;script&gt;\" "
					 "title=\"a&amp;b&#39;c\">&lt;b&gt;โรงเรียน&lt;/b&gt;</a>");
	buf_reset(&b);
	html_f(&b, "%d-%lld-%zu-%%-%R", -5, 1234567890123LL, (size_t)7, "<i>raw</i>");
	assert_string_equal(buf_str(&b), "-5-1234567890123-7-%-<i>raw</i>");
	buf_reset(&b);
	html_f(&b, "[%s]", (const char *)NULL);
	assert_string_equal(buf_str(&b), "[]");
	buf_reset(&b);
	html_url(&b, "บ้าน a&b");
	assert_string_equal(buf_str(&b), "%E0%B8%9A%E0%B9%89%E0%B8%B2%E0%B8%99%20a%26b");
	buf_release(&b);
}

/* Every value with up to `dec` decimals reads back to the same double and
 * the same text as the shortest form. */
static void test_format_decimal_round_trip(void **state)
{
	char text[64], out[VAL_NUMBER_MAX], slow[VAL_NUMBER_MAX];
	unsigned seed = 12345;
	int i, dec;

	(void)state;
	for (i = 0; i < 200000; i++) {
		long long whole, frac, scale = 1;
		double d;

		seed = seed * 1103515245u + 12345u;
		dec = (int)(seed >> 16) % 7;
		for (int k = 0; k < dec; k++)
			scale *= 10;
		seed = seed * 1103515245u + 12345u;
		whole = (long long)(seed >> 8) % 200000 - 100000;
		seed = seed * 1103515245u + 12345u;
		frac = (long long)(seed >> 4) % scale;
		if (dec)
			snprintf(text, sizeof text, "%s%lld.%0*lld", whole < 0 ? "-" : "", llabs(whole), dec, frac);
		else
			snprintf(text, sizeof text, "%lld", whole);
		d = strtod(text, NULL);
		val_format_decimal(d, dec, out, sizeof out);
		val_format_number(d, slow, sizeof slow);
		assert_true(strtod(out, NULL) == d);
		assert_string_equal(out, slow);
	}
	val_format_decimal(0.5, 2, out, sizeof out);
	assert_string_equal(out, "0.5");
	val_format_decimal(-0.05, 2, out, sizeof out);
	assert_string_equal(out, "-0.05");
	val_format_decimal(100, 2, out, sizeof out);
	assert_string_equal(out, "100");
	val_format_decimal(18.19, 6, out, sizeof out);
	assert_string_equal(out, "18.19");
}

static int cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	return thai_collate(x, strlen(x), y, strlen(y));
}

/* Thai dictionary order: leading vowels are skipped for the first letter
 * (เก comes with ก, before ข), which byte order gets wrong. */
static void test_thai_collation(void **state)
{
	const char *names[] = { "โรงเรียนบ้านพุย", "ขอนแก่น", "เกาะสมุย", "กรุงเทพ", "ไก่", "Bangkok" };
	const char *want[] = { "Bangkok", "กรุงเทพ", "เกาะสมุย", "ไก่", "ขอนแก่น", "โรงเรียนบ้านพุย" };
	size_t i;

	(void)state;
	qsort(names, 6, sizeof names[0], cmp);
	for (i = 0; i < 6; i++)
		assert_string_equal(names[i], want[i]);
	assert_int_equal(thai_collate("ก", 3, "ก", 3), 0);
	assert_true(thai_collate("ก", 3, "ข", 3) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escapes_arguments),
		cmocka_unit_test(test_format_decimal_round_trip),
		cmocka_unit_test(test_thai_collation),
	};

	return cmocka_run_group_tests_name("web", tests, NULL, NULL);
}
