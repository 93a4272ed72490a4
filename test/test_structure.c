/* Articulation points, bridges and centrality on graphs small enough to check by hand,
 * and the simple graph behind them against igraph's own simplify, bridges and cut vertices. */
#include "gen.h"
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

TestSuite(structure, .init = itr_graph_setup);

static char *bridges(const itr_model *m, const itr_structure *s)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < s->nbridges; i++)
		itr_buf_printf(&b, "%s%s-%s", i ? " " : "", itr_model_elem_id(m, s->bridges[i][0]),
			       itr_model_elem_id(m, s->bridges[i][1]));
	return itr_buf_detach(&b);
}

static void expect_structure(const char *body, const char *want_ap, const char *want_br)
{
	itr_model *m = t_load_ok(body);
	itr_structure s;
	char *ap, *br;

	cr_assert_eq(itr_structure_compute(&s, m), 0);
	ap = t_ids(m, &s.articulation);
	br = bridges(m, &s);
	cr_expect_str_eq(ap, want_ap, "articulation points {%s}, expected {%s}", ap, want_ap);
	cr_expect_str_eq(br, want_br, "bridges {%s}, expected {%s}", br, want_br);
	free(ap);
	free(br);
	itr_structure_release(&s);
	itr_model_free(m);
}

Test(structure, a_tree_is_all_bridges)
{
	/* s1 - s2 - v - s3: s2 and v cut it, every edge is a bridge */
	expect_structure("<service id='s1' name='1'><needs ref='s2'/></service>"
			 "<service id='s2' name='2' provider='v'/><service id='s3' name='3' provider='v'/>"
			 "<vendor id='v' name='V'/>",
			 "s2 v", "s1-s2 s2-v s3-v");
}

Test(structure, a_cycle_has_neither)
{
	expect_structure("<service id='s1' name='1'><needs ref='s2'/><needs ref='s3'/></service>"
			 "<service id='s2' name='2' provider='v'/><service id='s3' name='3' provider='v'/>"
			 "<vendor id='v' name='V'/>",
			 "", "");
}

Test(structure, parallel_links_merge_and_self_loops_drop)
{
	/* s needs t twice and as an option: one edge, still a bridge; v relies on itself */
	expect_structure("<service id='s' name='S'><needs ref='t'/><needs ref='t'/>"
			 "<needs-any min='1'><option ref='t'/><option ref='u'/></needs-any></service>"
			 "<service id='t' name='T'/><service id='u' name='U' provider='v'/>"
			 "<vendor id='v' name='V'><relies-on ref='v'/></vendor>",
			 "s u", "s-t s-u u-v");
}

Test(structure, a_two_way_link_is_one_edge_and_can_be_a_bridge)
{
	/* s1 <-> s2 (each needs the other), s2 -> s3: the simple undirected
	 * graph is the path s1 - s2 - s3, so both edges are bridges and s2
	 * cuts; the dependency graph has two edges between s1 and s2 */
	expect_structure("<service id='s1' name='1'><needs ref='s2'/></service>"
			 "<service id='s2' name='2'><needs ref='s1'/><needs ref='s3'/></service>"
			 "<service id='s3' name='3'/>",
			 "s2", "s1-s2 s2-s3");
	/* and in a triangle with a two-way side, nothing is either */
	expect_structure("<service id='s1' name='1'><needs ref='s2'/><needs ref='s3'/></service>"
			 "<service id='s2' name='2'><needs ref='s1'/><needs ref='s3'/></service>"
			 "<service id='s3' name='3'/>",
			 "", "");
}

Test(structure, parent_and_relies_on_are_links)
{
	expect_structure("<vendor id='g' name='G'/><vendor id='a' name='A' parent='g'/>"
			 "<vendor id='b' name='B' parent='g'><relies-on ref='a'/></vendor>"
			 "<vendor id='f' name='F'/><vendor id='c' name='C'><relies-on ref='f'/></vendor>",
			 "", "c-f");
}

