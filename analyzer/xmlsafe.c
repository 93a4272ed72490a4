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

const char *itr_xml_size_note(char out[32], size_t n)
{
	const size_t mib = (size_t)1 << 20, mb = 1000000;

	out[0] = '\0';
	if (n >= mib && n % mib == 0)
		snprintf(out, 32, " (%zu MiB)", n / mib);
	else if (n >= mb && n % mb == 0)
		snprintf(out, 32, " (%zu MB)", n / mb);
	return out;
}

int itr_xml_read_file(const char *path, size_t cap, char **out, size_t *outlen, itr_diags *diags)
{
	itr_loc loc = {path, 0, 0};
	itr_loc whole = {path, 1, 0}; /* a limit on the whole file: line 1 */
	char note[32];
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
				itr_xml_size_note(note, cap));
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
				 itr_xml_size_note(note, cap));
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

void itr_xml_thread_begin(itr_xml_ctx *ctx)
{
	xmlSetGenericErrorFunc(NULL, silent_generic);
	xmlSetStructuredErrorFunc(ctx, on_xml_error);
}

void itr_xml_thread_end(void)
{
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
}

void itr_xml_begin(itr_xml_ctx *ctx)
{
	xmlExternalEntityLoader cur = xmlGetExternalEntityLoader();

	if (cur != deny_external)
		saved_loader = cur;
	xmlSetExternalEntityLoader(deny_external);
	itr_xml_thread_begin(ctx);
}

void itr_xml_end(void)
{
	if (saved_loader)
		xmlSetExternalEntityLoader(saved_loader);
	itr_xml_thread_end();
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
	const xmlChar *lt, *p;

	if (!in->base || !in->cur || in->cur <= in->base)
		return line;
	for (lt = in->cur; lt > in->base && lt[-1] != '<'; lt--)
		;
	p = lt;
	while ((p = memchr(p, '\n', (size_t)(in->cur - p))) != NULL) {
		line--;
		p++;
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
	if (ctxt->node && ctxt->node != before && ctxt->input) {
		ctxt->node->_private = (void *)(intptr_t)start_tag_line(ctxt->input);
		/* libxml2 stores 65535 for "past 65535"; raising an error on
		 * such a node (schema validation does, with the node) makes it
		 * look for a line among the node's children and following
		 * siblings, all 65535 too: quadratic over a long file of bad
		 * elements. Our lines come from _private; any other value
		 * stops that search. */
		if (ctxt->node->line == 65535)
			ctxt->node->line = 65534;
	}
}

static bool utf8_encoding(const xmlChar *enc)
{
	const char *e = (const char *)enc;

	return !e || strcasecmp(e, "UTF-8") == 0 || strcasecmp(e, "UTF8") == 0 ||
	       strcasecmp(e, "US-ASCII") == 0 || strcasecmp(e, "ASCII") == 0;
}

/* ---- before libxml2 sees a byte ----------------------------------------- */

/*
 * libxml2 2.9 spends quadratic time on two things a 10 MB file can hold a lot
 * of: the attributes of one start tag (each is compared with every other,
 * and SAX2 walks the element's attribute list to append each one: 80,000
 * attributes, a 730 KB file, take from 8 s to a minute and a half, as their
 * names go) and the namespace declarations in scope at an element (each
 * element and prefixed attribute looks its namespace up through all of
 * them: 200 levels of 1,000 declarations, then small elements, take minutes
 * for 10 MB). So before parsing we
 * count both with a linear scan of the bytes and refuse the file past these
 * limits, which no real portfolio, SBOM or model comes near.
 */
#define MAX_ATTRIBUTES 1000
#define MAX_NAMESPACES_IN_SCOPE 256

/*
 * The scan must see every start tag libxml2 parses, even in a malformed
 * file, where libxml2 goes on parsing after the first error (with SAX off,
 * but its attribute checks still run). So where it cannot tell how libxml2
 * reads a stretch of the file, it assumes the worst: it becomes "wary" and
 * counts every '<' followed by a name for the rest of the file, inside
 * comments, PIs, CDATA sections and DOCTYPEs too. A valid file makes it
 * wary only with a PI whose target starts with a non-ASCII letter, or with
 * a comment, PI or CDATA section of more than 9,000,000 bytes.
 */
typedef struct scan {
	const unsigned char *s, *end;
	bool wary;
	uint16_t *open; /* namespace declarations of each open element */
	size_t depth, cap;
	size_t in_scope; /* their sum */
} scan;

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A byte that may start an element name or PI target (the non-ASCII ones
 * are assumed to). */
static bool is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       c >= 0x80;
}

