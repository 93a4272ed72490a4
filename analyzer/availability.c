/* Exact composed availability with BDDs (see availability.h). */
#include "itorisk/availability.h"

#include "bdd.h"
#include "depgraph.h"

#include <stdlib.h>
#include <string.h>

void itr_availability_events(double *q, const itr_model *m)
{
	for (size_t e = 0; e < m->nelems; e++)
		q[e] = 0.0;
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		const itr_contract *c = s->contract != ITR_NONE ? &m->contracts[s->contract] : NULL;

		if (c && c->sla.present && c->sla.availability >= 0)
			q[s->elem] = 1.0 - c->sla.availability / 100.0;
	}
}

typedef struct builder {
	const itr_model *m;
	const itr_dgraph *g;
	const double *q;
	itr_bdd bdd;
	uint32_t *var;          /* [elem]: its variable, or UINT32_MAX when it never fails alone */
	size_t nvars;
	size_t *comp, *csize;
	bool *self_loop;        /* [elem]: depends on itself (a one-element cycle) */
	itr_bdd_ref *up;        /* [elem]: memo, valid when have[elem] */
	unsigned char *have;
	unsigned char *unknown; /* could not be built (budget) */
	unsigned char *onpath;
	size_t steps, max_steps;
} builder;

static bool cyclic(const builder *b, size_t e)
{
	return b->csize[b->comp[e]] > 1 || b->self_loop[e];
}

static itr_bdd_ref up_of(builder *b, size_t e, size_t from);

/* up(d) as seen from `from`: path-dependent inside from's cycle, shared otherwise. */
static itr_bdd_ref dep_up(builder *b, size_t d, size_t from)
{
	if (b->onpath[d])
		return ITR_BDD_TRUE; /* cannot fail through an element already on the path */
	if (cyclic(b, from) && b->comp[d] == b->comp[from])
		return up_of(b, d, from);
	if (b->unknown[d])
		b->unknown[from] = 1;
	return b->have[d] ? b->up[d] : ITR_BDD_FALSE;
}

/* Build up(e) with the current path (onpath). */
static itr_bdd_ref up_of(builder *b, size_t e, size_t from)
{
	const itr_service *s = itr_model_elem_service(b->m, e);
	itr_bdd_ref r = ITR_BDD_TRUE;
	size_t k;

	(void)from;
	if (++b->steps > b->max_steps) {
		b->bdd.overflow = true;
		return ITR_BDD_FALSE;
	}
	b->onpath[e] = 1;
	if (b->var[e] != UINT32_MAX)
		r = itr_bdd_ite(&b->bdd, itr_bdd_var(&b->bdd, b->var[e]), ITR_BDD_FALSE, ITR_BDD_TRUE);
	for (k = b->g->start[e]; k < b->g->hard_end[e] && r != ITR_BDD_FALSE; k++)
		r = itr_bdd_and(&b->bdd, r, dep_up(b, b->g->dep[k], e));
	if (s) {
		for (size_t j = 0; j < s->ngroups && r != ITR_BDD_FALSE; j++) {
			const itr_group *gr = &s->groups[j];
			itr_bdd_ref *opt = itr_xmalloc((gr->nopts + 1) * sizeof(*opt));

			for (size_t o = 0; o < gr->nopts; o++)
				opt[o] = dep_up(b, gr->options[o].target, e);
			r = itr_bdd_and(&b->bdd, r, itr_bdd_atleast(&b->bdd, opt, gr->nopts, gr->min));
			free(opt);
		}
	}
	b->onpath[e] = 0;
	return r;
}

/* Variables in depth-first order from the critical and important services
 * (then from everything else), so the events of one sub-structure sit
 * together: the classic fault-tree ordering heuristic. */
static void order_vars(builder *b)
{
	size_t n = b->g->n, next = 0, sp = 0;
	size_t *stack = itr_xmalloc((b->g->start[n] + n + 1) * sizeof(size_t));
	unsigned char *seen = itr_xcalloc(n + 1, 1);

	for (size_t e = 0; e < n; e++)
		b->var[e] = UINT32_MAX;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t root = 0; root < n; root++) {
			const itr_service *s = itr_model_elem_service(b->m, root);

			if (seen[root] || (pass == 0 && !(s && s->criticality <= ITR_CRIT_IMPORTANT)))
				continue;
			stack[sp++] = root;
			while (sp) {
				size_t e = stack[--sp];

				if (seen[e])
					continue;
				seen[e] = 1;
				if (b->q[e] > 0)
					b->var[e] = (uint32_t)next++;
				for (size_t k = b->g->start[e + 1]; k-- > b->g->start[e];)
					if (!seen[b->g->dep[k]])
						stack[sp++] = b->g->dep[k];
			}
		}
	}
	b->nvars = next;
	free(stack);
	free(seen);
}

/* needed[e]: e is `only` or, when that is ITR_NONE, a critical or important
 * service, or something one of those depends on, transitively. */
