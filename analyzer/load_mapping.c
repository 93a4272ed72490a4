/*
 * The user's mapping file (urn:itorisk:mapping:1) and the naming rules the
 * importers share: ids from bom-refs, vendor keys from free-text names,
 * property values to our attributes (see import.h and README "Importing").
 */
#include "import.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const itr_attr_names[ITR_ATTR_COUNT + 1] = {
	"criticality",      "rto",
	"availability",     "owner",
	"delivered-from",   "provider",
	"country",          "contract",
	"contract:sourcing", "contract:shoring",
	"contract:start",   "contract:end",
	"contract:notice",  "contract:auto-renew",
	"contract:annual-cost", "sla:availability",
	"sla:rto",          "sla:rpo",
	"ignore",           NULL,
};

static const char *const crit_names[] = {"critical", "important", "standard", "low", NULL};
static const char *const class_names[] = {"public", "internal", "confidential", "restricted",
					  NULL};
static const char *const akind_names[] = {"ignore", "service", "vendor", NULL};

/* ---- small text helpers ------------------------------------------------- */

static int index_of(const char *s, const char *const *table)
{
	for (int i = 0; table[i]; i++)
		if (strcmp(s, table[i]) == 0)
			return i;
	return -1;
}

static int index_of_nocase(const char *s, const char *const *table)
{
	for (int i = 0; table[i]; i++)
		if (strcasecmp(s, table[i]) == 0)
			return i;
	return -1;
}

/* Trimmed and ASCII-lowercased copy of s, into out (reset first). */
static void fold(const char *s, itr_buf *out)
{
	size_t n;

	out->len = 0;
	itr_buf_puts(out, "");
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++)
		itr_buf_putc(out, (char)tolower((unsigned char)s[i]));
}

void itr_xml_text(const xmlNode *n, itr_buf *out)
{
	itr_buf raw = ITR_BUF_INIT;
	const char *s;
	size_t len;

	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			itr_buf_puts(&raw, (const char *)c->content);
	s = itr_buf_str(&raw);
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	out->len = 0;
	itr_buf_add(out, s, len);
	itr_buf_release(&raw);
}

const xmlNode *itr_xml_child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (itr_xml_is(c, name))
			return c;
	return NULL;
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* ---- ids and vendor names ----------------------------------------------- */

static bool ncname_char(unsigned char c, bool first)
{
	if (isalpha(c) || c == '_')
		return true;
	return !first && (isdigit(c) || c == '-' || c == '.');
}

const char *itr_import_id(itr_model *m, const char *raw)
{
	itr_buf b = ITR_BUF_INIT;
	size_t len = strlen(raw);
	const char *id;

	if (len && len <= 256 && xmlValidateNCName((const xmlChar *)raw, 0) == 0)
		return itr_model_strdup(m, raw);
	/* Deterministic and collision-free in practice: every byte outside
	 * [A-Za-z0-9._-] becomes '_', a leading non-letter gets a '_' in front,
	 * long names are cut to 200 bytes, and the FNV-1a hash of the original
	 * tells apart the names this folds together. */
	if (!len || !ncname_char((unsigned char)raw[0], true))
		itr_buf_putc(&b, '_');
	for (size_t i = 0; i < len && b.len < 200; i++)
		itr_buf_putc(&b, ncname_char((unsigned char)raw[i], false) ? raw[i] : '_');
	itr_buf_printf(&b, "-%08x", (unsigned)fnv1a(raw));
	id = itr_model_strdup(m, itr_buf_str(&b));
	itr_buf_release(&b);
	return id;
}

static bool legal_form(const char *w)
{
	static const char *const forms[] = {
		"inc", "incorporated", "ltd", "limited", "llc", "llp", "gmbh", "ag", "sa", "sas",
		"sarl", "corp", "corporation", "co", "company", "plc", "bv", "nv", "srl", "spa",
		"oy", "ab", "as", "kg", "kk", "pty", "se", NULL};

	return index_of(w, forms) >= 0;
}

