/*
 * Minimal cut sets (SPEC §3): for a service S, the minimal sets of elements
 * other than S whose joint failure puts S down (least fixed point of SPEC §2),
 * up to a given order. Order-1 sets are exactly essential(S).
 */
#ifndef ITORISK_CUTSETS_H
#define ITORISK_CUTSETS_H

#include "itorisk/spof.h"

typedef struct itr_cutsets {
	size_t n;          /* number of sets */
	size_t *len;       /* [i]: size of set i */
	size_t **sets;     /* [i]: element numbers of set i, ascending (into pool) */
	size_t *pool;      /* where the sets are stored */
	size_t npool, cap_pool;
	size_t nsingles;   /* order-1 sets not listed: the first nsingles of
			      essential(S) come before the sets listed (only
			      from a job begun with implicit singles) */
	bool truncated;    /* more sets exist than max_sets allowed */
} itr_cutsets;

/*
 * All minimal cut sets of `service` (an element number) with at most `order`
 * elements, sorted by size, then bytewise by ids (element numbers
 * ascending); with max_sets (0 = no limit) only the first max_sets of that
 * order, and `truncated` set when there were more. Returns 0. The result is
 * the caller's (itr_cutsets_release()).
 */
int itr_cutsets_compute(itr_cutsets *out, const itr_model *m, const itr_failnet *net,
			size_t service, unsigned order, size_t max_sets);
void itr_cutsets_release(itr_cutsets *c);

/*
 * The same for every critical and important service at once: out has
 * m->nelems entries (zero-filled by the caller; other elements stay empty).
 * Every combination is propagated once for all services.
 *
 * Method: order 1 reads what each element's failure alone takes down (the
 * essential-set pass of spof.h), recording for every needs-any
 * option o the elements A(o) whose failure alone takes o down. A pair that
 * stops a service neither member stops alone must defeat some needs-any
 * group together (every other rule of SPEC §2 has a single premise), so
 * order 2 pairs X only with the Y that take down enough of the remaining
 * options of a group X's failure touched, found by counting over A(o), and
 * propagates each such pair once (proof in cutsets.c). On portfolios where
 * each element reaches a bounded part of the graph this is near-linear.
 * Order 3 and above enumerate increasing combinations of the elements
 * upstream of some group, checking minimality by removing each member in
 * turn. `budget` bounds the work of orders 2 and up (0 = no bound): past it
 * the search stops, the sets found so far are kept (each is a true minimal
 * cut set) and every service is marked truncated, since any may miss some.
 * (The work is checked after each pair and after each chunk of 1/64 of the
 * elements, at least 256, see itr_cutsets_begin(); where it stops depends
 * on the input alone.)
 * Order-1 sets are always complete.
 * Returns 0.
 */
int itr_cutsets_all(itr_cutsets *out, const itr_model *m, const itr_failnet *net, unsigned order,
		    size_t max_sets, size_t budget);

/* The same, reading the down sets F(x) an itr_spof_compute() of the same
 * network already has (so order 1 costs no propagation). */
int itr_cutsets_from(itr_cutsets *out, const itr_model *m, const itr_failnet *net,
		     const itr_spof *spof, unsigned order, size_t max_sets, size_t budget);

/*
 * The same in steps, so that several threads can share the search of order
 * 2: itr_cutsets_begin() sets up (order 1, the lookups of order 2; spof may
 * be NULL, then it is computed), itr_cutsets_run() searches one chunk of the
 * failed elements X and may be called from any thread, concurrently for
 * different chunks, each chunk exactly once; itr_cutsets_end(), once every
 * chunk has run, puts the pairs in X order, goes on to order 3 and up, sorts
 * and frees the job. The result is the same whatever thread ran which chunk
 * and when. itr_cutsets_from() is begin, every chunk in order, end. *spof
 * and the network must stay unchanged until the end.
 */
typedef struct itr_cutsets_job itr_cutsets_job;

/* implicit_singles: leave the order-1 sets out of out[], which then lists
 * the sets of two or more, each service's nsingles counting the order-1
 * sets it would have listed first (essential(S), ascending; at most
 * max_sets). They are spof->essential already; listing them again costs as
 * much as the rest on a large portfolio. */
itr_cutsets_job *itr_cutsets_begin(itr_cutsets *out, const itr_model *m, const itr_failnet *net,
				   const itr_spof *spof, unsigned order, size_t max_sets,
				   size_t budget, bool implicit_singles);
size_t itr_cutsets_chunks(const itr_cutsets_job *j);
void itr_cutsets_run(itr_cutsets_job *j, size_t chunk);
void itr_cutsets_end(itr_cutsets_job *j);

#endif
