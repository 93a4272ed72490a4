/*
 * `itorisk graph`: every DOT diagram (samples, every clustering, focus and
 * depth, random portfolios with hostile names) is rendered by the real
 * Graphviz `dot`, which must print no warning; every GraphML file must be
 * well-formed for xmllint; and the bank's diagram shows what
 * test/expected/bank.md derives by hand.
 */
#include "gen.h"
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;

static void setup(void)
{
	dir = t_tmpdir();
	cr_assert_eq(chdir(ITR_SOURCE_DIR), 0);
}

static void teardown(void)
{
	t_rmtree(dir);
	free(dir);
}

TestSuite(graph, .init = setup, .fini = teardown, .timeout = 120);

/* Run a shell command; its exit status. */
static int sh(const char *fmt, ...) ITR_PRINTF(1, 2);

static int sh(const char *fmt, ...)
{
	itr_buf cmd = ITR_BUF_INIT;
	va_list ap;
	int st;

	va_start(ap, fmt);
	itr_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	st = system(cmd.s);
	itr_buf_release(&cmd);
	cr_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* `itorisk graph ARGS -o DIR/out`; returns the output (caller frees). */
static char *graph(const char *args)
{
	itr_buf out = ITR_BUF_INIT;
	char *s, *err;
	int st = sh("'%s' graph %s -o '%s/out' 2>'%s/err' </dev/null", ITR_BINARY, args, dir, dir);

	itr_buf_printf(&out, "%s/err", dir);
	err = t_read(out.s);
	cr_assert_eq(st, 0, "itorisk graph %s: exit %d\n%s", args, st, err ? err : "");
	free(err);
	itr_buf_release(&out);
	itr_buf_printf(&out, "%s/out", dir);
	s = t_read(out.s);
	cr_assert_not_null(s);
	itr_buf_release(&out);
	return s;
}

/* Render DIR/out with dot: it must succeed and say nothing on stderr. */
static void render_cleanly(const char *what)
{
	itr_buf p = ITR_BUF_INIT;
	char *err;
	int st = sh("dot -Tsvg '%s/out' -o '%s/out.svg' 2>'%s/dot.err'", dir, dir, dir);

	itr_buf_printf(&p, "%s/dot.err", dir);
	err = t_read(p.s);
	cr_expect_eq(st, 0, "%s: dot failed", what);
	cr_expect_str_eq(err ? err : "", "", "%s: dot warns:\n%s", what, err);
	free(err);
	itr_buf_release(&p);
}

static void well_formed(const char *what)
{
	cr_expect_eq(sh("xmllint --noout '%s/out' 2>'%s/xmllint.err'", dir, dir), 0,
		     "%s: xmllint rejects the output", what);
}

/* The attribute list of a node or edge line starting with `start`, or NULL. */
static char *line_of(const char *dot, const char *start)
{
	const char *p = dot;
	size_t n = strlen(start);

	while ((p = strstr(p, start)) != NULL) {
		if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '\n')) {
			const char *end = strchr(p, '\n');

			return itr_xstrndup(p, end ? (size_t)(end - p) : strlen(p));
		}
		p += n;
	}
	return NULL;
}

static bool has_line(const char *dot, const char *start)
{
	char *l = line_of(dot, start);
	bool found = l != NULL;

	free(l);
	return found;
}

static bool line_has(const char *dot, const char *start, const char *needle)
{
	char *l = line_of(dot, start);
	bool ok = l && strstr(l, needle);

	free(l);
	return ok;
}

#define RED "#b00020"

Test(graph, every_sample_diagram_renders_without_warning)
{
	static const char *const samples[] = {"bank", "hospital", "retailer"};
	static const char *const variants[] = {"", "--cluster country", "--cluster none", "--all",
					       "--all --cluster country"};

	for (size_t i = 0; i < ITR_ARRAY_LEN(samples); i++) {
		for (size_t k = 0; k < ITR_ARRAY_LEN(variants); k++) {
			char args[256], *s;

			snprintf(args, sizeof(args), "samples/%s %s", samples[i], variants[k]);
			s = graph(args);
			cr_expect(strncmp(s, "// itorisk", 10) == 0);
			free(s);
			render_cleanly(args);
		}
	}
}

