/* The report a risk officer reads: summary first, then findings by risk area
 * with file:line, then the figures behind them. */
#include "itorisk/report.h"

#include <stdlib.h>
#include <string.h>

/* Risk areas in the order they are presented; a rule belongs to the area
 * named by its first dotted component. */
static const struct area {
	const char *prefix;
	const char *title;
} areas[] = {
	{"spof", "Single points of failure"},
	{"redundancy", "Redundancy that does not hold"},
};

static bool in_area(const char *rule, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(rule, prefix, n) == 0 && rule[n] == '.';
}

static bool known_area(const char *rule)
{
	for (size_t i = 0; i < ITR_ARRAY_LEN(areas); i++)
		if (in_area(rule, areas[i].prefix))
			return true;
	return false;
}

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

static void findings(itr_buf *b, const itr_audit *a)
{
	for (size_t i = 0; i < ITR_ARRAY_LEN(areas); i++) {
		bool any = false;

		for (size_t k = 0; k < a->nfindings; k++) {
			if (!in_area(a->findings[k].rule, areas[i].prefix))
				continue;
			if (!any)
				itr_buf_printf(b, "\n%s\n", areas[i].title);
			any = true;
			finding_line(b, &a->findings[k]);
		}
	}
	for (size_t k = 0, any = 0; k < a->nfindings; k++) {
		if (known_area(a->findings[k].rule))
			continue;
		if (!any++)
			itr_buf_puts(b, "\nOther findings\n");
		finding_line(b, &a->findings[k]);
	}
}

static void services(itr_buf *b, const itr_audit *a)
{
	const itr_model *m = a->model;
	bool any = false;

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (s->criticality > ITR_CRIT_IMPORTANT)
			continue;
		if (!any)
			itr_buf_puts(b, "\nCritical and important services: what each cannot lose\n");
		any = true;
		itr_buf_printf(b, "  %s (%s, %s): ", s->id, itr_criticality_name(s->criticality),
			       s->provider.id ? s->provider.id : "in-house");
		id_list(b, m, &a->spof.essential[s->elem]);
		itr_buf_putc(b, '\n');
	}
}

static const itr_audit *sort_audit; /* qsort has no context argument */

static int cmp_vendor_rank(const void *pa, const void *pb)
{
	size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
	const itr_model *m = sort_audit->model;
	double px = sort_audit->centrality.pagerank[m->vendors[x].elem];
	double py = sort_audit->centrality.pagerank[m->vendors[y].elem];

	if (px != py)
		return px > py ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void vendors(itr_buf *b, const itr_audit *a)
{
	const itr_model *m = a->model;
	size_t *order;

	if (m->nvendors == 0)
		return;
	order = itr_xmalloc(m->nvendors * sizeof(*order));
	for (size_t i = 0; i < m->nvendors; i++)
		order[i] = i;
	sort_audit = a;
	qsort(order, m->nvendors, sizeof(*order), cmp_vendor_rank);
	sort_audit = NULL;
	itr_buf_printf(b, "\nVendors, by how much critical work flows through them\n"
			  "  %-24s %16s %7s %9s %11s  %s\n",
		       "vendor", "annual cost", "share", "pagerank", "betweenness", "can stop alone");
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[order[i]];
		double cost = a->vendor_spend[order[i]];

		itr_buf_printf(b, "  %-24s %16.0f %6.1f%% %9.4f %11.4f  ", v->id, cost,
			       a->total_spend > 0 ? 100.0 * cost / a->total_spend : 0.0,
			       a->centrality.pagerank[v->elem], a->centrality.betweenness[v->elem]);
		id_list(b, m, &a->spof.impacts[v->elem]);
		itr_buf_putc(b, '\n');
	}
	free(order);
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
	char date[11];

	itr_date_format(a->as_of, date);
	itr_buf_printf(b, "itorisk %s audit of %s, as of %s\n", ITR_VERSION,
		       m->name.value ? m->name.value : "an unnamed portfolio", date);
	itr_buf_printf(b, "%zu vendors, %zu services, %zu contracts in %zu files", m->nvendors,
		       m->nservices, m->ncontracts, m->nfiles);
	if (a->total_spend > 0)
		itr_buf_printf(b, "; annual spend %.0f %s", a->total_spend,
			       m->currency.value ? m->currency.value : "");
	itr_buf_printf(b, "\n\nFindings: %zu critical, %zu high, %zu medium, %zu low, %zu info\n",
		       a->count[ITR_SEV_CRITICAL], a->count[ITR_SEV_HIGH], a->count[ITR_SEV_MEDIUM],
		       a->count[ITR_SEV_LOW], a->count[ITR_SEV_INFO]);
	findings(b, a);
	services(b, a);
	vendors(b, a);
	structure(b, a);
}
