/*
 * pages_completeness.c - the completeness view (domain/completeness.h):
 * GET /api/v1/completeness (JSON, or a CSV or XLSX file) and the page
 * /completeness: for the schools of an area (every area for the centre, its
 * own school for a school) and an academic year and term, which data sets
 * were sent, on time or late, which are missing, with the rows held and the
 * dates of the imports; the round's deadline above.
 */
#include "subs.h"
#include "page.h"

#include <stdlib.h>
#include <string.h>

#include "../base/date.h"
#include "../domain/completeness.h"
#include "../exchange/csvout.h"
#include "../exchange/reader.h"
#include "../exchange/xlsxout.h"

struct cpl_args {
	const char *area, *school;
	int64_t year;
	int term;
	struct date as_of;
	const char *format;       /* json, csv, xlsx */
};

/* The query's arguments, checked against the caller: 0, or the status with
 * *bad filled. */
static int parse_args(struct ctx *c, struct cpl_args *a, struct subs_bad *bad)
{
	const char *year = http_query(c->rq, "academic_year"), *term = http_query(c->rq, "term");
	const char *as_of = http_query(c->rq, "as_of"), *format = http_query(c->rq, "format");
	enum date_form form;
	char *end;
	int st;

	memset(a, 0, sizeof *a);
	if (c->user.role == ROLE_RESEARCHER || auth_scope(&c->user).kind == SCOPE_NONE)
		return subs_bad_set(bad, 403, "forbidden",
				    "ความครบถ้วนของการส่งข้อมูลเป็นของสำนักงานและสถานศึกษา",
				    "the completeness of submissions is for the offices and schools");
	a->as_of = date_today();
	if (as_of && *as_of &&
	    (date_parse(as_of, strlen(as_of), &a->as_of, &form) != DATE_OK || form != DATE_ISO))
		return subs_bad_set(bad, 400, "bad_request", "as_of ต้องเป็นวันที่ YYYY-MM-DD", "as_of must be a date YYYY-MM-DD");
	cpl_default(a->as_of, &a->year, &a->term);
	if (year && *year) {
		a->year = strtoll(year, &end, 10);
		if (*end || a->year < 2500 || a->year > 2700)
			return subs_bad_set(bad, 400, "bad_request", "academic_year ต้องเป็นปีการศึกษา พ.ศ. 4 หลัก",
					    "academic_year must be a 4-digit B.E. academic year");
	}
	if (term && *term) {
		if (strcmp(term, "0") && strcmp(term, "1") && strcmp(term, "2"))
			return subs_bad_set(bad, 400, "bad_request", "term ต้องเป็น 0 (ทั้งปี), 1 หรือ 2",
					    "term must be 0 (the whole year), 1 or 2");
		a->term = term[0] - '0';
	}
	if ((st = subs_scope_args(c, &a->area, &a->school, bad)))
		return st;
	a->format = format && *format ? format : "json";
	if (strcmp(a->format, "json") && strcmp(a->format, "csv") && strcmp(a->format, "xlsx"))
		return subs_bad_set(bad, 400, "bad_request", "format ต้องเป็น json, csv หรือ xlsx",
				    "format must be json, csv or xlsx");
	return 0;
}

static int load(struct ctx *c, const struct cpl_args *a, struct cpl_result *r)
{
	struct store_scope sc = auth_scope(&c->user);

	return cpl_load(c->st, &sc, a->area, a->school, a->year, a->term, a->as_of, &c->rq->mem, r);
}

/* A UTC time of an import as the day in Thailand (ISO), "" for none. */
static const char *thai_day(struct ctx *c, const char *utc)
{
	struct date d;
	enum date_form form;
	char *out;
	int h;

	if (!utc || strlen(utc) < 13 || date_parse(utc, 10, &d, &form) != DATE_OK)
		return "";
	h = utc[11] >= '0' && utc[11] <= '9' && utc[12] >= '0' && utc[12] <= '9' ? (utc[11] - '0') * 10 + (utc[12] - '0') : 0;
	if (h + 7 >= 24)
		d = date_from_days(date_to_days(d) + 1);
	out = arena_alloc(&c->rq->mem, 16);
	return out ? date_iso(d, out, 16) : "";
}

