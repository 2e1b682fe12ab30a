/*
 * test_exchange.c - unit tests of src/exchange: input decoding (encoding),
 * the CSV / JSON / NDJSON readers with their line numbers and SHA-256
 * (reader), and CSV writing (csvout).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "exchange/csvout.h"
#include "exchange/encoding.h"
#include "exchange/reader.h"

/* ---- encoding ---- */

struct utf8_case {
	const char *s;
	size_t n, valid;
	int truncated;
};

static void test_enc_utf8_valid(void **state)
{
	static const struct utf8_case cases[] = {
		{ "ภาษาไทย", 21, 21, 0 },
		{ "", 0, 0, 0 },
		{ "plain ascii", 11, 11, 0 },
		{ "a\xC0\x80" "b", 4, 1, 0 },           /* overlong NUL */
		{ "\xC1\xBF", 2, 0, 0 },                  /* overlong */
		{ "a\xED\xA0\x80", 4, 1, 0 },             /* surrogate U+D800 */
		{ "\xED\x9F\xBF", 3, 3, 0 },              /* U+D7FF */
		{ "\xE0\x80\x80", 3, 0, 0 },              /* overlong */
		{ "\xE0\xA0\x80", 3, 3, 0 },              /* U+0800 */
		{ "\xF0\x8F\xBF\xBF", 4, 0, 0 },          /* overlong */
		{ "\xF0\x90\x80\x80", 4, 4, 0 },          /* U+10000 */
		{ "\xF4\x8F\xBF\xBF", 4, 4, 0 },          /* U+10FFFF */
		{ "\xF4\x90\x80\x80", 4, 0, 0 },          /* beyond U+10FFFF */
		{ "\xF5\x80\x80\x80", 4, 0, 0 },
		{ "\x80", 1, 0, 0 },                      /* lone continuation */
		{ "\xFF", 1, 0, 0 },
		{ "ก\xE0\xB8", 5, 3, 1 },                 /* truncated at the end */
		{ "ก\xE0", 4, 3, 1 },
		{ "\xF0\x9F\x98", 3, 0, 1 },
		{ "\xE0\xB8" "a", 3, 0, 0 },              /* broken, not truncated */
		{ "ab\xE0\xB8\x81", 5, 5, 0 },
	};
	size_t i, got;
	int trunc;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		trunc = -1;
		got = enc_utf8_valid((const unsigned char *)cases[i].s, cases[i].n, &trunc);
		if (got != cases[i].valid || trunc != cases[i].truncated)
			fail_msg("case %zu: valid %zu truncated %d, expected %zu %d", i, got, trunc,
				 cases[i].valid, cases[i].truncated);
	}
}

static int decode_all(enum enc_kind kind, const char *s, size_t n, struct buf *out,
		      struct enc_decoder *d)
{
	int rc;

	enc_init(d, kind);
	buf_init(out, BUF_UNLIMITED);
	rc = enc_decode(d, (const unsigned char *)s, n, 1, out);
	enc_release(d);
	return rc;
}

static void test_enc_bom(void **state)
{
	static const char in[] = "\xEF\xBB\xBF" "ชื่อ,รหัส\n";
	struct enc_decoder d;
	struct buf out;

	(void)state;
	assert_int_equal(decode_all(ENC_AUTO, in, strlen(in), &out, &d), 0);
	assert_int_equal(d.actual, ENC_UTF8);
	assert_true(d.bom_seen);
	assert_string_equal(buf_str(&out), "ชื่อ,รหัส\n");
	buf_release(&out);

	assert_int_equal(decode_all(ENC_UTF8, in, strlen(in), &out, &d), 0);
	assert_string_equal(buf_str(&out), "ชื่อ,รหัส\n");
	buf_release(&out);

	/* without a BOM nothing is stripped */
	assert_int_equal(decode_all(ENC_AUTO, in + 3, strlen(in) - 3, &out, &d), 0);
	assert_int_equal(d.actual, ENC_UTF8);
	assert_string_equal(buf_str(&out), "ชื่อ,รหัส\n");
	buf_release(&out);
}

