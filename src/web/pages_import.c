/*
 * pages_import.c - importing a file from the browser: a form (data set,
 * file, dry run, accept valid rows), then the same import pipeline as the
 * API's POST /api/v1/{dataset} (imp_run, scoped to the caller), and the
 * result: counts per data set, whether anything was written, and the
 * validation report as a table (the first 1,000 issues, with a link to the
 * whole report of the submission).
 */
#include "page.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "../exchange/import.h"

#define REPORT_SHOWN 1000

/* ---- the form ---- */

struct form_state {
	const char *dataset;
	int dry_run, accept_valid, ignore_unknown;
};

static int writable_count(struct ctx *c)
{
	const struct std_package *pkg = c->app->pkg;
	size_t i;
	int n = 0;

	for (i = 0; i < pkg->ndatasets; i++)
		n += auth_can_write(&c->user, &pkg->datasets[i]) != 0;
	return n;
}

static void import_form(struct ctx *c, const struct form_state *s)
{
	const struct std_package *pkg = c->app->pkg;
	struct buf *b = PB(c);
	size_t i;

	if (!writable_count(c)) {
		page_notice(c, "info", "บทบาทของคุณอ่านข้อมูลได้อย่างเดียว นำเข้าข้อมูลไม่ได้",
			    "your role reads data only and cannot import");
		return;
	}
	html_f(b, "<h2 id=\"form\">นำเข้าไฟล์ <span lang=\"en\">Import a file</span></h2>\n"
		  "<form class=\"import\" method=\"post\" action=\"/import\" enctype=\"multipart/form-data\">\n");
	page_csrf(c);
	html_f(b, "\n<p><label for=\"dataset\">ชุดข้อมูล <span lang=\"en\">Data set</span></label>"
		  "<select id=\"dataset\" name=\"dataset\" required>\n");
	for (i = 0; i < pkg->ndatasets; i++) {
		const struct std_dataset *ds = &pkg->datasets[i];

		if (!auth_can_write(&c->user, ds))
			continue;
		html_f(b, "<option value=\"%s\"%R>%s (%s)</option>\n", ds->name,
		       s && s->dataset && !strcmp(s->dataset, ds->name) ? " selected" : "", ds->title_th, ds->name);
	}
	html_f(b, "</select></p>\n"
		  "<p><label for=\"file\">ไฟล์ <span lang=\"en\">File</span></label>"
		  "<input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,.xlsx,.json,.ndjson\" required "
		  "aria-describedby=\"file-hint\">"
		  "<span class=\"hint\" id=\"file-hint\">CSV (UTF-8 หรือ TIS-620 ตรวจให้อัตโนมัติ), XLSX (Excel), JSON หรือ NDJSON "
		  "แถวแรกของ CSV และ XLSX คือชื่อคอลัมน์ตาม<a href=\"/standard\">มาตรฐานข้อมูล</a> "
		  "XLSX อ่านแผ่นงานที่ชื่อเดียวกับชุดข้อมูล หรือแผ่นงานแรก "
		  "<span lang=\"en\">CSV (UTF-8 or TIS-620, detected), XLSX (Excel), JSON or NDJSON; the first line of a "
		  "CSV or XLSX file names the columns of the data standard; in an XLSX file, the sheet named like the "
		  "data set is read, else the first</span></span></p>\n"
		  "<fieldset><legend>ตัวเลือก <span lang=\"en\">Options</span></legend>\n"
		  "<p class=\"check\"><input id=\"dry_run\" name=\"dry_run\" type=\"checkbox\" value=\"1\"%R>"
		  "<label for=\"dry_run\">ตรวจสอบอย่างเดียว ไม่บันทึก <span lang=\"en\">Dry run: check only, write nothing</span></label></p>\n"
		  "<p class=\"check\"><input id=\"accept_valid\" name=\"accept_valid\" type=\"checkbox\" value=\"1\"%R>"
		  "<label for=\"accept_valid\">บันทึกเฉพาะแถวที่ถูกต้อง (ปกติ: มีข้อผิดพลาดแถวเดียวก็ไม่บันทึกทั้งไฟล์) "
		  "<span lang=\"en\">Accept the valid rows (by default one error rejects the whole file)</span></label></p>\n"
		  "<p class=\"check\"><input id=\"ignore_unknown\" name=\"ignore_unknown\" type=\"checkbox\" value=\"1\"%R>"
		  "<label for=\"ignore_unknown\">ข้ามคอลัมน์ที่ไม่อยู่ในมาตรฐาน <span lang=\"en\">Ignore columns "
		  "the standard does not have</span></label></p>\n</fieldset>\n"
		  "<p><button type=\"submit\">นำเข้า <span lang=\"en\">Import</span></button></p>\n</form>\n",
	       s && s->dry_run ? " checked" : "", s && s->accept_valid ? " checked" : "",
	       s && s->ignore_unknown ? " checked" : "");
	html_f(b, "<h2>แบบฟอร์มไฟล์ <span lang=\"en\">File templates</span></h2>\n<ul>\n");
	for (i = 0; i < pkg->ndatasets; i++) {
		const struct std_dataset *ds = &pkg->datasets[i];

		if (auth_can_write(&c->user, ds))
			html_f(b, "<li>แบบฟอร์ม%s <span lang=\"en\">template of %s</span>: "
				  "<a href=\"/standard/templates/%s.xlsx\" download>XLSX</a> · "
				  "<a href=\"/standard/templates/%s.csv\" download>CSV</a></li>\n",
			       ds->title_th, ds->title_en, ds->name, ds->name);
	}
	html_f(b, "</ul>\n");
}

