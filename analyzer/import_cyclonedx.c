/*
 * CycloneDX 1.2-1.6 (XML) into the model: the BOM's subject
 * (metadata/component), every component and service (nested too) become
 * services; their organisation becomes the vendor; the dependency graph
 * becomes `needs` (README "Importing: CycloneDX" has the whole mapping).
 *
 * Structural checks replace the official XSDs (not shipped by Debian): a
 * component or service needs a name, bom-refs are unique, a dependency names
 * a component or service of the file. Each problem is reported with its line.
 */
#include "import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct cdx {
	itr_import *im;
	itr_strmap refs;      /* bom-ref as written -> service number */
	itr_strmap ids;       /* model id -> service number, in this file */
	itr_strmap vendors;   /* vendor id -> vendor number, in this file */
	itr_buf text;
} cdx;

static itr_loc loc_of(const cdx *x, const xmlNode *n)
{
	return (itr_loc){x->im->file, itr_xml_line(n), 0};
}

/* The trimmed text of child `name` of n, in the model, or NULL when empty. */
static const char *child_text(cdx *x, const xmlNode *n, const char *name)
{
	const xmlNode *c = itr_xml_child(n, name);

	if (!c)
		return NULL;
	itr_xml_text(c, &x->text);
	return x->text.len ? itr_model_strdup(x->im->m, x->text.s) : NULL;
}

/* The namespace of a package URL ("pkg:npm/%40babel/core@7" -> "@babel"),
 * percent-decoded, in the model; NULL if it has none. */
static const char *purl_namespace(cdx *x, const char *purl)
{
	const char *p = purl + 4, *end, *first, *last;
	itr_buf ns = ITR_BUF_INIT;
	const char *out = NULL;

	if (strncmp(purl, "pkg:", 4) != 0)
		return NULL;
	while (*p == '/')
		p++;
	end = p + strcspn(p, "?#");
	first = memchr(p, '/', (size_t)(end - p));  /* after the type */
	if (!first)
		return NULL;
	last = first;
	for (const char *q = first + 1; q < end; q++)
		if (*q == '/')
			last = q;                   /* before the name */
	for (const char *q = first + 1; q < last; q++) {
		if (q[0] == '%' && isxdigit((unsigned char)q[1]) && isxdigit((unsigned char)q[2])) {
			char hex[3] = {q[1], q[2], '\0'};

			itr_buf_putc(&ns, (char)strtol(hex, NULL, 16));
			q += 2;
		} else {
			itr_buf_putc(&ns, *q);
		}
	}
	if (ns.len && !memchr(ns.s, '\0', ns.len))
		out = itr_model_strdup(x->im->m, ns.s);
	itr_buf_release(&ns);
	return out;
}

/* The organisation behind a component or service: provider, supplier,
 * manufacturer, publisher, author, authors, then the purl's namespace. */
static const char *vendor_name(cdx *x, const xmlNode *n, const xmlNode **where)
{
	static const char *const orgs[] = {"provider", "supplier", "manufacturer"};
	static const char *const texts[] = {"publisher", "author"};
	const xmlNode *c;
	const char *name;

	for (size_t i = 0; i < ITR_ARRAY_LEN(orgs); i++) {
		c = itr_xml_child(n, orgs[i]);
		name = c ? child_text(x, c, "name") : NULL;
		if (name) {
			*where = c;
			return name;
		}
	}
	for (size_t i = 0; i < ITR_ARRAY_LEN(texts); i++) {
		name = child_text(x, n, texts[i]);
		if (name) {
			*where = itr_xml_child(n, texts[i]);
			return name;
		}
	}
	c = itr_xml_child(n, "authors");
	for (const xmlNode *a = c ? c->children : NULL; a; a = a->next) {
		name = itr_xml_is(a, "author") ? child_text(x, a, "name") : NULL;
		if (name) {
			*where = a;
			return name;
		}
	}
	c = itr_xml_child(n, "purl");
	if (c) {
		itr_xml_text(c, &x->text);
		*where = c;
		return purl_namespace(x, itr_buf_str(&x->text));
	}
	return NULL;
}

/* The vendor of this file with this name, created at `where` if new. */
static size_t vendor_of(cdx *x, const char *name, const xmlNode *where)
{
	itr_model *m = x->im->m;
	const char *id = itr_import_vendor_id(x->im, name);
	const xmlNode *addr;
	const char *country;
	size_t vi;
	itr_vendor *v;

	if (!id)
		return ITR_NONE;
	vi = itr_strmap_get(&x->vendors, id);
	if (vi != ITR_NONE)
		return vi;
	vi = m->nvendors;
	v = itr_model_add_vendor(m);
	v->id = id;
	v->name = name;
	v->loc = loc_of(x, where);
	v->imported = true;
	addr = itr_xml_child(where, "address");
	country = addr ? child_text(x, addr, "country") : NULL;
	if (country && strlen(country) == 2 && isupper((unsigned char)country[0]) &&
	    isupper((unsigned char)country[1]))
		m->vendors[vi].country = country;
	itr_strmap_put(&x->vendors, id, vi);
	return vi;
}

