/*
 * store_pg.c - the PostgreSQL backend of the store (see store.h), on libpq.
 *
 * The same tables and migrations as SQLite, from the same generated SQL
 * (schema.c, dialect schema_pg).  What differs is how rows travel:
 *   - imports COPY the new rows of each batch straight into the table, sent
 *     as they are made (a first load into an empty table that no other
 *     refers to drops its indexes and builds them after the last row:
 *     defer_indexes, STORE_REDO); rows that meet a stored key go into a temporary
 *     staging table, are classified against the table in one query (new,
 *     duplicate, unchanged, changed) and applied with one INSERT ... SELECT
 *     and at most two UPDATE ... FROM;
 *   - reference lookups of a batch are one query over unnest()ed arrays;
 *   - scans stream in single-row mode, so exports stay flat in memory.
 * Change numbers come from the sequence nawat_seq; nawat_meta's
 * data_version moves in every transaction that changed data (answer caches).
 *
 * A connection that broke (the server restarted, the network was cut) is
 * opened again before the next statement outside a transaction, and a
 * statement that only reads and met the broken connection runs once more on
 * the new one: a server's restart costs no request that can be repeated.
 * Inside a transaction nothing is repeated: the transaction is lost, fails
 * and is rolled back, and the next one runs on a new connection.
 */
#include "store.h"

#include <errno.h>
#include <glob.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/arena.h"
#include "../base/log.h"
#include "../base/mem.h"
#include "../standard/validate.h"
#include "schema.h"

#define PG_BATCH 4096
#define COPY_SEND (64 * 1024) /* bytes of COPY lines sent at once */

extern char **environ;

struct pg {
	PGconn *conn;
	int wrote;               /* this transaction changed data */
	int refs_checked;        /* this transaction's references are nawat's to check */
	int defer;               /* a first load may build its indexes last (STORE_REDO) */
	int may_replica;         /* the role may set session_replication_role (-1 unknown) */
	time_t retry_at;         /* a failed reconnection is not tried again before */
	struct buf tx_subs;      /* the submissions of this transaction: "{1,2}" */
	int nomem;               /* the last run() had no memory for its parameters */
	int pending;             /* a statement sent whose result is still to be read (settle) */
};

static struct pg *PG(struct store *st)
{
	return st->impl;
}

/* ---- errors ---- */

/* Reads the result of a statement sent without waiting for it (a COPY
 * ended by copy_end(later), sums by send_later): NULL when it succeeded,
 * else its error (the caller's to clear).  Every statement goes after
 * this, so the server does that work while the client goes on with its
 * own. */
static PGresult *settle(struct pg *g)
{
	PGresult *res, *bad = NULL;

	if (!g->pending)
		return NULL;
	g->pending = 0;
	while ((res = PQgetResult(g->conn))) {
		if (!bad && PQresultStatus(res) != PGRES_COMMAND_OK)
			bad = res;
		else
			PQclear(res);
	}
	return bad;
}

/* PQexec, after what is still to be read */
static PGresult *exec_now(struct pg *g, const char *sql)
{
	PGresult *bad = settle(g);

	return bad ? bad : PQexec(g->conn, sql);
}

static int pgerr(struct store *st, PGresult *res, const char *what)
{
	if (!res && PG(st)->nomem) {
		PG(st)->nomem = 0;
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(PG(st)->conn);
	int rc = NAWAT_ESTORE;
	char clean[400];
	size_t n;

	snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : "connection lost");
	n = strlen(clean);
	while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
		clean[--n] = '\0';
	if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")))
		rc = NAWAT_EBUSY;
	else if (state && !strcmp(state, "23505"))
		rc = NAWAT_EEXIST;
	return err_set(&st->err, rc, "ฐานข้อมูลผิดพลาด (%s): %s", "database error (%s): %s", what, clean);
}

static int ok(PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);

	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_SINGLE_TUPLE;
}

/* ---- parameters: text, except bytea (binary) ---- */

struct params {
	const char *v[QPARAM_MAX + 8];
	int len[QPARAM_MAX + 8];
	int fmt[QPARAM_MAX + 8];
	int n;
	int nomem;  /* a value could not be copied: the statement must not run */
	struct arena mem;
};

/* ---- statements; a broken connection is opened again ---- */

/* What the server says outside an answer (why it closes the connection). */
static void pg_notice(void *arg, const char *message)
{
	(void)arg;
	log_warn("PostgreSQL: %.*s", (int)strcspn(message, "\n"), message);
}

/* What every connection sets first. */
#define SESSION_SETUP                                                                                           \
	"SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; "                                 \
	"SET client_min_messages = warning; SET extra_float_digits = 1; SET TIME ZONE 'UTC'; "                 \
	"SET DateStyle = ISO, YMD; SET jit = off"

/*
 * Outside a transaction: notices that the server closed the connection (it
 * says so when it stops), and connects again (see the top).  A server that
 * cannot be reached is tried again a second later, not at every call.
 */
static int revive(struct store *st)
{
	struct pg *g = PG(st);
	PGresult *res;
	time_t now;
	int good, i;

	if (st->in_tx)
		return 0;
	/* reads what is waiting, without blocking: the server's last words,
	 * then the end of the connection */
	for (i = 0; i < 3 && PQstatus(g->conn) == CONNECTION_OK && PQtransactionStatus(g->conn) == PQTRANS_IDLE; i++)
		PQconsumeInput(g->conn);
	if (PQstatus(g->conn) != CONNECTION_BAD)
		return 0;
	now = time(NULL);
	if (now < g->retry_at)
		return NAWAT_ESTORE;
	PQreset(g->conn);
	good = PQstatus(g->conn) == CONNECTION_OK;
	if (good) {
		res = PQexec(g->conn, SESSION_SETUP);
		good = ok(res);
		PQclear(res);
	}
	if (!good) {
		g->retry_at = now + 1;
		return NAWAT_ESTORE;
	}
	log_warn("PostgreSQL (%s, database %s): the connection was lost; connected again", PQhost(g->conn),
		 PQdb(g->conn));
	return 0;
}

/* The connection can be used now (store_ready). */
static int pg_ready(struct store *st)
{
	char msg[300];

	if (revive(st) == 0 && PQstatus(PG(st)->conn) == CONNECTION_OK)
		return 0;
	snprintf(msg, sizeof msg, "%s", PQerrorMessage(PG(st)->conn));
	msg[strcspn(msg, "\n")] = '\0';
	return err_set(&st->err, NAWAT_ESTORE, "เชื่อมต่อ PostgreSQL ไม่ได้: %s", "cannot reach PostgreSQL: %s",
		       *msg ? msg : "connection lost");
}

/* A statement that reads only, or starts a transaction: safe to send twice. */
static int repeatable(const char *sql)
{
	return !strncasecmp(sql, "SELECT ", 7) || !strncmp(sql, "BEGIN", 5);
}

/* Runs sql: with PQexec (several statements, no parameters) when p is
 * NULL, else with PQexecParams.  Connects again first when needed. */
static PGresult *query(struct store *st, const char *sql, struct params *p)
{
	PGconn *c = PG(st)->conn;
	PGresult *res;
	int tries = 0;

	if ((res = settle(PG(st))))
		return res;
	for (;;) {
		revive(st);
		res = p ? PQexecParams(c, sql, p->n, NULL, p->v, p->len, p->fmt, 0) : PQexec(c, sql);
		if (ok(res) || tries++ || st->in_tx || !repeatable(sql) || PQstatus(c) != CONNECTION_BAD)
			return res;
		PQclear(res);
	}
}

static int ex(struct store *st, const char *sql)
{
	PGresult *res = query(st, sql, NULL);
	int rc = ok(res) ? 0 : pgerr(st, res, "exec");

	PQclear(res);
	return rc;
}

/* Sends sql with n text parameters, in a transaction, and goes on: the
 * result is read by the next statement (settle), and an error then fails
 * the transaction whichever statement reports it. */
static int send_later(struct store *st, const char *sql, int n, const char *const *v, const int *len)
{
	struct pg *g = PG(st);
	PGresult *bad = settle(g);

	if (bad) {
		int rc = pgerr(st, bad, "exec");

		PQclear(bad);
		return rc;
	}
	if (!PQsendQueryParams(g->conn, sql, n, NULL, v, len, NULL, 0))
		return pgerr(st, NULL, "exec");
	g->pending = 1;
	/* outside a transaction nothing would fail later: the result now */
	if (!st->in_tx && (bad = settle(g))) {
		int rc = pgerr(st, bad, "exec");

		PQclear(bad);
		return rc;
	}
	return 0;
}

/* Bytes of nawat's tables and their indexes that hold live rows (store_size):
 * a first load is one bigger than they are.  The rows of a load that
 * failed take room until a vacuum, and do not count; the statistics may
 * lag a moment behind a commit, which only lets a load try to put its
 * indexes off (writer_open checks that the table is empty). */
static int64_t pg_bytes(struct store *st)
{
	PGresult *res = query(st,
			      "SELECT coalesce(sum(pg_total_relation_size(relid) * n_live_tup / "
			      "greatest(n_live_tup + n_dead_tup, 1)), 0)::bigint FROM pg_stat_user_tables "
			      "WHERE schemaname = current_schema()",
			      NULL);
	int64_t n = -1;

	if (ok(res) && PQntuples(res) == 1)
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

/* ---- building parameters ---- */

static void params_init(struct params *p)
{
	p->n = 0;
	p->nomem = 0;
	arena_init(&p->mem, 1024, 0);
}

static void params_release(struct params *p)
{
	arena_release(&p->mem);
}

static void param_text(struct params *p, const char *s, size_t n)
{
	p->v[p->n] = s ? arena_strndup(&p->mem, s, n) : NULL;
	if (s && !p->v[p->n])
		p->nomem = 1;
	p->len[p->n] = (int)n;
	p->fmt[p->n] = 0;
	p->n++;
}

/* A text parameter that refers to s, which outlives the statement (a big
 * array literal is not copied). */
static void param_ref(struct params *p, const char *s, size_t n)
{
	p->v[p->n] = s;
	p->len[p->n] = (int)n;
	p->fmt[p->n] = 0;
	p->n++;
}

static void param_int(struct params *p, int64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof num, "%lld", (long long)v);

	param_text(p, num, (size_t)n);
}

static void param_blob(struct params *p, const void *b, size_t n)
{
	p->v[p->n] = b;
	p->len[p->n] = (int)n;
	p->fmt[p->n] = 1;
	p->n++;
}

/* A field's value (column `which`) as a parameter. */
static void param_val(struct params *p, const struct std_field *f, int which, const struct val_value *v)
{
	char num[VAL_NUMBER_MAX];
	size_t n;

	if (v->state != VAL_SET) {
		param_text(p, NULL, 0);
		return;
	}
	if (f->pii) {
		if (which)
			param_blob(p, v->blob, v->blob_n);
		else
			param_blob(p, v->s, v->n);
		return;
	}
	switch (f->type) {
	case STD_INTEGER:
		n = val_format_int(v->i, num);
		param_text(p, num, n);
		break;
	case STD_NUMBER:
		n = val_format_number(v->d, num, sizeof num);
		param_text(p, num, n);
		break;
	default:
		param_text(p, v->s, v->n);
	}
}

/* One statement with its parameters; NULL with PG(st)->nomem set when a
 * parameter could not be copied (a NULL in its place would run): pgerr then
 * says out of memory. */
static PGresult *run(struct store *st, const char *sql, struct params *p)
{
	if (p && p->nomem) {
		PG(st)->nomem = 1;
		return NULL;
	}
	return query(st, sql, p);
}

/* ---- values from text results ---- */

static int hexv(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
}

/* "\x0a1b..." to bytes, in a */
static const unsigned char *unhex(struct arena *a, const char *t, size_t *n)
{
	size_t len = strlen(t), i;
	unsigned char *out;

	if (len < 2 || t[0] != '\\' || t[1] != 'x') {
		*n = 0;
		return (const unsigned char *)"";
	}
	*n = (len - 2) / 2;
	out = arena_alloc(a, *n ? *n : 1);
	if (!out) {
		*n = 0;
		return NULL;
	}
	for (i = 0; i < *n; i++)
		out[i] = (unsigned char)(hexv(t[2 + 2 * i]) * 16 + hexv(t[3 + 2 * i]));
	return out;
}

/* Reads field values from columns from col on; returns the next column. */
/* Column col of a result into v, as column `which` of field f (which 0
 * sets v's state; personal data: 0 its hash, 1 its sealed copy). */
static void read_col(PGresult *res, int row, int col, const struct std_field *f, size_t which,
		     struct val_value *v, struct arena *a)
{
	const char *t;
	int dec;

	if (which == 0)
		v->state = PQgetisnull(res, row, col) ? VAL_NULL : VAL_SET;
	if (PQgetisnull(res, row, col))
		return;
	t = PQgetvalue(res, row, col);
	if (f->pii) {
		if (which)
			v->blob = unhex(a, t, &v->blob_n);
		else
			v->s = (const char *)unhex(a, t, &v->n);
		return;
	}
	switch (f->type) {
	case STD_INTEGER:
		val_parse_int(t, strlen(t), &v->i);
		v->d = (double)v->i;
		break;
	case STD_NUMBER:
		val_parse_number(t, strlen(t), &v->d, &dec);
		break;
	default:
		v->s = t;
		v->n = (size_t)PQgetlength(res, row, col);
	}
}

static int read_fields(PGresult *res, int row, int col, const struct std_dataset *ds, const int *fields,
		       size_t nfields, struct val_value *out, struct arena *a)
{
	size_t i, w;

	for (i = 0; i < nfields; i++) {
		const struct std_field *f = &ds->fields[fields ? fields[i] : (int)i];

		memset(&out[i], 0, sizeof out[i]);
		for (w = 0; w < schema_ncols(f); w++, col++)
			read_col(res, row, col, f, w, &out[i], a);
	}
	return col;
}

/* Copies the text values read_fields left in a result into a (for values
 * that outlive it). */
static int keep_text(const struct std_dataset *ds, struct val_value *v, struct arena *a)
{
	size_t i;

	for (i = 0; i < ds->nfields; i++)
		if (v[i].state == VAL_SET && !ds->fields[i].pii && v[i].s &&
		    !(v[i].s = arena_strndup(a, v[i].s, v[i].n)))
			return NAWAT_ENOMEM;
	return 0;
}

/* ---- connection, transactions, meta ---- */

static int pg_exec(struct store *st, const char *sql)
{
	return ex(st, sql);
}

static int pg_table_columns(struct store *st, const char *table, struct buf *out, int *exists)
{
	struct params p;
	PGresult *res;
	int i, rc = 0;

	params_init(&p);
	param_text(&p, table, strlen(table));
	res = run(st, "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
		      "AND table_name = $1 ORDER BY ordinal_position", &p);
	params_release(&p);
	if (!ok(res)) {
		rc = pgerr(st, res, "columns");
		PQclear(res);
		return rc;
	}
	for (i = 0; i < PQntuples(res) && !rc; i++)
		rc = buf_append(out, PQgetvalue(res, i, 0), strlen(PQgetvalue(res, i, 0)) + 1);
	*exists = PQntuples(res) > 0;
	PQclear(res);
	return rc ? err_generic(&st->err, NAWAT_ENOMEM) : 0;
}

