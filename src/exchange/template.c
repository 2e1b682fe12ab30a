/* template.c - import templates (see template.h). */
#include "template.h"

#include <string.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "../standard/example.h"
#include "../standard/validate.h"
#include "csvout.h"
#include "xlsxout.h"

#define CODES_SHEET "codes"

int tpl_csv(const struct std_dataset *ds, FILE *out, struct nw_err *err)
{
	char ex[EXAMPLE_MAX];
	struct csvw w;
	size_t i;

	fputs("\xEF\xBB\xBF", out);
	csvw_init(&w, out, 1);
	for (i = 0; i < ds->nfields; i++)
		csvw_str(&w, ds->fields[i].name);
	csvw_end(&w);
	for (i = 0; i < ds->nfields; i++)
		csvw_str(&w, example_value(ds, &ds->fields[i], ex));
	csvw_end(&w);
	if (csvw_status(&w) || fflush(out) != 0)
		return err_msg(err, NAWAT_EIO, "เขียนแบบฟอร์มไม่สำเร็จ", "cannot write the template");
	return 0;
}

/* ---- the note on a header cell ---- */

/* "pilot = Y" or "domain = S, A" */
static void cond(struct buf *b, const struct std_dataset *ds, const struct std_cond *k)
{
	size_t i;

	buf_printf(b, "%s = ", ds->fields[k->field].name);
	for (i = 0; i < k->nvals; i++)
		buf_printf(b, "%s%s", i ? ", " : "", k->vals[i]);
}

/* One rule in both languages, each on its own line of its block. */
static void rule(struct buf *th, struct buf *en, const char *t, const char *e)
{
	buf_printf(th, "• %s\n", t);
	buf_printf(en, "• %s\n", e);
}

/* The field's names and rules, Thai first: what the standard page says of
 * it, as plain text. */
