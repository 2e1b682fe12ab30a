/*
 * pages_subs.c - the submissions pages: the list of what was sent, filtered
 * by school, area, data set and dates (days in Thailand), newest first, and
 * one submission with its counts per school, academic year and term and a
 * link to its validation report.  Reached from the school and area pages,
 * the home page and the completeness view.
 */
#include "subs.h"
#include "page.h"

#include <stdlib.h>
#include <string.h>

#include "../base/date.h"

static const char *kind_th(const char *kind)
{
	if (kind && !strcmp(kind, "delete"))
		return "ลบข้อมูล";
	if (kind && !strcmp(kind, "relink"))
		return "ย้ายประวัตินักเรียน";
	return "นำเข้า";
}

static const char *kind_en(const char *kind)
{
	return kind && *kind ? kind : "import";
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "";
}

/* ---- the list ---- */

static void filter_form(struct ctx *c, const struct subs_filter *f)
{
	const struct std_package *pkg = c->app->pkg;
	struct buf *b = PB(c);
	char from[16] = "", to[16] = "";
	size_t i;

	if (f->from.y)
		date_iso(f->from, from, sizeof from);
	if (f->to.y)
		date_iso(f->to, to, sizeof to);
	html_f(b, "<form class=\"filters\" method=\"get\" action=\"/submissions\" role=\"search\" "
		  "aria-label=\"ตัวกรองการส่งข้อมูล / filter the submissions\">\n"
		  "<p><label for=\"school\">รหัสสถานศึกษา <span lang=\"en\">School code</span></label>"
		  "<input id=\"school\" name=\"school\" inputmode=\"numeric\" maxlength=\"10\" pattern=\"[0-9]{10}\" "
		  "value=\"%s\" aria-describedby=\"school-hint\"><span class=\"hint\" id=\"school-hint\">10 หลัก "
		  "<span lang=\"en\">10 digits</span></span></p>\n",
	       f->school ? f->school : "");
	html_f(b, "<p><label for=\"area\">พื้นที่นวัตกรรม <span lang=\"en\">Sandbox area</span></label>"
		  "<select id=\"area\" name=\"area\"><option value=\"\">ทุกพื้นที่ (All areas)</option>\n");
	page_area_options(c, f->area);
	html_f(b, "</select></p>\n<p><label for=\"dataset\">ชุดข้อมูล <span lang=\"en\">Data set</span></label>"
		  "<select id=\"dataset\" name=\"dataset\"><option value=\"\">ทุกชุดข้อมูล (All)</option>\n");
	for (i = 0; i < pkg->ndatasets; i++)
		html_f(b, "<option value=\"%s\"%R>%s (%s)</option>\n", pkg->datasets[i].name,
		       f->dataset && !strcmp(f->dataset, pkg->datasets[i].name) ? " selected" : "",
		       pkg->datasets[i].title_th, pkg->datasets[i].name);
	html_f(b, "</select></p>\n"
		  "<p><label for=\"from\">ตั้งแต่วันที่ <span lang=\"en\">From</span></label>"
		  "<input id=\"from\" name=\"from\" type=\"date\" value=\"%s\"></p>\n"
		  "<p><label for=\"to\">ถึงวันที่ <span lang=\"en\">To</span></label>"
		  "<input id=\"to\" name=\"to\" type=\"date\" value=\"%s\"></p>\n"
		  "<p class=\"buttons\"><button type=\"submit\">แสดง <span lang=\"en\">Show</span></button> "
		  "<a href=\"/submissions\">ล้างตัวกรอง <span lang=\"en\">Clear filters</span></a></p>\n</form>\n",
	       from, to);
}

struct list_state {
	struct ctx *c;
	const char *cap_th, *cap_en;
	int n;
	int64_t last;
	int partial;
};

