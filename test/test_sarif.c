/*
 * SARIF 2.1.0 for GitHub code scanning, checked field by field against the
 * requirements of ../shared/FACTS.md on every sample, and against the JSON
 * report of the same run (same findings, same order, same lines).
 */
#include "gatetest.h"
#include "itorisk/gate.h"
#include "itorisk/rules.h"

#include <ctype.h>
#include <math.h>

TestSuite(sarif, .init = g_setup, .fini = g_teardown, .timeout = 120);

static const char *expected_level(const char *severity)
{
	if (strcmp(severity, "critical") == 0 || strcmp(severity, "high") == 0)
		return "error";
	return strcmp(severity, "medium") == 0 ? "warning" : "note";
}

static bool has_tag(const tj *props, const char *tag)
{
	const tj *tags = tj_get(props, "tags");

	for (size_t i = 0; tags && i < tags->n; i++)
		if (tags->items[i]->type == TJ_STRING && strcmp(tags->items[i]->str, tag) == 0)
			return true;
	return false;
}

/* Every rule of the catalogue, in order, with its texts and levels. */
static void check_rules(const tj *driver)
{
	size_t n;
	const itr_rule *r = itr_rules(&n);
	const tj *rules = tj_get(driver, "rules");

	cr_assert(rules && rules->type == TJ_ARRAY, "driver.rules is an array");
	cr_assert_eq(rules->n, n, "every rule is declared, fired or not (%zu of %zu)", rules->n, n);
	for (size_t i = 0; i < n; i++) {
		const tj *x = tj_at(rules, i), *props = tj_get(x, "properties");
		const char *sec = tj_str(props, "security-severity");

		cr_expect_str_eq(tj_str(x, "id"), r[i].id);
		cr_expect_str_eq(tj_str(tj_get(x, "shortDescription"), "text"), r[i].summary);
		cr_expect_str_eq(tj_str(tj_get(x, "fullDescription"), "text"), r[i].description);
		cr_expect_str_eq(tj_str(tj_get(x, "help"), "text"), r[i].help);
		cr_expect_str_eq(tj_str(tj_get(x, "defaultConfiguration"), "level"),
				 expected_level(itr_severity_name(r[i].severity)), "%s", r[i].id);
		if (r[i].security) {
			double v;

			cr_assert_not_null(sec, "%s: security rules carry security-severity", r[i].id);
			v = strtod(sec, NULL);
			cr_expect(v >= 0.1 && v <= 10.0, "%s: security-severity %s in 0.1..10.0", r[i].id,
				  sec);
			cr_expect(isdigit((unsigned char)sec[0]) && strchr(sec, '.'),
				  "security-severity is a decimal string: %s", sec);
			cr_expect(has_tag(props, "security"), "%s: tagged security", r[i].id);
		} else {
			cr_expect_null(sec, "%s: not a security rule", r[i].id);
			cr_expect_not(has_tag(props, "security"), "%s: not tagged security", r[i].id);
		}
	}
}

