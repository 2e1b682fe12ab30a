#!/bin/sh
# replay.sh DIR - replays every corpus file (tests/fuzz/corpus/*/*) through
# each fuzz target built in DIR (DIR/replay-NAME, without libFuzzer), then
# one line "N passed, N failed" (one count per file and target).
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
	"$bin" tests/fuzz/corpus/*/ >"$out" 2>&1
	st=$?
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out" | tail -1)
	if [ -z "$p" ]; then
		p=0 f=1
	elif [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	grep -v '^[0-9]* passed, [0-9]* failed$' "$out" | tail -40
	echo "$t: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
