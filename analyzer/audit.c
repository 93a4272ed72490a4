/* Running the analyses and turning their results into findings. */
#include "analyses.h"

#include "itorisk/availability.h"
#include "itorisk/progress.h"

#include <math.h>
#include <pthread.h>

/*
 * Work allowed to cut sets of order 2 and up, in propagation steps: a base
 * plus so many per element and link, so it grows linearly with the
 * portfolio. Generated enterprise portfolios need about 120 (20,000
 * services) to 180 (200,000) per element and link, so the budget only
 * stops shapes where failures spread much further (every service
 * reaching most of the portfolio); a step costs about 10 ns.
 */
#define ITR_CUT_SET_BUDGET_BASE (30u * 1000 * 1000)
#define ITR_CUT_SET_BUDGET_PER_LINK 400u
#include <stdlib.h>
#include <string.h>

bool itr_is_tracked(const itr_service *s)
{
	return s->criticality == ITR_CRIT_CRITICAL || s->criticality == ITR_CRIT_IMPORTANT;
}

const itr_contract *itr_service_contract(const itr_model *m, const itr_service *s)
{
	return s->contract != ITR_NONE ? &m->contracts[s->contract] : NULL;
}

static void sensitivity_of(const itr_data *d, size_t n, bool *personal, bool *confidential)
{
	for (size_t i = 0; i < n; i++) {
		*personal |= d[i].personal == 1;
		*confidential |= d[i].classification >= ITR_CLASS_CONFIDENTIAL;
	}
}

void itr_service_sensitivity(const itr_model *m, const itr_service *s, bool *personal,
			     bool *confidential)
{
	const itr_contract *c = itr_service_contract(m, s);

	*personal = *confidential = false;
	sensitivity_of(s->data, s->ndata, personal, confidential);
	if (c)
		sensitivity_of(c->data, c->ndata, personal, confidential);
}

itr_finding *itr_audit_add(itr_audit *a, const char *rule, int downgrade, const char *subject,
			   const char *key, itr_loc loc, const char *fmt, ...)
{
	const itr_rule *r;
	itr_severity sev;
	itr_finding *f;
	va_list ap;

	if (rule != a->last_rule_id) {
		a->last_rule_id = rule;
		a->last_rule = itr_rule_find(rule);
	}
	r = a->last_rule;
	sev = itr_riskmodel_rule_severity(a->risk, r);

	if (!key)
		key = subject;
	sev = (int)sev - downgrade < 0 ? ITR_SEV_INFO : (itr_severity)((int)sev - downgrade);
	a->scratch.len = 0;
	va_start(ap, fmt);
	itr_buf_vprintf(&a->scratch, fmt, ap);
	va_end(ap);
	ITR_GROW(a->findings, a->cap_findings, a->nfindings + 1);
	f = &a->findings[a->nfindings++];
	memset(f, 0, sizeof(*f));
	f->rule = r ? r->id : rule;
	f->severity = sev;
	f->subject = subject;
	/* most keys are the subject: shared, so the sort compares them at once */
	f->key = key == subject ? subject : itr_strings_add(&a->strings, key, strlen(key));
	f->loc = loc;
	f->message = itr_strings_add(&a->strings, itr_buf_str(&a->scratch), a->scratch.len);
	a->count[sev]++;
	return f;
}

void itr_put_id_list(itr_buf *b, const itr_model *m, const itr_idlist *l)
{
	const size_t show = 5;

	for (size_t i = 0; i < l->n && i < show; i++) {
		itr_buf_puts(b, i ? ", '" : "'");
		itr_buf_puts(b, itr_model_elem_id(m, l->v[i]));
		itr_buf_putc(b, '\'');
	}
	if (l->n > show)
		itr_buf_printf(b, " and %zu more", l->n - show);
}

static bool any_critical(const itr_model *m, const itr_idlist *services)
{
	for (size_t i = 0; i < services->n; i++)
		if (itr_model_elem_service(m, services->v[i])->criticality == ITR_CRIT_CRITICAL)
			return true;
	return false;
}

