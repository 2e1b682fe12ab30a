/*
 * buf.h - growable byte buffers with a hard limit (after curl's dynbuf).
 *
 * Input-driven sizes never abort: passing the limit is NAWAT_ELIMIT, which the
 * caller turns into a clear error (HTTP 413, an import error).  The content is
 * always NUL-terminated.  Lifecycle: buf_init, ..., buf_release.
 */
#ifndef NAWAT_BUF_H
#define NAWAT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	size_t limit; /* hard limit on len */
};

#define BUF_UNLIMITED ((size_t)-1 / 2)

void buf_init(struct buf *b, size_t limit);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);               /* len = 0, keeps memory */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
int buf_reserve(struct buf *b, size_t extra);
/* Gives the caller the memory (NUL-terminated, owned by the caller, free with
 * nw_free; an allocated "" when b never grew, NULL if that allocation fails)
 * and leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);
const char *buf_str(const struct buf *b); /* "" when empty */

#endif
