/*
 * pages_schools.c - the schools: a searchable, filtered list in Thai order of
 * name, 50 to a page; and one school's profile with its students (latest
 * academic year, by grade and gender, by disadvantage) and a summary of its
 * learners' results in knowledge, skills and attitude.
 *
 * Everything is read through ctx_query (the caller's scope): a school
 * outside it is not found.  No personal data is shown, and for roles that
 * see no small groups (researchers) every count or mean over fewer than 5
 * students reads "< 5", and one more number is hidden wherever a total
 * would otherwise give a hidden one away (see suppress()).
 */
#include "page.h"

#include <stdlib.h>
#include <string.h>


#define PAGE_SIZE 50
#define SEARCH_MAX 100

/* ---- the list ---- */

struct list_args {
	const char *q, *area, *affiliation, *pilot, *cohort;
	long page;
};

/* The list's URL with the same filters and another page (not escaped for
 * HTML: html_f does that). */
static const char *list_url(struct ctx *c, const struct list_args *a, long page)
{
	struct buf u;
	const char *names[] = { "q", "area", "affiliation", "pilot", "cohort" };
	const char *vals[] = { a->q, a->area, a->affiliation, a->pilot, a->cohort };
	char *out;
	size_t i;
	char sep = '?';

	buf_init(&u, 4096);
	buf_puts(&u, "/schools");
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		buf_putc(&u, sep);
		buf_puts(&u, names[i]);
		buf_putc(&u, '=');
		html_url(&u, vals[i]);
		sep = '&';
	}
	if (page > 1)
		buf_printf(&u, "%cpage=%ld", sep, page);
	out = arena_strdup(&c->rq->mem, buf_str(&u));
	buf_release(&u);
	return out ? out : "/schools";
}

static const char *param(struct ctx *c, const char *name)
{
	const char *v = http_query(c->rq, name);

	return v && *v ? v : NULL;
}

/* The filter form: search, area, affiliation, pilot, cohort. */
static void filter_form(struct ctx *c, const struct list_args *a)
{
	const struct std_codelist *aff = std_codelist(c->app->pkg, "affiliation");
	struct buf *b = PB(c);
	size_t i;

	html_f(b, "<form class=\"filters\" method=\"get\" action=\"/schools\" role=\"search\">\n"
		  "<p><label for=\"q\">ค้นหา <span lang=\"en\">Search</span></label>"
		  "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"%d\" value=\"%s\" aria-describedby=\"q-hint\">"
		  "<span class=\"hint\" id=\"q-hint\">ชื่อภาษาไทยหรืออังกฤษ หรือรหัสสถานศึกษา "
		  "<span lang=\"en\">Thai or English name, or school code</span></span></p>\n",
	       SEARCH_MAX, a->q ? a->q : "");
	html_f(b, "<p><label for=\"area\">พื้นที่นวัตกรรม <span lang=\"en\">Sandbox area</span></label>"
		  "<select id=\"area\" name=\"area\"><option value=\"\">ทุกพื้นที่ (All areas)</option>\n");
	page_area_options(c, a->area);
	html_f(b, "</select></p>\n<p><label for=\"affiliation\">สังกัด <span lang=\"en\">Affiliation</span></label>"
		  "<select id=\"affiliation\" name=\"affiliation\"><option value=\"\">ทุกสังกัด (All)</option>\n");
	for (i = 0; aff && i < aff->ncodes; i++)
		html_f(b, "<option value=\"%s\"%R>%s %s</option>\n", aff->codes[i].code,
		       a->affiliation && !strcmp(a->affiliation, aff->codes[i].code) ? " selected" : "",
		       aff->codes[i].code, aff->codes[i].label_th);
	html_f(b, "</select></p>\n<p><label for=\"pilot\">สถานศึกษานำร่อง <span lang=\"en\">Pilot school</span></label>"
		  "<select id=\"pilot\" name=\"pilot\"><option value=\"\">ทั้งหมด (All)</option>"
		  "<option value=\"Y\"%R>ใช่ (Yes)</option><option value=\"N\"%R>ไม่ใช่ (No)</option></select></p>\n",
	       a->pilot && !strcmp(a->pilot, "Y") ? " selected" : "",
	       a->pilot && !strcmp(a->pilot, "N") ? " selected" : "");
	html_f(b, "<p><label for=\"cohort\">รุ่น <span lang=\"en\">Cohort</span></label>"
		  "<input id=\"cohort\" name=\"cohort\" type=\"number\" min=\"1\" max=\"99\" inputmode=\"numeric\" value=\"%s\"></p>\n"
		  "<p class=\"buttons\"><button type=\"submit\">ค้นหา <span lang=\"en\">Search</span></button> "
		  "<a href=\"/schools\">ล้างตัวกรอง <span lang=\"en\">Clear filters</span></a></p>\n</form>\n",
	       a->cohort ? a->cohort : "");
}

