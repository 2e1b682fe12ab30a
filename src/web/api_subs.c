/*
 * api_subs.c - the submissions API (see subs.h): lists filtered by school,
 * area, data set and date, one submission with its counts per school, its
 * validation report.  Who sees what is domain/submissions.h's.
 */
#include "subs.h"

#include <stdlib.h>
#include <string.h>

#include "../base/date.h"
#include "../domain/submissions.h"
#include "../exchange/csvout.h"
#include "../exchange/import.h"

static int digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return i == n;
}

/* Whether a row of ds with field = code is in the caller's scope. */
static int in_scope(struct ctx *c, const char *dsname, const char *field, const char *code)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, dsname);
	struct store_query q = ctx_query(c);
	struct store_filter f;
	int64_t n = 0;
	int fi = ds ? std_field_index(ds, field, strlen(field)) : -1;

	if (fi < 0)
		return 0;
	memset(&f, 0, sizeof f);
	f.field = fi;
	f.value.state = VAL_SET;
	f.value.s = code;
	f.value.n = strlen(code);
	q.filters = &f;
	q.nfilters = 1;
	return store_count(c->st, ds, &q, &n) == 0 && n > 0;
}

int subs_check_school(struct ctx *c, const char *code)
{
	if (!digits(code, 10))
		return 400;
	return in_scope(c, "schools", "school_code", code) ? 0 : 404;
}

int subs_check_area(struct ctx *c, const char *code)
{
	if (!digits(code, 2))
		return 400;
	return in_scope(c, "areas", "area_code", code) ? 0 : 404;
}

static json_t *counts_json(json_t *o, const struct subs_counts *k)
{
	json_object_set_new(o, "inserted", json_integer(k->inserted));
	json_object_set_new(o, "updated", json_integer(k->updated));
	json_object_set_new(o, "unchanged", json_integer(k->unchanged));
	json_object_set_new(o, "rejected", json_integer(k->rejected));
	json_object_set_new(o, "deleted", json_integer(k->deleted));
	return o;
}

static json_t *sub_json(const struct subs_row *r)
{
	char url[96], rep[96];
	json_t *o;

	snprintf(url, sizeof url, "/api/v1/submissions/%lld", (long long)r->id);
	snprintf(rep, sizeof rep, "/api/v1/submissions/%lld/report.csv", (long long)r->id);
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s*}", "id", (json_int_t)r->id, "created_at",
		      r->created_at ? r->created_at : "", "user", r->user ? r->user : "", "dataset",
		      r->dataset ? r->dataset : "", "file", r->file ? r->file : "", "kind", r->kind ? r->kind : "",
		      "status", r->status ? r->status : "", "format", r->format);
	if (!o)
		return NULL;
	counts_json(o, &r->counts);
	json_object_set_new(o, "errors", json_integer(r->errors));
	json_object_set_new(o, "warnings", json_integer(r->warnings));
	json_object_set_new(o, "schools", json_integer(r->schools));
	json_object_set_new(o, "whole", json_boolean(r->whole));
	json_object_set_new(o, "url", json_string(url));
	json_object_set_new(o, "report", r->whole ? json_string(rep) : json_null());
	return o;
}

static int add_sub(void *ctx, const struct subs_row *r)
{
	json_t *o = sub_json(r);

	return o && !json_array_append_new(ctx, o) ? 0 : NAWAT_ENOMEM;
}

