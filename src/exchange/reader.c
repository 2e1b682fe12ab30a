/* reader.c - streaming CSV and JSON readers (see reader.h). */
#include "reader.h"

#include <csv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/mem.h"
#include "../base/sha256.h"
#include "../standard/validate.h"
#include "xlsxin.h"

#define BLOCK (256 * 1024)
#define MAX_RECORD REC_MAX_RECORD
#define MAX_COLUMNS REC_MAX_COLUMNS

int rec_format_of(const char *path, enum rec_format *fmt)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return NAWAT_EINVAL;
	if (!strcasecmp(dot, ".csv"))
		*fmt = REC_CSV;
	else if (!strcasecmp(dot, ".json") || !strcasecmp(dot, ".ndjson") || !strcasecmp(dot, ".jsonl"))
		*fmt = REC_JSON;
	else if (!strcasecmp(dot, ".xlsx"))
		*fmt = REC_XLSX;
	else
		return NAWAT_EINVAL;
	return 0;
}

/* Common state: decoded text waiting to be parsed. */
struct rd {
	const struct rec_sink *sink;
	struct rec_result *res;
	struct nw_err *err;
	struct buf text;        /* decoded, not yet parsed */
	size_t line;            /* line of the next byte to parse */
	int stop;               /* set when the sink failed */
	/* records */
	struct buf rec;         /* field bytes of the current record */
	size_t *off, *len;      /* per field, into rec */
	size_t nf, capf;
	size_t rec_line;
	int in_rec;
	int header_seen;
	size_t ncols;
	struct rec_view *views;
	unsigned char *present;
	size_t capv;
};

int rec_views_reserve(struct rec_view **views, unsigned char **present, size_t *cap, size_t n)
{
	struct rec_view *v;
	unsigned char *p;
	size_t c = *cap ? *cap : 16;

	if (n <= *cap)
		return 0;
	while (c < n)
		c *= 2;
	v = nw_realloc(*views, c * sizeof *v);
	if (!v)
		return NAWAT_ENOMEM;
	*views = v;
	p = nw_realloc(*present, c);
	if (!p)
		return NAWAT_ENOMEM;
	*present = p;
	*cap = c;
	return 0;
}

static int grow_views(struct rd *r, size_t n)
{
	return rec_views_reserve(&r->views, &r->present, &r->capv, n);
}

static void sink_fail(struct rd *r, int rc)
{
	if (!r->stop) {
		r->stop = 1;
		r->res->status = REC_SINK;
		r->res->rc = rc;
	}
}

/* ---- CSV ---- */

static void csv_cb_field(void *s, size_t len, void *data)
{
	struct rd *r = data;
	size_t i;
	int rc;

	if (r->stop)
		return;
	if (!r->in_rec) {
		r->in_rec = 1;
		r->rec_line = r->line;
		r->nf = 0;
		buf_reset(&r->rec);
	}
	if (r->nf == r->capf) {
		size_t cap = r->capf ? r->capf * 2 : 32;
		size_t *o = nw_realloc(r->off, cap * sizeof *o), *l;

		if (!o) {
			sink_fail(r, NAWAT_ENOMEM);
			return;
		}
		r->off = o;
		l = nw_realloc(r->len, cap * sizeof *l);
		if (!l) {
			sink_fail(r, NAWAT_ENOMEM);
			return;
		}
		r->len = l;
		r->capf = cap;
	}
	if (r->nf >= MAX_COLUMNS) {
		r->stop = 1;
		r->res->status = REC_IO;
		err_set(r->err, NAWAT_ELIMIT, "แถวที่ %zu มีคอลัมน์เกิน %d คอลัมน์",
			"line %zu has more than %d columns", r->rec_line, MAX_COLUMNS);
		return;
	}
	r->off[r->nf] = r->rec.len;
	r->len[r->nf] = len;
	if ((rc = buf_append(&r->rec, s ? s : "", s ? len : 0)) || (rc = buf_putc(&r->rec, '\0'))) {
		r->stop = 1;
		r->res->status = REC_IO;
		if (rc == NAWAT_ENOMEM)
			err_generic(r->err, rc);
		else
			err_set(r->err, NAWAT_ELIMIT, "แถวที่ %zu ยาวเกินกำหนด", "line %zu is too long",
				r->rec_line);
		return;
	}
	r->nf++;
	for (i = 0; i < len; i++)
		r->line += ((const char *)s)[i] == '\n';
}

