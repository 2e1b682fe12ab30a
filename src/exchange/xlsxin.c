/*
 * xlsxin.c - the XLSX reader (see xlsxin.h).
 *
 * libzip opens the archive through a source that reads the caller's FILE
 * (so that uploads kept in memory or in a temporary file need no copy);
 * each part is inflated a block at a time into an expat parser: first the
 * relationships, the workbook (sheets, date system), the styles (which cell
 * formats are dates) and the shared strings, then the chosen sheet.  The
 * sheet is parsed in a thread of its own (expat is the costliest part of an
 * import from XLSX); its rows go to the sink in the caller's thread, in
 * batches.  Element names are matched without their namespace prefix, which
 * covers both transitional and strict OOXML.
 */
#include "xlsxin.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "../base/buf.h"
#include "../base/date.h"
#include "../base/mem.h"
#include "../base/sha256.h"
#include "../standard/validate.h"

#define BLOCK (64 * 1024)
#define MAX_RELS 4096
#define MAX_SHEETS 4096
#define MAX_XFS 65536        /* cell formats (Excel allows 64,000) */
#define MAX_NUMFMTS 4096

struct rel {
	char *id, *type, *target;
};

struct sheet {
	char *name, *rid;
	int hidden;
};

struct numfmt {
	long id;
	int date;
};

/* Rows on their way to the sink: their cells' text, one after another. */
struct batch {
	struct buf text;
	struct cell {
		size_t off, len;   /* len 0: empty */
	} *cells;
	size_t ncells, capcells;
	struct brow {
		size_t line, first, n;  /* cells[first .. first + n) */
	} *rows;
	size_t nrows, caprows;
};

#define BATCH_ROWS 512
#define BATCH_TEXT (256 * 1024)

/* The archive read through the caller's FILE. */
struct src {
	FILE *fp;
	off_t base, size, pos, fpos;
	zip_error_t error;
};

struct xr {
	const struct rec_sink *sink;
	struct rec_result *res;
	struct nw_err *err;
	const char *want_sheet;
	uint64_t left;             /* bytes that may still be inflated */
	uint64_t max_unzipped, max_strings;
	int failed, rc;
	unsigned char *block;
	struct src src;
	FILE *copy;                /* the input copied here when it cannot seek */
	zip_t *za;
	XML_Parser p;
	const char *part;          /* being parsed */
	/* workbook */
	int date1904;
	struct rel *rels;
	size_t nrels;
	struct sheet *sheets;
	size_t nsheets;
	char *wb_path, *sheet_path, *sst_path, *styles_path;
	/* styles */
	struct numfmt *fmts;
	size_t nfmts;
	long *xf_fmt;
	unsigned char *xf_date;
	size_t nxf;
	int in_xfs;
	/* shared strings: string i is sst[off[i] .. off[i + 1]) */
	struct buf sst;
	size_t *sst_off;
	size_t nsst, capsst;
	int in_si, in_rph;
	size_t si_start;
	/* text being collected (NULL: none) */
	struct buf *into;
	struct buf text;
	/* the sheet */
	int in_data, in_row, in_cell, in_is, have_v, cell_date;
	char ctype;                /* n s b e t(str) i(inlineStr) d */
	size_t row, last_row;
	long col, last_col;
	/* rows go from the parsing thread to the caller's in batches: one
	 * filled (b), one delivered (ready) */
	struct batch batches[2], *b, *ready;
	size_t row_first, row_text;  /* where the current row starts in b */
	size_t ncells;             /* cells of the current row (its last column + 1) */
	int nonblank;
	int header_seen;           /* the header went to the sink ... */
	size_t ncols;              /* ... with so many columns, */
	unsigned char *col_date;   /* these of them dates */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done, stop;            /* stop: the caller's side gave up */
	int sink_rc, cons_rc;      /* failures on the caller's side */
	int cons_header;
	struct rec_view *views;
	unsigned char *present;
	size_t capv;
};

static const XML_Memory_Handling_Suite mem_suite = { nw_malloc, nw_realloc, nw_free };

/* ---- failures ---- */

static int fail(struct xr *x, enum rec_status st, size_t line, const char *th, const char *en)
{
	if (x->failed)
		return x->rc;
	x->failed = 1;
	x->rc = NAWAT_EPARSE;
	x->res->status = st;
	x->res->line = line;
	err_msg(x->err, st == REC_IO ? NAWAT_ELIMIT : NAWAT_EPARSE, th, en);
	if (x->p)
		XML_StopParser(x->p, XML_FALSE);
	return x->rc;
}

static int fail_nomem(struct xr *x)
{
	if (!x->failed) {
		fail(x, REC_IO, 0, "", "");
		err_generic(x->err, NAWAT_ENOMEM);
	}
	return x->rc;
}

/* "the XLSX file is damaged: <what>" */
static int damaged(struct xr *x, size_t line, const char *what_th, const char *what_en)
{
	char th[NW_ERR_MSG], en[NW_ERR_MSG];

	snprintf(th, sizeof th, "ไฟล์ XLSX เสียหายหรือไม่ถูกต้อง: %s", what_th);
	snprintf(en, sizeof en, "the XLSX file is damaged or malformed: %s", what_en);
	return fail(x, REC_SYNTAX, line, th, en);
}

/* ---- the archive source ---- */

static zip_int64_t src_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct src *s = ud;
	zip_int64_t pos;
	size_t n;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		s->pos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		if (len > (zip_uint64_t)(s->size - s->pos))
			len = (zip_uint64_t)(s->size - s->pos);
		if (!len)
			return 0;
		if (s->fpos != s->pos && fseeko(s->fp, s->base + s->pos, SEEK_SET) != 0) {
			zip_error_set(&s->error, ZIP_ER_SEEK, errno);
			return -1;
		}
		n = fread(data, 1, len, s->fp);
		if (n < len && ferror(s->fp)) {
			zip_error_set(&s->error, ZIP_ER_READ, errno);
			s->fpos = -1;
			return -1;
		}
		s->pos += (off_t)n;
		s->fpos = s->pos;
		return (zip_int64_t)n;
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		if (len < sizeof *st) {
			zip_error_set(&s->error, ZIP_ER_INVAL, 0);
			return -1;
		}
		zip_stat_init(st);
		st->size = (zip_uint64_t)s->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->error, data, len);
	case ZIP_SOURCE_SEEK:
		pos = zip_source_seek_compute_offset((zip_uint64_t)s->pos, (zip_uint64_t)s->size, data, len,
						     &s->error);
		if (pos < 0)
			return -1;
		s->pos = (off_t)pos;
		return 0;
	case ZIP_SOURCE_TELL:
		return (zip_int64_t)s->pos;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
						      ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
						      ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_SUPPORTS, -1);
	default:
		zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Hashes the whole input (a submission records its SHA-256), checks that it
 * looks like a zip, and copies it to a temporary file if it cannot seek. */
