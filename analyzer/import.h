/*
 * Importers (issue 6): CycloneDX 1.2-1.6 and ArchiMate 3.x exchange files
 * read into the same model as portfolio files, and the user's mapping file
 * (urn:itorisk:mapping:1) that tunes how their names map onto ours.
 *
 * Load stage only (libxml2 types appear here, like xmlsafe.h). The loader
 * detects the format of each document by its root element and namespace,
 * reads every mapping file first, then runs the importers in path order.
 * Imported elements are marked `imported` and merged with portfolio elements
 * of the same id by itr_model_finish() (see README "Importing").
 *
 * Ownership: an itr_mapping owns its strings; every string an importer puts
 * in the model lives in the model's arena.
 */
#ifndef ITORISK_IMPORT_H
#define ITORISK_IMPORT_H

#include "itorisk/model.h"
#include "xmlsafe.h"

#define ITR_NS_MAPPING "urn:itorisk:mapping:1"
#define ITR_NS_ARCHIMATE "http://www.opengroup.org/xsd/archimate/3.0/"
#define ITR_NS_CYCLONEDX "http://cyclonedx.org/schema/bom/1."

/* The attributes an imported property can set (names in itr_attr_names[]). */
typedef enum itr_attr {
	ITR_ATTR_CRITICALITY,
	ITR_ATTR_RTO,
	ITR_ATTR_AVAILABILITY,
	ITR_ATTR_OWNER,
	ITR_ATTR_DELIVERED_FROM,
	ITR_ATTR_PROVIDER,
	ITR_ATTR_COUNTRY,
	ITR_ATTR_CONTRACT,
	ITR_ATTR_CONTRACT_SOURCING,
	ITR_ATTR_CONTRACT_SHORING,
	ITR_ATTR_CONTRACT_START,
	ITR_ATTR_CONTRACT_END,
	ITR_ATTR_CONTRACT_NOTICE,
	ITR_ATTR_CONTRACT_AUTO_RENEW,
	ITR_ATTR_CONTRACT_ANNUAL_COST,
	ITR_ATTR_SLA_AVAILABILITY,
	ITR_ATTR_SLA_RTO,
	ITR_ATTR_SLA_RPO,
	ITR_ATTR_IGNORE,
	ITR_ATTR_COUNT
} itr_attr;

/* "criticality", ..., "sla:rpo", "ignore": the `attribute` values of
 * mapping.xsd; as properties they are written "itorisk:" NAME. */
extern const char *const itr_attr_names[ITR_ATTR_COUNT + 1]; /* NULL-terminated */

/* What an ArchiMate element type becomes. */
typedef enum itr_akind { ITR_AKIND_IGNORE, ITR_AKIND_SERVICE, ITR_AKIND_VENDOR } itr_akind;

/* One name -> value entry of a mapping table. */
typedef struct itr_map_entry {
	char *key;        /* owned; normalised: lowercase, or a vendor key */
	char *value;      /* owned; may be NULL */
	int num, num2;    /* enum values (attribute, class, personal, criticality, kind) */
	itr_loc loc;      /* loc.file borrowed from the model */
} itr_map_entry;

typedef struct itr_map_table {
	itr_map_entry *v;
	size_t n, cap;
} itr_map_table;

typedef struct itr_mapping {
	itr_map_table aliases;     /* vendor key -> vendor id */
	itr_map_table properties;  /* lowercase property name -> itr_attr */
	itr_map_table classes;     /* lowercase classification -> itr_class, personal */
	itr_map_table zones;       /* lowercase trust zone -> country */
	itr_map_table crits;       /* lowercase criticality value -> itr_criticality */
	itr_map_table types;       /* lowercase ArchiMate type -> itr_akind */
} itr_mapping;

/* The mapping XSD (models/mapping.xsd) built into the binary. */
extern const unsigned char itr_mapping_xsd[];
extern const size_t itr_mapping_xsd_len;

void itr_mapping_init(itr_mapping *mp);
void itr_mapping_release(itr_mapping *mp);
/* Add the entries of a schema-valid mapping document. 0, or -1 after
 * reporting (ctx->failed). file is the model's copy of its name. */
int itr_mapping_read(itr_mapping *mp, itr_xml_ctx *ctx, const xmlDoc *doc, const char *file);
/* Sort every table and report two files mapping one name differently. */
int itr_mapping_seal(itr_mapping *mp, itr_diags *diags);

/* The state of one imported document. */
typedef struct itr_import {
	itr_model *m;
	const itr_mapping *map;
	itr_xml_ctx *ctx;
	const char *file;         /* the model's copy */
} itr_import;

/* Import a well-formed document whose root the loader recognised. 0, or -1
 * after reporting every problem with its line. */
int itr_import_cyclonedx(itr_import *im, const xmlDoc *doc);
int itr_import_archimate(itr_import *im, const xmlDoc *doc);

/* ---- shared by the importers (load_mapping.c) ---------------------------- */

/* A bom-ref or identifier as a model id: unchanged if it is an NCName of at
 * most 256 bytes, else sanitised (see README). In the model's arena. */
const char *itr_import_id(itr_model *m, const char *raw);
/* The vendor key of a free-text organisation or person name ("Acme, Inc." ->
 * "acme"), into out; false if nothing is left. */
bool itr_vendor_key(const char *name, itr_buf *out);
/* The vendor id for a name: its alias, else its sanitised key; NULL if the
 * name has no key. In the model's arena. */
const char *itr_import_vendor_id(itr_import *im, const char *name);
/* The attribute a property name maps to, or -1 (not ours). `builtin_plain`
 * also accepts the bare names ("Criticality") as ArchiMate properties do.
 * An "itorisk:" name we do not know is reported and gives -2. */
int itr_import_attr(itr_import *im, const char *name, bool builtin_plain, long line);

/* Attribute values collected from one element's properties. */
typedef struct itr_props {
	const char *val[ITR_ATTR_COUNT]; /* borrowed from the document */
	long line[ITR_ATTR_COUNT];
} itr_props;

/* Record a property value; a second value for one attribute is an error. */
void itr_props_set(itr_import *im, itr_props *p, int attr, const char *value, long line);
/* Apply collected attributes to service number si (and create the contract
 * they describe); to a vendor with itr_props_apply_vendor. Errors reported. */
void itr_props_apply_service(itr_import *im, size_t si, const itr_props *p);
void itr_props_apply_vendor(itr_import *im, size_t vi, const itr_props *p);

/* A data classification as ours (mapping first, then the built-in names). */
void itr_import_class(const itr_import *im, const char *name, itr_class *cls, int *personal);
/* The country of a trust zone (mapping, or a zone named like "DE"), or NULL. */
const char *itr_import_zone_country(const itr_import *im, const char *zone);

/* The text of an element's direct text children, trimmed, in out; "" if none. */
void itr_xml_text(const xmlNode *n, itr_buf *out);
/* The first child element with this local name, or NULL. */
const xmlNode *itr_xml_child(const xmlNode *n, const char *name);

/* A string -> size_t hash table (open addressing), for per-file id lookups. */
typedef struct itr_strmap {
	const char **keys;        /* borrowed */
	size_t *vals;
	size_t n, cap;
} itr_strmap;

void itr_strmap_release(itr_strmap *t);
/* The value of key, or ITR_NONE. */
size_t itr_strmap_get(const itr_strmap *t, const char *key);
/* Insert key (which must outlive the table) unless present; the value now stored. */
size_t itr_strmap_put(itr_strmap *t, const char *key, size_t val);

#endif
