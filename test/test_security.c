/*
 * Security findings (data.location, data.certification, data.subcontracting)
 * on small portfolios with answers worked out by hand, and on the samples.
 *
 * Every inline portfolio has its root on line 1, so the body's first line is
 * line 2; the comments give each element's line. The as-of date is
 * 2026-11-01 throughout; the risk model is the built-in one (personal data:
 * home + EEA; confidential and restricted data: that + the EU adequacy
 * countries, JP and KR among them; required certification ISO27001).
 */
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(security, .init = itr_graph_setup);

static itr_date as_of(void)
{
	itr_date d;

	cr_assert_eq(itr_date_parse("2026-11-01", &d), 0);
	return d;
}

/* A one-document portfolio with a home country (NULL: none). */
static itr_model *load_home(const char *home, const char *body)
{
	itr_buf xml = ITR_BUF_INIT;
	itr_diags d;
	itr_model *m;

	if (home)
		itr_buf_printf(&xml,
			       "<portfolio xmlns=\"urn:itorisk:portfolio:1\" home-country=\"%s\">\n%s\n</portfolio>\n",
			       home, body);
	else
		itr_buf_printf(&xml, "<portfolio xmlns=\"urn:itorisk:portfolio:1\">\n%s\n</portfolio>\n",
			       body);
	itr_diags_init(&d);
	m = t_load_string(xml.s, &d);
	if (!m) {
		char *all = t_all_diags(&d);

		cr_log_error("load failed:\n%s", all);
		free(all);
	}
	cr_assert_not_null(m, "portfolio should load");
	itr_diags_release(&d);
	itr_buf_release(&xml);
	return m;
}

/* The findings of one rule (or of every rule starting with `rule` when it
 * ends with '.'), one per line: "rule severity subject key line". */
static char *findings(const itr_audit *a, const char *rule)
{
	itr_buf b = ITR_BUF_INIT;
	size_t n = strlen(rule);

	for (size_t i = 0; i < a->nfindings; i++) {
		const itr_finding *f = &a->findings[i];

		if (rule[n - 1] == '.' ? strncmp(f->rule, rule, n) != 0 : strcmp(f->rule, rule) != 0)
			continue;
		itr_buf_printf(&b, "%s %s %s %s %ld\n", f->rule, itr_severity_name(f->severity),
			       f->subject, f->key, f->loc.line);
	}
	return itr_buf_detach(&b);
}

/* The message of the finding with this key (asserting there is one). */
static const char *message(const itr_audit *a, const char *key)
{
	for (size_t i = 0; i < a->nfindings; i++)
		if (strcmp(a->findings[i].key, key) == 0)
			return a->findings[i].message;
	cr_assert_fail("no finding with key '%s'", key);
	return NULL;
}

#define EXPECT_FINDINGS(audit, rule, want)                                                         \
	do {                                                                                       \
		char *got_ = findings(audit, rule);                                                \
		cr_expect_str_eq(got_, want, "findings of %s:\n%s", rule, got_);                   \
		free(got_);                                                                        \
	} while (0)

#define EXPECT_MESSAGE(audit, key, needle)                                                         \
	do {                                                                                       \
		const char *msg_ = message(audit, key);                                            \
		cr_expect(strstr(msg_, needle) != NULL, "'%s' not in: %s", needle, msg_);          \
	} while (0)

/* ---- data.location ---------------------------------------------------- */

static const char countries[] =
	/* 2 */ "<vendor id='v' name='V' country='KR'><certification name='ISO27001'/></vendor>\n"
	/* 3 */ "<service id='s' name='S' provider='v' delivered-from='KR'/>\n"
	/* 4 */ "<contract id='C' vendor='v' sourcing='selective' shoring='onshore' start='2020-01-01'>\n"
	/* 5 */ "  <covers ref='s'/>\n"
	/* 6 */ "  <data classification='confidential' location='DE'/>\n"
	/* 7 */ "  <data classification='restricted' location='US'/>\n"
	/* 8 */ "  <data classification='internal' location='US'/>\n"
	/* 9 */ "  <data classification='public' personal='false' location='CN'/>\n"
	/* 10 */ "</contract>\n";

