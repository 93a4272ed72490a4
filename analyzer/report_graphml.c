/*
 * GraphML (`itorisk graph --format graphml`): every element and needs-any
 * gate as a node, every link as an edge, each with every attribute the model
 * and the audit know, typed in <key> declarations so that yEd, Gephi and
 * Neo4j (apoc.import.graphml) read numbers as numbers. Absent values are left
 * out rather than written empty.
 */
#include "itorisk/export.h"
#include "itorisk/report.h"

#include <string.h>

typedef enum { T_STRING, T_BOOL, T_INT, T_DOUBLE } key_type;

static const struct key {
	const char *id;
	const char *for_;
	key_type type;
} keys[] = {
	{"kind", "all", T_STRING},
	{"name", "node", T_STRING},
	{"criticality", "node", T_STRING},
	{"provider", "node", T_STRING},
	{"delivered_from", "node", T_STRING},
	{"rto", "node", T_STRING},
	{"availability_required", "node", T_DOUBLE},
	{"owner", "node", T_STRING},
	{"data_classification", "node", T_STRING},
	{"personal_data", "node", T_BOOL},
	{"contract", "node", T_STRING},
	{"sourcing", "node", T_STRING},
	{"shoring", "node", T_STRING},
	{"contract_start", "node", T_STRING},
	{"contract_end", "node", T_STRING},
	{"notice", "node", T_STRING},
	{"auto_renew", "node", T_BOOL},
	{"annual_cost", "node", T_DOUBLE},
	{"sla_availability", "node", T_DOUBLE},
	{"sla_rto", "node", T_STRING},
	{"sla_rpo", "node", T_STRING},
	{"exit_plan", "node", T_STRING},
	{"exit_tested_on", "node", T_STRING},
	{"exit_transition", "node", T_STRING},
	{"substitutability", "node", T_STRING},
	{"exit_cost", "node", T_DOUBLE},
	{"subcontracting", "node", T_STRING},
	{"country", "node", T_STRING},
	{"vendor_kind", "node", T_STRING},
	{"parent", "node", T_STRING},
	{"group", "node", T_STRING},
	{"lei", "node", T_STRING},
	{"fourth_party", "node", T_BOOL},
	{"certifications", "node", T_STRING},
	{"contracts", "node", T_STRING},
	{"spend_share", "node", T_DOUBLE},
	{"spof", "node", T_BOOL},
	{"spof_critical", "node", T_BOOL},
	{"impacts", "node", T_STRING},
	{"impacts_count", "node", T_INT},
	{"essential", "node", T_STRING},
	{"betweenness", "node", T_DOUBLE},
	{"pagerank", "node", T_DOUBLE},
	{"articulation_point", "node", T_BOOL},
	{"findings", "node", T_INT},
	{"max_severity", "node", T_STRING},
	{"min", "node", T_INT},
	{"options", "node", T_INT},
	{"defeated_by", "node", T_STRING},
	{"file", "node", T_STRING},
	{"line", "node", T_INT},
	{"spof_link", "edge", T_BOOL},
	{"bridge", "edge", T_BOOL},
};

static void key_decls(itr_buf *b)
{
	static const char *const tn[] = {"string", "boolean", "int", "double"};

	for (size_t i = 0; i < ITR_ARRAY_LEN(keys); i++)
		itr_buf_printf(b, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
			       keys[i].id, keys[i].for_, keys[i].id, tn[keys[i].type]);
}

static void str(itr_buf *b, const char *k, const char *v)
{
	if (!v)
		return;
	itr_buf_printf(b, "      <data key=\"%s\">", k);
	itr_report_xml_escape(b, v);
	itr_buf_puts(b, "</data>\n");
}

static void boolean(itr_buf *b, const char *k, bool v)
{
	itr_buf_printf(b, "      <data key=\"%s\">%s</data>\n", k, v ? "true" : "false");
}

static void num(itr_buf *b, const char *k, double v)
{
	itr_buf_printf(b, "      <data key=\"%s\">", k);
	itr_json_number(b, v);
	itr_buf_puts(b, "</data>\n");
}

static void date(itr_buf *b, const char *k, itr_date d)
{
	char s[11];

	if (d == ITR_DATE_NONE)
		return;
	itr_date_format(d, s);
	str(b, k, s);
}

static void ids(itr_buf *b, const char *k, const itr_model *m, const itr_idlist *l)
{
	itr_buf t = ITR_BUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			itr_buf_putc(&t, ' ');
		itr_buf_puts(&t, itr_model_elem_id(m, l->v[i]));
	}
	str(b, k, itr_buf_str(&t));
	itr_buf_release(&t);
}

static void location(itr_buf *b, itr_loc loc)
{
	str(b, "file", loc.file);
	if (loc.line)
		num(b, "line", (double)loc.line);
}

static const char *class_name(itr_class c)
{
	static const char *const n[] = {"public", "internal", "confidential", "restricted"};

	return n[c];
}