static void add_data(cdx *x, size_t si, const xmlNode *cls)
{
	itr_model *m = x->im->m;
	itr_service *s = &m->services[si];
	itr_class c;
	int personal;

	itr_xml_text(cls, &x->text);
	if (!x->text.len)
		return;
	itr_import_class(x->im, x->text.s, &c, &personal);
	for (size_t i = 0; i < s->ndata; i++)
		if (s->data[i].classification == c && s->data[i].personal == personal)
			return;
	s->data[s->ndata++] = (itr_data){c, personal, NULL, loc_of(x, cls)};
}

/* data/classification (before 1.5) and data/dataflow/classification (1.5+). */
static void read_data(cdx *x, size_t si, const xmlNode *data)
{
	size_t n = 0;

	for (const xmlNode *c = data->children; c; c = c->next) {
		n += itr_xml_is(c, "classification");
		if (itr_xml_is(c, "dataflow"))
			for (const xmlNode *d = c->children; d; d = d->next)
				n += itr_xml_is(d, "classification");
	}
	x->im->m->services[si].data = itr_model_alloc(x->im->m, n, sizeof(itr_data));
	for (const xmlNode *c = data->children; c; c = c->next) {
		if (itr_xml_is(c, "classification"))
			add_data(x, si, c);
		else if (itr_xml_is(c, "dataflow"))
			for (const xmlNode *d = c->children; d; d = d->next)
				if (itr_xml_is(d, "classification"))
					add_data(x, si, d);
	}
}

static void read_properties(cdx *x, size_t si, const xmlNode *props)
{
	itr_props p;

	memset(&p, 0, sizeof(p));
	for (const xmlNode *c = props->children; c; c = c->next) {
		const char *name;
		int a;

		if (!itr_xml_is(c, "property"))
			continue;
		name = itr_xml_attr(c, "name");
		if (!name)
			continue;
		a = itr_import_attr(x->im, name, false, itr_xml_line(c));
		if (a < 0)
			continue;
		itr_xml_text(c, &x->text);
		itr_props_set(x->im, &p, a, itr_model_strdup(x->im->m, itr_buf_str(&x->text)),
			      itr_xml_line(c));
	}
	itr_props_apply_service(x->im, si, &p);
}

static void import_entity(cdx *x, const xmlNode *n, const char *kind);

static void import_children(cdx *x, const xmlNode *list, const char *kind)
{
	for (const xmlNode *c = list->children; c; c = c->next)
		if (itr_xml_is(c, kind))
			import_entity(x, c, kind);
}

/* A component or service (kind) and those nested in it. */
static void import_entity(cdx *x, const xmlNode *n, const char *kind)
{
	itr_model *m = x->im->m;
	const char *ref = itr_xml_attr(n, "bom-ref");
	const char *name = child_text(x, n, "name");
	const char *id, *vname, *zone;
	const xmlNode *where = NULL, *c;
	size_t si = m->nservices, prev;
	itr_service *s;

	if (!name) {
		itr_xml_error(x->im->ctx, itr_xml_line(n), "%s without a name", kind);
		return;
	}
	if (ref && *ref) {
		prev = itr_strmap_get(&x->refs, ref);
		if (prev != ITR_NONE) {
			itr_xml_error(x->im->ctx, itr_xml_line(n),
				      "duplicate bom-ref '%s' (also at line %ld)", ref,
				      m->services[prev].loc.line);
			return;
		}
		id = itr_import_id(m, ref);
	} else {
		/* no bom-ref: nothing can depend on it, but it is still there */
		const char *purl = child_text(x, n, "purl");
		const char *group = child_text(x, n, "group");
		const char *version = child_text(x, n, "version");
		itr_buf b = ITR_BUF_INIT;

		if (purl)
			itr_buf_puts(&b, purl);
		else
			itr_buf_printf(&b, "%s%s%s%s%s", group ? group : "", group ? "/" : "", name,
				       version ? "@" : "", version ? version : "");
		id = itr_import_id(m, b.s);
		itr_buf_release(&b);
	}
	prev = itr_strmap_get(&x->ids, id);
	if (prev != ITR_NONE) {
		itr_xml_error(x->im->ctx, itr_xml_line(n),
			      "this %s gets the id '%s' of the one at line %ld: give it its own bom-ref",
			      kind, id, m->services[prev].loc.line);
		return;
	}
	s = itr_model_add_service(m);
	s->id = id;
	s->name = name;
	s->loc = loc_of(x, n);
	s->imported = true;
	itr_strmap_put(&x->ids, id, si);
	if (ref && *ref)
		itr_strmap_put(&x->refs, ref, si);

	vname = vendor_name(x, n, &where);
	if (vname) {
		size_t vi = vendor_of(x, vname, where);

		if (vi != ITR_NONE)
			m->services[si].provider = (itr_ref){m->vendors[vi].id, ITR_NONE,
							     loc_of(x, where)};
	}
	c = itr_xml_child(n, "data");
	if (c)
		read_data(x, si, c);
	zone = child_text(x, n, "trustZone");
	if (zone) {
		m->services[si].trust_zone = zone;
		m->services[si].delivered_from = itr_import_zone_country(x->im, zone);
	}
	c = itr_xml_child(n, "x-trust-boundary");
	if (c) {
		itr_xml_text(c, &x->text);
		m->services[si].trust_boundary = strcmp(itr_buf_str(&x->text), "true") == 0 ||
						 strcmp(itr_buf_str(&x->text), "1") == 0;
	}
	c = itr_xml_child(n, "properties");
	if (c)
		read_properties(x, si, c);
	/* nested ones are elements of their own (no dependency is implied) */
	c = itr_xml_child(n, strcmp(kind, "service") == 0 ? "services" : "components");
	if (c)
		import_children(x, c, kind);
}

