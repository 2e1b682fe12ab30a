/*
 * std.c - loads and checks the data package (see std.h).
 *
 * Every problem with the package is a load error naming the resource and
 * field, so that a malformed package fails the build (the Makefile runs
 * `nawat standard --check`) instead of misbehaving at run time.
 */
#include "std.h"

#include <csv.h>
#include <jansson.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/embed.h"
#include "../base/mem.h"

struct loader {
	struct std_package *pkg;
	struct arena *mem;
	struct nw_err *err;
	const char *(*read)(void *ctx, const char *path, size_t *len);
	void *ctx;
};

const char *std_type_name(enum std_type t)
{
	switch (t) {
	case STD_STRING: return "string";
	case STD_INTEGER: return "integer";
	case STD_NUMBER: return "number";
	case STD_DATE: return "date";
	}
	return "?";
}

const char *std_type_th(enum std_type t)
{
	switch (t) {
	case STD_STRING: return "ข้อความ";
	case STD_INTEGER: return "จำนวนเต็ม";
	case STD_NUMBER: return "ตัวเลข";
	case STD_DATE: return "วันที่";
	}
	return "?";
}

static void *alloc0(struct loader *ld, size_t n)
{
	void *p = arena_alloc(ld->mem, n ? n : 1);

	if (p)
		memset(p, 0, n ? n : 1);
	return p;
}

static int fail(struct loader *ld, const char *where, const char *what)
{
	return err_set(ld->err, NAWAT_EPARSE, "มาตรฐานข้อมูลไม่ถูกต้อง: %s: %s",
		       "malformed data standard: %s: %s", where, what);
}