/* Append from to to, growing to once. */
static void copy_list(itr_idlist *to, const itr_idlist *from)
{
	if (!from->n)
		return;
	ITR_GROW(to->v, to->cap, to->n + from->n);
	memcpy(to->v + to->n, from->v, from->n * sizeof(*from->v));
	to->n += from->n;
}

/* A vendor reached only through relies-on, with no contract of its own. */
static bool is_fourth_party(const itr_model *m, size_t vendor_index, const bool *has_contract,
			    const bool *relied_on)
{
	return !has_contract[vendor_index] && relied_on[vendor_index] &&
	       m->vendors[vendor_index].kind == ITR_VENDOR_EXTERNAL;
}

/* spof.vendor and spof.service: an element whose failure alone stops critical
 * or important services; one step less severe when none of them is critical. */
static void spof_findings(itr_audit *a)
{
	const itr_model *m = a->model;
	bool *has_contract = itr_xcalloc(m->nvendors + 1, sizeof(bool));
	bool *relied_on = itr_xcalloc(m->nvendors + 1, sizeof(bool));
	itr_buf list = ITR_BUF_INIT; /* reused for every finding */

	for (size_t i = 0; i < m->ncontracts; i++)
		if (m->contracts[i].vendor.target != ITR_NONE)
			has_contract[m->elems[m->contracts[i].vendor.target].index] = true;
	for (size_t i = 0; i < m->nvendors; i++)
		for (size_t k = 0; k < m->vendors[i].nrelies; k++)
			relied_on[m->elems[m->vendors[i].relies_on[k].target].index] = true;

	for (size_t e = 0; e < m->nelems; e++) {
		const itr_idlist *imp = &a->spof.impacts[e];
		const itr_vendor *v = itr_model_elem_vendor(m, e);
		const itr_service *s = itr_model_elem_service(m, e);
		int down;
		itr_finding *f;

		if (imp->n == 0 || (s && !s->provider.id))
			continue; /* in-house services are in `essential`, not findings */
		down = any_critical(m, imp) ? 0 : 1;
		list.len = 0;
		itr_put_id_list(&list, m, imp);
		if (v)
			f = itr_audit_add(a, "spof.vendor", down, v->id, NULL, v->loc,
					  "%s '%s' alone can stop %zu critical or important service%s: %s",
					  is_fourth_party(m, m->elems[e].index, has_contract, relied_on)
						  ? "fourth party (no contract of its own)"
					  : v->kind == ITR_VENDOR_SUBSIDIARY ? "IT subsidiary"
									     : "vendor",
					  v->id, imp->n, imp->n == 1 ? "" : "s", itr_buf_str(&list));
		else
			f = itr_audit_add(a, "spof.service", down, s->id, NULL, s->loc,
					  "outsourced service '%s' (provider '%s') alone can stop %zu critical or important service%s: %s",
					  s->id, s->provider.id, imp->n, imp->n == 1 ? "" : "s",
					  itr_buf_str(&list));
		copy_list(&f->impacts, imp);
	}
	itr_buf_release(&list);
	free(has_contract);
	free(relied_on);
}

/*
 * The logical key of a needs-any group: its service and its options' ids,
 * sorted ("payments/needs-any(dc-busan,dc-seoul)"), so the fingerprint of a
 * finding survives reordering groups and options (children come in any
 * order). Two groups of one service with the same options are the same
 * redundancy anyway.
 */
static void group_key(itr_buf *key, const char *service, const itr_group *g)
{
	const char **ids = itr_xmalloc((g->nopts + 1) * sizeof(*ids));

	for (size_t k = 0; k < g->nopts; k++)
		ids[k] = g->options[k].id;
	qsort(ids, g->nopts, sizeof(*ids), itr_strcmp_p);
	itr_buf_printf(key, "%s/needs-any(", service);
	for (size_t k = 0; k < g->nopts; k++)
		itr_buf_printf(key, "%s%s", k ? "," : "", ids[k]);
	itr_buf_putc(key, ')');
	free(ids);
}

/* redundancy.shared: a needs-any group that one element's failure defeats;
 * one step less severe for a service that is neither critical nor important. */
