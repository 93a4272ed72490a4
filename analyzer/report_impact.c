/* What-if impact as text and JSON: the down elements, critical services
 * first, each with the chain of links back to what failed. */
#include "itorisk/impact.h"
#include "itorisk/report.h"

#include <stdlib.h>

static const char *const link_names[] = {
	[ITR_CAUSE_FAILED] = "failed",       [ITR_CAUSE_COUNTRY] = "country",
	[ITR_CAUSE_PROVIDER] = "provider",   [ITR_CAUSE_NEEDS] = "needs",
	[ITR_CAUSE_GROUP] = "needs-any",     [ITR_CAUSE_RELIES_ON] = "relies-on",
	[ITR_CAUSE_PARENT] = "parent",
};

static const itr_group *cause_group(const itr_model *m, size_t e, const itr_cause *c)
{
	return &itr_model_elem_service(m, e)->groups[c->group];
}

static size_t options_down(const itr_impact *imp, const itr_group *g)
{
	size_t n = 0;

	for (size_t k = 0; k < g->nopts; k++)
		n += imp->order[g->options[k].target] != ITR_NONE;
	return n;
}

/* One link of a chain, as a sentence. */
static void text_step(itr_buf *b, const itr_model *m, const itr_impact *imp, size_t e)
{
	const itr_cause *c = &imp->cause[e];
	const char *id = itr_model_elem_id(m, e);
	const char *via = c->via != ITR_NONE ? itr_model_elem_id(m, c->via) : NULL;

	switch (c->kind) {
	case ITR_CAUSE_FAILED:
		itr_buf_printf(b, "'%s' failed", id);
		break;
	case ITR_CAUSE_COUNTRY:
		itr_buf_printf(b, itr_model_elem_vendor(m, e) ? "'%s' is based in failed country %s"
							      : "'%s' is delivered from failed country %s",
			       id, c->country);
		break;
	case ITR_CAUSE_PROVIDER:
		itr_buf_printf(b, "'%s' is provided by '%s'", id, via);
		break;
	case ITR_CAUSE_NEEDS:
		itr_buf_printf(b, "'%s' needs '%s'", id, via);
		break;
	case ITR_CAUSE_GROUP: {
		const itr_group *g = cause_group(m, e, c);

		itr_buf_printf(b, "'%s' needs %lu of ", id, g->min);
		for (size_t k = 0; k < g->nopts; k++)
			itr_buf_printf(b, "%s'%s'", k ? ", " : "", g->options[k].id);
		itr_buf_printf(b, "; %zu of %zu are down, the deciding one '%s'", options_down(imp, g),
			       g->nopts, via);
		break;
	}
	case ITR_CAUSE_RELIES_ON:
		itr_buf_printf(b, "'%s' relies on '%s'", id, via);
		break;
	case ITR_CAUSE_PARENT:
		itr_buf_printf(b, "'%s' belongs to '%s'", id, via);
		break;
	}
}

static void text_request(itr_buf *b, const itr_impact_request *req)
{
	for (size_t i = 0; i < req->nids; i++)
		itr_buf_printf(b, "%s'%s'", i ? ", " : "", req->ids[i]);
	for (size_t i = 0; i < req->ncountries; i++)
		itr_buf_printf(b, "%scountry %s", i || req->nids ? ", " : "", req->countries[i]);
}

static const char *const section[] = {"Critical services", "Important services",
				      "Standard services", "Low-criticality services", "Vendors"};

void itr_report_impact_text(itr_buf *b, const itr_model *m, const itr_impact *imp,
			    const itr_impact_request *req)
{
	size_t *chain = itr_xmalloc((imp->ndown + 1) * sizeof(*chain));
	int last = -1;

	itr_buf_puts(b, "itorisk " ITR_VERSION " impact");
	if (m->name.value)
		itr_buf_printf(b, " on %s", m->name.value);
	itr_buf_puts(b, ": failing ");
	text_request(b, req);
	itr_buf_printf(b, "\n%zu down: %zu critical, %zu important, %zu standard and %zu low services, "
			  "%zu vendors\n",
		       imp->ndown, imp->count[ITR_CRIT_CRITICAL], imp->count[ITR_CRIT_IMPORTANT],
		       imp->count[ITR_CRIT_STANDARD], imp->count[ITR_CRIT_LOW], imp->nvendors);
	if (imp->nfailed == 0)
		itr_buf_puts(b, "nothing matches what was failed\n");
	for (size_t i = 0; i < imp->ndown; i++) {
		size_t e = imp->down[i], n = itr_impact_chain(imp, e, chain);
		const itr_service *s = itr_model_elem_service(m, e);
		int sec = s ? (int)s->criticality : 4;
		itr_loc loc = itr_model_elem_loc(m, e);

		if (sec != last)
			itr_buf_printf(b, "\n%s\n", section[sec]);
		last = sec;
		itr_buf_printf(b, "  %s  %s:%ld\n", itr_model_elem_id(m, e), loc.file, loc.line);
		for (size_t k = 0; k < n; k++) {
			itr_buf_puts(b, "    ");
			text_step(b, m, imp, chain[k]);
			itr_buf_putc(b, '\n');
		}
	}
	free(chain);
}

