#!/bin/sh
# cases.sh NAWAT DIR - runs the command-line test cases in DIR.
#
# Each case is a folder with a transcript, case.txt, and the files it uses.
# The folder is copied to a fresh temporary directory and the transcript
# replayed there:
#   # comment                 (the first comment says what the case tests)
#   $ command                 run with sh in the case directory
#   expected output lines     stdout and stderr of the command, exactly
#   ? N                       expected exit status (default 0)
# `nawat` is the binary under test; $BASE is the conformance suite's base
# store, $CONF its cases, $SHARED the shared folder, $FIXTURES the files of
# tests/fixtures; $DB2 and $DB3 name two more empty stores (files, or
# databases with PG_DIR).
#   # backends: sqlite (why)   the case runs on those backends only
# With PG_DIR set (a server started by tests/pg.sh), every case gets a fresh
# PostgreSQL database instead of a SQLite file.
# Prints one line per case and "N passed, N failed".
set -u
nawat=$(realpath "$1")
dir=$(realpath "$2")
SHARED=$(realpath "${SHARED:-../shared}")
export SHARED BASE="$SHARED/spec/conformance/base" CONF="$SHARED/spec/conformance/cases"
export FIXTURES="$(dirname "$dir")/fixtures"
pass=0 fail=0
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

# Writes the command script and the expected transcript of case.txt.
split_case() {
	awk -v cmds="$2" -v want="$3" '
		function flush_status() { if (incmd) { print "? " status >> want; incmd = 0 } }
		/^#/ && !started { next }
		/^\$ / {
			flush_status(); started = 1; n++
			print "$ " substr($0, 3) >> want
			print "__run " n " <<'"'"'__NAWAT_EOF__'"'"'" >> cmds
			print substr($0, 3) >> cmds
			print "__NAWAT_EOF__" >> cmds
			incmd = 1; status = 0; next
		}
		/^\? [0-9]+$/ { status = $2; next }
		started { print >> want }
		END { flush_status() }
	' "$1"
}

backend=sqlite
[ -n "${PG_DIR:-}" ] && backend=postgresql
n=0
for case in "$dir"/*/; do
	name=$(basename "$case")
	work="$root/$name"
	only=$(sed -n 's/^# backends: \([a-z, ]*\).*/\1/p' "$case/case.txt" | head -1)
	if [ -n "$only" ] && ! echo "$only" | grep -qw "$backend"; then
		echo "skip $name: $(sed -n 's/^# backends: //p' "$case/case.txt" | head -1)"
		continue
	fi
	n=$((n + 1))
	db=nawat.db db2=nawat2.db db3=nawat3.db
	if [ -n "${PG_DIR:-}" ]; then
		db=$("$(dirname "$0")/pg.sh" createdb "$PG_DIR" "case_$$_$n")
		if grep -q 'DB2\|DB3' "$case/case.txt"; then
			db2=$("$(dirname "$0")/pg.sh" createdb "$PG_DIR" "case_$$_${n}_2")
			db3=$("$(dirname "$0")/pg.sh" createdb "$PG_DIR" "case_$$_${n}_3")
		fi
	fi
	cp -r "$case" "$work"
	split_case "$case/case.txt" "$work/.cmds" "$work/.want"
	(
		cd "$work" || exit 1
		nawat() { "$nawat" "$@"; }
		__run() {
			script=$(cat)
			printf '$ %s\n' "$script"
			out=$(sh -c "nawat() { \"$nawat\" \"\$@\"; }; $script" 2>&1)
			st=$?
			[ -n "$out" ] && printf '%s\n' "$out"
			printf '? %s\n' "$st"
		}
		export NAWAT_DB="$db" NAWAT_KEY=nawat.key USER=tester DB2="$db2" DB3="$db3"
		. ./.cmds
	) >"$work/.got" 2>&1
	if cmp -s "$work/.want" "$work/.got"; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		diff "$work/.want" "$work/.got" | sed 's/^/     /' | head -40
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
