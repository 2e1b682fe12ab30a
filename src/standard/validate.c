/* validate.c - row validation driven by the package (see validate.h). */
#include "validate.h"

#include <errno.h>
#include <math.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/date.h"
#include "../base/err.h"
#include "thaiid.h"

static const char *code_names[VC_COUNT] = {
	"", "required", "type", "pattern", "checksum", "code_list", "range", "precision",
	"date", "not_allowed", "reference", "mismatch", "duplicate", "unknown_column", "encoding",
	"reference", "not_found", "referenced", "same_child"
};

const char *val_code_name(enum val_code c)
{
	return c > VC_NONE && c < VC_COUNT ? code_names[c] : "";
}

int val_parse_int(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	uint64_t v = 0;

	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n || n - i > 18)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int val_parse_number(const char *s, size_t n, double *out, int *decimals)
{
	char tmp[64];
	size_t i = 0, digits = 0, dot = 0, dec = 0, lastnz = 0;
	char *end;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	if (s[0] == '-' || s[0] == '+')
		i = 1;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			digits++;
			if (dot) {
				dec++;
				if (s[i] != '0')
					lastnz = dec;
			}
		} else if (s[i] == '.' && !dot) {
			dot = 1;
		} else {
			return -1;
		}
	}
	if (!digits)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	*out = strtod(tmp, &end);
	if (errno || *end || !isfinite(*out))
		return -1;
	*decimals = (int)lastnz;
	return 0;
}

/* Decimal text of v into buf (>= 21 bytes); returns the length.  A hand
 * loop: snprintf was a visible share of import time. */
size_t val_format_int(int64_t v, char *buf)
{
	char tmp[24];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[i++] = '-';
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return i;
}

size_t val_format_decimal(double d, int decimals, char *buf, size_t n)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
	char digits[24];
	int64_t x;
	size_t len, i, o = 0;
	int neg;

	/* a value read from text with at most `decimals` places is that text
	 * again, rounded from d * 10^decimals: exact while it stays under 2^53 */
	if (decimals < 0 || decimals > 9 || !(d > -1e9 && d < 1e9) || n < 32)
		return val_format_number(d, buf, n);
	x = llround(d * pow10[decimals]);
	neg = x < 0;
	len = val_format_int(neg ? -x : x, digits);
	if (neg && x)
		buf[o++] = '-';
	if ((int)len <= decimals) {
		/* 0.xx: pad with zeros */
		buf[o++] = '0';
		buf[o++] = '.';
		for (i = 0; i < (size_t)decimals - len; i++)
			buf[o++] = '0';
		memcpy(buf + o, digits, len);
		o += len;
	} else {
		memcpy(buf + o, digits, len - (size_t)decimals);
		o += len - (size_t)decimals;
		if (decimals) {
			buf[o++] = '.';
			memcpy(buf + o, digits + len - (size_t)decimals, (size_t)decimals);
			o += (size_t)decimals;
		}
	}
	/* no trailing zeros, no bare point */
	if (decimals) {
		while (buf[o - 1] == '0')
			o--;
		if (buf[o - 1] == '.')
			o--;
	}
	buf[o] = '\0';
	return o;
}

