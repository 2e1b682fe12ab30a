/*
 * import.c - the import pipeline (see import.h).
 *
 * Rows stream from a reader into chunks (as many rows as suit the store's
 * writer: store_batch_rows).  Each row is checked
 * by val_row() as it arrives (rules of one row) and its personal data hashed
 * and sealed; at each chunk the rules that need the store run in a batch:
 * references, x-match and, inside the writer, duplicates.  The whole batch is
 * one transaction with a savepoint per file, so a failed file or a failed
 * batch leaves the store as it was.  Memory is one chunk, whatever the file.
 */
#include "import.h"

#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <csv.h>
#include <sodium.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/log.h"
#include "../base/mem.h"
#include "../standard/validate.h"
#include "../store/audit.h"
#include "../store/tally.h"
#include "csvout.h"
#include "samechild.h"

#define MAX_FK_KEY 8

/* An issue found in a row (field) or a file (column by name). */
struct crow {
	size_t line;
	struct val_value *vals;
	struct val_issue *issues;
	size_t nissues, capissues;
	int nerr;
	struct rec_view *cells;   /* the row as read, by column */
	size_t ncells;
	int extra_cells;          /* more non-empty cells than the header */
	unsigned char idkind;     /* SAME_ID, SAME_GCODE (samechild.h), known in clear */
};

/* The lookups of one reference for a chunk: its distinct keys are looked up
 * at once (one round trip on a server store), then each row finds its own. */
struct fkstate {
	const struct std_fk *fk;   /* NULL for the scope lookup */
	struct store_ref *ref;
	int *fetch;
	size_t nkey, nfetch;
	size_t nobs;               /* the last nobs fetched are the store observer's (store_row.ref) */
	const int *key_fields;     /* the row's fields that make the target's key */
	/* per chunk (the writer's): of each of the chunk's distinct keys */
	int *found;
	struct val_value *fetched; /* from the store: valid until the next chunk */
};

/* A chunk's distinct keys for one lookup, and each row's: made by the
 * reading thread as it hands the chunk over, so that the writer only looks
 * them up. */
struct chunk_keys {
	struct val_value *keys;    /* nkeys, fkstate.nkey values each */
	struct val_value *near;    /* nkeys, the fk's nmatch values each: where the key's
				    * first row says the referenced row is (store_ref_near) */
	int *row_key;              /* per row: its key's index, -1 none */
	size_t nkeys;
};

struct piicache {
	char clear[PII_MAX_CLEAR + 1];
	size_t n;
	int valid;
	unsigned char hash[PII_HASH_LEN];
	unsigned char sealed[PII_SEALED_MAX];
	size_t sealed_n;
};

struct imp;

/* A chunk of rows on its way from the reading thread to the writing one. */
struct chunk {
	struct arena mem;         /* the rows' bytes */
	struct crow *rows;         /* fi->chunk_rows of them */
	size_t nrows;
	int *field_col;           /* the column map when the chunk was queued */
	int file_error;           /* likewise */
	struct chunk_keys *ck;    /* per ifile.fks, then the scope's lookup */
};

/* Chunks between the reading thread and the writer.  Each side wakes the
 * other only when it waits, and the writer wakes the reader only once
 * WAKE_FREE chunks are free again: a wake-up costs the waker a system call
 * (and on a virtual machine an interrupt to the other processor), so the
 * reader, which keeps ahead of the writer, fills several chunks a turn
 * instead of one. */
#define NCHUNKS 4
#define WAKE_FREE (NCHUNKS / 2)

struct ifile {
	struct imp *im;
	struct imp_file *f;
	const struct std_dataset *ds;
	int64_t sub_id;
	/* columns */
	int *col_field;           /* column -> field, -1 unknown or ignored */
	char **col_names;
	size_t ncols, capcols;
	int *field_col;           /* field -> column, -1 absent */
	unsigned char *missing;   /* field: a required column missing (reported once, on row 0) */
	int file_error;
	/* rows are read, checked and protected in this thread, and written to
	 * the store in a writer thread: parsing and writing overlap */
	struct chunk chunks[NCHUNKS];
	struct chunk *cur;        /* being filled */
	struct chunk *freeq[NCHUNKS], *fullq[NCHUNKS];
	size_t nfree, qhead, qlen;
	pthread_mutex_t mu;
	pthread_cond_t full_cv;   /* the writer waits for a full chunk */
	pthread_cond_t free_cv;   /* the reader waits for a free one */
	int writer_waits, reader_waits;
	pthread_t writer;
	int writer_running, done, abort;
	struct imp_count wc;      /* the writer's counts */
	struct nw_err werr;
	struct store_row *srows;   /* chunk_rows */
	size_t chunk_rows;
	struct store_writer *w;
	struct fkstate *fks;
	int obs_fk;                /* the one of fks whose lookup fetches the observer's fields, -1 none */
	struct fkstate scope_ref;  /* a school's area, for an area's scope */
	int *key_slot;             /* the reading thread's: a hash table over a chunk's keys */
	int scope_field;           /* the field the scope is checked on, -1 none */
	int scope_area_field;      /* schools.area_code */
	struct piicache *pc;
	struct val_cell *cells;
	struct imp_count c;
	int rc;                   /* first store or internal failure (writer) */
	struct tally *tally;      /* rows per school, year and term */
	struct same *same;        /* "may be the same child" (students) */
	/* rejected rows */
	FILE *rej;
	struct csvw rejw;
	char *rej_path;
};

struct imp {
	struct store *st;
	const struct pii_key *key;
	const struct imp_opts *o;
	struct nw_err *err;
	FILE *rep;                /* the report, a temporary file until the end */
	struct csvw repw;
	pthread_mutex_t rep_mu;   /* both threads of a file write to it */
};

void imp_report_header(FILE *fp)
{
	fputs("file,row,column,value,code,severity,message_th,message_en\n", fp);
}

static void report(struct imp *im, const char *file, size_t row, const char *column,
		   const char *value, size_t vlen, const struct std_dataset *ds,
		   const struct val_issue *is, const char *th, const char *en)
{
	char mth[NW_ERR_MSG], men[NW_ERR_MSG];
	const struct std_field *f = is->field >= 0 ? &ds->fields[is->field] : NULL;

	if (f && f->pii)
		value = NULL; /* the report shows the row, never the ID */
	if (!th)
		val_message(ds, is, value, vlen, mth, sizeof mth, men, sizeof men);
	pthread_mutex_lock(&im->rep_mu);
	csvw_str(&im->repw, file);
	csvw_int(&im->repw, (long long)row);
	csvw_str(&im->repw, column);
	csvw_field(&im->repw, value, value ? vlen : 0);
	csvw_str(&im->repw, val_code_name(is->code));
	csvw_str(&im->repw, is->warning ? "warning" : "error");
	csvw_str(&im->repw, th ? th : mth);
	csvw_str(&im->repw, en ? en : men);
	csvw_end(&im->repw);
	pthread_mutex_unlock(&im->rep_mu);
}

static void file_issue(struct ifile *fi, size_t row, const char *column, enum val_code code,
		       const char *th, const char *en)
{
	struct val_issue is = { -1, code, 0 };
	char mth[NW_ERR_MSG], men[NW_ERR_MSG];

	/* a missing column's message names it */
	if (code == VC_REQUIRED)
		is.field = std_field_index(fi->ds, column, strlen(column));
	if (!th) {
		val_message(fi->ds, &is, column, strlen(column), mth, sizeof mth, men, sizeof men);
		th = mth;
		en = men;
	}
	is.field = -1; /* a file's issue: its value is never shown */
	report(fi->im, fi->f->name, row, column, NULL, 0, fi->ds, &is, th, en);
	fi->c.errors++;
	fi->file_error = 1;
}

/* ---- trimming and cells ---- */

static void trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t len = *n;

	for (;;) {
		if (len && (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n')) {
			p++;
			len--;
		} else if (len >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
			p += 2;
			len -= 2;
		} else {
			break;
		}
	}
	for (;;) {
		if (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' ||
			    p[len - 1] == '\n'))
			len--;
		else if (len >= 2 && (unsigned char)p[len - 2] == 0xC2 && (unsigned char)p[len - 1] == 0xA0)
			len -= 2;
		else
			break;
	}
	*s = p;
	*n = len;
}

/* ---- columns ---- */

