/*
 * csvout.h - writing CSV (RFC 4180): fields quoted when they need it.
 */
#ifndef NAWAT_CSVOUT_H
#define NAWAT_CSVOUT_H

#include <stddef.h>
#include <stdio.h>

struct csvw {
	FILE *fp;
	const char *eol;   /* "\n" or "\r\n" */
	int nfield;        /* fields written on the current line */
	int failed;
};

void csvw_init(struct csvw *w, FILE *fp, int crlf);
void csvw_field(struct csvw *w, const char *s, size_t n);
void csvw_str(struct csvw *w, const char *s);
void csvw_int(struct csvw *w, long long v);
void csvw_end(struct csvw *w);
/* 0, or NAWAT_EIO if any write failed. */
int csvw_status(const struct csvw *w);

#endif