static void list_head(struct list_state *ls)
{
	html_f(PB(ls->c), "<div class=\"table-wrap\"><table>\n<caption>%s <span lang=\"en\">%s</span></caption>\n<thead><tr>"
			  "<th scope=\"col\">ครั้งที่ <span lang=\"en\">No.</span></th>"
			  "<th scope=\"col\">เวลา <span lang=\"en\">Time</span></th>"
			  "<th scope=\"col\">ผู้ส่ง <span lang=\"en\">User</span></th>"
			  "<th scope=\"col\">ชุดข้อมูล <span lang=\"en\">Data set</span></th>"
			  "<th scope=\"col\">ไฟล์ <span lang=\"en\">File</span></th>"
			  "<th scope=\"col\">ผล <span lang=\"en\">Status</span></th>"
			  "<th scope=\"col\" class=\"num\">เพิ่ม <span lang=\"en\">Inserted</span></th>"
			  "<th scope=\"col\" class=\"num\">แก้ไข <span lang=\"en\">Updated</span></th>"
			  "<th scope=\"col\" class=\"num\">คงเดิม <span lang=\"en\">Unchanged</span></th>"
			  "<th scope=\"col\" class=\"num\">ปฏิเสธ <span lang=\"en\">Rejected</span></th>"
			  "<th scope=\"col\" class=\"num\">ลบ <span lang=\"en\">Deleted</span></th>"
			  "<th scope=\"col\" class=\"num\">สถานศึกษา <span lang=\"en\">Schools</span></th>"
			  "<th scope=\"col\">รายงานการตรวจสอบ <span lang=\"en\">Validation report</span></th>"
			  "</tr></thead>\n<tbody>\n",
	       ls->cap_th, ls->cap_en);
}

static int list_row(void *ctx, const struct subs_row *r)
{
	struct list_state *ls = ctx;
	struct ctx *c = ls->c;
	struct buf *b = PB(c);
	const struct std_dataset *ds = r->dataset ? std_dataset(c->app->pkg, r->dataset) : NULL;

	if (!ls->n++)
		list_head(ls);
	ls->last = r->id;
	ls->partial |= !r->whole;
	html_f(b, "<tr><th scope=\"row\"><a href=\"/submissions/%lld\">%lld</a></th><td>%s</td><td>%s</td>"
		  "<td>%s <span class=\"code\">(%s)</span>%s%s</td><td class=\"file\">%s</td>"
		  "<td class=\"st-%s\">%s <span lang=\"en\">%s</span></td>",
	       (long long)r->id, (long long)r->id, page_time(c, r->created_at), r->user, ds ? ds->title_th : r->dataset,
	       r->dataset, r->kind && strcmp(r->kind, "import") ? " · " : "",
	       r->kind && strcmp(r->kind, "import") ? kind_th(r->kind) : "", base_name(r->file), r->status,
	       page_sub_status_th(r->status), r->status);
	html_f(b, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
		  "<td class=\"num\">%s</td><td class=\"num\">%s%s</td>",
	       page_num(c, r->counts.inserted), page_num(c, r->counts.updated), page_num(c, r->counts.unchanged),
	       page_num(c, r->counts.rejected), page_num(c, r->counts.deleted), page_num(c, r->schools),
	       r->whole ? "" : " *");
	if (r->whole) {
		html_f(b, "<td><a href=\"/api/v1/submissions/%lld/report.csv\">ดาวน์โหลดรายงานครั้งที่ %lld "
			  "<span lang=\"en\">report %lld (CSV)</span></a>",
		       (long long)r->id, (long long)r->id, (long long)r->id);
		if (r->errors || r->warnings)
			html_f(b, "<br><span class=\"muted\">ข้อผิดพลาด %s · คำเตือน %s "
				  "<span lang=\"en\">errors, warnings</span></span>",
			       page_num(c, r->errors), page_num(c, r->warnings));
		html_f(b, "</td></tr>\n");
	} else {
		html_f(b, "<td>–</td></tr>\n");
	}
	return 0;
}

int subs_table(struct ctx *c, const struct subs_filter *f, const char *cap_th, const char *cap_en, int *more,
	       int64_t *last)
{
	struct list_state ls = { c, cap_th, cap_en, 0, 0, 0 };
	int rc = subs_list(c->st, &c->user, f, list_row, &ls, more);

	if (ls.n)
		html_f(PB(c), "</tbody>\n</table></div>\n");
	if (ls.partial)
		html_f(PB(c), "<p class=\"note\">* นับเฉพาะแถวของสถานศึกษาในขอบเขตของคุณ ไฟล์นี้มีข้อมูลของที่อื่นด้วย "
			      "<span lang=\"en\">* only the rows of the schools in your scope are counted: the file also "
			      "held rows of others</span></p>\n");
	if (rc)
		page_notice(c, "error", "อ่านรายการส่งข้อมูลไม่สำเร็จ", "cannot read the submissions");
	*last = ls.last;
	return rc ? -1 : ls.n;
}

/* The list's URL with the same filters, from cursor on (not escaped for
 * HTML: html_f does that). */