static void test_enc_tis620(void **state)
{
	/* TIS-620 0xA1..0xFB is U+0E01..U+0E5B: C3 = ร, D2 = า, B4 = ด */
	static const char in[] = "\xC3\xD2\xB4\n\xA1\xD2\xC3\xC8\xD6\xA1\xC9\xD2";
	struct enc_decoder d;
	struct buf out;

	(void)state;
	assert_int_equal(decode_all(ENC_AUTO, in, strlen(in), &out, &d), 0);
	assert_int_equal(d.actual, ENC_TIS620);
	assert_string_equal(buf_str(&out), "\xE0\xB8\xA3\xE0\xB8\xB2\xE0\xB8\x94\nการศึกษา");
	assert_string_equal(buf_str(&out), "ราด\nการศึกษา");
	buf_release(&out);

	assert_int_equal(decode_all(ENC_TIS620, in, 3, &out, &d), 0);
	assert_string_equal(buf_str(&out), "ราด");
	buf_release(&out);

	/* Windows-874 additions: 0x80 is the euro sign, 0x93/0x94 curly quotes */
	assert_int_equal(decode_all(ENC_TIS620, "\x80" "1 \x93" "a\x94", 6, &out, &d), 0);
	assert_string_equal(buf_str(&out), "€1 “a”");
	buf_release(&out);
}

static void test_enc_names(void **state)
{
	enum enc_kind k = ENC_AUTO;

	(void)state;
	assert_int_equal(enc_parse_name("UTF-8", &k), 0);
	assert_int_equal(k, ENC_UTF8);
	assert_int_equal(enc_parse_name("windows-874", &k), 0);
	assert_int_equal(k, ENC_TIS620);
	assert_int_equal(enc_parse_name("tis620", &k), 0);
	assert_int_equal(k, ENC_TIS620);
	assert_int_equal(enc_parse_name("auto", &k), 0);
	assert_int_equal(k, ENC_AUTO);
	assert_int_equal(enc_parse_name("latin1", &k), NAWAT_EINVAL);
	assert_string_equal(enc_name(ENC_TIS620), "tis-620");
	assert_string_equal(enc_name(ENC_UTF8), "utf-8");
}

/* Decodes s in pieces ending at cuts[0], cuts[1], ..., n. */
static int decode_pieces(enum enc_kind kind, const char *s, size_t n, const size_t *cuts,
			 size_t ncuts, struct buf *out, struct enc_decoder *d)
{
	size_t i, at = 0, end;
	int rc = 0;

	enc_init(d, kind);
	buf_init(out, BUF_UNLIMITED);
	for (i = 0; i <= ncuts && !rc; i++) {
		end = i < ncuts ? cuts[i] : n;
		rc = enc_decode(d, (const unsigned char *)s + at, end - at, i == ncuts, out);
		at = end;
	}
	enc_release(d);
	return rc;
}

static void expect_pieces(enum enc_kind kind, const char *s, const size_t *cuts, size_t ncuts)
{
	struct enc_decoder d;
	struct buf out;
	int rc;

	rc = decode_pieces(kind, s, strlen(s), cuts, ncuts, &out, &d);
	if (rc != 0 || strcmp(buf_str(&out), s) != 0)
		fail_msg("split at %zu/%zu (%zu pieces): rc %d, \"%s\"", cuts[0],
			 ncuts > 1 ? cuts[1] : 0, ncuts + 1, rc, buf_str(&out));
	assert_int_equal(d.actual, ENC_UTF8);
	buf_release(&out);
}

static void test_enc_split(void **state)
{
	/* 1-, 2-, 3- and 4-byte sequences */
	static const char s[] = "ภาษาไทย é 😀,\"ค\"\nข";
	size_t n = strlen(s), i, j, cuts[64];
	struct enc_decoder d;
	struct buf out;

	(void)state;
	assert_true(n < sizeof cuts / sizeof cuts[0]);
	for (i = 0; i <= n; i++) {
		cuts[0] = i;
		expect_pieces(ENC_AUTO, s, cuts, 1);
		expect_pieces(ENC_UTF8, s, cuts, 1);
		for (j = i; j <= n; j++) {
			cuts[1] = j;
			expect_pieces(ENC_AUTO, s, cuts, 2);
		}
	}
	/* one byte at a time */
	for (i = 0; i < n; i++)
		cuts[i] = i + 1;
	expect_pieces(ENC_AUTO, s, cuts, n - 1);

	/* a sequence still incomplete at the end of the input is an error */
	cuts[0] = 3;
	assert_int_equal(decode_pieces(ENC_UTF8, "ก\xE0\xB8", 5, cuts, 1, &out, &d), NAWAT_EPARSE);
	assert_int_equal(d.bad_line, 1);
	buf_release(&out);
}

