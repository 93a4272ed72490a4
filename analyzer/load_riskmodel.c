/* Loading the risk model: the built-in default, then a user's file over it. */
#include "itorisk/riskmodel.h"

#include "xmlsafe.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#define NS_RISK "urn:itorisk:risk-model:1"

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void itr_riskmodel_free(itr_riskmodel *rm)
{
	if (!rm)
		return;
	free(rm->name);
	free_list(rm->personal_countries, rm->npersonal);
	free_list(rm->confidential_countries, rm->nconfidential);
	free_list(rm->required_certs, rm->nrequired);
	free(rm->severity);
	free(rm);
}

/* Split a whitespace-separated list into sorted, owned strings. */
static void set_list(char ***v, size_t *n, const char *text)
{
	const char *p = text ? text : "";

	free_list(*v, *n);
	*v = NULL;
	*n = 0;
	while (*p) {
		size_t len;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		len = strcspn(p, " \t\r\n");
		if (len) {
			*v = itr_xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[(*n)++] = itr_xstrndup(p, len);
		}
		p += len;
	}
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), itr_strcmp_p);
}

static void num(const xmlNode *n, const char *name, double *out)
{
	const char *s = itr_xml_attr(n, name);

	if (s)
		*out = strtod(s, NULL);
}

static void uns(const xmlNode *n, const char *name, unsigned *out)
{
	const char *s = itr_xml_attr(n, name);

	if (s)
		*out = (unsigned)strtoul(s, NULL, 10);
}

/* Apply one schema-valid document over rm. */
static void apply(itr_riskmodel *rm, itr_xml_ctx *ctx, const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	const char *name = itr_xml_attr(root, "name");
	size_t nrules;
	const itr_rule *rules = itr_rules(&nrules);

	if (name) {
		free(rm->name);
		rm->name = itr_xstrdup(name);
	}
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (itr_xml_is(n, "continuity")) {
			uns(n, "horizon-days", &rm->horizon_days);
			uns(n, "exit-test-max-age-days", &rm->exit_test_max_age_days);
			uns(n, "end-cluster-min", &rm->end_cluster_min);
		} else if (itr_xml_is(n, "concentration")) {
			num(n, "hhi-moderate", &rm->hhi_moderate);
			num(n, "hhi-high", &rm->hhi_high);
			num(n, "max-vendor-share", &rm->max_vendor_share);
			num(n, "max-group-share", &rm->max_group_share);
			num(n, "max-country-share", &rm->max_country_share);
		} else if (itr_xml_is(n, "allowed-countries")) {
			const char *which = itr_xml_attr(n, "data");
			xmlChar *text = xmlNodeGetContent(n);

			if (which && strcmp(which, "personal") == 0)
				set_list(&rm->personal_countries, &rm->npersonal, (const char *)text);
			else
				set_list(&rm->confidential_countries, &rm->nconfidential,
					 (const char *)text);
			xmlFree(text);
		} else if (itr_xml_is(n, "required-certifications")) {
			xmlChar *text = xmlNodeGetContent(n);

			set_list(&rm->required_certs, &rm->nrequired, (const char *)text);
			xmlFree(text);
		} else if (itr_xml_is(n, "cut-sets")) {
			const char *max = itr_xml_attr(n, "max-per-service");

			uns(n, "order", &rm->cut_order);
			if (max)
				rm->max_cut_sets = (size_t)strtoull(max, NULL, 10);
		} else if (itr_xml_is(n, "weights")) {
			num(n, "impact", &rm->w_impact);
			num(n, "concentration", &rm->w_concentration);
			num(n, "continuity", &rm->w_continuity);
			num(n, "security", &rm->w_security);
		} else if (itr_xml_is(n, "rule")) {
			const char *id = itr_xml_attr(n, "id"), *sev = itr_xml_attr(n, "severity");
			const itr_rule *r = itr_rule_find(id);

			if (!r) {
				itr_xml_error(ctx, itr_xml_line(n), "unknown rule '%s'", id);
				continue;
			}
			itr_severity_parse(sev, &rm->severity[r - rules]);
		}
	}
	if (rm->hhi_moderate > rm->hhi_high)
		itr_xml_error(ctx, itr_xml_line(root),
			      "hhi-moderate (%g) is above hhi-high (%g)", rm->hhi_moderate,
			      rm->hhi_high);
	if (rm->w_impact + rm->w_concentration + rm->w_continuity + rm->w_security <= 0)
		itr_xml_error(ctx, itr_xml_line(root), "the score weights add up to zero");
	(void)nrules;
}

