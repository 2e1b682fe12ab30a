/*
 * pages_equity.c - the dashboards of learner outcomes and equity (/equity):
 * the nation, an area, a province or a school, for a year, term and
 * instrument.
 *
 * Each part is a table of numbers (struct tab) drawn as an SVG chart beside
 * it, and downloadable as CSV or XLSX (/equity/NAME.csv, .xlsx, with the
 * same query): an overview, the gaps by learning area, the levels of the
 * competencies and of the desirable characteristics, the trend over the
 * years, pilot schools beside the others, the distribution of scores, and
 * the areas or schools within (links to their own dashboards).  The numbers
 * are those of GET /api/v1/equity (analytics/equity.h), with small groups
 * hidden for researchers and with view=public.
 */
#include "eqweb.h"
#include "page.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../exchange/csvout.h"
#include "../exchange/reader.h"
#include "../exchange/xlsxout.h"
#include "../report/chart.h"
#include "../store/schema.h"

/* ---- tables ---- */

enum { C_TEXT, C_NUM, C_NULL };

struct cell {
	int kind;
	const char *s;            /* C_TEXT */
	double v;                 /* C_NUM */
	int places;               /* -1: an integer; 100: a share shown as % with 1 place */
	const char *href;         /* a link (the first column) */
	const char *abbr;         /* the first column's label in a chart (a code) */
};

struct tab {
	const char *id, *th, *en;
	size_t ncol;
	const char *const *hth, *const *hen;
	struct cell *c;
	size_t nrow, cap;
	const char *note_th, *note_en; /* the scope compared in (pilot schools) */
};

static void tab_init(struct tab *t, const char *id, const char *th, const char *en, size_t ncol,
		     const char *const *hth, const char *const *hen)
{
	memset(t, 0, sizeof *t);
	t->id = id;
	t->th = th;
	t->en = en;
	t->ncol = ncol;
	t->hth = hth;
	t->hen = hen;
}

/* A new row (its cells null), or NULL. */
static struct cell *tab_row(struct ctx *c, struct tab *t)
{
	struct cell *row;
	size_t i;

	if (t->nrow == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16;
		struct cell *n = arena_alloc(&c->rq->mem, nc * t->ncol * sizeof *n);

		if (!n)
			return NULL;
		if (t->c)
			memcpy(n, t->c, t->nrow * t->ncol * sizeof *n);
		t->c = n;
		t->cap = nc;
	}
	row = &t->c[t->nrow++ * t->ncol];
	for (i = 0; i < t->ncol; i++) {
		memset(&row[i], 0, sizeof row[i]);
		row[i].kind = C_NULL;
	}
	return row;
}

static void set_text(struct cell *x, const char *s)
{
	x->kind = C_TEXT;
	x->s = s ? s : "";
}

static void set_num(struct cell *x, double v, int places)
{
	x->kind = C_NUM;
	x->v = v;
	x->places = places;
}

/* A number of an answer by its path (null when null or missing). */
static void set_path(struct cell *x, const json_t *j, const char *path, int places)
{
	double v;

	if (j && eq_path_number(j, path, &v))
		set_num(x, v, places);
}

/* Numbers of an answer into row[1..n] by their paths (after prefix). */
struct colspec {
	const char *path;
	int places;
};

static void set_paths(struct cell *row, const json_t *j, const char *prefix, const struct colspec *cs, size_t n)
{
	char path[128];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s%s", prefix, cs[i].path);
		set_path(&row[1 + i], j, path, cs[i].places);
	}
}

static const char *cell_text(struct ctx *c, const struct cell *x)
{
	char *out;

	if (x->kind == C_TEXT)
		return x->s;
	if (x->kind == C_NULL)
		return "—";
	if (x->places < 0)
		return page_num(c, (long long)llround(x->v));
	if (!(out = arena_alloc(&c->rq->mem, 40)))
		return "";
	if (x->places == 100)
		snprintf(out, 40, "%.1f%%", x->v * 100);
	else
		snprintf(out, 40, "%.*f", x->places, x->v);
	return out;
}

/* The query of the page as URL parameters ("scope=...&..."), with or
 * without the year. */
static const char *query_text(struct ctx *c, const struct eq_query *q, int with_year)
{
	char sc[40], *out = arena_alloc(&c->rq->mem, 256);
	size_t n;

	if (!out)
		return "";
	n = (size_t)snprintf(out, 256, "scope=%s&term=%lld&instrument=%s", eq_scope_text(&q->scope, sc, sizeof sc),
			     (long long)q->term, q->instrument);
	if (q->cohort)
		n += (size_t)snprintf(out + n, 256 - n, "&cohort=%lld", (long long)q->cohort);
	else if (q->pilot)
		n += (size_t)snprintf(out + n, 256 - n, "&pilot=%c", q->pilot);
	if (with_year)
		n += (size_t)snprintf(out + n, 256 - n, "&academic_year=%lld", (long long)q->year);
	if (http_query(c->rq, "view"))
		snprintf(out + n, 256 - n, "&view=public");
	return out;
}

