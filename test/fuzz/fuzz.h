/*
 * Shared by the libFuzzer targets (test/fuzz/fuzz_*.c): one-time setup, the
 * bounds every target applies, and "the rest of the pipeline" after a model
 * has loaded — the whole audit, then every report and export into buffers
 * that are thrown away. Only built with -DITR_FUZZ=ON (clang).
 *
 * Every target frees everything it allocates per input: LeakSanitizer is on.
 * State kept for the whole process (a temporary file, a reference model) is
 * reachable through statics, which LeakSanitizer does not report.
 */
#ifndef ITR_FUZZ_H
#define ITR_FUZZ_H

#include "itorisk/export.h"
#include "itorisk/graph.h"
#include "itorisk/load.h"
#include "itorisk/report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs above this are rejected up front: a single run must stay fast. */
#define FUZZ_MAX_INPUT (256u << 10)

/* Small caps so that no input can make one run take seconds. */
static const itr_limits fuzz_limits = {
	.max_file_bytes = FUZZ_MAX_INPUT,
	.max_total_bytes = FUZZ_MAX_INPUT,
	.max_elements = 5000,
	.max_files = 8,
	.max_dir_depth = 4,
};

/* Evaluation date when the portfolio gives none: fixed, so runs reproduce. */
#define FUZZ_AS_OF "2026-06-30"

static FILE *fuzz_devnull;

/* igraph's handlers (its default aborts) and a sink for diagnostics. Once per process. */
static inline void fuzz_setup(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	itr_graph_setup();
	fuzz_devnull = fopen("/dev/null", "w");
	if (!fuzz_devnull)
		abort();
}

/* Print diagnostics the way the command line does, into /dev/null. */
static inline void fuzz_diags(itr_diags *d)
{
	itr_diags_sort(d);
	itr_diags_print(d, fuzz_devnull);
}

/* Every reporter and export of an audit, each into its own buffer. */
static inline void fuzz_reports(const itr_audit *a)
{
	static void (*const reporters[])(itr_buf *, const itr_audit *) = {
		itr_report_text,   itr_report_json,   itr_report_sarif,
		itr_report_github, itr_report_gitlab, itr_report_junit,
	};
	itr_graph_opts go;
	itr_buf b;
	char *err = NULL;

	for (size_t i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++) {
		itr_buf_init(&b);
		reporters[i](&b, a);
		itr_buf_release(&b);
	}
	itr_graph_opts_init(&go);
	itr_buf_init(&b);
	itr_report_dot(&b, a, &go);
	itr_buf_release(&b);
	itr_buf_init(&b);
	itr_report_graphml(&b, a, &go);
	itr_buf_release(&b);
	itr_buf_init(&b);
	if (itr_export_openpsa(&b, a, &go, &err) != 0)
		free(err);
	itr_buf_release(&b);
}

/* The date an audit of m runs at: the portfolio's, else FUZZ_AS_OF. */
static inline itr_date fuzz_as_of(const itr_model *m)
{
	itr_date d;

	if (m->as_of != ITR_DATE_NONE)
		return m->as_of;
	if (itr_date_parse(FUZZ_AS_OF, &d) != 0)
		abort();
	return d;
}

/* Audit a loaded model (risk may be NULL) and render every report. */
static inline void fuzz_audit(const itr_model *m, const itr_riskmodel *risk)
{
	itr_audit a;
	itr_audit_opts o = {.as_of = fuzz_as_of(m), .risk = risk};

	if (itr_audit_run_opts(&a, m, &o) == 0)
		fuzz_reports(&a);
	itr_audit_release(&a);
}

/* Load the in-memory documents, then audit and report when they load. */
static inline void fuzz_load_audit(const itr_source *src, size_t n)
{
	itr_model *m = NULL;
	itr_diags d;

	itr_diags_init(&d);
	if (itr_load(&m, src, n, &fuzz_limits, &d) == 0)
		fuzz_audit(m, NULL);
	else
		fuzz_diags(&d);
	itr_model_free(m);
	itr_diags_release(&d);
}

/* samples/bank, loaded once and kept for the whole process (the targets
 * that fuzz what is applied to an audit: risk models, baselines). */
static inline const itr_model *fuzz_bank(void)
{
	static itr_model *bank;

	if (!bank) {
		itr_source src = {ITR_SOURCE_DIR "/samples/bank", NULL, 0};
		itr_diags d;

		itr_diags_init(&d);
		if (itr_load(&bank, &src, 1, NULL, &d) != 0) {
			itr_diags_print(&d, stderr);
			abort();
		}
		itr_diags_release(&d);
	}
	return bank;
}

static char fuzz_tmp_path[] = "/tmp/itorisk-fuzz-XXXXXX";

static inline void fuzz_tmpfile_remove(void)
{
	unlink(fuzz_tmp_path);
}

/*
 * A file under /tmp holding the current input, for loaders that take a path.
 * Created once per process with mkstemp and rewritten in place for each
 * input; removed at a normal exit (a crash leaves it behind). Returns its path.
 */
static inline const char *fuzz_tmpfile(const uint8_t *data, size_t size)
{
	static int fd = -1;
	size_t off = 0;

	if (fd < 0) {
		fd = mkstemp(fuzz_tmp_path);
		if (fd < 0)
			abort();
		atexit(fuzz_tmpfile_remove);
	}
	if (ftruncate(fd, 0) != 0)
		abort();
	while (off < size) {
		ssize_t w = pwrite(fd, data + off, size - off, (off_t)off);

		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	return fuzz_tmp_path;
}

#endif
