/*
 * The Open-PSA export checked by an engine no one on this project wrote:
 * SCRAM (Debian's `scram`) reads the exported fault trees of the samples, of
 * hand-made cycles and of random portfolios; its minimal cut sets (up to
 * order 2) must equal ours (itr_cutsets_compute) and a brute-force failure
 * injection written here, and its BDD probability must equal
 * 1 - itr_availability_compute (and a brute-force enumeration of the failure
 * states where there are few enough).
 */
#define _GNU_SOURCE /* open_memstream */
#include "gen.h"
#include "helpers.h"
#include "itorisk/availability.h"
#include "itorisk/cutsets.h"
#include "itorisk/export.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static bool have_scram;

static void setup(void)
{
	itr_graph_setup();
	dir = t_tmpdir();
	have_scram = system("command -v scram >/dev/null 2>&1") == 0;
}

static void teardown(void)
{
	t_rmtree(dir);
	free(dir);
}

TestSuite(openpsa, .init = setup, .fini = teardown, .timeout = 120);

#define NEED_SCRAM()                                                                               \
	do {                                                                                       \
		if (!have_scram)                                                                   \
			cr_skip_test("scram is not installed (Debian package 'scram'): the "       \
				     "Open-PSA cross-check is skipped");                           \
	} while (0)

/* One top event of SCRAM's report: its products as "a b" strings (ids sorted). */
typedef struct top {
	char *service;
	double p;
	char **sets;
	size_t nsets, cap;
} top;

typedef struct report {
	top *tops;
	size_t n;
} report;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The element id behind an Open-PSA name with this prefix, or NULL. */
static const char *decode(const itr_model *m, const char *prefix, const char *name)
{
	const char *found = NULL;

	for (size_t e = 0; e < m->nelems && !found; e++) {
		itr_buf b = ITR_BUF_INIT;

		itr_opsa_name(&b, prefix, itr_model_elem_id(m, e));
		if (strcmp(itr_buf_str(&b), name) == 0)
			found = itr_model_elem_id(m, e);
		itr_buf_release(&b);
	}
	return found;
}

static char *prop(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = itr_xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

static bool is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Run SCRAM on an exported file and read its report. */
static report scram(const itr_model *m, const char *file, unsigned order)
{
	itr_buf cmd = ITR_BUF_INIT, out = ITR_BUF_INIT;
	report r = {0};
	xmlDoc *doc;
	xmlNode *root;
	char *text;
	int st;

	itr_buf_printf(&out, "%s/scram-report.xml", dir);
	itr_buf_printf(&cmd, "scram --bdd --probability true --limit-order %u '%s' -o '%s' 2>'%s/scram.err'",
		       order, file, out.s, dir);
	st = system(cmd.s);
	if (st != 0) {
		itr_buf e = ITR_BUF_INIT;
		char *err;

		itr_buf_printf(&e, "%s/scram.err", dir);
		err = t_read(e.s);
		cr_assert_fail("scram failed on %s:\n%s", file, err ? err : "");
	}
	/* the loader denies libxml2 every file it opens itself: read it ourselves */
	text = t_read(out.s);
	cr_assert_not_null(text, "no scram report");
	doc = xmlReadMemory(text, (int)strlen(text), "scram-report.xml", NULL, XML_PARSE_NONET);
	free(text);
	cr_assert_not_null(doc, "scram's report does not parse");
	root = xmlDocGetRootElement(doc);
	for (xmlNode *res = root->children; res; res = res->next) {
		if (!is(res, "results"))
			continue;
		for (xmlNode *sp = res->children; sp; sp = sp->next) {
			top *t;
			char *name, *p;

			if (!is(sp, "sum-of-products"))
				continue;
			r.tops = itr_xrealloc(r.tops, (r.n + 1) * sizeof(*r.tops));
			t = &r.tops[r.n++];
			memset(t, 0, sizeof(*t));
			name = prop(sp, "name");
			t->service = itr_xstrdup(decode(m, "top_", name));
			cr_assert_not_null(decode(m, "top_", name), "unknown top event '%s'", name);
			free(name);
			p = prop(sp, "probability");
			t->p = strtod(p, NULL);
			free(p);
			for (xmlNode *pr = sp->children; pr; pr = pr->next) {
				const char *ids[64];
				size_t n = 0;
				itr_buf set = ITR_BUF_INIT;

				if (!is(pr, "product"))
					continue;
				for (xmlNode *be = pr->children; be; be = be->next) {
					char *bn;

					if (!is(be, "basic-event"))
						continue;
					bn = prop(be, "name");
					ids[n] = decode(m, "fail_", bn);
					cr_assert_not_null(ids[n], "unknown basic event '%s'", bn);
					free(bn);
					n++;
					cr_assert_lt(n, ITR_ARRAY_LEN(ids));
				}
				qsort(ids, n, sizeof(*ids), cmp_str);
				for (size_t i = 0; i < n; i++)
					itr_buf_printf(&set, "%s%s", i ? " " : "", ids[i]);
				ITR_GROW(t->sets, t->cap, t->nsets + 1);
				t->sets[t->nsets++] = itr_buf_detach(&set);
			}
			if (t->nsets)
				qsort(t->sets, t->nsets, sizeof(char *), cmp_str);
		}
	}
	xmlFreeDoc(doc);
	itr_buf_release(&cmd);
	itr_buf_release(&out);
	return r;
}

static void report_free(report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (size_t k = 0; k < r->tops[i].nsets; k++)
			free(r->tops[i].sets[k]);
		free(r->tops[i].sets);
		free(r->tops[i].service);
	}
	free(r->tops);
}

