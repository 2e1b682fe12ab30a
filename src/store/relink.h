/*
 * relink.h - moving a student's history from one citizen ID to another: a
 * G-code replaced by the national ID, or a mistyped ID corrected.
 *
 * store_relink() is the one entry point.  In one transaction (holding
 * STORE_LOCK_REFS, as key changes must) it moves every row keyed by the old
 * ID - the person's rows (students, every academic year) and the rows that
 * refer to them (outcomes, ...) - to the new ID:
 *   - each data set's rows are written again under the new ID through the
 *     store's writer (store_writer_put), in dependency order, and the old
 *     ones removed through store_delete (in reverse order), so the change
 *     feed shows the old keys deleted and the new ones upserted, and every
 *     hook on writes and deletions sees them;
 *   - each data set's move is a submission of kind "relink" (with its rows
 *     per school, academic year and term), and one audit entry records who,
 *     when, and the old and new IDs as keyed hashes (never in clear);
 *   - then the hook registered with store_relink_hook (if any) is called,
 *     still inside the transaction: a layer above (aggregates of outcomes)
 *     that keeps its own state per student hears of the move there.
 *
 * A row of the new ID with the same key as a moving one (the same year; the
 * same term, domain, subject and instrument) is a conflict, and the relink
 * is refused naming them, unless every other value is the same: then the
 * two are one row and the old one simply goes (counted as merged).  Rows of
 * the old ID outside the caller's scope refuse it too (none in it: it is
 * not found, as if it did not exist).
 *
 * The old and new IDs are given in clear (the caller checked their form)
 * and hashed here; neither is ever written anywhere in clear.
 */
#ifndef NAWAT_RELINK_H
#define NAWAT_RELINK_H

#include <stdint.h>

#include "../standard/pii.h"
#include "store.h"

#define RELINK_MAX_SETS 8
#define RELINK_MAX_CONFLICTS 20

struct relink_set {
	const struct std_dataset *ds;
	int field;                /* the field that holds the ID */
	int64_t moved;            /* rows written under the new ID */
	int64_t merged;           /* of them, rows the new ID already had, the same */
	int64_t sub_id;           /* the submission of its move (0: none, nothing moved) */
};

struct relink_conflict {
	const struct std_dataset *ds;
	char key[160];            /* the other parts of the key, "2567" or "2567/1/K/MAT/SCH" */
	const char *field;        /* the first value that differs */
};

struct relink_result {
	struct relink_set sets[RELINK_MAX_SETS];
	size_t nsets;
	struct relink_conflict conflicts[RELINK_MAX_CONFLICTS];
	size_t nconflicts;        /* listed */
	int64_t conflicts_total;  /* all of them */
	int outside_scope;        /* rows of the old ID outside the scope: refused */
	int committed;
	char old_hash[2 * PII_HASH_LEN + 1], new_hash[2 * PII_HASH_LEN + 1]; /* hex keyed hashes */
};

struct relink_args {
	const struct pii_key *key;
	const char *old_id, *new_id;   /* clear */
	const char *user;              /* who, for the submissions and the audit log */
	struct store_scope scope;      /* rows of the old ID must all be in it (zero: all) */
	int dry_run;                   /* check and count, write nothing */
};

/* What the hook hears: the IDs' hashes and what moved (res->sets). */
typedef int (*store_relink_fn)(struct store *st, const unsigned char old_hash[PII_HASH_LEN],
			       const unsigned char new_hash[PII_HASH_LEN], const struct relink_result *res,
			       void *arg);

/* Registers the hook (one; NULL removes it), at start-up. */
void store_relink_hook(store_relink_fn fn, void *arg);

/* Moves the history.  0 when it ran: res->committed, or a refusal in
 * res (conflicts, outside_scope) with nothing written; NAWAT_ENOTFOUND when
 * the old ID has no rows (in the scope); NAWAT_E* for a store failure (the
 * message in st->err), nothing written. */
int store_relink(struct store *st, const struct relink_args *a, struct relink_result *res);

/* What a relink did, or why it was refused, in a line of Thai and one of
 * English (never the IDs). */
void store_relink_summary(const struct relink_result *res, int dry_run, char *th, size_t thn, char *en,
			  size_t enn);

#endif
