#include "itorisk/graph.h"
#include "itorisk/progress.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void itr_graph_setup(void)
{
	igraph_set_error_handler(igraph_error_handler_ignore);
	igraph_set_warning_handler(igraph_warning_handler_ignore);
}

/* The number of links collect_edges() writes, repeats and self-loops included. */
static size_t count_links(const itr_model *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];

		n += (v->parent.target != ITR_NONE) + v->nrelies;
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		n += (s->provider.target != ITR_NONE) + s->nneeds;
		for (size_t g = 0; g < s->ngroups; g++)
			n += s->groups[g].nopts;
	}
	return n;
}

/* The dependent -> dependency pairs of SPEC §3, written to e[0..2*count_links(m)).
 * Straight into the vector's storage: a push_back per endpoint cost more than
 * the igraph_create() that follows. */
static void collect_edges(igraph_integer_t *e, const itr_model *m)
{
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];
		igraph_integer_t from = itr_graph_vertex(v->elem);

		if (v->parent.target != ITR_NONE) {
			*e++ = from;
			*e++ = itr_graph_vertex(v->parent.target);
		}
		for (size_t k = 0; k < v->nrelies; k++) {
			*e++ = from;
			*e++ = itr_graph_vertex(v->relies_on[k].target);
		}
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		igraph_integer_t from = itr_graph_vertex(s->elem);

		if (s->provider.target != ITR_NONE) {
			*e++ = from;
			*e++ = itr_graph_vertex(s->provider.target);
		}
		for (size_t k = 0; k < s->nneeds; k++) {
			*e++ = from;
			*e++ = itr_graph_vertex(s->needs[k].target);
		}
		for (size_t g = 0; g < s->ngroups; g++) {
			for (size_t k = 0; k < s->groups[g].nopts; k++) {
				*e++ = from;
				*e++ = itr_graph_vertex(s->groups[g].options[k].target);
			}
		}
	}
}

/*
 * Move the pairs of src[0..2*npairs) to dst, stably sorted on their
 * element `key` (0: from, 1: to); start has n + 1 slots. Pairs that are
 * self-loops are left out when drop_loops. Returns the number of pairs moved.
 */
static igraph_integer_t counting_sort(igraph_integer_t *dst, const igraph_integer_t *src,
				      igraph_integer_t npairs, int key, igraph_integer_t *start,
				      igraph_integer_t n, bool drop_loops)
{
	igraph_integer_t moved = 0;

	memset(start, 0, (size_t)(n + 1) * sizeof(*start));
	for (igraph_integer_t i = 0; i < npairs; i++) {
		const igraph_integer_t *p = src + 2 * i;

		assert(p[0] >= 0 && p[0] < n && p[1] >= 0 && p[1] < n);
		if (!(drop_loops && p[0] == p[1]))
			start[p[key] + 1]++;
	}
	for (igraph_integer_t v = 0; v < n; v++)
		start[v + 1] += start[v];
	for (igraph_integer_t i = 0; i < npairs; i++) {
		const igraph_integer_t *p = src + 2 * i;
		igraph_integer_t *q;

		if (drop_loops && p[0] == p[1])
			continue;
		q = dst + 2 * start[p[key]]++;
		q[0] = p[0];
		q[1] = p[1];
		moved++;
	}
	return moved;
}

/*
 * igraph_simplify() rebuilds the graph from one edge per distinct pair, in
 * order of (from, to), or of (smaller, larger) end when undirected. Sorting
 * the pairs ourselves, on the second vertex then stably on the first (a
 * radix sort: vertex ids are below n), lets one igraph_create() build that
 * graph; simplifying would build it a second time.
 */
int itr_graph_simple_edges(igraph_vector_int_t *edges, igraph_integer_t n, bool directed)
{
	igraph_integer_t npairs = igraph_vector_int_size(edges) / 2, kept = 0;
	igraph_integer_t *e = VECTOR(*edges), *tmp, *start;

	if (npairs == 0)
		return 0;
	if (!directed) {
		for (igraph_integer_t i = 0; i < npairs; i++) {
			igraph_integer_t *p = e + 2 * i;

			if (p[0] > p[1]) {
				igraph_integer_t t = p[0];

				p[0] = p[1];
				p[1] = t;
			}
		}
	}
	tmp = itr_xmalloc((size_t)npairs * 2 * sizeof(*tmp));
	start = itr_xmalloc((size_t)(n + 1) * sizeof(*start));
	npairs = counting_sort(tmp, e, npairs, 1, start, n, true);
	counting_sort(e, tmp, npairs, 0, start, n, false);
	free(start);
	free(tmp);
	/* repeats are neighbours now */
	for (igraph_integer_t i = 0; i < npairs; i++) {
		const igraph_integer_t *p = e + 2 * i;

		if (kept > 0 && p[0] == e[2 * kept - 2] && p[1] == e[2 * kept - 1])
			continue;
		e[2 * kept] = p[0];
		e[2 * kept + 1] = p[1];
		kept++;
	}
	return igraph_vector_int_resize(edges, 2 * kept) == IGRAPH_SUCCESS ? 0 : -1;
}

int itr_graph_build(itr_graph *out, const itr_model *m, bool directed)
{
	igraph_vector_int_t edges;
	igraph_integer_t n = (igraph_integer_t)m->nelems;
	int ret = -1;

	out->directed = directed;
	if (igraph_vector_int_init(&edges, 2 * (igraph_integer_t)count_links(m)) != IGRAPH_SUCCESS)
		return -1;
	collect_edges(VECTOR(edges), m);
	if (itr_graph_simple_edges(&edges, n, directed) != 0)
		goto cleanup;
	if (igraph_create(&out->g, &edges, n, directed) != IGRAPH_SUCCESS)
		goto cleanup;
	ret = 0;
cleanup:
	igraph_vector_int_destroy(&edges);
	return ret;
}

void itr_graph_release(itr_graph *g)
{
	igraph_destroy(&g->g);
}

int itr_graph_analyses(itr_structure *st, itr_centrality *c, const itr_model *m, bool exact)
{
	itr_graph g;
	double t = itr_stage_begin("structure");
	int ret;

	memset(st, 0, sizeof(*st));
	memset(c, 0, sizeof(*c));
	if (itr_graph_build(&g, m, true) != 0) {
		itr_stage_end("structure", t);
		return -1;
	}
	ret = itr_structure_of(st, &g);
	itr_stage_end("structure", t);
	t = itr_stage_begin("centrality");
	if (itr_centrality_of(c, m, &g, exact) != 0)
		ret = -1;
	itr_stage_end("centrality", t);
	itr_graph_release(&g);
	return ret;
}
