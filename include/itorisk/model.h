/*
 * The portfolio model (SPEC §1) as plain C, independent of libxml2 and igraph.
 *
 * A model is filled by the loader (or directly by a test) with
 * itr_model_add_*(), then sealed once with itr_model_finish(), which sorts
 * every element by id, resolves references and checks the integrity rules of
 * SPEC §1. After a successful finish:
 *
 *   - vendors, services and contracts are each sorted by id (bytewise);
 *   - "elements" are the vendors and services together, numbered 0..nelems-1
 *     in bytewise id order, so a sorted list of element numbers is a list of
 *     ids in sorted order; graph vertices use the same numbers;
 *   - every reference carries the element (or contract) number it names.
 *
 * Ownership: the model owns every string and array inside it (strings live in
 * its arena); everything an accessor returns is borrowed from the model.
 */
#ifndef ITORISK_MODEL_H
#define ITORISK_MODEL_H

#include "itorisk/diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ITR_NONE ((size_t)-1)
#define ITR_DATE_NONE INT32_MIN

typedef int32_t itr_date; /* days since 1970-01-01, or ITR_DATE_NONE */

typedef enum itr_criticality {
	ITR_CRIT_CRITICAL,
	ITR_CRIT_IMPORTANT,
	ITR_CRIT_STANDARD,
	ITR_CRIT_LOW
} itr_criticality;

typedef enum itr_vendor_kind { ITR_VENDOR_EXTERNAL, ITR_VENDOR_SUBSIDIARY } itr_vendor_kind;
typedef enum itr_sourcing { ITR_SOURCING_TOTAL, ITR_SOURCING_SELECTIVE, ITR_SOURCING_CO } itr_sourcing;
typedef enum itr_shoring {
	ITR_SHORING_OFFSHORE,
	ITR_SHORING_NEARSHORE,
	ITR_SHORING_ONSHORE,
	ITR_SHORING_HOMESHORE
} itr_shoring;
typedef enum itr_class {
	ITR_CLASS_PUBLIC,
	ITR_CLASS_INTERNAL,
	ITR_CLASS_CONFIDENTIAL,
	ITR_CLASS_RESTRICTED
} itr_class;
typedef enum itr_exit_plan { ITR_EXIT_NONE, ITR_EXIT_DOCUMENTED, ITR_EXIT_TESTED } itr_exit_plan;
typedef enum itr_subst {
	ITR_SUBST_UNSET = -1,
	ITR_SUBST_EASY,
	ITR_SUBST_MEDIUM,
	ITR_SUBST_HARD,
	ITR_SUBST_IMPOSSIBLE
} itr_subst;
typedef enum itr_subcontracting {
	ITR_SUBCON_UNSET = -1,
	ITR_SUBCON_YES,
	ITR_SUBCON_NO,
	ITR_SUBCON_WITH_APPROVAL
} itr_subcontracting;

typedef enum itr_elem_kind { ITR_ELEM_VENDOR, ITR_ELEM_SERVICE } itr_elem_kind;

/* An xs:duration: its text as written, and its length in seconds (years
 * count 365 days, months 30), or a negative number when absent. */
typedef struct itr_duration {
	const char *text;
	double seconds;
} itr_duration;

/* A reference to another element by id; `target` is set by itr_model_finish(). */
typedef struct itr_ref {
	const char *id;
	size_t target; /* element number (or contract number for nothing yet) */
	itr_loc loc;
} itr_ref;

typedef struct itr_cert {
	const char *name;
	itr_date expires;
	itr_loc loc;
} itr_cert;

typedef struct itr_data {
	itr_class classification;
	int personal;          /* -1 unset, 0, 1 */
	const char *location;  /* country or NULL */
	itr_loc loc;
} itr_data;

typedef struct itr_vendor {
	const char *id;
	const char *name;
	const char *country;   /* NULL when absent */
	itr_vendor_kind kind;
	const char *lei;       /* NULL when absent */
	itr_ref parent;        /* parent.id NULL when absent; target = element number */
	itr_cert *certs;
	size_t ncerts;
	itr_ref *relies_on;
	size_t nrelies;
	itr_loc loc;
	size_t elem;           /* its element number */
	bool imported;         /* read from a CycloneDX or ArchiMate file (merged by id
				  with a portfolio vendor by itr_model_finish) */
} itr_vendor;

/* A needs-any group: at least `min` of the options must be up. */
typedef struct itr_group {
	unsigned long min;
	itr_ref *options;
	size_t nopts;
	itr_loc loc;
} itr_group;

typedef struct itr_service {
	const char *id;
	const char *name;
	itr_criticality criticality;
	itr_ref provider;      /* provider.id NULL = in-house */
	const char *delivered_from;
	itr_duration rto;
	double availability;   /* percent, negative when absent */
	const char *owner;
	itr_ref *needs;
	size_t nneeds;
	itr_group *groups;
	size_t ngroups;
	itr_data *data;
	size_t ndata;
	itr_loc loc;
	size_t elem;           /* its element number */
	size_t contract;       /* covering contract number, or ITR_NONE */
	bool imported;         /* read from a CycloneDX or ArchiMate file */
	bool criticality_set;  /* criticality was given (not the default) */
	const char *trust_zone; /* CycloneDX trustZone, or NULL */
	bool trust_boundary;   /* CycloneDX x-trust-boundary is true */
} itr_service;

typedef struct itr_sla {
	bool present;
	double availability;   /* negative when absent */
	itr_duration rto, rpo;
	itr_loc loc;
} itr_sla;

