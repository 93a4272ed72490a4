/* Composed availability: hand-computed cases and exact enumeration on random portfolios. */
#include "gen.h"
#include "helpers.h"
#include "itorisk/availability.h"
#include "itorisk/graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

TestSuite(availability, .init = itr_graph_setup, .timeout = 300);

static double avail(const char *body, const char *service)
{
	itr_model *m = t_load_ok(body);
	itr_failnet net;
	double *q = itr_xcalloc(m->nelems + 1, sizeof(double)), a = -1;

	itr_failnet_build(&net, m);
	itr_availability_events(q, m);
	cr_assert_eq(itr_availability_compute(&a, m, &net, q, itr_model_find(m, service)), 0);
	free(q);
	itr_failnet_release(&net);
	itr_model_free(m);
	return a;
}

/* A service `id` provided by vendor `id`-v under a contract with this SLA. */
#define SLA(id, pct)                                                                               \
	"<vendor id='" id "-v' name='V'/><service id='" id "' name='X' provider='" id "-v'/>"      \
	"<contract id='" id "-k' vendor='" id "-v' sourcing='selective' shoring='onshore'"       \
	" start='2020-01-01'><covers ref='" id "'/><sla availability='" pct "'/></contract>"

Test(availability, series_multiplies)
{
	double a = avail("<service id='s' name='S' criticality='critical'>"
			 "<needs ref='a'/><needs ref='b'/></service>" SLA("a", "99.9") SLA("b", "99.5"),
			 "s");

	cr_expect_float_eq(a, 0.999 * 0.995, 1e-12);
}

Test(availability, parallel_of_independent_options)
{
	double a = avail("<service id='s' name='S' criticality='critical'>"
			 "<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
			 SLA("a", "99") SLA("b", "98"),
			 "s");

	cr_expect_float_eq(a, 1 - 0.01 * 0.02, 1e-12);
}

Test(availability, shared_dependency_is_counted_once)
{
	/* s needs a or b; both need c. Exact: P(c up) * (1 - qa qb) = 0.99 * (1 - 1e-6).
	 * The series/parallel product 1 - (1 - .99 * .999)^2 would be 0.99988..., wrong. */
	double a = avail("<service id='s' name='S' criticality='critical'>"
			 "<needs-any min='1'><option ref='a'/><option ref='b'/></needs-any></service>"
			 "<service id='a' name='A' provider='a-v'><needs ref='c'/></service>"
			 "<service id='b' name='B' provider='b-v'><needs ref='c'/></service>"
			 "<vendor id='a-v' name='V'/><vendor id='b-v' name='V'/>"
			 "<contract id='ka' vendor='a-v' sourcing='total' shoring='onshore' start='2020-01-01'>"
			 "<covers ref='a'/><sla availability='99.9'/></contract>"
			 "<contract id='kb' vendor='b-v' sourcing='total' shoring='onshore' start='2020-01-01'>"
			 "<covers ref='b'/><sla availability='99.9'/></contract>" SLA("c", "99"),
			 "s");

	cr_expect_float_eq(a, 0.99 * (1 - 1e-6), 1e-12);
}

Test(availability, two_of_three)
{
	double a = avail("<service id='s' name='S' criticality='important'>"
			 "<needs-any min='2'><option ref='a'/><option ref='b'/><option ref='c'/>"
			 "</needs-any></service>" SLA("a", "90") SLA("b", "90") SLA("c", "90"),
			 "s");

	cr_expect_float_eq(a, 3 * 0.9 * 0.9 * 0.1 + 0.9 * 0.9 * 0.9, 1e-12);
}

Test(availability, nothing_with_an_sla_means_always_up)
{
	double a = avail("<service id='s' name='S' criticality='critical' provider='v'/>"
			 "<vendor id='v' name='V'/>",
			 "s");

	cr_expect_float_eq(a, 1.0, 1e-15);
}

Test(availability, sla_without_availability_is_no_event)
{
	double a = avail("<service id='s' name='S' criticality='critical'><needs ref='a'/></service>"
			 "<vendor id='v' name='V'/><service id='a' name='A' provider='v'/>"
			 "<contract id='k' vendor='v' sourcing='total' shoring='onshore' start='2020-01-01'>"
			 "<covers ref='a'/><sla rto='PT4H'/></contract>",
			 "s");

	cr_expect_float_eq(a, 1.0, 1e-15);
}

