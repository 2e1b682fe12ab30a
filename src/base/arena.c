/* arena.c - bump allocator (see arena.h). */
#include "arena.h"
#include "mem.h"

#include <string.h>

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a, size_t block_size, size_t limit)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 64 * 1024;
	a->used_total = 0;
	a->limit = limit;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head, *n;

	while (b) {
		n = b->next;
		nw_free(b);
		b = n;
	}
	a->head = NULL;
	a->used_total = 0;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head, *n, *keep = NULL;

	/* keep one normal-sized block for reuse, free the rest */
	while (b) {
		n = b->next;
		if (!keep && b->size == a->block_size)
			keep = b;
		else
			nw_free(b);
		b = n;
	}
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->used_total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t need = (n + 15) & ~(size_t)15, size;

	if (need < n)
		return NULL;
	if (a->limit && (need > a->limit || a->used_total > a->limit - need))
		return NULL;
	if (!b || b->size - b->used < need) {
		size = need > a->block_size ? need : a->block_size;
		b = nw_malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		if (a->head && need > a->block_size) {
			/* a big one-off block goes behind the current one */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used += need;
	a->used_total += need;
	return b->data + b->used - need;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
