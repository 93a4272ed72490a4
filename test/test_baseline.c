/*
 * Baselines: written atomically, read through the hardened loader, matched by
 * fingerprint (so they survive reformatting), expiring, and every bad
 * baseline an exit 2 with FILE:LINE and no report.
 */
#include "gatetest.h"
#include "itorisk/gate.h"

TestSuite(baseline, .init = g_setup, .fini = g_teardown, .timeout = 120);

/* The bank's findings accepted in DIR/bl.xml. Caller frees the path. */
static char *bank_baseline(void)
{
	char *bl = g_path("bl.xml");
	g_out r = g_run("audit samples/bank --write-baseline '%s' -o /dev/null", bl);

	cr_assert_eq(r.status, 0, "%s", r.err);
	g_free(&r);
	return bl;
}

static size_t json_findings(const char *out)
{
	tj *doc = tj_parse(out);
	size_t n;

	cr_assert_not_null(doc);
	n = tj_len(tj_get(doc, "findings"));
	tj_free(doc);
	return n;
}

Test(baseline, written_baseline_validates_and_accepts_every_finding)
{
	char *bl = bank_baseline(), *s = t_read(bl);
	g_out r;

	cr_assert_not_null(s);
	cr_expect(strstr(s, "<baseline xmlns=\"urn:itorisk:baseline:1\" version=\"1\"") != NULL);
	cr_expect(strstr(s, "<finding rule=\"spof.vendor\" key=\"hanra-idc\" fingerprint=\"") != NULL);
	cr_expect(strstr(s, " line=") == NULL, "no line numbers in a baseline");
	g_sh("xmllint --noout --schema models/baseline.xsd '%s' 2>/dev/null", bl);
	r = g_run("audit samples/bank --baseline '%s' --format json --fail-on info", bl);
	cr_expect_eq(r.status, 0, "everything accepted: %s", r.err);
	cr_expect_eq(json_findings(r.out), 0);
	cr_expect(strstr(r.err, "accepted by the baseline") != NULL, "%s", r.err);
	g_free(&r);
	/* byte-identical when written again */
	{
		char *again = g_path("bl2.xml"), *s2;

		g_free((g_out[]){g_run("audit samples/bank --write-baseline '%s' -o /dev/null", again)});
		s2 = t_read(again);
		cr_expect_str_eq(s, s2);
		free(s2);
		free(again);
	}
	free(s);
	free(bl);
}

Test(baseline, a_finding_not_in_the_baseline_is_reported_and_gates)
{
	char *bl = bank_baseline();
	g_out r;
	tj *doc;
	const tj *f;

	g_sh("sed -i '/rule=\"spof.vendor\" key=\"hanra-idc\"/d' '%s'", bl);
	r = g_run("audit samples/bank --baseline '%s' --format json --fail-on critical", bl);
	cr_expect_eq(r.status, 1, "%s", r.err);
	doc = tj_parse(r.out);
	cr_assert_eq(tj_len(tj_get(doc, "findings")), 1);
	f = tj_at(tj_get(doc, "findings"), 0);
	cr_expect_str_eq(tj_str(f, "rule"), "spof.vendor");
	cr_expect_str_eq(tj_str(f, "subject"), "hanra-idc");
	cr_expect_eq(tj_num(tj_get(doc, "summary"), "findings") , -1e300, "counts are an object");
	cr_expect_eq(tj_num(tj_path(doc, "summary.findings"), "critical"), 1, "counts follow");
	tj_free(doc);
	g_free(&r);
	free(bl);
}

Test(baseline, survives_reformatting_and_moving_elements_between_files)
{
	char *bl = bank_baseline(), *repo = g_path("repo");

	g_sh("cp -r samples/bank '%s' && cd '%s' && sed -i '1a\\\n\\\n\\\n' fourth-parties.xml "
	     "&& sed -i 's/^  *</</' *.xml && cat kanto-cyber.xml | sed '1d' > moved.xml "
	     "&& rm kanto-cyber.xml",
	     repo, repo);
	g_expect_status("reformatted", g_run("audit '%s' --baseline '%s' --fail-on info", repo, bl), 0);
	free(repo);
	free(bl);
}

