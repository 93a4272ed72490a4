/*
 * The analysis families an audit runs (audit.c calls them in order). Each
 * reads the model and what earlier families computed, adds its findings with
 * itr_audit_add() and fills its figures in the itr_audit. No printing.
 */
#ifndef ITORISK_ANALYSES_H
#define ITORISK_ANALYSES_H

#include "itorisk/audit.h"

/* cost.c: annual spend and term TCO per vendor, corporate groups. O(V + C). */
void itr_analyse_cost(itr_audit *a);
/* continuity.c: contracts, exits, composed availability and RTO against targets. */
void itr_analyse_continuity(itr_audit *a);
/* concentration.c: HHI and shares by vendor, group and country; fourth parties. */
void itr_analyse_concentration(itr_audit *a);
/* security.c: data location, certifications, subcontracting. */
void itr_analyse_security(itr_audit *a);
/* knowledge.c: knowledge gaps and lock-in. */
void itr_analyse_knowledge(itr_audit *a);
/* score.c: vendor risk scores from the findings and figures above; run last. */
/* The vendor scores, into a->scores (nvendors, zeroed, made by the caller),
 * whose continuity and security factors itr_scores_from_findings() has set
 * already: the rest, then each score. */
void itr_analyse_scores(itr_audit *a);
/* The continuity and security factors of scores[] from findings f[0..n),
 * in that order (the first of the worst explains the factor); only the
 * findings of continuity and security count. */
void itr_scores_from_findings(itr_vendor_score *scores, const itr_model *m, const itr_finding *f,
			      size_t n);

/* Helpers shared by the families. */
bool itr_is_tracked(const itr_service *s); /* critical or important */
/* The contract covering a service, or NULL. */
const itr_contract *itr_service_contract(const itr_model *m, const itr_service *s);
/* Data entries of a service and its contract: is any personal / confidential-or-restricted? */
void itr_service_sensitivity(const itr_model *m, const itr_service *s, bool *personal,
			     bool *confidential);

/* "'a', 'b' and 3 more" (at most five ids), for messages; the full list
 * belongs in the finding's impacts. */
void itr_put_id_list(itr_buf *b, const itr_model *m, const itr_idlist *l);

#endif
