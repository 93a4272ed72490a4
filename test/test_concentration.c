/* Concentration rules and figures at their boundaries, worked out by hand. */
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(concentration, .init = itr_graph_setup);

typedef struct run {
	itr_model *m;
	itr_audit a;
} run;

static run audit_doc(const char *attrs, const char *body)
{
	itr_buf xml = ITR_BUF_INIT;
	itr_diags d;
	run r;

	itr_buf_printf(&xml, "<portfolio xmlns='urn:itorisk:portfolio:1' %s>%s</portfolio>", attrs,
		       body);
	itr_diags_init(&d);
	r.m = t_load_string(xml.s, &d);
	cr_assert_not_null(r.m, "%s", d.n ? d.v[0].message : "");
	itr_diags_release(&d);
	itr_buf_release(&xml);
	cr_assert_eq(itr_audit_run(&r.a, r.m, 20758), 0);
	return r;
}

static void done(run *r)
{
	itr_audit_release(&r->a);
	itr_model_free(r->m);
}

static char *keys(const run *r, const char *rule)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < r->a.nfindings; i++)
		if (strcmp(r->a.findings[i].rule, rule) == 0)
			itr_buf_printf(&b, "%s%s:%s", b.len ? " " : "", r->a.findings[i].key,
				       itr_severity_name(r->a.findings[i].severity));
	return itr_buf_detach(&b);
}

static void expect_keys(const run *r, const char *rule, const char *want)
{
	char *got = keys(r, rule);

	cr_expect_str_eq(got, want, "%s: {%s}, expected {%s}", rule, got, want);
	free(got);
}

/* Vendor v<N> with a contract of the given annual cost for a standard service. */
#define SPEND(n, cost, extra)                                                                      \
	"<vendor id='v" n "' name='V' " extra "/><service id='s" n "' name='S' provider='v" n "'/>" \
	"<contract id='k" n "' vendor='v" n "' sourcing='selective' shoring='onshore'"            \
	" start='2020-01-01' annual-cost='" cost "'><covers ref='s" n "'/></contract>"

Test(concentration, hhi_exactly_at_the_high_band_is_moderate)
{
	/* four vendors at 25%: HHI = 4 x 0.0625 = 0.25 = hhi-high, not above it;
	 * above 0.15, so moderate (one step below medium); no share above 30% */
	run r = audit_doc("", SPEND("1", "100", "") SPEND("2", "100", "") SPEND("3", "100", "")
				  SPEND("4", "100", ""));

	cr_expect_float_eq(r.a.hhi_spend_vendor, 0.25, 1e-15);
	expect_keys(&r, "concentration.vendor", "hhi:spend:low");
	done(&r);
}

Test(concentration, share_exactly_at_the_limit_is_allowed)
{
	/* 30 / 35 / 35: v1 at exactly 30% is fine, v2 and v3 are above;
	 * HHI 0.09 + 2 x 0.1225 = 0.335 > 0.25: high band at the largest (v2) */
	run r = audit_doc("", SPEND("1", "30", "") SPEND("2", "35", "") SPEND("3", "35", ""));

	cr_expect_float_eq(r.a.hhi_spend_vendor, 0.335, 1e-12);
	expect_keys(&r, "concentration.vendor", "hhi:spend:medium v2:medium v3:medium");
	done(&r);
}

Test(concentration, corporate_group_adds_up_its_members)
{
	/* a (20) and b (25) belong to group g (no contract); c 55.
	 * Vendor shares 20/25/55: c above 30%. Group shares: g 45% > 40%, c 55%
	 * > 40% but c is a group of one (no group finding for it).
	 * HHI by vendor 0.04 + 0.0625 + 0.3025 = 0.405; by group 0.2025 + 0.3025 = 0.505. */
	run r = audit_doc("", "<vendor id='g' name='G'/>" SPEND("a", "20", "parent='g'")
				  SPEND("b", "25", "parent='g'") SPEND("c", "55", ""));

	cr_expect_float_eq(r.a.hhi_spend_vendor, 0.405, 1e-12);
	cr_expect_float_eq(r.a.hhi_spend_group, 0.505, 1e-12);
	expect_keys(&r, "concentration.vendor", "hhi:spend:medium vc:medium");
	expect_keys(&r, "concentration.group", "g:medium hhi:spend:medium");
	done(&r);
}

Test(concentration, foreign_country_share)
{
	/* 4 critical services: 2 delivered from IN, 1 by a vendor based in IN,
	 * 1 in-house at home (KR): IN has 3 of 4 = 75% > 50%. A second portfolio
	 * with IN at exactly 2 of 4 = 50% has no finding. */
	run r = audit_doc("home-country='KR'",
			  "<vendor id='off' name='O' country='IN'/>"
			  "<service id='a' name='A' criticality='critical' delivered-from='IN'/>"
			  "<service id='b' name='B' criticality='critical' delivered-from='IN'/>"
			  "<service id='c' name='C' criticality='important' provider='off'/>"
			  "<service id='d' name='D' criticality='critical'/>");
	run h = audit_doc("home-country='KR'",
			  "<service id='a' name='A' criticality='critical' delivered-from='IN'/>"
			  "<service id='b' name='B' criticality='critical' delivered-from='IN'/>"
			  "<service id='c' name='C' criticality='critical' delivered-from='KR'/>"
			  "<service id='d' name='D' criticality='critical'/>");

	expect_keys(&r, "concentration.country", "country:IN:medium");
	expect_keys(&h, "concentration.country", "");
	/* HHI by country: (3/4)^2 + (1/4)^2 */
	cr_expect_float_eq(r.a.hhi_critical_country, 0.625, 1e-12);
	done(&r);
	done(&h);
}

