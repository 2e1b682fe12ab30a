/*
 * std.h - the data standard: datapackage.json loaded into structs.
 *
 * The package (standard/datapackage.json and its code-list CSVs, embedded at
 * build time) is the one definition that drives storage, validation, import,
 * export, the API and the standard page.  std_load() parses and checks it;
 * everything else reads the structs below and never the JSON.
 *
 * Extensions to Frictionless Table Schema, all prefixed "x-" (see
 * docs/standard.md): x-title-en, x-description-en, x-order, x-decimals,
 * x-checksum, x-pii, x-required-when, x-not-allowed-when, x-code-list-by,
 * x-age, x-code-prefix, x-date-forms, x-code-list, x-match, x-not-before,
 * x-write-roles.
 *
 * A package is immutable once loaded and may be shared by threads.
 */
#ifndef NAWAT_STD_H
#define NAWAT_STD_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

enum std_type { STD_STRING, STD_INTEGER, STD_NUMBER, STD_DATE };

struct std_code {
	const char *code, *label_th, *label_en;
};

struct std_codelist {
	const char *name, *title_th, *title_en, *path;
	size_t ncodes;
	struct std_code *codes; /* sorted by code (bytewise) */
	const char *csv;        /* the CSV text as embedded */
	size_t csv_len;
};

/* "field F has one of these values" */
struct std_cond {
	int field;              /* index in the data set, -1 = no condition */
	size_t nvals;
	const char **vals;
};

struct std_prefix_rule {
	int start, len;         /* bytes of this field's value */
	int field;              /* must equal this field's value */
	int warning;            /* 1 = a mismatch is a warning, 0 = an error */
};

struct std_field {
	const char *name, *title_th, *title_en, *desc_th, *desc_en;
	enum std_type type;
	int index;
	int required;                       /* unconditionally */
	struct std_cond required_when;      /* field = -1 when none */
	struct std_cond not_allowed_when;
	const char *pattern;                /* Table Schema pattern (implicitly anchored) */
	void *re;                           /* compiled pattern (pcre2_code *) */
	int has_min, has_max;
	double min, max;
	int decimals;                       /* max decimal places, -1 = any */
	int checksum_thai_id;
	int pii, pii_seal;                  /* personal data: hashed; and sealed */
	const struct std_codelist *codelist;
	/* code list chosen by another field's value */
	int by_field;                       /* -1 when none */
	size_t nby;
	const char **by_vals;
	const struct std_codelist **by_lists;
	/* age rule on a date: age on (year_field - 543)-month-day in [min,max] */
	int age_year_field;                 /* -1 when none */
	int age_month, age_day, age_min, age_max;
	size_t nprefix;
	struct std_prefix_rule *prefix;
	int date_dmy_be;                    /* accepts D/M/YYYY B.E. besides ISO */
	int not_before;                     /* must not be less than this field, -1 none */
	int key_pos;                        /* position in the primary key, -1 */
};

/* A reference to another data set (codes lists are kept on the fields). */
struct std_fk {
	size_t n;
	int *fields;                        /* in this data set */
	const struct std_dataset *target;
	int *target_fields;
	size_t nmatch;                      /* "x-match": this field must equal the target's */
	int *match_field, *match_target_field;
};

struct std_dataset {
	const char *name, *title_th, *title_en, *desc_th, *desc_en, *path;
	int order;
	int index;
	size_t nfields;
	struct std_field *fields;
	size_t nkey;
	int *key;                           /* field indexes */
	size_t nfk;
	struct std_fk *fks;
	/* roles that may write it ("x-write-roles"); 0 = every role whose
	 * scope reaches its rows */
	size_t nwrite_roles;
	const char **write_roles;
};

struct std_package {
	const char *name, *version, *title_th, *title_en;
	int schema_version;
	size_t ndatasets;
	struct std_dataset *datasets;       /* sorted by dependency order */
	size_t ncodelists;
	struct std_codelist *codelists;
	void *json;                         /* json_t *, the package as loaded */
	void *mem;                          /* private allocations */
};

/* Loads the package embedded in the binary. */
int std_load_embedded(struct std_package **out, struct nw_err *err);
/* Loads a package from JSON text; code lists are read through `read` (path
 * relative to the package -> bytes), which may be NULL for embedded files. */
int std_load(const char *json, size_t len,
	     const char *(*read)(void *ctx, const char *path, size_t *len), void *ctx,
	     struct std_package **out, struct nw_err *err);
void std_free(struct std_package *pkg);

const struct std_dataset *std_dataset(const struct std_package *pkg, const char *name);
const struct std_codelist *std_codelist(const struct std_package *pkg, const char *name);
int std_field_index(const struct std_dataset *ds, const char *name, size_t len);
const struct std_code *std_code_find(const struct std_codelist *cl, const char *code, size_t len);

/* The codes of cl in the order of its CSV text, the order people read them
 * (cl->codes is sorted by code): order gets cl->ncodes indexes into
 * cl->codes.  NAWAT_ENOMEM when out of memory. */
int std_code_order(const struct std_codelist *cl, size_t *order);

/* The code list that applies to field f of a row given the raw value of its
 * by_field (NULL when f has no code list for that value). */
const struct std_codelist *std_field_codelist(const struct std_field *f,
					      const char *by_val, size_t by_len);

/* The package as one self-contained JSON document (every schema inline).
 * inline_codes: code lists as inline "data" rows instead of CSV paths.
 * Caller frees with nw_free. */
char *std_to_json(const struct std_package *pkg, int inline_codes, struct nw_err *err);

const char *std_type_name(enum std_type t);
/* The type's name for people, in Thai ("ข้อความ", ...). */
const char *std_type_th(enum std_type t);

#endif