static int cmp_ref(const void *pa, const void *pb)
{
	const itr_ref *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	if (c)
		return c;
	return a->loc.line < b->loc.line ? -1 : a->loc.line > b->loc.line;
}

/* dependencies/dependency[@ref]/dependency[@ref]: the outer needs the inner.
 * The outer must be of this file; an inner one may be in another file. */
static void import_dependencies(cdx *x, const xmlNode *deps, size_t first)
{
	itr_model *m = x->im->m;
	size_t n = m->nservices - first;
	size_t *count = itr_xcalloc(n ? n : 1, sizeof(*count));

	for (const xmlNode *d = deps->children; d; d = d->next) {
		const char *ref;
		size_t si;

		if (!itr_xml_is(d, "dependency"))
			continue;
		ref = itr_xml_attr(d, "ref");
		if (!ref) {
			itr_xml_error(x->im->ctx, itr_xml_line(d), "dependency without a ref");
			continue;
		}
		si = itr_strmap_get(&x->refs, ref);
		if (si == ITR_NONE) {
			itr_xml_error(x->im->ctx, itr_xml_line(d),
				      "dependency ref '%s' names no component or service of this file",
				      ref);
			continue;
		}
		for (const xmlNode *e = d->children; e; e = e->next)
			count[si - first] += itr_xml_is(e, "dependency");
	}
	for (size_t i = 0; i < n; i++)
		if (count[i])
			m->services[first + i].needs = itr_model_alloc(m, count[i], sizeof(itr_ref));
	for (const xmlNode *d = deps->children; d; d = d->next) {
		const char *ref = itr_xml_is(d, "dependency") ? itr_xml_attr(d, "ref") : NULL;
		size_t si = ref ? itr_strmap_get(&x->refs, ref) : ITR_NONE;
		itr_service *s;

		if (si == ITR_NONE)
			continue;
		s = &m->services[si];
		for (const xmlNode *e = d->children; e; e = e->next) {
			const char *to, *id;
			size_t ti;

			if (!itr_xml_is(e, "dependency"))
				continue;
			to = itr_xml_attr(e, "ref");
			if (!to) {
				itr_xml_error(x->im->ctx, itr_xml_line(e), "dependency without a ref");
				continue;
			}
			ti = itr_strmap_get(&x->refs, to);
			id = ti != ITR_NONE ? m->services[ti].id : itr_import_id(m, to);
			if (ti == si)
				continue; /* a service does not depend on itself */
			s->needs[s->nneeds++] = (itr_ref){id, ITR_NONE, loc_of(x, e)};
		}
	}
	/* the same dependency listed twice counts once */
	for (size_t i = first; i < m->nservices; i++) {
		itr_service *s = &m->services[i];
		size_t k = 0;

		if (s->nneeds > 1)
			qsort(s->needs, s->nneeds, sizeof(*s->needs), cmp_ref);
		for (size_t j = 0; j < s->nneeds; j++)
			if (k == 0 || strcmp(s->needs[k - 1].id, s->needs[j].id) != 0)
				s->needs[k++] = s->needs[j];
		s->nneeds = k;
	}
	free(count);
}

int itr_import_cyclonedx(itr_import *im, const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	const char *ns = itr_xml_root_ns(doc);
	const char *minor = ns + strlen(ITR_NS_CYCLONEDX);
	cdx x = {.im = im};
	size_t first = im->m->nservices;
	const xmlNode *deps = NULL;

	if (!(minor[0] >= '2' && minor[0] <= '6' && minor[1] == '\0')) {
		itr_xml_error(im->ctx, itr_xml_line(root),
			      "CycloneDX '%s' is not supported (1.2 to 1.6 are)", ns);
		return -1;
	}
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (itr_xml_is(n, "metadata")) {
			const xmlNode *subject = itr_xml_child(n, "component");

			if (subject)
				import_entity(&x, subject, "component");
		} else if (itr_xml_is(n, "components")) {
			import_children(&x, n, "component");
		} else if (itr_xml_is(n, "services")) {
			import_children(&x, n, "service");
		} else if (itr_xml_is(n, "dependencies")) {
			deps = n;
		}
	}
	if (deps)
		import_dependencies(&x, deps, first);
	itr_strmap_release(&x.refs);
	itr_strmap_release(&x.ids);
	itr_strmap_release(&x.vendors);
	itr_buf_release(&x.text);
	return im->ctx->failed ? -1 : 0;
}
