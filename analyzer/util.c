#include "itorisk/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void itr_die(const char *fmt, ...)
{
	va_list ap;

	fputs("itorisk: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void *itr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		itr_die("out of memory allocating %zu bytes", n);
	return p;
}

void *itr_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		itr_die("out of memory allocating %zu x %zu bytes", count, size);
	return p;
}

void *itr_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		itr_die("out of memory allocating %zu bytes", n);
	return q;
}

void itr_xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n;

	if (need <= *cap)
		return;
	n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			itr_die("allocation size overflow");
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		itr_die("allocation size overflow");
	*p = itr_xrealloc(*p, n * elem);
	*cap = n;
}

char *itr_xstrdup(const char *s)
{
	return itr_xstrndup(s, strlen(s));
}

char *itr_xstrndup(const char *s, size_t n)
{
	char *d = itr_xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void itr_buf_init(itr_buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

void itr_buf_release(itr_buf *b)
{
	free(b->s);
	itr_buf_init(b);
}

char *itr_buf_detach(itr_buf *b)
{
	char *s = b->s ? b->s : itr_xstrdup("");

	itr_buf_init(b);
	return s;
}

const char *itr_buf_str(const itr_buf *b)
{
	return b->s ? b->s : "";
}

void itr_buf_add(itr_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		ITR_GROW(b->s, b->cap, b->len + n + 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void itr_buf_puts(itr_buf *b, const char *s)
{
	itr_buf_add(b, s, strlen(s));
}

void itr_buf_putc(itr_buf *b, char c)
{
	if (b->len + 2 <= b->cap) {
		b->s[b->len++] = c;
		b->s[b->len] = '\0';
		return;
	}
	itr_buf_add(b, &c, 1);
}

void itr_buf_vprintf(itr_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	/* print into the room there is; only when it did not fit, grow and again */
	if (b->cap - b->len < 256)
		ITR_GROW(b->s, b->cap, b->len + 256);
	va_copy(cp, ap);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		itr_die("bad format string '%s'", fmt);
	if ((size_t)n >= b->cap - b->len) {
		ITR_GROW(b->s, b->cap, b->len + (size_t)n + 1);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void itr_buf_printf(itr_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	itr_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

int itr_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}
