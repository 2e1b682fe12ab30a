/* page.c - the shared page frame, the sign-in page and page routing (see page.h). */
#include "page.h"

#include <stdio.h>
#include <string.h>

#include "../base/date.h"
#include "../base/embed.h"
#include "eqweb.h"
#include "gov.h"
#include "subs.h"

static const struct {
	const char *id, *href, *th, *en;
	int central_only;
} nav[] = {
	{ "home", "/", "หน้าแรก", "Home", 0 },
	{ "areas", "/areas", "พื้นที่นวัตกรรม", "Areas", 0 },
	{ "schools", "/schools", "สถานศึกษา", "Schools", 0 },
	{ "equity", "/equity", "ผลสัมฤทธิ์", "Outcomes", 0 },
	{ "import", "/import", "นำเข้าข้อมูล", "Import", 0 },
	{ "submissions", "/submissions", "การส่งข้อมูล", "Submissions", 0 },
	{ "governance", "/governance", "คณะกรรมการและแผน", "Governance", 0 },
	{ "pilots", "/pilots", "สถานศึกษานำร่อง", "Pilot schools", 0 },
	{ "partners", "/partners", "ภาคีเครือข่าย", "Partners", 0 },
	{ "standard", "/standard", "มาตรฐานข้อมูล", "Data standard", 0 },
	{ "users", "/users", "ผู้ใช้", "Users", 1 },
	{ "audit", "/audit", "บันทึกการตรวจสอบ", "Audit log", 1 },
};

void page_begin(struct ctx *c, const char *active, const char *title_th, const char *title_en)
{
	struct buf *b = PB(c);
	size_t i;

	c->rs->status = 200;
	c->rs->content_type = "text/html; charset=utf-8";
	http_resp_header(c->rs, "Content-Security-Policy",
			 "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
			 "form-action 'self'; frame-ancestors 'none'");
	http_resp_header(c->rs, "Cache-Control", "no-store");
	html_f(b, "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<title>%s · %s — nawat</title>\n"
		  "<link rel=\"stylesheet\" href=\"/static/nawat.css\">\n"
		  "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n</head>\n<body>\n"
		  "<a class=\"skip\" href=\"#main\">ข้ามไปยังเนื้อหา <span lang=\"en\">Skip to content</span></a>\n"
		  "<header class=\"top\">\n<div class=\"brand\"><a href=\"/\">nawat</a>"
		  "<span>ระบบสารสนเทศพื้นที่นวัตกรรมการศึกษา <span lang=\"en\">Education Sandbox information system</span></span></div>\n",
	       title_th, title_en);
	if (c->signed_in) {
		html_f(b, "<nav aria-label=\"เมนูหลัก / main menu\"><ul>\n");
		for (i = 0; i < sizeof nav / sizeof nav[0]; i++) {
			if (nav[i].central_only && !auth_is_central(&c->user))
				continue;
			html_f(b, "<li><a href=\"%s\"%R>%s <span lang=\"en\">%s</span></a></li>\n", nav[i].href,
			       active && !strcmp(active, nav[i].id) ? " aria-current=\"page\"" : "", nav[i].th,
			       nav[i].en);
		}
		html_f(b, "</ul></nav>\n<form class=\"who\" method=\"post\" action=\"/logout\">"
			  "<span>%s · %s%s%s</span>",
		       c->user.name, role_title_th(c->user.role), c->user.scope[0] ? " " : "", c->user.scope);
		page_csrf(c);
		html_f(b, "<button type=\"submit\">ออกจากระบบ <span lang=\"en\">Sign out</span></button></form>\n");
	}
	html_f(b, "</header>\n<main id=\"main\">\n<h1>%s <span lang=\"en\">%s</span></h1>\n", title_th, title_en);
}

void page_end(struct ctx *c)
{
	html_f(PB(c), "</main>\n<footer><p>nawat · มาตรฐานข้อมูลตามมาตรา 15(6) แห่งพระราชบัญญัติพื้นที่นวัตกรรมการศึกษา พ.ศ. 2562"
		      " <span lang=\"en\">data standard of s.15(6) of the Education Sandbox Act B.E. 2562</span></p>"
		      "</footer>\n</body>\n</html>\n");
}

void page_notice(struct ctx *c, const char *kind, const char *th, const char *en)
{
	html_f(PB(c), "<div class=\"notice %s\" role=\"%s\"><p>%s</p><p lang=\"en\">%s</p></div>\n", kind,
	       !strcmp(kind, "error") ? "alert" : "status", th, en);
}

void page_error(struct ctx *c, int status, const char *th, const char *en)
{
	buf_reset(PB(c));
	page_begin(c, NULL, "เกิดข้อผิดพลาด", "Error");
	page_notice(c, "error", th, en);
	html_f(PB(c), "<p><a href=\"/\">กลับหน้าแรก <span lang=\"en\">Back home</span></a></p>\n");
	page_end(c);
	c->rs->status = status;
}

