/*
 * A small strict JSON reader for the tests of the CI formats: enough to walk
 * SARIF, Code Quality and diff reports field by field. Header-only (static
 * functions) so that each test file includes it without CMake changes.
 * Strict: a syntax error, trailing garbage, a control character in a
 * string or a bad escape makes tj_parse() return NULL.
 */
#ifndef ITORISK_TEST_TJSON_H
#define ITORISK_TEST_TJSON_H

#include "itorisk/util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef enum tj_type { TJ_NULL, TJ_BOOL, TJ_NUMBER, TJ_STRING, TJ_ARRAY, TJ_OBJECT } tj_type;

typedef struct tj {
	tj_type type;
	bool b;
	double num;
	char *str;          /* TJ_STRING; decoded UTF-8 */
	char **keys;        /* TJ_OBJECT */
	struct tj **items;  /* TJ_ARRAY and TJ_OBJECT values */
	size_t n, cap;
} tj;

typedef struct tj_parser {
	const char *p;
	int depth;
	bool bad;
} tj_parser;

static inline tj *tj_value(tj_parser *ps);

static inline void tj_free(tj *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		tj_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

static inline void tj_ws(tj_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')
		ps->p++;
}

static inline int tj_hex(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static inline void tj_utf8(itr_buf *b, unsigned long c)
{
	if (c < 0x80) {
		itr_buf_putc(b, (char)c);
	} else if (c < 0x800) {
		itr_buf_putc(b, (char)(0xc0 | (c >> 6)));
		itr_buf_putc(b, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		itr_buf_putc(b, (char)(0xe0 | (c >> 12)));
		itr_buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
		itr_buf_putc(b, (char)(0x80 | (c & 0x3f)));
	} else {
		itr_buf_putc(b, (char)(0xf0 | (c >> 18)));
		itr_buf_putc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
		itr_buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
		itr_buf_putc(b, (char)(0x80 | (c & 0x3f)));
	}
}

static inline char *tj_string(tj_parser *ps)
{
	itr_buf b = ITR_BUF_INIT;

	if (*ps->p != '"') {
		ps->bad = true;
		return NULL;
	}
	ps->p++;
	while (*ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;

		if (c == '\0' || c < 0x20) {
			ps->bad = true;
			break;
		}
		if (c != '\\') {
			itr_buf_putc(&b, (char)c);
			ps->p++;
			continue;
		}
		ps->p++;
		switch (*ps->p) {
		case '"': itr_buf_putc(&b, '"'); break;
		case '\\': itr_buf_putc(&b, '\\'); break;
		case '/': itr_buf_putc(&b, '/'); break;
		case 'b': itr_buf_putc(&b, '\b'); break;
		case 'f': itr_buf_putc(&b, '\f'); break;
		case 'n': itr_buf_putc(&b, '\n'); break;
		case 'r': itr_buf_putc(&b, '\r'); break;
		case 't': itr_buf_putc(&b, '\t'); break;
		case 'u': {
			int h = tj_hex(ps->p + 1);

			if (h < 0) {
				ps->bad = true;
				itr_buf_release(&b);
				return NULL;
			}
			tj_utf8(&b, (unsigned long)h); /* our writers never split surrogates */
			ps->p += 4;
			break;
		}
		default:
			ps->bad = true;
			itr_buf_release(&b);
			return NULL;
		}
		ps->p++;
	}
	if (ps->bad) {
		itr_buf_release(&b);
		return NULL;
	}
	ps->p++;
	return itr_buf_detach(&b);
}

static inline tj *tj_new(tj_type t)
{
	tj *v = itr_xcalloc(1, sizeof(*v));

	v->type = t;
	return v;
}

static inline void tj_push(tj *v, char *key, tj *item)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 8;
		v->items = itr_xrealloc(v->items, v->cap * sizeof(*v->items));
		if (v->type == TJ_OBJECT)
			v->keys = itr_xrealloc(v->keys, v->cap * sizeof(*v->keys));
	}
	if (v->type == TJ_OBJECT)
		v->keys[v->n] = key;
	v->items[v->n++] = item;
}

static inline tj *tj_container(tj_parser *ps, bool object)
{
	tj *v = tj_new(object ? TJ_OBJECT : TJ_ARRAY);
	char close = object ? '}' : ']';

	ps->p++;
	tj_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		tj *item;

		tj_ws(ps);
		if (object) {
			key = tj_string(ps);
			tj_ws(ps);
			if (!key || *ps->p != ':') {
				free(key);
				ps->bad = true;
				break;
			}
			ps->p++;
		}
		item = tj_value(ps);
		if (!item) {
			free(key);
			ps->bad = true;
			break;
		}
		tj_push(v, key, item);
		tj_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			return v;
		}
		ps->bad = true;
		break;
	}
	tj_free(v);
	return NULL;
}

