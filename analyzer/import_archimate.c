/*
 * ArchiMate 3.x Model Exchange Format into the model: application and
 * technology services and components, nodes, devices and system software
 * become services; business actors become vendors; Serving, Realization
 * and Assignment relationships become dependencies (the target depends on
 * the source); And/Or junctions become all-of / any-of (README "Importing:
 * ArchiMate" has the whole mapping).
 *
 * Structural checks replace the official XSDs: every element and
 * relationship has an identifier and a type, identifiers are unique, a
 * relationship names elements of the file. Each problem has its line.
 */
#include "import.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define JUNCTION_DEPTH 64
#define EXPANSION_STEPS 1000000

typedef enum akind { AK_IGNORED, AK_SERVICE, AK_VENDOR, AK_AND, AK_OR, AK_RELATION } akind;

/* An identifier of the file: an element or a relationship. */
typedef struct anode {
	const char *ident;    /* borrowed from the document */
	akind kind;
	size_t index;         /* service or vendor number */
	long line;
	size_t *deps;         /* junctions: what the junction depends on (node numbers) */
	long *dep_lines;
	size_t ndeps, cap;
	size_t cap_lines;
	bool visiting;
} anode;

/* A dependency found while expanding, before it is copied into the model. */
typedef struct tlink {
	size_t from;          /* service (needs, groups) or vendor (relies-on) number */
	itr_ref ref;
	size_t group;         /* ITR_NONE, or the group number of an option */
} tlink;

typedef struct tgroup {
	size_t service;
	long line;
} tgroup;

typedef struct arch {
	itr_import *im;
	anode *nodes;
	size_t n, cap;
	itr_strmap by_ident;  /* identifier -> node number */
	itr_strmap vendors;   /* vendor id -> vendor number, in this file */
	itr_strmap propdefs;  /* propertyDefinition identifier -> its name (index into names) */
	const char **names;
	size_t nnames, cap_names;
	tlink *needs, *relies, *options;
	size_t nneeds, cap_needs, nrelies, cap_relies, noptions, cap_options;
	tgroup *groups;
	size_t ngroups, cap_groups;
	size_t steps;
	bool too_complex;
	itr_buf text;
} arch;

static const char *xsi_type(const xmlNode *n)
{
	xmlAttrPtr a = xmlHasNsProp(n, (const xmlChar *)"type", (const xmlChar *)NS_XSI);
	const char *t, *colon;

	if (!a || !a->children || !a->children->content)
		return NULL;
	t = (const char *)a->children->content;
	colon = strrchr(t, ':');
	return colon ? colon + 1 : t;
}

