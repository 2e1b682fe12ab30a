/*
 * pages_standard.c - the data standard for people: every data set with its
 * fields and their rules, every code list, all read from the loaded package
 * (nothing here is written by hand but the words around it); and its files:
 * the package as JSON, the code lists as CSV, and an import template per
 * data set (XLSX or CSV) with one example row that passes validation.
 */
#include "page.h"

#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../exchange/reader.h"
#include "../exchange/template.h"
#include "../standard/validate.h"

static const char *number(struct ctx *c, double d)
{
	char *out = arena_alloc(&c->rq->mem, VAL_NUMBER_MAX);

	if (!out)
		return "";
	val_format_number(d, out, VAL_NUMBER_MAX);
	return out;
}

/* "pilot = Y" or "domain = S, A" */
static void cond_text(struct ctx *c, const struct std_dataset *ds, const struct std_cond *k)
{
	size_t i;

	html_f(PB(c), "<code>%s</code> = ", ds->fields[k->field].name);
	for (i = 0; i < k->nvals; i++)
		html_f(PB(c), "%R<code>%s</code>", i ? ", " : "", k->vals[i]);
}

static void required_cell(struct ctx *c, const struct std_dataset *ds, const struct std_field *f)
{
	struct buf *b = PB(c);

	html_f(b, "<td>");
	if (f->required)
		html_f(b, "ต้องระบุ <span lang=\"en\">required</span>");
	else if (f->required_when.field >= 0) {
		html_f(b, "ต้องระบุเมื่อ ");
		cond_text(c, ds, &f->required_when);
		html_f(b, " <span lang=\"en\">required when so</span>");
	} else
		html_f(b, "ไม่บังคับ <span lang=\"en\">optional</span>");
	if (f->not_allowed_when.field >= 0) {
		html_f(b, "<br>ต้องว่างเมื่อ ");
		cond_text(c, ds, &f->not_allowed_when);
		html_f(b, " <span lang=\"en\">must be empty when so</span>");
	}
	if (f->key_pos >= 0)
		html_f(b, "<br>คีย์หลัก ลำดับที่ %d <span lang=\"en\">primary key, part %d</span>", f->key_pos + 1,
		       f->key_pos + 1);
	html_f(b, "</td>");
}

