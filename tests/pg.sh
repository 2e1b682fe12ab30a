#!/bin/sh
# pg.sh start DIR | stop DIR | url DIR | createdb DIR NAME | replica DIR PRIMARY_DIR
#       down DIR | up DIR | restart DIR
#
# A throwaway PostgreSQL server for the tests: initdb in DIR, listening only
# on a unix socket in DIR (no TCP), trust authentication, removed by stop.
# As root the server runs as the "postgres" user (PostgreSQL refuses root).
#
# replica: a hot standby of the server in PRIMARY_DIR, streaming from it
# (pg_basebackup -R over its unix socket), on its own socket in DIR; waits
# until the primary's pg_stat_replication shows it streaming.
#
# down, up, restart: stop the server (fast: clients are disconnected) and keep
# its files, start it again, or both.
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
replica)
	primary=$3
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	chmod 700 "$dir"
	as_owner "$bin/pg_basebackup" -h "$primary" -U nawat -D "$dir/data" -R -X stream \
		--checkpoint=fast -c fast >"$dir/basebackup.log" 2>&1 ||
		{ cat "$dir/basebackup.log" >&2; exit 1; }
	# the copied postgresql.conf names the primary's socket: the later line wins
	cat >>"$dir/data/postgresql.conf" <<CONF
unix_socket_directories = '$dir'
hot_standby = on
hot_standby_feedback = on
CONF
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
	i=0
	until [ "$(as_owner "$bin/psql" -X -A -t -h "$primary" -U nawat -d nawat -c \
		"SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ]; do
		i=$((i + 1))
		if [ "$i" -gt 300 ]; then
			echo "pg.sh: the replica in $dir does not stream from $primary" >&2
			cat "$dir/server.log" >&2
			exit 1
		fi
		sleep 0.1
	done
	echo "postgresql:///nawat?host=$dir&user=nawat"
	;;
down)
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
up)
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
	;;
restart)
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart >/dev/null
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
	echo "usage: pg.sh start|stop|url|createdb|replica|down|up|restart DIR [NAME|PRIMARY_DIR]" >&2
	exit 2
	;;
esac
