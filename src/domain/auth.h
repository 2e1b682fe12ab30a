/*
 * auth.h - users, roles and scopes, passwords, API tokens, sessions and
 * sign-in throttling.
 *
 * Roles: central (everything), area (one area's schools and learners),
 * school and teacher (one school), researcher (reads everything in its scope
 * with pseudonyms only, and no group under 5 students).  What a role may read
 * and write is decided here, once; every query takes the user's scope from
 * auth_scope().
 *
 * Passwords are argon2id (libsodium); tokens and session IDs are 32 random
 * bytes, stored only as a BLAKE2b hash.  Functions return 0 or NAWAT_E*, with
 * the message in *err.
 */
#ifndef NAWAT_AUTH_H
#define NAWAT_AUTH_H

#include <stdint.h>

#include "../base/err.h"
#include "../store/store.h"

enum role { ROLE_CENTRAL = 0, ROLE_AREA, ROLE_SCHOOL, ROLE_TEACHER, ROLE_RESEARCHER, ROLE_COUNT };

#define AUTH_NAME_MAX 64
#define AUTH_SCOPE_MAX 16
#define AUTH_TOKEN_LEN 47   /* "nwt_" + 43 base64url characters */
#define AUTH_CSRF_LEN 43
#define AUTH_PASSWORD_MIN 8
#define AUTH_SESSION_SECONDS (8 * 3600)
#define AUTH_MAX_FAILURES 5
#define AUTH_WINDOW_SECONDS (15 * 60)
#define AUTH_LOCK_SECONDS (15 * 60)

struct user {
	int64_t id;
	char name[AUTH_NAME_MAX + 1];
	enum role role;
	char scope[AUTH_SCOPE_MAX + 1]; /* area or school code; "" for central and national researchers */
	int disabled;
	int64_t wrote_at; /* when they last changed something through the web (Unix time), 0 never */
};

const char *role_name(enum role r);
const char *role_title_th(enum role r);
int role_parse(const char *s, enum role *out);

/* Whose rows the user sees. */
struct store_scope auth_scope(const struct user *u);
int auth_can_read(const struct user *u, const struct std_dataset *ds);
int auth_can_write(const struct user *u, const struct std_dataset *ds);
/* Sees real citizen IDs (everyone but researchers). */
int auth_sees_ids(const struct user *u);
/* Only aggregates of at least 5 students (researchers). */
int auth_suppresses_small_groups(const struct user *u);
int auth_is_central(const struct user *u);

/* Users (actor = who does it, for the audit log). */
int auth_user_add(struct store *st, const char *name, enum role role, const char *scope,
		  const char *password, const char *actor, struct nw_err *err);
int auth_user_passwd(struct store *st, const char *name, const char *password, const char *actor,
		     struct nw_err *err);
int auth_user_disable(struct store *st, const char *name, int disabled, const char *actor,
		      struct nw_err *err);
int auth_user_get(struct store *st, const char *name, struct user *out, struct nw_err *err);
int auth_user_list(struct store *st, int (*fn)(void *ctx, const struct user *u), void *ctx,
		   struct nw_err *err);

/* API tokens: the token is written to out once; only its hash is kept. */
int auth_token_create(struct store *st, const char *user_name, const char *label,
		      char out[AUTH_TOKEN_LEN + 1], int64_t *id, const char *actor, struct nw_err *err);
int auth_token_revoke(struct store *st, int64_t id, const char *actor, struct nw_err *err);
int auth_token_check(struct store *st, const char *token, struct user *out);

/* Sign-in: the same NAWAT_EDENIED for a wrong name or a wrong password;
 * NAWAT_EBUSY while the name or the address is locked out. */
int auth_login(struct store *st, const char *name, const char *password, const char *addr,
	       struct user *out, char session[AUTH_TOKEN_LEN + 1], char csrf[AUTH_CSRF_LEN + 1],
	       struct nw_err *err);
int auth_session_check(struct store *st, const char *session, struct user *out,
		       char csrf[AUTH_CSRF_LEN + 1]);
/* Records that the user changed something now (user->wrote_at on every
 * server that signs them in later: their reads then go to the primary). */
int auth_note_write(struct store *st, int64_t user_id, int64_t now);
int auth_logout(struct store *st, const char *session);

/* Constant-time comparison of two NUL-terminated strings. */
int auth_equal(const char *a, const char *b);
/* prefix + 43 base64url characters of 32 random bytes into out[n] */
void auth_random(const char *prefix, char *out, size_t n);

#endif
