/*
 * Hostile and broken input (../shared/FACTS.md): every case is rejected with
 * a diagnostic that names the file and the line.
 */
#include "gen.h"
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

TestSuite(load, .init = t_dir_setup, .fini = t_dir_teardown);

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
	r.path = t_write(t_dir, "f.xml", content, len);
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

	snprintf(path, sizeof(path), "%s/pipe.xml", t_dir);
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

	free(t_write_str(t_dir, "real.xml", "<portfolio " NS "/>"));
	snprintf(target, sizeof(target), "%s/real.xml", t_dir);
	snprintf(link, sizeof(link), "%s/link.xml", t_dir);
	cr_assert_eq(symlink(target, link), 0);
	r = load_path(link);
	expect_error(&r, 0, "symbolic link");
}

Test(load, symbolic_link_inside_a_directory_is_reported)
{
	char link[512];
	result r;

	snprintf(link, sizeof(link), "%s/link.xml", t_dir);
	cr_assert_eq(symlink("/etc/passwd", link), 0);
	r = load_path(t_dir);
	cr_expect_eq(r.ret, -1);
	cr_expect(t_has_diag(&r.d, 0, "symbolic link"));
	release(&r);
}

Test(load, missing_file)
{
	char path[512];
	result r;

	snprintf(path, sizeof(path), "%s/nope.xml", t_dir);
	r = load_path(path);
	expect_error(&r, 0, "No such file");
}

Test(load, unreadable_file)
{
	char *p = t_write_str(t_dir, "secret.xml", "<portfolio " NS "/>");
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
	result r = load_path(t_dir);

	expect_error(&r, 0, "no portfolio files found");
}