static int take_input(struct xr *x, FILE *fp)
{
	struct sha256 sha = { NULL };
	unsigned char magic[4] = { 0, 0, 0, 0 };
	off_t start = ftello(fp);
	size_t n, nmagic = 0;

	if (start < 0 || fseeko(fp, start, SEEK_SET) != 0) {
		x->copy = tmpfile();
		if (!x->copy)
			return fail(x, REC_IO, 0, "สร้างไฟล์ชั่วคราวไม่ได้", "cannot create a temporary file");
		start = 0;
	}
	if (sha256_init(&sha))
		return fail_nomem(x);
	while ((n = fread(x->block, 1, BLOCK, fp)) > 0) {
		if (nmagic < sizeof magic) {
			size_t k = n < sizeof magic - nmagic ? n : sizeof magic - nmagic;

			memcpy(magic + nmagic, x->block, k);
			nmagic += k;
		}
		sha256_update(&sha, x->block, n);
		x->res->bytes += n;
		if (x->copy && fwrite(x->block, 1, n, x->copy) != n)
			break;
	}
	sha256_final(&sha, x->res->sha256);
	if (ferror(fp) || (x->copy && (ferror(x->copy) || fflush(x->copy) != 0)))
		return fail(x, REC_IO, 0, "อ่านไฟล์ไม่สำเร็จ", "cannot read the file");
	x->src.fp = x->copy ? x->copy : fp;
	x->src.base = start;
	x->src.size = (off_t)x->res->bytes;
	x->src.fpos = -1;
	zip_error_init(&x->src.error);
	if (nmagic == 4 && !memcmp(magic, "\xD0\xCF\x11\xE0", 4))
		return fail(x, REC_SYNTAX, 0,
			    "ไฟล์นี้เป็นไฟล์ Excel แบบเก่า (.xls) หรือไฟล์ที่ตั้งรหัสผ่านไว้ ให้บันทึกเป็น .xlsx โดยไม่ใส่รหัสผ่านแล้วนำเข้าใหม่",
			    "this is an old Excel file (.xls) or a password-protected workbook: save it as .xlsx "
			    "without a password and import it again");
	if (nmagic < 4 || magic[0] != 'P' || magic[1] != 'K')
		return fail(x, REC_SYNTAX, 0, "ไฟล์นี้ไม่ใช่ไฟล์ XLSX (ไม่ใช่ไฟล์ zip)",
			    "this is not an XLSX file (not a zip archive)");
	return 0;
}

