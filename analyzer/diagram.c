/*
 * What a risk diagram shows (export.h): the links of the model as diagram
 * edges, the nodes kept by --focus, --depth and collapsing, each node's risk
 * colour, and the links along which a single point of failure reaches a
 * service it stops.
 */
#include "itorisk/export.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void itr_graph_opts_init(itr_graph_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cluster = ITR_CLUSTER_GROUP;
	o->focus = ITR_NONE;
	o->depth = -1;
}

const char *itr_link_kind_name(itr_link_kind k)
{
	static const char *const names[] = {"provider", "needs", "needs-any", "option", "relies-on",
					    "parent"};

	return names[k];
}

/* Dependencies of an element (elements only; options of every group). */
static size_t deps(const itr_model *m, size_t e, size_t i)
{
	const itr_vendor *v = itr_model_elem_vendor(m, e);
	const itr_service *s;

	if (v) {
		if (v->parent.target != ITR_NONE) {
			if (i == 0)
				return v->parent.target;
			i--;
		}
		return i < v->nrelies ? v->relies_on[i].target : ITR_NONE;
	}
	s = itr_model_elem_service(m, e);
	if (s->provider.target != ITR_NONE) {
		if (i == 0)
			return s->provider.target;
		i--;
	}
	if (i < s->nneeds)
		return s->needs[i].target;
	i -= s->nneeds;
	for (size_t g = 0; g < s->ngroups; g++) {
		if (i < s->groups[g].nopts)
			return s->groups[g].options[i].target;
		i -= s->groups[g].nopts;
	}
	return ITR_NONE;
}

/* Tarjan's strongly connected components, iteratively. O(N + L). */
void itr_components(size_t *comp, const itr_model *m)
{
	size_t n = m->nelems, idx = 0, ncomp = 0, sp = 0, cs = 0;
	size_t *index = itr_xmalloc((n + 1) * sizeof(size_t));
	size_t *low = itr_xmalloc((n + 1) * sizeof(size_t));
	size_t *next = itr_xcalloc(n + 1, sizeof(size_t));
	size_t *stack = itr_xmalloc((n + 1) * sizeof(size_t));
	size_t *call = itr_xmalloc((n + 1) * sizeof(size_t));
	bool *on = itr_xcalloc(n + 1, sizeof(bool));

	for (size_t e = 0; e < n; e++)
		index[e] = SIZE_MAX;
	for (size_t root = 0; root < n; root++) {
		if (index[root] != SIZE_MAX)
			continue;
		call[cs++] = root;
		index[root] = low[root] = idx++;
		stack[sp++] = root;
		on[root] = true;
		while (cs) {
			size_t u = call[cs - 1], w = deps(m, u, next[u]);

			if (w != ITR_NONE) {
				next[u]++;
				if (index[w] == SIZE_MAX) {
					index[w] = low[w] = idx++;
					stack[sp++] = w;
					on[w] = true;
					call[cs++] = w;
				} else if (on[w] && index[w] < low[u]) {
					low[u] = index[w];
				}
				continue;
			}
			cs--;
			if (cs && low[u] < low[call[cs - 1]])
				low[call[cs - 1]] = low[u];
			if (low[u] == index[u]) {
				size_t x;

				do {
					x = stack[--sp];
					on[x] = false;
					comp[x] = ncomp;
				} while (x != u);
				ncomp++;
			}
		}
	}
	free(index);
	free(low);
	free(next);
	free(stack);
	free(call);
	free(on);
}

static int link_cmp(const void *pa, const void *pb)
{
	const itr_dlink *a = pa, *b = pb;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return 0;
}

static void add_link(itr_diagram *d, size_t *cap, size_t from, size_t to, itr_link_kind kind)
{
	ITR_GROW(d->links, *cap, d->nlinks + 1);
	d->links[d->nlinks++] = (itr_dlink){from, to, kind};
}

