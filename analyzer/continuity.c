/*
 * Continuity (SPEC §3): contracts that end, exits that would not work, and
 * services whose composed availability or recovery time misses their targets.
 * O(N + L + C log C) besides the availability computed by the audit.
 */
#include "analyses.h"

#include "depgraph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool covers_tracked(const itr_model *m, const itr_contract *c)
{
	for (size_t k = 0; k < c->ncovers; k++)
		if (c->covers[k].target != ITR_NONE &&
		    itr_is_tracked(itr_model_elem_service(m, c->covers[k].target)))
			return true;
	return false;
}

static void date_str(itr_date d, char buf[static 11])
{
	itr_date_format(d, buf);
}

/* contract.expiring, contract.expired, exit.*: one contract at a time. */
static void contract_findings(itr_audit *a, const itr_contract *c)
{
	const itr_model *m = a->model;
	const itr_riskmodel *rm = a->risk;
	bool tracked = covers_tracked(m, c);
	int down = tracked ? 0 : 1;
	char end[11], tested[11];

	if (c->end != ITR_DATE_NONE && c->auto_renew != 1) {
		long days = (long)c->end - (long)a->as_of;

		date_str(c->end, end);
		if (days < 0)
			itr_audit_add(a, "contract.expired", down, c->id, NULL, c->loc,
				      "contract '%s' with '%s' ended on %s (%ld days ago) but still covers %zu service%s",
				      c->id, c->vendor.id, end, -days, c->ncovers,
				      c->ncovers == 1 ? "" : "s");
		else if (days <= (long)rm->horizon_days)
			itr_audit_add(a, "contract.expiring", down, c->id, NULL, c->loc,
				      "contract '%s' with '%s' ends on %s, in %ld days, and does not renew automatically",
				      c->id, c->vendor.id, end, days);
	}
	if (tracked && (!c->exit.present || c->exit.plan == ITR_EXIT_NONE)) {
		itr_audit_add(a, "exit.missing", 0, c->id, NULL, c->exit.present ? c->exit.loc : c->loc,
			      "contract '%s' covers critical or important services but has no exit plan",
			      c->id);
	} else if (tracked && c->exit.plan == ITR_EXIT_DOCUMENTED) {
		itr_audit_add(a, "exit.untested", 0, c->id, NULL, c->exit.loc,
			      "the exit plan of contract '%s' is documented but has never been tested",
			      c->id);
	} else if (tracked && c->exit.plan == ITR_EXIT_TESTED && c->exit.tested_on == ITR_DATE_NONE) {
		itr_audit_add(a, "exit.untested", 0, c->id, NULL, c->exit.loc,
			      "the exit plan of contract '%s' is marked tested but gives no test date",
			      c->id);
	} else if (tracked && c->exit.plan == ITR_EXIT_TESTED &&
		   (long)a->as_of - (long)c->exit.tested_on > (long)rm->exit_test_max_age_days) {
		date_str(c->exit.tested_on, tested);
		itr_audit_add(a, "exit.untested", 0, c->id, NULL, c->exit.loc,
			      "the exit plan of contract '%s' was last tested on %s, %ld days ago (the policy allows %u)",
			      c->id, tested, (long)a->as_of - (long)c->exit.tested_on,
			      rm->exit_test_max_age_days);
	}
	if (c->exit.present && c->exit.transition.seconds >= 0 && c->notice.seconds >= 0 &&
	    c->exit.transition.seconds > c->notice.seconds)
		itr_audit_add(a, "exit.notice-gap", down, c->id, NULL, c->exit.loc,
			      "moving off contract '%s' takes %s but its notice period is %s",
			      c->id, c->exit.transition.text, c->notice.text);
}

typedef struct ending {
	size_t contract;
	int quarter; /* year * 4 + quarter index */
} ending;

static int cmp_ending(const void *pa, const void *pb)
{
	const ending *x = pa, *y = pb;

	if (x->quarter != y->quarter)
		return x->quarter < y->quarter ? -1 : 1;
	return x->contract < y->contract ? -1 : x->contract > y->contract;
}

/* contract.end-cluster: several contracts for critical or important services
 * ending (without renewal) in one calendar quarter from the as-of date on. */
