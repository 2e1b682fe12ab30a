/*
 * test_xlsx.c - unit tests of the XLSX reader (src/exchange/xlsxin.c):
 * hand-made workbooks for the edge cases (shared and inline strings, rich
 * text, escapes, numbers as a spreadsheet shows them, dates in both date
 * systems, sparse cells and rows, the choice of sheet, damaged and hostile
 * files, the limits), and files written by LibreOffice and Gnumeric
 * (tests/fixtures/xlsx, made by its make.sh) read exactly as the CSV they
 * were made from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "exchange/reader.h"
#include "exchange/xlsxin.h"
#include "standard/validate.h"
#include "xlsxmake.h"

#define FIXTURES "tests/fixtures/xlsx"

/* ---- a sink that writes what it gets as text ---- */

struct out {
	char text[1 << 17];
	size_t len;
	char names[64][64];
	size_t ncols;
	const char *dates;  /* "|a|b|": the columns that are dates */
	size_t fail_at;     /* the sink fails on this record (1 = the first) */
	size_t rows;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n >= sizeof o->text)
		fail_msg("sink output too long");
	memcpy(o->text + o->len, s, n);
	o->len += n;
	o->text[o->len] = '\0';
}

static int o_column(void *ctx, const char *name, size_t n)
{
	struct out *o = ctx;

	put(o, o->ncols ? "|" : "H:", o->ncols ? 1 : 2);
	put(o, name, n);
	if (o->ncols < 64)
		snprintf(o->names[o->ncols], sizeof o->names[0], "%.*s", (int)n, name);
	o->ncols++;
	return 0;
}

static int o_header_done(void *ctx)
{
	put(ctx, "\n", 1);
	return 0;
}

static int o_row(void *ctx, size_t line, const struct rec_view *vals, const unsigned char *present, size_t n)
{
	struct out *o = ctx;
	char num[32];
	size_t i;

	if (o->fail_at && ++o->rows == o->fail_at)
		return NAWAT_EDATA;
	snprintf(num, sizeof num, "%zu:", line);
	put(o, num, strlen(num));
	for (i = 0; i < n; i++) {
		if (!present[i] || !vals[i].s)
			fail_msg("cell %zu of line %zu not present", i, line);
		if (i)
			put(o, "|", 1);
		put(o, vals[i].s, vals[i].n);
	}
	put(o, "\n", 1);
	return 0;
}

static int o_is_date(void *ctx, size_t i)
{
	struct out *o = ctx;
	char want[80];

	if (!o->dates || i >= o->ncols || i >= 64)
		return 0;
	snprintf(want, sizeof want, "|%s|", o->names[i]);
	return strstr(o->dates, want) != NULL;
}

static int read_fp(FILE *fp, enum rec_format fmt, const struct rec_opts *o, struct out *out,
		   struct rec_result *res, struct nw_err *err)
{
	struct rec_sink sink = { out, o_column, o_header_done, o_row, o_is_date };

	err_clear(err);
	return rec_read_opts(fp, fmt, o, &sink, res, err);
}

static int read_mem(const unsigned char *data, size_t len, const struct rec_opts *o, struct out *out,
		    struct rec_result *res, struct nw_err *err)
{
	FILE *fp = fmemopen((void *)data, len, "rb");
	int rc;

	assert_non_null(fp);
	rc = read_fp(fp, REC_XLSX, o, out, res, err);
	fclose(fp);
	return rc;
}

/* Reads a one-sheet book; the output must be `want`. */
static void expect_book(const char *wbpr, const char *rows, const char *sst, const char *styles,
			const char *dates, const char *want)
{
	static struct out out;
	struct rec_result res;
	struct nw_err err;
	unsigned char *zip;
	size_t len;
	int rc;

	zip = xm_book("Sheet1", wbpr, rows, sst, styles, 0, &len);
	assert_non_null(zip);
	memset(&out, 0, sizeof out);
	out.dates = dates;
	rc = read_mem(zip, len, NULL, &out, &res, &err);
	if (rc)
		fail_msg("read failed (%d, status %d): %s / %s", rc, res.status, err.th, err.en);
	assert_int_equal(res.status, REC_OK);
	assert_int_equal(res.encoding, ENC_UTF8);
	assert_int_equal(res.bytes, len);
	assert_string_equal(out.text, want);
	free(zip);
}

/* Reads bytes that must fail with status; err's English message must
 * contain `says`. */
