/*
 * itorisk: vendor-risk and dependency analysis for IT outsourcing.
 * The command table maps subcommands to their cmd_* functions (see cli.h).
 */
#include "cli.h"
#include "cmds.h"
#include "itorisk/graph.h"

#include <string.h>

#include <libxml/parser.h>

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"validate", cmd_validate, "check schema and integrity only"},
	{"audit", cmd_audit, "run every analysis and report findings"},
	{"impact", cmd_impact, "what-if: what goes down when vendors, services or countries fail"},
	{"diff", cmd_diff, "findings added and resolved between two portfolios (CI gate)"},
	{"graph", cmd_graph, "risk diagram (Graphviz DOT), GraphML or Open-PSA fault tree"},
};

static void usage(FILE *fp)
{
	fputs("usage: itorisk COMMAND [PATH...] [options]\n\ncommands:\n", fp);
	for (size_t i = 0; i < ITR_ARRAY_LEN(commands); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'itorisk COMMAND --help' describes a command's options.\n"
	      "exit status: 0 success, 1 findings at or above --fail-on, 2 bad usage or bad input\n",
	      fp);
}

int main(int argc, char **argv)
{
	int ret;

	if (argc < 2) {
		usage(stderr);
		return ITR_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return ITR_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("itorisk %s\n", ITR_VERSION);
		return ITR_EXIT_OK;
	}
	for (size_t i = 0; i < ITR_ARRAY_LEN(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		LIBXML_TEST_VERSION
		itr_graph_setup();
		ret = commands[i].fn(argc - 1, argv + 1);
		xmlCleanupParser();
		return ret;
	}
	itr_cli_error("unknown command '%s' (see 'itorisk --help')", argv[1]);
	return ITR_EXIT_ERROR;
}
