/*
 * main.c - the nawat command line.
 *
 *   nawat init | import | validate | export | template | standard | demo | version | help
 *
 * Exit status: 0 ok, 1 data rejected, 2 usage error, 3 store or internal
 * error; every failure is one line on stderr, Thai first, then English.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <termios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analytics/agg.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"
#include "domain/auth.h"
#include "domain/demo.h"
#include "exchange/export.h"
#include "exchange/import.h"
#include "exchange/template.h"
#include "standard/pii.h"
#include "standard/std.h"
#include "standard/thaiid.h"
#include "store/audit.h"
#include "store/relink.h"
#include "store/store.h"
#include "web/app.h"
#include "web/cache.h"
#include "web/http.h"

#ifndef NAWAT_VERSION
#define NAWAT_VERSION "0.0.0"
#endif

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_STORE = 3 };

struct cli {
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
static const char *key_path_for(struct cli *c)
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

static int load_pkg(struct cli *c, struct nw_err *e)
{
	int rc;

	if (c->pkg)
		return 0;
	if ((rc = pii_init(e)))
		return rc;
	return std_load_embedded(&c->pkg, e);
}

/* Opens the store (migrating it) and its key; checks they belong together. */
static int open_store(struct cli *c, int create, struct nw_err *e)
{
	char have[64], fp[33];
	int rc;

	if (c->st)
		return 0; /* already open (demo loads, then adds users) */
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

static void close_ctx(struct cli *c)
{
	store_close(c->st);
	pii_key_free(c->key);
	std_free(c->pkg);
	c->st = NULL;
	c->key = NULL;
	c->pkg = NULL;
}

/* ---- init ---- */

static int do_init(struct cli *c, struct nw_err *e, int quiet)
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

static int cmd_init(struct cli *c, int argc, char **argv)
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

static void print_counts(const struct std_package *pkg, const struct imp_result *r, const int *used,
			 int remove)
{
	size_t i;

	for (i = 0; i < pkg->ndatasets; i++) {
		const struct imp_count *c = &r->per_ds[i];

		if (!used[i])
			continue;
		if (remove) {
			printf("%-10s ลบ %lld ไม่พบ %lld ปฏิเสธ %lld (deleted %lld, not found %lld, rejected %lld)\n",
			       pkg->datasets[i].name, (long long)c->deleted, (long long)c->warnings,
			       (long long)c->rejected, (long long)c->deleted, (long long)c->warnings,
			       (long long)c->rejected);
			continue;
		}
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
			       "ไม่รู้จักชนิดไฟล์ %s (ใช้ .csv .xlsx .json หรือ .ndjson)",
			       "unknown file type %s (use .csv, .xlsx, .json or .ndjson)", path);
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

/* Files named like a data set in dir (areas.csv, students.xlsx, ...). */
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

#define RUN_DRY 1
#define RUN_DELETE 2

/* --xlsx-max-unzipped-mb N and --xlsx-max-strings-mb N: in bytes. */
static int xlsx_limit(const char *arg, uint64_t *out)
{
	char *end;
	unsigned long long mb = strtoull(arg, &end, 10);

	if (end == arg || *end || !mb || mb > (1ULL << 30))
		return usage_error("ขีดจำกัดของ XLSX ต้องเป็นจำนวนเต็มบวก (เมบิไบต์)",
				   "an XLSX limit must be a positive integer (MiB)");
	*out = (uint64_t)mb << 20;
	return 0;
}

static int run_import(struct cli *c, int argc, char **argv, int mode)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "report", required_argument, NULL, 'r' },
		{ "accept-valid", no_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "ignore-unknown-columns", no_argument, NULL, 'i' },
		{ "user", required_argument, NULL, 'u' },
		{ "xlsx-max-unzipped-mb", required_argument, NULL, 'z' },
		{ "xlsx-max-strings-mb", required_argument, NULL, 's' },
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
	o.dry_run = !!(mode & RUN_DRY);
	o.remove = !!(mode & RUN_DELETE);
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
		case 'z':
			if ((rc = xlsx_limit(optarg, &o.xlsx_max_unzipped)))
				goto out;
			break;
		case 's':
			if ((rc = xlsx_limit(optarg, &o.xlsx_max_strings)))
				goto out;
			break;
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
			rc = o.remove ? usage_error("ระบุชุดข้อมูลและไฟล์คีย์ เช่น nawat delete students keys.csv",
						    "give a data set and files of keys, e.g. nawat delete students keys.csv")
				      : usage_error("ระบุชุดข้อมูลและไฟล์ เช่น nawat import students students.csv",
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
	o.alone = 1; /* the command's own process: a first load may be a bulk load */
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
	print_counts(c->pkg, &res, used, o.remove);
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
	else if (res.total.warnings && o.remove)
		printf("ลบแล้ว คีย์ที่ไม่พบ %lld รายการ ดูรายงาน %s / deleted; %lld keys not found, see %s\n",
		       (long long)res.total.warnings, o.report_path, (long long)res.total.warnings,
		       o.report_path);
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

static int cmd_import(struct cli *c, int argc, char **argv)
{
	return run_import(c, argc, argv, 0);
}

static int cmd_validate(struct cli *c, int argc, char **argv)
{
	return run_import(c, argc, argv, RUN_DRY);
}

static int cmd_delete(struct cli *c, int argc, char **argv)
{
	return run_import(c, argc, argv, RUN_DELETE);
}

/* ---- student relink ---- */

/* The actor recorded in the audit log for command-line changes. */
static const char *cli_actor(void)
{
	const char *u = getenv("USER");

	return u && *u ? u : "cli";
}

static int id_form_ok(const char *s)
{
	return thaiid_valid(s, strlen(s)) || thaiid_is_gcode(s, strlen(s));
}

static int cmd_student(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct relink_args a;
	struct relink_result res;
	char th[NW_ERR_MSG], en[NW_ERR_MSG];
	struct nw_err e;
	size_t i;
	int ch, rc;

	err_clear(&e);
	memset(&a, 0, sizeof a);
	a.user = cli_actor();
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n')
			a.dry_run = 1;
		else if (ch == 'u')
			a.user = optarg;
		else
			return usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
	}
	if (argc - optind != 3 || strcmp(argv[optind], "relink"))
		return usage_error("ใช้ nawat student relink รหัสเดิม รหัสใหม่", "use nawat student relink OLD NEW");
	a.old_id = argv[optind + 1];
	a.new_id = argv[optind + 2];
	/* the IDs are personal data: messages name them by their place only */
	if (!id_form_ok(a.old_id) || !id_form_ok(a.new_id))
		return usage_error("รหัสเดิมและรหัสใหม่ต้องเป็นเลขประจำตัวประชาชน 13 หลักที่หลักตรวจสอบถูกต้อง หรือ G ตามด้วยตัวเลข 12 หลัก",
				   "OLD and NEW must be 13-digit citizen IDs with a correct check digit, or G and 12 digits");
	if (!strcmp(a.old_id, a.new_id))
		return usage_error("รหัสเดิมและรหัสใหม่เหมือนกัน", "OLD and NEW are the same");
	if ((rc = open_store(c, 0, &e)))
		return fail(&e);
	a.key = c->key;
	rc = store_relink(c->st, &a, &res);
	if (rc == NAWAT_ENOTFOUND) {
		e = c->st->err;
		e.code = NAWAT_EDATA;
		return fail(&e);
	}
	if (rc) {
		e = c->st->err;
		return fail(&e);
	}
	for (i = 0; i < res.nconflicts; i++)
		printf("ขัดแย้ง / conflict: %s %s: %s\n", res.conflicts[i].ds->name, res.conflicts[i].key,
		       res.conflicts[i].field);
	if (res.conflicts_total > (int64_t)res.nconflicts)
		printf("... และอีก %lld / and %lld more\n", (long long)(res.conflicts_total - (int64_t)res.nconflicts),
		       (long long)(res.conflicts_total - (int64_t)res.nconflicts));
	store_relink_summary(&res, a.dry_run, th, sizeof th, en, sizeof en);
	fflush(stdout); /* the list before the one line on stderr */
	if (res.outside_scope || res.conflicts_total) {
		err_msg(&e, NAWAT_EDATA, th, en);
		return fail(&e);
	}
	printf("%s / %s\n", th, en);
	return EXIT_OK;
}

/* ---- export ---- */

/* Where a command writes a file: "-" or none is stdout; a regular file is
 * written beside and renamed into place (never a half-written file);
 * anything else (a pipe, /dev/null) directly. */
struct outfile {
	const char *path;
	char *tmp;
	FILE *fp;
};

static int outfile_open(struct outfile *of, const char *path, struct nw_err *e)
{
	struct stat sb;
	size_t len;

	memset(of, 0, sizeof *of);
	of->fp = stdout;
	if (!path || !strcmp(path, "-"))
		return 0;
	of->path = path;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		of->fp = fopen(path, "w");
	} else {
		len = strlen(path) + 32;
		of->tmp = nw_malloc(len);
		if (!of->tmp) {
			of->fp = stdout;
			return err_generic(e, NAWAT_ENOMEM);
		}
		snprintf(of->tmp, len, "%s.tmp%ld", path, (long)getpid());
		of->fp = fopen(of->tmp, "w");
	}
	if (!of->fp) {
		of->fp = stdout;
		return err_set(e, NAWAT_EIO, "เขียนไฟล์ %s ไม่ได้", "cannot write %s", path);
	}
	return 0;
}

