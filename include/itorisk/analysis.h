/*
 * Results of the graph analyses, in element numbers (see model.h), free of
 * igraph types so that reporters can read them.
 */
#ifndef ITORISK_ANALYSIS_H
#define ITORISK_ANALYSIS_H

#include "itorisk/spof.h"

/* Structural SPOFs (SPEC §3), from the undirected simple graph of all links. */
typedef struct itr_structure {
	itr_idlist articulation;  /* sorted */
	size_t (*bridges)[2];     /* each pair sorted, list sorted */
	size_t nbridges;
} itr_structure;

/* Articulation points and bridges: O(N + L) each (igraph). 0 or -1 on igraph failure. */
int itr_structure_compute(itr_structure *out, const itr_model *m);
void itr_structure_release(itr_structure *s);

/* Centrality over the directed dependency graph, per element. */
typedef struct itr_centrality {
	double *betweenness; /* see itr_centrality_compute() */
	double *pagerank;    /* personalised on critical (weight 1) and important (0.5) services */
} itr_centrality;

/*
 * Betweenness and personalised PageRank (PRPACK, damping 0.85; reset on
 * critical and important services, uniform when there are none).
 *
 * Betweenness by default counts the shortest dependency paths that start at
 * a critical or important service (the work the analysis is about), divided
 * by |those services|·(n−2): Brandes from those sources only, O(T·(N+L)) for
 * T such services, and far less when each reaches a bounded part of the
 * graph, as in real portfolios. `exact` counts all pairs instead (O(N·L)),
 * normalised like NetworkX by (n−1)(n−2). 0 or -1 on igraph failure.
 */
int itr_centrality_compute(itr_centrality *out, const itr_model *m, bool exact);
void itr_centrality_release(itr_centrality *c);

/* Both, on one directed graph built once (the structure ignores directions):
 * what the audit runs. 0, or -1 if igraph failed (what was computed is kept,
 * to be released as usual). */
int itr_graph_analyses(itr_structure *st, itr_centrality *c, const itr_model *m, bool exact);

#endif
