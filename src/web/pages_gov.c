/*
 * pages_gov.c - governance pages: the overview of committees, plans and open
 * issues (/governance), a committee with its members' terms and meetings
 * (/committees/CODE), a meeting with its resolutions and their follow-up
 * (/meetings/CODE/YEAR/NO), a plan's goals and KPIs (/plans/CODE), the
 * pilot-school lifecycle (/pilots) and the partners (/partners), and the
 * governance part of an area's page.
 *
 * Reads are scoped (ctx_query): a row outside the caller's scope is not
 * found.  Forms write through the import pipeline, one row at a time, with
 * the caller's scope, so that validation, scope, audit and submissions are
 * those of an imported file; the report's messages are shown next to the
 * fields they concern.
 */
#include "gov.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/date.h"
#include "../analytics/equity.h"
#include "../domain/compliance.h"
#include "../exchange/csvout.h"
#include "../exchange/export.h"
#include "../exchange/import.h"
#include "page.h"

/* ---- rows as text ---- */

/* A data set's rows as text, one string per field ("" when empty). */
struct rows {
	const struct std_dataset *ds;
	size_t n;
	const char ***v;
};

struct filt {
	const char *field, *value;
};

static int fidx(const struct std_dataset *ds, const char *name)
{
	return std_field_index(ds, name, strlen(name));
}

static const char *get(const struct rows *r, size_t i, const char *field)
{
	int k = fidx(r->ds, field);

	return k >= 0 && i < r->n ? r->v[i][k] : "";
}

/* An equality filter from text, typed for the field. */
static int make_filter(const struct std_dataset *ds, const struct filt *in, struct store_filter *out)
{
	int k = fidx(ds, in->field);

	if (k < 0)
		return -1;
	page_filter_text(out, k, in->value);
	if (ds->fields[k].type == STD_INTEGER && val_parse_int(in->value, strlen(in->value), &out->value.i))
		return -1;
	out->value.d = (double)out->value.i;
	return 0;
}

/* Scoped rows of a data set matching the filters, ordered by a field (Thai
 * order for text) or by key when order is NULL.  -1 on a bad filter value
 * (nothing matches), NAWAT_E* on a store failure. */
static int read_rows(struct ctx *c, const char *dsname, const struct filt *f, size_t nf, const char *order,
		     struct rows *out)
{
	struct store_query q = ctx_query(c);
	struct store_filter filters[6];
	struct store_scan *sc = NULL;
	struct exp_values *x = NULL;
	struct val_value *vals;
	struct nw_err e;
	int64_t n = 0;
	size_t i, k;
	int rc;

	memset(out, 0, sizeof *out);
	out->ds = std_dataset(c->app->pkg, dsname);
	if (!out->ds || nf > 6)
		return NAWAT_EINVAL;
	for (i = 0; i < nf; i++)
		if (make_filter(out->ds, &f[i], &filters[i]))
			return -1;
	q.filters = filters;
	q.nfilters = nf;
	if (order && fidx(out->ds, order) >= 0)
		q.order_by = fidx(out->ds, order) + 1;
	if ((rc = store_count(c->st, out->ds, &q, &n)) || !n)
		return rc;
	vals = arena_alloc(&c->rq->mem, out->ds->nfields * sizeof *vals);
	out->v = arena_alloc(&c->rq->mem, (size_t)n * sizeof *out->v);
	if (!vals || !out->v)
		return NAWAT_ENOMEM;
	err_clear(&e);
	if ((rc = exp_values_open(c->st, c->app->key, out->ds, !auth_sees_ids(&c->user), &x, &e)))
		return rc;
	q.limit = n;
	if ((rc = store_scan_open(c->st, out->ds, &q, &sc))) {
		exp_values_close(x);
		return rc;
	}
	while (out->n < (size_t)n && (rc = store_scan_next(sc, vals)) == 1) {
		const char **row = arena_alloc(&c->rq->mem, out->ds->nfields * sizeof *row);

		if (!row) {
			rc = NAWAT_ENOMEM;
			break;
		}
		for (k = 0; k < out->ds->nfields; k++) {
			const char *s;
			size_t len;
			int quoted;

			row[k] = "";
			if (!out->ds->fields[k].pii && !exp_value(x, vals, (int)k, &s, &len, &quoted, &e) && s)
				row[k] = arena_strndup(&c->rq->mem, s, len) ?: "";
		}
		out->v[out->n++] = row;
	}
	store_scan_close(sc);
	exp_values_close(x);
	return rc < 0 ? rc : 0;
}

/* One row by its whole key (text values in key order); 1 found, 0 not. */
static int read_one(struct ctx *c, const char *dsname, const char *const *key, struct rows *out)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, dsname);
	struct filt f[6];
	size_t i;

	if (!ds || ds->nkey > 6)
		return 0;
	for (i = 0; i < ds->nkey; i++) {
		f[i].field = ds->fields[ds->key[i]].name;
		f[i].value = key[i];
	}
	return read_rows(c, dsname, f, ds->nkey, NULL, out) == 0 && out->n == 1;
}

static const char *label(struct ctx *c, const char *list, const char *code)
{
	const char *th = page_label(c->app->pkg, list, code);

	return th[0] ? th : code;
}

/* "label_th <span lang=en>label_en</span>" of a code */
static void code_text(struct ctx *c, const char *list, const char *code)
{
	html_f(PB(c), "%s <span lang=\"en\">%s</span>", label(c, list, code),
	       page_label_en(c->app->pkg, list, code));
}

static int64_t today_days(void)
{
	return date_to_days(date_today());
}

static int64_t iso_days(const char *s)
{
	struct date d;
	enum date_form f;

	return s && *s && date_parse(s, strlen(s), &d, &f) == DATE_OK ? date_to_days(d) : CMP_NODATE;
}

/* ---- forms: one-row imports ---- */

struct fmsg {
	const char *column, *th, *en;
};

struct form_result {
	int posted, ok;
	struct fmsg *msgs;
	size_t nmsgs;
};

/* Imports one row (the named fields, from the form or from base) into ds,
 * in the caller's scope.  Fills r with the report's messages. */
static int import_row(struct ctx *c, const struct std_dataset *ds, const char *const *names,
		      const char *const *values, size_t n, struct form_result *r)
{
	struct imp_opts o;
	struct imp_file f;
	struct imp_result res;
	struct nw_err e;
	struct csvw w;
	char *text = NULL, name[96];
	size_t len = 0, i, total = 0;
	FILE *mem, *in = NULL, *rep = NULL;
	json_t *report = NULL, *row;
	int rc;

	memset(r, 0, sizeof *r);
	r->posted = 1;
	mem = open_memstream(&text, &len);
	if (!mem)
		return NAWAT_ENOMEM;
	csvw_init(&w, mem, 0);
	for (i = 0; i < n; i++)
		csvw_str(&w, names[i]);
	csvw_end(&w);
	for (i = 0; i < n; i++)
		csvw_str(&w, values[i] ? values[i] : "");
	csvw_end(&w);
	rc = csvw_status(&w);
	if (fclose(mem) || rc) {
		free(text);
		return NAWAT_ENOMEM;
	}
	in = fmemopen(text, len, "rb");
	rep = tmpfile();
	if (!in || !rep) {
		rc = NAWAT_EIO;
		goto out;
	}
	snprintf(name, sizeof name, "web:%s", ds->name);
	memset(&f, 0, sizeof f);
	f.fp = in;
	f.name = name;
	f.ds = ds;
	f.fmt = REC_CSV;
	memset(&o, 0, sizeof o);
	o.user = c->user.name;
	o.report_fp = rep;
	o.scope = auth_scope(&c->user);
	o.no_rejected_file = 1;
	err_clear(&e);
	if ((rc = imp_run(c->primary, c->app->key, &f, 1, &o, &res, &e)))
		goto out;
	/* an unchanged row is saved too (nothing to write) */
	r->ok = !res.total.errors && !res.rolled_back;
	imp_result_free(&res);
	fflush(rep);
	report = api_report_json(rep, &total);
	r->msgs = arena_alloc(&c->rq->mem, (json_array_size(report) + 1) * sizeof *r->msgs);
	if (!r->msgs) {
		rc = NAWAT_ENOMEM;
		goto out;
	}
	json_array_foreach(report, i, row) {
		struct fmsg *m = &r->msgs[r->nmsgs++];

		m->column = arena_strdup(&c->rq->mem, json_string_value(json_object_get(row, "column")) ?: "");
		m->th = arena_strdup(&c->rq->mem, json_string_value(json_object_get(row, "message_th")) ?: "");
		m->en = arena_strdup(&c->rq->mem, json_string_value(json_object_get(row, "message_en")) ?: "");
		if (!m->column || !m->th || !m->en)
			r->nmsgs--;
	}
out:
	json_decref(report);
	if (in)
		fclose(in);
	if (rep)
		fclose(rep);
	free(text);
	return rc;
}

/* The form's field values: posted ones, else the stored row's, else "". */
struct form {
	const struct std_dataset *ds;
	const char **val;         /* per field */
	const struct form_result *res;
};

static int form_init(struct ctx *c, struct form *fm, const struct std_dataset *ds, const struct rows *base,
		     size_t bi, const struct form_result *res)
{
	size_t i;

	fm->ds = ds;
	fm->res = res;
	fm->val = arena_alloc(&c->rq->mem, ds->nfields * sizeof *fm->val);
	if (!fm->val)
		return NAWAT_ENOMEM;
	for (i = 0; i < ds->nfields; i++) {
		const char *posted = res ? ctx_form(c, ds->fields[i].name) : NULL;

		fm->val[i] = posted ? posted : base && bi < base->n ? base->v[bi][i] : "";
	}
	return 0;
}

