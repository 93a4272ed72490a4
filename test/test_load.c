/*
 * Hostile and broken input (../shared/FACTS.md): every case is rejected with
 * a diagnostic that names the file and the line.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

TestSuite(load, .init = setup, .fini = teardown);

#define NS "xmlns=\"urn:itorisk:portfolio:1\""

typedef struct result {
	itr_diags d;
	char *path;
	int ret;
} result;

/* Write content as f.xml, load it with the given limits, keep the diagnostics. */
static result load_bytes(const char *content, size_t len, const itr_limits *lim)
{
	result r;
	itr_source src;
	itr_model *m = NULL;

	itr_diags_init(&r.d);
	r.path = t_write(dir, "f.xml", content, len);
	src = (itr_source){r.path, NULL, 0};
	r.ret = itr_load(&m, &src, 1, lim, &r.d);
	itr_model_free(m);
	return r;
}

static result load_text(const char *content)
{
	return load_bytes(content, strlen(content), NULL);
}

/* A string literal with its exact length, NUL bytes included. */
#define LIT(s) s, sizeof(s) - 1

static void release(result *r)
{
	itr_diags_release(&r->d);
	free(r->path);
}

/* The load failed with a diagnostic at path:line whose message contains needle. */
static void expect_error(result *r, long line, const char *needle)
{
	char *all = t_all_diags(&r->d);

	cr_expect_eq(r->ret, -1, "load should fail");
	cr_expect(r->d.n > 0, "a diagnostic is expected");
	cr_expect(t_has_diag(&r->d, line, needle),
		  "expected line %ld with '%s', got:\n%s", line, needle, all);
	for (size_t i = 0; i < r->d.n; i++)
		cr_expect_str_eq(r->d.v[i].file, r->path, "diagnostic names the file");
	free(all);
	release(r);
}

static void expect_ok(result *r)
{
	char *all = t_all_diags(&r->d);

	cr_expect_eq(r->ret, 0, "load should succeed, got:\n%s", all);
	free(all);
	release(r);
}

/* ---- entity attacks and DTDs -------------------------------------------- */

