/* The integrity rules of SPEC §1, across files, each with its file and line; dates and durations. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define NS "xmlns=\"urn:itorisk:portfolio:1\""

typedef struct run {
	itr_diags d;
	itr_model *m;
} run;

/* Load up to three in-memory files named a.xml, b.xml, c.xml. */
static run load3(const char *a, const char *b, const char *c)
{
	itr_source src[3];
	const char *texts[3] = {a, b, c};
	const char *names[3] = {"a.xml", "b.xml", "c.xml"};
	char *docs[3] = {NULL, NULL, NULL};
	size_t n = 0;
	run r;

	for (size_t i = 0; i < 3; i++) {
		if (!texts[i])
			continue;
		docs[n] = t_portfolio(texts[i]);
		src[n] = (itr_source){names[i], docs[n], strlen(docs[n])};
		n++;
	}
	itr_diags_init(&r.d);
	r.m = NULL;
	if (itr_load(&r.m, src, n, NULL, &r.d) != 0)
		r.m = NULL;
	for (size_t i = 0; i < n; i++)
		free(docs[i]);
	return r;
}

/* Failed, with a diagnostic in file at line containing needle. Lines count
 * from the root element: t_portfolio() puts the body on line 2. */
static void expect(run *r, const char *file, long line, const char *needle)
{
	char *all = t_all_diags(&r->d);
	bool found = false;

	cr_expect_null(r->m, "load should fail");
	for (size_t i = 0; i < r->d.n; i++)
		found |= strcmp(r->d.v[i].file, file) == 0 && r->d.v[i].line == line &&
			 strstr(r->d.v[i].message, needle) != NULL;
	cr_expect(found, "expected %s:%ld: ...%s..., got:\n%s", file, line, needle, all);
	free(all);
}

static void done(run *r)
{
	itr_model_free(r->m);
	itr_diags_release(&r->d);
}

Test(model, duplicate_id_across_files_reports_both_locations)
{
	run r = load3("<vendor id='x' name='X'/>", "\n<service id='x' name='X'/>", NULL);

	expect(&r, "a.xml", 2, "duplicate id 'x' (also defined at b.xml:3)");
	expect(&r, "b.xml", 3, "duplicate id 'x' (also defined at a.xml:2)");
	done(&r);
}

