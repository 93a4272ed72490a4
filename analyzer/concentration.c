/*
 * Concentration (SPEC §3): Herfindahl-Hirschman indices of annual spend by
 * vendor and by corporate group, and of critical and important services by
 * vendor, group and country; fourth parties under several direct vendors;
 * the corporate group whose failure stops the most critical services.
 * O(V + S + C), plus the impacts of the top parents (from the essential
 * sets) for the headline: no failure propagation of its own.
 */
#include "analyses.h"

#include <stdlib.h>
#include <string.h>

/* HHI of the shares x[i] / total. */
static double hhi(const double *x, size_t n, double total)
{
	double h = 0;

	if (total <= 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		h += (x[i] / total) * (x[i] / total);
	return h;
}

/* The country a service is delivered from: delivered-from, else its
 * provider's country, else (in-house) the home country; NULL when unknown. */
static const char *service_country(const itr_model *m, const itr_service *s)
{
	if (s->delivered_from)
		return s->delivered_from;
	if (s->provider.target != ITR_NONE)
		return itr_model_elem_vendor(m, s->provider.target)->country;
	return s->provider.id ? NULL : m->home_country.value;
}

typedef struct country_count {
	const char *country;
	size_t n;
	size_t first_service; /* element number of the first service counted */
} country_count;

static int cmp_country(const void *pa, const void *pb)
{
	return strcmp(((const country_count *)pa)->country, ((const country_count *)pb)->country);
}

static void by_country(itr_audit *a, size_t tracked)
{
	const itr_model *m = a->model;
	country_count *cc = itr_xcalloc(m->nservices + 1, sizeof(*cc));
	double *share;
	size_t n = 0;

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		const char *c = itr_is_tracked(s) ? service_country(m, s) : NULL;
		size_t k = 0;

		if (!c)
			continue;
		/* a few dozen countries at most, most services sharing a vendor's
		 * string: the pointer and the first byte settle most compares */
		while (k < n && cc[k].country != c &&
		       (cc[k].country[0] != c[0] || strcmp(cc[k].country, c) != 0))
			k++;
		if (k == n)
			cc[n++] = (country_count){c, 0, s->elem};
		cc[k].n++;
	}
	qsort(cc, n, sizeof(*cc), cmp_country);
	share = itr_xcalloc(n + 1, sizeof(double));
	for (size_t k = 0; k < n; k++)
		share[k] = (double)cc[k].n;
	a->hhi_critical_country = hhi(share, n, (double)tracked);
	for (size_t k = 0; k < n; k++) {
		double f = tracked ? (double)cc[k].n / (double)tracked : 0;
		const itr_service *s = itr_model_elem_service(m, cc[k].first_service);
		itr_buf key = ITR_BUF_INIT;

		if (f <= a->risk->max_country_share ||
		    (m->home_country.value && strcmp(cc[k].country, m->home_country.value) == 0))
			continue;
		itr_buf_printf(&key, "country:%s", cc[k].country);
		itr_audit_add(a, "concentration.country", 0, s->id, key.s, s->loc,
			      "%zu of %zu critical or important services (%.0f%%) are delivered from %s (policy: at most %.0f%% in one foreign country)",
			      cc[k].n, tracked, 100 * f, cc[k].country, 100 * a->risk->max_country_share);
		itr_buf_release(&key);
	}
	free(share);
	free(cc);
}

/* Fourth parties (no contract, reached through relies-on) under two or more
 * direct vendors (vendors with a contract), transitively. */
