/*
 * api_gov.c - GET /api/v1/compliance: the governance rule checks of
 * src/domain/compliance.c for a scope, as JSON.
 */
#include "gov.h"

#include <string.h>

#include "../base/date.h"
#include "../analytics/equity.h"
#include "../domain/compliance.h"

int gov_scope(struct ctx *c, const char *want, struct store_scope *out)
{
	struct store_scope own = auth_scope(&c->user);
	size_t i;

	if (!want || !*want) {
		*out = own;
		return 0;
	}
	if (!strcmp(want, "all"))
		return own.kind == SCOPE_ALL ? (*out = own, 0) : 403;
	for (i = 0; want[i]; i++)
		if (want[i] < '0' || want[i] > '9')
			return 400;
	if (i != 2)
		return 400;
	if (own.kind == SCOPE_ALL || (own.kind == SCOPE_AREA && !strcmp(own.code, want))) {
		out->kind = SCOPE_AREA;
		out->code = arena_strdup(&c->rq->mem, want);
		return out->code ? 0 : 500;
	}
	return 403;
}

struct collect {
	json_t *arr;
	int64_t errors, warnings;
};

static int add_finding(void *ctx, const struct cmp_finding *f)
{
	struct collect *k = ctx;
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "code", f->check->code, "severity",
			      cmp_severity_name(f->check->severity), "area_code", f->area, "dataset", f->dataset,
			      "key", f->subject, "message_th", f->message_th, "message_en", f->message_en);

	if (!o || json_array_append_new(k->arr, o))
		return NAWAT_ENOMEM;
	if (f->check->severity == CMP_ERROR)
		k->errors++;
	else
		k->warnings++;
	return 0;
}

void api_compliance(struct ctx *c)
{
	const char *want = http_query(c->rq, "scope"), *as_of = http_query(c->rq, "as_of");
	struct store_scope sc;
	struct cmp_data d;
	struct collect k = { NULL, 0, 0 };
	struct date today = date_today();
	enum date_form form;
	json_t *checks, *j;
	char iso[16];
	size_t i;
	int rc;

	if ((rc = gov_scope(c, want, &sc))) {
		if (rc == 400)
			api_error(c, 400, "bad_request", "scope ต้องเป็น all หรือรหัสพื้นที่ 2 หลัก",
				  "scope must be all or a 2-digit area code");
		else
			api_error(c, 403, "forbidden", "ขอบเขตนี้อยู่นอกสิทธิ์ของคุณ", "that scope is outside yours");
		return;
	}
	if (as_of && (date_parse(as_of, strlen(as_of), &today, &form) != DATE_OK || form != DATE_ISO)) {
		api_error(c, 400, "bad_request", "as_of ต้องเป็นวันที่ YYYY-MM-DD", "as_of must be a date YYYY-MM-DD");
		return;
	}
	if ((rc = cmp_load(c->st, &sc, &c->rq->mem, &d)) ||
	    (rc = eq_kpi_fill(c->st, &c->rq->mem, auth_suppresses_small_groups(&c->user), &d))) {
		api_error(c, 500, "store", c->st->err.th, c->st->err.en);
		return;
	}
	k.arr = json_array();
	checks = json_array();
	for (i = 0; checks && i < CMP_COUNT; i++)
		json_array_append_new(checks, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", cmp_checks[i].code,
							"severity", cmp_severity_name(cmp_checks[i].severity),
							"title_th", cmp_checks[i].title_th, "title_en",
							cmp_checks[i].title_en, "rule_th", cmp_checks[i].rule_th,
							"rule_en", cmp_checks[i].rule_en));
	if (!k.arr || !checks || cmp_run(&d, date_to_days(today), add_finding, &k)) {
		json_decref(k.arr);
		json_decref(checks);
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	j = json_pack("{s:s,s:s,s:{s:I,s:I},s:o,s:o}", "scope",
		      sc.kind == SCOPE_ALL ? "all" : sc.code ? sc.code : "", "as_of",
		      date_iso(today, iso, sizeof iso), "counts", "error", (json_int_t)k.errors, "warning",
		      (json_int_t)k.warnings, "checks", checks, "findings", k.arr);
	api_json(c, 200, j);
}
