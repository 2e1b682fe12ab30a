/* audit.c - the hash-chained audit log (see audit.h). */
#include "audit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/buf.h"
#include "../base/sha256.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

void audit_hash_hex(const void *p, size_t n, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];
	struct sha256 h;
	int i;

	if (sha256_init(&h)) {
		out[0] = '\0';
		return;
	}
	sha256_update(&h, p, n);
	sha256_final(&h, d);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

/* Each field with its length, so that no two entries hash the same.  A
 * hash of part of the text would be wrong for good: NAWAT_ENOMEM instead. */
static int entry_hash(const char *prev, const struct audit_entry *e, char out[65])
{
	const char *f[9] = { prev, e->at, e->user_name, e->action, e->dataset, e->item, e->detail,
			     e->old_hash, e->new_hash };
	struct buf b;
	int i, rc = 0;

	buf_init(&b, 1 << 20);
	for (i = 0; i < 9 && !rc; i++)
		rc = buf_printf(&b, "%zu:%s;", f[i] ? strlen(f[i]) : 0, f[i] ? f[i] : "");
	if (!rc)
		audit_hash_hex(buf_str(&b), b.len, out);
	buf_release(&b);
	return rc;
}

static int last_hash(struct store *st, char out[65])
{
	struct store_stmt *s;
	const char *h;
	int rc;

	if ((rc = store_prepare(st, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", &s)))
		return rc;
	rc = store_step(s);
	if (rc == 1) {
		h = store_col_text(s, 0, NULL);
		snprintf(out, 65, "%s", h ? h : GENESIS);
		rc = 0;
	} else if (rc == 0) {
		snprintf(out, 65, "%s", GENESIS);
	}
	store_finalize(s);
	return rc;
}

int audit_append(struct store *st, const char *user_name, const char *action, const char *dataset,
		 const char *item, const char *detail, const char *old_hash, const char *new_hash)
{
	struct audit_entry e;
	struct store_stmt *s;
	char prev[65], hash[65], at[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc;

	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	memset(&e, 0, sizeof e);
	e.at = at;
	e.user_name = user_name ? user_name : "";
	e.action = action;
	e.dataset = dataset;
	e.item = item;
	e.detail = detail;
	e.old_hash = old_hash;
	e.new_hash = new_hash;
	/* one append at a time, or two would chain to the same entry */
	if ((rc = store_lock(st, "nawat-audit")) || (rc = last_hash(st, prev)))
		return rc;
	if ((rc = entry_hash(prev, &e, hash)))
		return err_generic(&st->err, rc);
	if ((rc = store_prepare(st, "INSERT INTO audit (at, user_name, action, dataset, item, detail, "
				    "old_hash, new_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				&s)))
		return rc;
	store_bind_str(s, 1, e.at);
	store_bind_str(s, 2, e.user_name);
	store_bind_str(s, 3, e.action);
	store_bind_str(s, 4, e.dataset);
	store_bind_str(s, 5, e.item);
	store_bind_str(s, 6, e.detail);
	store_bind_str(s, 7, e.old_hash);
	store_bind_str(s, 8, e.new_hash);
	store_bind_str(s, 9, prev);
	store_bind_str(s, 10, hash);
	rc = store_step(s);
	store_finalize(s);
	if (rc < 0)
		return rc;
	/* where the chain ends, so that cutting its newest entries shows */
	return store_meta_set(st, "audit_head", hash);
}

static void read_entry(struct store_stmt *s, struct audit_entry *e)
{
	e->id = store_col_int(s, 0);
	e->at = store_col_text(s, 1, NULL);
	e->user_name = store_col_text(s, 2, NULL);
	e->action = store_col_text(s, 3, NULL);
	e->dataset = store_col_text(s, 4, NULL);
	e->item = store_col_text(s, 5, NULL);
	e->detail = store_col_text(s, 6, NULL);
	e->old_hash = store_col_text(s, 7, NULL);
	e->new_hash = store_col_text(s, 8, NULL);
}

#define COLS "id, at, user_name, action, dataset, item, detail, old_hash, new_hash"

int audit_verify(struct store *st, int64_t *checked, int64_t *bad_id)
{
	struct store_stmt *s;
	struct audit_entry e;
	char prev[65] = GENESIS, hash[65];
	const char *stored_prev, *stored_hash;
	int rc;

	*checked = 0;
	*bad_id = 0;
	if ((rc = store_prepare(st, "SELECT " COLS ", prev_hash, hash FROM audit ORDER BY id", &s)))
		return rc;
	while ((rc = store_step(s)) == 1) {
		read_entry(s, &e);
		stored_prev = store_col_text(s, 9, NULL);
		stored_hash = store_col_text(s, 10, NULL);
		if ((rc = entry_hash(prev, &e, hash))) {
			store_finalize(s);
			return err_generic(&st->err, rc);
		}
		if (!stored_prev || !stored_hash || strcmp(stored_prev, prev) || strcmp(stored_hash, hash)) {
			*bad_id = e.id;
			store_finalize(s);
			return err_set(&st->err, NAWAT_EDATA,
				       "บันทึกการตรวจสอบถูกแก้ไขหรือขาดหาย ตั้งแต่รายการที่ %lld",
				       "the audit log was changed or cut, from entry %lld", (long long)e.id);
		}
		snprintf(prev, sizeof prev, "%s", hash);
		(*checked)++;
	}
	store_finalize(s);
	if (rc < 0)
		return rc;
	{
		char head[80];

		rc = store_meta_get(st, "audit_head", head, sizeof head);
		if (rc == NAWAT_ENOTFOUND)
			head[0] = '\0', rc = 0;
		if (rc)
			return rc;
		if ((*checked || head[0]) && strcmp(head, *checked ? prev : "")) {
			*bad_id = -1;
			return err_set(&st->err, NAWAT_EDATA,
				       "บันทึกการตรวจสอบถูกตัดท้าย: รายการล่าสุด %lld รายการไม่ใช่ปลายของสาย",
				       "the audit log was cut: its last of %lld entries is not the end of the chain",
				       (long long)*checked);
		}
	}
	return 0;
}

int audit_list(struct store *st, int64_t limit, int64_t before_id,
	       int (*fn)(void *ctx, const struct audit_entry *e), void *ctx)
{
	struct store_stmt *s;
	struct audit_entry e;
	int rc;

	if ((rc = store_prepare(st, "SELECT " COLS " FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?", &s)))
		return rc;
	store_bind_int(s, 1, before_id > 0 ? before_id : INT64_MAX);
	store_bind_int(s, 2, limit > 0 ? limit : INT64_MAX);
	while ((rc = store_step(s)) == 1) {
		read_entry(s, &e);
		if ((rc = fn(ctx, &e)))
			break;
	}
	store_finalize(s);
	return rc < 0 ? rc : 0;
}
