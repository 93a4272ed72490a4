/*
 * The difference between the findings of two audits (a pull request's base
 * and head), matched by fingerprint, and between their vendors' figures,
 * matched by id.
 */
#include "itorisk/gate.h"

#include <stdlib.h>
#include <string.h>

typedef struct fp_ref {
	char fp[ITR_FP_LEN + 1];
	const itr_finding *f;
} fp_ref;

static int cmp_fp_ref(const void *pa, const void *pb)
{
	return strcmp(((const fp_ref *)pa)->fp, ((const fp_ref *)pb)->fp);
}

/* The findings of an audit with their fingerprints, sorted by fingerprint. */
static fp_ref *index_findings(const itr_audit *a)
{
	size_t n = a ? a->nfindings : 0;
	fp_ref *v = itr_xcalloc(n + 1, sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		v[i].f = &a->findings[i];
		itr_finding_fingerprint(v[i].fp, v[i].f);
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_fp_ref);
	return v;
}

static const itr_finding *lookup(const fp_ref *v, size_t n, const itr_finding *f)
{
	fp_ref key;
	const fp_ref *hit;

	itr_finding_fingerprint(key.fp, f);
	hit = n ? bsearch(&key, v, n, sizeof(*v), cmp_fp_ref) : NULL;
	return hit ? hit->f : NULL;
}

static bool same_list(const itr_model *ma, const itr_idlist *a, const itr_model *mb,
		      const itr_idlist *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(itr_model_elem_id(ma, a->v[i]), itr_model_elem_id(mb, b->v[i])) != 0)
			return false;
	return true;
}

/* Figures an audit may not have computed (an analysis not run) read as absent. */
static double spend_of(const itr_audit *a, size_t vendor)
{
	return a->vendor_spend ? a->vendor_spend[vendor] : 0;
}

static double score_of(const itr_audit *a, size_t vendor)
{
	return a->scores ? a->scores[vendor].score : -1;
}

static void add_vendor(itr_diff *d, size_t *cap, const itr_audit *base, size_t bi,
		       const itr_audit *head, size_t hi)
{
	itr_vendor_change c = {0};

	c.base_score = c.head_score = -1;
	if (base && bi != ITR_NONE) {
		c.base = &base->model->vendors[bi];
		c.base_cost = spend_of(base, bi);
		c.base_score = score_of(base, bi);
		c.base_impacts = &base->spof.impacts[c.base->elem];
		c.id = c.base->id;
	}
	if (hi != ITR_NONE) {
		c.head = &head->model->vendors[hi];
		c.head_cost = spend_of(head, hi);
		c.head_score = score_of(head, hi);
		c.head_impacts = &head->spof.impacts[c.head->elem];
		c.id = c.head->id;
	}
	if (c.base && c.head && c.base_cost == c.head_cost && c.base_score == c.head_score &&
	    same_list(base->model, c.base_impacts, head->model, c.head_impacts))
		return; /* unchanged */
	ITR_GROW(d->vendors, *cap, d->nvendors + 1);
	d->vendors[d->nvendors++] = c;
}

/* Both vendor arrays are sorted by id (model.h): merge them. O(Vb + Vh). */
static void vendor_changes(itr_diff *d, const itr_audit *base, const itr_audit *head)
{
	const itr_model *mh = head->model, *mb = base ? base->model : NULL;
	size_t i = 0, j = 0, cap = 0, nb = mb ? mb->nvendors : 0;

	while (i < nb || j < mh->nvendors) {
		int c = i >= nb ? 1 : j >= mh->nvendors ? -1
							: strcmp(mb->vendors[i].id, mh->vendors[j].id);

		if (c < 0)
			add_vendor(d, &cap, base, i++, head, ITR_NONE);
		else if (c > 0)
			add_vendor(d, &cap, base, ITR_NONE, head, j++);
		else
			add_vendor(d, &cap, base, i++, head, j++);
	}
}

void itr_diff_compute(itr_diff *d, const itr_audit *base, const itr_audit *head)
{
	fp_ref *bi = index_findings(base), *hi = index_findings(head);
	size_t nb = base ? base->nfindings : 0;

	memset(d, 0, sizeof(*d));
	d->base = base;
	d->head = head;
	d->added = itr_xcalloc(head->nfindings + 1, sizeof(*d->added));
	d->changed = itr_xcalloc(head->nfindings + 1, sizeof(*d->changed));
	d->changed_from = itr_xcalloc(head->nfindings + 1, sizeof(*d->changed_from));
	d->resolved = itr_xcalloc(nb + 1, sizeof(*d->resolved));
	/* walk in report order (severity, rule, subject) so the lists read like an audit */
	for (size_t i = 0; i < head->nfindings; i++) {
		const itr_finding *f = &head->findings[i];
		const itr_finding *was = lookup(bi, nb, f);

		if (!was) {
			d->added[d->nadded++] = f;
			d->added_count[f->severity]++;
		} else if (was->severity != f->severity) {
			d->changed_from[d->nchanged] = was;
			d->changed[d->nchanged++] = f;
		}
	}
	for (size_t i = 0; i < nb; i++)
		if (!lookup(hi, head->nfindings, &base->findings[i]))
			d->resolved[d->nresolved++] = &base->findings[i];
	vendor_changes(d, base, head);
	free(bi);
	free(hi);
}

void itr_diff_release(itr_diff *d)
{
	free(d->added);
	free(d->resolved);
	free(d->changed);
	free(d->changed_from);
	free(d->vendors);
	memset(d, 0, sizeof(*d));
}

int itr_diff_max_added(const itr_diff *d)
{
	for (int s = ITR_SEV_COUNT - 1; s >= 0; s--)
		if (d->added_count[s])
			return s;
	return -1;
}
