#!/bin/sh
# equity.sh NAWAT - GET /api/v1/equity at national scale, against the same
# numbers computed by plain SQL GROUP BY over the raw tables, in the same run.
#
# The store of the import benchmark (bench/run.sh: STUDENTS students, ten
# results each) is copied, or one is made with `nawat demo --csv` and
# `nawat import`.  nawat serve runs with its answer cache off (every request
# computed from the aggregates); REQUESTS requests of the national scope and
# of the largest area, one after the other, give p50 and p95; the reference
# runs the GROUP BY queries of the same numbers (counts, sums and sums of
# squares by disadvantage, domain and subject, scores below 50 and levels
# reached, distinct students) over outcomes joined to students (and, for
# the area, schools) with the sqlite3 shell, RUNS times each.  Prints both,
# the ratio reference / API (target >= 100) and whether p95 < 50 ms.
#
#   STUDENTS=1000000 (default)  BENCH_DIR=bench/out (default)  REQUESTS=200  RUNS=5
set -eu
nawat=$(realpath "$1")
students=${STUDENTS:-1000000}
out=${BENCH_DIR:-bench/out}
requests=${REQUESTS:-200}
runs=${RUNS:-5}
mkdir -p "$out"
out=$(realpath "$out")
data="$out/data-$students"
run="$out/equity"
rm -rf "$run"
mkdir -p "$run"

. "$(dirname "$0")/lib.sh"

export NAWAT_DB="$run/equity.db" NAWAT_KEY="$run/equity.key"
cleanup() {
	[ -f "$run/nawat.pid" ] && kill "$(cat "$run/nawat.pid")" 2>/dev/null || true
	rm -f "$NAWAT_DB" "$NAWAT_DB-wal" "$NAWAT_DB-shm" # (a copy of the store: a gigabyte or more)
}
trap cleanup EXIT INT TERM

echo "== ผลสัมฤทธิ์และความเหลื่อมล้ำ / equity API: $students students, $((students * 10)) outcomes"
if [ -f "$out/nawat.db" ] && [ -f "$data/students.csv" ] &&
	[ "$(sqlite3 "$out/nawat.db" 'SELECT count(*) FROM students' 2>/dev/null)" = "$students" ]; then
	cp "$out/nawat.db" "$NAWAT_DB"
	cp "$out/nawat.key" "$NAWAT_KEY"
else
	if [ ! -f "$data/outcomes.csv" ]; then
		mkdir -p "$data"
		"$nawat" demo --students "$students" --csv "$data" 2>/dev/null
	fi
	"$nawat" init >/dev/null
	"$nawat" import --dir "$data" --report "$run/report.csv" >/dev/null
fi
"$nawat" init >/dev/null # (the aggregates of a store made before them are filled in here)
echo 'bench-password-1' | "$nawat" user add bench --role central >/dev/null
token=$("$nawat" token create bench --label bench | tail -1)

year=$(sqlite3 "$NAWAT_DB" "SELECT MAX(academic_year) FROM eq_rollup WHERE level = 'N'")
term=$(sqlite3 "$NAWAT_DB" "SELECT MAX(term) FROM eq_rollup WHERE level = 'N' AND academic_year = $year")
instr=$(sqlite3 "$NAWAT_DB" "SELECT instrument FROM eq_rollup WHERE level = 'N' AND academic_year = $year AND term = $term AND subject_code <> '*' GROUP BY instrument ORDER BY SUM(n) DESC LIMIT 1")
area=$(sqlite3 "$NAWAT_DB" "SELECT code FROM eq_rollup WHERE level = 'A' AND academic_year = $year AND term = $term AND instrument = '$instr' AND domain = '*' GROUP BY code ORDER BY SUM(n) DESC LIMIT 1")
area_students=$(sqlite3 "$NAWAT_DB" "SELECT SUM(n) FROM eq_rollup WHERE level = 'A' AND code = '$area' AND academic_year = $year AND term = $term AND instrument = '$instr' AND domain = '*'")
echo "ปีการศึกษา / academic year $year, term $term, instrument $instr; largest area $area ($area_students students)"

