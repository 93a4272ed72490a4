/*
 * The CI gate: stable fingerprints of findings, baselines of accepted
 * findings, and the difference between the findings of two portfolios (a
 * pull request's base and head).
 *
 * A fingerprint is a hash of a finding's rule and logical key (itr_finding.key),
 * never of its line, file or message, so it survives reformatting, reordering
 * and moving an element to another file.
 *
 * Ownership: an itr_baseline owns its entries and their strings; an itr_diff
 * borrows the findings of the two audits it compares, which must outlive it.
 */
#ifndef ITORISK_GATE_H
#define ITORISK_GATE_H

#include "itorisk/audit.h"

/* Hex digits of a fingerprint (64-bit FNV-1a), without the NUL. */
#define ITR_FP_LEN 16

/*
 * Fingerprint of (rule, key) as 16 lowercase hex digits plus a NUL. The two
 * strings are hashed with a separator, so ("a.b", "c") and ("a", "b.c")
 * differ. Cannot fail; O(length).
 */
void itr_fingerprint(char out[static ITR_FP_LEN + 1], const char *rule, const char *key);
/* The fingerprint of a finding. */
void itr_finding_fingerprint(char out[static ITR_FP_LEN + 1], const itr_finding *f);

/* ---- baselines ---------------------------------------------------------- */

typedef struct itr_baseline_entry {
	char fingerprint[ITR_FP_LEN + 1];
	char *rule;        /* owned */
	char *key;         /* owned */
	char *reason;      /* owned; NULL when absent */
	itr_date expires;  /* last day it suppresses; ITR_DATE_NONE = never expires */
	long line;         /* in the baseline file; 0 when built in memory */
	bool used;         /* matched a finding in the last itr_baseline_apply() */
} itr_baseline_entry;

typedef struct itr_baseline {
	char *file;                /* owned; NULL when built in memory */
	itr_baseline_entry *v;     /* sorted by fingerprint after load */
	size_t n, cap;
} itr_baseline;

void itr_baseline_init(itr_baseline *b);
void itr_baseline_release(itr_baseline *b); /* cannot fail */

/* Embedded schema of baseline files (models/baseline.xsd). */
extern const unsigned char itr_baseline_xsd[];
extern const size_t itr_baseline_xsd_len;

#define ITR_BASELINE_NS "urn:itorisk:baseline:1"
#define ITR_BASELINE_VERSION "1"

/*
 * Load a baseline file through the hardened XML reader (load stage):
 * root <baseline xmlns="urn:itorisk:baseline:1" version="1">, validated
 * against the built-in schema; each entry's fingerprint, when given, must
 * match its rule and key. Returns 0 with *out filled (release it), or -1
 * with every problem in diags as FILE:LINE and *out empty.
 */
int itr_baseline_load(itr_baseline *out, const char *path, itr_diags *diags);

/* The entry with this fingerprint, or NULL. O(log n) (entries sorted). */
itr_baseline_entry *itr_baseline_find(const itr_baseline *b, const char *fingerprint);

/*
 * Remove from the audit every finding the baseline suppresses: one whose
 * fingerprint has an entry that has not expired (expires >= as_of, or no
 * expiry). The suppressed findings are freed and the severity counts
 * updated; entries that matched are marked `used`. Returns how many were
 * suppressed; *expired (may be NULL) counts findings left in because their
 * entry expired. O(F log E).
 */
size_t itr_baseline_apply(itr_audit *a, itr_baseline *b, size_t *expired);

/*
 * A baseline file accepting every finding of the audit, sorted by rule then
 * key. Reasons and expiry dates of `prev` (may be NULL) are carried over for
 * findings it already held. Output is byte-identical for the same findings.
 */
void itr_baseline_write(itr_buf *out, const itr_audit *a, const itr_baseline *prev);

/* ---- diff between two audits -------------------------------------------- */

/* A vendor whose figures differ between base and head. */
typedef struct itr_vendor_change {
	const char *id;              /* borrowed from the head model, or the base's if removed */
	const itr_vendor *base;      /* NULL when the vendor is new */
	const itr_vendor *head;      /* NULL when the vendor was removed */
	double base_cost, head_cost; /* annual cost of its contracts; 0 when absent */
	const itr_idlist *base_impacts, *head_impacts; /* services it can stop alone; NULL when absent */
	double base_score, head_score; /* risk score 0..100; negative when not computed */
} itr_vendor_change;

typedef struct itr_diff {
	const itr_audit *base;       /* borrowed; NULL when the base did not load */
	const itr_audit *head;       /* borrowed */
	const itr_finding **added;   /* in head, not in base; head order */
	size_t nadded;
	const itr_finding **resolved; /* in base, not in head; base order */
	size_t nresolved;
	const itr_finding **changed; /* in both, severity differs: the head's finding */
	const itr_finding **changed_from; /* ... and the base's */
	size_t nchanged;
	itr_vendor_change *vendors;  /* sorted by id */
	size_t nvendors;
	size_t added_count[ITR_SEV_COUNT];
} itr_diff;

/*
 * Match the findings of base (may be NULL: everything in head is new) and
 * head by fingerprint, and compare the vendors' figures by id.
 * O((Fb + Fh) log(Fb + Fh) + V log V). Release with itr_diff_release().
 */
void itr_diff_compute(itr_diff *out, const itr_audit *base, const itr_audit *head);
void itr_diff_release(itr_diff *d);

/* Highest severity among the added findings, or -1 when there are none. */
int itr_diff_max_added(const itr_diff *d);

/* The diff as text (for people) and JSON (for scripts); base_path and
 * head_path are printed as given. */
void itr_report_diff_text(itr_buf *out, const itr_diff *d, const char *base_path,
			  const char *head_path);
void itr_report_diff_json(itr_buf *out, const itr_diff *d, const char *base_path,
			  const char *head_path);
/* SARIF of the added findings only (baselineState "new"). */
void itr_report_diff_sarif(itr_buf *out, const itr_diff *d);

#endif