static akind kind_of_type(const arch *a, const xmlNode *n, const char *type)
{
	static const char *const services[] = {"ApplicationComponent", "ApplicationService",
					       "TechnologyService", "Node", "Device",
					       "SystemSoftware"};
	const char *jt;

	if (strcmp(type, "AndJunction") == 0)
		return AK_AND;
	if (strcmp(type, "OrJunction") == 0)
		return AK_OR;
	if (strcmp(type, "Junction") == 0) {
		jt = itr_xml_attr(n, "type");
		if (!jt)
			jt = itr_xml_attr(n, "junctionType");
		return jt && strcasecmp(jt, "or") == 0 ? AK_OR : AK_AND;
	}
	if (a->im->map) {
		itr_buf key = ITR_BUF_INIT;
		const itr_map_table *t = &a->im->map->types;
		int found = -1;

		for (const char *p = type; *p; p++)
			itr_buf_putc(&key, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
		for (size_t i = 0; i < t->n && found < 0; i++)
			if (strcmp(t->v[i].key, itr_buf_str(&key)) == 0)
				found = t->v[i].num;
		itr_buf_release(&key);
		if (found >= 0)
			return found == ITR_AKIND_SERVICE ? AK_SERVICE
			       : found == ITR_AKIND_VENDOR ? AK_VENDOR
							   : AK_IGNORED;
	}
	for (size_t i = 0; i < ITR_ARRAY_LEN(services); i++)
		if (strcmp(type, services[i]) == 0)
			return AK_SERVICE;
	return strcmp(type, "BusinessActor") == 0 ? AK_VENDOR : AK_IGNORED;
}

/* Register an identifier; -1 (reported) when it is missing or repeated. */
static int add_node(arch *a, const xmlNode *n, akind kind, size_t *out)
{
	const char *ident = itr_xml_attr(n, "identifier");
	size_t prev;
	anode *x;

	if (!ident || !*ident) {
		itr_xml_error(a->im->ctx, itr_xml_line(n), "%s without an identifier",
			      (const char *)n->name);
		return -1;
	}
	prev = itr_strmap_get(&a->by_ident, ident);
	if (prev != ITR_NONE) {
		itr_xml_error(a->im->ctx, itr_xml_line(n), "duplicate identifier '%s' (also at line %ld)",
			      ident, a->nodes[prev].line);
		return -1;
	}
	ITR_GROW(a->nodes, a->cap, a->n + 1);
	x = &a->nodes[a->n];
	memset(x, 0, sizeof(*x));
	x->ident = ident;
	x->kind = kind;
	x->index = ITR_NONE;
	x->line = itr_xml_line(n);
	itr_strmap_put(&a->by_ident, ident, a->n);
	*out = a->n++;
	return 0;
}

static void read_propdefs(arch *a, const xmlNode *defs)
{
	for (const xmlNode *d = defs->children; d; d = d->next) {
		const char *ident, *name;

		if (!itr_xml_is(d, "propertyDefinition"))
			continue;
		ident = itr_xml_attr(d, "identifier");
		name = itr_xml_attr(d, "name"); /* the 2.1 drafts */
		if (!name) {
			itr_xml_text(itr_xml_child(d, "name"), &a->text);
			name = itr_model_strdup(a->im->m, itr_buf_str(&a->text));
		}
		if (!ident) {
			itr_xml_error(a->im->ctx, itr_xml_line(d),
				      "propertyDefinition without an identifier");
			continue;
		}
		ITR_GROW(a->names, a->cap_names, a->nnames + 1);
		a->names[a->nnames] = name;
		if (itr_strmap_put(&a->propdefs, ident, a->nnames) == a->nnames)
			a->nnames++;
	}
}

/* The properties of an element, through the property mapping. */
static void read_props(arch *a, const xmlNode *n, itr_props *p)
{
	const xmlNode *props = itr_xml_child(n, "properties");

	memset(p, 0, sizeof(*p));
	for (const xmlNode *c = props ? props->children : NULL; c; c = c->next) {
		const char *ref;
		size_t k;
		int attr;

		if (!itr_xml_is(c, "property"))
			continue;
		ref = itr_xml_attr(c, "propertyDefinitionRef");
		if (!ref)
			ref = itr_xml_attr(c, "identifierref"); /* the 2.1 drafts */
		k = ref ? itr_strmap_get(&a->propdefs, ref) : ITR_NONE;
		if (k == ITR_NONE) {
			itr_xml_error(a->im->ctx, itr_xml_line(c),
				      "property names no propertyDefinition ('%s')", ref ? ref : "");
			continue;
		}
		attr = itr_import_attr(a->im, a->names[k], true, itr_xml_line(c));
		if (attr < 0)
			continue;
		itr_xml_text(itr_xml_child(c, "value"), &a->text);
		itr_props_set(a->im, p, attr, itr_model_strdup(a->im->m, itr_buf_str(&a->text)),
			      itr_xml_line(c));
	}
}

static void read_element(arch *a, const xmlNode *n)
{
	itr_model *m = a->im->m;
	const char *type = xsi_type(n);
	const char *name;
	size_t k;
	akind kind;
	itr_props p;

	if (!type) {
		itr_xml_error(a->im->ctx, itr_xml_line(n), "element without an xsi:type");
		return;
	}
	kind = kind_of_type(a, n, type);
	if (add_node(a, n, kind, &k) != 0 || kind == AK_IGNORED || kind == AK_AND || kind == AK_OR)
		return;
	itr_xml_text(itr_xml_child(n, "name"), &a->text);
	name = itr_model_strdup(m, a->text.len ? a->text.s : a->nodes[k].ident);
	read_props(a, n, &p);
	if (kind == AK_SERVICE) {
		itr_service *s;

		a->nodes[k].index = m->nservices;
		s = itr_model_add_service(m);
		s->id = itr_import_id(m, a->nodes[k].ident);
		s->name = name;
		s->loc = (itr_loc){a->im->file, a->nodes[k].line, 0};
		s->imported = true;
		itr_props_apply_service(a->im, a->nodes[k].index, &p);
	} else {
		const char *id = itr_import_vendor_id(a->im, name);
		size_t vi;

		if (!id)
			id = itr_import_id(m, a->nodes[k].ident);
		vi = itr_strmap_get(&a->vendors, id);
		if (vi == ITR_NONE) {
			itr_vendor *v;

			vi = m->nvendors;
			v = itr_model_add_vendor(m);
			v->id = id;
			v->name = name;
			v->loc = (itr_loc){a->im->file, a->nodes[k].line, 0};
			v->imported = true;
			itr_strmap_put(&a->vendors, id, vi);
		}
		a->nodes[k].index = vi;
		itr_props_apply_vendor(a->im, vi, &p);
	}
}

/* ---- dependencies ------------------------------------------------------- */

static void push(tlink **v, size_t *n, size_t *cap, size_t from, const char *id, arch *a,
		 long line, size_t group)
{
	ITR_GROW(*v, *cap, *n + 1);
	(*v)[(*n)++] = (tlink){from, {id, ITR_NONE, {a->im->file, line, 0}}, group};
}

static bool budget(arch *a, size_t depth, long line)
{
	if (a->too_complex)
		return false;
	if (++a->steps > EXPANSION_STEPS || depth > JUNCTION_DEPTH) {
		itr_xml_error(a->im->ctx, line,
			      "junctions nested deeper than %d or too many paths through them",
			      JUNCTION_DEPTH);
		a->too_complex = true;
		return false;
	}
	return true;
}

static const char *node_id(const arch *a, const anode *x)
{
	return x->kind == AK_SERVICE ? a->im->m->services[x->index].id
				     : a->im->m->vendors[x->index].id;
}

/* The options of or-junction j for service node d, into group g. */
static void or_options(arch *a, size_t d, size_t j, size_t g, size_t depth, long line)
{
	anode *jn = &a->nodes[j];

	if (!budget(a, depth, line))
		return;
	if (jn->visiting) {
		itr_xml_error(a->im->ctx, jn->line, "junction '%s' is part of a loop", jn->ident);
		return;
	}
	jn->visiting = true;
	for (size_t k = 0; k < jn->ndeps; k++) {
		anode *t = &a->nodes[jn->deps[k]];

		if (t->kind == AK_SERVICE && jn->deps[k] != d)
			push(&a->options, &a->noptions, &a->cap_options, a->nodes[d].index,
			     node_id(a, t), a, jn->dep_lines[k], g);
		else if (t->kind == AK_OR)
			or_options(a, d, jn->deps[k], g, depth + 1, jn->dep_lines[k]);
		else if (t->kind == AK_AND)
			itr_xml_error(a->im->ctx, jn->dep_lines[k],
				      "an and-junction ('%s') inside an or-junction ('%s') is not supported",
				      t->ident, jn->ident);
		else if (t->kind == AK_VENDOR)
			itr_xml_error(a->im->ctx, jn->dep_lines[k],
				      "or-junction '%s' cannot choose between vendors ('%s')", jn->ident,
				      t->ident);
	}
	jn->visiting = false;
}

static void set_provider(arch *a, size_t d, size_t v, long line)
{
	itr_service *s = &a->im->m->services[a->nodes[d].index];
	const char *id = a->im->m->vendors[a->nodes[v].index].id;

	if (!s->provider.id) {
		s->provider = (itr_ref){id, ITR_NONE, {a->im->file, line, 0}};
	} else if (strcmp(s->provider.id, id) != 0) {
		itr_xml_error(a->im->ctx, line,
			      "'%s' already depends on vendor '%s' (line %ld), not also on '%s'",
			      a->nodes[d].ident, s->provider.id, s->provider.loc.line, id);
	}
}

/* Dependent node d depends on node j (through the relationship at line). */
static void depend(arch *a, size_t d, size_t j, size_t depth, long line)
{
	anode *dn = &a->nodes[d], *t = &a->nodes[j];

	if (!budget(a, depth, line))
		return;
	switch (t->kind) {
	case AK_SERVICE:
		/* a vendor depending on a service is outside our model: dropped */
		if (dn->kind == AK_SERVICE && d != j)
			push(&a->needs, &a->nneeds, &a->cap_needs, dn->index, node_id(a, t), a, line,
			     ITR_NONE);
		break;
	case AK_VENDOR:
		if (dn->kind == AK_SERVICE)
			set_provider(a, d, j, line);
		else if (dn->kind == AK_VENDOR && dn->index != t->index)
			push(&a->relies, &a->nrelies, &a->cap_relies, dn->index, node_id(a, t), a,
			     line, ITR_NONE);
		break;
	case AK_AND:
		if (t->visiting) {
			itr_xml_error(a->im->ctx, t->line, "junction '%s' is part of a loop", t->ident);
			break;
		}
		t->visiting = true;
		for (size_t k = 0; k < t->ndeps; k++)
			depend(a, d, t->deps[k], depth + 1, t->dep_lines[k]);
		t->visiting = false;
		break;
	case AK_OR:
		if (dn->kind == AK_SERVICE) {
			size_t before = a->noptions;

			or_options(a, d, j, a->ngroups, depth + 1, line);
			if (a->noptions > before) {
				ITR_GROW(a->groups, a->cap_groups, a->ngroups + 1);
				a->groups[a->ngroups++] = (tgroup){dn->index, t->line};
			}
		}
		break;
	default:
		break; /* not one of ours */
	}
}

typedef struct tedge {
	size_t dependent, dependency;
	long line;
} tedge;

static int cmp_tlink(const void *pa, const void *pb)
{
	const tlink *a = pa, *b = pb;
	int c;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	c = strcmp(a->ref.id, b->ref.id);
	if (c)
		return c;
	return a->ref.loc.line < b->ref.loc.line ? -1 : a->ref.loc.line > b->ref.loc.line;
}

/* Sort links by owner (and group) and drop repeated targets. */
static size_t sort_unique(tlink *v, size_t n)
{
	size_t k = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_tlink);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1].from != v[i].from || v[k - 1].group != v[i].group ||
		    strcmp(v[k - 1].ref.id, v[i].ref.id) != 0)
			v[k++] = v[i];
	return k;
}

