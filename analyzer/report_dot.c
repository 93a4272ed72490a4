/*
 * The Graphviz risk diagram (`itorisk graph --format dot`).
 *
 * Read top-down: critical services at the top, the services they need below,
 * vendors and fourth parties at the bottom, boxed by corporate group or
 * country. Fill colour is risk (red: single point of failure of a critical
 * service; orange: of an important one; yellow: other findings); a double
 * border marks a critical service; red bold links carry a single point of
 * failure to a service it stops; needs-any groups are diamonds showing
 * "k of n", red when one element defeats them. A legend says all this in the
 * picture, and names what collapsing left out.
 */
#include "itorisk/export.h"

#include <stdlib.h>
#include <string.h>

#define C_RED_FILL "#f6b3b3"
#define C_RED_LINE "#b00020"
#define C_ORANGE_FILL "#fdd5a5"
#define C_ORANGE_LINE "#c76a00"
#define C_YELLOW_FILL "#fff3b0"
#define C_YELLOW_LINE "#8a7a00"
#define C_GREEN_FILL "#d4ecd3"
#define C_GREEN_LINE "#2e7d32"
#define C_VENDOR_FILL "#e8edf3"
#define C_LINE "#4d4d4d"
#define C_LINK "#8c8c8c"

/* Text for an HTML-like label. */
static void html(itr_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': itr_buf_puts(b, "&amp;"); break;
		case '<': itr_buf_puts(b, "&lt;"); break;
		case '>': itr_buf_puts(b, "&gt;"); break;
		case '"': itr_buf_puts(b, "&quot;"); break;
		case '\n':
		case '\r':
		case '\t': itr_buf_putc(b, ' '); break;
		default: itr_buf_putc(b, *s);
		}
	}
}

/* A long name broken at spaces into lines of about `width` bytes. */
static void html_wrapped(itr_buf *b, const char *s, size_t width)
{
	size_t col = 0;

	while (*s) {
		const char *sp = strchr(s, ' ');
		size_t len = sp ? (size_t)(sp - s) : strlen(s);
		char *word = itr_xstrndup(s, len);

		if (col && col + 1 + len > width) {
			itr_buf_puts(b, "<br/>");
			col = 0;
		} else if (col) {
			itr_buf_putc(b, ' ');
			col++;
		}
		html(b, word);
		col += len;
		free(word);
		s += len;
		while (*s == ' ')
			s++;
	}
}

/* A quoted DOT id for a node. */
static void node_id(itr_buf *b, const itr_diagram *d, size_t node)
{
	const itr_model *m = d->audit->model;

	itr_buf_putc(b, '"');
	if (node < d->nelems) {
		itr_buf_puts(b, itr_model_elem_id(m, node));
	} else {
		const itr_fail_group *g = &d->audit->net.groups[node - d->nelems];

		itr_buf_printf(b, "%s/needs-any[%zu]", itr_model_elem_id(m, g->service), g->index + 1);
	}
	itr_buf_putc(b, '"');
}

static void risk_colours(itr_buf *b, itr_risk r, bool vendor)
{
	switch (r) {
	case ITR_RISK_SPOF_CRITICAL:
	case ITR_RISK_DOWN:
		itr_buf_puts(b, ", fillcolor=\"" C_RED_FILL "\", color=\"" C_RED_LINE "\", penwidth=2");
		break;
	case ITR_RISK_SPOF_IMPORTANT:
		itr_buf_puts(b, ", fillcolor=\"" C_ORANGE_FILL "\", color=\"" C_ORANGE_LINE
				"\", penwidth=1.6");
		break;
	case ITR_RISK_FINDING:
		itr_buf_puts(b, ", fillcolor=\"" C_YELLOW_FILL "\", color=\"" C_YELLOW_LINE "\"");
		break;
	case ITR_RISK_SURVIVES:
		itr_buf_puts(b, ", fillcolor=\"" C_GREEN_FILL "\", color=\"" C_GREEN_LINE "\"");
		break;
	case ITR_RISK_FOCUS:
		itr_buf_puts(b, ", fillcolor=\"#1f4e99\", color=\"#1f4e99\", fontcolor=\"white\", "
				"penwidth=2");
		break;
	case ITR_RISK_NONE:
		if (vendor)
			itr_buf_puts(b, ", fillcolor=\"" C_VENDOR_FILL "\"");
		break;
	}
}