static void pager(struct ctx *c, const struct list_args *a, long pages)
{
	struct buf *b = PB(c);
	long p, last = 0;

	if (pages <= 1)
		return;
	html_f(b, "<nav class=\"pager\" aria-label=\"เลขหน้า / pages\"><ul>\n");
	if (a->page > 1)
		html_f(b, "<li><a href=\"%s\" rel=\"prev\">ก่อนหน้า <span lang=\"en\">Previous</span></a></li>\n",
		       list_url(c, a, a->page - 1));
	for (p = 1; p <= pages; p++) {
		/* the first, the last and two either side of the current one */
		if (p != 1 && p != pages && (p < a->page - 2 || p > a->page + 2))
			continue;
		if (last && p > last + 1)
			html_f(b, "<li aria-hidden=\"true\">…</li>\n");
		if (p == a->page)
			html_f(b, "<li><a href=\"%s\" aria-current=\"page\">หน้า %ld <span lang=\"en\">page %ld</span></a></li>\n",
			       list_url(c, a, p), p, p);
		else
			html_f(b, "<li><a href=\"%s\">หน้า %ld <span lang=\"en\">page %ld</span></a></li>\n",
			       list_url(c, a, p), p, p);
		last = p;
	}
	if (a->page < pages)
		html_f(b, "<li><a href=\"%s\" rel=\"next\">ถัดไป <span lang=\"en\">Next</span></a></li>\n",
		       list_url(c, a, a->page + 1));
	html_f(b, "</ul></nav>\n");
}

