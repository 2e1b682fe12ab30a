/* mem.c - allocator wrapper with failure injection (see mem.h). */
#include "mem.h"

#include <stdlib.h>
#include <string.h>

/* Atomic: imports allocate from two threads. */
static unsigned long fail_at;  /* 0 = never */
static unsigned long counter;

static int should_fail(void)
{
	unsigned long at = __atomic_load_n(&fail_at, __ATOMIC_RELAXED);
	unsigned long c = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);

	return at && c >= at;
}

unsigned long mem_fail_after(unsigned long n)
{
	unsigned long made = __atomic_exchange_n(&counter, 0, __ATOMIC_RELAXED);

	__atomic_store_n(&fail_at, n, __ATOMIC_RELAXED);
	return made;
}

void *nw_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *nw_calloc(size_t count, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *nw_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
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
