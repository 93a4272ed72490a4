/*
 * The CI formats as a pipeline sees them: exit codes 0/1/2 and their
 * precedence for every format, one bad file among good ones (exit 2, no
 * report), GitHub workflow-command escaping, GitLab Code Quality fields and
 * JUnit structure (read back with libxml2).
 */
#include "gatetest.h"
#include "itorisk/gate.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

TestSuite(gate, .init = g_setup, .fini = g_teardown, .timeout = 120);

static const char *const formats[] = {"text", "json", "sarif", "github", "gitlab", "junit"};

static const char clean_portfolio[] = "<portfolio xmlns='urn:itorisk:portfolio:1'>\n"
				      "<service id='s' name='S' criticality='critical'/>\n"
				      "</portfolio>\n";

Test(gate, exit_codes_for_every_format)
{
	char *clean = t_write_str(g_dir, "clean.xml", clean_portfolio);

	for (size_t i = 0; i < ITR_ARRAY_LEN(formats); i++) {
		const char *f = formats[i];

		/* the bank has critical single points of failure */
		g_expect_status(f, g_run("audit samples/bank --format %s", f), 0);
		g_expect_status(f, g_run("audit samples/bank --format %s --fail-on none", f), 0);
		g_expect_status(f, g_run("audit samples/bank --format %s --fail-on critical", f), 1);
		g_expect_status(f, g_run("audit samples/bank --format %s --fail-on info", f), 1);
		g_expect_status(f, g_run("audit '%s' --format %s --fail-on info", clean, f), 0);
		g_expect_status(f, g_run("audit samples/bank --format %s --fail-on serious", f), 2);
	}
	g_expect_status("unknown format", g_run("audit samples/bank --format sarif2"), 2);
	free(clean);
}

Test(gate, one_bad_file_among_good_ones_is_exit_2_and_no_report_in_every_format)
{
	char *repo = g_path("repo"), *report = g_path("report.out");

	g_sh("cp -r samples/bank '%s'", repo);
	free(t_write_str(repo, "zz-broken.xml",
			 "<portfolio xmlns='urn:itorisk:portfolio:1'>\n<vendor id='x'/>\n</portfolio>\n"));
	for (size_t i = 0; i < ITR_ARRAY_LEN(formats); i++) {
		g_out r = g_run("audit samples/hospital '%s' --format %s -o '%s' --fail-on critical", repo,
				formats[i], report);

		cr_expect_eq(r.status, 2, "%s: input error wins over findings", formats[i]);
		cr_expect(strstr(r.err, "zz-broken.xml:2: error:") != NULL, "%s", r.err);
		cr_expect_not(g_exists(report), "%s: no report", formats[i]);
		cr_expect_str_eq(r.out, "");
		g_free(&r);
		/* on stdout neither */
		r = g_run("audit '%s' --format %s --fail-on critical", repo, formats[i]);
		cr_expect_eq(r.status, 2);
		cr_expect_str_eq(r.out, "", "%s: nothing on stdout", formats[i]);
		g_free(&r);
	}
	free(repo);
	free(report);
}

Test(gate, write_failure_is_exit_2_even_with_findings)
{
	g_expect_status("full", g_run("audit samples/bank --format sarif -o /dev/full --fail-on critical"), 2);
	g_expect_status("missing dir",
			g_run("audit samples/bank --format junit -o /nonexistent/x.xml --fail-on info"), 2);
}

/* ---- GitHub workflow commands ------------------------------------------- */

Test(gate, github_annotations_carry_file_line_and_severity)
{
	g_out r = g_run("audit samples/bank --format github");
	size_t lines = 0;

	cr_expect_eq(r.status, 0);
	for (char *p = r.out; p && *p; p = strchr(p, '\n') + 1) {
		cr_expect(strncmp(p, "::error file=samples/bank/", 26) == 0 ||
				  strncmp(p, "::warning file=samples/bank/", 28) == 0 ||
				  strncmp(p, "::notice file=samples/bank/", 27) == 0,
			  "one annotation per line: %.80s", p);
		lines++;
	}
	cr_expect_geq(lines, 14);
	cr_expect(strstr(r.out, "::error file=samples/bank/fourth-parties.xml,line=14,title=") != NULL,
		  "hanra-idc, a critical finding, at fourth-parties.xml:14");
	cr_expect(strstr(r.out, "::error file=samples/bank/kanto-cyber.xml,line=10,title=") != NULL);
	g_free(&r);
}

