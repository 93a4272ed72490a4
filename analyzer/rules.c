/* The rule catalogue. Keep the README's rule table in step with it. */
#include "itorisk/rules.h"

#include <string.h>

static const char *const severity_names[ITR_SEV_COUNT] = {"info", "low", "medium", "high",
							  "critical"};

const char *itr_severity_name(itr_severity s)
{
	return severity_names[s];
}

int itr_severity_parse(const char *s, itr_severity *out)
{
	for (int i = 0; i < ITR_SEV_COUNT; i++) {
		if (strcmp(s, severity_names[i]) == 0) {
			*out = (itr_severity)i;
			return 0;
		}
	}
	return -1;
}

#define SPOF "Single points of failure"
#define CONC "Concentration"
#define CONT "Continuity"
#define SEC "Security"
#define KNOW "Knowledge and lock-in"

static const itr_rule rules[] = {
	{"spof.vendor", SPOF, "A vendor alone can stop critical or important services",
	 "Failing this vendor alone (through the services it provides, the vendors that rely on "
	 "it, or the subsidiaries it owns) puts down at least one critical or important service, "
	 "whatever redundancy is declared. Fourth parties, corporate parents and IT subsidiaries "
	 "count as vendors.",
	 "Add a second provider that shares no vendor, corporate parent or fourth party with this "
	 "one, or agree continuity measures (escrow, hot standby, step-in rights) in the contract, "
	 "and test them.",
	 ITR_SEV_CRITICAL, false},
	{"spof.service", SPOF, "An outsourced service alone can stop critical or important services",
	 "This outsourced service (one with a provider) is in the essential set of another critical "
	 "or important service: its failure alone puts that service down.",
	 "Provide an alternative path (a needs-any group whose options do not share this service's "
	 "provider), or raise this service's SLA and exit arrangements to the level of what "
	 "depends on it.",
	 ITR_SEV_CRITICAL, false},
	{"redundancy.shared", SPOF, "A redundancy group is defeated by one shared element",
	 "A needs-any group has more options than it needs, but a single element shared by its "
	 "options (a provider, a fourth party both providers rely on, a common corporate parent, or "
	 "a dependency of several options) leaves fewer than the minimum up. The redundancy is "
	 "only apparent.",
	 "Move one option to a provider that does not share the element named in the message, or "
	 "treat that element as a single point of failure and contract accordingly.",
	 ITR_SEV_HIGH, false},
	{"concentration.vendor", CONC, "Spend or critical services are concentrated on one vendor",
	 "The Herfindahl-Hirschman index of annual spend, or of critical and important services, "
	 "by vendor is above the risk model's threshold, or one vendor holds more than its allowed "
	 "share.",
	 "Plan a multi-vendor strategy for new contracts, and check that exit plans for the "
	 "dominant vendor are realistic.",
	 ITR_SEV_MEDIUM, false},
	{"concentration.group", CONC, "Spend or critical services are concentrated on one corporate group",
	 "The Herfindahl-Hirschman index by corporate group (each vendor counted under its top "
	 "parent) is above the threshold: vendors that look independent belong to one group.",
	 "Treat the group as one counterparty when diversifying; check group-level exit options.",
	 ITR_SEV_MEDIUM, false},
	{"concentration.country", CONC, "Critical services are concentrated in one country",
	 "A large share of critical and important services is delivered from, or by vendors "
	 "based in, a single country, exposing them to one jurisdiction, one disaster, one "
	 "political event.",
	 "Spread critical services across countries or agree a tested cross-border fallback.",
	 ITR_SEV_MEDIUM, false},
	{"concentration.fourth-party", CONC, "A fourth party sits under several direct vendors",
	 "A vendor with no contract of its own is relied on by two or more of your direct "
	 "vendors: a hidden concentration no contract governs.",
	 "Ask the vendors to disclose and monitor this subcontractor; require notification of "
	 "changes; consider it in continuity planning.",
	 ITR_SEV_MEDIUM, false},
	{"contract.expiring", CONT, "A contract ends within the horizon and does not renew",
	 "The contract ends within the risk model's horizon of the as-of date and is not "
	 "auto-renewed: a decision (renew, re-tender, exit) is due.",
	 "Start the renewal or exit decision now, allowing for the notice period and the "
	 "transition time.",
	 ITR_SEV_MEDIUM, false},
	{"contract.expired", CONT, "An expired contract still covers services",
	 "The contract's end date is past, but services are still covered by it and run: the "
	 "service continues without contractual SLAs, liability or exit rights.",
	 "Renew or replace the contract, or stop the service.",
	 ITR_SEV_HIGH, false},
	{"contract.missing", CONT, "A provided service has no contract (shadow outsourcing)",
	 "A service has an external provider but no contract covers it: no SLA, no exit plan, "
	 "no data-protection terms.",
	 "Put the service under contract, or bring it in-house.",
	 ITR_SEV_HIGH, false},
	{"contract.end-cluster", CONT, "Several critical contracts end in the same quarter",
	 "Two or more contracts covering critical or important services end in the same calendar "
	 "quarter: renewals compete for the same people and budget.",
	 "Stagger the renewals; start the earliest now.",
	 ITR_SEV_LOW, false},
	{"exit.missing", CONT, "A contract for critical or important services has no exit plan",
	 "No exit plan (or plan=\"none\") for a contract covering critical or important services. "
	 "Regulators (EBA outsourcing guidelines, DORA Art. 28) expect documented and tested exit "
	 "strategies for critical functions.",
	 "Document an exit plan: alternative providers, transition time, cost, data return.",
	 ITR_SEV_HIGH, false},
	{"exit.untested", CONT, "An exit plan is untested or its test is too old",
	 "The exit plan is only documented, or its last test is older than the risk model allows.",
	 "Test the exit plan (at least a table-top exercise) and record the date.",
	 ITR_SEV_MEDIUM, false},
	{"exit.notice-gap", CONT, "The transition takes longer than the notice period",
	 "Moving to another provider takes longer than the contract's notice period, so after "
	 "notice is given the service would be left without a provider.",
	 "Negotiate a longer notice period or transition assistance beyond termination.",
	 ITR_SEV_MEDIUM, false},
	{"sla.availability-gap", CONT, "Composed availability is below the service's requirement",
	 "The exact probability that the service is up, composed from the SLAs of everything it "
	 "depends on (shared dependencies counted once), is below its required availability.",
	 "Raise the SLAs of the weakest dependencies, or add redundancy that shares nothing.",
	 ITR_SEV_HIGH, false},
	{"sla.rto-gap", CONT, "Effective recovery time exceeds the service's RTO",
	 "Composing the contract RTOs along the dependencies (series: the longest; redundancy: "
	 "the shortest option) gives a recovery time longer than the service requires, or a "
	 "provided dependency has no RTO at all.",
	 "Agree shorter RTOs with the vendors on the critical path, or add redundancy.",
	 ITR_SEV_HIGH, false},
	{"data.location", SEC, "Sensitive data held or delivered outside the allowed countries",
	 "Personal, confidential or restricted data is located in, or the service handling it "
	 "is delivered from, a country the risk model does not allow for that data.",
	 "Move the data or the delivery to an allowed country, or document the transfer basis "
	 "(adequacy decision, standard contractual clauses) and add the country to the policy.",
	 ITR_SEV_HIGH, true},
	{"data.certification", SEC, "Sensitive data at a vendor without a valid required certification",
	 "A vendor that holds personal, confidential or restricted data lacks a certification the "
	 "risk model requires, or it has expired.",
	 "Obtain current certificates (or an equivalent audit report) from the vendor.",
	 ITR_SEV_HIGH, true},
	{"data.subcontracting", SEC, "Sensitive data reaches subcontractors the contract forbids",
	 "The contract forbids subcontracting, yet the vendor relies on a fourth party for the "
	 "services holding personal, confidential or restricted data.",
	 "Obtain the fourth party's disclosure and approve it contractually, or require the "
	 "vendor to stop subcontracting.",
	 ITR_SEV_HIGH, true},
	{"knowledge.gap", KNOW, "A totally outsourced critical service has no internal owner",
	 "A critical or important service is under total outsourcing and has no accountable "
	 "internal owner: the vendor may not understand the business, and no one inside can "
	 "steer it.",
	 "Name an internal owner with the time and knowledge to manage the vendor.",
	 ITR_SEV_MEDIUM, false},
	{"lockin", KNOW, "Hard-to-replace vendor without co-sourcing",
	 "The exit plan rates substitutability hard or impossible and the contract is not "
	 "co-sourcing: no internal team keeps the knowledge to take the service back or move it.",
	 "Keep internal capability (co-sourcing), insist on open formats and documentation, and "
	 "plan the exit early.",
	 ITR_SEV_MEDIUM, false},
};

const itr_rule *itr_rules(size_t *count)
{
	*count = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const itr_rule *itr_rule_find(const char *id)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].id == id || (rules[i].id[0] == id[0] && strcmp(rules[i].id, id) == 0))
			return &rules[i];
	return NULL;
}
