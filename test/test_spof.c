/* essential(S) and redundancy.shared on small portfolios whose answers were worked out by hand. */
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>

static void setup(void)
{
	itr_graph_setup();
}

TestSuite(spof, .init = setup);

/* Compute essential sets and compare one service's with the expected ids. */
static void expect_essential(const itr_model *m, const char *service, const char *want)
{
	itr_failnet net;
	itr_spof s;
	char *got;

	itr_failnet_build(&net, m);
	itr_spof_compute(&s, m, &net);
	got = t_essential(m, &s, service);
	cr_expect_str_eq(got, want, "essential(%s) = {%s}, expected {%s}", service, got, want);
	free(got);
	itr_spof_release(&s);
	itr_failnet_release(&net);
}

static void expect_down(const itr_model *m, const char *failed, const char *want)
{
	char *got = t_down_after(m, failed);

	cr_expect_str_eq(got, want, "failing {%s} puts down {%s}, expected {%s}", failed, got, want);
	free(got);
}

/* Defeaters of the g-th group of a service, as "a b". */
static char *defeaters(const itr_model *m, const char *service, size_t index)
{
	itr_failnet net;
	itr_spof s;
	char *out = NULL;
	size_t e = itr_model_find(m, service);

	itr_failnet_build(&net, m);
	itr_spof_compute(&s, m, &net);
	for (size_t g = 0; g < net.ngroups; g++)
		if (net.groups[g].service == e && net.groups[g].index == index)
			out = t_ids(m, &s.defeaters[g]);
	cr_assert_not_null(out, "no group %zu of '%s'", index, service);
	itr_spof_release(&s);
	itr_failnet_release(&net);
	return out;
}

Test(spof, chain_of_provider_relies_on_and_parent)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'><needs ref='a'/></service>"
		"<service id='a' name='A' provider='v'/>"
		"<vendor id='v' name='V' parent='p'><relies-on ref='w'/></vendor>"
		"<vendor id='w' name='W'/><vendor id='p' name='P'/>");

	expect_essential(m, "s", "a p v w");
	itr_model_free(m);
}

Test(spof, real_redundancy_has_no_spof)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
		"<service id='a' name='A' provider='v1'/><service id='b' name='B' provider='v2'/>"
		"<vendor id='v1' name='V1'/><vendor id='v2' name='V2'/>");

	expect_essential(m, "s", "");
	expect_down(m, "v1", "a v1");
	expect_down(m, "v1 v2", "a b s v1 v2");
	itr_model_free(m);
}

Test(spof, shared_fourth_party_defeats_redundancy)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
		"<service id='a' name='A' provider='v1'/><service id='b' name='B' provider='v2'/>"
		"<vendor id='v1' name='V1'><relies-on ref='f'/></vendor>"
		"<vendor id='v2' name='V2'><relies-on ref='f'/></vendor>"
		"<vendor id='f' name='Fourth'/>");
	char *d;

	expect_essential(m, "s", "f");
	d = defeaters(m, "s", 0);
	cr_expect_str_eq(d, "f");
	free(d);
	itr_model_free(m);
}

Test(spof, corporate_group_behind_two_vendors)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='important'>"
		"<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
		"<service id='a' name='A' provider='v1'/><service id='b' name='B' provider='v2'/>"
		"<vendor id='v1' name='V1' parent='g'/><vendor id='v2' name='V2' parent='h'/>"
		"<vendor id='h' name='H' parent='g'/><vendor id='g' name='Group'/>");

	/* g is v1's parent and v2's grandparent */
	expect_essential(m, "s", "g");
	itr_model_free(m);
}

Test(spof, k_of_n_fails_when_two_options_share_a_vendor)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='2'><option ref='a'/><option ref='b'/><option ref='c'/></needs-any>"
		"</service>"
		"<service id='a' name='A' provider='v1'/><service id='b' name='B' provider='v1'/>"
		"<service id='c' name='C' provider='v2'/>"
		"<vendor id='v1' name='V1'/><vendor id='v2' name='V2'/>");
	char *d;

	/* v1 takes a and b: 1 of 3 left < 2. v2 takes c: 2 left. a alone: 2 left. */
	expect_essential(m, "s", "v1");
	d = defeaters(m, "s", 0);
	cr_expect_str_eq(d, "v1");
	free(d);
	itr_model_free(m);
}

Test(spof, k_of_n_with_independent_options_survives_any_single_failure)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='2'><option ref='a'/><option ref='b'/><option ref='c'/></needs-any>"
		"</service>"
		"<service id='a' name='A'/><service id='b' name='B'/><service id='c' name='C'/>");

	expect_essential(m, "s", "");
	expect_down(m, "a b", "a b s");
	expect_down(m, "a", "a");
	itr_model_free(m);
}