static const top *find_top(const report *r, const char *service)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->tops[i].service, service) == 0)
			return &r->tops[i];
	return NULL;
}

/* "a b | c" : the sets of a top event joined, for messages and comparison. */
static char *joined(char **sets, size_t n)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < n; i++)
		itr_buf_printf(&b, "%s%s", i ? " | " : "", sets[i]);
	return itr_buf_detach(&b);
}

/* SPEC §2 read literally, independent of failnet.c: iterate to the least fixed point. */
static bool naive_down(const itr_model *m, const unsigned char *failed, size_t target, unsigned char *down)
{
	bool changed = true;

	memcpy(down, failed, m->nelems);
	while (changed) {
		changed = false;
		for (size_t e = 0; e < m->nelems; e++) {
			const itr_vendor *v = itr_model_elem_vendor(m, e);
			const itr_service *s = itr_model_elem_service(m, e);
			bool d = false;

			if (down[e])
				continue;
			if (v) {
				d = v->parent.target != ITR_NONE && down[v->parent.target];
				for (size_t k = 0; k < v->nrelies; k++)
					d = d || down[v->relies_on[k].target];
			} else {
				d = s->provider.target != ITR_NONE && down[s->provider.target];
				for (size_t k = 0; k < s->nneeds; k++)
					d = d || down[s->needs[k].target];
				for (size_t g = 0; g < s->ngroups; g++) {
					size_t up = 0;

					for (size_t k = 0; k < s->groups[g].nopts; k++)
						up += !down[s->groups[g].options[k].target];
					d = d || up < s->groups[g].min;
				}
			}
			if (d) {
				down[e] = 1;
				changed = true;
			}
		}
	}
	return down[target] != 0;
}