static void test_enc_bad_bytes_line(void **state)
{
	static const char *ascii = "one\ntwo\nab";
	static const char *utf8 = "หนึ่ง\nสอง\nสาม";
	static const char *tis = "\xCB\xB9\xD6\xE8\xA7\n\xCA\xCD\xA7\n\xCA\xD2\xC1";
	char in[64];
	size_t n, cuts[2];
	struct enc_decoder d;
	struct buf out;
	int b;

	(void)state;
	for (b = 0xFC; b <= 0xFF; b++) {
		/* auto: not UTF-8, so TIS-620, where the byte is not defined either */
		n = (size_t)snprintf(in, sizeof in, "%s%c\nend\n", ascii, b);
		assert_int_equal(decode_all(ENC_AUTO, in, n, &out, &d), NAWAT_EPARSE);
		assert_int_equal(d.actual, ENC_TIS620);
		assert_int_equal(d.bad_line, 3);
		assert_string_equal(buf_str(&out), ascii);
		buf_release(&out);

		n = (size_t)snprintf(in, sizeof in, "%s%c\nend\n", utf8, b);
		assert_int_equal(decode_all(ENC_UTF8, in, n, &out, &d), NAWAT_EPARSE);
		assert_int_equal(d.bad_line, 3);
		assert_string_equal(buf_str(&out), utf8);
		buf_release(&out);

		n = (size_t)snprintf(in, sizeof in, "%s%c\nend\n", tis, b);
		assert_int_equal(decode_all(ENC_TIS620, in, n, &out, &d), NAWAT_EPARSE);
		assert_int_equal(d.bad_line, 3);
		assert_string_equal(buf_str(&out), "หนึ่ง\nสอง\nสาม");
		buf_release(&out);

		/* the same in pieces: lines are counted across calls */
		cuts[0] = 4;
		cuts[1] = 8;
		n = (size_t)snprintf(in, sizeof in, "%s%c\nend\n", ascii, b);
		assert_int_equal(decode_pieces(ENC_AUTO, in, n, cuts, 2, &out, &d), NAWAT_EPARSE);
		assert_int_equal(d.bad_line, 3);
		buf_release(&out);
		n = (size_t)snprintf(in, sizeof in, "%s%c\nend\n", tis, b);
		cuts[0] = 6;
		cuts[1] = 10;
		assert_int_equal(decode_pieces(ENC_TIS620, in, n, cuts, 2, &out, &d), NAWAT_EPARSE);
		assert_int_equal(d.bad_line, 3);
		buf_release(&out);
	}
}

/* ---- reader ---- */

#define MAXC 16
#define MAXR 40

struct row_rec {
	size_t line, n;
	char v[MAXC][160];
	size_t len[MAXC];
	int not_scalar[MAXC];
	unsigned char present[MAXC];
};

struct rec_log {
	size_t ncols;
	char cols[MAXC][64];
	int header_done;
	size_t nrows;
	struct row_rec rows[MAXR];
	size_t fail_at;  /* the sink fails on this row (1-based), 0 = never */
};

static int log_column(void *ctx, const char *name, size_t n)
{
	struct rec_log *l = ctx;

	if (l->ncols >= MAXC)
		return NAWAT_ELIMIT;
	snprintf(l->cols[l->ncols], sizeof l->cols[0], "%.*s", (int)n, name);
	if (strlen(l->cols[l->ncols]) != n)
		return NAWAT_EINVAL;
	l->ncols++;
	return 0;
}

static int log_header_done(void *ctx)
{
	struct rec_log *l = ctx;

	l->header_done++;
	return 0;
}

static int log_row(void *ctx, size_t line, const struct rec_view *vals,
		   const unsigned char *present, size_t n)
{
	struct rec_log *l = ctx;
	struct row_rec *r;
	size_t i;

	if (l->fail_at && l->nrows + 1 == l->fail_at)
		return NAWAT_EDATA;
	if (l->nrows >= MAXR || n > MAXC)
		return NAWAT_ELIMIT;
	r = &l->rows[l->nrows++];
	r->line = line;
	r->n = n;
	for (i = 0; i < n; i++) {
		r->present[i] = present[i];
		r->not_scalar[i] = vals[i].n == REC_NOT_SCALAR;
		if (r->not_scalar[i]) {
			if (vals[i].s)
				return NAWAT_EINVAL;
			r->v[i][0] = '\0';
			r->len[i] = 0;
			continue;
		}
		if (!vals[i].s || vals[i].n >= sizeof r->v[i])
			return NAWAT_EINVAL;
		memcpy(r->v[i], vals[i].s, vals[i].n);
		r->v[i][vals[i].n] = '\0';
		r->len[i] = vals[i].n;
	}
	return 0;
}

