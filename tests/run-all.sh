#!/bin/sh
# run-all.sh BUILD... - every test suite against each build directory (the
# normal build and the sanitizer build), then one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
total_pass=0 total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds the counts of a suite's last line ("N passed, N failed" or cmocka's).
count() {
	p=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' "$log" | tail -1)
	if [ -z "$p" ]; then
		p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\.$/\1/p' "$log" | tail -1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below:$/\1/p' "$log" | tail -1)
	fi
	if [ -z "$p" ]; then
		# node's test runner: "# pass N", "# fail N", "# cancelled N"
		p=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
		f=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
		c=$(sed -n 's/^# cancelled \([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
		[ -n "$f" ] && [ -n "$c" ] && f=$((f + c))
	fi
	[ -z "$p" ] && p=0
	[ -z "$f" ] && f=0
	# a suite that crashed or printed no summary counts as one failure
	if [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

suite() {
	name=$1
	shift
	echo "== $name"
	"$@" >"$log" 2>&1
	st=$?
	cat "$log"
	count "$st"
}

for b in "$@"; do
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
	for t in "$b"/tests/test_*; do
		[ -x "$t" ] || continue
		suite "$b: $(basename "$t")" "$t"
	done
	suite "$b: conformance" tests/conformance.sh "$b/nawat" build/tests/csvcut
	suite "$b: fuzz corpora replayed through their targets" tests/fuzz/replay.sh "$b/fuzz"
	suite "$b: command-line cases" tests/cases.sh "$b/nawat" tests/cases
	suite "$b: HTTP against a server" env NAWAT="$b/nawat" node --test --test-reporter=tap tests/http/
done
# The unit tests with threads, under ThreadSanitizer (TSAN_BIN: their
# binaries): a data race fails them.
for t in ${TSAN_BIN:-}; do
	suite "threadsanitizer: $(basename "$t")" env TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$t"
done
# Files written by LibreOffice and Gnumeric (and TIS-620 by iconv), against
# the normal build: the programs are slow to start.
suite "spreadsheet programs: LibreOffice, Gnumeric, iconv" tests/xlsx.sh "$1/nawat"
# The web UI in Chromium, against the normal build.
suite "browser: the web UI in Chromium" env NAWAT="$PWD/$1/nawat" sh -c 'cd tests/browser && node --test --test-reporter=tap'

# The same suites that touch the store, against a real PostgreSQL server the
# tests start themselves (unit tests that need no store are not repeated).
pgdir=$(mktemp -d /tmp/nawat-pg-XXXXXX)
if tests/pg.sh start "$pgdir" >/dev/null 2>"$log"; then
	export PG_DIR="$pgdir"
	suite "postgresql: test_import" build/tests/test_import
	suite "postgresql: test_agg" build/tests/test_agg
	suite "postgresql: conformance" tests/conformance.sh build/nawat build/tests/csvcut
	suite "postgresql: command-line cases" tests/cases.sh build/nawat tests/cases
	suite "postgresql: HTTP against a server" env NAWAT=build/nawat node --test --test-reporter=tap tests/http/
	unset PG_DIR
	tests/pg.sh stop "$pgdir"
else
	cat "$log"
	echo "== postgresql: cannot start a server (see above)"
	total_fail=$((total_fail + 1))
	rm -rf "$pgdir"
fi

# Scale-out: a primary and a streaming replica, two servers behind nginx.
suite "cluster: PostgreSQL primary + replica, two servers behind nginx" tests/cluster/run.sh build/nawat

echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