/* Names become SQL identifiers and JSON keys: lower-case ASCII only. */
static int ident_ok(const char *s)
{
	size_t i;

	if (!s || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 1; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i <= 48;
}

static const char *str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- code lists ---- */

struct csv_ctx {
	struct loader *ld;
	struct std_codelist *cl;
	size_t cap, col, row;
	const char *cell[3];
	size_t cell_len[3];
	int bad;
};

static void cl_field(void *s, size_t len, void *data)
{
	struct csv_ctx *c = data;

	if (c->col < 3) {
		c->cell[c->col] = arena_strndup(c->ld->mem, s ? s : "", s ? len : 0);
		c->cell_len[c->col] = len;
		if (!c->cell[c->col])
			c->bad = 1;
	}
	c->col++;
}

static void cl_row(int ch, void *data)
{
	struct csv_ctx *c = data;
	struct std_code *codes;

	(void)ch;
	if (c->col == 0)
		return;
	if (c->col != 3) {
		c->bad = 1;
	} else if (c->row == 0) {
		if (strcmp(c->cell[0], "code") || strcmp(c->cell[1], "label_th") ||
		    strcmp(c->cell[2], "label_en"))
			c->bad = 1;
	} else {
		if (c->cl->ncodes == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			codes = arena_alloc(c->ld->mem, c->cap * sizeof *codes);
			if (!codes) {
				c->bad = 1;
				goto next;
			}
			if (c->cl->ncodes)
				memcpy(codes, c->cl->codes, c->cl->ncodes * sizeof *codes);
			c->cl->codes = codes;
		}
		c->cl->codes[c->cl->ncodes].code = c->cell[0];
		c->cl->codes[c->cl->ncodes].label_th = c->cell[1];
		c->cl->codes[c->cl->ncodes].label_en = c->cell[2];
		if (!c->cell[0][0] || !c->cell[1][0])
			c->bad = 1;
		c->cl->ncodes++;
	}
next:
	c->row++;
	c->col = 0;
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(((const struct std_code *)a)->code, ((const struct std_code *)b)->code);
}

static int load_codelist(struct loader *ld, json_t *res, struct std_codelist *cl)
{
	struct csv_parser p;
	struct csv_ctx c;
	const char *data;
	size_t len, i;

	cl->name = str(res, "name");
	cl->title_th = str(res, "title");
	cl->title_en = str(res, "x-title-en");
	cl->path = str(res, "path");
	if (!cl->title_th || !cl->title_en || !cl->path)
		return fail(ld, cl->name, "code list needs title, x-title-en and path");
	data = ld->read(ld->ctx, cl->path, &len);
	if (!data)
		return fail(ld, cl->path, "code list file not found");
	cl->csv = data;
	cl->csv_len = len;
	memset(&c, 0, sizeof c);
	c.ld = ld;
	c.cl = cl;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return err_generic(ld->err, NAWAT_ENOMEM);
	if (csv_parse(&p, data, len, cl_field, cl_row, &c) != len ||
	    csv_fini(&p, cl_field, cl_row, &c) != 0)
		c.bad = 1;
	csv_free(&p);
	if (c.bad || cl->ncodes == 0)
		return fail(ld, cl->path, "code list CSV must have columns code,label_th,label_en and one row per code");
	qsort(cl->codes, cl->ncodes, sizeof *cl->codes, code_cmp);
	for (i = 1; i < cl->ncodes; i++)
		if (strcmp(cl->codes[i - 1].code, cl->codes[i].code) == 0)
			return fail(ld, cl->path, "duplicate code");
	return 0;
}

const struct std_code *std_code_find(const struct std_codelist *cl, const char *code, size_t len)
{
	size_t lo = 0, hi = cl->ncodes, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strncmp(cl->codes[mid].code, code, len);
		if (c == 0 && cl->codes[mid].code[len] != '\0')
			c = 1;
		if (c == 0)
			return &cl->codes[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int std_code_order(const struct std_codelist *cl, size_t *order)
{
	unsigned char *seen = nw_calloc(cl->ncodes + 1, 1);
	const char *p = cl->csv, *end = cl->csv ? cl->csv + cl->csv_len : NULL, *eol, *comma;
	size_t n = 0, i;
	int header = 1;

	if (!seen)
		return NAWAT_ENOMEM;
	/* the first field of every line after the header (codes are plain) */
	while (p && p < end && n < cl->ncodes) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (!header) {
			const struct std_code *k;
			const char *s = p;

			comma = memchr(p, ',', (size_t)(eol - p));
			if (!comma)
				comma = eol;
			if (s < comma && *s == '"')
				s++;
			k = std_code_find(cl, s, (size_t)(comma - s) - (comma > s && comma[-1] == '"'));
			if (k && !seen[k - cl->codes]) {
				seen[k - cl->codes] = 1;
				order[n++] = (size_t)(k - cl->codes);
			}
		}
		header = 0;
		p = eol + 1;
	}
	/* anything the text did not give, in code order */
	for (i = 0; i < cl->ncodes; i++)
		if (!seen[i])
			order[n++] = i;
	nw_free(seen);
	return 0;
}

const struct std_codelist *std_codelist(const struct std_package *pkg, const char *name)
{
	size_t i;

	for (i = 0; i < pkg->ncodelists; i++)
		if (strcmp(pkg->codelists[i].name, name) == 0)
			return &pkg->codelists[i];
	return NULL;
}

const struct std_dataset *std_dataset(const struct std_package *pkg, const char *name)
{
	size_t i;

	for (i = 0; i < pkg->ndatasets; i++)
		if (strcmp(pkg->datasets[i].name, name) == 0)
			return &pkg->datasets[i];
	return NULL;
}

int std_field_index(const struct std_dataset *ds, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ds->nfields; i++)
		if (strlen(ds->fields[i].name) == len && memcmp(ds->fields[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

const struct std_codelist *std_field_codelist(const struct std_field *f,
					      const char *by_val, size_t by_len)
{
	size_t i;

	if (f->by_field < 0)
		return f->codelist;
	if (!by_val)
		return NULL;
	for (i = 0; i < f->nby; i++)
		if (strlen(f->by_vals[i]) == by_len && memcmp(f->by_vals[i], by_val, by_len) == 0)
			return f->by_lists[i];
	return NULL;
}

/* ---- data sets ---- */

static int field_ref(struct loader *ld, const struct std_dataset *ds, const char *where,
		     const char *name, int *out)
{
	int i = name ? std_field_index(ds, name, strlen(name)) : -1;

	if (i < 0)
		return fail(ld, where, "refers to a field the data set does not have");
	*out = i;
	return 0;
}

static int load_cond(struct loader *ld, struct std_dataset *ds, struct std_field *f,
		     json_t *v, struct std_cond *c)
{
	json_t *vals, *x;
	size_t i;
	int rc;

	c->field = -1;
	if (!v)
		return 0;
	vals = json_object_get(v, "in");
	if (!json_is_object(v) || !json_is_array(vals) || json_array_size(vals) == 0)
		return fail(ld, f->name, "a condition needs {\"field\":..., \"in\":[...]}");
	rc = field_ref(ld, ds, f->name, str(v, "field"), &c->field);
	if (rc)
		return rc;
	c->nvals = json_array_size(vals);
	c->vals = alloc0(ld, c->nvals * sizeof *c->vals);
	if (!c->vals)
		return err_generic(ld->err, NAWAT_ENOMEM);
	json_array_foreach(vals, i, x) {
		if (!json_is_string(x))
			return fail(ld, f->name, "condition values must be strings");
		c->vals[i] = json_string_value(x);
	}
	return 0;
}

static int load_field(struct loader *ld, struct std_dataset *ds, json_t *jf, struct std_field *f)
{
	const char *type;
	json_t *c, *v, *x;
	int errcode;
	PCRE2_SIZE erroff;
	char *anchored;
	size_t n;

	f->name = str(jf, "name");
	f->title_th = str(jf, "title");
	f->title_en = str(jf, "x-title-en");
	f->desc_th = str(jf, "description");
	f->desc_en = str(jf, "x-description-en");
	type = str(jf, "type");
	if (!f->name || !type || !f->title_th || !f->title_en)
		return fail(ld, ds->name, "every field needs name, type, title and x-title-en");
	if (!ident_ok(f->name) || !strncmp(f->name, "nw_", 3))
		return fail(ld, f->name, "field names are [a-z][a-z0-9_]* (at most 48), not starting nw_");
	if (!strcmp(type, "string"))
		f->type = STD_STRING;
	else if (!strcmp(type, "integer"))
		f->type = STD_INTEGER;
	else if (!strcmp(type, "number"))
		f->type = STD_NUMBER;
	else if (!strcmp(type, "date"))
		f->type = STD_DATE;
	else
		return fail(ld, f->name, "type must be string, integer, number or date");
	f->decimals = -1;
	f->by_field = -1;
	f->age_year_field = -1;
	f->key_pos = -1;
	f->not_before = -1;
	c = json_object_get(jf, "constraints");
	if (c) {
		f->required = json_is_true(json_object_get(c, "required"));
		if ((v = json_object_get(c, "minimum"))) {
			if (!json_is_number(v))
				return fail(ld, f->name, "minimum must be a number");
			f->has_min = 1;
			f->min = json_number_value(v);
		}
		if ((v = json_object_get(c, "maximum"))) {
			if (!json_is_number(v))
				return fail(ld, f->name, "maximum must be a number");
			f->has_max = 1;
			f->max = json_number_value(v);
		}
		if ((v = json_object_get(c, "pattern"))) {
			if (!json_is_string(v))
				return fail(ld, f->name, "pattern must be a string");
			f->pattern = json_string_value(v);
			/* Table Schema patterns match the whole value */
			n = strlen(f->pattern) + 8;
			anchored = arena_alloc(ld->mem, n);
			if (!anchored)
				return err_generic(ld->err, NAWAT_ENOMEM);
			snprintf(anchored, n, "^(?:%s)$", f->pattern);
			f->re = pcre2_compile((PCRE2_SPTR)anchored, PCRE2_ZERO_TERMINATED,
					      PCRE2_UTF, &errcode, &erroff, NULL);
			if (!f->re)
				return fail(ld, f->name, "pattern does not compile");
			pcre2_jit_compile(f->re, PCRE2_JIT_COMPLETE); /* best effort */
		}
	}
	if ((v = json_object_get(jf, "x-decimals"))) {
		if (!json_is_integer(v) || f->type != STD_NUMBER)
			return fail(ld, f->name, "x-decimals must be an integer on a number field");
		f->decimals = (int)json_integer_value(v);
	}
	if ((v = json_object_get(jf, "x-checksum"))) {
		if (!json_is_string(v) || strcmp(json_string_value(v), "thai-citizen-id"))
			return fail(ld, f->name, "x-checksum must be \"thai-citizen-id\"");
		f->checksum_thai_id = 1;
	}
	if ((v = json_object_get(jf, "x-pii"))) {
		if (!json_is_object(v) || f->type != STD_STRING)
			return fail(ld, f->name, "x-pii must be an object on a string field");
		f->pii = json_is_true(json_object_get(v, "hash"));
		f->pii_seal = json_is_true(json_object_get(v, "seal"));
		if (!f->pii)
			return fail(ld, f->name, "x-pii needs \"hash\": true");
	}
	if ((v = json_object_get(jf, "x-date-forms"))) {
		size_t i;

		if (!json_is_array(v) || f->type != STD_DATE)
			return fail(ld, f->name, "x-date-forms must be an array on a date field");
		json_array_foreach(v, i, x) {
			if (json_is_string(x) && !strcmp(json_string_value(x), "dmy-be"))
				f->date_dmy_be = 1;
			else if (!json_is_string(x) || strcmp(json_string_value(x), "iso"))
				return fail(ld, f->name, "x-date-forms may hold \"iso\" and \"dmy-be\"");
		}
	}
	return 0;
}

/* Second pass: rules that refer to other fields or to code lists. */
static int load_field_links(struct loader *ld, struct std_dataset *ds, json_t *jf,
			    struct std_field *f)
{
	json_t *v, *x, *lists;
	const char *k;
	size_t i;
	int rc;

	if ((rc = load_cond(ld, ds, f, json_object_get(jf, "x-required-when"), &f->required_when)))
		return rc;
	if ((rc = load_cond(ld, ds, f, json_object_get(jf, "x-not-allowed-when"), &f->not_allowed_when)))
		return rc;
	if ((v = json_object_get(jf, "x-code-list-by"))) {
		lists = json_object_get(v, "lists");
		if (!json_is_object(lists) || json_object_size(lists) == 0)
			return fail(ld, f->name, "x-code-list-by needs field and lists");
		if ((rc = field_ref(ld, ds, f->name, str(v, "field"), &f->by_field)))
			return rc;
		f->nby = json_object_size(lists);
		f->by_vals = alloc0(ld, f->nby * sizeof *f->by_vals);
		f->by_lists = alloc0(ld, f->nby * sizeof *f->by_lists);
		if (!f->by_vals || !f->by_lists)
			return err_generic(ld->err, NAWAT_ENOMEM);
		i = 0;
		json_object_foreach(lists, k, x) {
			f->by_vals[i] = k;
			f->by_lists[i] = json_is_string(x) ? std_codelist(ld->pkg, json_string_value(x)) : NULL;
			if (!f->by_lists[i])
				return fail(ld, f->name, "x-code-list-by names a code list the package does not have");
			i++;
		}
	}
	if ((v = json_object_get(jf, "x-age"))) {
		if (f->type != STD_DATE)
			return fail(ld, f->name, "x-age is for date fields");
		if ((rc = field_ref(ld, ds, f->name, str(v, "year_field"), &f->age_year_field)))
			return rc;
		f->age_month = (int)json_integer_value(json_object_get(v, "month"));
		f->age_day = (int)json_integer_value(json_object_get(v, "day"));
		f->age_min = (int)json_integer_value(json_object_get(v, "minimum"));
		f->age_max = (int)json_integer_value(json_object_get(v, "maximum"));
		if (f->age_month < 1 || f->age_month > 12 || f->age_day < 1 || f->age_day > 31 ||
		    f->age_min > f->age_max)
			return fail(ld, f->name, "x-age needs year_field, month, day, minimum <= maximum");
	}
	if ((v = json_object_get(jf, "x-not-before"))) {
		if (!json_is_string(v) || f->type == STD_STRING)
			return fail(ld, f->name, "x-not-before names a field, on a date or number field");
		if ((rc = field_ref(ld, ds, f->name, json_string_value(v), &f->not_before)))
			return rc;
		if (ds->fields[f->not_before].type != f->type)
			return fail(ld, f->name, "x-not-before compares fields of the same type");
	}
	if ((v = json_object_get(jf, "x-code-prefix"))) {
		if (!json_is_array(v))
			return fail(ld, f->name, "x-code-prefix must be an array");
		f->nprefix = json_array_size(v);
		f->prefix = alloc0(ld, f->nprefix * sizeof *f->prefix);
		if (!f->prefix)
			return err_generic(ld->err, NAWAT_ENOMEM);
		json_array_foreach(v, i, x) {
			const char *sev = str(x, "severity");

			f->prefix[i].start = (int)json_integer_value(json_object_get(x, "start"));
			f->prefix[i].len = (int)json_integer_value(json_object_get(x, "length"));
			if ((rc = field_ref(ld, ds, f->name, str(x, "field"), &f->prefix[i].field)))
				return rc;
			if (!sev || (strcmp(sev, "error") && strcmp(sev, "warning")) ||
			    f->prefix[i].start < 0 || f->prefix[i].len < 1)
				return fail(ld, f->name, "x-code-prefix entries need start, length, field, severity");
			f->prefix[i].warning = !strcmp(sev, "warning");
		}
	}
	return 0;
}

static int load_fks(struct loader *ld, struct std_dataset *ds, json_t *schema)
{
	json_t *fks = json_object_get(schema, "foreignKeys"), *fk, *ref, *fields, *tfields, *m, *x;
	const char *res;
	size_t i, j, n = 0;
	int rc;

	if (!fks)
		return 0;
	if (!json_is_array(fks))
		return fail(ld, ds->name, "foreignKeys must be an array");
	ds->fks = alloc0(ld, json_array_size(fks) * sizeof *ds->fks);
	if (!ds->fks)
		return err_generic(ld->err, NAWAT_ENOMEM);
	json_array_foreach(fks, i, fk) {
		ref = json_object_get(fk, "reference");
		fields = json_object_get(fk, "fields");
		tfields = json_object_get(ref, "fields");
		res = str(ref, "resource");
		if (json_is_string(fields) || json_is_string(tfields))
			return fail(ld, ds->name, "write foreignKeys fields as arrays");
		if (!res || !json_is_array(fields) || !json_is_array(tfields) ||
		    json_array_size(fields) != json_array_size(tfields) || !json_array_size(fields))
			return fail(ld, ds->name, "a foreign key needs fields and reference {resource, fields}");
		if (std_codelist(ld->pkg, res)) {
			/* a code list: kept on the field */
			int fi;
			const struct std_codelist *cl = std_codelist(ld->pkg, res);

			if (json_array_size(fields) != 1 ||
			    strcmp(json_string_value(json_array_get(tfields, 0)) ?: "", "code"))
				return fail(ld, ds->name, "a code-list reference is one field to \"code\"");
			if ((rc = field_ref(ld, ds, ds->name, json_string_value(json_array_get(fields, 0)), &fi)))
				return rc;
			if (ds->fields[fi].codelist || ds->fields[fi].by_field >= 0)
				return fail(ld, ds->fields[fi].name, "a field has at most one code list");
			ds->fields[fi].codelist = cl;
			continue;
		}
		{
			struct std_fk *k = &ds->fks[n];
			const struct std_dataset *t = NULL;

			for (j = 0; j < ld->pkg->ndatasets; j++)
				if (ld->pkg->datasets[j].name && !strcmp(ld->pkg->datasets[j].name, res))
					t = &ld->pkg->datasets[j];
			if (!t || t == ds)
				return fail(ld, ds->name, "a foreign key refers to an unknown data set");
			k->target = t;
			k->n = json_array_size(fields);
			k->fields = alloc0(ld, k->n * sizeof(int));
			k->target_fields = alloc0(ld, k->n * sizeof(int));
			if (!k->fields || !k->target_fields)
				return err_generic(ld->err, NAWAT_ENOMEM);
			for (j = 0; j < k->n; j++) {
				if ((rc = field_ref(ld, ds, ds->name, json_string_value(json_array_get(fields, j)), &k->fields[j])))
					return rc;
				k->target_fields[j] = -1; /* resolved after all data sets load */
			}
			m = json_object_get(fk, "x-match");
			k->nmatch = json_is_array(m) ? json_array_size(m) : 0;
			if (k->nmatch) {
				k->match_field = alloc0(ld, k->nmatch * sizeof(int));
				k->match_target_field = alloc0(ld, k->nmatch * sizeof(int));
				if (!k->match_field || !k->match_target_field)
					return err_generic(ld->err, NAWAT_ENOMEM);
				json_array_foreach(m, j, x) {
					if ((rc = field_ref(ld, ds, ds->name, str(x, "field"), &k->match_field[j])))
						return rc;
					k->match_target_field[j] = -1;
				}
			}
			n++;
		}
	}
	ds->nfk = n;
	return 0;
}

static int resolve_fks(struct loader *ld, struct std_dataset *ds, json_t *schema)
{
	json_t *fks = json_object_get(schema, "foreignKeys"), *fk, *m;
	size_t i, j, n = 0;
	int rc;

	json_array_foreach(fks, i, fk) {
		json_t *ref = json_object_get(fk, "reference");
		json_t *tfields = json_object_get(ref, "fields");
		struct std_fk *k;

		if (std_codelist(ld->pkg, str(ref, "resource")))
			continue;
		k = &ds->fks[n++];
		for (j = 0; j < k->n; j++) {
			if ((rc = field_ref(ld, k->target, ds->name,
					    json_string_value(json_array_get(tfields, j)), &k->target_fields[j])))
				return rc;
			if (k->target->fields[k->target_fields[j]].type != ds->fields[k->fields[j]].type)
				return fail(ld, ds->name, "a foreign key joins fields of different types");
		}
		if (k->n != k->target->nkey)
			return fail(ld, ds->name, "a foreign key must name the target's whole primary key");
		for (j = 0; j < k->n; j++)
			if (k->target->fields[k->target_fields[j]].key_pos != (int)j)
				return fail(ld, ds->name, "a foreign key must follow the target's primary key order");
		m = json_object_get(fk, "x-match");
		for (j = 0; j < k->nmatch; j++)
			if ((rc = field_ref(ld, k->target, ds->name, str(json_array_get(m, j), "reference"),
					    &k->match_target_field[j])))
				return rc;
	}
	return 0;
}

static int load_dataset(struct loader *ld, json_t *res, struct std_dataset *ds)
{
	json_t *schema = json_object_get(res, "schema"), *fields, *jf, *pk, *x;
	size_t i;
	int rc;

	ds->name = str(res, "name");
	ds->title_th = str(res, "title");
	ds->title_en = str(res, "x-title-en");
	ds->desc_th = str(res, "description");
	ds->desc_en = str(res, "x-description-en");
	ds->path = str(res, "path");
	ds->order = (int)json_integer_value(json_object_get(res, "x-order"));
	fields = json_object_get(schema, "fields");
	pk = json_object_get(schema, "primaryKey");
	if (!ident_ok(ds->name) || !strncmp(ds->name, "nawat", 5) || !strncmp(ds->name, "submission", 10))
		return fail(ld, ds->name, "data set names are [a-z][a-z0-9_]* and not reserved");
	if (!ds->title_th || !ds->title_en || !json_is_array(fields) || !json_array_size(fields))
		return fail(ld, ds->name, "a data set needs title, x-title-en and schema.fields");
	if (!json_is_array(pk) || !json_array_size(pk))
		return fail(ld, ds->name, "a data set needs a primaryKey array");
	ds->nfields = json_array_size(fields);
	ds->fields = alloc0(ld, ds->nfields * sizeof *ds->fields);
	if (!ds->fields)
		return err_generic(ld->err, NAWAT_ENOMEM);
	json_array_foreach(fields, i, jf) {
		ds->fields[i].index = (int)i;
		if ((rc = load_field(ld, ds, jf, &ds->fields[i])))
			return rc;
		if (std_field_index(ds, ds->fields[i].name, strlen(ds->fields[i].name)) != (int)i)
			return fail(ld, ds->fields[i].name, "duplicate field name");
	}
	if ((x = json_object_get(res, "x-write-roles"))) {
		json_t *role;

		if (!json_is_array(x) || !json_array_size(x))
			return fail(ld, ds->name, "x-write-roles must be an array of role names");
		ds->nwrite_roles = json_array_size(x);
		ds->write_roles = alloc0(ld, ds->nwrite_roles * sizeof *ds->write_roles);
		if (!ds->write_roles)
			return err_generic(ld->err, NAWAT_ENOMEM);
		json_array_foreach(x, i, role) {
			if (!json_is_string(role))
				return fail(ld, ds->name, "x-write-roles must be an array of role names");
			ds->write_roles[i] = json_string_value(role);
		}
	}
	ds->nkey = json_array_size(pk);
	ds->key = alloc0(ld, ds->nkey * sizeof(int));
	if (!ds->key)
		return err_generic(ld->err, NAWAT_ENOMEM);
	json_array_foreach(pk, i, x) {
		if ((rc = field_ref(ld, ds, ds->name, json_string_value(x), &ds->key[i])))
			return rc;
		if (!ds->fields[ds->key[i]].required)
			return fail(ld, ds->fields[ds->key[i]].name, "a key field must be required");
		ds->fields[ds->key[i]].key_pos = (int)i;
	}
	return 0;
}

static int order_cmp(const void *a, const void *b)
{
	const struct std_dataset *x = a, *y = b;

	return x->order != y->order ? (x->order < y->order ? -1 : 1) : strcmp(x->name, y->name);
}

static const char *read_embedded(void *ctx, const char *path, size_t *len)
{
	const struct embed_file *f;
	char full[256];

	(void)ctx;
	snprintf(full, sizeof full, "standard/%s", path);
	f = embed_find(full);
	if (!f)
		return NULL;
	*len = f->len;
	return (const char *)f->data;
}

/* jansson allocates through nawat's allocator (mem.h), so that injected
 * failures reach JSON parsing too; the package is the first JSON read. */
static void json_alloc_init(void)
{
	json_set_alloc_funcs(nw_malloc, nw_free);
}

int std_load(const char *text, size_t len,
	     const char *(*read)(void *ctx, const char *path, size_t *len), void *ctx,
	     struct std_package **out, struct nw_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct std_package *pkg = NULL;
	struct loader ld;
	json_error_t jerr;
	json_t *root = NULL, *resources, *res, *schema;
	struct arena *mem = NULL;
	size_t i, ncl = 0, nds = 0, j;
	int rc;

	pthread_once(&once, json_alloc_init);
	*out = NULL;
	mem = nw_malloc(sizeof *mem);
	pkg = nw_calloc(1, sizeof *pkg);
	if (!mem || !pkg) {
		nw_free(mem);
		nw_free(pkg);
		return err_generic(err, NAWAT_ENOMEM);
	}
	arena_init(mem, 64 * 1024, 0);
	pkg->mem = mem;
	ld.pkg = pkg;
	ld.mem = mem;
	ld.err = err;
	ld.read = read ? read : read_embedded;
	ld.ctx = ctx;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		rc = err_set(err, NAWAT_EPARSE, "มาตรฐานข้อมูลไม่ใช่ JSON ที่ถูกต้อง (บรรทัด %d: %s)",
			     "the data standard is not valid JSON (line %d: %s)", jerr.line, jerr.text);
		goto out;
	}
	pkg->json = root;
	pkg->name = str(root, "name");
	pkg->version = str(root, "version");
	pkg->title_th = str(root, "title");
	pkg->title_en = str(root, "x-title-en");
	pkg->schema_version = (int)json_integer_value(json_object_get(root, "x-schema-version"));
	resources = json_object_get(root, "resources");
	if (!pkg->name || !pkg->version || !pkg->title_th || !pkg->title_en ||
	    pkg->schema_version < 1 || !json_is_array(resources)) {
		rc = fail(&ld, "package", "needs name, version, title, x-title-en, x-schema-version and resources");
		goto out;
	}
	json_array_foreach(resources, i, res) {
		if (!str(res, "name")) {
			rc = fail(&ld, "resources", "every resource needs a name");
			goto out;
		}
		if (json_is_true(json_object_get(res, "x-code-list")))
			ncl++;
		else
			nds++;
	}
	pkg->codelists = alloc0(&ld, ncl * sizeof *pkg->codelists);
	pkg->datasets = alloc0(&ld, nds * sizeof *pkg->datasets);
	if (!pkg->codelists || !pkg->datasets) {
		rc = err_generic(err, NAWAT_ENOMEM);
		goto out;
	}
	/* code lists first: fields refer to them */
	json_array_foreach(resources, i, res) {
		if (!json_is_true(json_object_get(res, "x-code-list")))
			continue;
		if ((rc = load_codelist(&ld, res, &pkg->codelists[pkg->ncodelists])))
			goto out;
		pkg->ncodelists++;
	}
	json_array_foreach(resources, i, res) {
		if (json_is_true(json_object_get(res, "x-code-list")))
			continue;
		if ((rc = load_dataset(&ld, res, &pkg->datasets[pkg->ndatasets])))
			goto out;
		pkg->ndatasets++;
	}
	for (i = 0; i < pkg->ndatasets; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(pkg->datasets[i].name, pkg->datasets[j].name)) {
				rc = fail(&ld, pkg->datasets[i].name, "duplicate resource name");
				goto out;
			}
	/* order by x-order before anything keeps pointers into the array */
	qsort(pkg->datasets, pkg->ndatasets, sizeof *pkg->datasets, order_cmp);
	for (i = 0; i < pkg->ndatasets; i++) {
		struct std_dataset *ds = &pkg->datasets[i];

		ds->index = (int)i;
		res = NULL;
		json_array_foreach(resources, j, res)
			if (!strcmp(str(res, "name"), ds->name))
				break;
		schema = json_object_get(res, "schema");
		for (j = 0; j < ds->nfields; j++)
			if ((rc = load_field_links(&ld, ds, json_array_get(json_object_get(schema, "fields"), j),
						   &ds->fields[j])))
				goto out;
		if ((rc = load_fks(&ld, ds, schema)))
			goto out;
	}
	for (i = 0; i < pkg->ndatasets; i++) {
		struct std_dataset *ds = &pkg->datasets[i];

		res = NULL;
		json_array_foreach(resources, j, res)
			if (!strcmp(str(res, "name"), ds->name))
				break;
		if ((rc = resolve_fks(&ld, ds, json_object_get(res, "schema"))))
			goto out;
		for (j = 0; j < ds->nfk; j++)
			if (ds->fks[j].target->index >= ds->index) {
				rc = fail(&ld, ds->name, "x-order must put a data set after the ones it refers to");
				goto out;
			}
	}
	*out = pkg;
	pkg = NULL;
	rc = 0;
out:
	if (pkg)
		std_free(pkg);
	return rc;
}

int std_load_embedded(struct std_package **out, struct nw_err *err)
{
	const struct embed_file *f = embed_find("standard/datapackage.json");

	if (!f)
		return err_msg(err, NAWAT_ENOTFOUND, "ไม่พบมาตรฐานข้อมูลในโปรแกรม",
			       "the data standard is not embedded in this binary");
	return std_load((const char *)f->data, f->len, NULL, NULL, out, err);
}

void std_free(struct std_package *pkg)
{
	size_t i, j;

	if (!pkg)
		return;
	for (i = 0; i < pkg->ndatasets; i++)
		for (j = 0; pkg->datasets[i].fields && j < pkg->datasets[i].nfields; j++)
			if (pkg->datasets[i].fields[j].re)
				pcre2_code_free(pkg->datasets[i].fields[j].re);
	json_decref(pkg->json);
	if (pkg->mem) {
		arena_release(pkg->mem);
		nw_free(pkg->mem);
	}
	nw_free(pkg);
}

char *std_to_json(const struct std_package *pkg, int inline_codes, struct nw_err *err)
{
	json_t *copy, *resources, *res, *rows, *row;
	const struct std_codelist *cl;
	size_t i, k;
	char *text, *out;

	copy = json_deep_copy(pkg->json);
	if (!copy) {
		err_generic(err, NAWAT_ENOMEM);
		return NULL;
	}
	resources = json_object_get(copy, "resources");
	json_array_foreach(resources, i, res) {
		if (!inline_codes || !json_is_true(json_object_get(res, "x-code-list")))
			continue;
		cl = std_codelist(pkg, str(res, "name"));
		rows = json_array();
		for (k = 0; cl && rows && k < cl->ncodes; k++) {
			row = json_pack("{s:s,s:s,s:s}", "code", cl->codes[k].code,
					"label_th", cl->codes[k].label_th, "label_en", cl->codes[k].label_en);
			if (!row || json_array_append_new(rows, row)) {
				json_decref(rows);
				rows = NULL;
			}
		}
		if (!rows || json_object_set_new(res, "data", rows)) {
			json_decref(copy);
			err_generic(err, NAWAT_ENOMEM);
			return NULL;
		}
		json_object_del(res, "path");
	}
	text = json_dumps(copy, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(copy);
	if (!text) {
		err_generic(err, NAWAT_ENOMEM);
		return NULL;
	}
	/* jansson allocates with malloc; hand the caller an nw_ buffer */
	out = nw_strdup(text);
	free(text);
	if (!out)
		err_generic(err, NAWAT_ENOMEM);
	return out;
}
