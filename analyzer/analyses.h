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
void itr_analyse_scores(itr_audit *a);

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
