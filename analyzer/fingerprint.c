/*
 * Fingerprints of findings: 64-bit FNV-1a over the rule, a separator byte
 * that cannot occur in either string, and the logical key. FNV-1a is not
 * cryptographic; it does not need to be: a collision would only merge two
 * findings of one portfolio in a baseline, and 64 bits make that negligible
 * for the thousands of findings a portfolio has.
 */
#include "itorisk/gate.h"

#include <stdint.h>

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= FNV_PRIME;
	}
	return h;
}

void itr_fingerprint(char out[static ITR_FP_LEN + 1], const char *rule, const char *key)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = fnv1a(FNV_OFFSET, rule);

	/* a NUL byte separates the two strings: neither can contain one */
	h *= FNV_PRIME;
	h = fnv1a(h, key);
	for (int i = ITR_FP_LEN - 1; i >= 0; i--) {
		out[i] = hex[h & 0xf];
		h >>= 4;
	}
	out[ITR_FP_LEN] = '\0';
}

void itr_finding_fingerprint(char out[static ITR_FP_LEN + 1], const itr_finding *f)
{
	itr_fingerprint(out, f->rule, f->key ? f->key : f->subject);
}