/*
 * An import checks every reference itself, a batch at a time.  Where the
 * role may, the transaction then turns off PostgreSQL's per-row foreign-key
 * triggers, which would do the same work again a row at a time and lock
 * every referenced row (the operator grants it with GRANT SET ON PARAMETER
 * session_replication_role TO the nawat role).  What those locks would
 * guard against, a referenced row removed or re-keyed before the commit, is
 * kept out instead by one lock: such transactions hold the shared side of
 * STORE_LOCK_REFS, and whatever removes rows or changes keys takes it
 * whole (store_lock), so it waits for the imports under way, and its own
 * foreign-key check then sees their rows.
 */
static int pg_begin(struct store *st, int flags)
{
	struct pg *g = PG(st);
	PGresult *res;

	if (ex(st, "BEGIN"))
		return st->err.code;
	st->in_tx = 1;
	g->wrote = 0;
	g->refs_checked = 0;
	g->defer = (flags & (STORE_BULK | STORE_REDO)) == (STORE_BULK | STORE_REDO);
	buf_reset(&g->tx_subs);
	if (!(flags & STORE_REFS_CHECKED))
		return 0;
	g->refs_checked = 1;
	if (g->may_replica < 0) {
		res = exec_now(g, "SELECT current_setting('is_superuser') = 'on' OR "
				      "has_parameter_privilege('session_replication_role', 'SET')");
		g->may_replica = ok(res) && PQntuples(res) && PQgetvalue(res, 0, 0)[0] == 't';
		PQclear(res);
	}
	if (g->may_replica &&
	    (ex(st, "SELECT pg_advisory_xact_lock_shared(hashtext('" STORE_LOCK_REFS "'))") ||
	     ex(st, "SET LOCAL session_replication_role = replica")))
		return st->err.code;
	return 0;
}