Test(availability, cycle_that_holds_itself_up)
{
	/* a needs b or x; b needs a or y; s needs a. a is down iff x and y are down,
	 * or x and b's own failure... here only x and y can fail: P(up) = 1 - qx qy */
	double a = avail("<service id='s' name='S' criticality='critical'><needs ref='a'/></service>"
			 "<service id='a' name='A'><needs-any min='1'><option ref='b'/><option ref='x'/>"
			 "</needs-any></service>"
			 "<service id='b' name='B'><needs-any min='1'><option ref='a'/><option ref='y'/>"
			 "</needs-any></service>" SLA("x", "90") SLA("y", "80"),
			 "s");

	/* least fixed point: with x and y both failed, a and b still hold each other up */
	cr_expect_float_eq(a, 1.0, 1e-15);
}

Test(availability, own_failure_counts)
{
	/* s itself is outsourced with an SLA, and needs a */
	double a = avail("<vendor id='v' name='V'/><service id='s' name='S' criticality='critical'"
			 " provider='v'><needs ref='a'/></service>"
			 "<contract id='k' vendor='v' sourcing='total' shoring='onshore' start='2020-01-01'>"
			 "<covers ref='s'/><sla availability='99.5'/></contract>" SLA("a", "99"),
			 "s");

	cr_expect_float_eq(a, 0.995 * 0.99, 1e-12);
}

/* ---- enumeration ---------------------------------------------------------- */

static bool down_naive(const itr_model *m, const unsigned char *failed, size_t target)
{
	unsigned char *down = itr_xcalloc(m->nelems + 1, 1);
	bool r;

	memcpy(down, failed, m->nelems);
	t_naive_down(m, down);
	r = down[target] != 0;
	free(down);
	return r;
}

/* P(up) by summing over every combination of the failure events. */
static double enumerate(const itr_model *m, const double *q, size_t target)
{
	size_t ev[24], ne = 0;
	unsigned char *failed = itr_xcalloc(m->nelems + 1, 1);
	double p = 0;

	for (size_t e = 0; e < m->nelems; e++)
		if (q[e] > 0)
			ev[ne++] = e;
	cr_assert_leq(ne, 16, "keep enumeration small");
	for (unsigned long mask = 0; mask < (1ul << ne); mask++) {
		double w = 1;

		for (size_t i = 0; i < ne; i++) {
			bool f = (mask >> i) & 1;

			failed[ev[i]] = f;
			w *= f ? q[ev[i]] : 1 - q[ev[i]];
		}
		if (!down_naive(m, failed, target))
			p += w;
	}
	free(failed);
	return p;
}

static itr_model *random_model(unsigned long seed)
{
	itr_gen_params p;

	itr_gen_params_default(&p);
	p.seed = seed;
	p.services = 4 + seed % 12;
	p.vendors = 2 + seed % 5;
	p.links = p.services * 2 + seed % 7;
	p.files = 1;
	p.needs_any = 0.5;
	p.shared_options = 0.5;
	p.cycles = seed % 3 ? 0.2 : 0.0;
	p.ids = ITR_GEN_IDS_PLAIN;
	return t_random_model(&p);
}

Test(availability, equals_enumeration_on_random_portfolios)
{
	size_t compared = 0, nontrivial = 0;
	double worst = 0;

	for (unsigned long seed = 1; seed <= 200; seed++) {
		itr_model *m = random_model(seed);
		double *q = itr_xcalloc(m->nelems + 1, sizeof(double));
		double *a = itr_xcalloc(m->nelems + 1, sizeof(double));
		size_t ne = 0;

		itr_availability_events(q, m);
		for (size_t e = 0; e < m->nelems; e++)
			ne += q[e] > 0;
		if (ne > 16) {
			free(q);
			free(a);
			itr_model_free(m);
			continue;
		}
		cr_assert_eq(itr_availability_all(a, m, q, 1u << 20), 0);
		for (size_t i = 0; i < m->nservices; i++) {
			const itr_service *s = &m->services[i];
			double want;

			if (s->criticality > ITR_CRIT_IMPORTANT)
				continue;
			want = enumerate(m, q, s->elem);
			cr_assert_float_eq(a[s->elem], want, 1e-9, "seed %lu %s: %.15f vs %.15f", seed,
					   s->id, a[s->elem], want);
			if (a[s->elem] - want > worst || want - a[s->elem] > worst)
				worst = a[s->elem] > want ? a[s->elem] - want : want - a[s->elem];
			compared++;
			nontrivial += want < 1.0 - 1e-12;
		}
		free(q);
		free(a);
		itr_model_free(m);
	}
	cr_log_info("%zu services compared (%zu below 1), worst difference %.3g", compared,
		    nontrivial, worst);
	cr_expect_gt(nontrivial, 100);
}
