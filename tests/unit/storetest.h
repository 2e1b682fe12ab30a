/*
 * storetest.h - what the unit tests of the store and the import share: a
 * folder of their own, the standard and a key (unit_setup), stores (a
 * SQLite file, or with PG_DIR set a fresh PostgreSQL database), imports,
 * fingerprints of a data set's rows and valid citizen IDs.  Included once,
 * by a test's .c file, after cmocka.h.
 */
#ifndef NAWAT_TEST_STORETEST_H
#define NAWAT_TEST_STORETEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exchange/export.h"
#include "exchange/import.h"
#include "standard/pii.h"
#include "standard/std.h"
#include "store/store.h"

static char dir[256];
static struct std_package *pkg;
static struct pii_key *key;
static int nstore;

static inline const char *path_of(const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static inline void write_bytes(const char *name, const void *data, size_t n)
{
	FILE *fp = fopen(path_of(name), "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static inline void write_text(const char *name, const char *text)
{
	write_bytes(name, text, strlen(text));
}

/* The store under test: a SQLite file, or with PG_DIR set (a server from
 * tests/pg.sh) a fresh PostgreSQL database. */
static char urls[16][512];

/* Whether the stores under test are PostgreSQL's. */
static inline int on_pg(void)
{
	const char *pg = getenv("PG_DIR");

	return pg && *pg;
}

static inline const char *store_url(int n)
{
	const char *pg = getenv("PG_DIR");
	char cmd[1024];
	FILE *fp;

	if (urls[n][0])
		return urls[n];
	if (!on_pg()) {
		char name[64];

		snprintf(name, sizeof name, "t%d.db", n);
		snprintf(urls[n], sizeof urls[n], "%s", path_of(name));
		return urls[n];
	}
	snprintf(cmd, sizeof cmd, "tests/pg.sh createdb '%s' unit_%d_%d", pg, (int)getpid(), n);
	fp = popen(cmd, "r");
	if (!fp || !fgets(urls[n], sizeof urls[n], fp))
		fail_msg("cannot create a test database: %s", cmd);
	pclose(fp);
	urls[n][strcspn(urls[n], "\n")] = '\0';
	return urls[n];
}

static inline struct store *new_store(void)
{
	struct store *st;
	struct nw_err e;

	assert_true(nstore + 1 < 16);
	assert_int_equal(store_open(store_url(++nstore), pkg, 1, &st, &e), 0);
	assert_int_equal(store_migrate(st), 0);
	return st;
}

struct run {
	struct imp_result res;
	int rc;
	struct nw_err err;
};

/* Imports file into dataset (or, remove, deletes the rows of its keys). */
static inline void import_as(struct store *st, const char *dataset, const char *file, int accept_valid, int remove,
			     struct run *r)
{
	struct imp_opts o;
	struct imp_file f;

	memset(&o, 0, sizeof o);
	memset(&f, 0, sizeof f);
	o.accept_valid = accept_valid;
	o.remove = remove;
	o.user = "test";
	o.report_path = path_of("report.csv");
	o.rejected_dir = dir;
	f.path = path_of(file);
	f.name = file;
	f.ds = std_dataset(pkg, dataset);
	assert_int_equal(rec_format_of(file, &f.fmt), 0);
	assert_non_null(f.ds);
	err_clear(&r->err);
	r->rc = imp_run(st, key, &f, 1, &o, &r->res, &r->err);
}

static inline void import(struct store *st, const char *dataset, const char *file, int accept_valid, struct run *r)
{
	import_as(st, dataset, file, accept_valid, 0, r);
}

/* A first load from the command line, as `nawat import --dir`: the files
 * (n <= 4) of the data sets in one import, by a process that runs alone
 * on the store (a load bigger than the store is a bulk load). */
static inline void import_load(struct store *st, const char *const *datasets, const char *const *files, size_t n,
			       struct run *r)
{
	struct imp_opts o;
	struct imp_file f[4];
	size_t i;

	assert_true(n <= 4);
	memset(&o, 0, sizeof o);
	memset(f, 0, sizeof f);
	o.alone = 1;
	o.user = "test";
	o.report_path = path_of("report.csv");
	o.rejected_dir = dir;
	for (i = 0; i < n; i++) {
		f[i].name = files[i];
		f[i].path = path_of(files[i]);
		f[i].ds = std_dataset(pkg, datasets[i]);
		assert_non_null(f[i].ds);
		assert_int_equal(rec_format_of(files[i], &f[i].fmt), 0);
	}
	err_clear(&r->err);
	r->rc = imp_run(st, key, f, n, &o, &r->res, &r->err);
}

/* Every row of a data set as NDJSON with pseudonyms, or (feed) its change
 * feed from the start: a fingerprint of it. */
static inline char *snapshot_of(struct store *st, const char *dataset, int feed)
{
	struct exp_opts o;
	struct nw_err e;
	char *buf = NULL;
	size_t len = 0;
	int64_t n;
	FILE *fp = open_memstream(&buf, &len);

	memset(&o, 0, sizeof o);
	o.format = EXP_NDJSON;
	o.pseudonymise = 1;
	o.feed = feed;
	assert_int_equal(exp_run(st, key, std_dataset(pkg, dataset), &o, fp, &n, &e), 0);
	fclose(fp);
	return buf;
}

static inline char *snapshot(struct store *st, const char *dataset)
{
	return snapshot_of(st, dataset, 0);
}

/* The v-th valid citizen ID of the tests (with its check digit). */
static inline void student_id(int v, char id[14])
{
	int k, sum;

	snprintf(id, 14, "11017%07d", v % 10000000);
	for (k = 0, sum = 0; k < 12; k++)
		sum += (id[k] - '0') * (13 - k);
	id[12] = (char)('0' + (11 - sum % 11) % 10);
	id[13] = '\0';
}

/* The tests' folder /tmp/nawat-test-NAME-XXXXXX, the standard and a key. */
static inline int unit_setup(const char *name)
{
	struct nw_err e;
	char kp[300];

	snprintf(dir, sizeof dir, "/tmp/nawat-test-%s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	if (pii_init(&e) || std_load_embedded(&pkg, &e))
		return -1;
	snprintf(kp, sizeof kp, "%s/k.key", dir);
	if (pii_key_create(kp, &e) || pii_key_load(kp, &key, &e))
		return -1;
	return 0;
}

static inline int unit_teardown(void)
{
	char cmd[300];

	pii_key_free(key);
	std_free(pkg);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
