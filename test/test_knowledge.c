/*
 * Knowledge and lock-in findings (knowledge.gap, lockin) on small portfolios
 * with answers worked out by hand, and on the samples.
 *
 * Inline portfolios have their root on line 1, so the body's first line is
 * line 2; the comments give each element's line. Severities are the built-in
 * model's: both rules medium, lockin one step lower (low) for a contract
 * covering no critical or important service.
 */
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(knowledge, .init = itr_graph_setup);

static itr_date as_of(void)
{
	itr_date d;

	cr_assert_eq(itr_date_parse("2026-11-01", &d), 0);
	return d;
}

/* The findings of one rule, one per line: "rule severity subject key line [impacts]". */
static char *findings(const itr_audit *a, const char *rule)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < a->nfindings; i++) {
		const itr_finding *f = &a->findings[i];
		char *imp;

		if (strcmp(f->rule, rule) != 0)
			continue;
		imp = t_ids(a->model, &f->impacts);
		itr_buf_printf(&b, "%s %s %s %s %ld [%s]\n", f->rule, itr_severity_name(f->severity),
			       f->subject, f->key, f->loc.line, imp);
		free(imp);
	}
	return itr_buf_detach(&b);
}

static const char *message(const itr_audit *a, const char *rule, const char *subject)
{
	for (size_t i = 0; i < a->nfindings; i++)
		if (strcmp(a->findings[i].rule, rule) == 0 &&
		    strcmp(a->findings[i].subject, subject) == 0)
			return a->findings[i].message;
	cr_assert_fail("no %s finding about '%s'", rule, subject);
	return NULL;
}

#define EXPECT_FINDINGS(audit, rule, want)                                                         \
	do {                                                                                       \
		char *got_ = findings(audit, rule);                                                \
		cr_expect_str_eq(got_, want, "findings of %s:\n%s", rule, got_);                   \
		free(got_);                                                                        \
	} while (0)

/* ---- knowledge.gap ---------------------------------------------------- */

#define CONTRACT(id, sourcing, covers)                                                             \
	"<contract id='" id "' vendor='v' sourcing='" sourcing "' shoring='onshore'"               \
	" start='2020-01-01'>" covers "</contract>\n"

static const char gaps[] =
	/* 2 */ "<vendor id='v' name='V' country='DE'/>\n"
	/* 3 */ "<service id='crit' name='A' criticality='critical' provider='v'/>\n"
	/* 4 */ "<service id='imp' name='B' criticality='important' provider='v'/>\n"
	/* 5 */ "<service id='owned' name='C' criticality='critical' provider='v' owner='CIO'/>\n"
	/* 6 */ "<service id='std' name='D' provider='v'/>\n"
	/* 7 */ "<service id='low' name='E' criticality='low' provider='v'/>\n"
	/* 8 */ "<service id='sel' name='F' criticality='critical' provider='v'/>\n"
	/* 9 */ "<service id='co' name='G' criticality='critical' provider='v'/>\n"
	/* 10 */ "<service id='inhouse' name='H' criticality='critical'/>\n"
	/* 11 */ "<service id='shadow' name='I' criticality='critical' provider='v'/>\n"
	/* 12 */ CONTRACT("T", "total",
			  "<covers ref='crit'/><covers ref='imp'/><covers ref='owned'/>"
			  "<covers ref='std'/><covers ref='low'/>")
	/* 13 */ CONTRACT("S", "selective", "<covers ref='sel'/>")
	/* 14 */ CONTRACT("K", "co-sourcing", "<covers ref='co'/>");

Test(knowledge, total_sourcing_without_an_owner)
{
	itr_model *m = t_load_ok(gaps);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* crit and imp: tracked, total, no owner; owned has an owner; std and
	 * low are not tracked; sel and co are not total; inhouse and shadow
	 * have no contract at all (no sourcing to speak of) */
	EXPECT_FINDINGS(&a, "knowledge.gap",
			"knowledge.gap medium crit crit 3 [crit]\n"
			"knowledge.gap medium imp imp 4 [imp]\n");
	cr_expect_str_eq(message(&a, "knowledge.gap", "crit"),
			 "critical service 'crit' is totally outsourced to 'v' (contract 'T') and has no internal owner");
	cr_expect_str_eq(message(&a, "knowledge.gap", "imp"),
			 "important service 'imp' is totally outsourced to 'v' (contract 'T') and has no internal owner");
	itr_audit_release(&a);
	itr_model_free(m);
}

Test(knowledge, a_standard_service_under_total_sourcing_is_no_gap)
{
	itr_model *m = t_load_ok("<vendor id='v' name='V'/>\n"
				 "<service id='std' name='S' provider='v'/>\n" CONTRACT(
					 "T", "total", "<covers ref='std'/>"));
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	EXPECT_FINDINGS(&a, "knowledge.gap", "");
	itr_audit_release(&a);
	itr_model_free(m);
}

/* ---- lockin ----------------------------------------------------------- */

#define EXITING(id, sourcing, covers, exit)                                                        \
	"<contract id='" id "' vendor='v' sourcing='" sourcing "' shoring='onshore'"               \
	" start='2020-01-01'>" covers "\n  " exit "\n</contract>\n"

