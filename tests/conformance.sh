#!/bin/sh
# conformance.sh NAWAT CSVCUT - runs the public conformance suite of the
# exchange format (shared/spec/conformance) against a nawat binary:
#   1. import base/ into an empty store: no report rows;
#   2. validate each case with a dry run and compare the set of
#      (row, column, code, severity) of the report with expected.csv;
#   3. the store is unchanged at the end (every data set exported before and
#      after, byte for byte).
# Prints one line per case and "N passed, N failed".  With PG_DIR set (a
# server started by tests/pg.sh) the store is a fresh PostgreSQL database.
set -u
nawat=$(realpath "$1")
csvcut=$(realpath "$2")
suite=${SHARED:-../shared}/spec/conformance
if [ ! -d "$suite/cases" ]; then
	echo "conformance: suite not found at $suite (set SHARED)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
suite=$(realpath "$suite")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NAWAT_DB="$tmp/conformance.db" NAWAT_KEY="$tmp/conformance.key"
if [ -n "${PG_DIR:-}" ]; then
	NAWAT_DB=$("$(dirname "$0")/pg.sh" createdb "$PG_DIR" "conformance_$$")
fi
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /'; }

"$nawat" init >/dev/null || { bad "init"; echo "$pass passed, $fail failed"; exit 1; }
if "$nawat" import --dir "$suite/base" --report "$tmp/base-report.csv" >"$tmp/base.out" 2>&1 &&
   [ "$(wc -l <"$tmp/base-report.csv")" -eq 1 ]; then
	ok "base imports with no report rows"
else
	bad "base imports with no report rows" "$(cat "$tmp/base.out" "$tmp/base-report.csv")"
fi

snapshot() {
	for ds in areas schools students outcomes; do
		"$nawat" export "$ds" --format ndjson
	done
}
snapshot >"$tmp/before.ndjson" 2>&1

for case in "$suite"/cases/*/; do
	name=$(basename "$case")
	file=$(ls "$case" | grep -v '^expected.csv$' | head -1)
	ds=${file%.*}
	"$nawat" validate "$ds" "$case$file" --report "$tmp/report.csv" >"$tmp/out.txt" 2>&1
	status=$?
	"$csvcut" 2,3,5,6 "$tmp/report.csv" | tail -n +2 | sort >"$tmp/got"
	tail -n +2 "$case/expected.csv" | tr -d '\r' | sed '/^$/d' | sort >"$tmp/want"
	want_status=0
	grep -q ',error$' "$tmp/want" && want_status=1
	if cmp -s "$tmp/got" "$tmp/want" && [ "$status" -eq "$want_status" ]; then
		ok "$name"
	else
		bad "$name" "exit $status (want $want_status)
$(diff "$tmp/want" "$tmp/got" | sed 's/^</want/; s/^>/got /')"
	fi
done

snapshot >"$tmp/after.ndjson" 2>&1
if cmp -s "$tmp/before.ndjson" "$tmp/after.ndjson" && [ -s "$tmp/before.ndjson" ]; then
	ok "store unchanged by the dry runs"
else
	bad "store unchanged by the dry runs"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
