/*
 * Security (SPEC §3): where personal, confidential and restricted data goes.
 *
 *   data.location       sensitive data kept in, or a service handling it
 *                       delivered from, a country the policy does not allow;
 *   data.certification  a vendor holding sensitive data without a valid
 *                       certification the policy requires;
 *   data.subcontracting a contract forbidding subcontracting over sensitive
 *                       data while its vendor relies on fourth parties.
 *
 * "Sensitive" means personal (checked against the policy's personal list) or
 * classified confidential or restricted (checked against its confidential
 * list); an entry that is both must pass both lists. Countries are compared
 * as exact ISO codes; "home" in a list is the portfolio's home country.
 */
#include "analyses.h"

#include <stdlib.h>
#include <string.h>

/* What a set of data entries holds: personal data, and the highest class. */
typedef struct sens {
	bool personal;
	itr_class cls;
} sens;

/* The lists a country breaks, as bits. */
enum { BREAKS_PERSONAL = 1, BREAKS_CONFIDENTIAL = 2 };

static void sens_add(sens *s, const itr_data *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s->personal |= d[i].personal == 1;
		if (d[i].classification > s->cls)
			s->cls = d[i].classification;
	}
}

static bool sens_any(const sens *s)
{
	return s->personal || s->cls >= ITR_CLASS_CONFIDENTIAL;
}

static void sens_merge(sens *into, const sens *s)
{
	into->personal |= s->personal;
	if (s->cls > into->cls)
		into->cls = s->cls;
}

/* A service's own data and its covering contract's. O(entries). */
static sens service_sens(const itr_model *m, const itr_service *s)
{
	const itr_contract *c = itr_service_contract(m, s);
	sens r = {false, ITR_CLASS_PUBLIC};

	sens_add(&r, s->data, s->ndata);
	if (c)
		sens_add(&r, c->data, c->ndata);
	return r;
}

/* "restricted personal data", "confidential data", "personal data". */
static void put_sens(itr_buf *b, const sens *s)
{
	if (s->cls == ITR_CLASS_RESTRICTED)
		itr_buf_puts(b, "restricted ");
	else if (s->cls == ITR_CLASS_CONFIDENTIAL)
		itr_buf_puts(b, "confidential ");
	itr_buf_puts(b, s->personal ? "personal data" : "data");
}

/*
 * The lists each country is missing from, asked of the policy once per
 * country: its lists run to dozens of entries and every sensitive data
 * entry asks, while a portfolio names a few dozen countries. Open
 * addressing on the country's bytes, kept at most half full.
 */
typedef struct verdicts {
	struct verdict {
		const char *country; /* NULL: a free slot */
		unsigned bits;       /* BREAKS_* for both lists */
	} *slot;
	size_t mask, n;
} verdicts;

static void verdicts_init(verdicts *vs)
{
	vs->mask = 63;
	vs->n = 0;
	vs->slot = itr_xcalloc(vs->mask + 1, sizeof(*vs->slot));
}

static void verdicts_release(verdicts *vs)
{
	free(vs->slot);
	memset(vs, 0, sizeof(*vs));
}

static size_t country_hash(const char *c)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	return h;
}

static struct verdict *verdict_slot(struct verdict *slot, size_t mask, const char *country)
{
	size_t i = country_hash(country) & mask;

	while (slot[i].country && slot[i].country != country &&
	       strcmp(slot[i].country, country) != 0)
		i = (i + 1) & mask;
	return &slot[i];
}