static int sink_column(void *ctx, const char *name, size_t n)
{
	struct ifile *fi = ctx;
	const char *s = name;
	size_t len = n, i;
	int field;

	if (fi->ncols == fi->capcols) {
		size_t cap = fi->capcols ? fi->capcols * 2 : 32;
		int *cf = nw_realloc(fi->col_field, cap * sizeof *cf);
		char **cn;

		if (!cf)
			return NAWAT_ENOMEM;
		fi->col_field = cf;
		cn = nw_realloc(fi->col_names, cap * sizeof *cn);
		if (!cn)
			return NAWAT_ENOMEM;
		fi->col_names = cn;
		fi->capcols = cap;
	}
	trim(&s, &len);
	fi->col_names[fi->ncols] = nw_strndup(s, len);
	if (!fi->col_names[fi->ncols])
		return NAWAT_ENOMEM;
	field = std_field_index(fi->ds, s, len);
	fi->col_field[fi->ncols] = -1;
	if (field < 0) {
		if (!fi->im->o->ignore_unknown)
			file_issue(fi, 0, fi->col_names[fi->ncols], VC_UNKNOWN_COLUMN, NULL, NULL);
	} else if (fi->field_col[field] >= 0) {
		char th[NW_ERR_MSG], en[NW_ERR_MSG];

		snprintf(th, sizeof th, "คอลัมน์ %s ซ้ำในแถวหัวตาราง", fi->col_names[fi->ncols]);
		snprintf(en, sizeof en, "column %s appears twice in the header", fi->col_names[fi->ncols]);
		file_issue(fi, 0, fi->col_names[fi->ncols], VC_DUPLICATE, th, en);
	} else {
		fi->field_col[field] = (int)fi->ncols;
		fi->col_field[fi->ncols] = field;
	}
	fi->ncols++;
	(void)i;
	return 0;
}

static int sink_header_done(void *ctx)
{
	struct ifile *fi = ctx;
	size_t i;

	for (i = 0; i < fi->ds->nfields; i++)
		if ((fi->im->o->remove ? fi->ds->fields[i].key_pos >= 0 : fi->ds->fields[i].required) &&
		    fi->field_col[i] < 0) {
			file_issue(fi, 0, fi->ds->fields[i].name, VC_REQUIRED, NULL, NULL);
			fi->missing[i] = 1;
		}
	return 0;
}

/* ---- rows ---- */

static int add_issue(struct arena *mem, struct crow *r, int field, enum val_code code, int warning)
{
	struct val_issue *is;

	if (r->nissues == r->capissues) {
		size_t cap = r->capissues * 2 + 4;

		is = arena_alloc(mem, cap * sizeof *is);
		if (!is)
			return NAWAT_ENOMEM;
		if (r->nissues)
			memcpy(is, r->issues, r->nissues * sizeof *is);
		r->issues = is;
		r->capissues = cap;
	}
	r->issues[r->nissues].field = field;
	r->issues[r->nissues].code = code;
	r->issues[r->nissues].warning = warning;
	r->nissues++;
	if (!warning)
		r->nerr++;
	return 0;
}

static int field_has_error(const struct crow *r, int field)
{
	size_t i;

	for (i = 0; i < r->nissues; i++)
		if (r->issues[i].field == field && !r->issues[i].warning)
			return 1;
	return 0;
}

/* For the tally: a cell counts when it has no error. */
static int cell_ok(void *ctx, int field)
{
	return !field_has_error(ctx, field);
}

static void count_row(struct ifile *fi, struct crow *r, enum tally_kind kind)
{
	if (fi->tally)
		tally_add(fi->tally, fi->ds, r->vals, cell_ok, r, kind);
}

/* Hashes (and seals) the personal-data fields of a valid cell. */
static int protect(struct ifile *fi, struct crow *r, struct arena *mem)
{
	const struct std_dataset *ds = fi->ds;
	size_t i;
	int rc;

	for (i = 0; i < ds->nfields; i++) {
		const struct std_field *f = &ds->fields[i];
		struct val_value *v = &r->vals[i];
		struct piicache *pc = &fi->pc[i];
		unsigned char *h, *s;

		if (!f->pii || v->state != VAL_SET)
			continue;
		if (field_has_error(r, (int)i) || v->n > PII_MAX_CLEAR) {
			v->state = VAL_NULL; /* never written; never kept in clear */
			continue;
		}
		if (!pc->valid || pc->n != v->n || memcmp(pc->clear, v->s, v->n)) {
			memcpy(pc->clear, v->s, v->n);
			pc->n = v->n;
			pii_hash(fi->im->key, v->s, v->n, pc->hash);
			pc->sealed_n = 0;
			if (f->pii_seal && (rc = pii_seal(fi->im->key, v->s, v->n, pc->hash, pc->sealed,
							  &pc->sealed_n)))
				return rc;
			pc->valid = 1;
		}
		h = arena_alloc(mem, PII_HASH_LEN);
		s = pc->sealed_n ? arena_alloc(mem, pc->sealed_n) : NULL;
		if (!h || (pc->sealed_n && !s))
			return NAWAT_ENOMEM;
		memcpy(h, pc->hash, PII_HASH_LEN);
		v->s = (const char *)h;
		v->n = PII_HASH_LEN;
		if (s) {
			memcpy(s, pc->sealed, pc->sealed_n);
			v->blob = s;
			v->blob_n = pc->sealed_n;
		}
	}
	return 0;
}

static int queue_chunk(struct ifile *fi);

static int sink_row(void *ctx, size_t line, const struct rec_view *vals,
		    const unsigned char *present, size_t n)
{
	struct ifile *fi = ctx;
	const struct std_dataset *ds = fi->ds;
	struct crow *r;
	struct val_issue issues[2 * 64 + 4];
	size_t nissues = 0, i, total;
	struct arena *mem;
	char *text;
	int rc;

	if (__atomic_load_n(&fi->abort, __ATOMIC_ACQUIRE))
		return NAWAT_ESTORE; /* the writer failed; its error is in fi->werr */
	if (ds->nfields > 64)
		return NAWAT_ELIMIT;
	mem = &fi->cur->mem;
	r = &fi->cur->rows[fi->cur->nrows];
	memset(r, 0, sizeof *r);
	r->line = line;
	fi->c.rows++;
	/* keep the row as read, for the report and the rejected file: one
	 * allocation for all its cells */
	r->ncells = n;
	for (i = 0, total = 0; i < n; i++)
		if (vals[i].n != REC_NOT_SCALAR)
			total += vals[i].n + 1;
	r->cells = arena_alloc(mem, (n ? n : 1) * sizeof *r->cells);
	r->vals = arena_alloc(mem, ds->nfields * sizeof *r->vals);
	text = arena_alloc(mem, total ? total : 1);
	if (!r->cells || !r->vals || !text)
		return NAWAT_ENOMEM;
	for (i = 0; i < n; i++) {
		if (vals[i].n == REC_NOT_SCALAR) {
			r->cells[i].s = NULL;
			r->cells[i].n = REC_NOT_SCALAR;
			continue;
		}
		memcpy(text, vals[i].s, vals[i].n);
		text[vals[i].n] = '\0';
		r->cells[i].s = text;
		r->cells[i].n = vals[i].n;
		text += vals[i].n + 1;
		if (i >= fi->ncols || fi->col_field[i] < 0) {
			/* cells past the header are an error unless empty */
			const char *s = vals[i].s;
			size_t len = vals[i].n;

			trim(&s, &len);
			if (i >= fi->ncols && len)
				r->extra_cells = 1;
		}
	}
	for (i = 0; i < ds->nfields; i++) {
		int col = fi->field_col[i];
		struct val_cell *c = &fi->cells[i];

		c->present = col >= 0 && (size_t)col < n ? present[col] : col >= 0;
		c->s = "";
		c->n = 0;
		if (col >= 0 && (size_t)col < n && r->cells[col].n != REC_NOT_SCALAR) {
			c->s = r->cells[col].s;
			c->n = r->cells[col].n;
			trim(&c->s, &c->n);
		}
	}
	val_row(ds, fi->cells, r->vals, issues, &nissues);
	for (i = 0; i < nissues; i++) {
		/* a deletion reads the key alone */
		if (fi->im->o->remove && (issues[i].field < 0 || ds->fields[issues[i].field].key_pos < 0))
			continue;
		if (issues[i].field >= 0 && fi->missing[issues[i].field]) {
			/* reported once on row 0; the row still fails */
			r->nerr++;
			continue;
		}
		if ((rc = add_issue(mem, r, issues[i].field, issues[i].code, issues[i].warning)))
			return rc;
	}
	/* a JSON object or array where a value belongs: a type error, whatever
	 * val_row made of the empty cell it saw */
	for (i = 0; i < ds->nfields; i++) {
		int col = fi->field_col[i];
		size_t k, m;

		if (col < 0 || (size_t)col >= n || r->cells[col].n != REC_NOT_SCALAR)
			continue;
		for (k = 0, m = 0; k < r->nissues; k++) {
			if (r->issues[k].field == (int)i) {
				r->nerr -= !r->issues[k].warning;
				continue;
			}
			r->issues[m++] = r->issues[k];
		}
		r->nissues = m;
		if ((rc = add_issue(mem, r, (int)i, VC_TYPE, 0)))
			return rc;
		r->vals[i].state = VAL_NULL;
	}
	if (r->extra_cells && (rc = add_issue(mem, r, -1, VC_PATTERN, 0)))
		return rc;
	/* dates point into their own value; fix after the copy into the arena */
	for (i = 0; i < ds->nfields; i++)
		if (ds->fields[i].type == STD_DATE && r->vals[i].state == VAL_SET)
			r->vals[i].s = r->vals[i].date;
	if (fi->same) {
		const struct val_value *id = &r->vals[same_id_field(fi->same)];

		r->idkind = id->state == VAL_SET && !field_has_error(r, same_id_field(fi->same))
				    ? (unsigned char)same_kind(id->s, id->n) : SAME_NONE;
	}
	if ((rc = protect(fi, r, mem)))
		return rc;
	if (++fi->cur->nrows == fi->chunk_rows)
		return queue_chunk(fi);
	return 0;
}

