/*
 * csvcut.c - test tool: prints chosen columns of a CSV file (RFC 4180, via
 * libcsv) one record a line, separated by commas, with no quoting.
 *   csvcut 2,3,5,6 FILE      (columns from 1; the header is printed too)
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cols[32], ncols, col, first;
static char *cell[32];

static void on_field(void *s, size_t n, void *data)
{
	int i;

	(void)data;
	col++;
	for (i = 0; i < ncols; i++)
		if (cols[i] == col) {
			free(cell[i]);
			cell[i] = malloc(n + 1);
			memcpy(cell[i], s ? s : "", s ? n : 0);
			cell[i][s ? n : 0] = '\0';
		}
}

static void on_record(int c, void *data)
{
	int i;

	(void)c;
	(void)data;
	if (!col)
		return;
	for (i = 0; i < ncols; i++) {
		printf("%s%s", i ? "," : "", cell[i] ? cell[i] : "");
		free(cell[i]);
		cell[i] = NULL;
	}
	putchar('\n');
	col = 0;
	first = 0;
}

int main(int argc, char **argv)
{
	struct csv_parser p;
	char buf[65536], *s, *end;
	size_t n;
	FILE *fp;

	if (argc != 3) {
		fprintf(stderr, "usage: csvcut COLS FILE\n");
		return 2;
	}
	for (s = argv[1]; *s && ncols < 32; s = *end ? end + 1 : end)
		cols[ncols++] = (int)strtol(s, &end, 10);
	fp = strcmp(argv[2], "-") ? fopen(argv[2], "rb") : stdin;
	if (!fp) {
		perror(argv[2]);
		return 1;
	}
	csv_init(&p, 0);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_record, NULL) != n) {
			fprintf(stderr, "csvcut: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_record, NULL);
	csv_free(&p);
	return 0;
}