static void form_set(struct form *fm, const char *field, const char *value)
{
	int k = fidx(fm->ds, field);

	if (k >= 0)
		fm->val[k] = value;
}

static const struct fmsg *msg_for(const struct form *fm, const char *field)
{
	size_t i;

	for (i = 0; fm->res && i < fm->res->nmsgs; i++)
		if (!strcmp(fm->res->msgs[i].column, field))
			return &fm->res->msgs[i];
	return NULL;
}

/* An input for a field of the standard: its titles, a select for a code
 * list, a date input for a date, the validation message beside it. */
static void form_field(struct ctx *c, const struct form *fm, const char *form_id, const char *field)
{
	struct buf *b = PB(c);
	int k = fidx(fm->ds, field);
	const struct std_field *f;
	const struct fmsg *m;
	size_t i;

	if (k < 0)
		return;
	f = &fm->ds->fields[k];
	m = msg_for(fm, field);
	html_f(b, "<p class=\"field%s\"><label for=\"%s-%s\">%s <span lang=\"en\">%s</span>%R</label>\n",
	       m ? " invalid" : "", form_id, field, f->title_th, f->title_en,
	       f->required ? " <span class=\"req\" title=\"ต้องระบุ / required\">*</span>" : "");
	if (f->codelist) {
		const size_t *order = page_code_order(c, f->codelist);

		html_f(b, "<select id=\"%s-%s\" name=\"%s\"%R%R>\n<option value=\"\">— เลือก / choose —</option>\n",
		       form_id, field, field, f->required ? " required" : "",
		       m ? " aria-invalid=\"true\"" : "");
		for (i = 0; order && i < f->codelist->ncodes; i++) {
			const struct std_code *cd = &f->codelist->codes[order[i]];

			html_f(b, "<option value=\"%s\"%R>%s (%s)</option>\n", cd->code,
			       !strcmp(cd->code, fm->val[k]) ? " selected" : "", cd->label_th, cd->label_en);
		}
		html_f(b, "</select>");
	} else {
		html_f(b, "<input id=\"%s-%s\" name=\"%s\" value=\"%s\"%R%R%R>", form_id, field, field, fm->val[k],
		       f->type == STD_DATE ? " type=\"date\"" : "",
		       f->type == STD_INTEGER ? " inputmode=\"numeric\"" : f->type == STD_NUMBER ? " inputmode=\"decimal\"" : "",
		       m ? " aria-invalid=\"true\"" : "");
	}
	if (m)
		html_f(b, "\n<span class=\"field-error\" id=\"%s-%s-error\">%s <span lang=\"en\">%s</span></span>", form_id,
		       field, m->th, m->en);
	html_f(b, "</p>\n");
}

static void form_hidden(struct ctx *c, const struct form *fm, const char *field)
{
	int k = fidx(fm->ds, field);

	if (k >= 0)
		html_f(PB(c), "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n", field, fm->val[k]);
}

/* name is one of list[0..n) */
static int in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n && strcmp(list[i], name); i++)
		;
	return i < n;
}

/* Every field but the visible ones, as hidden inputs. */
static void form_hidden_rest(struct ctx *c, const struct form *fm, const char *const *visible, size_t n)
{
	size_t k;

	for (k = 0; k < fm->ds->nfields; k++)
		if (!in_list(fm->ds->fields[k].name, visible, n))
			form_hidden(c, fm, fm->ds->fields[k].name);
}

/* Messages of the report that belong to no visible field. */
static void form_other_msgs(struct ctx *c, const struct form *fm, const char *const *visible, size_t nvisible)
{
	size_t i, j;

	if (!fm->res || !fm->res->posted || fm->res->ok)
		return;
	page_notice(c, "error", "บันทึกไม่สำเร็จ: แก้ไขตามข้อความที่ช่องข้อมูล", "not saved: correct the fields as their messages say");
	for (i = 0; i < fm->res->nmsgs; i++) {
		for (j = 0; j < nvisible && strcmp(visible[j], fm->res->msgs[i].column); j++)
			;
		if (j == nvisible)
			page_notice(c, "error", fm->res->msgs[i].th, fm->res->msgs[i].en);
	}
}

/* Runs the import of every field of fm (visible ones from the form, the
 * rest as given).  Returns 1 when saved. */
static int form_save(struct ctx *c, struct form *fm, struct form_result *res)
{
	const char **names = arena_alloc(&c->rq->mem, fm->ds->nfields * sizeof *names);
	size_t i;
	int rc;

	if (!names)
		return 0;
	for (i = 0; i < fm->ds->nfields; i++)
		names[i] = fm->ds->fields[i].name;
	rc = import_row(c, fm->ds, names, fm->val, fm->ds->nfields, res);
	if (rc) {
		res->ok = 0;
		page_notice(c, "error", c->primary->err.th[0] ? c->primary->err.th : "บันทึกไม่สำเร็จ",
			    c->primary->err.en[0] ? c->primary->err.en : "could not save");
	}
	return res->ok;
}

static void form_begin(struct ctx *c, const char *action, const char *id, const char *legend_th,
		       const char *legend_en)
{
	html_f(PB(c), "<form class=\"stack\" id=\"%s\" method=\"post\" action=\"%s\" novalidate>\n", id, action);
	page_csrf(c);
	html_f(PB(c), "\n<fieldset><legend>%s <span lang=\"en\">%s</span></legend>\n", legend_th, legend_en);
}

static void form_end(struct ctx *c, const char *button_th, const char *button_en)
{
	html_f(PB(c), "<p><button type=\"submit\">%s <span lang=\"en\">%s</span></button></p>\n</fieldset>\n</form>\n",
	       button_th, button_en);
}

static int can_write(struct ctx *c, const char *dsname)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, dsname);

	return ds && auth_can_write(&c->user, ds);
}

static void saved_notice(struct ctx *c)
{
	const char *ok = http_query(c->rq, "saved");

	if (ok && !strcmp(ok, "1"))
		page_notice(c, "ok", "บันทึกแล้ว", "saved");
}

/* ---- compliance findings ---- */

struct show_findings {
	struct ctx *c;
	int n;
};

static int show_finding(void *ctx, const struct cmp_finding *f)
{
	struct show_findings *s = ctx;
	struct buf *b = PB(s->c);
	int err = f->check->severity == CMP_ERROR;

	if (!s->n++)
		html_f(b, "<div class=\"table-wrap\"><table class=\"findings\">\n<caption>ประเด็นที่ขัดกฎหรือล่าช้า "
			  "<span lang=\"en\">What breaks the rules or is late</span></caption>\n<thead><tr>"
			  "<th scope=\"col\">ระดับ <span lang=\"en\">Severity</span></th>"
			  "<th scope=\"col\">พื้นที่ <span lang=\"en\">Area</span></th>"
			  "<th scope=\"col\">ประเด็น <span lang=\"en\">Issue</span></th>"
			  "<th scope=\"col\">รายละเอียด <span lang=\"en\">Details</span></th></tr></thead>\n<tbody>\n");
	html_f(b, "<tr class=\"%s\"><td><span class=\"badge %s\">%s <span lang=\"en\">%s</span></span></td><td>%s</td>"
		  "<td><code>%s</code><br>%s <span lang=\"en\">%s</span></td><td>%s<br><span lang=\"en\">%s</span></td></tr>\n",
	       err ? "err" : "warn", err ? "behind" : "close", err ? "ผิดกฎ" : "เตือน", err ? "error" : "warning",
	       f->area[0] ? f->area : "ส่วนกลาง", f->check->code, f->check->title_th, f->check->title_en, f->message_th,
	       f->message_en);
	return 0;
}

static void findings(struct ctx *c, const struct store_scope *sc)
{
	struct show_findings s = { c, 0 };
	struct cmp_data d;

	if (cmp_load(c->st, sc, &c->rq->mem, &d) ||
	    eq_kpi_fill(c->st, &c->rq->mem, auth_suppresses_small_groups(&c->user), &d)) {
		page_notice(c, "error", "อ่านข้อมูลเพื่อตรวจสอบไม่สำเร็จ", "cannot read the data to check");
		return;
	}
	if (cmp_run(&d, today_days(), show_finding, &s)) {
		page_notice(c, "error", "ตรวจสอบไม่สำเร็จ", "the checks failed");
		return;
	}
	if (s.n)
		html_f(PB(c), "</tbody>\n</table></div>\n<p>รวม %d ประเด็น <span lang=\"en\">%d in all</span></p>\n", s.n, s.n);
	else
		html_f(PB(c), "<p class=\"ok-line\">ไม่พบประเด็นที่ขัดกฎหรือล่าช้า <span lang=\"en\">Nothing breaks the rules or is late.</span></p>\n");
}

/* ---- /governance ---- */

static void committee_link(struct ctx *c, const char *code, const char *name)
{
	html_f(PB(c), "<a href=\"/committees/");
	html_url(PB(c), code);
	html_f(PB(c), "\">%s</a>", name);
}