void page_schools(struct ctx *c)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, "schools");
	const struct std_codelist *aff = std_codelist(c->app->pkg, "affiliation");
	struct store_query q = ctx_query(c);
	struct store_filter f[4];
	struct store_scan *sc = NULL;
	struct val_value *vals;
	struct list_args a;
	struct buf *b = PB(c);
	int fcode, fname, fname_en, faff, fprov, fdist, farea, fpilot, fcohort, search[3];
	const char *pg;
	char *end;
	int64_t total = 0, cohort = 0;
	long pages;
	int rc, bad = 0;

	if (!ds || (fcode = std_field_index(ds, "school_code", 11)) < 0 ||
	    (fname = std_field_index(ds, "name_th", 7)) < 0 || (fname_en = std_field_index(ds, "name_en", 7)) < 0 ||
	    (faff = std_field_index(ds, "affiliation_code", 16)) < 0 ||
	    (fprov = std_field_index(ds, "province_code", 13)) < 0 ||
	    (fdist = std_field_index(ds, "district_th", 11)) < 0 || (farea = std_field_index(ds, "area_code", 9)) < 0 ||
	    (fpilot = std_field_index(ds, "pilot", 5)) < 0 || (fcohort = std_field_index(ds, "pilot_cohort", 12)) < 0 ||
	    !(vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals))) {
		page_error(c, 500, "มาตรฐานข้อมูลไม่มีชุดข้อมูลสถานศึกษา", "the standard lacks the schools data set");
		return;
	}
	memset(&a, 0, sizeof a);
	a.q = param(c, "q");
	a.area = param(c, "area");
	a.affiliation = param(c, "affiliation");
	a.pilot = param(c, "pilot");
	a.cohort = param(c, "cohort");
	a.page = 1;
	page_begin(c, "schools", "สถานศึกษา", "Schools");
	/* a filter that cannot match is dropped, and said so */
	if (a.q && strlen(a.q) > SEARCH_MAX)
		a.q = arena_strndup(&c->rq->mem, a.q, SEARCH_MAX);
	if (a.area && strlen(a.area) > AUTH_SCOPE_MAX) {
		a.area = NULL;
		bad = 1;
	}
	if (a.affiliation && (!aff || !std_code_find(aff, a.affiliation, strlen(a.affiliation)))) {
		a.affiliation = NULL;
		bad = 1;
	}
	if (a.pilot && strcmp(a.pilot, "Y") && strcmp(a.pilot, "N")) {
		a.pilot = NULL;
		bad = 1;
	}
	if (a.cohort) {
		cohort = strtol(a.cohort, &end, 10);
		if (*end || cohort < 1 || cohort > 999) {
			a.cohort = NULL;
			bad = 1;
		}
	}
	if ((pg = param(c, "page"))) {
		a.page = strtol(pg, &end, 10);
		if (*end || a.page < 1 || a.page > 1000000)
			a.page = 1;
	}
	if (bad)
		page_notice(c, "error", "ตัวกรองบางรายการไม่ถูกต้องและไม่ได้นำมาใช้",
			    "some filters were not valid and were left out");
	filter_form(c, &a);

	if (a.area)
		page_filter_text(&f[q.nfilters++], farea, a.area);
	if (a.affiliation)
		page_filter_text(&f[q.nfilters++], faff, a.affiliation);
	if (a.pilot)
		page_filter_text(&f[q.nfilters++], fpilot, a.pilot);
	if (a.cohort) {
		memset(&f[q.nfilters], 0, sizeof f[0]);
		f[q.nfilters].field = fcohort;
		f[q.nfilters].value.state = VAL_SET;
		f[q.nfilters].value.i = cohort;
		f[q.nfilters].value.d = (double)cohort;
		q.nfilters++;
	}
	q.filters = f;
	search[0] = fname;
	search[1] = fname_en;
	search[2] = fcode;
	q.search = a.q;
	q.search_fields = search;
	q.nsearch = a.q ? 3 : 0;
	if ((rc = store_count(c->st, ds, &q, &total))) {
		page_notice(c, "error", "ค้นหาไม่สำเร็จ", "the search failed");
		goto out;
	}
	pages = (long)((total + PAGE_SIZE - 1) / PAGE_SIZE);
	if (a.page > pages && pages > 0)
		a.page = pages;
	html_f(b, "<h2 id=\"results\">ผลการค้นหา <span lang=\"en\">Results</span></h2>\n"
		  "<p role=\"status\">พบ %s แห่ง <span lang=\"en\">%s found</span>",
	       page_num(c, total), page_num(c, total));
	if (pages > 1)
		html_f(b, " · หน้า %ld จาก %ld <span lang=\"en\">page %ld of %ld</span>", a.page, pages, a.page, pages);
	html_f(b, "</p>\n");
	if (!total)
		goto out;
	q.order_by = fname + 1;
	q.limit = PAGE_SIZE;
	q.offset = (int64_t)(a.page - 1) * PAGE_SIZE;
	if ((rc = store_scan_open(c->st, ds, &q, &sc))) {
		page_notice(c, "error", "ค้นหาไม่สำเร็จ", "the search failed");
		goto out;
	}
	html_f(b, "<div class=\"table-wrap\"><table>\n<caption>สถานศึกษา เรียงตามชื่อ "
		  "<span lang=\"en\">Schools by name</span></caption>\n<thead><tr>"
		  "<th scope=\"col\">รหัส <span lang=\"en\">Code</span></th>"
		  "<th scope=\"col\">ชื่อสถานศึกษา <span lang=\"en\">Name</span></th>"
		  "<th scope=\"col\">สังกัด <span lang=\"en\">Affiliation</span></th>"
		  "<th scope=\"col\">จังหวัด / อำเภอ <span lang=\"en\">Province / district</span></th>"
		  "<th scope=\"col\">พื้นที่ <span lang=\"en\">Area</span></th>"
		  "<th scope=\"col\">นำร่อง <span lang=\"en\">Pilot</span></th>"
		  "</tr></thead>\n<tbody>\n");
	while ((rc = store_scan_next(sc, vals)) == 1) {
		const char *code = page_vstr(c, &vals[fcode]), *area = page_vstr(c, &vals[farea]);
		const char *pilot = page_vstr(c, &vals[fpilot]);

		html_f(b, "<tr><td>%s</td><th scope=\"row\"><a href=\"/schools/", code);
		html_url(b, code);
		html_f(b, "\">%s</a>", page_vstr(c, &vals[fname]));
		if (vals[fname_en].state == VAL_SET)
			html_f(b, "<br><span lang=\"en\">%s</span>", page_vstr(c, &vals[fname_en]));
		html_f(b, "</th><td>%s</td><td>%s / %s</td><td>", page_label(c->app->pkg, "affiliation", page_vstr(c, &vals[faff])),
		       page_label(c->app->pkg, "province", page_vstr(c, &vals[fprov])), page_vstr(c, &vals[fdist]));
		if (*area) {
			html_f(b, "<a href=\"/areas/");
			html_url(b, area);
			html_f(b, "\" aria-label=\"พื้นที่ %s\">%s</a>", area, area);
		}
		if (!strcmp(pilot, "Y") && vals[fcohort].state == VAL_SET)
			html_f(b, "</td><td>ใช่ รุ่นที่ %lld <span lang=\"en\">yes, cohort %lld</span></td></tr>\n",
			       (long long)vals[fcohort].i, (long long)vals[fcohort].i);
		else
			html_f(b, "</td><td>%s <span lang=\"en\">%s</span></td></tr>\n",
			       page_label(c->app->pkg, "yes_no", pilot), page_label_en(c->app->pkg, "yes_no", pilot));
	}
	html_f(b, "</tbody>\n</table></div>\n");
	if (rc < 0)
		page_notice(c, "error", "อ่านรายชื่อสถานศึกษาไม่ครบ", "cannot read all the schools");
	pager(c, &a, pages);
out:
	store_scan_close(sc);
	page_end(c);
}

/* ---- one school ---- */

/* Students of the latest academic year, by grade x gender and by disadvantage. */
struct students_sum {
	int64_t year;
	const struct std_codelist *grade, *gender, *disadv;
	int64_t *cell;            /* (ngrade + 1) x (ngender + 1): the last row/column for codes not in the list */
	int64_t *by_disadv;       /* ndisadv + 1 */
	int64_t total;
};

static size_t code_index(const struct std_codelist *cl, const char *s, size_t n)
{
	const struct std_code *k = std_code_find(cl, s, n);

	return k ? (size_t)(k - cl->codes) : cl->ncodes;
}

