/* html.c - HTML with escaping by construction (see html.h). */
#include "html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void html_textn(struct buf *b, const char *s, size_t n)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

void html_text(struct buf *b, const char *s)
{
	if (s)
		html_textn(b, s, strlen(s));
}

void html_url(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; s && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

void html_f(struct buf *b, const char *fmt, ...)
{
	const char *p = fmt, *start = fmt;
	char num[32];
	va_list ap;

	va_start(ap, fmt);
	while (*p) {
		if (*p != '%') {
			p++;
			continue;
		}
		buf_append(b, start, (size_t)(p - start));
		p++;
		if (*p == 's') {
			html_text(b, va_arg(ap, const char *));
		} else if (*p == 'R') {
			const char *raw = va_arg(ap, const char *);

			if (raw)
				buf_puts(b, raw);
		} else if (*p == 'd') {
			snprintf(num, sizeof num, "%d", va_arg(ap, int));
			buf_puts(b, num);
		} else if (p[0] == 'l' && p[1] == 'd') {
			snprintf(num, sizeof num, "%ld", va_arg(ap, long));
			buf_puts(b, num);
			p++;
		} else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
			snprintf(num, sizeof num, "%lld", va_arg(ap, long long));
			buf_puts(b, num);
			p += 2;
		} else if (p[0] == 'z' && p[1] == 'u') {
			snprintf(num, sizeof num, "%zu", va_arg(ap, size_t));
			buf_puts(b, num);
			p++;
		} else if (*p == '%') {
			buf_putc(b, '%');
		} else {
			/* an unknown conversion is a bug in a literal: show it, don't guess */
			buf_puts(b, "%?");
			if (!*p)
				break;
		}
		p++;
		start = p;
	}
	buf_append(b, start, (size_t)(p - start));
	va_end(ap);
}
