# lib.sh - helpers of the benchmark scripts (sourced): times and GNU time
# reports.
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l | sed 's/^\./0./'; }
# peak RSS of a `/usr/bin/time -v` report, in KiB, and in MiB
peak_kib() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }
mib() { echo "$(peak_kib "$1") / 1024" | bc -l; }
# user + system seconds of a `/usr/bin/time -v` report
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$1"; }
# the smaller of two times ($1 may be empty: then $2)
min() { [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" -eq 1 ] && echo "$2" || echo "$1"; }
