/* xlsxout.c - data sets as XLSX sheets (see xlsxout.h). */
#include "xlsxout.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/date.h"
#include "../base/mem.h"

int xlsxw_error(lxw_error e, struct nw_err *err)
{
	if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		return err_msg(err, NAWAT_ELIMIT,
			       "มีค่าที่ยาวเกินกว่าเซลล์ของตารางคำนวณจะเก็บได้ (32,767 ตัวอักษร) ใช้ CSV แทน",
			       "a value is longer than a spreadsheet cell holds (32,767 characters): use CSV");
	return err_set(err, NAWAT_EIO, "เขียนไฟล์ XLSX ไม่สำเร็จ (%s)", "cannot write the XLSX file (%s)",
		       lxw_strerror(e));
}

lxw_format *xlsxw_format(struct xlsxw *w)
{
	lxw_format *f = workbook_add_format(w->wb);

	if (f) {
		format_set_font_name(f, XLSXW_FONT);
		format_set_font_size(f, XLSXW_FONT_SIZE);
	}
	return f;
}

int xlsxw_open(struct xlsxw *w, int constant_memory, struct nw_err *err)
{
	lxw_workbook_options o;
	const char *tmp = getenv("TMPDIR");
	size_t n;
	int fd;

	memset(w, 0, sizeof *w);
	buf_init(&w->val, 1 << 20);
	n = strlen(tmp && *tmp ? tmp : "/tmp") + 32;
	w->path = nw_malloc(n);
	if (!w->path)
		return err_generic(err, NAWAT_ENOMEM);
	snprintf(w->path, n, "%s/nawat-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(w->path);
	if (fd < 0) {
		nw_free(w->path);
		w->path = NULL;
		return err_msg(err, NAWAT_EIO, "สร้างไฟล์ชั่วคราวไม่ได้", "cannot create a temporary file");
	}
	close(fd);
	memset(&o, 0, sizeof o);
	o.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
	w->wb = workbook_new_opt(w->path, &o);
	if (!w->wb)
		return err_msg(err, NAWAT_ENOMEM, "สร้างไฟล์ XLSX ไม่ได้", "cannot create the XLSX file");
	w->header = xlsxw_format(w);
	w->text = xlsxw_format(w);
	w->date = xlsxw_format(w);
	w->number = xlsxw_format(w);
	if (!w->header || !w->text || !w->date || !w->number)
		return err_generic(err, NAWAT_ENOMEM);
	format_set_bold(w->header);
	format_set_bg_color(w->header, 0xDDEBF7);
	format_set_bottom(w->header, LXW_BORDER_THIN);
	format_set_num_format(w->text, "@");     /* what is typed in stays text */
	format_set_num_format(w->date, "yyyy-mm-dd");
	return 0;
}

/* How wide a field's column is, in characters of the default width. */
static double width_of(const struct std_field *f)
{
	double w, name = (double)strlen(f->name) + 3;

	switch (f->type) {
	case STD_DATE:
		w = 13;
		break;
	case STD_INTEGER:
	case STD_NUMBER:
		w = 10;
		break;
	default:
		w = f->pii ? 17 : f->codelist || f->nby ? 10 : f->pattern ? 14 : 32;
		break;
	}
	return name > w ? name : w;
}

int xlsxw_dataset_sheet(struct xlsxw *w, const struct std_dataset *ds, lxw_worksheet **out,
			struct nw_err *err)
{
	lxw_worksheet *ws = workbook_add_worksheet(w->wb, ds->name);
	lxw_error e;
	size_t i;

	*out = NULL;
	if (!ws)
		return err_generic(err, NAWAT_ENOMEM);
	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];
		lxw_format *fmt = f->type == STD_DATE ? w->date
				: f->type == STD_STRING ? w->text : w->number;

		if ((e = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, width_of(f), fmt)) ||
		    (e = worksheet_write_string(ws, 0, (lxw_col_t)i, f->name, w->header)))
			return xlsxw_error(e, err);
	}
	worksheet_freeze_panes(ws, 1, 0);
	*out = ws;
	return 0;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int xlsxw_text(struct xlsxw *w, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s,
	       size_t n, lxw_format *fmt, struct nw_err *err)
{
	lxw_error e;
	size_t i;
	int rc = 0;

	buf_reset(&w->val);
	/* text that looks like an _xHHHH_ escape would read back as the
	 * character: its underscore is escaped (_x005F_), as Excel does */
	for (i = 0; i < n && !rc; i++) {
		if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && is_hex(s[i + 2]) && is_hex(s[i + 3]) &&
		    is_hex(s[i + 4]) && is_hex(s[i + 5]) && s[i + 6] == '_')
			rc = buf_puts(&w->val, "_x005F_");
		else
			rc = buf_putc(&w->val, s[i]);
	}
	if (rc)
		return xlsxw_error(LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED, err);
	e = worksheet_write_string(ws, row, col, buf_str(&w->val), fmt);
	return e ? xlsxw_error(e, err) : 0;
}

int xlsxw_value(struct xlsxw *w, lxw_worksheet *ws, uint32_t row, uint16_t col,
		const struct std_field *f, const char *s, size_t n, struct nw_err *err)
{
	char tmp[64], *end;
	enum date_form form;
	struct date dt;
	lxw_error e;
	double d;

	if (!n)
		return 0;
	if ((f->type == STD_INTEGER || f->type == STD_NUMBER) && n < sizeof tmp) {
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		d = strtod(tmp, &end);
		if (end != tmp && !*end) {
			e = worksheet_write_number(ws, row, col, d, w->number);
			return e ? xlsxw_error(e, err) : 0;
		}
	} else if (f->type == STD_DATE && date_parse(s, n, &dt, &form) == DATE_OK) {
		lxw_datetime t;

		memset(&t, 0, sizeof t);
		t.year = dt.y;
		t.month = dt.m;
		t.day = dt.d;
		e = worksheet_write_datetime(ws, row, col, &t, w->date);
		return e ? xlsxw_error(e, err) : 0;
	}
	return xlsxw_text(w, ws, row, col, s, n, w->text, err);
}

static int copy_file(const char *path, FILE *out, struct nw_err *err)
{
	char block[65536];
	FILE *in = fopen(path, "rb");
	size_t n;
	int rc = 0;

	if (!in)
		return err_msg(err, NAWAT_EIO, "อ่านไฟล์ XLSX ที่สร้างไม่ได้", "cannot read the XLSX file made");
	while ((n = fread(block, 1, sizeof block, in)) > 0)
		if (fwrite(block, 1, n, out) != n) {
			rc = NAWAT_EIO;
			break;
		}
	if (ferror(in) || fflush(out) != 0 || ferror(out))
		rc = NAWAT_EIO;
	fclose(in);
	return rc ? err_msg(err, NAWAT_EIO, "เขียนไฟล์ XLSX ไม่สำเร็จ", "cannot write the XLSX file") : 0;
}

int xlsxw_close(struct xlsxw *w, int rc, FILE *out, struct nw_err *err)
{
	lxw_error e;

	if (w->wb) {
		e = workbook_close(w->wb);
		w->wb = NULL;
		if (!rc && e)
			rc = xlsxw_error(e, err);
	}
	if (!rc && out)
		rc = copy_file(w->path, out, err);
	if (w->path) {
		unlink(w->path);
		nw_free(w->path);
		w->path = NULL;
	}
	buf_release(&w->val);
	return rc;
}
