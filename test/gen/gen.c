/*
 * gen.c - deterministic random portfolios (see gen.h).
 *
 * Two phases. itr_gen_new() draws the structure from one PRNG stream: ranks,
 * providers, relies-on, parents, dependency groups, contracts and the layout of
 * elements over files. itr_gen_write_file() then decorates each element from
 * a stream of its own, seeded from (seed, kind, index), so a file's bytes do
 * not depend on which files were written before it.
 *
 * Acyclicity comes from ranks: every service and every vendor has a rank (a
 * random permutation of the indices, so that ids and input order reveal
 * nothing), and ordinary references only go from a higher rank to a lower one.
 * Cycles, when wanted, are planted on purpose and counted. Parents always go
 * down in rank, so they form a forest whatever the cycle setting.
 *
 * The enterprise shape (ent_build) keeps both phases, the writers and the
 * acyclicity argument: ranks are "slots" laid out bottom-up (sites, network,
 * core and shared platform, then each domain's platform, applications and
 * business services; hyperscalers, fourth parties, then direct vendors), and
 * every reference but the planted cycles goes down in slot. What bounds the
 * closures is where the references may go: inside the owner's domain, to the
 * platform services the domain uses, or to the bottom layer of another domain.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "gen.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define NONE ((size_t)-1)
#define MAX_COUNT ((size_t)1 << 31)
#define MAX_FILES ((size_t)1000000)
#define DEFAULT_AS_OF "2026-11-01"
#define ID_SIZE 64

/* Streams: one per kind of decision, so that adding a decision to one kind
 * does not shift the others. */
enum stream {
	S_MAIN,
	S_VENDOR,
	S_SERVICE,
	S_CONTRACT,
	S_VENDOR_ID,
	S_SERVICE_ID,
	S_CONTRACT_ID,
	S_CONTRACT_START
};

/* Element kinds in the per-file layout (index * 4 + kind). */
enum kind { K_VENDOR, K_SERVICE, K_CONTRACT };

/* A needs (min == 0, one ref) or a needs-any group of a service. */
struct group {
	size_t owner;
	size_t next;  /* next group of the same owner, NONE at the end */
	size_t first; /* first ref in refs[] */
	unsigned n;
	unsigned min;
};

/* A relies-on reference. */
struct vref {
	size_t to;
	size_t next;
};

struct contract {
	size_t vendor;
	size_t first; /* first service in covers[] */
	size_t n;
};

struct ent; /* the enterprise shape's structure, NULL for the random shape */

struct itr_gen {
	itr_gen_params p;
	uint64_t seed;  /* mixed from p.seed */
	long as_of;     /* days since 1970-01-01 */
	size_t nsvc, nven, nfile;
	size_t nfourth; /* vendors of rank < nfourth are fourth parties */

	size_t *svc_rank, *svc_at; /* index -> rank, rank -> index */
	size_t *provider;          /* vendor index or NONE */
	size_t *grp_head, *grp_tail;

	size_t *ven_rank, *ven_at;
	size_t *parent; /* vendor index or NONE */
	size_t *vref_head, *vref_tail;

	struct group *groups;
	size_t ngroups, groups_cap;
	size_t *refs;
	size_t nrefs, refs_cap;
	struct vref *vrefs;
	size_t nvrefs, vrefs_cap;
	struct contract *contracts;
	size_t ncontracts, contracts_cap;
	size_t *covers;
	size_t ncovers;

	/* vendor -> its services; fourth party rank -> direct vendors relying on it */
	size_t *vs_first, *vs;
	size_t *fp_first, *fp;

	size_t *file_first; /* nfile + 1 offsets into layout[] */
	size_t *layout;     /* index * 4 + kind */

	struct ent *ent;

	itr_gen_stats stats;
};

/* PRNG: splitmix64. Small, fast, and its output is fixed by the C standard's
 * unsigned arithmetic, so every machine draws the same numbers. */
typedef struct rng {
	uint64_t s;
} rng;

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rng_next(rng *r)
{
	r->s += UINT64_C(0x9e3779b97f4a7c15);
	return mix64(r->s);
}

/* Uniform in [0, n); n must be positive. The modulo bias is negligible here
 * and, being deterministic, harmless. */
static size_t rng_below(rng *r, size_t n)
{
	return (size_t)(rng_next(r) % (uint64_t)n);
}

/* Uniform in [0, 1), exactly representable, so comparisons are portable. */
static double rng_unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int rng_chance(rng *r, double p)
{
	return rng_unit(r) < p;
}

static rng rng_for(const itr_gen *g, enum stream st, size_t index)
{
	rng r;

	r.s = mix64(mix64(g->seed ^ (uint64_t)st) ^ (uint64_t)index);
	return r;
}

