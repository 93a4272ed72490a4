/* itorisk audit PATH... [options]: every analysis, findings and figures. */
#include "cli.h"
#include "cmds.h"
#include "itorisk/report.h"

#include <stdlib.h>
#include <string.h>

int cmd_audit(int argc, char **argv)
{
	const char *format = "text", *output = NULL, *as_of_opt = NULL, *fail_on = "none";
	const itr_opt opts[] = {
		{"format", 0, "FMT", "report format: text (default) or json", &format, NULL},
		{"output", 'o', "FILE", "write the report to FILE, atomically (default: stdout)",
		 &output, NULL},
		{"as-of", 0, "DATE", "evaluate as of YYYY-MM-DD (default: the portfolio's, else today)",
		 &as_of_opt, NULL},
		{"fail-on", 0, "SEV",
		 "exit 1 if a finding is at least SEV: critical, high, medium, low, info, none (default)",
		 &fail_on, NULL},
	};
	const itr_cmd_info info = {"audit", "PATH... [options]",
				   "Load the portfolio files (or directories of them), run every analysis\n"
				   "and report the findings with their file and line.",
				   opts, ITR_ARRAY_LEN(opts)};
	char **paths;
	size_t npaths;
	itr_model *m = NULL;
	itr_audit audit;
	itr_buf report = ITR_BUF_INIT;
	itr_severity threshold = ITR_SEV_INFO;
	itr_date as_of;
	bool audited = false;
	int ret = itr_cli_parse(&info, argc, argv, &paths, &npaths);

	if (ret != 0) {
		free(paths);
		return ret > 0 ? ITR_EXIT_OK : ITR_EXIT_ERROR;
	}
	ret = ITR_EXIT_ERROR;
	if (npaths == 0) {
		itr_cli_error("'itorisk audit' needs at least one PATH (see --help)");
		goto cleanup;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		itr_cli_error("unknown format '%s' (text or json)", format);
		goto cleanup;
	}
	if (strcmp(fail_on, "none") != 0 && itr_severity_parse(fail_on, &threshold) != 0) {
		itr_cli_error("unknown severity '%s' for --fail-on", fail_on);
		goto cleanup;
	}
	if (as_of_opt && itr_date_parse(as_of_opt, &as_of) != 0) {
		itr_cli_error("bad date '%s' for --as-of (YYYY-MM-DD)", as_of_opt);
		goto cleanup;
	}
	if (itr_cli_load(&m, paths, npaths) != 0)
		goto cleanup;
	if (itr_cli_as_of(as_of_opt, m, &as_of) != 0) {
		itr_cli_error("cannot determine the as-of date");
		goto cleanup;
	}
	audited = true;
	if (itr_audit_run(&audit, m, as_of) != 0) {
		itr_cli_error("graph analysis failed (out of memory?)");
		goto cleanup;
	}
	if (strcmp(format, "json") == 0)
		itr_report_json(&report, &audit);
	else
		itr_report_text(&report, &audit);
	if (itr_cli_write(output, &report) != 0)
		goto cleanup;
	ret = strcmp(fail_on, "none") != 0 && itr_audit_max_severity(&audit) >= (int)threshold
		      ? ITR_EXIT_FINDINGS
		      : ITR_EXIT_OK;
cleanup:
	if (audited)
		itr_audit_release(&audit);
	itr_buf_release(&report);
	itr_model_free(m);
	free(paths);
	return ret;
}