static long rule_position(const char *id)
{
	size_t n;
	const itr_rule *r = itr_rules(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* One result against the same finding of the JSON report. */
static void check_result(const tj *res, const tj *finding, const char *want_uri)
{
	const tj *loc = tj_at(tj_get(res, "locations"), 0);
	const tj *line = tj_path(loc, "physicalLocation.region.startLine");
	const tj *fps = tj_get(res, "partialFingerprints");
	const tj *idx = tj_get(res, "ruleIndex");
	const char *rule = tj_str(finding, "rule");
	const char *fp;
	char want_fp[ITR_FP_LEN + 1];

	cr_assert_not_null(rule);
	cr_expect_str_eq(tj_str(res, "ruleId"), rule);
	cr_assert(idx && idx->type == TJ_NUMBER);
	cr_expect_eq((long)idx->num, rule_position(rule), "ruleIndex points at the rule");
	cr_expect_str_eq(tj_str(res, "level"), expected_level(tj_str(finding, "severity")));
	cr_expect_str_eq(tj_str(tj_get(res, "message"), "text"), tj_str(finding, "message"));
	cr_assert_not_null(loc, "locations[0]");
	cr_expect_str_eq(tj_str(tj_path(loc, "physicalLocation.artifactLocation"), "uri"), want_uri);
	cr_assert(line && line->type == TJ_NUMBER && line->num >= 1, "region.startLine >= 1");
	cr_expect_eq(line->num, tj_num(finding, "line"), "the finding's line");
	cr_assert(fps && fps->type == TJ_OBJECT && fps->n >= 1, "partialFingerprints");
	fp = tj_str(fps, "itoriskFingerprint/v1");
	cr_assert_not_null(fp);
	cr_expect_eq(strlen(fp), ITR_FP_LEN);
	cr_expect_eq(strspn(fp, "0123456789abcdef"), ITR_FP_LEN);
	/* rule and logical key only: never the line or the message */
	itr_fingerprint(want_fp, rule, tj_str(tj_get(res, "properties"), "key"));
	cr_expect_str_eq(fp, want_fp);
}

/* Run both reports of `paths` and check the SARIF one completely. Returns the result count. */
static size_t check_sarif(const char *paths, const char *uri_prefix)
{
	g_out s = g_run("audit %s --format sarif", paths), j = g_run("audit %s --format json", paths);
	tj *doc = tj_parse(s.out), *json = tj_parse(j.out);
	const tj *run, *results, *findings;
	size_t n;

	cr_assert_eq(s.status, 0, "%s", s.err);
	cr_assert_not_null(doc, "SARIF output is strict JSON:\n%.400s", s.out);
	cr_assert_not_null(json);
	cr_expect(strstr(tj_str(doc, "$schema"), "sarif-2.1.0") != NULL, "$schema");
	cr_expect_str_eq(tj_str(doc, "version"), "2.1.0");
	cr_assert_eq(tj_len(tj_get(doc, "runs")), 1);
	run = tj_at(tj_get(doc, "runs"), 0);
	cr_expect_str_eq(tj_str(tj_path(run, "tool.driver"), "name"), "itorisk");
	cr_expect_str_eq(tj_str(tj_path(run, "tool.driver"), "version"), ITR_VERSION);
	check_rules(tj_path(run, "tool.driver"));
	results = tj_get(run, "results");
	findings = tj_get(json, "findings");
	cr_assert(results && results->type == TJ_ARRAY, "results is an array, even when empty");
	cr_assert_eq(results->n, findings->n, "one result per finding");
	for (size_t i = 0; i < results->n; i++) {
		const char *file = tj_str(tj_at(findings, i), "file");
		itr_buf uri = ITR_BUF_INIT;

		/* the JSON report keeps the path as given; SARIF normalises it */
		itr_buf_printf(&uri, "%s%s", uri_prefix, strrchr(file, '/') + 1);
		check_result(tj_at(results, i), tj_at(findings, i), uri.s);
		itr_buf_release(&uri);
		for (size_t k = 0; k < i; k++)
			cr_expect_str_neq(
				tj_str(tj_get(tj_at(results, i), "partialFingerprints"), "itoriskFingerprint/v1"),
				tj_str(tj_get(tj_at(results, k), "partialFingerprints"), "itoriskFingerprint/v1"),
				"fingerprints are unique within a run");
	}
	n = results->n;
	tj_free(doc);
	tj_free(json);
	g_free(&s);
	g_free(&j);
	return n;
}

Test(sarif, bank_meets_every_requirement)
{
	cr_expect_geq(check_sarif("samples/bank", "samples/bank/"), 14,
		      "the 14 single-point findings of test/expected/bank.md, at least");
}

Test(sarif, hospital_meets_every_requirement)
{
	cr_expect_geq(check_sarif("samples/hospital", "samples/hospital/"), 1);
}

Test(sarif, retailer_meets_every_requirement)
{
	cr_expect_geq(check_sarif("samples/retailer", "samples/retailer/"), 1);
}

Test(sarif, pull_request_head_meets_every_requirement)
{
	cr_expect_geq(check_sarif("samples/pr-scenario/head", "samples/pr-scenario/head/"), 5);
}

Test(sarif, paths_are_normalised_to_repository_relative_uris)
{
	check_sarif("./samples/bank", "samples/bank/");
	check_sarif("samples/hospital/../bank/", "samples/bank/");
	check_sarif(".//samples/./retailer", "samples/retailer/");
}

Test(sarif, a_clean_run_has_an_empty_results_array_and_every_rule)
{
	char *p = t_write_str(g_dir, "clean.xml",
			      "<portfolio xmlns='urn:itorisk:portfolio:1'>"
			      "<service id='s' name='S' criticality='critical'/></portfolio>");
	g_out r = g_run("audit '%s' --format sarif --fail-on info", p);
	tj *doc = tj_parse(r.out);
	const tj *run = tj_at(tj_get(doc, "runs"), 0), *results = tj_get(run, "results");

	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_assert(results && results->type == TJ_ARRAY && results->n == 0, "\"results\": []");
	cr_expect(strstr(r.out, "\"results\": []") != NULL);
	check_rules(tj_path(run, "tool.driver"));
	tj_free(doc);
	g_free(&r);
	free(p);
}

Test(sarif, uris_are_percent_encoded)
{
	g_out r;
	tj *doc;
	const tj *loc;
	const char *uri;

	g_sh("mkdir -p '%s/my repo' && cp -r samples/bank '%s/my repo/b%%nk'", g_dir, g_dir);
	cr_assert_eq(chdir(g_dir), 0);
	r = g_run("audit 'my repo/b%%nk' --format sarif");
	doc = tj_parse(r.out);
	cr_assert_not_null(doc, "%s", r.err);
	loc = tj_at(tj_get(tj_at(tj_get(tj_at(tj_get(doc, "runs"), 0), "results"), 0), "locations"), 0);
	uri = tj_str(tj_path(loc, "physicalLocation.artifactLocation"), "uri");
	cr_assert_not_null(uri);
	cr_expect(strncmp(uri, "my%20repo/b%25nk/", 17) == 0, "encoded: %s", uri);
	tj_free(doc);
	g_free(&r);
}

Test(sarif, absolute_paths_become_file_uris)
{
	g_out r = g_run("audit '%s/samples/bank' --format sarif", ITR_SOURCE_DIR);
	itr_buf want = ITR_BUF_INIT;

	itr_buf_printf(&want, "\"uri\": \"file://%s/samples/bank/", ITR_SOURCE_DIR);
	cr_expect(strstr(r.out, want.s) != NULL, "%s", want.s);
	itr_buf_release(&want);
	g_free(&r);
}
