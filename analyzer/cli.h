/*
 * Command-line plumbing shared by the cmd_*.c files: a declarative option
 * table that drives both parsing and --help, loading the PATH arguments,
 * and writing a finished report atomically.
 */
#ifndef ITORISK_CLI_H
#define ITORISK_CLI_H

#include "itorisk/load.h"
#include "itorisk/riskmodel.h"
#include "itorisk/util.h"

#include <stdbool.h>

enum { ITR_EXIT_OK = 0, ITR_EXIT_FINDINGS = 1, ITR_EXIT_ERROR = 2 };

typedef struct itr_opt {
	const char *name;      /* long name without dashes */
	char short_name;       /* 0 for none */
	const char *arg;       /* name of the argument, NULL for a flag */
	const char *help;
	const char **value;    /* where an argument goes */
	bool *flag;            /* where a flag goes */
} itr_opt;

typedef struct itr_cmd_info {
	const char *name;
	const char *usage;     /* e.g. "PATH... [options]" */
	const char *summary;
	const itr_opt *opts;
	size_t nopts;
} itr_cmd_info;

/*
 * Parse argv (argv[0] is the command name). Positional arguments are
 * collected into *pos (caller frees the array, not the strings). Returns 0,
 * 1 when --help was given (usage printed to stdout), or -1 after printing a
 * usage error to stderr.
 */
int itr_cli_parse(const itr_cmd_info *cmd, int argc, char **argv, char ***pos, size_t *npos);
void itr_cli_usage(const itr_cmd_info *cmd, FILE *fp);
int itr_cli_error(const char *fmt, ...) ITR_PRINTF(1, 2); /* prints, returns ITR_EXIT_ERROR */

/* Start the run's instrumentation: stage timings for --timings, and the
 * progress line on stderr when it is a terminal and --quiet was not given. */
void itr_cli_instrument(bool timings, bool quiet);

/* Load the PATH arguments; on failure print every diagnostic to stderr and return -1. */
int itr_cli_load(itr_model **out, char **paths, size_t npaths);

/* Load --model FILE (NULL: the built-in model); on failure print every
 * diagnostic and return -1. *out is the caller's (itr_riskmodel_free()). */
int itr_cli_risk_model(itr_riskmodel **out, const char *path);

/* Load --baseline FILE; on failure print every problem, then "nothing was
 * <what>", and return -1. */
struct itr_baseline;
int itr_cli_baseline(struct itr_baseline *out, const char *path, const char *what);

/* Parse --order N (1..4); -1 after printing why. */
int itr_cli_order(const char *text, unsigned *out);

/* The as-of date: --as-of if given, else the portfolio's, else today (UTC). -1 if malformed. */
int itr_cli_as_of(const char *opt, const itr_model *m, itr_date *out);

/*
 * Write the report to path ("-" or NULL = stdout). A regular file is
 * replaced atomically (temporary file beside it, then rename), so a failed
 * run never leaves a partial file; other targets (a terminal, a pipe,
 * /dev/null) are written directly. Returns 0, or -1 after printing why.
 */
int itr_cli_write(const char *path, const itr_buf *report);
/* The same for a report in parts, written one after the other. */
int itr_cli_write_parts(const char *path, const itr_buf *const *parts, size_t n);

#endif
