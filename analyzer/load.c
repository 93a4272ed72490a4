/*
 * Loading portfolio files safely (see load.h and ../shared/FACTS.md).
 */
#define _POSIX_C_SOURCE 200809L
#include "itorisk/load.h"
#include "itorisk/progress.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"
#include "xmlsafe.h"

#include <libxml/parser.h>

#define NS_PORTFOLIO "urn:itorisk:portfolio:1"

/*
 * max_file_bytes: libxml2 2.9 refuses to look further than 10,000,000 bytes
 * ahead in a document parsed from memory ("Huge input lookup", unless
 * XML_PARSE_HUGE, which we never set), so a larger file could fail for its
 * size at any token; with this limit every file parses or fails for what it
 * holds. It also bounds one document's tree: at worst about 52 bytes of DOM
 * per byte of file (README "Loading untrusted XML").
 */
const itr_limits itr_default_limits = {
	.max_file_bytes = 10000000,
	.max_total_bytes = 256u << 20,
	.max_elements = 4000000,
	.max_files = 100000,
	.max_dir_depth = 64,
};

/* ---- collecting files --------------------------------------------------- */

typedef struct input {
	char *path;         /* owned */
	const char *data;   /* borrowed, for in-memory sources */
	size_t len;
	size_t size;        /* len, or the file's size when collected (it may change) */
	dev_t dev;
	ino_t ino;
	bool dup;           /* the same file as an earlier input */
} input;

typedef struct inputs {
	input *v;
	size_t n, cap;
} inputs;

static void inputs_release(inputs *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->v[i].path);
	free(in->v);
}

static int add_input(inputs *in, const char *path, const struct stat *st, const itr_limits *lim,
		     itr_diags *diags)
{
	input *x;

	if (in->n >= lim->max_files)
		return itr_diag(diags, (itr_loc){path, 1, 0},
				"too many files: this run exceeds the limit of %zu files",
				lim->max_files);
	ITR_GROW(in->v, in->cap, in->n + 1);
	x = &in->v[in->n++];
	memset(x, 0, sizeof(*x));
	x->path = itr_xstrdup(path);
	if (st) {
		x->dev = st->st_dev;
		x->ino = st->st_ino;
		x->size = (size_t)st->st_size; /* a guide only: reading checks the limits */
	}
	return 0;
}

static bool is_xml_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

static int collect(inputs *in, const char *path, unsigned depth, bool explicit,
		   const itr_limits *lim, itr_diags *diags);

static int collect_dir(inputs *in, const char *path, unsigned depth, const itr_limits *lim,
		       itr_diags *diags)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (depth > lim->max_dir_depth)
		return itr_diag(diags, (itr_loc){path, 0, 0},
				"directories nested deeper than the limit of %u levels",
				lim->max_dir_depth);
	d = opendir(path);
	if (!d)
		return itr_diag(diags, (itr_loc){path, 0, 0}, "cannot open directory: %s",
				strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* ., .., .git and other hidden entries */
		ITR_GROW(names, cap, n + 1);
		names[n++] = itr_xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), itr_strcmp_p);
	for (size_t i = 0; i < n; i++) {
		itr_buf child = ITR_BUF_INIT;
		size_t plen = strlen(path);

		itr_buf_puts(&child, path);
		if (plen && path[plen - 1] != '/')
			itr_buf_putc(&child, '/');
		itr_buf_puts(&child, names[i]);
		if (collect(in, itr_buf_str(&child), depth + 1, false, lim, diags) != 0)
			ret = -1;
		itr_buf_release(&child);
		free(names[i]);
	}
	free(names);
	return ret;
}

/* A path given by the user (explicit) is loaded whatever its name; inside
 * directories only *.xml files are. */
static int collect(inputs *in, const char *path, unsigned depth, bool explicit,
		   const itr_limits *lim, itr_diags *diags)
{
	struct stat st;
	itr_loc loc = {path, 0, 0};

	if (lstat(path, &st) != 0)
		return itr_diag(diags, loc, "cannot read: %s", strerror(errno));
	if (S_ISLNK(st.st_mode)) {
		if (!explicit && !is_xml_name(path)) {
			struct stat target;

			/* a link to something that is not a directory nor *.xml is ignored */
			if (stat(path, &target) != 0 || !S_ISDIR(target.st_mode))
				return 0;
		}
		return itr_diag(diags, loc, "symbolic links are not followed");
	}
	if (S_ISDIR(st.st_mode))
		return collect_dir(in, path, depth, lim, diags);
	if (!explicit && !is_xml_name(path))
		return 0;
	if (!S_ISREG(st.st_mode))
		return itr_diag(diags, loc, "not a regular file");
	return add_input(in, path, &st, lim, diags);
}

static int cmp_input(const void *a, const void *b)
{
	return strcmp(((const input *)a)->path, ((const input *)b)->path);
}

static int cmp_inode(const void *pa, const void *pb)
{
	const input *a = *(const input *const *)pa, *b = *(const input *const *)pb;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* The same file reached twice (a file and its directory, or a hard link)
 * loads once, under its first path in sorted order. O(n log n). */
static void mark_duplicates(inputs *in)
{
	input **by = itr_xmalloc(in->n * sizeof(*by));
	size_t k = 0;

	for (size_t i = 0; i < in->n; i++)
		if (!in->v[i].data)
			by[k++] = &in->v[i];
	if (k > 1)
		qsort(by, k, sizeof(*by), cmp_inode);
	for (size_t i = 1; i < k; i++)
		by[i]->dup = by[i]->dev == by[i - 1]->dev && by[i]->ino == by[i - 1]->ino;
	free(by);
}

/* ---- from DOM or stream to model ----------------------------------------- */

typedef struct builder {
	itr_model *m;
	itr_diags *diags;
	const char *file; /* the model's copy */
} builder;

/* An element as the builder reads it: a tree node, or a start tag of a
 * stream with its attributes (no namespace) as NUL-terminated strings. */
typedef struct elem {
	const xmlNode *node;
	const char *const *names, *const *values;
	size_t n;
	long line;
} elem;

static elem node_elem(const xmlNode *n)
{
	return (elem){n, NULL, NULL, 0, itr_xml_line(n)};
}

static itr_loc loc_of(const builder *b, const elem *e)
{
	return (itr_loc){b->file, e->line, 0};
}

static const char *attr(const elem *e, const char *name)
{
	if (e->node)
		return itr_xml_attr(e->node, name);
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->names[i], name) == 0)
			return e->values[i];
	return NULL;
}

