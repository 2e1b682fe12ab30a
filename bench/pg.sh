#!/bin/sh
# pg.sh NAWAT - the import benchmark on PostgreSQL.
#
# The same files as bench/run.sh (nawat demo --csv, STUDENTS students and ten
# results each); a throwaway PostgreSQL server (tests/pg.sh); then, in the
# same run, `nawat import --dir` into a fresh database (full validation,
# hashing and sealing, COPY into staging and set-based upserts) and psql's
# \copy of the same CSV files into a fresh database with the same tables and
# primary keys and no validation (the reference).  Prints both times and the
# ratio (target <= 1.25).
#
#   STUDENTS=1000000 (default)  BENCH_DIR=bench/out (default)
set -eu
nawat=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
students=${STUDENTS:-1000000}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"
out=$(realpath "$out")
data="$out/data-$students"
pgdir=$(mktemp -d /tmp/nawat-bench-pg-XXXXXX)
trap '"$here/../tests/pg.sh" stop "$pgdir"' EXIT INT TERM

. "$(dirname "$0")/lib.sh"

echo "== PostgreSQL: $students students, $((students * 10)) outcomes"
if [ ! -f "$data/outcomes.csv" ]; then
	mkdir -p "$data"
	"$nawat" demo --students "$students" --csv "$data" 2>/dev/null
fi
"$here/../tests/pg.sh" start "$pgdir" >/dev/null
chmod 755 "$pgdir"
chmod -R a+rX "$data"
ref=$("$here/../tests/pg.sh" createdb "$pgdir" reference)
db=$("$here/../tests/pg.sh" createdb "$pgdir" nawat_bench)

psql -q "$ref" <<SQL
CREATE TABLE areas (area_code TEXT NOT NULL, name_th TEXT NOT NULL, name_en TEXT,
  designated_on DATE NOT NULL, status TEXT NOT NULL, PRIMARY KEY (area_code));
CREATE TABLE schools (school_code TEXT NOT NULL, name_th TEXT NOT NULL, name_en TEXT,
  affiliation_code TEXT NOT NULL, province_code TEXT NOT NULL, district_th TEXT,
  subdistrict_th TEXT, esa_th TEXT, area_code TEXT, pilot TEXT NOT NULL, pilot_cohort BIGINT,
  pilot_since DATE, latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, PRIMARY KEY (school_code));
CREATE TABLE students (citizen_id TEXT NOT NULL, school_code TEXT NOT NULL,
  academic_year BIGINT NOT NULL, grade_code TEXT NOT NULL, gender TEXT NOT NULL,
  birth_date DATE NOT NULL, disadvantage BIGINT NOT NULL, disability BIGINT NOT NULL,
  PRIMARY KEY (citizen_id, academic_year));
CREATE TABLE outcomes (citizen_id TEXT NOT NULL, school_code TEXT NOT NULL,
  academic_year BIGINT NOT NULL, term BIGINT NOT NULL, domain TEXT NOT NULL,
  subject_code TEXT NOT NULL, instrument TEXT NOT NULL, score DOUBLE PRECISION, level BIGINT,
  PRIMARY KEY (citizen_id, academic_year, term, domain, subject_code, instrument));
SQL
t0=$(now)
for t in areas schools students outcomes; do
	psql -q "$ref" -c "\\copy $t FROM '$data/$t.csv' WITH (FORMAT csv, HEADER true)"
done
t_ref=$(elapsed "$t0" "$(now)")

NAWAT_DB="$db" NAWAT_KEY="$out/pg-bench.key" sh -c 'rm -f "$NAWAT_KEY"; "$0" init >/dev/null' "$nawat"
t0=$(now)
NAWAT_DB="$db" NAWAT_KEY="$out/pg-bench.key" /usr/bin/time -v -o "$out/pg-nawat.time" \
	"$nawat" import --dir "$data" --report "$out/pg-report.csv" >"$out/pg-import.out"
t_nawat=$(elapsed "$t0" "$(now)")
cat "$out/pg-import.out"
rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$out/pg-nawat.time")
printf 'psql \\copy (reference):          %8.2f s\n' "$t_ref"
printf 'nawat import into PostgreSQL:    %8.2f s   peak RSS %6.1f MiB\n' "$t_nawat" "$(echo "$rss / 1024" | bc -l)"
printf 'ratio nawat / psql \\copy:        %8.3f     (target <= 1.25)\n' "$(echo "$t_nawat / $t_ref" | bc -l)"
