/*
 * Inputs that once made itorisk slow, through the binary.
 *
 * A long file in which every element breaks the schema: libxml2 stores line
 * 65535 for every element past that line, and raising an error on such a
 * node made it search the node's following siblings for a usable line, so
 * 280,000 bad elements (10 MB) took over 40 minutes. Now about a second.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

TestSuite(hardening, .init = t_dir_setup, .fini = t_dir_teardown, .timeout = 120);

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

Test(hardening, many_schema_errors_past_line_65535_stay_fast)
{
	itr_buf b = ITR_BUF_INIT, cmd = ITR_BUF_INIT;
	char *path, *err;
	double t;
	int st;

	itr_buf_puts(&b, "<portfolio xmlns='urn:itorisk:portfolio:1'>\n");
	for (int i = 0; i < 270000; i++)
		itr_buf_puts(&b, "<vendor id='v' name='V' a='' b=''/>\n");
	itr_buf_puts(&b, "</portfolio>\n");
	path = t_write(t_dir, "bad.xml", b.s, b.len);
	itr_buf_printf(&cmd, "'%s' validate '%s' 2>'%s/err'", ITR_BINARY, path, t_dir);
	t = now();
	st = system(cmd.s);
	t = now() - t;
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "exit 2");
	/* generous for the sanitizer build; it took over 40 minutes before */
	cr_expect(t < 60, "took %.1f s", t);
	itr_buf_release(&cmd);
	itr_buf_printf(&cmd, "%s/err", t_dir);
	err = t_read(cmd.s);
	cr_assert_not_null(err);
	/* every element's two attributes, the first ones listed with their lines */
	cr_expect(strstr(err, "bad.xml:2: error: Element 'vendor', attribute 'a'") != NULL, "%.300s",
		  err);
	cr_expect(strstr(err, "itorisk: 540000 errors; nothing was analysed") != NULL, "%s",
		  strlen(err) > 200 ? err + strlen(err) - 200 : err);
	free(err);
	free(path);
	itr_buf_release(&cmd);
	itr_buf_release(&b);
}
