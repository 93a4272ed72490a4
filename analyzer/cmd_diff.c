/* itorisk diff BASE HEAD [options]: findings added and resolved by a change. */
#include "cli.h"
#include "cmds.h"
#include "itorisk/gate.h"
#include "itorisk/report.h"

#include <stdlib.h>
#include <string.h>

/*
 * Load the base. A base that does not load (a broken main branch, or a
 * first commit) must not block the gate: say so, and compare against
 * nothing, so that every finding of the head counts as new.
 */
static itr_model *load_base(const char *path)
{
	itr_source src = {path, NULL, 0};
	itr_model *m = NULL;
	itr_diags diags;

	itr_diags_init(&diags);
	if (itr_load(&m, &src, 1, NULL, &diags) != 0) {
		itr_diags_sort(&diags);
		fprintf(stderr,
			"itorisk: warning: the base '%s' does not load (%zu problem%s), so every "
			"finding of the head counts as new:\n",
			path, itr_diags_count(&diags), itr_diags_count(&diags) == 1 ? "" : "s");
		for (size_t i = 0; i < diags.n; i++)
			fprintf(stderr, "  %s:%ld: %s\n", diags.v[i].file, diags.v[i].line,
				diags.v[i].message);
		m = NULL;
	}
	itr_diags_release(&diags);
	return m;
}

int cmd_diff(int argc, char **argv)
{
	const char *format = "text", *output = NULL, *as_of_opt = NULL, *fail_on = "none";
	const char *baseline_in = NULL, *model_path = NULL;
	bool quiet = false;
	const itr_opt opts[] = {
		{"format", 0, "FMT", "report format: text (default), json or sarif (added findings)",
		 &format, NULL},
		{"output", 'o', "FILE", "write the report to FILE, atomically (default: stdout)",
		 &output, NULL},
		{"as-of", 0, "DATE",
		 "evaluate both as of YYYY-MM-DD (default: the head's as-of, else today)", &as_of_opt,
		 NULL},
		{"fail-on", 0, "SEV",
		 "exit 1 if an added finding is at least SEV: critical, high, medium, low, info, "
		 "none (default)",
		 &fail_on, NULL},
		{"baseline", 0, "FILE", "ignore findings accepted in FILE, in base and head alike",
		 &baseline_in, NULL},
		{"model", 0, "FILE", "risk model for both sides, replacing the built-in one",
		 &model_path, NULL},
		{"quiet", 'q', NULL, "no progress line on stderr (shown only on a terminal, after 2 s)",
		 NULL, &quiet},
	};
	const itr_cmd_info info = {"diff", "BASE HEAD [options]",
				   "Compare the findings of two portfolios (say, the base and the head of a\n"
				   "pull request, checked out side by side): findings added and resolved,\n"
				   "matched by fingerprint (rule and logical key, not line or message), and\n"
				   "the vendors whose figures changed.",
				   opts, ITR_ARRAY_LEN(opts)};
	char **paths;
	size_t npaths;
	itr_model *base = NULL, *head = NULL;
	itr_audit abase, ahead;
	bool base_run = false, head_run = false, diffed = false;
	itr_baseline baseline;
	itr_diff diff;
	itr_buf report = ITR_BUF_INIT;
	itr_severity threshold = ITR_SEV_INFO;
	itr_riskmodel *risk = NULL;
	itr_audit_opts aopts = {.as_of = 0};
	itr_date as_of;
	int ret = itr_cli_parse(&info, argc, argv, &paths, &npaths);

	itr_baseline_init(&baseline);
	if (ret != 0) {
		free(paths);
		return ret > 0 ? ITR_EXIT_OK : ITR_EXIT_ERROR;
	}
	ret = ITR_EXIT_ERROR;
	if (npaths != 2) {
		itr_cli_error("'itorisk diff' needs exactly two paths, BASE and HEAD (see --help)");
		goto cleanup;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "sarif") != 0) {
		itr_cli_error("unknown format '%s' (text, json or sarif)", format);
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
	itr_cli_instrument(false, quiet);
	if (model_path && itr_cli_risk_model(&risk, model_path) != 0)
		goto cleanup;
	if (itr_cli_load(&head, paths + 1, 1) != 0)
		goto cleanup;
	if (baseline_in && itr_cli_baseline(&baseline, baseline_in, "compared") != 0)
		goto cleanup;
	base = load_base(paths[0]);
	/* one date for both, so that only the change shows, not the passing of time */
	if (itr_cli_as_of(as_of_opt, head, &as_of) != 0) {
		itr_cli_error("cannot determine the as-of date");
		goto cleanup;
	}
	head_run = true;
	aopts.as_of = as_of;
	aopts.risk = risk;
	if (itr_audit_run_opts(&ahead, head, &aopts) != 0) {
		itr_cli_error("graph analysis failed (out of memory?)");
		goto cleanup;
	}
	if (base) {
		base_run = true;
		if (itr_audit_run_opts(&abase, base, &aopts) != 0) {
			itr_cli_error("graph analysis failed (out of memory?)");
			goto cleanup;
		}
	}
	if (baseline_in) {
		itr_baseline_apply(&ahead, &baseline, NULL);
		if (base)
			itr_baseline_apply(&abase, &baseline, NULL);
	}
	itr_diff_compute(&diff, base ? &abase : NULL, &ahead);
	diffed = true;
	if (strcmp(format, "json") == 0)
		itr_report_diff_json(&report, &diff, paths[0], paths[1]);
	else if (strcmp(format, "sarif") == 0)
		itr_report_diff_sarif(&report, &diff);
	else
		itr_report_diff_text(&report, &diff, paths[0], paths[1]);
	if (itr_cli_write(output, &report) != 0)
		goto cleanup;
	ret = strcmp(fail_on, "none") != 0 && itr_diff_max_added(&diff) >= (int)threshold
		      ? ITR_EXIT_FINDINGS
		      : ITR_EXIT_OK;
cleanup:
	if (diffed)
		itr_diff_release(&diff);
	if (head_run)
		itr_audit_release(&ahead);
	if (base_run)
		itr_audit_release(&abase);
	itr_buf_release(&report);
	itr_baseline_release(&baseline);
	itr_model_free(base);
	itr_model_free(head);
	itr_riskmodel_free(risk);
	free(paths);
	return ret;
}