static void fourth_parties(itr_audit *a, const bool *has_contract)
{
	const itr_model *m = a->model;
	size_t nv = m->nvendors;
	size_t **under = itr_xcalloc(nv + 1, sizeof(*under)); /* [fourth party]: direct vendors */
	size_t *nunder = itr_xcalloc(nv + 1, sizeof(size_t));
	size_t *stamp = itr_xcalloc(nv + 1, sizeof(size_t)), *stack = itr_xmalloc((nv + 1) * sizeof(size_t));

	for (size_t d = 0; d < nv; d++) {
		size_t sp = 0;

		if (!has_contract[d])
			continue;
		stack[sp++] = d;
		stamp[d] = d + 1;
		while (sp) {
			const itr_vendor *v = &m->vendors[stack[--sp]];

			for (size_t k = 0; k < v->nrelies; k++) {
				size_t f = m->elems[v->relies_on[k].target].index;

				if (stamp[f] == d + 1)
					continue;
				stamp[f] = d + 1;
				stack[sp++] = f;
				if (!has_contract[f]) {
					under[f] = itr_xrealloc(under[f], (nunder[f] + 1) * sizeof(size_t));
					under[f][nunder[f]++] = d;
				}
			}
		}
	}
	for (size_t f = 0; f < nv; f++) {
		itr_buf list = ITR_BUF_INIT;

		if (nunder[f] >= 2) {
			for (size_t k = 0; k < nunder[f]; k++)
				itr_buf_printf(&list, "%s'%s'", k ? ", " : "", m->vendors[under[f][k]].id);
			itr_audit_add(a, "concentration.fourth-party", 0, m->vendors[f].id, NULL,
				      m->vendors[f].loc,
				      "fourth party '%s' has no contract but %zu of your vendors rely on it: %s",
				      m->vendors[f].id, nunder[f], list.s);
		}
		itr_buf_release(&list);
		free(under[f]);
	}
	free(under);
	free(nunder);
	free(stamp);
	free(stack);
}

/*
 * The corporate group whose failure (every member vendor failing at once)
 * stops the most critical services. A parent's failure takes its children
 * down (failnet's parent links), so the group fails exactly when its top
 * parent does, and what that alone stops is already known: the critical
 * services among the top parent's impacts (itr_spof_compute() failed every
 * element alone). No propagation of our own; O(V + the top parents' impacts).
 */
static void headline(itr_audit *a)
{
	const itr_model *m = a->model;

	a->headline_group = ITR_NONE;
	for (size_t i = 0; i < m->nservices; i++)
		a->critical_services += m->services[i].criticality == ITR_CRIT_CRITICAL;
	for (size_t g = 0; g < m->nvendors; g++) {
		const itr_idlist *imp = &a->spof.impacts[m->vendors[g].elem];
		size_t down = 0;

		if (a->group_of[g] != g)
			continue;
		/* impacts are services */
		for (size_t k = 0; k < imp->n; k++)
			down += m->services[m->elems[imp->v[k]].index].criticality ==
				ITR_CRIT_CRITICAL;
		if (down > a->headline_group_services) {
			a->headline_group_services = down;
			a->headline_group = g;
		}
	}
}

/* The index of the largest x (the first on ties), or ITR_NONE when all are 0. */
static size_t largest(const double *x, size_t n)
{
	size_t best = ITR_NONE;

	for (size_t i = 0; i < n; i++)
		if (x[i] > 0 && (best == ITR_NONE || x[i] > x[best]))
			best = i;
	return best;
}

/* Spend HHI above the model's bands: at the largest vendor (or group), high
 * band at the rule's severity, moderate band one step lower. Strictly above:
 * an index exactly at a band's edge stays in the band below. */
static void hhi_findings(itr_audit *a, const double *gspend, const size_t *members)
{
	const itr_model *m = a->model;
	const itr_riskmodel *rm = a->risk;
	size_t top = largest(a->vendor_spend, m->nvendors), gtop = largest(gspend, m->nvendors);
	bool groups = false;

	for (size_t v = 0; v < m->nvendors; v++)
		groups |= members[v] >= 2;
	if (top != ITR_NONE && a->hhi_spend_vendor > rm->hhi_moderate)
		itr_audit_add(a, "concentration.vendor", a->hhi_spend_vendor > rm->hhi_high ? 0 : 1,
			      m->vendors[top].id, "hhi:spend", m->vendors[top].loc,
			      "annual spend is %s concentrated by vendor: HHI %.0f (bands %.0f and %.0f); the largest share is '%s' with %.0f%%",
			      a->hhi_spend_vendor > rm->hhi_high ? "highly" : "moderately",
			      10000 * a->hhi_spend_vendor, 10000 * rm->hhi_moderate, 10000 * rm->hhi_high,
			      m->vendors[top].id, 100 * a->vendor_spend[top] / a->total_spend);
	if (groups && gtop != ITR_NONE && a->hhi_spend_group > rm->hhi_moderate)
		itr_audit_add(a, "concentration.group", a->hhi_spend_group > rm->hhi_high ? 0 : 1,
			      m->vendors[gtop].id, "hhi:spend", m->vendors[gtop].loc,
			      "annual spend is %s concentrated by corporate group: HHI %.0f (bands %.0f and %.0f); the largest share is the group of '%s' with %.0f%%",
			      a->hhi_spend_group > rm->hhi_high ? "highly" : "moderately",
			      10000 * a->hhi_spend_group, 10000 * rm->hhi_moderate, 10000 * rm->hhi_high,
			      m->vendors[gtop].id, 100 * gspend[gtop] / a->total_spend);
}

