# nawat - build, test, benchmark.
#
#   make                       build ./nawat (installs missing Debian packages first)
#   make test                  every test: unit, conformance, CLI, sanitizers, ...
#   make test-cluster          PostgreSQL primary + replica, two servers behind nginx
#   make bench                 benchmarks, as ratios to a reference measured in the same run
#                              (bench/bigfile.sh: a 2 GB file, BIGFILE_MB for another size)
#   make run                   build, create a demo store if there is none, serve it
#   make fuzz                  libFuzzer on every parser, FUZZ_SECONDS (60) each
#   make SANITIZE=address,undefined   build with sanitizers
#
# Everything the build needs is installed by scripts/deps.sh, called when
# pkg-config cannot find a library.

SHARED   ?= ../shared
VERSION  := $(shell cat VERSION)
CC       ?= cc
ifeq ($(SANITIZE),)
O        ?= build
else
O        ?= build/sanitize
endif
PKGS     := sqlite3 jansson libsodium libpcre2-8 libcrypto libmicrohttpd libthai libpq libzip expat xlsxwriter
OPT      ?= -O2
SANITIZE ?=

WARN   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
          -Wformat=2 -Wno-format-nonliteral -Werror
CFLAGS_ALL = -std=gnu11 $(OPT) -g $(WARN) -include src/base/banned.h -Isrc -I$(O)/gen \
          -DNAWAT_VERSION='"$(VERSION)"' -D_FILE_OFFSET_BITS=64 \
          $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all) \
          $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm \
          $(if $(SANITIZE),-fsanitize=$(SANITIZE)) $(LDFLAGS)