/* One snapshot for every scan until the commit. */
static int pg_begin_read(struct store *st)
{
	if (ex(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
		return st->err.code;
	st->in_tx = 1;
	PG(st)->wrote = 0;
	PG(st)->refs_checked = 0;
	PG(st)->defer = 0;
	buf_reset(&PG(st)->tx_subs);
	return 0;
}

/* The submissions of the transaction take the next commit number.  The
 * counter's row stays locked to the commit, so the next writer numbers
 * after this one has committed: numbers follow commits. */
static int number_subs(struct store *st)
{
	struct pg *g = PG(st);
	struct params p;
	PGresult *res;
	int rc = 0;

	if (!g->tx_subs.len)
		return 0;
	if (buf_putc(&g->tx_subs, '}'))
		return err_generic(&st->err, NAWAT_ENOMEM);
	params_init(&p);
	param_text(&p, buf_str(&g->tx_subs), g->tx_subs.len);
	res = run(st, "WITH n AS (UPDATE nawat_meta SET value = (value::bigint + 1)::text "
		      "WHERE name = 'commit_seq' RETURNING value::bigint AS v) "
		      "UPDATE submissions SET commit_seq = n.v FROM n WHERE id = ANY ($1::bigint[])", &p);
	params_release(&p);
	if (!ok(res))
		rc = pgerr(st, res, "commit number");
	PQclear(res);
	buf_reset(&g->tx_subs);
	return rc;
}

static int pg_commit(struct store *st)
{
	int rc;

	/* readers' caches: a counter that moves with the commit that changed data */
	if (PG(st)->wrote &&
	    (rc = ex(st, "UPDATE nawat_meta SET value = (value::bigint + 1)::text WHERE name = 'data_version'"))) {
		return rc;
	}
	if ((rc = number_subs(st)))
		return rc;
	if ((rc = ex(st, "COMMIT")))
		return rc;
	st->in_tx = 0;
	PG(st)->wrote = 0;
	PG(st)->refs_checked = 0;
	return 0;
}

static int pg_rollback(struct store *st)
{
	PQclear(settle(PG(st))); /* (whatever it says, everything goes) */
	st->in_tx = 0;
	PG(st)->wrote = 0;
	PG(st)->refs_checked = 0;
	buf_reset(&PG(st)->tx_subs);
	if (PQtransactionStatus(PG(st)->conn) == PQTRANS_IDLE)
		return 0;
	return ex(st, "ROLLBACK");
}

static int sp(struct store *st, const char *verb, const char *name)
{
	char sql[128];
	size_t i;

	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_' || (name[i] >= '0' && name[i] <= '9')))
			return err_msg(&st->err, NAWAT_EINVAL, "ชื่อ savepoint ไม่ถูกต้อง", "bad savepoint name");
	snprintf(sql, sizeof sql, verb, name);
	return ex(st, sql);
}

static int pg_savepoint(struct store *st, const char *name)
{
	return sp(st, "SAVEPOINT %s", name);
}

static int pg_release(struct store *st, const char *name)
{
	return sp(st, "RELEASE SAVEPOINT %s", name);
}

static int pg_rollback_to(struct store *st, const char *name)
{
	int rc = sp(st, "ROLLBACK TO SAVEPOINT %s", name);

	return rc ? rc : sp(st, "RELEASE SAVEPOINT %s", name);
}

static int pg_meta_get(struct store *st, const char *name, char *out, size_t n)
{
	struct params p;
	PGresult *res;
	int rc;

	params_init(&p);
	param_text(&p, name, strlen(name));
	res = run(st, "SELECT value FROM nawat_meta WHERE name = $1", &p);
	params_release(&p);
	if (!ok(res))
		rc = pgerr(st, res, "meta");
	else if (PQntuples(res) == 0)
		rc = NAWAT_ENOTFOUND;
	else {
		snprintf(out, n, "%s", PQgetvalue(res, 0, 0));
		rc = 0;
	}
	PQclear(res);
	return rc;
}

static int pg_meta_set(struct store *st, const char *name, const char *value)
{
	struct params p;
	PGresult *res;
	int rc;

	params_init(&p);
	param_text(&p, name, strlen(name));
	param_text(&p, value, strlen(value));
	res = run(st, "INSERT INTO nawat_meta (name, value) VALUES ($1, $2) "
		      "ON CONFLICT (name) DO UPDATE SET value = excluded.value", &p);
	params_release(&p);
	rc = ok(res) ? 0 : pgerr(st, res, "meta");
	PQclear(res);
	return rc;
}

static int pg_data_version(struct store *st, uint64_t *v)
{
	PGresult *res = query(st, "SELECT value FROM nawat_meta WHERE name = 'data_version'", NULL);
	int rc = 0;

	if (!ok(res))
		rc = pgerr(st, res, "data_version");
	else
		*v = PQntuples(res) ? strtoull(PQgetvalue(res, 0, 0), NULL, 10) : 0;
	PQclear(res);
	return rc;
}

/* ---- COPY text format ---- */

static int copy_text(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;
	int rc;

	/* runs without a character to escape are copied whole */
	for (i = 0; i < n; i++) {
		const char *esc;

		switch (s[i]) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		if ((rc = buf_append(b, s + run, i - run)) || (rc = buf_append(b, esc, 2)))
			return rc;
		run = i + 1;
	}
	return buf_append(b, s + run, n - run);
}

static int copy_bytea(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	char *o;
	int rc = buf_reserve(b, 3 + 2 * n);

	if (rc)
		return rc;
	o = b->data + b->len;
	*o++ = '\\';
	*o++ = '\\';
	*o++ = 'x';
	for (i = 0; i < n; i++) {
		*o++ = hex[p[i] >> 4];
		*o++ = hex[p[i] & 15];
	}
	b->len += 3 + 2 * n;
	b->data[b->len] = '\0';
	return 0;
}

static int copy_val(struct buf *b, const struct std_field *f, int which, const struct val_value *v)
{
	char num[VAL_NUMBER_MAX];
	size_t n;

	if (v->state != VAL_SET)
		return buf_puts(b, "\\N");
	if (f->pii)
		return which ? copy_bytea(b, v->blob, v->blob_n) : copy_bytea(b, (const unsigned char *)v->s, v->n);
	switch (f->type) {
	case STD_INTEGER:
		n = val_format_int(v->i, num);
		return buf_append(b, num, n);
	case STD_NUMBER:
		n = val_format_number(v->d, num, sizeof num);
		return buf_append(b, num, n);
	default:
		return copy_text(b, v->s, v->n);
	}
}

/* ---- the writer ---- */

static const char *array_type(const struct std_field *f);
static int array_elem(struct buf *b, const struct std_field *f, const struct val_value *v);

/* "WITH k AS (...)": a batch's keys as arrays ($1 the positions in the
 * batch, $2... one per key field) turned into rows (nw_i, k0, k1...). */
static int key_arrays(const struct std_dataset *ds, struct buf *b)
{
	size_t k;

	if (buf_puts(b, "WITH k AS (SELECT * FROM unnest($1::int[]"))
		return -1;
	for (k = 0; k < ds->nkey; k++)
		if (buf_printf(b, ", $%zu::%s[]", k + 2, array_type(&ds->fields[ds->key[k]])))
			return -1;
	if (buf_puts(b, ") AS k (nw_i"))
		return -1;
	for (k = 0; k < ds->nkey; k++)
		if (buf_printf(b, ", k%zu", k))
			return -1;
	return buf_puts(b, "))");
}

/* "t.KEY0 = k.k0 AND ...": table t's row of the key k of key_arrays. */
static int key_arrays_match(const struct std_dataset *ds, struct buf *b)
{
	char col[64];
	size_t k;

	for (k = 0; k < ds->nkey; k++)
		if (buf_printf(b, "%st.%s = k.k%zu", k ? " AND " : "",
			       schema_col(&ds->fields[ds->key[k]], 0, col, sizeof col), k))
			return -1;
	return 0;
}

struct pg_writer {
	struct store_writer base;
	const struct std_dataset *ds;
	int64_t sub_id;
	char stage[80];
	char *sql_classify, *sql_insert_some, *sql_update, *sql_touch, *copy_cmd;
	char *sql_probe, *copy_direct;
	char *sql_undelete;      /* when the data set has deletions: forget the batch's keys' */
	struct buf line;         /* the COPY data of a batch */
	struct arena mem;        /* old values of changed rows */
	struct val_value *old;
	int *idx;                /* staged row -> index in the caller's batch */
	int direct;              /* the last probe found nothing: COPY without one */
	char *restore;           /* the indexes put off to the finish (STORE_REDO) */
};

static void pg_writer_close(struct store_writer *bw)
{
	struct pg_writer *w = (struct pg_writer *)bw;

	if (!w)
		return;
	if (w->restore) {
		/* never a table left without its indexes: built here when the
		 * finish was not called (if this fails, so does the commit) */
		if (w->base.st->in_tx)
			PQclear(exec_now(PG(w->base.st), w->restore));
		w->base.st->keys_later = NULL;
	}
	store_writer_release(&w->base);
	nw_free(w->restore);
	nw_free(w->sql_classify);
	nw_free(w->sql_probe);
	nw_free(w->copy_direct);
	nw_free(w->sql_undelete);
	nw_free(w->sql_insert_some);
	nw_free(w->sql_update);
	nw_free(w->sql_touch);
	nw_free(w->copy_cmd);
	nw_free(w->old);
	nw_free(w->idx);
	buf_release(&w->line);
	arena_release(&w->mem);
	nw_free(w);
}

/* "col, col, ..." of every field column, each prefixed */
static int cols(const struct std_dataset *ds, const char *prefix, struct buf *b)
{
	char col[64];
	size_t i, k;
	int rc = 0, n = 0;

	for (i = 0; i < ds->nfields && !rc; i++)
		for (k = 0; k < schema_ncols(&ds->fields[i]) && !rc; k++)
			rc = buf_printf(b, "%s%s%s", n++ ? ", " : "", prefix,
					schema_col(&ds->fields[i], (int)k, col, sizeof col));
	return rc;
}

static int key_join(const struct std_dataset *ds, struct buf *b)
{
	char col[64];
	size_t k;
	int rc = 0;

	for (k = 0; k < ds->nkey && !rc; k++) {
		schema_col(&ds->fields[ds->key[k]], 0, col, sizeof col);
		rc = buf_printf(b, "%st.%s = s.%s", k ? " AND " : "", col, col);
	}
	return rc;
}

/* the merged value of column (field i, which): the stored one when the
 * file had no such column */
static int merged(const struct std_dataset *ds, size_t i, int which, struct buf *b)
{
	char col[64];

	schema_col(&ds->fields[i], which, col, sizeof col);
	return buf_printf(b, "CASE WHEN (s.nw_absent & %lld) <> 0 THEN t.%s ELSE s.%s END",
			  (long long)(1LL << i), col, col);
}

/* A first load (STORE_BULK | STORE_REDO) into a table that is empty: its
 * indexes go, and the finish builds them again from their own definitions,
 * sorting every key once instead of keeping the indexes through every row
 * (a third of the time of a big table).  When other tables refer to it and
 * are empty too (students before their results), their foreign keys go and
 * come back after the keys, and only the key indexes are put off: the
 * others (a school's students) may be read while the table fills.  The
 * tables stay locked to the commit: others wait for them.  When someone
 * else has a table, or anything here fails, nothing is put off. */
static int defer_indexes(struct pg_writer *w)
{
	struct store *st = w->base.st;
	PGconn *c = PG(st)->conn;
	PGresult *res, *fks = NULL;
	struct buf sql;
	int rc, done = 0, i, nfk = 0;

	if ((rc = ex(st, "SAVEPOINT nw_defer")))
		return rc;
	buf_init(&sql, 1 << 16);
	if (buf_printf(&sql, "LOCK TABLE %s IN ACCESS EXCLUSIVE MODE NOWAIT", w->ds->name)) {
		buf_release(&sql);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	res = exec_now(PG(st), buf_str(&sql));
	if (!ok(res))
		goto out;
	PQclear(res);
	/* the foreign keys of other tables to this one, each table's once locked and empty */
	buf_reset(&sql);
	if (buf_printf(&sql,
		       "SELECT f.conrelid::regclass::text, format('ALTER TABLE %%s DROP CONSTRAINT %%I', "
		       "f.conrelid::regclass, f.conname), format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', "
		       "f.conrelid::regclass, f.conname, pg_get_constraintdef(f.oid)) "
		       "FROM pg_constraint f WHERE f.confrelid = '%s'::regclass AND f.contype = 'f'",
		       w->ds->name)) {
		buf_release(&sql);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	res = NULL;
	fks = PQexec(c, buf_str(&sql));
	if (!ok(fks))
		goto out;
	nfk = PQntuples(fks);
	for (i = 0; i < nfk; i++) {
		buf_reset(&sql);
		if (buf_printf(&sql, "LOCK TABLE %s IN ACCESS EXCLUSIVE MODE NOWAIT; SELECT 1 FROM %s LIMIT 1",
			       PQgetvalue(fks, i, 0), PQgetvalue(fks, i, 0)))
			goto nomem;
		res = PQexec(c, buf_str(&sql));
		if (!ok(res) || PQntuples(res))
			goto out;
		PQclear(res);
		res = NULL;
	}
	/* what drops the indexes, and what makes them again */
	buf_reset(&sql);
	if (buf_printf(&sql,
		       "SELECT string_agg(CASE WHEN c.oid IS NULL THEN format('DROP INDEX %%I.%%I', n.nspname, "
		       "ic.relname) ELSE format('ALTER TABLE %%I.%%I DROP CONSTRAINT %%I', n.nspname, t.relname, "
		       "c.conname) END, '; '), string_agg(CASE WHEN c.oid IS NULL THEN "
		       "pg_get_indexdef(i.indexrelid) ELSE format('ALTER TABLE %%I.%%I ADD CONSTRAINT %%I %%s', "
		       "n.nspname, t.relname, c.conname, pg_get_constraintdef(c.oid)) END, '; ') "
		       "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
		       "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
		       "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
		       "AND c.contype IN ('p', 'u') "
		       "WHERE i.indrelid = '%s'::regclass AND (i.indisunique OR %s) "
		       "AND NOT EXISTS (SELECT 1 FROM %s)",
		       w->ds->name, nfk ? "false" : "true", w->ds->name))
		goto nomem;
	res = PQexec(c, buf_str(&sql));
	if (!ok(res) || PQntuples(res) != 1 || PQgetisnull(res, 0, 0) || PQgetisnull(res, 0, 1))
		goto out;
	/* foreign keys go first and come back last */
	buf_reset(&sql);
	if (buf_puts(&sql, PQgetvalue(res, 0, 1)))
		goto nomem;
	for (i = 0; i < nfk; i++)
		if (buf_printf(&sql, "; %s", PQgetvalue(fks, i, 2)))
			goto nomem;
	if (!(w->restore = buf_detach(&sql, NULL)))
		goto nomem;
	buf_init(&sql, 1 << 16);
	for (i = 0; i < nfk; i++)
		if (buf_printf(&sql, "%s; ", PQgetvalue(fks, i, 1)))
			goto nomem;
	if (buf_puts(&sql, PQgetvalue(res, 0, 0)))
		goto nomem;
	PQclear(res);
	res = PQexec(c, buf_str(&sql));
	done = ok(res);
out:
	PQclear(res);
	PQclear(fks);
	buf_release(&sql);
	if (!done) {
		nw_free(w->restore);
		w->restore = NULL;
		if ((rc = ex(st, "ROLLBACK TO SAVEPOINT nw_defer")))
			return rc;
	}
	return ex(st, "RELEASE SAVEPOINT nw_defer");
nomem:
	PQclear(res);
	PQclear(fks);
	buf_release(&sql);
	nw_free(w->restore);
	w->restore = NULL;
	/* (the savepoint goes with the transaction the error ends) */
	return err_generic(&st->err, NAWAT_ENOMEM);
}

/* Builds the indexes put off: a key met twice fails, and the caller
 * writes again the ordinary way (STORE_REDO). */
static int pg_writer_finish(struct store_writer *bw)
{
	struct pg_writer *w = (struct pg_writer *)bw;
	struct store *st = bw->st;
	PGresult *res;
	const char *state;
	int rc = 0;

	if (!w->restore)
		return 0;
	res = exec_now(PG(st), w->restore);
	nw_free(w->restore);
	w->restore = NULL;
	st->keys_later = NULL;
	if (!ok(res)) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state && !strcmp(state, "23505"))
			rc = err_msg(&st->err, NAWAT_EREDO, "พบคีย์ซ้ำในแถวที่นำเข้า (เมื่อสร้างดัชนี)",
				     "a key occurs twice among the rows (seen when the indexes were built)");
		else
			rc = pgerr(st, res, "indexes");
	}
	PQclear(res);
	return rc;
}

/* " ON CONFLICT (key) DO UPDATE SET" every column and the change's
 * number and submission: a key someone else stored meanwhile is updated. */
static int upsert_tail(const struct std_dataset *ds, struct buf *tail)
{
	char col[64];
	size_t i, k, n = 0;
	int rc = buf_puts(tail, " ON CONFLICT (");

	for (k = 0; k < ds->nkey && !rc; k++)
		rc = buf_printf(tail, "%s%s", k ? ", " : "", schema_col(&ds->fields[ds->key[k]], 0, col, sizeof col));
	rc = rc || buf_puts(tail, ") DO UPDATE SET ");
	for (i = 0; i < ds->nfields && !rc; i++)
		for (k = 0; k < schema_ncols(&ds->fields[i]) && !rc; k++) {
			schema_col(&ds->fields[i], (int)k, col, sizeof col);
			rc = buf_printf(tail, "%s%s = excluded.%s", n++ ? ", " : "", col, col);
		}
	return rc || buf_puts(tail, ", nw_seq = excluded.nw_seq, nw_sub = excluded.nw_sub");
}

static int pg_writer_open(struct store *st, const struct std_dataset *ds, int64_t sub_id,
			  struct store_writer **out)
{
	struct pg_writer *w;
	struct buf b;
	char col[64];
	size_t i, k;
	int rc = 0, n;

	*out = NULL;
	if (ds->nfields > 62)
		return err_msg(&st->err, NAWAT_ELIMIT, "ชุดข้อมูลมีเขตข้อมูลมากเกินไป", "too many fields");
	w = nw_calloc(1, sizeof *w);
	if (!w)
		return err_generic(&st->err, NAWAT_ENOMEM);
	w->base.st = st;
	w->base.ds = ds;
	w->ds = ds;
	w->sub_id = sub_id;
	buf_init(&w->line, (size_t)1 << 30);
	arena_init(&w->mem, 16 * 1024, 0);
	w->old = nw_calloc(ds->nfields, sizeof *w->old);
	w->idx = nw_calloc(PG_BATCH, sizeof *w->idx);
	snprintf(w->stage, sizeof w->stage, "nw_stage_%s", ds->name);
	buf_init(&b, 1 << 16);
	if (!w->old || !w->idx)
		goto nomem;

	/* the staging table: the field columns without constraints, the row's
	 * place in the batch, and which fields the file did not have */
	rc = buf_printf(&b, "CREATE TEMP TABLE IF NOT EXISTS %s (", w->stage);
	for (i = 0, n = 0; i < ds->nfields && !rc; i++)
		for (k = 0; k < schema_ncols(&ds->fields[i]) && !rc; k++)
			rc = buf_printf(&b, "%s%s %s", n++ ? ", " : "", schema_col(&ds->fields[i], (int)k, col, sizeof col),
					schema_col_type(&schema_pg, &ds->fields[i], (int)k));
	if (rc || buf_puts(&b, ", nw_i INTEGER, nw_absent BIGINT)"))
		goto nomem;
	if ((rc = ex(st, buf_str(&b))))
		goto fail;
	buf_reset(&b);
	if (buf_printf(&b, "TRUNCATE %s", w->stage) || (rc = ex(st, buf_str(&b))))
		goto fail_or_nomem;
	/* Tables filled in this transaction have no statistics yet, and the
	 * planner could hash a whole table for each batch: every join of an
	 * import is a small batch against a key index (for this transaction). */
	if ((rc = ex(st, "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")))
		goto fail;

	buf_reset(&b);
	if (buf_printf(&b, "COPY %s (", w->stage) || cols(ds, "", &b) || buf_puts(&b, ", nw_i, nw_absent) FROM STDIN"))
		goto nomem;
	w->copy_cmd = buf_detach(&b, NULL);

	/* classify the staged rows that match a stored one */
	buf_init(&b, 1 << 16);
	if (buf_puts(&b, "SELECT s.nw_i, t.nw_sub, (ROW("))
		goto nomem;
	for (i = 0, n = 0; i < ds->nfields; i++)
		for (k = 0; k < schema_ncols(&ds->fields[i]); k++)
			if (buf_printf(&b, "%st.%s", n++ ? ", " : "", schema_col(&ds->fields[i], (int)k, col, sizeof col)))
				goto nomem;
	if (buf_puts(&b, ") IS DISTINCT FROM ROW("))
		goto nomem;
	for (i = 0, n = 0; i < ds->nfields; i++)
		for (k = 0; k < schema_ncols(&ds->fields[i]); k++)
			if ((n++ && buf_puts(&b, ", ")) || merged(ds, i, (int)k, &b))
				goto nomem;
	if (buf_puts(&b, ")) AS changed, ") || cols(ds, "t.", &b) ||
	    buf_printf(&b, " FROM %s s JOIN %s t ON ", w->stage, ds->name) || key_join(ds, &b) ||
	    buf_puts(&b, " WHERE s.nw_i = ANY ($1::int[])"))
		goto nomem;
	w->sql_classify = buf_detach(&b, NULL);

	/* new rows of a batch (those the probe did not find); a concurrent
	 * import of the same key makes this an update (one consistent result) */
	buf_init(&b, 1 << 16);
	{
		struct buf tail;
		int bad;

		buf_init(&tail, 1 << 16);
		bad = upsert_tail(ds, &tail);
		bad = bad || buf_printf(&b, "INSERT INTO %s (", ds->name) || cols(ds, "", &b) ||
		      buf_puts(&b, ", nw_seq, nw_sub) SELECT ") || cols(ds, "s.", &b) ||
		      buf_printf(&b, ", nextval('nawat_seq'), $1 FROM %s s WHERE s.nw_i = ANY ($2::int[])%s",
				 w->stage, buf_str(&tail));
		buf_release(&tail);
		if (bad)
			goto nomem;
		w->sql_insert_some = buf_detach(&b, NULL);
	}
	/* changed rows, and unchanged ones (confirmed by this submission) */
	buf_init(&b, 1 << 16);
	if (buf_printf(&b, "UPDATE %s t SET ", ds->name))
		goto nomem;
	for (i = 0, n = 0; i < ds->nfields; i++)
		for (k = 0; k < schema_ncols(&ds->fields[i]); k++) {
			if (buf_printf(&b, "%s%s = ", n++ ? ", " : "", schema_col(&ds->fields[i], (int)k, col, sizeof col)) ||
			    merged(ds, i, (int)k, &b))
				goto nomem;
		}
	if (buf_printf(&b, ", nw_seq = nextval('nawat_seq'), nw_sub = $1 FROM %s s WHERE s.nw_i = ANY ($2::int[]) AND ",
		       w->stage) || key_join(ds, &b))
		goto nomem;
	w->sql_update = buf_detach(&b, NULL);
	buf_init(&b, 1 << 16);
	if (buf_printf(&b, "UPDATE %s t SET nw_sub = $1 FROM %s s WHERE s.nw_i = ANY ($2::int[]) AND ", ds->name,
		       w->stage) || key_join(ds, &b))
		goto nomem;
	w->sql_touch = buf_detach(&b, NULL);
	/* the keys of a batch, to tell new rows from stored ones: arrays in, the
	 * positions of the stored ones out */
	buf_init(&b, 1 << 16);
	if (key_arrays(ds, &b) || buf_printf(&b, " SELECT k.nw_i FROM k JOIN %s t ON ", ds->name) ||
	    key_arrays_match(ds, &b))
		goto nomem;
	w->sql_probe = buf_detach(&b, NULL);
	/* a row inserted again is no longer deleted: the same arrays in */
	buf_init(&b, 1 << 16);
	if (buf_printf(&b, "SELECT EXISTS (SELECT 1 FROM nw_del_%s)", ds->name))
		goto nomem;
	{
		PGresult *res = exec_now(PG(st), buf_str(&b));
		int has = ok(res) && PQntuples(res) && PQgetvalue(res, 0, 0)[0] == 't';

		if (!ok(res)) {
			rc = pgerr(st, res, "deletions");
			PQclear(res);
			goto fail;
		}
		PQclear(res);
		buf_reset(&b);
		if (has) {
			if (key_arrays(ds, &b) ||
			    buf_printf(&b, " DELETE FROM nw_del_%s t USING k WHERE ", ds->name) ||
			    key_arrays_match(ds, &b))
				goto nomem;
			if (!(w->sql_undelete = buf_detach(&b, NULL)))
				goto nomem;
		}
	}
	buf_release(&b);
	buf_init(&b, 1 << 16);
	/* new rows go straight into the table: nw_seq is numbered by its default */
	if (buf_printf(&b, "COPY %s (", ds->name) || cols(ds, "", &b) || buf_puts(&b, ", nw_sub) FROM STDIN"))
		goto nomem;
	w->copy_direct = buf_detach(&b, NULL);
	if (!w->sql_probe || !w->copy_direct)
		goto nomem;
	if (!w->copy_cmd || !w->sql_classify || !w->sql_insert_some || !w->sql_update ||
	    !w->sql_touch)
		goto nomem;
	if (PG(st)->defer && (rc = defer_indexes(w)))
		goto fail;
	w->direct = w->restore != NULL; /* an empty table: no probe */
	if (w->restore)
		st->keys_later = ds;
	*out = &w->base;
	return 0;
fail_or_nomem:
	if (!rc)
		goto nomem;
	goto fail;
nomem:
	rc = err_generic(&st->err, NAWAT_ENOMEM);
fail:
	buf_release(&b);
	pg_writer_close(&w->base);
	return rc;
}

/* "{1,2,3}" of staged row numbers */
static int int_array(struct buf *b, const int *v, size_t n)
{
	size_t i;
	int rc = buf_putc(b, '{');

	for (i = 0; i < n && !rc; i++)
		rc = buf_printf(b, "%s%d", i ? "," : "", v[i]);
	return rc ? rc : buf_putc(b, '}');
}

static int apply(struct store *st, const char *sql, int64_t sub_id, const int *list, size_t n)
{
	struct params p;
	struct buf arr;
	char sub[32];
	PGresult *res;
	int rc;

	buf_init(&arr, 1 << 20);
	params_init(&p);
	snprintf(sub, sizeof sub, "%lld", (long long)sub_id);
	param_text(&p, sub, strlen(sub));
	if (list) {
		if (int_array(&arr, list, n)) {
			params_release(&p);
			buf_release(&arr);
			return err_generic(&st->err, NAWAT_ENOMEM);
		}
		param_text(&p, buf_str(&arr), arr.len);
	}
	res = run(st, sql, &p);
	rc = ok(res) ? 0 : pgerr(st, res, "write");
	PQclear(res);
	params_release(&p);
	buf_release(&arr);
	return rc;
}

/* Key values of a row (packed 0: v[ds->key[k]]) or a key alone (packed 1: v[k]). */
static const struct val_value *key_val(const struct std_dataset *ds, const struct val_value *v, int packed, size_t k)
{
	return packed ? &v[k] : &v[ds->key[k]];
}

/* Whether two set values of field f are the same (personal data by hash). */
static int same_val(const struct std_field *f, const struct val_value *x, const struct val_value *y)
{
	return f->type == STD_INTEGER && !f->pii ? x->i == y->i : x->n == y->n && !memcmp(x->s, y->s, x->n);
}

/* Whether two keys are the same (a the way packed_a says, b likewise). */
static int key_equal(const struct std_dataset *ds, const struct val_value *a, int packed_a,
		     const struct val_value *b, int packed_b)
{
	size_t k;

	for (k = 0; k < ds->nkey; k++)
		if (!same_val(&ds->fields[ds->key[k]], key_val(ds, a, packed_a, k), key_val(ds, b, packed_b, k)))
			return 0;
	return 1;
}

static uint64_t key_hash(const struct std_dataset *ds, const struct val_value *v, int packed)
{
	uint64_t h = 1469598103934665603ULL;
	size_t k, i;

	for (k = 0; k < ds->nkey; k++) {
		const struct std_field *f = &ds->fields[ds->key[k]];
		const struct val_value *x = key_val(ds, v, packed, k);

		if (f->type == STD_INTEGER && !f->pii)
			h = (h ^ (uint64_t)x->i) * 1099511628211ULL;
		else
			for (i = 0; i < x->n; i++)
				h = (h ^ (unsigned char)x->s[i]) * 1099511628211ULL;
	}
	return h;
}

/* COPY in three steps, so that the server stores the first lines while
 * the next are made: copy_start sends cmd, copy_send the lines so far
 * (b is emptied), copy_end the rest and the end, and gives the result:
 * NAWAT_EEXIST on a unique violation.  copy_end with rc set (the lines
 * could not be made) ends the COPY as failed and returns rc; with later,
 * a COPY whose result nothing hangs on, the next statement reads it
 * (settle), and its failure fails the transaction there. */
static int copy_start(struct store *st, const char *cmd)
{
	PGresult *res = exec_now(PG(st), cmd);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COPY_IN)
		rc = pgerr(st, res, "copy");
	PQclear(res);
	return rc;
}

static int copy_send(struct store *st, struct buf *b)
{
	int rc = 0;

	if (b->len && PQputCopyData(PG(st)->conn, b->data, (int)b->len) != 1)
		rc = pgerr(st, NULL, "copy");
	buf_reset(b);
	return rc;
}

static int copy_end(struct store *st, struct buf *b, int rc, int later)
{
	PGconn *c = PG(st)->conn;
	PGresult *res;

	if (!rc)
		rc = copy_send(st, b);
	if (PQputCopyEnd(c, rc ? "nawat: the rows could not be made" : NULL) != 1 && !rc)
		rc = pgerr(st, NULL, "copy");
	if (later && !rc) {
		PG(st)->pending = 1;
		return 0;
	}
	while ((res = PQgetResult(c))) {
		if (!rc && !ok(res))
			rc = pgerr(st, res, "copy");
		PQclear(res);
	}
	return rc;
}

/* Runs COPY cmd with the lines in b.  NAWAT_EEXIST on a unique violation. */
static int copy_in(struct store *st, const char *cmd, struct buf *b)
{
	int rc = copy_start(st, cmd);

	return rc ? rc : copy_end(st, b, 0, 0);
}

/* One row as COPY text: its field columns, then `tail`. */
static int copy_row(struct buf *b, const struct std_dataset *ds, const struct val_value *vals, const char *tail)
{
	size_t k, wch, col = 0;
	int rc = 0;

	for (k = 0; k < ds->nfields && !rc; k++)
		for (wch = 0; wch < schema_ncols(&ds->fields[k]) && !rc; wch++) {
			if (col++)
				rc = buf_putc(b, '\t');
			if (!rc)
				rc = copy_val(b, &ds->fields[k], (int)wch, &vals[k]);
		}
	return rc ? rc : buf_puts(b, tail);
}

/*
 * A batch: its keys are probed against the table (one query); the new rows
 * go straight into the table by COPY (in a savepoint: should another import
 * have inserted one of them meanwhile, the batch takes the slow path); the
 * rows that met a stored one are staged whole and classified: a duplicate of
 * this submission, unchanged (confirmed), or changed (updated).
 */
static int put_batch(struct pg_writer *w, struct store_row *rows, size_t n)
{
	struct store *st = w->base.st;
	const struct std_dataset *ds = w->ds;
	PGresult *res;
	int *slot = NULL, *changed = NULL, *same = NULL, *fresh = NULL;
	size_t i, k, nslot = 2 * n + 1, nstaged = 0, nchanged = 0, nsame = 0, nfresh = 0, nold = 0;
	struct buf arr[1 + 8];
	char tail[64], sql[128];
	int rc = 0;

	if (ds->nkey > 8)
		return err_msg(&st->err, NAWAT_ELIMIT, "คีย์ยาวเกินไป", "key too long");
	for (k = 0; k <= ds->nkey; k++)
		buf_init(&arr[k], (size_t)1 << 28);
	slot = nw_malloc(nslot * sizeof *slot);
	changed = nw_malloc(n * sizeof *changed);
	same = nw_malloc(n * sizeof *same);
	fresh = nw_malloc(n * sizeof *fresh);
	if (!slot || !changed || !same || !fresh) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	for (i = 0; i < nslot; i++)
		slot[i] = -1;
	/* the first occurrence of each key; later ones are duplicates */
	for (i = 0; i < n; i++) {
		size_t pos = key_hash(ds, rows[i].vals, 0) % nslot;

		while (slot[pos] >= 0 && !key_equal(ds, rows[slot[pos]].vals, 0, rows[i].vals, 0))
			pos = (pos + 1) % nslot;
		if (slot[pos] >= 0) {
			rows[i].result = STORE_DUPLICATE;
			continue;
		}
		slot[pos] = (int)i;
		rows[i].result = STORE_INSERTED; /* unless the probe finds it stored */
		nstaged++;
	}
	if (!nstaged)
		goto out;
	/* the keys as arrays, for the probe and the deletions (while batches
	 * go straight in, no one needs them) */
	if (!w->direct || w->sql_undelete) {
		size_t m = 0;

		for (k = 0; k <= ds->nkey && !rc; k++)
			rc = buf_putc(&arr[k], '{');
		for (i = 0; i < n && !rc; i++) {
			if (rows[i].result != STORE_INSERTED)
				continue;
			rc = buf_printf(&arr[0], "%s%zu", m ? "," : "", i);
			for (k = 0; k < ds->nkey && !rc; k++) {
				if (m)
					rc = buf_putc(&arr[k + 1], ',');
				if (!rc)
					rc = array_elem(&arr[k + 1], &ds->fields[ds->key[k]], &rows[i].vals[ds->key[k]]);
			}
			m++;
		}
		for (k = 0; k <= ds->nkey && !rc; k++)
			rc = buf_putc(&arr[k], '}');
		if (rc) {
			rc = err_generic(&st->err, rc);
			goto out;
		}
	}
	if (w->sql_undelete) {
		struct params p;

		params_init(&p);
		for (k = 0; k <= ds->nkey; k++)
			param_ref(&p, buf_str(&arr[k]), arr[k].len);
		res = run(st, w->sql_undelete, &p);
		params_release(&p);
		rc = ok(res) ? 0 : pgerr(st, res, "deletions");
		PQclear(res);
		if (rc)
			goto out;
	}
	/* Which keys are stored already.  While batches meet none (a first
	 * load, new students), the probe is skipped: the COPY below fails on a
	 * stored key, and the batch then takes the staged path. */
	if (!w->direct) {
		struct params p;

		params_init(&p);
		for (k = 0; k <= ds->nkey; k++)
			param_ref(&p, buf_str(&arr[k]), arr[k].len);
		res = run(st, w->sql_probe, &p);
		params_release(&p);
		if (!ok(res)) {
			rc = pgerr(st, res, "probe");
			PQclear(res);
			goto out;
		}
		for (i = 0; i < (size_t)PQntuples(res); i++) {
			size_t r = strtoul(PQgetvalue(res, (int)i, 0), NULL, 10);

			if (r < n && rows[r].result == STORE_INSERTED) {
				rows[r].result = STORE_PENDING;
				nold++;
			}
		}
		PQclear(res);
		w->direct = nold == 0;
	}

	/* the new rows, straight in: sent as they are made, so that the
	 * server stores the first while the next are made */
	snprintf(tail, sizeof tail, "\t%lld\n", (long long)w->sub_id);
	buf_reset(&w->line);
	for (i = 0; i < n; i++)
		nfresh += rows[i].result == STORE_INSERTED;
	if (nfresh) {
		/* (with the indexes put off no stored key can be met: no savepoint) */
		if ((!w->restore && (rc = ex(st, "SAVEPOINT nw_batch"))) || (rc = copy_start(st, w->copy_direct)))
			goto out;
		for (i = 0; i < n && !rc; i++) {
			if (rows[i].result != STORE_INSERTED)
				continue;
			if ((rc = copy_row(&w->line, ds, rows[i].vals, tail)))
				rc = err_generic(&st->err, rc);
			else if (w->line.len >= COPY_SEND)
				rc = copy_send(st, &w->line);
		}
		/* (with the indexes put off nothing hangs on its result: read by the next statement) */
		rc = copy_end(st, &w->line, rc, w->restore != NULL);
		if (rc == NAWAT_EEXIST) {
			/* a stored key: unprobed, an earlier batch's, or one that
			 * another import inserted since the probe */
			w->direct = 0;
			if ((rc = ex(st, "ROLLBACK TO SAVEPOINT nw_batch")))
				goto out;
			for (i = 0; i < n; i++)
				if (rows[i].result == STORE_INSERTED) {
					rows[i].result = STORE_PENDING;
					nold++;
				}
			nfresh = 0;
		} else if (rc) {
			goto out;
		}
		if (!w->restore && (rc = ex(st, "RELEASE SAVEPOINT nw_batch")))
			goto out;
	}

	/* the rows that met a stored one: staged whole, then classified */
	if (nold) {
		buf_reset(&w->line);
		for (i = 0; i < n && !rc; i++) {
			int64_t absent = 0;

			if (rows[i].result != STORE_PENDING)
				continue;
			for (k = 0; k < ds->nfields; k++)
				if (rows[i].vals[k].state == VAL_ABSENT)
					absent |= 1LL << k;
			snprintf(tail, sizeof tail, "\t%zu\t%lld\n", i, (long long)absent);
			rc = copy_row(&w->line, ds, rows[i].vals, tail);
			changed[nchanged++] = (int)i;
		}
		if (rc) {
			rc = err_generic(&st->err, rc);
			goto out;
		}
		if ((rc = copy_in(st, w->copy_cmd, &w->line)))
			goto out;
		{
			struct params p;
			struct buf list;

			buf_init(&list, 1 << 20);
			params_init(&p);
			if (int_array(&list, changed, nchanged)) {
				params_release(&p);
				buf_release(&list);
				rc = err_generic(&st->err, NAWAT_ENOMEM);
				goto out;
			}
			param_text(&p, buf_str(&list), list.len);
			res = run(st, w->sql_classify, &p);
			params_release(&p);
			buf_release(&list);
		}
		if (!ok(res)) {
			rc = pgerr(st, res, "classify");
			PQclear(res);
			goto out;
		}
		nchanged = 0;
		for (i = 0; i < (size_t)PQntuples(res); i++) {
			size_t r = strtoul(PQgetvalue(res, (int)i, 0), NULL, 10);
			int64_t old_sub = strtoll(PQgetvalue(res, (int)i, 1), NULL, 10);
			int is_changed = PQgetvalue(res, (int)i, 2)[0] == 't';

			if (r >= n || rows[r].result != STORE_PENDING)
				continue;
			if (old_sub == w->sub_id) {
				rows[r].result = STORE_DUPLICATE;
			} else if (is_changed) {
				rows[r].result = STORE_UPDATED;
				changed[nchanged++] = (int)r;
				/* an observer keeps each row's old values (for the put) */
				if (st->obs && !(rows[r].old = arena_alloc(&w->mem, ds->nfields * sizeof *w->old))) {
					PQclear(res);
					rc = err_generic(&st->err, NAWAT_ENOMEM);
					goto out;
				}
				read_fields(res, (int)i, 3, ds, NULL, ds->nfields,
					    st->obs ? (struct val_value *)rows[r].old : w->old, &w->mem);
				if (st->obs && keep_text(ds, (struct val_value *)rows[r].old, &w->mem)) {
					PQclear(res);
					rc = err_generic(&st->err, NAWAT_ENOMEM);
					goto out;
				}
				store_writer_note_old(&w->base, ds, st->obs ? rows[r].old : w->old);
			} else {
				rows[r].result = STORE_UNCHANGED;
				same[nsame++] = (int)r;
			}
		}
		PQclear(res);
		/* gone since the probe, or inserted by another import meanwhile: upsert */
		for (i = 0, nfresh = 0; i < n; i++)
			if (rows[i].result == STORE_PENDING) {
				rows[i].result = STORE_INSERTED;
				fresh[nfresh++] = (int)i;
			}
		if (nfresh && (rc = apply(st, w->sql_insert_some, w->sub_id, fresh, nfresh)))
			goto out;
		if (nchanged && (rc = apply(st, w->sql_update, w->sub_id, changed, nchanged)))
			goto out;
		if (nsame && (rc = apply(st, w->sql_touch, w->sub_id, same, nsame)))
			goto out;
		snprintf(sql, sizeof sql, "TRUNCATE %s", w->stage);
		if ((rc = ex(st, sql)))
			goto out;
	}
	PG(st)->wrote = 1;
out:
	for (k = 0; k <= ds->nkey; k++)
		buf_release(&arr[k]);
	nw_free(slot);
	nw_free(changed);
	nw_free(same);
	nw_free(fresh);
	return rc;
}

static int pg_writer_put(struct store_writer *bw, struct store_row *rows, size_t n)
{
	struct pg_writer *w = (struct pg_writer *)bw;
	size_t i;
	int rc;

	arena_reset(&w->mem); /* the old values of the last put */
	for (i = 0; i < n; i += PG_BATCH)
		if ((rc = put_batch(w, rows + i, n - i < PG_BATCH ? n - i : PG_BATCH)))
			return rc;
	return 0;
}

/* ---- deletions ---- */

/* One statement per row (deletions are few): the last values go to the
 * deletions (replacing an older deletion of the key), the row goes. */
static int pg_delete_rows(struct store *st, const struct std_dataset *ds, int64_t sub_id,
			  const struct store_scope *scope, struct store_row *rows, size_t n)
{
	struct buf sql, where, exists;
	char col[64];
	struct params p;
	PGresult *res;
	size_t i, k;
	int rc = 0, nscope = 0;

	buf_init(&sql, 1 << 16);
	buf_init(&where, 1 << 16);
	buf_init(&exists, 1 << 16);
	/* $1 the submission, then the key, then the scope's code */
	for (k = 0; k < ds->nkey && !rc; k++)
		rc = buf_printf(&where, "%st.%s = $%zu", k ? " AND " : "",
				schema_col(&ds->fields[ds->key[k]], 0, col, sizeof col), k + 2);
	if (!rc && scope && scope->kind != SCOPE_ALL)
		rc = buf_puts(&where, " AND ") ||
		     schema_scope_where(&schema_pg, ds, scope, (int)ds->nkey + 2, &where, &nscope);
	if (!rc)
		rc = buf_printf(&sql, "WITH d AS (DELETE FROM %s t WHERE %s RETURNING t.*) "
				      "INSERT INTO nw_del_%s AS x (", ds->name, buf_str(&where), ds->name) ||
		     cols(ds, "", &sql) || buf_puts(&sql, ", nw_seq, nw_sub) SELECT ") || cols(ds, "d.", &sql) ||
		     buf_puts(&sql, ", nextval('nawat_seq'), $1 FROM d ON CONFLICT (");
	for (k = 0; k < ds->nkey && !rc; k++)
		rc = buf_printf(&sql, "%s%s", k ? ", " : "", schema_col(&ds->fields[ds->key[k]], 0, col, sizeof col));
	if (!rc)
		rc = buf_puts(&sql, ") DO UPDATE SET ");
	for (i = 0, k = 0; i < ds->nfields && !rc; i++) {
		size_t w;

		for (w = 0; w < schema_ncols(&ds->fields[i]) && !rc; w++, k++) {
			schema_col(&ds->fields[i], (int)w, col, sizeof col);
			rc = buf_printf(&sql, "%s = excluded.%s, ", col, col);
		}
	}
	if (!rc)
		rc = buf_puts(&sql, "nw_seq = excluded.nw_seq, nw_sub = excluded.nw_sub");
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if (!rc)
		rc = buf_printf(&exists, "SELECT 1 FROM %s t WHERE $1::bigint IS NOT NULL AND %s", ds->name,
				buf_str(&where));
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		const char *by;
		int refd;

		if ((refd = store_referenced_by(st, ds, rows[i].vals, &by)) < 0) {
			rc = refd;
			break;
		}
		params_init(&p);
		param_int(&p, sub_id);
		for (k = 0; k < ds->nkey; k++)
			param_val(&p, &ds->fields[ds->key[k]], 0, &rows[i].vals[ds->key[k]]);
		if (nscope)
			param_text(&p, scope->code, strlen(scope->code));
		if (refd) {
			/* a row others refer to stays (and one outside the scope is absent) */
			res = run(st, buf_str(&exists), &p);
			params_release(&p);
			if (!ok(res))
				rc = pgerr(st, res, "delete");
			else
				rows[i].result = PQntuples(res) ? STORE_REFERENCED : STORE_ABSENT;
			PQclear(res);
			continue;
		}
		res = run(st, buf_str(&sql), &p);
		params_release(&p);
		if (!ok(res)) {
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			if (state && !strcmp(state, "23503")) {
				rc = store_err_referenced(st, ds);
			} else {
				rc = pgerr(st, res, "delete");
			}
		} else {
			rows[i].result = atoll(PQcmdTuples(res)) > 0 ? STORE_DELETED : STORE_ABSENT;
			PG(st)->wrote = 1;
		}
		PQclear(res);
	}
out:
	buf_release(&sql);
	buf_release(&where);
	buf_release(&exists);
	return rc;
}

