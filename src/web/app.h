/*
 * app.h - the web application: routing, sign-in, scope and CSRF checks in
 * one place, and what handlers share.
 *
 * Every request gets a struct ctx with the caller (from a session cookie or
 * a bearer token) already checked.  Handlers read data only through
 * ctx_query() / auth_scope(&c->user), so a caller never sees rows outside
 * their scope.  State-changing requests made with a session cookie carry the
 * CSRF token (form field _csrf or header X-CSRF-Token); app.c refuses them
 * otherwise before any handler runs.
 */
#ifndef NAWAT_APP_H
#define NAWAT_APP_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "../domain/auth.h"
#include "../standard/pii.h"
#include "../standard/std.h"
#include "../store/store.h"
#include "http.h"

#define APP_FRESH_SECONDS 10

struct app {
	const struct std_package *pkg;
	const struct pii_key *key;
	const char *db;
	const char *db_read;      /* a read replica, or NULL */
	int secure_cookies;
	size_t max_body;
	uint64_t xlsx_max_unzipped, xlsx_max_strings; /* XLSX uploads; 0 = the defaults */
	/* one store connection per server thread, closed at the end */
	pthread_mutex_t mu;
	struct store **stores;
	size_t nstores, capstores;
};

struct ctx {
	struct app *app;
	struct http_req *rq;
	struct http_resp *rs;
	struct store *st;         /* where this request reads (a replica for most GETs) */
	struct store *primary;    /* where it writes */
	struct user user;
	int signed_in;
	int by_session;           /* signed in with the cookie, not a token */
	char csrf[AUTH_CSRF_LEN + 1];
	char session[AUTH_TOKEN_LEN + 1];
	const char *param[4];     /* the route's {parameters} */
	/* form fields of a POST (urlencoded or multipart) */
	struct form *form;
};

int app_init(struct app *a, const struct std_package *pkg, const struct pii_key *key, const char *db,
	     struct nw_err *err);
void app_release(struct app *a);
void app_handle(void *app, struct http_req *rq, struct http_resp *rs);

/* ---- for handlers ---- */

/* JSON answers; api_json takes the reference to j. */
void api_json(struct ctx *c, int status, json_t *j);
void api_error(struct ctx *c, int status, const char *code, const char *th, const char *en);

/* The validation report CSV in rep (rewound here) as a JSON array of issue
 * objects (the first 10,000); *total counts them all.  NULL when out of
 * memory. */
json_t *api_report_json(FILE *rep, size_t *total);

/* A GET answer kept until the store changes (keyed by the caller's scope,
 * the path and the query), made by answer when there is none. */
void api_cached(struct ctx *c, void (*answer)(struct ctx *));

/* A query scoped to the caller. */
struct store_query ctx_query(const struct ctx *c);

/* Form fields (application/x-www-form-urlencoded or multipart/form-data);
 * NULL when absent.  An uploaded file is a stream: ctx_form_file. */
const char *ctx_form(struct ctx *c, const char *name);
FILE *ctx_form_file(struct ctx *c, const char *name, const char **filename);

/* Redirect (303) for forms. */
void ctx_redirect(struct ctx *c, const char *location);

/* Answers handled elsewhere: api.c and pages.c. */
void api_route(struct ctx *c, const char *rest);
int pages_route(struct ctx *c);
/* The sign-in page and form (pages.c), reachable signed out. */
void page_login(struct ctx *c, const char *message_th, const char *message_en, int status);

/* The fixed files under /static/ (CSS, images). */
int static_route(struct ctx *c);

#endif