static int read_mem(const char *data, size_t len, enum rec_format fmt, enum enc_kind enc,
		    struct rec_log *log, struct rec_result *res, struct nw_err *err)
{
	struct rec_sink sink = { log, log_column, log_header_done, log_row, NULL };
	size_t fail_at = log->fail_at;
	char *copy;
	FILE *fp;
	int rc;

	memset(log, 0, sizeof *log);
	log->fail_at = fail_at;
	assert_true(len > 0);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, data, len);
	fp = fmemopen(copy, len, "r");
	assert_non_null(fp);
	err_clear(err);
	rc = rec_read(fp, fmt, enc, &sink, res, err);
	fclose(fp);
	free(copy);
	return rc;
}

static void expect_row(const struct rec_log *l, size_t i, size_t line, const char *a,
		       const char *b)
{
	if (i >= l->nrows)
		fail_msg("row %zu missing (%zu rows)", i, l->nrows);
	if (l->rows[i].line != line)
		fail_msg("row %zu on line %zu, expected %zu", i, l->rows[i].line, line);
	assert_int_equal(l->rows[i].n, 2);
	assert_string_equal(l->rows[i].v[0], a);
	assert_string_equal(l->rows[i].v[1], b);
	assert_true(l->rows[i].present[0] && l->rows[i].present[1]);
}

static void test_csv_lf_crlf(void **state)
{
	static const char lf[] = "a,b\n1,x y\n3,ไทย\n";
	static const char crlf[] = "a,b\r\n1,x y\r\n3,ไทย\r\n";
	static struct rec_log l1, l2;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(lf, strlen(lf), REC_CSV, ENC_AUTO, &l1, &res, &err), 0);
	assert_int_equal(res.status, REC_OK);
	assert_int_equal(res.records, 2);
	assert_int_equal(res.bytes, strlen(lf));
	assert_int_equal(res.encoding, ENC_UTF8);
	assert_int_equal(read_mem(crlf, strlen(crlf), REC_CSV, ENC_AUTO, &l2, &res, &err), 0);
	assert_int_equal(res.records, 2);
	assert_int_equal(l1.ncols, 2);
	assert_int_equal(l1.header_done, 1);
	assert_string_equal(l1.cols[0], "a");
	assert_string_equal(l1.cols[1], "b");
	expect_row(&l1, 0, 2, "1", "x y");
	expect_row(&l1, 1, 3, "3", "ไทย");
	assert_int_equal(l2.ncols, 2);
	assert_string_equal(l2.cols[1], "b");
	expect_row(&l2, 0, 2, "1", "x y");
	expect_row(&l2, 1, 3, "3", "ไทย");
	assert_int_equal(l1.nrows, l2.nrows);
}

static void test_csv_quoted_newline(void **state)
{
	static const char lf[] = "a,b\n\"two\nlines\",2\n3,4\n\"x,\"\"y\"\"\",5\n";
	static const char crlf[] = "a,b\r\n\"two\r\nlines\",2\r\n3,4\r\n\"x,\"\"y\"\"\",5\r\n";
	static struct rec_log l1, l2;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(lf, strlen(lf), REC_CSV, ENC_AUTO, &l1, &res, &err), 0);
	assert_int_equal(l1.nrows, 3);
	expect_row(&l1, 0, 2, "two\nlines", "2");
	expect_row(&l1, 1, 4, "3", "4");
	expect_row(&l1, 2, 5, "x,\"y\"", "5");
	assert_int_equal(read_mem(crlf, strlen(crlf), REC_CSV, ENC_AUTO, &l2, &res, &err), 0);
	assert_int_equal(l2.nrows, 3);
	expect_row(&l2, 0, 2, "two\r\nlines", "2");
	expect_row(&l2, 1, 4, "3", "4");
	expect_row(&l2, 2, 5, "x,\"y\"", "5");
}

