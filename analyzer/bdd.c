#include "bdd.h"

#include "itorisk/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct itr_bdd_cache {
	itr_bdd_ref f, g, h, r;
} itr_bdd_cache;

#define TERMINAL_VAR UINT32_MAX

static size_t hash3(uint32_t a, uint32_t b, uint32_t c)
{
	uint64_t x = (uint64_t)a * 0x9e3779b97f4a7c15ull;

	x ^= (uint64_t)b + 0xbf58476d1ce4e5b9ull + (x << 6) + (x >> 2);
	x ^= (uint64_t)c + 0x94d049bb133111ebull + (x << 6) + (x >> 2);
	x ^= x >> 31;
	return (size_t)x;
}

void itr_bdd_init(itr_bdd *b, size_t max_nodes)
{
	memset(b, 0, sizeof(*b));
	b->max_nodes = max_nodes < 16 ? 16 : max_nodes;
	b->cap = 1024;
	b->node = itr_xmalloc(b->cap * sizeof(*b->node));
	b->node[0] = (itr_bdd_node){TERMINAL_VAR, 0, 0};
	b->node[1] = (itr_bdd_node){TERMINAL_VAR, 1, 1};
	b->n = 2;
	b->table_size = 2048;
	b->table = itr_xcalloc(b->table_size, sizeof(*b->table));
	b->cache_size = 1u << 16;
	b->cache = itr_xcalloc(b->cache_size, sizeof(*b->cache));
}

void itr_bdd_release(itr_bdd *b)
{
	free(b->node);
	free(b->table);
	free(b->cache);
	memset(b, 0, sizeof(*b));
}

static void rehash(itr_bdd *b)
{
	size_t size = b->table_size * 2;
	uint32_t *t = itr_xcalloc(size, sizeof(*t));

	for (size_t i = 2; i < b->n; i++) {
		size_t h = hash3(b->node[i].var, b->node[i].lo, b->node[i].hi) & (size_t)(size - 1);

		while (t[h])
			h = (h + 1) & (size - 1);
		t[h] = (uint32_t)i;
	}
	free(b->table);
	b->table = t;
	b->table_size = size;
	/* a bigger diagram deserves a bigger operation cache */
	if (b->cache_size < (1u << 22) && b->cache_size < size) {
		free(b->cache);
		b->cache_size *= 4;
		b->cache = itr_xcalloc(b->cache_size, sizeof(*b->cache));
	}
}

/* The unique node (var, lo, hi), reduced. */
static itr_bdd_ref make(itr_bdd *b, uint32_t var, itr_bdd_ref lo, itr_bdd_ref hi)
{
	size_t h;

	if (lo == hi)
		return lo;
	h = hash3(var, lo, hi) & (b->table_size - 1);
	while (b->table[h]) {
		const itr_bdd_node *x = &b->node[b->table[h]];

		if (x->var == var && x->lo == lo && x->hi == hi)
			return b->table[h];
		h = (h + 1) & (b->table_size - 1);
	}
	if (b->n >= b->max_nodes) {
		b->overflow = true;
		return ITR_BDD_FALSE;
	}
	ITR_GROW(b->node, b->cap, b->n + 1);
	b->node[b->n] = (itr_bdd_node){var, lo, hi};
	b->table[h] = (uint32_t)b->n;
	b->n++;
	if (b->n * 2 > b->table_size)
		rehash(b);
	return (itr_bdd_ref)(b->n - 1);
}

itr_bdd_ref itr_bdd_var(itr_bdd *b, uint32_t var)
{
	return make(b, var, ITR_BDD_FALSE, ITR_BDD_TRUE);
}

static uint32_t top(const itr_bdd *b, itr_bdd_ref f)
{
	return b->node[f].var;
}

static itr_bdd_ref cofactor(const itr_bdd *b, itr_bdd_ref f, uint32_t var, bool value)
{
	if (top(b, f) != var)
		return f;
	return value ? b->node[f].hi : b->node[f].lo;
}

itr_bdd_ref itr_bdd_ite(itr_bdd *b, itr_bdd_ref f, itr_bdd_ref g, itr_bdd_ref h)
{
	itr_bdd_cache *c;
	uint32_t v;
	itr_bdd_ref lo, hi, r;

	if (b->overflow)
		return ITR_BDD_FALSE;
	if (f == ITR_BDD_TRUE)
		return g;
	if (f == ITR_BDD_FALSE)
		return h;
	if (g == h)
		return g;
	if (g == ITR_BDD_TRUE && h == ITR_BDD_FALSE)
		return f;
	c = &b->cache[hash3(f, g, h) & (b->cache_size - 1)];
	if (c->f == f && c->g == g && c->h == h && c->r)
		return c->r - 1;
	v = top(b, f);
	if (top(b, g) < v)
		v = top(b, g);
	if (top(b, h) < v)
		v = top(b, h);
	lo = itr_bdd_ite(b, cofactor(b, f, v, false), cofactor(b, g, v, false),
			 cofactor(b, h, v, false));
	hi = itr_bdd_ite(b, cofactor(b, f, v, true), cofactor(b, g, v, true),
			 cofactor(b, h, v, true));
	r = make(b, v, lo, hi);
	/* the cache may have been reallocated by make() */
	c = &b->cache[hash3(f, g, h) & (b->cache_size - 1)];
	*c = (itr_bdd_cache){f, g, h, r + 1};
	return r;
}

itr_bdd_ref itr_bdd_and(itr_bdd *b, itr_bdd_ref f, itr_bdd_ref g)
{
	return itr_bdd_ite(b, f, g, ITR_BDD_FALSE);
}

itr_bdd_ref itr_bdd_or(itr_bdd *b, itr_bdd_ref f, itr_bdd_ref g)
{
	return itr_bdd_ite(b, f, ITR_BDD_TRUE, g);
}

itr_bdd_ref itr_bdd_atleast(itr_bdd *b, const itr_bdd_ref *f, size_t n, size_t k)
{
	/* t[j] = "at least j of the functions seen so far", j = 0..k */
	itr_bdd_ref *t = itr_xmalloc((k + 1) * sizeof(*t)), r;

	if (k == 0) {
		free(t);
		return ITR_BDD_TRUE;
	}
	t[0] = ITR_BDD_TRUE;
	for (size_t j = 1; j <= k; j++)
		t[j] = ITR_BDD_FALSE;
	for (size_t i = 0; i < n; i++)
		for (size_t j = k; j >= 1; j--)
			t[j] = itr_bdd_ite(b, f[i], t[j - 1], t[j]);
	r = t[k];
	free(t);
	return r;
}

double itr_bdd_probability(const itr_bdd *b, itr_bdd_ref f, const double *p, double *memo,
			   unsigned char *done)
{
	const itr_bdd_node *x;
	double r;

	if (f == ITR_BDD_FALSE)
		return 0.0;
	if (f == ITR_BDD_TRUE)
		return 1.0;
	if (done[f])
		return memo[f];
	x = &b->node[f];
	r = p[x->var] * itr_bdd_probability(b, x->hi, p, memo, done) +
	    (1.0 - p[x->var]) * itr_bdd_probability(b, x->lo, p, memo, done);
	memo[f] = r;
	done[f] = 1;
	return r;
}
