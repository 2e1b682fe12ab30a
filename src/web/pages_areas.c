/*
 * pages_areas.c - the sandbox areas: the list of areas in the caller's scope
 * with their pilot schools counted, and one area with its pilot schools
 * grouped by cohort (รุ่นที่ 1, 2, ...).
 *
 * Every query is scoped (ctx_query), so an area outside the caller's scope
 * is simply not found: 404, the same as an area that does not exist.
 */
#include "gov.h"
#include "page.h"

#include <stdlib.h>
#include <string.h>

/* Field indexes of the data sets these pages read. */
struct area_fields {
	int code, name_th, name_en, designated, status;
};

struct school_fields {
	int code, name_th, affiliation, district, area, pilot, cohort, since;
};

static int area_fields(const struct std_dataset *ds, struct area_fields *f)
{
	f->code = std_field_index(ds, "area_code", 9);
	f->name_th = std_field_index(ds, "name_th", 7);
	f->name_en = std_field_index(ds, "name_en", 7);
	f->designated = std_field_index(ds, "designated_on", 13);
	f->status = std_field_index(ds, "status", 6);
	return f->code < 0 || f->name_th < 0 || f->name_en < 0 || f->designated < 0 || f->status < 0
		       ? NAWAT_ENOTFOUND : 0;
}

static int school_fields(const struct std_dataset *ds, struct school_fields *f)
{
	f->code = std_field_index(ds, "school_code", 11);
	f->name_th = std_field_index(ds, "name_th", 7);
	f->affiliation = std_field_index(ds, "affiliation_code", 16);
	f->district = std_field_index(ds, "district_th", 11);
	f->area = std_field_index(ds, "area_code", 9);
	f->pilot = std_field_index(ds, "pilot", 5);
	f->cohort = std_field_index(ds, "pilot_cohort", 12);
	f->since = std_field_index(ds, "pilot_since", 11);
	return f->code < 0 || f->name_th < 0 || f->affiliation < 0 || f->district < 0 || f->area < 0 ||
			       f->pilot < 0 || f->cohort < 0 || f->since < 0
		       ? NAWAT_ENOTFOUND : 0;
}

/* Schools of an area with pilot = Y or N, in the caller's scope. */
static int64_t count_schools(struct ctx *c, const struct std_dataset *sds, const struct school_fields *sf,
			     const char *area, const char *pilot)
{
	struct store_query q = ctx_query(c);
	struct store_filter f[2];
	int64_t n = 0;

	page_filter_text(&f[0], sf->area, area);
	page_filter_text(&f[1], sf->pilot, pilot);
	q.filters = f;
	q.nfilters = 2;
	return store_count(c->st, sds, &q, &n) ? -1 : n;
}

/* The note for a school's users: they see their own school only. */
static void scope_note(struct ctx *c)
{
	if (auth_scope(&c->user).kind == SCOPE_SCHOOL)
		page_notice(c, "info", "จำนวนสถานศึกษานับเฉพาะสถานศึกษาในขอบเขตสิทธิ์ของคุณ",
			    "school counts include only the schools within your access");
}

