/* Minimal cut sets: hand-computed small cases, and brute force on random portfolios. */
#include "gen.h"
#include "helpers.h"
#include "itorisk/cutsets.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(cutsets, .init = itr_graph_setup, .timeout = 300);

/* "{a b} {c d}" for a service. */
static char *cuts(const itr_model *m, const char *service, unsigned order)
{
	itr_failnet net;
	itr_cutsets c;
	itr_buf b = ITR_BUF_INIT;

	itr_failnet_build(&net, m);
	cr_assert_eq(itr_cutsets_compute(&c, m, &net, itr_model_find(m, service), order, 0), 0);
	for (size_t i = 0; i < c.n; i++) {
		itr_buf_puts(&b, i ? " {" : "{");
		for (size_t k = 0; k < c.len[i]; k++)
			itr_buf_printf(&b, "%s%s", k ? " " : "", itr_model_elem_id(m, c.sets[i][k]));
		itr_buf_putc(&b, '}');
	}
	itr_cutsets_release(&c);
	itr_failnet_release(&net);
	return itr_buf_detach(&b);
}

static void expect_cuts(const char *body, const char *service, unsigned order, const char *want)
{
	itr_model *m = t_load_ok(body);
	char *got = cuts(m, service, order);

	cr_expect_str_eq(got, want, "cut sets of %s up to %u: %s, expected %s", service, order, got,
			 want);
	free(got);
	itr_model_free(m);
}

#define TWO_PROVIDERS                                                                              \
	"<service id='s' name='S' criticality='critical'>"                                         \
	"<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"             \
	"<service id='a' name='A' provider='v1'/><service id='b' name='B' provider='v2'/>"

Test(cutsets, two_independent_providers_give_four_pairs)
{
	expect_cuts(TWO_PROVIDERS "<vendor id='v1' name='V1'/><vendor id='v2' name='V2'/>", "s", 2,
		    "{a b} {a v2} {b v1} {v1 v2}");
	expect_cuts(TWO_PROVIDERS "<vendor id='v1' name='V1'/><vendor id='v2' name='V2'/>", "s", 1,
		    "");
}

Test(cutsets, a_shared_fourth_party_is_order_one_and_in_no_pair)
{
	expect_cuts(TWO_PROVIDERS "<vendor id='v1' name='V1'><relies-on ref='f'/></vendor>"
				  "<vendor id='v2' name='V2'><relies-on ref='f'/></vendor>"
				  "<vendor id='f' name='F'/>",
		    "s", 2, "{f} {a b} {a v2} {b v1} {v1 v2}");
}

Test(cutsets, two_of_three)
{
	expect_cuts("<service id='s' name='S' criticality='important'>"
		    "<needs-any min='2'><option ref='a'/><option ref='b'/><option ref='c'/></needs-any>"
		    "</service><service id='a' name='A'/><service id='b' name='B'/>"
		    "<service id='c' name='C'/>",
		    "s", 3, "{a b} {a c} {b c}");
}

Test(cutsets, one_of_three_needs_order_three)
{
	expect_cuts("<service id='s' name='S' criticality='critical'>"
		    "<needs-any min='1'><option ref='a'/><option ref='b'/><option ref='c'/></needs-any>"
		    "</service><service id='a' name='A'/><service id='b' name='B'/>"
		    "<service id='c' name='C'/>",
		    "s", 2, "");
	expect_cuts("<service id='s' name='S' criticality='critical'>"
		    "<needs-any min='1'><option ref='a'/><option ref='b'/><option ref='c'/></needs-any>"
		    "</service><service id='a' name='A'/><service id='b' name='B'/>"
		    "<service id='c' name='C' provider='v'/><vendor id='v' name='V'/>",
		    "s", 3, "{a b c} {a b v}");
}

Test(cutsets, mutually_supporting_cycle)
{
	/* a needs b or x, b needs a or y: {x y} leaves a and b holding each other up */
	expect_cuts("<service id='s' name='S' criticality='critical'>"
		    "<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
		    "<service id='a' name='A'><needs-any min='1'><option ref='b'/><option ref='x'/>"
		    "</needs-any></service>"
		    "<service id='b' name='B'><needs-any min='1'><option ref='a'/><option ref='y'/>"
		    "</needs-any></service>"
		    "<service id='x' name='X'/><service id='y' name='Y'/>",
		    "s", 3, "{a b} {a y} {b x}");
}

