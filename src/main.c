/*
 * main.c - the nawat command line.
 *
 *   nawat init | import | validate | export | standard | demo | version | help
 *
 * Exit status: 0 ok, 1 data rejected, 2 usage error, 3 store or internal
 * error; every failure is one line on stderr, Thai first, then English.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"
#include "domain/demo.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "standard/pii.h"
#include "standard/std.h"
#include "store/store.h"

#ifndef NAWAT_VERSION
#define NAWAT_VERSION "0.0.0"
#endif

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_STORE = 3 };

struct ctx {
	const char *db;
	const char *key_path;
	char key_buf[4096];
	struct std_package *pkg;
	struct store *st;
	struct pii_key *key;
};

static int fail(const struct nw_err *e)
{
	char line[2 * NW_ERR_MSG + 16];

	fprintf(stderr, "nawat: %s\n", err_line(e, line, sizeof line));
	switch (e->code) {
	case NAWAT_EINVAL:
		return EXIT_USAGE;
	case NAWAT_EDATA:
		return EXIT_DATA;
	default:
		return EXIT_STORE;
	}
}

static int usage_error(const char *th, const char *en)
{
	struct nw_err e;

	err_msg(&e, NAWAT_EINVAL, th, en);
	fail(&e);
	fprintf(stderr, "ดูวิธีใช้ / see usage: nawat help\n");
	return EXIT_USAGE;
}

/* The key file: --key, NAWAT_KEY, or the store's path with .key for .db. */
static const char *key_path_for(struct ctx *c)
{
	const char *dot;
	size_t n;

	if (c->key_path)
		return c->key_path;
	if (getenv("NAWAT_KEY") && *getenv("NAWAT_KEY"))
		return getenv("NAWAT_KEY");
	if (strstr(c->db, "://"))
		return "nawat.key";
	dot = strrchr(c->db, '.');
	n = dot && !strchr(dot, '/') ? (size_t)(dot - c->db) : strlen(c->db);
	snprintf(c->key_buf, sizeof c->key_buf, "%.*s.key", (int)n, c->db);
	return c->key_buf;
}

static int load_pkg(struct ctx *c, struct nw_err *e)
{
	int rc;

	if (c->pkg)
		return 0;
	if ((rc = pii_init(e)))
		return rc;
	return std_load_embedded(&c->pkg, e);
}

/* Opens the store (migrating it) and its key; checks they belong together. */
static int open_store(struct ctx *c, int create, struct nw_err *e)
{
	char have[64], fp[33];
	int rc;

	if ((rc = load_pkg(c, e)))
		return rc;
	if ((rc = store_open(c->db, c->pkg, create, &c->st, e)))
		return rc;
	if ((rc = store_migrate(c->st))) {
		*e = c->st->err;
		return rc;
	}
	if (create)
		return 0;
	if ((rc = pii_key_load(key_path_for(c), &c->key, e)))
		return rc;
	pii_key_fingerprint(c->key, fp);
	rc = store_meta_get(c->st, "key_fingerprint", have, sizeof have);
	if (rc == NAWAT_ENOTFOUND)
		return err_msg(e, NAWAT_ECRYPTO, "ฐานข้อมูลนี้ยังไม่ได้ผูกกับไฟล์กุญแจ (เรียก nawat init)",
			       "this store has no personal-data key yet (run nawat init)");
	if (rc) {
		*e = c->st->err;
		return rc;
	}
	if (strcmp(have, fp))
		return err_set(e, NAWAT_ECRYPTO,
			       "ไฟล์กุญแจ %s ไม่ใช่กุญแจของฐานข้อมูลนี้",
			       "key file %s does not belong to this store", key_path_for(c));
	return 0;
}

static void close_ctx(struct ctx *c)
{
	store_close(c->st);
	pii_key_free(c->key);
	std_free(c->pkg);
	c->st = NULL;
	c->key = NULL;
	c->pkg = NULL;
}

/* ---- init ---- */