static void end_clusters(itr_audit *a)
{
	const itr_model *m = a->model;
	ending *e = itr_xmalloc((m->ncontracts + 1) * sizeof(*e));
	size_t n = 0;

	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *c = &m->contracts[i];
		char d[11];

		if (c->end == ITR_DATE_NONE || c->auto_renew == 1 || c->end < a->as_of ||
		    !covers_tracked(m, c))
			continue;
		date_str(c->end, d);
		e[n].contract = i;
		e[n].quarter = atoi(d) * 4 + (atoi(d + 5) - 1) / 3;
		n++;
	}
	qsort(e, n, sizeof(*e), cmp_ending);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		itr_buf list = ITR_BUF_INIT, key = ITR_BUF_INIT;
		const itr_contract *first = &m->contracts[e[i].contract];

		while (j < n && e[j].quarter == e[i].quarter)
			j++;
		if (j - i >= a->risk->end_cluster_min) {
			for (size_t k = i; k < j; k++)
				itr_buf_printf(&list, "%s'%s'", k > i ? ", " : "",
					       m->contracts[e[k].contract].id);
			itr_buf_printf(&key, "%d-Q%d", e[i].quarter / 4, e[i].quarter % 4 + 1);
			itr_audit_add(a, "contract.end-cluster", 0, first->id, key.s, first->loc,
				      "%zu contracts for critical or important services end in %s: %s",
				      j - i, key.s, list.s);
		}
		itr_buf_release(&list);
		itr_buf_release(&key);
		i = j;
	}
	free(e);
}

/* contract.missing: shadow outsourcing. */
static void shadow(itr_audit *a)
{
	const itr_model *m = a->model;

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (s->provider.id && s->contract == ITR_NONE)
			itr_audit_add(a, "contract.missing", itr_is_tracked(s) ? 0 : 1, s->id, NULL,
				      s->loc,
				      "service '%s' is provided by '%s' but no contract covers it",
				      s->id, s->provider.id);
	}
}

static int cmp_double(const void *pa, const void *pb)
{
	double x = *(const double *)pa, y = *(const double *)pb;

	return x < y ? -1 : x > y;
}

/*
 * Effective RTO (SPEC §3): a provided service contributes its contract's SLA
 * rto (unknown, i.e. infinite, without one); needs compose in series (the
 * maximum); a needs-any group contributes the k-th smallest of its options'
 * values for min = k (the minimum when k = 1, as SPEC §3 says: recovery needs
 * k options back). Vendors add nothing of their own. Inside a dependency
 * cycle members do not add to each other. Dependencies first, so O(N + L log L).
 */
static void effective_rto(itr_audit *a)
{
	const itr_model *m = a->model;
	itr_dgraph g;
	size_t n = m->nelems, ncomp;
	size_t *comp = itr_xmalloc((n + 1) * sizeof(size_t));
	size_t *csize = itr_xmalloc((n + 1) * sizeof(size_t));
	size_t *order = itr_xmalloc((n + 1) * sizeof(size_t));
	double *opt = NULL;
	size_t cap = 0;

	a->rto = itr_xmalloc((n + 1) * sizeof(double));
	a->rto_cause = itr_xmalloc((n + 1) * sizeof(size_t));
	itr_dgraph_build(&g, m);
	ncomp = itr_dgraph_scc(&g, comp, csize);
	itr_dgraph_order(&g, comp, ncomp, order);
	for (size_t i = 0; i < n; i++) {
		size_t e = order[i], k = g.start[e];
		const itr_service *s = itr_model_elem_service(m, e);
		double r = 0;
		size_t cause = ITR_NONE;

		if (s && s->provider.id) {
			const itr_contract *c = itr_service_contract(m, s);

			if (c && c->sla.present && c->sla.rto.seconds >= 0) {
				r = c->sla.rto.seconds;
			} else {
				r = (double)INFINITY;
				cause = e;
			}
		}
		for (; k < g.hard_end[e]; k++) {
			size_t d = g.dep[k];

			if (comp[d] == comp[e])
				continue;
			if (a->rto[d] > r) {
				r = a->rto[d];
				cause = a->rto_cause[d];
			}
		}
		for (size_t j = 0; s && j < s->ngroups; j++) {
			const itr_group *gr = &s->groups[j];

			ITR_GROW(opt, cap, gr->nopts + 1);
			for (size_t o = 0; o < gr->nopts; o++) {
				size_t d = gr->options[o].target;

				opt[o] = comp[d] == comp[e] ? 0.0 : a->rto[d];
			}
			qsort(opt, gr->nopts, sizeof(*opt), cmp_double);
			if (gr->min >= 1 && gr->min <= gr->nopts && opt[gr->min - 1] > r) {
				r = opt[gr->min - 1];
				/* a cause: an option with that value */
				for (size_t o = 0; o < gr->nopts; o++) {
					size_t d = gr->options[o].target;

					if (comp[d] != comp[e] && a->rto[d] == r) {
						cause = a->rto_cause[d];
						break;
					}
				}
			}
		}
		a->rto[e] = r;
		a->rto_cause[e] = isinf(r) ? cause : ITR_NONE;
	}
	free(opt);
	free(comp);
	free(csize);
	free(order);
	itr_dgraph_release(&g);
}

