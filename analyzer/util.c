#include "itorisk/util.h"

#include <stdbool.h>
#include <stddef.h>
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

__attribute__((noinline)) void *itr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		itr_die("out of memory allocating %zu bytes", n);
	return p;
}

/*
 * Zeroed by writing, not by calloc(): a large calloc() is a fresh mapping
 * whose pages the kernel maps to its shared zero page when they are read
 * first (hash probes, "seen" flags), and the first write to such a page
 * then flushes it from every core's TLB: an interrupt to the other
 * analysis thread each time (availability took 0.7 s instead of 0.45 on
 * L). Writing the zeros faults each page in once, for writing.
 * itr_xmalloc() is out of line so that the compiler does not turn this back
 * into calloc().
 */
void *itr_xcalloc(size_t count, size_t size)
{
	void *p;

	if (!count || !size)
		count = size = 1;
	if (count > SIZE_MAX / size)
		itr_die("out of memory allocating %zu x %zu bytes", count, size);
	p = itr_xmalloc(count * size);
	memset(p, 0, count * size);
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

/*
 * A conversion the fast formatter below handles: %% and %c, %s (with an
 * optional precision, digits or *), and integers d, i, u with no length
 * modifier, l, ll, z or j; each with an optional '-' or '0' flag and a
 * width in digits. Sets *end past it; false for anything else.
 */
static bool simple_spec(const char *p, const char **end)
{
	bool zero = false, minus = false;

	p++; /* the '%' */
	for (; *p == '-' || *p == '0'; p++)
		*(*p == '-' ? &minus : &zero) = true;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p == '*')
			p++;
		else
			while (*p >= '0' && *p <= '9')
				p++;
		if (*p != 's')
			return false;
	}
	if (*p == 'l' && p[1] == 'l')
		p += 2;
	else if (*p == 'l' || *p == 'z' || *p == 'j')
		p++;
	if (!*p || !strchr("%csdiu", *p) || (zero && minus) ||
	    ((*p == 's' || *p == 'c' || *p == '%') && zero))
		return false;
	*end = p + 1;
	return true;
}

static void pad(itr_buf *b, char c, size_t n)
{
	while (n--)
		itr_buf_putc(b, c);
}

/* Append s (n bytes) in a field of `width`, on the right unless minus. */
static void field(itr_buf *b, const char *s, size_t n, size_t width, bool minus)
{
	if (!minus && width > n)
		pad(b, ' ', width - n);
	itr_buf_add(b, s, n);
	if (minus && width > n)
		pad(b, ' ', width - n);
}

/*
 * What printf would print, for formats of simple_spec() conversions only:
 * false, having appended the text before it, at the first other one.
 * glibc takes its slow path for every printf in a process where a library
 * registered a printf handler, and libquadmath (igraph's BLAS/LAPACK pull it
 * in) does: about 3,000 instructions a call. Reports are made of such calls.
 */
static bool fast_vprintf(itr_buf *b, const char *fmt, va_list ap)
{
	const char *p = fmt, *end;

	while (*p) {
		const char *lit = p;
		bool minus = false, zero = false;
		size_t width = 0, prec = SIZE_MAX;
		int len = 0; /* 0 none, 1 l, 2 ll, 3 z, 4 j */
		char num[24], *d = num + sizeof(num);
		bool neg = false;
		unsigned long long u;

		p = strchr(p, '%');
		if (!p) {
			itr_buf_puts(b, lit);
			break;
		}
		if (p > lit)
			itr_buf_add(b, lit, (size_t)(p - lit));
		if (!simple_spec(p, &end))
			return false; /* nothing of the conversion is taken yet */
		for (p++; *p == '-' || *p == '0'; p++)
			*(*p == '-' ? &minus : &zero) = true;
		for (; *p >= '0' && *p <= '9'; p++)
			width = width * 10 + (size_t)(*p - '0');
		if (*p == '.') {
			p++;
			if (*p == '*') {
				int pr = va_arg(ap, int);

				prec = pr < 0 ? SIZE_MAX : (size_t)pr;
				p++;
			} else {
				for (prec = 0; *p >= '0' && *p <= '9'; p++)
					prec = prec * 10 + (size_t)(*p - '0');
			}
		}
		if (*p == 'l' && p[1] == 'l')
			len = 2, p += 2;
		else if (*p == 'l')
			len = 1, p++;
		else if (*p == 'z')
			len = 3, p++;
		else if (*p == 'j')
			len = 4, p++;
		switch (*p++) {
		case '%':
			itr_buf_putc(b, '%');
			continue;
		case 'c': {
			char c = (char)va_arg(ap, int);

			field(b, &c, 1, width, minus);
			continue;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n;

			if (!s)
				s = prec >= 6 ? "(null)" : "";
			n = prec == SIZE_MAX ? strlen(s) : strnlen(s, prec);
			field(b, s, n, width, minus);
			continue;
		}
		case 'd':
		case 'i': {
			long long v = len == 0 ? va_arg(ap, int)
				    : len == 1 ? va_arg(ap, long)
				    : len == 2 ? va_arg(ap, long long)
				    : len == 3 ? (long long)va_arg(ap, ptrdiff_t)
						: (long long)va_arg(ap, intmax_t);

			neg = v < 0;
			u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
			break;
		}
		default: /* 'u' */
			u = len == 0 ? va_arg(ap, unsigned)
			    : len == 1 ? va_arg(ap, unsigned long)
			    : len == 2 ? va_arg(ap, unsigned long long)
			    : len == 3 ? (unsigned long long)va_arg(ap, size_t)
					: (unsigned long long)va_arg(ap, uintmax_t);
			break;
		}
		do
			*--d = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (zero) {
			size_t digits = (size_t)(num + sizeof(num) - d) + neg;

			if (neg)
				itr_buf_putc(b, '-');
			if (width > digits)
				pad(b, '0', width - digits);
			itr_buf_add(b, d, (size_t)(num + sizeof(num) - d));
			continue;
		}
		if (neg)
			*--d = '-';
		field(b, d, (size_t)(num + sizeof(num) - d), width, minus);
	}
	return true;
}

