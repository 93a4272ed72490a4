/*
 * The generator's enterprise shape (test/gen): portfolios that load cleanly,
 * the same bytes for the same parameters, and the structure the benchmark
 * relies on: hyperscaler hubs, wide needs-any groups, cycles only when asked
 * for, deep chains, and transitive closures that stay far below the
 * portfolio's size.
 */
#define _GNU_SOURCE /* open_memstream */
#include "gen.h"
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(gen_shape, .init = itr_graph_setup, .timeout = 60);

/* A portfolio of a few thousand services in the enterprise shape. */
static void enterprise(itr_gen_params *p, unsigned long seed, size_t services)
{
	itr_gen_params_default(p);
	p->shape = ITR_GEN_SHAPE_ENTERPRISE;
	p->seed = seed;
	p->services = services;
	p->vendors = services / 10;
	p->links = services * 3;
	p->files = 4;
	p->ids = ITR_GEN_IDS_PLAIN;
}


/* Load p's portfolio through the library, asserting that no diagnostic at
 * all comes out. */
static itr_model *load(const itr_gen_params *p)
{
	t_docs d = t_gen_docs(p, false);
	itr_source *src = itr_xcalloc(d.n, sizeof(*src));
	itr_model *m = NULL;
	itr_diags diags;
	int rc;

	for (size_t i = 0; i < d.n; i++)
		src[i] = (itr_source){d.name[i], d.text[i], d.len[i]};
	itr_diags_init(&diags);
	rc = itr_load(&m, src, d.n, NULL, &diags);
	if (itr_diags_count(&diags) > 0) {
		char *all = t_all_diags(&diags);

		cr_log_error("seed %lu:\n%s", p->seed, all);
		free(all);
	}
	cr_assert_eq(rc, 0, "seed %lu: the portfolio must load", p->seed);
	cr_assert_eq(itr_diags_count(&diags), 0, "seed %lu: no diagnostic", p->seed);
	itr_diags_release(&diags);
	free(src);
	t_docs_free(&d);
	return m;
}

/* The elements e depends on directly (needs, options, provider, relies-on,
 * parent), appended to out. */
static void deps(const itr_model *m, size_t e, itr_idlist *out)
{
	const itr_vendor *v = itr_model_elem_vendor(m, e);
	const itr_service *s = itr_model_elem_service(m, e);

	out->n = 0;
	if (v) {
		for (size_t k = 0; k < v->nrelies; k++)
			itr_idlist_push(out, v->relies_on[k].target);
		if (v->parent.id)
			itr_idlist_push(out, v->parent.target);
		return;
	}
	for (size_t k = 0; k < s->nneeds; k++)
		itr_idlist_push(out, s->needs[k].target);
	for (size_t g = 0; g < s->ngroups; g++)
		for (size_t k = 0; k < s->groups[g].nopts; k++)
			itr_idlist_push(out, s->groups[g].options[k].target);
	if (s->provider.id)
		itr_idlist_push(out, s->provider.target);
}

/* Whether the dependency graph has a cycle (self references included):
 * iterative depth-first search, colours 0 new, 1 on the path, 2 done. */
static bool has_cycle(const itr_model *m)
{
	unsigned char *colour = itr_xcalloc(m->nelems + 1, 1);
	size_t *stack = itr_xcalloc(m->nelems + 1, sizeof(size_t));
	size_t *next = itr_xcalloc(m->nelems + 1, sizeof(size_t));
	itr_idlist *adj = itr_xcalloc(m->nelems + 1, sizeof(itr_idlist));
	bool cycle = false;

	for (size_t e = 0; e < m->nelems; e++)
		deps(m, e, &adj[e]);
	for (size_t root = 0; root < m->nelems && !cycle; root++) {
		size_t top = 0;

		if (colour[root])
			continue;
		stack[top++] = root;
		colour[root] = 1;
		next[root] = 0;
		while (top > 0 && !cycle) {
			size_t x = stack[top - 1];

			if (next[x] == adj[x].n) {
				colour[x] = 2;
				top--;
				continue;
			}
			size_t y = adj[x].v[next[x]++];

			if (colour[y] == 1)
				cycle = true;
			else if (colour[y] == 0) {
				colour[y] = 1;
				next[y] = 0;
				stack[top++] = y;
			}
		}
	}
	for (size_t e = 0; e < m->nelems; e++)
		itr_idlist_release(&adj[e]);
	free(adj);
	free(next);
	free(stack);
	free(colour);
	return cycle;
}

