/*
 * Every input limit at its real default value, through the binary as a user
 * meets it: just under the limit the input loads (or fails for another
 * reason), just past it the run exits 2 with one `FILE:LINE: error:` line
 * naming the limit, prints nothing on stdout, writes no report, and stays
 * well within a memory bound (the child's peak RSS, from wait4()).
 *
 * The limits: itr_default_limits (load.c), the schema's 256-character ids
 * (models/portfolio.xsd) and libxml2's nesting depth. The file-count limit
 * is checked through the library with in-memory sources: 100,001 real files
 * take seconds to create (see file_100001_is_refused_before_any_file_is_read).
 */
#define _DEFAULT_SOURCE /* wait4() */
#include "helpers.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NS "xmlns=\"urn:itorisk:portfolio:1\""
#define CDX "xmlns=\"http://cyclonedx.org/schema/bom/1.5\""
#define MIB ((size_t)1 << 20)

/* The child's peak resident set, in KiB. Measured on the reference machine:
 * at most 536 MiB (RelWithDebInfo) and 909 MiB (ASan+UBSan), both for
 * 4,000,000 elements held as a DOM; every other case stays under 110 MiB
 * (470 MiB under ASan, whose quarantine keeps freed 32 MiB buffers). */
#if defined(__SANITIZE_ADDRESS__)
#define MAX_RSS_KB (2L << 20)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAX_RSS_KB (2L << 20)
#endif
#endif
#ifndef MAX_RSS_KB
#define MAX_RSS_KB (1L << 20)
#endif

static char *dir;

static void setup(void)
{
	dir = t_tmpdir();
}

static void teardown(void)
{
	t_rmtree(dir);
	free(dir);
}

TestSuite(limits, .init = setup, .fini = teardown, .timeout = 180);

typedef struct result {
	int status;	/* exit status, or -1 when killed by a signal */
	long maxrss_kb; /* the child's peak resident set */
	char *out, *err;
} result;

static void result_free(result *r)
{
	free(r->out);
	free(r->err);
}

/* "DIR/name", caller frees. */
static char *path_of(const char *name)
{
	itr_buf b = ITR_BUF_INIT;

	itr_buf_printf(&b, "%s/%s", dir, name);
	return itr_buf_detach(&b);
}

/* Run `itorisk ARGS...` (a NULL-terminated list) directly, without a shell,
 * so that wait4() reports the peak memory of itorisk itself; `what` names
 * the case in the log and in failures. */
static result run(const char *what, const char *arg, ...)
{
	char *argv[32] = {itr_xstrdup(ITR_BINARY)};
	char *out = path_of("stdout"), *err = path_of("stderr");
	size_t n = 1;
	struct rusage ru;
	result r;
	va_list ap;
	pid_t pid;
	int st;

	va_start(ap, arg);
	for (const char *a = arg; a; a = va_arg(ap, const char *)) {
		cr_assert_lt(n, ITR_ARRAY_LEN(argv) - 1);
		argv[n++] = itr_xstrdup(a);
	}
	va_end(ap);
	argv[n] = NULL;
	pid = fork();
	cr_assert_geq(pid, 0, "fork");
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		execv(ITR_BINARY, argv);
		_exit(127);
	}
	cr_assert_eq(wait4(pid, &st, 0, &ru), pid, "wait4");
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.maxrss_kb = ru.ru_maxrss;
	r.out = t_read(out);
	r.err = t_read(err);
	cr_assert(r.out && r.err);
	cr_log_info("%s: exit %d, peak RSS %ld MiB", what, r.status, r.maxrss_kb >> 10);
	cr_expect(WIFEXITED(st), "%s: killed by signal %d (out of memory?)\n%s", what,
		  WIFSIGNALED(st) ? WTERMSIG(st) : 0, r.err);
	cr_expect_lt(r.maxrss_kb, MAX_RSS_KB, "%s: peak RSS %ld KiB", what, r.maxrss_kb);
	for (size_t i = 0; i < n; i++)
		free(argv[i]);
	free(out);
	free(err);
	return r;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* text holds `line` as a whole line. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

