#!/bin/sh
# pg.sh start DIR | stop DIR | url DIR | createdb DIR NAME
#
# A throwaway PostgreSQL server for the tests: initdb in DIR, listening only
# on a unix socket in DIR (no TCP), trust authentication, removed by stop.
# As root the server runs as the "postgres" user (PostgreSQL refuses root).
set -eu
cmd=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL is not installed (scripts/deps.sh test)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	chmod 700 "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -U nawat --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 128MB
wal_level = replica
max_wal_senders = 4
CONF
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
	as_owner "$bin/createdb" -h "$dir" -U nawat nawat
	echo "postgresql:///nawat?host=$dir&user=nawat"
	;;
createdb)
	as_owner "$bin/createdb" -h "$dir" -U nawat "$3"
	echo "postgresql:///$3?host=$dir&user=nawat"
	;;
url)
	echo "postgresql:///nawat?host=$dir&user=nawat"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: pg.sh start|stop|url|createdb DIR [NAME]" >&2
	exit 2
	;;
esac
