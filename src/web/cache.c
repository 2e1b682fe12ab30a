/* cache.c - per-thread answer cache (see cache.h). */
#include "cache.h"

#include <pthread.h>
#include <string.h>

#include "../base/mem.h"

struct entry {
	char *key;
	uint64_t version;
	char *body;
	size_t len;
	const char *ctype;        /* a string literal */
	uint64_t used;
};

static unsigned capacity;
static __thread struct entry *slots;
static __thread uint64_t tick;

void cache_configure(unsigned entries)
{
	capacity = entries;
}

int cache_get(const char *key, uint64_t version, struct buf *body, const char **content_type)
{
	unsigned i;

	if (!capacity || !slots)
		return 0;
	for (i = 0; i < capacity; i++) {
		struct entry *e = &slots[i];

		if (e->key && e->version == version && !strcmp(e->key, key)) {
			if (buf_append(body, e->body, e->len))
				return 0;
			*content_type = e->ctype;
			e->used = ++tick;
			return 1;
		}
	}
	return 0;
}

static pthread_key_t slots_key;
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static void free_slots(void *p)
{
	struct entry *sl = p;
	unsigned i;

	for (i = 0; sl && i < capacity; i++) {
		nw_free(sl[i].key);
		nw_free(sl[i].body);
	}
	nw_free(sl);
}

static void slots_init(void)
{
	pthread_key_create(&slots_key, free_slots);
}

void cache_put(const char *key, uint64_t version, const char *body, size_t len, const char *content_type)
{
	struct entry *e = NULL;
	unsigned i;

	if (!capacity || len > CACHE_MAX_BODY)
		return;
	if (!slots) {
		pthread_once(&slots_once, slots_init);
		if (!(slots = nw_calloc(capacity, sizeof *slots)))
			return;
		pthread_setspecific(slots_key, slots); /* freed when the thread ends */
	}
	/* the same key, else an empty slot, else the least recently used */
	for (i = 0; i < capacity && !e; i++)
		if (slots[i].key && !strcmp(slots[i].key, key))
			e = &slots[i];
	for (i = 0; i < capacity && !e; i++)
		if (!slots[i].key)
			e = &slots[i];
	if (!e) {
		e = &slots[0];
		for (i = 1; i < capacity; i++)
			if (slots[i].used < e->used)
				e = &slots[i];
	}
	nw_free(e->key);
	nw_free(e->body);
	e->key = nw_strdup(key);
	e->body = nw_malloc(len ? len : 1);
	if (!e->key || !e->body) {
		nw_free(e->key);
		nw_free(e->body);
		e->key = e->body = NULL;
		return;
	}
	memcpy(e->body, body, len);
	e->len = len;
	e->version = version;
	e->ctype = content_type;
	e->used = ++tick;
}

void cache_release_thread(void)
{
	unsigned i;

	if (!slots)
		return;
	for (i = 0; i < capacity; i++) {
		nw_free(slots[i].key);
		nw_free(slots[i].body);
	}
	nw_free(slots);
	slots = NULL;
	if (capacity)
		pthread_setspecific(slots_key, NULL);
}
