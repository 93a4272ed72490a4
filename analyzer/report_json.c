/* The JSON report of SPEC §5. Keys in the pinned order, lists sorted, two-space indent. */
#include "itorisk/report.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Append a string literal: its length is known here, no strlen. */
#define LIT(b, s) itr_buf_add((b), (s), sizeof(s) - 1)

/* Indents of the summary's and of a list item's fields. */
#define IN4 "    "
#define IN6 "      "

/* A field's key, indented, in quotes, with its colon; keys are plain ASCII
 * and `in` a literal, so the whole is one literal. */
#define KEY(in, k) in "\"" k "\": "
#define STR_FIELD(b, in, k, v, last) str_field((b), KEY(in, k), sizeof(KEY(in, k)) - 1, (v), (last))
#define NUM_FIELD(b, in, k, v, last) num_field((b), KEY(in, k), sizeof(KEY(in, k)) - 1, (v), (last))

/* Room a short id needs past it in a destination: see put_id(). */
#define ID_COPY 16

/* Ask for memory about to be read (a hint: nothing where the compiler has
 * no such thing). */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Items ahead whose scattered strings are fetched while one is written. */
#define AHEAD 8

/* Room for n more bytes and the NUL after them; returns where they go. The
 * caller writes them and then calls commit(). */
static char *room(itr_buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		ITR_GROW(b->s, b->cap, b->len + n + 1);
	return b->s + b->len;
}

/* Make the bytes written from room() up to end part of the text. */
static void commit(itr_buf *b, char *end)
{
	b->len = (size_t)(end - b->s);
	*end = '\0';
}

/*
 * Every element id as a JSON string, escaped once: ids are written many
 * times over (essential sets, cut sets, impacts), from elements all over the
 * model. A short one (most are) is in its own 16 bytes, so that copying it
 * reads one cache line and no table of offsets; a longer one is in text.
 */
typedef struct qid {
	char s[15];       /* n <= 15: the id; else its offset into text (a size_t) */
	unsigned char n;  /* its length, or 0 when it is in text (an id is at least "") */
} qid;

_Static_assert(sizeof(qid) == ID_COPY, "a short id is copied whole");

typedef struct qids {
	qid *ids;          /* [element] */
	itr_buf text;      /* the longer ids */
} qids;

/* Half of the ids to fill in, by one thread each. */
struct qids_half {
	qids *q;
	const itr_model *m;
	size_t from, to; /* elements */
	itr_buf text;    /* their longer ids, offsets counted from its start */
};

static void *qids_fill(void *arg)
{
	struct qids_half *h = arg;
	itr_buf one = ITR_BUF_INIT;

	for (size_t e = h->from; e < h->to; e++) {
		qid *x = &h->q->ids[e];

		/* the ids are all over the model: each would be a cache miss */
		if (e + AHEAD < h->to)
			PREFETCH(itr_model_elem_id(h->m, e + AHEAD));
		one.len = 0;
		itr_json_string(&one, itr_model_elem_id(h->m, e));
		if (one.len <= sizeof(x->s)) {
			memcpy(x->s, one.s, one.len);
			x->n = (unsigned char)one.len;
		} else {
			size_t at = h->text.len;

			itr_buf_add(&h->text, (const char *)&one.len, sizeof(one.len));
			itr_buf_add(&h->text, one.s, one.len);
			memcpy(x->s, &at, sizeof(at));
		}
	}
	itr_buf_release(&one);
	return NULL;
}

