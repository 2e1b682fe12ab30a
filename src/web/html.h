/*
 * html.h - building HTML with escaping by construction.
 *
 * html_f() takes a format that is trusted markup (a literal in the code) and
 * escapes every %s argument for HTML text and attribute values.  Only %R
 * inserts a string unescaped, for markup built by this module itself.
 *
 *   %s  escaped string          %d %ld %lld %zu  numbers
 *   %R  raw, already-safe HTML  %%  a percent sign
 */
#ifndef NAWAT_HTML_H
#define NAWAT_HTML_H

#include <stddef.h>

#include "../base/buf.h"

void html_f(struct buf *b, const char *fmt, ...);
/* Escaped text. */
void html_text(struct buf *b, const char *s);
void html_textn(struct buf *b, const char *s, size_t n);
/* Escapes s[0..n) into out (which it appends to); for URLs in attributes
 * use html_url. */
void html_url(struct buf *b, const char *s);

#endif
