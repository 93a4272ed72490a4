/* The JSON report of SPEC §5. Keys in the pinned order, lists sorted, two-space indent. */
#include "itorisk/report.h"

#include <pthread.h>
#include <stdlib.h>

/* Every element id as a JSON string, escaped once: ids are written many
 * times over (essential sets, cut sets, impacts). */
typedef struct qids {
	itr_buf text;
	size_t *off; /* element e is text.s[off[e] .. off[e + 1]) */
} qids;

static void qids_build(qids *q, const itr_model *m)
{
	itr_buf_init(&q->text);
	q->off = itr_xmalloc((m->nelems + 1) * sizeof(*q->off));
	for (size_t e = 0; e < m->nelems; e++) {
		q->off[e] = q->text.len;
		itr_json_string(&q->text, itr_model_elem_id(m, e));
	}
	q->off[m->nelems] = q->text.len;
}

static void qids_release(qids *q)
{
	itr_buf_release(&q->text);
	free(q->off);
}

static void id(itr_buf *b, const qids *q, size_t e)
{
	itr_buf_add(b, q->text.s + q->off[e], q->off[e + 1] - q->off[e]);
}

static void ids(itr_buf *b, const qids *q, const itr_idlist *l)
{
	itr_buf_putc(b, '[');
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			itr_buf_add(b, ", ", 2);
		id(b, q, l->v[i]);
	}
	itr_buf_putc(b, ']');
}

/* Keys are plain ASCII: no escaping needed. */
static void key(itr_buf *b, const char *indent, const char *k)
{
	itr_buf_puts(b, indent);
	itr_buf_putc(b, '"');
	itr_buf_puts(b, k);
	itr_buf_add(b, "\": ", 3);
}

static void str_field(itr_buf *b, const char *indent, const char *k, const char *v, bool last)
{
	key(b, indent, k);
	if (v)
		itr_json_string(b, v);
	else
		itr_buf_puts(b, "null");
	itr_buf_puts(b, last ? "\n" : ",\n");
}

static void num_field(itr_buf *b, const char *indent, const char *k, double v, bool last)
{
	key(b, indent, k);
	itr_json_number(b, v);
	itr_buf_puts(b, last ? "\n" : ",\n");
}

static void findings(itr_buf *b, const itr_audit *a, const qids *q)
{
	const char *in = "      ";

	itr_buf_puts(b, "  \"findings\": [");
	for (size_t i = 0; i < a->nfindings; i++) {
		const itr_finding *f = &a->findings[i];

		itr_buf_puts(b, i ? ",\n    {\n" : "\n    {\n");
		str_field(b, in, "rule", f->rule, false);
		str_field(b, in, "severity", itr_severity_name(f->severity), false);
		str_field(b, in, "subject", f->subject, false);
		str_field(b, in, "message", f->message, false);
		str_field(b, in, "file", f->loc.file, false);
		num_field(b, in, "line", (double)f->loc.line, false);
		key(b, in, "impacts");
		ids(b, q, &f->impacts);
		itr_buf_puts(b, "\n    }");
	}
	itr_buf_puts(b, a->nfindings ? "\n  ],\n" : "],\n");
}

static void cut_sets(itr_buf *b, const itr_audit *a, const qids *q, size_t elem)
{
	const itr_cutsets *c = &a->cuts[elem];
	bool first = true;

	itr_buf_putc(b, '[');
	for (size_t i = 0; i < c->n; i++) {
		if (c->len[i] < 2)
			continue; /* order 1 is `essential` */
		itr_buf_puts(b, first ? "[" : ", [");
		first = false;
		for (size_t k = 0; k < c->len[i]; k++) {
			if (k)
				itr_buf_add(b, ", ", 2);
			id(b, q, c->sets[i][k]);
		}
		itr_buf_putc(b, ']');
	}
	itr_buf_puts(b, "],\n");
}

static void duration_field(itr_buf *b, const char *indent, const char *k, double seconds)
{
	itr_buf d = ITR_BUF_INIT;

	if (seconds < 0 || seconds != seconds || seconds > 1e15) {
		str_field(b, indent, k, NULL, false);
		return;
	}
	itr_duration_format(&d, seconds);
	str_field(b, indent, k, d.s, false);
	itr_buf_release(&d);
}