Test(load, directory_is_searched_recursively_in_sorted_order_skipping_hidden)
{
	char sub[512], hidden[512];
	itr_diags d;
	itr_model *m;
	const char *paths[1] = {t_dir};

	snprintf(sub, sizeof(sub), "%s/b-sub", t_dir);
	snprintf(hidden, sizeof(hidden), "%s/.git", t_dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_assert_eq(mkdir(hidden, 0700), 0);
	free(t_write_str(t_dir, "a.xml", "<portfolio " NS "><vendor id='v' name='V'/></portfolio>"));
	free(t_write_str(sub, "c.xml", "<portfolio " NS "><vendor id='w' name='W'/></portfolio>"));
	free(t_write_str(t_dir, "notes.txt", "not xml"));
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
	char *p = t_write_str(t_dir, "a.xml", "<portfolio " NS "><vendor id='v' name='V'/></portfolio>");
	const char *paths[] = {p, t_dir, p};
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
	char *a = t_write_str(t_dir, "a.xml", "<portfolio " NS ">\n<vendor id=\"x\"/>\n</portfolio>\n");
	char *b = t_write_str(t_dir, "b.xml", "<portfolio " NS ">\n\n<vendor name=\"y\"/>\n</portfolio>\n");
	const char *paths[] = {t_dir};
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

/* ---- loading ahead on two threads ---------------------------------------- */

/*
 * itr_load() builds each good portfolio file on one of two threads into a
 * model of its own and joins them in file order; every other file, and every
 * file from the one that takes the run past its element limit, it loads on
 * the calling thread as it always did. These tests load the same documents
 * both ways and want the same model and the same diagnostics, in the same
 * order. The workers leave a file to the calling thread when its bytes do
 * not name the portfolio namespace, so a document whose namespace is written
 * with a character reference (the same document to libxml2) is loaded the
 * old way: that is how the tests choose.
 */

#define NS_URI "urn:itorisk:portfolio:1"

typedef enum { AHEAD, SERIAL, MIXED } how;

/* text, with its namespace written so that the workers leave it alone when
 * `serial`. Caller frees. */
static char *spelled(const char *text, bool serial)
{
	const char *at = strstr(text, NS_URI);
	itr_buf b = ITR_BUF_INIT;

	cr_assert_not_null(at);
	itr_buf_add(&b, text, (size_t)(at - text));
	itr_buf_puts(&b, serial ? "urn:itorisk:portfolio&#58;1" : NS_URI);
	itr_buf_puts(&b, at + strlen(NS_URI));
	return itr_buf_detach(&b);
}

/* Load n documents in memory, named names[i]; with MIXED, every other one is
 * left to the calling thread. */
static int load_docs(itr_model **out, char *const *names, char *const *texts, size_t n,
		     const itr_limits *lim, how h, itr_diags *d)
{
	itr_source *src = itr_xcalloc(n, sizeof(*src));
	char **own = itr_xcalloc(n, sizeof(*own));
	int ret;

	for (size_t i = 0; i < n; i++) {
		own[i] = spelled(texts[i], h == SERIAL || (h == MIXED && i % 2));
		src[i] = (itr_source){names[i], own[i], strlen(own[i])};
	}
	ret = itr_load(out, src, n, lim, d);
	for (size_t i = 0; i < n; i++)
		free(own[i]);
	free(own);
	free(src);
	return ret;
}

static void put_loc(itr_buf *b, itr_loc l)
{
	itr_buf_printf(b, " @%s:%ld:%ld", l.file ? l.file : "-", l.line, l.col);
}

static void put_str(itr_buf *b, const char *s)
{
	itr_buf_printf(b, " '%s'", s ? s : "(null)");
}

static void put_ref(itr_buf *b, const itr_ref *r)
{
	put_str(b, r->id);
	itr_buf_printf(b, "->%zu", r->target);
	put_loc(b, r->loc);
}

static void put_refs(itr_buf *b, const char *what, const itr_ref *r, size_t n)
{
	itr_buf_printf(b, "\n  %s %zu:", what, n);
	for (size_t i = 0; i < n; i++)
		put_ref(b, &r[i]);
}

static void put_duration(itr_buf *b, itr_duration d)
{
	put_str(b, d.text);
	itr_buf_printf(b, "=%.17g", d.seconds);
}

static void put_data(itr_buf *b, const itr_data *d, size_t n)
{
	itr_buf_printf(b, "\n  data %zu:", n);
	for (size_t i = 0; i < n; i++) {
		itr_buf_printf(b, " %d/%d", (int)d[i].classification, d[i].personal);
		put_str(b, d[i].location);
		put_loc(b, d[i].loc);
	}
}

/* Everything a loaded model holds, one record a paragraph: two models print
 * the same when they are the same. Caller frees. */
static char *model_text(const itr_model *m)
{
	const itr_pattr *pattrs[] = {&m->name, &m->home_country, &m->currency, &m->as_of_text};
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < ITR_ARRAY_LEN(pattrs); i++) {
		itr_buf_puts(&b, "pattr");
		put_str(&b, pattrs[i]->value);
		put_loc(&b, pattrs[i]->loc);
		itr_buf_putc(&b, '\n');
	}
	itr_buf_printf(&b, "as-of %d, %zu files:", (int)m->as_of, m->nfiles);
	for (size_t i = 0; i < m->nfiles; i++)
		put_str(&b, m->files[i]);
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];

		itr_buf_printf(&b, "\nvendor %zu", v->elem);
		put_str(&b, v->id);
		put_str(&b, v->name);
		put_str(&b, v->country);
		put_str(&b, v->lei);
		itr_buf_printf(&b, " kind %d imported %d", (int)v->kind, v->imported);
		put_loc(&b, v->loc);
		put_refs(&b, "parent", &v->parent, v->parent.id ? 1 : 0);
		put_refs(&b, "relies-on", v->relies_on, v->nrelies);
		itr_buf_printf(&b, "\n  certs %zu:", v->ncerts);
		for (size_t k = 0; k < v->ncerts; k++) {
			put_str(&b, v->certs[k].name);
			itr_buf_printf(&b, " %d", (int)v->certs[k].expires);
			put_loc(&b, v->certs[k].loc);
		}
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		itr_buf_printf(&b, "\nservice %zu contract %zu", s->elem, s->contract);
		put_str(&b, s->id);
		put_str(&b, s->name);
		itr_buf_printf(&b, " crit %d/%d availability %.17g", (int)s->criticality,
			       s->criticality_set, s->availability);
		put_str(&b, s->delivered_from);
		put_str(&b, s->owner);
		put_str(&b, s->trust_zone);
		itr_buf_printf(&b, " boundary %d imported %d rto", s->trust_boundary, s->imported);
		put_duration(&b, s->rto);
		put_loc(&b, s->loc);
		put_refs(&b, "provider", &s->provider, s->provider.id ? 1 : 0);
		put_refs(&b, "needs", s->needs, s->nneeds);
		for (size_t g = 0; g < s->ngroups; g++) {
			itr_buf_printf(&b, "\n  group min %lu", s->groups[g].min);
			put_loc(&b, s->groups[g].loc);
			put_refs(&b, "options", s->groups[g].options, s->groups[g].nopts);
		}
		put_data(&b, s->data, s->ndata);
	}
	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *c = &m->contracts[i];

		itr_buf_puts(&b, "\ncontract");
		put_str(&b, c->id);
		itr_buf_printf(&b, " %d %d %d..%d auto-renew %d cost %.17g subcon %d imported %d",
			       (int)c->sourcing, (int)c->shoring, (int)c->start, (int)c->end,
			       c->auto_renew, c->annual_cost, (int)c->subcontracting, c->imported);
		itr_buf_printf(&b, " counts %u %u %u notice", c->nsla, c->nexit, c->nsubcon);
		put_duration(&b, c->notice);
		put_loc(&b, c->loc);
		put_refs(&b, "vendor", &c->vendor, 1);
		put_refs(&b, "covers", c->covers, c->ncovers);
		itr_buf_printf(&b, "\n  sla %d %.17g", c->sla.present, c->sla.availability);
		put_duration(&b, c->sla.rto);
		put_duration(&b, c->sla.rpo);
		put_loc(&b, c->sla.loc);
		itr_buf_printf(&b, "\n  exit %d plan %d tested %d subst %d cost %.17g",
			       c->exit.present, (int)c->exit.plan, (int)c->exit.tested_on,
			       (int)c->exit.substitutability, c->exit.cost);
		put_duration(&b, c->exit.transition);
		put_loc(&b, c->exit.loc);
		put_data(&b, c->data, c->ndata);
	}
	itr_buf_putc(&b, '\n');
	return itr_buf_detach(&b);
}

