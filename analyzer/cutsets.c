/* Minimal cut sets by failure propagation (see cutsets.h for the method). */
#include "itorisk/cutsets.h"
#include "itorisk/progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Dependencies of each element (the reverse of the failure links), for
 * walking upstream from a group's options. */
typedef struct deps {
	size_t *start;
	size_t *dep;
} deps;

static void deps_build(deps *d, const itr_failnet *net)
{
	size_t n = net->n, nl = net->start[n];
	size_t *fill;

	d->start = itr_xcalloc(n + 1, sizeof(*d->start));
	d->dep = itr_xmalloc((nl + 1) * sizeof(*d->dep));
	for (size_t k = 0; k < nl; k++)
		d->start[net->link[k].target + 1]++;
	for (size_t e = 0; e < n; e++)
		d->start[e + 1] += d->start[e];
	fill = itr_xmalloc((n + 1) * sizeof(*fill));
	memcpy(fill, d->start, (n + 1) * sizeof(*fill));
	for (size_t e = 0; e < n; e++)
		for (size_t k = net->start[e]; k < net->start[e + 1]; k++)
			d->dep[fill[net->link[k].target]++] = e;
	free(fill);
}

static void deps_release(deps *d)
{
	free(d->start);
	free(d->dep);
}

typedef struct search {
	const itr_model *m;
	const itr_failnet *net;
	deps d;
	itr_cutsets *out;
	size_t max_sets;
	unsigned char *tracked;  /* [elem]: a critical or important service */
	size_t **group_opts;     /* [group]: its options' element numbers */
	/* scratch for upstream walks */
	size_t *stamp;
	size_t now;
	size_t *queue;
	itr_failstate check;     /* order >= 3: minimality checks */
	/* the work of orders >= 2, counted as the pairs are replayed, then by
	 * order 3 and up */
	size_t budget, spent;
	bool over_budget;
} search;

static bool tracked_service(const itr_model *m, size_t e)
{
	const itr_service *s = itr_model_elem_service(m, e);

	return s && s->criticality <= ITR_CRIT_IMPORTANT;
}

