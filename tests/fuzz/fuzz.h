/*
 * fuzz.h - what the fuzz targets share.
 *
 * Each target (csv.c, json.c, xlsx.c, validate.c, import.c) defines
 * LLVMFuzzerTestOneInput and may define LLVMFuzzerInitialize.  Linked with
 * libFuzzer (-fsanitize=fuzzer) it is a fuzzer (`make fuzz`); linked with
 * replay.c it replays corpus files without libFuzzer (`make test`).
 *
 * A target checks what must hold for any input and calls fz_fail() when it
 * does not: the harness then aborts, as a sanitizer would.
 */
#ifndef NAWAT_FUZZ_H
#define NAWAT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "exchange/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input being replayed (replay.c), for messages; NULL under libFuzzer,
 * which saves the input itself. */
extern const char *fz_current;

/* Reports a broken invariant and aborts. */
void fz_fail(const char *what, ...) __attribute__((format(printf, 1, 2), noreturn));
#define FZ_CHECK(cond, ...) do { if (!(cond)) fz_fail(__VA_ARGS__); } while (0)

/* A record sink that reads every byte it is given (so that the sanitizers
 * see an overread), checks what the reader promises (views inside their
 * bounds, presence flags, valid UTF-8, lines that never go back) and, when
 * stop_after > 0, fails with NAWAT_EDATA at that record to drive the
 * readers' sink-failure paths. */
struct fz_sink {
	struct rec_sink sink;
	size_t ncols, nrows, last_line, stop_after;
	int header_done;
	unsigned long sum;
};
void fz_sink_init(struct fz_sink *s, size_t stop_after);

/* What every reader must give back: rc = 0 with REC_OK, or an error with a
 * status, and then a Thai and an English message (err may be unset only for
 * a sink failure, whose message is the sink's). */
void fz_check_result(int rc, const struct rec_result *res, const struct nw_err *err);

/* Whether s[0..n) is valid UTF-8. */
int fz_utf8(const char *s, size_t n);

/* An XLSX workbook made from fuzz input: the bytes are split at each 0xFF
 * into the sheet's XML, the shared strings, the styles, the workbook and
 * the workbook's relationships (parts left out get a default that fits).
 * Entries are stored (store = 1) or deflated.  Returns malloc'd zip bytes
 * (free with free()), NULL if libzip failed. */
unsigned char *fz_xlsx_build(const uint8_t *data, size_t size, int store, size_t *len);

/* A stream over data[0..size) (fmemopen; an empty input is a stream with no
 * bytes).  NULL on failure. */
FILE *fz_stream(const uint8_t *data, size_t size);

#endif