static void note(const struct std_dataset *ds, const struct std_field *f, struct buf *out)
{
	struct buf th, en, a, b;
	char lo[VAL_NUMBER_MAX], hi[VAL_NUMBER_MAX];
	size_t i, k;

	buf_init(&th, 1 << 16);
	buf_init(&en, 1 << 16);
	buf_init(&a, 4096);
	buf_init(&b, 4096);
	buf_printf(&th, "%s (%s)\n", f->title_th, f->name);
	buf_printf(&en, "%s\n", f->title_en);
	buf_printf(&a, "ชนิด %s", std_type_th(f->type));
	buf_printf(&b, "type %s", std_type_name(f->type));
	if (f->required) {
		buf_puts(&a, " · ต้องระบุ");
		buf_puts(&b, " · required");
	} else if (f->required_when.field >= 0) {
		buf_puts(&a, " · ต้องระบุเมื่อ ");
		cond(&a, ds, &f->required_when);
		buf_puts(&b, " · required when ");
		cond(&b, ds, &f->required_when);
	} else {
		buf_puts(&a, " · ไม่บังคับ");
		buf_puts(&b, " · optional");
	}
	rule(&th, &en, buf_str(&a), buf_str(&b));
	if (f->not_allowed_when.field >= 0) {
		buf_reset(&a);
		buf_reset(&b);
		buf_puts(&a, "ต้องว่างเมื่อ ");
		cond(&a, ds, &f->not_allowed_when);
		buf_puts(&b, "must be empty when ");
		cond(&b, ds, &f->not_allowed_when);
		rule(&th, &en, buf_str(&a), buf_str(&b));
	}
	if (f->key_pos >= 0)
		rule(&th, &en, "เป็นส่วนหนึ่งของคีย์หลัก (ค่าเดิมจะถูกแก้ไข)", "part of the key (a known key is updated)");
	if (f->desc_th || f->desc_en)
		rule(&th, &en, f->desc_th ? f->desc_th : "", f->desc_en ? f->desc_en : "");
	buf_reset(&a);
	buf_reset(&b);
	if (f->pattern) {
		buf_printf(&a, "รูปแบบ %s", f->pattern);
		buf_printf(&b, "pattern %s", f->pattern);
		rule(&th, &en, buf_str(&a), buf_str(&b));
	}
	val_format_number(f->min, lo, sizeof lo);
	val_format_number(f->max, hi, sizeof hi);
	buf_reset(&a);
	buf_reset(&b);
	if (f->has_min && f->has_max) {
		buf_printf(&a, "ตั้งแต่ %s ถึง %s", lo, hi);
		buf_printf(&b, "from %s to %s", lo, hi);
	} else if (f->has_min) {
		buf_printf(&a, "ไม่น้อยกว่า %s", lo);
		buf_printf(&b, "at least %s", lo);
	} else if (f->has_max) {
		buf_printf(&a, "ไม่เกิน %s", hi);
		buf_printf(&b, "at most %s", hi);
	}
	if (a.len)
		rule(&th, &en, buf_str(&a), buf_str(&b));
	buf_reset(&a);
	buf_reset(&b);
	if (f->decimals >= 0 && f->type == STD_NUMBER) {
		buf_printf(&a, "ทศนิยมไม่เกิน %d ตำแหน่ง", f->decimals);
		buf_printf(&b, "at most %d decimals", f->decimals);
		rule(&th, &en, buf_str(&a), buf_str(&b));
	}
	if (f->type == STD_DATE)
		rule(&th, &en,
		     f->date_dmy_be ? "วันที่ (ค.ศ. ปี-เดือน-วัน) หรือ วัน/เดือน/ปี พ.ศ." : "วันที่ (ค.ศ. ปี-เดือน-วัน)",
		     f->date_dmy_be ? "a date (YYYY-MM-DD), or D/M/YYYY in B.E." : "a date (YYYY-MM-DD)");
	if (f->checksum_thai_id)
		rule(&th, &en, "ตรวจหลักตรวจสอบของเลขประจำตัวประชาชน", "Thai citizen ID check digit");
	if (f->pii)
		rule(&th, &en, "ข้อมูลส่วนบุคคล: ระบบเก็บเป็นค่าแฮชและเข้ารหัส",
		     "personal data: stored as a keyed hash, encrypted");
	buf_reset(&a);
	buf_reset(&b);
	if (f->codelist) {
		buf_printf(&a, "รหัสตามรายการ%s (เลือกจากรายการ)", f->codelist->title_th);
		buf_printf(&b, "a code of the list %s (pick from the list)", f->codelist->name);
		rule(&th, &en, buf_str(&a), buf_str(&b));
	}
	if (f->by_field >= 0 && f->nby) {
		buf_printf(&a, "รายการรหัสขึ้นกับ %s:", ds->fields[f->by_field].name);
		buf_printf(&b, "the code list depends on %s:", ds->fields[f->by_field].name);
		for (k = 0; k < f->nby; k++) {
			buf_printf(&a, "%s %s → %s", k ? ";" : "", f->by_vals[k], f->by_lists[k]->title_th);
			buf_printf(&b, "%s %s → %s", k ? ";" : "", f->by_vals[k], f->by_lists[k]->name);
		}
		rule(&th, &en, buf_str(&a), buf_str(&b));
	}
	buf_reset(&a);
	buf_reset(&b);
	if (f->age_year_field >= 0) {
		buf_printf(&a, "อายุ ณ วันที่ %d/%d ของปี %s ระหว่าง %d ถึง %d ปี", f->age_day, f->age_month,
			   ds->fields[f->age_year_field].name, f->age_min, f->age_max);
		buf_printf(&b, "age on %d/%d of that %s between %d and %d", f->age_day, f->age_month,
			   ds->fields[f->age_year_field].name, f->age_min, f->age_max);
		rule(&th, &en, buf_str(&a), buf_str(&b));
	}
	for (k = 0; k < f->nprefix; k++) {
		const struct std_prefix_rule *p = &f->prefix[k];

		buf_reset(&a);
		buf_reset(&b);
		buf_printf(&a, "หลักที่ %d–%d ต้องตรงกับ %s%s", p->start + 1, p->start + p->len,
			   ds->fields[p->field].name, p->warning ? " (คำเตือน)" : "");
		buf_printf(&b, "digits %d-%d must equal %s%s", p->start + 1, p->start + p->len,
			   ds->fields[p->field].name, p->warning ? " (a warning)" : "");
		rule(&th, &en, buf_str(&a), buf_str(&b));
	}
	for (k = 0; k < ds->nfk; k++)
		for (i = 0; i < ds->fks[k].n; i++) {
			const struct std_fk *fk = &ds->fks[k];

			if (fk->fields[i] != f->index)
				continue;
			buf_reset(&a);
			buf_reset(&b);
			buf_printf(&a, "ต้องมีอยู่ใน %s.%s (ในระบบหรือในไฟล์ที่นำเข้าพร้อมกัน)", fk->target->name,
				   fk->target->fields[fk->target_fields[i]].name);
			buf_printf(&b, "must exist in %s.%s (stored, or imported with it)", fk->target->name,
				   fk->target->fields[fk->target_fields[i]].name);
			rule(&th, &en, buf_str(&a), buf_str(&b));
		}
	buf_append(out, th.data, th.len);
	buf_putc(out, '\n');
	buf_append(out, en.data, en.len);
	buf_release(&th);
	buf_release(&en);
	buf_release(&a);
	buf_release(&b);
}