static void tab_html(struct ctx *c, const struct tab *t, const struct eq_query *q)
{
	struct buf *b = PB(c);
	size_t r, k;

	/* the table may scroll sideways beside its chart: the region takes the focus to scroll by keyboard */
	html_f(b, "<div class=\"eq-table\"><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		  "aria-labelledby=\"cap-%s\"><table class=\"eq\" id=\"t-%s\">\n"
		  "<caption id=\"cap-%s\">%s <span lang=\"en\">%s</span></caption>\n<thead><tr>",
	       t->id, t->id, t->id, t->th, t->en);
	for (k = 0; k < t->ncol; k++)
		html_f(b, "<th scope=\"col\"%R>%s <span lang=\"en\">%s</span></th>", k ? " class=\"num\"" : "", t->hth[k],
		       t->hen[k]);
	html_f(b, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < t->nrow; r++) {
		const struct cell *row = &t->c[r * t->ncol];

		html_f(b, "<tr>");
		for (k = 0; k < t->ncol; k++) {
			const char *v = cell_text(c, &row[k]);

			if (k == 0 && row[k].href) {
				html_f(b, "<th scope=\"row\"><a href=\"%s\">%s</a></th>", row[k].href, v);
			} else if (k == 0) {
				html_f(b, "<th scope=\"row\">%s</th>", v);
			} else {
				html_f(b, "<td class=\"num\">%s</td>", v);
			}
		}
		html_f(b, "</tr>\n");
	}
	if (!t->nrow)
		html_f(b, "<tr><td colspan=\"%zu\">ไม่มีข้อมูล <span lang=\"en\">No data</span></td></tr>\n", t->ncol);
	html_f(b, "</tbody>\n</table></div>\n");
	if (t->note_th)
		html_f(b, "<p class=\"note\">เปรียบเทียบในขอบเขต %s <span lang=\"en\">compared within %s</span></p>\n",
		       t->note_th, t->note_th);
	html_f(b, "<p class=\"downloads\">ดาวน์โหลดตารางนี้ <span lang=\"en\">Download this table</span>: "
		  "<a href=\"/equity/%s.csv?%s\" download>CSV</a> · <a href=\"/equity/%s.xlsx?%s\" download>XLSX</a></p>\n</div>\n",
	       t->id, query_text(c, q, 1), t->id, query_text(c, q, 1));
}

/* The numbers of column k of a table (NAN for null), into the arena. */
static const double *tab_col(struct ctx *c, const struct tab *t, size_t k)
{
	double *v = arena_alloc(&c->rq->mem, (t->nrow ? t->nrow : 1) * sizeof *v);
	size_t r;

	for (r = 0; v && r < t->nrow; r++)
		v[r] = t->c[r * t->ncol + k].kind == C_NUM ? t->c[r * t->ncol + k].v : NAN;
	return v;
}

static const char *const *tab_cats(struct ctx *c, const struct tab *t)
{
	const char **v = arena_alloc(&c->rq->mem, (t->nrow ? t->nrow : 1) * sizeof *v);
	size_t r;

	for (r = 0; v && r < t->nrow; r++)
		v[r] = t->c[r * t->ncol].abbr ? t->c[r * t->ncol].abbr : cell_text(c, &t->c[r * t->ncol]);
	return v;
}

/* A chart of columns cols[0..n) of a table (series named by their headers). */
enum { K_BARS, K_STACKED, K_LINES };

static void tab_chart(struct ctx *c, const struct tab *t, int kind, const size_t *cols, size_t n, int percent,
		      double min, double max, const char *desc)
{
	struct chart_series s[8];
	struct chart ch;
	size_t i;
	char *id = arena_alloc(&c->rq->mem, 48);

	if (!id || !t->nrow || n > 8)
		return;
	snprintf(id, 48, "c-%s", t->id);
	for (i = 0; i < n; i++) {
		s[i].name = t->hth[cols[i]];
		s[i].v = tab_col(c, t, cols[i]);
		if (!s[i].v)
			return;
	}
	memset(&ch, 0, sizeof ch);
	ch.id = id;
	ch.title = t->th;
	ch.desc = desc;
	ch.cats = tab_cats(c, t);
	ch.ncat = t->nrow;
	ch.series = s;
	ch.nseries = n;
	ch.min = min;
	ch.max = max;
	ch.percent = percent;
	if (!ch.cats)
		return;
	html_f(PB(c), "<figure class=\"eq-chart\">");
	if (kind == K_BARS)
		chart_bars(PB(c), &ch);
	else if (kind == K_STACKED)
		chart_stacked(PB(c), &ch);
	else
		chart_lines(PB(c), &ch);
	html_f(PB(c), "<figcaption>ตัวเลขของแผนภูมิอยู่ในตารางด้านข้าง <span lang=\"en\">the numbers are in the table beside it</span></figcaption></figure>\n");
}

/* ---- the parts ---- */

static int overview(struct ctx *c, const json_t *a, struct tab *t)
{
	static const char *const hth[] = { "ตัวชี้วัด", "ค่า" }, *const hen[] = { "Metric", "Value" };
	static const struct {
		const char *path, *th, *en;
		int places;
	} m[] = {
		{ "students", "จำนวนนักเรียนที่มีผลการประเมิน", "Students with results", -1 },
		{ "knowledge.mean", "คะแนนความรู้เฉลี่ย", "Knowledge: mean score", 2 },
		{ "knowledge.sd", "ส่วนเบี่ยงเบนมาตรฐาน", "Knowledge: standard deviation", 2 },
		{ "knowledge.median", "มัธยฐาน", "Knowledge: median", 2 },
		{ "knowledge.q1", "ควอร์ไทล์ที่ 1", "Knowledge: first quartile", 2 },
		{ "knowledge.q3", "ควอร์ไทล์ที่ 3", "Knowledge: third quartile", 2 },
		{ "knowledge.below_pass_share", "สัดส่วนคะแนนต่ำกว่า 50", "Knowledge: share below 50", 100 },
		{ "knowledge.gap", "ช่องว่าง: ไม่ด้อยโอกาส ลบ ยากจนหรือยากจนพิเศษ", "Gap: not disadvantaged minus poor or extremely poor", 2 },
		{ "knowledge.gap_extreme", "ช่องว่าง: ไม่ด้อยโอกาส ลบ ยากจนพิเศษ", "Gap: not disadvantaged minus extremely poor", 2 },
		{ "knowledge.effect_size", "ขนาดอิทธิพลของช่องว่าง", "Effect size of the gap", 2 },
		{ "knowledge.disadvantaged_below_pass_share", "สัดส่วนต่ำกว่า 50 ของผู้ด้อยโอกาส", "Share below 50, disadvantaged", 100 },
		{ "skills.proficient_share", "สมรรถนะ: สัดส่วนระดับชำนาญขึ้นไป", "Skills: share proficient or above", 100 },
		{ "skills.gap", "สมรรถนะ: ช่องว่าง", "Skills: gap", 100 },
		{ "attitude.good_share", "คุณลักษณะ: สัดส่วนระดับดีขึ้นไป", "Attitude: share good or above", 100 },
		{ "attitude.gap", "คุณลักษณะ: ช่องว่าง", "Attitude: gap", 100 },
	};
	size_t i;

	tab_init(t, "overview", "ภาพรวม", "Overview", 2, hth, hen);
	for (i = 0; i < sizeof m / sizeof m[0]; i++) {
		struct cell *row = tab_row(c, t);
		char *label = arena_alloc(&c->rq->mem, 256);

		if (!row || !label)
			return NAWAT_ENOMEM;
		snprintf(label, 256, "%s / %s", m[i].th, m[i].en);
		set_text(&row[0], label);
		set_path(&row[1], a, m[i].path, m[i].places);
	}
	return 0;
}