Test(structure, shared_fourth_party_is_not_a_cut_vertex)
{
	/* FACTS.md: the true SPOF f is no articulation point here */
	expect_structure("<service id='s' name='S' criticality='critical'>"
			 "<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
			 "<service id='a' name='A' provider='v1'/><service id='b' name='B' provider='v2'/>"
			 "<vendor id='v1' name='V1'><relies-on ref='f'/></vendor>"
			 "<vendor id='v2' name='V2'><relies-on ref='f'/></vendor>"
			 "<vendor id='f' name='F'/>",
			 "", "");
}

Test(structure, betweenness_and_personalised_pagerank_on_a_chain)
{
	/* a (critical) -> b -> c. Betweenness: only b sits between (a, c): 1,
	 * normalised by (n-1)(n-2) = 2. PageRank with reset on a, damping 0.85,
	 * dangling c teleporting to a:
	 *   pa = 0.15 + 0.85 pc, pb = 0.85 pa, pc = 0.85 pb
	 *   => pa = 0.15 / (1 - 0.85^3), pb = 0.85 pa, pc = 0.7225 pa. */
	itr_model *m = t_load_ok("<service id='a' name='A' criticality='critical'><needs ref='b'/></service>"
				 "<service id='b' name='B'><needs ref='c'/></service>"
				 "<service id='c' name='C'/>");
	itr_centrality c;
	double pa = 0.15 / (1 - 0.85 * 0.85 * 0.85);

	cr_assert_eq(itr_centrality_compute(&c, m, true), 0);
	cr_expect_float_eq(c.betweenness[0], 0.0, 1e-12);
	cr_expect_float_eq(c.betweenness[1], 0.5, 1e-12);
	cr_expect_float_eq(c.betweenness[2], 0.0, 1e-12);
	cr_expect_float_eq(c.pagerank[0], pa, 1e-9, "pa = %.12f", c.pagerank[0]);
	cr_expect_float_eq(c.pagerank[1], 0.85 * pa, 1e-9);
	cr_expect_float_eq(c.pagerank[2], 0.7225 * pa, 1e-9);
	itr_centrality_release(&c);
	itr_model_free(m);
}

Test(structure, betweenness_counts_paths_from_tracked_services_by_default)
{
	/* a (critical) -> b -> d and x (standard) -> b -> d, n = 4.
	 * Exact, all ordered pairs: b lies on a->d and x->d, 2 / ((n-1)(n-2)) = 1/3.
	 * Default, paths from a only: b lies on a->d of a->b, a->d: 1 / (1·(n-2)) = 1/2;
	 * d and x lie on no path from a, a on none (it is the source). */
	itr_model *m = t_load_ok("<service id='a' name='A' criticality='critical'><needs ref='b'/></service>"
				 "<service id='x' name='X'><needs ref='b'/></service>"
				 "<service id='b' name='B'><needs ref='d'/></service>"
				 "<service id='d' name='D'/>");
	size_t a = itr_model_find(m, "a"), b = itr_model_find(m, "b"), x = itr_model_find(m, "x");
	itr_centrality c;

	cr_assert_eq(itr_centrality_compute(&c, m, true), 0);
	cr_expect_float_eq(c.betweenness[b], 1.0 / 3.0, 1e-12);
	cr_expect_float_eq(c.betweenness[a], 0.0, 1e-12);
	itr_centrality_release(&c);
	cr_assert_eq(itr_centrality_compute(&c, m, false), 0);
	cr_expect_float_eq(c.betweenness[b], 0.5, 1e-12);
	cr_expect_float_eq(c.betweenness[a], 0.0, 1e-12);
	cr_expect_float_eq(c.betweenness[x], 0.0, 1e-12);
	itr_centrality_release(&c);
	itr_model_free(m);
}