static void add_set(search *sr, size_t service, const size_t *set, size_t len)
{
	itr_cutsets *c = &sr->out[service];
	size_t cap = c->n, *v;

	/* keep more than max_sets, so that the ones reported (the first
	 * max_sets in report order, see itr_cutsets_all()) do not depend on the
	 * order of the search; past 8 x max_sets memory wins (order 1 is
	 * always kept whole) */
	if (sr->max_sets && len > 1 && c->nsingles + c->n >= 8 * sr->max_sets) {
		c->truncated = true;
		return;
	}
	/* grow by doubling: capacity is the next power of two above n */
	if (cap == 0 || (cap & (cap - 1)) == 0)
		c->len = itr_xrealloc(c->len, (cap ? cap * 2 : 4) * sizeof(*c->len));
	/* the sets go one after the other into the pool; c->sets points into
	 * it once the search is over (finish_sets()) */
	ITR_GROW(c->pool, c->cap_pool, c->npool + len);
	v = c->pool + c->npool;
	memcpy(v, set, len * sizeof(size_t));
	/* insertion sort: len is the order, tiny */
	for (size_t i = 1; i < len; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			size_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	c->npool += len;
	c->len[c->n++] = len;
}

/* The order-1 sets of a service, all at once and first: {x} for each x of
 * list (ascending), in the layout add_set() keeps (len's capacity at least
 * the next power of two above n). */
static void add_singles(itr_cutsets *c, const size_t *list, size_t n)
{
	size_t cap = 4;

	while (cap < n)
		cap *= 2;
	c->len = itr_xmalloc(cap * sizeof(*c->len));
	for (size_t i = 0; i < n; i++)
		c->len[i] = 1;
	c->pool = itr_xmalloc(n * sizeof(*c->pool));
	memcpy(c->pool, list, n * sizeof(*c->pool));
	c->n = c->npool = c->cap_pool = n;
}

/* Point c->sets at the sets in the pool, which no longer moves. */
static void finish_sets(itr_cutsets *c)
{
	size_t off = 0;

	if (c->n == 0)
		return;
	c->sets = itr_xmalloc(c->n * sizeof(*c->sets));
	for (size_t i = 0; i < c->n; i++) {
		c->sets[i] = c->pool + off;
		off += c->len[i];
	}
}

/*
 * Mark (with stamp == now) and list in sr->queue every element upstream of the
 * options of the groups in `groups`: the options themselves and everything
 * they depend on, transitively. Returns how many.
 */
static size_t upstream_of(search *sr, const size_t *groups, size_t ngroups)
{
	size_t n = 0;

	sr->now++;
	for (size_t i = 0; i < ngroups; i++) {
		const itr_fail_group *g = &sr->net->groups[groups[i]];

		for (size_t k = 0; k < g->nopts; k++) {
			size_t o = sr->group_opts[groups[i]][k];

			if (sr->stamp[o] != sr->now) {
				sr->stamp[o] = sr->now;
				sr->queue[n++] = o;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		size_t e = sr->queue[i];

		for (size_t k = sr->d.start[e]; k < sr->d.start[e + 1]; k++) {
			size_t x = sr->d.dep[k];

			if (sr->stamp[x] != sr->now) {
				sr->stamp[x] = sr->now;
				sr->queue[n++] = x;
			}
		}
	}
	return n;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Is s down when `set` minus its member `skip` fails? */
static bool down_without(search *sr, const size_t *set, size_t len, size_t skip, size_t s)
{
	size_t rest[16], k = 0;

	for (size_t i = 0; i < len; i++)
		if (i != skip)
			rest[k++] = set[i];
	itr_fail(&sr->check, sr->net, rest, k);
	sr->spent += sr->check.nlist;
	return sr->check.down[s] != 0;
}

/* Groups with the same options and min are the same redundancy as far as
 * pairs go: number them by (min, sorted options) so each is looked at once
 * per failed element. sig[g] is the group's number; returns how many. */
typedef struct sigkey {
	size_t group, nopts, *opts;
	unsigned long min;
} sigkey;

static int cmp_sigkey(const void *pa, const void *pb)
{
	const sigkey *a = pa, *b = pb;

	if (a->min != b->min)
		return a->min < b->min ? -1 : 1;
	if (a->nopts != b->nopts)
		return a->nopts < b->nopts ? -1 : 1;
	for (size_t k = 0; k < a->nopts; k++)
		if (a->opts[k] != b->opts[k])
			return a->opts[k] < b->opts[k] ? -1 : 1;
	return a->group < b->group ? -1 : a->group > b->group;
}

static size_t group_signatures(search *sr, size_t *sig)
{
	const itr_failnet *net = sr->net;
	sigkey *keys = itr_xmalloc((net->ngroups + 1) * sizeof(*keys));
	size_t nsig = 0;

	for (size_t g = 0; g < net->ngroups; g++) {
		keys[g] = (sigkey){g, net->groups[g].nopts, itr_xmalloc((net->groups[g].nopts + 1) *
									sizeof(size_t)),
				   net->groups[g].min};
		memcpy(keys[g].opts, sr->group_opts[g], keys[g].nopts * sizeof(size_t));
		qsort(keys[g].opts, keys[g].nopts, sizeof(size_t), cmp_size);
	}
	qsort(keys, net->ngroups, sizeof(*keys), cmp_sigkey);
	for (size_t i = 0; i < net->ngroups; i++) {
		if (i > 0) {
			sigkey a = keys[i - 1], b = keys[i];

			a.group = b.group = 0;
			if (cmp_sigkey(&a, &b) != 0)
				nsig++;
		}
		sig[keys[i].group] = nsig;
	}
	for (size_t i = 0; i < net->ngroups; i++)
		free(keys[i].opts);
	free(keys);
	return net->ngroups ? nsig + 1 : 0;
}

/* relevant[e]: e's failure can reach a critical or important service along
 * the failure links (everything such a service depends on, transitively). */
static unsigned char *relevant_elements(search *sr)
{
	size_t n = sr->net->n, nq = 0;
	unsigned char *rel = itr_xcalloc(n + 1, 1);

	for (size_t e = 0; e < n; e++)
		if (sr->tracked[e]) {
			rel[e] = 1;
			sr->queue[nq++] = e;
		}
	for (size_t i = 0; i < nq; i++)
		for (size_t k = sr->d.start[sr->queue[i]]; k < sr->d.start[sr->queue[i] + 1]; k++)
			if (!rel[sr->d.dep[k]]) {
				rel[sr->d.dep[k]] = 1;
				sr->queue[nq++] = sr->d.dep[k];
			}
	return rel;
}

/*
 * Order 2, prepared once and searched in chunks of X (itr_cutsets_run()),
 * possibly on several threads; what each chunk finds is replayed in X order
 * by itr_cutsets_end(), so the result, and where the budget stops the
 * search, are those of one pass over X in order.
 */

/* What one chunk found: for each pair in the order found, its members, the
 * chunk's work up to and including it, and the tracked services it stops. */
typedef struct found_pair {
	size_t x, y, spent, first, n;
} found_pair;

typedef struct chunk {
	found_pair *pairs;
	size_t npairs, cap_pairs;
	size_t *svc;
	size_t nsvc, cap_svc;
	size_t spent;          /* all the chunk's work */
	bool done, over;       /* over: stopped at a pair past the budget on its own */
} chunk;

/* One thread's scratch, reused by the chunks that thread runs. */
typedef struct scratch {
	itr_failstate st;
	size_t *sigstamp, *cand, *candix;
	/* what the count looks up for each Y, side by side: one cache line a
	 * Y where four arrays took four (7% off L's cut sets); reach is a copy
	 * of the job's. 32 bits: fewer elements than 2^32, stamps wrap */
	struct hot {
		uint32_t cntstamp, cnt, candstamp, reach;
	} *hot;
	size_t now;
	uint32_t gnow;
	/* the groups each candidate completes (by signature), bucketed by candidate */
	size_t (*comp)[2], ncomp, cap_comp, *compstart, *compsig;
	/* one pair: mark[e] == 2·pnow when e is in F(Y), 2·pnow + 1 when down
	 * by the pair alone (listed in syn); older values mean neither, so
	 * nothing needs clearing between pairs */
	uint32_t *mark;
	size_t *syn;
	/* per group, side by side: the pair it was counted for, its count */
	struct gcount {
		uint32_t stamp, n;
	} *gc;
	uint32_t pnow;
	bool busy;
} scratch;

struct itr_cutsets_job {
	search sr;
	itr_spof own;            /* when the job computed the down sets itself */
	const itr_spof *spof;
	unsigned order;
	bool implicit_singles;   /* order 1 is not listed (nsingles counts it) */
	size_t *reach;           /* |F(X)| */
	size_t *astart, *a;      /* A(o) as CSR, each list ascending */
	unsigned char *rel;
	size_t *sig, nsig;
	size_t *sigstart, *siggroups; /* the groups of each signature */
	size_t per_chunk;
	chunk *chunks;
	size_t nchunks;
	size_t prefix, prefix_spent; /* chunks 0..prefix-1 are done; their work */
	size_t replayed;         /* chunks 0..replayed-1 are in out[] and freed */
	bool replaying;          /* a thread is replaying (it alone touches out[]) */
	scratch **scr;           /* one per thread that ran a chunk */
	size_t nscr;
	pthread_mutex_t lock;
};

/* Order 1 from the down sets of the essential-set pass, and on the way A(o)
 * of every option o; then what order 2 looks things up in. */
static void prepare(itr_cutsets_job *j)
{
	search *sr = &j->sr;
	const itr_failnet *net = sr->net;
	size_t n = net->n;
	const size_t *fstart = j->spof->fstart;
	const uint32_t *flist = j->spof->flist;
	unsigned char *is_opt;
	size_t *fill;

	/* order 1: essential(S) itself, ascending, as the pass found it */
	for (size_t e = 0; e < n; e++) {
		if (!sr->tracked[e] || !j->spof->essential[e].n)
			continue;
		if (j->implicit_singles)
			sr->out[e].nsingles = j->spof->essential[e].n;
		else
			add_singles(&sr->out[e], j->spof->essential[e].v, j->spof->essential[e].n);
	}
	j->reach = itr_xcalloc(n + 1, sizeof(*j->reach));
	for (size_t x = 0; x < n; x++)
		j->reach[x] = fstart[x + 1] - fstart[x];
	if (j->order < 2)
		return;
	/* A(o) of every option o, as CSR: count, then fill by X ascending,
	 * so each list is ascending */
	is_opt = itr_xcalloc(n + 1, 1);
	for (size_t g = 0; g < net->ngroups; g++)
		for (size_t k = 0; k < net->groups[g].nopts; k++)
			is_opt[sr->group_opts[g][k]] = 1;
	j->astart = itr_xcalloc(n + 2, sizeof(*j->astart));
	for (size_t i = 0; i < fstart[n]; i++)
		j->astart[flist[i] + 1] += is_opt[flist[i]];
	for (size_t e = 0; e < n; e++)
		j->astart[e + 1] += j->astart[e];
	j->a = itr_xmalloc((j->astart[n] + 1) * sizeof(*j->a));
	fill = itr_xmalloc((n + 1) * sizeof(*fill));
	memcpy(fill, j->astart, (n + 1) * sizeof(*fill));
	for (size_t x = 0; x < n; x++)
		for (size_t i = fstart[x]; i < fstart[x + 1]; i++)
			if (is_opt[flist[i]])
				j->a[fill[flist[i]]++] = x;
	free(fill);
	free(is_opt);
	j->rel = relevant_elements(sr);
	j->sig = itr_xmalloc((net->ngroups + 1) * sizeof(*j->sig));
	j->nsig = group_signatures(sr, j->sig);
	j->sigstart = itr_xcalloc(j->nsig + 2, sizeof(*j->sigstart));
	j->siggroups = itr_xmalloc((net->ngroups + 1) * sizeof(*j->siggroups));
	for (size_t g = 0; g < net->ngroups; g++)
		j->sigstart[j->sig[g] + 1]++;
	for (size_t i = 0; i < j->nsig; i++)
		j->sigstart[i + 1] += j->sigstart[i];
	fill = itr_xmalloc((j->nsig + 1) * sizeof(*fill));
	memcpy(fill, j->sigstart, (j->nsig + 1) * sizeof(*fill));
	for (size_t g = 0; g < net->ngroups; g++)
		j->siggroups[fill[j->sig[g]]++] = g;
	free(fill);
	/* chunks of X: enough for two threads to share the work evenly */
	j->per_chunk = n / 64 > 256 ? n / 64 : 256;
	j->nchunks = n ? (n + j->per_chunk - 1) / j->per_chunk : 0;
	j->chunks = itr_xcalloc(j->nchunks + 1, sizeof(*j->chunks));
}

static scratch *take_scratch(itr_cutsets_job *j)
{
	size_t n = j->sr.net->n;
	scratch *s = NULL;

	pthread_mutex_lock(&j->lock);
	for (size_t i = 0; i < j->nscr && !s; i++)
		if (!j->scr[i]->busy)
			s = j->scr[i];
	if (!s) {
		/* a thread's first chunk: its arrays are made outside the lock */
		j->scr = itr_xrealloc(j->scr, (j->nscr + 1) * sizeof(*j->scr));
		s = j->scr[j->nscr++] = itr_xcalloc(1, sizeof(*s));
	}
	s->busy = true;
	pthread_mutex_unlock(&j->lock);
	if (!s->cand) {
		itr_failstate_init(&s->st, j->sr.net);
		s->sigstamp = itr_xcalloc(j->nsig + 1, sizeof(*s->sigstamp));
		s->hot = itr_xcalloc(n + 1, sizeof(*s->hot));
		for (size_t e = 0; e < n; e++)
			s->hot[e].reach = (uint32_t)j->reach[e];
		s->cand = itr_xmalloc((n + 1) * sizeof(*s->cand));
		s->candix = itr_xmalloc((n + 1) * sizeof(*s->candix));
		s->compstart = itr_xmalloc((n + 2) * sizeof(*s->compstart));
		s->mark = itr_xcalloc(n + 1, sizeof(*s->mark));
		s->syn = itr_xmalloc((n + 1) * sizeof(*s->syn));
		s->gc = itr_xcalloc(j->sr.net->ngroups + 1, sizeof(*s->gc));
	}
	return s;
}
/*
 * The pairs of the X in [lo, hi), into c.
 *
 * A pair {X, Y} stops a service that neither stops alone only through a
 * needs-any group G that X and Y defeat together: in any derivation of the
 * failures of {X, Y}, the first element that neither failure reaches alone
 * can only come from a group (every other rule has one premise), whose down
 * options all lie in F(X) or F(Y), with fewer than enough in each. So with
 * K_Z(G) the options of G that Z's failure alone takes down and t(G) =
 * options − min + 1 the failures G can take:
 *   |K_X(G) ∪ K_Y(G)| ≥ t(G) > |K_X(G)|, |K_Y(G)|,
 * and G's service can reach a tracked one (it lies in the stopped service's
 * derivation). With A(o) = {Z : o ∈ F(Z)} from the order-1 pass, the Y that
 * complete such a G for X are counted per group over A(o) of its options
 * still up; groups with the same options and min are counted once. Each
 * unordered pair is propagated once, from the side whose own failure reaches
 * more (its state is already there), adding the other: O(Σ_X (F(X) + Σ over
 * touched groups of Σ A(o) + Σ over its candidates of what they add)).
 */
/* Mark e down by the pair alone, unless it is down already. */
static size_t fail_syn(scratch *s, const unsigned char *down, size_t e, size_t nsyn)
{
	if (!down[e] && s->mark[e] < 2 * s->pnow) {
		s->mark[e] = 2 * s->pnow + 1;
		s->syn[nsyn++] = e;
	}
	return nsyn;
}

/*
 * What X and Y fail together and neither alone: the state is F(X), Y's
 * candidate index is ci. The first such failures are the owners of the
 * groups the two defeat together, which are exactly the groups the count
 * found Y completes (with every group of the same signature); from there the
 * failures spread as in failnet.c, with a group's down options counted only
 * when the spread reaches it (those in F(X) or F(Y), then one per element
 * of the spread that is an option), so F(Y) is only marked, never
 * propagated. Returns how many are in s->syn.
 */
static size_t pair_synergy(const itr_cutsets_job *j, scratch *s, const itr_failstate *st,
			   size_t y, size_t ci)
{
	const itr_failnet *net = j->sr.net;
	const uint32_t *fy = &j->spof->flist[j->spof->fstart[y]];
	size_t nfy = j->spof->fstart[y + 1] - j->spof->fstart[y], nsyn = 0;
	const unsigned char *down = st->down;
	uint32_t in_fy;

	if (s->pnow >= UINT32_MAX / 2 - 1) {
		memset(s->mark, 0, (net->n + 1) * sizeof(*s->mark));
		memset(s->gc, 0, (net->ngroups + 1) * sizeof(*s->gc));
		s->pnow = 0;
	}
	in_fy = 2 * ++s->pnow;
	for (size_t i = 0; i < nfy; i++)
		s->mark[fy[i]] = in_fy;
	for (size_t i = s->compstart[ci]; i < s->compstart[ci + 1]; i++) {
		size_t sg = s->compsig[i];

		for (size_t k = j->sigstart[sg]; k < j->sigstart[sg + 1]; k++)
			nsyn = fail_syn(s, down, net->groups[j->siggroups[k]].service, nsyn);
	}
	for (size_t i = 0; i < nsyn; i++) {
		size_t e = s->syn[i];

		for (size_t k = net->start[e]; k < net->start[e + 1]; k++) {
			const itr_fail_link *l = &net->link[k];
			const itr_fail_group *g;
			struct gcount *gc;

			if (l->group == ITR_NONE) {
				nsyn = fail_syn(s, down, l->target, nsyn);
				continue;
			}
			if (down[l->target] || s->mark[l->target] >= in_fy)
				continue; /* the group's service is down already */
			gc = &s->gc[l->group];
			if (gc->stamp != s->pnow) {
				uint32_t c = 0;

				g = &net->groups[l->group];
				for (size_t o = 0; o < g->nopts; o++) {
					size_t opt = j->sr.group_opts[l->group][o];

					c += down[opt] || s->mark[opt] == in_fy;
				}
				gc->stamp = s->pnow;
				gc->n = c;
			}
			if (++gc->n >= st->gdown[l->group].fails_at)
				nsyn = fail_syn(s, down, l->target, nsyn);
		}
	}
	return nsyn;
}

static void run_chunk(itr_cutsets_job *j, chunk *c, size_t lo, size_t hi, scratch *s)
{
	const search *sr = &j->sr;
	const itr_failnet *net = sr->net;
	const size_t *fstart = j->spof->fstart, *reach = j->reach, *astart = j->astart, *a = j->a;
	itr_failstate *st = &s->st;
	size_t spent = 0;

	for (size_t x = lo; x < hi && !c->over; x++) {
		size_t nc = 0;

		itr_progress(x, net->n);
		itr_fail_known(st, net, &j->spof->flist[fstart[x]], fstart[x + 1] - fstart[x]);
		if (st->ngtouched == 0)
			continue;
		s->now++;
		for (size_t i = 0; i < st->ngtouched; i++) {
			size_t g = st->gtouched[i], owner = net->groups[g].service;
			size_t t = net->groups[g].nopts - net->groups[g].min + 1, need;

			if (st->down[owner] || !j->rel[owner] || s->sigstamp[j->sig[g]] == s->now)
				continue;
			s->sigstamp[j->sig[g]] = s->now;
			need = t - st->gdown[g].n;
			if (s->gnow == UINT32_MAX) {
				for (size_t e = 0; e < net->n; e++)
					s->hot[e].cntstamp = 0;
				s->gnow = 0;
			}
			s->gnow++;
			for (size_t k = 0; k < net->groups[g].nopts; k++) {
				size_t o = sr->group_opts[g][k];

				if (st->down[o])
					continue;
				for (size_t q = astart[o]; q < astart[o + 1]; q++) {
					size_t y = a[q];

					struct hot *h = &s->hot[y];

					spent++;
					if (h->cntstamp != s->gnow) {
						h->cntstamp = s->gnow;
						h->cnt = 0;
					}
					if (++h->cnt != need || st->down[y])
						continue;
					/* each unordered pair once: from the side reaching more */
					if (h->reach > reach[x] || (h->reach == reach[x] && y > x))
						continue;
					if (h->candstamp != (uint32_t)s->now) {
						h->candstamp = (uint32_t)s->now;
						s->candix[y] = nc;
						s->cand[nc++] = y;
					}
					ITR_GROW(s->comp, s->cap_comp, s->ncomp + 1);
					s->comp[s->ncomp][0] = s->candix[y];
					s->comp[s->ncomp++][1] = j->sig[g];
				}
			}
		}
		/* the completed signatures by candidate, in the order found */
		memset(s->compstart, 0, (nc + 2) * sizeof(*s->compstart));
		for (size_t i = 0; i < s->ncomp; i++)
			s->compstart[s->comp[i][0] + 2]++;
		for (size_t i = 0; i < nc; i++)
			s->compstart[i + 2] += s->compstart[i + 1];
		s->compsig = itr_xrealloc(s->compsig, (s->ncomp + 1) * sizeof(*s->compsig));
		for (size_t i = 0; i < s->ncomp; i++)
			s->compsig[s->compstart[s->comp[i][0] + 1]++] = s->comp[i][1];
		s->ncomp = 0;
		for (size_t i = 0; i < nc && !c->over; i++) {
			size_t y = s->cand[i], nsyn;
			found_pair *fp;

			/* down by neither alone: each tracked service there has
			 * {x, y} as a minimal cut set */
			nsyn = pair_synergy(j, s, st, y, i);
			spent += fstart[y + 1] - fstart[y] + nsyn;
			ITR_GROW(c->pairs, c->cap_pairs, c->npairs + 1);
			fp = &c->pairs[c->npairs++];
			*fp = (found_pair){x, y, spent, c->nsvc, 0};
			for (size_t k = 0; k < nsyn; k++)
				if (sr->tracked[s->syn[k]]) {
					ITR_GROW(c->svc, c->cap_svc, c->nsvc + 1);
					c->svc[c->nsvc++] = s->syn[k];
					fp->n++;
				}
			/* nothing after this pair can count, whatever came before */
			c->over = sr->budget && spent > sr->budget;
		}
	}
	c->spent = spent;
}

/*
 * Add the pairs of chunk c to out[], as one pass over X in order would
 * have, up to the point where the work first went past the budget: checked
 * after each pair (that pair is kept) and at the end of each chunk, so the
 * result depends on the input only, not on which thread ran what when.
 * Then free the chunk's lists.
 */
static void replay(search *sr, chunk *c)
{
	for (size_t p = 0; p < c->npairs && !sr->over_budget; p++) {
		const found_pair *fp = &c->pairs[p];
		size_t pair[2] = {fp->x, fp->y};

		for (size_t k = 0; k < fp->n; k++)
			add_set(sr, c->svc[fp->first + k], pair, 2);
		if (sr->budget && sr->spent + fp->spent > sr->budget)
			sr->over_budget = true;
	}
	if (!sr->over_budget) {
		sr->spent += c->spent;
		sr->over_budget = sr->budget && sr->spent > sr->budget;
	}
	free(c->pairs);
	free(c->svc);
	c->pairs = NULL;
	c->svc = NULL;
	c->npairs = c->nsvc = 0;
}

/* Replay the done prefix, unless another thread is at it (then it goes on
 * with what this thread added to the prefix). Call with the lock held. */
static void replay_prefix(itr_cutsets_job *j)
{
	if (j->replaying)
		return;
	j->replaying = true;
	while (j->replayed < j->prefix) {
		size_t i = j->replayed;

		pthread_mutex_unlock(&j->lock);
		replay(&j->sr, &j->chunks[i]);
		pthread_mutex_lock(&j->lock);
		j->replayed++;
	}
	j->replaying = false;
}

size_t itr_cutsets_chunks(const itr_cutsets_job *j)
{
	return j->nchunks;
}

void itr_cutsets_run(itr_cutsets_job *j, size_t i)
{
	chunk *c = &j->chunks[i];
	scratch *s;
	bool skip;

	/* the chunks before the done prefix stop the search: nothing here counts */
	pthread_mutex_lock(&j->lock);
	skip = j->sr.budget && j->prefix_spent > j->sr.budget;
	pthread_mutex_unlock(&j->lock);
	if (!skip) {
		s = take_scratch(j);
		run_chunk(j, c, i * j->per_chunk,
			  (i + 1) * j->per_chunk < j->sr.net->n ? (i + 1) * j->per_chunk : j->sr.net->n,
			  s);
		pthread_mutex_lock(&j->lock);
		s->busy = false;
		pthread_mutex_unlock(&j->lock);
	}
	pthread_mutex_lock(&j->lock);
	c->done = true;
	while (j->prefix < j->nchunks && j->chunks[j->prefix].done)
		j->prefix_spent += j->chunks[j->prefix++].spent;
	/* the found pairs go into out[] as soon as they are in order, so only
	 * the chunks still out of order keep theirs */
	replay_prefix(j);
	pthread_mutex_unlock(&j->lock);
}

/* Order >= 3: increasing combinations of elements upstream of some group. */
static void deeper(search *sr, itr_failstate *st, size_t *set, size_t len, unsigned order,
		   const size_t *cand, size_t ncand, size_t from)
{
	for (size_t i = from; i < ncand && !sr->over_budget; i++) {
		size_t y = cand[i];
		itr_failmark mk = itr_fail_mark(st);

		if (st->down[y])
			continue;
		set[len] = y;
		itr_fail_more(st, sr->net, y);
		sr->spent += st->nlist - mk.nlist + 1;
		if (sr->budget && sr->spent > sr->budget)
			sr->over_budget = true;
		if (len + 1 >= 3) {
			for (size_t k = mk.nlist + 1; k < st->nlist; k++) {
				size_t s = st->list[k];
				bool minimal = true;

				if (!sr->tracked[s])
					continue;
				/* s was up without y; it must be up without each other member too */
				for (size_t j = 0; j < len && minimal; j++)
					minimal = !down_without(sr, set, len + 1, j, s);
				if (minimal)
					add_set(sr, s, set, len + 1);
			}
		}
		if (len + 1 < order)
			deeper(sr, st, set, len + 1, order, cand, ncand, i + 1);
		itr_fail_undo(st, mk);
	}
}


/* Order of two sets: by size, then element numbers (= ids) lexicographically. */
typedef struct setref {
	size_t len;
	size_t *set;
} setref;

static int cmp_setref(const void *pa, const void *pb)
{
	const setref *a = pa, *b = pb;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	for (size_t k = 0; k < a->len; k++)
		if (a->set[k] != b->set[k])
			return a->set[k] < b->set[k] ? -1 : 1;
	return 0;
}

/*
 * The usual case: the order-1 sets first, already ascending (they are added
 * by increasing element), then pairs of elements below 2^31, each pair a
 * number that sorts in report order; only those are sorted and rewritten in
 * the pool. False, and nothing done, otherwise.
 */
static bool sort_pairs_after_singles(itr_cutsets *c)
{
	uint64_t *key;
	size_t p = 0, off;

	while (p < c->n && c->len[p] == 1 && (p == 0 || c->sets[p - 1][0] < c->sets[p][0]))
		p++;
	for (size_t i = p; i < c->n; i++)
		if (c->len[i] != 2 || c->sets[i][0] >= (1u << 31) || c->sets[i][1] >= (1u << 31))
			return false;
	if (c->n - p < 2)
		return true;
	key = itr_xmalloc((c->n - p) * sizeof(*key));
	for (size_t i = p; i < c->n; i++)
		key[i - p] = (uint64_t)c->sets[i][0] << 31 | c->sets[i][1];
	itr_sort_u64(key, NULL, c->n - p);
	off = (size_t)(c->sets[p] - c->pool);
	for (size_t i = p; i < c->n; i++) {
		c->sets[i] = c->pool + off;
		c->pool[off++] = (size_t)(key[i - p] >> 31);
		c->pool[off++] = (size_t)(key[i - p] & 0x7fffffffu);
	}
	free(key);
	return true;
}

/* Sort a service's sets in report order: O(n log n). */
static void sort_sets(itr_cutsets *c)
{
	setref *v;

	if (c->n < 2 || sort_pairs_after_singles(c))
		return;
	v = itr_xmalloc(c->n * sizeof(*v));
	for (size_t i = 0; i < c->n; i++)
		v[i] = (setref){c->len[i], c->sets[i]};
	qsort(v, c->n, sizeof(*v), cmp_setref);
	for (size_t i = 0; i < c->n; i++) {
		c->len[i] = v[i].len;
		c->sets[i] = v[i].set;
	}
	free(v);
}

itr_cutsets_job *itr_cutsets_begin(itr_cutsets *out, const itr_model *m, const itr_failnet *net,
				   const itr_spof *spof, unsigned order, size_t max_sets,
				   size_t budget, bool implicit_singles)
{
	itr_cutsets_job *j = itr_xcalloc(1, sizeof(*j));
	search *sr = &j->sr;

	if (pthread_mutex_init(&j->lock, NULL) != 0)
		itr_die("cannot set up the cut-set search");
	sr->m = m;
	sr->net = net;
	sr->out = out;
	sr->max_sets = max_sets;
	sr->budget = budget;
	j->order = order > 15 ? 15 : order;
	j->implicit_singles = implicit_singles;
	if (!spof) {
		itr_spof_compute(&j->own, m, net);
		spof = &j->own;
	}
	j->spof = spof;
	deps_build(&sr->d, net);
	sr->tracked = itr_xcalloc(net->n + 1, 1);
	for (size_t e = 0; e < net->n; e++)
		sr->tracked[e] = tracked_service(m, e);
	sr->group_opts = itr_xcalloc(net->ngroups + 1, sizeof(*sr->group_opts));
	for (size_t g = 0; g < net->ngroups; g++) {
		const itr_fail_group *fg = &net->groups[g];
		const itr_group *mg = &itr_model_elem_service(m, fg->service)->groups[fg->index];

		sr->group_opts[g] = itr_xmalloc((mg->nopts + 1) * sizeof(size_t));
		for (size_t k = 0; k < mg->nopts; k++)
			sr->group_opts[g][k] = mg->options[k].target;
	}
	sr->stamp = itr_xcalloc(net->n + 1, sizeof(*sr->stamp));
	sr->queue = itr_xmalloc((net->n + 1) * sizeof(*sr->queue));
	prepare(j);
	return j;
}

/* The sets of the elements in [lo, hi) in report order, at most max_sets. */
typedef struct finish_part {
	search *sr;
	size_t lo, hi;
} finish_part;

static void *finish_range(void *arg)
{
	const finish_part *p = arg;
	const search *sr = p->sr;
	itr_cutsets *out = sr->out;

	for (size_t e = p->lo; e < p->hi; e++) {
		finish_sets(&out[e]);
		sort_sets(&out[e]);
		if (sr->max_sets && out[e].nsingles + out[e].n > sr->max_sets) {
			/* the first max_sets in report order, singles first; the
			 * rest stays in the pool until released */
			if (out[e].nsingles > sr->max_sets)
				out[e].nsingles = sr->max_sets;
			out[e].n = sr->max_sets - out[e].nsingles;
			out[e].truncated = true;
		}
	}
	return NULL;
}

/* Every element's sets, in two halves on two threads (this is the last
 * task of the analyses: the other thread has nothing else to do). */
static void finish_all(search *sr)
{
	size_t n = sr->net->n;
	finish_part half[2] = {{sr, 0, n / 2}, {sr, n / 2, n}};
	pthread_t other;
	bool threaded = n >= 4096 && pthread_create(&other, NULL, finish_range, &half[1]) == 0;

	finish_range(&half[0]);
	if (!threaded)
		finish_range(&half[1]);
	else if (pthread_join(other, NULL) != 0)
		itr_die("cannot join the thread sorting the cut sets");
}

void itr_cutsets_end(itr_cutsets_job *j)
{
	search *sr = &j->sr;
	const itr_failnet *net = sr->net;
	itr_cutsets *out = sr->out;

	pthread_mutex_lock(&j->lock);
	replay_prefix(j); /* (every chunk has run: nothing is left) */
	pthread_mutex_unlock(&j->lock);
	if (j->order >= 3 && !sr->over_budget) {
		size_t *all = itr_xmalloc((net->ngroups + 1) * sizeof(*all)), nc;
		size_t *cand, *set;
		itr_failstate st;

		for (size_t g = 0; g < net->ngroups; g++)
			all[g] = g;
		nc = upstream_of(sr, all, net->ngroups);
		cand = itr_xmalloc((nc + 1) * sizeof(*cand));
		memcpy(cand, sr->queue, nc * sizeof(*cand));
		qsort(cand, nc, sizeof(*cand), cmp_size);
		set = itr_xmalloc((j->order + 1) * sizeof(*set));
		itr_failstate_init(&st, net);
		itr_failstate_init(&sr->check, net);
		itr_fail(&st, net, NULL, 0);
		deeper(sr, &st, set, 0, j->order, cand, nc, 0);
		itr_failstate_release(&sr->check);
		itr_failstate_release(&st);
		free(set);
		free(cand);
		free(all);
	}
	/* past the budget any service may miss sets of two or more: say so for all */
	if (sr->over_budget)
		for (size_t e = 0; e < net->n; e++)
			if (sr->tracked[e])
				out[e].truncated = true;
	finish_all(sr);

	for (size_t i = 0; i < j->nchunks; i++) {
		free(j->chunks[i].pairs);
		free(j->chunks[i].svc);
	}
	free(j->chunks);
	for (size_t i = 0; i < j->nscr; i++) {
		scratch *s = j->scr[i];

		itr_failstate_release(&s->st);
		free(s->sigstamp);
		free(s->hot);
		free(s->cand);
		free(s->candix);
		free(s->comp);
		free(s->compstart);
		free(s->compsig);
		free(s->mark);
		free(s->syn);
		free(s->gc);
		free(s);
	}
	free(j->scr);
	free(j->sig);
	free(j->sigstart);
	free(j->siggroups);
	free(j->rel);
	free(j->a);
	free(j->astart);
	free(j->reach);
	free(sr->queue);
	free(sr->stamp);
	for (size_t g = 0; g < net->ngroups; g++)
		free(sr->group_opts[g]);
	free(sr->group_opts);
	free(sr->tracked);
	deps_release(&sr->d);
	itr_spof_release(&j->own);
	pthread_mutex_destroy(&j->lock);
	free(j);
}

int itr_cutsets_all(itr_cutsets *out, const itr_model *m, const itr_failnet *net, unsigned order,
		    size_t max_sets, size_t budget)
{
	return itr_cutsets_from(out, m, net, NULL, order, max_sets, budget);
}

int itr_cutsets_from(itr_cutsets *out, const itr_model *m, const itr_failnet *net,
		     const itr_spof *spof, unsigned order, size_t max_sets, size_t budget)
{
	itr_cutsets_job *j = itr_cutsets_begin(out, m, net, spof, order, max_sets, budget, false);

	for (size_t i = 0; i < itr_cutsets_chunks(j); i++)
		itr_cutsets_run(j, i);
	itr_cutsets_end(j);
	return 0;
}

int itr_cutsets_compute(itr_cutsets *out, const itr_model *m, const itr_failnet *net,
			size_t service, unsigned order, size_t max_sets)
{
	itr_cutsets *all = itr_xcalloc(net->n + 1, sizeof(*all));

	itr_cutsets_all(all, m, net, order, max_sets, 0);
	*out = all[service];
	memset(&all[service], 0, sizeof(all[service]));
	for (size_t e = 0; e < net->n; e++)
		itr_cutsets_release(&all[e]);
	free(all);
	return 0;
}

void itr_cutsets_release(itr_cutsets *c)
{
	free(c->pool);
	free(c->sets);
	free(c->len);
	memset(c, 0, sizeof(*c));
}