/* Copy the collected links into the model, each owner's in one array. */
static void store_links(arch *a)
{
	itr_model *m = a->im->m;
	size_t i = 0;

	a->nneeds = sort_unique(a->needs, a->nneeds);
	a->nrelies = sort_unique(a->relies, a->nrelies);
	a->noptions = sort_unique(a->options, a->noptions);
	for (i = 0; i < a->nneeds;) {
		size_t j = i;
		itr_service *s = &m->services[a->needs[i].from];

		while (j < a->nneeds && a->needs[j].from == a->needs[i].from)
			j++;
		s->needs = itr_model_alloc(m, j - i, sizeof(*s->needs));
		for (; i < j; i++)
			s->needs[s->nneeds++] = a->needs[i].ref;
	}
	for (i = 0; i < a->nrelies;) {
		size_t j = i;
		itr_vendor *v = &m->vendors[a->relies[i].from];

		while (j < a->nrelies && a->relies[j].from == a->relies[i].from)
			j++;
		v->relies_on = itr_model_alloc(m, j - i, sizeof(*v->relies_on));
		for (; i < j; i++)
			v->relies_on[v->nrelies++] = a->relies[i].ref;
	}
	/* groups: count per service, then fill in group order */
	{
		size_t *count = itr_xcalloc(m->nservices ? m->nservices : 1, sizeof(*count));
		size_t *gstart = itr_xcalloc(a->ngroups ? a->ngroups : 1, sizeof(*gstart));
		size_t *gcount = itr_xcalloc(a->ngroups ? a->ngroups : 1, sizeof(*gcount));

		for (size_t g = 0; g < a->ngroups; g++)
			count[a->groups[g].service]++;
		for (size_t o = a->noptions; o-- > 0;) {
			gstart[a->options[o].group] = o;
			gcount[a->options[o].group]++;
		}
		for (size_t g = 0; g < a->ngroups; g++) {
			itr_service *s = &m->services[a->groups[g].service];
			itr_group *gr;

			if (!s->groups)
				s->groups = itr_model_alloc(m, count[a->groups[g].service],
							    sizeof(*s->groups));
			gr = &s->groups[s->ngroups++];
			gr->min = 1;
			gr->loc = (itr_loc){a->im->file, a->groups[g].line, 0};
			gr->options = itr_model_alloc(m, gcount[g], sizeof(*gr->options));
			for (size_t o = 0; o < gcount[g]; o++)
				gr->options[gr->nopts++] = a->options[gstart[g] + o].ref;
		}
		free(count);
		free(gstart);
		free(gcount);
	}
}

