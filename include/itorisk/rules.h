/*
 * The catalogue of rules: every finding's rule id (SPEC §3), with the texts a
 * CI tool needs (SARIF's short and full descriptions and help) and the
 * default severity the built-in risk model starts from. Ids are stable once
 * released.
 */
#ifndef ITORISK_RULES_H
#define ITORISK_RULES_H

#include <stdbool.h>
#include <stddef.h>

/* Severities, lowest first. */
typedef enum itr_severity {
	ITR_SEV_INFO,
	ITR_SEV_LOW,
	ITR_SEV_MEDIUM,
	ITR_SEV_HIGH,
	ITR_SEV_CRITICAL,
	ITR_SEV_COUNT
} itr_severity;

const char *itr_severity_name(itr_severity s);
/* Parse a severity name; 0 on success. */
int itr_severity_parse(const char *s, itr_severity *out);

typedef struct itr_rule {
	const char *id;          /* dotted lowercase, e.g. "spof.vendor" */
	const char *area;        /* risk area title for reports */
	const char *summary;     /* one line: what was found */
	const char *description; /* what the rule checks and why it matters */
	const char *help;        /* what to do about it */
	itr_severity severity;   /* default; the risk model may change it */
	bool security;           /* a security finding (SARIF security-severity) */
} itr_rule;

/* Every rule, in catalogue order (grouped by area). Static; cannot fail. */
const itr_rule *itr_rules(size_t *count);
/* The rule with this id, or NULL. */
const itr_rule *itr_rule_find(const char *id);

#endif