Test(security, data_in_an_allowed_and_a_non_allowed_country)
{
	itr_model *m = load_home("KR", countries);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* DE is in the confidential list; US is not; internal and public data
	 * are not sensitive wherever they are */
	EXPECT_FINDINGS(&a, "data.", "data.location high C C/data[1] 7\n");
	EXPECT_MESSAGE(&a, "C/data[1]",
		       "contract 'C' puts restricted data in 'US', which the policy does not allow for confidential data");
	itr_audit_release(&a);
	itr_model_free(m);
}

static const char home_body[] =
	/* 2 */ "<vendor id='v' name='V' country='KR'><certification name='ISO27001'/></vendor>\n"
	/* 3 */ "<service id='s' name='S' provider='v'/>\n"
	/* 4 */ "<contract id='C' vendor='v' sourcing='selective' shoring='onshore' start='2020-01-01'>\n"
	/* 5 */ "  <covers ref='s'/>\n"
	/* 6 */ "  <data classification='internal' personal='true' location='KR'/>\n"
	/* 7 */ "  <data classification='internal' personal='true' location='JP'/>\n"
	/* 8 */ "</contract>\n";

Test(security, home_stands_for_the_home_country)
{
	itr_model *m = load_home("KR", home_body);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* KR is allowed for personal data only as "home"; JP is not in the
	 * personal list (only in the confidential one) */
	EXPECT_FINDINGS(&a, "data.", "data.location high C C/data[1] 7\n");
	EXPECT_MESSAGE(&a, "C/data[1]",
		       "contract 'C' puts personal data in 'JP', which the policy does not allow for personal data");
	itr_audit_release(&a);
	itr_model_free(m);
}

Test(security, home_matches_a_different_home_country_only)
{
	itr_model *m = load_home("JP", home_body);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* at home in Japan: JP is allowed, KR is now foreign and not in the
	 * personal list */
	EXPECT_FINDINGS(&a, "data.", "data.location high C C/data[0] 6\n");
	itr_audit_release(&a);
	itr_model_free(m);
}

Test(security, without_a_home_country_home_matches_nothing)
{
	itr_model *m = t_load_ok(home_body);
	itr_audit a;

	cr_assert_null(m->home_country.value);
	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	EXPECT_FINDINGS(&a, "data.",
			"data.location high C C/data[0] 6\n"
			"data.location high C C/data[1] 7\n");
	itr_audit_release(&a);
	itr_model_free(m);
}

static const char both_lists[] =
	/* 2 */ "<vendor id='v' name='V' country='KR'><certification name='ISO27001'/></vendor>\n"
	/* 3 */ "<service id='s' name='S' provider='v'/>\n"
	/* 4 */ "<contract id='C' vendor='v' sourcing='selective' shoring='onshore' start='2020-01-01'>\n"
	/* 5 */ "  <covers ref='s'/>\n"
	/* 6 */ "  <data classification='confidential' personal='true' location='JP'/>\n"
	/* 7 */ "  <data classification='restricted' personal='true' location='DE'/>\n"
	/* 8 */ "  <data classification='confidential' personal='true' location='US'/>\n"
	/* 9 */ "  <data classification='confidential' personal='false' location='JP'/>\n"
	/* 10 */ "</contract>\n";

Test(security, personal_and_confidential_data_must_satisfy_both_lists)
{
	itr_model *m = load_home("KR", both_lists);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* line 6: JP passes the confidential list but not the personal one;
	 * line 7: DE is in both; line 8: US is in neither; line 9: JP is fine
	 * for confidential data that is not personal */
	EXPECT_FINDINGS(&a, "data.",
			"data.location high C C/data[0] 6\n"
			"data.location high C C/data[2] 8\n");
	EXPECT_MESSAGE(&a, "C/data[0]",
		       "confidential personal data in 'JP', which the policy does not allow for personal data");
	EXPECT_MESSAGE(&a, "C/data[2]", "does not allow for personal or confidential data");
	itr_audit_release(&a);
	itr_model_free(m);
}

/*
 * Each country's verdict is asked of the policy once and kept (security.c):
 * 47 countries, more than the first table holds, each named by a personal
 * entry and then by a confidential one, so a kept verdict must answer for
 * the other list too. EEA countries pass both lists, the adequacy ones the
 * confidential list only (KR, the home country, both), the rest neither.
 */
