/*
 * mem.h - the one allocator of nawat.
 *
 * Every allocation goes through nw_malloc / nw_realloc / nw_free so that tests
 * can inject failures (mem_fail_after, mem_fail_once) and prove that an
 * allocation failure ends in a clear error and an untouched store, never a
 * crash.  The libraries that let us give them an allocator use this one too
 * (expat, libcsv, jansson: std.c; SQLite: store_sqlite.c).
 */
#ifndef NAWAT_MEM_H
#define NAWAT_MEM_H

#include <stddef.h>

void *nw_malloc(size_t n);
void *nw_calloc(size_t count, size_t size);
void *nw_realloc(void *p, size_t n);
void nw_free(void *p);
char *nw_strdup(const char *s);
char *nw_strndup(const char *s, size_t n);

/* How many allocations of this thread have failed so far: a library that
 * reports running out of memory as something else (jansson's parser says
 * "string expected") is told apart by this number changing. */
unsigned long mem_failures(void);

/* Test hook: the n-th allocation from now on (1 = the next one) and every one
 * after it fail; n = 0 turns injection off.  Returns the number of
 * allocations made since the last call (allocations are counted from the
 * first call of either hook on: 0 the first time). */
unsigned long mem_fail_after(unsigned long n);
/* The same, but only the n-th allocation fails (later ones succeed): the
 * failure of one allocation that a caller works around. */
unsigned long mem_fail_once(unsigned long n);
/* Called with the allocation's number each time a failure is injected (a
 * place for a debugger's breakpoint). */
void mem_injected(unsigned long nth);

#endif
