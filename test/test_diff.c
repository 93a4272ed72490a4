/*
 * itorisk diff on the pull-request scenario (samples/pr-scenario, see its
 * README): exactly the hand-listed findings added and resolved; nothing at
 * all when the head only reformats, reorders and re-splits the base; a base
 * that does not load; a head that does not load.
 */
#include "gatetest.h"
#include "itorisk/gate.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

TestSuite(diff, .init = g_setup, .fini = g_teardown, .timeout = 120);

#define BASE "samples/pr-scenario/base"
#define HEAD "samples/pr-scenario/head"

typedef struct expect {
	const char *rule, *subject, *severity;
} expect;

/* Worked out by hand from the two directories (README there). */
static const expect added[] = {
	/* MainKolo runs the halls of both hosting providers now: both zones go with it */
	{"spof.vendor", "mainkolo", "critical"},      /* stops claims (critical) and the portal */
	{"redundancy.shared", "claims", "high"},      /* hosting-fra / hosting-ams */
	{"redundancy.shared", "customer-portal", "high"},
	{"concentration.fourth-party", "mainkolo", "medium"}, /* under rheincloud and polder-hosting */
	/* NV-2022-004 covers policy-admin (important) and lost its exit plan */
	{"exit.missing", "NV-2022-004", "high"},
};
static const expect resolved[] = {
	/* the portal needs identity or identity-backup now (Keyfort shares nothing with IdCorp) */
	{"spof.service", "identity", "high"},
	{"spof.vendor", "idcorp", "high"},
};

static void expect_exactly(const tj *list, const expect *want, size_t n, const char *what)
{
	bool *seen = itr_xcalloc(n + 1, sizeof(bool));

	cr_expect_eq(tj_len(list), n, "%s: %zu findings, expected %zu", what, tj_len(list), n);
	for (size_t i = 0; i < tj_len(list); i++) {
		const tj *f = tj_at(list, i);
		bool found = false;

		for (size_t k = 0; k < n; k++) {
			if (strcmp(tj_str(f, "rule"), want[k].rule) != 0 ||
			    strcmp(tj_str(f, "subject"), want[k].subject) != 0)
				continue;
			cr_expect_str_eq(tj_str(f, "severity"), want[k].severity, "%s %s", want[k].rule,
					 want[k].subject);
			cr_expect_not(seen[k], "%s %s twice", want[k].rule, want[k].subject);
			seen[k] = found = true;
		}
		cr_expect(found, "%s: unexpected %s '%s': %s", what, tj_str(f, "rule"),
			  tj_str(f, "subject"), tj_str(f, "message"));
	}
	for (size_t k = 0; k < n; k++)
		cr_expect(seen[k], "%s: missing %s '%s'", what, want[k].rule, want[k].subject);
	free(seen);
}

Test(diff, pull_request_scenario_reports_exactly_the_expected_findings)
{
	g_out r = g_run("diff " BASE " " HEAD " --format json");
	tj *doc = tj_parse(r.out);
	const tj *vendors;
	bool mainkolo = false, idcorp = false;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(doc, "strict JSON:\n%.300s", r.out);
	cr_expect_eq(tj_bool(tj_get(doc, "base"), "loaded"), 1);
	expect_exactly(tj_get(doc, "added"), added, ITR_ARRAY_LEN(added), "added");
	expect_exactly(tj_get(doc, "resolved"), resolved, ITR_ARRAY_LEN(resolved), "resolved");
	cr_expect_eq(tj_len(tj_get(doc, "changed")), 0);
	cr_expect_eq(tj_num(tj_path(doc, "summary.added"), "critical"), 1);
	/* added findings point into the head, resolved ones into the base */
	cr_expect(strncmp(tj_str(tj_at(tj_get(doc, "added"), 0), "file"), HEAD "/", 25) == 0);
	cr_expect(strncmp(tj_str(tj_at(tj_get(doc, "resolved"), 0), "file"), BASE "/", 25) == 0);
	vendors = tj_get(doc, "vendors");
	for (size_t i = 0; i < tj_len(vendors); i++) {
		const tj *v = tj_at(vendors, i);
		const tj *hi = tj_path(v, "impacts.head"), *bi = tj_path(v, "impacts.base");

		if (strcmp(tj_str(v, "id"), "mainkolo") == 0) {
			mainkolo = true;
			cr_expect_str_eq(tj_str(v, "status"), "added");
			cr_expect_eq(tj_len(hi), 2);
			cr_expect_str_eq(tj_sat(hi, 0), "claims");
			cr_expect_str_eq(tj_sat(hi, 1), "customer-portal");
			cr_expect(tj_is_null(bi));
		}
		if (strcmp(tj_str(v, "id"), "idcorp") == 0) {
			idcorp = true;
			cr_expect_str_eq(tj_str(v, "status"), "changed");
			cr_expect_eq(tj_len(bi), 1);
			cr_expect_eq(tj_len(hi), 0, "IdCorp no longer stops the portal alone");
		}
	}
	cr_expect(mainkolo && idcorp, "vendor changes listed");
	tj_free(doc);
	g_free(&r);
}