static int open_zip(struct xr *x)
{
	zip_source_t *s;
	zip_error_t ze;
	char th[NW_ERR_MSG], en[NW_ERR_MSG];

	zip_error_init(&ze);
	s = zip_source_function_create(src_cb, &x->src, &ze);
	if (!s) {
		zip_error_fini(&ze);
		return fail_nomem(x);
	}
	x->za = zip_open_from_source(s, ZIP_RDONLY, &ze);
	if (!x->za) {
		zip_source_free(s);
		snprintf(th, sizeof th, "เปิดไฟล์ zip ไม่ได้ (%s)", zip_error_strerror(&ze));
		snprintf(en, sizeof en, "cannot open the zip archive (%s)", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return damaged(x, 0, th, en);
	}
	zip_error_fini(&ze);
	return 0;
}

/* ---- parts ---- */

static const char *local(const char *name)
{
	const char *p = strrchr(name, ':');

	return p ? p + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (; atts[0]; atts += 2)
		if (!strcmp(atts[0], name))
			return atts[1];
	return NULL;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct xr *x = ud;
	char th[NW_ERR_MSG], en[NW_ERR_MSG];

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	snprintf(th, sizeof th, "ส่วน %s มี DTD ซึ่งไฟล์ XLSX ไม่มี", x->part);
	snprintf(en, sizeof en, "the part %s has a DTD, which XLSX parts never have", x->part);
	damaged(x, x->in_row ? x->row : 0, th, en);
}

static void too_long(struct xr *x)
{
	char th[NW_ERR_MSG], en[NW_ERR_MSG];

	if (x->into == &x->sst) {
		snprintf(th, sizeof th,
			 "ตารางข้อความที่ใช้ร่วมกัน (sharedStrings) ของไฟล์ใหญ่เกิน %llu ไบต์ "
			 "แบ่งไฟล์ให้เล็กลง หรือกำหนด --xlsx-max-strings ให้มากขึ้น",
			 (unsigned long long)x->max_strings);
		snprintf(en, sizeof en,
			 "the shared-strings table of the file is over %llu bytes: split the file, "
			 "or raise --xlsx-max-strings",
			 (unsigned long long)x->max_strings);
		fail(x, REC_IO, 0, th, en);
	} else {
		snprintf(th, sizeof th, "แถวที่ %zu ยาวเกินกำหนด", x->row);
		snprintf(en, sizeof en, "row %zu is too long", x->row);
		fail(x, REC_IO, x->row, th, en);
	}
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xr *x = ud;

	int rc;

	if (x->into && !x->failed && (rc = buf_append(x->into, s, (size_t)len))) {
		if (rc == NAWAT_ENOMEM)
			fail_nomem(x);
		else
			too_long(x);
	}
}

/* Parses the part `name` with the handlers.  1 when it is absent and not
 * required. */
static int parse_part(struct xr *x, const char *name, int required, XML_StartElementHandler start,
		      XML_EndElementHandler end)
{
	char th[NW_ERR_MSG], en[NW_ERR_MSG];
	zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
	zip_file_t *zf;
	zip_stat_t zs;
	zip_int64_t n;
	int code, over = 0;

	if (x->failed)
		return x->rc;
	if (idx < 0) {
		if (!required)
			return 1;
		snprintf(th, sizeof th, "ไม่มีส่วน %s", name);
		snprintf(en, sizeof en, "the part %s is missing", name);
		return damaged(x, 0, th, en);
	}
	x->part = name;
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &zs) == 0 && (zs.valid & ZIP_STAT_SIZE) &&
	    zs.size > x->left)
		goto limit;
	zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!zf) {
		code = zip_error_code_zip(zip_get_error(x->za));
		if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
			return fail(x, REC_SYNTAX, 0, "ไฟล์นี้ตั้งรหัสผ่านไว้ ให้บันทึกใหม่โดยไม่ใส่รหัสผ่าน",
				    "the file is password-protected: save it again without a password");
		snprintf(th, sizeof th, "อ่านส่วน %s ไม่ได้ (%s)", name, zip_strerror(x->za));
		snprintf(en, sizeof en, "cannot read the part %s (%s)", name, zip_strerror(x->za));
		return damaged(x, 0, th, en);
	}
	x->p = XML_ParserCreate_MM(NULL, &mem_suite, NULL);
	if (!x->p) {
		zip_fclose(zf);
		return fail_nomem(x);
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	for (;;) {
		n = zip_fread(zf, x->block, BLOCK);
		if (n < 0) {
			snprintf(th, sizeof th, "อ่านส่วน %s ไม่ได้ (%s)", name, zip_file_strerror(zf));
			snprintf(en, sizeof en, "cannot read the part %s (%s)", name, zip_file_strerror(zf));
			damaged(x, x->in_row ? x->row : 0, th, en);
			break;
		}
		if ((uint64_t)n > x->left) {
			over = 1;
			break;
		}
		x->left -= (uint64_t)n;
		if (XML_Parse(x->p, (const char *)x->block, (int)n, n == 0) == XML_STATUS_ERROR) {
			if (!x->failed && XML_GetErrorCode(x->p) == XML_ERROR_NO_MEMORY) {
				fail_nomem(x); /* not the file's fault */
			} else if (!x->failed) {
				snprintf(th, sizeof th, "ส่วน %s ไม่ใช่ XML ที่ถูกต้อง (%s บรรทัด %lu)", name,
					 XML_ErrorString(XML_GetErrorCode(x->p)),
					 (unsigned long)XML_GetCurrentLineNumber(x->p));
				snprintf(en, sizeof en, "the part %s is not well-formed XML (%s, line %lu)", name,
					 XML_ErrorString(XML_GetErrorCode(x->p)),
					 (unsigned long)XML_GetCurrentLineNumber(x->p));
				damaged(x, x->in_row ? x->row : 0, th, en);
			}
			break;
		}
		if (n == 0 || x->failed)
			break;
	}
	XML_ParserFree(x->p);
	x->p = NULL;
	zip_fclose(zf);
	x->into = NULL;
	if (x->failed)
		return x->rc;
	if (!over)
		return 0;
limit:
	snprintf(th, sizeof th,
		 "ไฟล์ XLSX เมื่อขยายออกใหญ่เกิน %llu ไบต์ (ที่ส่วน %s) เช่นเดียวกับไฟล์ที่สร้างมาให้ขยายตัวผิดปกติ "
		 "แบ่งไฟล์ให้เล็กลง หรือกำหนด --xlsx-max-unzipped ให้มากขึ้น",
		 (unsigned long long)x->max_unzipped, name);
	snprintf(en, sizeof en,
		 "the XLSX file inflates to more than %llu bytes (at the part %s), as a zip bomb would: "
		 "split the file, or raise --xlsx-max-unzipped",
		 (unsigned long long)x->max_unzipped, name);
	return fail(x, REC_IO, 0, th, en);
}

/* ---- relationships and the workbook ---- */

/* arr (n elements of size bytes, at most max) with room for one more, the
 * new one zeroed; NULL after a failure. */
static void *grow1(struct xr *x, void *arr, size_t n, size_t size, size_t max, const char *th,
		   const char *en)
{
	char *p;

	if (n == max) {
		damaged(x, 0, th, en);
		return NULL;
	}
	p = nw_realloc(arr, (n + 1) * size);
	if (!p) {
		fail_nomem(x);
		return NULL;
	}
	memset(p + n * size, 0, size);
	return p;
}