Test(load, billion_laughs_is_refused_at_the_doctype)
{
	result r = load_text(
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE portfolio [\n"
		" <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		" <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		" <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		" <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		"]>\n"
		"<portfolio " NS " name=\"&d;&d;&d;&d;&d;&d;&d;&d;\"/>\n");

	expect_error(&r, 2, "DOCTYPE declarations are not allowed");
}

Test(load, quadratic_blowup_is_refused)
{
	itr_buf b = ITR_BUF_INIT;
	result r;

	itr_buf_puts(&b, "<!DOCTYPE portfolio [<!ENTITY x \"");
	for (int i = 0; i < 50000; i++)
		itr_buf_putc(&b, 'x');
	itr_buf_puts(&b, "\">]>\n<portfolio " NS " name=\"");
	for (int i = 0; i < 5000; i++)
		itr_buf_puts(&b, "&x;");
	itr_buf_puts(&b, "\"/>\n");
	r = load_bytes(b.s, b.len, NULL);
	itr_buf_release(&b);
	expect_error(&r, 1, "DOCTYPE");
}

Test(load, external_general_entity_is_refused)
{
	result r = load_text("<?xml version=\"1.0\"?>\n"
			     "<!DOCTYPE portfolio [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
			     "<portfolio " NS " name=\"&xxe;\"/>\n");

	expect_error(&r, 2, "DOCTYPE");
}

Test(load, parameter_entity_is_refused)
{
	result r = load_text("<!DOCTYPE portfolio [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n"
			     "<portfolio " NS "/>\n");

	expect_error(&r, 1, "DOCTYPE");
}

Test(load, external_dtd_is_refused)
{
	result r = load_text("<?xml version=\"1.0\"?>\n"
			     "<!DOCTYPE portfolio SYSTEM \"http://example.com/evil.dtd\">\n"
			     "<portfolio " NS "/>\n");

	expect_error(&r, 2, "DOCTYPE");
}

Test(load, doctype_without_internal_subset_is_refused)
{
	result r = load_text("<!DOCTYPE portfolio>\n<portfolio " NS "/>\n");

	expect_error(&r, 1, "DOCTYPE");
}

Test(load, xinclude_is_not_processed)
{
	result r = load_text("<portfolio " NS " xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
			     "  <xi:include href=\"/etc/passwd\" parse=\"text\"/>\n"
			     "</portfolio>\n");

	expect_error(&r, 2, "include");
}

Test(load, undeclared_entity)
{
	result r = load_text("<portfolio " NS " name=\"a &nope; b\"/>\n");

	expect_error(&r, 1, "nope");
}

/* ---- malformed documents ------------------------------------------------ */

Test(load, nesting_deeper_than_256)
{
	itr_buf b = ITR_BUF_INIT;
	result r;

	itr_buf_puts(&b, "<portfolio " NS ">\n");
	for (int i = 0; i < 300; i++)
		itr_buf_puts(&b, "<a>");
	r = load_bytes(b.s, b.len, NULL);
	itr_buf_release(&b);
	expect_error(&r, 2, "depth");
}

Test(load, file_over_the_size_cap)
{
	itr_limits lim = itr_default_limits;
	result r;

	lim.max_file_bytes = 64;
	r = load_bytes(LIT("<portfolio " NS " name=\"a bit longer than sixty-four bytes\"/>"), &lim);
	expect_error(&r, 1, "larger than the limit of 64 bytes");
}

Test(load, total_size_over_the_cap)
{
	itr_limits lim = itr_default_limits;
	result r;

	lim.max_total_bytes = 10;
	r = load_bytes(LIT("<portfolio " NS "/>"), &lim);
	expect_error(&r, 1, "in total");
}

Test(load, element_count_over_the_cap)
{
	itr_limits lim = itr_default_limits;
	result r;

	lim.max_elements = 3;
	r = load_bytes(LIT("<portfolio " NS ">\n<vendor id='a' name='A'/>\n<vendor id='b' name='B'/>\n"
			   "<vendor id='c' name='C'/>\n</portfolio>\n"),
		       &lim);
	expect_error(&r, 4, "too many XML elements");
}

/* An imported document is parsed twice (its tree is not kept until the
 * mapping files are read): its elements count once. */
Test(load, element_count_of_an_import_counts_once)
{
	itr_limits lim = itr_default_limits;
	const char *xml = "<bom xmlns='http://cyclonedx.org/schema/bom/1.5'><a/><b/></bom>";
	itr_source src = {"bom.xml", xml, strlen(xml)};
	itr_model *m = NULL;
	itr_diags d;

	lim.max_elements = 3;
	itr_diags_init(&d);
	cr_expect_eq(itr_load(&m, &src, 1, &lim, &d), 0);
	cr_expect_eq(d.n, 0);
	itr_model_free(m);
	itr_diags_release(&d);
}

/* A document given in memory is held to the file limit too. */
Test(load, document_in_memory_over_the_size_cap)
{
	itr_limits lim = itr_default_limits;
	const char *xml = "<portfolio " NS " name=\"a bit longer than sixty-four bytes\"/>";
	itr_source src = {"mem.xml", xml, strlen(xml)};
	itr_model *m = NULL;
	itr_diags d;

	lim.max_file_bytes = 64;
	itr_diags_init(&d);
	cr_expect_eq(itr_load(&m, &src, 1, &lim, &d), -1);
	cr_assert_eq(d.n, 1);
	cr_expect_str_eq(d.v[0].file, "mem.xml");
	cr_expect_eq(d.v[0].line, 1);
	cr_expect_str_eq(d.v[0].message, "file is larger than the limit of 64 bytes");
	itr_diags_release(&d);
}

Test(load, twenty_megabyte_text_node)
{
	size_t n = 20u << 20;
	char *big = itr_xmalloc(n + 200);
	int k = sprintf(big, "<portfolio " NS ">\n");
	result r;

	memset(big + k, 'x', n);
	strcpy(big + k + n, "</portfolio>\n");
	r = load_bytes(big, strlen(big), NULL);
	free(big);
	cr_expect_eq(r.ret, -1);
	cr_expect(r.d.n > 0 && r.d.v[0].line >= 1, "a located diagnostic");
	release(&r);
}

Test(load, empty_file)
{
	result r = load_text("");

	expect_error(&r, 1, "empty file");
}

Test(load, truncated_document)
{
	result r = load_text("<portfolio " NS ">\n  <vendor id=\"a\" name=\"A\">\n");

	expect_error(&r, 3, "");
}

Test(load, mismatched_tags)
{
	result r = load_text("<portfolio " NS ">\n<vendor id=\"a\" name=\"A\"></service>\n</portfolio>\n");

	expect_error(&r, 2, "mismatch");
}

Test(load, two_roots)
{
	result r = load_text("<portfolio " NS "/>\n<portfolio " NS "/>\n");

	expect_error(&r, 2, "Extra content");
}

Test(load, duplicate_attribute)
{
	result r = load_text("<portfolio " NS ">\n<vendor id=\"a\" id=\"b\" name=\"A\"/>\n</portfolio>\n");

	expect_error(&r, 2, "redefined");
}

Test(load, invalid_utf8)
{
	result r = load_text("<portfolio " NS ">\n<vendor id=\"a\" name=\"\xc3\x28\"/>\n</portfolio>\n");

	expect_error(&r, 2, "UTF-8");
}

Test(load, false_encoding_declaration)
{
	result r = load_text("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
			     "<portfolio " NS " name=\"Caf\xc3\xa9\"/>\n");

	expect_error(&r, 1, "must be UTF-8");
}

Test(load, utf16_declared_on_utf8_content)
{
	result r = load_text("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<portfolio " NS "/>\n");

	cr_expect_eq(r.ret, -1);
	cr_expect(r.d.n > 0 && r.d.v[0].line == 1);
	release(&r);
}

Test(load, nul_byte)
{
	result r = load_bytes(LIT("<portfolio " NS ">\n<vendor id=\"a\"\0 name=\"A\"/>\n</portfolio>\n"),
			      NULL);

	expect_error(&r, 2, "");
}

Test(load, utf8_bom_is_valid)
{
	result r = load_text("\xef\xbb\xbf<portfolio " NS "><vendor id=\"a\" name=\"A\"/></portfolio>\n");

	expect_ok(&r);
}

/* ---- things that are not files ------------------------------------------ */

static result load_path(const char *path)
{
	result r;
	itr_source src = {path, NULL, 0};
	itr_model *m = NULL;

	itr_diags_init(&r.d);
	r.path = itr_xstrdup(path);
	r.ret = itr_load(&m, &src, 1, NULL, &r.d);
	itr_model_free(m);
	return r;
}

Test(load, fifo_is_not_opened_for_reading)
{
	char path[512];
	result r;

	snprintf(path, sizeof(path), "%s/pipe.xml", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	r = load_path(path);
	expect_error(&r, 0, "not a regular file");
}

Test(load, dev_zero_is_not_a_regular_file)
{
	result r = load_path("/dev/zero");

	expect_error(&r, 0, "not a regular file");
}

Test(load, symbolic_link_is_not_followed)
{
	char target[512], link[512];
	result r;

	free(t_write_str(dir, "real.xml", "<portfolio " NS "/>"));
	snprintf(target, sizeof(target), "%s/real.xml", dir);
	snprintf(link, sizeof(link), "%s/link.xml", dir);
	cr_assert_eq(symlink(target, link), 0);
	r = load_path(link);
	expect_error(&r, 0, "symbolic link");
}

Test(load, symbolic_link_inside_a_directory_is_reported)
{
	char link[512];
	result r;

	snprintf(link, sizeof(link), "%s/link.xml", dir);
	cr_assert_eq(symlink("/etc/passwd", link), 0);
	r = load_path(dir);
	cr_expect_eq(r.ret, -1);
	cr_expect(t_has_diag(&r.d, 0, "symbolic link"));
	release(&r);
}

Test(load, missing_file)
{
	char path[512];
	result r;

	snprintf(path, sizeof(path), "%s/nope.xml", dir);
	r = load_path(path);
	expect_error(&r, 0, "No such file");
}

Test(load, unreadable_file)
{
	char *p = t_write_str(dir, "secret.xml", "<portfolio " NS "/>");
	result r;

	cr_assert_eq(chmod(p, 0), 0);
	if (geteuid() == 0) {
		free(p);
		cr_skip_test("root reads files whatever their mode");
	}
	r = load_path(p);
	free(p);
	expect_error(&r, 0, "Permission denied");
}

Test(load, directory_without_portfolio_files)
{
	result r = load_path(dir);

	expect_error(&r, 0, "no portfolio files found");
}

Test(load, directory_is_searched_recursively_in_sorted_order_skipping_hidden)
{
	char sub[512], hidden[512];
	itr_diags d;
	itr_model *m;
	const char *paths[1] = {dir};

	snprintf(sub, sizeof(sub), "%s/b-sub", dir);
	snprintf(hidden, sizeof(hidden), "%s/.git", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_assert_eq(mkdir(hidden, 0700), 0);
	free(t_write_str(dir, "a.xml", "<portfolio " NS "><vendor id='v' name='V'/></portfolio>"));
	free(t_write_str(sub, "c.xml", "<portfolio " NS "><vendor id='w' name='W'/></portfolio>"));
	free(t_write_str(dir, "notes.txt", "not xml"));
	free(t_write_str(hidden, "x.xml", "broken"));
	itr_diags_init(&d);
	m = t_load_paths(paths, 1, &d);
	cr_assert_not_null(m);
	cr_expect_eq(m->nfiles, 2);
	cr_expect(strstr(m->files[0], "/a.xml") != NULL);
	cr_expect(strstr(m->files[1], "/b-sub/c.xml") != NULL);
	itr_model_free(m);
	itr_diags_release(&d);
}

Test(load, same_file_given_twice_loads_once)
{
	char *p = t_write_str(dir, "a.xml", "<portfolio " NS "><vendor id='v' name='V'/></portfolio>");
	const char *paths[] = {p, dir, p};
	itr_diags d;
	itr_model *m;

	itr_diags_init(&d);
	m = t_load_paths(paths, 3, &d);
	cr_assert_not_null(m, "no duplicate-id error for the same file");
	cr_expect_eq(m->nvendors, 1);
	itr_model_free(m);
	itr_diags_release(&d);
	free(p);
}

/* ---- schema violations -------------------------------------------------- */

Test(load, missing_required_attribute)
{
	result r = load_text("<portfolio " NS ">\n<vendor id=\"a\"/>\n</portfolio>\n");

	expect_error(&r, 2, "'name' is required");
}

Test(load, bad_enumeration_value)
{
	result r = load_text("<portfolio " NS ">\n<service id=\"s\" name=\"S\"\n"
			     " criticality=\"vital\"/>\n</portfolio>\n");

	expect_error(&r, 2, "vital");
}

Test(load, bad_date_value)
{
	result r = load_text("<portfolio " NS " as-of=\"2026-02-30\"/>\n");

	expect_error(&r, 1, "as-of");
}

Test(load, percentage_out_of_range)
{
	result r = load_text("<portfolio " NS ">\n\n<service id=\"s\" name=\"S\" availability=\"100.5\"/>\n"
			     "</portfolio>\n");

	expect_error(&r, 3, "availability");
}

Test(load, unknown_element)
{
	result r = load_text("<portfolio " NS ">\n<vendor id=\"a\" name=\"A\"/>\n<supplier id=\"b\"/>\n"
			     "</portfolio>\n");

	expect_error(&r, 3, "supplier");
}

Test(load, unknown_attribute)
{
	result r = load_text("<portfolio " NS ">\n<vendor id=\"a\" name=\"A\" colour=\"red\"/>\n</portfolio>\n");

	expect_error(&r, 2, "colour");
}

Test(load, wrong_root)
{
	result r = load_text("<contracts " NS "/>\n");

	expect_error(&r, 1, "the root element must be <portfolio xmlns=\"urn:itorisk:portfolio:1\">");
}

Test(load, missing_namespace)
{
	result r = load_text("<portfolio>\n<vendor id=\"a\" name=\"A\"/>\n</portfolio>\n");

	expect_error(&r, 1, "portfolio");
}

Test(load, wrong_namespace)
{
	result r = load_text("<portfolio xmlns=\"urn:itorisk:portfolio:2\"/>\n");

	expect_error(&r, 1, "portfolio");
}

Test(load, id_that_is_not_an_ncname)
{
	result r = load_text("<portfolio " NS ">\n<vendor id=\"1bad id\" name=\"A\"/>\n</portfolio>\n");

	expect_error(&r, 2, "id");
}

Test(load, error_past_line_65535_keeps_its_line)
{
	itr_buf b = ITR_BUF_INIT;
	result r;

	itr_buf_puts(&b, "<portfolio " NS ">\n");
	for (int i = 0; i < 70000; i++)
		itr_buf_puts(&b, "<!-- padding -->\n");
	itr_buf_puts(&b, "<vendor id=\"a\" name=\"A\" kind=\"bogus\"/>\n</portfolio>\n");
	r = load_bytes(b.s, b.len, NULL);
	itr_buf_release(&b);
	expect_error(&r, 70002, "bogus");
}

Test(load, every_error_of_every_file_is_reported)
{
	char *a = t_write_str(dir, "a.xml", "<portfolio " NS ">\n<vendor id=\"x\"/>\n</portfolio>\n");
	char *b = t_write_str(dir, "b.xml", "<portfolio " NS ">\n\n<vendor name=\"y\"/>\n</portfolio>\n");
	const char *paths[] = {dir};
	itr_diags d;

	itr_diags_init(&d);
	cr_expect_null(t_load_paths(paths, 1, &d));
	cr_expect_eq(d.n, 2);
	cr_expect(t_has_diag(&d, 2, "'name' is required"));
	cr_expect(t_has_diag(&d, 3, "'id' is required"));
	itr_diags_release(&d);
	free(a);
	free(b);
}