bool itr_vendor_key(const char *name, itr_buf *out)
{
	char **words = NULL;
	size_t nw = 0, cap = 0, first = 0;
	itr_buf w = ITR_BUF_INIT;
	int depth = 0;
	const char *at = strchr(name, '@');
	const char *end = name + strlen(name);

	/* "someone@example.org" (no spaces): the local part names the person */
	if (at && at > name && !strpbrk(name, " \t<"))
		end = at;
	for (const char *p = name;; p++) {
		unsigned char c = p < end ? (unsigned char)*p : ' ';

		if (c == '(' || c == '<' || c == '[')
			depth++;
		else if ((c == ')' || c == '>' || c == ']') && depth > 0)
			depth--;
		else if (depth == 0 && (isalnum(c) || c >= 0x80))
			itr_buf_putc(&w, (char)tolower(c));
		else if (w.len) {
			ITR_GROW(words, cap, nw + 1);
			words[nw++] = itr_buf_detach(&w);
		}
		if (p >= end)
			break;
	}
	itr_buf_release(&w);
	if (nw > 1 && strcmp(words[0], "the") == 0)
		first = 1;
	while (nw - first > 1 && legal_form(words[nw - 1]))
		free(words[--nw]);
	out->len = 0;
	itr_buf_puts(out, "");
	for (size_t i = first; i < nw; i++)
		itr_buf_puts(out, words[i]);
	for (size_t i = 0; i < nw; i++)
		free(words[i]);
	free(words);
	return out->len > 0;
}

/* ---- the mapping tables ------------------------------------------------- */

void itr_mapping_init(itr_mapping *mp)
{
	memset(mp, 0, sizeof(*mp));
}

static void table_release(itr_map_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].key);
		free(t->v[i].value);
	}
	free(t->v);
}

void itr_mapping_release(itr_mapping *mp)
{
	if (!mp)
		return;
	table_release(&mp->aliases);
	table_release(&mp->properties);
	table_release(&mp->classes);
	table_release(&mp->zones);
	table_release(&mp->crits);
	table_release(&mp->types);
	itr_mapping_init(mp);
}

static void table_add(itr_map_table *t, const char *key, const char *value, int num, int num2,
		      itr_loc loc)
{
	itr_map_entry *e;

	ITR_GROW(t->v, t->cap, t->n + 1);
	e = &t->v[t->n++];
	e->key = itr_xstrdup(key);
	e->value = value ? itr_xstrdup(value) : NULL;
	e->num = num;
	e->num2 = num2;
	e->loc = loc;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const itr_map_entry *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	c = strcmp(a->loc.file, b->loc.file);
	if (c)
		return c;
	return a->loc.line < b->loc.line ? -1 : a->loc.line > b->loc.line;
}

static const itr_map_entry *table_get(const itr_map_table *t, const char *key)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, t->v[mid].key);

		if (c == 0)
			return &t->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool same_entry(const itr_map_entry *a, const itr_map_entry *b)
{
	if (a->num != b->num || a->num2 != b->num2)
		return false;
	if (!a->value || !b->value)
		return a->value == b->value;
	return strcmp(a->value, b->value) == 0;
}

/* Sort; an entry repeated with the same meaning is dropped, with another
 * meaning it is an error at each later location. */
static int table_seal(itr_map_table *t, const char *what, itr_diags *diags)
{
	size_t k = 0;
	int ret = 0;

	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp_entry);
	for (size_t i = 0; i < t->n; i++) {
		if (k > 0 && strcmp(t->v[k - 1].key, t->v[i].key) == 0) {
			if (!same_entry(&t->v[k - 1], &t->v[i]))
				ret = itr_diag(diags, t->v[i].loc,
					       "%s '%s' is mapped differently at %s:%ld", what,
					       t->v[i].key, t->v[k - 1].loc.file, t->v[k - 1].loc.line);
			free(t->v[i].key);
			free(t->v[i].value);
			continue;
		}
		t->v[k++] = t->v[i];
	}
	t->n = k;
	return ret;
}