/* Fill q with the ids of m's elements, half of them on a second thread. */
static void qids_build(qids *q, const itr_model *m)
{
	struct qids_half h[2] = {{q, m, 0, m->nelems / 2, ITR_BUF_INIT},
				 {q, m, m->nelems / 2, m->nelems, ITR_BUF_INIT}};
	pthread_t worker;
	bool threaded;

	q->ids = itr_xcalloc(m->nelems + 1, sizeof(*q->ids)); /* all 16 bytes set: they are copied */
	threaded = pthread_create(&worker, NULL, qids_fill, &h[1]) == 0;
	qids_fill(&h[0]);
	if (!threaded)
		qids_fill(&h[1]);
	else if (pthread_join(worker, NULL) != 0)
		itr_die("cannot join the report thread");
	/* the second half's longer ids go after the first's */
	for (size_t e = h[1].from; e < h[1].to; e++) {
		qid *x = &q->ids[e];
		size_t at;

		if (x->n)
			continue;
		memcpy(&at, x->s, sizeof(at));
		at += h[0].text.len;
		memcpy(x->s, &at, sizeof(at));
	}
	itr_buf_add(&h[0].text, itr_buf_str(&h[1].text), h[1].text.len);
	itr_buf_release(&h[1].text);
	q->text = h[0].text;
}

static void qids_release(qids *q)
{
	free(q->ids);
	itr_buf_release(&q->text);
}

/* A longer id: its length, then its text. */
static const char *long_id(const qids *q, const qid *x, size_t *len)
{
	size_t at;

	memcpy(&at, x->s, sizeof(at));
	memcpy(len, q->text.s + at, sizeof(*len));
	return q->text.s + at + sizeof(*len);
}

static size_t id_len(const qids *q, size_t e)
{
	const qid *x = &q->ids[e];
	size_t len;

	if (x->n)
		return x->n;
	long_id(q, x, &len);
	return len;
}

/* Copy id e to d, which has ID_COPY bytes of room past it; returns its end. */
static char *put_id(char *d, const qids *q, size_t e)
{
	const qid *x = &q->ids[e];
	const char *s;
	size_t len;

	if (x->n) {
		/* all 16 bytes, one fixed-size copy: the ones past the id
		 * are overwritten next, or left past the text's end */
		memcpy(d, x, sizeof(*x));
		return d + x->n;
	}
	s = long_id(q, x, &len);
	memcpy(d, s, len);
	return d + len;
}

/* Append ids with their ", " separators: room for all of them is made
 * once, the copies then check nothing. */
static char *put_ids(char *d, const qids *q, const size_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i) {
			memcpy(d, ", ", 2);
			d += 2;
		}
		d = put_id(d, q, v[i]);
	}
	return d;
}

/* What put_ids() writes, in bytes. */
static size_t ids_len(const qids *q, const size_t *v, size_t n)
{
	size_t len = n ? 2 * (n - 1) : 0;

	for (size_t i = 0; i < n; i++)
		len += id_len(q, v[i]);
	return len;
}

static void id(itr_buf *b, const qids *q, size_t e)
{
	commit(b, put_id(room(b, id_len(q, e) + ID_COPY), q, e));
}

static void ids(itr_buf *b, const qids *q, const itr_idlist *l)
{
	char *d = room(b, ids_len(q, l->v, l->n) + 2 + ID_COPY);

	*d++ = '[';
	d = put_ids(d, q, l->v, l->n);
	*d++ = ']';
	commit(b, d);
}

/* The end of a field: "\n" after the last of an object, else ",\n". */
static void field_end(itr_buf *b, bool last)
{
	if (last)
		itr_buf_putc(b, '\n');
	else
		LIT(b, ",\n");
}

/* Use through STR_FIELD: key is the whole KEY() literal, klen its length. */
static void str_field(itr_buf *b, const char *key, size_t klen, const char *v, bool last)
{
	itr_buf_add(b, key, klen);
	if (v)
		itr_json_string(b, v);
	else
		LIT(b, "null");
	field_end(b, last);
}

/* Use through NUM_FIELD, as str_field(). */
static void num_field(itr_buf *b, const char *key, size_t klen, double v, bool last)
{
	itr_buf_add(b, key, klen);
	itr_json_number(b, v);
	field_end(b, last);
}

/*
 * The report is cut into pieces, each written into its own buffer by
 * whichever of two threads takes it next: both stay busy to the end, and
 * the report, the pieces' text in order, is the same whatever the timing.
 * A section's items are cut into runs of equal count; the first piece of a
 * section opens it, the last closes it.
 */