/* ---- lookups ---- */

#define NEAR_READS 32 /* reads near kept at most (see near_read) */

struct pg_ref {
	struct store_ref base;
	const struct std_dataset *ds;
	const int *fetch;
	size_t nfetch;
	char *sql_one, *sql_many;
	char *sql_near;          /* the read by the near fields (store_ref_near) */
	int near_ok;             /* 0 not known yet; 1 an index leads with them; -1 not,
				  * or a read near did not pay */
	PGresult *last;          /* the fetched values point into it */
	struct near_read {       /* and into these: the rows of some places */
		PGresult *res;
		size_t nrows;
		char **places;
		size_t nplaces;
	} reads[NEAR_READS];
	size_t nreads;
	struct arena mem;
	int *slot, *left;        /* a batch's keys by hash; those left to look up by key */
	size_t cap;              /* (of left; slot has twice as many) */
};

static void near_drop_all(struct pg_ref *r);

static void pg_ref_close(struct store_ref *br)
{
	struct pg_ref *r = (struct pg_ref *)br;

	if (!r)
		return;
	store_ref_base_release(&r->base);
	PQclear(r->last);
	near_drop_all(r);
	nw_free(r->sql_one);
	nw_free(r->sql_many);
	nw_free(r->sql_near);
	nw_free(r->slot);
	nw_free(r->left);
	arena_release(&r->mem);
	nw_free(r);
}

