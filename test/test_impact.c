/*
 * itorisk impact: hand-checked answers on the samples (test/expected/bank.md, hospital.md
 * and the sample files), including country failures; every chain must be a
 * real link of the model to something down, ending at what failed.
 */
#include "gatetest.h"

TestSuite(impact, .init = g_setup, .fini = g_teardown, .timeout = 120);

static tj *impact(const char *args)
{
	g_out r = g_run("impact %s --format json", args);
	tj *doc = tj_parse(r.out);

	cr_assert_eq(r.status, 0, "%s: %s", args, r.err);
	cr_assert_not_null(doc, "%s", r.out);
	g_free(&r);
	return doc;
}

/* The down ids, in report order, space separated. Caller frees. */
static char *down_ids(const tj *doc)
{
	itr_buf b = ITR_BUF_INIT;
	const tj *down = tj_get(doc, "down");

	for (size_t i = 0; i < tj_len(down); i++)
		itr_buf_printf(&b, "%s%s", i ? " " : "", tj_str(tj_at(down, i), "id"));
	return itr_buf_detach(&b);
}

/* A chain as "id link to, id link to, ..., id failed". Caller frees. */
static char *chain_of(const tj *doc, const char *id)
{
	itr_buf b = ITR_BUF_INIT;
	const tj *down = tj_get(doc, "down");

	for (size_t i = 0; i < tj_len(down); i++) {
		const tj *chain = tj_get(tj_at(down, i), "chain");

		if (strcmp(tj_str(tj_at(down, i), "id"), id) != 0)
			continue;
		for (size_t k = 0; k < tj_len(chain); k++) {
			const tj *step = tj_at(chain, k);
			const char *to = tj_str(step, "to"), *cc = tj_str(step, "country");

			itr_buf_printf(&b, "%s%s %s%s%s", k ? ", " : "", tj_str(step, "id"),
				       tj_str(step, "link"), to || cc ? " " : "", to ? to : cc ? cc : "");
		}
	}
	return itr_buf_detach(&b);
}

#define EXPECT_CHAIN(doc, id, want)                                                                \
	do {                                                                                       \
		char *got_ = chain_of(doc, id);                                                    \
		cr_expect_str_eq(got_, want, "chain of %s", id);                                    \
		free(got_);                                                                        \
	} while (0)

/* Every chain starts at its element, steps along links to down elements,
 * each step's target is the next step's subject, and it ends at a failure. */
static void expect_well_founded(const tj *doc)
{
	const tj *down = tj_get(doc, "down");

	for (size_t i = 0; i < tj_len(down); i++) {
		const tj *chain = tj_get(tj_at(down, i), "chain");
		const tj *last = tj_at(chain, tj_len(chain) - 1);

		cr_assert_geq(tj_len(chain), 1);
		cr_expect_str_eq(tj_str(tj_at(chain, 0), "id"), tj_str(tj_at(down, i), "id"));
		for (size_t k = 0; k + 1 < tj_len(chain); k++) {
			const char *to = tj_str(tj_at(chain, k), "to");
			bool is_down = false;

			cr_assert_not_null(to, "every step but the last points somewhere");
			cr_expect_str_eq(to, tj_str(tj_at(chain, k + 1), "id"));
			for (size_t j = 0; j < tj_len(down); j++)
				is_down = is_down || strcmp(tj_str(tj_at(down, j), "id"), to) == 0;
			cr_expect(is_down, "'%s' is down", to);
		}
		cr_expect(strcmp(tj_str(last, "link"), "failed") == 0 ||
				  strcmp(tj_str(last, "link"), "country") == 0,
			  "ends at a failure");
		cr_expect_leq(tj_len(chain), tj_len(down), "no loops");
	}
}

Test(impact, bank_fourth_party_takes_both_cloud_zones)
{
	/* bank.md: Hanra IDC runs both zones' halls; cloudco and skyline rely on
	 * it, so dc-seoul and dc-busan go, and with them every group of the two */
	tj *doc = impact("samples/bank --fail hanra-idc");
	char *ids = down_ids(doc);
	const tj *first;

	cr_expect_str_eq(ids, "internet-banking mobile-banking payments customer-auth dc-busan dc-seoul "
			      "cloudco hanra-idc skyline",
			 "critical services first, then important, standard, vendors");
	cr_expect_eq(tj_num(tj_path(doc, "summary.services"), "critical"), 3);
	cr_expect_eq(tj_num(tj_get(doc, "summary"), "vendors"), 3);
	EXPECT_CHAIN(doc, "dc-seoul", "dc-seoul provider cloudco, cloudco relies-on hanra-idc, hanra-idc failed");
	EXPECT_CHAIN(doc, "hanra-idc", "hanra-idc failed");
	/* payments falls through its zone group: both options down */
	first = tj_at(tj_get(tj_at(tj_get(doc, "down"), 2), "chain"), 0);
	cr_expect_str_eq(tj_str(first, "id"), "payments");
	cr_expect_str_eq(tj_str(first, "link"), "needs-any");
	cr_expect_eq(tj_num(first, "min"), 1);
	cr_expect_eq(tj_len(tj_get(first, "down")), 2);
	expect_well_founded(doc);
	free(ids);
	tj_free(doc);
}

Test(impact, failing_both_cloud_providers_but_not_their_fourth_party)
{
	/* the same zones, but hanra-idc stays up */
	tj *doc = impact("samples/bank --fail cloudco --fail skyline");
	char *ids = down_ids(doc);

	cr_expect_str_eq(ids, "internet-banking mobile-banking payments customer-auth dc-busan dc-seoul "
			      "cloudco skyline");
	expect_well_founded(doc);
	free(ids);
	tj_free(doc);
}

