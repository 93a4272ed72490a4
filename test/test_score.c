/* Vendor scores on a portfolio small enough to score by hand. */
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(score, .init = itr_graph_setup);

Test(score, factors_and_weighted_mean)
{
	/* v provides the only critical service s and all the spend, on an expired
	 * contract: impact 1 x (0.6 + 0.4 x 1/1) = 1, concentration min(1, 100%/30%)
	 * = 1, continuity 1 (expired), security 0: 100 x (40 + 20 + 20) / 100 = 80.
	 * u provides t with no contract: continuity 1 only: 100 x 20 / 100 = 20.
	 * w provides nothing: 0. */
	itr_model *m = t_load_ok(
		"<vendor id='v' name='V'/><vendor id='u' name='U'/><vendor id='w' name='W'/>"
		"<service id='s' name='S' criticality='critical' provider='v' owner='o'/>"
		"<service id='t' name='T' provider='u'/>"
		"<contract id='k' vendor='v' sourcing='selective' shoring='onshore' start='2020-01-01'"
		" end='2026-10-01' annual-cost='100'><covers ref='s'/>"
		"<exit plan='tested' tested-on='2026-06-01'/></contract>");
	itr_audit a;
	const itr_vendor_score *v, *u, *w;

	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	u = &a.scores[0];
	v = &a.scores[1];
	w = &a.scores[2];
	cr_assert_str_eq(m->vendors[1].id, "v");
	cr_expect_float_eq(v->factor[ITR_FACTOR_IMPACT], 1.0, 1e-12);
	cr_expect_float_eq(v->factor[ITR_FACTOR_CONCENTRATION], 1.0, 1e-12);
	cr_expect_float_eq(v->factor[ITR_FACTOR_CONTINUITY], 1.0, 1e-12);
	cr_expect_float_eq(v->factor[ITR_FACTOR_SECURITY], 0.0, 1e-12);
	cr_expect_float_eq(v->score, 80.0, 1e-9);
	cr_expect_eq(v->main_factor, ITR_FACTOR_IMPACT);
	cr_expect_str_eq(v->why[ITR_FACTOR_IMPACT], "alone it can stop 1 critical service");
	cr_expect_str_eq(v->why[ITR_FACTOR_CONTINUITY], "contract.expired (k)");
	cr_expect_float_eq(u->score, 20.0, 1e-9);
	cr_expect_eq(u->main_factor, ITR_FACTOR_CONTINUITY);
	cr_expect_str_eq(u->why[ITR_FACTOR_CONTINUITY], "contract.missing (t)");
	cr_expect_float_eq(w->score, 0.0, 1e-12);
	cr_expect_eq(w->main_factor, -1);
	itr_audit_release(&a);
	itr_model_free(m);
}

Test(score, pair_membership_counts_for_less_than_a_single_point_of_failure)
{
	/* s needs a or b, from v1 and v2: each vendor is only in the pair {v1, v2}
	 * (and pairs with the other service): impact 0.4 x 0.6 = 0.24; no spend;
	 * score 100 x 40 x 0.24 / 100 = 9.6 */
	itr_model *m = t_load_ok(
		"<service id='s' name='S' criticality='critical'>"
		"<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
		"<service id='a' name='A' provider='v1'/><service id='b' name='B' provider='v2'/>"
		"<vendor id='v1' name='V1'/><vendor id='v2' name='V2'/>"
		"<contract id='k1' vendor='v1' sourcing='selective' shoring='onshore' start='2020-01-01'>"
		"<covers ref='a'/></contract>"
		"<contract id='k2' vendor='v2' sourcing='selective' shoring='onshore' start='2020-01-01'>"
		"<covers ref='b'/></contract>");
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	cr_expect_float_eq(a.scores[0].factor[ITR_FACTOR_IMPACT], 0.24, 1e-12);
	cr_expect_float_eq(a.scores[0].score, 9.6, 1e-9);
	cr_expect_float_eq(a.scores[1].score, 9.6, 1e-9);
	itr_audit_release(&a);
	itr_model_free(m);
}

Test(score, term_tco_and_spend_at_risk)
{
	/* k1: 2021-01-01 to 2025-01-01 is 1461 days = 4 years of 365.25 days:
	 * 100 x 4 + exit cost 50 = 450. k2 is open-ended from 2025-11-01: counted
	 * to one year past the as-of date 2026-11-01, 730 days: 200 x 730 / 365.25.
	 * k1 has ended (expired, a continuity finding): spend at risk 100 of 300. */
	itr_model *m = t_load_ok(
		"<vendor id='v' name='V'/><vendor id='w' name='W'/>"
		"<service id='s' name='S' provider='v'/><service id='t' name='T' provider='w'/>"
		"<contract id='k1' vendor='v' sourcing='selective' shoring='onshore' start='2021-01-01'"
		" end='2025-01-01' annual-cost='100'><covers ref='s'/><exit plan='tested'"
		" tested-on='2026-06-01' cost='50'/></contract>"
		"<contract id='k2' vendor='w' sourcing='selective' shoring='onshore' start='2025-11-01'"
		" annual-cost='200'><covers ref='t'/></contract>");
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	cr_expect_float_eq(a.vendor_tco[0], 450.0, 1e-9);
	cr_expect_float_eq(a.vendor_tco[1], 200.0 * 730 / 365.25, 1e-9);
	cr_expect_float_eq(a.total_spend, 300.0, 1e-12);
	cr_expect_float_eq(a.spend_at_risk, 100.0, 1e-12);
	itr_audit_release(&a);
	itr_model_free(m);
}
