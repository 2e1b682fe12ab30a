/* thai.c - Thai collation through libthai (see thai.h). */
#include "thai.h"

#include <string.h>
#include <thai/thcoll.h>
#include <thai/thwchar.h>

/* UTF-8 to TIS-620 for libthai; characters outside TIS-620 become '~' so
 * that they still sort, after the Thai and Latin letters. */
static size_t to_tis(const char *s, size_t n, thchar_t *out, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < n && o + 1 < cap) {
		unsigned char c = (unsigned char)s[i];
		thwchar_t wc;
		size_t len;

		if (c < 0x80) {
			wc = c;
			len = 1;
		} else if ((c & 0xE0) == 0xC0 && i + 1 < n) {
			wc = ((thwchar_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
			len = 2;
		} else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
			wc = ((thwchar_t)(c & 0x0F) << 12) | ((thwchar_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
			len = 3;
		} else {
			wc = '~';
			len = (c & 0xF8) == 0xF0 ? 4 : 1;
		}
		c = th_uni2tis(wc);
		out[o++] = c && c != THCHAR_ERR ? c : '~';
		i += len;
	}
	out[o] = '\0';
	return o;
}

int thai_collate(const char *a, size_t na, const char *b, size_t nb)
{
	thchar_t ta[512], tb[512];

	to_tis(a, na, ta, sizeof ta);
	to_tis(b, nb, tb, sizeof tb);
	return th_strcoll(ta, tb);
}