Test(structure, pagerank_ignores_what_critical_work_never_reaches)
{
	/* x (standard) -> y is no critical path: both get nothing; with no
	 * critical or important service at all, the reset is uniform */
	itr_model *m = t_load_ok("<service id='a' name='A' criticality='important' provider='v'/>"
				 "<vendor id='v' name='V'/>"
				 "<service id='x' name='X'><needs ref='y'/></service>"
				 "<service id='y' name='Y'/>");
	itr_model *u = t_load_ok("<service id='x' name='X'/><service id='y' name='Y'/>");
	itr_centrality c;

	cr_assert_eq(itr_centrality_compute(&c, m, false), 0);
	cr_expect_float_eq(c.pagerank[itr_model_find(m, "x")], 0.0, 1e-12);
	cr_expect_float_eq(c.pagerank[itr_model_find(m, "y")], 0.0, 1e-12);
	/* a -> v: pa = 0.15 + 0.85 pv (v dangles back to a), pv = 0.85 pa */
	cr_expect_float_eq(c.pagerank[itr_model_find(m, "v")], 0.85 / 1.85, 1e-9);
	itr_centrality_release(&c);
	cr_assert_eq(itr_centrality_compute(&c, u, false), 0);
	cr_expect_float_eq(c.pagerank[0], 0.5, 1e-9);
	cr_expect_float_eq(c.pagerank[1], 0.5, 1e-9);
	itr_centrality_release(&c);
	itr_model_free(m);
	itr_model_free(u);
}

Test(structure, empty_portfolio)
{
	itr_model *m = t_load_ok("");
	itr_structure s;
	itr_centrality c;

	cr_assert_eq(itr_structure_compute(&s, m), 0);
	cr_expect_eq(s.articulation.n, 0);
	cr_expect_eq(s.nbridges, 0);
	cr_assert_eq(itr_centrality_compute(&c, m, false), 0);
	itr_structure_release(&s);
	itr_centrality_release(&c);
	itr_model_free(m);
}

/*
 * The graph behind both: itr_graph_simple_edges() must leave exactly the edge
 * list igraph_simplify() would, or betweenness and PageRank could move in
 * their last bits (their sums follow igraph's edge order).
 */

/* The edges of g as "from-to ..." in edge id order (igraph's from and to). */
static char *edge_list(const igraph_t *g)
{
	itr_buf b = ITR_BUF_INIT;

	for (igraph_integer_t e = 0; e < igraph_ecount(g); e++)
		itr_buf_printf(&b, "%s%ld-%ld", e ? " " : "", (long)IGRAPH_FROM(g, e),
			       (long)IGRAPH_TO(g, e));
	return itr_buf_detach(&b);
}

/* The simple graph of raw: by itr_graph_simple_edges() then igraph_create(),
 * or, as the reference, by igraph_create() then igraph_simplify(). */
static char *graph_of(const igraph_integer_t *raw, size_t nraw, igraph_integer_t n,
		      bool directed, bool reference)
{
	igraph_vector_int_t e;
	igraph_t g;
	char *s;

	cr_assert_eq(igraph_vector_int_init_array(&e, raw, (igraph_integer_t)nraw), IGRAPH_SUCCESS);
	if (!reference)
		cr_assert_eq(itr_graph_simple_edges(&e, n, directed), 0);
	cr_assert_eq(igraph_create(&g, &e, n, directed), IGRAPH_SUCCESS);
	if (reference)
		cr_assert_eq(igraph_simplify(&g, true, true, NULL), IGRAPH_SUCCESS);
	s = edge_list(&g);
	igraph_destroy(&g);
	igraph_vector_int_destroy(&e);
	return s;
}

static char *simple_graph(const igraph_integer_t *raw, size_t nraw, igraph_integer_t n,
			  bool directed)
{
	return graph_of(raw, nraw, n, directed, false);
}