static void rules_cell(struct ctx *c, const struct std_dataset *ds, const struct std_field *f)
{
	struct buf *b = PB(c);
	size_t i, k;

	html_f(b, "<td><ul class=\"rules\">");
	if (f->desc_th)
		html_f(b, "<li>%s%R%s%R</li>", f->desc_th, f->desc_en ? " <span lang=\"en\">" : "",
		       f->desc_en ? f->desc_en : "", f->desc_en ? "</span>" : "");
	if (f->pattern)
		html_f(b, "<li>รูปแบบ <span lang=\"en\">pattern</span> <code>%s</code></li>", f->pattern);
	if (f->has_min && f->has_max)
		html_f(b, "<li>ช่วง <span lang=\"en\">range</span> %s – %s</li>", number(c, f->min), number(c, f->max));
	else if (f->has_min)
		html_f(b, "<li>ไม่น้อยกว่า <span lang=\"en\">at least</span> %s</li>", number(c, f->min));
	else if (f->has_max)
		html_f(b, "<li>ไม่เกิน <span lang=\"en\">at most</span> %s</li>", number(c, f->max));
	if (f->decimals >= 0 && f->type == STD_NUMBER)
		html_f(b, "<li>ทศนิยมไม่เกิน %d ตำแหน่ง <span lang=\"en\">at most %d decimals</span></li>", f->decimals,
		       f->decimals);
	if (f->type == STD_DATE)
		html_f(b, "<li>วันที่แบบ <code>YYYY-MM-DD</code> (ค.ศ.)%R <span lang=\"en\">ISO date%R</span></li>",
		       f->date_dmy_be ? " หรือ <code>D/M/YYYY</code> (พ.ศ.)" : "",
		       f->date_dmy_be ? ", or D/M/YYYY in B.E." : "");
	if (f->checksum_thai_id)
		html_f(b, "<li>ตรวจหลักตรวจสอบของเลขประจำตัวประชาชน <span lang=\"en\">Thai citizen ID check digit</span></li>");
	if (f->pii)
		html_f(b, "<li>ข้อมูลส่วนบุคคล: เก็บเป็นค่าแฮช%R ไม่เก็บเป็นข้อความปกติ "
			  "<span lang=\"en\">personal data: stored as a keyed hash%R, never in clear</span></li>",
		       f->pii_seal ? "และเข้ารหัส" : "", f->pii_seal ? " and encrypted" : "");
	if (f->codelist)
		html_f(b, "<li>รหัสตาม <a href=\"#cl-%s\">%s</a> <span lang=\"en\">code list %s</span></li>", f->codelist->name,
		       f->codelist->title_th, f->codelist->name);
	if (f->by_field >= 0 && f->nby) {
		html_f(b, "<li>รายการรหัสตามค่า <code>%s</code> <span lang=\"en\">code list by %s</span>:",
		       ds->fields[f->by_field].name, ds->fields[f->by_field].name);
		for (k = 0; k < f->nby; k++)
			html_f(b, "%R<code>%s</code> → <a href=\"#cl-%s\">%s</a>", k ? "; " : " ", f->by_vals[k],
			       f->by_lists[k]->name, f->by_lists[k]->title_th);
		html_f(b, "</li>");
	}
	if (f->age_year_field >= 0)
		html_f(b, "<li>อายุ ณ วันที่ %d/%d ของปี <code>%s</code> ต้องอยู่ระหว่าง %d ถึง %d ปี "
			  "<span lang=\"en\">age on %d/%d of that year between %d and %d</span></li>",
		       f->age_day, f->age_month, ds->fields[f->age_year_field].name, f->age_min, f->age_max, f->age_day,
		       f->age_month, f->age_min, f->age_max);
	for (k = 0; k < f->nprefix; k++) {
		const struct std_prefix_rule *p = &f->prefix[k];

		html_f(b, "<li>หลักที่ %d–%d ต้องตรงกับ <code>%s</code> (%s) <span lang=\"en\">digits %d-%d must equal %s (%s)</span></li>",
		       p->start + 1, p->start + p->len, ds->fields[p->field].name, p->warning ? "คำเตือน" : "ข้อผิดพลาด",
		       p->start + 1, p->start + p->len, ds->fields[p->field].name, p->warning ? "warning" : "error");
	}
	for (k = 0; k < ds->nfk; k++) {
		const struct std_fk *fk = &ds->fks[k];

		for (i = 0; i < fk->n; i++) {
			if (fk->fields[i] != f->index)
				continue;
			html_f(b, "<li>อ้างอิง <span lang=\"en\">refers to</span> <a href=\"#ds-%s\">%s</a>.<code>%s</code>",
			       fk->target->name, fk->target->name, fk->target->fields[fk->target_fields[i]].name);
			if (fk->n > 1)
				html_f(b, " (ร่วมกับฟิลด์อื่นของคีย์ <span lang=\"en\">with the other key fields</span>)");
			html_f(b, "</li>");
		}
		for (i = 0; i < fk->nmatch; i++)
			if (fk->match_field[i] == f->index)
				html_f(b, "<li>ต้องตรงกับ <a href=\"#ds-%s\">%s</a>.<code>%s</code> ของแถวที่อ้างอิง "
					  "<span lang=\"en\">must equal the referenced row's</span></li>",
				       fk->target->name, fk->target->name, fk->target->fields[fk->match_target_field[i]].name);
	}
	html_f(b, "</ul></td>");
}

static void dataset_section(struct ctx *c, const struct std_dataset *ds)
{
	struct buf *b = PB(c);
	size_t i;

	html_f(b, "<section aria-labelledby=\"ds-%s\">\n<h3 id=\"ds-%s\">%s <span lang=\"en\">%s</span></h3>\n",
	       ds->name, ds->name, ds->title_th, ds->title_en);
	html_f(b, "<p>ชื่อชุดข้อมูล <span lang=\"en\">name</span> <code>%s</code> · คีย์หลัก <span lang=\"en\">primary key</span> ",
	       ds->name);
	for (i = 0; i < ds->nkey; i++)
		html_f(b, "%R<code>%s</code>", i ? " + " : "", ds->fields[ds->key[i]].name);
	html_f(b, "</p>\n");
	if (ds->desc_th || ds->desc_en)
		html_f(b, "<p>%s <span lang=\"en\">%s</span></p>\n", ds->desc_th ? ds->desc_th : "",
		       ds->desc_en ? ds->desc_en : "");
	html_f(b, "<p>ดาวน์โหลดแบบฟอร์มของ%s <span lang=\"en\">Download the template of %s</span>: "
		  "<a href=\"/standard/templates/%s.xlsx\" download>XLSX <span lang=\"en\">(Excel, with code lists)</span></a> · "
		  "<a href=\"/standard/templates/%s.csv\" download>CSV</a></p>\n",
	       ds->title_th, ds->title_en, ds->name, ds->name);
	html_f(b, "<div class=\"table-wrap\"><table class=\"fields\">\n<caption>ฟิลด์ของชุดข้อมูล%s "
		  "<span lang=\"en\">Fields of %s</span></caption>\n<thead><tr>"
		  "<th scope=\"col\">ชื่อฟิลด์ <span lang=\"en\">Field</span></th>"
		  "<th scope=\"col\">ชื่อภาษาไทย</th>"
		  "<th scope=\"col\" lang=\"en\">English title</th>"
		  "<th scope=\"col\">ชนิด <span lang=\"en\">Type</span></th>"
		  "<th scope=\"col\">การระบุ <span lang=\"en\">Required</span></th>"
		  "<th scope=\"col\">กฎและคำอธิบาย <span lang=\"en\">Rules</span></th></tr></thead>\n<tbody>\n",
	       ds->title_th, ds->title_en);
	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];

		html_f(b, "<tr><th scope=\"row\"><code>%s</code></th><td>%s</td><td lang=\"en\">%s</td>"
			  "<td>%s <span lang=\"en\">%s</span></td>",
		       f->name, f->title_th, f->title_en, std_type_th(f->type), std_type_name(f->type));
		required_cell(c, ds, f);
		rules_cell(c, ds, f);
		html_f(b, "</tr>\n");
	}
	html_f(b, "</tbody>\n</table></div>\n</section>\n");
}