static size_t count_critical(const itr_model *m, const itr_idlist *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += itr_model_elem_service(m, l->v[i])->criticality == ITR_CRIT_CRITICAL;
	return n;
}

/* The small grey lines under a node's name. */
static void facts_start(itr_buf *b)
{
	itr_buf_puts(b, "<br/><font point-size=\"8\">");
}

static void stops_line(itr_buf *b, const itr_diagram *d, size_t e)
{
	const itr_model *m = d->audit->model;
	const itr_idlist *imp = &d->audit->spof.impacts[e];
	size_t crit;

	if (d->opts->focus != ITR_NONE || imp->n == 0)
		return;
	crit = count_critical(m, imp);
	itr_buf_printf(b, "<br/>stops alone: %zu service%s", imp->n, imp->n == 1 ? "" : "s");
	if (crit)
		itr_buf_printf(b, " (%zu critical)", crit);
}

static void findings_line(itr_buf *b, const itr_diagram *d, size_t e)
{
	if (d->findings[e])
		itr_buf_printf(b, "<br/>%zu finding%s, worst %s", d->findings[e],
			       d->findings[e] == 1 ? "" : "s",
			       itr_severity_name((itr_severity)d->max_severity[e]));
}

static void service_node(itr_buf *b, const itr_diagram *d, const itr_service *s)
{
	const itr_model *m = d->audit->model;
	size_t e = s->elem;

	itr_buf_puts(b, "  ");
	node_id(b, d, e);
	itr_buf_puts(b, " [label=<<b>");
	html_wrapped(b, s->name, 26);
	itr_buf_puts(b, "</b>");
	facts_start(b);
	html(b, s->id);
	itr_buf_printf(b, " · %s", itr_criticality_name(s->criticality));
	if (s->contract != ITR_NONE && m->contracts[s->contract].sla.availability >= 0)
		itr_buf_printf(b, " · SLA %.10g%%", m->contracts[s->contract].sla.availability);
	else if (s->provider.target != ITR_NONE && s->contract == ITR_NONE)
		itr_buf_puts(b, " · no contract");
	stops_line(b, d, e);
	findings_line(b, d, e);
	itr_buf_puts(b, "</font>>");
	if (s->criticality == ITR_CRIT_CRITICAL)
		itr_buf_puts(b, ", peripheries=2");
	risk_colours(b, d->risk[e], false);
	itr_buf_puts(b, "];\n");
}

static void vendor_node(itr_buf *b, const itr_diagram *d, const itr_vendor *v, const char *indent)
{
	size_t e = v->elem;

	itr_buf_puts(b, indent);
	node_id(b, d, e);
	itr_buf_puts(b, " [shape=box, style=\"");
	itr_buf_puts(b, d->fourth_party[e] ? "filled,dashed" : "filled");
	itr_buf_puts(b, "\", label=<<b>");
	html_wrapped(b, v->name, 24);
	itr_buf_puts(b, "</b>");
	facts_start(b);
	html(b, v->id);
	if (d->fourth_party[e])
		itr_buf_puts(b, " · fourth party");
	else if (v->kind == ITR_VENDOR_SUBSIDIARY)
		itr_buf_puts(b, " · IT subsidiary");
	else
		itr_buf_puts(b, " · vendor");
	if (v->country) {
		itr_buf_puts(b, " · ");
		html(b, v->country);
	}
	stops_line(b, d, e);
	findings_line(b, d, e);
	if (d->hidden_services[e])
		itr_buf_printf(b, "<br/>+%zu service%s not shown", d->hidden_services[e],
			       d->hidden_services[e] == 1 ? "" : "s");
	itr_buf_puts(b, "</font>>");
	risk_colours(b, d->risk[e], true);
	itr_buf_puts(b, "];\n");
}

