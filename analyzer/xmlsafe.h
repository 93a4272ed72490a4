/*
 * Safe XML for the load stage (load.c and the importers): read a file the
 * careful way, parse it without DTDs, entities, network or XInclude, validate
 * it against a schema held in memory, and turn every libxml2 complaint into a
 * diagnostic with the user's file and line. Only files of the load stage
 * include this header: libxml2 stays there (STYLE.md).
 */
#ifndef ITORISK_XMLSAFE_H
#define ITORISK_XMLSAFE_H

#include "itorisk/diag.h"

#include <stdbool.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

/* One document's parse: where its diagnostics go and what it may cost. */
typedef struct itr_xml_ctx {
	itr_diags *diags;
	const char *file;        /* borrowed; printed in diagnostics */
	size_t elements;         /* elements parsed so far, across documents */
	size_t max_elements;
	bool failed;             /* an error was reported for this document */
} itr_xml_ctx;

/* Install libxml2's global handlers (errors to ctx, no external entity
 * loading, nothing printed). Call before parsing; itr_xml_end() after. */
void itr_xml_begin(itr_xml_ctx *ctx);
void itr_xml_end(void);

/*
 * libxml2 keeps its error handlers per thread (the entity loader is one for
 * the process): a thread that parses after itr_xml_begin() was called on
 * another sends its errors to its own ctx with itr_xml_thread_begin(), and
 * calls itr_xml_thread_end() when done. itr_xml_begin() and itr_xml_end()
 * do the same for the calling thread.
 */
void itr_xml_thread_begin(itr_xml_ctx *ctx);
void itr_xml_thread_end(void);

/*
 * Read a regular file (no symbolic link, FIFO or device) of at most cap
 * bytes. On success *out (NUL-terminated, caller frees) and *len; else -1
 * with a diagnostic naming path.
 */
int itr_xml_read_file(const char *path, size_t cap, char **out, size_t *len, itr_diags *diags);

/* " (10 MB)" after a size limit that is a whole number of MB (10^6 bytes),
 * " (256 MiB)" after one of MiB (2^20), else "": the limit as a person says
 * it, for messages. Writes out and returns it; cannot fail. */
const char *itr_xml_size_note(char out[32], size_t n);

/* Parse buf safely; NULL after reporting every problem (see xmlsafe.c).
 * Before libxml2 sees it, buf is refused if it is not UTF-8, if an element
 * has more than 1000 attributes or if more than 256 namespace declarations
 * are in scope at one element (libxml2 2.9 spends quadratic time on those).
 * Sets ctx->failed = false first. The document is the caller's (xmlFreeDoc). */
xmlDocPtr itr_xml_parse(itr_xml_ctx *ctx, const char *buf, size_t len);

/*
 * What itr_xml_stream() calls for each element: its local name, namespace
 * URI (or NULL), attributes as libxml2's SAX2 gives them (5 pointers each:
 * local name, prefix, URI, value, end of value; values not NUL-terminated)
 * and the line its start tag begins on. start returns 0 to go on, -1 to
 * stop (the parse then fails).
 */
typedef struct itr_xml_events {
	int (*start)(void *user, const char *name, const char *uri, const xmlChar **attrs,
		     int nattrs, long line);
	void (*end)(void *user);
} itr_xml_events;

/*
 * Parse buf and validate it against schema in one pass, without a tree,
 * calling ev for each element. 0 when the document is well formed, UTF-8,
 * valid, within the limits of itr_xml_parse() and nothing was reported;
 * -1 otherwise, with or without a diagnostic: a caller that needs the
 * messages parses the document again with itr_xml_parse() and
 * itr_xml_validate(), which report everything. Counts elements in
 * ctx->elements as itr_xml_parse() does; sets ctx->failed = false first.
 */
int itr_xml_stream(itr_xml_ctx *ctx, xmlSchemaPtr schema, const char *buf, size_t len,
		   const itr_xml_events *ev, void *user);

/* Compile a schema held in memory; exits on failure (it is built into the binary). */
xmlSchemaPtr itr_xml_schema(const unsigned char *xsd, size_t len);
/* Validate; 0, or -1 after reporting every violation with its line. */
int itr_xml_validate(itr_xml_ctx *ctx, xmlSchemaPtr schema, xmlDocPtr doc);

/* Report a problem in the current document. */
void itr_xml_error(itr_xml_ctx *ctx, long line, const char *fmt, ...) ITR_PRINTF(3, 4);

/* The line where an element's start tag begins (exact past 65535). */
long itr_xml_line(const xmlNode *n);
/* An attribute without namespace, uncopied (no entities can hide in it), or NULL. */
const char *itr_xml_attr(const xmlNode *n, const char *name);
/* An element with this local name. */
bool itr_xml_is(const xmlNode *n, const char *name);
/* The root's namespace URI, or NULL. */
const char *itr_xml_root_ns(const xmlDoc *doc);

#endif
