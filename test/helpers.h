/* Shared by the Criterion tests: load portfolios from strings, read results by id. */
#ifndef ITORISK_TEST_HELPERS_H
#define ITORISK_TEST_HELPERS_H

#include "itorisk/audit.h"
#include "itorisk/load.h"

/* Wrap elements in a portfolio root. Caller frees. */
char *t_portfolio(const char *body);

/* Load one in-memory document named "mem.xml"; NULL on failure with diags filled. */
itr_model *t_load_string(const char *xml, itr_diags *diags);
/* Same, asserting success (prints the diagnostics otherwise). */
itr_model *t_load_ok(const char *body);
/* Load files and directories from disk. */
itr_model *t_load_paths(const char *const *paths, size_t n, itr_diags *diags);

/*
 * SPEC §2 read literally, independently of failnet.c: starting from the
 * elements marked in down[] (m->nelems entries), apply the rules until
 * nothing changes. Monotone, so this reaches the least fixed point.
 */
void t_naive_down(const itr_model *m, unsigned char *down);

struct itr_gen_params;

/* The files of a generated portfolio (test/gen), in memory. */
typedef struct t_docs {
	char **text;
	size_t *len;
	char **name;
	size_t n;
} t_docs;

/* Write every file of p into memory; in reverse order when `backwards` (a
 * file's bytes must not depend on the files written before it). */
t_docs t_gen_docs(const struct itr_gen_params *p, bool backwards);
void t_docs_free(t_docs *d);

/* A random portfolio from the generator (test/gen), loaded from memory. */
itr_model *t_random_model(const struct itr_gen_params *p);

/* Load samples/NAME, asserting success. */
itr_model *t_load_sample(const char *name);
/* Audit samples/NAME at its own as-of date and list the findings whose rule
 * `keep` accepts, one per line: "rule severity subject file:line" (the file
 * without its directory). Caller frees. */
char *t_sample_findings(const char *name, bool (*keep)(const char *rule));

/* "a b c": ids of an element list, space separated. Caller frees. */
char *t_ids(const itr_model *m, const itr_idlist *l);
/* essential(S) as "a b c", from a computed itr_spof. Caller frees. */
char *t_essential(const itr_model *m, const itr_spof *s, const char *service);
/* The ids down after failing the space-separated ids in `failed`, as "a b c". Caller frees. */
char *t_down_after(const itr_model *m, const char *failed);

/* The first diagnostic's text as "FILE:LINE: MESSAGE" (or "" when none). Caller frees. */
char *t_first_diag(const itr_diags *d);
/* True if some diagnostic has this line and its message contains `needle`. */
bool t_has_diag(const itr_diags *d, long line, const char *needle);
/* All diagnostics, one per line, for failure messages. Caller frees. */
char *t_all_diags(const itr_diags *d);

/* A fresh temporary directory (caller removes it with t_rmtree). Caller frees. */
char *t_tmpdir(void);
/* A fresh temporary directory for each test of a suite: t_dir, made by
 * t_dir_setup() and removed with everything in it by t_dir_teardown()
 * (TestSuite(name, .init = t_dir_setup, .fini = t_dir_teardown)). */
extern char *t_dir;
void t_dir_setup(void);
void t_dir_teardown(void);
void t_rmtree(const char *dir);
/* Write a file; returns its path (caller frees). */
char *t_write(const char *dir, const char *name, const char *content, size_t len);
/* Write a NUL-terminated string as a file; returns its path (caller frees). */
char *t_write_str(const char *dir, const char *name, const char *content);
/* Read a whole file into a string, or NULL. Caller frees. */
char *t_read(const char *path);

#endif