void page_csrf(struct ctx *c)
{
	html_f(PB(c), "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">", c->csrf);
}

const char *page_date(struct ctx *c, const char *iso)
{
	struct date d;
	enum date_form form;
	char *out;

	if (!iso)
		return "";
	if (date_parse(iso, strlen(iso) >= 10 ? 10 : strlen(iso), &d, &form) != DATE_OK)
		return iso;
	out = arena_alloc(&c->rq->mem, 64);
	if (!out)
		return iso;
	return date_thai(d, 0, out, 64);
}

const char *page_num(struct ctx *c, long long n)
{
	char digits[32], *out;
	int len, i, j = 0, neg = n < 0;

	len = snprintf(digits, sizeof digits, "%lld", neg ? -n : n);
	out = arena_alloc(&c->rq->mem, 48);
	if (!out)
		return "";
	if (neg)
		out[j++] = '-';
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[i];
	}
	out[j] = '\0';
	return out;
}

const char *page_label(const struct std_package *pkg, const char *codelist, const char *code)
{
	const struct std_codelist *cl = std_codelist(pkg, codelist);
	const struct std_code *k = cl && code ? std_code_find(cl, code, strlen(code)) : NULL;

	return k ? k->label_th : "";
}

/* ---- sign-in ---- */

void page_login(struct ctx *c, const char *message_th, const char *message_en, int status)
{
	struct buf *b = PB(c);

	buf_reset(b);
	page_begin(c, NULL, "เข้าสู่ระบบ", "Sign in");
	if (message_th)
		page_notice(c, "error", message_th, message_en);
	html_f(b, "<form class=\"login\" method=\"post\" action=\"/login\">\n");
	page_csrf(c);
	html_f(b, "\n<p><label for=\"user\">ชื่อผู้ใช้ <span lang=\"en\">User name</span></label>\n"
		  "<input id=\"user\" name=\"user\" autocomplete=\"username\" required autofocus></p>\n"
		  "<p><label for=\"password\">รหัสผ่าน <span lang=\"en\">Password</span></label>\n"
		  "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\n"
		  "<p><button type=\"submit\">เข้าสู่ระบบ <span lang=\"en\">Sign in</span></button></p>\n"
		  "</form>\n");
	page_end(c);
	c->rs->status = status;
}

/* ---- static files ---- */

int static_route(struct ctx *c)
{
	const struct embed_file *f;
	const char *name = c->rq->path + 8, *dot;
	char path[256];

	if (strstr(name, ".."))
		return 0;
	snprintf(path, sizeof path, "static/%s", name);
	f = embed_find(path);
	if (!f)
		return 0;
	dot = strrchr(name, '.');
	c->rs->status = 200;
	c->rs->content_type = dot && !strcmp(dot, ".css") ? "text/css; charset=utf-8"
			      : dot && !strcmp(dot, ".svg") ? "image/svg+xml"
			      : dot && !strcmp(dot, ".js") ? "text/javascript; charset=utf-8"
							   : "application/octet-stream";
	http_resp_header(c->rs, "Cache-Control", "public, max-age=3600");
	buf_append(PB(c), f->data, f->len);
	return 1;
}

/* ---- routing of pages ---- */

static int is(const char *path, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n))
		return 0;
	*rest = path + n;
	return 1;
}

int pages_route(struct ctx *c)
{
	const char *p = c->rq->path, *rest;
	int get = !strcmp(c->rq->method, "GET"), post = !strcmp(c->rq->method, "POST");

	if (!strcmp(p, "/") && get)
		page_home(c);
	else if (!strcmp(p, "/areas") && get)
		page_areas(c);
	else if (is(p, "/areas/", &rest) && *rest && !strchr(rest, '/') && get)
		page_area(c, rest);
	else if (!strcmp(p, "/schools") && get)
		page_schools(c);
	else if (is(p, "/schools/", &rest) && *rest && !strchr(rest, '/') && get)
		page_school(c, rest);
	else if (!strcmp(p, "/import") && (get || post))
		page_import(c);
	else if (!strcmp(p, "/standard") && get)
		page_standard(c);
	else if (is(p, "/standard/", &rest) && *rest && get)
		page_standard_file(c, rest);
	else if (!strcmp(p, "/users") && (get || post)) {
		if (!auth_is_central(&c->user))
			page_error(c, 403, "หน้านี้สำหรับสำนักงานส่วนกลางเท่านั้น", "only the central office sees this page");
		else
			page_users(c);
	} else if (!strcmp(p, "/audit") && get) {
		if (!auth_is_central(&c->user))
			page_error(c, 403, "หน้านี้สำหรับสำนักงานส่วนกลางเท่านั้น", "only the central office sees this page");
		else
			page_audit(c);
	} else if (subs_route(c) || eqweb_route(c))
		return 1;
	else
		return gov_route(c);
	return 1;
}