/*
 * Past a limit: exit 2, nothing on stdout, no report at `report` (may be
 * NULL), and stderr is exactly the diagnostic `diag` ("FILE:LINE: error:
 * ...") followed by the summary line: the limit stops the run at once.
 */
static void expect_limit(result *r, const char *report, const char *diag)
{
	cr_expect_eq(r->status, 2, "exit %d, expected 2\n%s", r->status, r->err);
	cr_expect_str_eq(r->out, "", "nothing on stdout");
	if (report)
		cr_expect_not(exists(report), "a report was written");
	cr_expect(has_line(r->err, diag), "expected the line\n%s\ngot:\n%s", diag, r->err);
	cr_expect(has_line(r->err, "itorisk: 1 error; nothing was analysed"),
		  "one error only, got:\n%s", r->err);
	result_free(r);
}

/* At a limit: the load succeeds and `audit -o report` writes its report. */
static void expect_loads(result *r, const char *report)
{
	cr_expect_eq(r->status, 0, "exit %d, expected 0\n%s", r->status, r->err);
	cr_expect(exists(report), "no report was written");
	unlink(report);
	result_free(r);
}

/* Write exactly len bytes; returns the path (caller frees). */
static char *write_file(const char *name, const char *data, size_t len)
{
	return t_write(dir, name, data, len);
}

/* A file of `size` bytes that is all holes: free to create, read as zeros. */
static char *sparse_file(const char *name, size_t size)
{
	char *p = path_of(name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)size), 0);
	close(fd);
	return p;
}

/*
 * A valid, empty portfolio of exactly `size` bytes, padded with comments of
 * 4 KiB. Small tokens keep libxml2 2.9 clear of its 10,000,000-byte lookup
 * limit (a single token running up to the end of a file past that size is
 * refused with "Huge input lookup"). Caller frees.
 */
static char *padded_portfolio(size_t size)
{
	static const char head[] = "<portfolio " NS ">\n", tail[] = "</portfolio>\n";
	const size_t hl = sizeof(head) - 1, tl = sizeof(tail) - 1, chunk = 4096;
	char *s = itr_xmalloc(size);
	size_t body = size - hl - tl, k = body / chunk;

	cr_assert_geq(body, chunk);
	memcpy(s, head, hl);
	memset(s + hl, ' ', body);
	for (size_t i = 0; i < k; i++) {
		char *c = s + hl + i * chunk;
		size_t len = i + 1 < k ? chunk : body - i * chunk; /* the last takes the rest */

		memcpy(c, "<!--", 4);
		memcpy(c + len - 4, "-->\n", 4);
	}
	memcpy(s + size - tl, tail, tl);
	return s;
}

#define PER_LINE 50
#define LINE_OF_CHILD(i) (2 + ((i)-1) / PER_LINE)

/*
 * `<ROOT NSDECL>` then `children` empty elements <a/>, PER_LINE to a line (so
 * that the lines run past 65535 and text nodes stay few), then `</ROOT>`.
 * The document holds children + 1 elements; child i (from 1) is on line
 * LINE_OF_CHILD(i). Appends to b.
 */
static void many_elements(itr_buf *b, const char *root, const char *nsdecl, size_t children)
{
	itr_buf_printf(b, "<%s %s>\n", root, nsdecl);
	for (size_t i = 1; i <= children; i++)
		itr_buf_puts(b, i % PER_LINE == 0 || i == children ? "<a/>\n" : "<a/>");
	itr_buf_printf(b, "</%s>\n", root);
}

/* ---- 1. one file: 32 MiB ------------------------------------------------ */

