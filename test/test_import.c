/*
 * The importers (issue 6): CycloneDX and ArchiMate files, the mapping file,
 * the merge with portfolio files. Figures on the real files in
 * test/fixtures/import/ were established independently by count.py (Python's
 * ElementTree) and xmllint, see test/fixtures/import/README.md; the answers
 * for the hand-made files were worked out by hand in the comments below.
 */
#include "helpers.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define FIX ITR_SOURCE_DIR "/test/fixtures/import/"
#define SAASBOM FIX "cyclonedx-1.6_saasbom_spec-test.xml"
#define CDX_NS "xmlns=\"http://cyclonedx.org/schema/bom/1.6\""
#define AM_HEAD                                                                                \
	"<model xmlns=\"http://www.opengroup.org/xsd/archimate/3.0/\" "                        \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" identifier=\"m\">\n"
#define MAP_NS "xmlns=\"urn:itorisk:mapping:1\""
#define PF_NS "xmlns=\"urn:itorisk:portfolio:1\""

static void setup(void)
{
	itr_graph_setup();
}

TestSuite(import, .init = setup);

/* ---- helpers ------------------------------------------------------------ */

typedef struct doc {
	const char *name, *xml;
} doc;

/* Load in-memory documents (named as given); NULL on failure, diags kept. */
static itr_model *load_docs(const doc *docs, size_t n, itr_diags *d)
{
	itr_source src[8];
	itr_model *m = NULL;

	cr_assert(n <= ITR_ARRAY_LEN(src));
	for (size_t i = 0; i < n; i++)
		src[i] = (itr_source){docs[i].name, docs[i].xml, strlen(docs[i].xml)};
	itr_diags_init(d);
	if (itr_load(&m, src, n, NULL, d) != 0)
		return NULL;
	return m;
}

static itr_model *load_ok_paths(const char *const *paths, size_t n)
{
	itr_diags d;
	itr_model *m;

	itr_diags_init(&d);
	m = t_load_paths(paths, n, &d);
	if (!m) {
		char *all = t_all_diags(&d);

		cr_log_error("load failed:\n%s", all);
		free(all);
	}
	cr_assert_not_null(m, "should load");
	itr_diags_release(&d);
	return m;
}

static itr_model *load_ok_docs(const doc *docs, size_t n)
{
	itr_diags d;
	itr_model *m = load_docs(docs, n, &d);

	if (!m) {
		char *all = t_all_diags(&d);

		cr_log_error("load failed:\n%s", all);
		free(all);
	}
	cr_assert_not_null(m, "should load");
	itr_diags_release(&d);
	return m;
}

/* The load fails with a diagnostic at file:line containing needle. */
static void expect_error(const doc *docs, size_t n, const char *file, long line,
			 const char *needle)
{
	itr_diags d;
	itr_model *m = load_docs(docs, n, &d);
	char *all = t_all_diags(&d);
	bool found = false;

	cr_expect_null(m, "load should fail");
	for (size_t i = 0; i < d.n; i++)
		found |= strcmp(d.v[i].file, file) == 0 && d.v[i].line == line &&
			 strstr(d.v[i].message, needle) != NULL;
	cr_expect(found, "expected %s:%ld with '%s', got:\n%s", file, line, needle, all);
	free(all);
	itr_model_free(m);
	itr_diags_release(&d);
}

static const itr_service *service(const itr_model *m, const char *id)
{
	size_t e = itr_model_find(m, id);

	cr_assert_neq(e, ITR_NONE, "no element '%s'", id);
	cr_assert_not_null(itr_model_elem_service(m, e), "'%s' is not a service", id);
	return itr_model_elem_service(m, e);
}

static const itr_vendor *vendor(const itr_model *m, const char *id)
{
	size_t e = itr_model_find(m, id);

	cr_assert_neq(e, ITR_NONE, "no element '%s'", id);
	cr_assert_not_null(itr_model_elem_vendor(m, e), "'%s' is not a vendor", id);
	return itr_model_elem_vendor(m, e);
}

typedef struct figures {
	size_t services, vendors, contracts, needs, provided, options, relies;
} figures;

static figures figures_of(const itr_model *m)
{
	figures f = {m->nservices, m->nvendors, m->ncontracts, 0, 0, 0, 0};

	for (size_t i = 0; i < m->nservices; i++) {
		f.needs += m->services[i].nneeds;
		f.provided += m->services[i].provider.id != NULL;
		for (size_t g = 0; g < m->services[i].ngroups; g++)
			f.options += m->services[i].groups[g].nopts;
	}
	for (size_t i = 0; i < m->nvendors; i++)
		f.relies += m->vendors[i].nrelies;
	return f;
}