/* Parse, check the root, validate and apply one document. */
static int load_doc(itr_riskmodel *rm, xmlSchemaPtr schema, itr_xml_ctx *ctx, const char *buf,
		    size_t len)
{
	xmlDocPtr doc = itr_xml_parse(ctx, buf, len);
	const char *ns;
	const xmlNode *root;

	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	ns = itr_xml_root_ns(doc);
	if (!root || strcmp((const char *)root->name, "risk-model") != 0 || !ns ||
	    strcmp(ns, NS_RISK) != 0)
		itr_xml_error(ctx, root ? itr_xml_line(root) : 1,
			      "the root element must be <risk-model xmlns=\"%s\">", NS_RISK);
	else if (itr_xml_validate(ctx, schema, doc) == 0)
		apply(rm, ctx, doc);
	xmlFreeDoc(doc);
	return ctx->failed ? -1 : 0;
}

int itr_riskmodel_load(itr_riskmodel **out, const char *path, itr_diags *diags)
{
	itr_riskmodel *rm = itr_xcalloc(1, sizeof(*rm));
	itr_xml_ctx ctx = {diags, "<built-in risk model>", 0, 100000, false};
	xmlSchemaPtr schema;
	size_t nrules;
	int ret;

	itr_rules(&nrules);
	rm->nrules = nrules;
	rm->severity = itr_xcalloc(nrules, sizeof(*rm->severity));
	for (size_t i = 0; i < nrules; i++)
		rm->severity[i] = itr_rules(&nrules)[i].severity;
	itr_xml_begin(&ctx);
	schema = itr_xml_schema(itr_risk_model_xsd, itr_risk_model_xsd_len);
	ret = load_doc(rm, schema, &ctx, (const char *)itr_default_risk_model,
		       itr_default_risk_model_len);
	if (ret != 0)
		itr_die("the built-in risk model is invalid");
	if (path) {
		char *buf;
		size_t len;

		ctx.file = path;
		ret = itr_xml_read_file(path, 4u << 20, &buf, &len, diags);
		if (ret == 0) {
			ret = load_doc(rm, schema, &ctx, buf, len);
			free(buf);
		}
	}
	xmlSchemaFree(schema);
	itr_xml_end();
	if (ret != 0) {
		itr_riskmodel_free(rm);
		*out = NULL;
		return -1;
	}
	*out = rm;
	return 0;
}

itr_severity itr_riskmodel_severity(const itr_riskmodel *rm, const char *rule)
{
	return itr_riskmodel_rule_severity(rm, itr_rule_find(rule));
}

itr_severity itr_riskmodel_rule_severity(const itr_riskmodel *rm, const itr_rule *r)
{
	size_t n;
	const itr_rule *rules = itr_rules(&n);

	if (!r)
		return ITR_SEV_MEDIUM;
	return rm ? rm->severity[r - rules] : r->severity;
}

static bool in_list(char *const *v, size_t n, const char *country, const char *home)
{
	/* first bytes compared inline: this runs for every data item of every
	 * service and contract, over lists of dozens of countries */
	for (size_t i = 0; i < n; i++) {
		if (v[i][0] == country[0] && strcmp(v[i], country) == 0)
			return true;
		if (home && v[i][0] == 'h' && strcmp(v[i], "home") == 0 && strcmp(home, country) == 0)
			return true;
	}
	return false;
}

bool itr_riskmodel_allows(const itr_riskmodel *rm, bool personal, const char *country,
			  const char *home)
{
	if (personal)
		return in_list(rm->personal_countries, rm->npersonal, country, home);
	return in_list(rm->confidential_countries, rm->nconfidential, country, home);
}
