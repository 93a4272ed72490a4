/*
 * The risk model (SPEC §3): weights, thresholds, horizons, allowed countries,
 * required certifications and the severity of every rule. A default model is
 * built into the binary (models/default-risk-model.xml, checked against
 * models/risk-model.xsd like any input); `--model FILE` replaces it.
 */
#ifndef ITORISK_RISKMODEL_H
#define ITORISK_RISKMODEL_H

#include "itorisk/diag.h"
#include "itorisk/rules.h"

typedef struct itr_riskmodel {
	char *name;                  /* owned */
	/* continuity */
	unsigned horizon_days;       /* contracts ending within it are "expiring" */
	unsigned exit_test_max_age_days;
	/* concentration */
	double hhi_moderate, hhi_high;   /* on the 0..1 scale (10,000 = 1) */
	double max_vendor_share;     /* of spend, or of critical/important services */
	double max_group_share;
	double max_country_share;    /* of critical/important services, foreign countries */
	unsigned end_cluster_min;    /* contracts ending in one quarter */
	/* security: ISO 3166 codes; "home" stands for the portfolio's home country */
	char **personal_countries;   /* owned, sorted */
	size_t npersonal;
	char **confidential_countries;
	size_t nconfidential;
	char **required_certs;
	size_t nrequired;
	/* minimal cut sets */
	unsigned cut_order;
	size_t max_cut_sets;         /* per service */
	/* vendor score weights, each >= 0 */
	double w_impact, w_concentration, w_continuity, w_security;
	/* severity of each rule, indexed like itr_rules() */
	itr_severity *severity;      /* owned */
	size_t nrules;
} itr_riskmodel;

/* The default model text, built into the binary. */
extern const unsigned char itr_default_risk_model[];
extern const size_t itr_default_risk_model_len;
extern const unsigned char itr_risk_model_xsd[];
extern const size_t itr_risk_model_xsd_len;

/*
 * Load a risk model from `path`, or the built-in default when path is NULL,
 * through the hardened XML loader and its XSD. Unset values take the
 * built-in model's. Returns 0 with *out the caller's (itr_riskmodel_free()),
 * or -1 with every problem in diags.
 */
int itr_riskmodel_load(itr_riskmodel **out, const char *path, itr_diags *diags);
void itr_riskmodel_free(itr_riskmodel *rm); /* NULL is fine */

/* The severity the model gives a rule (its catalogue default if unknown). */
itr_severity itr_riskmodel_severity(const itr_riskmodel *rm, const char *rule);
/* The same for a rule already looked up (itr_rule_find(); NULL if unknown). */
itr_severity itr_riskmodel_rule_severity(const itr_riskmodel *rm, const itr_rule *r);

/* Is country (ISO code) allowed for personal / confidential data? home may be NULL. */
bool itr_riskmodel_allows(const itr_riskmodel *rm, bool personal, const char *country,
			  const char *home);

#endif
