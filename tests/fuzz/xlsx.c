/* xlsx.c - fuzz target: the XLSX reader (libzip, expat, the sheet parsed in
 * a thread of its own), bytes to records.
 *
 * First byte: bit 0 = the rest is the file itself (a zip), else parts of a
 * workbook that the harness zips (fz_xlsx_build: split at 0xFF, bit 1 =
 * entries stored, not deflated); bits 2-4 = a record at which the sink fails
 * (0 = none); bit 5 = small limits (64 KiB inflated, 1 KiB of shared
 * strings) so that the limit paths are reached; bit 6 = ask for the sheet
 * "schools" rather than "students". */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec_result res;
	struct rec_opts o;
	struct fz_sink s;
	struct nw_err err;
	unsigned char *zip = NULL;
	const uint8_t *bytes;
	size_t len;
	FILE *fp;
	int rc;

	if (!size)
		return 0;
	if (data[0] & 1) {
		bytes = data + 1;
		len = size - 1;
	} else {
		zip = fz_xlsx_build(data + 1, size - 1, (data[0] >> 1) & 1, &len);
		if (!zip)
			return 0;
		bytes = zip;
	}
	memset(&o, 0, sizeof o);
	o.sheet = data[0] & 0x40 ? "schools" : "students";
	if (data[0] & 0x20) {
		o.max_unzipped = 64 * 1024;
		o.max_strings = 1024;
	}
	fz_sink_init(&s, (data[0] >> 2) & 7);
	err_clear(&err);
	fp = fz_stream(bytes, len);
	if (fp) {
		rc = rec_read_opts(fp, REC_XLSX, &o, &s.sink, &res, &err);
		fclose(fp);
		fz_check_result(rc, &res, &err);
		FZ_CHECK(res.bytes == len, "%zu bytes hashed of %zu", res.bytes, len);
	}
	free(zip);
	return 0;
}
