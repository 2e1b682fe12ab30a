/* export.c - streaming export of a data set (see export.h). */
#include "export.h"

#include <string.h>

#include "../base/date.h"
#include "../base/mem.h"
#include <sodium.h>
#include "../standard/validate.h"
#include "csvout.h"
#include "xlsxout.h"

int exp_format_parse(const char *name, enum exp_format *out)
{
	if (!strcmp(name, "csv"))
		*out = EXP_CSV;
	else if (!strcmp(name, "json"))
		*out = EXP_JSON;
	else if (!strcmp(name, "ndjson") || !strcmp(name, "jsonl"))
		*out = EXP_NDJSON;
	else if (!strcmp(name, "xlsx"))
		*out = EXP_XLSX;
	else
		return NAWAT_EINVAL;
	return 0;
}

int exp_filter_parse(const struct std_dataset *ds, const struct pii_key *key, const char *expr,
		     struct arena *a, struct store_filter *out, struct nw_err *err)
{
	const char *eq = strchr(expr, '=');
	const struct std_field *f;
	struct val_value *v = &out->value;
	enum date_form form;
	struct date dt;
	int field, dec;
	size_t n;

	if (!eq)
		return err_set(err, NAWAT_EINVAL, "เงื่อนไข %s ต้องอยู่ในรูป FIELD=VALUE",
			       "filter %s must look like FIELD=VALUE", expr);
	field = std_field_index(ds, expr, (size_t)(eq - expr));
	if (field < 0)
		return err_set(err, NAWAT_EINVAL, "ชุดข้อมูล %s ไม่มีเขตข้อมูล %.*s",
			       "data set %s has no field %.*s", ds->name, (int)(eq - expr), expr);
	f = &ds->fields[field];
	memset(out, 0, sizeof *out);
	out->field = field;
	v->state = VAL_SET;
	v->s = eq + 1;
	v->n = n = strlen(eq + 1);
	if (f->pii) {
		unsigned char *h = arena_alloc(a, PII_HASH_LEN);

		if (!h)
			return err_generic(err, NAWAT_ENOMEM);
		pii_hash(key, v->s, n, h);
		v->s = (const char *)h;
		v->n = PII_HASH_LEN;
		return 0;
	}
	switch (f->type) {
	case STD_INTEGER:
		if (val_parse_int(v->s, n, &v->i))
			goto bad;
		break;
	case STD_NUMBER:
		if (val_parse_number(v->s, n, &v->d, &dec))
			goto bad;
		break;
	case STD_DATE:
		if (date_parse(v->s, n, &dt, &form) != DATE_OK)
			goto bad;
		date_iso(dt, v->date, sizeof v->date);
		v->s = arena_strdup(a, v->date);
		v->n = 10;
		if (!v->s)
			return err_generic(err, NAWAT_ENOMEM);
		break;
	default:
		break;
	}
	return 0;
bad:
	return err_set(err, NAWAT_EINVAL, "ค่าของ %s ไม่ถูกต้อง: %s", "bad value for %s: %s", f->name,
		       v->s);
}

static void json_str(FILE *fp, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	putc_unlocked('"', fp);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		fwrite_unlocked(s + run, 1, i - run, fp);
		run = i + 1;
		putc_unlocked('\\', fp);
		if (c < 0x20) {
			fwrite_unlocked("u00", 1, 3, fp);
			putc_unlocked(hex[c >> 4], fp);
			putc_unlocked(hex[c & 15], fp);
		} else {
			putc_unlocked(c, fp);
		}
	}
	fwrite_unlocked(s + run, 1, n - run, fp);
	putc_unlocked('"', fp);
}

/* Personal data of a row: the clear ID from a sealed copy, here or in the
 * data set a reference points to. */
struct pii_src {
	int field;
	struct store_ref *ref;    /* NULL when the row has its own sealed copy */
	const struct std_fk *fk;
	int fetch[1];
	int have_last;
	unsigned char last_hash[PII_HASH_LEN];
	char last_clear[PII_MAX_CLEAR + 1];
	size_t last_n;
	int last_ok;
};