/* ---- code lists on the hidden sheet ---- */

/* A block of columns of the codes sheet: the codes of some lists (one, or
 * all a field may use), typed for a field (numbers for integer fields). */
struct block {
	const struct std_codelist *const *lists;
	size_t nlists;
	int numeric;
	lxw_col_t col;
	lxw_row_t rows;
};

static int same_block(const struct block *b, const struct std_codelist *const *lists, size_t n, int numeric)
{
	return b->nlists == n && b->numeric == numeric && !memcmp(b->lists, lists, n * sizeof *lists);
}

static int write_block(struct xlsxw *w, lxw_worksheet *codes, struct block *b, struct nw_err *err)
{
	struct buf names, th, en;
	size_t i, k, *order;
	lxw_error e = LXW_NO_ERROR;
	lxw_row_t row = 1;
	int rc = 0;

	buf_init(&names, 4096);
	buf_init(&th, 4096);
	buf_init(&en, 4096);
	for (i = 0; i < b->nlists; i++) {
		buf_printf(&names, "%s%s", i ? " + " : "", b->lists[i]->name);
		buf_printf(&th, "%s%s", i ? " + " : "", b->lists[i]->title_th);
		buf_printf(&en, "%s%s", i ? " + " : "", b->lists[i]->title_en);
	}
	if ((rc = xlsxw_text(w, codes, 0, b->col, names.data, names.len, w->header, err)) ||
	    (rc = xlsxw_text(w, codes, 0, b->col + 1, th.data, th.len, w->header, err)) ||
	    (rc = xlsxw_text(w, codes, 0, b->col + 2, en.data, en.len, w->header, err)))
		goto out;
	for (i = 0; i < b->nlists && !rc; i++) {
		const struct std_codelist *cl = b->lists[i];

		order = nw_malloc((cl->ncodes ? cl->ncodes : 1) * sizeof *order);
		if (!order || std_code_order(cl, order)) {
			nw_free(order);
			rc = err_generic(err, NAWAT_ENOMEM);
			break;
		}
		for (k = 0; k < cl->ncodes && !rc; k++, row++) {
			const struct std_code *c = &cl->codes[order[k]];
			int64_t v;

			if (b->numeric && !val_parse_int(c->code, strlen(c->code), &v))
				e = worksheet_write_number(codes, row, b->col, (double)v, w->number);
			else
				rc = xlsxw_text(w, codes, row, b->col, c->code, strlen(c->code), w->text, err);
			if (e)
				rc = xlsxw_error(e, err);
			if (!rc)
				rc = xlsxw_text(w, codes, row, b->col + 1, c->label_th, strlen(c->label_th), w->text, err);
			if (!rc)
				rc = xlsxw_text(w, codes, row, b->col + 2, c->label_en, strlen(c->label_en), w->text, err);
		}
		nw_free(order);
	}
	b->rows = row - 1;
	if (!rc && ((e = worksheet_set_column(codes, b->col, b->col, 16, w->text)) ||
		    (e = worksheet_set_column(codes, b->col + 1, b->col + 2, 40, w->text))))
		rc = xlsxw_error(e, err);
out:
	buf_release(&names);
	buf_release(&th);
	buf_release(&en);
	return rc;
}

/* The drop-down of a code-list field: its codes on the codes sheet. */
static int dropdown(lxw_worksheet *ws, lxw_col_t col, const struct std_field *f, const struct block *b,
		    struct nw_err *err)
{
	char formula[LXW_MAX_FORMULA_RANGE_LENGTH + 8], message[256], error[256];
	lxw_data_validation dv;
	lxw_error e;