int subs_parse_filter(struct ctx *c, struct subs_filter *f, struct subs_bad *bad)
{
	const char *dataset = http_query(c->rq, "dataset"), *from = http_query(c->rq, "from");
	const char *to = http_query(c->rq, "to"), *lim = http_query(c->rq, "limit");
	const char *cur = http_query(c->rq, "cursor");
	enum date_form form;
	char *end;
	int st;

	memset(f, 0, sizeof *f);
	f->limit = 20;
	if ((st = subs_scope_args(c, &f->area, &f->school, bad)))
		return st;
	if (dataset && *dataset) {
		if (!std_dataset(c->app->pkg, dataset))
			return subs_bad_set(bad, 400, "bad_request", "ไม่มีชุดข้อมูลนี้", "no such data set");
		f->dataset = dataset;
	}
	if ((from && *from && (date_parse(from, strlen(from), &f->from, &form) != DATE_OK || form != DATE_ISO)) ||
	    (to && *to && (date_parse(to, strlen(to), &f->to, &form) != DATE_OK || form != DATE_ISO)))
		return subs_bad_set(bad, 400, "bad_request", "from และ to ต้องเป็นวันที่ YYYY-MM-DD",
				    "from and to must be dates YYYY-MM-DD");
	if (lim && *lim) {
		f->limit = strtoll(lim, &end, 10);
		if (*end || f->limit < 1 || f->limit > SUBS_LIMIT_MAX)
			return subs_bad_set(bad, 400, "bad_limit", "limit ต้องเป็น 1 ถึง 200", "limit must be 1 to 200");
	}
	if (cur && *cur) {
		f->before = strtoll(cur, &end, 10);
		if (*end || f->before < 1)
			return subs_bad_set(bad, 400, "bad_cursor", "cursor ไม่ถูกต้อง", "bad cursor");
	}
	return 0;
}

int subs_scope_args(struct ctx *c, const char **area, const char **school, struct subs_bad *bad)
{
	const char *s = http_query(c->rq, "school"), *a = http_query(c->rq, "area");
	int st;

	*area = *school = NULL;
	if (s && *s) {
		if ((st = subs_check_school(c, s)))
			return subs_bad_set(bad, st, st == 400 ? "bad_request" : "not_found",
					    st == 400 ? "school ต้องเป็นรหัสสถานศึกษา 10 หลัก"
						      : "ไม่พบสถานศึกษานี้ในขอบเขตสิทธิ์ของคุณ",
					    st == 400 ? "school must be a 10-digit school code" : "no such school in your scope");
		*school = s;
	}
	if (a && *a) {
		if ((st = subs_check_area(c, a)))
			return subs_bad_set(bad, st, st == 400 ? "bad_request" : "not_found",
					    st == 400 ? "area ต้องเป็นรหัสพื้นที่ 2 หลัก" : "ไม่พบพื้นที่นี้ในขอบเขตสิทธิ์ของคุณ",
					    st == 400 ? "area must be a 2-digit area code" : "no such area in your scope");
		*area = a;
	}
	return 0;
}

int subs_bad_set(struct subs_bad *bad, int status, const char *code, const char *th, const char *en)
{
	bad->status = status;
	bad->code = code;
	bad->th = th;
	bad->en = en;
	return status;
}

struct last {
	json_t *arr;
	int64_t id;
};

static int add_sub_last(void *ctx, const struct subs_row *r)
{
	struct last *l = ctx;

	l->id = r->id;
	return add_sub(l->arr, r);
}

