/*
 * Every input a fuzz target (test/fuzz/) ever crashed, hung or leaked on,
 * replayed in the normal suite. test/fixtures/fuzz/MANIFEST lists each
 * reproducer as
 *
 *     TARGET  FILE  STATUS  [WORDS...]
 *
 * and each is run twice: through the library exactly as the fuzz target runs
 * it (fuzz.h: the same limits, the whole audit, every report and export;
 * under the sanitizer build any report fails the test), and through the
 * binary, which must exit with STATUS (0 loaded, 2 refused) and, when WORDS
 * are given, print them in a diagnostic.
 */
#include "fuzz/fuzz.h"
#include "helpers.h"

#include "itorisk/gate.h"

#include <criterion/criterion.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define FIXTURES ITR_SOURCE_DIR "/test/fixtures/fuzz"
#define BANK ITR_SOURCE_DIR "/samples/bank"
/* fuzz_multifile's separator and document names (test/fuzz/fuzz_multifile.c) */
#define SEP "\n--8<--\n"
static const char *const doc_names[] = {"a.xml", "b/b.xml", "c.xml", "d.xml"};

static void setup(void)
{
	fuzz_setup();
}

TestSuite(fuzz_regressions, .init = setup, .timeout = 120);

/* A whole file with its length (it may hold NUL bytes). */
static itr_buf read_file(const char *path)
{
	itr_buf b = ITR_BUF_INIT;
	FILE *f = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	cr_assert(f, "cannot read '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		itr_buf_add(&b, chunk, n);
	fclose(f);
	return b;
}

/* Split like fuzz_multifile: at most 4 documents, the last keeps further separators. */
static size_t split(itr_source *src, const itr_buf *b)
{
	const char *p = itr_buf_str(b), *end = p + b->len;
	const size_t seplen = strlen(SEP);
	size_t n = 0;

	while (n < 3) {
		const char *q = NULL;

		for (const char *s = p; (size_t)(end - s) >= seplen && !q; s++)
			if (memcmp(s, SEP, seplen) == 0)
				q = s;
		if (!q)
			break;
		src[n] = (itr_source){doc_names[n], p, (size_t)(q - p)};
		n++;
		p = q + seplen;
	}
	src[n] = (itr_source){doc_names[n], p, (size_t)(end - p)};
	return n + 1;
}

static itr_model *load_bank(void)
{
	itr_source src = {BANK, NULL, 0};
	itr_model *m = NULL;
	itr_diags d;

	itr_diags_init(&d);
	cr_assert_eq(itr_load(&m, &src, 1, NULL, &d), 0);
	itr_diags_release(&d);
	return m;
}

/*
 * The fuzz target's code path, in process. Returns 0 when the input loaded,
 * with *dated telling whether it gives its own as-of date; diags kept.
 */
static int replay(const char *target, const char *path, itr_diags *d, bool *dated)
{
	itr_buf data = read_file(path);
	itr_model *m = NULL, *bank = NULL;
	int ret;

	*dated = true; /* samples/bank gives one */
	if (strcmp(target, "fuzz_riskmodel") == 0) {
		itr_riskmodel *rm = NULL;

		ret = itr_riskmodel_load(&rm, path, d);
		if (ret == 0) {
			bank = load_bank();
			fuzz_audit(bank, rm);
		}
		itr_riskmodel_free(rm);
	} else if (strcmp(target, "fuzz_baseline") == 0) {
		itr_baseline bl;
		itr_audit a;
		itr_audit_opts o;
		itr_buf w = ITR_BUF_INIT;

		ret = itr_baseline_load(&bl, path, d);
		if (ret == 0) {
			bank = load_bank();
			o = (itr_audit_opts){.as_of = fuzz_as_of(bank)};
			cr_assert_eq(itr_audit_run_opts(&a, bank, &o), 0);
			itr_baseline_write(&w, &a, &bl);
			itr_baseline_apply(&a, &bl, NULL);
			fuzz_reports(&a);
			itr_audit_release(&a);
			itr_buf_release(&w);
		}
		itr_baseline_release(&bl);
	} else {
		itr_source src[4] = {{path, itr_buf_str(&data), data.len}};
		size_t n = strcmp(target, "fuzz_multifile") == 0 ? split(src, &data) : 1;

		cr_assert(data.len <= FUZZ_MAX_INPUT, "the fuzz targets skip inputs over 256 KiB");
		ret = itr_load(&m, src, n, &fuzz_limits, d);
		if (ret == 0) {
			*dated = m->as_of != ITR_DATE_NONE;
			fuzz_audit(m, NULL);
		}
	}
	itr_model_free(m);
	itr_model_free(bank);
	itr_buf_release(&data);
	return ret;
}

/* Run `itorisk ARGS`; returns its exit status, stderr in *err (caller frees). */
static int run(char **err, const char *dir, const char *args)
{
	itr_buf cmd = ITR_BUF_INIT, e = ITR_BUF_INIT;
	int st;

	itr_buf_printf(&e, "%s/stderr", dir);
	itr_buf_printf(&cmd, "'%s' %s >/dev/null 2>'%s' </dev/null", ITR_BINARY, args, e.s);
	st = system(cmd.s);
	cr_assert(WIFEXITED(st), "itorisk did not exit normally: %s", cmd.s);
	*err = t_read(e.s);
	itr_buf_release(&cmd);
	itr_buf_release(&e);
	return WEXITSTATUS(st);
}

/*
 * The binary on the reproducer, in every output format; each must give
 * `status`. Undated portfolios are audited at the fuzz targets' date.
 */
static void run_binary(const char *target, const char *path, int status, const char *words,
		       bool dated)
{
	static const char *const formats[] = {
		"audit --format text",   "audit --format json",  "audit --format sarif",
		"audit --format github", "audit --format gitlab", "audit --format junit",
		"graph --format dot",    "graph --format graphml", "graph --format openpsa",
	};
	char *dir = t_tmpdir();
	itr_buf inputs = ITR_BUF_INIT;

	if (strcmp(target, "fuzz_riskmodel") == 0) {
		itr_buf_printf(&inputs, "'%s' --model '%s'", BANK, path);
	} else if (strcmp(target, "fuzz_baseline") == 0) {
		itr_buf_printf(&inputs, "'%s' --baseline '%s'", BANK, path);
	} else if (strcmp(target, "fuzz_multifile") == 0) {
		itr_buf data = read_file(path), docs = ITR_BUF_INIT;
		itr_source src[4];
		size_t n = split(src, &data);

		itr_buf_printf(&docs, "%s/docs", dir);
		cr_assert_eq(mkdir(docs.s, 0700), 0);
		itr_buf_printf(&docs, "/b");
		cr_assert_eq(mkdir(docs.s, 0700), 0);
		docs.s[docs.len -= 2] = '\0';
		for (size_t i = 0; i < n; i++)
			free(t_write(docs.s, src[i].path, src[i].data, src[i].len));
		itr_buf_printf(&inputs, "'%s'", docs.s);
		itr_buf_release(&docs);
		itr_buf_release(&data);
	} else {
		itr_buf_printf(&inputs, "'%s'", path);
	}
	for (size_t i = 0; i < ITR_ARRAY_LEN(formats); i++) {
		itr_buf args = ITR_BUF_INIT;
		char *err;
		int got;

		/* graph takes neither --model nor --baseline */
		if (strncmp(formats[i], "graph", 5) == 0 &&
		    (strcmp(target, "fuzz_riskmodel") == 0 || strcmp(target, "fuzz_baseline") == 0))
			continue;
		itr_buf_printf(&args, "%s%s%s %s", formats[i], dated ? "" : " --as-of ",
			       dated ? "" : FUZZ_AS_OF, inputs.s);
		got = run(&err, dir, args.s);
		cr_expect_eq(got, status, "itorisk %s: exit %d, expected %d\nstderr:\n%s", args.s, got,
			     status, err);
		if (words[0])
			cr_expect(strstr(err, words), "itorisk %s: no '%s' in\n%s", args.s, words, err);
		free(err);
		itr_buf_release(&args);
	}
	itr_buf_release(&inputs);
	t_rmtree(dir);
	free(dir);
}

Test(fuzz_regressions, every_reproducer_runs_clean)
{
	char *manifest = t_read(FIXTURES "/MANIFEST");
	char *save = NULL;
	size_t cases = 0;

	cr_assert(manifest, "no " FIXTURES "/MANIFEST");
	for (char *line = strtok_r(manifest, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char target[64], file[256], words[256] = "";
		itr_buf path = ITR_BUF_INIT;
		itr_diags d;
		int status, n;
		bool loaded, dated;
		char *why;

		if (line[0] == '#' || line[0] == '\0')
			continue;
		n = sscanf(line, "%63s %255s %d %255[^\n]", target, file, &status, words);
		cr_assert(n >= 3, "bad MANIFEST line: %s", line);
		itr_buf_printf(&path, FIXTURES "/%s", file);
		itr_diags_init(&d);
		loaded = replay(target, path.s, &d, &dated) == 0;
		why = t_all_diags(&d);
		cr_expect_eq(loaded, status == 0, "%s through %s: %s, expected %s\n%s", file, target,
			     loaded ? "loaded" : "refused", status == 0 ? "to load" : "a refusal", why);
		free(why);
		run_binary(target, path.s, status, words, dated);
		itr_diags_release(&d);
		itr_buf_release(&path);
		cases++;
	}
	cr_log_info("%zu reproducers", cases);
	free(manifest);
}