static const char *array_type(const struct std_field *f)
{
	if (f->pii)
		return "bytea";
	switch (f->type) {
	case STD_INTEGER: return "bigint";
	case STD_NUMBER: return "double precision";
	case STD_DATE: return "date";
	default: return "text";
	}
}

static int pg_ref_open(struct store *st, const struct std_dataset *ds, const int *fetch, size_t nfetch,
		       struct store_ref **out)
{
	struct pg_ref *r;
	struct buf b, f;
	char col[64];
	size_t i, w;
	int rc = 0;

	*out = NULL;
	r = nw_calloc(1, sizeof *r);
	if (!r)
		return err_generic(&st->err, NAWAT_ENOMEM);
	r->base.st = st;
	r->base.target = ds;
	r->base.nfetch = nfetch;
	r->ds = ds;
	r->fetch = fetch;
	r->nfetch = nfetch;
	arena_init(&r->mem, 16 * 1024, 0);
	buf_init(&b, 1 << 16);
	buf_init(&f, 1 << 16);
	for (i = 0; i < nfetch && !rc; i++)
		for (w = 0; w < schema_ncols(&ds->fields[fetch[i]]) && !rc; w++)
			rc = buf_printf(&f, ", t.%s", schema_col(&ds->fields[fetch[i]], (int)w, col, sizeof col));
	if (!rc)
		rc = buf_printf(&b, "SELECT 1%s FROM %s t WHERE ", buf_str(&f), ds->name) ||
		     schema_key_where(&schema_pg, ds, &b, 1);
	if (!rc)
		r->sql_one = buf_detach(&b, NULL);
	/* many: WITH k(i, k1, k2) AS (SELECT * FROM unnest($1::int[], $2::type[], ...)) */
	buf_init(&b, 1 << 16);
	if (!rc)
		rc = buf_puts(&b, "WITH k AS (SELECT * FROM unnest($1::int[]");
	for (i = 0; i < ds->nkey && !rc; i++)
		rc = buf_printf(&b, ", $%zu::%s[]", i + 2, array_type(&ds->fields[ds->key[i]]));
	if (!rc)
		rc = buf_puts(&b, ") AS k (nw_i");
	for (i = 0; i < ds->nkey && !rc; i++)
		rc = buf_printf(&b, ", k%zu", i);
	if (!rc)
		rc = buf_printf(&b, ")) SELECT k.nw_i%s FROM k JOIN %s t ON ", buf_str(&f), ds->name);
	for (i = 0; i < ds->nkey && !rc; i++)
		rc = buf_printf(&b, "%st.%s = k.k%zu", i ? " AND " : "",
				schema_col(&ds->fields[ds->key[i]], 0, col, sizeof col), i);
	if (!rc)
		r->sql_many = buf_detach(&b, NULL);
	buf_release(&b);
	buf_release(&f);
	if (rc || !r->sql_one || !r->sql_many) {
		pg_ref_close(&r->base);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	*out = &r->base;
	return 0;
}

static int pg_ref_lookup(struct store_ref *br, const struct val_value *key, int *found,
			 struct val_value *fetched)
{
	struct pg_ref *r = (struct pg_ref *)br;
	struct params p;
	size_t k;

	params_init(&p);
	for (k = 0; k < r->ds->nkey; k++)
		param_val(&p, &r->ds->fields[r->ds->key[k]], 0, &key[k]);
	PQclear(r->last);
	r->last = run(br->st, r->sql_one, &p);
	params_release(&p);
	if (!ok(r->last))
		return pgerr(br->st, r->last, "lookup");
	*found = PQntuples(r->last) > 0;
	arena_reset(&r->mem);
	if (*found && r->nfetch)
		read_fields(r->last, 0, 1, r->ds, r->fetch, r->nfetch, fetched, &r->mem);
	return 0;
}

/* An array literal's element of text: quoted, \ and " escaped. */
static int text_elem(struct buf *b, const char *s, size_t n)
{
	size_t i;
	int rc = buf_putc(b, '"');

	for (i = 0; i < n && !rc; i++) {
		if (s[i] == '"' || s[i] == '\\')
			rc = buf_putc(b, '\\');
		if (!rc)
			rc = buf_putc(b, s[i]);
	}
	return rc ? rc : buf_putc(b, '"');
}

/* A key column of a table of sums as an array element: an integer as it is, text quoted. */
static int sums_key_elem(struct buf *b, const struct schema_sums *t, size_t k, const char *key)
{
	return t->key_int[k] ? buf_puts(b, key) : text_elem(b, key, strlen(key));
}

/* An array literal element: "text" with \ and " escaped; bytea as "\\x..". */
static int array_elem(struct buf *b, const struct std_field *f, const struct val_value *v)
{
	static const char hex[] = "0123456789abcdef";
	char num[VAL_NUMBER_MAX];
	size_t i, n;
	int rc;

	if (f->pii) {
		rc = buf_puts(b, "\"\\\\x");
		for (i = 0; i < v->n && !rc; i++) {
			rc = buf_putc(b, hex[(unsigned char)v->s[i] >> 4]);
			if (!rc)
				rc = buf_putc(b, hex[(unsigned char)v->s[i] & 15]);
		}
		return rc ? rc : buf_putc(b, '"');
	}
	if (f->type == STD_INTEGER) {
		n = val_format_int(v->i, num);
		return buf_append(b, num, n);
	}
	if (f->type == STD_NUMBER) {
		n = val_format_number(v->d, num, sizeof num);
		return buf_append(b, num, n);
	}
	return text_elem(b, v->s, v->n);
}

/* The keys of a batch, key after key (those of left[0..n), or all), as
 * arrays: arr[0] their positions in the batch, arr[1 + k] key field k. */
static int key_arrays_of(const struct std_dataset *ds, size_t n, const struct val_value *keys, const int *left,
			 struct buf *arr)
{
	size_t i, k;
	int rc = 0;