/* ---- the report, read back from its CSV ---- */

struct rep {
	struct ctx *c;
	struct buf cell[8];       /* file,row,column,value,code,severity,message_th,message_en */
	size_t col;
	int64_t row, total, shown;
};

static void rep_field(void *s, size_t n, void *data)
{
	struct rep *r = data;

	if (r->col < 8) {
		buf_reset(&r->cell[r->col]);
		buf_append(&r->cell[r->col], s ? s : "", s ? n : 0);
	}
	r->col++;
}

static void rep_row(int ch, void *data)
{
	struct rep *r = data;
	struct buf *b = PB(r->c);
	const char *sev;
	int warning;

	(void)ch;
	if (!r->col)
		return;
	if (r->row++ == 0 || r->col < 8)
		goto next; /* the header line */
	r->total++;
	if (r->shown >= REPORT_SHOWN)
		goto next;
	if (!r->shown++)
		html_f(b, "<div class=\"table-wrap\"><table class=\"report\">\n<caption>ปัญหาที่พบ เรียงตามแถวของไฟล์ "
			  "<span lang=\"en\">Issues, in the file's row order</span></caption>\n<thead><tr>"
			  "<th scope=\"col\" class=\"num\">แถว <span lang=\"en\">Row</span></th>"
			  "<th scope=\"col\">คอลัมน์ <span lang=\"en\">Column</span></th>"
			  "<th scope=\"col\">ค่า <span lang=\"en\">Value</span></th>"
			  "<th scope=\"col\">รหัสปัญหา <span lang=\"en\">Code</span></th>"
			  "<th scope=\"col\">ระดับ <span lang=\"en\">Severity</span></th>"
			  "<th scope=\"col\">คำอธิบาย</th>"
			  "<th scope=\"col\" lang=\"en\">Message</th></tr></thead>\n<tbody>\n");
	sev = buf_str(&r->cell[5]);
	warning = !strcmp(sev, "warning");
	html_f(b, "<tr class=\"%s\"><th scope=\"row\" class=\"num\">%s</th><td><code>%s</code></td><td>%s</td>"
		  "<td><code>%s</code></td><td>%s <span lang=\"en\">%s</span></td><td>%s</td><td lang=\"en\">%s</td></tr>\n",
	       warning ? "warn" : "err", buf_str(&r->cell[1]), buf_str(&r->cell[2]), buf_str(&r->cell[3]),
	       buf_str(&r->cell[4]), warning ? "คำเตือน" : "ข้อผิดพลาด", sev, buf_str(&r->cell[6]),
	       buf_str(&r->cell[7]));
next:
	r->col = 0;
}

