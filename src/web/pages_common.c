/* pages_common.c - small helpers the pages share: stored values as text,
 * English labels, Thai timestamps, filters and small-group suppression
 * (see page.h). */
#include "page.h"

#include <stdlib.h>
#include <string.h>

#include "../base/date.h"
#include "../exchange/export.h"

const char *page_vstr(struct ctx *c, const struct val_value *v)
{
	char *s;

	if (!v || v->state != VAL_SET || !v->s)
		return "";
	s = arena_strndup(&c->rq->mem, v->s, v->n);
	return s ? s : "";
}

const char *page_label_en(const struct std_package *pkg, const char *codelist, const char *code)
{
	const struct std_codelist *cl = std_codelist(pkg, codelist);
	const struct std_code *k = cl && code ? std_code_find(cl, code, strlen(code)) : NULL;

	return k ? k->label_en : "";
}

/* Two digits at s, or -1. */
static int two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

const char *page_time(struct ctx *c, const char *iso)
{
	struct date d;
	enum date_form form;
	char day[48], *out;
	int h, m;

	/* YYYY-MM-DDTHH:MM... in UTC; shown in Thai time (UTC+7) */
	if (!iso || strlen(iso) < 16 || (iso[10] != 'T' && iso[10] != ' ') || iso[13] != ':' ||
	    date_parse(iso, 10, &d, &form) != DATE_OK || form != DATE_ISO)
		return iso ? iso : "";
	h = two(iso + 11);
	m = two(iso + 14);
	if (h < 0 || h > 23 || m < 0 || m > 59)
		return iso;
	h += 7;
	if (h >= 24) {
		h -= 24;
		d = date_from_days(date_to_days(d) + 1);
	}
	out = arena_alloc(&c->rq->mem, 96);
	if (!out)
		return iso;
	snprintf(out, 96, "%s %02d:%02d น.", date_thai(d, 0, day, sizeof day), h, m);
	return out;
}

void page_filter_text(struct store_filter *f, int field, const char *s)
{
	memset(f, 0, sizeof *f);
	f->field = field;
	f->value.state = VAL_SET;
	f->value.s = s;
	f->value.n = strlen(s);
}

int page_suppressed(struct ctx *c, long long students)
{
	return auth_suppresses_small_groups(&c->user) && students < 5;
}

const char *page_count(struct ctx *c, long long n, long long students)
{
	return page_suppressed(c, students) ? "< 5" : page_num(c, n);
}

void page_suppression_note(struct ctx *c)
{
	html_f(PB(c), "<p class=\"note\">&lt; 5 หมายถึง ไม่แสดงตัวเลขเมื่อน้อยกว่า 5 คน เพื่อคุ้มครองข้อมูลส่วนบุคคล "
		      "<span lang=\"en\">&lt; 5: not shown for fewer than 5 students, to protect personal data</span></p>\n");
}

const char *page_sub_status_th(const char *status)
{
	if (!status)
		return "";
	if (!strcmp(status, "accepted"))
		return "รับข้อมูลแล้ว";
	if (!strcmp(status, "partial"))
		return "รับบางส่วน";
	if (!strcmp(status, "rejected"))
		return "ไม่รับ";
	return status;
}

/* The page of the row a single-field reference of field i points to. */
static const char *ref_page(const struct std_dataset *ds, int i)
{
	size_t k;

	for (k = 0; k < ds->nfk; k++) {
		if (ds->fks[k].n != 1 || ds->fks[k].fields[0] != i)
			continue;
		if (!strcmp(ds->fks[k].target->name, "areas"))
			return "/areas/";
		if (!strcmp(ds->fks[k].target->name, "schools"))
			return "/schools/";
	}
	return NULL;
}

