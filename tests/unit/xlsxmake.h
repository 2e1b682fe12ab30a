/*
 * xlsxmake.h - hand-made XLSX workbooks for the tests (libzip): the parts a
 * reader needs, with the sheet's rows, shared strings, styles and workbook
 * properties given as XML text.  Entries may be stored uncompressed, so that
 * a test can damage a known byte.
 */
#ifndef NAWAT_TEST_XLSXMAKE_H
#define NAWAT_TEST_XLSXMAKE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#define XM_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define XM_RELS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XM_PKG "http://schemas.openxmlformats.org/package/2006/relationships"

struct xm_part {
	const char *name, *text;
};

/* A zip of the parts (entries stored when store), as malloc'd bytes. */
static inline unsigned char *xm_zip(const struct xm_part *parts, size_t n, int store, size_t *len)
{
	char path[] = "/tmp/nawat-xm-XXXXXX";
	unsigned char *data;
	zip_source_t *src;
	zip_int64_t idx;
	zip_t *z;
	FILE *fp;
	long size;
	int fd = mkstemp(path), zerr;
	size_t i;

	*len = 0;
	if (fd < 0)
		return NULL;
	close(fd);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z)
		return NULL;
	for (i = 0; i < n; i++) {
		src = zip_source_buffer(z, parts[i].text, strlen(parts[i].text), 0);
		idx = src ? zip_file_add(z, parts[i].name, src, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0)
			return NULL;
		if (store)
			zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (zip_close(z) != 0)
		return NULL;
	fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	data = malloc((size_t)size);
	if (data && fread(data, 1, (size_t)size, fp) != (size_t)size) {
		free(data);
		data = NULL;
	}
	fclose(fp);
	unlink(path);
	*len = (size_t)size;
	return data;
}

/* A workbook of one sheet "sheet" whose <sheetData> holds rows; wbpr is the
 * workbookPr element (or ""); sst and styles the bodies of sharedStrings.xml
 * and styles.xml (NULL: no such part). */
static inline unsigned char *xm_book(const char *sheet, const char *wbpr, const char *rows,
				     const char *sst, const char *styles, int store, size_t *len)
{
	static char wb[2048], wbrels[2048], sh[1 << 22], ss[1 << 16], st[1 << 16];
	struct xm_part parts[6];
	size_t n = 0;

	snprintf(wb, sizeof wb,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workbook xmlns=\"" XM_MAIN "\" xmlns:r=\"" XM_RELS "\">"
		 "%s<sheets><sheet name=\"%s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
		 wbpr, sheet);
	snprintf(wbrels, sizeof wbrels,
		 "<Relationships xmlns=\"" XM_PKG "\">"
		 "<Relationship Id=\"rId1\" Type=\"" XM_RELS "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		 "<Relationship Id=\"rId2\" Type=\"" XM_RELS "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
		 "<Relationship Id=\"rId3\" Type=\"" XM_RELS "/styles\" Target=\"styles.xml\"/>"
		 "</Relationships>");
	snprintf(sh, sizeof sh, "<worksheet xmlns=\"" XM_MAIN "\"><sheetData>%s</sheetData></worksheet>", rows);
	parts[n++] = (struct xm_part){ "_rels/.rels",
		"<Relationships xmlns=\"" XM_PKG "\"><Relationship Id=\"rId1\" Type=\"" XM_RELS
		"/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>" };
	parts[n++] = (struct xm_part){ "xl/workbook.xml", wb };
	parts[n++] = (struct xm_part){ "xl/_rels/workbook.xml.rels", wbrels };
	parts[n++] = (struct xm_part){ "xl/worksheets/sheet1.xml", sh };
	if (sst) {
		snprintf(ss, sizeof ss, "<sst xmlns=\"" XM_MAIN "\">%s</sst>", sst);
		parts[n++] = (struct xm_part){ "xl/sharedStrings.xml", ss };
	}
	if (styles) {
		snprintf(st, sizeof st, "<styleSheet xmlns=\"" XM_MAIN "\">%s</styleSheet>", styles);
		parts[n++] = (struct xm_part){ "xl/styles.xml", st };
	}
	return xm_zip(parts, n, store, len);
}

#endif