static const struct {
	char code[3];
	bool personal_ok, confidential_ok;
} many[] = {
	{"US", false, false}, {"AT", true, true},   {"JP", false, true},  {"BE", true, true},
	{"BG", true, true},   {"CY", true, true},   {"CZ", true, true},   {"DE", true, true},
	{"DK", true, true},   {"EE", true, true},   {"ES", true, true},   {"FI", true, true},
	{"FR", true, true},   {"GR", true, true},   {"HR", true, true},   {"HU", true, true},
	{"IE", true, true},   {"IS", true, true},   {"IT", true, true},   {"LI", true, true},
	{"LT", true, true},   {"LU", true, true},   {"LV", true, true},   {"MT", true, true},
	{"NL", true, true},   {"NO", true, true},   {"PL", true, true},   {"PT", true, true},
	{"RO", true, true},   {"SE", true, true},   {"SI", true, true},   {"CN", false, false},
	{"SK", true, true},   {"AD", false, true},  {"AR", false, true},  {"CA", false, true},
	{"CH", false, true},  {"FO", false, true},  {"GB", false, true},  {"KR", true, true},
	{"IN", false, false}, {"IL", false, true},  {"BR", false, false}, {"NZ", false, true},
	{"UY", false, true},  {"ZA", false, false}, {"SG", false, false},
};

static bool has_key(const itr_audit *a, const char *key)
{
	for (size_t i = 0; i < a->nfindings; i++)
		if (strcmp(a->findings[i].key, key) == 0)
			return true;
	return false;
}

Test(security, many_countries_each_checked_against_both_lists)
{
	itr_buf body = ITR_BUF_INIT;
	size_t want = 0;
	itr_model *m;
	itr_audit a;

	itr_buf_puts(&body, "<vendor id='v' name='V' country='KR'><certification name='ISO27001'/></vendor>"
			    "<service id='s' name='S' provider='v'/>"
			    "<contract id='C' vendor='v' sourcing='selective' shoring='onshore' start='2020-01-01'>"
			    "<covers ref='s'/>");
	for (size_t i = 0; i < ITR_ARRAY_LEN(many); i++)
		itr_buf_printf(&body,
			       "<data classification='internal' personal='true' location='%s'/>"
			       "<data classification='confidential' location='%s'/>",
			       many[i].code, many[i].code);
	itr_buf_puts(&body, "</contract>");
	m = load_home("KR", body.s);
	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	for (size_t i = 0; i < ITR_ARRAY_LEN(many); i++) {
		char key[32];

		snprintf(key, sizeof(key), "C/data[%zu]", 2 * i);
		cr_expect_eq(has_key(&a, key), !many[i].personal_ok, "personal data in %s",
			     many[i].code);
		snprintf(key, sizeof(key), "C/data[%zu]", 2 * i + 1);
		cr_expect_eq(has_key(&a, key), !many[i].confidential_ok, "confidential data in %s",
			     many[i].code);
		want += !many[i].personal_ok + !many[i].confidential_ok;
	}
	for (size_t i = 0; i < a.nfindings; i++)
		want -= strcmp(a.findings[i].rule, "data.location") == 0;
	cr_expect_eq(want, 0, "data.location findings other than the expected ones");
	itr_audit_release(&a);
	itr_model_free(m);
	itr_buf_release(&body);
}

static const char fallback[] =
	/* 2 */ "<vendor id='us' name='US' country='US'><certification name='ISO27001'/></vendor>\n"
	/* 3 */ "<vendor id='de' name='DE' country='DE'><certification name='ISO27001'/></vendor>\n"
	/* 4 */ "<vendor id='nowhere' name='N'><certification name='ISO27001'/></vendor>\n"
	/* 5 */ "<service id='s1' name='S1' provider='us'/>\n"
	/* 6 */ "<service id='s2' name='S2' provider='de'/>\n"
	/* 7 */ "<service id='s3' name='S3' provider='nowhere'/>\n"
	/* 8 */ "<contract id='C1' vendor='us' sourcing='selective' shoring='offshore' start='2020-01-01'>\n"
	/* 9 */ "  <covers ref='s1'/><data classification='confidential'/>\n"
	/* 10 */ "  <data classification='confidential' location='DE'/>\n"
	/* 11 */ "</contract>\n"
	/* 12 */ "<contract id='C2' vendor='de' sourcing='selective' shoring='onshore' start='2020-01-01'>\n"
	/* 13 */ "  <covers ref='s2'/><data classification='restricted' personal='true'/>\n"
	/* 14 */ "</contract>\n"
	/* 15 */ "<contract id='C3' vendor='nowhere' sourcing='selective' shoring='onshore' start='2020-01-01'>\n"
	/* 16 */ "  <covers ref='s3'/><data classification='restricted' personal='true'/>\n"
	/* 17 */ "</contract>\n";