static void gate_node(itr_buf *b, const itr_diagram *d, size_t g)
{
	const itr_model *m = d->audit->model;
	const itr_fail_group *fg = &d->audit->net.groups[g];
	const itr_idlist *def = &d->defeaters[g];
	itr_risk r = d->risk[d->nelems + g];

	itr_buf_puts(b, "  ");
	node_id(b, d, d->nelems + g);
	itr_buf_printf(b, " [shape=diamond, style=filled, margin=0.02, label=<<b>%lu of %zu</b>",
		       fg->min, fg->nopts);
	if (def->n && d->opts->focus == ITR_NONE) {
		itr_buf_puts(b, "<br/><font point-size=\"8\">defeated by");
		for (size_t i = 0; i < def->n && i < 3; i++) {
			itr_buf_puts(b, i ? ",<br/>" : "<br/>");
			html(b, itr_model_elem_id(m, def->v[i]));
		}
		if (def->n > 3)
			itr_buf_printf(b, "<br/>+%zu more", def->n - 3);
		itr_buf_puts(b, "</font>");
	}
	itr_buf_puts(b, ">");
	if (r == ITR_RISK_SPOF_CRITICAL || r == ITR_RISK_DOWN)
		itr_buf_puts(b, ", fillcolor=\"" C_RED_FILL "\", color=\"" C_RED_LINE "\", penwidth=2");
	else if (r == ITR_RISK_SURVIVES || fg->nopts > fg->min)
		itr_buf_puts(b, ", fillcolor=\"" C_GREEN_FILL "\", color=\"" C_GREEN_LINE "\"");
	else
		itr_buf_puts(b, ", fillcolor=\"white\"");
	itr_buf_puts(b, "];\n");
}

static void edge(itr_buf *b, const itr_diagram *d, size_t i)
{
	const itr_dlink *l = &d->links[i];

	itr_buf_puts(b, "  ");
	node_id(b, d, l->from);
	itr_buf_puts(b, " -> ");
	node_id(b, d, l->to);
	switch (l->kind) {
	case ITR_LINK_PROVIDER: itr_buf_puts(b, " [arrowhead=empty"); break;
	case ITR_LINK_NEEDS: itr_buf_puts(b, " [color=\"" C_LINE "\""); break;
	case ITR_LINK_ANY: itr_buf_puts(b, " [arrowhead=none, color=\"" C_LINE "\""); break;
	case ITR_LINK_OPTION: itr_buf_puts(b, " [style=dashed, color=\"" C_LINE "\""); break;
	case ITR_LINK_RELIES: itr_buf_puts(b, " [style=dashed"); break;
	case ITR_LINK_PARENT: itr_buf_puts(b, " [style=dotted, arrowhead=odiamond"); break;
	}
	if (d->spof_link[i])
		itr_buf_puts(b, ", color=\"" C_RED_LINE "\", penwidth=2.4");
	itr_buf_puts(b, "];\n");
}

