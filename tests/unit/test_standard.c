/*
 * test_standard.c - unit tests of src/standard: the embedded data package
 * (std), Thai citizen IDs (thaiid), the number parsers and formatter, and
 * row validation (validate) against the rules and the rule order of
 * spec/exchange.md.
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

#include "base/date.h"
#include "base/err.h"
#include "base/mem.h"
#include "standard/std.h"
#include "standard/thaiid.h"
#include "standard/validate.h"

#define MAXF 32

static struct std_package *the_pkg;

/* The embedded package, loaded once for the whole run (freed in main). */
static const struct std_package *pkg(void)
{
	struct nw_err err;
	int rc;

	if (!the_pkg) {
		err_clear(&err);
		rc = std_load_embedded(&the_pkg, &err);
		if (rc)
			fail_msg("std_load_embedded: %d %s", rc, err.en);
	}
	assert_non_null(the_pkg);
	return the_pkg;
}

static const struct std_dataset *dataset(const char *name)
{
	const struct std_dataset *ds = std_dataset(pkg(), name);

	if (!ds)
		fail_msg("no data set %s", name);
	return ds;
}

static int field(const struct std_dataset *ds, const char *name)
{
	int i = std_field_index(ds, name, strlen(name));

	if (i < 0)
		fail_msg("data set %s has no field %s", ds->name, name);
	return i;
}

/* ---- the package ---- */

static void test_std_datasets(void **state)
{
	static const char *names[] = { "areas", "schools", "students", "outcomes", "committees",
				       "committee_members", "meetings", "resolutions", "plans", "plan_goals",
				       "kpis", "kpi_values", "pilot_status", "participants" };
	const struct std_package *p = pkg();
	size_t i;

	(void)state;
	assert_string_equal(p->name, "nawat-exchange");
	assert_int_equal(p->schema_version, 1);
	assert_int_equal(p->ndatasets, 14);
	for (i = 0; i < 14; i++) {
		assert_string_equal(p->datasets[i].name, names[i]);
		assert_int_equal(p->datasets[i].index, i);
		assert_int_equal(p->datasets[i].order, i + 1);
		assert_ptr_equal(std_dataset(p, names[i]), &p->datasets[i]);
		assert_non_null(p->datasets[i].title_th);
		assert_non_null(p->datasets[i].title_en);
	}
	assert_null(std_dataset(p, "province")); /* a code list, not a data set */
	assert_null(std_dataset(p, "nosuch"));
	assert_int_equal(dataset("areas")->nfields, 5);
	assert_int_equal(dataset("schools")->nfields, 14);
	assert_int_equal(dataset("students")->nfields, 8);
	assert_int_equal(dataset("outcomes")->nfields, 9);
}

static void check_key(const char *dsname, const char **names, size_t n)
{
	const struct std_dataset *ds = dataset(dsname);
	size_t i, nkey = 0;

	assert_int_equal(ds->nkey, n);
	for (i = 0; i < n; i++) {
		int fi = field(ds, names[i]);

		assert_int_equal(ds->key[i], fi);
		assert_int_equal(ds->fields[fi].key_pos, i);
		assert_true(ds->fields[fi].required);
	}
	for (i = 0; i < ds->nfields; i++)
		nkey += ds->fields[i].key_pos >= 0;
	assert_int_equal(nkey, n);
}

static void test_std_keys(void **state)
{
	static const char *areas[] = { "area_code" };
	static const char *schools[] = { "school_code" };
	static const char *students[] = { "citizen_id", "academic_year" };
	static const char *outcomes[] = { "citizen_id", "academic_year", "term", "domain",
					  "subject_code", "instrument" };

	(void)state;
	check_key("areas", areas, 1);
	check_key("schools", schools, 1);
	check_key("students", students, 2);
	check_key("outcomes", outcomes, 6);
}

static void test_std_codelists(void **state)
{
	const struct std_package *p = pkg();
	const struct std_codelist *prov = std_codelist(p, "province");
	const struct std_code *c;
	size_t i;

	(void)state;
	assert_int_equal(p->ncodelists, 31); /* with equity_metric */
	assert_non_null(prov);
	assert_int_equal(prov->ncodes, 77);
	for (i = 1; i < prov->ncodes; i++)
		assert_true(strcmp(prov->codes[i - 1].code, prov->codes[i].code) < 0);
	c = std_code_find(prov, "10", 2);
	assert_non_null(c);
	assert_string_equal(c->label_th, "กรุงเทพมหานคร");
	assert_string_equal(c->label_en, "Bangkok");
	c = std_code_find(prov, "50", 2);
	assert_non_null(c);
	assert_string_equal(c->label_th, "เชียงใหม่");
	assert_non_null(std_code_find(prov, "96", 2));
	assert_non_null(std_code_find(prov, "38", 2));   /* บึงกาฬ */
	assert_null(std_code_find(prov, "28", 2));       /* no such province */
	assert_null(std_code_find(prov, "99", 2));
	assert_null(std_code_find(prov, "1", 1));        /* a prefix is not a code */
	assert_null(std_code_find(prov, "100", 3));
	assert_null(std_code_find(prov, "", 0));
	assert_non_null(std_code_find(prov, "10,x", 2)); /* only [0, len) is read */

	assert_int_equal(std_codelist(p, "affiliation")->ncodes, 18);
	assert_int_equal(std_codelist(p, "grade")->ncodes, 15);
	assert_int_equal(std_codelist(p, "gender")->ncodes, 3);
	assert_int_equal(std_codelist(p, "learning_area")->ncodes, 8);
	assert_int_equal(std_codelist(p, "competency")->ncodes, 11);
	assert_int_equal(std_codelist(p, "attitude")->ncodes, 8);
	assert_int_equal(std_codelist(p, "instrument")->ncodes, 5);
	assert_non_null(std_code_find(std_codelist(p, "grade"), "211", 3));
	assert_null(std_code_find(std_codelist(p, "grade"), "217", 3));
	assert_non_null(std_code_find(std_codelist(p, "gender"), "9", 1));
	assert_null(std_code_find(std_codelist(p, "gender"), "3", 1));
	assert_null(std_codelist(p, "nosuch"));
}

