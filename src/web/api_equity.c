/*
 * api_equity.c - GET /api/v1/equity and /api/v1/equity/trend (see eqweb.h),
 * and the one scope check of equity answers (eqweb_query).
 *
 *   GET /api/v1/equity?scope=national|area:CODE|province:CODE|school:CODE
 *       &academic_year=YYYY&term=0|1|2&instrument=CODE[&pilot=Y|N][&cohort=N][&view=public]
 *   GET /api/v1/equity/trend?scope=...&term=...&instrument=...[&pilot=][&cohort=][&view=public]
 *
 * Missing academic_year, term and instrument take the latest year, its
 * latest term and the instrument with most results.
 */
#include "eqweb.h"

#include <stdlib.h>
#include <string.h>

#include "../standard/std.h"

static int parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Whether the caller may read school `code` (its scoped query finds it). */
static int school_visible(struct ctx *c, const char *code)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, "schools");
	struct store_query q = ctx_query(c);
	struct store_filter f;
	int64_t n = 0;

	if (!ds)
		return 0;
	memset(&f, 0, sizeof f);
	f.field = std_field_index(ds, "school_code", 11);
	f.value.state = VAL_SET;
	f.value.s = code;
	f.value.n = strlen(code);
	q.filters = &f;
	q.nfilters = 1;
	return f.field >= 0 && store_count(c->st, ds, &q, &n) == 0 && n > 0;
}

int eqweb_query(struct ctx *c, struct eq_query *q, const char **th, const char **en)
{
	struct store_scope own = auth_scope(&c->user);
	const char *scope = http_query(c->rq, "scope"), *s;
	const struct std_codelist *instr = std_codelist(c->app->pkg, "instrument");
	struct nw_err e;

	memset(q, 0, sizeof *q);
	q->term = -1;
	*th = *en = "";
	if (own.kind == SCOPE_NONE)
		goto forbidden;
	/* the caller's own scope by default */
	if (!scope || !*scope) {
		if (own.kind == SCOPE_ALL)
			q->scope.kind = EQ_NATIONAL;
		else {
			q->scope.kind = own.kind == SCOPE_AREA ? EQ_AREA : EQ_SCHOOL;
			snprintf(q->scope.code, sizeof q->scope.code, "%s", own.code);
		}
	} else if (eq_scope_parse(scope, &q->scope, &e)) {
		*th = "scope ต้องเป็น national, area:รหัสพื้นที่, province:รหัสจังหวัด หรือ school:รหัสสถานศึกษา";
		*en = "scope must be national, area:CODE, province:CODE or school:CODE";
		return 400;
	}
	if (own.kind != SCOPE_ALL) {
		int ok = q->scope.kind == EQ_SCHOOL ? school_visible(c, q->scope.code)
			 : own.kind == SCOPE_AREA   ? q->scope.kind == EQ_AREA && !strcmp(q->scope.code, own.code)
						    : 0;
		if (!ok)
			goto forbidden;
	}
	if ((s = http_query(c->rq, "academic_year")) && *s && parse_int(s, 2550, 2600, &q->year)) {
		*th = "academic_year ต้องเป็นปีการศึกษา พ.ศ. 2550-2600";
		*en = "academic_year must be a B.E. year, 2550-2600";
		return 400;
	}
	if ((s = http_query(c->rq, "term")) && *s && parse_int(s, 0, 2, &q->term)) {
		*th = "term ต้องเป็น 0, 1 หรือ 2";
		*en = "term must be 0, 1 or 2";
		return 400;
	}
	if ((s = http_query(c->rq, "instrument")) && *s) {
		if (!instr || !std_code_find(instr, s, strlen(s)) || strlen(s) >= sizeof q->instrument) {
			*th = "instrument ต้องเป็นรหัสในรายการเครื่องมือวัด (SCH, AREA, NT, RT, ONET)";
			*en = "instrument must be a code of the instrument list (SCH, AREA, NT, RT, ONET)";
			return 400;
		}
		snprintf(q->instrument, sizeof q->instrument, "%s", s);
	}
	if ((s = http_query(c->rq, "pilot")) && *s) {
		if (strcmp(s, "Y") && strcmp(s, "N")) {
			*th = "pilot ต้องเป็น Y หรือ N";
			*en = "pilot must be Y or N";
			return 400;
		}
		q->pilot = s[0];
	}
	if ((s = http_query(c->rq, "cohort")) && *s) {
		if (parse_int(s, 1, 99, &q->cohort) || q->pilot == 'N') {
			*th = "cohort ต้องเป็นรุ่นของสถานศึกษานำร่อง (1 ขึ้นไป) และใช้กับ pilot=N ไม่ได้";
			*en = "cohort must be a pilot cohort (1 or more), not with pilot=N";
			return 400;
		}
		q->pilot = 'Y';
	}
	if ((s = http_query(c->rq, "view")) && *s && strcmp(s, "public")) {
		*th = "view ต้องเป็น public (หรือไม่ระบุ)";
		*en = "view must be public (or left out)";
		return 400;
	}
	q->suppress = auth_suppresses_small_groups(&c->user) || (s && !strcmp(s, "public"));
	return 0;
forbidden:
	*th = "ขอบเขตนี้อยู่นอกสิทธิ์ของคุณ";
	*en = "that scope is outside yours";
	return 403;
}

/* JSON with at most 15 significant digits (61.23, not 61.229999999999997). */
static void send(struct ctx *c, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));

	json_decref(j);
	if (!text) {
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	c->rs->status = 200;
	c->rs->content_type = "application/json; charset=utf-8";
	buf_puts(&c->rs->body, text);
	buf_putc(&c->rs->body, '\n');
	free(text);
}

static void answer(struct ctx *c, int trend)
{
	struct eq_query q;
	const char *th, *en;
	json_t *j;
	int rc = eqweb_query(c, &q, &th, &en);

	if (rc) {
		api_error(c, rc, rc == 400 ? "bad_request" : "forbidden", th, en);
		return;
	}
	if (trend)
		q.year = 0;
	rc = eq_defaults(c->st, &q);
	if (rc == NAWAT_ENOTFOUND) {
		api_error(c, 404, "not_found", "ไม่มีผลลัพธ์ผู้เรียนในขอบเขตนี้", "no learner results in this scope");
		return;
	}
	if (!rc)
		rc = trend ? eq_trend(c->st, &q, &j) : eq_metrics(c->st, &q, &j);
	if (rc) {
		api_error(c, 500, "store", c->st->err.th, c->st->err.en);
		return;
	}
	send(c, j);
}

static void equity_now(struct ctx *c)
{
	answer(c, 0);
}

static void equity_trend(struct ctx *c)
{
	answer(c, 1);
}

void api_equity(struct ctx *c, const char *rest)
{
	if (strcmp(c->rq->method, "GET")) {
		api_error(c, 405, "method_not_allowed", "ใช้ GET", "use GET");
		return;
	}
	api_cached(c, strcmp(rest, "equity/trend") ? equity_now : equity_trend);
}
