/*
 * GitHub Actions workflow commands: one annotation per finding,
 *
 *     ::error file=samples/bank/x.xml,line=4,title=spof.vendor::message
 *
 * Text from the portfolio reaches these lines (ids, names in messages), so
 * everything is escaped as the runner expects (../shared/FACTS.md): '%', CR
 * and LF in the message; additionally ':' and ',' in properties. Without it
 * a crafted id could end the annotation and start a command of its own.
 */
#include "itorisk/report.h"

#include <stdlib.h>

static void escape(itr_buf *b, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			itr_buf_puts(b, "%25");
			break;
		case '\r':
			itr_buf_puts(b, "%0D");
			break;
		case '\n':
			itr_buf_puts(b, "%0A");
			break;
		case ':':
			itr_buf_puts(b, property ? "%3A" : ":");
			break;
		case ',':
			itr_buf_puts(b, property ? "%2C" : ",");
			break;
		default:
			itr_buf_putc(b, *s);
		}
	}
}

/* critical and high are errors, medium a warning, low and info notices. */
static const char *command(itr_severity s)
{
	return s >= ITR_SEV_HIGH ? "error" : s == ITR_SEV_MEDIUM ? "warning" : "notice";
}

void itr_report_github(itr_buf *out, const itr_audit *a)
{
	for (size_t i = 0; i < a->nfindings; i++) {
		const itr_finding *f = &a->findings[i];
		const itr_rule *r = itr_rule_find(f->rule);
		char *path = itr_report_path(f->loc.file);
		itr_buf title = ITR_BUF_INIT;

		itr_buf_printf(&title, "%s (%s)", r ? r->summary : f->rule,
			       itr_severity_name(f->severity));
		itr_buf_printf(out, "::%s file=", command(f->severity));
		escape(out, path, true);
		itr_buf_printf(out, ",line=%ld,title=", f->loc.line > 0 ? f->loc.line : 1);
		escape(out, itr_buf_str(&title), true);
		itr_buf_puts(out, "::");
		escape(out, f->message, false);
		itr_buf_puts(out, " [");
		escape(out, f->rule, false);
		itr_buf_puts(out, "]\n");
		itr_buf_release(&title);
		free(path);
	}
}