size_t val_format_number(double d, char *buf, size_t n)
{
	int prec, len = 0;

	if (d == 0)
		d = 0; /* no "-0" */
	/* whole numbers, the common case (48, 2567): no floating-point printing */
	if (d > -1e15 && d < 1e15 && d == (double)(int64_t)d && n >= 24)
		return val_format_int((int64_t)d, buf);
	/* %g drops trailing zeros, so the first precision that reads back is
	 * the shortest text for anything typed with up to 15 digits */
	for (prec = 15; prec <= 17; prec++) {
		len = snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* %g may choose an exponent: the exchange format spells plain decimals,
	 * with as many places as it takes to read back the same double */
	if (strchr(buf, 'e')) {
		for (prec = 0; prec <= 340; prec++) {
			len = snprintf(buf, n, "%.*f", prec, d);
			if (len < 0 || (size_t)len >= n || strtod(buf, NULL) == d)
				break;
		}
	}
	if (len < 0)
		len = 0;
	if ((size_t)len >= n)
		len = n ? (int)n - 1 : 0;
	return (size_t)len;
}

static int cond_holds(const struct std_cond *c, const struct val_cell *cells)
{
	const struct val_cell *x;
	size_t i;

	if (c->field < 0)
		return 0;
	x = &cells[c->field];
	for (i = 0; i < c->nvals; i++)
		if (strlen(c->vals[i]) == x->n && memcmp(c->vals[i], x->s, x->n) == 0)
			return 1;
	return 0;
}

static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void md_free(void *md)
{
	pcre2_match_data_free(md);
}

static void md_init(void)
{
	pthread_key_create(&md_key, md_free);
}

/* Match data is per thread (a match writes into it), freed with the thread. */
static int pattern_ok(const struct std_field *f, const char *s, size_t n)
{
	static __thread pcre2_match_data *md;
	int rc;

	if (!f->re)
		return 1;
	if (!md) {
		pthread_once(&md_once, md_init);
		md = pcre2_match_data_create(4, NULL);
		if (!md)
			return -1;
		pthread_setspecific(md_key, md);
	}
	rc = pcre2_match(f->re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	return rc >= 0;
}

/* Checks one cell; returns the error code or VC_NONE.  Fills *v. */
static enum val_code check_cell(const struct std_dataset *ds, const struct std_field *f,
				const struct val_cell *cells, struct val_value *v,
				const int *errs)
{
	const struct val_cell *c = &cells[f->index];
	const struct std_codelist *cl;
	enum date_status ds_st;
	enum date_form form;
	struct date dt;
	char canon[32];
	const char *code = c->s;
	size_t code_len = c->n;
	int dec = 0;

	(void)ds;
	memset(v, 0, sizeof *v);
	if (!c->present)
		v->state = VAL_ABSENT;
	else if (c->n == 0)
		v->state = VAL_NULL;
	else
		v->state = VAL_SET;
	if (v->state != VAL_SET) {
		if (f->required || cond_holds(&f->required_when, cells))
			return VC_REQUIRED;
		return VC_NONE;
	}
	v->s = c->s;
	v->n = c->n;

	/* type */
	switch (f->type) {
	case STD_INTEGER:
		if (val_parse_int(c->s, c->n, &v->i))
			return VC_TYPE;
		v->d = (double)v->i;
		code_len = val_format_int(v->i, canon);
		code = canon;
		break;
	case STD_NUMBER:
		if (val_parse_number(c->s, c->n, &v->d, &dec))
			return VC_TYPE;
		break;
	default:
		break;
	}

	/* pattern (without memory for the matcher the value cannot pass) */
	if (f->type == STD_STRING && pattern_ok(f, c->s, c->n) != 1)
		return VC_PATTERN;

	/* checksum */
	if (f->checksum_thai_id && c->n == 13 && c->s[0] != 'G' && !thaiid_valid(c->s, c->n))
		return VC_CHECKSUM;

	/* code_list */
	if (f->by_field >= 0) {
		const struct val_cell *by = &cells[f->by_field];

		cl = errs[f->by_field] ? NULL : std_field_codelist(f, by->s, by->n);
	} else {
		cl = f->codelist;
	}
	if (cl && !std_code_find(cl, code, code_len))
		return VC_CODE_LIST;

	/* range */
	if ((f->type == STD_INTEGER || f->type == STD_NUMBER) &&
	    ((f->has_min && v->d < f->min) || (f->has_max && v->d > f->max)))
		return VC_RANGE;

	/* precision */
	if (f->type == STD_NUMBER && f->decimals >= 0 && dec > f->decimals)
		return VC_PRECISION;

	/* date, and the age rule (a range) */
	if (f->type == STD_DATE) {
		ds_st = date_parse(c->s, c->n, &dt, &form);
		if (ds_st != DATE_OK || (form == DATE_DMY_BE && !f->date_dmy_be))
			return VC_DATE;
		date_iso(dt, v->date, sizeof v->date);
		v->s = v->date;
		v->n = 10;
		v->i = date_to_days(dt);
		if (f->age_year_field >= 0 && !errs[f->age_year_field]) {
			const struct val_cell *yc = &cells[f->age_year_field];
			int64_t year;
			struct date on;
			int age;

			if (yc->n && val_parse_int(yc->s, yc->n, &year) == 0) {
				on.y = (int)year - BE_OFFSET;
				on.m = f->age_month;
				on.d = f->age_day;
				age = date_age(dt, on);
				if (age < f->age_min || age > f->age_max)
					return VC_RANGE;
			}
		}
	}

	/* not_allowed */
	if (cond_holds(&f->not_allowed_when, cells))
		return VC_NOT_ALLOWED;
	return VC_NONE;
}

int val_row(const struct std_dataset *ds, const struct val_cell *cells,
	    struct val_value *vals, struct val_issue *issues, size_t *nissues)
{
	int errs[256];
	size_t i, j, n = 0;
	int nerr = 0;
	enum val_code code;

	if (ds->nfields > sizeof errs / sizeof errs[0])
		return -1;
	memset(errs, 0, ds->nfields * sizeof errs[0]);
	/* Fields whose rules read other fields come after them: do the simple
	 * cells first, so that a conditioning field's error is known. */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < ds->nfields; i++) {
			const struct std_field *f = &ds->fields[i];
			int dependent = f->by_field >= 0 || f->age_year_field >= 0;

			if (dependent != pass)
				continue;
			code = check_cell(ds, f, cells, &vals[i], errs);
			if (code != VC_NONE) {
				errs[i] = 1;
				issues[n].field = (int)i;
				issues[n].code = code;
				issues[n].warning = 0;
				n++;
				nerr++;
			}
		}
	}
	/* code prefixes: the mismatch group */
	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];

		if (errs[i] || vals[i].state != VAL_SET)
			continue;
		for (j = 0; j < f->nprefix; j++) {
			const struct std_prefix_rule *r = &f->prefix[j];
			const struct val_cell *o = &cells[r->field];

			if (errs[r->field] || !o->n || (size_t)(r->start + r->len) > vals[i].n)
				continue;
			if (o->n != (size_t)r->len || memcmp(vals[i].s + r->start, o->s, o->n) != 0) {
				issues[n].field = (int)i;
				issues[n].code = VC_MISMATCH;
				issues[n].warning = r->warning;
				n++;
				if (!r->warning) {
					errs[i] = 1;
					nerr++;
					break;
				}
			}
		}
	}
	/* x-not-before: the mismatch group too */
	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];
		const struct val_value *a = &vals[i], *o;

		if (f->not_before < 0 || errs[i] || errs[f->not_before] || a->state != VAL_SET)
			continue;
		o = &vals[f->not_before];
		if (o->state != VAL_SET)
			continue;
		if (f->type == STD_NUMBER ? a->d < o->d : a->i < o->i) {
			issues[n].field = (int)i;
			issues[n].code = VC_MISMATCH;
			issues[n].warning = 0;
			n++;
			errs[i] = 1;
			nerr++;
		}
	}
	*nissues = n;
	return nerr;
}