static void page_governance(struct ctx *c)
{
	const char *want = http_query(c->rq, "scope");
	struct store_scope sc;
	struct rows cm, pl;
	struct buf *b = PB(c);
	size_t i;
	int rc = gov_scope(c, want, &sc);

	if (rc) {
		page_error(c, rc, "ขอบเขตนี้อยู่นอกสิทธิ์ของคุณ", "that scope is outside yours");
		return;
	}
	page_begin(c, "governance", "คณะกรรมการ แผน และการกำกับติดตาม", "Committees, plans and compliance");
	if (auth_scope(&c->user).kind == SCOPE_ALL) {
		html_f(b, "<form class=\"filters\" method=\"get\" action=\"/governance\"><p><label for=\"scope\">ขอบเขต "
			  "<span lang=\"en\">Scope</span></label><input id=\"scope\" name=\"scope\" value=\"%s\" "
			  "placeholder=\"all หรือรหัสพื้นที่ เช่น 50\"></p><p class=\"buttons\"><button type=\"submit\">แสดง "
			  "<span lang=\"en\">Show</span></button></p></form>\n",
		       want ? want : "");
	}
	html_f(b, "<h2 id=\"issues\">ประเด็นที่ต้องติดตาม <span lang=\"en\">Open issues</span></h2>\n");
	findings(c, &sc);
	html_f(b, "<p><a href=\"/api/v1/compliance%s%s\">ผลการตรวจสอบเป็น JSON <span lang=\"en\">The checks as JSON</span></a></p>\n",
	       want ? "?scope=" : "", want ? want : "");

	html_f(b, "<h2>คณะกรรมการ <span lang=\"en\">Committees</span></h2>\n");
	if (read_rows(c, "committees", NULL, 0, NULL, &cm) < 0)
		page_notice(c, "error", "อ่านข้อมูลคณะกรรมการไม่สำเร็จ", "cannot read the committees");
	else if (!cm.n)
		html_f(b, "<p>ไม่มีคณะกรรมการในขอบเขตของคุณ <span lang=\"en\">No committees in your scope.</span></p>\n");
	else {
		html_f(b, "<div class=\"table-wrap\"><table>\n<caption>คณะกรรมการในขอบเขตของคุณ <span lang=\"en\">Committees in your scope</span></caption>\n"
			  "<thead><tr><th scope=\"col\">รหัส <span lang=\"en\">Code</span></th><th scope=\"col\">ชื่อ <span lang=\"en\">Name</span></th>"
			  "<th scope=\"col\">ประเภท <span lang=\"en\">Type</span></th><th scope=\"col\">พื้นที่ <span lang=\"en\">Area</span></th></tr></thead>\n<tbody>\n");
		for (i = 0; i < cm.n; i++) {
			html_f(b, "<tr><td>%s</td><th scope=\"row\">", get(&cm, i, "committee_code"));
			committee_link(c, get(&cm, i, "committee_code"), get(&cm, i, "name_th"));
			html_f(b, "</th><td>");
			code_text(c, "committee_type", get(&cm, i, "type"));
			html_f(b, "</td><td>%s</td></tr>\n", get(&cm, i, "area_code")[0] ? get(&cm, i, "area_code") : "–");
		}
		html_f(b, "</tbody>\n</table></div>\n");
	}
	html_f(b, "<h2>แผนยุทธศาสตร์ <span lang=\"en\">Plans</span></h2>\n");
	if (read_rows(c, "plans", NULL, 0, NULL, &pl) < 0 || !pl.n)
		html_f(b, "<p>ไม่มีแผนในขอบเขตของคุณ <span lang=\"en\">No plans in your scope.</span></p>\n");
	else {
		html_f(b, "<ul class=\"links\">\n");
		for (i = 0; i < pl.n; i++) {
			html_f(b, "<li><a href=\"/plans/");
			html_url(b, get(&pl, i, "plan_code"));
			html_f(b, "\">%s</a> (%s–%s)</li>\n", get(&pl, i, "title_th"), get(&pl, i, "first_year"),
			       get(&pl, i, "last_year"));
		}
		html_f(b, "</ul>\n");
	}
	html_f(b, "<p><a href=\"/pilots\">สถานะสถานศึกษานำร่อง <span lang=\"en\">Pilot-school lifecycle</span></a> · "
		  "<a href=\"/partners\">ภาคีเครือข่าย <span lang=\"en\">Partners</span></a></p>\n");
	page_end(c);
}

/* ---- /committees/CODE ---- */

static void meetings_table(struct ctx *c, const struct rows *mt)
{
	struct buf *b = PB(c);
	size_t i;

	html_f(b, "<div class=\"table-wrap\"><table>\n<caption>การประชุม <span lang=\"en\">Meetings</span></caption>\n<thead><tr>"
		  "<th scope=\"col\">ครั้งที่ <span lang=\"en\">No.</span></th><th scope=\"col\">วันที่ <span lang=\"en\">Date</span></th>"
		  "<th scope=\"col\">สถานะ <span lang=\"en\">Status</span></th><th scope=\"col\">สถานที่ <span lang=\"en\">Venue</span></th>"
		  "<th scope=\"col\" class=\"num\">มาประชุม <span lang=\"en\">Present</span></th></tr></thead>\n<tbody>\n");
	for (i = 0; i < mt->n; i++) {
		const char *cc = get(mt, i, "committee_code"), *y = get(mt, i, "year"), *no = get(mt, i, "number");

		html_f(b, "<tr><th scope=\"row\"><a href=\"/meetings/");
		html_url(b, cc);
		html_f(b, "/%s/%s\">ครั้งที่ %s/%s</a></th><td>%s</td><td>", y, no, no, y, page_date(c, get(mt, i, "held_on")));
		code_text(c, "meeting_status", get(mt, i, "status"));
		html_f(b, "</td><td>%s</td><td class=\"num\">%s%s%s</td></tr>\n", get(mt, i, "venue_th"),
		       get(mt, i, "members_present"), get(mt, i, "members_total")[0] ? " / " : "", get(mt, i, "members_total"));
	}
	html_f(b, "</tbody>\n</table></div>\n");
}


/* A row as a definition list, from text: code lists with their labels,
 * dates in B.E., areas and schools linked. */
static void profile_text(struct ctx *c, const struct std_dataset *ds, const char **row)
{
	struct buf *b = PB(c);
	size_t i;

	html_f(b, "<dl class=\"profile\">\n");
	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];
		const struct std_code *k = f->codelist ? std_code_find(f->codelist, row[i], strlen(row[i])) : NULL;

		if (f->pii)
			continue;
		html_f(b, "<div><dt>%s <span lang=\"en\">%s</span></dt><dd>", f->title_th, f->title_en);
		if (!row[i][0])
			html_f(b, "<span class=\"muted\">ไม่ระบุ <span lang=\"en\">not given</span></span>");
		else if (k)
			html_f(b, "%s <span class=\"code\">(%s)</span> <span lang=\"en\">%s</span>", k->label_th, row[i],
			       k->label_en);
		else if (!strcmp(f->name, "area_code") || !strcmp(f->name, "school_code")) {
			html_f(b, "<a href=\"/%s/", f->name[0] == 'a' ? "areas" : "schools");
			html_url(b, row[i]);
			html_f(b, "\">%s</a>", row[i]);
		} else if (f->type == STD_DATE)
			html_f(b, "%s <span class=\"code\">(%s)</span>", page_date(c, row[i]), row[i]);
		else
			html_f(b, "%s", row[i]);
		html_f(b, "</dd></div>\n");
	}
	html_f(b, "</dl>\n");
}

/* 303 to prefix + escaped parts joined by "/" + "?saved=1" */
static void redirect_saved(struct ctx *c, const char *prefix, const char *const *parts, size_t n, const char *anchor)
{
	struct buf loc;
	size_t i;

	buf_init(&loc, 2048);
	buf_puts(&loc, prefix);
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&loc, '/');
		html_url(&loc, parts[i]);
	}
	buf_puts(&loc, "?saved=1");
	if (anchor)
		buf_puts(&loc, anchor);
	buf_reset(PB(c));
	ctx_redirect(c, buf_str(&loc));
	buf_release(&loc);
}

static const char *be_year_now(struct ctx *c)
{
	char *y = arena_alloc(&c->rq->mem, 16);

	if (y)
		snprintf(y, 16, "%d", date_today().y + BE_OFFSET);
	return y ? y : "";
}

/* ---- /committees/CODE ---- */