static void csv_cb_record(int c, void *data)
{
	struct rd *r = data;
	size_t i;
	int rc, blank = 1;

	if (r->stop)
		goto out;
	if (r->in_rec) {
		for (i = 0; i < r->nf && blank; i++)
			for (size_t k = 0; k < r->len[i]; k++) {
				char ch = r->rec.data[r->off[i] + k];

				if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
					blank = 0;
					break;
				}
			}
		if (!blank) {
			if ((rc = grow_views(r, r->nf))) {
				sink_fail(r, rc);
				goto out;
			}
			for (i = 0; i < r->nf; i++) {
				r->views[i].s = r->rec.data + r->off[i];
				r->views[i].n = r->len[i];
				r->present[i] = 1;
			}
			if (!r->header_seen) {
				r->header_seen = 1;
				for (i = 0; i < r->nf; i++)
					if ((rc = r->sink->column(r->sink->ctx, r->views[i].s, r->views[i].n))) {
						sink_fail(r, rc);
						goto out;
					}
				r->ncols = r->nf;
				if (r->sink->header_done && (rc = r->sink->header_done(r->sink->ctx))) {
					sink_fail(r, rc);
					goto out;
				}
			} else {
				r->res->records++;
				if ((rc = r->sink->row(r->sink->ctx, r->rec_line, r->views, r->present, r->nf)))
					sink_fail(r, rc);
			}
		}
	}
out:
	r->in_rec = 0;
	if (c == '\n')
		r->line++;
}

static int csv_feed(struct rd *r, struct csv_parser *p, int final)
{
	if (r->text.len && csv_parse(p, r->text.data, r->text.len, csv_cb_field, csv_cb_record, r) != r->text.len) {
		if (!r->stop) {
			r->res->line = r->line;
			if (csv_error(p) == CSV_ENOMEM) {
				r->res->status = REC_IO;
				err_generic(r->err, NAWAT_ENOMEM);
			} else {
				r->res->status = REC_SYNTAX;
				err_set(r->err, NAWAT_EPARSE, "CSV ไม่ถูกต้องที่บรรทัด %zu",
					"malformed CSV at line %zu", r->line);
			}
			r->stop = 1;
		}
	}
	buf_reset(&r->text);
	if (final && !r->stop)
		csv_fini(p, csv_cb_field, csv_cb_record, r);
	return r->stop;
}

/* ---- JSON ---- */

struct js {
	int mode;          /* 0 = before the first value, 1 = array, 2 = NDJSON, 3 = ended */
	int depth, in_str, esc;
	struct buf obj;    /* the object being collected */
	size_t obj_line;
	char **names;      /* known columns */
	size_t *name_len;
	size_t nnames, capn;
	size_t *numoff;    /* per column: offset of a number's text in rd.rec */
	size_t capnum;
};

static int js_column(struct rd *r, struct js *j, const char *key, size_t n, size_t *idx)
{
	size_t i;
	int rc;

	for (i = 0; i < j->nnames; i++)
		if (j->name_len[i] == n && !memcmp(j->names[i], key, n)) {
			*idx = i;
			return 0;
		}
	if (j->nnames >= MAX_COLUMNS)
		return NAWAT_ELIMIT;
	if (j->nnames == j->capn) {
		size_t cap = j->capn ? j->capn * 2 : 32;
		char **nn = nw_realloc(j->names, cap * sizeof *nn);
		size_t *nl;

		if (!nn)
			return NAWAT_ENOMEM;
		j->names = nn;
		nl = nw_realloc(j->name_len, cap * sizeof *nl);
		if (!nl)
			return NAWAT_ENOMEM;
		j->name_len = nl;
		j->capn = cap;
	}
	j->names[j->nnames] = nw_strndup(key, n);
	if (!j->names[j->nnames])
		return NAWAT_ENOMEM;
	j->name_len[j->nnames] = n;
	*idx = j->nnames++;
	if ((rc = grow_views(r, j->nnames)))
		return rc;
	return r->sink->column(r->sink->ctx, key, n);
}