Test(impact, one_cloud_provider_alone_stops_nothing_critical)
{
	tj *doc = impact("samples/bank --fail cloudco");
	char *ids = down_ids(doc);

	cr_expect_str_eq(ids, "dc-seoul cloudco", "Busan carries on");
	free(ids);
	tj_free(doc);
}

Test(impact, bank_country_failure_singapore)
{
	/* CreditLens is based in SG and loan-scoring is delivered from SG:
	 * loan origination needs the score */
	tj *doc = impact("samples/bank --fail country:SG");
	char *ids = down_ids(doc);

	cr_expect_str_eq(ids, "loan-origination loan-scoring creditlens");
	EXPECT_CHAIN(doc, "loan-scoring", "loan-scoring country SG");
	EXPECT_CHAIN(doc, "loan-origination", "loan-origination needs loan-scoring, loan-scoring country SG");
	EXPECT_CHAIN(doc, "creditlens", "creditlens country SG");
	cr_expect_str_eq(tj_sat(tj_get(tj_get(doc, "failed"), "countries"), 0), "SG");
	free(ids);
	tj_free(doc);
}

Test(impact, bank_country_failure_japan_and_india_together)
{
	/* Kanto Cyber (JP) runs the SOC from Japan; Vistara (IN) maintains the apps */
	tj *doc = impact("samples/bank --fail country:JP,country:IN");
	char *ids = down_ids(doc);

	cr_expect_str_eq(ids, "soc app-maintenance kanto-cyber vistara");
	expect_well_founded(doc);
	free(ids);
	tj_free(doc);
}

Test(impact, hospital_country_failure_reaches_the_group_behind_two_archives)
{
	/* hospital.md: both PACS archives belong to the Aurelius group (NL):
	 * the country takes the parent, the parent both archive vendors, the
	 * archives the PACS, the PACS the emergency board and night reading */
	tj *doc = impact("samples/hospital --fail country:NL");
	char *ids = down_ids(doc);

	cr_expect_str_eq(ids, "emergency-dept pacs night-reading pacs-archive-a pacs-archive-b aurelius "
			      "cirrusmed imagion");
	EXPECT_CHAIN(doc, "cirrusmed", "cirrusmed parent aurelius, aurelius country NL");
	EXPECT_CHAIN(doc, "pacs-archive-b",
		     "pacs-archive-b provider cirrusmed, cirrusmed parent aurelius, aurelius country NL");
	expect_well_founded(doc);
	free(ids);
	tj_free(doc);
}

Test(impact, text_report_lists_critical_services_first_with_their_chain)
{
	g_out r = g_run("impact samples/bank --fail hanra-idc");
	char *crit = strstr(r.out, "\nCritical services\n"), *imp = strstr(r.out, "\nImportant services\n");

	cr_expect_eq(r.status, 0);
	cr_assert(crit && imp && crit < imp, "%s", r.out);
	cr_expect(strstr(r.out, "  dc-seoul  samples/bank/cloudco.xml:16\n"
				"    'dc-seoul' is provided by 'cloudco'\n"
				"    'cloudco' relies on 'hanra-idc'\n"
				"    'hanra-idc' failed\n") != NULL,
		  "%s", r.out);
	g_free(&r);
}

Test(impact, output_does_not_depend_on_how_targets_are_given)
{
	g_out a = g_run("impact samples/bank --fail cloudco --fail=skyline");
	g_out b = g_run("impact --fail skyline,cloudco samples/bank --fail cloudco");

	cr_expect_eq(a.status, 0);
	cr_expect_str_eq(a.out, b.out);
	g_free(&a);
	g_free(&b);
}

Test(impact, bad_targets_and_bad_input_are_exit_2)
{
	char *report = g_path("impact.json"), *repo = g_path("repo");
	g_out r = g_run("impact samples/bank --fail hanra-idx");

	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "unknown element 'hanra-idx'") != NULL, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	g_free(&r);
	g_expect_status("contract", g_run("impact samples/bank --fail HB-2023-014"), 2);
	g_expect_status("lowercase", g_run("impact samples/bank --fail country:kr"), 2);
	g_expect_status("three letters", g_run("impact samples/bank --fail country:KOR"), 2);
	g_expect_status("empty country", g_run("impact samples/bank --fail country:"), 2);
	g_expect_status("no --fail", g_run("impact samples/bank"), 2);
	g_expect_status("no value", g_run("impact samples/bank --fail"), 2);
	g_expect_status("no path", g_run("impact --fail hanra-idc"), 2);
	g_expect_status("format", g_run("impact samples/bank --fail hanra-idc --format sarif"), 2);
	g_sh("cp -r samples/bank '%s'", repo);
	free(t_write_str(repo, "zz.xml", "<portfolio xmlns='urn:itorisk:portfolio:1'>\n<vendor id='v'/>\n</portfolio>\n"));
	r = g_run("impact '%s' --fail hanra-idc -o '%s'", repo, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "zz.xml:2: error:") != NULL, "%s", r.err);
	cr_expect_not(g_exists(report));
	g_free(&r);
	/* a country nobody is in: nothing goes down, and that is said */
	r = g_run("impact samples/bank --fail country:FR");
	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "0 down") != NULL, "%s", r.out);
	cr_expect(strstr(r.err, "nothing in the portfolio matches") != NULL);
	g_free(&r);
	free(report);
	free(repo);
}
