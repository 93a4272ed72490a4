/*
 * The model as an Open-PSA MEF fault tree (`itorisk graph --format openpsa`),
 * for SCRAM or any other MEF engine.
 *
 * Translation (SPEC §2; FACTS.md): an element is down when it fails on its
 * own (basic event `fail_<id>`) or when a rule forces it: "needs all" is an
 * OR of the dependencies' failures, a needs-any group of n options with
 * min k an at-least gate of n-k+1 option failures. `top_<id>` is the top
 * event of each critical service (or of the --focus service).
 *
 * Cycles. SCRAM rejects cyclic trees, and SPEC §2 takes the least fixed
 * point: a cycle in which nothing failed stays up. A down element always has
 * a derivation in which no element repeats along a branch (a repeated
 * element's inner derivation can replace the outer one), so we unroll by
 * path: an element already on the current derivation path contributes
 * "cannot fail this way" (nothing). This is exact, not an approximation.
 *
 * Size. The formula of e depends on the path only through the path's
 * elements in e's strongly connected component (elements outside it cannot
 * be reached again from e). So an element on no cycle gets one shared gate
 * `down_<id>` whatever the path; an element on a cycle gets one gate per set
 * of its component's elements already on the path (`down_<id>_v2` ...).
 * Acyclic portfolios give a tree linear in the model; a cycle of c elements
 * gives at most c * 2^(c-1) variants, and the export refuses (rather than
 * write gigabytes) past ITR_OPSA_MAX_GATES gates.
 *
 * SCRAM's other rules: names contain no '.' (itr_opsa_name), every and/or
 * gate has two or more inputs (one-input gates are replaced by their input,
 * inputs that cannot fail dropped), and every gate written is referenced
 * except the top events (a top event that would be a bare input becomes an
 * OR of it and the house event `never`).
 */
#include "itorisk/availability.h"
#include "itorisk/export.h"
#include "itorisk/report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void itr_opsa_name(itr_buf *b, const char *prefix, const char *id)
{
	itr_buf_puts(b, prefix);
	for (const char *p = id; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			itr_buf_putc(b, (char)c);
		else if (c == '-' && p != id && p[1] && p[1] != '-')
			itr_buf_putc(b, '-');
		else if (c == '_')
			itr_buf_puts(b, "__");
		else
			itr_buf_printf(b, "_%02X", c);
	}
}

enum { R_FALSE = -1, R_NEVER = -2 }; /* references that are not nodes */
enum { OP_OR, OP_AND, OP_ATLEAST };

/* A basic event or a gate of the tree being built. */
typedef struct fnode {
	bool event;
	int op;
	unsigned long k;       /* OP_ATLEAST */
	long *kids;            /* node numbers, R_NEVER */
	size_t nkids;
	size_t elem;           /* the element it is about (for its name and label) */
	size_t group;          /* a needs-any gate: failnet group number, else ITR_NONE */
	size_t variant;        /* 0, or the cycle variant of the element */
	size_t dup;            /* a wrapper for a repeated option: its number, else 0 */
	bool used;
} fnode;

/* A memoised element formula: (element, visited set) -> node or R_FALSE. */
typedef struct memo {
	size_t elem;
	size_t *set;           /* sorted element numbers */
	size_t nset;
	long ref;
	struct memo *next;
} memo;

typedef struct builder {
	const itr_model *m;
	const itr_failnet *net;
	const double *q;
	bool all_events;
	fnode *nodes;
	size_t nnodes, cap;
	size_t ngates;
	long *event_of;        /* [element]: its basic event node, or R_FALSE */
	size_t *comp;          /* [element]: strongly connected component */
	size_t *gbase;         /* [element]: failnet number of a service's first group */
	size_t *variants;      /* [element]: variants created so far */
	memo **table;
	size_t table_size;
	size_t ndups;
	bool too_big;
} builder;

