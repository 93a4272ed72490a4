/* strfromd(): the shortest way to what printf prints for a double, see below */
#define __STDC_WANT_IEC_60559_BFP_EXT__ 1
#include "itorisk/report.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for n more bytes and the NUL after them; returns where they go (the
 * caller writes them, the NUL, and adds n to b->len). */
static char *room(itr_buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		ITR_GROW(b->s, b->cap, b->len + n + 1);
	return b->s + b->len;
}

/* Length of the valid UTF-8 sequence at s, or 0 (RFC 3629: no overlongs, no surrogates). */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/*
 * Of eight bytes at once, those that are more than a copy: 0x80 in each byte
 * below 0x20, equal to '"' or '\\', or at or above 0x80; 0 in the others.
 * Each test works on the low seven bits of a byte, where the sums cannot carry
 * into the next byte: the answer is exact for every byte, not just the first.
 */
static uint64_t special_bytes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t x = w & ~high;
	uint64_t control = ~(x + 0x60 * ones);          /* x + 0x60 < 0x80: x < 0x20 */
	uint64_t quote = ~((x ^ 0x22 * ones) + 0x7f * ones); /* the xor is 0 */
	uint64_t backslash = ~((x ^ 0x5c * ones) + 0x7f * ones);

	return (w | control | quote | backslash) & high;
}

static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The first byte of [s, end) that needs more than a copy, or end. Messages
 * are long and almost all plain: a word at a time, then the bytes of the
 * word that stopped it. */
static const unsigned char *plain_end(const unsigned char *s, const unsigned char *end)
{
	uint64_t w;

	while (end - s >= 8) {
		memcpy(&w, s, sizeof(w)); /* any alignment; compiles to one load */
		if (special_bytes(w))
			break;
		s += 8;
	}
	while (s < end && plain(*s))
		s++;
	return s;
}

void itr_json_string(itr_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *end = s + strlen(str);
	const unsigned char *run = plain_end(s, end);
	size_t n = (size_t)(end - s);
	char *d;

	if (run == end) {
		/* the common case, nothing to escape: one copy between the quotes */
		d = room(b, n + 2);
		d[0] = '"';
		memcpy(d + 1, s, n);
		d[n + 1] = '"';
		d[n + 2] = '\0';
		b->len += n + 2;
		return;
	}
	itr_buf_putc(b, '"');
	for (;;) {
		if (run > s)
			itr_buf_add(b, (const char *)s, (size_t)(run - s));
		s = run;
		if (s == end)
			break;
		n = utf8_len(s);
		if (n == 0) {
			itr_buf_add(b, "\\ufffd", 6);
			s++;
		} else if (*s == '"' || *s == '\\') {
			d = room(b, 2);
			d[0] = '\\';
			d[1] = (char)*s++;
			d[2] = '\0';
			b->len += 2;
		} else if (*s < 0x20) {
			static const char esc[] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
						   ['\r'] = 'r', ['\t'] = 't'};
			static const char hex[] = "0123456789abcdef";
			char u[6] = {'\\', 'u', '0', '0', hex[*s >> 4], hex[*s & 15]};

			if (*s < sizeof(esc) && esc[*s]) {
				u[1] = esc[*s];
				itr_buf_add(b, u, 2);
			} else {
				itr_buf_add(b, u, sizeof(u));
			}
			s++;
		} else {
			itr_buf_add(b, (const char *)s, n);
			s += n;
		}
		run = plain_end(s, end);
	}
	itr_buf_putc(b, '"');
}

/*
 * Append what printf prints for x with "%.2f" (cents) or "%.10g". glibc's
 * printf takes a slow path in this process (see fast_vprintf() in util.c);
 * its strfromd() formats with the same code, without that path.
 */
static void put_double(itr_buf *b, bool cents, double x)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
	char d[64];
	int n = strfromd(d, sizeof(d), cents ? "%.2f" : "%.10g", x);

	if (n > 0 && (size_t)n < sizeof(d)) {
		itr_buf_add(b, d, (size_t)n);
		return;
	}
#endif
	if (cents)
		itr_buf_printf(b, "%.2f", x);
	else
		itr_buf_printf(b, "%.10g", x);
}

void itr_json_number(itr_buf *b, double x)
{
	if (!isfinite(x))
		x = 0;
	if (x == 0)
		x = 0; /* no "-0" */
	if (fabs(x) < 1e15 && x == floor(x)) {
		/* what "%.0f" prints for an integer below 1e15, without printf */
		char d[24], *p = d + sizeof(d);
		long long v = (long long)x;
		unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (v < 0)
			*--p = '-';
		itr_buf_add(b, p, (size_t)(d + sizeof(d) - p));
	} else if (fabs(x) >= 1e6 && fabs(x) < 1e15) {
		/* money: cents, without trailing zeros */
		size_t start = b->len;

		put_double(b, true, x);
		while (b->len > start && b->s[b->len - 1] == '0')
			b->s[--b->len] = '\0';
		if (b->len > start && b->s[b->len - 1] == '.')
			b->s[--b->len] = '\0';
	} else {
		put_double(b, false, x);
	}
}