Test(gen_shape, random_is_the_default_shape)
{
	itr_gen_params p;
	itr_gen *g;
	itr_gen_stats st;

	itr_gen_params_default(&p);
	cr_assert_eq(p.shape, ITR_GEN_SHAPE_RANDOM);
	cr_assert_eq(itr_gen_new(&g, &p), 0);
	itr_gen_get_stats(&st, g);
	cr_expect_eq(st.domains, 0);
	cr_expect_eq(st.platform, 0);
	itr_gen_free(g);
	p.shape = (itr_gen_shape)7;
	cr_expect_eq(itr_gen_new(&g, &p), -1, "an unknown shape is refused");
}

Test(gen_shape, enterprise_portfolios_load_without_a_diagnostic)
{
	/* every id style (wild: BOM, CRLF, prefixed namespace), tiny to mid-sized */
	static const size_t sizes[] = {0, 1, 7, 30, 400, 2500};

	for (unsigned long seed = 1; seed <= 6; seed++) {
		itr_gen_params p;
		itr_model *m;

		enterprise(&p, seed, sizes[seed - 1]);
		p.vendors = 2 + p.services / 8;
		p.files = 1 + seed % 5;
		p.ids = (itr_gen_ids)(seed % 3);
		p.self_loops = seed == 4;
		m = load(&p);
		cr_expect_eq(m->nservices, p.services);
		cr_expect_eq(m->nvendors, p.vendors);
		itr_model_free(m);
	}
}

Test(gen_shape, same_parameters_give_the_same_bytes)
{
	itr_gen_params p;
	t_docs a, b, c;
	bool differs = false;

	enterprise(&p, 11, 3000);
	p.ids = ITR_GEN_IDS_WILD;
	a = t_gen_docs(&p, false);
	b = t_gen_docs(&p, true);
	cr_assert_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		cr_assert_eq(a.len[i], b.len[i], "file %zu", i);
		cr_assert(memcmp(a.text[i], b.text[i], a.len[i]) == 0, "file %zu", i);
	}
	p.seed = 12;
	c = t_gen_docs(&p, false);
	for (size_t i = 0; i < a.n && !differs; i++)
		differs = a.len[i] != c.len[i] || memcmp(a.text[i], c.text[i], a.len[i]) != 0;
	cr_expect(differs, "another seed, another portfolio");
	t_docs_free(&a);
	t_docs_free(&b);
	t_docs_free(&c);
}

Test(gen_shape, hyperscalers_are_relied_on_by_a_large_share_of_vendors)
{
	itr_gen_params p;
	itr_gen *g;
	itr_gen_stats st;
	itr_model *m;
	size_t *in, top[5], relying = 0, on_top = 0, h;
	bool *hub;

	enterprise(&p, 3, 4000);
	p.vendors = 800;
	p.cycles = 0.0; /* planted relies-on cycles would blur the figure */
	cr_assert_eq(itr_gen_new(&g, &p), 0);
	itr_gen_get_stats(&st, g);
	itr_gen_free(g);
	h = st.hyperscalers;
	cr_assert(h >= 3 && h <= 5, "%zu hyperscalers", h);
	m = load(&p);
	/* the h vendors most relied on: the hyperscalers */
	in = itr_xcalloc(m->nelems, sizeof(size_t));
	hub = itr_xcalloc(m->nelems, sizeof(bool));
	for (size_t i = 0; i < m->nvendors; i++)
		for (size_t k = 0; k < m->vendors[i].nrelies; k++)
			in[m->vendors[i].relies_on[k].target]++;
	for (size_t j = 0; j < h; j++) {
		top[j] = ITR_NONE;
		for (size_t e = 0; e < m->nelems; e++)
			if (!hub[e] && (top[j] == ITR_NONE || in[e] > in[top[j]]))
				top[j] = e;
		hub[top[j]] = true;
	}
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];
		bool hit = false;

		relying += v->nrelies > 0;
		for (size_t k = 0; k < v->nrelies; k++)
			hit |= hub[v->relies_on[k].target];
		on_top += hit;
	}
	cr_expect_geq(in[top[0]] * 10, m->nvendors, "the largest hub: %zu of %zu vendors",
		      in[top[0]], m->nvendors);
	cr_expect_geq(on_top * 5, m->nvendors, "%zu of %zu vendors rely on a hyperscaler", on_top,
		      m->nvendors);
	cr_expect_geq(on_top * 4, relying * 3, "%zu of the %zu relying vendors", on_top, relying);
	free(hub);
	free(in);
	itr_model_free(m);
}