/* Knowledge: by disadvantage, for the whole and each learning area. */
static int learning_areas(struct ctx *c, const json_t *a, struct tab *t)
{
	static const char *const hth[] = { "กลุ่มสาระ", "จำนวน", "เฉลี่ย", "ไม่ด้อยโอกาส", "ยากจน", "ยากจนพิเศษ",
					   "ช่องว่าง", "ช่องว่าง (ยากจนพิเศษ)", "ขนาดอิทธิพล", "ต่ำกว่า 50" };
	static const char *const hen[] = { "Learning area", "Results", "Mean", "Not disadvantaged", "Poor",
					   "Extremely poor", "Gap", "Gap (extremely poor)", "Effect size", "Below 50" };
	static const struct colspec cols[] = { { "n", -1 }, { "mean", 2 }, { "mean_by_disadvantage.0", 2 },
					       { "mean_by_disadvantage.1", 2 }, { "mean_by_disadvantage.2", 2 },
					       { "gap", 2 }, { "gap_extreme", 2 }, { "effect_size", 2 },
					       { "below_pass_share", 100 } };
	const json_t *k = json_object_get(a, "knowledge"), *by = json_object_get(k, "by_learning_area"), *o;
	const struct std_codelist *cl = std_codelist(c->app->pkg, "learning_area");
	const size_t *order = cl ? page_code_order(c, cl) : NULL;
	size_t i;

	tab_init(t, "learning_areas", "ความรู้ จำแนกตามกลุ่มสาระและความด้อยโอกาส",
		 "Knowledge by learning area and disadvantage", 10, hth, hen);
	for (i = 0; cl && order && i <= cl->ncodes; i++) {
		const char *code = i < cl->ncodes ? cl->codes[order[i]].code : NULL;
		struct cell *row;
		char *label;

		o = code ? json_object_get(by, code) : k;
		if (!o || !json_is_object(o))
			continue;
		if (!(row = tab_row(c, t)) || !(label = arena_alloc(&c->rq->mem, 200)))
			return NAWAT_ENOMEM;
		if (code)
			snprintf(label, 200, "%s %s", code, cl->codes[order[i]].label_th);
		else
			snprintf(label, 200, "ทุกกลุ่มสาระ / all");
		set_text(&row[0], label);
		row[0].abbr = code ? code : "ทั้งหมด";
		set_paths(row, o, "", cols, sizeof cols / sizeof cols[0]);
	}
	return 0;
}

/* Skills or attitude: level shares of each competency or characteristic. */
static int levels(struct ctx *c, const json_t *a, struct tab *t, int skills)
{
	static const char *const sth[] = { "สมรรถนะ", "จำนวน", "1 เริ่มต้น", "2 กำลังพัฒนา", "3 ชำนาญ", "4 เชี่ยวชาญ",
					   "ชำนาญขึ้นไป", "ช่องว่าง" };
	static const char *const sen[] = { "Competency", "Results", "1 beginning", "2 developing", "3 proficient",
					   "4 advanced", "Proficient or above", "Gap" };
	static const char *const ath[] = { "คุณลักษณะ", "จำนวน", "0 ไม่ผ่าน", "1 ผ่าน", "2 ดี", "3 ดีเยี่ยม",
					   "ดีขึ้นไป", "ช่องว่าง" };
	static const char *const aen[] = { "Characteristic", "Results", "0 not passed", "1 passed", "2 good",
					   "3 excellent", "Good or above", "Gap" };
	const json_t *d = json_object_get(a, skills ? "skills" : "attitude");
	const json_t *by = json_object_get(d, skills ? "by_competency" : "by_characteristic");
	const struct std_codelist *cl = std_codelist(c->app->pkg, skills ? "competency" : "attitude");
	const size_t *order = cl ? page_code_order(c, cl) : NULL;
	size_t i, l;

	tab_init(t, skills ? "competencies" : "characteristics",
		 skills ? "ระดับสมรรถนะ" : "ระดับคุณลักษณะอันพึงประสงค์",
		 skills ? "Competency levels" : "Levels of the desirable characteristics", 8, skills ? sth : ath,
		 skills ? sen : aen);
	for (i = 0; cl && order && i < cl->ncodes; i++) {
		const json_t *o = json_object_get(by, cl->codes[order[i]].code), *lv;
		struct cell *row;
		double n;

		if (!o)
			continue;
		if (!(row = tab_row(c, t)))
			return NAWAT_ENOMEM;
		set_text(&row[0], cl->codes[order[i]].label_th);
		row[0].abbr = cl->codes[order[i]].label_th;
		set_path(&row[1], o, "n", -1);
		lv = json_object_get(o, "levels");
		for (l = 0; l < 4; l++) {
			char k[2] = { (char)('0' + l + (skills ? 1 : 0)), 0 };
			const json_t *x = json_object_get(lv, k);

			if (json_is_integer(x) && eq_path_number(o, "n", &n) && n > 0)
				set_num(&row[2 + l], (double)json_integer_value(x) / n, 100);
		}
		set_path(&row[6], o, skills ? "proficient_share" : "good_share", 100);
		set_path(&row[7], o, "gap", 100);
	}
	return 0;
}

