/*
 * The samples against answers worked out by hand (test/expected/, with the
 * reasoning in the .md files): essential(S) for every critical and important
 * service, and every needs-any group a single element defeats.
 */
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(samples, .init = itr_graph_setup);

static char *expected(const char *name, const char *ext)
{
	char path[512];
	char *s;

	snprintf(path, sizeof(path), "%s/test/expected/%s.%s", ITR_SOURCE_DIR, name, ext);
	s = t_read(path);
	cr_assert_not_null(s, "missing %s", path);
	return s;
}

/* Our answers in the format of the .essential and .shared files. */
static void computed(const itr_model *m, itr_buf *ess, itr_buf *shared)
{
	itr_failnet net;
	itr_spof s;

	itr_failnet_build(&net, m);
	itr_spof_compute(&s, m, &net);
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *sv = &m->services[i];
		char *ids;

		if (sv->criticality > ITR_CRIT_IMPORTANT)
			continue;
		ids = t_ids(m, &s.essential[sv->elem]);
		itr_buf_printf(ess, "%s:%s%s\n", sv->id, *ids ? " " : "", ids);
		free(ids);
	}
	/* groups come in service order, then document order: already bytewise sorted
	 * as long as the index has one digit, which holds for the samples */
	for (size_t g = 0; g < net.ngroups; g++) {
		char *ids;

		if (s.defeaters[g].n == 0)
			continue;
		ids = t_ids(m, &s.defeaters[g]);
		itr_buf_printf(shared, "%s %zu: %s\n", itr_model_elem_id(m, net.groups[g].service),
			       net.groups[g].index, ids);
		free(ids);
	}
	itr_spof_release(&s);
	itr_failnet_release(&net);
}

static void check_sample(const char *name)
{
	itr_model *m = t_load_sample(name);
	itr_buf ess = ITR_BUF_INIT, shared = ITR_BUF_INIT;
	char *want_ess = expected(name, "essential"), *want_shared = expected(name, "shared");

	computed(m, &ess, &shared);
	cr_expect_str_eq(itr_buf_str(&ess), want_ess, "%s essential sets differ:\ngot:\n%s\nwant:\n%s",
			 name, itr_buf_str(&ess), want_ess);
	cr_expect_str_eq(itr_buf_str(&shared), want_shared,
			 "%s defeated groups differ:\ngot:\n%s\nwant:\n%s", name,
			 itr_buf_str(&shared), want_shared);
	free(want_ess);
	free(want_shared);
	itr_buf_release(&ess);
	itr_buf_release(&shared);
	itr_model_free(m);
}

Test(samples, bank_matches_hand_computed_answers)
{
	check_sample("bank");
}

Test(samples, hospital_matches_hand_computed_answers)
{
	check_sample("hospital");
}

Test(samples, retailer_matches_hand_computed_answers)
{
	check_sample("retailer");
}
