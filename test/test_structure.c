/* Articulation points, bridges and centrality on graphs small enough to check by hand. */
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