/* The line where a and b first differ, for failure messages ("" if none). Caller frees. */
static char *first_difference(const char *a, const char *b)
{
	long line = 1;
	const char *sol = a;
	itr_buf out = ITR_BUF_INIT;

	for (; *a && *a == *b; a++, b++)
		if (*a == '\n') {
			line++;
			sol = a + 1;
		}
	if (*a != *b)
		itr_buf_printf(&out, "line %ld: %.*s", line, (int)strcspn(sol, "\n"), sol);
	return itr_buf_detach(&out);
}

/* The documents of a generated portfolio of `files` files. */
static t_docs generated(size_t files)
{
	itr_gen_params p;

	itr_gen_params_default(&p);
	p.seed = 7;
	p.shape = ITR_GEN_SHAPE_ENTERPRISE;
	p.services = 1500;
	p.vendors = 150;
	p.links = 4500;
	p.files = files;
	return t_gen_docs(&p, false);
}

Test(load, files_loaded_ahead_make_the_model_the_calling_thread_makes)
{
	t_docs d = generated(13);
	char *text[3];
	const how hows[] = {AHEAD, SERIAL, MIXED};

	for (size_t k = 0; k < ITR_ARRAY_LEN(hows); k++) {
		itr_model *m = NULL;
		itr_diags diags;
		char *all;

		itr_diags_init(&diags);
		cr_assert_eq(load_docs(&m, d.name, d.text, d.n, NULL, hows[k], &diags), 0);
		all = t_all_diags(&diags);
		cr_assert_str_eq(all, "");
		free(all);
		cr_assert_eq(m->nfiles, 13);
		text[k] = model_text(m);
		itr_model_free(m);
		itr_diags_release(&diags);
	}
	cr_expect_gt(strlen(text[0]), 100000, "a real portfolio");
	for (size_t k = 1; k < ITR_ARRAY_LEN(hows); k++) {
		char *diff = first_difference(text[k], text[0]);

		cr_expect_str_eq(diff, "", "%s differs from AHEAD at %s",
				 k == 1 ? "SERIAL" : "MIXED", diff);
		free(diff);
	}
	for (size_t k = 0; k < ITR_ARRAY_LEN(hows); k++)
		free(text[k]);
	t_docs_free(&d);
}