static const char *sattr(builder *b, const elem *e, const char *name)
{
	return itr_model_strdup(b->m, attr(e, name));
}

static bool is(const xmlNode *n, const char *name)
{
	return itr_xml_is(n, name);
}

static size_t count_children(const xmlNode *n, const char *name)
{
	size_t k = 0;

	for (const xmlNode *c = n->children; c; c = c->next)
		k += is(c, name);
	return k;
}

/* Look a value up in a NULL-terminated table; the schema guarantees a match. */
static int enum_value(const char *s, const char *const *table, int dflt)
{
	if (!s)
		return dflt;
	for (int i = 0; table[i]; i++)
		if (strcmp(s, table[i]) == 0)
			return i;
	return dflt;
}

static int bool_attr(const elem *e, const char *name)
{
	const char *s = attr(e, name);

	if (!s)
		return -1;
	return strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
}

static double num_attr(const elem *e, const char *name)
{
	const char *s = attr(e, name);

	return s ? strtod(s, NULL) : -1;
}

static itr_date date_attr(builder *b, const elem *e, const char *name)
{
	const char *s = attr(e, name);
	itr_date d;

	if (!s)
		return ITR_DATE_NONE;
	if (itr_date_parse(s, &d) != 0) {
		itr_diag(b->diags, loc_of(b, e), "bad date '%s' in attribute '%s'", s, name);
		return ITR_DATE_NONE;
	}
	return d;
}

static itr_duration duration_attr(builder *b, const elem *e, const char *name)
{
	itr_duration d = {NULL, -1};
	const char *s = attr(e, name);

	if (!s)
		return d;
	if (itr_duration_parse(s, &d.seconds) != 0) {
		itr_diag(b->diags, loc_of(b, e), "bad duration '%s' in attribute '%s'", s, name);
		d.seconds = -1;
		return d;
	}
	d.text = itr_model_strdup(b->m, s);
	return d;
}

static itr_ref ref_of(builder *b, const elem *e, const char *name)
{
	return (itr_ref){sattr(b, e, name), ITR_NONE, loc_of(b, e)};
}

static const char *const class_names[] = {"public", "internal", "confidential", "restricted", NULL};

static itr_data data_of(builder *b, const elem *e)
{
	return (itr_data){
		.classification = (itr_class)enum_value(attr(e, "classification"), class_names, 0),
		.personal = bool_attr(e, "personal"),
		.location = sattr(b, e, "location"),
		.loc = loc_of(b, e),
	};
}

static itr_cert cert_of(builder *b, const elem *e)
{
	return (itr_cert){sattr(b, e, "name"), date_attr(b, e, "expires"), loc_of(b, e)};
}

/* A needs-any group's own fields (its options come after). */
static itr_group group_of(builder *b, const elem *e)
{
	const char *min = attr(e, "min");

	return (itr_group){.min = min ? strtoul(min, NULL, 10) : 1, .loc = loc_of(b, e)};
}

/* The attributes of each kind of record; their children come after. */
static void vendor_fields(builder *b, itr_vendor *v, const elem *e)
{
	static const char *const kinds[] = {"external", "subsidiary", NULL};

	v->id = sattr(b, e, "id");
	v->name = sattr(b, e, "name");
	v->country = sattr(b, e, "country");
	v->kind = (itr_vendor_kind)enum_value(attr(e, "kind"), kinds, 0);
	v->lei = sattr(b, e, "lei");
	v->loc = loc_of(b, e);
	if (attr(e, "parent"))
		v->parent = ref_of(b, e, "parent");
}

static void service_fields(builder *b, itr_service *s, const elem *e)
{
	static const char *const crits[] = {"critical", "important", "standard", "low", NULL};

	s->id = sattr(b, e, "id");
	s->name = sattr(b, e, "name");
	s->criticality = (itr_criticality)enum_value(attr(e, "criticality"), crits,
						     ITR_CRIT_STANDARD);
	s->criticality_set = attr(e, "criticality") != NULL;
	if (attr(e, "provider"))
		s->provider = ref_of(b, e, "provider");
	s->delivered_from = sattr(b, e, "delivered-from");
	s->rto = duration_attr(b, e, "rto");
	s->availability = num_attr(e, "availability");
	s->owner = sattr(b, e, "owner");
	s->loc = loc_of(b, e);
}

static void contract_fields(builder *b, itr_contract *k, const elem *e)
{
	static const char *const sourcings[] = {"total", "selective", "co-sourcing", NULL};
	static const char *const shorings[] = {"offshore", "nearshore", "onshore", "homeshore", NULL};

	k->id = sattr(b, e, "id");
	k->vendor = ref_of(b, e, "vendor");
	k->sourcing = (itr_sourcing)enum_value(attr(e, "sourcing"), sourcings, 0);
	k->shoring = (itr_shoring)enum_value(attr(e, "shoring"), shorings, 0);
	k->start = date_attr(b, e, "start");
	k->end = date_attr(b, e, "end");
	k->notice = duration_attr(b, e, "notice");
	k->auto_renew = bool_attr(e, "auto-renew");
	k->annual_cost = num_attr(e, "annual-cost");
	k->loc = loc_of(b, e);
}

/* A child of a contract other than covers and data: sla, exit or
 * subcontracting (the last one of each kind counts, all are counted). */
