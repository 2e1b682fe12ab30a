#!/bin/sh
# bigfile.sh NAWAT - a file of 2 GB imports with flat memory.
#
# Writes an outcomes CSV of BIGFILE_MB MiB (default 2048) as a stream (awk,
# never held in memory): every result a student of `nawat demo` can have in
# a year (3 terms x 27 subjects of the three domains x 5 instruments = 405
# rows a student), for as many demo students as the size needs.  Then imports
# into fresh stores holding the areas, schools and students:
#   - the first 1/20 of the rows (the reference, same run, same store), and
#   - the whole file (one all-or-nothing batch, full validation),
# and prints each import's wall time, rows per second and peak RSS (GNU time),
# and the ratio of the peak RSS of the whole file to the 1/20 one: memory is
# flat when it is ~1.  Targets: ratio <= 1.25, peak RSS <= 64 MiB; the script
# fails when either is missed or a row is not imported.  The files and
# stores are deleted at the end (it needs about 4 x BIGFILE_MB of free disk
# space in BENCH_DIR: the file and the store's database and journal).
#
#   BIGFILE_MB=2048 (default)  BENCH_DIR=bench/out (default)
# Needs GNU time, awk and bc (scripts/deps.sh test installs them).
set -eu
nawat=$(realpath "$1")
mb=${BIGFILE_MB:-2048}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"
out=$(realpath "$out")
work="$out/bigfile"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

. "$(dirname "$0")/lib.sh"

bytes=$((mb * 1024 * 1024))
need_kib=$((mb * 1024 * 4))
free_kib=$(df -Pk "$out" | awk 'NR == 2 { print $4 }')
if [ "$free_kib" -lt "$need_kib" ]; then
	echo "bigfile: $((free_kib / 1024)) MiB free in $out, $((need_kib / 1024)) MiB needed" >&2
	exit 1
fi
# rows are 44 to 50 bytes: students enough for the size, with room to spare
students=$((bytes / 40 / 405 + 1000))
echo "== ไฟล์ขนาดใหญ่ / a big file: outcomes CSV of $mb MiB ($students demo students)"

t0=$(now)
"$nawat" demo --students "$students" --csv "$work/data" >/dev/null 2>&1
echo "demo --csv: $(elapsed "$t0" "$(now)") s"

# outcomes.csv of at least `bytes` bytes, and small.csv: its rows up to 1/20
# of that, both written as they are made
t0=$(now)
awk -F, -v limit="$bytes" -v small="$work/small.csv" -v big="$work/big.csv" '
BEGIN {
	nk = split("THA MAT SCI SOC HPE ART OCC FLE", k, " ")
	ns = split("101 102 103 104 105 201 202 203 204 205 206", s, " ")
	na = split("301 302 303 304 305 306 307 308", a, " ")
	ni = split("SCH AREA NT RT ONET", ins, " ")
	head = "citizen_id,school_code,academic_year,term,domain,subject_code,instrument,score,level"
	print head > big
	print head > small
	n = length(head) + 1
	part = limit / 20
}
NR == 1 { next }
{
	for (t = 0; t <= 2; t++)
		for (i = 1; i <= ni; i++) {
			for (j = 1; j <= nk; j++)
				row($1 "," $2 "," $3 "," t ",K," k[j] "," ins[i] "," ((NR * 7 + j * 13 + t) % 100) "." (j % 10) ",")
			for (j = 1; j <= ns; j++)
				row($1 "," $2 "," $3 "," t ",S," s[j] "," ins[i] ",," 1 + (NR + j + i) % 4)
			for (j = 1; j <= na; j++)
				row($1 "," $2 "," $3 "," t ",A," a[j] "," ins[i] ",," (NR + j + t) % 4)
		}
	if (n >= limit)
		exit
}
function row(r) {
	print r > big
	if (n < part) {
		print r > small
		rows_small++
	}
	n += length(r) + 1
	rows++
}
END {
	print rows > (big ".rows")
	print rows_small > (small ".rows")
}' "$work/data/students.csv"
rows=$(cat "$work/big.csv.rows")
rows_small=$(cat "$work/small.csv.rows")
echo "files: $(elapsed "$t0" "$(now)") s"
ls -l "$work/big.csv" "$work/small.csv" | awk '{ printf "  %-10s %14s bytes\n", $9, $5 }' | sed "s|$work/||"
[ "$(stat -c %s "$work/big.csv")" -ge "$bytes" ] || { echo "bigfile: the file is too small" >&2; exit 1; }

# a store with the areas, schools and students, copied for each import
base="$work/base.db"
NAWAT_DB="$base" NAWAT_KEY="$work/nawat.key" "$nawat" init >/dev/null
for ds in areas schools students; do
	NAWAT_DB="$base" NAWAT_KEY="$work/nawat.key" "$nawat" import $ds "$work/data/$ds.csv" \
		--report "$work/base-report.csv" >/dev/null
done
rm -rf "$work/data"

run() { # run NAME FILE ROWS: imports FILE into a copy of the base store; prints seconds
	cp "$base" "$work/$1.db"
	sync
	t0=$(now)
	NAWAT_DB="$work/$1.db" NAWAT_KEY="$work/nawat.key" /usr/bin/time -v -o "$work/$1.time" \
		"$nawat" import outcomes "$2" --report "$work/$1-report.csv" >"$work/$1.out"
	t=$(elapsed "$t0" "$(now)")
	grep -q "inserted $3," "$work/$1.out" || { cat "$work/$1.out" "$work/$1-report.csv" | head -20 >&2; exit 1; }
	rm -f "$work/$1.db" "$work/$1.db-wal" "$work/$1.db-shm"
	echo "$t"
}
t_small=$(run small "$work/small.csv" "$rows_small")
t_big=$(run big "$work/big.csv" "$rows")

printf '%-32s %12s %9s %10s %9s\n' "" "rows" "wall s" "rows/s" "peak RSS"
line() { # line LABEL ROWS SECONDS TIMEFILE
	printf '%-32s %12d %9.1f %10.0f %6.1f MiB\n' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)" "$(mib "$4")"
}
line "import 1/20 of it (reference)" "$rows_small" "$t_small" "$work/small.time"
line "import $mb MiB" "$rows" "$t_big" "$work/big.time"
ratio=$(echo "$(peak_kib "$work/big.time") / $(peak_kib "$work/small.time")" | bc -l)
printf 'peak RSS ratio %d MiB / %d MiB file: %.3f   (targets: <= 1.25, peak RSS <= 64 MiB)\n' \
	"$mb" "$((mb / 20))" "$ratio"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
ok=$(echo "$ratio <= 1.25 && $(peak_kib "$work/big.time") <= 64 * 1024" | bc -l)
[ "$ok" -eq 1 ] || { echo "bigfile: memory is not flat, or over 64 MiB" >&2; exit 1; }
