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

/* An idlist of exactly n entries, to be filled. */
static void idlist_reserve(itr_idlist *l, size_t n)
{
	l->v = n ? itr_xmalloc(n * sizeof(*l->v)) : NULL;
	l->cap = n;
	l->n = 0;
}

void itr_spof_compute(itr_spof *out, const itr_model *m, const itr_failnet *net)
{
	itr_failstate st;
	size_t n = net->n, capf = 0;
	unsigned char *tracked = itr_xcalloc(n + 1, 1);
	size_t *count = itr_xcalloc(n + 1, sizeof(*count));

	out->nelems = n;
	out->fstart = itr_xcalloc(n + 1, sizeof(*out->fstart));
	out->flist = NULL;
	out->ngroups = net->ngroups;
	out->essential = itr_xcalloc(n, sizeof(*out->essential));
	out->impacts = itr_xcalloc(n, sizeof(*out->impacts));
	out->defeaters = itr_xcalloc(net->ngroups, sizeof(*out->defeaters));
	for (size_t i = 0; i < m->nservices; i++)
		tracked[m->services[i].elem] =
			m->services[i].criticality == ITR_CRIT_CRITICAL ||
			m->services[i].criticality == ITR_CRIT_IMPORTANT;
	itr_failstate_init(&st, net);
	/* X ascending, so every defeater list comes out sorted */
	for (size_t x = 0; x < n; x++) {
		itr_fail(&st, net, &x, 1);
		ITR_GROW(out->flist, capf, out->fstart[x] + st.nlist);
		for (size_t i = 0; i < st.nlist; i++)
			out->flist[out->fstart[x] + i] = (uint32_t)st.list[i];
		out->fstart[x + 1] = out->fstart[x] + st.nlist;
		for (size_t i = 1; i < st.nlist; i++)
			count[st.list[i]] += tracked[st.list[i]];
		for (size_t i = 0; i < st.ngfailed; i++) {
			size_t g = st.gfailed[i];

			if (net->groups[g].nopts > net->groups[g].min && net->groups[g].service != x)
				itr_idlist_push(&out->defeaters[g], x);
		}
	}
	itr_failstate_release(&st);
	/* essential(S) from the down sets, X ascending; then the impacts as
	 * its transpose, S ascending: both sorted without a sort, each list
	 * allocated once at its size */
	for (size_t e = 0; e < n; e++)
		idlist_reserve(&out->essential[e], count[e]);
	memset(count, 0, (n + 1) * sizeof(*count));
	for (size_t x = 0; x < n; x++)
		for (size_t i = out->fstart[x] + 1; i < out->fstart[x + 1]; i++) {
			size_t s = out->flist[i];

			if (tracked[s]) {
				out->essential[s].v[out->essential[s].n++] = x;
				count[x]++;
			}
		}
	for (size_t e = 0; e < n; e++)
		idlist_reserve(&out->impacts[e], count[e]);
	for (size_t s = 0; s < n; s++)
		for (size_t i = 0; i < out->essential[s].n; i++) {
			itr_idlist *imp = &out->impacts[out->essential[s].v[i]];

			imp->v[imp->n++] = s;
		}
	free(count);
	free(tracked);
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