/* The diagnostics of loading n documents, one per line, in the order they
 * were reported, and the result. Caller frees. */
static char *load_docs_diags(char *const *names, char *const *texts, size_t n,
			     const itr_limits *lim, how h, int *ret)
{
	itr_model *m = NULL;
	itr_diags d;
	char *all;

	itr_diags_init(&d);
	*ret = load_docs(&m, names, texts, n, lim, h, &d);
	cr_expect_eq(*ret == 0, m != NULL);
	all = t_all_diags(&d);
	itr_model_free(m);
	itr_diags_release(&d);
	return all;
}

/* Loaded ahead, serially and half and half: each way reports `want`. */
static void expect_diags(char *const *names, char *const *texts, size_t n, const itr_limits *lim,
			 int want_ret, const char *want)
{
	const how hows[] = {AHEAD, SERIAL, MIXED};

	for (size_t k = 0; k < ITR_ARRAY_LEN(hows); k++) {
		int ret;
		char *all = load_docs_diags(names, texts, n, lim, hows[k], &ret);

		cr_expect_eq(ret, want_ret, "way %zu", k);
		cr_expect_str_eq(all, want, "way %zu", k);
		free(all);
	}
}

/* Five documents a.xml .. e.xml of 11 elements: the root on line 1 and ten
 * vendors, one a line. */
static void eleven_elements(char *names[5], char *texts[5])
{
	for (int f = 0; f < 5; f++) {
		itr_buf b = ITR_BUF_INIT;

		itr_buf_printf(&b, "%c.xml", 'a' + f);
		names[f] = itr_buf_detach(&b);
		itr_buf_puts(&b, "<portfolio " NS ">\n");
		for (int v = 0; v < 10; v++)
			itr_buf_printf(&b, "<vendor id='%c%d' name='V'/>\n", 'a' + f, v);
		itr_buf_puts(&b, "</portfolio>\n");
		texts[f] = itr_buf_detach(&b);
	}
}

/*
 * The element count runs over the run: with a limit of 27, a.xml and b.xml
 * hold 22, and c.xml's element 28 is its sixth (line 6), where the count
 * stops it; d.xml and e.xml then fail at their roots. A limit of 55 takes
 * all five; 54 stops at e.xml's last vendor, line 11.
 */
Test(load, element_limit_crossed_in_a_middle_file_is_reported_at_its_element)
{
	static const char msg[] = "too many XML elements: this run exceeds the limit of %zu "
				  "elements (counted over all its files)";
	itr_limits lim = itr_default_limits;
	char *names[5], *texts[5], line[256];
	itr_buf want = ITR_BUF_INIT;

	eleven_elements(names, texts);
	lim.max_elements = 27;
	for (int f = 2; f < 5; f++) {
		snprintf(line, sizeof(line), msg, lim.max_elements);
		itr_buf_printf(&want, "%s:%d:0: %s\n", names[f], f == 2 ? 6 : 1, line);
	}
	expect_diags(names, texts, 5, &lim, -1, want.s);
	itr_buf_release(&want);

	lim.max_elements = 55;
	expect_diags(names, texts, 5, &lim, 0, "");

	lim.max_elements = 54;
	snprintf(line, sizeof(line), msg, lim.max_elements);
	itr_buf_printf(&want, "e.xml:11:0: %s\n", line);
	expect_diags(names, texts, 5, &lim, -1, want.s);
	itr_buf_release(&want);
	for (int f = 0; f < 5; f++) {
		free(names[f]);
		free(texts[f]);
	}
}

/*
 * The portfolio attributes of each file are compared with those of the
 * files before it, in file order, and each conflict is reported at the file
 * that brings it, naming where the value was first given.
 */
