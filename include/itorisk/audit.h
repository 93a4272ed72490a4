/*
 * An audit: every analysis run over a model, with its findings (SPEC §3).
 * Reporters read an itr_audit and its model; they see ids, never igraph.
 */
#ifndef ITORISK_AUDIT_H
#define ITORISK_AUDIT_H

#include "itorisk/analysis.h"
#include "itorisk/rules.h"

typedef struct itr_finding {
	const char *rule;      /* static, e.g. "spof.vendor" */
	itr_severity severity;
	const char *subject;   /* an element or contract id, borrowed from the model */
	char *key;             /* logical key, stable across reformatting: the subject,
				  qualified where one subject has several findings of a
				  rule (e.g. "payments/needs-any[1]"); owned */
	char *message;         /* owned */
	itr_loc loc;           /* of the XML element the finding is about */
	itr_idlist impacts;    /* critical/important services it can stop (element numbers) */
} itr_finding;

typedef struct itr_audit {
	const itr_model *model; /* borrowed */
	itr_date as_of;
	itr_failnet net;
	itr_spof spof;
	itr_structure structure;
	itr_centrality centrality;
	double *vendor_spend;  /* [vendor index]: annual cost of its contracts */
	double total_spend;
	itr_finding *findings; /* sorted: severity (highest first), rule, subject, location */
	size_t nfindings, cap_findings;
	size_t count[ITR_SEV_COUNT];
} itr_audit;

/*
 * Run every analysis over a finished model. Returns 0, or -1 when a library
 * call fails (igraph out of memory); *a must then still be released.
 * Cost: that of itr_spof_compute() plus O(N L) for betweenness.
 */
int itr_audit_run(itr_audit *a, const itr_model *m, itr_date as_of);
void itr_audit_release(itr_audit *a);

/* Highest severity among the findings, or -1 when there are none. */
int itr_audit_max_severity(const itr_audit *a);

#endif
