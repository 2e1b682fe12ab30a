/* json.c - fuzz target: the JSON (array of objects) and NDJSON reader,
 * bytes to records.  Input layout in readers.h. */
#include "readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_read_text(data, size, REC_JSON);
}
