/* submissions.c - the submissions a user may see (see submissions.h).
 *
 * The SQL is fixed text put together from fixed pieces by which filters are
 * given; every value is a bound parameter. */
#include "submissions.h"

#include <stdio.h>
#include <string.h>

#include "../base/buf.h"

/* How a user sees submissions: all, an area's, a school's, or only their own. */
enum subs_reach { REACH_ALL = 0, REACH_AREA, REACH_SCHOOL, REACH_OWN };

static enum subs_reach reach_of(const struct user *u, const char **code)
{
	*code = u->scope;
	if (u->disabled)
		return REACH_OWN;
	switch (u->role) {
	case ROLE_CENTRAL:
		return REACH_ALL;
	case ROLE_AREA:
		return u->scope[0] ? REACH_AREA : REACH_OWN;
	case ROLE_SCHOOL:
	case ROLE_TEACHER:
		return u->scope[0] ? REACH_SCHOOL : REACH_OWN;
	default:
		return REACH_OWN;
	}
}

/* The column of submission_schools a reach compares with its code. */
static const char *reach_col(enum subs_reach r)
{
	return r == REACH_AREA ? "area_code" : "school_code";
}

const char *subs_day_bound(struct date d, int start, char *buf, size_t n)
{
	char iso[16];

	/* Thailand is UTC+7: a day there starts at 17:00 UTC the day before */
	date_iso(date_from_days(date_to_days(d) - (start ? 1 : 0)), iso, sizeof iso);
	snprintf(buf, n, "%sT17:00:00Z", iso);
	return buf;
}

#define SUB_COLS "s.id, s.created_at, s.user_name, s.dataset, s.file_name, s.kind, s.status, s.format, " \
		 "s.encoding, s.sha256, s.inserted, s.updated, s.unchanged, s.rejected, s.deleted, s.errors, " \
		 "s.warnings"

static void read_row(struct store_stmt *s, struct subs_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = store_col_int(s, 0);
	r->created_at = store_col_text(s, 1, NULL);
	r->user = store_col_text(s, 2, NULL);
	r->dataset = store_col_text(s, 3, NULL);
	r->file = store_col_text(s, 4, NULL);
	r->kind = store_col_text(s, 5, NULL);
	r->status = store_col_text(s, 6, NULL);
	r->format = store_col_text(s, 7, NULL);
	r->encoding = store_col_text(s, 8, NULL);
	r->sha256 = store_col_text(s, 9, NULL);
	r->counts.inserted = store_col_int(s, 10);
	r->counts.updated = store_col_int(s, 11);
	r->counts.unchanged = store_col_int(s, 12);
	r->counts.rejected = store_col_int(s, 13);
	r->counts.deleted = store_col_int(s, 14);
	r->errors = store_col_int(s, 15);
	r->warnings = store_col_int(s, 16);
	r->whole = 1;
}

/*
 * How much of submission r the user sees: whole (the centre, the owner, or
 * a scope that holds every row it brought), else the counts of the rows in
 * the scope.  *visible = 0 when none of its rows is in the scope.
 */