static void expect_failure(const unsigned char *data, size_t len, const struct rec_opts *o,
			   enum rec_status status, const char *says)
{
	static struct out out;
	struct rec_result res;
	struct nw_err err;

	memset(&out, 0, sizeof out);
	assert_int_equal(read_mem(data, len, o, &out, &res, &err), NAWAT_EPARSE);
	if (res.status != status)
		fail_msg("status %d, expected %d: %s", res.status, status, err.en);
	assert_true(err.th[0] != '\0');
	if (!strstr(err.en, says))
		fail_msg("message \"%s\" does not say \"%s\"", err.en, says);
}

static void expect_book_failure(const char *rows, const char *sst, const char *styles,
				const struct rec_opts *o, enum rec_status status, const char *says)
{
	unsigned char *zip;
	size_t len;

	zip = xm_book("Sheet1", "", rows, sst, styles, 0, &len);
	assert_non_null(zip);
	expect_failure(zip, len, o, status, says);
	free(zip);
}

/* ---- strings ---- */

static void test_strings(void **state)
{
	(void)state;
	/* shared strings: plain, rich text runs, a phonetic guide left out,
	 * escapes of characters XML cannot carry and of a literal _x..._ */
	expect_book("",
		    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
		    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
		    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\" t=\"s\"><v>5</v></c>"
		    "<c r=\"C2\" t=\"s\"><v>6</v></c><c r=\"D2\" t=\"s\"><v>7</v></c></row>",
		    "<si><t>name_th</t></si><si><t>rich</t></si><si><t>escaped</t></si><si><t>literal</t></si>"
		    "<si><t>โรงเรียน</t><rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si>"
		    "<si><r><rPr><b/></rPr><t>บ้าน</t></r><r><t xml:space=\"preserve\"> พุย</t></r></si>"
		    "<si><t>a_x000D_b_x0009_c</t></si>"
		    "<si><t>x_x005F_x0041_y</t></si>",
		    NULL, NULL,
		    "H:name_th|rich|escaped|literal\n2:โรงเรียน|บ้าน พุย|a\rb\tc|x_x0041_y\n");
	/* inline strings (also with the whitespace Gnumeric puts around <t>),
	 * a formula's text result, booleans, an error value; no sharedStrings */
	expect_book("",
		    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c>"
		    "<c r=\"B1\" t=\"inlineStr\">\n  <is>\n    <t>b</t>\n  </is>\n</c>"
		    "<c r=\"C1\" t=\"inlineStr\"><is><t>c</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>d</t></is></c>"
		    "<c r=\"E1\" t=\"inlineStr\"><is><t>e</t></is></c></row>"
		    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><r><t>ห้วย</t></r><r><t>ปูลิง</t></r></is></c>"
		    "<c r=\"B2\" t=\"str\"><f>A2&amp;\"!\"</f><v>ห้วยปูลิง!</v></c>"
		    "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"b\"><v>0</v></c>"
		    "<c r=\"E2\" t=\"e\"><v>#N/A</v></c></row>",
		    NULL, NULL, NULL, "H:a|b|c|d|e\n2:ห้วยปูลิง|ห้วยปูลิง!|TRUE|FALSE|#N/A\n");
}

/* ---- numbers ---- */

static void test_number_text(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "2567", "2567" },
		{ "0", "0" },
		{ "-12", "-12" },
		{ "1101700123456", "1101700123456" },
		{ "1.101700123456E+12", "1101700123456" },   /* a citizen ID typed as a number */
		{ "1.1017001234561E+12", "1101700123456.1" },
		{ "2567.0", "2567" },
		{ "78.5", "78.5" },
		{ "0.30000000000000004", "0.3" },         /* 15 significant digits, as shown */
		{ "78.499999999999986", "78.5" },
		{ "18.153638", "18.153638" },
		{ "1E-3", "0.001" },
		{ "-0.0", "0" },
		{ "1234567890123456789", "1234567890123460000" },
		{ "#N/A", "#N/A" },                          /* not a number: as it is */
		{ "", "" },
	};
	char out[VAL_NUMBER_MAX];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = xlsx_number_text(cases[i].in, strlen(cases[i].in), out);
		if (n != strlen(out) || strcmp(out, cases[i].out))
			fail_msg("%s -> %s (%zu), expected %s", cases[i].in, out, n, cases[i].out);
	}
	/* in a sheet: a number cell "2567" is 2567, not "2567.0" */
	expect_book("", "<row r=\"1\"><c t=\"inlineStr\"><is><t>academic_year</t></is></c>"
			"<c t=\"inlineStr\"><is><t>citizen_id</t></is></c></row>"
			"<row r=\"2\"><c><v>2567</v></c><c t=\"n\"><v>1.101700123456E+12</v></c></row>",
		    NULL, NULL, NULL, "H:academic_year|citizen_id\n2:2567|1101700123456\n");
}

