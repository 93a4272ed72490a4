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
 * Self-loops are dropped and parallel edges merged, with the edges in the
 * order igraph_simplify() would leave them (see itr_graph_simple_edges()).
 * O(N + L). Returns 0, or -1 if igraph fails (out of memory).
 */
int itr_graph_build(itr_graph *out, const itr_model *m, bool directed);
void itr_graph_release(itr_graph *g);

/*
 * Turn `edges`, a flat list of (from, to) vertex pairs as igraph_create()
 * takes it, with every vertex in 0..n-1, into the edge list of the simple
 * graph: self-loops dropped, each pair kept once, sorted by (from, to).
 * Undirected pairs are first written (smaller, larger), so a-b and b-a are
 * one edge. This is the order igraph_simplify() leaves the edges in, so
 * igraph_create() on the result gives the same graph, edge ids included, as
 * igraph_create() then igraph_simplify(), without building the graph twice.
 * Two stable counting sorts: O(n + E) time, O(n + E) extra memory. Returns 0,
 * or -1 if igraph fails to shrink the vector (it does not).
 */
int itr_graph_simple_edges(igraph_vector_int_t *edges, igraph_integer_t n, bool directed);

/* The analyses of analysis.h on a graph already built, directed (the
 * structure ignores directions), so that one graph serves both. */
int itr_structure_of(itr_structure *out, const itr_graph *g);
int itr_centrality_of(itr_centrality *out, const itr_model *m, const itr_graph *g, bool exact);

/* Vertex <-> element number. */
static inline igraph_integer_t itr_graph_vertex(size_t elem) { return (igraph_integer_t)elem; }
static inline size_t itr_graph_elem(igraph_integer_t v) { return (size_t)v; }

#endif