Test(load, conflicting_portfolio_attributes_are_reported_in_file_order)
{
	static const char *const roots[] = {
	    "currency='EUR'",
	    "name='Alpha'",
	    "currency='USD'",
	    "name='Beta' currency='GBP'",
	    "name='Alpha' currency='EUR'",
	};
	char *names[5], *texts[5];

	for (int f = 0; f < 5; f++) {
		itr_buf b = ITR_BUF_INIT;

		itr_buf_printf(&b, "%c.xml", 'a' + f);
		names[f] = itr_buf_detach(&b);
		itr_buf_printf(&b,
			       "<?xml version='1.0'?>\n<portfolio " NS " %s>\n"
			       "<vendor id='v%d' name='V'/>\n</portfolio>\n",
			       roots[f], f);
		texts[f] = itr_buf_detach(&b);
	}
	expect_diags(
	    names, texts, 5, NULL, -1,
	    "c.xml:2:0: portfolio attribute 'currency' is 'USD' here but 'EUR' at a.xml:2\n"
	    "d.xml:2:0: portfolio attribute 'name' is 'Beta' here but 'Alpha' at b.xml:2\n"
	    "d.xml:2:0: portfolio attribute 'currency' is 'GBP' here but 'EUR' at a.xml:2\n");
	for (int f = 0; f < 5; f++) {
		free(names[f]);
		free(texts[f]);
	}
}

/*
 * Broken files among good ones, each reported as it was before there were
 * workers: a schema violation, a malformed file, a bad date the model
 * refuses, and across files a duplicate id and a reference to nothing (the
 * integrity rules, once every file has loaded).
 */
Test(load, broken_files_among_good_ones_are_reported_as_before)
{
	static const char *const bodies[] = {
	    "<vendor id='v' name='V'/>",
	    "<vendor id='w'/>",
	    "<vendor id='x' name='X'/>\n<service id='s' name='S' provider='nobody'/>",
	    "<vendor id='v' name='V again'/>",
	    "<vendor id='y' name='Y'><certification name='ISO' expires='2026-02-30'/></vendor>",
	    "<vendor id='z' name='Z'>",
	};
	char *names[6], *texts[6];
	int ret;
	char *serial;

	for (int f = 0; f < 6; f++) {
		itr_buf b = ITR_BUF_INIT;

		itr_buf_printf(&b, "%c.xml", 'a' + f);
		names[f] = itr_buf_detach(&b);
		itr_buf_printf(&b, "<portfolio " NS ">\n%s\n</portfolio>\n", bodies[f]);
		texts[f] = itr_buf_detach(&b);
	}
	serial = load_docs_diags(names, texts, 6, NULL, SERIAL, &ret);
	cr_expect_eq(ret, -1);
	cr_expect(strstr(serial, "b.xml:2:0: ") != NULL, "%s", serial);
	cr_expect(strstr(serial, "f.xml:") != NULL, "%s", serial);
	expect_diags(names, texts, 6, NULL, -1, serial);
	free(serial);

	/* without the files that fail on their own: the integrity rules speak */
	free(texts[1]);
	free(texts[4]);
	free(texts[5]);
	texts[1] = t_portfolio("<vendor id='w' name='W'/>");
	texts[4] = t_portfolio("");
	texts[5] = t_portfolio("");
	serial = load_docs_diags(names, texts, 6, NULL, SERIAL, &ret);
	cr_expect(strstr(serial, "duplicate id 'v'") != NULL, "%s", serial);
	cr_expect(strstr(serial, "names no vendor") != NULL, "%s", serial);
	expect_diags(names, texts, 6, NULL, -1, serial);
	free(serial);
	for (int f = 0; f < 6; f++) {
		free(names[f]);
		free(texts[f]);
	}
}

/* ---- the stream and the tree build the same model ------------------------ */

static const char *str(const char *s)
{
	return s ? s : "(none)";
}

static void dump_loc(itr_buf *b, itr_loc l)
{
	itr_buf_printf(b, " @%s:%ld:%ld", str(l.file), l.line, l.col);
}

static void dump_ref(itr_buf *b, const char *what, const itr_ref *r)
{
	itr_buf_printf(b, " %s=%s->%zu", what, str(r->id), r->target);
	dump_loc(b, r->loc);
}

static void dump_dur(itr_buf *b, const char *what, itr_duration d)
{
	itr_buf_printf(b, " %s=%s/%.17g", what, str(d.text), d.seconds);
}

static void dump_data(itr_buf *b, const itr_data *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		itr_buf_printf(b, "\n  data %d %d %s", (int)d[i].classification, d[i].personal,
			       str(d[i].location));
		dump_loc(b, d[i].loc);
	}
}