/* Every link of the model, sorted by (from, kind, to), duplicates merged. */
static void collect_links(itr_diagram *d)
{
	const itr_model *m = d->audit->model;
	size_t cap = 0, g = 0, n = 0;

	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];

		if (v->parent.target != ITR_NONE)
			add_link(d, &cap, v->elem, v->parent.target, ITR_LINK_PARENT);
		for (size_t k = 0; k < v->nrelies; k++)
			add_link(d, &cap, v->elem, v->relies_on[k].target, ITR_LINK_RELIES);
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (s->provider.target != ITR_NONE)
			add_link(d, &cap, s->elem, s->provider.target, ITR_LINK_PROVIDER);
		for (size_t k = 0; k < s->nneeds; k++)
			add_link(d, &cap, s->elem, s->needs[k].target, ITR_LINK_NEEDS);
		/* failnet numbers groups in this same order */
		for (size_t j = 0; j < s->ngroups; j++, g++) {
			add_link(d, &cap, s->elem, d->nelems + g, ITR_LINK_ANY);
			for (size_t k = 0; k < s->groups[j].nopts; k++)
				add_link(d, &cap, d->nelems + g, s->groups[j].options[k].target,
					 ITR_LINK_OPTION);
		}
	}
	if (d->nlinks)
		qsort(d->links, d->nlinks, sizeof(*d->links), link_cmp);
	for (size_t i = 0; i < d->nlinks; i++)
		if (n == 0 || link_cmp(&d->links[n - 1], &d->links[i]) != 0)
			d->links[n++] = d->links[i];
	d->nlinks = n;
}

/* Scratch of one diagram computation: link indexes and failure propagation. */
typedef struct scratch {
	size_t *out_start;   /* [node + 1]: links from node: links[out_start[n] .. out_start[n+1]) */
	size_t *in_start;    /* [node + 1]: into in_link */
	size_t *in_link;     /* link numbers, grouped by `to` */
	itr_failstate st;
	size_t *pos;         /* [element]: position in st.list, valid where st.down */
	unsigned char *gfailed; /* [group] */
	unsigned char *seen; /* [node] */
	size_t *stack;
} scratch;

static void scratch_init(scratch *s, const itr_diagram *d)
{
	s->out_start = itr_xcalloc(d->nnodes + 1, sizeof(size_t));
	s->in_start = itr_xcalloc(d->nnodes + 2, sizeof(size_t));
	s->in_link = itr_xmalloc((d->nlinks + 1) * sizeof(size_t));
	for (size_t i = 0; i < d->nlinks; i++) {
		s->out_start[d->links[i].from + 1]++;
		s->in_start[d->links[i].to + 2]++;
	}
	for (size_t n = 0; n < d->nnodes; n++) {
		s->out_start[n + 1] += s->out_start[n];
		s->in_start[n + 2] += s->in_start[n + 1];
	}
	for (size_t i = 0; i < d->nlinks; i++)
		s->in_link[s->in_start[d->links[i].to + 1]++] = i;
	itr_failstate_init(&s->st, &d->audit->net);
	s->pos = itr_xcalloc(d->nelems + 1, sizeof(size_t));
	s->gfailed = itr_xcalloc(d->ngroups + 1, 1);
	s->seen = itr_xcalloc(d->nnodes + 1, 1);
	s->stack = itr_xmalloc((d->nnodes + d->nlinks + 1) * sizeof(size_t));
}

static void scratch_release(scratch *s)
{
	free(s->out_start);
	free(s->in_start);
	free(s->in_link);
	itr_failstate_release(&s->st);
	free(s->pos);
	free(s->gfailed);
	free(s->seen);
	free(s->stack);
}

/* Fail element x alone and note when each element went down. */
static void fail_one(scratch *s, const itr_diagram *d, size_t x)
{
	for (size_t i = 0; i < s->st.ngfailed; i++)
		s->gfailed[s->st.gfailed[i]] = 0;
	itr_fail(&s->st, &d->audit->net, &x, 1);
	for (size_t i = 0; i < s->st.nlist; i++)
		s->pos[s->st.list[i]] = i;
	for (size_t i = 0; i < s->st.ngfailed; i++)
		s->gfailed[s->st.gfailed[i]] = 1;
}

/* The element that owns a node: itself, or the service of a gate. */
static size_t owner(const itr_diagram *d, size_t node)
{
	return node < d->nelems ? node : d->audit->net.groups[node - d->nelems].service;
}

static bool node_down(const scratch *s, const itr_diagram *d, size_t node)
{
	return node < d->nelems ? s->st.down[node] != 0 : s->gfailed[node - d->nelems] != 0;
}

