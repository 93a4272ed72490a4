/*
 * What-if impact: fail elements and countries, then explain every down
 * element by a link to one that went down strictly earlier in itr_fail()'s
 * propagation order. Causes therefore never loop, and every chain ends at an
 * element that failed directly.
 */
#include "itorisk/impact.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

bool itr_country_valid(const char *c)
{
	return c && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && c[2] == '\0';
}

static bool in_countries(const itr_impact_request *req, const char *country, const char **which)
{
	if (!country)
		return false;
	for (size_t i = 0; i < req->ncountries; i++) {
		if (strcmp(req->countries[i], country) == 0) {
			*which = req->countries[i];
			return true;
		}
	}
	return false;
}

/* The directly failed elements, with their causes. */
static void initial(itr_impact *imp, const itr_model *m, const itr_impact_request *req,
		    itr_idlist *failed)
{
	for (size_t e = 0; e < m->nelems; e++) {
		const itr_vendor *v = itr_model_elem_vendor(m, e);
		const itr_service *s = itr_model_elem_service(m, e);
		const char *cc = NULL;
		bool named = false;

		for (size_t i = 0; i < req->nids && !named; i++)
			named = strcmp(req->ids[i], itr_model_elem_id(m, e)) == 0;
		if (named) {
			imp->cause[e] = (itr_cause){ITR_CAUSE_FAILED, ITR_NONE, 0, NULL};
		} else if (in_countries(req, v ? v->country : s->delivered_from, &cc)) {
			imp->cause[e] = (itr_cause){ITR_CAUSE_COUNTRY, ITR_NONE, 0, cc};
		} else {
			continue;
		}
		itr_idlist_push(failed, e);
	}
}

/* A candidate cause: valid when the element it points at went down before e. */
static void consider(itr_impact *imp, size_t e, size_t *best, itr_cause c, size_t pos)
{
	if (pos == ITR_NONE || pos >= imp->order[e] || (*best != ITR_NONE && pos >= *best))
		return;
	*best = pos;
	imp->cause[e] = c;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* For a needs-any group: the position at which it fell below min before e
 * went down, or ITR_NONE; *via gets the option that decided it. */
static size_t group_fall(const itr_impact *imp, const itr_group *g, size_t e, size_t *via)
{
	size_t *pos = itr_xmalloc((g->nopts + 1) * sizeof(*pos)), n = 0, need, at = ITR_NONE;

	for (size_t k = 0; k < g->nopts; k++) {
		size_t p = imp->order[g->options[k].target];

		if (p != ITR_NONE && p < imp->order[e])
			pos[n++] = p;
	}
	need = g->nopts - g->min + 1; /* options down that leave fewer than min up */
	if (n >= need) {
		qsort(pos, n, sizeof(*pos), cmp_size);
		at = pos[need - 1];
		for (size_t k = 0; k < g->nopts; k++)
			if (imp->order[g->options[k].target] == at)
				*via = g->options[k].target;
	}
	free(pos);
	return at;
}

/* Choose the cause that went down earliest (so chains stay short); on a tie
 * the first in the order provider, needs, groups / parent, relies-on. */
static void explain(itr_impact *imp, const itr_model *m, size_t e)
{
	const itr_vendor *v = itr_model_elem_vendor(m, e);
	const itr_service *s = itr_model_elem_service(m, e);
	size_t best = ITR_NONE;

	if (v) {
		if (v->parent.target != ITR_NONE)
			consider(imp, e, &best, (itr_cause){ITR_CAUSE_PARENT, v->parent.target, 0, NULL},
				 imp->order[v->parent.target]);
		for (size_t k = 0; k < v->nrelies; k++)
			consider(imp, e, &best,
				 (itr_cause){ITR_CAUSE_RELIES_ON, v->relies_on[k].target, 0, NULL},
				 imp->order[v->relies_on[k].target]);
	} else {
		if (s->provider.target != ITR_NONE)
			consider(imp, e, &best,
				 (itr_cause){ITR_CAUSE_PROVIDER, s->provider.target, 0, NULL},
				 imp->order[s->provider.target]);
		for (size_t k = 0; k < s->nneeds; k++)
			consider(imp, e, &best, (itr_cause){ITR_CAUSE_NEEDS, s->needs[k].target, 0, NULL},
				 imp->order[s->needs[k].target]);
		for (size_t j = 0; j < s->ngroups; j++) {
			size_t via = ITR_NONE, at = group_fall(imp, &s->groups[j], e, &via);

			consider(imp, e, &best, (itr_cause){ITR_CAUSE_GROUP, via, j, NULL}, at);
		}
	}
	/* itr_fail marks an element only from one that is already down */
	assert(best != ITR_NONE);
}

static int rank(const itr_model *m, size_t e)
{
	const itr_service *s = itr_model_elem_service(m, e);

	return s ? (int)s->criticality : 4;
}

void itr_impact_compute(itr_impact *imp, const itr_model *m, const itr_failnet *net,
			const itr_impact_request *req)
{
	itr_failstate st;
	itr_idlist failed = {0};

	memset(imp, 0, sizeof(*imp));
	imp->order = itr_xmalloc((m->nelems + 1) * sizeof(*imp->order));
	imp->cause = itr_xcalloc(m->nelems + 1, sizeof(*imp->cause));
	for (size_t e = 0; e < m->nelems; e++)
		imp->order[e] = ITR_NONE;
	initial(imp, m, req, &failed);
	imp->nfailed = failed.n;
	itr_failstate_init(&st, net);
	itr_fail(&st, net, failed.v, failed.n);
	for (size_t i = 0; i < st.nlist; i++)
		imp->order[st.list[i]] = i;
	/* the first nfailed of the list are the failed elements themselves */
	for (size_t i = failed.n; i < st.nlist; i++)
		explain(imp, m, st.list[i]);
	imp->ndown = st.nlist;
	imp->down = itr_xmalloc((st.nlist + 1) * sizeof(*imp->down));
	/* sort by (rank, element number) through one number: rank * N + e */
	for (size_t i = 0; i < st.nlist; i++)
		imp->down[i] = (size_t)rank(m, st.list[i]) * m->nelems + st.list[i];
	if (imp->ndown > 1)
		qsort(imp->down, imp->ndown, sizeof(*imp->down), cmp_size);
	for (size_t i = 0; i < st.nlist; i++)
		imp->down[i] %= m->nelems;
	for (size_t i = 0; i < imp->ndown; i++) {
		const itr_service *s = itr_model_elem_service(m, imp->down[i]);

		if (s)
			imp->count[s->criticality]++;
		else
			imp->nvendors++;
	}
	itr_failstate_release(&st);
	itr_idlist_release(&failed);
}

void itr_impact_release(itr_impact *imp)
{
	free(imp->down);
	free(imp->order);
	free(imp->cause);
	memset(imp, 0, sizeof(*imp));
}

size_t itr_impact_chain(const itr_impact *imp, size_t e, size_t *out)
{
	size_t n = 0;

	for (;;) {
		out[n++] = e;
		if (imp->cause[e].kind == ITR_CAUSE_FAILED || imp->cause[e].kind == ITR_CAUSE_COUNTRY)
			return n;
		e = imp->cause[e].via;
	}
}