static void list(struct ctx *c)
{
	struct subs_filter f;
	struct subs_bad bad;
	struct last l = { NULL, 0 };
	char next[32];
	int more = 0, rc;

	if (subs_parse_filter(c, &f, &bad)) {
		api_error(c, bad.status, bad.code, bad.th, bad.en);
		return;
	}
	l.arr = json_array();
	if (!l.arr) {
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	if ((rc = subs_list(c->st, &c->user, &f, add_sub_last, &l, &more))) {
		json_decref(l.arr);
		api_error(c, 500, "store", "อ่านรายการนำเข้าไม่สำเร็จ", "cannot read the submissions");
		return;
	}
	snprintf(next, sizeof next, "%lld", (long long)l.id);
	api_json(c, 200, json_pack("{s:o,s:s*}", "submissions", l.arr, "next_cursor", more ? next : NULL));
}

static int add_school(void *ctx, const struct subs_school *s)
{
	json_t *o = json_pack("{s:s?,s:s?,s:o,s:o}", "school_code", s->school_code, "area_code", s->area_code,
			      "academic_year", s->academic_year >= 0 ? json_integer(s->academic_year) : json_null(),
			      "term", s->term >= 0 ? json_integer(s->term) : json_null());

	return o && counts_json(o, &s->counts) && !json_array_append_new(ctx, o) ? 0 : NAWAT_ENOMEM;
}

static void one(struct ctx *c, int64_t id)
{
	struct subs_row r;
	json_t *schools = json_array(), *o;
	int rc;

	if (!schools) {
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	rc = subs_get(c->st, &c->user, id, &c->rq->mem, &r, add_school, schools);
	if (rc <= 0) {
		json_decref(schools);
		if (rc < 0)
			api_error(c, 500, "store", "อ่านข้อมูลการนำเข้าไม่สำเร็จ", "cannot read the submission");
		else
			api_error(c, 404, "not_found", "ไม่พบการนำเข้านี้ (หรืออยู่นอกขอบเขตสิทธิ์)",
				  "no such submission (or outside your scope)");
		return;
	}
	o = sub_json(&r);
	if (o) {
		json_object_set_new(o, "sha256", json_string(r.sha256 ? r.sha256 : ""));
		json_object_set_new(o, "encoding", json_string(r.encoding ? r.encoding : ""));
		json_object_set_new(o, "per_school", schools);
	} else {
		json_decref(schools);
	}
	api_json(c, 200, o);
}

static void report(struct ctx *c, int64_t id)
{
	const struct std_dataset *d;
	struct store_stmt *s;
	struct subs_row r;
	struct csvw w;
	char *bufp = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	rc = subs_get(c->st, &c->user, id, &c->rq->mem, &r, NULL, NULL);
	if (rc < 0) {
		api_error(c, 500, "store", "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
		return;
	}
	/* the report shows rows of every school of the file: only for who sees it whole */
	if (rc == 0 || !r.whole) {
		api_error(c, 404, "not_found", "ไม่พบการนำเข้านี้", "no such submission");
		return;
	}
	d = std_dataset(c->app->pkg, r.dataset);
	fp = open_memstream(&bufp, &len);
	if (!fp || store_prepare(c->st, "SELECT row_no, column_name, value, code, severity FROM submission_issues "
					"WHERE sub_id = ? ORDER BY row_no", &s)) {
		if (fp)
			fclose(fp);
		free(bufp);
		api_error(c, 500, "store", "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
		return;
	}
	csvw_init(&w, fp, 0);
	imp_report_header(fp);
	store_bind_int(s, 1, id);
	while ((rc = store_step(s)) == 1) {
		struct val_issue is = { -1, VC_NONE, 0 };
		const char *code = store_col_text(s, 3, NULL), *col = store_col_text(s, 1, NULL);
		const char *val = store_col_text(s, 2, NULL);
		char th[NW_ERR_MSG] = "", en[NW_ERR_MSG] = "";
		int k;

		for (k = VC_REQUIRED; k < VC_COUNT; k++)
			if (code && !strcmp(val_code_name((enum val_code)k), code)) {
				is.code = (enum val_code)k;
				break;
			}
		is.field = d && col ? std_field_index(d, col, strlen(col)) : -1;
		is.warning = !strcmp(store_col_text(s, 4, NULL) ?: "", "warning");
		if (d)
			val_message(d, &is, val, val ? strlen(val) : 0, th, sizeof th, en, sizeof en);
		csvw_str(&w, r.file);
		csvw_int(&w, store_col_int(s, 0));
		csvw_str(&w, col);
		csvw_str(&w, val);
		csvw_str(&w, code);
		csvw_str(&w, store_col_text(s, 4, NULL));
		csvw_str(&w, th);
		csvw_str(&w, en);
		csvw_end(&w);
	}
	store_finalize(s);
	fclose(fp);
	if (rc < 0) {
		free(bufp);
		api_error(c, 500, "store", "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
		return;
	}
	c->rs->status = 200;
	c->rs->content_type = "text/csv; charset=utf-8";
	http_resp_header(c->rs, "Content-Disposition", "attachment; filename=\"nawat-report.csv\"");
	buf_append(&c->rs->body, bufp ? bufp : "", len);
	free(bufp);
}

void api_submissions(struct ctx *c, const char *rest)
{
	long long id;
	char *end = NULL;

	if (strcmp(c->rq->method, "GET")) {
		api_error(c, 405, "method_not_allowed", "ใช้ GET", "use GET");
		return;
	}
	if (!*rest) {
		list(c);
		return;
	}
	id = *rest == '/' ? strtoll(rest + 1, &end, 10) : 0;
	if (id <= 0 || (*end && strcmp(end, "/report.csv"))) {
		api_error(c, 404, "not_found", "ไม่พบ", "not found");
		return;
	}
	if (*end)
		report(c, id);
	else
		one(c, id);
}