/* The code of an integer or text value, as text. */
static size_t code_text(const struct std_field *f, const struct val_value *v, char *buf, size_t n,
			const char **s)
{
	if (f->type == STD_INTEGER) {
		int len = snprintf(buf, n, "%lld", (long long)v->i);

		*s = buf;
		return (size_t)len;
	}
	*s = v->s ? v->s : "";
	return v->s ? v->n : 0;
}

static int read_students(struct ctx *c, const char *school, struct students_sum *r)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, "students");
	struct store_query q = ctx_query(c);
	struct store_filter f;
	struct store_scan *sc = NULL;
	struct val_value *vals;
	int fs, fy, fg, fx, fd, rc;
	size_t ng, nx, nd;

	memset(r, 0, sizeof *r);
	if (!ds || (fs = std_field_index(ds, "school_code", 11)) < 0 ||
	    (fy = std_field_index(ds, "academic_year", 13)) < 0 || (fg = std_field_index(ds, "grade_code", 10)) < 0 ||
	    (fx = std_field_index(ds, "gender", 6)) < 0 || (fd = std_field_index(ds, "disadvantage", 12)) < 0 ||
	    !(r->grade = ds->fields[fg].codelist) || !(r->gender = ds->fields[fx].codelist) ||
	    !(r->disadv = ds->fields[fd].codelist))
		return NAWAT_ENOTFOUND;
	ng = r->grade->ncodes + 1;
	nx = r->gender->ncodes + 1;
	nd = r->disadv->ncodes + 1;
	vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals);
	r->cell = arena_alloc(&c->rq->mem, ng * nx * sizeof *r->cell);
	r->by_disadv = arena_alloc(&c->rq->mem, nd * sizeof *r->by_disadv);
	if (!vals || !r->cell || !r->by_disadv)
		return NAWAT_ENOMEM;
	memset(r->cell, 0, ng * nx * sizeof *r->cell);
	memset(r->by_disadv, 0, nd * sizeof *r->by_disadv);
	page_filter_text(&f, fs, school);
	q.filters = &f;
	q.nfilters = 1;
	if ((rc = store_scan_open(c->st, ds, &q, &sc)))
		return rc;
	while ((rc = store_scan_next(sc, vals)) == 1) {
		char num[32];
		const char *s;
		size_t n, gi, xi;

		if (vals[fy].state != VAL_SET || vals[fy].i < r->year)
			continue;
		if (vals[fy].i > r->year) {
			/* a later year: start again */
			r->year = vals[fy].i;
			r->total = 0;
			memset(r->cell, 0, ng * nx * sizeof *r->cell);
			memset(r->by_disadv, 0, nd * sizeof *r->by_disadv);
		}
		n = code_text(&ds->fields[fg], &vals[fg], num, sizeof num, &s);
		gi = code_index(r->grade, s, n);
		n = code_text(&ds->fields[fx], &vals[fx], num, sizeof num, &s);
		xi = code_index(r->gender, s, n);
		r->cell[gi * nx + xi]++;
		n = code_text(&ds->fields[fd], &vals[fd], num, sizeof num, &s);
		r->by_disadv[code_index(r->disadv, s, n)]++;
		r->total++;
	}
	store_scan_close(sc);
	return rc < 0 ? rc : 0;
}

static const char *label_at(const struct std_codelist *cl, size_t i)
{
	return i < cl->ncodes ? cl->codes[i].label_th : "อื่น ๆ (รหัสไม่อยู่ในรายการ)";
}

static const char *label_en_at(const struct std_codelist *cl, size_t i)
{
	return i < cl->ncodes ? cl->codes[i].label_en : "other (code not in the list)";
}

/*
 * Small-group suppression of a table with totals: v and mark are nr x nc,
 * the last row and the last column being the totals and the last cell the
 * grand total, taken as known (it can be read elsewhere).  For a role that
 * sees no small groups every number under 5 is hidden (mark 1, "< 5"); then,
 * so that no hidden number can be worked out by subtraction from a total,
 * one more number (the smallest, mark 2, "–") in every row and column that
 * would otherwise have exactly one hidden number, until none has.
 */
static void suppress(struct ctx *c, const int64_t *v, unsigned char *mark, size_t nr, size_t nc)
{
	size_t i, j, hidden, best;
	int changed = 1, pass;

	memset(mark, 0, nr * nc);
	if (!auth_suppresses_small_groups(&c->user))
		return;
	for (i = 0; i < nr * nc; i++)
		mark[i] = page_suppressed(c, v[i]);
	while (changed) {
		changed = 0;
		for (pass = 0; pass < 2; pass++) {
			size_t nlines = pass ? nc : nr, nin = pass ? nr : nc;

			for (i = 0; i < nlines; i++) {
				for (hidden = 0, j = 0; j < nin; j++)
					hidden += mark[pass ? j * nc + i : i * nc + j] != 0;
				if (hidden != 1)
					continue;
				for (best = nin, j = 0; j < nin; j++) {
					size_t at = pass ? j * nc + i : i * nc + j;

					if (mark[at] || at == nr * nc - 1)
						continue;
					if (best == nin || v[at] < v[pass ? best * nc + i : i * nc + best])
						best = j;
				}
				if (best < nin) {
					mark[pass ? best * nc + i : i * nc + best] = 2;
					changed = 1;
				}
			}
		}
	}
}

