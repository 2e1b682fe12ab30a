/*
 * pages_relink.c - a student's history moved to another citizen ID
 * (store/relink.h) from the web: POST /api/v1/students/relink with a JSON
 * body {"old": ID, "new": ID, "dry_run": false}, and the page
 * /students/relink with a form that checks first or relinks.
 *
 * The IDs travel only in request bodies (never in a URL, so never in an
 * access log) and are never shown back: answers name conflicts by their
 * data set and the other parts of their key.  Who may: the roles that write
 * students, for rows in their scope.
 */
#include "subs.h"
#include "page.h"

#include <string.h>

#include "../standard/thaiid.h"
#include "../store/relink.h"

static int id_form_ok(const char *s)
{
	return s && (thaiid_valid(s, strlen(s)) || thaiid_is_gcode(s, strlen(s)));
}

/* Runs a relink for the caller: 0 with *res, or the HTTP status of a
 * refusal with its code and messages in *bad. */
static int relink(struct ctx *c, const char *old_id, const char *new_id, int dry_run, struct relink_result *res,
		  struct subs_bad *bad)
{
	const struct std_dataset *students = std_dataset(c->app->pkg, "students");
	struct relink_args a;
	int rc;

	if (!students || !auth_can_write(&c->user, students))
		return subs_bad_set(bad, 403, "forbidden", "บทบาทของคุณย้ายประวัตินักเรียนไม่ได้",
				    "your role cannot relink students");
	if (!id_form_ok(old_id) || !id_form_ok(new_id))
		return subs_bad_set(bad, 400, "bad_request",
				    "รหัสเดิมและรหัสใหม่ต้องเป็นเลขประจำตัวประชาชน 13 หลักที่หลักตรวจสอบถูกต้อง หรือ G ตามด้วยตัวเลข 12 หลัก",
				    "old and new must be 13-digit citizen IDs with a correct check digit, or G and 12 digits");
	if (!strcmp(old_id, new_id))
		return subs_bad_set(bad, 400, "bad_request", "รหัสเดิมและรหัสใหม่เหมือนกัน", "old and new are the same");
	memset(&a, 0, sizeof a);
	a.key = c->app->key;
	a.old_id = old_id;
	a.new_id = new_id;
	a.user = c->user.name;
	a.scope = auth_scope(&c->user);
	a.dry_run = dry_run;
	rc = store_relink(c->primary, &a, res);
	if (rc == NAWAT_ENOTFOUND)
		return subs_bad_set(bad, 404, "not_found", "ไม่พบข้อมูลของรหัสเดิม (หรืออยู่นอกขอบเขตสิทธิ์)",
				    "no rows of the old ID (in your scope)");
	if (rc == NAWAT_EBUSY)
		return subs_bad_set(bad, 503, "busy", "ระบบกำลังบันทึกข้อมูลอื่น โปรดลองอีกครั้ง", "the store is busy, try again");
	if (rc)
		return subs_bad_set(bad, 500, "store", "ย้ายประวัติไม่สำเร็จ", "the relink failed");
	if (res->outside_scope)
		return subs_bad_set(bad, 403, "forbidden", "ย้ายประวัติไม่ได้: รหัสเดิมมีข้อมูลนอกขอบเขตสิทธิ์ของคุณ",
				    "cannot relink: the old ID has rows outside your scope");
	if (res->conflicts_total)
		return subs_bad_set(bad, 409, "conflict", "ย้ายประวัติไม่ได้: รหัสใหม่มีแถวที่คีย์เดียวกันแต่ค่าต่างกัน",
				    "cannot relink: the new ID has rows with the same keys and other values");
	return 0;
}

static json_t *conflicts_json(const struct relink_result *res)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < res->nconflicts; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "dataset", res->conflicts[i].ds->name, "key",
						     res->conflicts[i].key, "field", res->conflicts[i].field));
	return arr;
}