static void page_committee(struct ctx *c, const char *code, int post)
{
	static const char *const visible[] = { "year", "number", "status", "held_on", "venue_th" };
	const char *key[1] = { code };
	const struct std_dataset *mds = std_dataset(c->app->pkg, "meetings");
	struct filt f = { "committee_code", code };
	struct rows cm, mem, mt;
	struct form fm;
	struct form_result res;
	struct buf *b = PB(c);
	int64_t today = today_days();
	size_t i, n_in = 0;

	memset(&res, 0, sizeof res);
	if (!mds || !read_one(c, "committees", key, &cm)) {
		page_error(c, 404, "ไม่พบคณะกรรมการนี้ หรืออยู่นอกขอบเขตสิทธิ์ของคุณ",
			   "no such committee, or it is outside your scope");
		return;
	}
	if (post && !can_write(c, "meetings")) {
		page_error(c, 403, "บทบาทของคุณบันทึกการประชุมไม่ได้", "your role cannot record meetings");
		return;
	}
	if (form_init(c, &fm, mds, NULL, 0, post ? &res : NULL)) {
		page_error(c, 500, "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	form_set(&fm, "committee_code", code);
	form_set(&fm, "area_code", get(&cm, 0, "area_code"));
	if (!post) {
		form_set(&fm, "year", be_year_now(c));
		form_set(&fm, "status", "scheduled");
	}
	page_begin(c, "governance", get(&cm, 0, "name_th"), get(&cm, 0, "name_en")[0] ? get(&cm, 0, "name_en") : code);
	if (post) {
		if (form_save(c, &fm, &res)) {
			const char *parts[3] = { code, fm.val[fidx(mds, "year")], fm.val[fidx(mds, "number")] };

			redirect_saved(c, "/meetings/", parts, 3, NULL);
			return;
		}
		c->rs->status = 422;
	}
	html_f(b, "<p class=\"crumbs\"><a href=\"/governance\">คณะกรรมการและแผน <span lang=\"en\">Governance</span></a>");
	if (get(&cm, 0, "area_code")[0])
		html_f(b, " · <a href=\"/areas/%s\">พื้นที่ %s <span lang=\"en\">area %s</span></a>", get(&cm, 0, "area_code"),
		       get(&cm, 0, "area_code"), get(&cm, 0, "area_code"));
	html_f(b, "</p>\n");
	saved_notice(c);
	profile_text(c, cm.ds, cm.v[0]);

	html_f(b, "<h2 id=\"members\">กรรมการและวาระ <span lang=\"en\">Members and terms</span></h2>\n");
	if (read_rows(c, "committee_members", &f, 1, NULL, &mem) < 0 || !mem.n)
		html_f(b, "<p>ยังไม่มีข้อมูลกรรมการ <span lang=\"en\">No members recorded.</span></p>\n");
	else {
		html_f(b, "<div class=\"table-wrap\"><table>\n<caption>กรรมการ <span lang=\"en\">Members</span></caption>\n<thead><tr>"
			  "<th scope=\"col\" class=\"num\">ที่ <span lang=\"en\">No.</span></th>"
			  "<th scope=\"col\">ชื่อ <span lang=\"en\">Name</span></th>"
			  "<th scope=\"col\">ประเภทกรรมการ <span lang=\"en\">Seat</span></th>"
			  "<th scope=\"col\">ตำแหน่ง <span lang=\"en\">Position</span></th>"
			  "<th scope=\"col\">วาระ <span lang=\"en\">Term</span></th>"
			  "<th scope=\"col\">สถานะ <span lang=\"en\">Status</span></th></tr></thead>\n<tbody>\n");
		for (i = 0; i < mem.n; i++) {
			struct cmp_member m;
			int in, ended;

			memset(&m, 0, sizeof m);
			m.start = iso_days(get(&mem, i, "term_start"));
			m.end = iso_days(get(&mem, i, "term_end"));
			m.left = iso_days(get(&mem, i, "left_on"));
			in = cmp_in_office(&m, today);
			ended = !in && m.end != CMP_NODATE && m.end < today && m.left == CMP_NODATE;
			n_in += (size_t)in;
			html_f(b, "<tr><td class=\"num\">%s</td><th scope=\"row\">%s</th><td>", get(&mem, i, "member_no"),
			       get(&mem, i, "name_th"));
			code_text(c, "seat", get(&mem, i, "seat"));
			html_f(b, "</td><td>%s</td><td>%s – %s</td><td><span class=\"badge %s\">%s <span lang=\"en\">%s</span></span></td></tr>\n",
			       get(&mem, i, "position_th"), page_date(c, get(&mem, i, "term_start")),
			       get(&mem, i, "term_end")[0] ? page_date(c, get(&mem, i, "term_end")) : "…",
			       in ? "ok" : ended ? "behind" : "none", in ? "อยู่ในวาระ" : ended ? "ครบวาระ" : "พ้นจากตำแหน่ง",
			       in ? "in office" : ended ? "term ended" : "left");
		}
		html_f(b, "</tbody>\n</table></div>\n<p>อยู่ในวาระ %zu คน <span lang=\"en\">%zu in office</span>", n_in, n_in);
		if (get(&cm, 0, "seats")[0])
			html_f(b, " · ตำแหน่งตามคำสั่ง %s <span lang=\"en\">seats in the order: %s</span>", get(&cm, 0, "seats"),
			       get(&cm, 0, "seats"));
		html_f(b, "</p>\n");
	}
	html_f(b, "<h2 id=\"meetings\">การประชุม <span lang=\"en\">Meetings</span></h2>\n");
	if (read_rows(c, "meetings", &f, 1, NULL, &mt) < 0 || !mt.n)
		html_f(b, "<p>ยังไม่มีการประชุม <span lang=\"en\">No meetings yet.</span></p>\n");
	else
		meetings_table(c, &mt);
	if (can_write(c, "meetings")) {
		form_other_msgs(c, &fm, visible, sizeof visible / sizeof visible[0]);
		{
			struct buf action;

			buf_init(&action, 1024);
			buf_puts(&action, "/committees/");
			html_url(&action, code);
			buf_puts(&action, "/meetings");
			form_begin(c, buf_str(&action), "new-meeting", "กำหนดการประชุมครั้งใหม่", "Schedule a meeting");
			buf_release(&action);
		}
		form_hidden(c, &fm, "committee_code");
		form_hidden(c, &fm, "area_code");
		for (i = 0; i < sizeof visible / sizeof visible[0]; i++)
			form_field(c, &fm, "new-meeting", visible[i]);
		form_end(c, "บันทึกการประชุม", "Save the meeting");
	}
	page_end(c);
}

/* ---- /meetings/CODE/YEAR/NO ---- */

enum meeting_form { MF_NONE, MF_RECORD, MF_NEW_RES, MF_RES };

static void page_meeting(struct ctx *c, const char *code, const char *year, const char *no, enum meeting_form which,
			 const char *res_no)
{
	static const char *const rec_visible[] = { "status", "held_on", "venue_th", "members_total", "members_present",
						   "quorum", "minutes_ref" };
	static const char *const new_visible[] = { "resolution_no", "text_th", "owner_th", "due_on" };
	static const char *const upd_visible[] = { "status", "closed_on", "note_th" };
	const char *key[3] = { code, year, no };
	const struct std_dataset *rds = std_dataset(c->app->pkg, "resolutions");
	struct filt f[3] = { { "committee_code", code }, { "meeting_year", year }, { "meeting_no", no } };
	struct rows mt, rs, cm;
	struct form rec, nr, *upd = NULL;
	struct form_result res;
	struct buf *b = PB(c);
	int64_t today = today_days();
	size_t i, k;
	int saved = 0;
	char id[48];

	memset(&res, 0, sizeof res);
	if (!rds || !read_one(c, "meetings", key, &mt)) {
		page_error(c, 404, "ไม่พบการประชุมนี้ หรืออยู่นอกขอบเขตสิทธิ์ของคุณ", "no such meeting, or it is outside your scope");
		return;
	}
	if (which != MF_NONE && !can_write(c, which == MF_RECORD ? "meetings" : "resolutions")) {
		page_error(c, 403, "บทบาทของคุณบันทึกข้อมูลการประชุมไม่ได้", "your role cannot record meetings");
		return;
	}
	if (read_rows(c, "resolutions", f, 3, NULL, &rs) < 0)
		rs.n = 0;
	if (form_init(c, &rec, mt.ds, &mt, 0, which == MF_RECORD ? &res : NULL) ||
	    form_init(c, &nr, rds, NULL, 0, which == MF_NEW_RES ? &res : NULL)) {
		page_error(c, 500, "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	form_set(&rec, "committee_code", code);
	form_set(&rec, "year", year);
	form_set(&rec, "number", no);
	form_set(&rec, "area_code", get(&mt, 0, "area_code"));
	form_set(&nr, "committee_code", code);
	form_set(&nr, "meeting_year", year);
	form_set(&nr, "meeting_no", no);
	form_set(&nr, "area_code", get(&mt, 0, "area_code"));
	if (which != MF_NEW_RES) {
		char *next = arena_alloc(&c->rq->mem, 24);

		if (next) {
			snprintf(next, 24, "%zu", rs.n + 1);
			form_set(&nr, "resolution_no", next);
		}
		form_set(&nr, "status", "open");
	} else {
		form_set(&nr, "status", "open");
	}
	if (which == MF_RES) {
		for (i = 0; i < rs.n && strcmp(get(&rs, i, "resolution_no"), res_no); i++)
			;
		if (i == rs.n) {
			page_error(c, 404, "ไม่พบมตินี้", "no such resolution");
			return;
		}
		upd = arena_alloc(&c->rq->mem, sizeof *upd);
		if (!upd || form_init(c, upd, rds, &rs, i, &res)) {
			page_error(c, 500, "หน่วยความจำไม่พอ", "out of memory");
			return;
		}
		/* only the follow-up fields come from the form */
		for (k = 0; k < rds->nfields; k++)
			if (!in_list(rds->fields[k].name, upd_visible, sizeof upd_visible / sizeof upd_visible[0]))
				upd->val[k] = rs.v[i][k];
	}
	page_begin(c, "governance", "การประชุม", "Meeting");
	if (which != MF_NONE) {
		saved = form_save(c, which == MF_RECORD ? &rec : which == MF_NEW_RES ? &nr : upd, &res);
		if (saved) {
			redirect_saved(c, "/meetings/", key, 3, which == MF_RECORD ? NULL : "#resolutions");
			return;
		}
		c->rs->status = 422;
	}
	{
		const char *ckey[1] = { code };

		html_f(b, "<p class=\"crumbs\"><a href=\"/committees/");
		html_url(b, code);
		html_f(b, "\">%s</a></p>\n", read_one(c, "committees", ckey, &cm) ? get(&cm, 0, "name_th") : code);
	}
	html_f(b, "<h2>ครั้งที่ %s/%s <span lang=\"en\">Meeting %s/%s</span></h2>\n", no, year, no, year);
	saved_notice(c);
	profile_text(c, mt.ds, mt.v[0]);

	html_f(b, "<h2 id=\"resolutions\">มติและการติดตามผล <span lang=\"en\">Resolutions and follow-up</span></h2>\n");
	if (!rs.n)
		html_f(b, "<p>ยังไม่มีมติ <span lang=\"en\">No resolutions yet.</span></p>\n");
	else {
		html_f(b, "<div class=\"table-wrap\"><table>\n<caption>มติของการประชุมครั้งนี้ <span lang=\"en\">Resolutions of this meeting</span></caption>\n<thead><tr>"
			  "<th scope=\"col\" class=\"num\">มติที่ <span lang=\"en\">No.</span></th>"
			  "<th scope=\"col\">มติ <span lang=\"en\">Resolution</span></th>"
			  "<th scope=\"col\">ผู้รับผิดชอบ <span lang=\"en\">Owner</span></th>"
			  "<th scope=\"col\">กำหนดเสร็จ <span lang=\"en\">Due</span></th>"
			  "<th scope=\"col\">สถานะ <span lang=\"en\">Status</span></th></tr></thead>\n<tbody>\n");
		for (i = 0; i < rs.n; i++) {
			const char *st = get(&rs, i, "status");
			int64_t due = iso_days(get(&rs, i, "due_on"));
			int open = !strcmp(st, "open") || !strcmp(st, "in_progress");
			int late = open && due != CMP_NODATE && due < today;

			html_f(b, "<tr id=\"resolution-%s\"><td class=\"num\">%s</td><th scope=\"row\">%s</th><td>%s</td><td>%s</td>"
				  "<td><span class=\"badge %s\">", get(&rs, i, "resolution_no"), get(&rs, i, "resolution_no"),
			       get(&rs, i, "text_th"), get(&rs, i, "owner_th"), page_date(c, get(&rs, i, "due_on")),
			       late ? "behind" : open ? "close" : "ok");
			code_text(c, "resolution_status", st);
			html_f(b, "</span>%R", late ? " <span class=\"late\">เกินกำหนด <span lang=\"en\">overdue</span></span>" : "");
			if (get(&rs, i, "closed_on")[0])
				html_f(b, "<br>%s", page_date(c, get(&rs, i, "closed_on")));
			html_f(b, "</td></tr>\n");
		}
		html_f(b, "</tbody>\n</table></div>\n");
	}
	if (!can_write(c, "resolutions")) {
		page_end(c);
		return;
	}
	/* follow-up of each open resolution (or the one just posted) */
	for (i = 0; i < rs.n; i++) {
		const char *rn = get(&rs, i, "resolution_no");
		struct form one, *fp = &one;
		struct buf action;

		if (upd && !strcmp(rn, res_no))
			fp = upd;
		else if (!strcmp(get(&rs, i, "status"), "done") || !strcmp(get(&rs, i, "status"), "cancelled"))
			continue;
		else if (form_init(c, &one, rds, &rs, i, NULL))
			continue;
		snprintf(id, sizeof id, "resolution-form-%s", rn);
		if (fp == upd)
			form_other_msgs(c, fp, upd_visible, sizeof upd_visible / sizeof upd_visible[0]);
		buf_init(&action, 1024);
		buf_puts(&action, "/meetings/");
		html_url(&action, code);
		buf_printf(&action, "/%s/%s/resolutions/%s", year, no, rn);
		{
			char lth[96], len[64];

			snprintf(lth, sizeof lth, "ติดตามผลมติที่ %s", rn);
			snprintf(len, sizeof len, "Follow up resolution %s", rn);
			form_begin(c, buf_str(&action), id, lth, len);
		}
		buf_release(&action);
		form_hidden_rest(c, fp, upd_visible, sizeof upd_visible / sizeof upd_visible[0]);
		for (k = 0; k < sizeof upd_visible / sizeof upd_visible[0]; k++)
			form_field(c, fp, id, upd_visible[k]);
		form_end(c, "บันทึกการติดตามผล", "Save the follow-up");
	}
	/* a new resolution */
	{
		struct buf action;

		form_other_msgs(c, &nr, new_visible, sizeof new_visible / sizeof new_visible[0]);
		buf_init(&action, 1024);
		buf_puts(&action, "/meetings/");
		html_url(&action, code);
		buf_printf(&action, "/%s/%s/resolutions", year, no);
		form_begin(c, buf_str(&action), "new-resolution", "เพิ่มมติ", "Add a resolution");
		buf_release(&action);
		form_hidden(c, &nr, "committee_code");
		form_hidden(c, &nr, "meeting_year");
		form_hidden(c, &nr, "meeting_no");
		form_hidden(c, &nr, "area_code");
		form_hidden(c, &nr, "status");
		for (k = 0; k < sizeof new_visible / sizeof new_visible[0]; k++)
			form_field(c, &nr, "new-resolution", new_visible[k]);
		form_end(c, "เพิ่มมติ", "Add the resolution");
	}
	/* the meeting itself: held, present, quorum */
	if (can_write(c, "meetings")) {
		struct buf action;

		form_other_msgs(c, &rec, rec_visible, sizeof rec_visible / sizeof rec_visible[0]);
		buf_init(&action, 1024);
		buf_puts(&action, "/meetings/");
		html_url(&action, code);
		buf_printf(&action, "/%s/%s", year, no);
		form_begin(c, buf_str(&action), "record-meeting", "บันทึกผลการประชุม", "Record the meeting");
		buf_release(&action);
		form_hidden_rest(c, &rec, rec_visible, sizeof rec_visible / sizeof rec_visible[0]);
		for (k = 0; k < sizeof rec_visible / sizeof rec_visible[0]; k++)
			form_field(c, &rec, "record-meeting", rec_visible[k]);
		form_end(c, "บันทึกผลการประชุม", "Save the record");
	}
	page_end(c);
}

/* ---- /plans/CODE ---- */

static void kpi_row(struct ctx *c, const struct rows *kp, size_t i, const struct cmp_plan *plan,
		    const struct cmp_kpi_value *vals, size_t nvals, int64_t year)
{
	struct buf *b = PB(c);
	struct cmp_kpi k;
	struct cmp_kpi_eval e;
	double base = 0, target = 0;

	memset(&k, 0, sizeof k);
	k.plan = get(kp, i, "plan_code");
	k.direction = get(kp, i, "direction");
	k.goal_no = atoll(get(kp, i, "goal_no"));
	k.kpi_no = atoll(get(kp, i, "kpi_no"));
	k.has_baseline = get(kp, i, "baseline")[0] != '\0';
	base = k.has_baseline ? strtod(get(kp, i, "baseline"), NULL) : 0;
	target = strtod(get(kp, i, "target"), NULL);
	k.baseline = base;
	k.target = target;
	k.baseline_year = get(kp, i, "baseline_year")[0] ? atoll(get(kp, i, "baseline_year")) : CMP_NONE;
	cmp_kpi_eval(&k, plan, vals, nvals, year, &e);
	html_f(b, "<tr><td>%s.%s</td><th scope=\"row\">%s<br><span lang=\"en\">%s</span>",
	       get(kp, i, "goal_no"), get(kp, i, "kpi_no"), get(kp, i, "name_th"), get(kp, i, "name_en"));
	if (get(kp, i, "metric")[0])
		html_f(b, "<br><span class=\"bound\">คำนวณจากผลการประเมินผู้เรียน: <code>%s%s%s</code> "
			  "<span lang=\"en\">from the learner results</span></span>",
		       get(kp, i, "metric"), get(kp, i, "metric_subject")[0] ? " " : "", get(kp, i, "metric_subject"));
	html_f(b, "</th><td>%s</td><td class=\"num\">%s%s%s%s</td><td class=\"num\">%s</td>", get(kp, i, "unit_th"),
	       get(kp, i, "baseline"), get(kp, i, "baseline_year")[0] ? " (" : "", get(kp, i, "baseline_year"),
	       get(kp, i, "baseline_year")[0] ? ")" : "", get(kp, i, "target"));
	if (e.has_target) {
		char t[48];

		snprintf(t, sizeof t, "%.2f", e.target);
		html_f(b, "<td class=\"num\">%s</td>", t);
	} else {
		html_f(b, "<td class=\"num\">–</td>");
	}
	if (e.value_year != CMP_NONE) {
		char v[48];

		snprintf(v, sizeof v, "%g", e.value);
		html_f(b, "<td class=\"num\">%s (%lld)</td>", v, (long long)e.value_year);
	} else {
		html_f(b, "<td class=\"num\">–</td>");
	}
	html_f(b, "<td><span class=\"badge %s\">%s <span lang=\"en\">%s</span></span></td></tr>\n",
	       cmp_kpi_status_class(e.status), cmp_kpi_status_th(e.status), cmp_kpi_status_en(e.status));
}

/* The values of the plan's KPIs bound to an outcome metric, added to the
 * recorded ones (analytics/equity.h). */
static void bound_values(struct ctx *c, const struct rows *kp, const struct cmp_plan *plan,
			 struct cmp_kpi_value **vals, size_t *nvals)
{
	struct cmp_kpi *k = arena_alloc(&c->rq->mem, (kp->n + 1) * sizeof *k);
	struct cmp_data d;
	size_t i;

	if (!k)
		return;
	memset(&d, 0, sizeof d);
	for (i = 0; i < kp->n; i++) {
		memset(&k[i], 0, sizeof k[i]);
		k[i].plan = plan->code;
		k[i].area = get(kp, i, "area_code");
		k[i].goal_no = atoll(get(kp, i, "goal_no"));
		k[i].kpi_no = atoll(get(kp, i, "kpi_no"));
		k[i].metric = get(kp, i, "metric");
		k[i].metric_subject = get(kp, i, "metric_subject");
		k[i].metric_instrument = get(kp, i, "metric_instrument");
		k[i].metric_term = get(kp, i, "metric_term")[0] ? atoll(get(kp, i, "metric_term")) : CMP_NONE;
	}
	d.kpis = k;
	d.nkpis = kp->n;
	d.plans = (struct cmp_plan *)plan;
	d.nplans = 1;
	d.values = *vals;
	d.nvalues = *nvals;
	if (eq_kpi_fill(c->st, &c->rq->mem, auth_suppresses_small_groups(&c->user), &d)) {
		page_notice(c, "error", "คำนวณตัวชี้วัดที่ผูกกับผลสัมฤทธิ์ไม่สำเร็จ", "cannot compute the KPIs bound to outcomes");
		return;
	}
	*vals = d.values;
	*nvals = d.nvalues;
}

static void page_plan(struct ctx *c, const char *code, int post)
{
	static const char *const visible[] = { "goal_no", "kpi_no", "year", "target", "value", "note_th" };
	const char *key[1] = { code };
	const struct std_dataset *vds = std_dataset(c->app->pkg, "kpi_values");
	struct filt f = { "plan_code", code };
	struct rows pl, gl, kp, kv;
	struct cmp_plan plan;
	struct cmp_kpi_value *vals = NULL;
	struct form fm;
	struct form_result res;
	struct buf *b = PB(c);
	int64_t year = date_today().y + BE_OFFSET;
	size_t i, j, k, nvals;

	memset(&res, 0, sizeof res);
	if (!vds || !read_one(c, "plans", key, &pl)) {
		page_error(c, 404, "ไม่พบแผนนี้ หรืออยู่นอกขอบเขตสิทธิ์ของคุณ", "no such plan, or it is outside your scope");
		return;
	}
	if (post && !can_write(c, "kpi_values")) {
		page_error(c, 403, "บทบาทของคุณบันทึกค่าตัวชี้วัดไม่ได้", "your role cannot enter KPI values");
		return;
	}
	if (form_init(c, &fm, vds, NULL, 0, post ? &res : NULL)) {
		page_error(c, 500, "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	form_set(&fm, "plan_code", code);
	form_set(&fm, "area_code", get(&pl, 0, "area_code"));
	if (!post)
		form_set(&fm, "year", be_year_now(c));
	page_begin(c, "governance", get(&pl, 0, "title_th"), get(&pl, 0, "title_en")[0] ? get(&pl, 0, "title_en") : code);
	if (post) {
		if (form_save(c, &fm, &res)) {
			redirect_saved(c, "/plans/", key, 1, "#kpis");
			return;
		}
		c->rs->status = 422;
	}
	html_f(b, "<p class=\"crumbs\"><a href=\"/governance\">คณะกรรมการและแผน <span lang=\"en\">Governance</span></a> · "
		  "<a href=\"/areas/%s\">พื้นที่ %s <span lang=\"en\">area %s</span></a></p>\n",
	       get(&pl, 0, "area_code"), get(&pl, 0, "area_code"), get(&pl, 0, "area_code"));
	saved_notice(c);
	profile_text(c, pl.ds, pl.v[0]);
	plan.code = code;
	plan.area = get(&pl, 0, "area_code");
	plan.first_year = atoll(get(&pl, 0, "first_year"));
	plan.last_year = atoll(get(&pl, 0, "last_year"));
	if (read_rows(c, "plan_goals", &f, 1, NULL, &gl) < 0)
		gl.n = 0;
	if (read_rows(c, "kpis", &f, 1, NULL, &kp) < 0)
		kp.n = 0;
	if (read_rows(c, "kpi_values", &f, 1, NULL, &kv) < 0)
		kv.n = 0;
	vals = arena_alloc(&c->rq->mem, (kv.n + 1) * sizeof *vals);
	if (!vals) {
		page_notice(c, "error", "หน่วยความจำไม่พอ", "out of memory");
		page_end(c);
		return;
	}
	for (i = 0; i < kv.n; i++) {
		vals[i].plan = code;
		vals[i].goal_no = atoll(get(&kv, i, "goal_no"));
		vals[i].kpi_no = atoll(get(&kv, i, "kpi_no"));
		vals[i].year = atoll(get(&kv, i, "year"));
		vals[i].has_target = get(&kv, i, "target")[0] != '\0';
		vals[i].target = strtod(get(&kv, i, "target"), NULL);
		vals[i].has_value = get(&kv, i, "value")[0] != '\0';
		vals[i].value = strtod(get(&kv, i, "value"), NULL);
	}
	nvals = kv.n;
	bound_values(c, &kp, &plan, &vals, &nvals);
	html_f(b, "<h2 id=\"kpis\">เป้าประสงค์และตัวชี้วัด ปี %lld <span lang=\"en\">Goals and KPIs, %lld B.E.</span></h2>\n",
	       (long long)year, (long long)year);
	if (!gl.n)
		html_f(b, "<p>ยังไม่มีเป้าประสงค์ <span lang=\"en\">No goals yet.</span></p>\n");
	for (i = 0; i < gl.n; i++) {
		html_f(b, "<h3>เป้าประสงค์ที่ %s: %s <span lang=\"en\">Goal %s: %s</span></h3>\n<p>ประเด็นยุทธศาสตร์ "
			  "<span lang=\"en\">Strategic issue</span>: ",
		       get(&gl, i, "goal_no"), get(&gl, i, "title_th"), get(&gl, i, "goal_no"), get(&gl, i, "title_en"));
		code_text(c, "strategic_issue", get(&gl, i, "issue"));
		html_f(b, "</p>\n");
		for (k = 0, j = 0; j < kp.n; j++)
			k += !strcmp(get(&kp, j, "goal_no"), get(&gl, i, "goal_no"));
		if (!k) {
			html_f(b, "<p>ยังไม่มีตัวชี้วัด <span lang=\"en\">No KPIs yet.</span></p>\n");
			continue;
		}
		html_f(b, "<div class=\"table-wrap\"><table class=\"kpis\">\n<caption>ตัวชี้วัดของเป้าประสงค์ที่ %s "
			  "<span lang=\"en\">KPIs of goal %s</span></caption>\n<thead><tr>"
			  "<th scope=\"col\">ที่ <span lang=\"en\">No.</span></th><th scope=\"col\">ตัวชี้วัด <span lang=\"en\">KPI</span></th>"
			  "<th scope=\"col\">หน่วย <span lang=\"en\">Unit</span></th>"
			  "<th scope=\"col\" class=\"num\">ค่าฐาน <span lang=\"en\">Baseline</span></th>"
			  "<th scope=\"col\" class=\"num\">เป้าหมายปลายแผน <span lang=\"en\">Final target</span></th>"
			  "<th scope=\"col\" class=\"num\">เป้าหมายของผลล่าสุด <span lang=\"en\">Target of the latest year</span></th>"
			  "<th scope=\"col\" class=\"num\">ผลล่าสุด (ปี) <span lang=\"en\">Latest value (year)</span></th>"
			  "<th scope=\"col\">สถานะ <span lang=\"en\">Status</span></th></tr></thead>\n<tbody>\n",
		       get(&gl, i, "goal_no"), get(&gl, i, "goal_no"));
		for (j = 0; j < kp.n; j++)
			if (!strcmp(get(&kp, j, "goal_no"), get(&gl, i, "goal_no")))
				kpi_row(c, &kp, j, &plan, vals, nvals, year);
		html_f(b, "</tbody>\n</table></div>\n");
	}
	if (can_write(c, "kpi_values")) {
		struct buf action;

		form_other_msgs(c, &fm, visible, sizeof visible / sizeof visible[0]);
		buf_init(&action, 1024);
		buf_puts(&action, "/plans/");
		html_url(&action, code);
		buf_puts(&action, "/values");
		form_begin(c, buf_str(&action), "kpi-value", "บันทึกค่าตัวชี้วัดรายปี", "Enter a yearly KPI value");
		buf_release(&action);
		form_hidden(c, &fm, "plan_code");
		form_hidden(c, &fm, "area_code");
		for (i = 0; i < sizeof visible / sizeof visible[0]; i++)
			form_field(c, &fm, "kpi-value", visible[i]);
		form_end(c, "บันทึกค่า", "Save the value");
	}
	page_end(c);
}

/* ---- /pilots ---- */

static const char *const stages[] = { "applied", "board_approved", "supervisor_approved", "committee_approved",
				      "active", "exited" };
#define NSTAGES (sizeof stages / sizeof stages[0])

static void page_pilots(struct ctx *c)
{
	const char *area = http_query(c->rq, "area");
	struct filt fa = { "area_code", area ? area : "" };
	struct rows ps, sc;
	struct buf *b = PB(c);
	size_t i, j, counts[NSTAGES] = { 0 };
	int shown = 0;

	page_begin(c, "pilots", "สถานะสถานศึกษานำร่อง", "Pilot-school lifecycle");
	html_f(b, "<p>ตามมาตรา 27 สถานศึกษาได้รับความเห็นชอบจากคณะกรรมการสถานศึกษา ต้นสังกัด และ กขน. และพ้นสภาพตามมาตรา 39 "
		  "<span lang=\"en\">Under s.27 a school is approved by its board, its supervising body and the driving "
		  "committee; it leaves under s.39.</span></p>\n");
	html_f(b, "<form class=\"filters\" method=\"get\" action=\"/pilots\"><p><label for=\"area\">รหัสพื้นที่ "
		  "<span lang=\"en\">Area code</span></label><input id=\"area\" name=\"area\" value=\"%s\" inputmode=\"numeric\"></p>"
		  "<p class=\"buttons\"><button type=\"submit\">แสดง <span lang=\"en\">Show</span></button></p></form>\n",
	       area ? area : "");
	if (read_rows(c, "pilot_status", NULL, 0, NULL, &ps) < 0 ||
	    read_rows(c, "schools", area && *area ? &fa : NULL, area && *area ? 1 : 0, NULL, &sc) < 0) {
		page_notice(c, "error", "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
		page_end(c);
		return;
	}
	for (i = 0; i < ps.n; i++) {
		const char *code = get(&ps, i, "school_code"), *st = get(&ps, i, "status");

		for (j = 0; j < sc.n && strcmp(get(&sc, j, "school_code"), code); j++)
			;
		if (j == sc.n)
			continue; /* another area's */
		if (!shown++)
			html_f(b, "<div class=\"table-wrap\"><table>\n<caption>สถานศึกษาและขั้นตอน <span lang=\"en\">Schools and their stage</span></caption>\n<thead><tr>"
				  "<th scope=\"col\">สถานศึกษา <span lang=\"en\">School</span></th>"
				  "<th scope=\"col\">พื้นที่ / รุ่น <span lang=\"en\">Area / cohort</span></th>"
				  "<th scope=\"col\">ขั้นตอน <span lang=\"en\">Stage</span></th>"
				  "<th scope=\"col\">ยื่นคำขอ <span lang=\"en\">Applied</span></th>"
				  "<th scope=\"col\">คณะกรรมการสถานศึกษา <span lang=\"en\">School board</span></th>"
				  "<th scope=\"col\">ต้นสังกัด <span lang=\"en\">Supervising body</span></th>"
				  "<th scope=\"col\">กขน. <span lang=\"en\">Driving committee</span></th>"
				  "<th scope=\"col\">เริ่ม / พ้นสภาพ <span lang=\"en\">Active / exited</span></th></tr></thead>\n<tbody>\n");
		for (size_t k = 0; k < NSTAGES; k++)
			counts[k] += !strcmp(st, stages[k]);
		html_f(b, "<tr><th scope=\"row\"><a href=\"/schools/");
		html_url(b, code);
		html_f(b, "\">%s</a><br><span class=\"code\">%s</span></th><td>%s%s%s</td><td><span class=\"badge %s\">",
		       get(&sc, j, "name_th"), code, get(&sc, j, "area_code"), get(&sc, j, "pilot_cohort")[0] ? " / รุ่นที่ " : "",
		       get(&sc, j, "pilot_cohort"), !strcmp(st, "active") ? "ok" : !strcmp(st, "exited") ? "none" : "close");
		code_text(c, "pilot_stage", st);
		html_f(b, "</span></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s",
		       page_date(c, get(&ps, i, "applied_on")), page_date(c, get(&ps, i, "board_approved_on")),
		       page_date(c, get(&ps, i, "supervisor_approved_on")), page_date(c, get(&ps, i, "committee_approved_on")),
		       page_date(c, get(&ps, i, "active_since")));
		if (get(&ps, i, "exited_on")[0]) {
			html_f(b, " – %s<br>", page_date(c, get(&ps, i, "exited_on")));
			code_text(c, "exit_reason", get(&ps, i, "exit_reason"));
		}
		html_f(b, "</td></tr>\n");
	}
	if (shown) {
		html_f(b, "</tbody>\n</table></div>\n<h2>จำนวนตามขั้นตอน <span lang=\"en\">Count by stage</span></h2>\n<ul class=\"links\">\n");
		for (i = 0; i < NSTAGES; i++) {
			html_f(b, "<li>");
			code_text(c, "pilot_stage", stages[i]);
			html_f(b, ": %zu</li>\n", counts[i]);
		}
		html_f(b, "</ul>\n");
	} else {
		html_f(b, "<p>ไม่มีข้อมูลในขอบเขตของคุณ <span lang=\"en\">Nothing in your scope.</span></p>\n");
	}
	page_end(c);
}

/* ---- /partners ---- */

static void page_partners(struct ctx *c, int post)
{
	static const char *const visible[] = { "participant_id", "sector", "area_code", "school_code", "type", "name_th",
					       "name_en", "status", "involvement", "joined_on" };
	const char *area = http_query(c->rq, "area");
	const struct std_dataset *ds = std_dataset(c->app->pkg, "participants");
	struct filt fa = { "area_code", area ? area : "" };
	struct rows pp;
	struct form fm;
	struct form_result res;
	struct buf *b = PB(c);
	struct store_scope own = auth_scope(&c->user);
	size_t i;

	memset(&res, 0, sizeof res);
	if (!ds || form_init(c, &fm, ds, NULL, 0, post ? &res : NULL)) {
		page_error(c, 500, "มาตรฐานข้อมูลไม่มีชุดข้อมูลผู้มีส่วนร่วม", "the standard lacks participants");
		return;
	}
	if (post && !can_write(c, "participants")) {
		page_error(c, 403, "บทบาทของคุณบันทึกผู้มีส่วนร่วมไม่ได้", "your role cannot record participants");
		return;
	}
	if (!post && own.kind == SCOPE_AREA)
		form_set(&fm, "area_code", own.code);
	page_begin(c, "partners", "ภาคีเครือข่ายและผู้มีส่วนร่วม", "Partners and participants");
	if (post) {
		if (form_save(c, &fm, &res)) {
			buf_reset(PB(c));
			ctx_redirect(c, "/partners?saved=1");
			return;
		}
		c->rs->status = 422;
	}
	saved_notice(c);
	html_f(b, "<form class=\"filters\" method=\"get\" action=\"/partners\"><p><label for=\"area\">รหัสพื้นที่ "
		  "<span lang=\"en\">Area code</span></label><input id=\"area\" name=\"area\" value=\"%s\" inputmode=\"numeric\"></p>"
		  "<p class=\"buttons\"><button type=\"submit\">แสดง <span lang=\"en\">Show</span></button></p></form>\n",
	       area ? area : "");
	if (read_rows(c, "participants", area && *area ? &fa : NULL, area && *area ? 1 : 0, "name_th", &pp) < 0 || !pp.n) {
		html_f(b, "<p>ไม่มีผู้มีส่วนร่วมในขอบเขตนี้ <span lang=\"en\">No participants here.</span></p>\n");
	} else {
		html_f(b, "<div class=\"table-wrap\"><table>\n<caption>ผู้มีส่วนร่วม %zu ราย <span lang=\"en\">%zu participants</span></caption>\n<thead><tr>"
			  "<th scope=\"col\">รหัส <span lang=\"en\">ID</span></th><th scope=\"col\">ชื่อ <span lang=\"en\">Name</span></th>"
			  "<th scope=\"col\">ประเภท / ภาคส่วน <span lang=\"en\">Type / sector</span></th>"
			  "<th scope=\"col\">การมีส่วนร่วม <span lang=\"en\">Involvement</span></th>"
			  "<th scope=\"col\">สถานะ <span lang=\"en\">Status</span></th>"
			  "<th scope=\"col\">พื้นที่ / สถานศึกษา <span lang=\"en\">Area / school</span></th></tr></thead>\n<tbody>\n",
		       pp.n, pp.n);
		for (i = 0; i < pp.n; i++) {
			html_f(b, "<tr><td><span class=\"code\">%s</span></td><th scope=\"row\">%s<br><span lang=\"en\">%s</span></th><td>",
			       get(&pp, i, "participant_id"), get(&pp, i, "name_th"), get(&pp, i, "name_en"));
			code_text(c, "participant_type", get(&pp, i, "type"));
			html_f(b, "<br>");
			code_text(c, "sector", get(&pp, i, "sector"));
			html_f(b, "</td><td>");
			code_text(c, "involvement", get(&pp, i, "involvement"));
			html_f(b, "</td><td>");
			code_text(c, "participant_status", get(&pp, i, "status"));
			html_f(b, "</td><td><a href=\"/areas/%s\">%s</a>", get(&pp, i, "area_code"), get(&pp, i, "area_code"));
			if (get(&pp, i, "school_code")[0]) {
				html_f(b, " / <a href=\"/schools/");
				html_url(b, get(&pp, i, "school_code"));
				html_f(b, "\">%s</a>", get(&pp, i, "school_code"));
			}
			html_f(b, "</td></tr>\n");
		}
		html_f(b, "</tbody>\n</table></div>\n");
	}
	if (can_write(c, "participants")) {
		form_other_msgs(c, &fm, visible, sizeof visible / sizeof visible[0]);
		form_begin(c, "/partners", "new-partner", "เพิ่มผู้มีส่วนร่วม", "Add a participant");
		html_f(b, "<p class=\"note\">รหัส 10 หลัก: ภาคส่วน 1 หลัก รหัสพื้นที่ 2 หลัก ปี พ.ศ. 2 หลัก และลำดับที่ 5 หลัก "
			  "<span lang=\"en\">10 digits: sector, 2-digit area code, 2-digit B.E. year, 5-digit running number</span></p>\n");
		for (i = 0; i < sizeof visible / sizeof visible[0]; i++)
			form_field(c, &fm, "new-partner", visible[i]);
		form_end(c, "เพิ่มผู้มีส่วนร่วม", "Add the participant");
	}
	page_end(c);
}

/* ---- the governance part of an area's page ---- */

void gov_area_section(struct ctx *c, const char *area)
{
	struct filt fa = { "area_code", area };
	struct rows cm, mt, rs, pl, ps, sc;
	struct store_scope scope;
	struct buf *b = PB(c);
	int64_t today = today_days();
	size_t i, j, open = 0, late = 0, last = (size_t)-1, next = (size_t)-1, counts[NSTAGES] = { 0 };

	html_f(b, "<h2 id=\"governance\">การบริหารพื้นที่ <span lang=\"en\">Governance</span></h2>\n");
	if (read_rows(c, "committees", &fa, 1, NULL, &cm) < 0)
		cm.n = 0;
	html_f(b, "<h3>คณะกรรมการ <span lang=\"en\">Committees</span></h3>\n");
	if (!cm.n)
		html_f(b, "<p>ยังไม่มีข้อมูลคณะกรรมการ <span lang=\"en\">No committee recorded.</span></p>\n");
	else {
		html_f(b, "<ul class=\"links\">\n");
		for (i = 0; i < cm.n; i++) {
			html_f(b, "<li>");
			committee_link(c, get(&cm, i, "committee_code"), get(&cm, i, "name_th"));
			html_f(b, " · ");
			code_text(c, "committee_type", get(&cm, i, "type"));
			html_f(b, "</li>\n");
		}
		html_f(b, "</ul>\n");
	}
	/* meetings: the last held and the next scheduled of any committee */
	if (read_rows(c, "meetings", &fa, 1, NULL, &mt) < 0)
		mt.n = 0;
	for (i = 0; i < mt.n; i++) {
		int64_t d = iso_days(get(&mt, i, "held_on"));
		const char *st = get(&mt, i, "status");

		if (!strcmp(st, "held") && (last == (size_t)-1 || d > iso_days(get(&mt, last, "held_on"))))
			last = i;
		if (!strcmp(st, "scheduled") && d >= today && (next == (size_t)-1 || d < iso_days(get(&mt, next, "held_on"))))
			next = i;
	}
	html_f(b, "<h3>การประชุม <span lang=\"en\">Meetings</span></h3>\n<dl class=\"profile\">\n");
	for (j = 0; j < 2; j++) {
		size_t m = j ? next : last;

		html_f(b, "<div><dt>%s <span lang=\"en\">%s</span></dt><dd id=\"%s\">", j ? "การประชุมครั้งถัดไป" : "การประชุมครั้งล่าสุด",
		       j ? "Next meeting" : "Last meeting", j ? "next-meeting" : "last-meeting");
		if (m == (size_t)-1) {
			html_f(b, "<span class=\"muted\">ไม่มี <span lang=\"en\">none</span></span></dd></div>\n");
			continue;
		}
		html_f(b, "<a href=\"/meetings/");
		html_url(b, get(&mt, m, "committee_code"));
		html_f(b, "/%s/%s\">%s ครั้งที่ %s/%s</a> · %s</dd></div>\n", get(&mt, m, "year"), get(&mt, m, "number"),
		       get(&mt, m, "committee_code"), get(&mt, m, "number"), get(&mt, m, "year"),
		       page_date(c, get(&mt, m, "held_on")));
	}
	if (read_rows(c, "resolutions", &fa, 1, NULL, &rs) < 0)
		rs.n = 0;
	for (i = 0; i < rs.n; i++) {
		const char *st = get(&rs, i, "status");
		int64_t due = iso_days(get(&rs, i, "due_on"));

		if (!strcmp(st, "open") || !strcmp(st, "in_progress")) {
			open++;
			late += due != CMP_NODATE && due < today;
		}
	}
	html_f(b, "<div><dt>มติที่ยังไม่แล้วเสร็จ <span lang=\"en\">Open resolutions</span></dt><dd id=\"open-resolutions\">"
		  "%zu รายการ (เกินกำหนด %zu) <span lang=\"en\">%zu (%zu overdue)</span></dd></div>\n</dl>\n",
	       open, late, open, late);

	/* plans and their KPIs this year */
	if (read_rows(c, "plans", &fa, 1, NULL, &pl) < 0)
		pl.n = 0;
	html_f(b, "<h3>แผนและตัวชี้วัด <span lang=\"en\">Plans and KPIs</span></h3>\n");
	if (!pl.n)
		html_f(b, "<p>ยังไม่มีแผน <span lang=\"en\">No plan recorded.</span></p>\n");
	else {
		struct store_scope sa;
		struct cmp_data d;
		int64_t year = date_today().y + BE_OFFSET;

		if (gov_scope(c, area, &sa))
			sa = auth_scope(&c->user); /* a school: what it may read of its area */
		if (cmp_load(c->st, &sa, &c->rq->mem, &d) ||
		    eq_kpi_fill(c->st, &c->rq->mem, auth_suppresses_small_groups(&c->user), &d))
			memset(&d, 0, sizeof d);
		html_f(b, "<ul class=\"links\">\n");
		for (i = 0; i < pl.n; i++) {
			size_t st[4] = { 0 }, k;
			const struct cmp_plan *plan = NULL;

			for (k = 0; k < d.nplans; k++)
				if (!strcmp(d.plans[k].code, get(&pl, i, "plan_code")))
					plan = &d.plans[k];
			for (k = 0; plan && k < d.nkpis; k++) {
				struct cmp_kpi_eval e;

				if (strcmp(d.kpis[k].plan, plan->code))
					continue;
				cmp_kpi_eval(&d.kpis[k], plan, d.values, d.nvalues, year, &e);
				st[e.status]++;
			}
			html_f(b, "<li><a href=\"/plans/");
			html_url(b, get(&pl, i, "plan_code"));
			html_f(b, "\">%s</a>: ", get(&pl, i, "title_th"));
			for (k = 1; k < 4; k++)
				html_f(b, "<span class=\"badge %s\">%s %zu <span lang=\"en\">%s</span></span> ",
				       cmp_kpi_status_class((enum cmp_kpi_status)k), cmp_kpi_status_th((enum cmp_kpi_status)k),
				       st[k], cmp_kpi_status_en((enum cmp_kpi_status)k));
			html_f(b, "</li>\n");
		}
		html_f(b, "</ul>\n");
	}

	/* pilot schools by lifecycle stage */
	if (read_rows(c, "pilot_status", NULL, 0, NULL, &ps) < 0)
		ps.n = 0;
	if (read_rows(c, "schools", &fa, 1, NULL, &sc) < 0)
		sc.n = 0;
	for (i = 0; i < ps.n; i++) {
		for (j = 0; j < sc.n && strcmp(get(&sc, j, "school_code"), get(&ps, i, "school_code")); j++)
			;
		for (size_t k = 0; j < sc.n && k < NSTAGES; k++)
			counts[k] += !strcmp(get(&ps, i, "status"), stages[k]);
	}
	html_f(b, "<h3>สถานศึกษานำร่องตามขั้นตอน <span lang=\"en\">Pilot schools by stage</span></h3>\n<ul class=\"links\">\n");
	for (i = 0; i < NSTAGES; i++) {
		html_f(b, "<li>");
		code_text(c, "pilot_stage", stages[i]);
		html_f(b, ": %zu</li>\n", counts[i]);
	}
	html_f(b, "</ul>\n<p><a href=\"/pilots?area=%s\">ดูรายละเอียด <span lang=\"en\">details</span></a> · "
		  "<a href=\"/partners?area=%s\">ภาคีเครือข่าย <span lang=\"en\">partners</span></a></p>\n", area, area);

	html_f(b, "<h3 id=\"area-issues\">ประเด็นที่ต้องติดตาม <span lang=\"en\">Open issues</span></h3>\n");
	if (gov_scope(c, area, &scope))
		scope = auth_scope(&c->user); /* a school sees its own part */
	findings(c, &scope);
}

/* ---- routing ---- */

/* Splits "a/b/c" into at most n non-empty parts; returns the count, or -1. */
static int split(struct ctx *c, const char *path, const char **parts, int n)
{
	char *copy = arena_strdup(&c->rq->mem, path), *p, *slash;
	int k = 0;

	if (!copy)
		return -1;
	for (p = copy; *p; p = slash + 1) {
		if (k == n)
			return -1;
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		if (!*p)
			return -1;
		parts[k++] = p;
		if (!slash)
			break;
	}
	return k;
}

int gov_route(struct ctx *c)
{
	const char *p = c->rq->path, *part[6];
	int get = !strcmp(c->rq->method, "GET"), post = !strcmp(c->rq->method, "POST"), n;

	if (!strcmp(p, "/governance") && get)
		page_governance(c);
	else if (!strcmp(p, "/pilots") && get)
		page_pilots(c);
	else if (!strcmp(p, "/partners") && (get || post))
		page_partners(c, post);
	else if (!strncmp(p, "/committees/", 12) && (n = split(c, p + 12, part, 2)) > 0) {
		if (n == 1 && get)
			page_committee(c, part[0], 0);
		else if (n == 2 && post && !strcmp(part[1], "meetings"))
			page_committee(c, part[0], 1);
		else
			return 0;
	} else if (!strncmp(p, "/meetings/", 10) && (n = split(c, p + 10, part, 5)) >= 3) {
		if (n == 3 && get)
			page_meeting(c, part[0], part[1], part[2], MF_NONE, NULL);
		else if (n == 3 && post)
			page_meeting(c, part[0], part[1], part[2], MF_RECORD, NULL);
		else if (n == 4 && post && !strcmp(part[3], "resolutions"))
			page_meeting(c, part[0], part[1], part[2], MF_NEW_RES, NULL);
		else if (n == 5 && post && !strcmp(part[3], "resolutions"))
			page_meeting(c, part[0], part[1], part[2], MF_RES, part[4]);
		else
			return 0;
	} else if (!strncmp(p, "/plans/", 7) && (n = split(c, p + 7, part, 2)) > 0) {
		if (n == 1 && get)
			page_plan(c, part[0], 0);
		else if (n == 2 && post && !strcmp(part[1], "values"))
			page_plan(c, part[0], 1);
		else
			return 0;
	} else
		return 0;
	return 1;
}
