/*
 * test_pii.c - unit tests of src/standard/pii: the key file (creation mode,
 * no overwrite, refused when readable by others or damaged), keyed hashes
 * (also after the memo of prefixes), sealed copies and pseudonyms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "standard/pii.h"

#define ID1 "1101700123456"
#define ID2 "3101500345672"

static char dir[64];
static char path1[128], path2[128], scratch[128];

static void setup_dir(void)
{
	struct nw_err err;

	if (dir[0])
		return;
	err_clear(&err);
	if (pii_init(&err) != 0)
		fail_msg("pii_init: %s", err.en);
	snprintf(dir, sizeof dir, "/tmp/nawat-test-pii-XXXXXX");
	if (!mkdtemp(dir))
		fail_msg("mkdtemp failed");
	snprintf(path1, sizeof path1, "%s/one.key", dir);
	snprintf(path2, sizeof path2, "%s/two.key", dir);
	snprintf(scratch, sizeof scratch, "%s/scratch.key", dir);
	if (pii_key_create(path1, &err) != 0 || pii_key_create(path2, &err) != 0)
		fail_msg("pii_key_create: %s", err.en);
}

static struct pii_key *load(const char *path)
{
	struct pii_key *k = NULL;
	struct nw_err err;
	int rc;

	setup_dir();
	err_clear(&err);
	rc = pii_key_load(path, &k, &err);
	if (rc != 0 || !k)
		fail_msg("pii_key_load(%s): %d %s", path, rc, err.en);
	return k;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd;
	size_t n = strlen(text);

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), n);
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static size_t read_file(const char *path, char *buf, size_t n)
{
	FILE *fp = fopen(path, "rb");
	size_t got;

	assert_non_null(fp);
	got = fread(buf, 1, n - 1, fp);
	buf[got] = '\0';
	fclose(fp);
	return got;
}

/* 1 when needle[0..m) occurs in hay[0..n). */
static int contains(const unsigned char *hay, size_t n, const char *needle, size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

/* ---- the key file ---- */

static void test_key_create_mode(void **state)
{
	struct stat st;

	(void)state;
	setup_dir();
	assert_int_equal(stat(path1, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(path2, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_key_create_no_overwrite(void **state)
{
	char before[256], after[256];
	struct nw_err err;

	(void)state;
	setup_dir();
	read_file(path1, before, sizeof before);
	err_clear(&err);
	assert_int_equal(pii_key_create(path1, &err), NAWAT_EEXIST);
	assert_int_equal(err.code, NAWAT_EEXIST);
	assert_true(err.th[0] && err.en[0]);
	read_file(path1, after, sizeof after);
	assert_string_equal(before, after);
	/* and it still loads */
	pii_key_free(load(path1));
}

static void test_key_create_bad_dir(void **state)
{
	char path[160];
	struct nw_err err;

	(void)state;
	setup_dir();
	snprintf(path, sizeof path, "%s/no/such/dir.key", dir);
	err_clear(&err);
	assert_int_equal(pii_key_create(path, &err), NAWAT_EIO);
}

static void test_key_load_mode(void **state)
{
	static const mode_t refused[] = { 0644, 0640, 0604, 0660, 0606, 0666 };
	struct pii_key *k;
	struct nw_err err;
	size_t i;

	(void)state;
	setup_dir();
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(chmod(path1, refused[i]), 0);
		k = (struct pii_key *)&k;
		err_clear(&err);
		if (pii_key_load(path1, &k, &err) != NAWAT_ECRYPTO)
			fail_msg("a key file with mode %o was accepted", (unsigned)refused[i]);
		assert_null(k);
		assert_int_equal(err.code, NAWAT_ECRYPTO);
		assert_non_null(strstr(err.en, "600"));
	}
	/* owner-only modes load */
	assert_int_equal(chmod(path1, 0400), 0);
	pii_key_free(load(path1));
	assert_int_equal(chmod(path1, 0600), 0);
	pii_key_free(load(path1));
}

static void test_key_load_damaged(void **state)
{
	static const char *bad[] = {
		"",
		"nawat-pii-key-v1\n",
		"nawat-pii-key-v1\n0011",
		"nawat-pii-key-v1\nzz00000000000000000000000000000000000000000000000000000000000000\n",
		"nawat-pii-key-v2\n0000000000000000000000000000000000000000000000000000000000000000\n",
		"0000000000000000000000000000000000000000000000000000000000000000\n",
		"nawat-pii-key-v1\n000000000000000000000000000000000000000000000000000000000000000000\n",
	};
	char good[256];
	struct pii_key *k;
	struct nw_err err;
	size_t i;

	(void)state;
	setup_dir();
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(scratch, bad[i], 0600);
		k = (struct pii_key *)&k;
		err_clear(&err);
		if (pii_key_load(scratch, &k, &err) != NAWAT_ECRYPTO)
			fail_msg("damaged key file %zu was accepted", i);
		assert_null(k);
		assert_true(err.th[0] && err.en[0]);
	}
	/* a copy of a good key file loads: the test above fails for the
	 * damage, not for the way the file was written */
	read_file(path1, good, sizeof good);
	write_file(scratch, good, 0600);
	pii_key_free(load(scratch));

	/* a missing file */
	unlink(scratch);
	k = (struct pii_key *)&k;
	assert_int_equal(pii_key_load(scratch, &k, &err), NAWAT_ECRYPTO);
	assert_null(k);
	pii_key_free(NULL);
}

static void test_key_fingerprint(void **state)
{
	struct pii_key *a = load(path1), *a2 = load(path1), *b = load(path2);
	char fa[33], fa2[33], fb[33];
	size_t i;

	(void)state;
	pii_key_fingerprint(a, fa);
	pii_key_fingerprint(a2, fa2);
	pii_key_fingerprint(b, fb);
	assert_int_equal(strlen(fa), 32);
	for (i = 0; i < 32; i++)
		assert_non_null(strchr("0123456789abcdef", fa[i]));
	assert_string_equal(fa, fa2);
	assert_string_not_equal(fa, fb);
	pii_key_free(a);
	pii_key_free(a2);
	pii_key_free(b);
}

/* ---- hashes, sealed copies, pseudonyms ---- */

static void test_hash(void **state)
{
	struct pii_key *a = load(path1), *a2 = load(path1), *b = load(path2);
	unsigned char h1[PII_HASH_LEN], h2[PII_HASH_LEN], h3[PII_HASH_LEN];
	static const unsigned char zero[PII_HASH_LEN];

	(void)state;
	pii_hash(a, ID1, strlen(ID1), h1);
	pii_hash(a, ID1, strlen(ID1), h2);
	assert_memory_equal(h1, h2, PII_HASH_LEN);
	assert_memory_not_equal(h1, zero, PII_HASH_LEN);
	/* the same key loaded again: the same hash (store keys survive restarts) */
	pii_hash(a2, ID1, strlen(ID1), h2);
	assert_memory_equal(h1, h2, PII_HASH_LEN);
	/* another key, another hash */
	pii_hash(b, ID1, strlen(ID1), h3);
	assert_memory_not_equal(h1, h3, PII_HASH_LEN);
	/* another ID, another hash */
	pii_hash(a, ID2, strlen(ID2), h3);
	assert_memory_not_equal(h1, h3, PII_HASH_LEN);
	/* only [0, n) counts */
	pii_hash(a, ID1 "999", strlen(ID1), h3);
	assert_memory_equal(h1, h3, PII_HASH_LEN);
	pii_key_free(a);
	pii_key_free(a2);
	pii_key_free(b);
}

/* pii_hash remembers the prefixes a thread hashed last (by their value
 * mod 64): each hash equals the one a thread that hashed nothing before
 * makes, whatever was hashed before it, with any key. */
struct fresh {
	const struct pii_key *k;
	const char *id;
	unsigned char h[PII_HASH_LEN];
};

static void *hash_fresh(void *arg)
{
	struct fresh *f = arg;

	pii_hash(f->k, f->id, strlen(f->id), f->h);
	return NULL;
}

static void expect_fresh(const struct pii_key *k, const char *id)
{
	struct fresh f = { k, id, { 0 } };
	unsigned char h[PII_HASH_LEN];
	pthread_t th;

	pii_hash(k, id, strlen(id), h);
	assert_int_equal(pthread_create(&th, NULL, hash_fresh, &f), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_memory_equal(h, f.h, PII_HASH_LEN);
}

static void test_hash_memo(void **state)
{
	struct pii_key *a = load(path1), *b = load(path2);
	/* 11017 and 11081 are 64 apart: the same place in the memo; the
	 * third differs in its fifth digit only; the short "110" has the
	 * place of 11054, which starts as it does */
	static const char *const ids[] = { "1101700123456", "1108100123456", "1101800123456", "1105400123456", "110",
					   ID2 };
	size_t i, j;

	(void)state;
	for (j = 0; j < 2; j++) /* one key at a time, twice */
		for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
			expect_fresh(j ? b : a, ids[i]);
	for (j = 0; j < 2; j++) /* each ID with one key then the other */
		for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
			expect_fresh(a, ids[i]);
			expect_fresh(b, ids[i]);
		}
	/* a key freed and another loaded (perhaps at the same address) */
	pii_key_free(b);
	b = load(path2);
	expect_fresh(b, ids[0]);
	pii_key_free(a);
	a = load(path1);
	expect_fresh(a, ids[0]);
	pii_key_free(a);
	pii_key_free(b);
}

static void test_seal_open(void **state)
{
	struct pii_key *a = load(path1), *a2 = load(path1), *b = load(path2);
	unsigned char h[PII_HASH_LEN], hb[PII_HASH_LEN], h2[PII_HASH_LEN];
	unsigned char s1[PII_SEALED_MAX], s2[PII_SEALED_MAX];
	char clear[PII_MAX_CLEAR + 1], big[PII_MAX_CLEAR + 2];
	size_t n1 = 0, n2 = 0, cn = 0;

	(void)state;
	pii_hash(a, ID1, strlen(ID1), h);
	assert_int_equal(pii_seal(a, ID1, strlen(ID1), h, s1, &n1), 0);
	assert_int_equal(n1, strlen(ID1) + PII_SEAL_OVERHEAD);
	assert_false(contains(s1, n1, ID1, strlen(ID1)));
	assert_false(contains(s1, n1, "1101700", 7));

	/* round trip */
	memset(clear, 'x', sizeof clear);
	assert_int_equal(pii_open(a, s1, n1, h, clear, &cn), 0);
	assert_int_equal(cn, strlen(ID1));
	assert_string_equal(clear, ID1);

	/* deterministic: the same ID and key seal to the same bytes, also
	 * with the key file loaded again */
	assert_int_equal(pii_seal(a2, ID1, strlen(ID1), h, s2, &n2), 0);
	assert_int_equal(n2, n1);
	assert_memory_equal(s1, s2, n1);

	/* the other key cannot open it, with either key's hash */
	pii_hash(b, ID1, strlen(ID1), hb);
	assert_int_equal(pii_open(b, s1, n1, h, clear, &cn), NAWAT_ECRYPTO);
	assert_int_equal(pii_open(b, s1, n1, hb, clear, &cn), NAWAT_ECRYPTO);
	/* and the other key seals differently */
	assert_int_equal(pii_seal(b, ID1, strlen(ID1), hb, s2, &n2), 0);
	assert_memory_not_equal(s1, s2, n1);

	/* a wrong hash (nonce), a flipped bit, a short or long input: refused */
	pii_hash(a, ID2, strlen(ID2), h2);
	assert_int_equal(pii_open(a, s1, n1, h2, clear, &cn), NAWAT_ECRYPTO);
	memcpy(s2, s1, n1);
	s2[3] ^= 1;
	assert_int_equal(pii_open(a, s2, n1, h, clear, &cn), NAWAT_ECRYPTO);
	assert_int_equal(pii_open(a, s1, n1 - 1, h, clear, &cn), NAWAT_ECRYPTO);
	assert_int_equal(pii_open(a, s1, PII_SEAL_OVERHEAD - 1, h, clear, &cn), NAWAT_ECRYPTO);

	/* another ID seals to other bytes */
	assert_int_equal(pii_seal(a, ID2, strlen(ID2), h2, s2, &n2), 0);
	assert_memory_not_equal(s1, s2, n1);
	assert_int_equal(pii_open(a, s2, n2, h2, clear, &cn), 0);
	assert_string_equal(clear, ID2);

	/* the G-code form and the size limit */
	pii_hash(a, "G000012345678", 13, h2);
	assert_int_equal(pii_seal(a, "G000012345678", 13, h2, s2, &n2), 0);
	assert_int_equal(pii_open(a, s2, n2, h2, clear, &cn), 0);
	assert_string_equal(clear, "G000012345678");
	memset(big, '1', sizeof big);
	assert_int_equal(pii_seal(a, big, PII_MAX_CLEAR + 1, h, s2, &n2), NAWAT_ELIMIT);

	pii_key_free(a);
	pii_key_free(a2);
	pii_key_free(b);
}

static void test_pseudonym(void **state)
{
	struct pii_key *a = load(path1), *a2 = load(path1), *b = load(path2);
	char p1[PII_PSEUDONYM_LEN + 1], p2[PII_PSEUDONYM_LEN + 1], p3[PII_PSEUDONYM_LEN + 1];
	unsigned char h[PII_HASH_LEN], h2[PII_HASH_LEN], hb[PII_HASH_LEN];
	size_t i;

	(void)state;
	pii_hash(a, ID1, strlen(ID1), h);
	pii_pseudonym(a, h, p1);
	assert_int_equal(strlen(p1), 17);
	assert_int_equal(PII_PSEUDONYM_LEN, 17);
	assert_int_equal(p1[0], 'P');
	for (i = 1; i < 17; i++)
		if (!strchr("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", p1[i]))
			fail_msg("pseudonym %s has '%c'", p1, p1[i]);
	assert_null(strstr(p1, ID1));
	assert_null(strstr(p1, "1101700"));

	/* deterministic, also across loads of the key file */
	pii_pseudonym(a, h, p2);
	assert_string_equal(p1, p2);
	pii_hash(a2, ID1, strlen(ID1), h2);
	pii_pseudonym(a2, h2, p2);
	assert_string_equal(p1, p2);

	/* differs between keys */
	pii_hash(b, ID1, strlen(ID1), hb);
	pii_pseudonym(b, hb, p3);
	assert_string_not_equal(p1, p3);
	pii_pseudonym(b, h, p3); /* even given the same hash */
	assert_string_not_equal(p1, p3);

	/* differs between IDs */
	pii_hash(a, ID2, strlen(ID2), h2);
	pii_pseudonym(a, h2, p3);
	assert_string_not_equal(p1, p3);

	pii_key_free(a);
	pii_key_free(a2);
	pii_key_free(b);
}

static void remove_dir(void)
{
	if (!dir[0])
		return;
	unlink(path1);
	unlink(path2);
	unlink(scratch);
	if (rmdir(dir) != 0)
		fprintf(stderr, "test_pii: could not remove %s\n", dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_create_mode),
		cmocka_unit_test(test_key_create_no_overwrite),
		cmocka_unit_test(test_key_create_bad_dir),
		cmocka_unit_test(test_key_load_mode),
		cmocka_unit_test(test_key_load_damaged),
		cmocka_unit_test(test_key_fingerprint),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_hash_memo),
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_pseudonym),
	};
	int rc;

	rc = cmocka_run_group_tests_name("pii", tests, NULL, NULL);
	remove_dir();
	return rc;
}