static void codelist_section(struct ctx *c, const struct std_codelist *cl)
{
	struct buf *b = PB(c);
	const size_t *order = page_code_order(c, cl);
	size_t i;

	html_f(b, "<section aria-labelledby=\"cl-%s\">\n<h3 id=\"cl-%s\">%s <span lang=\"en\">%s</span></h3>\n"
		  "<p><code>%s</code> · %s รหัส <span lang=\"en\">%s codes</span> · "
		  "<a href=\"/standard/%s\" download>ดาวน์โหลด CSV <span lang=\"en\">Download CSV</span></a></p>\n",
	       cl->name, cl->name, cl->title_th, cl->title_en, cl->name, page_num(c, (long long)cl->ncodes),
	       page_num(c, (long long)cl->ncodes), cl->path);
	html_f(b, "<div class=\"table-wrap\"><table class=\"codes\">\n<caption>%s <span lang=\"en\">%s</span></caption>\n"
		  "<thead><tr><th scope=\"col\">รหัส <span lang=\"en\">Code</span></th><th scope=\"col\">ความหมาย</th>"
		  "<th scope=\"col\" lang=\"en\">Meaning</th></tr></thead>\n<tbody>\n",
	       cl->title_th, cl->title_en);
	for (i = 0; i < cl->ncodes; i++) {
		const struct std_code *k = &cl->codes[order ? order[i] : i];

		html_f(b, "<tr><th scope=\"row\"><code>%s</code></th><td>%s</td><td lang=\"en\">%s</td></tr>\n", k->code,
		       k->label_th, k->label_en);
	}
	html_f(b, "</tbody>\n</table></div>\n</section>\n");
}

void page_standard(struct ctx *c)
{
	const struct std_package *pkg = c->app->pkg;
	struct buf *b = PB(c);
	size_t i;

	page_begin(c, "standard", "มาตรฐานข้อมูล", "Data standard");
	html_f(b, "<p>%s <span lang=\"en\">%s</span> · รุ่น <span lang=\"en\">version</span> %s</p>\n"
		  "<p>มาตรฐานข้อมูลและมาตรฐานการแลกเปลี่ยนข้อมูลตามมาตรา 15(6) ทุกไฟล์ที่นำเข้าตรวจตามกฎในหน้านี้ "
		  "<span lang=\"en\">The data standard and data exchange standard of s.15(6): every imported file is "
		  "checked against the rules on this page.</span></p>\n"
		  "<ul class=\"downloads\"><li><a href=\"/standard/datapackage.json\" download>ดาวน์โหลดมาตรฐานทั้งชุด "
		  "(Data Package JSON) <span lang=\"en\">Download the whole standard (Data Package JSON)</span></a></li></ul>\n",
	       pkg->title_th ? pkg->title_th : "", pkg->title_en ? pkg->title_en : "", pkg->version ? pkg->version : "");

	html_f(b, "<nav class=\"toc\" aria-labelledby=\"toc\"><h2 id=\"toc\">สารบัญ <span lang=\"en\">Contents</span></h2>\n"
		  "<ul><li><a href=\"#datasets\">ชุดข้อมูล <span lang=\"en\">Data sets</span></a><ul>\n");
	for (i = 0; i < pkg->ndatasets; i++)
		html_f(b, "<li><a href=\"#ds-%s\">%s <span lang=\"en\">%s</span></a></li>\n", pkg->datasets[i].name,
		       pkg->datasets[i].title_th, pkg->datasets[i].title_en);
	html_f(b, "</ul></li>\n<li><a href=\"#codelists\">รายการรหัส <span lang=\"en\">Code lists</span></a><ul>\n");
	for (i = 0; i < pkg->ncodelists; i++)
		html_f(b, "<li><a href=\"#cl-%s\">%s <span lang=\"en\">%s</span></a></li>\n", pkg->codelists[i].name,
		       pkg->codelists[i].title_th, pkg->codelists[i].title_en);
	html_f(b, "</ul></li></ul></nav>\n");

	html_f(b, "<h2 id=\"datasets\">ชุดข้อมูล <span lang=\"en\">Data sets</span></h2>\n"
		  "<p>นำเข้าตามลำดับนี้ (ชุดหลังอ้างอิงชุดก่อน) <span lang=\"en\">Import in this order: each data set "
		  "refers to the ones before it.</span></p>\n");
	for (i = 0; i < pkg->ndatasets; i++)
		dataset_section(c, &pkg->datasets[i]);
	html_f(b, "<h2 id=\"codelists\">รายการรหัส <span lang=\"en\">Code lists</span></h2>\n");
	for (i = 0; i < pkg->ncodelists; i++)
		codelist_section(c, &pkg->codelists[i]);
	page_end(c);
}

