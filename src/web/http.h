/*
 * http.h - the HTTP server: libmicrohttpd with a thread pool, limits on
 * header and body size and on time, an access log, and a graceful stop.
 *
 * The application gives one handler; it runs once per request, in one of
 * the pool's threads, after the whole body has arrived (bodies over 1 MiB go
 * to an unlinked temporary file).  Oversized bodies get 413 and slow ones 408
 * before the handler is called.
 *
 * Behind a reverse proxy every connection comes from the proxy.  With
 * trusted_proxies, a request from one of those addresses is taken to come
 * from the rightmost address of its X-Forwarded-For that is not a trusted
 * proxy (each proxy appends the address it heard from; what stands left of
 * that was written by the client and is never believed).  That address is
 * rq->remote: sign-in throttling and the access log see the real client.
 */
#ifndef NAWAT_HTTP_H
#define NAWAT_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/err.h"

struct http_req {
	void *conn;               /* struct MHD_Connection * */
	const char *method;
	const char *path;         /* decoded, without the query */
	const char *remote;       /* the client's address */
	struct arena mem;         /* freed with the request */
	struct buf body;          /* the body, when it fits in memory ... */
	FILE *body_file;          /* ... or here (rewound) */
	size_t body_len;
	double started;           /* seconds, monotonic */
	/* set by the application, for the access log */
	const char *user;
	/* internal */
	int status;               /* the answer's status, once sent */
	int refuse;               /* 413 or 408, answered when the body has been read */
	int bytes_out;
};

struct http_header {
	const char *name, *value;
};

struct http_resp {
	int status;
	const char *content_type;
	struct buf body;
	struct http_header headers[12];
	int nheaders;
	/* or a body made on the fly (large downloads): the generator writes up to
	 * max bytes at buf and returns the count, 0 at the end, -1 on failure */
	long (*gen)(void *cls, char *buf, size_t max);
	void *gen_cls;
	void (*gen_free)(void *cls);
};

typedef void (*http_handler)(void *app, struct http_req *rq, struct http_resp *rs);

struct http_opts {
	const char *listen;       /* "127.0.0.1:8080" */
	unsigned threads;         /* pool size */
	size_t max_body;          /* bytes */
	size_t max_header;        /* bytes of request line and headers */
	unsigned idle_timeout;    /* seconds a connection may stay silent */
	unsigned body_timeout;    /* seconds a body may take to arrive */
	FILE *access_log;         /* NULL = none */
	/* addresses of reverse proxies (comma-separated, NULL = none): behind
	 * them, the client's address is taken from X-Forwarded-For */
	const char *trusted_proxies;
};

struct http_server;

int http_start(const struct http_opts *o, http_handler h, void *app, struct http_server **out,
	       struct nw_err *err);
/* The port actually bound (for listen "...:0"). */
unsigned http_port(const struct http_server *s);
/* Stops accepting, lets requests in flight finish (up to wait_seconds), stops. */
void http_stop(struct http_server *s, unsigned wait_seconds);
/* Requests being handled now. */
int http_active(const struct http_server *s);

const char *http_header(struct http_req *rq, const char *name);
const char *http_query(struct http_req *rq, const char *name);
/* Calls fn for every query argument, in order; stops when fn returns non-zero. */
int http_query_each(struct http_req *rq, int (*fn)(void *ctx, const char *k, const char *v), void *ctx);
const char *http_cookie(struct http_req *rq, const char *name);
/* The whole body as one NUL-terminated string (reads a spilled body back);
 * NULL when it is larger than max. */
const char *http_body_text(struct http_req *rq, size_t max);

void http_resp_header(struct http_resp *rs, const char *name, const char *value);

double http_now(void);

#endif