/* Closes (renames into place, or removes after a failure rc). */
static int outfile_close(struct outfile *of, int rc, struct nw_err *e)
{
	if (of->fp && of->fp != stdout) {
		if (fclose(of->fp) != 0 && !rc)
			rc = err_set(e, NAWAT_EIO, "เขียนไฟล์ %s ไม่ได้", "cannot write %s", of->path);
		if (!rc && of->tmp && rename(of->tmp, of->path) != 0)
			rc = err_set(e, NAWAT_EIO, "เขียนไฟล์ %s ไม่ได้", "cannot write %s", of->path);
		if (rc && of->tmp)
			unlink(of->tmp);
	} else if (of->fp == stdout && fflush(stdout) != 0 && !rc) {
		rc = err_msg(e, NAWAT_EIO, "เขียนผลลัพธ์ไม่ได้", "cannot write the output");
	}
	nw_free(of->tmp);
	memset(of, 0, sizeof *of);
	return rc;
}

/* A spreadsheet file is no text for a terminal. */
static int binary_to_terminal(const char *path)
{
	if ((path && strcmp(path, "-")) || !isatty(STDOUT_FILENO))
		return 0;
	return usage_error("ไฟล์ XLSX แสดงบนหน้าจอไม่ได้ ระบุ --out FILE",
			   "an XLSX file cannot go to a terminal: give --out FILE");
}