/* Minimal cut sets of S up to order 2 by brute force, as sorted "a b" strings. */
static char **brute_cutsets(const itr_model *m, size_t s, size_t *n)
{
	unsigned char *failed = itr_xcalloc(m->nelems + 1, 1), *down = itr_xmalloc(m->nelems + 1);
	bool *single = itr_xcalloc(m->nelems + 1, sizeof(bool));
	char **sets = NULL;
	size_t cap = 0;

	*n = 0;
	for (size_t x = 0; x < m->nelems; x++) {
		if (x == s)
			continue;
		failed[x] = 1;
		single[x] = naive_down(m, failed, s, down);
		failed[x] = 0;
		if (single[x]) {
			ITR_GROW(sets, cap, *n + 1);
			sets[(*n)++] = itr_xstrdup(itr_model_elem_id(m, x));
		}
	}
	for (size_t x = 0; x < m->nelems; x++) {
		for (size_t y = x + 1; y < m->nelems; y++) {
			itr_buf b = ITR_BUF_INIT;

			if (x == s || y == s || single[x] || single[y])
				continue;
			failed[x] = failed[y] = 1;
			if (naive_down(m, failed, s, down)) {
				itr_buf_printf(&b, "%s %s", itr_model_elem_id(m, x), itr_model_elem_id(m, y));
				ITR_GROW(sets, cap, *n + 1);
				sets[(*n)++] = itr_buf_detach(&b);
			}
			failed[x] = failed[y] = 0;
		}
	}
	if (*n)
		qsort(sets, *n, sizeof(char *), cmp_str);
	free(failed);
	free(down);
	free(single);
	return sets;
}

static char **our_cutsets(const itr_model *m, const itr_failnet *net, size_t s, size_t *n)
{
	itr_cutsets cs;
	char **sets;

	cr_assert_eq(itr_cutsets_compute(&cs, m, net, s, 2, 0), 0);
	cr_assert_not(cs.truncated);
	sets = itr_xcalloc(cs.n + 1, sizeof(char *));
	for (size_t i = 0; i < cs.n; i++) {
		itr_buf b = ITR_BUF_INIT;
		const char *ids[2];

		cr_assert_leq(cs.len[i], 2);
		for (size_t k = 0; k < cs.len[i]; k++)
			ids[k] = itr_model_elem_id(m, cs.sets[i][k]);
		qsort(ids, cs.len[i], sizeof(*ids), cmp_str);
		for (size_t k = 0; k < cs.len[i]; k++)
			itr_buf_printf(&b, "%s%s", k ? " " : "", ids[k]);
		sets[i] = itr_buf_detach(&b);
	}
	*n = cs.n;
	if (*n)
		qsort(sets, *n, sizeof(char *), cmp_str);
	itr_cutsets_release(&cs);
	return sets;
}

static void free_sets(char **sets, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(sets[i]);
	free(sets);
}

/* Exact unavailability by enumerating the states of the elements that can fail
 * on their own; negative when there are too many of them. */
static double brute_unavailability(const itr_model *m, const double *q, size_t s)
{
	size_t idx[16], k = 0;
	unsigned char *failed = itr_xcalloc(m->nelems + 1, 1), *down = itr_xmalloc(m->nelems + 1);
	double total = 0;

	for (size_t e = 0; e < m->nelems; e++) {
		if (q[e] <= 0)
			continue;
		if (k == ITR_ARRAY_LEN(idx)) {
			free(failed);
			free(down);
			return -1;
		}
		idx[k++] = e;
	}
	for (unsigned long mask = 0; mask < (1ul << k); mask++) {
		double p = 1;

		for (size_t i = 0; i < k; i++) {
			failed[idx[i]] = (mask >> i) & 1;
			p *= failed[idx[i]] ? q[idx[i]] : 1 - q[idx[i]];
		}
		if (naive_down(m, failed, s, down))
			total += p;
	}
	free(failed);
	free(down);
	return total;
}

/* SCRAM prints 6 significant digits. */
static bool close_enough(double a, double b)
{
	return fabs(a - b) <= 1e-5 * fmax(fabs(a), fabs(b)) + 1e-15;
}

typedef struct stats {
	size_t tops, sets, probabilities;
	double max_rel;
} stats;

/*
 * Export m (every element a basic event), run SCRAM, and compare every top
 * event with our cut sets, the brute force and the composed availability.
 */
