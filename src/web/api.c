/*
 * api.c - the JSON API, generated from the standard.
 *
 *   GET  /api/v1/datasets                      the data sets and their fields
 *   GET  /api/v1/standard                      the data package (public)
 *   GET  /api/v1/openapi.json                  this API, described (public)
 *   GET  /api/v1/{dataset}?FIELD=VALUE&limit=&cursor=   rows, keyset paging
 *   GET  /api/v1/{dataset}?since=N[&limit=&cursor=]     the change feed after N
 *   GET  /api/v1/{dataset}/{key}               one row (key parts joined by ',')
 *   DELETE /api/v1/{dataset}/{key}             delete one row
 *   POST /api/v1/{dataset}[?dry_run=1][&accept_valid=1] import CSV, JSON, NDJSON, XLSX
 *   POST /api/v1/{dataset}/deletions[?dry_run=1]  delete the rows of a file of keys
 *   /api/v1/submissions, /completeness, /students/relink: see subs.h
 *
 * Errors are {"error":{"code","message_th","message_en"}} with their status.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>
#include <sodium.h>

#include "../base/mem.h"
#include "../exchange/csvout.h"
#include "../exchange/export.h"
#include "../exchange/import.h"
#include "../standard/validate.h"
#include "app.h"
#include "eqweb.h"
#include "gov.h"
#include "subs.h"
#include "cache.h"

#define LIMIT_DEFAULT 100
#define LIMIT_MAX 1000

static void need_sign_in(struct ctx *c)
{
	api_error(c, 401, "unauthorized", "ต้องเข้าสู่ระบบหรือใช้โทเค็น (Authorization: Bearer ...)",
		  "sign in or send a token (Authorization: Bearer ...)");
}

/* ---- JSON text by hand: the hot path of the API ---- */

