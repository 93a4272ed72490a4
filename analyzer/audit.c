/* Running the analyses and turning their results into findings. */
#include "itorisk/audit.h"

#include <stdlib.h>
#include <string.h>

static itr_finding *add_finding(itr_audit *a, const char *rule, itr_severity sev,
				const char *subject, itr_loc loc, itr_buf *msg)
{
	itr_finding *f;

	ITR_GROW(a->findings, a->cap_findings, a->nfindings + 1);
	f = &a->findings[a->nfindings++];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = sev;
	f->subject = subject;
	f->loc = loc;
	f->message = itr_buf_detach(msg);
	f->key = itr_xstrdup(subject);
	a->count[sev]++;
	return f;
}

/* "a, b and 3 more" keeps a message readable; the full list is in `impacts`. */
static void put_id_list(itr_buf *b, const itr_model *m, const itr_idlist *l)
{
	const size_t show = 5;

	for (size_t i = 0; i < l->n && i < show; i++)
		itr_buf_printf(b, "%s'%s'", i ? ", " : "", itr_model_elem_id(m, l->v[i]));
	if (l->n > show)
		itr_buf_printf(b, " and %zu more", l->n - show);
}

static bool any_critical(const itr_model *m, const itr_idlist *services)
{
	for (size_t i = 0; i < services->n; i++)
		if (itr_model_elem_service(m, services->v[i])->criticality == ITR_CRIT_CRITICAL)
			return true;
	return false;
}

static void copy_list(itr_idlist *to, const itr_idlist *from)
{
	for (size_t i = 0; i < from->n; i++)
		itr_idlist_push(to, from->v[i]);
}

/* A vendor reached only through relies-on, with no contract of its own. */
static bool is_fourth_party(const itr_model *m, size_t vendor_index, const bool *has_contract,
			    const bool *relied_on)
{
	return !has_contract[vendor_index] && relied_on[vendor_index] &&
	       m->vendors[vendor_index].kind == ITR_VENDOR_EXTERNAL;
}

/* spof.vendor and spof.service: an element whose failure alone stops
 * critical or important services. */
static void spof_findings(itr_audit *a)
{
	const itr_model *m = a->model;
	bool *has_contract = itr_xcalloc(m->nvendors + 1, sizeof(bool));
	bool *relied_on = itr_xcalloc(m->nvendors + 1, sizeof(bool));

	for (size_t i = 0; i < m->ncontracts; i++)
		if (m->contracts[i].vendor.target != ITR_NONE)
			has_contract[m->elems[m->contracts[i].vendor.target].index] = true;
	for (size_t i = 0; i < m->nvendors; i++)
		for (size_t k = 0; k < m->vendors[i].nrelies; k++)
			relied_on[m->elems[m->vendors[i].relies_on[k].target].index] = true;

	for (size_t e = 0; e < m->nelems; e++) {
		const itr_idlist *imp = &a->spof.impacts[e];
		const itr_vendor *v = itr_model_elem_vendor(m, e);
		const itr_service *s = itr_model_elem_service(m, e);
		itr_severity sev = any_critical(m, imp) ? ITR_SEV_CRITICAL : ITR_SEV_HIGH;
		itr_buf msg = ITR_BUF_INIT;
		itr_finding *f;

		if (imp->n == 0 || (s && !s->provider.id))
			continue; /* in-house services are in `essential`, not findings */
		if (v) {
			itr_buf_printf(&msg, "%s '%s' alone can stop %zu critical or important service%s: ",
				       is_fourth_party(m, m->elems[e].index, has_contract, relied_on)
					       ? "fourth party (no contract of its own)"
					       : v->kind == ITR_VENDOR_SUBSIDIARY ? "IT subsidiary"
										   : "vendor",
				       v->id, imp->n, imp->n == 1 ? "" : "s");
			put_id_list(&msg, m, imp);
			f = add_finding(a, "spof.vendor", sev, v->id, v->loc, &msg);
		} else {
			itr_buf_printf(&msg,
				       "outsourced service '%s' (provider '%s') alone can stop %zu critical or important service%s: ",
				       s->id, s->provider.id, imp->n, imp->n == 1 ? "" : "s");
			put_id_list(&msg, m, imp);
			f = add_finding(a, "spof.service", sev, s->id, s->loc, &msg);
		}
		copy_list(&f->impacts, imp);
	}
	free(has_contract);
	free(relied_on);
}

