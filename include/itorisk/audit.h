/*
 * An audit: every analysis run over a model, with its findings (SPEC §3).
 * Reporters read an itr_audit and its model; they see ids, never igraph.
 */
#ifndef ITORISK_AUDIT_H
#define ITORISK_AUDIT_H

#include "itorisk/analysis.h"
#include "itorisk/cutsets.h"
#include "itorisk/riskmodel.h"
#include "itorisk/rules.h"

typedef struct itr_finding {
	const char *rule;      /* static, e.g. "spof.vendor" */
	itr_severity severity;
	const char *subject;   /* an element or contract id, borrowed from the model */
	const char *key;       /* logical key, stable across reformatting: the subject
				  (then the same pointer), or qualified where one subject
				  has several findings of a rule (e.g.
				  "payments/needs-any[1]"), in the audit's strings */
	char *message;         /* in the audit's strings */
	itr_loc loc;           /* of the XML element the finding is about */
	itr_idlist impacts;    /* critical/important services it can stop (element numbers) */
} itr_finding;

/* The factors of a vendor's risk score, each in [0, 1]. */
enum { ITR_FACTOR_IMPACT, ITR_FACTOR_CONCENTRATION, ITR_FACTOR_CONTINUITY, ITR_FACTOR_SECURITY,
       ITR_FACTOR_COUNT };

typedef struct itr_vendor_score {
	double score;                    /* 0..100: the weighted mean of the factors */
	double factor[ITR_FACTOR_COUNT];
	char *why[ITR_FACTOR_COUNT];     /* owned: what made each factor, or NULL when 0 */
	int main_factor;                 /* the factor contributing most, or -1 */
} itr_vendor_score;

typedef struct itr_audit_opts {
	itr_date as_of;
	const itr_riskmodel *risk;       /* NULL: the built-in model */
	unsigned order;                  /* cut-set order; 0: the model's */
	bool exact_betweenness;          /* all pairs (O(N·L)), not from tracked services */
} itr_audit_opts;

typedef struct itr_audit {
	const itr_model *model; /* borrowed */
	itr_date as_of;
	const itr_riskmodel *risk;       /* borrowed, or own_risk */
	itr_riskmodel *own_risk;
	unsigned order;
	bool exact_betweenness;
	bool side_failed;      /* an igraph call failed */
	itr_failnet net;
	itr_spof spof;
	itr_structure structure;
	itr_centrality centrality;
	itr_cutsets *cuts;     /* [element]: minimal cut sets of two or more elements of
				  critical/important services; the order-1 sets are
				  spof.essential (the first cuts[e].nsingles of it) */
	double *q;             /* [element]: probability of failing on its own */
	double *availability;  /* [element]: composed availability in [0, 1] of critical and
				  important services; negative when not computed */
	double *rto;           /* [element]: effective RTO in seconds; INFINITY when a
				  dependency has no contractual RTO */
	size_t *rto_cause;     /* [element]: that dependency, or ITR_NONE */
	double *vendor_spend;  /* [vendor index]: annual cost of its contracts */
	double *vendor_tco;    /* [vendor index]: annual cost x term + exit cost */
	double total_spend;
	double spend_at_risk;  /* annual cost of contracts with a continuity finding */
	size_t *group_of;      /* [vendor index]: vendor index of its corporate group's top parent */
	/* Herfindahl-Hirschman indices, 0..1 */
	double hhi_spend_vendor, hhi_spend_group;
	double hhi_critical_vendor, hhi_critical_group, hhi_critical_country;
	/* headline: the corporate group most critical services depend on */
	size_t headline_group;           /* vendor index of its top parent, or ITR_NONE */
	size_t headline_group_services;  /* critical services depending on it */
	size_t critical_services;
	itr_vendor_score *scores;        /* [vendor index] */
	itr_finding *findings; /* sorted: severity (highest first), rule, subject, location */
	size_t nfindings, cap_findings;
	itr_strings strings;   /* the findings' keys and messages */
	itr_buf scratch;       /* where itr_audit_add() writes a message first */
	const char *last_rule_id;   /* itr_audit_add()'s last lookup: findings */
	const itr_rule *last_rule;  /* come in runs of one rule */
	size_t count[ITR_SEV_COUNT];
} itr_audit;

/*
 * Run every analysis over a finished model with the given options. Returns 0,
 * or -1 when a library call fails (igraph out of memory); *a must then still
 * be released. Cost: that of itr_spof_compute() and itr_cutsets_all(), the
 * BDDs of itr_availability_all(), and O(N L) for betweenness.
 */
int itr_audit_run_opts(itr_audit *a, const itr_model *m, const itr_audit_opts *opts);

/* The same with the built-in risk model and its cut-set order. */
int itr_audit_run(itr_audit *a, const itr_model *m, itr_date as_of);

/*
 * Add a finding of `rule` about `subject` (key NULL: the subject itself) at
 * loc, with the model's severity for the rule lowered by `downgrade` steps
 * (never below info). For the analyses; returns the finding (valid until the
 * next add) so they can fill its impacts.
 */
itr_finding *itr_audit_add(itr_audit *a, const char *rule, int downgrade, const char *subject,
			   const char *key, itr_loc loc, const char *fmt, ...) ITR_PRINTF(7, 8);
void itr_audit_release(itr_audit *a);

/* Append seconds as an xs:duration such as P1DT2H30M (whole seconds). */
void itr_duration_format(itr_buf *b, double seconds);

/* Highest severity among the findings, or -1 when there are none. */
int itr_audit_max_severity(const itr_audit *a);

#endif