static int cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "where", required_argument, NULL, 'w' },
		{ "pseudonymise", no_argument, NULL, 'p' },
		{ "pseudonymize", no_argument, NULL, 'p' },
		{ "no-bom", no_argument, NULL, 'b' },
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_filter filters[16];
	int64_t mark = 0;
	char *end;
	const char *where[16];
	struct exp_opts o;
	struct outfile of;
	struct nw_err e;
	struct arena a;
	const struct std_dataset *ds;
	const char *out_path = NULL, *dot;
	size_t nwhere = 0, i;
	int64_t n = 0;
	int ch, rc, have_format = 0;

	memset(&o, 0, sizeof o);
	memset(&of, 0, sizeof of);
	err_clear(&e);
	arena_init(&a, 4096, 0);
	o.format = EXP_CSV;
	o.bom = 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (exp_format_parse(optarg, &o.format)) {
				rc = usage_error("รูปแบบไม่รู้จัก (csv, json, ndjson, xlsx)",
						 "unknown format (csv, json, ndjson, xlsx)");
				goto out;
			}
			have_format = 1;
			break;
		case 'o': out_path = optarg; break;
		case 'p': o.pseudonymise = 1; break;
		case 'b': o.bom = 0; break;
		case 's':
			o.feed = 1;
			o.since = strtoll(optarg, &end, 10);
			if (*end || !*optarg || o.since < 0) {
				rc = usage_error("--since ต้องเป็นลำดับการเปลี่ยนแปลง (จำนวนเต็มตั้งแต่ 0)",
						 "--since must be a change number (an integer from 0)");
				goto out;
			}
			break;
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
	/* without --format, an --out named .xlsx, .json ... says it */
	if (!have_format && out_path && (dot = strrchr(out_path, '.')) && !strchr(dot, '/'))
		exp_format_parse(dot + 1, &o.format);
	if (o.format == EXP_XLSX && (rc = binary_to_terminal(out_path)))
		goto out;
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
	o.mark = &mark;
	if (o.format != EXP_CSV)
		o.bom = 0;
	if ((rc = outfile_open(&of, out_path, &e))) {
		rc = fail(&e);
		goto out;
	}
	rc = exp_run(c->st, c->key, ds, &o, of.fp, &n, &e);
	if ((rc = outfile_close(&of, rc, &e))) {
		rc = fail(&e);
		goto out;
	}
	if (out_path && strcmp(out_path, "-"))
		fprintf(stderr, "ส่งออก %s %lld แถว ไปที่ %s / exported %lld %s rows to %s\n", ds->name,
			(long long)n, out_path, (long long)n, ds->name, out_path);
	if (o.feed)
		fprintf(stderr, "ครั้งต่อไปใช้ --since %lld / next time use --since %lld\n", (long long)mark,
			(long long)mark);
	rc = EXIT_OK;
out:
	arena_release(&a);
	return rc;
}

/* ---- template ---- */

static int cmd_template(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const struct std_dataset *ds;
	const char *out_path = NULL;
	struct outfile of;
	struct nw_err e;
	int ch, rc, csv = 0;

	err_clear(&e);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "xlsx") && strcmp(optarg, "csv"))
				return usage_error("รูปแบบไม่รู้จัก (xlsx, csv)", "unknown format (xlsx, csv)");
			csv = !strcmp(optarg, "csv");
			break;
		case 'o': out_path = optarg; break;
		default:
			return usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
		}
	}
	if (argc - optind != 1)
		return usage_error("ระบุชุดข้อมูลหนึ่งชุด เช่น nawat template students --out students.xlsx",
				   "give one data set, e.g. nawat template students --out students.xlsx");
	if (!csv && (rc = binary_to_terminal(out_path)))
		return rc;
	if ((rc = load_pkg(c, &e)))
		return fail(&e);
	ds = std_dataset(c->pkg, argv[optind]);
	if (!ds) {
		err_set(&e, NAWAT_EINVAL, "ไม่มีชุดข้อมูล %s", "no data set %s", argv[optind]);
		return fail(&e);
	}
	if ((rc = outfile_open(&of, out_path, &e)))
		return fail(&e);
	rc = csv ? tpl_csv(ds, of.fp, &e) : tpl_xlsx(ds, of.fp, &e);
	if ((rc = outfile_close(&of, rc, &e)))
		return fail(&e);
	if (out_path && strcmp(out_path, "-"))
		fprintf(stderr, "เขียนแบบฟอร์มนำเข้า %s ไปที่ %s / wrote the %s import template to %s\n", ds->name,
			out_path, ds->name, out_path);
	return EXIT_OK;
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

static int cmd_standard(struct cli *c, int argc, char **argv)
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

/* Demo sign-ins, one per role, on a store that has no users yet. */
#define DEMO_PASSWORD "demo-1234"

static int demo_users(struct cli *c)
{
	static const struct { const char *name; enum role role; const char *scope_sql; } u[] = {
		{ "admin", ROLE_CENTRAL, NULL },
		{ "chiangmai", ROLE_AREA, "SELECT area_code FROM areas WHERE area_code = '50'" },
		{ "banphui", ROLE_SCHOOL, "SELECT school_code FROM schools WHERE name_th = 'โรงเรียนบ้านพุย'" },
		{ "teacher", ROLE_TEACHER, "SELECT school_code FROM schools WHERE name_th = 'โรงเรียนบ้านพุย'" },
		{ "researcher", ROLE_RESEARCHER, NULL },
	};
	struct store_stmt *s;
	struct nw_err e;
	char scope[32];
	size_t i;
	int rc, n = 0;

	err_clear(&e);
	if ((rc = open_store(c, 0, &e)))
		return fail(&e);
	if (store_prepare(c->st, "SELECT count(*) FROM users", &s) == 0) {
		if (store_step(s) == 1)
			n = (int)store_col_int(s, 0);
		store_finalize(s);
	}
	if (n)
		return EXIT_OK;
	for (i = 0; i < sizeof u / sizeof u[0]; i++) {
		scope[0] = '\0';
		if (u[i].scope_sql && store_prepare(c->st, u[i].scope_sql, &s) == 0) {
			if (store_step(s) == 1)
				snprintf(scope, sizeof scope, "%s", store_col_text(s, 0, NULL));
			store_finalize(s);
			if (!scope[0])
				continue;
		}
		if ((rc = auth_user_add(c->st, u[i].name, u[i].role, scope, DEMO_PASSWORD, "demo", &e)))
			return fail(&e);
		printf("ผู้ใช้ตัวอย่าง / demo user: %-11s %-10s %-11s รหัสผ่าน / password: %s\n", u[i].name,
		       role_name(u[i].role), scope[0] ? scope : "-", DEMO_PASSWORD);
	}
	return EXIT_OK;
}

