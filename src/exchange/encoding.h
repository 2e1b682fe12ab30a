/*
 * encoding.h - streaming decoding of input files to UTF-8.
 *
 * Thai office files come as UTF-8 (with or without a BOM) or as TIS-620 /
 * Windows-874.  With ENC_AUTO the first block decides: valid UTF-8 (or a
 * UTF-8 BOM) means UTF-8, otherwise TIS-620.  Any byte that the chosen
 * encoding cannot decode stops decoding with NAWAT_EPARSE and bad_line set to
 * the line of that byte: never mojibake in the store.
 */
#ifndef NAWAT_ENCODING_H
#define NAWAT_ENCODING_H

#include <stddef.h>

#include "../base/buf.h"

enum enc_kind { ENC_AUTO = 0, ENC_UTF8, ENC_TIS620 };

struct enc_decoder {
	enum enc_kind kind;    /* what was asked */
	enum enc_kind actual;  /* what was decided (ENC_AUTO until then) */
	int bom_seen;
	void *cd;              /* iconv_t for TIS-620 */
	unsigned char carry[4];
	size_t ncarry;
	size_t line;           /* line of the next input byte, from 1 */
	size_t bad_line;
};

/* "utf-8", "utf8", "tis-620", "tis620", "windows-874", "cp874", "auto". */
int enc_parse_name(const char *name, enum enc_kind *out);
const char *enc_name(enum enc_kind k);

void enc_init(struct enc_decoder *d, enum enc_kind kind);
void enc_release(struct enc_decoder *d);
/* Appends the UTF-8 text of in[0..n) to out.  final = no more input.
 * NAWAT_EPARSE on undecodable bytes, NAWAT_ELIMIT / NAWAT_ENOMEM from out. */
int enc_decode(struct enc_decoder *d, const unsigned char *in, size_t n, int final, struct buf *out);

/* Length of the valid UTF-8 prefix of s[0..n); *truncated = 1 when what
 * stops it is an incomplete sequence at the very end. */
size_t enc_utf8_valid(const unsigned char *s, size_t n, int *truncated);

#endif