/* ---- dates ---- */

static void test_serial_dates(void **state)
{
	static const struct {
		double serial;
		int date1904;
		const char *out;
	} cases[] = {
		{ 1, 0, "1900-01-01" },
		{ 59, 0, "1900-02-28" },
		{ 60, 0, "1900-02-29" },         /* the day that never was */
		{ 61, 0, "1900-03-01" },
		{ 0, 0, "1900-01-00" },
		{ 40927, 0, "2012-01-19" },
		{ 45428, 0, "2024-05-16" },
		{ 45428.5, 0, "2024-05-16 12:00:00" },
		{ 45428.99999999999, 0, "2024-05-17" },
		{ 2958465, 0, "9999-12-31" },
		{ 0, 1, "1904-01-01" },
		{ 39465, 1, "2012-01-19" },
		{ 43966, 1, "2024-05-16" },
	};
	char out[24];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = xlsx_serial_date(cases[i].serial, cases[i].date1904, out);
		if (!n || n != strlen(out) || strcmp(out, cases[i].out))
			fail_msg("%.12g (1904: %d) -> %s, expected %s", cases[i].serial, cases[i].date1904,
				 n ? out : "(none)", cases[i].out);
	}
	assert_int_equal(xlsx_serial_date(-1, 0, out), 0);
	assert_int_equal(xlsx_serial_date(2958466, 0, out), 0);
}

