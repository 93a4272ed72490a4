/*
 * The model: storage, sealing (sort, number, resolve) and the integrity
 * rules of SPEC §1.
 */
#include "itorisk/model.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A chunked arena: strings and small arrays of one model, freed together. */
struct itr_arena_block {
	itr_arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

#define ARENA_BLOCK 65536

void *itr_model_alloc(itr_model *m, size_t count, size_t size)
{
	size_t n, align = _Alignof(max_align_t);
	itr_arena_block *b = m->arena;

	if (size && count > SIZE_MAX / size)
		itr_die("allocation size overflow");
	n = count * size;
	n = (n + align - 1) & ~(align - 1);
	if (!b || b->size - b->used < n) {
		size_t bs = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;

		b = itr_xmalloc(sizeof(*b) + bs);
		b->size = bs;
		b->used = 0;
		if (n > ARENA_BLOCK / 4 && m->arena) {
			/* a big one-off block: keep the current block in front */
			b->next = m->arena->next;
			m->arena->next = b;
		} else {
			b->next = m->arena;
			m->arena = b;
		}
	}
	b->used += n;
	memset(b->data + b->used - n, 0, n);
	return b->data + b->used - n;
}

const char *itr_model_strdup(itr_model *m, const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s);
	d = itr_model_alloc(m, n + 1, 1);
	memcpy(d, s, n + 1);
	return d;
}

itr_model *itr_model_new(void)
{
	itr_model *m = itr_xcalloc(1, sizeof(*m));

	m->as_of = ITR_DATE_NONE;
	return m;
}

void itr_model_free(itr_model *m)
{
	itr_arena_block *b, *next;

	if (!m)
		return;
	for (b = m->arena; b; b = next) {
		next = b->next;
		free(b);
	}
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->files);
	free(m->vendors);
	free(m->services);
	free(m->contracts);
	free(m->elems);
	free(m->id_table);
	free(m->elem_ids);
	free(m);
}

const char *itr_model_add_file(itr_model *m, const char *name)
{
	ITR_GROW(m->files, m->cap_files, m->nfiles + 1);
	m->files[m->nfiles] = itr_xstrdup(name);
	return m->files[m->nfiles++];
}

itr_vendor *itr_model_add_vendor(itr_model *m)
{
	itr_vendor *v;

	ITR_GROW(m->vendors, m->cap_vendors, m->nvendors + 1);
	v = &m->vendors[m->nvendors++];
	memset(v, 0, sizeof(*v));
	v->parent.target = ITR_NONE;
	return v;
}

itr_service *itr_model_add_service(itr_model *m)
{
	itr_service *s;

	ITR_GROW(m->services, m->cap_services, m->nservices + 1);
	s = &m->services[m->nservices++];
	memset(s, 0, sizeof(*s));
	s->criticality = ITR_CRIT_STANDARD;
	s->provider.target = ITR_NONE;
	s->rto.seconds = -1;
	s->availability = -1;
	s->contract = ITR_NONE;
	return s;
}

itr_contract *itr_model_add_contract(itr_model *m)
{
	itr_contract *c;

	ITR_GROW(m->contracts, m->cap_contracts, m->ncontracts + 1);
	c = &m->contracts[m->ncontracts++];
	memset(c, 0, sizeof(*c));
	c->vendor.target = ITR_NONE;
	c->start = c->end = ITR_DATE_NONE;
	c->notice.seconds = -1;
	c->auto_renew = -1;
	c->annual_cost = -1;
	c->sla.availability = -1;
	c->sla.rto.seconds = c->sla.rpo.seconds = -1;
	c->exit.tested_on = ITR_DATE_NONE;
	c->exit.transition.seconds = -1;
	c->exit.substitutability = ITR_SUBST_UNSET;
	c->exit.cost = -1;
	c->subcontracting = ITR_SUBCON_UNSET;
	return c;
}

/* Append ns records of `size` bytes to an array of *n with room for *cap. */
static void append_records(void **arr, size_t *n, size_t *cap, const void *src, size_t ns,
			   size_t size)
{
	if (!ns)
		return;
	itr_xgrow(arr, cap, *n + ns, size);
	memcpy((unsigned char *)*arr + *n * size, src, ns * size);
	*n += ns;
}

