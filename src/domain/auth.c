/* auth.c - users, tokens, sessions and throttling (see auth.h). */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../store/audit.h"

static const char *role_names[ROLE_COUNT] = { "central", "area", "school", "teacher", "researcher" };
static const char *role_titles[ROLE_COUNT] = {
	"สำนักงานส่วนกลาง (สบน.)", "พื้นที่นวัตกรรม", "สถานศึกษา", "ครู", "นักวิจัย"
};

const char *role_name(enum role r)
{
	return r < ROLE_COUNT ? role_names[r] : "?";
}

const char *role_title_th(enum role r)
{
	return r < ROLE_COUNT ? role_titles[r] : "?";
}

int role_parse(const char *s, enum role *out)
{
	int i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (!strcmp(s, role_names[i])) {
			*out = (enum role)i;
			return 0;
		}
	return NAWAT_EINVAL;
}

struct store_scope auth_scope(const struct user *u)
{
	struct store_scope sc = { SCOPE_NONE, NULL };

	if (!u || u->disabled)
		return sc;
	switch (u->role) {
	case ROLE_CENTRAL:
		sc.kind = SCOPE_ALL;
		break;
	case ROLE_AREA:
		sc.kind = SCOPE_AREA;
		sc.code = u->scope;
		break;
	case ROLE_SCHOOL:
	case ROLE_TEACHER:
		sc.kind = SCOPE_SCHOOL;
		sc.code = u->scope;
		break;
	case ROLE_RESEARCHER:
		sc.kind = u->scope[0] ? SCOPE_AREA : SCOPE_ALL;
		sc.code = u->scope[0] ? u->scope : NULL;
		break;
	default:
		break;
	}
	return sc;
}

int auth_can_read(const struct user *u, const struct std_dataset *ds)
{
	(void)ds;
	return u && !u->disabled;
}

/* Who may change what: the centre everything; an area its area and what is
 * in it; a school its learners; a teacher its learners' results. */
int auth_can_write(const struct user *u, const struct std_dataset *ds)
{
	size_t i;

	if (!u || u->disabled)
		return 0;
	/* a data set may name the only roles that write it (x-write-roles) */
	for (i = 0; i < ds->nwrite_roles && strcmp(ds->write_roles[i], role_name(u->role)); i++)
		;
	if (ds->nwrite_roles && i == ds->nwrite_roles)
		return 0;
	switch (u->role) {
	case ROLE_CENTRAL:
		return 1;
	case ROLE_AREA:
		return std_field_index(ds, "school_code", 11) >= 0 || std_field_index(ds, "area_code", 9) >= 0;
	case ROLE_SCHOOL:
		return std_field_index(ds, "school_code", 11) >= 0 && strcmp(ds->name, "schools");
	case ROLE_TEACHER:
		return !strcmp(ds->name, "outcomes");
	default:
		return 0;
	}
}

int auth_sees_ids(const struct user *u)
{
	return u && u->role != ROLE_RESEARCHER;
}

int auth_suppresses_small_groups(const struct user *u)
{
	return !u || u->role == ROLE_RESEARCHER;
}

int auth_is_central(const struct user *u)
{
	return u && !u->disabled && u->role == ROLE_CENTRAL;
}

int auth_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	return na == nb && sodium_memcmp(a, b, na) == 0;
}

/* ---- helpers ---- */

static void now_iso(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '_' || s[i] == '-' || s[i] == '@'))
			return 0;
	return i >= 2 && i <= AUTH_NAME_MAX;
}

void auth_random(const char *prefix, char *out, size_t n)
{
	unsigned char raw[32];
	size_t p = strlen(prefix);

	randombytes_buf(raw, sizeof raw);
	memcpy(out, prefix, p);
	sodium_bin2base64(out + p, n - p, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

static int fail_store(struct store *st, struct nw_err *err, int rc)
{
	*err = st->err;
	if (!err->code)
		err_generic(err, rc);
	return rc;
}

/* The hash of what a user row says, for the audit log. */
static void user_state_hash(const char *name, const char *role, const char *scope, int disabled,
			    char out[65])
{
	char buf[256];
	int n = snprintf(buf, sizeof buf, "%s;%s;%s;%d", name, role, scope ? scope : "", disabled);

	audit_hash_hex(buf, (size_t)n, out);
}

static int exists(struct store *st, const char *sql, const char *code, int *found)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, sql, &s)))
		return rc;
	store_bind_str(s, 1, code);
	rc = store_step(s);
	store_finalize(s);
	if (rc < 0)
		return rc;
	*found = rc == 1;
	return 0;
}

