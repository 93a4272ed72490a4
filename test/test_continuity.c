/* Continuity rules at their boundaries, with answers worked out by hand.
 * As-of date 2026-11-01 (day 20758); the default horizon is 180 days, so
 * 2027-04-30 is the last day inside it; exit tests may be 365 days old. */
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

TestSuite(continuity, .init = itr_graph_setup);

#define AS_OF 20758

typedef struct run {
	itr_model *m;
	itr_audit a;
} run;

static run audit_of(const char *body)
{
	run r;

	r.m = t_load_ok(body);
	cr_assert_eq(itr_audit_run(&r.a, r.m, AS_OF), 0);
	return r;
}

static void done(run *r)
{
	itr_audit_release(&r->a);
	itr_model_free(r->m);
}

/* "subject" of every finding of this rule, space separated, in report order. */
static char *subjects(const run *r, const char *rule)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < r->a.nfindings; i++)
		if (strcmp(r->a.findings[i].rule, rule) == 0)
			itr_buf_printf(&b, "%s%s", b.len ? " " : "", r->a.findings[i].subject);
	return itr_buf_detach(&b);
}

static void expect_subjects(const run *r, const char *rule, const char *want)
{
	char *got = subjects(r, rule);

	cr_expect_str_eq(got, want, "%s: {%s}, expected {%s}", rule, got, want);
	free(got);
}

static const itr_finding *find(const run *r, const char *rule, const char *subject)
{
	for (size_t i = 0; i < r->a.nfindings; i++)
		if (strcmp(r->a.findings[i].rule, rule) == 0 &&
		    strcmp(r->a.findings[i].subject, subject) == 0)
			return &r->a.findings[i];
	return NULL;
}

/* A vendor v<N>, a critical service s<N> it provides, and its contract k<N> with extra attributes and children. */
#define DEAL(n, attrs, children)                                                                   \
	"<vendor id='v" n "' name='V'/><service id='s" n "' name='S' criticality='critical' provider='v" n "' owner='o'/>" \
	"<contract id='k" n "' vendor='v" n "' sourcing='selective' shoring='onshore' start='2020-01-01' " attrs ">" \
	"<covers ref='s" n "'/>" children "</contract>"

#define TESTED "<exit plan='tested' tested-on='2026-06-01'/>"

Test(continuity, horizon_edges)
{
	run r = audit_of(DEAL("1", "end='2027-04-30'", TESTED)  /* day 180: inside */
			 DEAL("2", "end='2027-05-01'", TESTED)  /* day 181: outside */
			 DEAL("3", "end='2026-11-01'", TESTED)  /* ends today: expiring */
			 DEAL("4", "end='2026-10-31'", TESTED)  /* yesterday: expired */
			 DEAL("5", "end='2027-01-01' auto-renew='true'", TESTED)
			 DEAL("6", "end='2026-01-01' auto-renew='true'", TESTED)
			 DEAL("7", "", TESTED));             /* open-ended */

	expect_subjects(&r, "contract.expiring", "k1 k3");
	expect_subjects(&r, "contract.expired", "k4");
	cr_expect_eq(find(&r, "contract.expiring", "k1")->severity, ITR_SEV_MEDIUM);
	cr_expect(strstr(find(&r, "contract.expiring", "k1")->message, "in 180 days") != NULL);
	cr_expect(strstr(find(&r, "contract.expired", "k4")->message, "(1 days ago)") != NULL);
	done(&r);
}

Test(continuity, contract_for_standard_services_is_one_step_lower)
{
	run r = audit_of("<vendor id='v' name='V'/><service id='s' name='S' provider='v'/>"
			 "<contract id='k' vendor='v' sourcing='selective' shoring='onshore' start='2020-01-01'"
			 " end='2026-12-01'><covers ref='s'/></contract>");

	cr_expect_eq(find(&r, "contract.expiring", "k")->severity, ITR_SEV_LOW);
	expect_subjects(&r, "exit.missing", ""); /* no critical or important service */
	done(&r);
}

Test(continuity, exit_plans)
{
	run r = audit_of(DEAL("1", "", "")
			 DEAL("2", "", "<exit plan='none'/>")
			 DEAL("3", "", "<exit plan='documented'/>")
			 DEAL("4", "", "<exit plan='tested'/>")
			 DEAL("5", "", "<exit plan='tested' tested-on='2025-11-01'/>") /* 365 days */
			 DEAL("6", "", "<exit plan='tested' tested-on='2025-10-31'/>") /* 366 days */
			 DEAL("7", "", TESTED));

	expect_subjects(&r, "exit.missing", "k1 k2");
	expect_subjects(&r, "exit.untested", "k3 k4 k6");
	cr_expect(strstr(find(&r, "exit.untested", "k6")->message, "366 days ago (the policy allows 365)") !=
		  NULL);
	done(&r);
}

