/*
 * pages_admin.c - the central office's pages: users (list, add, disable or
 * enable, set a new password) and the audit log (the newest entries, and
 * whether the hash chain is intact).
 *
 * Routing lets only the central role in.  Every change goes through
 * auth_user_* with the signed-in user as the actor, so that it is in the
 * audit log; a successful POST redirects (303) to /users?done=..., so that
 * reloading the page does not repeat it.
 */
#include "page.h"

#include <stdlib.h>
#include <string.h>

#include "../store/audit.h"

#define AUDIT_SHOWN 100

/* ---- users ---- */

struct users {
	struct ctx *c;
	struct user *u;
	size_t n, cap;
};

static int collect(void *ctx, const struct user *u)
{
	struct users *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct user *n = arena_alloc(&l->c->rq->mem, cap * sizeof *n);

		if (!n)
			return NAWAT_ENOMEM;
		if (l->n)
			memcpy(n, l->u, l->n * sizeof *n);
		l->u = n;
		l->cap = cap;
	}
	l->u[l->n++] = *u;
	return 0;
}

/* What the add form showed, kept when it comes back with an error. */
struct add_state {
	const char *name, *role, *scope;
};

static void role_options(struct ctx *c, const char *selected)
{
	int r;

	for (r = 0; r < ROLE_COUNT; r++)
		html_f(PB(c), "<option value=\"%s\"%R>%s (%s)</option>\n", role_name((enum role)r),
		       selected && !strcmp(selected, role_name((enum role)r)) ? " selected" : "",
		       role_title_th((enum role)r), role_name((enum role)r));
}

static void scope_cell(struct ctx *c, const struct user *u)
{
	struct buf *b = PB(c);

	if (!u->scope[0]) {
		html_f(b, "<td>ทั้งประเทศ <span lang=\"en\">national</span></td>");
		return;
	}
	html_f(b, "<td><a href=\"%R", u->role == ROLE_SCHOOL || u->role == ROLE_TEACHER ? "/schools/" : "/areas/");
	html_url(b, u->scope);
	html_f(b, "\">%s</a></td>", u->scope);
}

