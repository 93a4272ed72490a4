/*
 * Knowledge and lock-in (SPEC §3).
 *
 *   knowledge.gap  a critical or important service under total outsourcing
 *                  with no internal owner: the vendor may not understand the
 *                  business, and no one inside can steer it;
 *   lockin         a contract whose exit rates substitutability hard or
 *                  impossible while the sourcing is not co-sourcing, so no
 *                  internal team keeps the knowledge to take the work back.
 *
 * Both fill the finding's impacts with the critical and important services
 * concerned. O(S + C + covers log covers).
 */
#include "analyses.h"

static const char *sourcing_name(itr_sourcing s)
{
	static const char *const names[] = {"total", "selective", "co-sourcing"};

	return names[s];
}

/* knowledge.gap: one finding per service, at the service. O(S). */
static void gap_findings(itr_audit *a)
{
	const itr_model *m = a->model;

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		const itr_contract *c = itr_service_contract(m, s);
		itr_finding *f;

		if (!itr_is_tracked(s) || !c || c->sourcing != ITR_SOURCING_TOTAL ||
		    (s->owner && s->owner[0]))
			continue;
		f = itr_audit_add(a, "knowledge.gap", 0, s->id, NULL, s->loc,
				  "%s service '%s' is totally outsourced to '%s' (contract '%s') "
				  "and has no internal owner",
				  itr_criticality_name(s->criticality), s->id, c->vendor.id, c->id);
		itr_idlist_push(&f->impacts, s->elem);
	}
}

/* lockin: one finding per contract, at its exit element; one step less
 * severe when the contract covers no critical or important service.
 * O(C + covers log covers). */
static void lockin_findings(itr_audit *a)
{
	const itr_model *m = a->model;

	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *c = &m->contracts[i];
		itr_idlist tracked = {0};
		itr_finding *f;

		if (!c->exit.present || c->sourcing == ITR_SOURCING_CO ||
		    (c->exit.substitutability != ITR_SUBST_HARD &&
		     c->exit.substitutability != ITR_SUBST_IMPOSSIBLE))
			continue;
		for (size_t k = 0; k < c->ncovers; k++) {
			size_t t = c->covers[k].target;
			const itr_service *s = t != ITR_NONE ? itr_model_elem_service(m, t) : NULL;

			if (s && itr_is_tracked(s))
				itr_idlist_push(&tracked, s->elem);
		}
		itr_idlist_sort(&tracked);
		f = itr_audit_add(a, "lockin", tracked.n ? 0 : 1, c->id, NULL, c->exit.loc,
				  "vendor '%s' is %s to substitute under contract '%s' (%s "
				  "sourcing) and no co-sourcing keeps the knowledge in house",
				  c->vendor.id,
				  c->exit.substitutability == ITR_SUBST_HARD ? "hard"
									     : "impossible",
				  c->id, sourcing_name(c->sourcing));
		for (size_t k = 0; k < tracked.n; k++)
			itr_idlist_push(&f->impacts, tracked.v[k]);
		itr_idlist_release(&tracked);
	}
}

/* O(S + C + covers log covers). */
void itr_analyse_knowledge(itr_audit *a)
{
	gap_findings(a);
	lockin_findings(a);
}
