/*
 * Every input limit at its real default value, through the binary as a user
 * meets it: just under the limit the input loads (or fails for another
 * reason), just past it the run exits 2 with one `FILE:LINE: error:` line
 * naming the limit, prints nothing on stdout, writes no report, and stays
 * well within a memory bound (the child's peak RSS, from wait4()).
 *
 * The limits: itr_default_limits (load.c), the schema's 256-character ids
 * (models/portfolio.xsd), libxml2's nesting depth, and the attributes and
 * namespace declarations of an element (xmlsafe.c). The file-count limit
 * is checked through the library with in-memory sources: 100,001 real files
 * take seconds to create (see file_100001_is_refused_before_any_file_is_read).
 *
 * Last, files of 10 MB made of the smallest nodes libxml2 builds a tree of
 * (section 9), the densest trees we know of, keep to the memory bound, one
 * file alone or 256 MiB of them in one run.
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
#include <time.h>
#include <unistd.h>

#define NS "xmlns=\"urn:itorisk:portfolio:1\""
#define CDX "xmlns=\"http://cyclonedx.org/schema/bom/1.5\""
#define MIB ((size_t)1 << 20)
#define MB ((size_t)1000000)

/* The child's peak resident set, in KiB. Measured on the reference machine
 * (RelWithDebInfo; ASan+UBSan in brackets): at most 519 MiB [1418 MiB], for
 * 256 MiB of CycloneDX files (section 9), and 519 MiB [1299 MiB] for 10 MB
 * of `<a/>x`; 2 x 2,000,000 elements 285 MiB [912 MiB]; every other case of
 * sections 1-8 under 70 MiB [350 MiB, ASan's quarantine keeps freed
 * buffers]. */
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

TestSuite(limits, .init = t_dir_setup, .fini = t_dir_teardown, .timeout = 180);

typedef struct result {
	int status;	/* exit status, or -1 when killed by a signal */
	long maxrss_kb; /* the child's peak resident set */
	double seconds; /* wall-clock time of the run */
	char *out, *err;
} result;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void result_free(result *r)
{
	free(r->out);
	free(r->err);
}