void itr_analyse_concentration(itr_audit *a)
{
	const itr_model *m = a->model;
	const itr_riskmodel *rm = a->risk;
	size_t nv = m->nvendors, tracked = 0, outsourced = 0;
	double *crit = itr_xcalloc(nv + 1, sizeof(double)), *gcrit = itr_xcalloc(nv + 1, sizeof(double));
	double *gspend = itr_xcalloc(nv + 1, sizeof(double));
	size_t *members = itr_xcalloc(nv + 1, sizeof(size_t));
	bool *has_contract = itr_xcalloc(nv + 1, sizeof(bool));

	for (size_t i = 0; i < m->ncontracts; i++)
		if (m->contracts[i].vendor.target != ITR_NONE)
			has_contract[m->elems[m->contracts[i].vendor.target].index] = true;
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (!itr_is_tracked(s))
			continue;
		tracked++;
		if (s->provider.target == ITR_NONE)
			continue;
		outsourced++;
		crit[m->elems[s->provider.target].index] += 1;
		gcrit[a->group_of[m->elems[s->provider.target].index]] += 1;
	}
	for (size_t v = 0; v < nv; v++) {
		gspend[a->group_of[v]] += a->vendor_spend[v];
		members[a->group_of[v]]++;
	}
	a->hhi_spend_vendor = hhi(a->vendor_spend, nv, a->total_spend);
	a->hhi_spend_group = hhi(gspend, nv, a->total_spend);
	a->hhi_critical_vendor = hhi(crit, nv, (double)outsourced);
	a->hhi_critical_group = hhi(gcrit, nv, (double)outsourced);

	for (size_t v = 0; v < nv; v++) {
		const itr_vendor *vd = &m->vendors[v];
		double fs = a->total_spend > 0 ? a->vendor_spend[v] / a->total_spend : 0;
		double fc = outsourced ? crit[v] / (double)outsourced : 0;

		if (fs > rm->max_vendor_share || (fc > rm->max_vendor_share && crit[v] >= 2))
			itr_audit_add(a, "concentration.vendor", 0, vd->id, NULL, vd->loc,
				      "'%s' takes %.0f%% of annual spend and provides %.0f%% of the outsourced critical or important services (policy: at most %.0f%%; spend HHI %.0f)",
				      vd->id, 100 * fs, 100 * fc, 100 * rm->max_vendor_share,
				      10000 * a->hhi_spend_vendor);
		fs = a->total_spend > 0 ? gspend[v] / a->total_spend : 0;
		fc = outsourced ? gcrit[v] / (double)outsourced : 0;
		if (members[v] >= 2 && a->group_of[v] == v &&
		    (fs > rm->max_group_share || (fc > rm->max_group_share && gcrit[v] >= 2)))
			itr_audit_add(a, "concentration.group", 0, vd->id, NULL, vd->loc,
				      "the group of '%s' (%zu vendors) takes %.0f%% of annual spend and provides %.0f%% of the outsourced critical or important services (policy: at most %.0f%%)",
				      vd->id, members[v], 100 * fs, 100 * fc, 100 * rm->max_group_share);
	}
	hhi_findings(a, gspend, members);
	by_country(a, tracked);
	fourth_parties(a, has_contract);
	headline(a);
	free(crit);
	free(gcrit);
	free(gspend);
	free(members);
	free(has_contract);
}
