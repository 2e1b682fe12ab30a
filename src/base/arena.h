/*
 * arena.h - a memory arena per request and per import batch (after h2o's
 * req->pool): many small allocations, one reset, no per-field frees.
 * Lifecycle: arena_init, arena_alloc..., arena_reset (reuse), arena_release.
 */
#ifndef NAWAT_ARENA_H
#define NAWAT_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* current block; older ones follow */
	size_t block_size;
	size_t used_total;         /* bytes handed out since the last reset */
	size_t limit;              /* hard limit on used_total (0 = none) */
};

void arena_init(struct arena *a, size_t block_size, size_t limit);
void arena_release(struct arena *a);
/* Keeps the first block, frees the others. */
void arena_reset(struct arena *a);
/* NULL on allocation failure or when the limit is passed. Aligned to 16. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

#endif
