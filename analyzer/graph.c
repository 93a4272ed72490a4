#include "itorisk/graph.h"

#include <stdlib.h>

void itr_graph_setup(void)
{
	igraph_set_error_handler(igraph_error_handler_ignore);
	igraph_set_warning_handler(igraph_warning_handler_ignore);
}

static igraph_error_t push_edge(igraph_vector_int_t *edges, size_t from, size_t to)
{
	IGRAPH_CHECK(igraph_vector_int_push_back(edges, itr_graph_vertex(from)));
	return igraph_vector_int_push_back(edges, itr_graph_vertex(to));
}

/* The dependent -> dependency edge list of SPEC §3. */
static igraph_error_t collect_edges(igraph_vector_int_t *edges, const itr_model *m)
{
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];

		if (v->parent.target != ITR_NONE)
			IGRAPH_CHECK(push_edge(edges, v->elem, v->parent.target));
		for (size_t k = 0; k < v->nrelies; k++)
			IGRAPH_CHECK(push_edge(edges, v->elem, v->relies_on[k].target));
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (s->provider.target != ITR_NONE)
			IGRAPH_CHECK(push_edge(edges, s->elem, s->provider.target));
		for (size_t k = 0; k < s->nneeds; k++)
			IGRAPH_CHECK(push_edge(edges, s->elem, s->needs[k].target));
		for (size_t g = 0; g < s->ngroups; g++)
			for (size_t k = 0; k < s->groups[g].nopts; k++)
				IGRAPH_CHECK(push_edge(edges, s->elem, s->groups[g].options[k].target));
	}
	return IGRAPH_SUCCESS;
}

int itr_graph_build(itr_graph *out, const itr_model *m, bool directed)
{
	igraph_vector_int_t edges;
	int ret = -1;

	out->directed = directed;
	if (igraph_vector_int_init(&edges, 0) != IGRAPH_SUCCESS)
		return -1;
	if (collect_edges(&edges, m) != IGRAPH_SUCCESS)
		goto cleanup;
	if (igraph_create(&out->g, &edges, (igraph_integer_t)m->nelems, directed) != IGRAPH_SUCCESS)
		goto cleanup;
	if (igraph_simplify(&out->g, true, true, NULL) != IGRAPH_SUCCESS) {
		igraph_destroy(&out->g);
		goto cleanup;
	}
	ret = 0;
cleanup:
	igraph_vector_int_destroy(&edges);
	return ret;
}

void itr_graph_release(itr_graph *g)
{
	igraph_destroy(&g->g);
}
