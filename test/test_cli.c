/*
 * The itorisk binary as a user runs it: exit codes and their precedence,
 * atomic -o, no report on bad input, byte-identical output whatever the
 * order of the files, golden reports of the samples.
 */
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

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 60);

typedef struct out {
	int status;
	char *out, *err;
} out;

/* Run `itorisk ARGS` through the shell (ARGS may redirect), capturing both streams. */
static out run(const char *fmt, ...) ITR_PRINTF(1, 2);

static out run(const char *fmt, ...)
{
	itr_buf cmd = ITR_BUF_INIT, args = ITR_BUF_INIT, o = ITR_BUF_INIT, e = ITR_BUF_INIT;
	va_list ap;
	out r;
	int st;

	va_start(ap, fmt);
	itr_buf_vprintf(&args, fmt, ap);
	va_end(ap);
	itr_buf_printf(&o, "%s/stdout", dir);
	itr_buf_printf(&e, "%s/stderr", dir);
	itr_buf_printf(&cmd, "'%s' %s >'%s' 2>'%s' </dev/null", ITR_BINARY, args.s, o.s, e.s);
	st = system(cmd.s);
	cr_assert(WIFEXITED(st), "itorisk did not exit normally: %s", cmd.s);
	r.status = WEXITSTATUS(st);
	r.out = t_read(o.s);
	r.err = t_read(e.s);
	itr_buf_release(&cmd);
	itr_buf_release(&args);
	itr_buf_release(&o);
	itr_buf_release(&e);
	return r;
}

static void out_free(out *r)
{
	free(r->out);
	free(r->err);
}

static void expect_status(const char *what, out r, int want)
{
	cr_expect_eq(r.status, want, "%s: exit %d, expected %d\nstderr:\n%s", what, r.status, want,
		     r.err);
	out_free(&r);
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

Test(cli, version_and_help)
{
	out r = run("--version");

	cr_expect_eq(r.status, 0);
	cr_expect(strncmp(r.out, "itorisk ", 8) == 0);
	out_free(&r);
	expect_status("--help", run("--help"), 0);
	r = run("audit --help");
	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "--fail-on SEV") != NULL, "help lists the options:\n%s", r.out);
	out_free(&r);
	expect_status("validate --help", run("validate -h"), 0);
}

Test(cli, bad_usage_is_exit_2)
{
	expect_status("no command", run(" "), 2);
	expect_status("unknown command", run("frobnicate samples/bank"), 2);
	expect_status("no path", run("audit"), 2);
	expect_status("no path", run("validate"), 2);
	expect_status("unknown option", run("audit samples/bank --colour"), 2);
	expect_status("unknown format", run("audit samples/bank --format xml"), 2);
	expect_status("unknown severity", run("audit samples/bank --fail-on severe"), 2);
	expect_status("bad date", run("audit samples/bank --as-of 2026-13-01"), 2);
	expect_status("missing value", run("audit samples/bank --format"), 2);
	expect_status("value on a flag", run("validate --quiet=yes samples/bank"), 2);
}

Test(cli, fail_on_threshold)
{
	/* the bank has critical single points of failure (test/expected/bank.md) */
	expect_status("no threshold", run("audit samples/bank"), 0);
	expect_status("none", run("audit samples/bank --fail-on none"), 0);
	expect_status("critical", run("audit samples/bank --fail-on critical"), 1);
	expect_status("info", run("audit samples/bank --fail-on=info"), 1);
}

Test(cli, fail_on_is_not_reached_by_a_clean_portfolio)
{
	char *p = t_write_str(dir, "ok.xml",
			      "<portfolio xmlns='urn:itorisk:portfolio:1'>"
			      "<service id='s' name='S' criticality='critical'/></portfolio>");

	expect_status("clean", run("audit '%s' --fail-on info", p), 0);
	free(p);
}