enum { FINDING_PIECES = 8, SERVICE_PIECES = 8, VENDOR_PIECES = 2 };

typedef struct job job;

typedef struct piece {
	void (*write)(itr_buf *b, const job *j, const struct piece *p);
	size_t from, to; /* the section's items [from, to) */
	bool opens, closes;
} piece;

struct job {
	const itr_audit *a;
	qids q;
	size_t first_service;   /* the first service listed, or nservices */
	piece pieces[ITR_JSON_PARTS - 1]; /* out[0] is not a piece: see below */
	size_t npieces;
	size_t order[ITR_JSON_PARTS - 1]; /* pieces in the order they are taken */
	itr_buf *out;           /* [piece]: out[i] is only written by the thread taking piece i */
	atomic_size_t next;     /* into order[] */
};

/* The end of a section's list, when p is its last piece. */
static void close_list(itr_buf *b, const piece *p, bool empty)
{
	if (!p->closes)
		return;
	if (empty)
		LIT(b, "],\n");
	else
		LIT(b, "\n  ],\n");
}

static void findings(itr_buf *b, const job *j, const piece *p)
{
	const itr_audit *a = j->a;

	if (p->opens)
		LIT(b, "  \"findings\": [");
	for (size_t i = p->from; i < p->to; i++) {
		const itr_finding *f = &a->findings[i];

		/* the findings are sorted, their messages where they were made:
		 * without this, each is a cache miss or two */
		if (i + AHEAD < p->to) {
			const itr_finding *g = &a->findings[i + AHEAD];

			PREFETCH(g->message);
			PREFETCH(g->message + 64);
			PREFETCH(g->subject);
			PREFETCH(g->impacts.v);
		}

		if (i)
			LIT(b, ",\n    {\n");
		else
			LIT(b, "\n    {\n");
		STR_FIELD(b, IN6, "rule", f->rule, false);
		STR_FIELD(b, IN6, "severity", itr_severity_name(f->severity), false);
		STR_FIELD(b, IN6, "subject", f->subject, false);
		STR_FIELD(b, IN6, "message", f->message, false);
		STR_FIELD(b, IN6, "file", f->loc.file, false);
		NUM_FIELD(b, IN6, "line", (double)f->loc.line, false);
		LIT(b, KEY(IN6, "impacts"));
		ids(b, &j->q, &f->impacts);
		LIT(b, "\n    }");
	}
	close_list(b, p, a->nfindings == 0);
}

/* The sets of two or more elements (order 1 is `essential`): room for the
 * whole list is made once. */
static void cut_sets(itr_buf *b, const itr_audit *a, const qids *q, size_t elem)
{
	const itr_cutsets *c = &a->cuts[elem];
	size_t len = 4 + ID_COPY;
	bool first = true;
	char *d;

	for (size_t i = 0; i < c->n; i++)
		if (c->len[i] >= 2)
			len += 4 + ids_len(q, c->sets[i], c->len[i]);
	d = room(b, len);
	*d++ = '[';
	for (size_t i = 0; i < c->n; i++) {
		if (c->len[i] < 2)
			continue;
		if (!first) {
			memcpy(d, ", ", 2);
			d += 2;
		}
		first = false;
		*d++ = '[';
		d = put_ids(d, q, c->sets[i], c->len[i]);
		*d++ = ']';
	}
	memcpy(d, "],\n", 3);
	commit(b, d + 3);
}

static void rto_field(itr_buf *b, double seconds)
{
	itr_buf d = ITR_BUF_INIT;

	if (seconds < 0 || seconds != seconds || seconds > 1e15) {
		STR_FIELD(b, IN6, "rto", NULL, false);
		return;
	}
	itr_duration_format(&d, seconds);
	STR_FIELD(b, IN6, "rto", d.s, false);
	itr_buf_release(&d);
}

