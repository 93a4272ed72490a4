/*
 * GitLab Code Quality: a JSON array of issues with description, check_name,
 * fingerprint, severity (info, minor, major, critical, blocker) and
 * location.path / location.lines.begin. A clean run is "[]".
 */
#include "itorisk/gate.h"
#include "itorisk/report.h"

#include <stdlib.h>

/* One step per level, so the order of our severities is kept. */
static const char *gitlab_severity(itr_severity s)
{
	static const char *const v[ITR_SEV_COUNT] = {"info", "minor", "major", "critical",
						      "blocker"};

	return v[s];
}

void itr_report_gitlab(itr_buf *out, const itr_audit *a)
{
	itr_buf_putc(out, '[');
	for (size_t i = 0; i < a->nfindings; i++) {
		const itr_finding *f = &a->findings[i];
		char fp[ITR_FP_LEN + 1];
		char *path = itr_report_path(f->loc.file);

		itr_finding_fingerprint(fp, f);
		itr_buf_puts(out, i ? ",\n  {\n    \"type\": \"issue\",\n    \"description\": "
				    : "\n  {\n    \"type\": \"issue\",\n    \"description\": ");
		itr_json_string(out, f->message);
		itr_buf_puts(out, ",\n    \"check_name\": ");
		itr_json_string(out, f->rule);
		itr_buf_printf(out, ",\n    \"fingerprint\": \"%s\",\n    \"severity\": \"%s\",\n",
			       fp, gitlab_severity(f->severity));
		itr_buf_puts(out, "    \"location\": {\"path\": ");
		itr_json_string(out, path);
		itr_buf_printf(out, ", \"lines\": {\"begin\": %ld}}\n  }",
			       f->loc.line > 0 ? f->loc.line : 1);
		free(path);
	}
	itr_buf_puts(out, a->nfindings ? "\n]\n" : "]\n");
}