"$nawat" serve --listen 127.0.0.1:0 --port-file "$run/port" --cache-entries 0 >"$run/nawat.log" 2>&1 &
echo $! >"$run/nawat.pid"
i=0
while [ ! -s "$run/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$run/port")

# p50 and p95 (milliseconds) of a file of seconds, one a line
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p + 0.999999); if (i < 1) i = 1; printf "%.2f", v[i] * 1000 }'; }

api() { # name, query
	url="http://127.0.0.1:$port/api/v1/equity?$2&academic_year=$year&term=$term&instrument=$instr"
	curl -sf -H "Authorization: Bearer $token" "$url" >"$run/$1.json"
	n=0
	: >"$run/$1.api"
	while [ $n -lt "$requests" ]; do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url" >>"$run/$1.api"
		n=$((n + 1))
	done
}

cat >"$run/ref-national.sql" <<SQL
SELECT s.disadvantage, o.domain, o.subject_code, COUNT(*), SUM(o.score), SUM(o.score * o.score),
  SUM(o.score < 50), SUM(o.level), SUM(o.level * o.level), SUM(o.level >= 2), SUM(o.level >= 3),
  COUNT(DISTINCT o.citizen_id_hash)
FROM outcomes o JOIN students s ON s.citizen_id_hash = o.citizen_id_hash AND s.academic_year = o.academic_year
WHERE o.academic_year = $year AND o.term = $term AND o.instrument = '$instr'
GROUP BY s.disadvantage, o.domain, o.subject_code;
SELECT s.disadvantage, COUNT(DISTINCT o.citizen_id_hash)
FROM outcomes o JOIN students s ON s.citizen_id_hash = o.citizen_id_hash AND s.academic_year = o.academic_year
WHERE o.academic_year = $year AND o.term = $term AND o.instrument = '$instr'
GROUP BY s.disadvantage;
SQL
sed "s/^WHERE o.academic_year/JOIN schools sc ON sc.school_code = o.school_code WHERE sc.area_code = '$area' AND o.academic_year/" \
	"$run/ref-national.sql" >"$run/ref-area.sql"

reference() { # name
	n=0
	: >"$run/$1.ref"
	while [ $n -lt "$runs" ]; do
		t0=$(now)
		sqlite3 "$NAWAT_DB" <"$run/ref-$1.sql" >"$run/$1.ref.out"
		elapsed "$t0" "$(now)" >>"$run/$1.ref"
		n=$((n + 1))
	done
}

for scope in national area; do
	if [ $scope = national ]; then api national "scope=national"; else api area "scope=area:$area"; fi
	reference $scope
	a50=$(pct "$run/$scope.api" 0.5)
	a95=$(pct "$run/$scope.api" 0.95)
	r50=$(pct "$run/$scope.ref" 0.5)
	r95=$(pct "$run/$scope.ref" 0.95)
	ratio=$(echo "$r50 / $a50" | bc -l)
	students_api=$(sed -n 's/.*"small_groups_suppressed":false,"students":\([0-9]*\).*/\1/p' "$run/$scope.json")
	printf '%-8s GET /api/v1/equity: p50 %8.2f ms  p95 %8.2f ms (target < 50)  %s (%s students, %d requests)\n' \
		"$scope" "$a50" "$a95" "$(echo "$a95 < 50" | bc | sed 's/1/ok/; s/0/MISSED/')" "$students_api" "$requests"
	printf '%-8s SQL GROUP BY on the raw tables: p50 %8.0f ms  p95 %8.0f ms (%d runs)\n' "$scope" "$r50" "$r95" "$runs"
	printf '%-8s ratio SQL / API (p50):       %10.0f x (target >= 100)  %s\n' "$scope" "$ratio" \
		"$(echo "$ratio >= 100" | bc | sed 's/1/ok/; s/0/MISSED/')"
done