static void contract_child(builder *b, itr_contract *k, const char *name, const elem *e)
{
	static const char *const plans[] = {"none", "documented", "tested", NULL};
	static const char *const substs[] = {"easy", "medium", "hard", "impossible", NULL};
	static const char *const subcons[] = {"yes", "no", "with-approval", NULL};

	if (strcmp(name, "sla") == 0) {
		k->nsla++;
		k->sla = (itr_sla){true, num_attr(e, "availability"), duration_attr(b, e, "rto"),
				   duration_attr(b, e, "rpo"), loc_of(b, e)};
	} else if (strcmp(name, "exit") == 0) {
		k->nexit++;
		k->exit = (itr_exit){
			.present = true,
			.plan = (itr_exit_plan)enum_value(attr(e, "plan"), plans, 0),
			.tested_on = date_attr(b, e, "tested-on"),
			.transition = duration_attr(b, e, "transition"),
			.substitutability = (itr_subst)enum_value(attr(e, "substitutability"), substs,
								  ITR_SUBST_UNSET),
			.cost = num_attr(e, "cost"),
			.loc = loc_of(b, e),
		};
	} else if (strcmp(name, "subcontracting") == 0) {
		k->nsubcon++;
		k->subcontracting =
			(itr_subcontracting)enum_value(attr(e, "allowed"), subcons, ITR_SUBCON_UNSET);
	}
}

static void build_vendor(builder *b, const xmlNode *n)
{
	itr_vendor *v = itr_model_add_vendor(b->m);
	elem e = node_elem(n);

	vendor_fields(b, v, &e);
	v->certs = itr_model_alloc(b->m, count_children(n, "certification"), sizeof(*v->certs));
	v->relies_on = itr_model_alloc(b->m, count_children(n, "relies-on"), sizeof(*v->relies_on));
	for (const xmlNode *c = n->children; c; c = c->next) {
		elem ce = node_elem(c);

		if (is(c, "certification"))
			v->certs[v->ncerts++] = cert_of(b, &ce);
		else if (is(c, "relies-on"))
			v->relies_on[v->nrelies++] = ref_of(b, &ce, "ref");
	}
}

static void build_service(builder *b, const xmlNode *n)
{
	itr_service *s = itr_model_add_service(b->m);
	elem e = node_elem(n);

	service_fields(b, s, &e);
	s->needs = itr_model_alloc(b->m, count_children(n, "needs"), sizeof(*s->needs));
	s->groups = itr_model_alloc(b->m, count_children(n, "needs-any"), sizeof(*s->groups));
	s->data = itr_model_alloc(b->m, count_children(n, "data"), sizeof(*s->data));
	for (const xmlNode *c = n->children; c; c = c->next) {
		elem ce = node_elem(c);

		if (is(c, "needs")) {
			s->needs[s->nneeds++] = ref_of(b, &ce, "ref");
		} else if (is(c, "needs-any")) {
			itr_group *g = &s->groups[s->ngroups++];

			*g = group_of(b, &ce);
			g->options = itr_model_alloc(b->m, count_children(c, "option"),
						     sizeof(*g->options));
			for (const xmlNode *o = c->children; o; o = o->next) {
				elem oe = node_elem(o);

				if (is(o, "option"))
					g->options[g->nopts++] = ref_of(b, &oe, "ref");
			}
		} else if (is(c, "data")) {
			s->data[s->ndata++] = data_of(b, &ce);
		}
	}
}

static void build_contract(builder *b, const xmlNode *n)
{
	itr_contract *k = itr_model_add_contract(b->m);
	elem e = node_elem(n);

	contract_fields(b, k, &e);
	k->covers = itr_model_alloc(b->m, count_children(n, "covers"), sizeof(*k->covers));
	k->data = itr_model_alloc(b->m, count_children(n, "data"), sizeof(*k->data));
	for (const xmlNode *c = n->children; c; c = c->next) {
		elem ce = node_elem(c);

		if (is(c, "covers"))
			k->covers[k->ncovers++] = ref_of(b, &ce, "ref");
		else if (is(c, "data"))
			k->data[k->ndata++] = data_of(b, &ce);
		else if (c->type == XML_ELEMENT_NODE)
			contract_child(b, k, (const char *)c->name, &ce);
	}
}

/* The portfolio root's attributes, in the order they are set. */
static const char *const pattr_names[] = {"name", "home-country", "currency", "as-of"};

/* Where the model keeps pattr_names[i]. */
static itr_pattr *pattr_slot(itr_model *m, size_t i)
{
	itr_pattr *slots[] = {&m->name, &m->home_country, &m->currency, &m->as_of_text};

	return slots[i];
}

static void root_fields(builder *b, const elem *e)
{
	for (size_t i = 0; i < ITR_ARRAY_LEN(pattr_names); i++) {
		const char *v = attr(e, pattr_names[i]);

		if (v)
			itr_model_set_pattr(b->m, pattr_slot(b->m, i), v, loc_of(b, e),
					    pattr_names[i], b->diags);
	}
}

static void build_doc(builder *b, const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	elem e = node_elem(root);

	root_fields(b, &e);
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (is(n, "vendor"))
			build_vendor(b, n);
		else if (is(n, "service"))
			build_service(b, n);
		else if (is(n, "contract"))
			build_contract(b, n);
	}
}

/*
 * The same model from a stream of elements (itr_xml_stream()), without a
 * tree: each record's children are collected, then copied into the model at
 * the record's end tag, so the model is the one build_doc() makes of the
 * same document. The schema has checked every element before it arrives
 * here; anything else unexpected makes start() give up, and the file is then
 * loaded the usual way.
 */
#define STREAM_MAX_ATTRS 16

typedef struct streamed {
	builder b;
	int depth;
	int kind;               /* of the open record: 'v', 's', 'c', or 0 */
	size_t rec;             /* its index in the model's vendors, services or contracts */
	itr_buf text;           /* the attribute values of the current start tag */
	const char *names[STREAM_MAX_ATTRS], *values[STREAM_MAX_ATTRS];
	/* the open record's children */
	itr_ref *refs, *opts;   /* relies-on, needs or covers; options of its groups */
	size_t nrefs, cap_refs, nopts, cap_opts;
	itr_cert *certs;
	size_t ncerts, cap_certs;
	itr_data *data;
	size_t ndata, cap_data;
	itr_group *groups;      /* options: opts[first .. first + nopts) */
	size_t *first;
	size_t ngroups, cap_groups, cap_first;
} streamed;

/* Copy n items from a list of the stream into the model. */
static void *to_model(streamed *st, const void *items, size_t n, size_t size)
{
	void *v = itr_model_alloc(st->b.m, n, size);

	if (n)
		memcpy(v, items, n * size);
	return v;
}