void itr_model_absorb(itr_model *dst, itr_model *src)
{
	assert(!dst->finished && !src->finished);
	append_records((void **)&dst->vendors, &dst->nvendors, &dst->cap_vendors, src->vendors,
		       src->nvendors, sizeof(*src->vendors));
	append_records((void **)&dst->services, &dst->nservices, &dst->cap_services, src->services,
		       src->nservices, sizeof(*src->services));
	append_records((void **)&dst->contracts, &dst->ncontracts, &dst->cap_contracts,
		       src->contracts, src->ncontracts, sizeof(*src->contracts));
	/* the pointers move, not the names: locations point at them */
	append_records((void **)&dst->files, &dst->nfiles, &dst->cap_files, src->files, src->nfiles,
		       sizeof(*src->files));
	src->nfiles = 0;
	if (src->arena) {
		itr_arena_block *last = src->arena;

		while (last->next)
			last = last->next;
		/* behind dst's current block, which dst goes on filling */
		if (dst->arena) {
			last->next = dst->arena->next;
			dst->arena->next = src->arena;
		} else {
			dst->arena = src->arena;
		}
		src->arena = NULL;
	}
	itr_model_free(src);
}

void itr_model_set_pattr(itr_model *m, itr_pattr *attr, const char *value, itr_loc loc,
			 const char *name, itr_diags *diags)
{
	if (!attr->value) {
		attr->value = itr_model_strdup(m, value);
		attr->loc = loc;
	} else if (strcmp(attr->value, value) != 0) {
		itr_diag(diags, loc, "portfolio attribute '%s' is '%s' here but '%s' at %s:%ld",
			 name, value, attr->value, attr->loc.file, attr->loc.line);
	}
}

/* ---- sealing ------------------------------------------------------------ */

/* The id's first 8 bytes, big-endian, 0-padded: compares as strcmp. */
static uint64_t id_prefix(const char *id)
{
	uint64_t p = 0;

	for (int i = 0; i < 8; i++) {
		p <<= 8;
		if (*id)
			p |= (unsigned char)*id++;
	}
	return p;
}

static const char *record_id(const unsigned char *records, size_t size, size_t id_offset,
			     size_t i)
{
	const char *id;

	memcpy(&id, records + i * size + id_offset, sizeof(id));
	return id;
}

/*
 * Sort the positions index[0..n) of records whose ids agree on their first
 * `depth` bytes (none of them NUL) by the ids' next 8 bytes, stably, then
 * each run that agrees on those too (and has no NUL among them) by the 8
 * after: O(n) per level, one level per 8 bytes ids share. key is scratch.
 */
static void sort_ids_from(const unsigned char *records, size_t size, size_t id_offset,
			  size_t *index, uint64_t *key, size_t n, size_t depth)
{
	for (size_t i = 0; i < n; i++)
		key[i] = id_prefix(record_id(records, size, id_offset, index[i]) + depth);
	itr_sort_u64(key, index, n);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && key[j] == key[i]; j++)
			;
		/* equal ids (a NUL among the 8 bytes) stay in load order */
		if (j - i > 1 && (key[i] & 0xff))
			sort_ids_from(records, size, id_offset, index + i, key + i, j - i, depth + 8);
	}
}

/*
 * Sort n records of `size` bytes whose `const char *` id sits at id_offset,
 * by id, stably (equal ids keep their load order): their positions are
 * sorted by radix sorts of 8 bytes at a time, then the records moved once.
 * Sorting the records themselves would move each one O(log n) times.
 */
static void sort_by_id(void *records, size_t n, size_t size, size_t id_offset)
{
	uint64_t *key;
	size_t *index;
	unsigned char *from = records, *to;

	if (n < 2)
		return;
	key = itr_xmalloc(n * sizeof(*key));
	index = itr_xmalloc(n * sizeof(*index));
	for (size_t i = 0; i < n; i++)
		index[i] = i;
	sort_ids_from(from, size, id_offset, index, key, n, 0);
	to = itr_xmalloc(n * size);
	for (size_t i = 0; i < n; i++)
		memcpy(to + i * size, from + index[i] * size, size);
	memcpy(records, to, n * size);
	free(to);
	free(index);
	free(key);
}

/* FNV-1a, 64 bits: the id table's hash (low bits pick the slot, high bits
 * are kept in it). */
static uint64_t hash_id(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return h ^ (h >> 29);
}

/* A slot of the id table: the hash's upper bits (a mismatch there skips the
 * string compare) and the element, UINT32_MAX when empty. */
struct itr_id_slot {
	uint32_t hash;
	uint32_t elem;
};