static long new_node(builder *bd, fnode n)
{
	ITR_GROW(bd->nodes, bd->cap, bd->nnodes + 1);
	bd->nodes[bd->nnodes] = n;
	if (!n.event && ++bd->ngates > ITR_OPSA_MAX_GATES)
		bd->too_big = true;
	return (long)bd->nnodes++;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Sort and drop repeats (for OR and AND, where a repeat changes nothing). */
static size_t uniq(long *v, size_t n)
{
	size_t k = 0;

	if (n)
		qsort(v, n, sizeof(*v), cmp_long);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/*
 * A gate over kids (R_FALSE allowed), simplified: inputs that cannot fail
 * dropped, one-input gates replaced by the input, at-least gates that are
 * really OR or AND written as such. Takes ownership of kids.
 */
static long make_gate(builder *bd, int op, unsigned long k, long *kids, size_t n, size_t elem,
		      size_t group, size_t variant)
{
	size_t r = 0;

	for (size_t i = 0; i < n; i++) {
		if (kids[i] == R_FALSE && op == OP_AND) {
			free(kids);
			return R_FALSE;
		}
		if (kids[i] != R_FALSE)
			kids[r++] = kids[i];
	}
	if (op == OP_ATLEAST) {
		if (k > r) {
			free(kids);
			return R_FALSE;
		}
		op = k == 1 ? OP_OR : k == r ? OP_AND : OP_ATLEAST;
	}
	if (op != OP_ATLEAST) {
		r = uniq(kids, r);
	} else {
		/* a repeated option counts twice: give each repeat its own wrapper */
		long prev;

		qsort(kids, r, sizeof(*kids), cmp_long);
		prev = kids[0];
		for (size_t i = 1; i < r; i++) {
			long *w;

			if (kids[i] != prev) {
				prev = kids[i];
				continue;
			}
			w = itr_xmalloc(2 * sizeof(long));
			w[0] = kids[i];
			w[1] = R_NEVER;
			kids[i] = new_node(bd, (fnode){false, OP_OR, 0, w, 2, elem, ITR_NONE, 0,
						       ++bd->ndups, false});
		}
	}
	if (r == 0) {
		free(kids);
		return R_FALSE;
	}
	if (r == 1) {
		long only = kids[0];

		free(kids);
		return only;
	}
	return new_node(bd, (fnode){false, op, k, kids, r, elem, group, variant, 0, false});
}

static size_t hash_key(size_t elem, const size_t *set, size_t n)
{
	uint64_t h = 1469598103934665603u ^ elem;

	for (size_t i = 0; i < n; i++)
		h = (h ^ set[i]) * 1099511628211u;
	return (size_t)(h * 1099511628211u);
}

static memo *lookup(const builder *bd, size_t elem, const size_t *set, size_t n, size_t *slot)
{
	*slot = hash_key(elem, set, n) % bd->table_size;
	for (memo *p = bd->table[*slot]; p; p = p->next)
		if (p->elem == elem && p->nset == n && (n == 0 || memcmp(p->set, set, n * sizeof(size_t)) == 0))
			return p;
	return NULL;
}

static long expand(builder *bd, size_t e, const size_t *set, size_t nset);

/* The failure of dependency x, seen from e on the path `path` (e included, sorted). */
static long child(builder *bd, size_t e, size_t x, const size_t *path, size_t npath)
{
	for (size_t i = 0; i < npath; i++)
		if (path[i] == x)
			return R_FALSE; /* already on this derivation path */
	if (bd->comp[x] != bd->comp[e])
		return expand(bd, x, NULL, 0);
	return expand(bd, x, path, npath);
}

/* The formula "e is down", for the visited set `set` (sorted, e's component). */
static long expand(builder *bd, size_t e, const size_t *set, size_t nset)
{
	const itr_vendor *v = itr_model_elem_vendor(bd->m, e);
	const itr_service *s = itr_model_elem_service(bd->m, e);
	size_t slot, npath = 0, variant, nk = 0, capk = 8;
	size_t *path;
	long *kids, ref;
	memo *hit;

	if (bd->too_big)
		return R_FALSE;
	hit = lookup(bd, e, set, nset, &slot);
	if (hit)
		return hit->ref;
	variant = bd->variants[e]++;
	/* the path as seen by e's dependencies: set + e, sorted */
	path = itr_xmalloc((nset + 1) * sizeof(size_t));
	for (size_t i = 0; i < nset && set[i] < e; i++)
		path[npath++] = set[i];
	path[npath++] = e;
	for (size_t i = npath - 1; i < nset; i++)
		path[npath++] = set[i];
	kids = itr_xmalloc(capk * sizeof(long));
	if (bd->event_of[e] != R_FALSE)
		kids[nk++] = bd->event_of[e];
	if (v) {
		if (v->parent.target != ITR_NONE)
			kids[nk++] = child(bd, e, v->parent.target, path, npath);
		for (size_t k = 0; k < v->nrelies; k++) {
			ITR_GROW(kids, capk, nk + 1);
			kids[nk++] = child(bd, e, v->relies_on[k].target, path, npath);
		}
	} else {
		if (s->provider.target != ITR_NONE)
			kids[nk++] = child(bd, e, s->provider.target, path, npath);
		for (size_t k = 0; k < s->nneeds; k++) {
			ITR_GROW(kids, capk, nk + 1);
			kids[nk++] = child(bd, e, s->needs[k].target, path, npath);
		}
		for (size_t g = 0; g < s->ngroups; g++) {
			const itr_group *gr = &s->groups[g];
			long *opts = itr_xmalloc((gr->nopts + 1) * sizeof(long));

			for (size_t k = 0; k < gr->nopts; k++)
				opts[k] = child(bd, e, gr->options[k].target, path, npath);
			ITR_GROW(kids, capk, nk + 1);
			kids[nk++] = make_gate(bd, OP_ATLEAST, gr->nopts - gr->min + 1, opts, gr->nopts, e,
					       bd->gbase[e] + g, variant);
		}
	}
	ref = make_gate(bd, OP_OR, 0, kids, nk, e, ITR_NONE, variant);
	free(path);
	hit = itr_xmalloc(sizeof(*hit));
	hit->elem = e;
	hit->nset = nset;
	hit->set = itr_xmalloc((nset + 1) * sizeof(size_t));
	if (nset)
		memcpy(hit->set, set, nset * sizeof(size_t));
	hit->ref = ref;
	hit->next = bd->table[slot];
	bd->table[slot] = hit;
	return ref;
}

static void builder_init(builder *bd, const itr_audit *a, const itr_graph_opts *o, const double *q)
{
	const itr_model *m = a->model;

	memset(bd, 0, sizeof(*bd));
	bd->m = m;
	bd->net = &a->net;
	bd->q = q;
	bd->all_events = o->all_events;
	bd->event_of = itr_xmalloc((m->nelems + 1) * sizeof(long));
	bd->comp = itr_xcalloc(m->nelems + 1, sizeof(size_t));
	bd->gbase = itr_xcalloc(m->nelems + 1, sizeof(size_t));
	bd->variants = itr_xcalloc(m->nelems + 1, sizeof(size_t));
	bd->table_size = 4 * m->nelems + 64;
	bd->table = itr_xcalloc(bd->table_size, sizeof(memo *));
	for (size_t g = a->net.ngroups; g-- > 0;)
		bd->gbase[a->net.groups[g].service] = g - a->net.groups[g].index;
	for (size_t e = 0; e < m->nelems; e++)
		bd->event_of[e] = o->all_events || q[e] > 0
					  ? new_node(bd, (fnode){true, 0, 0, NULL, 0, e, ITR_NONE, 0, 0, false})
					  : R_FALSE;
	itr_components(bd->comp, m);
}

static void builder_release(builder *bd)
{
	for (size_t i = 0; i < bd->nnodes; i++)
		free(bd->nodes[i].kids);
	free(bd->nodes);
	for (size_t i = 0; i < bd->table_size; i++) {
		memo *p = bd->table[i];

		while (p) {
			memo *next = p->next;

			free(p->set);
			free(p);
			p = next;
		}
	}
	free(bd->table);
	free(bd->event_of);
	free(bd->comp);
	free(bd->gbase);
	free(bd->variants);
}

static void node_name(itr_buf *b, const builder *bd, long ref)
{
	const fnode *n = &bd->nodes[ref];
	const char *id = itr_model_elem_id(bd->m, n->elem);

	if (n->event) {
		itr_opsa_name(b, "fail_", id);
		return;
	}
	if (n->dup) {
		itr_buf_printf(b, "dup%zu", n->dup);
		itr_opsa_name(b, "_", id);
		return;
	}
	itr_opsa_name(b, n->group == ITR_NONE ? "down_" : "any_", id);
	if (n->group != ITR_NONE)
		itr_buf_printf(b, "_%zu", bd->net->groups[n->group].index + 1);
	if (n->variant)
		itr_buf_printf(b, "_v%zu", n->variant + 1);
}

static void arg(itr_buf *b, const builder *bd, long ref, const char *indent)
{
	itr_buf_puts(b, indent);
	if (ref == R_NEVER) {
		itr_buf_puts(b, "<house-event name=\"never\"/>\n");
		return;
	}
	itr_buf_puts(b, bd->nodes[ref].event ? "<basic-event name=\"" : "<gate name=\"");
	node_name(b, bd, ref);
	itr_buf_puts(b, "\"/>\n");
}

static void formula(itr_buf *b, const builder *bd, int op, unsigned long k, const long *kids,
		    size_t n)
{
	if (op == OP_ATLEAST)
		itr_buf_printf(b, "      <atleast min=\"%lu\">\n", k);
	else
		itr_buf_puts(b, op == OP_AND ? "      <and>\n" : "      <or>\n");
	for (size_t i = 0; i < n; i++)
		arg(b, bd, kids[i], "        ");
	itr_buf_puts(b, op == OP_ATLEAST ? "      </atleast>\n" : op == OP_AND ? "      </and>\n"
									 : "      </or>\n");
}

/* Mark every node reachable from ref (iteratively: trees can be deep). */
static void mark_used(builder *bd, long ref, bool *never)
{
	long *stack;
	size_t top = 0;

	if (ref < 0) {
		*never = *never || ref == R_NEVER;
		return;
	}
	stack = itr_xmalloc((bd->nnodes + 1) * sizeof(long));
	stack[top++] = ref;
	while (top) {
		fnode *n = &bd->nodes[stack[--top]];

		if (n->used)
			continue;
		n->used = true;
		for (size_t i = 0; i < n->nkids; i++) {
			if (n->kids[i] == R_NEVER)
				*never = true;
			else if (!bd->nodes[n->kids[i]].used)
				stack[top++] = n->kids[i];
		}
	}
	free(stack);
}

static void gate_label(itr_buf *b, const builder *bd, const fnode *n)
{
	const char *id = itr_model_elem_id(bd->m, n->elem);

	itr_buf_puts(b, "      <label>");
	if (n->dup) {
		itr_buf_puts(b, "repeated option ");
		itr_report_xml_escape(b, id);
	} else if (n->group != ITR_NONE) {
		const itr_fail_group *g = &bd->net->groups[n->group];

		itr_buf_printf(b, "needs-any %zu of ", g->index + 1);
		itr_report_xml_escape(b, id);
		itr_buf_printf(b, ": fewer than %lu of %zu options up", g->min, g->nopts);
	} else {
		itr_report_xml_escape(b, id);
		itr_buf_puts(b, " is down");
	}
	if (n->variant)
		itr_buf_puts(b, " (inside a dependency cycle: some elements already on the path)");
	itr_buf_puts(b, "</label>\n");
}

int itr_export_openpsa(itr_buf *out, const itr_audit *a, const itr_graph_opts *o, char **err)
{
	const itr_model *m = a->model;
	double *q = itr_xcalloc(m->nelems + 1, sizeof(double));
	size_t *tops = itr_xmalloc((m->nservices + 1) * sizeof(size_t));
	long *roots = itr_xmalloc((m->nservices + 1) * sizeof(long));
	size_t ntops = 0;
	bool never = false;
	builder bd;
	int ret = -1;

	*err = NULL;
	itr_availability_events(q, m);
	builder_init(&bd, a, o, q);
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		if (o->focus == ITR_NONE ? s->criticality == ITR_CRIT_CRITICAL : s->elem == o->focus)
			tops[ntops++] = s->elem;
	}
	for (size_t t = 0; t < ntops && !bd.too_big; t++)
		roots[t] = expand(&bd, tops[t], NULL, 0);
	if (bd.too_big) {
		itr_buf msg = ITR_BUF_INIT;

		itr_buf_printf(&msg, "the fault tree would need more than %d gates (dependency cycles "
				     "are unrolled path by path); try --focus on one service",
			       ITR_OPSA_MAX_GATES);
		*err = itr_buf_detach(&msg);
		goto cleanup;
	}
	for (size_t t = 0; t < ntops; t++) {
		if (roots[t] < 0)
			continue;
		if (bd.nodes[roots[t]].event) {
			mark_used(&bd, roots[t], &never);
			never = true;
		} else {
			for (size_t i = 0; i < bd.nodes[roots[t]].nkids; i++)
				mark_used(&bd, bd.nodes[roots[t]].kids[i], &never);
		}
	}

	itr_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<!--\n  itorisk " ITR_VERSION " fault tree (Open-PSA MEF). top_<id>: a critical "
			  "service goes down;\n  fail_<id>: an element fails on its own (probability "
			  "1 - SLA availability);\n  down_<id>: an element is down; any_<id>_<n>: its "
			  "n-th needs-any group falls below min.\n  Ids are encoded: '_' is \"__\", other "
			  "characters but letters, digits and '-' are \"_HH\".\n  Check with SCRAM "
			  "(BDD, probability, product order limit 2): see the README.\n-->\n<opsa-mef>\n  <label>");
	itr_report_xml_escape(out, m->name.value ? m->name.value : "portfolio");
	itr_buf_printf(out, "</label>\n  <define-fault-tree name=\"itorisk\">\n");
	for (size_t t = 0; t < ntops; t++) {
		const itr_service *s = itr_model_elem_service(m, tops[t]);
		const fnode *r = roots[t] >= 0 ? &bd.nodes[roots[t]] : NULL;

		itr_opsa_name(out, "    <define-gate name=\"top_", s->id);
		itr_buf_puts(out, "\">\n      <label>");
		itr_report_xml_escape(out, s->name);
		itr_buf_printf(out, " (%s, %s) goes down</label>\n", s->id,
			       itr_criticality_name(s->criticality));
		if (!r) {
			itr_buf_puts(out, "      <constant value=\"false\"/>\n");
		} else if (r->event) {
			long two[2] = {roots[t], R_NEVER};

			formula(out, &bd, OP_OR, 0, two, 2);
		} else {
			formula(out, &bd, r->op, r->k, r->kids, r->nkids);
		}
		itr_buf_puts(out, "    </define-gate>\n");
	}
	for (size_t i = 0; i < bd.nnodes; i++) {
		const fnode *n = &bd.nodes[i];

		if (n->event || !n->used)
			continue;
		itr_buf_puts(out, "    <define-gate name=\"");
		node_name(out, &bd, (long)i);
		itr_buf_puts(out, "\">\n");
		gate_label(out, &bd, n);
		formula(out, &bd, n->op, n->k, n->kids, n->nkids);
		itr_buf_puts(out, "    </define-gate>\n");
	}
	itr_buf_puts(out, "  </define-fault-tree>\n  <model-data>\n");
	for (size_t i = 0; i < bd.nnodes; i++) {
		const fnode *n = &bd.nodes[i];

		if (!n->event || !n->used)
			continue;
		itr_buf_puts(out, "    <define-basic-event name=\"");
		node_name(out, &bd, (long)i);
		itr_buf_puts(out, "\">\n      <label>");
		itr_report_xml_escape(out, itr_model_elem_id(m, n->elem));
		itr_buf_puts(out, q[n->elem] > 0 ? " fails (SLA availability)"
						 : " fails on its own (no SLA: probability 0)");
		itr_buf_printf(out, "</label>\n      <float value=\"%.17g\"/>\n    </define-basic-event>\n",
			       q[n->elem]);
	}
	if (never)
		itr_buf_puts(out, "    <define-house-event name=\"never\">\n      <label>cannot "
				  "fail</label>\n      <constant value=\"false\"/>\n    "
				  "</define-house-event>\n");
	itr_buf_puts(out, "  </model-data>\n</opsa-mef>\n");
	ret = 0;
cleanup:
	builder_release(&bd);
	free(q);
	free(tops);
	free(roots);
	return ret;
}