static void expect_figures(const itr_model *m, figures want)
{
	figures got = figures_of(m);

	cr_expect_eq(got.services, want.services, "services %zu, expected %zu", got.services,
		     want.services);
	cr_expect_eq(got.vendors, want.vendors, "vendors %zu, expected %zu", got.vendors,
		     want.vendors);
	cr_expect_eq(got.contracts, want.contracts, "contracts %zu, expected %zu", got.contracts,
		     want.contracts);
	cr_expect_eq(got.needs, want.needs, "needs %zu, expected %zu", got.needs, want.needs);
	cr_expect_eq(got.provided, want.provided, "provided %zu, expected %zu", got.provided,
		     want.provided);
	cr_expect_eq(got.options, want.options, "options %zu, expected %zu", got.options,
		     want.options);
	cr_expect_eq(got.relies, want.relies, "relies-on %zu, expected %zu", got.relies,
		     want.relies);
}

/* Every vendor id, space separated. Caller frees. */
static char *vendor_ids(const itr_model *m)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < m->nvendors; i++)
		itr_buf_printf(&b, "%s%s", i ? " " : "", m->vendors[i].id);
	return itr_buf_detach(&b);
}

static void expect_vendors(const itr_model *m, const char *want)
{
	char *got = vendor_ids(m);

	cr_expect_str_eq(got, want, "vendors {%s}, expected {%s}", got, want);
	free(got);
}

static void expect_essential(const itr_model *m, const char *service_id, const char *want)
{
	itr_failnet net;
	itr_spof s;
	char *got;

	itr_failnet_build(&net, m);
	itr_spof_compute(&s, m, &net);
	got = t_essential(m, &s, service_id);
	cr_expect_str_eq(got, want, "essential(%s) = {%s}, expected {%s}", service_id, got, want);
	free(got);
	itr_spof_release(&s);
	itr_failnet_release(&net);
}

static void expect_needs(const itr_service *s, const char *want)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < s->nneeds; i++)
		itr_buf_printf(&b, "%s%s", i ? " " : "", s->needs[i].id);
	cr_expect_str_eq(itr_buf_str(&b), want, "'%s' needs {%s}, expected {%s}", s->id,
			 itr_buf_str(&b), want);
	itr_buf_release(&b);
}

/* ---- the real files ----------------------------------------------------- */

/* count.py: services=7 vendors=1 needs=6 provided=4. The four services with a
 * <provider> all name "Acme Inc"; Postgres and S3 have none (in-house), nor
 * has the BOM's subject. */
Test(import, real_saasbom_figures)
{
	const char *p[] = {SAASBOM};
	itr_model *m = load_ok_paths(p, 1);
	const itr_service *s;

	expect_figures(m, (figures){7, 1, 0, 6, 4, 0, 0});
	expect_vendors(m, "acme");
	cr_expect_str_eq(vendor(m, "acme")->name, "Acme Inc");
	cr_expect_eq(vendor(m, "acme")->loc.line, 12, "the first <provider>");
	s = service(m, "stock-ticker-service");
	cr_expect_eq(s->loc.line, 11);
	cr_expect(s->imported);
	cr_expect_str_eq(s->provider.id, "acme");
	expect_needs(s, "ms-1.example.com ms-2.example.com ms-3.example.com");
	cr_expect_str_eq(s->trust_zone, "Acme Public Zone");
	cr_expect_null(s->delivered_from, "a zone name is not a country");
	/* Customer (unknown: internal), PII and PIFI (confidential, personal:
	 * one entry), Public */
	cr_expect_eq(s->ndata, 3);
	expect_needs(service(m, "acme-stock-application"), "stock-ticker-service");
	cr_expect_null(service(m, "s3-example.amazon.com")->provider.id);
	itr_model_free(m);
}

/* count.py: services=2 vendors=2 needs=1 provided=2. The component's vendor
 * is its <publisher> "Acme Inc"; the service's its <provider> "Partner Org".
 * The service's bom-ref (a UUID starting with a letter) is an NCName and
 * stays; the component's (a purl) is not and is sanitised: ':', '/', '@'
 * become '_', then '-' and the FNV-1a hash of the bom-ref (computed apart
 * with Python). */
Test(import, real_service_figures)
{
	const char *p[] = {FIX "cyclonedx-1.6_service_spec-test.xml"};
	itr_model *m = load_ok_paths(p, 1);
	const itr_service *partner;

	expect_figures(m, (figures){2, 2, 0, 1, 2, 0, 0});
	expect_vendors(m, "acme partnerorg");
	partner = service(m, "b2a46a4b-8367-4bae-9820-95557cfe03a8");
	cr_expect_str_eq(partner->provider.id, "partnerorg");
	cr_expect(partner->trust_boundary);
	/* PII and PIFI: confidential personal (once); public; partner-data: internal */
	cr_expect_eq(partner->ndata, 3);
	cr_expect_eq(partner->data[0].classification, ITR_CLASS_CONFIDENTIAL);
	cr_expect_eq(partner->data[0].personal, 1);
	cr_expect_eq(partner->data[1].classification, ITR_CLASS_PUBLIC);
	cr_expect_eq(partner->data[2].classification, ITR_CLASS_INTERNAL);
	expect_needs(service(m, "pkg_maven_com.acme_stock-java-client_1.0.12-7908661c"), partner->id);
	itr_model_free(m);
}