Test(cli, one_bad_file_among_good_ones_is_exit_2_and_writes_nothing)
{
	char repo[512], report[512];
	out r;

	snprintf(repo, sizeof(repo), "%s/repo", dir);
	snprintf(report, sizeof(report), "%s/report.json", dir);
	{
		itr_buf cmd = ITR_BUF_INIT;

		itr_buf_printf(&cmd, "cp -r samples/bank '%s'", repo);
		cr_assert_eq(system(cmd.s), 0);
		itr_buf_release(&cmd);
	}
	free(t_write_str(repo, "zz-broken.xml",
			 "<portfolio xmlns='urn:itorisk:portfolio:1'>\n<vendor id='x'/>\n</portfolio>\n"));
	r = run("audit '%s' --format json -o '%s' --fail-on critical", repo, report);
	cr_expect_eq(r.status, 2, "input error wins over findings");
	cr_expect(strstr(r.err, "zz-broken.xml:2: error:") != NULL, "stderr:\n%s", r.err);
	cr_expect_not(exists(report), "no report is written");
	cr_expect_str_eq(r.out, "", "nothing on stdout");
	out_free(&r);

	/* an existing report is left as it was */
	free(t_write_str(dir, "report.json", "previous\n"));
	expect_status("again", run("audit '%s' -o '%s'", repo, report), 2);
	{
		char *s = t_read(report);

		cr_expect_str_eq(s, "previous\n");
		free(s);
	}
}

Test(cli, output_file_is_written_whole_and_no_temporary_is_left)
{
	char report[512];
	out r;
	char *s;

	snprintf(report, sizeof(report), "%s/report.json", dir);
	r = run("audit samples/hospital --format json -o '%s'", report);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	out_free(&r);
	s = t_read(report);
	cr_assert_not_null(s);
	cr_expect(s[0] == '{' && strcmp(s + strlen(s) - 2, "}\n") == 0);
	free(s);
	{
		itr_buf cmd = ITR_BUF_INIT;
		FILE *p;
		int n = -1;

		itr_buf_printf(&cmd, "ls -A '%s' | grep -c tmp-", dir);
		p = popen(cmd.s, "r");
		cr_assert_not_null(p);
		cr_expect_eq(fscanf(p, "%d", &n), 1);
		pclose(p);
		cr_expect_eq(n, 0, "no temporary file left behind");
		itr_buf_release(&cmd);
	}
}

Test(cli, unwritable_output_is_exit_2)
{
	expect_status("missing directory", run("audit samples/bank -o /nonexistent/dir/report.txt"), 2);
	expect_status("full device", run("audit samples/bank -o /dev/full"), 2);
	{
		itr_buf cmd = ITR_BUF_INIT;
		int st;

		itr_buf_printf(&cmd, "'%s' audit samples/bank >/dev/full 2>/dev/null", ITR_BINARY);
		st = system(cmd.s);
		cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "stdout on a full disk is exit 2");
		itr_buf_release(&cmd);
	}
	expect_status("/dev/null is fine", run("audit samples/bank -o /dev/null"), 0);
}

Test(cli, validate_reports_every_problem_with_file_and_line)
{
	char *a = t_write_str(dir, "a.xml",
			      "<portfolio xmlns='urn:itorisk:portfolio:1'>\n<vendor id='v'/>\n</portfolio>\n");
	char *b = t_write_str(dir, "b.xml", "<portfolio xmlns='urn:itorisk:portfolio:1'>\n\n<bogus/>\n</portfolio>\n");
	out r = run("validate '%s'", dir);

	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "/a.xml:2: error: Element 'vendor': The attribute 'name' is required") !=
		  NULL, "%s", r.err);
	cr_expect(strstr(r.err, "/b.xml:3: error: ") != NULL, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	out_free(&r);
	free(a);
	free(b);
	r = run("validate samples/bank samples/hospital/../bank");
	cr_expect_eq(r.status, 0, "the same files twice load once: %s", r.err);
	out_free(&r);
	r = run("validate samples/retailer");
	cr_expect_eq(r.status, 0);
	cr_expect(strncmp(r.out, "ok: 11 files, 14 vendors, 21 services, 12 contracts", 51) == 0, "%s",
		  r.out);
	out_free(&r);
}

/* Every file of a sample, space separated, in the given order. */
static char *file_list(const char *sample, bool reverse)
{
	itr_buf cmd = ITR_BUF_INIT, list = ITR_BUF_INIT;
	char line[1024];
	FILE *p;

	itr_buf_printf(&cmd, "ls samples/%s/*.xml | sort %s", sample, reverse ? "-r" : "");
	p = popen(cmd.s, "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		itr_buf_printf(&list, "%s ", line);
	}
	pclose(p);
	itr_buf_release(&cmd);
	return itr_buf_detach(&list);
}

