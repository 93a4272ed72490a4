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

/*
 * One depth-first search (igraph_biconnected_components) gives both figures:
 * its articulation points, and its blocks, where a block with a single tree
 * edge is a bridge (a block's tree has one edge fewer than its vertices, and
 * in the simple undirected graph a two-vertex block is one edge, a bridge).
 * igraph ignores edge directions here, so the directed dependency graph the
 * centrality uses serves as well: a -> b and b -> a are two edges of one
 * two-vertex block there, still one tree edge, and cut vertices do not
 * depend on repeated edges. Asking for the tree edges keeps it O(N + L);
 * igraph_articulation_points() then igraph_bridges() would walk the graph
 * twice, each with its own incidence lists. (Not the component edges: igraph
 * collects those by scanning every block vertex's incidences, quadratic
 * around a hub cut vertex.)
 */
int itr_structure_of(itr_structure *out, const itr_graph *g)
{
	igraph_vector_int_t ap;
	igraph_vector_int_list_t blocks;
	igraph_integer_t nblocks;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (igraph_vector_int_init(&ap, 0) != IGRAPH_SUCCESS)
		return -1;
	if (igraph_vector_int_list_init(&blocks, 0) != IGRAPH_SUCCESS)
		goto free_ap;
	if (igraph_biconnected_components(&g->g, &nblocks, &blocks, NULL, NULL, &ap) !=
	    IGRAPH_SUCCESS)
		goto free_blocks;
	for (igraph_integer_t i = 0; i < igraph_vector_int_size(&ap); i++)
		itr_idlist_push(&out->articulation, itr_graph_elem(VECTOR(ap)[i]));
	itr_idlist_sort(&out->articulation);
	for (igraph_integer_t i = 0; i < nblocks; i++)
		out->nbridges +=
		    igraph_vector_int_size(igraph_vector_int_list_get_ptr(&blocks, i)) == 1;
	out->bridges = itr_xcalloc(out->nbridges, sizeof(*out->bridges));
	for (igraph_integer_t i = 0, k = 0; i < nblocks; i++) {
		const igraph_vector_int_t *tree = igraph_vector_int_list_get_ptr(&blocks, i);
		size_t a, b;

		if (igraph_vector_int_size(tree) != 1)
			continue;
		a = itr_graph_elem(IGRAPH_FROM(&g->g, VECTOR(*tree)[0]));
		b = itr_graph_elem(IGRAPH_TO(&g->g, VECTOR(*tree)[0]));
		out->bridges[k][0] = a < b ? a : b;
		out->bridges[k][1] = a < b ? b : a;
		k++;
	}
	if (out->nbridges > 1)
		qsort(out->bridges, out->nbridges, sizeof(*out->bridges), cmp_pair);
	ret = 0;
free_blocks:
	igraph_vector_int_list_destroy(&blocks);
free_ap:
	igraph_vector_int_destroy(&ap);
	if (ret != 0)
		itr_structure_release(out);
	return ret;
}

int itr_structure_compute(itr_structure *out, const itr_model *m)
{
	itr_graph g;
	int ret;

	memset(out, 0, sizeof(*out));
	if (itr_graph_build(&g, m, true) != 0)
		return -1;
	ret = itr_structure_of(out, &g);
	itr_graph_release(&g);
	return ret;
}

void itr_structure_release(itr_structure *s)
{
	itr_idlist_release(&s->articulation);
	free(s->bridges);
	s->bridges = NULL;
	s->nbridges = 0;
}