	lxw_rowcol_to_formula_abs(formula, CODES_SHEET, 1, b->col, b->rows, b->col);
	snprintf(message, sizeof message, "เลือกรหัสจากรายการ (ความหมายอยู่ในแผ่นงาน %s ที่ซ่อนไว้) / "
		 "pick a code (meanings on the hidden sheet %s)", CODES_SHEET, CODES_SHEET);
	snprintf(error, sizeof error, "ค่านี้ไม่ใช่รหัสในรายการของ %s / not a code of %s", f->name, f->name);
	memset(&dv, 0, sizeof dv);
	dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
	dv.value_formula = formula;
	dv.input_title = (char *)f->name;
	dv.input_message = message;
	dv.error_title = (char *)"รหัสไม่ถูกต้อง / not a code";
	dv.error_message = error;
	e = worksheet_data_validation_range(ws, 1, col, XLSXW_MAX_ROWS - 1, col, &dv);
	return e ? xlsxw_error(e, err) : 0;
}

int tpl_xlsx(const struct std_dataset *ds, FILE *out, struct nw_err *err)
{
	struct xlsxw w;
	lxw_worksheet *ws, *codes = NULL;
	lxw_comment_options co;
	struct block *blocks = NULL;
	struct buf text;
	char ex[EXAMPLE_MAX];
	size_t i, k, nblocks = 0;
	lxw_col_t next_col = 0;
	lxw_error e;
	int rc;

	buf_init(&text, 1 << 20);
	memset(&co, 0, sizeof co);
	co.width = 420;
	co.height = 260;
	co.font_name = (char *)XLSXW_FONT;
	co.font_size = XLSXW_FONT_SIZE;
	if ((rc = xlsxw_open(&w, 0, err)) || (rc = xlsxw_dataset_sheet(&w, ds, &ws, err)))
		goto out;
	blocks = nw_calloc(ds->nfields ? ds->nfields : 1, sizeof *blocks);
	if (!blocks) {
		rc = err_generic(err, NAWAT_ENOMEM);
		goto out;
	}
	for (i = 0; i < ds->nfields && !rc; i++) {
		const struct std_field *f = &ds->fields[i];
		const struct std_codelist *const *lists = f->codelist ? &f->codelist : f->by_lists;
		size_t nlists = f->codelist ? 1 : f->nby;
		const char *v = example_value(ds, f, ex);
		int numeric = f->type != STD_STRING;

		/* the example row, then the note */
		if ((rc = xlsxw_value(&w, ws, 1, (lxw_col_t)i, f, v, strlen(v), err)))
			break;
		buf_reset(&text);
		if (i == 0)
			buf_puts(&text, "แถวที่ 2 เป็นตัวอย่างที่ผ่านการตรวจ ลบหรือเขียนทับก่อนนำเข้า\n"
					"Row 2 is an example that passes validation: delete or overwrite it "
					"before importing.\n\n");
		note(ds, f, &text);
		if ((e = worksheet_write_comment_opt(ws, 0, (lxw_col_t)i, buf_str(&text), &co))) {
			rc = xlsxw_error(e, err);
			break;
		}
		if (!nlists)
			continue;
		for (k = 0; k < nblocks && !same_block(&blocks[k], lists, nlists, numeric); k++)
			;
		if (k == nblocks) {
			if (!codes) {
				codes = workbook_add_worksheet(w.wb, CODES_SHEET);
				if (!codes) {
					rc = err_generic(err, NAWAT_ENOMEM);
					break;
				}
				worksheet_hide(codes);
				worksheet_freeze_panes(codes, 1, 0);
			}
			blocks[k].lists = lists;
			blocks[k].nlists = nlists;
			blocks[k].numeric = numeric;
			blocks[k].col = next_col;
			next_col += 4; /* code, Thai, English, a gap */
			nblocks++;
			if ((rc = write_block(&w, codes, &blocks[k], err)))
				break;
		}
		rc = dropdown(ws, (lxw_col_t)i, f, &blocks[k], err);
	}
out:
	rc = xlsxw_close(&w, rc, out, err);
	nw_free(blocks);
	buf_release(&text);
	return rc;
}