static bool is_ascii_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool has_prefix(const unsigned char *p, const unsigned char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/*
 * Bytes that may decode to a character XML does not allow (a surrogate,
 * U+FFFE, U+FFFF, past U+10FFFF) where libxml2 still reads UTF-8; it reads
 * them as ISO-8859-1 once it has met a malformed sequence, so we cannot
 * know. ASCII control characters are not allowed either way.
 */
static bool maybe_not_a_char(const unsigned char *p, const unsigned char *end)
{
	size_t n = (size_t)(end - p);

	return (p[0] == 0xed && n > 1 && p[1] >= 0xa0) ||
	       (p[0] == 0xef && n > 2 && p[1] == 0xbf && p[2] >= 0xbe) ||
	       (p[0] == 0xf4 && n > 1 && p[1] >= 0x90) || (p[0] >= 0xf5 && p[0] <= 0xf7);
}

/*
 * Where content goes on after a comment, PI or CDATA section whose body
 * starts at p: past the first `term`, as in libxml2. But libxml2 leaves the
 * section early, and parses what follows as content, at a character XML
 * does not allow: there too (an ASCII control character), or NULL where we
 * cannot tell (see maybe_not_a_char, and bodies past libxml2's 10,000,000
 * bytes, possible only for documents given in memory). O(length).
 */
static const unsigned char *section_end(const unsigned char *p, const unsigned char *end,
					const char *term)
{
	const unsigned char *body = p;

	for (; p < end; p++) {
		if (*p == (unsigned char)term[0] && has_prefix(p, end, term))
			return p + strlen(term);
		if (*p < 0x20 && !is_blank(*p))
			return p;
		if ((*p >= 0xed && maybe_not_a_char(p, end)) || p - body > 9000000)
			return NULL;
	}
	return end;
}

/*
 * After "<?" at p: past the PI when libxml2 surely reads one (a target name
 * that starts with an ASCII letter, '_' or ':' and is short: libxml2 gives
 * up on names past 50,000 characters), p + 2 when it surely does not (no
 * name: it reads the rest as text), NULL when we cannot tell.
 */
static const unsigned char *pi_end(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p + 2;

	if (q >= end || *q >= 0x80)
		return q < end ? NULL : end;
	if (!is_ascii_letter(*q) && *q != '_' && *q != ':')
		return q;
	while (q < end && q - p < 1000 && !is_blank(*q) && *q != '?' && *q >= 0x20)
		q++;
	return q - p < 1000 ? section_end(p + 2, end, "?>") : NULL;
}

/* "xmlns" or "xmlns:..." */
static bool is_xmlns(const unsigned char *name, size_t len)
{
	return (len == 5 && memcmp(name, "xmlns", 5) == 0) ||
	       (len > 5 && memcmp(name, "xmlns:", 6) == 0);
}

/* One start tag as the scan sees it. */
typedef struct tag {
	size_t attrs; /* '=' signs outside quoted values */
	size_t decls; /* of them, after the name xmlns or xmlns:... */
	bool opens;   /* ends with '>', not "/>": an element that stays open */
} tag;

/*
 * Count the attributes of the start tag at p ('<' and a name) up to the '>'
 * that closes it, outside quoted values; return where scanning goes on.
 * libxml2 never finds more: each attribute has its '=', a quote that does
 * not open a value ends the tag for libxml2 (here it only opens one), and a
 * '<' (never allowed in a value) ends it for both. O(length of the tag).
 */
static const unsigned char *scan_tag(const unsigned char *p, const unsigned char *end, tag *t)
{
	const unsigned char *name = NULL, *name_end = NULL;
	unsigned char quote = 0;
	bool in_name = false;

	*t = (tag){0, 0, false};
	for (p++; p < end; p++) {
		unsigned char c = *p;

		if (c == '<')
			break;
		if (quote) {
			/* the value's bulk at once: to its closing quote, or to
			 * a '<' before it */
			const unsigned char *close = memchr(p, quote, (size_t)(end - p));
			const unsigned char *lt =
			    memchr(p, '<', (size_t)((close ? close : end) - p));

			if (lt || !close) {
				p = lt ? lt : end;
				break;
			}
			p = close;
			quote = 0;
		} else if (c == '>') {
			t->opens = p[-1] != '/';
			return p + 1;
		} else if (c == '"' || c == '\'' || c == '=') {
			if (c == '=') {
				t->attrs++;
				t->decls += name && is_xmlns(name, (size_t)(name_end - name));
			} else {
				quote = c;
			}
			name = NULL;
			in_name = false;
		} else if (is_blank(c)) {
			in_name = false;
		} else {
			if (!in_name)
				name = p;
			in_name = true;
			name_end = p + 1;
		}
	}
	return p;
}

static long line_at(const scan *sc, const unsigned char *p)
{
	long line = 1;

	for (const unsigned char *q = sc->s; (q = memchr(q, '\n', (size_t)(p - q))) != NULL; q++)
		line++;
	return line;
}

/* The element name at p (after '<'), at most 100 bytes of it, cut at a
 * character boundary; its length. */
static int name_len(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;

	while (q < end && q - p < 100 && (*q >= 0x80 || (*q > ' ' && !strchr("/>=<\"'", *q))))
		q++;
	if (q < end && q - p == 100)
		while (q > p && (*q & 0xc0) == 0x80)
			q--;
	return (int)(q - p);
}

/* The start tag at p, counted: 0, or -1 after reporting a limit passed. */
static int check_tag(itr_xml_ctx *ctx, scan *sc, const unsigned char *p, const tag *t)
{
	size_t in_scope = sc->in_scope + t->decls;
	int n;

	if (t->attrs > MAX_ATTRIBUTES) {
		n = name_len(p + 1, sc->end);
		itr_xml_error(ctx, line_at(sc, p),
			      "element '%.*s' has more than %d attributes (the limit)", n,
			      (const char *)p + 1, MAX_ATTRIBUTES);
		return -1;
	}
	if (in_scope > MAX_NAMESPACES_IN_SCOPE) {
		n = name_len(p + 1, sc->end);
		itr_xml_error(ctx, line_at(sc, p),
			      "element '%.*s' has more than %d namespace declarations in scope "
			      "(the limit)",
			      n, (const char *)p + 1, MAX_NAMESPACES_IN_SCOPE);
		return -1;
	}
	if (t->opens) {
		ITR_GROW(sc->open, sc->cap, sc->depth + 1);
		sc->open[sc->depth++] = (uint16_t)t->decls; /* at most MAX_ATTRIBUTES */
		sc->in_scope = in_scope;
	}
	return 0;
}

/*
 * Check every start tag of buf against the limits above; 0, or -1 after
 * reporting the first one past a limit, at the line where its tag begins.
 * One pass, O(len): each byte is looked at once or twice.
 *
 * It follows libxml2's reading of the bytes as far as that matters here:
 * comments, PIs and CDATA sections are skipped (what they hold is not
 * markup), an end tag closes the last open element (libxml2 pops its
 * namespaces whatever the name), and the XML declaration ends at its first
 * '>' (libxml2 skips to it after an error in the declaration).
 */
static int check_markup(itr_xml_ctx *ctx, const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;
	scan sc = {p, end, false, NULL, 0, 0, 0};
	int ret = 0;

	if (has_prefix(p, end, "\xef\xbb\xbf"))
		p += 3;
	if (has_prefix(p, end, "<?xml") && end - p > 5 && is_blank(p[5])) {
		p = memchr(p, '>', (size_t)(end - p));
		p = p ? p + 1 : end;
	}
	while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		const unsigned char *next = p + 1;
		tag t;

		if (!sc.wary && has_prefix(p, end, "<!--")) {
			next = section_end(p + 4, end, "-->");
		} else if (!sc.wary && has_prefix(p, end, "<![CDATA[")) {
			next = section_end(p + 9, end, "]]>");
		} else if (!sc.wary && has_prefix(p, end, "<?")) {
			next = pi_end(p, end);
		} else if (has_prefix(p, end, "</")) {
			/* wary, we may see end tags libxml2 does not: keep the count */
			if (!sc.wary && sc.depth > 0)
				sc.in_scope -= sc.open[--sc.depth];
		} else if (end - p > 1 && is_name_start(p[1])) {
			next = scan_tag(p, end, &t);
			if (check_tag(ctx, &sc, p, &t) != 0) {
				ret = -1;
				break;
			}
		} else if (has_prefix(p, end, "<!DOCTYPE")) {
			sc.wary = true; /* refused anyway, but libxml2 may read on */
		}
		if (!next) {
			sc.wary = true;
			next = p + 1;
		}
		p = next;
	}
	free(sc.open);
	return ret;
}