Test(cli, output_does_not_depend_on_the_order_of_the_files)
{
	const char *samples[] = {"bank", "hospital", "retailer"};
	const char *formats[] = {"json", "text"};

	for (size_t i = 0; i < ITR_ARRAY_LEN(samples); i++) {
		char *fwd = file_list(samples[i], false), *rev = file_list(samples[i], true);

		for (size_t f = 0; f < ITR_ARRAY_LEN(formats); f++) {
			out a = run("audit %s --format %s", fwd, formats[f]);
			out b = run("audit %s --format %s", rev, formats[f]);
			out c = run("audit %s samples/%s --format %s", rev, samples[i], formats[f]);

			cr_expect_eq(a.status, 0, "%s", a.err);
			cr_expect(a.out && strlen(a.out) > 100);
			cr_expect_str_eq(a.out, b.out, "%s %s: reversed file order changes output",
					 samples[i], formats[f]);
			cr_expect_str_eq(a.out, c.out, "%s %s: files plus their directory", samples[i],
					 formats[f]);
			out_free(&a);
			out_free(&b);
			out_free(&c);
		}
		free(fwd);
		free(rev);
	}
}

Test(cli, as_of_comes_from_the_option_then_the_portfolio)
{
	out r = run("audit samples/bank --format json");

	cr_expect(strstr(r.out, "\"as_of\": \"2026-11-01\"") != NULL);
	out_free(&r);
	r = run("audit samples/bank --format json --as-of 2027-02-28");
	cr_expect(strstr(r.out, "\"as_of\": \"2027-02-28\"") != NULL);
	out_free(&r);
}

/* The reports of the samples, byte for byte. Regenerate deliberately with
 * test/golden/update.sh after checking the difference, never in CI. */
static void golden(const char *sample, const char *format, const char *ext)
{
	char path[512];
	char *want;
	out r = run("audit samples/%s --format %s", sample, format);

	snprintf(path, sizeof(path), "test/golden/%s.%s", sample, ext);
	want = t_read(path);
	cr_assert_not_null(want, "missing %s", path);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, want, "%s differs from the golden file %s", sample, path);
	free(want);
	out_free(&r);
}

Test(cli, golden_json_reports)
{
	golden("bank", "json", "json");
	golden("hospital", "json", "json");
	golden("retailer", "json", "json");
}

Test(cli, golden_text_reports)
{
	golden("bank", "text", "txt");
	golden("hospital", "text", "txt");
	golden("retailer", "text", "txt");
}

/* Every bad input of test/fixtures/bad/MANIFEST, alone and among good files:
 * exit 2, a FILE:LINE diagnostic with the expected words, no report. */
Test(cli, every_bad_fixture_is_exit_2_with_file_line_and_no_report)
{
	FILE *mf = fopen("test/fixtures/bad/MANIFEST", "r");
	char line[512], report[512];
	size_t cases = 0;

	cr_assert_not_null(mf);
	snprintf(report, sizeof(report), "%s/report.json", dir);
	while (fgets(line, sizeof(line), mf)) {
		char file[128], words[256], prefix[256];
		long ln;
		int used = 0;
		out r;

		if (line[0] == '#' || sscanf(line, "%127s %ld %n", file, &ln, &used) < 2)
			continue;
		snprintf(words, sizeof(words), "%s", line + used);
		words[strcspn(words, "\n")] = '\0';
		snprintf(prefix, sizeof(prefix), "test/fixtures/bad/%s:%ld:", file, ln);
		r = run("audit test/fixtures/bad/%s --format json -o '%s' --fail-on info", file, report);
		cr_expect_eq(r.status, 2, "%s: exit %d", file, r.status);
		cr_expect(strstr(r.err, prefix) != NULL, "%s: expected '%s' in:\n%s", file, prefix, r.err);
		cr_expect(strstr(r.err, words) != NULL, "%s: expected '%s' in:\n%s", file, words, r.err);
		cr_expect_not(exists(report), "%s: a report was written", file);
		cr_expect_str_eq(r.out, "");
		out_free(&r);
		r = run("audit samples/hospital test/fixtures/bad/%s samples/retailer -o '%s'", file,
			report);
		cr_expect_eq(r.status, 2, "%s among good files: exit %d", file, r.status);
		cr_expect_not(exists(report), "%s among good files: a report was written", file);
		out_free(&r);
		cases++;
	}
	fclose(mf);
	cr_expect_geq(cases, 30, "the manifest was read");
}