static void test_std_field_rules(void **state)
{
	const struct std_package *p = pkg();
	const struct std_dataset *st = dataset("students"), *sc = dataset("schools");
	const struct std_dataset *oc = dataset("outcomes");
	const struct std_field *f;

	(void)state;
	f = &st->fields[field(st, "citizen_id")];
	assert_true(f->pii);
	assert_true(f->pii_seal);
	assert_true(f->checksum_thai_id);
	assert_int_equal(f->type, STD_STRING);
	f = &oc->fields[field(oc, "citizen_id")];
	assert_true(f->pii);
	assert_false(f->pii_seal);
	assert_ptr_equal(st->fields[field(st, "gender")].codelist, std_codelist(p, "gender"));
	assert_ptr_equal(sc->fields[field(sc, "province_code")].codelist, std_codelist(p, "province"));
	assert_int_equal(st->fields[field(st, "academic_year")].type, STD_INTEGER);

	f = &st->fields[field(st, "birth_date")];
	assert_int_equal(f->type, STD_DATE);
	assert_true(f->date_dmy_be);
	assert_int_equal(f->age_year_field, field(st, "academic_year"));
	assert_int_equal(f->age_month, 5);
	assert_int_equal(f->age_day, 16);
	assert_int_equal(f->age_min, 2);
	assert_int_equal(f->age_max, 25);

	f = &oc->fields[field(oc, "score")];
	assert_int_equal(f->type, STD_NUMBER);
	assert_int_equal(f->decimals, 2);
	assert_true(f->has_min && f->has_max);
	assert_float_equal(f->min, 0, 0);
	assert_float_equal(f->max, 100, 0);
	assert_int_equal(f->required_when.field, field(oc, "domain"));
	assert_int_equal(f->not_allowed_when.field, field(oc, "domain"));

	f = &oc->fields[field(oc, "subject_code")];
	assert_int_equal(f->by_field, field(oc, "domain"));
	assert_ptr_equal(std_field_codelist(f, "K", 1), std_codelist(p, "learning_area"));
	assert_ptr_equal(std_field_codelist(f, "S", 1), std_codelist(p, "competency"));
	assert_ptr_equal(std_field_codelist(f, "A", 1), std_codelist(p, "attitude"));
	assert_null(std_field_codelist(f, "X", 1));
	assert_null(std_field_codelist(f, "KS", 2));
	f = &oc->fields[field(oc, "level")];
	assert_null(std_field_codelist(f, "K", 1));
	assert_ptr_equal(std_field_codelist(f, "S", 1), std_codelist(p, "competency_level"));
	assert_ptr_equal(std_field_codelist(f, "A", 1), std_codelist(p, "attitude_level"));

	/* x-write-roles and x-not-before */
	assert_int_equal(dataset("pilot_status")->nwrite_roles, 2);
	assert_string_equal(dataset("pilot_status")->write_roles[0], "central");
	assert_string_equal(dataset("pilot_status")->write_roles[1], "area");
	assert_int_equal(dataset("committees")->nwrite_roles, 0);
	assert_int_equal(dataset("plans")->fields[field(dataset("plans"), "last_year")].not_before,
			 field(dataset("plans"), "first_year"));
	assert_int_equal(sc->fields[field(sc, "latitude")].not_before, -1);

	f = &sc->fields[field(sc, "school_code")];
	assert_int_equal(f->nprefix, 2);
	assert_int_equal(f->prefix[0].start, 0);
	assert_int_equal(f->prefix[0].len, 2);
	assert_int_equal(f->prefix[0].field, field(sc, "affiliation_code"));
	assert_int_equal(f->prefix[0].warning, 0);
	assert_int_equal(f->prefix[1].start, 2);
	assert_int_equal(f->prefix[1].len, 2);
	assert_int_equal(f->prefix[1].field, field(sc, "province_code"));
	assert_int_equal(f->prefix[1].warning, 1);
}

static void test_std_foreign_keys(void **state)
{
	const struct std_dataset *ar = dataset("areas"), *sc = dataset("schools");
	const struct std_dataset *st = dataset("students"), *oc = dataset("outcomes");
	const struct std_fk *k;

	(void)state;
	assert_int_equal(ar->nfk, 0);

	assert_int_equal(sc->nfk, 1);
	k = &sc->fks[0];
	assert_ptr_equal(k->target, ar);
	assert_int_equal(k->n, 1);
	assert_int_equal(k->fields[0], field(sc, "area_code"));
	assert_int_equal(k->target_fields[0], field(ar, "area_code"));
	assert_int_equal(k->nmatch, 0);

	assert_int_equal(st->nfk, 1);
	k = &st->fks[0];
	assert_ptr_equal(k->target, sc);
	assert_int_equal(k->fields[0], field(st, "school_code"));
	assert_int_equal(k->target_fields[0], field(sc, "school_code"));

	assert_int_equal(oc->nfk, 1);
	k = &oc->fks[0];
	assert_ptr_equal(k->target, st);
	assert_int_equal(k->n, 2);
	assert_int_equal(k->fields[0], field(oc, "citizen_id"));
	assert_int_equal(k->fields[1], field(oc, "academic_year"));
	assert_int_equal(k->target_fields[0], field(st, "citizen_id"));
	assert_int_equal(k->target_fields[1], field(st, "academic_year"));
	assert_int_equal(k->nmatch, 1);
	assert_int_equal(k->match_field[0], field(oc, "school_code"));
	assert_int_equal(k->match_target_field[0], field(st, "school_code"));
}

static void test_std_load_errors(void **state)
{
	static const char bad_json[] = "{\"name\": ";
	static const char no_resources[] =
		"{\"name\":\"x\",\"version\":\"1\",\"title\":\"t\",\"x-title-en\":\"t\","
		"\"x-schema-version\":1}";
	static struct std_package dummy;
	struct std_package *p = &dummy;
	struct nw_err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(std_load(bad_json, strlen(bad_json), NULL, NULL, &p, &err), NAWAT_EPARSE);
	assert_null(p);
	assert_int_equal(err.code, NAWAT_EPARSE);
	assert_true(err.th[0] && err.en[0]);
	err_clear(&err);
	p = &dummy;
	assert_int_equal(std_load(no_resources, strlen(no_resources), NULL, NULL, &p, &err),
			 NAWAT_EPARSE);
	assert_null(p);
}

