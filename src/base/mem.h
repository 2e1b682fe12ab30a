/*
 * mem.h - the one allocator of nawat.
 *
 * Every allocation goes through nw_malloc / nw_realloc / nw_free so that tests
 * can inject failures (mem_fail_after) and prove that an allocation failure
 * ends in a clear error and an untouched store, never a crash.
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

/* Test hook: the n-th allocation from now on (1 = the next one) and every one
 * after it fail; n = 0 turns injection off.  Returns the number of
 * allocations made since the last call. */
unsigned long mem_fail_after(unsigned long n);

#endif
