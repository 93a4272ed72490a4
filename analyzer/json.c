#include "itorisk/report.h"

#include <math.h>
#include <stdint.h>

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

void itr_json_string(itr_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	itr_buf_putc(b, '"');
	while (*s) {
		const unsigned char *run = s;
		size_t n;

		/* the common case: a run of printable ASCII needing no escape */
		while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
			s++;
		if (s > run)
			itr_buf_add(b, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		n = utf8_len(s);

		if (n == 0) {
			itr_buf_puts(b, "\\ufffd");
			s++;
		} else if (*s == '"' || *s == '\\') {
			itr_buf_putc(b, '\\');
			itr_buf_putc(b, (char)*s++);
		} else if (*s < 0x20) {
			static const char esc[] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
						   ['\r'] = 'r', ['\t'] = 't'};

			if (*s < sizeof(esc) && esc[*s])
				itr_buf_printf(b, "\\%c", esc[*s]);
			else
				itr_buf_printf(b, "\\u%04x", *s);
			s++;
		} else {
			itr_buf_add(b, (const char *)s, n);
			s += n;
		}
	}
	itr_buf_putc(b, '"');
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

		itr_buf_printf(b, "%.2f", x);
		while (b->len > start && b->s[b->len - 1] == '0')
			b->s[--b->len] = '\0';
		if (b->len > start && b->s[b->len - 1] == '.')
			b->s[--b->len] = '\0';
	} else {
		itr_buf_printf(b, "%.10g", x);
	}
}