int itr_mapping_seal(itr_mapping *mp, itr_diags *diags)
{
	int ret = 0;

	ret |= table_seal(&mp->aliases, "vendor name", diags);
	ret |= table_seal(&mp->properties, "property", diags);
	ret |= table_seal(&mp->classes, "classification", diags);
	ret |= table_seal(&mp->zones, "trust zone", diags);
	ret |= table_seal(&mp->crits, "criticality", diags);
	ret |= table_seal(&mp->types, "element type", diags);
	return ret ? -1 : 0;
}

int itr_mapping_read(itr_mapping *mp, itr_xml_ctx *ctx, const xmlDoc *doc, const char *file)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	itr_buf key = ITR_BUF_INIT;

	for (const xmlNode *n = root->children; n; n = n->next) {
		itr_loc loc = {file, itr_xml_line(n), 0};
		const char *name = itr_xml_attr(n, "name");

		if (n->type != XML_ELEMENT_NODE)
			continue;
		/* the schema guarantees the attributes and their values */
		if (itr_xml_is(n, "vendor-alias")) {
			if (!itr_vendor_key(name, &key)) {
				itr_xml_error(ctx, loc.line, "vendor name '%s' has no letter or digit",
					      name);
				continue;
			}
			table_add(&mp->aliases, key.s, itr_xml_attr(n, "vendor"), 0, 0, loc);
			continue;
		}
		if (itr_xml_is(n, "criticality"))
			name = itr_xml_attr(n, "value");
		fold(name, &key);
		if (itr_xml_is(n, "property")) {
			table_add(&mp->properties, key.s, NULL,
				  index_of(itr_xml_attr(n, "attribute"), itr_attr_names), 0, loc);
		} else if (itr_xml_is(n, "criticality")) {
			table_add(&mp->crits, key.s, NULL, index_of(itr_xml_attr(n, "as"), crit_names),
				  0, loc);
		} else if (itr_xml_is(n, "classification")) {
			const char *personal = itr_xml_attr(n, "personal");

			table_add(&mp->classes, key.s, NULL,
				  index_of(itr_xml_attr(n, "as"), class_names),
				  personal ? strcmp(personal, "true") == 0 || strcmp(personal, "1") == 0
					   : -1,
				  loc);
		} else if (itr_xml_is(n, "trust-zone")) {
			table_add(&mp->zones, key.s, itr_xml_attr(n, "country"), 0, 0, loc);
		} else if (itr_xml_is(n, "element-type")) {
			table_add(&mp->types, key.s, NULL, index_of(itr_xml_attr(n, "as"), akind_names),
				  0, loc);
		}
	}
	itr_buf_release(&key);
	return ctx->failed ? -1 : 0;
}

/* ---- applying the mapping ----------------------------------------------- */

const char *itr_import_vendor_id(itr_import *im, const char *name)
{
	itr_buf key = ITR_BUF_INIT;
	const itr_map_entry *alias;
	const char *id = NULL;

	if (name && itr_vendor_key(name, &key)) {
		alias = im->map ? table_get(&im->map->aliases, key.s) : NULL;
		id = alias ? itr_model_strdup(im->m, alias->value) : itr_import_id(im->m, key.s);
	}
	itr_buf_release(&key);
	return id;
}

int itr_import_attr(itr_import *im, const char *name, bool builtin_plain, long line)
{
	itr_buf key = ITR_BUF_INIT;
	const itr_map_entry *e;
	int a = -1;

	fold(name, &key);
	e = im->map ? table_get(&im->map->properties, key.s) : NULL;
	if (e) {
		a = e->num;
	} else if (strncmp(key.s, "itorisk:", 8) == 0) {
		a = index_of(key.s + 8, itr_attr_names);
		if (a < 0) {
			itr_xml_error(im->ctx, line, "unknown property '%s' (itorisk: names are %s)",
				      name, "criticality, rto, availability, owner, delivered-from, "
				      "provider, country, contract, contract:*, sla:*");
			a = -2;
		}
	} else if (builtin_plain) {
		a = index_of(key.s, itr_attr_names);
	}
	itr_buf_release(&key);
	return a == ITR_ATTR_IGNORE ? -1 : a;
}