/* The id table over the numbered elements: load factor at most 1/2. */
static void build_id_table(itr_model *m)
{
	size_t cap = 16;

	while (cap < 2 * m->nelems)
		cap *= 2;
	m->id_table = itr_xmalloc(cap * sizeof(*m->id_table));
	for (size_t i = 0; i < cap; i++)
		m->id_table[i] = (struct itr_id_slot){0, UINT32_MAX};
	m->id_mask = cap - 1;
	m->elem_ids = itr_xmalloc((m->nelems + 1) * sizeof(*m->elem_ids));
	for (size_t e = 0; e < m->nelems; e++) {
		uint64_t h = hash_id(itr_model_elem_id(m, e));
		size_t i = (size_t)h & m->id_mask;

		m->elem_ids[e] = itr_model_elem_id(m, e);
		while (m->id_table[i].elem != UINT32_MAX)
			i = (i + 1) & m->id_mask;
		m->id_table[i] = (struct itr_id_slot){(uint32_t)(h >> 32), (uint32_t)e};
	}
}

static int cmp_loc(itr_loc a, itr_loc b)
{
	int c = strcmp(a.file ? a.file : "", b.file ? b.file : "");

	if (c)
		return c;
	return a.line < b.line ? -1 : a.line > b.line;
}

typedef struct id_entry {
	const char *id;
	itr_loc loc;
} id_entry;

static int cmp_id_entry(const void *pa, const void *pb)
{
	const id_entry *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	return c ? c : cmp_loc(a->loc, b->loc);
}

/* Ids are unique across vendors, services and contracts: report each
 * occurrence of a duplicate with the location of another one. */
static int check_duplicates(const itr_model *m, itr_diags *diags)
{
	size_t n = m->nvendors + m->nservices + m->ncontracts, k = 0;
	id_entry *all = itr_xmalloc(n * sizeof(*all));
	int ret = 0;

	size_t iv = 0, is = 0, ic = 0;

	/* the three arrays are sorted by id already: merge them, O(n) */
	while (k < n) {
		const char *v = iv < m->nvendors ? m->vendors[iv].id : NULL;
		const char *sv = is < m->nservices ? m->services[is].id : NULL;
		const char *c = ic < m->ncontracts ? m->contracts[ic].id : NULL;

		if (v && (!sv || strcmp(v, sv) <= 0) && (!c || strcmp(v, c) <= 0)) {
			all[k++] = (id_entry){v, m->vendors[iv++].loc};
		} else if (sv && (!c || strcmp(sv, c) <= 0)) {
			all[k++] = (id_entry){sv, m->services[is++].loc};
		} else {
			all[k++] = (id_entry){c, m->contracts[ic++].loc};
		}
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && strcmp(all[j].id, all[i].id) == 0)
			j++;
		if (j - i > 1) /* a duplicate (rare): its members by location */
			qsort(&all[i], j - i, sizeof(*all), cmp_id_entry);
		for (size_t x = i; j - i > 1 && x < j; x++) {
			const id_entry *other = &all[x == i ? i + 1 : i];

			ret = itr_diag(diags, all[x].loc, "duplicate id '%s' (also defined at %s:%ld)",
				       all[x].id, other->loc.file, other->loc.line);
		}
		i = j;
	}
	free(all);
	return ret;
}

/* ---- merging imported elements ------------------------------------------
 *
 * Elements read from CycloneDX or ArchiMate files are `imported`. After the
 * sort, a run of elements of one kind with the same id that holds at most
 * one portfolio element becomes one element: the base is the portfolio
 * element if there is one, else the imported one at the smallest location
 * (file, then line). The others are merged into it in location order:
 * attributes the base leaves unset are taken from them, repeated children
 * (needs, options groups, data, certifications, relies-on, covers) are
 * appended, a reference already present is not added again. The result keeps
 * the location of its first imported definition, so findings point into the
 * original file, and stays `imported`. Two portfolio elements with one id
 * are left alone for check_duplicates() to report.
 */

/* Order of the members of a group: portfolio first, then by location. */
static int cmp_member(bool ia, itr_loc la, bool ib, itr_loc lb)
{
	if (ia != ib)
		return ia ? 1 : -1;
	return cmp_loc(la, lb);
}

