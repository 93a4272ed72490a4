/*
 * Several documents loaded together: the input is split on FUZZ_SEP into at
 * most 4 documents (the last keeps any further separators), which are loaded
 * as one portfolio — so cross-file integrity rules, duplicate portfolio
 * attributes, mapping files applied to CycloneDX/ArchiMate imports — then
 * audited and reported.
 */
#include "fuzz.h"

#define FUZZ_SEP "\n--8<--\n"
#define FUZZ_MAX_DOCS 4

/* The first FUZZ_SEP in [p, end), or NULL (memmem is not POSIX). */
static const char *find_sep(const char *p, const char *end)
{
	const size_t seplen = sizeof(FUZZ_SEP) - 1;

	for (; (size_t)(end - p) >= seplen; p++)
		if (memcmp(p, FUZZ_SEP, seplen) == 0)
			return p;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[FUZZ_MAX_DOCS] = {"fuzz/a.xml", "fuzz/b/b.xml",
							 "fuzz/c.xml", "fuzz/d.xml"};
	const size_t seplen = sizeof(FUZZ_SEP) - 1;
	itr_source src[FUZZ_MAX_DOCS];
	const char *p = (const char *)data, *end = p + size;
	size_t n = 0;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	fuzz_setup();
	while (n < FUZZ_MAX_DOCS - 1) {
		const char *q = find_sep(p, end);

		if (!q)
			break;
		src[n] = (itr_source){names[n], p, (size_t)(q - p)};
		n++;
		p = q + seplen;
	}
	src[n] = (itr_source){names[n], p, (size_t)(end - p)};
	n++;
	fuzz_load_audit(src, n);
	return 0;
}