static int stream_record(streamed *st, const char *name, const elem *e)
{
	itr_model *m = st->b.m;

	st->nrefs = st->nopts = st->ncerts = st->ndata = st->ngroups = 0;
	if (strcmp(name, "vendor") == 0) {
		vendor_fields(&st->b, itr_model_add_vendor(m), e);
		st->kind = 'v', st->rec = m->nvendors - 1;
	} else if (strcmp(name, "service") == 0) {
		service_fields(&st->b, itr_model_add_service(m), e);
		st->kind = 's', st->rec = m->nservices - 1;
	} else if (strcmp(name, "contract") == 0) {
		contract_fields(&st->b, itr_model_add_contract(m), e);
		st->kind = 'c', st->rec = m->ncontracts - 1;
	} else {
		return -1;
	}
	return 0;
}

static int stream_child(streamed *st, const char *name, const elem *e)
{
	builder *b = &st->b;

	if (st->kind == 'c' && strcmp(name, "data") != 0 && strcmp(name, "covers") != 0) {
		contract_child(b, &b->m->contracts[st->rec], name, e);
	} else if (strcmp(name, "relies-on") == 0 || strcmp(name, "needs") == 0 ||
		   strcmp(name, "covers") == 0) {
		ITR_GROW(st->refs, st->cap_refs, st->nrefs + 1);
		st->refs[st->nrefs++] = ref_of(b, e, "ref");
	} else if (strcmp(name, "certification") == 0) {
		ITR_GROW(st->certs, st->cap_certs, st->ncerts + 1);
		st->certs[st->ncerts++] = cert_of(b, e);
	} else if (strcmp(name, "data") == 0) {
		ITR_GROW(st->data, st->cap_data, st->ndata + 1);
		st->data[st->ndata++] = data_of(b, e);
	} else if (strcmp(name, "needs-any") == 0) {
		ITR_GROW(st->groups, st->cap_groups, st->ngroups + 1);
		ITR_GROW(st->first, st->cap_first, st->ngroups + 1);
		st->first[st->ngroups] = st->nopts;
		st->groups[st->ngroups++] = group_of(b, e);
	} else {
		return -1;
	}
	return 0;
}

/* The end tag of the open record: its children into the model. */
static void stream_record_end(streamed *st)
{
	itr_model *m = st->b.m;

	if (st->kind == 'v') {
		itr_vendor *v = &m->vendors[st->rec];

		v->certs = to_model(st, st->certs, st->ncerts, sizeof(*v->certs));
		v->ncerts = st->ncerts;
		v->relies_on = to_model(st, st->refs, st->nrefs, sizeof(*v->relies_on));
		v->nrelies = st->nrefs;
	} else if (st->kind == 's') {
		itr_service *s = &m->services[st->rec];

		s->needs = to_model(st, st->refs, st->nrefs, sizeof(*s->needs));
		s->nneeds = st->nrefs;
		s->data = to_model(st, st->data, st->ndata, sizeof(*s->data));
		s->ndata = st->ndata;
		for (size_t g = 0; g < st->ngroups; g++) {
			size_t end = g + 1 < st->ngroups ? st->first[g + 1] : st->nopts;

			st->groups[g].nopts = end - st->first[g];
			st->groups[g].options = to_model(st, st->opts + st->first[g],
							 st->groups[g].nopts, sizeof(*st->opts));
		}
		s->groups = to_model(st, st->groups, st->ngroups, sizeof(*s->groups));
		s->ngroups = st->ngroups;
	} else {
		itr_contract *k = &m->contracts[st->rec];

		k->covers = to_model(st, st->refs, st->nrefs, sizeof(*k->covers));
		k->ncovers = st->nrefs;
		k->data = to_model(st, st->data, st->ndata, sizeof(*k->data));
		k->ndata = st->ndata;
	}
	st->kind = 0;
}

/*
 * An attribute value as the tree has it, NUL-terminated. Without entity
 * substitution (we never ask for it) libxml2 hands SAX every '&' of a value,
 * written &amp; or &#38; in the file, as "&#38;", for the tree builder to
 * decode; no other reference is left in a value of a document without a
 * DOCTYPE (the schema validator decodes the same way).
 */
static void attr_value(itr_buf *out, const char *v, const char *end)
{
	const char *amp;

	while ((amp = memchr(v, '&', (size_t)(end - v))) != NULL) {
		itr_buf_add(out, v, (size_t)(amp - v));
		itr_buf_putc(out, '&');
		v = end - amp >= 5 && memcmp(amp, "&#38;", 5) == 0 ? amp + 5 : amp + 1;
	}
	itr_buf_add(out, v, (size_t)(end - v));
	itr_buf_putc(out, '\0');
}

static int stream_start_element(void *user, const char *name, const char *uri,
				const xmlChar **attrs, int nattrs, long line)
{
	streamed *st = user;
	size_t n = 0, off[STREAM_MAX_ATTRS];
	elem e;
	int depth = st->depth++;

	/* the values, NUL-terminated, then the pointers (the text may move) */
	st->text.len = 0;
	for (int i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (a[2])
			continue; /* in a namespace: not one of ours (attr() skips it too) */
		if (n == STREAM_MAX_ATTRS)
			return -1;
		off[n++] = st->text.len;
		attr_value(&st->text, (const char *)a[3], (const char *)a[4]);
	}
	for (size_t i = 0, k = 0; i < (size_t)nattrs && k < n; i++)
		if (!attrs[5 * i + 2]) {
			st->names[k] = (const char *)attrs[5 * i];
			st->values[k] = st->text.s + off[k];
			k++;
		}
	e = (elem){NULL, st->names, st->values, n, line};
	if (depth == 0) {
		if (strcmp(name, "portfolio") != 0 || !uri || strcmp(uri, NS_PORTFOLIO) != 0)
			return -1;
		root_fields(&st->b, &e);
		return 0;
	}
	if (depth == 1)
		return stream_record(st, name, &e);
	if (depth == 2)
		return stream_child(st, name, &e);
	if (depth == 3 && st->kind == 's' && st->ngroups && strcmp(name, "option") == 0) {
		ITR_GROW(st->opts, st->cap_opts, st->nopts + 1);
		st->opts[st->nopts++] = ref_of(&st->b, &e, "ref");
		return 0;
	}
	return -1;
}