static void test_csv_blank_lines(void **state)
{
	static const char lf[] = "\na,b\n\n1,2\n\n\n3,4\n\n";
	static const char crlf[] = "\r\na,b\r\n\r\n1,2\r\n\r\n\r\n3,4\r\n\r\n";
	static struct rec_log l1, l2;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(lf, strlen(lf), REC_CSV, ENC_AUTO, &l1, &res, &err), 0);
	assert_int_equal(l1.ncols, 2);
	assert_int_equal(l1.nrows, 2);
	assert_int_equal(res.records, 2);
	expect_row(&l1, 0, 4, "1", "2");
	expect_row(&l1, 1, 7, "3", "4");
	assert_int_equal(read_mem(crlf, strlen(crlf), REC_CSV, ENC_AUTO, &l2, &res, &err), 0);
	assert_int_equal(l2.nrows, 2);
	expect_row(&l2, 0, 4, "1", "2");
	expect_row(&l2, 1, 7, "3", "4");
}

static void test_csv_bom_header(void **state)
{
	static const char in[] = "\xEF\xBB\xBF" "citizen_id,name_th\r\n1101700123456,สมชาย\r\n";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(in, strlen(in), REC_CSV, ENC_AUTO, &l, &res, &err), 0);
	assert_int_equal(res.encoding, ENC_UTF8);
	assert_int_equal(l.ncols, 2);
	assert_string_equal(l.cols[0], "citizen_id");
	assert_string_equal(l.cols[1], "name_th");
	expect_row(&l, 0, 2, "1101700123456", "สมชาย");
}

static void test_csv_last_line_without_newline(void **state)
{
	static const char in[] = "a,b\n1,2\n3,\"4\"";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(in, strlen(in), REC_CSV, ENC_AUTO, &l, &res, &err), 0);
	assert_int_equal(l.nrows, 2);
	expect_row(&l, 1, 3, "3", "4");
}

static void test_csv_tis620(void **state)
{
	static const char in[] = "name,code\n\xC3\xD2\xB4,1\n";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(in, strlen(in), REC_CSV, ENC_AUTO, &l, &res, &err), 0);
	assert_int_equal(res.encoding, ENC_TIS620);
	expect_row(&l, 0, 2, "ราด", "1");
}

static void test_csv_encoding_error(void **state)
{
	static const char in[] = "a,b\n1,2\nx,\xFF\n4,5\n";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(in, strlen(in), REC_CSV, ENC_AUTO, &l, &res, &err), NAWAT_EPARSE);
	assert_int_equal(res.status, REC_ENCODING);
	assert_int_equal(res.line, 3);
	assert_int_equal(err.code, NAWAT_EPARSE);
	assert_true(err.th[0] && err.en[0]);
	/* what decoded cleanly before the bad line was delivered */
	assert_int_equal(l.nrows, 1);
	expect_row(&l, 0, 2, "1", "2");
}

static void test_json_array(void **state)
{
	static const char in[] =
		"[\n"
		"  {\"citizen_id\": \"1101700123456\", \"score\": 72.5},\n"
		"  {\"citizen_id\": \"3101500345672\",\n"
		"   \"score\": 61.25},\n"
		"  {\"score\": 2567, \"citizen_id\": null}\n"
		"]\n";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(in, strlen(in), REC_JSON, ENC_AUTO, &l, &res, &err), 0);
	assert_int_equal(res.status, REC_OK);
	assert_int_equal(res.records, 3);
	assert_int_equal(l.ncols, 2);
	assert_string_equal(l.cols[0], "citizen_id");
	assert_string_equal(l.cols[1], "score");
	assert_int_equal(l.header_done, 0);
	expect_row(&l, 0, 2, "1101700123456", "72.5");
	expect_row(&l, 1, 3, "3101500345672", "61.25");
	expect_row(&l, 2, 5, "", "2567"); /* null: present but empty */
	assert_int_equal(l.rows[2].len[0], 0);
}

static void test_json_missing_and_new_keys(void **state)
{
	static const char in[] =
		"[{\"a\": \"1\", \"b\": \"2\"},\n"
		" {\"a\": \"3\"},\n"
		" {\"c\": true, \"b\": \"x}{\\\"y\", \"a\": false}]";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(in, strlen(in), REC_JSON, ENC_AUTO, &l, &res, &err), 0);
	assert_int_equal(l.nrows, 3);
	assert_int_equal(l.ncols, 3);
	assert_string_equal(l.cols[2], "c");
	expect_row(&l, 0, 1, "1", "2");
	assert_int_equal(l.rows[1].line, 2);
	assert_int_equal(l.rows[1].n, 2);
	assert_int_equal(l.rows[1].present[0], 1);
	assert_int_equal(l.rows[1].present[1], 0); /* key missing */
	assert_string_equal(l.rows[1].v[0], "3");
	assert_int_equal(l.rows[2].line, 3);
	assert_int_equal(l.rows[2].n, 3);
	assert_string_equal(l.rows[2].v[0], "false");
	assert_string_equal(l.rows[2].v[1], "x}{\"y"); /* braces in a string */
	assert_string_equal(l.rows[2].v[2], "true");
}