/* count.py: services=1102 vendors=236 needs=1766 provided=976; xmllint:
 * 1101 components + the metadata component, 1766 inner <dependency>. */
Test(import, real_juice_shop_figures)
{
	const char *p[] = {FIX "cyclonedx-1.6_juice-shop_npm_flat.xml"};
	itr_model *m = load_ok_paths(p, 1);

	expect_figures(m, (figures){1102, 236, 0, 1766, 976, 0, 0});
	/* "Forbes Lindesay" and "ForbesLindesay" are one vendor */
	cr_expect_str_eq(vendor(m, "forbeslindesay")->id, "forbeslindesay");
	/* an author given as an e-mail address only: its local part */
	cr_expect_str_eq(vendor(m, "nspragg")->id, "nspragg");
	/* no author: the purl's namespace (@types/node, @npmcli/...) */
	cr_expect_str_eq(vendor(m, "types")->name, "@types");
	cr_expect_str_eq(vendor(m, "npmcli")->name, "@npmcli");
	itr_model_free(m);
}

/* count.py: services=31 (10 ApplicationComponent, 3 ApplicationService,
 * 5 TechnologyService, 4 Node, 5 Device, 4 SystemSoftware), vendors=17
 * BusinessActors (distinct names), needs=23 (Serving, Realization and
 * Assignment between two of those services); no actor is assigned to one of
 * them (their Assignments go to roles), so provided=0. */
Test(import, real_archisurance_figures)
{
	const char *p[] = {FIX "archimate-3.0_archisurance_exchange.xml"};
	itr_model *m = load_ok_paths(p, 1);

	expect_figures(m, (figures){31, 17, 0, 23, 0, 0, 0});
	itr_model_free(m);
}

/* ---- hand-made CycloneDX ------------------------------------------------ */

/*
 * hand-cyclonedx.xml: shop (critical) needs cart, lib-b, pay-a (lib-b listed
 * twice: once); cart needs lib-c; pay-a needs its nested pay-a-db.
 * Vendors: cart's supplier "ACME, Inc." and lib-b's author "Acme Inc (url)"
 * are both "acme"; lib-c has only a purl, namespace org.example ->
 * "orgexample"; pay-a's provider "PayCo Ltd" -> "payco"; unused's author
 * "nobody@example.org" -> "nobody"; pay-a-db has none (in-house).
 * 7 services, 4 vendors, 5 needs, 5 provided.
 * essential(shop) = everything it reaches and their vendors, not unused nor
 * nobody: acme, cart, lib-b, lib-c, orgexample, pay-a, pay-a-db, payco.
 */
#define CART "pkg_npm__40acme_cart_1.0.0-76a15c04"

Test(import, hand_made_cyclonedx)
{
	const char *p[] = {FIX "hand-cyclonedx.xml"};
	itr_model *m = load_ok_paths(p, 1);
	const itr_service *pay;

	expect_figures(m, (figures){7, 4, 0, 5, 5, 0, 0});
	expect_vendors(m, "acme nobody orgexample payco");
	cr_expect_str_eq(vendor(m, "acme")->name, "ACME, Inc.", "the first name seen");
	cr_expect_eq(vendor(m, "acme")->loc.line, 14, "its <supplier>");
	cr_expect_eq(service(m, "shop")->criticality, ITR_CRIT_CRITICAL);
	cr_expect_eq(service(m, "shop")->loc.line, 4);
	cr_expect_eq(service(m, CART)->loc.line, 13);
	cr_expect_str_eq(service(m, CART)->provider.id, "acme");
	cr_expect_str_eq(service(m, "lib-c")->provider.id, "orgexample");
	cr_expect_eq(service(m, "lib-c")->provider.loc.line, 24, "its <purl>");
	expect_needs(service(m, "shop"), "lib-b pay-a " CART);
	pay = service(m, "pay-a");
	cr_expect_str_eq(pay->trust_zone, "EU Zone");
	cr_expect_null(pay->delivered_from);
	cr_expect_eq(pay->ndata, 2, "PII and pii are one entry, Public another");
	cr_expect_eq(pay->data[0].loc.line, 37);
	expect_essential(m, "shop", "acme lib-b lib-c orgexample pay-a pay-a-db payco " CART);
	itr_model_free(m);
}

