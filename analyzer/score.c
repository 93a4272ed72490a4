/*
 * Vendor risk scores (0-100): the risk model's weighted mean of four factors
 * in [0, 1], each explained in words.
 *
 *  impact         1 if the vendor alone can stop a critical service, 0.7 an
 *                 important one, 0.4 if it is only in a larger minimal cut set;
 *                 times (0.6 + 0.4 x the criticality-weighted share of critical
 *                 and important services it can stop alone)
 *  concentration  its share of annual spend, or its group's, or of the
 *                 outsourced critical services, relative to the model's maximum
 *                 (capped at 1)
 *  continuity     the worst continuity finding on its contracts or services:
 *                 expired or missing contract 1, no exit plan 0.8, expiring
 *                 0.6, notice gap 0.5, untested exit 0.4
 *  security       the worst security finding: data location 1, certification
 *                 or subcontracting 0.8
 * O(F + N + sum of cut-set sizes).
 */
#include "analyses.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *rule;
	int factor;
	double weight;
} finding_weights[] = {
	{"contract.expired", ITR_FACTOR_CONTINUITY, 1.0},
	{"contract.missing", ITR_FACTOR_CONTINUITY, 1.0},
	{"exit.missing", ITR_FACTOR_CONTINUITY, 0.8},
	{"contract.expiring", ITR_FACTOR_CONTINUITY, 0.6},
	{"exit.notice-gap", ITR_FACTOR_CONTINUITY, 0.5},
	{"exit.untested", ITR_FACTOR_CONTINUITY, 0.4},
	{"data.location", ITR_FACTOR_SECURITY, 1.0},
	{"data.certification", ITR_FACTOR_SECURITY, 0.8},
	{"data.subcontracting", ITR_FACTOR_SECURITY, 0.8},
};

/* The vendor a finding's subject belongs to: the vendor itself, a service's
 * provider, or a contract's vendor. ITR_NONE when none. */
static size_t vendor_of(const itr_model *m, const char *subject)
{
	size_t e = itr_model_find(m, subject), c;

	if (e != ITR_NONE) {
		const itr_service *s = itr_model_elem_service(m, e);

		if (!s)
			return m->elems[e].index;
		return s->provider.target != ITR_NONE ? m->elems[s->provider.target].index : ITR_NONE;
	}
	c = itr_model_find_contract(m, subject);
	if (c != ITR_NONE && m->contracts[c].vendor.target != ITR_NONE)
		return m->elems[m->contracts[c].vendor.target].index;
	return ITR_NONE;
}

static void set_why(itr_vendor_score *sc, int f, double value, const char *fmt, ...)
	ITR_PRINTF(4, 5);

static void set_why(itr_vendor_score *sc, int f, double value, const char *fmt, ...)
{
	itr_buf b = ITR_BUF_INIT;
	va_list ap;

	if (value <= sc->factor[f])
		return;
	va_start(ap, fmt);
	itr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(sc->why[f]);
	sc->why[f] = itr_buf_detach(&b);
	sc->factor[f] = value;
}

static void impact(itr_audit *a, size_t v, bool in_cut_set, double total_weight)
{
	const itr_model *m = a->model;
	const itr_vendor *vd = &m->vendors[v];
	const itr_idlist *imp = &a->spof.impacts[vd->elem];
	double w = 0, level = 0;
	size_t ncrit = 0;

	for (size_t i = 0; i < imp->n; i++) {
		const itr_service *s = itr_model_elem_service(m, imp->v[i]);

		ncrit += s->criticality == ITR_CRIT_CRITICAL;
		w += s->criticality == ITR_CRIT_CRITICAL ? 1.0 : 0.5;
	}
	if (ncrit)
		level = 1.0;
	else if (imp->n)
		level = 0.7;
	else if (in_cut_set)
		level = 0.4;
	if (level == 0)
		return;
	if (ncrit && imp->n > ncrit)
		set_why(&a->scores[v], ITR_FACTOR_IMPACT, level * (0.6 + 0.4 * w / total_weight),
			"alone it can stop %zu critical and %zu important service%s", ncrit,
			imp->n - ncrit, imp->n - ncrit == 1 ? "" : "s");
	else if (imp->n)
		set_why(&a->scores[v], ITR_FACTOR_IMPACT, level * (0.6 + 0.4 * w / total_weight),
			"alone it can stop %zu %s service%s", imp->n, ncrit ? "critical" : "important",
			imp->n == 1 ? "" : "s");
	else
		set_why(&a->scores[v], ITR_FACTOR_IMPACT, level * 0.6,
			"it can stop a critical or important service together with one other failure");
}

