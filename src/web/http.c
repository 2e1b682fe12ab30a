/* http.c - the libmicrohttpd server (see http.h). */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../base/mem.h"

#define MEM_BODY (1u << 20)
#define MAX_PROXIES 16

struct ip {
	int family;
	unsigned char a[16];
};

struct http_server {
	struct MHD_Daemon *d;
	http_handler handler;
	void *app;
	struct http_opts o;
	unsigned port;
	int active;
	pthread_mutex_t log_mu;
	struct ip proxies[MAX_PROXIES];
	size_t nproxies;
};

double http_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An IPv4 or IPv6 address of n characters, spaces around it ignored. */
static int ip_parse(const char *s, size_t n, struct ip *out)
{
	char t[INET6_ADDRSTRLEN];

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || n >= sizeof t)
		return -1;
	memcpy(t, s, n);
	t[n] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, t, out->a) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, t, out->a) == 1)
		out->family = AF_INET6;
	else
		return -1;
	return 0;
}

static int ip_trusted(const struct http_server *s, const struct ip *ip)
{
	size_t i;

	for (i = 0; i < s->nproxies; i++)
		if (s->proxies[i].family == ip->family && !memcmp(s->proxies[i].a, ip->a, sizeof ip->a))
			return 1;
	return 0;
}

/* The client behind trusted proxies (see http.h), or NULL to keep the peer. */
static const char *forwarded_client(struct http_server *s, struct http_req *rq, const char *xff)
{
	const char *end = xff + strlen(xff), *p;
	struct ip ip, client;
	char *out;
	int found = 0;

	while (end > xff) {
		for (p = end; p > xff && p[-1] != ','; p--)
			;
		if (ip_parse(p, (size_t)(end - p), &ip))
			break; /* not an address: believe nothing further left */
		client = ip;
		found = 1;
		if (!ip_trusted(s, &ip))
			break;
		end = p > xff ? p - 1 : xff;
	}
	if (!found || !(out = arena_alloc(&rq->mem, INET6_ADDRSTRLEN)))
		return NULL;
	return inet_ntop(client.family, client.a, out, INET6_ADDRSTRLEN);
}