Test(graph, focus_and_depth_render_without_warning)
{
	static const char *const args[] = {
		"samples/bank --focus payments", "samples/bank --focus payments --depth 1",
		"samples/bank --focus hanra-idc", "samples/bank --focus hanra-idc --depth 1",
		"samples/bank --focus dns", "samples/hospital --focus kis-db",
		"samples/retailer --focus checkout --depth 2", "samples/bank --focus helpdesk --depth 0",
	};

	for (size_t i = 0; i < ITR_ARRAY_LEN(args); i++) {
		free(graph(args[i]));
		render_cleanly(args[i]);
	}
}

Test(graph, bank_diagram_shows_the_hand_derived_risk)
{
	char *s = graph("samples/bank");

	/* Hanra IDC, the fourth party behind both cloud zones (bank.md), is red and dashed */
	cr_expect(line_has(s, "\"hanra-idc\"", "fillcolor=\"#f6b3b3\""), "hanra-idc is a SPOF");
	cr_expect(line_has(s, "\"hanra-idc\"", "filled,dashed"), "hanra-idc is a fourth party");
	cr_expect(line_has(s, "\"hanra-idc\"", "stops alone: 4 services (3 critical)"));
	/* the zone group shows 1 of 2 and who defeats it; the WAN group holds */
	cr_expect(line_has(s, "\"customer-auth/needs-any[1]\"", "1 of 2"));
	cr_expect(line_has(s, "\"customer-auth/needs-any[1]\"", "defeated by<br/>hanra-idc"));
	cr_expect(line_has(s, "\"network/needs-any[1]\"", "#d4ecd3"), "the WAN redundancy is real");
	/* the links that make it a SPOF are red, the redundant carriers' are not */
	cr_expect(line_has(s, "\"cloudco\" -> \"hanra-idc\"", RED));
	cr_expect(line_has(s, "\"dc-seoul\" -> \"cloudco\"", RED));
	cr_expect(line_has(s, "\"customer-auth/needs-any[1]\" -> \"dc-seoul\"", RED));
	cr_expect(line_has(s, "\"core-banking\" -> \"hanbit-ds\"", RED));
	cr_expect_not(line_has(s, "\"wan-unitel\" -> \"telco-a\"", RED));
	cr_expect_not(line_has(s, "\"telco-a\"", "#f6b3b3"), "either carrier alone is fine");
	cr_expect_not(line_has(s, "\"cloudco\"", "#f6b3b3"), "either zone alone is fine");
	/* the AD/DNS cycle: the failure of dns travels up to AD, not back down */
	cr_expect(line_has(s, "\"active-directory\" -> \"dns\"", RED));
	cr_expect_not(line_has(s, "\"dns\" -> \"active-directory\"", RED));
	/* critical services have a double border */
	cr_expect(line_has(s, "\"payments\"", "peripheries=2"));
	cr_expect_not(line_has(s, "\"branch-teller\"", "peripheries=2"));
	/* collapsed: the help desk (standard, nothing needs it) and its vendor */
	cr_expect_not(has_line(s, "\"helpdesk\""));
	cr_expect_not(has_line(s, "\"homedesk\""));
	cr_expect(strstr(s, "helpdesk, homedesk") != NULL, "the legend names what is not shown");
	free(s);

	s = graph("samples/bank --all");
	cr_expect_not_null(strstr(s, "  \"helpdesk\" ["));
	free(s);
}

Test(graph, clusters_follow_groups_or_countries)
{
	char *s = graph("samples/bank --cluster country");

	cr_expect_not_null(strstr(s, "subgraph \"cluster_KR\""));
	cr_expect_not_null(strstr(s, "country: <b>KR</b> (home)"));
	free(s);
	s = graph("samples/bank --cluster none");
	cr_expect_null(strstr(s, "subgraph \"cluster_"));
	free(s);
}

Test(graph, focus_draws_a_cone_or_a_blast_radius)
{
	char *s = graph("samples/bank --focus customer-auth");

	/* essential(customer-auth) = {hanra-idc} (bank.md) */
	cr_expect(line_has(s, "\"hanra-idc\"", "#f6b3b3"));
	cr_expect_not(line_has(s, "\"cloudco\"", "#f6b3b3"));
	cr_expect_not(has_line(s, "\"payments\""), "a cone holds dependencies only");
	free(s);

	s = graph("samples/bank --focus payments --depth 1");
	cr_expect(has_line(s, "\"core-banking\""));
	cr_expect_not(has_line(s, "\"mainframe\""), "two links away");
	free(s);
	s = graph("samples/bank --focus payments --depth 2");
	cr_expect(has_line(s, "\"mainframe\""));
	free(s);

	/* blast radius: what goes down (red) and what holds (green) */
	s = graph("samples/bank --focus cloudco");
	cr_expect(line_has(s, "\"dc-seoul\"", "#f6b3b3"));
	cr_expect(line_has(s, "\"customer-auth\"", "#d4ecd3"), "Busan keeps it up");
	cr_expect_not(has_line(s, "\"core-banking\""));
	free(s);
}