/* Which of the policy's lists `country` is missing from, for data like s. */
static unsigned breaks(const itr_audit *a, verdicts *vs, const sens *s, const char *country)
{
	struct verdict *v = verdict_slot(vs->slot, vs->mask, country);
	unsigned want = (s->personal ? BREAKS_PERSONAL : 0) |
			(s->cls >= ITR_CLASS_CONFIDENTIAL ? BREAKS_CONFIDENTIAL : 0);

	if (!v->country) {
		const char *home = a->model->home_country.value;

		v->country = country;
		v->bits = (itr_riskmodel_allows(a->risk, true, country, home) ? 0 : BREAKS_PERSONAL) |
			  (itr_riskmodel_allows(a->risk, false, country, home) ? 0 : BREAKS_CONFIDENTIAL);
		if (++vs->n * 2 > vs->mask) {
			unsigned bits = v->bits;
			size_t mask = vs->mask * 2 + 1;
			struct verdict *slot = itr_xcalloc(mask + 1, sizeof(*slot));

			for (size_t i = 0; i <= vs->mask; i++)
				if (vs->slot[i].country)
					*verdict_slot(slot, mask, vs->slot[i].country) = vs->slot[i];
			free(vs->slot);
			vs->slot = slot;
			vs->mask = mask;
			return bits & want;
		}
	}
	return v->bits & want;
}

static const char *breaks_text(unsigned bits)
{
	if (bits == (BREAKS_PERSONAL | BREAKS_CONFIDENTIAL))
		return "personal or confidential data";
	return bits == BREAKS_PERSONAL ? "personal data" : "confidential data";
}

/*
 * data.location. (a) Each sensitive data entry of a contract: its location,
 * else the vendor's country (skipped when neither is known). (b) Each service
 * handling sensitive data (its own entries or its contract's) delivered from a
 * country outside the lists. (c) A service's own entry giving a location
 * other than the service's delivered-from (the same country is (b) already).
 * O(C + S + D) for D data entries, plus the policy's list lengths once per
 * country named.
 */
static void location_findings(itr_audit *a)
{
	const itr_model *m = a->model;
	itr_buf key = ITR_BUF_INIT, what = ITR_BUF_INIT; /* emptied, not freed, per finding */
	verdicts vs;

	verdicts_init(&vs);
	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *c = &m->contracts[i];
		const itr_vendor *v = c->vendor.target != ITR_NONE
					  ? itr_model_elem_vendor(m, c->vendor.target)
					  : NULL;

		for (size_t k = 0; k < c->ndata; k++) {
			const itr_data *d = &c->data[k];
			sens s = {false, ITR_CLASS_PUBLIC};
			const char *country = d->location ? d->location : v ? v->country : NULL;
			unsigned bits;

			sens_add(&s, d, 1);
			if (!sens_any(&s) || !country)
				continue;
			bits = breaks(a, &vs, &s, country);
			if (!bits)
				continue;
			key.len = what.len = 0;
			itr_buf_printf(&key, "%s/data[%zu]", c->id, k);
			put_sens(&what, &s);
			itr_audit_add(a, "data.location", 0, c->id, key.s, d->loc,
				      "contract '%s' puts %s in '%s'%s, which the policy does not "
				      "allow for %s",
				      c->id, what.s, country,
				      d->location ? ""
						  : " (no location given: the vendor's country)",
				      breaks_text(bits));
		}
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *sv = &m->services[i];
		sens s = service_sens(m, sv);
		unsigned bits;

		if (sv->delivered_from && sens_any(&s)) {
			bits = breaks(a, &vs, &s, sv->delivered_from);
			if (bits) {
				key.len = what.len = 0;
				itr_buf_printf(&key, "%s/delivered-from", sv->id);
				put_sens(&what, &s);
				itr_audit_add(a, "data.location", 0, sv->id, key.s, sv->loc,
					      "service '%s' handles %s and is delivered from '%s', "
					      "which the policy does not allow for %s",
					      sv->id, what.s, sv->delivered_from,
					      breaks_text(bits));
			}
		}
		for (size_t k = 0; k < sv->ndata; k++) {
			const itr_data *d = &sv->data[k];
			sens e = {false, ITR_CLASS_PUBLIC};

			sens_add(&e, d, 1);
			if (!d->location || !sens_any(&e) ||
			    (sv->delivered_from && strcmp(d->location, sv->delivered_from) == 0))
				continue;
			bits = breaks(a, &vs, &e, d->location);
			if (!bits)
				continue;
			key.len = what.len = 0;
			itr_buf_printf(&key, "%s/data[%zu]", sv->id, k);
			put_sens(&what, &e);
			itr_audit_add(
			    a, "data.location", 0, sv->id, key.s, d->loc,
			    "service '%s' keeps %s in '%s', which the policy does not allow for %s",
			    sv->id, what.s, d->location, breaks_text(bits));
		}
	}
	itr_buf_release(&key);
	itr_buf_release(&what);
	verdicts_release(&vs);
}

