/*
 * cache.h - answers of GET requests kept for reuse until the store changes.
 *
 * One small cache per server thread (each thread has its own store
 * connection, whose data version tells when anything was written).  The key
 * holds everything an answer depends on: the path, the query, and who asks
 * (their scope and whether they see IDs), so a cached answer is never shown
 * to someone it was not made for.  Sign-in still runs on every request.
 */
#ifndef NAWAT_CACHE_H
#define NAWAT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"

#define CACHE_MAX_BODY (256 * 1024)

/* Switches the cache on (entries per thread) or off (0). */
void cache_configure(unsigned entries);
/* A cached answer for key made at `version`: copies it to body. */
int cache_get(const char *key, uint64_t version, struct buf *body, const char **content_type);
void cache_put(const char *key, uint64_t version, const char *body, size_t len, const char *content_type);
/* Frees this thread's cache. */
void cache_release_thread(void);

#endif