static void test_format_is_date(void **state)
{
	static const struct {
		const char *code;
		int date;
	} cases[] = {
		{ "yyyy-mm-dd", 1 },
		{ "yyyy\\-mm\\-dd", 1 },               /* as LibreOffice writes it */
		{ "[$-41E]d/m/bbbb", 1 },             /* Thai, Buddhist-era year */
		{ "ว/ด/ปปปป", 1 },
		{ "[h]:mm:ss", 1 },
		{ "h:mm AM/PM", 1 },
		{ "General", 0 },
		{ "0.00", 0 },
		{ "#,##0", 0 },
		{ "[Red]0.00;[Blue]-0.00", 0 },
		{ "0.00E+00", 0 },
		{ "\"days\" 0", 0 },                  /* quoted text is no date */
		{ "0\\d", 0 },                        /* an escaped letter neither */
		{ "@", 0 },
		{ "0;[Red]d", 0 },                    /* only the first section counts */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (xlsx_format_is_date(cases[i].code) != cases[i].date)
			fail_msg("%s: date %d, expected %d", cases[i].code, !cases[i].date, cases[i].date);
}

/* cellXfs: 0 General, 1 built-in 14 (a date), 2 a custom date, 3 a custom
 * number; the cell style of id 14 is not a cell format */
static const char *styles =
	"<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"0.00\"/></numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
	"<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/></cellXfs>";

static void test_dates_in_sheets(void **state)
{
	const char *rows =
		"<row r=\"1\"><c t=\"inlineStr\"><is><t>birth_date</t></is></c><c t=\"inlineStr\"><is><t>since</t></is></c>"
		"<c t=\"inlineStr\"><is><t>when</t></is></c><c t=\"inlineStr\"><is><t>score</t></is></c>"
		"<c t=\"inlineStr\"><is><t>plain</t></is></c></row>"
		"<row r=\"2\"><c s=\"1\"><v>40927</v></c><c s=\"2\"><v>60</v></c><c s=\"0\"><v>45428</v></c>"
		"<c s=\"3\"><v>78.5</v></c><c><v>45428</v></c></row>"
		"<row r=\"3\"><c s=\"2\"><v>61</v></c><c s=\"1\" t=\"d\"><v>2024-05-16T00:00:00Z</v></c>"
		"<c t=\"d\"><v>2024-05-16T08:30:00</v></c><c s=\"1\" t=\"inlineStr\"><is><t>16/5/2567</t></is></c>"
		"<c s=\"9\"><v>7</v></c></row>";

	(void)state;
	/* styled cells are dates; "when" is one only because the sink says its
	 * column holds dates; a style index past the table is no date */
	expect_book("<workbookPr date1904=\"false\"/>", rows, NULL, styles, "|when|",
		    "H:birth_date|since|when|score|plain\n"
		    "2:2012-01-19|1900-02-29|2024-05-16|78.5|45428\n"
		    "3:1900-03-01|2024-05-16|2024-05-16T08:30:00|16/5/2567|7\n");
	/* the 1904 date system */
	expect_book("<workbookPr date1904=\"1\"/>", rows, NULL, styles, "|when|",
		    "H:birth_date|since|when|score|plain\n"
		    "2:2016-01-20|1904-03-01|2028-05-17|78.5|45428\n"
		    "3:1904-03-02|2024-05-16|2024-05-16T08:30:00|16/5/2567|7\n");
}

/* ---- shapes of sheets ---- */

static void test_sparse(void **state)
{
	(void)state;
	/* blank and whitespace-only rows before the header; the header with a
	 * gap (an empty name, as an empty CSV header field) and styled empty
	 * cells after it; rows that skip numbers; cells that skip columns;
	 * cells without r follow the one before; a short row is padded */
	expect_book("",
		    "<row r=\"1\"><c r=\"A1\" s=\"1\"/></row>"
		    "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>  </t></is></c></row>"
		    "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>a</t></is></c>"
		    "<c r=\"B3\" t=\"inlineStr\"><is><t>b</t></is></c>"
		    "<c r=\"D3\" t=\"inlineStr\"><is><t>d</t></is></c><c r=\"E3\" s=\"1\"/><c r=\"XFD3\" s=\"1\"/></row>"
		    "<row r=\"7\"><c r=\"C7\"><v>3</v></c></row>"
		    "<row r=\"8\"><c r=\"A8\"><v>1</v></c><c><v>2</v></c><c r=\"D8\"><v>4</v></c><c><v>5</v></c></row>"
		    "<row><c r=\"B9\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
		    "<row r=\"12\"><c r=\"A12\" s=\"1\"/><c r=\"B12\" t=\"inlineStr\"><is><t></t></is></c></row>",
		    NULL, NULL, NULL,
		    "H:a|b||d\n7:||3|\n8:1|2||4|5\n9:|x||\n");
	/* element names with a namespace prefix (x:c ...), as some writers do */
	expect_book("",
		    "<x:row xmlns:x=\"" XM_MAIN "\" r=\"1\"><x:c t=\"inlineStr\"><x:is><x:t>h</x:t></x:is></x:c></x:row>"
		    "<x:row xmlns:x=\"" XM_MAIN "\" r=\"2\"><x:c><x:v>42</x:v></x:c></x:row>",
		    NULL, NULL, NULL, "H:h\n2:42\n");
	/* an empty sheet: no header, no rows */
	expect_book("", "", NULL, NULL, NULL, "");
}

static void test_sheet_choice(void **state)
{
	static const char *wb =
		"<workbook xmlns=\"" XM_MAIN "\" xmlns:r=\"" XM_RELS "\"><sheets>"
		"<sheet name=\"hidden\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
		"<sheet name=\"notes\" sheetId=\"2\" r:id=\"rId2\"/>"
		"<sheet name=\"Students\" sheetId=\"3\" r:id=\"rId3\"/></sheets></workbook>";
	static const char *rels =
		"<Relationships xmlns=\"" XM_PKG "\">"
		"<Relationship Id=\"rId1\" Type=\"" XM_RELS "/worksheet\" Target=\"/xl/worksheets/a.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"" XM_RELS "/worksheet\" Target=\"./worksheets/../worksheets/b.xml\"/>"
		"<Relationship Id=\"rId3\" Type=\"" XM_RELS "/worksheet\" Target=\"worksheets/c.xml\"/></Relationships>";
	struct xm_part parts[] = {
		{ "_rels/.rels", "<Relationships xmlns=\"" XM_PKG "\"><Relationship Id=\"r\" Type=\"" XM_RELS
				 "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>" },
		{ "xl/workbook.xml", wb },
		{ "xl/_rels/workbook.xml.rels", rels },
		{ "xl/worksheets/a.xml", "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>a</t></is></c></row>"
					 "</sheetData></worksheet>" },
		{ "xl/worksheets/b.xml", "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>b</t></is></c></row>"
					 "</sheetData></worksheet>" },
		{ "xl/worksheets/c.xml", "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>c</t></is></c></row>"
					 "</sheetData></worksheet>" },
	};
	static struct out out;
	struct rec_opts o;
	struct rec_result res;
	struct nw_err err;
	unsigned char *zip;
	size_t len;

	(void)state;
	zip = xm_zip(parts, sizeof parts / sizeof parts[0], 0, &len);
	assert_non_null(zip);
	memset(&o, 0, sizeof o);
	/* the sheet named like the data set (case aside) */
	o.sheet = "students";
	memset(&out, 0, sizeof out);
	assert_int_equal(read_mem(zip, len, &o, &out, &res, &err), 0);
	assert_string_equal(out.text, "H:c\n");
	/* else the first visible one */
	o.sheet = "outcomes";
	memset(&out, 0, sizeof out);
	assert_int_equal(read_mem(zip, len, &o, &out, &res, &err), 0);
	assert_string_equal(out.text, "H:b\n");
	/* a hidden sheet is read when it is the one named */
	o.sheet = "HIDDEN";
	memset(&out, 0, sizeof out);
	assert_int_equal(read_mem(zip, len, &o, &out, &res, &err), 0);
	assert_string_equal(out.text, "H:a\n");
	free(zip);
}

/* ---- damaged and hostile files ---- */

static void test_missing_shared_strings(void **state)
{
	(void)state;
	expect_book_failure("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>", NULL, NULL, NULL, REC_SYNTAX,
			    "refers to shared string 0, which does not exist");
	expect_book_failure("<row r=\"1\"><c t=\"s\"><v>0</v></c></row><row r=\"2\"><c t=\"s\"><v>1</v></c></row>",
			    "<si><t>only one</t></si>", NULL, NULL, REC_SYNTAX, "row 2 refers to shared string 1");
}

static void test_corrupt(void **state)
{
	static const unsigned char ole[] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0 };
	static const char *rows = "<row r=\"1\"><c t=\"inlineStr\"><is><t>n</t></is></c></row>"
				  "<row r=\"2\"><c><v>123456</v></c></row><row r=\"3\"><c><v>7</v></c></row>";
	unsigned char *zip, *p;
	size_t len = 0, i;
	struct xm_part noworkbook[] = { { "_rels/.rels", "<Relationships/>" }, { "xl/other.xml", "<a/>" } };

	(void)state;
	expect_failure((const unsigned char *)"name,age\nx,1\n", 13, NULL, REC_SYNTAX, "not an XLSX file");
	expect_failure((const unsigned char *)"P", 1, NULL, REC_SYNTAX, "not an XLSX file");
	expect_failure(ole, sizeof ole, NULL, REC_SYNTAX, "old Excel file (.xls) or a password-protected");
	/* a zip cut short: no central directory */
	zip = xm_book("Sheet1", "", rows, NULL, NULL, 0, &len);
	assert_non_null(zip);
	expect_failure(zip, len / 2, NULL, REC_SYNTAX, "cannot open the zip archive");
	free(zip);
	/* a byte of the stored sheet changed: its CRC no longer matches */
	zip = xm_book("Sheet1", "", rows, NULL, NULL, 1, &len);
	assert_non_null(zip);
	for (i = 0, p = NULL; i + 6 < len && !p; i++)
		if (!memcmp(zip + i, "123456", 6))
			p = zip + i;
	assert_non_null(p);
	p[5] = '7';
	expect_failure(zip, len, NULL, REC_SYNTAX, "CRC");
	/* the sheet no longer well-formed */
	p[5] = '<';
	expect_failure(zip, len, NULL, REC_SYNTAX, "not well-formed XML");
	free(zip);
	/* no workbook */
	zip = xm_zip(noworkbook, 2, 0, &len);
	assert_non_null(zip);
	expect_failure(zip, len, NULL, REC_SYNTAX, "the part xl/workbook.xml is missing");
	free(zip);
	/* a DTD (entity expansion attacks need one) */
	expect_book_failure("</sheetData></worksheet>", NULL, NULL, NULL, REC_SYNTAX, "not well-formed");
	{
		struct xm_part dtd[] = {
			{ "_rels/.rels", "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
					 "<Relationships>&b;</Relationships>" },
		};

		zip = xm_zip(dtd, 1, 0, &len);
		assert_non_null(zip);
		expect_failure(zip, len, NULL, REC_SYNTAX, "has a DTD");
		free(zip);
	}
	/* rows and cells out of order */
	expect_book_failure("<row r=\"2\"><c><v>1</v></c></row><row r=\"2\"><c><v>1</v></c></row>", NULL, NULL, NULL,
			    REC_SYNTAX, "out-of-order row number");
	expect_book_failure("<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>", NULL, NULL, NULL,
			    REC_SYNTAX, "out of column order");
}

