/*
 * JUnit XML (the Jenkins/Ant shape): a test suite per portfolio file, a
 * failing test case per finding in it, one passing test case for a file
 * with no findings. Also the XML escaping shared with baseline files.
 */
#include "itorisk/report.h"

#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s that XML 1.0 allows, or 0. */
static size_t xml_char_len(const unsigned char *s)
{
	unsigned long c;
	size_t n;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0; /* overlong or out of range */
	if ((c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)
		return 0; /* surrogates and non-characters XML forbids */
	return n;
}

void itr_report_xml_escape(itr_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = xml_char_len(s);

		if (n == 0) {
			itr_buf_puts(b, "\xef\xbf\xbd");
			s++;
			continue;
		}
		switch (*s) {
		case '&':
			itr_buf_puts(b, "&amp;");
			break;
		case '<':
			itr_buf_puts(b, "&lt;");
			break;
		case '>':
			itr_buf_puts(b, "&gt;");
			break;
		case '"':
			itr_buf_puts(b, "&quot;");
			break;
		case '\t':
			itr_buf_puts(b, "&#9;");
			break;
		case '\n':
			itr_buf_puts(b, "&#10;");
			break;
		case '\r':
			itr_buf_puts(b, "&#13;");
			break;
		default:
			itr_buf_add(b, (const char *)s, n);
		}
		s += n;
	}
}

static int cmp_findings_by_place(const void *pa, const void *pb)
{
	const itr_finding *x = *(const itr_finding *const *)pa, *y = *(const itr_finding *const *)pb;
	int c = strcmp(x->loc.file, y->loc.file);

	if (c)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if ((c = strcmp(x->rule, y->rule)) != 0)
		return c;
	return strcmp(x->key, y->key);
}

static void attr(itr_buf *b, const char *name, const char *value)
{
	itr_buf_printf(b, " %s=\"", name);
	itr_report_xml_escape(b, value);
	itr_buf_putc(b, '"');
}

static void testcase(itr_buf *b, const char *path, const itr_finding *f)
{
	itr_buf name = ITR_BUF_INIT, msg = ITR_BUF_INIT;

	itr_buf_printf(&name, "%s %s", f->rule, f->key);
	itr_buf_printf(&msg, "%s: %s", itr_severity_name(f->severity), f->message);
	itr_buf_puts(b, "    <testcase");
	attr(b, "classname", path);
	attr(b, "name", itr_buf_str(&name));
	attr(b, "file", path);
	itr_buf_printf(b, " line=\"%ld\" time=\"0\">\n      <failure", f->loc.line);
	attr(b, "type", f->rule);
	attr(b, "message", itr_buf_str(&msg));
	itr_buf_putc(b, '>');
	itr_report_xml_escape(b, path);
	itr_buf_printf(b, ":%ld: ", f->loc.line);
	itr_report_xml_escape(b, itr_buf_str(&msg));
	itr_buf_puts(b, " [");
	itr_report_xml_escape(b, f->rule);
	itr_buf_puts(b, "]</failure>\n    </testcase>\n");
	itr_buf_release(&name);
	itr_buf_release(&msg);
}

void itr_report_junit(itr_buf *out, const itr_audit *a)
{
	const itr_model *m = a->model;
	const itr_finding **fs = itr_xcalloc(a->nfindings + 1, sizeof(*fs));
	const char **files = itr_xcalloc(m->nfiles + 1, sizeof(*files));
	size_t k = 0, tests = 0;

	for (size_t i = 0; i < a->nfindings; i++)
		fs[i] = &a->findings[i];
	if (a->nfindings > 1)
		qsort(fs, a->nfindings, sizeof(*fs), cmp_findings_by_place);
	for (size_t i = 0; i < m->nfiles; i++)
		files[i] = m->files[i];
	if (m->nfiles > 1)
		qsort(files, m->nfiles, sizeof(*files), itr_strcmp_p);
	for (size_t i = 0; i < m->nfiles; i++) {
		size_t n = 0;

		for (size_t j = 0; j < a->nfindings; j++)
			n += strcmp(fs[j]->loc.file, files[i]) == 0;
		tests += n ? n : 1;
	}
	itr_buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<testsuites name=\"itorisk\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		       tests, a->nfindings);
	/* both lists are sorted by file: walk them together */
	for (size_t i = 0; i < m->nfiles; i++) {
		char *path = itr_report_path(files[i]);
		size_t first = k, n;

		while (k < a->nfindings && strcmp(fs[k]->loc.file, files[i]) < 0)
			k++; /* a finding in a file the model does not list: cannot happen */
		first = k;
		while (k < a->nfindings && strcmp(fs[k]->loc.file, files[i]) == 0)
			k++;
		n = k - first;
		itr_buf_puts(out, "  <testsuite");
		attr(out, "name", path);
		itr_buf_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
			       n ? n : 1, n);
		if (n == 0) {
			itr_buf_puts(out, "    <testcase");
			attr(out, "classname", path);
			itr_buf_puts(out, " name=\"no findings\"");
			attr(out, "file", path);
			itr_buf_puts(out, " time=\"0\"/>\n");
		}
		for (size_t j = first; j < k; j++)
			testcase(out, path, fs[j]);
		itr_buf_puts(out, "  </testsuite>\n");
		free(path);
	}
	itr_buf_puts(out, "</testsuites>\n");
	free(files);
	free(fs);
}