static void stream_end_element(void *user)
{
	streamed *st = user;

	if (--st->depth == 1 && st->kind)
		stream_record_end(st);
}

/* A portfolio file into a model of its own, by the stream: the model, or
 * NULL when anything at all went wrong or was reported. */
static itr_model *stream_portfolio(itr_xml_ctx *ctx, xmlSchemaPtr schema, const char *path,
				   const char *data, size_t len)
{
	static const itr_xml_events ev = {stream_start_element, stream_end_element};
	streamed st;
	int rc;

	memset(&st, 0, sizeof(st));
	st.b.m = itr_model_new();
	st.b.diags = ctx->diags;
	st.b.file = itr_model_add_file(st.b.m, path);
	rc = itr_xml_stream(ctx, schema, data, len, &ev, &st);
	itr_buf_release(&st.text);
	free(st.refs);
	free(st.opts);
	free(st.certs);
	free(st.data);
	free(st.groups);
	free(st.first);
	if (rc != 0 || st.kind || itr_diags_count(ctx->diags) != 0) {
		itr_model_free(st.b.m);
		return NULL;
	}
	return st.b.m;
}

/* ---- the whole run ------------------------------------------------------ */

typedef enum doc_format {
	FMT_UNKNOWN,
	FMT_PORTFOLIO,
	FMT_MAPPING,
	FMT_CYCLONEDX,
	FMT_ARCHIMATE
} doc_format;

/* What a document is, from its root element and namespace alone. */
static doc_format detect_format(const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	const char *ns = itr_xml_root_ns(doc);

	if (!root || !ns)
		return FMT_UNKNOWN;
	if (is(root, "portfolio") && strcmp(ns, NS_PORTFOLIO) == 0)
		return FMT_PORTFOLIO;
	if (is(root, "mapping") && strcmp(ns, ITR_NS_MAPPING) == 0)
		return FMT_MAPPING;
	if (is(root, "bom") && strncmp(ns, ITR_NS_CYCLONEDX, strlen(ITR_NS_CYCLONEDX)) == 0)
		return FMT_CYCLONEDX;
	if (is(root, "model") && strcmp(ns, ITR_NS_ARCHIMATE) == 0)
		return FMT_ARCHIMATE;
	return FMT_UNKNOWN;
}

/*
 * A CycloneDX or ArchiMate document waiting until every mapping file is
 * read. Its bytes are kept, not its tree (up to 52 times larger): the run
 * limit bounds the bytes, and import_all() parses again one at a time.
 */
typedef struct pending {
	const char *data;   /* the bytes: owned or borrowed */
	size_t len;
	char *owned;        /* data, when read from a file; else NULL */
	const char *file;   /* the model's copy */
	doc_format format;
} pending;

typedef struct run {
	itr_model *m;
	xmlSchemaPtr schema;          /* the portfolio XSD */
	xmlSchemaPtr mapping_schema;  /* compiled on first use */
	itr_mapping map;
	pending *docs;
	size_t ndocs, cap_docs;
} run;

/* The same by the tree, the way the serial loop loads a file (load_one()). */
static itr_model *tree_portfolio(itr_xml_ctx *ctx, xmlSchemaPtr schema, const char *path,
				 const char *data, size_t len)
{
	itr_model *m = NULL;
	xmlDocPtr doc;
	double t = itr_stage_begin("parse");

	doc = itr_xml_parse(ctx, data, len);
	itr_stage_end("parse", t);
	if (!doc)
		return NULL;
	if (detect_format(doc) == FMT_PORTFOLIO) {
		int valid;

		t = itr_stage_begin("validate");
		valid = itr_xml_validate(ctx, schema, doc);
		itr_stage_end("validate", t);
		if (valid == 0) {
			builder b;

			m = itr_model_new();
			b = (builder){m, ctx->diags, itr_model_add_file(m, path)};
			t = itr_stage_begin("model");
			build_doc(&b, doc);
			itr_stage_end("model", t);
		}
	}
	t = itr_stage_begin("parse");
	xmlFreeDoc(doc);
	itr_stage_end("parse", t);
	if (m && itr_diags_count(ctx->diags) != 0) {
		itr_model_free(m);
		m = NULL;
	}
	return m;
}

/* Parse one document: a portfolio is validated and added to the model now,
 * a mapping file read into the mapping, an import's bytes kept for later:
 * then *buf (data read from a file, NULL for a document in memory, which
 * stays the caller's) becomes the run's and is set to NULL. */
static int load_one(run *r, const char *name, const char *data, size_t len, char **buf,
		    itr_xml_ctx *ctx)
{
	xmlDocPtr doc;
	builder b = {r->m, ctx->diags, itr_model_add_file(r->m, name)};
	doc_format fmt;

	double t;

	ctx->file = b.file;
	t = itr_stage_begin("parse");
	doc = itr_xml_parse(ctx, data, len);
	itr_stage_end("parse", t);
	if (!doc)
		return -1;
	fmt = detect_format(doc);
	if (fmt == FMT_UNKNOWN) {
		const xmlNode *root = xmlDocGetRootElement(doc);
		const char *ns = itr_xml_root_ns(doc);

		itr_xml_error(ctx, root ? itr_xml_line(root) : 1,
			      "the root element must be <portfolio xmlns=\"%s\">, a CycloneDX <bom "
			      "xmlns=\"%s2\">..\"%s6\">, an ArchiMate <model xmlns=\"%s\"> "
			      "or <mapping xmlns=\"%s\">, not <%s%s%s%s>",
			      NS_PORTFOLIO, ITR_NS_CYCLONEDX, ITR_NS_CYCLONEDX, ITR_NS_ARCHIMATE,
			      ITR_NS_MAPPING, root ? (const char *)root->name : "", ns ? " xmlns=\"" : "",
			      ns ? ns : "", ns ? "\"" : "");
	} else if (fmt == FMT_CYCLONEDX || fmt == FMT_ARCHIMATE) {
		ITR_GROW(r->docs, r->cap_docs, r->ndocs + 1);
		r->docs[r->ndocs++] = (pending){data, len, *buf, b.file, fmt};
		*buf = NULL;
	} else if (fmt == FMT_MAPPING) {
		if (!r->mapping_schema)
			r->mapping_schema = itr_xml_schema(itr_mapping_xsd, itr_mapping_xsd_len);
		if (itr_xml_validate(ctx, r->mapping_schema, doc) == 0)
			itr_mapping_read(&r->map, ctx, doc, b.file);
	} else {
		int valid;

		t = itr_stage_begin("validate");
		valid = itr_xml_validate(ctx, r->schema, doc);
		itr_stage_end("validate", t);
		if (valid == 0) {
			size_t before = itr_diags_count(ctx->diags);

			t = itr_stage_begin("model");
			build_doc(&b, doc);
			itr_stage_end("model", t);
			ctx->failed = itr_diags_count(ctx->diags) != before;
		}
	}
	t = itr_stage_begin("parse");
	xmlFreeDoc(doc);
	itr_stage_end("parse", t);
	return ctx->failed ? -1 : 0;
}