Test(concentration, home_country_is_never_a_foreign_concentration)
{
	run r = audit_doc("home-country='DE'",
			  "<service id='a' name='A' criticality='critical' delivered-from='DE'/>"
			  "<service id='b' name='B' criticality='critical'/>");

	expect_keys(&r, "concentration.country", "");
	done(&r);
}

Test(concentration, fourth_party_under_two_direct_vendors)
{
	/* f under v1 directly and under v2 through the chain v2 -> m -> f (m has no
	 * contract either: under v2 only). One direct vendor is not enough. */
	run r = audit_doc("", SPEND("1", "10", "") SPEND("2", "10", "") SPEND("3", "10", "")
				  "<vendor id='f' name='F'/><vendor id='m' name='M'><relies-on ref='f'/></vendor>"
				  "<vendor id='lone' name='L'/>"
				  "<vendor id='w1' name='W'><relies-on ref='f'/></vendor>");
	run chain = audit_doc("",
			      "<vendor id='f' name='F'/><vendor id='m' name='M'><relies-on ref='f'/></vendor>"
			      "<vendor id='v1' name='V'><relies-on ref='f'/></vendor>"
			      "<vendor id='v2' name='V'><relies-on ref='m'/></vendor>"
			      "<vendor id='v3' name='V'><relies-on ref='lone'/></vendor>"
			      "<vendor id='lone' name='L'/>"
			      "<service id='s1' name='S' provider='v1'/><service id='s2' name='S' provider='v2'/>"
			      "<service id='s3' name='S' provider='v3'/>"
			      "<contract id='k1' vendor='v1' sourcing='total' shoring='onshore' start='2020-01-01'><covers ref='s1'/></contract>"
			      "<contract id='k2' vendor='v2' sourcing='total' shoring='onshore' start='2020-01-01'><covers ref='s2'/></contract>"
			      "<contract id='k3' vendor='v3' sourcing='total' shoring='onshore' start='2020-01-01'><covers ref='s3'/></contract>");

	/* in r nobody with a contract relies on anything */
	expect_keys(&r, "concentration.fourth-party", "");
	expect_keys(&chain, "concentration.fourth-party", "f:medium");
	done(&r);
	done(&chain);
}

Test(concentration, headline_group_is_the_one_whose_failure_stops_most_critical_services)
{
	/* group g (a, b) provides x and y (critical); c provides z (critical) */
	run r = audit_doc("", "<vendor id='g' name='G'/><vendor id='a' name='A' parent='g'/>"
			      "<vendor id='b' name='B' parent='g'/><vendor id='c' name='C'/>"
			      "<service id='x' name='X' criticality='critical' provider='a'/>"
			      "<service id='y' name='Y' criticality='critical' provider='b'/>"
			      "<service id='z' name='Z' criticality='critical' provider='c'/>");

	cr_expect_eq(r.a.critical_services, 3);
	cr_assert_neq(r.a.headline_group, ITR_NONE);
	cr_expect_str_eq(r.m->vendors[r.a.headline_group].id, "g");
	cr_expect_eq(r.a.headline_group_services, 2);
	done(&r);
}

Test(concentration, headline_counts_redundancy_only_the_whole_group_defeats)
{
	/* group g: a and b, and a2 under a. s needs oa (at a2) or ob (at b):
	 * no member alone stops it, the group does (with x at a and y at b):
	 * 3. c provides two critical services. */
	run r = audit_doc("", "<vendor id='g' name='G'/><vendor id='a' name='A' parent='g'/>"
			      "<vendor id='a2' name='A2' parent='a'/><vendor id='b' name='B' parent='g'/>"
			      "<vendor id='c' name='C'/>"
			      "<service id='oa' name='O' provider='a2'/><service id='ob' name='O' provider='b'/>"
			      "<service id='s' name='S' criticality='critical'>"
			      "<needs-any min='1'><option ref='oa'/><option ref='ob'/></needs-any></service>"
			      "<service id='x' name='X' criticality='critical' provider='a'/>"
			      "<service id='y' name='Y' criticality='critical' provider='b'/>"
			      "<service id='z1' name='Z' criticality='critical' provider='c'/>"
			      "<service id='z2' name='Z' criticality='critical' provider='c'/>");

	cr_expect_eq(r.a.critical_services, 5);
	cr_assert_neq(r.a.headline_group, ITR_NONE);
	cr_expect_str_eq(r.m->vendors[r.a.headline_group].id, "g");
	cr_expect_eq(r.a.headline_group_services, 3);
	done(&r);
}
