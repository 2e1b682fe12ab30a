/* import.c - fuzz target: the whole import pipeline (reader, validation,
 * references, the SQLite writer, the report) into a temporary store that
 * holds the conformance base (tests/fuzz/base: areas, schools, students,
 * outcomes), copied afresh for every input.
 *
 * First byte: bits 0-3 = the data set (its index in the package, modulo
 * their number); bits 4-5 = the format: CSV, JSON/NDJSON, XLSX made from
 * parts (fz_xlsx_build), an XLSX file as it is; bit 6 = accept valid rows;
 * bit 7 = a deletion (import --delete) rather than an import.  The rest is
 * the file.
 *
 * What must hold: a batch that is refused (errors without accept_valid, or
 * a failure) leaves the data set as it was; a failure carries a Thai and an
 * English message; the report is valid UTF-8. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exchange/export.h"
#include "exchange/import.h"
#include "fuzz.h"
#include "standard/pii.h"
#include "standard/std.h"
#include "store/store.h"

#ifndef FUZZ_BASE
#define FUZZ_BASE "tests/fuzz/base"
#endif

static struct std_package *pkg;
static struct pii_key *key;
static char dir[64], db[128];
static char *image;  /* the template store's bytes */
static size_t image_len;
static pid_t owner;  /* the replay runs each input in a child: it keeps dir */

static void cleanup(void)
{
	char cmd[128];

	if (getpid() != owner)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove %s\n", dir);
}

static void load_image(const char *path)
{
	FILE *fp = fopen(path, "rb");
	long n;

	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) <= 0 || fseek(fp, 0, SEEK_SET))
		fz_fail("cannot read %s", path);
	image = malloc((size_t)n);
	if (!image || fread(image, 1, (size_t)n, fp) != (size_t)n)
		fz_fail("cannot read %s", path);
	image_len = (size_t)n;
	fclose(fp);
}

static void put_image(void)
{
	char side[160];
	int fd;

	snprintf(side, sizeof side, "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
	fd = open(db, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, image, image_len) != (ssize_t)image_len || close(fd))
		fz_fail("cannot write %s", db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const base[] = { "areas", "schools", "students", "outcomes" };
	struct imp_file files[4];
	struct imp_result res;
	struct imp_opts o;
	struct store *st;
	struct nw_err e;
	char kp[128], paths[4][256], tmpl[128];
	const char *bdir = getenv("FUZZ_BASE") ? getenv("FUZZ_BASE") : FUZZ_BASE;
	size_t i;

	(void)argc;
	(void)argv;
	/* tmpfs when there is one: the store syncs on every commit */
	snprintf(dir, sizeof dir, "%s/nawat-fuzz-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		fz_fail("cannot make a temporary directory");
	owner = getpid();
	atexit(cleanup);
	snprintf(kp, sizeof kp, "%s/k.key", dir);
	snprintf(tmpl, sizeof tmpl, "%s/template.db", dir);
	snprintf(db, sizeof db, "%s/work.db", dir);
	if (pii_init(&e) || std_load_embedded(&pkg, &e) || pii_key_create(kp, &e) || pii_key_load(kp, &key, &e))
		fz_fail("cannot set up: %s", e.en);
	if (store_open(tmpl, pkg, 1, &st, &e) || store_migrate(st))
		fz_fail("cannot make the store: %s", e.en);
	memset(&o, 0, sizeof o);
	memset(files, 0, sizeof files);
	o.user = "fuzz";
	for (i = 0; i < 4; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/%s.csv", bdir, base[i]);
		files[i].path = paths[i];
		files[i].name = base[i];
		files[i].ds = std_dataset(pkg, base[i]);
		files[i].fmt = REC_CSV;
	}
	if (imp_run(st, key, files, 4, &o, &res, &e) || !res.committed || res.total.errors)
		fz_fail("cannot import the base from %s: %s", bdir, e.en);
	imp_result_free(&res);
	store_close(st);
	load_image(tmpl);
	return 0;
}

/* The data set's rows as NDJSON (pseudonyms for personal data). */
static char *snapshot(struct store *st, const struct std_dataset *ds)
{
	struct exp_opts o;
	struct nw_err e;
	char *text = NULL;
	size_t len = 0;
	int64_t n;
	FILE *fp = open_memstream(&text, &len);

	if (!fp)
		fz_fail("open_memstream");
	memset(&o, 0, sizeof o);
	o.format = EXP_NDJSON;
	o.pseudonymise = 1;
	if (exp_run(st, key, ds, &o, fp, &n, &e))
		fz_fail("cannot export %s: %s", ds->name, e.en);
	fclose(fp);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imp_result res;
	struct imp_opts o;
	struct imp_file f;
	struct store *st;
	struct nw_err e;
	unsigned char *zip = NULL;
	const uint8_t *bytes;
	char *before, *after, *report = NULL;
	size_t len, rlen = 0;
	int rc, kind;

	if (!size)
		return 0;
	memset(&f, 0, sizeof f);
	f.ds = &pkg->datasets[(data[0] & 15) % pkg->ndatasets];
	kind = (data[0] >> 4) & 3;
	f.fmt = kind == 0 ? REC_CSV : kind == 1 ? REC_JSON : REC_XLSX;
	bytes = data + 1;
	len = size - 1;
	if (kind == 2) {
		zip = fz_xlsx_build(data + 1, size - 1, 0, &len);
		if (!zip)
			return 0;
		bytes = zip;
	}
	put_image();
	if (store_open(db, pkg, 0, &st, &e) || store_migrate(st))
		fz_fail("cannot open the store: %s", e.en);
	before = snapshot(st, f.ds);
	memset(&o, 0, sizeof o);
	o.user = "fuzz";
	o.accept_valid = !!(data[0] & 0x40);
	o.remove = !!(data[0] & 0x80);
	o.no_rejected_file = 1;
	o.report_fp = open_memstream(&report, &rlen);
	f.fp = fz_stream(bytes, len);
	f.name = "fuzz";
	if (!f.fp || !o.report_fp)
		fz_fail("cannot open a stream");
	err_clear(&e);
	memset(&res, 0, sizeof res);
	rc = imp_run(st, key, &f, 1, &o, &res, &e);
	fclose(f.fp);
	fclose(o.report_fp);
	if (rc) {
		FZ_CHECK(rc < 0, "imp_run returned %d", rc);
		FZ_CHECK(e.th[0] && e.en[0], "a failed import (%d) without its two messages", rc);
	} else {
		FZ_CHECK(!(res.committed && res.rolled_back), "committed and rolled back");
		FZ_CHECK(res.total.rejected >= 0 && res.total.errors >= 0 && res.total.inserted >= 0,
			 "negative counts");
		FZ_CHECK(o.accept_valid || !res.total.errors || !res.committed,
			 "%lld errors and yet committed", (long long)res.total.errors);
	}
	FZ_CHECK(fz_utf8(e.th, strlen(e.th)) && fz_utf8(e.en, strlen(e.en)), "an error message that is not UTF-8");
	FZ_CHECK(fz_utf8(report, rlen), "the report is not UTF-8");
	after = snapshot(st, f.ds);
	if (rc || !res.committed)
		FZ_CHECK(!strcmp(before, after), "a refused batch (rc %d) changed %s", rc, f.ds->name);
	if (!rc)
		imp_result_free(&res);
	store_close(st);
	free(before);
	free(after);
	free(report);
	free(zip);
	return 0;
}