static int open_pii_sources(struct store *st, const struct std_dataset *ds, struct pii_src *src,
			    size_t *nsrc, struct nw_err *err)
{
	size_t i, k, j;
	int rc;

	*nsrc = 0;
	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];
		struct pii_src *s = &src[*nsrc];

		if (!f->pii)
			continue;
		memset(s, 0, sizeof *s);
		s->field = (int)i;
		if (!f->pii_seal) {
			for (k = 0; k < ds->nfk && !s->fk; k++)
				for (j = 0; j < ds->fks[k].n; j++)
					if (ds->fks[k].fields[j] == (int)i &&
					    ds->fks[k].target->fields[ds->fks[k].target_fields[j]].pii_seal) {
						s->fk = &ds->fks[k];
						s->fetch[0] = ds->fks[k].target_fields[j];
						break;
					}
			if (!s->fk)
				return err_set(err, NAWAT_EINVAL,
					       "ไม่มีสำเนาเข้ารหัสของ %s ให้ส่งออก ใช้ --pseudonymise",
					       "no sealed copy of %s to export; use --pseudonymise", f->name);
			if ((rc = store_ref_open(st, s->fk->target, s->fetch, 1, &s->ref))) {
				*err = st->err;
				return rc;
			}
		}
		(*nsrc)++;
	}
	return 0;
}

static int clear_id(struct store *st, const struct pii_key *key, const struct std_dataset *ds,
		    struct pii_src *s, const struct val_value *vals, struct nw_err *err)
{
	const struct val_value *v = &vals[s->field];
	struct val_value keyv[8], fetched[1];
	size_t j;
	int rc, found;

	if (s->have_last && v->n == PII_HASH_LEN && !memcmp(s->last_hash, v->s, PII_HASH_LEN))
		return s->last_ok ? 0 : NAWAT_ECRYPTO;
	memcpy(s->last_hash, v->s, PII_HASH_LEN);
	s->have_last = 1;
	s->last_ok = 0;
	if (!s->ref) {
		rc = pii_open(key, v->blob, v->blob_n, (const unsigned char *)v->s, s->last_clear, &s->last_n);
	} else {
		for (j = 0; j < s->fk->n && j < 8; j++)
			keyv[j] = vals[s->fk->fields[j]];
		if ((rc = store_ref_lookup(s->ref, keyv, &found, fetched))) {
			*err = st->err;
			return rc;
		}
		if (found) {
			rc = pii_open(key, fetched[0].blob, fetched[0].blob_n, (const unsigned char *)fetched[0].s,
				      s->last_clear, &s->last_n);
		} else {
			/* a deleted row whose referenced row is gone too: any sealed
			 * copy of the same value will do, kept or deleted */
			unsigned char sealed[PII_SEALED_MAX];
			size_t sn;

			rc = store_sealed_copy(st, s->fk->target, s->fetch[0], (const unsigned char *)v->s, v->n, sealed,
					       sizeof sealed, &sn);
			if (rc < 0) {
				*err = st->err;
				return rc;
			}
			rc = rc ? pii_open(key, sealed, sn, (const unsigned char *)v->s, s->last_clear, &s->last_n)
				: NAWAT_ENOTFOUND;
			if (rc == NAWAT_ENOTFOUND) {
				s->have_last = 0;
				return err_set(err, NAWAT_ENOTFOUND, "ไม่พบสำเนาเข้ารหัสของ %s ใน %s",
					       "no sealed copy of %s in %s", ds->fields[s->field].name,
					       s->fk->target->name);
			}
		}
	}
	if (rc)
		return err_set(err, NAWAT_ECRYPTO,
			       "เปิดสำเนาเข้ารหัสของ %s ไม่ได้: ไฟล์กุญแจไม่ตรงกับข้อมูล",
			       "cannot open the sealed copy of %s: the key does not match the data",
			       ds->fields[s->field].name);
	s->last_ok = 1;
	return 0;
}

/* ---- rendering values as the exchange format writes them ---- */

struct exp_values {
	struct store *st;
	const struct pii_key *key;
	const struct std_dataset *ds;
	int pseudonymise;
	struct pii_src src[8];
	size_t nsrc;
	char num[VAL_NUMBER_MAX];
	char pseudo[PII_PSEUDONYM_LEN + 1];
};

