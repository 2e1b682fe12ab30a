/*
 * xlsxout.h - data sets as XLSX sheets (libxlsxwriter): the spreadsheet
 * side of export and of the import templates.
 *
 * The sheet of a data set is named like it (the sheet the importer looks
 * for); its first row holds the field names in a bold, filled header that
 * stays in view (frozen); columns are as wide as their values usually are;
 * every cell is typed by its field: codes and other text as text (leading
 * zeros stay), numbers as numbers, dates as real dates shown yyyy-mm-dd.
 * Everything is set in a Thai font ("TH Sarabun New"; a spreadsheet program
 * without it falls back to one it has).
 *
 * libxlsxwriter writes to a named file: a workbook is written to a
 * temporary file (xlsxw_open) and copied where it belongs (xlsxw_close).
 * With constant_memory, rows must come in order and memory stays flat.
 */
#ifndef NAWAT_XLSXOUT_H
#define NAWAT_XLSXOUT_H

#include <stdint.h>
#include <stdio.h>

#include <xlsxwriter.h>

#include "../base/buf.h"
#include "../base/err.h"
#include "../standard/std.h"

#define XLSXW_FONT "TH Sarabun New"
#define XLSXW_FONT_SIZE 14
#define XLSXW_MAX_ROWS 1048576u   /* rows of a sheet, the header included */

struct xlsxw {
	lxw_workbook *wb;
	lxw_format *header, *text, *date, *number;
	char *path;                /* the temporary file */
	struct buf val;            /* a value, NUL-terminated */
};

int xlsxw_open(struct xlsxw *w, int constant_memory, struct nw_err *err);
/* A format in the workbook's font (NULL when out of memory). */
lxw_format *xlsxw_format(struct xlsxw *w);
/* Adds the sheet of ds: header row, widths, column formats, frozen header. */
int xlsxw_dataset_sheet(struct xlsxw *w, const struct std_dataset *ds, lxw_worksheet **out,
			struct nw_err *err);
/* Writes s[0..n), as the exchange format writes a value of field f, into
 * the cell (row, col), typed by f. */
int xlsxw_value(struct xlsxw *w, lxw_worksheet *ws, uint32_t row, uint16_t col,
		const struct std_field *f, const char *s, size_t n, struct nw_err *err);
/* Text into a cell, escaped so that it reads back as it is. */
int xlsxw_text(struct xlsxw *w, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s,
	       size_t n, lxw_format *fmt, struct nw_err *err);
/* Finishes the workbook and copies it to out (when out and no error so
 * far: pass rc, the result until now); the temporary file is removed.
 * Returns the first failure. */
int xlsxw_close(struct xlsxw *w, int rc, FILE *out, struct nw_err *err);
/* The message of a libxlsxwriter failure. */
int xlsxw_error(lxw_error e, struct nw_err *err);

#endif
