/*
 * pages_home.c - the home page: what the caller can see (areas, schools,
 * pilot schools, student and outcome records, all in their scope) and their
 * latest imports with links to the validation reports.
 */
#include "page.h"

#include <string.h>

/* The name of an area or a school the caller's scope names ("" if none). */
static const char *scope_name(struct ctx *c, const char *dsname, const char *field, const char *code)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, dsname);
	struct store_query q = ctx_query(c);
	struct store_filter f;
	struct store_scan *sc = NULL;
	struct val_value *vals;
	const char *name = "";
	int fi, ni;

	if (!ds || (fi = std_field_index(ds, field, strlen(field))) < 0 ||
	    (ni = std_field_index(ds, "name_th", 7)) < 0)
		return "";
	vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals);
	if (!vals)
		return "";
	page_filter_text(&f, fi, code);
	q.filters = &f;
	q.nfilters = 1;
	q.limit = 1;
	if (store_scan_open(c->st, ds, &q, &sc))
		goto out;
	if (store_scan_next(sc, vals) == 1)
		name = page_vstr(c, &vals[ni]);
out:
	store_scan_close(sc);
	return name;
}

static void who(struct ctx *c)
{
	struct buf *b = PB(c);
	struct store_scope sc = auth_scope(&c->user);

	html_f(b, "<p class=\"lead\">สวัสดี %s (%s) ", c->user.name, role_title_th(c->user.role));
	switch (sc.kind) {
	case SCOPE_ALL:
		html_f(b, "คุณเห็นข้อมูลทุกพื้นที่ <span lang=\"en\">You see every area</span>");
		break;
	case SCOPE_AREA:
		html_f(b, "คุณเห็นข้อมูลของพื้นที่ <a href=\"/areas/%s\">%s %s</a> "
			  "<span lang=\"en\">You see the data of area %s</span>",
		       sc.code, sc.code, scope_name(c, "areas", "area_code", sc.code), sc.code);
		break;
	case SCOPE_SCHOOL:
		html_f(b, "คุณเห็นข้อมูลของสถานศึกษา <a href=\"/schools/%s\">%s %s</a> "
			  "<span lang=\"en\">You see the data of school %s</span>",
		       sc.code, sc.code, scope_name(c, "schools", "school_code", sc.code), sc.code);
		break;
	default:
		html_f(b, "บัญชีนี้ไม่เห็นข้อมูลใด <span lang=\"en\">This account sees no data</span>");
	}
	if (auth_suppresses_small_groups(&c->user))
		html_f(b, " · ไม่แสดงกลุ่มที่น้อยกว่า 5 คน <span lang=\"en\">groups under 5 are not shown</span>");
	html_f(b, "</p>\n");
}

/* One count card; -1 = could not count. */
static void card(struct ctx *c, const char *href, const char *th, const char *en, int64_t n, int students)
{
	const char *shown = n < 0 ? "–" : students ? page_count(c, n, n) : page_num(c, n);

	if (href)
		html_f(PB(c), "<li class=\"card\"><a href=\"%s\"><span class=\"big\">%s</span> "
			      "<span class=\"what\">%s <span lang=\"en\">%s</span></span></a></li>\n",
		       href, shown, th, en);
	else
		html_f(PB(c), "<li class=\"card\"><span class=\"big\">%s</span> "
			      "<span class=\"what\">%s <span lang=\"en\">%s</span></span></li>\n",
		       shown, th, en);
}

static int64_t count(struct ctx *c, const char *dsname, const char *field, const char *value)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, dsname);
	struct store_query q = ctx_query(c);
	struct store_filter f;
	int64_t n = 0;
	int fi;

	if (!ds)
		return -1;
	if (field) {
		if ((fi = std_field_index(ds, field, strlen(field))) < 0)
			return -1;
		page_filter_text(&f, fi, value);
		q.filters = &f;
		q.nfilters = 1;
	}
	return store_count(c->st, ds, &q, &n) ? -1 : n;
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "";
}

