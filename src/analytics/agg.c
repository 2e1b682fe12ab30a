/* agg.c - the equity aggregates, kept in step with every write (see agg.h). */
#include "agg.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/mem.h"
#include "../domain/completeness.h"
#include "../standard/validate.h"
#include "../store/schema.h"

/* Pending sums are written out at store_sums_rows(st) cells, or a
 * sixteenth of that of histograms (800 bytes each): memory stays flat. */
#define FLUSH_HIST_SHARE 16
#define FLUSH_ROLL 1500
#define ROLL_HIST_BOUND 1000 /* rollup keys of score bins in memory at commit */
#define SUMS_CHUNK 2048    /* rows per store_sums_add */
#define ROLL_CHUNK 256     /* ... of the rollup (109 values a row) */
#define LOOKUP_CHUNK 1024
#define HASH_MAX 32        /* bytes of a citizen ID's hash */
#define LOCK_ROLLUP "nawat-equity"
#define META_BUILT "equity_built"

/* ---- a hash map of fixed-size keys to int64 sums ---- */

struct amap {
	size_t klen, nval, esz;   /* key bytes (multiple of 8), values, bytes per entry */
	size_t cap, n;
	unsigned char *e;         /* entries: 8 bytes of hash (0 = empty), key, values */
};

static void amap_init(struct amap *m, size_t klen, size_t nval)
{
	memset(m, 0, sizeof *m);
	m->klen = (klen + 7) & ~(size_t)7;
	m->nval = nval;
	m->esz = 8 + m->klen + 8 * nval;
}

static void amap_free(struct amap *m)
{
	nw_free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

/* Empties the map (its memory stays for the next sums). */
static void amap_clear(struct amap *m)
{
	if (m->e && m->n)
		memset(m->e, 0, m->cap * m->esz);
	m->n = 0;
}

/* A hash of n bytes, eight at a time (keys are padded to eight). */
static uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0x9E3779B97F4A7C15ULL, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	h ^= h >> 29;
	return h ? h : 1;
}

#define ENT(m, i) ((m)->e + (i) * (m)->esz)
#define EKEY(m, p) ((p) + 8)
#define EVAL(m, p) ((int64_t *)((p) + 8 + (m)->klen))

static int64_t *amap_put(struct amap *m, const void *key, uint64_t h);

static int amap_grow(struct amap *m)
{
	struct amap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 256;
	m->n = 0;
	m->e = nw_calloc(m->cap, m->esz);
	if (!m->e) {
		*m = old;
		return NAWAT_ENOMEM;
	}
	for (i = 0; i < old.cap; i++) {
		unsigned char *p = ENT(&old, i);
		uint64_t h;

		memcpy(&h, p, 8);
		if (h)
			memcpy(amap_put(m, EKEY(&old, p), h), EVAL(&old, p), 8 * m->nval);
	}
	nw_free(old.e);
	return 0;
}

/* The slot of key (made, zeroed, when missing); there is room. */
static int64_t *amap_put(struct amap *m, const void *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		unsigned char *p = ENT(m, i);
		uint64_t eh;

		memcpy(&eh, p, 8);
		if (!eh) {
			memcpy(p, &h, 8);
			memcpy(EKEY(m, p), key, m->klen);
			m->n++;
			return EVAL(m, p);
		}
		if (eh == h && !memcmp(EKEY(m, p), key, m->klen))
			return EVAL(m, p);
		i = (i + 1) & (m->cap - 1);
	}
}

/* The sums of key, made when missing; NULL when out of memory.  (Up to
 * three quarters full: the rollup of a whole load is summed in one.) */
static int64_t *amap_get(struct amap *m, const void *key)
{
	if ((m->n + 1) * 4 > m->cap * 3 && amap_grow(m))
		return NULL;
	return amap_put(m, key, hash_bytes(key, m->klen));
}

/* The sums of key, or NULL when it is not there. */
static int64_t *amap_find(const struct amap *m, const void *key)
{
	uint64_t h = hash_bytes(key, m->klen);
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = (size_t)h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		unsigned char *p = ENT(m, i);
		uint64_t eh;

		memcpy(&eh, p, 8);
		if (!eh)
			return NULL;
		if (eh == h && !memcmp(EKEY(m, p), key, m->klen))
			return EVAL(m, p);
	}
}

/* ---- keys (zeroed, then filled: bytes compare equal for equal keys) ---- */

struct kbase {                   /* first in every key of a school's sums */
	char school[16], instr[8];
	int32_t year, term, disadv, pad;
};
struct kcell {
	struct kbase b;
	char domain[8], subject[8], grade[8], gender[8];
};
struct khist {
	struct kbase b;
	char subject[8];
};
struct kroll {
	char level[8], code[16], instr[8], pilot[8], domain[8], subject[8];
	int32_t year, term, cohort, disadv;
};

#define NCELL 8                          /* n s1 s2 l0..l4 */
#define NHIST (1 + SCHEMA_HIST_BINS)     /* n h0..h100 */

/* ---- what the observer keeps per store ---- */

struct attrs {
	int found;
	char grade[8], gender[8];
	int32_t disadv;
};

/* One result, as it counts. */
struct fact {
	int sy;                   /* its student-year in the batch */
	int32_t term;
	char school[16], instr[8], domain[8], subject[8];
	int64_t v;                /* K: score in hundredths; S, A: level */
	int has_v;
};

/* A student-year a batch touches. */
struct sy {
	unsigned char hash[HASH_MAX];
	size_t hash_n;
	int64_t year;
	struct attrs a0, a1;      /* the student's row before and after */
	int changed;
	int unsure;               /* in agg.unsure */
};

struct batch {
	struct sy *sy;
	size_t nsy, capsy;
	int *slot;                /* open addressing over sy, -1 empty */
	size_t nslot;
	struct fact *f0, *f1;     /* results before and after */
	size_t n0, n1, cap0, cap1;
	int *fslot;               /* open addressing over f1 by result key */
	size_t nfslot;
	int last;                 /* the student-year found or added last (rows come by student) */
	int *rsy;                 /* a write's rows: the student-year of each */
	size_t caprsy;
	int active;
};

struct school_attrs {
	int found;
	char area[16], province[16], pilot[8];
	int32_t cohort;
};

struct agg {
	int ok;                   /* the package has outcomes, students and schools */
	const struct std_dataset *outcomes, *students, *schools_ds;
	int o_cid, o_school, o_year, o_term, o_domain, o_subject, o_instr, o_score, o_level;
	int s_cid, s_year, s_grade, s_gender, s_disadv;
	int c_code, c_area, c_province, c_pilot, c_cohort;
	int stu_fetch[3], sch_fetch[4];
	struct store_ref *stu_ref, *sch_ref;
	size_t flush_cells;       /* pending cells before they are written (store_sums_rows) */
	struct amap cells, hist;
	struct amap roll;         /* rollup changes of the sums written (until the journal): n s1 s2 l0..l4 */
	struct amap rollh;        /* ... and of the score bins (learning areas only) */
	struct amap schools;      /* school code -> attributes (this transaction) */
	struct batch b;           /* a write's student-years between before and after */
	struct batch t;           /* a touch's */
	/* a touch of schools: their codes and attributes before */
	char (*tsch)[16];
	struct school_attrs *tsch_a;
	size_t ntsch;
	int journal;              /* eq_journal has rows of this transaction */
	/* A load into outcomes that held nothing when the transaction began:
	 * a student-year it has not written has no results, so there is
	 * nothing to read.  Those it wrote are in a Bloom filter (a "no" is
	 * certain) and the last batch's are at hand (prev). */
	int fast;                 /* 0 not known yet, 1 such a load, 2 read always */
	unsigned char *bloom;     /* bloom_bits bits */
	uint32_t bloom_bits;
	/* Such a load whose key index the store builds after the last row
	 * (st->keys_later): nothing can be read by key meanwhile, so a
	 * student-year the filter may have seen is taken to have no results
	 * yet, and kept here (key: struct ukey; value: the rows written of it
	 * since).  Once the index is there (or when too many wait), each must
	 * have no other row stored, or the load is done again the ordinary
	 * way (NAWAT_EREDO). */
	struct amap unsure;
	struct batch prev;        /* the last batch's student-years, results after it in f1 */
	/* Such a load's sums are added up by the emitter, a thread beside
	 * the writer (NULL: not running; see "the emitter" below). */
	struct emitter *em;
	/* The order of the pending sums for their write, made by the emitter
	 * when they are full (NULL: the writer makes it; see presort). */
	struct entry *sorted_cells, *sorted_hist;
	size_t nsorted_cells, nsorted_hist;
	/* Such a load on SQLite (one writer at a time): the rollup is not
	 * followed but made again from eq_cells and eq_hist at commit, which
	 * hold every sum by then (less memory, and no rollup rows rewritten
	 * over and over during a national load). */
	int defer;
};

#define BLOOM_BITS (1u << 23)       /* 1 MiB: some 3% "maybe" after a million student-years */
#define BLOOM_BITS_LATER (1u << 26) /* 8 MiB, where a "maybe" cannot be read: 0.01% */
#define UNSURE_MAX 32768            /* student-years checked at once */

struct ukey {
	unsigned char hash[HASH_MAX];
	int64_t hash_n, year;
};

static int field(const struct std_dataset *ds, const char *name)
{
	return std_field_index(ds, name, strlen(name));
}

static struct agg *state(struct store *st, int *rc)
{
	struct agg *g = st->obs_state;

	*rc = 0;
	if (g)
		return g;
	g = nw_calloc(1, sizeof *g);
	if (!g) {
		*rc = err_generic(&st->err, NAWAT_ENOMEM);
		return NULL;
	}
	g->flush_cells = store_sums_rows(st);
	g->outcomes = std_dataset(st->pkg, "outcomes");
	g->students = std_dataset(st->pkg, "students");
	g->schools_ds = std_dataset(st->pkg, "schools");
	if (g->outcomes && g->students && g->schools_ds) {
		g->o_cid = field(g->outcomes, "citizen_id");
		g->o_school = field(g->outcomes, "school_code");
		g->o_year = field(g->outcomes, "academic_year");
		g->o_term = field(g->outcomes, "term");
		g->o_domain = field(g->outcomes, "domain");
		g->o_subject = field(g->outcomes, "subject_code");
		g->o_instr = field(g->outcomes, "instrument");
		g->o_score = field(g->outcomes, "score");
		g->o_level = field(g->outcomes, "level");
		g->s_cid = field(g->students, "citizen_id");
		g->s_year = field(g->students, "academic_year");
		g->s_grade = field(g->students, "grade_code");
		g->s_gender = field(g->students, "gender");
		g->s_disadv = field(g->students, "disadvantage");
		g->c_code = field(g->schools_ds, "school_code");
		g->c_area = field(g->schools_ds, "area_code");
		g->c_province = field(g->schools_ds, "province_code");
		g->c_pilot = field(g->schools_ds, "pilot");
		g->c_cohort = field(g->schools_ds, "pilot_cohort");
		g->ok = g->o_cid >= 0 && g->o_school >= 0 && g->o_year >= 0 && g->o_term >= 0 && g->o_domain >= 0 &&
			g->o_subject >= 0 && g->o_instr >= 0 && g->o_score >= 0 && g->o_level >= 0 &&
			g->s_cid >= 0 && g->s_year >= 0 && g->s_grade >= 0 && g->s_gender >= 0 && g->s_disadv >= 0 &&
			g->c_code >= 0 && g->c_area >= 0 && g->c_province >= 0 && g->c_pilot >= 0 && g->c_cohort >= 0 &&
			g->outcomes->nkey >= 2 && g->outcomes->key[0] == g->o_cid && g->outcomes->key[1] == g->o_year &&
			g->students->nkey == 2 && g->students->key[0] == g->s_cid && g->students->key[1] == g->s_year;
		g->stu_fetch[0] = g->s_grade;
		g->stu_fetch[1] = g->s_gender;
		g->stu_fetch[2] = g->s_disadv;
		g->sch_fetch[0] = g->c_area;
		g->sch_fetch[1] = g->c_province;
		g->sch_fetch[2] = g->c_pilot;
		g->sch_fetch[3] = g->c_cohort;
	}
	amap_init(&g->cells, sizeof(struct kcell), NCELL);
	amap_init(&g->roll, sizeof(struct kroll), NCELL);
	amap_init(&g->rollh, sizeof(struct kroll), SCHEMA_HIST_BINS);
	amap_init(&g->hist, sizeof(struct khist), NHIST);
	amap_init(&g->schools, 16, 5);
	amap_init(&g->unsure, sizeof(struct ukey), 1);
	st->obs_state = g;
	return g;
}

static void batch_reset(struct batch *b)
{
	if (b->slot && b->nsy)
		memset(b->slot, 0xff, b->nslot * sizeof *b->slot); /* -1 */
	b->nsy = b->n0 = b->n1 = 0;
	b->active = 0;
}

static void batch_free(struct batch *b)
{
	nw_free(b->sy);
	nw_free(b->slot);
	nw_free(b->f0);
	nw_free(b->f1);
	nw_free(b->fslot);
	nw_free(b->rsy);
	memset(b, 0, sizeof *b);
}

/* The lookups end with the transaction: a statement left on a row would
 * keep its snapshot (SQLite could then not write in the next one). */
static void close_refs(struct agg *g)
{
	store_ref_close(g->stu_ref);
	store_ref_close(g->sch_ref);
	g->stu_ref = NULL;
	g->sch_ref = NULL;
}

static void em_stop(struct agg *g);

/* The order of the pending sums the emitter made, given back unused. */
static void drop_sorted(struct agg *g)
{
	nw_free(g->sorted_cells);
	nw_free(g->sorted_hist);
	g->sorted_cells = g->sorted_hist = NULL;
	g->nsorted_cells = g->nsorted_hist = 0;
}

static void discard(struct store *st)
{
	struct agg *g = st->obs_state;

	if (!g)
		return;
	em_stop(g);
	close_refs(g);
	drop_sorted(g);
	amap_clear(&g->cells);
	amap_clear(&g->hist);
	amap_clear(&g->roll);
	amap_clear(&g->rollh);
	amap_clear(&g->schools);
	batch_reset(&g->b);
	batch_reset(&g->t);
	batch_reset(&g->prev);
	amap_clear(&g->unsure);
	g->ntsch = 0;
	/* a rollback to a savepoint may leave journal rows of before it: the
	 * commit merges whatever the journal holds; and the filter of written
	 * student-years may say "maybe" of rolled-back ones (it stays right) */
	if (!st->in_tx) {
		g->journal = 0;
		g->fast = 0;
		g->defer = 0;
		if (g->bloom)
			memset(g->bloom, 0, g->bloom_bits / 8);
	}
}

/* The memory of pending sums and of a load's batches, given back. */
static void free_sums(struct agg *g)
{
	drop_sorted(g);
	amap_free(&g->cells);
	amap_free(&g->hist);
	amap_free(&g->roll);
	amap_free(&g->rollh);
	batch_free(&g->b);
	batch_free(&g->prev);
	amap_free(&g->unsure);
	nw_free(g->bloom);
	g->bloom = NULL;
}

