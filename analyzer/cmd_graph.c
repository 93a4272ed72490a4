/* itorisk graph PATH... [options]: risk diagram (DOT), GraphML, Open-PSA fault tree. */
#include "cli.h"
#include "cmds.h"
#include "itorisk/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A non-negative decimal depth; 0 on success. */
static int parse_depth(const char *s, long *out)
{
	char *end;
	long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

int cmd_graph(int argc, char **argv)
{
	const char *format = "dot", *output = NULL, *as_of_opt = NULL, *cluster = "group";
	const char *focus = NULL, *depth = NULL, *events = "sla", *model_path = NULL;
	bool all = false, exact_betweenness = false, quiet = false;
	const itr_opt opts[] = {
		{"format", 0, "FMT", "dot (default), graphml or openpsa", &format, NULL},
		{"output", 'o', "FILE", "write to FILE, atomically (default: stdout)", &output, NULL},
		{"as-of", 0, "DATE", "evaluate as of YYYY-MM-DD (default: the portfolio's, else today)",
		 &as_of_opt, NULL},
		{"cluster", 0, "BY", "dot: box vendors by corporate group (default), country or none",
		 &cluster, NULL},
		{"focus", 0, "ID",
		 "a service's dependency cone, or a vendor's blast radius (openpsa: its top event)",
		 &focus, NULL},
		{"depth", 0, "N", "with --focus: follow at most N links", &depth, NULL},
		{"all", 0, NULL, "dot: collapse nothing, show every element", NULL, &all},
		{"events", 0, "WHICH",
		 "openpsa: basic events for elements with an SLA (sla, default) or for all elements",
		 &events, NULL},
		{"model", 0, "FILE", "risk model replacing the built-in one (colours follow its findings)",
		 &model_path, NULL},
		{"exact-betweenness", 0, NULL,
		 "graphml: betweenness over all pairs, O(N*L) (default: paths from critical and "
		 "important services)",
		 NULL, &exact_betweenness},
		{"quiet", 'q', NULL, "no progress line on stderr (shown only on a terminal, after 2 s)",
		 NULL, &quiet},
	};
	const itr_cmd_info info = {
		"graph", "PATH... [options]",
		"Draw the portfolio's dependency risk as a Graphviz diagram, or export it as\n"
		"GraphML (yEd, Gephi, Neo4j) or as an Open-PSA MEF fault tree (SCRAM).",
		opts, ITR_ARRAY_LEN(opts)};
	char **paths;
	size_t npaths;
	itr_model *m = NULL;
	itr_audit audit;
	itr_graph_opts go;
	itr_buf report = ITR_BUF_INIT, title = ITR_BUF_INIT;
	itr_date as_of;
	char date[11], *err = NULL;
	itr_riskmodel *risk = NULL;
	itr_audit_opts aopts = {.as_of = 0};
	bool audited = false;
	int ret = itr_cli_parse(&info, argc, argv, &paths, &npaths);

	if (ret != 0) {
		free(paths);
		return ret > 0 ? ITR_EXIT_OK : ITR_EXIT_ERROR;
	}
	ret = ITR_EXIT_ERROR;
	itr_graph_opts_init(&go);
	go.all = all;
	if (npaths == 0) {
		itr_cli_error("'itorisk graph' needs at least one PATH (see --help)");
		goto cleanup;
	}
	if (strcmp(format, "dot") != 0 && strcmp(format, "graphml") != 0 &&
	    strcmp(format, "openpsa") != 0) {
		itr_cli_error("unknown format '%s' (dot, graphml or openpsa)", format);
		goto cleanup;
	}
	if (strcmp(cluster, "group") == 0) {
		go.cluster = ITR_CLUSTER_GROUP;
	} else if (strcmp(cluster, "country") == 0) {
		go.cluster = ITR_CLUSTER_COUNTRY;
	} else if (strcmp(cluster, "none") == 0) {
		go.cluster = ITR_CLUSTER_NONE;
	} else {
		itr_cli_error("unknown cluster '%s' (group, country or none)", cluster);
		goto cleanup;
	}
	if (strcmp(events, "all") == 0) {
		go.all_events = true;
	} else if (strcmp(events, "sla") != 0) {
		itr_cli_error("unknown events '%s' (sla or all)", events);
		goto cleanup;
	}
	if (depth && parse_depth(depth, &go.depth) != 0) {
		itr_cli_error("bad depth '%s' (a number, 0 or more)", depth);
		goto cleanup;
	}
	if (depth && !focus) {
		itr_cli_error("--depth needs --focus");
		goto cleanup;
	}
	if (as_of_opt && itr_date_parse(as_of_opt, &as_of) != 0) {
		itr_cli_error("bad date '%s' for --as-of (YYYY-MM-DD)", as_of_opt);
		goto cleanup;
	}
	itr_cli_instrument(false, quiet);
	if (model_path && itr_cli_risk_model(&risk, model_path) != 0)
		goto cleanup;
	if (itr_cli_load(&m, paths, npaths) != 0)
		goto cleanup;
	if (focus) {
		go.focus = itr_model_find(m, focus);
		if (go.focus == ITR_NONE) {
			itr_cli_error("--focus: no service or vendor '%s' in the portfolio", focus);
			goto cleanup;
		}
	}
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
	itr_date_format(as_of, date);
	itr_buf_printf(&title, "as of %s", date);
	go.title = itr_buf_str(&title);
	if (strcmp(format, "dot") == 0) {
		itr_report_dot(&report, &audit, &go);
	} else if (strcmp(format, "graphml") == 0) {
		itr_report_graphml(&report, &audit, &go);
	} else if (itr_export_openpsa(&report, &audit, &go, &err) != 0) {
		itr_cli_error("%s", err);
		goto cleanup;
	}
	if (itr_cli_write(output, &report) != 0)
		goto cleanup;
	ret = ITR_EXIT_OK;
cleanup:
	if (audited)
		itr_audit_release(&audit);
	itr_riskmodel_free(risk);
	free(err);
	itr_buf_release(&report);
	itr_buf_release(&title);
	itr_model_free(m);
	free(paths);
	return ret;
}