static int trend(struct ctx *c, const json_t *tr, struct tab *t)
{
	static const char *const hth[] = { "ปีการศึกษา", "นักเรียน", "ความรู้เฉลี่ย", "ไม่ด้อยโอกาส", "ยากจน",
					   "ยากจนพิเศษ", "ช่องว่าง", "สมรรถนะชำนาญขึ้นไป", "คุณลักษณะดีขึ้นไป" };
	static const char *const hen[] = { "Academic year", "Students", "Knowledge mean", "Not disadvantaged", "Poor",
					   "Extremely poor", "Gap", "Skills proficient", "Attitude good" };
	static const struct colspec cols[] = { { "students", -1 }, { "knowledge.mean", 2 },
					       { "knowledge.mean_by_disadvantage.0", 2 },
					       { "knowledge.mean_by_disadvantage.1", 2 },
					       { "knowledge.mean_by_disadvantage.2", 2 }, { "knowledge.gap", 2 },
					       { "skills.proficient_share", 100 }, { "attitude.good_share", 100 } };
	const json_t *years = json_object_get(tr, "years"), *y;
	size_t i;

	tab_init(t, "trend", "แนวโน้มรายปี", "Trend over the years", 9, hth, hen);
	json_array_foreach(years, i, y) {
		struct cell *row = tab_row(c, t);
		char *year = arena_alloc(&c->rq->mem, 24);

		if (!row || !year)
			return NAWAT_ENOMEM;
		snprintf(year, 24, "%lld", (long long)json_integer_value(json_object_get(y, "academic_year")));
		set_text(&row[0], year);
		set_paths(row, y, "", cols, sizeof cols / sizeof cols[0]);
	}
	return 0;
}

/* Pilot schools beside the others (each an answer of the same scope). */
static int pilots(struct ctx *c, const json_t *py, const json_t *pn, struct tab *t)
{
	static const char *const hth[] = { "กลุ่มสาระ", "สถานศึกษานำร่อง", "สถานศึกษาอื่น", "ผลต่าง",
					   "ช่องว่าง (นำร่อง)", "ช่องว่าง (อื่น)" };
	static const char *const hen[] = { "Learning area", "Pilot schools", "Other schools", "Difference",
					   "Gap (pilot)", "Gap (others)" };
	const struct std_codelist *cl = std_codelist(c->app->pkg, "learning_area");
	const size_t *order = cl ? page_code_order(c, cl) : NULL;
	char path[64];
	size_t i;

	tab_init(t, "pilot", "สถานศึกษานำร่องเทียบกับสถานศึกษาอื่น (คะแนนความรู้เฉลี่ย)",
		 "Pilot schools beside the others (mean knowledge score)", 6, hth, hen);
	for (i = 0; cl && order && i <= cl->ncodes; i++) {
		const char *code = i < cl->ncodes ? cl->codes[order[i]].code : NULL;
		struct cell *row;
		double a, b;

		if (code) {
			snprintf(path, sizeof path, "knowledge.by_learning_area.%s.n", code);
			if (!eq_path_number(py, path, &a) && !eq_path_number(pn, path, &b) &&
			    !json_object_get(json_object_get(json_object_get(py, "knowledge"), "by_learning_area"), code) &&
			    !json_object_get(json_object_get(json_object_get(pn, "knowledge"), "by_learning_area"), code))
				continue;
		}
		if (!(row = tab_row(c, t)))
			return NAWAT_ENOMEM;
		set_text(&row[0], code ? cl->codes[order[i]].label_th : "ทุกกลุ่มสาระ / all");
		row[0].abbr = code ? code : "ทั้งหมด";
		snprintf(path, sizeof path, code ? "knowledge.by_learning_area.%s.mean" : "knowledge.mean", code);
		set_path(&row[1], py, path, 2);
		set_path(&row[2], pn, path, 2);
		if (eq_path_number(py, path, &a) && eq_path_number(pn, path, &b))
			set_num(&row[3], a - b, 2);
		snprintf(path, sizeof path, code ? "knowledge.by_learning_area.%s.gap" : "knowledge.gap", code);
		set_path(&row[4], py, path, 2);
		set_path(&row[5], pn, path, 2);
	}
	return 0;
}

/* The distribution of the knowledge scores in ten-point bands. */
static int distribution(struct ctx *c, const int64_t *h, struct tab *t)
{
	static const char *const hth[] = { "ช่วงคะแนน", "จำนวนผล", "สัดส่วน" };
	static const char *const hen[] = { "Scores", "Results", "Share" };
	int64_t total = 0, band;
	size_t i, b;

	tab_init(t, "distribution", "การกระจายของคะแนนความรู้", "Distribution of the knowledge scores", 3, hth, hen);
	for (i = 0; i < SCHEMA_HIST_BINS; i++)
		total += h[i];
	for (i = 0; i < 10 && total; i++) {
		struct cell *row = tab_row(c, t);
		char *label = arena_alloc(&c->rq->mem, 24);

		if (!row || !label)
			return NAWAT_ENOMEM;
		for (band = 0, b = i * 10; b < (i == 9 ? SCHEMA_HIST_BINS : i * 10 + 10); b++)
			band += h[b];
		snprintf(label, 24, i == 9 ? "%zu-100" : "%zu-%zu", i * 10, i * 10 + 9);
		set_text(&row[0], label);
		set_num(&row[1], (double)band, -1);
		set_num(&row[2], (double)band / (double)total, 100);
	}
	return 0;
}