static void jstr(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *o;
	size_t i;

	/* room for the worst case (every byte \u00XX), then write directly */
	if (buf_reserve(b, n * 6 + 2))
		return;
	o = b->data + b->len;
	*o++ = '"';
	for (i = 0; i < n; i++) {
		unsigned char ch;

		/* eight bytes at a time while none needs escaping (no byte < 0x20,
		 * no '"', no '\\') */
		while (i + 8 <= n) {
			uint64_t w, t;

			memcpy(&w, s + i, 8);
			t = (w - 0x2020202020202020ULL) & ~w;                    /* bytes < 0x20 */
			t |= ((w ^ 0x2222222222222222ULL) - 0x0101010101010101ULL) &
			     ~(w ^ 0x2222222222222222ULL);                         /* '"' */
			t |= ((w ^ 0x5c5c5c5c5c5c5c5cULL) - 0x0101010101010101ULL) &
			     ~(w ^ 0x5c5c5c5c5c5c5c5cULL);                         /* '\\' */
			if (t & 0x8080808080808080ULL)
				break;
			memcpy(o, s + i, 8);
			o += 8;
			i += 8;
		}
		if (i >= n)
			break;
		ch = (unsigned char)s[i];

		if (ch != '"' && ch != '\\' && ch >= 0x20) {
			*o++ = (char)ch;
		} else if (ch == '"' || ch == '\\') {
			*o++ = '\\';
			*o++ = (char)ch;
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = hex[ch >> 4];
			o[5] = hex[ch & 15];
			o += 6;
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

static int row_fields_json(struct exp_values *x, const struct std_dataset *ds, const struct val_value *vals,
		       int keys_only, struct buf *b, struct nw_err *err)
{
	const struct std_field *f;
	const char *s;
	size_t i, n, nl, out = 0;
	int quoted, rc;

	if (buf_putc(b, '{'))
		return NAWAT_ENOMEM;
	for (i = 0; i < ds->nfields; i++) {
		if (keys_only && ds->fields[i].key_pos < 0)
			continue;
		if ((rc = exp_value(x, vals, (int)i, &s, &n, &quoted, err)))
			return rc;
		f = &ds->fields[i];
		nl = strlen(f->name);
		/* ,"name": then the value: field names need no escaping */
		if (buf_reserve(b, nl + 8 + (s && !quoted ? n : 0)))
			return NAWAT_ENOMEM;
		if (out++)
			b->data[b->len++] = ',';
		b->data[b->len++] = '"';
		memcpy(b->data + b->len, f->name, nl);
		b->len += nl;
		b->data[b->len++] = '"';
		b->data[b->len++] = ':';
		if (!s) {
			memcpy(b->data + b->len, "null", 4);
			b->len += 4;
		} else if (!quoted) {
			memcpy(b->data + b->len, s, n);
			b->len += n;
		}
		b->data[b->len] = '\0';
		if (s && quoted)
			jstr(b, s, n);
	}
	return buf_putc(b, '}') ? NAWAT_ENOMEM : 0;
}

static int row_json(struct exp_values *x, const struct std_dataset *ds, const struct val_value *vals,
		    struct buf *b, struct nw_err *err)
{
	return row_fields_json(x, ds, vals, 0, b, err);
}

static int key_json(struct exp_values *x, const struct std_dataset *ds, const struct val_value *vals,
		    struct buf *b, struct nw_err *err)
{
	return row_fields_json(x, ds, vals, 1, b, err);
}

/* ---- keys and cursors ---- */

/* Parses one key part (clear text) into a typed value; personal data is
 * hashed.  Strings are allocated from the request. */
static int key_value(struct ctx *c, const struct std_field *f, const char *s, size_t n,
		     struct val_value *v)
{
	int dec;

	memset(v, 0, sizeof *v);
	v->state = VAL_SET;
	v->s = arena_strndup(&c->rq->mem, s, n);
	v->n = n;
	if (!v->s)
		return NAWAT_ENOMEM;
	if (f->pii) {
		unsigned char *h = arena_alloc(&c->rq->mem, PII_HASH_LEN);

		if (!h)
			return NAWAT_ENOMEM;
		pii_hash(c->app->key, s, n, h);
		v->s = (const char *)h;
		v->n = PII_HASH_LEN;
		return 0;
	}
	if (f->type == STD_INTEGER)
		return val_parse_int(s, n, &v->i) ? NAWAT_EINVAL : 0;
	if (f->type == STD_NUMBER)
		return val_parse_number(s, n, &v->d, &dec) ? NAWAT_EINVAL : 0;
	return 0;
}

/* A cursor is the last row's key: base64url of "part\x1fpart..." where a
 * personal-data part is its hash in hex. */
static char *cursor_make(struct ctx *c, const struct std_dataset *ds, const struct val_value *vals)
{
	struct buf b;
	char num[32], *out;
	size_t k, len;

	buf_init(&b, 4096);
	for (k = 0; k < ds->nkey; k++) {
		const struct std_field *f = &ds->fields[ds->key[k]];
		const struct val_value *v = &vals[ds->key[k]];

		if (k)
			buf_putc(&b, '\x1f');
		if (f->pii) {
			char hex[2 * PII_HASH_LEN + 1];

			sodium_bin2hex(hex, sizeof hex, (const unsigned char *)v->s, v->n);
			buf_puts(&b, hex);
		} else if (f->type == STD_INTEGER) {
			snprintf(num, sizeof num, "%lld", (long long)v->i);
			buf_puts(&b, num);
		} else if (f->type == STD_NUMBER) {
			val_format_number(v->d, num, sizeof num);
			buf_puts(&b, num);
		} else {
			buf_append(&b, v->s, v->n);
		}
	}
	len = sodium_base64_ENCODED_LEN(b.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out = arena_alloc(&c->rq->mem, len);
	if (out)
		sodium_bin2base64(out, len, (const unsigned char *)buf_str(&b), b.len,
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_release(&b);
	return out;
}

static int cursor_parse(struct ctx *c, const struct std_dataset *ds, const char *cur,
			struct val_value *out)
{
	unsigned char *raw;
	size_t n, k, len = strlen(cur);
	const char *p, *end, *sep;

	raw = arena_alloc(&c->rq->mem, len + 1);
	if (!raw || sodium_base642bin(raw, len, cur, len, NULL, &n, NULL,
				      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return NAWAT_EINVAL;
	p = (const char *)raw;
	end = p + n;
	for (k = 0; k < ds->nkey; k++) {
		const struct std_field *f = &ds->fields[ds->key[k]];

		sep = memchr(p, '\x1f', (size_t)(end - p));
		if (!sep)
			sep = end;
		if (f->pii) {
			unsigned char *h = arena_alloc(&c->rq->mem, PII_HASH_LEN);
			size_t hl;

			if (!h || sodium_hex2bin(h, PII_HASH_LEN, p, (size_t)(sep - p), NULL, &hl, NULL) ||
			    hl != PII_HASH_LEN)
				return NAWAT_EINVAL;
			memset(&out[k], 0, sizeof out[k]);
			out[k].state = VAL_SET;
			out[k].s = (const char *)h;
			out[k].n = PII_HASH_LEN;
		} else if (key_value(c, f, p, (size_t)(sep - p), &out[k])) {
			return NAWAT_EINVAL;
		}
		p = sep < end ? sep + 1 : end;
	}
	return 0;
}

/* ---- GET /api/v1/{dataset} ---- */

struct list_args {
	struct ctx *c;
	const struct std_dataset *ds;
	struct store_filter filters[16];
	size_t nfilters;
	int bad;
	const char *bad_name;
};

static int list_arg(void *ctx, const char *k, const char *v)
{
	struct list_args *a = ctx;
	struct nw_err e;
	size_t len;
	char *expr;
	int f;

	if (!strcmp(k, "limit") || !strcmp(k, "cursor") || !strcmp(k, "since"))
		return 0;
	f = std_field_index(a->ds, k, strlen(k));
	if (f < 0 || a->nfilters == sizeof a->filters / sizeof a->filters[0]) {
		a->bad = 1;
		a->bad_name = k;
		return 1;
	}
	/* a researcher may not look people up by their personal data */
	if (a->ds->fields[f].pii && !auth_sees_ids(&a->c->user)) {
		a->bad = 3;
		a->bad_name = k;
		return 1;
	}
	/* the filter keeps pointing into this text: it lives with the request */
	len = strlen(k) + strlen(v) + 2;
	expr = arena_alloc(&a->c->rq->mem, len);
	if (!expr) {
		a->bad = 2;
		a->bad_name = k;
		return 1;
	}
	snprintf(expr, len, "%s=%s", k, v);
	if (exp_filter_parse(a->ds, a->c->app->key, expr, &a->c->rq->mem, &a->filters[a->nfilters], &e)) {
		a->bad = 2;
		a->bad_name = k;
	} else {
		a->nfilters++;
	}
	return a->bad;
}

/*
 * The change feed: ?since=N gives the rows changed after change number N
 * ("data") and the keys of the rows deleted since ("deleted"), up to the
 * store's latest number ("high_water_mark", the N of next time), a page at
 * a time.  A page's cursor is "MARK.PART.SEQ": the mark of the first page
 * (so that every page reads the same submissions), rows (0) or deletions
 * (1), and the last change number given.
 */
static void feed_rows(struct ctx *c, const struct std_dataset *ds, const struct store_query *base, long limit,
		      const char *since_text, const char *cur)
{
	struct store_query q = *base;
	struct store_scan *sc = NULL;
	struct exp_values *x = NULL;
	struct val_value *vals;
	struct buf *b = &c->rs->body;
	struct nw_err e;
	char *end, v[32], next[80] = "";
	long long since, upto = 0, after = 0;
	int part = 0, rc = 0, own = 0, pos;
	int64_t n = 0;

	since = strtoll(since_text, &end, 10);
	if (*end || !*since_text || since < 0) {
		api_error(c, 400, "bad_since", "since ต้องเป็นลำดับการเปลี่ยนแปลง (จำนวนเต็มตั้งแต่ 0)",
			  "since must be a change number (an integer from 0)");
		return;
	}
	if (cur && (sscanf(cur, "%lld.%d.%lld%n", &upto, &part, &after, &pos) != 3 || cur[pos] || part < 0 ||
		    part > 1 || after < 0 || upto < since)) {
		api_error(c, 400, "bad_cursor", "cursor ไม่ถูกต้อง", "bad cursor");
		return;
	}
	vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals);
	if (!vals) {
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	err_clear(&e);
	/* a replica behind the change number asked for (this client's last
	 * answer, or the first page, came from the primary) would refuse it or
	 * leave out the rows it has not got yet: the primary answers */
	if (c->st != c->primary && !c->st->in_tx && store_meta_get(c->st, "commit_seq", v, sizeof v) == 0 &&
	    strtoll(v, NULL, 10) < (cur ? upto : since))
		c->st = c->primary;
	if (!c->st->in_tx) {
		if (store_begin_read(c->st)) {
			api_error(c, 500, "store", c->st->err.th, c->st->err.en);
			return;
		}
		own = 1;
	}
	if (!cur) {
		if (store_meta_get(c->st, "commit_seq", v, sizeof v)) {
			api_error(c, 500, "store", c->st->err.th, c->st->err.en);
			goto out;
		}
		upto = strtoll(v, NULL, 10);
		if (since > upto) {
			char th[256], en[256];

			snprintf(th, sizeof th, "ลำดับการเปลี่ยนแปลง %lld ไม่มีในฐานข้อมูลนี้ (ล่าสุดคือ %lld): เริ่มใหม่จาก 0",
				 since, upto);
			snprintf(en, sizeof en, "change number %lld is not of this store (the latest is %lld): "
				 "start again from 0", since, upto);
			api_error(c, 409, "since_ahead", th, en);
			goto out;
		}
	}
	if ((rc = exp_values_open(c->st, c->app->key, ds, !auth_sees_ids(&c->user), &x, &e))) {
		api_error(c, 500, "store", e.th, e.en);
		goto out;
	}
	c->rs->status = 200;
	c->rs->content_type = "application/json; charset=utf-8";
	buf_printf(b, "{\"since\":%lld,\"high_water_mark\":%lld,\"data\":[", since, upto);
	q.changes = 1;
	q.since = since;
	q.upto = upto;
	for (; part < 2 && !next[0] && rc >= 0; part++, after = 0) {
		int64_t k = 0;

		if (part == 1)
			buf_puts(b, "],\"deleted\":[");
		if (part == 1 && since == 0)
			break; /* from the start, nothing was deleted */
		q.deleted = part;
		q.after_seq = after;
		q.limit = limit - n + 1;
		if ((rc = store_scan_open(c->st, ds, &q, &sc)))
			break;
		while ((rc = store_scan_next(sc, vals)) == 1) {
			if (n == limit) {
				/* one more: the next page starts after the last given */
				snprintf(next, sizeof next, "%lld.%d.%lld", upto, part, after);
				break;
			}
			if (k++)
				buf_putc(b, ',');
			if ((rc = part ? key_json(x, ds, vals, b, &e) : row_json(x, ds, vals, b, &e)))
				break;
			after = sc->seq;
			n++;
		}
		store_scan_close(sc);
		sc = NULL;
	}
	if (rc < 0) {
		buf_reset(b);
		api_error(c, 500, "store", "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
		goto out;
	}
	if (part == 1 && next[0])
		buf_puts(b, "],\"deleted\":["); /* the rows filled the page */
	buf_puts(b, "],\"next_cursor\":");
	if (next[0])
		jstr(b, next, strlen(next));
	else
		buf_puts(b, "null");
	buf_puts(b, "}\n");
out:
	store_scan_close(sc);
	exp_values_close(x);
	if (own)
		store_rollback(c->st);
}

static void list_rows(struct ctx *c, const struct std_dataset *ds, const char *unused)
{
	struct list_args a;
	struct store_query q = ctx_query(c);
	struct store_scan *sc = NULL;
	struct exp_values *x = NULL;
	struct val_value *vals, *after = NULL;
	const char *lim = http_query(c->rq, "limit"), *cur = http_query(c->rq, "cursor");
	struct nw_err e;
	struct buf *b = &c->rs->body;
	char *end, *next = NULL, *last = NULL;
	long limit = LIMIT_DEFAULT;
	int64_t n = 0;
	int rc;

	(void)unused;
	memset(&a, 0, sizeof a);
	a.c = c;
	a.ds = ds;
	http_query_each(c->rq, list_arg, &a);
	if (a.bad == 3) {
		api_error(c, 403, "forbidden", "นักวิจัยค้นหาด้วยข้อมูลส่วนบุคคลไม่ได้",
			  "researchers cannot search by personal data");
		return;
	}
	if (a.bad) {
		char th[256], en[256];

		snprintf(th, sizeof th, "ตัวกรอง %s ไม่ถูกต้อง", a.bad_name);
		snprintf(en, sizeof en, "bad filter %s", a.bad_name);
		api_error(c, 400, "bad_filter", th, en);
		return;
	}
	if (lim) {
		limit = strtol(lim, &end, 10);
		if (*end || limit < 1 || limit > LIMIT_MAX) {
			api_error(c, 400, "bad_limit", "limit ต้องเป็น 1 ถึง 1000", "limit must be 1 to 1000");
			return;
		}
	}
	if (http_query(c->rq, "since")) {
		q.filters = a.filters;
		q.nfilters = a.nfilters;
		feed_rows(c, ds, &q, limit, http_query(c->rq, "since"), cur);
		return;
	}
	vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals);
	if (cur) {
		after = arena_alloc(&c->rq->mem, ds->nkey * sizeof *after);
		if (!after || cursor_parse(c, ds, cur, after)) {
			api_error(c, 400, "bad_cursor", "cursor ไม่ถูกต้อง", "bad cursor");
			return;
		}
	}
	if (!vals) {
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	q.filters = a.filters;
	q.nfilters = a.nfilters;
	q.after = after;
	q.limit = limit + 1; /* one more tells whether there is a next page */
	err_clear(&e);
	if ((rc = exp_values_open(c->st, c->app->key, ds, !auth_sees_ids(&c->user), &x, &e)) ||
	    (rc = store_scan_open(c->st, ds, &q, &sc))) {
		api_error(c, 500, "store", rc == NAWAT_ESTORE ? c->st->err.th : e.th,
			  rc == NAWAT_ESTORE ? c->st->err.en : e.en);
		goto out;
	}
	c->rs->status = 200;
	c->rs->content_type = "application/json; charset=utf-8";
	buf_reserve(b, (size_t)limit * 512);
	buf_puts(b, "{\"data\":[");
	while ((rc = store_scan_next(sc, vals)) == 1) {
		if (n == limit) {
			/* there is one more: the next page starts after the last shown */
			next = last;
			break;
		}
		if (n)
			buf_putc(b, ',');
		if ((rc = row_json(x, ds, vals, b, &e)))
			break;
		if (++n == limit)
			last = cursor_make(c, ds, vals);
	}
	if (rc < 0) {
		buf_reset(b);
		api_error(c, 500, "store", "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
		goto out;
	}
	buf_puts(b, "],\"next_cursor\":");
	if (next)
		jstr(b, next, strlen(next));
	else
		buf_puts(b, "null");
	buf_puts(b, "}\n");
out:
	store_scan_close(sc);
	exp_values_close(x);
}

/* ---- GET /api/v1/{dataset}/{key} ---- */

static void get_row(struct ctx *c, const struct std_dataset *ds, const char *keytext)
{
	struct store_filter f[8];
	struct store_query q = ctx_query(c);
	struct store_scan *sc = NULL;
	struct exp_values *x = NULL;
	struct val_value *vals;
	struct nw_err e;
	const char *p = keytext, *comma;
	size_t k;
	int rc;

	if (ds->nkey > 8) {
		api_error(c, 400, "bad_key", "คีย์ไม่ถูกต้อง", "bad key");
		return;
	}
	for (k = 0; k < ds->nkey; k++)
		if (ds->fields[ds->key[k]].pii && !auth_sees_ids(&c->user)) {
			api_error(c, 403, "forbidden", "นักวิจัยค้นหาด้วยข้อมูลส่วนบุคคลไม่ได้",
				  "researchers cannot look up rows by personal data");
			return;
		}
	for (k = 0; k < ds->nkey; k++) {
		comma = strchr(p, ',');
		if ((k + 1 < ds->nkey) != (comma != NULL)) {
			char th[256], en[256];

			snprintf(th, sizeof th, "คีย์ของ %s มี %zu ส่วน คั่นด้วย ,", ds->name, ds->nkey);
			snprintf(en, sizeof en, "a %s key has %zu parts separated by ,", ds->name, ds->nkey);
			api_error(c, 400, "bad_key", th, en);
			return;
		}
		f[k].field = ds->key[k];
		if (key_value(c, &ds->fields[ds->key[k]], p, comma ? (size_t)(comma - p) : strlen(p), &f[k].value)) {
			api_error(c, 400, "bad_key", "คีย์ไม่ถูกต้อง", "bad key");
			return;
		}
		p = comma ? comma + 1 : p + strlen(p);
	}
	q.filters = f;
	q.nfilters = ds->nkey;
	q.limit = 1;
	vals = arena_alloc(&c->rq->mem, ds->nfields * sizeof *vals);
	err_clear(&e);
	if (!vals || (rc = exp_values_open(c->st, c->app->key, ds, !auth_sees_ids(&c->user), &x, &e)) ||
	    (rc = store_scan_open(c->st, ds, &q, &sc))) {
		api_error(c, 500, "store", "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
		goto out;
	}
	rc = store_scan_next(sc, vals);
	if (rc == 0) {
		api_error(c, 404, "not_found", "ไม่พบข้อมูล (หรืออยู่นอกขอบเขตสิทธิ์)",
			  "no such row (or outside your scope)");
	} else if (rc < 0 || row_json(x, ds, vals, &c->rs->body, &e)) {
		buf_reset(&c->rs->body);
		api_error(c, 500, "store", "อ่านข้อมูลไม่สำเร็จ", "cannot read the data");
	} else {
		c->rs->status = 200;
		c->rs->content_type = "application/json; charset=utf-8";
		buf_putc(&c->rs->body, '\n');
	}
out:
	store_scan_close(sc);
	exp_values_close(x);
}

/* ---- POST /api/v1/{dataset}: the import pipeline ---- */

struct rep_ctx {
	json_t *rows;
	char *cell[8];
	size_t col, row, total;
};

static void rep_field(void *s, size_t n, void *data)
{
	struct rep_ctx *r = data;

	if (r->col < 8) {
		nw_free(r->cell[r->col]);
		r->cell[r->col] = nw_strndup(s ? s : "", s ? n : 0);
	}
	r->col++;
}

static void rep_row(int ch, void *data)
{
	struct rep_ctx *r = data;
	json_t *o;
	size_t i;

	(void)ch;
	if (!r->col)
		return;
	if (r->row++ > 0 && r->col == 8) {
		r->total++;
		for (i = 0; i < 8; i++)
			if (!r->cell[i])
				goto next;
		o = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "file", r->cell[0], "row",
			      (json_int_t)strtoll(r->cell[1], NULL, 10), "column", r->cell[2], "value", r->cell[3],
			      "code", r->cell[4], "severity", r->cell[5], "message_th", r->cell[6],
			      "message_en", r->cell[7]);
		if (o && json_array_size(r->rows) < 10000)
			json_array_append_new(r->rows, o);
		else
			json_decref(o);
	}
next:
	r->col = 0;
}

json_t *api_report_json(FILE *rep, size_t *total)
{
	struct csv_parser p;
	struct rep_ctx r;
	char block[65536];
	size_t n, i;

	memset(&r, 0, sizeof r);
	r.rows = json_array();
	if (!r.rows || csv_init(&p, 0)) {
		json_decref(r.rows);
		return NULL;
	}
	rewind(rep);
	while ((n = fread(block, 1, sizeof block, rep)) > 0)
		csv_parse(&p, block, n, rep_field, rep_row, &r);
	csv_fini(&p, rep_field, rep_row, &r);
	csv_free(&p);
	for (i = 0; i < 8; i++)
		nw_free(r.cell[i]);
	*total = r.total;
	return r.rows;
}

static int flag(struct ctx *c, const char *name)
{
	const char *v = http_query(c->rq, name);

	return v && (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"));
}

static void post_rows(struct ctx *c, const struct std_dataset *ds, int remove, FILE *given)
{
	const char *ctype = http_header(c->rq, "Content-Type"), *fmt = http_query(c->rq, "format");
	struct imp_opts o;
	struct imp_file f;
	struct imp_result res;
	struct nw_err e;
	FILE *body = NULL, *rep = NULL;
	json_t *j, *report;
	size_t total = 0;
	char name[128];
	int rc;

	if (!auth_can_write(&c->user, ds)) {
		api_error(c, 403, "forbidden", "บทบาทของคุณนำเข้าชุดข้อมูลนี้ไม่ได้",
			  "your role cannot import this data set");
		return;
	}
	memset(&f, 0, sizeof f);
	f.ds = ds;
	if (given)
		f.fmt = REC_CSV;
	else if ((fmt && !strcmp(fmt, "csv")) || (!fmt && ctype && !strncasecmp(ctype, "text/csv", 8)))
		f.fmt = REC_CSV;
	else if ((fmt && (!strcmp(fmt, "json") || !strcmp(fmt, "ndjson"))) ||
		 (!fmt && ctype && (!strncasecmp(ctype, "application/json", 16) ||
				    !strncasecmp(ctype, "application/x-ndjson", 20))))
		f.fmt = REC_JSON;
	else if ((fmt && !strcmp(fmt, "xlsx")) ||
		 (!fmt && ctype && !strncasecmp(ctype, REC_XLSX_TYPE, strlen(REC_XLSX_TYPE))))
		f.fmt = REC_XLSX;
	else {
		api_error(c, 415, "unsupported_media_type",
			  "ส่งข้อมูลเป็น text/csv, application/json, application/x-ndjson หรือ XLSX (" REC_XLSX_TYPE ")",
			  "send text/csv, application/json, application/x-ndjson or XLSX (" REC_XLSX_TYPE ")");
		return;
	}
	if (given)
		body = given;
	else if (c->rq->body_file)
		body = c->rq->body_file;
	else
		body = fmemopen(c->rq->body.data ? c->rq->body.data : (char *)"", c->rq->body.len, "rb");
	rep = tmpfile();
	if (!body || !rep) {
		api_error(c, 500, "internal", "สร้างไฟล์ชั่วคราวไม่ได้", "cannot create a temporary file");
		goto out;
	}
	snprintf(name, sizeof name, "api:%s%s", ds->name, remove ? ":delete" : "");
	f.fp = body;
	f.name = name;
	memset(&o, 0, sizeof o);
	o.dry_run = flag(c, "dry_run");
	o.accept_valid = flag(c, "accept_valid");
	o.ignore_unknown = flag(c, "ignore_unknown_columns");
	o.user = c->user.name;
	o.report_fp = rep;
	o.scope = auth_scope(&c->user);
	o.no_rejected_file = 1; /* the answer's report names every rejected row */
	o.remove = remove;
	o.xlsx_max_unzipped = c->app->xlsx_max_unzipped;
	o.xlsx_max_strings = c->app->xlsx_max_strings;
	err_clear(&e);
	rc = imp_run(c->st, c->app->key, &f, 1, &o, &res, &e);
	if (rc) {
		api_error(c, rc == NAWAT_EBUSY ? 503 : 500, rc == NAWAT_EBUSY ? "busy" : "store", e.th, e.en);
		goto out;
	}
	report = api_report_json(rep, &total);
	j = remove ? json_pack("{s:s,s:b,s:b,s:b,s:{s:I,s:I,s:I,s:I},s:o*,s:o,s:I}", "dataset", ds->name,
			       "dry_run", o.dry_run, "committed", res.committed, "rolled_back", res.rolled_back,
			       "counts", "rows", (json_int_t)res.total.rows, "deleted", (json_int_t)res.total.deleted,
			       "not_found", (json_int_t)res.total.warnings, "rejected", (json_int_t)res.total.rejected,
			       "submission_id", res.sub_ids[0] ? json_integer(res.sub_ids[0]) : NULL,
			       "report", report ? report : json_array(), "report_total", (json_int_t)total)
		   : json_pack("{s:s,s:b,s:b,s:b,s:{s:I,s:I,s:I,s:I,s:I,s:I},s:o*,s:o,s:I}", "dataset", ds->name,
			       "dry_run", o.dry_run, "committed", res.committed, "rolled_back", res.rolled_back,
			       "counts", "rows", (json_int_t)res.total.rows, "inserted", (json_int_t)res.total.inserted,
			       "updated", (json_int_t)res.total.updated, "unchanged", (json_int_t)res.total.unchanged,
			       "rejected", (json_int_t)res.total.rejected, "warnings", (json_int_t)res.total.warnings,
			       "submission_id", res.sub_ids[0] ? json_integer(res.sub_ids[0]) : NULL,
			       "report", report ? report : json_array(), "report_total", (json_int_t)total);
	/* 422 when the data was refused; 200 when rows were written (with
	 * accept_valid, the rejected ones are in the report).  One row deleted
	 * by its address: 404 when there was none, 409 when others refer to it. */
	if (given && res.total.errors) {
		json_object_set_new(j, "error", json_pack("{s:s,s:s,s:s}", "code", "referenced", "message_th",
							"ลบไม่ได้ เพราะมีข้อมูลอื่นอ้างถึงแถวนี้ (ดูรายงาน)", "message_en",
							"cannot delete: other rows refer to this one (see the report)"));
		api_json(c, 409, j);
	} else if (given && !res.total.deleted) {
		json_object_set_new(j, "error", json_pack("{s:s,s:s,s:s}", "code", "not_found", "message_th",
							"ไม่พบข้อมูล (หรืออยู่นอกขอบเขตสิทธิ์)", "message_en",
							"no such row (or outside your scope)"));
		api_json(c, 404, j);
	} else
		api_json(c, res.total.errors && !res.committed ? 422 : 200, j);
	imp_result_free(&res);
out:
	if (body && body != c->rq->body_file && body != given)
		fclose(body);
	if (rep)
		fclose(rep);
}

/* ---- DELETE /api/v1/{dataset}/{key}: a deletion of one row ---- */

static void delete_row(struct ctx *c, const struct std_dataset *ds, const char *keytext)
{
	struct csvw w;
	char *text = NULL;
	size_t len = 0, k;
	const char *p = keytext, *comma;
	FILE *fp;

	for (k = 0; k < ds->nkey; k++)
		if (ds->fields[ds->key[k]].pii && !auth_sees_ids(&c->user)) {
			api_error(c, 403, "forbidden", "นักวิจัยค้นหาด้วยข้อมูลส่วนบุคคลไม่ได้",
				  "researchers cannot look up rows by personal data");
			return;
		}
	/* the key as a one-row file of keys, through the same pipeline */
	fp = open_memstream(&text, &len);
	if (!fp) {
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	csvw_init(&w, fp, 0);
	for (k = 0; k < ds->nkey; k++)
		csvw_str(&w, ds->fields[ds->key[k]].name);
	csvw_end(&w);
	for (k = 0; k < ds->nkey; k++) {
		comma = strchr(p, ',');
		if ((k + 1 < ds->nkey) != (comma != NULL)) {
			char th[256], en[256];

			fclose(fp);
			free(text);
			snprintf(th, sizeof th, "คีย์ของ %s มี %zu ส่วน คั่นด้วย ,", ds->name, ds->nkey);
			snprintf(en, sizeof en, "a %s key has %zu parts separated by ,", ds->name, ds->nkey);
			api_error(c, 400, "bad_key", th, en);
			return;
		}
		csvw_field(&w, p, comma ? (size_t)(comma - p) : strlen(p));
		p = comma ? comma + 1 : p + strlen(p);
	}
	csvw_end(&w);
	if (csvw_status(&w) || fclose(fp)) {
		free(text);
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
		return;
	}
	fp = fmemopen(text, len, "rb");
	if (fp) {
		post_rows(c, ds, 1, fp);
		fclose(fp);
	} else {
		api_error(c, 500, "internal", "หน่วยความจำไม่พอ", "out of memory");
	}
	free(text);
}

/* ---- the standard, the data sets, OpenAPI ---- */

static void get_standard(struct ctx *c)
{
	struct nw_err e;
	char *json = std_to_json(c->app->pkg, 1, &e);

	if (!json) {
		api_error(c, 500, "internal", e.th, e.en);
		return;
	}
	c->rs->status = 200;
	c->rs->content_type = "application/json; charset=utf-8";
	buf_puts(&c->rs->body, json);
	buf_putc(&c->rs->body, '\n');
	nw_free(json);
}

static json_t *fields_json(const struct std_dataset *ds)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];

		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:s*}", "name", f->name, "type",
						     std_type_name(f->type), "title_th", f->title_th, "title_en",
						     f->title_en, "required", f->required, "key", f->key_pos >= 0,
						     "code_list", f->codelist ? f->codelist->name : NULL));
	}
	return arr;
}

static void list_datasets(struct ctx *c)
{
	const struct std_package *pkg = c->app->pkg;
	json_t *arr = json_array(), *key;
	size_t i, k;

	for (i = 0; i < pkg->ndatasets; i++) {
		const struct std_dataset *ds = &pkg->datasets[i];

		key = json_array();
		for (k = 0; k < ds->nkey; k++)
			json_array_append_new(key, json_string(ds->fields[ds->key[k]].name));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o,s:o,s:b,s:s}", "name", ds->name,
						     "title_th", ds->title_th, "title_en", ds->title_en, "key",
						     key, "fields", fields_json(ds), "writable",
						     auth_can_write(&c->user, ds), "url", ds->name));
	}
	api_json(c, 200, json_pack("{s:s,s:o}", "standard_version", pkg->version, "datasets", arr));
}

static json_t *schema_of(const struct std_field *f)
{
	const char *type = f->type == STD_INTEGER ? "integer" : f->type == STD_NUMBER ? "number" : "string";
	json_t *s = json_object();
	size_t k;

	json_object_set_new(s, "type", json_pack("[s,s]", type, "null"));
	if (f->type == STD_DATE)
		json_object_set_new(s, "format", json_string("date"));
	json_object_set_new(s, "title", json_string(f->title_th));
	json_object_set_new(s, "description", json_string(f->title_en));
	if (f->codelist) {
		json_t *en = json_array();

		for (k = 0; k < f->codelist->ncodes; k++)
			json_array_append_new(en, json_string(f->codelist->codes[k].code));
		json_object_set_new(s, "x-code-list", json_string(f->codelist->name));
		json_object_set_new(s, "x-codes", en);
	}
	return s;
}

static json_t *ref_to(const char *name)
{
	char ref[128];

	snprintf(ref, sizeof ref, "#/components/schemas/%s", name);
	return json_pack("{s:s}", "$ref", ref);
}

static json_t *param(const char *name, const char *in, int required, const char *type, const char *desc)
{
	return json_pack("{s:s,s:s,s:b,s:{s:s},s:s}", "name", name, "in", in, "required", required, "schema",
			 "type", type, "description", desc);
}

static json_t *response(const char *desc, json_t *schema)
{
	json_t *r = json_pack("{s:s}", "description", desc);

	if (schema)
		json_object_set_new(r, "content", json_pack("{s:{s:o}}", "application/json", "schema", schema));
	return r;
}

/* GET /api/v1/equity and /equity/trend (docs/equity.md) */
static void openapi_equity(json_t *paths)
{
	static const char *const what[][2] = {
		{ "equity", "learner outcomes and equity gaps of a scope (docs/equity.md)" },
		{ "equity/trend", "the same for every academic year, with the change from the year before" },
	};
	char path[64];
	size_t i;

	for (i = 0; i < sizeof what / sizeof what[0]; i++) {
		json_t *params = json_array(), *responses = json_object();

		json_array_append_new(params, param("scope", "query", 0, "string",
						    "national, area:CODE, province:CODE or school:CODE "
						    "(default: the caller's scope)"));
		if (i == 0)
			json_array_append_new(params, param("academic_year", "query", 0, "integer",
							    "B.E. (default: the latest with results)"));
		json_array_append_new(params, param("term", "query", 0, "integer", "0 the whole year, 1 or 2"));
		json_array_append_new(params, param("instrument", "query", 0, "string", "code list instrument"));
		json_array_append_new(params, param("pilot", "query", 0, "string", "Y pilot schools, N the others"));
		json_array_append_new(params, param("cohort", "query", 0, "integer", "pilot cohort"));
		json_array_append_new(params, param("view", "query", 0, "string",
						    "public: small groups hidden whoever asks"));
		json_object_set_new(responses, "200", response("the metrics", NULL));
		json_object_set_new(responses, "400", response("a bad parameter", ref_to("Error")));
		json_object_set_new(responses, "403", response("a scope outside the caller's", ref_to("Error")));
		snprintf(path, sizeof path, "/api/v1/%s", what[i][0]);
		json_object_set_new(paths, path, json_pack("{s:{s:s,s:o,s:o}}", "get", "summary", what[i][1],
							   "parameters", params, "responses", responses));
	}
}

static void openapi(struct ctx *c)
{
	const struct std_package *pkg = c->app->pkg;
	json_t *paths = json_object(), *schemas = json_object(), *doc;
	size_t i, k;
	char path[128];

	for (i = 0; i < pkg->ndatasets; i++) {
		const struct std_dataset *ds = &pkg->datasets[i];
		json_t *props = json_object(), *req = json_array(), *params = json_array(), *keys = json_array();
		json_t *list, *get, *post, *one, *body, *responses;

		for (k = 0; k < ds->nfields; k++) {
			json_object_set_new(props, ds->fields[k].name, schema_of(&ds->fields[k]));
			if (ds->fields[k].required)
				json_array_append_new(req, json_string(ds->fields[k].name));
			json_array_append_new(params, param(ds->fields[k].name, "query", 0, "string",
							    "only rows with this value"));
		}
		for (k = 0; k < ds->nkey; k++)
			json_array_append_new(keys, json_string(ds->fields[ds->key[k]].name));
		json_array_append_new(params, param("limit", "query", 0, "integer", "rows per page, 1 to 1000"));
		json_array_append_new(params, param("cursor", "query", 0, "string", "next_cursor of the last page"));
		json_array_append_new(params, param("since", "query", 0, "integer",
						    "the change feed: rows changed after this change number (\"data\"), "
						    "keys deleted since (\"deleted\"), and \"high_water_mark\", the "
						    "number to give next time; 0 for everything"));
		json_object_set_new(schemas, ds->name, json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "type", "object",
								 "title", ds->title_th, "description", ds->title_en,
								 "properties", props, "required", req,
								 "x-primary-key", keys));
		list = json_pack("{s:s,s:{s:{s:s,s:o},s:{s:[s,s]}}}", "type", "object", "properties", "data",
				 "type", "array", "items", ref_to(ds->name), "next_cursor", "type", "string", "null");
		responses = json_object();
		json_object_set_new(responses, "200", response("rows in key order", list));
		json_object_set_new(responses, "default", response("error", ref_to("Error")));
		get = json_pack("{s:s,s:o,s:o}", "summary", ds->title_en, "parameters", params, "responses",
				responses);
		body = json_pack("{s:{s:{s:s}},s:{s:{s:s}},s:{s:{s:s}},s:{s:{s:s,s:s}}}", "text/csv", "schema",
				 "type", "string", "application/json", "schema", "type", "array",
				 "application/x-ndjson", "schema", "type", "string", REC_XLSX_TYPE, "schema", "type",
				 "string", "format", "binary");
		responses = json_object();
		json_object_set_new(responses, "200", response("imported: counts and the validation report", NULL));
		json_object_set_new(responses, "422", response("rejected: see the report", NULL));
		json_object_set_new(responses, "403", response("not allowed for the caller's role", ref_to("Error")));
		post = json_pack("{s:s,s:[o,o],s:{s:o},s:o}", "summary",
				 "import rows through the validation pipeline", "parameters",
				 param("dry_run", "query", 0, "boolean", "validate only"),
				 param("accept_valid", "query", 0, "boolean", "write the valid rows, reject the others"),
				 "requestBody", "content", body, "responses", responses);
		snprintf(path, sizeof path, "/api/v1/%s", ds->name);
		json_object_set_new(paths, path, json_pack("{s:o,s:o}", "get", get, "post", post));
		responses = json_object();
		json_object_set_new(responses, "200", response("the row", ref_to(ds->name)));
		json_object_set_new(responses, "404", response("no such row, or outside the caller's scope",
							       ref_to("Error")));
		one = json_pack("{s:{s:s,s:[o],s:o}}", "get", "summary", ds->title_en, "parameters",
				param("key", "path", 1, "string", "the key fields in order, separated by ','"),
				"responses", responses);
		responses = json_object();
		json_object_set_new(responses, "200", response("deleted: counts and the report", NULL));
		json_object_set_new(responses, "404", response("no such row, or outside the caller's scope",
							       ref_to("Error")));
		json_object_set_new(responses, "409", response("other rows refer to it: nothing deleted",
							       ref_to("Error")));
		json_object_set_new(one, "delete", json_pack("{s:s,s:[o],s:o}", "summary", "delete the row (audited; "
							     "the change feed gives its key as deleted)", "parameters",
							     param("key", "path", 1, "string",
								   "the key fields in order, separated by ','"),
							     "responses", responses));
		snprintf(path, sizeof path, "/api/v1/%s/{key}", ds->name);
		json_object_set_new(paths, path, one);
		responses = json_object();
		json_object_set_new(responses, "200", response("deleted: counts and the report", NULL));
		json_object_set_new(responses, "422", response("refused (a bad key, or rows referred to): "
							       "nothing deleted, see the report", NULL));
		snprintf(path, sizeof path, "/api/v1/%s/deletions", ds->name);
		json_object_set_new(paths, path, json_pack("{s:{s:s,s:[o],s:{s:{s:{s:{s:s}},s:{s:{s:s}},s:{s:{s:s}}}},s:o}}",
			"post", "summary", "delete the rows of a file of keys, all or nothing", "parameters",
			param("dry_run", "query", 0, "boolean", "check only"), "requestBody", "content", "text/csv",
			"schema", "type", "string", "application/json", "schema", "type", "array",
			"application/x-ndjson", "schema", "type", "string", "responses", responses));
	}
	openapi_equity(paths);
	json_object_set_new(schemas, "Error", json_pack("{s:s,s:{s:{s:s,s:{s:{s:s},s:{s:s},s:{s:s}}}}}",
		"type", "object", "properties", "error", "type", "object", "properties", "code", "type",
		"string", "message_th", "type", "string", "message_en", "type", "string"));
	doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:o,s:{s:o,s:{s:{s:s,s:s}}},s:[{s:[]}]}", "openapi", "3.1.0",
			"info", "title", "nawat API", "version", pkg->version, "description", pkg->title_en,
			"paths", paths, "components", "schemas", schemas, "securitySchemes", "bearer", "type",
			"http", "scheme", "bearer", "security", "bearer");
	api_json(c, doc ? 200 : 500, doc);
}