/* dst's refs followed by those of src whose id dst does not have; O(n m). */
static void merge_refs(itr_model *m, itr_ref **dst, size_t *nd, const itr_ref *src, size_t ns)
{
	itr_ref *v;
	size_t n = *nd;

	if (!ns)
		return;
	v = itr_model_alloc(m, *nd + ns, sizeof(*v));
	if (*nd)
		memcpy(v, *dst, *nd * sizeof(*v));
	for (size_t i = 0; i < ns; i++) {
		bool seen = false;

		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(v[k].id, src[i].id) == 0;
		if (!seen)
			v[n++] = src[i];
	}
	*dst = v;
	*nd = n;
}

/* Append arrays of any element type (in the arena). */
static void *append(itr_model *m, void *a, size_t na, const void *b, size_t nb, size_t size)
{
	unsigned char *v;

	if (!nb)
		return a;
	v = itr_model_alloc(m, na + nb, size);
	if (na)
		memcpy(v, a, na * size);
	memcpy(v + na * size, b, nb * size);
	return v;
}

static void merge_vendor(itr_model *m, itr_vendor *d, const itr_vendor *s)
{
	if (!d->name)
		d->name = s->name;
	if (!d->country)
		d->country = s->country;
	if (!d->lei)
		d->lei = s->lei;
	if (!d->parent.id)
		d->parent = s->parent;
	d->certs = append(m, d->certs, d->ncerts, s->certs, s->ncerts, sizeof(*d->certs));
	d->ncerts += s->ncerts;
	merge_refs(m, &d->relies_on, &d->nrelies, s->relies_on, s->nrelies);
	if (s->imported && (!d->imported || cmp_loc(s->loc, d->loc) < 0))
		d->loc = s->loc;
	d->imported = true;
}

static void merge_service(itr_model *m, itr_service *d, const itr_service *s)
{
	if (!d->name)
		d->name = s->name;
	if (!d->criticality_set && s->criticality_set) {
		d->criticality = s->criticality;
		d->criticality_set = true;
	}
	if (!d->provider.id)
		d->provider = s->provider;
	if (!d->delivered_from)
		d->delivered_from = s->delivered_from;
	if (d->rto.seconds < 0)
		d->rto = s->rto;
	if (d->availability < 0)
		d->availability = s->availability;
	if (!d->owner)
		d->owner = s->owner;
	if (!d->trust_zone)
		d->trust_zone = s->trust_zone;
	d->trust_boundary = d->trust_boundary || s->trust_boundary;
	merge_refs(m, &d->needs, &d->nneeds, s->needs, s->nneeds);
	d->groups = append(m, d->groups, d->ngroups, s->groups, s->ngroups, sizeof(*d->groups));
	d->ngroups += s->ngroups;
	d->data = append(m, d->data, d->ndata, s->data, s->ndata, sizeof(*d->data));
	d->ndata += s->ndata;
	if (s->imported && (!d->imported || cmp_loc(s->loc, d->loc) < 0))
		d->loc = s->loc;
	d->imported = true;
}

static void merge_contract(itr_model *m, itr_contract *d, const itr_contract *s)
{
	if (d->end == ITR_DATE_NONE)
		d->end = s->end;
	if (d->notice.seconds < 0)
		d->notice = s->notice;
	if (d->auto_renew < 0)
		d->auto_renew = s->auto_renew;
	if (d->annual_cost < 0)
		d->annual_cost = s->annual_cost;
	if (!d->sla.present && s->sla.present) {
		d->sla = s->sla;
		d->nsla = s->nsla;
	}
	if (!d->exit.present && s->exit.present) {
		d->exit = s->exit;
		d->nexit = s->nexit;
	}
	if (d->subcontracting == ITR_SUBCON_UNSET) {
		d->subcontracting = s->subcontracting;
		d->nsubcon = s->nsubcon;
	}
	merge_refs(m, &d->covers, &d->ncovers, s->covers, s->ncovers);
	d->data = append(m, d->data, d->ndata, s->data, s->ndata, sizeof(*d->data));
	d->ndata += s->ndata;
	if (s->imported && (!d->imported || cmp_loc(s->loc, d->loc) < 0))
		d->loc = s->loc;
	d->imported = true;
}

/*
 * Merge one sorted array of elements (vendors, services or contracts) in
 * place; returns the new count. The element type is generic through the
 * accessors; groups are small, so members are ordered by selection.
 * Time O(n) plus O(k^2) for a group of k members and the appended children.
 */