static void redundancy_findings(itr_audit *a)
{
	const itr_model *m = a->model;
	itr_buf opts = ITR_BUF_INIT, who = ITR_BUF_INIT, key = ITR_BUF_INIT; /* reused */

	for (size_t g = 0; g < a->net.ngroups; g++) {
		const itr_fail_group *grp = &a->net.groups[g];
		const itr_idlist *def = &a->spof.defeaters[g];
		const itr_service *s = itr_model_elem_service(m, grp->service);
		const itr_group *mg = &s->groups[grp->index];
		itr_finding *f;

		if (def->n == 0)
			continue;
		opts.len = who.len = key.len = 0;
		for (size_t k = 0; k < mg->nopts; k++)
			itr_buf_printf(&opts, "%s'%s'", k ? ", " : "", mg->options[k].id);
		itr_put_id_list(&who, m, def);
		group_key(&key, s->id, mg);
		f = itr_audit_add(a, "redundancy.shared", itr_is_tracked(s) ? 0 : 1, s->id, key.s,
				  grp->loc,
				  "redundancy of '%s' (%lu of %zu: %s) is defeated by the failure of %s%s",
				  s->id, mg->min, mg->nopts, itr_buf_str(&opts), itr_buf_str(&who),
				  def->n == 1 ? " alone" : ", each alone");
		if (itr_is_tracked(s))
			itr_idlist_push(&f->impacts, grp->service);
	}
	itr_buf_release(&opts);
	itr_buf_release(&who);
	itr_buf_release(&key);
}

/* Report order of two findings, given by address; equal ones keep the
 * order they were made in (their addresses' order). */
static int cmp_finding(const void *pa, const void *pb)
{
	const itr_finding *x = *(const itr_finding *const *)pa, *y = *(const itr_finding *const *)pb;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	/* rules, subjects and files are mostly the same strings, not copies */
	if (x->rule != y->rule && (c = strcmp(x->rule, y->rule)) != 0)
		return c;
	if (x->subject != y->subject && (c = strcmp(x->subject, y->subject)) != 0)
		return c;
	if (x->key != y->key && (c = strcmp(x->key, y->key)) != 0)
		return c;
	if (x->loc.file != y->loc.file && (c = strcmp(x->loc.file, y->loc.file)) != 0)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if ((c = strcmp(x->message, y->message)) != 0)
		return c;
	return (x > y) - (x < y);
}

/* Findings f[0..n) in report order, as positions: sorted by the task that
 * made them, while the other thread works. */
static size_t *sorted_positions(const itr_finding *f, size_t n)
{
	const itr_finding **p = itr_xmalloc((n + 1) * sizeof(*p));
	size_t *pos = itr_xmalloc((n + 1) * sizeof(*pos));

	for (size_t i = 0; i < n; i++)
		p[i] = &f[i];
	qsort(p, n, sizeof(*p), cmp_finding);
	for (size_t i = 0; i < n; i++)
		pos[i] = (size_t)(p[i] - f);
	free(p);
	return pos;
}

/* The two sorted runs of findings after the threads, the audit's own
 * (positions first[0..nfirst)) and the side audit's after them (positions
 * second[..] + nfirst), merged on a second thread while the scores (which
 * read them in the order made) are computed. */
typedef struct finding_order {
	const itr_finding *findings;
	const size_t *first, *second;
	size_t nfirst, nsecond;
	itr_finding *sorted;
} finding_order;

static void *merge_findings(void *arg)
{
	finding_order *o = arg;
	size_t i = 0, k = 0, n = 0;

	o->sorted = itr_xmalloc((o->nfirst + o->nsecond + 1) * sizeof(*o->sorted));
	while (i < o->nfirst && k < o->nsecond) {
		const itr_finding *x = &o->findings[o->first[i]];
		const itr_finding *y = &o->findings[o->nfirst + o->second[k]];

		if (cmp_finding(&x, &y) < 0)
			o->sorted[n++] = *x, i++;
		else
			o->sorted[n++] = *y, k++;
	}
	while (i < o->nfirst)
		o->sorted[n++] = o->findings[o->first[i++]];
	while (k < o->nsecond)
		o->sorted[n++] = o->findings[o->nfirst + o->second[k++]];
	return NULL;
}