	for (k = 0; k <= ds->nkey && !rc; k++)
		rc = buf_putc(&arr[k], '{');
	for (i = 0; i < n && !rc; i++) {
		size_t at = left ? (size_t)left[i] : i;

		rc = buf_printf(&arr[0], "%s%zu", i ? "," : "", at);
		for (k = 0; k < ds->nkey && !rc; k++) {
			if (i)
				rc = buf_putc(&arr[k + 1], ',');
			if (!rc)
				rc = array_elem(&arr[k + 1], &ds->fields[ds->key[k]], &keys[at * ds->nkey + k]);
		}
	}
	for (k = 0; k <= ds->nkey && !rc; k++)
		rc = buf_putc(&arr[k], '}');
	return rc;
}

/* Looks up by key the n keys of left (or all n): one query. */
static int lookup_by_key(struct pg_ref *r, size_t n, const struct val_value *keys, const int *left, size_t nall,
			 int *found, struct val_value *fetched)
{
	const struct std_dataset *ds = r->ds;
	struct store *st = r->base.st;
	struct buf arr[1 + 8];
	struct params p;
	size_t i, k;
	int rc;

	for (k = 0; k <= ds->nkey; k++)
		buf_init(&arr[k], (size_t)1 << 28);
	rc = key_arrays_of(ds, n, keys, left, arr);
	params_init(&p);
	for (k = 0; k <= ds->nkey && !rc; k++)
		param_ref(&p, buf_str(&arr[k]), arr[k].len);
	if (!rc) {
		PQclear(r->last);
		r->last = run(st, r->sql_many, &p);
		if (!ok(r->last)) {
			rc = pgerr(st, r->last, "lookup");
		} else {
			for (i = 0; i < (size_t)PQntuples(r->last); i++) {
				size_t at = strtoul(PQgetvalue(r->last, (int)i, 0), NULL, 10);

				if (at >= nall)
					continue;
				found[at] = 1;
				if (r->nfetch)
					read_fields(r->last, (int)i, 1, ds, r->fetch, r->nfetch, &fetched[at * r->nfetch],
						    &r->mem);
			}
		}
	} else {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
	}
	params_release(&p);
	for (k = 0; k <= ds->nkey; k++)
		buf_release(&arr[k]);
	return rc;
}

/* Reads near (store_ref_near): a batch's keys are looked for among the
 * rows of the places (values of the near field) their rows name, read by
 * an index that leads with that field, each place once while the batches
 * go on asking for it: a school's results ask for its students over a few
 * batches, and each student is read once instead of looked up by key (a
 * fifth of the server's time of a first load of results).  The rows read
 * stay for the next batch: the target does not change while the ref is open
 * (an import refers to data sets written before).  It stops for the ref,
 * leaving every key to the lookup by key, when it does not pay: a batch's
 * keys spread over more places than one in NEAR_SPREAD, a read of more than
 * NEAR_ROWS rows, fewer than half of a batch's keys where their rows say.
 * Only for one near field of text (a school's code, an area's); a key field
 * with at most NEAR_FEW values in a batch narrows the read (a year). */
#define NEAR_MIN_KEYS 16
#define NEAR_SPREAD 8
#define NEAR_ROWS 16384
#define NEAR_FEW 8

/* Whether the table has an index that leads with the near field (else a
 * read would go through the table), and the read's SQL:
 *   SELECT key columns, fetched columns FROM t WHERE t.near = ANY ($1)
 *     AND (cardinality ($2) = 0 OR t.key1 = ANY ($2)) ... LIMIT $last
 * (a key field's array is left empty when it has too many values to help). */
static int near_prepare(struct pg_ref *r)
{
	const struct std_dataset *ds = r->ds;
	const struct std_field *nf = &ds->fields[r->base.near[0]];
	struct store *st = r->base.st;
	PGresult *res;
	struct buf b;
	char col[64];
	size_t i, w;
	int rc;

	r->near_ok = -1;
	/* (keys are matched as the server writes them: text and integers only) */
	for (i = 0; i < ds->nkey; i++)
		if (!ds->fields[ds->key[i]].pii && ds->fields[ds->key[i]].type != STD_STRING &&
		    ds->fields[ds->key[i]].type != STD_INTEGER)
			return 0;
	if (r->base.nnear != 1 || nf->pii || nf->type != STD_STRING)
		return 0;
	buf_init(&b, 1 << 14);
	if (buf_printf(&b,
		       "SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = "
		       "i.indkey[0] WHERE i.indrelid = '%s'::regclass AND a.attname = '%s' LIMIT 1",
		       ds->name, schema_col(nf, 0, col, sizeof col))) {
		buf_release(&b);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	res = run(st, buf_str(&b), NULL);
	if (!ok(res)) {
		rc = pgerr(st, res, "lookup");
		PQclear(res);
		buf_release(&b);
		return rc;
	}
	i = (size_t)PQntuples(res);
	PQclear(res);
	if (!i) {
		buf_release(&b);
		return 0;
	}
	buf_reset(&b);
	rc = buf_puts(&b, "SELECT ");
	for (i = 0; i < ds->nkey && !rc; i++)
		rc = buf_printf(&b, "%st.%s", i ? ", " : "", schema_col(&ds->fields[ds->key[i]], 0, col, sizeof col));
	for (i = 0; i < r->nfetch && !rc; i++)
		for (w = 0; w < schema_ncols(&ds->fields[r->fetch[i]]) && !rc; w++)
			rc = buf_printf(&b, ", t.%s", schema_col(&ds->fields[r->fetch[i]], (int)w, col, sizeof col));
	rc = rc || buf_printf(&b, " FROM %s t WHERE t.%s = ANY ($1::text[])", ds->name,
			      schema_col(nf, 0, col, sizeof col));
	for (i = 0; i < ds->nkey && !rc; i++) {
		const struct std_field *f = &ds->fields[ds->key[i]];

		rc = buf_printf(&b, " AND (cardinality ($%zu::%s[]) = 0 OR t.%s = ANY ($%zu::%s[]))", i + 2,
				array_type(f), schema_col(f, 0, col, sizeof col), i + 2, array_type(f));
	}
	rc = rc || buf_printf(&b, " LIMIT $%zu", ds->nkey + 2);
	if (rc || !(r->sql_near = buf_detach(&b, NULL))) {
		buf_release(&b);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	r->near_ok = 1;
	return 0;
}

/* A row's key from its first columns (one a field: personal data by its hash). */
static void read_key(PGresult *res, int row, const struct std_dataset *ds, struct val_value *out, struct arena *a)
{
	size_t k;

	for (k = 0; k < ds->nkey; k++) {
		memset(&out[k], 0, sizeof out[k]);
		read_col(res, row, (int)k, &ds->fields[ds->key[k]], 0, &out[k], a);
	}
}

/* The distinct values of field f among vals[i * stride] (i < n), at most
 * max (*count is max + 1 when there are more), into out (indexes into vals). */
static size_t distinct_of(const struct std_field *f, const struct val_value *vals, size_t stride, size_t n,
			  size_t max, int *out)
{
	size_t i, j, m = 0;

	for (i = 0; i < n; i++) {
		const struct val_value *v = &vals[i * stride];

		if (v->state != VAL_SET)
			continue;
		for (j = 0; j < m; j++) {
			const struct val_value *u = &vals[(size_t)out[j] * stride];

			if (same_val(f, u, v))
				break;
		}
		if (j < m)
			continue;
		if (m == max)
			return max + 1;
		out[m++] = (int)i;
	}
	return m;
}

static void near_drop(struct pg_ref *r, size_t i)
{
	size_t k;

	PQclear(r->reads[i].res);
	for (k = 0; k < r->reads[i].nplaces; k++)
		nw_free(r->reads[i].places[k]);
	nw_free(r->reads[i].places);
	r->reads[i] = r->reads[--r->nreads];
}

static void near_drop_all(struct pg_ref *r)
{
	while (r->nreads)
		near_drop(r, r->nreads - 1);
}

/* Whether a read has the place v. */
static int read_has(const struct near_read *rd, const struct val_value *v)
{
	size_t k;

	for (k = 0; k < rd->nplaces; k++)
		if (strlen(rd->places[k]) == v->n && !memcmp(rd->places[k], v->s, v->n))
			return 1;
	return 0;
}

/* Whether a read kept has the place v. */
static int near_has(const struct pg_ref *r, const struct val_value *v)
{
	size_t i;

	for (i = 0; i < r->nreads; i++)
		if (read_has(&r->reads[i], v))
			return 1;
	return 0;
}

/* The rows the reads kept hold. */
static size_t near_rows(const struct pg_ref *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nreads; i++)
		n += r->reads[i].nrows;
	return n;
}

/* Reads the places of the batch (near, its keys' places) that no read
 * kept has; the reads of places the batch does not name go. */
static int near_read(struct pg_ref *r, size_t n, const struct val_value *keys, const struct val_value *near,
		     size_t nplaces)
{
	const struct std_dataset *ds = r->ds;
	const struct std_field *nf = &ds->fields[r->base.near[0]];
	struct store *st = r->base.st;
	struct near_read *rd;
	struct buf arr[1 + 8];
	struct params p;
	size_t i, k, m, nnew = 0;
	int *place = r->left, rc = 0, keep;

	for (i = r->nreads; i-- > 0;) {
		for (m = 0, keep = 0; m < nplaces && !keep; m++)
			keep = read_has(&r->reads[i], &near[place[m]]);
		if (!keep)
			near_drop(r, i);
	}
	if (r->nreads == NEAR_READS || near_rows(r) > NEAR_ROWS)
		near_drop_all(r);
	for (k = 0; k <= ds->nkey; k++)
		buf_init(&arr[k], (size_t)1 << 28);
	rd = &r->reads[r->nreads];
	memset(rd, 0, sizeof *rd);
	rc = buf_putc(&arr[0], '{');
	for (m = 0; m < nplaces && !rc; m++) {
		const struct val_value *v = &near[place[m]];

		if (near_has(r, v))
			continue;
		rc = (nnew && buf_putc(&arr[0], ',')) || array_elem(&arr[0], nf, v);
		place[nnew++] = place[m];
	}
	rc = rc || buf_putc(&arr[0], '}');
	/* a key field with few values narrows the read */
	for (k = 0; k < ds->nkey && !rc && nnew; k++) {
		const struct std_field *f = &ds->fields[ds->key[k]];
		int few[NEAR_FEW];
		size_t nfew = distinct_of(f, &keys[k], ds->nkey, n, NEAR_FEW, few);

		rc = buf_putc(&arr[k + 1], '{');
		for (m = 0; m < nfew && nfew <= NEAR_FEW && !rc; m++)
			rc = (m && buf_putc(&arr[k + 1], ',')) ||
			     array_elem(&arr[k + 1], f, &keys[(size_t)few[m] * ds->nkey + k]);
		rc = rc || buf_putc(&arr[k + 1], '}');
	}
	if (rc || !nnew)
		goto out;
	rd->places = nw_calloc(nnew, sizeof *rd->places);
	for (m = 0; rd->places && m < nnew; m++) {
		const struct val_value *v = &near[place[m]];

		if (!(rd->places[m] = nw_strndup(v->s, v->n)))
			break;
		rd->nplaces++;
	}
	if (!rd->places || rd->nplaces < nnew) {
		rc = 1;
		goto out;
	}
	params_init(&p);
	for (k = 0; k <= ds->nkey; k++)
		param_ref(&p, buf_str(&arr[k]), arr[k].len);
	param_int(&p, NEAR_ROWS + 1);
	rd->res = run(st, r->sql_near, &p);
	params_release(&p);
	r->nreads++;
	if (!ok(rd->res)) {
		rc = pgerr(st, rd->res, "lookup");
		near_drop(r, r->nreads - 1);
		goto out_err;
	}
	rd->nrows = (size_t)PQntuples(rd->res);
	if (rd->nrows > NEAR_ROWS) { /* too many to keep: by key */
		near_drop_all(r);
		r->near_ok = -1;
	}
out:
	if (rc) {
		if (rd->places) {
			for (m = 0; m < rd->nplaces; m++)
				nw_free(rd->places[m]);
			nw_free(rd->places);
		}
		rc = err_generic(&st->err, NAWAT_ENOMEM);
	}
out_err:
	for (k = 0; k <= ds->nkey; k++)
		buf_release(&arr[k]);
	return rc;
}

/* Looks the batch's keys up among the rows read near them (found, fetched). */
static int lookup_near(struct pg_ref *r, size_t n, const struct val_value *keys, const struct val_value *near,
		       int *found, struct val_value *fetched)
{
	const struct std_dataset *ds = r->ds;
	size_t nslot = 2 * n, i, j, nplaces, hits = 0;
	struct val_value key[8];
	int rc;

	nplaces = distinct_of(&ds->fields[r->base.near[0]], near, 1, n, n / NEAR_SPREAD, r->left);
	if (nplaces > n / NEAR_SPREAD) {
		near_drop_all(r);
		r->near_ok = -1; /* spread over too many places */
		return 0;
	}
	if (!nplaces)
		return 0; /* no place known: all by key */
	if ((rc = near_read(r, n, keys, near, nplaces)) || r->near_ok < 0)
		return rc;
	/* the batch's keys by hash, then each row read to its key */
	for (i = 0; i < nslot; i++)
		r->slot[i] = -1;
	for (i = 0; i < n; i++) {
		size_t pos = key_hash(ds, &keys[i * ds->nkey], 1) % nslot;

		while (r->slot[pos] >= 0)
			pos = (pos + 1) % nslot;
		r->slot[pos] = (int)i;
	}
	for (j = 0; j < r->nreads; j++) {
		PGresult *res = r->reads[j].res;

		for (i = 0; i < r->reads[j].nrows; i++) {
			size_t pos;

			read_key(res, (int)i, ds, key, &r->mem);
			for (pos = key_hash(ds, key, 1) % nslot; r->slot[pos] >= 0; pos = (pos + 1) % nslot) {
				size_t at = (size_t)r->slot[pos];

				if (found[at] || !key_equal(ds, &keys[at * ds->nkey], 1, key, 1))
					continue;
				found[at] = 1;
				hits++;
				if (r->nfetch)
					read_fields(res, (int)i, (int)ds->nkey, ds, r->fetch, r->nfetch,
						    &fetched[at * r->nfetch], &r->mem);
				break;
			}
		}
	}
	/* the keys are not where their rows say (the reads go at the next
	 * call: what was fetched points into them) */
	if (hits < n / 2)
		r->near_ok = -1;
	return 0;
}

static int pg_ref_lookup_many(struct store_ref *br, size_t n, const struct val_value *keys,
			      const struct val_value *near, int *found, struct val_value *fetched)
{
	struct pg_ref *r = (struct pg_ref *)br;
	const struct std_dataset *ds = r->ds;
	size_t i, nleft = 0;
	int rc;

	if (ds->nkey > 8)
		return err_msg(&br->st->err, NAWAT_ELIMIT, "คีย์ยาวเกินไป", "key too long");
	arena_reset(&r->mem);
	for (i = 0; i < n; i++)
		found[i] = 0;
	if (r->near_ok < 0)
		near_drop_all(r);
	if (!near || !br->nnear || n < NEAR_MIN_KEYS || r->near_ok < 0)
		return lookup_by_key(r, n, keys, NULL, n, found, fetched);
	if (n > r->cap) {
		nw_free(r->slot);
		nw_free(r->left);
		r->slot = nw_malloc(2 * n * sizeof *r->slot);
		r->left = nw_malloc(n * sizeof *r->left);
		r->cap = r->slot && r->left ? n : 0;
		if (!r->cap)
			return err_generic(&br->st->err, NAWAT_ENOMEM);
	}
	if ((!r->near_ok && (rc = near_prepare(r))) ||
	    (r->near_ok > 0 && (rc = lookup_near(r, n, keys, near, found, fetched))))
		return rc;
	/* the rest by key (a row whose reference is not where it says) */
	for (i = 0; i < n; i++)
		if (!found[i])
			r->left[nleft++] = (int)i;
	return nleft ? lookup_by_key(r, nleft, keys, r->left, n, found, fetched) : 0;
}

/* ---- prefixes and sums (the observer's reads and writes) ---- */

static int pg_scan_prefix_many(struct store *st, const struct std_dataset *ds, size_t nprefix, size_t n,
			       const struct val_value *prefixes,
			       int (*fn)(void *ctx, size_t i, const struct val_value *vals), void *ctx)
{
	struct val_value *vals = NULL;
	struct buf sql, arr[1 + 8];
	struct arena mem;
	struct params p;
	PGresult *res = NULL;
	char col[64];
	size_t i, k;
	int rc = 0;

	if (nprefix > ds->nkey || nprefix > 8)
		return err_msg(&st->err, NAWAT_EINVAL, "คีย์ไม่ถูกต้อง", "bad key prefix");
	if (!n)
		return 0;
	buf_init(&sql, 1 << 16);
	arena_init(&mem, 16 * 1024, 0);
	params_init(&p);
	for (k = 0; k <= nprefix; k++) {
		buf_init(&arr[k], (size_t)1 << 28);
		rc = rc ? rc : buf_putc(&arr[k], '{');
	}
	/* WITH k AS (unnest of the prefixes) SELECT k.nw_i, t.* JOIN on them */
	rc = rc || buf_puts(&sql, "WITH k AS (SELECT * FROM unnest($1::int[]");
	for (k = 0; k < nprefix && !rc; k++)
		rc = buf_printf(&sql, ", $%zu::%s[]", k + 2, array_type(&ds->fields[ds->key[k]]));
	rc = rc || buf_puts(&sql, ") AS k (nw_i");
	for (k = 0; k < nprefix && !rc; k++)
		rc = buf_printf(&sql, ", k%zu", k);
	rc = rc || buf_puts(&sql, ")) SELECT k.nw_i, ") || cols(ds, "t.", &sql) ||
	     buf_printf(&sql, " FROM k JOIN %s t ON ", ds->name);
	for (k = 0; k < nprefix && !rc; k++)
		rc = buf_printf(&sql, "%st.%s = k.k%zu", k ? " AND " : "",
				schema_col(&ds->fields[ds->key[k]], 0, col, sizeof col), k);
	for (i = 0; i < n && !rc; i++) {
		rc = buf_printf(&arr[0], "%s%zu", i ? "," : "", i);
		for (k = 0; k < nprefix && !rc; k++) {
			if (i)
				rc = buf_putc(&arr[k + 1], ',');
			if (!rc)
				rc = array_elem(&arr[k + 1], &ds->fields[ds->key[k]], &prefixes[i * nprefix + k]);
		}
	}
	for (k = 0; k <= nprefix && !rc; k++) {
		rc = buf_putc(&arr[k], '}');
		param_ref(&p, buf_str(&arr[k]), arr[k].len);
	}
	vals = nw_calloc(ds->nfields, sizeof *vals);
	if (rc || !vals) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	res = run(st, buf_str(&sql), &p);
	if (!ok(res)) {
		rc = pgerr(st, res, "prefix");
		goto out;
	}
	for (i = 0; i < (size_t)PQntuples(res) && !rc; i++) {
		size_t at = strtoul(PQgetvalue(res, (int)i, 0), NULL, 10);

		arena_reset(&mem);
		read_fields(res, (int)i, 1, ds, NULL, ds->nfields, vals, &mem);
		if (at < n)
			rc = fn(ctx, at, vals);
	}
out:
	PQclear(res);
	params_release(&p);
	for (k = 0; k <= nprefix; k++)
		buf_release(&arr[k]);
	buf_release(&sql);
	arena_release(&mem);
	nw_free(vals);
	return rc;
}

#define SUMS_COLS_MAX 128

/* Rows of a table of sums: every column an array, one upsert over their
 * unnest that adds (put = 0) or sets (1), and one delete of the rows left
 * empty (with the keys again).  No staging table: a write is one or two
 * statements, whatever its size, sent without waiting (send_later). */
static int sums_write(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
		      const int64_t *vals, const char *const *texts, int put)
{
	struct buf sql, arr[SUMS_COLS_MAX];
	const char *pv[SUMS_COLS_MAX];
	int plen[SUMS_COLS_MAX];
	size_t i, k, v, ncol = t->nkey + t->nval + (t->text ? 1 : 0);
	int rc = 0, check = 0;

	if (!n)
		return 0;
	if (ncol > SUMS_COLS_MAX)
		return err_msg(&st->err, NAWAT_ELIMIT, "ตารางผลรวมมีคอลัมน์มากเกินไป", "too many columns of sums");
	buf_init(&sql, 1 << 16);
	for (k = 0; k < ncol; k++) {
		buf_init(&arr[k], (size_t)1 << 30);
		rc = rc || buf_putc(&arr[k], '{');
	}
	for (i = 0; i < n && !rc; i++) {
		for (k = 0; k < t->nkey && !rc; k++) {
			const char *key = keys[i * t->nkey + k];

			rc = (i && buf_putc(&arr[k], ',')) || sums_key_elem(&arr[k], t, k, key);
		}
		for (v = 0; v < t->nval && !rc; v++)
			rc = buf_printf(&arr[t->nkey + v], "%s%lld", i ? "," : "", (long long)vals[i * t->nval + v]);
		check |= schema_sums_may_empty(t, &vals[i * t->nval], put); /* (the DELETE below only then) */
		if (!rc && t->text)
			rc = (i && buf_putc(&arr[ncol - 1], ',')) || text_elem(&arr[ncol - 1], put ? texts[i] : "",
										      put ? strlen(texts[i]) : 0);
	}
	for (k = 0; k < ncol && !rc; k++) {
		rc = buf_putc(&arr[k], '}');
		pv[k] = buf_str(&arr[k]);
		plen[k] = (int)arr[k].len;
	}
	/* INSERT INTO t SELECT * FROM unnest($1::text[], ...) ORDER BY keys ON CONFLICT (keys) DO UPDATE ... */
	rc = rc || buf_printf(&sql, "INSERT INTO %s SELECT * FROM unnest(", t->name);
	for (k = 0; k < ncol && !rc; k++)
		rc = buf_printf(&sql, "%s$%zu::%s[]", k ? ", " : "", k + 1,
				k < t->nkey ? (t->key_int[k] ? "bigint" : "text") : k < t->nkey + t->nval ? "bigint" : "text");
	rc = rc || buf_puts(&sql, ") ORDER BY ");
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(&sql, "%s%zu", k ? ", " : "", k + 1);
	rc = rc || buf_puts(&sql, " ON CONFLICT (");
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(&sql, "%s%s", k ? ", " : "", t->key[k]);
	rc = rc || buf_puts(&sql, ") DO UPDATE SET ");
	for (v = 0; v < t->nval && !rc; v++)
		rc = put ? buf_printf(&sql, "%s%s = excluded.%s", v ? ", " : "", t->val[v], t->val[v])
			 : buf_printf(&sql, "%s%s = %s.%s + excluded.%s", v ? ", " : "", t->val[v], t->name, t->val[v],
				      t->val[v]);
	if (!rc && t->text && put)
		rc = buf_printf(&sql, ", %s = excluded.%s", t->text, t->text);
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if ((rc = send_later(st, buf_str(&sql), (int)ncol, pv, plen)) || !check)
		goto out;
	/* DELETE FROM t USING unnest($1::text[], ...) AS s (k0, ...) WHERE t.k = s.k ... AND t.v = 0 ... */
	buf_reset(&sql);
	rc = buf_printf(&sql, "DELETE FROM %s t USING unnest(", t->name);
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(&sql, "%s$%zu::%s[]", k ? ", " : "", k + 1, t->key_int[k] ? "bigint" : "text");
	rc = rc || buf_puts(&sql, ") AS s (");
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(&sql, "%sk%zu", k ? ", " : "", k);
	rc = rc || buf_puts(&sql, ") WHERE ");
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(&sql, "t.%s = s.k%zu AND ", t->key[k], k);
	for (v = 0; v < t->nval && !rc; v++)
		rc = buf_printf(&sql, "%st.%s = 0", v ? " AND " : "", t->val[v]);
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	rc = send_later(st, buf_str(&sql), (int)t->nkey, pv, plen);
out:
	buf_release(&sql);
	for (k = 0; k < ncol; k++)
		buf_release(&arr[k]);
	return rc;
}

static int pg_sums_add(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
		       const int64_t *vals)
{
	return sums_write(st, t, n, keys, vals, NULL, 0);
}

static int pg_sums_put(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
		       const int64_t *vals, const char *const *texts)
{
	return sums_write(st, t, n, keys, vals, texts, 1);
}

/* The stored rows of n keys: one query over the keys as arrays. */
static int pg_sums_get_many(struct store *st, const struct schema_sums *t, size_t n, const char *const *keys,
			    int (*fn)(void *ctx, size_t i, const int64_t *vals, const char *text), void *ctx)
{
	struct buf sql, arr[1 + 16];
	struct params p;
	PGresult *res = NULL;
	int64_t v[256];
	size_t i, k;
	int rc = 0;

	if (!n)
		return 0;
	if (t->nkey > 16 || t->nval > 256)
		return err_msg(&st->err, NAWAT_ELIMIT, "คอลัมน์มากเกินไป", "too many columns");
	buf_init(&sql, 1 << 16);
	params_init(&p);
	for (k = 0; k <= t->nkey; k++) {
		buf_init(&arr[k], (size_t)1 << 28);
		rc = rc ? rc : buf_putc(&arr[k], '{');
	}
	rc = rc || buf_puts(&sql, "WITH k AS (SELECT * FROM unnest($1::int[]");
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(&sql, ", $%zu::%s[]", k + 2, t->key_int[k] ? "bigint" : "text");
	rc = rc || buf_puts(&sql, ") AS k (nw_i");
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(&sql, ", k%zu", k);
	rc = rc || buf_puts(&sql, ")) SELECT k.nw_i");
	for (k = 0; k < t->nval && !rc; k++)
		rc = buf_printf(&sql, ", t.%s", t->val[k]);
	if (!rc && t->text)
		rc = buf_printf(&sql, ", t.%s", t->text);
	rc = rc || buf_printf(&sql, " FROM k JOIN %s t ON ", t->name);
	for (k = 0; k < t->nkey && !rc; k++)
		rc = buf_printf(&sql, "%st.%s = k.k%zu", k ? " AND " : "", t->key[k], k);
	for (i = 0; i < n && !rc; i++) {
		rc = buf_printf(&arr[0], "%s%zu", i ? "," : "", i);
		for (k = 0; k < t->nkey && !rc; k++) {
			if (i)
				rc = buf_putc(&arr[k + 1], ',');
			if (!rc)
				rc = sums_key_elem(&arr[k + 1], t, k, keys[i * t->nkey + k]);
		}
	}
	for (k = 0; k <= t->nkey && !rc; k++) {
		rc = buf_putc(&arr[k], '}');
		param_ref(&p, buf_str(&arr[k]), arr[k].len);
	}
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	res = run(st, buf_str(&sql), &p);
	if (!ok(res)) {
		rc = pgerr(st, res, "sums");
		goto out;
	}
	for (i = 0; i < (size_t)PQntuples(res) && !rc; i++) {
		size_t at = strtoul(PQgetvalue(res, (int)i, 0), NULL, 10);

		for (k = 0; k < t->nval; k++)
			v[k] = strtoll(PQgetvalue(res, (int)i, (int)k + 1), NULL, 10);
		if (at < n)
			rc = fn(ctx, at, v, t->text ? PQgetvalue(res, (int)i, (int)t->nval + 1) : NULL);
	}
out:
	PQclear(res);
	params_release(&p);
	for (k = 0; k <= t->nkey; k++)
		buf_release(&arr[k]);
	buf_release(&sql);
	return rc;
}

/* ---- scans: a cursor fetched a thousand rows at a time ----
 * (flat memory, and the connection stays free for lookups between fetches,
 * which single-row mode would not allow) */

#define FETCH_ROWS 1000

struct pg_scan {
	struct store_scan base;
	const struct std_dataset *ds;
	PGresult *rows;
	int at, n, done, own_tx, open, changes;
	char name[32];
	struct arena mem;
};

static void pg_scan_close(struct store_scan *bs)
{
	struct pg_scan *sc = (struct pg_scan *)bs;
	char sql[64];

	if (!sc)
		return;
	PQclear(sc->rows);
	if (sc->open) {
		snprintf(sql, sizeof sql, "CLOSE %s", sc->name);
		ex(bs->st, sql);
	}
	if (sc->own_tx) {
		ex(bs->st, "COMMIT");
		bs->st->in_tx = 0;
	}
	arena_release(&sc->mem);
	nw_free(sc);
}

static int bind_query(struct store *st, const struct std_dataset *ds, const struct store_query *q,
		      const struct qparam *qp, int np, struct params *p, struct buf *pat)
{
	int i;

	for (i = 0; i < np; i++) {
		switch (qp[i].kind) {
		case QP_FILTER:
			param_val(p, &ds->fields[q->filters[qp[i].index].field], 0, &q->filters[qp[i].index].value);
			break;
		case QP_SCOPE:
			param_text(p, q->scope.code, strlen(q->scope.code));
			break;
		case QP_SEARCH:
			param_text(p, buf_str(pat), pat->len);
			break;
		case QP_AFTER:
			param_val(p, &ds->fields[ds->key[qp[i].index]], 0, &q->after[qp[i].index]);
			break;
		case QP_SINCE:
			param_int(p, q->since);
			break;
		case QP_UPTO:
			param_int(p, q->upto);
			break;
		case QP_AFTER_SEQ:
			param_int(p, q->after_seq);
			break;
		}
	}
	(void)st;
	return 0;
}

static int pg_scan_open(struct store *st, const struct std_dataset *ds, const struct store_query *q,
			struct store_scan **out)
{
	static int counter;
	struct qparam qp[QPARAM_MAX];
	struct buf sql, what, pat;
	struct params p;
	struct pg_scan *sc;
	PGresult *res;
	int np = QPARAM_MAX, rc;

	*out = NULL;
	sc = nw_calloc(1, sizeof *sc);
	if (!sc)
		return err_generic(&st->err, NAWAT_ENOMEM);
	sc->base.st = st;
	sc->ds = ds;
	sc->changes = q && q->changes;
	snprintf(sc->name, sizeof sc->name, "nw_cur_%d", __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
	arena_init(&sc->mem, 16 * 1024, 0);
	buf_init(&sql, 1 << 16);
	buf_init(&what, 1 << 16);
	buf_init(&pat, 4096);
	params_init(&p);
	rc = buf_printf(&sql, "DECLARE %s NO SCROLL CURSOR FOR ", sc->name) || schema_field_list(ds, &what) ||
	     schema_query(&schema_pg, ds, q, buf_str(&what), 1, &sql, qp, &np);
	if (!rc && q && q->search)
		rc = schema_like_pattern(q->search, &pat);
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	bind_query(st, ds, q, qp, np, &p, &pat);
	if (!st->in_tx) {
		/* a cursor lives in a transaction: a read-only one of the scan's own */
		if ((rc = ex(st, "BEGIN READ ONLY")))
			goto out;
		sc->own_tx = 1;
		st->in_tx = 1;
	}
	res = run(st, buf_str(&sql), &p);
	if (!ok(res))
		rc = pgerr(st, res, "scan");
	else
		sc->open = 1;
	PQclear(res);
out:
	params_release(&p);
	buf_release(&sql);
	buf_release(&what);
	buf_release(&pat);
	if (rc) {
		pg_scan_close(&sc->base);
		return rc;
	}
	*out = &sc->base;
	return 0;
}

static int pg_scan_next(struct store_scan *bs, struct val_value *vals)
{
	struct pg_scan *sc = (struct pg_scan *)bs;
	char sql[64];
	int col;

	if (sc->at >= sc->n) {
		if (sc->done)
			return 0;
		PQclear(sc->rows);
		snprintf(sql, sizeof sql, "FETCH %d FROM %s", FETCH_ROWS, sc->name);
		sc->rows = exec_now(PG(bs->st), sql);
		if (!ok(sc->rows))
			return pgerr(bs->st, sc->rows, "scan");
		sc->n = PQntuples(sc->rows);
		sc->at = 0;
		if (sc->n < FETCH_ROWS)
			sc->done = 1;
		if (!sc->n)
			return 0;
	}
	arena_reset(&sc->mem);
	col = read_fields(sc->rows, sc->at, 0, sc->ds, NULL, sc->ds->nfields, vals, &sc->mem);
	if (sc->changes)
		bs->seq = strtoll(PQgetvalue(sc->rows, sc->at, col), NULL, 10);
	sc->at++;
	return 1;
}

static int pg_count(struct store *st, const struct std_dataset *ds, const struct store_query *q, int64_t *n)
{
	struct qparam qp[QPARAM_MAX];
	struct store_query cq;
	struct buf sql, pat;
	struct params p;
	PGresult *res;
	int np = QPARAM_MAX, rc;

	if (q) {
		cq = *q;
		cq.limit = cq.offset = 0;
		cq.after = NULL;
		q = &cq;
	}
	buf_init(&sql, 1 << 16);
	buf_init(&pat, 4096);
	params_init(&p);
	rc = schema_query(&schema_pg, ds, q, "count(*)", 0, &sql, qp, &np);
	if (!rc && q && q->search)
		rc = schema_like_pattern(q->search, &pat);
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	bind_query(st, ds, q, qp, np, &p, &pat);
	res = run(st, buf_str(&sql), &p);
	if (!ok(res))
		rc = pgerr(st, res, "count");
	else
		*n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
out:
	params_release(&p);
	buf_release(&sql);
	buf_release(&pat);
	return rc;
}

/* ---- statements: '?' become $n; the whole result is read at the first step ---- */

struct pg_stmt {
	struct store_stmt base;
	char *sql;
	struct params p;
	PGresult *res;
	int row;                 /* the current row, -1 before the first */
	struct arena mem;
};

static int pg_prepare(struct store *st, const char *sql, struct store_stmt **out)
{
	struct pg_stmt *s = nw_calloc(1, sizeof *s);
	struct buf b;
	const char *c;
	int n = 0, quote = 0, bad = 0;

	*out = NULL;
	if (!s)
		return err_generic(&st->err, NAWAT_ENOMEM);
	s->base.st = st;
	params_init(&s->p);
	arena_init(&s->mem, 1024, 0);
	buf_init(&b, 1 << 20);
	/* every byte or none: part of a statement must never run */
	for (c = sql; *c && !bad; c++) {
		if (*c == '\'')
			quote = !quote;
		if (*c == '?' && !quote)
			bad = buf_printf(&b, "$%d", ++n);
		else
			bad = buf_putc(&b, *c);
	}
	s->sql = bad ? NULL : buf_detach(&b, NULL);
	buf_release(&b);
	s->row = -1;
	if (!s->sql) {
		nw_free(s);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	*out = &s->base;
	return 0;
}

static void pg_finalize(struct store_stmt *bs)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;

	PQclear(s->res);
	params_release(&s->p);
	arena_release(&s->mem);
	nw_free(s->sql);
	nw_free(s);
}

static int set_param(struct pg_stmt *s, int i)
{
	if (i < 1 || i > QPARAM_MAX)
		return NAWAT_ELIMIT;
	while (s->p.n < i) {
		s->p.v[s->p.n] = NULL;
		s->p.len[s->p.n] = 0;
		s->p.fmt[s->p.n] = 0;
		s->p.n++;
	}
	return 0;
}

static int pg_bind_int(struct store_stmt *bs, int i, int64_t v)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;
	char num[32];
	size_t n = val_format_int(v, num);

	if (set_param(s, i))
		return NAWAT_ELIMIT;
	s->p.v[i - 1] = arena_strndup(&s->p.mem, num, n);
	s->p.len[i - 1] = (int)n;
	s->p.fmt[i - 1] = 0;
	return s->p.v[i - 1] ? 0 : NAWAT_ENOMEM;
}

static int pg_bind_text(struct store_stmt *bs, int i, const char *v, size_t n)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;

	if (set_param(s, i))
		return NAWAT_ELIMIT;
	s->p.v[i - 1] = arena_strndup(&s->p.mem, v, n);
	s->p.len[i - 1] = (int)n;
	s->p.fmt[i - 1] = 0;
	return s->p.v[i - 1] ? 0 : NAWAT_ENOMEM;
}

static int pg_bind_blob(struct store_stmt *bs, int i, const void *v, size_t n)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;
	char *copy;