/* The cluster key of a vendor: its top parent, or its country; ITR_NONE = none. */
static const char *cluster_of(const itr_diagram *d, const itr_vendor *v)
{
	const itr_model *m = d->audit->model;

	switch (d->opts->cluster) {
	case ITR_CLUSTER_GROUP:
		return d->group_size[d->group_root[v->elem]] >= 2
			       ? itr_model_elem_id(m, d->group_root[v->elem])
			       : NULL;
	case ITR_CLUSTER_COUNTRY: return v->country;
	case ITR_CLUSTER_NONE: break;
	}
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void vendors(itr_buf *b, const itr_diagram *d)
{
	const itr_model *m = d->audit->model;
	const char **keys = itr_xcalloc(m->nvendors + 1, sizeof(char *));
	size_t nkeys = 0;

	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];
		const char *k = d->shown[v->elem] ? cluster_of(d, v) : NULL;

		if (!d->shown[v->elem])
			continue;
		if (k)
			keys[nkeys++] = k;
		else
			vendor_node(b, d, v, "  ");
	}
	if (nkeys)
		qsort(keys, nkeys, sizeof(*keys), cmp_str);
	for (size_t i = 0; i < nkeys; i++) {
		const char *k = keys[i];

		if (i && strcmp(keys[i - 1], k) == 0)
			continue;
		itr_buf_puts(b, "  subgraph \"cluster_");
		itr_buf_puts(b, k);
		itr_buf_puts(b, "\" {\n    style=\"rounded,dashed\"; color=\"#7f8fa6\"; fontsize=10; "
				"label=<");
		if (d->opts->cluster == ITR_CLUSTER_GROUP) {
			itr_buf_puts(b, "group: <b>");
			html(b, itr_model_elem_vendor(m, itr_model_find(m, k))->name);
			itr_buf_puts(b, "</b>");
		} else {
			itr_buf_puts(b, "country: <b>");
			html(b, k);
			itr_buf_puts(b, "</b>");
			if (m->home_country.value && strcmp(m->home_country.value, k) == 0)
				itr_buf_puts(b, " (home)");
		}
		itr_buf_puts(b, ">;\n");
		for (size_t j = 0; j < m->nvendors; j++) {
			const itr_vendor *v = &m->vendors[j];
			const char *vk = d->shown[v->elem] ? cluster_of(d, v) : NULL;

			if (vk && strcmp(vk, k) == 0)
				vendor_node(b, d, v, "    ");
		}
		itr_buf_puts(b, "  }\n");
	}
	free(keys);
}

static void legend_row(itr_buf *b, const char *fill, const char *line, const char *sample,
		       const char *text)
{
	itr_buf_puts(b, "<tr><td");
	if (fill)
		itr_buf_printf(b, " bgcolor=\"%s\"", fill);
	itr_buf_puts(b, "><font");
	if (line)
		itr_buf_printf(b, " color=\"%s\"", line);
	itr_buf_printf(b, ">%s</font></td><td align=\"left\">%s</td></tr>", sample, text);
}

static void id_list_row(itr_buf *b, const itr_model *m, const char *what, const itr_idlist *l)
{
	size_t col = 0;

	if (!l->n)
		return;
	itr_buf_printf(b, "<tr><td colspan=\"2\" align=\"left\" balign=\"left\">%s:<br/>", what);
	for (size_t i = 0; i < l->n; i++) {
		const char *id = itr_model_elem_id(m, l->v[i]);

		if (col && col + strlen(id) > 60) {
			itr_buf_puts(b, "<br/>");
			col = 0;
		}
		html(b, id);
		col += strlen(id) + 2;
		if (i + 1 < l->n)
			itr_buf_puts(b, ", ");
	}
	itr_buf_puts(b, "</td></tr>");
}

