/*
 * Loading a baseline file (load stage: libxml2 through xmlsafe.h only). The
 * file may come from anyone who can open a pull request, so it gets the same
 * treatment as a portfolio file: regular files only, a size cap, no DOCTYPE,
 * schema validation, every problem reported with its line.
 */
#include "itorisk/gate.h"

#include <stdlib.h>
#include <string.h>

#include "xmlsafe.h"

#include <libxml/parser.h>

/* A baseline holds one line per finding: 16 MiB is far more than any needs. */
#define MAX_BASELINE_BYTES (16u << 20)
#define MAX_BASELINE_ELEMENTS 1000000

static int cmp_entry(const void *pa, const void *pb)
{
	const itr_baseline_entry *a = pa, *b = pb;

	return strcmp(a->fingerprint, b->fingerprint);
}

/* The root must be ours and of a version we read, before the schema speaks:
 * its messages about a foreign root are cryptic. */
static int check_root(itr_xml_ctx *ctx, const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	const char *ns = itr_xml_root_ns(doc), *version;

	if (!root || strcmp((const char *)root->name, "baseline") != 0 || !ns ||
	    strcmp(ns, ITR_BASELINE_NS) != 0) {
		itr_xml_error(ctx, root ? itr_xml_line(root) : 1,
			      "the root element must be <baseline xmlns=\"%s\">", ITR_BASELINE_NS);
		return -1;
	}
	version = itr_xml_attr(root, "version");
	if (!version) {
		itr_xml_error(ctx, itr_xml_line(root), "the baseline has no 'version' attribute");
		return -1;
	}
	if (strcmp(version, ITR_BASELINE_VERSION) != 0) {
		itr_xml_error(ctx, itr_xml_line(root),
			      "unsupported baseline version '%s' (this itorisk reads version %s)",
			      version, ITR_BASELINE_VERSION);
		return -1;
	}
	return 0;
}

static void add_entries(itr_baseline *out, itr_xml_ctx *ctx, const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);

	for (const xmlNode *n = root->children; n; n = n->next) {
		const char *fp, *expires, *reason;
		itr_baseline_entry *e;

		if (!itr_xml_is(n, "finding"))
			continue;
		ITR_GROW(out->v, out->cap, out->n + 1);
		e = &out->v[out->n++];
		memset(e, 0, sizeof(*e));
		e->rule = itr_xstrdup(itr_xml_attr(n, "rule"));
		e->key = itr_xstrdup(itr_xml_attr(n, "key"));
		e->line = itr_xml_line(n);
		e->expires = ITR_DATE_NONE;
		reason = itr_xml_attr(n, "reason");
		if (reason)
			e->reason = itr_xstrdup(reason);
		itr_fingerprint(e->fingerprint, e->rule, e->key);
		fp = itr_xml_attr(n, "fingerprint");
		if (fp && strcmp(fp, e->fingerprint) != 0)
			itr_xml_error(ctx, e->line,
				      "fingerprint '%s' does not match rule '%s' and key '%s' (expected '%s')",
				      fp, e->rule, e->key, e->fingerprint);
		expires = itr_xml_attr(n, "expires");
		if (expires && itr_date_parse(expires, &e->expires) != 0)
			itr_xml_error(ctx, e->line, "bad date '%s' in attribute 'expires'", expires);
	}
}

/* Two entries for one finding would make its reason and expiry ambiguous. */
static void check_duplicates(const itr_baseline *b, itr_xml_ctx *ctx)
{
	for (size_t i = 1; i < b->n; i++)
		if (strcmp(b->v[i].fingerprint, b->v[i - 1].fingerprint) == 0)
			itr_xml_error(ctx, b->v[i].line > b->v[i - 1].line ? b->v[i].line : b->v[i - 1].line,
				      "duplicate baseline entry for rule '%s' and key '%s'", b->v[i].rule,
				      b->v[i].key);
}

int itr_baseline_load(itr_baseline *out, const char *path, itr_diags *diags)
{
	itr_xml_ctx ctx = {diags, path, 0, MAX_BASELINE_ELEMENTS, false};
	xmlSchemaPtr schema = NULL;
	xmlDocPtr doc = NULL;
	char *buf = NULL;
	size_t len = 0;
	bool bad = true;

	itr_baseline_init(out);
	if (itr_xml_read_file(path, MAX_BASELINE_BYTES, &buf, &len, diags) != 0)
		return -1;
	itr_xml_begin(&ctx);
	doc = itr_xml_parse(&ctx, buf, len);
	if (!doc || check_root(&ctx, doc) != 0)
		goto cleanup;
	schema = itr_xml_schema(itr_baseline_xsd, itr_baseline_xsd_len);
	if (itr_xml_validate(&ctx, schema, doc) != 0)
		goto cleanup;
	out->file = itr_xstrdup(path);
	add_entries(out, &ctx, doc);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_entry);
	check_duplicates(out, &ctx);
	bad = ctx.failed;
cleanup:
	itr_xml_end();
	xmlFreeDoc(doc);
	xmlSchemaFree(schema);
	free(buf);
	if (bad) {
		itr_baseline_release(out);
		return -1;
	}
	return 0;
}