	if (set_param(s, i))
		return NAWAT_ELIMIT;
	copy = arena_alloc(&s->p.mem, n ? n : 1);
	if (!copy)
		return NAWAT_ENOMEM;
	memcpy(copy, v, n);
	s->p.v[i - 1] = copy;
	s->p.len[i - 1] = (int)n;
	s->p.fmt[i - 1] = 1;
	return 0;
}

static int pg_bind_null(struct store_stmt *bs, int i)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;

	if (set_param(s, i))
		return NAWAT_ELIMIT;
	s->p.v[i - 1] = NULL;
	return 0;
}

static int pg_step(struct store_stmt *bs)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;

	if (!s->res) {
		s->res = run(bs->st, s->sql, &s->p);
		if (!ok(s->res)) {
			int rc = pgerr(bs->st, s->res, "step");

			PQclear(s->res);
			s->res = NULL;
			return rc;
		}
		/* an INSERT, UPDATE or DELETE changes data only in data-set tables
		 * through the writer; system tables do not move data_version */
	}
	if (PQresultStatus(s->res) != PGRES_TUPLES_OK)
		return 0;
	if (s->row + 1 < PQntuples(s->res)) {
		s->row++;
		return 1;
	}
	return 0;
}

static int pg_reset(struct store_stmt *bs)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;

	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->p.n = 0;
	arena_reset(&s->p.mem);
	arena_reset(&s->mem);
	return 0;
}