/* Renders the report in rep (rewound); returns the number of issues. */
static int64_t report_table(struct ctx *c, FILE *rep)
{
	struct csv_parser p;
	struct rep r;
	char block[65536];
	size_t n, i;

	memset(&r, 0, sizeof r);
	r.c = c;
	for (i = 0; i < 8; i++)
		buf_init(&r.cell[i], (size_t)1 << 16);
	if (csv_init(&p, 0)) {
		page_notice(c, "error", "อ่านรายงานไม่ได้", "cannot read the report");
		goto out;
	}
	rewind(rep);
	while ((n = fread(block, 1, sizeof block, rep)) > 0)
		csv_parse(&p, block, n, rep_field, rep_row, &r);
	csv_fini(&p, rep_field, rep_row, &r);
	csv_free(&p);
	if (r.shown)
		html_f(PB(c), "</tbody>\n</table></div>\n");
out:
	for (i = 0; i < 8; i++)
		buf_release(&r.cell[i]);
	return r.total;
}

/* ---- running it ---- */

static void counts_table(struct ctx *c, const struct imp_result *res)
{
	const struct std_package *pkg = c->app->pkg;
	struct buf *b = PB(c);
	size_t i;

	html_f(b, "<div class=\"table-wrap\"><table>\n<caption>จำนวนแถวตามชุดข้อมูล <span lang=\"en\">Rows by data set</span></caption>\n"
		  "<thead><tr><th scope=\"col\">ชุดข้อมูล <span lang=\"en\">Data set</span></th>"
		  "<th scope=\"col\" class=\"num\">แถวทั้งหมด <span lang=\"en\">Rows</span></th>"
		  "<th scope=\"col\" class=\"num\">เพิ่ม <span lang=\"en\">Inserted</span></th>"
		  "<th scope=\"col\" class=\"num\">แก้ไข <span lang=\"en\">Updated</span></th>"
		  "<th scope=\"col\" class=\"num\">คงเดิม <span lang=\"en\">Unchanged</span></th>"
		  "<th scope=\"col\" class=\"num\">ปฏิเสธ <span lang=\"en\">Rejected</span></th>"
		  "<th scope=\"col\" class=\"num\">ข้อผิดพลาด <span lang=\"en\">Errors</span></th>"
		  "<th scope=\"col\" class=\"num\">คำเตือน <span lang=\"en\">Warnings</span></th></tr></thead>\n<tbody>\n");
	for (i = 0; i < pkg->ndatasets; i++) {
		const struct imp_count *n = &res->per_ds[i];

		if (!n->rows && !n->errors)
			continue;
		html_f(b, "<tr><th scope=\"row\">%s <span lang=\"en\">%s</span></th>", pkg->datasets[i].title_th,
		       pkg->datasets[i].title_en);
		html_f(b, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
		       page_num(c, n->rows), page_num(c, n->inserted), page_num(c, n->updated), page_num(c, n->unchanged));
		html_f(b, "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
		       page_num(c, n->rejected), page_num(c, n->errors), page_num(c, n->warnings));
	}
	html_f(b, "</tbody>\n</table></div>\n");
}

/* The file name as the browser gave it, without any folders. */
static const char *upload_name(const char *name)
{
	const char *slash = strrchr(name, '/'), *back = strrchr(name, '\\');

	if (back && (!slash || back > slash))
		slash = back;
	return slash ? slash + 1 : name;
}

/* Removes what the import left in its scratch folder (rejected rows). */
static void scratch_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void bad_upload(struct ctx *c, int status, const struct form_state *s, const char *th, const char *en)
{
	page_begin(c, "import", "นำเข้าข้อมูล", "Import data");
	page_notice(c, "error", th, en);
	import_form(c, s);
	page_end(c);
	c->rs->status = status;
}