static void test_ndjson(void **state)
{
	static const char in[] = "{\"a\":\"1\",\"b\":2}\n{\"a\":\"2\",\"b\":-3.5}\r\n\n{\"b\":0,\"a\":\"ข\"}\n";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(in, strlen(in), REC_JSON, ENC_AUTO, &l, &res, &err), 0);
	assert_int_equal(res.records, 3);
	expect_row(&l, 0, 1, "1", "2");
	expect_row(&l, 1, 2, "2", "-3.5");
	expect_row(&l, 2, 4, "ข", "0");
}

static void test_json_not_scalar(void **state)
{
	static const char in[] = "[{\"a\": {\"x\": 1}, \"b\": [1, 2], \"c\": \"ok\"}]";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_int_equal(read_mem(in, strlen(in), REC_JSON, ENC_AUTO, &l, &res, &err), 0);
	assert_int_equal(l.nrows, 1);
	assert_int_equal(l.rows[0].n, 3);
	assert_true(l.rows[0].not_scalar[0]);
	assert_true(l.rows[0].not_scalar[1]);
	assert_false(l.rows[0].not_scalar[2]);
	assert_true(l.rows[0].present[0]);
	assert_string_equal(l.rows[0].v[2], "ok");
}

struct bad_json {
	const char *in;
	size_t line, rows;
};

static void test_json_malformed(void **state)
{
	static const struct bad_json cases[] = {
		{ "[\n{\"a\":1},\n{\"a\": }\n]\n", 3, 1 },
		{ "[\n{\"a\":1,\n\"b\":}\n]", 3, 0 },
		{ "[1,2]", 1, 0 },
		{ "[\"x\"]", 1, 0 },
		{ "{\"a\":1}\n{\"a\":\n", 2, 1 },
		{ "{\"a\":1} x", 1, 1 },
		{ "\n\nnull", 3, 0 },
		{ "{\"a\":1},{\"a\":2}", 1, 1 },
	};
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&l, 0, sizeof l);
		rc = read_mem(cases[i].in, strlen(cases[i].in), REC_JSON, ENC_AUTO, &l, &res, &err);
		if (rc != NAWAT_EPARSE || res.status != REC_SYNTAX || res.line != cases[i].line ||
		    l.nrows != cases[i].rows)
			fail_msg("case %zu: rc %d status %d line %zu rows %zu; expected syntax on line %zu, %zu rows",
				 i, rc, res.status, res.line, l.nrows, cases[i].line, cases[i].rows);
		assert_int_equal(err.code, NAWAT_EPARSE);
	}
	/* an array left open */
	memset(&l, 0, sizeof l);
	rc = read_mem("[\n{\"a\":1}\n", 10, REC_JSON, ENC_AUTO, &l, &res, &err);
	assert_int_equal(rc, NAWAT_EPARSE);
	assert_int_equal(res.status, REC_SYNTAX);
	assert_true(res.line >= 2);
}

/* A JSON number is handed on as text that reads back to the same value,
 * with a length that matches the text (never more bytes than were
 * written). */
static void test_json_big_number(void **state)
{
	static const char in[] = "[{\"a\": 1e100, \"b\": \"x\"}]";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	memset(&l, 0, sizeof l);
	if (read_mem(in, strlen(in), REC_JSON, ENC_AUTO, &l, &res, &err) != 0)
		return; /* refusing such a number is acceptable */
	assert_int_equal(l.nrows, 1);
	if (strlen(l.rows[0].v[0]) != l.rows[0].len[0])
		fail_msg("view length %zu, but the text is %zu bytes: \"%s\"", l.rows[0].len[0],
			 strlen(l.rows[0].v[0]), l.rows[0].v[0]);
	assert_float_equal(strtod(l.rows[0].v[0], NULL), 1e100, 0);
	assert_string_equal(l.rows[0].v[1], "x");
}