static void obs_close(struct store *st)
{
	struct agg *g = st->obs_state;

	if (!g)
		return;
	em_stop(g);
	close_refs(g);
	free_sums(g);
	amap_free(&g->schools);
	batch_free(&g->t);
	nw_free(g->tsch);
	nw_free(g->tsch_a);
	nw_free(g);
	st->obs_state = NULL;
}

/* ---- values ---- */

static void copy_str(char *out, size_t cap, const struct val_value *v)
{
	size_t n = v->state == VAL_SET && v->s ? v->n : 0;

	memset(out, 0, cap);
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(out, v->s, n);
}

/* A result from an outcomes row's values. */
static void fact_of(const struct agg *g, const struct val_value *vals, int sy, struct fact *f)
{
	const struct val_value *score = &vals[g->o_score], *level = &vals[g->o_level];

	memset(f, 0, sizeof *f);
	f->sy = sy;
	f->term = (int32_t)vals[g->o_term].i;
	copy_str(f->school, sizeof f->school, &vals[g->o_school]);
	copy_str(f->instr, sizeof f->instr, &vals[g->o_instr]);
	copy_str(f->domain, sizeof f->domain, &vals[g->o_domain]);
	copy_str(f->subject, sizeof f->subject, &vals[g->o_subject]);
	if (!strcmp(f->domain, "K")) {
		if (score->state == VAL_SET) {
			f->v = llround(score->d * 100.0);
			f->has_v = 1;
		}
	} else if (level->state == VAL_SET) {
		f->v = level->i;
		f->has_v = 1;
	}
}

/* The same result (by key) with the row's values over the old ones where
 * the row has none (VAL_ABSENT keeps the stored value). */
static void fact_merge(const struct agg *g, const struct val_value *vals, const struct fact *old, struct fact *f)
{
	fact_of(g, vals, old->sy, f);
	if (vals[g->o_school].state == VAL_ABSENT)
		memcpy(f->school, old->school, sizeof f->school);
	if ((!strcmp(f->domain, "K") ? vals[g->o_score].state : vals[g->o_level].state) == VAL_ABSENT) {
		f->v = old->v;
		f->has_v = old->has_v;
	}
}

static int same_result(const struct fact *a, const struct fact *b)
{
	return a->sy == b->sy && a->term == b->term && !strcmp(a->domain, b->domain) &&
	       !strcmp(a->subject, b->subject) && !strcmp(a->instr, b->instr);
}

static void attrs_of(const struct agg *g, const struct val_value *grade, const struct val_value *gender,
		     const struct val_value *disadv, struct attrs *a)
{
	memset(a, 0, sizeof *a);
	a->found = 1;
	copy_str(a->grade, sizeof a->grade, grade);
	copy_str(a->gender, sizeof a->gender, gender);
	a->disadv = disadv->state == VAL_SET ? (int32_t)disadv->i : -1;
	(void)g;
}

static int same_attrs(const struct attrs *a, const struct attrs *b)
{
	return a->found == b->found && (!a->found || (!strcmp(a->grade, b->grade) && !strcmp(a->gender, b->gender) &&
						      a->disadv == b->disadv));
}

/* ---- sums of one result ---- */

static int is_domain(const char *d)
{
	return (d[0] == 'K' || d[0] == 'S' || d[0] == 'A') && !d[1];
}

/* Two results of the same school, term and instrument (the fields of a
 * fact are zero-padded by fact_of). */
static int same_sitting(const struct fact *a, const struct fact *b)
{
	return a->term == b->term && !memcmp(a->school, b->school, sizeof a->school) &&
	       !memcmp(a->instr, b->instr, sizeof a->instr);
}

static void base_of(const struct fact *f, int64_t year, const struct attrs *a, struct kbase *k)
{
	memcpy(k->school, f->school, sizeof k->school);
	memcpy(k->instr, f->instr, sizeof k->instr);
	k->year = (int32_t)year;
	k->term = f->term;
	k->disadv = a->disadv;
}

static int add_fact(struct agg *g, int64_t year, const struct attrs *a, const struct fact *f, int s)
{
	struct kcell kc;
	struct khist kh;
	int64_t *v;

	if (!a->found || !f->has_v || !is_domain(f->domain))
		return 0;
	memset(&kc, 0, sizeof kc);
	base_of(f, year, a, &kc.b);
	memcpy(kc.domain, f->domain, sizeof kc.domain);
	memcpy(kc.subject, f->subject, sizeof kc.subject);
	memcpy(kc.grade, a->grade, sizeof kc.grade);
	memcpy(kc.gender, a->gender, sizeof kc.gender);
	if (!(v = amap_get(&g->cells, &kc)))
		return NAWAT_ENOMEM;
	v[0] += s;
	v[1] += s * f->v;
	v[2] += s * f->v * f->v;
	if (strcmp(f->domain, "K")) {
		if (f->v >= 0 && f->v < SCHEMA_LEVELS)
			v[3 + f->v] += s;
		return 0;
	}
	memset(&kh, 0, sizeof kh);
	kh.b = kc.b;
	memcpy(kh.subject, f->subject, sizeof kh.subject);
	if (!(v = amap_get(&g->hist, &kh)))
		return NAWAT_ENOMEM;
	v[0] += s;
	if (f->v >= 0 && f->v / 100 < SCHEMA_HIST_BINS)
		v[1 + f->v / 100] += s;
	return 0;
}

/* A student counted once per school, term, instrument and domain, and once
 * per school, term and instrument, where the facts f[0..n) have results
 * (cells of subject "*"). */
static int add_presence(struct agg *g, int64_t year, const struct attrs *a, const struct fact *f, size_t n, int s)
{
	struct kcell kc;
	size_t i, j;
	int64_t *v;

	if (!a->found)
		return 0;
	for (i = 0; i < n; i++) {
		int first_domain = 1, first_any = 1;

		if (!f[i].has_v || !is_domain(f[i].domain))
			continue;
		for (j = 0; j < i; j++) {
			if (!f[j].has_v || !is_domain(f[j].domain) || !same_sitting(&f[j], &f[i]))
				continue;
			first_any = 0;
			if (f[j].domain[0] == f[i].domain[0]) {
				first_domain = 0;
				break;
			}
		}
		memset(&kc, 0, sizeof kc);
		base_of(&f[i], year, a, &kc.b);
		kc.subject[0] = '*';
		if (first_domain) {
			memcpy(kc.domain, f[i].domain, sizeof kc.domain);
			if (!(v = amap_get(&g->cells, &kc)))
				return NAWAT_ENOMEM;
			v[0] += s;
		}
		if (first_any) {
			memset(kc.domain, 0, sizeof kc.domain);
			kc.domain[0] = '*';
			if (!(v = amap_get(&g->cells, &kc)))
				return NAWAT_ENOMEM;
			v[0] += s;
		}
	}
	return 0;
}

/* ---- batches of student-years ---- */

static uint64_t sy_hash(const unsigned char *h, size_t n, int64_t year)
{
	return hash_bytes(h, n) ^ ((uint64_t)year * 0x9E3779B97F4A7C15ULL);
}

/* The index of a student-year in b, or -1. */
static int sy_find(const struct batch *b, const unsigned char *hash, size_t hash_n, int64_t year)
{
	size_t i;

	if (!b->nslot)
		return -1;
	for (i = sy_hash(hash, hash_n, year) & (b->nslot - 1); b->slot[i] >= 0; i = (i + 1) & (b->nslot - 1)) {
		const struct sy *y = &b->sy[b->slot[i]];

		if (y->year == year && y->hash_n == hash_n && !memcmp(y->hash, hash, hash_n))
			return b->slot[i];
	}
	return -1;
}

/* The index of a student-year in b, added when missing; -1 when out of memory. */
static int sy_add(struct batch *b, const unsigned char *hash, size_t hash_n, int64_t year)
{
	size_t i;

	if (hash_n > HASH_MAX)
		hash_n = HASH_MAX;
	if ((size_t)b->last < b->nsy) {
		const struct sy *y = &b->sy[b->last];

		if (y->year == year && y->hash_n == hash_n && !memcmp(y->hash, hash, hash_n))
			return b->last;
	}
	if ((b->nsy + 1) * 2 > b->nslot) {
		size_t ns = b->nslot ? b->nslot * 2 : 1024;
		int *slot = nw_malloc(ns * sizeof *slot);

		if (!slot)
			return -1;
		for (i = 0; i < ns; i++)
			slot[i] = -1;
		nw_free(b->slot);
		b->slot = slot;
		b->nslot = ns;
		for (i = 0; i < b->nsy; i++) {
			size_t p = sy_hash(b->sy[i].hash, b->sy[i].hash_n, b->sy[i].year) & (ns - 1);

			while (slot[p] >= 0)
				p = (p + 1) & (ns - 1);
			slot[p] = (int)i;
		}
	}
	for (i = sy_hash(hash, hash_n, year) & (b->nslot - 1); b->slot[i] >= 0; i = (i + 1) & (b->nslot - 1)) {
		struct sy *y = &b->sy[b->slot[i]];

		if (y->year == year && y->hash_n == hash_n && !memcmp(y->hash, hash, hash_n))
			return b->last = b->slot[i];
	}
	if (b->nsy == b->capsy) {
		size_t nc = b->capsy ? b->capsy * 2 : 256;
		struct sy *ns = nw_realloc(b->sy, nc * sizeof *ns);

		if (!ns)
			return -1;
		b->sy = ns;
		b->capsy = nc;
	}
	memset(&b->sy[b->nsy], 0, sizeof b->sy[b->nsy]);
	memcpy(b->sy[b->nsy].hash, hash, hash_n);
	b->sy[b->nsy].hash_n = hash_n;
	b->sy[b->nsy].year = year;
	b->slot[i] = b->last = (int)b->nsy;
	return (int)b->nsy++;
}

static int sy_of(struct batch *b, const struct val_value *cid, const struct val_value *year)
{
	return sy_add(b, (const unsigned char *)cid->s, cid->n, year->i);
}

static int fact_push(struct fact **fs, size_t *n, size_t *cap, const struct fact *f)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		struct fact *nf = nw_realloc(*fs, nc * sizeof *nf);

		if (!nf)
			return NAWAT_ENOMEM;
		*fs = nf;
		*cap = nc;
	}
	(*fs)[(*n)++] = *f;
	return 0;
}

/* The key (citizen ID hash, academic year) of outcomes' rows, into k[0..2). */
static void prefix_key(const unsigned char *hash, size_t hash_n, int64_t year, struct val_value *k)
{
	memset(k, 0, 2 * sizeof *k);
	k[0].state = VAL_SET;
	k[0].s = (const char *)hash;
	k[0].n = hash_n;
	k[1].state = VAL_SET;
	k[1].i = year;
	k[1].d = (double)year;
}

/* ... of a student-year */
static void sy_key(const struct sy *y, struct val_value *k)
{
	prefix_key(y->hash, y->hash_n, y->year, k);
}

/* The student rows of the batch's student-years, into a0 (and a1). */
static int load_attrs(struct agg *g, struct store *st, struct batch *b)
{
	struct val_value keys[2 * LOOKUP_CHUNK], fetched[3 * LOOKUP_CHUNK];
	int found[LOOKUP_CHUNK], rc;
	size_t i, j, n;

	if (!g->stu_ref && (rc = store_ref_open(st, g->students, g->stu_fetch, 3, &g->stu_ref)))
		return rc;
	for (i = 0; i < b->nsy; i += n) {
		n = b->nsy - i < LOOKUP_CHUNK ? b->nsy - i : LOOKUP_CHUNK;
		for (j = 0; j < n; j++)
			sy_key(&b->sy[i + j], &keys[2 * j]);
		if ((rc = store_ref_lookup_many(g->stu_ref, n, keys, NULL, found, fetched)))
			return rc;
		for (j = 0; j < n; j++) {
			struct sy *y = &b->sy[i + j];

			if (found[j])
				attrs_of(g, &fetched[3 * j], &fetched[3 * j + 1], &fetched[3 * j + 2], &y->a0);
			else
				memset(&y->a0, 0, sizeof y->a0);
			y->a1 = y->a0;
		}
	}
	return 0;
}

struct load_ctx {
	struct agg *g;
	struct batch *b;
	int into_after;
	const int *idx;           /* the chunk's student-years */
};

static int load_row(void *ctx, size_t i, const struct val_value *vals)
{
	struct load_ctx *c = ctx;
	struct fact f;

	fact_of(c->g, vals, c->idx[i], &f);
	return c->into_after ? fact_push(&c->b->f1, &c->b->n1, &c->b->cap1, &f)
			     : fact_push(&c->b->f0, &c->b->n0, &c->b->cap0, &f);
}

/* The stored results of the batch's student-years (those with want[i] set
 * when want is given), into f0 (or f1). */
static int load_facts(struct agg *g, struct store *st, struct batch *b, int into_after, const unsigned char *want)
{
	struct val_value keys[2 * LOOKUP_CHUNK];
	int idx[LOOKUP_CHUNK];
	struct load_ctx c = { g, b, into_after, idx };
	size_t i = 0, n;
	int rc;

	while (i < b->nsy) {
		for (n = 0; i < b->nsy && n < LOOKUP_CHUNK; i++)
			if (!want || want[i]) {
				idx[n] = (int)i;
				sy_key(&b->sy[i], &keys[2 * n++]);
			}
		if (n && (rc = store_scan_prefix_many(st, g->outcomes, 2, n, keys, load_row, &c)))
			return rc;
	}
	return 0;
}

static int by_sy(const void *a, const void *b)
{
	const struct fact *x = a, *y = b;

	return (x->sy > y->sy) - (x->sy < y->sy);
}

/* Facts in student-year order (a batch's rows mostly come in that order
 * already: then nothing is moved). */
static void sort_by_sy(struct fact *f, size_t n)
{
	size_t i;

	for (i = 1; i < n && f[i - 1].sy <= f[i].sy; i++)
		;
	if (i < n)
		qsort(f, n, sizeof *f, by_sy);
}

static int flush_pending(struct agg *g, struct store *st);
static int pending_full(const struct agg *g);
static void em_full(struct agg *g);
static void presort(struct agg *g);

/* The contributions of a batch's student-years, before (taken away) and
 * after (added), into the pending sums; written out as they fill up.  st
 * is NULL in the emitter's thread: it has the writer write them (em_full),
 * and its failure is the writer's to report. */