static int js_object(struct rd *r, struct js *j)
{
	json_error_t jerr;
	json_t *o, *v;
	const char *key;
	char num[VAL_NUMBER_MAX];
	size_t i, idx;
	unsigned long failures;
	int rc = 0;

	failures = mem_failures();
	o = json_loadb(j->obj.data, j->obj.len, JSON_REJECT_DUPLICATES, &jerr);
	/* out of memory, which jansson may report as a syntax error */
	if (!o && (json_error_code(&jerr) == json_error_out_of_memory || mem_failures() != failures)) {
		rc = NAWAT_ENOMEM;
		goto out;
	}
	if (!o || !json_is_object(o)) {
		json_decref(o);
		r->res->status = REC_SYNTAX;
		r->res->line = j->obj_line + (o ? 0 : (size_t)(jerr.line > 0 ? jerr.line - 1 : 0));
		err_set(r->err, NAWAT_EPARSE, "JSON ไม่ถูกต้องที่บรรทัด %zu", "malformed JSON at line %zu",
			r->res->line);
		r->stop = 1;
		return NAWAT_EPARSE;
	}
	json_object_foreach(o, key, v)
		if ((rc = js_column(r, j, key, strlen(key), &idx)))
			goto out;
	if (j->nnames > j->capnum) {
		size_t *p = nw_realloc(j->numoff, j->capn * sizeof *p);

		if (!p) {
			rc = NAWAT_ENOMEM;
			goto out;
		}
		j->numoff = p;
		j->capnum = j->capn;
	}
	/* numbers are written back as text into r->rec; pointers fixed up after */
	buf_reset(&r->rec);
	for (i = 0; i < j->nnames; i++) {
		r->present[i] = 0;
		r->views[i].s = "";
		r->views[i].n = 0;
		j->numoff[i] = (size_t)-1;
	}
	json_object_foreach(o, key, v) {
		size_t len = 0;

		js_column(r, j, key, strlen(key), &idx);
		r->present[idx] = 1;
		switch (json_typeof(v)) {
		case JSON_STRING:
			r->views[idx].s = json_string_value(v);
			r->views[idx].n = json_string_length(v);
			continue;
		case JSON_NULL:
			continue;
		case JSON_INTEGER:
			len = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			break;
		case JSON_REAL:
			len = val_format_number(json_real_value(v), num, sizeof num);
			break;
		case JSON_TRUE:
			len = (size_t)snprintf(num, sizeof num, "true");
			break;
		case JSON_FALSE:
			len = (size_t)snprintf(num, sizeof num, "false");
			break;
		default:
			r->views[idx].s = NULL;
			r->views[idx].n = REC_NOT_SCALAR;
			continue;
		}
		j->numoff[idx] = r->rec.len;
		r->views[idx].n = len;
		if ((rc = buf_append(&r->rec, num, len)) || (rc = buf_putc(&r->rec, '\0')))
			goto out;
	}
	for (i = 0; i < j->nnames; i++)
		if (j->numoff[i] != (size_t)-1)
			r->views[i].s = r->rec.data + j->numoff[i];
	r->res->records++;
	rc = r->sink->row(r->sink->ctx, j->obj_line, r->views, r->present, j->nnames);
	if (rc)
		sink_fail(r, rc);
out:
	json_decref(o);
	if (rc && !r->stop) {
		r->stop = 1;
		r->res->status = REC_IO;
		err_generic(r->err, rc);
	}
	return rc;
}

static int js_syntax(struct rd *r, size_t line, const char *what_th, const char *what_en)
{
	r->res->status = REC_SYNTAX;
	r->res->line = line;
	err_set(r->err, NAWAT_EPARSE, "JSON ไม่ถูกต้องที่บรรทัด %zu", "malformed JSON at line %zu",
		line);
	(void)what_th;
	(void)what_en;
	r->stop = 1;
	return 1;
}

/* An object over the record limit (a data error), or no memory for it. */
static int js_too_big(struct rd *r, int rc, size_t line)
{
	if (rc != NAWAT_ENOMEM)
		return js_syntax(r, line, "วัตถุใหญ่เกินไป", "object too large");
	r->res->status = REC_IO;
	r->res->line = line;
	err_generic(r->err, rc);
	r->stop = 1;
	return 1;
}

static int js_feed(struct rd *r, struct js *j, int final)
{
	/* data is NULL until the first byte (an empty file) */
	const char *p = r->text.data, *end = p ? p + r->text.len : p;
	int rc;

	for (; p < end && !r->stop; p++) {
		char c = *p;

		if (j->depth == 0) {
			if (c == '\n') {
				r->line++;
				continue;
			}
			if (c == ' ' || c == '\t' || c == '\r')
				continue;
			if (j->mode == 0 && c == '[') {
				j->mode = 1;
				continue;
			}
			if (j->mode == 1 && c == ',')
				continue;
			if (j->mode == 1 && c == ']') {
				j->mode = 3;
				continue;
			}
			if (c == '{' && j->mode != 3) {
				if (j->mode == 0)
					j->mode = 2;
				j->depth = 1;
				j->in_str = j->esc = 0;
				j->obj_line = r->line;
				buf_reset(&j->obj);
				if ((rc = buf_putc(&j->obj, c)))
					return js_too_big(r, rc, r->line);
				continue;
			}
			return js_syntax(r, r->line, "ต้องเป็นอาร์เรย์ของวัตถุหรือวัตถุบรรทัดละหนึ่ง",
					 "expected an array of objects or one object a line");
		}
		if ((rc = buf_putc(&j->obj, c)))
			return js_too_big(r, rc, j->obj_line);
		if (c == '\n')
			r->line++;
		if (j->in_str) {
			if (j->esc)
				j->esc = 0;
			else if (c == '\\')
				j->esc = 1;
			else if (c == '"')
				j->in_str = 0;
			continue;
		}
		if (c == '"')
			j->in_str = 1;
		else if (c == '{' || c == '[')
			j->depth++;
		else if (c == '}' || c == ']') {
			if (--j->depth == 0 && js_object(r, j))
				return 1;
		}
	}
	buf_reset(&r->text);
	if (final && !r->stop) {
		if (j->depth)
			return js_syntax(r, j->obj_line, "วัตถุไม่สมบูรณ์", "unterminated object");
		if (j->mode == 1)
			return js_syntax(r, r->line, "อาร์เรย์ไม่ปิด", "unterminated array");
	}
	return r->stop;
}

