/*
 * The failure network: SPEC §2 as a propagation structure.
 *
 * For every element it lists the links along which its failure travels to
 * its dependents: a vendor to the vendors that rely on it or have it as
 * parent and to the services it provides; a service to the services that
 * need it, and to the needs-any groups it is an option of. A group fails once
 * more than (options - min) of its options are down, and its service with it.
 *
 * itr_fail() computes the least fixed point of SPEC §2 for a failed set F by
 * forward propagation from F: an element is marked down only when one of the
 * rules forces it, so a cycle in which nothing failed stays up. It touches
 * only the failed elements' dependents, transitively: O(|F| + the down
 * elements' out-links), not the whole graph, and resets in time proportional
 * to what the previous call touched.
 */
#ifndef ITORISK_FAILNET_H
#define ITORISK_FAILNET_H

#include "itorisk/model.h"

#include <stdint.h>

typedef struct itr_fail_link {
	size_t target;  /* the dependent element */
	size_t group;   /* the needs-any group this is an option of, or ITR_NONE for a hard link */
} itr_fail_link;

typedef struct itr_fail_group {
	size_t service;        /* element number of the service that owns it */
	size_t index;          /* position among that service's groups */
	size_t nopts;
	unsigned long min;
	itr_loc loc;
} itr_fail_group;

typedef struct itr_failnet {
	size_t n;              /* elements */
	size_t *start;         /* links of element e: link[start[e] .. start[e+1]) */
	itr_fail_link *link;
	itr_fail_group *groups;
	size_t ngroups;
	/* the option links alone (group != ITR_NONE), same order: olink[ostart[e] ..) */
	size_t *ostart;
	itr_fail_link *olink;
} itr_failnet;

/* Build the network of a finished model. O(elements + links). Cannot fail. */
void itr_failnet_build(itr_failnet *net, const itr_model *m);
void itr_failnet_release(itr_failnet *net);

/* Scratch state of one propagation; reuse it across calls. */
/* A group's count of down options beside the count that fails it
 * (options - min + 1): one cache line for the propagation to read. */
typedef struct itr_fail_gcount {
	uint32_t n;
	uint32_t fails_at;
} itr_fail_gcount;

typedef struct itr_failstate {
	unsigned char *down;   /* down[e] != 0 when e is down */
	size_t *list;          /* the down elements, in the order reached */
	size_t nlist;
	itr_fail_gcount *gdown; /* down options per group, and how many fail it */
	size_t *gtouched;      /* groups whose gdown is not 0 */
	size_t ngtouched;
	size_t *gfailed;       /* groups that fell below min, in the order they fell */
	size_t ngfailed;
	size_t *glog;          /* every group increment since the last itr_fail(), for undo */
	size_t nglog;
} itr_failstate;

/* A point to return to with itr_fail_undo(). */
typedef struct itr_failmark {
	size_t nlist, nglog, ngfailed, ngtouched;
} itr_failmark;

void itr_failstate_init(itr_failstate *st, const itr_failnet *net);
void itr_failstate_release(itr_failstate *st);

/* Fail the given elements and propagate (see above). Afterwards st->down and
 * st->list describe the down set. Duplicates in `failed` are fine. */
void itr_fail(itr_failstate *st, const itr_failnet *net, const size_t *failed, size_t nfailed);

/* Fail one more element on top of the current state (after itr_fail()).
 * Costs what the new failure reaches. */
void itr_fail_more(itr_failstate *st, const itr_failnet *net, size_t failed);
/*
 * Add a failure whose down set is already known: `known` lists F(Y), the
 * whole down set of failing Y alone (st->list after itr_fail(Y)), and the
 * current state is itself such a closure. The known elements are marked
 * without walking their hard links again (F(Y) is closed under them); only
 * their option links are counted, and the groups that the two sets defeat
 * together fail and propagate as usual. Returns the position in st->list
 * from which the elements are down because of the union alone: in neither
 * the previous state nor F(Y). Undo with itr_fail_undo() as usual.
 */
size_t itr_fail_union(itr_failstate *st, const itr_failnet *net, const uint32_t *known,
		      size_t nknown);

/* The state of a down set already known to be closed (st->list of an
 * earlier itr_fail(), e.g. F(X)), without propagating it again: its
 * elements are marked and their option links counted. Same state as the
 * itr_fail() it came from, but for the order of st->list and st->gfailed. */
void itr_fail_known(itr_failstate *st, const itr_failnet *net, const uint32_t *known,
		    size_t nknown);

itr_failmark itr_fail_mark(const itr_failstate *st);
/* Return to a mark taken on the same state, in time proportional to what changed since. */
void itr_fail_undo(itr_failstate *st, itr_failmark mark);

#endif
