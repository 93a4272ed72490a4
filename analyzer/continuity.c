/*
 * Continuity (SPEC §3): contracts that end, exits that would not work, and
 * services whose composed availability or recovery time misses their targets.
 * O(N + L + C log C) besides the availability computed by the audit.
 */
#include "analyses.h"

#include "depgraph.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

/* The calendar quarter of a date as year * 4 + quarter index. */
static int quarter_of(itr_date d)
{
	long y, mo, dd;

	itr_date_civil(d, &y, &mo, &dd);
	return (int)(y * 4 + (mo - 1) / 3);
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

		itr_date_format(c->end, end);
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
		itr_date_format(c->exit.tested_on, tested);
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

		if (c->end == ITR_DATE_NONE || c->auto_renew == 1 || c->end < a->as_of ||
		    !covers_tracked(m, c))
			continue;
		e[n].contract = i;
		e[n].quarter = quarter_of(c->end);
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

/* The k-th smallest of x[0 .. n) (1 <= k <= n), reordering x. Nearly every
 * group is 1 of n, its minimum: one pass; groups have a few options, sorted
 * by insertion; qsort() past that. */
static double kth_smallest(double *x, size_t n, size_t k)
{
	double best = x[0];

	if (k > 1 && n > 16) {
		qsort(x, n, sizeof(*x), cmp_double);
		return x[k - 1];
	}
	if (k > 1) {
		for (size_t i = 1; i < n; i++) {
			double v = x[i];
			size_t j = i;

			for (; j > 0 && x[j - 1] > v; j--)
				x[j] = x[j - 1];
			x[j] = v;
		}
		return x[k - 1];
	}
	for (size_t i = 1; i < n; i++)
		if (x[i] < best)
			best = x[i];
	return best;
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
			double kth;

			if (gr->min < 1 || gr->min > gr->nopts)
				continue;
			ITR_GROW(opt, cap, gr->nopts + 1);
			for (size_t o = 0; o < gr->nopts; o++) {
				size_t d = gr->options[o].target;

				opt[o] = comp[d] == comp[e] ? 0.0 : a->rto[d];
			}
			kth = kth_smallest(opt, gr->nopts, gr->min);
			if (kth > r) {
				r = kth;
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

/*
 * Append x as printf's "%.*f" with `places` decimals would. Findings print
 * through util.c's fast path only without floating-point conversions (glibc's
 * own path costs thousands of instructions a call there), so x in [0, 1e6)
 * with up to 9 places is done here: the scaled value is at most 1e15, below
 * 2^53, and fma() gives the exact sign of x * 10^places minus an integer, so
 * the floor and the round-half-to-even that glibc applies to x's exact
 * binary value come out exact. Anything else goes to printf. O(places).
 */
static void put_fixed(itr_buf *b, double x, unsigned places)
{
	static const double scale[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	char d[40], *p = d + sizeof(d);
	long long q;
	double t;

	if (!(x >= 0 && x < 1e6) || signbit(x) || places >= sizeof(scale) / sizeof(*scale)) {
		itr_buf_printf(b, "%.*f", (int)places, x);
		return;
	}
	/* q = floor(x * 10^places); the rounded product is off by less than one */
	q = (long long)(x * scale[places]);
	while (q > 0 && fma(x, scale[places], -(double)q) < 0)
		q--;
	while (fma(x, scale[places], -(double)(q + 1)) >= 0)
		q++;
	/* the remainder against one half: both sides times two, exactly */
	t = fma(x, 2 * scale[places], -(double)(2 * q + 1));
	if (t > 0 || (t == 0 && q % 2 == 1))
		q++;
	for (unsigned k = 0; k < places; k++, q /= 10)
		*--p = (char)('0' + q % 10);
	if (places)
		*--p = '.';
	do
		*--p = (char)('0' + q % 10);
	while ((q /= 10) != 0);
	itr_buf_add(b, p, (size_t)(d + sizeof(d) - p));
}

/*
 * printf's "%g" of the services' required availabilities, which take a
 * handful of values (ten in generated enterprise portfolios): each formatted
 * once (by printf) and then looked up by its bits, so -0 and 0 stay apart.
 * Exact whatever the values; O(ways).
 */
typedef struct gcache {
	struct {
		uint64_t bits;
		char s[32];
	} e[32];
	size_t n, next;
} gcache;

static const char *cached_g(gcache *gc, double x)
{
	const size_t ways = sizeof(gc->e) / sizeof(*gc->e);
	uint64_t bits;
	size_t i;

	memcpy(&bits, &x, sizeof(bits));
	for (i = 0; i < gc->n; i++)
		if (gc->e[i].bits == bits)
			return gc->e[i].s;
	if (gc->n < ways) {
		i = gc->n++;
	} else {
		i = gc->next;
		gc->next = (gc->next + 1) % ways;
	}
	gc->e[i].bits = bits;
	snprintf(gc->e[i].s, sizeof(gc->e[i].s), "%g", x);
	return gc->e[i].s;
}

/* sla.availability-gap and sla.rto-gap for every critical and important service. */
static void targets(itr_audit *a)
{
	const itr_model *m = a->model;
	itr_buf have = ITR_BUF_INIT; /* emptied, not freed, per finding */
	gcache gc = {0};

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		double av = a->availability[s->elem];

		if (!itr_is_tracked(s))
			continue;
		if (s->availability >= 0 && av >= 0 && av * 100.0 < s->availability - 1e-9) {
			have.len = 0;
			put_fixed(&have, av * 100.0, 6);
			itr_audit_add(a, "sla.availability-gap", 0, s->id, NULL, s->loc,
				      "composed availability of '%s' is %s%%, below its required %s%%",
				      s->id, have.s, cached_g(&gc, s->availability));
		}
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
			have.len = 0;
			itr_duration_format(&have, a->rto[s->elem]);
			itr_audit_add(a, "sla.rto-gap", 0, s->id, NULL, s->loc,
				      "'%s' must recover within %s, but its dependencies' RTOs compose to %s",
				      s->id, s->rto.text, have.s);
		}
	}
	itr_buf_release(&have);
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