#define MERGE_ARRAY(fn, type, mergefn)                                                         \
	static size_t fn(itr_model *m, type *v, size_t n)                                      \
	{                                                                                      \
		size_t out = 0;                                                                \
		for (size_t i = 0; i < n;) {                                                   \
			size_t j = i + 1, ports = !v[i].imported;                              \
			while (j < n && strcmp(v[j].id, v[i].id) == 0)                         \
				ports += !v[j++].imported;                                     \
			if (j - i == 1 || ports > 1) {                                         \
				/* unique, or a duplicate check_duplicates() reports */        \
				memmove(&v[out], &v[i], (j - i) * sizeof(*v));                 \
				out += j - i;                                                  \
				i = j;                                                         \
				continue;                                                      \
			}                                                                      \
			/* selection order: base first, then the rest by location */           \
			for (size_t a = i; a < j; a++) {                                       \
				size_t best = a;                                               \
				for (size_t b = a + 1; b < j; b++)                             \
					if (cmp_member(v[b].imported, v[b].loc, v[best].imported,   \
						       v[best].loc) < 0)                        \
						best = b;                                      \
				if (best != a) {                                               \
					type tmp = v[a];                                       \
					v[a] = v[best];                                        \
					v[best] = tmp;                                         \
				}                                                              \
			}                                                                      \
			for (size_t a = i + 1; a < j; a++)                                     \
				mergefn(m, &v[i], &v[a]);                                      \
			v[out++] = v[i];                                                       \
			i = j;                                                                 \
		}                                                                              \
		return out;                                                                    \
	}

MERGE_ARRAY(merge_vendors, itr_vendor, merge_vendor)
MERGE_ARRAY(merge_services, itr_service, merge_service)
MERGE_ARRAY(merge_contracts, itr_contract, merge_contract)

static void merge_imported(itr_model *m)
{
	m->nvendors = merge_vendors(m, m->vendors, m->nvendors);
	m->nservices = merge_services(m, m->services, m->nservices);
	m->ncontracts = merge_contracts(m, m->contracts, m->ncontracts);
}

size_t itr_model_find(const itr_model *m, const char *id)
{
	size_t lo = 0, hi = m->nelems;

	if (m->id_mask) {
		/* with duplicate ids (an invalid model) the first numbered is found */
		uint64_t h = hash_id(id);

		for (size_t i = (size_t)h & m->id_mask; m->id_table[i].elem != UINT32_MAX;
		     i = (i + 1) & m->id_mask)
			if (m->id_table[i].hash == (uint32_t)(h >> 32) &&
			    strcmp(m->elem_ids[m->id_table[i].elem], id) == 0)
				return m->id_table[i].elem;
		return ITR_NONE;
	}

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, itr_model_elem_id(m, mid));

		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return ITR_NONE;
}

size_t itr_model_find_contract(const itr_model *m, const char *id)
{
	size_t lo = 0, hi = m->ncontracts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, m->contracts[mid].id);

		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return ITR_NONE;
}

const char *itr_model_elem_id(const itr_model *m, size_t elem)
{
	const itr_elem *e = &m->elems[elem];

	return e->kind == ITR_ELEM_VENDOR ? m->vendors[e->index].id : m->services[e->index].id;
}

itr_loc itr_model_elem_loc(const itr_model *m, size_t elem)
{
	const itr_elem *e = &m->elems[elem];

	return e->kind == ITR_ELEM_VENDOR ? m->vendors[e->index].loc : m->services[e->index].loc;
}

const itr_vendor *itr_model_elem_vendor(const itr_model *m, size_t elem)
{
	const itr_elem *e = &m->elems[elem];

	return e->kind == ITR_ELEM_VENDOR ? &m->vendors[e->index] : NULL;
}

const itr_service *itr_model_elem_service(const itr_model *m, size_t elem)
{
	const itr_elem *e = &m->elems[elem];

	return e->kind == ITR_ELEM_SERVICE ? &m->services[e->index] : NULL;
}

/* Resolve r to an element of the wanted kind; report what it names otherwise. */
static int resolve(const itr_model *m, itr_ref *r, itr_elem_kind want, const char *what,
		   itr_diags *diags)
{
	const char *want_name = want == ITR_ELEM_VENDOR ? "vendor" : "service";
	size_t e = itr_model_find(m, r->id);

	r->target = ITR_NONE;
	if (e != ITR_NONE && m->elems[e].kind == want) {
		r->target = e;
		return 0;
	}
	if (!diags)
		return -1;
	if (e != ITR_NONE)
		return itr_diag(diags, r->loc, "%s '%s' is a %s, not a %s", what, r->id,
				want == ITR_ELEM_VENDOR ? "service" : "vendor", want_name);
	if (itr_model_find_contract(m, r->id) != ITR_NONE)
		return itr_diag(diags, r->loc, "%s '%s' is a contract, not a %s", what, r->id,
				want_name);
	return itr_diag(diags, r->loc, "%s '%s' names no %s", what, r->id, want_name);
}