/* Little-endian 32 bits at p. */
static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* Makes the sheet's local and central headers declare `size` bytes. */
static void declare_size(unsigned char *zip, size_t len, uint32_t size)
{
	static const char name[] = "xl/worksheets/sheet1.xml";
	size_t i, n = 0;

	for (i = 0; i + 46 + sizeof name < len; i++) {
		if (!memcmp(zip + i, "PK\x03\x04", 4) && !memcmp(zip + i + 30, name, sizeof name - 1)) {
			put32(zip + i + 22, size);
			n++;
		}
		if (!memcmp(zip + i, "PK\x01\x02", 4) && !memcmp(zip + i + 46, name, sizeof name - 1)) {
			put32(zip + i + 24, size);
			n++;
		}
	}
	assert_int_equal(n, 2);
}

static void test_limits(void **state)
{
	static char rows[1 << 20], sst[1 << 16];
	struct rec_opts o;
	unsigned char *zip;
	size_t len = 0, i, n;

	(void)state;
	/* a declared size far over the limit, refused before anything is
	 * inflated */
	zip = xm_book("Sheet1", "", "<row><c><v>1</v></c></row>", NULL, NULL, 0, &len);
	assert_non_null(zip);
	declare_size(zip, len, 0x7FFFFFF0u);
	expect_failure(zip, len, NULL, REC_IO, "inflates to more than 1073741824 bytes");
	free(zip);

	/* a zip bomb in small: 1 MiB of spaces that compresses to a few KiB,
	 * against a limit of 256 KiB: refused by its declared size, and, when
	 * it claims to be small, while it inflates */
	memset(rows, ' ', sizeof rows - 1);
	rows[sizeof rows - 1] = '\0';
	zip = xm_book("Sheet1", "", rows, NULL, NULL, 0, &len);
	assert_non_null(zip);
	assert_true(len < 64 * 1024);
	memset(&o, 0, sizeof o);
	o.max_unzipped = 256 * 1024;
	expect_failure(zip, len, &o, REC_IO, "zip bomb");
	declare_size(zip, len, 1000);
	expect_failure(zip, len, &o, REC_IO, "zip bomb");
	free(zip);

	/* shared strings over their limit */
	for (i = 0, n = 0; i < 1000; i++)
		n += (size_t)snprintf(sst + n, sizeof sst - n, "<si><t>string number %zu</t></si>", i);
	memset(&o, 0, sizeof o);
	o.max_strings = 4096;
	expect_book_failure("<row><c t=\"s\"><v>0</v></c></row>", sst, NULL, &o, REC_IO,
			    "shared-strings table of the file is over 4096 bytes");

	/* a value past column 1024 (an empty styled cell there is fine) */
	expect_book_failure("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"AMK1\"><v>1</v></c></row>", NULL, NULL, NULL,
			    REC_IO, "values beyond 1024 columns");
	expect_book("", "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"AMK1\" s=\"0\"/></row>", NULL, NULL, NULL, "H:1\n");
}