static const char *list_url(struct ctx *c, const struct subs_filter *f, int64_t cursor)
{
	struct buf u;
	char from[16], to[16], *out;
	char sep = '?';
	const char *names[] = { "school", "area", "dataset", "from", "to" };
	const char *vals[5];
	size_t i;

	vals[0] = f->school;
	vals[1] = f->area;
	vals[2] = f->dataset;
	vals[3] = f->from.y ? date_iso(f->from, from, sizeof from) : NULL;
	vals[4] = f->to.y ? date_iso(f->to, to, sizeof to) : NULL;
	buf_init(&u, 4096);
	buf_puts(&u, "/submissions");
	for (i = 0; i < 5; i++) {
		if (!vals[i])
			continue;
		buf_printf(&u, "%c%s=", sep, names[i]);
		html_url(&u, vals[i]);
		sep = '&';
	}
	if (cursor)
		buf_printf(&u, "%ccursor=%lld", sep, (long long)cursor);
	out = arena_strdup(&c->rq->mem, buf_str(&u));
	buf_release(&u);
	return out ? out : "/submissions";
}

static void page_list(struct ctx *c)
{
	struct subs_filter f;
	struct subs_bad bad;
	struct buf *b = PB(c);
	int64_t last = 0;
	int more = 0, n;

	if (subs_parse_filter(c, &f, &bad)) {
		page_error(c, bad.status, bad.th, bad.en);
		return;
	}
	f.limit = 50;
	page_begin(c, "submissions", "การส่งข้อมูล", "Submissions");
	html_f(b, "<p>ทุกการนำเข้า การลบ และการย้ายประวัตินักเรียนที่คุณมีสิทธิ์เห็น: ของคุณเอง "
		  "และที่มีข้อมูลของสถานศึกษาในขอบเขตของคุณ · "
		  "<a href=\"/completeness\">ความครบถ้วนของข้อมูล <span lang=\"en\">Completeness</span></a></p>\n"
		  "<p lang=\"en\">Every import, deletion and relink you may see: your own, and those that brought "
		  "rows of the schools in your scope.</p>\n");
	filter_form(c, &f);
	if (f.school)
		html_f(b, "<p>สถานศึกษา <a href=\"/schools/%s\">%s %s</a> <span lang=\"en\">School %s</span></p>\n",
		       f.school, f.school, page_name_of(c, "schools", "school_code", f.school), f.school);
	if (f.area)
		html_f(b, "<p>พื้นที่ <a href=\"/areas/%s\">%s %s</a> <span lang=\"en\">Area %s</span></p>\n", f.area,
		       f.area, page_name_of(c, "areas", "area_code", f.area), f.area);
	n = subs_table(c, &f, "การส่งข้อมูล ใหม่สุดก่อน", "Submissions, newest first", &more, &last);
	if (n == 0)
		html_f(b, "<p>ไม่มีการส่งข้อมูลที่ตรงกับตัวกรอง <span lang=\"en\">No submissions match.</span></p>\n");
	if (more || f.before)
		html_f(b, "<nav class=\"pager-links\" aria-label=\"หน้า / pages\">");
	if (f.before)
		html_f(b, "<a href=\"%s\">ใหม่สุด <span lang=\"en\">Newest</span></a>", list_url(c, &f, 0));
	if (more)
		html_f(b, "<a href=\"%s\" rel=\"next\">เก่ากว่านี้ <span lang=\"en\">Older</span></a>",
		       list_url(c, &f, last));
	if (more || f.before)
		html_f(b, "</nav>\n");
	page_end(c);
}

/* ---- one submission ---- */

struct one_state {
	struct ctx *c;
	struct subs_school *rows;
	size_t n, cap;
};

/* Keeps a school's counts (in the request's arena) for the table. */
static int keep_school(void *ctx, const struct subs_school *s)
{
	struct one_state *os = ctx;
	struct arena *a = &os->c->rq->mem;
	struct subs_school *k;

	if (os->n == os->cap) {
		size_t cap = os->cap ? os->cap * 2 : 32;

		k = arena_alloc(a, cap * sizeof *k);
		if (!k)
			return NAWAT_ENOMEM;
		if (os->n)
			memcpy(k, os->rows, os->n * sizeof *k);
		os->rows = k;
		os->cap = cap;
	}
	k = &os->rows[os->n];
	*k = *s;
	k->school_code = s->school_code ? arena_strdup(a, s->school_code) : NULL;
	k->area_code = s->area_code ? arena_strdup(a, s->area_code) : NULL;
	if ((s->school_code && !k->school_code) || (s->area_code && !k->area_code))
		return NAWAT_ENOMEM;
	os->n++;
	return 0;
}

