/*
 * The model as an igraph graph. Vertex v is element number v of the model
 * (vendors and services in bytewise id order), so the id <-> vertex maps are
 * itr_model_elem_id() and itr_model_find(). igraph lives here and in the
 * analyses that need it, never in the reporters.
 */
#ifndef ITORISK_GRAPH_H
#define ITORISK_GRAPH_H

#include "itorisk/model.h"
#include "itorisk/analysis.h"

#include <igraph.h>

typedef struct itr_graph {
	igraph_t g;
	bool directed;
} itr_graph;

/* Install non-aborting igraph error and warning handlers. Call once per process. */
void itr_graph_setup(void);

/*
 * Build the simple graph of the model's links (needs, option, provider,
 * relies-on, parent): directed from dependent to dependency, or undirected.
 * Self-loops are dropped and parallel edges merged. O(N + L log L).
 * Returns 0, or -1 if igraph fails (out of memory).
 */
int itr_graph_build(itr_graph *out, const itr_model *m, bool directed);
void itr_graph_release(itr_graph *g);

/* Vertex <-> element number. */
static inline igraph_integer_t itr_graph_vertex(size_t elem) { return (igraph_integer_t)elem; }
static inline size_t itr_graph_elem(igraph_integer_t v) { return (size_t)v; }

#endif
