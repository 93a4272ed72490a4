/* Centrality over the dependency graph (dependent -> dependency). */
#include "itorisk/graph.h"

#include <stdlib.h>
#include <string.h>

/* Betweenness on paths from the critical and important services only (their
 * vertex ids in `sources`), normalised by |sources|·(n−2). */
static int betweenness_from(const itr_graph *g, igraph_vector_t *bet, const igraph_vector_int_t *src,
			    double n)
{
	double pairs = (double)igraph_vector_int_size(src) * (n - 2);

	if (igraph_betweenness_subset(&g->g, bet, igraph_vss_all(), true,
				      igraph_vss_vector(src), igraph_vss_all(),
				      NULL) != IGRAPH_SUCCESS)
		return -1;
	for (igraph_integer_t i = 0; i < igraph_vector_size(bet); i++)
		VECTOR(*bet)[i] = pairs > 0 ? VECTOR(*bet)[i] / pairs : 0.0;
	return 0;
}

int itr_centrality_of(itr_centrality *out, const itr_model *m, const itr_graph *g, bool exact)
{
	igraph_vector_t bet, pr, reset;
	igraph_vector_int_t src;
	igraph_real_t value;
	double n = (double)m->nelems, weight = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (igraph_vector_init(&bet, 0) != IGRAPH_SUCCESS)
		return -1;
	if (igraph_vector_init(&pr, 0) != IGRAPH_SUCCESS)
		goto free_bet;
	if (igraph_vector_init(&reset, (igraph_integer_t)m->nelems) != IGRAPH_SUCCESS)
		goto free_pr;
	if (igraph_vector_int_init(&src, 0) != IGRAPH_SUCCESS)
		goto free_reset;
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		double w = s->criticality == ITR_CRIT_CRITICAL	  ? 1.0
			   : s->criticality == ITR_CRIT_IMPORTANT ? 0.5
								  : 0.0;

		VECTOR(reset)[itr_graph_vertex(s->elem)] = w;
		weight += w;
		if (w > 0 &&
		    igraph_vector_int_push_back(&src, itr_graph_vertex(s->elem)) != IGRAPH_SUCCESS)
			goto free_src;
	}
	/* the vertex order follows the element order, so the sources are sorted */
	if (exact) {
		if (igraph_betweenness(&g->g, &bet, igraph_vss_all(), true, NULL) != IGRAPH_SUCCESS)
			goto free_src;
		for (igraph_integer_t i = 0; i < igraph_vector_size(&bet); i++)
			VECTOR(bet)[i] = n > 2 ? VECTOR(bet)[i] / ((n - 1) * (n - 2)) : 0.0;
	} else if (betweenness_from(g, &bet, &src, n) != 0) {
		goto free_src;
	}
	if (m->nelems > 0 &&
	    igraph_personalized_pagerank(&g->g, IGRAPH_PAGERANK_ALGO_PRPACK, &pr, &value,
					 igraph_vss_all(), true, 0.85, weight > 0 ? &reset : NULL,
					 NULL, NULL) != IGRAPH_SUCCESS)
		goto free_src;
	out->betweenness = itr_xcalloc(m->nelems, sizeof(double));
	out->pagerank = itr_xcalloc(m->nelems, sizeof(double));
	for (size_t e = 0; e < m->nelems; e++) {
		out->betweenness[e] = VECTOR(bet)[itr_graph_vertex(e)];
		out->pagerank[e] = VECTOR(pr)[itr_graph_vertex(e)];
	}
	ret = 0;
free_src:
	igraph_vector_int_destroy(&src);
free_reset:
	igraph_vector_destroy(&reset);
free_pr:
	igraph_vector_destroy(&pr);
free_bet:
	igraph_vector_destroy(&bet);
	return ret;
}

int itr_centrality_compute(itr_centrality *out, const itr_model *m, bool exact)
{
	itr_graph g;
	int ret;

	memset(out, 0, sizeof(*out));
	if (itr_graph_build(&g, m, true) != 0)
		return -1;
	ret = itr_centrality_of(out, m, &g, exact);
	itr_graph_release(&g);
	return ret;
}

void itr_centrality_release(itr_centrality *c)
{
	free(c->betweenness);
	free(c->pagerank);
	c->betweenness = c->pagerank = NULL;
}