/* Whether the database at c->db was made by nawat init (it knows its key). */
static int store_initialised(struct cli *c, struct nw_err *e)
{
	char have[64];
	int yes;

	if (open_store(c, 1, e))
		return 0;
	yes = store_meta_get(c->st, "key_fingerprint", have, sizeof have) == 0;
	close_ctx(c); /* opened without its key: the caller opens it again */
	return yes;
}

static int cmd_demo(struct cli *c, int argc, char **argv)
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
	/* load into the store, creating it (and its key) when missing: a file
	 * that is not there, or a database that nawat init never saw */
	if (strstr(c->db, "://") == NULL ? stat(c->db, &sb) != 0 : !store_initialised(c, &e)) {
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
	if (rc == EXIT_OK)
		rc = demo_users(c);
	return rc;
}

/* ---- users, tokens, audit ---- */

/* A password from the terminal (asked twice, not echoed) or from stdin's first line. */
static int read_password(char *out, size_t n, struct nw_err *e)
{
	struct termios old, noecho;
	char again[256];
	int tty = isatty(STDIN_FILENO);
	size_t len;

	if (tty) {
		fprintf(stderr, "รหัสผ่าน / password: ");
		tcgetattr(STDIN_FILENO, &old);
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &noecho);
	}
	if (!fgets(out, (int)n, stdin))
		out[0] = '\0';
	len = strcspn(out, "\r\n");
	out[len] = '\0';
	if (tty) {
		fprintf(stderr, "\nอีกครั้ง / again: ");
		if (!fgets(again, sizeof again, stdin))
			again[0] = '\0';
		again[strcspn(again, "\r\n")] = '\0';
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
		if (strcmp(out, again))
			return err_msg(e, NAWAT_EINVAL, "รหัสผ่านทั้งสองครั้งไม่ตรงกัน", "the passwords differ");
	}
	if (!out[0])
		return err_msg(e, NAWAT_EINVAL, "ไม่ได้ให้รหัสผ่าน (ส่งทาง stdin)", "no password given (send it on stdin)");
	return 0;
}

static int print_user(void *ctx, const struct user *u)
{
	(void)ctx;
	printf("%-24s %-11s %-12s %s\n", u->name, role_name(u->role), u->scope[0] ? u->scope : "-",
	       u->disabled ? "ระงับ/disabled" : "ใช้งาน/active");
	return 0;
}

static int cmd_user(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "scope", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *role_s = NULL, *scope = NULL, *verb, *name;
	char password[256];
	struct nw_err e;
	enum role role;
	int ch, rc;

	err_clear(&e);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r')
			role_s = optarg;
		else if (ch == 's')
			scope = optarg;
		else
			return usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
	}
	if (argc - optind < 1)
		return usage_error("ระบุ add, passwd, disable, enable หรือ list", "give add, passwd, disable, enable or list");
	verb = argv[optind];
	name = argc - optind >= 2 ? argv[optind + 1] : NULL;
	if (strcmp(verb, "list") && (!name || argc - optind != 2))
		return usage_error("ระบุชื่อผู้ใช้หนึ่งชื่อ", "give one user name");
	if ((rc = open_store(c, 0, &e)))
		return fail(&e);
	if (!strcmp(verb, "add")) {
		if (!role_s || role_parse(role_s, &role))
			return usage_error("ระบุ --role central|area|school|teacher|researcher",
					   "give --role central|area|school|teacher|researcher");
		if ((rc = read_password(password, sizeof password, &e)) ||
		    (rc = auth_user_add(c->st, name, role, scope, password, cli_actor(), &e))) {
			explicit_bzero(password, sizeof password);
			return fail(&e);
		}
		explicit_bzero(password, sizeof password);
		printf("เพิ่มผู้ใช้ %s (%s) แล้ว / added user %s (%s)\n", name, role_s, name, role_s);
	} else if (!strcmp(verb, "passwd")) {
		if ((rc = read_password(password, sizeof password, &e)) ||
		    (rc = auth_user_passwd(c->st, name, password, cli_actor(), &e))) {
			explicit_bzero(password, sizeof password);
			return fail(&e);
		}
		explicit_bzero(password, sizeof password);
		printf("เปลี่ยนรหัสผ่านของ %s แล้ว / changed the password of %s\n", name, name);
	} else if (!strcmp(verb, "disable") || !strcmp(verb, "enable")) {
		if ((rc = auth_user_disable(c->st, name, !strcmp(verb, "disable"), cli_actor(), &e)))
			return fail(&e);
		printf("%s %s แล้ว / %sd %s\n", !strcmp(verb, "disable") ? "ระงับ" : "เปิดใช้", name, verb, name);
	} else if (!strcmp(verb, "list")) {
		if ((rc = auth_user_list(c->st, print_user, NULL, &e)))
			return fail(&e);
	} else {
		return usage_error("ไม่รู้จักคำสั่งย่อยของ user", "unknown user subcommand");
	}
	return EXIT_OK;
}