Test(limits, file_of_32_mib_loads_and_one_byte_more_is_exit_2)
{
	const size_t cap = itr_default_limits.max_file_bytes;
	char *report = path_of("report.json"), *at, *past, *want, *content;
	itr_buf d = ITR_BUF_INIT;
	result r;

	cr_assert_eq(cap, 32 * MIB);
	content = padded_portfolio(cap);
	at = write_file("at.xml", content, cap);
	free(content);
	r = run("one file of 32 MiB", "audit", at, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	past = sparse_file("past.xml", cap + 1);
	r = run("one file of 32 MiB + 1", "audit", past, "--format", "json", "-o", report,
		"--fail-on", "info", NULL);
	itr_buf_printf(&d, "%s:1: error: file is larger than the limit of 33554432 bytes (32 MiB)",
		       past);
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);

	/* as one file among good ones */
	r = run("32 MiB + 1 among good files", "audit", ITR_SOURCE_DIR "/samples/bank", past, "-o",
		report, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(has_line(r.err, want), "%s", r.err);
	cr_expect_not(exists(report));
	result_free(&r);
	free(want);
	free(at);
	free(past);
	free(report);
}

/* ---- 2. all files: 256 MiB ---------------------------------------------- */

/*
 * Eight files of 32 MiB are exactly 256 MiB: they load. A small file that
 * sorts among them pushes the total over, and the diagnostic names the file
 * being read when the total went past the limit (the last 32 MiB one), not
 * the small one, before that file is parsed.
 */
Test(limits, files_of_256_mib_load_and_more_is_exit_2_on_the_file_that_crossed)
{
	const size_t cap = itr_default_limits.max_file_bytes;
	char *report = path_of("report.json"), *content = padded_portfolio(cap), *want;
	char *small = t_portfolio("");
	itr_buf d = ITR_BUF_INIT;
	result r;

	cr_assert_eq(itr_default_limits.max_total_bytes, 8 * cap);
	for (int i = 0; i < 8; i++) {
		char name[16];

		snprintf(name, sizeof(name), "a%d.xml", i);
		free(write_file(name, content, cap));
	}
	free(content);
	r = run("8 files of 32 MiB", "audit", dir, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	free(write_file("a3b.xml", small, strlen(small)));
	r = run("8 files of 32 MiB + 1 small", "audit", dir, "--format", "json", "-o", report,
		"--fail-on", "info", NULL);
	itr_buf_printf(&d,
		       "%s/a7.xml:1: error: the files of this run exceed the limit of 268435456 "
		       "bytes (256 MiB) in total",
		       dir);
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);
	free(want);
	free(small);
	free(report);
}

/* ---- 3. elements: 4,000,000 per run ------------------------------------- */

Test(limits, element_4000001_is_exit_2_at_its_line)
{
	const size_t cap = itr_default_limits.max_elements;
	char *report = path_of("report.json"), *f, *want;
	itr_buf b = ITR_BUF_INIT, d = ITR_BUF_INIT;
	result r;

	cr_assert_eq(cap, 4000000);
	/* the root and 4,000,000 children: the last child is element 4,000,001 */
	many_elements(&b, "portfolio", NS, cap);
	f = write_file("one.xml", b.s, b.len);
	itr_buf_release(&b);
	r = run("4,000,001 elements in one file", "audit", f, "--format", "json", "-o", report,
		NULL);
	itr_buf_printf(
	    &d,
	    "%s:%zu: error: too many XML elements: this run exceeds the limit of 4000000 "
	    "elements (counted over all its files)",
	    f, LINE_OF_CHILD(cap));
	want = itr_buf_detach(&d);
	cr_expect_gt(LINE_OF_CHILD(cap), 65535, "the line is past libxml2's 16-bit line numbers");
	expect_limit(&r, report, want);
	free(want);
	free(f);
	free(report);
}

/*
 * The count is per run: two files of 2,000,000 elements load (CycloneDX
 * documents whose unknown elements the importer ignores, so at the limit
 * the run succeeds), and one more element in the second is refused there.
 */
Test(limits, element_count_is_per_run_not_per_file)
{
	const size_t half = itr_default_limits.max_elements / 2;
	char *report = path_of("report.json"), *a, *b1, *b2, *want;
	itr_buf b = ITR_BUF_INIT, d = ITR_BUF_INIT;
	result r;

	many_elements(&b, "bom", CDX, half - 1);
	a = write_file("a.xml", b.s, b.len);
	b1 = write_file("b.xml", b.s, b.len);
	itr_buf_release(&b);
	many_elements(&b, "bom", CDX, half);
	b2 = write_file("b-plus-one.xml", b.s, b.len);
	itr_buf_release(&b);

	r = run("2 x 2,000,000 elements", "audit", a, b1, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	r = run("2,000,000 + 2,000,001 elements", "audit", a, b2, "--format", "json", "-o", report,
		NULL);
	itr_buf_printf(
	    &d,
	    "%s:%zu: error: too many XML elements: this run exceeds the limit of 4000000 "
	    "elements (counted over all its files)",
	    b2, LINE_OF_CHILD(half));
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);
	free(want);
	free(a);
	free(b1);
	free(b2);
	free(report);
}

/* ---- 4. ids: 256 characters --------------------------------------------- */

/* A portfolio whose second vendor's id is n characters long, on line 4
 * (its start tag begins on line 3 and spans two lines). */
static char *vendor_with_id(const char *name, size_t n)
{
	itr_buf b = ITR_BUF_INIT;
	char *p;

	itr_buf_printf(&b,
		       "<portfolio %s>\n  <vendor id=\"v\" name=\"V\"/>\n  <vendor name=\"X\"\n"
		       "          id=\"",
		       NS);
	for (size_t i = 0; i < n; i++)
		itr_buf_putc(&b, 'x');
	itr_buf_puts(&b, "\"/>\n</portfolio>\n");
	p = write_file(name, b.s, b.len);
	itr_buf_release(&b);
	return p;
}

Test(limits, id_of_256_characters_loads_and_257_is_exit_2)
{
	char *report = path_of("report.json"), *at = vendor_with_id("at.xml", 256), *past, *want;
	itr_buf d = ITR_BUF_INIT;
	result r;

	r = run("id of 256", "audit", at, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	past = vendor_with_id("past.xml", 257);
	r = run("id of 257", "audit", past, "--format", "json", "-o", report, NULL);
	itr_buf_printf(&d,
		       "%s:3: error: Element 'vendor', attribute 'id': [facet 'maxLength'] The "
		       "value '",
		       past);
	for (int i = 0; i < 257; i++)
		itr_buf_putc(&d, 'x');
	itr_buf_puts(&d,
		     "' has a length of '257'; this exceeds the allowed maximum length of '256'.");
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);
	free(want);
	free(at);
	free(past);
	free(report);
}

/* ---- 5. nesting: libxml2's 256 levels below the root --------------------- */

/* The root and `below` levels of <a> inside it, one start tag per line:
 * the element at level k below the root starts on line k + 1. */
static char *nested(const char *name, const char *root, const char *nsdecl, int below)
{
	itr_buf b = ITR_BUF_INIT;
	char *p;

	itr_buf_printf(&b, "<%s %s>\n", root, nsdecl);
	for (int i = 0; i < below; i++)
		itr_buf_puts(&b, "<a>\n");
	for (int i = 0; i < below; i++)
		itr_buf_puts(&b, "</a>");
	itr_buf_printf(&b, "\n</%s>\n", root);
	p = write_file(name, b.s, b.len);
	itr_buf_release(&b);
	return p;
}

/*
 * libxml2 2.9.14 (xmlParserMaxDepth = 256, no XML_PARSE_HUGE) refuses an
 * element with more than 256 ancestors: 256 levels below the root parse,
 * 257 do not. No portfolio nests deeper than 3, so the document at the limit
 * is a CycloneDX one, whose unknown elements are ignored: it loads.
 */
Test(limits, nesting_256_below_the_root_loads_and_257_is_exit_2)
{
	char *report = path_of("report.json"), *at = nested("at.xml", "bom", CDX, 256), *past,
	     *want;
	itr_buf d = ITR_BUF_INIT;
	result r;

	r = run("nesting 256 below the root", "audit", at, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	past = nested("past.xml", "portfolio", NS, 257);
	r = run("nesting 257 below the root", "audit", past, "--format", "json", "-o", report,
		NULL);
	itr_buf_printf(&d,
		       "%s:258:1: error: element nesting depth exceeds the limit of 256 levels "
		       "below the root",
		       past);
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);
	free(want);

	/* the same document as a portfolio: the parser takes it, the schema does not */
	free(past);
	past = nested("schema.xml", "portfolio", NS, 256);
	r = run("portfolio nested 256 below the root", "audit", past, "--format", "json", "-o",
		report, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, ":2: error: Element 'a': This element is not expected") != NULL,
		  "%s", r.err);
	cr_expect_null(strstr(r.err, "nesting"), "%s", r.err);
	result_free(&r);
	free(at);
	free(past);
	free(report);
}

