/* encoding.c - UTF-8 / TIS-620 input decoding (see encoding.h). */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "../base/err.h"

int enc_parse_name(const char *name, enum enc_kind *out)
{
	static const struct { const char *name; enum enc_kind k; } names[] = {
		{ "auto", ENC_AUTO }, { "utf-8", ENC_UTF8 }, { "utf8", ENC_UTF8 },
		{ "tis-620", ENC_TIS620 }, { "tis620", ENC_TIS620 }, { "windows-874", ENC_TIS620 },
		{ "cp874", ENC_TIS620 }, { "windows874", ENC_TIS620 },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(name, names[i].name)) {
			*out = names[i].k;
			return 0;
		}
	return NAWAT_EINVAL;
}

const char *enc_name(enum enc_kind k)
{
	return k == ENC_UTF8 ? "utf-8" : k == ENC_TIS620 ? "tis-620" : "auto";
}

void enc_init(struct enc_decoder *d, enum enc_kind kind)
{
	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->actual = kind;
	d->line = 1;
	d->cd = (void *)(iconv_t)-1;
}

void enc_release(struct enc_decoder *d)
{
	if (d->cd != (void *)(iconv_t)-1)
		iconv_close((iconv_t)d->cd);
	d->cd = (void *)(iconv_t)-1;
}

size_t enc_utf8_valid(const unsigned char *s, size_t n, int *truncated)
{
	size_t i = 0, len, k;
	uint64_t w;
	unsigned c;

	*truncated = 0;
	while (i < n) {
		/* ASCII, eight bytes at a time */
		while (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4;
		else
			return i;
		for (k = 1; k < len; k++) {
			if (i + k >= n) {
				*truncated = 1;
				return i;
			}
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		}
		/* overlongs, surrogates, beyond U+10FFFF */
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))
			return i;
		i += len;
	}
	return n;
}

static size_t count_lines(const unsigned char *s, size_t n)
{
	const unsigned char *p = s, *end = s + n;
	size_t lines = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		lines++;
		p++;
	}
	return lines;
}

static int decode_utf8(struct enc_decoder *d, const unsigned char *in, size_t n, int final,
		       struct buf *out)
{
	unsigned char joined[8];
	size_t ok, need, take;
	int trunc, rc;

	/* finish a sequence split across blocks */
	while (d->ncarry && n) {
		need = (d->carry[0] >= 0xF0) ? 4 : (d->carry[0] >= 0xE0) ? 3 : 2;
		take = need - d->ncarry;
		if (take > n)
			take = n;
		memcpy(joined, d->carry, d->ncarry);
		memcpy(joined + d->ncarry, in, take);
		ok = enc_utf8_valid(joined, d->ncarry + take, &trunc);
		if (ok == d->ncarry + take) {
			if ((rc = buf_append(out, joined, ok)))
				return rc;
			d->ncarry = 0;
			in += take;
			n -= take;
		} else if (trunc && !final) {
			memcpy(d->carry, joined, d->ncarry + take);
			d->ncarry += take;
			return 0;
		} else {
			d->bad_line = d->line;
			return NAWAT_EPARSE;
		}
	}
	ok = enc_utf8_valid(in, n, &trunc);
	if ((rc = buf_append(out, in, ok)))
		return rc;
	d->line += count_lines(in, ok);
	if (ok == n)
		return 0;
	if (trunc && !final && n - ok < sizeof d->carry) {
		memcpy(d->carry, in + ok, n - ok);
		d->ncarry = n - ok;
		return 0;
	}
	d->bad_line = d->line;
	return NAWAT_EPARSE;
}

static int decode_tis620(struct enc_decoder *d, const unsigned char *in, size_t n,
			 struct buf *out)
{
	char *ip = (char *)in, *op;
	size_t il = n, ol, before;
	int rc;

	if (d->cd == (void *)(iconv_t)-1) {
		d->cd = (void *)iconv_open("UTF-8", "CP874");
		if (d->cd == (void *)(iconv_t)-1)
			return NAWAT_EIO;
	}
	while (il) {
		/* a TIS-620 byte is at most 3 bytes of UTF-8 */
		if ((rc = buf_reserve(out, il * 3 + 4)))
			return rc;
		op = out->data + out->len;
		ol = out->cap - out->len - 1;
		before = il;
		if (iconv((iconv_t)d->cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG) {
			out->len = (size_t)(op - out->data);
			out->data[out->len] = '\0';
			d->line += count_lines(in, (size_t)((unsigned char *)ip - in));
			d->bad_line = d->line;
			return NAWAT_EPARSE;
		}
		out->len = (size_t)(op - out->data);
		out->data[out->len] = '\0';
		if (il == before)
			return NAWAT_EIO;
	}
	d->line += count_lines(in, n);
	return 0;
}

int enc_decode(struct enc_decoder *d, const unsigned char *in, size_t n, int final, struct buf *out)
{
	int trunc;

	if (!d->bom_seen) {
		d->bom_seen = 1;
		if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
			in += 3;
			n -= 3;
			if (d->actual == ENC_AUTO)
				d->actual = ENC_UTF8;
		}
	}
	if (d->actual == ENC_AUTO) {
		size_t ok = enc_utf8_valid(in, n, &trunc), i;

		/* ASCII reads the same in both: decide on the first block that has more */
		for (i = 0; i < n && in[i] < 0x80; i++)
			;
		if (i == n && !final) {
			d->line += count_lines(in, n);
			return buf_append(out, in, n);
		}
		d->actual = (ok == n || (trunc && !final)) ? ENC_UTF8 : ENC_TIS620;
	}
	if (d->actual == ENC_UTF8)
		return decode_utf8(d, in, n, final, out);
	if (d->ncarry)
		return NAWAT_EPARSE;
	return decode_tis620(d, in, n, out);
}