static int cmd_token(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	char token[AUTH_TOKEN_LEN + 1], *end;
	const char *label = NULL;
	struct nw_err e;
	int64_t id;
	int ch, rc;

	err_clear(&e);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'l')
			label = optarg;
		else
			return usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
	}
	if (argc - optind != 2)
		return usage_error("ใช้ nawat token create NAME หรือ nawat token revoke ID",
				   "use nawat token create NAME or nawat token revoke ID");
	if ((rc = open_store(c, 0, &e)))
		return fail(&e);
	if (!strcmp(argv[optind], "create")) {
		if ((rc = auth_token_create(c->st, argv[optind + 1], label, token, &id, cli_actor(), &e)))
			return fail(&e);
		printf("โทเค็นหมายเลข %lld ของ %s แสดงครั้งเดียวเท่านั้น เก็บไว้ให้ดี"
		       " / token %lld for %s, shown only once; keep it safe:\n%s\n",
		       (long long)id, argv[optind + 1], (long long)id, argv[optind + 1], token);
		explicit_bzero(token, sizeof token);
	} else if (!strcmp(argv[optind], "revoke")) {
		id = strtoll(argv[optind + 1], &end, 10);
		if (*end || id <= 0)
			return usage_error("ระบุหมายเลขโทเค็น", "give the token's number");
		if ((rc = auth_token_revoke(c->st, id, cli_actor(), &e))) {
			if (rc == NAWAT_ENOTFOUND)
				e.code = NAWAT_EINVAL; /* a wrong argument, not a broken store */
			return fail(&e);
		}
		printf("เพิกถอนโทเค็น %lld แล้ว / revoked token %lld\n", (long long)id, (long long)id);
	} else {
		return usage_error("ใช้ create หรือ revoke", "use create or revoke");
	}
	return EXIT_OK;
}

static int print_audit(void *ctx, const struct audit_entry *a)
{
	(void)ctx;
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)a->id, a->at, a->user_name, a->action,
	       a->dataset ? a->dataset : "-", a->item ? a->item : "-", a->detail ? a->detail : "");
	return 0;
}

static int cmd_audit(struct cli *c, int argc, char **argv)
{
	struct nw_err e;
	int64_t checked, bad;
	long limit = 50;
	int rc;

	err_clear(&e);
	if (argc < 2 || (strcmp(argv[1], "verify") && strcmp(argv[1], "list")))
		return usage_error("ใช้ nawat audit verify หรือ nawat audit list [N]",
				   "use nawat audit verify or nawat audit list [N]");
	if (argc > 2)
		limit = strtol(argv[2], NULL, 10);
	if ((rc = open_store(c, 0, &e)))
		return fail(&e);
	if (!strcmp(argv[1], "list")) {
		if ((rc = audit_list(c->st, limit, 0, print_audit, NULL))) {
			e = c->st->err;
			return fail(&e);
		}
		return EXIT_OK;
	}
	rc = audit_verify(c->st, &checked, &bad);
	if (rc == NAWAT_EDATA) {
		fprintf(stderr, "nawat: %s / %s\n", c->st->err.th, c->st->err.en);
		return EXIT_DATA;
	}
	if (rc) {
		e = c->st->err;
		return fail(&e);
	}
	printf("บันทึกการตรวจสอบครบถ้วน %lld รายการ / the audit log is intact: %lld entries\n",
	       (long long)checked, (long long)checked);
	return EXIT_OK;
}

/* ---- analytics ---- */

static int cmd_analytics(struct cli *c, int argc, char **argv)
{
	struct nw_err e;
	int64_t diff;
	int rc;

	err_clear(&e);
	if (argc != 2 || (strcmp(argv[1], "rebuild") && strcmp(argv[1], "check")))
		return usage_error("ใช้ nawat analytics rebuild หรือ nawat analytics check",
				   "use nawat analytics rebuild or nawat analytics check");
	if ((rc = open_store(c, 0, &e)))
		return fail(&e);
	if (!strcmp(argv[1], "rebuild")) {
		if ((rc = agg_rebuild(c->st))) {
			e = c->st->err;
			return fail(&e);
		}
		printf("คำนวณผลรวมสำหรับตัวชี้วัดผลสัมฤทธิ์และความเหลื่อมล้ำใหม่จากข้อมูลดิบแล้ว / "
		       "the achievement and equity aggregates were recomputed from the raw rows\n");
		return EXIT_OK;
	}
	if ((rc = agg_check(c->st, &diff, stderr))) {
		e = c->st->err;
		return fail(&e);
	}
	if (diff) {
		fprintf(stderr, "nawat: ผลรวมที่เก็บไว้ต่างจากที่คำนวณใหม่ %lld แถว (แก้ด้วย nawat analytics rebuild) / "
			"the kept aggregates differ from a recomputation in %lld rows (nawat analytics rebuild fixes them)\n",
			(long long)diff, (long long)diff);
		return EXIT_DATA;
	}
	printf("ผลรวมที่เก็บไว้ตรงกับที่คำนวณใหม่จากข้อมูลดิบทุกแถว / the kept aggregates equal a recomputation "
	       "from the raw rows\n");
	return EXIT_OK;
}

/* ---- serve ---- */