Test(diff, fail_on_applies_to_added_findings_only)
{
	g_expect_status("critical added", g_run("diff " BASE " " HEAD " --fail-on critical"), 1);
	g_expect_status("high", g_run("diff " BASE " " HEAD " --fail-on high -o /dev/null"), 1);
	g_expect_status("no threshold", g_run("diff " BASE " " HEAD), 0);
	/* the base has critical findings of its own; none is new in itself */
	g_expect_status("same", g_run("diff " BASE " " BASE " --fail-on info"), 0);
	/* the reverse change only resolves the critical one: what it adds is high at most */
	g_expect_status("reverse", g_run("diff " HEAD " " BASE " --fail-on critical"), 0);
	g_expect_status("reverse", g_run("diff " HEAD " " BASE " --fail-on high"), 1);
}

Test(diff, text_and_sarif_reports)
{
	g_out r = g_run("diff " BASE " " HEAD);
	tj *doc;
	const tj *results;

	cr_expect(strstr(r.out, "5 added (1 critical, 3 high, 1 medium), 2 resolved") != NULL, "%s",
		  r.out);
	cr_expect(strstr(r.out, "\nAdded\n  " HEAD "/colocation.xml:6: critical: ") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\nResolved\n") != NULL);
	g_free(&r);
	r = g_run("diff " BASE " " HEAD " --format sarif");
	doc = tj_parse(r.out);
	cr_assert_not_null(doc);
	cr_expect_str_eq(tj_str(doc, "version"), "2.1.0");
	results = tj_get(tj_at(tj_get(doc, "runs"), 0), "results");
	cr_expect_eq(tj_len(results), ITR_ARRAY_LEN(added), "added findings only");
	for (size_t i = 0; i < tj_len(results); i++) {
		const char *uri = tj_str(tj_path(tj_at(tj_get(tj_at(results, i), "locations"), 0),
						 "physicalLocation.artifactLocation"),
					 "uri");

		cr_expect_str_eq(tj_str(tj_at(results, i), "baselineState"), "new");
		cr_expect(strncmp(uri, HEAD "/", 25) == 0, "%s", uri);
	}
	cr_expect_geq(tj_len(tj_get(tj_path(tj_at(tj_get(doc, "runs"), 0), "tool.driver"), "rules")), 19,
		      "every rule declared");
	tj_free(doc);
	g_free(&r);
}

/* ---- reformatting, reordering, re-splitting ----------------------------- */

static void strip(xmlNode *n)
{
	xmlNode *next;

	for (xmlNode *c = n->children; c; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE) {
			strip(c);
		} else {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
}

static void reverse_attributes(xmlNode *n)
{
	xmlAttr *prev = NULL, *a = n->properties, *next;

	while (a) {
		next = a->next;
		a->next = prev;
		a->prev = next;
		prev = a;
		a = next;
	}
	n->properties = prev;
}

/* Reverse the children (recursively) except that needs-any groups keep their
 * relative order: a group's position is part of its finding's key. */
static void reorder(xmlNode *n)
{
	xmlNode *kids[256], *groups[64];
	size_t nk = 0, ng = 0, g = 0;

	reverse_attributes(n);
	for (xmlNode *c = n->children; c; c = c->next) {
		cr_assert_lt(nk, 256);
		kids[nk++] = c;
		if (strcmp((const char *)c->name, "needs-any") == 0)
			groups[ng++] = c;
	}
	for (size_t i = 0; i < nk; i++)
		xmlUnlinkNode(kids[i]);
	for (size_t i = nk; i-- > 0;) {
		xmlNode *c = strcmp((const char *)kids[i]->name, "needs-any") == 0 ? groups[g++] : kids[i];

		xmlAddChild(n, c);
		reorder(c);
	}
}

/* Write every top-level element of the portfolio in DIR into OUT, one file
 * each, in reverse order, on one line, attributes and children reversed;
 * the portfolio attributes alone in a file of their own. */
static void reformat(const char *dir, const char *out)
{
	char cmd[1024], line[1024];
	FILE *p;
	xmlNode *elems[512];
	xmlDocPtr docs[64];
	size_t ne = 0, nd = 0;

	g_sh("mkdir -p '%s'", out);
	snprintf(cmd, sizeof(cmd), "ls %s/*.xml", dir);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof(line), p)) {
		xmlDocPtr doc;
		xmlNode *root;

		line[strcspn(line, "\n")] = '\0';
		doc = xmlReadFile(line, NULL, XML_PARSE_NONET);
		cr_assert_not_null(doc, "%s", line);
		root = xmlDocGetRootElement(doc);
		strip(root);
		for (xmlNode *c = root->children; c; c = c->next) {
			cr_assert_lt(ne, 512);
			elems[ne++] = c;
		}
		cr_assert_lt(nd, 64);
		docs[nd++] = doc;
	}
	pclose(p);
	for (size_t i = ne; i-- > 0;) {
		xmlDocPtr d = xmlNewDoc((const xmlChar *)"1.0");
		xmlNode *root = xmlNewNode(NULL, (const xmlChar *)"portfolio");
		xmlNs *ns = xmlNewNs(root, (const xmlChar *)"urn:itorisk:portfolio:1", NULL);
		xmlNode *copy;
		char name[600];

		xmlSetNs(root, ns);
		xmlDocSetRootElement(d, root);
		copy = xmlDocCopyNode(elems[i], d, 1);
		xmlAddChild(root, copy);
		xmlReconciliateNs(d, root);
		reorder(copy);
		snprintf(name, sizeof(name), "%s/e%03zu.xml", out, ne - i);
		cr_assert_neq(xmlSaveFormatFileEnc(name, d, "UTF-8", 0), -1);
		xmlFreeDoc(d);
	}
	/* the portfolio attributes (name, currency, as-of), reversed, on an empty root */
	for (size_t i = 0; i < nd; i++) {
		xmlNode *root = xmlDocGetRootElement(docs[i]);

		if (root->properties) {
			char name[600];

			while (root->children) {
				xmlNode *c = root->children;

				xmlUnlinkNode(c);
				xmlFreeNode(c);
			}
			reverse_attributes(root);
			snprintf(name, sizeof(name), "%s/zz-attributes.xml", out);
			cr_assert_neq(xmlSaveFormatFileEnc(name, docs[i], "UTF-8", 1), -1);
		}
		xmlFreeDoc(docs[i]);
	}
}