/* The same BOM in two files: imported elements merge by id, nothing repeats. */
Test(import, the_same_bom_twice_merges)
{
	const char *p[] = {FIX "hand-cyclonedx.xml", SAASBOM, FIX "hand-cyclonedx.xml"};
	char *bom = t_read(FIX "hand-cyclonedx.xml");
	doc docs[] = {{"a.xml", bom}, {"b.xml", bom}};
	itr_model *m = load_ok_docs(docs, 2);

	expect_figures(m, (figures){7, 4, 0, 5, 5, 0, 0});
	cr_expect_str_eq(service(m, "shop")->loc.file, "a.xml", "the first file's location");
	itr_model_free(m);
	free(bom);
	/* and the same file given twice is read once */
	m = load_ok_paths(p, 3);
	/* the SaaSBOM's "Acme Inc" is the hand-made BOM's "acme" */
	expect_figures(m, (figures){14, 4, 0, 11, 9, 0, 0});
	itr_model_free(m);
}

/* ---- hand-made ArchiMate ------------------------------------------------ */

/*
 * hand-archimate.xml: app (ApplicationService, property Criticality =
 * critical) is realised by comp (r1: app needs comp). comp is served by
 * or1 (any of db1, db2) and by and1 (all of net, dns). HostCo GmbH and
 * HOSTCO Ltd. are one vendor "hostco", assigned to db1 and db2; NetCo
 * (country FR) to net, and NetCo serves HostCo (hostco relies on netco). A
 * Flow and a Serving from a BusinessRole are not dependencies. sw is alone.
 * 7 services, 2 vendors, needs: app->comp, comp->dns, comp->net = 3;
 * one group of 2 options; provided: db1, db2, net = 3; relies-on 1.
 * essential(app) = comp, dns, hostco (both data centres), net, netco (net,
 * and hostco through relies-on); db1 or db2 alone are not.
 */
Test(import, hand_made_archimate)
{
	const char *p[] = {FIX "hand-archimate.xml"};
	itr_model *m = load_ok_paths(p, 1);
	const itr_service *comp;
	char *down;

	expect_figures(m, (figures){7, 2, 0, 3, 3, 2, 1});
	expect_vendors(m, "hostco netco");
	cr_expect_str_eq(vendor(m, "hostco")->name, "HostCo GmbH");
	cr_expect_eq(vendor(m, "hostco")->loc.line, 21);
	cr_expect_str_eq(vendor(m, "netco")->country, "FR");
	cr_expect_str_eq(vendor(m, "hostco")->relies_on[0].id, "netco");
	cr_expect_eq(vendor(m, "hostco")->relies_on[0].loc.line, 44, "relationship r13");
	cr_expect_eq(service(m, "app")->criticality, ITR_CRIT_CRITICAL);
	cr_expect_eq(service(m, "app")->loc.line, 6);
	cr_expect_str_eq(service(m, "app")->name, "Online Banking");
	cr_expect_str_eq(service(m, "db1")->provider.id, "hostco");
	comp = service(m, "comp");
	expect_needs(comp, "dns net");
	cr_assert_eq(comp->ngroups, 1);
	cr_expect_eq(comp->groups[0].min, 1);
	cr_expect_eq(comp->groups[0].loc.line, 16, "the or-junction");
	cr_expect_str_eq(comp->groups[0].options[0].id, "db1");
	cr_expect_str_eq(comp->groups[0].options[1].id, "db2");
	expect_essential(m, "app", "comp dns hostco net netco");
	down = t_down_after(m, "db1");
	cr_expect_str_eq(down, "db1", "the other data centre holds");
	free(down);
	itr_model_free(m);
}

/* ---- the mapping file --------------------------------------------------- */

static const char mapping[] =
	"<mapping " MAP_NS ">\n"
	"  <vendor-alias name=\"PAYCO\" vendor=\"payments-inc\"/>\n"
	"  <trust-zone name=\"eu zone\" country=\"DE\"/>\n"
	"  <classification name=\"Public\" as=\"internal\"/>\n"
	"  <property name=\"Business Criticality\" attribute=\"criticality\"/>\n"
	"  <property name=\"Criticality\" attribute=\"ignore\"/>\n"
	"  <criticality value=\"High\" as=\"important\"/>\n"
	"  <element-type name=\"Device\" as=\"ignore\"/>\n"
	"  <element-type name=\"BusinessRole\" as=\"vendor\"/>\n"
	"</mapping>\n";