static void read_user(struct store_stmt *s, struct user *u)
{
	const char *t;

	memset(u, 0, sizeof *u);
	u->id = store_col_int(s, 0);
	snprintf(u->name, sizeof u->name, "%s", (t = store_col_text(s, 1, NULL)) ? t : "");
	if (role_parse((t = store_col_text(s, 2, NULL)) ? t : "", &u->role))
		u->disabled = 1; /* an unknown role sees nothing */
	snprintf(u->scope, sizeof u->scope, "%s", (t = store_col_text(s, 3, NULL)) ? t : "");
	u->disabled |= store_col_int(s, 4) != 0;
	u->wrote_at = store_col_null(s, 5) ? 0 : store_col_int(s, 5);
}

#define USER_COLS "id, name, role, scope, disabled, wrote_at"

/* ---- users ---- */

int auth_user_add(struct store *st, const char *name, enum role role, const char *scope,
		  const char *password, const char *actor, struct nw_err *err)
{
	char hash[crypto_pwhash_STRBYTES], at[32], state[65];
	struct store_stmt *s;
	int rc, found = 0;

	if (!name_ok(name))
		return err_set(err, NAWAT_EINVAL,
			       "ชื่อผู้ใช้ %s ไม่ถูกต้อง (ตัวอักษรภาษาอังกฤษตัวเล็ก ตัวเลข . _ - @ ยาว 2-64 ตัว)",
			       "bad user name %s (lower-case letters, digits, . _ - @, 2 to 64 long)", name);
	if (role >= ROLE_COUNT)
		return err_msg(err, NAWAT_EINVAL, "บทบาทไม่ถูกต้อง", "bad role");
	if (scope && !*scope)
		scope = NULL;
	if ((role == ROLE_AREA || role == ROLE_SCHOOL || role == ROLE_TEACHER) && !scope)
		return err_set(err, NAWAT_EINVAL, "บทบาท %s ต้องระบุขอบเขต (--scope รหัสพื้นที่หรือรหัสสถานศึกษา)",
			       "role %s needs a scope (--scope an area or school code)", role_name(role));
	if (role == ROLE_CENTRAL && scope)
		return err_msg(err, NAWAT_EINVAL, "บทบาท central ไม่มีขอบเขต", "the central role has no scope");
	if (strlen(password) < AUTH_PASSWORD_MIN)
		return err_set(err, NAWAT_EINVAL, "รหัสผ่านต้องยาวอย่างน้อย %d ตัวอักษร",
			       "the password needs at least %d characters", AUTH_PASSWORD_MIN);
	if (scope) {
		rc = role == ROLE_SCHOOL || role == ROLE_TEACHER
			     ? exists(st, "SELECT 1 FROM schools WHERE school_code = ?", scope, &found)
			     : exists(st, "SELECT 1 FROM areas WHERE area_code = ?", scope, &found);
		if (rc)
			return fail_store(st, err, rc);
		if (!found)
			return role == ROLE_SCHOOL || role == ROLE_TEACHER
				       ? err_set(err, NAWAT_EINVAL, "ไม่พบสถานศึกษารหัส %s ในระบบ",
						 "no school with code %s in the store", scope)
				       : err_set(err, NAWAT_EINVAL, "ไม่พบพื้นที่รหัส %s ในระบบ",
						 "no area with code %s in the store", scope);
	}
	if (crypto_pwhash_str(hash, password, strlen(password), 3, 32u << 20) != 0)
		return err_generic(err, NAWAT_ENOMEM);
	now_iso(at, sizeof at);
	if ((rc = store_begin(st)))
		return fail_store(st, err, rc);
	if ((rc = store_prepare(st, "INSERT INTO users (name, role, scope, password, disabled, created_at, "
				    "updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)", &s)))
		goto fail;
	store_bind_str(s, 1, name);
	store_bind_str(s, 2, role_name(role));
	store_bind_str(s, 3, scope);
	store_bind_str(s, 4, hash);
	store_bind_str(s, 5, at);
	store_bind_str(s, 6, at);
	rc = store_step(s);
	store_finalize(s);
	if (rc == NAWAT_EEXIST) {
		store_rollback(st);
		return err_set(err, NAWAT_EEXIST, "มีผู้ใช้ชื่อ %s อยู่แล้ว", "user %s already exists", name);
	}
	if (rc < 0)
		goto fail;
	user_state_hash(name, role_name(role), scope, 0, state);
	if ((rc = audit_append(st, actor, "user-add", NULL, name, role_name(role), NULL, state)) ||
	    (rc = store_commit(st)))
		goto fail;
	return 0;
fail:
	fail_store(st, err, rc);
	store_rollback(st);
	return rc;
}