static void latest_imports(struct ctx *c)
{
	struct buf *b = PB(c);
	struct store_stmt *s = NULL;
	const struct std_dataset *ds;
	int rc, n = 0;

	html_f(b, "<h2>การนำเข้าล่าสุด <span lang=\"en\">Latest imports</span></h2>\n");
	/* fixed SQL: the centre sees every import, others their own */
	if (store_prepare(c->st, "SELECT id, created_at, user_name, dataset, file_name, status, inserted, "
				 "updated, unchanged, rejected, errors, warnings FROM submissions "
				 "WHERE (? = 1 OR user_name = ?) ORDER BY id DESC LIMIT 10", &s)) {
		page_notice(c, "error", "อ่านรายการนำเข้าไม่สำเร็จ", "cannot read the imports");
		return;
	}
	store_bind_int(s, 1, auth_is_central(&c->user));
	store_bind_str(s, 2, c->user.name);
	while ((rc = store_step(s)) == 1) {
		const char *dsname = store_col_text(s, 3, NULL);
		int64_t id = store_col_int(s, 0);

		if (!n++)
			html_f(b, "<div class=\"table-wrap\"><table>\n<caption>การนำเข้า 10 ครั้งล่าสุด%s "
				  "<span lang=\"en\">The 10 latest imports%s</span></caption>\n<thead><tr>"
				  "<th scope=\"col\">ครั้งที่ <span lang=\"en\">No.</span></th>"
				  "<th scope=\"col\">เวลา <span lang=\"en\">Time</span></th>"
				  "<th scope=\"col\">ผู้นำเข้า <span lang=\"en\">User</span></th>"
				  "<th scope=\"col\">ชุดข้อมูล <span lang=\"en\">Data set</span></th>"
				  "<th scope=\"col\">ไฟล์ <span lang=\"en\">File</span></th>"
				  "<th scope=\"col\">ผล <span lang=\"en\">Status</span></th>"
				  "<th scope=\"col\" class=\"num\">เพิ่ม <span lang=\"en\">Inserted</span></th>"
				  "<th scope=\"col\" class=\"num\">แก้ไข <span lang=\"en\">Updated</span></th>"
				  "<th scope=\"col\" class=\"num\">คงเดิม <span lang=\"en\">Unchanged</span></th>"
				  "<th scope=\"col\" class=\"num\">ปฏิเสธ <span lang=\"en\">Rejected</span></th>"
				  "<th scope=\"col\">รายงานการตรวจสอบ <span lang=\"en\">Validation report</span></th>"
				  "</tr></thead>\n<tbody>\n",
			       auth_is_central(&c->user) ? "" : "ของคุณ",
			       auth_is_central(&c->user) ? "" : " of yours");
		ds = dsname ? std_dataset(c->app->pkg, dsname) : NULL;
		html_f(b, "<tr><th scope=\"row\">%lld</th><td>%s</td><td>%s</td><td>%s</td><td class=\"file\">%s</td>"
			  "<td class=\"st-%s\">%s</td>",
		       (long long)id, page_time(c, store_col_text(s, 1, NULL)), store_col_text(s, 2, NULL),
		       ds ? ds->title_th : dsname, base_name(store_col_text(s, 4, NULL)),
		       store_col_text(s, 5, NULL), page_sub_status_th(store_col_text(s, 5, NULL)));
		html_f(b, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			  "<td class=\"num\">%s</td>",
		       page_num(c, store_col_int(s, 6)), page_num(c, store_col_int(s, 7)),
		       page_num(c, store_col_int(s, 8)), page_num(c, store_col_int(s, 9)));
		html_f(b, "<td><a href=\"/api/v1/submissions/%lld/report.csv\">ดาวน์โหลดรายงานครั้งที่ %lld "
			  "<span lang=\"en\">report %lld (CSV)</span></a>",
		       (long long)id, (long long)id, (long long)id);
		if (store_col_int(s, 10) || store_col_int(s, 11))
			html_f(b, "<br><span class=\"muted\">ข้อผิดพลาด %s · คำเตือน %s "
				  "<span lang=\"en\">errors, warnings</span></span>",
			       page_num(c, store_col_int(s, 10)), page_num(c, store_col_int(s, 11)));
		html_f(b, "</td></tr>\n");
	}
	store_finalize(s);
	if (n)
		html_f(b, "</tbody>\n</table></div>\n");
	else if (rc == 0)
		html_f(b, "<p>ยังไม่มีการนำเข้า <span lang=\"en\">No imports yet.</span> "
			  "<a href=\"/import\">นำเข้าข้อมูล <span lang=\"en\">Import data</span></a></p>\n");
	if (rc < 0)
		page_notice(c, "error", "อ่านรายการนำเข้าไม่ครบ", "cannot read all the imports");
}

void page_home(struct ctx *c)
{
	struct buf *b = PB(c);

	page_begin(c, "home", "ภาพรวม", "Overview");
	who(c);
	html_f(b, "<h2>ข้อมูลในขอบเขตของคุณ <span lang=\"en\">Data in your scope</span></h2>\n<ul class=\"cards\">\n");
	card(c, "/areas", "พื้นที่นวัตกรรม", "Sandbox areas", count(c, "areas", NULL, NULL), 0);
	card(c, "/schools", "สถานศึกษา", "Schools", count(c, "schools", NULL, NULL), 0);
	card(c, "/schools?pilot=Y", "สถานศึกษานำร่อง", "Pilot schools", count(c, "schools", "pilot", "Y"), 0);
	card(c, NULL, "ระเบียนนักเรียน (คน × ปีการศึกษา)", "Student records (per academic year)",
	     count(c, "students", NULL, NULL), 1);
	card(c, NULL, "ผลการเรียนรู้ (รายการ)", "Learner outcome records", count(c, "outcomes", NULL, NULL), 1);
	html_f(b, "</ul>\n");
	latest_imports(c);
	page_end(c);
}