void api_relink(struct ctx *c)
{
	struct relink_result res;
	struct subs_bad bad;
	const char *body;
	json_t *in, *moved, *dry, *j;
	json_error_t je;
	char th[NW_ERR_MSG], en[NW_ERR_MSG];
	size_t i;
	int st;

	if (strcmp(c->rq->method, "POST")) {
		api_error(c, 405, "method_not_allowed", "ใช้ POST", "use POST");
		return;
	}
	body = http_body_text(c->rq, 4096);
	in = body ? json_loads(body, 0, &je) : NULL;
	if (!in || !json_is_object(in)) {
		json_decref(in);
		api_error(c, 400, "bad_request", "ส่ง JSON {\"old\": รหัสเดิม, \"new\": รหัสใหม่}",
			  "send JSON {\"old\": ID, \"new\": ID}");
		return;
	}
	dry = json_object_get(in, "dry_run");
	st = relink(c, json_string_value(json_object_get(in, "old")), json_string_value(json_object_get(in, "new")),
		    json_is_true(dry), &res, &bad);
	json_decref(in);
	if (st == 409) {
		api_json(c, 409, json_pack("{s:{s:s,s:s,s:s,s:o,s:I}}", "error", "code", bad.code, "message_th", bad.th,
					   "message_en", bad.en, "conflicts", conflicts_json(&res), "conflicts_total",
					   (json_int_t)res.conflicts_total));
		return;
	}
	if (st) {
		api_error(c, st, bad.code, bad.th, bad.en);
		return;
	}
	moved = json_object();
	for (i = 0; moved && i < res.nsets; i++) {
		const struct relink_set *s = &res.sets[i];

		json_object_set_new(moved, s->ds->name, json_pack("{s:I,s:I,s:o}", "rows", (json_int_t)s->moved, "merged",
								  (json_int_t)s->merged, "submission_id",
								  s->sub_id ? json_integer(s->sub_id) : json_null()));
	}
	store_relink_summary(&res, json_is_true(dry), th, sizeof th, en, sizeof en);
	j = json_pack("{s:b,s:b,s:o,s:s,s:s}", "dry_run", json_is_true(dry), "committed", res.committed, "moved", moved,
		      "message_th", th, "message_en", en);
	api_json(c, 200, j);
}

/* ---- the page ---- */

static void relink_form(struct ctx *c)
{
	html_f(PB(c), "<form class=\"stack\" method=\"post\" action=\"/students/relink\">\n");
	page_csrf(c);
	html_f(PB(c), "\n<p><label for=\"old\">รหัสเดิม <span lang=\"en\">Old ID</span></label>"
		      "<input id=\"old\" name=\"old\" required autocomplete=\"off\" maxlength=\"13\" "
		      "pattern=\"[0-9]{13}|G[0-9]{12}\" aria-describedby=\"old-hint\">"
		      "<span class=\"hint\" id=\"old-hint\">รหัส G หรือเลขประจำตัวที่บันทึกผิด "
		      "<span lang=\"en\">the G-code, or the mistyped ID</span></span></p>\n"
		      "<p><label for=\"new\">รหัสใหม่ <span lang=\"en\">New ID</span></label>"
		      "<input id=\"new\" name=\"new\" required autocomplete=\"off\" maxlength=\"13\" "
		      "pattern=\"[0-9]{13}|G[0-9]{12}\" aria-describedby=\"new-hint\">"
		      "<span class=\"hint\" id=\"new-hint\">เลขประจำตัวประชาชน 13 หลัก "
		      "<span lang=\"en\">the 13-digit citizen ID</span></span></p>\n"
		      "<p class=\"buttons\"><button type=\"submit\" name=\"action\" value=\"check\">ตรวจสอบก่อน (ไม่บันทึก) "
		      "<span lang=\"en\">Check first (writes nothing)</span></button> "
		      "<button type=\"submit\" name=\"action\" value=\"relink\">ย้ายประวัติ <span lang=\"en\">Relink</span></button></p>\n"
		      "</form>\n");
}