static int user_update(struct store *st, const char *name, const char *sql, const char *text,
		       int64_t num, const char *action, const char *actor, struct nw_err *err)
{
	char old_state[65], new_state[65], at[32];
	struct user u;
	struct store_stmt *s;
	int rc;

	if ((rc = store_begin(st)))
		return fail_store(st, err, rc);
	if ((rc = auth_user_get(st, name, &u, err)))
		goto out;
	user_state_hash(u.name, role_name(u.role), u.scope, u.disabled, old_state);
	now_iso(at, sizeof at);
	if ((rc = store_prepare(st, sql, &s))) {
		fail_store(st, err, rc);
		goto out;
	}
	if (text)
		store_bind_str(s, 1, text);
	else
		store_bind_int(s, 1, num);
	store_bind_str(s, 2, at);
	store_bind_str(s, 3, name);
	rc = store_step(s);
	store_finalize(s);
	if (rc < 0) {
		fail_store(st, err, rc);
		goto out;
	}
	if (!text)
		u.disabled = (int)num;
	user_state_hash(u.name, role_name(u.role), u.scope, u.disabled, new_state);
	if ((rc = audit_append(st, actor, action, NULL, name, NULL, old_state, new_state)) ||
	    (rc = store_commit(st))) {
		fail_store(st, err, rc);
		goto out;
	}
	return 0;
out:
	store_rollback(st);
	return rc;
}

int auth_user_passwd(struct store *st, const char *name, const char *password, const char *actor,
		     struct nw_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;

	if (strlen(password) < AUTH_PASSWORD_MIN)
		return err_set(err, NAWAT_EINVAL, "รหัสผ่านต้องยาวอย่างน้อย %d ตัวอักษร",
			       "the password needs at least %d characters", AUTH_PASSWORD_MIN);
	if (crypto_pwhash_str(hash, password, strlen(password), 3, 32u << 20) != 0)
		return err_generic(err, NAWAT_ENOMEM);
	rc = user_update(st, name, "UPDATE users SET password = ?, updated_at = ? WHERE name = ?", hash, 0,
			 "user-password", actor, err);
	if (!rc) {
		/* a new password ends the user's sessions */
		struct store_stmt *s;

		if (!store_prepare(st, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)",
				   &s)) {
			store_bind_str(s, 1, name);
			store_step(s);
			store_finalize(s);
		}
	}
	return rc;
}

int auth_user_disable(struct store *st, const char *name, int disabled, const char *actor,
		      struct nw_err *err)
{
	int rc = user_update(st, name, "UPDATE users SET disabled = ?, updated_at = ? WHERE name = ?", NULL,
			     disabled != 0, disabled ? "user-disable" : "user-enable", actor, err);

	if (!rc && disabled) {
		struct store_stmt *s;

		if (!store_prepare(st, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)",
				   &s)) {
			store_bind_str(s, 1, name);
			store_step(s);
			store_finalize(s);
		}
	}
	return rc;
}

int auth_user_get(struct store *st, const char *name, struct user *out, struct nw_err *err)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, "SELECT " USER_COLS " FROM users WHERE name = ?", &s)))
		return fail_store(st, err, rc);
	store_bind_str(s, 1, name);
	rc = store_step(s);
	if (rc == 1)
		read_user(s, out);
	store_finalize(s);
	if (rc < 0)
		return fail_store(st, err, rc);
	if (rc == 0)
		return err_set(err, NAWAT_ENOTFOUND, "ไม่พบผู้ใช้ %s", "no user %s", name);
	return 0;
}