void itr_import_class(const itr_import *im, const char *name, itr_class *cls, int *personal)
{
	static const struct {
		const char *name;
		itr_class cls;
		int personal;
	} builtin[] = {
		{"public", ITR_CLASS_PUBLIC, -1},
		{"internal", ITR_CLASS_INTERNAL, -1},
		{"confidential", ITR_CLASS_CONFIDENTIAL, -1},
		{"restricted", ITR_CLASS_RESTRICTED, -1},
		{"secret", ITR_CLASS_RESTRICTED, -1},
		{"pii", ITR_CLASS_CONFIDENTIAL, 1},
		{"personal", ITR_CLASS_CONFIDENTIAL, 1},
		{"spi", ITR_CLASS_RESTRICTED, 1},
		{"phi", ITR_CLASS_RESTRICTED, 1},
		{"pifi", ITR_CLASS_CONFIDENTIAL, 1},
		{"pci", ITR_CLASS_RESTRICTED, 1},
	};
	itr_buf key = ITR_BUF_INIT;
	const itr_map_entry *e;

	fold(name, &key);
	*cls = ITR_CLASS_INTERNAL; /* an unknown label is not public */
	*personal = -1;
	e = im->map ? table_get(&im->map->classes, key.s) : NULL;
	if (e) {
		*cls = (itr_class)e->num;
		*personal = e->num2;
	} else {
		for (size_t i = 0; i < ITR_ARRAY_LEN(builtin); i++) {
			if (strcmp(key.s, builtin[i].name) == 0) {
				*cls = builtin[i].cls;
				*personal = builtin[i].personal;
				break;
			}
		}
	}
	itr_buf_release(&key);
}

static bool is_country(const char *s)
{
	return isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) && !s[2] &&
	       !(s[0] & 0x80) && !(s[1] & 0x80);
}

const char *itr_import_zone_country(const itr_import *im, const char *zone)
{
	itr_buf key = ITR_BUF_INIT;
	const itr_map_entry *e;
	const char *c = NULL;

	fold(zone, &key);
	e = im->map ? table_get(&im->map->zones, key.s) : NULL;
	if (e)
		c = itr_model_strdup(im->m, e->value);
	else if (is_country(zone))
		c = itr_model_strdup(im->m, zone);
	itr_buf_release(&key);
	return c;
}

/* ---- element properties ------------------------------------------------- */

void itr_props_set(itr_import *im, itr_props *p, int attr, const char *value, long line)
{
	if (attr < 0)
		return;
	if (p->val[attr]) {
		itr_xml_error(im->ctx, line, "'%s' is given twice (also at line %ld)",
			      itr_attr_names[attr], p->line[attr]);
		return;
	}
	p->val[attr] = value;
	p->line[attr] = line;
}

static void bad_value(itr_import *im, const itr_props *p, int a, const char *expect)
{
	itr_xml_error(im->ctx, p->line[a], "bad value '%s' for '%s' (%s)", p->val[a],
		      itr_attr_names[a], expect);
}

static bool get_number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Each helper parses attribute a if given: true if absent or fine. */
static bool get_duration(itr_import *im, const itr_props *p, int a, itr_duration *out)
{
	if (!p->val[a])
		return true;
	if (itr_duration_parse(p->val[a], &out->seconds) != 0) {
		bad_value(im, p, a, "an xs:duration such as PT4H");
		out->seconds = -1;
		return false;
	}
	out->text = itr_model_strdup(im->m, p->val[a]);
	return true;
}

static bool get_date(itr_import *im, const itr_props *p, int a, itr_date *out)
{
	if (p->val[a] && itr_date_parse(p->val[a], out) != 0) {
		bad_value(im, p, a, "a date YYYY-MM-DD");
		return false;
	}
	return true;
}

static bool get_percent(itr_import *im, const itr_props *p, int a, double *out)
{
	if (p->val[a] && !get_number(p->val[a], 0, 100, out)) {
		bad_value(im, p, a, "a percentage from 0 to 100");
		return false;
	}
	return true;
}

