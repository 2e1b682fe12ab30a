/*
 * template.h - import templates of a data set, the files people fill in and
 * import: the header the importer reads and one example row that passes
 * validation (example.h), as CSV or as XLSX.
 *
 * The XLSX template is the data set's sheet (xlsxout.h: typed columns, so
 * that codes typed in stay text) with, on every header cell, a note giving
 * the field's Thai and English names and its rules; code-list fields get a
 * drop-down of their codes, kept with their Thai and English meanings on a
 * hidden sheet "codes" (lists can be long).
 */
#ifndef NAWAT_TEMPLATE_H
#define NAWAT_TEMPLATE_H

#include <stdio.h>

#include "../base/err.h"
#include "../standard/std.h"

/* UTF-8 with a BOM, so that spreadsheet programs read the Thai. */
int tpl_csv(const struct std_dataset *ds, FILE *out, struct nw_err *err);
int tpl_xlsx(const struct std_dataset *ds, FILE *out, struct nw_err *err);

#endif
