#!/bin/sh
# feed.sh NAWAT - the change feed: `nawat export outcomes --since 0` (every
# row, as NDJSON, with the citizen IDs unsealed, and the high-water mark),
# and `--since M` after an update of one school's results (rows of that
# import only), against the sqlite3 shell reading the same table in the
# same order into CSV (the reference: no unsealing, no JSON).  Prints rows
# per second (target >= 500,000 rows/s), the ratio to sqlite3 and nawat's
# peak RSS (target <= 64 MiB).
#
# Uses the store of run.sh ($BENCH_DIR/nawat.db with STUDENTS students and
# 10 results each) when there is one, else makes it.
#   STUDENTS=1000000 (default)  BENCH_DIR=bench/out (default)
set -eu
nawat=$(realpath "$1")
students=${STUDENTS:-1000000}
out=${BENCH_DIR:-bench/out}
mkdir -p "$out"
out=$(realpath "$out")
data="$out/data-$students"
db="$out/nawat.db"
export NAWAT_DB="$db" NAWAT_KEY="$out/nawat.key"

. "$(dirname "$0")/lib.sh"

echo "== ลำดับการเปลี่ยนแปลง / change feed: $((students * 10)) outcomes"
have=$(sqlite3 "$db" "SELECT count(*) FROM outcomes" 2>/dev/null || echo 0)
if [ "$have" -ne $((students * 10)) ]; then
	[ -f "$data/outcomes.csv" ] || "$nawat" demo --students "$students" --csv "$data" 2>/dev/null
	rm -f "$db" "$db-wal" "$db-shm" "$NAWAT_KEY"
	"$nawat" init >/dev/null
	"$nawat" import --dir "$data" --report "$out/feed-report.csv" >/dev/null
fi
rows=$(sqlite3 "$db" "SELECT count(*) FROM outcomes")

# the reference: the same rows, in change order, as CSV
t0=$(now)
/usr/bin/time -v -o "$out/feed-ref.time" sqlite3 -csv "$db" "SELECT * FROM outcomes ORDER BY nw_seq" >/dev/null
t_ref=$(elapsed "$t0" "$(now)")

t0=$(now)
/usr/bin/time -v -o "$out/feed.time" "$nawat" export outcomes --since 0 --format ndjson --out "$out/feed.ndjson" \
	2>"$out/feed.err"
t_feed=$(elapsed "$t0" "$(now)")
got=$(grep -c '"op":"upsert"' "$out/feed.ndjson")
[ "$got" -eq "$rows" ] || { echo "the feed gave $got rows of $rows" >&2; exit 1; }
mark=$(sed -n 's/.*"op":"mark","high_water_mark":\([0-9]*\).*/\1/p' "$out/feed.ndjson")

# one school's results changed: the next feed gives those rows and no others
school=$(sqlite3 "$db" "SELECT school_code FROM outcomes LIMIT 1")
"$nawat" export outcomes --where "school_code=$school" --out "$out/feed-school.csv" 2>/dev/null
changed=$(awk 'END { print NR - 1 }' "$out/feed-school.csv")
awk -F, 'BEGIN { OFS = "," } NR > 1 && $8 != "" { $8 = ($8 >= 99 ? $8 - 1 : $8 + 1) } { print }' \
	"$out/feed-school.csv" >"$out/feed-school-changed.csv"
updated=$("$nawat" import outcomes "$out/feed-school-changed.csv" --report "$out/feed-report.csv" |
	sed -n 's/.*updated \([0-9]*\),.*/\1/p')
t0=$(now)
"$nawat" export outcomes --since "$mark" --format ndjson --out "$out/feed-next.ndjson" 2>/dev/null
t_next=$(elapsed "$t0" "$(now)")
next=$(grep -c '"op":"upsert"' "$out/feed-next.ndjson" || true)
rm -f "$out/feed.ndjson" "$out/feed-next.ndjson" "$out/feed-school.csv" "$out/feed-school-changed.csv"

printf 'sqlite3 -csv, the table in change order:   %8.2f s   %10.0f rows/s\n' "$t_ref" "$(echo "$rows / $t_ref" | bc -l)"
printf 'nawat export --since 0 (NDJSON, IDs):      %8.2f s   %10.0f rows/s (target >= 500000)   peak RSS %6.1f MiB (target <= 64)\n' \
	"$t_feed" "$(echo "$rows / $t_feed" | bc -l)" "$(mib "$out/feed.time")"
printf 'ratio nawat / sqlite3:                     %8.3f\n' "$(echo "$t_feed / $t_ref" | bc -l)"
printf 'one school'"'"'s %d results re-imported, %d of them changed: --since %s gives %d rows in %.2f s\n' \
	"$changed" "$updated" "$mark" "$next" "$t_next"
[ "$next" -eq "$updated" ] || { echo "the feed after the change gave $next rows, not the $updated changed" >&2; exit 1; }
