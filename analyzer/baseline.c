/*
 * Baselines in memory: matching findings against accepted ones, and writing
 * a baseline file. Reading one is load_baseline.c (the load stage).
 */
#include "itorisk/gate.h"
#include "itorisk/report.h"

#include <stdlib.h>
#include <string.h>

void itr_baseline_init(itr_baseline *b)
{
	memset(b, 0, sizeof(*b));
}

void itr_baseline_release(itr_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].rule);
		free(b->v[i].key);
		free(b->v[i].reason);
	}
	free(b->v);
	free(b->file);
	itr_baseline_init(b);
}

static int cmp_fp(const void *key, const void *elem)
{
	return strcmp(key, ((const itr_baseline_entry *)elem)->fingerprint);
}

itr_baseline_entry *itr_baseline_find(const itr_baseline *b, const char *fingerprint)
{
	if (!b || b->n == 0)
		return NULL;
	return bsearch(fingerprint, b->v, b->n, sizeof(*b->v), cmp_fp);
}

/* Its key and message stay in the audit's strings until the audit goes. */
static void finding_release(itr_finding *f)
{
	itr_idlist_release(&f->impacts);
}

size_t itr_baseline_apply(itr_audit *a, itr_baseline *b, size_t *expired)
{
	size_t kept = 0, dropped = 0, late = 0;

	for (size_t i = 0; i < a->nfindings; i++) {
		itr_finding *f = &a->findings[i];
		char fp[ITR_FP_LEN + 1];
		itr_baseline_entry *e;

		itr_finding_fingerprint(fp, f);
		e = itr_baseline_find(b, fp);
		if (e && (e->expires == ITR_DATE_NONE || e->expires >= a->as_of)) {
			e->used = true;
			a->count[f->severity]--;
			finding_release(f);
			dropped++;
			continue;
		}
		if (e)
			late++;
		a->findings[kept++] = *f; /* order is kept: still sorted */
	}
	a->nfindings = kept;
	if (expired)
		*expired = late;
	return dropped;
}

typedef struct row {
	const itr_finding *f;
	char fp[ITR_FP_LEN + 1];
} row;

static int cmp_row(const void *pa, const void *pb)
{
	const row *x = pa, *y = pb;
	int c = strcmp(x->f->rule, y->f->rule);

	if (c)
		return c;
	if ((c = strcmp(x->f->key, y->f->key)) != 0)
		return c;
	return strcmp(x->fp, y->fp);
}

void itr_baseline_write(itr_buf *out, const itr_audit *a, const itr_baseline *prev)
{
	row *rows = itr_xcalloc(a->nfindings + 1, sizeof(*rows));
	size_t n = 0;

	for (size_t i = 0; i < a->nfindings; i++) {
		rows[n].f = &a->findings[i];
		itr_finding_fingerprint(rows[n].fp, rows[n].f);
		/* one entry per fingerprint, even if an analysis repeated a key */
		n++;
	}
	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_row);
	itr_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<!-- Findings accepted for now: the gate reports only findings not listed here.\n"
			  "     Give each entry a reason; add expires=\"YYYY-MM-DD\" to make it temporary. -->\n"
			  "<baseline xmlns=\"" ITR_BASELINE_NS "\" version=\"" ITR_BASELINE_VERSION
			  "\" tool=\"itorisk " ITR_VERSION "\">\n");
	for (size_t i = 0; i < n; i++) {
		const itr_baseline_entry *e = itr_baseline_find(prev, rows[i].fp);

		if (i > 0 && strcmp(rows[i].fp, rows[i - 1].fp) == 0)
			continue;
		itr_buf_puts(out, "  <finding rule=\"");
		itr_report_xml_escape(out, rows[i].f->rule);
		itr_buf_puts(out, "\" key=\"");
		itr_report_xml_escape(out, rows[i].f->key);
		itr_buf_printf(out, "\" fingerprint=\"%s\" severity=\"%s\"", rows[i].fp,
			       itr_severity_name(rows[i].f->severity));
		if (e && e->reason) {
			itr_buf_puts(out, " reason=\"");
			itr_report_xml_escape(out, e->reason);
			itr_buf_putc(out, '"');
		}
		if (e && e->expires != ITR_DATE_NONE) {
			char date[11];

			itr_date_format(e->expires, date);
			itr_buf_printf(out, " expires=\"%s\"", date);
		}
		itr_buf_puts(out, "/>\n");
	}
	itr_buf_puts(out, "</baseline>\n");
	free(rows);
}
