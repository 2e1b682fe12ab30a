/* samechild.c - "may be the same child" (see samechild.h). */
#include "samechild.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "../base/hash.h"
#include "../base/mem.h"

/* Counts kept in memory at most; past it they are dropped and read again. */
#define SAME_MAX_ENTRIES (1u << 16)

/* Students of one (birth date, gender, grade): how many of each kind. */
struct attr {
	uint64_t h;               /* 0: empty slot */
	uint32_t n[3];            /* by kind: [SAME_ID], [SAME_GCODE] */
};

/* The students of one school and year. */
struct group {
	char *school;
	size_t nschool;
	int64_t year;
	struct attr *t;           /* open addressing, cap slots */
	size_t cap, n;
	int loaded;               /* 0: the store has rows of it, not read yet */
};

struct same {
	struct store *st;
	const struct pii_key *key;
	const struct std_dataset *ds;
	int f_id, f_school, f_year, f_birth, f_gender, f_grade;
	struct group *g;
	size_t ng, capg;
	int *gslot;               /* open addressing over g, -1 empty */
	size_t ngslot;
	int last;                 /* the group found last (rows of a school come together), -1 */
	size_t entries;
	struct val_value *vals;   /* a scanned row */
	/* the hashes of the IDs a chunk inserted (open addressing, NULL empty) */
	const unsigned char **mine;
	size_t nmine;
};

static uint64_t attr_hash(const char *birth, size_t nb, const char *gender, size_t ng, const char *grade, size_t nr)
{
	uint64_t h = nw_hash_mix(nw_hash_mix(nw_hash_mix(NW_HASH_INIT, birth, nb), gender, ng), grade, nr);

	return h ? h : 1; /* 0 marks an empty slot */
}

static uint64_t group_hash(const char *school, size_t n, int64_t year)
{
	return nw_hash_mix(nw_hash_mix(NW_HASH_INIT, school, n), &year, sizeof year);
}

int same_kind(const char *s, size_t n)
{
	return !n ? SAME_NONE : s[0] == 'G' ? SAME_GCODE : SAME_ID;
}

int same_id_field(const struct same *s)
{
	return s->f_id;
}

struct same *same_open(struct store *st, const struct pii_key *key, const struct std_dataset *ds, int *rc)
{
	static const char *names[6] = { "citizen_id", "school_code", "academic_year", "birth_date", "gender", "grade_code" };
	int f[6], i;
	struct same *s;

	*rc = 0;
	for (i = 0; i < 6; i++)
		if ((f[i] = std_field_index(ds, names[i], strlen(names[i]))) < 0)
			return NULL;
	if (!ds->fields[f[0]].pii || !ds->fields[f[0]].pii_seal || ds->fields[f[2]].type != STD_INTEGER)
		return NULL;
	if (!(s = nw_calloc(1, sizeof *s))) {
		*rc = NAWAT_ENOMEM;
		return NULL;
	}
	s->st = st;
	s->key = key;
	s->ds = ds;
	s->f_id = f[0];
	s->f_school = f[1];
	s->f_year = f[2];
	s->f_birth = f[3];
	s->f_gender = f[4];
	s->f_grade = f[5];
	s->last = -1;
	if (!(s->vals = nw_calloc(ds->nfields, sizeof *s->vals))) {
		*rc = err_generic(&st->err, NAWAT_ENOMEM);
		same_close(s);
		return NULL;
	}
	return s;
}

static void drop_groups(struct same *s)
{
	size_t i;

	for (i = 0; i < s->ng; i++) {
		nw_free(s->g[i].school);
		nw_free(s->g[i].t);
	}
	s->ng = 0;
	s->entries = 0;
	s->last = -1;
	for (i = 0; i < s->ngslot; i++)
		s->gslot[i] = -1;
}

void same_close(struct same *s)
{
	if (!s)
		return;
	drop_groups(s);
	nw_free(s->g);
	nw_free(s->gslot);
	nw_free(s->mine);
	nw_free(s->vals);
	nw_free(s);
}

/* The group of (school, year), or NULL. */
static struct group *find_group(struct same *s, const char *school, size_t n, int64_t year)
{
	struct group *g;
	size_t pos;

	if (s->last >= 0) {
		g = &s->g[s->last];
		if (g->year == year && g->nschool == n && !memcmp(g->school, school, n))
			return g;
	}
	if (!s->ngslot)
		return NULL;
	for (pos = group_hash(school, n, year) % s->ngslot; s->gslot[pos] >= 0; pos = (pos + 1) % s->ngslot) {
		g = &s->g[s->gslot[pos]];
		if (g->year == year && g->nschool == n && !memcmp(g->school, school, n)) {
			s->last = s->gslot[pos];
			return g;
		}
	}
	return NULL;
}