void page_areas(struct ctx *c)
{
	const struct std_dataset *ads = std_dataset(c->app->pkg, "areas");
	const struct std_dataset *sds = std_dataset(c->app->pkg, "schools");
	struct area_fields af;
	struct school_fields sf;
	struct store_query q = ctx_query(c);
	struct store_scan *sc = NULL;
	struct val_value *vals;
	struct buf *b = PB(c);
	int64_t total = 0, n;
	int rc, rows = 0;

	if (!ads || !sds || area_fields(ads, &af) || school_fields(sds, &sf) ||
	    !(vals = arena_alloc(&c->rq->mem, ads->nfields * sizeof *vals))) {
		page_error(c, 500, "มาตรฐานข้อมูลไม่มีชุดข้อมูลพื้นที่หรือสถานศึกษา", "the standard lacks areas or schools");
		return;
	}
	page_begin(c, "areas", "พื้นที่นวัตกรรมการศึกษา", "Education sandbox areas");
	scope_note(c);
	if ((rc = store_scan_open(c->st, ads, &q, &sc))) {
		page_notice(c, "error", "อ่านข้อมูลพื้นที่ไม่สำเร็จ", "cannot read the areas");
		goto out;
	}
	while ((rc = store_scan_next(sc, vals)) == 1) {
		const char *code = page_vstr(c, &vals[af.code]);
		const char *status = page_vstr(c, &vals[af.status]);

		if (!rows++)
			html_f(b, "<div class=\"table-wrap\"><table>\n<caption>พื้นที่นวัตกรรมการศึกษาในขอบเขตของคุณ "
				  "<span lang=\"en\">Sandbox areas in your scope</span></caption>\n<thead><tr>"
				  "<th scope=\"col\">รหัส <span lang=\"en\">Code</span></th>"
				  "<th scope=\"col\">ชื่อพื้นที่ <span lang=\"en\">Name</span></th>"
				  "<th scope=\"col\">วันที่ประกาศ <span lang=\"en\">Designated</span></th>"
				  "<th scope=\"col\">สถานะ <span lang=\"en\">Status</span></th>"
				  "<th scope=\"col\" class=\"num\">สถานศึกษานำร่อง <span lang=\"en\">Pilot schools</span></th>"
				  "</tr></thead>\n<tbody>\n");
		n = count_schools(c, sds, &sf, code, "Y");
		if (n > 0)
			total += n;
		html_f(b, "<tr><td>%s</td><th scope=\"row\"><a href=\"/areas/", code);
		html_url(b, code);
		html_f(b, "\">%s</a><br><span lang=\"en\">%s</span></th><td>%s</td><td>%s "
			  "<span lang=\"en\">%s</span></td><td class=\"num\">%s</td></tr>\n",
		       page_vstr(c, &vals[af.name_th]), page_vstr(c, &vals[af.name_en]),
		       page_date(c, page_vstr(c, &vals[af.designated])), page_label(c->app->pkg, "area_status", status),
		       page_label_en(c->app->pkg, "area_status", status), n < 0 ? "–" : page_num(c, n));
	}
	if (rows)
		html_f(b, "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"4\">รวม %d พื้นที่ "
			  "<span lang=\"en\">Total, %d areas</span></th><td class=\"num\">%s</td></tr></tfoot>\n"
			  "</table></div>\n",
		       rows, rows, page_num(c, total));
	else if (rc == 0)
		html_f(b, "<p>ไม่มีพื้นที่ในขอบเขตของคุณ <span lang=\"en\">No areas in your scope.</span></p>\n");
	if (rc < 0)
		page_notice(c, "error", "อ่านข้อมูลพื้นที่ไม่ครบ", "cannot read all the areas");
out:
	store_scan_close(sc);
	page_end(c);
}

/* ---- one area ---- */

struct pilot {
	const char *code, *name, *affiliation, *district, *since;
	int64_t cohort;           /* 0 = not given */
	size_t order;             /* position in Thai name order */
};