/* ---- the API ---- */

static json_t *cell_json(struct ctx *c, const struct cpl_cell *k)
{
	json_t *o = json_pack("{s:s,s:b,s:I}", "status", cpl_status_name(k->status), "late", k->status == CPL_LATE,
			      "rows", (json_int_t)k->rows);

	if (!o)
		return NULL;
	json_object_set_new(o, "first_sent_at", k->first_at ? json_string(k->first_at) : json_null());
	json_object_set_new(o, "first_sent_on", k->first_at ? json_string(thai_day(c, k->first_at)) : json_null());
	json_object_set_new(o, "last_sent_at", k->last_at ? json_string(k->last_at) : json_null());
	json_object_set_new(o, "last_submission", k->last_at ? json_integer(k->last_sub) : json_null());
	return o;
}

static void answer_json(struct ctx *c, const struct cpl_args *a, const struct cpl_result *r)
{
	json_t *sets = json_array(), *schools = json_array(), *j;
	char iso[16], due[16], opens[16], closes[16];
	size_t i;
	int k, s;

	for (k = 0; sets && k < CPL_NSETS; k++) {
		const struct cpl_set *cs = &r->sets[k];
		json_t *counts = json_object();

		for (s = 0; counts && s < CPL_NSTATUS; s++)
			json_object_set_new(counts, cpl_status_name((enum cpl_status)s), json_integer(cs->count[s]));
		json_array_append_new(sets, json_pack("{s:s,s:s,s:s,s:i,s:s,s:s?,s:s?,s:o}", "dataset", cs->dataset,
			"title_th", cs->title_th, "title_en", cs->title_en, "round", cs->round, "deadline",
			date_iso(cs->deadline, due, sizeof due), "window_opens",
			cs->opens.y ? date_iso(cs->opens, opens, sizeof opens) : NULL, "window_closes",
			cs->closes.y ? date_iso(cs->closes, closes, sizeof closes) : NULL, "counts", counts));
	}
	for (i = 0; schools && i < r->nschools; i++) {
		const struct cpl_school *sc = &r->schools[i];
		json_t *o = json_pack("{s:s,s:s,s:s?,s:s?}", "school_code", sc->school_code, "name_th", sc->name_th,
				      "area_code", sc->area_code, "pilot", sc->pilot);

		for (k = 0; o && k < CPL_NSETS; k++)
			json_object_set_new(o, r->sets[k].dataset, cell_json(c, &sc->cell[k]));
		json_array_append_new(schools, o);
	}
	j = json_pack("{s:s?,s:s?,s:I,s:i,s:s,s:o,s:o}", "area", a->area, "school", a->school, "academic_year",
		      (json_int_t)r->year, "term", r->term, "as_of", date_iso(r->as_of, iso, sizeof iso), "datasets",
		      sets, "schools", schools);
	api_json(c, j ? 200 : 500, j);
}

/* The columns of the files: per school, then per data set. */
static const char *const file_cols[] = { "academic_year", "term", "area_code", "school_code", "name_th", "pilot" };
static const char *const file_cols_th[] = { "ปีการศึกษา", "ภาคเรียน", "รหัสพื้นที่", "รหัสสถานศึกษา",
					    "ชื่อสถานศึกษา", "สถานศึกษานำร่อง" };
static const char *const set_cols[] = { "status", "rows", "first_sent_on", "last_sent_on", "last_submission" };
static const char *const set_cols_th[] = { "สถานะ", "จำนวนแถว", "ส่งครั้งแรกในรอบ", "ส่งล่าสุด", "การส่งครั้งล่าสุด" };
#define NFILE_COLS (sizeof file_cols / sizeof file_cols[0])
#define NSET_COLS (sizeof set_cols / sizeof set_cols[0])

static const char *file_name(struct ctx *c, const struct cpl_args *a, const char *ext)
{
	char *out = arena_alloc(&c->rq->mem, 160);

	if (out)
		snprintf(out, 160, "attachment; filename=\"completeness-%s-%lld-%d.%s\"",
			 a->school ? a->school : a->area ? a->area : "all", (long long)a->year, a->term, ext);
	return out ? out : "attachment";
}