void val_message(const struct std_dataset *ds, const struct val_issue *is,
		 const char *value, size_t vlen,
		 char *th, size_t thn, char *en, size_t enn)
{
	const struct std_field *f = is->field >= 0 ? &ds->fields[is->field] : NULL;
	const char *name = f ? f->name : "";
	const char *tt = f ? f->title_th : "";
	char lo[32] = "", hi[32] = "";
	int show;

	show = value && f && !f->pii && vlen < 200;
	if (f && f->has_min)
		val_format_number(f->min, lo, sizeof lo);
	if (f && f->has_max)
		val_format_number(f->max, hi, sizeof hi);
	switch (is->code) {
	case VC_REQUIRED:
		snprintf(th, thn, "ต้องระบุ %s (%s)", tt, name);
		snprintf(en, enn, "%s is required", name);
		break;
	case VC_TYPE:
		snprintf(th, thn, "%s ต้องเป็น%s", tt,
			 f && f->type == STD_INTEGER ? "จำนวนเต็ม" : "ตัวเลข (ใช้ . เป็นจุดทศนิยม ไม่มีเครื่องหมายคั่นหลักพัน)");
		snprintf(en, enn, "%s must be %s", name,
			 f && f->type == STD_INTEGER ? "an integer" : "a number (. as decimal point, no thousands separators)");
		break;
	case VC_PATTERN:
		snprintf(th, thn, "%s มีรูปแบบไม่ถูกต้อง (ต้องเป็น %s)", tt, f && f->pattern ? f->pattern : "");
		snprintf(en, enn, "%s has the wrong shape (expected %s)", name, f && f->pattern ? f->pattern : "");
		break;
	case VC_CHECKSUM:
		snprintf(th, thn, "เลขประจำตัวประชาชนมีหลักตรวจสอบไม่ถูกต้อง");
		snprintf(en, enn, "the citizen ID check digit is wrong");
		break;
	case VC_CODE_LIST:
		snprintf(th, thn, "%s%s%.*s%s ไม่อยู่ในบัญชีรหัส", tt, show ? " \"" : "", show ? (int)vlen : 0,
			 show ? value : "", show ? "\"" : "");
		snprintf(en, enn, "%s%s%.*s%s is not in the code list", name, show ? " \"" : "",
			 show ? (int)vlen : 0, show ? value : "", show ? "\"" : "");
		break;
	case VC_RANGE:
		if (f && f->type == STD_DATE && f->age_year_field >= 0) {
			snprintf(th, thn, "อายุ ณ วันที่ %d/%d ของปีการศึกษาต้องอยู่ระหว่าง %d ถึง %d ปี",
				 f->age_day, f->age_month, f->age_min, f->age_max);
			snprintf(en, enn, "age on %d/%d of the academic year must be between %d and %d",
				 f->age_day, f->age_month, f->age_min, f->age_max);
		} else {
			snprintf(th, thn, "%s ต้องอยู่ระหว่าง %s ถึง %s", tt, lo[0] ? lo : "-", hi[0] ? hi : "-");
			snprintf(en, enn, "%s must be between %s and %s", name, lo[0] ? lo : "-", hi[0] ? hi : "-");
		}
		break;
	case VC_PRECISION:
		snprintf(th, thn, "%s มีทศนิยมได้ไม่เกิน %d ตำแหน่ง", tt, f ? f->decimals : 0);
		snprintf(en, enn, "%s allows at most %d decimal places", name, f ? f->decimals : 0);
		break;
	case VC_DATE:
		snprintf(th, thn, "%s ไม่ใช่วันที่ที่ถูกต้อง (ใช้ YYYY-MM-DD ค.ศ. หรือ ว/ด/ปปปป พ.ศ.)", tt);
		snprintf(en, enn, "%s is not a valid date (use YYYY-MM-DD C.E. or D/M/YYYY B.E.)", name);
		break;
	case VC_NOT_ALLOWED:
		snprintf(th, thn, "%s ต้องว่างสำหรับแถวนี้", tt);
		snprintf(en, enn, "%s must be empty for this row", name);
		break;
	case VC_REFERENCE:
		snprintf(th, thn, "%s อ้างถึงข้อมูลที่ไม่มีในระบบหรือในชุดที่นำเข้า", tt);
		snprintf(en, enn, "%s refers to a row that exists neither in the store nor in the batch", name);
		break;
	case VC_MISMATCH:
		if (f && f->nprefix && is->warning) {
			snprintf(th, thn, "%s: หลักที่ %d-%d ควรตรงกับรหัสจังหวัด", tt,
				 f->prefix[f->nprefix - 1].start + 1,
				 f->prefix[f->nprefix - 1].start + f->prefix[f->nprefix - 1].len);
			snprintf(en, enn, "%s: digits %d-%d should equal the province code", name,
				 f->prefix[f->nprefix - 1].start + 1,
				 f->prefix[f->nprefix - 1].start + f->prefix[f->nprefix - 1].len);
		} else if (f && f->nprefix) {
			/* every rule that is an error: which one failed is not kept */
			size_t j, tl = 0, el = 0;

			th[0] = en[0] = '\0';
			for (j = 0; j < f->nprefix; j++) {
				const struct std_prefix_rule *r = &f->prefix[j];

				if (r->warning || tl >= thn || el >= enn)
					continue;
				tl += (size_t)snprintf(th + tl, thn - tl, "%s%s หลักที่ %d-%d ต้องตรงกับ %s",
						       tl ? "," : tt, tl ? "" : ":", r->start + 1, r->start + r->len,
						       ds->fields[r->field].name);
				if (tl < thn)
					el += (size_t)snprintf(en + el, enn - el, "%s%s digits %d-%d must equal %s",
							       el ? "," : name, el ? "" : ":", r->start + 1,
							       r->start + r->len, ds->fields[r->field].name);
			}
		} else if (f && f->not_before >= 0) {
			snprintf(th, thn, "%s ต้องไม่น้อยกว่าหรือก่อน %s (%s)", tt, ds->fields[f->not_before].title_th,
				 ds->fields[f->not_before].name);
			snprintf(en, enn, "%s must not be before %s", name, ds->fields[f->not_before].name);
		} else {
			snprintf(th, thn, "%s ขัดแย้งกับข้อมูลที่มีอยู่", tt);
			snprintf(en, enn, "%s contradicts the stored data", name);
		}
		break;
	case VC_DUPLICATE:
		snprintf(th, thn, "คีย์ซ้ำกับแถวก่อนหน้าในไฟล์เดียวกัน");
		snprintf(en, enn, "the same key appears earlier in this file");
		break;
	case VC_UNKNOWN_COLUMN:
		snprintf(th, thn, "คอลัมน์ %.*s ไม่มีในชุดข้อมูลนี้", (int)vlen, value ? value : "");
		snprintf(en, enn, "the data set has no column %.*s", (int)vlen, value ? value : "");
		break;
	case VC_ENCODING:
		snprintf(th, thn, "ไฟล์มีไบต์ที่ไม่ใช่ UTF-8 หรือ TIS-620");
		snprintf(en, enn, "bytes that are neither UTF-8 nor TIS-620");
		break;
	case VC_SCOPE:
		snprintf(th, thn, "%s อยู่นอกขอบเขตสิทธิ์ของผู้นำเข้า", tt);
		snprintf(en, enn, "%s is outside the importing user's scope", name);
		break;
	case VC_REFERENCED:
		snprintf(th, thn, "ลบไม่ได้ เพราะยังมีข้อมูลชุดอื่นอ้างถึงแถวนี้ (ลบข้อมูลที่อ้างถึงก่อน)");
		snprintf(en, enn, "not deleted: rows of other data sets still refer to it (delete those first)");
		break;
	case VC_SAME_CHILD:
		snprintf(th, thn, "อาจเป็นคนเดียวกับนักเรียนที่มีอยู่ (รหัส G กับเลขประจำตัว): สถานศึกษา ปี วันเกิด เพศ "
			 "ชั้นตรงกัน ถ้าใช่ให้ย้ายประวัติ (nawat student relink)");
		snprintf(en, enn, "may be the same child as a stored student (a G-code and a citizen ID): the same "
			 "school, academic year, birth date, gender and grade; if so, move the history to the ID "
			 "(nawat student relink)");
		break;
	case VC_NOT_FOUND:
		snprintf(th, thn, "ไม่พบแถวที่มีคีย์นี้ (หรืออยู่นอกขอบเขตสิทธิ์) จึงไม่ได้ลบ");
		snprintf(en, enn, "no row with this key (in your scope): nothing deleted");
		break;
	default:
		snprintf(th, thn, "ข้อผิดพลาด");
		snprintf(en, enn, "error");
	}
	/* a long column name or value cut by the buffer: never half a character */
	if (thn)
		th[err_cut(th, strlen(th))] = '\0';
	if (enn)
		en[err_cut(en, strlen(en))] = '\0';
}
