/*
 * Reporters: each renders an audit into a buffer (so a failed run never
 * leaves half a report anywhere); the command line writes the buffer out.
 * Reporters see ids and locations only.
 */
#ifndef ITORISK_REPORT_H
#define ITORISK_REPORT_H

#include "itorisk/audit.h"

/* Append JSON-escaped s, in quotes; invalid UTF-8 becomes U+FFFD. */
void itr_json_string(itr_buf *b, const char *s);
/* Append a finite number the same way on every machine (integers without a fraction). */
void itr_json_number(itr_buf *b, double x);

/* SPEC §5 JSON report. */
void itr_report_json(itr_buf *out, const itr_audit *a);
/* The human-readable report. */
void itr_report_text(itr_buf *out, const itr_audit *a);

#endif