/* The sink checks every row as it comes (the file is several blocks). */
struct big_ctx {
	size_t rows;
	int bad;
};

static int big_column(void *ctx, const char *name, size_t n)
{
	(void)ctx;
	(void)name;
	(void)n;
	return 0;
}

static int big_row(void *ctx, size_t line, const struct rec_view *vals,
		   const unsigned char *present, size_t n)
{
	struct big_ctx *c = ctx;
	char want[64];
	int len;

	(void)present;
	len = snprintf(want, sizeof want, "ชื่อ%zu", c->rows);
	if (n != 2 || line != c->rows + 2 || vals[1].n != (size_t)len ||
	    memcmp(vals[1].s, want, (size_t)len) != 0)
		c->bad++;
	c->rows++;
	return 0;
}

static void test_rec_sha256_and_blocks(void **state)
{
	const size_t nrows = 40000;
	struct big_ctx ctx = { 0, 0 };
	struct rec_sink sink = { &ctx, big_column, NULL, big_row, NULL };
	unsigned char want[crypto_hash_sha256_BYTES];
	struct rec_result res;
	struct nw_err err;
	struct buf in;
	FILE *fp;
	size_t i;

	(void)state;
	assert_true(sodium_init() >= 0);
	buf_init(&in, BUF_UNLIMITED);
	assert_int_equal(buf_puts(&in, "id,name\n"), 0);
	for (i = 0; i < nrows; i++)
		assert_int_equal(buf_printf(&in, "%zu,ชื่อ%zu\n", i, i), 0);
	assert_true(in.len > 3 * 256 * 1024); /* several read blocks */
	crypto_hash_sha256(want, (const unsigned char *)in.data, in.len);
	fp = fmemopen(in.data, in.len, "r");
	assert_non_null(fp);
	assert_int_equal(rec_read(fp, REC_CSV, ENC_AUTO, &sink, &res, &err), 0);
	fclose(fp);
	assert_int_equal(res.bytes, in.len);
	assert_memory_equal(res.sha256, want, sizeof want);
	assert_int_equal(res.records, nrows);
	assert_int_equal(ctx.rows, nrows);
	assert_int_equal(ctx.bad, 0);
	buf_release(&in);
}

static void test_rec_sha256_small(void **state)
{
	static const char in[] = "{\"a\":\"ก\"}\n";
	unsigned char want[crypto_hash_sha256_BYTES];
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	assert_true(sodium_init() >= 0);
	crypto_hash_sha256(want, (const unsigned char *)in, strlen(in));
	assert_int_equal(read_mem(in, strlen(in), REC_JSON, ENC_AUTO, &l, &res, &err), 0);
	assert_memory_equal(res.sha256, want, sizeof want);
	/* a different byte, a different hash */
	crypto_hash_sha256(want, (const unsigned char *)in, strlen(in) - 1);
	assert_memory_not_equal(res.sha256, want, sizeof want);
}

static void test_rec_sink_error(void **state)
{
	static const char in[] = "a,b\n1,2\n3,4\n5,6\n";
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;

	(void)state;
	memset(&l, 0, sizeof l);
	l.fail_at = 2;
	assert_int_equal(read_mem(in, strlen(in), REC_CSV, ENC_AUTO, &l, &res, &err), NAWAT_EDATA);
	assert_int_equal(res.status, REC_SINK);
	assert_int_equal(res.rc, NAWAT_EDATA);
	assert_int_equal(l.nrows, 1); /* stops at the failing row */
}

static void test_rec_format_of(void **state)
{
	enum rec_format f = REC_JSON;

	(void)state;
	assert_int_equal(rec_format_of("students.csv", &f), 0);
	assert_int_equal(f, REC_CSV);
	assert_int_equal(rec_format_of("dir.x/OUTCOMES.JSON", &f), 0);
	assert_int_equal(f, REC_JSON);
	f = REC_CSV;
	assert_int_equal(rec_format_of("a.ndjson", &f), 0);
	assert_int_equal(f, REC_JSON);
	f = REC_CSV;
	assert_int_equal(rec_format_of("a.jsonl", &f), 0);
	assert_int_equal(f, REC_JSON);
	assert_int_equal(rec_format_of("a.txt", &f), NAWAT_EINVAL);
	assert_int_equal(rec_format_of("noext", &f), NAWAT_EINVAL);
}