Test(spof, n_of_n_is_plain_series_and_not_a_redundancy_finding)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='2'><option ref='a'/><option ref='b'/></needs-any></service>"
		"<service id='a' name='A' provider='v'/><service id='b' name='B'/>"
		"<vendor id='v' name='V'/>");
	itr_failnet net;
	itr_spof s;

	expect_essential(m, "s", "a b v");
	itr_failnet_build(&net, m);
	itr_spof_compute(&s, m, &net);
	cr_expect_eq(s.defeaters[0].n, 0, "min = options is no redundancy to defeat");
	itr_spof_release(&s);
	itr_failnet_release(&net);
	itr_model_free(m);
}

Test(spof, shared_dependency_inside_k_of_n)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='2'><option ref='a'/><option ref='b'/><option ref='c'/></needs-any>"
		"</service>"
		"<service id='a' name='A'><needs ref='d'/></service>"
		"<service id='b' name='B'><needs ref='d'/></service>"
		"<service id='c' name='C'/><service id='d' name='D' provider='v'/>"
		"<vendor id='v' name='V'/>");

	expect_essential(m, "s", "d v");
	itr_model_free(m);
}

Test(spof, needs_cycle_stays_up_and_both_members_are_essential)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'><needs ref='a'/></service>"
		"<service id='a' name='A'><needs ref='b'/></service>"
		"<service id='b' name='B'><needs ref='a'/></service>");

	expect_down(m, "s", "s");
	expect_essential(m, "s", "a b");
	expect_essential(m, "a", "");  /* standard services get no essential set */
	itr_model_free(m);
}

Test(spof, mutually_supporting_cycle_survives_loss_of_outside_options)
{
	/* a needs b or x; b needs a or y. With x and y failed, {x, y} is closed:
	 * a and b each still have an option up, so the least fixed point keeps them up. */
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
		"<service id='a' name='A'>"
		"<needs-any min='1'><option ref='b'/><option ref='x'/></needs-any></service>"
		"<service id='b' name='B'>"
		"<needs-any min='1'><option ref='a'/><option ref='y'/></needs-any></service>"
		"<service id='x' name='X'/><service id='y' name='Y'/>");

	expect_down(m, "x y", "x y");
	expect_down(m, "a", "a");
	expect_down(m, "a y", "a b s y");
	expect_essential(m, "s", "");
	itr_model_free(m);
}

Test(spof, cycle_through_both_options_defeats_redundancy)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='important'>"
		"<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
		"<service id='a' name='A'><needs ref='b'/></service>"
		"<service id='b' name='B'><needs ref='a'/></service>");
	char *d;

	expect_essential(m, "s", "a b");
	d = defeaters(m, "s", 0);
	cr_expect_str_eq(d, "a b");
	free(d);
	itr_model_free(m);
}

Test(spof, relies_on_cycle_between_vendors)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical' provider='v1'/>"
		"<vendor id='v1' name='V1'><relies-on ref='v2'/></vendor>"
		"<vendor id='v2' name='V2'><relies-on ref='v1'/></vendor>"
		"<vendor id='v3' name='V3'><relies-on ref='v3'/></vendor>");

	expect_essential(m, "s", "v1 v2");
	expect_down(m, "v2", "s v1 v2");
	expect_down(m, "v3", "v3");
	itr_model_free(m);
}

Test(spof, self_need_does_not_bring_a_service_down)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'><needs ref='s'/><needs ref='a'/></service>"
		"<service id='a' name='A'/>");

	expect_essential(m, "s", "a");
	itr_model_free(m);
}

Test(spof, duplicate_option_counts_twice)
{
	/* min 1 of {a, a}: a is both options, so its failure takes both */
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='1'><option ref='a'/><option ref='a'/></needs-any></service>"
		"<service id='a' name='A'/>");

	expect_essential(m, "s", "a");
	itr_model_free(m);
}

Test(spof, a_parent_fails_its_whole_group_but_not_the_other_way)
{
	itr_model *m = t_load_ok(
		"<vendor id='g' name='G'/><vendor id='v1' name='V1' parent='g'/>"
		"<vendor id='v2' name='V2' parent='g'/>"
		"<service id='s' name='S' criticality='critical' provider='v1'/>");

	expect_down(m, "g", "g s v1 v2");
	expect_down(m, "v1", "s v1");
	expect_essential(m, "s", "g v1");
	itr_model_free(m);
}

Test(spof, ids_sort_bytewise)
{
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs ref='b'/><needs ref='B'/><needs ref='a-1'/><needs ref='a1'/><needs ref='_z'/>"
		"</service>"
		"<service id='b' name='b'/><service id='B' name='B'/><service id='a-1' name='a'/>"
		"<service id='a1' name='a'/><service id='_z' name='z'/>");

	expect_essential(m, "s", "B _z a-1 a1 b");
	itr_model_free(m);
}