static void number_elements(itr_model *m)
{
	size_t i = 0, j = 0, k = 0;

	m->nelems = m->nvendors + m->nservices;
	m->elems = itr_xmalloc(m->nelems * sizeof(*m->elems));
	while (i < m->nvendors || j < m->nservices) {
		bool vendor_first = j >= m->nservices ||
			(i < m->nvendors && strcmp(m->vendors[i].id, m->services[j].id) <= 0);

		if (vendor_first) {
			m->vendors[i].elem = k;
			m->elems[k++] = (itr_elem){ITR_ELEM_VENDOR, i++};
		} else {
			m->services[j].elem = k;
			m->elems[k++] = (itr_elem){ITR_ELEM_SERVICE, j++};
		}
	}
}

/* A parent chain that loops; reported once, at the vendor of the loop with the smallest id. */
static int check_parent_loops(const itr_model *m, itr_diags *diags)
{
	/* 0 = unvisited, 1 = on the current path, 2 = done */
	unsigned char *state = itr_xcalloc(m->nvendors, 1);
	int ret = 0;

	for (size_t i = 0; i < m->nvendors; i++) {
		size_t v = i;

		while (state[v] == 0) {
			const itr_vendor *vv = &m->vendors[v];

			state[v] = 1;
			if (vv->parent.target == ITR_NONE)
				break;
			v = m->elems[vv->parent.target].index;
		}
		if (state[v] == 1 && m->vendors[v].parent.target != ITR_NONE) {
			/* v is on a loop: walk it once to find its smallest member */
			size_t first = v, min = v;
			itr_buf path = ITR_BUF_INIT;

			for (size_t w = m->elems[m->vendors[v].parent.target].index; w != first;
			     w = m->elems[m->vendors[w].parent.target].index)
				if (w < min)
					min = w;
			itr_buf_puts(&path, m->vendors[min].id);
			for (size_t w = m->elems[m->vendors[min].parent.target].index;;
			     w = m->elems[m->vendors[w].parent.target].index) {
				itr_buf_printf(&path, " -> %s", m->vendors[w].id);
				if (w == min)
					break;
			}
			ret = itr_diag(diags, m->vendors[min].parent.loc,
				       "corporate parent chain loops: %s", itr_buf_str(&path));
			itr_buf_release(&path);
		}
		/* mark the whole path done */
		for (v = i; state[v] == 1;) {
			state[v] = 2;
			if (m->vendors[v].parent.target == ITR_NONE)
				break;
			v = m->elems[m->vendors[v].parent.target].index;
		}
	}
	free(state);
	return ret;
}

static int check_contract(itr_model *m, size_t ci, itr_diags *diags)
{
	itr_contract *c = &m->contracts[ci];
	int ret = 0;

	if (c->ncovers == 0)
		ret = itr_diag(diags, c->loc, "contract '%s' covers no service", c->id);
	if (c->nsla > 1)
		ret = itr_diag(diags, c->loc, "contract '%s' has %u sla elements, at most one is allowed",
			       c->id, c->nsla);
	if (c->nexit > 1)
		ret = itr_diag(diags, c->loc,
			       "contract '%s' has %u exit elements, at most one is allowed", c->id,
			       c->nexit);
	if (c->nsubcon > 1)
		ret = itr_diag(diags, c->loc,
			       "contract '%s' has %u subcontracting elements, at most one is allowed",
			       c->id, c->nsubcon);
	if (c->end != ITR_DATE_NONE && c->start != ITR_DATE_NONE && c->end < c->start)
		ret = itr_diag(diags, c->loc, "contract '%s' ends before it starts", c->id);
	for (size_t k = 0; k < c->ncovers; k++) {
		itr_ref *r = &c->covers[k];
		itr_service *s;

		if (r->target == ITR_NONE)
			continue;
		s = &m->services[m->elems[r->target].index];
		if (s->contract == ci) {
			ret = itr_diag(diags, r->loc, "contract '%s' covers '%s' twice", c->id, s->id);
			continue;
		}
		if (s->contract != ITR_NONE) {
			const itr_contract *o = &m->contracts[s->contract];

			ret = itr_diag(diags, r->loc,
				       "service '%s' is already covered by contract '%s' at %s:%ld",
				       s->id, o->id, o->loc.file, o->loc.line);
			continue;
		}
		s->contract = ci;
		if (c->vendor.target == ITR_NONE)
			continue;
		if (!s->provider.id)
			ret = itr_diag(diags, r->loc,
				       "service '%s' has no provider but is covered by contract '%s' of vendor '%s'",
				       s->id, c->id, c->vendor.id);
		else if (s->provider.target != ITR_NONE && s->provider.target != c->vendor.target)
			ret = itr_diag(diags, r->loc,
				       "service '%s' is provided by '%s' but covered by contract '%s' of vendor '%s'",
				       s->id, s->provider.id, c->id, c->vendor.id);
	}
	return ret;
}