Test(cutsets, pair_through_nested_groups)
{
	/* s needs t; t needs u or w; u needs p or q: {p q w} at order 3, {u w} at 2 */
	expect_cuts("<service id='s' name='S' criticality='critical'><needs ref='t'/></service>"
		    "<service id='t' name='T'><needs-any min='1'><option ref='u'/><option ref='w'/>"
		    "</needs-any></service>"
		    "<service id='u' name='U'><needs-any min='1'><option ref='p'/><option ref='q'/>"
		    "</needs-any></service>"
		    "<service id='w' name='W'/><service id='p' name='P'/><service id='q' name='Q'/>",
		    "s", 3, "{t} {u w} {p q w}");
}

/* ---- brute force ---------------------------------------------------------- */

static bool down_naive(const itr_model *m, const size_t *f, size_t nf, size_t target)
{
	unsigned char *down = itr_xcalloc(m->nelems + 1, 1);
	bool r;

	for (size_t i = 0; i < nf; i++)
		down[f[i]] = 1;
	t_naive_down(m, down);
	r = down[target] != 0;
	free(down);
	return r;
}

/* All minimal cut sets up to order 2 of s by brute force, as "{a b} ..." sorted like ours. */
static char *brute(const itr_model *m, size_t s)
{
	itr_buf b = ITR_BUF_INIT;
	size_t n = m->nelems;
	bool *single = itr_xcalloc(n + 1, sizeof(bool));

	for (size_t x = 0; x < n; x++) {
		if (x != s && down_naive(m, &x, 1, s)) {
			single[x] = true;
			itr_buf_printf(&b, "%s{%s}", b.len ? " " : "", itr_model_elem_id(m, x));
		}
	}
	for (size_t x = 0; x < n; x++)
		for (size_t y = x + 1; y < n; y++) {
			size_t f[2] = {x, y};

			if (x == s || y == s || single[x] || single[y] || !down_naive(m, f, 2, s))
				continue;
			itr_buf_printf(&b, "%s{%s %s}", b.len ? " " : "", itr_model_elem_id(m, x),
				       itr_model_elem_id(m, y));
		}
	free(single);
	return itr_buf_detach(&b);
}

static itr_model *random_model(unsigned long seed)
{
	itr_gen_params p;

	itr_gen_params_default(&p);
	p.seed = seed;
	p.services = 4 + seed % 14;
	p.vendors = 2 + seed % 6;
	p.links = p.services * 2;
	p.files = 1;
	p.needs_any = 0.5;
	p.cycles = seed % 2 ? 0.2 : 0.0;
	p.ids = ITR_GEN_IDS_PLAIN;
	return t_random_model(&p);
}

Test(cutsets, agree_with_brute_force_up_to_order_two)
{
	size_t compared = 0, pairs = 0;

	for (unsigned long seed = 1; seed <= 150; seed++) {
		itr_model *m = random_model(seed);
		itr_failnet net;
		itr_cutsets *all = itr_xcalloc(m->nelems + 1, sizeof(*all));

		itr_failnet_build(&net, m);
		itr_cutsets_all(all, m, &net, 2, 0, 0);
		for (size_t i = 0; i < m->nservices; i++) {
			const itr_service *s = &m->services[i];
			itr_buf got = ITR_BUF_INIT;
			char *want;

			if (s->criticality > ITR_CRIT_IMPORTANT)
				continue;
			for (size_t k = 0; k < all[s->elem].n; k++) {
				itr_buf_puts(&got, k ? " {" : "{");
				for (size_t j = 0; j < all[s->elem].len[k]; j++)
					itr_buf_printf(&got, "%s%s", j ? " " : "",
						       itr_model_elem_id(m, all[s->elem].sets[k][j]));
				itr_buf_putc(&got, '}');
				pairs += all[s->elem].len[k] == 2;
			}
			want = brute(m, s->elem);
			cr_assert_str_eq(itr_buf_str(&got), want, "seed %lu, service %s", seed, s->id);
			compared++;
			free(want);
			itr_buf_release(&got);
		}
		for (size_t e = 0; e < m->nelems; e++)
			itr_cutsets_release(&all[e]);
		free(all);
		itr_failnet_release(&net);
		itr_model_free(m);
	}
	cr_log_info("%zu services compared, %zu pairs", compared, pairs);
	cr_expect_gt(pairs, 100, "pairs must actually occur");
}

/* Order 3 on tiny portfolios: every triple that stops s while none of its pairs
 * or members does. */