static int emit(struct agg *g, struct store *st, struct batch *b)
{
	size_t i = 0, j = 0, i1, j1;
	int rc = 0;

	sort_by_sy(b->f0, b->n0);
	sort_by_sy(b->f1, b->n1);
	while (!rc && (i < b->n0 || j < b->n1)) {
		int sy = i < b->n0 && (j >= b->n1 || b->f0[i].sy <= b->f1[j].sy) ? b->f0[i].sy : b->f1[j].sy;
		const struct sy *y = &b->sy[sy];
		size_t k;

		for (i1 = i; i1 < b->n0 && b->f0[i1].sy == sy; i1++)
			;
		for (j1 = j; j1 < b->n1 && b->f1[j1].sy == sy; j1++)
			;
		if (y->changed) {
			for (k = i; k < i1 && !rc; k++)
				rc = add_fact(g, y->year, &y->a0, &b->f0[k], -1);
			for (k = j; k < j1 && !rc; k++)
				rc = add_fact(g, y->year, &y->a1, &b->f1[k], 1);
			if (!rc)
				rc = add_presence(g, y->year, &y->a0, b->f0 + i, i1 - i, -1);
			if (!rc)
				rc = add_presence(g, y->year, &y->a1, b->f1 + j, j1 - j, 1);
		}
		if (rc) {
			if (st)
				err_generic(&st->err, rc);
			break;
		}
		i = i1;
		j = j1;
		if (pending_full(g)) {
			if (st)
				rc = flush_pending(g, st);
			else
				em_full(g);
		}
	}
	return rc;
}

/* ---- the result index of a batch's after state ---- */

static uint64_t result_hash(const struct fact *f)
{
	uint64_t h = hash_bytes(f->domain, sizeof f->domain) ^ hash_bytes(f->subject, sizeof f->subject) * 31 ^
		     hash_bytes(f->instr, sizeof f->instr) * 131;

	return h ^ ((uint64_t)(uint32_t)f->sy * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)(uint32_t)f->term << 7);
}

static int index_after(struct batch *b, size_t extra)
{
	size_t need = (b->n1 + extra) * 2, i;

	if (need > b->nfslot) {
		size_t ns = 1024;
		int *slot;

		while (ns < need)
			ns *= 2;
		slot = nw_malloc(ns * sizeof *slot);
		if (!slot)
			return NAWAT_ENOMEM;
		nw_free(b->fslot);
		b->fslot = slot;
		b->nfslot = ns;
	}
	for (i = 0; i < b->nfslot; i++)
		b->fslot[i] = -1;
	for (i = 0; i < b->n1; i++) {
		size_t p = result_hash(&b->f1[i]) & (b->nfslot - 1);

		while (b->fslot[p] >= 0)
			p = (p + 1) & (b->nfslot - 1);
		b->fslot[p] = (int)i;
	}
	return 0;
}

/* The slot of f's result in the index (holding -1 when absent). */
static int *find_after(struct batch *b, const struct fact *f)
{
	size_t p;

	for (p = result_hash(f) & (b->nfslot - 1); b->fslot[p] >= 0; p = (p + 1) & (b->nfslot - 1))
		if (same_result(&b->f1[b->fslot[p]], f))
			return &b->fslot[p];
	return &b->fslot[p];
}

/* ---- the observer: writes ---- */

static int key_of_outcome(struct agg *g, struct batch *b, const struct store_row *r)
{
	return sy_of(b, &r->vals[g->o_cid], &r->vals[g->o_year]);
}

/* ---- loads into empty outcomes ---- */

static void bloom_bits(const struct agg *g, const struct sy *y, uint32_t *bit)
{
	uint64_t h = sy_hash(y->hash, y->hash_n, y->year), h2 = h * 0x9E3779B97F4A7C15ULL;

	bit[0] = (uint32_t)h & (g->bloom_bits - 1);
	bit[1] = (uint32_t)(h >> 32) & (g->bloom_bits - 1);
	bit[2] = (uint32_t)(h2 >> 32) & (g->bloom_bits - 1);
}

static int bloom_maybe(const struct agg *g, const struct sy *y)
{
	uint32_t bit[3];
	int i;

	bloom_bits(g, y, bit);
	for (i = 0; i < 3; i++)
		if (!(g->bloom[bit[i] >> 3] & (1u << (bit[i] & 7))))
			return 0;
	return 1;
}

static void bloom_add(struct agg *g, const struct sy *y)
{
	uint32_t bit[3];
	int i;

	bloom_bits(g, y, bit);
	for (i = 0; i < 3; i++)
		g->bloom[bit[i] >> 3] |= (unsigned char)(1u << (bit[i] & 7));
}

/* A clear filter of bits bits (discard cleared the last one); nonzero when
 * out of memory. */
static int bloom_ready(struct agg *g, uint32_t bits)
{
	if (g->bloom && g->bloom_bits == bits)
		return 0;
	nw_free(g->bloom);
	g->bloom = nw_calloc(bits / 8, 1);
	g->bloom_bits = g->bloom ? bits : 0;
	return !g->bloom;
}

/* Whether outcomes has no row (at the first write of a transaction). */
static int outcomes_empty(struct agg *g, struct store *st, int *empty)
{
	struct store_stmt *q;
	char sql[128];
	int rc;

	snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", g->outcomes->name);
	if ((rc = store_prepare(st, sql, &q)))
		return rc;
	rc = store_step(q);
	store_finalize(q);
	if (rc < 0)
		return rc;
	*empty = rc == 0;
	return 0;
}

static void ukey_of(const struct sy *y, struct ukey *k)
{
	memset(k, 0, sizeof *k);
	memcpy(k->hash, y->hash, y->hash_n);
	k->hash_n = (int64_t)y->hash_n;
	k->year = y->year;
}

static int count_row(void *ctx, size_t i, const struct val_value *vals)
{
	(void)vals;
	((int64_t *)ctx)[i]++;
	return 0;
}

/* The student-years taken to have had no results (unsure): each must have
 * no stored row but those written since, or the load was wrong about it
 * and is done again the ordinary way.  One query for all of them. */
static int check_unsure(struct agg *g, struct store *st)
{
	struct val_value *keys = NULL;
	int64_t *stored = NULL, *written = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (!g->unsure.n)
		return 0;
	keys = nw_calloc(2 * g->unsure.n, sizeof *keys);
	stored = nw_calloc(g->unsure.n, sizeof *stored);
	written = nw_calloc(g->unsure.n, sizeof *written);
	if (!keys || !stored || !written) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	for (i = 0; i < g->unsure.cap; i++) {
		unsigned char *p = ENT(&g->unsure, i);
		const struct ukey *k = (const struct ukey *)EKEY(&g->unsure, p);
		uint64_t h;

		memcpy(&h, p, 8);
		if (!h)
			continue;
		prefix_key(k->hash, (size_t)k->hash_n, k->year, &keys[2 * n]);
		written[n++] = *EVAL(&g->unsure, p);
	}
	if ((rc = store_scan_prefix_many(st, g->outcomes, 2, n, keys, count_row, stored)))
		goto out;
	for (i = 0; i < n; i++)
		if (stored[i] != written[i]) {
			rc = err_msg(&st->err, NAWAT_EREDO, "ผลการเรียนของนักเรียนบางคนอยู่ห่างกันในไฟล์",
				     "some students' results lie apart in the file");
			goto out;
		}
	amap_clear(&g->unsure);
out:
	nw_free(keys);
	nw_free(stored);
	nw_free(written);
	return rc;
}

/* A load whose keys the store indexes last: the batch's student-years that
 * the filter may have seen are taken to have no results yet and wait in
 * unsure, and each of the batch that waits there is marked (its rows are
 * counted after the put). */
static int hold_unsure(struct agg *g, struct store *st, struct batch *b, const unsigned char *want)
{
	struct ukey k;
	size_t i;
	int rc;

	if (g->unsure.n + b->nsy > UNSURE_MAX && (rc = check_unsure(g, st)))
		return rc;
	for (i = 0; i < b->nsy; i++) {
		struct sy *y = &b->sy[i];
		int64_t *v;

		y->unsure = 0;
		if (!want[i] && !g->unsure.n)
			continue;
		ukey_of(y, &k);
		v = want[i] ? amap_get(&g->unsure, &k) : amap_find(&g->unsure, &k);
		if (want[i] && !v)
			return err_generic(&st->err, NAWAT_ENOMEM);
		y->unsure = v != NULL;
	}
	return 0;
}

/* A row of an unsure student-year written. */
static void count_unsure(struct agg *g, const struct sy *y)
{
	struct ukey k;
	int64_t *v;

	ukey_of(y, &k);
	if ((v = amap_find(&g->unsure, &k)))
		(*v)++;
}

/* The before state of a batch in a load into empty outcomes: a student-year
 * of the last batch has its results from there, one the filter says was
 * never written has none; the others are read (or, where nothing can be
 * read by key yet, held as unsure). */
static int fast_before(struct agg *g, struct store *st, struct batch *b)
{
	unsigned char *want = nw_calloc(b->nsy ? b->nsy : 1, 1);
	size_t i, nwant = 0;
	int rc = 0;

	if (!want)
		return err_generic(&st->err, NAWAT_ENOMEM);
	for (i = 0; i < b->nsy; i++) {
		const struct sy *y = &b->sy[i];

		want[i] = sy_find(&g->prev, y->hash, y->hash_n, y->year) < 0 && bloom_maybe(g, y);
		nwant += want[i];
	}
	if (st->keys_later == g->outcomes) {
		rc = hold_unsure(g, st, b, want);
		nwant = 0;
	}
	/* the last batch's, in memory */
	for (i = 0; i < g->prev.n1 && !rc; i++) {
		const struct sy *py = &g->prev.sy[g->prev.f1[i].sy];
		struct fact f = g->prev.f1[i];

		if ((f.sy = sy_find(b, py->hash, py->hash_n, py->year)) >= 0 &&
		    (rc = fact_push(&b->f0, &b->n0, &b->cap0, &f)))
			rc = err_generic(&st->err, rc);
	}
	if (!rc && nwant)
		rc = load_facts(g, st, b, 0, want);
	nw_free(want);
	return rc;
}

/* The batch's student-years and results after it, for the next batch. */
static int keep_prev(struct agg *g)
{
	struct batch *b = &g->b, *p = &g->prev;
	size_t i;
	int at;

	batch_reset(p);
	for (i = 0; i < b->nsy; i++)
		if (b->sy[i].changed) {
			bloom_add(g, &b->sy[i]);
			if (sy_add(p, b->sy[i].hash, b->sy[i].hash_n, b->sy[i].year) < 0)
				return NAWAT_ENOMEM;
		}
	for (i = 0; i < b->n1; i++) {
		struct fact f = b->f1[i];
		const struct sy *y = &b->sy[f.sy];

		if (!y->changed)
			continue;
		at = sy_add(p, y->hash, y->hash_n, y->year);
		if (at < 0)
			return NAWAT_ENOMEM;
		f.sy = at;
		if (fact_push(&p->f1, &p->n1, &p->cap1, &f))
			return NAWAT_ENOMEM;
	}
	return 0;
}

/* ---- the emitter ---- */

/*
 * In a load into empty outcomes the writer's thread is the busiest of an
 * import: it writes every row into the store's indexes.  Adding each
 * batch's results to the pending sums (emit) needs no store, so there it is
 * done by a thread of its own, the emitter, while the writer goes on with
 * the next batch.  The writer hands it each batch after the batch's write
 * (em_push) and keeps what touches the store: when the pending sums are
 * full the emitter waits, and the writer writes them out at its next call
 * (em_serve).  Every other call of the observer first waits until the
 * emitter has added all it was given (em_drain); the end of the
 * transaction stops it (em_stop).  The pending sums belong to the emitter
 * from a batch's handing over to the drain, except while it waits for them
 * to be written.
 *
 * Waking a thread costs the waker a system call (on a virtual machine also
 * an interrupt to the other processor), so the emitter is woken once three
 * quarters of the batches it can be given wait, not at each.  It can be
 * given up to EM_ROWS rows, in at most EM_Q batches (and at least 2): each
 * batch keeps the memory of the most rows it held.
 */
#define EM_Q 8
#define EM_ROWS 4096

struct emitter {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t em_cv, wr_cv;    /* the emitter waits, the writer waits */
	int em_waits, wr_waits;
	struct batch q[EM_Q];           /* q[head..head+len) handed over, in a ring of nq */
	size_t nq;
	size_t head, len;
	int full;                       /* the emitter waits for the sums to be written */
	int stop;
	int rc;                         /* the emitter failed (out of memory) */
};

/* (the emitter's thread) The pending sums are full: the writer writes them. */
static void em_full(struct agg *g)
{
	struct emitter *em = g->em;

	presort(g);
	pthread_mutex_lock(&em->mu);
	em->full = 1;
	if (em->wr_waits)
		pthread_cond_signal(&em->wr_cv);
	while (em->full && !em->stop) {
		em->em_waits = 1;
		pthread_cond_wait(&em->em_cv, &em->mu);
		em->em_waits = 0;
	}
	pthread_mutex_unlock(&em->mu);
}

static void *em_main(void *arg)
{
	struct agg *g = arg;
	struct emitter *em = g->em;
	int rc;

	pthread_mutex_lock(&em->mu);
	for (;;) {
		while (!em->len && !em->stop) {
			em->em_waits = 1;
			pthread_cond_wait(&em->em_cv, &em->mu);
			em->em_waits = 0;
		}
		if (em->stop)
			break;
		rc = em->rc;
		pthread_mutex_unlock(&em->mu);
		if (!rc)
			rc = emit(g, NULL, &em->q[em->head]);
		pthread_mutex_lock(&em->mu);
		if (rc && !em->rc)
			em->rc = rc;
		em->head = (em->head + 1) % em->nq;
		em->len--;
		if (em->wr_waits)
			pthread_cond_signal(&em->wr_cv);
	}
	pthread_mutex_unlock(&em->mu);
	return NULL;
}

/* Starts the emitter for batches of up to rows rows; where it cannot be
 * started the writer emits itself. */
static void em_start(struct agg *g, size_t rows)
{
	struct emitter *em = nw_calloc(1, sizeof *em);

	if (!em)
		return;
	em->nq = rows && EM_ROWS / rows < EM_Q ? EM_ROWS / rows : EM_Q;
	if (em->nq < 2)
		em->nq = 2;
	pthread_mutex_init(&em->mu, NULL);
	pthread_cond_init(&em->em_cv, NULL);
	pthread_cond_init(&em->wr_cv, NULL);
	g->em = em;
	if (pthread_create(&em->th, NULL, em_main, g)) {
		pthread_mutex_destroy(&em->mu);
		pthread_cond_destroy(&em->em_cv);
		pthread_cond_destroy(&em->wr_cv);
		nw_free(em);
		g->em = NULL;
	}
}

/* (the writer, em->mu held) The pending sums the emitter waits on, written. */
static int em_serve(struct agg *g, struct store *st)
{
	struct emitter *em = g->em;
	int rc;

	pthread_mutex_unlock(&em->mu);
	rc = flush_pending(g, st);
	pthread_mutex_lock(&em->mu);
	em->full = 0;
	if (em->em_waits)
		pthread_cond_signal(&em->em_cv);
	return rc;
}

/* The emitter's failure, as the writer's. */
static int em_failed(struct store *st, struct emitter *em)
{
	return em->rc ? err_generic(&st->err, em->rc) : 0;
}

/* (the writer, em->mu held) Waits until at most `most` batches wait to be
 * added and the emitter does not wait for the sums to be written (writing
 * them when it does). */