static void services(itr_buf *b, const itr_audit *a, const qids *q)
{
	const itr_model *m = a->model;
	const char *in = "      ";
	bool first = true;

	itr_buf_puts(b, "  \"services\": [");
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		double av = a->availability[s->elem];
		size_t cause = a->rto_cause[s->elem];

		if (s->criticality > ITR_CRIT_IMPORTANT)
			continue;
		itr_buf_puts(b, first ? "\n    {\n" : ",\n    {\n");
		first = false;
		str_field(b, in, "id", s->id, false);
		str_field(b, in, "name", s->name, false);
		str_field(b, in, "criticality", itr_criticality_name(s->criticality), false);
		str_field(b, in, "provider", s->provider.id, false);
		key(b, in, "essential");
		ids(b, q, &a->spof.essential[s->elem]);
		itr_buf_puts(b, ",\n");
		key(b, in, "cut_sets");
		cut_sets(b, a, q, s->elem);
		key(b, in, "cut_sets_truncated");
		itr_buf_puts(b, a->cuts[s->elem].truncated ? "true,\n" : "false,\n");
		if (av >= 0)
			num_field(b, in, "availability", 100.0 * av, false);
		else
			str_field(b, in, "availability", NULL, false);
		if (s->availability >= 0)
			num_field(b, in, "required_availability", s->availability, false);
		else
			str_field(b, in, "required_availability", NULL, false);
		duration_field(b, in, "rto", a->rto[s->elem]);
		str_field(b, in, "rto_unknown_because",
			  cause != ITR_NONE ? itr_model_elem_id(m, cause) : NULL, false);
		str_field(b, in, "required_rto", s->rto.text, true);
		itr_buf_puts(b, "    }");
	}
	itr_buf_puts(b, first ? "],\n" : "\n  ],\n");
}

static const char *const factor_names[ITR_FACTOR_COUNT] = {"impact", "concentration",
							     "continuity", "security"};

static void score_factors(itr_buf *b, const itr_vendor_score *sc)
{
	itr_buf_puts(b, "      \"factors\": {");
	for (int f = 0; f < ITR_FACTOR_COUNT; f++) {
		itr_buf_printf(b, "%s\"%s\": ", f ? ", " : "", factor_names[f]);
		itr_json_number(b, sc->factor[f]);
	}
	itr_buf_puts(b, "},\n      \"why\": [");
	for (int f = 0, any = 0; f < ITR_FACTOR_COUNT; f++) {
		if (!sc->why[f])
			continue;
		itr_buf_puts(b, any++ ? ", " : "");
		itr_json_string(b, sc->why[f]);
	}
	itr_buf_puts(b, "],\n");
	str_field(b, "      ", "main_factor", sc->main_factor >= 0 ? factor_names[sc->main_factor] : NULL,
		  false);
}

static void vendors(itr_buf *b, const itr_audit *a, const qids *q)
{
	const itr_model *m = a->model;
	const char *in = "      ";

	itr_buf_puts(b, "  \"vendors\": [");
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];
		double cost = a->vendor_spend[i];

		itr_buf_puts(b, i ? ",\n    {\n" : "\n    {\n");
		str_field(b, in, "id", v->id, false);
		str_field(b, in, "name", v->name, false);
		str_field(b, in, "country", v->country, false);
		str_field(b, in, "kind", v->kind == ITR_VENDOR_SUBSIDIARY ? "subsidiary" : "external",
			  false);
		str_field(b, in, "parent", v->parent.id, false);
		str_field(b, in, "group", m->vendors[a->group_of[i]].id, false);
		num_field(b, in, "score", a->scores[i].score, false);
		score_factors(b, &a->scores[i]);
		num_field(b, in, "annual_cost", cost, false);
		num_field(b, in, "term_tco", a->vendor_tco[i], false);
		num_field(b, in, "spend_share", a->total_spend > 0 ? cost / a->total_spend : 0, false);
		num_field(b, in, "betweenness", a->centrality.betweenness[v->elem], false);
		num_field(b, in, "pagerank", a->centrality.pagerank[v->elem], false);
		key(b, in, "impacts");
		ids(b, q, &a->spof.impacts[v->elem]);
		itr_buf_puts(b, "\n    }");
	}
	itr_buf_puts(b, m->nvendors ? "\n  ],\n" : "],\n");
}

