/*
 * samechild.h - "may be the same child": an import that adds a student (a
 * new key) whose school, academic year, birth date, gender and grade match
 * a stored student with a G-code - or, for a new G-code student, a stored
 * one with a citizen ID - gets a warning (report code same_child), never an
 * error.  Two children without IDs (twins, say) are not warned about, nor
 * two with IDs.
 *
 * For each school and year the import adds students to, the check reads
 * the stored students of that school and year once (the index
 * students_school_year), tells G-codes from IDs by opening their sealed
 * copies, and keeps only counts per (birth date, gender, grade) in memory;
 * the rows the import adds are counted in as they are written.  Memory is
 * capped: past the cap the counts are dropped and read again when needed
 * (the store then holds the import's own rows too).  A school and year
 * without students in the store costs one probe of the index; nothing is
 * read for an import that adds no student, nor opened for the rows an
 * import itself adds.
 *
 * Applies to a data set with the fields citizen_id (personal data, sealed),
 * school_code, academic_year, birth_date, gender and grade_code (students);
 * same_open returns NULL for others.
 */
#ifndef NAWAT_SAMECHILD_H
#define NAWAT_SAMECHILD_H

#include <stddef.h>

#include "../standard/pii.h"
#include "../store/store.h"

struct same;

/* Kinds of ID, known while the value is in clear (same_kind). */
#define SAME_NONE 0
#define SAME_ID 1
#define SAME_GCODE 2

/* The check for ds, or NULL (not a data set it applies to, or out of
 * memory: *rc says which). */
struct same *same_open(struct store *st, const struct pii_key *key, const struct std_dataset *ds, int *rc);
void same_close(struct same *s);
/* The field whose kind to note, and the kind of a value in clear. */
int same_id_field(const struct same *s);
int same_kind(const char *s, size_t n);
/* Before the writer takes rows[0..n): notes the schools and years the
 * store holds no students of yet (nothing to read for those). */
int same_before(struct same *s, const struct store_row *rows, size_t n);
/* After: reads the stored students of each school and year of the rows
 * inserted that held students before (but for these rows themselves,
 * counted in by same_check in their order). */
int same_after(struct same *s, const struct store_row *rows, size_t n);
/* For a row just inserted, of this kind: 1 when it may be the same child as
 * a stored student (then the warning), 0 if not; it is counted in either
 * way.  A negative NAWAT_E* on failure. */
int same_check(struct same *s, const struct val_value *vals, int kind);

#endif
