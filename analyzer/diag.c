#include "itorisk/diag.h"

#include <stdlib.h>
#include <string.h>

void itr_diags_init(itr_diags *d)
{
	d->v = NULL;
	d->n = d->cap = 0;
	d->dropped = 0;
}

void itr_diags_release(itr_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].message);
	}
	free(d->v);
	itr_diags_init(d);
}

int itr_vdiag(itr_diags *d, itr_loc loc, const char *fmt, va_list ap)
{
	itr_buf b = ITR_BUF_INIT;
	itr_diag_entry *e;

	if (d->n >= ITR_DIAGS_MAX) {
		d->dropped++;
		return -1;
	}
	itr_buf_vprintf(&b, fmt, ap);
	/* libxml2 messages end with a newline; ours must not. */
	while (b.len && (b.s[b.len - 1] == '\n' || b.s[b.len - 1] == ' '))
		b.s[--b.len] = '\0';
	ITR_GROW(d->v, d->cap, d->n + 1);
	e = &d->v[d->n++];
	e->file = itr_xstrdup(loc.file ? loc.file : "<input>");
	e->line = loc.line > 0 ? loc.line : 0;
	e->col = loc.col > 0 ? loc.col : 0;
	e->message = itr_buf_detach(&b);
	return -1;
}

int itr_diag(itr_diags *d, itr_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	itr_vdiag(d, loc, fmt, ap);
	va_end(ap);
	return -1;
}

size_t itr_diags_count(const itr_diags *d)
{
	return d->n + d->dropped;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const itr_diag_entry *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return strcmp(a->message, b->message);
}

void itr_diags_sort(itr_diags *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp_entry);
}

void itr_diags_print(const itr_diags *d, FILE *fp)
{
	for (size_t i = 0; i < d->n; i++) {
		const itr_diag_entry *e = &d->v[i];

		fputs(e->file, fp);
		if (e->line) {
			fprintf(fp, ":%ld", e->line);
			if (e->col)
				fprintf(fp, ":%ld", e->col);
		}
		fprintf(fp, ": error: %s\n", e->message);
	}
	if (d->dropped)
		fprintf(fp, "itorisk: error: %zu more errors not shown\n", d->dropped);
}