static void test_std_to_json(void **state)
{
	struct nw_err err;
	char *text;

	(void)state;
	text = std_to_json(pkg(), 1, &err);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"outcomes\""));
	assert_non_null(strstr(text, "กรุงเทพมหานคร")); /* code lists inline */
	nw_free(text);
}

/* ---- Thai IDs ---- */

static void test_thaiid(void **state)
{
	(void)state;
	assert_int_equal(thaiid_check_digit("110170012345"), 6);
	assert_int_equal(thaiid_check_digit("310150034567"), 2);
	assert_int_equal(thaiid_check_digit("150990067890"), 1);
	assert_int_equal(thaiid_check_digit("000000000000"), 1); /* sum mod 11 = 0 */
	assert_int_equal(thaiid_check_digit("000000000040"), 0); /* sum mod 11 = 1: 10 -> 0 */

	assert_true(thaiid_valid("1101700123456", 13));
	assert_true(thaiid_valid("3101500345672", 13));
	assert_true(thaiid_valid("1509900678901", 13));
	assert_false(thaiid_valid("1509900678904", 13));
	assert_false(thaiid_valid("1101700123457", 13));
	assert_false(thaiid_valid("110170012345", 12));
	assert_false(thaiid_valid("11017001234566", 14));
	assert_false(thaiid_valid("1101700123456", 12));
	assert_false(thaiid_valid("110170012345A", 13));
	assert_false(thaiid_valid("G000012345678", 13));

	assert_true(thaiid_is_gcode("G000012345678", 13));
	assert_false(thaiid_is_gcode("G00001234567", 12));
	assert_false(thaiid_is_gcode("G0000123456789", 14));
	assert_false(thaiid_is_gcode("g000012345678", 13));
	assert_false(thaiid_is_gcode("G00001234567X", 13));
	assert_false(thaiid_is_gcode("1101700123456", 13));
}

/* ---- numbers ---- */