/* redundancy.shared: a needs-any group that one element's failure defeats. */
static void redundancy_findings(itr_audit *a)
{
	const itr_model *m = a->model;

	for (size_t g = 0; g < a->net.ngroups; g++) {
		const itr_fail_group *grp = &a->net.groups[g];
		const itr_idlist *def = &a->spof.defeaters[g];
		const itr_service *s = itr_model_elem_service(m, grp->service);
		const itr_group *mg = &s->groups[grp->index];
		itr_buf msg = ITR_BUF_INIT, key = ITR_BUF_INIT;
		itr_finding *f;
		bool tracked = s->criticality <= ITR_CRIT_IMPORTANT;

		if (def->n == 0)
			continue;
		itr_buf_printf(&msg, "redundancy of '%s' (%lu of %zu: ", s->id, mg->min, mg->nopts);
		for (size_t k = 0; k < mg->nopts; k++)
			itr_buf_printf(&msg, "%s'%s'", k ? ", " : "", mg->options[k].id);
		itr_buf_puts(&msg, ") is defeated by the failure of ");
		put_id_list(&msg, m, def);
		itr_buf_puts(&msg, def->n == 1 ? " alone" : ", each alone");
		f = add_finding(a, "redundancy.shared", tracked ? ITR_SEV_HIGH : ITR_SEV_MEDIUM, s->id,
				grp->loc, &msg);
		if (tracked)
			itr_idlist_push(&f->impacts, grp->service);
		itr_buf_printf(&key, "%s/needs-any[%zu]", s->id, grp->index);
		free(f->key);
		f->key = itr_buf_detach(&key);
	}
}

static void spend(itr_audit *a)
{
	const itr_model *m = a->model;

	a->vendor_spend = itr_xcalloc(m->nvendors + 1, sizeof(double));
	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *c = &m->contracts[i];

		if (c->annual_cost > 0 && c->vendor.target != ITR_NONE) {
			a->vendor_spend[m->elems[c->vendor.target].index] += c->annual_cost;
			a->total_spend += c->annual_cost;
		}
	}
}

static int cmp_finding(const void *pa, const void *pb)
{
	const itr_finding *x = pa, *y = pb;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if ((c = strcmp(x->rule, y->rule)) != 0)
		return c;
	if ((c = strcmp(x->subject, y->subject)) != 0)
		return c;
	if ((c = strcmp(x->loc.file, y->loc.file)) != 0)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	return strcmp(x->message, y->message);
}

int itr_audit_run(itr_audit *a, const itr_model *m, itr_date as_of)
{
	memset(a, 0, sizeof(*a));
	a->model = m;
	a->as_of = as_of;
	itr_failnet_build(&a->net, m);
	itr_spof_compute(&a->spof, m, &a->net);
	spend(a);
	if (itr_structure_compute(&a->structure, m) != 0 ||
	    itr_centrality_compute(&a->centrality, m) != 0)
		return -1;
	spof_findings(a);
	redundancy_findings(a);
	if (a->nfindings > 1)
		qsort(a->findings, a->nfindings, sizeof(*a->findings), cmp_finding);
	return 0;
}

void itr_audit_release(itr_audit *a)
{
	for (size_t i = 0; i < a->nfindings; i++) {
		free(a->findings[i].message);
		free(a->findings[i].key);
		itr_idlist_release(&a->findings[i].impacts);
	}
	free(a->findings);
	free(a->vendor_spend);
	itr_centrality_release(&a->centrality);
	itr_structure_release(&a->structure);
	itr_spof_release(&a->spof);
	itr_failnet_release(&a->net);
	memset(a, 0, sizeof(*a));
}

int itr_audit_max_severity(const itr_audit *a)
{
	for (int s = ITR_SEV_COUNT - 1; s >= 0; s--)
		if (a->count[s])
			return s;
	return -1;
}
