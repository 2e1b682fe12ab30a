/*
 * hash.h - FNV-1a over bytes, for in-memory hash tables (never for keys an
 * attacker chooses to collide: the tables it serves are bounded).
 */
#ifndef NAWAT_HASH_H
#define NAWAT_HASH_H

#include <stddef.h>
#include <stdint.h>

#define NW_HASH_INIT 1469598103934665603ULL

/* h with p[0..n) mixed in, and an end mark (so that "ab"+"c" != "a"+"bc"). */
static inline uint64_t nw_hash_mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;
}

#endif