static void answer_csv(struct ctx *c, const struct cpl_args *a, const struct cpl_result *r)
{
	char *text = NULL, num[32];
	size_t len = 0, i, j;
	struct csvw w;
	FILE *fp = open_memstream(&text, &len);
	int k;

	if (!fp) {
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	csvw_init(&w, fp, 0);
	for (i = 0; i < NFILE_COLS; i++)
		csvw_str(&w, file_cols[i]);
	for (k = 0; k < CPL_NSETS; k++)
		for (j = 0; j < NSET_COLS; j++) {
			snprintf(num, sizeof num, "%s_%s", r->sets[k].dataset, set_cols[j]);
			csvw_str(&w, num);
		}
	csvw_end(&w);
	for (i = 0; i < r->nschools; i++) {
		const struct cpl_school *s = &r->schools[i];

		csvw_int(&w, r->year);
		csvw_int(&w, r->term);
		csvw_str(&w, s->area_code ? s->area_code : "");
		csvw_str(&w, s->school_code);
		csvw_str(&w, s->name_th);
		csvw_str(&w, s->pilot ? s->pilot : "");
		for (k = 0; k < CPL_NSETS; k++) {
			const struct cpl_cell *x = &s->cell[k];

			csvw_str(&w, cpl_status_name(x->status));
			csvw_int(&w, x->rows);
			csvw_str(&w, thai_day(c, x->first_at));
			csvw_str(&w, thai_day(c, x->last_at));
			if (x->last_at)
				csvw_int(&w, x->last_sub);
			else
				csvw_str(&w, "");
		}
		csvw_end(&w);
	}
	if (csvw_status(&w) | fclose(fp)) {
		free(text);
		api_error(c, 500, "internal", "เขียนไฟล์ไม่สำเร็จ", "cannot write the file");
		return;
	}
	c->rs->status = 200;
	c->rs->content_type = "text/csv; charset=utf-8";
	http_resp_header(c->rs, "Content-Disposition", file_name(c, a, "csv"));
	buf_append(&c->rs->body, text, len);
	free(text);
}

/* A header cell: the Thai name, then the column's name. */
static int header_cell(struct xlsxw *w, lxw_worksheet *ws, uint16_t col, const char *th, const char *name,
		       struct nw_err *e)
{
	char cell[400];

	snprintf(cell, sizeof cell, "%.200s (%.64s)", th, name);
	return xlsxw_text(w, ws, 0, col, cell, strlen(cell), w->header, e);
}

static int date_cell(struct xlsxw *w, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *iso)
{
	struct date d;
	enum date_form form;
	lxw_datetime t;

	if (!iso || !*iso || date_parse(iso, strlen(iso), &d, &form) != DATE_OK)
		return 0;
	memset(&t, 0, sizeof t);
	t.year = d.y;
	t.month = d.m;
	t.day = d.d;
	return worksheet_write_datetime(ws, row, col, &t, w->date) == LXW_NO_ERROR ? 0 : NAWAT_EIO;
}

static void answer_xlsx(struct ctx *c, const struct cpl_args *a, const struct cpl_result *r)
{
	struct xlsxw w;
	struct nw_err e;
	lxw_worksheet *ws;
	char *bytes = NULL, label[200], name[96];
	size_t len = 0, i, j;
	uint16_t col;
	FILE *fp;
	int rc, k;

	err_clear(&e);
	fp = open_memstream(&bytes, &len);
	if (!fp || (rc = xlsxw_open(&w, 1, &e))) {
		if (fp)
			fclose(fp);
		free(bytes);
		api_error(c, 500, "internal", "สร้างไฟล์ไม่สำเร็จ", "cannot make the file");
		return;
	}
	ws = workbook_add_worksheet(w.wb, "completeness");
	rc = ws ? 0 : NAWAT_ENOMEM;
	for (i = 0; i < NFILE_COLS && !rc; i++)
		rc = header_cell(&w, ws, (uint16_t)i, file_cols_th[i], file_cols[i], &e);
	col = (uint16_t)NFILE_COLS;
	for (k = 0; k < CPL_NSETS && !rc; k++)
		for (j = 0; j < NSET_COLS && !rc; j++) {
			snprintf(label, sizeof label, "%.100s: %.90s", r->sets[k].title_th, set_cols_th[j]);
			snprintf(name, sizeof name, "%.40s_%.40s", r->sets[k].dataset, set_cols[j]);
			rc = header_cell(&w, ws, col++, label, name, &e);
		}
	if (!rc) {
		worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(ws, 0, 3, 16, NULL);
		worksheet_set_column(ws, 4, 4, 36, NULL);
		worksheet_set_column(ws, 5, (lxw_col_t)(col - 1), 16, NULL);
	}
	for (i = 0; i < r->nschools && !rc; i++) {
		const struct cpl_school *s = &r->schools[i];
		uint32_t row = (uint32_t)i + 1;

		rc = worksheet_write_number(ws, row, 0, (double)r->year, w.number) ||
		     worksheet_write_number(ws, row, 1, r->term, w.number) ? NAWAT_EIO : 0;
		if (!rc && s->area_code)
			rc = xlsxw_text(&w, ws, row, 2, s->area_code, strlen(s->area_code), w.text, &e);
		if (!rc)
			rc = xlsxw_text(&w, ws, row, 3, s->school_code, strlen(s->school_code), w.text, &e);
		if (!rc)
			rc = xlsxw_text(&w, ws, row, 4, s->name_th, strlen(s->name_th), w.text, &e);
		if (!rc && s->pilot)
			rc = xlsxw_text(&w, ws, row, 5, s->pilot, strlen(s->pilot), w.text, &e);
		col = (uint16_t)NFILE_COLS;
		for (k = 0; k < CPL_NSETS && !rc; k++, col += (uint16_t)NSET_COLS) {
			const struct cpl_cell *x = &s->cell[k];

			snprintf(label, sizeof label, "%.150s (%.30s)", cpl_status_th(x->status), cpl_status_name(x->status));
			rc = xlsxw_text(&w, ws, row, col, label, strlen(label), w.text, &e);
			if (!rc && worksheet_write_number(ws, row, col + 1, (double)x->rows, w.number))
				rc = NAWAT_EIO;
			if (!rc)
				rc = date_cell(&w, ws, row, col + 2, thai_day(c, x->first_at));
			if (!rc)
				rc = date_cell(&w, ws, row, col + 3, thai_day(c, x->last_at));
			if (!rc && x->last_at && worksheet_write_number(ws, row, col + 4, (double)x->last_sub, w.number))
				rc = NAWAT_EIO;
		}
	}
	rc = xlsxw_close(&w, rc, fp, &e);
	if (fclose(fp) || rc) {
		free(bytes);
		api_error(c, 500, "internal", "เขียนไฟล์ไม่สำเร็จ", "cannot write the file");
		return;
	}
	c->rs->status = 200;
	c->rs->content_type = REC_XLSX_TYPE;
	http_resp_header(c->rs, "Content-Disposition", file_name(c, a, "xlsx"));
	buf_append(&c->rs->body, bytes, len);
	free(bytes);
}

void api_completeness(struct ctx *c)
{
	struct cpl_args a;
	struct cpl_result r;
	struct subs_bad bad;

	if (strcmp(c->rq->method, "GET")) {
		api_error(c, 405, "method_not_allowed", "ใช้ GET", "use GET");
		return;
	}
	if (parse_args(c, &a, &bad)) {
		api_error(c, bad.status, bad.code, bad.th, bad.en);
		return;
	}
	if (load(c, &a, &r)) {
		api_error(c, 500, "store", c->st->err.th, c->st->err.en);
		return;
	}
	if (!strcmp(a.format, "csv"))
		answer_csv(c, &a, &r);
	else if (!strcmp(a.format, "xlsx"))
		answer_xlsx(c, &a, &r);
	else
		answer_json(c, &a, &r);
}

/* ---- the page ---- */

static const char *badge_class(enum cpl_status s)
{
	switch (s) {
	case CPL_SENT: return "ok";
	case CPL_LATE: return "close";
	case CPL_MISSING: return "behind";
	default: return "none";
	}
}

static const char *term_th(int term)
{
	return term == 1 ? "ภาคเรียนที่ 1" : term == 2 ? "ภาคเรียนที่ 2" : "ทั้งปีการศึกษา";
}

static const char *term_en(int term)
{
	return term == 1 ? "term 1" : term == 2 ? "term 2" : "the whole year";
}

static const char *round_th(int round)
{
	return round == 1 ? "รอบ 10 มิถุนายน" : round == 2 ? "รอบ 10 พฤศจิกายน" : "รอบ 31 มีนาคม";
}

static const char *round_en(int round)
{
	return round == 1 ? "round of 10 June" : round == 2 ? "round of 10 November" : "round of 31 March";
}

static const char *day_th(struct ctx *c, struct date d)
{
	char *out = arena_alloc(&c->rq->mem, 64);

	return out ? date_thai(d, 0, out, 64) : "";
}

/* The query string of the view (not escaped for HTML: html_f does that). */
static const char *view_query(struct ctx *c, const struct cpl_args *a, const char *format)
{
	char *out = arena_alloc(&c->rq->mem, 256);

	if (!out)
		return "";
	snprintf(out, 256, "academic_year=%lld&term=%d%s%s%s%s%s%s", (long long)a->year, a->term,
		 a->area ? "&area=" : "", a->area ? a->area : "", a->school ? "&school=" : "",
		 a->school ? a->school : "", format ? "&format=" : "", format ? format : "");
	return out;
}

static void form(struct ctx *c, const struct cpl_args *a)
{
	struct buf *b = PB(c);
	int t;
	static const int terms[3] = { 1, 2, 0 };

	html_f(b, "<form class=\"filters\" method=\"get\" action=\"/completeness\" "
		  "aria-label=\"เลือกพื้นที่ ปีการศึกษา และภาคเรียน / choose the area, year and term\">\n");
	if (a->school)
		html_f(b, "<input type=\"hidden\" name=\"school\" value=\"%s\">\n", a->school);
	else {
		html_f(b, "<p><label for=\"area\">พื้นที่นวัตกรรม <span lang=\"en\">Sandbox area</span></label>"
			  "<select id=\"area\" name=\"area\"><option value=\"\">ทุกพื้นที่ในขอบเขต (All areas in scope)</option>\n");
		page_area_options(c, a->area);
		html_f(b, "</select></p>\n");
	}
	html_f(b, "<p><label for=\"academic_year\">ปีการศึกษา (พ.ศ.) <span lang=\"en\">Academic year (B.E.)</span></label>"
		  "<input id=\"academic_year\" name=\"academic_year\" type=\"number\" min=\"2500\" max=\"2700\" "
		  "inputmode=\"numeric\" value=\"%lld\"></p>\n"
		  "<p><label for=\"term\">ภาคเรียนและรอบ <span lang=\"en\">Term and round</span></label>"
		  "<select id=\"term\" name=\"term\">\n",
	       (long long)a->year);
	for (t = 0; t < 3; t++)
		html_f(b, "<option value=\"%d\"%R>%s · %s (%s)</option>\n", terms[t], a->term == terms[t] ? " selected" : "",
		       term_th(terms[t]), round_th(cpl_round_of_term(terms[t])), term_en(terms[t]));
	html_f(b, "</select></p>\n<p class=\"buttons\"><button type=\"submit\">แสดง <span lang=\"en\">Show</span></button></p>\n"
		  "</form>\n");
}

static void summary(struct ctx *c, const struct cpl_result *r)
{
	struct buf *b = PB(c);
	int k;

	html_f(b, "<div class=\"table-wrap\"><table>\n<caption>กำหนดส่งและสรุป ณ วันที่ %s "
		  "<span lang=\"en\">Deadlines and summary as of this day</span></caption>\n<thead><tr>"
		  "<th scope=\"col\">ชุดข้อมูล <span lang=\"en\">Data set</span></th>"
		  "<th scope=\"col\">กำหนดส่ง <span lang=\"en\">Deadline</span></th>"
		  "<th scope=\"col\" class=\"num\">ส่งแล้ว <span lang=\"en\">Sent</span></th>"
		  "<th scope=\"col\" class=\"num\">ส่งช้า <span lang=\"en\">Late</span></th>"
		  "<th scope=\"col\" class=\"num\">ยังไม่ส่ง <span lang=\"en\">Missing</span></th>"
		  "<th scope=\"col\" class=\"num\">ยังไม่ถึงกำหนด <span lang=\"en\">Not yet due</span></th>"
		  "</tr></thead>\n<tbody>\n",
	       day_th(c, r->as_of));
	for (k = 0; k < CPL_NSETS; k++) {
		const struct cpl_set *s = &r->sets[k];

		html_f(b, "<tr><th scope=\"row\">%s <span lang=\"en\">%s</span></th><td>%s %s <span lang=\"en\">%s</span>",
		       s->title_th, s->title_en, day_th(c, s->deadline), round_th(s->round), round_en(s->round));
		if (s->opens.y)
			html_f(b, "<br><span class=\"muted\">นับการส่งตั้งแต่ %s <span lang=\"en\">imports counted from this day</span></span>",
			       day_th(c, s->opens));
		html_f(b, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
		       page_num(c, s->count[CPL_SENT] + s->count[CPL_HELD]), page_num(c, s->count[CPL_LATE]),
		       page_num(c, s->count[CPL_MISSING]), page_num(c, s->count[CPL_PENDING]));
	}
	html_f(b, "</tbody>\n</table></div>\n");
}

static void school_table(struct ctx *c, const struct cpl_result *r)
{
	struct buf *b = PB(c);
	size_t i;
	int k;

	html_f(b, "<div class=\"table-wrap\"><table class=\"completeness\">\n<caption>การส่งข้อมูลรายสถานศึกษา "
		  "<span lang=\"en\">Submissions by school</span></caption>\n<thead><tr>"
		  "<th scope=\"col\" rowspan=\"2\">พื้นที่ <span lang=\"en\">Area</span></th>"
		  "<th scope=\"col\" rowspan=\"2\">สถานศึกษา <span lang=\"en\">School</span></th>");
	for (k = 0; k < CPL_NSETS; k++)
		html_f(b, "<th scope=\"colgroup\" colspan=\"3\">%s <span lang=\"en\">%s</span></th>", r->sets[k].title_th,
		       r->sets[k].title_en);
	html_f(b, "</tr>\n<tr>");
	for (k = 0; k < CPL_NSETS; k++)
		html_f(b, "<th scope=\"col\">สถานะ <span lang=\"en\">Status</span></th>"
			  "<th scope=\"col\" class=\"num\">จำนวนแถว <span lang=\"en\">Rows</span></th>"
			  "<th scope=\"col\">ส่งล่าสุด <span lang=\"en\">Last sent</span></th>");
	html_f(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < r->nschools; i++) {
		const struct cpl_school *s = &r->schools[i];

		html_f(b, "<tr><td>%s</td><th scope=\"row\"><a href=\"/schools/", s->area_code ? s->area_code : "–");
		html_url(b, s->school_code);
		html_f(b, "\">%s</a> <span class=\"code\">%s</span>%R</th>", s->name_th, s->school_code,
		       s->pilot && !strcmp(s->pilot, "Y") ? " <span class=\"muted\">นำร่อง <span lang=\"en\">pilot</span></span>" : "");
		for (k = 0; k < CPL_NSETS; k++) {
			const struct cpl_cell *x = &s->cell[k];

			html_f(b, "<td><span class=\"badge %s\">%s <span lang=\"en\">%s</span></span></td><td class=\"num\">%s</td>",
			       badge_class(x->status), cpl_status_th(x->status), cpl_status_name(x->status),
			       page_num(c, x->rows));
			if (x->last_at)
				html_f(b, "<td><a href=\"/submissions/%lld\">%s</a></td>", (long long)x->last_sub,
				       page_date(c, thai_day(c, x->last_at)));
			else
				html_f(b, "<td>–</td>");
		}
		html_f(b, "</tr>\n");
	}
	html_f(b, "</tbody>\n</table></div>\n");
}

void page_completeness(struct ctx *c)
{
	struct cpl_args a;
	struct cpl_result r;
	struct subs_bad bad;
	struct buf *b = PB(c);

	if (parse_args(c, &a, &bad)) {
		page_error(c, bad.status, bad.th, bad.en);
		return;
	}
	if (load(c, &a, &r)) {
		page_error(c, 500, "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
		return;
	}
	page_begin(c, "submissions", "ความครบถ้วนของการส่งข้อมูล", "Completeness of submissions");
	html_f(b, "<p class=\"crumbs\"><a href=\"/submissions\">การส่งข้อมูลทั้งหมด <span lang=\"en\">All submissions</span></a>");
	if (a.area)
		html_f(b, " · <a href=\"/areas/%s\">พื้นที่ %s <span lang=\"en\">area %s</span></a>", a.area, a.area, a.area);
	if (a.school)
		html_f(b, " · <a href=\"/schools/%s\">สถานศึกษา %s <span lang=\"en\">school %s</span></a>", a.school,
		       a.school, a.school);
	html_f(b, "</p>\n<p>สถานศึกษาแต่ละแห่งส่งข้อมูลนักเรียนตามรอบการเก็บข้อมูล (10 มิถุนายน, 10 พฤศจิกายน, 31 มีนาคม) "
		  "และผลการเรียนรู้ของแต่ละภาคเรียนแล้วหรือยัง ปีการศึกษา %lld %s</p>\n"
		  "<p lang=\"en\">Which schools have sent their students for the data-collection round (10 June, "
		  "10 November, 31 March) and their results of the term: academic year %lld B.E., %s.</p>\n",
	       (long long)a.year, term_th(a.term), (long long)a.year, term_en(a.term));
	form(c, &a);
	summary(c, &r);
	html_f(b, "<p>ดาวน์โหลด <span lang=\"en\">Download</span>: <a href=\"/api/v1/completeness?%s\">XLSX</a> · "
		  "<a href=\"/api/v1/completeness?%s\">CSV</a></p>\n",
	       view_query(c, &a, "xlsx"), view_query(c, &a, "csv"));
	if (r.nschools)
		school_table(c, &r);
	else
		html_f(b, "<p>ไม่มีสถานศึกษาในขอบเขตนี้ <span lang=\"en\">No schools in this scope.</span></p>\n");
	html_f(b, "<details><summary>ความหมายของสถานะ <span lang=\"en\">What the statuses mean</span></summary>\n<ul>\n"
		  "<li><strong>ส่งแล้ว</strong>: นำเข้าข้อมูลของปีการศึกษา (และภาคเรียน) นี้ภายในรอบ ไม่เกินวันกำหนดส่ง และยังมีข้อมูลอยู่ "
		  "<span lang=\"en\"><strong>sent</strong>: imported within the round, by the deadline, and held</span></li>\n"
		  "<li><strong>ส่งช้า</strong>: นำเข้าครั้งแรกของรอบหลังวันกำหนดส่ง "
		  "<span lang=\"en\"><strong>late</strong>: first imported in the round after the deadline</span></li>\n"
		  "<li><strong>ยังไม่ส่ง</strong>: เลยกำหนดแล้วยังไม่มีการนำเข้าในรอบ "
		  "<span lang=\"en\"><strong>missing</strong>: past the deadline, nothing imported in the round</span></li>\n"
		  "<li><strong>ยังไม่ถึงกำหนด</strong>: ยังไม่มีการนำเข้า แต่ยังไม่เลยกำหนด "
		  "<span lang=\"en\"><strong>not yet due</strong>: nothing yet, before the deadline</span></li>\n"
		  "<li>ข้อมูลนักเรียนนับรอบตามภาคเรียน: ภาคเรียนที่ 1 รอบ 10 มิถุนายน, ภาคเรียนที่ 2 รอบ 10 พฤศจิกายน, "
		  "ทั้งปีการศึกษา รอบ 31 มีนาคม; ผลการเรียนรู้ภาคเรียนที่ 1 กำหนดส่งพร้อมรอบ 10 พฤศจิกายน "
		  "ภาคเรียนที่ 2 และทั้งปีพร้อมรอบ 31 มีนาคม "
		  "<span lang=\"en\">students by the round of the term; results of term 1 are due with the round of "
		  "10 November, of term 2 and the whole year with that of 31 March</span></li>\n"
		  "</ul></details>\n");
	page_end(c);
}
