#!/bin/sh
# replay.sh DIR - replays the corpus of each fuzz target (tests/fuzz/corpus/NAME)
# through that target built in DIR (DIR/replay-NAME, without libFuzzer),
# then one line "N passed, N failed" (one count per file).  A target that
# fails is replayed again one file per process, to name the failing files.
set -u
cd "$(dirname "$0")/../.."
dir=$1
pass=0 fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for t in csv json xlsx validate import; do
	bin=$dir/replay-$t
	if [ ! -x "$bin" ]; then
		echo "FAIL $t: $bin is missing"
		fail=$((fail + 1))
		continue
	fi
	if ! "$bin" "tests/fuzz/corpus/$t" >"$out" 2>&1; then
		tail -30 "$out"
		"$bin" -f "tests/fuzz/corpus/$t" >"$out" 2>&1
	fi
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out" | tail -1)
	[ -z "$p" ] && p=0 f=1
	grep '^FAIL ' "$out" | head -20
	echo "$t: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
