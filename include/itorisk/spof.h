/*
 * Functional single points of failure (SPEC §2, §3): essential(S) for every
 * critical and important service, and the needs-any groups whose redundancy
 * a single element defeats.
 */
#ifndef ITORISK_SPOF_H
#define ITORISK_SPOF_H

#include "itorisk/failnet.h"

/* A sorted list of element numbers (so also of ids, bytewise). */
typedef struct itr_idlist {
	size_t *v;
	size_t n, cap;
} itr_idlist;

void itr_idlist_push(itr_idlist *l, size_t x);
void itr_idlist_release(itr_idlist *l);
void itr_idlist_sort(itr_idlist *l);

typedef struct itr_spof {
	size_t nelems, ngroups;
	itr_idlist *essential; /* [element]: essential(S), for critical/important services only */
	itr_idlist *impacts;   /* [element]: the critical/important services it is essential to */
	itr_idlist *defeaters; /* [group]: elements whose failure alone leaves fewer than min
				  options up; only groups with more options than min */
	size_t *fstart;        /* F(x), what x's failure alone takes down (x first): */
	uint32_t *flist;       /* flist[fstart[x] .. fstart[x + 1]) (cut sets start there) */
} itr_spof;

/*
 * Compute essential sets by failing each element X alone and propagating to
 * its dependents only (itr_fail): X is essential to every critical/important
 * service S != X that goes down. Exact for the least-fixed-point semantics.
 * Time O(sum over X of reach(X)), where reach(X) counts the elements X's
 * failure puts down plus their out-links, plus a sort of each impact list:
 * O(N * (N + L)) in the worst case (a hub everything depends on), near
 * O(N + L) for portfolios whose elements each bring down little.
 * Memory O(N + L + total size of the essential sets), and the down sets
 * F(x) themselves (their total is the total size of the essential sets of
 * all elements, tracked or not).
 */
void itr_spof_compute(itr_spof *out, const itr_model *m, const itr_failnet *net);
/* Free the down sets F(x) early (cut sets are computed from them; nothing
 * else needs them); the rest stays. */
void itr_spof_drop_down_sets(itr_spof *s);
void itr_spof_release(itr_spof *s);

#endif