static struct group *add_group(struct same *s, const char *school, size_t n, int64_t year)
{
	size_t pos, i;
	struct group *g;

	if (s->ng == s->capg) {
		size_t cap = s->capg ? s->capg * 2 : 64, nslot = cap * 2;
		struct group *ng = nw_realloc(s->g, cap * sizeof *ng);
		int *slot = nw_malloc(nslot * sizeof *slot);

		if (ng)
			s->g = ng;
		if (!ng || !slot) {
			nw_free(slot);
			return NULL;
		}
		for (i = 0; i < nslot; i++)
			slot[i] = -1;
		for (i = 0; i < s->ng; i++) {
			for (pos = group_hash(s->g[i].school, s->g[i].nschool, s->g[i].year) % nslot; slot[pos] >= 0;
			     pos = (pos + 1) % nslot)
				;
			slot[pos] = (int)i;
		}
		nw_free(s->gslot);
		s->gslot = slot;
		s->ngslot = nslot;
		s->capg = cap;
	}
	g = &s->g[s->ng];
	memset(g, 0, sizeof *g);
	if (!(g->school = nw_strndup(school, n)))
		return NULL;
	g->nschool = n;
	g->year = year;
	for (pos = group_hash(school, n, year) % s->ngslot; s->gslot[pos] >= 0; pos = (pos + 1) % s->ngslot)
		;
	s->gslot[pos] = (int)s->ng++;
	return g;
}

/* The counts of one (birth date, gender, grade) in a group, made if new. */
static struct attr *slot_of(struct same *s, struct group *g, uint64_t h)
{
	size_t pos, i;

	if ((g->n + 1) * 2 > g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		struct attr *t = nw_calloc(cap, sizeof *t);

		if (!t)
			return NULL;
		for (i = 0; i < g->cap; i++) {
			if (!g->t[i].h)
				continue;
			for (pos = g->t[i].h % cap; t[pos].h; pos = (pos + 1) % cap)
				;
			t[pos] = g->t[i];
		}
		nw_free(g->t);
		g->t = t;
		g->cap = cap;
	}
	for (pos = h % g->cap; g->t[pos].h && g->t[pos].h != h; pos = (pos + 1) % g->cap)
		;
	if (!g->t[pos].h) {
		g->t[pos].h = h;
		g->n++;
		s->entries++;
	}
	return &g->t[pos];
}

/* A scan of the students of one school and year (the index
 * students_school_year), at most limit rows (0: all). */
static int scan_group(struct same *s, const struct group *g, int64_t limit, struct store_scan **sc)
{
	struct store_filter f[2];
	struct store_query q;

	memset(&q, 0, sizeof q);
	memset(f, 0, sizeof f);
	f[0].field = s->f_school;
	f[0].value.state = VAL_SET;
	f[0].value.s = g->school;
	f[0].value.n = g->nschool;
	f[1].field = s->f_year;
	f[1].value.state = VAL_SET;
	f[1].value.i = g->year;
	q.filters = f;
	q.nfilters = 2;
	q.limit = limit;
	return store_scan_open(s->st, s->ds, &q, sc);
}

static uint64_t id_slot(const unsigned char *h)
{
	uint64_t v;

	memcpy(&v, h, sizeof v); /* a keyed hash: its bytes are already spread */
	return v;
}

static int is_mine(const struct same *s, const unsigned char *h)
{
	size_t pos;

	if (!s->nmine)
		return 0;
	for (pos = id_slot(h) % s->nmine; s->mine[pos]; pos = (pos + 1) % s->nmine)
		if (!memcmp(s->mine[pos], h, PII_HASH_LEN))
			return 1;
	return 0;
}

/* Reads the stored students of group g, but for the chunk's own new rows:
 * those are counted in order by same_check. */
