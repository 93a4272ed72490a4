/*
 * Diagnostics about the user's input: each one points at a file, a line and,
 * where known, a column, and prints as
 *
 *     FILE:LINE:COL: error: MESSAGE
 *
 * (":COL" omitted when 0, "LINE:" omitted when 0). Messages are lowercase,
 * without a full stop, quoting the subject: unknown vendor 'cloudko'.
 * A collector keeps every problem, not only the first, up to a cap.
 */
#ifndef ITORISK_DIAG_H
#define ITORISK_DIAG_H

#include "itorisk/util.h"

#include <stdio.h>

/* Where something is in the user's input. `file` is borrowed. */
typedef struct itr_loc {
	const char *file;
	long line;   /* 1-based; 0 = unknown */
	long col;    /* 1-based; 0 = unknown */
} itr_loc;

typedef struct itr_diag_entry {
	char *file;     /* owned */
	long line;
	long col;
	char *message;  /* owned */
} itr_diag_entry;

typedef struct itr_diags {
	itr_diag_entry *v;
	size_t n, cap;
	size_t dropped; /* errors past the cap, counted but not kept */
} itr_diags;

#define ITR_DIAGS_MAX 1000

void itr_diags_init(itr_diags *d);
void itr_diags_release(itr_diags *d);
/* Record an error at loc. Always returns -1, so callers can `return itr_diag(...)`. */
int itr_diag(itr_diags *d, itr_loc loc, const char *fmt, ...) ITR_PRINTF(3, 4);
int itr_vdiag(itr_diags *d, itr_loc loc, const char *fmt, va_list ap) ITR_PRINTF(3, 0);
size_t itr_diags_count(const itr_diags *d); /* including dropped ones */
/* Sort by file, line, column, message (stable output whatever the argument order). */
void itr_diags_sort(itr_diags *d);
void itr_diags_print(const itr_diags *d, FILE *fp);

#endif