/* The non-UTF-8 encoding libxml2 would decode buf from, NULL for UTF-8 or
 * ASCII. It decides from the first bytes (xmlDetectCharEncoding: UTF-16 or
 * UCS-4 without a declaration, EBCDIC) or else from the encoding named in
 * the XML declaration; we look at every "encoding='...'" up to the
 * declaration's first '>', where libxml2 stops. The name goes into out. */
static const char *foreign_encoding(const char *buf, size_t len, char out[64])
{
	static const struct {
		unsigned char sig[4];
		const char *name;
	} sigs[] = {
	    {{0, 0, 0, '<'}, "UCS-4"},
	    {{'<', 0, 0, 0}, "UCS-4"},
	    {{0, 0, '<', 0}, "UCS-4"},
	    {{0, '<', 0, 0}, "UCS-4"},
	    {{'<', 0, '?', 0}, "UTF-16"},
	    {{0, '<', 0, '?'}, "UTF-16"},
	    {{0x4c, 0x6f, 0xa7, 0x94}, "EBCDIC"},
	};
	const unsigned char *s = (const unsigned char *)buf, *end = s + len, *gt;

	for (size_t i = 0; len >= 4 && i < ITR_ARRAY_LEN(sigs); i++)
		if (memcmp(s, sigs[i].sig, 4) == 0)
			return sigs[i].name;
	if (len >= 2 && ((s[0] == 0xfe && s[1] == 0xff) || (s[0] == 0xff && s[1] == 0xfe)))
		return "UTF-16";
	if (has_prefix(s, end, "\xef\xbb\xbf"))
		s += 3;
	if (!has_prefix(s, end, "<?xml") || end - s < 6 || !is_blank(s[5]))
		return NULL;
	gt = memchr(s, '>', (size_t)(end - s));
	end = gt ? gt : end;
	for (const unsigned char *p = s + 5; p < end; p++) {
		const unsigned char *q = p + 8, *name;
		unsigned char quote;

		if (!has_prefix(p, end, "encoding"))
			continue;
		while (q < end && is_blank(*q))
			q++;
		if (q >= end || *q++ != '=')
			continue;
		while (q < end && is_blank(*q))
			q++;
		if (q >= end || (*q != '"' && *q != '\''))
			continue;
		quote = *q++;
		name = q;
		while (q < end && *q != quote && q - name < 63)
			q++;
		snprintf(out, 64, "%.*s", (int)(q - name), (const char *)name);
		if (!utf8_encoding((const xmlChar *)out))
			return out;
	}
	return NULL;
}