static void users_page(struct ctx *c, const struct add_state *add, const char *pw_user,
		       const struct nw_err *failed)
{
	struct buf *b = PB(c);
	struct users l;
	struct nw_err e;
	size_t i;
	const char *done = http_query(c->rq, "done"), *who = http_query(c->rq, "user");

	memset(&l, 0, sizeof l);
	l.c = c;
	page_begin(c, "users", "ผู้ใช้", "Users");
	if (failed)
		page_notice(c, "error", failed->th, failed->en);
	else if (done && who) {
		if (!strcmp(done, "add"))
			page_notice(c, "ok", "เพิ่มผู้ใช้แล้ว", "the user was added");
		else if (!strcmp(done, "disable"))
			page_notice(c, "ok", "ระงับผู้ใช้แล้ว ผู้ใช้ถูกออกจากระบบทุกเครื่อง",
				    "the user was disabled and signed out everywhere");
		else if (!strcmp(done, "enable"))
			page_notice(c, "ok", "เปิดใช้ผู้ใช้แล้ว", "the user was enabled");
		else if (!strcmp(done, "passwd"))
			page_notice(c, "ok", "ตั้งรหัสผ่านใหม่แล้ว ผู้ใช้ต้องเข้าสู่ระบบใหม่",
				    "the password was set; the user must sign in again");
		html_f(b, "<p class=\"note\">ผู้ใช้ <span lang=\"en\">user</span>: <strong>%s</strong></p>\n", who);
	}
	err_clear(&e);
	if (auth_user_list(c->st, collect, &l, &e)) {
		page_notice(c, "error", e.th, e.en);
		page_end(c);
		c->rs->status = 500;
		return;
	}

	html_f(b, "<h2 id=\"list\">ผู้ใช้ทั้งหมด <span lang=\"en\">All users</span></h2>\n"
		  "<div class=\"table-wrap\"><table>\n<caption>ผู้ใช้ %s คน <span lang=\"en\">%s users</span></caption>\n"
		  "<thead><tr><th scope=\"col\">ชื่อผู้ใช้ <span lang=\"en\">User name</span></th>"
		  "<th scope=\"col\">บทบาท <span lang=\"en\">Role</span></th>"
		  "<th scope=\"col\">ขอบเขต <span lang=\"en\">Scope</span></th>"
		  "<th scope=\"col\">สถานะ <span lang=\"en\">Status</span></th>"
		  "<th scope=\"col\">ระงับ / เปิดใช้ <span lang=\"en\">Disable / enable</span></th></tr></thead>\n<tbody>\n",
	       page_num(c, (long long)l.n), page_num(c, (long long)l.n));
	for (i = 0; i < l.n; i++) {
		const struct user *u = &l.u[i];
		int self = !strcmp(u->name, c->user.name);

		html_f(b, "<tr><th scope=\"row\">%s</th><td>%s <span lang=\"en\">%s</span></td>", u->name,
		       role_title_th(u->role), role_name(u->role));
		scope_cell(c, u);
		html_f(b, "<td class=\"%s\">%s <span lang=\"en\">%s</span></td><td>", u->disabled ? "st-rejected" : "st-accepted",
		       u->disabled ? "ระงับ" : "ใช้งาน", u->disabled ? "disabled" : "active");
		if (self) {
			html_f(b, "บัญชีของคุณ <span lang=\"en\">your account</span>");
		} else {
			html_f(b, "<form class=\"inline\" method=\"post\" action=\"/users\">");
			page_csrf(c);
			html_f(b, "<input type=\"hidden\" name=\"action\" value=\"%s\"><input type=\"hidden\" name=\"name\" value=\"%s\">"
				  "<button type=\"submit\" class=\"%s\">%s <span class=\"visually-hidden\">%s</span> "
				  "<span lang=\"en\">%s</span></button></form>",
			       u->disabled ? "enable" : "disable", u->name, u->disabled ? "" : "danger",
			       u->disabled ? "เปิดใช้" : "ระงับ", u->name, u->disabled ? "Enable" : "Disable");
		}
		html_f(b, "</td></tr>\n");
	}
	html_f(b, "</tbody>\n</table></div>\n");

	/* add */
	html_f(b, "<h2 id=\"add\">เพิ่มผู้ใช้ <span lang=\"en\">Add a user</span></h2>\n"
		  "<form class=\"stack\" method=\"post\" action=\"/users\">");
	page_csrf(c);
	html_f(b, "<input type=\"hidden\" name=\"action\" value=\"add\">\n"
		  "<p><label for=\"add-name\">ชื่อผู้ใช้ <span lang=\"en\">User name</span></label>"
		  "<input id=\"add-name\" name=\"name\" required minlength=\"2\" maxlength=\"%d\" autocomplete=\"off\" "
		  "pattern=\"[a-z0-9._@\\-]+\" value=\"%s\" aria-describedby=\"add-name-hint\">"
		  "<span class=\"hint\" id=\"add-name-hint\">อักษรอังกฤษตัวเล็ก ตัวเลข . _ - @ "
		  "<span lang=\"en\">lower-case letters, digits, . _ - @</span></span></p>\n"
		  "<p><label for=\"add-role\">บทบาท <span lang=\"en\">Role</span></label><select id=\"add-role\" name=\"role\">\n",
	       AUTH_NAME_MAX, add && add->name ? add->name : "");
	role_options(c, add ? add->role : "school");
	html_f(b, "</select></p>\n"
		  "<p><label for=\"add-scope\">ขอบเขต <span lang=\"en\">Scope</span></label>"
		  "<input id=\"add-scope\" name=\"scope\" maxlength=\"%d\" inputmode=\"numeric\" value=\"%s\" aria-describedby=\"add-scope-hint\">"
		  "<span class=\"hint\" id=\"add-scope-hint\">รหัสพื้นที่ 2 หลัก (พื้นที่ นักวิจัยระดับพื้นที่) หรือรหัสสถานศึกษา 10 หลัก "
		  "(สถานศึกษา ครู) เว้นว่างสำหรับส่วนกลางและนักวิจัยระดับประเทศ "
		  "<span lang=\"en\">a 2-digit area code (area, area researcher) or a 10-digit school code (school, "
		  "teacher); empty for central and national researchers</span></span></p>\n"
		  "<p><label for=\"add-pw\">รหัสผ่าน <span lang=\"en\">Password</span></label>"
		  "<input id=\"add-pw\" name=\"password\" type=\"password\" required minlength=\"%d\" autocomplete=\"new-password\" "
		  "aria-describedby=\"pw-hint\"><span class=\"hint\" id=\"pw-hint\">อย่างน้อย %d ตัวอักษร "
		  "<span lang=\"en\">at least %d characters</span></span></p>\n"
		  "<p><label for=\"add-pw2\">ยืนยันรหัสผ่าน <span lang=\"en\">Password again</span></label>"
		  "<input id=\"add-pw2\" name=\"password2\" type=\"password\" required minlength=\"%d\" autocomplete=\"new-password\"></p>\n"
		  "<p><button type=\"submit\">เพิ่มผู้ใช้ <span lang=\"en\">Add the user</span></button></p>\n</form>\n",
	       AUTH_SCOPE_MAX, add && add->scope ? add->scope : "", AUTH_PASSWORD_MIN, AUTH_PASSWORD_MIN,
	       AUTH_PASSWORD_MIN, AUTH_PASSWORD_MIN);

	/* password */
	html_f(b, "<h2 id=\"password\">ตั้งรหัสผ่านใหม่ <span lang=\"en\">Set a new password</span></h2>\n"
		  "<form class=\"stack\" method=\"post\" action=\"/users\">");
	page_csrf(c);
	html_f(b, "<input type=\"hidden\" name=\"action\" value=\"passwd\">\n"
		  "<p><label for=\"pw-user\">ผู้ใช้ <span lang=\"en\">User</span></label><select id=\"pw-user\" name=\"name\">\n");
	for (i = 0; i < l.n; i++)
		html_f(b, "<option value=\"%s\"%R>%s</option>\n", l.u[i].name,
		       pw_user && !strcmp(pw_user, l.u[i].name) ? " selected" : "", l.u[i].name);
	html_f(b, "</select></p>\n"
		  "<p><label for=\"pw-new\">รหัสผ่านใหม่ <span lang=\"en\">New password</span></label>"
		  "<input id=\"pw-new\" name=\"password\" type=\"password\" required minlength=\"%d\" autocomplete=\"new-password\" "
		  "aria-describedby=\"pw-hint\"></p>\n"
		  "<p><label for=\"pw-new2\">ยืนยันรหัสผ่านใหม่ <span lang=\"en\">New password again</span></label>"
		  "<input id=\"pw-new2\" name=\"password2\" type=\"password\" required minlength=\"%d\" autocomplete=\"new-password\"></p>\n"
		  "<p><button type=\"submit\">ตั้งรหัสผ่านใหม่ <span lang=\"en\">Set the password</span></button></p>\n</form>\n",
	       AUTH_PASSWORD_MIN, AUTH_PASSWORD_MIN);
	page_end(c);
}

