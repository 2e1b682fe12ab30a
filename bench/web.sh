#!/bin/sh
# web.sh NAWAT - the API under load, against nginx serving the same answer.
#
# On a demo store of STUDENTS students (1,000,000 by default; the import
# benchmark's store is reused when it is there), wrk runs GET
# /api/v1/schools?limit=50 with a bearer token against `nawat serve`, and in
# the same run against nginx serving the same response body as a static
# file.  Prints requests/s of both, the ratio (target >= 0.5) and nawat's p99
# latency (target < 10 ms at 64 connections).
#
# Both servers get the same number of workers (WORKERS, default 1: on a
# two-core machine wrk takes the other core).  nawat is measured twice: as it
# runs by default (answers kept until the data changes) and with that cache
# off (every request read from the store and rendered).
#
#   STUDENTS=1000000  BENCH_DIR=bench/out  DURATION=15  CONNECTIONS=64  WORKERS=1
set -eu
nawat=$(realpath "$1")
students=${STUDENTS:-1000000}
out=${BENCH_DIR:-bench/out}
duration=${DURATION:-15}
conns=${CONNECTIONS:-64}
workers=${WORKERS:-1}
mkdir -p "$out"
out=$(realpath "$out")
run="$out/web"
rm -rf "$run"
mkdir -p "$run/www/api/v1" "$run/nginx"
export NAWAT_DB="$out/web-$students.db" NAWAT_KEY="$out/web-$students.key"

cleanup() {
	[ -f "$run/nawat.pid" ] && kill "$(cat "$run/nawat.pid")" 2>/dev/null || true
	[ -f "$run/nginx/nginx.pid" ] && kill "$(cat "$run/nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if [ ! -f "$NAWAT_DB" ]; then
	if [ -f "$out/nawat.db" ] && [ -f "$out/data-$students/students.csv" ]; then
		cp "$out/nawat.db" "$NAWAT_DB"
		cp "$out/nawat.key" "$NAWAT_KEY"
	else
		echo "== สร้างข้อมูลตัวอย่าง / making a demo store of $students students"
		"$nawat" demo --students "$students" >/dev/null
	fi
fi
"$nawat" user list | grep -q '^bench ' || echo 'bench-password-1' | "$nawat" user add bench --role central >/dev/null
token=$("$nawat" token create bench --label bench | tail -1)

start_nawat() {
	rm -f "$run/port"
	"$nawat" serve --listen 127.0.0.1:0 --port-file "$run/port" --threads "$workers" "$@" >"$run/nawat.log" 2>&1 &
	echo $! >"$run/nawat.pid"
	i=0
	while [ ! -s "$run/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	port=$(cat "$run/port")
}
stop_nawat() {
	kill "$(cat "$run/nawat.pid")"
	wait "$(cat "$run/nawat.pid")" 2>/dev/null || true
	rm -f "$run/nawat.pid"
}
start_nawat
url="http://127.0.0.1:$port/api/v1/schools?limit=50"
curl -sf -H "Authorization: Bearer $token" "$url" >"$run/www/api/v1/schools"
echo "== คำตอบ / response: $(wc -c <"$run/www/api/v1/schools") bytes, $(grep -o '"school_code"' "$run/www/api/v1/schools" | wc -l) rows"

# nginx: the same bytes as a static file, on a free port
for attempt in 1 2 3 4 5 6 7 8 9 10; do
	nport=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 ))
	cat >"$run/nginx/nginx.conf" <<CONF
worker_processes $workers;
pid $run/nginx/nginx.pid;
error_log $run/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $run/nginx;
	proxy_temp_path $run/nginx;
	fastcgi_temp_path $run/nginx;
	uwsgi_temp_path $run/nginx;
	scgi_temp_path $run/nginx;
	server {
		listen 127.0.0.1:$nport;
		root $run/www;
		location / { default_type "application/json; charset=utf-8"; }
	}
}
CONF
	if nginx -c "$run/nginx/nginx.conf" -p "$run/nginx" 2>/dev/null; then
		break
	fi
done
sleep 0.3
nurl="http://127.0.0.1:$nport/api/v1/schools?limit=50"
curl -sf "$nurl" | cmp -s - "$run/www/api/v1/schools" || { echo "nginx does not serve the body" >&2; exit 1; }

load() {
	wrk -t2 -c"$conns" -d"${duration}s" --latency -H "Authorization: Bearer $token" "$1" >"$2"
}
rps() { sed -n 's/^Requests\/sec: *//p' "$1"; }
p99() { awk '$1 == "99%" { print $2 }' "$1"; }
ms() { case "$1" in *ms) echo "${1%ms}" ;; *us) echo "${1%us} / 1000" | bc -l ;; *s) echo "${1%s} * 1000" | bc -l ;; esac; }

load "$nurl" "$run/nginx.wrk"
load "$url" "$run/nawat.wrk"
stop_nawat
start_nawat --cache-entries 0
url="http://127.0.0.1:$port/api/v1/schools?limit=50"
load "$url" "$run/nawat-nocache.wrk"
stop_nawat
r_nginx=$(rps "$run/nginx.wrk")
r_nawat=$(rps "$run/nawat.wrk")
r_nocache=$(rps "$run/nawat-nocache.wrk")
echo "== $conns connections, $workers worker(s) each, ${duration} s"
printf 'nginx, static file (reference):      %10.0f requests/s  p99 %s\n' "$r_nginx" "$(p99 "$run/nginx.wrk")"
printf 'nawat GET /api/v1/schools:           %10.0f requests/s  p99 %s (target < 10 ms)\n' "$r_nawat" "$(p99 "$run/nawat.wrk")"
printf 'nawat, answer cache off:             %10.0f requests/s  p99 %s\n' "$r_nocache" "$(p99 "$run/nawat-nocache.wrk")"
printf 'ratio nawat / nginx:                 %10.3f     (target >= 0.5)\n' "$(echo "$r_nawat / $r_nginx" | bc -l)"
printf 'ratio, cache off / nginx:            %10.3f\n' "$(echo "$r_nocache / $r_nginx" | bc -l)"
printf 'nawat p99 in ms:                     %10.2f     (target < 10)\n' "$(ms "$(p99 "$run/nawat.wrk")")"