static const char *shown(struct ctx *c, int64_t v, unsigned char mark)
{
	return mark == 1 ? "< 5" : mark == 2 ? "–" : page_num(c, v);
}

static void students_section(struct ctx *c, const char *school)
{
	struct students_sum r;
	struct buf *b = PB(c);
	const size_t *gorder, *xorder, *dorder;
	size_t ng, nx, nd, g, x, i, j, nr = 0, ncol = 0, ndr = 0, *rows, *cols, *drow;
	int64_t *v, *colsum, rowsum;
	unsigned char *mark, *dmark, hid = 0;
	int64_t *dv;

	html_f(b, "<h2 id=\"students\">นักเรียน <span lang=\"en\">Students</span></h2>\n");
	if (read_students(c, school, &r)) {
		page_notice(c, "error", "อ่านข้อมูลนักเรียนไม่สำเร็จ", "cannot read the students");
		return;
	}
	if (!r.total) {
		html_f(b, "<p>ยังไม่มีข้อมูลนักเรียน <span lang=\"en\">No student data yet.</span></p>\n");
		return;
	}
	ng = r.grade->ncodes + 1;
	nx = r.gender->ncodes + 1;
	nd = r.disadv->ncodes + 1;
	gorder = page_code_order(c, r.grade);
	xorder = page_code_order(c, r.gender);
	dorder = page_code_order(c, r.disadv);
	colsum = arena_alloc(&c->rq->mem, nx * sizeof *colsum);
	rows = arena_alloc(&c->rq->mem, ng * sizeof *rows);
	cols = arena_alloc(&c->rq->mem, nx * sizeof *cols);
	v = arena_alloc(&c->rq->mem, (ng + 1) * (nx + 1) * sizeof *v);
	mark = arena_alloc(&c->rq->mem, (ng + 1) * (nx + 1));
	dv = arena_alloc(&c->rq->mem, (nd + 1) * 2 * sizeof *dv);
	dmark = arena_alloc(&c->rq->mem, (nd + 1) * 2);
	drow = arena_alloc(&c->rq->mem, nd * sizeof *drow);
	if (!gorder || !xorder || !dorder || !colsum || !rows || !cols || !v || !mark || !dv || !dmark || !drow) {
		page_notice(c, "error", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	/* the grades and genders present, in the code lists' order (the last
	 * index holds codes not in the list) */
	memset(colsum, 0, nx * sizeof *colsum);
	for (g = 0; g < ng; g++)
		for (x = 0; x < nx; x++)
			colsum[x] += r.cell[g * nx + x];
	for (i = 0; i < nx; i++) {
		x = i < r.gender->ncodes ? xorder[i] : i;
		if (colsum[x])
			cols[ncol++] = x;
	}
	for (i = 0; i < ng; i++) {
		g = i < r.grade->ncodes ? gorder[i] : i;
		for (rowsum = 0, x = 0; x < nx; x++)
			rowsum += r.cell[g * nx + x];
		if (rowsum)
			rows[nr++] = g;
	}
	/* the table with its totals, then what to hide */
	memset(v, 0, (nr + 1) * (ncol + 1) * sizeof *v);
	for (i = 0; i < nr; i++)
		for (j = 0; j < ncol; j++) {
			int64_t n = r.cell[rows[i] * nx + cols[j]];

			v[i * (ncol + 1) + j] = n;
			v[i * (ncol + 1) + ncol] += n;
			v[nr * (ncol + 1) + j] += n;
			v[nr * (ncol + 1) + ncol] += n;
		}
	suppress(c, v, mark, nr + 1, ncol + 1);
	/* every category of the list, and codes not in it when there are some */
	for (i = 0; i < nd; i++) {
		g = i < r.disadv->ncodes ? dorder[i] : i;
		if (g == r.disadv->ncodes && !r.by_disadv[g])
			continue;
		drow[ndr] = g;
		dv[ndr * 2] = dv[ndr * 2 + 1] = r.by_disadv[g];
		ndr++;
	}
	dv[ndr * 2] = dv[ndr * 2 + 1] = r.total;
	suppress(c, dv, dmark, ndr + 1, 2);
	for (i = 0; i < (nr + 1) * (ncol + 1); i++)
		hid |= (unsigned char)(1 << mark[i]);
	for (i = 0; i < (ndr + 1) * 2; i++)
		hid |= (unsigned char)(1 << dmark[i]);

	html_f(b, "<p>ปีการศึกษา %lld (ล่าสุดที่มีข้อมูล): %s คน "
		  "<span lang=\"en\">academic year %lld B.E., the latest in the data: %s students</span></p>\n",
	       (long long)r.year, shown(c, r.total, mark[(nr + 1) * (ncol + 1) - 1]), (long long)r.year,
	       shown(c, r.total, mark[(nr + 1) * (ncol + 1) - 1]));

	/* grade x gender */
	html_f(b, "<div class=\"table-wrap\"><table>\n<caption>นักเรียนจำแนกตามระดับชั้นและเพศ ปีการศึกษา %lld "
		  "<span lang=\"en\">Students by grade and gender, %lld</span></caption>\n<thead><tr>"
		  "<th scope=\"col\">ระดับชั้น <span lang=\"en\">Grade</span></th>",
	       (long long)r.year, (long long)r.year);
	for (j = 0; j < ncol; j++)
		html_f(b, "<th scope=\"col\" class=\"num\">%s <span lang=\"en\">%s</span></th>", label_at(r.gender, cols[j]),
		       label_en_at(r.gender, cols[j]));
	html_f(b, "<th scope=\"col\" class=\"num\">รวม <span lang=\"en\">Total</span></th></tr></thead>\n<tbody>\n");
	for (i = 0; i <= nr; i++) {
		if (i == nr)
			html_f(b, "</tbody>\n<tfoot><tr><th scope=\"row\">รวม <span lang=\"en\">Total</span></th>");
		else
			html_f(b, "<tr><th scope=\"row\">%s <span lang=\"en\">%s</span></th>", label_at(r.grade, rows[i]),
			       label_en_at(r.grade, rows[i]));
		for (j = 0; j <= ncol; j++)
			html_f(b, "<td class=\"num\">%s</td>", shown(c, v[i * (ncol + 1) + j], mark[i * (ncol + 1) + j]));
		html_f(b, "</tr>\n");
	}
	html_f(b, "</tfoot>\n</table></div>\n");

	/* disadvantage */
	html_f(b, "<div class=\"table-wrap\"><table>\n<caption>นักเรียนจำแนกตามความด้อยโอกาส ปีการศึกษา %lld "
		  "<span lang=\"en\">Students by disadvantage, %lld</span></caption>\n<thead><tr>"
		  "<th scope=\"col\">ความด้อยโอกาส <span lang=\"en\">Disadvantage</span></th>"
		  "<th scope=\"col\" class=\"num\">จำนวน (คน) <span lang=\"en\">Students</span></th></tr></thead>\n<tbody>\n",
	       (long long)r.year, (long long)r.year);
	for (i = 0; i < ndr; i++)
		html_f(b, "<tr><th scope=\"row\">%s <span lang=\"en\">%s</span></th><td class=\"num\">%s</td></tr>\n",
		       label_at(r.disadv, drow[i]), label_en_at(r.disadv, drow[i]), shown(c, dv[i * 2], dmark[i * 2]));
	html_f(b, "</tbody>\n<tfoot><tr><th scope=\"row\">รวม <span lang=\"en\">Total</span></th>"
		  "<td class=\"num\">%s</td></tr></tfoot>\n</table></div>\n",
	       shown(c, r.total, dmark[ndr * 2]));
	if (hid & 2)
		page_suppression_note(c);
	if (hid & 4)
		html_f(b, "<p class=\"note\">– ไม่แสดงเพื่อไม่ให้คำนวณตัวเลขที่ซ่อนไว้จากผลรวมได้ "
			  "<span lang=\"en\">– not shown, so that a hidden number cannot be worked out from the totals</span></p>\n");
}

/* Results of the latest academic year: per subject of each domain. */
struct subj_stat {
	int64_t n;                /* values */
	double sum;               /* K: scores */
	int64_t hits;             /* S, A: values at or above the level */
	int64_t students, last;   /* distinct students; the last one counted */
};

struct domain_sum {
	const char *code;         /* K, S, A */
	const struct std_codelist *subjects;
	struct subj_stat *st;     /* subjects->ncodes + 1 */
	int threshold;            /* S, A: the level counted */
};

static int read_outcomes(struct ctx *c, const char *school, struct domain_sum d[3], int64_t *year)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, "outcomes");
	struct store_query q = ctx_query(c);
	struct store_filter f;
	struct store_scan *sc = NULL;
	struct val_value *vals;
	unsigned char prev[64];
	size_t prevn = 0, k;
	int64_t seq = 0;
	int fid, fs, fy, fd, fsub, fscore, flevel, rc;
	static const char *codes[3] = { "K", "S", "A" };
	static const int thresholds[3] = { 0, 3, 2 };

	*year = 0;
	if (!ds || (fid = std_field_index(ds, "citizen_id", 10)) < 0 ||
	    (fs = std_field_index(ds, "school_code", 11)) < 0 || (fy = std_field_index(ds, "academic_year", 13)) < 0 ||
	    (fd = std_field_index(ds, "domain", 6)) < 0 || (fsub = std_field_index(ds, "subject_code", 12)) < 0 ||
	    (fscore = std_field_index(ds, "score", 5)) < 0 || (flevel = std_field_index(ds, "level", 5)) < 0)
		return NAWAT_ENOTFOUND;
	for (k = 0; k < 3; k++) {
		d[k].code = codes[k];
		d[k].threshold = thresholds[k];
		d[k].subjects = std_field_codelist(&ds->fields[fsub], codes[k], 1);
		if (!d[k].subjects)
			return NAWAT_ENOTFOUND;
		d[k].st = arena_alloc(&c->rq->mem, (d[k].subjects->ncodes + 1) * sizeof *d[k].st);
		if (!d[k].st)
			return NAWAT_ENOMEM;
		memset(d[k].st, 0, (d[k].subjects->ncodes + 1) * sizeof *d[k].st);
	}
	if (!(vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals)))
		return NAWAT_ENOMEM;
	page_filter_text(&f, fs, school);
	q.filters = &f;
	q.nfilters = 1;
	if ((rc = store_scan_open(c->st, ds, &q, &sc)))
		return rc;
	/* rows come in key order, the student first: a student's rows are
	 * together, so counting distinct students needs no set */
	while ((rc = store_scan_next(sc, vals)) == 1) {
		const struct val_value *id = &vals[fid], *dv = &vals[fd], *sv = &vals[fsub];
		struct subj_stat *s;

		if (id->n != prevn || (id->n && memcmp(id->s, prev, id->n))) {
			seq++;
			prevn = id->n < sizeof prev ? id->n : sizeof prev;
			if (id->s)
				memcpy(prev, id->s, prevn);
		}
		if (vals[fy].state != VAL_SET || vals[fy].i < *year || dv->state != VAL_SET || dv->n != 1)
			continue;
		if (vals[fy].i > *year) {
			*year = vals[fy].i;
			for (k = 0; k < 3; k++)
				memset(d[k].st, 0, (d[k].subjects->ncodes + 1) * sizeof *d[k].st);
		}
		for (k = 0; k < 3 && d[k].code[0] != dv->s[0]; k++)
			;
		if (k == 3)
			continue;
		s = &d[k].st[code_index(d[k].subjects, sv->s ? sv->s : "", sv->s ? sv->n : 0)];
		if (k == 0) {
			if (vals[fscore].state != VAL_SET)
				continue;
			s->sum += vals[fscore].d;
		} else {
			if (vals[flevel].state != VAL_SET)
				continue;
			s->hits += vals[flevel].i >= d[k].threshold;
		}
		s->n++;
		if (s->last != seq) {
			s->last = seq;
			s->students++;
		}
	}
	store_scan_close(sc);
	return rc < 0 ? rc : 0;
}