Test(gen_shape, needs_any_groups_are_two_to_eight_wide)
{
	itr_gen_params p;
	itr_model *m;
	size_t widest = 0, narrowest = 99, above_one = 0, groups = 0;

	enterprise(&p, 5, 4000);
	m = load(&p);
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		for (size_t g = 0; g < s->ngroups; g++) {
			groups++;
			above_one += s->groups[g].min > 1;
			if (s->groups[g].nopts > widest)
				widest = s->groups[g].nopts;
			if (s->groups[g].nopts < narrowest)
				narrowest = s->groups[g].nopts;
		}
	}
	cr_expect_eq(widest, 8);
	cr_expect_eq(narrowest, 2);
	cr_expect_gt(above_one * 10, groups, "%zu of %zu groups with min > 1", above_one, groups);
	itr_model_free(m);
}

Test(gen_shape, cycles_exist_iff_asked_for)
{
	for (unsigned long seed = 21; seed <= 22; seed++) {
		itr_gen_params p;
		itr_model *m;

		enterprise(&p, seed, 2000);
		p.cycles = 0.0;
		m = load(&p);
		cr_expect(!has_cycle(m), "seed %lu: cycles = 0 gives no cycle", seed);
		itr_model_free(m);
		p.cycles = 0.01;
		m = load(&p);
		cr_expect(has_cycle(m), "seed %lu: cycles > 0 gives some", seed);
		itr_model_free(m);
	}
}

/* The longest needs path from each service, memoised: the graph must be
 * acyclic. */
static size_t depth(const itr_model *m, size_t e, size_t *memo)
{
	const itr_service *s = itr_model_elem_service(m, e);
	size_t best = 0;

	if (!s)
		return 0;
	if (memo[e] != ITR_NONE)
		return memo[e];
	for (size_t k = 0; k < s->nneeds; k++) {
		size_t d = 1 + depth(m, s->needs[k].target, memo);

		if (d > best)
			best = d;
	}
	memo[e] = best;
	return best;
}

Test(gen_shape, deep_needs_chains_exist)
{
	itr_gen_params p;
	itr_model *m;
	size_t *memo, deepest = 0, deep = 0;

	enterprise(&p, 8, 4000);
	p.cycles = 0.0;
	m = load(&p);
	memo = itr_xcalloc(m->nelems, sizeof(size_t));
	for (size_t e = 0; e < m->nelems; e++)
		memo[e] = ITR_NONE;
	for (size_t i = 0; i < m->nservices; i++) {
		size_t d = depth(m, m->services[i].elem, memo);

		deep += d >= 15;
		if (d > deepest)
			deepest = d;
	}
	cr_expect_geq(deepest, 15, "the deepest needs chain: %zu", deepest);
	cr_expect_gt(deep, 20, "%zu services at depth 15 or more", deep);
	free(memo);
	itr_model_free(m);
}

Test(gen_shape, criticality_is_about_ten_percent_critical)
{
	itr_gen_params p;
	itr_model *m;
	size_t n[4] = {0};

	enterprise(&p, 9, 4000);
	m = load(&p);
	for (size_t i = 0; i < m->nservices; i++)
		n[m->services[i].criticality]++;
	cr_expect(n[ITR_CRIT_CRITICAL] * 100 >= 7 * m->nservices &&
		      n[ITR_CRIT_CRITICAL] * 100 <= 13 * m->nservices,
		  "%zu critical of %zu", n[ITR_CRIT_CRITICAL], m->nservices);
	cr_expect(n[ITR_CRIT_IMPORTANT] * 100 >= 15 * m->nservices &&
		      n[ITR_CRIT_IMPORTANT] * 100 <= 26 * m->nservices,
		  "%zu important of %zu", n[ITR_CRIT_IMPORTANT], m->nservices);
	itr_model_free(m);
}