Test(model, duplicate_id_between_vendor_and_contract)
{
	run r = load3("<vendor id='v' name='V'/><service id='s' name='S' provider='v'/>\n"
		      "<contract id='v' vendor='v' sourcing='total' shoring='onshore' start='2020-01-01'>"
		      "<covers ref='s'/></contract>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "duplicate id 'v'");
	done(&r);
}

Test(model, reference_to_nothing)
{
	run r = load3("<service id='s' name='S'>\n<needs ref='ghost'/></service>", NULL, NULL);

	expect(&r, "a.xml", 3, "needs 'ghost' names no service");
	done(&r);
}

Test(model, reference_to_the_wrong_kind)
{
	run r = load3("<vendor id='v' name='V'/>\n"
		      "<service id='s' name='S' provider='t'><needs ref='v'/></service>\n"
		      "<service id='t' name='T'><needs-any min='1'><option ref='k'/></needs-any></service>\n"
		      "<vendor id='w' name='W' parent='s'/>\n"
		      "<contract id='k' vendor='v' sourcing='total' shoring='onshore' start='2020-01-01'>\n"
		      "<covers ref='v'/></contract>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "provider 't' is a service, not a vendor");
	expect(&r, "a.xml", 3, "needs 'v' is a vendor, not a service");
	expect(&r, "a.xml", 4, "option 'k' is a contract, not a service");
	expect(&r, "a.xml", 5, "parent 's' is a service, not a vendor");
	expect(&r, "a.xml", 7, "covers 'v' is a vendor, not a service");
	done(&r);
}

Test(model, unknown_contract_vendor_and_relies_on)
{
	run r = load3("<vendor id='v' name='V'>\n<relies-on ref='nobody'/></vendor>\n"
		      "<service id='s' name='S'/>\n"
		      "<contract id='k' vendor='acme' sourcing='total' shoring='onshore' start='2020-01-01'>"
		      "<covers ref='s'/></contract>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "relies-on 'nobody' names no vendor");
	expect(&r, "a.xml", 5, "vendor 'acme' names no vendor");
	done(&r);
}

Test(model, covered_service_with_another_provider)
{
	run r = load3("<vendor id='v' name='V'/><vendor id='w' name='W'/>\n"
		      "<service id='s' name='S' provider='w'/>",
		      "<contract id='k' vendor='v' sourcing='selective' shoring='offshore'\n"
		      "          start='2020-01-01'>\n"
		      "  <covers ref='s'/>\n</contract>",
		      NULL);

	expect(&r, "b.xml", 4, "service 's' is provided by 'w' but covered by contract 'k' of vendor 'v'");
	done(&r);
}

Test(model, covered_service_without_provider)
{
	run r = load3("<vendor id='v' name='V'/><service id='s' name='S'/>\n"
		      "<contract id='k' vendor='v' sourcing='co-sourcing' shoring='homeshore' start='2020-01-01'>"
		      "<covers ref='s'/></contract>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "service 's' has no provider but is covered by contract 'k'");
	done(&r);
}

Test(model, service_covered_by_two_contracts)
{
	run r = load3("<vendor id='v' name='V'/><service id='s' name='S' provider='v'/>\n"
		      "<contract id='k1' vendor='v' sourcing='total' shoring='onshore' start='2020-01-01'>"
		      "<covers ref='s'/></contract>\n"
		      "<contract id='k2' vendor='v' sourcing='total' shoring='onshore' start='2020-01-01'>"
		      "<covers ref='s'/></contract>",
		      NULL, NULL);

	expect(&r, "a.xml", 4, "service 's' is already covered by contract 'k1' at a.xml:3");
	done(&r);
}

Test(model, contract_that_covers_nothing)
{
	run r = load3("<vendor id='v' name='V'/>\n"
		      "<contract id='k' vendor='v' sourcing='total' shoring='onshore' start='2020-01-01'>"
		      "<sla availability='99.9'/></contract>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "contract 'k' covers no service");
	done(&r);
}

Test(model, repeated_sla_exit_and_subcontracting)
{
	run r = load3("<vendor id='v' name='V'/><service id='s' name='S' provider='v'/>\n"
		      "<contract id='k' vendor='v' sourcing='total' shoring='onshore' start='2020-01-01'>"
		      "<covers ref='s'/><sla/><sla/><exit plan='none'/><exit plan='tested'/>"
		      "<subcontracting allowed='no'/><subcontracting allowed='yes'/></contract>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "2 sla elements");
	expect(&r, "a.xml", 3, "2 exit elements");
	expect(&r, "a.xml", 3, "2 subcontracting elements");
	done(&r);
}

Test(model, min_above_the_number_of_options)
{
	run r = load3("<service id='a' name='A'/><service id='b' name='B'/>\n"
		      "<service id='s' name='S'>\n"
		      "  <needs-any min='3'><option ref='a'/><option ref='b'/></needs-any>\n"
		      "</service>",
		      NULL, NULL);

	expect(&r, "a.xml", 4, "min=\"3\" is outside 1..2");
	done(&r);
}

Test(model, min_zero_is_a_schema_error)
{
	run r = load3("<service id='a' name='A'/>\n"
		      "<service id='s' name='S'><needs-any min='0'><option ref='a'/></needs-any></service>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "min");
	done(&r);
}

Test(model, huge_min_does_not_overflow)
{
	run r = load3("<service id='a' name='A'/>\n<service id='s' name='S'>"
		      "<needs-any min='18446744073709551617'><option ref='a'/></needs-any></service>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "outside 1..1");
	done(&r);
}

Test(model, contract_ending_before_it_starts)
{
	run r = load3("<vendor id='v' name='V'/><service id='s' name='S' provider='v'/>\n"
		      "<contract id='k' vendor='v' sourcing='total' shoring='onshore'\n"
		      "          start='2024-01-01' end='2023-12-31'><covers ref='s'/></contract>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "contract 'k' ends before it starts");
	done(&r);
}

Test(model, parent_chain_that_loops)
{
	run r = load3("<vendor id='b' name='B' parent='c'/>\n<vendor id='c' name='C' parent='a'/>",
		      "<vendor id='a' name='A' parent='b'/>\n<vendor id='self' name='S' parent='self'/>\n"
		      "<vendor id='child' name='C' parent='a'/>",
		      NULL);

	expect(&r, "b.xml", 2, "corporate parent chain loops: a -> b -> c -> a");
	expect(&r, "b.xml", 3, "corporate parent chain loops: self -> self");
	cr_expect_eq(r.d.n, 2, "each loop once; a vendor hanging off a loop is no second loop");
	done(&r);
}

Test(model, portfolio_attributes_that_disagree)
{
	itr_source src[2] = {
		{"a.xml", "<portfolio " NS " currency='EUR' name='X'/>", 0},
		{"b.xml", "<portfolio " NS "\n currency='USD' name='X'/>", 0},
	};
	itr_diags d;
	itr_model *m = NULL;

	src[0].len = strlen(src[0].data);
	src[1].len = strlen(src[1].data);
	itr_diags_init(&d);
	cr_expect_eq(itr_load(&m, src, 2, NULL, &d), -1);
	cr_expect(t_has_diag(&d, 1, "portfolio attribute 'currency' is 'USD' here but 'EUR' at a.xml:1"),
		  "got %s", d.n ? d.v[0].message : "nothing");
	cr_expect_eq(d.n, 1, "the agreeing name is no error");
	itr_diags_release(&d);
}

Test(model, multi_line_start_tag_is_located_at_its_first_line)
{
	run r = load3("<vendor id='v' name='V'/>\n"
		      "<service id='s'\n name='S'\n provider='nobody'/>",
		      NULL, NULL);

	expect(&r, "a.xml", 3, "provider 'nobody' names no vendor");
	done(&r);
}

Test(model, elements_are_numbered_in_bytewise_id_order)
{
	run r = load3("<service id='b' name='B'/><vendor id='a' name='A'/>",
		      "<service id='C' name='C'/><vendor id='_' name='_'/>", NULL);

	cr_assert_not_null(r.m);
	cr_expect_str_eq(itr_model_elem_id(r.m, 0), "C");
	cr_expect_str_eq(itr_model_elem_id(r.m, 1), "_");
	cr_expect_str_eq(itr_model_elem_id(r.m, 2), "a");
	cr_expect_str_eq(itr_model_elem_id(r.m, 3), "b");
	cr_expect_eq(itr_model_find(r.m, "a"), 2);
	cr_expect_eq(itr_model_find(r.m, "zz"), ITR_NONE);
	cr_expect_eq(r.m->services[0].criticality, ITR_CRIT_STANDARD, "default criticality");
	cr_expect_eq(r.m->vendors[0].kind, ITR_VENDOR_EXTERNAL, "default kind");
	done(&r);
}

Test(model, attributes_are_read)
{
	run r = load3("<vendor id='v' name='V' country='KR' kind='subsidiary'>"
		      "<certification name='ISO27001' expires='2027-03-31'/></vendor>"
		      "<service id='s' name='S' provider='v' criticality='important' rto='PT2H30M'"
		      " availability='99.95' owner='Head'/>"
		      "<contract id='k' vendor='v' sourcing='co-sourcing' shoring='nearshore'"
		      " start='2023-01-01' end='2027-01-31' notice='P90D' auto-renew='true'"
		      " annual-cost='1200.50'><covers ref='s'/>"
		      "<exit plan='tested' tested-on='2026-03-02' transition='P1M' substitutability='hard'/>"
		      "<subcontracting allowed='with-approval'/></contract>",
		      NULL, NULL);
	const itr_contract *k;
	itr_date d;

	cr_assert_not_null(r.m);
	k = &r.m->contracts[0];
	cr_expect_eq(r.m->vendors[0].kind, ITR_VENDOR_SUBSIDIARY);
	cr_expect_eq(r.m->vendors[0].ncerts, 1);
	cr_expect_eq(r.m->services[0].rto.seconds, 9000.0);
	cr_expect_eq(r.m->services[0].availability, 99.95);
	cr_expect_eq(k->sourcing, ITR_SOURCING_CO);
	cr_expect_eq(k->shoring, ITR_SHORING_NEARSHORE);
	cr_expect_eq(k->notice.seconds, 90 * 86400.0);
	cr_expect_eq(k->auto_renew, 1);
	cr_expect_eq(k->annual_cost, 1200.5);
	cr_expect_eq(k->exit.plan, ITR_EXIT_TESTED);
	cr_expect_eq(k->exit.transition.seconds, 30 * 86400.0);
	cr_expect_eq(k->exit.substitutability, ITR_SUBST_HARD);
	cr_expect_eq(k->subcontracting, ITR_SUBCON_WITH_APPROVAL);
	cr_expect_eq(r.m->services[0].contract, 0);
	cr_assert_eq(itr_date_parse("2027-01-31", &d), 0);
	cr_expect_eq(k->end, d);
	done(&r);
}

Test(model, dates_round_trip_and_check_the_calendar)
{
	const char *good[] = {"1970-01-01", "2000-02-29", "2024-02-29", "2026-11-29", "9999-12-31",
			      "0001-01-01"};
	const char *bad[] = {"2023-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
			     "2026-1-01", "26-01-01", "2026-01-01Z", ""};
	itr_date d;
	char buf[11];

	for (size_t i = 0; i < ITR_ARRAY_LEN(good); i++) {
		cr_assert_eq(itr_date_parse(good[i], &d), 0, "%s", good[i]);
		itr_date_format(d, buf);
		cr_expect_str_eq(buf, good[i]);
	}
	for (size_t i = 0; i < ITR_ARRAY_LEN(bad); i++)
		cr_expect_neq(itr_date_parse(bad[i], &d), 0, "%s", bad[i]);
	cr_assert_eq(itr_date_parse("1970-01-02", &d), 0);
	cr_expect_eq(d, 1);
	cr_assert_eq(itr_date_parse("2026-11-01", &d), 0);
	cr_expect_eq(d, 20758); /* 56 years of 365 days + 14 leap days + 304 days of 2026 */
}

Test(model, durations)
{
	double s;

	cr_assert_eq(itr_duration_parse("PT4H", &s), 0);
	cr_expect_eq(s, 4 * 3600.0);
	cr_assert_eq(itr_duration_parse("P1Y2M3DT4H5M6.5S", &s), 0);
	cr_expect_eq(s, 365 * 86400.0 + 60 * 86400.0 + 3 * 86400.0 + 4 * 3600.0 + 300 + 6.5);
	cr_assert_eq(itr_duration_parse("PT90M", &s), 0);
	cr_expect_eq(s, 5400.0);
	cr_expect_neq(itr_duration_parse("P", &s), 0);
	cr_expect_neq(itr_duration_parse("PT", &s), 0);
	cr_expect_neq(itr_duration_parse("P4H", &s), 0);
	cr_expect_neq(itr_duration_parse("-P1D", &s), 0);
	cr_expect_neq(itr_duration_parse("P1DT", &s), 0);
}

/* Enough services that references are first resolved on two threads (see
 * itr_model_finish()): broken ones in both halves, a bad min, and a good
 * portfolio of the same size; the messages come in record order. */
Test(model, references_of_a_large_portfolio_resolve_on_two_threads)
{
	itr_buf body = ITR_BUF_INIT;
	run r;
	char *all;

	itr_buf_puts(&body, "<vendor id='v' name='V'/>\n");
	for (int i = 0; i < 3000; i++) {
		itr_buf_printf(&body, "<service id='s%04d' name='S' provider='v'>", i);
		if (i > 0)
			itr_buf_printf(&body, "<needs ref='s%04d'/>", i - 1);
		itr_buf_puts(&body, "</service>\n");
	}
	r = load3(itr_buf_str(&body), NULL, NULL);
	cr_assert_not_null(r.m, "a valid portfolio loads");
	cr_assert_eq(r.m->services[2999].needs[0].target, itr_model_find(r.m, "s2998"));
	cr_assert_eq(r.m->services[1].provider.target, itr_model_find(r.m, "v"));
	done(&r);

	itr_buf_release(&body);
	itr_buf_puts(&body, "<vendor id='v' name='V'/>\n");
	for (int i = 0; i < 3000; i++) {
		itr_buf_printf(&body, "<service id='s%04d' name='S' provider='v'>", i);
		if (i == 10)
			itr_buf_puts(&body, "<needs ref='ghost'/>");
		if (i == 2500)
			itr_buf_puts(&body, "<needs ref='v'/>");
		if (i == 2600)
			itr_buf_puts(&body, "<needs-any min='3'><option ref='s0001'/></needs-any>");
		itr_buf_puts(&body, "</service>\n");
	}
	r = load3(itr_buf_str(&body), NULL, NULL);
	expect(&r, "a.xml", 13, "needs 'ghost' names no service");
	expect(&r, "a.xml", 2503, "needs 'v' is a vendor, not a service");
	expect(&r, "a.xml", 2603, "needs-any min=\"3\" is outside 1..1");
	all = t_all_diags(&r.d);
	cr_expect_eq(r.d.n, 3, "%s", all);
	cr_expect(strstr(all, "ghost") < strstr(all, "is a vendor"), "in record order:\n%s", all);
	free(all);
	done(&r);
	itr_buf_release(&body);
}

/* Ids sharing their first 8 bytes, shorter ones, and more than the
 * insertion sort's 32: numbered in strcmp order all the same. */
Test(model, ids_sharing_long_prefixes_are_numbered_in_bytewise_order)
{
	itr_buf xml = ITR_BUF_INIT;
	const char *extra[] = {"service", "service-", "service-a", "servicf", "s", "service-prefix-"};
	const char **want;
	size_t n = 0, nwant = 0;
	run r;

	want = malloc((200 + ITR_ARRAY_LEN(extra)) * sizeof(*want));
	for (size_t i = 0; i < 200; i++) {
		/* a permutation of 0..199 (7 and 200 are coprime) */
		itr_buf_printf(&xml, "<service id='service-prefix-%03zu' name='S'/>", i * 7 % 200);
		n++;
	}
	for (size_t i = 0; i < ITR_ARRAY_LEN(extra); i++)
		itr_buf_printf(&xml, "<vendor id='%s' name='V'/>", extra[i]);
	r = load3(xml.s, NULL, NULL);
	cr_assert_not_null(r.m);
	cr_assert_eq(r.m->nelems, n + ITR_ARRAY_LEN(extra));
	for (size_t e = 0; e < r.m->nelems; e++)
		want[nwant++] = itr_model_elem_id(r.m, e);
	for (size_t e = 1; e < nwant; e++)
		cr_expect_lt(strcmp(want[e - 1], want[e]), 0, "'%s' before '%s'", want[e - 1],
			     want[e]);
	cr_expect_str_eq(want[0], "s");
	cr_expect_str_eq(want[3], "service-a");
	cr_expect_str_eq(want[4], "service-prefix-");
	cr_expect_str_eq(want[5], "service-prefix-000");
	cr_expect_eq(itr_model_find(r.m, "service-prefix-123"), 128);
	free(want);
	itr_buf_release(&xml);
	done(&r);
}

/* The radix sort keeps equal keys in their order and moves the values along. */
Test(model, u64_sort_is_stable_with_values)
{
	for (size_t n = 0; n <= 300; n += n < 40 ? 1 : 37) {
		uint64_t *key = malloc((n + 1) * sizeof(*key));
		size_t *val = malloc((n + 1) * sizeof(*val));

		for (size_t i = 0; i < n; i++) {
			/* few distinct keys, high and low bytes both in play */
			key[i] = ((uint64_t)(i * 5 % 7) << 56) | (i * 3 % 4);
			val[i] = i;
		}
		itr_sort_u64(key, val, n);
		for (size_t i = 0; i < n; i++) {
			cr_assert_eq(key[i], ((uint64_t)(val[i] * 5 % 7) << 56) | (val[i] * 3 % 4));
			if (i)
				cr_assert(key[i - 1] < key[i] || (key[i - 1] == key[i] && val[i - 1] < val[i]),
					  "n %zu at %zu", n, i);
		}
		free(key);
		free(val);
	}
}

/* Enough services for the duplicates to be looked for on a second thread:
 * every occurrence reported, with the location of another, in either file. */
Test(model, duplicates_of_a_large_portfolio_are_all_reported)
{
	itr_buf a = ITR_BUF_INIT, b = ITR_BUF_INIT;
	run r;
	char *all;

	for (int i = 0; i < 5000; i++)
		itr_buf_printf(&a, "<service id='s%04d' name='S'/>\n", i);
	itr_buf_puts(&b, "<vendor id='s0007' name='V'/>\n<service id='s4999' name='S'/>\n");
	r = load3(itr_buf_str(&a), itr_buf_str(&b), NULL);
	expect(&r, "a.xml", 9, "duplicate id 's0007' (also defined at b.xml:2)");
	expect(&r, "b.xml", 2, "duplicate id 's0007' (also defined at a.xml:9)");
	expect(&r, "a.xml", 5001, "duplicate id 's4999' (also defined at b.xml:3)");
	expect(&r, "b.xml", 3, "duplicate id 's4999' (also defined at a.xml:5001)");
	all = t_all_diags(&r.d);
	cr_expect_eq(r.d.n, 4, "%s", all);
	free(all);
	done(&r);
	itr_buf_release(&a);
	itr_buf_release(&b);
}