static void cross_check(const itr_model *m, const char *what, stats *st)
{
	itr_audit a;
	itr_graph_opts o;
	itr_buf x = ITR_BUF_INIT, path = ITR_BUF_INIT;
	double *q = itr_xcalloc(m->nelems + 1, sizeof(double));
	char *err = NULL;
	report r;
	size_t ntops = 0;

	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	itr_graph_opts_init(&o);
	o.all_events = true;
	cr_assert_eq(itr_export_openpsa(&x, &a, &o, &err), 0, "%s: %s", what, err);
	itr_buf_printf(&path, "%s/model.opsa.xml", dir);
	{
		FILE *f = fopen(path.s, "w");

		cr_assert_not_null(f);
		fputs(itr_buf_str(&x), f);
		cr_assert_eq(fclose(f), 0);
	}
	r = scram(m, path.s, 2);
	itr_availability_events(q, m);
	for (size_t i = 0; i < m->nservices; i++) {
		const itr_service *s = &m->services[i];
		const top *t;
		size_t nours, nbrute, nscram = 0;
		char **ours, **brute, **theirs, *j1, *j2, *j3;
		double avail, brute_q;

		if (s->criticality != ITR_CRIT_CRITICAL)
			continue;
		ntops++;
		t = find_top(&r, s->id);
		cr_assert_not_null(t, "%s: no top event for '%s'", what, s->id);
		/* SCRAM's sets less {S} itself (S failing on its own) */
		theirs = itr_xcalloc(t->nsets + 1, sizeof(char *));
		for (size_t k = 0; k < t->nsets; k++)
			if (strcmp(t->sets[k], s->id) != 0)
				theirs[nscram++] = t->sets[k];
		cr_assert_eq(nscram + 1, t->nsets, "%s: '%s' can fail on its own", what, s->id);
		ours = our_cutsets(m, &a.net, s->elem, &nours);
		brute = brute_cutsets(m, s->elem, &nbrute);
		j1 = joined(theirs, nscram);
		j2 = joined(ours, nours);
		j3 = joined(brute, nbrute);
		cr_expect_str_eq(j1, j3, "%s: '%s': scram's cut sets differ from brute force", what, s->id);
		cr_expect_str_eq(j1, j2, "%s: '%s': scram's cut sets differ from ours", what, s->id);
		st->sets += nscram;
		free(j1);
		free(j2);
		free(j3);
		free(theirs);
		free_sets(ours, nours);
		free_sets(brute, nbrute);

		if (itr_availability_compute(&avail, m, &a.net, q, s->elem) == 0) {
			double rel = fabs(t->p - (1 - avail)) / fmax(1e-300, fabs(1 - avail));

			cr_expect(close_enough(t->p, 1 - avail),
				  "%s: '%s': scram says %.9g, 1 - availability = %.9g", what, s->id, t->p,
				  1 - avail);
			if (1 - avail > 0 && rel > st->max_rel)
				st->max_rel = rel;
			st->probabilities++;
		}
		brute_q = brute_unavailability(m, q, s->elem);
		if (brute_q >= 0)
			cr_expect(close_enough(t->p, brute_q), "%s: '%s': scram %.9g, brute force %.9g",
				  what, s->id, t->p, brute_q);
	}
	cr_expect_eq(r.n, ntops, "%s: one top event per critical service", what);
	st->tops += ntops;
	report_free(&r);
	itr_audit_release(&a);
	itr_buf_release(&x);
	itr_buf_release(&path);
	free(q);
}

Test(openpsa, names_have_no_dot_and_are_injective)
{
	static const char *const ids[] = {"ven.dor-3", "ven_2Edor-3", "a_b", "a__b", "x-", "a--b",
					  "\xec\x84\x9c\xeb\xb9\x84\xec\x8a\xa4-9"};
	char *names[ITR_ARRAY_LEN(ids)];

	for (size_t i = 0; i < ITR_ARRAY_LEN(ids); i++) {
		itr_buf b = ITR_BUF_INIT;

		itr_opsa_name(&b, "fail_", ids[i]);
		names[i] = itr_buf_detach(&b);
		cr_expect_null(strchr(names[i], '.'), "%s", names[i]);
		cr_expect_null(strstr(names[i], "--"), "%s", names[i]);
		cr_expect_neq(names[i][strlen(names[i]) - 1], '-', "%s", names[i]);
		for (size_t k = 0; k < i; k++)
			cr_expect_str_neq(names[i], names[k]);
	}
	cr_expect_str_eq(names[0], "fail_ven_2Edor-3");
	cr_expect_str_eq(names[1], "fail_ven__2Edor-3");
	cr_expect_str_eq(names[4], "fail_x_2D");
	for (size_t i = 0; i < ITR_ARRAY_LEN(ids); i++)
		free(names[i]);
}

