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
#   STUDENTS=1000000 (default)  BENCH_DIR=bench/out (default)
set -eu
nawat=$(realpath "$1")
students=${STUDENTS:-1000000}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"
out=$(realpath "$out")
data="$out/data-$students"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l | sed 's/^\./0./'; }
peak_kib() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }

echo "== นำเข้า / import: $students students, $((students * 10)) outcomes"
if [ ! -f "$data/outcomes.csv" ]; then
	mkdir -p "$data"
	t0=$(now)
	"$nawat" demo --students "$students" --csv "$data" 2>/dev/null
	echo "demo --csv: $(elapsed "$t0" "$(now)") s"
fi
ls -l "$data" | awk 'NR > 1 { printf "  %-14s %12d bytes\n", $9, $5 }'

# reference: same columns (citizen_id as text, no hash or sealed copy), same keys
ref="$out/ref.db"
rm -f "$ref" "$ref-wal" "$ref-shm"
cat >"$out/ref.sql" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -32768;
CREATE TABLE areas (area_code TEXT NOT NULL, name_th TEXT NOT NULL, name_en TEXT,
  designated_on TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (area_code)) WITHOUT ROWID;
CREATE TABLE schools (school_code TEXT NOT NULL, name_th TEXT NOT NULL, name_en TEXT,
  affiliation_code TEXT NOT NULL, province_code TEXT NOT NULL, district_th TEXT,
  subdistrict_th TEXT, esa_th TEXT, area_code TEXT, pilot TEXT NOT NULL, pilot_cohort INTEGER,
  pilot_since TEXT, latitude REAL, longitude REAL, PRIMARY KEY (school_code)) WITHOUT ROWID;
CREATE TABLE students (citizen_id TEXT NOT NULL, school_code TEXT NOT NULL,
  academic_year INTEGER NOT NULL, grade_code TEXT NOT NULL, gender TEXT NOT NULL,
  birth_date TEXT NOT NULL, disadvantage INTEGER NOT NULL, disability INTEGER NOT NULL,
  PRIMARY KEY (citizen_id, academic_year)) WITHOUT ROWID;
CREATE TABLE outcomes (citizen_id TEXT NOT NULL, school_code TEXT NOT NULL,
  academic_year INTEGER NOT NULL, term INTEGER NOT NULL, domain TEXT NOT NULL,
  subject_code TEXT NOT NULL, instrument TEXT NOT NULL, score REAL, level INTEGER,
  PRIMARY KEY (citizen_id, academic_year, term, domain, subject_code, instrument)) WITHOUT ROWID;
.import --csv --skip 1 $data/areas.csv areas
.import --csv --skip 1 $data/schools.csv schools
.import --csv --skip 1 $data/students.csv students
.import --csv --skip 1 $data/outcomes.csv outcomes
SQL
sync
t0=$(now)
/usr/bin/time -v -o "$out/ref.time" sqlite3 "$ref" <"$out/ref.sql" >/dev/null
t_ref=$(elapsed "$t0" "$(now)")

db="$out/nawat.db"
rm -f "$db" "$db-wal" "$db-shm" "$out/nawat.key"
NAWAT_DB="$db" NAWAT_KEY="$out/nawat.key" "$nawat" init >/dev/null
sync
t0=$(now)
NAWAT_DB="$db" NAWAT_KEY="$out/nawat.key" /usr/bin/time -v -o "$out/nawat.time" \
	"$nawat" import --dir "$data" --report "$out/report.csv" >"$out/import.out"
t_nawat=$(elapsed "$t0" "$(now)")
cat "$out/import.out"
rows=$(awk 'END { print NR - 1 }' "$out/report.csv")
[ "$rows" -eq 0 ] || { echo "the demo data has $rows report rows" >&2; exit 1; }

rss=$(peak_kib "$out/nawat.time")
ratio=$(echo "$t_nawat / $t_ref" | bc -l)
printf 'sqlite3 .import (reference):  %8.2f s   peak RSS %6.1f MiB\n' "$t_ref" "$(echo "$(peak_kib "$out/ref.time") / 1024" | bc -l)"
printf 'nawat import:                 %8.2f s   peak RSS %6.1f MiB (target <= 64)\n' "$t_nawat" "$(echo "$rss / 1024" | bc -l)"
printf 'ratio nawat/sqlite3:          %8.3f     (target <= 1.0)\n' "$ratio"
