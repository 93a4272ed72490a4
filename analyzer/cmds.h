/* The subcommands; each takes argv with its own name in argv[0]. */
#ifndef ITORISK_CMDS_H
#define ITORISK_CMDS_H

int cmd_validate(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_impact(int argc, char **argv);
int cmd_graph(int argc, char **argv);

#endif