/* Scores, and the findings put in report order. */
static void score_and_sort(itr_audit *a, const size_t *first, size_t nfirst, const size_t *second)
{
	finding_order o = {a->findings, first, second, nfirst, a->nfindings - nfirst, NULL};
	pthread_t merger;
	bool threaded = pthread_create(&merger, NULL, merge_findings, &o) == 0;

	if (!threaded)
		merge_findings(&o);
	itr_analyse_scores(a);
	if (threaded && pthread_join(merger, NULL) != 0)
		itr_die("cannot join the sorting thread");
	free(a->findings);
	a->findings = o.sorted;
	a->cap_findings = a->nfindings + 1;
}

/*
 * The analyses, as tasks for two threads. They read the model and the
 * failure network only (its own task, first: availability and the graph do
 * not wait for it) and each writes its own fields of *a, so the order they
 * run in changes nothing but the time; igraph (built without thread-local
 * state) is called by one task only. A free thread takes the first task in
 * this list that is ready: the long tasks that cannot be split first, then
 * the cut-set search of order 2, the longest,
 * in chunks both threads share (itr_cutsets_run()), so they finish
 * together. Cut sets start from the down sets of the essential sets. The
 * findings are two tasks: those of essential sets, costs and concentration
 * into *a, those of continuity (it needs availability), security and
 * knowledge into a second audit that shares what they read (`side`), whose
 * findings and continuity figures join *a after the threads; each task
 * sorts its own findings, and the second weighs its findings into the
 * vendors' continuity and security factors (no other finding counts there).
 * The rest of the scores (they read the cut sets) and the merge of the two
 * sorted runs come after, side by side.
 */
enum {
	T_FAILNET,
	T_ESSENTIAL,
	T_AVAILABILITY,
	T_GRAPH,
	T_CUT_BEGIN,
	T_FINDINGS,
	T_SIDE_FINDINGS,
	T_CUT_CHUNKS,
	T_CUT_END,
	T_COUNT
};

typedef struct tasks {
	itr_audit *a;
	itr_audit side; /* continuity, security and knowledge write here */
	size_t *order, *side_order; /* their findings in report order (positions) */
	size_t norder;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned char state[T_COUNT]; /* 0 to do, 1 running, 2 done */
	itr_cutsets_job *cut;
	size_t nchunks, next_chunk, chunks_done;
} tasks;

static bool ready(const tasks *tk, int t)
{
	switch (t) {
	case T_ESSENTIAL:
		return tk->state[T_FAILNET] == 2;
	case T_CUT_BEGIN:
		return tk->state[T_ESSENTIAL] == 2;
	case T_FINDINGS:
		return tk->state[T_ESSENTIAL] == 2;
	case T_SIDE_FINDINGS:
		return tk->state[T_AVAILABILITY] == 2;
	case T_CUT_CHUNKS:
		return tk->state[T_CUT_BEGIN] == 2;
	case T_CUT_END:
		return tk->state[T_CUT_CHUNKS] == 2;
	default:
		return true;
	}
}