static int do_init(struct ctx *c, struct nw_err *e, int quiet)
{
	const char *kp;
	char have[64], fp[33];
	struct stat sb;
	int rc, made_key = 0, existed;

	existed = !strstr(c->db, "://") && stat(c->db, &sb) == 0;
	if ((rc = open_store(c, 1, e)))
		return rc;
	kp = key_path_for(c);
	if (stat(kp, &sb) != 0) {
		if ((rc = pii_key_create(kp, e)))
			return rc;
		made_key = 1;
	}
	if ((rc = pii_key_load(kp, &c->key, e)))
		return rc;
	pii_key_fingerprint(c->key, fp);
	rc = store_meta_get(c->st, "key_fingerprint", have, sizeof have);
	if (rc == NAWAT_ENOTFOUND) {
		if ((rc = store_begin(c->st)) || (rc = store_meta_set(c->st, "key_fingerprint", fp)) ||
		    (rc = store_commit(c->st))) {
			*e = c->st->err;
			store_rollback(c->st);
			return rc;
		}
	} else if (rc) {
		*e = c->st->err;
		return rc;
	} else if (strcmp(have, fp)) {
		return err_set(e, NAWAT_ECRYPTO, "ไฟล์กุญแจ %s ไม่ใช่กุญแจของฐานข้อมูลนี้",
			       "key file %s does not belong to this store", kp);
	}
	if (!quiet) {
		printf("%s %s (มาตรฐานข้อมูลรุ่น %s / standard %s)\n",
		       existed ? "ปรับรุ่นฐานข้อมูลแล้ว / store up to date:" : "สร้างฐานข้อมูลแล้ว / created store:",
		       c->db, c->pkg->version, c->pkg->version);
		printf("%s %s\n",
		       made_key ? "สร้างไฟล์กุญแจข้อมูลส่วนบุคคลแล้ว (เก็บรักษาให้ดี สำรองไว้เสมอ) / created personal-data key (keep it safe, back it up):"
				: "ใช้ไฟล์กุญแจ / using key:", kp);
	}
	return 0;
}

static int cmd_init(struct ctx *c, int argc, char **argv)
{
	struct nw_err e;
	int rc;

	err_clear(&e);
	if (argc > 1)
		return usage_error("init ไม่รับอาร์กิวเมนต์เพิ่ม", "init takes no arguments");
	(void)argv;
	rc = do_init(c, &e, 0);
	return rc ? fail(&e) : EXIT_OK;
}

/* ---- import / validate ---- */

static void print_counts(const struct std_package *pkg, const struct imp_result *r, const int *used)
{
	size_t i;

	for (i = 0; i < pkg->ndatasets; i++) {
		const struct imp_count *c = &r->per_ds[i];

		if (!used[i])
			continue;
		printf("%-10s เพิ่ม %lld แก้ไข %lld คงเดิม %lld ปฏิเสธ %lld"
		       " (inserted %lld, updated %lld, unchanged %lld, rejected %lld)\n",
		       pkg->datasets[i].name, (long long)c->inserted, (long long)c->updated,
		       (long long)c->unchanged, (long long)c->rejected, (long long)c->inserted,
		       (long long)c->updated, (long long)c->unchanged, (long long)c->rejected);
	}
}

static int add_file(struct imp_file **files, size_t *n, size_t *cap, const char *path,
		    const struct std_dataset *ds, struct nw_err *e)
{
	struct imp_file *f;
	enum rec_format fmt;

	if (rec_format_of(path, &fmt))
		return err_set(e, NAWAT_EINVAL,
			       "ไม่รู้จักชนิดไฟล์ %s (ใช้ .csv .json หรือ .ndjson)",
			       "unknown file type %s (use .csv, .json or .ndjson)", path);
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;

		f = nw_realloc(*files, nc * sizeof *f);
		if (!f)
			return err_generic(e, NAWAT_ENOMEM);
		*files = f;
		*cap = nc;
	}
	f = &(*files)[(*n)++];
	memset(f, 0, sizeof *f);
	f->path = path;
	f->name = path;
	f->ds = ds;
	f->fmt = fmt;
	return 0;
}

