#!/bin/sh
# xlsx.sh NAWAT - the XLSX import benchmark, as a ratio to the CSV import of
# the same rows measured in the same run.
#
# `nawat demo --csv` writes STUDENTS students; they are imported once and
# exported both as XLSX (`export --format xlsx`, libxlsxwriter in constant
# memory: inline strings, typed cells) and as CSV, the same rows in the same
# order.  Then each file is imported into a fresh store that holds the areas
# and schools (full validation, hashing and sealing of citizen IDs): the CSV
# import is the reference.  Prints both times, rows per second (target for
# XLSX >= 100,000), the ratio XLSX/CSV and the peak RSS of the XLSX import
# (target <= 64 MiB); checks that both stores hold the same rows.
#
#   STUDENTS=100000 (default)  BENCH_DIR=bench/out (default)
# Needs GNU time and bc (scripts/deps.sh test installs them).
set -eu
nawat=$(realpath "$1")
students=${STUDENTS:-100000}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"
out=$(realpath "$out")
data="$out/xlsx-data-$students"
work="$out/xlsx"
rm -rf "$work"
mkdir -p "$work"

. "$(dirname "$0")/lib.sh"

echo "== นำเข้า XLSX / XLSX import: $students students"
if [ ! -f "$data/students.csv" ]; then
	mkdir -p "$data"
	"$nawat" demo --students "$students" --csv "$data" 2>/dev/null
fi

# a store with the areas and schools, for each import
base() {
	rm -f "$1" "$1-wal" "$1-shm"
	NAWAT_DB="$1" NAWAT_KEY="$work/nawat.key" "$nawat" init >/dev/null
	for ds in areas schools; do
		NAWAT_DB="$1" NAWAT_KEY="$work/nawat.key" "$nawat" import $ds "$data/$ds.csv" \
			--report "$work/base-report.csv" >/dev/null
	done
}

# the files: the same rows, in the same order, as XLSX and as CSV
base "$work/prep.db"
NAWAT_DB="$work/prep.db" NAWAT_KEY="$work/nawat.key" "$nawat" import students "$data/students.csv" \
	--report "$work/prep.csv" >/dev/null
t0=$(now)
NAWAT_DB="$work/prep.db" NAWAT_KEY="$work/nawat.key" /usr/bin/time -v -o "$work/export.time" \
	"$nawat" export students --format xlsx --out "$work/students.xlsx" 2>/dev/null
t_export=$(elapsed "$t0" "$(now)")
NAWAT_DB="$work/prep.db" NAWAT_KEY="$work/nawat.key" \
	"$nawat" export students --format csv --out "$work/students.csv" 2>/dev/null
ls -l "$work/students.xlsx" "$work/students.csv" | awk '{ printf "  %-16s %12d bytes\n", $9, $5 }' |
	sed "s|$work/||"

run() { # run NAME FILE: imports FILE into a fresh base store; prints seconds
	base "$work/$1.db"
	sync
	t0=$(now)
	NAWAT_DB="$work/$1.db" NAWAT_KEY="$work/nawat.key" /usr/bin/time -v -o "$work/$1.time" \
		"$nawat" import students "$2" --report "$work/$1-report.csv" >"$work/$1.out"
	t=$(elapsed "$t0" "$(now)")
	grep -q "inserted $students," "$work/$1.out" || { cat "$work/$1.out" >&2; exit 1; }
	echo "$t"
}
t_csv=$(run csv "$work/students.csv")
t_xlsx=$(run xlsx "$work/students.xlsx")

# both stores hold the same rows
for s in csv xlsx; do
	NAWAT_DB="$work/$s.db" NAWAT_KEY="$work/nawat.key" "$nawat" export students --no-bom --out "$work/$s-back.csv" 2>/dev/null
done
cmp -s "$work/csv-back.csv" "$work/xlsx-back.csv" || { echo "the XLSX and CSV imports differ" >&2; exit 1; }

printf '%-28s %7s %10s %8s %11s %9s\n' "" "wall s" "rows/s" "CPU s" "rows/CPU-s" "peak RSS"
line() { # line LABEL SECONDS TIMEFILE
	printf '%-28s %7.2f %10.0f %8.2f %11.0f %6.1f MiB\n' "$1" "$2" "$(echo "$students / $2" | bc -l)" \
		"$(cpu "$3")" "$(echo "$students / $(cpu "$3")" | bc -l)" "$(mib "$3")"
}
line "export --format xlsx" "$t_export" "$work/export.time"
line "import CSV (reference)" "$t_csv" "$work/csv.time"
line "import XLSX" "$t_xlsx" "$work/xlsx.time"
printf 'ratio XLSX / CSV import: wall %.3f, CPU %.3f   (targets: XLSX >= 100000 rows/s, peak RSS <= 64 MiB)\n' \
	"$(echo "$t_xlsx / $t_csv" | bc -l)" "$(echo "$(cpu "$work/xlsx.time") / $(cpu "$work/csv.time")" | bc -l)"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