static void legend(itr_buf *b, const itr_diagram *d)
{
	const itr_model *m = d->audit->model;
	bool blast = d->opts->focus != ITR_NONE && !itr_model_elem_service(m, d->opts->focus);
	itr_idlist other = {0};

	itr_buf_puts(b, "  subgraph legend_rank { rank=sink; legend [shape=plaintext, fontsize=9, "
			"label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" "
			"cellpadding=\"3\" color=\"#999999\">"
			"<tr><td colspan=\"2\"><b>Legend</b></td></tr>");
	if (blast) {
		legend_row(b, "#1f4e99", "white", "X", "the element that fails");
		legend_row(b, C_RED_FILL, NULL, "&#160;", "goes down with it");
		legend_row(b, C_GREEN_FILL, NULL, "&#160;", "depends on it but stays up");
		legend_row(b, NULL, C_RED_LINE, "<b>red link</b>", "how the failure travels");
	} else {
		if (d->opts->focus != ITR_NONE) {
			legend_row(b, "#1f4e99", "white", "S", "the service in focus");
			legend_row(b, C_RED_FILL, NULL, "&#160;",
				   "single point of failure of the service in focus");
		} else {
			legend_row(b, C_RED_FILL, NULL, "&#160;",
				   "single point of failure of a critical service");
			legend_row(b, C_ORANGE_FILL, NULL, "&#160;",
				   "single point of failure of an important service");
		}
		legend_row(b, C_YELLOW_FILL, NULL, "&#160;", "other findings (see the audit)");
		legend_row(b, NULL, C_RED_LINE, "<b>red link</b>",
			   "carries a single point of failure to the service it stops");
		legend_row(b, C_RED_FILL, NULL, "k of n",
			   "needs-any: k of n options must be up; one element defeats it");
		legend_row(b, C_GREEN_FILL, NULL, "k of n", "needs-any: no single element defeats it");
	}
	legend_row(b, NULL, NULL, "double border", "critical service");
	legend_row(b, "white", NULL, "rounded", "service (arrow: needs)");
	legend_row(b, C_VENDOR_FILL, NULL, "square",
		   "vendor (hollow arrow: provided by; dashed: relies on; dotted: parent)");
	legend_row(b, C_VENDOR_FILL, NULL, "dashed", "fourth party: no contract, relied on by a vendor");
	if (d->hidden.n) {
		for (size_t i = 0; i < d->hidden.n; i++) {
			bool cf = false;

			for (size_t k = 0; k < d->cannot_fail.n; k++)
				cf = cf || d->cannot_fail.v[k] == d->hidden.v[i];
			if (!cf)
				itr_idlist_push(&other, d->hidden.v[i]);
		}
		itr_buf_puts(b, "<tr><td colspan=\"2\" align=\"left\"><b>Not shown</b> "
				"(--all shows them)</td></tr>");
		id_list_row(b, m, "nothing critical or important depends on", &other);
		id_list_row(b, m, "in-house, depend on nothing (cannot fail)", &d->cannot_fail);
		itr_idlist_release(&other);
	}
	itr_buf_puts(b, "</table>>]; }\n");
}

void itr_report_dot(itr_buf *b, const itr_audit *a, const itr_graph_opts *o)
{
	const itr_model *m = a->model;
	itr_diagram d;

	itr_diagram_build(&d, a, o);
	itr_buf_puts(b, "// itorisk " ITR_VERSION " risk diagram; render with: dot -Tsvg\n"
			"digraph itorisk {\n"
			"  graph [rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.45, "
			"fontname=\"Helvetica\", fontsize=14, labelloc=t, label=<<b>");
	html(b, m->name.value ? m->name.value : "Portfolio");
	itr_buf_puts(b, "</b>: ");
	if (o->focus == ITR_NONE) {
		itr_buf_puts(b, "dependency risk");
	} else {
		itr_buf_puts(b, itr_model_elem_service(m, o->focus) ? "dependencies of " : "blast radius of ");
		html(b, itr_model_elem_id(m, o->focus));
		if (o->depth >= 0)
			itr_buf_printf(b, " (depth %ld)", o->depth);
	}
	if (o->title) {
		itr_buf_puts(b, "<br/><font point-size=\"10\">");
		html(b, o->title);
		itr_buf_puts(b, "</font>");
	}
	itr_buf_puts(b, ">];\n"
			"  node [shape=box, style=\"rounded,filled\", fillcolor=\"white\", "
			"color=\"" C_LINE "\", fontname=\"Helvetica\", fontsize=10, margin=\"0.1,0.04\"];\n"
			"  edge [color=\"" C_LINK "\", arrowsize=0.6];\n");
	for (size_t i = 0; i < m->nservices; i++)
		if (d.shown[m->services[i].elem])
			service_node(b, &d, &m->services[i]);
	for (size_t g = 0; g < d.ngroups; g++)
		if (d.shown[d.nelems + g])
			gate_node(b, &d, g);
	vendors(b, &d);
	for (size_t i = 0; i < d.nlinks; i++)
		if (d.shown_link[i])
			edge(b, &d, i);
	legend(b, &d);
	itr_buf_puts(b, "}\n");
	itr_diagram_release(&d);
}