static void run_task(tasks *tk, int task, size_t chunk)
{
	itr_audit *a = tk->a;
	const itr_model *m = a->model;
	double t;

	switch (task) {
	case T_FAILNET:
		t = itr_stage_begin("failnet");
		itr_failnet_build(&a->net, m);
		itr_stage_end("failnet", t);
		break;
	case T_ESSENTIAL:
		t = itr_stage_begin("essential");
		itr_spof_compute(&a->spof, m, &a->net);
		itr_stage_end("essential", t);
		break;
	case T_CUT_BEGIN:
		t = itr_stage_begin("cutsets");
		tk->cut = itr_cutsets_begin(a->cuts, m, &a->net, &a->spof, a->order,
					    a->risk->max_cut_sets,
					    ITR_CUT_SET_BUDGET_BASE + ITR_CUT_SET_BUDGET_PER_LINK *
									  (a->net.n + a->net.start[a->net.n]),
					    true);
		itr_stage_end("cutsets", t);
		break;
	case T_CUT_CHUNKS:
		t = itr_stage_begin("cutsets");
		itr_cutsets_run(tk->cut, chunk);
		itr_stage_end("cutsets", t);
		break;
	case T_CUT_END:
		t = itr_stage_begin("cutsets");
		itr_cutsets_end(tk->cut);
		tk->cut = NULL;
		itr_spof_drop_down_sets(&a->spof); /* nothing else reads them */
		itr_stage_end("cutsets", t);
		break;
	case T_AVAILABILITY:
		t = itr_stage_begin("availability");
		itr_availability_events(a->q, m);
		itr_availability_all(a->availability, m, a->q, 8u << 20);
		itr_stage_end("availability", t);
		break;
	case T_GRAPH:
		a->side_failed |=
			itr_graph_analyses(&a->structure, &a->centrality, m, a->exact_betweenness) != 0;
		break;
	case T_SIDE_FINDINGS:
		t = itr_stage_begin("findings");
		itr_analyse_continuity(&tk->side);
		itr_analyse_security(&tk->side);
		itr_analyse_knowledge(&tk->side);
		/* the only findings the scores weigh: their factors now */
		itr_scores_from_findings(a->scores, m, tk->side.findings, tk->side.nfindings);
		tk->side_order = sorted_positions(tk->side.findings, tk->side.nfindings);
		itr_stage_end("findings", t);
		break;
	default:
		/* the other findings but the scores' */
		t = itr_stage_begin("findings");
		itr_analyse_cost(a);
		spof_findings(a);
		redundancy_findings(a);
		itr_analyse_concentration(a);
		tk->order = sorted_positions(a->findings, a->nfindings);
		tk->norder = a->nfindings;
		itr_stage_end("findings", t);
		break;
	}
}

/* Move what the side findings task made into *a: its findings after a's. */
static void join_side(itr_audit *a, itr_audit *side)
{
	ITR_GROW(a->findings, a->cap_findings, a->nfindings + side->nfindings);
	if (side->nfindings)
		memcpy(a->findings + a->nfindings, side->findings,
		       side->nfindings * sizeof(*side->findings));
	a->nfindings += side->nfindings;
	for (int s = 0; s < ITR_SEV_COUNT; s++)
		a->count[s] += side->count[s];
	a->rto = side->rto;
	a->rto_cause = side->rto_cause;
	a->spend_at_risk = side->spend_at_risk;
	itr_strings_move(&a->strings, &side->strings);
	itr_buf_release(&side->scratch);
	free(side->findings);
}

/* Take tasks until none is left. */
static void *work(void *arg)
{
	tasks *tk = arg;

	pthread_mutex_lock(&tk->lock);
	for (;;) {
		int next = -1;
		bool left = false;
		size_t chunk = 0;

		for (int t = 0; t < T_COUNT; t++) {
			left |= tk->state[t] != 2;
			if (next < 0 && tk->state[t] == 0 && ready(tk, t))
				next = t;
		}
		if (!left)
			break;
		if (next < 0) {
			pthread_cond_wait(&tk->changed, &tk->lock);
			continue;
		}
		if (next == T_CUT_CHUNKS) {
			/* stays to do while chunks are left to hand out */
			chunk = tk->next_chunk++;
			if (tk->next_chunk == tk->nchunks)
				tk->state[next] = 1;
		} else {
			tk->state[next] = 1;
		}
		pthread_mutex_unlock(&tk->lock);
		run_task(tk, next, chunk);
		pthread_mutex_lock(&tk->lock);
		if (next == T_CUT_CHUNKS) {
			if (++tk->chunks_done == tk->nchunks)
				tk->state[next] = 2;
		} else {
			tk->state[next] = 2;
		}
		if (next == T_CUT_BEGIN) {
			tk->nchunks = itr_cutsets_chunks(tk->cut);
			if (tk->nchunks == 0)
				tk->state[T_CUT_CHUNKS] = 2;
		}
		pthread_cond_broadcast(&tk->changed);
	}
	pthread_mutex_unlock(&tk->lock);
	return NULL;
}