static void result(struct ctx *c, int st, const struct subs_bad *bad, const struct relink_result *res, int dry)
{
	char th[NW_ERR_MSG], en[NW_ERR_MSG];
	size_t i;

	if (st) {
		page_notice(c, "error", bad->th, bad->en);
		if (st != 409)
			return;
		html_f(PB(c), "<div class=\"table-wrap\"><table>\n<caption>แถวที่ขัดแย้ง <span lang=\"en\">Conflicting rows</span></caption>\n"
			      "<thead><tr><th scope=\"col\">ชุดข้อมูล <span lang=\"en\">Data set</span></th>"
			      "<th scope=\"col\">คีย์ (ไม่รวมเลขประจำตัว) <span lang=\"en\">Key (without the ID)</span></th>"
			      "<th scope=\"col\">ค่าที่ต่างกัน <span lang=\"en\">The value that differs</span></th></tr></thead>\n<tbody>\n");
		for (i = 0; i < res->nconflicts; i++)
			html_f(PB(c), "<tr><td>%s</td><td>%s</td><td><code>%s</code></td></tr>\n", res->conflicts[i].ds->name,
			       res->conflicts[i].key, res->conflicts[i].field);
		html_f(PB(c), "</tbody>\n</table></div>\n");
		if (res->conflicts_total > (int64_t)res->nconflicts)
			html_f(PB(c), "<p>และอีก %lld แถว <span lang=\"en\">and %lld more</span></p>\n",
			       (long long)(res->conflicts_total - (int64_t)res->nconflicts),
			       (long long)(res->conflicts_total - (int64_t)res->nconflicts));
		return;
	}
	store_relink_summary(res, dry, th, sizeof th, en, sizeof en);
	page_notice(c, dry ? "info" : "ok", th, en);
	if (!dry && res->sets[0].sub_id)
		html_f(PB(c), "<p><a href=\"/submissions/%lld\">การส่งข้อมูลครั้งที่ %lld <span lang=\"en\">submission %lld</span></a></p>\n",
		       (long long)res->sets[0].sub_id, (long long)res->sets[0].sub_id, (long long)res->sets[0].sub_id);
}

void page_relink(struct ctx *c)
{
	const struct std_dataset *students = std_dataset(c->app->pkg, "students");
	struct relink_result res;
	struct subs_bad bad;
	int st = 0, dry = 0, posted = !strcmp(c->rq->method, "POST");

	if (!students || !auth_can_write(&c->user, students)) {
		page_error(c, 403, "บทบาทของคุณย้ายประวัตินักเรียนไม่ได้", "your role cannot relink students");
		return;
	}
	if (posted) {
		const char *action = ctx_form(c, "action");

		dry = !action || strcmp(action, "relink");
		st = relink(c, ctx_form(c, "old"), ctx_form(c, "new"), dry, &res, &bad);
	}
	page_begin(c, "import", "ย้ายประวัตินักเรียนไปยังเลขประจำตัวใหม่", "Move a student's history to another ID");
	html_f(PB(c), "<p>เมื่อนักเรียนที่มีรหัส G ได้เลขประจำตัวประชาชน หรือบันทึกเลขประจำตัวผิด ประวัติทั้งหมด "
		      "(ข้อมูลนักเรียนทุกปีการศึกษาและผลการเรียนรู้) ย้ายไปยังรหัสใหม่ในครั้งเดียว ถ้ารหัสใหม่มีข้อมูลปีเดียวกันที่ค่าต่างกัน "
		      "ระบบจะไม่ย้ายและแสดงแถวที่ขัดแย้ง</p>\n"
		      "<p lang=\"en\">When a student with a G-code gets a citizen ID, or an ID was mistyped, the whole "
		      "history (the student's rows of every academic year and the results) moves to the new ID at once. "
		      "Rows of the new ID with the same keys and other values stop it, and are listed.</p>\n");
	if (posted)
		result(c, st, &bad, &res, dry);
	relink_form(c);
	page_end(c);
	if (posted && st)
		c->rs->status = st;
}