int exp_values_open(struct store *st, const struct pii_key *key, const struct std_dataset *ds,
		    int pseudonymise, struct exp_values **out, struct nw_err *err)
{
	struct exp_values *x = nw_calloc(1, sizeof *x);
	int rc;

	*out = NULL;
	if (!x)
		return err_generic(err, NAWAT_ENOMEM);
	x->st = st;
	x->key = key;
	x->ds = ds;
	x->pseudonymise = pseudonymise;
	if (!pseudonymise && (rc = open_pii_sources(st, ds, x->src, &x->nsrc, err))) {
		exp_values_close(x);
		return rc;
	}
	*out = x;
	return 0;
}

void exp_values_close(struct exp_values *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->nsrc; i++)
		store_ref_close(x->src[i].ref);
	sodium_memzero(x->src, sizeof x->src);
	nw_free(x);
}

int exp_value(struct exp_values *x, const struct val_value *vals, int field, const char **s,
	      size_t *n, int *quoted, struct nw_err *err)
{
	const struct std_field *f = &x->ds->fields[field];
	const struct val_value *v = &vals[field];
	size_t si;
	int rc;

	*s = NULL;
	*n = 0;
	*quoted = 1;
	if (v->state != VAL_SET)
		return 0;
	if (f->pii) {
		if (x->pseudonymise) {
			pii_pseudonym(x->key, (const unsigned char *)v->s, x->pseudo);
			*s = x->pseudo;
			*n = strlen(x->pseudo);
			return 0;
		}
		for (si = 0; si < x->nsrc && x->src[si].field != field; si++)
			;
		if (si == x->nsrc)
			return err_generic(err, NAWAT_ECRYPTO);
		if ((rc = clear_id(x->st, x->key, x->ds, &x->src[si], vals, err)))
			return rc;
		*s = x->src[si].last_clear;
		*n = x->src[si].last_n;
	} else if (f->type == STD_INTEGER) {
		*n = val_format_int(v->i, x->num);
		*s = x->num;
		*quoted = 0;
	} else if (f->type == STD_NUMBER) {
		*n = val_format_decimal(v->d, f->decimals, x->num, sizeof x->num);
		*s = x->num;
		*quoted = 0;
	} else {
		*s = v->s;
		*n = v->n;
	}
	return 0;
}

/* One row: CSV cells, or a JSON object; with op (the feed), an "op" first
 * and, for a deletion, the key fields alone. */
static int write_row(const struct exp_opts *o, struct csvw *w, struct exp_values *x, const struct std_dataset *ds,
		     const struct val_value *vals, const char *op, int keys_only, FILE *out, struct nw_err *err)
{
	int del = keys_only, first = 1, rc;
	size_t i;

	if (o->format == EXP_CSV && op)
		csvw_str(w, op);
	else if (o->format != EXP_CSV && op)
		fprintf(out, "{\"op\":\"%s\",\"%s\":{", op, del ? "key" : "data");
	else if (o->format != EXP_CSV)
		putc_unlocked('{', out);
	for (i = 0; i < ds->nfields; i++) {
		const char *s;
		size_t len;
		int quoted;

		if (del && ds->fields[i].key_pos < 0) {
			if (o->format == EXP_CSV)
				csvw_field(w, "", 0);
			continue;
		}
		if ((rc = exp_value(x, vals, (int)i, &s, &len, &quoted, err)))
			return rc;
		if (o->format == EXP_CSV) {
			csvw_field(w, s ? s : "", len);
			continue;
		}
		if (!first)
			putc_unlocked(',', out);
		first = 0;
		json_str(out, ds->fields[i].name, strlen(ds->fields[i].name));
		putc_unlocked(':', out);
		if (!s)
			fwrite_unlocked("null", 1, 4, out);
		else if (quoted)
			json_str(out, s, len);
		else
			fwrite_unlocked(s, 1, len, out);
	}
	if (o->format == EXP_CSV)
		csvw_end(w);
	else
		fwrite_unlocked("}}", 1, op ? 2 : 1, out);
	if (o->format == EXP_NDJSON)
		putc_unlocked('\n', out);
	return 0;
}

