#!/bin/sh
# run.sh DIR SECONDS TARGET... - libFuzzer on each target (DIR/fuzz-NAME) for
# SECONDS, starting from tests/fuzz/corpus/NAME.  Inputs that reach new code
# are merged into that corpus (libFuzzer's -merge: only what adds coverage);
# a crash, leak, hang (FUZZ_TIMEOUT seconds, default 25) or broken invariant
# is saved as build/libfuzzer/crashes/NAME-* and the run goes on with the
# next target; the exit status says whether any target failed.
#
# FUZZ_JOBS=N runs N fuzzing processes per target (default 1).
set -u
cd "$(dirname "$0")/../.."
dir=$1
secs=$2
shift 2
crashes=build/libfuzzer/crashes
export FUZZ_BASE="$PWD/tests/fuzz/base"
mkdir -p "$crashes"
failed=""
for t in "$@"; do
	bin=$dir/fuzz-$t
	corpus=tests/fuzz/corpus/$t
	new=$(mktemp -d /tmp/nawat-fuzz-$t-XXXXXX)
	mkdir -p "$corpus"
	echo "== fuzz $t: ${secs}s from $(ls "$corpus" | wc -l) corpus files"
	log=build/libfuzzer/$t.log
	jobs=""
	# several processes: libFuzzer writes their logs to fuzz-N.log in the
	# current directory, so they run in build/libfuzzer
	[ "${FUZZ_JOBS:-1}" -gt 1 ] && jobs="-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS"
	top=$PWD
	# shellcheck disable=SC2086
	(cd build/libfuzzer && "$top/$bin" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-25}" \
		-rss_limit_mb=4096 -print_final_stats=1 $jobs -artifact_prefix="$top/$crashes/$t-" \
		"$new" "$top/$corpus") >"$log" 2>&1
	st=$?
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$log"
	if [ "$st" -ne 0 ]; then
		failed="$failed $t"
		grep -E 'ERROR: |SUMMARY: |invariant broken|Test unit written to' "$log" | head -20
		echo "fuzz $t: FAILED (log: $log)"
	fi
	# the corpus kept small: the seeds and regression inputs, and of the
	# rest (what libFuzzer kept before and found now) what adds coverage
	before=$(ls "$corpus" | wc -l)
	keep=$(mktemp -d /tmp/nawat-fuzz-keep-XXXXXX)
	rest=$(mktemp -d /tmp/nawat-fuzz-rest-XXXXXX)
	for f in "$corpus"/*; do
		case $(basename "$f") in
		seed-* | regress-*) cp "$f" "$keep/" ;;
		*) mv "$f" "$rest/" ;;
		esac
	done
	if "$bin" -merge=1 "$keep" "$rest" "$new" >"$log.merge" 2>&1; then
		rm -f "$corpus"/*
		cp "$keep"/* "$corpus/"
	else
		echo "fuzz $t: merge failed (log: $log.merge), corpus left as it was"
		mv "$rest"/* "$corpus/" 2>/dev/null
	fi
	echo "fuzz $t: corpus $before -> $(ls "$corpus" | wc -l) files in $corpus"
	rm -rf "$new" "$keep" "$rest"
done
if [ -n "$failed" ]; then
	echo "fuzz: failures in:$failed (inputs in $crashes)"
	exit 1
fi
echo "fuzz: no failure"
