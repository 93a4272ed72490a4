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

#endif
