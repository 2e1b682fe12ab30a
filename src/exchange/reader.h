/*
 * reader.h - streaming readers of exchange files: CSV (RFC 4180, libcsv),
 * JSON (an array of objects) or NDJSON (one object a line), and XLSX
 * workbooks (xlsxin.h).
 *
 * A reader decodes the bytes (encoding.h), splits them into records and hands
 * each to a sink with its line number in the file (an XLSX sheet's row
 * number).  Memory stays flat: one record at a time, whatever the file size.
 * The SHA-256 of the raw bytes is computed on the way.
 */
#ifndef NAWAT_READER_H
#define NAWAT_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../base/err.h"
#include "encoding.h"

struct rec_view {
	const char *s;  /* NULL with n = REC_NOT_SCALAR for a JSON object or array */
	size_t n;
};

#define REC_NOT_SCALAR ((size_t)-1)

struct rec_sink {
	void *ctx;
	/* A new column (CSV: from the header; JSON: a key seen first).  Its index
	 * is the number of columns before it. */
	int (*column)(void *ctx, const char *name, size_t n);
	/* The header is complete (CSV only). */
	int (*header_done)(void *ctx);
	/* A record starting on `line`: vals[i] for column i < n; present[i] = 0
	 * when a JSON object lacks key i (CSV: always 1). */
	int (*row)(void *ctx, size_t line, const struct rec_view *vals,
		   const unsigned char *present, size_t n);
	/* Optional (XLSX): whether column i holds dates, asked after the header
	 * is done; a number in such a column is a date serial.  NULL: none. */
	int (*is_date)(void *ctx, size_t i);
};

enum rec_format {
	REC_CSV,
	REC_JSON,  /* array or NDJSON, told apart by the first byte */
	REC_XLSX   /* a sheet of a workbook; the first row names the columns, as in CSV */
};

/* The media type of XLSX files (HTTP Content-Type). */
#define REC_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Records of a format are taken by their position under a header row (CSV,
 * XLSX), not by name (JSON). */
#define REC_BY_HEADER(fmt) ((fmt) != REC_JSON)

#define REC_MAX_RECORD (4 * 1024 * 1024)   /* bytes of one record */
#define REC_MAX_COLUMNS 1024

/* What an XLSX file may make the reader inflate and hold, by default. */
#define REC_XLSX_MAX_UNZIPPED ((uint64_t)1 << 30)  /* bytes inflated, all parts */
#define REC_XLSX_MAX_STRINGS ((uint64_t)64 << 20)  /* the shared-strings table */

struct rec_opts {
	enum enc_kind encoding;    /* CSV and JSON (XLSX is always Unicode) */
	const char *sheet;         /* XLSX: the sheet of this name, else the first */
	uint64_t max_unzipped;     /* XLSX: 0 = REC_XLSX_MAX_UNZIPPED */
	uint64_t max_strings;      /* XLSX: 0 = REC_XLSX_MAX_STRINGS */
};

enum rec_status {
	REC_OK = 0,
	REC_ENCODING,   /* undecodable bytes at res->line */
	REC_SYNTAX,     /* malformed file at res->line (message in err) */
	REC_SINK,       /* the sink returned res->rc */
	REC_IO          /* read error or a record over the size limit */
};

struct rec_result {
	enum rec_status status;
	int rc;
	size_t line;
	enum enc_kind encoding;
	unsigned char sha256[32];
	size_t bytes;
	size_t records;
};

/* Reads fp to the end (or to the first failure) into sink. */
int rec_read(FILE *fp, enum rec_format fmt, enum enc_kind enc, const struct rec_sink *sink,
	     struct rec_result *res, struct nw_err *err);
/* The same with options (o may be NULL).  XLSX needs a seekable fp (a zip
 * is read from its end); anything else is first copied to a temporary file. */
int rec_read_opts(FILE *fp, enum rec_format fmt, const struct rec_opts *o,
		  const struct rec_sink *sink, struct rec_result *res, struct nw_err *err);

/* Room for n views and presence flags for a reader's records (*cap grows). */
int rec_views_reserve(struct rec_view **views, unsigned char **present, size_t *cap, size_t n);

/* The format named by a file's extension: .csv, .json, .ndjson, .jsonl, .xlsx. */
int rec_format_of(const char *path, enum rec_format *fmt);

#endif