/* Files named like a data set in dir (areas.csv, students.json, ...). */
static int scan_dir(const struct std_package *pkg, const char *dir, struct imp_file **files,
		    size_t *n, size_t *cap, struct arena *a, struct nw_err *e)
{
	struct dirent **ents;
	const struct std_dataset *ds;
	int i, count, rc = 0;

	count = scandir(dir, &ents, NULL, alphasort);
	if (count < 0)
		return err_set(e, NAWAT_EINVAL, "เปิดโฟลเดอร์ %s ไม่ได้", "cannot open directory %s", dir);
	for (i = 0; i < count; i++) {
		const char *name = ents[i]->d_name, *dot = strrchr(name, '.');
		char *path;
		enum rec_format fmt;

		if (name[0] == '.' || !dot || rec_format_of(name, &fmt))
			goto next;
		{
			char stem[256];

			snprintf(stem, sizeof stem, "%.*s", (int)(dot - name), name);
			ds = std_dataset(pkg, stem);
		}
		if (!ds) {
			fprintf(stderr, "ข้าม %s: ไม่ตรงกับชุดข้อมูลใด / skipped %s: not named like a data set\n",
				name, name);
			goto next;
		}
		path = arena_alloc(a, strlen(dir) + strlen(name) + 2);
		if (!path) {
			rc = err_generic(e, NAWAT_ENOMEM);
			goto next;
		}
		snprintf(path, strlen(dir) + strlen(name) + 2, "%s/%s", dir, name);
		if (!rc)
			rc = add_file(files, n, cap, path, ds, e);
next:
		free(ents[i]);
	}
	free(ents);
	if (!rc && *n == 0)
		rc = err_set(e, NAWAT_EINVAL, "ไม่พบไฟล์ชุดข้อมูลในโฟลเดอร์ %s (เช่น schools.csv)",
			     "no data set files in %s (e.g. schools.csv)", dir);
	return rc;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return nw_strdup(".");
	if (slash == path)
		return nw_strdup("/");
	return nw_strndup(path, (size_t)(slash - path));
}

static int run_import(struct ctx *c, int argc, char **argv, int dry_run)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "report", required_argument, NULL, 'r' },
		{ "accept-valid", no_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "ignore-unknown-columns", no_argument, NULL, 'i' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct imp_opts o;
	struct imp_result res;
	struct imp_file *files = NULL;
	struct arena a;
	struct nw_err e;
	const struct std_dataset *ds;
	const char *dir = NULL;
	char *rej_dir = NULL;
	int *used = NULL, ch, rc, status;
	size_t nfiles = 0, cap = 0, i;

	memset(&o, 0, sizeof o);
	memset(&res, 0, sizeof res);
	err_clear(&e);
	arena_init(&a, 4096, 0);
	o.dry_run = dry_run;
	o.report_path = "nawat-report.csv";
	o.user = getenv("USER") && *getenv("USER") ? getenv("USER") : "cli";
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'r': o.report_path = optarg; break;
		case 'a': o.accept_valid = 1; break;
		case 'n': o.dry_run = 1; break;
		case 'i': o.ignore_unknown = 1; break;
		case 'u': o.user = optarg; break;
		case 'e':
			if (enc_parse_name(optarg, &o.encoding)) {
				rc = usage_error("รหัสอักขระไม่รู้จัก (ใช้ utf-8 หรือ tis-620)",
						 "unknown encoding (use utf-8 or tis-620)");
				goto out;
			}
			break;
		default:
			rc = usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
			goto out;
		}
	}
	if ((rc = load_pkg(c, &e))) {
		rc = fail(&e);
		goto out;
	}
	if (dir) {
		if (optind != argc) {
			rc = usage_error("ใช้ --dir หรือระบุชุดข้อมูลและไฟล์ อย่างใดอย่างหนึ่ง",
					 "give either --dir or a data set and files");
			goto out;
		}
		if ((rc = scan_dir(c->pkg, dir, &files, &nfiles, &cap, &a, &e))) {
			rc = fail(&e);
			goto out;
		}
	} else {
		if (argc - optind < 2) {
			rc = usage_error("ระบุชุดข้อมูลและไฟล์ เช่น nawat import students students.csv",
					 "give a data set and files, e.g. nawat import students students.csv");
			goto out;
		}
		ds = std_dataset(c->pkg, argv[optind]);
		if (!ds) {
			err_set(&e, NAWAT_EINVAL, "ไม่มีชุดข้อมูล %s", "no data set %s", argv[optind]);
			rc = fail(&e);
			goto out;
		}
		for (i = (size_t)optind + 1; i < (size_t)argc; i++)
			if ((rc = add_file(&files, &nfiles, &cap, argv[i], ds, &e))) {
				rc = fail(&e);
				goto out;
			}
	}
	for (i = 0; i < nfiles; i++) {
		if (access(files[i].path, R_OK) != 0) {
			err_set(&e, NAWAT_EINVAL, "อ่านไฟล์ %s ไม่ได้", "cannot read file %s", files[i].path);
			rc = fail(&e);
			goto out;
		}
	}
	if ((rc = open_store(c, 0, &e))) {
		rc = fail(&e);
		goto out;
	}
	rej_dir = dir_of(o.report_path);
	if (!rej_dir) {
		err_generic(&e, NAWAT_ENOMEM);
		rc = fail(&e);
		goto out;
	}
	o.rejected_dir = rej_dir;
	if ((rc = imp_run(c->st, c->key, files, nfiles, &o, &res, &e))) {
		rc = fail(&e);
		goto out;
	}
	used = nw_calloc(c->pkg->ndatasets, sizeof *used);
	if (!used) {
		err_generic(&e, NAWAT_ENOMEM);
		rc = fail(&e);
		goto out;
	}
	for (i = 0; i < nfiles; i++)
		used[files[i].ds->index] = 1;
	print_counts(c->pkg, &res, used);
	status = res.total.errors ? EXIT_DATA : EXIT_OK;
	if (o.dry_run)
		printf("ตรวจสอบอย่างเดียว ไม่ได้บันทึกข้อมูล: ข้อผิดพลาด %lld คำเตือน %lld ดูรายงาน %s"
		       " / dry run, nothing written: %lld errors, %lld warnings, see %s\n",
		       (long long)res.total.errors, (long long)res.total.warnings, o.report_path,
		       (long long)res.total.errors, (long long)res.total.warnings, o.report_path);
	else if (res.rolled_back)
		printf("ไม่ได้บันทึกข้อมูลใดเลย เพราะพบข้อผิดพลาด %lld รายการ ดูรายงาน %s"
		       " / nothing written: %lld errors, see %s\n",
		       (long long)res.total.errors, o.report_path, (long long)res.total.errors,
		       o.report_path);
	else if (res.total.errors)
		printf("บันทึกเฉพาะแถวที่ถูกต้อง แถวที่ถูกปฏิเสธอยู่ในไฟล์ *.rejected.csv ใน %s ดูรายงาน %s"
		       " / valid rows written; rejected rows are in *.rejected.csv in %s, see %s\n",
		       rej_dir, o.report_path, rej_dir, o.report_path);
	else if (res.total.warnings)
		printf("บันทึกแล้ว มีคำเตือน %lld รายการ ดูรายงาน %s / written with %lld warnings, see %s\n",
		       (long long)res.total.warnings, o.report_path, (long long)res.total.warnings,
		       o.report_path);
	rc = status;