/* The rows (deleted = 0) or deletions (1) of the feed, after the header. */
static int feed_part(struct store *st, const struct std_dataset *ds, const struct exp_opts *o, int64_t upto,
		     int deleted, struct csvw *w, struct exp_values *x, struct val_value *vals, FILE *out,
		     int64_t *n, struct nw_err *err)
{
	struct store_scan *sc = NULL;
	struct store_query q;
	int64_t k = 0;
	int rc;

	memset(&q, 0, sizeof q);
	q.filters = o->filters;
	q.nfilters = o->nfilters;
	q.scope = o->scope;
	q.changes = 1;
	q.deleted = deleted;
	q.since = o->since;
	q.upto = upto;
	if ((rc = store_scan_open(st, ds, &q, &sc))) {
		*err = st->err;
		return rc;
	}
	while ((rc = store_scan_next(sc, vals)) == 1) {
		if (o->format == EXP_JSON)
			fputs(k ? ",\n" : "\n", out);
		if ((rc = write_row(o, w, x, ds, vals, o->format == EXP_JSON ? NULL : deleted ? "delete" : "upsert",
				    deleted, out, err)))
			break;
		k++;
	}
	if (rc < 0 && !err->code)
		*err = st->err;
	store_scan_close(sc);
	*n += k;
	return rc < 0 ? rc : 0;
}

static int feed(struct store *st, const struct std_dataset *ds, const struct exp_opts *o, struct csvw *w,
		struct exp_values *x, struct val_value *vals, FILE *out, int64_t *n, struct nw_err *err)
{
	char v[32];
	int64_t upto, nrows = 0, ndel = 0;
	size_t i;
	int rc, own = !st->in_tx;

	/* one snapshot: the mark, the rows and the deletions agree */
	if (own && (rc = store_begin_read(st))) {
		*err = st->err;
		return rc;
	}
	rc = store_meta_get(st, "commit_seq", v, sizeof v);
	if (rc) {
		*err = st->err;
		goto out;
	}
	upto = strtoll(v, NULL, 10);
	if (o->since < 0 || o->since > upto) {
		rc = err_set(err, NAWAT_EINVAL,
			     "ลำดับการเปลี่ยนแปลง %lld ไม่มีในฐานข้อมูลนี้ (ล่าสุดคือ %lld): เริ่มใหม่จาก 0",
			     "change number %lld is not of this store (the latest is %lld): start again from 0",
			     (long long)o->since, (long long)upto);
		goto out;
	}
	if (o->format == EXP_CSV) {
		if (o->bom)
			fputs("\xEF\xBB\xBF", out);
		csvw_str(w, "op");
		for (i = 0; i < ds->nfields; i++)
			csvw_str(w, ds->fields[i].name);
		csvw_end(w);
	} else if (o->format == EXP_JSON) {
		fprintf(out, "{\"dataset\":\"%s\",\"since\":%lld,\"high_water_mark\":%lld,\"data\":[", ds->name,
			(long long)o->since, (long long)upto);
	}
	if ((rc = feed_part(st, ds, o, upto, 0, w, x, vals, out, &nrows, err)))
		goto out;
	if (o->format == EXP_JSON)
		fputs(nrows ? "\n],\"deleted\":[" : "],\"deleted\":[", out);
	/* from 0 there is nothing to delete */
	if (o->since > 0 && (rc = feed_part(st, ds, o, upto, 1, w, x, vals, out, &ndel, err)))
		goto out;
	if (o->format == EXP_JSON)
		fputs(ndel ? "\n]}\n" : "]}\n", out);
	else if (o->format == EXP_NDJSON)
		fprintf(out, "{\"op\":\"mark\",\"high_water_mark\":%lld}\n", (long long)upto);
	if (o->mark)
		*o->mark = upto;
	*n = nrows + ndel;
out:
	if (own)
		store_rollback(st);
	return rc;
}

