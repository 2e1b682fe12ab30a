# Sourced by case.txt.  A load while another connection has the store open
# (sqlite3, reading from a FIFO this script holds open): it must run as any
# other, in the WAL, and never take a rollback journal.
mkfifo hold
sqlite3 nawat.db <hold >/dev/null 2>&1 &
holder=$!
exec 3>hold
echo 'SELECT count(*) FROM areas;' >&3
sleep 0.5
nawat import --dir d --report r.csv >/dev/null 2>&1 &
pid=$!
journal=no
while kill -0 $pid 2>/dev/null; do
	[ -f nawat.db-journal ] && journal=yes
	sleep 0.05
done
wait $pid && echo "imported; rollback journal seen: $journal"
exec 3>&-
wait $holder