static int scope_part(struct store *st, const struct user *u, struct subs_row *r, int *visible)
{
	char sql[640];
	struct store_stmt *s;
	const char *code;
	enum subs_reach reach = reach_of(u, &code);
	int own = !strcmp(r->user ? r->user : "", u->name), rc;
	int64_t total, mine;

	*visible = 1;
	if (reach == REACH_ALL || reach == REACH_OWN) {
		/* the centre sees all; the others of this reach only their own */
		*visible = reach == REACH_ALL || own;
		rc = store_prepare(st, "SELECT count(DISTINCT school_code) FROM submission_schools WHERE sub_id = ?", &s);
		if (rc)
			return rc;
		if (!(rc = store_bind_int(s, 1, r->id)) && (rc = store_step(s)) == 1) {
			r->schools = store_col_int(s, 0);
			rc = 0;
		}
		store_finalize(s);
		return rc;
	}
	snprintf(sql, sizeof sql,
		 "SELECT count(*), coalesce(sum(CASE WHEN %s = ? THEN 1 ELSE 0 END), 0), "
		 "count(DISTINCT school_code), count(DISTINCT CASE WHEN %s = ? THEN school_code END), "
		 "coalesce(sum(CASE WHEN %s = ? THEN inserted ELSE 0 END), 0), "
		 "coalesce(sum(CASE WHEN %s = ? THEN updated ELSE 0 END), 0), "
		 "coalesce(sum(CASE WHEN %s = ? THEN unchanged ELSE 0 END), 0), "
		 "coalesce(sum(CASE WHEN %s = ? THEN rejected ELSE 0 END), 0), "
		 "coalesce(sum(CASE WHEN %s = ? THEN deleted ELSE 0 END), 0) "
		 "FROM submission_schools WHERE sub_id = ?",
		 reach_col(reach), reach_col(reach), reach_col(reach), reach_col(reach), reach_col(reach),
		 reach_col(reach), reach_col(reach));
	if ((rc = store_prepare(st, sql, &s)))
		return rc;
	for (int i = 1; i <= 7 && !rc; i++)
		rc = store_bind_str(s, i, code);
	if (!rc)
		rc = store_bind_int(s, 8, r->id);
	if (!rc && (rc = store_step(s)) == 1) {
		rc = 0;
		total = store_col_int(s, 0);
		mine = store_col_int(s, 1);
		r->whole = own || (total > 0 && mine == total);
		*visible = own || mine > 0;
		r->schools = store_col_int(s, r->whole ? 2 : 3);
		if (!r->whole) {
			r->counts.inserted = store_col_int(s, 4);
			r->counts.updated = store_col_int(s, 5);
			r->counts.unchanged = store_col_int(s, 6);
			r->counts.rejected = store_col_int(s, 7);
			r->counts.deleted = store_col_int(s, 8);
			r->errors = r->warnings = 0;
		}
	}
	store_finalize(s);
	return rc;
}

int subs_list(struct store *st, const struct user *u, const struct subs_filter *f,
	      int (*fn)(void *ctx, const struct subs_row *r), void *ctx, int *more)
{
	struct store_stmt *s = NULL;
	struct subs_row r;
	struct buf sql;
	char from[32], to[32];
	const char *code;
	enum subs_reach reach = reach_of(u, &code);
	int rc, p = 0, visible;
	int64_t shown = 0;

	*more = 0;
	buf_init(&sql, 8192);
	rc = buf_puts(&sql, "SELECT " SUB_COLS " FROM submissions s WHERE 1 = 1");
	if (!rc && reach == REACH_AREA)
		rc = buf_puts(&sql, " AND (s.user_name = ? OR EXISTS (SELECT 1 FROM submission_schools v "
				    "WHERE v.sub_id = s.id AND v.area_code = ?))");
	else if (!rc && reach == REACH_SCHOOL)
		rc = buf_puts(&sql, " AND (s.user_name = ? OR EXISTS (SELECT 1 FROM submission_schools v "
				    "WHERE v.sub_id = s.id AND v.school_code = ?))");
	else if (!rc && reach == REACH_OWN)
		rc = buf_puts(&sql, " AND s.user_name = ?");
	if (!rc && f->school)
		rc = buf_puts(&sql, " AND EXISTS (SELECT 1 FROM submission_schools w WHERE w.sub_id = s.id "
				    "AND w.school_code = ?)");
	if (!rc && f->area)
		rc = buf_puts(&sql, " AND EXISTS (SELECT 1 FROM submission_schools w WHERE w.sub_id = s.id "
				    "AND w.area_code = ?)");
	if (!rc && f->dataset)
		rc = buf_puts(&sql, " AND s.dataset = ?");
	if (!rc && f->from.y)
		rc = buf_puts(&sql, " AND s.created_at >= ?");
	if (!rc && f->to.y)
		rc = buf_puts(&sql, " AND s.created_at < ?");
	if (!rc && f->before > 0)
		rc = buf_puts(&sql, " AND s.id < ?");
	if (!rc)
		rc = buf_puts(&sql, " ORDER BY s.id DESC");
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	if ((rc = store_prepare(st, buf_str(&sql), &s)))
		goto out;
	if (reach != REACH_ALL)
		rc = store_bind_str(s, ++p, u->name);
	if (!rc && (reach == REACH_AREA || reach == REACH_SCHOOL))
		rc = store_bind_str(s, ++p, code);
	if (!rc && f->school)
		rc = store_bind_str(s, ++p, f->school);
	if (!rc && f->area)
		rc = store_bind_str(s, ++p, f->area);
	if (!rc && f->dataset)
		rc = store_bind_str(s, ++p, f->dataset);
	if (!rc && f->from.y)
		rc = store_bind_str(s, ++p, subs_day_bound(f->from, 1, from, sizeof from));
	if (!rc && f->to.y)
		rc = store_bind_str(s, ++p, subs_day_bound(f->to, 0, to, sizeof to));
	if (!rc && f->before > 0)
		rc = store_bind_int(s, ++p, f->before);
	if (rc) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	while ((rc = store_step(s)) == 1) {
		if (shown == f->limit) {
			*more = 1;
			rc = 0;
			break;
		}
		read_row(s, &r);
		if ((rc = scope_part(st, u, &r, &visible)))
			break;
		if (!visible)
			continue; /* (the query keeps only visible ones; this is the check) */
		shown++;
		if ((rc = fn(ctx, &r)))
			break;
	}
out:
	store_finalize(s);
	buf_release(&sql);
	return rc < 0 ? rc : 0;
}