xmlDocPtr itr_xml_parse(itr_xml_ctx *ctx, const char *buf, size_t len)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	char encname[64];
	const char *enc;
	/* never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE, HUGE or RECOVER.
	 * NOBLANKS drops the whitespace between elements (no tree node for
	 * every line break: parse, validation and freeing about 10% cheaper)
	 * and COMPACT keeps short texts inside their nodes; whitespace-only
	 * text means nothing in any of our formats (portfolio and mapping
	 * elements hold attributes, importers trim what they read). */
	const int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA |
			 XML_PARSE_NOBLANKS | XML_PARSE_COMPACT;

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
	enc = foreign_encoding(buf, len, encname);
	if (enc) {
		itr_xml_error(ctx, 1, "input files must be UTF-8, not '%s'", enc);
		return NULL;
	}
	if (check_markup(ctx, buf, len) != 0)
		return NULL;
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		itr_die("out of memory creating an XML parser");
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->externalSubset = ignore_external_subset;
	ctxt->sax->getParameterEntity = refuse_entity;
	ctxt->sax->startElementNs = start_element;
	ctxt->_private = ctx;
	/* no URL: the document would get one, and libxml2 2.9 then walks every
	 * earlier node for its base URI on each error it raises about a node
	 * (quadratic on a large file with many schema errors); our messages
	 * name ctx->file anyway */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, opts);
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