static int em_wait(struct agg *g, struct store *st, size_t most)
{
	struct emitter *em = g->em;
	int rc = 0;

	if (em->len > most && em->em_waits)
		pthread_cond_signal(&em->em_cv);
	while (!rc && !em->rc && (em->full || em->len > most)) {
		if (em->full) {
			rc = em_serve(g, st);
			continue;
		}
		em->wr_waits = 1;
		pthread_cond_wait(&em->wr_cv, &em->mu);
		em->wr_waits = 0;
	}
	return rc ? rc : em_failed(st, em);
}

/* (the writer) Waits until the emitter has added every batch it was given. */
static int em_drain(struct agg *g, struct store *st)
{
	int rc;

	if (!g->em)
		return 0;
	pthread_mutex_lock(&g->em->mu);
	rc = em_wait(g, st, 0);
	pthread_mutex_unlock(&g->em->mu);
	return rc;
}

/* (the writer) Stops the emitter, with what it was given added or not
 * (the caller drained it first, or throws the sums away). */
static void em_stop(struct agg *g)
{
	struct emitter *em = g->em;
	size_t i;

	if (!em)
		return;
	pthread_mutex_lock(&em->mu);
	em->stop = 1;
	pthread_cond_signal(&em->em_cv);
	pthread_mutex_unlock(&em->mu);
	pthread_join(em->th, NULL);
	pthread_mutex_destroy(&em->mu);
	pthread_cond_destroy(&em->em_cv);
	pthread_cond_destroy(&em->wr_cv);
	for (i = 0; i < EM_Q; i++)
		batch_free(&em->q[i]);
	nw_free(em);
	g->em = NULL;
}

/* (the writer) Hands the batch g->b to the emitter, taking an empty one
 * in its place. */
static int em_push(struct agg *g, struct store *st)
{
	struct emitter *em = g->em;
	struct batch t;
	size_t at;
	int rc;

	pthread_mutex_lock(&em->mu);
	rc = em_wait(g, st, em->nq - 1);
	if (!rc) {
		at = (em->head + em->len) % em->nq;
		t = em->q[at];
		em->q[at] = g->b;
		g->b = t;
		em->len++;
		if (em->em_waits && em->len >= em->nq * 3 / 4)
			pthread_cond_signal(&em->em_cv);
	}
	pthread_mutex_unlock(&em->mu);
	return rc;
}

/* Before outcomes are written or deleted: the touched student-years as
 * they are. */
static int outcomes_before(struct agg *g, struct store *st, struct store_row *rows, size_t n, int deleting)
{
	struct batch *b = &g->b;
	size_t i;
	int rc, empty, all_ref = 1;

	batch_reset(b);
	if (n > b->caprsy) {
		int *r = nw_realloc(b->rsy, n * sizeof *r);

		if (!r)
			return err_generic(&st->err, NAWAT_ENOMEM);
		b->rsy = r;
		b->caprsy = n;
	}
	for (i = 0; i < n; i++) {
		const struct val_value *ref = rows[i].ref;
		int sy;

		if ((sy = b->rsy[i] = key_of_outcome(g, b, &rows[i])) < 0)
			return err_generic(&st->err, NAWAT_ENOMEM);
		/* the student as the writer's caller found it (store_obs_ref_fields) */
		if (!ref) {
			all_ref = 0;
		} else if (!b->sy[sy].a0.found) { /* (once: the rows of a student-year share the student) */
			attrs_of(g, &ref[0], &ref[1], &ref[2], &b->sy[sy].a0);
			b->sy[sy].a1 = b->sy[sy].a0;
		}
	}
	if (!g->fast) {
		if ((rc = outcomes_empty(g, st, &empty)))
			return rc;
		g->fast = empty ? 1 : 2;
		if (g->fast == 1 && bloom_ready(g, st->keys_later == g->outcomes ? BLOOM_BITS_LATER : BLOOM_BITS))
			g->fast = 2;
		if (g->fast == 1 && !st->ops->lock)
			g->defer = 1;
	}
	if (deleting)
		g->fast = 2;
	if (!all_ref && (rc = load_attrs(g, st, b)))
		return rc;
	if ((rc = g->fast == 1 ? fast_before(g, st, b) : load_facts(g, st, b, 0, NULL)))
		return rc;
	b->active = 1;
	return 0;
}

static int outcomes_after(struct agg *g, struct store *st, struct store_row *rows, size_t n, int deleting)
{
	struct batch *b = &g->b;
	struct fact f, old;
	size_t i;
	int rc;

	if (!b->active)
		return 0;
	b->active = 0;
	/* the after state: what was there, with the rows written over it */
	b->n1 = 0;
	for (i = 0; i < b->n0; i++)
		if ((rc = fact_push(&b->f1, &b->n1, &b->cap1, &b->f0[i])))
			return err_generic(&st->err, rc);
	/* the results stored are found by key; a row inserted has none (a key
	 * is inserted once a put: again, it is a duplicate) */
	for (i = 0; i < n && !deleting && rows[i].result != STORE_UPDATED; i++)
		;
	if (i < n && (rc = index_after(b, n)))
		return err_generic(&st->err, rc);
	for (i = 0; i < n; i++) {
		enum store_result res = rows[i].result;
		int sy, *slot;

		if (deleting ? res != STORE_DELETED : res != STORE_INSERTED && res != STORE_UPDATED)
			continue;
		sy = b->rsy[i]; /* (before saw the same rows) */
		b->sy[sy].changed = 1;
		fact_of(g, rows[i].vals, sy, &f);
		if (b->sy[sy].unsure)
			count_unsure(g, &b->sy[sy]);
		if (res == STORE_INSERTED) {
			if ((rc = fact_push(&b->f1, &b->n1, &b->cap1, &f)))
				return err_generic(&st->err, rc);
			continue;
		}
		slot = find_after(b, &f);
		if (deleting) {
			if (*slot >= 0)
				b->f1[*slot].has_v = 0; /* gone: counts nothing */
			continue;
		}
		if (*slot >= 0) {
			old = b->f1[*slot];
			fact_merge(g, rows[i].vals, &old, &b->f1[*slot]);
			continue;
		}
		if ((rc = fact_push(&b->f1, &b->n1, &b->cap1, &f)))
			return err_generic(&st->err, rc);
		*slot = (int)b->n1 - 1;
	}
	if (g->fast == 1 && (rc = keep_prev(g)))
		return err_generic(&st->err, rc);
	if (g->fast == 1 && !g->em)
		em_start(g, store_batch_rows(st));
	return g->fast == 1 && g->em ? em_push(g, st) : emit(g, st, b);
}

/* Student rows whose grade, gender or disadvantage changed move their
 * results from the old groups to the new. */
static int students_after(struct agg *g, struct store *st, struct store_row *rows, size_t n)
{
	struct batch *b = &g->b;
	struct attrs a0, a1;
	size_t i;
	int rc;

	batch_reset(b);
	for (i = 0; i < n; i++) {
		const struct val_value *v = rows[i].vals, *o = rows[i].old;
		int sy;

		if (rows[i].result != STORE_UPDATED || !o)
			continue;
		attrs_of(g, &o[g->s_grade], &o[g->s_gender], &o[g->s_disadv], &a0);
		attrs_of(g, v[g->s_grade].state == VAL_ABSENT ? &o[g->s_grade] : &v[g->s_grade],
			 v[g->s_gender].state == VAL_ABSENT ? &o[g->s_gender] : &v[g->s_gender],
			 v[g->s_disadv].state == VAL_ABSENT ? &o[g->s_disadv] : &v[g->s_disadv], &a1);
		if (same_attrs(&a0, &a1))
			continue;
		if ((sy = sy_of(b, &v[g->s_cid], &v[g->s_year])) < 0)
			return err_generic(&st->err, NAWAT_ENOMEM);
		b->sy[sy].a0 = a0;
		b->sy[sy].a1 = a1;
		b->sy[sy].changed = 1;
	}
	if (!b->nsy)
		return 0;
	if ((rc = load_facts(g, st, b, 0, NULL)))
		return rc;
	b->n1 = 0;
	for (i = 0; i < b->n0; i++)
		if ((rc = fact_push(&b->f1, &b->n1, &b->cap1, &b->f0[i])))
			return err_generic(&st->err, rc);
	if ((rc = emit(g, st, b)))
		return rc;
	batch_reset(b);
	return 0;
}

/* ---- schools: attributes and the rollup ---- */

static void school_pack(const struct school_attrs *a, int64_t *v)
{
	memset(v, 0, 5 * sizeof *v);
	v[0] = a->found;
	v[1] = a->cohort;
	memcpy(&v[2], a->area, 8);
	memcpy(&v[3], a->province, 8);
	memcpy(&v[4], a->pilot, 8);
}

static void school_unpack(const int64_t *v, struct school_attrs *a)
{
	memset(a, 0, sizeof *a);
	a->found = (int)v[0];
	a->cohort = (int32_t)v[1];
	memcpy(a->area, &v[2], 8);
	memcpy(a->province, &v[3], 8);
	memcpy(a->pilot, &v[4], 8);
}

static void school_attrs_of(const struct val_value *f, struct school_attrs *a)
{
	memset(a, 0, sizeof *a);
	a->found = 1;
	copy_str(a->area, 8, &f[0]);
	copy_str(a->province, 8, &f[1]);
	copy_str(a->pilot, 8, &f[2]);
	a->cohort = f[3].state == VAL_SET ? (int32_t)f[3].i : 0;
}

/* The attributes of schools codes[0..n) from the store. */
static int lookup_schools(struct agg *g, struct store *st, char (*codes)[16], size_t n, struct school_attrs *out)
{
	struct val_value keys[LOOKUP_CHUNK], fetched[4 * LOOKUP_CHUNK];
	int found[LOOKUP_CHUNK], rc;
	size_t i, j, m;

	if (!g->sch_ref && (rc = store_ref_open(st, g->schools_ds, g->sch_fetch, 4, &g->sch_ref)))
		return rc;
	for (i = 0; i < n; i += m) {
		m = n - i < LOOKUP_CHUNK ? n - i : LOOKUP_CHUNK;
		memset(keys, 0, m * sizeof keys[0]);
		for (j = 0; j < m; j++) {
			keys[j].state = VAL_SET;
			keys[j].s = codes[i + j];
			keys[j].n = strlen(codes[i + j]);
		}
		if ((rc = store_ref_lookup_many(g->sch_ref, m, keys, NULL, found, fetched)))
			return rc;
		for (j = 0; j < m; j++) {
			if (found[j])
				school_attrs_of(&fetched[4 * j], &out[i + j]);
			else
				memset(&out[i + j], 0, sizeof out[i + j]);
		}
	}
	return 0;
}

/* The attributes of the schools of the pending sums, into the cache. */
static int cache_schools(struct agg *g, struct store *st)
{
	const struct amap *maps[2] = { &g->cells, &g->hist };
	char (*codes)[16] = NULL;
	struct school_attrs *a = NULL;
	struct amap want;
	size_t m, i, n = 0;
	int rc = 0;

	amap_init(&want, 16, 1);
	for (m = 0; m < 2 && !rc; m++)
		for (i = 0; i < maps[m]->cap && !rc; i++) {
			unsigned char *p = ENT(maps[m], i);
			uint64_t h;
			int64_t *v;

			memcpy(&h, p, 8);
			if (!h || amap_find(&g->schools, EKEY(maps[m], p)))
				continue;
			if (!(v = amap_get(&want, EKEY(maps[m], p)))) /* the school code comes first in every key */
				rc = NAWAT_ENOMEM;
			else if (!v[0])
				v[0] = 1, n++;
		}
	if (rc || !n)
		goto out;
	codes = nw_calloc(n, sizeof *codes);
	a = nw_calloc(n, sizeof *a);
	if (!codes || !a) {
		rc = NAWAT_ENOMEM;
		goto out;
	}
	for (i = 0, n = 0; i < want.cap; i++) {
		unsigned char *p = ENT(&want, i);
		uint64_t h;

		memcpy(&h, p, 8);
		if (h)
			memcpy(codes[n++], EKEY(&want, p), 16);
	}
	if ((rc = lookup_schools(g, st, codes, n, a))) {
		amap_free(&want);
		nw_free(codes);
		nw_free(a);
		return rc;
	}
	for (i = 0; i < n && !rc; i++) {
		int64_t *v = amap_get(&g->schools, codes[i]);

		if (!v)
			rc = NAWAT_ENOMEM;
		else
			school_pack(&a[i], v);
	}
out:
	amap_free(&want);
	nw_free(codes);
	nw_free(a);
	return rc ? err_generic(&st->err, rc) : 0;
}

/* The rollup keys of a school's sums: national, its area (if any), its province. */
static size_t roll_keys(const struct school_attrs *sa, struct kroll *k, int32_t year, int32_t term,
			const char *instr, const char *domain, const char *subject, int32_t disadv)
{
	size_t n = 0, i;

	if (!sa->found)
		return 0;
	for (i = 0; i < 3; i++) {
		const char *level = i == 0 ? "N" : i == 1 ? "A" : "P";
		const char *code = i == 0 ? "" : i == 1 ? sa->area : sa->province;

		if (i == 1 && !*code)
			continue;
		memset(&k[n], 0, sizeof k[n]);
		k[n].level[0] = level[0];
		memcpy(k[n].code, code, strlen(code));
		memcpy(k[n].instr, instr, strnlen(instr, 7));
		memcpy(k[n].pilot, sa->pilot, 8);
		memcpy(k[n].domain, domain, strnlen(domain, 7));
		memcpy(k[n].subject, subject, strnlen(subject, 7));
		k[n].year = year;
		k[n].term = term;
		k[n].cohort = sa->cohort;
		k[n].disadv = disadv;
		n++;
	}
	return n;
}

static int nonzero(const int64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i])
			return 1;
	return 0;
}

/* Text of an integer key column (into the arena). */
static const char *num_text(struct arena *a, int64_t v)
{
	char t[24];

	snprintf(t, sizeof t, "%lld", (long long)v);
	return arena_strdup(a, t);
}

struct entry {
	uint64_t lead[2];         /* the key's first LEAD bytes, as big-endian numbers */
	uint64_t h;               /* a hash of the key's bytes that group it (sorted_entries) */
	uint64_t hk;              /* the map's hash of the whole key */
	unsigned char *p;
	size_t klen;
};