int itr_audit_run_opts(itr_audit *a, const itr_model *m, const itr_audit_opts *o)
{
	pthread_t worker;
	tasks tk;
	bool threaded;
	double t;

	memset(a, 0, sizeof(*a));
	a->model = m;
	a->as_of = o->as_of;
	a->risk = o->risk;
	if (!a->risk) {
		itr_diags d;

		itr_diags_init(&d);
		if (itr_riskmodel_load(&a->own_risk, NULL, &d) != 0)
			itr_die("the built-in risk model does not load");
		itr_diags_release(&d);
		a->risk = a->own_risk;
	}
	a->order = o->order ? o->order : a->risk->cut_order;
	a->exact_betweenness = o->exact_betweenness;
	a->cuts = itr_xcalloc(m->nelems + 1, sizeof(*a->cuts));
	a->q = itr_xcalloc(m->nelems + 1, sizeof(double));
	a->availability = itr_xcalloc(m->nelems + 1, sizeof(double));
	a->scores = itr_xcalloc(m->nvendors + 1, sizeof(*a->scores));
	for (size_t e = 0; e < m->nelems; e++)
		a->availability[e] = -1;
	memset(&tk, 0, sizeof(tk));
	tk.a = a;
	/* set before the threads start: what the side findings read */
	tk.side.model = a->model;
	tk.side.as_of = a->as_of;
	tk.side.risk = a->risk;
	tk.side.availability = a->availability;
	if (pthread_mutex_init(&tk.lock, NULL) != 0 || pthread_cond_init(&tk.changed, NULL) != 0)
		itr_die("cannot set up the analysis threads");
	/* a second thread if there can be one; alone, this thread does it all */
	threaded = pthread_create(&worker, NULL, work, &tk) == 0;
	work(&tk);
	if (threaded && pthread_join(worker, NULL) != 0)
		itr_die("cannot join the analysis thread");
	pthread_cond_destroy(&tk.changed);
	pthread_mutex_destroy(&tk.lock);
	join_side(a, &tk.side);
	itr_phase_end("analyses");
	if (a->side_failed) {
		free(tk.order);
		free(tk.side_order);
		return -1;
	}
	t = itr_stage_begin("scores");
	score_and_sort(a, tk.order, tk.norder, tk.side_order);
	free(tk.order);
	free(tk.side_order);
	itr_stage_end("scores", t);
	itr_phase_end("scores");
	return 0;
}

int itr_audit_run(itr_audit *a, const itr_model *m, itr_date as_of)
{
	itr_audit_opts o = {.as_of = as_of};

	return itr_audit_run_opts(a, m, &o);
}

void itr_audit_release(itr_audit *a)
{
	const itr_model *m = a->model;

	for (size_t i = 0; i < a->nfindings; i++)
		itr_idlist_release(&a->findings[i].impacts);
	free(a->findings);
	itr_strings_release(&a->strings);
	itr_buf_release(&a->scratch);
	if (a->cuts && m)
		for (size_t e = 0; e < m->nelems; e++)
			itr_cutsets_release(&a->cuts[e]);
	free(a->cuts);
	if (a->scores && m)
		for (size_t i = 0; i < m->nvendors; i++)
			for (int k = 0; k < ITR_FACTOR_COUNT; k++)
				free(a->scores[i].why[k]);
	free(a->scores);
	free(a->q);
	free(a->availability);
	free(a->rto);
	free(a->rto_cause);
	free(a->vendor_spend);
	free(a->vendor_tco);
	free(a->group_of);
	itr_centrality_release(&a->centrality);
	itr_structure_release(&a->structure);
	itr_spof_release(&a->spof);
	itr_failnet_release(&a->net);
	itr_riskmodel_free(a->own_risk);
	memset(a, 0, sizeof(*a));
}

int itr_audit_max_severity(const itr_audit *a)
{
	for (int s = ITR_SEV_COUNT - 1; s >= 0; s--)
		if (a->count[s])
			return s;
	return -1;
}