static int cmd_serve(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "access-log", required_argument, NULL, 'a' },
		{ "max-body-mb", required_argument, NULL, 'm' },
		{ "secure-cookies", no_argument, NULL, 's' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "cache-entries", required_argument, NULL, 'c' },
		{ "db-read", required_argument, NULL, 'r' },
		{ "trusted-proxy", required_argument, NULL, 'P' },
		{ "xlsx-max-unzipped-mb", required_argument, NULL, 'z' },
		{ "xlsx-max-strings-mb", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t xlsx_unzipped = 0, xlsx_strings = 0;
	const char *db_read = getenv("NAWAT_DB_READ") && *getenv("NAWAT_DB_READ") ? getenv("NAWAT_DB_READ") : NULL;
	long cache_entries = 64;
	struct http_opts ho;
	struct http_server *srv = NULL;
	struct app app;
	struct nw_err e;
	const char *access = NULL, *port_file = NULL;
	sigset_t set;
	char *end;
	int ch, rc, sig, secure = 0;
	long mb = 512;

	err_clear(&e);
	memset(&ho, 0, sizeof ho);
	ho.listen = "127.0.0.1:8080";
	ho.threads = 4;
	ho.idle_timeout = 60;
	ho.body_timeout = 300;
	ho.max_header = 64 * 1024;
	ho.trusted_proxies = getenv("NAWAT_TRUSTED_PROXY") && *getenv("NAWAT_TRUSTED_PROXY") ? getenv("NAWAT_TRUSTED_PROXY") : NULL;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': ho.listen = optarg; break;
		case 't':
			ho.threads = (unsigned)strtoul(optarg, &end, 10);
			if (*end || ho.threads < 1 || ho.threads > 256)
				return usage_error("--threads ต้องเป็น 1 ถึง 256", "--threads must be 1 to 256");
			break;
		case 'a': access = optarg; break;
		case 'm':
			mb = strtol(optarg, &end, 10);
			if (*end || mb < 1)
				return usage_error("--max-body-mb ต้องเป็นจำนวนเต็มบวก", "--max-body-mb must be a positive integer");
			break;
		case 's': secure = 1; break;
		case 'p': port_file = optarg; break;
		case 'r': db_read = optarg; break;
		case 'P': ho.trusted_proxies = optarg; break;
		case 'z':
			if ((rc = xlsx_limit(optarg, &xlsx_unzipped)))
				return rc;
			break;
		case 'x':
			if ((rc = xlsx_limit(optarg, &xlsx_strings)))
				return rc;
			break;
		case 'c':
			cache_entries = strtol(optarg, &end, 10);
			if (*end || cache_entries < 0 || cache_entries > 100000)
				return usage_error("--cache-entries ต้องเป็น 0 ถึง 100000", "--cache-entries must be 0 to 100000");
			break;
		default:
			return usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
		}
	}
	if (optind != argc)
		return usage_error("serve ไม่รับอาร์กิวเมนต์เพิ่ม", "serve takes no arguments");
	cache_configure((unsigned)cache_entries);
	ho.max_body = (size_t)mb << 20;
	if (access && strcmp(access, "-")) {
		ho.access_log = fopen(access, "a");
		if (!ho.access_log) {
			err_set(&e, NAWAT_EIO, "เปิดไฟล์บันทึกการเข้าถึง %s ไม่ได้", "cannot open the access log %s", access);
			return fail(&e);
		}
	} else if (access) {
		ho.access_log = stderr;
	}
	if ((rc = open_store(c, 0, &e)))
		return fail(&e);
	/* the server threads inherit a mask without the stop signals */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	app_init(&app, c->pkg, c->key, c->db, &e);
	app.secure_cookies = secure;
	app.db_read = db_read;
	app.max_body = ho.max_body;
	app.xlsx_max_unzipped = xlsx_unzipped;
	app.xlsx_max_strings = xlsx_strings;
	if ((rc = http_start(&ho, app_handle, &app, &srv, &e))) {
		app_release(&app);
		return fail(&e);
	}
	printf("nawat %s พร้อมให้บริการที่ / serving at http://%.*s:%u/\n", NAWAT_VERSION,
	       (int)(strrchr(ho.listen, ':') - ho.listen), ho.listen, http_port(srv));
	fflush(stdout);
	if (port_file) {
		FILE *pf = fopen(port_file, "w");

		if (pf) {
			fprintf(pf, "%u\n", http_port(srv));
			fclose(pf);
		}
	}
	sigwait(&set, &sig);
	fprintf(stderr, "nawat: หยุดให้บริการ รอคำขอที่ค้างอยู่ / stopping, finishing requests in flight\n");
	http_stop(srv, 120);
	app_release(&app);
	if (ho.access_log && ho.access_log != stderr)
		fclose(ho.access_log);
	return EXIT_OK;
}

/* ---- backup and restore ---- */

static int read_passphrase(char *out, size_t n, struct nw_err *e)
{
	const char *env = getenv("NAWAT_PASSPHRASE");

	if (env && *env) {
		snprintf(out, n, "%s", env);
		return 0;
	}
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "รหัสผ่านสำหรับกุญแจในสำรองข้อมูล / passphrase for the key in the backup\n");
	return read_password(out, n, e);
}

