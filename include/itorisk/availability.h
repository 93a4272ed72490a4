/*
 * Composed availability (SPEC §3): the probability that a service is up when
 * every service covered by a contract whose SLA states an availability fails
 * on its own, independently, with probability 1 - availability/100, and
 * nothing else fails on its own. Exact: shared dependencies are counted once.
 */
#ifndef ITORISK_AVAILABILITY_H
#define ITORISK_AVAILABILITY_H

#include "itorisk/failnet.h"

/* q[e] for every element e: the probability that e fails on its own (0 for
 * elements that never do). q has m->nelems entries. Cannot fail. */
void itr_availability_events(double *q, const itr_model *m);

/*
 * The exact probability that `service` is up, in [0, 1]. Returns 0, or -1
 * when the exact computation would exceed its bound (the message in the
 * audit says so) and *out is then a lower bound.
 */
int itr_availability_compute(double *out, const itr_model *m, const itr_failnet *net,
			     const double *q, size_t service);

/*
 * The same for every critical and important service at once (out has
 * m->nelems entries; others are left untouched; an entry is negative when it
 * could not be computed within max_nodes BDD nodes). Returns the number of
 * services that could not be computed.
 *
 * Method: each element's "up" function over the independent failure events
 * is built as a reduced ordered BDD (Bryant), bottom-up over the strongly
 * connected components of the dependency graph: up(x) = not failed(x) and
 * up of every hard dependency and at-least-min of each needs-any group's
 * options. Inside a dependency cycle the least-fixed-point semantics means a
 * failure cannot be derived through an element already on the derivation
 * path, so members of a cycle are expanded per path (exponential only in the
 * size of one cycle's component); everything else is shared. The probability
 * is then one pass over the BDD. Exact; cost grows with the BDD size, which
 * max_nodes bounds (variables ordered depth-first from the services).
 */
size_t itr_availability_all(double *out, const itr_model *m, const double *q, size_t max_nodes);

#endif