/* A failed change: the page again, with the reason first. */
static void users_error(struct ctx *c, const struct nw_err *e, const struct add_state *add, const char *pw_user)
{
	int bad_request = !e->code || e->code == NAWAT_EINVAL || e->code == NAWAT_EEXIST ||
			  e->code == NAWAT_ENOTFOUND || e->code == NAWAT_EDENIED;

	users_page(c, add, pw_user, e);
	c->rs->status = bad_request ? 400 : 500;
}

static void users_post(struct ctx *c)
{
	const char *action = ctx_form(c, "action"), *name = ctx_form(c, "name");
	const char *pw = ctx_form(c, "password"), *pw2 = ctx_form(c, "password2");
	struct add_state add;
	struct nw_err e;
	struct buf loc;
	enum role role;
	int rc;

	memset(&add, 0, sizeof add);
	err_clear(&e);
	if (!action || !name || !*name) {
		err_msg(&e, NAWAT_EINVAL, "คำขอไม่ครบ: ต้องมีการกระทำและชื่อผู้ใช้", "incomplete request: an action and a user name are needed");
		users_error(c, &e, NULL, NULL);
		return;
	}
	if (!strcmp(action, "add")) {
		add.name = name;
		add.role = ctx_form(c, "role");
		add.scope = ctx_form(c, "scope");
		if (!add.role || role_parse(add.role, &role))
			rc = err_msg(&e, NAWAT_EINVAL, "เลือกบทบาท", "choose a role");
		else if (!pw || !pw2 || strcmp(pw, pw2))
			rc = err_msg(&e, NAWAT_EINVAL, "รหัสผ่านทั้งสองช่องไม่ตรงกัน", "the two passwords differ");
		else
			rc = auth_user_add(c->st, name, role, add.scope, pw, c->user.name, &e);
		if (rc) {
			users_error(c, &e, &add, NULL);
			return;
		}
	} else if (!strcmp(action, "disable") || !strcmp(action, "enable")) {
		int off = !strcmp(action, "disable");

		if (off && !strcmp(name, c->user.name))
			rc = err_msg(&e, NAWAT_EINVAL, "ระงับบัญชีของตนเองไม่ได้", "you cannot disable your own account");
		else
			rc = auth_user_disable(c->st, name, off, c->user.name, &e);
		if (rc) {
			users_error(c, &e, NULL, NULL);
			return;
		}
	} else if (!strcmp(action, "passwd")) {
		if (!pw || !pw2 || strcmp(pw, pw2))
			rc = err_msg(&e, NAWAT_EINVAL, "รหัสผ่านทั้งสองช่องไม่ตรงกัน", "the two passwords differ");
		else
			rc = auth_user_passwd(c->st, name, pw, c->user.name, &e);
		if (rc) {
			users_error(c, &e, NULL, name);
			return;
		}
	} else {
		err_msg(&e, NAWAT_EINVAL, "ไม่รู้จักการกระทำนี้", "unknown action");
		users_error(c, &e, NULL, NULL);
		return;
	}
	buf_init(&loc, 4096);
	buf_puts(&loc, "/users?done=");
	buf_puts(&loc, action);
	buf_puts(&loc, "&user=");
	html_url(&loc, name);
	ctx_redirect(c, buf_str(&loc));
	buf_release(&loc);
}