Test(security, a_data_entry_without_location_is_where_the_vendor_is)
{
	itr_model *m = load_home("KR", fallback);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* C1's first entry falls back to US (its second is explicitly in DE);
	 * C2's falls back to DE (allowed); C3's vendor has no country: unknown,
	 * no finding */
	EXPECT_FINDINGS(&a, "data.", "data.location high C1 C1/data[0] 9\n");
	EXPECT_MESSAGE(&a, "C1/data[0]",
		       "contract 'C1' puts confidential data in 'US' (no location given: the vendor's country)");
	itr_audit_release(&a);
	itr_model_free(m);
}

static const char delivered[] =
	/* 2 */ "<vendor id='v' name='V' country='DE'><certification name='ISO27001'/></vendor>\n"
	/* 3 */ "<service id='own' name='Own data' provider='v' delivered-from='US'>\n"
	/* 4 */ "  <data classification='internal' personal='true'/>\n"
	/* 5 */ "</service>\n"
	/* 6 */ "<service id='by-contract' name='Contract data' provider='v' delivered-from='IN'/>\n"
	/* 7 */ "<service id='harmless' name='Internal' provider='v' delivered-from='US'>\n"
	/* 8 */ "  <data classification='internal'/>\n"
	/* 9 */ "</service>\n"
	/* 10 */ "<service id='allowed' name='Allowed' delivered-from='DE'>\n"
	/* 11 */ "  <data classification='restricted' personal='true'/>\n"
	/* 12 */ "</service>\n"
	/* 13 */ "<service id='unknown' name='No country'>\n"
	/* 14 */ "  <data classification='restricted' personal='true'/>\n"
	/* 15 */ "</service>\n"
	/* 16 */ "<service id='kept' name='Kept abroad' delivered-from='DE'>\n"
	/* 17 */ "  <data classification='confidential' location='CN'/>\n"
	/* 18 */ "</service>\n"
	/* 19 */ "<service id='same' name='Same place' delivered-from='SG'>\n"
	/* 20 */ "  <data classification='confidential' location='SG'/>\n"
	/* 21 */ "</service>\n"
	/* 22 */ "<contract id='C' vendor='v' sourcing='selective' shoring='offshore' start='2020-01-01'>\n"
	/* 23 */ "  <covers ref='own'/><covers ref='harmless'/>\n"
	/* 24 */ "</contract>\n"
	/* 25 */ "<contract id='D' vendor='v' sourcing='selective' shoring='offshore' start='2020-01-01'>\n"
	/* 26 */ "  <covers ref='by-contract'/><data classification='confidential' location='DE'/>\n"
	/* 27 */ "</contract>\n";

Test(security, services_handling_sensitive_data_are_checked_where_delivered_from)
{
	itr_model *m = load_home("DE", delivered);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* own: its own personal data, delivered from US -> line 3;
	 * by-contract: no data of its own, but its contract D's confidential
	 * data (stored in DE, allowed), delivered from IN -> line 6; harmless:
	 * internal only; allowed: DE; unknown: no delivered-from; kept:
	 * delivered from DE but its own entry keeps the data in CN -> line 17;
	 * same: delivered from SG and keeps its data in SG: one finding
	 * (line 19), not two */
	EXPECT_FINDINGS(&a, "data.",
			"data.location high by-contract by-contract/delivered-from 6\n"
			"data.location high kept kept/data[0] 17\n"
			"data.location high own own/delivered-from 3\n"
			"data.location high same same/delivered-from 19\n");
	EXPECT_MESSAGE(&a, "own/delivered-from",
		       "service 'own' handles personal data and is delivered from 'US', which the policy does not allow for personal data");
	EXPECT_MESSAGE(&a, "by-contract/delivered-from", "handles confidential data");
	EXPECT_MESSAGE(&a, "kept/data[0]", "service 'kept' keeps confidential data in 'CN'");
	itr_audit_release(&a);
	itr_model_free(m);
}