#define LEAD 16                   /* the leading key bytes entries are ordered by first */
_Static_assert(sizeof(struct khist) >= LEAD && sizeof(struct kroll) >= LEAD, "keys shorter than LEAD");

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* The lead bytes (the school code of a school's sums), then the group's
 * hash, then the key's: a group's entries lie together, and comparisons
 * read the entries, not the keys they point to, but for equal hashes. */
static int by_key(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if ((c = cmp_u64(x->lead[0], y->lead[0])) || (c = cmp_u64(x->lead[1], y->lead[1])) ||
	    (c = cmp_u64(x->h, y->h)) || (c = cmp_u64(x->hk, y->hk)))
		return c;
	return memcmp(x->p + 8, y->p + 8, x->klen);
}

static uint64_t load_be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The used entries of m with a value other than 0 (or, with also, whose
 * key has one there), ordered by their lead bytes (the school code first:
 * writes go to neighbouring pages), entries whose first glen key bytes are
 * equal next to each other; *n of them. */
static struct entry *sorted_entries(const struct amap *m, size_t glen, size_t *n, const struct amap *also)
{
	struct entry *e = nw_malloc((m->n ? m->n : 1) * sizeof *e);
	size_t i;

	*n = 0;
	if (!e)
		return NULL;
	for (i = 0; i < m->cap; i++) {
		unsigned char *p = ENT(m, i);
		const int64_t *a;
		uint64_t h;

		memcpy(&h, p, 8);
		if (h && (nonzero(EVAL(m, p), m->nval) ||
			  (also && (a = amap_find(also, EKEY(m, p))) && nonzero(a, also->nval)))) {
			e[*n].lead[0] = load_be64(EKEY(m, p));
			e[*n].lead[1] = load_be64(EKEY(m, p) + 8);
			e[*n].h = glen < m->klen ? hash_bytes(EKEY(m, p), glen) : h;
			e[*n].hk = h;
			e[*n].p = p;
			e[(*n)++].klen = m->klen;
		}
	}
	qsort(e, *n, sizeof *e, by_key);
	return e;
}

/* Writes the entries of a map to a table of sums, SUMS_CHUNK at a time;
 * keys of entries are turned into text by `keys`.  e: their order (ne of
 * them) if made already (presort), or NULL. */
static int write_sums(struct store *st, const struct schema_sums *t, const struct amap *m,
		      int (*keys)(struct arena *a, const unsigned char *key, const char **out), struct entry *e,
		      size_t ne)
{
	const char **k = nw_calloc(SUMS_CHUNK * t->nkey, sizeof *k);
	int64_t *v = nw_malloc(SUMS_CHUNK * t->nval * sizeof *v);
	struct entry *own = NULL;
	struct arena a;
	size_t i, n = 0;
	int rc = 0;

	arena_init(&a, 64 * 1024, 0);
	if (!k || !v || (!e && !(e = own = sorted_entries(m, m->klen, &ne, NULL))))
		rc = err_generic(&st->err, NAWAT_ENOMEM);
	for (i = 0; i < ne && !rc; i++) {
		if (keys(&a, EKEY(m, e[i].p), &k[n * t->nkey])) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		memcpy(&v[n * t->nval], EVAL(m, e[i].p), t->nval * sizeof *v);
		if (++n == SUMS_CHUNK) {
			rc = store_sums_add(st, t, n, k, v);
			n = 0;
			arena_reset(&a);
		}
	}
	if (!rc && n)
		rc = store_sums_add(st, t, n, k, v);
	arena_release(&a);
	nw_free(own);
	nw_free(k);
	nw_free(v);
	return rc;
}

#define TXT(s) arena_strdup(a, (s))

/* The key columns a school's sums share: school_code, academic_year, term,
 * instrument first; disadvantage (last) at o[last]. */
static int base_text(struct arena *a, const struct kbase *k, const char **o, size_t last)
{
	o[0] = TXT(k->school), o[1] = num_text(a, k->year), o[2] = num_text(a, k->term), o[3] = TXT(k->instr);
	o[last] = num_text(a, k->disadv);
	return !o[0] || !o[1] || !o[2] || !o[3] || !o[last];
}

/* eq_cells' key of a (fine) cell: grade and gender are in its detail. */
static int cell_keys(struct arena *a, const unsigned char *key, const char **o)
{
	struct kcell k;

	memcpy(&k, key, sizeof k);
	o[4] = TXT(k.domain), o[5] = TXT(k.subject);
	return base_text(a, &k.b, o, 6) || !o[4] || !o[5];
}

static int hist_keys(struct arena *a, const unsigned char *key, const char **o)
{
	struct khist k;

	memcpy(&k, key, sizeof k);
	o[4] = TXT(k.subject);
	return base_text(a, &k.b, o, 5) || !o[4];
}

static int roll_keys_text(struct arena *a, const unsigned char *key, const char **o)
{
	struct kroll k;

	memcpy(&k, key, sizeof k);
	o[0] = TXT(k.level), o[1] = TXT(k.code), o[2] = num_text(a, k.year), o[3] = num_text(a, k.term);
	o[4] = TXT(k.instr), o[5] = TXT(k.pilot), o[6] = num_text(a, k.cohort), o[7] = TXT(k.domain);
	o[8] = TXT(k.subject), o[9] = num_text(a, k.disadv);
	return !o[0] || !o[1] || !o[2] || !o[3] || !o[4] || !o[5] || !o[6] || !o[7] || !o[8] || !o[9];
}

static int make_journal(struct store *st)
{
	struct buf sql;
	int rc;

	buf_init(&sql, 1 << 16);
	rc = schema_sums_create(st->ops->dialect, &schema_eq_journal, 1, &sql)
		     ? err_generic(&st->err, NAWAT_ENOMEM)
		     : st->ops->exec(st, buf_str(&sql));
	buf_release(&sql);
	return rc;
}

/* Adds v[0..nv) of a school's sums to r[at..] of its rollup rows. */
static int roll_add(struct agg *g, struct amap *roll, const char *school, int32_t year, int32_t term,
		    const char *instr, const char *domain, const char *subject, int32_t disadv, const int64_t *v,
		    size_t nv, size_t at)
{
	struct school_attrs sa;
	struct kroll k[3];
	const int64_t *sv = amap_find(&g->schools, school);
	size_t j, x, nk;

	if (!sv)
		return 0;
	school_unpack(sv, &sa);
	nk = roll_keys(&sa, k, year, term, instr, domain, subject, disadv);
	for (j = 0; j < nk; j++) {
		int64_t *r = amap_get(roll, &k[j]);

		if (!r)
			return NAWAT_ENOMEM;
		for (x = 0; x < nv; x++)
			r[at + x] += v[x];
	}
	return 0;
}

/* The next used entry of m from *i (its key and values), or NULL. */
static unsigned char *next_entry(const struct amap *m, size_t *i)
{
	for (; *i < m->cap; (*i)++) {
		unsigned char *p = ENT(m, *i);
		uint64_t h;

		memcpy(&h, p, 8);
		if (h && nonzero(EVAL(m, p), m->nval)) {
			(*i)++;
			return p;
		}
	}
	return NULL;
}

/* The rollup changes of the pending sums, into the pending rollup. */
static int roll_pending(struct agg *g, struct store *st)
{
	struct kcell kc;
	struct khist kh;
	unsigned char *p;
	size_t i;
	int rc;

	if (g->defer)
		return 0;
	if ((rc = cache_schools(g, st)))
		return rc;
	for (i = 0; !rc && (p = next_entry(&g->cells, &i));) {
		memcpy(&kc, EKEY(&g->cells, p), sizeof kc);
		rc = roll_add(g, &g->roll, kc.b.school, kc.b.year, kc.b.term, kc.b.instr, kc.domain, kc.subject,
			      kc.b.disadv, EVAL(&g->cells, p), NCELL, 0);
	}
	/* the score bins join the rows of the learning areas */
	for (i = 0; !rc && (p = next_entry(&g->hist, &i));) {
		memcpy(&kh, EKEY(&g->hist, p), sizeof kh);
		rc = roll_add(g, &g->rollh, kh.b.school, kh.b.year, kh.b.term, kh.b.instr, "K", kh.subject,
			      kh.b.disadv, EVAL(&g->hist, p) + 1, SCHEMA_HIST_BINS, 0);
	}
	return rc ? err_generic(&st->err, rc) : 0;
}

/* The pending rollup into the journal (merged into eq_rollup at commit),
 * or, where there is one writer at a time (no store lock), straight into
 * eq_rollup: each key's sums with its score bins beside them. */
static int journal_roll(struct agg *g, struct store *st)
{
	int direct = !st->ops->lock;
	const struct schema_sums *t = direct ? &schema_eq_rollup : &schema_eq_journal;
	const char **k = NULL;
	int64_t *v = NULL;
	struct entry *e = NULL;
	struct arena a;
	size_t i, ne = 0, n = 0;
	int rc = 0;

	if (g->defer) { /* (what came before is made again at commit too) */
		amap_clear(&g->roll);
		amap_clear(&g->rollh);
	}
	if (!g->roll.n && !g->rollh.n)
		return 0;
	if (!direct && (rc = make_journal(st)))
		return rc;
	arena_init(&a, 64 * 1024, 0);
	k = nw_calloc(ROLL_CHUNK * t->nkey, sizeof *k);
	v = nw_malloc(ROLL_CHUNK * t->nval * sizeof *v);
	/* (every key of bins has its sums' entry, if only of zeros) */
	for (i = 0; i < g->rollh.cap && !rc; i++) {
		unsigned char *p = ENT(&g->rollh, i);
		uint64_t h;

		memcpy(&h, p, 8);
		if (h && !amap_get(&g->roll, EKEY(&g->rollh, p)))
			rc = err_generic(&st->err, NAWAT_ENOMEM);
	}
	if (!rc && (!k || !v || !(e = sorted_entries(&g->roll, g->roll.klen, &ne, &g->rollh))))
		rc = err_generic(&st->err, NAWAT_ENOMEM);
	for (i = 0; i < ne && !rc; i++) {
		const int64_t *h = amap_find(&g->rollh, EKEY(&g->roll, e[i].p));

		if (roll_keys_text(&a, EKEY(&g->roll, e[i].p), &k[n * t->nkey])) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		memcpy(&v[n * t->nval], EVAL(&g->roll, e[i].p), NCELL * sizeof *v);
		if (h)
			memcpy(&v[n * t->nval + NCELL], h, SCHEMA_HIST_BINS * sizeof *v);
		else
			memset(&v[n * t->nval + NCELL], 0, SCHEMA_HIST_BINS * sizeof *v);
		if (++n == ROLL_CHUNK || i + 1 == ne) {
			rc = store_sums_add(st, t, n, k, v);
			n = 0;
			arena_reset(&a);
		}
	}
	arena_release(&a);
	nw_free(e);
	nw_free(k);
	nw_free(v);
	if (rc)
		return rc;
	g->journal |= !direct;
	amap_clear(&g->roll);
	amap_clear(&g->rollh);
	return 0;
}

/* ---- eq_cells: school rows with their detail by grade and gender ---- */

#define COARSE (sizeof(struct kbase) + 16) /* a cell's key without grade and gender */

struct det {
	char grade[8], gender[8];
	int64_t v[NCELL];
};

static int by_grade_gender(const void *a, const void *b)
{
	const struct det *x = a, *y = b;
	int c = strcmp(x->grade, y->grade);

	return c ? c : strcmp(x->gender, y->gender);
}

/* Adds the groups of a detail text ("grade,gender,n,s1,s2,l0,...,l4;...")
 * to d[*n..]: 0, or -1 when the text is damaged or there is no room. */
static int det_parse(const char *t, struct det *d, size_t *n, size_t cap)
{
	while (t && *t) {
		struct det x;
		const char *e = strchr(t, ';'), *p = t;
		size_t i, len;
		char *end;

		if (!e || *n >= cap)
			return -1;
		memset(&x, 0, sizeof x);
		len = strcspn(p, ",;");
		if (p[len] != ',' || len >= sizeof x.grade)
			return -1;
		memcpy(x.grade, p, len);
		p += len + 1;
		len = strcspn(p, ",;");
		if (p[len] != ',' || len >= sizeof x.gender)
			return -1;
		memcpy(x.gender, p, len);
		p += len + 1;
		for (i = 0; i < NCELL; i++) {
			x.v[i] = strtoll(p, &end, 10);
			if (end == p || (*end != (i + 1 < NCELL ? ',' : ';')))
				return -1;
			p = end + 1;
		}
		d[(*n)++] = x;
		t = e + 1;
	}
	return 0;
}

/* The groups summed by grade and gender, sorted, without empty ones, as
 * text into b. */
static int det_text(struct det *d, size_t n, struct buf *b)
{
	size_t i, j, m = 0, k;
	int rc = 0;

	qsort(d, n, sizeof *d, by_grade_gender);
	for (i = 0; i < n; i = j) {
		struct det x = d[i];

		for (j = i + 1; j < n && !by_grade_gender(&d[j], &x); j++)
			for (k = 0; k < NCELL; k++)
				x.v[k] += d[j].v[k];
		if (x.v[0])
			d[m++] = x;
	}
	buf_reset(b);
	for (i = 0; i < m && !rc; i++) {
		char line[16 + 16 + NCELL * 22], *o = line;
		size_t gl = strlen(d[i].grade), nl = strlen(d[i].gender);

		memcpy(o, d[i].grade, gl);
		o += gl;
		*o++ = ',';
		memcpy(o, d[i].gender, nl);
		o += nl;
		for (k = 0; k < NCELL; k++) {
			*o++ = ',';
			o += val_format_int(d[i].v[k], o);
		}
		*o++ = ';';
		rc = buf_append(b, line, (size_t)(o - line));
	}
	return rc;
}

/* A chunk of eq_cells rows on their way: the pending changes (entries
 * e[first[i]..first[i+1]) of row i) and what the store has. */
struct cells_chunk {
	const struct amap *m;
	struct entry *e;
	size_t *first;
	size_t n;
	int64_t *vals;            /* n * NCELL: stored, then the new values */
	char **texts;             /* stored details (copies) */
};

static int got_cell(void *ctx, size_t i, const int64_t *vals, const char *text)
{
	struct cells_chunk *c = ctx;

	memcpy(&c->vals[i * NCELL], vals, NCELL * sizeof *vals);
	nw_free(c->texts[i]);
	return (c->texts[i] = nw_strdup(text ? text : "")) ? 0 : NAWAT_ENOMEM;
}

/* One chunk: read the rows, add the changes, write them back. */
static int cells_chunk_write(struct store *st, struct cells_chunk *c, const char **keys)
{
	struct det *d = NULL;
	size_t capd = 0, i, j, k, nd;
	const char **texts = nw_calloc(c->n ? c->n : 1, sizeof *texts);
	struct buf *tb = nw_calloc(c->n ? c->n : 1, sizeof *tb);
	int rc = 0;

	if (!texts || !tb) {
		rc = NAWAT_ENOMEM;
		goto out;
	}
	memset(c->vals, 0, c->n * NCELL * sizeof *c->vals);
	if ((rc = store_sums_get_many(st, &schema_eq_cells, c->n, keys, got_cell, c)))
		goto out;
	for (i = 0; i < c->n && !rc; i++) {
		size_t ne = c->first[i + 1] - c->first[i];

		buf_init(&tb[i], 1 << 24);
		if (capd < ne + 64 || !d) {
			struct det *nd2;

			capd = (ne + 64) * 2;
			if (!(nd2 = nw_realloc(d, capd * sizeof *d))) {
				rc = NAWAT_ENOMEM;
				break;
			}
			d = nd2;
		}
		nd = 0;
		if (det_parse(c->texts[i], d, &nd, capd - ne)) {
			rc = err_msg(&st->err, NAWAT_ESTORE,
				     "ผลรวมในฐานข้อมูลเสียหาย (แก้ด้วย nawat analytics rebuild)",
				     "the stored aggregates are damaged (nawat analytics rebuild repairs them)");
			break;
		}
		for (j = c->first[i]; j < c->first[i + 1]; j++) {
			const int64_t *v = EVAL(c->m, c->e[j].p);
			struct kcell kc;

			memcpy(&kc, EKEY(c->m, c->e[j].p), sizeof kc);
			for (k = 0; k < NCELL; k++)
				c->vals[i * NCELL + k] += v[k];
			if (strcmp(kc.subject, "*")) {
				memset(&d[nd], 0, sizeof d[nd]);
				memcpy(d[nd].grade, kc.grade, sizeof kc.grade);
				memcpy(d[nd].gender, kc.gender, sizeof kc.gender);
				memcpy(d[nd].v, v, sizeof d[nd].v);
				nd++;
			}
		}
		if (det_text(d, nd, &tb[i]))
			rc = NAWAT_ENOMEM;
		texts[i] = buf_str(&tb[i]);
	}
	if (!rc)
		rc = store_sums_put(st, &schema_eq_cells, c->n, keys, c->vals, texts);
out:
	if (rc == NAWAT_ENOMEM)
		err_generic(&st->err, rc);
	for (i = 0; tb && i < c->n; i++)
		buf_release(&tb[i]);
	nw_free(tb);
	nw_free(texts);
	nw_free(d);
	return rc;
}

/* The pending cells into eq_cells: grouped by school row, SUMS_CHUNK rows
 * at a time.  e: their order (ne of them) if made already, or NULL. */
static int write_cells(struct store *st, const struct amap *m, struct entry *e, size_t ne)
{
	struct cells_chunk c;
	const char **keys = nw_calloc(SUMS_CHUNK * schema_eq_cells.nkey, sizeof *keys);
	struct entry *own = NULL;
	size_t i, j;
	struct arena a;
	int rc = 0;

	memset(&c, 0, sizeof c);
	c.m = m;
	c.e = e;
	arena_init(&a, 64 * 1024, 0);
	c.first = nw_calloc(SUMS_CHUNK + 1, sizeof *c.first);
	c.vals = nw_calloc(SUMS_CHUNK * NCELL, sizeof *c.vals);
	c.texts = nw_calloc(SUMS_CHUNK, sizeof *c.texts);
	if (!keys || !c.first || !c.vals || !c.texts || (!c.e && !(c.e = own = sorted_entries(m, COARSE, &ne, NULL))))
		rc = err_generic(&st->err, NAWAT_ENOMEM);
	for (i = 0; i < ne && !rc; i = j) {
		for (j = i + 1; j < ne && !memcmp(EKEY(m, c.e[j].p), EKEY(m, c.e[i].p), COARSE); j++)
			;
		if (cell_keys(&a, EKEY(m, c.e[i].p), &keys[c.n * schema_eq_cells.nkey])) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		c.first[c.n] = i;
		c.first[++c.n] = j;
		if (c.n == SUMS_CHUNK || j == ne) {
			rc = cells_chunk_write(st, &c, keys);
			c.n = 0;
			arena_reset(&a);
		}
	}
	for (i = 0; c.texts && i < SUMS_CHUNK; i++)
		nw_free(c.texts[i]);
	nw_free(c.texts);
	nw_free(c.vals);
	nw_free(c.first);
	nw_free(own);
	nw_free(keys);
	arena_release(&a);
	return rc;
}

/* (the emitter's thread, before it hands the full sums over) The order
 * of the pending sums for their write: the writer's thread, which bounds a
 * load, need not sort them.  Where memory runs short the writer sorts. */
static void presort(struct agg *g)
{
	drop_sorted(g);
	if ((g->sorted_cells = sorted_entries(&g->cells, COARSE, &g->nsorted_cells, NULL)))
		g->sorted_hist = sorted_entries(&g->hist, g->hist.klen, &g->nsorted_hist, NULL);
}

/* Every pending sum into its table, and its rollup changes into the journal. */
static int flush_pending(struct agg *g, struct store *st)
{
	int rc;

	if (!g->cells.n && !g->hist.n) {
		drop_sorted(g);
		return 0;
	}
	/* (in the order the emitter made, if it did) */
	if (!(rc = write_cells(st, &g->cells, g->sorted_cells, g->nsorted_cells)))
		rc = write_sums(st, &schema_eq_hist, &g->hist, hist_keys, g->sorted_hist, g->nsorted_hist);
	drop_sorted(g);
	if (rc || (rc = roll_pending(g, st)))
		return rc;
	amap_clear(&g->cells);
	amap_clear(&g->hist);
	/* the rollup keys come back in the next sums: they wait, up to a point */
	return g->roll.n > FLUSH_ROLL ? journal_roll(g, st) : 0;
}

static int exec_sql(struct store *st, struct buf *sql, int built)
{
	if (built)
		return err_generic(&st->err, NAWAT_ENOMEM);
	return st->ops->exec(st, buf_str(sql));
}

static int cols_list(struct buf *b, const struct schema_sums *t, const char *prefix, int keys, int vals)
{
	size_t i;
	int rc = 0, n = 0;

	for (i = 0; keys && i < t->nkey && !rc; i++)
		rc = buf_printf(b, "%s%s%s", n++ ? ", " : "", prefix, t->key[i]);
	for (i = 0; vals && i < t->nval && !rc; i++)
		rc = buf_printf(b, "%s%s%s", n++ ? ", " : "", prefix, t->val[i]);
	return rc;
}

/* The journal into eq_rollup (under a lock: one committer at a time). */
static int merge_journal(struct agg *g, struct store *st)
{
	const struct schema_sums *t = &schema_eq_rollup;
	struct buf sql;
	size_t v;
	int rc;

	if (!g->journal)
		return 0;
	if ((rc = store_lock(st, LOCK_ROLLUP)))
		return rc;
	buf_init(&sql, 1 << 20);
	rc = buf_puts(&sql, "INSERT INTO eq_rollup SELECT * FROM eq_journal WHERE 1 = 1 ORDER BY ") ||
	     cols_list(&sql, t, "", 1, 0) || buf_puts(&sql, " ON CONFLICT (") || cols_list(&sql, t, "", 1, 0) ||
	     buf_puts(&sql, ") DO UPDATE SET ");
	for (v = 0; v < t->nval && !rc; v++)
		rc = buf_printf(&sql, "%s%s = eq_rollup.%s + excluded.%s", v ? ", " : "", t->val[v], t->val[v],
				t->val[v]);
	if ((rc = exec_sql(st, &sql, rc)))
		goto out;
	buf_reset(&sql);
	rc = buf_puts(&sql, "DELETE FROM eq_rollup WHERE (") || cols_list(&sql, t, "", 1, 0) ||
	     buf_puts(&sql, ") IN (SELECT ") || cols_list(&sql, t, "", 1, 0) || buf_puts(&sql, " FROM eq_journal)");
	for (v = 0; v < t->nval && !rc; v++)
		rc = buf_printf(&sql, " AND %s = 0", t->val[v]);
	if ((rc = exec_sql(st, &sql, rc)))
		goto out;
	if ((rc = st->ops->exec(st, "DELETE FROM eq_journal")))
		goto out;
	g->journal = 0;
out:
	buf_release(&sql);
	return rc;
}

/* A school's sums move from the rollup of its old attributes to that of
 * the new (set-based, from the school's rows in the tables). */
static int move_school(struct agg *g, struct store *st, const char *code, const struct school_attrs *from,
		       const struct school_attrs *to)
{
	/* from eq_cells: the sums of every subject, and the students */
	static const char cells[] =
		"INSERT INTO eq_journal (%s, n, s1, s2, l0, l1, l2, l3, l4) SELECT ?, ?, academic_year, term, "
		"instrument, ?, ?, domain, subject_code, disadvantage, %s * n, %s * s1, %s * s2, %s * l0, %s * l1, "
		"%s * l2, %s * l3, %s * l4 FROM eq_cells WHERE school_code = ? AND 1 = 1";
	const struct schema_sums *t = &schema_eq_rollup;
	struct school_attrs sa;
	struct store_stmt *q;
	struct buf sql, keys, up;
	size_t side, part, lvl, v;
	int rc = 0;

	(void)g;
	buf_init(&sql, 1 << 20);
	buf_init(&keys, 1 << 16);
	buf_init(&up, 1 << 16);
	if (cols_list(&keys, t, "", 1, 0) || buf_puts(&up, " ON CONFLICT (") || cols_list(&up, t, "", 1, 0) ||
	    buf_puts(&up, ") DO UPDATE SET ")) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	for (v = 0; v < t->nval && !rc; v++)
		rc = buf_printf(&up, "%s%s = eq_journal.%s + excluded.%s", v ? ", " : "", t->val[v], t->val[v],
				t->val[v]);
	if (rc || (rc = make_journal(st)))
		goto out;
	for (side = 0; side < 2 && !rc; side++) {
		const char *sign = side ? "1" : "-1";

		sa = side ? *to : *from;
		if (!sa.found)
			continue;
		for (part = 0; part < 2 && !rc; part++) {
			for (lvl = 0; lvl < 3 && !rc; lvl++) {
				const char *level = lvl == 0 ? "N" : lvl == 1 ? "A" : "P";
				const char *lcode = lvl == 0 ? "" : lvl == 1 ? sa.area : sa.province;
				size_t h;

				if (lvl == 1 && !*lcode)
					continue;
				buf_reset(&sql);
				if (part == 0) {
					rc = buf_printf(&sql, cells, buf_str(&keys), sign, sign, sign, sign, sign, sign, sign,
							sign);
				} else {
					/* from eq_hist: the score bins */
					rc = buf_printf(&sql, "INSERT INTO eq_journal (%s", buf_str(&keys));
					for (h = 0; h < SCHEMA_HIST_BINS && !rc; h++)
						rc = buf_printf(&sql, ", h%zu", h);
					rc = rc || buf_puts(&sql, ") SELECT ?, ?, academic_year, term, instrument, ?, ?, "
								  "'K', subject_code, disadvantage");
					for (h = 0; h < SCHEMA_HIST_BINS && !rc; h++)
						rc = buf_printf(&sql, ", %s * SUM(h%zu)", sign, h);
					rc = rc || buf_puts(&sql, " FROM eq_hist WHERE school_code = ? GROUP BY "
								  "academic_year, term, instrument, subject_code, "
								  "disadvantage");
				}
				rc = rc || buf_puts(&sql, buf_str(&up));
				if (rc) {
					rc = err_generic(&st->err, NAWAT_ENOMEM);
					break;
				}
				if ((rc = store_prepare(st, buf_str(&sql), &q)))
					break;
				if (!(rc = store_bind_str(q, 1, level)) && !(rc = store_bind_str(q, 2, lcode)) &&
				    !(rc = store_bind_str(q, 3, sa.pilot)) && !(rc = store_bind_int(q, 4, sa.cohort)) &&
				    !(rc = store_bind_str(q, 5, code)))
					rc = store_step(q);
				store_finalize(q);
				if (rc > 0)
					rc = 0;
			}
		}
	}
	if (!rc)
		g->journal = 1;
out:
	buf_release(&sql);
	buf_release(&keys);
	buf_release(&up);
	return rc;
}

static int school_changed(const struct school_attrs *a, const struct school_attrs *b)
{
	return a->found != b->found || strcmp(a->area, b->area) || strcmp(a->province, b->province) ||
	       strcmp(a->pilot, b->pilot) || a->cohort != b->cohort;
}

static int move_schools(struct agg *g, struct store *st, char (*codes)[16], const struct school_attrs *from,
			const struct school_attrs *to, size_t n)
{
	size_t i;
	int rc = 0, flushed = 0;

	for (i = 0; i < n && !rc; i++) {
		if (!school_changed(&from[i], &to[i]))
			continue;
		/* everything so far is in the tables, rolled up the old way */
		if (!flushed && (rc = flush_pending(g, st)))
			break;
		flushed = 1;
		if (!g->defer)
			rc = move_school(g, st, codes[i], &from[i], &to[i]);
	}
	if (flushed)
		amap_clear(&g->schools); /* the cache knows the old attributes */
	return rc;
}

static int schools_after(struct agg *g, struct store *st, struct store_row *rows, size_t n)
{
	char (*codes)[16] = NULL;
	struct school_attrs *from = NULL, *to = NULL;
	struct val_value f[4];
	size_t i, m = 0;
	int rc = 0;

	for (i = 0; i < n; i++)
		m += rows[i].result == STORE_UPDATED && rows[i].old;
	if (!m)
		return 0;
	codes = nw_calloc(m, sizeof *codes);
	from = nw_calloc(m, sizeof *from);
	to = nw_calloc(m, sizeof *to);
	if (!codes || !from || !to) {
		rc = err_generic(&st->err, NAWAT_ENOMEM);
		goto out;
	}
	for (i = 0, m = 0; i < n; i++) {
		const struct val_value *v = rows[i].vals, *o = rows[i].old;
		size_t k;

		if (rows[i].result != STORE_UPDATED || !o)
			continue;
		copy_str(codes[m], 16, &v[g->c_code]);
		for (k = 0; k < 4; k++)
			f[k] = o[g->sch_fetch[k]];
		school_attrs_of(f, &from[m]);
		for (k = 0; k < 4; k++)
			f[k] = v[g->sch_fetch[k]].state == VAL_ABSENT ? o[g->sch_fetch[k]] : v[g->sch_fetch[k]];
		school_attrs_of(f, &to[m]);
		m++;
	}
	rc = move_schools(g, st, codes, from, to, m);
out:
	nw_free(codes);
	nw_free(from);
	nw_free(to);
	return rc;
}

static int pending_full(const struct agg *g)
{
	return g->cells.n > g->flush_cells || g->hist.n > g->flush_cells / FLUSH_HIST_SHARE;
}

/* Whether a write of rows of ds leaves the emitter going (a load into
 * empty outcomes); any other call waits until it has added all it has. */
static int em_keeps(const struct agg *g, const struct std_dataset *ds, int deleting)
{
	return ds == g->outcomes && !deleting && g->fast == 1;
}

static int obs_before(struct store *st, const struct std_dataset *ds, struct store_row *rows, size_t n,
		      int deleting)
{
	struct agg *g = state(st, &(int){ 0 });
	int rc;

	if (!g)
		return NAWAT_ENOMEM;
	if (!em_keeps(g, ds, deleting) && (rc = em_drain(g, st)))
		return rc;
	if (!g->ok || ds != g->outcomes || !n)
		return 0;
	rc = outcomes_before(g, st, rows, n, deleting);
	return rc;
}

static int obs_after(struct store *st, const struct std_dataset *ds, struct store_row *rows, size_t n,
		     int deleting)
{
	struct agg *g = state(st, &(int){ 0 });
	int rc = 0;

	if (!g)
		return NAWAT_ENOMEM;
	if (!em_keeps(g, ds, deleting) && (rc = em_drain(g, st)))
		return rc;
	if (!g->ok || !n)
		return 0;
	if (ds == g->outcomes)
		rc = outcomes_after(g, st, rows, n, deleting);
	else if (ds == g->students && !deleting)
		rc = students_after(g, st, rows, n);
	else if (ds == g->schools_ds && !deleting)
		rc = schools_after(g, st, rows, n);
	if (!rc && !(g->em && em_keeps(g, ds, deleting)) && pending_full(g)) /* (else the emitter's) */
		rc = flush_pending(g, st);
	return rc;
}

/* ---- the observer: touches (writes that bypass the writer) ---- */

static int touch_keys(struct agg *g, struct store *st, const struct std_dataset *ds, const struct store_row *rows,
		      size_t n)
{
	struct batch *b = &g->t;
	size_t i;

	batch_reset(b);
	for (i = 0; i < n; i++) {
		const struct val_value *v = rows[i].vals;
		int sy = ds == g->outcomes ? sy_of(b, &v[g->o_cid], &v[g->o_year]) : sy_of(b, &v[g->s_cid], &v[g->s_year]);

		if (sy < 0)
			return err_generic(&st->err, NAWAT_ENOMEM);
		b->sy[sy].changed = 1;
	}
	return 0;
}

static int obs_touch(struct store *st, const struct std_dataset *ds, const struct store_row *rows, size_t n, int after)
{
	struct agg *g = state(st, &(int){ 0 });
	struct batch *b;
	size_t i;
	int rc;

	if (!g)
		return NAWAT_ENOMEM;
	if ((rc = em_drain(g, st)))
		return rc;
	if (!g->ok || !n)
		return 0;
	b = &g->t;
	g->fast = 2; /* rows change behind the writer: read the state from now on */
	batch_reset(&g->prev);
	if (ds == g->schools_ds) {
		struct school_attrs *now;

		if (!after) {
			nw_free(g->tsch);
			nw_free(g->tsch_a);
			g->tsch = nw_calloc(n, sizeof *g->tsch);
			g->tsch_a = nw_calloc(n, sizeof *g->tsch_a);
			if (!g->tsch || !g->tsch_a)
				return err_generic(&st->err, NAWAT_ENOMEM);
			for (i = 0; i < n; i++)
				copy_str(g->tsch[i], 16, &rows[i].vals[g->c_code]);
			g->ntsch = n;
			return lookup_schools(g, st, g->tsch, n, g->tsch_a);
		}
		if (!(now = nw_calloc(g->ntsch ? g->ntsch : 1, sizeof *now)))
			return err_generic(&st->err, NAWAT_ENOMEM);
		rc = lookup_schools(g, st, g->tsch, g->ntsch, now);
		if (!rc)
			rc = move_schools(g, st, g->tsch, g->tsch_a, now, g->ntsch);
		nw_free(now);
		g->ntsch = 0;
		return rc;
	}
	if (ds != g->outcomes && ds != g->students)
		return 0;
	if (!after) {
		if ((rc = touch_keys(g, st, ds, rows, n)) || (rc = load_attrs(g, st, b)) ||
		    (rc = load_facts(g, st, b, 0, NULL)))
			return rc;
		b->active = 1;
		return 0;
	}
	if (!b->active)
		return err_msg(&st->err, NAWAT_EINVAL, "store_touch_after โดยไม่มี store_touch_before",
			       "store_touch_after without store_touch_before");
	/* the state after, read back: the students' rows and their results */
	{
		struct attrs *a0 = nw_malloc((b->nsy ? b->nsy : 1) * sizeof *a0);

		if (!a0)
			return err_generic(&st->err, NAWAT_ENOMEM);
		for (i = 0; i < b->nsy; i++)
			a0[i] = b->sy[i].a0;
		rc = load_attrs(g, st, b);
		for (i = 0; i < b->nsy; i++) {
			b->sy[i].a1 = b->sy[i].a0;
			b->sy[i].a0 = a0[i];
		}
		nw_free(a0);
	}
	b->n1 = 0;
	if (!rc)
		rc = load_facts(g, st, b, 1, NULL);
	if (!rc)
		rc = emit(g, st, b);
	batch_reset(b);
	if (!rc && pending_full(g))
		rc = flush_pending(g, st);
	return rc;
}

/* ---- the observer: transactions ---- */

static int rollup_again(struct agg *g, struct store *st);

static int obs_flush(struct store *st, int committing)
{
	struct agg *g = st->obs_state;
	int rc;

	if (!g || !g->ok || !st->in_tx)
		return 0;
	if ((rc = em_drain(g, st)))
		return rc;
	if (committing)
		em_stop(g);
	if (st->keys_later != g->outcomes && (rc = check_unsure(g, st)))
		return rc;
	if ((rc = flush_pending(g, st)) || (rc = journal_roll(g, st)))
		return rc;
	if (!committing)
		return 0;
	close_refs(g);
	return g->defer ? rollup_again(g, st) : merge_journal(g, st);
}

/* ---- rebuilding from the raw rows ---- */

struct names {
	char o_cid[64], o_school[64], o_year[64], o_term[64], o_domain[64], o_subject[64], o_instr[64],
		o_score[64], o_level[64];
	char s_cid[64], s_year[64], s_grade[64], s_gender[64], s_disadv[64];
	char c_code[64], c_area[64], c_province[64], c_pilot[64], c_cohort[64];
};

static void names_of(const struct agg *g, struct names *n)
{
	schema_col(&g->outcomes->fields[g->o_cid], 0, n->o_cid, sizeof n->o_cid);
	schema_col(&g->outcomes->fields[g->o_school], 0, n->o_school, sizeof n->o_school);
	schema_col(&g->outcomes->fields[g->o_year], 0, n->o_year, sizeof n->o_year);
	schema_col(&g->outcomes->fields[g->o_term], 0, n->o_term, sizeof n->o_term);
	schema_col(&g->outcomes->fields[g->o_domain], 0, n->o_domain, sizeof n->o_domain);
	schema_col(&g->outcomes->fields[g->o_subject], 0, n->o_subject, sizeof n->o_subject);
	schema_col(&g->outcomes->fields[g->o_instr], 0, n->o_instr, sizeof n->o_instr);
	schema_col(&g->outcomes->fields[g->o_score], 0, n->o_score, sizeof n->o_score);
	schema_col(&g->outcomes->fields[g->o_level], 0, n->o_level, sizeof n->o_level);
	schema_col(&g->students->fields[g->s_cid], 0, n->s_cid, sizeof n->s_cid);
	schema_col(&g->students->fields[g->s_year], 0, n->s_year, sizeof n->s_year);
	schema_col(&g->students->fields[g->s_grade], 0, n->s_grade, sizeof n->s_grade);
	schema_col(&g->students->fields[g->s_gender], 0, n->s_gender, sizeof n->s_gender);
	schema_col(&g->students->fields[g->s_disadv], 0, n->s_disadv, sizeof n->s_disadv);
	schema_col(&g->schools_ds->fields[g->c_code], 0, n->c_code, sizeof n->c_code);
	schema_col(&g->schools_ds->fields[g->c_area], 0, n->c_area, sizeof n->c_area);
	schema_col(&g->schools_ds->fields[g->c_province], 0, n->c_province, sizeof n->c_province);
	schema_col(&g->schools_ds->fields[g->c_pilot], 0, n->c_pilot, sizeof n->c_pilot);
	schema_col(&g->schools_ds->fields[g->c_cohort], 0, n->c_cohort, sizeof n->c_cohort);
}

/* The results that count, as rows (school_code, academic_year, term,
 * instrument, domain, subject_code, grade_code, gender, disadvantage, cid,
 * v, b): each outcome joined to its student's row of the year, v its value,
 * b its score bin (K). */
static int facts_sql(const struct schema_dialect *d, const struct agg *g, const struct names *n, struct buf *b)
{
	return buf_printf(b,
			  "(SELECT o.%s AS school_code, o.%s AS academic_year, o.%s AS term, o.%s AS instrument, "
			  "o.%s AS domain, o.%s AS subject_code, s.%s AS grade_code, s.%s AS gender, "
			  "s.%s AS disadvantage, o.%s AS cid, "
			  "CASE WHEN o.%s = 'K' THEN CAST(round(o.%s * 100) AS %s) ELSE o.%s END AS v "
			  "FROM %s o JOIN %s s ON s.%s = o.%s AND s.%s = o.%s "
			  "WHERE o.%s IN ('K', 'S', 'A') AND CASE WHEN o.%s = 'K' THEN o.%s ELSE o.%s END IS NOT NULL) f",
			  n->o_school, n->o_year, n->o_term, n->o_instr, n->o_domain, n->o_subject, n->s_grade,
			  n->s_gender, n->s_disadv, n->o_cid, n->o_domain, n->o_score, d->t_int, n->o_level,
			  g->outcomes->name, g->students->name, n->s_cid, n->o_cid, n->s_year, n->o_year, n->o_domain,
			  n->o_domain, n->o_score, n->o_level);
}

/* The cells of nw_fine (the results summed by grade and gender too) into
 * eq_cells, a school at a time, with their detail. */
static int pack_fine(struct store *st)
{
	char (*schools)[16] = NULL, text[16];
	size_t nsch = 0, i, k;
	struct store_stmt *q = NULL;
	struct amap m;
	int rc;

	amap_init(&m, sizeof(struct kcell), NCELL);
	if ((rc = store_prepare(st, "SELECT DISTINCT school_code FROM nw_fine ORDER BY school_code", &q)))
		return rc;
	while ((rc = store_step(q)) == 1) {
		char(*ns)[16] = nw_realloc(schools, (nsch + 1) * sizeof *schools);
		size_t len;
		const char *t = store_col_text(q, 0, &len);

		if (!ns) {
			rc = err_generic(&st->err, NAWAT_ENOMEM);
			break;
		}
		schools = ns;
		memset(schools[nsch], 0, 16);
		memcpy(schools[nsch++], t ? t : "", len < 15 ? len : 15);
	}
	store_finalize(q);
	q = NULL;
	/* each school's cells go through the same writer as the kept ones */
	for (i = 0; rc >= 0 && i < nsch; i++) {
		if ((rc = store_prepare(st, "SELECT academic_year, term, instrument, domain, subject_code, disadvantage, "
					    "grade_code, gender, n, s1, s2, l0, l1, l2, l3, l4 FROM nw_fine "
					    "WHERE school_code = ?",
					&q)) ||
		    (rc = store_bind_str(q, 1, schools[i])))
			break;
		while ((rc = store_step(q)) == 1) {
			struct kcell kc;
			int64_t *v;
			size_t len;
			const char *t;

			memset(&kc, 0, sizeof kc);
			memcpy(kc.b.school, schools[i], sizeof kc.b.school);
			kc.b.year = (int32_t)store_col_int(q, 0);
			kc.b.term = (int32_t)store_col_int(q, 1);
			kc.b.disadv = (int32_t)store_col_int(q, 5);
			for (k = 0; k < 5; k++) {
				static const int col[] = { 2, 3, 4, 6, 7 };
				char *slot[] = { kc.b.instr, kc.domain, kc.subject, kc.grade, kc.gender };

				t = store_col_text(q, col[k], &len);
				memset(text, 0, sizeof text);
				memcpy(text, t ? t : "", len < 7 ? len : 7);
				memcpy(slot[k], text, 8);
			}
			if (!(v = amap_get(&m, &kc))) {
				rc = err_generic(&st->err, NAWAT_ENOMEM);
				break;
			}
			for (k = 0; k < NCELL; k++)
				v[k] += store_col_int(q, 8 + (int)k);
		}
		store_finalize(q);
		q = NULL;
		if (rc < 0)
			break;
		if (m.n > store_sums_rows(st) || i + 1 == nsch) {
			rc = write_cells(st, &m, NULL, 0);
			amap_clear(&m);
		}
	}
	amap_free(&m);
	nw_free(schools);
	return rc < 0 ? rc : 0;
}

/* eq_rollup: national, area and province, from the school tables (into
 * an empty eq_rollup). */
static int rollup_sql(struct agg *g, struct store *st, const struct names *nm, struct buf *sql)
{
	size_t i, lvl;
	int rc = 0;

	for (lvl = 0; lvl < 3 && !rc; lvl++) {
		const char *level = lvl == 0 ? "'N'" : lvl == 1 ? "'A'" : "'P'";
		char code[96], where[96];

		snprintf(code, sizeof code, "%s", lvl == 0 ? "''" : lvl == 1 ? nm->c_area : nm->c_province);
		snprintf(where, sizeof where, "%s%s", lvl == 1 ? nm->c_area : "1", lvl == 1 ? " IS NOT NULL" : " = 1");
		/* (the national code is a constant: nothing to group by in its place) */
		buf_reset(sql);
		rc = buf_printf(sql,
				"INSERT INTO eq_rollup (level, code, academic_year, term, instrument, pilot, cohort, "
				"domain, subject_code, disadvantage, n, s1, s2, l0, l1, l2, l3, l4) "
				"SELECT %s, %s%s, c.academic_year, c.term, c.instrument, sc.%s, coalesce(sc.%s, 0), "
				"c.domain, c.subject_code, c.disadvantage, SUM(c.n), SUM(c.s1), SUM(c.s2), SUM(c.l0), "
				"SUM(c.l1), SUM(c.l2), SUM(c.l3), SUM(c.l4) FROM eq_cells c JOIN %s sc ON sc.%s = "
				"c.school_code WHERE %s GROUP BY %s%s%sc.academic_year, c.term, c.instrument, sc.%s, "
				"coalesce(sc.%s, 0), c.domain, c.subject_code, c.disadvantage",
				level, lvl ? "sc." : "", code, nm->c_pilot, nm->c_cohort, g->schools_ds->name, nm->c_code,
				where, lvl ? "sc." : "", lvl ? code : "", lvl ? ", " : "", nm->c_pilot, nm->c_cohort);
		if ((rc = exec_sql(st, sql, rc)))
			break;
		/* the score bins join the rows of the learning areas */
		buf_reset(sql);
		rc = buf_printf(sql, "INSERT INTO eq_rollup (level, code, academic_year, term, instrument, pilot, "
				      "cohort, domain, subject_code, disadvantage");
		for (i = 0; i < SCHEMA_HIST_BINS && !rc; i++)
			rc = buf_printf(sql, ", h%zu", i);
		rc = rc || buf_printf(sql, ") SELECT %s, %s%s, h.academic_year, h.term, h.instrument, sc.%s, "
					    "coalesce(sc.%s, 0), 'K', h.subject_code, h.disadvantage",
				      level, lvl ? "sc." : "", code, nm->c_pilot, nm->c_cohort);
		for (i = 0; i < SCHEMA_HIST_BINS && !rc; i++)
			rc = buf_printf(sql, ", SUM(h.h%zu)", i);
		rc = rc || buf_printf(sql, " FROM eq_hist h JOIN %s sc ON sc.%s = h.school_code WHERE %s GROUP BY ",
				      g->schools_ds->name, nm->c_code, where);
		if (!rc && lvl)
			rc = buf_printf(sql, "sc.%s, ", code);
		rc = rc || buf_printf(sql, "h.academic_year, h.term, h.instrument, sc.%s, coalesce(sc.%s, 0), "
					    "h.subject_code, h.disadvantage ON CONFLICT (level, code, academic_year, "
					    "term, instrument, pilot, cohort, domain, subject_code, disadvantage) "
					    "DO UPDATE SET ",
				      nm->c_pilot, nm->c_cohort);
		for (i = 0; i < SCHEMA_HIST_BINS && !rc; i++)
			rc = buf_printf(sql, "%sh%zu = excluded.h%zu", i ? ", " : "", i, i);
		if ((rc = exec_sql(st, sql, rc)))
			break;
	}
	return rc;
}

static int rebuild_sql(struct agg *g, struct store *st)
{
	const struct schema_dialect *d = st->ops->dialect;
	static const char *const tables[] = { "eq_cells", "eq_hist", "eq_rollup" };
	struct names nm;
	struct buf sql;
	size_t i;
	int rc = 0;

	names_of(g, &nm);
	buf_init(&sql, 1 << 20);
	for (i = 0; i < 3 && !rc; i++) {
		buf_reset(&sql);
		rc = exec_sql(st, &sql, buf_printf(&sql, "DELETE FROM %s", tables[i]));
	}
	if (!rc)
		rc = st->ops->exec(st, "DROP TABLE IF EXISTS nw_fine");
	/* nw_fine (levels counted; by grade and gender) and eq_hist (score bins counted) */
	for (i = 0; i < 2 && !rc; i++) {
		static const char *const head[] = {
			"CREATE TEMP TABLE nw_fine AS SELECT school_code, academic_year, term, instrument, domain, "
			"subject_code, disadvantage, grade_code, gender, COUNT(*) AS n, SUM(v) AS s1, SUM(v * v) AS s2",
			"INSERT INTO eq_hist SELECT school_code, academic_year, term, instrument, subject_code, "
			"disadvantage, COUNT(*)" };
		static const char *const count[] = { ", SUM(CASE WHEN domain <> 'K' AND v = %zu THEN 1 ELSE 0 END) AS l%zu",
						     ", SUM(CASE WHEN v / 100 = %zu THEN 1 ELSE 0 END)" };
		static const char *const tail[] = {
			" GROUP BY school_code, academic_year, term, instrument, domain, subject_code, disadvantage, "
			"grade_code, gender",
			" WHERE domain = 'K' GROUP BY school_code, academic_year, term, instrument, subject_code, "
			"disadvantage" };
		size_t k, nk = i ? SCHEMA_HIST_BINS : SCHEMA_LEVELS;

		buf_reset(&sql);
		rc = buf_puts(&sql, head[i]);
		for (k = 0; k < nk && !rc; k++)
			rc = buf_printf(&sql, count[i], k, k);
		rc = rc || buf_puts(&sql, " FROM ") || facts_sql(d, g, &nm, &sql) || buf_puts(&sql, tail[i]);
		rc = exec_sql(st, &sql, rc);
	}
	if (!rc)
		rc = pack_fine(st);
	if (!rc)
		rc = st->ops->exec(st, "DROP TABLE nw_fine");
	/* the students: per domain, and with any result */
	for (i = 0; i < 2 && !rc; i++) {
		buf_reset(&sql);
		rc = buf_printf(&sql, "INSERT INTO eq_cells (school_code, academic_year, term, instrument, domain, "
				      "subject_code, disadvantage, n) SELECT school_code, academic_year, term, instrument, "
				      "%s, '*', disadvantage, COUNT(DISTINCT cid) FROM ",
				i ? "'*'" : "domain") ||
		     facts_sql(d, g, &nm, &sql) ||
		     buf_printf(&sql, " GROUP BY school_code, academic_year, term, instrument%s, disadvantage",
				i ? "" : ", domain");
		rc = exec_sql(st, &sql, rc);
	}
	if (!rc)
		rc = rollup_sql(g, st, &nm, &sql);
	buf_release(&sql);
	return rc;
}

/* A deferred rollup from one table: the school rows of eq_cells (or, with
 * hist, of eq_hist) read in one pass, summed in memory by rollup key at
 * every level (national, area, province), added to eq_rollup as the keys
 * fill up. */
static int rollup_table(struct agg *g, struct store *st, const struct names *nm, int hist)
{
	struct amap *m = hist ? &g->rollh : &g->roll;
	size_t nv = hist ? SCHEMA_HIST_BINS : NCELL, i, j, nk;
	struct store_stmt *q = NULL;
	struct buf sql;
	int rc = 0, step;

	buf_init(&sql, 1 << 16);
	rc = buf_printf(&sql, "SELECT sc.%s, sc.%s, sc.%s, sc.%s, t.academic_year, t.term, t.instrument, %s, "
			      "t.subject_code, t.disadvantage",
			nm->c_area, nm->c_province, nm->c_pilot, nm->c_cohort, hist ? "'K'" : "t.domain");
	for (i = 0; i < nv && !rc; i++)
		rc = hist ? buf_printf(&sql, ", t.h%zu", i) : buf_printf(&sql, ", t.%s", schema_eq_cells.val[i]);
	rc = rc || buf_printf(&sql, " FROM %s t JOIN %s sc ON sc.%s = t.school_code", hist ? "eq_hist" : "eq_cells",
			      g->schools_ds->name, nm->c_code);
	if (rc) {
		buf_release(&sql);
		return err_generic(&st->err, NAWAT_ENOMEM);
	}
	rc = store_prepare(st, buf_str(&sql), &q);
	buf_release(&sql);
	while (!rc && (step = store_step(q)) == 1) {
		struct val_value f[4];
		struct school_attrs sa;
		struct kroll k[3];
		int64_t v[SCHEMA_HIST_BINS > NCELL ? SCHEMA_HIST_BINS : NCELL];
		size_t n;

		memset(f, 0, sizeof f);
		for (j = 0; j < 3; j++)
			if ((f[j].s = store_col_text(q, (int)j, &n)))
				f[j].state = VAL_SET, f[j].n = n;
		if (!store_col_null(q, 3))
			f[3].state = VAL_SET, f[3].i = store_col_int(q, 3);
		school_attrs_of(f, &sa);
		nk = roll_keys(&sa, k, (int32_t)store_col_int(q, 4), (int32_t)store_col_int(q, 5),
			       store_col_text(q, 6, NULL), store_col_text(q, 7, NULL), store_col_text(q, 8, NULL),
			       (int32_t)store_col_int(q, 9));
		/* each value read once, added at every level */
		for (i = 0; nk && i < nv; i++)
			v[i] = store_col_int(q, (int)(10 + i));
		for (j = 0; j < nk && !rc; j++) {
			int64_t *r;

			if (!(r = amap_get(m, &k[j]))) {
				rc = err_generic(&st->err, NAWAT_ENOMEM);
				break;
			}
			for (i = 0; i < nv; i++)
				r[i] += v[i];
		}
		/* written out (added to eq_rollup) as the sums fill up: a file
		 * of every term and instrument has many keys a level */
		if (!rc && m->n >= (hist ? ROLL_HIST_BOUND : FLUSH_ROLL))
			rc = journal_roll(g, st);
	}
	if (!rc && step < 0)
		rc = step;
	store_finalize(q);
	if (!rc)
		rc = journal_roll(g, st);
	amap_free(&g->roll);
	amap_free(&g->rollh);
	return rc;
}

/* A deferred rollup (struct agg.defer) at commit: eq_rollup made again
 * from eq_cells and eq_hist, which hold every sum of the transaction by
 * now, one table at a time (at most FLUSH_ROLL or ROLL_HIST_BOUND keys in
 * memory, added to eq_rollup as they fill up); the memory of the load is
 * given back first. */
static int rollup_again(struct agg *g, struct store *st)
{
	struct names nm;
	int rc, hist;

	free_sums(g);
	/* (journal rows of school moves before the load are in eq_cells too) */
	if ((g->journal && (rc = st->ops->exec(st, "DELETE FROM eq_journal"))) ||
	    (rc = st->ops->exec(st, "DELETE FROM eq_rollup")))
		return rc;
	g->journal = 0;
	g->defer = 0; /* (journal_roll writes from here on) */
	names_of(g, &nm);
	for (hist = 0, rc = 0; hist < 2 && !rc; hist++)
		rc = rollup_table(g, st, &nm, hist);
	return rc;
}

/* The observer's state in a transaction of its own; NULL with *rc set when
 * the package has no learner data sets. */
static struct agg *begin_own(struct store *st, int *rc)
{
	struct agg *g = state(st, rc);

	if (!g)
		return NULL;
	if (!g->ok) {
		*rc = err_msg(&st->err, NAWAT_EINVAL, "มาตรฐานข้อมูลไม่มีชุดข้อมูลผลลัพธ์ผู้เรียน",
			      "the standard has no outcomes, students and schools data sets");
		return NULL;
	}
	return (*rc = store_begin(st)) ? NULL : g;
}

int agg_rebuild(struct store *st)
{
	int rc;
	struct agg *g = begin_own(st, &rc);

	if (!g)
		return rc;
	if ((rc = rebuild_sql(g, st)) || (rc = store_meta_set(st, META_BUILT, "1")) || (rc = store_commit(st)))
		store_rollback(st);
	return rc;
}

static int obs_migrated(struct store *st)
{
	char have[8];
	int rc;
	struct agg *g = state(st, &rc);

	if (!g)
		return rc;
	if (!g->ok || store_meta_get(st, META_BUILT, have, sizeof have) == 0)
		return 0;
	/* a store made before the aggregates: fill them once, from its rows */
	return (rc = rebuild_sql(g, st)) ? rc : store_meta_set(st, META_BUILT, "1");
}

/* Prints the first rows of `a EXCEPT b`; returns how many there are. */
static int64_t diff_rows(struct store *st, const char *a, const char *b, const char *label, size_t ncols, FILE *fp,
			 int *rc)
{
	struct store_stmt *q;
	char sql[256];
	int64_t n = 0;
	size_t c;
	int step;

	snprintf(sql, sizeof sql, "SELECT * FROM (SELECT * FROM %s EXCEPT SELECT * FROM %s) d", a, b);
	if ((*rc = store_prepare(st, sql, &q)))
		return 0;
	while ((step = store_step(q)) == 1) {
		if (fp && n < 5) {
			fprintf(fp, "%s:", label);
			for (c = 0; c < ncols; c++) {
				const char *t = store_col_text(q, (int)c, NULL);

				fprintf(fp, "%s%s", c ? "," : " ", t ? t : "");
			}
			fputc('\n', fp);
		}
		n++;
	}
	if (step < 0)
		*rc = step;
	store_finalize(q);
	return n;
}

int agg_check(struct store *st, int64_t *differences, FILE *fp)
{
	static const struct schema_sums *const t[] = { &schema_eq_cells, &schema_eq_hist, &schema_eq_rollup };
	char sql[256], kept[64], label[96];
	size_t i;
	int rc;
	struct agg *g;

	*differences = 0;
	if (!(g = begin_own(st, &rc)))
		return rc;
	/* keep a copy of what the writes made, recompute, compare, undo */
	for (i = 0; i < 3 && !rc; i++) {
		snprintf(sql, sizeof sql, "CREATE TEMP TABLE nw_kept_%s AS SELECT * FROM %s", t[i]->name, t[i]->name);
		rc = st->ops->exec(st, sql);
	}
	if (!rc)
		rc = rebuild_sql(g, st);
	for (i = 0; i < 3 && !rc; i++) {
		snprintf(kept, sizeof kept, "nw_kept_%s", t[i]->name);
		snprintf(label, sizeof label, "%s: kept, not recomputed", t[i]->name);
		*differences += diff_rows(st, kept, t[i]->name, label, t[i]->nkey + t[i]->nval + !!t[i]->text, fp, &rc);
		snprintf(label, sizeof label, "%s: recomputed, not kept", t[i]->name);
		if (!rc)
			*differences += diff_rows(st, t[i]->name, kept, label, t[i]->nkey + t[i]->nval + !!t[i]->text, fp,
						  &rc);
	}
	store_rollback(st);
	return rc;
}

/* The import's reference check of outcomes looks their students up: it
 * fetches the grade, gender and disadvantage the sums are grouped by too. */
static size_t obs_ref_fields(struct store *st, const struct std_dataset *ds, const struct std_fk *fk, int *fields,
			     size_t max)
{
	struct agg *g;
	int rc;

	if (!(g = state(st, &rc)) || !g->ok || ds != g->outcomes || fk->target != g->students || fk->n != 2 ||
	    fk->fields[0] != g->o_cid || fk->fields[1] != g->o_year || max < 3)
		return 0;
	memcpy(fields, g->stu_fetch, sizeof g->stu_fetch);
	return 3;
}

const struct store_observer agg_observer = {
	.before = obs_before,
	.after = obs_after,
	.touch = obs_touch,
	.flush = obs_flush,
	.discard = discard,
	.migrated = obs_migrated,
	.close = obs_close,
	.ref_fields = obs_ref_fields,
};

/* The completeness view's results per school (cpl_counter): the sums of
 * eq_cells, which count every result (a score for knowledge, a level
 * otherwise: the standard requires them) by its school, year and term,
 * instead of counting the rows of outcomes. */
static int count_results(struct store *st, const char *dataset, const struct store_scope *sc, const char *area,
			 const char *school, int64_t year, int term,
			 int (*add)(void *ctx, const char *school, int64_t n), void *ctx)
{
	const struct std_dataset *schools = std_dataset(st->pkg, "schools");
	const char *in_area = sc->kind == SCOPE_AREA ? sc->code : area;
	const char *only = sc->kind == SCOPE_SCHOOL ? sc->code : school;
	struct store_stmt *q = NULL;
	struct buf sql;
	int rc, p = 0;

	if (strcmp(dataset, "outcomes") || sc->kind == SCOPE_NONE ||
	    (in_area && (!schools || std_field_index(schools, "area_code", 9) < 0)))
		return 0;
	buf_init(&sql, 4096);
	rc = buf_puts(&sql, "SELECT c.school_code, sum(c.n) FROM eq_cells c") ||
	     (in_area && buf_puts(&sql, " JOIN schools s ON s.school_code = c.school_code")) ||
	     buf_puts(&sql, " WHERE c.academic_year = ? AND c.term = ? AND c.subject_code <> '*'") ||
	     (in_area && buf_puts(&sql, " AND s.area_code = ?")) || (only && buf_puts(&sql, " AND c.school_code = ?")) ||
	     buf_puts(&sql, " GROUP BY c.school_code");
	rc = rc ? err_generic(&st->err, NAWAT_ENOMEM) : store_prepare(st, buf_str(&sql), &q);
	buf_release(&sql);
	if (rc)
		return rc;
	rc = store_bind_int(q, ++p, year) || store_bind_int(q, ++p, term) ||
	     (in_area && store_bind_str(q, ++p, in_area)) || (only && store_bind_str(q, ++p, only));
	if (rc)
		rc = err_generic(&st->err, NAWAT_ENOMEM);
	while (!rc && (rc = store_step(q)) == 1)
		rc = add(ctx, store_col_text(q, 0, NULL), store_col_int(q, 1));
	store_finalize(q);
	return rc < 0 ? rc : 1;
}

void agg_register(void)
{
	store_set_observer(&agg_observer);
	cpl_set_counter(count_results);
}