static void post(struct ctx *c)
{
	const struct std_dataset *ds;
	struct form_state s;
	struct imp_opts o;
	struct imp_file f;
	struct imp_result res;
	struct nw_err e;
	struct buf *b = PB(c);
	const char *fname = NULL, *tmp = getenv("TMPDIR");
	char scratch[4096];
	FILE *fp, *rep = NULL;
	int64_t total;
	int rc, have_scratch = 0, ran = 0;

	memset(&s, 0, sizeof s);
	memset(&res, 0, sizeof res);
	s.dataset = ctx_form(c, "dataset");
	s.dry_run = ctx_form(c, "dry_run") != NULL;
	s.accept_valid = ctx_form(c, "accept_valid") != NULL;
	s.ignore_unknown = ctx_form(c, "ignore_unknown") != NULL;
	ds = s.dataset ? std_dataset(c->app->pkg, s.dataset) : NULL;
	if (!ds) {
		bad_upload(c, 400, &s, "เลือกชุดข้อมูลที่จะนำเข้า", "choose the data set to import");
		return;
	}
	if (!auth_can_write(&c->user, ds)) {
		bad_upload(c, 403, &s, "บทบาทของคุณนำเข้าชุดข้อมูลนี้ไม่ได้", "your role cannot import this data set");
		return;
	}
	fp = ctx_form_file(c, "file", &fname);
	if (!fp || !fname || !*fname) {
		bad_upload(c, 400, &s, "เลือกไฟล์ที่จะนำเข้า", "choose a file to import");
		return;
	}
	fname = upload_name(fname);
	memset(&f, 0, sizeof f);
	if (rec_format_of(fname, &f.fmt)) {
		bad_upload(c, 400, &s, "ไฟล์ต้องเป็น .csv .xlsx .json หรือ .ndjson",
			   "the file must be .csv, .xlsx, .json or .ndjson");
		return;
	}
	f.fp = fp;
	f.name = fname;
	f.ds = ds;
	memset(&o, 0, sizeof o);
	o.dry_run = s.dry_run;
	o.accept_valid = s.accept_valid;
	o.ignore_unknown = s.ignore_unknown;
	o.user = c->user.name;
	o.scope = auth_scope(&c->user);
	o.xlsx_max_unzipped = c->app->xlsx_max_unzipped;
	o.xlsx_max_strings = c->app->xlsx_max_strings;
	/* the report goes to a temporary file; rejected rows (accept valid) to a
	 * scratch folder removed afterwards, never next to the server */
	snprintf(scratch, sizeof scratch, "%s/nawat-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	rep = tmpfile();
	have_scratch = mkdtemp(scratch) != NULL;
	if (!rep || !have_scratch) {
		page_error(c, 500, "สร้างไฟล์ชั่วคราวไม่ได้", "cannot create a temporary file");
		goto out;
	}
	o.report_fp = rep;
	o.rejected_dir = scratch;
	err_clear(&e);
	rc = imp_run(c->st, c->app->key, &f, 1, &o, &res, &e);
	if (rc) {
		page_error(c, rc == NAWAT_EBUSY ? 503 : 500, e.th[0] ? e.th : "นำเข้าไม่สำเร็จ",
			   e.en[0] ? e.en : "the import failed");
		goto out;
	}
	ran = 1;
	fflush(rep);

	page_begin(c, "import", "ผลการนำเข้าข้อมูล", "Import result");
	html_f(b, "<p>ไฟล์ <strong>%s</strong> · ชุดข้อมูล %s <span lang=\"en\">file %s, data set %s</span></p>\n",
	       fname, ds->title_th, fname, ds->name);
	if (o.dry_run && res.total.errors)
		page_notice(c, "error", "ตรวจสอบอย่างเดียว ไม่ได้บันทึก: พบข้อผิดพลาด แก้ไขตามรายงานด้านล่างก่อนนำเข้า",
			    "dry run, nothing written: there are errors; fix them as the report below says before importing");
	else if (o.dry_run)
		page_notice(c, "ok", "ตรวจสอบอย่างเดียว ไม่ได้บันทึก: ไม่พบข้อผิดพลาด นำเข้าจริงได้",
			    "dry run, nothing written: no errors, the file can be imported");
	else if (res.rolled_back)
		page_notice(c, "error", "ไม่ได้บันทึกข้อมูล: พบข้อผิดพลาด จึงไม่บันทึกทั้งไฟล์ แก้ไขตามรายงานแล้วนำเข้าใหม่ "
					"หรือเลือก \"บันทึกเฉพาะแถวที่ถูกต้อง\"",
			    "nothing written: there are errors, so the whole file was rejected; fix them and import "
			    "again, or choose \"accept the valid rows\"");
	else if (res.committed && res.total.rejected)
		page_notice(c, "ok", "บันทึกเฉพาะแถวที่ถูกต้องแล้ว แถวที่ถูกปฏิเสธอยู่ในรายงานด้านล่าง",
			    "the valid rows were written; the rejected rows are in the report below");
	else if (res.committed)
		page_notice(c, "ok", "บันทึกข้อมูลแล้ว", "the data was written");
	else
		page_notice(c, "info", "ไม่มีข้อมูลเปลี่ยนแปลง", "nothing changed");
	counts_table(c, &res);
	if (o.dry_run)
		html_f(b, "<p class=\"note\">ตรวจสอบอย่างเดียว: ตัวเลขคือสิ่งที่จะเกิดขึ้นหากนำเข้าจริง "
			  "<span lang=\"en\">dry run: the numbers say what an import would do</span></p>\n");

	html_f(b, "<h2 id=\"report\">รายงานผลการตรวจสอบ <span lang=\"en\">Validation report</span></h2>\n");
	total = report_table(c, rep);
	if (!total)
		html_f(b, "<p>ไม่พบปัญหา <span lang=\"en\">No issues.</span></p>\n");
	else if (total > REPORT_SHOWN)
		html_f(b, "<p>แสดง %s รายการแรกจากทั้งหมด %s รายการ <span lang=\"en\">the first %s of %s issues are shown</span></p>\n",
		       page_num(c, REPORT_SHOWN), page_num(c, total), page_num(c, REPORT_SHOWN), page_num(c, total));
	else
		html_f(b, "<p>ทั้งหมด %s รายการ <span lang=\"en\">%s issues in all</span></p>\n", page_num(c, total),
		       page_num(c, total));
	if (res.sub_ids && res.sub_ids[0])
		html_f(b, "<p><a href=\"/api/v1/submissions/%lld/report.csv\" download>ดาวน์โหลดรายงานฉบับเต็ม (CSV) "
			  "<span lang=\"en\">Download the whole report (CSV)</span></a></p>\n",
		       (long long)res.sub_ids[0]);
	else if (total > REPORT_SHOWN)
		html_f(b, "<p>การตรวจสอบอย่างเดียวไม่เก็บรายงานไว้ รายการที่เหลือจะอยู่ในรายงานที่ดาวน์โหลดได้เมื่อนำเข้าจริง "
			  "<span lang=\"en\">A dry run keeps no report: the other issues will be in the downloadable "
			  "report of a real import.</span></p>\n");
	import_form(c, &s);
	page_end(c);
	c->rs->status = res.total.errors ? 422 : 200;
out:
	if (ran)
		imp_result_free(&res);
	if (rep)
		fclose(rep);
	if (have_scratch)
		scratch_remove(scratch);
}

void page_import(struct ctx *c)
{
	if (!strcmp(c->rq->method, "POST")) {
		post(c);
		return;
	}
	page_begin(c, "import", "นำเข้าข้อมูล", "Import data");
	html_f(PB(c), "<p>นำเข้าไฟล์ตามมาตรฐานข้อมูล ระบบตรวจทุกแถวก่อนบันทึกและแสดงรายงานผลการตรวจสอบ "
		      "<span lang=\"en\">Import a file in the data standard: every row is checked before anything is "
		      "written, and you get the validation report.</span></p>\n");
	import_form(c, NULL);
	if (std_dataset(c->app->pkg, "students") && auth_can_write(&c->user, std_dataset(c->app->pkg, "students")))
		html_f(PB(c), "<p><a href=\"/students/relink\">ย้ายประวัตินักเรียนไปยังเลขประจำตัวใหม่ (รหัส G หรือเลขที่บันทึกผิด) "
			      "<span lang=\"en\">Move a student's history to another ID (a G-code, or a mistyped ID)</span></a></p>\n");
	page_end(c);
}