SRC := $(wildcard src/base/*.c src/standard/*.c src/store/*.c src/exchange/*.c \
                  src/domain/*.c src/analytics/*.c src/report/*.c src/web/*.c)
OBJ := $(SRC:%.c=$(O)/%.o) $(O)/gen/embedded.o
EMBED := standard/datapackage.json $(sort $(wildcard standard/codelists/*.csv)) $(sort $(wildcard static/*))

.PHONY: FORCE all deps deps-test test test-unit test-conformance test-cli test-cluster test-asan test-fuzz fuzz bench run clean

all: nawat

# ---- dependencies ----

$(O)/.deps-ok:
	@mkdir -p $(O)
	@if ! pkg-config --exists $(PKGS) || [ ! -f /usr/include/csv.h ]; then scripts/deps.sh build; fi
	@touch $@

deps: $(O)/.deps-ok

deps-test: $(O)/.deps-ok
	@scripts/deps.sh test

# ---- build ----

$(O)/tools/embed: tools/embed.c | $(O)/.deps-ok
	@mkdir -p $(dir $@)
	@$(CC) -O2 -o $@ $<

$(O)/gen/embedded.c: $(EMBED) $(O)/tools/embed
	@mkdir -p $(dir $@)
	@echo "  EMBED   $(words $(EMBED)) files"
	@$(O)/tools/embed $@ $(EMBED)

$(O)/gen/embedded.o: $(O)/gen/embedded.c
	@$(CC) -std=gnu11 $(OPT) -Isrc/base -c -o $@ $<

# Objects are rebuilt when the flags change.
$(O)/.flags: FORCE | $(O)/.deps-ok
	@echo '$(CFLAGS_ALL) $(LIBS_ALL)' | cmp -s - $@ || echo '$(CFLAGS_ALL) $(LIBS_ALL)' > $@

# (sync_file_range: the writeback of a bulk load's pages, see store_sqlite.c)
$(O)/src/store/store_sqlite.o: CFLAGS_ALL += -D_GNU_SOURCE

$(O)/%.o: %.c $(O)/.flags | $(O)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(O)/libnawat.a: $(OBJ)
	@rm -f $@
	@ar rcs $@ $^

# The build fails when the embedded standard is malformed.
$(O)/nawat: $(O)/src/main.o $(O)/libnawat.a
	@echo "  LINK    $@"
	@$(CC) -o $@.tmp $^ $(LIBS_ALL)
	@./$@.tmp standard --check >/dev/null || { ./$@.tmp standard --check; rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# (a new file renamed into place: the old binary may be running)
nawat: $(O)/nawat
	@cp $< $@.tmp && mv -f $@.tmp $@

-include $(OBJ:.o=.d) $(O)/src/main.d

# ---- tests ----

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

$(O)/tests/%: tests/unit/%.c $(O)/libnawat.a
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags cmocka) -o $@ $< $(O)/libnawat.a \
		$(LIBS_ALL) $(shell pkg-config --libs cmocka)

$(O)/tests/csvcut: tests/tools/csvcut.c | $(O)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Werror -o $@ $< -lcsv

# Fuzz targets (tests/fuzz): replayed over their corpora by a plain main()
# in every build, fuzzed by libFuzzer in build/fuzz (clang).
FUZZ_TARGETS := csv json xlsx validate import
FUZZ_COMMON  := tests/fuzz/common.c
FUZZ_HDRS    := tests/fuzz/fuzz.h tests/fuzz/readers.h
REPLAY_BIN   := $(FUZZ_TARGETS:%=$(O)/fuzz/replay-%)
FUZZ_SECONDS ?= 60

$(O)/fuzz/replay-%: tests/fuzz/%.c tests/fuzz/replay.c $(FUZZ_COMMON) $(FUZZ_HDRS) $(O)/libnawat.a
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_ALL) -Itests/fuzz -o $@ $< tests/fuzz/replay.c $(FUZZ_COMMON) $(O)/libnawat.a $(LIBS_ALL)

$(O)/fuzz/fuzz-%: tests/fuzz/%.c $(FUZZ_COMMON) $(FUZZ_HDRS) $(O)/libnawat.a
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(FUZZ_COMMON) $(O)/libnawat.a $(LIBS_ALL)

test-fuzz: $(REPLAY_BIN)
	@tests/fuzz/replay.sh $(O)/fuzz

# libFuzzer needs clang; the library is built instrumented for coverage.
FUZZ_CC ?= clang-14
fuzz: deps-test
	@$(MAKE) -s --no-print-directory O=build/libfuzzer CC=$(FUZZ_CC) SANITIZE=address,undefined OPT=-O1 \
		CFLAGS=-fsanitize=fuzzer-no-link $(FUZZ_TARGETS:%=build/libfuzzer/fuzz/fuzz-%)
	@tests/fuzz/run.sh build/libfuzzer/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The unit tests whose code runs threads (an import's reader and writer,
# the aggregates' emitter), also under ThreadSanitizer.
TSAN_BIN := build/tsan/tests/test_import build/tsan/tests/test_agg

test: deps-test
	@$(MAKE) -s --no-print-directory nawat $(UNIT_BIN) build/tests/csvcut $(REPLAY_BIN)
	@$(MAKE) -s --no-print-directory O=build/asan SANITIZE=address,undefined OPT=-O1 \
		build/asan/nawat $(UNIT_BIN:$(O)/%=build/asan/%) $(REPLAY_BIN:$(O)/%=build/asan/%)
	@$(MAKE) -s --no-print-directory O=build/tsan SANITIZE=thread OPT=-O1 $(TSAN_BIN)
	@SHARED=$(SHARED) TSAN_BIN="$(TSAN_BIN)" tests/run-all.sh build build/asan

test-unit: nawat $(UNIT_BIN)
	@for t in $(UNIT_BIN); do $$t || exit 1; done

test-conformance: nawat $(O)/tests/csvcut
	@SHARED=$(SHARED) tests/conformance.sh ./nawat $(O)/tests/csvcut

test-cli: nawat
	@tests/cases.sh ./nawat tests/cases

# (also part of make test, through tests/run-all.sh)
test-cluster: deps-test nawat
	@tests/cluster/run.sh ./nawat

# ---- benchmarks ----

bench: deps-test nawat
	@bench/run.sh ./nawat
	@bench/equity.sh ./nawat
	@bench/feed.sh ./nawat
	@bench/web.sh ./nawat
	@bench/pg.sh ./nawat
	@bench/xlsx.sh ./nawat
	@bench/samechild.sh ./nawat
	@bench/bigfile.sh ./nawat

# ---- run ----

run: nawat
	@if [ ! -f nawat.db ]; then ./nawat demo; fi
	@echo "เข้าสู่ระบบ / sign in at http://localhost:8080/ as admin, password demo-1234 (demo data)"
	@./nawat serve --listen 127.0.0.1:8080 --access-log -

clean:
	rm -rf build nawat
