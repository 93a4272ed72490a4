/* The report a risk officer hands to management: the summary first (counts,
 * headline figures, the riskiest vendors and why), then the findings by risk
 * area with file:line, then the figures behind them. */
#include "itorisk/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const factor_names[ITR_FACTOR_COUNT] = {"impact", "concentration",
							     "continuity", "security"};

static void finding_line(itr_buf *b, const itr_finding *f)
{
	itr_buf_printf(b, "  %s:%ld: %s: %s [%s]\n", f->loc.file, f->loc.line,
		       itr_severity_name(f->severity), f->message, f->rule);
}

static void id_list(itr_buf *b, const itr_model *m, const itr_idlist *l)
{
	if (l->n == 0) {
		itr_buf_puts(b, "none");
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		itr_buf_printf(b, "%s%s", i ? ", " : "", itr_model_elem_id(m, l->v[i]));
}

/* Findings grouped by the risk areas of the rule catalogue, in its order. */
static void findings(itr_buf *b, const itr_audit *a)
{
	size_t nrules;
	const itr_rule *rules = itr_rules(&nrules);
	const char *done_area[16];
	size_t ndone = 0;

	for (size_t r = 0; r < nrules; r++) {
		const char *area = rules[r].area;
		bool seen = false, any = false;

		for (size_t k = 0; k < ndone; k++)
			seen |= strcmp(done_area[k], area) == 0;
		if (seen || ndone == ITR_ARRAY_LEN(done_area))
			continue;
		done_area[ndone++] = area;
		for (size_t k = 0; k < a->nfindings; k++) {
			const itr_rule *fr = itr_rule_find(a->findings[k].rule);

			if (!fr || strcmp(fr->area, area) != 0)
				continue;
			if (!any)
				itr_buf_printf(b, "\n%s\n", area);
			any = true;
			finding_line(b, &a->findings[k]);
		}
	}
}

static void money(itr_buf *b, double x)
{
	itr_buf_printf(b, "%.0f", x);
}

static int cmp_score_desc(const void *pa, const void *pb, const itr_audit *a)
{
	size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
	double sx = a->scores[x].score, sy = a->scores[y].score;

	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Vendors by score, highest first (ties by id). Caller frees. */
static size_t *vendors_by_score(const itr_audit *a)
{
	size_t n = a->model->nvendors;
	size_t *order = itr_xmalloc((n + 1) * sizeof(*order));

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	/* insertion sort: qsort has no context argument, and n is the vendor count */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp_score_desc(&order[j - 1], &order[j], a) > 0; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	return order;
}

static void summary(itr_buf *b, const itr_audit *a, const size_t *order)
{
	const itr_model *m = a->model;
	const char *cur = m->currency.value ? m->currency.value : "";
	size_t show = m->nvendors < 5 ? m->nvendors : 5;

	itr_buf_printf(b, "\nFindings: %zu critical, %zu high, %zu medium, %zu low, %zu info\n",
		       a->count[ITR_SEV_CRITICAL], a->count[ITR_SEV_HIGH], a->count[ITR_SEV_MEDIUM],
		       a->count[ITR_SEV_LOW], a->count[ITR_SEV_INFO]);
	itr_buf_puts(b, "\nHeadlines\n");
	if (a->headline_group != ITR_NONE && a->critical_services)
		itr_buf_printf(b, "  %.0f%% of critical services (%zu of %zu) stop if the corporate group of '%s' fails\n",
			       100.0 * (double)a->headline_group_services / (double)a->critical_services,
			       a->headline_group_services, a->critical_services,
			       m->vendors[a->headline_group].id);
	if (a->total_spend > 0) {
		itr_buf_puts(b, "  annual spend ");
		money(b, a->total_spend);
		itr_buf_printf(b, " %s; %.0f%% of it on contracts with a continuity finding\n", cur,
			       100 * a->spend_at_risk / a->total_spend);
		itr_buf_printf(b, "  spend concentration: HHI %.0f by vendor, %.0f by corporate group (above %.0f is high)\n",
			       10000 * a->hhi_spend_vendor, 10000 * a->hhi_spend_group,
			       10000 * a->risk->hhi_high);
	}
	if (show) {
		itr_buf_puts(b, "\nRiskiest vendors (score 0-100, main factor)\n");
		for (size_t i = 0; i < show; i++) {
			const itr_vendor_score *sc = &a->scores[order[i]];
			int f = sc->main_factor;

			itr_buf_printf(b, "  %5.1f  %-24s %s%s%s\n", sc->score, m->vendors[order[i]].id,
				       f >= 0 ? factor_names[f] : "no risk factor", f >= 0 ? ": " : "",
				       f >= 0 && sc->why[f] ? sc->why[f] : "");
		}
	}
}

static void services(itr_buf *b, const itr_audit *a)
{
	const itr_model *m = a->model;
	bool any = false;

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		double av = a->availability[s->elem], rto = a->rto[s->elem];
		itr_buf d = ITR_BUF_INIT;

		if (s->criticality > ITR_CRIT_IMPORTANT)
			continue;
		if (!any)
			itr_buf_puts(b, "\nCritical and important services\n");
		any = true;
		itr_buf_printf(b, "  %s (%s, %s)\n    cannot lose: ", s->id,
			       itr_criticality_name(s->criticality),
			       s->provider.id ? s->provider.id : "in-house");
		id_list(b, m, &a->spof.essential[s->elem]);
		if (av >= 0)
			itr_buf_printf(b, "\n    availability %.4f%%", 100 * av);
		else
			itr_buf_puts(b, "\n    availability not computed (too large)");
		if (s->availability >= 0)
			itr_buf_printf(b, " (required %g%%)", s->availability);
		if (isinf(rto))
			itr_buf_printf(b, "; RTO unknown ('%s' has none)",
				       itr_model_elem_id(m, a->rto_cause[s->elem]));
		else {
			itr_duration_format(&d, rto);
			itr_buf_printf(b, "; RTO %s", d.s);
		}
		if (s->rto.text)
			itr_buf_printf(b, " (required %s)", s->rto.text);
		itr_buf_putc(b, '\n');
		{
			size_t pairs = 0;

			for (size_t k = 0; k < a->cuts[s->elem].n; k++)
				pairs += a->cuts[s->elem].len[k] >= 2;
			if (pairs)
				itr_buf_printf(b, "    %zu minimal cut set%s of 2 to %u elements%s\n", pairs,
					       pairs == 1 ? "" : "s", a->order,
					       a->cuts[s->elem].truncated ? " (list truncated)" : "");
		}
		itr_buf_release(&d);
	}
}

static void vendors(itr_buf *b, const itr_audit *a, const size_t *order)
{
	const itr_model *m = a->model;

	if (m->nvendors == 0)
		return;
	itr_buf_printf(b, "\nVendors by score\n  %-24s %6s %16s %7s %16s %9s  %s\n", "vendor", "score",
		       "annual cost", "share", "term TCO", "pagerank", "can stop alone");
	for (size_t i = 0; i < m->nvendors; i++) {
		size_t v = order[i];
		const itr_vendor *vd = &m->vendors[v];
		double cost = a->vendor_spend[v];

		itr_buf_printf(b, "  %-24s %6.1f %16.0f %6.1f%% %16.0f %9.4f  ", vd->id, a->scores[v].score,
			       cost, a->total_spend > 0 ? 100.0 * cost / a->total_spend : 0.0,
			       a->vendor_tco[v], a->centrality.pagerank[vd->elem]);
		id_list(b, m, &a->spof.impacts[vd->elem]);
		itr_buf_putc(b, '\n');
	}
}

static void structure(itr_buf *b, const itr_audit *a)
{
	const itr_model *m = a->model;

	itr_buf_puts(b, "\nStructure (secondary view: cut vertices and bridges of the link graph)\n"
			"  articulation points: ");
	id_list(b, m, &a->structure.articulation);
	itr_buf_puts(b, "\n  bridges: ");
	if (a->structure.nbridges == 0)
		itr_buf_puts(b, "none");
	for (size_t i = 0; i < a->structure.nbridges; i++)
		itr_buf_printf(b, "%s%s -- %s", i ? ", " : "",
			       itr_model_elem_id(m, a->structure.bridges[i][0]),
			       itr_model_elem_id(m, a->structure.bridges[i][1]));
	itr_buf_putc(b, '\n');
}

void itr_report_text(itr_buf *b, const itr_audit *a)
{
	const itr_model *m = a->model;
	size_t *order = vendors_by_score(a);
	char date[11];

	itr_date_format(a->as_of, date);
	itr_buf_printf(b, "itorisk %s audit of %s, as of %s (risk model: %s)\n", ITR_VERSION,
		       m->name.value ? m->name.value : "an unnamed portfolio", date, a->risk->name);
	itr_buf_printf(b, "%zu vendors, %zu services, %zu contracts in %zu files\n", m->nvendors,
		       m->nservices, m->ncontracts, m->nfiles);
	summary(b, a, order);
	findings(b, a);
	services(b, a);
	vendors(b, a, order);
	structure(b, a);
	free(order);
}