Test(openpsa, cycles_are_unrolled_by_path_hand_checked)
{
	const char *paths[] = {ITR_SOURCE_DIR "/test/fixtures/graph/cycle.xml"};
	itr_diags diags;
	itr_model *m;
	itr_audit a;
	itr_graph_opts o;
	itr_buf x = ITR_BUF_INIT, path = ITR_BUF_INIT;
	char *err = NULL, *j;
	report r;
	stats st = {0};
	const top *ts, *tt;

	NEED_SCRAM();
	itr_diags_init(&diags);
	m = t_load_paths(paths, 1, &diags);
	cr_assert_not_null(m);
	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	itr_graph_opts_init(&o);
	o.all_events = true;
	cr_assert_eq(itr_export_openpsa(&x, &a, &o, &err), 0);
	itr_buf_printf(&path, "%s/cycle.xml", dir);
	free(t_write_str(dir, "cycle.xml", itr_buf_str(&x)));
	r = scram(m, path.s, 3);
	cr_assert_eq(r.n, 2);
	/* {c, d} is not a cut set: a and b keep each other up (least fixed point) */
	ts = find_top(&r, "s");
	tt = find_top(&r, "t");
	cr_assert(ts && tt, "a top event for each critical service");
	j = joined(ts->sets, ts->nsets);
	cr_expect_str_eq(j, "a b | a d | b c | s");
	free(j);
	j = joined(tt->sets, tt->nsets);
	cr_expect_str_eq(j, "p | t | x y | z");
	free(j);
	report_free(&r);
	cross_check(m, "cycle.xml", &st);
	itr_audit_release(&a);
	itr_buf_release(&x);
	itr_buf_release(&path);
	itr_model_free(m);
	itr_diags_release(&diags);
}

Test(openpsa, scram_agrees_on_the_samples)
{
	static const char *const samples[] = {"bank", "hospital", "retailer"};
	stats st = {0};

	NEED_SCRAM();
	for (size_t i = 0; i < ITR_ARRAY_LEN(samples); i++) {
		itr_buf p = ITR_BUF_INIT;
		const char *paths[1];
		itr_diags diags;
		itr_model *m;

		itr_buf_printf(&p, "%s/samples/%s", ITR_SOURCE_DIR, samples[i]);
		paths[0] = p.s;
		itr_diags_init(&diags);
		m = t_load_paths(paths, 1, &diags);
		cr_assert_not_null(m);
		cross_check(m, samples[i], &st);
		itr_model_free(m);
		itr_diags_release(&diags);
		itr_buf_release(&p);
	}
	cr_log_info("samples: %zu top events, %zu cut sets, %zu probabilities, max relative "
		    "difference %.3g",
		    st.tops, st.sets, st.probabilities, st.max_rel);
	cr_expect_gt(st.sets, 20);
	cr_expect_gt(st.probabilities, 5);
}