static void test_parse_int(void **state)
{
	static const char *bad[] = { "", "-", "+", "abc", "1.0", "1e3", "1,000", " 1", "1 ",
				     "12a", "0x10", "--1", "1234567890123456789" };
	int64_t v;
	size_t i;

	(void)state;
	assert_int_equal(val_parse_int("2567", 4, &v), 0);
	assert_int_equal(v, 2567);
	assert_int_equal(val_parse_int("-5", 2, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(val_parse_int("+7", 2, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(val_parse_int("007", 3, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(val_parse_int("0", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(val_parse_int("999999999999999999", 18, &v), 0);
	assert_true(v == 999999999999999999LL);
	assert_int_equal(val_parse_int("25671", 4, &v), 0); /* only [0, n) */
	assert_int_equal(v, 2567);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 42;
		if (val_parse_int(bad[i], strlen(bad[i]), &v) == 0)
			fail_msg("val_parse_int accepted \"%s\"", bad[i]);
	}
}

struct num_case {
	const char *s;
	double d;
	int dec;
};

static void test_parse_number(void **state)
{
	static const struct num_case good[] = {
		{ "72.5", 72.5, 1 }, { "61.25", 61.25, 2 }, { "55.50", 55.5, 1 },
		{ "55.00", 55, 0 }, { "100", 100, 0 }, { "0", 0, 0 }, { "0.125", 0.125, 3 },
		{ "-3.5", -3.5, 1 }, { "+2", 2, 0 }, { "18.787747", 18.787747, 6 },
		{ "007.10", 7.1, 1 }, { ".5", 0.5, 1 },
		{ "12.", 12, 0 }, /* accepted: a trailing point adds no decimals */
	};
	static const char *bad[] = { "", "abc", "-", "+", ".", "-.", "1,000", "1e3", "1E3",
				     "1.2.3", "1 000", " 1", "1 ", "nan", "inf", "0x10", "--1",
				     "1-", "๑๒" };
	char longnum[80];
	double d;
	int dec;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		d = -999;
		dec = -1;
		if (val_parse_number(good[i].s, strlen(good[i].s), &d, &dec) != 0)
			fail_msg("val_parse_number rejected \"%s\"", good[i].s);
		if (d != good[i].d || dec != good[i].dec)
			fail_msg("val_parse_number(\"%s\") = %.17g with %d decimals, expected %.17g with %d",
				 good[i].s, d, dec, good[i].d, good[i].dec);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (val_parse_number(bad[i], strlen(bad[i]), &d, &dec) == 0)
			fail_msg("val_parse_number accepted \"%s\"", bad[i]);
	/* only [0, n) is read */
	assert_int_equal(val_parse_number("72.5,1", 4, &d, &dec), 0);
	assert_float_equal(d, 72.5, 0);
	/* longer than the parser's buffer: rejected, not truncated */
	memset(longnum, '1', sizeof longnum);
	assert_int_not_equal(val_parse_number(longnum, sizeof longnum, &d, &dec), 0);
}

struct fmt_case {
	double d;
	const char *s;
};

static void test_format_number(void **state)
{
	static const struct fmt_case cases[] = {
		{ 72.5, "72.5" }, { 61.25, "61.25" }, { 0.1, "0.1" }, { 100, "100" },
		{ 0, "0" }, { -0.0, "0" }, { 2567, "2567" }, { -72.5, "-72.5" },
		{ 1.0 / 3, "0.3333333333333333" }, { 18.787747, "18.787747" },
		{ 1e21, "1000000000000000000000" }, { 123456789012.0, "123456789012" },
		{ 0.000001, "0.000001" }, { 1e-7, "0.0000001" }, { 5, "5" }, { 21, "21" },
	};
	char b[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = val_format_number(cases[i].d, b, sizeof b);
		if (strcmp(b, cases[i].s) != 0 || n != strlen(b))
			fail_msg("val_format_number(%.17g) = \"%s\" (%zu), expected \"%s\"",
				 cases[i].d, b, n, cases[i].s);
		if (strtod(b, NULL) != cases[i].d)
			fail_msg("\"%s\" does not read back as %.17g", b, cases[i].d);
	}
}

/* The header promises the shortest text that reads back to the same double,
 * and the exchange format has no exponents: a very small value must not
 * come out as zero. */
static void test_format_number_tiny(void **state)
{
	static const double tiny[] = { 1e-18, 1e-20, 2.5e-30 };
	char b[400];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof tiny / sizeof tiny[0]; i++) {
		val_format_number(tiny[i], b, sizeof b);
		if (strchr(b, 'e') || strtod(b, NULL) != tiny[i])
			fail_msg("val_format_number(%g) = \"%s\" does not read back", tiny[i], b);
	}
}

/* ---- row validation ---- */

struct kv {
	const char *name, *value; /* value NULL: the column is absent */
};

struct want {
	const char *field;
	enum val_code code;
	int warning;
};

struct vcase {
	const char *label;
	const char *ds;
	const struct kv *base;
	struct kv over[4];
	struct want want[3];
	int nerr;
};

static const struct kv student_ok[] = {
	{ "citizen_id", "1101700123456" }, { "school_code", "1050100001" },
	{ "academic_year", "2567" }, { "grade_code", "211" }, { "gender", "1" },
	{ "birth_date", "2017-05-16" }, { "disadvantage", "0" }, { "disability", "0" },
	{ NULL, NULL }
};

static const struct kv school_ok[] = {
	{ "school_code", "1050100001" }, { "name_th", "โรงเรียนบ้านสันทราย" },
	{ "affiliation_code", "10" }, { "province_code", "50" }, { "pilot", "N" },
	{ NULL, NULL }
};

static const struct kv pilot_ok[] = {
	{ "school_code", "1050100001" }, { "name_th", "โรงเรียนบ้านสันทราย" },
	{ "name_en", "Ban San Sai School" }, { "affiliation_code", "10" },
	{ "province_code", "50" }, { "esa_th", "สพป.เชียงใหม่ เขต 5" }, { "area_code", "50" },
	{ "pilot", "Y" }, { "pilot_cohort", "1" }, { "pilot_since", "2020-06-01" },
	{ "latitude", "18.787747" }, { "longitude", "98.993128" },
	{ NULL, NULL }
};

static const struct kv area_ok[] = {
	{ "area_code", "50" }, { "name_th", "เชียงใหม่" }, { "designated_on", "2019-05-01" },
	{ "status", "active" },
	{ NULL, NULL }
};

#define OUTCOME_KEY { "citizen_id", "1101700123456" }, { "school_code", "1050100001" }, \
	{ "academic_year", "2567" }, { "term", "1" }, { "instrument", "SCH" }

static const struct kv out_k[] = {
	OUTCOME_KEY, { "domain", "K" }, { "subject_code", "THA" }, { "score", "72.5" },
	{ "level", "" }, { NULL, NULL }
};

static const struct kv out_s[] = {
	OUTCOME_KEY, { "domain", "S" }, { "subject_code", "201" }, { "score", "" },
	{ "level", "3" }, { NULL, NULL }
};

static const struct kv out_a[] = {
	OUTCOME_KEY, { "domain", "A" }, { "subject_code", "301" }, { "score", "" },
	{ "level", "0" }, { NULL, NULL }
};

#define NONE { { NULL, VC_NONE, 0 } }

/* governance rows (x-not-before, x-code-prefix with two error rules, conditions) */
static const struct kv plan_ok[] = {
	{ "plan_code", "50-PLAN-2565" }, { "area_code", "50" }, { "title_th", "แผน" }, { "first_year", "2565" },
	{ "last_year", "2569" }, { NULL, NULL } };
static const struct kv member_ok[] = {
	{ "committee_code", "50-DRIVE" }, { "member_no", "1" }, { "area_code", "50" }, { "name_th", "นายทดสอบ" },
	{ "seat", "expert" }, { "term_start", "2024-01-01" }, { "term_end", "2027-12-31" }, { NULL, NULL } };
static const struct kv participant_ok[] = {
	{ "participant_id", "3506700001" }, { "sector", "3" }, { "area_code", "50" }, { "type", "04" },
	{ "name_th", "หอการค้า" }, { "status", "01" }, { "involvement", "03" }, { NULL, NULL } };
static const struct kv resolution_ok[] = {
	{ "committee_code", "50-DRIVE" }, { "meeting_year", "2567" }, { "meeting_no", "3" }, { "resolution_no", "1" },
	{ "area_code", "50" }, { "text_th", "มติ" }, { "owner_th", "ศธจ." }, { "status", "open" }, { NULL, NULL } };

static const struct vcase cases[] = {
	/* rows that pass */
	{ "student ok", "students", student_ok, { { NULL, NULL } }, NONE, 0 },
	{ "student G-code", "students", student_ok, { { "citizen_id", "G000012345678" } }, NONE, 0 },
	{ "student B.E. birth date", "students", student_ok, { { "birth_date", "16/5/2560" } }, NONE, 0 },
	{ "student age 2", "students", student_ok, { { "birth_date", "2022-05-16" } }, NONE, 0 },
	{ "student age 25", "students", student_ok, { { "birth_date", "1998-05-17" } }, NONE, 0 },
	{ "school ok", "schools", school_ok, { { NULL, NULL } }, NONE, 0 },
	{ "pilot school ok", "schools", pilot_ok, { { NULL, NULL } }, NONE, 0 },
	{ "area ok", "areas", area_ok, { { NULL, NULL } }, NONE, 0 },
	{ "outcome K ok", "outcomes", out_k, { { NULL, NULL } }, NONE, 0 },
	{ "outcome S ok", "outcomes", out_s, { { NULL, NULL } }, NONE, 0 },
	{ "outcome A ok", "outcomes", out_a, { { NULL, NULL } }, NONE, 0 },
	{ "score 55.550 (trailing zero)", "outcomes", out_k, { { "score", "55.550" } }, NONE, 0 },
	{ "score 100", "outcomes", out_k, { { "score", "100" } }, NONE, 0 },
	{ "score 0", "outcomes", out_k, { { "score", "0" } }, NONE, 0 },
	{ "A level 3", "outcomes", out_a, { { "level", "3" } }, NONE, 0 },

	/* required */
	{ "citizen_id empty", "students", student_ok, { { "citizen_id", "" } },
	  { { "citizen_id", VC_REQUIRED, 0 } }, 1 },
	{ "citizen_id column absent", "students", student_ok, { { "citizen_id", NULL } },
	  { { "citizen_id", VC_REQUIRED, 0 } }, 1 },
	{ "birth_date empty", "students", student_ok, { { "birth_date", "" } },
	  { { "birth_date", VC_REQUIRED, 0 } }, 1 },
	{ "school name_th empty", "schools", school_ok, { { "name_th", "" } },
	  { { "name_th", VC_REQUIRED, 0 } }, 1 },
	{ "pilot empty", "schools", school_ok, { { "pilot", "" } },
	  { { "pilot", VC_REQUIRED, 0 } }, 1 },
	{ "affiliation empty: no prefix mismatch", "schools", school_ok,
	  { { "affiliation_code", "" } }, { { "affiliation_code", VC_REQUIRED, 0 } }, 1 },

	/* type */
	{ "academic_year 25x7", "students", student_ok, { { "academic_year", "25x7" } },
	  { { "academic_year", VC_TYPE, 0 } }, 1 },
	{ "academic_year 2567.0", "students", student_ok, { { "academic_year", "2567.0" } },
	  { { "academic_year", VC_TYPE, 0 } }, 1 },
	{ "disadvantage text", "students", student_ok, { { "disadvantage", "ไม่มี" } },
	  { { "disadvantage", VC_TYPE, 0 } }, 1 },
	{ "score abc", "outcomes", out_k, { { "score", "abc" } },
	  { { "score", VC_TYPE, 0 } }, 1 },
	{ "score 1,000", "outcomes", out_k, { { "score", "1,000" } },
	  { { "score", VC_TYPE, 0 } }, 1 },
	{ "score 7e1", "outcomes", out_k, { { "score", "7e1" } },
	  { { "score", VC_TYPE, 0 } }, 1 },
	{ "latitude 18,5", "schools", pilot_ok, { { "latitude", "18,5" } },
	  { { "latitude", VC_TYPE, 0 } }, 1 },
	{ "pilot_cohort 1.5", "schools", pilot_ok, { { "pilot_cohort", "1.5" } },
	  { { "pilot_cohort", VC_TYPE, 0 } }, 1 },

	/* pattern */
	{ "citizen_id 12 digits", "students", student_ok, { { "citizen_id", "110170012345" } },
	  { { "citizen_id", VC_PATTERN, 0 } }, 1 },
	{ "citizen_id 14 digits", "students", student_ok, { { "citizen_id", "11017001234566" } },
	  { { "citizen_id", VC_PATTERN, 0 } }, 1 },
	{ "citizen_id G + 11 digits", "students", student_ok, { { "citizen_id", "G00001234567" } },
	  { { "citizen_id", VC_PATTERN, 0 } }, 1 },
	{ "citizen_id lower-case g", "students", student_ok, { { "citizen_id", "g000012345678" } },
	  { { "citizen_id", VC_PATTERN, 0 } }, 1 },
	{ "citizen_id with a dash", "students", student_ok, { { "citizen_id", "1-1017-00123-45-6" } },
	  { { "citizen_id", VC_PATTERN, 0 } }, 1 },
	{ "student school_code 9 digits", "students", student_ok, { { "school_code", "105010000" } },
	  { { "school_code", VC_PATTERN, 0 } }, 1 },
	{ "school school_code 9 digits: no mismatch", "schools", school_ok,
	  { { "school_code", "105010000" } }, { { "school_code", VC_PATTERN, 0 } }, 1 },
	{ "area_code 1 digit", "areas", area_ok, { { "area_code", "5" } },
	  { { "area_code", VC_PATTERN, 0 } }, 1 },

	/* checksum */
	{ "citizen_id check digit", "students", student_ok, { { "citizen_id", "1509900678904" } },
	  { { "citizen_id", VC_CHECKSUM, 0 } }, 1 },
	{ "outcome citizen_id check digit", "outcomes", out_k, { { "citizen_id", "1509900678904" } },
	  { { "citizen_id", VC_CHECKSUM, 0 } }, 1 },

	/* code_list */
	{ "grade 217", "students", student_ok, { { "grade_code", "217" } },
	  { { "grade_code", VC_CODE_LIST, 0 } }, 1 },
	{ "gender 3", "students", student_ok, { { "gender", "3" } },
	  { { "gender", VC_CODE_LIST, 0 } }, 1 },
	{ "disadvantage 7", "students", student_ok, { { "disadvantage", "7" } },
	  { { "disadvantage", VC_CODE_LIST, 0 } }, 1 },
	{ "disability 2", "students", student_ok, { { "disability", "2" } },
	  { { "disability", VC_CODE_LIST, 0 } }, 1 },
	{ "two bad cells, two errors", "students", student_ok,
	  { { "gender", "3" }, { "disability", "2" } },
	  { { "gender", VC_CODE_LIST, 0 }, { "disability", VC_CODE_LIST, 0 } }, 2 },
	{ "affiliation 99: no prefix mismatch", "schools", school_ok,
	  { { "affiliation_code", "99" } }, { { "affiliation_code", VC_CODE_LIST, 0 } }, 1 },
	{ "province 99: no prefix warning", "schools", school_ok,
	  { { "province_code", "99" } }, { { "province_code", VC_CODE_LIST, 0 } }, 1 },
	{ "pilot X", "schools", school_ok, { { "pilot", "X" } },
	  { { "pilot", VC_CODE_LIST, 0 } }, 1 },
	{ "area status", "areas", area_ok, { { "status", "closed" } },
	  { { "status", VC_CODE_LIST, 0 } }, 1 },
	{ "term 3", "outcomes", out_k, { { "term", "3" } },
	  { { "term", VC_CODE_LIST, 0 } }, 1 },
	{ "instrument XYZ", "outcomes", out_k, { { "instrument", "XYZ" } },
	  { { "instrument", VC_CODE_LIST, 0 } }, 1 },
	{ "K with subject 201", "outcomes", out_k, { { "subject_code", "201" } },
	  { { "subject_code", VC_CODE_LIST, 0 } }, 1 },
	{ "S with subject THA", "outcomes", out_s, { { "subject_code", "THA" } },
	  { { "subject_code", VC_CODE_LIST, 0 } }, 1 },
	{ "A with subject 201", "outcomes", out_a, { { "subject_code", "201" } },
	  { { "subject_code", VC_CODE_LIST, 0 } }, 1 },
	{ "domain X: subject not checked", "outcomes", out_k,
	  { { "domain", "X" }, { "subject_code", "ZZZ" } }, { { "domain", VC_CODE_LIST, 0 } }, 1 },
	{ "domain empty: subject not checked", "outcomes", out_k,
	  { { "domain", "" }, { "subject_code", "ZZZ" } }, { { "domain", VC_REQUIRED, 0 } }, 1 },
	{ "S level 5", "outcomes", out_s, { { "level", "5" } },
	  { { "level", VC_CODE_LIST, 0 } }, 1 },
	{ "S level 0", "outcomes", out_s, { { "level", "0" } },
	  { { "level", VC_CODE_LIST, 0 } }, 1 },
	{ "A level 4", "outcomes", out_a, { { "level", "4" } },
	  { { "level", VC_CODE_LIST, 0 } }, 1 },

	/* range */
	{ "latitude 25.5", "schools", pilot_ok, { { "latitude", "25.5" } },
	  { { "latitude", VC_RANGE, 0 } }, 1 },
	{ "longitude 96.5", "schools", pilot_ok, { { "longitude", "96.5" } },
	  { { "longitude", VC_RANGE, 0 } }, 1 },
	{ "pilot_cohort 0", "schools", pilot_ok, { { "pilot_cohort", "0" } },
	  { { "pilot_cohort", VC_RANGE, 0 } }, 1 },
	{ "academic_year 2549", "students", student_ok, { { "academic_year", "2549" } },
	  { { "academic_year", VC_RANGE, 0 } }, 1 },
	{ "academic_year 2601", "students", student_ok, { { "academic_year", "2601" } },
	  { { "academic_year", VC_RANGE, 0 } }, 1 },
	{ "age 40", "students", student_ok, { { "birth_date", "1984-05-16" } },
	  { { "birth_date", VC_RANGE, 0 } }, 1 },
	{ "age 40 (B.E. form)", "students", student_ok, { { "birth_date", "16/5/2527" } },
	  { { "birth_date", VC_RANGE, 0 } }, 1 },
	{ "age 1", "students", student_ok, { { "birth_date", "2022-05-17" } },
	  { { "birth_date", VC_RANGE, 0 } }, 1 },
	{ "age 26", "students", student_ok, { { "birth_date", "1998-05-16" } },
	  { { "birth_date", VC_RANGE, 0 } }, 1 },
	{ "score 100.5", "outcomes", out_k, { { "score", "100.5" } },
	  { { "score", VC_RANGE, 0 } }, 1 },
	{ "score -1", "outcomes", out_k, { { "score", "-1" } },
	  { { "score", VC_RANGE, 0 } }, 1 },

	/* precision */
	{ "score 55.555", "outcomes", out_k, { { "score", "55.555" } },
	  { { "score", VC_PRECISION, 0 } }, 1 },
	{ "latitude 7 decimals", "schools", pilot_ok, { { "latitude", "18.1234567" } },
	  { { "latitude", VC_PRECISION, 0 } }, 1 },

	/* date */
	{ "birth_date 2017-02-30", "students", student_ok, { { "birth_date", "2017-02-30" } },
	  { { "birth_date", VC_DATE, 0 } }, 1 },
	{ "birth_date 30/2/2560", "students", student_ok, { { "birth_date", "30/2/2560" } },
	  { { "birth_date", VC_DATE, 0 } }, 1 },
	{ "birth_date C.E. in D/M form", "students", student_ok, { { "birth_date", "16/5/2017" } },
	  { { "birth_date", VC_DATE, 0 } }, 1 },
	{ "birth_date B.E. in ISO form", "students", student_ok, { { "birth_date", "2560-05-16" } },
	  { { "birth_date", VC_DATE, 0 } }, 1 },
	{ "birth_date garbage", "students", student_ok, { { "birth_date", "เมื่อวาน" } },
	  { { "birth_date", VC_DATE, 0 } }, 1 },
	{ "pilot_since 2017-02-30", "schools", pilot_ok, { { "pilot_since", "2017-02-30" } },
	  { { "pilot_since", VC_DATE, 0 } }, 1 },
	{ "designated_on 2017-13-01", "areas", area_ok, { { "designated_on", "2017-13-01" } },
	  { { "designated_on", VC_DATE, 0 } }, 1 },

	/* not_allowed */
	{ "K row with level", "outcomes", out_k, { { "level", "2" } },
	  { { "level", VC_NOT_ALLOWED, 0 } }, 1 },
	{ "A row with score", "outcomes", out_a, { { "score", "50" } },
	  { { "score", VC_NOT_ALLOWED, 0 } }, 1 },

	/* conditional required */
	{ "pilot Y without area, cohort, since", "schools", pilot_ok,
	  { { "area_code", "" }, { "pilot_cohort", "" }, { "pilot_since", NULL } },
	  { { "area_code", VC_REQUIRED, 0 }, { "pilot_cohort", VC_REQUIRED, 0 },
	    { "pilot_since", VC_REQUIRED, 0 } }, 3 },
	{ "pilot N without them", "schools", pilot_ok,
	  { { "pilot", "N" }, { "area_code", "" }, { "pilot_cohort", "" }, { "pilot_since", "" } },
	  NONE, 0 },
	{ "S without level", "outcomes", out_s, { { "level", "" } },
	  { { "level", VC_REQUIRED, 0 } }, 1 },
	{ "A without level", "outcomes", out_a, { { "level", NULL } },
	  { { "level", VC_REQUIRED, 0 } }, 1 },
	{ "K without score", "outcomes", out_k, { { "score", "" } },
	  { { "score", VC_REQUIRED, 0 } }, 1 },

	/* the order: the first rule that applies, and only that one */
	{ "order: type before range (age not checked)", "students", student_ok,
	  { { "academic_year", "25x7" }, { "birth_date", "1984-05-16" } },
	  { { "academic_year", VC_TYPE, 0 } }, 1 },
	{ "order: pattern before checksum", "students", student_ok,
	  { { "citizen_id", "150990067890" } }, { { "citizen_id", VC_PATTERN, 0 } }, 1 },
	{ "S level 9", "outcomes", out_s, { { "level", "9" } },
	  { { "level", VC_CODE_LIST, 0 } }, 1 },
	{ "order: range before precision", "outcomes", out_k, { { "score", "100.555" } },
	  { { "score", VC_RANGE, 0 } }, 1 },
	{ "order: precision before not_allowed", "outcomes", out_a, { { "score", "55.555" } },
	  { { "score", VC_PRECISION, 0 } }, 1 },
	{ "order: type before not_allowed", "outcomes", out_k, { { "level", "abc" } },
	  { { "level", VC_TYPE, 0 } }, 1 },
	{ "order: date before age", "students", student_ok, { { "birth_date", "1984-02-30" } },
	  { { "birth_date", VC_DATE, 0 } }, 1 },

	/* school_code prefixes: the mismatch group */
	{ "prefix: digits 1-2 vs affiliation", "schools", school_ok,
	  { { "school_code", "1150100001" } }, { { "school_code", VC_MISMATCH, 0 } }, 1 },
	{ "prefix: digits 3-4 vs province is a warning", "schools", school_ok,
	  { { "school_code", "1051100001" } }, { { "school_code", VC_MISMATCH, 1 } }, 0 },
	{ "prefix: another affiliation that matches", "schools", school_ok,
	  { { "school_code", "1150100001" }, { "affiliation_code", "11" } }, NONE, 0 },

	/* governance */
	{ "a valid plan", "plans", plan_ok, { { NULL, NULL } }, NONE, 0 },
	{ "not-before: the last year before the first", "plans", plan_ok, { { "last_year", "2564" } },
	  { { "last_year", VC_MISMATCH, 0 } }, 1 },
	{ "not-before: a one-year plan", "plans", plan_ok, { { "last_year", "2565" } }, NONE, 0 },
	{ "not-before: a term ending before it starts", "committee_members", member_ok,
	  { { "term_end", "2023-12-31" } }, { { "term_end", VC_MISMATCH, 0 } }, 1 },
	{ "not-before: an open-ended term", "committee_members", member_ok, { { "term_end", "" } }, NONE, 0 },
	{ "not-before: a bad start is reported once, on the start", "committee_members", member_ok,
	  { { "term_start", "2024-02-30" }, { "term_end", "2023-12-31" } }, { { "term_start", VC_DATE, 0 } }, 1 },
	{ "seat not in its code list", "committee_members", member_ok, { { "seat", "boss" } },
	  { { "seat", VC_CODE_LIST, 0 } }, 1 },
	{ "a valid participant", "participants", participant_ok, { { NULL, NULL } }, NONE, 0 },
	{ "participant ID: digit 1 vs sector", "participants", participant_ok, { { "sector", "4" } },
	  { { "participant_id", VC_MISMATCH, 0 } }, 1 },
	{ "participant ID: digits 2-3 vs area", "participants", participant_ok, { { "area_code", "71" } },
	  { { "participant_id", VC_MISMATCH, 0 } }, 1 },
	{ "resolution done without the date closed", "resolutions", resolution_ok, { { "status", "done" } },
	  { { "closed_on", VC_REQUIRED, 0 } }, 1 },
	{ "open resolution with a date closed", "resolutions", resolution_ok, { { "closed_on", "2024-01-01" } },
	  { { "closed_on", VC_NOT_ALLOWED, 0 } }, 1 },
};

static void fill_row(const struct std_dataset *ds, const struct kv *base, const struct kv *over,
		     size_t nover, struct val_cell *cells)
{
	size_t i;
	int fi;

	for (i = 0; i < ds->nfields; i++) {
		cells[i].s = "";
		cells[i].n = 0;
		cells[i].present = 1;
	}
	for (; base && base->name; base++) {
		fi = field(ds, base->name);
		cells[fi].s = base->value;
		cells[fi].n = strlen(base->value);
	}
	for (i = 0; i < nover && over[i].name; i++) {
		fi = field(ds, over[i].name);
		cells[fi].present = over[i].value != NULL;
		cells[fi].s = over[i].value ? over[i].value : "";
		cells[fi].n = over[i].value ? strlen(over[i].value) : 0;
	}
}

static void check_case(const struct vcase *c)
{
	const struct std_dataset *ds = dataset(c->ds);
	struct val_cell cells[MAXF];
	struct val_value vals[MAXF];
	struct val_issue issues[2 * MAXF];
	size_t nissues = 999, nwant = 0, i, k;
	int nerr;

	assert_true(ds->nfields <= MAXF);
	fill_row(ds, c->base, c->over, sizeof c->over / sizeof c->over[0], cells);
	nerr = val_row(ds, cells, vals, issues, &nissues);
	while (nwant < sizeof c->want / sizeof c->want[0] && c->want[nwant].field)
		nwant++;
	for (i = 0; i < nissues; i++)
		if (issues[i].field < 0 || (size_t)issues[i].field >= ds->nfields)
			fail_msg("%s: issue on field %d", c->label, issues[i].field);
	if (nerr != c->nerr || nissues != nwant) {
		for (i = 0; i < nissues; i++)
			print_error("  got %s %s%s\n", ds->fields[issues[i].field].name,
				    val_code_name(issues[i].code), issues[i].warning ? " (warning)" : "");
		fail_msg("%s: %d errors, %zu issues; expected %d errors, %zu issues", c->label,
			 nerr, nissues, c->nerr, nwant);
	}
	for (k = 0; k < nwant; k++) {
		int fi = field(ds, c->want[k].field), found = 0;

		for (i = 0; i < nissues; i++)
			if (issues[i].field == fi)
				found = issues[i].code == c->want[k].code &&
					issues[i].warning == c->want[k].warning;
		if (!found)
			fail_msg("%s: expected %s on %s%s", c->label, val_code_name(c->want[k].code),
				 c->want[k].field, c->want[k].warning ? " (warning)" : "");
	}
}

static void test_val_row_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i]);
}

static void test_val_row_values(void **state)
{
	const struct std_dataset *st = dataset("students"), *oc = dataset("outcomes");
	const struct std_dataset *sc = dataset("schools");
	static const struct kv over[] = { { "birth_date", "16/5/2560" } };
	static const struct kv sover[] = { { "name_en", NULL } };
	struct val_cell cells[MAXF];
	struct val_value vals[MAXF];
	struct val_issue issues[2 * MAXF];
	struct val_value *v;
	size_t nissues;

	(void)state;
	fill_row(st, student_ok, over, 1, cells);
	assert_int_equal(val_row(st, cells, vals, issues, &nissues), 0);
	assert_int_equal(nissues, 0);
	v = &vals[field(st, "academic_year")];
	assert_int_equal(v->state, VAL_SET);
	assert_int_equal(v->i, 2567);
	v = &vals[field(st, "birth_date")];
	assert_int_equal(v->state, VAL_SET);
	assert_int_equal(v->n, 10);
	assert_memory_equal(v->s, "2017-05-16", 10);
	assert_string_equal(v->date, "2017-05-16");
	assert_int_equal(v->i, date_to_days((struct date){ 2017, 5, 16 }));
	v = &vals[field(st, "citizen_id")];
	assert_int_equal(v->n, 13);
	assert_memory_equal(v->s, "1101700123456", 13);

	fill_row(oc, out_k, NULL, 0, cells);
	assert_int_equal(val_row(oc, cells, vals, issues, &nissues), 0);
	assert_float_equal(vals[field(oc, "score")].d, 72.5, 0);
	assert_int_equal(vals[field(oc, "score")].state, VAL_SET);
	assert_int_equal(vals[field(oc, "level")].state, VAL_NULL);
	assert_int_equal(vals[field(oc, "term")].i, 1);

	fill_row(sc, school_ok, sover, 1, cells);
	assert_int_equal(val_row(sc, cells, vals, issues, &nissues), 0);
	assert_int_equal(vals[field(sc, "name_en")].state, VAL_ABSENT);
	assert_int_equal(vals[field(sc, "esa_th")].state, VAL_NULL);
	assert_int_equal(vals[field(sc, "name_th")].state, VAL_SET);
	assert_int_equal(vals[field(sc, "name_th")].n, strlen("โรงเรียนบ้านสันทราย"));
}

static void test_val_code_names(void **state)
{
	static const char *names[VC_COUNT] = {
		"", "required", "type", "pattern", "checksum", "code_list", "range", "precision",
		"date", "not_allowed", "reference", "mismatch", "duplicate", "unknown_column",
		"encoding", "reference" /* VC_SCOPE: outside the importer's scope */,
		"not_found", "referenced", "same_child"
	};
	int c;

	(void)state;
	for (c = 0; c < VC_COUNT; c++)
		assert_string_equal(val_code_name((enum val_code)c), names[c]);
	assert_string_equal(val_code_name(VC_COUNT), "");
}

static int has_thai(const char *s)
{
	/* U+0E00..U+0E7F is E0 B8 xx or E0 B9 xx in UTF-8 */
	for (; s[0] && s[1]; s++)
		if ((unsigned char)s[0] == 0xE0 &&
		    ((unsigned char)s[1] == 0xB8 || (unsigned char)s[1] == 0xB9))
			return 1;
	return 0;
}

static void test_val_message(void **state)
{
	static const char id[] = "1101700123456";
	const struct std_dataset *st = dataset("students"), *sc = dataset("schools");
	struct val_issue is;
	char th[512], en[512];
	int code;
	size_t f;

	(void)state;
	/* every code on every field gives both texts; a personal-data field's
	 * value never appears (unknown_column names a column, not a cell, and
	 * has no field) */
	for (code = VC_REQUIRED; code < VC_COUNT; code++) {
		for (f = 0; f < st->nfields; f++) {
			if (code == VC_UNKNOWN_COLUMN)
				continue;
			is.field = (int)f;
			is.code = (enum val_code)code;
			is.warning = 0;
			th[0] = en[0] = '\0';
			val_message(st, &is, id, strlen(id), th, sizeof th, en, sizeof en);
			if (!th[0] || !en[0] || !has_thai(th))
				fail_msg("%s on %s: empty or non-Thai message", val_code_name(code),
					 st->fields[f].name);
			if (st->fields[f].pii && (strstr(th, id) || strstr(en, id)))
				fail_msg("%s on %s: the message shows the citizen ID: %s / %s",
					 val_code_name(code), st->fields[f].name, th, en);
		}
		is.field = -1;
		is.code = (enum val_code)code;
		is.warning = 0;
		th[0] = en[0] = '\0';
		val_message(st, &is, "extra", 5, th, sizeof th, en, sizeof en);
		if (!th[0] || !en[0])
			fail_msg("%s without a field: empty message", val_code_name(code));
	}

	/* the value is shown for other fields, so the test above can fail */
	is.field = field(st, "gender");
	is.code = VC_CODE_LIST;
	is.warning = 0;
	val_message(st, &is, "3", 1, th, sizeof th, en, sizeof en);
	assert_non_null(strstr(en, "\"3\""));
	assert_non_null(strstr(en, "gender"));

	/* unknown_column names the column */
	is.field = -1;
	is.code = VC_UNKNOWN_COLUMN;
	val_message(st, &is, "nickname", 8, th, sizeof th, en, sizeof en);
	assert_non_null(strstr(th, "nickname"));
	assert_non_null(strstr(en, "nickname"));

	/* the range message gives the bounds */
	is.field = field(sc, "latitude");
	is.code = VC_RANGE;
	val_message(sc, &is, "25.5", 4, th, sizeof th, en, sizeof en);
	assert_non_null(strstr(en, "5 and 21"));

	/* the prefix warning and error differ */
	is.field = field(sc, "school_code");
	is.code = VC_MISMATCH;
	is.warning = 1;
	val_message(sc, &is, "1051100001", 10, th, sizeof th, en, sizeof en);
	assert_non_null(strstr(en, "province"));
	is.warning = 0;
	val_message(sc, &is, "1150100001", 10, th, sizeof th, en, sizeof en);
	assert_non_null(strstr(en, "affiliation_code"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_std_datasets),
		cmocka_unit_test(test_std_keys),
		cmocka_unit_test(test_std_codelists),
		cmocka_unit_test(test_std_field_rules),
		cmocka_unit_test(test_std_foreign_keys),
		cmocka_unit_test(test_std_load_errors),
		cmocka_unit_test(test_std_to_json),
		cmocka_unit_test(test_thaiid),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_parse_number),
		cmocka_unit_test(test_format_number),
		cmocka_unit_test(test_format_number_tiny),
		cmocka_unit_test(test_val_row_cases),
		cmocka_unit_test(test_val_row_values),
		cmocka_unit_test(test_val_code_names),
		cmocka_unit_test(test_val_message),
	};
	int rc;

	rc = cmocka_run_group_tests_name("standard", tests, NULL, NULL);
	std_free(the_pkg);
	return rc;
}