/* ---- data.certification ----------------------------------------------- */

/* Vendor, service and contract on one line each, three lines per vendor. */
#define HOLDER(id, certs, data)                                                                    \
	"<vendor id='" id "' name='" id "' country='DE'>" certs "</vendor>\n"                      \
	"<service id='s-" id "' name='S' provider='" id "'/>\n"                                    \
	"<contract id='C-" id "' vendor='" id "' sourcing='selective' shoring='onshore'"           \
	" start='2020-01-01'><covers ref='s-" id "'/>" data "</contract>\n"

#define PERSONAL "<data classification='internal' personal='true'/>"
#define ISO(date) "<certification name='ISO27001' expires='" date "'/>"

static const char certs[] =
	/* 2 */ HOLDER("a-on-the-day", ISO("2026-11-01"), PERSONAL)
	/* 5 */ HOLDER("b-day-before", ISO("2026-10-31"), PERSONAL)
	/* 8 */ HOLDER("c-missing", "<certification name='PCI-DSS'/>", PERSONAL)
	/* 11 */ HOLDER("d-no-expiry", "<certification name='ISO27001'/>", PERSONAL)
	/* 14 */ HOLDER("e-lowercase", "<certification name='iso27001'/>", PERSONAL)
	/* 17 */ HOLDER("f-renewed", ISO("2025-06-30") ISO("2027-06-30"), PERSONAL)
	/* 20 */ HOLDER("g-two-expired", ISO("2024-01-31") ISO("2026-05-31"), PERSONAL)
	/* 23 */ HOLDER("h-internal", "", "<data classification='internal'/>")
	/* 26 */ HOLDER("i-restricted", "", "<data classification='restricted'/>")
	/* 29 */ "<vendor id='j-shadow' name='J' country='DE'/>\n"
	/* 30 */ "<service id='s-j' name='Shadow' provider='j-shadow'>"
	"<data classification='confidential'/></service>\n"
	/* 31 */ "<vendor id='k-no-data' name='K' country='DE'/>\n"
	/* 32 */ "<service id='s-k' name='Nothing' provider='k-no-data'/>\n"
	/* 33 */ "<vendor id='l-service-data' name='L' country='DE'/>\n"
	/* 34 */ "<service id='s-l' name='L' provider='l-service-data'>"
	"<data classification='restricted' personal='true'/></service>\n"
	/* 35 */ "<contract id='C-l' vendor='l-service-data' sourcing='selective' shoring='onshore'"
	" start='2020-01-01'><covers ref='s-l'/></contract>\n";

Test(security, certifications_valid_on_the_as_of_date)
{
	itr_model *m = load_home("DE", certs);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* a: expires on the as-of date, still valid; b: expired the day before;
	 * c: only another certificate; d: no expiry = valid; e: names compare
	 * exactly; f: one expired, one current = valid; g: both expired, the
	 * latest date is reported; h: internal data only, not a holder; i:
	 * restricted data; j: provider of a shadow service with confidential
	 * data; k: holds nothing; l: sensitive data of its covered service,
	 * the contract having none */
	EXPECT_FINDINGS(&a, "data.",
			"data.certification high b-day-before b-day-before/ISO27001 5\n"
			"data.certification high c-missing c-missing/ISO27001 8\n"
			"data.certification high e-lowercase e-lowercase/ISO27001 14\n"
			"data.certification high g-two-expired g-two-expired/ISO27001 20\n"
			"data.certification high i-restricted i-restricted/ISO27001 26\n"
			"data.certification high j-shadow j-shadow/ISO27001 29\n"
			"data.certification high l-service-data l-service-data/ISO27001 33\n");
	EXPECT_MESSAGE(&a, "b-day-before/ISO27001",
		       "vendor 'b-day-before' holds personal data (contract 'C-b-day-before') but its 'ISO27001' certification expired on 2026-10-31");
	EXPECT_MESSAGE(&a, "c-missing/ISO27001",
		       "vendor 'c-missing' holds personal data (contract 'C-c-missing') but has no 'ISO27001' certification");
	EXPECT_MESSAGE(&a, "g-two-expired/ISO27001", "expired on 2026-05-31");
	EXPECT_MESSAGE(&a, "i-restricted/ISO27001", "holds restricted data");
	EXPECT_MESSAGE(&a, "j-shadow/ISO27001", "holds confidential data (service 's-j')");
	EXPECT_MESSAGE(&a, "l-service-data/ISO27001",
		       "holds restricted personal data (service 's-l')");
	itr_audit_release(&a);
	itr_model_free(m);
}