/* Only SLA-covered services as basic events: the same probabilities. */
Test(openpsa, sla_events_give_the_same_probability)
{
	const char *paths[] = {ITR_SOURCE_DIR "/samples/bank"};
	itr_diags diags;
	itr_model *m;
	itr_audit a;
	itr_graph_opts o;
	itr_buf x = ITR_BUF_INIT, path = ITR_BUF_INIT;
	double *q;
	char *err = NULL;
	report r;

	NEED_SCRAM();
	itr_diags_init(&diags);
	m = t_load_paths(paths, 1, &diags);
	cr_assert_not_null(m);
	q = itr_xcalloc(m->nelems + 1, sizeof(double));
	itr_availability_events(q, m);
	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	itr_graph_opts_init(&o);
	cr_assert_eq(itr_export_openpsa(&x, &a, &o, &err), 0);
	cr_expect_null(strstr(itr_buf_str(&x), "fail_hanra-idc"), "no SLA, no basic event");
	itr_buf_printf(&path, "%s/sla.xml", dir);
	free(t_write_str(dir, "sla.xml", itr_buf_str(&x)));
	r = scram(m, path.s, 2);
	cr_assert_gt(r.n, 3);
	for (size_t i = 0; i < r.n; i++) {
		double avail;
		size_t s = itr_model_find(m, r.tops[i].service);

		cr_assert_eq(itr_availability_compute(&avail, m, &a.net, q, s), 0);
		cr_expect(close_enough(r.tops[i].p, 1 - avail), "%s: %.9g vs %.9g", r.tops[i].service,
			  r.tops[i].p, 1 - avail);
	}
	report_free(&r);
	free(q);
	itr_audit_release(&a);
	itr_buf_release(&x);
	itr_buf_release(&path);
	itr_model_free(m);
	itr_diags_release(&diags);
}

static itr_model *random_model(const itr_gen_params *p)
{
	itr_gen *g;
	itr_source *src;
	itr_model *m = NULL;
	itr_diags diags;
	size_t n;
	char **text, **names;
	size_t *len;

	cr_assert_eq(itr_gen_new(&g, p), 0);
	n = itr_gen_file_count(g);
	src = itr_xcalloc(n, sizeof(*src));
	text = itr_xcalloc(n, sizeof(char *));
	names = itr_xcalloc(n, sizeof(char *));
	len = itr_xcalloc(n, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		char name[64];
		FILE *f = open_memstream(&text[i], &len[i]);

		cr_assert_not_null(f);
		cr_assert_eq(itr_gen_write_file(g, i, f), 0);
		cr_assert_eq(fclose(f), 0);
		cr_assert_eq(itr_gen_file_name(name, sizeof(name), g, i), 0);
		names[i] = itr_xstrdup(name);
		src[i] = (itr_source){names[i], text[i], len[i]};
	}
	itr_diags_init(&diags);
	cr_assert_eq(itr_load(&m, src, n, NULL, &diags), 0, "generated portfolio does not load");
	itr_diags_release(&diags);
	for (size_t i = 0; i < n; i++) {
		free(text[i]);
		free(names[i]);
	}
	free(text);
	free(names);
	free(len);
	free(src);
	itr_gen_free(g);
	return m;
}

Test(openpsa, scram_agrees_on_random_portfolios)
{
	stats st = {0};
	size_t portfolios = 0;

	NEED_SCRAM();
	for (unsigned long seed = 1; seed <= 40; seed++) {
		itr_gen_params p;
		itr_model *m;
		char what[64];

		itr_gen_params_default(&p);
		p.seed = seed * 7717;
		p.services = 6 + seed % 20;
		p.vendors = 3 + seed % 7;
		p.links = p.services * (2 + seed % 2);
		p.files = 1 + seed % 3;
		p.cycles = seed % 3 == 0 ? 0.0 : 0.2;
		p.min_above_one = (double)(seed % 4) / 4.0;
		p.self_loops = seed % 5 == 0;
		p.ids = (itr_gen_ids)(seed % 3); /* WILD ids hold '.' and non-ASCII letters */
		m = random_model(&p);
		snprintf(what, sizeof(what), "seed %lu", p.seed);
		cross_check(m, what, &st);
		itr_model_free(m);
		portfolios++;
	}
	cr_log_info("random: %zu portfolios, %zu top events, %zu cut sets of order <= 2, %zu "
		    "probabilities, max relative difference %.3g",
		    portfolios, st.tops, st.sets, st.probabilities, st.max_rel);
	cr_expect_gt(st.tops, 40, "the check must actually be exercised");
	cr_expect_gt(st.probabilities, 40);
}