static int by_cohort(const void *a, const void *b)
{
	const struct pilot *x = a, *y = b;
	/* not given last */
	int64_t cx = x->cohort > 0 ? x->cohort : INT64_MAX, cy = y->cohort > 0 ? y->cohort : INT64_MAX;

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The pilot schools of an area, in Thai order of name; *out in the arena. */
static int read_pilots(struct ctx *c, const struct std_dataset *sds, const struct school_fields *sf,
		       const char *area, struct pilot **out, size_t *nout)
{
	struct store_query q = ctx_query(c);
	struct store_filter f[2];
	struct store_scan *sc = NULL;
	struct val_value *vals;
	struct pilot *p;
	int64_t n = 0;
	size_t i = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	page_filter_text(&f[0], sf->area, area);
	page_filter_text(&f[1], sf->pilot, "Y");
	q.filters = f;
	q.nfilters = 2;
	if ((rc = store_count(c->st, sds, &q, &n)))
		return rc;
	if (!n)
		return 0;
	vals = arena_alloc(&c->rq->mem, sds->nfields * sizeof *vals);
	p = arena_alloc(&c->rq->mem, (size_t)n * sizeof *p);
	if (!vals || !p)
		return NAWAT_ENOMEM;
	q.order_by = sf->name_th + 1;
	q.limit = n;
	if ((rc = store_scan_open(c->st, sds, &q, &sc)))
		return rc;
	while (i < (size_t)n && (rc = store_scan_next(sc, vals)) == 1) {
		p[i].code = page_vstr(c, &vals[sf->code]);
		p[i].name = page_vstr(c, &vals[sf->name_th]);
		p[i].affiliation = page_vstr(c, &vals[sf->affiliation]);
		p[i].district = page_vstr(c, &vals[sf->district]);
		p[i].since = page_vstr(c, &vals[sf->since]);
		p[i].cohort = vals[sf->cohort].state == VAL_SET ? vals[sf->cohort].i : 0;
		p[i].order = i;
		i++;
	}
	store_scan_close(sc);
	if (rc < 0)
		return rc;
	qsort(p, i, sizeof *p, by_cohort);
	*out = p;
	*nout = i;
	return 0;
}

static void pilot_table(struct ctx *c, const struct pilot *p, size_t n)
{
	struct buf *b = PB(c);
	size_t i;

	if (p[0].cohort > 0)
		html_f(b, "<h3 id=\"cohort-%lld\">รุ่นที่ %lld <span lang=\"en\">Cohort %lld</span></h3>\n",
		       (long long)p[0].cohort, (long long)p[0].cohort, (long long)p[0].cohort);
	else
		html_f(b, "<h3 id=\"cohort-none\">ไม่ระบุรุ่น <span lang=\"en\">Cohort not given</span></h3>\n");
	html_f(b, "<div class=\"table-wrap\"><table>\n<caption>");
	if (p[0].cohort > 0)
		html_f(b, "สถานศึกษานำร่อง รุ่นที่ %lld: %s แห่ง <span lang=\"en\">Pilot schools, cohort %lld: %s</span>",
		       (long long)p[0].cohort, page_num(c, (long long)n), (long long)p[0].cohort,
		       page_num(c, (long long)n));
	else
		html_f(b, "สถานศึกษานำร่องที่ไม่ระบุรุ่น: %s แห่ง <span lang=\"en\">Pilot schools without a cohort: %s</span>",
		       page_num(c, (long long)n), page_num(c, (long long)n));
	html_f(b, "</caption>\n<thead><tr>"
		  "<th scope=\"col\">รหัสสถานศึกษา <span lang=\"en\">School code</span></th>"
		  "<th scope=\"col\">ชื่อสถานศึกษา <span lang=\"en\">Name</span></th>"
		  "<th scope=\"col\">สังกัด <span lang=\"en\">Affiliation</span></th>"
		  "<th scope=\"col\">อำเภอ <span lang=\"en\">District</span></th>"
		  "<th scope=\"col\">เริ่มเป็นสถานศึกษานำร่อง <span lang=\"en\">Pilot since</span></th>"
		  "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		html_f(b, "<tr><td>%s</td><th scope=\"row\"><a href=\"/schools/", p[i].code);
		html_url(b, p[i].code);
		html_f(b, "\">%s</a></th><td>%s</td><td>%s</td><td>%s</td></tr>\n", p[i].name,
		       page_label(c->app->pkg, "affiliation", p[i].affiliation), p[i].district,
		       page_date(c, p[i].since));
	}
	html_f(b, "</tbody>\n</table></div>\n");
}