int exp_run(struct store *st, const struct pii_key *key, const struct std_dataset *ds,
	    const struct exp_opts *o, FILE *out, int64_t *nrows, struct nw_err *err)
{
	struct store_scan *sc = NULL;
	struct exp_values *x = NULL;
	struct store_query q;
	struct val_value *vals;
	struct csvw w;
	struct xlsxw xw;
	lxw_worksheet *ws = NULL;
	size_t i;
	int64_t n = 0;
	int rc, xlsx = o->format == EXP_XLSX;

	*nrows = 0;
	memset(&xw, 0, sizeof xw);
	vals = nw_calloc(ds->nfields, sizeof *vals);
	if (!vals)
		return err_generic(err, NAWAT_ENOMEM);
	if ((rc = exp_values_open(st, key, ds, o->pseudonymise, &x, err)))
		goto out;
	csvw_init(&w, out, 1);
	if (o->feed) {
		if (xlsx) {
			xlsx = 0;
			rc = err_msg(err, NAWAT_EINVAL, "การส่งออกตามลำดับการเปลี่ยนแปลง (--since) ใช้รูปแบบ csv, json หรือ ndjson",
				     "the change feed (--since) is written as csv, json or ndjson");
			goto out;
		}
		if ((rc = feed(st, ds, o, &w, x, vals, out, &n, err)))
			goto out;
		goto done;
	}
	memset(&q, 0, sizeof q);
	q.filters = o->filters;
	q.nfilters = o->nfilters;
	q.scope = o->scope;
	if ((rc = store_scan_open(st, ds, &q, &sc))) {
		*err = st->err;
		goto out;
	}
	if (xlsx && ((rc = xlsxw_open(&xw, 1, err)) || (rc = xlsxw_dataset_sheet(&xw, ds, &ws, err))))
		goto out;
	if (o->format == EXP_CSV) {
		if (o->bom)
			fputs("\xEF\xBB\xBF", out);
		for (i = 0; i < ds->nfields; i++)
			csvw_str(&w, ds->fields[i].name);
		csvw_end(&w);
	} else if (o->format == EXP_JSON) {
		fputs("[", out);
	}
	while ((rc = store_scan_next(sc, vals)) == 1) {
		if (xlsx) {
			if (n + 1 >= XLSXW_MAX_ROWS) {
				rc = err_set(err, NAWAT_ELIMIT,
					     "ข้อมูลมีมากกว่า %u แถว ซึ่งแผ่นงาน XLSX เก็บไม่ได้ แบ่งด้วย --where หรือใช้ CSV",
					     "more than %u rows, which an XLSX sheet cannot hold: split with --where, or use CSV",
					     XLSXW_MAX_ROWS - 1);
				goto out;
			}
			for (i = 0; i < ds->nfields; i++) {
				const char *s;
				size_t len;
				int quoted;

				if ((rc = exp_value(x, vals, (int)i, &s, &len, &quoted, err)) ||
				    (s && (rc = xlsxw_value(&xw, ws, (uint32_t)n + 1, (uint16_t)i, &ds->fields[i], s,
							   len, err))))
					goto out;
			}
			n++;
			continue;
		}
		if (o->format == EXP_JSON)
			fputs(n ? ",\n" : "\n", out);
		if ((rc = write_row(o, &w, x, ds, vals, NULL, 0, out, err)))
			goto out;
		n++;
	}
	if (rc < 0) {
		*err = st->err;
		goto out;
	}
	if (o->format == EXP_JSON)
		fputs(n ? "\n]\n" : "]\n", out);
	if (xlsx) {
		rc = xlsxw_close(&xw, 0, out, err);
		xlsx = 0;
		if (rc)
			goto out;
	}
done:
	if (fflush(out) != 0 || ferror(out)) {
		rc = err_msg(err, NAWAT_EIO, "เขียนไฟล์ส่งออกไม่สำเร็จ", "cannot write the export");
		goto out;
	}
	*nrows = n;
	rc = 0;
out:
	if (xlsx)
		xlsxw_close(&xw, rc ? rc : NAWAT_EIO, NULL, err);
	store_scan_close(sc);
	exp_values_close(x);
	nw_free(vals);
	return rc;
}