/* Bad inputs that cannot be committed as files. */
Test(cli, special_files_and_limits_are_exit_2_with_no_report)
{
	char report[512], path[512];
	itr_buf b = ITR_BUF_INIT;
	out r;

	snprintf(report, sizeof(report), "%s/report.json", dir);

	snprintf(path, sizeof(path), "%s/pipe.xml", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	r = run("audit '%s' -o '%s'", path, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "pipe.xml: error: not a regular file") != NULL, "%s", r.err);
	out_free(&r);

	r = run("audit /dev/zero -o '%s'", report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "/dev/zero: error: not a regular file") != NULL, "%s", r.err);
	out_free(&r);

	snprintf(path, sizeof(path), "%s/link.xml", dir);
	cr_assert_eq(symlink(ITR_SOURCE_DIR "/samples/bank/portfolio.xml", path), 0);
	r = run("audit '%s' -o '%s'", path, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "link.xml: error: symbolic links are not followed") != NULL, "%s",
		  r.err);
	out_free(&r);
	unlink(path);

	r = run("audit '%s/missing.xml' -o '%s'", dir, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "missing.xml: error: cannot read: No such file") != NULL, "%s", r.err);
	out_free(&r);

	snprintf(path, sizeof(path), "%s/empty-dir", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	r = run("audit '%s' -o '%s'", path, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "no portfolio files found") != NULL, "%s", r.err);
	out_free(&r);

	/* over the 10 MB cap by one byte */
	snprintf(path, sizeof(path), "truncate -s 10000001 '%s/huge.xml'", dir);
	cr_assert_eq(system(path), 0);
	r = run("audit '%s/huge.xml' -o '%s'", dir, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "huge.xml:1: error: file is larger than the limit of 10000000 "
				"bytes (10 MB)") != NULL,
		  "%s", r.err);
	out_free(&r);

	/* a 20 MB text node (the file is over the 10 MB cap before libxml2's own
	 * 10 MB limit on a text node can be reached) */
	itr_buf_puts(&b, "<portfolio xmlns='urn:itorisk:portfolio:1'>\n");
	for (size_t i = 0; i < (20u << 20) / 64; i++)
		itr_buf_puts(&b, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	itr_buf_puts(&b, "\n</portfolio>\n");
	free(t_write(dir, "text.xml", b.s, b.len));
	itr_buf_release(&b);
	r = run("audit '%s/text.xml' -o '%s'", dir, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "text.xml:") != NULL && strstr(r.err, ": error: ") != NULL, "%s",
		  r.err);
	out_free(&r);

	/* an error past line 65535 keeps its line */
	itr_buf_puts(&b, "<portfolio xmlns='urn:itorisk:portfolio:1'>\n");
	for (int i = 0; i < 70000; i++)
		itr_buf_printf(&b, "<vendor id='v%d' name='V'/>\n", i);
	itr_buf_puts(&b, "<service id='s' name='S' provider='nobody'/>\n</portfolio>\n");
	free(t_write(dir, "long.xml", b.s, b.len));
	itr_buf_release(&b);
	r = run("audit '%s/long.xml' -o '%s'", dir, report);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "long.xml:70002: error: provider 'nobody' names no vendor") != NULL,
		  "%s", r.err);
	out_free(&r);
	cr_expect_not(exists(report), "no report was ever written");
}

Test(cli, risk_model_and_order_options)
{
	char *model = t_write_str(dir, "model.xml",
				  "<risk-model xmlns='urn:itorisk:risk-model:1' version='1' name='strict'>\n"
				  "  <rule id='contract.expiring' severity='critical'/>\n"
				  "  <continuity horizon-days='10'/>\n"
				  "</risk-model>\n");
	char *bad = t_write_str(dir, "bad.xml",
				"<risk-model xmlns='urn:itorisk:risk-model:1' version='1'>\n"
				"  <weights impact='-1'/>\n</risk-model>\n");
	char *unknown = t_write_str(dir, "unknown.xml",
				    "<risk-model xmlns='urn:itorisk:risk-model:1' version='1'>\n\n"
				    "  <rule id='no.such-rule' severity='low'/>\n</risk-model>\n");
	out r;

	/* hospital: VT-2024-NET ends in 29 days, LB-2019-LIS in 75: with a
	 * 10-day horizon neither expires; the model's name shows in the report */
	r = run("audit samples/hospital --model '%s' --format json", model);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "\"risk_model\": \"strict\"") != NULL);
	cr_expect(strstr(r.out, "contract.expiring") == NULL, "10-day horizon");
	out_free(&r);
	r = run("audit samples/hospital --model '%s' --format json --as-of 2026-11-25", model);
	/* VT-2024-NET (2026-11-30) is within 10 days of 2026-11-25; it covers
	 * standard services only, so one step below the model's critical */
	cr_expect(strstr(r.out, "\"rule\": \"contract.expiring\",\n      \"severity\": \"high\",\n"
				"      \"subject\": \"VT-2024-NET\"") != NULL,
		  "%s", r.out);
	out_free(&r);
	r = run("audit samples/hospital --model '%s'", bad);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "bad.xml:2: error:") != NULL, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	out_free(&r);
	r = run("audit samples/hospital --model '%s'", unknown);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "unknown.xml:3: error: unknown rule 'no.such-rule'") != NULL, "%s",
		  r.err);
	out_free(&r);
	expect_status("missing model", run("audit samples/bank --model '%s/none.xml'", dir), 2);
	expect_status("order 0", run("audit samples/bank --order 0"), 2);
	expect_status("order 5", run("audit samples/bank --order 5"), 2);
	r = run("audit samples/bank --order 3 --format json");
	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "\"cut_set_order\": 3") != NULL);
	out_free(&r);
	expect_status("diff with a model",
		      run("diff samples/pr-scenario/base samples/pr-scenario/head --model '%s'", model),
		      0);
	expect_status("graph with a bad model", run("graph samples/bank --model '%s'", bad), 2);
	free(model);
	free(bad);
	free(unknown);
}

