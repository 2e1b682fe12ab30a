/*
 * import.h - the import pipeline: files in, validated rows into the store,
 * a validation report out.
 *
 * One invocation is one batch: its files are taken in dependency order
 * (areas, schools, students, outcomes, ...), each file is one submission,
 * and references resolve against the store or against rows of the same
 * batch.  By default the batch is all-or-nothing: any error and nothing is
 * written.  With accept_valid the valid rows are written and the rejected
 * ones go to NAME.rejected.csv beside the report.  A dry run writes nothing.
 *
 * The report is the CSV of spec/exchange.md:
 *   file,row,column,value,code,severity,message_th,message_en
 * with rows in file order, every issue, no cap.
 */
#ifndef NAWAT_IMPORT_H
#define NAWAT_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "../base/err.h"
#include "../standard/pii.h"
#include "../store/store.h"
#include "encoding.h"
#include "reader.h"

struct imp_opts {
	int dry_run;
	int accept_valid;
	int ignore_unknown;        /* unknown columns are ignored, not errors */
	enum enc_kind encoding;
	const char *user;          /* recorded on each submission */
	const char *report_path;   /* the report CSV; NULL = none */
	const char *rejected_dir;  /* where NAME.rejected.csv go (accept_valid) */
	int no_rejected_file;      /* the caller reports rejected rows itself */
	FILE *report_fp;           /* alternatively, write the report here */
	struct store_scope scope;  /* rows outside it are rejected (zero: all) */
	int remove;                /* delete the rows with the files' keys (other
	                              columns are ignored; absent keys are warnings) */
	int alone;                 /* the caller may take the store for itself: a
	                              load bigger than the store is then a bulk
	                              load (STORE_BULK; the command line's) */
	uint64_t xlsx_max_unzipped; /* XLSX limits (reader.h); 0 = the default */
	uint64_t xlsx_max_strings;
};

struct imp_file {
	const char *path;          /* read from this file ... */
	FILE *fp;                  /* ... or from this stream (path may be NULL) */
	const char *name;          /* the report's `file` column */
	const struct std_dataset *ds;
	enum rec_format fmt;
};

struct imp_count {
	int64_t rows, inserted, updated, unchanged, rejected, errors, warnings, deleted;
};

struct imp_result {
	struct imp_count *per_ds;  /* one per data set of the package (index) */
	struct imp_count total;
	int committed;             /* something was written */
	int rolled_back;           /* errors: nothing written (all-or-nothing) */
	int64_t *sub_ids;          /* per file, 0 when not recorded */
};

/* Runs a batch.  Returns 0 when the batch ran (look at res for errors), or
 * NAWAT_E* for a store, I/O or internal failure, with nothing written.
 * res->per_ds and res->sub_ids are allocated; free with imp_result_free. */
int imp_run(struct store *st, const struct pii_key *key, struct imp_file *files, size_t nfiles,
	    const struct imp_opts *o, struct imp_result *res, struct nw_err *err);
void imp_result_free(struct imp_result *res);

/* Writes the report header line. */
void imp_report_header(FILE *fp);

#endif