static inline tj *tj_value(tj_parser *ps)
{
	tj *v = NULL;

	tj_ws(ps);
	if (++ps->depth > 64) {
		ps->bad = true;
		return NULL;
	}
	if (*ps->p == '{' || *ps->p == '[') {
		v = tj_container(ps, *ps->p == '{');
	} else if (*ps->p == '"') {
		char *s = tj_string(ps);

		if (s) {
			v = tj_new(TJ_STRING);
			v->str = s;
		}
	} else if (strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0) {
		v = tj_new(TJ_BOOL);
		v->b = ps->p[0] == 't';
		ps->p += v->b ? 4 : 5;
	} else if (strncmp(ps->p, "null", 4) == 0) {
		v = tj_new(TJ_NULL);
		ps->p += 4;
	} else if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
		char *end;
		double d = strtod(ps->p, &end);

		v = tj_new(TJ_NUMBER);
		v->num = d;
		ps->p = end;
	} else {
		ps->bad = true;
	}
	ps->depth--;
	return v;
}

/* Parse a whole document; NULL when it is not strict JSON. */
static inline tj *tj_parse(const char *s)
{
	tj_parser ps = {s ? s : "", 0, false};
	tj *v = tj_value(&ps);

	tj_ws(&ps);
	if (!v || ps.bad || *ps.p != '\0') {
		tj_free(v);
		return NULL;
	}
	return v;
}

/* Member of an object, or NULL (also when v is not an object). */
static inline const tj *tj_get(const tj *v, const char *key)
{
	if (!v || v->type != TJ_OBJECT)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return v->items[i];
	return NULL;
}

/* Item of an array, or NULL. */
static inline const tj *tj_at(const tj *v, size_t i)
{
	return v && v->type == TJ_ARRAY && i < v->n ? v->items[i] : NULL;
}

/* A string member, or NULL. */
static inline const char *tj_str(const tj *v, const char *key)
{
	const tj *m = tj_get(v, key);

	return m && m->type == TJ_STRING ? m->str : NULL;
}

/* A number member, or -1e300 when absent or not a number. */
static inline double tj_num(const tj *v, const char *key)
{
	const tj *m = tj_get(v, key);

	return m && m->type == TJ_NUMBER ? m->num : -1e300;
}

/* A boolean member: 1, 0, or -1 when absent or not a boolean. */
static inline int tj_bool(const tj *v, const char *key)
{
	const tj *m = tj_get(v, key);

	return m && m->type == TJ_BOOL ? m->b : -1;
}

/* The string at index i of an array, or NULL. */
static inline const char *tj_sat(const tj *v, size_t i)
{
	const tj *m = tj_at(v, i);

	return m && m->type == TJ_STRING ? m->str : NULL;
}

/* True when v is present and JSON null. */
static inline bool tj_is_null(const tj *v)
{
	return v && v->type == TJ_NULL;
}

/* Items of an array or members of an object; 0 for NULL and scalars. */
static inline size_t tj_len(const tj *v)
{
	return v && (v->type == TJ_ARRAY || v->type == TJ_OBJECT) ? v->n : 0;
}

/* Walk a path of object keys separated by '.', e.g. "message.text". */
static inline const tj *tj_path(const tj *v, const char *path)
{
	char *copy = itr_xstrdup(path), *save = NULL;

	for (char *k = strtok_r(copy, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		v = tj_get(v, k);
	free(copy);
	return v;
}

#endif