/*
 * Resolve the references of services [lo, hi) and, with all, of the vendors
 * and contracts, and check the needs-any mins; with diags NULL quietly
 * (false when anything fails, and then nothing is said), else saying what
 * fails, in record order.
 */
static bool resolve_records(itr_model *m, size_t lo, size_t hi, bool all, itr_diags *diags)
{
	bool ok = true;

	for (size_t i = 0; all && i < m->nvendors; i++) {
		itr_vendor *v = &m->vendors[i];

		if (v->parent.id)
			ok &= resolve(m, &v->parent, ITR_ELEM_VENDOR, "parent", diags) == 0;
		for (size_t k = 0; k < v->nrelies; k++)
			ok &= resolve(m, &v->relies_on[k], ITR_ELEM_VENDOR, "relies-on", diags) == 0;
	}
	for (size_t i = lo; i < hi; i++) {
		itr_service *s = &m->services[i];

		if (s->provider.id)
			ok &= resolve(m, &s->provider, ITR_ELEM_VENDOR, "provider", diags) == 0;
		for (size_t k = 0; k < s->nneeds; k++)
			ok &= resolve(m, &s->needs[k], ITR_ELEM_SERVICE, "needs", diags) == 0;
		for (size_t g = 0; g < s->ngroups; g++) {
			itr_group *gr = &s->groups[g];

			for (size_t k = 0; k < gr->nopts; k++)
				ok &= resolve(m, &gr->options[k], ITR_ELEM_SERVICE, "option", diags) == 0;
			if (gr->min >= 1 && gr->min <= gr->nopts)
				continue;
			ok = false;
			if (diags)
				itr_diag(diags, gr->loc,
					 "needs-any min=\"%lu\" is outside 1..%zu (the number of options)",
					 gr->min, gr->nopts);
		}
	}
	for (size_t i = 0; all && i < m->ncontracts; i++) {
		itr_contract *c = &m->contracts[i];

		ok &= resolve(m, &c->vendor, ITR_ELEM_VENDOR, "vendor", diags) == 0;
		for (size_t k = 0; k < c->ncovers; k++)
			ok &= resolve(m, &c->covers[k], ITR_ELEM_SERVICE, "covers", diags) == 0;
	}
	return ok;
}

typedef struct quiet_part {
	itr_model *m;
	size_t lo, hi;
	bool all, ok;
} quiet_part;

static void *resolve_part(void *arg)
{
	quiet_part *p = arg;

	p->ok = resolve_records(p->m, p->lo, p->hi, p->all, NULL);
	return NULL;
}

/*
 * Every reference resolved quietly on two threads (each writes its own
 * records' targets; the model is read only otherwise): true when all
 * resolved, as they do in a valid portfolio. Hash lookups that miss the
 * cache are most of the integrity stage on a large one.
 */
static bool resolve_all_quietly(itr_model *m)
{
	quiet_part a = {m, 0, m->nservices / 2, true, false};
	quiet_part b = {m, m->nservices / 2, m->nservices, false, false};
	pthread_t t;
	bool threaded = m->nservices > 1000 && pthread_create(&t, NULL, resolve_part, &b) == 0;

	if (!threaded) {
		a.hi = m->nservices;
		b.ok = true;
	}
	resolve_part(&a);
	if (threaded && pthread_join(t, NULL) != 0)
		itr_die("cannot join the resolving thread");
	return a.ok && b.ok;
}

/* One sort_by_id(), for a second thread. */
typedef struct sort_job {
	void *records;
	size_t n, size, id_offset;
} sort_job;

static void *run_sort(void *arg)
{
	const sort_job *j = arg;

	sort_by_id(j->records, j->n, j->size, j->id_offset);
	return NULL;
}