static unsigned char *needed_elements(const itr_model *m, const itr_dgraph *g, size_t only)
{
	size_t n = g->n, nq = 0, *queue = itr_xmalloc((n + 1) * sizeof(*queue));
	unsigned char *need = itr_xcalloc(n + 1, 1);

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (only == ITR_NONE ? s->criticality <= ITR_CRIT_IMPORTANT : s->elem == only) {
			need[s->elem] = 1;
			queue[nq++] = s->elem;
		}
	}
	for (size_t i = 0; i < nq; i++)
		for (size_t k = g->start[queue[i]]; k < g->start[queue[i] + 1]; k++)
			if (!need[g->dep[k]]) {
				need[g->dep[k]] = 1;
				queue[nq++] = g->dep[k];
			}
	free(queue);
	return need;
}

/* Availability of the critical and important services, or of `only` when it is not ITR_NONE. */
static size_t compute(double *out, const itr_model *m, const double *q, size_t max_nodes,
		      size_t only)
{
	builder b;
	itr_dgraph g;
	size_t n = m->nelems, ncomp, failed = 0;
	size_t *order;
	double *p, *memo;
	unsigned char *done, *need;

	memset(&b, 0, sizeof(b));
	itr_dgraph_build(&g, m);
	b.m = m;
	b.g = &g;
	b.q = q;
	b.max_steps = max_nodes; /* path expansions inside cycles count against the same bound */
	itr_bdd_init(&b.bdd, max_nodes);
	b.var = itr_xmalloc((n + 1) * sizeof(*b.var));
	b.comp = itr_xmalloc((n + 1) * sizeof(*b.comp));
	b.csize = itr_xmalloc((n + 1) * sizeof(*b.csize));
	b.self_loop = itr_xcalloc(n + 1, sizeof(*b.self_loop));
	b.up = itr_xmalloc((n + 1) * sizeof(*b.up));
	b.have = itr_xcalloc(n + 1, 1);
	b.unknown = itr_xcalloc(n + 1, 1);
	b.onpath = itr_xcalloc(n + 1, 1);
	for (size_t e = 0; e < n; e++)
		for (size_t k = g.start[e]; k < g.start[e + 1]; k++)
			b.self_loop[e] |= g.dep[k] == e;
	order_vars(&b);
	ncomp = itr_dgraph_scc(&g, b.comp, b.csize);

	/* elements by component, components in completion order (dependencies
	 * first); only those the services asked for depend on (a BDD is
	 * canonical for its variable order, so which others are built changes
	 * no probability, only how soon the node bound is reached) */
	order = itr_xmalloc((n + 1) * sizeof(*order));
	itr_dgraph_order(&g, b.comp, ncomp, order);
	need = needed_elements(m, &g, only);
	for (size_t i = 0; i < n; i++) {
		size_t e = order[i];

		if (!need[e])
			continue;
		b.bdd.overflow = false;
		b.steps = 0;
		b.up[e] = up_of(&b, e, e);
		b.have[e] = 1;
		if (b.bdd.overflow) {
			/* the bound is reached: what is built stays valid, the rest is unknown */
			for (size_t j = i; j < n; j++)
				b.unknown[order[j]] = 1;
			break;
		}
	}

	p = itr_xmalloc((b.nvars + 1) * sizeof(*p)); /* by variable */
	for (size_t e = 0; e < n; e++)
		if (b.var[e] != UINT32_MAX)
			p[b.var[e]] = q[e];
	memo = itr_xmalloc((b.bdd.n + 1) * sizeof(*memo));
	done = itr_xcalloc(b.bdd.n + 1, 1);
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (only == ITR_NONE ? s->criticality > ITR_CRIT_IMPORTANT : s->elem != only)
			continue;
		if (b.unknown[s->elem] || !b.have[s->elem]) {
			out[s->elem] = -1;
			failed++;
			continue;
		}
		out[s->elem] = itr_bdd_probability(&b.bdd, b.up[s->elem], p, memo, done);
	}
	free(p);
	free(memo);
	free(done);
	free(need);
	free(order);
	free(b.var);
	free(b.comp);
	free(b.csize);
	free(b.self_loop);
	free(b.up);
	free(b.have);
	free(b.unknown);
	free(b.onpath);
	itr_bdd_release(&b.bdd);
	itr_dgraph_release(&g);
	return failed;
}

size_t itr_availability_all(double *out, const itr_model *m, const double *q, size_t max_nodes)
{
	return compute(out, m, q, max_nodes, ITR_NONE);
}

int itr_availability_compute(double *out, const itr_model *m, const itr_failnet *net,
			     const double *q, size_t service)
{
	double *all = itr_xcalloc(m->nelems + 1, sizeof(*all));
	int ret;

	(void)net;
	compute(all, m, q, 8u << 20, service);
	*out = all[service];
	ret = *out < 0 ? -1 : 0;
	if (ret)
		*out = 0;
	free(all);
	return ret;
}
