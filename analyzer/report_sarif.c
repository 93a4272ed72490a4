/*
 * SARIF 2.1.0, as GitHub code scanning reads it (../shared/FACTS.md): every
 * rule of the catalogue declared with its texts even when it did not fire,
 * results with a repository-relative location and a partial fingerprint
 * computed from the rule and the logical key only. A clean run has
 * "results": []. Also the path normalisation the CI formats share.
 */
#include "itorisk/gate.h"
#include "itorisk/report.h"

#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FP_NAME "itoriskFingerprint/v1"

char *itr_report_path(const char *file)
{
	itr_buf out = ITR_BUF_INIT;
	const char **seg;
	size_t nseg = 0, cap = 0;
	char *copy = itr_xstrdup(file ? file : ""), *save = NULL;
	bool absolute = copy[0] == '/';

	seg = NULL;
	for (char *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (strcmp(t, ".") == 0)
			continue;
		if (strcmp(t, "..") == 0 && nseg > 0 && strcmp(seg[nseg - 1], "..") != 0) {
			nseg--;
			continue;
		}
		if (strcmp(t, "..") == 0 && absolute)
			continue; /* "/.." is "/" */
		ITR_GROW(seg, cap, nseg + 1);
		seg[nseg++] = t;
	}
	if (absolute)
		itr_buf_putc(&out, '/');
	for (size_t i = 0; i < nseg; i++) {
		if (i)
			itr_buf_putc(&out, '/');
		itr_buf_puts(&out, seg[i]);
	}
	if (out.len == 0)
		itr_buf_putc(&out, '.');
	free(seg);
	free(copy);
	return itr_buf_detach(&out);
}

/* RFC 3986: keep unreserved characters and '/', percent-encode every other byte. */
static void uri(itr_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";

	if (path[0] == '/')
		itr_buf_puts(b, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p)) {
			itr_buf_putc(b, (char)*p);
		} else {
			itr_buf_putc(b, '%');
			itr_buf_putc(b, hex[*p >> 4]);
			itr_buf_putc(b, hex[*p & 0xf]);
		}
	}
}

/* critical and high fail a build, medium warns, low and info inform. */
static const char *level(itr_severity s)
{
	return s >= ITR_SEV_HIGH ? "error" : s == ITR_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub's bands: critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9. */
static const char *security_severity(itr_severity s)
{
	static const char *const v[ITR_SEV_COUNT] = {"1.0", "3.0", "5.5", "8.0", "9.5"};

	return v[s];
}

static void text_obj(itr_buf *b, const char *key, const char *text, const char *indent, bool last)
{
	itr_buf_printf(b, "%s\"%s\": {\"text\": ", indent, key);
	itr_json_string(b, text);
	itr_buf_puts(b, last ? "}\n" : "},\n");
}

static void rules(itr_buf *b)
{
	const char *in = "              ";
	size_t n;
	const itr_rule *r = itr_rules(&n);

	itr_buf_puts(b, "          \"rules\": [");
	for (size_t i = 0; i < n; i++) {
		itr_buf_puts(b, i ? ",\n            {\n" : "\n            {\n");
		itr_buf_printf(b, "%s\"id\": ", in);
		itr_json_string(b, r[i].id);
		itr_buf_puts(b, ",\n");
		text_obj(b, "shortDescription", r[i].summary, in, false);
		text_obj(b, "fullDescription", r[i].description, in, false);
		text_obj(b, "help", r[i].help, in, false);
		itr_buf_printf(b, "%s\"defaultConfiguration\": {\"level\": \"%s\"},\n", in,
			       level(r[i].severity));
		itr_buf_printf(b, "%s\"properties\": {", in);
		if (r[i].security)
			itr_buf_printf(b, "\"security-severity\": \"%s\", \"tags\": [\"security\"], ",
				       security_severity(r[i].severity));
		itr_buf_puts(b, "\"area\": ");
		itr_json_string(b, r[i].area);
		itr_buf_puts(b, ", \"severity\": ");
		itr_json_string(b, itr_severity_name(r[i].severity));
		itr_buf_puts(b, "}\n            }");
	}
	itr_buf_puts(b, n ? "\n          ]\n" : "]\n");
}

static long rule_index(const char *id)
{
	size_t n;
	const itr_rule *r = itr_rules(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].id, id) == 0)
			return (long)i;
	return -1;
}

static void result(itr_buf *b, const itr_model *m, const itr_finding *f, bool is_new)
{
	const char *in = "        ";
	char fp[ITR_FP_LEN + 1];
	char *path = itr_report_path(f->loc.file);
	long idx = rule_index(f->rule);

	itr_finding_fingerprint(fp, f);
	itr_buf_printf(b, "%s  \"ruleId\": ", in);
	itr_json_string(b, f->rule);
	if (idx >= 0)
		itr_buf_printf(b, ",\n%s  \"ruleIndex\": %ld", in, idx);
	itr_buf_printf(b, ",\n%s  \"level\": \"%s\",\n", in, level(f->severity));
	itr_buf_printf(b, "%s  \"message\": {\"text\": ", in);
	itr_json_string(b, f->message);
	itr_buf_printf(b, "},\n%s  \"locations\": [{\"physicalLocation\": {\"artifactLocation\": "
			  "{\"uri\": \"",
		       in);
	uri(b, path);
	itr_buf_printf(b, "\"}, \"region\": {\"startLine\": %ld}}}],\n",
		       f->loc.line > 0 ? f->loc.line : 1);
	itr_buf_printf(b, "%s  \"partialFingerprints\": {\"" FP_NAME "\": \"%s\"},\n", in, fp);
	if (is_new)
		itr_buf_printf(b, "%s  \"baselineState\": \"new\",\n", in);
	itr_buf_printf(b, "%s  \"properties\": {\"severity\": \"%s\", \"subject\": ", in,
		       itr_severity_name(f->severity));
	itr_json_string(b, f->subject);
	itr_buf_puts(b, ", \"key\": ");
	itr_json_string(b, f->key);
	itr_buf_puts(b, ", \"impacts\": [");
	for (size_t i = 0; i < f->impacts.n; i++) {
		if (i)
			itr_buf_puts(b, ", ");
		itr_json_string(b, itr_model_elem_id(m, f->impacts.v[i]));
	}
	itr_buf_puts(b, "]}\n");
	free(path);
}

static void sarif(itr_buf *b, const itr_model *m, const itr_finding *const *list, size_t n,
		  bool is_new)
{
	itr_buf_puts(b, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n"
			"  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n"
			"          \"name\": \"itorisk\",\n"
			"          \"version\": \"" ITR_VERSION "\",\n"
			"          \"semanticVersion\": \"" ITR_VERSION "\",\n");
	rules(b);
	itr_buf_puts(b, "        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n"
			"      \"results\": [");
	for (size_t i = 0; i < n; i++) {
		itr_buf_puts(b, i ? ",\n        {\n" : "\n        {\n");
		result(b, m, list[i], is_new);
		itr_buf_puts(b, "        }");
	}
	itr_buf_puts(b, n ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n");
}

void itr_report_sarif(itr_buf *out, const itr_audit *a)
{
	const itr_finding **list = itr_xcalloc(a->nfindings + 1, sizeof(*list));

	for (size_t i = 0; i < a->nfindings; i++)
		list[i] = &a->findings[i];
	sarif(out, a->model, list, a->nfindings, false);
	free(list);
}

void itr_report_diff_sarif(itr_buf *out, const itr_diff *d)
{
	sarif(out, d->head->model, d->added, d->nadded, true);
}