/* Every field the loader sets, as text. */
static char *dump_model(const itr_model *m)
{
	itr_buf b = ITR_BUF_INIT;
	const itr_pattr *pa[] = {&m->name, &m->home_country, &m->currency, &m->as_of_text};

	for (size_t i = 0; i < ITR_ARRAY_LEN(pa); i++) {
		itr_buf_printf(&b, "pattr %s", str(pa[i]->value));
		dump_loc(&b, pa[i]->loc);
		itr_buf_putc(&b, '\n');
	}
	for (size_t i = 0; i < m->nvendors; i++) {
		const itr_vendor *v = &m->vendors[i];

		itr_buf_printf(&b, "vendor %s '%s' %s %d %s", v->id, v->name, str(v->country),
			       (int)v->kind, str(v->lei));
		dump_ref(&b, "parent", &v->parent);
		dump_loc(&b, v->loc);
		for (size_t k = 0; k < v->ncerts; k++) {
			itr_buf_printf(&b, "\n  cert '%s' %ld", v->certs[k].name,
				       (long)v->certs[k].expires);
			dump_loc(&b, v->certs[k].loc);
		}
		for (size_t k = 0; k < v->nrelies; k++)
			dump_ref(&b, "\n  relies", &v->relies_on[k]);
		itr_buf_putc(&b, '\n');
	}
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];

		itr_buf_printf(&b, "service %s '%s' %d %d %s %.17g '%s'", s->id, s->name,
			       (int)s->criticality, s->criticality_set, str(s->delivered_from),
			       s->availability, str(s->owner));
		dump_ref(&b, "provider", &s->provider);
		dump_dur(&b, "rto", s->rto);
		dump_loc(&b, s->loc);
		for (size_t k = 0; k < s->nneeds; k++)
			dump_ref(&b, "\n  needs", &s->needs[k]);
		for (size_t g = 0; g < s->ngroups; g++) {
			itr_buf_printf(&b, "\n  group %lu", s->groups[g].min);
			dump_loc(&b, s->groups[g].loc);
			for (size_t k = 0; k < s->groups[g].nopts; k++)
				dump_ref(&b, "\n    option", &s->groups[g].options[k]);
		}
		dump_data(&b, s->data, s->ndata);
		itr_buf_putc(&b, '\n');
	}
	for (size_t i = 0; i < m->ncontracts; i++) {
		const itr_contract *k = &m->contracts[i];

		itr_buf_printf(&b, "contract %s %d %d %ld %ld %d %.17g %u %u %u %d", k->id,
			       (int)k->sourcing, (int)k->shoring, (long)k->start, (long)k->end,
			       k->auto_renew, k->annual_cost, k->nsla, k->nexit, k->nsubcon,
			       (int)k->subcontracting);
		dump_ref(&b, "vendor", &k->vendor);
		dump_dur(&b, "notice", k->notice);
		dump_loc(&b, k->loc);
		itr_buf_printf(&b, "\n  sla %d %.17g", k->sla.present, k->sla.availability);
		dump_dur(&b, "rto", k->sla.rto);
		dump_dur(&b, "rpo", k->sla.rpo);
		dump_loc(&b, k->sla.loc);
		itr_buf_printf(&b, "\n  exit %d %d %ld %d %.17g", k->exit.present, (int)k->exit.plan,
			       (long)k->exit.tested_on, (int)k->exit.substitutability, k->exit.cost);
		dump_dur(&b, "transition", k->exit.transition);
		dump_loc(&b, k->exit.loc);
		for (size_t c = 0; c < k->ncovers; c++)
			dump_ref(&b, "\n  covers", &k->covers[c]);
		dump_data(&b, k->data, k->ndata);
		itr_buf_putc(&b, '\n');
	}
	return itr_buf_detach(&b);
}

/* Load the sources with the files loaded ahead by the stream (the default)
 * or by the tree (ITORISK_LOAD_TREE), and dump the model. */
static char *load_dump(const itr_source *src, size_t n, bool tree)
{
	itr_model *m = NULL;
	itr_diags d;
	char *dump, *all;

	if (tree)
		setenv("ITORISK_LOAD_TREE", "1", 1);
	else
		unsetenv("ITORISK_LOAD_TREE");
	itr_diags_init(&d);
	all = (itr_load(&m, src, n, NULL, &d), t_all_diags(&d));
	cr_assert_not_null(m, "%s:\n%s", tree ? "tree" : "stream", all);
	dump = dump_model(m);
	free(all);
	itr_diags_release(&d);
	itr_model_free(m);
	unsetenv("ITORISK_LOAD_TREE");
	return dump;
}

