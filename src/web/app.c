/* app.c - routing, sign-in, CSRF and forms (see app.h). */
#include "app.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../base/mem.h"
#include "../base/log.h"

/* ---- the store of this thread ---- */

static __thread struct store *tls_store, *tls_read;
static __thread struct app *tls_app, *tls_read_app;

static struct store *open_for_thread(struct app *a, const char *url, struct nw_err *err)
{
	struct store *st;
	struct store **n;

	if (store_open(url, a->pkg, 0, &st, err))
		return NULL;
	pthread_mutex_lock(&a->mu);
	if (a->nstores == a->capstores) {
		size_t cap = a->capstores ? a->capstores * 2 : 16;

		n = nw_realloc(a->stores, cap * sizeof *n);
		if (!n) {
			pthread_mutex_unlock(&a->mu);
			store_close(st);
			err_generic(err, NAWAT_ENOMEM);
			return NULL;
		}
		a->stores = n;
		a->capstores = cap;
	}
	a->stores[a->nstores++] = st;
	pthread_mutex_unlock(&a->mu);
	return st;
}

static struct store *thread_store(struct app *a, struct nw_err *err)
{
	if (!tls_store || tls_app != a) {
		tls_store = open_for_thread(a, a->db, err);
		tls_app = tls_store ? a : NULL;
	}
	return tls_store;
}

static struct store *thread_read_store(struct app *a, struct nw_err *err)
{
	if (!tls_read || tls_read_app != a) {
		tls_read = open_for_thread(a, a->db_read, err);
		tls_read_app = tls_read ? a : NULL;
	}
	return tls_read;
}

/*
 * Read-your-writes: a user who changed something lately reads the primary.
 * The store keeps when (users.wrote_at), so that the next request sees it
 * whichever server it reaches; sign-in reads it from the primary anyway.
 */
static int wrote_lately(const struct ctx *c)
{
	return c->signed_in && c->user.wrote_at && (int64_t)time(NULL) - c->user.wrote_at < APP_FRESH_SECONDS;
}

int app_init(struct app *a, const struct std_package *pkg, const struct pii_key *key, const char *db,
	     struct nw_err *err)
{
	(void)err;
	memset(a, 0, sizeof *a);
	a->pkg = pkg;
	a->key = key;
	a->db = db;
	a->max_body = (size_t)512 << 20;
	pthread_mutex_init(&a->mu, NULL);
	return 0;
}

void app_release(struct app *a)
{
	size_t i;

	for (i = 0; i < a->nstores; i++)
		store_close(a->stores[i]);
	nw_free(a->stores);
	a->stores = NULL;
	a->nstores = 0;
	pthread_mutex_destroy(&a->mu);
}

/* ---- answers ---- */

void api_json(struct ctx *c, int status, json_t *j)
{
	char *text;

	c->rs->status = status;
	c->rs->content_type = "application/json; charset=utf-8";
	if (!j) {
		buf_puts(&c->rs->body, "{\"error\":{\"code\":\"internal\",\"message_th\":\"หน่วยความจำไม่พอ\","
				       "\"message_en\":\"out of memory\"}}\n");
		c->rs->status = 500;
		return;
	}
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text) {
		c->rs->status = 500;
		buf_puts(&c->rs->body, "{\"error\":{\"code\":\"internal\"}}\n");
		return;
	}
	buf_puts(&c->rs->body, text);
	buf_putc(&c->rs->body, '\n');
	free(text);
}

void api_error(struct ctx *c, int status, const char *code, const char *th, const char *en)
{
	api_json(c, status, json_pack("{s:{s:s,s:s,s:s}}", "error", "code", code, "message_th", th,
				      "message_en", en));
}

void ctx_redirect(struct ctx *c, const char *location)
{
	char *loc = arena_strdup(&c->rq->mem, location);

	c->rs->status = 303;
	http_resp_header(c->rs, "Location", loc ? loc : "/");
	c->rs->content_type = "text/plain; charset=utf-8";
	buf_puts(&c->rs->body, "See Other\n");
}

struct store_query ctx_query(const struct ctx *c)
{
	struct store_query q;

	memset(&q, 0, sizeof q);
	q.scope = auth_scope(&c->user);
	return q;
}

/* ---- forms ---- */

struct field {
	char *name, *value;
	FILE *file;
	char *filename;
};