static const char small_archimate[] =
	AM_HEAD
	"<elements>\n"
	"<element identifier=\"s\" xsi:type=\"ApplicationService\"><name>S</name><properties>\n"
	"<property propertyDefinitionRef=\"p1\"><value>High</value></property>\n"
	"<property propertyDefinitionRef=\"p2\"><value>low</value></property>\n"
	"</properties></element>\n"
	"<element identifier=\"d\" xsi:type=\"Device\"><name>D</name></element>\n"
	"<element identifier=\"r\" xsi:type=\"BusinessRole\"><name>Ops Team</name></element>\n"
	"</elements>\n"
	"<relationships>\n"
	"<relationship identifier=\"x\" source=\"r\" target=\"s\" xsi:type=\"Assignment\"/>\n"
	"</relationships>\n"
	"<propertyDefinitions>\n"
	"<propertyDefinition identifier=\"p1\"><name>Business Criticality</name></propertyDefinition>\n"
	"<propertyDefinition identifier=\"p2\"><name>Criticality</name></propertyDefinition>\n"
	"</propertyDefinitions>\n"
	"</model>\n";

/* With the mapping: PayCo Ltd -> payments-inc; EU Zone -> delivered from DE;
 * Public counts as internal (so pay-a has confidential+personal and
 * internal); "Business Criticality" High -> important, the plain
 * "Criticality" property is ignored; Devices are not imported; a
 * BusinessRole is a vendor ("opsteam") and provides s. The mapping file
 * comes last in path order and still applies. */
Test(import, mapping_file_renames_and_maps)
{
	char *bom = t_read(FIX "hand-cyclonedx.xml");
	doc docs[] = {{"a-bom.xml", bom}, {"b-model.xml", small_archimate}, {"z-map.xml", mapping}};
	itr_model *m = load_ok_docs(docs, 3);
	const itr_service *pay;

	expect_vendors(m, "acme nobody opsteam orgexample payments-inc");
	pay = service(m, "pay-a");
	cr_expect_str_eq(pay->provider.id, "payments-inc");
	cr_expect_str_eq(pay->delivered_from, "DE");
	cr_assert_eq(pay->ndata, 2);
	cr_expect_eq(pay->data[1].classification, ITR_CLASS_INTERNAL);
	cr_expect_eq(service(m, "s")->criticality, ITR_CRIT_IMPORTANT);
	cr_expect_str_eq(service(m, "s")->provider.id, "opsteam");
	cr_expect_eq(itr_model_find(m, "d"), ITR_NONE, "Devices are ignored");
	itr_model_free(m);
	free(bom);
}

Test(import, mapping_file_errors)
{
	doc bad_attr[] = {{"map.xml", "<mapping " MAP_NS ">\n"
					"<property name=\"x\" attribute=\"colour\"/>\n</mapping>\n"}};
	doc conflict[] = {
		{"m1.xml", "<mapping " MAP_NS ">\n<vendor-alias name=\"Acme Inc\" vendor=\"a\"/>\n"
			   "</mapping>\n"},
		{"m2.xml", "<mapping " MAP_NS ">\n\n<vendor-alias name=\"ACME\" vendor=\"b\"/>\n"
			   "</mapping>\n"}};
	doc same[] = {
		{"m1.xml", "<mapping " MAP_NS ">\n<criticality value=\"High\" as=\"critical\"/>\n"
			   "</mapping>\n"},
		{"m2.xml", "<mapping " MAP_NS ">\n<criticality value=\"high\" as=\"critical\"/>\n"
			   "</mapping>\n"},
		{"p.xml", "<portfolio " PF_NS "/>\n"}};
	itr_diags d;
	itr_model *m;

	expect_error(bad_attr, 1, "map.xml", 2, "colour");
	/* "Acme Inc" and "ACME" have one key */
	expect_error(conflict, 2, "m2.xml", 3, "vendor name 'acme' is mapped differently at m1.xml:2");
	m = load_docs(same, 3, &d);
	cr_expect_not_null(m, "the same mapping twice is fine");
	itr_model_free(m);
	itr_diags_release(&d);
}

/* ---- merging with portfolio files ---------------------------------------- */

/* The SaaSBOM plus a portfolio file giving criticality, a country and a
 * contract: the portfolio's attributes win, the BOM's dependencies stay,
 * and the element still points into the BOM. */
Test(import, portfolio_overrides_an_imported_element)
{
	const char *p[] = {SAASBOM, FIX "saasbom-override"};
	itr_model *m = load_ok_paths(p, 2);
	const itr_service *app = service(m, "acme-stock-application");

	expect_figures(m, (figures){7, 1, 1, 6, 4, 0, 0});
	cr_expect_eq(app->criticality, ITR_CRIT_CRITICAL);
	cr_expect_str_eq(app->loc.file, SAASBOM);
	cr_expect_eq(app->loc.line, 5);
	expect_needs(app, "stock-ticker-service");
	cr_expect_str_eq(vendor(m, "acme")->country, "US");
	cr_expect_eq(vendor(m, "acme")->loc.line, 12, "the BOM's <provider>");
	cr_expect_eq(service(m, "stock-ticker-service")->contract, 0);
	cr_expect_eq(service(m, "ms-2.example.com")->criticality, ITR_CRIT_IMPORTANT);
	expect_essential(m, "acme-stock-application",
			 "acme ms-1-pgsql.example.com ms-1.example.com ms-2.example.com "
			 "ms-3.example.com s3-example.amazon.com stock-ticker-service");
	itr_model_free(m);
}