void itr_duration_format(itr_buf *b, double seconds)
{
	long long s = (long long)llround(seconds), d = s / 86400, h = s % 86400 / 3600,
		  mi = s % 3600 / 60, se = s % 60;

	itr_buf_putc(b, 'P');
	if (d)
		itr_buf_printf(b, "%lldD", d);
	if (h || mi || se || !d) {
		itr_buf_putc(b, 'T');
		if (h)
			itr_buf_printf(b, "%lldH", h);
		if (mi)
			itr_buf_printf(b, "%lldM", mi);
		if (se || (!h && !mi))
			itr_buf_printf(b, "%lldS", se);
	}
}

/* sla.availability-gap and sla.rto-gap for every critical and important service. */
static void targets(itr_audit *a)
{
	const itr_model *m = a->model;

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		double av = a->availability[s->elem];

		if (!itr_is_tracked(s))
			continue;
		if (s->availability >= 0 && av >= 0 && av * 100.0 < s->availability - 1e-9)
			itr_audit_add(a, "sla.availability-gap", 0, s->id, NULL, s->loc,
				      "composed availability of '%s' is %.6f%%, below its required %g%%",
				      s->id, av * 100.0, s->availability);
		if (s->rto.seconds < 0)
			continue;
		if (isinf(a->rto[s->elem])) {
			size_t c = a->rto_cause[s->elem];
			const itr_service *cs = c != ITR_NONE ? itr_model_elem_service(m, c) : NULL;

			itr_audit_add(a, "sla.rto-gap", 0, s->id, NULL, s->loc,
				      "'%s' must recover within %s, but '%s' (provider '%s') has no contractual RTO",
				      s->id, s->rto.text, cs ? cs->id : "?",
				      cs && cs->provider.id ? cs->provider.id : "?");
		} else if (a->rto[s->elem] > s->rto.seconds) {
			itr_buf have = ITR_BUF_INIT;

			itr_duration_format(&have, a->rto[s->elem]);
			itr_audit_add(a, "sla.rto-gap", 0, s->id, NULL, s->loc,
				      "'%s' must recover within %s, but its dependencies' RTOs compose to %s",
				      s->id, s->rto.text, have.s);
			itr_buf_release(&have);
		}
	}
}

void itr_analyse_continuity(itr_audit *a)
{
	const itr_model *m = a->model;
	bool *at_risk = itr_xcalloc(m->ncontracts + 1, sizeof(bool));

	for (size_t i = 0; i < m->ncontracts; i++) {
		size_t k = a->nfindings;

		contract_findings(a, &m->contracts[i]);
		at_risk[i] = a->nfindings > k;
	}
	end_clusters(a);
	shadow(a);
	effective_rto(a);
	targets(a);
	for (size_t i = 0; i < m->ncontracts; i++)
		if (at_risk[i] && m->contracts[i].annual_cost > 0)
			a->spend_at_risk += m->contracts[i].annual_cost;
	free(at_risk);
}