out:
	imp_result_free(&res);
	nw_free(used);
	nw_free(files);
	nw_free(rej_dir);
	arena_release(&a);
	return rc;
}

static int cmd_import(struct ctx *c, int argc, char **argv)
{
	return run_import(c, argc, argv, 0);
}

static int cmd_validate(struct ctx *c, int argc, char **argv)
{
	return run_import(c, argc, argv, 1);
}

/* ---- export ---- */

static int cmd_export(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "where", required_argument, NULL, 'w' },
		{ "pseudonymise", no_argument, NULL, 'p' },
		{ "pseudonymize", no_argument, NULL, 'p' },
		{ "no-bom", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_filter filters[16];
	const char *where[16];
	struct exp_opts o;
	struct nw_err e;
	struct arena a;
	const struct std_dataset *ds;
	const char *out_path = NULL;
	char *tmp = NULL;
	size_t nwhere = 0, i;
	int64_t n = 0;
	FILE *out = stdout;
	int ch, rc;

	memset(&o, 0, sizeof o);
	err_clear(&e);
	arena_init(&a, 4096, 0);
	o.format = EXP_CSV;
	o.bom = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (exp_format_parse(optarg, &o.format)) {
				rc = usage_error("รูปแบบไม่รู้จัก (csv, json, ndjson)", "unknown format (csv, json, ndjson)");
				goto out;
			}
			break;
		case 'o': out_path = optarg; break;
		case 'p': o.pseudonymise = 1; break;
		case 'b': o.bom = 0; break;
		case 'w':
			if (nwhere == sizeof where / sizeof where[0]) {
				rc = usage_error("เงื่อนไขมากเกินไป", "too many --where");
				goto out;
			}
			where[nwhere++] = optarg;
			break;
		default:
			rc = usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
			goto out;
		}
	}
	if (argc - optind != 1) {
		rc = usage_error("ระบุชุดข้อมูลหนึ่งชุด เช่น nawat export students",
				 "give one data set, e.g. nawat export students");
		goto out;
	}
	if ((rc = load_pkg(c, &e))) {
		rc = fail(&e);
		goto out;
	}
	ds = std_dataset(c->pkg, argv[optind]);
	if (!ds) {
		err_set(&e, NAWAT_EINVAL, "ไม่มีชุดข้อมูล %s", "no data set %s", argv[optind]);
		rc = fail(&e);
		goto out;
	}
	if ((rc = open_store(c, 0, &e))) {
		rc = fail(&e);
		goto out;
	}
	for (i = 0; i < nwhere; i++)
		if ((rc = exp_filter_parse(ds, c->key, where[i], &a, &filters[i], &e))) {
			rc = fail(&e);
			goto out;
		}
	o.filters = filters;
	o.nfilters = nwhere;
	if (o.format != EXP_CSV)
		o.bom = 0;
	if (out_path && strcmp(out_path, "-")) {
		/* write beside, then rename: never a half-written export */
		size_t len = strlen(out_path) + 16;

		tmp = nw_malloc(len);
		if (!tmp) {
			err_generic(&e, NAWAT_ENOMEM);
			rc = fail(&e);
			goto out;
		}
		snprintf(tmp, len, "%s.tmp%ld", out_path, (long)getpid());
		out = fopen(tmp, "w");
		if (!out) {
			err_set(&e, NAWAT_EIO, "เขียนไฟล์ %s ไม่ได้", "cannot write %s", out_path);
			out = stdout;
			rc = fail(&e);
			goto out;
		}
	}
	rc = exp_run(c->st, c->key, ds, &o, out, &n, &e);
	if (out != stdout) {
		if (fclose(out) != 0 && !rc)
			rc = err_msg(&e, NAWAT_EIO, "เขียนไฟล์ส่งออกไม่สำเร็จ", "cannot write the export");
		out = stdout;
		if (!rc && rename(tmp, out_path) != 0)
			rc = err_set(&e, NAWAT_EIO, "เขียนไฟล์ %s ไม่ได้", "cannot write %s", out_path);
		if (rc)
			unlink(tmp);
	}
	if (rc) {
		rc = fail(&e);
		goto out;
	}
	if (out_path && strcmp(out_path, "-"))
		fprintf(stderr, "ส่งออก %s %lld แถว ไปที่ %s / exported %lld %s rows to %s\n", ds->name,
			(long long)n, out_path, (long long)n, ds->name, out_path);
	rc = EXIT_OK;