int auth_user_list(struct store *st, int (*fn)(void *ctx, const struct user *u), void *ctx,
		   struct nw_err *err)
{
	struct store_stmt *s;
	struct user u;
	int rc;

	if ((rc = store_prepare(st, "SELECT " USER_COLS " FROM users ORDER BY name", &s)))
		return fail_store(st, err, rc);
	while ((rc = store_step(s)) == 1) {
		read_user(s, &u);
		if ((rc = fn(ctx, &u)))
			break;
	}
	store_finalize(s);
	return rc < 0 ? fail_store(st, err, rc) : 0;
}

/* ---- tokens ---- */

int auth_token_create(struct store *st, const char *user_name, const char *label,
		      char out[AUTH_TOKEN_LEN + 1], int64_t *id, const char *actor, struct nw_err *err)
{
	unsigned char h[32];
	char at[32], item[128];
	struct user u;
	struct store_stmt *s;
	int rc;

	if ((rc = auth_user_get(st, user_name, &u, err)))
		return rc;
	if (u.disabled)
		return err_set(err, NAWAT_EINVAL, "ผู้ใช้ %s ถูกระงับ", "user %s is disabled", user_name);
	auth_random("nwt_", out, AUTH_TOKEN_LEN + 1);
	token_hash(out, h);
	now_iso(at, sizeof at);
	if ((rc = store_begin(st)))
		return fail_store(st, err, rc);
	if ((rc = store_prepare(st, "INSERT INTO tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
				&s)))
		goto fail;
	store_bind_int(s, 1, u.id);
	store_bind_str(s, 2, label && *label ? label : "api");
	store_bind_blob(s, 3, h, sizeof h);
	store_bind_str(s, 4, at);
	rc = store_step(s);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if ((rc = store_prepare(st, "SELECT id FROM tokens WHERE token_hash = ?", &s)))
		goto fail;
	store_bind_blob(s, 1, h, sizeof h);
	rc = store_step(s);
	*id = rc == 1 ? store_col_int(s, 0) : 0;
	store_finalize(s);
	if (rc < 0)
		goto fail;
	snprintf(item, sizeof item, "%s token %lld", user_name, (long long)*id);
	if ((rc = audit_append(st, actor, "token-create", NULL, item, label, NULL, NULL)) ||
	    (rc = store_commit(st)))
		goto fail;
	return 0;
fail:
	sodium_memzero(out, AUTH_TOKEN_LEN + 1);
	fail_store(st, err, rc);
	store_rollback(st);
	return rc;
}

int auth_token_revoke(struct store *st, int64_t id, const char *actor, struct nw_err *err)
{
	char at[32], item[64];
	struct store_stmt *s;
	int rc, active = 0;

	now_iso(at, sizeof at);
	if ((rc = store_begin(st)))
		return fail_store(st, err, rc);
	/* only an active token can be revoked, and only once */
	if ((rc = store_prepare(st, "SELECT count(*) FROM tokens WHERE id = ? AND revoked_at IS NULL", &s)))
		goto fail;
	store_bind_int(s, 1, id);
	if ((rc = store_step(s)) == 1)
		active = (int)store_col_int(s, 0);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	if (!active) {
		store_rollback(st);
		return err_set(err, NAWAT_ENOTFOUND, "ไม่พบโทเค็นหมายเลข %lld ที่ยังใช้งานได้",
			       "no active token %lld", (long long)id);
	}
	if ((rc = store_prepare(st, "UPDATE tokens SET revoked_at = ? WHERE id = ?", &s)))
		goto fail;
	store_bind_str(s, 1, at);
	store_bind_int(s, 2, id);
	rc = store_step(s);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	snprintf(item, sizeof item, "token %lld", (long long)id);
	if ((rc = audit_append(st, actor, "token-revoke", NULL, item, NULL, NULL, NULL)) ||
	    (rc = store_commit(st)))
		goto fail;
	return 0;
fail:
	fail_store(st, err, rc);
	store_rollback(st);
	return rc;
}