typedef struct itr_exit {
	bool present;
	itr_exit_plan plan;
	itr_date tested_on;
	itr_duration transition;
	itr_subst substitutability;
	double cost;           /* negative when absent */
	itr_loc loc;
} itr_exit;

typedef struct itr_contract {
	const char *id;
	itr_ref vendor;        /* target = element number of the vendor */
	itr_sourcing sourcing;
	itr_shoring shoring;
	itr_date start, end;   /* end ITR_DATE_NONE = open-ended */
	itr_duration notice;
	int auto_renew;        /* -1 unset, 0, 1 */
	double annual_cost;    /* negative when absent */
	itr_ref *covers;       /* target = element number of the service */
	size_t ncovers;
	itr_sla sla;
	itr_exit exit;
	itr_data *data;
	size_t ndata;
	itr_subcontracting subcontracting;
	itr_loc loc;
	/* counts of repeated singletons, checked by itr_model_finish() */
	unsigned nsla, nexit, nsubcon;
	bool imported;         /* from itorisk:contract properties of an imported file */
} itr_contract;

typedef struct itr_elem {
	itr_elem_kind kind;
	size_t index;          /* into vendors or services */
} itr_elem;

/* A portfolio-level attribute and where it was first given. */
typedef struct itr_pattr {
	const char *value;     /* NULL when no file gives it */
	itr_loc loc;
} itr_pattr;

typedef struct itr_arena_block itr_arena_block;

typedef struct itr_model {
	itr_pattr name, home_country, currency, as_of_text;
	itr_date as_of;        /* from as_of_text, or ITR_DATE_NONE */

	itr_vendor *vendors;
	size_t nvendors, cap_vendors;
	itr_service *services;
	size_t nservices, cap_services;
	itr_contract *contracts;
	size_t ncontracts, cap_contracts;

	itr_elem *elems;       /* sorted by id, after finish */
	size_t nelems;
	struct itr_id_slot *id_table; /* open-addressing hash of element ids */
	size_t id_mask;        /* table size - 1 (a power of two), 0 when there is none */
	const char **elem_ids; /* [element]: its id, for the table's compares */

	char **files;          /* owned copies of the file names locations point to */
	size_t nfiles, cap_files;

	itr_arena_block *arena;
	bool finished;
} itr_model;

/* Allocate an empty model. Cannot fail (allocation failure exits). */
itr_model *itr_model_new(void);
void itr_model_free(itr_model *m); /* NULL is fine */

/* Copy a string into the model's arena; NULL stays NULL. */
const char *itr_model_strdup(itr_model *m, const char *s);
/* Register a file name; the returned copy lives as long as the model. */
const char *itr_model_add_file(itr_model *m, const char *name);
/* Zero-filled storage in the arena, for the arrays inside elements. */
void *itr_model_alloc(itr_model *m, size_t count, size_t size);

/* Append an element; the returned pointer is valid until the next add of the
 * same kind. Strings must already be in the model (itr_model_strdup). */
itr_vendor *itr_model_add_vendor(itr_model *m);
itr_service *itr_model_add_service(itr_model *m);
itr_contract *itr_model_add_contract(itr_model *m);

/*
 * Move all of src into dst, after what dst holds: its vendors, services and
 * contracts (appended in their order), its file names (same order, each
 * keeping its address, so the locations in src's records stay valid) and
 * its arena; then free src. The loader builds files apart and joins them
 * with this, in file order, so dst ends up as if built in one go. src's
 * portfolio attributes are not looked at: the caller gives them to dst with
 * itr_model_set_pattr() first, which compares them with dst's. Neither model
 * may be finished. Cannot fail. O(records and arena blocks of src), plus
 * dst's arrays growing.
 */
void itr_model_absorb(itr_model *dst, itr_model *src);

/*
 * Set a portfolio attribute given at loc (a value from another file that
 * differs is an integrity error).
 */
void itr_model_set_pattr(itr_model *m, itr_pattr *attr, const char *value, itr_loc loc,
			 const char *name, itr_diags *diags);

/*
 * Seal the model: sort, number elements, resolve references, check every
 * integrity rule of SPEC §1. Returns 0, or -1 after adding every problem found
 * to diags (the model is then only fit for itr_model_free()).
 * Time: O((V + S + C) log(V + S + C) + R log(V + S)) for R references.
 */
int itr_model_finish(itr_model *m, itr_diags *diags);

/* Element number of an id, or ITR_NONE. O(log n); only after finish. */
size_t itr_model_find(const itr_model *m, const char *id);
/* Contract number of an id, or ITR_NONE. O(log n); only after finish. */
size_t itr_model_find_contract(const itr_model *m, const char *id);

const char *itr_model_elem_id(const itr_model *m, size_t elem);
itr_loc itr_model_elem_loc(const itr_model *m, size_t elem);
/* The vendor or service behind an element number, or NULL if of the other kind. */
const itr_vendor *itr_model_elem_vendor(const itr_model *m, size_t elem);
const itr_service *itr_model_elem_service(const itr_model *m, size_t elem);

/* Dates: parse YYYY-MM-DD (0 on success), format as YYYY-MM-DD (buf >= 11 bytes). */
int itr_date_parse(const char *s, itr_date *out);
void itr_date_format(itr_date d, char buf[static 11]);
/* Its year (0 outside 0..9999, as itr_date_format() prints it), month and day. */
void itr_date_civil(itr_date d, long *year, long *month, long *day);
/* Parse an xs:duration into seconds (0 on success). */
int itr_duration_parse(const char *s, double *out);

const char *itr_criticality_name(itr_criticality c);

#endif
