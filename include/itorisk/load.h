/*
 * The loader: turns files (or in-memory documents) into a sealed model.
 * libxml2 lives here and nowhere else.
 *
 * Untrusted XML is parsed from memory after reading it ourselves: regular
 * files only (no symbolic links, FIFOs or devices), a size cap, no DOCTYPE
 * (so no entities of any kind, internal or external), no network, no
 * XInclude, UTF-8 only. Each document is validated against the portfolio XSD
 * built into the binary; then the integrity rules of SPEC §1 run over the
 * merged model. Every problem found is added to diags.
 */
#ifndef ITORISK_LOAD_H
#define ITORISK_LOAD_H

#include "itorisk/diag.h"
#include "itorisk/model.h"

/* An input: a path (file or directory) when data is NULL, else a document in memory named `path`. */
typedef struct itr_source {
	const char *path;
	const char *data;
	size_t len;
} itr_source;

typedef struct itr_limits {
	size_t max_file_bytes;   /* one file */
	size_t max_total_bytes;  /* all files of one run */
	size_t max_elements;     /* XML elements of one run */
	size_t max_files;
	unsigned max_dir_depth;
} itr_limits;

/* The limits used when none are given. */
extern const itr_limits itr_default_limits;

/*
 * Load and seal a model from the sources. Directories are searched
 * recursively for *.xml (hidden entries skipped); the files are read in
 * bytewise path order, each at most once. limits may be NULL for the defaults.
 * Returns 0 with *out the caller's (itr_model_free()), or -1 with *out NULL
 * and every problem in diags. Integrity rules run only once every file has
 * parsed and validated (a broken file would make them report nonsense).
 * Portfolio files are parsed, validated and built on two threads (this one
 * and one it starts and joins); the model, the diagnostics and their order
 * are those of loading the files one after another.
 */
int itr_load(itr_model **out, const itr_source *sources, size_t nsources, const itr_limits *limits,
	     itr_diags *diags);

/* The portfolio XSD built into the binary. */
extern const unsigned char itr_portfolio_xsd[];
extern const size_t itr_portfolio_xsd_len;

#endif