static void read_relationships(arch *a, const xmlNode *rels)
{
	tedge *edges = NULL;
	size_t nedges = 0, cap = 0;

	/* every identifier first: a relationship may name a relationship */
	for (const xmlNode *r = rels->children; r; r = r->next) {
		size_t k;

		if (itr_xml_is(r, "relationship"))
			add_node(a, r, AK_RELATION, &k);
	}
	for (const xmlNode *r = rels->children; r; r = r->next) {
		const char *type, *src, *dst;
		size_t s, t;

		if (!itr_xml_is(r, "relationship"))
			continue;
		type = xsi_type(r);
		src = itr_xml_attr(r, "source");
		dst = itr_xml_attr(r, "target");
		if (!type || !src || !dst) {
			itr_xml_error(a->im->ctx, itr_xml_line(r), "relationship without %s",
				      !type ? "an xsi:type" : !src ? "a source" : "a target");
			continue;
		}
		s = itr_strmap_get(&a->by_ident, src);
		t = itr_strmap_get(&a->by_ident, dst);
		if (s == ITR_NONE || t == ITR_NONE) {
			itr_xml_error(a->im->ctx, itr_xml_line(r),
				      "relationship %s '%s' names nothing in this file",
				      s == ITR_NONE ? "source" : "target", s == ITR_NONE ? src : dst);
			continue;
		}
		if (strcmp(type, "Serving") != 0 && strcmp(type, "Realization") != 0 &&
		    strcmp(type, "Assignment") != 0)
			continue;
		/* Serving S->T, Realization C->S, Assignment A->B: the target
		 * depends on the source */
		if (a->nodes[t].kind == AK_AND || a->nodes[t].kind == AK_OR) {
			anode *j = &a->nodes[t];

			ITR_GROW(j->deps, j->cap, j->ndeps + 1);
			ITR_GROW(j->dep_lines, j->cap_lines, j->ndeps + 1);
			j->dep_lines[j->ndeps] = itr_xml_line(r);
			j->deps[j->ndeps++] = s;
			continue;
		}
		ITR_GROW(edges, cap, nedges + 1);
		edges[nedges++] = (tedge){t, s, itr_xml_line(r)};
	}
	for (size_t i = 0; i < nedges; i++) {
		akind k = a->nodes[edges[i].dependent].kind;

		if (k == AK_SERVICE || k == AK_VENDOR)
			depend(a, edges[i].dependent, edges[i].dependency, 0, edges[i].line);
	}
	free(edges);
}

int itr_import_archimate(itr_import *im, const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	const xmlNode *defs = itr_xml_child(root, "propertyDefinitions");
	const xmlNode *elems = itr_xml_child(root, "elements");
	const xmlNode *rels = itr_xml_child(root, "relationships");
	arch a = {.im = im};

	if (!itr_xml_is(root, "model")) {
		itr_xml_error(im->ctx, itr_xml_line(root), "an ArchiMate exchange file has the root <model>");
		return -1;
	}
	if (defs)
		read_propdefs(&a, defs);
	for (const xmlNode *n = elems ? elems->children : NULL; n; n = n->next)
		if (itr_xml_is(n, "element"))
			read_element(&a, n);
	if (rels)
		read_relationships(&a, rels);
	store_links(&a);
	for (size_t i = 0; i < a.n; i++) {
		free(a.nodes[i].deps);
		free(a.nodes[i].dep_lines);
	}
	free(a.nodes);
	free(a.names);
	free(a.needs);
	free(a.relies);
	free(a.options);
	free(a.groups);
	itr_strmap_release(&a.by_ident);
	itr_strmap_release(&a.vendors);
	itr_strmap_release(&a.propdefs);
	itr_buf_release(&a.text);
	return im->ctx->failed ? -1 : 0;
}
