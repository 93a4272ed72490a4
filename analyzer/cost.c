/*
 * Cost (SPEC §3): annual spend and term TCO per vendor, and the corporate
 * group of each vendor (its top parent), which concentration and scores use.
 */
#include "analyses.h"

#include <stdlib.h>

/* Term of a contract in years: start to end, or to one year past the as-of
 * date when it is open-ended (the next year is committed, later ones are not). */
static double term_years(const itr_contract *c, itr_date as_of)
{
	itr_date end = c->end != ITR_DATE_NONE ? c->end : (itr_date)(as_of + 365);
	double days = (double)end - (double)c->start;

	return days > 0 ? days / 365.25 : 0.0;
}

void itr_analyse_cost(itr_audit *a)
{
	const itr_model *m = a->model;

	a->vendor_spend = itr_xcalloc(m->nvendors + 1, sizeof(double));
	a->vendor_tco = itr_xcalloc(m->nvendors + 1, sizeof(double));
	a->group_of = itr_xmalloc((m->nvendors + 1) * sizeof(size_t));
	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *c = &m->contracts[i];
		size_t v;
		double annual = c->annual_cost > 0 ? c->annual_cost : 0.0;

		if (c->vendor.target == ITR_NONE)
			continue;
		v = m->elems[c->vendor.target].index;
		a->vendor_spend[v] += annual;
		a->vendor_tco[v] += annual * term_years(c, a->as_of) +
				    (c->exit.present && c->exit.cost > 0 ? c->exit.cost : 0.0);
		a->total_spend += annual;
	}
	/* parents form a forest (the loader rejects loops): walk up to the root */
	for (size_t i = 0; i < m->nvendors; i++) {
		size_t v = i;

		while (m->vendors[v].parent.target != ITR_NONE)
			v = m->elems[m->vendors[v].parent.target].index;
		a->group_of[i] = v;
	}
}