/* Run `itorisk ARGS` on a pseudo-terminal (util-linux script), stdout and
 * stderr both captured from the terminal. Returns what was printed. */
static char *run_on_terminal(const char *env, const char *args)
{
	itr_buf cmd = ITR_BUF_INIT;
	char *o;

	itr_buf_printf(&cmd, "%s script -qec \"'%s' %s\" /dev/null >'%s/tty' </dev/null", env,
		       ITR_BINARY, args, dir);
	cr_assert_eq(system(cmd.s), 0, "%s", cmd.s);
	itr_buf_release(&cmd);
	itr_buf_printf(&cmd, "%s/tty", dir);
	o = t_read(cmd.s);
	itr_buf_release(&cmd);
	cr_assert_not_null(o);
	return o;
}

Test(cli, timings_list_every_stage_and_leave_the_report_alone)
{
	/* valid portfolio files are parsed, validated and built in one pass
	 * ("stream"); the phases follow on one wall-clock line */
	const char *stages[] = {"read",	      "stream",	    "model",	  "integrity",
				"failnet",    "essential",  "cutsets",	  "availability",
				"structure",  "centrality", "findings",	  "scores",
				"report",     "write",	    "wall-clock load", "total"};
	out plain = run("audit samples/bank --format json");
	out timed = run("audit samples/bank --format json --timings");

	cr_expect_eq(timed.status, 0);
	cr_expect_str_eq(timed.out, plain.out, "--timings changes nothing on stdout");
	cr_expect_str_empty(plain.err);
	for (size_t i = 0; i < ITR_ARRAY_LEN(stages); i++) {
		char line[64];

		snprintf(line, sizeof(line), "timing: %s ", stages[i]);
		cr_expect(strstr(timed.err, line) != NULL, "no '%s' in:\n%s", line, timed.err);
	}
	out_free(&plain);
	out_free(&timed);
}

Test(cli, progress_only_on_a_terminal_after_the_delay_and_never_with_quiet)
{
	char *o;
	out r;

	/* delay 0: the first stage shows at once (later ones at most every 0.1 s),
	 * and the line is erased before the report */
	o = run_on_terminal("ITORISK_PROGRESS_DELAY=0", "audit samples/bank --format json");
	cr_expect(strstr(o, "\r\033[Kitorisk: read") != NULL, "%s", o);
	cr_expect(strstr(o, "\r\033[K{") != NULL, "line erased before the report: %s", o);
	free(o);
	/* the default delay (2 s) is longer than this run: nothing */
	o = run_on_terminal("", "audit samples/bank --format json");
	cr_expect(strstr(o, "itorisk: ") == NULL, "%s", o);
	free(o);
	o = run_on_terminal("ITORISK_PROGRESS_DELAY=0", "audit samples/bank --format json --quiet");
	cr_expect(strstr(o, "itorisk: ") == NULL, "%s", o);
	free(o);
	o = run_on_terminal("ITORISK_PROGRESS_DELAY=0", "validate -q samples/bank");
	cr_expect_str_empty(o);
	free(o);
	/* not a terminal: nothing, whatever the delay */
	r = run("audit samples/bank --format json");
	cr_expect_str_empty(r.err);
	out_free(&r);
	setenv("ITORISK_PROGRESS_DELAY", "0", 1);
	r = run("audit samples/bank --format json");
	unsetenv("ITORISK_PROGRESS_DELAY");
	cr_expect_str_empty(r.err);
	out_free(&r);
}