/* ---- answers kept until the store changes ---- */

/* k=v with & = % encoded, so that no two queries make the same key */
static void key_part(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '&' || *s == '=' || *s == '%' || *s == '?')
			buf_printf(b, "%%%02X", (unsigned char)*s);
		else
			buf_putc(b, *s);
	}
}

static int add_arg(void *ctx, const char *k, const char *v)
{
	struct buf *b = ctx;

	buf_putc(b, '&');
	key_part(b, k);
	buf_putc(b, '=');
	key_part(b, v);
	return 0;
}

/* Everything an answer depends on: who asks, the path and the query. */
static const char *cache_key(struct ctx *c)
{
	struct store_scope sc = auth_scope(&c->user);
	struct buf b;
	char *key;

	buf_init(&b, 8192);
	buf_printf(&b, "%c%d:%s:%d:%s?", c->st == c->primary ? 'p' : 'r', (int)sc.kind, sc.code ? sc.code : "",
		   auth_sees_ids(&c->user), c->rq->path);
	http_query_each(c->rq, add_arg, &b);
	key = b.len < 4096 ? arena_strndup(&c->rq->mem, buf_str(&b), b.len) : NULL;
	buf_release(&b);
	return key;
}

/* Runs fn(c, arg) unless a kept answer of the same key and store version
 * is there; keeps what it answers with 200. */