/* The areas (for the nation) or schools (for an area or a province) within. */
static int within(struct ctx *c, const struct eq_query *q, struct tab *t)
{
	static const char *const hth[] = { "พื้นที่/สถานศึกษา", "นักเรียน", "ความรู้เฉลี่ย", "ช่องว่าง",
					   "สมรรถนะชำนาญขึ้นไป", "คุณลักษณะดีขึ้นไป" };
	static const char *const hen[] = { "Area/school", "Students", "Knowledge mean", "Gap", "Skills proficient",
					   "Attitude good" };
	static const struct colspec cols[] = { { "students", -1 }, { "knowledge.mean", 2 }, { "knowledge.gap", 2 },
					       { "skills.proficient_share", 100 }, { "attitude.good_share", 100 } };
	struct store_stmt *s;
	const char *sql;
	int rc, n = 0;

	if (q->scope.kind == EQ_SCHOOL)
		return 0;
	tab_init(t, "within", q->scope.kind == EQ_NATIONAL ? "พื้นที่นวัตกรรม" : "สถานศึกษา",
		 q->scope.kind == EQ_NATIONAL ? "Sandbox areas" : "Schools", 6, hth, hen);
	sql = q->scope.kind == EQ_NATIONAL
		      ? "SELECT DISTINCT r.code, a.name_th FROM eq_rollup r JOIN areas a ON a.area_code = r.code "
			"WHERE r.level = 'A' AND r.academic_year = ? AND r.term = ? AND r.instrument = ? AND ? = ? "
			"ORDER BY r.code"
		      : "SELECT DISTINCT c.school_code, sc.name_th FROM eq_cells c JOIN schools sc ON sc.school_code = "
			"c.school_code WHERE c.academic_year = ? AND c.term = ? AND c.instrument = ? AND "
			"(sc.area_code = ? OR sc.province_code = ?) ORDER BY c.school_code";
	if ((rc = store_prepare(c->st, sql, &s)))
		return rc;
	if (!(rc = store_bind_int(s, 1, q->year)) && !(rc = store_bind_int(s, 2, q->term)) &&
	    !(rc = store_bind_str(s, 3, q->instrument)) &&
	    !(rc = store_bind_str(s, 4, q->scope.kind == EQ_AREA ? q->scope.code : "")) &&
	    !(rc = store_bind_str(s, 5, q->scope.kind == EQ_PROVINCE ? q->scope.code : "")))
		while ((rc = store_step(s)) == 1 && n++ < 500) {
			struct cell *row = tab_row(c, t);
			const char *code = store_col_text(s, 0, NULL), *name = store_col_text(s, 1, NULL);
			struct eq_query u = *q;
			json_t *a = NULL;
			char *label, *href;

			if (!row || !(label = arena_alloc(&c->rq->mem, 300)) || !(href = arena_alloc(&c->rq->mem, 300))) {
				rc = NAWAT_ENOMEM;
				break;
			}
			u.scope.kind = q->scope.kind == EQ_NATIONAL ? EQ_AREA : EQ_SCHOOL;
			snprintf(u.scope.code, sizeof u.scope.code, "%s", code ? code : "");
			snprintf(label, 300, "%s %s", code ? code : "", name ? name : "");
			set_text(&row[0], label);
			u.pilot = q->pilot;
			snprintf(href, 300, "/equity?%s", query_text(c, &u, 1));
			row[0].href = href;
			if (eq_metrics(c->st, &u, &a))
				continue;
			set_paths(row, a, "", cols, sizeof cols / sizeof cols[0]);
			json_decref(a);
		}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* ---- the page ---- */

/* The name of the scope, Thai and English. */
static void scope_name(struct ctx *c, const struct eq_scope *sc, const char **th, const char **en)
{
	const struct std_package *pkg = c->app->pkg;
	struct store_stmt *s = NULL;
	char *t = arena_alloc(&c->rq->mem, 300), *e = arena_alloc(&c->rq->mem, 300);

	*th = "ทั้งประเทศ";
	*en = "Nationwide";
	if (!t || !e || sc->kind == EQ_NATIONAL)
		return;
	if (sc->kind == EQ_PROVINCE) {
		snprintf(t, 300, "จังหวัด%s", page_label(pkg, "province", sc->code));
		snprintf(e, 300, "%s province", page_label_en(pkg, "province", sc->code));
	} else if (!store_prepare(c->st, sc->kind == EQ_AREA ? "SELECT name_th, name_en FROM areas WHERE area_code = ?"
								: "SELECT name_th, name_en FROM schools WHERE school_code = ?",
				  &s) &&
		   !store_bind_str(s, 1, sc->code) && store_step(s) == 1) {
		const char *a = store_col_text(s, 0, NULL), *b = store_col_text(s, 1, NULL);

		snprintf(t, 300, "%s", a ? a : sc->code);
		snprintf(e, 300, "%s", b && *b ? b : sc->code);
	} else {
		snprintf(t, 300, "%s", sc->code);
		snprintf(e, 300, "%s", sc->code);
	}
	store_finalize(s);
	*th = t;
	*en = e;
}

/* The scope that pilot schools are compared in: the province of the
 * dashboard's scope when the caller may read it, else the scope itself
 * (0: no comparison, for one school). */
static int compare_scope(struct ctx *c, const struct eq_query *q, struct eq_scope *out)
{
	struct store_stmt *s = NULL;
	int ok = 0;

	*out = q->scope;
	if (auth_scope(&c->user).kind != SCOPE_ALL)
		return q->scope.kind != EQ_SCHOOL;
	if (q->scope.kind == EQ_NATIONAL || q->scope.kind == EQ_PROVINCE)
		return 1;
	if (!store_prepare(c->st, q->scope.kind == EQ_SCHOOL
					  ? "SELECT MIN(province_code), MAX(province_code) FROM schools WHERE school_code = ?"
					  : "SELECT MIN(province_code), MAX(province_code) FROM schools WHERE area_code = ?",
			   &s) &&
	    !store_bind_str(s, 1, q->scope.code) && store_step(s) == 1) {
		const char *lo = store_col_text(s, 0, NULL), *hi = store_col_text(s, 1, NULL);

		if (lo && hi && !strcmp(lo, hi)) {
			out->kind = EQ_PROVINCE;
			snprintf(out->code, sizeof out->code, "%s", lo);
			ok = 1;
		}
	}
	store_finalize(s);
	return ok || q->scope.kind == EQ_AREA;
}

/* Every table of the dashboard (the charts draw from them). */
enum { T_OVERVIEW, T_AREAS, T_SKILLS, T_ATTITUDE, T_TREND, T_PILOT, T_DIST, T_WITHIN, T_COUNT };

struct dash {
	struct eq_query q;
	json_t *a, *tr, *py, *pn;
	struct eq_scope cmp;
	int has_cmp, has_dist;
	int64_t h[SCHEMA_HIST_BINS];
	struct tab t[T_COUNT];
};

static void dash_free(struct dash *d)
{
	json_decref(d->a);
	json_decref(d->tr);
	json_decref(d->py);
	json_decref(d->pn);
}

/* 0, or an HTTP status with its message. */
static int dash_load(struct ctx *c, struct dash *d, const char **th, const char **en)
{
	struct eq_query x;
	int rc;

	memset(d, 0, sizeof *d);
	if ((rc = eqweb_query(c, &d->q, th, en)))
		return rc;
	rc = eq_defaults(c->st, &d->q);
	if (rc == NAWAT_ENOTFOUND) {
		*th = "ยังไม่มีผลการประเมินผู้เรียนในขอบเขตนี้";
		*en = "no learner results in this scope yet";
		return 404;
	}
	if (rc || (rc = eq_metrics(c->st, &d->q, &d->a)) || (rc = eq_trend(c->st, &d->q, &d->tr)))
		goto store;
	if ((d->has_cmp = compare_scope(c, &d->q, &d->cmp))) {
		x = d->q;
		x.scope = d->cmp;
		x.cohort = 0;
		x.pilot = 'Y';
		if ((rc = eq_metrics(c->st, &x, &d->py)))
			goto store;
		x.pilot = 'N';
		if ((rc = eq_metrics(c->st, &x, &d->pn)))
			goto store;
	}
	if ((d->has_dist = !d->q.suppress) && (rc = eq_histogram(c->st, &d->q, d->h)))
		goto store;
	if (overview(c, d->a, &d->t[T_OVERVIEW]) || learning_areas(c, d->a, &d->t[T_AREAS]) ||
	    levels(c, d->a, &d->t[T_SKILLS], 1) || levels(c, d->a, &d->t[T_ATTITUDE], 0) ||
	    trend(c, d->tr, &d->t[T_TREND]) || (d->has_cmp && pilots(c, d->py, d->pn, &d->t[T_PILOT])) ||
	    (d->has_dist && distribution(c, d->h, &d->t[T_DIST])) || within(c, &d->q, &d->t[T_WITHIN])) {
		*th = "หน่วยความจำไม่พอ หรืออ่านข้อมูลไม่สำเร็จ";
		*en = "out of memory, or the store failed";
		return 500;
	}
	return 0;
store:
	*th = c->st->err.th;
	*en = c->st->err.en;
	return 500;
}

static void select_years(struct ctx *c, const struct dash *d)
{
	const json_t *years = json_object_get(d->tr, "years"), *y;
	size_t i;

	html_f(PB(c), "<p><label for=\"academic_year\">ปีการศึกษา <span lang=\"en\">Academic year</span></label>"
		      "<select id=\"academic_year\" name=\"academic_year\">");
	json_array_foreach(years, i, y) {
		long long v = json_integer_value(json_object_get(y, "academic_year"));

		html_f(PB(c), "<option value=\"%lld\"%R>%lld</option>", v, v == d->q.year ? " selected" : "", v);
	}
	html_f(PB(c), "</select></p>\n");
}

static void choices(struct ctx *c, const struct dash *d)
{
	const struct std_codelist *ins = std_codelist(c->app->pkg, "instrument");
	struct buf *b = PB(c);
	char sc[40];
	size_t i;

	html_f(b, "<form class=\"filters\" method=\"get\" action=\"/equity\">\n<input type=\"hidden\" name=\"scope\" value=\"%s\">\n",
	       eq_scope_text(&d->q.scope, sc, sizeof sc));
	if (http_query(c->rq, "view"))
		html_f(b, "<input type=\"hidden\" name=\"view\" value=\"public\">\n");
	select_years(c, d);
	html_f(b, "<p><label for=\"term\">ภาคเรียน <span lang=\"en\">Term</span></label><select id=\"term\" name=\"term\">");
	for (i = 0; i < 3; i++)
		html_f(b, "<option value=\"%zu\"%R>%s</option>", i, (int64_t)i == d->q.term ? " selected" : "",
		       page_label(c->app->pkg, "term", i == 0 ? "0" : i == 1 ? "1" : "2"));
	html_f(b, "</select></p>\n<p><label for=\"instrument\">เครื่องมือวัด <span lang=\"en\">Instrument</span></label>"
		  "<select id=\"instrument\" name=\"instrument\">");
	for (i = 0; ins && i < ins->ncodes; i++)
		html_f(b, "<option value=\"%s\"%R>%s %s</option>", ins->codes[i].code,
		       !strcmp(ins->codes[i].code, d->q.instrument) ? " selected" : "", ins->codes[i].code,
		       ins->codes[i].label_th);
	html_f(b, "</select></p>\n<p><label for=\"pilot\">สถานศึกษา <span lang=\"en\">Schools</span></label>"
		  "<select id=\"pilot\" name=\"pilot\"><option value=\"\"%R>ทั้งหมด / all</option>"
		  "<option value=\"Y\"%R>นำร่อง / pilot</option><option value=\"N\"%R>อื่น / others</option></select></p>\n"
		  "<p class=\"buttons\"><button type=\"submit\">แสดง <span lang=\"en\">Show</span></button></p>\n</form>\n",
	       !d->q.pilot ? " selected" : "", d->q.pilot == 'Y' ? " selected" : "", d->q.pilot == 'N' ? " selected" : "");
}

static void section(struct ctx *c, const char *id, const char *th, const char *en)
{
	html_f(PB(c), "<section class=\"eq-part\" aria-labelledby=\"h-%s\">\n<h2 id=\"h-%s\">%s <span lang=\"en\">%s</span></h2>\n"
		      "<div class=\"eq-row\">\n",
	       id, id, th, en);
}

static void section_end(struct ctx *c)
{
	html_f(PB(c), "</div>\n</section>\n");
}

/* The parts of the dashboard: a table, and a chart of some of its
 * columns (or of another table's). */
struct part {
	const char *id, *th, *en;
	int table, chart, kind;
	size_t cols[4], ncols;
	int percent;
	double max;
	const char *desc;
};

static const struct part parts[] = {
	{ "overview", "ภาพรวม", "Overview", T_OVERVIEW, T_AREAS, K_BARS, { 3, 4, 5 }, 3, 0, 100,
	  "คะแนนความรู้เฉลี่ยของนักเรียนแต่ละกลุ่มความด้อยโอกาส จำแนกตามกลุ่มสาระ / mean knowledge score of each "
	  "disadvantage group, by learning area" },
	{ "gaps", "ช่องว่างตามกลุ่มสาระการเรียนรู้", "Gaps by learning area", T_AREAS, 0, 0, { 0 }, 0, 0, 0, NULL },
	{ "skills", "สมรรถนะ", "Competencies", T_SKILLS, T_SKILLS, K_STACKED, { 2, 3, 4, 5 }, 4, 1, 1,
	  "สัดส่วนของผลแต่ละระดับในแต่ละสมรรถนะ / share of results at each level, by competency" },
	{ "attitude", "คุณลักษณะอันพึงประสงค์", "Desirable characteristics", T_ATTITUDE, T_ATTITUDE, K_STACKED,
	  { 2, 3, 4, 5 }, 4, 1, 1,
	  "สัดส่วนของผลแต่ละระดับในแต่ละคุณลักษณะ / share of results at each level, by characteristic" },
	{ "trend", "แนวโน้ม", "Trend", T_TREND, T_TREND, K_LINES, { 3, 4, 5 }, 3, 0, 100,
	  "คะแนนความรู้เฉลี่ยรายปีของแต่ละกลุ่มความด้อยโอกาส / mean knowledge score of each disadvantage group, by year" },
	{ "pilot", "สถานศึกษานำร่องเทียบกับสถานศึกษาอื่น", "Pilot schools and the others", T_PILOT, T_PILOT, K_BARS,
	  { 1, 2 }, 2, 0, 100,
	  "คะแนนความรู้เฉลี่ยของสถานศึกษานำร่องและสถานศึกษาอื่น / mean knowledge score of pilot and other schools" },
	{ "distribution", "การกระจายของคะแนน", "Score distribution", T_DIST, T_DIST, K_BARS, { 1 }, 1, 0, 0,
	  "จำนวนผลคะแนนความรู้ในแต่ละช่วงสิบคะแนน / knowledge results in each ten-point band" },
	{ "within", "พื้นที่หรือสถานศึกษาภายใน", "Areas or schools within", T_WITHIN, 0, 0, { 0 }, 0, 0, 0, NULL },
};

static void dashboard(struct ctx *c)
{
	struct dash d;
	const char *th, *en, *nth, *nen;
	char *title_th, *title_en;
	struct buf *b = PB(c);
	char sc[40];
	size_t i;
	int rc = dash_load(c, &d, &th, &en);

	if (rc) {
		dash_free(&d);
		page_error(c, rc, th, en);
		return;
	}
	scope_name(c, &d.q.scope, &nth, &nen);
	title_th = arena_alloc(&c->rq->mem, 400);
	title_en = arena_alloc(&c->rq->mem, 400);
	if (!title_th || !title_en) {
		dash_free(&d);
		page_error(c, 500, "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	snprintf(title_th, 400, "ผลสัมฤทธิ์และความเหลื่อมล้ำ: %s", nth);
	snprintf(title_en, 400, "Outcomes and equity: %s", nen);
	page_begin(c, "equity", title_th, title_en);
	html_f(b, "<p class=\"lead\">ปีการศึกษา %lld ภาคเรียน %s เครื่องมือวัด %s%s "
		  "<span lang=\"en\">Academic year %lld, term %lld, instrument %s%s</span></p>\n",
	       (long long)d.q.year, page_label(c->app->pkg, "term", d.q.term == 0 ? "0" : d.q.term == 1 ? "1" : "2"),
	       page_label(c->app->pkg, "instrument", d.q.instrument),
	       d.q.pilot == 'Y' ? " (สถานศึกษานำร่อง)" : d.q.pilot == 'N' ? " (สถานศึกษาอื่น)" : "", (long long)d.q.year,
	       (long long)d.q.term, d.q.instrument,
	       d.q.pilot == 'Y' ? " (pilot schools)" : d.q.pilot == 'N' ? " (other schools)" : "");
	choices(c, &d);
	if (d.q.suppress)
		html_f(b, "<div class=\"notice\" role=\"status\"><p>ไม่แสดงค่าที่มาจากกลุ่มนักเรียนน้อยกว่า 5 คน (—) "
			  "รวมถึงค่าที่จะคำนวณย้อนกลับหากลุ่มเล็กได้</p><p lang=\"en\">Values resting on groups of fewer than 5 "
			  "students are not shown (—), nor values from which such a group could be worked out.</p></div>\n");

	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const struct part *p = &parts[i];

		if ((p->table == T_PILOT && !d.has_cmp) || (p->table == T_DIST && !d.has_dist) ||
		    (p->table == T_WITHIN && d.q.scope.kind == EQ_SCHOOL))
			continue;
		section(c, p->id, p->th, p->en);
		if (p->ncols)
			tab_chart(c, &d.t[p->chart], p->kind, p->cols, p->ncols, p->percent, 0, p->max, p->desc);
		if (p->table == T_PILOT)
			d.t[T_PILOT].note_th = arena_strdup(&c->rq->mem, eq_scope_text(&d.cmp, sc, sizeof sc));
		tab_html(c, &d.t[p->table], &d.q);
		section_end(c);
	}
	html_f(b, "<p class=\"note\">นิยามของตัวชี้วัดอยู่ใน docs/equity.md และใช้ชื่อเดียวกับ "
		  "<code>GET /api/v1/equity</code> <span lang=\"en\">The metrics are defined in docs/equity.md, with "
		  "the names of <code>GET /api/v1/equity</code>.</span></p>\n");
	dash_free(&d);
	page_end(c);
}

/* ---- downloads ---- */

static void download(struct ctx *c, const char *name)
{
	static const char *const ids[T_COUNT] = { "overview", "learning_areas", "competencies", "characteristics",
						  "trend", "pilot", "distribution", "within" };
	const char *dot = strrchr(name, '.'), *th, *en;
	struct dash d;
	struct tab *t = NULL;
	struct nw_err e;
	char *text = NULL, *disp;
	size_t len = 0, i, r, k;
	FILE *fp;
	int rc, xlsx;

	if (!dot || (strcmp(dot, ".csv") && strcmp(dot, ".xlsx"))) {
		page_error(c, 404, "ไม่มีไฟล์นี้", "no such file");
		return;
	}
	xlsx = !strcmp(dot, ".xlsx");
	if ((rc = dash_load(c, &d, &th, &en))) {
		dash_free(&d);
		page_error(c, rc, th, en);
		return;
	}
	for (i = 0; i < T_COUNT; i++)
		if ((size_t)(dot - name) == strlen(ids[i]) && !strncmp(name, ids[i], strlen(ids[i])) && d.t[i].id)
			t = &d.t[i];
	if (!t) {
		dash_free(&d);
		page_error(c, 404, "ไม่มีตารางนี้", "no such table");
		return;
	}
	err_clear(&e);
	fp = open_memstream(&text, &len);
	rc = fp ? 0 : NAWAT_ENOMEM;
	if (!rc && !xlsx) {
		struct csvw w;

		csvw_init(&w, fp, 0);
		fputs("\xEF\xBB\xBF", fp); /* the BOM: spreadsheet programs read the Thai right */
		for (k = 0; k < t->ncol; k++) {
			char h[256];

			snprintf(h, sizeof h, "%s (%s)", t->hth[k], t->hen[k]);
			csvw_str(&w, h);
		}
		csvw_end(&w);
		for (r = 0; r < t->nrow; r++) {
			for (k = 0; k < t->ncol; k++) {
				const struct cell *x = &t->c[r * t->ncol + k];
				char v[48];

				if (x->kind == C_TEXT)
					csvw_str(&w, x->s);
				else if (x->kind == C_NULL)
					csvw_str(&w, "");
				else {
					snprintf(v, sizeof v, x->places < 0 ? "%.0f" : x->places == 100 ? "%.4f" : "%.2f", x->v);
					csvw_str(&w, v);
				}
			}
			csvw_end(&w);
		}
		rc = csvw_status(&w);
	} else if (!rc) {
		struct xlsxw w;
		lxw_worksheet *ws;

		if (!(rc = xlsxw_open(&w, 0, &e))) {
			ws = workbook_add_worksheet(w.wb, t->id);
			for (k = 0; ws && !rc && k < t->ncol; k++) {
				char h[256];

				snprintf(h, sizeof h, "%s (%s)", t->hth[k], t->hen[k]);
				rc = xlsxw_text(&w, ws, 0, (uint16_t)k, h, strlen(h), w.header, &e);
				worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, k ? 16 : 40, NULL);
			}
			for (r = 0; ws && !rc && r < t->nrow; r++)
				for (k = 0; !rc && k < t->ncol; k++) {
					const struct cell *x = &t->c[r * t->ncol + k];

					if (x->kind == C_TEXT)
						rc = xlsxw_text(&w, ws, (uint32_t)r + 1, (uint16_t)k, x->s, strlen(x->s), w.text, &e);
					else if (x->kind == C_NUM)
						worksheet_write_number(ws, (uint32_t)r + 1, (uint16_t)k, x->v, w.number);
				}
			if (!ws)
				rc = err_msg(&e, NAWAT_ENOMEM, "สร้างแผ่นงานไม่ได้", "cannot add the sheet");
			rc = xlsxw_close(&w, rc, fp, &e);
		}
	}
	if (fp && fclose(fp))
		rc = rc ? rc : NAWAT_EIO;
	disp = arena_alloc(&c->rq->mem, 256);
	if (rc || !text || !disp) {
		free(text);
		dash_free(&d);
		page_error(c, 500, "สร้างไฟล์ไม่ได้", "cannot make the file");
		return;
	}
	snprintf(disp, 256, "attachment; filename=\"nawat-equity-%s%s\"", t->id, dot);
	c->rs->status = 200;
	c->rs->content_type = xlsx ? REC_XLSX_TYPE : "text/csv; charset=utf-8";
	http_resp_header(c->rs, "Content-Disposition", disp);
	http_resp_header(c->rs, "Cache-Control", "no-store");
	buf_append(PB(c), text, len);
	free(text);
	dash_free(&d);
}

int eqweb_route(struct ctx *c)
{
	const char *p = c->rq->path;

	if (strcmp(c->rq->method, "GET"))
		return 0;
	if (!strcmp(p, "/equity")) {
		dashboard(c);
		return 1;
	}
	if (!strncmp(p, "/equity/", 8) && p[8] && !strchr(p + 8, '/')) {
		download(c, p + 8);
		return 1;
	}
	return 0;
}
