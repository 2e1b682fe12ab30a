# mix.sh - one round of random writes to the store of this directory (read
# with `seed=N; . ./mix.sh`, so that it runs the case's nawat): results
# updated (scores and levels), deleted and those deleted before put back,
# students changing disadvantage, gender or grade, schools becoming pilot
# schools or no longer, in three imports and one deletion; then three
# students' histories move to new citizen IDs (nawat student relink), and
# a relink onto another student of the same year is refused (or, were the
# two rows the same, merges).
mkdir -p r
for ds in outcomes students schools; do nawat export $ds --no-bom --out r/$ds.csv >/dev/null 2>&1; done
awk -F, -v s="$seed" 'BEGIN { OFS = ","; srand(s) }
	NR == 1 { print > "r/up.csv"; print > "r/del.csv"; next }
	{ x = rand() }
	x < 0.08 { if ($5 == "K") $8 = int(rand() * 10001) / 100; else if ($5 == "S") $9 = 1 + int(rand() * 4); else $9 = int(rand() * 4); print > "r/up.csv"; next }
	x < 0.13 { print > "r/del.csv"; print >> "gone.csv" }' r/outcomes.csv
awk -F, -v s="$seed" 'BEGIN { OFS = ","; srand(s + 1) }
	NR == 1 { print > "r/stu.csv"; next }
	rand() < 0.06 { $7 = int(rand() * 3); if (rand() < 0.5) $5 = ($5 == "1" ? "2" : "1"); if (rand() < 0.3) $4 = ($4 == "311" ? "312" : "311"); print > "r/stu.csv" }' r/students.csv
awk -F, -v s="$seed" 'BEGIN { OFS = ","; srand(s + 2) }
	NR == 1 { print > "r/sch.csv"; next }
	$9 != "" && rand() < 0.15 { if ($10 == "Y") { $10 = "N"; $11 = ""; $12 = "" } else { $10 = "Y"; $11 = 1 + int(rand() * 3); $12 = "2024-05-16" } print > "r/sch.csv" }' r/schools.csv
nawat import students r/stu.csv --report r/1.csv >/dev/null
nawat import schools r/sch.csv --report r/2.csv >/dev/null
nawat import outcomes r/up.csv --report r/3.csv >/dev/null
nawat delete outcomes r/del.csv --report r/4.csv >/dev/null
# the results deleted in an earlier round come back
if [ -f back.csv ]; then nawat import outcomes back.csv --report r/5.csv >/dev/null; fi
{ head -1 r/outcomes.csv; grep -v '^citizen_id' gone.csv; } > back.csv
: > gone.csv
awk -F, -v s="$seed" 'BEGIN { srand(s + 3) }
	NR > 1 && n < 3 && rand() < 0.02 { n++; id = "150098" s sprintf("%04d", n); t = 0
		for (i = 1; i <= 12; i++) t += substr(id, i, 1) * (14 - i)
		print $1, id (11 - t % 11) % 10 }' r/students.csv > r/relink.txt
while read -r old new; do nawat student relink "$old" "$new" >/dev/null; done < r/relink.txt
nawat student relink "$(sed -n 2p r/students.csv | cut -d, -f1)" "$(sed -n 3p r/students.csv | cut -d, -f1)" >/dev/null 2>&1 || true
