/* example.c - example values of the standard's fields (see example.h). */
#include "example.h"

#include <string.h>

#include "../base/mem.h"

/* A field not listed gets a value made from its rules (example_value). */
static const struct {
	const char *ds, *field, *value;
} examples[] = {
	{ "areas", "area_code", "50" },
	{ "areas", "name_th", "พื้นที่นวัตกรรมการศึกษาจังหวัดเชียงใหม่" },
	{ "areas", "name_en", "Chiang Mai Education Sandbox" },
	{ "areas", "designated_on", "2018-10-02" },
	{ "areas", "status", "active" },
	{ "schools", "school_code", "1050060099" },
	{ "schools", "name_th", "โรงเรียนบ้านตัวอย่าง" },
	{ "schools", "name_en", "Ban Tua Yang School" },
	{ "schools", "affiliation_code", "10" },
	{ "schools", "province_code", "50" },
	{ "schools", "district_th", "ฮอด" },
	{ "schools", "subdistrict_th", "บ้านตาล" },
	{ "schools", "esa_th", "สพป.เชียงใหม่ เขต 5" },
	{ "schools", "area_code", "50" },
	{ "schools", "pilot", "Y" },
	{ "schools", "pilot_cohort", "1" },
	{ "schools", "pilot_since", "2020-05-16" },
	{ "schools", "latitude", "18.153638" },
	{ "schools", "longitude", "98.620686" },
	{ "students", "citizen_id", "1101700123456" },
	{ "students", "school_code", "1050060099" },
	{ "students", "academic_year", "2567" },
	{ "students", "grade_code", "211" },
	{ "students", "gender", "2" },
	{ "students", "birth_date", "2017-03-15" },
	{ "students", "disadvantage", "0" },
	{ "students", "disability", "0" },
	{ "outcomes", "citizen_id", "1101700123456" },
	{ "outcomes", "school_code", "1050060099" },
	{ "outcomes", "academic_year", "2567" },
	{ "outcomes", "term", "1" },
	{ "outcomes", "domain", "K" },
	{ "outcomes", "subject_code", "THA" },
	{ "outcomes", "instrument", "SCH" },
	{ "outcomes", "score", "78.5" },
	{ "outcomes", "level", "" },
};

/* The first code of a list in the order people read them. */
static const char *first_code(const struct std_codelist *cl)
{
	size_t *order = nw_malloc(cl->ncodes * sizeof *order);
	const char *code = cl->codes[0].code;

	if (order && !std_code_order(cl, order))
		code = cl->codes[order[0]].code;
	nw_free(order);
	return code;
}

const char *example_value(const struct std_dataset *ds, const struct std_field *f, char *buf)
{
	const struct std_codelist *cl = f->codelist ? f->codelist : f->nby ? f->by_lists[0] : NULL;
	size_t k;

	for (k = 0; k < sizeof examples / sizeof examples[0]; k++)
		if (!strcmp(examples[k].ds, ds->name) && !strcmp(examples[k].field, f->name))
			return examples[k].value;
	/* a value made from the rules: the first code of its list, the lowest
	 * allowed number, a date; empty when the field may be */
	if (!f->required)
		return "";
	if (cl && cl->ncodes)
		return first_code(cl);
	switch (f->type) {
	case STD_INTEGER:
	case STD_NUMBER:
		val_format_number(f->has_min ? f->min : f->has_max && f->max < 1 ? f->max : 1, buf, EXAMPLE_MAX);
		return buf;
	case STD_DATE:
		return "2024-05-16";
	default:
		return "ตัวอย่าง";
	}
}