static const char *fixed(struct ctx *c, double v, int decimals)
{
	char *out = arena_alloc(&c->rq->mem, 32);

	if (!out)
		return "";
	snprintf(out, 32, "%.*f", decimals, v);
	return out;
}

static void outcomes_section(struct ctx *c, const char *school)
{
	static const struct {
		const char *th, *en, *measure_th, *measure_en;
	} titles[3] = {
		{ "ความรู้: คะแนนเฉลี่ยตามกลุ่มสาระการเรียนรู้", "Knowledge: mean score by learning area",
		  "คะแนนเฉลี่ย (เต็ม 100)", "Mean score (of 100)" },
		{ "ทักษะและสมรรถนะ: สัดส่วนที่ระดับ 3 (ชำนาญ) ขึ้นไป", "Skills and competencies: share at level 3 (proficient) or above",
		  "ร้อยละระดับ 3 ขึ้นไป", "% at level 3 or above" },
		{ "เจตคติ: สัดส่วนที่ระดับ 2 (ดี) ขึ้นไป", "Attitude: share at level 2 (good) or above",
		  "ร้อยละระดับ 2 ขึ้นไป", "% at level 2 or above" },
	};
	struct domain_sum d[3];
	struct buf *b = PB(c);
	int64_t year;
	size_t k, j;
	int hidden = 0, any = 0;

	html_f(b, "<h2 id=\"results\">ผลการเรียนรู้ <span lang=\"en\">Learner outcomes</span></h2>\n");
	if (read_outcomes(c, school, d, &year)) {
		page_notice(c, "error", "อ่านผลการเรียนรู้ไม่สำเร็จ", "cannot read the outcomes");
		return;
	}
	if (!year) {
		html_f(b, "<p>ยังไม่มีผลการเรียนรู้ <span lang=\"en\">No outcomes yet.</span></p>\n");
		return;
	}
	html_f(b, "<p>ปีการศึกษา %lld (ล่าสุดที่มีข้อมูล) รวมทุกภาคเรียนและทุกเครื่องมือวัด "
		  "<span lang=\"en\">academic year %lld B.E., the latest in the data; all terms and instruments together</span></p>\n",
	       (long long)year, (long long)year);
	for (k = 0; k < 3; k++) {
		const size_t *order = page_code_order(c, d[k].subjects);
		int rows = 0;

		for (j = 0; j <= d[k].subjects->ncodes; j++) {
			size_t i = j == d[k].subjects->ncodes ? j : order ? order[j] : j;
			const struct subj_stat *s = &d[k].st[i];
			int hide = page_suppressed(c, s->students);

			if (!s->n)
				continue;
			if (!rows++)
				html_f(b, "<div class=\"table-wrap\"><table>\n<caption>%s <span lang=\"en\">%s</span></caption>\n"
					  "<thead><tr><th scope=\"col\">%s <span lang=\"en\">%s</span></th>"
					  "<th scope=\"col\" class=\"num\">นักเรียน (คน) <span lang=\"en\">Students</span></th>"
					  "<th scope=\"col\" class=\"num\">จำนวนผล <span lang=\"en\">Results</span></th>"
					  "<th scope=\"col\" class=\"num\">%s <span lang=\"en\">%s</span></th></tr></thead>\n<tbody>\n",
				       titles[k].th, titles[k].en, d[k].subjects->title_th, d[k].subjects->title_en,
				       titles[k].measure_th, titles[k].measure_en);
			hidden |= hide;
			html_f(b, "<tr><th scope=\"row\">%s <span lang=\"en\">%s</span></th><td class=\"num\">%s</td>"
				  "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
			       label_at(d[k].subjects, i), label_en_at(d[k].subjects, i),
			       page_count(c, s->students, s->students), page_count(c, s->n, s->students),
			       hide ? "< 5" : k == 0 ? fixed(c, s->sum / (double)s->n, 2)
						     : fixed(c, 100.0 * (double)s->hits / (double)s->n, 1));
		}
		if (rows) {
			html_f(b, "</tbody>\n</table></div>\n");
			any = 1;
		}
	}
	if (!any)
		html_f(b, "<p>ไม่มีผลที่สรุปได้ <span lang=\"en\">Nothing to summarise.</span></p>\n");
	if (hidden)
		page_suppression_note(c);
}

