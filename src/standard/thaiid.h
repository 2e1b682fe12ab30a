/*
 * thaiid.h - Thai identifiers: the 13-digit citizen ID with its check digit,
 * and the G-code (G + 12 digits) given to students without a Thai ID.
 */
#ifndef NAWAT_THAIID_H
#define NAWAT_THAIID_H

#include <stddef.h>

/* The check digit for the first 12 digits d[0..11] ('0'..'9'):
 * (11 - sum(d[i] * (13 - i)) mod 11) mod 10. */
int thaiid_check_digit(const char *d12);
/* 1 when s[0..n) is 13 digits with a correct check digit. */
int thaiid_valid(const char *s, size_t n);
/* 1 when s[0..n) is a G-code: 'G' and 12 digits. */
int thaiid_is_gcode(const char *s, size_t n);

#endif