static void data_attrs(itr_buf *b, const itr_data *data, size_t n)
{
	int cls = -1;
	bool personal = false;

	for (size_t i = 0; i < n; i++) {
		if ((int)data[i].classification > cls)
			cls = (int)data[i].classification;
		personal = personal || data[i].personal == 1;
	}
	if (cls < 0)
		return;
	str(b, "data_classification", class_name((itr_class)cls));
	boolean(b, "personal_data", personal);
}

static void contract_attrs(itr_buf *b, const itr_contract *c)
{
	static const char *const sourcing[] = {"total", "selective", "co-sourcing"};
	static const char *const shoring[] = {"offshore", "nearshore", "onshore", "homeshore"};
	static const char *const plan[] = {"none", "documented", "tested"};
	static const char *const subst[] = {"easy", "medium", "hard", "impossible"};
	static const char *const subcon[] = {"yes", "no", "with-approval"};

	str(b, "contract", c->id);
	str(b, "sourcing", sourcing[c->sourcing]);
	str(b, "shoring", shoring[c->shoring]);
	date(b, "contract_start", c->start);
	date(b, "contract_end", c->end);
	str(b, "notice", c->notice.text);
	if (c->auto_renew >= 0)
		boolean(b, "auto_renew", c->auto_renew == 1);
	if (c->annual_cost >= 0)
		num(b, "annual_cost", c->annual_cost);
	if (c->sla.present) {
		if (c->sla.availability >= 0)
			num(b, "sla_availability", c->sla.availability);
		str(b, "sla_rto", c->sla.rto.text);
		str(b, "sla_rpo", c->sla.rpo.text);
	}
	if (c->exit.present) {
		str(b, "exit_plan", plan[c->exit.plan]);
		date(b, "exit_tested_on", c->exit.tested_on);
		str(b, "exit_transition", c->exit.transition.text);
		if (c->exit.substitutability != ITR_SUBST_UNSET)
			str(b, "substitutability", subst[c->exit.substitutability]);
		if (c->exit.cost >= 0)
			num(b, "exit_cost", c->exit.cost);
	}
	if (c->subcontracting != ITR_SUBCON_UNSET)
		str(b, "subcontracting", subcon[c->subcontracting]);
}

static void risk_attrs(itr_buf *b, const itr_diagram *d, size_t e)
{
	const itr_audit *a = d->audit;
	const itr_model *m = a->model;
	const itr_idlist *imp = &a->spof.impacts[e];
	bool crit = false, art = false;

	for (size_t i = 0; i < imp->n; i++)
		crit = crit || itr_model_elem_service(m, imp->v[i])->criticality == ITR_CRIT_CRITICAL;
	for (size_t i = 0; i < a->structure.articulation.n; i++)
		art = art || a->structure.articulation.v[i] == e;
	boolean(b, "spof", imp->n > 0);
	boolean(b, "spof_critical", crit);
	ids(b, "impacts", m, imp);
	num(b, "impacts_count", (double)imp->n);
	num(b, "betweenness", a->centrality.betweenness[e]);
	num(b, "pagerank", a->centrality.pagerank[e]);
	boolean(b, "articulation_point", art);
	num(b, "findings", (double)d->findings[e]);
	if (d->max_severity[e] >= 0)
		str(b, "max_severity", itr_severity_name((itr_severity)d->max_severity[e]));
}

static void service_node(itr_buf *b, const itr_diagram *d, const itr_service *s)
{
	const itr_model *m = d->audit->model;

	itr_buf_puts(b, "    <node id=\"");
	itr_report_xml_escape(b, s->id);
	itr_buf_puts(b, "\">\n");
	str(b, "kind", "service");
	str(b, "name", s->name);
	str(b, "criticality", itr_criticality_name(s->criticality));
	str(b, "provider", s->provider.id);
	str(b, "delivered_from", s->delivered_from);
	str(b, "rto", s->rto.text);
	if (s->availability >= 0)
		num(b, "availability_required", s->availability);
	str(b, "owner", s->owner);
	data_attrs(b, s->data, s->ndata);
	if (s->contract != ITR_NONE)
		contract_attrs(b, &m->contracts[s->contract]);
	risk_attrs(b, d, s->elem);
	if (s->criticality <= ITR_CRIT_IMPORTANT)
		ids(b, "essential", m, &d->audit->spof.essential[s->elem]);
	location(b, s->loc);
	itr_buf_puts(b, "    </node>\n");
}

