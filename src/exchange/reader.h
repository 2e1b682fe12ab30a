/*
 * reader.h - streaming readers of exchange files: CSV (RFC 4180, libcsv) and
 * JSON (an array of objects) or NDJSON (one object a line).
 *
 * A reader decodes the bytes (encoding.h), splits them into records and hands
 * each to a sink with its line number in the file.  Memory stays flat: one
 * record at a time, whatever the file size.  The SHA-256 of the raw bytes is
 * computed on the way.
 */
#ifndef NAWAT_READER_H
#define NAWAT_READER_H

#include <stddef.h>
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
};

enum rec_format { REC_CSV, REC_JSON /* array or NDJSON, told apart by the first byte */ };

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

/* The format named by a file's extension: .csv, .json, .ndjson, .jsonl. */
int rec_format_of(const char *path, enum rec_format *fmt);

#endif
