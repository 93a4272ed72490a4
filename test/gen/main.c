/*
 * itorisk-gen - write a deterministic random portfolio for tests and benchmarks.
 *
 *   itorisk-gen [options] OUTDIR
 *
 * Exit status: 0 written, 1 could not write, 2 bad usage.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "gen.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind {
	OPT_ULONG, OPT_SIZE, OPT_SHARE, OPT_FLAG, OPT_IDS, OPT_SHAPE, OPT_DATE, OPT_STATS, OPT_HELP
};

/* Services whose closures --stats measures. */
#define CLOSURE_SAMPLE 1000

/* The option table drives both parsing and --help. */
static const struct opt {
	const char *name;
	const char *arg; /* NULL: takes no value */
	enum opt_kind kind;
	size_t offset;   /* into itr_gen_params */
	const char *help;
} opts[] = {
	{"shape", "SHAPE", OPT_SHAPE, offsetof(itr_gen_params, shape),
	 "random (dense random DAG) or enterprise (domains, platform tier)"},
	{"seed", "N", OPT_ULONG, offsetof(itr_gen_params, seed), "random seed"},
	{"services", "N", OPT_SIZE, offsetof(itr_gen_params, services), "number of services"},
	{"vendors", "N", OPT_SIZE, offsetof(itr_gen_params, vendors), "number of vendors"},
	{"links", "N", OPT_SIZE, offsetof(itr_gen_params, links),
	 "needs + option + provider + relies-on + parent references (about)"},
	{"files", "N", OPT_SIZE, offsetof(itr_gen_params, files), "number of files"},
	{"provided", "P", OPT_SHARE, offsetof(itr_gen_params, provided),
	 "share of services with a provider"},
	{"covered", "P", OPT_SHARE, offsetof(itr_gen_params, covered),
	 "share of provided services under contract"},
	{"needs-any", "P", OPT_SHARE, offsetof(itr_gen_params, needs_any),
	 "share of dependency groups that are needs-any"},
	{"min-above-one", "P", OPT_SHARE, offsetof(itr_gen_params, min_above_one),
	 "share of needs-any groups with min > 1"},
	{"shared", "P", OPT_SHARE, offsetof(itr_gen_params, shared_options),
	 "share of needs-any groups sharing a provider or fourth party"},
	{"fourth-parties", "P", OPT_SHARE, offsetof(itr_gen_params, fourth_parties),
	 "share of vendors that are fourth parties only"},
	{"relies-on", "P", OPT_SHARE, offsetof(itr_gen_params, relies_on),
	 "share of vendors with relies-on"},
	{"parent", "P", OPT_SHARE, offsetof(itr_gen_params, parent),
	 "share of vendors with a parent"},
	{"cycles", "P", OPT_SHARE, offsetof(itr_gen_params, cycles),
	 "share of elements on planted cycles (0: acyclic)"},
	{"self-loops", NULL, OPT_FLAG, offsetof(itr_gen_params, self_loops),
	 "plant self references too"},
	{"ids", "STYLE", OPT_IDS, offsetof(itr_gen_params, ids), "plain, mixed or wild"},
	{"as-of", "DATE", OPT_DATE, offsetof(itr_gen_params, as_of),
	 "portfolio as-of date (YYYY-MM-DD)"},
	{"stats", NULL, OPT_STATS, 0,
	 "print what was generated to stdout, with closure sizes over a sample"},
	{"help", NULL, OPT_HELP, 0, "show this help"},
};

#define NOPTS (sizeof opts / sizeof opts[0])