void page_area(struct ctx *c, const char *code)
{
	const struct std_dataset *ads = std_dataset(c->app->pkg, "areas");
	const struct std_dataset *sds = std_dataset(c->app->pkg, "schools");
	struct area_fields af;
	struct school_fields sf;
	struct store_query q = ctx_query(c);
	struct store_filter f;
	struct store_scan *sc = NULL;
	struct val_value *vals;
	struct pilot *p = NULL;
	struct buf *b = PB(c);
	size_t np = 0, i, j;
	int64_t others;
	int rc;

	if (!ads || !sds || area_fields(ads, &af) || school_fields(sds, &sf) ||
	    !(vals = arena_alloc(&c->rq->mem, ads->nfields * sizeof *vals))) {
		page_error(c, 500, "มาตรฐานข้อมูลไม่มีชุดข้อมูลพื้นที่หรือสถานศึกษา", "the standard lacks areas or schools");
		return;
	}
	page_filter_text(&f, af.code, code);
	q.filters = &f;
	q.nfilters = 1;
	q.limit = 1;
	if ((rc = store_scan_open(c->st, ads, &q, &sc)) == 0)
		rc = store_scan_next(sc, vals);
	if (rc != 1) {
		store_scan_close(sc);
		if (rc < 0)
			page_error(c, 500, "อ่านข้อมูลพื้นที่ไม่สำเร็จ", "cannot read the area");
		else
			page_error(c, 404, "ไม่พบพื้นที่นี้ หรือพื้นที่นี้อยู่นอกขอบเขตสิทธิ์ของคุณ",
				   "no such area, or it is outside your scope");
		return;
	}
	page_begin(c, "areas", page_vstr(c, &vals[af.name_th]), page_vstr(c, &vals[af.name_en]));
	html_f(b, "<p class=\"crumbs\"><a href=\"/areas\">พื้นที่นวัตกรรมทั้งหมด <span lang=\"en\">All areas</span></a></p>\n");
	page_profile(c, ads, vals);
	store_scan_close(sc);
	sc = NULL;
	html_f(b, "<ul class=\"toc\"><li><a href=\"/completeness?area=%s\">ความครบถ้วนของข้อมูลจากสถานศึกษา "
		  "<span lang=\"en\">Completeness of the schools' data</span></a></li>"
		  "<li><a href=\"/submissions?area=%s\">การส่งข้อมูลของพื้นที่ <span lang=\"en\">Submissions of the area</span></a></li></ul>\n",
	       code, code);
	scope_note(c);
	html_f(b, "<p><a href=\"/equity?scope=area:");
	html_url(b, code);
	html_f(b, "\">ผลสัมฤทธิ์ของผู้เรียนและความเหลื่อมล้ำในพื้นที่ <span lang=\"en\">Learner outcomes and equity "
		  "in the area</span></a></p>\n");

	gov_area_section(c, code);
	html_f(b, "<h2>สถานศึกษานำร่อง <span lang=\"en\">Pilot schools</span></h2>\n");
	if ((rc = read_pilots(c, sds, &sf, code, &p, &np))) {
		page_notice(c, "error", "อ่านข้อมูลสถานศึกษาไม่สำเร็จ", "cannot read the schools");
	} else if (!np) {
		html_f(b, "<p>ยังไม่มีสถานศึกษานำร่อง <span lang=\"en\">No pilot schools yet.</span></p>\n");
	} else {
		html_f(b, "<p>รวม %s แห่ง <span lang=\"en\">%s in all</span></p>\n", page_num(c, (long long)np),
		       page_num(c, (long long)np));
		for (i = 0; i < np; i = j) {
			for (j = i + 1; j < np && p[j].cohort == p[i].cohort; j++)
				;
			pilot_table(c, p + i, j - i);
		}
	}
	others = count_schools(c, sds, &sf, code, "N");
	html_f(b, "<h2>สถานศึกษาอื่นในพื้นที่ <span lang=\"en\">Other schools of the area</span></h2>\n");
	if (others < 0)
		page_notice(c, "error", "นับสถานศึกษาไม่สำเร็จ", "cannot count the schools");
	else {
		html_f(b, "<p>สถานศึกษาที่ไม่ใช่สถานศึกษานำร่อง %s แห่ง <span lang=\"en\">%s schools that are not pilot schools</span>",
		       page_num(c, others), page_num(c, others));
		if (others > 0) {
			html_f(b, " · <a href=\"/schools?area=");
			html_url(b, code);
			html_f(b, "&amp;pilot=N\">ดูรายชื่อ <span lang=\"en\">see the list</span></a>");
		}
		html_f(b, "</p>\n");
	}
	page_end(c);
}