static void shuffle(rng *r, size_t *a, size_t n)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = rng_below(r, i);
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Calendar: days since 1970-01-01 for the proleptic Gregorian calendar
 * (H. Hinnant's algorithms), for years 1000-9999. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe, mp;

	y -= m <= 2;
	era = y / 400;
	yoe = (unsigned)(y - era * 400);
	mp = m > 2 ? m - 3 : m + 9;
	doy = (153 * mp + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

static int parse_date(long *out, const char *s)
{
	long y, yy;
	unsigned m, d, mm, dd;
	size_t i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000L + (s[1] - '0') * 100L + (s[2] - '0') * 10L + (s[3] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	/* Contract dates go up to 12 years either side: keep them 4-digit. */
	if (y < 1100 || y > 9900 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*out = days_from_civil(y, m, d);
	civil_from_days(*out, &yy, &mm, &dd);
	return yy == y && mm == m && dd == d ? 0 : -1; /* rejects 2026-02-30 */
}

static void format_date(char buf[16], long day)
{
	long y;
	unsigned m, d;

	civil_from_days(day, &y, &m, &d);
	/* years stay in 1088-9912 (parse_date's range, 12 years either side);
	 * the modulos only tell the compiler that the text fits */
	snprintf(buf, 16, "%04d-%02u-%02u", (int)(y % 10000), m % 100, d % 100);
}

/* Growable arrays: returns the (possibly moved) array, or NULL with errno. */
static void *grow(void *a, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *b;

	if (need <= *cap)
		return a;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / elem) {
		errno = ENOMEM;
		return NULL;
	}
	b = realloc(a, n * elem);
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	*cap = n;
	return b;
}

static size_t *alloc_sizes(size_t n, size_t fill)
{
	size_t *a, i;

	if (n > SIZE_MAX / sizeof *a - 1) {
		errno = ENOMEM;
		return NULL;
	}
	a = malloc((n + 1) * sizeof *a);
	if (!a) {
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i <= n; i++)
		a[i] = fill;
	return a;
}

/* n * share, rounded, in integers: a floating multiply-add could be fused on
 * some targets and round differently. share * 2^32 is exact; n < 2^31. */
static size_t round_share(size_t n, double share)
{
	uint64_t q = (uint64_t)(share * 4294967296.0);

	return (size_t)(((uint64_t)n * q + (UINT64_C(1) << 31)) >> 32);
}

/* ---- identifiers ----------------------------------------------------------
 *
 * An id is a prefix that does not end in a digit, then the element's index in
 * decimal, possibly zero-padded. A string splits into such a prefix and digits
 * in one way only, the prefix sets of the three kinds are disjoint, and within
 * a kind the indices differ: so ids are unique by construction.
 */

static const char *const svc_prefix_mixed[] = {
	"svc-", "Svc-", "SVC_", "app-", "App", "db-", "dc-", "net-",
	"core-ledger-", "_int-", "x", "pay-v2-", "svc-A", "svc-a"};
static const char *const svc_prefix_wild[] = {
	"svc.", "\xec\x84\x9c\xeb\xb9\x84\xec\x8a\xa4-", "Dienst-\xc3\xbc-", "a.b-", "s-"};
static const char *const ven_prefix_mixed[] = {
	"cloudco", "CloudCo-", "acme-", "ACME", "nordic-it-", "v-",
	"hyperscale-", "Sub_", "it-sub-", "Z-", "telco", "cloudco-group-"};
static const char *const ven_prefix_wild[] = {
	"ven.dor-", "\xed\x81\xb4\xeb\x9d\xbc\xec\x9a\xb0\xeb\x93\x9c", "Soci\xc3\xa9t\xc3\xa9-", "V."};
static const char *const ctr_prefix_mixed[] = {"CTR_", "c-", "K-", "Contract-"};
static const char *const ctr_prefix_wild[] = {"ctr.", "\xea\xb3\x84\xec\x95\xbd-"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static long contract_start(const itr_gen *g, size_t c)
{
	rng r = rng_for(g, S_CONTRACT_START, c);

	return g->as_of - 30 - (long)rng_below(&r, 6 * 365);
}

static int digits(size_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void make_id(char buf[ID_SIZE], const itr_gen *g, enum kind k, size_t i)
{
	static const char *const plain[] = {"vendor-", "svc-", "C-"};
	const size_t count[] = {g->nven, g->nsvc, g->ncontracts};
	const enum stream st[] = {S_VENDOR_ID, S_SERVICE_ID, S_CONTRACT_ID};
	rng r = rng_for(g, st[k], i);
	const char *const *mixed, *const *wild;
	size_t nmixed, nwild, pick;
	const char *prefix;
	char year[16];
	int width;
	long y;
	unsigned m, d;

	if (g->p.ids == ITR_GEN_IDS_PLAIN) {
		width = digits(count[k] ? count[k] - 1 : 0);
		snprintf(buf, ID_SIZE, "%s%0*zu", plain[k], width < 3 ? 3 : width, i);
		return;
	}
	switch (k) {
	case K_VENDOR:
		mixed = ven_prefix_mixed, nmixed = COUNT(ven_prefix_mixed);
		wild = ven_prefix_wild, nwild = COUNT(ven_prefix_wild);
		break;
	case K_SERVICE:
		mixed = svc_prefix_mixed, nmixed = COUNT(svc_prefix_mixed);
		wild = svc_prefix_wild, nwild = COUNT(svc_prefix_wild);
		break;
	default:
		mixed = ctr_prefix_mixed, nmixed = COUNT(ctr_prefix_mixed);
		wild = ctr_prefix_wild, nwild = COUNT(ctr_prefix_wild);
		break;
	}
	if (g->p.ids == ITR_GEN_IDS_WILD && rng_chance(&r, 0.3)) {
		prefix = wild[rng_below(&r, nwild)];
	} else if (k == K_CONTRACT && rng_chance(&r, 0.6)) {
		/* "C-2023-014": the year of the contract's start */
		civil_from_days(contract_start(g, i), &y, &m, &d);
		snprintf(year, sizeof year, "C-%ld-", y);
		prefix = year;
	} else {
		pick = rng_below(&r, nmixed);
		prefix = mixed[pick];
	}
	if (rng_chance(&r, 0.7))
		snprintf(buf, ID_SIZE, "%s%zu", prefix, i);
	else
		snprintf(buf, ID_SIZE, "%s%0*zu", prefix, 2 + (int)rng_below(&r, 4), i);
}

/* ---- structure ------------------------------------------------------------ */

static int check_params(const itr_gen_params *p, long *as_of)
{
	const double shares[] = {p->provided, p->covered, p->needs_any, p->min_above_one,
	                         p->shared_options, p->fourth_parties, p->relies_on,
	                         p->parent, p->cycles};
	size_t i;

	for (i = 0; i < COUNT(shares); i++)
		if (!(shares[i] >= 0.0 && shares[i] <= 1.0)) /* NaN fails too */
			return -1;
	if (p->files < 1 || p->files > MAX_FILES || p->services >= MAX_COUNT ||
	    p->vendors >= MAX_COUNT || p->links >= MAX_COUNT)
		return -1;
	if (p->ids != ITR_GEN_IDS_PLAIN && p->ids != ITR_GEN_IDS_MIXED &&
	    p->ids != ITR_GEN_IDS_WILD)
		return -1;
	if (p->shape != ITR_GEN_SHAPE_RANDOM && p->shape != ITR_GEN_SHAPE_ENTERPRISE)
		return -1;
	return parse_date(as_of, p->as_of ? p->as_of : DEFAULT_AS_OF);
}

static int has_ref(const itr_gen *g, size_t owner, size_t target)
{
	size_t gi, k;

	for (gi = g->grp_head[owner]; gi != NONE; gi = g->groups[gi].next)
		for (k = 0; k < g->groups[gi].n; k++)
			if (g->refs[g->groups[gi].first + k] == target)
				return 1;
	return 0;
}

/* Append a group to owner's list; min == 0 makes a needs of ref[0]. */
static int add_group(itr_gen *g, size_t owner, const size_t *ref, unsigned n, unsigned min)
{
	struct group *gr;
	size_t *rf;
	unsigned k;

	gr = grow(g->groups, &g->groups_cap, g->ngroups + 1, sizeof *g->groups);
	if (!gr)
		return -1;
	g->groups = gr;
	rf = grow(g->refs, &g->refs_cap, g->nrefs + n, sizeof *g->refs);
	if (!rf)
		return -1;
	g->refs = rf;
	gr = &g->groups[g->ngroups];
	gr->owner = owner;
	gr->next = NONE;
	gr->first = g->nrefs;
	gr->n = n;
	gr->min = min;
	for (k = 0; k < n; k++)
		g->refs[g->nrefs++] = ref[k];
	if (g->grp_tail[owner] == NONE)
		g->grp_head[owner] = g->ngroups;
	else
		g->groups[g->grp_tail[owner]].next = g->ngroups;
	g->grp_tail[owner] = g->ngroups;
	g->ngroups++;
	if (min == 0) {
		g->stats.needs++;
	} else {
		g->stats.needs_any++;
		g->stats.options += n;
		if (min > 1)
			g->stats.min_above_one++;
		if (n > g->stats.widest)
			g->stats.widest = n;
	}
	return 0;
}

static int has_vref(const itr_gen *g, size_t from, size_t to)
{
	size_t i;

	for (i = g->vref_head[from]; i != NONE; i = g->vrefs[i].next)
		if (g->vrefs[i].to == to)
			return 1;
	return 0;
}

/* Add "from relies-on to" unless present; returns 0 or -1 (ENOMEM). */
static int add_vref(itr_gen *g, size_t from, size_t to)
{
	struct vref *v;

	if (has_vref(g, from, to))
		return 0;
	v = grow(g->vrefs, &g->vrefs_cap, g->nvrefs + 1, sizeof *g->vrefs);
	if (!v)
		return -1;
	g->vrefs = v;
	g->vrefs[g->nvrefs].to = to;
	g->vrefs[g->nvrefs].next = NONE;
	if (g->vref_tail[from] == NONE)
		g->vref_head[from] = g->nvrefs;
	else
		g->vrefs[g->vref_tail[from]].next = g->nvrefs;
	g->vref_tail[from] = g->nvrefs;
	g->nvrefs++;
	g->stats.relies_on++;
	return 0;
}

/* A target rank below rank: half uniform, half skewed towards the bottom
 * ranks, which become shared infrastructure (hubs). rank must be positive. */
static size_t pick_lower(rng *r, size_t rank)
{
	double u;
	size_t t;

	if (rng_chance(r, 0.5))
		return rng_below(r, rank);
	u = rng_unit(r);
	t = (size_t)((double)rank * u * u * u);
	return t < rank ? t : rank - 1;
}

/* With --self-loops: a vendor in 500 relies on itself; 0 or -1 (ENOMEM). */
static int plant_vendor_self_loops(itr_gen *g, rng *r)
{
	size_t nv = g->nven, n = nv ? 1 + nv / 500 : 0;

	for (size_t c = 0; c < n; c++) {
		size_t v = rng_below(r, nv);

		if (!has_vref(g, v, v)) {
			if (add_vref(g, v, v) < 0)
				return -1;
			g->stats.self_loops++;
		}
	}
	return 0;
}

static int gen_vendors(itr_gen *g, rng *r)
{
	size_t nv = g->nven, F = g->nfourth, rank, v, t, k, n, c, i, a[3];
	int tries;

	for (rank = 0; rank < nv; rank++) {
		v = g->ven_at[rank];
		if (rank > 0 && rng_chance(r, g->p.relies_on)) {
			/* one draw per statement: argument and operand order is
			 * unspecified in C, and output must not depend on it */
			n = 1 + (size_t)rng_chance(r, 0.35);
			n += (size_t)rng_chance(r, 0.15);
			for (k = 0; k < n; k++) {
				/* direct vendors mostly rely on fourth parties;
				 * fourth parties on deeper ones (fifth parties) */
				if (rank >= F && F > 0 && rng_chance(r, 0.75))
					t = rng_below(r, F);
				else
					t = rng_below(r, rank);
				if (add_vref(g, v, g->ven_at[t]) < 0)
					return -1;
			}
		}
		if (rank > 0 && rng_chance(r, g->p.parent)) {
			g->parent[v] = g->ven_at[rng_below(r, rank)];
			g->stats.parents++;
		}
	}
	if (g->p.cycles > 0 && nv >= 2) {
		n = round_share(nv, g->p.cycles) * 2 / 5;
		if (n < 1)
			n = 1;
		for (c = 0; c < n; c++) {
			v = rng_below(r, nv);
			if (g->parent[v] != NONE && rng_chance(r, 0.3)) {
				/* the group relies on its own member */
				if (add_vref(g, g->parent[v], v) < 0)
					return -1;
				g->stats.vendor_cycles++;
				continue;
			}
			k = nv >= 3 && rng_chance(r, 0.4) ? 3 : 2;
			a[0] = v;
			for (i = 1; i < k; i++) {
				tries = 0;
				do
					a[i] = rng_below(r, nv);
				while ((a[i] == a[0] || (i == 2 && a[2] == a[1])) && ++tries < 64);
				if (tries == 64)
					k = i;
			}
			if (k < 2)
				continue;
			for (i = 0; i < k; i++)
				if (add_vref(g, a[i], a[(i + 1) % k]) < 0)
					return -1;
			g->stats.vendor_cycles++;
		}
	}
	if (g->p.self_loops && plant_vendor_self_loops(g, r) < 0)
		return -1;
	return 0;
}

static void gen_providers(itr_gen *g, rng *r)
{
	size_t D = g->nven - g->nfourth, s, pos;
	double u;

	for (s = 0; s < g->nsvc; s++) {
		if (D == 0 || !rng_chance(r, g->p.provided)) {
			g->stats.in_house++;
			continue;
		}
		/* skewed: a few vendors carry much of the work (concentration) */
		u = rng_unit(r);
		pos = (size_t)((double)D * u * u);
		if (pos >= D)
			pos = D - 1;
		g->provider[s] = g->ven_at[g->nfourth + pos];
		g->stats.providers++;
	}
}

/* vendor -> services, and fourth party -> direct vendors with services that
 * rely on it: what shared needs-any groups are built from. */
static int index_providers(itr_gen *g)
{
	size_t nv = g->nven, F = g->nfourth, s, v, i, to, *fill;

	g->vs_first = alloc_sizes(nv + 1, 0);
	g->vs = alloc_sizes(g->nsvc, 0);
	g->fp_first = alloc_sizes(F + 1, 0);
	g->fp = alloc_sizes(g->nvrefs, 0);
	fill = alloc_sizes(nv + 1, 0);
	if (!g->vs_first || !g->vs || !g->fp_first || !g->fp || !fill) {
		free(fill);
		return -1;
	}
	for (s = 0; s < g->nsvc; s++)
		if (g->provider[s] != NONE)
			g->vs_first[g->provider[s] + 1]++;
	for (v = 0; v < nv; v++)
		g->vs_first[v + 1] += g->vs_first[v];
	for (v = 0; v < nv; v++)
		fill[v] = g->vs_first[v];
	for (s = 0; s < g->nsvc; s++)
		if (g->provider[s] != NONE)
			g->vs[fill[g->provider[s]]++] = s;

	for (v = 0; v < nv; v++) {
		if (g->vs_first[v + 1] == g->vs_first[v])
			continue;
		for (i = g->vref_head[v]; i != NONE; i = g->vrefs[i].next) {
			to = g->ven_rank[g->vrefs[i].to];
			if (to < F)
				g->fp_first[to + 1]++;
		}
	}
	for (i = 0; i < F; i++)
		g->fp_first[i + 1] += g->fp_first[i];
	for (i = 0; i < F; i++)
		fill[i] = g->fp_first[i];
	for (v = 0; v < nv; v++) {
		if (g->vs_first[v + 1] == g->vs_first[v])
			continue;
		for (i = g->vref_head[v]; i != NONE; i = g->vrefs[i].next) {
			to = g->ven_rank[g->vrefs[i].to];
			if (to < F)
				g->fp[fill[to]++] = v;
		}
	}
	free(fill);
	return 0;
}

static int contains(const size_t *a, size_t n, size_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] == x)
			return 1;
	return 0;
}

static size_t random_service_of(const itr_gen *g, rng *r, size_t v)
{
	size_t n = g->vs_first[v + 1] - g->vs_first[v];

	return g->vs[g->vs_first[v] + rng_below(r, n)];
}

/* Options that share a provider or a fourth party: the redundancy that is not
 * real. Returns how many options it put in opt[] (0 when it found none). */
static unsigned shared_options(const itr_gen *g, rng *r, size_t *opt, unsigned k)
{
	size_t s = 0, v = NONE, f = 0, nrel = 0, pick;
	unsigned n = 0;
	int tries;

	if (g->nfourth > 0 && rng_chance(r, 0.5)) {
		for (tries = 0; tries < 8; tries++) {
			f = rng_below(r, g->nfourth);
			nrel = g->fp_first[f + 1] - g->fp_first[f];
			if (nrel >= 2)
				break;
		}
		if (tries < 8) {
			for (tries = 0; n < k && tries < 16; tries++) {
				v = g->fp[g->fp_first[f] + rng_below(r, nrel)];
				s = random_service_of(g, r, v);
				if (!contains(opt, n, s))
					opt[n++] = s;
			}
			if (n >= 2)
				return n;
			n = 0;
		}
	}
	for (tries = 0; tries < 8; tries++) {
		s = rng_below(r, g->nsvc);
		v = g->provider[s];
		if (v != NONE && g->vs_first[v + 1] - g->vs_first[v] >= 2)
			break;
	}
	if (tries == 8)
		return 0;
	opt[n++] = s;
	for (tries = 0; n < k && tries < 16; tries++) {
		pick = random_service_of(g, r, v);
		if (!contains(opt, n, pick))
			opt[n++] = pick;
	}
	/* sometimes one real alternative: the pair is a cut set, not a SPOF */
	if (n >= 3 && rng_chance(r, 0.3))
		opt[n - 1] = rng_below(r, g->nsvc);
	return n >= 2 && !contains(opt, n - 1, opt[n - 1]) ? n : 0;
}

static unsigned pick_min(const itr_gen *g, rng *r, unsigned n)
{
	if (n >= 2 && rng_chance(r, g->p.min_above_one))
		return 2 + (unsigned)rng_below(r, n - 1);
	return 1;
}

/* Planted needs cycles of 2-4 services, one link sometimes through a needs-any
 * group. Returns the number of references added, or NONE on ENOMEM. */
static size_t plant_service_cycles(itr_gen *g, rng *r)
{
	size_t ns = g->nsvc, n = 0, c, i, k, added = 0, a[4], opt[2];
	unsigned min;
	int tries;

	if (g->p.cycles > 0) {
		n = round_share(ns, g->p.cycles) / 3;
		if (n < 1)
			n = 1;
	}
	for (c = 0; c < n; c++) {
		k = 2 + rng_below(r, 3);
		if (k > ns)
			k = ns;
		a[0] = rng_below(r, ns);
		for (i = 1; i < k; i++) {
			tries = 0;
			do
				a[i] = rng_below(r, ns);
			while (contains(a, i, a[i]) && ++tries < 64);
			if (tries == 64)
				break;
		}
		k = i;
		if (k < 2)
			continue;
		for (i = 0; i < k; i++) {
			opt[0] = a[(i + 1) % k];
			if (has_ref(g, a[i], opt[0]))
				continue; /* the link is there already */
			opt[1] = rng_below(r, ns);
			if (i == 0 && rng_chance(r, 0.25) && opt[1] != a[i] && opt[1] != opt[0] &&
			    !has_ref(g, a[i], opt[1])) {
				min = pick_min(g, r, 2);
				if (add_group(g, a[i], opt, 2, min) < 0)
					return NONE;
				added += 2;
			} else {
				if (add_group(g, a[i], opt, 1, 0) < 0)
					return NONE;
				added++;
			}
		}
		g->stats.service_cycles++;
	}
	if (g->p.self_loops) {
		n = 1 + ns / 500;
		for (c = 0; c < n; c++) {
			i = rng_below(r, ns);
			if (has_ref(g, i, i))
				continue;
			if (add_group(g, i, &i, 1, 0) < 0)
				return NONE;
			g->stats.self_loops++;
			added++;
		}
	}
	return added;
}

/* Fill the link budget with needs and needs-any groups that go down in rank. */
static int gen_groups(itr_gen *g, rng *r)
{
	size_t ns = g->nsvc, budget, fixed, spent, attempts, limit, d, rank, maxr;
	size_t opt[4], cand;
	unsigned k, n, j;
	int tries, shared;

	fixed = g->stats.providers + g->stats.relies_on + g->stats.parents;
	budget = g->p.links > fixed ? g->p.links - fixed : 0;
	if (ns < 2)
		return 0;
	if (g->p.cycles > 0 || g->p.self_loops) {
		spent = plant_service_cycles(g, r);
		if (spent == NONE)
			return -1;
		budget = budget > spent ? budget - spent : 0;
	}
	limit = 8 * budget + 64;
	for (attempts = 0; budget > 0 && attempts < limit; attempts++) {
		if (budget >= 2 && rng_chance(r, g->p.needs_any)) {
			k = 2 + (unsigned)rng_below(r, 3);
			if (k > budget)
				k = (unsigned)budget;
			if (k > ns - 1)
				k = (unsigned)(ns - 1);
			shared = k >= 2 && rng_chance(r, g->p.shared_options);
			n = 0;
			if (shared) {
				n = shared_options(g, r, opt, k);
				if (n < 2)
					shared = 0;
			}
			if (shared) {
				maxr = 0;
				for (j = 0; j < n; j++)
					if (g->svc_rank[opt[j]] > maxr)
						maxr = g->svc_rank[opt[j]];
				if (maxr + 1 >= ns)
					continue;
				d = g->svc_at[maxr + 1 + rng_below(r, ns - 1 - maxr)];
				for (j = 0; j < n; j++)
					if (has_ref(g, d, opt[j]))
						break;
				if (j < n)
					continue;
			} else {
				rank = 1 + rng_below(r, ns - 1);
				d = g->svc_at[rank];
				if (k > rank)
					k = (unsigned)rank;
				for (j = 0; j < k; j++) {
					for (tries = 0; tries < 4; tries++) {
						cand = g->svc_at[pick_lower(r, rank)];
						if (!contains(opt, n, cand) && !has_ref(g, d, cand))
							break;
					}
					if (tries < 4)
						opt[n++] = cand;
				}
				if (n == 0)
					continue;
			}
			if (add_group(g, d, opt, n, pick_min(g, r, n)) < 0)
				return -1;
			if (shared)
				g->stats.shared_groups++;
			budget = budget > n ? budget - n : 0;
		} else {
			rank = 1 + rng_below(r, ns - 1);
			d = g->svc_at[rank];
			cand = g->svc_at[pick_lower(r, rank)];
			if (has_ref(g, d, cand))
				continue;
			if (add_group(g, d, &cand, 1, 0) < 0)
				return -1;
			budget--;
		}
	}
	return 0;
}

/* ---- the enterprise shape ---------------------------------------------------
 *
 * Slots (ranks) of services, bottom-up:
 *
 *   [0, lv[1])       sites: data centres, cloud zones, grouped in regions of
 *                    2-4 sites with one provider (hyperscaler, colocation or
 *                    in-house); they need nothing
 *   [lv[1], lv[2])   network, DNS, load balancing: need sites
 *   [lv[2], lv[3])   core platform (identity, messaging, databases): need
 *                    network and sites
 *   [lv[3], lv[4])   shared platform (gateways, monitoring, notification):
 *                    need core and network; in pools of 1-3 equivalent
 *                    services from different suppliers
 *   [lv[4], nsvc)    domains, one after the other, each its platform layer,
 *                    then its applications, then its business services
 *
 * Each platform service has a capped number of dependency groups, so its
 * closure is bounded by the caps; a domain service depends on its own domain,
 * on the handful of platform services its domain uses, on sites and supplier
 * pools, and rarely on the platform layer of an earlier domain, whose own
 * references never leave that domain.
 *
 * Vendor slots: [0, nhyper) hyperscalers (the first ndirect provide cloud
 * regions, the others are fourth parties only), then other fourth parties,
 * then outsourcers, infrastructure vendors (colocation, telecoms), SaaS
 * vendors and the rest. relies-on and parent go down in slot.
 */

enum layer { L_SITE, L_NET, L_CORE, L_SHARED, L_DPLAT, L_APP, L_BUS, L_COUNT };

struct domain {
	size_t first;     /* first slot: platform layer, then applications, then business */
	size_t n, ndp, napp;
	size_t aff;       /* first of the platform slots it uses, in ent.aff[] */
	size_t naff;
	size_t primary;   /* vendor slot of the outsourcer running it, or NONE */
	size_t ven;       /* first of its other vendors (slots), in ent.dven[] */
	size_t nven;
};

struct region {
	size_t first;     /* first site slot */
	size_t n;
	size_t provider;  /* vendor index or NONE */
};

struct pool {
	size_t first;     /* first shared-platform slot */
	size_t n;
};

struct ent {
	/* vendor slots */
	size_t nhyper, ndirect, nfx;       /* hyperscalers, of which direct; other fourth parties */
	size_t d0;                         /* first direct vendor that is no hyperscaler */
	size_t out0, nout, infra0, ninfra, saas0, nsaas, other0, nother;
	size_t sweep;                      /* next vendor slot for round-robin providers */
	size_t *rb_first, *rb;             /* fourth party slot -> direct vendor slots relying on it */

	/* service slots */
	size_t lv[5];
	struct domain *dom;
	size_t ndom, dom_cap;
	struct region *reg;
	size_t nreg, reg_cap;
	struct pool *pool;
	size_t npool, pool_cap;
	size_t *region_of;                 /* site slot -> region */
	size_t *pool_of;                   /* slot - lv[3] -> pool */
	size_t *dom_of;                    /* slot -> domain, NONE on the platform tier */
	size_t *aff, naff, aff_cap;        /* platform slots used by domains */
	size_t *dven, ndven, dven_cap;     /* vendor slots used by domains */
	unsigned char *layer;              /* service index -> enum layer */
	unsigned char *ngroups;            /* slot -> dependency groups so far */
};

/* Dependency groups a service of each layer may have (what bounds the
 * platform tier's closures), and how often the filler picks it, out of 6. */
static const unsigned char layer_cap[L_COUNT] = {0, 2, 3, 3, 4, 10, 12};
static const unsigned char layer_weight[L_COUNT] = {0, 2, 3, 3, 3, 5, 6};

static void ent_free(struct ent *e)
{
	if (!e)
		return;
	free(e->rb_first);
	free(e->rb);
	free(e->dom);
	free(e->reg);
	free(e->pool);
	free(e->region_of);
	free(e->pool_of);
	free(e->dom_of);
	free(e->aff);
	free(e->dven);
	free(e->layer);
	free(e->ngroups);
	free(e);
}

static int ent_is_outsourcer(const itr_gen *g, size_t v)
{
	size_t vs = g->ven_rank[v];

	return vs >= g->ent->out0 && vs < g->ent->out0 + g->ent->nout;
}

/* u^2 for u uniform in [0, 1): an index in [0, n) skewed towards 0, so a few
 * of the n get most of the picks. n must be positive. */
static size_t skewed_below(rng *r, size_t n)
{
	double u = rng_unit(r);
	size_t t = (size_t)((double)n * u * u);

	return t < n ? t : n - 1;
}

/* Split the vendor slots into roles. No randomness. */
static void ent_vendor_roles(itr_gen *g)
{
	struct ent *e = g->ent;
	size_t nv = g->nven, pure, rest;

	e->nhyper = nv < 4 ? 0 : nv < 20 ? 1 : nv < 100 ? 3 : nv < 2000 ? 4 : 5;
	/* g->nfourth, from the fourth_parties share, counts the hyperscalers
	 * that are fourth parties only: all but two, as far as it allows */
	pure = e->nhyper > 2 ? e->nhyper - 2 : 0;
	if (pure > g->nfourth)
		pure = g->nfourth;
	e->ndirect = e->nhyper - pure;
	e->nfx = g->nfourth - pure;
	if (e->nfx > nv - e->nhyper)
		e->nfx = nv - e->nhyper;
	e->d0 = e->nhyper + e->nfx;
	rest = nv - e->d0;
	e->nout = rest == 0 ? 0 : rest / 50 > 1 ? rest / 50 : 1;
	rest -= e->nout;
	e->ninfra = rest < 2 ? 0 : rest * 3 / 100 > 1 ? rest * 3 / 100 : 1;
	rest -= e->ninfra;
	e->nsaas = rest / 2;
	e->nother = rest - e->nsaas;
	e->out0 = e->d0;
	e->infra0 = e->out0 + e->nout;
	e->saas0 = e->infra0 + e->ninfra;
	e->other0 = e->saas0 + e->nsaas;
	/* write_vendor's "fourth party" flavour (mostly US) fits hyperscalers too */
	g->nfourth = e->d0;
	g->stats.fourth_parties = pure + e->nfx;
	g->stats.hyperscalers = e->nhyper;
	g->stats.outsourcers = e->nout;
}

/* A vendor slot of a role, skewed or uniform; another direct vendor when the
 * role has none; NONE when there is no direct vendor at all. */
static size_t ent_pick_vendor(const itr_gen *g, rng *r, size_t first, size_t n, int skew)
{
	const struct ent *e = g->ent;
	size_t nd = g->nven - e->d0;

	if (n > 0)
		return first + (skew ? skewed_below(r, n) : rng_below(r, n));
	if (nd > 0)
		return e->d0 + rng_below(r, nd);
	if (e->ndirect > 0)
		return rng_below(r, e->ndirect);
	return NONE;
}

/* The next direct vendor, round robin: spreads services over every vendor. */
static size_t ent_sweep(itr_gen *g)
{
	struct ent *e = g->ent;
	size_t nd = g->nven - e->d0, vs;

	if (nd == 0)
		return e->ndirect > 0 ? 0 : NONE;
	vs = e->d0 + e->sweep;
	e->sweep = (e->sweep + 1) % nd;
	return vs;
}

static size_t ent_pick_hyper(const itr_gen *g, rng *r)
{
	return skewed_below(r, g->ent->nhyper);
}

static int ent_vendors(itr_gen *g, rng *r)
{
	struct ent *e = g->ent;
	size_t nv = g->nven, H = e->nhyper, vs, v, t, k, n, c, i, a[3], lim, *fill;
	int tries;

	for (vs = 0; vs < nv; vs++) {
		v = g->ven_at[vs];
		if (vs >= H && rng_chance(r, g->p.relies_on)) {
			n = 1 + (size_t)rng_chance(r, 0.35);
			n += (size_t)rng_chance(r, 0.15);
			for (k = 0; k < n; k++) {
				/* most run on a hyperscaler; fourth parties rely on
				 * lower fourth parties (fifth parties) too */
				if (H > 0 && rng_chance(r, k == 0 ? 0.85 : 0.4)) {
					t = ent_pick_hyper(g, r);
				} else if (vs > H && e->nfx > 0) {
					lim = vs < e->d0 ? vs : e->d0;
					t = H + rng_below(r, lim - H);
				} else if (H > 0) {
					t = ent_pick_hyper(g, r);
				} else {
					continue;
				}
				if (add_vref(g, v, g->ven_at[t]) < 0)
					return -1;
			}
		}
		if (vs > H && rng_chance(r, g->p.parent)) {
			/* corporate groups: a few large ones (skewed), some
			 * headed by a hyperscaler */
			if (H > 0 && rng_chance(r, 0.03))
				t = ent_pick_hyper(g, r);
			else
				t = H + skewed_below(r, vs - H);
			g->parent[v] = g->ven_at[t];
			g->stats.parents++;
		}
	}
	if (g->p.cycles > 0 && nv - H >= 2) {
		n = round_share(nv, g->p.cycles) * 2 / 5;
		if (n < 1)
			n = 1;
		for (c = 0; c < n; c++) {
			v = g->ven_at[H + rng_below(r, nv - H)];
			if (g->parent[v] != NONE && rng_chance(r, 0.3)) {
				/* the group relies on its own member */
				if (add_vref(g, g->parent[v], v) < 0)
					return -1;
				g->stats.vendor_cycles++;
				continue;
			}
			k = nv - H >= 3 && rng_chance(r, 0.4) ? 3 : 2;
			a[0] = v;
			for (i = 1; i < k; i++) {
				tries = 0;
				do
					a[i] = g->ven_at[H + rng_below(r, nv - H)];
				while (contains(a, i, a[i]) && ++tries < 64);
				if (tries == 64)
					k = i;
			}
			if (k < 2)
				continue;
			for (i = 0; i < k; i++)
				if (add_vref(g, a[i], a[(i + 1) % k]) < 0)
					return -1;
			g->stats.vendor_cycles++;
		}
	}
	if (g->p.self_loops && plant_vendor_self_loops(g, r) < 0)
		return -1;

	/* fourth party slot -> direct vendors (slots) relying on it */
	e->rb_first = alloc_sizes(e->d0 + 1, 0);
	e->rb = alloc_sizes(g->nvrefs, 0);
	fill = alloc_sizes(e->d0 + 1, 0);
	if (!e->rb_first || !e->rb || !fill) {
		free(fill);
		return -1;
	}
	for (vs = e->d0; vs < nv; vs++)
		for (i = g->vref_head[g->ven_at[vs]]; i != NONE; i = g->vrefs[i].next)
			if ((t = g->ven_rank[g->vrefs[i].to]) < e->d0)
				e->rb_first[t + 1]++;
	for (t = 0; t < e->d0; t++) {
		e->rb_first[t + 1] += e->rb_first[t];
		fill[t] = e->rb_first[t];
	}
	for (vs = e->d0; vs < nv; vs++)
		for (i = g->vref_head[g->ven_at[vs]]; i != NONE; i = g->vrefs[i].next)
			if ((t = g->ven_rank[g->vrefs[i].to]) < e->d0)
				e->rb[fill[t]++] = vs;
	free(fill);
	return 0;
}

static size_t slot_provider(const itr_gen *g, size_t slot)
{
	return g->provider[g->svc_at[slot]];
}

/* Whether vendor index x can put down the provider p (index): p itself, its
 * parent, or a vendor it relies on. */
static int vendor_under(const itr_gen *g, size_t p, size_t x)
{
	return p == x || g->parent[p] == x || has_vref(g, p, x);
}

/* Whether the options (slots) share a provider or a vendor their providers
 * rely on or belong to: the redundancy that is not real. */
static int options_share(const itr_gen *g, const size_t *opt, size_t n)
{
	size_t p0 = slot_provider(g, opt[0]), cand[8], nc = 0, i, k, p;

	if (p0 == NONE)
		return 0;
	cand[nc++] = p0;
	if (g->parent[p0] != NONE)
		cand[nc++] = g->parent[p0];
	for (i = g->vref_head[p0]; i != NONE && nc < COUNT(cand); i = g->vrefs[i].next)
		cand[nc++] = g->vrefs[i].to;
	for (k = 0; k < nc; k++) {
		for (i = 1; i < n; i++) {
			p = slot_provider(g, opt[i]);
			if (p == NONE || !vendor_under(g, p, cand[k]))
				break;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

static void ent_set_provider(itr_gen *g, size_t slot, size_t vslot)
{
	if (vslot == NONE) {
		g->stats.in_house++;
		return;
	}
	g->provider[g->svc_at[slot]] = g->ven_at[vslot];
	g->stats.providers++;
}

/* Providers of a pool of equivalent services from different suppliers:
 * sometimes built to share a provider or a fourth party. */
static void ent_pool_providers(itr_gen *g, rng *r, const struct pool *pl)
{
	struct ent *e = g->ent;
	size_t k, t = 0, nrb = 0, vs[3] = {NONE, NONE, NONE}, opt[3];
	int tries;

	if (rng_chance(r, g->p.shared_options)) {
		if (rng_chance(r, 0.3)) {
			/* one supplier behind every option */
			vs[0] = ent_pick_vendor(g, r, e->saas0, e->nsaas, 1);
			for (k = 1; k < pl->n; k++)
				vs[k] = vs[0];
		} else {
			for (tries = 0; tries < 8 && e->d0 > 0; tries++) {
				t = e->nhyper > 0 && rng_chance(r, 0.7) ? ent_pick_hyper(g, r)
				                                        : rng_below(r, e->d0);
				nrb = e->rb_first[t + 1] - e->rb_first[t];
				if (nrb >= pl->n)
					break;
			}
			if (tries < 8 && e->d0 > 0) {
				for (k = 0; k < pl->n; k++) {
					tries = 0;
					do
						vs[k] = e->rb[e->rb_first[t] + rng_below(r, nrb)];
					while (contains(vs, k, vs[k]) && ++tries < 16);
				}
			}
		}
	}
	if (vs[0] == NONE) {
		/* independent suppliers, some in-house */
		for (tries = 0; tries < 8; tries++) {
			for (k = 0; k < pl->n; k++) {
				vs[k] = NONE;
				if (rng_chance(r, g->p.provided))
					vs[k] = rng_chance(r, 0.6)
					            ? ent_pick_vendor(g, r, e->saas0, e->nsaas, 0)
					            : ent_pick_vendor(g, r, e->other0, e->nother, 0);
				g->provider[g->svc_at[pl->first + k]] =
				    vs[k] == NONE ? NONE : g->ven_at[vs[k]];
				opt[k] = pl->first + k;
			}
			if (!options_share(g, opt, pl->n))
				break;
		}
	}
	for (k = 0; k < pl->n; k++) {
		g->provider[g->svc_at[pl->first + k]] = NONE;
		ent_set_provider(g, pl->first + k, vs[k]);
	}
}

static unsigned char *alloc_bytes(size_t n)
{
	unsigned char *a = calloc(n + 1, 1);

	if (!a)
		errno = ENOMEM;
	return a;
}

/* Lay out the service slots, the regions, pools and domains, and give every
 * service its provider. */
static int ent_services(itr_gen *g, rng *r)
{
	struct ent *e = g->ent;
	size_t S = g->nsvc, P, n0, n1, n3, i, k, n, rest, slot, vs, d, lo, hi;
	struct region *rg;
	struct pool *pl;
	struct domain *dm;
	void *grown;
	double u;

	/* the platform tier: 2.5%, at least four services */
	P = S >= 8 ? (S / 40 > 4 ? S / 40 : 4) : S / 2;
	if (P >= 4) {
		n0 = P / 4;
		n1 = P / 5 > 1 ? P / 5 : 1;
		n3 = P / 4;
	} else {
		n0 = P, n1 = 0, n3 = 0;
	}
	e->lv[0] = 0;
	e->lv[1] = n0;
	e->lv[2] = n0 + n1;
	e->lv[3] = P - n3;
	e->lv[4] = P;
	g->stats.platform = P;

	e->region_of = alloc_sizes(n0, NONE);
	e->pool_of = alloc_sizes(n3, NONE);
	e->dom_of = alloc_sizes(S, NONE);
	e->layer = alloc_bytes(S);
	e->ngroups = alloc_bytes(S);
	if (!e->region_of || !e->pool_of || !e->dom_of || !e->layer || !e->ngroups)
		return -1;
	for (k = 0; k < 4; k++)
		for (slot = e->lv[k]; slot < e->lv[k + 1]; slot++)
			e->layer[g->svc_at[slot]] = (unsigned char)k;

	/* sites, in regions of 2-4 with one provider: a cloud region of a
	 * hyperscaler, a colocation site, or our own data centre */
	for (i = 0; i < n0; i += n) {
		n = 2 + rng_below(r, 3);
		if (n > n0 - i)
			n = n0 - i;
		grown = grow(e->reg, &e->reg_cap, e->nreg + 1, sizeof *e->reg);
		if (!grown)
			return -1;
		e->reg = grown;
		rg = &e->reg[e->nreg];
		rg->first = i;
		rg->n = n;
		vs = NONE;
		if (rng_chance(r, g->p.provided))
			vs = e->ndirect > 0 && rng_chance(r, 0.5)
			         ? rng_below(r, e->ndirect)
			         : ent_pick_vendor(g, r, e->infra0, e->ninfra, 0);
		rg->provider = vs == NONE ? NONE : g->ven_at[vs];
		for (k = 0; k < n; k++) {
			e->region_of[i + k] = e->nreg;
			ent_set_provider(g, i + k, vs);
		}
		e->nreg++;
	}
	/* network: telecoms and colocation vendors */
	for (slot = e->lv[1]; slot < e->lv[2]; slot++)
		ent_set_provider(g, slot, !rng_chance(r, g->p.provided) ? NONE
		                          : rng_chance(r, 0.7)
		                              ? ent_pick_vendor(g, r, e->infra0, e->ninfra, 0)
		                              : ent_sweep(g));
	/* core platform: SaaS (identity), outsourcers, managed cloud services */
	for (slot = e->lv[2]; slot < e->lv[3]; slot++) {
		vs = NONE;
		if (rng_chance(r, g->p.provided)) {
			u = rng_unit(r);
			if (u < 0.35)
				vs = ent_pick_vendor(g, r, e->saas0, e->nsaas, 1);
			else if (u < 0.6)
				vs = ent_pick_vendor(g, r, e->out0, e->nout, 1);
			else if (u < 0.8 && e->ndirect > 0)
				vs = rng_below(r, e->ndirect);
			else
				vs = ent_sweep(g);
		}
		ent_set_provider(g, slot, vs);
	}
	/* shared platform, in pools of equivalent services */
	for (i = e->lv[3]; i < P; i += n) {
		n = rng_chance(r, 0.5) ? 1 : rng_chance(r, 0.7) ? 2 : 3;
		if (n > P - i)
			n = P - i;
		grown = grow(e->pool, &e->pool_cap, e->npool + 1, sizeof *e->pool);
		if (!grown)
			return -1;
		e->pool = grown;
		pl = &e->pool[e->npool];
		pl->first = i;
		pl->n = n;
		for (k = 0; k < n; k++)
			e->pool_of[i + k - e->lv[3]] = e->npool;
		e->npool++;
		if (n >= 2)
			ent_pool_providers(g, r, pl);
		else
			ent_set_provider(g, i, rng_chance(r, g->p.provided)
			                           ? ent_pick_vendor(g, r, e->saas0, e->nsaas, 1)
			                           : NONE);
	}

	/* domains of 30-150 services (the last one takes what is left) */
	for (i = P; i < S; i += n) {
		rest = S - i;
		n = 30 + rng_below(r, 121);
		if (n > rest || rest - n < 30)
			n = rest;
		grown = grow(e->dom, &e->dom_cap, e->ndom + 1, sizeof *e->dom);
		if (!grown)
			return -1;
		e->dom = grown;
		d = e->ndom++;
		dm = &e->dom[d];
		dm->first = i;
		dm->n = n;
		dm->ndp = n * (25 + rng_below(r, 11)) / 100;
		k = n * (15 + rng_below(r, 11)) / 100; /* business services */
		if (dm->ndp < 1)
			dm->ndp = 1;
		if (k < 1 && n >= 3)
			k = 1;
		if (dm->ndp + k > n)
			k = n - dm->ndp;
		dm->napp = n - dm->ndp - k;
		/* the outsourcer running it (a few run many domains), and 1-3
		 * SaaS or other vendors */
		dm->primary = e->nout > 0 ? e->out0 + skewed_below(r, e->nout) : NONE;
		dm->ven = e->ndven;
		dm->nven = 1 + rng_below(r, 3);
		grown = grow(e->dven, &e->dven_cap, e->ndven + dm->nven, sizeof *e->dven);
		if (!grown)
			return -1;
		e->dven = grown;
		for (k = 0; k < dm->nven; k++)
			e->dven[e->ndven++] = rng_chance(r, 0.6)
			                          ? ent_pick_vendor(g, r, e->saas0, e->nsaas, 1)
			                          : ent_pick_vendor(g, r, e->other0, e->nother, 1);
		/* the platform services it uses: 3-8, the first core ones
		 * (identity, messaging) by most domains */
		dm->aff = e->naff;
		dm->naff = 0;
		lo = e->lv[2] < P ? e->lv[2] : e->lv[1] < P ? e->lv[1] : 0;
		hi = P;
		if (hi > lo) {
			dm->naff = 3 + rng_below(r, 6);
			grown = grow(e->aff, &e->aff_cap, e->naff + dm->naff, sizeof *e->aff);
			if (!grown)
				return -1;
			e->aff = grown;
			for (k = 0; k < dm->naff; k++)
				e->aff[e->naff++] = lo + skewed_below(r, hi - lo);
		}
		for (slot = i; slot < i + n; slot++) {
			e->dom_of[slot] = d;
			e->layer[g->svc_at[slot]] = (unsigned char)(slot < i + dm->ndp ? L_DPLAT
			                                        : slot < i + dm->ndp + dm->napp ? L_APP
			                                                                        : L_BUS);
			vs = NONE;
			if (rng_chance(r, g->p.provided)) {
				u = rng_unit(r);
				if (u < 0.5 && dm->primary != NONE)
					vs = dm->primary;
				else if (u < 0.8 && dm->nven > 0)
					vs = e->dven[dm->ven + rng_below(r, dm->nven)];
				else
					vs = ent_sweep(g);
			}
			ent_set_provider(g, slot, vs);
		}
	}
	g->stats.domains = e->ndom;
	return 0;
}

/* ---- enterprise dependencies ---- */

static size_t slot_in(rng *r, size_t lo, size_t hi)
{
	return hi > lo ? lo + rng_below(r, hi - lo) : NONE;
}

static int slot_has_ref(const itr_gen *g, size_t owner, size_t target)
{
	return has_ref(g, g->svc_at[owner], g->svc_at[target]);
}

/* Add a group of slots to a slot; returns the references spent, or NONE on
 * ENOMEM. min == 0 makes a needs. */
static size_t ent_add(itr_gen *g, size_t owner, const size_t *opt, size_t n, unsigned min)
{
	size_t idx[8], k;

	for (k = 0; k < n; k++)
		idx[k] = g->svc_at[opt[k]];
	if (add_group(g, g->svc_at[owner], idx, (unsigned)n, min) < 0)
		return NONE;
	if (g->ent->ngroups[owner] < 255)
		g->ent->ngroups[owner]++;
	if (min > 0 && options_share(g, opt, n))
		g->stats.shared_groups++;
	return n;
}

/* Whether a candidate option can join opt[0..n) of owner. */
static int fresh(const itr_gen *g, size_t owner, const size_t *opt, size_t n, size_t cand)
{
	return cand != NONE && cand != owner && !contains(opt, n, cand) &&
	       !slot_has_ref(g, owner, cand);
}

/* Needs-any over sites: zones of one region (one provider: shared), or sites
 * of regions with different providers. 2-8 options. */
static size_t site_group(const itr_gen *g, rng *r, size_t owner, size_t *opt, size_t k)
{
	const struct ent *e = g->ent;
	const struct region *rg = NULL;
	size_t n = 0, i, j, used[8], nused = 0, p;
	int tries;

	if (e->nreg == 0)
		return 0;
	if (rng_chance(r, g->p.shared_options)) {
		for (tries = 0; tries < 8; tries++) {
			rg = &e->reg[rng_below(r, e->nreg)];
			if (rg->provider != NONE && rg->n >= 2)
				break;
		}
		if (tries < 8) {
			p = rg->provider;
			/* the region's sites, then another region of the same provider */
			for (tries = 0; n < k && tries < 8; tries++) {
				for (i = 0; i < rg->n && n < k; i++)
					if (fresh(g, owner, opt, n, rg->first + i))
						opt[n++] = rg->first + i;
				rg = &e->reg[rng_below(r, e->nreg)];
				if (rg->provider != p)
					break;
			}
			if (n >= 2)
				return n;
			n = 0;
		}
	}
	for (tries = 0; n < k && tries < 24; tries++) {
		rg = &e->reg[rng_below(r, e->nreg)];
		if (rg->provider != NONE && contains(used, nused, rg->provider))
			continue;
		j = 1 + rng_below(r, rg->n < 2 ? 1 : 2); /* one or two sites of it */
		for (i = 0; i < j && n < k; i++) {
			size_t s = rg->first + rng_below(r, rg->n);

			if (fresh(g, owner, opt, n, s))
				opt[n++] = s;
		}
		if (rg->provider != NONE && nused < COUNT(used))
			used[nused++] = rg->provider;
	}
	return n;
}

/* Needs-any over k distinct slots of [lo, hi), trying a few times to get what
 * the shared_options share asks for. */
static size_t range_group(const itr_gen *g, rng *r, size_t owner, size_t lo, size_t hi,
                          size_t *opt, size_t k)
{
	size_t n = 0, cand;
	int want = rng_chance(r, g->p.shared_options), attempt, tries;

	if (hi <= lo)
		return 0;
	for (attempt = 0; attempt < 4; attempt++) {
		n = 0;
		for (tries = 0; n < k && tries < 16; tries++) {
			cand = lo + rng_below(r, hi - lo);
			if (fresh(g, owner, opt, n, cand))
				opt[n++] = cand;
		}
		if (n >= 2 && options_share(g, opt, n) == want)
			break;
	}
	return n;
}

/* Needs-any over a pool of equivalent suppliers below owner: the domain's
 * when it uses one, else any. */
static size_t pool_group(const itr_gen *g, rng *r, size_t owner, size_t *opt)
{
	const struct ent *e = g->ent;
	const struct pool *pl = NULL;
	size_t d = e->dom_of[owner], a, k, n = 0;
	int tries;

	if (e->npool == 0)
		return 0;
	if (d != NONE && e->dom[d].naff > 0) {
		a = e->aff[e->dom[d].aff + rng_below(r, e->dom[d].naff)];
		if (a >= e->lv[3] && e->pool[e->pool_of[a - e->lv[3]]].n >= 2)
			pl = &e->pool[e->pool_of[a - e->lv[3]]];
	}
	for (tries = 0; !pl && tries < 8; tries++) {
		pl = &e->pool[rng_below(r, e->npool)];
		if (pl->n < 2 || pl->first + pl->n > owner)
			pl = NULL;
	}
	if (!pl)
		return 0;
	for (k = 0; k < pl->n; k++) {
		if (!fresh(g, owner, opt, n, pl->first + k))
			return 0; /* the whole pool or nothing */
		opt[n++] = pl->first + k;
	}
	return n;
}

/* A platform service the owner's domain uses. */
static size_t affinity(const itr_gen *g, rng *r, size_t owner)
{
	const struct ent *e = g->ent;
	const struct domain *dm = &e->dom[e->dom_of[owner]];

	if (dm->naff == 0)
		return slot_in(r, 0, e->lv[4]);
	return e->aff[dm->aff + rng_below(r, dm->naff)];
}

/* A slot below s in [lo, s), skewed towards s: chains get long. */
static size_t near_below(rng *r, size_t lo, size_t s)
{
	if (s <= lo)
		return NONE;
	return s - 1 - skewed_below(r, s - lo);
}

/* One needs target for owner, by its layer; NONE when there is none. */
static size_t needs_target(const itr_gen *g, rng *r, size_t owner)
{
	const struct ent *e = g->ent;
	const struct domain *dm;
	const struct domain *other;
	size_t t, app0, bus0;
	double u = rng_unit(r);

	switch (e->layer[g->svc_at[owner]]) {
	case L_NET:
		return slot_in(r, 0, e->lv[1]);
	case L_CORE:
		t = u < 0.6 ? slot_in(r, e->lv[1], e->lv[2]) : NONE;
		return t != NONE ? t : slot_in(r, 0, e->lv[1]);
	case L_SHARED:
		t = u < 0.7 ? slot_in(r, e->lv[2], e->lv[3]) : NONE;
		return t != NONE ? t : slot_in(r, e->lv[1] < e->lv[2] ? e->lv[1] : 0, e->lv[2]);
	case L_SITE:
	case L_COUNT:
		return NONE;
	default:
		break;
	}
	dm = &e->dom[e->dom_of[owner]];
	app0 = dm->first + dm->ndp;
	bus0 = app0 + dm->napp;
	if (u < 0.01 && e->dom_of[owner] > 0 && e->layer[g->svc_at[owner]] != L_DPLAT) {
		/* another domain's data or integration service: its
		 * platform layer, whose references stay in that domain */
		other = &e->dom[rng_below(r, e->dom_of[owner])];
		return other->first + rng_below(r, other->ndp);
	}
	u = rng_unit(r);
	switch (e->layer[g->svc_at[owner]]) {
	case L_DPLAT:
		t = u < 0.35 ? near_below(r, dm->first, owner) : NONE;
		return t != NONE ? t : affinity(g, r, owner);
	case L_APP:
		if (u < 0.4)
			t = near_below(r, app0, owner);
		else if (u < 0.75)
			t = slot_in(r, dm->first, app0);
		else
			t = NONE;
		return t != NONE ? t : affinity(g, r, owner);
	default: /* L_BUS */
		if (u < 0.55)
			t = slot_in(r, app0, bus0);
		else if (u < 0.65)
			t = near_below(r, bus0, owner);
		else if (u < 0.75)
			t = slot_in(r, dm->first, app0);
		else
			t = NONE;
		return t != NONE ? t : affinity(g, r, owner);
	}
}

/* One needs-any group for owner, by its layer: options in opt[], count
 * returned (0: none found). k is the width wanted (2-8). */
static size_t any_group(const itr_gen *g, rng *r, size_t owner, size_t *opt, size_t k)
{
	const struct ent *e = g->ent;
	const struct domain *dm;
	size_t small = k <= 4 ? k : 2 + k % 3, app0;
	double u = rng_unit(r);

	switch (e->layer[g->svc_at[owner]]) {
	case L_NET:
		return site_group(g, r, owner, opt, k);
	case L_CORE:
		if (u < 0.6 || e->lv[2] - e->lv[1] < 2)
			return site_group(g, r, owner, opt, k);
		return range_group(g, r, owner, e->lv[1], e->lv[2], opt, small);
	case L_SHARED:
		if (u < 0.4 || e->lv[3] - e->lv[2] < 2)
			return site_group(g, r, owner, opt, k);
		return range_group(g, r, owner, e->lv[2], e->lv[3], opt, small);
	case L_SITE:
	case L_COUNT:
		return 0;
	default:
		break;
	}
	dm = &e->dom[e->dom_of[owner]];
	app0 = dm->first + dm->ndp;
	switch (e->layer[g->svc_at[owner]]) {
	case L_DPLAT:
		if (u < 0.45)
			return site_group(g, r, owner, opt, k);
		if (u < 0.8)
			return pool_group(g, r, owner, opt);
		return range_group(g, r, owner, dm->first, owner, opt, small);
	case L_APP:
		if (u < 0.45) /* replicas, instances */
			return range_group(g, r, owner, dm->first, owner, opt, small);
		if (u < 0.8)
			return pool_group(g, r, owner, opt);
		return site_group(g, r, owner, opt, k);
	default:
		if (u < 0.6)
			return range_group(g, r, owner, app0, owner, opt, small);
		if (u < 0.9)
			return pool_group(g, r, owner, opt);
		return site_group(g, r, owner, opt, k);
	}
}

/* Planted cycles of 2-4 services of one domain, one link sometimes through a
 * needs-any group, and self references. Returns the references spent, or
 * NONE on ENOMEM. */
static size_t ent_cycles(itr_gen *g, rng *r)
{
	const struct ent *e = g->ent;
	const struct domain *dm;
	size_t n = 0, c, i, k, spent = 0, a[4], opt[2], got;
	int tries;

	if (g->p.cycles > 0 && e->ndom > 0) {
		n = round_share(g->nsvc, g->p.cycles) / 3;
		if (n < 1)
			n = 1;
	}
	for (c = 0; c < n; c++) {
		for (tries = 0; tries < 8; tries++) {
			dm = &e->dom[rng_below(r, e->ndom)];
			if (dm->n >= 2)
				break;
		}
		if (tries == 8)
			continue;
		k = 2 + rng_below(r, 3);
		if (k > dm->n)
			k = dm->n;
		/* mostly among applications, where real cycles sit */
		for (i = 0; i < k; i++) {
			tries = 0;
			do
				a[i] = dm->napp >= 4 ? dm->first + dm->ndp + rng_below(r, dm->napp)
				                     : dm->first + rng_below(r, dm->n);
			while (contains(a, i, a[i]) && ++tries < 64);
			if (tries == 64)
				break;
		}
		k = i;
		if (k < 2)
			continue;
		for (i = 0; i < k; i++) {
			opt[0] = a[(i + 1) % k];
			if (slot_has_ref(g, a[i], opt[0]))
				continue;
			opt[1] = dm->first + rng_below(r, dm->n);
			if (i == 0 && rng_chance(r, 0.25) && fresh(g, a[i], opt, 1, opt[1]))
				got = ent_add(g, a[i], opt, 2, pick_min(g, r, 2));
			else
				got = ent_add(g, a[i], opt, 1, 0);
			if (got == NONE)
				return NONE;
			spent += got;
		}
		g->stats.service_cycles++;
	}
	if (g->p.self_loops && g->nsvc > 0) {
		n = 1 + g->nsvc / 500;
		for (c = 0; c < n; c++) {
			i = rng_below(r, g->nsvc);
			if (slot_has_ref(g, i, i))
				continue;
			if (ent_add(g, i, &i, 1, 0) == NONE)
				return NONE;
			g->stats.self_loops++;
			spent++;
		}
	}
	return spent;
}

/* Deep chains: in about a third of the domains of 16 services or more (and
 * in the first such domain always), 16-31 services of the domain, top to
 * bottom, each needing the next. Returns the references spent, or NONE. */
static size_t ent_chains(itr_gen *g, rng *r, size_t budget)
{
	const struct ent *e = g->ent;
	const struct domain *dm;
	size_t d, i, j, c, t, spent = 0, pick[180], first = 1;

	for (d = 0; d < e->ndom; d++) {
		dm = &e->dom[d];
		if (dm->n < 16 || dm->n > COUNT(pick))
			continue;
		if (!first && !rng_chance(r, 0.3))
			continue;
		c = 16 + rng_below(r, 16);
		if (c > dm->n)
			c = dm->n;
		if (spent + c > budget)
			break;
		first = 0;
		/* c distinct offsets (partial Fisher-Yates), sorted down */
		for (i = 0; i < dm->n; i++)
			pick[i] = i;
		for (i = 0; i < c; i++) {
			j = i + rng_below(r, dm->n - i);
			t = pick[i], pick[i] = pick[j], pick[j] = t;
		}
		for (i = 1; i < c; i++)
			for (j = i; j > 0 && pick[j - 1] < pick[j]; j--)
				t = pick[j], pick[j] = pick[j - 1], pick[j - 1] = t;
		for (i = 0; i + 1 < c; i++) {
			t = dm->first + pick[i + 1];
			if (slot_has_ref(g, dm->first + pick[i], t))
				continue;
			if (ent_add(g, dm->first + pick[i], &t, 1, 0) == NONE)
				return NONE;
			spent++;
		}
		g->stats.chains++;
	}
	return spent;
}

/* Fill the link budget with needs and needs-any groups, owners drawn by
 * layer weight and capped by layer. */
static int ent_groups(itr_gen *g, rng *r)
{
	const struct ent *e = g->ent;
	size_t S = g->nsvc, budget, fixed, spent, attempts, limit, owner, t, n, k, opt[8];
	unsigned lay;

	fixed = g->stats.providers + g->stats.relies_on + g->stats.parents;
	budget = g->p.links > fixed ? g->p.links - fixed : 0;
	if (S < 2)
		return 0;
	spent = ent_cycles(g, r);
	if (spent == NONE)
		return -1;
	budget = budget > spent ? budget - spent : 0;
	spent = ent_chains(g, r, budget / 4);
	if (spent == NONE)
		return -1;
	budget = budget > spent ? budget - spent : 0;
	if (e->lv[1] >= S)
		return 0;
	limit = 8 * budget + 64;
	for (attempts = 0; budget > 0 && attempts < limit; attempts++) {
		owner = e->lv[1] + rng_below(r, S - e->lv[1]);
		lay = e->layer[g->svc_at[owner]];
		if (rng_below(r, 6) >= layer_weight[lay] || e->ngroups[owner] >= layer_cap[lay])
			continue;
		if (budget >= 2 && rng_chance(r, g->p.needs_any)) {
			/* mostly 2-3 options, up to 8 */
			k = 2 + (rng_chance(r, 0.6) ? rng_below(r, 2) : rng_below(r, 7));
			if (k > budget)
				k = budget;
			n = any_group(g, r, owner, opt, k);
			if (n < 2)
				continue;
			if (ent_add(g, owner, opt, n, pick_min(g, r, (unsigned)n)) == NONE)
				return -1;
			budget = budget > n ? budget - n : 0;
		} else {
			t = needs_target(g, r, owner);
			if (!fresh(g, owner, opt, 0, t))
				continue;
			if (ent_add(g, owner, &t, 1, 0) == NONE)
				return -1;
			budget--;
		}
	}
	return 0;
}

static int ent_build(itr_gen *g, rng *r)
{
	g->ent = calloc(1, sizeof *g->ent);
	if (!g->ent) {
		errno = ENOMEM;
		return -1;
	}
	ent_vendor_roles(g);
	if (ent_vendors(g, r) < 0 || ent_services(g, r) < 0 || index_providers(g) < 0 ||
	    ent_groups(g, r) < 0)
		return -1;
	return 0;
}

/* Contracts: per direct vendor, its covered services in chunks of 1-4. */
static int gen_contracts(itr_gen *g, rng *r)
{
	size_t v, first, n, i, j, take, ncov, *tmp;
	struct contract *c;

	g->covers = alloc_sizes(g->nsvc, 0);
	tmp = alloc_sizes(g->nsvc, 0);
	if (!g->covers || !tmp) {
		free(tmp);
		return -1;
	}
	for (v = 0; v < g->nven; v++) {
		first = g->vs_first[v];
		n = g->vs_first[v + 1] - first;
		ncov = 0;
		for (i = 0; i < n; i++)
			if (rng_chance(r, g->p.covered))
				tmp[ncov++] = g->vs[first + i];
		shuffle(r, tmp, ncov);
		for (i = 0; i < ncov; i += take) {
			/* an outsourcer runs a domain under a few large contracts */
			if (g->ent && ent_is_outsourcer(g, v))
				take = 5 + rng_below(r, 36);
			else
				take = 1 + rng_below(r, 4);
			if (take > ncov - i)
				take = ncov - i;
			c = grow(g->contracts, &g->contracts_cap, g->ncontracts + 1,
			         sizeof *g->contracts);
			if (!c) {
				free(tmp);
				return -1;
			}
			g->contracts = c;
			c = &g->contracts[g->ncontracts++];
			c->vendor = v;
			c->first = g->ncovers;
			c->n = take;
			for (j = 0; j < take; j++)
				g->covers[g->ncovers++] = tmp[i + j];
		}
	}
	g->stats.covered = g->ncovers;
	free(tmp);
	return 0;
}

/* Spread elements over files, interleaved so that references cross files,
 * each file in a random order of mixed kinds. */
static int gen_layout(itr_gen *g, rng *r)
{
	size_t total = g->nven + g->nsvc + g->ncontracts, nf = g->nfile, i, f, *fill, *where;

	g->file_first = alloc_sizes(nf + 1, 0);
	g->layout = alloc_sizes(total, 0);
	where = alloc_sizes(total, 0);
	fill = alloc_sizes(nf, 0);
	if (!g->file_first || !g->layout || !where || !fill) {
		free(where);
		free(fill);
		return -1;
	}
	for (i = 0; i < total; i++) {
		if (i < g->nven) {
			f = i % nf;
		} else if (i < g->nven + g->nsvc) {
			f = (i - g->nven + nf / 2) % nf;
		} else {
			/* with its vendor, or anywhere */
			f = rng_chance(r, 0.5) ? g->contracts[i - g->nven - g->nsvc].vendor % nf
			                       : rng_below(r, nf);
		}
		where[i] = f;
		g->file_first[f + 1]++;
	}
	for (f = 0; f < nf; f++) {
		g->file_first[f + 1] += g->file_first[f];
		fill[f] = g->file_first[f];
	}
	for (i = 0; i < total; i++) {
		if (i < g->nven)
			g->layout[fill[where[i]]++] = i * 4 + K_VENDOR;
		else if (i < g->nven + g->nsvc)
			g->layout[fill[where[i]]++] = (i - g->nven) * 4 + K_SERVICE;
		else
			g->layout[fill[where[i]]++] = (i - g->nven - g->nsvc) * 4 + K_CONTRACT;
	}
	for (f = 0; f < nf; f++)
		shuffle(r, g->layout + g->file_first[f], g->file_first[f + 1] - g->file_first[f]);
	free(where);
	free(fill);
	return 0;
}

void itr_gen_params_default(itr_gen_params *p)
{
	memset(p, 0, sizeof *p);
	p->seed = 1;
	p->services = 30;
	p->vendors = 8;
	p->links = 90;
	p->files = 3;
	p->provided = 0.75;
	p->covered = 0.9;
	p->needs_any = 0.3;
	p->min_above_one = 0.3;
	p->shared_options = 0.3;
	p->fourth_parties = 0.12;
	p->relies_on = 0.3;
	p->parent = 0.3;
	p->cycles = 0.03;
	p->self_loops = 0;
	p->ids = ITR_GEN_IDS_MIXED;
	p->as_of = NULL;
	p->shape = ITR_GEN_SHAPE_RANDOM;
}

int itr_gen_new(itr_gen **out, const itr_gen_params *p)
{
	itr_gen *g;
	rng r;
	size_t i;
	long as_of;

	*out = NULL;
	if (check_params(p, &as_of) < 0) {
		errno = EINVAL;
		return -1;
	}
	g = calloc(1, sizeof *g);
	if (!g) {
		errno = ENOMEM;
		return -1;
	}
	g->p = *p;
	g->seed = mix64((uint64_t)p->seed ^ UINT64_C(0x69747269736b2167)); /* "itrisk!g" */
	g->as_of = as_of;
	g->nsvc = p->services;
	g->nven = p->vendors;
	g->nfile = p->files;
	if (p->fourth_parties > 0 && g->nven >= 4) {
		g->nfourth = round_share(g->nven, p->fourth_parties);
		if (g->nfourth < 1)
			g->nfourth = 1;
		if (g->nfourth > g->nven - 1)
			g->nfourth = g->nven - 1;
	}
	r = rng_for(g, S_MAIN, 0);

	g->svc_rank = alloc_sizes(g->nsvc, 0);
	g->svc_at = alloc_sizes(g->nsvc, 0);
	g->provider = alloc_sizes(g->nsvc, NONE);
	g->grp_head = alloc_sizes(g->nsvc, NONE);
	g->grp_tail = alloc_sizes(g->nsvc, NONE);
	g->ven_rank = alloc_sizes(g->nven, 0);
	g->ven_at = alloc_sizes(g->nven, 0);
	g->parent = alloc_sizes(g->nven, NONE);
	g->vref_head = alloc_sizes(g->nven, NONE);
	g->vref_tail = alloc_sizes(g->nven, NONE);
	if (!g->svc_rank || !g->svc_at || !g->provider || !g->grp_head || !g->grp_tail ||
	    !g->ven_rank || !g->ven_at || !g->parent || !g->vref_head || !g->vref_tail)
		goto fail;
	for (i = 0; i < g->nsvc; i++)
		g->svc_at[i] = i;
	shuffle(&r, g->svc_at, g->nsvc);
	for (i = 0; i < g->nsvc; i++)
		g->svc_rank[g->svc_at[i]] = i;
	for (i = 0; i < g->nven; i++)
		g->ven_at[i] = i;
	shuffle(&r, g->ven_at, g->nven);
	for (i = 0; i < g->nven; i++)
		g->ven_rank[g->ven_at[i]] = i;

	if (p->shape == ITR_GEN_SHAPE_ENTERPRISE) {
		if (ent_build(g, &r) < 0)
			goto fail;
	} else {
		/* the random shape: keep this sequence of draws, or every
		 * portfolio the property tests know changes */
		if (gen_vendors(g, &r) < 0)
			goto fail;
		gen_providers(g, &r);
		if (index_providers(g) < 0 || gen_groups(g, &r) < 0)
			goto fail;
	}
	if (gen_contracts(g, &r) < 0 || gen_layout(g, &r) < 0)
		goto fail;

	g->stats.files = g->nfile;
	g->stats.vendors = g->nven;
	if (!g->ent)
		g->stats.fourth_parties = g->nfourth;
	g->stats.services = g->nsvc;
	g->stats.contracts = g->ncontracts;
	g->stats.links = g->stats.needs + g->stats.options + g->stats.providers +
	                 g->stats.relies_on + g->stats.parents;
	*out = g;
	return 0;

fail:
	itr_gen_free(g);
	errno = ENOMEM;
	return -1;
}

void itr_gen_free(itr_gen *g)
{
	if (!g)
		return;
	free(g->svc_rank);
	free(g->svc_at);
	free(g->provider);
	free(g->grp_head);
	free(g->grp_tail);
	free(g->ven_rank);
	free(g->ven_at);
	free(g->parent);
	free(g->vref_head);
	free(g->vref_tail);
	free(g->groups);
	free(g->refs);
	free(g->vrefs);
	free(g->contracts);
	free(g->covers);
	free(g->vs_first);
	free(g->vs);
	free(g->fp_first);
	free(g->fp);
	free(g->file_first);
	free(g->layout);
	ent_free(g->ent);
	free(g);
}

void itr_gen_get_stats(itr_gen_stats *out, const itr_gen *g)
{
	*out = g->stats;
}

int itr_gen_get_closure(itr_gen_closure *out, const itr_gen *g, size_t sample)
{
	size_t S = g->nsvc, N = g->nsvc + g->nven, e, i, k, gi, vi, head, tail, x, m, n;
	size_t *first = NULL, *adj = NULL, *fill = NULL, *queue = NULL, *seen = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	n = sample < S ? sample : S;
	if (n == 0)
		return 0;
	/* the dependency graph over elements (services, then vendors), CSR */
	first = alloc_sizes(N + 1, 0);
	fill = alloc_sizes(N + 1, 0);
	adj = alloc_sizes(g->nrefs + g->nvrefs + S + g->nven, 0);
	queue = alloc_sizes(N, 0);
	seen = alloc_sizes(N, NONE);
	if (!first || !fill || !adj || !queue || !seen)
		goto cleanup;
	for (i = 0; i < S; i++) {
		for (gi = g->grp_head[i]; gi != NONE; gi = g->groups[gi].next)
			first[i + 1] += g->groups[gi].n;
		first[i + 1] += g->provider[i] != NONE;
	}
	for (i = 0; i < g->nven; i++) {
		for (vi = g->vref_head[i]; vi != NONE; vi = g->vrefs[vi].next)
			first[S + i + 1]++;
		first[S + i + 1] += g->parent[i] != NONE;
	}
	for (e = 0; e < N; e++) {
		first[e + 1] += first[e];
		fill[e] = first[e];
	}
	for (i = 0; i < S; i++) {
		for (gi = g->grp_head[i]; gi != NONE; gi = g->groups[gi].next)
			for (k = 0; k < g->groups[gi].n; k++)
				adj[fill[i]++] = g->refs[g->groups[gi].first + k];
		if (g->provider[i] != NONE)
			adj[fill[i]++] = S + g->provider[i];
	}
	for (i = 0; i < g->nven; i++) {
		for (vi = g->vref_head[i]; vi != NONE; vi = g->vrefs[vi].next)
			adj[fill[S + i]++] = S + g->vrefs[vi].to;
		if (g->parent[i] != NONE)
			adj[fill[S + i]++] = S + g->parent[i];
	}
	/* breadth-first from each sampled service; seen[] holds the sample
	 * number, so it is never cleared */
	for (m = 0; m < n; m++) {
		i = (size_t)((uint64_t)m * S / n);
		seen[i] = m;
		queue[0] = i;
		head = 0;
		tail = 1;
		while (head < tail) {
			x = queue[head++];
			for (k = first[x]; k < first[x + 1]; k++) {
				if (seen[adj[k]] != m) {
					seen[adj[k]] = m;
					queue[tail++] = adj[k];
				}
			}
		}
		out->total += tail - 1;
		if (tail - 1 > out->max)
			out->max = tail - 1;
	}
	out->sampled = n;
	rc = 0;

cleanup:
	free(first);
	free(fill);
	free(adj);
	free(queue);
	free(seen);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}

size_t itr_gen_file_count(const itr_gen *g)
{
	return g->nfile;
}

int itr_gen_file_name(char *buf, size_t size, const itr_gen *g, size_t i)
{
	int width = digits(g->nfile - 1), n;

	if (i >= g->nfile) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(buf, size, "part-%0*zu.xml", width < 3 ? 3 : width, i);
	if (n < 0 || (size_t)n >= size) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

/* ---- writing -------------------------------------------------------------- */

static const char *const countries[] = {
	"KR", "US", "DE", "IE", "IN", "PL", "PH", "VN", "JP", "SG",
	"NL", "FR", "GB", "CN", "BR", "RO", "UA", "CH", "SE", "CA"};
static const char *const criticalities[] = {"critical", "important", "standard", "low"};
static const char *const classifications[] = {"public", "internal", "confidential", "restricted"};
static const char *const rtos[] = {"PT15M", "PT30M", "PT1H", "PT2H", "PT4H", "PT8H", "P1D", "P3D"};
static const char *const rpos[] = {"PT0S", "PT5M", "PT15M", "PT1H", "PT4H", "P1D"};
static const char *const availabilities[] = {
	"95", "97.25", "98.5", "99", "99.5", "99.9", "99.95", "99.99", "99.999", "100"};
static const char *const notices[] = {"P30D", "P60D", "P90D", "P3M", "P6M", "P180D", "P1Y"};
static const char *const transitions[] = {
	"P30D", "P60D", "P90D", "P120D", "P6M", "P9M", "P1Y", "P18M", "P1Y6M"};
static const char *const certifications[] = {
	"ISO27001", "SOC2", "ISO22301", "PCI-DSS", "CSA-STAR", "C5", "ISMS-P"};
static const char *const sourcings[] = {"total", "selective", "co-sourcing"};
static const char *const shorings[] = {"offshore", "nearshore", "onshore", "homeshore"};
static const char *const plans[] = {"none", "documented", "tested"};
static const char *const substitutabilities[] = {"easy", "medium", "hard", "impossible"};
static const char *const subcontractings[] = {"yes", "no", "with-approval"};
static const char *const booleans[] = {"true", "false", "1", "0"};
static const char *const svc_names[] = {
	"Payments", "Core ledger", "R&D portal", "Card \"Gold\" issuing", "<legacy> batch",
	"Donn\303\251es clients", "Seoul hosting", "HR & payroll", "Mail", "CRM",
	"Data warehouse", "Identity", "Network", "Backup", "Service desk"};
static const char *const ven_names[] = {
	"CloudCo", "Acme & Sons", "Nordic IT \"North\"", "M\xc3\xbcller Systems",
	"<Legacy> Hosting", "Hyperscale", "TelcoNet", "Offshore Devs", "Group Holding"};
static const char *const owners[] = {
	"Head of Payments", "CIO", "Ops <team> lead", "Head of R&D", "CFO", "CISO"};

#define PICK(r, a) ((a)[rng_below((r), COUNT(a))])

struct child {
	int type;
	size_t index;
};

struct out {
	const itr_gen *g;
	FILE *fp;
	const char *nl;
	const char *pfx; /* namespace prefix with ':', or "" */
	struct child *kids;
	size_t cap;
};

static void put(struct out *o, const char *s)
{
	fputs(s, o->fp);
}

static void put_escaped(struct out *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", o->fp); break;
		case '<': fputs("&lt;", o->fp); break;
		case '>': fputs("&gt;", o->fp); break;
		case '"': fputs("&quot;", o->fp); break;
		default: putc(*s, o->fp); break;
		}
	}
}

static void attr(struct out *o, const char *name, const char *value)
{
	fprintf(o->fp, " %s=\"", name);
	put_escaped(o, value);
	putc('"', o->fp);
}

static void attr_id(struct out *o, const char *name, enum kind k, size_t i)
{
	char id[ID_SIZE];

	make_id(id, o->g, k, i);
	attr(o, name, id);
}

static void attr_date(struct out *o, const char *name, long day)
{
	char d[16];

	format_date(d, day);
	attr(o, name, d);
}

static void open_tag(struct out *o, const char *indent, const char *name)
{
	fprintf(o->fp, "%s<%s%s", indent, o->pfx, name);
}

static void end_empty(struct out *o)
{
	fprintf(o->fp, "/>%s", o->nl);
}

static void end_open(struct out *o)
{
	fprintf(o->fp, ">%s", o->nl);
}

static void close_tag(struct out *o, const char *indent, const char *name)
{
	fprintf(o->fp, "%s</%s%s>%s", indent, o->pfx, name, o->nl);
}

static void ref_tag(struct out *o, const char *indent, const char *name, enum kind k, size_t i)
{
	open_tag(o, indent, name);
	attr_id(o, "ref", k, i);
	end_empty(o);
}

static int kids_reserve(struct out *o, size_t n)
{
	struct child *k;

	if (n <= o->cap)
		return 0;
	k = grow(o->kids, &o->cap, n, sizeof *o->kids);
	if (!k)
		return -1;
	o->kids = k;
	return 0;
}

static void shuffle_kids(rng *r, struct child *a, size_t n)
{
	struct child t;
	size_t i, j;

	for (i = n; i > 1; i--) {
		j = rng_below(r, i);
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

static void write_data(struct out *o, rng *r, const char *indent)
{
	open_tag(o, indent, "data");
	attr(o, "classification", PICK(r, classifications));
	if (rng_chance(r, 0.5))
		attr(o, "personal", PICK(r, booleans));
	if (rng_chance(r, 0.5))
		attr(o, "location", PICK(r, countries));
	end_empty(o);
}

static void write_name(struct out *o, rng *r, const char *const *names, size_t count,
                       const char *plain, size_t i)
{
	char buf[128];

	if (o->g->p.ids == ITR_GEN_IDS_PLAIN)
		snprintf(buf, sizeof buf, "%s %zu", plain, i);
	else
		snprintf(buf, sizeof buf, "%s %zu", names[rng_below(r, count)], i);
	attr(o, "name", buf);
}

enum { C_CERT, C_RELIES, C_GROUP, C_DATA, C_COVERS, C_SLA, C_EXIT, C_SUBCONTRACTING };

static int write_vendor(struct out *o, size_t v)
{
	const itr_gen *g = o->g;
	rng r = rng_for(g, S_VENDOR, v);
	size_t n = 0, i, ncert, vi;
	char lei[24];
	uint64_t x;
	unsigned rem;
	int fourth = g->ven_rank[v] < g->nfourth;
	static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	open_tag(o, "  ", "vendor");
	attr_id(o, "id", K_VENDOR, v);
	write_name(o, &r, ven_names, COUNT(ven_names), "Vendor", v);
	if (rng_chance(&r, 0.9))
		attr(o, "country", fourth && rng_chance(&r, 0.6) ? "US" : PICK(&r, countries));
	if (rng_chance(&r, 0.06))
		attr(o, "kind", "subsidiary");
	else if (rng_chance(&r, 0.15))
		attr(o, "kind", "external");
	if (g->parent[v] != NONE)
		attr_id(o, "parent", K_VENDOR, g->parent[v]);
	if (rng_chance(&r, 0.4)) {
		/* an LEI with valid ISO 7064 MOD 97-10 check digits */
		rem = 0;
		for (i = 0; i < 18; i++) {
			x = rng_below(&r, i < 4 ? 10 : 36);
			lei[i] = alnum[x];
			rem = x >= 10 ? (unsigned)((rem * 100 + x) % 97) : (unsigned)((rem * 10 + x) % 97);
		}
		rem = (rem * 100) % 97;
		rem = 98 - rem;
		lei[18] = (char)('0' + rem / 10);
		lei[19] = (char)('0' + rem % 10);
		lei[20] = '\0';
		attr(o, "lei", lei);
	}
	ncert = rng_below(&r, 4);
	for (vi = g->vref_head[v]; vi != NONE; vi = g->vrefs[vi].next)
		n++;
	if (kids_reserve(o, n + ncert) < 0)
		return -1;
	n = 0;
	for (i = 0; i < ncert; i++) {
		o->kids[n].type = C_CERT;
		o->kids[n++].index = i;
	}
	for (vi = g->vref_head[v]; vi != NONE; vi = g->vrefs[vi].next) {
		o->kids[n].type = C_RELIES;
		o->kids[n++].index = g->vrefs[vi].to;
	}
	if (n == 0) {
		end_empty(o);
		return 0;
	}
	end_open(o);
	shuffle_kids(&r, o->kids, n);
	for (i = 0; i < n; i++) {
		if (o->kids[i].type == C_RELIES) {
			ref_tag(o, "    ", "relies-on", K_VENDOR, o->kids[i].index);
			continue;
		}
		open_tag(o, "    ", "certification");
		/* the same name twice on one vendor is possible and harmless */
		attr(o, "name", PICK(&r, certifications));
		if (rng_chance(&r, 0.7))
			attr_date(o, "expires", g->as_of - 200 + (long)rng_below(&r, 1100));
		end_empty(o);
	}
	close_tag(o, "  ", "vendor");
	return 0;
}

/* Criticality by layer, about 10% critical and 20% important overall:
 * business services and the platform tier critical most often. */
static size_t ent_criticality(rng *r, unsigned layer)
{
	/* cumulative percentages: critical, important, standard (rest low) */
	static const unsigned char pct[L_COUNT][3] = {
		{20, 60, 90}, {25, 65, 92}, {25, 65, 92}, {20, 55, 90},
		{2, 14, 80}, {6, 26, 81}, {30, 65, 90}};
	size_t x = rng_below(r, 100);

	return x < pct[layer][0] ? 0 : x < pct[layer][1] ? 1 : x < pct[layer][2] ? 2 : 3;
}

static int write_service(struct out *o, size_t s)
{
	const itr_gen *g = o->g;
	rng r = rng_for(g, S_SERVICE, s);
	size_t n = 0, gi, i, k, ndata, crit, rank = g->svc_rank[s];
	const struct group *gr;
	char buf[16];

	/* the top fifth of the ranks holds the business services */
	if (g->ent)
		crit = ent_criticality(&r, g->ent->layer[s]);
	else if (rank * 5 >= g->nsvc * 4)
		crit = rng_chance(&r, 0.3) ? 0 : rng_chance(&r, 0.45) ? 1 : 2 + (size_t)rng_chance(&r, 0.2);
	else
		crit = rng_chance(&r, 0.05) ? 0 : rng_chance(&r, 0.15) ? 1 : 2 + (size_t)rng_chance(&r, 0.3);

	open_tag(o, "  ", "service");
	attr_id(o, "id", K_SERVICE, s);
	write_name(o, &r, svc_names, COUNT(svc_names), "Service", s);
	if (crit != 2 || rng_chance(&r, 0.5))
		attr(o, "criticality", criticalities[crit]);
	if (g->provider[s] != NONE) {
		attr_id(o, "provider", K_VENDOR, g->provider[s]);
		if (rng_chance(&r, 0.6))
			attr(o, "delivered-from", PICK(&r, countries));
	} else if (rng_chance(&r, 0.2)) {
		attr(o, "delivered-from", "DE");
	}
	if (rng_chance(&r, crit < 2 ? 0.7 : 0.2))
		attr(o, "rto", PICK(&r, rtos));
	if (rng_chance(&r, crit < 2 ? 0.7 : 0.2))
		attr(o, "availability", PICK(&r, availabilities));
	if (rng_chance(&r, crit < 2 ? 0.7 : 0.3))
		attr(o, "owner", PICK(&r, owners));

	ndata = rng_chance(&r, 0.45) ? 0 : rng_chance(&r, 0.6) ? 1 : 2;
	for (gi = g->grp_head[s]; gi != NONE; gi = g->groups[gi].next)
		n++;
	if (kids_reserve(o, n + ndata) < 0)
		return -1;
	n = 0;
	for (gi = g->grp_head[s]; gi != NONE; gi = g->groups[gi].next) {
		o->kids[n].type = C_GROUP;
		o->kids[n++].index = gi;
	}
	for (i = 0; i < ndata; i++) {
		o->kids[n].type = C_DATA;
		o->kids[n++].index = i;
	}
	if (n == 0) {
		end_empty(o);
		return 0;
	}
	end_open(o);
	shuffle_kids(&r, o->kids, n);
	for (i = 0; i < n; i++) {
		if (o->kids[i].type == C_DATA) {
			write_data(o, &r, "    ");
			continue;
		}
		gr = &g->groups[o->kids[i].index];
		if (gr->min == 0) {
			ref_tag(o, "    ", "needs", K_SERVICE, g->refs[gr->first]);
			continue;
		}
		open_tag(o, "    ", "needs-any");
		snprintf(buf, sizeof buf, "%u", gr->min);
		attr(o, "min", buf);
		end_open(o);
		for (k = 0; k < gr->n; k++)
			ref_tag(o, "      ", "option", K_SERVICE, g->refs[gr->first + k]);
		close_tag(o, "    ", "needs-any");
	}
	close_tag(o, "  ", "service");
	return 0;
}

static int write_contract(struct out *o, size_t c)
{
	const itr_gen *g = o->g;
	const struct contract *ct = &g->contracts[c];
	rng r = rng_for(g, S_CONTRACT, c);
	size_t n = 0, i, ndata;
	unsigned cents;
	long start = contract_start(g, c), end;
	double u;
	char buf[48];
	int has_sla, has_exit, has_sub;

	open_tag(o, "  ", "contract");
	attr_id(o, "id", K_CONTRACT, c);
	attr_id(o, "vendor", K_VENDOR, ct->vendor);
	attr(o, "sourcing", PICK(&r, sourcings));
	attr(o, "shoring", PICK(&r, shorings));
	attr_date(o, "start", start);
	if (rng_chance(&r, 0.85)) {
		u = rng_unit(&r);
		if (u < 0.10)
			end = g->as_of - 1 - (long)rng_below(&r, 400); /* expired */
		else if (u < 0.25)
			end = g->as_of + (long)rng_below(&r, 181); /* expiring */
		else if (u < 0.28)
			end = start; /* a one-day contract: end == start is allowed */
		else
			end = g->as_of + 181 + (long)rng_below(&r, 2000);
		attr_date(o, "end", end < start ? start : end);
	}
	if (rng_chance(&r, 0.8))
		attr(o, "notice", PICK(&r, notices));
	if (rng_chance(&r, 0.6))
		attr(o, "auto-renew", PICK(&r, booleans));
	if (rng_chance(&r, 0.85)) {
		if (rng_chance(&r, 0.2)) {
			cents = (unsigned)rng_below(&r, 100);
			snprintf(buf, sizeof buf, "%llu.%02u",
			         (unsigned long long)(1000 + rng_below(&r, 5000000)), cents);
		} else {
			snprintf(buf, sizeof buf, "%llu",
			         (unsigned long long)(1000 * (1 + rng_below(&r, 5000000))));
		}
		attr(o, "annual-cost", buf);
	}

	has_sla = rng_chance(&r, 0.7);
	has_exit = rng_chance(&r, 0.7);
	has_sub = rng_chance(&r, 0.6);
	ndata = rng_chance(&r, 0.4) ? 0 : rng_chance(&r, 0.6) ? 1 : 2;
	if (kids_reserve(o, ct->n + 3 + ndata) < 0)
		return -1;
	for (i = 0; i < ct->n; i++) {
		o->kids[n].type = C_COVERS;
		o->kids[n++].index = g->covers[ct->first + i];
	}
	if (has_sla)
		o->kids[n++].type = C_SLA;
	if (has_exit)
		o->kids[n++].type = C_EXIT;
	if (has_sub)
		o->kids[n++].type = C_SUBCONTRACTING;
	for (i = 0; i < ndata; i++)
		o->kids[n++].type = C_DATA;
	end_open(o);
	shuffle_kids(&r, o->kids, n);
	for (i = 0; i < n; i++) {
		switch (o->kids[i].type) {
		case C_COVERS:
			ref_tag(o, "    ", "covers", K_SERVICE, o->kids[i].index);
			break;
		case C_SLA:
			open_tag(o, "    ", "sla");
			if (rng_chance(&r, 0.85))
				attr(o, "availability", PICK(&r, availabilities));
			if (rng_chance(&r, 0.7))
				attr(o, "rto", PICK(&r, rtos));
			if (rng_chance(&r, 0.5))
				attr(o, "rpo", PICK(&r, rpos));
			end_empty(o);
			break;
		case C_EXIT: {
			const char *plan = PICK(&r, plans);

			open_tag(o, "    ", "exit");
			attr(o, "plan", plan);
			if (plan[0] == 't' && rng_chance(&r, 0.9))
				attr_date(o, "tested-on", g->as_of - (long)rng_below(&r, 3 * 365));
			if (rng_chance(&r, 0.7))
				attr(o, "transition", PICK(&r, transitions));
			if (rng_chance(&r, 0.7))
				attr(o, "substitutability", PICK(&r, substitutabilities));
			if (rng_chance(&r, 0.5)) {
				snprintf(buf, sizeof buf, "%llu",
				         (unsigned long long)(500 * rng_below(&r, 1000000)));
				attr(o, "cost", buf);
			}
			end_empty(o);
			break;
		}
		case C_SUBCONTRACTING:
			open_tag(o, "    ", "subcontracting");
			attr(o, "allowed", PICK(&r, subcontractings));
			end_empty(o);
			break;
		default:
			write_data(o, &r, "    ");
			break;
		}
	}
	close_tag(o, "  ", "contract");
	return 0;
}

int itr_gen_write_file(const itr_gen *g, size_t f, FILE *fp)
{
	struct out o;
	size_t i, e;
	int wild, rc = 0;
	char as_of[16];

	if (f >= g->nfile) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	memset(&o, 0, sizeof o);
	o.g = g;
	o.fp = fp;
	o.nl = "\n";
	o.pfx = "";
	/* WILD files also vary what XML allows around the content: a BOM, CRLF
	 * line ends, a namespace prefix instead of the default namespace. */
	wild = g->p.ids == ITR_GEN_IDS_WILD;
	if (wild && f % 3 == 1)
		put(&o, "\xef\xbb\xbf");
	if (wild && f % 4 == 2)
		o.nl = "\r\n";
	if (wild && f % 5 == 3)
		o.pfx = "p:";
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%s", o.nl);
	fprintf(fp, "<!-- itorisk-gen: seed %lu, file %zu of %zu -->%s", g->p.seed, f + 1,
	        g->nfile, o.nl);
	fprintf(fp, "<%sportfolio xmlns%s=\"urn:itorisk:portfolio:1\"", o.pfx,
	        o.pfx[0] ? ":p" : "");
	/* portfolio attributes: all in the first file, some repeated, equal */
	format_date(as_of, g->as_of);
	if (f == 0)
		attr(&o, "name", "Generated portfolio");
	if (f == 0 || f % 4 == 1) {
		attr(&o, "home-country", "DE");
		attr(&o, "currency", "EUR");
	}
	if (f == 0 || f % 8 == 2)
		attr(&o, "as-of", as_of);
	if (g->file_first[f] == g->file_first[f + 1]) {
		end_empty(&o);
	} else {
		end_open(&o);
		for (i = g->file_first[f]; i < g->file_first[f + 1] && rc == 0; i++) {
			e = g->layout[i];
			switch (e % 4) {
			case K_VENDOR: rc = write_vendor(&o, e / 4); break;
			case K_SERVICE: rc = write_service(&o, e / 4); break;
			default: rc = write_contract(&o, e / 4); break;
			}
		}
		fprintf(fp, "</%sportfolio>%s", o.pfx, o.nl);
	}
	free(o.kids);
	if (rc < 0)
		return -1;
	if (fflush(fp) != 0 || ferror(fp)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

int itr_gen_write_dir(const itr_gen_params *p, const char *dir)
{
	itr_gen *g = NULL;
	struct stat st;
	char name[32], *path = NULL;
	size_t i, len;
	FILE *fp;
	int rc = -1, err;

	if (itr_gen_new(&g, p) < 0)
		return -1;
	if (mkdir(dir, 0777) < 0) {
		err = errno;
		if (err != EEXIST || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			errno = err == EEXIST ? ENOTDIR : err;
			goto cleanup;
		}
	}
	len = strlen(dir) + sizeof name + 2;
	path = malloc(len);
	if (!path) {
		errno = ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < g->nfile; i++) {
		if (itr_gen_file_name(name, sizeof name, g, i) < 0)
			goto cleanup;
		snprintf(path, len, "%s/%s", dir, name);
		fp = fopen(path, "w");
		if (!fp)
			goto cleanup;
		if (itr_gen_write_file(g, i, fp) < 0) {
			err = errno;
			fclose(fp);
			errno = err;
			goto cleanup;
		}
		if (fclose(fp) != 0)
			goto cleanup;
	}
	rc = 0;

cleanup:
	err = errno;
	free(path);
	itr_gen_free(g);
	errno = err;
	return rc;
}
