#include "itorisk/failnet.h"

#include <stdlib.h>
#include <string.h>

/* Count (pass 0) or store (pass 1) the links; keeps both passes in one place. */
static void put(itr_failnet *net, size_t *fill, int pass, size_t from, size_t to, size_t group)
{
	if (pass == 0)
		net->start[from + 1]++;
	else
		net->link[fill[from]++] = (itr_fail_link){to, group};
}

static void add_links(itr_failnet *net, const itr_model *m, size_t *fill, int pass)
{
	size_t g = 0;

	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];

		if (v->parent.target != ITR_NONE)
			put(net, fill, pass, v->parent.target, v->elem, ITR_NONE);
		for (size_t k = 0; k < v->nrelies; k++)
			put(net, fill, pass, v->relies_on[k].target, v->elem, ITR_NONE);
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (s->provider.target != ITR_NONE)
			put(net, fill, pass, s->provider.target, s->elem, ITR_NONE);
		for (size_t k = 0; k < s->nneeds; k++)
			put(net, fill, pass, s->needs[k].target, s->elem, ITR_NONE);
		for (size_t j = 0; j < s->ngroups; j++, g++) {
			const itr_group *gr = &s->groups[j];

			if (pass == 1)
				net->groups[g] = (itr_fail_group){s->elem, j, gr->nopts, gr->min, gr->loc};
			for (size_t k = 0; k < gr->nopts; k++)
				put(net, fill, pass, gr->options[k].target, s->elem, g);
		}
	}
	net->ngroups = g;
}

void itr_failnet_build(itr_failnet *net, const itr_model *m)
{
	size_t *fill, ngroups = 0;

	net->n = m->nelems;
	net->start = itr_xcalloc(net->n + 1, sizeof(*net->start));
	for (size_t i = 0; i < m->nservices; i++)
		ngroups += m->services[i].ngroups;
	net->groups = itr_xcalloc(ngroups, sizeof(*net->groups));
	add_links(net, m, NULL, 0);
	for (size_t e = 0; e < net->n; e++)
		net->start[e + 1] += net->start[e];
	net->link = itr_xmalloc(net->start[net->n] * sizeof(*net->link));
	fill = itr_xmalloc((net->n + 1) * sizeof(*fill));
	memcpy(fill, net->start, (net->n + 1) * sizeof(*fill));
	add_links(net, m, fill, 1);
	free(fill);
	net->ostart = itr_xcalloc(net->n + 1, sizeof(*net->ostart));
	for (size_t e = 0; e < net->n; e++) {
		net->ostart[e + 1] = net->ostart[e];
		for (size_t k = net->start[e]; k < net->start[e + 1]; k++)
			net->ostart[e + 1] += net->link[k].group != ITR_NONE;
	}
	net->olink = itr_xmalloc((net->ostart[net->n] + 1) * sizeof(*net->olink));
	for (size_t e = 0, j = 0; e < net->n; e++)
		for (size_t k = net->start[e]; k < net->start[e + 1]; k++)
			if (net->link[k].group != ITR_NONE)
				net->olink[j++] = net->link[k];
}

void itr_failnet_release(itr_failnet *net)
{
	free(net->start);
	free(net->link);
	free(net->ostart);
	free(net->olink);
	free(net->groups);
	memset(net, 0, sizeof(*net));
}

void itr_failstate_init(itr_failstate *st, const itr_failnet *net)
{
	st->down = itr_xcalloc(net->n, 1);
	st->list = itr_xmalloc((net->n + 1) * sizeof(*st->list));
	st->nlist = 0;
	st->gdown = itr_xcalloc(net->ngroups + 1, sizeof(*st->gdown));
	for (size_t g = 0; g < net->ngroups; g++)
		st->gdown[g].fails_at = (uint32_t)(net->groups[g].nopts - net->groups[g].min + 1);
	st->gtouched = itr_xmalloc((net->ngroups + 1) * sizeof(*st->gtouched));
	st->ngtouched = 0;
	st->gfailed = itr_xmalloc((net->ngroups + 1) * sizeof(*st->gfailed));
	st->ngfailed = 0;
	/* each option link fires at most once per state */
	st->glog = itr_xmalloc((net->start[net->n] + 1) * sizeof(*st->glog));
	st->nglog = 0;
}

