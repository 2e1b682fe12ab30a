/* common.c - the checking sink, result checks and XLSX builder the fuzz
 * targets share (see fuzz.h). */
#include "fuzz.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "exchange/encoding.h"

const char *fz_current;

void fz_fail(const char *what, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: invariant broken%s%s: ", fz_current ? " on " : "", fz_current ? fz_current : "");
	va_start(ap, what);
	vfprintf(stderr, what, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int fz_utf8(const char *s, size_t n)
{
	int truncated;

	return enc_utf8_valid((const unsigned char *)s, n, &truncated) == n;
}

/* Reads every byte so that an overread is seen by the sanitizers. */
static unsigned long touch(const char *s, size_t n)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += (unsigned char)s[i];
	return sum;
}

static int sk_column(void *ctx, const char *name, size_t n)
{
	struct fz_sink *s = ctx;

	FZ_CHECK(name != NULL, "column %zu without a name", s->ncols);
	FZ_CHECK(fz_utf8(name, n), "column %zu is not UTF-8", s->ncols);
	s->sum += touch(name, n);
	s->ncols++;
	return 0;
}

static int sk_header_done(void *ctx)
{
	struct fz_sink *s = ctx;

	FZ_CHECK(!s->header_done, "header done twice");
	s->header_done = 1;
	return 0;
}

static int sk_row(void *ctx, size_t line, const struct rec_view *vals, const unsigned char *present, size_t n)
{
	struct fz_sink *s = ctx;
	size_t i;

	FZ_CHECK(line >= 1, "record at line 0");
	FZ_CHECK(line >= s->last_line, "record at line %zu after line %zu", line, s->last_line);
	FZ_CHECK(n <= REC_MAX_COLUMNS, "record of %zu cells", n);
	FZ_CHECK(n == 0 || (vals && present), "record without views");
	for (i = 0; i < n; i++) {
		FZ_CHECK(present[i] <= 1, "presence flag %d", present[i]);
		if (vals[i].n == REC_NOT_SCALAR) {
			FZ_CHECK(vals[i].s == NULL, "a non-scalar with text");
			continue;
		}
		FZ_CHECK(vals[i].s != NULL, "cell %zu of line %zu without text", i, line);
		FZ_CHECK(vals[i].n <= REC_MAX_RECORD, "cell of %zu bytes", vals[i].n);
		FZ_CHECK(fz_utf8(vals[i].s, vals[i].n), "cell %zu of line %zu is not UTF-8", i, line);
		s->sum += touch(vals[i].s, vals[i].n);
	}
	s->last_line = line;
	if (++s->nrows == s->stop_after)
		return NAWAT_EDATA;
	return 0;
}

static int sk_is_date(void *ctx, size_t i)
{
	struct fz_sink *s = ctx;

	FZ_CHECK(i < s->ncols, "is_date(%zu) of %zu columns", i, s->ncols);
	return i % 3 == 1;
}

void fz_sink_init(struct fz_sink *s, size_t stop_after)
{
	memset(s, 0, sizeof *s);
	s->stop_after = stop_after;
	s->sink.ctx = s;
	s->sink.column = sk_column;
	s->sink.header_done = sk_header_done;
	s->sink.row = sk_row;
	s->sink.is_date = sk_is_date;
}

void fz_check_result(int rc, const struct rec_result *res, const struct nw_err *err)
{
	if (rc == 0) {
		FZ_CHECK(res->status == REC_OK, "rc 0 with status %d", (int)res->status);
		return;
	}
	FZ_CHECK(rc < 0, "positive rc %d", rc);
	FZ_CHECK(res->status != REC_OK, "rc %d with status ok", rc);
	if (res->status == REC_SINK) {
		FZ_CHECK(rc == res->rc, "sink failure %d returned as %d", res->rc, rc);
		return;
	}
	FZ_CHECK(err->th[0] && err->en[0], "an error (rc %d, status %d) without its two messages", rc,
		 (int)res->status);
	FZ_CHECK(fz_utf8(err->th, strlen(err->th)) && fz_utf8(err->en, strlen(err->en)),
		 "an error message that is not UTF-8");
}

FILE *fz_stream(const uint8_t *data, size_t size)
{
	/* fmemopen of a zero-length buffer fails on some C libraries */
	if (!size)
		return fopen("/dev/null", "rb");
	return fmemopen((void *)data, size, "rb");
}

/* ---- XLSX workbooks from fuzz input ---- */

#define M "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define P "http://schemas.openxmlformats.org/package/2006/relationships"

static const char *const names[] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
	"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels",
};

static const char *const defaults[] = {
	"<worksheet xmlns=\"" M "\"><sheetData/></worksheet>",
	NULL, /* no shared strings */
	NULL, /* no styles */
	"<workbook xmlns=\"" M "\" xmlns:r=\"" R "\"><sheets><sheet name=\"students\" sheetId=\"1\" "
	"r:id=\"rId1\"/></sheets></workbook>",
	"<Relationships xmlns=\"" P "\">"
	"<Relationship Id=\"rId1\" Type=\"" R "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" R "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" R "/styles\" Target=\"styles.xml\"/></Relationships>",
	"<Relationships xmlns=\"" P "\"><Relationship Id=\"rId1\" Type=\"" R
	"/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
};

#define NPARTS (sizeof names / sizeof names[0])

unsigned char *fz_xlsx_build(const uint8_t *data, size_t size, int store, size_t *len)
{
	const uint8_t *part[NPARTS], *p = data, *end = data + size;
	size_t plen[NPARTS], i, k = 0;
	unsigned char *out = NULL;
	zip_source_t *src, *s;
	zip_stat_t zs;
	zip_error_t ze;
	zip_int64_t idx;
	zip_t *z;

	*len = 0;
	memset(part, 0, sizeof part);
	memset(plen, 0, sizeof plen);
	while (k < NPARTS) {
		const uint8_t *sep = memchr(p, 0xFF, (size_t)(end - p));

		part[k] = p;
		plen[k] = (size_t)((sep ? sep : end) - p);
		k++;
		if (!sep)
			break;
		p = sep + 1;
	}
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src)
		goto out;
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!z) {
		zip_source_free(src);
		goto out;
	}
	for (i = 0; i < NPARTS; i++) {
		const void *text = part[i] ? (const void *)part[i] : defaults[i];
		size_t n = part[i] ? plen[i] : defaults[i] ? strlen(defaults[i]) : 0;

		if (!text)
			continue;
		s = zip_source_buffer(z, n ? text : "", n, 0);
		idx = s ? zip_file_add(z, names[i], s, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			zip_source_free(s);
			zip_discard(z);
			zip_source_free(src);
			goto out;
		}
		zip_set_file_compression(z, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 1);
	}
	if (zip_close(z) != 0) {
		zip_discard(z);
		zip_source_free(src);
		goto out;
	}
	if (zip_source_stat(src, &zs) == 0 && zip_source_open(src) == 0) {
		out = malloc(zs.size ? zs.size : 1);
		if (out && zip_source_read(src, out, zs.size) == (zip_int64_t)zs.size) {
			*len = zs.size;
		} else {
			free(out);
			out = NULL;
		}
		zip_source_close(src);
	}
	zip_source_free(src);
out:
	zip_error_fini(&ze);
	return out;
}