/* ---- 6. directories: 64 levels; files: 100,000 --------------------------- */

/*
 * The directory given is level 0; one 64 levels below it is searched, one
 * 65 levels below is refused. A directory has no lines: its diagnostic is
 * `DIR: error:`.
 */
Test(limits, directory_64_levels_down_is_searched_and_65_is_exit_2)
{
	char *report = path_of("report.json"), *small = t_portfolio("<vendor id='v' name='V'/>");
	char *top = path_of("top");
	itr_buf p = ITR_BUF_INIT, d = ITR_BUF_INIT;
	result r;

	cr_assert_eq(itr_default_limits.max_dir_depth, 64);
	itr_buf_puts(&p, top);
	cr_assert_eq(mkdir(p.s, 0700), 0);
	for (int i = 1; i <= 64; i++) {
		itr_buf_puts(&p, "/d");
		cr_assert_eq(mkdir(p.s, 0700), 0);
	}
	free(t_write(p.s, "deep.xml", small, strlen(small)));
	r = run("dir depth 64", "audit", top, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	itr_buf_puts(&p, "/d");
	cr_assert_eq(mkdir(p.s, 0700), 0);
	r = run("dir depth 65", "audit", top, "--format", "json", "-o", report, NULL);
	itr_buf_printf(&d, "%s: error: directories nested deeper than the limit of 64 levels", p.s);
	expect_limit(&r, report, d.s);
	itr_buf_release(&d);
	itr_buf_release(&p);
	free(top);
	free(small);
	free(report);
}

/*
 * 100,000 files are accepted (here they are empty, so each is "empty file"),
 * the 100,001st is refused before any file is read. Creating 100,001 files
 * takes about 7 s on the reference machine, so this goes through the library
 * with in-memory sources, which are counted by the same code as files found
 * in directories (add_input).
 */
Test(limits, file_100001_is_refused_before_any_file_is_read)
{
	const size_t cap = itr_default_limits.max_files;
	itr_source *src = itr_xmalloc((cap + 1) * sizeof(*src));
	char(*names)[16] = itr_xmalloc((cap + 1) * sizeof(*names));
	itr_model *m = NULL;
	itr_diags d;

	cr_assert_eq(cap, 100000);
	for (size_t i = 0; i <= cap; i++) {
		snprintf(names[i], sizeof(names[i]), "m%06zu.xml", i);
		src[i] = (itr_source){names[i], "", 0};
	}
	itr_diags_init(&d);
	cr_expect_eq(itr_load(&m, src, cap, NULL, &d), -1);
	cr_expect_eq(itr_diags_count(&d), cap, "one 'empty file' per file");
	cr_expect(t_has_diag(&d, 1, "empty file"));
	cr_expect_not(t_has_diag(&d, 1, "too many files"));
	itr_diags_release(&d);

	itr_diags_init(&d);
	cr_expect_eq(itr_load(&m, src, cap + 1, NULL, &d), -1);
	cr_expect_null(m);
	cr_assert_eq(itr_diags_count(&d), 1, "the files are not read");
	cr_expect_str_eq(d.v[0].file, "m100000.xml");
	cr_expect_eq(d.v[0].line, 1);
	cr_expect_str_eq(d.v[0].message,
			 "too many files: this run exceeds the limit of 100000 files");
	itr_diags_release(&d);
	free(names);
	free(src);
}
