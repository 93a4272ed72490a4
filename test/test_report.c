/* Findings as the reporters see them, and the JSON writer's escaping and numbers. */
#include "helpers.h"
#include "itorisk/graph.h"
#include "itorisk/report.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(report, .init = itr_graph_setup);

static char *json_string(const char *s)
{
	itr_buf b = ITR_BUF_INIT;

	itr_json_string(&b, s);
	return itr_buf_detach(&b);
}

static char *json_number(double x)
{
	itr_buf b = ITR_BUF_INIT;

	itr_json_number(&b, x);
	return itr_buf_detach(&b);
}

#define EXPECT_JSON_STRING(in, out)                                                                \
	do {                                                                                       \
		char *got_ = json_string(in);                                                      \
		cr_expect_str_eq(got_, out);                                                       \
		free(got_);                                                                        \
	} while (0)

#define EXPECT_JSON_NUMBER(in, out)                                                                \
	do {                                                                                       \
		char *got_ = json_number(in);                                                      \
		cr_expect_str_eq(got_, out);                                                       \
		free(got_);                                                                        \
	} while (0)

Test(report, json_strings_are_escaped)
{
	EXPECT_JSON_STRING("plain", "\"plain\"");
	EXPECT_JSON_STRING("q\"b\\", "\"q\\\"b\\\\\"");
	EXPECT_JSON_STRING("a\nb\tc\x01", "\"a\\nb\\tc\\u0001\"");
	EXPECT_JSON_STRING("caf\xc3\xa9 \xea\xb0\x80", "\"caf\xc3\xa9 \xea\xb0\x80\"");
	EXPECT_JSON_STRING("bad\xff\xc3(", "\"bad\\ufffd\\ufffd(\"");
	EXPECT_JSON_STRING("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a UTF-16 surrogate */
}

/*
 * itr_json_string() scans eight bytes at a time: against a byte-by-byte
 * reference, with every kind of byte at every offset from a word boundary,
 * in strings that start at every offset too.
 */

/* Length of the valid UTF-8 sequence at s, or 0: by code point, unlike json.c. */
static size_t ref_utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned long cp, min;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc0 && s[0] < 0xe0)
		n = 2, cp = s[0] & 0x1fu, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] < 0xf0)
		n = 3, cp = s[0] & 0x0fu, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] < 0xf8)
		n = 4, cp = s[0] & 0x07u, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void ref_json_string(itr_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char u[8];

	itr_buf_putc(b, '"');
	while (*s) {
		size_t n = ref_utf8_len(s);

		if (*s == '"' || *s == '\\') {
			itr_buf_putc(b, '\\');
			itr_buf_putc(b, (char)*s);
		} else if (*s == '\b' || *s == '\f' || *s == '\n' || *s == '\r' || *s == '\t') {
			itr_buf_putc(b, '\\');
			itr_buf_putc(b, *s == '\b'   ? 'b'
					: *s == '\f' ? 'f'
					: *s == '\n' ? 'n'
					: *s == '\r' ? 'r'
						     : 't');
		} else if (*s < 0x20) {
			snprintf(u, sizeof(u), "\\u%04x", *s);
			itr_buf_puts(b, u);
		} else if (n == 0) {
			itr_buf_puts(b, "\\ufffd");
		} else {
			itr_buf_add(b, (const char *)s, n);
			s += n;
			continue;
		}
		s++;
	}
	itr_buf_putc(b, '"');
}

/* Compare on s appended after a prefix, so that the output is unaligned too. */
static void expect_like_reference(const char *s)
{
	itr_buf got = ITR_BUF_INIT, want = ITR_BUF_INIT;

	itr_buf_puts(&got, "x");
	itr_buf_puts(&want, "x");
	itr_json_string(&got, s);
	ref_json_string(&want, s);
	cr_expect_str_eq(itr_buf_str(&got), itr_buf_str(&want), "escaping %zu bytes", strlen(s));
	itr_buf_release(&got);
	itr_buf_release(&want);
}