int auth_token_check(struct store *st, const char *token, struct user *out)
{
	unsigned char h[32];
	struct store_stmt *s;
	int rc;

	if (strncmp(token, "nwt_", 4) || strlen(token) != AUTH_TOKEN_LEN)
		return NAWAT_EDENIED;
	token_hash(token, h);
	if ((rc = store_prepare(st, "SELECT u.id, u.name, u.role, u.scope, u.disabled, u.wrote_at FROM tokens t "
				    "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL",
				&s)))
		return rc;
	store_bind_blob(s, 1, h, sizeof h);
	rc = store_step(s);
	if (rc == 1)
		read_user(s, out);
	store_finalize(s);
	if (rc < 0)
		return rc;
	return rc == 1 && !out->disabled ? 0 : NAWAT_EDENIED;
}

/* ---- sign-in throttling ---- */

static int throttle_locked(struct store *st, const char *key, int64_t now, int *locked)
{
	struct store_stmt *s;
	int rc;

	*locked = 0;
	if ((rc = store_prepare(st, "SELECT locked_until FROM throttle WHERE key = ?", &s)))
		return rc;
	store_bind_str(s, 1, key);
	rc = store_step(s);
	if (rc == 1)
		*locked = store_col_int(s, 0) > now;
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

static int throttle_fail(struct store *st, const char *key, int64_t now)
{
	struct store_stmt *s;
	int64_t failures = 0, start = now;
	int rc;

	if ((rc = store_prepare(st, "SELECT failures, window_start FROM throttle WHERE key = ?", &s)))
		return rc;
	store_bind_str(s, 1, key);
	if ((rc = store_step(s)) == 1 && now - store_col_int(s, 1) < AUTH_WINDOW_SECONDS) {
		failures = store_col_int(s, 0);
		start = store_col_int(s, 1);
	}
	store_finalize(s);
	if (rc < 0)
		return rc;
	failures++;
	if ((rc = store_prepare(st, "INSERT INTO throttle (key, failures, window_start, locked_until) "
				    "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
				    "window_start = excluded.window_start, locked_until = excluded.locked_until",
				&s)))
		return rc;
	store_bind_str(s, 1, key);
	store_bind_int(s, 2, failures);
	store_bind_int(s, 3, start);
	store_bind_int(s, 4, failures >= AUTH_MAX_FAILURES ? now + AUTH_LOCK_SECONDS : 0);
	rc = store_step(s);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

static int throttle_clear(struct store *st, const char *key)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, "DELETE FROM throttle WHERE key = ?", &s)))
		return rc;
	store_bind_str(s, 1, key);
	rc = store_step(s);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

/* A valid hash of nothing anyone knows: a wrong name costs the same time as
 * a wrong password. */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	if (crypto_pwhash_str(dummy, "nawat-no-such-user", 18, 3, 32u << 20) != 0)
		dummy[0] = '\0'; /* verify then fails fast; still the same answer */
}

static const char *dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_init);
	return dummy;
}

int auth_login(struct store *st, const char *name, const char *password, const char *addr,
	       struct user *out, char session[AUTH_TOKEN_LEN + 1], char csrf[AUTH_CSRF_LEN + 1],
	       struct nw_err *err)
{
	char ukey[AUTH_NAME_MAX + 8], akey[96], stored[crypto_pwhash_STRBYTES];
	unsigned char h[32];
	int64_t now = (int64_t)time(NULL);
	struct store_stmt *s;
	const char *t;
	int rc, locked_u, locked_a, found = 0, ok;

