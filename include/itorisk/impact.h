/*
 * What-if impact (SPEC §2, §4 `itorisk impact`): fail a set of elements and
 * countries, compute everything that goes down (itr_fail), and explain each
 * down element by one link to an element that went down before it, so that
 * following the links always ends at something that failed directly.
 *
 * Ownership: an itr_impact owns its arrays; ids come from the model, which
 * must outlive it.
 */
#ifndef ITORISK_IMPACT_H
#define ITORISK_IMPACT_H

#include "itorisk/spof.h"

/* Why an element is down. */
typedef enum itr_cause_kind {
	ITR_CAUSE_FAILED,    /* named in the failure set */
	ITR_CAUSE_COUNTRY,   /* a vendor in the failed country, or a service delivered from it */
	ITR_CAUSE_PROVIDER,  /* a service whose provider is down */
	ITR_CAUSE_NEEDS,     /* a service needing a down service */
	ITR_CAUSE_GROUP,     /* a needs-any group left with fewer than min options up */
	ITR_CAUSE_RELIES_ON, /* a vendor relying on a down vendor */
	ITR_CAUSE_PARENT     /* a vendor whose corporate parent is down */
} itr_cause_kind;

typedef struct itr_cause {
	itr_cause_kind kind;
	size_t via;        /* the element it points at (for GROUP: the option whose fall
			      decided the group); ITR_NONE for FAILED and COUNTRY */
	size_t group;      /* for GROUP: index among the service's needs-any groups */
	const char *country; /* for COUNTRY: borrowed from the request */
} itr_cause;

/* A failure request: element ids and countries ("country:CC" on the command line). */
typedef struct itr_impact_request {
	const char **ids;
	size_t nids;
	const char **countries;  /* ISO 3166-1 alpha-2 */
	size_t ncountries;
} itr_impact_request;

typedef struct itr_impact {
	size_t *down;          /* every down element: services first (critical, important,
				  standard, low), then vendors; by id within each */
	size_t ndown;
	size_t *order;         /* [element]: position in propagation order, ITR_NONE when up */
	itr_cause *cause;      /* [element]: valid when order[e] != ITR_NONE */
	size_t nfailed;        /* elements failed directly (named or by country) */
	size_t count[4];       /* down services by criticality */
	size_t nvendors;       /* down vendors */
} itr_impact;

/* Check that `country` is two letters A-Z. */
bool itr_country_valid(const char *country);

/*
 * Fail what the request names and explain the result. Unknown ids are the
 * caller's to reject first (itr_model_find). A country no element is in
 * fails nothing. Time: O(N + L) for the propagation, plus O(L) to choose
 * causes and O(D log D) to sort the D down elements.
 */
void itr_impact_compute(itr_impact *out, const itr_model *m, const itr_failnet *net,
			const itr_impact_request *req);
void itr_impact_release(itr_impact *imp);

/* Follow causes from e to a directly failed element: the chain's length
 * including e, at most the number of down elements. */
size_t itr_impact_chain(const itr_impact *imp, size_t e, size_t *out);

/* Text and JSON reports of an impact. */
void itr_report_impact_text(itr_buf *out, const itr_model *m, const itr_impact *imp,
			    const itr_impact_request *req);
void itr_report_impact_json(itr_buf *out, const itr_model *m, const itr_impact *imp,
			    const itr_impact_request *req);

#endif