static void set_expiry(const char *bl, const char *date)
{
	g_sh("sed -i 's|rule=\"spof.vendor\" key=\"hanra-idc\"|rule=\"spof.vendor\" key=\"hanra-idc\" "
	     "expires=\"%s\" reason=\"exit from Hanra planned \\&amp; funded\"|' '%s'",
	     date, bl);
}

Test(baseline, an_entry_stops_suppressing_after_its_expiry_date)
{
	char *bl = bank_baseline(), *carried = g_path("carried.xml"), *s;
	g_out r;

	set_expiry(bl, "2026-11-01"); /* the bank's as-of date: still accepted that day */
	g_expect_status("on the day", g_run("audit samples/bank --baseline '%s' --fail-on info", bl), 0);
	r = g_run("audit samples/bank --baseline '%s' --fail-on critical --as-of 2026-11-02 --format json",
		  bl);
	cr_expect_eq(r.status, 1, "the day after: reported again");
	cr_expect_eq(json_findings(r.out), 1);
	cr_expect(strstr(r.err, "1 entry has expired") != NULL, "%s", r.err);
	g_free(&r);
	/* rewriting the baseline keeps reasons and expiry dates */
	g_free((g_out[]){g_run("audit samples/bank --baseline '%s' --write-baseline '%s' -o /dev/null",
			       bl, carried)});
	s = t_read(carried);
	cr_assert_not_null(s);
	cr_expect(strstr(s, "rule=\"spof.vendor\" key=\"hanra-idc\" fingerprint=\"") != NULL);
	cr_expect(strstr(s, "reason=\"exit from Hanra planned &amp; funded\" expires=\"2026-11-01\"/>") !=
			  NULL,
		  "%s", s);
	free(s);
	free(carried);
	free(bl);
}

Test(baseline, a_hand_written_entry_needs_no_fingerprint)
{
	char *bl = t_write_str(g_dir, "hand.xml",
			       "<baseline xmlns='urn:itorisk:baseline:1' version='1'>\n"
			       "  <finding rule='spof.vendor' key='hanra-idc' reason='accepted by the board'/>\n"
			       "</baseline>\n");
	g_out r = g_run("audit samples/bank --baseline '%s' --format json", bl);
	tj *doc = tj_parse(r.out);
	const tj *fs = tj_get(doc, "findings");

	cr_expect_eq(r.status, 0);
	for (size_t i = 0; i < tj_len(fs); i++)
		cr_expect(strcmp(tj_str(tj_at(fs, i), "subject"), "hanra-idc") != 0 ||
				  strcmp(tj_str(tj_at(fs, i), "rule"), "spof.vendor") != 0,
			  "hanra-idc's spof.vendor is accepted");
	cr_expect(strstr(r.out, "fourth party (no contract of its own) 'hanra-idc' alone") == NULL);
	tj_free(doc);
	g_free(&r);
	free(bl);
}

/* Each bad baseline: exit 2 over findings, FILE:LINE: error, no report. */
static void expect_bad(const char *name, const char *content, long line, const char *words)
{
	char *bl = t_write_str(g_dir, name, content), *report = g_path("report.sarif");
	itr_buf where = ITR_BUF_INIT;
	g_out r = g_run("audit samples/bank --baseline '%s' --format sarif -o '%s' --fail-on critical",
			bl, report);

	itr_buf_printf(&where, "%s:%ld:", name, line);
	cr_expect_eq(r.status, 2, "%s: exit %d", name, r.status);
	cr_expect(strstr(r.err, where.s) != NULL, "%s: expected '%s' in:\n%s", name, where.s, r.err);
	cr_expect(strstr(r.err, words) != NULL, "%s: expected '%s' in:\n%s", name, words, r.err);
	cr_expect(strstr(r.err, " error: ") != NULL, "%s", r.err);
	cr_expect_not(g_exists(report), "%s: no report", name);
	g_free(&r);
	/* diff too */
	r = g_run("diff samples/bank samples/bank --baseline '%s'", bl);
	cr_expect_eq(r.status, 2, "diff with %s", name);
	g_free(&r);
	itr_buf_release(&where);
	free(report);
	free(bl);
}