Test(load, stream_and_tree_build_the_same_model_of_every_attribute)
{
	/* two files, so that both are loaded ahead; every element and
	 * attribute, escapes, a start tag over three lines, empty values */
	char *a = t_portfolio(
		"<vendor id='v1' name='A &amp; B &#38; C &lt;&gt; &quot;q&quot; &#233;' country='DE'"
		" kind='subsidiary' parent='g' lei='529900T8BM49AURSDO55'>"
		"<certification name='ISO 27001' expires='2027-03-31'/><relies-on ref='f'/>"
		"<certification name='SOC2'/><relies-on ref='g'/></vendor>\n"
		"<vendor id='g' name='G'/><vendor id='f' name='F\tx\ny'/>\n"
		"<service id='s1' name='S1'\n  criticality='critical' provider='v1'\n"
		"  delivered-from='FR' rto='PT4H' availability='99.95' owner=''>\n"
		"<needs ref='s2'/><needs-any min='2'><option ref='s2'/><option ref='s3'/>"
		"<option ref='s4'/></needs-any><data classification='restricted' personal='true'"
		" location='US'/><needs-any min='1'><option ref='s3'/></needs-any>"
		"<data classification='public' personal='0'/><needs ref='s3'/></service>\n"
		"<service id='s2' name='S2' criticality='low' provider='v1'/>");
	char *b = t_portfolio(
		"<service id='s3' name='S3' provider='g'/><service id='s4' name='S4'/>\n"
		"<contract id='k1' vendor='v1' sourcing='co-sourcing' shoring='nearshore'"
		" start='2020-01-01' end='2027-06-30' notice='P90D' auto-renew='false'"
		" annual-cost='1200000.50'><covers ref='s1'/><sla availability='99.9' rto='PT2H'"
		" rpo='PT15M'/><exit plan='tested' tested-on='2025-02-01' transition='P6M'"
		" substitutability='hard' cost='300000'/><data classification='confidential'/>"
		"<subcontracting allowed='with-approval'/><covers ref='s2'/></contract>\n"
		"<contract id='k2' vendor='g' sourcing='total' shoring='offshore' start='2024-01-01'"
		" auto-renew='1'><covers ref='s3'/></contract>");
	itr_source src[2] = {{"a.xml", a, strlen(a)}, {"b.xml", b, strlen(b)}};
	char *stream = load_dump(src, 2, false), *tree = load_dump(src, 2, true);

	cr_expect_str_eq(stream, tree);
	cr_expect(strstr(stream, "'A & B & C <> \"q\" \xc3\xa9'") != NULL, "%s", stream);
	cr_expect(strstr(stream, "'F x y'") != NULL, "attribute whitespace normalised: %s",
		  stream);
	cr_expect(strstr(stream, "service s1 'S1' 0 1 FR 99.950000000000003 ''") != NULL, "%s",
		  stream);
	free(stream);
	free(tree);
	free(a);
	free(b);
}

Test(load, stream_and_tree_build_the_same_model_of_generated_portfolios)
{
	for (unsigned long seed = 1; seed <= 6; seed++) {
		itr_gen_params p;
		t_docs docs;
		itr_source *src;
		char *stream, *tree;
		size_t nf;

		itr_gen_params_default(&p);
		p.seed = seed;
		p.services = 40 + 20 * seed;
		p.files = 2 + seed % 3;
		p.shape = seed % 2 ? ITR_GEN_SHAPE_RANDOM : ITR_GEN_SHAPE_ENTERPRISE;
		docs = t_gen_docs(&p, false);
		nf = docs.n;
		src = calloc(nf, sizeof(*src));
		for (size_t i = 0; i < nf; i++)
			src[i] = (itr_source){docs.name[i], docs.text[i], docs.len[i]};
		stream = load_dump(src, nf, false);
		tree = load_dump(src, nf, true);
		cr_expect_str_eq(stream, tree, "seed %lu", seed);
		free(stream);
		free(tree);
		t_docs_free(&docs);
		free(src);
	}
}
