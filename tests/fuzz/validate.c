/* validate.c - fuzz target: the validator driven by the package, one row of
 * fields to issues and their messages.
 *
 * First byte: the data set (its index in the package, modulo their number).
 * The rest: the row's cells in field order, separated by '\n'; a cell that
 * is exactly "\x01" is a column the file lacks.  Cells come in as the
 * readers give them, valid UTF-8: other input is skipped.  Each cell is copied to a
 * block of its own size, not NUL-terminated, so that reading past it is seen. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "standard/pii.h"
#include "standard/std.h"
#include "standard/validate.h"

static struct std_package *pkg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct nw_err e;

	(void)argc;
	(void)argv;
	if (pii_init(&e) || std_load_embedded(&pkg, &e))
		fz_fail("cannot load the standard: %s", e.en);
	return 0;
}

/* The import pipeline hands cells trimmed (spaces, tabs, line ends, NBSP). */
static void trim(const char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\r' || (*s)[0] == '\n'))
		++*s, --*n;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' || (*s)[*n - 1] == '\n'))
		--*n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct std_dataset *ds;
	struct val_cell *cells;
	struct val_value *vals;
	struct val_issue *issues;
	char **copies;
	const char *p, *end;
	size_t i, nissues = 0;
	int errors, counted = 0;

	if (!size)
		return 0;
	ds = &pkg->datasets[data[0] % pkg->ndatasets];
	cells = calloc(ds->nfields, sizeof *cells);
	vals = calloc(ds->nfields, sizeof *vals);
	issues = calloc(2 * ds->nfields, sizeof *issues);
	copies = calloc(ds->nfields, sizeof *copies);
	if (!cells || !vals || !issues || !copies)
		goto out;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	for (i = 0; i < ds->nfields; i++) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		const char *s = p;
		size_t n = p < end ? (size_t)((nl ? nl : end) - p) : 0;

		p = nl ? nl + 1 : end;
		if (!fz_utf8(s, n))
			goto out;
		cells[i].present = !(n == 1 && s[0] == 1);
		if (!cells[i].present)
			n = 0;
		trim(&s, &n);
		copies[i] = malloc(n ? n : 1);
		if (!copies[i])
			goto out;
		memcpy(copies[i], s, n);
		cells[i].s = copies[i];
		cells[i].n = n;
	}
	errors = val_row(ds, cells, vals, issues, &nissues);
	FZ_CHECK(nissues <= 2 * ds->nfields, "%zu issues for %zu fields", nissues, ds->nfields);
	for (i = 0; i < nissues; i++) {
		const struct val_issue *is = &issues[i];
		char th[NW_ERR_MSG], en[NW_ERR_MSG];
		const char *v = is->field >= 0 ? cells[is->field].s : NULL;
		size_t vn = is->field >= 0 ? cells[is->field].n : 0;

		FZ_CHECK(is->field >= -1 && is->field < (int)ds->nfields, "issue on field %d", is->field);
		FZ_CHECK(is->code > VC_NONE && is->code < VC_COUNT, "issue code %d", (int)is->code);
		FZ_CHECK(*val_code_name(is->code), "issue code %d without a name", (int)is->code);
		counted += !is->warning;
		val_message(ds, is, v, vn, th, sizeof th, en, sizeof en);
		FZ_CHECK(th[0] && en[0], "issue %s of %s without a message", val_code_name(is->code),
			 is->field >= 0 ? ds->fields[is->field].name : "-");
		FZ_CHECK(fz_utf8(th, strlen(th)) && fz_utf8(en, strlen(en)),
			 "the message of %s on %s is not UTF-8", val_code_name(is->code),
			 is->field >= 0 ? ds->fields[is->field].name : "-");
	}
	FZ_CHECK(errors == counted, "%d errors returned, %d in the issues", errors, counted);
	for (i = 0; i < ds->nfields; i++) {
		FZ_CHECK(vals[i].state <= VAL_SET, "value state %d", (int)vals[i].state);
		if (vals[i].state == VAL_SET && vals[i].s) {
			volatile char c;
			size_t k;

			FZ_CHECK(fz_utf8(vals[i].s, vals[i].n), "the value of %s is not UTF-8", ds->fields[i].name);
			for (k = 0; k < vals[i].n; k++)
				c = vals[i].s[k];
			(void)c;
		}
	}
out:
	if (copies)
		for (i = 0; i < ds->nfields; i++)
			free(copies[i]);
	free(copies);
	free(cells);
	free(vals);
	free(issues);
	return 0;
}