/* ---- csvout ---- */

static void test_csvout_quoting(void **state)
{
	struct csvw w;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	csvw_init(&w, fp, 0);
	csvw_str(&w, "plain");
	csvw_str(&w, "a,b");
	csvw_str(&w, "say \"hi\"");
	csvw_str(&w, "line1\nline2");
	csvw_str(&w, "cr\rx");
	csvw_str(&w, " lead");
	csvw_str(&w, "trail ");
	csvw_str(&w, "in side");
	csvw_str(&w, "");
	csvw_str(&w, NULL);
	csvw_str(&w, "ไทย");
	csvw_field(&w, "abcdef", 2);
	csvw_int(&w, -42);
	csvw_end(&w);
	csvw_init(&w, fp, 1);
	csvw_str(&w, "x");
	csvw_str(&w, "\"");
	csvw_end(&w);
	assert_int_equal(csvw_status(&w), 0);
	fclose(fp);
	assert_string_equal(text,
			    "plain,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"cr\rx\","
			    "\" lead\",\"trail \",in side,,,ไทย,ab,-42\n"
			    "x,\"\"\"\"\r\n");
	free(text);
}

static void test_csvout_round_trip(void **state)
{
	static const char *fields[] = { "plain", "a,b", "say \"hi\"", "line1\nline2", " lead",
					"trail ", "", "ไทย, ภาษา", "\"\"", "1101700123456" };
	enum { NF = sizeof fields / sizeof fields[0] };
	static struct rec_log l;
	struct rec_result res;
	struct nw_err err;
	struct csvw w;
	char *text = NULL;
	size_t len = 0, i;
	FILE *fp;

	(void)state;
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	csvw_init(&w, fp, 1);
	for (i = 0; i < NF; i++)
		csvw_int(&w, (long long)i);
	csvw_end(&w);
	for (i = 0; i < NF; i++)
		csvw_str(&w, fields[i]);
	csvw_end(&w);
	fclose(fp);
	memset(&l, 0, sizeof l);
	assert_int_equal(read_mem(text, len, REC_CSV, ENC_AUTO, &l, &res, &err), 0);
	free(text);
	assert_int_equal(l.ncols, NF);
	assert_int_equal(l.nrows, 1);
	assert_int_equal(l.rows[0].n, NF);
	for (i = 0; i < NF; i++)
		assert_string_equal(l.rows[0].v[i], fields[i]);
}

static void test_csvout_io_error(void **state)
{
	struct csvw w;
	FILE *fp;

	(void)state;
	fp = fopen("/dev/full", "w");
	if (!fp)
		skip();
	setvbuf(fp, NULL, _IONBF, 0);
	csvw_init(&w, fp, 0);
	csvw_str(&w, "x");
	csvw_str(&w, "y,z");
	csvw_end(&w);
	assert_int_equal(csvw_status(&w), NAWAT_EIO);
	fclose(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enc_utf8_valid),
		cmocka_unit_test(test_enc_bom),
		cmocka_unit_test(test_enc_tis620),
		cmocka_unit_test(test_enc_names),
		cmocka_unit_test(test_enc_split),
		cmocka_unit_test(test_enc_bad_bytes_line),
		cmocka_unit_test(test_csv_lf_crlf),
		cmocka_unit_test(test_csv_quoted_newline),
		cmocka_unit_test(test_csv_blank_lines),
		cmocka_unit_test(test_csv_bom_header),
		cmocka_unit_test(test_csv_last_line_without_newline),
		cmocka_unit_test(test_csv_tis620),
		cmocka_unit_test(test_csv_encoding_error),
		cmocka_unit_test(test_json_array),
		cmocka_unit_test(test_json_missing_and_new_keys),
		cmocka_unit_test(test_ndjson),
		cmocka_unit_test(test_json_not_scalar),
		cmocka_unit_test(test_json_malformed),
		cmocka_unit_test(test_json_big_number),
		cmocka_unit_test(test_rec_sha256_and_blocks),
		cmocka_unit_test(test_rec_sha256_small),
		cmocka_unit_test(test_rec_sink_error),
		cmocka_unit_test(test_rec_format_of),
		cmocka_unit_test(test_csvout_quoting),
		cmocka_unit_test(test_csvout_round_trip),
		cmocka_unit_test(test_csvout_io_error),
	};

	return cmocka_run_group_tests_name("exchange", tests, NULL, NULL);
}
