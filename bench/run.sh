#!/bin/sh
# run.sh NAWAT - the benchmarks of nawat, each a ratio to a reference measured
# in the same run on the same machine.
#
# import: `nawat demo --csv` writes STUDENTS students and 10 results each;
# then, into fresh stores, `nawat import --dir` (full validation, hashing and
# sealing of citizen IDs, upsert counting, submission records) and the sqlite3
# shell's own `.import` of the same files into tables with the same columns
# and the same primary keys, with no validation (the reference).  Prints both
# times, the ratio nawat/sqlite3 (target <= 1.0) and nawat's peak RSS
# (target <= 64 MiB).
#
#   STUDENTS=1000000 (default)  ROUNDS=3 (default)  BENCH_DIR=bench/out (default)
# Needs sqlite3, GNU time and bc (scripts/deps.sh test installs them).
set -eu
nawat=$(realpath "$1")
students=${STUDENTS:-1000000}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"
out=$(realpath "$out")
data="$out/data-$students"

. "$(dirname "$0")/lib.sh"

echo "== นำเข้า / import: $students students, $((students * 10)) outcomes"
if [ ! -f "$data/outcomes.csv" ]; then
	mkdir -p "$data"
	t0=$(now)
	"$nawat" demo --students "$students" --csv "$data" 2>/dev/null
	echo "demo --csv: $(elapsed "$t0" "$(now)") s"
fi
ls -l "$data" | awk 'NR > 1 { printf "  %-14s %12d bytes\n", $9, $5 }'

# reference: the sqlite3 shell's own .import of the same files into the same
# tables (rowid tables with the natural key as PRIMARY KEY, as nawat's own)
# with citizen_id as text instead of a hash and a sealed copy, and no
# validation.  Measured three times: with the shell's defaults; with nawat's
# own store settings (WAL, 16 KiB pages, 32 MiB cache); and with those of
# its bulk load, which a first load into a store no one else has open takes
# (a rollback journal, synchronous FULL, 16 KiB pages, 32 MiB cache).  The
# ratio is taken against the fastest of the three.
cat >"$out/tables.sql" <<SQL
CREATE TABLE areas (area_code TEXT NOT NULL, name_th TEXT NOT NULL, name_en TEXT,
  designated_on TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (area_code));
CREATE TABLE schools (school_code TEXT NOT NULL, name_th TEXT NOT NULL, name_en TEXT,
  affiliation_code TEXT NOT NULL, province_code TEXT NOT NULL, district_th TEXT,
  subdistrict_th TEXT, esa_th TEXT, area_code TEXT, pilot TEXT NOT NULL, pilot_cohort INTEGER,
  pilot_since TEXT, latitude REAL, longitude REAL, PRIMARY KEY (school_code));
CREATE TABLE students (citizen_id TEXT NOT NULL, school_code TEXT NOT NULL,
  academic_year INTEGER NOT NULL, grade_code TEXT NOT NULL, gender TEXT NOT NULL,
  birth_date TEXT NOT NULL, disadvantage INTEGER NOT NULL, disability INTEGER NOT NULL,
  PRIMARY KEY (citizen_id, academic_year));
CREATE TABLE outcomes (citizen_id TEXT NOT NULL, school_code TEXT NOT NULL,
  academic_year INTEGER NOT NULL, term INTEGER NOT NULL, domain TEXT NOT NULL,
  subject_code TEXT NOT NULL, instrument TEXT NOT NULL, score REAL, level INTEGER,
  PRIMARY KEY (citizen_id, academic_year, term, domain, subject_code, instrument));
.import --csv --skip 1 $data/areas.csv areas
.import --csv --skip 1 $data/schools.csv schools
.import --csv --skip 1 $data/students.csv students
.import --csv --skip 1 $data/outcomes.csv outcomes
SQL
printf 'PRAGMA page_size = 16384;\nPRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nPRAGMA cache_size = -32768;\n' |
	cat - "$out/tables.sql" >"$out/ref-nawat-settings.sql"
