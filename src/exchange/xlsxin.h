/*
 * xlsxin.h - streaming reader of XLSX workbooks (Office Open XML
 * spreadsheets, as Excel, LibreOffice and Gnumeric write them) into the
 * record sink of reader.h.
 *
 * The sheet named like o->sheet (ASCII case ignored), else the first visible
 * one, is read; its first non-blank row names the columns, as in a CSV file,
 * and every record carries the sheet's row number.  Cells become the text a
 * person saw: shared and inline strings, numbers in plain decimals (2567, not
 * 2567.0; a citizen ID stored as 1.101700123456E+12 comes out as its 13
 * digits), booleans as TRUE / FALSE, dates stored as serial numbers (1900
 * system with its 1900-02-29, or the workbook's 1904 system) as ISO dates in
 * date-formatted cells and in the columns the sink says are dates.
 *
 * Memory stays flat: the sheet's XML is inflated from its zip entry a block
 * at a time straight into an expat parser.  The shared-strings table is
 * held (cells refer to it by index), bounded by o->max_strings; the bytes
 * inflated from the whole file are bounded by o->max_unzipped (zip bombs).
 * Anything malformed (not a zip, a damaged entry, bad XML, a missing part)
 * is a REC_SYNTAX result with a Thai and English message, a passed limit a
 * REC_IO one.
 */
#ifndef NAWAT_XLSXIN_H
#define NAWAT_XLSXIN_H

#include <stddef.h>
#include <stdio.h>

#include "reader.h"

int xlsx_read(FILE *fp, const struct rec_opts *o, const struct rec_sink *sink,
	      struct rec_result *res, struct nw_err *err);

/* Exposed for tests. */
/* The text of a number cell's value v[0..n) as a spreadsheet shows it in
 * General format: 15 significant digits, plain decimals.  out holds
 * VAL_NUMBER_MAX bytes; text that is not a number is copied as it is. */
size_t xlsx_number_text(const char *v, size_t n, char *out);
/* A date serial as "YYYY-MM-DD" (" HH:MM:SS" added when it has a time of
 * day) into out (>= 20 bytes); 0 when the value is no date. */
size_t xlsx_serial_date(double serial, int date1904, char *out);
/* Whether a number format code shows a date or a time. */
int xlsx_format_is_date(const char *code);

#endif
