/* itorisk audit PATH... [options]: every analysis, findings and figures. */
#include "cli.h"
#include "cmds.h"
#include "itorisk/gate.h"
#include "itorisk/progress.h"
#include "itorisk/report.h"

#include <stdlib.h>
#include <string.h>

static const struct format {
	const char *name;
	void (*fn)(itr_buf *out, const itr_audit *a);
	/* in ITR_JSON_PARTS parts, for the formats that write large reports */
	void (*parts)(itr_buf out[ITR_JSON_PARTS], const itr_audit *a);
} formats[] = {
	{"text", itr_report_text, NULL},
	{"json", itr_report_json, itr_report_json_parts},
	{"sarif", itr_report_sarif, NULL},
	{"github", itr_report_github, NULL},
	{"gitlab", itr_report_gitlab, NULL},
	{"junit", itr_report_junit, NULL},
};

int cmd_audit(int argc, char **argv)
{
	const char *format = "text", *output = NULL, *as_of_opt = NULL, *fail_on = "none";
	const char *baseline_in = NULL, *baseline_out = NULL, *model_path = NULL, *order_opt = NULL;
	bool quiet = false, timings = false, exact_betweenness = false;
	const itr_opt opts[] = {
		{"format", 0, "FMT",
		 "report format: text (default), json, sarif, github, gitlab or junit", &format, NULL},
		{"output", 'o', "FILE", "write the report to FILE, atomically (default: stdout)",
		 &output, NULL},
		{"as-of", 0, "DATE", "evaluate as of YYYY-MM-DD (default: the portfolio's, else today)",
		 &as_of_opt, NULL},
		{"fail-on", 0, "SEV",
		 "exit 1 if a finding is at least SEV: critical, high, medium, low, info, none (default)",
		 &fail_on, NULL},
		{"baseline", 0, "FILE", "report and gate only findings not accepted in FILE",
		 &baseline_in, NULL},
		{"write-baseline", 0, "FILE", "write a baseline accepting every finding to FILE",
		 &baseline_out, NULL},
		{"model", 0, "FILE", "risk model replacing the built-in one (see models/)", &model_path,
		 NULL},
		{"order", 0, "N", "minimal cut sets up to N elements, 1 to 4 (default: the model's, 2)",
		 &order_opt, NULL},
		{"exact-betweenness", 0, NULL,
		 "betweenness over all pairs, O(N*L) (default: paths from critical and important "
		 "services)",
		 NULL, &exact_betweenness},
		{"quiet", 'q', NULL, "no progress line on stderr (shown only on a terminal, after 2 s)",
		 NULL, &quiet},
		{"timings", 0, NULL, "print each stage's time to stderr at the end", NULL, &timings},
	};
	const itr_cmd_info info = {"audit", "PATH... [options]",
				   "Load the portfolio files (or directories of them), run every analysis\n"
				   "and report the findings with their file and line.",
				   opts, ITR_ARRAY_LEN(opts)};
	char **paths;
	size_t npaths;
	itr_model *m = NULL;
	itr_audit audit;
	itr_buf report[ITR_JSON_PARTS], written = ITR_BUF_INIT;
	const itr_buf *parts[ITR_JSON_PARTS];
	size_t nparts = 1;
	itr_baseline baseline;
	const struct format *fmt = NULL;
	itr_severity threshold = ITR_SEV_INFO;
	itr_audit_opts aopts = {.as_of = 0};
	itr_riskmodel *risk = NULL;
	itr_date as_of;
	bool audited = false;
	int ret = itr_cli_parse(&info, argc, argv, &paths, &npaths);
	double t;

	for (size_t i = 0; i < ITR_JSON_PARTS; i++) {
		itr_buf_init(&report[i]);
		parts[i] = &report[i];
	}
	itr_baseline_init(&baseline);
	if (ret != 0) {
		free(paths);
		return ret > 0 ? ITR_EXIT_OK : ITR_EXIT_ERROR;
	}
	ret = ITR_EXIT_ERROR;
	if (npaths == 0) {
		itr_cli_error("'itorisk audit' needs at least one PATH (see --help)");
		goto cleanup;
	}
	for (size_t i = 0; i < ITR_ARRAY_LEN(formats); i++)
		if (strcmp(format, formats[i].name) == 0)
			fmt = &formats[i];
	if (!fmt) {
		itr_cli_error("unknown format '%s' (text, json, sarif, github, gitlab or junit)",
			      format);
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
	if (order_opt && itr_cli_order(order_opt, &aopts.order) != 0)
		goto cleanup;
	itr_cli_instrument(timings, quiet);
	if (model_path && itr_cli_risk_model(&risk, model_path) != 0)
		goto cleanup;
	if (itr_cli_load(&m, paths, npaths) != 0) {
		if (baseline_in)
			itr_cli_baseline(&baseline, baseline_in, "analysed"); /* report its problems too */
		goto cleanup;
	}
	itr_phase_end("load");
	if (baseline_in && itr_cli_baseline(&baseline, baseline_in, "analysed") != 0)
		goto cleanup;
	if (itr_cli_as_of(as_of_opt, m, &as_of) != 0) {
		itr_cli_error("cannot determine the as-of date");
		goto cleanup;
	}
	audited = true;
	aopts.as_of = as_of;
	aopts.risk = risk;
	aopts.exact_betweenness = exact_betweenness;
	if (itr_audit_run_opts(&audit, m, &aopts) != 0) {
		itr_cli_error("graph analysis failed (out of memory?)");
		goto cleanup;
	}
	if (baseline_out)
		itr_baseline_write(&written, &audit, baseline_in ? &baseline : NULL);
	if (baseline_in) {
		size_t expired, n = itr_baseline_apply(&audit, &baseline, &expired);

		fprintf(stderr, "itorisk: %zu finding%s accepted by the baseline '%s'", n,
			n == 1 ? "" : "s", baseline_in);
		if (expired)
			fprintf(stderr, "; %zu entr%s expired", expired, expired == 1 ? "y has" : "ies have");
		fputc('\n', stderr);
	}
	t = itr_stage_begin("report");
	if (fmt->parts) {
		fmt->parts(report, &audit);
		nparts = ITR_JSON_PARTS;
	} else {
		fmt->fn(&report[0], &audit);
	}
	itr_stage_end("report", t);
	itr_phase_end("report");
	t = itr_stage_begin("write");
	if (baseline_out && itr_cli_write(baseline_out, &written) != 0)
		goto cleanup;
	if (itr_cli_write_parts(output, parts, nparts) != 0)
		goto cleanup;
	itr_stage_end("write", t);
	itr_phase_end("write");
	ret = strcmp(fail_on, "none") != 0 && itr_audit_max_severity(&audit) >= (int)threshold
		      ? ITR_EXIT_FINDINGS
		      : ITR_EXIT_OK;
cleanup:
	if (audited)
		itr_audit_release(&audit);
	for (size_t i = 0; i < ITR_JSON_PARTS; i++)
		itr_buf_release(&report[i]);
	itr_buf_release(&written);
	itr_baseline_release(&baseline);
	itr_riskmodel_free(risk);
	itr_model_free(m);
	free(paths);
	itr_phase_end("release");
	if (ret != ITR_EXIT_ERROR)
		itr_timings_print(stderr);
	return ret;
}