printf 'PRAGMA page_size = 16384;\nPRAGMA journal_mode = DELETE;\nPRAGMA synchronous = FULL;\nPRAGMA cache_size = -32768;\n' |
	cat - "$out/tables.sql" >"$out/ref-nawat-bulk.sql"

# Measured in ROUNDS rounds (default 3), one after the other, each round all
# four: the three references and nawat.  The machine's speed wanders (a
# shared virtual machine: the same import's CPU time moves by a fifth from
# one run to the next), and a slow spell then weighs on both sides.  The
# ratio takes the fastest nawat against the fastest reference of all runs;
# the ratio of each round is printed as well.
rounds=${ROUNDS:-3}
reference() {
	rm -f "$out/ref.db" "$out/ref.db-wal" "$out/ref.db-shm"
	sync
	t0=$(now)
	/usr/bin/time -v -o "$out/ref-$1.time" sqlite3 "$out/ref.db" <"$2" >/dev/null
	elapsed "$t0" "$(now)"
}
nawat_import() {
	db="$out/nawat.db"
	rm -f "$db" "$db-wal" "$db-shm" "$out/nawat.key"
	NAWAT_DB="$db" NAWAT_KEY="$out/nawat.key" "$nawat" init >/dev/null
	sync
	t0=$(now)
	NAWAT_DB="$db" NAWAT_KEY="$out/nawat.key" /usr/bin/time -v -o "$out/nawat.time" \
		"$nawat" import --dir "$data" --report "$out/report.csv" >"$out/import.out"
	elapsed "$t0" "$(now)"
}
t_ref="" t_nawat="" rss=0 ratios=""
printf '%-6s %14s %14s %14s %14s %8s\n' round "ref default" "ref settings" "ref bulk" nawat ratio
r=1
while [ "$r" -le "$rounds" ]; do
	a=$(reference default "$out/tables.sql")
	b=$(reference settings "$out/ref-nawat-settings.sql")
	c=$(reference bulk "$out/ref-nawat-bulk.sql")
	n=$(nawat_import)
	# the demo data must pass; its warnings (students that may be the
	# same child: a G-code and an ID alike in school, year, birth date,
	# gender and grade) are counted
	errors=$(grep -c ',error,' "$out/report.csv" || true)
	[ "$errors" -eq 0 ] || { cat "$out/import.out"; echo "the demo data has $errors errors" >&2; exit 1; }
	k=$(peak_kib "$out/nawat.time")
	[ "$k" -gt "$rss" ] && rss=$k
	fastest=$(min "$(min "$a" "$b")" "$c")
	t_ref=$(min "$t_ref" "$fastest")
	t_nawat=$(min "$t_nawat" "$n")
	ratio=$(echo "$n / $fastest" | bc -l)
	ratios="$ratios $(printf '%.3f' "$ratio")"
	printf '%-6s %12.2f s %12.2f s %12.2f s %12.2f s %8.3f\n' "$r" "$a" "$b" "$c" "$n" "$ratio"
	r=$((r + 1))
done
cat "$out/import.out"
echo "warnings in the report: $(($(awk 'END { print NR - 1 }' "$out/report.csv") - errors))"
printf 'sqlite3 .import, fastest run:              %8.2f s   peak RSS %6.1f MiB (bulk-load settings)\n' "$t_ref" "$(mib "$out/ref-bulk.time")"
printf 'nawat import (validate, hash, seal, upsert): %6.2f s   peak RSS %6.1f MiB (target <= 64)\n' "$t_nawat" "$(echo "$rss / 1024" | bc -l)"
printf 'ratio of each round:                      %s\n' "$ratios"
printf 'ratio nawat / fastest sqlite3:             %8.3f     (target <= 1.0)\n' "$(echo "$t_nawat / $t_ref" | bc -l)"
