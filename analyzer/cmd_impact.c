/* itorisk impact PATH... --fail ID|country:CC ...: what goes down, and why. */
#include "cli.h"
#include "cmds.h"
#include "itorisk/impact.h"

#include <stdlib.h>
#include <string.h>

/*
 * --fail may be given many times (and each value may list several targets,
 * comma-separated), which the option table keeps only once: take every
 * occurrence out of argv before parsing the rest. Values are copied to
 * *vals (caller frees each and the array); the remaining arguments go to
 * *rest (caller frees the array only). Returns -1 on a missing value.
 */
static int take_fail_options(int argc, char **argv, char ***vals, size_t *nvals, char ***rest,
			     int *nrest)
{
	size_t cap = 0;
	bool only_paths = false;

	*vals = NULL;
	*nvals = 0;
	*rest = itr_xcalloc((size_t)argc + 1, sizeof(**rest));
	*nrest = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		char *copy, *save = NULL;

		if (i == 0 || only_paths || strncmp(a, "--fail", 6) != 0 ||
		    (a[6] != '\0' && a[6] != '=')) {
			only_paths = only_paths || (i > 0 && strcmp(a, "--") == 0);
			(*rest)[(*nrest)++] = argv[i];
			continue;
		}
		if (a[6] == '=')
			v = a + 7;
		else if (i + 1 < argc)
			v = argv[++i];
		if (!v || !*v) {
			itr_cli_error("option '--fail' needs a value (ID or country:CC)");
			return -1;
		}
		copy = itr_xstrdup(v);
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			ITR_GROW(*vals, cap, *nvals + 1);
			(*vals)[(*nvals)++] = itr_xstrdup(t);
		}
		free(copy);
	}
	return 0;
}

/* Sort and deduplicate, so the report does not depend on the order given. */
static size_t sort_unique(const char **v, size_t n)
{
	size_t k = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), itr_strcmp_p);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	return k;
}

/* Split the values into ids and countries and check them against the model. */
static int build_request(itr_impact_request *req, char **vals, size_t nvals, const itr_model *m)
{
	int ret = 0;

	req->ids = itr_xcalloc(nvals + 1, sizeof(*req->ids));
	req->countries = itr_xcalloc(nvals + 1, sizeof(*req->countries));
	for (size_t i = 0; i < nvals; i++) {
		const char *v = vals[i];

		if (strncmp(v, "country:", 8) == 0) {
			if (!itr_country_valid(v + 8))
				ret = itr_cli_error("bad country '%s' for --fail (country:CC, two "
						    "capital letters, ISO 3166-1 alpha-2)",
						    v + 8);
			else
				req->countries[req->ncountries++] = v + 8;
		} else if (m && itr_model_find(m, v) == ITR_NONE) {
			if (itr_model_find_contract(m, v) != ITR_NONE)
				ret = itr_cli_error("'%s' is a contract, not a vendor or service: fail "
						    "its vendor or the services it covers",
						    v);
			else
				ret = itr_cli_error("unknown element '%s' for --fail (no vendor or "
						    "service has this id)",
						    v);
		} else {
			req->ids[req->nids++] = v;
		}
	}
	req->nids = sort_unique(req->ids, req->nids);
	req->ncountries = sort_unique(req->countries, req->ncountries);
	return ret ? -1 : 0;
}

int cmd_impact(int argc, char **argv)
{
	const char *format = "text", *output = NULL, *fail_doc = NULL;
	bool quiet = false;
	const itr_opt opts[] = {
		{"fail", 0, "ID|country:CC",
		 "fail this vendor or service, or every vendor based in and every service "
		 "delivered from country CC; repeat it (or separate with commas) to fail several",
		 &fail_doc, NULL},
		{"format", 0, "FMT", "report format: text (default) or json", &format, NULL},
		{"output", 'o', "FILE", "write the report to FILE, atomically (default: stdout)",
		 &output, NULL},
		{"quiet", 'q', NULL, "no progress line on stderr (shown only on a terminal, after 2 s)",
		 NULL, &quiet},
	};
	const itr_cmd_info info = {"impact", "PATH... --fail ID|country:CC [--fail ...] [options]",
				   "What-if analysis: fail vendors, services or whole countries and list\n"
				   "everything that goes down (SPEC section 2), critical services first, each\n"
				   "with the chain of links that explains why.",
				   opts, ITR_ARRAY_LEN(opts)};
	char **vals = NULL, **rest = NULL, **paths = NULL;
	size_t nvals = 0, npaths = 0;
	int nrest = 0, ret = ITR_EXIT_ERROR;
	itr_model *m = NULL;
	itr_impact_request req = {0};
	itr_impact imp;
	itr_failnet net;
	itr_buf report = ITR_BUF_INIT;
	bool computed = false;

	if (take_fail_options(argc, argv, &vals, &nvals, &rest, &nrest) != 0)
		goto cleanup;
	ret = itr_cli_parse(&info, nrest, rest, &paths, &npaths);
	if (ret != 0) {
		ret = ret > 0 ? ITR_EXIT_OK : ITR_EXIT_ERROR;
		goto cleanup;
	}
	ret = ITR_EXIT_ERROR;
	if (npaths == 0) {
		itr_cli_error("'itorisk impact' needs at least one PATH (see --help)");
		goto cleanup;
	}
	if (nvals == 0) {
		itr_cli_error("'itorisk impact' needs at least one --fail ID|country:CC");
		goto cleanup;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		itr_cli_error("unknown format '%s' (text or json)", format);
		goto cleanup;
	}
	/* usage errors first, before loading anything */
	if (build_request(&req, vals, nvals, NULL) != 0)
		goto cleanup;
	free(req.ids);
	free(req.countries);
	memset(&req, 0, sizeof(req));
	itr_cli_instrument(false, quiet);
	if (itr_cli_load(&m, paths, npaths) != 0)
		goto cleanup;
	if (build_request(&req, vals, nvals, m) != 0)
		goto cleanup;
	itr_failnet_build(&net, m);
	itr_impact_compute(&imp, m, &net, &req);
	computed = true;
	if (strcmp(format, "json") == 0)
		itr_report_impact_json(&report, m, &imp, &req);
	else
		itr_report_impact_text(&report, m, &imp, &req);
	if (imp.nfailed == 0)
		fprintf(stderr, "itorisk: warning: nothing in the portfolio matches what was failed\n");
	if (itr_cli_write(output, &report) == 0)
		ret = ITR_EXIT_OK;
cleanup:
	if (computed) {
		itr_impact_release(&imp);
		itr_failnet_release(&net);
	}
	itr_buf_release(&report);
	itr_model_free(m);
	free(req.ids);
	free(req.countries);
	for (size_t i = 0; i < nvals; i++)
		free(vals[i]);
	free(vals);
	free(rest);
	free(paths);
	return ret;
}