out:
	nw_free(tmp);
	arena_release(&a);
	return rc;
}

/* ---- standard ---- */

static int write_file(const char *path, const char *data, size_t n, struct nw_err *e)
{
	FILE *fp = fopen(path, "w");

	if (!fp || fwrite(data, 1, n, fp) != n) {
		if (fp)
			fclose(fp);
		return err_set(e, NAWAT_EIO, "เขียนไฟล์ %s ไม่ได้", "cannot write %s", path);
	}
	if (fclose(fp) != 0)
		return err_set(e, NAWAT_EIO, "เขียนไฟล์ %s ไม่ได้", "cannot write %s", path);
	return 0;
}

static int cmd_standard(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	struct nw_err e;
	struct buf path;
	char *json = NULL;
	int ch, check = 0, rc;
	size_t i;

	err_clear(&e);
	buf_init(&path, 8192);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'o')
			dir = optarg;
		else if (ch == 'c')
			check = 1;
		else
			return usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
	}
	if (optind != argc)
		return usage_error("standard ไม่รับอาร์กิวเมนต์เพิ่ม", "standard takes no arguments");
	if ((rc = load_pkg(c, &e)))
		return fail(&e);
	if (check) {
		printf("มาตรฐานข้อมูล %s รุ่น %s ถูกต้อง: %zu ชุดข้อมูล %zu บัญชีรหัส"
		       " / standard %s %s is well-formed: %zu data sets, %zu code lists\n",
		       c->pkg->name, c->pkg->version, c->pkg->ndatasets, c->pkg->ncodelists,
		       c->pkg->name, c->pkg->version, c->pkg->ndatasets, c->pkg->ncodelists);
		return EXIT_OK;
	}
	json = std_to_json(c->pkg, dir == NULL, &e);
	if (!json)
		return fail(&e);
	if (!dir) {
		fputs(json, stdout);
		putchar('\n');
		rc = EXIT_OK;
		goto out;
	}
	if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
	    buf_printf(&path, "%s/codelists", dir) || (mkdir(path.data, 0755) != 0 && errno != EEXIST)) {
		err_set(&e, NAWAT_EIO, "สร้างโฟลเดอร์ %s ไม่ได้", "cannot create directory %s", dir);
		rc = fail(&e);
		goto out;
	}
	buf_reset(&path);
	if (buf_printf(&path, "%s/datapackage.json", dir) ||
	    (rc = write_file(path.data, json, strlen(json), &e))) {
		rc = fail(&e);
		goto out;
	}
	for (i = 0; i < c->pkg->ncodelists; i++) {
		const struct std_codelist *cl = &c->pkg->codelists[i];

		buf_reset(&path);
		if (buf_printf(&path, "%s/%s", dir, cl->path) ||
		    (rc = write_file(path.data, cl->csv, cl->csv_len, &e))) {
			rc = fail(&e);
			goto out;
		}
	}
	fprintf(stderr, "เขียนมาตรฐานข้อมูลไปที่ %s / wrote the standard to %s\n", dir, dir);
	rc = EXIT_OK;
