/*
 * pages_home.c - the home page: what the caller can see (areas, schools,
 * pilot schools, student and outcome records, all in their scope) and their
 * latest imports with links to the validation reports.
 */
#include "page.h"
#include "subs.h"

#include <string.h>

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
		       sc.code, sc.code, page_name_of(c, "areas", "area_code", sc.code), sc.code);
		break;
	case SCOPE_SCHOOL:
		html_f(b, "คุณเห็นข้อมูลของสถานศึกษา <a href=\"/schools/%s\">%s %s</a> "
			  "<span lang=\"en\">You see the data of school %s</span>",
		       sc.code, sc.code, page_name_of(c, "schools", "school_code", sc.code), sc.code);
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

/* The latest submissions the caller may see (their own and their scope's). */
static void latest_imports(struct ctx *c)
{
	struct buf *b = PB(c);
	struct subs_filter f;
	int64_t last;
	int more, n;

	html_f(b, "<h2>การนำเข้าล่าสุด <span lang=\"en\">Latest imports</span></h2>\n");
	memset(&f, 0, sizeof f);
	f.limit = 10;
	n = subs_table(c, &f, "การส่งข้อมูล 10 ครั้งล่าสุดที่คุณเห็นได้", "The 10 latest submissions you may see", &more,
		       &last);
	html_f(b, "<p><a href=\"/submissions\">การส่งข้อมูลทั้งหมดที่คุณเห็นได้ <span lang=\"en\">All the submissions you may see</span></a> · "
		  "<a href=\"/completeness\">ความครบถ้วนของข้อมูล <span lang=\"en\">Completeness</span></a></p>\n");
	if (n == 0)
		html_f(b, "<p>ยังไม่มีการนำเข้า <span lang=\"en\">No imports yet.</span> "
			  "<a href=\"/import\">นำเข้าข้อมูล <span lang=\"en\">Import data</span></a></p>\n");
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
