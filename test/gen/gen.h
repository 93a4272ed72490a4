/*
 * gen.h - deterministic random portfolios for tests and benchmarks.
 *
 * Two shapes. ITR_GEN_SHAPE_RANDOM (the default) draws dependencies from
 * anywhere lower in one global order: a dense random DAG whose transitive
 * closures cover much of the portfolio, a stress test. ITR_GEN_SHAPE_ENTERPRISE
 * looks like a large organisation: business domains of 30-150 services layered
 * business -> application -> platform-within-domain, a shared platform tier
 * (sites, network, core and shared platform services, about 2.5% of the
 * services) that the domains depend on, a few hyperscalers most relying
 * vendors run on, outsourcers carrying many services, corporate groups. Its
 * transitive closures stay bounded (a domain and what it uses of the platform
 * tier) whatever the portfolio's size.
 *
 * The generator writes portfolios in the itorisk XML format (SPEC §1) that are
 * valid against models/portfolio.xsd and satisfy every integrity rule: ids are
 * unique across files, every reference names an element of the right kind, a
 * covered service has the contract's vendor as provider, a service is covered
 * at most once, every contract covers something, min is in 1..options, end is
 * not before start, and parents form a forest.
 *
 * Output depends only on the parameters: the same itr_gen_params give the same
 * bytes on every machine (own PRNG, integer arithmetic for every printed value).
 * Each file is generated independently of the order in which files are written.
 *
 * Ownership: an itr_gen returned through *out is the caller's, to be freed with
 * itr_gen_free(). Nothing else is allocated for the caller. Functions returning
 * int return 0 on success and -1 with errno set on failure.
 */
#ifndef ITR_GEN_H
#define ITR_GEN_H

#include <stddef.h>
#include <stdio.h>

/* How ids are spelled. All styles give NCNames unique across the portfolio. */
typedef enum itr_gen_ids {
	ITR_GEN_IDS_PLAIN, /* svc-00042, vendor-0007, C-00003: zero-padded, lowercase */
	ITR_GEN_IDS_MIXED, /* svc-42, Svc-0042, SVC_7, _int-3, C-2023-14: unpadded
	                      digits, '-', '_', uppercase; names with & < " and accents */
	ITR_GEN_IDS_WILD   /* MIXED plus '.' and non-ASCII letters (ven.dor-3, 서비스-9) */
} itr_gen_ids;

/* The structure of the portfolio (see the top of this file). */
typedef enum itr_gen_shape {
	ITR_GEN_SHAPE_RANDOM,     /* one global order, dense random DAG */
	ITR_GEN_SHAPE_ENTERPRISE  /* domains, platform tier, hyperscalers */
} itr_gen_shape;

typedef struct itr_gen_params {
	unsigned long seed;
	size_t services;       /* services in the portfolio */
	size_t vendors;        /* vendors, fourth parties included */
	size_t links;          /* wanted needs + option + provider + relies-on + parent
	                          references, approximately: the provider, relies-on and
	                          parent references are drawn first from their shares,
	                          needs and needs-any groups then fill what is left */
	size_t files;          /* part-000.xml ... ; 1 or more; files may be empty */

	/* Shares are probabilities in [0, 1]. */
	double provided;       /* services with a provider (the rest run in-house) */
	double covered;        /* provided services covered by a contract (the rest
	                          are shadow outsourcing) */
	double needs_any;      /* dependency groups that are needs-any (2-4 options)
	                          rather than a single needs */
	double min_above_one;  /* needs-any groups with min > 1 */
	double shared_options; /* needs-any groups whose options share a provider or
	                          sit with vendors relying on one fourth party */
	double fourth_parties; /* vendors that provide no service and are reached
	                          only through relies-on (at least one when > 0 and
	                          there are 4 vendors or more) */
	double relies_on;      /* vendors with 1-3 relies-on references */
	double parent;         /* vendors with a parent (corporate groups, several
	                          levels deep; always a forest) */
	double cycles;         /* 0: no dependency cycle anywhere. > 0: about this
	                          share of services sit on planted needs cycles (at
	                          least one cycle), and about this share of vendors on
	                          relies-on cycles, some through a parent */
	int self_loops;        /* also plant services that need themselves and vendors
	                          that rely on themselves (valid input, an edge case) */
	itr_gen_ids ids;       /* id spelling */
	const char *as_of;     /* "YYYY-MM-DD": the portfolio's as-of date; contract
	                          dates, expiries and tests are placed around it.
	                          NULL means "2026-11-01". Not copied: the string must
	                          outlive itr_gen_new() only. */
	itr_gen_shape shape;   /* ITR_GEN_SHAPE_RANDOM unless set. The enterprise
	                          shape reads the same fields: needs_any is the
	                          share of dependency groups that are needs-any (2-8
	                          options: sites and zones, duplicate suppliers,
	                          replicas), relies_on the share of vendors with
	                          relies-on (mostly on a hyperscaler), cycles the
	                          share of services on planted 2-4-service needs
	                          cycles inside a domain; the others as above. */
} itr_gen_params;