static const char *keep(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

int subs_get(struct store *st, const struct user *u, int64_t id, struct arena *a, struct subs_row *out,
	     int (*fn)(void *ctx, const struct subs_school *s), void *ctx)
{
	struct store_stmt *s = NULL;
	struct subs_school sc;
	struct subs_row r;
	char sql[512];
	const char *code;
	enum subs_reach reach = reach_of(u, &code);
	int rc, visible = 0;

	if ((rc = store_prepare(st, "SELECT " SUB_COLS " FROM submissions s WHERE s.id = ?", &s)))
		return rc;
	if ((rc = store_bind_int(s, 1, id)))
		goto nomem;
	if ((rc = store_step(s)) != 1)
		goto out;
	read_row(s, &r);
	if ((rc = scope_part(st, u, &r, &visible)))
		goto out;
	if (!visible)
		goto out;
	*out = r;
	out->created_at = keep(a, r.created_at);
	out->user = keep(a, r.user);
	out->dataset = keep(a, r.dataset);
	out->file = keep(a, r.file);
	out->kind = keep(a, r.kind);
	out->status = keep(a, r.status);
	out->format = keep(a, r.format);
	out->encoding = keep(a, r.encoding);
	out->sha256 = keep(a, r.sha256);
	if (!out->created_at || !out->user || !out->dataset || !out->file || !out->kind || !out->status)
		goto nomem;
	store_finalize(s);
	s = NULL;
	snprintf(sql, sizeof sql,
		 "SELECT school_code, area_code, academic_year, term, inserted, updated, unchanged, rejected, "
		 "deleted FROM submission_schools WHERE sub_id = ?%s%s%s ORDER BY school_code IS NULL, "
		 "school_code, area_code IS NULL, area_code, coalesce(academic_year, -1), coalesce(term, -1)",
		 r.whole ? "" : " AND ", r.whole ? "" : reach_col(reach), r.whole ? "" : " = ?");
	if ((rc = store_prepare(st, sql, &s)))
		return rc;
	if (store_bind_int(s, 1, id) || (!r.whole && store_bind_str(s, 2, code)))
		goto nomem;
	while ((rc = store_step(s)) == 1) {
		sc.school_code = store_col_text(s, 0, NULL);
		sc.area_code = store_col_text(s, 1, NULL);
		sc.academic_year = store_col_null(s, 2) ? -1 : store_col_int(s, 2);
		sc.term = store_col_null(s, 3) ? -1 : store_col_int(s, 3);
		sc.counts.inserted = store_col_int(s, 4);
		sc.counts.updated = store_col_int(s, 5);
		sc.counts.unchanged = store_col_int(s, 6);
		sc.counts.rejected = store_col_int(s, 7);
		sc.counts.deleted = store_col_int(s, 8);
		if (fn && (rc = fn(ctx, &sc)))
			break;
	}
	if (rc >= 0)
		rc = 1;
	goto out;
nomem:
	rc = err_generic(&st->err, NAWAT_ENOMEM);
out:
	store_finalize(s);
	return rc < 0 ? rc : rc == 1 && visible ? 1 : 0;
}