void page_users(struct ctx *c)
{
	if (!strcmp(c->rq->method, "POST"))
		users_post(c);
	else
		users_page(c, NULL, NULL, NULL);
}

/* ---- the audit log ---- */

static const struct {
	const char *action, *th;
} actions[] = {
	{ "import", "นำเข้าข้อมูล" },
	{ "import-rejected", "นำเข้าไม่สำเร็จ (ไม่บันทึก)" },
	{ "user-add", "เพิ่มผู้ใช้" },
	{ "user-disable", "ระงับผู้ใช้" },
	{ "user-enable", "เปิดใช้ผู้ใช้" },
	{ "user-password", "ตั้งรหัสผ่านใหม่" },
	{ "token-create", "สร้างโทเค็น API" },
	{ "token-revoke", "ยกเลิกโทเค็น API" },
};

struct audit_rows {
	struct ctx *c;
	int64_t n, last_id;
};

static int audit_row(void *ctx, const struct audit_entry *e)
{
	struct audit_rows *r = ctx;
	struct ctx *c = r->c;
	const struct std_dataset *ds = e->dataset ? std_dataset(c->app->pkg, e->dataset) : NULL;
	const char *th = NULL;
	size_t i;

	for (i = 0; i < sizeof actions / sizeof actions[0] && !th; i++)
		if (e->action && !strcmp(e->action, actions[i].action))
			th = actions[i].th;
	if (!r->n++)
		html_f(PB(c), "<div class=\"table-wrap\"><table class=\"audit\">\n<caption>บันทึกล่าสุดก่อน "
			      "<span lang=\"en\">Newest first</span></caption>\n<thead><tr>"
			      "<th scope=\"col\" class=\"num\">ลำดับ <span lang=\"en\">No.</span></th>"
			      "<th scope=\"col\">เวลา <span lang=\"en\">Time</span></th>"
			      "<th scope=\"col\">ผู้ใช้ <span lang=\"en\">User</span></th>"
			      "<th scope=\"col\">การกระทำ <span lang=\"en\">Action</span></th>"
			      "<th scope=\"col\">ชุดข้อมูล <span lang=\"en\">Data set</span></th>"
			      "<th scope=\"col\">รายการ <span lang=\"en\">Item</span></th>"
			      "<th scope=\"col\">รายละเอียด <span lang=\"en\">Detail</span></th></tr></thead>\n<tbody>\n");
	html_f(PB(c), "<tr id=\"a-%lld\"><th scope=\"row\" class=\"num\">%lld</th><td>%s</td><td>%s</td>"
		      "<td>%s <span lang=\"en\">%s</span></td><td>%s</td><td>%s</td><td class=\"detail\">%s</td></tr>\n",
	       (long long)e->id, (long long)e->id, page_time(c, e->at), e->user_name, th ? th : "",
	       e->action, ds ? ds->title_th : e->dataset ? e->dataset : "", e->item ? e->item : "",
	       e->detail ? e->detail : "");
	r->last_id = e->id;
	return 0;
}