void itr_buf_vprintf(itr_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	size_t start = b->len;
	int n;
	bool done;

	/* the fast way as far as it goes; back to the start if it cannot */
	va_copy(cp, ap);
	done = fast_vprintf(b, fmt, cp);
	va_end(cp);
	if (done)
		return;
	b->len = start;
	if (b->s)
		b->s[start] = '\0';
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

struct itr_strings_block {
	struct itr_strings_block *next;
	size_t used, size;
	char data[];
};

#define ITR_STRINGS_BLOCK 65536

char *itr_strings_add(itr_strings *st, const char *s, size_t n)
{
	struct itr_strings_block *b = st->head;
	char *d;

	if (!b || b->size - b->used < n + 1) {
		size_t size = n + 1 > ITR_STRINGS_BLOCK / 4 ? n + 1 : ITR_STRINGS_BLOCK;

		b = itr_xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		if (size > ITR_STRINGS_BLOCK && st->head) {
			/* a big one of its own: the current block stays in front */
			b->next = st->head->next;
			st->head->next = b;
		} else {
			b->next = st->head;
			st->head = b;
		}
	}
	d = b->data + b->used;
	memcpy(d, s, n);
	d[n] = '\0';
	b->used += n + 1;
	return d;
}

void itr_strings_move(itr_strings *to, itr_strings *from)
{
	struct itr_strings_block *last = from->head;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	last->next = to->head;
	to->head = from->head;
	from->head = NULL;
}

void itr_strings_release(itr_strings *st)
{
	for (struct itr_strings_block *b = st->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	st->head = NULL;
}

int itr_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Stable: insertion sort when short, else a radix sort by bytes, least
 * significant first, skipping the bytes all keys share. O(n) for n > 32. */
void itr_sort_u64(uint64_t *key, size_t *val, size_t n)
{
	uint64_t *ktmp, *kfrom = key, *kto;
	size_t *vtmp = NULL, *vfrom = val, *vto = NULL;

	if (n <= 32) {
		for (size_t i = 1; i < n; i++) {
			uint64_t x = key[i];
			size_t v = val ? val[i] : 0, j = i;

			for (; j > 0 && key[j - 1] > x; j--) {
				key[j] = key[j - 1];
				if (val)
					val[j] = val[j - 1];
			}
			key[j] = x;
			if (val)
				val[j] = v;
		}
		return;
	}
	kto = ktmp = itr_xmalloc(n * sizeof(*ktmp));
	if (val)
		vto = vtmp = itr_xmalloc(n * sizeof(*vtmp));
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[257] = {0};

		for (size_t i = 0; i < n; i++)
			count[(kfrom[i] >> shift & 0xff) + 1]++;
		if (count[(kfrom[0] >> shift & 0xff) + 1] == n)
			continue; /* the same byte everywhere */
		for (size_t b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++) {
			size_t to = count[kfrom[i] >> shift & 0xff]++;

			kto[to] = kfrom[i];
			if (val)
				vto[to] = vfrom[i];
		}
		kfrom = kto;
		kto = kfrom == key ? ktmp : key;
		vfrom = vto;
		vto = vfrom == val ? vtmp : val;
	}
	if (kfrom != key) {
		memcpy(key, kfrom, n * sizeof(*key));
		if (val)
			memcpy(val, vfrom, n * sizeof(*val));
	}
	free(ktmp);
	free(vtmp);
}