out:
	nw_free(json);
	buf_release(&path);
	return rc;
}

/* ---- demo ---- */

static int rm_tree(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	char p[4096];

	if (!dp)
		return -1;
	while ((d = readdir(dp)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, d->d_name);
			unlink(p);
		}
	closedir(dp);
	return rmdir(dir);
}

static int cmd_demo(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "students", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "csv", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct demo_opts o = { 2000, 1 };
	struct demo_stats stats = { 0, 0, 0, 0 };
	struct nw_err e;
	const char *csv_dir = NULL;
	char tmpl[] = "/tmp/nawat-demo-XXXXXX", *end;
	char *args[8];
	struct stat sb;
	int ch, rc;

	err_clear(&e);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			o.students = strtol(optarg, &end, 10);
			if (*end || o.students < 1 || o.students > 100000000)
				return usage_error("--students ต้องเป็นจำนวนเต็ม 1 ถึง 100000000",
						   "--students must be an integer from 1 to 100000000");
			break;
		case 's':
			o.seed = strtoul(optarg, &end, 10);
			if (*end)
				return usage_error("--seed ต้องเป็นจำนวนเต็ม", "--seed must be an integer");
			break;
		case 'c': csv_dir = optarg; break;
		default:
			return usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
		}
	}
	if (optind != argc)
		return usage_error("demo ไม่รับอาร์กิวเมนต์เพิ่ม", "demo takes no arguments");
	if (csv_dir) {
		if (mkdir(csv_dir, 0755) != 0 && errno != EEXIST) {
			err_set(&e, NAWAT_EIO, "สร้างโฟลเดอร์ %s ไม่ได้", "cannot create directory %s", csv_dir);
			return fail(&e);
		}
		if ((rc = demo_write_csv(csv_dir, &o, &stats, &e)))
			return fail(&e);
		fprintf(stderr,
			"เขียนข้อมูลตัวอย่างไปที่ %s: พื้นที่ %ld สถานศึกษา %ld นักเรียน %ld ผลการเรียนรู้ %ld"
			" / wrote demo data to %s: %ld areas, %ld schools, %ld students, %ld outcomes\n",
			csv_dir, stats.areas, stats.schools, stats.students, stats.outcomes, csv_dir,
			stats.areas, stats.schools, stats.students, stats.outcomes);
		return EXIT_OK;
	}
	/* load into the store, creating it (and its key) when missing */
	if (strstr(c->db, "://") == NULL && stat(c->db, &sb) != 0) {
		if ((rc = do_init(c, &e, 0)))
			return fail(&e);
		close_ctx(c);
	}
	if (!mkdtemp(tmpl)) {
		err_msg(&e, NAWAT_EIO, "สร้างโฟลเดอร์ชั่วคราวไม่ได้", "cannot create a temporary directory");
		return fail(&e);
	}
	if ((rc = demo_write_csv(tmpl, &o, &stats, &e))) {
		rm_tree(tmpl);
		return fail(&e);
	}
	args[0] = "import";
	args[1] = "--dir";
	args[2] = tmpl;
	args[3] = "--report";
	args[4] = "/dev/null";
	args[5] = "--user";
	args[6] = "demo";
	args[7] = NULL;
	rc = run_import(c, 7, args, 0);
	rm_tree(tmpl);
	return rc;
}

/* ---- main ---- */