void page_audit(struct ctx *c)
{
	struct buf *b = PB(c);
	struct audit_rows r;
	const char *before = http_query(c->rq, "before");
	char *end;
	int64_t checked = 0, bad = 0, from = 0;
	int rc;

	page_begin(c, "audit", "บันทึกการตรวจสอบ", "Audit log");
	html_f(b, "<p>ทุกการเปลี่ยนแปลง (นำเข้าข้อมูล ผู้ใช้ โทเค็น) ถูกบันทึกต่อท้ายเท่านั้น แต่ละรายการมีค่าแฮชที่ผูกกับรายการก่อนหน้า "
		  "การแก้หรือลบรายการใดจะทำให้การตรวจสอบด้านล่างพบทันที "
		  "<span lang=\"en\">Every change (imports, users, tokens) is appended, never edited; each entry's hash "
		  "covers the one before, so changing or removing any entry shows in the check below.</span></p>\n");
	rc = audit_verify(c->st, &checked, &bad);
	if (rc == 0) {
		char th[160], en[160];

		snprintf(th, sizeof th, "บันทึกครบถ้วน ตรวจแล้ว %lld รายการ", (long long)checked);
		snprintf(en, sizeof en, "intact: %lld entries checked", (long long)checked);
		page_notice(c, "ok", th, en);
	} else if (rc == NAWAT_EDATA) {
		page_notice(c, "error", c->st->err.th, c->st->err.en);
		html_f(b, "<p>รายการแรกที่ไม่ตรง <span lang=\"en\">first broken entry</span>: "
			  "<a href=\"/audit?before=%lld#a-%lld\">ลำดับที่ %lld <span lang=\"en\">entry %lld</span></a></p>\n",
		       (long long)bad + 1, (long long)bad, (long long)bad, (long long)bad);
	} else {
		page_notice(c, "error", "ตรวจสอบบันทึกไม่สำเร็จ", "cannot check the audit log");
	}
	if (before) {
		from = strtoll(before, &end, 10);
		if (*end || from < 1)
			from = 0;
	}
	if (from)
		html_f(b, "<h2>รายการก่อนลำดับที่ %lld (ไม่เกิน %d รายการ) <span lang=\"en\">Entries before no. %lld "
			  "(up to %d)</span></h2>\n",
		       (long long)from, AUDIT_SHOWN, (long long)from, AUDIT_SHOWN);
	else
		html_f(b, "<h2>รายการล่าสุด (ไม่เกิน %d รายการ) <span lang=\"en\">The newest entries (up to %d)</span></h2>\n",
		       AUDIT_SHOWN, AUDIT_SHOWN);
	memset(&r, 0, sizeof r);
	r.c = c;
	rc = audit_list(c->st, AUDIT_SHOWN, from, audit_row, &r);
	if (r.n)
		html_f(b, "</tbody>\n</table></div>\n");
	else
		html_f(b, "<p>ไม่มีรายการ <span lang=\"en\">No entries.</span></p>\n");
	if (rc)
		page_notice(c, "error", "อ่านบันทึกไม่ครบ", "cannot read all the entries");
	html_f(b, "<p class=\"pager-links\">");
	if (from)
		html_f(b, "<a href=\"/audit\">รายการล่าสุด <span lang=\"en\">Newest entries</span></a> ");
	if (r.n == AUDIT_SHOWN && r.last_id > 1)
		html_f(b, "<a href=\"/audit?before=%lld\">รายการเก่ากว่า <span lang=\"en\">Older entries</span></a>",
		       (long long)r.last_id);
	html_f(b, "</p>\n");
	page_end(c);
}