static void test_sink_error(void **state)
{
	static struct out out;
	struct rec_result res;
	struct nw_err err;
	unsigned char *zip;
	size_t len;

	(void)state;
	zip = xm_book("Sheet1", "", "<row><c><v>1</v></c></row><row><c><v>2</v></c></row><row><c><v>3</v></c></row>"
			"<row><c><v>4</v></c></row>", NULL, NULL, 0, &len);
	assert_non_null(zip);
	memset(&out, 0, sizeof out);
	out.fail_at = 2;
	assert_int_equal(read_mem(zip, len, NULL, &out, &res, &err), NAWAT_EDATA);
	assert_int_equal(res.status, REC_SINK);
	assert_int_equal(res.rc, NAWAT_EDATA);
	assert_string_equal(out.text, "H:1\n2:2\n"); /* stops at the failing row */
	free(zip);
}

/* ---- files made by spreadsheet programs ---- */

static void read_file(const char *path, enum rec_format fmt, struct out *out, struct rec_result *res)
{
	struct nw_err err;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		fail_msg("cannot open %s (run the tests from the repository)", path);
	memset(out, 0, sizeof *out);
	if (read_fp(fp, fmt, NULL, out, res, &err))
		fail_msg("%s: %s", path, err.en);
	fclose(fp);
}