Test(security, one_finding_per_missing_required_certification)
{
	const char model[] = "<risk-model xmlns=\"urn:itorisk:risk-model:1\" version=\"1\">\n"
			     "  <required-certifications>ISO27001 SOC2</required-certifications>\n"
			     "  <rule id=\"data.certification\" severity=\"critical\"/>\n"
			     "</risk-model>\n";
	char *dir = t_tmpdir();
	char *path = t_write_str(dir, "model.xml", model);
	itr_riskmodel *rm = NULL;
	itr_diags d;
	itr_model *m = load_home("DE", HOLDER("both", ISO("2026-01-01"), PERSONAL)
				 /* 5 */ HOLDER("one", ISO("2027-01-01"), PERSONAL)
				 /* 8 */ HOLDER("none", "<certification name='SOC2'/>" ISO("2030-01-01"),
					 PERSONAL));
	itr_audit_opts o = {.as_of = as_of()};
	itr_audit a;

	itr_diags_init(&d);
	cr_assert_eq(itr_riskmodel_load(&rm, path, &d), 0);
	o.risk = rm;
	cr_assert_eq(itr_audit_run_opts(&a, m, &o), 0);
	/* both: ISO27001 expired and SOC2 missing; one: SOC2 missing; none:
	 * holds both. Severity from the model file. */
	EXPECT_FINDINGS(&a, "data.",
			"data.certification critical both both/ISO27001 2\n"
			"data.certification critical both both/SOC2 2\n"
			"data.certification critical one one/SOC2 5\n");
	itr_audit_release(&a);
	itr_model_free(m);
	itr_riskmodel_free(rm);
	itr_diags_release(&d);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/* ---- data.subcontracting ---------------------------------------------- */

#define ISO_OK "<certification name='ISO27001'/>"

static const char subcon[] =
	/* 2 */ "<vendor id='relying' name='R' country='DE'>" ISO_OK "<relies-on ref='f1'/></vendor>\n"
	/* 3 */ "<vendor id='alone' name='A' country='DE'>" ISO_OK "</vendor>\n"
	/* 4 */ "<vendor id='f1' name='F1' country='DE'><relies-on ref='f2'/></vendor>\n"
	/* 5 */ "<vendor id='f2' name='F2' country='DE'><relies-on ref='relying'/></vendor>\n"
	/* 6 */ "<service id='s1' name='S1' provider='relying'/>\n"
	/* 7 */ "<service id='s2' name='S2' provider='alone'/>\n"
	/* 8 */ "<service id='s3' name='S3' provider='relying'/>\n"
	/* 9 */ "<service id='s4' name='S4' provider='relying'/>\n"
	/* 10 */ "<service id='s5' name='S5' provider='relying'>"
	"<data classification='restricted'/></service>\n"
	/* 11 */ "<contract id='K1-no' vendor='relying' sourcing='selective' shoring='onshore'"
	" start='2020-01-01'><covers ref='s1'/>"
	"<data classification='confidential' personal='true'/><subcontracting allowed='no'/></contract>\n"
	/* 12 */ "<contract id='K2-alone' vendor='alone' sourcing='selective' shoring='onshore'"
	" start='2020-01-01'><covers ref='s2'/>"
	"<data classification='confidential' personal='true'/><subcontracting allowed='no'/></contract>\n"
	/* 13 */ "<contract id='K3-approval' vendor='relying' sourcing='selective' shoring='onshore'"
	" start='2020-01-01'><covers ref='s3'/>"
	"<data classification='confidential'/><subcontracting allowed='with-approval'/></contract>\n"
	/* 14 */ "<contract id='K4-harmless' vendor='relying' sourcing='selective' shoring='onshore'"
	" start='2020-01-01'><covers ref='s4'/>"
	"<data classification='internal'/><subcontracting allowed='no'/></contract>\n"
	/* 15 */ "<contract id='K5-service' vendor='relying' sourcing='selective' shoring='onshore'"
	" start='2020-01-01'><covers ref='s5'/><subcontracting allowed='no'/></contract>\n";

Test(security, forbidden_subcontracting_with_and_without_fourth_parties)
{
	itr_model *m = load_home("DE", subcon);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* K1: forbids, sensitive, relying relies on f1 (and through it on f2,
	 * whose reliance on relying loops back and is not a fourth party);
	 * K2: forbids but alone relies on nobody; K3: with approval; K4:
	 * internal data only; K5: sensitive through its covered service s5 */
	EXPECT_FINDINGS(&a, "data.subcontracting",
			"data.subcontracting high K1-no K1-no 11\n"
			"data.subcontracting high K5-service K5-service 15\n");
	EXPECT_MESSAGE(&a, "K1-no",
		       "contract 'K1-no' covers confidential personal data and forbids subcontracting, yet vendor 'relying' relies on 'f1' and, through it, on 'f2'");
	EXPECT_MESSAGE(&a, "K5-service", "covers restricted data");
	itr_audit_release(&a);
	itr_model_free(m);
}

/* ---- the samples ------------------------------------------------------ */

/* The security findings as "rule severity subject file:line", file names
 * without their directory. */
static bool this_family(const char *rule)
{
	return strncmp(rule, "data.", 5) == 0;
}

static char *sample_findings(const char *name)
{
	return t_sample_findings(name, this_family);
}

#define EXPECT_SAMPLE(name, want)                                                                  \
	do {                                                                                       \
		char *got_ = sample_findings(name);                                                \
		cr_expect_str_eq(got_, want, "%s:\n%s", name, got_);                               \
		free(got_);                                                                        \
	} while (0)

/*
 * Hanbit Bank: home KR, as of 2026-11-01.
 *
 * data.certification (vendors holding sensitive data without a valid ISO27001):
 *   cardproc   payment-networks.xml:18  only PCI-DSS; HB-2020-009 holds restricted personal data
 *   creditlens shadow-it.xml:11         no certificate; provides loan-scoring (personal, no contract)
 *   homedesk   homedesk.xml:9           no certificate; HB-2025-040 holds internal personal data
 * Not: telco-b's ISO27001 expired (carriers.xml:15) but its contract and
 * service carry no data; cloudco, hanbit-ds, kanto-cyber, kicn, skyline and
 * vistara hold current ISO27001 certificates (vistara's ends 2026-12-31).
 *
 * data.location:
 *   HB-2024-021     vistara.xml:26      confidential data in IN: not in the confidential list
 *   HB-2025-003     kanto-cyber.xml:27  confidential personal data in JP: JP is in the
 *                                       confidential list only, not the personal one
 *   app-maintenance vistara.xml:15      confidential data, delivered from IN
 *   loan-scoring    shadow-it.xml:13    personal data delivered from SG (its entry's own
 *                                       location SG is the same fact, not repeated)
 *   soc             kanto-cyber.xml:14  personal data delivered from JP
 * Every other contract entry and delivery is in KR (home).
 *
 * data.subcontracting:
 *   HB-2024-007 skyline.xml:18  allowed="no", confidential personal data, skyline
 *                               relies on hanra-idc (skyline.xml:13)
 * Not: HB-2025-040, HB-2025-003 and HB-2018-002 also forbid subcontracting,
 * but homedesk, kanto-cyber and kicn rely on nobody.
 */
Test(security, sample_bank)
{
	EXPECT_SAMPLE("bank", "data.certification high cardproc payment-networks.xml:18\n"
			      "data.certification high creditlens shadow-it.xml:11\n"
			      "data.certification high homedesk homedesk.xml:9\n"
			      "data.location high HB-2024-021 vistara.xml:26\n"
			      "data.location high HB-2025-003 kanto-cyber.xml:27\n"
			      "data.location high app-maintenance vistara.xml:15\n"
			      "data.location high loan-scoring shadow-it.xml:13\n"
			      "data.location high soc kanto-cyber.xml:14\n"
			      "data.subcontracting high HB-2024-007 skyline.xml:18\n");
}

/*
 * Klinikverbund Rheinauen: home DE, as of 2026-11-01.
 *
 * data.certification:
 *   datahafen datahafen.xml:9   ISO27001 expired 2026-10-31, the day before the as-of date
 *   labsys    labsys.xml:9      ISO27001 expired 2025-12-31
 *   nachtrad  nachtrad.xml:10   no certificate; NR-2024-TELE holds restricted personal data
 *   voxmed    shadow-it.xml:10  only SOC2-Type2; provides dictation (restricted personal data)
 * Not: rrg-fiber and vantis carry no data; aurelius is only a parent; the
 * others hold current ISO27001 certificates (wisla, holding internal
 * personal data, until 2027-04-30).
 *
 * data.location:
 *   dictation shadow-it.xml:14  restricted personal data delivered from US
 * Every contract entry is in DE, AT (cirrusmed) or PL (wisla's internal
 * personal data): all EEA.
 *
 * data.subcontracting: none. DH-2022-07, NR-2024-TELE and WI-2025-SD forbid
 * it, but no vendor of the hospital relies on another (imagion and
 * cirrusmed have a parent, which is not subcontracting).
 */
Test(security, sample_hospital)
{
	EXPECT_SAMPLE("hospital", "data.certification high datahafen datahafen.xml:9\n"
				  "data.certification high labsys labsys.xml:9\n"
				  "data.certification high nachtrad nachtrad.xml:10\n"
				  "data.certification high voxmed shadow-it.xml:10\n"
				  "data.location high dictation shadow-it.xml:14\n");
}

/*
 * Larkspur & Vine: home GB, as of 2026-11-01.
 *
 * data.certification (every vendor below holds confidential or restricted
 * personal data):
 *   albion    shipping-platform.xml:17  no certificate
 *   cobalt    cobalt.xml:10             ISO27001 expired 2026-07-31
 *   emerald   logistics.xml:14          no certificate
 *   hearth    hearth.xml:9              only Cyber Essentials Plus
 *   kaveri    kaveri.xml:10             ISO27001 expired 2025-12-31
 *   mailstorm shadow-it.xml:9           only SOC2-Type2 (shadow service email-marketing)
 *   payvia    payment-providers.xml:11  only PCI-DSS
 *   quidline  payment-providers.xml:16  only PCI-DSS (itself expired)
 *   swiftdrop shipping-platform.xml:19  no certificate
 * Not: brightwave, northgate and parcelwise are certified; carpathia holds
 * only internal data; meridian is a fourth party holding nothing recorded.
 *
 * data.location:
 *   LV-2024-KV      kaveri.xml:25     confidential personal data in IN
 *   app-support     kaveri.xml:14     delivered from IN
 *   email-marketing shadow-it.xml:13  delivered from US (its entry's location US repeats it)
 * Every other entry and delivery is in GB (home), IE, NL or RO.
 *
 * data.subcontracting:
 *   LV-2022-CB cobalt.xml:18  allowed="no", confidential personal data, cobalt
 *                             relies on brightwave (cobalt.xml:12)
 * Not: LV-2025-CS forbids it but carpathia's data is internal and it relies
 * on nobody; LV-2025-HC forbids it but hearth relies on nobody.
 */
Test(security, sample_retailer)
{
	EXPECT_SAMPLE("retailer", "data.certification high albion shipping-platform.xml:17\n"
				  "data.certification high cobalt cobalt.xml:10\n"
				  "data.certification high emerald logistics.xml:14\n"
				  "data.certification high hearth hearth.xml:9\n"
				  "data.certification high kaveri kaveri.xml:10\n"
				  "data.certification high mailstorm shadow-it.xml:9\n"
				  "data.certification high payvia payment-providers.xml:11\n"
				  "data.certification high quidline payment-providers.xml:16\n"
				  "data.certification high swiftdrop shipping-platform.xml:19\n"
				  "data.location high LV-2024-KV kaveri.xml:25\n"
				  "data.location high app-support kaveri.xml:14\n"
				  "data.location high email-marketing shadow-it.xml:13\n"
				  "data.subcontracting high LV-2022-CB cobalt.xml:18\n");
}