static int cmd_backup(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-key", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	char pass[256], sealed[4096];
	struct nw_err e;
	int ch, rc, no_key = 0;

	err_clear(&e);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n')
			no_key = 1;
		else
			return usage_error("ตัวเลือกไม่ถูกต้อง", "bad option");
	}
	if (argc - optind != 1)
		return usage_error("ระบุไฟล์สำรองหนึ่งไฟล์ เช่น nawat backup nawat-2567-11-22.backup",
				   "give one backup file, e.g. nawat backup nawat-2024-11-22.backup");
	snprintf(sealed, sizeof sealed, "%s.key.sealed", argv[optind]);
	if ((rc = open_store(c, 0, &e)))
		return fail(&e);
	if (!no_key && (rc = read_passphrase(pass, sizeof pass, &e)))
		return fail(&e);
	if ((rc = store_backup(c->st, argv[optind]))) {
		explicit_bzero(pass, sizeof pass);
		e = c->st->err;
		return fail(&e);
	}
	if (no_key) {
		fprintf(stderr,
			"คำเตือน: สำรองข้อมูลนี้ไม่มีกุญแจข้อมูลส่วนบุคคล หากไม่มีไฟล์กุญแจ %s จะส่งออกเลขประจำตัวประชาชนไม่ได้"
			" และนำเข้าข้อมูลนักเรียนเดิมให้ตรงกันไม่ได้ เก็บไฟล์กุญแจแยกไว้อย่างปลอดภัย\n"
			"WARNING: this backup does NOT contain the personal-data key. Without the key file %s the citizen"
			" IDs cannot be exported and new imports cannot be matched to stored students. Keep the key file"
			" safe, separately.\n", key_path_for(c), key_path_for(c));
	} else {
		rc = pii_key_seal_file(key_path_for(c), pass, sealed, &e);
		explicit_bzero(pass, sizeof pass);
		if (rc) {
			unlink(argv[optind]);
			return fail(&e);
		}
	}
	printf("สำรองข้อมูลไว้ที่ %s%s%s / backed up to %s%s%s\n", argv[optind], no_key ? "" : " และกุญแจที่ผนึกไว้ ",
	       no_key ? "" : sealed, argv[optind], no_key ? "" : " and the sealed key ", no_key ? "" : sealed);
	return EXIT_OK;
}

#define RESTORE_NOT_EMPTY_TH "ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว กู้คืนลงฐานข้อมูลใหม่ที่ว่างเท่านั้น"
#define RESTORE_NOT_EMPTY_EN "the target store is not empty: restore into a new, empty one"

/* Removes what a failed restore made: a new store file and an unsealed key. */
static void restore_undo(struct cli *c, int made_db, int made_key)
{
	char side[4096];

	store_close(c->st);
	c->st = NULL;
	if (made_db) {
		unlink(c->db);
		snprintf(side, sizeof side, "%s-wal", c->db);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", c->db);
		unlink(side);
	}
	if (made_key)
		unlink(key_path_for(c));
}

static int cmd_restore(struct cli *c, int argc, char **argv)
{
	char pass[256], sealed[4096], have[64], fp[33];
	struct nw_err e;
	struct stat sb;
	struct buf cols;
	int rc, exists = 0, made_db = 0, made_key = 0;
	size_t i;

	err_clear(&e);
	if (argc != 2)
		return usage_error("ระบุไฟล์สำรองหนึ่งไฟล์", "give one backup file");
	if (access(argv[1], R_OK) != 0) {
		err_set(&e, NAWAT_EINVAL, "อ่านไฟล์สำรอง %s ไม่ได้", "cannot read the backup %s", argv[1]);
		return fail(&e);
	}
	snprintf(sealed, sizeof sealed, "%s.key.sealed", argv[1]);
	if (!strstr(c->db, "://")) {
		if (stat(c->db, &sb) == 0) {
			err_msg(&e, NAWAT_EEXIST, RESTORE_NOT_EMPTY_TH, RESTORE_NOT_EMPTY_EN);
			return fail(&e);
		}
		made_db = 1;
	}
	/* the key first: a store without its key is of little use */
	if (stat(key_path_for(c), &sb) != 0) {
		if (access(sealed, R_OK) != 0) {
			err_set(&e, NAWAT_ECRYPTO,
				"ไม่มีไฟล์กุญแจ %s และสำรองข้อมูลไม่มีกุญแจ (%s) ให้ระบุไฟล์กุญแจด้วย --key",
				"no key file %s and the backup carries no key (%s): give the key file with --key",
				key_path_for(c), sealed);
			return fail(&e);
		}
		if ((rc = read_passphrase(pass, sizeof pass, &e)))
			return fail(&e);
		rc = pii_key_unseal_file(sealed, pass, key_path_for(c), &e);
		explicit_bzero(pass, sizeof pass);
		if (rc)
			return fail(&e);
		made_key = 1;
	}
	if ((rc = load_pkg(c, &e)) || (rc = store_open(c->db, c->pkg, 1, &c->st, &e)))
		goto undo;
	buf_init(&cols, 1 << 16);
	rc = c->st->ops->table_columns(c->st, "nawat_meta", &cols, &exists);
	buf_release(&cols);
	if (!rc && exists) {
		/* not ours to remove: it was there before */
		made_db = 0;
		rc = err_msg(&e, NAWAT_EEXIST, RESTORE_NOT_EMPTY_TH, RESTORE_NOT_EMPTY_EN);
		goto undo;
	}
	if (rc || (rc = store_restore(c->st, argv[1]))) {
		e = c->st->err;
		goto undo;
	}
	store_close(c->st);
	c->st = NULL;
	if ((rc = open_store(c, 0, &e)))
		goto undo;
	pii_key_fingerprint(c->key, fp);
	if (store_meta_get(c->st, "key_fingerprint", have, sizeof have) == 0 && strcmp(have, fp)) {
		rc = err_msg(&e, NAWAT_ECRYPTO, "กุญแจไม่ตรงกับข้อมูลที่กู้คืน", "the key does not belong to the restored store");
		goto undo;
	}
	printf("กู้คืนแล้ว / restored %s into %s:\n", argv[1], c->db);
	for (i = 0; i < c->pkg->ndatasets; i++) {
		int64_t n = 0;

		store_count(c->st, &c->pkg->datasets[i], NULL, &n);
		printf("  %-10s %lld\n", c->pkg->datasets[i].name, (long long)n);
	}
	return EXIT_OK;
undo:
	restore_undo(c, made_db, made_key);
	return fail(&e);
}