Test(continuity, transition_longer_than_notice)
{
	run r = audit_of(DEAL("1", "notice='P90D'", "<exit plan='tested' tested-on='2026-06-01' transition='P120D'/>")
			 DEAL("2", "notice='P90D'", "<exit plan='tested' tested-on='2026-06-01' transition='P90D'/>")
			 DEAL("3", "notice='P3M'", "<exit plan='tested' tested-on='2026-06-01' transition='P91D'/>")
			 DEAL("4", "", "<exit plan='tested' tested-on='2026-06-01' transition='P2Y'/>"));

	/* P3M counts 90 days; without a notice period there is nothing to compare */
	expect_subjects(&r, "exit.notice-gap", "k1 k3");
	done(&r);
}

Test(continuity, shadow_outsourcing)
{
	run r = audit_of("<vendor id='v' name='V'/>"
			 "<service id='a' name='A' criticality='important' provider='v'/>"
			 "<service id='b' name='B' provider='v'/><service id='c' name='C'/>");

	expect_subjects(&r, "contract.missing", "a b");
	cr_expect_eq(find(&r, "contract.missing", "a")->severity, ITR_SEV_HIGH);
	cr_expect_eq(find(&r, "contract.missing", "b")->severity, ITR_SEV_MEDIUM);
	done(&r);
}

Test(continuity, several_critical_contracts_ending_in_one_quarter)
{
	run r = audit_of(DEAL("1", "end='2027-01-15'", TESTED)
			 DEAL("2", "end='2027-03-31'", TESTED)
			 DEAL("3", "end='2027-04-01'", TESTED)
			 DEAL("4", "end='2027-06-30' auto-renew='true'", TESTED)
			 DEAL("5", "end='2028-05-01'", TESTED));

	expect_subjects(&r, "contract.end-cluster", "k1");
	cr_expect_str_eq(find(&r, "contract.end-cluster", "k1")->key, "2027-Q1");
	done(&r);
}

Test(continuity, quarters_and_dates_at_year_and_leap_day_edges)
{
	/* 2027-12-31 is 2027-Q4, alone; 2028-01-01 and the leap day 2028-02-29
	 * are 2028-Q1; 2028-09-30 (Q3) and 2028-10-01 (Q4) are neighbours only */
	run r = audit_of(DEAL("1", "end='2027-12-31'", TESTED)
			 DEAL("2", "end='2028-01-01'", TESTED)
			 DEAL("3", "end='2028-02-29'", TESTED)
			 DEAL("4", "end='2028-09-30'", TESTED)
			 DEAL("5", "end='2028-10-01'", TESTED)
			 DEAL("6", "end='2026-10-31'", "<exit plan='tested' tested-on='2024-02-29'/>")
			 DEAL("7", "end='2027-04-30'", TESTED));

	expect_subjects(&r, "contract.end-cluster", "k2");
	cr_expect_str_eq(find(&r, "contract.end-cluster", "k2")->key, "2028-Q1");
	cr_expect_str_eq(find(&r, "contract.end-cluster", "k2")->message,
			 "2 contracts for critical or important services end in 2028-Q1: 'k2', 'k3'");
	cr_expect_str_eq(find(&r, "contract.expired", "k6")->message,
			 "contract 'k6' with 'v6' ended on 2026-10-31 (1 days ago) but still covers 1 service");
	cr_expect_str_eq(find(&r, "contract.expiring", "k7")->message,
			 "contract 'k7' with 'v7' ends on 2027-04-30, in 180 days, and does not renew automatically");
	cr_expect(strstr(find(&r, "exit.untested", "k6")->message, "last tested on 2024-02-29, 976 days ago") !=
		  NULL);
	done(&r);
}

#define SLA_DEAL(n, crit, sla, extra)                                                              \
	"<vendor id='v" n "' name='V'/><service id='s" n "' name='S' criticality='" crit "' provider='v" n "' owner='o'/>" \
	"<contract id='k" n "' vendor='v" n "' sourcing='selective' shoring='onshore' start='2020-01-01'>" \
	"<covers ref='s" n "'/><sla " sla "/>" TESTED "</contract>" extra

