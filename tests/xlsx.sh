#!/bin/sh
# xlsx.sh NAWAT - exchange files written by real spreadsheet programs.
#
# Demo data (Thai text, dates, decimals, citizen IDs) is written as CSV by
# `nawat demo --csv` and imported into a reference store; then the same files
#   - converted to XLSX by LibreOffice (soffice --headless --convert-to xlsx),
#   - converted to XLSX by Gnumeric (ssconvert),
#   - converted to TIS-620 by iconv (the CSV of Thai office programs),
# are each imported into a store of their own, and every data set exported
# from each must equal the reference's export.  Then the reference's own XLSX
# export, opened and saved again by LibreOffice and by Gnumeric, must
# re-import into the reference with every row unchanged.
# soffice needs a writable HOME: a temporary one.  Prints one line per check
# and "N passed, N failed".
set -u
nawat=$(realpath "$1")
students=${STUDENTS:-300}
work=$(mktemp -d /tmp/nawat-xlsx-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export HOME="$work/home" NAWAT_KEY="$work/nawat.key"
mkdir -p "$HOME"
pass=0 fail=0
sets="areas schools students outcomes"

ok() { pass=$((pass + 1)); echo "ok   $1"; }
# the program stored the students' birth dates as dates (serial numbers in a
# date format), not as text: the date conversion is what is tested
dates_are_dates() {
	if unzip -p "$2" xl/styles.xml | grep -q 'formatCode="[^"]*yy' &&
		! unzip -p "$2" xl/sharedStrings.xml 2>/dev/null | grep -q '20[0-9][0-9]-[01][0-9]-[0-3][0-9]' &&
		! unzip -p "$2" xl/worksheets/sheet1.xml | grep -q '<t>20[0-9][0-9]-[01][0-9]-[0-3][0-9]<'; then
		ok "$1 stored the dates as dates"
	else
		bad "$1 stored the dates as dates" /dev/null
	fi
}
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -f "$2" ] && sed 's/^/     /' "$2" | head -20; }

# every data set of store $1 as CSV files in directory $2 (real IDs; rows
# sorted, as the key order follows the keyed hash)
dump() {
	mkdir -p "$2"
	for d in $sets; do
		NAWAT_DB="$1" "$nawat" export "$d" --no-bom --out "$2/$d.raw" 2>/dev/null || return 1
		sort "$2/$d.raw" >"$2/$d.csv" && rm -f "$2/$d.raw"
	done
}

# imports directory $2 into a fresh store $1 and compares it with the reference
check_store() {
	name=$1 db=$work/$1.db dir=$2
	if ! NAWAT_DB="$db" "$nawat" init >/dev/null 2>"$work/$name.err" ||
		! NAWAT_DB="$db" "$nawat" import --dir "$dir" --report "$work/$name-report.csv" >"$work/$name.out" 2>>"$work/$name.err"; then
		cat "$work/$name.out" "$work/$name-report.csv" >>"$work/$name.err" 2>/dev/null
		bad "$name: imports" "$work/$name.err"
		return
	fi
	dump "$db" "$work/$name-dump" || { bad "$name: exports" /dev/null; return; }
	for d in $sets; do
		if cmp -s "$work/ref-dump/$d.csv" "$work/$name-dump/$d.csv"; then
			ok "$name: $d as imported from CSV ($(wc -l <"$work/ref-dump/$d.csv") rows)"
		else
			diff "$work/ref-dump/$d.csv" "$work/$name-dump/$d.csv" >"$work/$name-$d.diff"
			bad "$name: $d differs from the CSV import" "$work/$name-$d.diff"
		fi
	done
}

# a second import of directory $1 into the reference changes nothing
check_unchanged() {
	name=$1
	NAWAT_DB="$work/ref.db" "$nawat" import --dir "$2" --report "$work/$name-report.csv" >"$work/$name.out" 2>&1
	for d in $sets; do
		if grep -q "^$d .*(inserted 0, updated 0, unchanged [1-9][0-9]*, rejected 0)$" "$work/$name.out"; then
			ok "$name: $d re-imports unchanged"
		else
			cat "$work/$name-report.csv" >>"$work/$name.out"
			bad "$name: $d re-imports with changes" "$work/$name.out"
		fi
	done
}

"$nawat" demo --students "$students" --seed 7 --csv csv >/dev/null 2>&1 || { echo "demo failed"; exit 1; }
NAWAT_DB="$work/ref.db" "$nawat" init >/dev/null &&
	NAWAT_DB="$work/ref.db" "$nawat" import --dir csv --report ref-report.csv >/dev/null &&
	dump "$work/ref.db" "$work/ref-dump" || { echo "the reference import failed"; exit 1; }
if grep -q 'โรงเรียน' ref-dump/schools.csv; then ok "the demo data has Thai text"; else bad "the demo data has Thai text" /dev/null; fi

# the files a program wrote into directory $2 (log $3) import as the CSV did
check_program() {
	if [ "$(ls "$2"/*.xlsx 2>/dev/null | wc -l)" -eq 4 ]; then
		dates_are_dates "$1" "$2/students.xlsx"
		check_store "$1" "$2"
	else
		bad "$1 wrote the XLSX files" "$3"
	fi
}

# LibreOffice: the CSV filter as a person would set it (comma, double quote,
# UTF-8, from line 1, special numbers such as dates detected)
mkdir -p lo gn
soffice --headless --infilter="CSV:44,34,76,1,,0,false,true,true" --convert-to xlsx --outdir lo $(for d in $sets; do echo "csv/$d.csv"; done) \
	>soffice.log 2>&1
check_program LibreOffice lo soffice.log
for d in $sets; do ssconvert "csv/$d.csv" "gn/$d.xlsx" >>ssconvert.log 2>&1; done
check_program Gnumeric gn ssconvert.log

mkdir -p tis
for d in $sets; do iconv -f UTF-8 -t TIS-620 "csv/$d.csv" >"tis/$d.csv"; done
if ! cmp -s csv/schools.csv tis/schools.csv; then
	check_store tis-620 tis
else
	bad "iconv changed the bytes of the Thai text" /dev/null
fi

# nawat's XLSX export, opened and saved by the programs
mkdir -p ex re-lo re-gn
for d in $sets; do
	NAWAT_DB="$work/ref.db" "$nawat" export "$d" --format xlsx --out "ex/$d.xlsx" 2>>export.log
done
soffice --headless --convert-to xlsx --outdir re-lo ex/*.xlsx >>soffice.log 2>&1
if [ "$(ls re-lo/*.xlsx 2>/dev/null | wc -l)" -eq 4 ] && ! cmp -s ex/students.xlsx re-lo/students.xlsx; then
	check_unchanged "nawat export saved by LibreOffice" re-lo
else
	bad "soffice saved the exported files" soffice.log
fi
for d in $sets; do ssconvert "ex/$d.xlsx" "re-gn/$d.xlsx" >>ssconvert.log 2>&1; done
if [ "$(ls re-gn/*.xlsx 2>/dev/null | wc -l)" -eq 4 ]; then
	check_unchanged "nawat export saved by Gnumeric" re-gn
else
	bad "ssconvert saved the exported files" ssconvert.log
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
