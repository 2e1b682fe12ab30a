/* csvout.c - RFC 4180 CSV writing (see csvout.h). */
#include "csvout.h"

#include <string.h>

#include "../base/err.h"

void csvw_init(struct csvw *w, FILE *fp, int crlf)
{
	w->fp = fp;
	w->eol = crlf ? "\r\n" : "\n";
	w->nfield = 0;
	w->failed = 0;
}

void csvw_field(struct csvw *w, const char *s, size_t n)
{
	size_t i;
	int quote = 0;

	if (w->nfield++ && putc(',', w->fp) == EOF)
		w->failed = 1;
	if (!s)
		return;
	for (i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		quote = 1;
	if (!quote) {
		if (n && fwrite(s, 1, n, w->fp) != n)
			w->failed = 1;
		return;
	}
	putc('"', w->fp);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			putc('"', w->fp);
		putc(s[i], w->fp);
	}
	if (putc('"', w->fp) == EOF)
		w->failed = 1;
}

void csvw_str(struct csvw *w, const char *s)
{
	csvw_field(w, s, s ? strlen(s) : 0);
}

void csvw_int(struct csvw *w, long long v)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%lld", v);

	csvw_field(w, b, (size_t)n);
}

void csvw_end(struct csvw *w)
{
	if (fputs(w->eol, w->fp) == EOF)
		w->failed = 1;
	w->nfield = 0;
}

int csvw_status(const struct csvw *w)
{
	return w->failed || ferror(w->fp) ? NAWAT_EIO : 0;
}
