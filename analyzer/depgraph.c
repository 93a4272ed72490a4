#include "depgraph.h"

#include <stdlib.h>

void itr_dgraph_build(itr_dgraph *g, const itr_model *m)
{
	size_t total = 0, k = 0;

	g->n = m->nelems;
	g->start = itr_xcalloc(g->n + 1, sizeof(*g->start));
	g->hard_end = itr_xcalloc(g->n + 1, sizeof(*g->hard_end));
	for (size_t i = 0; i < m->nvendors; i++)
		total += (m->vendors[i].parent.target != ITR_NONE) + m->vendors[i].nrelies;
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		total += (s->provider.target != ITR_NONE) + s->nneeds;
		for (size_t j = 0; j < s->ngroups; j++)
			total += s->groups[j].nopts;
	}
	g->dep = itr_xmalloc((total + 1) * sizeof(*g->dep));
	for (size_t e = 0; e < g->n; e++) {
		const itr_vendor *v = itr_model_elem_vendor(m, e);
		const itr_service *s = itr_model_elem_service(m, e);

		g->start[e] = k;
		if (v) {
			if (v->parent.target != ITR_NONE)
				g->dep[k++] = v->parent.target;
			for (size_t j = 0; j < v->nrelies; j++)
				g->dep[k++] = v->relies_on[j].target;
			g->hard_end[e] = k;
			continue;
		}
		if (s->provider.target != ITR_NONE)
			g->dep[k++] = s->provider.target;
		for (size_t j = 0; j < s->nneeds; j++)
			g->dep[k++] = s->needs[j].target;
		g->hard_end[e] = k;
		for (size_t j = 0; j < s->ngroups; j++)
			for (size_t o = 0; o < s->groups[j].nopts; o++)
				g->dep[k++] = s->groups[j].options[o].target;
	}
	g->start[g->n] = k;
}

void itr_dgraph_release(itr_dgraph *g)
{
	free(g->start);
	free(g->hard_end);
	free(g->dep);
}

/* Iterative Tarjan: call[] and edge[] are the explicit recursion stack. */
size_t itr_dgraph_scc(const itr_dgraph *g, size_t *comp, size_t *csize)
{
	size_t n = g->n, idx = 0, ncomp = 0, sp = 0, cs = 0;
	size_t *index = itr_xmalloc((n + 1) * sizeof(size_t));
	size_t *low = itr_xmalloc((n + 1) * sizeof(size_t));
	size_t *stack = itr_xmalloc((n + 1) * sizeof(size_t));
	size_t *call = itr_xmalloc((n + 1) * sizeof(size_t)); /* element */
	size_t *edge = itr_xmalloc((n + 1) * sizeof(size_t)); /* next dep position */
	unsigned char *on = itr_xcalloc(n + 1, 1);

	for (size_t e = 0; e < n; e++)
		index[e] = ITR_NONE;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != ITR_NONE)
			continue;
		call[0] = root;
		edge[0] = g->start[root];
		cs = 1;
		index[root] = low[root] = idx++;
		stack[sp++] = root;
		on[root] = 1;
		while (cs) {
			size_t v = call[cs - 1];

			if (edge[cs - 1] < g->start[v + 1]) {
				size_t w = g->dep[edge[cs - 1]++];

				if (index[w] == ITR_NONE) {
					index[w] = low[w] = idx++;
					stack[sp++] = w;
					on[w] = 1;
					call[cs] = w;
					edge[cs] = g->start[w];
					cs++;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				size_t w, k = 0;

				do {
					w = stack[--sp];
					on[w] = 0;
					comp[w] = ncomp;
					k++;
				} while (w != v);
				csize[ncomp++] = k;
			}
			cs--;
			if (cs && low[v] < low[call[cs - 1]])
				low[call[cs - 1]] = low[v];
		}
	}
	free(index);
	free(low);
	free(stack);
	free(call);
	free(edge);
	free(on);
	return ncomp;
}

void itr_dgraph_order(const itr_dgraph *g, const size_t *comp, size_t ncomp, size_t *out)
{
	size_t *first = itr_xcalloc(ncomp + 1, sizeof(size_t));

	for (size_t e = 0; e < g->n; e++)
		first[comp[e] + 1]++;
	for (size_t c = 0; c < ncomp; c++)
		first[c + 1] += first[c];
	for (size_t e = 0; e < g->n; e++)
		out[first[comp[e]]++] = e;
	free(first);
}