/*
 * Parse a kept document again. The first parse of these bytes succeeded,
 * reported nothing and counted their elements; this one is the same parse,
 * so it reports nothing either, and its elements are not counted again.
 * NULL only if libxml2 ran out of memory (then it says so).
 */
static xmlDocPtr reparse(itr_xml_ctx *ctx, const pending *pd)
{
	size_t elements = ctx->elements, max = ctx->max_elements;
	xmlDocPtr doc;

	ctx->max_elements = SIZE_MAX;
	doc = itr_xml_parse(ctx, pd->data, pd->len);
	ctx->elements = elements;
	ctx->max_elements = max;
	return doc;
}

/* Run the importers over the kept documents, in path order, with the
 * mapping of every mapping file: one tree at a time. Frees the bytes. */
static int import_all(run *r, itr_xml_ctx *ctx)
{
	int ret = 0;

	if (itr_mapping_seal(&r->map, ctx->diags) != 0)
		ret = -1;
	for (size_t i = 0; i < r->ndocs; i++) {
		pending *pd = &r->docs[i];
		itr_import im = {r->m, &r->map, ctx, pd->file};
		xmlDocPtr doc;
		int rc = -1;

		ctx->file = pd->file;
		doc = reparse(ctx, pd);
		free(pd->owned);
		pd->owned = NULL;
		ctx->failed = false;
		if (doc && pd->format == FMT_CYCLONEDX)
			rc = itr_import_cyclonedx(&im, doc);
		else if (doc)
			rc = itr_import_archimate(&im, doc);
		if (rc != 0)
			ret = -1;
		xmlFreeDoc(doc);
	}
	r->ndocs = 0;
	return ret;
}

static void run_release(run *r)
{
	for (size_t i = 0; i < r->ndocs; i++)
		free(r->docs[i].owned);
	free(r->docs);
	xmlSchemaFree(r->schema);
	xmlSchemaFree(r->mapping_schema);
	itr_mapping_release(&r->map);
	itr_model_free(r->m);
}

/* ---- loading ahead on two threads --------------------------------------- */

/*
 * Parsing, validating and building take most of the loading time, and each
 * file's share depends on the other files in three ways only: the element
 * count runs over the whole run, the portfolio attributes are compared with
 * those of earlier files, and the diagnostics come in file order. So before
 * the serial loop of itr_load(), this thread and one more take the files in
 * order and build each portfolio file that loads without a single
 * diagnostic into a model of its own, a fragment. The fragments are joined
 * to the run's model in file order, doing then what depends on the files
 * before (the byte and element counts, the attributes); the serial loop
 * loads every other file as it always did: a file that reports anything is
 * loaded again, so every message comes from the same code at the same point
 * of the run as before.
 */

/* A file loaded ahead: its model, or NULL for the serial loop to load it. */
typedef struct fragment {
	itr_model *m;
	size_t len;      /* bytes read */
	size_t elements; /* XML elements parsed */
	bool done;       /* m, len and elements are final (under ahead.lock) */
} fragment;

/* The head of the serial loop: the files joined while the others load. */
typedef struct joined {
	run *r;
	itr_xml_ctx *ctx; /* the run's (its element count) */
	itr_diags *diags;
	size_t next;      /* the first file not joined */
	size_t total;     /* bytes of the files before it */
	bool bad;         /* a joined file reported a conflicting attribute */
} joined;

typedef struct ahead {
	const inputs *in;
	const itr_limits *lim;
	fragment *frags;      /* one per input */
	size_t end;           /* files from here on are left to the serial loop */
	joined *head;         /* advanced by the calling thread only */
	pthread_mutex_t lock; /* over next, inflight and the fragments' done */
	pthread_cond_t room;  /* a document is done */
	bool tree;            /* ITORISK_LOAD_TREE: by the tree, not the stream */
	size_t next;          /* the next file to take */
	size_t inflight;      /* sizes of the files being loaded */
} ahead;

typedef struct worker {
	ahead *a;
	xmlSchemaPtr schema; /* its own (see load_all_ahead()) */
	size_t first;        /* taken for it before it started, or SIZE_MAX */
	bool draws;          /* the calling thread: it shows the progress */
} worker;

/* A file the workers load, if they get that far: not one already loaded,
 * not one the file limit refuses (the serial loop reports it). */
static bool takes(const ahead *a, size_t i)
{
	const input *x = &a->in->v[i];

	return !x->dup && x->size <= a->lim->max_file_bytes;
}

/*
 * The next file for a worker, in file order, or SIZE_MAX when none is left.
 * A tree can be 52 times its file and a run holds only one file's tree at a
 * time (README), so two files are loaded at once only while their sizes add
 * up to max_file_bytes at most; a worker waits for room otherwise.
 */
