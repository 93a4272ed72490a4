/* The diff between two audits as text and JSON (SARIF: report_sarif.c). */
#include "itorisk/gate.h"
#include "itorisk/report.h"

#include <string.h>

static void text_finding(itr_buf *b, const itr_finding *f, const char *sev)
{
	itr_buf_printf(b, "  %s:%ld: %s: %s [%s]\n", f->loc.file, f->loc.line, sev, f->message,
		       f->rule);
}

static void text_ids(itr_buf *b, const itr_model *m, const itr_idlist *l)
{
	if (!l || l->n == 0) {
		itr_buf_puts(b, "none");
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		itr_buf_printf(b, "%s%s", i ? ", " : "", itr_model_elem_id(m, l->v[i]));
}

static bool same_ids(const itr_model *ma, const itr_idlist *a, const itr_model *mb,
		     const itr_idlist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(itr_model_elem_id(ma, a->v[i]), itr_model_elem_id(mb, b->v[i])) != 0)
			return false;
	return true;
}

/* What changed about a vendor; a new or removed vendor shows its figures. */
static void text_vendor(itr_buf *b, const itr_diff *d, const itr_vendor_change *c)
{
	const itr_model *mb = d->base ? d->base->model : NULL, *mh = d->head->model;
	bool both = c->base && c->head;

	itr_buf_printf(b, "  %s%s:", c->id, !c->base ? " (new)" : !c->head ? " (removed)" : "");
	if (!both || !same_ids(mb, c->base_impacts, mh, c->head_impacts)) {
		itr_buf_puts(b, " can stop alone ");
		if (c->base)
			text_ids(b, mb, c->base_impacts);
		if (both)
			itr_buf_puts(b, " -> ");
		if (c->head)
			text_ids(b, mh, c->head_impacts);
		itr_buf_putc(b, ';');
	}
	if (!both || c->base_cost != c->head_cost) {
		itr_buf_puts(b, " annual cost ");
		if (c->base)
			itr_json_number(b, c->base_cost);
		if (both)
			itr_buf_puts(b, " -> ");
		if (c->head)
			itr_json_number(b, c->head_cost);
		itr_buf_putc(b, ';');
	}
	if ((c->base_score >= 0 || c->head_score >= 0) && (!both || c->base_score != c->head_score)) {
		itr_buf_puts(b, " score ");
		if (c->base)
			itr_buf_printf(b, "%.1f", c->base_score);
		if (both)
			itr_buf_puts(b, " -> ");
		if (c->head)
			itr_buf_printf(b, "%.1f", c->head_score);
		itr_buf_putc(b, ';');
	}
	b->s[b->len - 1] = '\n'; /* the last ';' (or ':') */
}

void itr_report_diff_text(itr_buf *b, const itr_diff *d, const char *base_path,
			  const char *head_path)
{
	char date[11];
	bool any = false;

	itr_date_format(d->head->as_of, date);
	itr_buf_printf(b, "itorisk %s diff: base '%s', head '%s', as of %s\n", ITR_VERSION, base_path,
		       head_path, date);
	if (!d->base)
		itr_buf_puts(b, "the base did not load: every finding of the head counts as new\n");
	itr_buf_printf(b, "%zu added (", d->nadded);
	for (int s = ITR_SEV_COUNT - 1; s >= 0; s--) {
		if (!d->added_count[s])
			continue;
		itr_buf_printf(b, "%s%zu %s", any ? ", " : "", d->added_count[s],
			       itr_severity_name((itr_severity)s));
		any = true;
	}
	itr_buf_printf(b, "%s), %zu resolved, %zu with a new severity, %zu vendors changed\n",
		       any ? "" : "none", d->nresolved, d->nchanged, d->nvendors);
	if (d->nadded) {
		itr_buf_puts(b, "\nAdded\n");
		for (size_t i = 0; i < d->nadded; i++)
			text_finding(b, d->added[i], itr_severity_name(d->added[i]->severity));
	}
	if (d->nresolved) {
		itr_buf_puts(b, "\nResolved\n");
		for (size_t i = 0; i < d->nresolved; i++)
			text_finding(b, d->resolved[i], itr_severity_name(d->resolved[i]->severity));
	}
	if (d->nchanged) {
		itr_buf_puts(b, "\nSeverity changed\n");
		for (size_t i = 0; i < d->nchanged; i++) {
			itr_buf sev = ITR_BUF_INIT;

			itr_buf_printf(&sev, "%s -> %s", itr_severity_name(d->changed_from[i]->severity),
				       itr_severity_name(d->changed[i]->severity));
			text_finding(b, d->changed[i], itr_buf_str(&sev));
			itr_buf_release(&sev);
		}
	}
	if (d->nvendors) {
		itr_buf_puts(b, "\nVendors\n");
		for (size_t i = 0; i < d->nvendors; i++)
			text_vendor(b, d, &d->vendors[i]);
	}
}

static void json_ids(itr_buf *b, const itr_model *m, const itr_idlist *l)
{
	if (!l) {
		itr_buf_puts(b, "null");
		return;
	}
	itr_buf_putc(b, '[');
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			itr_buf_puts(b, ", ");
		itr_json_string(b, itr_model_elem_id(m, l->v[i]));
	}
	itr_buf_putc(b, ']');
}