static tj *diff_json(const char *base, const char *head, int status)
{
	g_out r = g_run("diff '%s' '%s' --format json --fail-on info", base, head);
	tj *doc = tj_parse(r.out);

	cr_expect_eq(r.status, status, "%s -> %s: exit %d\n%s", base, head, r.status, r.err);
	cr_assert_not_null(doc, "%s", r.err);
	g_free(&r);
	return doc;
}

static void expect_no_difference(const char *base, const char *head)
{
	tj *doc = diff_json(base, head, 0);

	cr_expect_eq(tj_len(tj_get(doc, "added")), 0, "%s -> %s: nothing added", base, head);
	cr_expect_eq(tj_len(tj_get(doc, "resolved")), 0, "%s -> %s: nothing resolved", base, head);
	cr_expect_eq(tj_len(tj_get(doc, "changed")), 0);
	cr_expect_eq(tj_len(tj_get(doc, "vendors")), 0, "no vendor figure changed");
	tj_free(doc);
}

Test(diff, reformatting_reordering_and_resplitting_changes_nothing)
{
	char *base2 = g_path("base2"), *head2 = g_path("head2");
	g_out a, b;

	reformat(BASE, base2);
	reformat(HEAD, head2);
	/* the copies really are different files: other names, other lines */
	a = g_run("audit " HEAD " --format json");
	b = g_run("audit '%s' --format json", head2);
	cr_expect_eq(b.status, 0, "the reformatted head loads: %s", b.err);
	cr_expect(strstr(b.out, "/e0") != NULL && strstr(b.out, "\"line\": 2,") != NULL);
	cr_expect_str_neq(a.out, b.out);
	g_free(&a);
	g_free(&b);
	expect_no_difference(BASE, base2);
	expect_no_difference(base2, BASE);
	expect_no_difference(HEAD, head2);
	/* and the pull request against the reformatted base is the same pull request */
	{
		tj *doc = diff_json(base2, head2, 1);

		expect_exactly(tj_get(doc, "added"), added, ITR_ARRAY_LEN(added), "added");
		expect_exactly(tj_get(doc, "resolved"), resolved, ITR_ARRAY_LEN(resolved), "resolved");
		tj_free(doc);
	}
	free(base2);
	free(head2);
}