typedef struct dup_job {
	const itr_model *m;
	itr_diags *diags;
} dup_job;

static void *run_duplicates(void *arg)
{
	const dup_job *j = arg;

	check_duplicates(j->m, j->diags);
	return NULL;
}

int itr_model_finish(itr_model *m, itr_diags *diags)
{
	size_t before = itr_diags_count(diags);
	dup_job dup;
	/* the services (most of the records) on a second thread meanwhile */
	sort_job services = {m->services, m->nservices, sizeof(*m->services),
			     offsetof(itr_service, id)};
	pthread_t other;
	bool threaded = m->nservices >= 4096 && pthread_create(&other, NULL, run_sort, &services) == 0;

	sort_by_id(m->vendors, m->nvendors, sizeof(*m->vendors), offsetof(itr_vendor, id));
	sort_by_id(m->contracts, m->ncontracts, sizeof(*m->contracts), offsetof(itr_contract, id));
	if (!threaded)
		run_sort(&services);
	else if (pthread_join(other, NULL) != 0)
		itr_die("cannot join the sorting thread");
	merge_imported(m);
	/* duplicates found on a second thread while the elements are numbered
	 * and the id table built (both only read the sorted records' ids) */
	dup = (dup_job){m, diags};
	threaded = m->nservices >= 4096 && pthread_create(&other, NULL, run_duplicates, &dup) == 0;
	if (!threaded)
		run_duplicates(&dup);
	number_elements(m);
	build_id_table(m);
	if (threaded && pthread_join(other, NULL) != 0)
		itr_die("cannot join the thread looking for duplicate ids");

	/* with messages in order, when a reference does not resolve */
	if (!resolve_all_quietly(m))
		resolve_records(m, 0, m->nservices, true, diags);
	check_parent_loops(m, diags);
	for (size_t i = 0; i < m->ncontracts; i++)
		check_contract(m, i, diags);
	if (m->as_of_text.value && itr_date_parse(m->as_of_text.value, &m->as_of) != 0)
		itr_diag(diags, m->as_of_text.loc, "bad date '%s'", m->as_of_text.value);

	m->finished = itr_diags_count(diags) == before;
	return m->finished ? 0 : -1;
}

/* ---- dates and durations ------------------------------------------------ */

static int days_in_month(long y, int mo)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : dm[mo - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, int mo, int d)
{
	long era, yoe, doy, doe;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int itr_date_parse(const char *s, itr_date *out)
{
	long y = 0;
	int mo, d;

	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;

		if (dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return -1;
	}
	if (s[10] != '\0')
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	mo = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	*out = (itr_date)days_from_civil(y, mo, d);
	return 0;
}

void itr_date_civil(itr_date days, long *year, long *month, long *day)
{
	/* inverse of days_from_civil */
	long z = (long)days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp + (mp < 10 ? 3 : -9);
	y += *month <= 2;
	*year = y < 0 || y > 9999 ? 0 : y;
}

/* The digits written out: printf costs thousands of instructions a call in
 * this process (see util.c), and every contract's dates are formatted. */
void itr_date_format(itr_date days, char buf[static 11])
{
	long y, mo, d;

	itr_date_civil(days, &y, &mo, &d);
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + mo / 10);
	buf[6] = (char)('0' + mo % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int itr_duration_parse(const char *s, double *out)
{
	double total = 0;
	bool time = false, any = false;

	if (*s++ != 'P')
		return -1;
	while (*s) {
		char *end;
		double v, unit;

		if (*s == 'T') {
			if (time || !s[1])
				return -1;
			time = true;
			s++;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		v = strtod(s, &end);
		if (errno || end == s)
			return -1;
		switch (*end) {
		case 'Y': unit = 365.0 * 86400; break;
		case 'M': unit = time ? 60 : 30.0 * 86400; break;
		case 'D': unit = 86400; break;
		case 'H': unit = 3600; break;
		case 'S': unit = 1; break;
		default: return -1;
		}
		if (((*end == 'Y' || *end == 'D') && time) || ((*end == 'H' || *end == 'S') && !time))
			return -1;
		total += v * unit;
		any = true;
		s = end + 1;
	}
	if (!any)
		return -1;
	*out = total;
	return 0;
}

const char *itr_criticality_name(itr_criticality c)
{
	static const char *const names[] = {"critical", "important", "standard", "low"};

	return names[c];
}
