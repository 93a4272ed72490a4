/*
 * The dependency graph of a model as the analyses walk it (dependent ->
 * dependency), with its strongly connected components in an order that puts
 * every component after those it depends on. Iterative throughout: a
 * dependency chain may be as long as the portfolio. Internal to the analyses.
 */
#ifndef ITORISK_DEPGRAPH_H
#define ITORISK_DEPGRAPH_H

#include "itorisk/model.h"

/* Hard dependencies of e are dep[start[e] .. hard_end[e]) (provider, needs,
 * parent, relies-on); the options of e's needs-any groups follow, up to
 * start[e + 1], group after group in document order. */
typedef struct itr_dgraph {
	size_t n;
	size_t *start;
	size_t *hard_end;
	size_t *dep;
} itr_dgraph;

/* O(N + L). */
void itr_dgraph_build(itr_dgraph *g, const itr_model *m);
void itr_dgraph_release(itr_dgraph *g);

/*
 * Tarjan's strongly connected components. comp[e] is e's component; components
 * are numbered in the order they complete, dependencies first. csize[c] is the
 * size of component c. Returns the number of components. O(N + L).
 */
size_t itr_dgraph_scc(const itr_dgraph *g, size_t *comp, size_t *csize);

/* The elements ordered by component (dependencies first): out has n entries. */
void itr_dgraph_order(const itr_dgraph *g, const size_t *comp, size_t ncomp, size_t *out);

#endif