const char *http_header(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *http_query(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_cookie(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

struct each_ctx {
	int (*fn)(void *ctx, const char *k, const char *v);
	void *ctx;
	int rc;
};

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	struct each_ctx *e = cls;

	(void)kind;
	e->rc = e->fn(e->ctx, k, v ? v : "");
	return e->rc ? MHD_NO : MHD_YES;
}

int http_query_each(struct http_req *rq, int (*fn)(void *ctx, const char *k, const char *v), void *ctx)
{
	struct each_ctx e = { fn, ctx, 0 };

	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, each_arg, &e);
	return e.rc;
}

const char *http_body_text(struct http_req *rq, size_t max)
{
	char *p;

	if (rq->body_len > max)
		return NULL;
	if (!rq->body_file)
		return buf_str(&rq->body);
	p = arena_alloc(&rq->mem, rq->body_len + 1);
	if (!p)
		return NULL;
	rewind(rq->body_file);
	if (fread(p, 1, rq->body_len, rq->body_file) != rq->body_len)
		return NULL;
	p[rq->body_len] = '\0';
	rewind(rq->body_file);
	return p;
}

void http_resp_header(struct http_resp *rs, const char *name, const char *value)
{
	if (rs->nheaders < (int)(sizeof rs->headers / sizeof rs->headers[0])) {
		rs->headers[rs->nheaders].name = name;
		rs->headers[rs->nheaders].value = value;
		rs->nheaders++;
	}
}

static void req_free(struct http_req *rq)
{
	if (!rq)
		return;
	buf_release(&rq->body);
	if (rq->body_file)
		fclose(rq->body_file);
	arena_release(&rq->mem);
	nw_free(rq);
}

static enum MHD_Result send_plain(struct MHD_Connection *c, struct http_req *rq, int status,
				  const char *json)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = MHD_create_response_from_buffer(strlen(json), (void *)json, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(r, "Connection", "close");
	ok = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	if (rq) {
		rq->status = status;
		rq->bytes_out = (int)strlen(json);
	}
	return ok;
}

static const char *too_big =
	"{\"error\":{\"code\":\"too_large\",\"message_th\":\"ข้อมูลที่ส่งมามีขนาดเกินที่กำหนด\","
	"\"message_en\":\"the request body is larger than allowed\"}}\n";
static const char *too_slow =
	"{\"error\":{\"code\":\"timeout\",\"message_th\":\"ส่งข้อมูลช้าเกินไป\","
	"\"message_en\":\"the request took too long to arrive\"}}\n";

struct gen_ctx {
	long (*gen)(void *cls, char *buf, size_t max);
	void *cls;
	void (*free)(void *cls);
};

static ssize_t gen_cb(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct gen_ctx *g = cls;
	long n;

	(void)pos;
	n = g->gen(g->cls, buf, max);
	if (n < 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (n == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	return (ssize_t)n;
}

static void gen_free(void *cls)
{
	struct gen_ctx *g = cls;

	if (g->free)
		g->free(g->cls);
	nw_free(g);
}

static enum MHD_Result respond(struct http_server *s, struct MHD_Connection *c, struct http_req *rq)
{
	struct http_resp rs;
	struct MHD_Response *r;
	enum MHD_Result ok;
	int i;

	memset(&rs, 0, sizeof rs);
	rs.status = 200;
	buf_init(&rs.body, (size_t)1 << 30);
	if (rq->body_file)
		rewind(rq->body_file);
	__atomic_add_fetch(&s->active, 1, __ATOMIC_RELAXED);
	s->handler(s->app, rq, &rs);
	__atomic_sub_fetch(&s->active, 1, __ATOMIC_RELAXED);
	if (rs.gen) {
		struct gen_ctx *g = nw_malloc(sizeof *g);

		if (!g) {
			if (rs.gen_free)
				rs.gen_free(rs.gen_cls);
			buf_release(&rs.body);
			return MHD_NO;
		}
		g->gen = rs.gen;
		g->cls = rs.gen_cls;
		g->free = rs.gen_free;
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, gen_cb, g, gen_free);
		rq->bytes_out = -1;
	} else {
		size_t len;
		char *body = buf_detach(&rs.body, &len);

		rq->bytes_out = (int)len;
		r = body ? MHD_create_response_from_buffer_with_free_callback(len, body, nw_free) : NULL;
		if (!r)
			nw_free(body);
	}
	buf_release(&rs.body);
	if (!r)
		return MHD_NO;
	if (rs.content_type)
		MHD_add_response_header(r, "Content-Type", rs.content_type);
	/* safe defaults on every answer */
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	for (i = 0; i < rs.nheaders; i++)
		MHD_add_response_header(r, rs.headers[i].name, rs.headers[i].value);
	ok = MHD_queue_response(c, (unsigned)rs.status, r);
	MHD_destroy_response(r);
	rq->status = rs.status; /* reused as the status for the log */
	return ok;
}

/* Whether the request's body has taken longer than a body may. */
static int body_late(const struct http_server *s, const struct http_req *rq)
{
	return s->o.body_timeout && http_now() - rq->started > s->o.body_timeout;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;
	struct http_req *rq = *con_cls;
	const char *cl;

	(void)version;
	if (!rq) {
		const union MHD_ConnectionInfo *ci;

		rq = nw_calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		rq->conn = c;
		rq->method = method;
		rq->path = url;
		rq->started = http_now();
		arena_init(&rq->mem, 8192, 0);
		buf_init(&rq->body, MEM_BODY);
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		rq->remote = "-";
		if (ci && ci->client_addr) {
			char *a = arena_alloc(&rq->mem, INET6_ADDRSTRLEN);
			struct ip peer;
			const char *xff, *client;

			memset(&peer, 0, sizeof peer);
			if (ci->client_addr->sa_family == AF_INET) {
				peer.family = AF_INET;
				memcpy(peer.a, &((struct sockaddr_in *)ci->client_addr)->sin_addr, 4);
			} else if (ci->client_addr->sa_family == AF_INET6) {
				peer.family = AF_INET6;
				memcpy(peer.a, &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr, 16);
			}
			if (a && peer.family)
				rq->remote = inet_ntop(peer.family, peer.a, a, INET6_ADDRSTRLEN);
			if (!rq->remote)
				rq->remote = "-";
			if (peer.family && ip_trusted(s, &peer) &&
			    (xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For")) &&
			    (client = forwarded_client(s, rq, xff)))
				rq->remote = client;
		}
		*con_cls = rq;
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > s->o.max_body) {
			const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");

			/* A client waiting for "100 Continue" gets the answer at
			 * once, and sends nothing.  One already sending would have
			 * its connection reset, and the answer lost, were it closed
			 * with the body unread: the body is read and dropped first,
			 * as a chunked body over the limit is. */
			if (expect && !strcasecmp(expect, "100-continue"))
				return send_plain(c, rq, 413, too_big);
			rq->refuse = 413;
		}
		return MHD_YES;
	}
	if (rq->status) {
		*upload_size = 0; /* drain what the client still sends */
		return MHD_YES;
	}
	if (rq->refuse) {
		/* over the limit or too slow: read the rest without keeping it, then
		 * answer (a response queued mid-body is lost on chunked uploads) */
		if (*upload_size) {
			*upload_size = 0;
			return body_late(s, rq) ? MHD_NO : MHD_YES;
		}
		return send_plain(c, rq, rq->refuse, rq->refuse == 413 ? too_big : too_slow);
	}
	if (*upload_size) {
		if (rq->body_len + *upload_size > s->o.max_body) {
			*upload_size = 0;
			rq->refuse = 413;
			return MHD_YES;
		}
		if (body_late(s, rq)) {
			*upload_size = 0;
			rq->refuse = 408;
			return MHD_YES;
		}
		if (!rq->body_file && rq->body_len + *upload_size > MEM_BODY) {
			/* large: spill to an unlinked temporary file */
			rq->body_file = tmpfile();
			if (!rq->body_file ||
			    fwrite(rq->body.data ? rq->body.data : "", 1, rq->body.len, rq->body_file) != rq->body.len)
				return MHD_NO;
			buf_release(&rq->body);
		}
		if (rq->body_file) {
			if (fwrite(upload, 1, *upload_size, rq->body_file) != *upload_size)
				return MHD_NO;
		} else if (buf_append(&rq->body, upload, *upload_size)) {
			return MHD_NO;
		}
		rq->body_len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->body_file)
		fflush(rq->body_file);
	return respond(s, c, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_req *rq = *con_cls;
	char ts[32];
	struct tm tm;
	time_t now;

	(void)c;
	(void)toe;
	if (!rq)
		return;
	if (s->o.access_log) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		pthread_mutex_lock(&s->log_mu);
		fprintf(s->o.access_log, "%s %s %s \"%s %s\" %d %d %.1fms\n", ts, rq->remote,
			rq->user ? rq->user : "-", rq->method, rq->path, rq->status ? rq->status : 0,
			rq->bytes_out, (http_now() - rq->started) * 1000.0);
		fflush(s->o.access_log);
		pthread_mutex_unlock(&s->log_mu);
	}
	req_free(rq);
	*con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	const char *colon = strrchr(listen, ':');
	char host[64];
	long port;
	char *end;

	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return -1;
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	if (!host[0])
		snprintf(host, sizeof host, "0.0.0.0");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

int http_start(const struct http_opts *o, http_handler h, void *app, struct http_server **out,
	       struct nw_err *err)
{
	struct http_server *s;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *di;
	const char *p, *end;

	*out = NULL;
	if (parse_listen(o->listen, &sa))
		return err_set(err, NAWAT_EINVAL, "ที่อยู่สำหรับรอรับ %s ไม่ถูกต้อง (เช่น 127.0.0.1:8080)",
			       "bad listen address %s (e.g. 127.0.0.1:8080)", o->listen);
	s = nw_calloc(1, sizeof *s);
	if (!s)
		return err_generic(err, NAWAT_ENOMEM);
	s->handler = h;
	s->app = app;
	s->o = *o;
	for (p = o->trusted_proxies; p && *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ",");
		if (s->nproxies == MAX_PROXIES || ip_parse(p, (size_t)(end - p), &s->proxies[s->nproxies++])) {
			nw_free(s);
			return err_set(err, NAWAT_EINVAL, "ที่อยู่ของพร็อกซีที่เชื่อถือ %s ไม่ถูกต้อง (ที่อยู่ IP คั่นด้วยจุลภาค ไม่เกิน %d ที่อยู่)",
				       "bad trusted proxy address %s (IP addresses separated by commas, at most %d)",
				       o->trusted_proxies, MAX_PROXIES);
		}
	}
	pthread_mutex_init(&s->log_mu, NULL);
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
					MHD_USE_ERROR_LOG,
				0, NULL, NULL, on_request, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_THREAD_POOL_SIZE, o->threads ? o->threads : 4,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->max_header ? o->max_header : (size_t)64 * 1024,
				MHD_OPTION_CONNECTION_TIMEOUT, o->idle_timeout ? o->idle_timeout : 60,
				MHD_OPTION_CONNECTION_LIMIT, 1024,
				MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_END);
	if (!s->d) {
		pthread_mutex_destroy(&s->log_mu);
		nw_free(s);
		return err_set(err, NAWAT_EIO, "เปิดพอร์ต %s ไม่ได้ (มีโปรแกรมอื่นใช้อยู่หรือไม่?)",
			       "cannot listen on %s (is it in use?)", o->listen);
	}
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : ntohs(sa.sin_port);
	*out = s;
	return 0;
}

unsigned http_port(const struct http_server *s)
{
	return s->port;
}

int http_active(const struct http_server *s)
{
	return __atomic_load_n(&s->active, __ATOMIC_RELAXED);
}

void http_stop(struct http_server *s, unsigned wait_seconds)
{
	double until;
	int fd;

	if (!s)
		return;
	/* no new connections; let the handlers that run finish their work */
	fd = MHD_quiesce_daemon(s->d);
	until = http_now() + wait_seconds;
	while (http_active(s) > 0 && http_now() < until)
		usleep(20 * 1000);
	MHD_stop_daemon(s->d);
	if (fd >= 0)
		close(fd);
	pthread_mutex_destroy(&s->log_mu);
	nw_free(s);
}