void page_profile(struct ctx *c, const struct std_dataset *ds, const struct val_value *vals)
{
	struct buf *b = PB(c);
	struct exp_values *x = NULL;
	struct nw_err e;
	size_t i;

	err_clear(&e);
	if (exp_values_open(c->st, c->app->key, ds, 1, &x, &e)) {
		page_notice(c, "error", e.th, e.en);
		return;
	}
	html_f(b, "<dl class=\"profile\">\n");
	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];
		const struct std_codelist *cl = f->codelist;
		const struct std_code *k = NULL;
		const char *s, *text, *href;
		size_t n;
		int quoted;

		if (f->pii)
			continue;
		if (exp_value(x, vals, (int)i, &s, &n, &quoted, &e))
			s = NULL;
		html_f(b, "<div><dt>%s <span lang=\"en\">%s</span></dt><dd>", f->title_th, f->title_en);
		if (!s) {
			html_f(b, "<span class=\"muted\">ไม่ระบุ <span lang=\"en\">not given</span></span></dd></div>\n");
			continue;
		}
		text = arena_strndup(&c->rq->mem, s, n);
		if (!text)
			text = "";
		if (!cl && f->by_field >= 0) {
			const struct val_value *bv = &vals[f->by_field];

			cl = bv->state == VAL_SET && bv->s ? std_field_codelist(f, bv->s, bv->n) : NULL;
		}
		if (cl)
			k = std_code_find(cl, text, strlen(text));
		href = ref_page(ds, (int)i);
		if (k)
			html_f(b, "%s <span class=\"code\">(%s)</span> <span lang=\"en\">%s</span>", k->label_th, text,
			       k->label_en);
		else if (href) {
			html_f(b, "<a href=\"%s", href);
			html_url(b, text);
			html_f(b, "\">%s</a>", text);
		} else if (f->type == STD_DATE)
			html_f(b, "%s <span class=\"code\">(%s)</span>", page_date(c, text), text);
		else
			html_f(b, "%s", text);
		html_f(b, "</dd></div>\n");
	}
	html_f(b, "</dl>\n");
	exp_values_close(x);
}

const size_t *page_code_order(struct ctx *c, const struct std_codelist *cl)
{
	size_t *order = arena_alloc(&c->rq->mem, (cl->ncodes ? cl->ncodes : 1) * sizeof *order);

	return order && !std_code_order(cl, order) ? order : NULL;
}

const char *page_name_of(struct ctx *c, const char *dsname, const char *field, const char *code)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, dsname);
	struct store_query q = ctx_query(c);
	struct store_filter f;
	struct store_scan *sc = NULL;
	struct val_value *vals;
	const char *name = "";
	int fi, ni;

	if (!code || !ds || (fi = std_field_index(ds, field, strlen(field))) < 0 ||
	    (ni = std_field_index(ds, "name_th", 7)) < 0 ||
	    !(vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals)))
		return "";
	page_filter_text(&f, fi, code);
	q.filters = &f;
	q.nfilters = 1;
	q.limit = 1;
	if (store_scan_open(c->st, ds, &q, &sc) == 0 && store_scan_next(sc, vals) == 1)
		name = page_vstr(c, &vals[ni]);
	store_scan_close(sc);
	return name;
}

void page_area_options(struct ctx *c, const char *selected)
{
	const struct std_dataset *ads = std_dataset(c->app->pkg, "areas");
	struct store_query q = ctx_query(c);
	struct store_scan *sc = NULL;
	struct val_value *vals;
	int ac = ads ? std_field_index(ads, "area_code", 9) : -1;
	int an = ads ? std_field_index(ads, "name_th", 7) : -1;

	if (!ads || ac < 0 || an < 0 || !(vals = arena_alloc(&c->rq->mem, ads->nfields * sizeof *vals)) ||
	    store_scan_open(c->st, ads, &q, &sc))
		return;
	while (store_scan_next(sc, vals) == 1) {
		const char *code = page_vstr(c, &vals[ac]);

		html_f(PB(c), "<option value=\"%s\"%R>%s %s</option>\n", code,
		       selected && !strcmp(selected, code) ? " selected" : "", code, page_vstr(c, &vals[an]));
	}
	store_scan_close(sc);
}