/* ---- main ---- */

static void usage(FILE *fp)
{
	fputs("nawat " NAWAT_VERSION " — ระบบสารสนเทศพื้นที่นวัตกรรมการศึกษา / Education Sandbox information system\n"
	      "\n"
	      "การใช้ / usage: nawat [--db PATH] [--key PATH] COMMAND [OPTIONS]\n"
	      "\n"
	      "  init                         สร้างหรือปรับรุ่นฐานข้อมูลและไฟล์กุญแจ / create or upgrade the store and key file\n"
	      "  import DATASET FILE...       นำเข้าไฟล์ / import files (CSV, XLSX, JSON, NDJSON)\n"
	      "  import --dir DIR             นำเข้าทุกไฟล์ในโฟลเดอร์ตามลำดับ / import areas, schools, students, outcomes... in order\n"
	      "      --report FILE            รายงานผลการตรวจสอบ / validation report (default nawat-report.csv)\n"
	      "      --accept-valid           บันทึกเฉพาะแถวที่ถูกต้อง / write the valid rows, reject the rest\n"
	      "      --dry-run                ตรวจสอบอย่างเดียว / validate only, write nothing\n"
	      "      --encoding ENC           utf-8 | tis-620 (default: detect)\n"
	      "      --ignore-unknown-columns ไม่สนใจคอลัมน์ที่ไม่รู้จัก / ignore unknown columns\n"
	      "      --xlsx-max-unzipped-mb N XLSX ขยายออกได้ไม่เกิน N MiB / inflate at most N MiB of an XLSX (default 1024)\n"
	      "      --xlsx-max-strings-mb N  ข้อความร่วมของ XLSX ไม่เกิน N MiB / shared strings at most N MiB (default 64)\n"
	      "  validate DATASET FILE...     = import --dry-run\n"
	      "  export DATASET [--format csv|json|ndjson|xlsx] [--out FILE] [--where FIELD=VALUE]...\n"
	      "      [--pseudonymise] [--no-bom]  ส่งออก / export (real IDs for the operator, or pseudonyms)\n"
	      "      [--since N]              เฉพาะที่เปลี่ยนหลังลำดับ N และคีย์ที่ถูกลบ / the change feed after N\n"
	      "  delete DATASET FILE... [--dry-run] [--report FILE]  ลบแถวตามคีย์ในไฟล์ / delete the rows of a file of keys\n"
	      "  template DATASET [--out FILE] [--format xlsx|csv]  แบบฟอร์มนำเข้า / the import template\n"
	      "  standard [--out DIR] [--check]  มาตรฐานข้อมูล / print or write the data standard\n"
	      "  demo [--students N] [--seed S] [--csv DIR]  ข้อมูลตัวอย่าง / load (or write) demo data\n"
	      "  serve [--listen ADDR:PORT] [--threads N] [--access-log FILE|-] [--max-body-mb N] [--secure-cookies]\n"
	      "        [--cache-entries N]    (answers kept per thread until the data changes; 0 = none)\n"
	      "        [--db-read URL]        (a read replica for GET requests; NAWAT_DB_READ)\n"
	      "        [--trusted-proxy IP,...]  (reverse proxies whose X-Forwarded-For names the client; NAWAT_TRUSTED_PROXY)\n"
	      "        [--xlsx-max-unzipped-mb N] [--xlsx-max-strings-mb N]  (XLSX limits of uploads, as for import)\n"
	      "                               เว็บและ API / serve the web UI and the JSON API (default 127.0.0.1:8080)\n"
	      "  user add NAME --role central|area|school|teacher|researcher [--scope CODE]   (password on stdin)\n"
	      "  user passwd NAME | user disable NAME | user enable NAME | user list\n"
	      "  token create NAME [--label TEXT] | token revoke ID   โทเค็น API / API bearer tokens\n"
	      "  audit verify | audit list [N]   บันทึกการตรวจสอบ / the audit log\n"
	      "  student relink OLD NEW [--dry-run]  ย้ายประวัตินักเรียนไปยังเลขประจำตัวใหม่ / move a student's history to another ID\n"
	      "  analytics rebuild | analytics check  ผลรวมตัวชี้วัดผลสัมฤทธิ์ คำนวณใหม่ / ตรวจ / recompute or check the equity aggregates\n"
	      "  backup FILE [--no-key]       สำรองข้อมูล (กุญแจผนึกด้วยรหัสผ่านใน FILE.key.sealed) / back up the store and its sealed key\n"
	      "  restore FILE                 กู้คืนลงฐานข้อมูลใหม่ / restore into a new, empty store\n"
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
		int (*fn)(struct cli *, int, char **);
	} cmds[] = {
		{ "init", cmd_init }, { "import", cmd_import }, { "validate", cmd_validate },
		{ "export", cmd_export }, { "template", cmd_template }, { "standard", cmd_standard },
		{ "demo", cmd_demo },
		{ "serve", cmd_serve }, { "user", cmd_user }, { "token", cmd_token }, { "audit", cmd_audit },
		{ "backup", cmd_backup }, { "restore", cmd_restore }, { "delete", cmd_delete },
		{ "student", cmd_student },
		{ "analytics", cmd_analytics },
	};
	struct cli c;
	int i, rc;

	memset(&c, 0, sizeof c);
	agg_register(); /* every store keeps the achievement and equity aggregates */
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
