/*
 * Minimal cut sets (SPEC §3): for a service S, the minimal sets of elements
 * other than S whose joint failure puts S down (least fixed point of SPEC §2),
 * up to a given order. Order-1 sets are exactly essential(S).
 */
#ifndef ITORISK_CUTSETS_H
#define ITORISK_CUTSETS_H

#include "itorisk/failnet.h"

typedef struct itr_cutsets {
	size_t n;          /* number of sets */
	size_t *len;       /* [i]: size of set i */
	size_t **sets;     /* [i]: element numbers of set i, ascending */
	bool truncated;    /* more sets exist than max_sets allowed */
} itr_cutsets;

/*
 * All minimal cut sets of `service` (an element number) with at most `order`
 * elements, at most max_sets of them (0 = no limit); sorted by size, then
 * bytewise by ids (element numbers ascending). Returns 0. The result is the
 * caller's (itr_cutsets_release()).
 */
int itr_cutsets_compute(itr_cutsets *out, const itr_model *m, const itr_failnet *net,
			size_t service, unsigned order, size_t max_sets);
void itr_cutsets_release(itr_cutsets *c);

#endif