static void services(itr_buf *b, const job *j, const piece *p)
{
	const itr_audit *a = j->a;
	const itr_model *m = a->model;

	if (p->opens)
		LIT(b, "  \"services\": [");
	for (size_t i = p->from; i < p->to; i++) {
		const itr_service *s = &m->services[i];
		double av = a->availability[s->elem];
		size_t cause = a->rto_cause[s->elem];

		/* as for the findings: their strings and lists are elsewhere */
		if (i + AHEAD < p->to) {
			const itr_service *t = &m->services[i + AHEAD];

			PREFETCH(t->id);
			PREFETCH(t->name);
			PREFETCH(t->provider.id);
			PREFETCH(a->spof.essential[t->elem].v);
			PREFETCH(a->cuts[t->elem].len);
			PREFETCH(a->cuts[t->elem].pool);
		}
		if (s->criticality > ITR_CRIT_IMPORTANT)
			continue;
		if (i == j->first_service)
			LIT(b, "\n    {\n");
		else
			LIT(b, ",\n    {\n");
		STR_FIELD(b, IN6, "id", s->id, false);
		STR_FIELD(b, IN6, "name", s->name, false);
		STR_FIELD(b, IN6, "criticality", itr_criticality_name(s->criticality), false);
		STR_FIELD(b, IN6, "provider", s->provider.id, false);
		LIT(b, KEY(IN6, "essential"));
		ids(b, &j->q, &a->spof.essential[s->elem]);
		LIT(b, ",\n" KEY(IN6, "cut_sets"));
		cut_sets(b, a, &j->q, s->elem);
		LIT(b, KEY(IN6, "cut_sets_truncated"));
		if (a->cuts[s->elem].truncated)
			LIT(b, "true,\n");
		else
			LIT(b, "false,\n");
		if (av >= 0)
			NUM_FIELD(b, IN6, "availability", 100.0 * av, false);
		else
			STR_FIELD(b, IN6, "availability", NULL, false);
		if (s->availability >= 0)
			NUM_FIELD(b, IN6, "required_availability", s->availability, false);
		else
			STR_FIELD(b, IN6, "required_availability", NULL, false);
		rto_field(b, a->rto[s->elem]);
		STR_FIELD(b, IN6, "rto_unknown_because",
			  cause != ITR_NONE ? itr_model_elem_id(m, cause) : NULL, false);
		STR_FIELD(b, IN6, "required_rto", s->rto.text, true);
		LIT(b, "    }");
	}
	close_list(b, p, j->first_service == m->nservices);
}

static void score_factors(itr_buf *b, const itr_vendor_score *sc)
{
	static const char *const names[ITR_FACTOR_COUNT] = {"impact", "concentration", "continuity",
							     "security"};
	static const char *const keys[ITR_FACTOR_COUNT] = {
		KEY(IN6, "factors") "{\"impact\": ", ", \"concentration\": ", ", \"continuity\": ",
		", \"security\": "};

	for (int f = 0; f < ITR_FACTOR_COUNT; f++) {
		itr_buf_puts(b, keys[f]);
		itr_json_number(b, sc->factor[f]);
	}
	LIT(b, "},\n" KEY(IN6, "why") "[");
	for (int f = 0, any = 0; f < ITR_FACTOR_COUNT; f++) {
		if (!sc->why[f])
			continue;
		if (any++)
			LIT(b, ", ");
		itr_json_string(b, sc->why[f]);
	}
	LIT(b, "],\n");
	STR_FIELD(b, IN6, "main_factor", sc->main_factor >= 0 ? names[sc->main_factor] : NULL, false);
}