static int pg_col_null(struct store_stmt *bs, int i)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;

	return !s->res || s->row < 0 || PQgetisnull(s->res, s->row, i);
}

static int64_t pg_col_int(struct store_stmt *bs, int i)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;

	return pg_col_null(bs, i) ? 0 : strtoll(PQgetvalue(s->res, s->row, i), NULL, 10);
}

static const char *pg_col_text(struct store_stmt *bs, int i, size_t *n)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;

	if (pg_col_null(bs, i)) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (n)
		*n = (size_t)PQgetlength(s->res, s->row, i);
	return PQgetvalue(s->res, s->row, i);
}

static const void *pg_col_blob(struct store_stmt *bs, int i, size_t *n)
{
	struct pg_stmt *s = (struct pg_stmt *)bs;
	size_t len;
	const void *p;

	if (pg_col_null(bs, i)) {
		if (n)
			*n = 0;
		return NULL;
	}
	p = unhex(&s->mem, PQgetvalue(s->res, s->row, i), &len);
	if (n)
		*n = len;
	return p;
}

/* ---- submissions ---- */

static int pg_sub_create(struct store *st, struct store_sub *s)
{
	struct params p;
	PGresult *res;
	int rc;

	params_init(&p);
	param_text(&p, s->created_at, strlen(s->created_at));
	param_text(&p, s->user_name, strlen(s->user_name));
	param_text(&p, s->dataset, strlen(s->dataset));
	param_text(&p, s->file_name, strlen(s->file_name));
	param_text(&p, s->sha256, strlen(s->sha256));
	param_text(&p, s->format, strlen(s->format));
	param_text(&p, s->encoding, strlen(s->encoding));
	param_text(&p, s->status, strlen(s->status));
	param_text(&p, s->kind ? s->kind : "import", strlen(s->kind ? s->kind : "import"));
	/* first_seq: every change number the submission takes is above it */
	res = run(st, "INSERT INTO submissions (created_at, user_name, dataset, file_name, sha256, format, encoding, "
		      "status, kind, first_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nextval('nawat_seq')) "
		      "RETURNING id", &p);
	params_release(&p);
	if (!ok(res))
		rc = pgerr(st, res, "submission");
	else {
		s->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		rc = buf_printf(&PG(st)->tx_subs, "%s%lld", PG(st)->tx_subs.len ? "," : "{", (long long)s->id)
			     ? err_generic(&st->err, NAWAT_ENOMEM)
			     : 0;
	}
	PQclear(res);
	return rc;
}

static int pg_sub_finish(struct store *st, const struct store_sub *s)
{
	struct params p;
	PGresult *res;
	int rc, i;
	int64_t v[8] = { s->inserted, s->updated, s->unchanged, s->rejected, s->errors, s->warnings, s->deleted,
			 s->id };

	params_init(&p);
	param_text(&p, s->sha256, strlen(s->sha256));
	param_text(&p, s->encoding, strlen(s->encoding));
	param_text(&p, s->status, strlen(s->status));
	for (i = 0; i < 8; i++)
		param_int(&p, v[i]);
	res = run(st, "UPDATE submissions SET sha256 = $1, encoding = $2, status = $3, inserted = $4, updated = $5, "
		      "unchanged = $6, rejected = $7, errors = $8, warnings = $9, deleted = $10 WHERE id = $11", &p);
	params_release(&p);
	rc = ok(res) ? 0 : pgerr(st, res, "submission");
	PQclear(res);
	return rc;
}

static int pg_sub_issue(struct store *st, int64_t sub_id, const struct store_issue *is)
{
	struct params p;
	PGresult *res;
	char a[32], b[32];
	size_t na = val_format_int(sub_id, a), nb = val_format_int(is->row, b);
	int rc;

	params_init(&p);
	param_text(&p, a, na);
	param_text(&p, b, nb);
	param_text(&p, is->column, strlen(is->column));
	param_text(&p, is->value, is->value ? strlen(is->value) : 0);
	param_text(&p, is->code, strlen(is->code));
	param_text(&p, is->severity, strlen(is->severity));
	res = run(st, "INSERT INTO submission_issues (sub_id, row_no, column_name, value, code, severity) "
		      "VALUES ($1, $2, $3, $4, $5, $6)", &p);
	params_release(&p);
	rc = ok(res) ? 0 : pgerr(st, res, "submission issue");
	PQclear(res);
	return rc;
}

/* ---- backup: pg_dump's custom format, pg_restore back ---- */

/* Runs a PostgreSQL client tool (from PATH or the server's bin directory). */
/*
 * Runs a PostgreSQL client tool (the newest installed), its stdout and
 * stderr read into out (kept up to 1 MiB).  On failure the error names the
 * tool and carries the first line it printed.
 */
static int run_tool(struct store *st, const char *tool, char *const argv[], struct buf *out)
{
	posix_spawn_file_actions_t fa;
	char path[512], chunk[4096], first[512];
	glob_t g;
	pid_t pid;
	int status, rc, fds[2];
	ssize_t n;
	size_t i, len;
	const char *nl;

	snprintf(path, sizeof path, "%s", tool);
	if (glob("/usr/lib/postgresql/*/bin", 0, NULL, &g) == 0) {
		/* the newest installed version */
		for (i = 0; i < g.gl_pathc; i++)
			snprintf(path, sizeof path, "%s/%s", g.gl_pathv[i], tool);
		globfree(&g);
		if (access(path, X_OK) != 0)
			snprintf(path, sizeof path, "%s", tool);
	}
	if (pipe(fds) != 0)
		return err_set(&st->err, NAWAT_EIO, "เรียกใช้ %s ไม่ได้", "cannot run %s", tool);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	rc = posix_spawnp(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return err_set(&st->err, NAWAT_EIO, "เรียกใช้ %s ไม่ได้ (ติดตั้ง postgresql-client)",
			       "cannot run %s (install postgresql-client)", tool);
	}
	while ((n = read(fds[0], chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && out->len < (1u << 20))
			buf_append(out, chunk, (size_t)n);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(&st->err, NAWAT_EIO, "%s ทำงานไม่สำเร็จ", "%s failed", tool);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		nl = memchr(buf_str(out), '\n', out->len);
		len = nl ? (size_t)(nl - buf_str(out)) : out->len;
		snprintf(first, sizeof first, "%.*s", (int)len, buf_str(out));
		return err_set(&st->err, NAWAT_ESTORE, "%s ทำงานไม่สำเร็จ: %s", "%s failed: %s", tool,
			       first[0] ? first : "-");
	}
	return 0;
}

static int pg_backup(struct store *st, const char *path)
{
	char *argv[] = { "pg_dump", "--format=custom", "--no-owner", "--file", (char *)path, "--dbname",
			 st->url, NULL };
	struct stat sb;
	struct buf out;
	int rc;

	if (stat(path, &sb) == 0)
		return err_set(&st->err, NAWAT_EEXIST, "มีไฟล์ %s อยู่แล้ว (ไม่เขียนทับ)", "%s exists (not overwritten)", path);
	buf_init(&out, 1 << 20);
	rc = run_tool(st, "pg_dump", argv, &out);
	buf_release(&out);
	if (rc)
		unlink(path);
	return rc;
}

/* The archive is read whole (its table of contents first, so that what is
 * not a nawat backup is refused before anything is written), then restored
 * in one transaction: a damaged archive leaves the database as it was. */
static int pg_restore_from(struct store *st, const char *path)
{
	char *list[] = { "pg_restore", "--list", (char *)path, NULL };
	char *argv[] = { "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
			 "--dbname", st->url, (char *)path, NULL };
	struct buf out;
	int rc;

	buf_init(&out, 1 << 20);
	rc = run_tool(st, "pg_restore", list, &out);
	if (rc || !strstr(buf_str(&out), "TABLE DATA public nawat_meta ")) {
		buf_release(&out);
		return err_set(&st->err, NAWAT_EINVAL, "%s ไม่ใช่ไฟล์สำรองของ nawat หรือไฟล์เสียหาย",
			       "%s is not a nawat backup, or it is damaged", path);
	}
	buf_reset(&out);
	rc = run_tool(st, "pg_restore", argv, &out);
	buf_release(&out);
	return rc;
}

/* ---- open / close ---- */

static int pg_lock(struct store *st, const char *name)
{
	struct params p;
	PGresult *res;
	int rc;

	params_init(&p);
	param_text(&p, name, strlen(name));
	res = run(st, "SELECT pg_advisory_xact_lock(hashtext($1))", &p);
	params_release(&p);
	rc = ok(res) ? 0 : pgerr(st, res, "lock");
	PQclear(res);
	return rc;
}

static void pg_close(struct store *st)
{
	struct pg *g = PG(st);

	if (g) {
		if (g->conn)
			PQfinish(g->conn);
		buf_release(&g->tx_subs);
		nw_free(g);
	}
	nw_free(st->url);
	nw_free(st);
}

static const struct store_ops pg_ops = {
	.name = "postgresql",
	.dialect = &schema_pg,
	.batch_rows = PG_BATCH,
	.sums_rows = 16000, /* a statement or two a table each write: 4 times fewer of them for 6 MiB */
	.close = pg_close,
	.exec = pg_exec,
	.table_columns = pg_table_columns,
	.begin = pg_begin,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.release = pg_release,
	.rollback_to = pg_rollback_to,
	.meta_get = pg_meta_get,
	.meta_set = pg_meta_set,
	.lock = pg_lock,
	.ready = pg_ready,
	.size = pg_bytes,
	.writer_open = pg_writer_open,
	.writer_put = pg_writer_put,
	.writer_finish = pg_writer_finish,
	.writer_close = pg_writer_close,
	.delete_rows = pg_delete_rows,
	.ref_open = pg_ref_open,
	.ref_lookup = pg_ref_lookup,
	.ref_lookup_many = pg_ref_lookup_many,
	.ref_close = pg_ref_close,
	.scan_open = pg_scan_open,
	.scan_next = pg_scan_next,
	.scan_close = pg_scan_close,
	.count = pg_count,
	.data_version = pg_data_version,
	.backup = pg_backup,
	.restore = pg_restore_from,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.col_null = pg_col_null,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.scan_prefix_many = pg_scan_prefix_many,
	.sums_add = pg_sums_add,
	.sums_get_many = pg_sums_get_many,
	.sums_put = pg_sums_put,
	.sub_create = pg_sub_create,
	.sub_finish = pg_sub_finish,
	.sub_issue = pg_sub_issue,
};

int store_pg_open(const char *url, const struct std_package *pkg, struct store **out, struct nw_err *err)
{
	struct store *st;
	struct pg *g;

	*out = NULL;
	st = nw_calloc(1, sizeof *st);
	g = nw_calloc(1, sizeof *g);
	if (!st || !g) {
		nw_free(st);
		nw_free(g);
		return err_generic(err, NAWAT_ENOMEM);
	}
	st->ops = &pg_ops;
	st->pkg = pkg;
	st->impl = g;
	g->may_replica = -1;
	buf_init(&g->tx_subs, 1 << 20);
	st->url = nw_strdup(url);
	g->conn = PQconnectdb(url);
	if (!st->url || !g->conn || PQstatus(g->conn) != CONNECTION_OK) {
		char msg[300];

		snprintf(msg, sizeof msg, "%s", g->conn ? PQerrorMessage(g->conn) : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		pg_close(st);
		return err_set(err, NAWAT_ESTORE, "เชื่อมต่อ PostgreSQL ไม่ได้: %s", "cannot connect to PostgreSQL: %s", msg);
	}
	PQsetNoticeProcessor(g->conn, pg_notice, NULL);
	if (ex(st, SESSION_SETUP)) {
		*err = st->err;
		pg_close(st);
		return NAWAT_ESTORE;
	}
	*out = st;
	return 0;
}
