#!/bin/sh
# run.sh [NAWAT] - the scale-out test: a PostgreSQL primary and a streaming
# replica (tests/pg.sh), two `nawat serve` reading the replica, nginx in front
# (round robin), all on 127.0.0.1; the scenario is tests/cluster/*.test.mjs.
#
# Everything lives in one temporary directory, removed at the end, also when a
# step fails or the run is interrupted.  Prints node's "# pass N" / "# fail N".
set -u
cd "$(dirname "$0")/../.."
nawat=${1:-./nawat}
[ -x "$nawat" ] || { echo "run.sh: no nawat binary at $nawat (make)" >&2; exit 2; }

dir=$(mktemp -d /tmp/nawat-cluster-XXXXXX)
# as root the servers run as "postgres", which must reach its directories here
chmod 711 "$dir"
mkdir "$dir/pids"

ours() {
	[ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "$dir"
}

node_pid=
cleanup() {
	trap - EXIT INT TERM
	[ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null
	# what the test started and did not stop (it records the process IDs):
	# only a process whose command line names this directory is ours.  nginx
	# is asked to stop (its master stops its workers), the others are killed.
	for f in "$dir"/pids/*; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		ours "$pid" || continue
		if [ "$(basename "$f")" = nginx ]; then
			kill -TERM "$pid" 2>/dev/null
			i=0
			while ours "$pid" && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		fi
		ours "$pid" && kill -9 "$pid" 2>/dev/null
	done
	tests/pg.sh stop "$dir/replica"
	tests/pg.sh stop "$dir/primary"
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

primary=$(tests/pg.sh start "$dir/primary") || { echo "run.sh: cannot start the primary" >&2; exit 1; }
replica=$(tests/pg.sh replica "$dir/replica" "$dir/primary") || { echo "run.sh: cannot start the replica" >&2; exit 1; }

# in the background, so that a signal to this script stops the run at once
CLUSTER_DIR=$dir PRIMARY_URL=$primary REPLICA_URL=$replica NAWAT=$nawat \
	node --test --test-reporter=tap tests/cluster/ &
node_pid=$!
wait "$node_pid"
status=$?
node_pid=
exit "$status"