static char *simplified_graph(const igraph_integer_t *raw, size_t nraw, igraph_integer_t n,
			      bool directed)
{
	return graph_of(raw, nraw, n, directed, true);
}

static void expect_simple(const igraph_integer_t *raw, size_t nraw, igraph_integer_t n,
			  bool directed, const char *want)
{
	char *got = simple_graph(raw, nraw, n, directed);
	char *ref = simplified_graph(raw, nraw, n, directed);

	cr_expect_str_eq(got, want, "%s: {%s}, expected {%s}", directed ? "directed" : "undirected",
			 got, want);
	cr_expect_str_eq(got, ref, "igraph_simplify() gives {%s}", ref);
	free(got);
	free(ref);
}

Test(structure, simple_edges_drop_loops_and_repeats)
{
	/* 1->2 three times, 2->1, 0->3 twice, 3->0, and two loops. igraph keeps
	 * an undirected edge as (larger, smaller): 3-0 and 2-1. */
	static const igraph_integer_t raw[] = {2, 1, 1, 2, 0, 3, 3, 3, 0,
					       3, 1, 2, 3, 0, 1, 2, 0, 0};
	static const igraph_integer_t loops[] = {1, 1, 0, 0, 1, 1};

	expect_simple(raw, ITR_ARRAY_LEN(raw), 4, true, "0-3 1-2 2-1 3-0");
	expect_simple(raw, ITR_ARRAY_LEN(raw), 4, false, "3-0 2-1");
	expect_simple(loops, ITR_ARRAY_LEN(loops), 2, true, "");
	expect_simple(loops, ITR_ARRAY_LEN(loops), 2, false, "");
	expect_simple(raw, 0, 0, true, "");
	expect_simple(raw, 0, 3, false, "");
}

Test(structure, simple_edges_leave_igraph_simplify_order_on_random_multigraphs)
{
	unsigned long x = 12345;

	for (int round = 0; round < 200; round++) {
		igraph_integer_t n = 1 + round % 40, raw[2 * 300];
		size_t nraw = 2 * (size_t)(round * 3 % 300);

		for (size_t i = 0; i < nraw; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			raw[i] = (igraph_integer_t)((x >> 33) % (unsigned long)n);
		}
		for (int directed = 0; directed < 2; directed++) {
			char *got = simple_graph(raw, nraw, n, directed);
			char *ref = simplified_graph(raw, nraw, n, directed);

			cr_expect_str_eq(got, ref, "round %d, %s", round,
					 directed ? "directed" : "undirected");
			free(got);
			free(ref);
		}
	}
}

typedef struct raw_list {
	igraph_integer_t *e;
	size_t n, cap;
} raw_list;

static void add_link(raw_list *l, size_t from, size_t to)
{
	itr_xgrow((void **)&l->e, &l->cap, l->n + 2, sizeof(*l->e));
	l->e[l->n++] = (igraph_integer_t)from;
	l->e[l->n++] = (igraph_integer_t)to;
}

/* Every link of SPEC §3 of m as raw (from, to) pairs, repeats and loops kept,
 * collected in another order than graph.c's. */
static raw_list raw_links(const itr_model *m)
{
	raw_list l = {0};

	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		for (size_t g = 0; g < s->ngroups; g++)
			for (size_t k = 0; k < s->groups[g].nopts; k++)
				add_link(&l, s->elem, s->groups[g].options[k].target);
		for (size_t k = 0; k < s->nneeds; k++)
			add_link(&l, s->elem, s->needs[k].target);
		if (s->provider.target != ITR_NONE)
			add_link(&l, s->elem, s->provider.target);
	}
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];

		for (size_t k = 0; k < v->nrelies; k++)
			add_link(&l, v->elem, v->relies_on[k].target);
		if (v->parent.target != ITR_NONE)
			add_link(&l, v->elem, v->parent.target);
	}
	return l;
}