static bool get_enum(itr_import *im, const itr_props *p, int a, const char *const *names,
		     const char *expect, int *out)
{
	int v;

	if (!p->val[a])
		return true;
	v = index_of_nocase(p->val[a], names);
	if (v < 0) {
		bad_value(im, p, a, expect);
		return false;
	}
	*out = v;
	return true;
}

static bool get_id(itr_import *im, const itr_props *p, int a, const char **out)
{
	if (!p->val[a])
		return true;
	if (xmlValidateNCName((const xmlChar *)p->val[a], 0) != 0 || strlen(p->val[a]) > 256) {
		bad_value(im, p, a, "an id: a letter or '_', then letters, digits, '-', '.', '_'");
		return false;
	}
	*out = itr_model_strdup(im->m, p->val[a]);
	return true;
}

static bool get_country(itr_import *im, const itr_props *p, int a, const char **out)
{
	if (!p->val[a])
		return true;
	if (!is_country(p->val[a])) {
		bad_value(im, p, a, "an ISO 3166-1 alpha-2 country such as DE");
		return false;
	}
	*out = itr_model_strdup(im->m, p->val[a]);
	return true;
}

static void make_contract(itr_import *im, size_t si, const itr_props *p)
{
	static const char *const sourcings[] = {"total", "selective", "co-sourcing", NULL};
	static const char *const shorings[] = {"offshore", "nearshore", "onshore", "homeshore",
					       NULL};
	static const char *const bools[] = {"false", "true", "0", "1", NULL};
	const itr_service *s = &im->m->services[si];
	long line = p->line[ITR_ATTR_CONTRACT];
	itr_loc loc = {im->file, line, 0};
	const char *id = NULL;
	int sourcing = -1, shoring = -1, renew = -1;
	itr_contract *c;

	if (!get_id(im, p, ITR_ATTR_CONTRACT, &id))
		return;
	if (!s->provider.id) {
		itr_xml_error(im->ctx, line,
			      "contract '%s' covers '%s', which has no provider (vendor)", id, s->id);
		return;
	}
	for (int a = ITR_ATTR_CONTRACT_SOURCING; a <= ITR_ATTR_CONTRACT_START; a++)
		if (!p->val[a])
			itr_xml_error(im->ctx, line, "contract '%s' needs 'itorisk:%s'", id,
				      itr_attr_names[a]);
	c = itr_model_add_contract(im->m);
	c->imported = true;
	c->id = id;
	c->loc = loc;
	c->vendor = (itr_ref){s->provider.id, ITR_NONE, loc};
	c->covers = itr_model_alloc(im->m, 1, sizeof(*c->covers));
	c->covers[c->ncovers++] = (itr_ref){s->id, ITR_NONE, loc};
	get_enum(im, p, ITR_ATTR_CONTRACT_SOURCING, sourcings, "total, selective or co-sourcing",
		 &sourcing);
	get_enum(im, p, ITR_ATTR_CONTRACT_SHORING, shorings,
		 "offshore, nearshore, onshore or homeshore", &shoring);
	c->sourcing = sourcing < 0 ? ITR_SOURCING_SELECTIVE : (itr_sourcing)sourcing;
	c->shoring = shoring < 0 ? ITR_SHORING_ONSHORE : (itr_shoring)shoring;
	get_date(im, p, ITR_ATTR_CONTRACT_START, &c->start);
	get_date(im, p, ITR_ATTR_CONTRACT_END, &c->end);
	get_duration(im, p, ITR_ATTR_CONTRACT_NOTICE, &c->notice);
	if (get_enum(im, p, ITR_ATTR_CONTRACT_AUTO_RENEW, bools, "true or false", &renew) &&
	    renew >= 0)
		c->auto_renew = renew % 2;
	if (p->val[ITR_ATTR_CONTRACT_ANNUAL_COST] &&
	    !get_number(p->val[ITR_ATTR_CONTRACT_ANNUAL_COST], 0, HUGE_VAL, &c->annual_cost))
		bad_value(im, p, ITR_ATTR_CONTRACT_ANNUAL_COST, "an amount, 0 or more");
	if (p->val[ITR_ATTR_SLA_AVAILABILITY] || p->val[ITR_ATTR_SLA_RTO] ||
	    p->val[ITR_ATTR_SLA_RPO]) {
		c->sla.present = true;
		c->nsla = 1;
		c->sla.loc = loc;
		get_percent(im, p, ITR_ATTR_SLA_AVAILABILITY, &c->sla.availability);
		get_duration(im, p, ITR_ATTR_SLA_RTO, &c->sla.rto);
		get_duration(im, p, ITR_ATTR_SLA_RPO, &c->sla.rpo);
	}
}