static int load_group(struct same *s, struct group *g)
{
	const struct val_value *id = &s->vals[s->f_id], *b = &s->vals[s->f_birth];
	const struct val_value *gd = &s->vals[s->f_gender], *gr = &s->vals[s->f_grade];
	unsigned char hash[PII_HASH_LEN];
	char clear[PII_MAX_CLEAR + 1];
	struct store_scan *sc = NULL;
	struct attr *a;
	size_t cn;
	int rc;

	g->loaded = 1;
	if ((rc = scan_group(s, g, 0, &sc)))
		return rc;
	while ((rc = store_scan_next(sc, s->vals)) == 1) {
		/* the kind of ID from its sealed copy (the hash cannot tell) */
		if (id->state != VAL_SET || id->n != PII_HASH_LEN || id->blob_n <= PII_SEAL_OVERHEAD ||
		    id->blob_n > PII_SEALED_MAX || b->state != VAL_SET || gd->state != VAL_SET || gr->state != VAL_SET)
			continue;
		memcpy(hash, id->s, PII_HASH_LEN);
		if (is_mine(s, hash) || pii_open(s->key, id->blob, id->blob_n, hash, clear, &cn))
			continue;
		if (!(a = slot_of(s, g, attr_hash(b->s, b->n, gd->s, gd->n, gr->s, gr->n)))) {
			rc = err_generic(&s->st->err, NAWAT_ENOMEM);
			break;
		}
		a->n[same_kind(clear, cn)]++;
	}
	sodium_memzero(clear, sizeof clear);
	store_scan_close(sc);
	return rc < 0 ? rc : 0;
}

int same_before(struct same *s, const struct store_row *rows, size_t n)
{
	struct group *g;
	size_t i;
	int rc;

	/* past the cap, forget everything: what is needed is read again */
	if (s->entries > SAME_MAX_ENTRIES)
		drop_groups(s);
	/* a school and year the store has no students of needs no reading:
	 * a bulk import into an empty store reads nothing */
	for (i = 0; i < n; i++) {
		const struct val_value *sc = &rows[i].vals[s->f_school], *y = &rows[i].vals[s->f_year];

		if (sc->state != VAL_SET || y->state != VAL_SET || find_group(s, sc->s, sc->n, y->i))
			continue;
		struct store_scan *probe = NULL;

		if (!(g = add_group(s, sc->s, sc->n, y->i)))
			return err_generic(&s->st->err, NAWAT_ENOMEM);
		if ((rc = scan_group(s, g, 1, &probe)) == 0)
			rc = store_scan_next(probe, s->vals);
		store_scan_close(probe);
		if (rc < 0)
			return rc;
		g->loaded = rc == 0;
	}
	return 0;
}

int same_after(struct same *s, const struct store_row *rows, size_t n)
{
	size_t i, pos, want = 2 * n + 1;
	struct group *g;
	int rc;

	if (s->nmine < want) {
		const unsigned char **m = nw_realloc(s->mine, want * sizeof *m);

		if (!m)
			return err_generic(&s->st->err, NAWAT_ENOMEM);
		s->mine = m;
		s->nmine = want;
	}
	for (i = 0; i < s->nmine; i++)
		s->mine[i] = NULL;
	for (i = 0; i < n; i++) {
		const struct val_value *id = &rows[i].vals[s->f_id];

		if (rows[i].result != STORE_INSERTED || id->state != VAL_SET || id->n != PII_HASH_LEN)
			continue;
		for (pos = id_slot((const unsigned char *)id->s) % s->nmine; s->mine[pos]; pos = (pos + 1) % s->nmine)
			;
		s->mine[pos] = (const unsigned char *)id->s;
	}
	/* the schools and years new rows went to, that held students before */
	for (i = 0; i < n; i++) {
		const struct val_value *sc = &rows[i].vals[s->f_school], *y = &rows[i].vals[s->f_year];

		if (rows[i].result != STORE_INSERTED || sc->state != VAL_SET || y->state != VAL_SET ||
		    !(g = find_group(s, sc->s, sc->n, y->i)) || g->loaded)
			continue;
		if ((rc = load_group(s, g)))
			return rc;
	}
	return 0;
}

int same_check(struct same *s, const struct val_value *vals, int kind)
{
	const struct val_value *sc = &vals[s->f_school], *y = &vals[s->f_year], *b = &vals[s->f_birth];
	const struct val_value *gd = &vals[s->f_gender], *gr = &vals[s->f_grade];
	struct group *g;
	struct attr *a;
	int other;

	if (kind == SAME_NONE || sc->state != VAL_SET || y->state != VAL_SET || b->state != VAL_SET ||
	    gd->state != VAL_SET || gr->state != VAL_SET)
		return 0;
	g = find_group(s, sc->s, sc->n, y->i);
	if (!g) {
		/* (same_before saw every school and year; this is for safety) */
		if (!(g = add_group(s, sc->s, sc->n, y->i)))
			return err_generic(&s->st->err, NAWAT_ENOMEM);
		g->loaded = 1;
	}
	if (!(a = slot_of(s, g, attr_hash(b->s, b->n, gd->s, gd->n, gr->s, gr->n))))
		return err_generic(&s->st->err, NAWAT_ENOMEM);
	other = a->n[kind == SAME_ID ? SAME_GCODE : SAME_ID] > 0;
	a->n[kind]++;
	return other;
}
