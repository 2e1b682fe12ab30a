#!/bin/sh
# samechild.sh NAWAT - what the "may be the same child" check of student
# imports costs, as ratios to references measured in the same run.
#
# `nawat demo --csv` writes STUDENTS students (about 1% G-codes); the areas
# and schools go into a fresh store first (not timed).  Then, each timed:
#   fresh:      the students into it (every row new: the check counts them,
#               reads nothing back);
#   increment:  1% more students, each a copy of a stored one's school, year,
#               birth date, gender and grade under a new citizen ID (one in
#               five a G-code): the check reads the stored students of every
#               school and year they touch, and warns about the pairs;
#   again:      the first file once more (nothing new: the check does
#               nothing).
# The reference of each: the sqlite3 shell's `.import` of the same rows into
# a table with the same primary key.  With BASE_NAWAT=path (another build of
# nawat, e.g. one without the check) the same imports are timed with it too.
# Prints wall times, the ratios, the warnings and nawat's peak RSS.
#
#   STUDENTS=1000000 (default)  BENCH_DIR=bench/out (default)  BASE_NAWAT=
# Needs sqlite3, GNU time and bc (scripts/deps.sh test installs them).
set -eu
nawat=$(realpath "$1")
base_nawat=${BASE_NAWAT:+$(realpath "$BASE_NAWAT")}
students=${STUDENTS:-1000000}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"
out=$(realpath "$out")
data="$out/data-$students"
work="$out/samechild"
rm -rf "$work"
mkdir -p "$work"

. "$(dirname "$0")/lib.sh"

echo "== นักเรียนที่อาจเป็นคนเดียวกัน / may be the same child: $students students"
if [ ! -f "$data/students.csv" ]; then
	mkdir -p "$data"
	"$nawat" demo --students "$students" --csv "$data" 2>/dev/null
fi

# 1% new students like stored ones: every 100th row under a new ID
awk -F, 'function cd(d,   s, i) { s = 0; for (i = 1; i <= 12; i++) s += substr(d, i, 1) * (14 - i); return (11 - s % 11) % 10 }
	NR == 1 { print; next }
	NR % 100 == 0 { n++; d = sprintf("19%010d", n); $1 = n % 5 ? d cd(d) : "G" d; print }' OFS=, \
	"$data/students.csv" >"$work/increment.csv"
extra=$(($(wc -l <"$work/increment.csv") - 1))

# the reference: sqlite3's own import of the same rows
cat >"$work/ref.sql" <<SQL
PRAGMA page_size = 16384;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -32768;
CREATE TABLE students (citizen_id TEXT NOT NULL, school_code TEXT NOT NULL,
  academic_year INTEGER NOT NULL, grade_code TEXT NOT NULL, gender TEXT NOT NULL,
  birth_date TEXT NOT NULL, disadvantage INTEGER NOT NULL, disability INTEGER NOT NULL,
  PRIMARY KEY (citizen_id, academic_year));
SQL
ref() { # ref FILE: seconds of sqlite3 .import into the reference store
	t0=$(now)
	printf '.import --csv --skip 1 %s students\n' "$1" | sqlite3 "$work/ref.db" >/dev/null
	elapsed "$t0" "$(now)"
}
rm -f "$work/ref.db"*
sqlite3 "$work/ref.db" <"$work/ref.sql" >/dev/null
sync
r_fresh=$(ref "$data/students.csv")
r_incr=$(ref "$work/increment.csv")

# one binary through the three imports: "fresh increment again" seconds
run() { # run NAME BINARY
	db="$work/$1.db"
	rm -f "$db"* "$work/$1.key"
	NAWAT_DB="$db" NAWAT_KEY="$work/$1.key" "$2" init >/dev/null
	for ds in areas schools; do
		NAWAT_DB="$db" NAWAT_KEY="$work/$1.key" "$2" import $ds "$data/$ds.csv" --report "$work/$1-base.csv" >/dev/null
	done
	times=
	for step in fresh increment again; do
		f="$data/students.csv"
		[ "$step" = increment ] && f="$work/increment.csv"
		sync
		t0=$(now)
		NAWAT_DB="$db" NAWAT_KEY="$work/$1.key" /usr/bin/time -v -o "$work/$1-$step.time" \
			"$2" import students "$f" --report "$work/$1-$step.csv" >"$work/$1-$step.out"
		times="$times $(elapsed "$t0" "$(now)")"
		errors=$(grep -c ',error,' "$work/$1-$step.csv" || true)
		[ "$errors" -eq 0 ] || { echo "$1 $step: $errors errors" >&2; exit 1; }
	done
	echo "$times"
}
set -- $(run nawat "$nawat")
t_fresh=$1 t_incr=$2 t_again=$3
warn() { grep -c ',same_child,warning,' "$work/nawat-$1.csv" || true; }

printf '%-34s %9s %9s %9s\n' "" "fresh" "increment" "again"
printf '%-34s %9d %9d %9d\n' "rows" "$students" "$extra" "$students"
printf '%-34s %9.2f %9.3f %9s\n' "sqlite3 .import (reference), s" "$r_fresh" "$r_incr" "-"
printf '%-34s %9.2f %9.3f %9.2f\n' "nawat import, s" "$t_fresh" "$t_incr" "$t_again"
printf '%-34s %9.3f %9.3f %9s\n' "ratio nawat / sqlite3" "$(echo "$t_fresh / $r_fresh" | bc -l)" \
	"$(echo "$t_incr / $r_incr" | bc -l)" "-"
printf '%-34s %9d %9d %9d\n' "same_child warnings" "$(warn fresh)" "$(warn increment)" "$(warn again)"
printf '%-34s %9.1f %9.1f %9.1f\n' "nawat peak RSS, MiB" "$(mib "$work/nawat-fresh.time")" \
	"$(mib "$work/nawat-increment.time")" "$(mib "$work/nawat-again.time")"
if [ -n "$base_nawat" ]; then
	set -- $(run base "$base_nawat")
	printf '%-34s %9.2f %9.3f %9.2f\n' "BASE_NAWAT import, s" "$1" "$2" "$3"
	printf '%-34s %9.3f %9.3f %9.3f\n' "ratio nawat / BASE_NAWAT" "$(echo "$t_fresh / $1" | bc -l)" \
		"$(echo "$t_incr / $2" | bc -l)" "$(echo "$t_again / $3" | bc -l)"
fi
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