void page_school(struct ctx *c, const char *code)
{
	const struct std_dataset *ds = std_dataset(c->app->pkg, "schools");
	struct store_query q = ctx_query(c);
	struct store_filter f;
	struct store_scan *sc = NULL;
	struct val_value *vals;
	struct buf *b = PB(c);
	int fcode, fname, fname_en, rc;
	const char *name, *name_en;

	if (!ds || (fcode = std_field_index(ds, "school_code", 11)) < 0 ||
	    (fname = std_field_index(ds, "name_th", 7)) < 0 || (fname_en = std_field_index(ds, "name_en", 7)) < 0 ||
	    !(vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals))) {
		page_error(c, 500, "มาตรฐานข้อมูลไม่มีชุดข้อมูลสถานศึกษา", "the standard lacks the schools data set");
		return;
	}
	page_filter_text(&f, fcode, code);
	q.filters = &f;
	q.nfilters = 1;
	q.limit = 1;
	if ((rc = store_scan_open(c->st, ds, &q, &sc)) == 0)
		rc = store_scan_next(sc, vals);
	if (rc != 1) {
		store_scan_close(sc);
		if (rc < 0)
			page_error(c, 500, "อ่านข้อมูลสถานศึกษาไม่สำเร็จ", "cannot read the school");
		else
			page_error(c, 404, "ไม่พบสถานศึกษานี้ หรือสถานศึกษานี้อยู่นอกขอบเขตสิทธิ์ของคุณ",
				   "no such school, or it is outside your scope");
		return;
	}
	name = page_vstr(c, &vals[fname]);
	name_en = page_vstr(c, &vals[fname_en]);
	page_begin(c, "schools", name, *name_en ? name_en : "School");
	html_f(b, "<p class=\"crumbs\"><a href=\"/schools\">สถานศึกษาทั้งหมด <span lang=\"en\">All schools</span></a></p>\n"
		  "<ul class=\"toc\"><li><a href=\"#profile\">ข้อมูลสถานศึกษา <span lang=\"en\">Profile</span></a></li>"
		  "<li><a href=\"#students\">นักเรียน <span lang=\"en\">Students</span></a></li>"
		  "<li><a href=\"#results\">ผลการเรียนรู้ <span lang=\"en\">Learner outcomes</span></a></li>"
		  "<li><a href=\"/submissions?school=%s\">การส่งข้อมูลของสถานศึกษานี้ <span lang=\"en\">Submissions of this school</span></a></li>"
		  "<li><a href=\"/completeness?school=%s\">ความครบถ้วนของข้อมูล <span lang=\"en\">Completeness</span></a></li>"
		  "<li><a href=\"/equity?scope=school:%s\">ผลสัมฤทธิ์และความเหลื่อมล้ำ <span lang=\"en\">Outcomes and equity</span></a></li></ul>\n"
		  "<h2 id=\"profile\">ข้อมูลสถานศึกษา <span lang=\"en\">Profile</span></h2>\n", code, code, code);
	page_profile(c, ds, vals);
	store_scan_close(sc);
	students_section(c, code);
	outcomes_section(c, code);
	page_end(c);
}