static const char locks[] =
	/* 2 */ "<vendor id='v' name='V' country='DE'/>\n"
	/* 3 */ "<service id='c1' name='A' criticality='critical' provider='v' owner='X'/>\n"
	/* 4 */ "<service id='i1' name='B' criticality='important' provider='v' owner='X'/>\n"
	/* 5 */ "<service id='s1' name='C' provider='v'/>\n"
	/* 6 */ "<service id='s2' name='D' criticality='low' provider='v'/>\n"
	/* 7 */ "<service id='c2' name='E' criticality='critical' provider='v' owner='X'/>\n"
	/* 8 */ "<service id='c3' name='F' criticality='critical' provider='v' owner='X'/>\n"
	/* 9 */ "<service id='c4' name='G' criticality='critical' provider='v' owner='X'/>\n"
	/* 10 */ "<service id='c5' name='H' criticality='critical' provider='v' owner='X'/>\n"
	/* 11-13 */ EXITING("A-hard-co", "co-sourcing", "<covers ref='c2'/>",
			    "<exit plan='documented' substitutability='hard'/>")
	/* 14-16 */ EXITING("B-impossible-total", "total", "<covers ref='i1'/><covers ref='c1'/>",
			    "<exit plan='none' substitutability='impossible'/>")
	/* 17-19 */ EXITING("C-hard-standard", "selective", "<covers ref='s1'/><covers ref='s2'/>",
			    "<exit plan='tested' tested-on='2026-01-01' substitutability='hard'/>")
	/* 20-22 */ EXITING("D-medium-total", "total", "<covers ref='c3'/>",
			    "<exit plan='documented' substitutability='medium'/>")
	/* 23-25 */ EXITING("E-no-rating", "total", "<covers ref='c4'/>",
			    "<exit plan='documented'/>")
	/* 26-28 */ EXITING("F-no-exit", "total", "<covers ref='c5'/>", "");

Test(knowledge, hard_or_impossible_substitution_without_co_sourcing)
{
	itr_model *m = t_load_ok(locks);
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, as_of()), 0);
	/* A: hard but co-sourced; B: impossible under total sourcing, covering
	 * critical c1 and important i1 -> medium, at its exit (line 15); C:
	 * hard under selective sourcing, covering only standard and low
	 * services -> low (line 18); D: medium is replaceable enough; E, F:
	 * no rating */
	EXPECT_FINDINGS(&a, "lockin",
			"lockin medium B-impossible-total B-impossible-total 15 [c1 i1]\n"
			"lockin low C-hard-standard C-hard-standard 18 []\n");
	cr_expect_str_eq(message(&a, "lockin", "B-impossible-total"),
			 "vendor 'v' is impossible to substitute under contract 'B-impossible-total' (total sourcing) and no co-sourcing keeps the knowledge in house");
	cr_expect_str_eq(message(&a, "lockin", "C-hard-standard"),
			 "vendor 'v' is hard to substitute under contract 'C-hard-standard' (selective sourcing) and no co-sourcing keeps the knowledge in house");
	itr_audit_release(&a);
	itr_model_free(m);
}

/* ---- the samples ------------------------------------------------------ */

/* knowledge.gap and lockin as "rule severity subject file:line". */
static bool this_family(const char *rule)
{
	return strcmp(rule, "knowledge.gap") == 0 || strcmp(rule, "lockin") == 0;
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
 * Hanbit Bank.
 * knowledge.gap: none. The only total contract, HB-2019-001
 * (hanbit-ds.xml:28), covers core-banking, which has an owner (CIO,
 * hanbit-ds.xml:19), and mainframe, a standard service.
 * lockin:
 *   HB-2019-001 hanbit-ds.xml:33         hard, total; covers critical core-banking: medium
 *   HB-2020-009 payment-networks.xml:49  hard, selective; covers critical card-auth: medium
 *   HB-2018-002 payment-networks.xml:39  impossible, selective; covers only interbank-gw,
 *                                        a standard service: low
 * Not: HB-2025-003 is co-sourced (and medium); every other exit is easy or medium.
 */
Test(knowledge, sample_bank)
{
	EXPECT_SAMPLE("bank", "lockin medium HB-2019-001 hanbit-ds.xml:33\n"
			      "lockin medium HB-2020-009 payment-networks.xml:49\n"
			      "lockin low HB-2018-002 payment-networks.xml:39\n");
}

/*
 * Klinikverbund Rheinauen.
 * knowledge.gap: none. The only total contract, RKV-2017-01 (rkv-it.xml:22),
 * covers network and db-node-essen, both standard services.
 * lockin:
 *   LB-2019-LIS labsys.xml:26    hard, selective; covers critical lis: medium
 *   MS-2020-KIS medisoft.xml:38  hard, selective; covers critical kis: medium
 *   RKV-2017-01 rkv-it.xml:27    hard, total; covers only standard services: low
 * Not: every other exit is easy or medium (wisla's contract is also co-sourced).
 */
Test(knowledge, sample_hospital)
{
	EXPECT_SAMPLE("hospital", "lockin medium LB-2019-LIS labsys.xml:26\n"
				  "lockin medium MS-2020-KIS medisoft.xml:38\n"
				  "lockin low RKV-2017-01 rkv-it.xml:27\n");
}

/*
 * Larkspur & Vine.
 * knowledge.gap:
 *   erp brightwave.xml:23  critical, covered by the total contract LV-2020-BW, no owner
 *   (web-hosting, the contract's other service, is standard)
 * lockin:
 *   LV-2020-BW brightwave.xml:34  hard, total; covers critical erp: medium
 * Not: every other exit is easy or medium (carpathia's is also co-sourced).
 */
Test(knowledge, sample_retailer)
{
	EXPECT_SAMPLE("retailer", "knowledge.gap medium erp brightwave.xml:23\n"
				  "lockin medium LV-2020-BW brightwave.xml:34\n");
}
