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

/*
 * The same for every critical and important service at once: out has
 * m->nelems entries (zero-filled by the caller; other elements stay empty).
 * Every combination is propagated once for all services.
 *
 * Method: order 1 fails each element alone. A set of two or more elements
 * that is a minimal cut set joins its members' effects at a needs-any group
 * (with hard links only, one member alone would already suffice). Order 2
 * therefore pairs each X only with the elements upstream of the options of
 * the groups X's failure touches: O(sum over X of (cone + sum of reach(Y)))
 * rather than O(N^2). Order 3 and above enumerate increasing combinations of
 * the elements upstream of some group, checking minimality by removing each
 * member in turn. `budget` bounds the propagation steps of orders 2 and up
 * (0 = no bound): past it the search stops, the sets found so far are kept
 * (each is a true minimal cut set) and every service is marked truncated,
 * since any may miss some. Order-1 sets are always complete.
 * Returns 0.
 */
int itr_cutsets_all(itr_cutsets *out, const itr_model *m, const itr_failnet *net, unsigned order,
		    size_t max_sets, size_t budget);

#endif
