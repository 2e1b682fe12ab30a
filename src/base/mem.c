/* mem.c - allocator wrapper with failure injection (see mem.h). */
#include "mem.h"

#include <stdlib.h>
#include <string.h>

/* Atomic: imports allocate from two threads.  Allocations are counted
 * only once a test has called a hook (counting): the shared counter is a
 * cache line that two threads would otherwise fight over at every
 * allocation, SQLite's included. */
static int counting;
static unsigned long fail_at;  /* 0 = never */
static int fail_once;          /* only the fail_at-th fails */
static unsigned long counter;
static __thread unsigned long thread_failures;

/* Called for every failure injected: a place for a debugger's breakpoint
 * ("break mem_injected"), to see who gets the NULL. */
__attribute__((noinline)) void mem_injected(unsigned long nth)
{
	__asm__ volatile("" : : "r"(nth) : "memory");
}

static int should_fail(void)
{
	unsigned long at, c;

	if (!__atomic_load_n(&counting, __ATOMIC_RELAXED))
		return 0;
	at = __atomic_load_n(&fail_at, __ATOMIC_RELAXED);
	c = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);

	if (!at || c < at)
		return 0;
	if (__atomic_load_n(&fail_once, __ATOMIC_RELAXED) && c != at)
		return 0;
	mem_injected(c);
	return 1;
}

static unsigned long set_failure(unsigned long n, int once)
{
	unsigned long made;

	__atomic_store_n(&counting, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&fail_at, 0, __ATOMIC_RELAXED);
	made = __atomic_exchange_n(&counter, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fail_once, once, __ATOMIC_RELAXED);
	__atomic_store_n(&fail_at, n, __ATOMIC_RELAXED);
	return made;
}

unsigned long mem_fail_after(unsigned long n)
{
	return set_failure(n, 0);
}

unsigned long mem_fail_once(unsigned long n)
{
	return set_failure(n, 1);
}

/* Counts a failure of this thread (mem_failures). */
static void *failed(void)
{
	thread_failures++;
	return NULL;
}

unsigned long mem_failures(void)
{
	return thread_failures;
}

void *nw_malloc(size_t n)
{
	void *p = should_fail() ? NULL : malloc(n ? n : 1);

	return p ? p : failed();
}

void *nw_calloc(size_t count, size_t size)
{
	void *p = should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);

	return p ? p : failed();
}

void *nw_realloc(void *p, size_t n)
{
	void *q = should_fail() ? NULL : realloc(p, n ? n : 1);

	return q ? q : failed();
}

void nw_free(void *p)
{
	free(p);
}

char *nw_strndup(const char *s, size_t n)
{
	char *d = nw_malloc(n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *nw_strdup(const char *s)
{
	return nw_strndup(s, strlen(s));
}