static void usage(FILE *fp)
{
	fputs("nawat " NAWAT_VERSION " — ระบบสารสนเทศพื้นที่นวัตกรรมการศึกษา / Education Sandbox information system\n"
	      "\n"
	      "การใช้ / usage: nawat [--db PATH] [--key PATH] COMMAND [OPTIONS]\n"
	      "\n"
	      "  init                         สร้างหรือปรับรุ่นฐานข้อมูลและไฟล์กุญแจ / create or upgrade the store and key file\n"
	      "  import DATASET FILE...       นำเข้าไฟล์ / import files (CSV, JSON, NDJSON)\n"
	      "  import --dir DIR             นำเข้าทุกไฟล์ในโฟลเดอร์ตามลำดับ / import areas, schools, students, outcomes... in order\n"
	      "      --report FILE            รายงานผลการตรวจสอบ / validation report (default nawat-report.csv)\n"
	      "      --accept-valid           บันทึกเฉพาะแถวที่ถูกต้อง / write the valid rows, reject the rest\n"
	      "      --dry-run                ตรวจสอบอย่างเดียว / validate only, write nothing\n"
	      "      --encoding ENC           utf-8 | tis-620 (default: detect)\n"
	      "      --ignore-unknown-columns ไม่สนใจคอลัมน์ที่ไม่รู้จัก / ignore unknown columns\n"
	      "  validate DATASET FILE...     = import --dry-run\n"
	      "  export DATASET [--format csv|json|ndjson] [--out FILE] [--where FIELD=VALUE]...\n"
	      "      [--pseudonymise] [--no-bom]  ส่งออก / export (real IDs for the operator, or pseudonyms)\n"
	      "  standard [--out DIR] [--check]  มาตรฐานข้อมูล / print or write the data standard\n"
	      "  demo [--students N] [--seed S] [--csv DIR]  ข้อมูลตัวอย่าง / load (or write) demo data\n"
	      "  version                      รุ่นของโปรแกรม / print the version\n"
	      "\n"
	      "ตัวแปรสภาพแวดล้อม / environment: NAWAT_DB (default ./nawat.db), NAWAT_KEY (default: the store's path with .key)\n"
	      "สถานะเมื่อจบ / exit status: 0 ok, 1 data rejected, 2 usage error, 3 store or internal error\n",
	      fp);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct ctx *, int, char **);
	} cmds[] = {
		{ "init", cmd_init }, { "import", cmd_import }, { "validate", cmd_validate },
		{ "export", cmd_export }, { "standard", cmd_standard }, { "demo", cmd_demo },
	};
	struct ctx c;
	int i, rc;

	memset(&c, 0, sizeof c);
	c.db = getenv("NAWAT_DB") && *getenv("NAWAT_DB") ? getenv("NAWAT_DB") : "nawat.db";
	/* global options before the command */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			c.db = argv[++i];
		else if (!strncmp(argv[i], "--db=", 5))
			c.db = argv[i] + 5;
		else if (!strcmp(argv[i], "--key") && i + 1 < argc)
			c.key_path = argv[++i];
		else if (!strncmp(argv[i], "--key=", 6))
			c.key_path = argv[i] + 6;
		else
			break;
	}
	if (i == argc || !strcmp(argv[i], "help") || !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
		usage(i == argc ? stderr : stdout);
		return i == argc ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "version")) {
		printf("nawat %s\n", NAWAT_VERSION);
		return EXIT_OK;
	}
	/* also accept --db / --key after the command: move them out */
	{
		int j, k = i + 1;

		for (j = i + 1; j < argc; j++) {
			if (!strcmp(argv[j], "--db") && j + 1 < argc) {
				c.db = argv[++j];
			} else if (!strncmp(argv[j], "--db=", 5)) {
				c.db = argv[j] + 5;
			} else if (!strcmp(argv[j], "--key") && j + 1 < argc) {
				c.key_path = argv[++j];
			} else if (!strncmp(argv[j], "--key=", 6)) {
				c.key_path = argv[j] + 6;
			} else {
				argv[k++] = argv[j];
			}
		}
		argc = k;
	}
	for (size_t n = 0; n < sizeof cmds / sizeof cmds[0]; n++)
		if (!strcmp(argv[i], cmds[n].name)) {
			rc = cmds[n].fn(&c, argc - i, argv + i);
			close_ctx(&c);
			return rc;
		}
	fprintf(stderr, "nawat: ไม่รู้จักคำสั่ง %s / unknown command %s\n", argv[i], argv[i]);
	usage(stderr);
	return EXIT_USAGE;
}