static void structural(itr_buf *b, const itr_audit *a, const qids *q)
{
	itr_buf_puts(b, "  \"structural\": {\n    \"articulation_points\": ");
	ids(b, q, &a->structure.articulation);
	itr_buf_puts(b, ",\n    \"bridges\": [");
	for (size_t i = 0; i < a->structure.nbridges; i++) {
		itr_buf_puts(b, i ? ", [" : "[");
		id(b, q, a->structure.bridges[i][0]);
		itr_buf_puts(b, ", ");
		id(b, q, a->structure.bridges[i][1]);
		itr_buf_putc(b, ']');
	}
	itr_buf_puts(b, "]\n  }\n");
}

/* The findings section, written by its own thread (it reads *a only). */
struct part {
	const itr_audit *a;
	const qids *q;
	itr_buf *out; /* only this thread touches it until the join */
};

static void *findings_part(void *arg)
{
	struct part *p = arg;

	findings(p->out, p->a, p->q);
	return NULL;
}

void itr_report_json_parts(itr_buf *b, itr_buf *tail, const itr_audit *a)
{
	const itr_model *m = a->model;
	char date[11];
	qids q;
	struct part part;
	pthread_t worker;
	bool threaded;

	itr_date_format(a->as_of, date);
	itr_buf_puts(b, "{\n  \"tool\": {\"name\": \"itorisk\", \"version\": \"" ITR_VERSION "\"},\n");
	str_field(b, "  ", "as_of", date, false);
	itr_buf_puts(b, "  \"portfolio\": {\n");
	str_field(b, "    ", "name", m->name.value, false);
	str_field(b, "    ", "home_country", m->home_country.value, false);
	str_field(b, "    ", "currency", m->currency.value, true);
	itr_buf_puts(b, "  },\n  \"summary\": {\n");
	num_field(b, "    ", "vendors", (double)m->nvendors, false);
	num_field(b, "    ", "services", (double)m->nservices, false);
	num_field(b, "    ", "contracts", (double)m->ncontracts, false);
	num_field(b, "    ", "files", (double)m->nfiles, false);
	num_field(b, "    ", "annual_spend", a->total_spend, false);
	num_field(b, "    ", "spend_at_risk", a->spend_at_risk, false);
	str_field(b, "    ", "risk_model", a->risk->name, false);
	num_field(b, "    ", "cut_set_order", a->order, false);
	str_field(b, "    ", "betweenness",
		  a->exact_betweenness ? "all-pairs" : "from-critical-and-important", false);
	itr_buf_puts(b, "    \"hhi\": {\"spend_by_vendor\": ");
	itr_json_number(b, a->hhi_spend_vendor);
	itr_buf_puts(b, ", \"spend_by_group\": ");
	itr_json_number(b, a->hhi_spend_group);
	itr_buf_puts(b, ", \"critical_by_vendor\": ");
	itr_json_number(b, a->hhi_critical_vendor);
	itr_buf_puts(b, ", \"critical_by_group\": ");
	itr_json_number(b, a->hhi_critical_group);
	itr_buf_puts(b, ", \"critical_by_country\": ");
	itr_json_number(b, a->hhi_critical_country);
	itr_buf_puts(b, "},\n");
	num_field(b, "    ", "critical_services", (double)a->critical_services, false);
	str_field(b, "    ", "most_depended_on_group",
		  a->headline_group != ITR_NONE ? m->vendors[a->headline_group].id : NULL, false);
	num_field(b, "    ", "critical_services_depending_on_it", (double)a->headline_group_services,
		  false);
	itr_buf_puts(b, "    \"findings\": {");
	for (int s = ITR_SEV_COUNT - 1; s >= 0; s--)
		itr_buf_printf(b, "\"%s\": %zu%s", itr_severity_name((itr_severity)s), a->count[s],
			       s ? ", " : "");
	itr_buf_puts(b, "}\n  },\n");
	qids_build(&q, m);
	/* the findings go straight into b on a second thread, the rest into
	 * tail here */
	part = (struct part){a, &q, b};
	threaded = pthread_create(&worker, NULL, findings_part, &part) == 0;
	if (!threaded)
		findings_part(&part);
	services(tail, a, &q);
	vendors(tail, a, &q);
	structural(tail, a, &q);
	itr_buf_puts(tail, "}\n");
	if (threaded && pthread_join(worker, NULL) != 0)
		itr_die("cannot join the report thread");
	qids_release(&q);
}

void itr_report_json(itr_buf *b, const itr_audit *a)
{
	itr_buf tail = ITR_BUF_INIT;

	itr_report_json_parts(b, &tail, a);
	itr_buf_add(b, itr_buf_str(&tail), tail.len);
	itr_buf_release(&tail);
}