struct form {
	struct field f[64];
	size_t n;
};

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes %XX and + in place. */
static void url_decode(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static void parse_urlencoded(struct ctx *c, struct form *fm, const char *body)
{
	char *copy = arena_strdup(&c->rq->mem, body), *p, *amp, *eq;

	for (p = copy; p && *p && fm->n < 64; p = amp ? amp + 1 : NULL) {
		amp = strchr(p, '&');
		if (amp)
			*amp = '\0';
		eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		url_decode(p);
		if (eq)
			url_decode(eq + 1);
		fm->f[fm->n].name = p;
		fm->f[fm->n].value = eq ? eq + 1 : (char *)"";
		fm->n++;
	}
}

/* multipart/form-data, read from the body (memory or file) in one pass;
 * file parts are copied to temporary files, other parts kept in memory. */
struct mp {
	FILE *in;
	const char *mem;
	size_t memlen, pos;
};

static int mp_getc(struct mp *m)
{
	if (m->in)
		return getc(m->in);
	return m->pos < m->memlen ? (unsigned char)m->mem[m->pos++] : EOF;
}

static int mp_line(struct mp *m, char *buf, size_t n)
{
	size_t i = 0;
	int ch;

	while ((ch = mp_getc(m)) != EOF) {
		if (ch == '\n')
			break;
		if (i + 1 < n)
			buf[i++] = (char)ch;
	}
	if (i && buf[i - 1] == '\r')
		i--;
	buf[i] = '\0';
	return ch == EOF && i == 0 ? -1 : 0;
}

static void parse_multipart(struct ctx *c, struct form *fm, const char *ctype)
{
	const char *bp = strstr(ctype, "boundary=");
	char delim[128], line[1024], name[128], fname[256];
	struct mp m;
	struct buf val;
	size_t dl, match;
	int ch, done = 0;

	if (!bp)
		return;
	bp += 9;
	if (*bp == '"')
		bp++;
	snprintf(delim, sizeof delim, "\r\n--%.*s", (int)strcspn(bp, "\";"), bp);
	dl = strlen(delim);
	memset(&m, 0, sizeof m);
	m.in = c->rq->body_file;
	if (!m.in) {
		m.mem = buf_str(&c->rq->body);
		m.memlen = c->rq->body.len;
	}
	/* the preamble: up to the first "--boundary" line */
	while (mp_line(&m, line, sizeof line) == 0 && strcmp(line, delim + 2))
		;
	buf_init(&val, (size_t)1 << 20);
	while (!done && fm->n < 64) {
		FILE *out = NULL;

		name[0] = fname[0] = '\0';
		/* part headers */
		while (mp_line(&m, line, sizeof line) == 0 && line[0]) {
			if (!strncasecmp(line, "Content-Disposition:", 20)) {
				const char *n = strstr(line, " name=\""), *f = strstr(line, "filename=\"");

				if (n)
					snprintf(name, sizeof name, "%.*s", (int)strcspn(n + 7, "\""), n + 7);
				if (f)
					snprintf(fname, sizeof fname, "%.*s", (int)strcspn(f + 10, "\""), f + 10);
			}
		}
		if (!name[0])
			break;
		if (fname[0] && !(out = tmpfile()))
			break;
		buf_reset(&val);
		/* the content, up to CRLF--boundary (matched as bytes arrive) */
		match = 0;
		while ((ch = mp_getc(&m)) != EOF) {
			if ((char)ch == delim[match]) {
				if (++match == dl)
					break;
				continue;
			}
			if (match) {
				/* not the delimiter after all: emit what was held back */
				size_t k;

				for (k = 0; k < match; k++) {
					if (out)
						putc(delim[k], out);
					else
						buf_putc(&val, delim[k]);
				}
				match = (char)ch == delim[0] ? 1 : 0;
				if (match)
					continue;
			}
			if (out)
				putc(ch, out);
			else
				buf_putc(&val, (char)ch);
		}
		/* after the delimiter: "--" ends the form, CRLF starts a part */
		if (ch == EOF || mp_line(&m, line, sizeof line) != 0 || !strncmp(line, "--", 2))
			done = 1;
		fm->f[fm->n].name = arena_strdup(&c->rq->mem, name);
		if (out) {
			rewind(out);
			fm->f[fm->n].file = out;
			fm->f[fm->n].filename = arena_strdup(&c->rq->mem, fname);
			fm->f[fm->n].value = fm->f[fm->n].filename;
		} else {
			fm->f[fm->n].value = arena_strndup(&c->rq->mem, buf_str(&val), val.len);
		}
		if (fm->f[fm->n].name && fm->f[fm->n].value)
			fm->n++;
		else if (out)
			fclose(out);
	}
	buf_release(&val);
	if (c->rq->body_file)
		rewind(c->rq->body_file);
}

static struct form *form_of(struct ctx *c)
{
	const char *ctype;
	const char *body;

	if (c->form)
		return c->form;
	c->form = arena_alloc(&c->rq->mem, sizeof *c->form);
	if (!c->form)
		return NULL;
	memset(c->form, 0, sizeof *c->form);
	ctype = http_header(c->rq, "Content-Type");
	if (!ctype)
		return c->form;
	if (!strncasecmp(ctype, "application/x-www-form-urlencoded", 33)) {
		body = http_body_text(c->rq, (size_t)1 << 20);
		if (body)
			parse_urlencoded(c, c->form, body);
	} else if (!strncasecmp(ctype, "multipart/form-data", 19)) {
		parse_multipart(c, c->form, ctype);
	}
	return c->form;
}

const char *ctx_form(struct ctx *c, const char *name)
{
	struct form *fm = form_of(c);
	size_t i;

	for (i = 0; fm && i < fm->n; i++)
		if (!strcmp(fm->f[i].name, name))
			return fm->f[i].value;
	return NULL;
}

FILE *ctx_form_file(struct ctx *c, const char *name, const char **filename)
{
	struct form *fm = form_of(c);
	size_t i;

	for (i = 0; fm && i < fm->n; i++)
		if (!strcmp(fm->f[i].name, name) && fm->f[i].file) {
			if (filename)
				*filename = fm->f[i].filename;
			return fm->f[i].file;
		}
	return NULL;
}

static void form_release(struct ctx *c)
{
	size_t i;

	for (i = 0; c->form && i < c->form->n; i++)
		if (c->form->f[i].file)
			fclose(c->form->f[i].file);
}

/* ---- who is asking ---- */

/* 0, or the store's error when it could not tell (not a refusal). */
static int identify(struct ctx *c)
{
	const char *auth = http_header(c->rq, "Authorization");
	const char *cookie = http_cookie(c->rq, "nawat_session");
	int rc = NAWAT_EDENIED;

	if (auth && !strncasecmp(auth, "Bearer ", 7)) {
		if ((rc = auth_token_check(c->st, auth + 7, &c->user)) == 0)
			c->signed_in = 1;
	} else if (cookie && (rc = auth_session_check(c->st, cookie, &c->user, c->csrf)) == 0) {
		c->signed_in = 1;
		c->by_session = 1;
		snprintf(c->session, sizeof c->session, "%s", cookie);
	}
	return rc == NAWAT_EDENIED ? 0 : rc;
}

static int changes_state(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

static int csrf_ok(struct ctx *c)
{
	const char *t = http_header(c->rq, "X-CSRF-Token");

	if (!t) {
		const char *ct = http_header(c->rq, "Content-Type");

		if (ct && (!strncasecmp(ct, "application/x-www-form-urlencoded", 33) ||
			   !strncasecmp(ct, "multipart/form-data", 19)))
			t = ctx_form(c, "_csrf");
	}
	return t && c->csrf[0] && auth_equal(t, c->csrf);
}

/* ---- sign-in and sign-out ---- */

static void set_session_cookie(struct ctx *c, const char *value, int max_age)
{
	char *cookie = arena_alloc(&c->rq->mem, 256);

	if (!cookie)
		return;
	snprintf(cookie, 256, "nawat_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", value,
		 max_age, c->app->secure_cookies ? "; Secure" : "");
	http_resp_header(c->rs, "Set-Cookie", cookie);
}

/*
 * The sign-in form carries a token that must match a cookie set with the
 * form (double submit), so that another site cannot sign a browser in under
 * an account of its choosing.  The token goes into c->csrf, which the form
 * prints as its _csrf field.
 */
static void login_token(struct ctx *c, int fresh)
{
	const char *have = http_cookie(c->rq, "nawat_login");
	char *cookie;

	if (!fresh && have && strlen(have) == AUTH_CSRF_LEN) {
		snprintf(c->csrf, sizeof c->csrf, "%s", have);
		return;
	}
	auth_random("", c->csrf, sizeof c->csrf);
	cookie = arena_alloc(&c->rq->mem, 160);
	if (!cookie)
		return;
	snprintf(cookie, 160, "nawat_login=%s; Path=/login; HttpOnly; SameSite=Strict%s", c->csrf,
		 c->app->secure_cookies ? "; Secure" : "");
	http_resp_header(c->rs, "Set-Cookie", cookie);
}

static void do_login(struct ctx *c)
{
	const char *name = ctx_form(c, "user"), *pass = ctx_form(c, "password");
	const char *want = http_cookie(c->rq, "nawat_login"), *got = ctx_form(c, "_csrf");
	char session[AUTH_TOKEN_LEN + 1], csrf[AUTH_CSRF_LEN + 1];
	struct nw_err e;
	int rc;

	if (!want || !got || strlen(want) != AUTH_CSRF_LEN || !auth_equal(want, got)) {
		login_token(c, 1);
		page_login(c, "แบบฟอร์มหมดอายุหรือไม่ได้มาจากหน้านี้ โปรดเข้าสู่ระบบอีกครั้ง",
			   "the form expired or did not come from this page; sign in again", 403);
		return;
	}
	login_token(c, 0);
	if (!name || !pass) {
		page_login(c, "กรอกชื่อผู้ใช้และรหัสผ่าน", "enter your user name and password", 400);
		return;
	}
	err_clear(&e);
	rc = auth_login(c->st, name, pass, c->rq->remote, &c->user, session, csrf, &e);
	if (rc == NAWAT_EBUSY) {
		page_login(c, e.th, e.en, 429);
		return;
	}
	if (rc == NAWAT_EDENIED) {
		page_login(c, e.th, e.en, 401);
		return;
	}
	if (rc) {
		log_error("sign-in: %s", e.en);
		page_login(c, "ระบบขัดข้อง โปรดลองอีกครั้ง", "internal error, try again", 500);
		return;
	}
	set_session_cookie(c, session, AUTH_SESSION_SECONDS);
	c->rq->user = arena_strdup(&c->rq->mem, c->user.name);
	ctx_redirect(c, "/");
}

static void do_logout(struct ctx *c)
{
	if (c->by_session)
		auth_logout(c->st, c->session);
	set_session_cookie(c, "", 0);
	ctx_redirect(c, "/login");
}

/* ---- dispatch ---- */

void app_handle(void *appv, struct http_req *rq, struct http_resp *rs)
{
	struct app *a = appv;
	struct ctx c;
	struct nw_err e;
	const char *path = rq->path;

	memset(&c, 0, sizeof c);
	c.app = a;
	c.rq = rq;
	c.rs = rs;
	err_clear(&e);
	if (!strncmp(path, "/static/", 8)) {
		if (!static_route(&c)) {
			rs->status = 404;
			rs->content_type = "text/plain; charset=utf-8";
			buf_puts(&rs->body, "ไม่พบ / not found\n");
		}
		return;
	}
	c.st = c.primary = thread_store(a, &e);
	if (!c.st || identify(&c)) {
		/* no store, or it cannot tell who asks: not a wrong token but a 503 */
		log_error("store: %s", c.st ? c.st->err.en : e.en);
		api_error(&c, 503, "store_unavailable", "ฐานข้อมูลไม่พร้อมใช้งาน", "the store is unavailable");
		goto out;
	}
	if (c.signed_in)
		rq->user = arena_strdup(&rq->mem, c.user.name);
	/* reads go to the replica, unless this client wrote lately (cookie,
	 * header, or the store's record of the user's last write): a replica
	 * may lag behind */
	if (a->db_read && !changes_state(rq->method) && !http_cookie(rq, "nawat_fresh") &&
	    !(http_header(rq, "X-Nawat-Read") && !strcmp(http_header(rq, "X-Nawat-Read"), "primary")) &&
	    !wrote_lately(&c)) {
		struct store *rd = thread_read_store(a, &e);

		if (rd && store_ready(rd)) {
			e = rd->err;
			rd = NULL;
		}
		if (rd)
			c.st = rd;
		else
			log_warn("replica: %s (reading the primary)", e.en);
	}
	if (c.by_session && changes_state(rq->method) && strcmp(path, "/login") && !csrf_ok(&c)) {
		if (!strncmp(path, "/api/", 5))
			api_error(&c, 403, "csrf", "คำขอไม่มีโทเค็น CSRF ที่ถูกต้อง",
				  "missing or wrong CSRF token");
		else {
			rs->status = 403;
			rs->content_type = "text/plain; charset=utf-8";
			buf_puts(&rs->body, "คำขอไม่มีโทเค็น CSRF ที่ถูกต้อง / missing or wrong CSRF token\n");
		}
		goto out;
	}
	if (!strcmp(path, "/login")) {
		if (!strcmp(rq->method, "POST"))
			do_login(&c);
		else {
			login_token(&c, 0);
			page_login(&c, NULL, NULL, 200);
		}
		goto out;
	}
	if (!strcmp(path, "/logout") && !strcmp(rq->method, "POST")) {
		do_logout(&c);
		goto out;
	}
	if (!strncmp(path, "/api/", 5)) {
		if (!strncmp(path, "/api/v1/", 8))
			api_route(&c, path + 8);
		else
			api_error(&c, 404, "not_found", "ไม่พบ", "not found");
		goto out;
	}
	if (!c.signed_in) {
		ctx_redirect(&c, "/login");
		goto out;
	}
	if (!pages_route(&c)) {
		rs->status = 404;
		rs->content_type = "text/plain; charset=utf-8";
		buf_puts(&rs->body, "ไม่พบหน้านี้ / page not found\n");
	}
out:
	if (a->db_read && c.signed_in && changes_state(rq->method) && rs->status < 400) {
		/* this user's next reads come from the primary for a while */
		if (auth_note_write(c.primary, c.user.id, (int64_t)time(NULL)))
			log_warn("read-your-writes: %s", c.primary->err.en);
		if (c.by_session)
			http_resp_header(rs, "Set-Cookie", "nawat_fresh=1; Path=/; HttpOnly; SameSite=Strict; Max-Age=10");
	}
	form_release(&c);
}