static void vendor_node(itr_buf *b, const itr_diagram *d, const itr_vendor *v, size_t index)
{
	const itr_audit *a = d->audit;
	const itr_model *m = a->model;
	itr_buf t = ITR_BUF_INIT;

	itr_buf_puts(b, "    <node id=\"");
	itr_report_xml_escape(b, v->id);
	itr_buf_puts(b, "\">\n");
	str(b, "kind", "vendor");
	str(b, "name", v->name);
	str(b, "country", v->country);
	str(b, "vendor_kind", v->kind == ITR_VENDOR_SUBSIDIARY ? "subsidiary" : "external");
	str(b, "parent", v->parent.id);
	str(b, "group", itr_model_elem_id(m, d->group_root[v->elem]));
	str(b, "lei", v->lei);
	boolean(b, "fourth_party", d->fourth_party[v->elem]);
	for (size_t i = 0; i < v->ncerts; i++) {
		char s[11];

		itr_buf_printf(&t, "%s%s", i ? "; " : "", v->certs[i].name);
		if (v->certs[i].expires != ITR_DATE_NONE) {
			itr_date_format(v->certs[i].expires, s);
			itr_buf_printf(&t, " until %s", s);
		}
	}
	if (v->ncerts)
		str(b, "certifications", itr_buf_str(&t));
	itr_buf_release(&t);
	for (size_t i = 0; i < m->ncontracts; i++)
		if (m->contracts[i].vendor.target == v->elem)
			itr_buf_printf(&t, "%s%s", t.len ? " " : "", m->contracts[i].id);
	if (t.len)
		str(b, "contracts", itr_buf_str(&t));
	itr_buf_release(&t);
	num(b, "annual_cost", a->vendor_spend[index]);
	num(b, "spend_share", a->total_spend > 0 ? a->vendor_spend[index] / a->total_spend : 0);
	risk_attrs(b, d, v->elem);
	location(b, v->loc);
	itr_buf_puts(b, "    </node>\n");
}

static void gate_id(itr_buf *b, const itr_diagram *d, size_t node)
{
	const itr_fail_group *g = &d->audit->net.groups[node - d->nelems];

	itr_report_xml_escape(b, itr_model_elem_id(d->audit->model, g->service));
	itr_buf_printf(b, "/needs-any[%zu]", g->index + 1);
}

static void gate_node(itr_buf *b, const itr_diagram *d, size_t g)
{
	const itr_fail_group *fg = &d->audit->net.groups[g];

	itr_buf_puts(b, "    <node id=\"");
	gate_id(b, d, d->nelems + g);
	itr_buf_puts(b, "\">\n");
	str(b, "kind", "needs-any");
	num(b, "min", (double)fg->min);
	num(b, "options", (double)fg->nopts);
	ids(b, "defeated_by", d->audit->model, &d->defeaters[g]);
	location(b, fg->loc);
	itr_buf_puts(b, "    </node>\n");
}

static void end_id(itr_buf *b, const itr_diagram *d, size_t node)
{
	if (node < d->nelems)
		itr_report_xml_escape(b, itr_model_elem_id(d->audit->model, node));
	else
		gate_id(b, d, node);
}

static bool is_bridge(const itr_audit *a, size_t x, size_t y)
{
	size_t lo = x < y ? x : y, hi = x < y ? y : x;

	for (size_t i = 0; i < a->structure.nbridges; i++)
		if (a->structure.bridges[i][0] == lo && a->structure.bridges[i][1] == hi)
			return true;
	return false;
}

void itr_report_graphml(itr_buf *b, const itr_audit *a, const itr_graph_opts *o)
{
	const itr_model *m = a->model;
	itr_graph_opts all = *o;
	itr_diagram d;
	size_t ne = 0;

	all.all = true; /* GraphML is for tools: collapse nothing */
	itr_diagram_build(&d, a, &all);
	itr_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<!-- itorisk " ITR_VERSION ": services, vendors and needs-any gates; "
			"edges point from dependent to dependency -->\n"
			"<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
			"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
			"xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
			"http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
	key_decls(b);
	itr_buf_puts(b, "  <graph id=\"");
	itr_report_xml_escape(b, m->name.value ? m->name.value : "portfolio");
	itr_buf_puts(b, "\" edgedefault=\"directed\">\n");
	for (size_t i = 0; i < m->nservices; i++)
		if (d.shown[m->services[i].elem])
			service_node(b, &d, &m->services[i]);
	for (size_t i = 0; i < m->nvendors; i++)
		if (d.shown[m->vendors[i].elem])
			vendor_node(b, &d, &m->vendors[i], i);
	for (size_t g = 0; g < d.ngroups; g++)
		if (d.shown[d.nelems + g])
			gate_node(b, &d, g);
	for (size_t i = 0; i < d.nlinks; i++) {
		const itr_dlink *l = &d.links[i];

		if (!d.shown_link[i])
			continue;
		itr_buf_printf(b, "    <edge id=\"e%zu\" source=\"", ne++);
		end_id(b, &d, l->from);
		itr_buf_puts(b, "\" target=\"");
		end_id(b, &d, l->to);
		itr_buf_puts(b, "\">\n");
		str(b, "kind", itr_link_kind_name(l->kind));
		boolean(b, "spof_link", d.spof_link[i]);
		if (l->from < d.nelems && l->to < d.nelems)
			boolean(b, "bridge", is_bridge(a, l->from, l->to));
		itr_buf_puts(b, "    </edge>\n");
	}
	itr_buf_puts(b, "  </graph>\n</graphml>\n");
	itr_diagram_release(&d);
}