static void school_table(struct ctx *c, const struct subs_school *rows, size_t n)
{
	struct buf *b = PB(c);
	char term[24], year[24];
	size_t i;

	html_f(b, "<div class=\"table-wrap\"><table>\n<caption>จำนวนแถวตามสถานศึกษา ปีการศึกษา และภาคเรียน "
		  "<span lang=\"en\">Rows by school, academic year and term</span></caption>\n<thead><tr>"
		  "<th scope=\"col\">สถานศึกษา <span lang=\"en\">School</span></th>"
		  "<th scope=\"col\">พื้นที่ <span lang=\"en\">Area</span></th>"
		  "<th scope=\"col\">ปีการศึกษา <span lang=\"en\">Academic year</span></th>"
		  "<th scope=\"col\">ภาคเรียน <span lang=\"en\">Term</span></th>"
		  "<th scope=\"col\" class=\"num\">เพิ่ม <span lang=\"en\">Inserted</span></th>"
		  "<th scope=\"col\" class=\"num\">แก้ไข <span lang=\"en\">Updated</span></th>"
		  "<th scope=\"col\" class=\"num\">คงเดิม <span lang=\"en\">Unchanged</span></th>"
		  "<th scope=\"col\" class=\"num\">ปฏิเสธ <span lang=\"en\">Rejected</span></th>"
		  "<th scope=\"col\" class=\"num\">ลบ <span lang=\"en\">Deleted</span></th>"
		  "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		const struct subs_school *s = &rows[i];

		if (s->school_code) {
			html_f(b, "<tr><th scope=\"row\"><a href=\"/schools/");
			html_url(b, s->school_code);
			html_f(b, "\">%s</a> %s</th>", s->school_code, page_name_of(c, "schools", "school_code", s->school_code));
		} else {
			html_f(b, "<tr><th scope=\"row\"><span class=\"muted\">ไม่ระบุหรือไม่ถูกต้อง "
				  "<span lang=\"en\">none or not valid</span></span></th>");
		}
		if (s->area_code) {
			html_f(b, "<td><a href=\"/areas/");
			html_url(b, s->area_code);
			html_f(b, "\">%s</a></td>", s->area_code);
		} else {
			html_f(b, "<td>–</td>");
		}
		snprintf(term, sizeof term, "%lld", (long long)s->term);
		snprintf(year, sizeof year, "%lld", (long long)s->academic_year);
		html_f(b, "<td>%s</td><td>%s</td>", s->academic_year >= 0 ? year : "–",
		       s->term >= 0 ? page_label(c->app->pkg, "term", term) : "–");
		html_f(b, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			  "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
		       page_num(c, s->counts.inserted), page_num(c, s->counts.updated),
		       page_num(c, s->counts.unchanged), page_num(c, s->counts.rejected),
		       page_num(c, s->counts.deleted));
	}
	html_f(b, "</tbody>\n</table></div>\n");
}