static void usage(FILE *fp)
{
	itr_gen_params d;
	size_t i;
	char left[40];

	itr_gen_params_default(&d);
	fprintf(fp, "usage: itorisk-gen [options] OUTDIR\n\n"
	            "Write OUTDIR/part-000.xml ... : a random portfolio, valid and\n"
	            "consistent, the same for the same options on every machine.\n\n"
	            "Shapes: 'random' draws every dependency from anywhere lower in one\n"
	            "global order (a dense DAG: closures cover much of the portfolio).\n"
	            "'enterprise' builds business domains of 30-150 services layered\n"
	            "business > application > platform, a shared platform tier (2.5%%:\n"
	            "sites, network, identity, messaging) and 3-5 hyperscalers most\n"
	            "relying vendors run on; closures stay bounded as it grows.\n\n");
	for (i = 0; i < NOPTS; i++) {
		snprintf(left, sizeof left, "--%s%s%s", opts[i].name, opts[i].arg ? " " : "",
		         opts[i].arg ? opts[i].arg : "");
		fprintf(fp, "  %-22s %s\n", left, opts[i].help);
	}
	fprintf(fp, "\ndefaults: --seed %lu --services %zu --vendors %zu --links %zu --files %zu\n"
	            "  --provided %.2f --covered %.2f --needs-any %.2f --min-above-one %.2f\n"
	            "  --shared %.2f --fourth-parties %.2f --relies-on %.2f --parent %.2f\n"
	            "  --cycles %.2f --ids mixed --as-of 2026-11-01 --shape random\n",
	        d.seed, d.services, d.vendors, d.links, d.files, d.provided, d.covered,
	        d.needs_any, d.min_above_one, d.shared_options, d.fourth_parties, d.relies_on,
	        d.parent, d.cycles);
}

static int bad_value(const char *name, const char *value)
{
	fprintf(stderr, "itorisk-gen: bad value '%s' for --%s\n", value, name);
	return -1;
}

static int parse_ulong(unsigned long long *out, const char *s, unsigned long long max)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end || *out > max ? -1 : 0;
}

/* Store value into the field o describes. */
static int set_opt(itr_gen_params *p, const struct opt *o, const char *value)
{
	char *field = (char *)p + o->offset;
	unsigned long long n;
	double d;
	char *end;

	switch (o->kind) {
	case OPT_ULONG:
		if (parse_ulong(&n, value, ULONG_MAX) < 0)
			return bad_value(o->name, value);
		*(unsigned long *)(void *)field = (unsigned long)n;
		return 0;
	case OPT_SIZE:
		if (parse_ulong(&n, value, SIZE_MAX) < 0)
			return bad_value(o->name, value);
		*(size_t *)(void *)field = (size_t)n;
		return 0;
	case OPT_SHARE:
		errno = 0;
		d = strtod(value, &end);
		if (errno || end == value || *end || !(d >= 0.0 && d <= 1.0))
			return bad_value(o->name, value);
		*(double *)(void *)field = d;
		return 0;
	case OPT_IDS:
		if (strcmp(value, "plain") == 0)
			*(itr_gen_ids *)(void *)field = ITR_GEN_IDS_PLAIN;
		else if (strcmp(value, "mixed") == 0)
			*(itr_gen_ids *)(void *)field = ITR_GEN_IDS_MIXED;
		else if (strcmp(value, "wild") == 0)
			*(itr_gen_ids *)(void *)field = ITR_GEN_IDS_WILD;
		else
			return bad_value(o->name, value);
		return 0;
	case OPT_SHAPE:
		if (strcmp(value, "random") == 0)
			*(itr_gen_shape *)(void *)field = ITR_GEN_SHAPE_RANDOM;
		else if (strcmp(value, "enterprise") == 0)
			*(itr_gen_shape *)(void *)field = ITR_GEN_SHAPE_ENTERPRISE;
		else
			return bad_value(o->name, value);
		return 0;
	case OPT_DATE:
		*(const char **)(void *)field = value; /* checked by itr_gen_new */
		return 0;
	case OPT_FLAG:
		*(int *)(void *)field = 1;
		return 0;
	default:
		return 0;
	}
}