static void json_ids_of_group(itr_buf *b, const itr_group *g, const itr_impact *imp, bool down)
{
	bool first = true;

	itr_buf_putc(b, '[');
	for (size_t k = 0; k < g->nopts; k++) {
		if (down && imp->order[g->options[k].target] == ITR_NONE)
			continue;
		itr_buf_puts(b, first ? "" : ", ");
		itr_json_string(b, g->options[k].id);
		first = false;
	}
	itr_buf_putc(b, ']');
}

static void json_step(itr_buf *b, const itr_model *m, const itr_impact *imp, size_t e)
{
	const itr_cause *c = &imp->cause[e];

	itr_buf_puts(b, "{\"id\": ");
	itr_json_string(b, itr_model_elem_id(m, e));
	itr_buf_printf(b, ", \"link\": \"%s\"", link_names[c->kind]);
	if (c->kind == ITR_CAUSE_COUNTRY)
		itr_buf_printf(b, ", \"country\": \"%s\"", c->country);
	if (c->via != ITR_NONE && c->kind != ITR_CAUSE_FAILED && c->kind != ITR_CAUSE_COUNTRY) {
		itr_buf_puts(b, ", \"to\": ");
		itr_json_string(b, itr_model_elem_id(m, c->via));
	}
	if (c->kind == ITR_CAUSE_GROUP) {
		const itr_group *g = cause_group(m, e, c);

		itr_buf_printf(b, ", \"min\": %lu, \"options\": ", g->min);
		json_ids_of_group(b, g, imp, false);
		itr_buf_puts(b, ", \"down\": ");
		json_ids_of_group(b, g, imp, true);
	}
	itr_buf_putc(b, '}');
}

void itr_report_impact_json(itr_buf *b, const itr_model *m, const itr_impact *imp,
			    const itr_impact_request *req)
{
	size_t *chain = itr_xmalloc((imp->ndown + 1) * sizeof(*chain));
	bool first = true;

	itr_buf_puts(b, "{\n  \"tool\": {\"name\": \"itorisk\", \"version\": \"" ITR_VERSION "\"},\n"
			"  \"portfolio\": {\"name\": ");
	if (m->name.value)
		itr_json_string(b, m->name.value);
	else
		itr_buf_puts(b, "null");
	itr_buf_puts(b, "},\n  \"failed\": {\"ids\": [");
	for (size_t i = 0; i < req->nids; i++) {
		itr_buf_puts(b, i ? ", " : "");
		itr_json_string(b, req->ids[i]);
	}
	itr_buf_puts(b, "], \"countries\": [");
	for (size_t i = 0; i < req->ncountries; i++) {
		itr_buf_puts(b, i ? ", " : "");
		itr_json_string(b, req->countries[i]);
	}
	itr_buf_puts(b, "], \"elements\": [");
	for (size_t e = 0; e < m->nelems; e++) {
		if (imp->order[e] == ITR_NONE || imp->order[e] >= imp->nfailed)
			continue;
		itr_buf_puts(b, first ? "" : ", ");
		itr_json_string(b, itr_model_elem_id(m, e));
		first = false;
	}
	itr_buf_printf(b, "]},\n  \"summary\": {\"down\": %zu, \"services\": {\"critical\": %zu, "
			  "\"important\": %zu, \"standard\": %zu, \"low\": %zu}, \"vendors\": %zu},\n"
			  "  \"down\": [",
		       imp->ndown, imp->count[ITR_CRIT_CRITICAL], imp->count[ITR_CRIT_IMPORTANT],
		       imp->count[ITR_CRIT_STANDARD], imp->count[ITR_CRIT_LOW], imp->nvendors);
	for (size_t i = 0; i < imp->ndown; i++) {
		size_t e = imp->down[i], n = itr_impact_chain(imp, e, chain);
		const itr_service *s = itr_model_elem_service(m, e);
		itr_loc loc = itr_model_elem_loc(m, e);

		itr_buf_puts(b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
		itr_json_string(b, itr_model_elem_id(m, e));
		itr_buf_printf(b, ", \"kind\": \"%s\", \"criticality\": ", s ? "service" : "vendor");
		if (s)
			itr_json_string(b, itr_criticality_name(s->criticality));
		else
			itr_buf_puts(b, "null");
		itr_buf_puts(b, ", \"file\": ");
		itr_json_string(b, loc.file);
		itr_buf_printf(b, ", \"line\": %ld,\n     \"chain\": [", loc.line);
		for (size_t k = 0; k < n; k++) {
			itr_buf_puts(b, k ? ",\n       " : "\n       ");
			json_step(b, m, imp, chain[k]);
		}
		itr_buf_puts(b, "]}");
	}
	itr_buf_puts(b, imp->ndown ? "\n  ]\n}\n" : "]\n}\n");
	free(chain);
}