/* The "done when": BOM + small portfolio = the hand-written
 * portfolio, finding for finding (rule, severity, subject, message, impacts). */
Test(import, saasbom_plus_portfolio_audits_like_the_hand_written_portfolio)
{
	const char *p1[] = {SAASBOM, FIX "saasbom-override"};
	const char *p2[] = {FIX "saasbom-equivalent"};
	itr_model *m1 = load_ok_paths(p1, 2), *m2 = load_ok_paths(p2, 1);
	itr_audit a1, a2;

	cr_assert_eq(itr_audit_run(&a1, m1, m1->as_of), 0);
	cr_assert_eq(itr_audit_run(&a2, m2, m2->as_of), 0);
	cr_expect(a1.nfindings > 0, "the example has findings");
	cr_assert_eq(a1.nfindings, a2.nfindings);
	for (size_t i = 0; i < a1.nfindings; i++) {
		const itr_finding *f1 = &a1.findings[i], *f2 = &a2.findings[i];
		char *i1 = t_ids(m1, &f1->impacts), *i2 = t_ids(m2, &f2->impacts);

		cr_expect_str_eq(f1->rule, f2->rule);
		cr_expect_eq(f1->severity, f2->severity);
		cr_expect_str_eq(f1->subject, f2->subject);
		cr_expect_str_eq(f1->message, f2->message);
		cr_expect_str_eq(i1, i2);
		free(i1);
		free(i2);
	}
	itr_audit_release(&a1);
	itr_audit_release(&a2);
	itr_model_free(m1);
	itr_model_free(m2);
}

/* Portfolio elements of one id stay an error, even beside an import of it;
 * a portfolio element of another kind than the imported one too. */
Test(import, duplicates_that_do_not_merge)
{
	char *bom = t_read(FIX "hand-cyclonedx.xml");
	doc two[] = {{"bom.xml", bom},
		     {"p.xml", "<portfolio " PF_NS ">\n<service id=\"shop\" name=\"a\"/>\n"
			       "<service id=\"shop\" name=\"b\"/>\n</portfolio>\n"}};
	doc kind[] = {{"bom.xml", bom},
		      {"p.xml", "<portfolio " PF_NS ">\n<vendor id=\"shop\" name=\"a\"/>\n"
				"</portfolio>\n"}};

	expect_error(two, 2, "p.xml", 3, "duplicate id 'shop'");
	expect_error(kind, 2, "p.xml", 2, "duplicate id 'shop' (also defined at bom.xml:4)");
	free(bom);
}

/* itorisk: properties make a contract covering the element. */
Test(import, contract_from_properties)
{
	doc docs[] = {{"bom.xml",
		       "<bom " CDX_NS ">\n<services>\n<service bom-ref=\"s\">\n"
		       "<provider><name>CloudCo Ltd</name></provider><name>S</name>\n<properties>\n"
		       "<property name=\"itorisk:contract\">C-1</property>\n"
		       "<property name=\"itorisk:contract:sourcing\">total</property>\n"
		       "<property name=\"itorisk:contract:shoring\">offshore</property>\n"
		       "<property name=\"itorisk:contract:start\">2024-01-01</property>\n"
		       "<property name=\"itorisk:contract:annual-cost\">5000</property>\n"
		       "<property name=\"itorisk:sla:availability\">99.5</property>\n"
		       "<property name=\"itorisk:rto\">PT2H</property>\n"
		       "</properties>\n</service>\n</services>\n</bom>\n"}};
	itr_model *m = load_ok_docs(docs, 1);
	const itr_contract *c;

	cr_assert_eq(m->ncontracts, 1);
	c = &m->contracts[0];
	cr_expect_str_eq(c->id, "C-1");
	cr_expect_str_eq(c->vendor.id, "cloudco");
	cr_expect_eq(c->sourcing, ITR_SOURCING_TOTAL);
	cr_expect_eq(c->shoring, ITR_SHORING_OFFSHORE);
	cr_expect_eq(c->annual_cost, 5000);
	cr_expect(c->sla.present);
	cr_expect_eq(c->sla.availability, 99.5);
	cr_expect_eq(c->loc.line, 6);
	cr_expect_eq(service(m, "s")->contract, 0);
	cr_expect_eq(service(m, "s")->rto.seconds, 7200);
	itr_model_free(m);
}

/* ---- errors, each with its file and line --------------------------------- */

