/*
 * example.h - an example value for every field of the standard: values that
 * pass validation and agree with each other across the data sets (the
 * student's school, the school's area ...), so that the templates of all
 * data sets, filled with them, import together.
 */
#ifndef NAWAT_EXAMPLE_H
#define NAWAT_EXAMPLE_H

#include "std.h"
#include "validate.h"

#define EXAMPLE_MAX VAL_NUMBER_MAX

/* The example of field f of ds ("" for an optional field no example names);
 * buf (EXAMPLE_MAX bytes) may hold it. */
const char *example_value(const struct std_dataset *ds, const struct std_field *f, char *buf);

#endif