static void vendors(itr_buf *b, const job *j, const piece *p)
{
	const itr_audit *a = j->a;
	const itr_model *m = a->model;

	if (p->opens)
		LIT(b, "  \"vendors\": [");
	for (size_t i = p->from; i < p->to; i++) {
		const itr_vendor *v = &m->vendors[i];
		double cost = a->vendor_spend[i];

		if (i)
			LIT(b, ",\n    {\n");
		else
			LIT(b, "\n    {\n");
		STR_FIELD(b, IN6, "id", v->id, false);
		STR_FIELD(b, IN6, "name", v->name, false);
		STR_FIELD(b, IN6, "country", v->country, false);
		STR_FIELD(b, IN6, "kind", v->kind == ITR_VENDOR_SUBSIDIARY ? "subsidiary" : "external",
			  false);
		STR_FIELD(b, IN6, "parent", v->parent.id, false);
		STR_FIELD(b, IN6, "group", m->vendors[a->group_of[i]].id, false);
		NUM_FIELD(b, IN6, "score", a->scores[i].score, false);
		score_factors(b, &a->scores[i]);
		NUM_FIELD(b, IN6, "annual_cost", cost, false);
		NUM_FIELD(b, IN6, "term_tco", a->vendor_tco[i], false);
		NUM_FIELD(b, IN6, "spend_share", a->total_spend > 0 ? cost / a->total_spend : 0, false);
		NUM_FIELD(b, IN6, "betweenness", a->centrality.betweenness[v->elem], false);
		NUM_FIELD(b, IN6, "pagerank", a->centrality.pagerank[v->elem], false);
		LIT(b, KEY(IN6, "impacts"));
		ids(b, &j->q, &a->spof.impacts[v->elem]);
		LIT(b, "\n    }");
	}
	close_list(b, p, m->nvendors == 0);
}

/* The structural section and the end of the report: one piece. */
static void structural(itr_buf *b, const job *j, const piece *p)
{
	const itr_audit *a = j->a;

	(void)p;
	LIT(b, "  \"structural\": {\n    \"articulation_points\": ");
	ids(b, &j->q, &a->structure.articulation);
	LIT(b, ",\n    \"bridges\": [");
	for (size_t i = 0; i < a->structure.nbridges; i++) {
		if (i)
			LIT(b, ", [");
		else
			itr_buf_putc(b, '[');
		id(b, &j->q, a->structure.bridges[i][0]);
		LIT(b, ", ");
		id(b, &j->q, a->structure.bridges[i][1]);
		itr_buf_putc(b, ']');
	}
	LIT(b, "]\n  }\n}\n");
}

/* Cut items [0, n) of a section into k pieces, appended to j->pieces. */
static void add_pieces(job *j, void (*write)(itr_buf *, const job *, const piece *), size_t n,
		       size_t k)
{
	for (size_t i = 0; i < k; i++) {
		assert(j->npieces < ITR_ARRAY_LEN(j->pieces));
		j->pieces[j->npieces++] = (piece){write, n * i / k, n * (i + 1) / k, i == 0, i == k - 1};
	}
}

/* Take pieces until there are none left; both threads run this. */
static void *work(void *arg)
{
	job *j = arg;

	for (;;) {
		size_t k = atomic_fetch_add(&j->next, 1), i;

		if (k >= j->npieces)
			return NULL;
		i = j->order[k];
		j->pieces[i].write(&j->out[i], j, &j->pieces[i]);
	}
}