	snprintf(ukey, sizeof ukey, "u:%s", name);
	snprintf(akey, sizeof akey, "a:%s", addr ? addr : "");
	if ((rc = throttle_locked(st, ukey, now, &locked_u)) || (rc = throttle_locked(st, akey, now, &locked_a)))
		return fail_store(st, err, rc);
	if (locked_u || locked_a)
		return err_set(err, NAWAT_EBUSY,
			       "เข้าสู่ระบบผิดหลายครั้งเกินไป โปรดรอ %d นาทีแล้วลองใหม่",
			       "too many failed sign-ins; wait %d minutes and try again", AUTH_LOCK_SECONDS / 60);
	stored[0] = '\0';
	if ((rc = store_prepare(st, "SELECT " USER_COLS ", password FROM users WHERE name = ?", &s)))
		return fail_store(st, err, rc);
	store_bind_str(s, 1, name);
	if ((rc = store_step(s)) == 1) {
		read_user(s, out);
		t = store_col_text(s, 6, NULL);
		snprintf(stored, sizeof stored, "%s", t ? t : "");
		found = 1;
	}
	store_finalize(s);
	if (rc < 0)
		return fail_store(st, err, rc);
	ok = crypto_pwhash_str_verify(found ? stored : dummy_hash(), password, strlen(password)) == 0;
	if (!found || !ok || out->disabled) {
		if ((rc = store_begin(st)) || (rc = throttle_fail(st, ukey, now)) ||
		    (rc = throttle_fail(st, akey, now)) || (rc = store_commit(st))) {
			store_rollback(st);
			return fail_store(st, err, rc);
		}
		return err_msg(err, NAWAT_EDENIED, "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง",
			       "wrong user name or password");
	}
	auth_random("nws_", session, AUTH_TOKEN_LEN + 1);
	auth_random("", csrf, AUTH_CSRF_LEN + 1);
	token_hash(session, h);
	if ((rc = store_begin(st)))
		return fail_store(st, err, rc);
	if ((rc = throttle_clear(st, ukey)))
		goto fail;
	if ((rc = store_prepare(st, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, "
				    "last_seen_at) VALUES (?, ?, ?, ?, ?, ?)", &s)))
		goto fail;
	store_bind_blob(s, 1, h, sizeof h);
	store_bind_int(s, 2, out->id);
	store_bind_str(s, 3, csrf);
	store_bind_int(s, 4, now);
	store_bind_int(s, 5, now + AUTH_SESSION_SECONDS);
	store_bind_int(s, 6, now);
	rc = store_step(s);
	store_finalize(s);
	if (rc < 0)
		goto fail;
	/* expired sessions go while we are here */
	if ((rc = store_prepare(st, "DELETE FROM sessions WHERE expires_at < ?", &s)))
		goto fail;
	store_bind_int(s, 1, now);
	rc = store_step(s);
	store_finalize(s);
	if (rc < 0 || (rc = store_commit(st)))
		goto fail;
	return 0;
fail:
	fail_store(st, err, rc);
	store_rollback(st);
	sodium_memzero(session, AUTH_TOKEN_LEN + 1);
	return rc;
}

int auth_session_check(struct store *st, const char *session, struct user *out,
		       char csrf[AUTH_CSRF_LEN + 1])
{
	unsigned char h[32];
	int64_t now = (int64_t)time(NULL);
	struct store_stmt *s;
	const char *c;
	int rc;

	if (strncmp(session, "nws_", 4) || strlen(session) != AUTH_TOKEN_LEN)
		return NAWAT_EDENIED;
	token_hash(session, h);
	if ((rc = store_prepare(st, "SELECT u.id, u.name, u.role, u.scope, u.disabled, u.wrote_at, s.csrf FROM sessions s "
				    "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
				&s)))
		return rc;
	store_bind_blob(s, 1, h, sizeof h);
	store_bind_int(s, 2, now);
	rc = store_step(s);
	if (rc == 1) {
		read_user(s, out);
		c = store_col_text(s, 6, NULL);
		snprintf(csrf, AUTH_CSRF_LEN + 1, "%s", c ? c : "");
	}
	store_finalize(s);
	if (rc < 0)
		return rc;
	return rc == 1 && !out->disabled ? 0 : NAWAT_EDENIED;
}

int auth_note_write(struct store *st, int64_t user_id, int64_t now)
{
	struct store_stmt *s;
	int rc;

	if ((rc = store_prepare(st, "UPDATE users SET wrote_at = ? WHERE id = ?", &s)))
		return rc;
	store_bind_int(s, 1, now);
	store_bind_int(s, 2, user_id);
	rc = store_step(s);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}

int auth_logout(struct store *st, const char *session)
{
	unsigned char h[32];
	struct store_stmt *s;
	int rc;

	token_hash(session, h);
	if ((rc = store_prepare(st, "DELETE FROM sessions WHERE token_hash = ?", &s)))
		return rc;
	store_bind_blob(s, 1, h, sizeof h);
	rc = store_step(s);
	store_finalize(s);
	return rc < 0 ? rc : 0;
}