/* What a vendor holds, and the first contract or service that says so. */
typedef struct holding {
	sens s;
	const char *via; /* contract or service id, NULL when it holds nothing */
	bool via_contract;
} holding;

static void hold(holding *h, const sens *s, const char *via, bool via_contract)
{
	if (!sens_any(s))
		return;
	sens_merge(&h->s, s);
	if (!h->via) {
		h->via = via;
		h->via_contract = via_contract;
	}
}

/*
 * data.certification. A vendor holds sensitive data when a contract of its
 * has sensitive entries, or it provides a service handling sensitive data
 * (with or without a contract: shadow outsourcing holds data too). For each
 * certification the policy requires: valid when an entry of that exact name
 * has no expiry or expires on or after the as-of date; otherwise one finding,
 * "expired on" the latest expiry, or "no" certification at all.
 * O(C + S + D + V * K * Q) for K certifications per vendor, Q required.
 */
static void certification_findings(itr_audit *a)
{
	const itr_model *m = a->model;
	const itr_riskmodel *rm = a->risk;
	holding *h = itr_xcalloc(m->nvendors + 1, sizeof(*h));
	itr_buf key = ITR_BUF_INIT, what = ITR_BUF_INIT; /* emptied, not freed, per finding */

	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *c = &m->contracts[i];
		sens s = {false, ITR_CLASS_PUBLIC};

		if (c->vendor.target == ITR_NONE)
			continue;
		sens_add(&s, c->data, c->ndata);
		hold(&h[m->elems[c->vendor.target].index], &s, c->id, true);
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *sv = &m->services[i];
		sens s;

		if (!sv->provider.id || sv->provider.target == ITR_NONE)
			continue;
		s = service_sens(m, sv);
		hold(&h[m->elems[sv->provider.target].index], &s, sv->id, false);
	}
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];

		if (!h[i].via)
			continue;
		for (size_t q = 0; q < rm->nrequired; q++) {
			const char *name = rm->required_certs[q];
			bool found = false, valid = false;
			itr_date latest = ITR_DATE_NONE;
			char date[11];

			for (size_t k = 0; k < v->ncerts && !valid; k++) {
				const itr_cert *ct = &v->certs[k];

				if (strcmp(ct->name, name) != 0)
					continue;
				found = true;
				if (ct->expires == ITR_DATE_NONE || a->as_of == ITR_DATE_NONE ||
				    ct->expires >= a->as_of)
					valid = true;
				else if (ct->expires > latest)
					latest = ct->expires;
			}
			if (valid)
				continue;
			key.len = what.len = 0;
			itr_buf_printf(&key, "%s/%s", v->id, name);
			put_sens(&what, &h[i].s);
			if (found) {
				itr_date_format(latest, date);
				itr_audit_add(a, "data.certification", 0, v->id, key.s, v->loc,
					      "vendor '%s' holds %s (%s '%s') but its '%s' "
					      "certification expired on %s",
					      v->id, what.s,
					      h[i].via_contract ? "contract" : "service", h[i].via,
					      name, date);
			} else {
				itr_audit_add(
				    a, "data.certification", 0, v->id, key.s, v->loc,
				    "vendor '%s' holds %s (%s '%s') but has no '%s' certification",
				    v->id, what.s, h[i].via_contract ? "contract" : "service",
				    h[i].via, name);
			}
		}
	}
	itr_buf_release(&key);
	itr_buf_release(&what);
	free(h);
}