static char *dup_attr(struct xr *x, const char *v)
{
	char *s = nw_strdup(v ? v : "");

	if (!s)
		fail_nomem(x);
	return s;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xr *x = ud;
	const char *mode = attr(atts, "TargetMode");
	struct rel *r;

	if (x->failed || strcmp(local(name), "Relationship") || (mode && !strcmp(mode, "External")))
		return;
	r = grow1(x, x->rels, x->nrels, sizeof *r, MAX_RELS, "มีความสัมพันธ์ระหว่างส่วนมากเกินไป",
		  "too many relationships");
	if (!r)
		return;
	x->rels = r;
	r = &x->rels[x->nrels++];
	r->id = dup_attr(x, attr(atts, "Id"));
	r->type = dup_attr(x, attr(atts, "Type"));
	r->target = dup_attr(x, attr(atts, "Target"));
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

static void rels_clear(struct xr *x)
{
	size_t i;

	for (i = 0; i < x->nrels; i++) {
		nw_free(x->rels[i].id);
		nw_free(x->rels[i].type);
		nw_free(x->rels[i].target);
	}
	nw_free(x->rels);
	x->rels = NULL;
	x->nrels = 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* The part a relationship's target names, from the folder of the part that
 * has the relationship ("" for the package root). */
static char *resolve(struct xr *x, const char *dir, const char *target)
{
	size_t n = strlen(dir) + strlen(target) + 2, o = 0;
	char *path = nw_malloc(n), *out, *seg, *next;

	if (!path) {
		fail_nomem(x);
		return NULL;
	}
	if (target[0] == '/')
		snprintf(path, n, "%s", target + 1);
	else
		snprintf(path, n, "%s%s", dir, target);
	/* "a/./b/../c" -> "a/c" */
	out = path;
	for (seg = path; seg; seg = next) {
		next = strchr(seg, '/');
		if (next)
			*next++ = '\0';
		if (!*seg || !strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			while (o && out[o - 1] != '/')
				o--;
			if (o)
				o--;
			while (o && out[o - 1] != '/')
				o--;
			continue;
		}
		memmove(out + o, seg, strlen(seg));
		o += strlen(seg);
		if (next)
			out[o++] = '/';
	}
	out[o] = '\0';
	return path;
}

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xr *x = ud;
	const char *l = local(name), *v;
	struct sheet *s;
	size_t i;

	if (x->failed)
		return;
	if (!strcmp(l, "workbookPr")) {
		v = attr(atts, "date1904");
		x->date1904 = v && (!strcmp(v, "1") || !strcasecmp(v, "true"));
	} else if (!strcmp(l, "sheet")) {
		s = grow1(x, x->sheets, x->nsheets, sizeof *s, MAX_SHEETS, "มีแผ่นงานมากเกินไป", "too many sheets");
		if (!s)
			return;
		x->sheets = s;
		s = &x->sheets[x->nsheets++];
		s->name = dup_attr(x, attr(atts, "name"));
		v = attr(atts, "state");
		s->hidden = v && strcmp(v, "visible");
		/* r:id, whatever the relationships namespace's prefix */
		for (i = 0; atts[i]; i += 2)
			if (strchr(atts[i], ':') && !strcmp(local(atts[i]), "id") && !s->rid)
				s->rid = dup_attr(x, atts[i + 1]);
		if (!s->rid)
			s->rid = dup_attr(x, "");
	}
}

static const struct rel *rel_by_id(const struct xr *x, const char *id)
{
	size_t i;

	for (i = 0; i < x->nrels; i++)
		if (!strcmp(x->rels[i].id, id))
			return &x->rels[i];
	return NULL;
}

static const struct rel *rel_by_type(const struct xr *x, const char *suffix)
{
	size_t i;

	for (i = 0; i < x->nrels; i++)
		if (ends_with(x->rels[i].type, suffix))
			return &x->rels[i];
	return NULL;
}

/* Finds the workbook, its date system, the sheet to read, its shared
 * strings and styles. */
static int find_parts(struct xr *x)
{
	const struct rel *r;
	char *dir = NULL, *rels_path = NULL;
	const char *slash;
	size_t i, pick = 0;
	int rc, best = 0;

	rc = parse_part(x, "_rels/.rels", 0, rels_start, no_end);
	if (rc < 0)
		return rc;
	r = rc == 0 ? rel_by_type(x, "/officeDocument") : NULL;
	x->wb_path = r ? resolve(x, "", r->target) : nw_strdup("xl/workbook.xml");
	rels_clear(x);
	if (!x->wb_path)
		return fail_nomem(x);
	if ((rc = parse_part(x, x->wb_path, 1, wb_start, no_end)))
		return rc;
	if (!x->nsheets)
		return damaged(x, 0, "สมุดงานไม่มีแผ่นงาน", "the workbook has no sheets");
	/* xl/workbook.xml -> xl/_rels/workbook.xml.rels */
	slash = strrchr(x->wb_path, '/');
	dir = nw_strndup(x->wb_path, slash ? (size_t)(slash - x->wb_path + 1) : 0);
	if (!dir)
		return fail_nomem(x);
	rels_path = nw_malloc(strlen(x->wb_path) + 16);
	if (!rels_path) {
		nw_free(dir);
		return fail_nomem(x);
	}
	snprintf(rels_path, strlen(x->wb_path) + 16, "%s_rels/%s.rels", dir, slash ? slash + 1 : x->wb_path);
	rc = parse_part(x, rels_path, 1, rels_start, no_end);
	nw_free(rels_path);
	if (rc)
		goto out;
	/* the sheet named like the data set, else the first visible one, else
	 * the first: worksheets only (not chart sheets) */
	for (i = 0; i < x->nsheets; i++) {
		int score;

		r = rel_by_id(x, x->sheets[i].rid);
		if (!r || !ends_with(r->type, "/worksheet"))
			continue;
		score = x->want_sheet && !strcasecmp(x->sheets[i].name, x->want_sheet) ? 3 : x->sheets[i].hidden ? 1 : 2;
		if (score > best) {
			best = score;
			pick = i;
		}
	}
	if (!best) {
		rc = damaged(x, 0, "ไม่พบแผ่นงานที่เป็นตาราง", "no worksheet found");
		goto out;
	}
	r = rel_by_id(x, x->sheets[pick].rid);
	x->sheet_path = resolve(x, dir, r->target);
	if ((r = rel_by_type(x, "/sharedStrings")))
		x->sst_path = resolve(x, dir, r->target);
	if ((r = rel_by_type(x, "/styles")))
		x->styles_path = resolve(x, dir, r->target);
	if (!x->sheet_path)
		rc = fail_nomem(x);
	else
		rc = x->failed ? x->rc : 0;
out:
	nw_free(dir);
	rels_clear(x);
	return rc;
}

/* ---- styles: which cell formats show dates ---- */

/* The built-in number formats that show dates or times (ECMA-376 18.8.30,
 * with the East Asian and Thai ones). */
static int builtin_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
}

int xlsx_format_is_date(const char *code)
{
	const unsigned char *p = (const unsigned char *)code;

	/* the first section (positive numbers) decides */
	while (*p && *p != ';') {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				;
			if (*p)
				p++;
			continue;
		}
		if (*p == '\\' || *p == '_' || *p == '*') {
			/* an escaped or padding character: skip it, whole */
			p++;
			if (*p)
				p++;
			while ((*p & 0xC0) == 0x80)
				p++;
			continue;
		}
		if (*p == '[') {
			/* [h] [mm] [ss] are elapsed times; [Red], [$-41E] are not */
			if (strchr("hHmMsS", p[1]) && p[1])
				return 1;
			while (*p && *p != ']')
				p++;
			if (*p)
				p++;
			continue;
		}
		if (!strncasecmp((const char *)p, "General", 7)) {
			p += 7;
			continue;
		}
		if (strchr("dDmMyYhHsSbB", *p))
			return 1;
		/* Thai date letters: ว (day) ด (month) ป (year) ช (hour) น (minute) ท (second) */
		if (p[0] == 0xE0 && p[1] == 0xB8 &&
		    (p[2] == 0xA7 || p[2] == 0x94 || p[2] == 0x9B || p[2] == 0x8A || p[2] == 0x99 || p[2] == 0x97))
			return 1;
		p++;
	}
	return 0;
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xr *x = ud;
	const char *l = local(name), *id = attr(atts, "numFmtId"), *code;

	if (x->failed)
		return;
	if (!strcmp(l, "cellXfs")) {
		x->in_xfs = 1;
	} else if (!strcmp(l, "numFmt")) {
		struct numfmt *f;

		code = attr(atts, "formatCode");
		if (!id || !code)
			return;
		f = grow1(x, x->fmts, x->nfmts, sizeof *f, MAX_NUMFMTS, "มีรูปแบบตัวเลขมากเกินไป",
			  "too many number formats");
		if (!f)
			return;
		x->fmts = f;
		f[x->nfmts].id = strtol(id, NULL, 10);
		f[x->nfmts].date = xlsx_format_is_date(code);
		x->nfmts++;
	} else if (!strcmp(l, "xf") && x->in_xfs) {
		long *xf;

		xf = grow1(x, x->xf_fmt, x->nxf, sizeof *xf, MAX_XFS, "มีรูปแบบเซลล์มากเกินไป",
			   "too many cell formats");
		if (!xf)
			return;
		x->xf_fmt = xf;
		xf[x->nxf++] = id ? strtol(id, NULL, 10) : 0;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	struct xr *x = ud;

	if (!strcmp(local(name), "cellXfs"))
		x->in_xfs = 0;
}

