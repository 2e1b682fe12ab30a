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
#   STUDENTS=1000000 (default)  ROUNDS=3 (default)  BENCH_DIR=bench/out (default)
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
# Measured in ROUNDS rounds (default 3), each a fresh database for either
# side: the machine's speed wanders, and a slow spell then weighs on both.
# The ratio takes the fastest of each; the ratio of each round is printed.
rounds=${ROUNDS:-3}
admin=$("$here/../tests/pg.sh" url "$pgdir")
reference() {
	ref=$("$here/../tests/pg.sh" createdb "$pgdir" "reference_$1")
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
	sync
	t0=$(now)
	for t in areas schools students outcomes; do
		psql -q "$ref" -c "\\copy $t FROM '$data/$t.csv' WITH (FORMAT csv, HEADER true)"
	done
	elapsed "$t0" "$(now)"
	psql -q "$admin" -c "DROP DATABASE reference_$1"
}
nawat_import() {
	db=$("$here/../tests/pg.sh" createdb "$pgdir" "nawat_bench_$1")
	NAWAT_DB="$db" NAWAT_KEY="$out/pg-bench.key" sh -c 'rm -f "$NAWAT_KEY"; "$0" init >/dev/null' "$nawat"
	sync
	t0=$(now)
	NAWAT_DB="$db" NAWAT_KEY="$out/pg-bench.key" /usr/bin/time -v -o "$out/pg-nawat.time" \
		"$nawat" import --dir "$data" --report "$out/pg-report.csv" >"$out/pg-import.out"
	elapsed "$t0" "$(now)"
	psql -q "$admin" -c "DROP DATABASE nawat_bench_$1"
}
t_ref="" t_nawat="" rss=0 ratios=""
printf '%-6s %14s %14s %8s\n' round "psql \\copy" nawat ratio
r=1
while [ "$r" -le "$rounds" ]; do
	a=$(reference "$r")
	n=$(nawat_import "$r")
	k=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$out/pg-nawat.time")
	[ "$k" -gt "$rss" ] && rss=$k
	t_ref=$(min "$t_ref" "$a")
	t_nawat=$(min "$t_nawat" "$n")
	ratio=$(echo "$n / $a" | bc -l)
	ratios="$ratios $(printf '%.3f' "$ratio")"
	printf '%-6s %12.2f s %12.2f s %8.3f\n' "$r" "$a" "$n" "$ratio"
	r=$((r + 1))
done
cat "$out/pg-import.out"
printf 'psql \\copy (reference), fastest:  %8.2f s\n' "$t_ref"
printf 'nawat import into PostgreSQL:    %8.2f s   peak RSS %6.1f MiB\n' "$t_nawat" "$(echo "$rss / 1024" | bc -l)"
printf 'ratio of each round:            %s\n' "$ratios"
printf 'ratio nawat / psql \\copy:        %8.3f     (target <= 1.25)\n' "$(echo "$t_nawat / $t_ref" | bc -l)"
