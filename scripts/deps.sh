#!/bin/sh
# deps.sh - installs the Debian packages nawat needs, when missing.
#   scripts/deps.sh build   libraries and tools to build ./nawat
#   scripts/deps.sh test    also what the tests and benchmarks use
#                           (PostgreSQL, Chromium, Node.js packages, wrk, nginx,
#                           LibreOffice Calc and Gnumeric for XLSX files ...)
# Uses apt-get (with sudo when not root).  Prints what it installs.
set -eu

cd "$(dirname "$0")/.."
what=${1:-build}

build_pkgs="gcc make pkg-config libsqlite3-dev libjansson-dev libcsv-dev libsodium-dev
libpcre2-dev libssl-dev libmicrohttpd-dev libpq-dev libxlsxwriter-dev libzip-dev libexpat1-dev
libthai-dev libcairo2-dev libpango1.0-dev fonts-thai-tlwg sqlite3"
test_pkgs="libcmocka-dev postgresql chromium clang-14 libclang-rt-14-dev wrk nginx
valgrind time bc iproute2 procps libreoffice-calc-nogui gnumeric unzip"

pkgs=$build_pkgs
[ "$what" = test ] && pkgs="$build_pkgs $test_pkgs"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

# Node.js may come from elsewhere (with its own npm): only ask Debian when absent
if [ "$what" = test ] && ! command -v npm >/dev/null 2>&1; then
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	missing="$missing npm"
fi

if [ -n "$missing" ]; then
	echo "nawat: ติดตั้งแพ็กเกจที่ขาด / installing missing packages:$missing" >&2
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq >&2 || true
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi

if [ "$what" = test ] && [ -f tests/browser/package.json ]; then
	if [ ! -d tests/browser/node_modules ] || [ tests/browser/package.json -nt tests/browser/node_modules ]; then
		echo "nawat: ติดตั้งแพ็กเกจ npm สำหรับการทดสอบเบราว์เซอร์ / installing npm packages for browser tests" >&2
		(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2 ||
			PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund >&2)
		touch tests/browser/node_modules
	fi
fi
exit 0