#define HEAD "<baseline xmlns='urn:itorisk:baseline:1' version='1'>\n"

Test(baseline, bad_baselines_are_exit_2_with_file_and_line)
{
	expect_bad("truncated.xml", HEAD "  <finding rule='spof.vendor' key='x'/>\n  <find", 3, "");
	expect_bad("version.xml",
		   "<baseline xmlns='urn:itorisk:baseline:1'\n version='2'>\n</baseline>\n", 1,
		   "unsupported baseline version '2' (this itorisk reads version 1)");
	expect_bad("noversion.xml", "<baseline xmlns='urn:itorisk:baseline:1'>\n</baseline>\n", 1,
		   "no 'version'");
	expect_bad("namespace.xml", "<baseline xmlns='urn:other' version='1'>\n</baseline>\n", 1,
		   "the root element must be <baseline xmlns=\"urn:itorisk:baseline:1\">");
	expect_bad("portfolio.xml", "<portfolio xmlns='urn:itorisk:portfolio:1'/>\n", 1,
		   "the root element must be <baseline");
	expect_bad("fingerprint.xml",
		   HEAD "\n  <finding rule='spof.vendor' key='hanra-idc' fingerprint='0123456789abcdef'/>\n"
			"</baseline>\n",
		   3, "fingerprint '0123456789abcdef' does not match rule 'spof.vendor' and key 'hanra-idc'");
	expect_bad("date.xml",
		   HEAD "  <finding rule='spof.vendor' key='hanra-idc' expires='2026-02-30'/>\n</baseline>\n",
		   2, "expires");
	expect_bad("attribute.xml",
		   HEAD "  <finding rule='spof.vendor' key='hanra-idc' colour='red'/>\n</baseline>\n", 2,
		   "colour");
	expect_bad("element.xml", HEAD "  <accept rule='spof.vendor' key='hanra-idc'/>\n</baseline>\n", 2,
		   "accept");
	expect_bad("duplicate.xml",
		   HEAD "  <finding rule='spof.vendor' key='hanra-idc'/>\n"
			"  <finding rule='spof.vendor' key='hanra-idc' reason='twice'/>\n</baseline>\n",
		   3, "duplicate baseline entry for rule 'spof.vendor' and key 'hanra-idc'");
	expect_bad("doctype.xml",
		   "<!DOCTYPE b [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n" HEAD "</baseline>\n", 1,
		   "DOCTYPE");
	expect_bad("empty.xml", "", 1, "empty file");
}

Test(baseline, unreadable_baselines_are_exit_2)
{
	char *report = g_path("report.json");
	g_out r = g_run("audit samples/bank --baseline '%s/missing.xml' -o '%s' --fail-on critical", g_dir,
			report);

	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "missing.xml: error: cannot open") != NULL, "%s", r.err);
	g_free(&r);
	g_expect_status("a directory", g_run("audit samples/bank --baseline '%s' --fail-on critical", g_dir),
			2);
	g_expect_status("a device", g_run("audit samples/bank --baseline /dev/zero"), 2);
	cr_expect_not(g_exists(report));
	free(report);
}

Test(baseline, bad_portfolio_and_bad_baseline_are_both_reported)
{
	char *bl = t_write_str(g_dir, "v.xml", "<baseline xmlns='urn:itorisk:baseline:1' version='9'/>\n");
	char *bad = t_write_str(g_dir, "p.xml", "<portfolio xmlns='urn:itorisk:portfolio:1'>\n<x/>\n</portfolio>\n");
	g_out r = g_run("audit '%s' --baseline '%s'", bad, bl);

	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "p.xml:2: error:") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "v.xml:1: error: unsupported baseline version '9'") != NULL, "%s", r.err);
	g_free(&r);
	free(bl);
	free(bad);
}

Test(baseline, an_unwritable_baseline_is_exit_2_and_no_report)
{
	char *report = g_path("report.txt");

	g_expect_status("unwritable",
			g_run("audit samples/bank --write-baseline /nonexistent/bl.xml -o '%s'", report), 2);
	cr_expect_not(g_exists(report));
	free(report);
}