static void page_one(struct ctx *c, const char *idtext)
{
	struct one_state os = { c, NULL, 0, 0 };
	struct buf *b = PB(c);
	struct subs_row r;
	const struct std_dataset *ds;
	char *end, title[128], title_en[64];
	long long id = strtoll(idtext, &end, 10);
	int rc;

	if (*end || id <= 0) {
		page_error(c, 404, "ไม่พบการส่งข้อมูลนี้", "no such submission");
		return;
	}
	rc = subs_get(c->st, &c->user, id, &c->rq->mem, &r, keep_school, &os);
	if (rc <= 0) {
		if (rc < 0)
			page_error(c, 500, "อ่านข้อมูลการส่งไม่สำเร็จ", "cannot read the submission");
		else
			page_error(c, 404, "ไม่พบการส่งข้อมูลนี้ หรืออยู่นอกขอบเขตสิทธิ์ของคุณ",
				   "no such submission, or it is outside your scope");
		return;
	}
	ds = std_dataset(c->app->pkg, r.dataset);
	snprintf(title, sizeof title, "การส่งข้อมูลครั้งที่ %lld", id);
	snprintf(title_en, sizeof title_en, "Submission %lld", id);
	page_begin(c, "submissions", title, title_en);
	html_f(b, "<p class=\"crumbs\"><a href=\"/submissions\">การส่งข้อมูลทั้งหมด <span lang=\"en\">All submissions</span></a></p>\n");
	html_f(b, "<dl class=\"profile\">\n"
		  "<div><dt>เวลา <span lang=\"en\">Time</span></dt><dd>%s</dd></div>\n"
		  "<div><dt>ผู้ส่ง <span lang=\"en\">User</span></dt><dd>%s</dd></div>\n"
		  "<div><dt>ประเภท <span lang=\"en\">Kind</span></dt><dd>%s <span lang=\"en\">%s</span></dd></div>\n"
		  "<div><dt>ชุดข้อมูล <span lang=\"en\">Data set</span></dt><dd>%s <span class=\"code\">(%s)</span></dd></div>\n"
		  "<div><dt>ไฟล์ <span lang=\"en\">File</span></dt><dd class=\"file\">%s</dd></div>\n",
	       page_time(c, r.created_at), r.user, kind_th(r.kind), kind_en(r.kind), ds ? ds->title_th : r.dataset,
	       r.dataset, base_name(r.file));
	if (r.whole)
		html_f(b, "<div><dt>รูปแบบไฟล์ <span lang=\"en\">Format</span></dt><dd>%s%s%s</dd></div>\n"
			  "<div><dt>SHA-256</dt><dd><code>%s</code></dd></div>\n",
		       r.format ? r.format : "", r.encoding && *r.encoding ? ", " : "", r.encoding ? r.encoding : "",
		       r.sha256 ? r.sha256 : "");
	html_f(b, "<div><dt>ผล <span lang=\"en\">Status</span></dt><dd class=\"st-%s\">%s <span lang=\"en\">%s</span></dd></div>\n"
		  "</dl>\n",
	       r.status, page_sub_status_th(r.status), r.status);
	html_f(b, "<h2>จำนวนแถว <span lang=\"en\">Rows</span></h2>\n");
	if (!r.whole)
		page_notice(c, "info", "แสดงเฉพาะแถวของสถานศึกษาในขอบเขตของคุณ ไฟล์นี้มีข้อมูลของที่อื่นด้วย "
				       "และรายงานการตรวจสอบจึงไม่แสดง",
			    "only the rows of the schools in your scope are shown: the file also held rows of "
			    "others, so its validation report is not shown either");
	html_f(b, "<ul class=\"cards\">\n"
		  "<li class=\"card\"><span class=\"big\">%s</span> <span class=\"what\">เพิ่ม <span lang=\"en\">inserted</span></span></li>\n"
		  "<li class=\"card\"><span class=\"big\">%s</span> <span class=\"what\">แก้ไข <span lang=\"en\">updated</span></span></li>\n"
		  "<li class=\"card\"><span class=\"big\">%s</span> <span class=\"what\">คงเดิม <span lang=\"en\">unchanged</span></span></li>\n"
		  "<li class=\"card\"><span class=\"big\">%s</span> <span class=\"what\">ปฏิเสธ <span lang=\"en\">rejected</span></span></li>\n",
	       page_num(c, r.counts.inserted), page_num(c, r.counts.updated), page_num(c, r.counts.unchanged),
	       page_num(c, r.counts.rejected));
	if (r.counts.deleted)
		html_f(b, "<li class=\"card\"><span class=\"big\">%s</span> <span class=\"what\">ลบ <span lang=\"en\">deleted</span></span></li>\n",
		       page_num(c, r.counts.deleted));
	html_f(b, "</ul>\n");
	if (r.whole) {
		html_f(b, "<p>ข้อผิดพลาด %s · คำเตือน %s <span lang=\"en\">errors, warnings</span> · "
			  "<a href=\"/api/v1/submissions/%lld/report.csv\">ดาวน์โหลดรายงานการตรวจสอบ "
			  "<span lang=\"en\">download the validation report (CSV)</span></a></p>\n",
		       page_num(c, r.errors), page_num(c, r.warnings), id);
	}
	html_f(b, "<h2>ตามสถานศึกษา <span lang=\"en\">By school</span></h2>\n");
	if (os.n)
		school_table(c, os.rows, os.n);
	else
		html_f(b, "<p>ไม่มีแถวที่ระบุสถานศึกษา <span lang=\"en\">No rows of a school.</span></p>\n");
	page_end(c);
}

int subs_route(struct ctx *c)
{
	const char *p = c->rq->path;

	if (!strcmp(p, "/students/relink") && (!strcmp(c->rq->method, "GET") || !strcmp(c->rq->method, "POST"))) {
		page_relink(c);
		return 1;
	}
	if (strcmp(c->rq->method, "GET"))
		return 0;
	if (!strcmp(p, "/submissions")) {
		page_list(c);
		return 1;
	}
	if (!strncmp(p, "/submissions/", 13) && p[13] && !strchr(p + 13, '/')) {
		page_one(c, p + 13);
		return 1;
	}
	if (!strcmp(p, "/completeness")) {
		page_completeness(c);
		return 1;
	}
	return 0;
}