static void print_stats(const itr_gen_stats *s, const itr_gen_closure *c, itr_gen_shape shape)
{
	size_t tenths;

	printf("files %zu\nvendors %zu\nfourth-parties %zu\nservices %zu\nin-house %zu\n"
	       "contracts %zu\ncovered %zu\nneeds %zu\nneeds-any %zu\nmin-above-one %zu\n"
	       "shared-groups %zu\noptions %zu\nproviders %zu\nrelies-on %zu\nparents %zu\n"
	       "links %zu\nservice-cycles %zu\nvendor-cycles %zu\nself-loops %zu\n",
	       s->files, s->vendors, s->fourth_parties, s->services, s->in_house, s->contracts,
	       s->covered, s->needs, s->needs_any, s->min_above_one, s->shared_groups,
	       s->options, s->providers, s->relies_on, s->parents, s->links,
	       s->service_cycles, s->vendor_cycles, s->self_loops);
	printf("widest-needs-any %zu\n", s->widest);
	if (shape == ITR_GEN_SHAPE_ENTERPRISE)
		printf("domains %zu\nplatform %zu\nhyperscalers %zu\noutsourcers %zu\n"
		       "chains %zu\n",
		       s->domains, s->platform, s->hyperscalers, s->outsourcers, s->chains);
	/* the mean in rounded integer tenths: the same text on every machine */
	tenths = c->sampled ? (c->total * 10 + c->sampled / 2) / c->sampled : 0;
	printf("closure-sampled %zu\nclosure-mean %zu.%zu\nclosure-max %zu\n", c->sampled,
	       tenths / 10, tenths % 10, c->max);
}

int main(int argc, char **argv)
{
	itr_gen_params p;
	itr_gen_stats st;
	itr_gen_closure cl;
	itr_gen *g = NULL;
	const struct opt *o;
	const char *dir = NULL, *arg, *value, *eq;
	size_t i, len;
	int a, stats = 0;

	itr_gen_params_default(&p);
	for (a = 1; a < argc; a++) {
		arg = argv[a];
		if (strcmp(arg, "--") == 0) {
			if (++a < argc && !dir)
				dir = argv[a++];
			if (a < argc) {
				fprintf(stderr, "itorisk-gen: too many arguments\n");
				return 2;
			}
			break;
		}
		if (strcmp(arg, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (arg[0] != '-' || arg[1] != '-') {
			if (dir || arg[0] == '-') {
				fprintf(stderr, "itorisk-gen: unexpected argument '%s'\n", arg);
				return 2;
			}
			dir = arg;
			continue;
		}
		eq = strchr(arg + 2, '=');
		len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);
		o = NULL;
		for (i = 0; i < NOPTS; i++)
			if (strlen(opts[i].name) == len && strncmp(opts[i].name, arg + 2, len) == 0)
				o = &opts[i];
		if (!o) {
			fprintf(stderr, "itorisk-gen: unknown option '%s'\n", arg);
			return 2;
		}
		if (!o->arg) {
			if (eq) {
				fprintf(stderr, "itorisk-gen: --%s takes no value\n", o->name);
				return 2;
			}
			if (o->kind == OPT_HELP) {
				usage(stdout);
				return 0;
			}
			if (o->kind == OPT_STATS)
				stats = 1;
			else
				set_opt(&p, o, "");
			continue;
		}
		if (eq) {
			value = eq + 1;
		} else if (a + 1 < argc) {
			value = argv[++a];
		} else {
			fprintf(stderr, "itorisk-gen: --%s needs a value\n", o->name);
			return 2;
		}
		if (set_opt(&p, o, value) < 0)
			return 2;
	}
	if (!dir) {
		usage(stderr);
		return 2;
	}
	if (itr_gen_new(&g, &p) < 0) {
		if (errno == EINVAL) {
			fprintf(stderr, "itorisk-gen: bad parameters (files must be 1 or more, "
			                "counts below 2^31, as-of a date)\n");
			return 2;
		}
		fprintf(stderr, "itorisk-gen: %s\n", strerror(errno));
		return 1;
	}
	itr_gen_get_stats(&st, g);
	if (stats && itr_gen_get_closure(&cl, g, CLOSURE_SAMPLE) < 0) {
		fprintf(stderr, "itorisk-gen: %s\n", strerror(errno));
		itr_gen_free(g);
		return 1;
	}
	itr_gen_free(g);
	/* itr_gen_write_dir generates again: cheap, and keeps one entry point. */
	if (itr_gen_write_dir(&p, dir) < 0) {
		fprintf(stderr, "itorisk-gen: cannot write '%s': %s\n", dir, strerror(errno));
		return 1;
	}
	if (stats)
		print_stats(&st, &cl, p.shape);
	return 0;
}