static int read_styles(struct xr *x)
{
	size_t i, k;
	int rc, date;

	if (!x->styles_path)
		return 0;
	rc = parse_part(x, x->styles_path, 0, styles_start, styles_end);
	if (rc < 0)
		return rc;
	x->xf_date = nw_calloc(x->nxf ? x->nxf : 1, 1);
	if (!x->xf_date)
		return fail_nomem(x);
	for (i = 0; i < x->nxf; i++) {
		date = -1;
		for (k = 0; k < x->nfmts && date < 0; k++)
			if (x->fmts[k].id == x->xf_fmt[i])
				date = x->fmts[k].date;
		x->xf_date[i] = (unsigned char)(date < 0 ? builtin_date(x->xf_fmt[i]) : date);
	}
	return 0;
}

/* ---- text ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes OOXML's _xHHHH_ escapes (characters XML cannot carry, such as
 * control characters; _x005F_ is a literal underscore) in place. */
static size_t unescape(char *s, size_t n)
{
	size_t i = 0, o = 0;

	if (!memchr(s, '_', n))
		return n;
	while (i < n) {
		if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_') {
			int a = hexval(s[i + 2]), b = hexval(s[i + 3]), c = hexval(s[i + 4]), d = hexval(s[i + 5]);
			unsigned cp = (unsigned)(a << 12 | b << 8 | c << 4 | d);

			if (a >= 0 && b >= 0 && c >= 0 && d >= 0 && cp && (cp < 0xD800 || cp > 0xDFFF)) {
				if (cp < 0x80) {
					s[o++] = (char)cp;
				} else if (cp < 0x800) {
					s[o++] = (char)(0xC0 | cp >> 6);
					s[o++] = (char)(0x80 | (cp & 0x3F));
				} else {
					s[o++] = (char)(0xE0 | cp >> 12);
					s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				}
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	return o;
}

/* "1.23456789012346e+18" -> "1234567890123460000", "1e-05" -> "0.00001";
 * text without an exponent as it is.  out holds VAL_NUMBER_MAX bytes. */
static size_t plain_decimal(const char *g, char *out)
{
	const char *e = strchr(g, 'e');
	char digits[32];
	size_t nd = 0, o = 0;
	long exp, point, i;

	if (!e) {
		snprintf(out, VAL_NUMBER_MAX, "%s", g);
		return strlen(out);
	}
	exp = strtol(e + 1, NULL, 10);
	if (*g == '-')
		out[o++] = *g++;
	for (; g < e && nd < sizeof digits; g++)
		if (*g >= '0' && *g <= '9')
			digits[nd++] = *g;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	point = exp + 1; /* digits before the decimal point */
	if (point <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = point; i < 0; i++)
			out[o++] = '0';
		for (i = 0; i < (long)nd; i++)
			out[o++] = digits[i];
	} else {
		for (i = 0; i < point || i < (long)nd; i++) {
			if (i == point)
				out[o++] = '.';
			out[o++] = i < (long)nd ? digits[i] : '0';
		}
	}
	out[o] = '\0';
	return o;
}

size_t xlsx_number_text(const char *v, size_t n, char *out)
{
	char tmp[64], *end;
	size_t i = 0, digits;
	double d;

	/* most numbers are plain integers: as they are */
	if (n && v[0] == '-')
		i = 1;
	for (digits = 0; i < n && v[i] >= '0' && v[i] <= '9'; i++)
		digits++;
	if (i == n && digits && digits <= 15) {
		memcpy(out, v, n);
		out[n] = '\0';
		return n;
	}
	if (n >= sizeof tmp)
		goto as_is;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	errno = 0;
	d = strtod(tmp, &end);
	if (end == tmp || *end || !isfinite(d))
		goto as_is;
	/* a spreadsheet shows 15 significant digits: 0.30000000000000004 is
	 * 0.3 and 1.101700123456E+12 is 1101700123456; in plain decimals */
	if (d == 0)
		d = 0; /* no "-0" */
	snprintf(tmp, sizeof tmp, "%.15g", d);
	return plain_decimal(tmp, out);
as_is:
	n = n < VAL_NUMBER_MAX - 1 ? n : VAL_NUMBER_MAX - 1;
	memcpy(out, v, n);
	out[n] = '\0';
	return n;
}

size_t xlsx_serial_date(double serial, int date1904, char *out)
{
	static const struct date d1904 = { 1904, 1, 1 }, d1899 = { 1899, 12, 30 }, d1900 = { 1899, 12, 31 };
	struct date dt;
	int64_t secs, days, rem;
	int len;

	/* 9999-12-31 is the last day a spreadsheet has */
	if (!(serial >= 0 && serial < 2958466))
		return 0;
	secs = llround(serial * 86400.0);
	days = secs / 86400;
	rem = secs % 86400;
	if (date1904) {
		dt = date_from_days(date_to_days(d1904) + days);
	} else if (days == 60) {
		/* the day Lotus 1-2-3 (and so Excel) believes 1900 had */
		dt.y = 1900;
		dt.m = 2;
		dt.d = 29;
	} else if (days == 0) {
		dt.y = 1900; /* "1900-01-00", as spreadsheets show it */
		dt.m = 1;
		dt.d = 0;
	} else {
		dt = date_from_days(date_to_days(days < 60 ? d1900 : d1899) + days);
	}
	len = (int)strlen(date_iso(dt, out, 20));
	if (rem)
		len += snprintf(out + len, 20 - (size_t)len, " %02d:%02d:%02d", (int)(rem / 3600),
				(int)(rem / 60 % 60), (int)(rem % 60));
	return (size_t)len;
}

/* ---- shared strings ---- */

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xr *x = ud;
	const char *l = local(name);

	(void)atts;
	if (x->failed)
		return;
	if (!strcmp(l, "si")) {
		x->in_si = 1;
		x->si_start = x->sst.len;
	} else if (!strcmp(l, "rPh")) {
		x->in_rph = 1; /* phonetic guide: not part of the text */
	} else if (!strcmp(l, "t") && x->in_si && !x->in_rph) {
		x->into = &x->sst;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct xr *x = ud;
	const char *l = local(name);
	size_t n;

	if (x->failed)
		return;
	if (!strcmp(l, "t")) {
		x->into = NULL;
	} else if (!strcmp(l, "rPh")) {
		x->in_rph = 0;
	} else if (!strcmp(l, "si")) {
		x->in_si = 0;
		if (x->sst.data) {
			n = unescape(x->sst.data + x->si_start, x->sst.len - x->si_start);
			x->sst.len = x->si_start + n;
			x->sst.data[x->sst.len] = '\0';
		}
		if (x->nsst + 2 > x->capsst) {
			size_t cap = x->capsst ? x->capsst * 2 : 1024;
			size_t *off;

			if ((uint64_t)cap * sizeof *off + x->sst.len > x->max_strings) {
				x->into = &x->sst;
				too_long(x);
				return;
			}
			off = nw_realloc(x->sst_off, cap * sizeof *off);
			if (!off) {
				fail_nomem(x);
				return;
			}
			x->sst_off = off;
			x->capsst = cap;
		}
		x->sst_off[x->nsst] = x->si_start;
		x->sst_off[++x->nsst] = x->sst.len;
	}
}

static int read_strings(struct xr *x)
{
	int rc;

	if (!x->sst_path)
		return 0;
	buf_init(&x->sst, x->max_strings < BUF_UNLIMITED ? (size_t)x->max_strings : BUF_UNLIMITED);
	rc = parse_part(x, x->sst_path, 0, sst_start, sst_end);
	return rc < 0 ? rc : 0;
}

/* ---- the sheet ---- */

/* Room in b for cells up to index n - 1. */
static int grow_cells(struct batch *b, size_t n)
{
	size_t cap = b->capcells ? b->capcells : 1024;
	struct cell *c;

	if (n <= b->capcells)
		return 0;
	while (cap < n)
		cap *= 2;
	c = nw_realloc(b->cells, cap * sizeof *c);
	if (!c)
		return NAWAT_ENOMEM;
	b->cells = c;
	b->capcells = cap;
	return 0;
}

static void row_start(struct xr *x, const XML_Char **atts)
{
	const char *r = attr(atts, "r");
	char th[NW_ERR_MSG], en[NW_ERR_MSG], *end;
	unsigned long long n;

	if (r) {
		errno = 0;
		n = strtoull(r, &end, 10);
		if (end == r || *end || errno || n == 0 || n <= x->last_row) {
			snprintf(th, sizeof th, "เลขแถว \"%.*s\" ไม่ถูกต้องหรือไม่เรียงลำดับ (หลังแถว %zu)",
				 (int)err_cut(r, 40), r, x->last_row);
			snprintf(en, sizeof en, "bad or out-of-order row number \"%.*s\" (after row %zu)",
				 (int)err_cut(r, 40), r, x->last_row);
			damaged(x, x->last_row, th, en);
			return;
		}
		x->row = (size_t)n;
	} else {
		x->row = x->last_row + 1;
	}
	x->last_row = x->row;
	x->in_row = 1;
	x->ncells = 0;
	x->nonblank = 0;
	x->last_col = -1;
	x->row_first = x->b->ncells;
	x->row_text = x->b->text.len;
}

static void cell_start(struct xr *x, const XML_Char **atts)
{
	const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
	char th[NW_ERR_MSG], en[NW_ERR_MSG];
	long col = 0;
	int letters = 0;

	if (!x->in_row) {
		damaged(x, x->last_row, "มีเซลล์อยู่นอกแถว", "a cell outside a row");
		return;
	}
	if (r) {
		for (; *r >= 'A' && *r <= 'Z' && col <= 1L << 20; r++, letters++)
			col = col * 26 + (*r - 'A' + 1);
	}
	col = letters ? col - 1 : x->last_col + 1;
	if (col <= x->last_col) {
		snprintf(th, sizeof th, "เซลล์ในแถว %zu ไม่เรียงลำดับคอลัมน์", x->row);
		snprintf(en, sizeof en, "the cells of row %zu are out of column order", x->row);
		damaged(x, x->row, th, en);
		return;
	}
	x->col = col;
	x->last_col = col;
	x->ctype = 'n';
	if (t) {
		if (!strcmp(t, "s"))
			x->ctype = 's';
		else if (!strcmp(t, "inlineStr"))
			x->ctype = 'i';
		else if (!strcmp(t, "str"))
			x->ctype = 't';
		else if (!strcmp(t, "b"))
			x->ctype = 'b';
		else if (!strcmp(t, "e"))
			x->ctype = 'e';
		else if (!strcmp(t, "d"))
			x->ctype = 'd';
	}
	x->cell_date = 0;
	if (s) {
		unsigned long k = strtoul(s, NULL, 10);

		x->cell_date = k < x->nxf && x->xf_date && x->xf_date[k];
	}
	x->in_cell = 1;
	x->have_v = 0;
	buf_reset(&x->text);
}

/* An ISO date-time of a t="d" cell: the date alone when it has no time. */
static size_t iso_cell(const char *s, size_t n)
{
	size_t i;

	if (n < 10 || s[4] != '-' || s[7] != '-')
		return n;
	if (n == 10)
		return 10;
	if (s[10] != 'T' && s[10] != ' ')
		return n;
	for (i = 11; i < n; i++)
		if (s[i] != '0' && s[i] != ':' && s[i] != '.' && s[i] != 'Z')
			return n;
	return 10;
}

static void cell_end(struct xr *x)
{
	char num[VAL_NUMBER_MAX], th[NW_ERR_MSG], en[NW_ERR_MSG];
	const char *s = x->text.data ? x->text.data : "";
	size_t n = x->text.len, i;
	int date = x->cell_date, rc;

	x->in_cell = 0;
	if (x->header_seen && (size_t)x->col < x->ncols && x->col_date[x->col])
		date = 1;
	switch (x->ctype) {
	case 's': {
		char *end;
		unsigned long long k;

		if (!x->have_v)
			return;
		errno = 0;
		k = strtoull(s, &end, 10);
		if (end == s || *end || errno || k >= x->nsst) {
			snprintf(th, sizeof th, "แถว %zu อ้างถึงข้อความที่ใช้ร่วมกันลำดับ %.*s ซึ่งไม่มี", x->row,
				 (int)err_cut(s, 20), s);
			snprintf(en, sizeof en, "row %zu refers to shared string %.*s, which does not exist", x->row,
				 (int)err_cut(s, 20), s);
			damaged(x, x->row, th, en);
			return;
		}
		s = x->sst.data ? x->sst.data + x->sst_off[k] : "";
		n = x->sst_off[k + 1] - x->sst_off[k];
		break;
	}
	case 'i':
	case 't':
	case 'e':
		if (n)
			n = unescape(x->text.data, n);
		break;
	case 'b':
		if (!x->have_v || !n)
			return;
		s = s[0] == '1' || s[0] == 't' ? "TRUE" : "FALSE";
		n = strlen(s);
		break;
	case 'd':
		n = iso_cell(s, n);
		break;
	default:
		if (!n)
			return;
		if (date) {
			char *end;
			double d = strtod(s, &end);

			if (end != s && !*end && (i = xlsx_serial_date(d, x->date1904, num))) {
				s = num;
				n = i;
				break;
			}
		}
		n = xlsx_number_text(s, n, num);
		s = num;
		break;
	}
	if (!n)
		return;
	if ((size_t)x->col >= REC_MAX_COLUMNS) {
		snprintf(th, sizeof th, "แถว %zu มีข้อมูลเกิน %d คอลัมน์", x->row, REC_MAX_COLUMNS);
		snprintf(en, sizeof en, "row %zu has values beyond %d columns", x->row, REC_MAX_COLUMNS);
		fail(x, REC_IO, x->row, th, en);
		return;
	}
	if (grow_cells(x->b, x->row_first + (size_t)x->col + 1)) {
		fail_nomem(x);
		return;
	}
	for (i = x->ncells; i < (size_t)x->col; i++)
		x->b->cells[x->row_first + i].len = 0;
	x->b->cells[x->row_first + x->col].off = x->b->text.len;
	x->b->cells[x->row_first + x->col].len = n;
	x->ncells = (size_t)x->col + 1;
	x->b->ncells = x->row_first + x->ncells;
	if ((rc = buf_append(&x->b->text, s, n)) || x->b->text.len - x->row_text > REC_MAX_RECORD) {
		x->into = NULL;
		if (rc == NAWAT_ENOMEM)
			fail_nomem(x);
		else
			too_long(x);
		return;
	}
	for (i = 0; i < n && !x->nonblank; i++)
		x->nonblank = s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n';
}

/* Hands the filled batch to the caller's thread and takes the other one;
 * with wait, until the caller has delivered it (the header: the columns
 * that hold dates are known after it). */
static void handoff(struct xr *x, int wait)
{
	pthread_mutex_lock(&x->mu);
	while (x->ready && !x->stop)
		pthread_cond_wait(&x->cv, &x->mu);
	if (!x->stop) {
		x->ready = x->b;
		x->b = x->b == &x->batches[0] ? &x->batches[1] : &x->batches[0];
		x->b->nrows = x->b->ncells = 0;
		buf_reset(&x->b->text);
		pthread_cond_broadcast(&x->cv);
		while (wait && x->ready && !x->stop)
			pthread_cond_wait(&x->cv, &x->mu);
	}
	if (x->stop && !x->failed) {
		x->failed = 1; /* the sink failed: the caller reports it */
		if (x->p)
			XML_StopParser(x->p, XML_FALSE);
	}
	pthread_mutex_unlock(&x->mu);
}

static void row_end(struct xr *x)
{
	struct batch *b = x->b;
	struct brow *r;

	x->in_row = 0;
	if (!x->nonblank) {
		/* blank rows are skipped, as blank lines of a CSV file */
		b->ncells = x->row_first;
		b->text.len = x->row_text;
		return;
	}
	if (b->nrows == b->caprows) {
		size_t cap = b->caprows ? b->caprows * 2 : BATCH_ROWS;

		r = nw_realloc(b->rows, cap * sizeof *r);
		if (!r) {
			fail_nomem(x);
			return;
		}
		b->rows = r;
		b->caprows = cap;
	}
	r = &b->rows[b->nrows++];
	r->line = x->row;
	r->first = x->row_first;
	r->n = x->ncells;
	if (!x->header_seen) {
		x->header_seen = 1;
		handoff(x, 1);
	} else if (b->nrows >= BATCH_ROWS || b->text.len >= BATCH_TEXT) {
		handoff(x, 0);
	}
}

/* ---- the caller's side: rows to the sink ---- */

static int deliver_row(struct xr *x, const struct batch *b, const struct brow *r)
{
	size_t n = r->n, i;
	int rc;

	if (x->cons_header && n < x->ncols)
		n = x->ncols;
	if (rec_views_reserve(&x->views, &x->present, &x->capv, n ? n : 1))
		return x->cons_rc = NAWAT_ENOMEM;
	for (i = 0; i < n; i++) {
		const struct cell *c = &b->cells[r->first + i];
		int has = i < r->n && c->len;

		x->views[i].s = has ? b->text.data + c->off : "";
		x->views[i].n = has ? c->len : 0;
		x->present[i] = 1;
	}
	if (x->cons_header) {
		x->res->records++;
		if ((rc = x->sink->row(x->sink->ctx, r->line, x->views, x->present, n)))
			return x->sink_rc = rc;
		return 0;
	}
	x->cons_header = 1;
	for (i = 0; i < n; i++)
		if ((rc = x->sink->column(x->sink->ctx, x->views[i].s, x->views[i].n)))
			return x->sink_rc = rc;
	if (x->sink->header_done && (rc = x->sink->header_done(x->sink->ctx)))
		return x->sink_rc = rc;
	x->col_date = nw_calloc(n ? n : 1, 1);
	if (!x->col_date)
		return x->cons_rc = NAWAT_ENOMEM;
	for (i = 0; i < n && x->sink->is_date; i++)
		x->col_date[i] = x->sink->is_date(x->sink->ctx, i) != 0;
	x->ncols = n;
	return 0;
}

/* Delivers the batches the parsing thread hands over, until it is done or
 * the sink fails. */
static void consume(struct xr *x)
{
	const struct batch *b;
	size_t i;
	int rc;

	for (;;) {
		pthread_mutex_lock(&x->mu);
		while (!x->ready && !x->done)
			pthread_cond_wait(&x->cv, &x->mu);
		b = x->ready;
		pthread_mutex_unlock(&x->mu);
		if (!b)
			break;
		for (i = 0, rc = 0; i < b->nrows && !rc; i++)
			rc = deliver_row(x, b, &b->rows[i]);
		pthread_mutex_lock(&x->mu);
		x->ready = NULL;
		if (rc)
			x->stop = 1;
		pthread_cond_broadcast(&x->cv);
		pthread_mutex_unlock(&x->mu);
		if (rc)
			break;
	}
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xr *x = ud;
	const char *l = local(name);

	if (x->failed)
		return;
	if (!x->in_data) {
		x->in_data = !strcmp(l, "sheetData");
		return;
	}
	switch (l[0]) {
	case 'c':
		if (!l[1])
			cell_start(x, atts);
		break;
	case 'v':
		if (!l[1] && x->in_cell) {
			x->have_v = 1;
			x->into = &x->text;
		}
		break;
	case 't':
		if (!l[1] && x->in_is && !x->in_rph)
			x->into = &x->text;
		break;
	case 'i':
		if (!strcmp(l, "is") && x->in_cell)
			x->in_is = 1;
		break;
	case 'r':
		if (!strcmp(l, "row"))
			row_start(x, atts);
		else if (!strcmp(l, "rPh"))
			x->in_rph = 1;
		break;
	default:
		break;
	}
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct xr *x = ud;
	const char *l = local(name);

	if (x->failed || !x->in_data)
		return;
	switch (l[0]) {
	case 'c':
		if (!l[1] && x->in_cell)
			cell_end(x);
		break;
	case 'v':
	case 't':
		if (!l[1])
			x->into = NULL;
		break;
	case 'i':
		if (!strcmp(l, "is"))
			x->in_is = 0;
		break;
	case 'r':
		if (!strcmp(l, "row"))
			row_end(x);
		else if (!strcmp(l, "rPh"))
			x->in_rph = 0;
		break;
	case 's':
		if (!strcmp(l, "sheetData"))
			x->in_data = 0;
		break;
	default:
		break;
	}
}

/* The parsing thread: the sheet, then what is left of the last batch. */
static void *parse_sheet(void *arg)
{
	struct xr *x = arg;

	parse_part(x, x->sheet_path, 1, sheet_start, sheet_end);
	if (x->b->nrows && !x->stop)
		handoff(x, 0);
	pthread_mutex_lock(&x->mu);
	x->done = 1;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
	return NULL;
}

/* Reads the sheet: parsed (inflated, tokenized, cells made) in a thread of
 * its own while this one hands the rows to the sink, which then works in
 * parallel with the XML parser, the costlier part. */
static void read_sheet(struct xr *x)
{
	size_t i;

	for (i = 0; i < 2; i++)
		buf_init(&x->batches[i].text, REC_MAX_RECORD + BATCH_TEXT);
	x->b = &x->batches[0];
	if (pthread_create(&x->thread, NULL, parse_sheet, x) != 0) {
		fail(x, REC_IO, 0, "เริ่มเธรดไม่ได้", "cannot start a thread");
		return;
	}
	consume(x);
	pthread_mutex_lock(&x->mu);
	x->stop = x->stop || x->sink_rc || x->cons_rc;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
	pthread_join(x->thread, NULL);
	if (x->sink_rc) {
		x->res->status = REC_SINK;
		x->res->rc = x->sink_rc;
	} else if (x->cons_rc) {
		x->failed = 0;
		fail_nomem(x);
	}
}

/* ---- reading ---- */

int xlsx_read(FILE *fp, const struct rec_opts *o, const struct rec_sink *sink,
	      struct rec_result *res, struct nw_err *err)
{
	struct xr x;
	size_t i;

	memset(res, 0, sizeof *res);
	res->encoding = ENC_UTF8;
	memset(&x, 0, sizeof x);
	x.sink = sink;
	x.res = res;
	x.err = err;
	x.want_sheet = o ? o->sheet : NULL;
	x.max_unzipped = o && o->max_unzipped ? o->max_unzipped : REC_XLSX_MAX_UNZIPPED;
	x.left = x.max_unzipped;
	x.max_strings = o && o->max_strings ? o->max_strings : REC_XLSX_MAX_STRINGS;
	buf_init(&x.text, REC_MAX_RECORD);
	pthread_mutex_init(&x.mu, NULL);
	pthread_cond_init(&x.cv, NULL);
	buf_init(&x.sst, 1);
	x.block = nw_malloc(BLOCK);
	if (!x.block)
		fail_nomem(&x);
	else if (!take_input(&x, fp) && !open_zip(&x) && !find_parts(&x) && !read_styles(&x) &&
		 !read_strings(&x))
		read_sheet(&x);
	if (x.za)
		zip_discard(x.za);
	if (x.copy)
		fclose(x.copy);
	zip_error_fini(&x.src.error);
	for (i = 0; i < x.nsheets; i++) {
		nw_free(x.sheets[i].name);
		nw_free(x.sheets[i].rid);
	}
	nw_free(x.sheets);
	rels_clear(&x);
	nw_free(x.wb_path);
	nw_free(x.sheet_path);
	nw_free(x.sst_path);
	nw_free(x.styles_path);
	nw_free(x.fmts);
	nw_free(x.xf_fmt);
	nw_free(x.xf_date);
	buf_release(&x.sst);
	nw_free(x.sst_off);
	buf_release(&x.text);
	for (i = 0; i < 2; i++) {
		buf_release(&x.batches[i].text);
		nw_free(x.batches[i].cells);
		nw_free(x.batches[i].rows);
	}
	pthread_mutex_destroy(&x.mu);
	pthread_cond_destroy(&x.cv);
	nw_free(x.col_date);
	nw_free(x.views);
	nw_free(x.present);
	nw_free(x.block);
	if (res->status == REC_SINK)
		return res->rc;
	return res->status == REC_OK ? 0 : NAWAT_EPARSE;
}