void itr_failstate_release(itr_failstate *st)
{
	free(st->down);
	free(st->list);
	free(st->gdown);
	free(st->gtouched);
	free(st->gfailed);
	free(st->glog);
	memset(st, 0, sizeof(*st));
}

static void mark(itr_failstate *st, size_t e)
{
	if (!st->down[e]) {
		st->down[e] = 1;
		st->list[st->nlist++] = e;
	}
}

/* One more option of a group is down; fail the group's service when that
 * takes the group past what it can lose. */
static void count_option(itr_failstate *st, const itr_fail_link *l)
{
	itr_fail_gcount *c = &st->gdown[l->group];

	st->glog[st->nglog++] = l->group;
	if (c->n++ == 0)
		st->gtouched[st->ngtouched++] = l->group;
	/* exactly when the count first exceeds nopts - min */
	if (c->n == c->fails_at) {
		st->gfailed[st->ngfailed++] = l->group;
		mark(st, l->target);
	}
}

/* Expand the queue from position `next` until nothing more goes down. */
static void propagate(itr_failstate *st, const itr_failnet *net, size_t next)
{
	/* st->list doubles as the work queue: everything before `next` has been expanded */
	for (; next < st->nlist; next++) {
		size_t e = st->list[next];

		for (size_t k = net->start[e]; k < net->start[e + 1]; k++) {
			const itr_fail_link *l = &net->link[k];

			if (l->group == ITR_NONE)
				mark(st, l->target);
			else
				count_option(st, l);
		}
	}
}

/* Forget the previous state, touching only what it touched. */
static void reset(itr_failstate *st)
{
	for (size_t i = 0; i < st->nlist; i++)
		st->down[st->list[i]] = 0;
	for (size_t i = 0; i < st->ngtouched; i++)
		st->gdown[st->gtouched[i]].n = 0;
	st->nlist = st->ngtouched = st->ngfailed = st->nglog = 0;
}

void itr_fail(itr_failstate *st, const itr_failnet *net, const size_t *failed, size_t nfailed)
{
	reset(st);

	for (size_t i = 0; i < nfailed; i++)
		mark(st, failed[i]);
	propagate(st, net, 0);
}

void itr_fail_more(itr_failstate *st, const itr_failnet *net, size_t failed)
{
	size_t next = st->nlist;

	mark(st, failed);
	propagate(st, net, next);
}

size_t itr_fail_union(itr_failstate *st, const itr_failnet *net, const uint32_t *known,
		      size_t nknown)
{
	size_t first = st->nlist, synergy;

	/* F(Y) is closed under hard links: its new members need marking only */
	for (size_t i = 0; i < nknown; i++)
		mark(st, known[i]);
	synergy = st->nlist;
	/* their option links count towards groups; a group both sets defeat
	 * together fails now, and what follows from it is new */
	for (size_t i = first; i < synergy; i++) {
		size_t e = st->list[i];

		for (size_t k = net->ostart[e]; k < net->ostart[e + 1]; k++)
			count_option(st, &net->olink[k]);
	}
	propagate(st, net, synergy);
	return synergy;
}

void itr_fail_known(itr_failstate *st, const itr_failnet *net, const uint32_t *known,
		    size_t nknown)
{
	reset(st);
	for (size_t i = 0; i < nknown; i++)
		mark(st, known[i]);
	/* closed: counting the options marks no one new, but fills the groups */
	for (size_t i = 0; i < nknown; i++)
		for (size_t k = net->ostart[known[i]]; k < net->ostart[known[i] + 1]; k++)
			count_option(st, &net->olink[k]);
}

itr_failmark itr_fail_mark(const itr_failstate *st)
{
	return (itr_failmark){st->nlist, st->nglog, st->ngfailed, st->ngtouched};
}

void itr_fail_undo(itr_failstate *st, itr_failmark m)
{
	while (st->nlist > m.nlist)
		st->down[st->list[--st->nlist]] = 0;
	while (st->nglog > m.nglog)
		st->gdown[st->glog[--st->nglog]].n--;
	/* groups first touched after the mark are back at 0 */
	st->ngtouched = m.ngtouched;
	st->ngfailed = m.ngfailed;
}