/*
 * Did the failure travel along link l (from its dependency to its
 * dependent)? Both ends are down and the dependency went down first, so a
 * link back into a dependency cycle is not blamed.
 */
static bool carried(const scratch *s, const itr_diagram *d, const itr_dlink *l)
{
	if (!node_down(s, d, l->from) || !node_down(s, d, l->to))
		return false;
	if (l->to >= d->nelems) /* service -> its failed gate */
		return true;
	/* outside a cycle, a down dependency is a cause; inside, the earlier one */
	return d->comp[l->to] != d->comp[owner(d, l->from)] ||
	       s->pos[l->to] < s->pos[owner(d, l->from)];
}

/* After fail_one(x): mark the links the failure took from x up to service. */
static void mark_paths(itr_diagram *d, scratch *s, size_t service, size_t x)
{
	size_t top = 0;

	memset(s->seen, 0, d->nnodes);
	s->stack[top++] = service;
	s->seen[service] = 1;
	while (top) {
		size_t u = s->stack[--top];

		if (u == x)
			continue;
		for (size_t i = s->out_start[u]; i < s->out_start[u + 1]; i++) {
			const itr_dlink *l = &d->links[i];

			if (!carried(s, d, l))
				continue;
			d->spof_link[i] = true;
			if (!s->seen[l->to]) {
				s->seen[l->to] = 1;
				s->stack[top++] = l->to;
			}
		}
	}
}

/*
 * Nodes within `depth` links of the focus, following links forward
 * (dependencies) or backward (dependents). Passing through a needs-any gate
 * costs nothing, so depth counts links between elements. 0-1 BFS.
 */
static void reach(itr_diagram *d, scratch *s, size_t from, long depth, bool forward)
{
	long *dist = itr_xmalloc((d->nnodes + 1) * sizeof(long));
	size_t cap = 2 * (d->nnodes + d->nlinks) + 2, head = 0, tail = 0;
	size_t *dq = itr_xmalloc(cap * sizeof(size_t));

	for (size_t n = 0; n < d->nnodes; n++)
		dist[n] = -1;
	dist[from] = 0;
	dq[tail++] = from;
	while (head != tail) {
		size_t u = dq[head];
		size_t lo = forward ? s->out_start[u] : s->in_start[u];
		size_t hi = forward ? s->out_start[u + 1] : s->in_start[u + 1];

		head = (head + 1) % cap;
		for (size_t i = lo; i < hi; i++) {
			const itr_dlink *l = &d->links[forward ? i : s->in_link[i]];
			size_t v = forward ? l->to : l->from;
			long w = (l->kind == ITR_LINK_ANY) ? 0 : 1;

			if (dist[v] >= 0 && dist[v] <= dist[u] + w)
				continue;
			if (depth >= 0 && dist[u] + w > depth)
				continue;
			dist[v] = dist[u] + w;
			if (w == 0) {
				head = (head + cap - 1) % cap;
				dq[head] = v;
			} else {
				dq[tail] = v;
				tail = (tail + 1) % cap;
			}
		}
	}
	for (size_t n = 0; n < d->nnodes; n++)
		d->shown[n] = dist[n] >= 0;
	free(dist);
	free(dq);
}

static bool tracked(const itr_model *m, size_t e)
{
	const itr_service *s = itr_model_elem_service(m, e);

	return s && s->criticality <= ITR_CRIT_IMPORTANT;
}

/* Whole portfolio: the dependency cone of every critical or important
 * service, less in-house services that depend on nothing (they cannot fail). */
static void collapse(itr_diagram *d, scratch *s)
{
	const itr_model *m = d->audit->model;
	size_t top = 0;

	for (size_t e = 0; e < d->nelems; e++) {
		if (tracked(m, e)) {
			d->shown[e] = true;
			s->stack[top++] = e;
		}
	}
	while (top) {
		size_t u = s->stack[--top];

		for (size_t i = s->out_start[u]; i < s->out_start[u + 1]; i++) {
			size_t v = d->links[i].to;

			if (!d->shown[v]) {
				d->shown[v] = true;
				s->stack[top++] = v;
			}
		}
	}
	for (size_t e = 0; e < d->nelems; e++) {
		const itr_service *sv = itr_model_elem_service(m, e);

		if (sv && d->shown[e] && !tracked(m, e) && sv->provider.target == ITR_NONE &&
		    sv->nneeds == 0 && sv->ngroups == 0) {
			d->shown[e] = false;
			itr_idlist_push(&d->cannot_fail, e);
		}
		if (!d->shown[e]) {
			itr_idlist_push(&d->hidden, e);
			if (sv && sv->provider.target != ITR_NONE)
				d->hidden_services[sv->provider.target]++;
		}
	}
}

