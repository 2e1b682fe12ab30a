/*
 * thai.h - Thai collation (libthai): names sort as a Thai dictionary does,
 * not by code point (leading vowels and tone marks would mislead a plain
 * byte order).
 */
#ifndef NAWAT_THAI_H
#define NAWAT_THAI_H

#include <stddef.h>

/* <0, 0, >0 like strcmp, for UTF-8 text. */
int thai_collate(const char *a, size_t na, const char *b, size_t nb);

#endif