int rec_read(FILE *fp, enum rec_format fmt, enum enc_kind enc, const struct rec_sink *sink,
	     struct rec_result *res, struct nw_err *err)
{
	struct rec_opts o;

	memset(&o, 0, sizeof o);
	o.encoding = enc;
	return rec_read_opts(fp, fmt, &o, sink, res, err);
}

int rec_read_opts(FILE *fp, enum rec_format fmt, const struct rec_opts *o,
		  const struct rec_sink *sink, struct rec_result *res, struct nw_err *err)
{
	enum enc_kind enc = o ? o->encoding : ENC_AUTO;
	struct sha256 sha = { NULL };
	struct enc_decoder dec;
	struct csv_parser csv;
	struct rd r;
	struct js j;
	unsigned char *block;
	size_t n, i;
	int final = 0, rc;

	if (fmt == REC_XLSX)
		return xlsx_read(fp, o, sink, res, err);
	memset(res, 0, sizeof *res);
	memset(&r, 0, sizeof r);
	memset(&j, 0, sizeof j);
	r.sink = sink;
	r.res = res;
	r.err = err;
	r.line = 1;
	buf_init(&r.text, BLOCK * 4);
	buf_init(&r.rec, MAX_RECORD);
	buf_init(&j.obj, MAX_RECORD);
	enc_init(&dec, enc);
	block = nw_malloc(BLOCK);
	if (!block || sha256_init(&sha) || csv_init(&csv, CSV_REPALL_NL) != 0) {
		nw_free(block);
		sha256_release(&sha);
		res->status = REC_IO;
		return err_generic(err, NAWAT_ENOMEM);
	}
	csv_set_realloc_func(&csv, nw_realloc);
	csv_set_free_func(&csv, nw_free);
	/* libcsv grows a field by this much at a time: small steps make long
	 * fields quadratic */
	csv_set_blk_size(&csv, 64 * 1024);
	while (!final && !r.stop) {
		n = fread(block, 1, BLOCK, fp);
		if (n < BLOCK) {
			if (ferror(fp)) {
				res->status = REC_IO;
				err_msg(err, NAWAT_EIO, "อ่านไฟล์ไม่สำเร็จ", "cannot read the file");
				break;
			}
			final = 1;
		}
		sha256_update(&sha, block, n);
		res->bytes += n;
		rc = enc_decode(&dec, block, n, final, &r.text);
		if (rc) {
			/* parse what decoded cleanly, then report the bad line */
			if (rc == NAWAT_EPARSE) {
				if (fmt == REC_CSV)
					csv_feed(&r, &csv, 0);
				else
					js_feed(&r, &j, 0);
				if (!r.stop) {
					res->status = REC_ENCODING;
					res->line = dec.bad_line;
					err_set(err, NAWAT_EPARSE,
						"บรรทัด %zu มีไบต์ที่ไม่ใช่ UTF-8 หรือ TIS-620",
						"line %zu has bytes that are neither UTF-8 nor TIS-620",
						dec.bad_line);
					r.stop = 1;
				}
			} else {
				res->status = REC_IO;
				err_generic(err, rc);
				r.stop = 1;
			}
			break;
		}
		if (fmt == REC_CSV)
			csv_feed(&r, &csv, final);
		else
			js_feed(&r, &j, final);
	}
	res->encoding = dec.actual == ENC_AUTO ? ENC_UTF8 : dec.actual;
	sha256_final(&sha, res->sha256);
	csv_free(&csv);
	enc_release(&dec);
	nw_free(block);
	buf_release(&r.text);
	buf_release(&r.rec);
	buf_release(&j.obj);
	nw_free(r.off);
	nw_free(r.len);
	nw_free(r.views);
	nw_free(r.present);
	for (i = 0; i < j.nnames; i++)
		nw_free(j.names[i]);
	nw_free(j.names);
	nw_free(j.name_len);
	nw_free(j.numoff);
	if (res->status == REC_SINK)
		return res->rc;
	return res->status == REC_OK ? 0 : NAWAT_EPARSE;
}