static char *brute3(const itr_model *m, size_t s)
{
	itr_buf b = ITR_BUF_INIT;
	size_t n = m->nelems;

	for (size_t x = 0; x < n; x++)
		for (size_t y = x + 1; y < n; y++)
			for (size_t z = y + 1; z < n; z++) {
				size_t f[3] = {x, y, z}, xy[2] = {x, y}, xz[2] = {x, z}, yz[2] = {y, z};

				if (x == s || y == s || z == s || !down_naive(m, f, 3, s) ||
				    down_naive(m, xy, 2, s) || down_naive(m, xz, 2, s) ||
				    down_naive(m, yz, 2, s))
					continue;
				itr_buf_printf(&b, "%s{%s %s %s}", b.len ? " " : "",
					       itr_model_elem_id(m, x), itr_model_elem_id(m, y),
					       itr_model_elem_id(m, z));
			}
	return itr_buf_detach(&b);
}

Test(cutsets, order_three_agrees_with_brute_force_on_tiny_portfolios)
{
	size_t triples = 0;

	for (unsigned long seed = 1; seed <= 60; seed++) {
		itr_model *m = random_model(seed * 13);
		itr_failnet net;
		itr_cutsets *all = itr_xcalloc(m->nelems + 1, sizeof(*all));

		if (m->nelems > 18) {
			free(all);
			itr_model_free(m);
			continue;
		}
		itr_failnet_build(&net, m);
		itr_cutsets_all(all, m, &net, 3, 0, 0);
		for (size_t i = 0; i < m->nservices; i++) {
			const itr_service *s = &m->services[i];
			itr_buf got = ITR_BUF_INIT;
			char *want;

			if (s->criticality > ITR_CRIT_IMPORTANT)
				continue;
			for (size_t k = 0; k < all[s->elem].n; k++) {
				if (all[s->elem].len[k] != 3)
					continue;
				itr_buf_printf(&got, "%s{%s %s %s}", got.len ? " " : "",
					       itr_model_elem_id(m, all[s->elem].sets[k][0]),
					       itr_model_elem_id(m, all[s->elem].sets[k][1]),
					       itr_model_elem_id(m, all[s->elem].sets[k][2]));
				triples++;
			}
			want = brute3(m, s->elem);
			cr_assert_str_eq(itr_buf_str(&got), want, "seed %lu, service %s", seed * 13,
					 s->id);
			free(want);
			itr_buf_release(&got);
		}
		for (size_t e = 0; e < m->nelems; e++)
			itr_cutsets_release(&all[e]);
		free(all);
		itr_failnet_release(&net);
		itr_model_free(m);
	}
	cr_log_info("%zu triples", triples);
	cr_expect_gt(triples, 10, "triples must actually occur");
}

/* Every set of every service, one line each: what a search produced. */
static char *all_sets(const itr_model *m, const itr_cutsets *all)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t e = 0; e < m->nelems; e++) {
		if (all[e].n == 0 && !all[e].truncated)
			continue;
		itr_buf_printf(&b, "%s%s:", itr_model_elem_id(m, e), all[e].truncated ? " (truncated)" : "");
		for (size_t k = 0; k < all[e].n; k++) {
			itr_buf_putc(&b, ' ');
			for (size_t j = 0; j < all[e].len[k]; j++)
				itr_buf_printf(&b, "%s%s", j ? "+" : "",
					       itr_model_elem_id(m, all[e].sets[k][j]));
		}
		itr_buf_putc(&b, '\n');
	}
	return itr_buf_detach(&b);
}

/* The search in chunks, run last chunk first: what threads taking chunks in
 * any order would do. */
static char *sets_reversed(const itr_model *m, const itr_failnet *net, size_t budget,
			   size_t *nchunks)
{
	itr_cutsets *all = itr_xcalloc(m->nelems + 1, sizeof(*all));
	itr_cutsets_job *j = itr_cutsets_begin(all, m, net, NULL, 2, 0, budget, false);
	char *s;

	*nchunks = itr_cutsets_chunks(j);
	for (size_t i = *nchunks; i-- > 0;)
		itr_cutsets_run(j, i);
	itr_cutsets_end(j);
	s = all_sets(m, all);
	for (size_t e = 0; e < m->nelems; e++)
		itr_cutsets_release(&all[e]);
	free(all);
	return s;
}

static char *sets_in_order(const itr_model *m, const itr_failnet *net, size_t budget)
{
	itr_cutsets *all = itr_xcalloc(m->nelems + 1, sizeof(*all));
	char *s;

	itr_cutsets_all(all, m, net, 2, 0, budget);
	s = all_sets(m, all);
	for (size_t e = 0; e < m->nelems; e++)
		itr_cutsets_release(&all[e]);
	free(all);
	return s;
}