/* Fourth parties, corporate groups and non-SPOF findings per element. */
static void element_facts(itr_diagram *d)
{
	const itr_audit *a = d->audit;
	const itr_model *m = a->model;
	bool *has_contract = itr_xcalloc(d->nelems + 1, sizeof(bool));

	for (size_t i = 0; i < m->ncontracts; i++)
		if (m->contracts[i].vendor.target != ITR_NONE)
			has_contract[m->contracts[i].vendor.target] = true;
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];
		size_t root = v->elem;
		const itr_vendor *r = v;

		for (size_t k = 0; k < v->nrelies; k++) {
			size_t t = v->relies_on[k].target;

			if (!has_contract[t] && itr_model_elem_vendor(m, t)->kind == ITR_VENDOR_EXTERNAL)
				d->fourth_party[t] = true;
		}
		/* parents form a forest (itr_model_finish checks for loops) */
		while (r->parent.target != ITR_NONE) {
			root = r->parent.target;
			r = itr_model_elem_vendor(m, root);
		}
		d->group_root[v->elem] = root;
		d->group_size[root]++;
	}
	for (size_t i = 0; i < m->nservices; i++)
		if (m->services[i].provider.target != ITR_NONE)
			d->fourth_party[m->services[i].provider.target] = false;
	for (size_t e = 0; e < d->nelems; e++)
		d->max_severity[e] = -1;
	for (size_t i = 0; i < a->nfindings; i++) {
		const itr_finding *f = &a->findings[i];
		size_t e = itr_model_find(m, f->subject);

		if (strncmp(f->rule, "spof.", 5) == 0)
			continue;
		if (e == ITR_NONE) {
			size_t c = itr_model_find_contract(m, f->subject);

			if (c == ITR_NONE)
				continue;
			e = m->contracts[c].vendor.target;
		}
		d->findings[e]++;
		if ((int)f->severity > d->max_severity[e])
			d->max_severity[e] = (int)f->severity;
	}
	free(has_contract);
}

static void whole_portfolio(itr_diagram *d, scratch *s)
{
	const itr_audit *a = d->audit;
	const itr_model *m = a->model;

	if (d->opts->all)
		for (size_t n = 0; n < d->nnodes; n++)
			d->shown[n] = true;
	else
		collapse(d, s);
	for (size_t e = 0; e < d->nelems; e++) {
		const itr_idlist *imp = &a->spof.impacts[e];
		itr_risk r = d->findings[e] ? ITR_RISK_FINDING : ITR_RISK_NONE;

		for (size_t i = 0; i < imp->n; i++) {
			const itr_service *sv = itr_model_elem_service(m, imp->v[i]);

			if (sv->criticality == ITR_CRIT_CRITICAL)
				r = ITR_RISK_SPOF_CRITICAL;
			else if (r != ITR_RISK_SPOF_CRITICAL)
				r = ITR_RISK_SPOF_IMPORTANT;
		}
		d->risk[e] = r;
		if (!imp->n)
			continue;
		fail_one(s, d, e);
		for (size_t i = 0; i < imp->n; i++)
			mark_paths(d, s, imp->v[i], e);
	}
}

/* One service: its dependency cone; red marks essential(focus). */
static void focus_service(itr_diagram *d, scratch *s, size_t f)
{
	itr_idlist *ess = itr_xcalloc(1, sizeof(*ess));
	bool *cone = itr_xcalloc(d->nnodes + 1, sizeof(bool));

	reach(d, s, f, -1, true);
	memcpy(cone, d->shown, d->nnodes * sizeof(bool));
	for (size_t e = 0; e < d->nelems; e++) {
		d->risk[e] = d->findings[e] ? ITR_RISK_FINDING : ITR_RISK_NONE;
		if (e == f || !cone[e])
			continue;
		fail_one(s, d, e);
		if (!s->st.down[f])
			continue;
		itr_idlist_push(ess, e);
		d->risk[e] = ITR_RISK_SPOF_CRITICAL;
		mark_paths(d, s, f, e);
	}
	d->risk[f] = ITR_RISK_FOCUS;
	d->focus_essential = ess;
	reach(d, s, f, d->opts->depth, true);
	free(cone);
}

