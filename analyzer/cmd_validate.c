/* itorisk validate PATH...: schema and integrity only. */
#include "cli.h"
#include "cmds.h"

#include <stdlib.h>

int cmd_validate(int argc, char **argv)
{
	bool quiet = false;
	const itr_opt opts[] = {
		{"quiet", 'q', NULL, "print nothing when the input is valid, and no progress line",
		 NULL, &quiet},
	};
	const itr_cmd_info info = {"validate", "PATH...",
				   "Check portfolio files (or directories of them) against the schema and\n"
				   "the integrity rules; print every problem as FILE:LINE:COL: error: ...",
				   opts, ITR_ARRAY_LEN(opts)};
	char **paths;
	size_t npaths;
	itr_model *m = NULL;
	int ret = itr_cli_parse(&info, argc, argv, &paths, &npaths);

	if (ret != 0) {
		free(paths);
		return ret > 0 ? ITR_EXIT_OK : ITR_EXIT_ERROR;
	}
	if (npaths == 0) {
		free(paths);
		return itr_cli_error("'itorisk validate' needs at least one PATH (see --help)");
	}
	ret = ITR_EXIT_ERROR;
	itr_cli_instrument(false, quiet);
	if (itr_cli_load(&m, paths, npaths) == 0) {
		if (!quiet)
			printf("ok: %zu files, %zu vendors, %zu services, %zu contracts\n", m->nfiles,
			       m->nvendors, m->nservices, m->ncontracts);
		ret = fflush(stdout) == 0 ? ITR_EXIT_OK
					  : itr_cli_error("cannot write to standard output");
	}
	itr_model_free(m);
	free(paths);
	return ret;
}