/* ---- references ---- */

static int same_val(const struct std_field *f, const struct val_value *a, const struct val_value *b)
{
	if (a->state != VAL_SET || b->state != VAL_SET)
		return (a->state == VAL_SET) == (b->state == VAL_SET);
	if (f->type == STD_INTEGER && !f->pii)
		return a->i == b->i;
	if (f->type == STD_NUMBER)
		return a->d == b->d;
	return a->n == b->n && !memcmp(a->s, b->s, a->n);
}

static uint64_t key_hash(const struct std_dataset *ds, const int *fields, size_t n,
			 const struct val_value *vals)
{
	uint64_t h = 1469598103934665603ULL;
	size_t k, i;

	for (k = 0; k < n; k++) {
		const struct val_value *v = &vals[fields[k]];
		const struct std_field *f = &ds->fields[fields[k]];

		if (f->type == STD_INTEGER && !f->pii) {
			h = (h ^ (uint64_t)v->i) * 1099511628211ULL;
		} else {
			for (i = 0; i < v->n; i++)
				h = (h ^ (unsigned char)v->s[i]) * 1099511628211ULL;
		}
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

/* Whether the row's key is the chunk's distinct key e. */
static int same_key(const struct std_dataset *ds, const struct fkstate *fs, const struct chunk_keys *ck,
		    const struct crow *r, int e)
{
	size_t k;

	for (k = 0; k < fs->nkey; k++)
		if (!same_val(&ds->fields[fs->key_fields[k]], &r->vals[fs->key_fields[k]],
			      &ck->keys[(size_t)e * fs->nkey + k]))
			return 0;
	return 1;
}

/* Whether the row has a key for fs now: every field set, none in error. */
static int has_key(const struct fkstate *fs, const struct crow *r)
{
	size_t k;

	for (k = 0; k < fs->nkey; k++)
		if (r->vals[fs->key_fields[k]].state != VAL_SET || field_has_error(r, fs->key_fields[k]))
			return 0;
	return 1;
}

/* The row's key for fs (its index in ck), or -1: a check that ran before
 * may have found an error in a key field since the keys were made (only a
 * row with errors needs looking at again). */
static int row_key(const struct fkstate *fs, const struct chunk_keys *ck, const struct crow *r, size_t i)
{
	int e = ck->row_key[i];

	return e >= 0 && (!r->nerr || has_key(fs, r)) ? e : -1;
}

/* The distinct keys of the chunk's rows (those with a valid key) for fs,
 * into ck (in the chunk's memory): in the reading thread. */
static int chunk_keys(struct ifile *fi, const struct fkstate *fs, struct chunk *ch, struct chunk_keys *ck)
{
	const struct std_dataset *ds = fi->ds;
	size_t i, k, nslot = 2 * fi->chunk_rows, nnear = fs->fk ? fs->fk->nmatch : 0;
	int *slot = fi->key_slot;

	ck->nkeys = 0;
	ck->keys = arena_alloc(&ch->mem, (ch->nrows ? ch->nrows : 1) * fs->nkey * sizeof *ck->keys);
	ck->row_key = arena_alloc(&ch->mem, (ch->nrows ? ch->nrows : 1) * sizeof *ck->row_key);
	ck->near = nnear ? arena_alloc(&ch->mem, (ch->nrows ? ch->nrows : 1) * nnear * sizeof *ck->near) : NULL;
	if (!ck->keys || !ck->row_key || (nnear && !ck->near))
		return NAWAT_ENOMEM;
	for (i = 0; i < nslot; i++)
		slot[i] = -1;
	for (i = 0; i < ch->nrows; i++) {
		struct crow *r = &ch->rows[i];
		uint64_t h;
		size_t pos;

		ck->row_key[i] = -1;
		if (!has_key(fs, r))
			continue;
		/* rows come grouped by key (a student's results): the row
		 * before's key, when it is the same, without hashing */
		if (i && ck->row_key[i - 1] >= 0 && same_key(ds, fs, ck, r, ck->row_key[i - 1])) {
			ck->row_key[i] = ck->row_key[i - 1];
			continue;
		}
		h = key_hash(ds, fs->key_fields, fs->nkey, r->vals);
		for (pos = h % nslot;; pos = (pos + 1) % nslot) {
			int e = slot[pos];

			if (e < 0) {
				slot[pos] = (int)ck->nkeys;
				for (k = 0; k < fs->nkey; k++)
					ck->keys[ck->nkeys * fs->nkey + k] = r->vals[fs->key_fields[k]];
				/* (a value in error says nothing) */
				for (k = 0; k < nnear; k++) {
					struct val_value *v = &ck->near[ck->nkeys * nnear + k];

					*v = r->vals[fs->fk->match_field[k]];
					if (field_has_error(r, fs->fk->match_field[k]))
						v->state = VAL_ABSENT;
				}
				ck->row_key[i] = (int)ck->nkeys++;
				break;
			}
			if (same_key(ds, fs, ck, r, e)) {
				ck->row_key[i] = e;
				break;
			}
		}
	}
	return 0;
}

/* Looks the chunk's distinct keys for fs up: in the writer thread. */
static int prefetch(struct fkstate *fs, const struct chunk_keys *ck)
{
	if (!ck->nkeys)
		return 0;
	return store_ref_lookup_many(fs->ref, ck->nkeys, ck->keys, ck->near, fs->found, fs->fetched);
}

static int check_refs(struct ifile *fi, struct chunk *ch)
{
	const struct std_dataset *ds = fi->ds;
	size_t k, j, i;
	int rc;

	for (k = 0; k < ds->nfk; k++) {
		struct fkstate *fs = &fi->fks[k];
		const struct std_fk *fk = fs->fk;

		if ((rc = prefetch(fs, &ch->ck[k])))
			return rc;
		for (i = 0; i < ch->nrows; i++) {
			struct crow *r = &ch->rows[i];
			int e = row_key(fs, &ch->ck[k], r, i);

			if (e < 0)
				continue;
			if (!fs->found[e]) {
				if ((rc = add_issue(&ch->mem, r, fk->fields[0], VC_REFERENCE, 0)))
					return rc;
				continue;
			}
			for (j = 0; j < fk->nmatch; j++) {
				int mf = fk->match_field[j];

				/* an empty cell where the referenced row has a value
				 * contradicts it too; an absent column keeps the stored one */
				if (r->vals[mf].state != VAL_ABSENT && !field_has_error(r, mf) &&
				    !same_val(&ds->fields[mf], &r->vals[mf], &fs->fetched[(size_t)e * fs->nfetch + j]))
					if ((rc = add_issue(&ch->mem, r, mf, VC_MISMATCH, 0)))
						return rc;
			}
		}
	}
	return 0;
}

static int code_is(const struct val_value *v, const char *code)
{
	return v->state == VAL_SET && v->n == strlen(code) && !memcmp(v->s, code, v->n);
}

/* Rows outside the importing user's scope: a school's rows for a school, an
 * area's (or its schools') for an area. */
static int check_scope(struct ifile *fi, struct chunk *ch)
{
	const struct store_scope *sc = &fi->im->o->scope;
	struct fkstate *fs = &fi->scope_ref;
	const struct chunk_keys *ck = &ch->ck[fi->ds->nfk];
	size_t i;
	int rc;

	if (sc->kind == SCOPE_ALL)
		return 0;
	if (fs->ref && (rc = prefetch(fs, ck)))
		return rc;
	for (i = 0; i < ch->nrows; i++) {
		struct crow *r = &ch->rows[i];
		const struct val_value *v;
		int out = 0, e;

		if (fi->scope_field < 0 || sc->kind == SCOPE_NONE) {
			if ((rc = add_issue(&ch->mem, r, fi->ds->key[0], VC_SCOPE, 0)))
				return rc;
			continue;
		}
		v = &r->vals[fi->scope_field];
		if (field_has_error(r, fi->scope_field))
			continue;
		if (v->state != VAL_SET)
			out = 1;
		else if (!fs->ref) /* the field is the scope's own code */
			out = !code_is(v, sc->code);
		else if ((e = row_key(fs, ck, r, i)) >= 0 && fs->found[e]) /* the school's area */
			out = !code_is(&fs->fetched[e], sc->code);
		if (out && (rc = add_issue(&ch->mem, r, fi->scope_field, VC_SCOPE, 0)))
			return rc;
	}
	return 0;
}

/* ---- the writer thread: references, the store, the report ---- */

static int issue_col(const struct chunk *ch, const struct val_issue *is)
{
	return is->field >= 0 ? ch->field_col[is->field] : -1;
}

static void write_rejected(struct ifile *fi, const struct chunk *ch, const struct crow *r)
{
	size_t i;

	if (!fi->rej)
		return;
	if (REC_BY_HEADER(fi->f->fmt)) {
		for (i = 0; i < fi->ncols; i++)
			csvw_field(&fi->rejw, i < r->ncells ? r->cells[i].s : "",
				   i < r->ncells && r->cells[i].n != REC_NOT_SCALAR ? r->cells[i].n : 0);
	} else {
		for (i = 0; i < fi->ds->nfields; i++) {
			int col = ch->field_col[i];

			csvw_field(&fi->rejw, col >= 0 && (size_t)col < r->ncells ? r->cells[col].s : "",
				   col >= 0 && (size_t)col < r->ncells && r->cells[col].n != REC_NOT_SCALAR
					   ? r->cells[col].n : 0);
		}
	}
	csvw_end(&fi->rejw);
}

static void report_row(struct ifile *fi, const struct chunk *ch, struct crow *r)
{
	size_t i, j;

	/* issues in column order (insertion sort: a handful per row) */
	for (i = 1; i < r->nissues; i++) {
		struct val_issue t = r->issues[i];

		for (j = i; j > 0 && issue_col(ch, &r->issues[j - 1]) > issue_col(ch, &t); j--)
			r->issues[j] = r->issues[j - 1];
		r->issues[j] = t;
	}
	for (i = 0; i < r->nissues; i++) {
		const struct val_issue *is = &r->issues[i];
		int col = issue_col(ch, is);
		const char *v = NULL;
		size_t vn = 0;

		if (col >= 0 && (size_t)col < r->ncells && r->cells[col].n != REC_NOT_SCALAR) {
			v = r->cells[col].s;
			vn = r->cells[col].n;
			trim(&v, &vn);
		}
		if (is->field < 0) {
			report(fi->im, fi->f->name, r->line, "", NULL, 0, fi->ds, is,
			       "แถวนี้มีข้อมูลเกินจำนวนคอลัมน์ของหัวตาราง",
			       "the row has more cells than the header");
		} else {
			report(fi->im, fi->f->name, r->line, fi->ds->fields[is->field].name, v, vn,
			       fi->ds, is, NULL, NULL);
		}
		if (is->warning)
			fi->wc.warnings++;
		else
			fi->wc.errors++;
	}
}

/* The rows of a chunk without errors, in fi->srows for the store; their number. */
static size_t pending_rows(struct ifile *fi, const struct chunk *ch)
{
	/* (check_refs looked the chunk's keys up) */
	const struct fkstate *fs = fi->obs_fk >= 0 ? &fi->fks[fi->obs_fk] : NULL;
	size_t i, nw = 0;

	for (i = 0; i < ch->nrows; i++) {
		int e;

		if (ch->rows[i].nerr)
			continue;
		e = fs ? ch->ck[fi->obs_fk].row_key[i] : -1; /* (a row without errors keeps its key) */
		fi->srows[nw].line = ch->rows[i].line;
		fi->srows[nw].vals = ch->rows[i].vals;
		fi->srows[nw].result = STORE_PENDING;
		fi->srows[nw].ref = e >= 0 && fs->found[e] ? &fs->fetched[(size_t)e * fs->nfetch + fs->nfetch - fs->nobs]
							   : NULL;
		nw++;
	}
	return nw;
}

/* A deletion's chunk: the rows with these keys go, within the scope; keys
 * of no row (or of rows outside the scope) are warnings. */
static int delete_chunk(struct ifile *fi, struct chunk *ch)
{
	size_t i, nw = 0;
	int rc;

	nw = pending_rows(fi, ch);
	if (nw && (rc = store_delete(fi->im->st, fi->ds, fi->sub_id, &fi->im->o->scope, fi->srows, nw)))
		return rc;
	for (i = 0, nw = 0; i < ch->nrows; i++) {
		struct crow *r = &ch->rows[i];

		if (!r->nerr) {
			enum store_result res = fi->srows[nw++].result;

			if (res == STORE_DELETED) {
				fi->wc.deleted++;
				count_row(fi, r, TALLY_DELETED);
			} else if ((rc = add_issue(&ch->mem, r, fi->ds->key[0],
						 res == STORE_REFERENCED ? VC_REFERENCED : VC_NOT_FOUND,
						 res != STORE_REFERENCED)))
				return rc;
		}
		report_row(fi, ch, r);
		if (r->nerr) {
			fi->wc.rejected++;
			count_row(fi, r, TALLY_REJECTED);
			write_rejected(fi, ch, r);
		}
	}
	return 0;
}

static int write_chunk(struct ifile *fi, struct chunk *ch)
{
	size_t i, nw = 0;
	int rc;

	if (!ch->file_error && fi->im->o->remove)
		return delete_chunk(fi, ch);
	if (!ch->file_error) {
		if ((rc = check_refs(fi, ch)) || (rc = check_scope(fi, ch)))
			return rc;
		nw = pending_rows(fi, ch);
		if (nw && fi->same && (rc = same_before(fi->same, fi->srows, nw)))
			return rc;
		if (nw && (rc = store_writer_put(fi->w, fi->srows, nw)))
			return rc;
		if (nw && fi->same && (rc = same_after(fi->same, fi->srows, nw)))
			return rc;
	}
	for (i = 0, nw = 0; i < ch->nrows; i++) {
		struct crow *r = &ch->rows[i];

		if (!r->nerr && !ch->file_error) {
			switch (fi->srows[nw++].result) {
			case STORE_INSERTED:
				fi->wc.inserted++;
				count_row(fi, r, TALLY_INSERTED);
				if (fi->same && (rc = same_check(fi->same, r->vals, r->idkind)) &&
				    (rc < 0 || (rc = add_issue(&ch->mem, r, same_id_field(fi->same), VC_SAME_CHILD, 1))))
					return rc;
				break;
			case STORE_UPDATED:
				fi->wc.updated++;
				count_row(fi, r, TALLY_UPDATED);
				break;
			case STORE_UNCHANGED:
				fi->wc.unchanged++;
				count_row(fi, r, TALLY_UNCHANGED);
				break;
			case STORE_DUPLICATE:
				if ((rc = add_issue(&ch->mem, r, fi->ds->key[0], VC_DUPLICATE, 0)))
					return rc;
				break;
			default:
				return err_msg(&fi->im->st->err, NAWAT_ESTORE, "บันทึกแถวไม่สำเร็จ",
					       "row not written");
			}
		}
		report_row(fi, ch, r);
		if (r->nerr || ch->file_error) {
			fi->wc.rejected++;
			count_row(fi, r, TALLY_REJECTED);
			write_rejected(fi, ch, r);
		}
	}
	return 0;
}

/* The file fails with rc (the first failure wins; fi->mu held): the
 * writer stops taking chunks; e says why (NULL, or out of memory: the
 * generic message). */
static void file_fails(struct ifile *fi, int rc, const struct nw_err *e)
{
	if (fi->abort)
		return;
	__atomic_store_n(&fi->abort, 1, __ATOMIC_RELEASE);
	fi->rc = rc;
	if (e)
		fi->werr = *e;
	if (!e || rc == NAWAT_ENOMEM)
		err_generic(&fi->werr, rc);
}

static void *writer_main(void *arg)
{
	struct ifile *fi = arg;
	struct chunk *ch;
	int rc;

	for (;;) {
		pthread_mutex_lock(&fi->mu);
		while (!fi->qlen && !fi->done) {
			fi->writer_waits = 1;
			pthread_cond_wait(&fi->full_cv, &fi->mu);
		}
		fi->writer_waits = 0;
		if (!fi->qlen) {
			pthread_mutex_unlock(&fi->mu);
			break;
		}
		ch = fi->fullq[fi->qhead];
		fi->qhead = (fi->qhead + 1) % NCHUNKS;
		fi->qlen--;
		pthread_mutex_unlock(&fi->mu);

		rc = __atomic_load_n(&fi->abort, __ATOMIC_ACQUIRE) ? 0 : write_chunk(fi, ch);
		ch->nrows = 0;
		arena_reset(&ch->mem);
		pthread_mutex_lock(&fi->mu);
		if (rc)
			file_fails(fi, rc, &fi->im->st->err);
		fi->freeq[fi->nfree++] = ch;
		if (fi->reader_waits && (fi->nfree >= WAKE_FREE || !fi->qlen || fi->abort))
			pthread_cond_signal(&fi->free_cv);
		pthread_mutex_unlock(&fi->mu);
	}
	return NULL;
}

/* Hands the current chunk to the writer and takes an empty one. */
static int queue_chunk(struct ifile *fi)
{
	struct chunk *ch = fi->cur;
	size_t i;
	int *fc, rc;

	fc = arena_alloc(&ch->mem, fi->ds->nfields * sizeof *fc);
	if (!fc)
		return NAWAT_ENOMEM;
	memcpy(fc, fi->field_col, fi->ds->nfields * sizeof *fc);
	ch->field_col = fc;
	ch->file_error = fi->file_error;
	/* the keys to look up, here rather than in the busier writer */
	ch->ck = arena_alloc(&ch->mem, (fi->ds->nfk + 1) * sizeof *ch->ck);
	if (!ch->ck)
		return NAWAT_ENOMEM;
	memset(ch->ck, 0, (fi->ds->nfk + 1) * sizeof *ch->ck);
	for (i = 0; i < fi->ds->nfk; i++)
		if ((rc = chunk_keys(fi, &fi->fks[i], ch, &ch->ck[i])))
			return rc;
	if (fi->scope_ref.ref && (rc = chunk_keys(fi, &fi->scope_ref, ch, &ch->ck[fi->ds->nfk])))
		return rc;
	pthread_mutex_lock(&fi->mu);
	fi->fullq[(fi->qhead + fi->qlen) % NCHUNKS] = ch;
	fi->qlen++;
	if (fi->writer_waits)
		pthread_cond_signal(&fi->full_cv);
	while (!fi->nfree && !fi->abort) {
		fi->reader_waits = 1;
		pthread_cond_wait(&fi->free_cv, &fi->mu);
	}
	fi->reader_waits = 0;
	fi->cur = fi->nfree ? fi->freeq[--fi->nfree] : NULL;
	pthread_mutex_unlock(&fi->mu);
	return fi->cur ? 0 : NAWAT_ESTORE;
}

/* Queues what is left and waits for the writer to finish. */
static void writer_finish(struct ifile *fi)
{
	int rc;

	if (!fi->writer_running)
		return;
	if (fi->cur && fi->cur->nrows && !fi->abort && (rc = queue_chunk(fi))) {
		/* the last rows could not be handed over: the file fails (no
		 * row may be left out unsaid) */
		pthread_mutex_lock(&fi->mu);
		file_fails(fi, rc, NULL);
		pthread_mutex_unlock(&fi->mu);
	}
	pthread_mutex_lock(&fi->mu);
	fi->done = 1;
	pthread_cond_signal(&fi->full_cv);
	pthread_mutex_unlock(&fi->mu);
	pthread_join(fi->writer, NULL);
	fi->writer_running = 0;
}

/* ---- files ---- */

static char *rejected_path(const char *dir, const char *name, const char *input)
{
	char *copy = nw_strdup(name), *base, *dot, *out = NULL;
	struct stat a, b;
	struct buf p;
	int k;

	if (!copy)
		return NULL;
	base = basename(copy);
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	buf_init(&p, 8192);
	for (k = 1; k < 100; k++) {
		buf_reset(&p);
		if (k == 1 ? buf_printf(&p, "%s/%s.rejected.csv", dir, base)
			   : buf_printf(&p, "%s/%s.rejected-%d.csv", dir, base, k))
			break;
		/* never overwrite the file being read */
		if (input && stat(input, &a) == 0 && stat(p.data, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			continue;
		out = buf_detach(&p, NULL);
		break;
	}
	buf_release(&p);
	nw_free(copy);
	return out;
}

static int open_rejected(struct ifile *fi)
{
	size_t i;

	fi->rej_path = rejected_path(fi->im->o->rejected_dir ? fi->im->o->rejected_dir : ".",
				     fi->f->name, fi->f->path);
	if (!fi->rej_path)
		return err_generic(fi->im->err, NAWAT_ENOMEM);
	fi->rej = fopen(fi->rej_path, "w");
	if (!fi->rej)
		return err_set(fi->im->err, NAWAT_EIO, "เขียนไฟล์แถวที่ถูกปฏิเสธไม่ได้: %s",
			       "cannot write the rejected rows file: %s", fi->rej_path);
	csvw_init(&fi->rejw, fi->rej, 0);
	if (REC_BY_HEADER(fi->f->fmt)) {
		for (i = 0; i < fi->ncols; i++)
			csvw_str(&fi->rejw, fi->col_names[i]);
	} else {
		for (i = 0; i < fi->ds->nfields; i++)
			csvw_str(&fi->rejw, fi->ds->fields[i].name);
	}
	csvw_end(&fi->rejw);
	return 0;
}

static void fkstate_release(struct fkstate *fs)
{
	store_ref_close(fs->ref);
	nw_free(fs->fetch);
	nw_free(fs->found);
	nw_free(fs->fetched);
}

/* Opens a lookup of target by the row's key_fields, fetching `fetch`. */
static int fkstate_open(struct store *st, struct fkstate *fs, const struct std_dataset *target,
			const int *key_fields, size_t nkey, const int *fetch, size_t nfetch, size_t rows)
{
	fs->nkey = nkey;
	fs->nfetch = nfetch;
	fs->key_fields = key_fields;
	fs->fetch = nw_calloc(nfetch ? nfetch : 1, sizeof(int));
	fs->found = nw_calloc(rows, sizeof *fs->found);
	fs->fetched = nw_calloc(rows * (nfetch ? nfetch : 1), sizeof *fs->fetched);
	if (!fs->fetch || !fs->found || !fs->fetched)
		return err_generic(&st->err, NAWAT_ENOMEM);
	if (nfetch)
		memcpy(fs->fetch, fetch, nfetch * sizeof(int));
	return store_ref_open(st, target, fs->fetch, nfetch, &fs->ref);
}

static void ifile_release(struct ifile *fi)
{
	size_t i;

	store_writer_close(fi->w);
	same_close(fi->same);
	for (i = 0; fi->fks && i < fi->ds->nfk; i++) {
		fkstate_release(&fi->fks[i]);
	}
	nw_free(fi->fks);
	fkstate_release(&fi->scope_ref);
	nw_free(fi->key_slot);
	for (i = 0; i < fi->ncols; i++)
		nw_free(fi->col_names[i]);
	nw_free(fi->col_names);
	nw_free(fi->col_field);
	nw_free(fi->field_col);
	nw_free(fi->missing);
	nw_free(fi->cells);
	if (fi->pc)
		sodium_memzero(fi->pc, fi->ds->nfields * sizeof *fi->pc);
	nw_free(fi->pc);
	for (i = 0; i < NCHUNKS; i++) {
		arena_release(&fi->chunks[i].mem);
		nw_free(fi->chunks[i].rows);
	}
	nw_free(fi->srows);
	pthread_mutex_destroy(&fi->mu);
	pthread_cond_destroy(&fi->full_cv);
	pthread_cond_destroy(&fi->free_cv);
	if (fi->rej)
		fclose(fi->rej);
	nw_free(fi->rej_path);
}

/* Whether column i is a date field (XLSX: its numbers are date serials). */
static int sink_is_date(void *ctx, size_t i)
{
	struct ifile *fi = ctx;

	return i < fi->ncols && fi->col_field[i] >= 0 && fi->ds->fields[fi->col_field[i]].type == STD_DATE;
}

/* Sink for rejected-file header: CSV opens it lazily after the header. */
static int sink_header_done_rej(void *ctx)
{
	struct ifile *fi = ctx;
	int rc = sink_header_done(ctx);

	if (!rc && fi->im->o->accept_valid && !fi->im->o->dry_run && !fi->im->o->no_rejected_file && !fi->rej)
		rc = open_rejected(fi);
	return rc;
}

static int run_file(struct imp *im, struct imp_file *f, int64_t sub_id, struct imp_count *c,
		    enum enc_kind *enc_out, char sha_hex[65], char old_hex[65], struct tally *tally)
{
	struct ifile fi;
	struct rec_sink sink;
	struct rec_opts ro;
	struct rec_result res;
	struct nw_err rerr;
	struct val_issue is;
	FILE *fp = f->fp;
	int fetch[MAX_FK_KEY];
	size_t i, nobs;
	int rc = 0, rrc;

	memset(&fi, 0, sizeof fi);
	fi.im = im;
	fi.obs_fk = -1;
	fi.f = f;
	fi.ds = f->ds;
	fi.tally = tally;
	fi.sub_id = sub_id;
	pthread_mutex_init(&fi.mu, NULL);
	pthread_cond_init(&fi.full_cv, NULL);
	pthread_cond_init(&fi.free_cv, NULL);
	fi.chunk_rows = store_batch_rows(im->st);
	fi.srows = nw_calloc(fi.chunk_rows, sizeof *fi.srows);
	fi.key_slot = nw_calloc(2 * fi.chunk_rows, sizeof *fi.key_slot);
	for (i = 0; i < NCHUNKS; i++) {
		arena_init(&fi.chunks[i].mem, 256 * 1024, 0);
		fi.chunks[i].rows = nw_calloc(fi.chunk_rows, sizeof *fi.chunks[i].rows);
		fi.freeq[fi.nfree++] = &fi.chunks[i];
	}
	fi.cur = fi.freeq[--fi.nfree];
	err_clear(&rerr);
	fi.field_col = nw_malloc(fi.ds->nfields * sizeof *fi.field_col);
	fi.cells = nw_calloc(fi.ds->nfields, sizeof *fi.cells);
	fi.missing = nw_calloc(fi.ds->nfields, 1);
	fi.pc = nw_calloc(fi.ds->nfields, sizeof *fi.pc);
	fi.fks = nw_calloc(fi.ds->nfk ? fi.ds->nfk : 1, sizeof *fi.fks);
	for (i = 0; i < NCHUNKS && fi.chunks[i].rows; i++)
		;
	if (!fi.field_col || !fi.cells || !fi.missing || !fi.pc || !fi.fks || !fi.srows || !fi.key_slot ||
	    i < NCHUNKS) {
		rc = err_generic(im->err, NAWAT_ENOMEM);
		goto out;
	}
	for (i = 0; i < fi.ds->nfields; i++)
		fi.field_col[i] = -1;
	for (i = 0; i < fi.ds->nfk && !im->o->remove; i++) {
		const struct std_fk *fk = &fi.ds->fks[i];

		fi.fks[i].fk = fk;
		if (fk->n > MAX_FK_KEY || fk->nmatch > MAX_FK_KEY) {
			rc = err_msg(im->err, NAWAT_ELIMIT, "คีย์อ้างอิงยาวเกินไป", "foreign key too long");
			goto out;
		}
		/* the referenced row's fields the store's observer reads come
		 * with the lookup (for one reference: store_row.ref is one) */
		if (fk->nmatch)
			memcpy(fetch, fk->match_target_field, fk->nmatch * sizeof *fetch);
		nobs = fi.obs_fk >= 0 ? 0
				      : store_obs_ref_fields(im->st, fi.ds, fk, fetch + fk->nmatch, MAX_FK_KEY - fk->nmatch);
		if (nobs)
			fi.obs_fk = (int)i;
		fi.fks[i].nobs = nobs;
		if ((rc = fkstate_open(im->st, &fi.fks[i], fk->target, fk->fields, fk->n, fetch, fk->nmatch + nobs,
				       fi.chunk_rows))) {
			*im->err = im->st->err;
			goto out;
		}
		/* the referenced row is where the row says (a school's
		 * results ask for its students together); the target, written
		 * before, does not change meanwhile (store_ref_near) */
		if (fk->nmatch && fk->target != fi.ds)
			store_ref_near(fi.fks[i].ref, fk->match_target_field, fk->nmatch);
	}
	/* the field a scope is checked on: a school's own code; for an area its
	 * area_code, or else the area of the row's school */
	if (im->o->remove) {
		fi.scope_field = -1; /* the store deletes within the scope */
	} else if (im->o->scope.kind == SCOPE_SCHOOL) {
		fi.scope_field = std_field_index(fi.ds, "school_code", 11);
	} else {
		fi.scope_field = std_field_index(fi.ds, "area_code", 9);
		if (fi.scope_field < 0 && im->o->scope.kind == SCOPE_AREA) {
			const struct std_dataset *schools = std_dataset(im->st->pkg, "schools");

			fi.scope_field = std_field_index(fi.ds, "school_code", 11);
			fi.scope_area_field = schools ? std_field_index(schools, "area_code", 9) : -1;
			if (fi.scope_field >= 0) {
				if (fi.scope_area_field < 0) {
					rc = err_msg(im->err, NAWAT_EINVAL, "ไม่มีชุดข้อมูลสถานศึกษา", "no schools data set");
					goto out;
				}
				if ((rc = fkstate_open(im->st, &fi.scope_ref, schools, &fi.scope_field, 1,
						       &fi.scope_area_field, 1, fi.chunk_rows))) {
					*im->err = im->st->err;
					goto out;
				}
			}
		}
	}
	if (!im->o->remove && (rc = store_writer_open(im->st, fi.ds, sub_id, &fi.w))) {
		*im->err = im->st->err;
		goto out;
	}
	if (!im->o->remove && !(fi.same = same_open(im->st, im->key, fi.ds, &rc)) && rc) {
		*im->err = im->st->err;
		goto out;
	}
	if (!fp) {
		fp = fopen(f->path, "rb");
		if (!fp) {
			rc = err_set(im->err, NAWAT_EIO, "เปิดไฟล์ไม่ได้: %s", "cannot open file: %s", f->path);
			goto out;
		}
	}
	if (!REC_BY_HEADER(f->fmt) && im->o->accept_valid && !im->o->dry_run && !im->o->no_rejected_file &&
	    (rc = open_rejected(&fi)))
		goto out;
	sink.ctx = &fi;
	sink.column = sink_column;
	sink.header_done = sink_header_done_rej;
	sink.row = sink_row;
	sink.is_date = sink_is_date;
	memset(&ro, 0, sizeof ro);
	ro.encoding = im->o->encoding;
	ro.sheet = f->ds->name;
	ro.max_unzipped = im->o->xlsx_max_unzipped;
	ro.max_strings = im->o->xlsx_max_strings;
	if (pthread_create(&fi.writer, NULL, writer_main, &fi) != 0) {
		rc = err_msg(im->err, NAWAT_ENOMEM, "เริ่มเธรดไม่ได้", "cannot start a thread");
		goto out;
	}
	fi.writer_running = 1;
	rrc = rec_read_opts(fp, f->fmt, &ro, &sink, &res, &rerr);
	if (fp != f->fp)
		fclose(fp);
	writer_finish(&fi);
	*enc_out = res.encoding;
	sodium_bin2hex(sha_hex, 65, res.sha256, sizeof res.sha256);
	if (fi.abort) {
		/* the writer failed: a store or memory error, never the data's */
		rc = fi.rc;
		*im->err = fi.werr;
		goto out;
	}
	if (res.status == REC_SINK) {
		rc = rrc;
		err_generic(im->err, rc);
		goto out;
	}
	if (rrc == NAWAT_ENOMEM || rerr.code == NAWAT_ENOMEM) {
		/* the reader ran out of memory: a failure, not the file's fault */
		rc = NAWAT_ENOMEM;
		*im->err = rerr;
		err_generic(im->err, rc);
		goto out;
	}
	/* what the store put off to the last row (STORE_REDO) */
	if ((rc = store_writer_finish(fi.w))) {
		*im->err = im->st->err;
		goto out;
	}
	if (fi.w)
		store_writer_old_digest(fi.w, old_hex);
	/* the writer's counts join the reader's */
	fi.c.deleted += fi.wc.deleted;
	fi.c.inserted += fi.wc.inserted;
	fi.c.updated += fi.wc.updated;
	fi.c.unchanged += fi.wc.unchanged;
	fi.c.rejected += fi.wc.rejected;
	fi.c.errors += fi.wc.errors;
	fi.c.warnings += fi.wc.warnings;
	if (REC_BY_HEADER(f->fmt) && res.status == REC_OK && !fi.ncols) {
		char th[NW_ERR_MSG], en[NW_ERR_MSG];

		snprintf(th, sizeof th, "ไฟล์ว่าง ไม่มีแถวหัวตาราง");
		snprintf(en, sizeof en, "the file is empty: no header row");
		file_issue(&fi, 0, "", VC_REQUIRED, th, en);
	}
	if (res.status == REC_ENCODING) {
		memset(&is, 0, sizeof is);
		is.field = -1;
		is.code = VC_ENCODING;
		report(im, f->name, res.line, "", NULL, 0, fi.ds, &is, NULL, NULL);
		fi.c.errors++;
		fi.file_error = 1;
	} else if (res.status == REC_SYNTAX || res.status == REC_IO) {
		memset(&is, 0, sizeof is);
		is.field = -1;
		is.code = VC_PATTERN;
		report(im, f->name, res.line ? res.line : 0, "", NULL, 0, fi.ds, &is, rerr.th, rerr.en);
		fi.c.errors++;
		fi.file_error = 1;
	}
	if (fi.file_error) {
		/* the whole file is rejected: every row it had */
		fi.c.rejected = fi.c.rows;
		fi.c.inserted = fi.c.updated = fi.c.unchanged = fi.c.deleted = 0;
		tally_reject_all(tally);
	}
	*c = fi.c;
	rc = 0;
out:
	writer_finish(&fi);
	ifile_release(&fi);
	return rc;
}

static int file_order(const void *a, const void *b)
{
	const struct imp_file *x = a, *y = b;

	return x->ds->index - y->ds->index;
}

static int file_order_reverse(const void *a, const void *b)
{
	return file_order(b, a);
}

static void now_iso(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Copies the report to where it belongs and files its issues under the
 * submissions.  Reads the report back so that memory stays flat. */
struct issue_ctx {
	struct store *st;
	struct imp_file *files;
	int64_t *sub_ids;
	size_t nfiles;
	char *cell[8];
	size_t len[8];
	size_t col, row;
	int rc;
};

static void ic_field(void *s, size_t n, void *data)
{
	struct issue_ctx *c = data;

	if (c->col < 8) {
		nw_free(c->cell[c->col]);
		c->cell[c->col] = nw_strndup(s ? s : "", s ? n : 0);
		c->len[c->col] = n;
		if (!c->cell[c->col])
			c->rc = NAWAT_ENOMEM;
	}
	c->col++;
}

static void ic_row(int ch, void *data)
{
	struct issue_ctx *c = data;
	struct store_issue is;
	size_t i;

	(void)ch;
	if (c->col == 0)
		return;
	if (c->row++ > 0 && c->col >= 6 && !c->rc) {
		for (i = 0; i < c->nfiles; i++) {
			if (!c->sub_ids[i] || strcmp(c->files[i].name, c->cell[0]))
				continue;
			is.row = strtoll(c->cell[1], NULL, 10);
			is.column = c->cell[2];
			is.value = c->cell[3];
			is.code = c->cell[4];
			is.severity = c->cell[5];
			c->rc = store_sub_issue(c->st, c->sub_ids[i], &is);
			break;
		}
	}
	c->col = 0;
}

/* The report's rows as the submissions' issues.  own_tx: in a transaction
 * of its own, else in the caller's. */
static int file_issues(struct store *st, FILE *rep, struct imp_file *files, int64_t *sub_ids,
		       size_t nfiles, int own_tx)
{
	struct issue_ctx c;
	struct csv_parser p;
	char block[65536];
	size_t n, i;
	int rc;

	memset(&c, 0, sizeof c);
	c.st = st;
	c.files = files;
	c.sub_ids = sub_ids;
	c.nfiles = nfiles;
	if (csv_init(&p, 0) != 0)
		return NAWAT_ENOMEM;
	rewind(rep);
	if (own_tx && (rc = store_begin(st)))
		goto out;
	while (!c.rc && (n = fread(block, 1, sizeof block, rep)) > 0)
		if (csv_parse(&p, block, n, ic_field, ic_row, &c) != n)
			c.rc = NAWAT_EPARSE;
	if (!c.rc)
		csv_fini(&p, ic_field, ic_row, &c);
	rc = c.rc;
	if (own_tx && rc)
		store_rollback(st);
	else if (own_tx)
		rc = store_commit(st);
out:
	csv_free(&p);
	for (i = 0; i < 8; i++)
		nw_free(c.cell[i]);
	return rc;
}

static int copy_report(FILE *rep, const struct imp_opts *o, struct nw_err *err)
{
	char block[65536];
	FILE *out = o->report_fp;
	size_t n;
	int rc = 0;

	if (!out && o->report_path) {
		out = fopen(o->report_path, "w");
		if (!out)
			return err_set(err, NAWAT_EIO, "เขียนรายงานไม่ได้: %s", "cannot write the report: %s",
				       o->report_path);
	}
	if (!out)
		return 0;
	rewind(rep);
	while ((n = fread(block, 1, sizeof block, rep)) > 0)
		if (fwrite(block, 1, n, out) != n) {
			rc = NAWAT_EIO;
			break;
		}
	if (out != o->report_fp) {
		if (fclose(out) != 0)
			rc = NAWAT_EIO;
	} else if (fflush(out) != 0) {
		rc = NAWAT_EIO;
	}
	if (rc)
		err_set(err, NAWAT_EIO, "เขียนรายงานไม่ได้: %s", "cannot write the report: %s",
			o->report_path ? o->report_path : "-");
	return rc;
}

void imp_result_free(struct imp_result *res)
{
	nw_free(res->per_ds);
	nw_free(res->sub_ids);
	res->per_ds = NULL;
	res->sub_ids = NULL;
}

/* The issues of the report, recorded in the transaction that records the
 * submissions (before its commit: a failure then leaves nothing written). */
static int record_issues(const struct imp *im, struct store *st, struct imp_file *files,
			 const struct store_sub *subs, const struct imp_count *fc, size_t nfiles,
			 int64_t *ids, struct nw_err *err)
{
	size_t i;
	int any = 0, rc;

	for (i = 0; i < nfiles; i++) {
		ids[i] = subs[i].id;
		any |= fc[i].errors || fc[i].warnings;
	}
	if (!any)
		return 0;
	if ((rc = file_issues(st, im->rep, files, ids, nfiles, 0))) {
		if (rc == NAWAT_ESTORE)
			*err = st->err;
		else
			err_generic(err, rc);
	}
	return rc;
}

/* STORE_BULK when the files are bigger than the whole store (a first
 * load: nearly every page written is new) and the caller may take the
 * store for itself; 0 otherwise.  With redo, STORE_REDO too when every
 * input is a file that can be read again. */
static int bulk_flag(struct store *st, const struct imp_file *files, size_t nfiles, const struct imp_opts *o,
		     int redo)
{
	int64_t have, in = 0;
	struct stat sb;
	size_t i;

	if (!o->alone || o->dry_run || o->remove || (have = store_size(st)) < 0)
		return 0;
	for (i = 0; i < nfiles; i++)
		if (files[i].path && !files[i].fp && stat(files[i].path, &sb) == 0 && S_ISREG(sb.st_mode))
			in += sb.st_size;
		else
			redo = 0; /* a stream is read once */
	return in > have ? STORE_BULK | (redo ? STORE_REDO : 0) : 0;
}

static int run_once(struct store *st, const struct pii_key *key, struct imp_file *files, size_t nfiles,
		    const struct imp_opts *o, struct imp_result *res, struct nw_err *err, int redo)
{
	const struct std_package *pkg = st->pkg;
	struct store_sub *subs = NULL;
	struct imp_count *fc = NULL;
	struct tally *tallies = NULL;
	char **shas = NULL, **olds = NULL, created[32], detail[512], item[64];
	enum enc_kind *encs = NULL;
	struct imp im;
	size_t i;
	int rc, in_tx = 0, errors;

	memset(res, 0, sizeof *res);
	memset(&im, 0, sizeof im);
	im.st = st;
	im.key = key;
	im.o = o;
	im.err = err;
	pthread_mutex_init(&im.rep_mu, NULL);
	res->per_ds = nw_calloc(pkg->ndatasets, sizeof *res->per_ds);
	res->sub_ids = nw_calloc(nfiles ? nfiles : 1, sizeof *res->sub_ids);
	subs = nw_calloc(nfiles ? nfiles : 1, sizeof *subs);
	fc = nw_calloc(nfiles ? nfiles : 1, sizeof *fc);
	encs = nw_calloc(nfiles ? nfiles : 1, sizeof *encs);
	shas = nw_calloc(nfiles ? nfiles : 1, sizeof *shas);
	olds = nw_calloc(nfiles ? nfiles : 1, sizeof *olds);
	for (i = 0; shas && olds && i < nfiles; i++)
		if (!(shas[i] = nw_calloc(1, 65)) || !(olds[i] = nw_calloc(1, 65)))
			break;
	if (!res->per_ds || !res->sub_ids || !subs || !fc || !encs || !shas || !olds || i < nfiles) {
		rc = err_generic(err, NAWAT_ENOMEM);
		goto out;
	}
	im.rep = tmpfile();
	if (!im.rep) {
		rc = err_msg(err, NAWAT_EIO, "สร้างไฟล์ชั่วคราวไม่ได้", "cannot create a temporary file");
		goto out;
	}
	csvw_init(&im.repw, im.rep, 0);
	imp_report_header(im.rep);
	/* data sets in dependency order; deletions the other way round */
	qsort(files, nfiles, sizeof *files, o->remove ? file_order_reverse : file_order);
	tallies = nw_calloc(nfiles ? nfiles : 1, sizeof *tallies);
	if (!tallies) {
		rc = err_generic(err, NAWAT_ENOMEM);
		goto out;
	}
	for (i = 0; i < nfiles; i++)
		tally_init(&tallies[i], files[i].ds);
	now_iso(created, sizeof created);

	/* every reference is checked here, before it is written; a deletion
	 * leaves them to the store, and waits for the imports under way */
	if ((rc = store_begin_flags(st, o->remove ? 0 : STORE_REFS_CHECKED | bulk_flag(st, files, nfiles, o, redo)))) {
		*err = st->err;
		goto out;
	}
	in_tx = 1;
	if (o->remove && !o->dry_run && (rc = store_lock(st, STORE_LOCK_REFS))) {
		*err = st->err;
		goto out;
	}
	for (i = 0; i < nfiles; i++) {
		struct store_sub *s = &subs[i];

		s->created_at = created;
		s->user_name = o->user ? o->user : "";
		s->dataset = files[i].ds->name;
		s->file_name = files[i].name;
		s->sha256 = "";
		s->format = files[i].fmt == REC_CSV ? "csv" : files[i].fmt == REC_XLSX ? "xlsx" : "json";
		s->encoding = "";
		s->status = "pending";
		s->kind = o->remove ? "delete" : "import";
		if (o->dry_run) {
			s->id = -(int64_t)(i + 1); /* marks rows of this file; rolled back */
		} else if ((rc = store_sub_create(st, s))) {
			*err = st->err;
			goto out;
		}
		if ((rc = store_savepoint(st, "nw_file"))) {
			*err = st->err;
			goto out;
		}
		rc = run_file(&im, &files[i], s->id, &fc[i], &encs[i], shas[i], olds[i], &tallies[i]);
		if (rc)
			goto out;
		if (fc[i].errors && fc[i].rejected == fc[i].rows) {
			/* a rejected file (or one with no good row) leaves nothing */
			tally_reject_all(&tallies[i]);
			rc = store_rollback_to(st, "nw_file");
		} else {
			rc = store_release(st, "nw_file");
		}
		if (rc) {
			*err = st->err;
			goto out;
		}
	}
	/* the report out before anything is committed: a report that cannot
	 * be written fails the batch, with nothing written */
	if (csvw_status(&im.repw) || fflush(im.rep)) {
		rc = err_msg(err, NAWAT_EIO, "เขียนรายงานไม่ได้", "cannot write the report");
		goto out;
	}
	if ((rc = copy_report(im.rep, o, err)))
		goto out;
	errors = 0;
	for (i = 0; i < nfiles; i++)
		errors += fc[i].errors > 0;
	if (o->dry_run || (errors && !o->accept_valid)) {
		rc = store_rollback(st);
		in_tx = 0;
		if (rc) {
			*err = st->err;
			goto out;
		}
		res->rolled_back = errors && !o->dry_run;
	} else {
		for (i = 0; i < nfiles; i++) {
			subs[i].sha256 = shas[i];
			subs[i].encoding = enc_name(encs[i]);
			subs[i].status = fc[i].errors ? (fc[i].rejected == fc[i].rows ? "rejected" : "partial")
						      : "accepted";
			subs[i].inserted = fc[i].inserted;
			subs[i].updated = fc[i].updated;
			subs[i].unchanged = fc[i].unchanged;
			subs[i].rejected = fc[i].rejected;
			subs[i].errors = fc[i].errors;
			subs[i].warnings = fc[i].warnings;
			subs[i].deleted = fc[i].deleted;
			if ((rc = store_sub_finish(st, &subs[i])) || (rc = tally_store(&tallies[i], st, subs[i].id))) {
				*err = st->err;
				goto out;
			}
			/* the audit log: what changed, by whom; new values = the file
			 * (a deletion's old values stay in its data set's deletions) */
			snprintf(item, sizeof item, "submission %lld", (long long)subs[i].id);
			if (o->remove)
				snprintf(detail, sizeof detail, "file=%s deleted=%lld not_found=%lld rejected=%lld",
					 files[i].name, (long long)fc[i].deleted, (long long)fc[i].warnings,
					 (long long)fc[i].rejected);
			else
				snprintf(detail, sizeof detail,
					 "file=%s inserted=%lld updated=%lld unchanged=%lld rejected=%lld",
					 files[i].name, (long long)fc[i].inserted, (long long)fc[i].updated,
					 (long long)fc[i].unchanged, (long long)fc[i].rejected);
			if ((rc = audit_append(st, o->user, o->remove ? "delete" : "import", files[i].ds->name, item,
					       detail, o->remove ? NULL : olds[i], shas[i]))) {
				*err = st->err;
				goto out;
			}
		}
		if ((rc = record_issues(&im, st, files, subs, fc, nfiles, res->sub_ids, err)))
			goto out;
		if ((rc = store_commit(st))) {
			*err = st->err;
			goto out;
		}
		in_tx = 0;
		res->committed = 1;
	}
	if (res->rolled_back) {
		/* nothing written: record the attempt, and what it would have done */
		if ((rc = store_begin(st))) {
			*err = st->err;
			goto out;
		}
		in_tx = 1;
		for (i = 0; i < nfiles; i++) {
			subs[i].sha256 = shas[i];
			subs[i].encoding = enc_name(encs[i]);
			subs[i].status = "rejected";
			subs[i].deleted = 0;
			subs[i].inserted = subs[i].updated = subs[i].unchanged = 0;
			subs[i].rejected = fc[i].rows;
			subs[i].errors = fc[i].errors;
			subs[i].warnings = fc[i].warnings;
			tally_reject_all(&tallies[i]);
			if ((rc = store_sub_create(st, &subs[i])) || (rc = store_sub_finish(st, &subs[i])) ||
			    (rc = tally_store(&tallies[i], st, subs[i].id))) {
				*err = st->err;
				goto out;
			}
			snprintf(item, sizeof item, "submission %lld", (long long)subs[i].id);
			snprintf(detail, sizeof detail, "file=%s rejected, nothing written: errors=%lld",
				 files[i].name, (long long)fc[i].errors);
			if ((rc = audit_append(st, o->user, o->remove ? "delete-rejected" : "import-rejected",
					       files[i].ds->name, item,
					       detail, NULL, shas[i]))) {
				*err = st->err;
				goto out;
			}
		}
		if ((rc = record_issues(&im, st, files, subs, fc, nfiles, res->sub_ids, err)))
			goto out;
		if ((rc = store_commit(st))) {
			*err = st->err;
			goto out;
		}
		in_tx = 0;
		for (i = 0; i < nfiles; i++) {
			fc[i].inserted = fc[i].updated = fc[i].unchanged = fc[i].deleted = 0;
			fc[i].rejected = fc[i].rows;
		}
	}
	for (i = 0; i < nfiles; i++) {
		struct imp_count *d = &res->per_ds[files[i].ds->index];

		res->sub_ids[i] = o->dry_run ? 0 : subs[i].id;
		d->rows += fc[i].rows;
		d->deleted += fc[i].deleted;
		res->total.deleted += fc[i].deleted;
		d->inserted += fc[i].inserted;
		d->updated += fc[i].updated;
		d->unchanged += fc[i].unchanged;
		d->rejected += fc[i].rejected;
		d->errors += fc[i].errors;
		d->warnings += fc[i].warnings;
		res->total.rows += fc[i].rows;
		res->total.inserted += fc[i].inserted;
		res->total.updated += fc[i].updated;
		res->total.unchanged += fc[i].unchanged;
		res->total.rejected += fc[i].rejected;
		res->total.errors += fc[i].errors;
		res->total.warnings += fc[i].warnings;
	}
	rc = 0;
out:
	if (in_tx)
		store_rollback(st);
	if (im.rep)
		fclose(im.rep);
	pthread_mutex_destroy(&im.rep_mu);
	for (i = 0; shas && i < nfiles; i++)
		nw_free(shas[i]);
	for (i = 0; olds && i < nfiles; i++)
		nw_free(olds[i]);
	for (i = 0; tallies && i < nfiles; i++)
		tally_release(&tallies[i]);
	nw_free(tallies);
	nw_free(shas);
	nw_free(olds);
	nw_free(subs);
	nw_free(fc);
	nw_free(encs);
	if (rc)
		imp_result_free(res);
	return rc;
}

/* A first load may have put a check off to its end (STORE_REDO) and met
 * what it checks: then it is rolled back and runs again the ordinary way,
 * with every count and report line as if it had from the start. */
int imp_run(struct store *st, const struct pii_key *key, struct imp_file *files, size_t nfiles,
	    const struct imp_opts *o, struct imp_result *res, struct nw_err *err)
{
	int rc = run_once(st, key, files, nfiles, o, res, err, 1);

	if (rc == NAWAT_EREDO) {
		log_info("อ่านไฟล์และบันทึกใหม่อีกครั้งตามวิธีปกติ: %s / reading the files again and writing them the "
			 "ordinary way: %s",
			 err->th, err->en);
		err_clear(err);
		rc = run_once(st, key, files, nfiles, o, res, err, 0);
	}
	return rc;
}