Test(import, unknown_format)
{
	doc d[] = {{"x.xml", "<?xml version=\"1.0\"?>\n<bom xmlns=\"urn:example\"/>\n"}};

	expect_error(d, 1, "x.xml", 2, "the root element must be <portfolio");
	expect_error(d, 1, "x.xml", 2, "not <bom xmlns=\"urn:example\">");
}

Test(import, cyclonedx_errors)
{
	doc old[] = {{"b.xml", "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.1\"/>\n"}};
	doc noname[] = {{"b.xml", "<bom " CDX_NS ">\n<components>\n"
				  "<component bom-ref=\"a\"/>\n</components>\n</bom>\n"}};
	doc dupref[] = {{"b.xml", "<bom " CDX_NS ">\n<components>\n"
				  "<component bom-ref=\"a\"><name>A</name></component>\n"
				  "<component bom-ref=\"a\"><name>B</name></component>\n"
				  "</components>\n</bom>\n"}};
	doc depref[] = {{"b.xml", "<bom " CDX_NS ">\n<dependencies>\n"
				  "<dependency ref=\"ghost\"/>\n</dependencies>\n</bom>\n"}};
	doc inner[] = {{"b.xml", "<bom " CDX_NS ">\n<components>\n"
				 "<component bom-ref=\"a\"><name>A</name></component>\n"
				 "</components>\n<dependencies>\n<dependency ref=\"a\">\n"
				 "<dependency ref=\"ghost\"/>\n</dependency>\n</dependencies>\n</bom>\n"}};
	doc crit[] = {{"b.xml", "<bom " CDX_NS ">\n<components>\n"
				"<component bom-ref=\"a\"><name>A</name><properties>\n"
				"<property name=\"itorisk:criticality\">vital</property>\n"
				"</properties></component>\n</components>\n</bom>\n"}};
	doc unknown[] = {{"b.xml", "<bom " CDX_NS ">\n<components>\n"
				   "<component bom-ref=\"a\"><name>A</name><properties>\n"
				   "<property name=\"itorisk:colour\">red</property>\n"
				   "</properties></component>\n</components>\n</bom>\n"}};
	doc nocontract[] = {{"b.xml", "<bom " CDX_NS ">\n<components>\n"
				      "<component bom-ref=\"a\"><name>A</name><properties>\n"
				      "<property name=\"itorisk:contract\">C</property>\n"
				      "</properties></component>\n</components>\n</bom>\n"}};
	doc twice[] = {{"b.xml", "<bom " CDX_NS ">\n<components>\n"
				 "<component bom-ref=\"a\"><name>A</name><properties>\n"
				 "<property name=\"itorisk:rto\">PT1H</property>\n"
				 "<property name=\"itorisk:rto\">PT2H</property>\n"
				 "</properties></component>\n</components>\n</bom>\n"}};

	expect_error(old, 1, "b.xml", 1, "is not supported (1.2 to 1.6 are)");
	expect_error(noname, 1, "b.xml", 3, "component without a name");
	expect_error(dupref, 1, "b.xml", 4, "duplicate bom-ref 'a' (also at line 3)");
	expect_error(depref, 1, "b.xml", 3, "dependency ref 'ghost' names no component");
	/* an inner ref may name another file's element: checked when merged */
	expect_error(inner, 1, "b.xml", 7, "needs 'ghost' names no service");
	expect_error(crit, 1, "b.xml", 4, "bad value 'vital' for 'criticality'");
	expect_error(unknown, 1, "b.xml", 4, "unknown property 'itorisk:colour'");
	expect_error(nocontract, 1, "b.xml", 4, "which has no provider");
	expect_error(twice, 1, "b.xml", 5, "'rto' is given twice (also at line 4)");
}