void itr_scores_from_findings(itr_vendor_score *scores, const itr_model *m, const itr_finding *f,
			      size_t n)
{
	const char *last_rule = NULL;

	for (size_t i = 0, k = 0; i < n; i++) {
		size_t v;

		/* findings come in runs of one rule: look the weight up once per run */
		if (f[i].rule != last_rule && (!last_rule || strcmp(f[i].rule, last_rule) != 0)) {
			last_rule = f[i].rule;
			for (k = 0; k < ITR_ARRAY_LEN(finding_weights); k++)
				if (strcmp(f[i].rule, finding_weights[k].rule) == 0)
					break;
		}
		if (k == ITR_ARRAY_LEN(finding_weights))
			continue;
		v = vendor_of(m, f[i].subject);
		if (v != ITR_NONE)
			set_why(&scores[v], finding_weights[k].factor, finding_weights[k].weight,
				"%s (%s)", f[i].rule, f[i].subject);
	}
}

void itr_analyse_scores(itr_audit *a)
{
	const itr_model *m = a->model;
	const itr_riskmodel *rm = a->risk;
	size_t nv = m->nvendors;
	bool *in_cut = itr_xcalloc(m->nelems + 1, sizeof(bool));
	double *gspend = itr_xcalloc(nv + 1, sizeof(double)), total_weight = 0;
	double wsum = rm->w_impact + rm->w_concentration + rm->w_continuity + rm->w_security;
	double weight[ITR_FACTOR_COUNT] = {rm->w_impact, rm->w_concentration, rm->w_continuity,
					   rm->w_security};

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		const itr_cutsets *c = &a->cuts[s->elem];

		if (!itr_is_tracked(s))
			continue;
		total_weight += s->criticality == ITR_CRIT_CRITICAL ? 1.0 : 0.5;
		/* the order-1 sets, the first nsingles of essential(S) */
		for (size_t k = 0; k < c->nsingles; k++)
			in_cut[a->spof.essential[s->elem].v[k]] = true;
		for (size_t k = 0; k < c->n; k++)
			for (size_t j = 0; j < c->len[k]; j++)
				in_cut[c->sets[k][j]] = true;
	}
	for (size_t v = 0; v < nv; v++)
		gspend[a->group_of[v]] += a->vendor_spend[v];
	for (size_t v = 0; v < nv; v++) {
		double fs = a->total_spend > 0 ? a->vendor_spend[v] / a->total_spend : 0;
		double gs = a->total_spend > 0 ? gspend[a->group_of[v]] / a->total_spend : 0;

		impact(a, v, in_cut[m->vendors[v].elem], total_weight > 0 ? total_weight : 1);
		if (fs > 0 && rm->max_vendor_share > 0)
			set_why(&a->scores[v], ITR_FACTOR_CONCENTRATION,
				fs / rm->max_vendor_share > 1 ? 1 : fs / rm->max_vendor_share,
				"%.0f%% of annual spend", 100 * fs);
		if (a->group_of[v] != v && gs > 0 && rm->max_group_share > 0)
			set_why(&a->scores[v], ITR_FACTOR_CONCENTRATION,
				gs / rm->max_group_share > 1 ? 1 : gs / rm->max_group_share,
				"its group '%s' takes %.0f%% of annual spend",
				m->vendors[a->group_of[v]].id, 100 * gs);
	}
	for (size_t v = 0; v < nv; v++) {
		itr_vendor_score *sc = &a->scores[v];
		double best = 0, sum = 0;

		sc->main_factor = -1;
		for (int f = 0; f < ITR_FACTOR_COUNT; f++) {
			sum += weight[f] * sc->factor[f];
			if (weight[f] * sc->factor[f] > best) {
				best = weight[f] * sc->factor[f];
				sc->main_factor = f;
			}
		}
		sc->score = wsum > 0 ? 100 * sum / wsum : 0;
	}
	free(in_cut);
	free(gspend);
}