static void test_spreadsheet_programs(void **state)
{
	static const char *programs[] = { "libreoffice", "gnumeric" };
	static const char *sets[] = { "schools", "students" };
	static struct out csv, xlsx;
	struct rec_result res;
	char path[256];
	size_t p, s;

	(void)state;
	for (s = 0; s < 2; s++) {
		snprintf(path, sizeof path, FIXTURES "/source/%s.csv", sets[s]);
		read_file(path, REC_CSV, &csv, &res);
		assert_true(res.records > 3);
		for (p = 0; p < 2; p++) {
			snprintf(path, sizeof path, FIXTURES "/%s/%s.xlsx", programs[p], sets[s]);
			read_file(path, REC_XLSX, &xlsx, &res);
			if (strcmp(csv.text, xlsx.text))
				fail_msg("%s reads otherwise than its CSV:\n%s\n--- the CSV:\n%s", path, xlsx.text, csv.text);
		}
	}
	/* what they hold, to be sure: Thai text, dates, decimals, 13 digits */
	assert_non_null(strstr(csv.text, "2:1101700990010|1050140201|2567|211|1|2017-03-15|2|0\n"));
	read_file(FIXTURES "/libreoffice/schools.xlsx", REC_XLSX, &xlsx, &res);
	assert_non_null(strstr(xlsx.text, "3:1050140202|โรงเรียนบ้านนาเกียน||10|50|อมก๋อย|นาเกียน|สพป.เชียงใหม่ เขต 5|50|Y|3|"
					  "2022-05-17|17.6|98.25\n"));
	assert_non_null(strstr(xlsx.text, "|โรงเรียนพระหฤทัย, เชียงใหม่|"));
}

/* A pipe cannot seek: the reader copies it to a temporary file first. */
static void test_pipe(void **state)
{
	static struct out a, b;
	struct rec_result res;
	struct nw_err err;
	FILE *fp;

	(void)state;
	read_file(FIXTURES "/libreoffice/students.xlsx", REC_XLSX, &a, &res);
	fp = popen("cat " FIXTURES "/libreoffice/students.xlsx", "r");
	assert_non_null(fp);
	memset(&b, 0, sizeof b);
	assert_int_equal(read_fp(fp, REC_XLSX, NULL, &b, &res, &err), 0);
	pclose(fp);
	assert_string_equal(a.text, b.text);
}

/* Every allocation of a read fails in turn: a clear error, never a crash
 * (the sanitizer build checks for leaks). */
static void test_allocation_failures(void **state)
{
	static struct out out;
	struct rec_result res;
	struct nw_err err;
	unsigned long n, total;
	FILE *fp;
	int rc, failures = 0;

	(void)state;
	mem_fail_after(0);
	read_file(FIXTURES "/libreoffice/schools.xlsx", REC_XLSX, &out, &res);
	total = mem_fail_after(0);
	assert_true(total > 10);
	for (n = 1; n <= total; n++) {
		fp = fopen(FIXTURES "/libreoffice/schools.xlsx", "rb");
		assert_non_null(fp);
		memset(&out, 0, sizeof out);
		mem_fail_after(n);
		rc = read_fp(fp, REC_XLSX, NULL, &out, &res, &err);
		mem_fail_after(0);
		fclose(fp);
		if (rc == 0)
			break;
		failures++;
		assert_int_equal(rc, NAWAT_EPARSE);
		assert_true(res.status == REC_IO || res.status == REC_SYNTAX);
		assert_true(err.th[0] != '\0' && err.en[0] != '\0');
	}
	print_message("%lu allocations, %d failures handled\n", total, failures);
	assert_true(failures > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_number_text),
		cmocka_unit_test(test_serial_dates),
		cmocka_unit_test(test_format_is_date),
		cmocka_unit_test(test_dates_in_sheets),
		cmocka_unit_test(test_sparse),
		cmocka_unit_test(test_sheet_choice),
		cmocka_unit_test(test_missing_shared_strings),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_sink_error),
		cmocka_unit_test(test_spreadsheet_programs),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_allocation_failures),
	};

	return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}