/* What a generated portfolio contains. */
typedef struct itr_gen_stats {
	size_t files;
	size_t vendors;
	size_t fourth_parties;  /* vendors with no service of their own */
	size_t services;
	size_t in_house;        /* services without a provider */
	size_t contracts;
	size_t covered;         /* services covered by a contract */
	size_t needs;           /* needs references */
	size_t needs_any;       /* needs-any groups */
	size_t min_above_one;   /* needs-any groups with min > 1 */
	size_t shared_groups;   /* needs-any groups built to share a provider or
	                           fourth party (enterprise shape: groups whose
	                           options do share one, by design or by chance) */
	size_t options;         /* option references */
	size_t providers;       /* provider references */
	size_t relies_on;       /* relies-on references */
	size_t parents;         /* parent references */
	size_t links;           /* needs + options + providers + relies_on + parents */
	size_t service_cycles;  /* planted needs cycles */
	size_t vendor_cycles;   /* planted relies-on cycles */
	size_t self_loops;      /* planted self references */
	size_t widest;          /* options of the widest needs-any group */
	/* enterprise shape only (0 otherwise) */
	size_t domains;         /* business domains */
	size_t platform;        /* services of the shared platform tier */
	size_t hyperscalers;    /* hyperscalers (a few; some are fourth parties only) */
	size_t outsourcers;     /* vendors running whole domains */
	size_t chains;          /* planted deep needs chains (15-30 links) */
} itr_gen_stats;

/* Transitive dependency closures over a sample of services. */
typedef struct itr_gen_closure {
	size_t sampled;         /* services in the sample */
	size_t max;             /* largest closure in the sample */
	size_t total;           /* sum of the closures (mean = total / sampled) */
} itr_gen_closure;

typedef struct itr_gen itr_gen;

/* Fill *p with a small portfolio: seed 1, 30 services, 8 vendors, 90 links,
 * 3 files, every feature switched on, ITR_GEN_IDS_MIXED, ITR_GEN_SHAPE_RANDOM.
 * Cannot fail. */
void itr_gen_params_default(itr_gen_params *p);

/* Generate the portfolio structure in memory. Fails with EINVAL on bad
 * parameters (no file or more than 10^6, a share outside [0, 1], a bad as_of
 * or one outside years 1100-9900, a count of 2^31 or more, an unknown shape
 * or id style) and ENOMEM.
 * Time and memory O(services + vendors + links). */
int itr_gen_new(itr_gen **out, const itr_gen_params *p);

/* Free g and everything it owns. NULL is fine; cannot fail. */
void itr_gen_free(itr_gen *g);

/* Counts of what g holds. Cannot fail. */
void itr_gen_get_stats(itr_gen_stats *out, const itr_gen *g);

/* Closure sizes: for up to `sample` services (all of them when there are no
 * more; otherwise services evenly spaced in index order, which is a random
 * order of the structure, so the same services for the same parameters), the
 * number of elements other than the service itself reachable through needs,
 * option, provider, relies-on and parent references. Fails with ENOMEM.
 * Time O(sample * (services + vendors + links)) at worst, memory
 * O(services + vendors + links). */
int itr_gen_get_closure(itr_gen_closure *out, const itr_gen *g, size_t sample);

/* The number of files, and the name of file i ("part-000.xml"; the number is
 * zero-padded so that bytewise order is numeric order). file_name fails with
 * ERANGE when size is too small and EINVAL when i is out of range. */
size_t itr_gen_file_count(const itr_gen *g);
int itr_gen_file_name(char *buf, size_t size, const itr_gen *g, size_t i);

/* Write file i to fp (not closed). Fails with EINVAL when i is out of range,
 * ENOMEM, or the stream's error (EIO when the stream does not say). */
int itr_gen_write_file(const itr_gen *g, size_t i, FILE *fp);

/* Generate and write dir/part-000.xml ... , creating dir (not its parents) when
 * missing. Existing part files are overwritten, other files left alone: give a
 * new or empty directory, or stale parts will be merged in. On failure files
 * written so far stay. */
int itr_gen_write_dir(const itr_gen_params *p, const char *dir);

#endif /* ITR_GEN_H */