Test(graph, graphml_is_well_formed_and_complete)
{
	static const char *const samples[] = {"bank", "hospital", "retailer"};

	for (size_t i = 0; i < ITR_ARRAY_LEN(samples); i++) {
		char args[128], *s;

		snprintf(args, sizeof(args), "samples/%s --format graphml", samples[i]);
		s = graph(args);
		well_formed(args);
		cr_expect_not_null(strstr(s, "attr.name=\"betweenness\" attr.type=\"double\""));
		free(s);
	}
	{
		char *s = graph("samples/bank --format graphml");
		const char *n = strstr(s, "<node id=\"hanra-idc\">");
		const char *end = n ? strstr(n, "</node>") : NULL;
		char *node;

		cr_assert(n && end);
		node = itr_xstrndup(n, (size_t)(end - n));
		cr_expect_not_null(strstr(node, "<data key=\"spof\">true</data>"));
		cr_expect_not_null(strstr(node, "<data key=\"fourth_party\">true</data>"));
		cr_expect_not_null(strstr(node, "<data key=\"impacts\">customer-auth internet-banking "
						"mobile-banking payments</data>"));
		free(node);
		cr_expect_not_null(strstr(s, "<data key=\"defeated_by\">hanra-idc</data>"));
		cr_expect_not_null(strstr(s, "<data key=\"contract\">HB-2023-014</data>"));
		cr_expect_not_null(strstr(s, "<data key=\"sla_availability\">99.9</data>"));
		free(s);
	}
}

Test(graph, hostile_names_render_and_parse_on_random_portfolios)
{
	for (unsigned long seed = 1; seed <= 6; seed++) {
		itr_gen_params p;
		char repo[512], args[600];

		itr_gen_params_default(&p);
		p.seed = seed;
		p.services = 12 + seed * 3;
		p.vendors = 4 + seed;
		p.links = p.services * 3;
		p.ids = ITR_GEN_IDS_WILD; /* '.', non-ASCII, & < " in names */
		p.self_loops = 1;
		snprintf(repo, sizeof(repo), "%s/gen-%lu", dir, seed);
		cr_assert_eq(itr_gen_write_dir(&p, repo), 0);
		snprintf(args, sizeof(args), "'%s' --all", repo);
		free(graph(args));
		render_cleanly(args);
		snprintf(args, sizeof(args), "'%s'", repo);
		free(graph(args));
		render_cleanly(args);
		snprintf(args, sizeof(args), "'%s' --format graphml", repo);
		free(graph(args));
		well_formed(args);
		snprintf(args, sizeof(args), "'%s' --format openpsa --events all", repo);
		free(graph(args));
		well_formed(args);
	}
}

Test(graph, output_is_deterministic)
{
	char *a = graph("samples/retailer"), *b = graph("samples/retailer");

	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	a = graph("samples/retailer --format openpsa");
	b = graph("samples/retailer --format openpsa");
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
}

Test(graph, bad_usage_is_exit_2_and_writes_nothing)
{
	static const char *const bad[] = {
		"samples/bank --format svg",      "samples/bank --cluster vendor",
		"samples/bank --depth 2",         "samples/bank --focus nosuch",
		"samples/bank --focus dns --depth -1", "samples/bank --focus dns --depth x",
		"samples/bank --events some",     "",
	};

	for (size_t i = 0; i < ITR_ARRAY_LEN(bad); i++) {
		struct stat st;
		char out[600];

		snprintf(out, sizeof(out), "%s/never", dir);
		cr_expect_eq(sh("'%s' graph %s -o '%s' >/dev/null 2>&1", ITR_BINARY, bad[i], out), 2,
			     "graph %s", bad[i]);
		cr_expect_neq(lstat(out, &st), 0, "graph %s wrote a file", bad[i]);
	}
	cr_expect_eq(sh("'%s' graph samples/bank -o /dev/full 2>/dev/null", ITR_BINARY), 2);
}
