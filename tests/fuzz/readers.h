/* readers.h - one fuzz target body for the CSV and JSON readers: the first
 * byte picks the encoding (bits 0-1: auto, UTF-8, TIS-620) and a record at
 * which the sink fails (bits 2-4, 0 = none); the rest is the file. */
#ifndef NAWAT_FUZZ_READERS_H
#define NAWAT_FUZZ_READERS_H

#include "fuzz.h"

static inline int fz_read_text(const uint8_t *data, size_t size, enum rec_format fmt)
{
	static const enum enc_kind encs[4] = { ENC_AUTO, ENC_UTF8, ENC_TIS620, ENC_AUTO };
	struct rec_result res;
	struct fz_sink s;
	struct nw_err err;
	FILE *fp;
	int rc;

	if (!size)
		return 0;
	fz_sink_init(&s, (data[0] >> 2) & 7);
	err_clear(&err);
	fp = fz_stream(data + 1, size - 1);
	if (!fp)
		return 0;
	rc = rec_read(fp, fmt, encs[data[0] & 3], &s.sink, &res, &err);
	fclose(fp);
	fz_check_result(rc, &res, &err);
	FZ_CHECK(res.bytes == size - 1, "%zu bytes hashed of %zu", res.bytes, size - 1);
	FZ_CHECK(res.records >= s.nrows, "%zu records counted, %zu given", res.records, s.nrows);
	FZ_CHECK(fmt != REC_CSV || !s.nrows || s.header_done, "CSV rows before the header");
	return 0;
}

#endif