Test(diff, a_base_that_does_not_load_makes_everything_new)
{
	char *base = g_path("base");
	g_out r, audit;
	tj *doc, *all;

	g_sh("cp -r " BASE " '%s'", base);
	free(t_write_str(base, "broken.xml", "<portfolio xmlns='urn:itorisk:portfolio:1'>\n<vendor/>\n"));
	r = g_run("diff '%s' " HEAD " --format json --fail-on critical", base);
	cr_expect_eq(r.status, 1, "judged on the head alone");
	cr_expect(strstr(r.err, "warning: the base") != NULL && strstr(r.err, "does not load") != NULL,
		  "%s", r.err);
	cr_expect(strstr(r.err, "broken.xml:") != NULL, "the base's problems are shown: %s", r.err);
	doc = tj_parse(r.out);
	audit = g_run("audit " HEAD " --format json");
	all = tj_parse(audit.out);
	cr_assert_not_null(doc);
	cr_expect_eq(tj_bool(tj_get(doc, "base"), "loaded"), 0, "the base did not load");
	cr_expect_eq(tj_len(tj_get(doc, "added")), tj_len(tj_get(all, "findings")),
		     "every finding of the head is new");
	cr_expect_eq(tj_len(tj_get(doc, "resolved")), 0);
	tj_free(doc);
	tj_free(all);
	g_free(&r);
	g_free(&audit);
	g_expect_status("missing base", g_run("diff '%s/nothing' " HEAD " --fail-on critical", g_dir), 1);
	free(base);
}

Test(diff, a_head_that_does_not_load_is_exit_2_and_no_report)
{
	char *head = g_path("head"), *report = g_path("report.sarif");
	g_out r;

	g_sh("cp -r " HEAD " '%s'", head);
	free(t_write_str(head, "zz.xml", "<portfolio xmlns='urn:itorisk:portfolio:1'>\n<vendor id='v'/>\n</portfolio>\n"));
	r = g_run("diff " BASE " '%s' --format sarif -o '%s' --fail-on critical", head, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "zz.xml:2: error:") != NULL, "%s", r.err);
	cr_expect_not(g_exists(report));
	g_free(&r);
	g_expect_status("both broken", g_run("diff '%s' '%s'", head, head), 2);
	g_expect_status("one path", g_run("diff " BASE), 2);
	g_expect_status("three paths", g_run("diff " BASE " " HEAD " " HEAD), 2);
	g_expect_status("format", g_run("diff " BASE " " HEAD " --format junit"), 2);
	free(report);
	free(head);
}