void itr_props_apply_service(itr_import *im, size_t si, const itr_props *p)
{
	itr_service *s = &im->m->services[si];
	const char *v = p->val[ITR_ATTR_CRITICALITY];
	const char *provider = NULL;

	if (v) {
		itr_buf key = ITR_BUF_INIT;
		const itr_map_entry *e;
		int c;

		fold(v, &key);
		e = im->map ? table_get(&im->map->crits, key.s) : NULL;
		c = e ? e->num : index_of(key.s, crit_names);
		if (c < 0) {
			bad_value(im, p, ITR_ATTR_CRITICALITY, "critical, important, standard or low");
		} else {
			s->criticality = (itr_criticality)c;
			s->criticality_set = true;
		}
		itr_buf_release(&key);
	}
	get_duration(im, p, ITR_ATTR_RTO, &s->rto);
	get_percent(im, p, ITR_ATTR_AVAILABILITY, &s->availability);
	if (p->val[ITR_ATTR_OWNER])
		s->owner = itr_model_strdup(im->m, p->val[ITR_ATTR_OWNER]);
	get_country(im, p, ITR_ATTR_DELIVERED_FROM, &s->delivered_from);
	if (p->val[ITR_ATTR_PROVIDER] && get_id(im, p, ITR_ATTR_PROVIDER, &provider))
		s->provider = (itr_ref){provider, ITR_NONE,
					{im->file, p->line[ITR_ATTR_PROVIDER], 0}};
	if (p->val[ITR_ATTR_CONTRACT]) {
		make_contract(im, si, p);
		return;
	}
	for (int a = ITR_ATTR_CONTRACT_SOURCING; a <= ITR_ATTR_SLA_RPO; a++)
		if (p->val[a])
			itr_xml_error(im->ctx, p->line[a], "'itorisk:%s' without 'itorisk:contract'",
				      itr_attr_names[a]);
}

void itr_props_apply_vendor(itr_import *im, size_t vi, const itr_props *p)
{
	get_country(im, p, ITR_ATTR_COUNTRY, &im->m->vendors[vi].country);
}

/* ---- a small string map ------------------------------------------------- */

void itr_strmap_release(itr_strmap *t)
{
	free(t->keys);
	free(t->vals);
	memset(t, 0, sizeof(*t));
}

static size_t slot_of(const itr_strmap *t, const char *key)
{
	size_t i = fnv1a(key) & (t->cap - 1);

	while (t->keys[i] && strcmp(t->keys[i], key) != 0)
		i = (i + 1) & (t->cap - 1);
	return i;
}

size_t itr_strmap_get(const itr_strmap *t, const char *key)
{
	size_t i;

	if (!t->cap)
		return ITR_NONE;
	i = slot_of(t, key);
	return t->keys[i] ? t->vals[i] : ITR_NONE;
}

size_t itr_strmap_put(itr_strmap *t, const char *key, size_t val)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		itr_strmap old = *t;

		t->cap = old.cap ? old.cap * 2 : 64;
		t->keys = itr_xcalloc(t->cap, sizeof(*t->keys));
		t->vals = itr_xcalloc(t->cap, sizeof(*t->vals));
		for (size_t k = 0; k < old.cap; k++) {
			if (old.keys[k]) {
				i = slot_of(t, old.keys[k]);
				t->keys[i] = old.keys[k];
				t->vals[i] = old.vals[k];
			}
		}
		free(old.keys);
		free(old.vals);
	}
	i = slot_of(t, key);
	if (!t->keys[i]) {
		t->keys[i] = key;
		t->vals[i] = val;
		t->n++;
	}
	return t->vals[i];
}
