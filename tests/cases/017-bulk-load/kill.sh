# Sourced by case.txt (nawat is a shell function there).  Starts a first
# load, waits until it has taken a rollback journal and written pages into
# the store file itself, and kills it (kill -9: no chance to clean up).
size0=$(stat -c %s nawat.db)
nawat import --dir d --report r.csv >/dev/null 2>&1 &
pid=$!
i=0
while [ ! -f nawat.db-journal ] || [ "$(stat -c %s nawat.db)" -le $((size0 + 4000000)) ]; do
	i=$((i + 1))
	[ $i -gt 1200 ] && { pkill -P $pid; echo "the import wrote nothing into the file in 120 s"; break; }
	kill -0 $pid 2>/dev/null || { echo "the import ended before it could be killed"; break; }
	sleep 0.1
done
# (nawat is a function: the background job may be a shell whose child is nawat)
pkill -9 -P $pid 2>/dev/null
kill -9 $pid 2>/dev/null && echo killed
wait $pid 2>/dev/null
true