/*
 * The vendors `vendor` (an element number) relies on, directly and through
 * relies-on chains, itself excluded: element numbers, each list sorted.
 * `seen` is a per-vendor stamp array; `stamp` must differ from every earlier
 * call's. O(V' + R') for the vendors and links reached.
 */
static void fourth_parties(const itr_model *m, size_t vendor, size_t *seen, size_t stamp,
			   itr_idlist *direct, itr_idlist *indirect)
{
	itr_idlist queue = {0};

	seen[m->elems[vendor].index] = stamp;
	itr_idlist_push(&queue, vendor);
	for (size_t head = 0; head < queue.n; head++) {
		const itr_vendor *v = itr_model_elem_vendor(m, queue.v[head]);

		for (size_t k = 0; k < v->nrelies; k++) {
			size_t t = v->relies_on[k].target;

			if (t == ITR_NONE || seen[m->elems[t].index] == stamp)
				continue;
			seen[m->elems[t].index] = stamp;
			itr_idlist_push(&queue, t);
			itr_idlist_push(head == 0 ? direct : indirect, t);
		}
	}
	itr_idlist_sort(direct);
	itr_idlist_sort(indirect);
	itr_idlist_release(&queue);
}

/*
 * data.subcontracting: a contract with subcontracting allowed="no" covering
 * sensitive data (its own entries, or a covered service's) whose vendor
 * relies on other vendors. Names the direct fourth parties and those reached
 * through them. O(C + covers + D), plus O(V + R) for each such contract.
 */
static void subcontracting_findings(itr_audit *a)
{
	const itr_model *m = a->model;
	size_t *seen = itr_xcalloc(m->nvendors + 1, sizeof(size_t));

	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *c = &m->contracts[i];
		sens s = {false, ITR_CLASS_PUBLIC};
		itr_idlist direct = {0}, indirect = {0};
		itr_buf what = ITR_BUF_INIT, list = ITR_BUF_INIT;

		if (c->subcontracting != ITR_SUBCON_NO || c->vendor.target == ITR_NONE ||
		    itr_model_elem_vendor(m, c->vendor.target)->nrelies == 0)
			continue;
		sens_add(&s, c->data, c->ndata);
		for (size_t k = 0; k < c->ncovers; k++) {
			size_t t = c->covers[k].target;
			const itr_service *sv = t != ITR_NONE ? itr_model_elem_service(m, t) : NULL;

			if (sv)
				sens_add(&s, sv->data, sv->ndata);
		}
		if (!sens_any(&s))
			continue;
		fourth_parties(m, c->vendor.target, seen, i + 1, &direct, &indirect);
		if (direct.n > 0) {
			put_sens(&what, &s);
			itr_put_id_list(&list, m, &direct);
			if (indirect.n > 0) {
				itr_buf_printf(&list, " and, through %s, on ",
					       direct.n == 1 ? "it" : "them");
				itr_put_id_list(&list, m, &indirect);
			}
			itr_audit_add(a, "data.subcontracting", 0, c->id, NULL, c->loc,
				      "contract '%s' covers %s and forbids subcontracting, yet "
				      "vendor '%s' relies on %s",
				      c->id, what.s, c->vendor.id, list.s);
		}
		itr_buf_release(&what);
		itr_buf_release(&list);
		itr_idlist_release(&direct);
		itr_idlist_release(&indirect);
	}
	free(seen);
}

/*
 * O(V + S + C + D + V * K * Q), plus the policy's country lists once per
 * country named, plus a relies-on walk (O(V + R)) per contract forbidding
 * subcontracting over sensitive data whose vendor relies on another.
 */
void itr_analyse_security(itr_audit *a)
{
	location_findings(a);
	certification_findings(a);
	subcontracting_findings(a);
}