/* A generated enterprise portfolio of this many services (one file). */
static itr_model *enterprise_model(unsigned long seed, unsigned long services)
{
	itr_gen_params p;

	itr_gen_params_default(&p);
	p.shape = ITR_GEN_SHAPE_ENTERPRISE;
	p.seed = seed;
	p.services = services;
	p.vendors = services / 10;
	p.links = services * 3;
	p.files = 1;
	return t_random_model(&p);
}

Test(cutsets, chunks_in_any_order_give_the_same_sets_and_stop_at_the_same_budget)
{
	itr_model *m = enterprise_model(7, 3000);
	itr_failnet net;
	char *whole, *prev = NULL;
	size_t nchunks = 0, truncated_runs = 0;

	itr_failnet_build(&net, m);
	whole = sets_in_order(m, &net, 0);
	cr_assert(strstr(whole, "+"), "pairs must occur");
	for (size_t budget = 1000; budget <= 4000000; budget *= 4) {
		char *fwd = sets_in_order(m, &net, budget), *rev = sets_reversed(m, &net, budget, &nchunks);

		cr_assert_gt(nchunks, 4, "several chunks (%zu elements)", m->nelems);
		cr_assert_str_eq(fwd, rev, "budget %zu", budget);
		if (strstr(fwd, "(truncated)")) {
			truncated_runs++;
			/* a larger budget keeps at least as much */
			cr_assert(!prev || strlen(prev) <= strlen(fwd), "budget %zu", budget);
		} else {
			cr_assert_str_eq(fwd, whole, "budget %zu is not reached", budget);
		}
		free(prev);
		prev = fwd;
		free(rev);
	}
	cr_assert_gt(truncated_runs, 1, "the budget must stop the search in some runs");
	cr_assert(!strstr(prev, "(truncated)"), "the largest budget is enough");
	free(prev);
	free(whole);
	itr_failnet_release(&net);
	itr_model_free(m);
}

/* With the order-1 sets left implicit, each service lists what it listed
 * with them, minus its first nsingles sets, which are the first nsingles of
 * its essential set: the same truncation, the same caps. */
Test(cutsets, implicit_singles_list_the_same_sets)
{
	itr_model *m = enterprise_model(11, 2000);
	itr_failnet net;
	itr_spof spof;
	size_t compared = 0, capped = 0;

	itr_failnet_build(&net, m);
	itr_spof_compute(&spof, m, &net);
	for (size_t max = 0; max <= 60; max = max ? max * 4 : 3) {
		itr_cutsets *exp = itr_xcalloc(m->nelems + 1, sizeof(*exp));
		itr_cutsets *imp = itr_xcalloc(m->nelems + 1, sizeof(*imp));
		itr_cutsets_job *j;

		itr_cutsets_from(exp, m, &net, &spof, 2, max, 0);
		j = itr_cutsets_begin(imp, m, &net, &spof, 2, max, 0, true);
		for (size_t i = 0; i < itr_cutsets_chunks(j); i++)
			itr_cutsets_run(j, i);
		itr_cutsets_end(j);
		for (size_t e = 0; e < m->nelems; e++) {
			const itr_cutsets *x = &exp[e], *y = &imp[e];

			cr_assert_eq(x->n, y->nsingles + y->n, "max %zu, %s", max, itr_model_elem_id(m, e));
			cr_assert_eq(x->truncated, y->truncated, "max %zu, %s", max,
				     itr_model_elem_id(m, e));
			for (size_t k = 0; k < y->nsingles; k++) {
				cr_assert_eq(x->len[k], 1);
				cr_assert_eq(x->sets[k][0], spof.essential[e].v[k]);
			}
			for (size_t k = 0; k < y->n; k++) {
				cr_assert_eq(x->len[y->nsingles + k], y->len[k]);
				for (size_t i = 0; i < y->len[k]; i++)
					cr_assert_eq(x->sets[y->nsingles + k][i], y->sets[k][i]);
			}
			compared += x->n > 0;
			capped += y->truncated && y->n == 0 && y->nsingles == max;
		}
		for (size_t e = 0; e < m->nelems; e++) {
			itr_cutsets_release(&exp[e]);
			itr_cutsets_release(&imp[e]);
		}
		free(exp);
		free(imp);
	}
	cr_log_info("%zu lists compared, %zu cut inside the singles", compared, capped);
	cr_expect_gt(capped, 0, "some lists must end inside their order-1 sets");
	itr_spof_release(&spof);
	itr_failnet_release(&net);
	itr_model_free(m);
}
