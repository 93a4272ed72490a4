/* One in-memory portfolio document through itr_load, then the whole audit and every report. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	itr_source src = {"fuzz/portfolio.xml", (const char *)data, size};

	if (size > FUZZ_MAX_INPUT)
		return -1;
	fuzz_setup();
	fuzz_load_audit(&src, 1);
	return 0;
}