Test(gate, github_escapes_what_a_pull_request_controls)
{
	/* a file name is chosen by whoever opens the pull request: it must not
	 * end the annotation and start a command of its own */
	char name[] = "evil,file=x:y%0A\n::error::pwned.xml";
	char *dir = g_path("repo");
	g_out r;

	g_sh("mkdir '%s'", dir);
	free(t_write_str(dir, name,
			 "<portfolio xmlns='urn:itorisk:portfolio:1'>\n"
			 "<vendor id='v' name='V'/>\n"
			 "<service id='s' name='S' criticality='critical' provider='v'/>\n"
			 "</portfolio>\n"));
	cr_assert_eq(chdir(dir), 0);
	r = g_run("audit . --format github");
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strncmp(r.out,
			  "::error file=evil%2Cfile=x%3Ay%250A%0A%3A%3Aerror%3A%3Apwned.xml,line=2,"
			  "title=A vendor alone can stop critical or important services (critical)::"
			  "vendor 'v' alone can stop 1 critical or important service: 's' [spof.vendor]\n",
			  222) == 0,
		  "%s", r.out);
	/* whatever other rules fire: every line is one annotation on that file */
	for (char *p = r.out; p && *p; p = strchr(p, '\n') + 1)
		cr_expect(strncmp(p, "::error file=evil%2Cfile=x%3Ay%250A%0A%3A%3Aerror%3A%3Apwned.xml,line=",
				  70) == 0 || strncmp(p, "::warning file=evil%2C", 22) == 0 ||
				  strncmp(p, "::notice file=evil%2C", 21) == 0,
			  "%.100s", p);
	g_free(&r);
	free(dir);
}

/* ---- GitLab Code Quality ------------------------------------------------ */

Test(gate, gitlab_code_quality_fields)
{
	static const char *const sev[] = {"info", "minor", "major", "critical", "blocker"};
	g_out r = g_run("audit samples/retailer --format gitlab");
	g_out s = g_run("audit samples/retailer --format sarif");
	tj *doc = tj_parse(r.out), *sarif = tj_parse(s.out);
	const tj *results = tj_get(tj_at(tj_get(sarif, "runs"), 0), "results");

	cr_assert_not_null(doc, "strict JSON:\n%.300s", r.out);
	cr_assert_eq(doc->type, TJ_ARRAY);
	cr_assert_eq(doc->n, tj_len(results), "one issue per finding");
	cr_expect_geq(doc->n, 1);
	for (size_t i = 0; i < doc->n; i++) {
		const tj *x = tj_at(doc, i), *res = tj_at(results, i);
		const char *severity = tj_str(x, "severity");
		bool known = false;

		cr_expect_str_eq(tj_str(x, "description"), tj_str(tj_get(res, "message"), "text"));
		cr_expect_str_eq(tj_str(x, "check_name"), tj_str(res, "ruleId"));
		cr_expect_str_eq(tj_str(x, "fingerprint"),
				 tj_str(tj_get(res, "partialFingerprints"), "itoriskFingerprint/v1"));
		for (size_t k = 0; k < ITR_ARRAY_LEN(sev); k++)
			known = known || (severity && strcmp(severity, sev[k]) == 0);
		cr_expect(known, "severity '%s'", severity);
		cr_expect(strncmp(tj_str(tj_get(x, "location"), "path"), "samples/retailer/", 17) == 0);
		cr_expect_geq(tj_num(tj_path(x, "location.lines"), "begin"), 1);
	}
	tj_free(doc);
	tj_free(sarif);
	g_free(&r);
	g_free(&s);
	{
		char *clean = t_write_str(g_dir, "clean.xml", clean_portfolio);

		r = g_run("audit '%s' --format gitlab", clean);
		cr_expect_str_eq(r.out, "[]\n");
		g_free(&r);
		free(clean);
	}
}

/* ---- JUnit ---------------------------------------------------------------- */

static long attr_long(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	long x = v ? strtol((const char *)v, NULL, 10) : -1;

	xmlFree(v);
	return x;
}

Test(gate, junit_has_a_failing_case_per_finding_and_a_passing_one_per_clean_file)
{
	g_out r = g_run("audit samples/bank --format junit");
	xmlDocPtr doc = xmlReadMemory(r.out, (int)strlen(r.out), "junit.xml", NULL, XML_PARSE_NONET);
	xmlNode *root;
	long suites = 0, failures = 0, passing = 0, cases = 0;

	cr_assert_not_null(doc, "well-formed XML");
	root = xmlDocGetRootElement(doc);
	cr_assert_str_eq((const char *)root->name, "testsuites");
	for (xmlNode *s = root->children; s; s = s->next) {
		long here = 0, failed = 0;

		if (s->type != XML_ELEMENT_NODE)
			continue;
		cr_assert_str_eq((const char *)s->name, "testsuite");
		suites++;
		for (xmlNode *c = s->children; c; c = c->next) {
			bool fails = false;

			if (c->type != XML_ELEMENT_NODE)
				continue;
			cr_assert_str_eq((const char *)c->name, "testcase");
			here++;
			for (xmlNode *f = c->children; f; f = f->next)
				fails = fails || (f->type == XML_ELEMENT_NODE &&
						  strcmp((const char *)f->name, "failure") == 0);
			failed += fails;
			passing += !fails;
		}
		cr_expect_eq(attr_long(s, "tests"), here);
		cr_expect_eq(attr_long(s, "failures"), failed);
		cr_expect(here > 0, "every file has a test case");
		cases += here;
		failures += failed;
	}
	cr_expect_eq(suites, 12, "a suite per file of the bank");
	cr_expect_eq(attr_long(root, "tests"), cases);
	cr_expect_eq(attr_long(root, "failures"), failures);
	cr_expect_geq(failures, 14);
	/* carriers.xml, cloudco.xml, homedesk.xml, infrastructure.xml, skyline.xml
	 * and vistara.xml have no single-point finding */
	cr_expect_leq(passing, 6);
	xmlFreeDoc(doc);
	g_free(&r);
}