static void cache_around(struct ctx *c, void (*fn)(struct ctx *, void *), void *arg)
{
	const char *key = cache_key(c), *ctype = NULL;
	uint64_t version = 0;
	int have_version = store_data_version(c->st, &version) == 0;

	if (key && have_version && cache_get(key, version, &c->rs->body, &ctype)) {
		c->rs->status = 200;
		c->rs->content_type = ctype;
		return;
	}
	fn(c, arg);
	if (key && have_version && c->rs->status == 200)
		cache_put(key, version, buf_str(&c->rs->body), c->rs->body.len, c->rs->content_type);
}

struct ds_answer {
	const struct std_dataset *ds;
	const char *arg;
	void (*answer)(struct ctx *, const struct std_dataset *, const char *);
};

static void run_ds_answer(struct ctx *c, void *arg)
{
	struct ds_answer *a = arg;

	a->answer(c, a->ds, a->arg);
}

static void cached(struct ctx *c, const struct std_dataset *ds, const char *arg,
		   void (*answer)(struct ctx *, const struct std_dataset *, const char *))
{
	struct ds_answer a = { ds, arg, answer };

	cache_around(c, run_ds_answer, &a);
}

struct plain_answer {
	void (*answer)(struct ctx *);
};

static void run_plain_answer(struct ctx *c, void *arg)
{
	((struct plain_answer *)arg)->answer(c);
}