Test(continuity, composed_availability_against_the_target)
{
	/* x needs s1 and s2, each 99.9: 0.999^2 = 99.8001%. y asks exactly that. */
	run r = audit_of(SLA_DEAL("1", "standard", "availability='99.9'", "")
			 SLA_DEAL("2", "standard", "availability='99.9'", "")
			 "<service id='x' name='X' criticality='critical' availability='99.81'>"
			 "<needs ref='s1'/><needs ref='s2'/></service>"
			 "<service id='y' name='Y' criticality='critical' availability='99.8001'>"
			 "<needs ref='s1'/><needs ref='s2'/></service>"
			 "<service id='z' name='Z' criticality='standard' availability='99.99'>"
			 "<needs ref='s1'/></service>");

	expect_subjects(&r, "sla.availability-gap", "x");
	cr_expect_float_eq(r.a.availability[itr_model_find(r.m, "x")], 0.998001, 1e-12);
	cr_expect_str_eq(find(&r, "sla.availability-gap", "x")->message,
			 "composed availability of 'x' is 99.800100%, below its required 99.81%");
	done(&r);
}

Test(continuity, effective_rto)
{
	/* a: PT2H; b: PT8H, c: PT1H, d: PT30M; e has an SLA without rto.
	 * p needs a and (b or c): max(2h, min(8h, 1h)) = 2h.
	 * q needs 2 of (b, c, d): the second smallest, 1h.
	 * u needs e: unknown. */
	run r = audit_of(SLA_DEAL("a", "standard", "rto='PT2H'", "")
			 SLA_DEAL("b", "standard", "rto='PT8H'", "")
			 SLA_DEAL("c", "standard", "rto='PT1H'", "")
			 SLA_DEAL("d", "standard", "rto='PT30M'", "")
			 SLA_DEAL("e", "standard", "availability='99'", "")
			 "<service id='p' name='P' criticality='critical' rto='PT2H'><needs ref='sa'/>"
			 "<needs-any min='1'><option ref='sb'/><option ref='sc'/></needs-any></service>"
			 "<service id='p2' name='P' criticality='critical' rto='PT1H59M'><needs ref='sa'/>"
			 "<needs-any min='1'><option ref='sb'/><option ref='sc'/></needs-any></service>"
			 "<service id='q' name='Q' criticality='important' rto='PT1H'>"
			 "<needs-any min='2'><option ref='sb'/><option ref='sc'/><option ref='sd'/></needs-any>"
			 "</service>"
			 "<service id='u' name='U' criticality='critical' rto='P1D'><needs ref='se'/></service>");

	cr_expect_float_eq(r.a.rto[itr_model_find(r.m, "p")], 7200.0, 1e-9);
	cr_expect_float_eq(r.a.rto[itr_model_find(r.m, "q")], 3600.0, 1e-9);
	cr_expect(isinf(r.a.rto[itr_model_find(r.m, "u")]));
	cr_expect_str_eq(itr_model_elem_id(r.m, r.a.rto_cause[itr_model_find(r.m, "u")]), "se");
	expect_subjects(&r, "sla.rto-gap", "p2 u");
	cr_expect(strstr(find(&r, "sla.rto-gap", "p2")->message, "compose to PT2H") != NULL);
	done(&r);
}

Test(continuity, rto_ignores_a_cycle_instead_of_looping)
{
	run r = audit_of(SLA_DEAL("a", "standard", "rto='PT3H'", "")
			 "<service id='x' name='X' criticality='critical' rto='PT4H'><needs ref='y'/>"
			 "<needs ref='sa'/></service>"
			 "<service id='y' name='Y'><needs ref='x'/></service>");

	cr_expect_float_eq(r.a.rto[itr_model_find(r.m, "x")], 3 * 3600.0, 1e-9);
	expect_subjects(&r, "sla.rto-gap", "");
	done(&r);
}

Test(continuity, durations_format_as_xs_duration)
{
	const struct {
		double s;
		const char *want;
	} cases[] = {{0, "PT0S"}, {90, "PT1M30S"}, {3600, "PT1H"}, {86400, "P1D"},
		     {86400 + 5400, "P1DT1H30M"}, {45, "PT45S"}};

	for (size_t i = 0; i < ITR_ARRAY_LEN(cases); i++) {
		itr_buf b = ITR_BUF_INIT;

		itr_duration_format(&b, cases[i].s);
		cr_expect_str_eq(b.s, cases[i].want);
		itr_buf_release(&b);
	}
}
