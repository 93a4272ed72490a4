/*
 * Shared by the CI-gate tests (test_sarif.c, test_gate.c, test_baseline.c,
 * test_diff.c, test_impact.c): run the real binary through the shell and
 * capture its streams, in a fresh temporary directory per test.
 */
#ifndef ITORISK_TEST_GATETEST_H
#define ITORISK_TEST_GATETEST_H

#include "helpers.h"
#include "tjson.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *g_dir; /* the test's temporary directory */

static inline void g_setup(void)
{
	g_dir = t_tmpdir();
	cr_assert_eq(chdir(ITR_SOURCE_DIR), 0);
}

static inline void g_teardown(void)
{
	t_rmtree(g_dir);
	free(g_dir);
}

typedef struct g_out {
	int status;
	char *out, *err;
} g_out;

/* Run `itorisk ARGS` (ARGS may use the shell) from the source directory. */
static inline g_out g_run(const char *fmt, ...) ITR_PRINTF(1, 2);

static inline g_out g_run(const char *fmt, ...)
{
	itr_buf cmd = ITR_BUF_INIT, args = ITR_BUF_INIT, o = ITR_BUF_INIT, e = ITR_BUF_INIT;
	va_list ap;
	g_out r;
	int st;

	va_start(ap, fmt);
	itr_buf_vprintf(&args, fmt, ap);
	va_end(ap);
	itr_buf_printf(&o, "%s/.stdout", g_dir);
	itr_buf_printf(&e, "%s/.stderr", g_dir);
	itr_buf_printf(&cmd, "'%s' %s >'%s' 2>'%s' </dev/null", ITR_BINARY, args.s, o.s, e.s);
	st = system(cmd.s);
	cr_assert(WIFEXITED(st), "itorisk did not exit normally: %s", cmd.s);
	r.status = WEXITSTATUS(st);
	r.out = t_read(o.s);
	r.err = t_read(e.s);
	cr_assert_neq(r.status, 86, "a sanitizer report:\n%s", r.err);
	itr_buf_release(&cmd);
	itr_buf_release(&args);
	itr_buf_release(&o);
	itr_buf_release(&e);
	return r;
}

static inline void g_free(g_out *r)
{
	free(r->out);
	free(r->err);
}

static inline void g_expect_status(const char *what, g_out r, int want)
{
	cr_expect_eq(r.status, want, "%s: exit %d, expected %d\nstderr:\n%s", what, r.status, want,
		     r.err);
	g_free(&r);
}

static inline bool g_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* A shell command that must succeed. */
static inline void g_sh(const char *fmt, ...) ITR_PRINTF(1, 2);

static inline void g_sh(const char *fmt, ...)
{
	itr_buf cmd = ITR_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	itr_buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	cr_assert_eq(system(cmd.s), 0, "command failed: %s", cmd.s);
	itr_buf_release(&cmd);
}

/* "DIR/name" in the test's directory. Caller frees. */
static inline char *g_path(const char *name)
{
	itr_buf b = ITR_BUF_INIT;

	itr_buf_printf(&b, "%s/%s", g_dir, name);
	return itr_buf_detach(&b);
}

#endif