static int cmp_bridge(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* igraph_bridges() on g, each bridge "a-b" with a < b, sorted. */
static char *igraph_bridge_list(const itr_model *m, const igraph_t *g)
{
	igraph_vector_int_t br;
	itr_structure s = {0};
	char *out;

	cr_assert_eq(igraph_vector_int_init(&br, 0), IGRAPH_SUCCESS);
	cr_assert_eq(igraph_bridges(g, &br), IGRAPH_SUCCESS);
	s.nbridges = (size_t)igraph_vector_int_size(&br);
	s.bridges = itr_xcalloc(s.nbridges, sizeof(*s.bridges));
	for (size_t i = 0; i < s.nbridges; i++) {
		size_t a = (size_t)IGRAPH_FROM(g, VECTOR(br)[i]),
		       b = (size_t)IGRAPH_TO(g, VECTOR(br)[i]);

		s.bridges[i][0] = a < b ? a : b;
		s.bridges[i][1] = a < b ? b : a;
	}
	qsort(s.bridges, s.nbridges, sizeof(*s.bridges), cmp_bridge);
	out = bridges(m, &s);
	itr_structure_release(&s);
	igraph_vector_int_destroy(&br);
	return out;
}

Test(structure, graph_and_figures_match_igraph_on_random_portfolios)
{
	/* itr_graph_build() must be igraph_simplify()'s graph, edge ids included;
	 * the bridges read off the biconnected components must be igraph_bridges(),
	 * the articulation points igraph_articulation_points() */
	for (unsigned long seed = 1; seed <= 60; seed++) {
		itr_gen_params p;
		itr_model *m;
		raw_list raw;
		itr_structure s;
		itr_graph g[2];
		igraph_vector_int_t ap;
		itr_idlist want_ap = {0};
		char *got, *want;

		itr_gen_params_default(&p);
		p.seed = seed;
		p.services = 5 + seed * 3;
		p.vendors = 2 + seed % 13;
		p.links = p.services * (1 + seed % 4);
		p.cycles = seed % 3 == 0 ? 0.0 : 0.2;
		p.self_loops = seed % 4 == 0;
		p.shape = seed % 2 ? ITR_GEN_SHAPE_RANDOM : ITR_GEN_SHAPE_ENTERPRISE;
		m = t_random_model(&p);
		raw = raw_links(m);
		for (int directed = 0; directed < 2; directed++) {
			cr_assert_eq(itr_graph_build(&g[directed], m, directed), 0);
			got = edge_list(&g[directed].g);
			want =
			    simplified_graph(raw.e, raw.n, (igraph_integer_t)m->nelems, directed);
			cr_expect_str_eq(got, want, "seed %lu, %s", seed,
					 directed ? "directed" : "undirected");
			free(got);
			free(want);
		}

		cr_assert_eq(itr_structure_compute(&s, m), 0);
		got = bridges(m, &s);
		want = igraph_bridge_list(m, &g[0].g);
		cr_expect_str_eq(got, want, "seed %lu: bridges", seed);
		free(got);
		free(want);
		cr_assert_eq(igraph_vector_int_init(&ap, 0), IGRAPH_SUCCESS);
		cr_assert_eq(igraph_articulation_points(&g[0].g, &ap), IGRAPH_SUCCESS);
		for (igraph_integer_t i = 0; i < igraph_vector_int_size(&ap); i++)
			itr_idlist_push(&want_ap, (size_t)VECTOR(ap)[i]);
		itr_idlist_sort(&want_ap);
		got = t_ids(m, &s.articulation);
		want = t_ids(m, &want_ap);
		cr_expect_str_eq(got, want, "seed %lu: articulation points", seed);
		free(got);
		free(want);
		itr_idlist_release(&want_ap);
		igraph_vector_int_destroy(&ap);
		itr_graph_release(&g[0]);
		itr_graph_release(&g[1]);
		itr_structure_release(&s);
		free(raw.e);
		itr_model_free(m);
	}
}