static size_t take(ahead *a)
{
	size_t i = SIZE_MAX;

	pthread_mutex_lock(&a->lock);
	for (;;) {
		while (a->next < a->end && !takes(a, a->next))
			a->next++;
		if (a->next >= a->end)
			break;
		if (!a->inflight ||
		    a->inflight + a->in->v[a->next].size <= a->lim->max_file_bytes) {
			i = a->next++;
			a->inflight += a->in->v[i].size;
			break;
		}
		pthread_cond_wait(&a->room, &a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return i;
}

/* File i is loaded: its fragment is final, its size no longer in flight. */
static void give_back(ahead *a, size_t i)
{
	pthread_mutex_lock(&a->lock);
	a->frags[i].done = true;
	a->inflight -= a->in->v[i].size;
	pthread_cond_broadcast(&a->room);
	pthread_mutex_unlock(&a->lock);
}

/* Whether the n bytes at s hold needle. O(n). */
static bool mentions(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	while (n >= k) {
		const char *p = memchr(s, needle[0], n - k + 1);

		if (!p)
			return false;
		if (memcmp(p, needle, k) == 0)
			return true;
		n -= (size_t)(p - s) + 1;
		s = p + 1;
	}
	return false;
}

/*
 * Load file i as load_one() would, but into a model of its own and with
 * diagnostics that go nowhere, and keep the model only if there were none.
 * A file that does not name the portfolio namespace (an import, a mapping)
 * is not even parsed: the serial loop has to; so is a portfolio that writes
 * its namespace with character references, which is only slower.
 */
static void load_ahead(const worker *w, size_t i, itr_xml_ctx *ctx)
{
	const input *x = &w->a->in->v[i];
	const char *data = x->data;
	char *buf = NULL;
	size_t len = x->len;
	itr_model *m = NULL;
	double t;
	int rc = 0;

	t = itr_stage_begin("read");
	if (!data)
		rc = itr_xml_read_file(x->path, w->a->lim->max_file_bytes, &buf, &len, ctx->diags);
	itr_stage_end("read", t);
	if (rc != 0)
		goto out;
	if (!data)
		data = buf;
	if (!mentions(data, len, NS_PORTFOLIO))
		goto out;
	/* the count of this file alone: the serial loop adds them up */
	ctx->file = x->path;
	ctx->elements = 0;
	/* parsed, validated and built in one pass, without a tree (a fresh
	 * model: the attributes of the root conflict with nothing) */
	if (w->a->tree) {
		m = tree_portfolio(ctx, w->schema, x->path, data, len);
	} else {
		t = itr_stage_begin("stream");
		m = stream_portfolio(ctx, w->schema, x->path, data, len);
		itr_stage_end("stream", t);
	}
	if (m) {
		fragment *f = &w->a->frags[i];

		/* not done: that is give_back()'s, under the lock */
		f->m = m;
		f->len = len;
		f->elements = ctx->elements;
		m = NULL;
	}
out:
	itr_model_free(m);
	free(buf);
	/* whether a file said something matters, not what */
	itr_diags_release(ctx->diags);
}

/* The fragment of file i, unless there is none or its elements take the run
 * past the limit: then the serial loop loads the file and reports the element
 * that does, at its line (and every file after it has no usable fragment). */
static fragment *usable(fragment *frags, size_t i, const itr_xml_ctx *ctx)
{
	if (!frags || !frags[i].m || ctx->elements + frags[i].elements > ctx->max_elements)
		return NULL;
	return &frags[i];
}

/* Add a fragment's file to the run's model as load_one() would have: its
 * portfolio attributes first, compared with those of the files before it,
 * then its elements. 0, or -1 after reporting a conflicting attribute. */
static int join(run *r, fragment *f, itr_diags *diags)
{
	size_t before = itr_diags_count(diags);
	double t = itr_stage_begin("model");

	for (size_t i = 0; i < ITR_ARRAY_LEN(pattr_names); i++) {
		const itr_pattr *p = pattr_slot(f->m, i);

		if (p->value)
			itr_model_set_pattr(r->m, pattr_slot(r->m, i), p->value, p->loc,
					    pattr_names[i], diags);
	}
	itr_model_absorb(r->m, f->m);
	f->m = NULL;
	itr_stage_end("model", t);
	return itr_diags_count(diags) == before ? 0 : -1;
}

/*
 * Join the fragments at the head of the serial loop as they come, so that
 * they do not pile up until it starts: as the serial loop would, in file
 * order, up to the first file it has to load itself (no fragment, or one
 * that takes the run past a limit: it reports that) or that is still
 * loading. Called by the calling thread between its files.
 */
static void join_ready(ahead *a)
{
	joined *h = a->head;

	for (; h->next < a->end; h->next++) {
		const input *x = &a->in->v[h->next];
		fragment *f;
		bool done;

		if (x->dup)
			continue;
		pthread_mutex_lock(&a->lock);
		done = a->frags[h->next].done;
		pthread_mutex_unlock(&a->lock);
		f = done ? usable(a->frags, h->next, h->ctx) : NULL;
		if (!f || h->total + f->len > a->lim->max_total_bytes)
			break;
		h->total += f->len;
		if (join(h->r, f, h->diags) != 0)
			h->bad = true;
		h->ctx->elements += f->elements;
	}
}

/* A worker: load files ahead until none is left. */
static void *work_ahead(void *arg)
{
	const worker *w = arg;
	itr_diags scratch;
	itr_xml_ctx ctx = {&scratch, NULL, 0, w->a->lim->max_elements, false};
	size_t i;

	itr_diags_init(&scratch);
	itr_xml_thread_begin(&ctx);
	for (i = w->first != SIZE_MAX ? w->first : take(w->a); i != SIZE_MAX; i = take(w->a)) {
		if (w->draws)
			itr_progress(i, w->a->in->n);
		load_ahead(w, i, &ctx);
		give_back(w->a, i);
		if (w->draws)
			join_ready(w->a);
	}
	itr_xml_thread_end();
	itr_diags_release(&scratch);
	return NULL;
}

/*
 * Load ahead, on this thread and a second one, the files up to the one that
 * would take the run past max_total_bytes (by the sizes they had when
 * collected), joining what it can on the way (head says how far it got):
 * one fragment per input, to free with fragments_free(). NULL when there are
 * not two such files, or no second thread: then the serial loop loads
 * everything. itr_xml_begin() must have been called; this thread's libxml2
 * errors are routed nowhere afterwards (the caller routes them back).
 */
static fragment *load_all_ahead(const inputs *in, const itr_limits *lim, xmlSchemaPtr schema,
				joined *head)
{
	ahead a;
	worker w[2];
	pthread_t thread;
	size_t total = 0, n = 0;

	memset(&a, 0, sizeof(a));
	a.in = in;
	a.lim = lim;
	a.head = head;
	/* the tests compare the two ways; the tree costs a third more */
	a.tree = getenv("ITORISK_LOAD_TREE") != NULL;
	for (a.end = 0; a.end < in->n; a.end++) {
		if (!takes(&a, a.end))
			continue;
		total += in->v[a.end].size;
		if (total > lim->max_total_bytes)
			break;
		n++;
	}
	if (n < 2)
		return NULL;
	/* libxml2's global set-up, before a second thread uses it */
	xmlInitParser();
	/* xmlSchemaParse() is not thread-safe, and one schema validating on two
	 * threads at once is not something libxml2 2.9 promises: the second
	 * thread gets a schema of its own, compiled here */
	w[1] =
	    (worker){&a, itr_xml_schema(itr_portfolio_xsd, itr_portfolio_xsd_len), SIZE_MAX, false};
	a.frags = itr_xcalloc(in->n, sizeof(*a.frags));
	if (pthread_mutex_init(&a.lock, NULL) != 0 || pthread_cond_init(&a.room, NULL) != 0)
		itr_die("cannot set up the loading threads");
	/* this thread takes the first file before there is another to take it:
	 * the progress line, which only it draws, then starts where it always did */
	w[0] = (worker){&a, schema, take(&a), true};
	if (pthread_create(&thread, NULL, work_ahead, &w[1]) == 0) {
		work_ahead(&w[0]);
		if (pthread_join(thread, NULL) != 0)
			itr_die("cannot join the loading thread");
	} else {
		/* alone, this thread would only do the serial loop's work early */
		free(a.frags);
		a.frags = NULL;
	}
	pthread_cond_destroy(&a.room);
	pthread_mutex_destroy(&a.lock);
	xmlSchemaFree(w[1].schema);
	return a.frags;
}

static void fragments_free(fragment *f, size_t n)
{
	if (!f)
		return;
	for (size_t i = 0; i < n; i++)
		itr_model_free(f[i].m);
	free(f);
}

int itr_load(itr_model **out, const itr_source *sources, size_t nsources, const itr_limits *lim,
	     itr_diags *diags)
{
	inputs in = {NULL, 0, 0};
	run r;
	itr_xml_ctx ctx = {diags, NULL, 0, 0, false};
	fragment *frags = NULL;
	joined head;
	size_t total;
	int ret = -1;
	bool bad = false;
	double t;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	itr_mapping_init(&r.map);
	if (!lim)
		lim = &itr_default_limits;
	ctx.max_elements = lim->max_elements;
	for (size_t i = 0; i < nsources; i++) {
		if (sources[i].data) {
			if (add_input(&in, sources[i].path, NULL, lim, diags) != 0) {
				bad = true;
				continue;
			}
			in.v[in.n - 1].data = sources[i].data;
			in.v[in.n - 1].len = in.v[in.n - 1].size = sources[i].len;
		} else if (collect(&in, sources[i].path, 0, true, lim, diags) != 0) {
			bad = true;
		}
	}
	if (bad)
		goto cleanup;
	if (in.n == 0) {
		itr_diag(diags, (itr_loc){nsources ? sources[0].path : "<input>", 0, 0},
			 "no portfolio files found (directories are searched for *.xml)");
		goto cleanup;
	}
	if (in.n > 1)
		qsort(in.v, in.n, sizeof(*in.v), cmp_input);
	mark_duplicates(&in);

	itr_xml_begin(&ctx);
	r.schema = itr_xml_schema(itr_portfolio_xsd, itr_portfolio_xsd_len);
	r.m = itr_model_new();
	head = (joined){&r, &ctx, diags, 0, 0, false};
	frags = load_all_ahead(&in, lim, r.schema, &head);
	itr_xml_thread_begin(&ctx); /* back from the workers' */
	total = head.total;
	bad = head.bad;
	for (size_t i = head.next; i < in.n; i++) {
		input *x = &in.v[i];
		char *buf = NULL, note[32];
		size_t len = x->len;
		fragment *f = usable(frags, i, &ctx);
		int rc = 0;

		if (x->dup)
			continue;
		itr_progress(i, in.n);
		if (f) {
			len = f->len;
		} else {
			t = itr_stage_begin("read");
			if (!x->data)
				rc = itr_xml_read_file(x->path, lim->max_file_bytes, &buf, &len,
						       diags);
			itr_stage_end("read", t);
		}
		if (rc == 0 && x->data && len > lim->max_file_bytes)
			rc = itr_diag(diags, (itr_loc){x->path, 1, 0},
				      "file is larger than the limit of %zu bytes%s", lim->max_file_bytes,
				      itr_xml_size_note(note, lim->max_file_bytes));
		if (rc != 0) {
			bad = true;
			continue;
		}
		total += len;
		if (total > lim->max_total_bytes) {
			/* line 1: the whole file crossed the line (it is not parsed) */
			itr_diag(diags, (itr_loc){x->path, 1, 0},
				 "the files of this run exceed the limit of %zu bytes%s in total",
				 lim->max_total_bytes,
				 itr_xml_size_note(note, lim->max_total_bytes));
			free(buf);
			bad = true;
			break;
		}
		if (f) {
			if (join(&r, f, diags) != 0)
				bad = true;
			ctx.elements += f->elements;
		} else if (load_one(&r, x->path, x->data ? x->data : buf, len, &buf, &ctx) != 0) {
			bad = true;
		}
		free(buf);
	}
	/* even after an error, so every importer problem is reported too */
	t = itr_stage_begin("import");
	if (import_all(&r, &ctx) != 0)
		bad = true;
	itr_stage_end("import", t);
	itr_xml_end();
	if (bad)
		goto cleanup;
	t = itr_stage_begin("integrity");
	bad = itr_model_finish(r.m, diags) != 0;
	itr_stage_end("integrity", t);
	if (bad)
		goto cleanup;
	*out = r.m;
	r.m = NULL;
	ret = 0;
cleanup:
	fragments_free(frags, in.n);
	run_release(&r);
	inputs_release(&in);
	return ret;
}