Test(gen_shape, closures_stay_far_below_the_portfolio_size)
{
	itr_gen_params p;
	itr_gen *g;
	itr_gen_closure ent, ent_big, rnd;
	itr_model *m;
	itr_idlist adj = {0};
	size_t *seen, *queue, max = 0, total = 0;

	enterprise(&p, 13, 4000);
	cr_assert_eq(itr_gen_new(&g, &p), 0);
	cr_assert_eq(itr_gen_get_closure(&ent, g, 1000), 0);
	itr_gen_free(g);
	cr_expect_eq(ent.sampled, 1000);
	cr_expect_lt(ent.max * 8, p.services, "max closure %zu of %zu services", ent.max,
		     p.services);
	cr_expect_lt(ent.total, ent.sampled * 150, "mean closure %zu", ent.total / ent.sampled);

	/* four times the portfolio, about the same closures */
	enterprise(&p, 13, 16000);
	cr_assert_eq(itr_gen_new(&g, &p), 0);
	cr_assert_eq(itr_gen_get_closure(&ent_big, g, 1000), 0);
	itr_gen_free(g);
	cr_expect_lt(ent_big.max, 2 * ent.max + 100, "max %zu, then %zu", ent.max, ent_big.max);
	cr_expect_lt(ent_big.total, 2 * ent.total, "mean %zu, then %zu",
		     ent.total / ent.sampled, ent_big.total / ent_big.sampled);

	/* the random shape on the same parameters: closures that grow with it */
	p.shape = ITR_GEN_SHAPE_RANDOM;
	cr_assert_eq(itr_gen_new(&g, &p), 0);
	cr_assert_eq(itr_gen_get_closure(&rnd, g, 1000), 0);
	itr_gen_free(g);
	cr_expect_gt(rnd.total, 5 * ent_big.total, "random mean %zu, enterprise %zu",
		     rnd.total / rnd.sampled, ent_big.total / ent_big.sampled);

	/* every service's closure, computed from the loaded model instead */
	enterprise(&p, 13, 4000);
	m = load(&p);
	seen = itr_xcalloc(m->nelems, sizeof(size_t));
	queue = itr_xcalloc(m->nelems, sizeof(size_t));
	for (size_t e = 0; e < m->nelems; e++)
		seen[e] = ITR_NONE;
	for (size_t i = 0; i < m->nservices; i++) {
		size_t start = m->services[i].elem, head = 0, tail = 1;

		seen[start] = i;
		queue[0] = start;
		while (head < tail) {
			deps(m, queue[head++], &adj);
			for (size_t k = 0; k < adj.n; k++)
				if (seen[adj.v[k]] != i) {
					seen[adj.v[k]] = i;
					queue[tail++] = adj.v[k];
				}
		}
		total += tail - 1;
		if (tail - 1 > max)
			max = tail - 1;
	}
	cr_expect_geq(max, ent.max, "the sample's maximum is a closure of the portfolio");
	cr_expect_lt(max * 5, m->nservices, "max closure over every service: %zu", max);
	/* the sample's mean within a quarter of the whole portfolio's */
	cr_expect(ent.total * m->nservices * 4 >= total * ent.sampled * 3 &&
		      ent.total * m->nservices * 4 <= total * ent.sampled * 5,
		  "sampled mean %zu, mean %zu", ent.total / ent.sampled, total / m->nservices);
	itr_idlist_release(&adj);
	free(queue);
	free(seen);
	itr_model_free(m);
}

Test(gen_shape, no_duplicate_reference_and_shares_honoured)
{
	itr_gen_params p;
	itr_gen *g;
	itr_gen_stats st;
	itr_model *m;
	itr_idlist refs = {0};
	size_t provided = 0;

	enterprise(&p, 17, 3000);
	p.self_loops = 0;
	m = load(&p);
	for (size_t e = 0; e < m->nelems; e++) {
		const itr_service *s = itr_model_elem_service(m, e);
		const itr_vendor *v = itr_model_elem_vendor(m, e);

		/* needs and options of a service, relies-on of a vendor (its
		 * parent may also be relied on: that is no duplicate) */
		deps(m, e, &refs);
		if ((s && s->provider.id) || (v && v->parent.id))
			refs.n--;
		provided += s && s->provider.id;
		itr_idlist_sort(&refs);
		for (size_t k = 1; k < refs.n; k++)
			cr_assert_neq(refs.v[k - 1], refs.v[k], "%s references %s twice",
				      itr_model_elem_id(m, e), itr_model_elem_id(m, refs.v[k]));
	}
	/* provided 0.75 */
	cr_expect(provided * 100 >= 68 * m->nservices && provided * 100 <= 82 * m->nservices,
		  "%zu of %zu services provided", provided, m->nservices);
	itr_idlist_release(&refs);
	itr_model_free(m);

	/* shares at zero switch features off */
	p.provided = 0.0;
	p.relies_on = 0.0;
	p.parent = 0.0;
	p.needs_any = 0.0;
	p.cycles = 0.0; /* planted cycles add relies-on and needs-any of their own */
	cr_assert_eq(itr_gen_new(&g, &p), 0);
	itr_gen_get_stats(&st, g);
	itr_gen_free(g);
	cr_expect_eq(st.providers, 0);
	cr_expect_eq(st.relies_on, 0);
	cr_expect_eq(st.parents, 0);
	cr_expect_eq(st.contracts, 0);
	cr_expect_eq(st.needs_any, 0);
	cr_expect_eq(st.links, p.links, "the link budget is spent exactly");
}
