/*
 * Untrusted XML, handled as ../shared/FACTS.md prescribes for libxml2 2.9:
 * read the file ourselves, parse from memory, refuse any DOCTYPE (so no
 * entity of any kind exists), never set NOENT/DTDLOAD/XINCLUDE/HUGE/RECOVER,
 * deny every external entity load, accept UTF-8 only.
 */
#include "xmlsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

/* ---- reading ------------------------------------------------------------ */

/* " (32 MiB)" after a limit in bytes that is a whole number of MiB, else "". */
static const char *in_mib(char out[32], size_t n)
{
	out[0] = '\0';
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		snprintf(out, 32, " (%zu MiB)", n >> 20);
	return out;
}

int itr_xml_read_file(const char *path, size_t cap, char **out, size_t *outlen, itr_diags *diags)
{
	itr_loc loc = {path, 0, 0};
	itr_loc whole = {path, 1, 0}; /* a limit on the whole file: line 1 */
	char mib[32];
	struct stat st;
	char *buf = NULL;
	size_t len = 0, size;
	/* O_NONBLOCK: a FIFO named x.xml must not hang us before fstat says what it is */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	*out = NULL;
	*outlen = 0;
	if (fd < 0)
		return itr_diag(diags, loc, "cannot open: %s",
				errno == ELOOP ? "symbolic links are not followed" : strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return itr_diag(diags, loc, "not a regular file");
	}
	if ((uintmax_t)st.st_size > cap) {
		close(fd);
		return itr_diag(diags, whole, "file is larger than the limit of %zu bytes%s", cap,
				in_mib(mib, cap));
	}
	size = (size_t)st.st_size + 1;
	buf = itr_xmalloc(size + 1);
	for (;;) {
		ssize_t r = read(fd, buf + len, size - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			itr_diag(diags, loc, "read error: %s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > cap) {
			itr_diag(diags, whole, "file is larger than the limit of %zu bytes%s", cap,
				 in_mib(mib, cap));
			goto fail;
		}
		if (len == size)
			ITR_GROW(buf, size, size + 4096); /* the file grew while we read it */
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

/* ---- diagnostics -------------------------------------------------------- */

long itr_xml_line(const xmlNode *node)
{
	if (node && node->type == XML_ELEMENT_NODE && node->_private)
		return (long)(intptr_t)node->_private;
	return node ? (long)node->line : 0;
}

/* Make libxml2's messages read like ours: no "{namespace-uri}" noise (but
 * keep enumeration sets such as {'a', 'b'}), no newlines. */
static void add_error(itr_xml_ctx *ctx, long line, long col, const char *msg)
{
	itr_buf b = ITR_BUF_INIT;

	for (const char *p = msg ? msg : "unknown XML error"; *p; p++) {
		const char *close = p[0] == '{' && p[1] != '\'' ? strchr(p, '}') : NULL;

		if (close && close - p > 1 && !memchr(p, ' ', (size_t)(close - p))) {
			p = close;
			continue;
		}
		itr_buf_putc(&b, *p == '\n' ? ' ' : *p);
	}
	itr_diag(ctx->diags, (itr_loc){ctx->file, line, col}, "%s", itr_buf_str(&b));
	itr_buf_release(&b);
	ctx->failed = true;
}

void itr_xml_error(itr_xml_ctx *ctx, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	itr_vdiag(ctx->diags, (itr_loc){ctx->file, line, 0}, fmt, ap);
	va_end(ap);
	ctx->failed = true;
}

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *data, const xmlError *err)
#else
static void on_xml_error(void *data, xmlError *err)
#endif
{
	itr_xml_ctx *ctx = data;
	long line;
	char depth[128];
	const char *msg;

	if (!ctx || !err || err->level == XML_ERR_WARNING)
		return;
	line = err->line;
	if (err->node)
		line = itr_xml_line(err->node);
	msg = err->message;
	/* libxml2's own nesting limit (256 without XML_PARSE_HUGE, which we never
	 * set, so its advice to use it is not for our users); int1 is the limit */
	if (msg && strncmp(msg, "Excessive depth in document", 27) == 0 && err->int1 > 0) {
		snprintf(depth, sizeof(depth),
			 "element nesting depth exceeds the limit of %d levels below the root",
			 err->int1);
		msg = depth;
	}
	/* errors inside entity text have no file (FACTS.md): ours is always ctx->file */
	add_error(ctx, line, err->int2 > 0 ? err->int2 : 0, msg);
}

/* Everything libxml2 reports goes through on_xml_error; nothing is printed. */
static void silent_generic(void *data, const char *msg, ...)
{
	(void)data, (void)msg;
}

static xmlParserInputPtr deny_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url, (void)id, (void)ctxt;
	return NULL;
}

/* The loader before ours, put back by itr_xml_end() so the rest of the
 * process (tests, say) gets libxml2 as it was. */
static xmlExternalEntityLoader saved_loader;

void itr_xml_begin(itr_xml_ctx *ctx)
{
	xmlExternalEntityLoader cur = xmlGetExternalEntityLoader();

	if (cur != deny_external)
		saved_loader = cur;
	xmlSetExternalEntityLoader(deny_external);
	xmlSetGenericErrorFunc(NULL, silent_generic);
	xmlSetStructuredErrorFunc(ctx, on_xml_error);
}

void itr_xml_end(void)
{
	if (saved_loader)
		xmlSetExternalEntityLoader(saved_loader);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
}

/* ---- parsing ------------------------------------------------------------ */

static void refuse_doctype(void *data, const xmlChar *name, const xmlChar *ext_id,
			   const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = data;

	(void)name, (void)ext_id, (void)sys_id;
	add_error(ctxt->_private, ctxt->input ? ctxt->input->line : 0, 0,
		  "DOCTYPE declarations are not allowed in itorisk input files");
	xmlStopParser(ctxt);
}

static void ignore_external_subset(void *data, const xmlChar *name, const xmlChar *ext_id,
				   const xmlChar *sys_id)
{
	(void)data, (void)name, (void)ext_id, (void)sys_id;
}

static xmlEntityPtr refuse_entity(void *data, const xmlChar *name)
{
	(void)data, (void)name;
	return NULL;
}

/*
 * The line where the current start tag begins. libxml2 gives the line where
 * it ends, which for a tag whose attributes span lines is not where a reader
 * looks. The parser stands just past the attributes; '<' cannot occur in an
 * attribute value, so the tag starts at the last '<' before it. The whole
 * document is in memory (we parse from a buffer), so base..cur is all there.
 */
static long start_tag_line(const xmlParserInput *in)
{
	long line = in->line;

	if (!in->base || !in->cur)
		return line;
	for (const xmlChar *p = in->cur; p > in->base; p--) {
		if (p[-1] == '<')
			break;
		if (p[-1] == '\n')
			line--;
	}
	return line > 0 ? line : in->line;
}

/* Build the DOM as usual, but keep each element's full line number in
 * _private (node->line stops at 65535) and count elements against the cap. */
static void start_element(void *data, const xmlChar *localname, const xmlChar *prefix,
			  const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
			  int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = data;
	itr_xml_ctx *ctx = ctxt->_private;
	xmlNodePtr before = ctxt->node;

	if (++ctx->elements > ctx->max_elements) {
		itr_xml_error(ctx, ctxt->input ? start_tag_line(ctxt->input) : 0,
			      "too many XML elements: this run exceeds the limit of %zu elements "
			      "(counted over all its files)",
			      ctx->max_elements);
		xmlStopParser(ctxt);
		return;
	}
	xmlSAX2StartElementNs(data, localname, prefix, uri, nb_namespaces, namespaces,
			      nb_attributes, nb_defaulted, attributes);
	if (ctxt->node && ctxt->node != before && ctxt->input)
		ctxt->node->_private = (void *)(intptr_t)start_tag_line(ctxt->input);
}

static bool utf8_encoding(const xmlChar *enc)
{
	const char *e = (const char *)enc;

	return !e || strcasecmp(e, "UTF-8") == 0 || strcasecmp(e, "UTF8") == 0 ||
	       strcasecmp(e, "US-ASCII") == 0 || strcasecmp(e, "ASCII") == 0;
}

xmlDocPtr itr_xml_parse(itr_xml_ctx *ctx, const char *buf, size_t len)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	/* never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE, HUGE or RECOVER */
	const int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;

	ctx->failed = false;
	if (len == 0) {
		add_error(ctx, 1, 0, "empty file");
		return NULL;
	}
	if (len > INT32_MAX) {
		itr_xml_error(ctx, 1, "file is larger than the XML parser's limit of %d bytes",
			      INT32_MAX);
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		itr_die("out of memory creating an XML parser");
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->externalSubset = ignore_external_subset;
	ctxt->sax->getParameterEntity = refuse_entity;
	ctxt->sax->startElementNs = start_element;
	ctxt->_private = ctx;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, ctx->file, NULL, opts);
	if (doc && (!ctxt->wellFormed || ctx->failed)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (!doc && !ctx->failed)
		add_error(ctx, ctxt->input ? ctxt->input->line : 0, 0, "malformed XML");
	xmlFreeParserCtxt(ctxt);
	if (doc && !utf8_encoding(doc->encoding)) {
		itr_xml_error(ctx, 1, "input files must be UTF-8, not '%s'",
			      (const char *)doc->encoding);
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/* ---- validation --------------------------------------------------------- */

xmlSchemaPtr itr_xml_schema(const unsigned char *xsd, size_t len)
{
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt((const char *)xsd, (int)len);
	xmlSchemaPtr schema;

	if (!pc)
		itr_die("cannot read a built-in schema");
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (!schema)
		itr_die("a built-in schema is invalid");
	return schema;
}

int itr_xml_validate(itr_xml_ctx *ctx, xmlSchemaPtr schema, xmlDocPtr doc)
{
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	int ret;

	if (!vc)
		itr_die("out of memory creating a schema validator");
	xmlSchemaSetValidStructuredErrors(vc, on_xml_error, ctx);
	/* the return value is the last error's code, not a count (FACTS.md) */
	ret = xmlSchemaValidateDoc(vc, doc);
	if (ret != 0 && !ctx->failed)
		add_error(ctx, 0, 0, "does not match the schema");
	xmlSchemaFreeValidCtxt(vc);
	return ctx->failed ? -1 : 0;
}

/* ---- reading the tree --------------------------------------------------- */

const char *itr_xml_attr(const xmlNode *n, const char *name)
{
	xmlAttrPtr a = xmlHasNsProp(n, (const xmlChar *)name, NULL);

	if (!a)
		return NULL;
	if (!a->children || !a->children->content)
		return "";
	return (const char *)a->children->content;
}

bool itr_xml_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

const char *itr_xml_root_ns(const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);

	return root && root->ns && root->ns->href ? (const char *)root->ns->href : NULL;
}
