/*
 * One in-memory document through itr_load, whose format detection (by root
 * element and namespace) hands it to the CycloneDX importer; then the whole
 * audit and every report. The same code as fuzz_portfolio, with its own
 * corpus and dictionary entries so that the importer is what gets explored.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	itr_source src = {"fuzz/cyclonedx.xml", (const char *)data, size};

	if (size > FUZZ_MAX_INPUT)
		return -1;
	fuzz_setup();
	fuzz_load_audit(&src, 1);
	return 0;
}
