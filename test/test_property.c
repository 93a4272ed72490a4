/*
 * Property tests on random portfolios (test/gen): essential(S) must agree
 * with direct failure injection evaluated by a naive fixed-point iteration
 * written independently of failnet.c, and the report must not depend on the
 * order in which the files are given.
 */
#define _GNU_SOURCE /* open_memstream */
#include "gen.h"
#include "helpers.h"
#include "itorisk/graph.h"
#include "itorisk/report.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(property, .init = itr_graph_setup, .timeout = 300);

/* Load the documents, in the given order (reverse = last first). */
static itr_model *load_docs(const t_docs *d, bool reverse)
{
	itr_source *src = itr_xcalloc(d->n, sizeof(*src));
	itr_model *m = NULL;
	itr_diags diags;

	for (size_t i = 0; i < d->n; i++) {
		size_t k = reverse ? d->n - 1 - i : i;

		src[i] = (itr_source){d->name[k], d->text[k], d->len[k]};
	}
	itr_diags_init(&diags);
	if (itr_load(&m, src, d->n, NULL, &diags) != 0) {
		char *all = t_all_diags(&diags);

		cr_log_error("generated portfolio does not load:\n%s", all);
		free(all);
	}
	cr_assert_not_null(m);
	itr_diags_release(&diags);
	free(src);
	return m;
}

/* Fail x alone; the down set by helpers.c's literal reading of SPEC §2. */
static void naive_fail(const itr_model *m, size_t x, unsigned char *down)
{
	memset(down, 0, m->nelems);
	down[x] = 1;
	t_naive_down(m, down);
}

static bool contains(const itr_idlist *l, size_t x)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == x)
			return true;
	return false;
}

/* Returns the number of (element, service) pairs checked. */
static size_t check_against_injection(const itr_model *m, unsigned long seed)
{
	itr_failnet net;
	itr_spof s;
	unsigned char *down = itr_xmalloc(m->nelems + 1);
	size_t checked = 0;

	itr_failnet_build(&net, m);
	itr_spof_compute(&s, m, &net);
	for (size_t x = 0; x < m->nelems; x++) {
		naive_fail(m, x, down);
		for (size_t i = 0; i < m->nservices; i++) {
			const itr_service *sv = &m->services[i];
			bool tracked = sv->criticality <= ITR_CRIT_IMPORTANT;

			if (!tracked || sv->elem == x)
				continue;
			cr_assert_eq(contains(&s.essential[sv->elem], x), down[sv->elem] != 0,
				     "seed %lu: failing '%s' %s '%s' but essential says otherwise", seed,
				     itr_model_elem_id(m, x), down[sv->elem] ? "stops" : "spares", sv->id);
			checked++;
		}
		for (size_t g = 0; g < net.ngroups; g++) {
			const itr_fail_group *grp = &net.groups[g];
			const itr_group *mg = &itr_model_elem_service(m, grp->service)->groups[grp->index];
			size_t up = 0;

			if (grp->nopts == grp->min || grp->service == x)
				continue;
			for (size_t k = 0; k < mg->nopts; k++)
				up += !down[mg->options[k].target];
			cr_assert_eq(contains(&s.defeaters[g], x), up < mg->min,
				     "seed %lu: group %zu of '%s' and '%s'", seed, grp->index,
				     itr_model_elem_id(m, grp->service), itr_model_elem_id(m, x));
		}
	}
	itr_spof_release(&s);
	itr_failnet_release(&net);
	free(down);
	return checked;
}

static void params_for(itr_gen_params *p, unsigned long seed)
{
	itr_gen_params_default(p);
	p->seed = seed;
	p->services = 5 + seed % 36;
	p->vendors = 2 + seed % 11;
	p->links = p->services * (2 + seed % 3);
	p->files = 1 + seed % 4;
	p->cycles = seed % 3 == 0 ? 0.0 : 0.15;
	p->min_above_one = (double)(seed % 5) / 5.0;
	p->self_loops = seed % 7 == 0;
	p->ids = (itr_gen_ids)(seed % 3);
}

Test(property, essential_agrees_with_failure_injection_on_random_portfolios)
{
	size_t pairs = 0, portfolios = 0;

	for (unsigned long seed = 1; seed <= 400; seed++) {
		itr_gen_params p;
		t_docs d;
		itr_model *m;

		params_for(&p, seed);
		d = t_gen_docs(&p, false);
		m = load_docs(&d, false);
		pairs += check_against_injection(m, seed);
		portfolios++;
		itr_model_free(m);
		t_docs_free(&d);
	}
	cr_log_info("%zu portfolios, %zu (element, service) pairs checked", portfolios, pairs);
	cr_expect_gt(pairs, 10000, "the property must actually be exercised");
}

static char *json_of(const itr_model *m)
{
	itr_audit a;
	itr_buf b = ITR_BUF_INIT;

	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	itr_report_json(&b, &a);
	itr_audit_release(&a);
	return itr_buf_detach(&b);
}

Test(property, report_does_not_depend_on_file_order)
{
	for (unsigned long seed = 1; seed <= 40; seed++) {
		itr_gen_params p;
		t_docs d;
		itr_model *m1, *m2;
		char *j1, *j2;

		params_for(&p, seed * 7919);
		p.files = 2 + seed % 5;
		d = t_gen_docs(&p, false);
		m1 = load_docs(&d, false);
		m2 = load_docs(&d, true);
		j1 = json_of(m1);
		j2 = json_of(m2);
		cr_assert_str_eq(j1, j2, "seed %lu: report changes with file order", seed * 7919);
		free(j1);
		free(j2);
		itr_model_free(m1);
		itr_model_free(m2);
		t_docs_free(&d);
	}
}