void api_cached(struct ctx *c, void (*answer)(struct ctx *))
{
	struct plain_answer a = { answer };

	cache_around(c, run_plain_answer, &a);
}

/* ---- routing ---- */

void api_route(struct ctx *c, const char *rest)
{
	const struct std_dataset *ds;
	const char *slash = strchr(rest, '/');
	const char *m = c->rq->method;
	char name[64];

	if (!strcmp(rest, "standard") && !strcmp(m, "GET")) {
		get_standard(c);
		return;
	}
	if (!strcmp(rest, "openapi.json") && !strcmp(m, "GET")) {
		openapi(c);
		return;
	}
	if (!c->signed_in) {
		need_sign_in(c);
		return;
	}
	if (!strcmp(rest, "datasets") && !strcmp(m, "GET")) {
		list_datasets(c);
		return;
	}
	if (!strcmp(rest, "compliance") && !strcmp(m, "GET")) {
		api_compliance(c);
		return;
	}
	if (!strcmp(rest, "equity") || !strcmp(rest, "equity/trend")) {
		api_equity(c, rest);
		return;
	}
	if (!strncmp(rest, "submissions", 11) && (!rest[11] || rest[11] == '/')) {
		api_submissions(c, rest + 11);
		return;
	}
	if (!strcmp(rest, "completeness")) {
		api_completeness(c);
		return;
	}
	if (!strcmp(rest, "students/relink")) {
		api_relink(c);
		return;
	}
	snprintf(name, sizeof name, "%.*s", (int)(slash ? (size_t)(slash - rest) : strlen(rest)), rest);
	ds = std_dataset(c->app->pkg, name);
	if (!ds) {
		api_error(c, 404, "not_found", "ไม่มีชุดข้อมูลหรือบริการนี้", "no such data set or endpoint");
		return;
	}
	if (!auth_can_read(&c->user, ds)) {
		api_error(c, 403, "forbidden", "ไม่มีสิทธิ์", "not allowed");
		return;
	}
	if (slash && !strcmp(slash + 1, "deletions")) {
		if (strcmp(m, "POST")) {
			api_error(c, 405, "method_not_allowed", "ใช้ POST", "use POST");
			return;
		}
		post_rows(c, ds, 1, NULL);
		return;
	}
	if (slash && slash[1]) {
		if (!strcmp(m, "DELETE"))
			delete_row(c, ds, slash + 1);
		else if (!strcmp(m, "GET"))
			cached(c, ds, slash + 1, get_row);
		else
			api_error(c, 405, "method_not_allowed", "ใช้ GET หรือ DELETE", "use GET or DELETE");
		return;
	}
	if (!strcmp(m, "GET"))
		cached(c, ds, NULL, list_rows);
	else if (!strcmp(m, "POST"))
		post_rows(c, ds, 0, NULL);
	else
		api_error(c, 405, "method_not_allowed", "ใช้ GET หรือ POST", "use GET or POST");
}
