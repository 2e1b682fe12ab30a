/*
 * audit.h - the append-only audit log.
 *
 * Every change (import, edit, delete, user change) appends an entry: who,
 * when, what (action, data set, item), and hashes of the old and the new
 * values.  Each entry's hash covers the previous entry's hash, so changing or
 * removing an entry breaks the chain from there on (audit_verify).  Append
 * inside the transaction of the change it records.
 */
#ifndef NAWAT_AUDIT_H
#define NAWAT_AUDIT_H

#include <stdint.h>

#include "store.h"

struct audit_entry {
	int64_t id;
	const char *at, *user_name, *action, *dataset, *item, *detail, *old_hash, *new_hash;
};

int audit_append(struct store *st, const char *user_name, const char *action, const char *dataset,
		 const char *item, const char *detail, const char *old_hash, const char *new_hash);

/* Checks the whole chain.  0 when intact; NAWAT_EDATA with *bad_id the
 * first entry that does not match (and a message in st->err). */
int audit_verify(struct store *st, int64_t *checked, int64_t *bad_id);

/* Newest first, at most limit entries (0 = all), calling fn for each. */
int audit_list(struct store *st, int64_t limit, int64_t before_id,
	       int (*fn)(void *ctx, const struct audit_entry *e), void *ctx);

/* Hex SHA-256 of a string (for old/new value hashes). */
void audit_hash_hex(const void *p, size_t n, char out[65]);

#endif