Test(report, json_string_escapes_like_a_byte_by_byte_reference)
{
	/* one of each kind, a single byte or a sequence */
	static const char *const kinds[] = {
		"\x01", "\x1f", "\b", "\t", "\n", "\f", "\r", "\"", "\\", " ", "~", "\x7f", "!", "#",
		"[", "]", "\x21", "\x5b", "\x5d", "\xa2", "\xdc", /* '"' and '\\' plus 0x80 */
		"\xc3\xa9", "\xdf\xbf", "\xe0\xa0\x80", "\xea\xb0\x80", "\xef\xbf\xbf",
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",                        /* valid */
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xc2", "\xc3(", "\xe0\x80\x80", "\xed\xa0\x80",
		"\xea\xb0", "\xf0\x80\x80\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf8", "\xfe",
		"\xff", "\xf0\x90\x80",                                            /* invalid */
	};
	char buf[128];
	unsigned long r = 12345;

	expect_like_reference("");
	for (size_t k = 0; k < ITR_ARRAY_LEN(kinds); k++)
		for (size_t before = 0; before < 20; before++)
			for (size_t after = 0; after < 12; after++) {
				/* at every offset from the string's start, the string
				 * itself at every offset from an 8-byte boundary */
				size_t start = (before + after) % 8, n = strlen(kinds[k]);
				char *p = buf + start;

				memset(p, 'a', before);
				memcpy(p + before, kinds[k], n);
				memset(p + before + n, 'z', after);
				p[before + n + after] = '\0';
				expect_like_reference(p);
			}
	/* two at once anywhere in a word, and long runs of random bytes */
	for (size_t k = 0; k < ITR_ARRAY_LEN(kinds); k++)
		for (size_t j = 0; j < ITR_ARRAY_LEN(kinds); j++)
			for (size_t gap = 0; gap < 9; gap++) {
				snprintf(buf, sizeof(buf), "%.*s%s%.*s%s", (int)(k % 8), "01234567",
					 kinds[k], (int)gap, "abcdefghi", kinds[j]);
				expect_like_reference(buf);
			}
	for (int t = 0; t < 2000; t++) {
		static const char bias[] = "plain text with an 'id' and \"quotes\" \\ \n\t\xc3\xa9\xe2\x82\xac";
		char s[300];
		size_t n = (size_t)t % 290;

		for (size_t i = 0; i < n; i++) {
			r = r * 6364136223846793005ul + 1442695040888963407ul;
			s[i] = (r >> 33) % 4 ? bias[(r >> 40) % (sizeof(bias) - 1)] : (char)(r >> 48);
			if (!s[i])
				s[i] = 'n';
		}
		s[n] = '\0';
		expect_like_reference(s);
	}
	memset(buf, 'q', sizeof(buf) - 1); /* a long run with nothing to escape */
	buf[sizeof(buf) - 1] = '\0';
	expect_like_reference(buf);
}

/* Non-integers are formatted without printf (strfromd on glibc): exactly as
 * the printf conversions the report used to make. */
static void ref_json_number(char *out, size_t size, double x)
{
	size_t n;

	if (fabs(x) >= 1e6 && fabs(x) < 1e15) {
		snprintf(out, size, "%.2f", x);
		n = strlen(out);
		while (n && out[n - 1] == '0')
			out[--n] = '\0';
		if (n && out[n - 1] == '.')
			out[--n] = '\0';
	} else {
		snprintf(out, size, "%.10g", x);
	}
}

Test(report, json_numbers_are_what_printf_prints)
{
	unsigned long r = 99;

	for (int t = 0; t < 20000; t++) {
		char want[64];
		char *got;
		double x;

		r = r * 6364136223846793005ul + 1442695040888963407ul;
		x = ldexp((double)(r >> 11) / 9007199254740992.0, (int)(r % 120) - 60);
		if (t % 3 == 0)
			x = floor(x * 100) / 100 + 0.005 * (t % 5); /* near a cent, and ties */
		if (t % 2)
			x = -x;
		if (x == floor(x) && fabs(x) < 1e15)
			continue; /* integers do not use printf */
		ref_json_number(want, sizeof(want), x);
		got = json_number(x);
		cr_expect_str_eq(got, want, "%.17g", x);
		free(got);
	}
}

/* itr_buf_printf formats most conversions itself (see util.c): each must
 * print what snprintf prints. */
#define EXPECT_LIKE_SNPRINTF(...)                                                                  \
	do {                                                                                       \
		char want_[256];                                                                   \
		itr_buf b_ = ITR_BUF_INIT;                                                         \
                                                                                                   \
		snprintf(want_, sizeof(want_), __VA_ARGS__);                                       \
		itr_buf_puts(&b_, "<");                                                            \
		itr_buf_printf(&b_, __VA_ARGS__);                                                  \
		cr_expect_str_eq(itr_buf_str(&b_) + 1, want_);                                      \
		itr_buf_release(&b_);                                                              \
	} while (0)

Test(report, buf_printf_prints_what_snprintf_prints)
{
	EXPECT_LIKE_SNPRINTF("plain, no conversion");
	EXPECT_LIKE_SNPRINTF("%s|%-6s|%6s|%.2s|%.*s|%-4.1s|", "abc", "ab", "ab", "abc", 2, "xyz", "q");
	EXPECT_LIKE_SNPRINTF("%.*s|%.*s|", -1, "all", 0, "none");
	EXPECT_LIKE_SNPRINTF("%d %i %d %d %5d %-5d| %05d %05d %0d", 0, -7, INT_MAX, INT_MIN, 42, 42, 42,
			     -42, 3);
	EXPECT_LIKE_SNPRINTF("%u %u %lu %lu %llu %zu %zu %ju", 0u, UINT_MAX, 0ul, ULONG_MAX, ULLONG_MAX,
			     (size_t)12345, SIZE_MAX, (uintmax_t)99);
	EXPECT_LIKE_SNPRINTF("%ld %ld %lld %lld %zd %jd %02ld-%04ld", LONG_MIN, 123456789L, LLONG_MIN,
			     LLONG_MAX, (ptrdiff_t)-5, (intmax_t)-6, 3L, 12L);
	EXPECT_LIKE_SNPRINTF("%c%c|%3c|%-3c|%%|100%%", 'a', 'b', 'c', 'd');
	/* the rest goes to vsnprintf whole: floats, hex, flags it does not handle */
	EXPECT_LIKE_SNPRINTF("%s %.2f %g %x %+d % d %#o %hd %s", "mix", 3.14159, 1e-7, 255u, 5, 6, 8u,
			     (short)-3, "end");
	EXPECT_LIKE_SNPRINTF("%5.3d|%*d|%-*s|", 4, 6, 9, 3, "w");
}

Test(report, json_numbers_are_stable)
{
	EXPECT_JSON_NUMBER(0, "0");
	EXPECT_JSON_NUMBER(-0.0, "0");
	EXPECT_JSON_NUMBER(1200000000, "1200000000");
	EXPECT_JSON_NUMBER(0.41, "0.41");
	EXPECT_JSON_NUMBER(1.0 / 3, "0.3333333333");
	EXPECT_JSON_NUMBER(1e20, "1e+20");
	EXPECT_JSON_NUMBER(0.0 / 0.0, "0");
}

static const char fourth_party[] =
	"<service id='s' name='S' criticality='critical'>\n"
	"  <needs-any min='1'><option ref='a'/><option ref='b'/></needs-any>\n"
	"</service>\n"
	"<service id='t' name='T' criticality='important' provider='v1'/>\n"
	"<service id='a' name='A' provider='v1'/><service id='b' name='B' provider='v2'/>\n"
	"<vendor id='v1' name='V1'><relies-on ref='f'/></vendor>\n"
	"<vendor id='v2' name='V2'><relies-on ref='f'/></vendor>\n"
	"<vendor id='f' name='F'/>\n"
	"<contract id='k1' vendor='v1' sourcing='total' shoring='onshore' start='2020-01-01'"
	" annual-cost='300'><covers ref='a'/><covers ref='t'/></contract>\n"
	"<contract id='k2' vendor='v2' sourcing='selective' shoring='offshore' start='2020-01-01'"
	" annual-cost='100'><covers ref='b'/></contract>\n";

Test(report, findings_of_a_shared_fourth_party)
{
	/* By hand: f stops s (critical) and t (important, via v1); v1 stops t only;
	 * group 0 of s is defeated by f; k1 covers the important t with no exit
	 * plan, under total sourcing, and t has no owner; v1 takes 300 of 400 of
	 * spend (75% > 30%, and HHI 0.75^2 + 0.25^2 = 0.625 above 0.25); f has no
	 * contract and sits under v1 and v2. */
	static const struct {
		const char *rule, *subject;
		itr_severity sev;
		long line;
	} want[] = {
		{"spof.vendor", "f", ITR_SEV_CRITICAL, 9},
		{"exit.missing", "k1", ITR_SEV_HIGH, 10},
		{"redundancy.shared", "s", ITR_SEV_HIGH, 3},
		{"spof.vendor", "v1", ITR_SEV_HIGH, 7},
		{"concentration.fourth-party", "f", ITR_SEV_MEDIUM, 9},
		{"concentration.vendor", "v1", ITR_SEV_MEDIUM, 7}, /* spend HHI 0.625 > 0.25 */
		{"concentration.vendor", "v1", ITR_SEV_MEDIUM, 7}, /* 75% of spend > 30% */
		{"knowledge.gap", "t", ITR_SEV_MEDIUM, 5},
	};
	itr_model *m = t_load_ok(fourth_party);
	itr_audit a;
	char *imp;

	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	for (size_t i = 0; i < a.nfindings; i++)
		cr_log_info("%s %s %s", itr_severity_name(a.findings[i].severity), a.findings[i].rule,
			    a.findings[i].subject);
	cr_assert_eq(a.nfindings, ITR_ARRAY_LEN(want));
	for (size_t i = 0; i < ITR_ARRAY_LEN(want); i++) {
		cr_expect_str_eq(a.findings[i].rule, want[i].rule, "finding %zu", i);
		cr_expect_str_eq(a.findings[i].subject, want[i].subject, "finding %zu", i);
		cr_expect_eq(a.findings[i].severity, want[i].sev, "finding %zu", i);
		cr_expect_eq(a.findings[i].loc.line, want[i].line, "finding %zu", i);
	}
	cr_expect(strstr(a.findings[0].message, "fourth party") != NULL, "%s", a.findings[0].message);
	imp = t_ids(m, &a.findings[0].impacts);
	cr_expect_str_eq(imp, "s t");
	free(imp);
	cr_expect_str_eq(a.findings[2].key, "s/needs-any(a,b)");
	cr_expect_eq(a.count[ITR_SEV_CRITICAL], 1);
	cr_expect_eq(a.count[ITR_SEV_HIGH], 3);
	cr_expect_eq(a.count[ITR_SEV_MEDIUM], 4);
	cr_expect_str_eq(a.findings[5].key, "hhi:spend");
	cr_expect_str_eq(a.findings[6].key, "v1");
	cr_expect_eq(itr_audit_max_severity(&a), ITR_SEV_CRITICAL);
	cr_expect_float_eq(a.total_spend, 400.0, 1e-9);
	cr_expect_float_eq(a.vendor_spend[m->elems[itr_model_find(m, "v1")].index], 300.0, 1e-9);
	itr_audit_release(&a);
	itr_model_free(m);
}

Test(report, json_report_has_the_pinned_keys)
{
	itr_model *m = t_load_ok(fourth_party);
	itr_audit a;
	itr_buf b = ITR_BUF_INIT;
	const char *keys[] = {"\"tool\": {\"name\": \"itorisk\", \"version\": ",
			      "\"as_of\": \"2026-11-01\"",
			      "\"summary\": {",
			      "\"vendors\": 3,",
			      "\"services\": 4,",
			      "\"contracts\": 2,",
			      "\"findings\": {\"critical\": 1, \"high\": 3, \"medium\": 4, \"low\": 0, \"info\": 0}",
			      "\"rule\": \"spof.vendor\"",
			      "\"file\": \"mem.xml\"",
			      "\"line\": 9",
			      "\"impacts\": [\"s\", \"t\"]",
			      "\"essential\": [\"f\"]",
			      "\"spend_share\": 0.75",
			      "\"annual_cost\": 300",
			      "\"betweenness\": ",
			      "\"pagerank\": ",
			      "\"articulation_points\": [",
			      "\"bridges\": ["};

	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	itr_report_json(&b, &a);
	for (size_t i = 0; i < ITR_ARRAY_LEN(keys); i++)
		cr_expect(strstr(b.s, keys[i]) != NULL, "missing %s in\n%s", keys[i], b.s);
	itr_buf_release(&b);
	itr_audit_release(&a);
	itr_model_free(m);
}

Test(report, text_report_leads_with_the_summary_and_locates_findings)
{
	itr_model *m = t_load_ok(fourth_party);
	itr_audit a;
	itr_buf b = ITR_BUF_INIT;
	const char *first, *loc;

	cr_assert_eq(itr_audit_run(&a, m, 20758), 0);
	itr_report_text(&b, &a);
	first = strstr(b.s, "Findings: 1 critical, 3 high, 4 medium, 0 low, 0 info");
	loc = strstr(b.s, "mem.xml:9: critical: fourth party (no contract of its own) 'f'");
	cr_expect_not_null(first, "%s", b.s);
	cr_expect_not_null(loc, "%s", b.s);
	cr_expect(first < loc, "summary first");
	cr_expect_not_null(strstr(b.s, "mem.xml:3: high: redundancy of 's' (1 of 2: 'a', 'b')"), "%s",
			   b.s);
	itr_buf_release(&b);
	itr_audit_release(&a);
	itr_model_free(m);
}