static void json_finding(itr_buf *b, const itr_model *m, const itr_finding *f,
			 const itr_finding *from)
{
	char fp[ITR_FP_LEN + 1];

	itr_finding_fingerprint(fp, f);
	itr_buf_puts(b, "    {\"rule\": ");
	itr_json_string(b, f->rule);
	itr_buf_printf(b, ", \"severity\": \"%s\", ", itr_severity_name(f->severity));
	if (from)
		itr_buf_printf(b, "\"previous_severity\": \"%s\", ", itr_severity_name(from->severity));
	itr_buf_puts(b, "\"subject\": ");
	itr_json_string(b, f->subject);
	itr_buf_puts(b, ", \"key\": ");
	itr_json_string(b, f->key);
	itr_buf_printf(b, ", \"fingerprint\": \"%s\",\n     \"message\": ", fp);
	itr_json_string(b, f->message);
	itr_buf_puts(b, ",\n     \"file\": ");
	itr_json_string(b, f->loc.file);
	itr_buf_printf(b, ", \"line\": %ld, \"impacts\": ", f->loc.line);
	json_ids(b, m, &f->impacts);
	itr_buf_putc(b, '}');
}

static void json_list(itr_buf *b, const char *name, const itr_model *m, const itr_finding **v,
		      const itr_finding **from, size_t n)
{
	itr_buf_printf(b, "  \"%s\": [", name);
	for (size_t i = 0; i < n; i++) {
		itr_buf_puts(b, i ? ",\n" : "\n");
		json_finding(b, m, v[i], from ? from[i] : NULL);
	}
	itr_buf_puts(b, n ? "\n  ],\n" : "],\n");
}

static void json_score(itr_buf *b, double score)
{
	if (score < 0)
		itr_buf_puts(b, "null");
	else
		itr_json_number(b, score);
}

static void json_vendor(itr_buf *b, const itr_diff *d, const itr_vendor_change *c)
{
	itr_buf_puts(b, "    {\"id\": ");
	itr_json_string(b, c->id);
	itr_buf_printf(b, ", \"status\": \"%s\",\n     \"annual_cost\": {\"base\": ",
		       !c->base ? "added" : !c->head ? "removed" : "changed");
	if (c->base)
		itr_json_number(b, c->base_cost);
	else
		itr_buf_puts(b, "null");
	itr_buf_puts(b, ", \"head\": ");
	if (c->head)
		itr_json_number(b, c->head_cost);
	else
		itr_buf_puts(b, "null");
	itr_buf_puts(b, "},\n     \"score\": {\"base\": ");
	json_score(b, c->base ? c->base_score : -1);
	itr_buf_puts(b, ", \"head\": ");
	json_score(b, c->head ? c->head_score : -1);
	itr_buf_puts(b, "},\n     \"impacts\": {\"base\": ");
	json_ids(b, d->base ? d->base->model : NULL, c->base ? c->base_impacts : NULL);
	itr_buf_puts(b, ", \"head\": ");
	json_ids(b, d->head->model, c->head ? c->head_impacts : NULL);
	itr_buf_puts(b, "}}");
}

void itr_report_diff_json(itr_buf *b, const itr_diff *d, const char *base_path,
			  const char *head_path)
{
	char date[11];

	itr_date_format(d->head->as_of, date);
	itr_buf_printf(b, "{\n  \"tool\": {\"name\": \"itorisk\", \"version\": \"" ITR_VERSION
			  "\"},\n  \"as_of\": \"%s\",\n  \"base\": {\"path\": ",
		       date);
	itr_json_string(b, base_path);
	itr_buf_printf(b, ", \"loaded\": %s},\n  \"head\": {\"path\": ", d->base ? "true" : "false");
	itr_json_string(b, head_path);
	itr_buf_puts(b, "},\n  \"summary\": {\"added\": {");
	for (int s = ITR_SEV_COUNT - 1; s >= 0; s--)
		itr_buf_printf(b, "\"%s\": %zu%s", itr_severity_name((itr_severity)s),
			       d->added_count[s], s ? ", " : "");
	itr_buf_printf(b, "}, \"added_total\": %zu, \"resolved\": %zu, \"changed\": %zu, "
			  "\"vendors_changed\": %zu},\n",
		       d->nadded, d->nresolved, d->nchanged, d->nvendors);
	json_list(b, "added", d->head->model, d->added, NULL, d->nadded);
	json_list(b, "resolved", d->base ? d->base->model : d->head->model, d->resolved, NULL,
		  d->nresolved);
	json_list(b, "changed", d->head->model, d->changed, d->changed_from, d->nchanged);
	itr_buf_puts(b, "  \"vendors\": [");
	for (size_t i = 0; i < d->nvendors; i++) {
		itr_buf_puts(b, i ? ",\n" : "\n");
		json_vendor(b, d, &d->vendors[i]);
	}
	itr_buf_puts(b, d->nvendors ? "\n  ]\n}\n" : "]\n}\n");
}
