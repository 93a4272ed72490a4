#include "itorisk/spof.h"

#include <stdlib.h>
#include <string.h>

void itr_idlist_push(itr_idlist *l, size_t x)
{
	ITR_GROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = x;
}

void itr_idlist_release(itr_idlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

void itr_idlist_sort(itr_idlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_size);
}

static bool tracked(const itr_model *m, size_t e)
{
	const itr_service *s = itr_model_elem_service(m, e);

	return s && (s->criticality == ITR_CRIT_CRITICAL || s->criticality == ITR_CRIT_IMPORTANT);
}

void itr_spof_compute(itr_spof *out, const itr_model *m, const itr_failnet *net)
{
	itr_failstate st;
	size_t capf = 0;

	out->nelems = net->n;
	out->fstart = itr_xcalloc(net->n + 1, sizeof(*out->fstart));
	out->flist = NULL;
	out->ngroups = net->ngroups;
	out->essential = itr_xcalloc(net->n, sizeof(*out->essential));
	out->impacts = itr_xcalloc(net->n, sizeof(*out->impacts));
	out->defeaters = itr_xcalloc(net->ngroups, sizeof(*out->defeaters));
	itr_failstate_init(&st, net);
	/* X ascending, so every essential and defeater list comes out sorted */
	for (size_t x = 0; x < net->n; x++) {
		itr_fail(&st, net, &x, 1);
		ITR_GROW(out->flist, capf, out->fstart[x] + st.nlist);
		for (size_t i = 0; i < st.nlist; i++)
			out->flist[out->fstart[x] + i] = (uint32_t)st.list[i];
		out->fstart[x + 1] = out->fstart[x] + st.nlist;
		for (size_t i = 1; i < st.nlist; i++) {
			size_t s = st.list[i];

			if (tracked(m, s)) {
				itr_idlist_push(&out->essential[s], x);
				itr_idlist_push(&out->impacts[x], s);
			}
		}
		itr_idlist_sort(&out->impacts[x]);
		for (size_t i = 0; i < st.ngfailed; i++) {
			size_t g = st.gfailed[i];

			if (net->groups[g].nopts > net->groups[g].min && net->groups[g].service != x)
				itr_idlist_push(&out->defeaters[g], x);
		}
	}
	itr_failstate_release(&st);
}

void itr_spof_drop_down_sets(itr_spof *s)
{
	free(s->fstart);
	free(s->flist);
	s->fstart = NULL;
	s->flist = NULL;
}

void itr_spof_release(itr_spof *s)
{
	for (size_t i = 0; i < s->nelems; i++) {
		itr_idlist_release(&s->essential[i]);
		itr_idlist_release(&s->impacts[i]);
	}
	for (size_t g = 0; g < s->ngroups; g++)
		itr_idlist_release(&s->defeaters[g]);
	free(s->essential);
	free(s->impacts);
	free(s->defeaters);
	free(s->fstart);
	free(s->flist);
	memset(s, 0, sizeof(*s));
}