Test(import, archimate_errors)
{
	doc noid[] = {{"m.xml", AM_HEAD "<elements>\n"
				"<element xsi:type=\"Node\"><name>N</name></element>\n"
				"</elements>\n</model>\n"}};
	doc dup[] = {{"m.xml", AM_HEAD "<elements>\n"
			       "<element identifier=\"a\" xsi:type=\"Node\"/>\n"
			       "<element identifier=\"a\" xsi:type=\"Node\"/>\n"
			       "</elements>\n</model>\n"}};
	doc notype[] = {{"m.xml", AM_HEAD "<elements>\n"
				  "<element identifier=\"a\"/>\n</elements>\n</model>\n"}};
	doc target[] = {{"m.xml", AM_HEAD "<elements>\n"
				  "<element identifier=\"a\" xsi:type=\"Node\"/>\n</elements>\n"
				  "<relationships>\n"
				  "<relationship identifier=\"r\" source=\"a\" target=\"b\" "
				  "xsi:type=\"Serving\"/>\n</relationships>\n</model>\n"}};
	doc orvendors[] = {{"m.xml", AM_HEAD "<elements>\n"
				     "<element identifier=\"a\" xsi:type=\"Node\"/>\n"
				     "<element identifier=\"v\" xsi:type=\"BusinessActor\"><name>V</name></element>\n"
				     "<element identifier=\"j\" xsi:type=\"OrJunction\"/>\n"
				     "</elements>\n<relationships>\n"
				     "<relationship identifier=\"r1\" source=\"v\" target=\"j\" xsi:type=\"Assignment\"/>\n"
				     "<relationship identifier=\"r2\" source=\"j\" target=\"a\" xsi:type=\"Assignment\"/>\n"
				     "</relationships>\n</model>\n"}};
	doc twovendors[] = {{"m.xml", AM_HEAD "<elements>\n"
				      "<element identifier=\"a\" xsi:type=\"Node\"/>\n"
				      "<element identifier=\"v\" xsi:type=\"BusinessActor\"><name>V</name></element>\n"
				      "<element identifier=\"w\" xsi:type=\"BusinessActor\"><name>W</name></element>\n"
				      "</elements>\n<relationships>\n"
				      "<relationship identifier=\"r1\" source=\"v\" target=\"a\" xsi:type=\"Assignment\"/>\n"
				      "<relationship identifier=\"r2\" source=\"w\" target=\"a\" xsi:type=\"Assignment\"/>\n"
				      "</relationships>\n</model>\n"}};
	doc loop[] = {{"m.xml", AM_HEAD "<elements>\n"
				"<element identifier=\"a\" xsi:type=\"Node\"/>\n"
				"<element identifier=\"j\" xsi:type=\"AndJunction\"/>\n"
				"<element identifier=\"k\" xsi:type=\"AndJunction\"/>\n"
				"</elements>\n<relationships>\n"
				"<relationship identifier=\"r1\" source=\"j\" target=\"k\" xsi:type=\"Serving\"/>\n"
				"<relationship identifier=\"r2\" source=\"k\" target=\"j\" xsi:type=\"Serving\"/>\n"
				"<relationship identifier=\"r3\" source=\"j\" target=\"a\" xsi:type=\"Serving\"/>\n"
				"</relationships>\n</model>\n"}};
	doc propdef[] = {{"m.xml", AM_HEAD "<elements>\n"
				   "<element identifier=\"a\" xsi:type=\"Node\"><properties>\n"
				   "<property propertyDefinitionRef=\"nope\"><value>x</value></property>\n"
				   "</properties></element>\n</elements>\n</model>\n"}};

	expect_error(noid, 1, "m.xml", 3, "element without an identifier");
	expect_error(dup, 1, "m.xml", 4, "duplicate identifier 'a' (also at line 3)");
	expect_error(notype, 1, "m.xml", 3, "element without an xsi:type");
	expect_error(target, 1, "m.xml", 6, "relationship target 'b' names nothing in this file");
	expect_error(orvendors, 1, "m.xml", 8, "or-junction 'j' cannot choose between vendors");
	expect_error(twovendors, 1, "m.xml", 9, "already depends on vendor 'v' (line 8), not also on 'w'");
	expect_error(loop, 1, "m.xml", 4, "junction 'j' is part of a loop");
	expect_error(propdef, 1, "m.xml", 4, "property names no propertyDefinition ('nope')");
}

/* Importers run on the same hardened parser: a DOCTYPE is refused before
 * the format is even known, in every format. */
Test(import, hostile_input_is_refused_in_every_format)
{
	doc bom[] = {{"b.xml", "<?xml version=\"1.0\"?>\n"
			       "<!DOCTYPE bom [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
			       "<bom " CDX_NS "><components><component><name>&x;</name>"
			       "</component></components></bom>\n"}};
	doc model[] = {{"m.xml", "<!DOCTYPE model [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>\n"
				 AM_HEAD "<name>&b;</name></model>\n"}};
	doc map[] = {{"map.xml", "<!DOCTYPE mapping SYSTEM \"http://example.org/x.dtd\">\n"
				 "<mapping " MAP_NS "/>\n"}};
	doc xinc[] = {{"b.xml", "<bom " CDX_NS " xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
				"<xi:include href=\"/etc/passwd\" parse=\"text\"/>\n</bom>\n"}};
	itr_diags d;
	itr_model *m;

	expect_error(bom, 1, "b.xml", 2, "DOCTYPE");
	expect_error(model, 1, "m.xml", 1, "DOCTYPE");
	expect_error(map, 1, "map.xml", 1, "DOCTYPE");
	/* an xi:include is just an element the importer does not know */
	m = load_docs(xinc, 1, &d);
	cr_expect_not_null(m);
	cr_expect_eq(m ? m->nservices : 1, 0);
	itr_model_free(m);
	itr_diags_release(&d);
}