static void head(itr_buf *b, const itr_audit *a)
{
	const itr_model *m = a->model;
	char date[11];

	itr_date_format(a->as_of, date);
	LIT(b, "{\n  \"tool\": {\"name\": \"itorisk\", \"version\": \"" ITR_VERSION "\"},\n");
	STR_FIELD(b, "  ", "as_of", date, false);
	LIT(b, "  \"portfolio\": {\n");
	STR_FIELD(b, IN4, "name", m->name.value, false);
	STR_FIELD(b, IN4, "home_country", m->home_country.value, false);
	STR_FIELD(b, IN4, "currency", m->currency.value, true);
	LIT(b, "  },\n  \"summary\": {\n");
	NUM_FIELD(b, IN4, "vendors", (double)m->nvendors, false);
	NUM_FIELD(b, IN4, "services", (double)m->nservices, false);
	NUM_FIELD(b, IN4, "contracts", (double)m->ncontracts, false);
	NUM_FIELD(b, IN4, "files", (double)m->nfiles, false);
	NUM_FIELD(b, IN4, "annual_spend", a->total_spend, false);
	NUM_FIELD(b, IN4, "spend_at_risk", a->spend_at_risk, false);
	STR_FIELD(b, IN4, "risk_model", a->risk->name, false);
	NUM_FIELD(b, IN4, "cut_set_order", a->order, false);
	STR_FIELD(b, IN4, "betweenness",
		  a->exact_betweenness ? "all-pairs" : "from-critical-and-important", false);
	LIT(b, "    \"hhi\": {\"spend_by_vendor\": ");
	itr_json_number(b, a->hhi_spend_vendor);
	LIT(b, ", \"spend_by_group\": ");
	itr_json_number(b, a->hhi_spend_group);
	LIT(b, ", \"critical_by_vendor\": ");
	itr_json_number(b, a->hhi_critical_vendor);
	LIT(b, ", \"critical_by_group\": ");
	itr_json_number(b, a->hhi_critical_group);
	LIT(b, ", \"critical_by_country\": ");
	itr_json_number(b, a->hhi_critical_country);
	LIT(b, "},\n");
	NUM_FIELD(b, IN4, "critical_services", (double)a->critical_services, false);
	STR_FIELD(b, IN4, "most_depended_on_group",
		  a->headline_group != ITR_NONE ? m->vendors[a->headline_group].id : NULL, false);
	NUM_FIELD(b, IN4, "critical_services_depending_on_it", (double)a->headline_group_services,
		  false);
	LIT(b, "    \"findings\": {");
	for (int s = ITR_SEV_COUNT - 1; s >= 0; s--)
		itr_buf_printf(b, "\"%s\": %zu%s", itr_severity_name((itr_severity)s), a->count[s],
			       s ? ", " : "");
	LIT(b, "}\n  },\n");
}

void itr_report_json_parts(itr_buf out[ITR_JSON_PARTS], const itr_audit *a)
{
	const itr_model *m = a->model;
	static void (*const largest_first[])(itr_buf *, const job *, const piece *) = {
		services, findings, vendors, structural};
	job j = {.a = a, .out = out + 1}; /* out[0] is the head, written here */
	pthread_t worker;
	bool threaded;

	head(&out[0], a);
	add_pieces(&j, findings, a->nfindings, FINDING_PIECES);
	add_pieces(&j, services, m->nservices, SERVICE_PIECES);
	add_pieces(&j, vendors, m->nvendors, VENDOR_PIECES);
	add_pieces(&j, structural, 0, 1);
	assert(j.npieces == ITR_JSON_PARTS - 1);
	/* so that the last pieces taken are short ones */
	for (size_t f = 0, k = 0; f < ITR_ARRAY_LEN(largest_first); f++)
		for (size_t i = 0; i < j.npieces; i++)
			if (j.pieces[i].write == largest_first[f])
				j.order[k++] = i;
	j.first_service = m->nservices;
	for (size_t i = 0; i < m->nservices && j.first_service == m->nservices; i++)
		if (m->services[i].criticality <= ITR_CRIT_IMPORTANT)
			j.first_service = i;
	atomic_init(&j.next, 0);
	qids_build(&j.q, m);
	/* a second thread if there can be one; alone, this thread does it all */
	threaded = pthread_create(&worker, NULL, work, &j) == 0;
	work(&j);
	if (threaded && pthread_join(worker, NULL) != 0)
		itr_die("cannot join the report thread");
	qids_release(&j.q);
}

void itr_report_json(itr_buf *b, const itr_audit *a)
{
	itr_buf parts[ITR_JSON_PARTS];
	size_t len = 0;

	for (size_t i = 0; i < ITR_JSON_PARTS; i++)
		itr_buf_init(&parts[i]);
	itr_report_json_parts(parts, a);
	for (size_t i = 0; i < ITR_JSON_PARTS; i++)
		len += parts[i].len;
	room(b, len);
	for (size_t i = 0; i < ITR_JSON_PARTS; i++) {
		itr_buf_add(b, itr_buf_str(&parts[i]), parts[i].len);
		itr_buf_release(&parts[i]);
	}
}
