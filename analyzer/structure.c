/* Structural single points of failure (SPEC §3): a secondary view; the
 * functional essential sets of spof.c are authoritative. */
#include "itorisk/graph.h"

#include <stdlib.h>
#include <string.h>

static int cmp_pair(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1];
}

int itr_structure_compute(itr_structure *out, const itr_model *m)
{
	itr_graph g;
	igraph_vector_int_t ap, br;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (itr_graph_build(&g, m, false) != 0)
		return -1;
	if (igraph_vector_int_init(&ap, 0) != IGRAPH_SUCCESS)
		goto free_graph;
	if (igraph_vector_int_init(&br, 0) != IGRAPH_SUCCESS)
		goto free_ap;
	if (igraph_articulation_points(&g.g, &ap) != IGRAPH_SUCCESS ||
	    igraph_bridges(&g.g, &br) != IGRAPH_SUCCESS)
		goto free_br;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&ap); i++)
		itr_idlist_push(&out->articulation, itr_graph_elem(VECTOR(ap)[i]));
	itr_idlist_sort(&out->articulation);
	out->nbridges = (size_t)igraph_vector_int_size(&br);
	out->bridges = itr_xcalloc(out->nbridges, sizeof(*out->bridges));
	for (size_t i = 0; i < out->nbridges; i++) {
		igraph_integer_t from = IGRAPH_FROM(&g.g, VECTOR(br)[i]);
		igraph_integer_t to = IGRAPH_TO(&g.g, VECTOR(br)[i]);
		size_t a = itr_graph_elem(from), b = itr_graph_elem(to);

		out->bridges[i][0] = a < b ? a : b;
		out->bridges[i][1] = a < b ? b : a;
	}
	if (out->nbridges > 1)
		qsort(out->bridges, out->nbridges, sizeof(*out->bridges), cmp_pair);
	ret = 0;
free_br:
	igraph_vector_int_destroy(&br);
free_ap:
	igraph_vector_int_destroy(&ap);
free_graph:
	itr_graph_release(&g);
	if (ret != 0)
		itr_structure_release(out);
	return ret;
}

void itr_structure_release(itr_structure *s)
{
	itr_idlist_release(&s->articulation);
	free(s->bridges);
	s->bridges = NULL;
	s->nbridges = 0;
}