/* One vendor (or any element that is not a service): its blast radius. */
static void focus_blast(itr_diagram *d, scratch *s, size_t f)
{
	reach(d, s, f, d->opts->depth, false);
	fail_one(s, d, f);
	for (size_t e = 0; e < d->nelems; e++)
		d->risk[e] = s->st.down[e] ? ITR_RISK_DOWN : ITR_RISK_SURVIVES;
	for (size_t g = 0; g < d->ngroups; g++)
		d->risk[d->nelems + g] = s->gfailed[g] ? ITR_RISK_DOWN : ITR_RISK_SURVIVES;
	d->risk[f] = ITR_RISK_FOCUS;
	for (size_t i = 0; i < d->nlinks; i++)
		d->spof_link[i] = carried(s, d, &d->links[i]);
}

void itr_diagram_build(itr_diagram *d, const itr_audit *a, const itr_graph_opts *o)
{
	const itr_model *m = a->model;
	scratch s;

	memset(d, 0, sizeof(*d));
	d->audit = a;
	d->opts = o;
	d->nelems = m->nelems;
	d->ngroups = a->net.ngroups;
	d->nnodes = d->nelems + d->ngroups;
	collect_links(d);
	d->spof_link = itr_xcalloc(d->nlinks + 1, sizeof(bool));
	d->shown = itr_xcalloc(d->nnodes + 1, sizeof(bool));
	d->shown_link = itr_xcalloc(d->nlinks + 1, sizeof(bool));
	d->risk = itr_xcalloc(d->nnodes + 1, sizeof(itr_risk));
	d->hidden_services = itr_xcalloc(d->nelems + 1, sizeof(size_t));
	d->fourth_party = itr_xcalloc(d->nelems + 1, sizeof(bool));
	d->group_root = itr_xcalloc(d->nelems + 1, sizeof(size_t));
	d->group_size = itr_xcalloc(d->nelems + 1, sizeof(size_t));
	d->findings = itr_xcalloc(d->nelems + 1, sizeof(size_t));
	d->max_severity = itr_xcalloc(d->nelems + 1, sizeof(int));
	d->defeaters = a->spof.defeaters;
	d->comp = itr_xcalloc(d->nelems + 1, sizeof(size_t));
	itr_components(d->comp, m);
	element_facts(d);
	scratch_init(&s, d);
	if (o->focus == ITR_NONE)
		whole_portfolio(d, &s);
	else if (itr_model_elem_service(m, o->focus))
		focus_service(d, &s, o->focus);
	else
		focus_blast(d, &s, o->focus);
	for (size_t g = 0; g < d->ngroups; g++) {
		size_t n = d->nelems + g;

		if (o->focus == ITR_NONE || itr_model_elem_service(m, o->focus))
			d->risk[n] = d->defeaters[g].n ? ITR_RISK_SPOF_CRITICAL : ITR_RISK_NONE;
		/* a gate is drawn with its service */
		d->shown[n] = d->shown[n] && d->shown[owner(d, n)];
	}
	for (size_t i = 0; i < d->nlinks; i++)
		d->shown_link[i] = d->shown[d->links[i].from] && d->shown[d->links[i].to];
	scratch_release(&s);
}

void itr_diagram_release(itr_diagram *d)
{
	free(d->links);
	free(d->spof_link);
	free(d->shown);
	free(d->shown_link);
	free(d->risk);
	free(d->hidden_services);
	itr_idlist_release(&d->hidden);
	itr_idlist_release(&d->cannot_fail);
	if (d->focus_essential) {
		itr_idlist_release(d->focus_essential);
		free(d->focus_essential);
	}
	free(d->fourth_party);
	free(d->group_root);
	free(d->group_size);
	free(d->findings);
	free(d->max_severity);
	free(d->comp);
	memset(d, 0, sizeof(*d));
}