/* ---- parse and validate as a stream -------------------------------------- */

typedef struct stream {
	xmlParserCtxtPtr ctxt;
	itr_xml_ctx *ctx;
	const itr_xml_events *ev;
	void *user;
} stream;

/* Give up on the document. Not by xmlStopParser() from an element's event:
 * libxml2 2.9 frees the input there, which the schema validator's handler
 * that called ours goes on reading; the rest of the events are ignored. */
static void stream_stop(stream *st)
{
	st->ctx->failed = true;
}

static void stream_start(void *data, const xmlChar *localname, const xmlChar *prefix,
			 const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
			 int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	stream *st = data;

	(void)prefix, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
	if (st->ctx->failed)
		return;
	if (++st->ctx->elements > st->ctx->max_elements ||
	    st->ev->start(st->user, (const char *)localname, (const char *)uri, attributes,
			  nb_attributes, st->ctxt->input ? start_tag_line(st->ctxt->input) : 0) != 0)
		stream_stop(st);
}

static void stream_end(void *data, const xmlChar *localname, const xmlChar *prefix,
		       const xmlChar *uri)
{
	stream *st = data;

	(void)localname, (void)prefix, (void)uri;
	if (!st->ctx->failed)
		st->ev->end(st->user);
}

/* A DOCTYPE: stop before its internal subset (this event comes from the
 * parser, through the validator's pass-through, which reads nothing after). */
static void stream_doctype(void *data, const xmlChar *name, const xmlChar *ext_id,
			   const xmlChar *sys_id)
{
	stream *st = data;

	(void)name, (void)ext_id, (void)sys_id;
	st->ctx->failed = true;
	xmlStopParser(st->ctxt);
}

int itr_xml_stream(itr_xml_ctx *ctx, xmlSchemaPtr schema, const char *buf, size_t len,
		   const itr_xml_events *ev, void *user)
{
	xmlSAXHandler sax;
	xmlSAXHandlerPtr psax = &sax;
	stream st = {NULL, ctx, ev, user};
	void *data = &st;
	xmlSchemaValidCtxtPtr vc;
	xmlSchemaSAXPlugPtr plug;
	xmlParserCtxtPtr ctxt;
	char encname[64];
	bool ok;

	/* the checks of itr_xml_parse(), and its options (but the tree's) */
	ctx->failed = false;
	if (len == 0 || len > INT32_MAX || foreign_encoding(buf, len, encname) ||
	    check_markup(ctx, buf, len) != 0)
		return -1;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = stream_start;
	sax.endElementNs = stream_end;
	sax.internalSubset = stream_doctype;
	sax.externalSubset = ignore_external_subset;
	sax.getParameterEntity = refuse_entity;
	vc = xmlSchemaNewValidCtxt(schema);
	if (!vc)
		itr_die("out of memory creating a schema validator");
	xmlSchemaSetValidStructuredErrors(vc, on_xml_error, ctx);
	/* the validator sees each event first, then passes it on to ours */
	plug = xmlSchemaSAXPlug(vc, &psax, &data);
	ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
	if (!plug || !ctxt)
		itr_die("out of memory creating an XML parser");
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA |
					XML_PARSE_NOBLANKS);
	/* after the options, which set handlers of the default SAX2 table */
	memcpy(ctxt->sax, psax, sizeof(*ctxt->sax));
	ctxt->userData = data;
	st.ctxt = ctxt;
	xmlParseDocument(ctxt);
	ok = ctxt->wellFormed && !ctx->failed && xmlSchemaIsValid(vc) == 1 &&
	     utf8_encoding(ctxt->encoding) && (!ctxt->input || utf8_encoding(ctxt->input->encoding));
	xmlFreeParserCtxt(ctxt);
	xmlSchemaSAXUnplug(plug);
	xmlSchemaFreeValidCtxt(vc);
	return ok ? 0 : -1;
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
