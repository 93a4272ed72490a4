/*
 * The performance work changed how results are computed, not what they are.
 *
 * Portfolio M of the benchmark (itorisk-gen --shape enterprise --seed 42
 * --services 20000 --vendors 2000 --links 60000 --files 40) was audited by
 * commit f05736b, the last one before the optimisations of the performance
 * issue, with its cut-set budget lifted (ITR_CUT_SET_BUDGET 0; with the
 * budget every service came out truncated, and that run took 29 s):
 *
 *   cd DIR && itorisk audit m --format json | sha256sum     (M in DIR/m)
 *
 * Today's binary with --exact-betweenness must print the same bytes, except
 * for the summary key added since ("betweenness": "all-pairs"). And the
 * default run may differ from the exact one only in betweenness.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEFORE_SHA256 "9723a891dc75d9adfb3a00e68df17c868087ba138a886221a488e9bd49d065cc"

static char *dir;

static void setup(void)
{
	char cmd[1024];

	dir = t_tmpdir();
	snprintf(cmd, sizeof(cmd),
		 "'%s' --shape enterprise --seed 42 --services 20000 --vendors 2000 --links 60000 "
		 "--files 40 '%s/m'",
		 ITR_GEN_BINARY, dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void teardown(void)
{
	t_rmtree(dir);
	free(dir);
}

TestSuite(perf_identity, .init = setup, .fini = teardown, .timeout = 300);

/* Run a shell pipeline, return its stdout (caller frees). */
static char *capture(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	itr_buf b = ITR_BUF_INIT;
	char chunk[65536];
	size_t n;

	cr_assert_not_null(p, "%s", cmd);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		itr_buf_add(&b, chunk, n);
	cr_assert_eq(pclose(p), 0, "%s", cmd);
	return itr_buf_detach(&b);
}

/* Audit M into dir/NAME with extra options, asserting success. */
static void audit(const char *name, const char *opts)
{
	char cmd[1024];

	/* relative: the findings name their files */
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' audit m --format json %s -o '%s'", dir,
		 ITR_BINARY, opts, name);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

Test(perf_identity, m_report_is_the_one_from_before_the_optimisations)
{
	char cmd[1024], *sum;

	audit("exact.json", "--exact-betweenness");
	snprintf(cmd, sizeof(cmd),
		 "grep -v '^    \"betweenness\": \"all-pairs\",$' '%s/exact.json' | sha256sum", dir);
	sum = capture(cmd);
	cr_expect(strncmp(sum, BEFORE_SHA256, 64) == 0, "sha256 %.64s, before %s", sum,
		  BEFORE_SHA256);
	free(sum);
}

Test(perf_identity, default_run_differs_from_the_exact_one_only_in_betweenness)
{
	char cmd[1024], *exact, *dflt;

	audit("exact.json", "--exact-betweenness");
	audit("default.json", "");
	snprintf(cmd, sizeof(cmd), "grep -v '\"betweenness\"' '%s/exact.json'", dir);
	exact = capture(cmd);
	snprintf(cmd, sizeof(cmd), "grep -v '\"betweenness\"' '%s/default.json'", dir);
	dflt = capture(cmd);
	cr_expect(strlen(exact) > 1000000, "a real report (%zu bytes)", strlen(exact));
	cr_expect(strcmp(exact, dflt) == 0, "the default run differs beyond betweenness");
	free(exact);
	free(dflt);
}