/* "DIR/name", caller frees. */
static char *path_of(const char *name)
{
	itr_buf b = ITR_BUF_INIT;

	itr_buf_printf(&b, "%s/%s", t_dir, name);
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
	r.seconds = now();
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
	r.seconds = now() - r.seconds;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.maxrss_kb = ru.ru_maxrss;
	r.out = t_read(out);
	r.err = t_read(err);
	cr_assert(r.out && r.err);
	cr_log_info("%s: exit %d, peak RSS %ld MiB, %.2f s", what, r.status, r.maxrss_kb >> 10,
		    r.seconds);
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
	return t_write(t_dir, name, data, len);
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
 * A valid document of exactly `size` bytes, `head` and `tail` around
 * comments of 4 KiB: a cheap file to parse, for the limits on bytes.
 * Caller frees.
 */
static char *padded(const char *head, const char *tail, size_t size)
{
	const size_t hl = strlen(head), tl = strlen(tail), chunk = 4096;
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

/* A valid, empty portfolio of exactly `size` bytes. */
static char *padded_portfolio(size_t size)
{
	return padded("<portfolio " NS ">\n", "</portfolio>\n", size);
}

/* A CycloneDX document of exactly `size` bytes with nothing to import. */
static char *padded_bom(size_t size)
{
	return padded("<bom " CDX ">\n", "</bom>\n", size);
}

#define PER_LINE 25
#define LINE_OF_CHILD(i) (2 + ((i)-1) / PER_LINE)

/*
 * `<ROOT NSDECL>` then `children` empty elements <a/>, PER_LINE to a line (so
 * that the lines of a 10 MB file run past 65535 and text nodes stay few),
 * then `</ROOT>`.
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

/* ---- 1. one file: 10 MB ------------------------------------------------ */

/*
 * A valid portfolio of about 9.9 MB whose vendors have names of 1,000
 * characters: long tokens, the kind that made libxml2 refuse a 12 MB file
 * ("Huge input lookup") when the limit was 32 MiB. Caller frees.
 */
static char *long_names_portfolio(const char *name, size_t *size)
{
	itr_buf b = ITR_BUF_INIT;
	char *p;

	itr_buf_printf(&b, "<portfolio %s>\n", NS);
	for (int i = 0; i < 9600; i++) {
		itr_buf_printf(&b, "  <vendor id=\"v%04d\" name=\"", i);
		for (int k = 0; k < 1000; k++)
			itr_buf_putc(&b, (char)('a' + (i + k) % 26));
		itr_buf_puts(&b, "\"/>\n");
	}
	itr_buf_puts(&b, "</portfolio>\n");
	*size = b.len;
	p = write_file(name, b.s, b.len);
	itr_buf_release(&b);
	return p;
}

Test(limits, file_of_10_mb_loads_and_one_byte_more_is_exit_2)
{
	const size_t cap = itr_default_limits.max_file_bytes;
	char *report = path_of("report.json"), *at, *past, *want, *content, *names;
	itr_buf d = ITR_BUF_INIT;
	size_t size;
	result r;

	cr_assert_eq(cap, 10 * MB);
	content = padded_portfolio(cap);
	at = write_file("at.xml", content, cap);
	free(content);
	r = run("one file of 10 MB", "audit", at, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	names = long_names_portfolio("names.xml", &size);
	cr_expect(size > 9800000 && size < cap, "%zu bytes", size);
	r = run("9.9 MB of long names", "audit", names, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	past = sparse_file("past.xml", cap + 1);
	r = run("one file of 10 MB + 1", "audit", past, "--format", "json", "-o", report,
		"--fail-on", "info", NULL);
	itr_buf_printf(&d, "%s:1: error: file is larger than the limit of 10000000 bytes (10 MB)",
		       past);
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);

	/* as one file among good ones */
	r = run("10 MB + 1 among good files", "audit", ITR_SOURCE_DIR "/samples/bank", past, "-o",
		report, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(has_line(r.err, want), "%s", r.err);
	cr_expect_not(exists(report));
	result_free(&r);
	free(want);
	free(names);
	free(at);
	free(past);
	free(report);
}

/* ---- 2. all files: 256 MiB ---------------------------------------------- */

/*
 * 26 files of 10 MB and one of 8,435,456 bytes are exactly 256 MiB: they
 * load. A small file that sorts among them pushes the total over, and the
 * diagnostic names the file being read when the total went past the limit
 * (the last, a26.xml), not the small one, before that file is parsed.
 */
Test(limits, files_of_256_mib_load_and_more_is_exit_2_on_the_file_that_crossed)
{
	const size_t cap = itr_default_limits.max_file_bytes;
	const size_t total = itr_default_limits.max_total_bytes, last = total - 26 * cap;
	char *report = path_of("report.json"), *content = padded_portfolio(cap), *want;
	char *small = t_portfolio("");
	itr_buf d = ITR_BUF_INIT;
	result r;

	cr_assert_eq(total, 256 * MIB);
	cr_assert_eq(last, 8435456);
	for (int i = 0; i < 26; i++) {
		char name[16];

		snprintf(name, sizeof(name), "a%02d.xml", i);
		free(write_file(name, content, cap));
	}
	free(content);
	content = padded_portfolio(last);
	free(write_file("a26.xml", content, last));
	free(content);
	r = run("256 MiB in 27 files", "audit", t_dir, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	free(write_file("a25b.xml", small, strlen(small)));
	r = run("256 MiB in 27 files + 1 small", "audit", t_dir, "--format", "json", "-o", report,
		"--fail-on", "info", NULL);
	itr_buf_printf(&d,
		       "%s/a26.xml:1: error: the files of this run exceed the limit of 268435456 "
		       "bytes (256 MiB) in total",
		       t_dir);
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);
	free(want);
	free(small);
	free(report);
}

/* ---- 3. elements: 4,000,000 per run ------------------------------------- */

/*
 * The count is per run, and a file of 10 MB holds about 2,400,000 elements:
 * two files of 2,000,000 elements load (CycloneDX documents whose unknown
 * elements the importer ignores, so at the limit the run succeeds), and one
 * more element in the second is refused there, at its line, which is past
 * libxml2's 16-bit line numbers.
 */
Test(limits, element_4000001_is_exit_2_at_its_line_counted_over_the_run)
{
	const size_t half = itr_default_limits.max_elements / 2;
	char *report = path_of("report.json"), *a, *b1, *b2, *want;
	itr_buf b = ITR_BUF_INIT, d = ITR_BUF_INIT;
	result r;

	cr_assert_eq(itr_default_limits.max_elements, 4000000);
	many_elements(&b, "bom", CDX, half - 1);
	a = write_file("a.xml", b.s, b.len);
	b1 = write_file("b.xml", b.s, b.len);
	itr_buf_release(&b);
	/* the root and 2,000,000 children: the last child is element 4,000,001 */
	many_elements(&b, "portfolio", NS, half);
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
	cr_expect_gt(LINE_OF_CHILD(half), 65535, "the line is past libxml2's 16-bit line numbers");
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

/* ---- 7. attributes: 1,000 per element ----------------------------------- */

/* n attributes a0="" a1="" ..., ten to a line. */
static void attributes(itr_buf *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		itr_buf_printf(b, "%sa%zu=\"\"", i % 10 == 0 ? "\n " : " ", i);
}

/* A CycloneDX document whose element <x> has n attributes; its start tag
 * begins on line 3. */
static char *bom_with_attributes(const char *name, size_t n)
{
	itr_buf b = ITR_BUF_INIT;
	char *p;

	itr_buf_printf(&b, "<bom %s>\n<!-- x is on line 3 -->\n<x", CDX);
	attributes(&b, n);
	itr_buf_puts(&b, "/>\n</bom>\n");
	p = write_file(name, b.s, b.len);
	itr_buf_release(&b);
	return p;
}

/*
 * libxml2 2.9 checks a start tag for duplicate attributes in quadratic time
 * (80,000 attributes take it minutes), so the file is refused before
 * libxml2 sees it: at once, at the line where the tag begins.
 */
Test(limits, attribute_1000_loads_and_1001_is_exit_2_at_once)
{
	char *report = path_of("report.json"), *at = bom_with_attributes("at.xml", 1000), *past,
	     *huge, *vendor, *want;
	itr_buf b = ITR_BUF_INIT, d = ITR_BUF_INIT;
	result r;

	r = run("1,000 attributes", "audit", at, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	/* in a portfolio, only the schema refuses them */
	itr_buf_printf(&b, "<portfolio %s>\n<vendor id=\"v\" name=\"V\"", NS);
	attributes(&b, 998);
	itr_buf_puts(&b, "/>\n</portfolio>\n");
	vendor = write_file("vendor.xml", b.s, b.len);
	itr_buf_release(&b);
	r = run("a vendor with 1,000 attributes", "audit", vendor, "-o", report, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "attribute 'a0': The attribute 'a0' is not allowed") != NULL, "%s",
		  r.err);
	cr_expect_null(strstr(r.err, "(the limit)"), "%s", r.err);
	result_free(&r);

	past = bom_with_attributes("past.xml", 1001);
	r = run("1,001 attributes", "audit", past, "--format", "json", "-o", report, NULL);
	cr_expect_lt(r.seconds, 1.0, "%.2f s", r.seconds);
	itr_buf_printf(&d, "%s:3: error: element 'x' has more than 1000 attributes (the limit)",
		       past);
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);
	free(want);

	/* 730 KB that took libxml2 a minute and a half */
	huge = bom_with_attributes("huge.xml", 80000);
	r = run("80,000 attributes", "audit", huge, "--format", "json", "-o", report, NULL);
	cr_expect_lt(r.seconds, 1.0, "%.2f s", r.seconds);
	itr_buf_printf(&d, "%s:3: error: element 'x' has more than 1000 attributes (the limit)",
		       huge);
	want = itr_buf_detach(&d);
	expect_limit(&r, report, want);
	free(want);
	free(vendor);
	free(huge);
	free(at);
	free(past);
	free(report);
}

/*
 * The count sees start tags only: what comments, CDATA sections, PIs and
 * text hold is not counted, however many '=' and '>' they have, and a
 * quoted value counts once, whatever it holds.
 */
Test(limits, attribute_count_ignores_comments_cdata_pis_text_and_values)
{
	char *report = path_of("report.json"), *f;
	itr_buf b = ITR_BUF_INIT;
	result r;

	itr_buf_printf(&b, "<bom %s>\n<!-- <x", CDX);
	attributes(&b, 2000);
	itr_buf_puts(&b, " a=b>c=>d -->\n<?pi <x");
	attributes(&b, 2000);
	itr_buf_puts(&b, " ?>\n<text>");
	for (int i = 0; i < 2000; i++)
		itr_buf_puts(&b, "a=b>c ");
	itr_buf_puts(&b, "<![CDATA[<x");
	attributes(&b, 2000);
	itr_buf_puts(&b, "> = >]]></text>\n<x v='=\">=>=/>' w=\"'>'='\"");
	attributes(&b, 998);
	itr_buf_puts(&b, "/>\n</bom>\n");
	f = write_file("ok.xml", b.s, b.len);
	itr_buf_release(&b);
	r = run("'=' outside start tags", "audit", f, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);
	free(f);
	free(report);
}

/*
 * libxml2 reads on after an error (its SAX calls stop, its attribute checks
 * do not), so the count holds in broken files too: a start tag after an
 * error, where a comment, a PI or the XML declaration ends early for
 * libxml2, or behind a DOCTYPE, is counted; and a file in another encoding,
 * which the byte count cannot read, is refused first.
 */
Test(limits, attribute_count_holds_in_broken_files)
{
	static const struct {
		char name[16];
		char before[80], after[16];
	} cases[] = {
	    {"entity.xml", "<bom " CDX ">&undefined;", "</bom>"},
	    {"control.xml", "<bom " CDX "><!-- \x01 ", " --></bom>"},
	    {"pi.xml", "<bom " CDX "><? ", " ?></bom>"},
	    {"decl.xml", "<?xml version=\"1.0\" x>", "?>"},
	    {"doctype.xml", "<!-- -- --><!DOCTYPE bom [<!ENTITY e \"<!--\">]>", "<!-- -->"},
	};
	char *report = path_of("report.json"), *f;
	itr_buf b = ITR_BUF_INIT;
	result r;

	for (size_t i = 0; i < ITR_ARRAY_LEN(cases); i++) {

		itr_buf_puts(&b, cases[i].before);
		itr_buf_puts(&b, "<x");
		attributes(&b, 80000);
		itr_buf_puts(&b, "/>");
		itr_buf_puts(&b, cases[i].after);
		f = write_file(cases[i].name, b.s, b.len);
		itr_buf_release(&b);
		r = run(cases[i].name, "validate", f, NULL);
		cr_expect_eq(r.status, 2, "%s", cases[i].name);
		cr_expect_lt(r.seconds, 1.0, "%s: %.2f s", cases[i].name, r.seconds);
		cr_expect(strstr(r.err, "error: element 'x' has more than 1000 attributes") != NULL,
			  "%s: %s", cases[i].name, r.err);
		result_free(&r);
		free(f);
	}

	/* UTF-16 (little-endian, with its byte order mark), the same start tag */
	itr_buf_printf(&b, "<bom %s><x", CDX);
	attributes(&b, 80000);
	itr_buf_puts(&b, "/></bom>");
	{
		itr_buf u = ITR_BUF_INIT;

		itr_buf_add(&u, "\xff\xfe", 2);
		for (size_t i = 0; i < b.len; i++)
			itr_buf_add(&u, (char[2]){b.s[i], 0}, 2);
		f = write_file("utf16.xml", u.s, u.len);
		itr_buf_release(&u);
	}
	itr_buf_release(&b);
	r = run("utf16.xml", "validate", f, NULL);
	cr_expect_lt(r.seconds, 1.0, "%.2f s", r.seconds);
	itr_buf_printf(&b, "%s:1: error: input files must be UTF-8, not 'UTF-16'", f);
	expect_limit(&r, NULL, b.s);
	itr_buf_release(&b);
	free(f);
	free(report);
}

/* ---- 8. namespaces: 256 declarations in scope ---------------------------- */

/* `<a` and n namespace declarations xmlns:pI="urn:p", ten to a line. */
static void declarations(itr_buf *b, size_t n)
{
	itr_buf_puts(b, "<a");
	for (size_t i = 0; i < n; i++)
		itr_buf_printf(b, "%sxmlns:p%zu=\"urn:p\"", i % 10 == 0 ? "\n " : " ", i);
	itr_buf_puts(b, ">\n");
}

/*
 * Each element and prefixed attribute makes libxml2 look its namespace up
 * through every declaration in scope, so many declarations in scope over
 * many elements take minutes. The root's declaration and 255 on an element
 * are at the limit, and the scope ends with the element (its siblings start
 * afresh); one more declaration on a child is refused at the child's line.
 */
Test(limits, namespaces_256_in_scope_load_and_257_are_exit_2)
{
	char *report = path_of("report.json"), *at, *past, *deep;
	itr_buf b = ITR_BUF_INIT, d = ITR_BUF_INIT;
	long line = 1;
	result r;

	itr_buf_printf(&b, "<bom %s>\n", CDX);
	for (int i = 0; i < 3; i++) {
		declarations(&b, 255);
		itr_buf_puts(&b, "<b><c/></b>\n</a>\n");
	}
	itr_buf_puts(&b, "</bom>\n");
	at = write_file("at.xml", b.s, b.len);
	r = run("256 namespaces in scope", "audit", at, "--format", "json", "-o", report, NULL);
	expect_loads(&r, report);

	/* the last element: <b xmlns:q="urn:q"/> instead of <b>, on line `line` */
	b.len -= strlen("<b><c/></b>\n</a>\n</bom>\n");
	for (size_t i = 0; i < b.len; i++)
		line += b.s[i] == '\n';
	itr_buf_puts(&b, "<b xmlns:q=\"urn:q\"/>\n</a>\n</bom>\n");
	past = write_file("past.xml", b.s, b.len);
	itr_buf_release(&b);
	r = run("257 namespaces in scope", "audit", past, "--format", "json", "-o", report, NULL);
	itr_buf_printf(&d,
		       "%s:%ld: error: element 'b' has more than 256 namespace declarations in "
		       "scope (the limit)",
		       past, line);
	expect_limit(&r, report, d.s);
	itr_buf_release(&d);

	/* 200 levels of 1,000 declarations, then small elements: minutes for libxml2 */
	itr_buf_printf(&b, "<bom %s>\n", CDX);
	for (int i = 0; i < 200; i++)
		declarations(&b, 1000);
	for (int i = 0; i < 500000; i++)
		itr_buf_puts(&b, "<x/>");
	for (int i = 0; i < 200; i++)
		itr_buf_puts(&b, "</a>");
	itr_buf_puts(&b, "</bom>\n");
	deep = write_file("deep.xml", b.s, b.len);
	itr_buf_release(&b);
	r = run("200 x 1,000 namespaces in scope", "validate", deep, NULL);
	cr_expect_lt(r.seconds, 1.0, "%.2f s", r.seconds);
	itr_buf_printf(&d,
		       "%s:2: error: element 'a' has more than 256 namespace declarations in "
		       "scope (the limit)",
		       deep);
	expect_limit(&r, NULL, d.s);
	itr_buf_release(&d);
	free(at);
	free(past);
	free(deep);
	free(report);
}

/* ---- 9. memory: 10 MB of the smallest nodes ------------------------------ */

/*
 * A file of exactly 10 MB: head, then `unit` repeated, per_line to a line,
 * padded with spaces, then tail. Caller frees.
 */
static char *filled(const char *name, const char *head, const char *unit, int per_line,
		    const char *tail)
{
	const size_t size = itr_default_limits.max_file_bytes;
	itr_buf b = ITR_BUF_INIT, line = ITR_BUF_INIT;
	char *p;

	for (int i = 0; i < per_line; i++)
		itr_buf_puts(&line, unit);
	itr_buf_putc(&line, '\n');
	itr_buf_puts(&b, head);
	while (b.len + line.len + strlen(tail) <= size)
		itr_buf_add(&b, line.s, line.len);
	while (b.len + strlen(tail) < size)
		itr_buf_putc(&b, ' ');
	itr_buf_puts(&b, tail);
	cr_assert_eq(b.len, size);
	p = write_file(name, b.s, b.len);
	itr_buf_release(&b);
	itr_buf_release(&line);
	return p;
}

/*
 * Every kind of node libxml2 builds from a few bytes: its tree is up to 52
 * times the file (`<a/>x`: an element and a text node of 120 bytes each for
 * 5 bytes), so any file of 10 MB stays near 500 MiB. run() checks the bound;
 * the exit status is what the content deserves (a portfolio admits PIs and
 * comments, no <a> and no unknown attribute).
 */
static void small_nodes(const char *name, const char *root, const char *unit, int per_line,
			int status)
{
	char head[128], tail[32], *f, *report = path_of("report.json");
	result r;

	snprintf(head, sizeof(head), "<%s %s>\n", root, strcmp(root, "bom") == 0 ? CDX : NS);
	snprintf(tail, sizeof(tail), "</%s>\n", root);
	f = filled(name, head, unit, per_line, tail);
	r = run(name, "audit", f, "--format", "json", "-o", report, NULL);
	cr_expect_eq(r.status, status, "%s: exit %d\n%s", name, r.status, r.err);
	unlink(report);
	result_free(&r);
	free(f);
	free(report);
}

Test(limits, ten_mb_of_pis_stays_within_the_memory_bound)
{
	small_nodes("pis.xml", "portfolio", "<?a?>", 50, 0);
}

Test(limits, ten_mb_of_comments_stays_within_the_memory_bound)
{
	small_nodes("comments.xml", "portfolio", "<!---->", 50, 0);
}

Test(limits, ten_mb_of_short_attributes_stays_within_the_memory_bound)
{
	small_nodes("attributes.xml", "portfolio",
		    "<vendor id='v' name='V' a='' b='' c='' d='' e='' f='' g='' h='' i='' j='' "
		    "k='' l='' m='' n='' o='' p='' q='' r='' s='' t='' u='' v='' w='' x='' y='' "
		    "z='' A='' B='' C='' D='' E='' F='' G='' H='' I='' J='' K='' L='' M='' N='' "
		    "O='' P='' Q='' R='' S='' T='' U='' V='' W='' X='' Y='' Z=''/>",
		    1, 2);
}

Test(limits, ten_mb_of_empty_elements_stays_within_the_memory_bound)
{
	small_nodes("elements.xml", "portfolio", "<a/>", 50, 2);
}

Test(limits, ten_mb_of_elements_and_text_stays_within_the_memory_bound)
{
	small_nodes("text.xml", "bom", "<a/>x", 50, 0);
}

/*
 * CycloneDX and ArchiMate files wait for the mapping files; their bytes are
 * kept, not their trees. Four files of 10 MB of PIs (a tree of 280 MiB each)
 * among 256 MiB of CycloneDX files: kept as trees they alone would pass the
 * bound.
 */
Test(limits, cyclonedx_files_of_a_whole_run_are_not_kept_as_trees)
{
	const size_t cap = itr_default_limits.max_file_bytes;
	char *report = path_of("report.json"), *content = padded_bom(cap);
	result r;

	for (int i = 0; i < 4; i++) {
		char name[16];

		snprintf(name, sizeof(name), "pis%d.xml", i);
		free(filled(name, "<bom " CDX ">\n", "<?a?>", 50, "</bom>\n"));
	}
	for (int i = 0; i < 22; i++) {
		char name[16];

		snprintf(name, sizeof(name), "pad%02d.xml", i);
		free(write_file(name, content, cap));
	}
	free(content);
	cr_assert_leq(26 * cap, itr_default_limits.max_total_bytes);
	r = run("26 CycloneDX files of 10 MB", "audit", t_dir, "--format", "json", "-o", report,
		NULL);
	expect_loads(&r, report);
	free(report);
}