/* ---- the files ---- */

/* The import template of ds, as CSV or XLSX (template.h). */
static void template_file(struct ctx *c, const struct std_dataset *ds, int xlsx)
{
	struct nw_err e;
	char *text = NULL, *disp;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	int rc;

	err_clear(&e);
	if (!fp) {
		page_error(c, 500, "สร้างไฟล์ไม่ได้", "cannot make the file");
		return;
	}
	rc = xlsx ? tpl_xlsx(ds, fp, &e) : tpl_csv(ds, fp, &e);
	if (fclose(fp))
		rc = NAWAT_EIO;
	disp = arena_alloc(&c->rq->mem, 256);
	if (rc || !text || !disp) {
		free(text);
		page_error(c, 500, "สร้างไฟล์ไม่ได้", "cannot make the file");
		return;
	}
	snprintf(disp, 256, "attachment; filename=\"nawat-%s-template.%s\"", ds->name, xlsx ? "xlsx" : "csv");
	c->rs->status = 200;
	c->rs->content_type = xlsx ? REC_XLSX_TYPE : "text/csv; charset=utf-8";
	http_resp_header(c->rs, "Content-Disposition", disp);
	buf_append(PB(c), text, len);
	free(text);
}

static void codelist_csv(struct ctx *c, const struct std_codelist *cl)
{
	char *disp = arena_alloc(&c->rq->mem, 256);

	if (!disp) {
		page_error(c, 500, "สร้างไฟล์ไม่ได้", "cannot make the file");
		return;
	}
	snprintf(disp, 256, "attachment; filename=\"%s.csv\"", cl->name);
	c->rs->status = 200;
	c->rs->content_type = "text/csv; charset=utf-8";
	http_resp_header(c->rs, "Content-Disposition", disp);
	if (cl->csv_len < 3 || memcmp(cl->csv, "\xEF\xBB\xBF", 3))
		buf_puts(PB(c), "\xEF\xBB\xBF");
	buf_append(PB(c), cl->csv, cl->csv_len);
}

void page_standard_file(struct ctx *c, const char *name)
{
	const struct std_package *pkg = c->app->pkg;
	const char *dot;
	size_t i;

	if (!strcmp(name, "datapackage.json")) {
		struct nw_err e;
		char *json;

		err_clear(&e);
		json = std_to_json(pkg, 1, &e);
		if (!json) {
			page_error(c, 500, e.th, e.en);
			return;
		}
		c->rs->status = 200;
		c->rs->content_type = "application/json; charset=utf-8";
		http_resp_header(c->rs, "Content-Disposition", "attachment; filename=\"datapackage.json\"");
		buf_puts(PB(c), json);
		buf_putc(PB(c), '\n');
		nw_free(json);
		return;
	}
	if (!strncmp(name, "templates/", 10) && (dot = strrchr(name, '.')) &&
	    (!strcmp(dot, ".csv") || !strcmp(dot, ".xlsx"))) {
		char dsname[64];

		snprintf(dsname, sizeof dsname, "%.*s", (int)(dot - (name + 10)), name + 10);
		for (i = 0; i < pkg->ndatasets; i++)
			if (!strcmp(pkg->datasets[i].name, dsname)) {
				template_file(c, &pkg->datasets[i], !strcmp(dot, ".xlsx"));
				return;
			}
	}
	for (i = 0; i < pkg->ncodelists; i++)
		if (pkg->codelists[i].path && !strcmp(pkg->codelists[i].path, name)) {
			codelist_csv(c, &pkg->codelists[i]);
			return;
		}
	page_error(c, 404, "ไม่พบไฟล์นี้ในมาตรฐานข้อมูล", "no such file in the data standard");
}
