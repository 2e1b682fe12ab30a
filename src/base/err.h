/*
 * err.h - the one error convention of nawat.
 *
 * Functions return 0 on success or a negative NAWAT_E* code.  The human
 * message, Thai first and English second, travels in a struct nw_err that the
 * caller owns (as sqlite3_errmsg() does for a handle).  An nw_err is plain
 * data: no allocation, safe to copy, never needs freeing.
 */
#ifndef NAWAT_ERR_H
#define NAWAT_ERR_H

#include <stddef.h>

enum {
	NAWAT_OK = 0,
	NAWAT_ENOMEM = -1,    /* allocation failed */
	NAWAT_EIO = -2,       /* file or socket I/O failed */
	NAWAT_EINVAL = -3,    /* bad argument or usage */
	NAWAT_ELIMIT = -4,    /* an input-driven size passed its hard limit */
	NAWAT_EPARSE = -5,    /* malformed input (JSON, CSV, package) */
	NAWAT_ESTORE = -6,    /* the database failed */
	NAWAT_ENOTFOUND = -7, /* no such thing */
	NAWAT_EDATA = -8,     /* data rejected by validation */
	NAWAT_ECRYPTO = -9,   /* key missing, wrong or damaged */
	NAWAT_EEXIST = -10,   /* already exists */
	NAWAT_EDENIED = -11,  /* not allowed for this caller */
	NAWAT_EBUSY = -12,    /* try again later (locked, throttled) */
	NAWAT_ECONFLICT = -13, /* concurrent change of the same thing */
	NAWAT_EREDO = -14     /* a check put off to the end failed: do it again the ordinary way */
};

#define NW_ERR_MSG 512

struct nw_err {
	int code;
	char th[NW_ERR_MSG];
	char en[NW_ERR_MSG];
};

/* Sets code and both messages (printf-style, the same arguments for each:
 * give each format the arguments in the same order).  Returns code. */
int err_set(struct nw_err *e, int code, const char *fmt_th, const char *fmt_en, ...)
	__attribute__((format(printf, 4, 5)));

/* Sets code and two literal messages (no formatting). Returns code. */
int err_msg(struct nw_err *e, int code, const char *th, const char *en);

void err_clear(struct nw_err *e);

/* The length, at most max, of the start of the UTF-8 text s that ends on a
 * character boundary: what "%.*s" may show of s without cutting a Thai
 * character in two.  err_set and err_msg cut their messages so. */
size_t err_cut(const char *s, size_t max);

/* "Thai message / English message" on one line, for stderr. */
const char *err_line(const struct nw_err *e, char *buf, size_t n);

/* A short generic name for a code ("out of memory", ...) in English. */
const char *err_name(int code);

/* Fills e from code alone with generic bilingual text, unless e already
 * carries a message for that code.  Returns code. */
int err_generic(struct nw_err *e, int code);

#endif
